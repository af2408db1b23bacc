"""Reads of the electronic submission: what goes into a commune's package, the packages a user may see, and
a stored package checked again (manifest, SHA-256, signatures) against the app's trust roots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from friendlygov.assessments.models import Cycle
from friendlygov.documents import sources
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.kit.panels import Panel
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Unit
from friendlygov.rules.text import natural_key
from friendlygov.signatures import selectors as signature_selectors
from friendlygov.signatures.models import OriginalPdf
from friendlygov.signatures.package import EvidenceItem, PackageFormatError, sha256, verify_package
from friendlygov.submissions.models import SubmissionPackage

# The issued documents of the dossier, in the order they are filed.
DOSSIER_KINDS: tuple[str, ...] = (Kind.REGISTRATION, Kind.SELF_ASSESSMENT, Kind.SUBMISSION)


def trust_roots() -> Sequence[bytes]:
    """The CA certificates the system administrator installed: the only roots a signature is trusted against."""
    return signature_selectors.trust_root_pems()


def signed_pdf(document: IssuedDocument) -> bytes | None:
    """The latest digitally signed PDF kept for an issued document (whatever its check said: the city checks
    it again and is warned), or None when it was never signed."""
    signature = signature_selectors.latest_signature(document)
    if signature is None:
        return None
    with signature.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def original_pdf(document: IssuedDocument) -> bytes | None:
    """The PDF kept as the original given out to sign (the same bytes a signer saw), when one was made."""
    kept = OriginalPdf.objects.filter(document=document).first()
    if kept is None:
        return None
    with kept.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def dossier_documents(unit: Unit, year: int) -> dict[str, IssuedDocument | None]:
    """The latest issued document of each dossier kind for ``year`` (None where none is issued)."""
    found: dict[str, IssuedDocument | None] = dict.fromkeys(DOSSIER_KINDS)
    documents = IssuedDocument.objects.filter(
        unit=unit, year=year, kind__in=DOSSIER_KINDS, draft=False, number__isnull=False
    ).order_by("issued_on", "number", "id")
    for document in documents:
        found[document.kind] = document  # the last one issued wins
    return found


def cycle(unit: Unit, year: int) -> Cycle | None:
    return sources.cycle(unit, year)


def evidence_items(unit: Unit, year: int) -> list[EvidenceItem]:
    """Every evidence file linked to a criterion of the year's self-assessment (removed links left out),
    in the criteria's order; a file proving several criteria is listed once per criterion."""
    data = sources.cycle_data(sources.cycle(unit, year))
    if data is None:
        return []
    items: list[EvidenceItem] = []
    for code in sorted(data.evidence, key=natural_key):
        for link in data.live_evidence(code):
            file = link.evidence
            if file is None:
                continue
            items.append(
                EvidenceItem(
                    name=file.original_name,
                    sha256=file.sha256,
                    size=file.size,
                    criterion=code,
                    title=file.title,
                )
            )
    return items


def sendable_years(unit: Unit) -> list[int]:
    """Years whose self-assessment has been submitted (the dossier can go to the city), newest first."""
    return sorted((c.year for c in sources.unit_cycles(unit) if c.status not in Cycle.EDITABLE), reverse=True)


def unit_packages(unit: Unit) -> QuerySet[SubmissionPackage]:
    return SubmissionPackage.objects.filter(unit=unit).select_related("unit", "city", "sent_by")


def city_packages(city: Unit, *, year: int | None = None) -> QuerySet[SubmissionPackage]:
    packages = SubmissionPackage.objects.filter(city=city).select_related("unit", "city", "sent_by")
    return packages.filter(year=year) if year is not None else packages


def readable_package(user: Actor, pk: int) -> SubmissionPackage:
    """The package, when the user may read its commune (the commune's people, its city); 404 otherwise."""
    return access.get_object_for(user, SubmissionPackage.objects.select_related("unit", "city"), pk=pk)


def package_bytes(package: SubmissionPackage) -> bytes:
    with package.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


@dataclass(frozen=True)
class PackageCheck:
    """A stored package checked again now: ``result`` as ``verify-package`` prints it, and whether the
    stored file is still the one received (its SHA-256)."""

    result: dict[str, Any]
    stored_intact: bool


def check_package(package: SubmissionPackage) -> PackageCheck:
    data = package_bytes(package)
    try:
        result = verify_package(data, trust_roots=trust_roots())
    except PackageFormatError as exc:  # the stored file no longer reads as a package
        result = {"valid": False, "manifest_ok": False, "files": [], "evidence": [], "warnings": [str(exc)]}
    return PackageCheck(result, sha256(data) == package.sha256)


def unit_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    """The commune's home: the latest package sent, and the way to send one (once a year is submitted)."""
    if unit.is_city:
        return None
    latest = unit_packages(unit).first()
    if latest is None and not sendable_years(unit):
        return None
    context = {"unit": unit, "latest": latest, "can_send": access.can(request.user, Capability.LEAD, unit)}
    return Panel("submissions/panel_unit.html", context, order=750)


def city_panel(request: HttpRequest, city: Unit) -> Panel | None:
    """The city's home (its reviewers): the latest packages received."""
    if not access.can(request.user, Capability.APPRAISE, city):
        return None
    context = {"city": city, "latest": list(city_packages(city)[:5])}
    return Panel("submissions/panel_city.html", context, order=790)
