"""The criteria-set reader: YAML with line numbers, validation with Vietnamese messages naming the
criterion, condition or level at fault, writing a set back, and the bundled templates."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml

from .arithmetic import _fmt, _json_number, _plain, _to_decimal
from .model import _ONE, _ZERO, FORMAT, Condition, CriteriaSet, Criterion, Level

INPUT_KINDS: tuple[str, ...] = ("points", "boolean", "ratio", "checklist")


# --------------------------------------------------------------------------------------------------
# Errors


class CriteriaSetError(ValueError):
    """The criteria-set file is invalid; ``problems`` lists every problem (Vietnamese)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


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

    def children(
        self, data: Mapping[str, Any], label: str, *, depth: int
    ) -> tuple[list[Criterion], bool, bool]:
        """The child criteria, whether there are any, and whether every one was read."""
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
        return children, has_children, children_ok

    def input_kind(
        self, data: Mapping[str, Any], label: str, raw_input: object, *, has_children: bool
    ) -> str | None:
        input_kind: str | None = None
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
        return input_kind

    def checklist_items(
        self, data: Mapping[str, Any], label: str, leaf_kind: str | None, *, has_children: bool
    ) -> list[str] | None:
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
        return items

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

        children, has_children, children_ok = self.children(data, label, depth=depth)

        raw_input = data.get("input")
        input_kind = self.input_kind(data, label, raw_input, has_children=has_children)
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

        items = self.checklist_items(data, label, leaf_kind, has_children=has_children)

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
# Bundled templates


def list_bundled_criteria_sets() -> list[tuple[str, CriteriaSet]]:
    """The templates shipped in ``friendlygov/rules/criteria_sets/`` as (file name without
    ``.yaml``, set), sorted by name."""
    folder = resources.files("friendlygov.rules").joinpath("criteria_sets")
    out: list[tuple[str, CriteriaSet]] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            out.append(
                (entry.name[: -len(".yaml")], load_criteria_set_yaml(entry.read_text(encoding="utf-8")))
            )
    return out


def load_bundled_criteria_set(name: str) -> CriteriaSet:
    """One bundled template by file name without ``.yaml`` (e.g. ``"hai-phong-provisional"``)."""
    folder = resources.files("friendlygov.rules").joinpath("criteria_sets")
    entry = folder.joinpath(f"{name}.yaml")
    if not entry.is_file():
        raise KeyError(name)
    return load_criteria_set_yaml(entry.read_text(encoding="utf-8"))
