"""Request parsing and rendering helpers shared by the operations registers' pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from friendlygov.kit.downloads import xlsx_response
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.tabular import write_xlsx
from friendlygov.operations import permissions as perms
from friendlygov.org.models import Unit


def _xlsx(
    filename: str,
    sheet: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str,
    *,
    numbered: bool = True,
) -> HttpResponse:
    return xlsx_response(write_xlsx([(sheet, header, rows)], title=title, numbered=numbered), filename)


def _attempt(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service; on ValidationError attach the messages to the form (values kept) and return None."""
    try:
        return action()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None


def _form_page(
    request: HttpRequest, unit: Unit, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    template = extra.pop("template", "operations/form.html")
    context = {"unit": unit, "form": form, "title": title, "back": back, **extra}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _common(request: HttpRequest, unit: Unit, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "unit": unit,
        "may_coordinate": perms.may_coordinate(user, unit),
        "may_record": perms.may_record_any(user, unit),
        "may_budget": perms.may_manage_budget(user, unit),
        "may_organise": perms.may_organise(user, unit),
        "may_publicise": perms.may_publicise(user, unit),
        "may_sign": perms.may_sign(user, unit),
        "may_decide": perms.may_decide_rewards(user, unit),
        **extra,
    }
