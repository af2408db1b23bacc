"""Periods for survey figures: a year, a quarter, a month or custom dates (inclusive), in local time."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

KINDS = ("year", "quarter", "month", "custom")
#: The query-string words of the pages (Vietnamese URLs).
KIND_WORDS = {"nam": "year", "quy": "quarter", "thang": "month", "tuy-chon": "custom"}
WORD_OF_KIND = {v: k for k, v in KIND_WORDS.items()}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"Năm {self.start.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[(self.start.month - 1) // 3 + 1]}/{self.start.year}"
        if self.kind == "month":
            return f"Tháng {self.start.month}/{self.start.year}"
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def short_label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year % 100:02d}"
        if self.kind == "month":
            return f"{self.start.month:02d}/{self.start.year % 100:02d}"
        return f"{self.start:%d/%m}–{self.end:%d/%m/%y}"

    @property
    def key(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes in the site's time zone (Asia/Ho_Chi_Minh)."""
        zone = timezone.get_default_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def query(self) -> dict[str, str]:
        """The query-string parameters that select this period on the pages."""
        params = {"ky": WORD_OF_KIND[self.kind], "nam": str(self.start.year)}
        if self.kind == "quarter":
            params["quy"] = str((self.start.month - 1) // 3 + 1)
        elif self.kind == "month":
            params["thang"] = str(self.start.month)
        elif self.kind == "custom":
            params = {"ky": "tuy-chon", "tu": self.start.isoformat(), "den": self.end.isoformat()}
        return params


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(
        "quarter", dt.date(y, first, 1), dt.date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    )


def month(y: int, m: int) -> Period:
    return Period("month", dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]))


def custom(start: dt.date, end: dt.date) -> Period:
    return Period("custom", start, end)


def previous(period: Period) -> Period:
    if period.kind == "year":
        return year(period.start.year - 1)
    if period.kind == "quarter":
        q = (period.start.month - 1) // 3 + 1
        return quarter(period.start.year, q - 1) if q > 1 else quarter(period.start.year - 1, 4)
    if period.kind == "month":
        m = period.start.month
        return month(period.start.year, m - 1) if m > 1 else month(period.start.year - 1, 12)
    length = (period.end - period.start).days + 1
    return custom(period.start - dt.timedelta(days=length), period.start - dt.timedelta(days=1))


def trend_periods(period: Period) -> list[Period]:
    """The periods shown in the trend chart, oldest first, ending with ``period``.

    5 years, 8 quarters or 12 months; for custom dates, the months the range covers (or its years when it
    spans more than two years).
    """
    if period.kind == "custom":
        months: list[Period] = []
        cursor = month(period.start.year, period.start.month)
        while cursor.start <= period.end and len(months) <= 24:
            months.append(cursor)
            cursor = month(cursor.end.year + (cursor.end.month == 12), cursor.end.month % 12 + 1)
        if len(months) > 24:
            return [year(y) for y in range(period.start.year, period.end.year + 1)]
        return months
    count = {"year": 5, "quarter": 8, "month": 12}[period.kind]
    result = [period]
    while len(result) < count:
        result.insert(0, previous(result[0]))
    return result


def parse_period(params: Mapping[str, str], today: dt.date | None = None) -> tuple[Period, list[str]]:
    """The period chosen by query parameters (``ky``, ``nam``, ``quy``, ``thang``, ``tu``, ``den``).

    Invalid values fall back to the current year; the problems come back as Vietnamese messages.
    """
    today = today or timezone.localdate()
    problems: list[str] = []
    kind = KIND_WORDS.get(params.get("ky", "") or "nam")
    if kind is None:
        problems.append(f"Kỳ {params.get('ky')!r} không hợp lệ: chọn năm, quý, tháng hoặc tùy chọn.")
        kind = "year"

    def number(name: str, low: int, high: int, default: int, label: str) -> int:
        raw = (params.get(name) or "").strip()
        if not raw:
            return default
        if raw.isdigit() and low <= int(raw) <= high:
            return int(raw)
        problems.append(f"Trường {label}: giá trị {raw!r} không hợp lệ (từ {low} đến {high}).")
        return default

    y = number("nam", 2000, 2100, today.year, "năm")
    if kind == "quarter":
        return quarter(y, number("quy", 1, 4, (today.month - 1) // 3 + 1, "quý")), problems
    if kind == "month":
        return month(y, number("thang", 1, 12, today.month, "tháng")), problems
    if kind == "custom":
        try:
            start = dt.date.fromisoformat((params.get("tu") or "").strip())
            end = dt.date.fromisoformat((params.get("den") or "").strip())
        except ValueError:
            problems.append("Trường từ ngày/đến ngày: cần hai ngày hợp lệ cho kỳ tùy chọn.")
            return year(today.year), problems
        if end < start:
            problems.append("Trường đến ngày: phải sau hoặc bằng từ ngày.")
            return year(today.year), problems
        if (end - start).days > MAX_CUSTOM_DAYS:
            problems.append("Trường đến ngày: kỳ tùy chọn dài tối đa 3 năm.")
            return year(today.year), problems
        return custom(start, end), problems
    return year(y), problems
