"""The submission package (friendlygov.signatures.package) and `friendlygov documents verify-package`."""

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
from friendlygov.signatures.package import EvidenceItem, PackageFile, PackageInfo

from .fake_pades import fake_pades, pdf, signed  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.usefixtures("fake_pades")

NOW = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC)


def info(*files: PackageFile) -> PackageInfo:
    return PackageInfo(
        unit_code="thanh-mien",
        unit_name="Xã Thanh Miện",
        year=2026,
        created_at=NOW,
        files=list(files)
        or [
            PackageFile("01-dang-ky.pdf", "registration", "Công văn đăng ký", signed(pdf("đăng ký")), True),
            PackageFile(
                "02-bao-cao.pdf", "self_assessment", "Báo cáo tự đánh giá", signed(pdf("báo cáo")), True
            ),
            PackageFile("03-bang-diem.xlsx", "scoring_table", "Bảng chấm điểm", b"PK-xlsx-bytes"),
        ],
        evidence=[EvidenceItem("anh.jpg", "ab" * 32, 1234, "1.1", "Ảnh")],
    )


def rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The package with some members replaced (None: removed) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename in change:
                continue
            target.writestr(item.filename, source.read(item.filename))
        for name, content in change.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def test_manifest_lists_every_file_with_its_hash_and_time_in_vietnam() -> None:
    data = package.build_package(info())
    manifest = package.read_manifest(data)
    assert manifest["created_at"] == "2026-11-20T09:30:00+07:00"
    assert manifest["unit_code"] == "thanh-mien" and manifest["year"] == 2026
    names = [f["name"] for f in manifest["files"]]
    assert names == ["01-dang-ky.pdf", "02-bao-cao.pdf", "03-bang-diem.xlsx"]
    first = manifest["files"][0]
    assert first["sha256"] == package.sha256(signed(pdf("đăng ký"))) and first["signed"] is True
    assert first["size"] == len(signed(pdf("đăng ký")))
    assert manifest["evidence"] == [
        {"name": "anh.jpg", "title": "Ảnh", "criterion": "1.1", "sha256": "ab" * 32, "size": 1234}
    ]


def test_a_sound_package_verifies() -> None:
    result = package.verify_package(package.build_package(info()))
    assert result["manifest_ok"] is True and result["valid"] is True
    assert result["warnings"] == []
    assert [f["valid"] for f in result["files"]] == [True, True, True]
    assert result["files"][0]["signatures"][0]["intact"] is True


def test_a_tampered_file_breaks_the_manifest() -> None:
    data = package.build_package(info())
    tampered = signed(pdf("đăng ký")).replace("đăng".encode(), b"dang")
    result = package.verify_package(rezip(data, {"01-dang-ky.pdf": tampered}))
    assert result["manifest_ok"] is False and result["valid"] is False
    assert result["files"][0]["sha256_ok"] is False
    assert any("01-dang-ky.pdf" in w and "SHA-256" in w for w in result["warnings"])


def test_a_missing_or_extra_file_breaks_the_manifest() -> None:
    data = package.build_package(info())
    missing = package.verify_package(rezip(data, {"02-bao-cao.pdf": None}))
    assert missing["manifest_ok"] is False and missing["files"][1]["present"] is False
    extra = package.verify_package(rezip(data, {"virus.exe": b"MZ"}))
    assert extra["manifest_ok"] is False
    assert any("virus.exe" in w for w in extra["warnings"])


def test_an_unsigned_pdf_is_not_valid_and_warned() -> None:
    data = package.build_package(
        info(PackageFile("01-to-trinh.pdf", "submission", "Tờ trình", pdf("tờ trình"), False))
    )
    result = package.verify_package(data)
    assert result["manifest_ok"] is True
    assert result["valid"] is False
    assert result["files"][0]["signed"] is False
    assert result["warnings"] == ["01-to-trinh.pdf: chưa ký số."]


def test_not_a_package_or_a_zip_bomb_is_refused() -> None:
    with pytest.raises(package.PackageFormatError):
        package.verify_package(b"not a zip")
    with pytest.raises(package.PackageFormatError, match="manifest"):
        package.verify_package(rezip(package.build_package(info()), {"manifest.json": None}))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("big.pdf", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(package.PackageFormatError, match="bom"):
        package.verify_package(bomb.getvalue())


# ----------------------------------------------------------------------------------- the command


def run(tmp_path: Path, data: bytes, *extra: str) -> int:
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    return main(["documents", "verify-package", str(path), *extra])


def test_command_exit_codes(tmp_path: Path, capsys: Any) -> None:
    data = package.build_package(info())
    assert run(tmp_path, data) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True and out["manifest_ok"] is True and len(out["files"]) == 3

    tampered = rezip(data, {"02-bao-cao.pdf": signed(pdf("báo cáo")) + b" "})
    assert run(tmp_path, tampered) == 1
    assert json.loads(capsys.readouterr().out)["manifest_ok"] is False

    assert run(tmp_path, b"PK not really") == 2
    assert "F.zip" in capsys.readouterr().err

    assert main(["documents", "verify-package", str(tmp_path / "missing.zip")]) == 2
    assert "không đọc được" in capsys.readouterr().err

    assert run(tmp_path, data, "--trust", str(tmp_path / "no-ca.pem")) == 2
    assert "--trust" in capsys.readouterr().err


def test_command_exits_1_for_an_unsigned_file(tmp_path: Path, capsys: Any) -> None:
    data = package.build_package(
        info(PackageFile("05-to-trinh.pdf", "submission", "Tờ trình", pdf("tờ trình")))
    )
    assert run(tmp_path, data) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["manifest_ok"] is True and out["valid"] is False
    assert out["warnings"] == ["05-to-trinh.pdf: chưa ký số."]
