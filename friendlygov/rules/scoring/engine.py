"""The scoring engine: totals, gates and the level reached, and the result as JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, TypeAlias

from .arithmetic import _fmt, _json_number, _percent, round2
from .model import (
    _CONTEXT,
    _ONE,
    _ZERO,
    Condition,
    CriteriaSet,
    Criterion,
    Level,
    Ratio,
    ScoresError,
    ScoreValue,
)

# --------------------------------------------------------------------------------------------------
# Scoring


@dataclass(frozen=True)
class Gate:
    """Something that failed or held a level back: a condition, criterion or level code and why."""

    code: str
    reason: str


@dataclass
class CriterionResult:
    code: str
    name: str
    max_points: Decimal
    points: Decimal  # reported figure: rounded half-up to 2 places
    points_exact: Decimal
    lost: Decimal  # max_points − points (the reported figures), "where points were lost"
    bonus: bool
    value: ScoreValue | None  # leaves: the value used (None when missing)
    missing: bool
    min_share: Decimal | None
    children: list[CriterionResult] = field(default_factory=list)

    def walk(self) -> Iterator[CriterionResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class AssessmentResult:
    criteria_set: str
    version: int
    scale: Decimal
    total: Decimal  # reported (rounded) total, bonus included
    total_exact: Decimal
    bonus: Decimal  # the bonus that counted (after the cap), rounded
    bonus_exact: Decimal
    bonus_uncapped: Decimal  # sum of bonus criteria points before the cap, rounded
    achieved: bool
    level: Level | None
    levels_reached: list[Level]  # by points and level gates alone (conditions aside)
    criteria: list[CriterionResult]
    failed_gates: list[Gate]
    level_limits: list[Gate]
    missing: list[str]

    def walk(self) -> Iterator[CriterionResult]:
        for item in self.criteria:
            yield from item.walk()

    def criterion(self, code: str) -> CriterionResult | None:
        return next((item for item in self.walk() if item.code == code), None)


def _check_values(cs: CriteriaSet, values: Mapping[str, ScoreValue | None]) -> list[str]:
    """Values handed in by code (the app, not the CSV): types and ranges must fit; never clamped."""
    problems: list[str] = []
    nodes = cs._criteria_by_code
    conditions = cs._conditions_by_code
    for code, value in values.items():
        if value is None:
            continue
        where = f'Mã "{code}"'
        if code in conditions:
            if not isinstance(value, bool):
                problems.append(f"{where}: điều kiện chỉ nhận đúng/sai.")
            continue
        node = nodes.get(code)
        if node is None:
            problems.append(f"{where}: không có tiêu chí hay điều kiện nào mang mã này trong bộ tiêu chí.")
            continue
        if node.children:
            problems.append(f"{where}: là tiêu chí cha; điểm được tính từ các tiêu chí con.")
            continue
        kind = node.kind
        if kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{where}: tiêu chí kiểu boolean chỉ nhận đúng/sai.")
        elif kind == "ratio":
            if not isinstance(value, Ratio):
                problems.append(f"{where}: tiêu chí kiểu ratio cần một tỷ lệ (tử/mẫu hoặc phần trăm).")
            elif value.numerator < 0 or value.denominator < 0 or value.numerator > value.denominator:
                problems.append(f"{where}: tỷ lệ phải từ 0 đến 100%.")
        elif kind == "checklist":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{where}: tiêu chí kiểu checklist cần số mục đã đạt (số nguyên).")
            elif value < 0 or value > len(node.items or []):
                problems.append(f"{where}: số mục đã đạt {value} phải từ 0 đến {len(node.items or [])}.")
        else:
            if isinstance(value, bool) or not isinstance(value, Decimal | int):
                problems.append(f"{where}: tiêu chí kiểu points cần một số điểm.")
            elif value < 0:
                problems.append(f"{where}: điểm {_fmt(value)} nhỏ hơn 0.")
            elif value > node.max_points:
                problems.append(f"{where}: điểm {_fmt(value)} vượt quá điểm tối đa {_fmt(node.max_points)}.")
    return problems


def _leaf_points(criterion: Criterion, value: ScoreValue | None) -> Decimal:
    if value is None:
        return _ZERO
    kind = criterion.kind
    maximum = criterion.max_points
    if kind == "boolean":
        return maximum if value is True else _ZERO
    if kind == "ratio":
        assert isinstance(value, Ratio)  # noqa: S101
        if value.denominator == 0:
            return _ZERO
        target = criterion.target if criterion.target is not None else _ONE
        # max × min(1, (n ÷ d) ÷ target), with a single division
        if value.numerator >= value.denominator * target:
            return maximum
        return maximum * value.numerator / (value.denominator * target)
    if kind == "checklist":
        assert isinstance(value, int)  # noqa: S101
        return maximum * Decimal(value) / Decimal(len(criterion.items or [1]))
    assert isinstance(value, Decimal | int) and not isinstance(value, bool)  # noqa: S101
    return Decimal(value)


def _score_tree(criterion: Criterion, values: Mapping[str, ScoreValue | None]) -> tuple[Decimal, list[Any]]:
    """Exact points of a criterion, plus nested [criterion, exact points, children] records."""
    if criterion.is_leaf:
        points = _leaf_points(criterion, values.get(criterion.code))
        return points, [criterion, points, []]
    child_records: list[Any] = []
    total = _ZERO
    for child in criterion.children:
        child_points, record = _score_tree(child, values)
        total += child_points
        child_records.append(record)
    points = min(total, criterion.max_points)
    return points, [criterion, points, child_records]


def _build_result(record: list[Any], values: Mapping[str, ScoreValue | None]) -> CriterionResult:
    criterion, exact, children = record
    assert isinstance(criterion, Criterion)  # noqa: S101
    rounded = round2(exact)
    value = values.get(criterion.code) if criterion.is_leaf else None
    return CriterionResult(
        code=criterion.code,
        name=criterion.name,
        max_points=criterion.max_points,
        points=rounded,
        points_exact=exact,
        lost=criterion.max_points - rounded,
        bonus=criterion.bonus,
        value=value,
        missing=criterion.is_leaf and value is None,
        min_share=criterion.min_share,
        children=[_build_result(child, values) for child in children],
    )


def _totals(
    cs: CriteriaSet, values: Mapping[str, ScoreValue | None]
) -> tuple[Decimal, Decimal, Decimal, list[Any]]:
    """(total, counted bonus, uncapped bonus, records) — all exact."""
    base = _ZERO
    bonus_sum = _ZERO
    records: list[Any] = []
    for criterion in cs.criteria:
        points, record = _score_tree(criterion, values)
        records.append(record)
        if criterion.bonus:
            bonus_sum += points
        else:
            base += points
    counted = min(bonus_sum, cs.bonus_cap if cs.bonus_cap is not None else _ZERO)
    return base + counted, counted, bonus_sum, records


def _share_threshold(share: Decimal, maximum: Decimal) -> Decimal:
    return share * maximum


_ShareFailure: TypeAlias = tuple[Criterion, Decimal, Decimal]  # criterion, its rounded points, the threshold


def _walk_records(record: list[Any]) -> Iterator[tuple[Criterion, Decimal]]:
    criterion, exact, children = record
    yield criterion, exact
    for child in children:
        yield from _walk_records(child)


def _decide(
    cs: CriteriaSet, values: Mapping[str, ScoreValue | None], records: list[Any], total: Decimal
) -> tuple[
    list[tuple[Condition, ScoreValue | None]],
    list[_ShareFailure],
    Callable[[Level], list[_ShareFailure]],
    list[Level],
]:
    """What decides the level (rules 3–5), from the exact records of :func:`_totals` and the rounded total:
    the required conditions not true (with their value), the criteria under their own minimum share, the
    top criteria under a level's minimum share (a function of the level), and the levels reached — levels
    are cumulative: one counts only when every level below it is reached too. Shared by :func:`assess`
    and :func:`assess_total`, so both decide alike."""
    failed_conditions = [
        (condition, values.get(condition.code))
        for condition in cs.conditions
        if condition.required and values.get(condition.code) is not True
    ]
    under_minimum: list[_ShareFailure] = []
    for record in records:
        for criterion, exact in _walk_records(record):
            if criterion.min_share is None:
                continue
            points = round2(exact)
            threshold = _share_threshold(criterion.min_share, criterion.max_points)
            if points < threshold:
                under_minimum.append((criterion, points, threshold))
    top = [(record[0], round2(record[1])) for record in records if not record[0].bonus]

    def share_failures(level: Level) -> list[_ShareFailure]:
        if level.min_share is None:
            return []
        out = []
        for criterion, points in top:
            threshold = _share_threshold(level.min_share, criterion.max_points)
            if points < threshold:
                out.append((criterion, points, threshold))
        return out

    reached: list[Level] = []
    for level in cs.levels:
        if total < level.min_total or share_failures(level):
            break
        reached.append(level)
    return failed_conditions, under_minimum, share_failures, reached


def assess_total(cs: CriteriaSet, values: Mapping[str, ScoreValue | None]) -> tuple[Decimal, Level | None]:
    """The reported total and the level achieved (None when not achieved) — what :func:`assess` gives as
    ``total`` and ``level``, without building the per-criterion results and messages (a city's table
    scores every unit)."""
    problems = _check_values(cs, values)
    if problems:
        raise ScoresError(problems)
    with localcontext(_CONTEXT):
        total_exact, _bonus, _uncapped, records = _totals(cs, values)
        total = round2(total_exact)
        failed_conditions, under_minimum, _share_failures, reached = _decide(cs, values, records, total)
        achieved = not failed_conditions and not under_minimum and bool(reached)
        return total, reached[-1] if achieved else None


def assess(cs: CriteriaSet, values: Mapping[str, ScoreValue | None]) -> AssessmentResult:
    """Score a unit (rules 1–5). ``values`` maps leaf and condition codes to values as returned by
    :func:`parse_score_value`; a leaf without a value scores 0 and is listed under ``missing``; a
    condition without a value is not true. Raises :class:`ScoresError` when a value does not fit."""
    problems = _check_values(cs, values)
    if problems:
        raise ScoresError(problems)
    with localcontext(_CONTEXT):
        total_exact, bonus_exact, bonus_uncapped, records = _totals(cs, values)
        criteria = [_build_result(record, values) for record in records]
        total = round2(total_exact)
        bonus = round2(bonus_exact)
        failed_conditions, under_minimum, share_failures, reached = _decide(cs, values, records, total)

        failed: list[Gate] = []
        for condition, value in failed_conditions:
            if value is None:
                failed.append(
                    Gate(
                        condition.code,
                        f'Điều kiện bắt buộc "{condition.code}" ({condition.name}) chưa có kết quả nên được coi là không đạt.',
                    )
                )
            else:
                failed.append(
                    Gate(
                        condition.code, f'Điều kiện bắt buộc "{condition.code}" không đạt: {condition.name}.'
                    )
                )
        for criterion, points, threshold in under_minimum:
            assert criterion.min_share is not None  # noqa: S101
            failed.append(
                Gate(
                    criterion.code,
                    f'Tiêu chí "{criterion.code}" đạt {_fmt(points)}/{_fmt(criterion.max_points)} điểm, dưới mức tối '
                    f"thiểu {_percent(criterion.min_share)} điểm tối đa ({_fmt(threshold)} điểm).",
                )
            )

        limits: list[Gate] = []
        if len(reached) < len(cs.levels):
            following = cs.levels[len(reached)]
            if total < following.min_total:
                limits.append(
                    Gate(
                        following.code,
                        f"{following.name}: cần tổng điểm từ {_fmt(following.min_total)} trở lên, hiện đạt "
                        f"{_fmt(total)} (còn thiếu {_fmt(following.min_total - total)} điểm).",
                    )
                )
            for criterion, points, threshold in share_failures(following):
                assert following.min_share is not None  # noqa: S101
                limits.append(
                    Gate(
                        criterion.code,
                        f"{following.name} yêu cầu mỗi tiêu chí đạt từ {_percent(following.min_share)} điểm tối đa: "
                        f'tiêu chí "{criterion.code}" đạt {_fmt(points)}/{_fmt(criterion.max_points)} điểm, '
                        f"cần {_fmt(threshold)}.",
                    )
                )

        achieved = not failed and bool(reached)
        missing = [leaf.code for leaf in cs.leaves() if values.get(leaf.code) is None]
        return AssessmentResult(
            criteria_set=cs.code,
            version=cs.version,
            scale=cs.scale,
            total=total,
            total_exact=total_exact,
            bonus=bonus,
            bonus_exact=bonus_exact,
            bonus_uncapped=round2(bonus_uncapped),
            achieved=achieved,
            level=reached[-1] if achieved else None,
            levels_reached=reached,
            criteria=criteria,
            failed_gates=failed,
            level_limits=limits,
            missing=missing,
        )


def points_lost(result: AssessmentResult, *, leaves_only: bool = True) -> list[CriterionResult]:
    """Where points were lost: criteria with ``lost > 0`` (leaves by default), most points first,
    tree order among equals. Bonus criteria are left out (their points are extra)."""
    items = [
        item
        for top in result.criteria
        if not top.bonus
        for item in top.walk()
        if item.lost > 0 and (not leaves_only or not item.children)
    ]
    return sorted(items, key=lambda item: -item.lost)  # stable: tree order among equals


def result_to_json(result: AssessmentResult) -> dict[str, Any]:
    """The ``--format json`` object of the spec, numbers as JSON numbers."""

    def node(item: CriterionResult) -> dict[str, Any]:
        return {
            "code": item.code,
            "points": float(item.points),
            "max_points": _json_number(item.max_points),
            "children": [node(child) for child in item.children],
        }

    return {
        "criteria_set": result.criteria_set,
        "version": result.version,
        "total": float(result.total),
        "bonus": float(result.bonus),
        "achieved": result.achieved,
        "level": {"code": result.level.code, "name": result.level.name} if result.level is not None else None,
        "criteria": [node(item) for item in result.criteria],
        "failed_gates": [{"code": gate.code, "reason": gate.reason} for gate in result.failed_gates],
        "level_limits": [{"code": gate.code, "reason": gate.reason} for gate in result.level_limits],
        "missing": list(result.missing),
    }
