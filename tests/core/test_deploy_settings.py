"""Production settings come from the environment and pass Django's deployment checklist."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRIENDLYGOV_", "DATABASE_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite's conftest, never in deployment
    env.update(
        FRIENDLYGOV_ENV="production",
        FRIENDLYGOV_SECRET_KEY=secrets.token_urlsafe(50),
        FRIENDLYGOV_ALLOWED_HOSTS="example.gov.vn",
        FRIENDLYGOV_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = _run(_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _env(tmp_path)
    del env["FRIENDLYGOV_SECRET_KEY"]
    result = _run(env, "check")
    assert result.returncode != 0
    # One clear line, not a traceback ending in KeyError.
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr, result.stderr
    assert (
        "FRIENDLYGOV_SECRET_KEY chưa được đặt" in result.stderr and "secrets.token_urlsafe" in result.stderr
    )


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "",
        "a" * 80,
        "abcd" * 20,
        secrets.token_urlsafe(50)[:49],
        "django-insecure-" + secrets.token_urlsafe(50),
    ],
    ids=[
        "one-character",
        "empty",
        "one-distinct-character",
        "four-distinct-characters",
        "49-characters",
        "insecure",
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path: Path, key: str) -> None:
    result = _run(_env(tmp_path, FRIENDLYGOV_SECRET_KEY=key), "check")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr, result.stderr
    assert "FRIENDLYGOV_SECRET_KEY" in result.stderr
    assert key == "" or "quá yếu" in result.stderr


def test_a_strong_secret_key_starts(tmp_path: Path) -> None:
    result = _run(_env(tmp_path, FRIENDLYGOV_SECRET_KEY=secrets.token_urlsafe(38)), "check")  # 51 characters
    assert result.returncode == 0, result.stderr


def test_development_needs_no_secret_key(tmp_path: Path) -> None:
    env = _env(tmp_path, FRIENDLYGOV_ENV="development")
    del env["FRIENDLYGOV_SECRET_KEY"]
    assert _run(env, "check").returncode == 0


PRINT_SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'name': s.DATABASES['default']['NAME'], 'host': s.DATABASES['default'].get('HOST'), "
    "'aliases': sorted(s.DATABASES), 'routers': list(getattr(s, 'DATABASE_ROUTERS', [])), "
    "'replica_test': s.DATABASES.get('replica', {}).get('TEST'), "
    "'secure': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0], "
    "'proxy': list(s.SECURE_PROXY_SSL_HEADER or []), 'xfo': s.X_FRAME_OPTIONS}))"
)


def _settings(env: dict[str, str]) -> Any:
    env = {**env, "DJANGO_SETTINGS_MODULE": "friendlygov.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_database_and_replica_come_from_the_environment(tmp_path: Path) -> None:
    found = _settings(
        _env(
            tmp_path,
            DATABASE_URL="postgres://fg:secret@db-primary.internal:5432/friendlygov",
            DATABASE_REPLICA_URL="postgres://fg_ro:secret@db-replica.internal:5432/friendlygov",
        )
    )
    assert found["debug"] is False
    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"]) == ("friendlygov", "db-primary.internal")
    assert found["aliases"] == ["default", "replica"]
    assert found["routers"] == ["friendlygov.db_router.ReplicaRouter"]
    assert found["replica_test"]["MIRROR"] == "default"
    assert found["secure"] == [True, True, True, True]
    assert found["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["xfo"] == "DENY"


def test_without_a_replica_there_is_no_router(tmp_path: Path) -> None:
    found = _settings(_env(tmp_path))
    assert found["aliases"] == ["default"]
    assert found["routers"] == []
    assert found["engine"] == "django.db.backends.sqlite3"
