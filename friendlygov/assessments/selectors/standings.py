"""The kept standings of open cycles (:class:`~friendlygov.assessments.models.LiveStanding`): what the city's
table shows of an open cycle — completeness, self-assessed and consolidated totals — read from the row kept
at its last scoring while nothing it was computed from has changed, instead of reading every source of every
open cycle again on each request (a city's 114 open cycles: ~140 ms scored and kept, ~15 ms read back).

What a standing is computed from, its *basis*: the code that scored it, the cycle's criteria set and status,
and the change stamps (``audit.ChangeStamp``) of its unit, of the unit's city and of everything, which every
change renews in its own transaction (the audit log for each change it records, the kept counts for each
citizen's answer, feedback or dossier). The figures also change with time alone: a kept standing lasts until
midnight, or until the moment a source says its figures change (``changes_at``: a pending dossier's
deadline). Kept rows are never trusted beyond that: a row whose basis differs or whose moment has come is
scored again and kept anew.

Keeping is the one write of these reads: the standings scored for a request are kept in one statement."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Cycle, LiveStanding
from friendlygov.audit.models import EVERYTHING
from friendlygov.audit.selectors import change_stamps
from friendlygov.core import figures
from friendlygov.kit.code import code_mark

from .measured import Completeness
from .values import COLUMNS, ScoreValues

logger = logging.getLogger(__name__)

#: The columns of an open cycle's standing (nothing is appraised while a cycle is open).
KEPT_COLUMNS = ("self", "consolidated")

Totals = dict[str, tuple[Decimal, str] | None]


def standing_bases(cycles: Sequence[Cycle]) -> dict[int, str]:
    """What each open cycle's standing is computed from, by cycle id (``cycle.unit`` loaded). Read *before*
    the figures are, so that a standing kept under a basis was computed from records at least as new."""
    scopes = {EVERYTHING} | {c.unit_id for c in cycles} | {c.unit.parent_id or EVERYTHING for c in cycles}
    stamps = change_stamps(scopes=scopes)
    mark = code_mark()
    everything = stamps.get(EVERYTHING, "-")
    return {
        c.pk: "|".join(
            (
                mark,
                str(c.criteria_set_id),
                c.status,
                stamps.get(c.unit_id, "-"),
                stamps.get(c.unit.parent_id, "-") if c.unit.parent_id else "-",
                everything,
            )
        )
        for c in cycles
    }


def kept_standings(
    cycles: Sequence[Cycle], *, bases: Mapping[int, str], now: dt.datetime
) -> dict[int, tuple[Completeness, Totals]]:
    """The standings kept under the cycles' current ``bases`` and still valid at ``now``, by cycle id, as
    the city's table shows them (the appraised column empty). One query."""
    found = LiveStanding.objects.filter(cycle_id__in=[c.pk for c in cycles], valid_until__gt=now).values_list(
        "cycle_id", "basis", "completeness", "totals"
    )
    out: dict[int, tuple[Completeness, Totals]] = {}
    for cycle_id, basis, done, totals in found:
        if basis != bases.get(cycle_id):
            continue
        shown: Totals = dict.fromkeys(COLUMNS)  # in the columns' order, as a scored row has them
        for column in KEPT_COLUMNS:
            total, level = totals[column]
            shown[column] = (Decimal(total), level or gettext("chưa đạt"))
        out[cycle_id] = (Completeness(*done), shown)
    return out


def keep_standings(
    scored: Mapping[int, tuple[ScoreValues, Completeness]], *, bases: Mapping[int, str], now: dt.datetime
) -> int:
    """Keep the standings of the open cycles just scored (``scored``: by cycle id, the cycles'
    :class:`ScoreValues`, read after their ``bases``, and their completeness), valid until midnight or the first
    moment one of their sources says it changes after ``now``. One statement (an upsert, the rows in cycle
    order: two readers keeping the same standings wait for each other rather than deadlock), in a transaction
    or a savepoint of the caller's. Returns how many were kept (none when the database would not take it)."""
    cycles = sorted((data.cycle for data, _done in scored.values()), key=lambda c: c.pk)
    if not cycles:
        return 0
    local = timezone.localtime(now)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=local.tzinfo)
    until = {cycle.pk: midnight for cycle in cycles}
    for (changes_at, year), of_units in _timed_sources(cycles).items():
        moments = changes_at(units=[c.unit for c in of_units], year=year, now=now)
        for cycle in of_units:
            moment = moments.get(cycle.unit_id)
            if moment is not None and moment < until[cycle.pk]:
                until[cycle.pk] = moment
    rows = []
    for cycle in cycles:
        data, done = scored[cycle.pk]
        totals = {}
        for column in KEPT_COLUMNS:
            total, level = data.total(column)
            totals[column] = [str(total), level.name if level else None]
        rows.append(
            LiveStanding(
                cycle=cycle,
                unit_id=cycle.unit_id,
                basis=bases[cycle.pk],
                valid_until=until[cycle.pk],
                scored_at=now,
                completeness=[done.scorable, done.scored, done.with_evidence],
                totals=totals,
            )
        )
    try:
        with transaction.atomic():
            LiveStanding.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["cycle"],
                update_fields=["unit", "basis", "valid_until", "scored_at", "completeness", "totals"],
            )
    except OperationalError as error:
        # The database would not take the write (SQLite's one writer busy past its timeout with an import or
        # a rebuild): the standings were scored and are shown; the next read scores and keeps them.
        logger.warning("open cycles' standings not kept: %s", error)
        return 0
    return len(rows)


def _timed_sources(cycles: Sequence[Cycle]) -> dict[tuple[figures.ChangeMoments, int], list[Cycle]]:
    """The cycles whose sources change with the moment, by (the sources' ``changes_at``, year): sources
    judged alike share one (2.1, 3.3 and 4.2: ``dossiers.selectors.next_changes``), asked once."""
    out: dict[tuple[figures.ChangeMoments, int], list[Cycle]] = defaultdict(list)
    for cycle in cycles:
        leaves = crit.parsed(cycle.criteria_set).leaf_list
        moments = (figures.SOURCES[leaf.source].changes_at for leaf in leaves if leaf.source)
        for changes_at in {m for m in moments if m is not None}:
            out[(changes_at, cycle.year)].append(cycle)
    return out
