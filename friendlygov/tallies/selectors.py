"""Reads of the kept figures (see ``models``): a few rows per unit, whatever the number of records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from friendlygov.org.models import Unit
from friendlygov.surveys import periods
from friendlygov.surveys.models import Questionnaire
from friendlygov.surveys.periods import Period
from friendlygov.tallies.models import RESPONDENTS, SurveyTally

Counts = dict[str, dict[int, int]]


def survey_period_keys(period: Period) -> list[str] | None:
    """The kept periods that make up ``period`` exactly: itself (a year, quarter or month), or the months of
    custom dates running from a month's first day to a month's last; None when it cuts a month."""
    if period.kind != "custom":
        return [period.key]
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        return None
    keys = []
    cursor = period.start
    while cursor <= period.end:
        keys.append(periods.month(cursor.year, cursor.month).key)
        cursor = periods.month(cursor.year, cursor.month).end + dt.timedelta(days=1)
    return keys


def survey_counts(
    *, questionnaire: Questionnaire, keys: list[str], unit: Unit | None = None, city: Unit | None = None
) -> tuple[dict[int, Counts], dict[int, int]]:
    """Per unit id: the accepted answers' counts ``{item: {value: n}}`` and the respondents, to
    ``questionnaire`` (every version) in the kept periods ``keys`` — of one ``unit`` or of every unit whose
    parent is ``city``. One query."""
    if (unit is None) == (city is None):
        raise ValueError("survey_counts: give either unit or city")
    rows = SurveyTally.objects.filter(questionnaire=questionnaire, period__in=keys)
    rows = rows.filter(unit=unit) if unit is not None else rows.filter(unit__parent=city)
    counts: dict[int, Counts] = defaultdict(dict)
    people: dict[int, int] = {}
    for unit_id, item, value, n in (
        rows.values("unit_id", "item", "value")
        .annotate(n=Sum("count"))
        .values_list("unit_id", "item", "value", "n")
        .order_by()
    ):
        if not n:
            continue
        if item == RESPONDENTS:
            people[unit_id] = n
        else:
            counts[unit_id].setdefault(item, {})[int(value)] = n
    return dict(counts), people


def survey_usage(
    *, questionnaires: Iterable[Questionnaire | int], units: list[int], year: int
) -> dict[tuple[int, int], int]:
    """Respondents per (unit id, questionnaire id) in the year, for the given units and questionnaires."""
    rows = (
        SurveyTally.objects.filter(
            unit_id__in=units,
            questionnaire__in=questionnaires,
            period=periods.year(year).key,
            item=RESPONDENTS,
        )
        .values("unit_id", "questionnaire_id")
        .annotate(n=Sum("count"))
        .values_list("unit_id", "questionnaire_id", "n")
        .order_by()
    )
    return {(unit_id, questionnaire_id): n for unit_id, questionnaire_id, n in rows if n}
