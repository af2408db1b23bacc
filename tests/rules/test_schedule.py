"""Time phrases, working days and occurrences (friendlygov.rules.schedule)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.rules.schedule import (
    KINDS,
    Occurrence,
    Schedule,
    WorkingCalendar,
    natural_key,
    normalize,
    occurrences,
    parse_time_phrase,
    period_bounds,
)

CALENDAR = WorkingCalendar()


# -- normalize ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hằng năm", "hang nam"),
        ("HÀNG NĂM", "hang nam"),
        ("  Hàng\u00a0 năm\n", "hang nam"),
        ("Phòng Văn hóa- Xã hội", "phong van hoa - xa hoi"),
        ("Phòng Văn hóa – Xã hội", "phong van hoa - xa hoi"),
        ("Phòng Văn hoá—Xã hội", "phong van hoa - xa hoi"),
        ("Đảng ủy xã Đông Đô", "dang uy xa dong do"),
        ("Ủy ban / Uỷ ban", "uy ban / uy ban"),
        ("Trường THCS Nguyễn Trãi", "truong thcs nguyen trai"),
        ("ư ơ ă â ê ô", "u o a a e o"),
        ("Hằng\u200b năm", "hang nam"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_decomposed_input_equals_composed() -> None:
    import unicodedata

    text = "Thường xuyên, hằng quý"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text) == "thuong xuyen, hang quy"


def test_natural_key_order() -> None:
    numbers = ["10", "2", "1.1", "1", "1.10", "1.2", "II", "3a", "3"]
    assert sorted(numbers, key=natural_key) == ["1", "1.1", "1.2", "1.10", "2", "3", "3a", "10", "II"]


# -- time phrases --------------------------------------------------------------------------------------

PHRASES: list[tuple[str, dict[str, object]]] = [
    # yearly without a date
    ("Hằng năm", {"kind": "yearly"}),
    ("Hàng năm", {"kind": "yearly"}),
    ("hang nam", {"kind": "yearly"}),
    ("HẰNG NĂM.", {"kind": "yearly"}),
    ("  Hằng   năm ", {"kind": "yearly"}),
    # before a day every year
    ("Trước ngày 15/02 hằng năm", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("Trước ngày 15/02 hàng năm", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("truoc ngay 15/2 hang nam", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("TRƯỚC NGÀY 15 / 02 HẰNG NĂM", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("Trước ngày 15-02 hằng năm", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("Trước ngày 15–02 hằng năm", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("Trước ngày 12/11 hằng năm", {"kind": "yearly_before", "day": 12, "month": 11}),
    ("Trước ngày 15 tháng 02 hằng năm", {"kind": "yearly_before", "day": 15, "month": 2}),
    ("truoc ngay 5 thang 6 hang nam", {"kind": "yearly_before", "day": 5, "month": 6}),
    # months every year
    ("Tháng 12 hằng năm", {"kind": "months", "months": [12]}),
    ("thang 12 hang nam", {"kind": "months", "months": [12]}),
    ("Tháng 6 và tháng 12 hằng năm", {"kind": "months", "months": [6, 12]}),
    ("Tháng 6 và 12 hàng năm", {"kind": "months", "months": [6, 12]}),
    ("Tháng 6, 12 hằng năm", {"kind": "months", "months": [6, 12]}),
    ("Tháng 12, tháng 3 và tháng 6 hằng năm", {"kind": "months", "months": [3, 6, 12]}),
    ("THANG 6 VA THANG 12 HANG NAM", {"kind": "months", "months": [6, 12]}),
    # quarters
    ("Quý I hằng năm", {"kind": "quarters", "quarters": [1]}),
    ("Quý IV hàng năm", {"kind": "quarters", "quarters": [4]}),
    ("quy iii hang nam", {"kind": "quarters", "quarters": [3]}),
    ("Quý 2", {"kind": "quarters", "quarters": [2]}),
    ("Quý 4 hằng năm", {"kind": "quarters", "quarters": [4]}),
    ("Quý I và quý III hằng năm", {"kind": "quarters", "quarters": [1, 3]}),
    ("Quý I, III hằng năm", {"kind": "quarters", "quarters": [1, 3]}),
    ("Quý 1, quý 2 và quý 4", {"kind": "quarters", "quarters": [1, 2, 4]}),
    # half years
    ("6 tháng đầu năm", {"kind": "half", "halves": [1]}),
    ("6 thang cuoi nam", {"kind": "half", "halves": [2]}),
    ("6 Tháng Cuối Năm", {"kind": "half", "halves": [2]}),
    ("6 tháng đầu năm và 6 tháng cuối năm", {"kind": "half", "halves": [1, 2]}),
    # every quarter / month / ongoing
    ("Hằng quý", {"kind": "quarterly"}),
    ("hàng quý", {"kind": "quarterly"}),
    ("Hằng tháng", {"kind": "monthly"}),
    ("HANG THANG", {"kind": "monthly"}),
    ("Thường xuyên", {"kind": "ongoing"}),
    ("thuong xuyen", {"kind": "ongoing"}),
    # explicit years
    ("Năm 2027 và năm 2030", {"kind": "years", "years": [2027, 2030]}),
    ("nam 2027 va nam 2030", {"kind": "years", "years": [2027, 2030]}),
    ("Năm 2027, 2030", {"kind": "years", "years": [2027, 2030]}),
    ("Năm 2028", {"kind": "years", "years": [2028]}),
    # explicit months
    ("Tháng 6/2027", {"kind": "month_of_year", "items": [{"year": 2027, "month": 6}]}),
    ("thang 6 / 2027", {"kind": "month_of_year", "items": [{"year": 2027, "month": 6}]}),
    ("Tháng 06-2027", {"kind": "month_of_year", "items": [{"year": 2027, "month": 6}]}),
    ("Tháng 6 năm 2027", {"kind": "month_of_year", "items": [{"year": 2027, "month": 6}]}),
    (
        "Tháng 12/2028 và tháng 6/2027",
        {"kind": "month_of_year", "items": [{"year": 2027, "month": 6}, {"year": 2028, "month": 12}]},
    ),
    # explicit dates
    ("Trước ngày 30/6/2027", {"kind": "before_date", "date": "2027-06-30"}),
    ("truoc ngay 30/06/2027", {"kind": "before_date", "date": "2027-06-30"}),
    ("Trước ngày 30 - 6 - 2027", {"kind": "before_date", "date": "2027-06-30"}),
    ("Trước ngày 30 tháng 6 năm 2027", {"kind": "before_date", "date": "2027-06-30"}),
]


@pytest.mark.parametrize(("phrase", "expected"), PHRASES)
def test_parse_time_phrase(phrase: str, expected: dict[str, object]) -> None:
    assert parse_time_phrase(phrase).to_json() == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "   ",
        "Theo kế hoạch",
        "Định kỳ",
        "Tháng 12",  # no year and no "hằng năm": which year is not said
        "Trước ngày 15/02",  # likewise
        "Trước ngày 31/02 hằng năm",  # no such day
        "Trước ngày 29/02 hằng năm",  # not every year
        "Trước ngày 31/6/2027",
        "Tháng 13 hằng năm",
        "Tháng 0 hằng năm",
        "Quý V",
        "Quý 5 hằng năm",
        "Năm 2027 - 2030",  # a range or two years? not guessed
        "Năm nay",
        "Hằng năm, trước ngày 15/02",
        "Tháng 13/2027",
        "6 tháng giữa năm",
        "Hằng tuần",
    ],
)
def test_unreadable_phrases(phrase: str) -> None:
    schedule = parse_time_phrase(phrase)
    assert schedule.to_json() == {"kind": "unreadable"}
    assert not schedule.readable
    assert occurrences(schedule, 2026, 2030, CALENDAR) == []


@pytest.mark.parametrize(("phrase", "expected"), PHRASES)
def test_schedule_json_round_trip(phrase: str, expected: dict[str, object]) -> None:
    schedule = parse_time_phrase(phrase)
    assert Schedule.from_json(schedule.to_json()) == schedule


def test_from_json_rejects_bad_data() -> None:
    for bad in (
        {},
        {"kind": "weekly"},
        {"kind": "months", "months": [13]},
        {"kind": "yearly_before", "day": 31},
    ):
        with pytest.raises(ValueError):
            Schedule.from_json(bad)
    assert Schedule.from_json({"kind": "unreadable"}).kind == "unreadable"


def test_every_kind_is_documented_and_described() -> None:
    import friendlygov.rules.schedule as module

    for kind in KINDS:
        assert f"``{kind}``" in (module.__doc__ or "")
    assert parse_time_phrase("Trước ngày 15/02 hằng năm").describe() == "Trước ngày 15/02 hằng năm"
    assert parse_time_phrase("Quý 1 và 3").describe() == "Quý I, III hằng năm"
    assert parse_time_phrase("Năm 2027 và năm 2030").describe() == "Năm 2027, 2030"
    assert parse_time_phrase("Trước ngày 30/6/2027").describe() == "Trước ngày 30/06/2027"
    assert parse_time_phrase("xyz").describe() == "Không đọc được"


# -- working days ------------------------------------------------------------------------------------


def test_weekends_and_fixed_holidays() -> None:
    assert CALENDAR.is_working_day(date(2026, 3, 2))  # Monday
    assert not CALENDAR.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 3, 8))  # Sunday
    assert not CALENDAR.is_working_day(date(2026, 1, 1))
    assert not CALENDAR.is_working_day(date(2026, 4, 30))
    assert not CALENDAR.is_working_day(date(2026, 9, 2))
    assert not CALENDAR.is_working_day(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam, from 2026


def test_tet_2026_and_2027_from_the_holidays_package() -> None:
    # Tết Bính Ngọ: 17/02/2026; the package gives 16–20/02 off.
    for day in range(16, 21):
        assert not CALENDAR.is_working_day(date(2026, 2, day)), day
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert CALENDAR.is_working_day(date(2026, 2, 23))
    # Tết Đinh Mùi: 06/02/2027 (a Saturday); the package gives 04–10/02 off (observed days included).
    for day in range(4, 11):
        assert not CALENDAR.is_working_day(date(2027, 2, day)), day
    assert CALENDAR.is_working_day(date(2027, 2, 3))
    assert CALENDAR.is_working_day(date(2027, 2, 11))
    assert "Tết" in (CALENDAR.holiday_name(date(2026, 2, 17)) or "")


def test_official_day_off_swap_carried_by_the_package() -> None:
    # 2026: Monday 31/08 off in exchange for working Saturday 22/08.
    assert not CALENDAR.is_working_day(date(2026, 8, 31))
    assert CALENDAR.is_working_day(date(2026, 8, 22))


def test_swaps_apply_on_top() -> None:
    calendar = WorkingCalendar({date(2026, 2, 13): False, date(2026, 2, 14): True, date(2026, 2, 17): True})
    assert not calendar.is_working_day(date(2026, 2, 13))
    assert calendar.is_working_day(date(2026, 2, 14))  # a Saturday made a working day
    assert calendar.is_working_day(date(2026, 2, 17))  # Tết made a working day
    assert calendar.last_working_day_before(date(2026, 2, 15)) == date(2026, 2, 14)
    assert calendar.holiday_name(date(2026, 2, 13)) == "Ngày nghỉ (điều chỉnh)"
    assert calendar.holiday_name(date(2026, 2, 17)) is None
    assert WorkingCalendar(swaps={}).is_working_day(date(2026, 2, 13))


def test_last_working_day_helpers() -> None:
    assert CALENDAR.last_working_day_on_or_before(date(2026, 2, 13)) == date(2026, 2, 13)
    assert CALENDAR.last_working_day_before(date(2026, 2, 13)) == date(2026, 2, 12)
    assert CALENDAR.last_working_day_on_or_before(date(2026, 2, 22)) == date(2026, 2, 13)  # over Tết
    assert CALENDAR.last_working_day_before(date(2026, 1, 2)) == date(2025, 12, 31)


def test_add_working_days_and_between() -> None:
    friday = date(2026, 2, 13)
    assert CALENDAR.add_working_days(friday, 0) == friday
    assert CALENDAR.add_working_days(friday, 1) == date(2026, 2, 23)  # weekend, then Tết
    assert CALENDAR.add_working_days(date(2026, 2, 23), -1) == friday
    assert CALENDAR.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    assert CALENDAR.working_days_between(friday, date(2026, 2, 23)) == 1
    assert CALENDAR.working_days_between(date(2026, 2, 23), friday) == -1
    assert CALENDAR.working_days_between(friday, friday) == 0
    assert CALENDAR.working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2025, 1, 1), date(2031, 12, 31)), n=st.integers(-60, 60))
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.working_days_between(start, end) == n
    if n:
        assert CALENDAR.is_working_day(end)
        assert (end > start) == (n > 0)


# -- occurrences -----------------------------------------------------------------------------------


def _due(phrase: str, year: int) -> list[str]:
    return [o.due.isoformat() for o in occurrences(parse_time_phrase(phrase), year, year, CALENDAR)]


def test_seed_deadlines_2026() -> None:
    assert _due("Trước ngày 15/02 hằng năm", 2026) == ["2026-02-13"]  # 15/02 is a Sunday
    assert _due("Trước ngày 12/11 hằng năm", 2026) == ["2026-11-11"]
    (occurrence,) = occurrences(parse_time_phrase("Trước ngày 15/02 hằng năm"), 2026, 2026, CALENDAR)
    assert occurrence == Occurrence(2026, "2026", date(2026, 1, 1), date(2026, 2, 13), "deadline")


def test_before_day_across_tet() -> None:
    # 2027: 15/02 is a Monday; Tết (04–10/02) is over, so Friday 12/02.
    assert _due("Trước ngày 15/02 hằng năm", 2027) == ["2027-02-12"]
    # 2027: 10/02 falls in Tết: back over 04–09/02 to Wednesday 03/02.
    assert _due("Trước ngày 10/02 hằng năm", 2027) == ["2027-02-03"]
    # 2026: 20/02 falls in Tết: back over 16–19/02 and the weekend to Friday 13/02.
    assert _due("Trước ngày 20/02 hằng năm", 2026) == ["2026-02-13"]
    # 2029: Tết 12–16/02, so before 15/02 is Friday 09/02.
    assert _due("Trước ngày 15/02 hằng năm", 2029) == ["2029-02-09"]


def test_before_day_can_fall_in_the_year_before() -> None:
    (occurrence,) = occurrences(parse_time_phrase("Trước ngày 02/01 hằng năm"), 2028, 2028, CALENDAR)
    # 02/01/2028 is a Sunday, 01/01 a holiday: due Friday 31/12/2027, still the 2028 occurrence.
    assert occurrence == Occurrence(2028, "2028", date(2028, 1, 1), date(2027, 12, 31), "deadline")


def test_period_kinds() -> None:
    assert [(o.period, o.window_start.isoformat(), o.due.isoformat()) for o in _occ("Hằng năm", 2026)] == [
        ("2026", "2026-01-01", "2026-12-31")
    ]
    # 31/12/2028 is a Sunday.
    assert [o.due.isoformat() for o in _occ("Hằng năm", 2028)] == ["2028-12-29"]
    assert [(o.period, o.due.isoformat()) for o in _occ("Tháng 5 và tháng 8 hằng năm", 2026)] == [
        ("2026-05", "2026-05-29"),  # 30–31/05 weekend
        ("2026-08", "2026-08-28"),  # 29–30 weekend, 31/08 the swapped day off
    ]
    assert [(o.period, o.window_start.isoformat(), o.due.isoformat()) for o in _occ("Quý II", 2026)] == [
        ("2026-Q2", "2026-04-01", "2026-06-30")
    ]
    assert [
        (o.period, o.window_start.isoformat(), o.due.isoformat()) for o in _occ("6 tháng cuối năm", 2026)
    ] == [("2026-H2", "2026-07-01", "2026-12-31")]
    assert [o.period for o in _occ("Hằng quý", 2026)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [o.period for o in _occ("Hằng tháng", 2026)] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert all(o.kind == "deadline" for o in _occ("Hằng tháng", 2026))


def _occ(phrase: str, year: int) -> list[Occurrence]:
    return occurrences(parse_time_phrase(phrase), year, year, CALENDAR)


def test_ongoing_gives_quarterly_check_ins() -> None:
    found = occurrences(parse_time_phrase("Thường xuyên"), 2026, 2027, CALENDAR)
    assert [o.period for o in found] == [f"{y}-Q{q}" for y in (2026, 2027) for q in (1, 2, 3, 4)]
    assert {o.kind for o in found} == {"check-in"}
    assert found[0].due == date(2026, 3, 31)


def test_explicit_years_months_and_dates() -> None:
    found = occurrences(parse_time_phrase("Năm 2027 và năm 2030"), 2026, 2030, CALENDAR)
    assert [(o.year, o.period, o.due.isoformat()) for o in found] == [
        (2027, "2027", "2027-12-31"),
        (2030, "2030", "2030-12-31"),
    ]
    assert occurrences(parse_time_phrase("Năm 2031"), 2026, 2030, CALENDAR) == []
    assert [(o.period, o.due.isoformat()) for o in _occ("Tháng 6/2027", 2027)] == [("2027-06", "2027-06-30")]
    assert _occ("Tháng 6/2027", 2026) == []
    (occurrence,) = _occ("Trước ngày 30/6/2027", 2027)
    assert occurrence == Occurrence(2027, "2027", date(2027, 1, 1), date(2027, 6, 29), "deadline")
    assert _occ("Trước ngày 30/6/2027", 2028) == []


def test_period_bounds() -> None:
    assert period_bounds("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert period_bounds("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert period_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert period_bounds("2026-H1") == (date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(ValueError):
        period_bounds("2026-Q5")


# -- properties ------------------------------------------------------------------------------------

_numbers = st.lists(st.integers(1, 12), min_size=1, max_size=4)
_schedules = st.one_of(
    st.sampled_from([Schedule("yearly"), Schedule("quarterly"), Schedule("monthly"), Schedule("ongoing")]),
    st.builds(
        lambda d: Schedule("yearly_before", day=d.day, month=d.month),
        st.dates(date(2001, 1, 1), date(2001, 12, 31)),
    ),
    st.builds(lambda ms: Schedule("months", months=tuple(sorted(set(ms)))), _numbers),
    st.builds(
        lambda qs: Schedule("quarters", quarters=tuple(sorted(set(qs)))),
        st.lists(st.integers(1, 4), min_size=1, max_size=4),
    ),
    st.builds(
        lambda hs: Schedule("half", halves=tuple(sorted(set(hs)))),
        st.lists(st.integers(1, 2), min_size=1, max_size=2),
    ),
    st.builds(
        lambda ys: Schedule("years", years=tuple(sorted(set(ys)))),
        st.lists(st.integers(2025, 2032), min_size=1, max_size=3),
    ),
    st.builds(
        lambda items: Schedule("month_of_year", items=tuple(sorted(set(items)))),
        st.lists(st.tuples(st.integers(2025, 2032), st.integers(1, 12)), min_size=1, max_size=3),
    ),
    st.builds(
        lambda d: Schedule("before_date", exact_date=d), st.dates(date(2025, 1, 1), date(2032, 12, 31))
    ),
)
_swaps = st.dictionaries(st.dates(date(2025, 1, 1), date(2032, 12, 31)), st.booleans(), max_size=20)


@settings(max_examples=200, deadline=None)
@given(schedule=_schedules, first=st.integers(2025, 2031), span=st.integers(0, 2), swaps=_swaps)
def test_due_dates_are_working_days_within_their_period(
    schedule: Schedule, first: int, span: int, swaps: dict[date, bool]
) -> None:
    calendar = WorkingCalendar(swaps)
    found = occurrences(schedule, first, first + span, calendar)
    for occurrence in found:
        start, end = period_bounds(occurrence.period)
        assert occurrence.window_start == start
        assert occurrence.year == start.year
        assert first <= occurrence.year <= first + span
        assert calendar.is_working_day(occurrence.due)
        assert occurrence.due <= end
        assert occurrence.kind == ("check-in" if schedule.kind == "ongoing" else "deadline")
        if schedule.kind == "yearly_before":
            assert schedule.month is not None and schedule.day is not None
            limit = date(occurrence.year, schedule.month, schedule.day)
        elif schedule.kind == "before_date":
            assert schedule.exact_date is not None
            limit = schedule.exact_date
        else:
            # The last working day of the period: nothing after it in the period is a working day.
            assert not any(
                calendar.is_working_day(occurrence.due + timedelta(days=k))
                for k in range(1, (end - occurrence.due).days + 1)
            )
            continue
        assert occurrence.due < limit
        assert not any(
            calendar.is_working_day(occurrence.due + timedelta(days=k))
            for k in range(1, (limit - occurrence.due).days)
        )
    assert [o.due for o in found] == sorted(o.due for o in found)
