"""A criteria set as an Excel workbook, both ways, so that administrators can edit it in Excel.

Sheets: «Tiêu chí» (one row per criterion: code, parent code, name, max points, input type, target,
checklist items — one per line —, bonus, min share, source, evidence expected, other keys as JSON),
«Mức và điều kiện» (levels and conditions) and «Thông tin chung» (the set's own keys). Reading gives the
plain contract data; :func:`friendlygov.rules.scoring.parse_criteria_set` then validates it, so the
workbook and the YAML file mean exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from friendlygov.kit.ooxml import PackageError, open_workbook
from friendlygov.kit.tabular import Column, TableError, sheet_values, write_xlsx
from friendlygov.rules.scoring import FORMAT, CriteriaSet, Criterion, criteria_set_to_dict
from friendlygov.rules.text import normalize_vi

CRITERIA_SHEET = "Tiêu chí"
LEVELS_SHEET = "Mức và điều kiện"
INFO_SHEET = "Thông tin chung"

CRITERIA_COLUMNS = [
    Column("code", "Mã tiêu chí", aliases=["mã", "ma", "code"]),
    Column(
        "parent",
        "Mã tiêu chí cha",
        required=False,
        aliases=["mã cha", "tiêu chí cha", "parent", "parent code"],
    ),
    Column("name", "Tên tiêu chí", aliases=["tên", "name"]),
    Column("max_points", "Điểm tối đa", aliases=["max points", "điểm"]),
    Column("input", "Kiểu nhập", required=False, aliases=["input", "loại", "kiểu"]),
    Column("target", "Ngưỡng đạt điểm tối đa", required=False, aliases=["target", "ngưỡng"]),
    Column("items", "Các mục (mỗi mục một dòng)", required=False, aliases=["items", "các mục", "danh mục"]),
    Column("bonus", "Điểm thưởng", required=False, aliases=["bonus"]),
    Column("min_share", "Tỷ lệ tối thiểu", required=False, aliases=["min share", "min_share"]),
    Column("source", "Nguồn số liệu", required=False, aliases=["source", "nguồn"]),
    Column("evidence", "Minh chứng", required=False, aliases=["evidence", "minh chứng cần có"]),
    Column("extra", "Thông tin khác (JSON)", required=False, aliases=["extra", "khác", "thông tin khác"]),
]

LEVEL_COLUMNS = [
    Column("kind", "Loại", aliases=["kind"]),
    Column("code", "Mã", aliases=["code"]),
    Column("name", "Tên", aliases=["name"]),
    Column("min_total", "Tổng điểm tối thiểu", required=False, aliases=["min total", "min_total"]),
    Column("min_share", "Tỷ lệ tối thiểu", required=False, aliases=["min share", "min_share"]),
    Column("required", "Bắt buộc", required=False, aliases=["required"]),
    Column("extra", "Thông tin khác (JSON)", required=False, aliases=["extra", "khác"]),
]

INFO_COLUMNS = [
    Column("key", "Khóa", aliases=["key"]),
    Column("label", "Nội dung", required=False, aliases=["label"]),
    Column("value", "Giá trị", aliases=["value"]),
]

INFO_LABELS = {
    "format": "Định dạng",
    "code": "Mã bộ tiêu chí",
    "version": "Phiên bản",
    "name": "Tên bộ tiêu chí",
    "issued_by": "Cơ quan ban hành",
    "decision": "Văn bản ban hành",
    "effective_from": "Ngày hiệu lực (YYYY-MM-DD)",
    "scale": "Thang điểm",
    "bonus_cap": "Trần điểm thưởng",
    "status": "Tình trạng",
    "source": "Nguồn",
    "assumptions": "Giả định",
}
INFO_KEYS = (
    "format",
    "code",
    "version",
    "name",
    "issued_by",
    "decision",
    "effective_from",
    "scale",
    "bonus_cap",
)

INPUT_WORDS = {
    "points": "points",
    "diem": "points",
    "so diem": "points",
    "boolean": "boolean",
    "dat/khong dat": "boolean",
    "dat khong dat": "boolean",
    "co/khong": "boolean",
    "co khong": "boolean",
    "ratio": "ratio",
    "ty le": "ratio",
    "ti le": "ratio",
    "checklist": "checklist",
    "danh muc": "checklist",
    "danh sach": "checklist",
}
LEVEL_WORDS = {
    "muc": "level",
    "level": "level",
    "muc do": "level",
    "dieu kien": "condition",
    "condition": "condition",
}
TRUE_WORDS = {"x", "co", "true", "1", "dung", "yes"}
FALSE_WORDS = {"", "khong", "false", "0", "sai", "no"}


MAX_SHEETS = 10  # the three sheets of the format, and a few of the administrator's own


class WorkbookError(ValueError):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------------------- writing


def _extra_json(extra: dict[str, Any]) -> str:
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def criteria_workbook(cs: CriteriaSet) -> bytes:
    """The set as an .xlsx workbook (three sheets)."""
    data = criteria_set_to_dict(cs)
    criteria_rows: list[list[Any]] = []

    def visit(node: Criterion, parent: str | None) -> None:
        criteria_rows.append(
            [
                node.code,
                parent or "",
                node.name,
                _cell_number(node.max_points),
                node.input or "",
                _cell_number(node.target) if node.target is not None else "",
                "\n".join(node.items) if node.items is not None else "",
                "x" if node.bonus else "",
                _cell_number(node.min_share) if node.min_share is not None else "",
                node.source or "",
                node.evidence or "",
                _extra_json(node.extra),
            ]
        )
        for child in node.children:
            visit(child, node.code)

    for top in cs.criteria:
        visit(top, None)
    level_rows: list[list[Any]] = [
        [
            "Mức",
            level.code,
            level.name,
            _cell_number(level.min_total),
            _cell_number(level.min_share) if level.min_share is not None else "",
            "",
            _extra_json(level.extra),
        ]
        for level in cs.levels
    ]
    level_rows += [
        ["Điều kiện", c.code, c.name, "", "", "x" if c.required else "không", _extra_json(c.extra)]
        for c in cs.conditions
    ]
    info_rows: list[list[Any]] = []
    for key in INFO_KEYS:
        if key in data:
            value = data[key]
            info_rows.append([key, INFO_LABELS.get(key, ""), value])
    for key, value in cs.extra.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        info_rows.append([key, INFO_LABELS.get(key, ""), shown])
    return write_xlsx(
        [
            (CRITERIA_SHEET, [c.title for c in CRITERIA_COLUMNS], criteria_rows),
            (LEVELS_SHEET, [c.title for c in LEVEL_COLUMNS], level_rows),
            (INFO_SHEET, [c.title for c in INFO_COLUMNS], info_rows),
        ],
        numbered=False,  # read back by read_criteria_workbook column by column
    )


def _cell_number(value: Decimal | None) -> Any:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else f"{value:f}"


# ---------------------------------------------------------------------------------------- reading


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _num(value: Any) -> Any:
    """A number cell → int / Decimal; text is handed on as text (the validator names a bad one)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        number = Decimal(repr(value))
        return int(number) if number == number.to_integral_value() else number
    text = str(value).strip()
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = Decimal(candidate)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() else number


def assemble_tree(
    order: Sequence[tuple[str, str, str]],
    nodes: dict[str, dict[str, Any]],
    problems: list[str],
    *,
    parent_column: str,
) -> list[dict[str, Any]]:
    """Rows (where, code, parent code) of criterion dicts → the nested list, siblings in row order."""
    top: list[dict[str, Any]] = []
    for where, code, parent in order:
        if not parent:
            top.append(nodes[code])
            continue
        if parent == code:
            problems.append(f"{where}: tiêu chí «{code}» không thể là cha của chính nó.")
            continue
        if parent not in nodes:
            problems.append(f"{where}, cột «{parent_column}»: không có tiêu chí mang mã «{parent}».")
            continue
        nodes[parent].setdefault("children", []).append(nodes[code])
    reachable: set[str] = set()

    def mark(node: dict[str, Any]) -> None:
        if node["code"] in reachable:
            return
        reachable.add(node["code"])
        for child in node.get("children", []):
            mark(child)

    for node in top:
        mark(node)
    for where, code, parent in order:
        if code not in reachable and parent and parent in nodes and parent != code:
            problems.append(f"{where}: mã cha của «{code}» tạo thành vòng lặp.")
    return top


class _Sheet:
    def __init__(self, title: str, rows: list[list[Any]]) -> None:
        self.title = title
        self.rows = rows


def _read_rows(
    sheet: _Sheet, columns: Sequence[Column], problems: list[str]
) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.rows
    start = 0
    while start < len(rows) and not any(_text(v) for v in rows[start]):
        start += 1
    if start >= len(rows):
        return []
    header = rows[start]
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        text = _text(title)
        if not text:
            continue
        column = next((c for c in columns if c.matches(text)), None)
        if column is None:
            problems.append(
                f"Trang «{sheet.title}», dòng {start + 1}, cột {index + 1}: tiêu đề «{text}» không thuộc mẫu."
            )
        elif column.key in mapping.values():
            problems.append(f"Trang «{sheet.title}», dòng {start + 1}: cột «{text}» bị lặp.")
        else:
            mapping[index] = column.key
    for column in columns:
        if column.required and column.key not in mapping.values():
            problems.append(f"Trang «{sheet.title}», dòng {start + 1}: thiếu cột «{column.title}».")
    out: list[tuple[int, dict[str, Any]]] = []
    for offset, cells in enumerate(rows[start + 1 :], start=start + 2):
        if not any(_text(c) for c in cells):
            continue
        out.append((offset, {key: (cells[i] if i < len(cells) else None) for i, key in mapping.items()}))
    return out


def _title(columns: Sequence[Column], key: str) -> str:
    return next((c.title for c in columns if c.key == key), key)


def _json_extra(raw: Any, where: str, problems: list[str]) -> dict[str, Any]:
    text = _text(raw)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        problems.append(f'{where}: «Thông tin khác» phải là JSON hợp lệ, ví dụ {{"basis": "..."}}.')
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: «Thông tin khác» phải là một bảng JSON {{...}}.")
        return {}
    return value


def _flag(raw: Any, where: str, column: str, problems: list[str]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    word = normalize_vi(_text(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False if word else None
    problems.append(f"{where}, cột «{column}»: «{_text(raw)}» không đọc được; ghi x (có) hoặc để trống.")
    return None


def _find_sheet(sheets: list[_Sheet], name: str, position: int) -> _Sheet | None:
    wanted = normalize_vi(name)
    for sheet in sheets:
        if normalize_vi(sheet.title) == wanted:
            return sheet
    return sheets[position] if position < len(sheets) else None


def read_criteria_workbook(data: bytes, filename: str = "bo-tieu-chi.xlsx") -> dict[str, Any]:
    """The contract data of a workbook; raises WorkbookError naming sheet, row and column of each problem.
    The result still has to pass ``parse_criteria_set``."""
    try:
        workbook = open_workbook(data, filename)
    except PackageError as exc:
        raise WorkbookError([exc.message]) from exc
    try:
        if len(workbook.worksheets) > MAX_SHEETS:
            raise WorkbookError([f"Tệp «{filename}» có hơn {MAX_SHEETS} trang tính; hãy xóa các trang thừa."])
        sheets = [_Sheet(ws.title, list(sheet_values(ws, filename))) for ws in workbook.worksheets]
    except TableError as exc:
        raise WorkbookError(exc.problems) from exc
    except (KeyError, ValueError, TypeError, OSError) as exc:
        raise WorkbookError([f"Không đọc được tệp Excel «{filename}»: {exc}"]) from exc
    except SyntaxError as exc:  # the XML parsers' errors derive from SyntaxError
        raise WorkbookError([f"Không đọc được tệp Excel «{filename}»: nội dung XML hỏng."]) from exc
    finally:
        workbook.close()
    problems: list[str] = []
    criteria_sheet = _find_sheet(sheets, CRITERIA_SHEET, 0)
    levels_sheet = _find_sheet(sheets, LEVELS_SHEET, 1)
    info_sheet = _find_sheet(sheets, INFO_SHEET, 2)
    if criteria_sheet is None:
        raise WorkbookError([f"Tệp «{filename}» không có trang «{CRITERIA_SHEET}»."])
    if levels_sheet is None:
        problems.append(f"Tệp «{filename}» thiếu trang «{LEVELS_SHEET}» (các mức và điều kiện).")
    if info_sheet is None:
        problems.append(f"Tệp «{filename}» thiếu trang «{INFO_SHEET}» (mã, phiên bản, tên, thang điểm…).")

    result: dict[str, Any] = {}
    if info_sheet is not None:
        for number, row in _read_rows(info_sheet, INFO_COLUMNS, problems):
            key = _text(row.get("key"))
            raw = row.get("value")
            where = f"Trang «{info_sheet.title}», dòng {number}"
            if not key:
                problems.append(f"{where}: thiếu khóa.")
                continue
            if key in ("version",):
                value = _num(raw)
                result[key] = int(value) if isinstance(value, Decimal) and value == int(value) else value
            elif key in ("scale", "bonus_cap"):
                result[key] = _num(raw)
            elif key == "effective_from" or key in INFO_KEYS:
                result[key] = _text(raw) or None
            else:
                text = raw if not isinstance(raw, str) else raw.strip()
                if isinstance(text, str) and text[:1] in "[{":
                    try:
                        text = json.loads(text)
                    except json.JSONDecodeError:
                        problems.append(
                            f"{where}: giá trị của «{key}» bắt đầu bằng [ hoặc {{ nhưng không phải JSON hợp lệ."
                        )
                result[key] = text
    result = {k: v for k, v in result.items() if v is not None}
    result.setdefault("format", FORMAT)

    # criteria: rows → tree by parent code, keeping row order among siblings
    nodes: dict[str, dict[str, Any]] = {}
    order: list[tuple[int, str, str]] = []  # (row, code, parent)
    for number, row in _read_rows(criteria_sheet, CRITERIA_COLUMNS, problems):
        where = f"Trang «{criteria_sheet.title}», dòng {number}"
        code = _text(row.get("code"))
        if not code:
            problems.append(f"{where}, cột «{_title(CRITERIA_COLUMNS, 'code')}»: thiếu mã tiêu chí.")
            continue
        if code in nodes:
            problems.append(f"{where}: mã tiêu chí «{code}» lặp lại.")
            continue
        node: dict[str, Any] = {"code": code, "name": _text(row.get("name")) or None}
        max_points = _num(row.get("max_points"))
        node["max_points"] = max_points
        kind = _text(row.get("input"))
        if kind:
            mapped = INPUT_WORDS.get(normalize_vi(kind))
            node["input"] = mapped or kind
        target = _num(row.get("target"))
        if target is not None:
            node["target"] = target
        items_text = _text(row.get("items"))
        if items_text:
            node["items"] = [line.strip() for line in items_text.splitlines() if line.strip()]
        bonus = _flag(row.get("bonus"), where, _title(CRITERIA_COLUMNS, "bonus"), problems)
        if bonus:
            node["bonus"] = True
        min_share = _num(row.get("min_share"))
        if min_share is not None:
            node["min_share"] = min_share
        for key in ("source", "evidence"):
            text = _text(row.get(key))
            if text:
                node[key] = text
        for key, value in _json_extra(row.get("extra"), where, problems).items():
            node.setdefault(key, value)
        node = {k: v for k, v in node.items() if v is not None or k in ("name", "max_points")}
        if node.get("name") is None:
            node.pop("name")
        if node.get("max_points") is None:
            node.pop("max_points")
        nodes[code] = node
        order.append((number, code, _text(row.get("parent"))))
    top = assemble_tree(
        [(f"Trang «{criteria_sheet.title}», dòng {number}", code, parent) for number, code, parent in order],
        nodes,
        problems,
        parent_column=_title(CRITERIA_COLUMNS, "parent"),
    )
    result["criteria"] = top

    if levels_sheet is not None:
        levels: list[dict[str, Any]] = []
        conditions: list[dict[str, Any]] = []
        for number, row in _read_rows(levels_sheet, LEVEL_COLUMNS, problems):
            where = f"Trang «{levels_sheet.title}», dòng {number}"
            row_kind = LEVEL_WORDS.get(normalize_vi(_text(row.get("kind"))))
            if row_kind is None:
                problems.append(
                    f"{where}, cột «Loại»: ghi «Mức» hoặc «Điều kiện» (đang là «{_text(row.get('kind'))}»)."
                )
                continue
            item: dict[str, Any] = {"code": _text(row.get("code")), "name": _text(row.get("name"))}
            if row_kind == "level":
                item["min_total"] = _num(row.get("min_total"))
                if item["min_total"] is None:
                    item.pop("min_total")
                min_share = _num(row.get("min_share"))
                if min_share is not None:
                    item["min_share"] = min_share
            else:
                required = _flag(row.get("required"), where, "Bắt buộc", problems)
                item["required"] = bool(required) if required is not None else False
            for key, value in _json_extra(row.get("extra"), where, problems).items():
                item.setdefault(key, value)
            (levels if row_kind == "level" else conditions).append(item)
        result["levels"] = levels
        if conditions:
            result["conditions"] = conditions
    if problems:
        raise WorkbookError(problems)
    return result
