"""Signing issued documents and signing requests in the app: who may, what is kept, what pages show."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from friendlygov.audit.models import AuditEvent
from friendlygov.documents.models import IssuedDocument
from friendlygov.operations import services as operations
from friendlygov.operations.models import SignatureRequest
from friendlygov.org.models import Role
from friendlygov.signatures import selectors, services
from friendlygov.signatures.models import DocumentSignature, OriginalPdf, TrustRoot
from tests.factories import World, make_user
from tests.signatures.app_pki import Pki, blank_pdf, sign_elsewhere
from tests.signatures.conftest import needs_pades, signing_request

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
    assert (
        client.post(f"{_page(world, letter)}ky/", {"action": "sign", "method": "pkcs12"}).status_code == 404
    )
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
        response = client_for(user).post(f"{_page(world, letter)}ky/", {"action": "sign", "method": "pkcs12"})
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
    response = client_for(world.leader).post(
        f"{_page(world, letter)}ky/", {"action": "sign", "method": "pkcs12"}
    )
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
    setup_unit: World, letter: IssuedDocument, original: bytes, app_pki: Pki, client_for: Any
) -> None:
    world = setup_unit
    client = client_for(world.leader)
    signed = sign_elsewhere(original, app_pki.p12)
    altered = bytearray(signed)
    at = altered.find(b"595")
    altered[at : at + 3] = b"596"
    for data in (bytes(altered), sign_elsewhere(blank_pdf("khác"), app_pki.p12)):
        response = client.post(
            f"{_page(world, letter)}tai-len/",
            {"action": "upload", "file": SimpleUploadedFile("da-ky.pdf", data)},
        )
        assert response.status_code == 400
        assert "không phải bản đã ký của văn bản này" in response.content.decode()
    assert not DocumentSignature.objects.exists()
    assert AuditEvent.objects.filter(note__startswith="từ chối tệp đã ký tải lên").count() == 2
    response = client.post(
        f"{_page(world, letter)}tai-len/",
        {"action": "upload", "file": SimpleUploadedFile("da-ky.pdf", signed)},
    )
    assert response.status_code == 302
    sig = DocumentSignature.objects.get()
    assert sig.method == "upload" and sig.is_good


def test_unit_requiring_digital_signature_refuses_paper_signed(setup_unit: World, app_pki: Pki) -> None:
    world = setup_unit
    pdf = blank_pdf("Tờ trình")
    request = signing_request(world, title="Tờ trình đề nghị", pdf=pdf)
    with pytest.raises(ValidationError, match="chữ ký số"):
        operations.decide_signature(
            actor=world.leader, request=request, decision="signed", expected_version=None
        )
    if not _pades_filled():
        return
    # the leader's good digital signature is the signing: the request is recorded «Đã ký» with it
    services.upload_signed_request(actor=world.leader, request=request, data=sign_elsewhere(pdf, app_pki.p12))
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.SIGNED
    assert request.decided_by == world.leader and request.signed_on is not None


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


@needs_pades
def test_the_api_signs_and_reports_the_state(
    setup_unit: World, letter: IssuedDocument, original: bytes, app_pki: Pki, client_for: Any
) -> None:
    world = setup_unit
    url = f"/api/signatures/documents/{letter.pk}"
    state = client_for(world.reviewer).get(url).json()
    assert state["state"] == "unsigned" and not state["may_sign"]
    assert (
        client_for(world.reviewer)
        .post(f"{url}/sign", {"method": "pkcs12"}, content_type="application/json")
        .status_code
        == 403
    )
    leader = client_for(world.leader)
    assert leader.get(url).json()["methods"] == ["pkcs12", "upload"]
    response = leader.post(f"{url}/sign", {"method": "pkcs12"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["trusted"]
    response = leader.post(f"{url}/signed", {"file": SimpleUploadedFile("x.pdf", original + b"\n")})
    assert response.status_code == 422 and "chữ ký số" in str(response.json()["detail"])
    state = client_for(world.reviewer).get(url).json()
    assert state["state"] == "good" and state["label"] == "đã ký số — hợp lệ"
    sig = state["signatures"][0]
    assert client_for(world.reviewer).get(f"/api/signatures/signatures/{sig['id']}/file").status_code == 200
    assert client_for(world.outsider).get(f"/api/signatures/signatures/{sig['id']}/file").status_code == 404
    assert (
        client_for(world.outsider).post(f"/api/signatures/signatures/{sig['id']}/verify").status_code == 404
    )


@needs_pades
def test_signing_request_page_keeps_a_signed_copy_and_records_it_signed(
    setup_unit: World, app_pki: Pki, client_for: Any
) -> None:
    world = setup_unit
    pdf = blank_pdf("Tờ trình trang")
    item = signing_request(world, title="Tờ trình", pdf=pdf)
    url = reverse("signatures:request", args=[world.unit.slug, item.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    assert (
        client_for(world.coordinator).post(f"{url}ky/", {"action": "sign", "method": "pkcs12"}).status_code
        == 403
    )
    leader = client_for(world.leader)
    detail = reverse("operations:signature_detail", args=[world.unit.slug, item.pk])
    assert "chưa ký" in leader.get(detail).content.decode()
    response = leader.post(
        f"{url}tai-len/",
        {"action": "upload", "file": SimpleUploadedFile("x.pdf", sign_elsewhere(pdf, app_pki.p12))},
    )
    assert response.status_code == 302
    assert "Văn bản trình ký được ghi «Đã ký»." in leader.get(url).content.decode()
    assert "đã ký số — hợp lệ" in leader.get(detail).content.decode()
    item.refresh_from_db()
    assert item.status == SignatureRequest.Status.SIGNED
    with pytest.raises(ValidationError, match="chờ ký"):  # nothing left to decide by hand
        operations.decide_signature(
            actor=world.leader, request=item, decision="signed", expected_version=None
        )


@pytest.mark.parametrize(
    ("intact", "valid", "trusted", "code", "label"),
    [
        (True, True, True, "good", "đã ký số — hợp lệ"),
        (True, True, False, "untrusted", "đã ký số — chưa tin cậy"),
        (True, False, False, "bad", "đã ký số — không hợp lệ"),
        (False, True, True, "bad", "đã ký số — không hợp lệ"),
    ],
)
def test_the_state_says_what_the_table_of_signatures_says(
    intact: bool, valid: bool, trusted: bool, code: str, label: str
) -> None:
    """A signature intact and valid whose certificate is not traced to an installed root is "not trusted
    yet" in the summary, as in the table beside it — never "không hợp lệ"."""
    state = selectors.state_of(DocumentSignature(intact=intact, valid=valid, trusted=trusted))
    assert (state.code, state.label) == (code, label)
    assert (state.problem == "") == (code == "good")


def test_a_signature_not_traced_to_an_installed_root_leaves_the_request_waiting(
    setup_unit: World, app_pki: Pki
) -> None:
    """Only a good signature records the request «Đã ký»: with the root removed, the same signature is
    kept (intact, valid, not trusted) and the request still waits for the leader's decision."""
    if not _pades_filled():
        pytest.skip("needs pyHanko (the real PAdES checks)")
    world = setup_unit
    TrustRoot.objects.all().delete()
    pdf = blank_pdf("Tờ trình chưa tin cậy")
    request = signing_request(world, title="Tờ trình chưa tin cậy", pdf=pdf)
    sig = services.upload_signed_request(
        actor=world.leader, request=request, data=sign_elsewhere(pdf, app_pki.p12)
    )
    assert (sig.intact, sig.valid, sig.trusted) == (True, True, False)
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.WAITING
