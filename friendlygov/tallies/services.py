"""Keeping the figures: one function per source, called by that source's services inside the
transaction of each write that changes what it counts, and :func:`rebuild`, which counts everything
again from the records (``friendlygov figures rebuild``; the demo loader after its bulk writes)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from friendlygov.dossiers.models import Channel as DossierChannel
from friendlygov.dossiers.models import Dossier
from friendlygov.surveys import periods
from friendlygov.surveys.models import Answer, Response
from friendlygov.tallies import store
from friendlygov.tallies.models import RESPONDENTS, DossierTally, SurveyTally

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


def count_response(*, response: Response, sign: int) -> None:
    """Count (``sign=1``) or uncount (``-1``) an accepted response and its answers. Called when a response
    is stored accepted, when a review moves it into or out of ``accepted``, and before an accepted response
    is deleted."""
    answers = list(Answer.objects.filter(response_id=response.pk).values_list("item", "value"))
    day = timezone.localtime(response.submitted_at).date()
    store.add(
        SurveyTally,
        SURVEY_KEYS,
        _survey_rows(
            response.unit_id, response.questionnaire_id, response.questionnaire_version_id, day, answers, sign
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

DOSSIER_KEYS = (
    "unit",
    "received_year",
    "finished_year",
    "deadline_year",
    "late_by_rule",
    "finished_in_time",
    "online",
    "digitised",
    "electronic",
)


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
    store.add(DossierTally, DOSSIER_KEYS, rows)


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
            *(f"{k}_id" if k == "unit" else k for k in DOSSIER_KEYS), "count"
        )
    }


def _differing(kept: dict[tuple[Any, ...], int], counted: dict[tuple[Any, ...], int]) -> int:
    return sum(1 for key in kept.keys() | counted.keys() if kept.get(key) != counted.get(key))


def differences() -> dict[str, int]:
    """Per source, how many kept rows differ from a recount (0 everywhere: the figures are right)."""
    return {
        "survey": _differing(survey_kept(), survey_recount()),
        "dossier": _differing(dossier_kept(), dossier_recount()),
    }


def rebuild(*, analyze: bool = False) -> dict[str, dict[str, int]]:
    """Count every kept figure again from the records, in one transaction. Per source: the rows kept and
    how many of the rows kept before differed from the recount. ``analyze``: after a bulk load, refresh
    PostgreSQL's planner statistics of the kept tables (what autovacuum would do later)."""
    result = _rebuild()
    if analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SurveyTally, DossierTally):
                cursor.execute("ANALYZE " + connection.ops.quote_name(model._meta.db_table))
    return result


@transaction.atomic
def _rebuild() -> dict[str, dict[str, int]]:
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
            DossierTally(**dict(zip(("unit_id", *DOSSIER_KEYS[1:]), key, strict=True)), count=n)
            for key, n in dossiers.items()
        ),
        batch_size=2000,
    )
    return {
        "survey": {"rows": len(counted), "differed": differed},
        "dossier": {"rows": len(dossiers), "differed": dossiers_differed},
    }
