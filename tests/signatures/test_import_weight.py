"""pyHanko (with fontTools and cryptography's PDF side) weighs ~40 MB: a server process that has loaded every
page's code but signed or verified nothing has not imported it (issue 18: a worker's peak memory ≤ 150 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys, django
django.setup()
import friendlygov.urls  # every view, API endpoint and the admin
print(",".join(sorted(name for name in ("pyhanko", "fontTools", "pypdf") if name in sys.modules)))
"""


def test_serving_pages_does_not_import_the_pdf_signing_libraries(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "friendlygov.settings",
        "FRIENDLYGOV_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
