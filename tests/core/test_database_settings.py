"""The database settings as a server starts them (a fresh interpreter: settings are read once, at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _default_database(env: dict[str, str]) -> dict[str, Any]:
    code = (
        "import json; from friendlygov import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'options': d.get('OPTIONS', {})}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FRIENDLYGOV_CONN_MAX_AGE")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_sqlite_keeps_its_connections_like_postgresql(tmp_path: Path) -> None:
    """A new SQLite connection per request (open, pragmas, the whole schema parsed) doubled the server's CPU
    for a request that writes: workers keep theirs for FRIENDLYGOV_CONN_MAX_AGE seconds (60 by default)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    kept = _default_database({"DATABASE_URL": url})
    assert kept["age"] == 60
    assert kept["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in kept["options"]["init_command"]
    assert _default_database({"DATABASE_URL": url, "FRIENDLYGOV_CONN_MAX_AGE": "5"})["age"] == 5
