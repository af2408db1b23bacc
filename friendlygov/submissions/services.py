"""Writes of the electronic submission: a commune's yearly dossier sent to its city as one package.

The package is built from what the platform already keeps (the issued registration letter, self-assessment
report and tờ trình as PDFs — the signed PDF where one is kept —, the scoring workbook, the evidence list
with each file's SHA-256) plus the manifest; the city's receipt number (số đến) is given in the same
transaction that stores it, and the receipt is audited."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation

from friendlygov.assessments.models import Cycle
from friendlygov.audit import services as audit
from friendlygov.audit.models import AuditEvent
from friendlygov.documents import excel, pdf
from friendlygov.documents.kinds import scores
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.notifications.services import notify_once
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Role, Unit
from friendlygov.signatures import package as pkg
from friendlygov.submissions import selectors
from friendlygov.submissions.models import SubmissionPackage

FILE_NAMES: dict[str, str] = {
    Kind.REGISTRATION: "01-cong-van-dang-ky.pdf",
    Kind.SELF_ASSESSMENT: "02-bao-cao-tu-danh-gia.pdf",
    "scoring_table": "03-bang-cham-diem.xlsx",
    "evidence_list": "04-danh-muc-minh-chung.csv",
    Kind.SUBMISSION: "05-to-trinh.pdf",
}


def _document_pdf(document: IssuedDocument) -> tuple[bytes, bool]:
    """(the PDF, signed?): the kept signed PDF, else the original PDF kept for signing, else the issued .docx
    converted (both unsigned)."""
    signed = selectors.signed_pdf(document)
    if signed is not None:
        return signed, True
    original = selectors.original_pdf(document)
    if original is not None:
        return original, False
    with document.file.open("rb") as handle:
        content = handle.read()
    try:
        return pdf.docx_to_pdf(content), False
    except pdf.PdfConversionError as exc:
        raise ValidationError({"year": f"{document.number_symbol}: {exc}"}) from None


def _evidence_csv(items: list[pkg.EvidenceItem]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", "Tiêu chí", "Tên tệp", "Tiêu đề", "Kích thước (byte)", "SHA-256"])
    for index, item in enumerate(items, start=1):
        writer.writerow([index, item.criterion, item.name, item.title, item.size, item.sha256])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel opens it as UTF-8


def _files(unit: Unit, year: int) -> tuple[list[pkg.PackageFile], list[pkg.EvidenceItem]]:
    documents = selectors.dossier_documents(unit, year)
    missing = [Kind(kind).label for kind, document in documents.items() if document is None]
    if missing:
        raise ValidationError(
            {
                "year": f"Chưa ban hành văn bản của năm {year}: {'; '.join(str(m) for m in missing)}. "
                "Hãy ban hành ở trang Văn bản rồi gửi lại."
            }
        )
    with translation.override("vi"):  # official attachments are Vietnamese
        result = scores.scores(unit, year)
        if result is None:
            raise ValidationError({"year": f"{unit.full_name} không có kỳ đánh giá năm {year}."})
        workbook = excel.scoring_workbook(unit, year, result)
    evidence = selectors.evidence_items(unit, year)
    files: list[pkg.PackageFile] = []
    for kind in (Kind.REGISTRATION, Kind.SELF_ASSESSMENT):
        document = documents[kind]
        assert document is not None
        data, signed = _document_pdf(document)
        files.append(pkg.PackageFile(FILE_NAMES[kind], kind, str(document), data, signed))
    files.append(
        pkg.PackageFile(FILE_NAMES["scoring_table"], "scoring_table", f"Bảng chấm điểm năm {year}", workbook)
    )
    files.append(
        pkg.PackageFile(
            FILE_NAMES["evidence_list"],
            "evidence_list",
            "Danh mục minh chứng (SHA-256)",
            _evidence_csv(evidence),
        )
    )
    submission = documents[Kind.SUBMISSION]
    assert submission is not None
    data, signed = _document_pdf(submission)
    files.append(pkg.PackageFile(FILE_NAMES[Kind.SUBMISSION], Kind.SUBMISSION, str(submission), data, signed))
    return files, evidence


def _check_sendable(unit: Unit, year: int) -> Unit:
    if unit.is_city or unit.parent is None or not unit.parent.is_city:
        raise ValidationError({"unit": "Chỉ xã, phường, đặc khu gửi hồ sơ điện tử cho thành phố."})
    cycle = selectors.cycle(unit, year)
    if cycle is None:
        raise ValidationError({"year": f"{unit.full_name} không có kỳ đánh giá năm {year}."})
    if cycle.status in Cycle.EDITABLE:
        raise ValidationError(
            {"year": f"Kỳ đánh giá năm {year} chưa nộp; hãy nộp bản tự đánh giá trước khi gửi hồ sơ điện tử."}
        )
    return unit.parent


@transaction.atomic
def send_package(*, actor: Actor, unit: Unit, year: int) -> SubmissionPackage:
    """The commune's dossier for ``year`` built, stored and received by its city with the next receipt
    number of the city's year (Asia/Ho_Chi_Minh); each file's signatures checked on receipt; audited."""
    require(actor, Capability.LEAD, unit)
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError({"year": "Năm không hợp lệ."})
    city = _check_sendable(unit, year)
    files, evidence = _files(unit, year)  # slow (PDF conversion): before the city's register is locked
    Unit.objects.select_for_update().filter(pk=city.pk).first()  # one receipt number at a time per city
    received_at = timezone.now()
    receipt_year = timezone.localtime(received_at).year
    last = SubmissionPackage.objects.filter(city=city, receipt_year=receipt_year).aggregate(
        n=Max("receipt_number")
    )
    number = (last["n"] or 0) + 1
    info = pkg.PackageInfo(
        unit_code=unit.code or unit.slug,  # the official code (national systems key on it)
        unit_name=unit.full_name,
        year=year,
        created_at=received_at,
        files=files,
        evidence=evidence,
        receipt={
            "city_code": city.code or city.slug,
            "city_name": city.full_name,
            "number": number,
            "received_at": timezone.localtime(received_at).isoformat(timespec="seconds"),
        },
    )
    data = pkg.build_package(info)
    check = pkg.verify_package(data, trust_roots=selectors.trust_roots())
    package = SubmissionPackage(
        unit=unit,
        city=city,
        year=year,
        receipt_year=receipt_year,
        receipt_number=number,
        received_at=received_at,
        file_name=f"ho-so-{unit.slug}-{year}-so-den-{number}.zip",
        size=len(data),
        sha256=pkg.sha256(data),
        manifest=pkg.manifest_of(info),
        verification=check,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    package.file.save(package.file_name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            package.save()
    except IntegrityError:
        package.file.delete(save=False)
        raise ValidationError({"year": "Số đến vừa được dùng cho hồ sơ khác; hãy gửi lại."}) from None
    unsigned = [f["name"] for f in check["files"] if f["name"].endswith(".pdf") and not f.get("signed")]
    audit.record_create(
        actor=actor,
        unit_id=unit.pk,
        obj=package,
        note=f"gửi hồ sơ điện tử năm {year} cho {city.full_name}, số đến {number}/{receipt_year}"
        + (f"; chưa ký số: {', '.join(unsigned)}" if unsigned else ""),
    )
    audit.record(
        actor=actor,
        unit_id=city.pk,
        action=AuditEvent.Action.TRANSITION,
        obj=package,
        note=f"nhận hồ sơ điện tử của {unit.full_name}, số đến {number}/{receipt_year}; "
        + ("kiểm tra: hợp lệ" if check["valid"] else f"kiểm tra: {len(check['warnings'])} cảnh báo"),
    )
    url = reverse("submissions:package", kwargs={"pk": package.pk})
    warned = "" if check["valid"] else f" — {len(check['warnings'])} cảnh báo"
    for reviewer in users_with_roles(city, [Role.CITY_REVIEWER]):
        notify_once(
            user=reviewer,
            dedupe_key=f"submissions.received:{package.pk}:{reviewer.pk}",
            title=f"Hồ sơ điện tử năm {year} của {unit.full_name}, số đến {number}/{receipt_year}{warned}",
            url=url,
            unit=city,
        )
    return package
