"""The appendix read for one unit: body names matched to the unit's bodies, STT checks. Reads only."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from friendlygov.org.models import Body, Unit
from friendlygov.org.services import match_body
from friendlygov.rules.schedule import ParsedTask, parse_appendix


def body_matcher(unit: Unit) -> Callable[[str], Body | None]:
    """match_body for one unit, remembering the names already looked up."""
    cache: dict[str, Body | None] = {}

    def match(name: str) -> Body | None:
        key = name.strip()
        if key not in cache:
            cache[key] = match_body(unit, key) if key else None
        return cache[key]

    return match


_PARTS = re.compile(r"\s*[,;]\s*|\s+(?:và|va)\s+", re.IGNORECASE)


def bodies_named_in(name: str, match: Callable[[str], Body | None]) -> list[Body]:
    """The unit's bodies a coordinator cell names: the whole name, or else each part of a phrase such as
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã, các ngành liên quan" that is a body (the phrase stays shown)."""
    whole = match(name)
    if whole is not None:
        return [whole]
    found: list[Body] = []
    for part in _PARTS.split(name):
        body = match(part.strip(" .;:,"))
        if body is not None and body not in found:
            found.append(body)
    return found


def parse_for_unit(unit: Unit, text: str) -> list[ParsedTask]:
    """parse_appendix with the unit's bodies known (so "Văn phòng HĐND và UBND" is never split)."""
    match = body_matcher(unit)
    return parse_appendix(text, body_matcher=lambda name: match(name) is not None)


def unmatched_names(tasks: Sequence[ParsedTask], match: Callable[[str], Body | None]) -> list[str]:
    """The lead and coordinator names of the appendix no body of the unit answers to, once each, in order."""
    names: dict[str, None] = {}
    for task in tasks:
        for name in [task.lead, *task.coordinators]:
            if name.strip() and match(name) is None:
                names.setdefault(name.strip(), None)
    return list(names)


def check_numbers(tasks: Sequence[ParsedTask]) -> list[str]:
    """Problems that block saving: every task needs its own STT (tasks are matched by it on re-import)."""
    problems = []
    seen: dict[str, int] = {}
    for index, task in enumerate(tasks, start=1):
        if not task.number:
            problems.append(
                _("Nhiệm vụ thứ %(i)s («%(t)s») thiếu số thứ tự (STT).") % {"i": index, "t": task.text[:60]}
            )
        elif task.number in seen:
            problems.append(
                _("Số thứ tự «%(n)s» bị trùng (nhiệm vụ thứ %(a)s và %(b)s).")
                % {"n": task.number, "a": seen[task.number], "b": index}
            )
        else:
            seen[task.number] = index
        if not task.text:
            problems.append(_("Nhiệm vụ %(n)s: thiếu nội dung nhiệm vụ.") % {"n": task.number or index})
    return problems
