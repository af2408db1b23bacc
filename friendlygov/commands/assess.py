"""``friendlygov assess --criteria SET.yaml --scores SCORES.csv [--format json|text]``.

Scores one unit against a criteria set (see ``criteria-set-format.md``). Pure: no Django, no
database; reads two files, prints the result. Exit 0 on a computed result (achieved or not), 2 on
invalid input with every problem on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    print_json,
    read_capped,
    report_input_error,
)
from friendlygov.rules.scoring import (
    AssessmentResult,
    CriteriaSet,
    CriteriaSetError,
    CriterionResult,
    ScoresError,
    assess,
    format_vi_number,
    load_criteria_set_yaml,
    parse_scores_csv,
    points_lost,
    result_to_json,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assess",
        help="chấm điểm một đơn vị theo bộ tiêu chí và tệp điểm",
        description=(
            "Chấm điểm theo bộ tiêu chí (YAML, friendlygov.criteria/1) và tệp điểm CSV (code,value); "
            "in tổng điểm, mức đạt chuẩn và những điểm còn thiếu."
        ),
    )
    parser.add_argument("--criteria", required=True, metavar="SET.yaml", help="tệp bộ tiêu chí (YAML)")
    parser.add_argument(
        "--scores", required=True, metavar="SCORES.csv", help="tệp điểm CSV, tiêu đề code,value"
    )
    parser.add_argument(
        "--format", choices=("json", "text"), default="text", help="định dạng kết quả (mặc định: text)"
    )
    parser.set_defaults(func=run)


def read_text(path: str, what: str) -> str:
    """A UTF-8 text file (a BOM is accepted); unreadable files become an :class:`InputError`."""
    try:
        data = read_capped(path)
    except InputTooLarge as error:
        raise InputError(error.message(what[:1].upper() + what[1:])) from None
    except FileNotFoundError:
        raise InputError(f"{path}: không tìm thấy {what}.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: là một thư mục, không phải {what}.") from None
    except OSError:
        raise InputError(f"{path}: không đọc được {what}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: {what} không phải văn bản UTF-8 (byte lỗi ở vị trí {error.start}); hãy lưu lại với mã hóa UTF-8."
        ) from None


def load_inputs(criteria_path: str, scores_path: str) -> tuple[CriteriaSet, dict[str, Any]]:
    """Read and validate both files; every problem ends up in one :class:`InputError`."""
    problems: list[str] = []
    criteria_text: str | None = None
    scores_text: str | None = None
    try:
        criteria_text = read_text(criteria_path, "tệp bộ tiêu chí")
    except InputError as error:
        problems.extend(error.problems)
    try:
        scores_text = read_text(scores_path, "tệp điểm")
    except InputError as error:
        problems.extend(error.problems)
    cs: CriteriaSet | None = None
    if criteria_text is not None:
        try:
            cs = load_criteria_set_yaml(criteria_text)
        except CriteriaSetError as error:
            problems.extend(f"{criteria_path}: {problem}" for problem in error.problems)
    values: dict[str, Any] = {}
    if cs is not None and scores_text is not None:
        try:
            values = dict(parse_scores_csv(scores_text, cs))
        except ScoresError as error:
            problems.extend(f"{scores_path}: {problem}" for problem in error.problems)
    if problems or cs is None:
        raise InputError(problems)
    return cs, values


def run(args: argparse.Namespace) -> int:
    try:
        cs, values = load_inputs(args.criteria, args.scores)
        result = assess(cs, values)
    except InputError as error:
        return report_input_error(error)
    except ScoresError as error:  # pragma: no cover - parse_scores_csv already checks every value
        return report_input_error(InputError(error.problems))
    if args.format == "json":
        print_json(result_to_json(result))
    else:
        sys.stdout.write(render_text(cs, result))
    return 0


def _n(value: Any) -> str:
    return format_vi_number(value)


def _tree_lines(item: CriterionResult, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    note = ""
    if item.bonus:
        note = " (điểm thưởng)"
    elif item.missing:
        note = " (chưa có giá trị, tính 0)"
    elif item.lost > 0:
        note = f" (mất {_n(item.lost)})"
    lines.append(f"  {indent}{item.code}. {item.name}: {_n(item.points)}/{_n(item.max_points)}{note}")
    for child in item.children:
        _tree_lines(child, depth + 1, lines)


def render_text(cs: CriteriaSet, result: AssessmentResult) -> str:
    """A readable Vietnamese summary (numbers Vietnamese style: 91,5)."""
    lines = [f"Bộ tiêu chí: {cs.name} ({cs.code}, phiên bản {cs.version})"]
    max_total = cs.max_total
    total_line = f"Tổng điểm: {_n(result.total)}/{_n(cs.scale)}"
    if any(c.bonus for c in cs.criteria):
        total_line += f" (gồm {_n(result.bonus)} điểm thưởng được tính"
        if result.bonus_uncapped > result.bonus:
            total_line += f" trên {_n(result.bonus_uncapped)} điểm, tối đa {_n(cs.bonus_cap or 0)}"
        total_line += f"; tối đa có thể đạt {_n(max_total)})"
    lines.append(total_line)
    if result.achieved and result.level is not None:
        lines.append(f"Kết quả: ĐẠT CHUẨN — {result.level.name}")
    else:
        lines.append("Kết quả: CHƯA ĐẠT CHUẨN")
        if result.levels_reached:
            lines.append(
                f"  (theo điểm số đủ {result.levels_reached[-1].name} nhưng còn điều kiện/ngưỡng không đạt)"
            )

    lines.append("")
    lines.append("Điểm từng tiêu chí:")
    for item in result.criteria:
        _tree_lines(item, 0, lines)

    if result.failed_gates:
        lines.append("")
        lines.append("Điều kiện, ngưỡng không đạt:")
        lines.extend(f"  - {gate.reason}" for gate in result.failed_gates)
    if result.level_limits:
        lines.append("")
        lines.append("Còn thiếu để lên mức tiếp theo:")
        lines.extend(f"  - {gate.reason}" for gate in result.level_limits)
    elif result.levels_reached and len(result.levels_reached) == len(cs.levels):
        lines.append("")
        lines.append("Đã đạt mức cao nhất của bộ tiêu chí theo điểm số.")

    lost = points_lost(result)[:5]
    if lost:
        lines.append("")
        lines.append("Mất nhiều điểm nhất ở:")
        lines.extend(
            f"  - {item.code}. {item.name}: mất {_n(item.lost)}/{_n(item.max_points)}" for item in lost
        )
    if result.missing:
        lines.append("")
        lines.append("Tiêu chí chưa có giá trị (tính 0 điểm): " + ", ".join(result.missing))
    return "\n".join(lines) + "\n"
