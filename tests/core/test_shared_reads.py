"""One reading of many measured-figure sources computes what they share once, and keeps nothing after."""

from __future__ import annotations

from django.urls import reverse

from friendlygov.core import figures


def test_shared_is_computed_once_inside_a_reading_and_again_after() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert figures.shared("k", compute) == 1  # outside a reading: each time
    assert figures.shared("k", compute) == 2
    with figures.one_reading():
        assert figures.shared("k", compute) == 3
        assert figures.shared("k", compute) == 3  # same key: the first answer
        assert figures.shared("other", compute) == 4  # another key: its own
        with figures.one_reading():  # a nested reading is the same reading
            assert figures.shared("k", compute) == 3
    with figures.one_reading():  # a new reading counts again (a change in between is seen)
        assert figures.shared("k", compute) == 5
    assert figures.shared("k", compute) == 6


def test_unit_address_is_the_reversed_address_inside_a_reading_and_outside() -> None:
    names = ("dossiers:unit_figures", "feedback:unit_list", "operations:villages", "surveys:unit_figures")
    slugs = ("thanh-mien", "gia-loc", "xa_2")
    expected = {(n, s): reverse(n, kwargs={"slug": s}) for n in names for s in slugs}
    assert {(n, s): figures.unit_address(n, s) for n in names for s in slugs} == expected
    with figures.one_reading():
        assert {(n, s): figures.unit_address(n, s) for n in names for s in slugs} == expected
