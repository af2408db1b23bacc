"""`friendlygov backup` / `friendlygov restore` round-trip the database and the evidence files.

Each step runs the real command in a subprocess against its own SQLite file in tmp_path (whatever database
the suite itself uses). When the suite runs on PostgreSQL and pg_dump is installed, the same round trip
runs through pg_dump/pg_restore on a scratch database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]

MAKE_WORLD = """
import datetime as dt, json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "friendlygov.settings"
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from friendlygov.evidence.services import store_evidence
from friendlygov.plans.demo import minimal_pdf
from tests.factories import make_world
world = make_world()
evidence = store_evidence(
    actor=world.coordinator, unit=world.unit, body=world.bodies["VHXH"], title="Biên bản",
    upload=SimpleUploadedFile("bien-ban.pdf", minimal_pdf("bien ban hop")),
    effective_date=dt.date(2026, 3, 2),
)
print(json.dumps({"name": evidence.file.name, "sha256": evidence.sha256}))
"""


def _env(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRIENDLYGOV_", "DATABASE_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["FRIENDLYGOV_VAR_DIR"] = str(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "friendlygov.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.load(member)


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_source(var_dir: Path, database_url: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    env = _env(var_dir, database_url)
    _ok(_cli(env, "setup", "--no-demo"))
    if (
        database_url is None
    ):  # keep the empty migrated database for the restore tests (migrating takes seconds)
        _sqlite_copy(var_dir / "friendlygov.sqlite3", var_dir.parent / f"{var_dir.name}-empty.sqlite3")
    made = subprocess.run(
        [sys.executable, "-c", MAKE_WORLD], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert made.returncode == 0, made.stderr
    return env, json.loads(made.stdout)


@pytest.fixture(scope="module")
def source(tmp_path_factory: Any) -> tuple[Path, dict[str, str], dict[str, str], Path]:
    """A machine with a world and one evidence file, and its backup."""
    var_dir = tmp_path_factory.mktemp("backup-source")
    env, evidence = _make_source(var_dir)
    archive = tmp_path_factory.mktemp("archives") / "sao-luu.tar.gz"
    out = _ok(_cli(env, "backup", "--out", str(archive)))
    assert "Đã sao lưu" in out and "định dạng sqlite" in out
    return var_dir, env, evidence, archive


def _wipe(var_dir: Path) -> None:
    for path in var_dir.glob("friendlygov.sqlite3*"):
        path.unlink()
    shutil.rmtree(var_dir / "media", ignore_errors=True)


def test_sqlite_round_trip(source: Any, tmp_path: Path) -> None:
    var_dir, env, evidence, archive = source
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = _manifest(archive)
    assert manifest["database"]["format"] == "sqlite"
    assert manifest["versions"]["django"].startswith("5.")
    assert manifest["counts"]["org.Unit"] == 3
    assert manifest["counts"]["org.Body"] == 18
    assert manifest["counts"]["evidence.EvidenceFile"] == 1
    assert manifest["counts"]["audit.AuditEvent"] >= 1
    assert ["org", "0001_initial"] in manifest["migrations"]
    assert manifest["media"]["files"][evidence["name"]]["sha256"] == evidence["sha256"]
    assert manifest["missing_files"] == []
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert "database/db.sqlite3" in names and f"media/{evidence['name']}" in names

    # The machine loses its database and files; restore brings both back.
    _wipe(var_dir)
    out = _ok(_cli(env, "restore", str(archive)))
    assert "khớp với bản sao lưu" in out
    assert _sha256(var_dir / "media" / evidence["name"]) == evidence["sha256"]
    again = tmp_path / "lan-hai.tar.gz"
    _ok(_cli(env, "backup", "--out", str(again)))
    second = _manifest(again)
    assert second["counts"] == manifest["counts"]
    assert second["migrations"] == manifest["migrations"]
    assert second["media"]["files"] == manifest["media"]["files"]

    # A database with data is not overwritten unless asked; files already there are moved aside.
    refused = _cli(env, "restore", str(archive))
    assert refused.returncode == 2
    assert "--yes" in refused.stderr and "Cơ sở dữ liệu đang có dữ liệu" in refused.stderr
    (var_dir / "media" / "evidence" / "stray.txt").write_text("cũ")
    out = _ok(_cli(env, "restore", "--yes", str(archive)))
    assert "Các tệp cũ được chuyển sang" in out
    assert not (var_dir / "media" / "evidence" / "stray.txt").exists()
    assert list(var_dir.glob("media.truoc-khoi-phuc-*/evidence/stray.txt"))
    assert _sha256(var_dir / "media" / evidence["name"]) == evidence["sha256"]


def test_portable_json_round_trip(source: Any, tmp_path: Path) -> None:
    var_dir, env, evidence, _archive = source
    archive = tmp_path / "sao-luu.tar.gz"
    _ok(_cli(env, "backup", "--format", "json", "--out", str(archive)))
    manifest = _manifest(archive)
    assert manifest["database"] == {**manifest["database"], "format": "json", "file": "database/db.json"}

    target = tmp_path / "empty"
    target.mkdir()
    tenv = _env(target)
    _sqlite_copy(
        var_dir.parent / f"{var_dir.name}-empty.sqlite3", target / "friendlygov.sqlite3"
    )  # empty, migrated
    out = _ok(_cli(tenv, "restore", str(archive)))
    assert "khớp với bản sao lưu" in out
    again = tmp_path / "lan-hai.tar.gz"
    _ok(_cli(tenv, "backup", "--out", str(again)))
    assert _manifest(again)["counts"] == manifest["counts"]
    assert _sha256(target / "media" / evidence["name"]) == evidence["sha256"]


def test_a_damaged_or_foreign_archive_is_refused(source: Any, tmp_path: Path) -> None:
    _var_dir, _env_, evidence, archive = source
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    (unpacked / "media" / evidence["name"]).write_bytes(b"%PDF-1.4 altered")
    damaged = tmp_path / "hong.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(unpacked).as_posix())

    target = tmp_path / "target"
    target.mkdir()
    tenv = _env(target)
    result = _cli(tenv, "restore", str(damaged))
    assert result.returncode == 2
    assert "bị hỏng" in result.stderr and evidence["name"] in result.stderr
    assert not (target / "media").exists()

    foreign = tmp_path / "khac.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(unpacked / "database", arcname="database")
    result = _cli(tenv, "restore", str(foreign))
    assert result.returncode == 2 and "manifest.json" in result.stderr

    result = _cli(tenv, "restore", str(tmp_path / "khong-co.tar.gz"))
    assert result.returncode == 2 and "Không tìm thấy tệp sao lưu" in result.stderr


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) and shutil.which("pg_dump") else None


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A throw-away database next to the suite's (the CI role may create databases)."""
    import psycopg

    url = _postgres_url()
    assert url is not None
    name = f"friendlygov_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    _postgres_url() is None, reason="needs DATABASE_URL=postgres://… and pg_dump (run by .ci/run)"
)
def test_postgresql_round_trip_with_pg_dump(scratch_postgres: str, tmp_path: Path) -> None:
    var_dir = tmp_path / "pg"
    var_dir.mkdir()
    env, evidence = _make_source(var_dir, scratch_postgres)
    archive = tmp_path / "pg.tar.gz"
    _ok(_cli(env, "backup", "--out", str(archive)))
    manifest = _manifest(archive)
    assert manifest["database"]["format"] == "pg_dump"
    assert manifest["counts"]["evidence.EvidenceFile"] == 1

    assert _cli(env, "restore", str(archive)).returncode == 2  # has data
    shutil.rmtree(var_dir / "media")
    out = _ok(_cli(env, "restore", "--yes", str(archive)))
    assert "khớp với bản sao lưu" in out
    assert _sha256(var_dir / "media" / evidence["name"]) == evidence["sha256"]
    again = tmp_path / "pg2.tar.gz"
    _ok(_cli(env, "backup", "--out", str(again)))
    assert _manifest(again)["counts"] == manifest["counts"]
