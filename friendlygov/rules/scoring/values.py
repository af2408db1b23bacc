"""Score values: one value read for a criterion or condition, and a CSV of scores."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping

from .arithmetic import _decimal_from_text, _fmt, format_vi_number
from .model import _HUNDRED, _ONE, Condition, CriteriaSet, Criterion, Ratio, ScoresError, ScoreValue


class ScoreValueError(ValueError):
    """One value could not be accepted; the message (Vietnamese) says why, without the row."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


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
