"""`friendlygov serve` starts gunicorn with the workers and threads asked for (the same variables as
deploy/gunicorn.conf.py), after collecting static files when not in debug mode."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import pytest

from friendlygov.commands import server


def _served_argv(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: seen.setdefault("argv", list(sys.argv)))
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *a, **k: seen.setdefault("collected", a)
    )
    monkeypatch.setattr(sys, "argv", ["friendlygov"])
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = argparse.Namespace(host="127.0.0.1", port=8123, workers=3, dev=False)
    assert server.run_serve(args) == 0
    assert seen["collected"][0] == "collectstatic"
    return seen["argv"]  # type: ignore[no-any-return]


def test_serve_runs_gunicorn_with_the_workers_and_threads_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = _served_argv(monkeypatch)
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3" and argv[argv.index("--threads") + 1] == "4"
    argv = _served_argv(monkeypatch, FRIENDLYGOV_THREADS="1")
    assert argv[argv.index("--threads") + 1] == "1"
