"""The registers of the operations area, each described once (``base.Register``): the one list, export
and edit page (``operations.views.registers``) read these descriptions.

``REGISTERS`` maps a register's key to its description."""

from __future__ import annotations

from typing import Any

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register
from .budget import BUDGET_LINES, SPENDINGS
from .communication import ACTIVITIES
from .office import CONFERENCES, SIGNATURES
from .reviews import REVIEWS
from .rewards import GOOD_PRACTICES, NOMINATIONS, SHORTFALLS
from .villages import HOUSEHOLDS, VILLAGES

REGISTERS: dict[str, Register[Any]] = {
    r.key: r
    for r in (
        ACTIVITIES,
        VILLAGES,
        HOUSEHOLDS,
        BUDGET_LINES,
        SPENDINGS,
        NOMINATIONS,
        GOOD_PRACTICES,
        SHORTFALLS,
        REVIEWS,
        CONFERENCES,
        SIGNATURES,
    )
}

__all__ = [
    "ACTIVITIES",
    "BUDGET_LINES",
    "CONFERENCES",
    "Column",
    "EditPage",
    "Editor",
    "Export",
    "GOOD_PRACTICES",
    "HOUSEHOLDS",
    "ListPage",
    "Listing",
    "NOMINATIONS",
    "REGISTERS",
    "REVIEWS",
    "Register",
    "SHORTFALLS",
    "SIGNATURES",
    "SPENDINGS",
    "VILLAGES",
]
