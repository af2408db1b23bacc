"""Helpers on top of the pure engine (``friendlygov.rules.scoring``): the parsed set of a library row
(cached: a row's data never changes under the same hash), the tree as rows for pages, and value texts."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from django.utils.translation import gettext_lazy

from friendlygov.rules.scoring import (
    Condition,
    CriteriaSet,
    Criterion,
    Ratio,
    ScoreValue,
    ScoreValueError,
    format_vi_number,
    parse_criteria_set,
    parse_score_value,
)

Node = Criterion | Condition


def data_sha256(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=64)
def _parse_cached(sha: str, text: str) -> CriteriaSet:
    return parse_criteria_set(json.loads(text))


def parse_data(data: dict[str, Any]) -> CriteriaSet:
    """The validated set of stored contract data (cached by content)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _parse_cached(hashlib.sha256(text.encode()).hexdigest(), text)


def parsed(version: Any) -> CriteriaSet:
    """The CriteriaSet of a CriteriaSetVersion row, kept on the row object while its data is the same
    object (encoding the data to find it in the content cache costs more than scoring, and a city's
    table asks once per unit of a shared row)."""
    kept = version.__dict__.get("_parsed_criteria_set")
    if kept is not None and kept[0] is version.data:
        return cast(CriteriaSet, kept[1])
    cs = parse_data(version.data)
    version.__dict__["_parsed_criteria_set"] = (version.data, cs)
    return cs


@dataclass(frozen=True)
class TreeRow:
    code: str
    name: str
    depth: int
    parent_code: str | None
    node: Node
    is_condition: bool = False

    @property
    def is_leaf(self) -> bool:
        return self.is_condition or not self.node.children  # type: ignore[union-attr]

    @property
    def criterion(self) -> Criterion | None:
        return None if self.is_condition else self.node  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        return "condition" if self.is_condition else self.node.kind  # type: ignore[union-attr]

    @property
    def max_points(self) -> Decimal | None:
        return None if self.is_condition else self.node.max_points  # type: ignore[union-attr]

    @property
    def source(self) -> str | None:
        return None if self.is_condition else self.node.source  # type: ignore[union-attr]

    @property
    def bonus(self) -> bool:
        return False if self.is_condition else bool(self.node.bonus)  # type: ignore[union-attr]


def tree_rows(cs: CriteriaSet, *, with_conditions: bool = True) -> list[TreeRow]:
    rows: list[TreeRow] = []

    def visit(node: Criterion, depth: int, parent: str | None) -> None:
        rows.append(TreeRow(node.code, node.name, depth, parent, node))
        for child in node.children:
            visit(child, depth + 1, node.code)

    for top in cs.criteria:
        visit(top, 0, None)
    if with_conditions:
        rows.extend(TreeRow(c.code, c.name, 0, None, c, is_condition=True) for c in cs.conditions)
    return rows


def parent_map(cs: CriteriaSet) -> dict[str, str | None]:
    return {row.code: row.parent_code for row in tree_rows(cs)}


def ancestors(cs: CriteriaSet, code: str) -> list[str]:
    """The code itself, then its parent, grand-parent… up to the top."""
    parents = parent_map(cs)
    chain: list[str] = []
    current: str | None = code
    while current is not None and current in parents and len(chain) < 50:
        chain.append(current)
        current = parents[current]
    return chain


def node_for(cs: CriteriaSet, code: str) -> Node | None:
    return cs.criterion(code) or cs.condition(code)


def scorable_codes(cs: CriteriaSet) -> list[str]:
    """Leaves and conditions: the codes that take a value."""
    return [leaf.code for leaf in cs.leaf_list] + [c.code for c in cs.conditions]


def read_value(node: Node, raw: str) -> ScoreValue | None:
    """A stored value text → engine value; an empty text is "no value" (also for yes/no)."""
    if not raw.strip():
        return None
    return parse_score_value(node, raw)


def safe_value(node: Node, raw: str) -> ScoreValue | None:
    try:
        return read_value(node, raw)
    except ScoreValueError:
        return None


def describe_value(node: Node | None, raw: str) -> str:
    """A stored value for people: "4,5", "Đạt", "45/50 (90%)", "3/4 mục"."""
    if node is None or not raw.strip():
        return ""
    try:
        value = read_value(node, raw)
    except ScoreValueError:
        return raw
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Đạt" if value else "Không đạt"
    if isinstance(value, Ratio):
        percent = format_vi_number(value.rate * 100) + "%"
        if value.denominator == 100 and raw.strip().endswith("%"):
            return percent
        return f"{format_vi_number(value.numerator)}/{format_vi_number(value.denominator)} ({percent})"
    if isinstance(value, int) and isinstance(node, Criterion) and node.kind == "checklist":
        return f"{value}/{len(node.items or [])} mục"
    return format_vi_number(Decimal(value))


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def input_label(kind: str) -> str:
    labels = {
        "points": gettext_lazy("Điểm"),
        "boolean": gettext_lazy("Đạt / không đạt"),
        "ratio": gettext_lazy("Tỷ lệ"),
        "checklist": gettext_lazy("Danh mục"),
        "condition": gettext_lazy("Điều kiện"),
    }
    return str(labels.get(kind, kind))
