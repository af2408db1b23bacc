"""Signing issued documents and signing requests in the app: who may, what is kept, what pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from friendlygov.audit.models import AuditEvent
from friendlygov.documents.models import IssuedDocument
from friendlygov.evidence.models import EvidenceFile
from friendlygov.operations import services as operations
from friendlygov.operations.models import SignatureRequest
from friendlygov.org.models import Role
from friendlygov.signatures import services
from friendlygov.signatures.models import DocumentSignature, OriginalPdf
from tests.factories import World, make_user
from tests.signatures.app_pki import Pki, blank_pdf, sign_elsewhere
from tests.signatures.conftest import needs_pades

pytestmark = pytest.mark.django_db


def _page(world: World, letter: IssuedDocument) -> str:
    return reverse("signatures:document", args=[world.unit.slug, letter.pk])


def test_outsider_gets_404_everywhere(setup_unit: World, letter: IssuedDocument, client_for: Any) -> None:
    world = setup_unit
    client = client_for(world.outsider)
    slug = world.unit.slug
    for url in (
        _page(world, letter),
        reverse("signatures:original_pdf", args=[slug, letter.pk]),
        reverse("signatures:unit_settings", args=[slug]),
        f"/api/signatures/documents/{letter.pk}",
        f"/api/signatures/documents/{letter.pk}/original.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_page(world, letter), {"action": "sign", "method": "pkcs12"}).status_code == 404
    assert (
        client.post(
            f"/api/signatures/documents/{letter.pk}/sign",
            {"method": "pkcs12"},
            content_type="application/json",
        ).status_code
        == 404
    )
    # the other commune's own page does not show our document either
    assert client.get(reverse("signatures:document", args=[world.other.slug, letter.pk])).status_code == 404


def test_a_colleague_who_is_not_the_signer_is_refused(
    setup_unit: World, letter: IssuedDocument, client_for: Any
) -> None:
    world = setup_unit
    deputy = make_user("pho_chu_tich", Role.UNIT_LEADER, world.unit)  # a leader, but not the one named
    for user in (deputy, world.coordinator, world.users["unit_admin"]):
        response = client_for(user).post(_page(world, letter), {"action": "sign", "method": "pkcs12"})
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.sign_document(actor=user, document=letter, method="pkcs12")
        with pytest.raises(PermissionDenied):
            services.upload_signed_document(actor=user, document=letter, data=b"%PDF")
    assert not DocumentSignature.objects.exists()


def test_page_without_signature_says_not_signed(
    setup_unit: World, letter: IssuedDocument, client_for: Any
) -> None:
    world = setup_unit
    html = (
        client_for(world.reviewer)
        .get(reverse("documents:unit_documents", args=[world.unit.slug]))
        .content.decode()
    )
    assert "chưa ký" in html
    html = client_for(world.leader).get(_page(world, letter)).content.decode()
    assert "chưa ký" in html and 'id="ky-so"' in html and 'id="tai-len-ban-da-ky"' in html
    html = client_for(world.coordinator).get(_page(world, letter)).content.decode()
    assert 'id="ky-so"' not in html


def test_the_original_pdf_is_made_once_and_kept(
    setup_unit: World, letter: IssuedDocument, original: bytes, client_for: Any
) -> None:
    client = client_for(setup_unit.reviewer)
    url = reverse("signatures:original_pdf", args=[setup_unit.unit.slug, letter.pk])
    assert b"".join(client.get(url).streaming_content) == original
    assert b"".join(client.get(url).streaming_content) == original
    assert OriginalPdf.objects.count() == 1


@needs_pades
def test_leader_signs_with_the_organisation_certificate(
    setup_unit: World, letter: IssuedDocument, original: bytes, client_for: Any
) -> None:
    world = setup_unit
    response = client_for(world.leader).post(_page(world, letter), {"action": "sign", "method": "pkcs12"})
    assert response.status_code == 302, response.content.decode()[:2000]
    sig = DocumentSignature.objects.get()
    assert sig.is_good and sig.method == "pkcs12" and sig.signed_by == world.leader
    data = sig.file.open("rb").read()
    assert data.startswith(original) and len(sig.sha256) == 64
    assert AuditEvent.objects.filter(object_type="signatures.documentsignature", action="create").exists()
    # the city reviewer sees it on the commune's documents page, with who and when
    html = (
        client_for(world.reviewer)
        .get(reverse("documents:unit_documents", args=[world.unit.slug]))
        .content.decode()
    )
    assert "đã ký số — hợp lệ" in html and "Leader" in html
    download = client_for(world.reviewer).get(
        reverse("signatures:signed_file", args=[world.unit.slug, sig.pk])
    )
    assert b"".join(download.streaming_content) == data
    # verify again once the root is removed: no longer trusted
    services.remove_trust_root(actor=world.users["admin"], root=services.TrustRoot.objects.get())
    services.verify_again(actor=world.reviewer, signature=sig)
    sig.refresh_from_db()
    assert sig.intact and sig.valid and not sig.trusted
    assert AuditEvent.objects.filter(note="kiểm tra lại chữ ký số").exists()


@needs_pades
def test_a_copy_signed_elsewhere_is_kept_an_altered_one_refused(
    setup_unit: World, letter: IssuedDocument, original: bytes, pki: Pki, client_for: Any
) -> None:
    world = setup_unit
    client = client_for(world.leader)
    signed = sign_elsewhere(original, pki.p12)
    altered = bytearray(signed)
    at = altered.find(b"595")
    altered[at : at + 3] = b"596"
    for data in (bytes(altered), sign_elsewhere(blank_pdf("khác"), pki.p12)):
        response = client.post(
            _page(world, letter), {"action": "upload", "file": SimpleUploadedFile("da-ky.pdf", data)}
        )
        assert response.status_code == 400
        assert "không phải bản đã ký của văn bản này" in response.content.decode()
    assert not DocumentSignature.objects.exists()
    assert AuditEvent.objects.filter(note__startswith="từ chối tệp đã ký tải lên").count() == 2
    response = client.post(
        _page(world, letter), {"action": "upload", "file": SimpleUploadedFile("da-ky.pdf", signed)}
    )
    assert response.status_code == 302
    sig = DocumentSignature.objects.get()
    assert sig.method == "upload" and sig.is_good


def test_unit_requiring_digital_signature_refuses_paper_signed(setup_unit: World, pki: Pki) -> None:
    world = setup_unit
    pdf = blank_pdf("Tờ trình")
    evidence = EvidenceFile(
        unit=world.unit,
        original_name="to-trinh.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256="0" * 64,
        effective_date=dt.date(2026, 3, 2),
        uploaded_by=world.coordinator,
    )
    evidence.file.save("to-trinh.pdf", ContentFile(pdf), save=False)
    evidence.save()
    request = SignatureRequest.objects.create(
        unit=world.unit,
        title="Tờ trình đề nghị",
        document_kind="submission",
        file=evidence,
        requested_by=world.coordinator,
    )
    with pytest.raises(ValidationError, match="chữ ký số"):
        operations.decide_signature(
            actor=world.leader, request=request, decision="signed", expected_version=None
        )
    if not _pades_filled():
        return
    services.upload_signed_request(actor=world.leader, request=request, data=sign_elsewhere(pdf, pki.p12))
    operations.decide_signature(actor=world.leader, request=request, decision="signed", expected_version=None)
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.SIGNED


def _pades_filled() -> bool:
    from tests.signatures.conftest import real_pades

    return real_pades()


def test_paper_path_kept_where_not_required(world: World) -> None:
    request = SignatureRequest.objects.create(
        unit=world.unit,
        title="Kế hoạch",
        document_kind="plan",
        link="https://example.vn/kh",
        requested_by=world.coordinator,
    )
    operations.decide_signature(actor=world.leader, request=request, decision="signed", expected_version=None)
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.SIGNED
