"""Criteria sets (format ``friendlygov.criteria/1``): reading, validating, scoring.

Pure Python: no Django, nothing else of ours. The contract is
``docs/spec/criteria-set-format.md``; every message a user sees is in Vietnamese and names the
criterion, condition or level at fault (and the YAML line or CSV row where known).

Arithmetic is exact decimal: inputs are read into :class:`~decimal.Decimal`, computed with a wide
context, and rounded half-up to two places only for the reported figures, which are also the figures
that thresholds compare (rule 4).
"""

from __future__ import annotations

import copy
import csv
import io
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cached_property
from importlib import resources
from typing import Any, TypeAlias

import yaml

from friendlygov.rules.numbers import read_plain_number
from friendlygov.rules.text import format_vn_number

__all__ = [
    "FORMAT",
    "INPUT_KINDS",
    "AssessmentResult",
    "Condition",
    "CriteriaSet",
    "CriteriaSetError",
    "Criterion",
    "CriterionGap",
    "CriterionResult",
    "Gate",
    "Level",
    "LevelGap",
    "Ratio",
    "ScoreValue",
    "ScoreValueError",
    "ScoresError",
    "ShareShortfall",
    "assess",
    "assess_total",
    "criteria_set_to_dict",
    "dump_criteria_set_yaml",
    "format_vi_number",
    "gap_to_levels",
    "list_bundled_criteria_sets",
    "load_bundled_criteria_set",
    "load_criteria_set_yaml",
    "max_value",
    "parse_criteria_set",
    "parse_score_value",
    "parse_scores_csv",
    "points_lost",
    "result_to_json",
    "round2",
]

FORMAT = "friendlygov.criteria/1"
INPUT_KINDS: tuple[str, ...] = ("points", "boolean", "ratio", "checklist")

# Wide enough that a division such as max × n ÷ (d × target) never loses anything that matters
# before the final two-place rounding.
_CONTEXT = Context(prec=60)
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


# --------------------------------------------------------------------------------------------------
# Errors


class CriteriaSetError(ValueError):
    """The criteria-set file is invalid; ``problems`` lists every problem (Vietnamese)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class ScoresError(ValueError):
    """The scores are invalid; ``problems`` lists every problem (Vietnamese, with row and code)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class ScoreValueError(ValueError):
    """One value could not be accepted; the message (Vietnamese) says why, without the row."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


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


# --------------------------------------------------------------------------------------------------
# Numbers


def round2(value: Decimal) -> Decimal:
    """Round half-up to two places (the reported figure)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def format_vi_number(value: Decimal | int, places: int = 2) -> str:
    """Vietnamese style: ``91,5``, ``18``, ``1.234,56`` (rounded half-up to ``places``)."""
    return format_vn_number(value, places, trim_zeros=True)


def _fmt(value: Decimal | int) -> str:
    return format_vi_number(value, places=4)


def _percent(share: Decimal) -> str:
    return format_vi_number(share * _HUNDRED, places=2) + "%"


def _json_number(value: Decimal) -> int | float | str:
    """An int when integral, else a float when the float reads back as the same decimal, else text."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return f"{value:f}"


# Values in files, on the command line and through the API: plain dots (a lone decimal comma tolerated),
# never the grouping people type into forms (friendlygov.rules.numbers.read_vn_number reads those).
_decimal_from_text = read_plain_number


def _to_decimal(value: object) -> Decimal | None:
    """A YAML number (or numeric text, decimal comma accepted) → Decimal; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        return _decimal_from_text(value)
    return None


def _plain(value: Any) -> Any:
    """Extra data made JSON-friendly (dates as ISO text, keys as text), so it round-trips."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _json_number(value)
    return value


# --------------------------------------------------------------------------------------------------
# YAML with line numbers


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping and of each of its keys, and notes
    duplicate keys (PyYAML would silently keep the last one)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.mapping_lines: dict[int, int] = {}
        self.key_lines: dict[int, dict[str, int]] = {}
        # mapping id → [(key, line, line of the first occurrence)]
        self.duplicates: dict[int, list[tuple[str, int, int]]] = {}


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    loader.mapping_lines[id(data)] = node.start_mark.line + 1
    keys: dict[str, int] = {}
    for key_node, _value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key_text = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key_text in keys and key_text != "<<":
                loader.duplicates.setdefault(id(data), []).append((key_text, line, keys[key_text]))
            keys.setdefault(key_text, line)
    loader.key_lines[id(data)] = keys
    yield data
    data.update(loader.construct_mapping(node))


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    """A date-looking scalar that is not a real date (2026-13-01) stays text, to be reported later."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class _Lines:
    mapping_lines: Mapping[int, int] = field(default_factory=dict)
    key_lines: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    duplicates: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)

    def of(self, obj: object, key: str | None = None) -> int | None:
        if key is not None:
            line = self.key_lines.get(id(obj), {}).get(key)
            if line is not None:
                return line
        return self.mapping_lines.get(id(obj))


_YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        "dấu hai chấm không hợp lệ ở đây (thường do thụt lề sai hoặc giá trị cần đặt trong dấu nháy)",
    ),
    ("found character '\\t'", "không được dùng ký tự tab để thụt lề, hãy dùng dấu cách"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên khóa"),
    (
        "expected <block end>",
        "cấu trúc không hợp lệ: thụt lề không khớp với các dòng trên, hoặc có chữ đứng sau dấu nháy đóng của một chuỗi",
    ),
    ("found undefined alias", "tham chiếu (*) tới một neo (&) chưa khai báo"),
    ("found unexpected end of stream", "tệp kết thúc giữa chừng (thiếu dấu nháy hoặc ngoặc đóng)"),
    ("found unknown escape character", "ký tự thoát (\\) không hợp lệ trong chuỗi có dấu nháy kép"),
    ("expected ',' or ']'", "danh sách trong ngoặc vuông thiếu dấu phẩy hoặc ngoặc đóng"),
    ("expected ',' or '}'", "bảng trong ngoặc nhọn thiếu dấu phẩy hoặc ngoặc đóng"),
)


def _yaml_problem(problem: str | None) -> str:
    text = problem or ""
    for english, vietnamese in _YAML_PROBLEMS:
        if english in text:
            return vietnamese
    return f"lỗi cú pháp YAML ({text})" if text else "lỗi cú pháp YAML"


def load_criteria_set_yaml(text: str) -> CriteriaSet:
    """Read and validate a criteria-set YAML text. Raises :class:`CriteriaSetError` with every problem,
    each naming the code and line where known."""
    loader = _LineLoader(text.lstrip("\ufeff"))
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark is not None else ""
        raise CriteriaSetError([f"Tệp YAML không đọc được{where}: {_yaml_problem(error.problem)}."]) from None
    except yaml.YAMLError as error:
        raise CriteriaSetError([f"Tệp YAML không đọc được: {_yaml_problem(str(error))}."]) from None
    finally:
        loader.dispose()
    lines = _Lines(loader.mapping_lines, loader.key_lines, loader.duplicates)
    return _SetParser(lines).parse(data)


def parse_criteria_set(data: Mapping[str, Any]) -> CriteriaSet:
    """Validate a criteria set given as plain data (e.g. ``yaml.safe_load`` output or
    :func:`criteria_set_to_dict` output). Raises :class:`CriteriaSetError` with every problem."""
    return _SetParser(_Lines()).parse(data)


# --------------------------------------------------------------------------------------------------
# Validation

_SET_KEYS = frozenset(
    {
        "format",
        "code",
        "version",
        "name",
        "issued_by",
        "decision",
        "effective_from",
        "scale",
        "bonus_cap",
        "criteria",
        "conditions",
        "levels",
    }
)
_CRITERION_KEYS = frozenset(
    {
        "code",
        "name",
        "max_points",
        "input",
        "target",
        "items",
        "source",
        "evidence",
        "bonus",
        "min_share",
        "children",
    }
)
_CONDITION_KEYS = frozenset({"code", "name", "required"})
_LEVEL_KEYS = frozenset({"code", "name", "min_total", "min_share"})


_KEY_NAMES = {
    "code": "mã",
    "name": "tên",
    "version": "phiên bản",
    "scale": "thang điểm",
    "max_points": "điểm tối đa",
    "min_total": "tổng điểm tối thiểu",
    "min_share": "tỷ lệ tối thiểu",
    "target": "ngưỡng đạt điểm tối đa",
    "bonus_cap": "mức trần điểm thưởng",
    "issued_by": "cơ quan ban hành",
    "decision": "văn bản ban hành",
    "effective_from": "ngày hiệu lực",
    "evidence": "minh chứng",
    "source": "nguồn số liệu",
}


def _describe(key: str) -> str:
    name = _KEY_NAMES.get(key)
    return f'{name} ("{key}")' if name else f'"{key}"'


class _SetParser:
    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.problems: list[str] = []
        self.root_id = 0
        # code → (kind, label) of the first criterion or condition carrying it
        self.codes: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------------------------

    def _where(self, label: str, obj: object, key: str | None = None) -> str:
        line = self.lines.of(obj, key)
        if id(obj) == self.root_id and (key is None or line == self.lines.of(obj)):
            line = None  # "line 1" of the whole file says nothing
        return f"{label} (dòng {line})" if line is not None else label

    def duplicate_keys(self, label: str, obj: object) -> None:
        for key, line, first in self.lines.duplicates.pop(id(obj), []):
            self.problems.append(f'{label} (dòng {line}): khóa "{key}" lặp lại (đã có ở dòng {first}).')

    def problem(self, label: str, obj: object, message: str, key: str | None = None) -> None:
        self.problems.append(f"{self._where(label, obj, key)}: {message}.")

    def text(self, data: Mapping[str, Any], key: str, label: str, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(label, data, f"thiếu {_describe(key)}")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(label, data, f"{_describe(key)} phải là một chuỗi ký tự không rỗng", key)
            return None
        return value.strip()

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        label: str,
        *,
        required: bool,
        low: Decimal | None = None,
        low_inclusive: bool = True,
        high: Decimal | None = None,
        range_text: str = "",
    ) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(label, data, f"thiếu {_describe(key)}")
            return None
        number = _to_decimal(value)
        if number is None:
            self.problem(label, data, f"{_describe(key)} phải là một số (đang là {value!r})", key)
            return None
        too_low = low is not None and (number < low if low_inclusive else number <= low)
        too_high = high is not None and number > high
        if too_low or too_high:
            self.problem(label, data, f"{_describe(key)} phải {range_text} (đang là {_fmt(number)})", key)
            return None
        return number

    def flag(self, data: Mapping[str, Any], key: str, label: str) -> bool | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(label, data, f'"{key}" phải là true hoặc false (đang là {value!r})', key)
            return None
        return value

    def code_of(self, data: Mapping[str, Any], label: str) -> str | None:
        value = data.get("code")
        if value is None:
            self.problem(label, data, 'thiếu mã "code"')
            return None
        if not isinstance(value, str):
            self.problem(
                label,
                data,
                f'mã phải là chuỗi ký tự (đang là {value!r}); hãy đặt mã trong dấu nháy, ví dụ code: "1.10"',
                "code",
            )
            return None
        if not value.strip():
            self.problem(label, data, "mã không được để trống", "code")
            return None
        return value.strip()

    def register_code(self, code: str, label: str, data: Mapping[str, Any]) -> None:
        first = self.codes.get(code)
        if first is not None:
            self.problem(
                label, data, f"mã trùng với {first}; mã phải khác nhau giữa mọi tiêu chí và điều kiện", "code"
            )
            return
        line = self.lines.of(data)
        self.codes[code] = label[0].lower() + label[1:] + (f" ở dòng {line}" if line is not None else "")

    def extras(self, data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
        return {str(key): _plain(value) for key, value in data.items() if key not in known}

    # -- the set ---------------------------------------------------------------------------------

    def parse(self, data: object) -> CriteriaSet:
        label = "Bộ tiêu chí"
        if not isinstance(data, Mapping):
            self.problems.append(
                "Bộ tiêu chí: tệp phải là một bảng khóa – giá trị (format, code, version, name, scale, criteria, levels…)."
            )
            raise CriteriaSetError(self.problems)

        self.root_id = id(data)
        self.duplicate_keys(label, data)
        fmt = data.get("format")
        if fmt != FORMAT:
            if fmt is None:
                self.problem(label, data, f'thiếu khóa "format: {FORMAT}"')
            else:
                self.problem(label, data, f'"format" phải là "{FORMAT}" (đang là {fmt!r})', "format")
        code = self.text(data, "code", label, required=True)
        version_value = data.get("version")
        version: int | None = None
        if version_value is None:
            self.problem(label, data, f"thiếu {_describe('version')}")
        elif isinstance(version_value, bool) or not isinstance(version_value, int) or version_value < 1:
            self.problem(
                label,
                data,
                f'"version" phải là số nguyên từ 1 trở lên (đang là {version_value!r})',
                "version",
            )
        else:
            version = version_value
        name = self.text(data, "name", label, required=True)
        issued_by = self.text(data, "issued_by", label, required=False)
        decision = self.text(data, "decision", label, required=False)
        effective_from = self.date(data, "effective_from", label)
        scale = self.number(
            data, "scale", label, required=True, low=_ZERO, low_inclusive=False, range_text="lớn hơn 0"
        )
        bonus_cap = self.number(
            data, "bonus_cap", label, required=False, low=_ZERO, range_text="từ 0 trở lên"
        )

        criteria = self.criteria_list(data, label)
        conditions = self.conditions(data)
        max_total = None
        if scale is not None:
            max_total = scale + (bonus_cap or _ZERO)
        levels = self.levels(data, max_total)

        # rule 3: bonus criteria need bonus_cap
        bonus_codes = [c.code for c in criteria if c.bonus]
        if bonus_codes and data.get("bonus_cap") is None:
            codes = ", ".join(f'"{c}"' for c in bonus_codes)
            self.problem(label, data, f'có tiêu chí điểm thưởng ({codes}) nên phải khai báo "bonus_cap"')
        # rule 6: non-bonus top-level maxima add up to the scale
        top = [c for c in criteria if not c.bonus]
        if scale is not None and top and self.top_complete:
            total = sum((c.max_points for c in top), _ZERO)
            if total != scale:
                self.problem(
                    label,
                    data,
                    f"tổng điểm tối đa của các tiêu chí cấp cao nhất (không kể điểm thưởng) là {_fmt(total)}, "
                    f'phải bằng thang điểm "scale" {_fmt(scale)}',
                    "scale",
                )

        for entries in self.lines.duplicates.values():
            for key, line, first in entries:
                self.problems.append(
                    f'Dòng {line}: khóa "{key}" lặp lại trong cùng một bảng (đã có ở dòng {first}).'
                )
        if self.problems:
            raise CriteriaSetError(self.problems)
        assert code is not None and version is not None and name is not None and scale is not None  # noqa: S101
        return CriteriaSet(
            code=code,
            version=version,
            name=name,
            scale=scale,
            criteria=criteria,
            levels=levels,
            issued_by=issued_by,
            decision=decision,
            effective_from=effective_from,
            bonus_cap=bonus_cap,
            conditions=conditions,
            extra=self.extras(data, _SET_KEYS),
        )

    def date(self, data: Mapping[str, Any], key: str, label: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            self.problem(label, data, f'"{key}" phải là một ngày dạng YYYY-MM-DD, không kèm giờ', key)
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(label, data, f'"{key}" phải là một ngày dạng YYYY-MM-DD (đang là {value!r})', key)
        return None

    # -- criteria --------------------------------------------------------------------------------

    top_complete = False

    def criteria_list(self, data: Mapping[str, Any], label: str) -> list[Criterion]:
        raw = data.get("criteria")
        if raw is None:
            self.problem(label, data, 'thiếu danh sách tiêu chí "criteria"')
            return []
        if not isinstance(raw, list) or not raw:
            self.problem(label, data, '"criteria" phải là một danh sách tiêu chí không rỗng', "criteria")
            return []
        result: list[Criterion] = []
        for index, item in enumerate(raw, start=1):
            criterion = self.criterion(item, f"tiêu chí thứ {index} ở cấp cao nhất", depth=0)
            if criterion is not None:
                result.append(criterion)
        self.top_complete = len(result) == len(raw)
        return result

    def criterion(self, data: object, position: str, *, depth: int) -> Criterion | None:
        if not isinstance(data, Mapping):
            self.problems.append(
                f"{position[0].upper()}{position[1:]}: phải là một bảng khóa – giá trị (code, name, max_points…)."
            )
            return None
        code = self.code_of(data, position[0].upper() + position[1:])
        label = f'Tiêu chí "{code}"' if code is not None else position[0].upper() + position[1:]
        self.duplicate_keys(label, data)
        if code is not None:
            self.register_code(code, label, data)
        name = self.text(data, "name", label, required=True)
        max_points = self.number(
            data, "max_points", label, required=True, low=_ZERO, low_inclusive=False, range_text="lớn hơn 0"
        )

        children_raw = data.get("children")
        children: list[Criterion] = []
        has_children = False
        children_ok = True
        if children_raw is not None:
            if not isinstance(children_raw, list) or not children_raw:
                self.problem(
                    label, data, '"children" phải là một danh sách tiêu chí con không rỗng', "children"
                )
            else:
                has_children = True
                for index, item in enumerate(children_raw, start=1):
                    child = self.criterion(
                        item, f"tiêu chí con thứ {index} của {label[0].lower()}{label[1:]}", depth=depth + 1
                    )
                    if child is None:
                        children_ok = False
                    if child is not None:
                        children.append(child)

        input_kind: str | None = None
        raw_input = data.get("input")
        if raw_input is not None:
            if has_children:
                self.problem(
                    label, data, '"input" chỉ dùng cho tiêu chí lá; tiêu chí này có tiêu chí con', "input"
                )
            elif raw_input not in INPUT_KINDS:
                self.problem(
                    label,
                    data,
                    f'"input" phải là một trong {", ".join(INPUT_KINDS)} (đang là {raw_input!r})',
                    "input",
                )
            else:
                input_kind = str(raw_input)
        leaf_kind = None if has_children else (input_kind or ("points" if raw_input is None else None))

        target: Decimal | None = None
        if data.get("target") is not None:
            if leaf_kind != "ratio":
                if leaf_kind is not None or has_children:
                    self.problem(label, data, '"target" chỉ dùng cho tiêu chí lá kiểu "ratio"', "target")
            else:
                target = self.number(
                    data,
                    "target",
                    label,
                    required=True,
                    low=_ZERO,
                    low_inclusive=False,
                    high=_ONE,
                    range_text="lớn hơn 0 và không quá 1",
                )

        items: list[str] | None = None
        raw_items = data.get("items")
        if raw_items is not None and leaf_kind != "checklist":
            if leaf_kind is not None or has_children:
                self.problem(label, data, '"items" chỉ dùng cho tiêu chí lá kiểu "checklist"', "items")
        elif leaf_kind == "checklist":
            if not isinstance(raw_items, list) or not raw_items:
                self.problem(
                    label, data, 'tiêu chí kiểu "checklist" phải có danh sách "items" không rỗng', "items"
                )
            else:
                items = []
                for index, item in enumerate(raw_items, start=1):
                    if not isinstance(item, str) or not item.strip():
                        self.problem(
                            label,
                            data,
                            f'mục thứ {index} của "items" phải là một chuỗi ký tự không rỗng',
                            "items",
                        )
                    else:
                        items.append(item.strip())

        source = self.text(data, "source", label, required=False)
        if source is not None and has_children:
            self.problem(
                label, data, '"source" chỉ dùng cho tiêu chí lá; tiêu chí này có tiêu chí con', "source"
            )
            source = None
        evidence = self.text(data, "evidence", label, required=False)
        bonus = self.flag(data, "bonus", label) or False
        if bonus and depth > 0:
            self.problem(label, data, '"bonus: true" chỉ dùng cho tiêu chí ở cấp cao nhất', "bonus")
            bonus = False
        min_share = self.number(
            data,
            "min_share",
            label,
            required=False,
            low=_ZERO,
            high=_ONE,
            range_text="từ 0 đến 1 (ví dụ 0.5 là 50%)",
        )

        if has_children and children_ok and max_points is not None:
            total = sum((child.max_points for child in children), _ZERO)
            if total < max_points:
                self.problem(
                    label,
                    data,
                    f"tổng điểm tối đa của các tiêu chí con ({_fmt(total)}) nhỏ hơn điểm tối đa của tiêu chí "
                    f"({_fmt(max_points)})",
                    "children",
                )

        if code is None or name is None or max_points is None:
            return None
        return Criterion(
            code=code,
            name=name,
            max_points=max_points,
            input=input_kind,
            target=target,
            items=items,
            source=source,
            evidence=evidence,
            bonus=bonus,
            min_share=min_share,
            children=children,
            extra=self.extras(data, _CRITERION_KEYS),
            line=self.lines.of(data),
        )

    # -- conditions and levels -------------------------------------------------------------------

    def conditions(self, data: Mapping[str, Any]) -> list[Condition]:
        raw = data.get("conditions")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem("Bộ tiêu chí", data, '"conditions" phải là một danh sách điều kiện', "conditions")
            return []
        result: list[Condition] = []
        for index, item in enumerate(raw, start=1):
            position = f"Điều kiện thứ {index}"
            if not isinstance(item, Mapping):
                self.problems.append(f"{position}: phải là một bảng khóa – giá trị (code, name, required).")
                continue
            code = self.code_of(item, position)
            label = f'Điều kiện "{code}"' if code is not None else position
            self.duplicate_keys(label, item)
            if code is not None:
                self.register_code(code, label, item)
            name = self.text(item, "name", label, required=True)
            required = self.flag(item, "required", label)
            if code is None or name is None:
                continue
            result.append(
                Condition(
                    code=code,
                    name=name,
                    required=True if required is None else required,
                    extra=self.extras(item, _CONDITION_KEYS),
                    line=self.lines.of(item),
                )
            )
        return result

    def levels(self, data: Mapping[str, Any], max_total: Decimal | None) -> list[Level]:
        raw = data.get("levels")
        if raw is None:
            self.problem("Bộ tiêu chí", data, 'thiếu danh sách mức đạt chuẩn "levels"')
            return []
        if not isinstance(raw, list) or not raw:
            self.problem(
                "Bộ tiêu chí",
                data,
                '"levels" phải là một danh sách mức không rỗng, từ thấp đến cao',
                "levels",
            )
            return []
        result: list[Level] = []
        seen: dict[str, str] = {}
        previous: tuple[str, Decimal] | None = None
        for index, item in enumerate(raw, start=1):
            position = f"Mức thứ {index}"
            if not isinstance(item, Mapping):
                self.problems.append(f"{position}: phải là một bảng khóa – giá trị (code, name, min_total).")
                previous = None
                continue
            code = self.code_of(item, position)
            label = f'Mức "{code}"' if code is not None else position
            self.duplicate_keys(label, item)
            if code is not None:
                if code in seen:
                    self.problem(label, item, f"mã mức trùng với {seen[code]}", "code")
                else:
                    line = self.lines.of(item)
                    seen[code] = f'mức "{code}"' + (f" ở dòng {line}" if line is not None else "")
            name = self.text(item, "name", label, required=True)
            high_text = f" và không quá {_fmt(max_total)}" if max_total is not None else ""
            min_total = self.number(
                item,
                "min_total",
                label,
                required=True,
                low=_ZERO,
                high=max_total,
                range_text=f"từ 0{high_text}",
            )
            min_share = self.number(
                item,
                "min_share",
                label,
                required=False,
                low=_ZERO,
                high=_ONE,
                range_text="từ 0 đến 1 (ví dụ 0.6 là 60%)",
            )
            if min_total is not None and previous is not None and min_total <= previous[1]:
                self.problem(
                    label,
                    item,
                    f'"min_total" ({_fmt(min_total)}) phải lớn hơn của {previous[0]} ({_fmt(previous[1])}); '
                    "các mức xếp từ thấp đến cao",
                    "min_total",
                )
            if min_total is not None:
                previous = (label[0].lower() + label[1:], min_total)
            if code is None or name is None or min_total is None:
                continue
            result.append(
                Level(
                    code=code,
                    name=name,
                    min_total=min_total,
                    min_share=min_share,
                    extra=self.extras(item, _LEVEL_KEYS),
                    line=self.lines.of(item),
                )
            )
        return result


# --------------------------------------------------------------------------------------------------
# Writing a set back


def _criterion_to_dict(criterion: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": criterion.code,
        "name": criterion.name,
        "max_points": _json_number(criterion.max_points),
    }
    if criterion.input is not None:
        out["input"] = criterion.input
    if criterion.target is not None:
        out["target"] = _json_number(criterion.target)
    if criterion.items is not None:
        out["items"] = list(criterion.items)
    if criterion.source is not None:
        out["source"] = criterion.source
    if criterion.evidence is not None:
        out["evidence"] = criterion.evidence
    if criterion.bonus:
        out["bonus"] = True
    if criterion.min_share is not None:
        out["min_share"] = _json_number(criterion.min_share)
    out.update(copy.deepcopy(criterion.extra))
    if criterion.children:
        out["children"] = [_criterion_to_dict(child) for child in criterion.children]
    return out


def criteria_set_to_dict(cs: CriteriaSet) -> dict[str, Any]:
    """Plain, JSON-compatible data (numbers as int/float, the date as ISO text) such that
    ``parse_criteria_set(criteria_set_to_dict(cs)) == cs``."""
    out: dict[str, Any] = {"format": FORMAT, "code": cs.code, "version": cs.version, "name": cs.name}
    if cs.issued_by is not None:
        out["issued_by"] = cs.issued_by
    if cs.decision is not None:
        out["decision"] = cs.decision
    if cs.effective_from is not None:
        out["effective_from"] = cs.effective_from.isoformat()
    out["scale"] = _json_number(cs.scale)
    if cs.bonus_cap is not None:
        out["bonus_cap"] = _json_number(cs.bonus_cap)
    out.update(copy.deepcopy(cs.extra))
    out["criteria"] = [_criterion_to_dict(c) for c in cs.criteria]
    if cs.conditions:
        out["conditions"] = [
            {"code": c.code, "name": c.name, "required": c.required, **copy.deepcopy(c.extra)}
            for c in cs.conditions
        ]
    levels: list[dict[str, Any]] = []
    for level in cs.levels:
        item: dict[str, Any] = {
            "code": level.code,
            "name": level.name,
            "min_total": _json_number(level.min_total),
        }
        if level.min_share is not None:
            item["min_share"] = _json_number(level.min_share)
        item.update(copy.deepcopy(level.extra))
        levels.append(item)
    out["levels"] = levels
    return out


def dump_criteria_set_yaml(cs: CriteriaSet) -> str:
    """The set as YAML text (UTF-8 characters kept, keys in the format's order)."""
    data = criteria_set_to_dict(cs)
    if cs.effective_from is not None:
        data["effective_from"] = cs.effective_from
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


# --------------------------------------------------------------------------------------------------
# Score values

_TRUE_WORDS = frozenset({"true", "có", "co", "đạt", "dat", "x", "1"})
_FALSE_WORDS = frozenset({"false", "không", "khong", "không đạt", "khong dat", "", "0"})


def _normalise_word(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).casefold().split())


def _parse_bool(raw: str) -> bool:
    word = _normalise_word(raw)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ScoreValueError(
        f'giá trị "{raw.strip()}" không đọc được; dùng true/false, có/không, đạt/không đạt, x/để trống hoặc 1/0'
    )


def _parse_ratio(raw: str) -> Ratio:
    text = raw.strip()
    if text.endswith("%"):
        percent = _decimal_from_text(text[:-1])
        if percent is None:
            raise ScoreValueError(
                f'tỷ lệ "{text}" không đọc được; ghi dạng tử/mẫu (ví dụ 45/50) hoặc phần trăm (ví dụ 92,5%)'
            )
        if percent < 0:
            raise ScoreValueError(f"tỷ lệ {format_vi_number(percent)}% nhỏ hơn 0")
        if percent > _HUNDRED:
            raise ScoreValueError(f"tỷ lệ {format_vi_number(percent)}% vượt quá 100%")
        return Ratio(percent, _HUNDRED)
    if text.count("/") == 1:
        left, right = text.split("/")
        numerator = _decimal_from_text(left)
        denominator = _decimal_from_text(right)
        if numerator is not None and denominator is not None:
            if numerator < 0 or denominator < 0:
                raise ScoreValueError(f'tỷ lệ "{text}" có số nhỏ hơn 0')
            if numerator > denominator:
                raise ScoreValueError(f'tỷ lệ "{text}" có tử số lớn hơn mẫu số (vượt quá 100%)')
            return Ratio(numerator, denominator)
    raise ScoreValueError(
        f'tỷ lệ "{text}" không đọc được; ghi dạng tử/mẫu (ví dụ 45/50) hoặc phần trăm (ví dụ 92,5%)'
    )


def parse_score_value(node: Criterion | Condition, raw: str) -> ScoreValue | None:
    """Read one typed-in value for a leaf criterion or a condition (rule 1 and the scores-file rules).

    Returns ``None`` for an empty value of a ``points``, ``ratio`` or ``checklist`` leaf (no value:
    the leaf scores 0 and is listed as missing); an empty value of a boolean or condition is false.
    Raises :class:`ScoreValueError` (Vietnamese) for an unreadable or out-of-range value — values are
    never clamped."""
    if isinstance(node, Condition):
        return _parse_bool(raw)
    if node.children:
        raise ScoreValueError(
            "là tiêu chí cha; điểm của tiêu chí cha được tính từ các tiêu chí con, không nhập trực tiếp"
        )
    kind = node.kind
    if kind == "boolean":
        return _parse_bool(raw)
    if not raw.strip():
        return None
    if kind == "ratio":
        return _parse_ratio(raw)
    if kind == "checklist":
        count = _decimal_from_text(raw)
        if count is None or count != count.to_integral_value():
            raise ScoreValueError(f'số mục đã đạt "{raw.strip()}" phải là một số nguyên')
        ticked = int(count)
        total_items = len(node.items or [])
        if ticked < 0:
            raise ScoreValueError(f"số mục đã đạt {ticked} nhỏ hơn 0")
        if ticked > total_items:
            raise ScoreValueError(f"số mục đã đạt {ticked} nhiều hơn số mục của danh sách ({total_items})")
        return ticked
    points = _decimal_from_text(raw)
    if points is None:
        raise ScoreValueError(f'điểm "{raw.strip()}" không đọc được; ghi một số, ví dụ 4,5')
    if points < 0:
        raise ScoreValueError(f"điểm {_fmt(points)} nhỏ hơn 0")
    if points > node.max_points:
        raise ScoreValueError(f"điểm {_fmt(points)} vượt quá điểm tối đa {_fmt(node.max_points)}")
    return points


def max_value(criterion: Criterion) -> ScoreValue:
    """The value that gives a leaf its full points."""
    kind = criterion.kind
    if kind == "boolean":
        return True
    if kind == "ratio":
        return Ratio(_ONE, _ONE)
    if kind == "checklist":
        return len(criterion.items or [])
    return criterion.max_points


def _sniff_delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            if ";" in line and "," not in line:
                return ";"
            return ","
    return ","


def parse_scores_csv(text: str, cs: CriteriaSet) -> dict[str, ScoreValue]:
    """Read a scores file (header ``code,value``, UTF-8, BOM accepted) against a criteria set.

    Returns code → value for every row with a value (empty points/ratio/checklist values are left
    out, so those leaves count as missing). Raises :class:`ScoresError` naming every problem with its
    row number and code."""
    text = text.lstrip("\ufeff")
    problems: list[str] = []
    nodes = {c.code: c for c in cs.walk()}
    conditions = {c.code: c for c in cs.conditions}
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    values: dict[str, ScoreValue] = {}
    first_row: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            cells = [unicodedata.normalize("NFC", cell).strip() for cell in row]
            while len(cells) > 2 and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            if header is None:
                header = cells
                if [cell.casefold() for cell in cells] != ["code", "value"]:
                    shown = delimiter.join(row)
                    hint = ""
                    if cells and (cells[0] in nodes or cells[0] in conditions):
                        hint = " — có vẻ thiếu dòng tiêu đề"
                    problems.append(
                        f'Dòng {line}: dòng tiêu đề phải là "code,value" (đang là "{shown}"){hint}.'
                    )
                    if hint:
                        # the first line is data: read it as a row too
                        _read_row(cells, line, nodes, conditions, values, first_row, problems)
                continue
            _read_row(cells, line, nodes, conditions, values, first_row, problems)
    except csv.Error as error:
        problems.append(f"Dòng {reader.line_num}: tệp CSV không đọc được ({error}).")
    if header is None:
        problems.append('Tệp điểm trống: thiếu dòng tiêu đề "code,value".')
    if problems:
        raise ScoresError(problems)
    return values


def _read_row(
    cells: list[str],
    line: int,
    nodes: Mapping[str, Criterion],
    conditions: Mapping[str, Condition],
    values: dict[str, ScoreValue],
    first_row: dict[str, int],
    problems: list[str],
) -> None:
    code = cells[0] if cells else ""
    raw = cells[1] if len(cells) > 1 else ""
    if not code:
        problems.append(f"Dòng {line}: thiếu mã ở cột code.")
        return
    where = f'Dòng {line}, mã "{code}"'
    if len(cells) > 2:
        problems.append(
            f"{where}: có {len(cells)} cột, chỉ được 2 cột (code,value); "
            'số có dấu phẩy thập phân phải đặt trong dấu nháy kép, ví dụ "4,5".'
        )
        return
    node: Criterion | Condition | None = nodes.get(code) or conditions.get(code)
    if node is None:
        problems.append(f"{where}: không có tiêu chí hay điều kiện nào mang mã này trong bộ tiêu chí.")
        return
    if isinstance(node, Criterion) and node.children:
        problems.append(
            f"{where}: là tiêu chí cha (có tiêu chí con); chỉ nhập giá trị cho tiêu chí lá, "
            "điểm tiêu chí cha được tính từ các tiêu chí con."
        )
        return
    if code in first_row:
        problems.append(f"{where}: trùng với dòng {first_row[code]}; mỗi mã chỉ được một dòng.")
    else:
        first_row[code] = line
    try:
        value = parse_score_value(node, raw)
    except ScoreValueError as error:
        problems.append(f"{where}: {error.message}.")
        return
    if value is not None and code not in values:
        values[code] = value


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


# --------------------------------------------------------------------------------------------------
# Bundled templates


def list_bundled_criteria_sets() -> list[tuple[str, CriteriaSet]]:
    """The templates shipped in ``friendlygov/rules/criteria_sets/`` as (file name without
    ``.yaml``, set), sorted by name."""
    folder = resources.files(__package__ or "friendlygov.rules").joinpath("criteria_sets")
    out: list[tuple[str, CriteriaSet]] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            out.append(
                (entry.name[: -len(".yaml")], load_criteria_set_yaml(entry.read_text(encoding="utf-8")))
            )
    return out


def load_bundled_criteria_set(name: str) -> CriteriaSet:
    """One bundled template by file name without ``.yaml`` (e.g. ``"hai-phong-provisional"``)."""
    folder = resources.files(__package__ or "friendlygov.rules").joinpath("criteria_sets")
    entry = folder.joinpath(f"{name}.yaml")
    if not entry.is_file():
        raise KeyError(name)
    return load_criteria_set_yaml(entry.read_text(encoding="utf-8"))
