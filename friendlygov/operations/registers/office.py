"""The registers of the Office of the People's Council and Committee: conferences, documents for signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendlygov.kit.params import year_param
from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import Conference, SignatureRequest
from friendlygov.operations.params import choice_of, int_or_none, query_of, year_of, years_around
from friendlygov.org import access
from friendlygov.org.models import Unit

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register


@dataclass(frozen=True)
class YearStatusFilter:
    """The filters of a yearly list with a status (conferences, shortfalls)."""

    year: int
    status: str = ""
    query: str = ""


def year_status_filter(statuses: type[TextChoices]) -> Callable[[HttpRequest], YearStatusFilter]:
    def parse(request: HttpRequest) -> YearStatusFilter:
        return YearStatusFilter(
            year=year_of(request), status=choice_of(request, "trang_thai", statuses), query=query_of(request)
        )

    return parse


def year_status_context(
    statuses: type[TextChoices],
) -> Callable[[ListPage[YearStatusFilter, Any]], dict[str, Any]]:
    def context(p: ListPage[YearStatusFilter, Any]) -> dict[str, Any]:
        return {
            "year": p.filters.year,
            "years": years_around(p.unit, p.filters.year),
            "status": p.filters.status,
            "query": p.filters.query,
            "statuses": statuses.choices,
        }

    return context


# ------------------------------------------------------------------------------------------ conferences


def conference_list(unit: Unit, flt: YearStatusFilter) -> list[Conference]:
    return selectors.conferences(unit, year=flt.year, status=flt.status, query=flt.query)


CONFERENCE_COLUMNS: tuple[Column[Conference], ...] = (
    Column("Ngày", lambda c: c.held_on),
    Column("Giờ", lambda c: c.start_time.strftime("%H:%M") if c.start_time else ""),
    Column("Tên hội nghị", lambda c: c.title),
    Column("Địa điểm", lambda c: c.place),
    Column("Chủ trì", lambda c: c.chair),
    Column("Thành phần", lambda c: c.attendees),
    Column("Trạng thái", lambda c: c.get_status_display()),
    Column("Có biên bản", lambda c: "có" if c.minutes_id else ""),
)


def _fetch_conference(request: HttpRequest, unit: Unit, pk: int) -> Conference:
    return access.get_object_for(request.user, Conference.objects.filter(unit=unit), pk=pk)


def _conference_kwargs(p: EditPage[Conference]) -> dict[str, Any]:
    initial = (
        f.ConferenceForm.initial_for(p.item) if p.item else {"review": int_or_none(p.request.GET.get("dot"))}
    )
    return {"unit": p.unit, "editing": p.item is not None, "initial": initial}


def _schedule(p: EditPage[Conference], form: f.ConferenceForm) -> Conference:
    return services.schedule_conference(actor=p.request.user, unit=p.unit, **form.service_fields())


def _update_conference(p: EditPage[Conference], conference: Conference, form: f.ConferenceForm) -> Conference:
    d = form.cleaned_data
    return services.update_conference(
        actor=p.request.user,
        conference=conference,
        expected_version=d["version"],
        status=d.get("status") or None,
        minutes=d.get("minutes"),
        **form.service_fields(),
    )


CONFERENCES: Register[YearStatusFilter] = Register(
    key="conferences",
    title=gettext_lazy("Hội nghị"),
    model=Conference,
    filters=year_status_filter(Conference.Status),
    permission=perms.may_organise,
    listing=Listing(
        template="operations/conferences.html",
        tab="office",
        select=conference_list,
        context=year_status_context(Conference.Status),
    ),
    export=Export(
        rows=conference_list,
        columns=CONFERENCE_COLUMNS,
        filename=lambda unit, flt: f"hoi-nghi-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Hội nghị",
        title=lambda unit, flt: f"Hội nghị năm {flt.year} — {unit.full_name}",
    ),
    editor=Editor(
        form=f.ConferenceForm,
        fetch=_fetch_conference,
        form_kwargs=_conference_kwargs,
        create=_schedule,
        update=_update_conference,
        message=lambda p: _("Đã lưu hội nghị."),
        title=lambda p: _("Sửa hội nghị") if p.item else _("Lên lịch hội nghị"),
        back=lambda p: reverse("operations:conferences", args=[p.unit.slug]),
        done=lambda p, saved: (
            reverse("operations:conferences", args=[p.unit.slug]) + f"?nam={saved.held_on.year}"
        ),
        page=lambda p: {"multipart": True},
    ),
)


# ------------------------------------------------------------------------------------------ signatures


@dataclass(frozen=True)
class SignatureFilter:
    status: str = ""
    kind: str = ""
    year: int | None = None
    query: str = ""


def signature_filter(request: HttpRequest) -> SignatureFilter:
    return SignatureFilter(
        status=choice_of(request, "trang_thai", SignatureRequest.Status),
        kind=choice_of(request, "loai", SignatureRequest.DocumentKind),
        year=year_param(request.GET.get("nam")),
        query=query_of(request),
    )


def signature_list(unit: Unit, flt: SignatureFilter) -> list[SignatureRequest]:
    return selectors.signature_requests(
        unit, status=flt.status, kind=flt.kind, year=flt.year, query=flt.query
    )


def _signature_context(p: ListPage[SignatureFilter, SignatureRequest]) -> dict[str, Any]:
    flt = p.filters
    return {
        "a": {"status": flt.status, "kind": flt.kind, "year": flt.year, "query": flt.query},
        "statuses": SignatureRequest.Status.choices,
        "kinds": SignatureRequest.DocumentKind.choices,
        "years": years_around(p.unit, flt.year or selectors.today().year),
    }


SIGNATURE_COLUMNS: tuple[Column[SignatureRequest], ...] = (
    Column("Ngày trình", lambda r: timezone.localtime(r.created_at).date()),
    Column("Trích yếu", lambda r: r.title),
    Column("Loại văn bản", lambda r: r.get_document_kind_display()),
    Column("Cơ quan trình", lambda r: r.body.name if r.body else ""),
    Column("Người trình", lambda r: r.requested_by.get_full_name() if r.requested_by else ""),
    Column("Trạng thái", lambda r: r.get_status_display()),
    Column("Ngày ký", lambda r: r.signed_on),
    Column("Lý do trả lại", lambda r: r.return_reason),
)


def fetch_signature(request: HttpRequest, unit: Unit, pk: int) -> SignatureRequest:
    return access.get_object_for(
        request.user,
        SignatureRequest.objects.filter(unit=unit).select_related(
            "body", "file", "requested_by", "decided_by", "unit"
        ),
        pk=pk,
    )


def _signature_kwargs(p: EditPage[SignatureRequest]) -> dict[str, Any]:
    item = p.item
    initial = (
        {k: getattr(item, k) for k in ("title", "document_kind", "link", "note", "version")}
        | {"body": item.body_id}
        if item
        else {}
    )
    return {"unit": p.unit, "initial": initial}


def _request_signature(p: EditPage[SignatureRequest], form: f.SignatureRequestForm) -> SignatureRequest:
    return services.request_signature(
        actor=p.request.user, unit=p.unit, upload=form.cleaned_data["upload"], **form.service_fields()
    )


def _update_signature(
    p: EditPage[SignatureRequest], item: SignatureRequest, form: f.SignatureRequestForm
) -> SignatureRequest:
    d = form.cleaned_data
    return services.update_signature_request(
        actor=p.request.user,
        request=item,
        expected_version=d["version"],
        upload=d["upload"],
        **form.service_fields(),
    )


SIGNATURES: Register[SignatureFilter] = Register(
    key="signatures",
    title=gettext_lazy("Văn bản trình ký"),
    model=SignatureRequest,
    filters=signature_filter,
    permission=perms.may_organise,
    listing=Listing(
        template="operations/signatures.html", tab="office", select=signature_list, context=_signature_context
    ),
    export=Export(
        rows=signature_list,
        columns=SIGNATURE_COLUMNS,
        filename=lambda unit, flt: f"trinh-ky-{unit.slug}.xlsx",
        sheet=lambda flt: "Trình ký",
        title=lambda unit, flt: f"Văn bản trình ký — {unit.full_name}",
    ),
    editor=Editor(
        form=f.SignatureRequestForm,
        fetch=fetch_signature,
        form_kwargs=_signature_kwargs,
        create=_request_signature,
        update=_update_signature,
        message=lambda p: _("Đã trình ký; lãnh đạo đã được thông báo."),
        title=lambda p: _("Sửa, trình ký lại") if p.item else _("Trình ký văn bản"),
        back=lambda p: reverse("operations:signatures", args=[p.unit.slug]),
        done=lambda p, saved: reverse("operations:signature_detail", args=[p.unit.slug, saved.pk]),
        page=lambda p: {"multipart": True},
    ),
)
