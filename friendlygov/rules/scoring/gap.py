"""Gap analysis: what a commune lacks for each level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .arithmetic import round2
from .engine import Gate, _totals, assess
from .model import _CONTEXT, _ZERO, CriteriaSet, Level, ScoreValue
from .values import max_value

# --------------------------------------------------------------------------------------------------
# Gap analysis


@dataclass(frozen=True)
class CriterionGap:
    """A leaf that can still earn points: ``at_stake`` = max − points; ``gain`` = how much the total
    would rise (rounded) if this leaf alone reached its maximum (parent caps and the bonus cap applied)."""

    code: str
    name: str
    points: Decimal
    max_points: Decimal
    at_stake: Decimal
    gain: Decimal
    bonus: bool


@dataclass(frozen=True)
class ShareShortfall:
    """A criterion below a minimum share (its own or the level's): ``needed`` more points."""

    code: str
    name: str
    points: Decimal
    required: Decimal
    needed: Decimal


@dataclass
class LevelGap:
    level: Level
    reached: bool  # by points and level gates
    achieved: bool  # the unit is recognised at this level or higher
    points_needed: Decimal  # max(0, min_total − total), reported figures
    share_shortfalls: list[ShareShortfall]
    gates: list[Gate]  # conditions and own min_share gates that fail (they block every level)
    criteria: list[CriterionGap]  # leaves with points at stake, most at stake first


def gap_to_levels(cs: CriteriaSet, values: Mapping[str, ScoreValue | None]) -> list[LevelGap]:
    """For each level (lowest first): the points missing in total, the criteria below a minimum share
    the level needs, and the leaves sorted by points at stake (max − points)."""
    result = assess(cs, values)
    by_code = {item.code: item for item in result.walk()}
    with localcontext(_CONTEXT):
        base_total = result.total_exact
        candidates: list[tuple[int, CriterionGap]] = []
        for index, leaf in enumerate(cs.leaves()):
            item = by_code[leaf.code]
            at_stake = item.max_points - item.points
            if at_stake <= 0:
                continue
            raised = dict(values)
            raised[leaf.code] = max_value(leaf)
            new_total, _, _, _ = _totals(cs, raised)
            candidates.append(
                (
                    index,
                    CriterionGap(
                        code=item.code,
                        name=item.name,
                        points=item.points,
                        max_points=item.max_points,
                        at_stake=at_stake,
                        gain=round2(new_total - base_total),
                        bonus=item.bonus,
                    ),
                )
            )
        candidates.sort(key=lambda pair: (-pair[1].at_stake, -pair[1].gain, pair[0]))
        ordered = [gap for _, gap in candidates]

        own: dict[str, ShareShortfall] = {}
        for item in result.walk():
            if item.min_share is not None:
                required = item.min_share * item.max_points
                if item.points < required:
                    own[item.code] = ShareShortfall(
                        item.code, item.name, item.points, required, required - item.points
                    )

        gaps: list[LevelGap] = []
        achieved_count = cs.levels.index(result.level) + 1 if result.level is not None else 0
        reached_count = len(result.levels_reached)
        shares: list[Decimal] = []
        for index, level in enumerate(cs.levels):
            if level.min_share is not None:
                shares.append(level.min_share)
            shortfalls = dict(own)
            if shares:
                strictest = max(shares)
                for item in result.criteria:
                    if item.bonus:
                        continue
                    required = strictest * item.max_points
                    known = shortfalls.get(item.code)
                    if item.points < required and (known is None or known.required < required):
                        shortfalls[item.code] = ShareShortfall(
                            item.code, item.name, item.points, required, required - item.points
                        )
            order = {item.code: position for position, item in enumerate(result.walk())}
            gaps.append(
                LevelGap(
                    level=level,
                    reached=index < reached_count,
                    achieved=index < achieved_count,
                    points_needed=max(_ZERO, level.min_total - result.total),
                    share_shortfalls=sorted(shortfalls.values(), key=lambda s: order[s.code]),
                    gates=list(result.failed_gates),
                    criteria=list(ordered),
                )
            )
        return gaps
