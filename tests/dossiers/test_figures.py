"""SQL figures agree with the pure 766 functions; points by the target rule; dossier_count."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from friendlygov.dossiers import selectors, services
from friendlygov.dossiers.models import Channel, Dossier
from friendlygov.rules.service_index import (
    TARGET_DIGITISATION,
    TARGET_ONLINE_SHARE,
    digitisation_rate,
    on_time_rate,
    online_share,
    target_points,
)
from friendlygov.tallies import services as tallies
from tests.factories import World

pytestmark = pytest.mark.django_db


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def make(
    world: World,
    receipt: str,
    received: dt.datetime,
    appointment: dt.datetime | None,
    finished: dt.datetime | None,
    *,
    supplements: int = 0,
    waiting: Decimal = Decimal(0),
    channel: str = Channel.DIRECT,
    digitised: bool = False,
    unit=None,
) -> Dossier:  # type: ignore[no-untyped-def]
    return Dossier(
        unit=unit or world.unit,
        receipt_no=receipt,
        procedure="Thủ tục",
        received=received,
        appointment=appointment,
        finished=finished,
        supplement_requests=supplements,
        waiting_days=waiting,
        channel=channel,
        digitised=digitised,
        deadline=services.deadline_of(appointment, waiting),
    )


def generated(world: World, count: int = 300, seed: int = 766) -> list[Dossier]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        received = aware(2025, 1, 1) + dt.timedelta(hours=rng.randint(0, 24 * 540))
        appointment = None if rng.random() < 0.15 else received + dt.timedelta(hours=rng.randint(1, 24 * 20))
        finished = None if rng.random() < 0.2 else received + dt.timedelta(hours=rng.randint(0, 24 * 30))
        waiting = Decimal(rng.choice(["0", "0", "0.5", "1", "2.25", "5"]))
        rows.append(
            make(
                world,
                f"G-{i:04d}",
                received,
                appointment,
                finished,
                supplements=rng.choice([0, 0, 0, 1, 2, 3]),
                waiting=waiting,
                channel=rng.choice(list(Channel.values)),
                digitised=rng.random() < 0.7,
            )
        )
    return rows


def edge_cases(world: World) -> list[Dossier]:
    appointment = aware(2025, 12, 31, 17, 0)
    return [
        make(world, "E-finished-at-deadline", aware(2025, 12, 1), appointment, appointment),
        make(
            world,
            "E-finished-after-deadline",
            aware(2025, 12, 1),
            appointment,
            appointment + dt.timedelta(seconds=1),
        ),
        make(
            world,
            "E-waiting-extends",
            aware(2025, 12, 1),
            appointment,
            appointment + dt.timedelta(days=1),
            waiting=Decimal(1),
        ),
        make(world, "E-two-supplements", aware(2025, 12, 1), appointment, aware(2025, 12, 2), supplements=2),
        make(world, "E-pending-before-deadline", aware(2025, 12, 1), aware(2026, 1, 10), None),
        make(world, "E-pending-overdue", aware(2025, 12, 1), aware(2025, 12, 10), None),
        make(world, "E-finished-next-year-late", aware(2025, 12, 1), aware(2025, 12, 10), aware(2026, 1, 5)),
        make(world, "E-carried-over", aware(2024, 12, 20), aware(2025, 1, 10), aware(2025, 1, 8)),
        make(world, "E-old-finished", aware(2024, 11, 20), aware(2024, 11, 25), aware(2024, 11, 22)),
        make(world, "E-no-appointment", aware(2025, 6, 1), None, None, supplements=1),
    ]


def expected(world: World, p: selectors.Period) -> dict[str, object]:
    everything = list(Dossier.objects.filter(unit=world.unit))
    in_scope = [
        d
        for d in everything
        if d.received <= p.as_of and (d.received >= p.start or d.finished is None or d.finished >= p.start)
    ]
    received = [d for d in everything if p.start <= d.received <= p.as_of]
    return {
        "on_time": on_time_rate(selectors.records(in_scope), p.as_of),
        "online": online_share(selectors.records(received)),
        "digitisation": digitisation_rate(selectors.records(received)),
    }


@pytest.mark.parametrize(
    "now", [dt.datetime(2026, 5, 20, 3, tzinfo=dt.UTC), dt.datetime(2027, 2, 1, 3, tzinfo=dt.UTC)]
)
def test_sql_figures_match_the_pure_functions(world: World, now: dt.datetime) -> None:
    Dossier.objects.bulk_create(generated(world) + edge_cases(world))
    Dossier.objects.bulk_create(generated(world, 50, seed=1), ignore_conflicts=True)  # same receipts: ignored
    Dossier.objects.bulk_create([make(world, "OTHER-1", aware(2025, 3, 1), None, None, unit=world.other)])
    tallies.rebuild()  # written in bulk, not by the import: the kept figures counted again
    with time_machine.travel(now, tick=False):
        for year in (2025, 2026):
            figures = selectors.unit_figures(unit=world.unit, year=year)
            want = expected(world, figures.period)
            assert figures.on_time == want["on_time"], year
            assert figures.online == want["online"], year
            assert figures.digitisation == want["digitisation"], year
            if figures.online.denominator:
                assert figures.online_points == target_points(
                    figures.online, 12, TARGET_ONLINE_SHARE
                ).quantize(Decimal("0.01"))
                assert figures.digitisation_points == target_points(
                    figures.digitisation, 22, TARGET_DIGITISATION
                ).quantize(Decimal("0.01"))
            comparison = {
                r.unit.slug: r.figures for r in selectors.city_comparison(city=world.city, year=year)
            }
            assert comparison["thanh-mien"].on_time == figures.on_time
            assert comparison["thanh-mien"].online == figures.online


def test_edge_cases_at_the_end_of_2025(world: World) -> None:
    Dossier.objects.bulk_create(edge_cases(world))
    tallies.rebuild()
    p = selectors.year_period(2025, now=aware(2026, 3, 1))
    late = {d.receipt_no for d in selectors.late_dossiers(unit=world.unit, p=p)}
    assert late == {
        "E-finished-after-deadline",
        "E-two-supplements",
        "E-pending-overdue",
        "E-finished-next-year-late",
    }
    scope = set(
        Dossier.objects.filter(unit=world.unit)
        .filter(selectors.in_on_time_scope(p))
        .values_list("receipt_no", flat=True)
    )
    assert "E-carried-over" in scope and "E-old-finished" not in scope


def test_measured_figures_and_points(world: World) -> None:
    rows = [
        make(
            world,
            f"R-{i}",
            aware(2025, 3, 1 + i),
            aware(2025, 3, 10),
            aware(2025, 3, 5),
            channel=Channel.ONLINE if i < 2 else Channel.DIRECT,
            digitised=i < 3,
        )
        for i in range(5)
    ]
    Dossier.objects.bulk_create(rows)
    tallies.rebuild()
    online = selectors.online_share_figure(unit=world.unit, year=2025)
    digitised = selectors.digitisation_figure(unit=world.unit, year=2025)
    on_time = selectors.on_time_figure(unit=world.unit, year=2025)
    assert (
        online is not None
        and online.percent == Decimal("40.00")
        and (online.numerator, online.denominator) == (2, 5)
    )
    assert digitised is not None and digitised.percent == Decimal("60.00")
    assert (
        on_time is not None
        and on_time.percent == Decimal("100.00")
        and on_time.as_of == dt.date(2025, 12, 31)
    )
    assert (
        "Tỷ lệ hồ sơ nộp trực tuyến năm 2025: 2/5 hồ sơ" in online.label
        and online.reference == "/don-vi/thanh-mien/ho-so/?nam=2025"
    )
    figures = selectors.unit_figures(unit=world.unit, year=2025)
    assert figures.online_points == Decimal("9.60")  # 0.4 × 12 ÷ 0.5
    assert figures.digitisation_points == Decimal("16.50")  # 0.6 × 22 ÷ 0.8
    services.update_settings(
        actor=world.coordinator,
        unit=world.unit,
        online_max_points=Decimal(22),
        digitisation_max_points=Decimal(10),
    )
    figures = selectors.unit_figures(unit=world.unit, year=2025)
    assert figures.online_points == Decimal("17.60") and figures.digitisation_points == Decimal("7.50")
    assert selectors.on_time_figure(unit=world.unit, year=2024) is None


def test_dossier_count(world: World) -> None:
    assert (
        selectors.dossier_count(unit=world.unit, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)) is None
    )
    Dossier.objects.bulk_create(
        [
            make(world, "C-1", aware(2025, 1, 1, 0, 0), None, None),
            make(world, "C-2", aware(2025, 12, 31, 23, 59), None, None),
            make(world, "C-3", aware(2026, 1, 1, 0, 0), None, None),
        ]
    )
    assert selectors.dossier_count(unit=world.unit, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)) == 2
    assert selectors.dossier_count(unit=world.unit, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)) == 0
    assert (
        selectors.dossier_count(unit=world.other, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
        is None
    )
