"""Trust roots (the system administrator's), a unit's signing settings (its administrator's), the
organisation certificate kept encrypted, and the same-document check of a copy signed elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from friendlygov.audit.models import AuditEvent
from friendlygov.signatures import keys, sameness, services
from friendlygov.signatures.models import OrganisationCertificate, TrustRoot
from tests.factories import World
from tests.signatures.app_pki import Pki, blank_pdf, sign_elsewhere


def test_admin_installs_lists_and_removes_a_root(world: World, app_pki: Pki, client_for: Any) -> None:
    client = client_for(world.users["admin"])
    url = reverse("signatures:trust_roots")
    response = client.post(
        url, {"name": "CA thử nghiệm", "file": SimpleUploadedFile("ca.cer", app_pki.ca_der)}
    )
    assert response.status_code == 302
    root = TrustRoot.objects.get()
    assert "CA thử nghiệm" in root.subject and len(root.fingerprint) == 64
    assert root.pem.startswith("-----BEGIN CERTIFICATE-----")
    html = client.get(url).content.decode()
    assert root.fingerprint in html
    assert AuditEvent.objects.filter(object_type="signatures.trustroot", action="create").exists()
    # the same root again, a leaf certificate, garbage: clear messages, nothing saved
    for data, message in (
        (app_pki.ca_pem, "Chứng thư gốc này đã được cài."),
        (app_pki.leaf_pem, "không phải chứng thư của tổ chức cấp (CA)"),
        (b"not a certificate", "Tệp không phải chứng thư số X.509"),
    ):
        response = client.post(url, {"file": SimpleUploadedFile("x.pem", data)})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert TrustRoot.objects.count() == 1
    assert client.post(reverse("signatures:trust_root_remove", args=[root.pk])).status_code == 302
    assert not TrustRoot.objects.exists()
    assert AuditEvent.objects.filter(object_type="signatures.trustroot", action="delete").exists()


def test_only_the_system_administrator_manages_roots(world: World, app_pki: Pki, client_for: Any) -> None:
    for name in ("unit_admin", "leader", "reviewer"):
        client = client_for(world.users[name])
        assert client.get(reverse("signatures:trust_roots")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_trust_root(actor=world.leader, data=app_pki.ca_pem)
    response = client_for(world.leader).get("/api/signatures/trust-roots")
    assert response.status_code == 403


def test_unit_admin_enables_methods_others_may_not(world: World, client_for: Any) -> None:
    url = reverse("signatures:unit_settings", args=[world.unit.slug])
    data = {"action": "settings", "pkcs12_enabled": "on", "upload_enabled": "on"}
    assert client_for(world.leader).post(f"{url}cach-ky/", data).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.users["unit_admin"]).post(f"{url}cach-ky/", data).status_code == 302
    conf = world.unit.signing_settings
    assert conf.pkcs12_enabled and conf.upload_enabled and not conf.pkcs11_enabled
    assert not conf.requires_digital_signature


def test_certificate_is_kept_encrypted_and_secrets_come_from_the_environment(
    world: World, app_pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = world.users["unit_admin"]

    def upload() -> OrganisationCertificate:
        return services.upload_organisation_certificate(
            actor=admin, unit=world.unit, data=app_pki.p12, passphrase_env="FRIENDLYGOV_P12_PASSWORD"
        )

    monkeypatch.delenv("FRIENDLYGOV_SIGNING_KEY", raising=False)
    monkeypatch.setenv("FRIENDLYGOV_P12_PASSWORD", "mat-khau-p12-thu-nghiem")
    with pytest.raises(ValidationError, match="FRIENDLYGOV_SIGNING_KEY"):
        upload()
    monkeypatch.setenv("FRIENDLYGOV_SIGNING_KEY", "khoa-ma-hoa-thu-nghiem")
    monkeypatch.setenv("FRIENDLYGOV_P12_PASSWORD", "sai-mat-khau")
    with pytest.raises(ValidationError, match="mật khẩu"):
        upload()
    monkeypatch.delenv("FRIENDLYGOV_P12_PASSWORD")
    with pytest.raises(ValidationError, match="FRIENDLYGOV_P12_PASSWORD"):
        upload()
    assert not OrganisationCertificate.objects.exists()
    monkeypatch.setenv("FRIENDLYGOV_P12_PASSWORD", "mat-khau-p12-thu-nghiem")
    cert = upload()
    stored = bytes(OrganisationCertificate.objects.get(pk=cert.pk).encrypted)
    assert app_pki.p12 not in stored and keys.decrypt(stored) == app_pki.p12
    assert "UBND xã Thanh Miện" in cert.subject
    with pytest.raises(PermissionDenied):
        services.upload_organisation_certificate(
            actor=world.leader, unit=world.unit, data=app_pki.p12, passphrase_env="FRIENDLYGOV_P12_PASSWORD"
        )


def test_same_document_check(app_pki: Pki) -> None:
    original = blank_pdf("Bản gốc")
    signed = sign_elsewhere(original, app_pki.p12)
    assert sameness.difference(original, signed) is None
    twice = sign_elsewhere(signed, app_pki.p12, field="ChuKy2")  # the person, then the body
    assert sameness.difference(original, twice) is None
    assert (
        sameness.difference(original, sign_elsewhere(blank_pdf("Văn bản khác"), app_pki.p12))
        == sameness.NOT_THE_SAME
    )
    altered = bytearray(signed)
    at = altered.find(b"595")
    altered[at : at + 3] = b"596"  # one byte of the original page changed
    assert sameness.difference(original, bytes(altered)) == sameness.NOT_THE_SAME
    assert sameness.difference(original, original + b"\n") == sameness.NO_SIGNATURE
    assert sameness.difference(original, b"PK not a pdf") == sameness.NOT_A_PDF


def test_content_added_with_the_signature_is_refused(app_pki: Pki) -> None:
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    original = blank_pdf("Bản gốc")
    writer = IncrementalPdfFileWriter(BytesIO(original))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT 100 700 Td (Sua) Tj ET"))
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    assert (
        sameness.difference(original, sign_elsewhere(out.getvalue(), app_pki.p12)) == sameness.CHANGED_AFTER
    )


def test_seal_and_signature_images(world: World, client_for: Any) -> None:
    from tests.signatures.pki import seal_png, signature_png

    url = reverse("signatures:unit_settings", args=[world.unit.slug])
    admin = client_for(world.users["unit_admin"])
    response = admin.post(
        f"{url}con-dau/", {"action": "seal", "seal_image": SimpleUploadedFile("dau.jpg", b"\xff\xd8\xff")}
    )
    assert response.status_code == 400 and "Ảnh phải là tệp PNG" in response.content.decode()
    assert (
        admin.post(
            f"{url}con-dau/", {"action": "seal", "seal_image": SimpleUploadedFile("dau.png", seal_png())}
        ).status_code
        == 302
    )
    assert world.unit.signing_settings.seal_image
    with pytest.raises(PermissionDenied):
        services.set_seal_image(actor=world.leader, unit=world.unit, data=seal_png())
    image = services.set_my_signature_image(actor=world.leader, data=signature_png())
    assert image.file.open("rb").read().startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(note="ảnh chữ ký dùng khi ký số", actor=world.leader).exists()
