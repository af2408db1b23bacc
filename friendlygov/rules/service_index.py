"""Real-time service index (QĐ 766/QĐ-TTg, 23/6/2022): the commune-relevant figures, pure.

Source of the rules: an unofficial transcription of the national public-service portal's technical
description of the index (published by provincial Departments of Home Affairs). The functions take plain
records — the dossiers and feedback apps build them from their models — and return a :class:`Rate`
(numerator, denominator and the Decimal rate). Nothing here knows Django, the calendar module or the rest
of friendlygov: working days come in as a callable.

Indicators covered:

- 2.1 :func:`on_time_rate` — dossiers finished or pending on time ÷ dossiers in the period;
- 3.3 :func:`online_share` — online dossiers ÷ all dossiers (full points at 50 %);
- 4.1 :func:`electronic_result_rate` — dossiers whose result was issued electronically ÷ all (helper);
- 4.2 :func:`digitisation_rate` — digitised dossiers ÷ all dossiers (full points at 80 %);
- 5.2 :func:`feedback_on_time` — feedback handled within the time limits ÷ feedback in the period;
- 5.3 :func:`feedback_satisfaction` — satisfied ratings of feedback answers ÷ ratings given;
- :func:`target_points` — points = max if rate ≥ target, else rate × max ÷ target.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

__all__ = [
    "INDICATOR_NAMES",
    "FEEDBACK_HANDLE_DAYS",
    "FEEDBACK_PUBLISH_DAYS",
    "FEEDBACK_REJECT_DAYS",
    "FEEDBACK_REQUEST_MORE_DAYS",
    "ONLINE_CHANNELS",
    "TARGET_DIGITISATION",
    "TARGET_DOSSIER_SATISFACTION",
    "TARGET_ONLINE_SHARE",
    "DossierRecord",
    "FeedbackRecord",
    "Rate",
    "WorkingDaysBetween",
    "digitisation_rate",
    "dossier_on_time",
    "electronic_result_rate",
    "feedback_item_on_time",
    "feedback_on_time",
    "feedback_satisfaction",
    "on_time_rate",
    "online_share",
    "target_points",
]

#: What people see for each indicator: its name, never its number in QĐ 766 ("2.1", "3.3", "5.2"…), which
#: reads like a criterion's code (criterion 2.1 of the programme is something else). Keyed by the figure.
#: Pages write the same names as literal msgids (tests/dossiers/test_indicator_names.py checks both agree).
INDICATOR_NAMES: dict[str, str] = {
    "on_time": "Tỷ lệ hồ sơ giải quyết đúng hạn",  # 2.1
    "online": "Tỷ lệ hồ sơ nộp trực tuyến",  # 3.3
    "electronic": "Tỷ lệ hồ sơ trả kết quả điện tử",  # 4.1
    "digitisation": "Tỷ lệ hồ sơ được số hóa",  # 4.2
    "feedback_on_time": "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",  # 5.2
    "feedback_satisfaction": "Tỷ lệ hài lòng với việc giải quyết phản ánh, kiến nghị",  # 5.3
    "dossier_satisfaction": "Tỷ lệ hài lòng với việc giải quyết hồ sơ",  # 5.4
}

#: 3.3: full points when at least half of the dossiers were filed online.
TARGET_ONLINE_SHARE = Decimal("0.5")
#: 4.2: full points when at least 80 % of the dossiers were digitised.
TARGET_DIGITISATION = Decimal("0.8")
#: 5.4: full points when at least 90 % are satisfied with dossier handling.
TARGET_DOSSIER_SATISFACTION = Decimal("0.9")

#: 5.2 time limits, in working days.
FEEDBACK_REJECT_DAYS = 2
FEEDBACK_REQUEST_MORE_DAYS = 5
FEEDBACK_HANDLE_DAYS = 15
FEEDBACK_PUBLISH_DAYS = 2

#: Channel values meaning "filed online" (compared case-insensitively, spaces trimmed).
ONLINE_CHANNELS: frozenset[str] = frozenset({"online"})

#: ``working_days_between(start, end)``: the working days after ``start`` up to and including ``end``
#: (0 when ``end <= start``) — i.e. the working days elapsed. Deadlines "within N working days" hold
#: when this is ≤ N.
WorkingDaysBetween = Callable[[date, date], int]

_RATE_PRECISION = 28


@dataclass(frozen=True)
class Rate:
    """A ratio of counts. ``rate`` is a Decimal in 0..1 (28 significant digits), None when nothing counted."""

    numerator: int
    denominator: int

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        with localcontext() as ctx:
            ctx.prec = _RATE_PRECISION
            return Decimal(self.numerator) / Decimal(self.denominator)

    def percent(self, places: int = 2) -> Decimal | None:
        """The rate as a percentage rounded half-up to ``places`` decimals."""
        # in integers, no Fraction made: a city's table rounds a thousand rates
        return _rounded_ratio(self.numerator * 100, self.denominator, places) if self.denominator else None


def _rounded_ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """``numerator / denominator`` rounded half-up (halves away from zero) to ``places`` decimals, exactly."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    scaled = abs(numerator) * 10**places
    rounded = (scaled * 2 + denominator) // (denominator * 2)
    return Decimal(-rounded if numerator < 0 else rounded).scaleb(-places)


def _to_decimal(value: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _RATE_PRECISION
        return Decimal(value.numerator) / Decimal(value.denominator)


# --------------------------------------------------------------------------------------------------
# Dossiers


@dataclass(frozen=True)
class DossierRecord:
    """One administrative-procedure dossier as the 766 figures see it.

    - ``appointment``: the appointment (due) time written on the receipt; None for a procedure with no
      appointment (handled on the spot), which can never be late;
    - ``finished``: when the result was ready (None while pending);
    - ``supplement_requests``: how many times the citizen was asked to supplement the dossier;
    - ``waiting_days``: the calendar days (may be fractional) the clock was stopped waiting for the
      citizen (supplementing the dossier, paying…); they extend the appointment;
    - ``channel``: how it was filed (see :data:`ONLINE_CHANNELS`); ``digitised``: its components were
      digitised; ``electronic_result``: the result was issued electronically.
    """

    receipt_no: str
    procedure: str
    received: datetime
    appointment: datetime | None
    finished: datetime | None
    supplement_requests: int = 0
    waiting_days: Decimal | int = 0
    channel: str = ""
    digitised: bool = False
    electronic_result: bool = False


def _waiting_delta(days: Decimal | int) -> timedelta:
    value = Decimal(days)
    if not value.is_finite() or value < 0:
        raise ValueError(f"waiting_days must be a number ≥ 0, got {days!r}")
    return timedelta(microseconds=int(value * 86_400_000_000))


def dossier_on_time(record: DossierRecord, as_of: datetime) -> bool:
    """Whether one dossier counts as on time (2.1) at ``as_of`` (the end of the period).

    Interpretation:

    - the deadline is the appointment plus the citizen's waiting time (``waiting_days``);
    - more than one request to supplement makes the dossier late, whatever the dates;
    - finished by ``as_of``: on time when finished ≤ deadline (times compared exactly);
    - not finished by ``as_of`` (``finished`` None or later than ``as_of``): pending; on time while
      ``as_of`` ≤ deadline, late once the deadline has passed at ``as_of``;
    - no appointment: on time (nothing to be late against), unless supplemented more than once.
    """
    if record.supplement_requests < 0:
        raise ValueError(f"supplement_requests must be ≥ 0, got {record.supplement_requests!r}")
    if record.supplement_requests > 1:
        return False
    if record.appointment is None:
        _waiting_delta(record.waiting_days)
        return True
    deadline = record.appointment + _waiting_delta(record.waiting_days)
    if record.finished is not None and record.finished <= as_of:
        return record.finished <= deadline
    return as_of <= deadline


def on_time_rate(records: Iterable[DossierRecord], period_end: datetime) -> Rate:
    """2.1: dossiers finished or pending on time ÷ dossiers in the period, counted at ``period_end``.

    ``records`` are the dossiers of the period as the caller defines it (the portal counts those received
    in the period and those carried over pending); a record received after ``period_end`` is not yet in
    the period and is ignored. Each counted dossier is judged by :func:`dossier_on_time` at
    ``period_end``. An empty period gives ``Rate(0, 0)`` (rate None).
    """
    numerator = denominator = 0
    for record in records:
        if record.received > period_end:
            continue
        denominator += 1
        if dossier_on_time(record, period_end):
            numerator += 1
    return Rate(numerator, denominator)


def online_share(
    records: Iterable[DossierRecord], online_channels: Collection[str] = ONLINE_CHANNELS
) -> Rate:
    """3.3: dossiers filed online ÷ all dossiers given (target :data:`TARGET_ONLINE_SHARE`, 50 %).

    A dossier is online when its ``channel`` (trimmed, lower case) is one of ``online_channels``.
    """
    wanted = {channel.strip().lower() for channel in online_channels}
    numerator = denominator = 0
    for record in records:
        denominator += 1
        if record.channel.strip().lower() in wanted:
            numerator += 1
    return Rate(numerator, denominator)


def digitisation_rate(records: Iterable[DossierRecord]) -> Rate:
    """4.2: digitised dossiers ÷ all dossiers given (target :data:`TARGET_DIGITISATION`, 80 %)."""
    numerator = denominator = 0
    for record in records:
        denominator += 1
        if record.digitised:
            numerator += 1
    return Rate(numerator, denominator)


def electronic_result_rate(records: Iterable[DossierRecord]) -> Rate:
    """4.1 (helper): dossiers whose result was issued electronically ÷ all dossiers given."""
    numerator = denominator = 0
    for record in records:
        denominator += 1
        if record.electronic_result:
            numerator += 1
    return Rate(numerator, denominator)


def target_points(rate: Rate | Decimal, max_points: Decimal | int, target: Decimal) -> Decimal:
    """Points of an indicator with a target T: ``max_points`` if rate ≥ T, else rate × max ÷ T.

    ``rate`` is a fraction in 0..1 (a :class:`Rate` is used exactly); ``0 < target ≤ 1``;
    ``max_points ≥ 0``. The result is exact when it terminates, else 28 significant digits; round it
    where it is shown. A Rate with nothing counted (denominator 0) has no points: ValueError.
    """
    if isinstance(rate, Rate):
        exact_rate = rate.exact
        if exact_rate is None:
            raise ValueError("target_points: the rate has no denominator (nothing was counted)")
    else:
        if not Decimal(rate).is_finite():
            raise ValueError(f"target_points: rate must be a finite number, got {rate!r}")
        exact_rate = Fraction(rate)
    if exact_rate < 0:
        raise ValueError(f"target_points: rate must be ≥ 0, got {rate!r}")
    maximum = Fraction(max_points)
    if maximum < 0:
        raise ValueError(f"target_points: max_points must be ≥ 0, got {max_points!r}")
    goal = Fraction(target)
    if not 0 < goal <= 1:
        raise ValueError(f"target_points: target must be in (0, 1], got {target!r}")
    if exact_rate >= goal:
        return Decimal(max_points)
    return _to_decimal(exact_rate * maximum / goal)


# --------------------------------------------------------------------------------------------------
# Feedback (phản ánh, kiến nghị)


@dataclass(frozen=True)
class FeedbackRecord:
    """One piece of feedback and how it was handled (dates in Asia/Ho_Chi_Minh).

    - ``rejected``: the day it was refused (not accepted for handling), if it was;
    - ``more_info_requested``: the day the citizen was asked for more information, if they were;
    - ``handled``: the day it was handled (answer decided); ``published``: the day the answer was
      published;
    - ``waiting_working_days``: the working days the clock was stopped waiting for the citizen;
    - ``satisfied``: the citizen's rating of the answer (True satisfied, False not, None not rated).
    """

    reference: str
    received: date
    rejected: date | None = None
    more_info_requested: date | None = None
    handled: date | None = None
    published: date | None = None
    waiting_working_days: int = 0
    satisfied: bool | None = None


def _happened(day: date | None, as_of: date) -> date | None:
    return day if day is not None and day <= as_of else None


def feedback_item_on_time(
    record: FeedbackRecord, as_of: date, working_days_between: WorkingDaysBetween
) -> bool:
    """Whether one piece of feedback is within the 5.2 time limits at ``as_of``.

    Interpretation (elapsed = ``working_days_between(start, end)``, see :data:`WorkingDaysBetween`; the
    citizen's waiting time ``waiting_working_days`` is deducted from every duration counted from
    receipt, except the request for more information, which precedes any waiting; an event dated after
    ``as_of`` has not happened yet):

    - refused: on time when refused within 2 working days of receipt (nothing else applies);
    - asked for more information: the request must come within 5 working days of receipt;
    - handled: within 15 working days of receipt; the answer must then be published within 2 working
      days after handling — once 2 working days have passed without publication it is late;
    - still pending at ``as_of``: late once more than 15 working days have elapsed since receipt,
      otherwise on time (as 2.1 counts dossiers pending on time).
    """
    if record.waiting_working_days < 0:
        raise ValueError(f"waiting_working_days must be ≥ 0, got {record.waiting_working_days!r}")
    waiting = record.waiting_working_days

    def elapsed_from_receipt(end: date) -> int:
        return max(working_days_between(record.received, end) - waiting, 0)

    rejected = _happened(record.rejected, as_of)
    if rejected is not None:
        return elapsed_from_receipt(rejected) <= FEEDBACK_REJECT_DAYS
    asked = _happened(record.more_info_requested, as_of)
    if asked is not None and working_days_between(record.received, asked) > FEEDBACK_REQUEST_MORE_DAYS:
        return False
    handled = _happened(record.handled, as_of)
    if handled is None:
        return elapsed_from_receipt(as_of) <= FEEDBACK_HANDLE_DAYS
    if elapsed_from_receipt(handled) > FEEDBACK_HANDLE_DAYS:
        return False
    published = _happened(record.published, as_of)
    publish_end = published if published is not None else as_of
    return working_days_between(handled, publish_end) <= FEEDBACK_PUBLISH_DAYS


def feedback_on_time(
    records: Iterable[FeedbackRecord], period_end: date, working_days_between: WorkingDaysBetween
) -> Rate:
    """5.2: feedback within the time limits ÷ feedback in the period, judged at ``period_end``.

    Feedback received after ``period_end`` is ignored; each other record is judged by
    :func:`feedback_item_on_time`. ``working_days_between`` comes from the calendar module.
    """
    numerator = denominator = 0
    for record in records:
        if record.received > period_end:
            continue
        denominator += 1
        if feedback_item_on_time(record, period_end, working_days_between):
            numerator += 1
    return Rate(numerator, denominator)


def feedback_satisfaction(records: Iterable[FeedbackRecord]) -> Rate:
    """5.3: answers rated satisfied ÷ answers rated (records with ``satisfied`` None are left out)."""
    numerator = denominator = 0
    for record in records:
        if record.satisfied is None:
            continue
        denominator += 1
        if record.satisfied:
            numerator += 1
    return Rate(numerator, denominator)
