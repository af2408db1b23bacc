"""The criteria-set model (format ``friendlygov.criteria/1``) and its errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal, localcontext
from functools import cached_property
from typing import Any, TypeAlias

FORMAT = "friendlygov.criteria/1"

# Wide enough that a division such as max × n ÷ (d × target) never loses anything that matters
# before the final two-place rounding.
_CONTEXT = Context(prec=60)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


class ScoresError(ValueError):
    """The scores are invalid; ``problems`` lists every problem (Vietnamese, with row and code)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------------------------------
# The model


@dataclass
class Criterion:
    """One node of the criteria tree. ``input`` is ``None`` when the file does not set it (a leaf
    then scores as ``points``); ``extra`` keeps every key the format does not define."""

    code: str
    name: str
    max_points: Decimal
    input: str | None = None
    target: Decimal | None = None
    items: list[str] | None = None
    source: str | None = None
    evidence: str | None = None
    bonus: bool = False
    min_share: Decimal | None = None
    children: list[Criterion] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def kind(self) -> str:
        """The input kind of a leaf (``points`` when not set)."""
        return self.input or "points"

    def walk(self) -> Iterator[Criterion]:
        """This criterion and all its descendants, in tree (pre-)order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Criterion]:
        return (node for node in self.walk() if node.is_leaf)


@dataclass
class Condition:
    """A yes/no fact; when ``required`` and not true, the set is not achieved whatever the points."""

    code: str
    name: str
    required: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass
class Level:
    code: str
    name: str
    min_total: Decimal
    min_share: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass
class CriteriaSet:
    code: str
    version: int
    name: str
    scale: Decimal
    criteria: list[Criterion]
    levels: list[Level]
    issued_by: str | None = None
    decision: str | None = None
    effective_from: date | None = None
    bonus_cap: Decimal | None = None
    conditions: list[Condition] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def format(self) -> str:
        return FORMAT

    def walk(self) -> Iterator[Criterion]:
        """Every criterion in tree order."""
        for criterion in self.criteria:
            yield from criterion.walk()

    def leaves(self) -> Iterator[Criterion]:
        return (node for node in self.walk() if node.is_leaf)

    # A set is built whole by the parser and never changed afterwards, so its lookups are indexed once:
    # scoring a city asks for every code of every unit's set (walking the tree each time was most of it).
    @cached_property
    def _criteria_by_code(self) -> dict[str, Criterion]:
        out: dict[str, Criterion] = {}
        for node in self.walk():
            out.setdefault(node.code, node)  # the first in tree order, as a walk would find it
        return out

    @cached_property
    def _conditions_by_code(self) -> dict[str, Condition]:
        out: dict[str, Condition] = {}
        for cond in self.conditions:
            out.setdefault(cond.code, cond)
        return out

    @cached_property
    def leaf_list(self) -> tuple[Criterion, ...]:
        """The leaves in tree order (indexed once, like the lookups)."""
        return tuple(self.leaves())

    def criterion(self, code: str) -> Criterion | None:
        return self._criteria_by_code.get(code)

    def condition(self, code: str) -> Condition | None:
        return self._conditions_by_code.get(code)

    @property
    def max_total(self) -> Decimal:
        """The highest total a unit can reach: the scale plus the bonus cap when there are bonus points."""
        if any(c.bonus for c in self.criteria):
            return self.scale + (self.bonus_cap or _ZERO)
        return self.scale


@dataclass(frozen=True)
class Ratio:
    """A ratio value ``numerator/denominator``; ``P%`` is kept as ``P/100``."""

    numerator: Decimal
    denominator: Decimal

    @property
    def rate(self) -> Decimal:
        if self.denominator == 0:
            return _ZERO
        with localcontext(_CONTEXT):
            return self.numerator / self.denominator


# points → Decimal; boolean and conditions → bool; ratio → Ratio; checklist → int (ticked items).
ScoreValue: TypeAlias = Decimal | bool | Ratio | int
