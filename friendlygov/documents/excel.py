"""Excel workbooks in the layouts people use on paper.

- The scoring table (bảng chấm điểm) as scorers lay it out: group rows merged across the code and name
  columns, the maxima, the self / consolidated / appraised columns, group and grand totals as formulas
  (so a scorer who changes a value in Excel sees the totals move: a group is its children's sum capped at
  its maximum; the grand total adds the bonus criteria, capped when the set caps them), the engine's own
  totals on the next row to compare (it also rounds), conditions and the level reached.
- The satisfaction and feedback figures of the plan's years (the surveys area exports its detailed
  survey report itself; the feedback area exports its list of cases, not these yearly figures).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from friendlygov.documents import sources
from friendlygov.documents.kinds import common, scores
from friendlygov.org.models import Unit

GROUP_FILL = "DDEBF7"
HEAD_FILL = "D9D9D9"
POINT_COLUMNS = {"self": "D", "consolidated": "E", "appraised": "F"}


def _number(value: Decimal | None) -> Any:
    return None if value is None else float(value)


def _children(criteria: list[scores.ScoreRow]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    stack: list[scores.ScoreRow] = []
    for item in criteria:
        while stack and stack[-1].depth >= item.depth:
            stack.pop()
        if stack:
            children.setdefault(stack[-1].code, []).append(item.code)
        stack.append(item)
    return children


def scoring_workbook(unit: Unit, year: int, result: scores.Scores) -> bytes:
    """The scoring table; every formula is stored with the value it gives (see friendlygov.kit.spreadsheets),
    and the appraisal column stays blank — values and totals — until the city has appraised."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from friendlygov.kit.spreadsheets import Formula, Styles, fit_row_heights, print_setup, put, save_workbook

    styles = Styles()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"Bảng điểm {year}"
    border = styles.border
    bold, normal = styles.bold, styles.normal
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = styles.centre
    group_fill = PatternFill("solid", fgColor=GROUP_FILL)
    head_fill = PatternFill("solid", fgColor=HEAD_FILL)
    last_col = "H"
    columns = (
        dict(POINT_COLUMNS)
        if result.appraised
        else {k: v for k, v in POINT_COLUMNS.items() if k != "appraised"}
    )

    sheet.merge_cells(f"A1:{last_col}1")
    sheet["A1"] = f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM “CHÍNH QUYỀN THÂN THIỆN” NĂM {year}"
    sheet["A1"].font = styles.title
    sheet["A1"].alignment = centre
    sheet.merge_cells(f"A2:{last_col}2")
    sheet["A2"] = f"{common.committee(unit)} — {common.lower_first(result.criteria_set)}"
    sheet["A2"].font = Font(name=styles.italic.name, italic=True, size=12)
    sheet["A2"].alignment = centre
    sheet.row_dimensions[2].height = 32

    header_row = 4
    headers = [
        "Mã",
        "Tiêu chí, chỉ số",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm thống nhất",
        "Điểm thẩm định",
        "Minh chứng",
        "Ghi chú",
    ]
    for col, title in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=col, value=title)
        cell.font = bold
        cell.alignment = centre
        cell.fill = head_fill
        cell.border = border

    criteria = [r for r in result.rows if not r.is_condition]
    conditions = [r for r in result.rows if r.is_condition]
    by_code = {r.code: r for r in criteria}
    first = header_row + 1
    row_of = {item.code: first + offset for offset, item in enumerate(criteria)}
    children = _children(criteria)

    def typed(item: scores.ScoreRow, column: str) -> Decimal | None:
        return {
            "self": item.self_points,
            "consolidated": item.consolidated_points,
            "appraised": item.appraised_points,
        }[column]

    def value_of(code: str, column: str) -> float:
        """What the cell's formula gives, as Excel computes it (a text such as "chưa chấm" adds nothing)."""
        item = by_code[code]
        if item.is_group:
            parts = children.get(code, [])
            total = sum(value_of(c, column) for c in parts)
            return min(float(item.max_points or 0), total) if parts else 0.0
        value = typed(item, column)
        return 0.0 if value is None else float(value)

    for item in criteria:
        r = row_of[item.code]
        group = item.is_group
        if group:
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            sheet.cell(row=r, column=1, value=f"{item.code}. {item.name}")
        else:
            sheet.cell(row=r, column=1, value=item.code)
            sheet.cell(row=r, column=2, value=item.name + (" (điểm thưởng)" if item.bonus else ""))
        sheet.cell(row=r, column=3, value=_number(item.max_points))
        for column, letter in columns.items():
            cell = sheet[f"{letter}{r}"]
            if group:
                parts = ",".join(f"{letter}{row_of[c]}" for c in children.get(item.code, []))
                put(cell, Formula(f"=MIN(C{r},SUM({parts}))", value_of(item.code, column)) if parts else 0)
            else:  # "chưa chấm", never 0 (SUM leaves the text out)
                value = typed(item, column)
                cell.value = scores.UNSCORED if value is None else _number(value)
        sheet.cell(row=r, column=7, value="\n".join(item.evidence))
        for col in range(1, 9):
            cell = sheet.cell(row=r, column=col)
            cell.border = border
            cell.font = bold if group or item.depth == 0 else normal
            cell.alignment = centre if col in (1, 3, 4, 5, 6) and not (group and col == 1) else wrap
            if col == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="center", indent=item.depth)
            if group:
                cell.fill = group_fill

    total_row = first + len(criteria)
    tops = [r for r in criteria if r.depth == 0 and not r.bonus]
    bonus = [r for r in criteria if r.depth == 0 and r.bonus]

    def total(letter: str, column: str | None) -> Formula:
        base = f"SUM({','.join(f'{letter}{row_of[r.code]}' for r in tops)})" if tops else "0"
        if column is None:  # the maxima: the scale leaves the bonus points out
            return Formula(f"={base}", sum(float(r.max_points or 0) for r in tops))
        value = sum(value_of(r.code, column) for r in tops)
        if not bonus:
            return Formula(f"={base}", value)
        extra = f"SUM({','.join(f'{letter}{row_of[r.code]}' for r in bonus)})"
        extra_value = sum(value_of(r.code, column) for r in bonus)
        cap = result.bonus_cap
        if cap is not None:
            return Formula(f"={base}+MIN({float(cap):g},{extra})", value + min(float(cap), extra_value))
        return Formula(f"={base}+{extra}", value + extra_value)

    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    sheet.cell(row=total_row, column=1, value="TỔNG CỘNG")
    put(sheet.cell(row=total_row, column=3), total("C", None))
    for column, letter in columns.items():
        put(sheet[f"{letter}{total_row}"], total(letter, column))
    for col in range(1, 9):
        cell = sheet.cell(row=total_row, column=col)
        cell.font = bold
        cell.border = border
        cell.fill = head_fill
        cell.alignment = centre

    row = total_row + 1
    check = ["Tổng điểm theo hệ thống (đối chiếu)", None, _number(result.scale)]
    check += [_number(result.totals["self"]), _number(result.totals["consolidated"])]
    check += [
        _number(result.totals["appraised"]) if result.appraised else None,
        "Làm tròn, giới hạn điểm thưởng theo bộ tiêu chí",
        None,
    ]
    levels = ["Mức đạt chuẩn tương ứng", None, None]
    levels += [result.levels["self"] or "Chưa đạt", result.levels["consolidated"] or "Chưa đạt"]
    levels += [(result.levels["appraised"] or "Chưa đạt") if result.appraised else None, None, None]
    for values in (check, levels):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        for col, value in enumerate(values, start=1):
            if col == 2:
                continue
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = border
            cell.font = normal if values is check else bold
            cell.alignment = centre if col > 2 else wrap
        sheet.cell(row=row, column=2).border = border
        row += 1
    if conditions:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        heading = sheet.cell(row=row, column=1, value="ĐIỀU KIỆN")
        heading.font, heading.border, heading.fill, heading.alignment = bold, border, group_fill, wrap
        row += 1
        for item in conditions:
            sheet.cell(row=row, column=1, value=item.code)
            sheet.cell(row=row, column=2, value=item.name)
            sheet.cell(row=row, column=4, value=item.self_text or "")
            sheet.cell(row=row, column=5, value=item.consolidated_text or "")
            sheet.cell(row=row, column=6, value=item.appraised_text if result.appraised else "")
            sheet.cell(row=row, column=7, value="\n".join(item.evidence))
            for col in range(1, 9):
                cell = sheet.cell(row=row, column=col)
                cell.border = border
                cell.font = normal
                cell.alignment = centre if col in (1, 4, 5, 6) else wrap
            row += 1

    for col, width in enumerate([9, 60, 11, 11, 12, 12, 40, 20], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    fit_row_heights(sheet, header_row, sheet.max_row)
    print_setup(sheet, header_row=header_row, last_column=8)
    sheet.freeze_panes = sheet[f"C{first}"]
    return save_workbook(workbook)


def figure_years(unit: Unit, this_year: int) -> list[int]:
    """Every year that may hold figures: from the earliest of the plan's first year, the unit's first
    cycle and the city's first published figure, to this year."""
    plan = sources.plan_for_year(unit, this_year)
    starts = [this_year]
    if plan is not None:
        starts.append(plan.start_year)
    starts += [c.year for c in sources.unit_cycles(unit)]
    starts += [f.year for f in sources.unit_figures(unit)]
    return list(range(min(starts), this_year + 1))


def figures_workbook(unit: Unit, years: list[int], *, this_year: int | None = None) -> bytes:
    """Satisfaction (SIPAS, the city's figures) and feedback figures, one row per year with data (this
    year's row is always there, blank where nothing is recorded yet)."""
    from friendlygov.kit.tabular import write_xlsx

    header = [
        "Năm", "Chỉ số hài lòng SIPAS (%)", "Số phiếu khảo sát", "SIPAS do thành phố công bố (%)",
        "Chỉ số cải cách hành chính (%)", "Phản ánh tiếp nhận", "Đã trả lời", "Từ chối", "Trễ hạn",
        "Xử lý đúng hạn (%)", "Người phản ánh hài lòng (%)", "Trả lời đã công khai",
    ]  # fmt: skip
    current = this_year if this_year is not None else max(years, default=None)
    rows = []
    for year in years:
        sipas = sources.sipas_figure(unit, year)
        city_sipas = sources.city_figure("sipas", unit, year)
        par = sources.city_figure("par_index", unit, year)
        feedback = sources.feedback_figures(unit, year) or {}
        on_time = feedback.get("on_time") or {}
        satisfied = feedback.get("satisfaction") or {}
        responses = sources.sipas_respondents(unit, year)
        figures = [
            _number(sipas.percent) if sipas else None,
            responses or None,
            _number(city_sipas.percent) if city_sipas else None,
            _number(par.percent) if par else None,
            feedback.get("received"),
            feedback.get("answered"),
            feedback.get("rejected"),
            feedback.get("late"),
            _number(on_time.get("percent")) if on_time.get("percent") is not None else None,
            _number(satisfied.get("percent")) if satisfied.get("percent") is not None else None,
            feedback.get("published"),
        ]
        if year != current and all(v in (None, 0) for v in figures):
            continue  # a year without data
        rows.append([year, *figures])
    title = f"SỰ HÀI LÒNG VÀ PHẢN ÁNH, KIẾN NGHỊ — {unit.full_name.upper()}"
    return write_xlsx([("Số liệu", header, rows)], title=title)
