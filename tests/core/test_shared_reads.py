"""One reading of many measured-figure sources computes what they share once, and keeps nothing after."""

from __future__ import annotations

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
