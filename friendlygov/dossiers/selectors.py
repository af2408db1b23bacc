"""The 766 service figures from imported dossiers, counted in SQL (a city holds hundreds of thousands of
rows), with the same rules as `friendlygov.rules.service_index` (tests check they agree):

- 2.1 on time, as of the period's end (today for the current year): the dossiers received in the period
  plus those carried over still pending at its start; on time when finished by the deadline (appointment
  plus the citizen's waiting time) or still pending before it; more than one request to supplement is late;
- 3.3 online share and 4.2 digitisation: over the dossiers received in the period; points by the target
  rule (max if the rate reaches the target, else rate × max ÷ target).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Min, Q, QuerySet
from django.utils import timezone

from friendlygov.core import figures
from friendlygov.dossiers.models import Channel, Dossier, DossierImport, DossierSettings
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.service_index import (
    INDICATOR_NAMES,
    TARGET_DIGITISATION,
    TARGET_ONLINE_SHARE,
    DossierRecord,
    Rate,
    target_points,
)
from friendlygov.tallies import selectors as tally_selectors
from friendlygov.tallies import services as tally_services

DEFAULT_ONLINE_MAX = Decimal(12)
DEFAULT_DIGITISATION_MAX = Decimal(22)


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime  # inclusive
    as_of: dt.datetime  # min(end, now): when pending dossiers are judged

    @property
    def as_of_date(self) -> dt.date:
        return timezone.localtime(self.as_of).date()


def _aware(day: dt.date, time: dt.time = dt.time.min) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def period(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> Period:
    first = _aware(start)
    last = _aware(end + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)
    return Period(start=first, end=last, as_of=min(last, now or timezone.now()))


def year_period(year: int, *, now: dt.datetime | None = None) -> Period:
    return period(dt.date(year, 1, 1), dt.date(year, 12, 31), now=now)


# ---------------------------------------------------------------- SQL conditions


def in_on_time_scope(p: Period) -> Q:
    """2.1's dossiers: received by `as_of`, either in the period or carried over still pending at its start."""
    return Q(received__lte=p.as_of) & (
        Q(received__gte=p.start) | Q(finished__isnull=True) | Q(finished__gte=p.start)
    )


def on_time_condition(as_of: dt.datetime) -> Q:
    """`rules.service_index.dossier_on_time(record, as_of)` as a SQL condition."""
    finished_by = Q(finished__isnull=False) & Q(finished__lte=as_of)
    pending = Q(finished__isnull=True) | Q(finished__gt=as_of)
    return Q(supplement_requests__lte=1) & (
        Q(appointment__isnull=True)
        | (finished_by & Q(finished__lte=F("deadline")))
        | (pending & Q(deadline__gte=as_of))
    )


def received_in(p: Period) -> Q:
    return Q(received__gte=p.start) & Q(received__lte=p.as_of)


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    period: Period
    received: int
    on_time: Rate
    online: Rate
    digitisation: Rate
    electronic: Rate
    online_max: Decimal
    digitisation_max: Decimal

    @property
    def online_points(self) -> Decimal | None:
        return _points(self.online, self.online_max, TARGET_ONLINE_SHARE)

    @property
    def digitisation_points(self) -> Decimal | None:
        return _points(self.digitisation, self.digitisation_max, TARGET_DIGITISATION)

    @property
    def online_target(self) -> Decimal:
        return TARGET_ONLINE_SHARE * 100

    @property
    def digitisation_target(self) -> Decimal:
        return TARGET_DIGITISATION * 100


def _points(rate: Rate, maximum: Decimal, target: Decimal) -> Decimal | None:
    if not rate.denominator:
        return None
    return target_points(rate, maximum, target).quantize(Decimal("0.01"))


def points_settings(unit: Unit) -> tuple[Decimal, Decimal]:
    found = DossierSettings.objects.filter(unit=unit).first()
    if found is None:
        return DEFAULT_ONLINE_MAX, DEFAULT_DIGITISATION_MAX
    return found.online_max_points, found.digitisation_max_points


def settings_for(unit: Unit) -> DossierSettings:
    return DossierSettings.objects.filter(unit=unit).first() or DossierSettings(unit=unit)


def _counts(dossiers: QuerySet[Dossier], p: Period) -> dict[str, int]:
    return _grouped_counts(dossiers, p, None).get(None, {})


def _grouped_counts(
    dossiers: QuerySet[Dossier], p: Period, group_by: str | None
) -> dict[Any, dict[str, int]]:
    """The period's counts (see :func:`_count_expressions`), per value of ``group_by`` (or one group, None).

    Three index-friendly queries instead of one scan: the dossiers received in the period (every count),
    and the two kinds carried over from before it for 2.1 — still pending, or finished in the period.
    The single query's OR (received in the period OR pending OR finished since) is served by no index,
    so SQLite read every dossier of the city for it (bench/RESULTS.md)."""
    on_time = on_time_condition(p.as_of)
    carried = Q(received__lt=p.start, received__lte=p.as_of)
    parts = [
        (dossiers.filter(received_in(p)), _count_expressions(p)),
        (
            # the received date only in the counts: filtering on it let SQLite without statistics walk the
            # (unit, received) index through every earlier year instead of the few pending dossiers
            dossiers.filter(finished__isnull=True),
            {
                "n_scope": Count("id", filter=carried),
                "n_scope_on_time": Count("id", filter=carried & on_time),
            },
        ),
        (
            dossiers.filter(received__lt=p.start, received__lte=p.as_of, finished__gte=p.start),
            {"n_scope": Count("id"), "n_scope_on_time": Count("id", filter=on_time)},
        ),
    ]
    out: dict[Any, dict[str, int]] = defaultdict(dict)
    for queryset, expressions in parts:
        rows = (
            queryset.values(group_by).annotate(**expressions)
            if group_by
            else [queryset.aggregate(**expressions)]
        )
        for row in rows:
            totals = out[row.get(group_by) if group_by else None]
            for name in expressions:
                totals[name] = totals.get(name, 0) + (row[name] or 0)
    return out


def _kept_counts(units: Q, p: Period, group_by: str | None) -> dict[Any, dict[str, int]] | None:
    """:func:`_grouped_counts` of the dossiers of ``units`` (a condition on the unit) read from the kept
    figures (``friendlygov.tallies``) when ``p`` is a whole year not in the future; None otherwise. In
    the current year the dossiers still pending are judged against now here (few, indexed)."""
    year = timezone.localtime(p.start).year
    if p != period(dt.date(year, 1, 1), dt.date(year, 12, 31), now=p.as_of) or p.as_of < p.start:
        return None
    current = p.as_of < p.end
    kept = tally_selectors.dossier_counts(units, year=year, current=current)
    if current:
        _judge_now(kept, units, p)
    if group_by is None:
        return {None: next(iter(kept.values()), {})}
    return dict(kept)


def _judge_now(kept: dict[int, dict[str, int]], units: Q, p: Period) -> None:
    """The current year's kept counts made exact as of now (``p.as_of``): the dossiers still pending are
    judged against their deadline, and the few dated after now (received or finished later: the kept rows
    count them by year) are taken out and judged as the recount does. Indexed reads of a few rows."""
    pending = (
        Dossier.objects.filter(units, finished__isnull=True, received__lte=p.as_of)
        .values("unit_id")
        .annotate(n_scope=Count("id"), n_scope_on_time=Count("id", filter=on_time_condition(p.as_of)))
        .values_list("unit_id", "n_scope", "n_scope_on_time")
        .order_by()
    )
    for unit_id, n_scope, n_on_time in pending:
        totals = kept.setdefault(unit_id, dict.fromkeys(tally_selectors.DOSSIER_COUNT_NAMES, 0))
        totals["n_scope"] += n_scope
        totals["n_scope_on_time"] += n_on_time
    year = timezone.localtime(p.start).year
    judged = ExpressionWrapper(on_time_condition(p.as_of), output_field=BooleanField())
    fields = ("unit", "received", "finished", "deadline", "supplement_requests", "channel", "digitised")
    later: dict[int, Dossier] = {}
    # two queries, each served by an index, rather than one OR that SQLite answers by a scan
    for condition in (Q(received__gt=p.as_of), Q(finished__gt=p.as_of)):
        found = Dossier.objects.filter(units).filter(condition).annotate(judged_on_time=judged)
        later.update((d.pk, d) for d in found.only(*fields, "electronic_result"))
    for dossier in later.values():
        key = tally_services.dossier_key(dossier)
        tally_selectors.add_dossier(kept, dossier.unit_id, key[1:], -1, year=year, current=True)
        if dossier.received > p.as_of:
            continue  # not received yet: in no count
        # received by now, finished after it: pending now, in the year's scope
        totals = kept.setdefault(dossier.unit_id, dict.fromkeys(tally_selectors.DOSSIER_COUNT_NAMES, 0))
        if key[1] == year:
            totals["n_received"] += 1
            totals["n_online"] += 1 if key[6] else 0
            totals["n_digitised"] += 1 if key[7] else 0
            totals["n_electronic"] += 1 if key[8] else 0
        totals["n_scope"] += 1
        totals["n_scope_on_time"] += 1 if dossier.judged_on_time else 0  # type: ignore[attr-defined]


def _counts_of(units: Q, p: Period, group_by: str | None) -> dict[Any, dict[str, int]]:
    """The period's counts of the dossiers of ``units``: kept (a whole year) or counted."""
    kept = _kept_counts(units, p, group_by)
    if kept is not None:
        return kept
    return _grouped_counts(Dossier.objects.filter(units), p, group_by)


def _count_expressions(p: Period) -> dict[str, Count]:
    """Named so as not to clash with the model's fields (an alias would shadow a field in the filters)."""
    scope = in_on_time_scope(p)
    received = received_in(p)
    return {
        "n_scope": Count("id", filter=scope),
        "n_scope_on_time": Count("id", filter=scope & on_time_condition(p.as_of)),
        "n_received": Count("id", filter=received),
        "n_online": Count("id", filter=received & Q(channel=Channel.ONLINE)),
        "n_digitised": Count("id", filter=received & Q(digitised=True)),
        "n_electronic": Count("id", filter=received & Q(electronic_result=True)),
    }


def _figures_from(
    counts: dict[str, Any], p: Period, online_max: Decimal, digitisation_max: Decimal
) -> Figures:
    got = counts.get("n_received", 0)
    return Figures(
        period=p,
        received=got,
        on_time=Rate(counts.get("n_scope_on_time", 0), counts.get("n_scope", 0)),
        online=Rate(counts.get("n_online", 0), got),
        digitisation=Rate(counts.get("n_digitised", 0), got),
        electronic=Rate(counts.get("n_electronic", 0), got),
        online_max=online_max,
        digitisation_max=digitisation_max,
    )


def figures_for(*, unit: Unit, p: Period) -> Figures:
    counts = _counts_of(Q(unit=unit), p, None).get(None, {})
    online_max, digitisation_max = points_settings(unit)
    return _figures_from(counts, p, online_max, digitisation_max)


def unit_figures(*, unit: Unit, year: int) -> Figures:
    return figures_for(unit=unit, p=year_period(year))


def _reference(unit: Unit, year: int) -> str:
    return figures.unit_address("dossiers:unit_figures", unit.slug) + f"?nam={year}"


def _figure(unit: Unit, year: int, rate: Rate, label: str, as_of: dt.date) -> MeasuredFigure | None:
    percent = rate.percent(2)
    if percent is None:
        return None
    return MeasuredFigure(
        percent=percent,
        label=f"{label} năm {year}: {rate.numerator}/{rate.denominator} hồ sơ (QĐ 766/QĐ-TTg)",
        numerator=rate.numerator,
        denominator=rate.denominator,
        as_of=as_of,
        reference=_reference(unit, year),
    )


ON_TIME_LABEL = INDICATOR_NAMES["on_time"]
ONLINE_LABEL = INDICATOR_NAMES["online"]
DIGITISATION_LABEL = INDICATOR_NAMES["digitisation"]


def on_time_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """2.1 — dossiers finished or pending on time ÷ dossiers of the year; None when there are none."""
    f = unit_figures(unit=unit, year=year)
    return _figure(unit, year, f.on_time, ON_TIME_LABEL, f.period.as_of_date)


def online_share_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """3.3 — dossiers filed online ÷ dossiers received in the year (target 50%)."""
    f = unit_figures(unit=unit, year=year)
    return _figure(unit, year, f.online, ONLINE_LABEL, f.period.as_of_date)


def digitisation_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """4.2 — digitised dossiers ÷ dossiers received in the year (target 80%)."""
    f = unit_figures(unit=unit, year=year)
    return _figure(unit, year, f.digitisation, DIGITISATION_LABEL, f.period.as_of_date)


def _batch_figures(
    units: Sequence[Unit], year: int, rate_of: Callable[[Figures], Rate], label: str
) -> dict[int, MeasuredFigure | None]:
    """A 766 figure of many units (the city's table): the year's counts grouped by unit in the three
    queries one unit takes (points maxima do not enter a figure)."""
    if not units:
        return {}

    def counted() -> tuple[Period, dict[Any, dict[str, int]]]:
        p = year_period(year)
        return p, _counts_of(Q(unit__in=units), p, "unit_id")

    # the three figures of a city's table share one count (inside figures.one_reading)
    p, counts = figures.shared(("dossiers.year_counts", tuple(unit.pk for unit in units), year), counted)
    return {
        unit.pk: _figure(
            unit,
            year,
            rate_of(_figures_from(counts.get(unit.pk, {}), p, Decimal(0), Decimal(0))),
            label,
            p.as_of_date,
        )
        for unit in units
    }


def next_changes(*, units: Sequence[Unit], year: int, now: dt.datetime) -> dict[int, dt.datetime]:
    """When each unit's 2.1, 3.3 and 4.2 next change with no dossier changing (``changes_at`` of the three
    sources): a pending dossier is late from just after its deadline, and one dated after now (received or
    finished: an import from a clock ahead) counts from its date. Three indexed reads. ``year`` does not
    narrow them: a pending dossier of any year counts in 2.1."""
    ids = [unit.pk for unit in units]
    out: dict[int, dt.datetime] = {}
    for condition, field in (
        (Q(finished__isnull=True, deadline__gte=now), "deadline"),
        (Q(received__gt=now), "received"),
        (Q(finished__gt=now), "finished"),
    ):
        found = (
            Dossier.objects.filter(condition, unit_id__in=ids)
            .values("unit_id")
            .annotate(first=Min(field))
            .values_list("unit_id", "first")
            .order_by()
        )
        for unit_id, moment in found:
            if moment is not None and (unit_id not in out or moment < out[unit_id]):
                out[unit_id] = moment
    return out


def on_time_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _batch_figures(units, year, lambda f: f.on_time, ON_TIME_LABEL)


def online_share_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _batch_figures(units, year, lambda f: f.online, ONLINE_LABEL)


def digitisation_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _batch_figures(units, year, lambda f: f.digitisation, DIGITISATION_LABEL)


def dossier_count(*, unit: Unit, start: dt.date, end: dt.date) -> int | None:
    """Dossiers received from `start` to `end` (inclusive) — N for the survey sample size. None when the
    unit has imported no dossiers at all (the number is unknown, not zero)."""
    dossiers = Dossier.objects.filter(unit=unit)
    if not dossiers.exists():
        return None
    p = period(start, end, now=_aware(end + dt.timedelta(days=1)))
    return dossiers.filter(received__gte=p.start, received__lte=p.end).count()


def dossier_counts(*, units: Iterable[Unit], start: dt.date, end: dt.date) -> dict[int, int | None]:
    """`dossier_count` for many units at once: {unit id: dossiers received from `start` to `end`, or None
    when the unit has imported no dossiers at all} — one grouped query (plus, only for units with none in
    the period, one query telling which have dossiers at all)."""
    ids = [unit.pk for unit in units]
    if not ids:
        return {}
    p = period(start, end, now=_aware(end + dt.timedelta(days=1)))
    # COUNT(*) rather than COUNT(id): the same number, counted from the (unit, received) index entries alone.
    found = dict(
        Dossier.objects.filter(unit_id__in=ids, received__gte=p.start, received__lte=p.end)
        .values_list("unit_id")
        .annotate(n=Count("*"))
        .values_list("unit_id", "n")
        .order_by()
    )
    missing = [pk for pk in ids if pk not in found]
    with_data = (
        set(
            Dossier.objects.filter(unit_id__in=missing)
            .values_list("unit_id", flat=True)
            .distinct()
            .order_by()
        )
        if missing
        else set()
    )
    return {pk: found.get(pk, 0 if pk in with_data else None) for pk in ids}


# ---------------------------------------------------------------- pages


def years_with_data(unit: Unit) -> list[int]:
    bounds = Dossier.objects.filter(unit=unit).aggregate(first=Min("received"), last=Max("received"))
    this_year = timezone.localdate().year
    if bounds["first"] is None:
        return [this_year]
    first = timezone.localtime(bounds["first"]).year
    last = max(timezone.localtime(bounds["last"]).year, this_year)
    return list(range(last, first - 1, -1))


def procedure_breakdown(*, unit: Unit, p: Period, limit: int = 15) -> list[dict[str, Any]]:
    """The procedures with most dossiers in the period: counts, on time, online, digitised."""
    rows = (
        Dossier.objects.filter(unit=unit)
        .filter(received_in(p))
        .values("procedure")
        .annotate(
            n_total=Count("id"),
            n_on_time=Count("id", filter=on_time_condition(p.as_of)),
            n_online=Count("id", filter=Q(channel=Channel.ONLINE)),
            n_digitised=Count("id", filter=Q(digitised=True)),
        )
        .order_by("-n_total", "procedure")[:limit]
    )
    result = []
    for row in rows:
        total = row["n_total"]
        result.append(
            {
                "procedure": row["procedure"],
                "total": total,
                "on_time_percent": Rate(row["n_on_time"], total).percent(1),
                "online_percent": Rate(row["n_online"], total).percent(1),
                "digitised_percent": Rate(row["n_digitised"], total).percent(1),
            }
        )
    return result


def late_dossiers(*, unit: Unit, p: Period, limit: int = 50) -> list[Dossier]:
    return list(
        Dossier.objects.filter(unit=unit)
        .filter(in_on_time_scope(p))
        .exclude(on_time_condition(p.as_of))
        .order_by("-received")[:limit]
    )


def recent_imports(unit: Unit, limit: int = 10) -> QuerySet[DossierImport]:
    return DossierImport.objects.filter(unit=unit).select_related("imported_by")[:limit]


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    figures: Figures


def city_comparison(*, city: Unit, year: int) -> list[UnitRow]:
    """Every commune-level unit of the city with its figures for the year (one grouped query)."""
    p = year_period(year)
    units = list(Unit.objects.filter(parent=city).order_by("name"))
    grouped = _counts_of(Q(unit__parent=city), p, "unit_id")
    maxima = {
        s.unit_id: (s.online_max_points, s.digitisation_max_points)
        for s in DossierSettings.objects.filter(unit__parent=city)
    }
    result = []
    for unit in units:
        online_max, digitisation_max = maxima.get(unit.pk, (DEFAULT_ONLINE_MAX, DEFAULT_DIGITISATION_MAX))
        result.append(
            UnitRow(
                unit=unit, figures=_figures_from(grouped.get(unit.pk, {}), p, online_max, digitisation_max)
            )
        )
    return result


# ---------------------------------------------------------------- plain records (checks, reports)


def to_record(dossier: Dossier) -> DossierRecord:
    return DossierRecord(
        receipt_no=dossier.receipt_no,
        procedure=dossier.procedure,
        received=dossier.received,
        appointment=dossier.appointment,
        finished=dossier.finished,
        supplement_requests=dossier.supplement_requests,
        waiting_days=dossier.waiting_days,
        channel=dossier.channel,
        digitised=dossier.digitised,
        electronic_result=dossier.electronic_result,
    )


def records(dossiers: Iterable[Dossier]) -> list[DossierRecord]:
    return [to_record(d) for d in dossiers]
