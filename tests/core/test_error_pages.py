"""No debug pages outside `friendlygov serve --dev`: friendly Vietnamese (and English) 400/403/404/500 pages,
the 500 page needing neither the database nor a context."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import get_resolver

REPO = Path(__file__).resolve().parents[2]

SERVE = """
import argparse, sys
import django.core.management, gunicorn.app.wsgiapp
from django.conf import settings
gunicorn.app.wsgiapp.run = lambda: print("served debug", settings.DEBUG)
django.core.management.call_command = lambda *a, **k: print("command", a[0], settings.DEBUG)
from friendlygov.commands import server
server.run_serve(argparse.Namespace(host="127.0.0.1", port=8123, workers=1, dev=sys.argv[1] == "dev"))
"""


def _serve(tmp_path: Path, mode: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRIENDLYGOV_", "DATABASE_", "DJANGO_"))}
    env.update(FRIENDLYGOV_DEBUG="1", FRIENDLYGOV_VAR_DIR=str(tmp_path))  # even when the shell asks for debug
    result = subprocess.run(
        [sys.executable, "-c", SERVE, mode], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_serve_runs_without_debug_unless_dev(tmp_path: Path) -> None:
    out = _serve(tmp_path, "plain")
    assert "command collectstatic False" in out and "served debug False" in out
    assert "command runserver True" in _serve(tmp_path, "dev")


def test_serve_sets_debug_off_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from friendlygov.commands import server

    monkeypatch.setenv("FRIENDLYGOV_DEBUG", "1")
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(sys, "argv", ["friendlygov"])
    server.run_serve(argparse.Namespace(host="127.0.0.1", port=8123, workers=1, dev=False))
    assert os.environ["FRIENDLYGOV_DEBUG"] == "0"


def test_missing_page_is_friendly_and_lists_no_url_patterns(db: None, client: Any) -> None:
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "Về trang chủ" in html
    assert "URLconf" not in html and "dang-nhap" not in html and "quan-tri" not in html


def test_missing_page_in_english(db: None, client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html and '<html lang="en">' in html


def test_handler500_renders_the_friendly_page_without_database_or_context() -> None:
    # No `db` fixture: any database query here would fail the test.
    handler = get_resolver().resolve_error_handler(500)
    response = handler(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in html and "Traceback" not in html and "core/app.css" in html


def test_a_fault_shows_the_friendly_page(db: None, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> bool:
        raise RuntimeError("hỏng ở đây")

    monkeypatch.setattr(
        "friendlygov.core.views.Unit", SimpleNamespace(objects=SimpleNamespace(exists=broken))
    )
    client.raise_request_exception = False
    response = client.get("/healthz")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in html and "hỏng ở đây" not in html and "Traceback" not in html


@pytest.mark.parametrize(("status", "title"), [(400, "Yêu cầu không hợp lệ"), (403, "Không có quyền")])
def test_400_and_403_pages(status: int, title: str) -> None:
    handler = get_resolver().resolve_error_handler(status)
    response = handler(RequestFactory().get("/"), exception=Exception("x"))
    assert response.status_code == status and title in response.content.decode()


def test_favicon_ico_points_at_the_icon(db: None, client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("core/favicon.svg")


def test_handler500_in_english() -> None:
    from django.utils import translation

    with translation.override("en"):
        response = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
    html = response.content.decode()
    assert "Something went wrong" in html and '<html lang="en">' in html
