"""The electronic submission in the app: a commune sends its yearly dossier to the city as one package."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from friendlygov.assessments import services as assessments
from friendlygov.audit.models import AuditEvent
from friendlygov.cli import main
from friendlygov.documents import pdf
from friendlygov.documents import services as documents
from friendlygov.notifications.models import Notification
from friendlygov.signatures import package as pkg
from friendlygov.submissions import services
from friendlygov.submissions.models import SubmissionPackage
from tests.documents.data import make_cycle, make_plan

from .fake_pades import fake_pades, verify_pdf  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pades")]


def _evidence_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EVIDENCE = _evidence_pdf()


def fake_docx_to_pdf(data: bytes, timeout: float = 0) -> bytes:
    return b"%PDF-1.7\n% converted from " + pkg.sha256(data).encode() + b"\n%%EOF\n"


@pytest.fixture
def dossier(world: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(pdf, "docx_to_pdf", fake_docx_to_pdf)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False):
        make_plan(world)
        cycle = make_cycle(world, 2026, until="scored")
        leaf = next(iter(cycle.entries.values_list("criterion_code", flat=True)))
        assessments.attach_evidence(
            actor=world.coordinator,
            cycle=cycle,
            criterion_code=leaf,
            upload=SimpleUploadedFile("bien-ban.pdf", EVIDENCE, content_type="application/pdf"),
            effective_date=dt.date(2026, 10, 1),
            title="Biên bản kiểm tra",
        )
        assessments.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
        for number, kind in enumerate(("registration", "self-assessment", "submission"), start=20):
            documents.render_document(
                actor=world.coordinator,
                unit=world.unit,
                kind=kind,
                year=2026,
                number=number,
                issued_on=dt.date(2026, 11, 20),
            )
    return world


def send(world: Any, when: dt.datetime) -> SubmissionPackage:
    with time_machine.travel(when, tick=False):
        return services.send_package(actor=world.leader, unit=world.unit, year=2026)


def members(package: SubmissionPackage) -> dict[str, bytes]:
    with package.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_dossier_goes_as_one_package_with_a_receipt_number(dossier: Any) -> None:
    package = send(dossier, dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    assert package.city == dossier.city and package.receipt_number == 1 and package.receipt_year == 2026
    files = members(package)
    assert sorted(files) == [
        "01-cong-van-dang-ky.pdf",
        "02-bao-cao-tu-danh-gia.pdf",
        "03-bang-cham-diem.xlsx",
        "04-danh-muc-minh-chung.csv",
        "05-to-trinh.pdf",
        "manifest.json",
    ]
    manifest = json.loads(files["manifest.json"])
    assert manifest["unit_code"] == dossier.unit.slug and manifest["year"] == 2026
    assert manifest["created_at"] == "2026-11-21T09:00:00+07:00"
    assert (
        manifest["receipt"]["number"] == 1
        and manifest["receipt"]["received_at"] == "2026-11-21T09:00:00+07:00"
    )
    assert [f["signed"] for f in manifest["files"]] == [False, False, False, False, False]
    assert manifest["evidence"][0]["sha256"] == pkg.sha256(EVIDENCE)
    assert pkg.sha256(EVIDENCE) in files["04-danh-muc-minh-chung.csv"].decode("utf-8-sig")
    assert files["03-bang-cham-diem.xlsx"].startswith(b"PK")
    # no signed PDF kept yet: the city is warned of each unsigned document
    assert package.verification["manifest_ok"] is True and package.verification["valid"] is False
    assert "05-to-trinh.pdf: chưa ký số." in package.verification["warnings"]
    notes = list(
        AuditEvent.objects.filter(object_type="submissions.submissionpackage").values_list("unit_id", "note")
    )
    assert {unit_id for unit_id, _ in notes} == {dossier.unit.pk, dossier.city.pk}
    assert any("số đến 1/2026" in note and "chưa ký số" in note for _, note in notes)
    notice = Notification.objects.get(user=dossier.reviewer, dedupe_key__startswith="submissions.")
    assert "số đến 1/2026" in notice.title and notice.url == reverse("submissions:package", args=[package.pk])


def test_receipt_numbers_run_per_city_and_year_in_vietnam_time(dossier: Any) -> None:
    first = send(dossier, dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
    second = send(dossier, dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC))  # 23:30 in Hanoi
    third = send(dossier, dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC))  # 00:30 on 1 January in Hanoi
    assert [(p.receipt_number, p.receipt_year) for p in (first, second, third)] == [
        (1, 2026),
        (2, 2026),
        (1, 2027),
    ]


def test_only_the_communes_leader_sends_and_only_when_ready(dossier: Any, world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.send_package(actor=world.coordinator, unit=world.unit, year=2026)
    with pytest.raises(Exception) as other:  # noqa: PT011 - 404 (Http404) for another commune
        services.send_package(actor=world.outsider, unit=world.unit, year=2026)
    assert other.type.__name__ == "Http404"
    with pytest.raises(ValidationError, match="không có kỳ đánh giá năm 2025"):
        services.send_package(actor=world.leader, unit=world.unit, year=2025)
    assert not SubmissionPackage.objects.exists()


def test_missing_documents_are_named(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False):
        make_plan(world)
        make_cycle(world, 2026, until="submitted")
        with pytest.raises(ValidationError) as error:
            services.send_package(actor=world.leader, unit=world.unit, year=2026)
    text = " ".join(error.value.messages)
    assert "Công văn đăng ký mức đạt chuẩn" in text and "Tờ trình đề nghị công nhận" in text
    assert not SubmissionPackage.objects.exists()


def test_pages_permissions_and_the_download_verifies_offline(
    dossier: Any, client_for: Any, tmp_path: Path, capsys: Any
) -> None:
    client = client_for(dossier.leader)
    page = client.get(reverse("submissions:unit_packages", args=[dossier.unit.slug]))
    assert page.status_code == 200 and "Gửi hồ sơ điện tử cho thành phố" in page.content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC), tick=False):
        sent = client.post(reverse("submissions:unit_packages", args=[dossier.unit.slug]), {"year": "2026"})
    package = SubmissionPackage.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("submissions:package", args=[package.pk])

    home = client.get(reverse("unit_home", args=[dossier.unit.slug])).content.decode()
    assert reverse("submissions:package", args=[package.pk]) not in home and "số đến 1/2026" in home
    reviewer = client_for(dossier.reviewer)
    city_home = reviewer.get(reverse("city_home", args=[dossier.city.slug])).content.decode()
    assert reverse("submissions:package", args=[package.pk]) in city_home
    listing = reviewer.get(reverse("submissions:city_packages", args=[dossier.city.slug])).content.decode()
    assert "1/2026" in listing and dossier.unit.full_name in listing
    detail = reviewer.get(reverse("submissions:package", args=[package.pk])).content.decode()
    assert "chưa ký số" in detail and 'id="canh-bao"' in detail
    download = reviewer.get(reverse("submissions:package_file", args=[package.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    path = tmp_path / package.file_name
    path.write_bytes(download.content)
    assert main(["documents", "verify-package", str(path)]) == 1  # unsigned documents: not valid
    out = json.loads(capsys.readouterr().out)
    assert out["manifest_ok"] is True and out["valid"] is False

    outsider = client_for(dossier.outsider)
    assert outsider.get(reverse("submissions:package", args=[package.pk])).status_code == 404
    assert outsider.get(reverse("submissions:package_file", args=[package.pk])).status_code == 404
    assert outsider.get(reverse("submissions:unit_packages", args=[dossier.unit.slug])).status_code == 404
    assert (
        outsider.post(
            reverse("submissions:unit_packages", args=[dossier.unit.slug]), {"year": "2026"}
        ).status_code
        == 404
    )
    assert outsider.get(f"/api/submissions/packages/{package.pk}").status_code == 404
    assert outsider.get(f"/api/submissions/cities/{dossier.city.slug}/packages").status_code in (403, 404)
    assert SubmissionPackage.objects.count() == 1


def test_a_tampered_stored_package_is_flagged(dossier: Any, client_for: Any) -> None:
    package = send(dossier, dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    files = members(package)
    files["01-cong-van-dang-ky.pdf"] += b"% changed"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with package.file.open("wb") as handle:
        handle.write(out.getvalue())
    detail = client_for(dossier.reviewer).get(f"/api/submissions/packages/{package.pk}").json()
    assert detail["stored_intact"] is False
    assert detail["check"]["manifest_ok"] is False
    assert any("01-cong-van-dang-ky.pdf" in w for w in detail["check"]["warnings"])


def test_the_api_sends_and_lists(dossier: Any, client_for: Any) -> None:
    client = client_for(dossier.leader)
    with time_machine.travel(dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            f"/api/submissions/units/{dossier.unit.slug}/packages",
            {"year": 2026},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receipt_number"] == 1 and body["received_at"] == "2026-11-21T09:00:00+07:00"
    assert body["valid_on_receipt"] is False
    listed = client_for(dossier.reviewer).get(f"/api/submissions/cities/{dossier.city.slug}/packages").json()
    assert [p["id"] for p in listed] == [body["id"]]
    wrong = client_for(dossier.leader).post(
        f"/api/submissions/units/{dossier.unit.slug}/packages",
        {"year": 2031},
        content_type="application/json",
    )
    assert wrong.status_code == 422


def test_a_signed_document_goes_signed(dossier: Any) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from friendlygov.documents.models import IssuedDocument
    from friendlygov.signatures.models import DocumentSignature

    from .fake_pades import pdf as fake_pdf
    from .fake_pades import signed

    letter = IssuedDocument.objects.get(unit=dossier.unit, kind="registration")
    data = signed(fake_pdf("công văn đã ký"))
    signature = DocumentSignature(
        unit=dossier.unit,
        document=letter,
        method=DocumentSignature.Method.UPLOAD,
        signed_by=dossier.leader,
        signer_name="Leader",
        signed_at=timezone.now(),
        file_name="cong-van-da-ky.pdf",
        size=len(data),
        sha256=pkg.sha256(data),
        verified_at=timezone.now(),
    )
    signature.file.save("x.pdf", ContentFile(data), save=False)
    signature.save()
    package = send(dossier, dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    assert members(package)["01-cong-van-dang-ky.pdf"] == data
    by_name = {f["name"]: f for f in package.verification["files"]}
    assert package.manifest["files"][0]["signed"] is True
    assert (
        by_name["01-cong-van-dang-ky.pdf"]["valid"] is True and by_name["01-cong-van-dang-ky.pdf"]["signed"]
    )
    assert "01-cong-van-dang-ky.pdf: chưa ký số." not in package.verification["warnings"]
    assert "02-bao-cao-tu-danh-gia.pdf: chưa ký số." in package.verification["warnings"]


def test_a_stored_package_that_no_longer_reads_is_flagged(dossier: Any, client_for: Any) -> None:
    package = send(dossier, dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    with package.file.open("wb") as handle:
        handle.write(b"not a zip any more")
    page = client_for(dossier.reviewer).get(reverse("submissions:package", args=[package.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="tep-luu-bi-doi"' in text and "gói hồ sơ điện tử" in text
