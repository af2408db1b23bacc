from __future__ import annotations

from typing import Any


def load(context: Any) -> None:
    """This area's part of the demo data (filled in by the area)."""
