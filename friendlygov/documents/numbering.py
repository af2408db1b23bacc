"""The order of a register (Decree 30/2020/NĐ-CP): each issuing body numbers its documents from 01 on
1 January in the order it issues them, so within one register and calendar year a higher number never
carries an earlier date than a lower one. A number that would break the order is refused with a message
naming both documents, unless the person issuing confirms it (the confirmation is recorded in the audit).

Read by the documents area (issuing a numbered document) and by the plans area (a plan's number and date
typed by hand are the commune People's Committee's register too)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from friendlygov.documents.kinds import common
from friendlygov.documents.models import IssuedDocument, Register
from friendlygov.org.models import Unit


def register_label(unit: Unit, register: str) -> str:
    """ "Ủy ban nhân dân xã Thanh Miện", "Sở Nội vụ thành phố Hải Phòng": whose register a number is in."""
    return common.home_affairs(unit) if register == Register.HOME_AFFAIRS else common.committee(unit)


def next_free_number(unit: Unit, year: int, register: str = Register.COMMITTEE) -> int:
    """The number to propose: one more than the highest issued in the unit's register that calendar year."""
    highest = IssuedDocument.objects.filter(
        unit=unit, register=register, draft=False, issued_on__year=year, number__isnull=False
    ).aggregate(m=Max("number"))["m"]
    return int(highest or 0) + 1


@dataclass(frozen=True)
class OrderProblem:
    """A number that would break the register's order, with the issued document it conflicts with."""

    message: str
    other: IssuedDocument


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _describe(document: IssuedDocument) -> str:
    return f"{document.get_kind_display()} số {document.number_symbol}"


def order_problem(
    unit: Unit, register: str, number: int, issued_on: dt.date, *, same_as: IssuedDocument | None = None
) -> OrderProblem | None:
    """The first issued document of the register and year that ``number`` dated ``issued_on`` would stand
    out of order with: a lower number dated later, or a higher number dated earlier (same day is in order).
    ``same_as``: the document being checked itself, when it is already in the register."""
    issued = IssuedDocument.objects.filter(
        unit=unit, register=register, draft=False, number__isnull=False, issued_on__year=issued_on.year
    ).exclude(number=number)
    if same_as is not None:
        issued = issued.exclude(pk=same_as.pk)
    label = register_label(unit, register)
    later_lower = issued.filter(number__lt=number, issued_on__gt=issued_on).order_by("-issued_on", "number")
    other = later_lower.first()
    if other is not None:
        assert other.issued_on is not None and other.number is not None
        message = _(
            "Số %(n)s ngày %(d)s đứng trước số %(m)s ngày %(e)s (%(doc)s) trong sổ văn bản năm %(y)s của %(u)s: "
            "số lớn hơn không được mang ngày sớm hơn. Hãy ghi ngày từ %(e)s trở đi, hoặc xác nhận cấp số không "
            "theo thứ tự (việc xác nhận được ghi vào nhật ký)."
        ) % {
            "n": f"{number:02d}",
            "d": _day(issued_on),
            "m": f"{other.number:02d}",
            "e": _day(other.issued_on),
            "doc": _describe(other),
            "y": issued_on.year,
            "u": label,
        }
        return OrderProblem(message, other)
    earlier_higher = issued.filter(number__gt=number, issued_on__lt=issued_on).order_by(
        "issued_on", "-number"
    )
    other = earlier_higher.first()
    if other is not None:
        assert other.issued_on is not None and other.number is not None
        message = _(
            "Số %(n)s ngày %(d)s đứng sau số %(m)s ngày %(e)s (%(doc)s) trong sổ văn bản năm %(y)s của %(u)s: "
            "số nhỏ hơn không được mang ngày muộn hơn. Hãy dùng số tiếp theo còn trống (%(free)s) hoặc ngày "
            "đến %(e)s, hoặc xác nhận cấp số không theo thứ tự (việc xác nhận được ghi vào nhật ký)."
        ) % {
            "n": f"{number:02d}",
            "d": _day(issued_on),
            "m": f"{other.number:02d}",
            "e": _day(other.issued_on),
            "doc": _describe(other),
            "y": issued_on.year,
            "u": label,
            "free": f"{next_free_number(unit, issued_on.year, register):02d}",
        }
        return OrderProblem(message, other)
    return None


_LEADING_NUMBER = re.compile(r"^\s*(?:số\s*)?0*(\d{1,5})\s*(?:/|$)", re.IGNORECASE)


def number_of(text: str) -> int | None:
    """The register number of a typed document number: "52/KH-UBND" → 52, "05" → 5; else None."""
    match = _LEADING_NUMBER.match(text or "")
    return int(match[1]) if match and int(match[1]) > 0 else None


def confirmation_note(problem: OrderProblem) -> str:
    """What the audit keeps when someone confirmed a number out of order."""
    return f"cấp số không theo thứ tự ngày, đã xác nhận: {problem.message}"
