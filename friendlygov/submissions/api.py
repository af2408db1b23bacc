"""Electronic submission API: the same services, selectors and access checks as the pages.

- ``GET  /units/{slug}/packages`` — the commune's packages sent (receipt number and time, SHA-256);
- ``POST /units/{slug}/packages`` ``{"year": 2026}`` — send the year's dossier to the city (201, the record);
- ``GET  /cities/{slug}/packages[?year=]`` — the packages the city received (city reviewers);
- ``GET  /packages/{id}`` — one package with its check now: ``verify-package``'s JSON under ``check``;
- ``GET  /packages/{id}/file`` — the package (.zip).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from friendlygov.kit.downloads import download_response, file_answer
from friendlygov.kit.params import Year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.submissions import selectors, services
from friendlygov.submissions.models import SubmissionPackage

router = Router(tags=["Hồ sơ điện tử"])


class SendIn(Schema):
    year: int


class PackageOut(Schema):
    id: int
    unit: str
    city: str
    year: int
    receipt_number: int
    receipt_year: int
    received_at: str
    file_name: str
    size: int
    sha256: str
    valid_on_receipt: bool
    warnings_on_receipt: list[str]
    manifest: dict[str, Any]


class PackageDetailOut(PackageOut):
    check: dict[str, Any]
    stored_intact: bool


def _out(package: SubmissionPackage) -> dict[str, Any]:
    return {
        "id": package.pk,
        "unit": package.unit.slug,
        "city": package.city.slug,
        "year": package.year,
        "receipt_number": package.receipt_number,
        "receipt_year": package.receipt_year,
        "received_at": timezone.localtime(package.received_at).isoformat(timespec="seconds"),
        "file_name": package.file_name,
        "size": package.size,
        "sha256": package.sha256,
        "valid_on_receipt": bool(package.verification.get("valid")),
        "warnings_on_receipt": list(package.verification.get("warnings", [])),
        "manifest": package.manifest,
    }


@router.get("/units/{slug}/packages", response=list[PackageOut])
def unit_packages(request: AuthenticatedRequest, slug: str) -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_out(p) for p in selectors.unit_packages(unit)]


@router.post("/units/{slug}/packages", response={201: PackageOut})
def send(request: AuthenticatedRequest, slug: str, payload: SendIn) -> Status[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return Status(201, _out(services.send_package(actor=request.user, unit=unit, year=payload.year)))


@router.get("/cities/{slug}/packages", response=list[PackageOut])
def city_packages(request: AuthenticatedRequest, slug: str, year: Year | None = None) -> list[dict[str, Any]]:
    city = access.get_unit_for(request.user, slug, Capability.APPRAISE)
    return [_out(p) for p in selectors.city_packages(city, year=year)]


@router.get("/packages/{pk}", response=PackageDetailOut)
def package(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    found = selectors.readable_package(request.user, pk)
    check = selectors.check_package(found)
    return {**_out(found), "check": check.result, "stored_intact": check.stored_intact}


@router.get("/packages/{pk}/file", openapi_extra=file_answer("application/zip"))
def package_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.readable_package(request.user, pk)
    return download_response(selectors.package_bytes(found), found.file_name, "application/zip")
