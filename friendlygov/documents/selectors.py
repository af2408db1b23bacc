"""Reads of the documents area: issued documents, templates, the kinds a person may render."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from friendlygov.core.panels import Panel
from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.kinds.scores import submission_outlook
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind
from friendlygov.documents.services import next_free_number
from friendlygov.org.models import Unit


def issued_documents(unit: Unit, *, year: int | None = None, kind: str = "") -> QuerySet[IssuedDocument]:
    documents = IssuedDocument.objects.filter(unit=unit, draft=False).select_related("created_by", "template")
    if year:
        documents = documents.filter(issued_on__year=year)
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-issued_on", "-number", "-id")


def issued_years(unit: Unit) -> list[int]:
    dates = IssuedDocument.objects.filter(unit=unit, draft=False, issued_on__isnull=False).dates(
        "issued_on", "year"
    )
    return sorted({d.year for d in dates}, reverse=True)


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
    kinds = builders.CITY_KINDS if unit.is_city else builders.UNIT_KINDS
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


def proposed_number(unit: Unit, year: int) -> int:
    return next_free_number(unit, year)


def city_panel(request: HttpRequest, city: Unit) -> Panel | None:
    """The city's consolidated report and the public list of units."""
    from friendlygov.documents.services import can_render

    context = {
        "city": city,
        "can_render": can_render(request.user, city),
        "latest": list(issued_documents(city)[:3]),
    }
    return Panel("documents/panel_city.html", context, order=800)
