"""Reads of citizens' feedback: staff lists with deadlines, the public views (never a contact detail),
and the 766 figures 5.2 and 5.3 other areas take through `feedback_*_figure`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from friendlygov.core import figures
from friendlygov.core.calendar import working_calendar
from friendlygov.feedback.deadlines import Deadlines, Step, deadlines_for, is_on_time, record_for
from friendlygov.feedback.models import (
    PENDING_TYPES,
    AnswerApproval,
    Feedback,
    FeedbackEvent,
    FeedbackState,
    StateType,
)
from friendlygov.feedback.tracking import normalize_code
from friendlygov.kit.panels import Panel
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.schedule import WorkingCalendar
from friendlygov.rules.service_index import (
    INDICATOR_NAMES,
    FeedbackRecord,
    Rate,
    feedback_on_time,
    feedback_satisfaction,
)
from friendlygov.rules.text import normalize_vi
from friendlygov.tallies import selectors as tally_selectors

# ---------------------------------------------------------------- history → clock


def steps_of(feedback: Feedback) -> list[Step]:
    """The item's history as the working-day clock sees it (uses prefetched events when present)."""
    events = feedback.events.all()
    return [Step(on=e.on, to_type=e.to_type, kind=e.kind) for e in sorted(events, key=lambda e: (e.at, e.pk))]


def deadlines_of(
    feedback: Feedback, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> Deadlines:
    return deadlines_for(
        received=feedback.received_on,
        steps=steps_of(feedback),
        current_type=feedback.state.type,
        today=today or timezone.localdate(),
        calendar=calendar or working_calendar(),
    )


def _with_history(items: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return items.select_related("state", "body", "unit").prefetch_related(
        Prefetch(
            "events", queryset=FeedbackEvent.objects.only("id", "feedback_id", "kind", "at", "on", "to_type")
        )
    )


# ---------------------------------------------------------------- staff lists


@dataclass
class Row:
    item: Feedback
    status: Deadlines


@dataclass
class Filters:
    state_type: str = ""
    state_id: int | None = None
    topic: str = ""
    classification: str = ""
    body_id: int | None = None
    query: str = ""
    overdue: bool = False
    due_soon: bool = False
    year: int | None = None


def states_of(unit: Unit) -> QuerySet[FeedbackState]:
    return FeedbackState.objects.filter(unit=unit)


def _filtered(unit: Unit, f: Filters) -> QuerySet[Feedback]:
    """The unit's items matching every filter SQL can apply (all but "overdue" and "due soon", which need
    the working-day clock; those two only ever match pending items, so the query keeps only these)."""
    items = Feedback.objects.filter(unit=unit)
    if f.state_type:
        items = items.filter(state__type=f.state_type)
    if f.state_id:
        items = items.filter(state_id=f.state_id)
    if f.topic:
        items = items.filter(topic=f.topic)
    if f.classification == "none":
        items = items.filter(classification="")
    elif f.classification:
        items = items.filter(classification=f.classification)
    if f.body_id == 0:
        items = items.filter(body__isnull=True)
    elif f.body_id:
        items = items.filter(body_id=f.body_id)
    if f.year:
        items = items.filter(received_on__year=f.year)
    if f.query.strip():
        for word in normalize_vi(f.query).split():
            items = items.filter(search_text__contains=word)
    if f.overdue or f.due_soon:
        items = items.filter(state__type__in=PENDING_TYPES)
    return items


def _rows(items: Iterable[Feedback], *, today: dt.date | None = None) -> list[Row]:
    calendar = working_calendar()
    today = today or timezone.localdate()
    return [Row(item, deadlines_of(item, today=today, calendar=calendar)) for item in items]


def _by_status(rows: list[Row], f: Filters) -> list[Row]:
    if f.overdue:
        rows = [r for r in rows if r.status.overdue]
    if f.due_soon:
        rows = [r for r in rows if r.status.due_soon]
    return rows


def feedback_rows(*, unit: Unit, filters: Filters | None = None, today: dt.date | None = None) -> list[Row]:
    """The unit's items with their deadlines, filtered; search ignores diacritics (all of them: exports)."""
    f = filters or Filters()
    return _by_status(_rows(_with_history(_filtered(unit, f)), today=today), f)


PAGE_SIZE = 30


@dataclass
class FeedbackPage:
    """One page of the staff list and the pending counts shown above it."""

    page: Page[Any]  # its object_list: the page's rows (`Row`)
    total: int
    counts: Counts


def feedback_page(
    *,
    unit: Unit,
    filters: Filters | None = None,
    page: int | str | None = None,
    per_page: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> FeedbackPage:
    """The staff list's page: filtered, ordered and paged in SQL; deadlines (and the history they need) only
    for the rows shown. "Overdue"/"due soon" filter the pending items in Python (the same ones the counts
    walk, read once)."""
    f = filters or Filters()
    today = today or timezone.localdate()
    pending = pending_with_deadlines(unit=unit, today=today)
    counts = _counts(pending)
    if f.overdue or f.due_soon:
        wanted = set(_filtered(unit, f).values_list("pk", flat=True))
        rows = _by_status([Row(item, status) for item, status in pending if item.pk in wanted], f)
        rows.sort(key=lambda r: (r.item.received_on, r.item.pk), reverse=True)
        shown: Page[Any] = Paginator(rows, per_page).get_page(page)
    else:
        items = Paginator(_with_history(_filtered(unit, f)), per_page).get_page(page)
        shown = Page(_rows(items.object_list, today=today), items.number, items.paginator)
    return FeedbackPage(page=shown, total=shown.paginator.count, counts=counts)


def pending_with_deadlines(*, unit: Unit, today: dt.date | None = None) -> list[tuple[Feedback, Deadlines]]:
    calendar = working_calendar()
    today = today or timezone.localdate()
    items = _with_history(Feedback.objects.filter(unit=unit, state__type__in=PENDING_TYPES))
    return [(item, deadlines_of(item, today=today, calendar=calendar)) for item in items]


@dataclass(frozen=True)
class Counts:
    pending: int
    overdue: int
    due_soon: int
    waiting: int


def _counts(rows: list[tuple[Feedback, Deadlines]]) -> Counts:
    return Counts(
        pending=len(rows),
        overdue=sum(1 for _, s in rows if s.overdue),
        due_soon=sum(1 for _, s in rows if s.due_soon),
        waiting=sum(1 for _, s in rows if s.paused),
    )


def pending_counts(*, unit: Unit, today: dt.date | None = None) -> Counts:
    """Pending items, overdue, due soon and waiting for the citizen — only the pending items are read."""
    return _counts(pending_with_deadlines(unit=unit, today=today))


def detail(*, feedback: Feedback) -> Feedback:
    return _with_history(Feedback.objects.filter(pk=feedback.pk)).get()


def last_returned_answer(feedback: Feedback) -> AnswerApproval | None:
    """The answer the leader sent back, while it is the item's latest one (to revise and send again)."""
    latest = AnswerApproval.objects.filter(feedback=feedback).order_by("-proposed_at", "-id").first()
    return latest if latest is not None and latest.status == AnswerApproval.Status.RETURNED else None


def awaiting_approvals(unit: Unit) -> list[AnswerApproval]:
    """Answers of the unit waiting for the leader, oldest first."""
    return list(
        AnswerApproval.objects.filter(unit=unit, status=AnswerApproval.Status.AWAITING)
        .select_related("feedback", "proposed_by")
        .order_by("proposed_at", "id")
    )


def awaiting_count(unit: Unit) -> int:
    return AnswerApproval.objects.filter(unit=unit, status=AnswerApproval.Status.AWAITING).count()


def history(feedback: Feedback) -> QuerySet[FeedbackEvent]:
    return FeedbackEvent.objects.filter(feedback=feedback).order_by("at", "id")


def has_contact(feedback: Feedback) -> bool:
    from friendlygov.feedback.models import FeedbackContact

    return FeedbackContact.objects.filter(feedback=feedback).exists()


def contact_requests(unit: Unit) -> QuerySet[Any]:
    from friendlygov.feedback.models import ContactRequest

    return ContactRequest.objects.filter(unit=unit).select_related("feedback", "handled_by")


# ---------------------------------------------------------------- public views (no personal data)


@dataclass(frozen=True)
class PublicEvent:
    on: dt.date
    title: str
    message: str


@dataclass(frozen=True)
class PublicStatus:
    """What the tracking page shows: status and public answer; no contact detail, no internal note."""

    code: str
    code_display: str
    unit_name: str
    unit_slug: str
    topic: str
    subject: str
    content: str
    received_on: dt.date
    state_name: str
    state_type: str
    answer: str
    answered_on: dt.date | None
    is_published: bool
    rating: int | None
    satisfied: bool | None
    can_rate: bool
    can_reopen: bool
    reopened: bool
    events: list[PublicEvent] = field(default_factory=list)


PUBLIC_EVENT_KINDS = (
    FeedbackEvent.Kind.SUBMITTED,
    FeedbackEvent.Kind.TRANSITION,
    FeedbackEvent.Kind.ANSWER,
    FeedbackEvent.Kind.PUBLISH,
    FeedbackEvent.Kind.REOPEN,
    FeedbackEvent.Kind.RATING,
    FeedbackEvent.Kind.CONTACT_ERASED,
)


def find_by_code(code: str) -> Feedback | None:
    normal = normalize_code(code)
    if normal is None:
        return None
    return Feedback.objects.select_related("unit", "state").filter(code=normal).first()


def public_status(feedback: Feedback) -> PublicStatus:
    from friendlygov.feedback.services import can_rate, can_reopen

    events = []
    for event in history(feedback).filter(kind__in=PUBLIC_EVENT_KINDS):
        if event.kind == FeedbackEvent.Kind.RATING:
            title, message = "Ông/bà đã đánh giá câu trả lời", ""
        elif event.kind == FeedbackEvent.Kind.CONTACT_ERASED:
            title, message = "Thông tin liên hệ đã được xóa", ""
        else:
            title, message = event.state_name or event.get_kind_display(), event.message
        events.append(PublicEvent(on=event.on, title=title, message=message))
    return PublicStatus(
        code=feedback.code,
        code_display=feedback.code_display,
        unit_name=feedback.unit.full_name,
        unit_slug=feedback.unit.slug,
        topic=feedback.get_topic_display(),
        subject=feedback.subject,
        content=feedback.content,
        received_on=feedback.received_on,
        state_name=feedback.state.name,
        state_type=feedback.state.type,
        answer=feedback.answer if feedback.state.type in (StateType.ANSWERED, StateType.CLOSED) else "",
        answered_on=timezone.localtime(feedback.answered_at).date() if feedback.answered_at else None,
        is_published=feedback.is_published,
        rating=feedback.rating,
        satisfied=feedback.satisfied,
        can_rate=can_rate(feedback),
        can_reopen=can_reopen(feedback),
        reopened=feedback.reopen_count > 0,
        events=events,
    )


@dataclass(frozen=True)
class PublishedAnswer:
    """One published question and answer, without personal data (the staff-written summary, not the
    citizen's own text)."""

    summary: str
    answer: str
    topic: str
    received_on: dt.date
    published_on: dt.date | None


def published_answers(*, unit: Unit, limit: int | None = None) -> list[PublishedAnswer]:
    """Answers a unit has published, newest first — for the unit's public page."""
    items = (
        Feedback.objects.filter(
            unit=unit, is_published=True, state__type__in=(StateType.ANSWERED, StateType.CLOSED)
        )
        .exclude(answer="")
        .order_by("-published_on", "-id")
        .only("public_summary", "subject", "answer", "topic", "received_on", "published_on")
    )
    if limit is not None:
        items = items[:limit]
    return [
        PublishedAnswer(
            summary=item.public_summary or item.subject,
            answer=item.answer,
            topic=item.get_topic_display(),
            received_on=item.received_on,
            published_on=item.published_on,
        )
        for item in items
    ]


# ---------------------------------------------------------------- 766 figures 5.2, 5.3


def _period(year: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    end = min(dt.date(year, 12, 31), today)
    return dt.date(year, 1, 1), end


def feedback_records(
    *, unit: Unit, year: int, today: dt.date | None = None
) -> tuple[list[FeedbackRecord], dt.date]:
    """The 5.2/5.3 records of feedback received in `year`, judged as of the year's end (or today)."""
    found, as_of = feedback_records_of(units=[unit], year=year, today=today)
    return found[unit.pk], as_of


def feedback_records_of(
    *,
    units: Sequence[Unit],
    year: int,
    today: dt.date | None = None,
    pending_only: bool = False,
    calendar: WorkingCalendar | None = None,
) -> tuple[dict[int, list[FeedbackRecord]], dt.date]:
    """:func:`feedback_records` of many units by unit id, in the same two queries (``pending_only``: the
    items still pending only — what the kept figures leave to be judged against today)."""
    start, as_of = _period(year, today)
    calendar = calendar or working_calendar()
    # Plain values (no model instances): two queries, the items and their history in (at, id) order.
    fields = ("id", "unit_id", "code", "received_on", "published_on", "is_published", "satisfied")
    scope = Feedback.objects.filter(unit__in=units, received_on__gte=start, received_on__lte=as_of)
    if pending_only:
        # The items still pending are few whatever their year: found by their state's id (indexed), kept to
        # the units and the year here. Asked in SQL, the planners walk far more: SQLite the year's items by
        # date or the units' items (60 ms for a city's 18,000 items, 659 pending), PostgreSQL every item
        # when it joins the states (it guesses half the items pending: 35 ms).
        pending_states = list(
            FeedbackState.objects.filter(unit__in=units, type__in=PENDING_TYPES).values_list("pk", flat=True)
        )
        unit_ids = {unit.pk for unit in units}
        pending = Feedback.objects.filter(state_id__in=pending_states).order_by()
        items = [
            item for item in pending.values_list(*fields) if item[1] in unit_ids and start <= item[3] <= as_of
        ]
    else:
        items = list(scope.values_list(*fields))
    steps: dict[int, list[Step]] = {}
    # The few pending items' history by their ids (SQLite would judge the items' scope a second time in a
    # subquery: 50 ms for a city); a whole year's items by the subquery (too many ids for one statement).
    whose = (
        Q(feedback_id__in=[item[0] for item in items]) if pending_only else Q(feedback__in=scope.values("pk"))
    )
    events = (
        FeedbackEvent.objects.filter(whose)
        .order_by("at", "id")
        .values_list("feedback_id", "on", "to_type", "kind")
    )
    for feedback_id, on, to_type, kind in events:
        steps.setdefault(feedback_id, []).append(Step(on=on, to_type=to_type, kind=kind))
    records: dict[int, list[FeedbackRecord]] = {unit.pk: [] for unit in units}
    for pk, unit_id, code, received_on, published_on, is_published, satisfied in items:
        records[unit_id].append(
            record_for(
                reference=code,
                received=received_on,
                steps=steps.get(pk, []),
                as_of=as_of,
                calendar=calendar,
                published_on=published_on if is_published else None,
                satisfied=satisfied,
            )
        )
    return records, as_of


def _figure_url(unit: Unit) -> str:
    return figures.unit_address("feedback:unit_list", unit.slug)


@dataclass(frozen=True)
class YearRates:
    """A unit's 5.2 (on time ÷ received) and 5.3 (satisfied ÷ rated) of a year, judged ``as_of``."""

    on_time: Rate
    satisfaction: Rate
    as_of: dt.date


def year_rates_of(*, units: Sequence[Unit], year: int, today: dt.date | None = None) -> dict[int, YearRates]:
    """5.2 and 5.3 of the feedback each unit received in ``year``, read from the kept figures
    (``friendlygov.tallies``): a few rows per unit; when the year is judged today (the current year), the
    items still pending are judged against today from their history (one indexed read of those items)."""
    start, as_of = _period(year, today)
    at_year_end = as_of == dt.date(year, 12, 31)
    counts = tally_selectors.feedback_counts(Q(unit__in=units), year=year, at_year_end=at_year_end)
    pending_on_time: dict[int, int] = {}
    if not at_year_end:
        calendar = working_calendar()  # one for judging and counting (it keeps each day's answer)
        records, _ = feedback_records_of(
            units=units, year=year, today=as_of, pending_only=True, calendar=calendar
        )
        pending_on_time = {
            unit_id: sum(1 for r in found if is_on_time(r, as_of, calendar))
            for unit_id, found in records.items()
        }
    out = {}
    for unit in units:
        kept = counts.get(unit.pk, dict.fromkeys(tally_selectors.FEEDBACK_COUNT_NAMES, 0))
        out[unit.pk] = YearRates(
            on_time=Rate(kept["on_time"] + pending_on_time.get(unit.pk, 0), kept["received"]),
            satisfaction=Rate(kept["satisfied"], kept["rated"]),
            as_of=as_of,
        )
    return out


def year_rates(*, unit: Unit, year: int, today: dt.date | None = None) -> YearRates:
    return year_rates_of(units=[unit], year=year, today=today)[unit.pk]


def _on_time_figure(unit: Unit, year: int, rates: YearRates) -> MeasuredFigure | None:
    rate = rates.on_time
    percent = rate.percent(2)
    if percent is None:
        return None
    return MeasuredFigure(
        percent=percent,
        label=f"{INDICATOR_NAMES['feedback_on_time']} năm {year}: {rate.numerator}/{rate.denominator} (QĐ 766/QĐ-TTg)",
        numerator=rate.numerator,
        denominator=rate.denominator,
        as_of=rates.as_of,
        reference=_figure_url(unit),
    )


def _satisfaction_figure(unit: Unit, year: int, rates: YearRates) -> MeasuredFigure | None:
    rate = rates.satisfaction
    percent = rate.percent(2)
    if percent is None:
        return None
    return MeasuredFigure(
        percent=percent,
        label=f"{INDICATOR_NAMES['feedback_satisfaction']} năm {year}: {rate.numerator}/{rate.denominator} đánh giá (QĐ 766/QĐ-TTg)",
        numerator=rate.numerator,
        denominator=rate.denominator,
        as_of=rates.as_of,
        reference=_figure_url(unit),
    )


def feedback_on_time_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """5.2 — feedback handled within the time limits ÷ feedback received in the year; None when none."""
    return _on_time_figure(unit, year, year_rates(unit=unit, year=year))


def feedback_satisfaction_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """5.3 — answers rated satisfied ÷ answers rated, for feedback received in the year; None when none rated."""
    return _satisfaction_figure(unit, year, year_rates(unit=unit, year=year))


def _shared_year_rates(units: Sequence[Unit], year: int) -> dict[int, YearRates]:
    """:func:`year_rates_of`, read once for 5.2 and 5.3 when both are read together (figures.one_reading)."""
    return figures.shared(
        ("feedback.year_rates", tuple(unit.pk for unit in units), year),
        lambda: year_rates_of(units=units, year=year),
    )


def feedback_on_time_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`feedback_on_time_figure` of many units (the city's table), from one read of the kept figures."""
    rates = _shared_year_rates(units, year)
    return {unit.pk: _on_time_figure(unit, year, rates[unit.pk]) for unit in units}


def feedback_satisfaction_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`feedback_satisfaction_figure` of many units (the city's table), from one read of the kept figures."""
    rates = _shared_year_rates(units, year)
    return {unit.pk: _satisfaction_figure(unit, year, rates[unit.pk]) for unit in units}


def feedback_year_figures(*, unit: Unit, year: int) -> tuple[MeasuredFigure | None, MeasuredFigure | None]:
    """(5.2, 5.3) from one read of the year's kept figures — what the staff list shows."""
    rates = year_rates(unit=unit, year=year)
    return _on_time_figure(unit, year, rates), _satisfaction_figure(unit, year, rates)


def feedback_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """Everything a report needs about a unit's feedback in a year (plain values)."""
    records, as_of = feedback_records(unit=unit, year=year)
    calendar = working_calendar()
    on_time = feedback_on_time(records, as_of, calendar.working_days_between)
    satisfaction = feedback_satisfaction(records)
    items = Feedback.objects.filter(unit=unit, received_on__year=year)
    by_type: dict[str, int] = {}
    for state_type in items.values_list("state__type", flat=True):
        by_type[state_type] = by_type.get(state_type, 0) + 1
    late = sum(1 for r in records if not is_on_time(r, as_of, calendar))
    return {
        "year": year,
        "as_of": as_of,
        "received": len(records),
        "by_state_type": by_type,
        "answered": sum(1 for r in records if r.handled is not None),
        "rejected": sum(1 for r in records if r.rejected is not None),
        "late": late,
        "published": items.filter(is_published=True).count(),
        "rated": satisfaction.denominator,
        "on_time": {
            "numerator": on_time.numerator,
            "denominator": on_time.denominator,
            "percent": on_time.percent(2),
        },
        "satisfaction": {
            "numerator": satisfaction.numerator,
            "denominator": satisfaction.denominator,
            "percent": satisfaction.percent(2),
        },
    }


# ---------------------------------------------------------------- home panel


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    if not can(request.user, Capability.READ, unit):
        return None
    counts = pending_counts(unit=unit)
    return Panel("feedback/panel_unit.html", {"unit": unit, "counts": counts}, order=300)
