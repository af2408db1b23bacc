"""Plan appendices: time phrases, Vietnamese working days, due dates and the appendix table parser.

Pure rules: no Django, nothing else of ours. Contract: docs/spec/command-line.md, `friendlygov plan`.

Schedule kinds (``Schedule.to_json()``; they are part of the JSON output of ``friendlygov plan parse``):

=================  ===============================================  ===========================================
kind               phrases                                          JSON
=================  ===============================================  ===========================================
``yearly``         "Hằng năm"                                       ``{"kind": "yearly"}``
``yearly_before``  "Trước ngày 15/02 hằng năm",                     ``{"kind": "yearly_before", "day": 15,
                   "Trước ngày 15 tháng 2 hằng năm"                 "month": 2}``
``months``         "Tháng 12 hằng năm", "Tháng 6 và tháng 12        ``{"kind": "months", "months": [6, 12]}``
                   hằng năm", "Tháng 6, 12 hằng năm"
``quarters``       "Quý I hằng năm", "Quý 2", "Quý I và quý III",   ``{"kind": "quarters", "quarters": [1, 3]}``
                   "Quý 1, 3 hằng năm"
``half``           "6 tháng đầu năm", "6 tháng cuối năm"            ``{"kind": "half", "halves": [1]}``
``quarterly``      "Hằng quý"                                       ``{"kind": "quarterly"}``
``monthly``        "Hằng tháng"                                     ``{"kind": "monthly"}``
``ongoing``        "Thường xuyên"                                   ``{"kind": "ongoing"}``
``years``          "Năm 2028", "Năm 2027 và năm 2030"               ``{"kind": "years", "years": [2027, 2030]}``
``month_of_year``  "Tháng 6/2027", "Tháng 6/2027 và tháng 12/2028"  ``{"kind": "month_of_year", "items":
                                                                    [{"year": 2027, "month": 6}]}``
``before_date``    "Trước ngày 30/6/2027"                           ``{"kind": "before_date",
                                                                    "date": "2027-06-30"}``
``unreadable``     anything else (never guessed; flagged)           ``{"kind": "unreadable"}``
=================  ===============================================  ===========================================

Phrases are compared after :func:`normalize` (no diacritics, any case, "hàng"/"hằng" alike, every dash
alike, spacing alike); "/", "-" and "." all separate day, month and year. "hằng năm" is required after
"Trước ngày DD/MM" and "Tháng M" (without it the phrase names no year and is unreadable) and optional after
"Quý ...", as the contract lists "Quý 1..4" bare. List items are joined by "và" or ",", and may repeat the
keyword ("Tháng 6 và tháng 12") or not ("Tháng 6 và 12"). "Trước ngày 29/02 hằng năm" is unreadable (no
such day in most years); impossible dates are unreadable.

Occurrences (:func:`occurrences`): "before day D" kinds are due on the last working day strictly before D
(possibly in the year before) and belong to the period of D's year (``period`` "2026", ``window_start``
2026-01-01); a month, quarter, half-year or year is due on its last working day; "ongoing" gives quarterly
check-ins (``kind`` "check-in"), every other readable kind gives deadlines (``kind`` "deadline");
"unreadable" gives nothing. Occurrences are kept when the period's year is in the requested range.
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal, cast

import holidays

__all__ = [
    "BEFORE_DATE",
    "HALF",
    "KINDS",
    "MONTHLY",
    "MONTHS",
    "MONTH_OF_YEAR",
    "ONGOING",
    "QUARTERLY",
    "QUARTERS",
    "UNREADABLE",
    "YEARLY",
    "YEARLY_BEFORE",
    "YEARS",
    "Occurrence",
    "OccurrenceKind",
    "ParsedTask",
    "Schedule",
    "ScheduleKind",
    "WorkingCalendar",
    "appendix_column_problems",
    "is_body_name",
    "natural_key",
    "normalize",
    "occurrences",
    "occurrences_for_tasks",
    "parse_appendix",
    "parse_time_phrase",
    "split_coordinators",
]

# --------------------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_DASH_CHARS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_DASH_SPACING = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Text for comparing and searching, insensitive to how Vietnamese was typed.

    Diacritics removed (đ → d), lower case, "hàng"/"hằng" alike (both "hang"), every dash as " - " and
    runs of spaces (line breaks included) as one: ``"Phòng Văn hóa– Xã  hội"`` → ``"phong van hoa - xa
    hoi"``, ``"Hằng năm"`` and ``"HÀNG NĂM"`` → ``"hang nam"``.
    """
    text = _INVISIBLE.sub("", text)
    text = _strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    text = _DASH_CHARS.sub("-", text)
    text = _DASH_SPACING.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


def _collapse(text: str) -> str:
    """One space between words (line breaks included), no surrounding spaces; letters untouched."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


_NATURAL_PART = re.compile(r"\d+|[^\d.\s]+")


def natural_key(number: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for task numbers: "1" < "1.1" < "1.2" < "2" < "10"; letters after digits."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, normalize(part)) for part in _NATURAL_PART.findall(number)
    )


# --------------------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------------------

ScheduleKind = Literal[
    "yearly",
    "yearly_before",
    "months",
    "quarters",
    "half",
    "quarterly",
    "monthly",
    "ongoing",
    "years",
    "month_of_year",
    "before_date",
    "unreadable",
]

YEARLY: Final = "yearly"
YEARLY_BEFORE: Final = "yearly_before"
MONTHS: Final = "months"
QUARTERS: Final = "quarters"
HALF: Final = "half"
QUARTERLY: Final = "quarterly"
MONTHLY: Final = "monthly"
ONGOING: Final = "ongoing"
YEARS: Final = "years"
MONTH_OF_YEAR: Final = "month_of_year"
BEFORE_DATE: Final = "before_date"
UNREADABLE: Final = "unreadable"

KINDS: Final[tuple[ScheduleKind, ...]] = (
    "yearly",
    "yearly_before",
    "months",
    "quarters",
    "half",
    "quarterly",
    "monthly",
    "ongoing",
    "years",
    "month_of_year",
    "before_date",
    "unreadable",
)

_ROMAN_QUARTERS: Final = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Schedule:
    """A readable time phrase. Only the fields of its ``kind`` are set (see the module docstring)."""

    kind: ScheduleKind
    day: int | None = None  # yearly_before
    month: int | None = None  # yearly_before
    months: tuple[int, ...] = ()  # months
    quarters: tuple[int, ...] = ()  # quarters
    halves: tuple[int, ...] = ()  # half
    years: tuple[int, ...] = ()  # years
    items: tuple[tuple[int, int], ...] = ()  # month_of_year: (year, month) pairs
    exact_date: date | None = None  # before_date

    @property
    def readable(self) -> bool:
        return self.kind != UNREADABLE

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == YEARLY_BEFORE:
            data["day"] = self.day
            data["month"] = self.month
        elif self.kind == MONTHS:
            data["months"] = list(self.months)
        elif self.kind == QUARTERS:
            data["quarters"] = list(self.quarters)
        elif self.kind == HALF:
            data["halves"] = list(self.halves)
        elif self.kind == YEARS:
            data["years"] = list(self.years)
        elif self.kind == MONTH_OF_YEAR:
            data["items"] = [{"year": year, "month": month} for year, month in self.items]
        elif self.kind == BEFORE_DATE:
            data["date"] = self.exact_date.isoformat() if self.exact_date else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Schedule:
        """Inverse of :meth:`to_json` (for schedules stored as JSON). Raises ``ValueError`` on bad data."""
        try:
            kind = data["kind"]
            if kind not in KINDS:
                raise ValueError(f"unknown schedule kind {kind!r}")
            kind = cast(ScheduleKind, kind)
            if kind == YEARLY_BEFORE:
                day, month = int(data["day"]), int(data["month"])
                date(2001, month, day)  # validates
                return cls(kind, day=day, month=month)
            if kind == MONTHS:
                return cls(kind, months=_sorted_unique(_checked(data["months"], 1, 12)))
            if kind == QUARTERS:
                return cls(kind, quarters=_sorted_unique(_checked(data["quarters"], 1, 4)))
            if kind == HALF:
                return cls(kind, halves=_sorted_unique(_checked(data["halves"], 1, 2)))
            if kind == YEARS:
                return cls(kind, years=_sorted_unique(_checked(data["years"], 1, 9999)))
            if kind == MONTH_OF_YEAR:
                items = [(int(item["year"]), int(item["month"])) for item in data["items"]]
                if not items or any(not 1 <= m <= 12 for _, m in items):
                    raise ValueError("bad month_of_year items")
                return cls(kind, items=tuple(sorted(set(items))))
            if kind == BEFORE_DATE:
                return cls(kind, exact_date=date.fromisoformat(str(data["date"])))
            return cls(kind)
        except (KeyError, TypeError) as error:
            raise ValueError(f"bad schedule JSON: {data!r}") from error

    def describe(self) -> str:
        """The schedule in Vietnamese, e.g. "Trước ngày 15/02 hằng năm", "Quý I, III hằng năm"."""
        if self.kind == YEARLY:
            return "Hằng năm"
        if self.kind == YEARLY_BEFORE:
            return f"Trước ngày {self.day:02d}/{self.month:02d} hằng năm"
        if self.kind == MONTHS:
            return "Tháng " + ", ".join(str(m) for m in self.months) + " hằng năm"
        if self.kind == QUARTERS:
            return "Quý " + ", ".join(_ROMAN_QUARTERS[q - 1] for q in self.quarters) + " hằng năm"
        if self.kind == HALF:
            names = {1: "6 tháng đầu năm", 2: "6 tháng cuối năm"}
            return " và ".join(names[h] for h in self.halves)
        if self.kind == QUARTERLY:
            return "Hằng quý"
        if self.kind == MONTHLY:
            return "Hằng tháng"
        if self.kind == ONGOING:
            return "Thường xuyên (kiểm tra hằng quý)"
        if self.kind == YEARS:
            return "Năm " + ", ".join(str(y) for y in self.years)
        if self.kind == MONTH_OF_YEAR:
            return "Tháng " + ", ".join(f"{m}/{y}" for y, m in self.items)
        if self.kind == BEFORE_DATE and self.exact_date is not None:
            return f"Trước ngày {self.exact_date:%d/%m/%Y}"
        return "Không đọc được"


def _checked(values: Iterable[Any], low: int, high: int) -> list[int]:
    result = [int(v) for v in values]
    if not result or any(not low <= v <= high for v in result):
        raise ValueError(f"values out of range {low}..{high}: {result!r}")
    return result


def _sorted_unique(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


UNREADABLE_SCHEDULE: Final = Schedule("unreadable")

_SEP = r"\s*[/.-]\s*"
_LIST_SPLIT = re.compile(r"\s*,\s*|\s+va\s+")
_HANG_NAM = r"hang nam"
_FIXED_PHRASES: Final[dict[str, Schedule]] = {
    "hang nam": Schedule("yearly"),
    "hang quy": Schedule("quarterly"),
    "hang thang": Schedule("monthly"),
    "thuong xuyen": Schedule("ongoing"),
}
_RE_YEARLY_BEFORE = re.compile(rf"truoc ngay (\d{{1,2}})(?:{_SEP}| thang )(\d{{1,2}}) {_HANG_NAM}")
_RE_BEFORE_DATE = re.compile(rf"truoc ngay (\d{{1,2}})(?:{_SEP}| thang )(\d{{1,2}})(?:{_SEP}| nam )(\d{{4}})")
_RE_MONTHS = re.compile(rf"thang (.+) {_HANG_NAM}")
_RE_MONTH_ITEM = re.compile(r"(?:thang )?(\d{1,2})")
_RE_QUARTERS = re.compile(rf"quy (.+?)(?: {_HANG_NAM})?")
_RE_QUARTER_ITEM = re.compile(r"(?:quy )?(iv|iii|ii|i|[1-4])")
_RE_HALVES = re.compile(rf"(6 thang .+?)(?: {_HANG_NAM})?")
_RE_HALF_ITEM = re.compile(r"(?:6 thang )?(dau|cuoi) nam")
_RE_YEARS = re.compile(r"nam (.+)")
_RE_YEAR_ITEM = re.compile(r"(?:nam )?(\d{4})")
_RE_DATED_MONTHS = re.compile(r"thang (.+)")
_RE_DATED_MONTH_ITEM = re.compile(rf"(?:thang )?(\d{{1,2}})(?:{_SEP}| nam )(\d{{4}})")
_QUARTER_NUMBERS: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _list_items(text: str, item: re.Pattern[str]) -> list[re.Match[str]] | None:
    """Every item of a "và"/","-joined list matched by ``item``, or None when one does not match."""
    matches = []
    for part in _LIST_SPLIT.split(text):
        match = item.fullmatch(part)
        if match is None:
            return None
        matches.append(match)
    return matches


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_time_phrase(phrase: str) -> Schedule:
    """Read a "Thời gian thực hiện" cell; anything not listed in the module docstring is ``unreadable``."""
    text = normalize(phrase).rstrip(" .;,:")
    if not text:
        return UNREADABLE_SCHEDULE
    if text in _FIXED_PHRASES:
        return _FIXED_PHRASES[text]

    if match := _RE_YEARLY_BEFORE.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        # 2001 is not a leap year: "29/02 hằng năm" does not exist every year and stays unreadable.
        if _valid_date(2001, month, day) is None:
            return UNREADABLE_SCHEDULE
        return Schedule("yearly_before", day=day, month=month)

    if match := _RE_BEFORE_DATE.fullmatch(text):
        exact = _valid_date(int(match[3]), int(match[2]), int(match[1]))
        return Schedule("before_date", exact_date=exact) if exact else UNREADABLE_SCHEDULE

    if match := _RE_MONTHS.fullmatch(text):
        items = _list_items(match[1], _RE_MONTH_ITEM)
        if items is None:
            return UNREADABLE_SCHEDULE
        months = [int(m[1]) for m in items]
        if any(not 1 <= m <= 12 for m in months):
            return UNREADABLE_SCHEDULE
        return Schedule("months", months=_sorted_unique(months))

    if match := _RE_QUARTERS.fullmatch(text):
        items = _list_items(match[1], _RE_QUARTER_ITEM)
        if items is None:
            return UNREADABLE_SCHEDULE
        return Schedule("quarters", quarters=_sorted_unique(_QUARTER_NUMBERS[m[1]] for m in items))

    if match := _RE_HALVES.fullmatch(text):
        items = _list_items(match[1], _RE_HALF_ITEM)
        if items is None:
            return UNREADABLE_SCHEDULE
        return Schedule("half", halves=_sorted_unique(1 if m[1] == "dau" else 2 for m in items))

    if match := _RE_YEARS.fullmatch(text):
        items = _list_items(match[1], _RE_YEAR_ITEM)
        if items is None:
            return UNREADABLE_SCHEDULE
        return Schedule("years", years=_sorted_unique(int(m[1]) for m in items))

    if match := _RE_DATED_MONTHS.fullmatch(text):
        items = _list_items(match[1], _RE_DATED_MONTH_ITEM)
        if items is None:
            return UNREADABLE_SCHEDULE
        pairs = [(int(m[2]), int(m[1])) for m in items]
        if any(not 1 <= month <= 12 for _, month in pairs):
            return UNREADABLE_SCHEDULE
        return Schedule("month_of_year", items=tuple(sorted(set(pairs))))

    return UNREADABLE_SCHEDULE


# --------------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------------

_ONE_DAY: Final = timedelta(days=1)


class WorkingCalendar:
    """Vietnamese working days: Monday to Friday, less the public holidays of the pinned `holidays`
    package (Tết by the lunar calendar, observed days and the official day-off swaps it carries, whose
    make-up Saturdays are working days), with ``swaps`` applied on top: a date mapped to True is a
    working day, to False a day off.
    """

    def __init__(self, swaps: Mapping[date, bool] | None = None) -> None:
        self._swaps: dict[date, bool] = dict(swaps or {})
        self._holidays = holidays.country_holidays("VN", language="vi")
        # each day asked once (the package's answer costs microseconds; judging a city's pending items
        # walks the same days thousands of times): the swaps are fixed for the calendar's life
        self._working: dict[date, bool] = {}
        # per year: the working days from 1 January through each day of the year (index: day of year - 1),
        # so that counting between two dates costs two look-ups, not a walk over the days between
        self._through_day: dict[int, list[int]] = {}

    @property
    def swaps(self) -> Mapping[date, bool]:
        return dict(self._swaps)

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            swapped = self._swaps.get(day)
            known = swapped if swapped is not None else bool(self._holidays.is_working_day(day))
            self._working[day] = known
        return known

    def holiday_name(self, day: date) -> str | None:
        """The package's Vietnamese name of a public holiday, "Ngày nghỉ (điều chỉnh)" for a swap to a
        day off, None otherwise (weekends included)."""
        swapped = self._swaps.get(day)
        if swapped is True:
            return None
        if swapped is False:
            return "Ngày nghỉ (điều chỉnh)"
        name = self._holidays.get(day)
        return str(name) if name else None

    def public_holidays(self, year: int) -> list[tuple[date, str]]:
        """The package's public holidays of ``year`` (before swaps), in date order."""
        _ = date(year, 1, 1) in self._holidays  # populates the year
        return sorted((d, str(name)) for d, name in self._holidays.items() if d.year == year)

    def last_working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def last_working_day_before(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        return self.last_working_day_on_or_before(day - _ONE_DAY)

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0); ``day`` itself is not
        counted and is returned unchanged when ``n`` == 0. Friday + 1 → Monday (without holidays)."""
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days passed going from ``start`` to ``end``: those in (start, end] when end ≥ start,
        minus those in [end, start) otherwise. ``working_days_between(a, add_working_days(a, n)) == n``."""
        if end >= start:
            return self._working_days_through(end, start.year) - self._working_days_through(start, start.year)
        # those in [end, start): in (end - 1 day, start - 1 day]
        before_end, before_start = end - _ONE_DAY, start - _ONE_DAY
        first = before_end.year
        return self._working_days_through(before_end, first) - self._working_days_through(before_start, first)

    def _working_days_through(self, day: date, first_year: int) -> int:
        """The working days from 1 January of ``first_year`` (≤ ``day.year``) through ``day``."""
        return (
            sum(self._year_counts(year)[-1] for year in range(first_year, day.year))
            + self._year_counts(day.year)[day.timetuple().tm_yday - 1]
        )

    def _year_counts(self, year: int) -> list[int]:
        counts = self._through_day.get(year)
        if counts is None:
            counts, total = [], 0
            first = date(year, 1, 1).toordinal()
            for ordinal in range(first, date(year, 12, 31).toordinal() + 1):
                total += self.is_working_day(date.fromordinal(ordinal))
                counts.append(total)
            self._through_day[year] = counts
        return counts


# --------------------------------------------------------------------------------------------------
# Occurrences
# --------------------------------------------------------------------------------------------------

OccurrenceKind = Literal["deadline", "check-in"]
_PERIOD = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?")


@dataclass(frozen=True)
class Occurrence:
    """One dated occurrence of a schedule: ``period`` "2026", "2026-Q2", "2026-H2" or "2026-09"."""

    year: int
    period: str
    window_start: date
    due: date
    kind: OccurrenceKind

    @property
    def window_end(self) -> date:
        """The last day of the period."""
        return period_bounds(self.period)[1]

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "period": self.period,
            "window_start": self.window_start.isoformat(),
            "due": self.due.isoformat(),
            "kind": self.kind,
        }


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period named "2026", "2026-Q2", "2026-H2" or "2026-09"."""
    match = _PERIOD.fullmatch(period)
    if match is None:
        raise ValueError(f"bad period {period!r}")
    year, part = int(match[1]), match[2]
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    if part[0] == "Q":
        first_month, months = 3 * int(part[1]) - 2, 3
    elif part[0] == "H":
        first_month, months = 6 * int(part[1]) - 5, 6
    else:
        first_month, months = int(part), 1
    last_month = first_month + months - 1
    return date(year, first_month, 1), date(year, last_month, _calendar.monthrange(year, last_month)[1])


def _period_occurrence(
    calendar: WorkingCalendar, year: int, period: str, kind: OccurrenceKind = "deadline"
) -> Occurrence:
    start, end = period_bounds(period)
    return Occurrence(year, period, start, calendar.last_working_day_on_or_before(end), kind)


def _before_occurrence(calendar: WorkingCalendar, deadline: date) -> Occurrence:
    year = deadline.year
    return Occurrence(
        year, str(year), date(year, 1, 1), calendar.last_working_day_before(deadline), "deadline"
    )


def occurrences(
    schedule: Schedule, from_year: int, to_year: int, calendar: WorkingCalendar
) -> list[Occurrence]:
    """The dated occurrences of ``schedule`` whose period's year is in [from_year, to_year], in order."""
    years = range(from_year, to_year + 1)
    result: list[Occurrence] = []
    kind = schedule.kind
    if kind == YEARLY:
        result = [_period_occurrence(calendar, y, str(y)) for y in years]
    elif kind == YEARS:
        result = [_period_occurrence(calendar, y, str(y)) for y in schedule.years if y in years]
    elif kind == YEARLY_BEFORE and schedule.day is not None and schedule.month is not None:
        for y in years:
            deadline = _valid_date(y, schedule.month, schedule.day)
            if deadline is not None:
                result.append(_before_occurrence(calendar, deadline))
    elif kind == BEFORE_DATE and schedule.exact_date is not None:
        if schedule.exact_date.year in years:
            result = [_before_occurrence(calendar, schedule.exact_date)]
    elif kind in (MONTHS, MONTHLY):
        months = schedule.months if kind == MONTHS else tuple(range(1, 13))
        result = [_period_occurrence(calendar, y, f"{y}-{m:02d}") for y in years for m in months]
    elif kind == MONTH_OF_YEAR:
        result = [_period_occurrence(calendar, y, f"{y}-{m:02d}") for y, m in schedule.items if y in years]
    elif kind in (QUARTERS, QUARTERLY, ONGOING):
        quarters = schedule.quarters if kind == QUARTERS else (1, 2, 3, 4)
        occurrence_kind: OccurrenceKind = "check-in" if kind == ONGOING else "deadline"
        result = [
            _period_occurrence(calendar, y, f"{y}-Q{q}", occurrence_kind) for y in years for q in quarters
        ]
    elif kind == HALF:
        result = [_period_occurrence(calendar, y, f"{y}-H{h}") for y in years for h in schedule.halves]
    return sorted(result, key=lambda o: (o.due, o.window_start))


# --------------------------------------------------------------------------------------------------
# Appendix table
# --------------------------------------------------------------------------------------------------

BodyMatcher = Callable[[str], bool]

# Normalised beginnings of a body's name: the contract's list, a single thôn / tổ dân phố included.
# Abbreviations such as "UBND" are deliberately absent: "Văn phòng HĐND và UBND xã" is one body.
_BODY_PREFIXES: Final = (
    "phong",
    "trung tam",
    "van phong",
    "uy ban",
    "ban",
    "hoi",
    "doan",
    "cong an",
    "quan su",
    "tram",
    "truong",
    "cac thon",
    "cac to dan pho",
    "thon",
    "to dan pho",
)
_COORDINATOR_LINES = re.compile(r"[;\r\n]+")
_COORDINATOR_PARTS = re.compile(r"\s*,\s*|\s+(?:và|va)\s+", re.IGNORECASE)
_EDGE_PUNCTUATION = " \t,.;:"


def is_body_name(name: str, body_matcher: BodyMatcher | None = None) -> bool:
    """True when ``name`` starts like a body's name (Phòng, Trung tâm, Văn phòng, Ủy ban, Ban, Hội,
    Đoàn, Công an, Quân sự, Trạm, Trường, các thôn/tổ dân phố…) or ``body_matcher`` knows it."""
    text = normalize(name)
    if any(text == prefix or text.startswith(prefix + " ") for prefix in _BODY_PREFIXES):
        return True
    return bool(body_matcher and body_matcher(name.strip()))


def split_coordinators(cell: str, body_matcher: BodyMatcher | None = None) -> list[str]:
    """The "Cơ quan phối hợp" cell as a list: split on ";" and line breaks, then on "," and " và " only
    where every resulting part is a body (:func:`is_body_name`); otherwise the piece stays whole, so
    "Các phòng, ban, đơn vị liên quan" is one coordinator. A piece ``body_matcher`` knows as one body
    ("Văn phòng HĐND và UBND xã") is never split."""
    result: list[str] = []
    for line in _COORDINATOR_LINES.split(cell):
        piece = _collapse(line).strip(_EDGE_PUNCTUATION)
        if not piece:
            continue
        parts = [part.strip(_EDGE_PUNCTUATION) for part in _COORDINATOR_PARTS.split(piece)]
        whole_is_known = body_matcher is not None and body_matcher(piece)
        if (
            len(parts) > 1
            and not whole_is_known
            and all(part and is_body_name(part, body_matcher) for part in parts)
        ):
            result.extend(parts)
        else:
            result.append(piece)
    return result


@dataclass
class ParsedTask:
    """One task of the appendix. ``number`` is the STT as text; ``section`` "II. Title" or None."""

    number: str
    section: str | None
    text: str
    lead: str
    coordinators: list[str]
    time_phrase: str
    schedule: Schedule
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "section": self.section,
            "text": self.text,
            "lead": self.lead,
            "coordinators": list(self.coordinators),
            "time_phrase": self.time_phrase,
            "schedule": self.schedule.to_json(),
            "flags": list(self.flags),
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data


_HEADER_FIRST_CELLS: Final = frozenset({"stt", "tt", "so tt", "so thu tu"})
_ROMAN = re.compile(r"(?=[IVXLC])(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_HEADING = re.compile(r"([IVXLC]+)[.)]?\s+(.+)", re.DOTALL)
_STT_LIKE = re.compile(r"\d+(?:\.\d+)*\.?|[IVXLC]+\.?|[a-zđ]\)?")
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")
_TRAILING_DASH = re.compile(r"\s*([-–—])$")
_MAIN_COLUMNS: Final = 5


def _is_roman(text: str) -> bool:
    return bool(text) and _ROMAN.fullmatch(text) is not None


def _join_cells(above: str, below: str) -> str:
    """Join a cell to its continuation: with a space, or " - " after a trailing dash."""
    above, below = above.rstrip(), below.strip()
    if not below:
        return above
    if not above:
        return below
    if dash := _TRAILING_DASH.search(above):
        return f"{above[: dash.start()]} {dash[1]} {below}"
    return f"{above} {below}"


_QUOTED_CELL = re.compile(r'"((?:[^"]|"")*)"(?=\t|\r\n|\n|\r|\Z)')
_PLAIN_CELL = re.compile(r"[^\t\r\n]*")
_LINE_END = re.compile(r"\r\n|\n|\r")


def _read_rows(text: str) -> list[tuple[int, list[str]]]:
    """TSV rows with the line each starts on. Excel's quoting is understood: a cell starting with a
    double quote whose closing quote ends the cell may hold tabs, line breaks and doubled quotes ("");
    any other quote is plain text (a cell typed as ``"Chính quyền" thân thiện`` keeps its quotes, and a
    stray quote never swallows the rows after it, as the csv module would)."""
    text = text.removeprefix("\ufeff")
    rows: list[tuple[int, list[str]]] = []
    row: list[str] = []
    pos, line, row_line = 0, 1, 1
    while True:
        quoted = _QUOTED_CELL.match(text, pos) if text.startswith('"', pos) else None
        if quoted is not None:
            row.append(_LINE_END.sub("\n", quoted[1].replace('""', '"')))
            line += len(_LINE_END.findall(quoted[0]))
            pos = quoted.end()
        else:
            plain = _PLAIN_CELL.match(text, pos)
            assert plain is not None  # matches the empty string at worst
            row.append(plain[0])
            pos = plain.end()
        if text.startswith("\t", pos):
            pos += 1
            continue
        rows.append((row_line, row))
        end = _LINE_END.match(text, pos)
        if end is None:  # end of text
            break
        pos, line, row = end.end(), line + 1, []
        row_line = line
    return rows


def _is_header(cells: Sequence[str]) -> bool:
    return normalize(cells[0]).rstrip(".") in _HEADER_FIRST_CELLS


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """The "(1) (2) (3) …" row some tables carry under the header."""
    filled = [(i, c) for i, c in enumerate(cells) if c.strip()]
    if len(filled) < 3:
        return False
    for index, cell in filled:
        match = _COLUMN_NUMBER.fullmatch(cell.strip())
        if match is None or int(match[1]) != index + 1:
            return False
    return True


def _starts_table(cells: Sequence[str]) -> bool:
    return len(cells) >= 2 and _STT_LIKE.fullmatch(_collapse(cells[0])) is not None


@dataclass
class _Block:
    line: int
    number: str
    section: str | None
    cells: list[str]


def parse_appendix(text: str, body_matcher: BodyMatcher | None = None) -> list[ParsedTask]:
    """Parse an appendix table ("PHỤ LỤC NHIỆM VỤ CỤ THỂ") pasted or saved as TSV.

    Columns STT (or TT), Nhiệm vụ cụ thể, Thời gian thực hiện, Cơ quan chủ trì, Cơ quan phối hợp;
    further columns become ``notes`` ("Header: value" when the header names them). Lines before the
    first header row (the title) are ignored; without any header row, lines before the first row with
    an STT and several cells are. Blank lines, repeated header rows and a "(1) (2) (3)…" column-number
    row are skipped. A row with an empty STT continues the row above (see :func:`_join_cells`); a row
    whose STT is a Roman numeral and that has no time phrase is a section heading ("II. Title"), also
    when the whole heading sits in the first cell. STT "3." is read as "3".
    """
    rows = [(line, [cell.strip() for cell in row]) for line, row in _read_rows(text)]
    rows = [(line, _trim(cells)) for line, cells in rows]
    rows = [(line, cells) for line, cells in rows if cells]

    header_at = next((i for i, (_, cells) in enumerate(rows) if _is_header(cells)), None)
    if header_at is not None:
        start = header_at
    else:
        start = next((i for i, (_, cells) in enumerate(rows) if _starts_table(cells)), len(rows))
    extra_labels: list[str] = []
    if header_at is not None:
        extra_labels = [_collapse(c) for c in rows[header_at][1][_MAIN_COLUMNS:]]

    blocks: list[_Block] = []
    section: str | None = None
    section_open = False  # the last row read was a section heading (a continuation extends it)
    for line, cells in rows[start:]:
        if _is_header(cells) or _is_column_numbers(cells):
            continue
        number = _collapse(cells[0])
        rest = cells[1:]
        heading = _section_heading(number, rest)
        if heading is not None:
            section, section_open = heading, True
            continue
        if not number:
            if section_open and section is not None:
                section = _join_cells(section, " ".join(c for c in rest if c))
                continue
            if blocks:
                above = blocks[-1].cells
                above.extend([""] * (len(cells) - len(above)))
                for i in range(1, len(cells)):
                    above[i] = _join_cells(above[i], cells[i])
                continue
        section_open = False
        number = number.removesuffix(".") if len(number) > 1 else number
        blocks.append(_Block(line, number, section, list(cells)))
    tasks = [_finish(block, extra_labels, body_matcher) for block in blocks]
    counts = Counter(task.number for task in tasks if task.number)
    for task in tasks:
        if counts[task.number] > 1:
            task.flags.append(f"Số thứ tự «{task.number}» trùng với nhiệm vụ khác trong phụ lục")
    return tasks


# The main columns after STT, in order: (title, words one of which its header holds).
_MAIN_HEADERS: Final = (
    ("Nhiệm vụ cụ thể", ("nhiem vu", "noi dung", "cong viec")),
    ("Thời gian thực hiện", ("thoi gian", "thoi han", "tien do")),
    ("Cơ quan chủ trì", ("chu tri",)),
    ("Cơ quan phối hợp", ("phoi hop",)),
)
_EXTRA_HEADERS: Final = ("ghi chu", "san pham", "ket qua")


def _header_column(cell: str) -> int | None:
    """Which main column (1..4) a header cell names, -1 for a known extra column, None when unknown."""
    text = normalize(cell)
    for index, (_, words) in enumerate(_MAIN_HEADERS, start=1):
        if any(word in text for word in words):
            return index
    if any(word in text for word in _EXTRA_HEADERS):
        return -1
    return None


def appendix_column_problems(text: str) -> list[str]:
    """What makes the table unreadable as an appendix: a header row (STT/TT …) without one of the
    columns Nhiệm vụ cụ thể, Thời gian thực hiện, Cơ quan chủ trì, Cơ quan phối hợp (or with them out
    of order), or, without a header row, no column for the lead body (an empty last column cannot be told
    from a missing one there). Empty for a table that can be read; per-row gaps are not problems here
    (they are flags on the tasks)."""
    rows = [(line, [cell.strip() for cell in row]) for line, row in _read_rows(text)]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    header = next(((line, cells) for line, cells in rows if _is_header(cells)), None)
    wanted = ", ".join(["STT", *(title for title, _ in _MAIN_HEADERS)])
    if header is None:
        start = next((i for i, (_, cells) in enumerate(rows) if _starts_table(_trim(list(cells)))), None)
        if start is None:
            return []
        width = max(len(_trim(list(cells))) for _, cells in rows[start:])
        if width < _MAIN_COLUMNS - 1:
            return [
                f"Bảng phụ lục chỉ có {width} cột; cần đủ {_MAIN_COLUMNS} cột theo thứ tự: {wanted} "
                "(cột để trống vẫn phải có)."
            ]
        return []
    line, cells = header
    positions: dict[int, int] = {}
    for position, cell in enumerate(cells):
        column = _header_column(cell)
        if column is not None and column > 0:
            positions.setdefault(column, position)
    problems: list[str] = []
    for index, (title, _) in enumerate(_MAIN_HEADERS, start=1):
        found = positions.get(index)
        if found is None:
            at = cells[index] if index < len(cells) else ""
            if not at or _header_column(at) is not None:
                problems.append(f"Dòng {line}: thiếu cột «{title}» (cột {index + 1} của bảng).")
        elif found != index:
            problems.append(
                f"Dòng {line}: cột «{cells[found]}» đang ở vị trí {found + 1}, "
                f"phải ở vị trí {index + 1} (thứ tự cột: {wanted})."
            )
    return problems


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _section_heading(number: str, rest: Sequence[str]) -> str | None:
    time_phrase = rest[1] if len(rest) > 1 else ""
    if _is_roman(number.removesuffix(".")) and not time_phrase.strip():
        title = _collapse(rest[0]) if rest else ""
        return f"{number.removesuffix('.')}. {title}" if title else number.removesuffix(".")
    match = _ROMAN_HEADING.fullmatch(number) if not any(c.strip() for c in rest) else None
    if match is not None and _is_roman(match[1]):
        return f"{match[1]}. {_collapse(match[2])}"
    return None


def _finish(block: _Block, extra_labels: Sequence[str], body_matcher: BodyMatcher | None) -> ParsedTask:
    cells = block.cells + [""] * max(0, _MAIN_COLUMNS - len(block.cells))
    text, time_phrase, lead = _collapse(cells[1]), _collapse(cells[2]), _collapse(cells[3])
    coordinators = split_coordinators(cells[4], body_matcher)
    notes = []
    for i, cell in enumerate(cells[_MAIN_COLUMNS:]):
        value = _collapse(cell)
        if value:
            label = extra_labels[i] if i < len(extra_labels) and extra_labels[i] else ""
            notes.append(f"{label}: {value}" if label else value)
    flags = []
    if not block.number:
        flags.append(f"Thiếu số thứ tự (STT) ở dòng {block.line}")
    if not text:
        flags.append("Thiếu nội dung nhiệm vụ (cột «Nhiệm vụ cụ thể»)")
    schedule = parse_time_phrase(time_phrase)
    if not time_phrase:
        flags.append("Thiếu thời gian thực hiện (cột «Thời gian thực hiện»)")
    elif not schedule.readable:
        flags.append(f"Không đọc được thời gian thực hiện: «{time_phrase}»")
    if not lead:
        flags.append("Thiếu cơ quan chủ trì (cột «Cơ quan chủ trì»)")
    return ParsedTask(
        number=block.number,
        section=block.section,
        text=text,
        lead=lead,
        coordinators=coordinators,
        time_phrase=time_phrase,
        schedule=schedule,
        flags=flags,
        notes=notes,
    )


def occurrences_for_tasks(
    tasks: Iterable[ParsedTask], from_year: int, to_year: int, calendar: WorkingCalendar
) -> list[dict[str, Any]]:
    """``{"task", "year", "period", "window_start", "due", "kind"}`` for every task's occurrences in the
    year range, sorted by due date, then task number in natural order ("2" before "10")."""
    rows: list[tuple[date, tuple[tuple[int, int | str], ...], date, dict[str, Any]]] = []
    for task in tasks:
        key = natural_key(task.number)
        for occurrence in occurrences(task.schedule, from_year, to_year, calendar):
            rows.append(
                (occurrence.due, key, occurrence.window_start, {"task": task.number, **occurrence.to_json()})
            )
    rows.sort(key=lambda row: row[:3])
    return [row[3] for row in rows]
