"""The electronic submission package a commune sends to the city, and its offline check. No Django here.

A package is a ZIP archive of the dossier's files (signed PDFs, the scoring workbook) plus ``manifest.json``:
the unit, the year, when it was made (+07:00), each file's name, kind, SHA-256, size and whether it was
signed, and the evidence list with each evidence file's SHA-256. ``verify_package`` reads it back without
trusting it: the archive's central directory is checked before anything is inflated (the caps of
``friendlygov.kit.ooxml``), every file the manifest lists must be there with its SHA-256, no file may be there
that it does not list, and every PDF's signatures are checked with ``pades.verify_pdf``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from friendlygov.kit.ooxml import PackageError, check_members

MANIFEST = "manifest.json"
FORMAT = "friendlygov-submission/1"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Limits on what a package may hold (on top of ooxml's caps on the whole archive's inflated size).
MAX_FILES = 200
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


class PackageFormatError(ValueError):
    """The bytes are not a submission package that can be read; the message is Vietnamese, one line."""


@dataclass(frozen=True)
class PackageFile:
    """One file of the dossier: ``name`` inside the archive (plain ASCII, no folder), ``kind`` (the
    document's kind: registration, self_assessment, scoring_table, evidence_list, submission…), ``title``
    (Vietnamese, shown to the reader) and whether it carries a digital signature."""

    name: str
    kind: str
    title: str
    data: bytes
    signed: bool = False


@dataclass(frozen=True)
class EvidenceItem:
    name: str
    sha256: str
    size: int
    criterion: str = ""
    title: str = ""


@dataclass(frozen=True)
class PackageInfo:
    unit_code: str
    unit_name: str
    year: int
    created_at: dt.datetime
    files: list[PackageFile] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    receipt: dict[str, Any] | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def manifest_of(info: PackageInfo) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "unit_code": info.unit_code,
        "unit_name": info.unit_name,
        "year": info.year,
        "created_at": _iso(info.created_at),
        "files": [
            {
                "name": f.name,
                "kind": f.kind,
                "title": f.title,
                "sha256": sha256(f.data),
                "size": len(f.data),
                "signed": f.signed,
            }
            for f in info.files
        ],
        "evidence": [
            {"name": e.name, "title": e.title, "criterion": e.criterion, "sha256": e.sha256, "size": e.size}
            for e in info.evidence
        ],
    }
    if info.receipt is not None:
        manifest["receipt"] = info.receipt
    return manifest


def build_package(info: PackageInfo) -> bytes:
    """The ZIP archive of ``info``'s files plus its manifest (files stored in the order given)."""
    names = [f.name for f in info.files]
    for name in names:
        if not _NAME.match(name) or name == MANIFEST:
            raise ValueError(f"invalid file name in a package: {name!r}")
    if len(set(names)) != len(names):
        raise ValueError("duplicate file names in a package")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest_of(info), ensure_ascii=False, indent=2))
        for item in info.files:
            archive.writestr(item.name, item.data)
    return buffer.getvalue()


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageFormatError("Tệp không phải gói hồ sơ điện tử (.zip) đọc được.") from exc
    try:
        check_members(archive.infolist(), "gói hồ sơ")
    except PackageError as exc:
        archive.close()
        raise PackageFormatError(exc.message) from exc
    if len(archive.infolist()) > MAX_FILES + 1:
        archive.close()
        raise PackageFormatError(f"Gói hồ sơ có quá nhiều tệp (hơn {MAX_FILES}); không đọc.")
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise PackageFormatError(f"Gói hồ sơ: tệp «{name}» bên trong bị hỏng, không đọc được.") from exc


def read_manifest(data: bytes) -> dict[str, Any]:
    """The package's manifest, checked for its shape; PackageFormatError when there is none usable."""
    with _open(data) as archive:
        return _manifest(archive)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise PackageFormatError("Gói hồ sơ không có tệp manifest.json.") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageFormatError("Gói hồ sơ: manifest.json quá lớn.")
    try:
        manifest = json.loads(_read(archive, MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageFormatError("Gói hồ sơ: manifest.json không phải JSON hợp lệ.") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise PackageFormatError("Gói hồ sơ: manifest.json thiếu danh sách tệp («files»).")
    for index, entry in enumerate(manifest["files"], start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and isinstance(entry.get("sha256"), str)
            and entry["name"] != MANIFEST
        ):
            raise PackageFormatError(f"Gói hồ sơ: manifest.json, tệp thứ {index} thiếu tên hoặc SHA-256.")
    return manifest


def _warning(name: str, text: str) -> str:
    return f"{name}: {text}"


def verify_package(zip_bytes: bytes, *, trust_roots: Sequence[bytes] = ()) -> dict[str, Any]:
    """JSON like ``friendlygov documents verify`` for each file, plus ``manifest_ok`` (every file listed is
    there with its SHA-256 and size, nothing unlisted is there) and ``valid`` (the manifest is right and
    every PDF's signatures are intact, valid and trusted when roots are given; an unsigned PDF is not valid).
    PackageFormatError when the bytes are not a readable package; pades.SigningError for a bad trust root."""
    with _open(zip_bytes) as archive:
        manifest = _manifest(archive)
        present = {i.filename for i in archive.infolist() if not i.is_dir()} - {MANIFEST}
        listed = [entry["name"] for entry in manifest["files"]]
        warnings: list[str] = []
        manifest_ok = len(set(listed)) == len(listed)
        if not manifest_ok:
            warnings.append("manifest.json: có tên tệp lặp lại.")
        files: list[dict[str, Any]] = []
        for entry in manifest["files"]:
            name = entry["name"]
            result: dict[str, Any] = {
                "name": name,
                "kind": entry.get("kind", ""),
                "title": entry.get("title", ""),
                "present": name in present,
                "sha256": None,
                "sha256_ok": False,
            }
            if name not in present:
                manifest_ok = False
                warnings.append(_warning(name, "thiếu trong gói (manifest có ghi)."))
                result.update(valid=False, signatures=[])
                files.append(result)
                continue
            data = _read(archive, name)
            digest = sha256(data)
            result["sha256"] = digest
            result["sha256_ok"] = digest == entry["sha256"].lower() and (
                not isinstance(entry.get("size"), int) or entry["size"] == len(data)
            )
            if not result["sha256_ok"]:
                manifest_ok = False
                warnings.append(
                    _warning(name, "nội dung khác với mã SHA-256 ghi trong manifest (đã bị sửa).")
                )
            if name.lower().endswith(".pdf"):
                result.update(_verify_pdf(name, data, trust_roots, warnings))
            else:
                # Not a PDF (the scoring workbook): only its SHA-256 vouches for it.
                result.update(valid=result["sha256_ok"], signatures=[], signed=False)
            files.append(result)
        for name in sorted(present - set(listed)):
            manifest_ok = False
            warnings.append(_warning(name, "có trong gói nhưng manifest không ghi."))
    pdf_results = [f for f in files if f["name"].lower().endswith(".pdf")]
    return {
        "valid": manifest_ok and all(f["valid"] for f in pdf_results),
        "manifest_ok": manifest_ok,
        "unit_code": manifest.get("unit_code", ""),
        "unit_name": manifest.get("unit_name", ""),
        "year": manifest.get("year"),
        "created_at": manifest.get("created_at", ""),
        "files": files,
        "evidence": manifest.get("evidence", []),
        "warnings": warnings,
    }


def _verify_pdf(name: str, data: bytes, trust_roots: Sequence[bytes], warnings: list[str]) -> dict[str, Any]:
    # pyHanko is imported when a package is verified, not by every page that lists packages (~40 MB)
    from friendlygov.signatures import pades

    try:
        checked = pades.verify_pdf(data, trust_roots=trust_roots)
    except pades.NotAPdfError:
        warnings.append(_warning(name, "không phải tệp PDF đọc được."))
        return {"valid": False, "signed": False, "signatures": []}
    report = checked.as_json()
    signed = bool(checked.signatures)
    if not signed:
        warnings.append(_warning(name, "chưa ký số."))
    elif not checked.valid:
        warnings.append(
            _warning(name, "chữ ký số không hợp lệ (văn bản bị sửa sau khi ký hoặc chứng thư không tin cậy).")
        )
    return {
        "valid": bool(report.get("valid", checked.valid)),
        "signed": signed,
        "signatures": report.get("signatures", []),
    }
