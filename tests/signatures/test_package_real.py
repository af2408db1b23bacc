"""The submission package checked with real PAdES signatures (pyHanko; a CA and a PKCS#12 made in the test)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from friendlygov.cli import main
from friendlygov.signatures import package
from friendlygov.signatures.package import PackageFile, PackageInfo
from tests.signatures.conftest import needs_pades
from tests.signatures.pki import Pki, blank_pdf, make_pki, sign_elsewhere

pytestmark = needs_pades


def build(pki: Pki, letter: bytes) -> bytes:
    return package.build_package(
        PackageInfo(
            unit_code="thanh-mien",
            unit_name="Xã Thanh Miện",
            year=2026,
            created_at=dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC),
            files=[
                PackageFile("01-cong-van-dang-ky.pdf", "registration", "Công văn đăng ký", letter, True),
                PackageFile(
                    "05-to-trinh.pdf",
                    "submission",
                    "Tờ trình",
                    sign_elsewhere(blank_pdf("Tờ trình"), pki.p12),
                    True,
                ),
            ],
        )
    )


def test_signed_files_verify_and_trust_is_checked(pki: Pki) -> None:
    data = build(pki, sign_elsewhere(blank_pdf("Công văn"), pki.p12))
    result = package.verify_package(data, trust_roots=[pki.ca_pem])
    assert result["manifest_ok"] is True and result["valid"] is True, result["warnings"]
    first = result["files"][0]["signatures"][0]
    assert first["intact"] and first["valid"] and first["trusted"]
    stranger = make_pki("Người lạ")
    untrusted = package.verify_package(data, trust_roots=[stranger.ca_pem])
    assert untrusted["manifest_ok"] is True and untrusted["valid"] is False


def test_a_signed_file_changed_and_its_manifest_rewritten_is_still_caught(
    pki: Pki, tmp_path: Path, capsys: Any
) -> None:
    letter = bytearray(sign_elsewhere(blank_pdf("Công văn"), pki.p12))
    at = letter.index(b"/MediaBox")  # inside the signed range
    letter[at + 1 : at + 2] = b"m"
    data = build(pki, bytes(letter))  # the manifest made from the changed bytes: only the signature tells
    result = package.verify_package(data, trust_roots=[pki.ca_pem])
    assert result["manifest_ok"] is True and result["valid"] is False
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca_pem)
    assert main(["documents", "verify-package", str(path), "--trust", str(ca)]) == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_command_accepts_a_sound_signed_package(pki: Pki, tmp_path: Path, capsys: Any) -> None:
    data = build(pki, sign_elsewhere(blank_pdf("Công văn"), pki.p12))
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca_pem)
    assert main(["documents", "verify-package", str(path), "--trust", str(ca)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True and len(out["files"]) == 2
    # a byte changed in a file after the package was made: the manifest no longer matches, exit 1
    archive = zipfile.ZipFile(io.BytesIO(data))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as target:
        for name in archive.namelist():
            content = archive.read(name)
            target.writestr(name, content + b"\n" if name == "05-to-trinh.pdf" else content)
    path.write_bytes(changed.getvalue())
    assert main(["documents", "verify-package", str(path), "--trust", str(ca)]) == 1
    assert json.loads(capsys.readouterr().out)["manifest_ok"] is False
