"""Reads of the signing requests."""

from __future__ import annotations

from friendlygov.operations.models import SignatureRequest
from friendlygov.org.models import Unit

from .common import matches


def signature_requests(
    unit: Unit, *, status: str = "", kind: str = "", year: int | None = None, query: str = ""
) -> list[SignatureRequest]:
    items = SignatureRequest.objects.filter(unit=unit).select_related(
        "body", "file", "requested_by", "decided_by"
    )
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(document_kind=kind)
    if year:
        items = items.filter(created_at__year=year)
    result = list(items)
    if query:
        result = [
            r
            for r in result
            if matches(query, r.title, r.note, r.return_reason, r.body.name if r.body else "")
        ]
    return result
