"""Pages of the signing requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import services
from friendlygov.operations.models import SignatureRequest
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page
from friendlygov.signatures import selectors as signature_selectors
from friendlygov.signatures.permissions import signing_request_permissions

from .common import _attempt, _common


def _signature(request: HttpRequest, unit: Unit, pk: int) -> SignatureRequest:
    return access.get_object_for(
        request.user,
        SignatureRequest.objects.filter(unit=unit).select_related(
            "body", "file", "requested_by", "decided_by", "unit"
        ),
        pk=pk,
    )


@login_required
def signature_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _signature(request, unit, pk)
    allowed = signing_request_permissions(request.user, item)
    form = f.DecideForm(request.POST or None, initial={"version": item.version, "decision": "signed"})
    if request.method == "POST":
        allowed.require()
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
            may_sign_this=allowed.may_sign,
            digital=signature_selectors.state_of(
                next(iter(signature_selectors.request_signatures(item)), None)
            ),
        ),
        status=400 if request.method == "POST" else 200,
    )
