"""Keeping the figures: one function per source, called by that source's services inside the
transaction of each write that changes what it counts, and :func:`rebuild`, which counts everything
again from the records (``friendlygov figures rebuild``; the demo loader after its bulk writes)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from friendlygov.audit.services import renew_stamps
from friendlygov.core.calendar import working_calendar
from friendlygov.dossiers.models import Channel as DossierChannel
from friendlygov.dossiers.models import Dossier
from friendlygov.feedback.deadlines import Step, is_on_time, record_for
from friendlygov.feedback.models import PENDING_TYPES, Feedback, FeedbackEvent
from friendlygov.surveys import periods
from friendlygov.surveys.models import Answer, Response
from friendlygov.tallies import store
from friendlygov.tallies.models import (
    DOSSIER_TALLY_KEY,
    FEEDBACK_TALLY_KEY,
    RESPONDENTS,
    DossierTally,
    FeedbackTally,
    SurveyTally,
)

SURVEY_KEYS = ("unit", "questionnaire", "version", "period", "item", "value")


def period_keys(day: dt.date) -> tuple[str, str, str]:
    """The survey periods an answer of this (local) day counts in: its year, quarter and month."""
    return (
        periods.year(day.year).key,
        periods.quarter(day.year, (day.month - 1) // 3 + 1).key,
        periods.month(day.year, day.month).key,
    )


def _survey_rows(
    unit_id: int,
    questionnaire_id: int,
    version_id: int,
    day: dt.date,
    answers: Iterable[tuple[str, int]],
    n: int,
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for key in period_keys(day):
        base = (unit_id, questionnaire_id, version_id, key)
        rows.append((*base, RESPONDENTS, 0, n))
        rows.extend((*base, item, value, n) for item, value in answers)
    return rows


def count_response(
    *, response: Response, sign: int, answers: Iterable[tuple[str, int]] | None = None
) -> None:
    """Count (``sign=1``) or uncount (``-1``) an accepted response and its answers. Called when a response
    is stored accepted, when a review moves it into or out of ``accepted``, and before an accepted response
    is deleted. ``answers``: its (item, value) pairs when the caller has just written them (the public
    form: not read back inside the write transaction); read from the records otherwise."""
    pairs = list(
        Answer.objects.filter(response_id=response.pk).values_list("item", "value")
        if answers is None
        else answers
    )
    day = timezone.localtime(response.submitted_at).date()
    store.add(
        SurveyTally,
        SURVEY_KEYS,
        _survey_rows(
            response.unit_id, response.questionnaire_id, response.questionnaire_version_id, day, pairs, sign
        ),
    )


def status_changed(*, response: Response, old: str, new: str) -> None:
    """A response's status moved from ``old`` to ``new``: only ``accepted`` counts."""
    accepted = Response.Status.ACCEPTED
    if old != accepted and new == accepted:
        count_response(response=response, sign=1)
    elif old == accepted and new != accepted:
        count_response(response=response, sign=-1)


# ---------------------------------------------------------------- dossiers


def _year(moment: dt.datetime | None) -> int:
    return timezone.localtime(moment).year if moment is not None else 0


def dossier_key(dossier: Dossier) -> tuple[Any, ...]:
    """The kept row a dossier counts in (its fields as the import stores them)."""
    finished, deadline = dossier.finished, dossier.deadline
    return (
        dossier.unit_id,
        _year(dossier.received),
        _year(finished),
        _year(deadline),
        dossier.supplement_requests > 1,
        finished is not None and deadline is not None and finished <= deadline,
        dossier.channel == DossierChannel.ONLINE,
        bool(dossier.digitised),
        bool(dossier.electronic_result),
    )


def dossiers_changed(*, removed: Iterable[tuple[Any, ...]], added: Iterable[Dossier]) -> None:
    """An import: the keys of the dossiers as they were before (``removed``, from :func:`dossier_key`) leave
    the kept counts, the dossiers as stored now (``added``) enter them — one statement."""
    rows = [(*key, -1) for key in removed] + [(*dossier_key(d), 1) for d in added]
    store.add(DossierTally, DOSSIER_TALLY_KEY, rows)


# ---------------------------------------------------------------- feedback

#: Items judged per batch of queries (a rebuild reads every item and its history).
FEEDBACK_CHUNK = 2000


def _rating(satisfied: bool | None) -> int:
    if satisfied is None:
        return FeedbackTally.Rating.NONE
    return FeedbackTally.Rating.SATISFIED if satisfied else FeedbackTally.Rating.DISSATISFIED


def feedback_keys(ids: Iterable[int] | None = None) -> list[tuple[Any, ...]]:
    """The kept rows (keys, without the count) the given feedback items count in as stored now — every
    item when ``ids`` is None: one row per item and kept period (year, quarter, month)."""
    calendar = working_calendar()
    today = timezone.localdate()
    items = Feedback.objects.order_by("pk")
    if ids is not None:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        items = items.filter(pk__in=wanted)
    values = (
        "id",
        "unit_id",
        "code",
        "received_on",
        "state__type",
        "is_published",
        "published_on",
        "satisfied",
    )
    rows: list[tuple[Any, ...]] = []
    chunk: list[tuple[Any, ...]] = []
    for item in items.values_list(*values).iterator(chunk_size=FEEDBACK_CHUNK):
        chunk.append(item)
        if len(chunk) == FEEDBACK_CHUNK:
            rows.extend(_feedback_chunk(chunk, calendar, today))
            chunk = []
    rows.extend(_feedback_chunk(chunk, calendar, today))
    return rows


@dataclass(frozen=True)
class _Judged:
    """An item as the 5.2 clock judges it (``feedback.deadlines``)."""

    reference: str
    received: dt.date
    steps: list[Step]
    calendar: Any
    published_on: dt.date | None
    satisfied: bool | None

    def on_time(self, as_of: dt.date) -> bool:
        record = record_for(
            reference=self.reference,
            received=self.received,
            steps=self.steps,
            as_of=as_of,
            calendar=self.calendar,
            published_on=self.published_on,
            satisfied=self.satisfied,
        )
        return is_on_time(record, as_of, self.calendar)


def _feedback_chunk(items: list[tuple[Any, ...]], calendar: Any, today: dt.date) -> list[tuple[Any, ...]]:
    if not items:
        return []
    steps: dict[int, list[Step]] = defaultdict(list)
    events = (
        FeedbackEvent.objects.filter(feedback_id__in=[item[0] for item in items])
        .order_by("at", "id")
        .values_list("feedback_id", "on", "to_type", "kind")
    )
    for feedback_id, on, to_type, kind in events:
        steps[feedback_id].append(Step(on=on, to_type=to_type, kind=kind))
    rows: list[tuple[Any, ...]] = []
    for pk, unit_id, code, received, state_type, is_published, published_on, satisfied in items:
        judged = _Judged(
            reference=code,
            received=received,
            steps=steps.get(pk, []),
            calendar=calendar,
            published_on=published_on if is_published else None,
            satisfied=satisfied,
        )
        # A settled item's verdict no longer changes with the day it is judged (every day of its history
        # has passed); a pending one's does: readers judge it against today.
        settled = state_type not in PENDING_TYPES and judged.on_time(max(today, received))
        at_year_end = judged.on_time(dt.date(received.year, 12, 31))
        for key in period_keys(received):
            rows.append((unit_id, key, state_type, settled, at_year_end, _rating(satisfied)))
    return rows


@contextmanager
def feedback_kept(*ids: int) -> Iterator[list[int]]:
    """Keep the feedback figures of a write: wraps the body of every service that creates, changes the
    state, history, publication or rating of, or deletes feedback items — the items ``ids`` (and those the
    body appends to the list it is given, e.g. an item it creates) leave the kept counts as they were
    before and enter them as they are after, in one statement inside the write's transaction."""
    touched = list(ids)
    before = feedback_keys(touched)
    yield touched
    rows = [(*key, -1) for key in before] + [(*key, 1) for key in feedback_keys(touched)]
    store.add(FeedbackTally, FEEDBACK_TALLY_KEY, rows)


def feedback_recount() -> dict[tuple[Any, ...], int]:
    """Every feedback tally row counted from the items and their histories."""
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for key in feedback_keys():
        out[key] += 1
    return dict(out)


def feedback_kept_rows() -> dict[tuple[Any, ...], int]:
    return {
        tuple(row[:-1]): row[-1]
        for row in FeedbackTally.objects.values_list(
            *(f"{k}_id" if k == "unit" else k for k in FEEDBACK_TALLY_KEY), "count"
        )
    }


# ---------------------------------------------------------------- recounts


def survey_recount() -> dict[tuple[Any, ...], int]:
    """Every survey tally row (key → count) counted from the accepted responses and their answers."""
    zone = timezone.get_default_timezone()
    accepted = Response.objects.filter(status=Response.Status.ACCEPTED)
    month = TruncMonth("submitted_at", tzinfo=zone)
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    people = (
        accepted.annotate(month=month)
        .values("unit_id", "questionnaire_id", "questionnaire_version_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in people:
        day = (
            timezone.localtime(row["month"], zone).date()
            if isinstance(row["month"], dt.datetime)
            else row["month"]
        )
        for key in period_keys(day):
            out[
                (
                    row["unit_id"],
                    row["questionnaire_id"],
                    row["questionnaire_version_id"],
                    key,
                    RESPONDENTS,
                    0,
                )
            ] += row["n"]
    answers = (
        Answer.objects.filter(response__status=Response.Status.ACCEPTED)
        .annotate(month=TruncMonth("response__submitted_at", tzinfo=zone))
        .values(
            "response__unit_id",
            "response__questionnaire_id",
            "response__questionnaire_version_id",
            "month",
            "item",
            "value",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in answers:
        day = (
            timezone.localtime(row["month"], zone).date()
            if isinstance(row["month"], dt.datetime)
            else row["month"]
        )
        base = (
            row["response__unit_id"],
            row["response__questionnaire_id"],
            row["response__questionnaire_version_id"],
        )
        for key in period_keys(day):
            out[(*base, key, row["item"], row["value"])] += row["n"]
    return dict(out)


def survey_kept() -> dict[tuple[Any, ...], int]:
    """The kept survey tally rows (key → count)."""
    return {
        tuple(row[:-1]): row[-1]
        for row in SurveyTally.objects.values_list(
            "unit_id", "questionnaire_id", "version_id", "period", "item", "value", "count"
        )
    }


DOSSIER_FIELDS = (
    "unit_id",
    "received",
    "finished",
    "deadline",
    "supplement_requests",
    "channel",
    "digitised",
    "electronic_result",
)


def dossier_recount() -> dict[tuple[Any, ...], int]:
    """Every dossier tally row counted from the dossiers (read in chunks: a city holds a million)."""
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for values in Dossier.objects.order_by().values_list(*DOSSIER_FIELDS).iterator(chunk_size=5000):
        out[dossier_key(Dossier(**dict(zip(DOSSIER_FIELDS, values, strict=True))))] += 1
    return dict(out)


def dossier_kept() -> dict[tuple[Any, ...], int]:
    return {
        tuple(row[:-1]): row[-1]
        for row in DossierTally.objects.values_list(
            *(f"{k}_id" if k == "unit" else k for k in DOSSIER_TALLY_KEY), "count"
        )
    }


def _differing(kept: dict[tuple[Any, ...], int], counted: dict[tuple[Any, ...], int]) -> int:
    return sum(1 for key in kept.keys() | counted.keys() if kept.get(key) != counted.get(key))


def differences() -> dict[str, int]:
    """Per source, how many kept rows differ from a recount (0 everywhere: the figures are right)."""
    return {
        "survey": _differing(survey_kept(), survey_recount()),
        "dossier": _differing(dossier_kept(), dossier_recount()),
        "feedback": _differing(feedback_kept_rows(), feedback_recount()),
    }


def rebuild(*, analyze: bool = False) -> dict[str, dict[str, int]]:
    """Count every kept figure again from the records, in one transaction. Per source: the rows kept and
    how many of the rows kept before differed from the recount. ``analyze``: after a bulk load, refresh
    PostgreSQL's planner statistics of the kept tables (what autovacuum would do later)."""
    result = _rebuild()
    if analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SurveyTally, DossierTally, FeedbackTally):
                cursor.execute("ANALYZE " + connection.ops.quote_name(model._meta.db_table))
    return result


@transaction.atomic
def _rebuild() -> dict[str, dict[str, int]]:
    renew_stamps(scopes=[None])  # every unit's counts are written again (the stamp first: one lock order)
    counted = survey_recount()
    differed = _differing(survey_kept(), counted)
    SurveyTally.objects.all().delete()
    SurveyTally.objects.bulk_create(
        (
            SurveyTally(
                unit_id=unit,
                questionnaire_id=questionnaire,
                version_id=version,
                period=period,
                item=item,
                value=value,
                count=n,
            )
            for (unit, questionnaire, version, period, item, value), n in counted.items()
        ),
        batch_size=2000,
    )
    dossiers = dossier_recount()
    dossiers_differed = _differing(dossier_kept(), dossiers)
    DossierTally.objects.all().delete()
    DossierTally.objects.bulk_create(
        (
            DossierTally(**dict(zip(("unit_id", *DOSSIER_TALLY_KEY[1:]), key, strict=True)), count=n)
            for key, n in dossiers.items()
        ),
        batch_size=2000,
    )
    feedback = rebuild_feedback()
    return {
        "survey": {"rows": len(counted), "differed": differed},
        "dossier": {"rows": len(dossiers), "differed": dossiers_differed},
        "feedback": feedback,
    }


@transaction.atomic
def rebuild_feedback() -> dict[str, int]:
    """Count the kept feedback figures again: by :func:`rebuild`, and when the working calendar changes
    (its verdicts count working days; registered with ``core.calendar.on_calendar_change``)."""
    renew_stamps(scopes=[None])  # every unit's verdicts are written again (the stamp first: one lock order)
    feedback = feedback_recount()
    feedback_differed = _differing(feedback_kept_rows(), feedback)
    FeedbackTally.objects.all().delete()
    FeedbackTally.objects.bulk_create(
        (
            FeedbackTally(**dict(zip(("unit_id", *FEEDBACK_TALLY_KEY[1:]), key, strict=True)), count=n)
            for key, n in feedback.items()
        ),
        batch_size=2000,
    )
    return {"rows": len(feedback), "differed": feedback_differed}
