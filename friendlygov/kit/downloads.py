"""File downloads: one response for every file the pages hand out (Excel, Word, PDF, CSV, ZIP)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_response(data: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """The file as a download (or shown in the browser with ``inline``), its name encoded for any browser
    (Vietnamese names included: RFC 6266's ``filename*``)."""
    response = HttpResponse(data, content_type=content_type)
    disposition = content_disposition_header(not inline, filename)
    if disposition is not None:  # None only for an inline file without a name
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"  # a file is what its type says, never sniffed into a page
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return download_response(data, filename, XLSX_CONTENT_TYPE)


def file_answer(*content_types: str, description: str = "The file.") -> dict[str, Any]:
    """The ``openapi_extra`` of an API endpoint whose answer is a file: its media types, a binary body
    (so that the OpenAPI document describes the download as it does every JSON answer)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: binary for content_type in content_types},
            }
        }
    }
