"""The programme's calendar: where a commune is in its yearly "Chính quyền thân thiện" cycle on a given day.

Pure rules (no Django). The yearly deadlines are the plan's and the city's (Thanh Miện's appendix, tasks 3, 5,
6, 7 and 10; Hải Phòng's process): the target level is registered before 15/02, the self-assessment is sent
before 12/11, the city appraises and recognises by 31/12, rewards and the annual report are done in December;
the mid-term review is held in 2027 and the final review in 2030. The plan runs from 2026; 2025 was the pilot
year.

:func:`year_events` gives the days on which a commune that keeps to the calendar does each step of a year
(always on working days, always before the deadline); :func:`programme_stage` says how far the year of
``today`` has gone and which earlier years are complete. The demo reads both, so that whatever today's date
the demo data shows the commune where a real one would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from friendlygov.rules.schedule import WorkingCalendar

__all__ = [
    "END_YEAR",
    "FINAL_REVIEW_YEAR",
    "MIDTERM_REVIEW_YEAR",
    "PILOT_YEAR",
    "START_YEAR",
    "ProgrammeStage",
    "Step",
    "YearEvents",
    "programme_stage",
    "year_events",
]

PILOT_YEAR = 2025
START_YEAR = 2026
END_YEAR = 2030
MIDTERM_REVIEW_YEAR = 2027
FINAL_REVIEW_YEAR = 2030

REGISTRATION_DUE = (2, 15)  # (month, day): "Trước ngày 15/02 hằng năm"
SUBMISSION_DUE = (11, 12)  # "Trước ngày 12/11 hằng năm"
APPRAISAL_DUE = (12, 31)  # the city appraises and recognises by the end of the year

# The day (month, day) on or before which each step is done by a commune keeping to the calendar (moved back
# to the last working day).
_REGISTERED = (1, 28)
_ACCEPTED_AFTER = 5  # working days after the registration, the city accepts it
_BUDGET = (1, 20)  # the year's estimate for the programme (Phòng Kinh tế)
_VILLAGE_REVIEWS = (10, 20)  # villages' yearly reviews, before the self-assessment is compiled
_SUBMITTED = (11, 5)
_APPRAISED = (12, 5)
_REWARDED = (12, 15)
_RECOGNISED = (12, 22)
_REPORTED = (12, 25)
_REVIEW_OPENED = (9, 15)
_REVIEW_ISSUED = (12, 18)


class Step(IntEnum):
    """The steps of a year's cycle, in the order they happen."""

    OPENED = 0  # the city has opened the year's cycle; the registration is being prepared
    REGISTERED = 1  # the target level is registered (and accepted); self-scoring through the year
    SUBMITTED = 2  # the self-assessment is sent to the city
    APPRAISED = 3  # the city's appraisal is finished
    REWARDED = 4  # the commune's reward decision
    RECOGNISED = 5  # the city's recognition decision
    REPORTED = 6  # the annual report is issued: the year is complete


@dataclass(frozen=True)
class YearEvents:
    """The deadlines of one year and the days a commune keeping to the calendar does each step."""

    year: int
    registration_due: date
    submission_due: date
    appraisal_due: date
    registered: date
    accepted: date
    budget: date
    village_reviews: date
    submitted: date
    appraised: date
    rewarded: date
    recognised: date
    reported: date
    review_kind: str | None  # "midterm" (2027), "final" (2030) or None
    review_opened: date | None
    review_issued: date | None

    def day_of(self, step: Step) -> date | None:
        """The day ``step`` is done (None for OPENED, which has no day of its own)."""
        return {
            Step.OPENED: None,
            Step.REGISTERED: self.registered,
            Step.SUBMITTED: self.submitted,
            Step.APPRAISED: self.appraised,
            Step.REWARDED: self.rewarded,
            Step.RECOGNISED: self.recognised,
            Step.REPORTED: self.reported,
        }[step]


def _on_or_before(calendar: WorkingCalendar, year: int, month_day: tuple[int, int]) -> date:
    return calendar.last_working_day_on_or_before(date(year, *month_day))


def year_events(year: int, calendar: WorkingCalendar | None = None) -> YearEvents:
    calendar = calendar or WorkingCalendar()
    registered = _on_or_before(calendar, year, _REGISTERED)
    review_kind = {MIDTERM_REVIEW_YEAR: "midterm", FINAL_REVIEW_YEAR: "final"}.get(year)
    return YearEvents(
        year=year,
        registration_due=date(year, *REGISTRATION_DUE),
        submission_due=date(year, *SUBMISSION_DUE),
        appraisal_due=date(year, *APPRAISAL_DUE),
        registered=registered,
        accepted=calendar.add_working_days(registered, _ACCEPTED_AFTER),
        budget=_on_or_before(calendar, year, _BUDGET),
        village_reviews=_on_or_before(calendar, year, _VILLAGE_REVIEWS),
        submitted=_on_or_before(calendar, year, _SUBMITTED),
        appraised=_on_or_before(calendar, year, _APPRAISED),
        rewarded=_on_or_before(calendar, year, _REWARDED),
        recognised=_on_or_before(calendar, year, _RECOGNISED),
        reported=_on_or_before(calendar, year, _REPORTED),
        review_kind=review_kind,
        review_opened=_on_or_before(calendar, year, _REVIEW_OPENED) if review_kind else None,
        review_issued=_on_or_before(calendar, year, _REVIEW_ISSUED) if review_kind else None,
    )


@dataclass(frozen=True)
class ProgrammeStage:
    """Where the commune is on ``today``: this year's step and the earlier years, complete."""

    today: date
    events: YearEvents
    step: Step
    complete_years: tuple[int, ...]  # from the pilot year to last year, each recognised and reported

    @property
    def year(self) -> int:
        return self.events.year

    def reached(self, step: Step) -> bool:
        return self.step >= step

    def happened(self, day: date | None) -> bool:
        """``day`` is today or before (None never happened)."""
        return day is not None and day <= self.today

    @property
    def review_opened(self) -> bool:
        return self.happened(self.events.review_opened)

    @property
    def review_issued(self) -> bool:
        return self.happened(self.events.review_issued)


def programme_stage(today: date, calendar: WorkingCalendar | None = None) -> ProgrammeStage:
    """How far this year's cycle has gone on ``today`` (each step counts from its day on), and the complete
    years before it: every year from the pilot year, never one before it."""
    events = year_events(today.year, calendar)
    step = Step.OPENED
    for candidate in Step:
        day = events.day_of(candidate)
        if day is not None and day <= today:
            step = candidate
    return ProgrammeStage(
        today=today,
        events=events,
        step=step,
        complete_years=tuple(range(PILOT_YEAR, today.year)),
    )
