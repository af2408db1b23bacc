from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile

from friendlygov.documents import pdf
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.evidence.models import EvidenceFile
from friendlygov.operations.models import SignatureRequest
from friendlygov.signatures import pades
from tests.factories import World
from tests.signatures.app_pki import P12_PASSWORD, blank_pdf
from tests.signatures.app_pki import Pki as AppPki
from tests.signatures.app_pki import make_pki as make_app_pki

from .pki import SOFTHSM_LIB, Pki, make_pki, softhsm_available, softhsm_token

BODY = "Ủy ban nhân dân xã Thanh Miện"


@pytest.fixture(scope="session")
def pki() -> Pki:
    """A small CA (root → signers with O and CN), made once for the run."""
    return make_pki()


@pytest.fixture(scope="session")
def token(pki: Pki, tmp_path_factory: Any) -> Any:
    """A SoftHSM2 token holding the body's key and certificate (one per run: the PKCS#11 module is loaded
    once per process and reads SOFTHSM2_CONF when it starts); skipped without SoftHSM2."""
    from friendlygov.signatures.pades import Pkcs11Key

    reason = softhsm_available()
    if reason:
        pytest.skip(reason)
    softhsm_token(
        tmp_path_factory.mktemp("softhsm"),
        pki=pki,
        label="UBND-ThanhMien",
        pin="246810",
        key_label="con-dau",
        common_name=BODY,
        organisation=BODY,
    )
    return Pkcs11Key(SOFTHSM_LIB, "UBND-ThanhMien", "246810", "con-dau")


# ------------------------------------------------------------------ the app's tests (s-app)

_PKI: list[AppPki] = []


@pytest.fixture
def app_pki() -> AppPki:
    if not _PKI:  # RSA keys take a moment: one PKI for the whole run
        _PKI.append(make_app_pki())
    return _PKI[0]


@pytest.fixture
def signing_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRIENDLYGOV_SIGNING_KEY", "khoa-ma-hoa-thu-nghiem-0123456789")
    monkeypatch.setenv("FRIENDLYGOV_P12_PASSWORD", P12_PASSWORD)


@pytest.fixture
def original(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The PDF the issued document converts to (LibreOffice is not run in these tests)."""
    data = blank_pdf("Công văn đăng ký")
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda content, timeout=60: data)
    return data


@pytest.fixture
def letter(world: World, original: bytes) -> IssuedDocument:
    """The registration letter the commune issued, to be signed by its leader ("Leader")."""
    document = IssuedDocument(
        unit=world.unit,
        kind=Kind.REGISTRATION,
        year=2026,
        number=3,
        symbol="CV-UBND",
        issued_on=dt.date(2026, 3, 2),
        subject="Về việc đăng ký mức đạt chuẩn Chính quyền thân thiện năm 2026",
        signer_title="CHỦ TỊCH",
        signer_name="Leader",
        file_name="cong-van-dang-ky-2026.docx",
        created_by=world.leader,
    )
    document.file.save("x.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    document.save()
    return document


def signing_request(world: World, *, title: str, pdf: bytes) -> SignatureRequest:
    """A submission put to the commune's leader for signing, its file the given PDF."""
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
    return SignatureRequest.objects.create(
        unit=world.unit,
        title=title,
        document_kind="submission",
        file=evidence,
        requested_by=world.coordinator,
    )


def real_pades() -> bool:
    try:
        pades.verify_pdf(blank_pdf())
    except NotImplementedError:
        return False
    return True


needs_pades = pytest.mark.skipif(not real_pades(), reason="pades.py not filled yet (branch s-pades)")


@pytest.fixture
def setup_unit(world: World, app_pki: AppPki, signing_env: None) -> Any:
    from friendlygov.signatures import services

    services.add_trust_root(actor=world.users["admin"], data=app_pki.ca_pem, name="CA thử nghiệm")
    services.update_signing_settings(
        actor=world.users["unit_admin"],
        unit=world.unit,
        pkcs11_enabled=False,
        pkcs12_enabled=True,
        upload_enabled=True,
        requires_digital_signature=True,
    )
    services.upload_organisation_certificate(
        actor=world.users["unit_admin"],
        unit=world.unit,
        data=app_pki.p12,
        passphrase_env="FRIENDLYGOV_P12_PASSWORD",
    )
    return world
