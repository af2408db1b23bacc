"""Reads of the kept figures (see ``models``): a few rows per unit, whatever the number of records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Q, Sum

from friendlygov.db_router import read_alias
from friendlygov.feedback.models import PENDING_TYPES
from friendlygov.org.models import Unit
from friendlygov.surveys import periods
from friendlygov.surveys.models import Questionnaire
from friendlygov.surveys.periods import Period
from friendlygov.tallies.models import (
    DOSSIER_TALLY_KEY,
    RESPONDENTS,
    DossierTally,
    FeedbackTally,
    SurveyTally,
)

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
    *,
    questionnaire: Questionnaire,
    keys: list[str],
    unit: Unit | None = None,
    city: Unit | None = None,
    units: Sequence[int] | None = None,
) -> tuple[dict[int, Counts], dict[int, int]]:
    """Per unit id: the accepted answers' counts ``{item: {value: n}}`` and the respondents, to
    ``questionnaire`` (every version) in the kept periods ``keys`` — of one ``unit``, of every unit whose
    parent is ``city``, or of the ``units`` given by id (a city table's open cycles: the rows of those
    units only). One query."""
    if sum(scope is not None for scope in (unit, city, units)) != 1:
        raise ValueError("survey_counts: give one of unit, city or units")
    # Hand-written SQL (the city's pages and every survey criterion run it): table and column names come
    # from the models, every value is a parameter. "unit in the city's units" walks the key's index unit
    # by unit.
    connection = connections[read_alias()]
    quote = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    t_unit = column(SurveyTally, "unit")
    scope_ids: list[int]
    if unit is not None:
        scope, scope_ids = f"{t_unit} = %s", [unit.pk]
    elif city is not None:
        children = f"SELECT {column(Unit, 'id')} FROM {quote(Unit._meta.db_table)} WHERE {column(Unit, 'parent')} = %s"  # noqa: S608
        scope, scope_ids = f"{t_unit} IN ({children})", [city.pk]
    else:
        scope_ids = list(units or ())
        if not scope_ids:
            return {}, {}
        scope = f"{t_unit} IN ({', '.join(['%s'] * len(scope_ids))})"
    item, value = column(SurveyTally, "item"), column(SurveyTally, "value")
    sql = (
        f"SELECT {t_unit}, {item}, {value}, SUM({column(SurveyTally, 'count')})"  # noqa: S608
        f" FROM {quote(SurveyTally._meta.db_table)} WHERE {scope}"
        f" AND {column(SurveyTally, 'questionnaire')} = %s"
        f" AND {column(SurveyTally, 'period')} IN ({', '.join(['%s'] * len(keys))})"
        f" GROUP BY {t_unit}, {item}, {value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_ids, questionnaire.pk, *keys])
        return _split_counts(cursor.fetchall())


_K = TypeVar("_K")


def _split_counts(rows: Iterable[tuple[_K, str, int, int]]) -> tuple[dict[_K, Counts], dict[_K, int]]:
    """Summed kept rows ``(key, item, value, n)`` as the answers' counts ``{item: {value: n}}`` and the
    respondents (the :data:`RESPONDENTS` row), per key (a unit id, a period key)."""
    counts: dict[_K, Counts] = defaultdict(dict)
    people: dict[_K, int] = {}
    for key, code, answer_value, n in rows:
        if not n:
            continue
        if code == RESPONDENTS:
            people[key] = int(n)
        else:
            counts[key].setdefault(code, {})[int(answer_value)] = int(n)
    return dict(counts), people


def unit_survey_counts_by_period(
    *, questionnaire: Questionnaire, unit: Unit, keys: Sequence[str]
) -> dict[str, tuple[Counts, int]]:
    """Per kept period key: one unit's accepted answers' counts ``{item: {value: n}}`` to ``questionnaire``
    (every version) and its respondents — a trend's months in one query."""
    rows = (
        SurveyTally.objects.filter(unit=unit, questionnaire=questionnaire, period__in=list(keys))
        .values("period", "item", "value")
        .annotate(n=Sum("count"))
        .values_list("period", "item", "value", "n")
        .order_by()
    )
    counts, people = _split_counts(rows)
    return {key: (counts.get(key, {}), people.get(key, 0)) for key in keys}


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


# ---------------------------------------------------------------- dossiers

#: The counts of ``dossiers.selectors._grouped_counts``, by the same names.
DOSSIER_COUNT_NAMES = ("n_scope", "n_scope_on_time", "n_received", "n_online", "n_digitised", "n_electronic")


def dossier_counts(units: Q, *, year: int, current: bool) -> dict[int, dict[str, int]]:
    """Per unit id (``units``: a condition on the unit), the 766 counts of ``year`` read from the kept
    rows: the dossiers received in the year, and for 2.1 those carried over from earlier years still
    pending at its start. A past year is judged at its end, from the kept rows alone. For the ``current``
    year (judged now) the kept rows give the received counts and the finished dossiers; the caller judges
    the dossiers still pending against now (see :func:`add_dossier`)."""
    received = Q(received_year=year)
    pending_at_end = Q(finished_year=0) | Q(finished_year__gt=year)
    on_time = Q(late_by_rule=False) & (
        Q(deadline_year=0)
        | (pending_at_end & Q(deadline_year__gt=year))
        | (~pending_at_end & Q(finished_in_time=True))
    )
    scope = ~Q(finished_year=0) if current else Q()  # pending now: judged by the caller

    def total(condition: Q) -> Sum:
        return Sum("count", filter=condition, default=0)

    rows = (
        DossierTally.objects.filter(units, received_year__lte=year)
        .filter(received | Q(finished_year=0) | Q(finished_year__gte=year))
        .values("unit_id")
        .annotate(
            n_scope=total(scope),
            n_scope_on_time=total(scope & on_time),
            n_received=total(received),
            n_online=total(received & Q(online=True)),
            n_digitised=total(received & Q(digitised=True)),
            n_electronic=total(received & Q(electronic=True)),
        )
        .order_by()
    )
    return {row.pop("unit_id"): {name: int(n) for name, n in row.items()} for row in rows}


#: A kept dossier row's key after the unit (``services.dossier_key`` without its first value).
DOSSIER_ROW = DOSSIER_TALLY_KEY[1:]


def add_dossier(
    out: dict[int, dict[str, int]], unit_id: int, row: tuple[Any, ...], n: int, *, year: int, current: bool
) -> None:
    """Add ``n`` dossiers of the kept ``row`` (see :data:`DOSSIER_ROW`) to the unit's counts of ``year``
    as :func:`dossier_counts` reads them (``n = -1`` takes one away)."""
    received, finished, deadline, late, in_time, online, digitised, electronic = row
    if received > year or not (received == year or finished == 0 or finished >= year):
        return
    totals = out.setdefault(unit_id, dict.fromkeys(DOSSIER_COUNT_NAMES, 0))
    if received == year:
        totals["n_received"] += n
        totals["n_online"] += n if online else 0
        totals["n_digitised"] += n if digitised else 0
        totals["n_electronic"] += n if electronic else 0
    if current and finished == 0:
        return  # pending now: judged by the caller against now
    totals["n_scope"] += n
    pending_at_end = finished == 0 or finished > year
    on_time = not late and (deadline == 0 or (deadline > year if pending_at_end else in_time))
    totals["n_scope_on_time"] += n if on_time else 0


# ---------------------------------------------------------------- feedback

#: The counts :func:`feedback_counts` gives per unit.
FEEDBACK_COUNT_NAMES = ("received", "on_time", "rated", "satisfied")


def feedback_counts(units: Q, *, year: int, at_year_end: bool) -> dict[int, dict[str, int]]:
    """Per unit id (``units``: a condition on the unit), the 5.2/5.3 counts of the feedback received in
    ``year``, read from the kept rows: received, on time, rated, rated satisfied. ``at_year_end``: judged
    as of the year's last day (a past year, or today is the 31 December) — every item's verdict is kept.
    Otherwise (judged today) ``on_time`` counts the settled items only: the caller judges the items still
    pending against today."""
    on_time = (
        Q(on_time_at_year_end=True) if at_year_end else Q(on_time=True) & ~Q(state_type__in=PENDING_TYPES)
    )

    def total(condition: Q) -> Sum:
        return Sum("count", filter=condition, default=0)

    rows = (
        FeedbackTally.objects.filter(units, period=periods.year(year).key)
        .values("unit_id")
        .annotate(
            received=Sum("count", default=0),
            on_time=total(on_time),
            rated=total(~Q(rating=FeedbackTally.Rating.NONE)),
            satisfied=total(Q(rating=FeedbackTally.Rating.SATISFIED)),
        )
        .order_by()
    )
    return {row.pop("unit_id"): {name: int(n) for name, n in row.items()} for row in rows}
