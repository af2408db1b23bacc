"""766 service-index figures from plain records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.rules.service_index import (
    TARGET_DIGITISATION,
    TARGET_ONLINE_SHARE,
    DossierRecord,
    FeedbackRecord,
    Rate,
    digitisation_rate,
    dossier_on_time,
    electronic_result_rate,
    feedback_item_on_time,
    feedback_on_time,
    feedback_satisfaction,
    on_time_rate,
    online_share,
    target_points,
)

D = Decimal
END = datetime(2026, 3, 31, 23, 59)


def dossier(
    n: int = 1,
    *,
    received: datetime = datetime(2026, 3, 2, 8, 0),
    appointment: datetime | None = datetime(2026, 3, 10, 17, 0),
    finished: datetime | None = None,
    supplements: int = 0,
    waiting: Decimal | int = 0,
    channel: str = "counter",
    digitised: bool = False,
    electronic: bool = False,
) -> DossierRecord:
    return DossierRecord(
        receipt_no=f"000.00.{n:02d}.H26-260302-{n:04d}",
        procedure="Đăng ký khai sinh",
        received=received,
        appointment=appointment,
        finished=finished,
        supplement_requests=supplements,
        waiting_days=waiting,
        channel=channel,
        digitised=digitised,
        electronic_result=electronic,
    )


# -- Rate and target points --------------------------------------------------------------------------


def test_rate_values() -> None:
    rate = Rate(1, 3)
    assert rate.exact == Fraction(1, 3)
    assert rate.rate == D(1) / D(3)
    assert rate.percent() == D("33.33")
    assert Rate(1, 8).percent(1) == D("12.5")
    assert Rate(1, 32).percent() == D("3.13")
    empty = Rate(0, 0)
    assert empty.rate is None and empty.percent() is None and empty.exact is None


@pytest.mark.parametrize(
    ("rate", "max_points", "target", "expected"),
    [
        (D("0.5"), D(12), D("0.5"), D(12)),
        (D("0.6"), D(12), D("0.5"), D(12)),
        (D("0.25"), D(12), D("0.5"), D(6)),
        (D("0.4"), D(10), D("0.8"), D(5)),
        (D(0), D(10), D("0.8"), D(0)),
    ],
)
def test_target_points(rate: Decimal, max_points: Decimal, target: Decimal, expected: Decimal) -> None:
    assert target_points(rate, max_points, target) == expected


def test_target_points_uses_exact_rate_and_validates() -> None:
    # 1/3 of 9 points at target 0.5: 1/3 × 9 ÷ 0.5 = 6 exactly (a rounded Decimal rate would not give 6).
    assert target_points(Rate(1, 3), D(9), TARGET_ONLINE_SHARE) == D(6)
    assert target_points(Rate(9, 10), 22, TARGET_DIGITISATION) == D(22)
    for args in [
        (Rate(0, 0), D(1), D("0.5")),
        (D("-0.1"), D(1), D("0.5")),
        (D("0.1"), D(1), D(0)),
        (D("0.1"), D(-1), D("0.5")),
    ]:
        with pytest.raises(ValueError):
            target_points(*args)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1000), st.integers(1, 1000), st.integers(1, 100), st.integers(0, 30))
def test_target_points_bounded_and_monotone(num: int, extra: int, target_pct: int, max_points: int) -> None:
    den = num + extra
    target = D(target_pct) / 100
    points = target_points(Rate(num, den), max_points, target)
    assert D(0) <= points <= max_points
    better = target_points(Rate(num + 1, den + 1), max_points, target)
    assert better >= points - D("1e-20")


# -- 2.1 on time -------------------------------------------------------------------------------------


def test_finished_before_and_after_appointment() -> None:
    assert dossier_on_time(dossier(finished=datetime(2026, 3, 10, 17, 0)), END)  # exactly at the appointment
    assert not dossier_on_time(dossier(finished=datetime(2026, 3, 10, 17, 1)), END)


def test_waiting_time_is_deducted() -> None:
    late_without = dossier(finished=datetime(2026, 3, 12, 9, 0))
    assert not dossier_on_time(late_without, END)
    assert dossier_on_time(dossier(finished=datetime(2026, 3, 12, 9, 0), waiting=2, supplements=1), END)
    assert dossier_on_time(dossier(finished=datetime(2026, 3, 11, 5, 0), waiting=D("0.5")), END)
    assert not dossier_on_time(dossier(finished=datetime(2026, 3, 11, 5, 1), waiting=D("0.5")), END)


def test_more_than_one_supplement_request_is_late() -> None:
    assert dossier_on_time(dossier(finished=datetime(2026, 3, 5), supplements=1), END)
    assert not dossier_on_time(dossier(finished=datetime(2026, 3, 5), supplements=2), END)
    assert not dossier_on_time(dossier(finished=None, appointment=None, supplements=2), END)


def test_pending_counted_at_period_end() -> None:
    end = datetime(2026, 3, 9, 23, 59)
    assert dossier_on_time(dossier(finished=None), end)  # appointment 10/3 still ahead
    assert not dossier_on_time(dossier(finished=None), datetime(2026, 3, 10, 17, 1))  # already past
    assert dossier_on_time(dossier(finished=None), datetime(2026, 3, 10, 17, 0))
    # Finished after the period end: pending at the end, judged by the appointment then.
    late_later = dossier(finished=datetime(2026, 3, 20))
    assert dossier_on_time(late_later, end)
    assert not dossier_on_time(late_later, END)


def test_no_appointment_is_on_time() -> None:
    assert dossier_on_time(dossier(appointment=None, finished=datetime(2026, 3, 2, 9, 0)), END)
    assert dossier_on_time(dossier(appointment=None, finished=None), END)


def test_on_time_rate() -> None:
    records = [
        dossier(1, finished=datetime(2026, 3, 9)),  # on time
        dossier(2, finished=datetime(2026, 3, 11)),  # late
        dossier(3, finished=None, appointment=datetime(2026, 4, 5)),  # pending, still on time
        dossier(4, finished=None),  # pending, appointment 10/3 passed
        dossier(5, finished=datetime(2026, 3, 6), supplements=2),  # supplemented twice
        dossier(6, received=datetime(2026, 4, 1, 8, 0), appointment=datetime(2026, 4, 3)),  # after the period
    ]
    rate = on_time_rate(records, END)
    assert (rate.numerator, rate.denominator) == (2, 5)
    assert rate.rate == D("0.4")
    assert on_time_rate([], END) == Rate(0, 0)


def test_negative_inputs_refused() -> None:
    with pytest.raises(ValueError):
        dossier_on_time(dossier(waiting=-1), END)
    with pytest.raises(ValueError):
        dossier_on_time(dossier(supplements=-1), END)


# -- 3.3, 4.1, 4.2 -----------------------------------------------------------------------------------


def test_online_share_and_digitisation() -> None:
    records = [
        dossier(1, channel="online", digitised=True, electronic=True),
        dossier(2, channel=" Online ", digitised=True),
        dossier(3, channel="counter", digitised=True),
        dossier(4, channel="post"),
    ]
    assert online_share(records) == Rate(2, 4)
    assert online_share(records, online_channels={"online", "post"}) == Rate(3, 4)
    assert digitisation_rate(records) == Rate(3, 4)
    assert electronic_result_rate(records) == Rate(1, 4)
    assert target_points(online_share(records), 12, TARGET_ONLINE_SHARE) == 12
    assert target_points(digitisation_rate(records), 22, TARGET_DIGITISATION) == D("20.625")
    assert online_share([]).rate is None


# -- 5.2, 5.3 feedback -------------------------------------------------------------------------------


def weekdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (Monday–Friday only)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


MON = date(2026, 3, 2)  # a Monday


def fb(**kwargs: object) -> FeedbackRecord:
    return FeedbackRecord(reference="PA-1", received=MON, **kwargs)  # type: ignore[arg-type]


def test_weekday_helper() -> None:
    assert weekdays_between(MON, MON) == 0
    assert weekdays_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Friday → Monday


def test_feedback_reject_within_two_working_days() -> None:
    end = date(2026, 4, 30)
    assert feedback_item_on_time(fb(rejected=date(2026, 3, 4)), end, weekdays_between)  # Wed = 2
    assert not feedback_item_on_time(fb(rejected=date(2026, 3, 5)), end, weekdays_between)  # Thu = 3
    assert feedback_item_on_time(fb(rejected=date(2026, 3, 5), waiting_working_days=1), end, weekdays_between)


def test_feedback_request_more_within_five() -> None:
    end = date(2026, 4, 30)
    ok = fb(more_info_requested=date(2026, 3, 9), handled=date(2026, 3, 10), published=date(2026, 3, 10))
    late = fb(more_info_requested=date(2026, 3, 10), handled=date(2026, 3, 11), published=date(2026, 3, 11))
    assert feedback_item_on_time(ok, end, weekdays_between)  # Monday + 5 working days
    assert not feedback_item_on_time(late, end, weekdays_between)


def test_feedback_handle_within_fifteen_clock_stops_while_waiting() -> None:
    end = date(2026, 4, 30)
    day15 = date(2026, 3, 23)  # 15 working days after Monday 2/3
    day17 = date(2026, 3, 25)
    assert weekdays_between(MON, day15) == 15
    assert feedback_item_on_time(fb(handled=day15, published=day15), end, weekdays_between)
    assert not feedback_item_on_time(fb(handled=day17, published=day17), end, weekdays_between)
    waited = fb(more_info_requested=date(2026, 3, 3), waiting_working_days=2, handled=day17, published=day17)
    assert feedback_item_on_time(waited, end, weekdays_between)


def test_feedback_publish_within_two_after_handling() -> None:
    end = date(2026, 4, 30)
    handled = date(2026, 3, 6)  # Friday
    assert feedback_item_on_time(
        fb(handled=handled, published=date(2026, 3, 10)), end, weekdays_between
    )  # Tue
    assert not feedback_item_on_time(fb(handled=handled, published=date(2026, 3, 11)), end, weekdays_between)
    # Not yet published: on time for 2 working days after handling, late afterwards.
    assert feedback_item_on_time(fb(handled=handled), date(2026, 3, 10), weekdays_between)
    assert not feedback_item_on_time(fb(handled=handled), date(2026, 3, 11), weekdays_between)


def test_feedback_pending_and_period() -> None:
    assert feedback_item_on_time(fb(), date(2026, 3, 23), weekdays_between)
    assert not feedback_item_on_time(fb(), date(2026, 3, 24), weekdays_between)
    # Events after the period end have not happened yet at the period end.
    later = fb(rejected=date(2026, 3, 31))
    assert feedback_item_on_time(later, date(2026, 3, 3), weekdays_between)
    records = [
        fb(rejected=date(2026, 3, 3)),  # on time
        fb(handled=date(2026, 3, 25), published=date(2026, 3, 25)),  # late handling
        fb(),  # pending 17 working days at the end: late
        FeedbackRecord(reference="PA-8", received=date(2026, 3, 20)),  # pending 3 days: on time
        FeedbackRecord(reference="PA-9", received=date(2026, 3, 26)),  # after the period
    ]
    assert feedback_on_time(records, date(2026, 3, 25), weekdays_between) == Rate(2, 4)
    # At 23/3 the late handling on 25/3 has not happened yet: everything is still within limits.
    assert feedback_on_time(records, date(2026, 3, 23), weekdays_between) == Rate(4, 4)
    with pytest.raises(ValueError):
        feedback_item_on_time(fb(waiting_working_days=-1), date(2026, 3, 23), weekdays_between)


def test_feedback_satisfaction() -> None:
    records = [fb(satisfied=True), fb(satisfied=True), fb(satisfied=False), fb(satisfied=None)]
    rate = feedback_satisfaction(records)
    assert rate == Rate(2, 3)
    assert rate.percent() == D("66.67")
    assert feedback_satisfaction([]).rate is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(-5, 30)), st.integers(0, 3)),
        max_size=20,
    ),
    st.integers(0, 40),
)
def test_on_time_rate_bounds(specs: list[tuple[int, int | None, int]], end_offset: int) -> None:
    base = datetime(2026, 1, 1)
    records = [
        dossier(
            n,
            received=base + timedelta(days=r),
            appointment=base + timedelta(days=r + 5),
            finished=None if f is None else base + timedelta(days=r + f),
            supplements=s,
        )
        for n, (r, f, s) in enumerate(specs)
    ]
    rate = on_time_rate(records, base + timedelta(days=end_offset))
    assert 0 <= rate.numerator <= rate.denominator <= len(records)
    if rate.rate is not None:
        assert D(0) <= rate.rate <= D(1)


@settings(max_examples=400)
@given(
    numerator=st.integers(min_value=-(10**9), max_value=10**9),
    denominator=st.integers(min_value=-(10**9), max_value=10**9).filter(bool),
    places=st.integers(min_value=0, max_value=4),
)
def test_percent_is_the_exact_fraction_rounded_half_up(numerator: int, denominator: int, places: int) -> None:
    # counted in integers (a city's table rounds a thousand rates); the definition is the exact fraction's
    assert Rate(numerator, denominator).percent(places) == _exact_half_up(
        Fraction(numerator, denominator) * 100, places
    )


def _exact_half_up(value: Fraction, places: int) -> Decimal:
    """The definition: the exact fraction scaled, halves rounded away from zero (the computation
    ``Rate.percent`` used before it was done in integers)."""
    scaled = abs(value) * 10**places
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    return Decimal(-rounded if value < 0 else rounded).scaleb(-places)
