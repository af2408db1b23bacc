"""Reads of the documents area: issued documents, templates, the kinds a person may render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.kinds.scores import submission_outlook
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind
from friendlygov.documents.numbering import next_free_number, register_label
from friendlygov.documents.services import proposed_number as proposed_number_for_kind
from friendlygov.kit.panels import Panel
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit


def issued_documents(unit: Unit, *, year: int | None = None, kind: str = "") -> QuerySet[IssuedDocument]:
    """The unit's issued documents and those its city issued about it (the appraisal notice)."""
    documents = IssuedDocument.objects.filter(Q(unit=unit) | Q(about=unit), draft=False).select_related(
        "created_by", "template", "unit"
    )
    if year:
        documents = documents.filter(issued_on__year=year)
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-issued_on", "-number", "-id")


def issued_years(unit: Unit) -> list[int]:
    dates = IssuedDocument.objects.filter(
        Q(unit=unit) | Q(about=unit), draft=False, issued_on__isnull=False
    ).dates("issued_on", "year")
    return sorted({d.year for d in dates}, reverse=True)


def readable_issued(user: Any, pk: int, slug: str | None = None) -> IssuedDocument:
    """An issued document the user may read: its issuer's, or — for a document about a commune (the city's
    appraisal notice) — that commune's. ``slug``: the unit the page names (the issuer or the commune). 404
    otherwise, the same for a document that does not exist."""
    document = IssuedDocument.objects.select_related("unit", "about").filter(pk=pk, draft=False).first()
    if document is None or not document.file:
        raise Http404
    units = [document.unit] + ([document.about] if document.about is not None else [])
    if slug is not None:
        units = [u for u in units if u.slug == slug]
    if not any(access.can(user, Capability.READ, u) for u in units):
        raise Http404
    return document


def templates() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.select_related("uploaded_by").order_by(
        "kind", "-is_active", "-uploaded_at"
    )


def active_templates() -> dict[str, DocumentTemplate]:
    return {t.kind: t for t in DocumentTemplate.objects.filter(is_active=True)}


@dataclass
class KindChoice:
    kind: str
    label: str
    cli: str  # the command line's spelling ("self-assessment")
    symbol: str
    years_hint: str = ""


def kinds_for(unit: Unit) -> list[KindChoice]:
    """The documents this unit can produce (a commune's six, or the city's consolidated report)."""
    labels = dict(Kind.choices)
    kinds = builders.CITY_KINDS if unit.is_city else [*builders.UNIT_KINDS, *builders.CITY_ABOUT_UNIT_KINDS]
    out = []
    for kind in kinds:
        hint = _("Chỉ năm 2027 (sơ kết) hoặc 2030 (tổng kết).") if kind == Kind.REVIEW else ""
        out.append(
            KindChoice(
                str(kind),
                str(labels[kind]),
                str(kind).replace("_", "-"),
                common.symbol_for(kind, unit),
                hint,
            )
        )
    return out


def render_warnings(unit: Unit, kind: str, year: int) -> list[str]:
    """What the person about to make ``kind`` for ``year`` must know first, in the reader's language (the
    builder of the document gives the same warnings with the file)."""
    if kind == Kind.SUBMISSION and not unit.is_city:
        return submission_outlook(unit, year).warnings
    return []


def proposed_numbers(unit: Unit, year: int) -> list[tuple[str, int]]:
    """Each register this unit's page issues in, named, with its next free number (the city: its People's
    Committee and its Department of Home Affairs, each its own)."""
    from friendlygov.documents.services import issuer_of

    seen: dict[tuple[int, str], tuple[str, int]] = {}
    for choice in kinds_for(unit):
        issuer = issuer_of(choice.kind, unit)
        key = (issuer.unit.pk, issuer.register)
        if key not in seen:
            seen[key] = (
                register_label(issuer.unit, issuer.register),
                next_free_number(issuer.unit, year, issuer.register),
            )
    return list(seen.values())


def proposed_number(unit: Unit, year: int, kind: str = Kind.PLAN) -> int:
    """The next free number of the register ``kind`` is numbered in (the unit's committee by default)."""
    return proposed_number_for_kind(kind, unit, year)


def city_panel(request: HttpRequest, city: Unit) -> Panel | None:
    """The city's consolidated report and the public list of units."""
    from friendlygov.documents.services import can_render

    context = {
        "city": city,
        "can_render": can_render(request.user, city),
        "latest": list(issued_documents(city)[:3]),
    }
    return Panel("documents/panel_city.html", context, order=800)
