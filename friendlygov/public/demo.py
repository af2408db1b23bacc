from __future__ import annotations

from typing import Any


def load(context: Any) -> None:
    """Nothing to add: the public pages show what the other areas' demo data has published."""
