"""Step 1 pages, the criteria library: criteria sets listed, shown, downloaded, edited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import (
    ConditionFormSet,
    CriterionFormSet,
    FileImportForm,
    LevelFormSet,
    SetHeaderForm,
    editor_data,
    editor_initial,
)
from friendlygov.assessments.models import CriteriaSetVersion
from friendlygov.kit.downloads import download_response
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.rules.scoring import list_bundled_criteria_sets

from .common import _city, _xlsx


def _city_url(city: Unit) -> str:

    return reverse("assessments:city_overview", kwargs={"slug": city.slug})


@login_required
def library(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    can_manage = access.can(request.user, Capability.APPRAISE, city)
    form = FileImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        access.require(request.user, Capability.APPRAISE, city)
        try:
            if request.POST.get("template"):
                row = services.load_template(actor=request.user, city=city, name=request.POST["template"])
                messages.success(
                    request, _("Đã nạp mẫu %(c)s phiên bản %(v)d.") % {"c": row.code, "v": row.version}
                )
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=row.pk)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                row = services.import_criteria_set(
                    actor=request.user, city=city, data=upload.read(), filename=upload.name
                )
                messages.success(
                    request,
                    _("Đã nạp bộ tiêu chí %(c)s phiên bản %(v)d.") % {"c": row.code, "v": row.version},
                )
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=row.pk)
        except ValidationError as exc:
            errors = exc.messages
    rows = list(selectors.city_library(city))
    used = {row.pk: row.cycles.count() for row in rows}
    templates = []
    for name, cs in list_bundled_criteria_sets():
        status = cs.extra.get("status") if isinstance(cs.extra.get("status"), str) else ""
        source = cs.extra.get("source") if isinstance(cs.extra.get("source"), str) else ""
        templates.append(
            {
                "name": name,
                "cs": cs,
                "status": status,
                "source": source,
                "loaded": any(r.code == cs.code and r.version == cs.version for r in rows),
            }
        )
    return render(
        request,
        "assessments/library.html",
        {
            "city": city,
            "rows": rows,
            "used": used,
            "templates": templates,
            "form": form,
            "errors": errors,
            "can_manage": can_manage,
        },
    )


def _library_row(request: HttpRequest, slug: str, pk: int) -> tuple[Unit, CriteriaSetVersion]:
    city = _city(request, slug)
    row = access.get_object_for(
        request.user, CriteriaSetVersion.objects.filter(unit=city), Capability.READ, pk=pk
    )
    return city, row


@login_required
def criteria_set_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    city, row = _library_row(request, slug, pk)
    cs = crit.parsed(row)
    assumptions = cs.extra.get("assumptions")
    return render(
        request,
        "assessments/criteria_set_detail.html",
        {
            "city": city,
            "row": row,
            "cs": cs,
            "tree": crit.tree_rows(cs, with_conditions=False),
            "assumptions": assumptions if isinstance(assumptions, list) else [],
            "cycles": row.cycles.select_related("unit").order_by("-year", "unit__name"),
            "can_manage": access.can(request.user, Capability.APPRAISE, city),
            "versions": CriteriaSetVersion.objects.filter(unit=city, code=row.code).order_by("-version"),
        },
    )


@login_required
def criteria_set_yaml(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    _city_row = _library_row(request, slug, pk)[1]
    return download_response(
        selectors.criteria_set_yaml_text(_city_row).encode(),
        f"{_city_row.code}-v{_city_row.version}.yaml",
        "application/yaml; charset=utf-8",
    )


@login_required
def criteria_set_xlsx(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    from friendlygov.assessments.workbook import criteria_workbook

    row = _library_row(request, slug, pk)[1]
    return _xlsx(criteria_workbook(crit.parsed(row)), f"{row.code}-v{row.version}.xlsx")


@login_required
def criteria_set_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    city, row = _library_row(request, slug, pk)
    access.require(request.user, Capability.APPRAISE, city)
    cs = crit.parsed(row)
    initial = editor_initial(cs)
    post = request.POST if request.method == "POST" else None
    header = SetHeaderForm(post, initial=initial["header"], prefix="set")
    criteria_fs = CriterionFormSet(post, initial=initial["criteria"], prefix="c")
    levels_fs = LevelFormSet(post, initial=initial["levels"], prefix="l")
    conditions_fs = ConditionFormSet(post, initial=initial["conditions"], prefix="k")
    errors: list[str] = []
    if (
        post is not None
        and header.is_valid()
        and criteria_fs.is_valid()
        and levels_fs.is_valid()
        and conditions_fs.is_valid()
    ):
        data, problems = editor_data(cs, header, criteria_fs, levels_fs, conditions_fs)
        if problems:
            errors = problems
        else:
            try:
                saved = services.edit_criteria_set(
                    actor=request.user,
                    criteria_set=row,
                    data=data,
                    expected_version=int(request.POST.get("row_version") or row.row_version),
                )
                if saved.pk != row.pk:
                    messages.success(
                        request,
                        _("Bộ tiêu chí đang được dùng nên đã lưu thành phiên bản mới %(v)d.")
                        % {"v": saved.version},
                    )
                else:
                    messages.success(request, _("Đã lưu bộ tiêu chí."))
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=saved.pk)
            except ValidationError as exc:
                errors = exc.messages
    return render(
        request,
        "assessments/criteria_set_edit.html",
        {
            "city": city,
            "row": row,
            "header": header,
            "criteria_fs": criteria_fs,
            "levels_fs": levels_fs,
            "conditions_fs": conditions_fs,
            "errors": errors,
        },
    )
