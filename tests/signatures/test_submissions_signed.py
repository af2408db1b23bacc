"""The electronic submission with real signatures: the app's trust roots decide "trusted"; a package the city
received verifies offline with the same roots."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from friendlygov.cli import main
from friendlygov.documents.models import IssuedDocument
from friendlygov.signatures import package as pkg
from friendlygov.signatures import services as signatures
from friendlygov.signatures.models import DocumentSignature

from . import test_submissions
from .package_keys import Keys, blank_pdf, make_keys, needs_pades, sign

dossier = test_submissions.dossier  # the fixture, used by name
send = test_submissions.send

pytestmark = [pytest.mark.django_db, needs_pades]


@pytest.fixture(scope="module")
def keys() -> Keys:
    return make_keys()


def keep_signed(world: Any, kind: str, data: bytes) -> None:
    document = IssuedDocument.objects.get(unit=world.unit, kind=kind)
    signature = DocumentSignature(
        unit=world.unit,
        document=document,
        method=DocumentSignature.Method.PKCS12,
        signed_by=world.leader,
        signer_name="Leader",
        signed_at=timezone.now(),
        file_name=f"{kind}.pdf",
        size=len(data),
        sha256=pkg.sha256(data),
        verified_at=timezone.now(),
    )
    signature.file.save("x.pdf", ContentFile(data), save=False)
    signature.save()


def test_signed_dossier_is_trusted_against_the_installed_roots_only(
    dossier: Any, keys: Keys, client_for: Any, tmp_path: Path, capsys: Any
) -> None:
    for kind in ("registration", "self_assessment", "submission"):
        keep_signed(dossier, kind, sign(blank_pdf(kind), keys))
    untrusted = send(dossier, dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
    first = untrusted.verification["files"][0]["signatures"][0]
    assert first["intact"] and first["valid"] and not first["trusted"]  # no root installed yet
    assert untrusted.verification["manifest_ok"] is True and untrusted.verification["warnings"] == []

    signatures.add_trust_root(actor=dossier.users["admin"], data=keys.ca_pem, name="CA thử nghiệm")
    trusted = send(dossier, dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC))
    assert trusted.receipt_number == 2
    assert trusted.verification["valid"] is True
    assert all(s["trusted"] for f in trusted.verification["files"] for s in f["signatures"])
    assert [f["signed"] for f in trusted.manifest["files"]] == [True, True, False, False, True]

    page = (
        client_for(dossier.reviewer).get(reverse("submissions:package", args=[trusted.pk])).content.decode()
    )
    assert 'id="hop-le"' in page and "đã ký số — hợp lệ" in page

    path = tmp_path / trusted.file_name
    path.write_bytes(members_zip(trusted))
    ca = tmp_path / "ca.pem"
    ca.write_bytes(keys.ca_pem)
    assert main(["documents", "verify-package", str(path), "--trust", str(ca)]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(make_keys("CA lạ").ca_pem)
    assert main(["documents", "verify-package", str(path), "--trust", str(stranger)]) == 1
    capsys.readouterr()


def members_zip(package: Any) -> bytes:
    with package.file.open("rb") as handle:
        return bytes(handle.read())
