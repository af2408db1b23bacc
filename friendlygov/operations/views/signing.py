"""Pages of the signing requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.kit.params import year_param
from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import SignatureRequest
from friendlygov.operations.params import choice_of as _choice
from friendlygov.operations.params import query_of as _q
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page
from friendlygov.signatures import selectors as signature_selectors

from .common import _attempt, _common, _form_page, _xlsx


def _signature_args(request: HttpRequest) -> dict[str, Any]:
    return {
        "status": _choice(request, "trang_thai", SignatureRequest.Status),
        "kind": _choice(request, "loai", SignatureRequest.DocumentKind),
        "year": year_param(request.GET.get("nam")),
        "query": _q(request),
    }


@login_required
def signatures(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _signature_args(request)
    return render(
        request,
        "operations/signatures.html",
        _common(
            request,
            unit,
            tab="office",
            items=selectors.signature_requests(unit, **args),
            a=args,
            statuses=SignatureRequest.Status.choices,
            kinds=SignatureRequest.DocumentKind.choices,
            years=_years(unit, args["year"] or selectors.today().year),
        ),
    )


@login_required
def signatures_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    rows = selectors.signature_rows(selectors.signature_requests(unit, **_signature_args(request)))
    return _xlsx(
        f"trinh-ky-{unit.slug}.xlsx",
        "Trình ký",
        selectors.SIGNATURE_HEADER,
        rows,
        f"Văn bản trình ký — {unit.full_name}",
    )


def _signature(request: HttpRequest, unit: Unit, pk: int) -> SignatureRequest:
    return access.get_object_for(
        request.user,
        SignatureRequest.objects.filter(unit=unit).select_related(
            "body", "file", "requested_by", "decided_by", "unit"
        ),
        pk=pk,
    )


@login_required
def signature_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_organise(request.user, unit))
    item = _signature(request, unit, pk) if pk else None
    initial = (
        {k: getattr(item, k) for k in ("title", "document_kind", "link", "note", "version")}
        | {"body": item.body_id}
        if item
        else {}
    )
    form = f.SignatureRequestForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_signature_request(
                    actor=request.user,
                    request=item,
                    expected_version=d["version"],
                    upload=d["upload"],
                    **form.service_fields(),
                )
                if item
                else services.request_signature(
                    actor=request.user, unit=unit, upload=d["upload"], **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã trình ký; lãnh đạo đã được thông báo."))
            return redirect("operations:signature_detail", slug=unit.slug, pk=saved.pk)
    return _form_page(
        request,
        unit,
        form,
        _("Sửa, trình ký lại") if item else _("Trình ký văn bản"),
        reverse("operations:signatures", args=[unit.slug]),
        multipart=True,
    )


@login_required
def signature_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _signature(request, unit, pk)
    may_sign = perms.may_sign(request.user, unit)
    form = f.DecideForm(request.POST or None, initial={"version": item.version, "decision": "signed"})
    if request.method == "POST":
        perms.require_that(request.user, unit, may_sign)
        if form.is_valid():
            d = form.cleaned_data
            saved = _attempt(
                form,
                lambda: services.decide_signature(
                    actor=request.user,
                    request=item,
                    decision=d["decision"],
                    expected_version=d["version"],
                    signed_on=d["signed_on"],
                    reason=d["reason"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Đã ghi: %(s)s.") % {"s": saved.get_status_display()})
                return redirect("operations:signature_detail", slug=unit.slug, pk=item.pk)
    return render(
        request,
        "operations/signature_detail.html",
        _common(
            request,
            unit,
            tab="office",
            item=item,
            form=form,
            may_sign_this=may_sign and item.status == SignatureRequest.Status.WAITING,
            digital=signature_selectors.state_of(
                next(iter(signature_selectors.request_signatures(item)), None)
            ),
        ),
        status=400 if request.method == "POST" else 200,
    )
