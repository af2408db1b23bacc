from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from friendlygov.evidence.filetypes import download_name
from friendlygov.evidence.models import EvidenceFile
from friendlygov.org.access import AuthenticatedRequest, Capability, get_object_for


@login_required
def download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    evidence = get_object_for(request.user, EvidenceFile, Capability.READ, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=False,
        filename=download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
