"""Reads of the signing requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

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


SIGNATURE_HEADER = [
    "Ngày trình",
    "Trích yếu",
    "Loại văn bản",
    "Cơ quan trình",
    "Người trình",
    "Trạng thái",
    "Ngày ký",
    "Lý do trả lại",
]


def signature_rows(items: Iterable[SignatureRequest]) -> list[list[Any]]:
    return [
        [
            timezone.localtime(r.created_at).date(),
            r.title,
            r.get_document_kind_display(),
            r.body.name if r.body else "",
            r.requested_by.get_full_name() if r.requested_by else "",
            r.get_status_display(),
            r.signed_on,
            r.return_reason,
        ]
        for r in items
    ]
