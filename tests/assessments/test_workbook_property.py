"""Property: any valid criteria set survives the Excel workbook round trip unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from friendlygov.assessments.workbook import criteria_workbook, read_criteria_workbook
from friendlygov.rules.scoring import CriteriaSetError, parse_criteria_set

WORDS = st.sampled_from(
    [
        "Tiêu",
        "chí",
        "công",
        "khai",
        "đối thoại",
        "Nhân dân",
        "xanh",
        "sạch",
        "đẹp",
        "4 xin",
        "hài lòng",
        "thôn",
    ]
)
NAME = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
POINTS = st.integers(min_value=1, max_value=2000).map(lambda n: Decimal(n) / 100)


@st.composite
def leaf(draw: Any, code: str) -> dict[str, Any]:
    node: dict[str, Any] = {"code": code, "name": draw(NAME), "max_points": draw(POINTS)}
    kind = draw(st.sampled_from([None, "points", "boolean", "ratio", "checklist"]))
    if kind is not None:
        node["input"] = kind
    if kind == "ratio" and draw(st.booleans()):
        node["target"] = draw(st.integers(min_value=10, max_value=100).map(lambda n: Decimal(n) / 100))
    if kind == "ratio" and draw(st.booleans()):
        node["source"] = draw(st.sampled_from(["survey.sipas", "city.par_index", "service.on_time"]))
    if kind == "checklist":
        node["items"] = draw(st.lists(NAME, min_size=1, max_size=4))
    if draw(st.booleans()):
        node["evidence"] = draw(NAME)
    if draw(st.booleans()):
        node["basis"] = draw(NAME)
    return node


@st.composite
def subtree(draw: Any, code: str, depth: int) -> dict[str, Any]:
    if depth == 0 or draw(st.booleans()):
        return draw(leaf(code))
    children = [draw(subtree(f"{code}.{i}", depth - 1)) for i in range(1, draw(st.integers(1, 3)) + 1)]
    total = sum((c["max_points"] for c in children), Decimal(0))
    node: dict[str, Any] = {"code": code, "name": draw(NAME), "max_points": total, "children": children}
    if draw(st.booleans()):
        node["min_share"] = draw(st.sampled_from([Decimal("0.5"), Decimal("0.6"), Decimal("0.25")]))
    return node


@st.composite
def criteria_sets(draw: Any) -> dict[str, Any]:
    tops = [draw(subtree(str(i), 2)) for i in range(1, draw(st.integers(1, 4)) + 1)]
    scale = sum((t["max_points"] for t in tops), Decimal(0))
    data: dict[str, Any] = {
        "format": "friendlygov.criteria/1",
        "code": "P-1",
        "version": draw(st.integers(1, 9)),
        "name": draw(NAME),
        "scale": scale,
        "criteria": tops,
    }
    if draw(st.booleans()):
        data["criteria"].append({"code": "B", "name": "Thưởng", "max_points": Decimal(5), "bonus": True})
        data["bonus_cap"] = draw(st.sampled_from([Decimal(2), Decimal("2.5"), Decimal(5)]))
    if draw(st.booleans()):
        data["conditions"] = [{"code": "K1", "name": draw(NAME), "required": draw(st.booleans())}]
    steps = sorted(set(draw(st.lists(st.integers(1, 99), min_size=1, max_size=4))))
    data["levels"] = [
        {"code": str(i), "name": f"Mức {i}", "min_total": scale * n / 100}
        for i, n in enumerate(steps, start=1)
    ]
    if draw(st.booleans()):
        data["levels"][-1]["min_share"] = Decimal("0.5")
    if draw(st.booleans()):
        data["status"] = "thử nghiệm"
        data["assumptions"] = [draw(NAME)]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(criteria_sets())
def test_workbook_round_trip(data: dict[str, Any]) -> None:
    try:
        original = parse_criteria_set(data)
    except CriteriaSetError:
        assume(False)
        raise
    assert parse_criteria_set(read_criteria_workbook(criteria_workbook(original))) == original
