"""The server's signing device (PKCS#11; SoftHSM2 here): configured in the settings and the environment,
nothing secret in the database; the document's signer signs with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from friendlygov.documents.models import IssuedDocument
from friendlygov.signatures import services
from friendlygov.signatures.models import DocumentSignature
from tests.factories import World
from tests.signatures import pki as shared_pki
from tests.signatures.conftest import needs_pades

pytestmark = [pytest.mark.django_db, needs_pades]


@pytest.mark.skipif(shared_pki.softhsm_available() is not None, reason=str(shared_pki.softhsm_available()))
def test_leader_signs_with_the_servers_token(
    world: World,
    letter: IssuedDocument,
    original: bytes,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ca = shared_pki.make_pki()
    env = shared_pki.softhsm_token(
        tmp_path,
        pki=ca,
        label="UBND-THANH-MIEN",
        pin="246810",
        key_label="to-chuc",
        common_name="UBND xã Thanh Miện",
        organisation="UBND xã Thanh Miện",
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.SIGNING_PKCS11 = {
        "library": shared_pki.SOFTHSM_LIB,
        "token_label": "UBND-THANH-MIEN",
        "key_label": "to-chuc",
        "pin_env": "FRIENDLYGOV_TEST_PKCS11_PIN",
    }
    services.add_trust_root(actor=world.users["admin"], data=ca.root_pem)
    services.update_signing_settings(
        actor=world.users["unit_admin"],
        unit=world.unit,
        pkcs11_enabled=True,
        pkcs12_enabled=False,
        upload_enabled=False,
        requires_digital_signature=False,
    )
    monkeypatch.delenv("FRIENDLYGOV_TEST_PKCS11_PIN", raising=False)
    with pytest.raises(ValidationError, match="FRIENDLYGOV_TEST_PKCS11_PIN"):
        services.sign_document(actor=world.leader, document=letter, method="pkcs11")
    monkeypatch.setenv("FRIENDLYGOV_TEST_PKCS11_PIN", "000000")
    with pytest.raises(ValidationError) as wrong:
        services.sign_document(actor=world.leader, document=letter, method="pkcs11")
    assert "PIN" in " ".join(wrong.value.messages)
    assert not DocumentSignature.objects.exists()
    monkeypatch.setenv("FRIENDLYGOV_TEST_PKCS11_PIN", "246810")
    sig = services.sign_document(actor=world.leader, document=letter, method="pkcs11")
    assert sig.is_good and sig.method == "pkcs11"
    assert sig.file.open("rb").read().startswith(original)
    # a method the administrator did not enable is refused
    with pytest.raises(ValidationError, match="chưa được quản trị đơn vị bật"):
        services.sign_document(actor=world.leader, document=letter, method="pkcs12")
