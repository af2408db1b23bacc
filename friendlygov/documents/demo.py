from __future__ import annotations

from typing import Any


def load(context: Any) -> None:
    """Nothing to add: every document is written from the other areas' demo data when asked for.

    No document is issued in the demo, so that every number is still free for people trying the pages or
    `friendlygov documents render … --number N` (the spec's example uses "Số: 15/UBND-VHXH").
    """
