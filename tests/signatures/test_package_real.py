"""The submission package checked with real PAdES signatures (pyHanko; a CA and a PKCS#12 made in the test)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from friendlygov.cli import main
from friendlygov.signatures import package
from friendlygov.signatures.package import PackageFile, PackageInfo
from tests.signatures.package_keys import Keys, blank_pdf, make_keys, needs_pades, sign

pytestmark = needs_pades
_KEYS: list[Keys] = []


@pytest.fixture
def keys() -> Keys:
    if not _KEYS:  # RSA keys take a moment: made once for the module
        _KEYS.append(make_keys())
    return _KEYS[0]


def build(keys: Keys, letter: bytes) -> bytes:
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
                    sign(blank_pdf("Tờ trình"), keys),
                    True,
                ),
            ],
        )
    )


def test_signed_files_verify_and_trust_is_checked(keys: Keys) -> None:
    data = build(keys, sign(blank_pdf("Công văn"), keys))
    result = package.verify_package(data, trust_roots=[keys.ca_pem])
    assert result["manifest_ok"] is True and result["valid"] is True, result["warnings"]
    first = result["files"][0]["signatures"][0]
    assert first["intact"] and first["valid"] and first["trusted"]
    stranger = make_keys("CA lạ")
    untrusted = package.verify_package(data, trust_roots=[stranger.ca_pem])
    assert untrusted["manifest_ok"] is True and untrusted["valid"] is False


def test_a_signed_file_changed_and_its_manifest_rewritten_is_still_caught(
    keys: Keys, tmp_path: Path, capsys: Any
) -> None:
    letter = bytearray(sign(blank_pdf("Công văn"), keys))
    at = letter.index(b"/MediaBox")  # inside the signed range
    letter[at + 1 : at + 2] = b"m"
    data = build(keys, bytes(letter))  # the manifest made from the changed bytes: only the signature tells
    result = package.verify_package(data, trust_roots=[keys.ca_pem])
    assert result["manifest_ok"] is True and result["valid"] is False
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(keys.ca_pem)
    assert main(["documents", "verify-package", str(path), "--trust", str(ca)]) == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_command_accepts_a_sound_signed_package(keys: Keys, tmp_path: Path, capsys: Any) -> None:
    data = build(keys, sign(blank_pdf("Công văn"), keys))
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(keys.ca_pem)
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
