"""The self-assessment and appraisal scores as a document reads them, and their tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import MODEL, NO_DATA, criteria_set_title, points, unit_label
from friendlygov.documents.render import (
    Paragraph,
    Table,
)
from friendlygov.org.models import Unit


@dataclass
class ScoreRow:
    code: str
    name: str
    depth: int
    is_group: bool
    is_condition: bool
    max_points: Decimal | None
    self_points: Decimal | None
    consolidated_points: Decimal | None
    appraised_points: Decimal | None
    self_text: str
    consolidated_text: str
    appraised_text: str
    evidence: list[str]
    bonus: bool = False


@dataclass
class Scores:
    cycle: Any
    rows: list[ScoreRow]
    scale: Decimal
    totals: dict[str, Decimal]
    levels: dict[str, str]  # column → level name ("" not achieved)
    appraised: bool
    criteria_set: str
    bonus_cap: Decimal | None = None


_PROVISIONAL = re.compile(r"\s*\((?:giả định|tạm thời|dự kiến)\)", re.IGNORECASE)


def official_text(text: str) -> str:
    """A name from a provisional criteria set without its "(giả định)" marker: the pages label the set as
    provisional; a signed document does not."""
    return _PROVISIONAL.sub("", text).strip()


def scores(unit: Unit, year: int) -> Scores | None:
    """The cycle's criteria with the three columns and the evidence list (None when no cycle)."""
    cycle = sources.cycle(unit, year)
    data = sources.cycle_data(cycle)
    if cycle is None or data is None:
        return None
    rows: list[ScoreRow] = []
    for row in sources.criterion_rows(data):
        tree = row.row
        evidence = []
        if row.is_leaf:
            for link in data.live_evidence(row.code):
                if link.evidence is not None:
                    evidence.append(link.evidence.title or link.evidence.original_name)
                elif link.note:
                    evidence.append(link.note)
        rows.append(
            ScoreRow(
                code=row.code,
                name=official_text(tree.name),
                depth=tree.depth,
                is_group=not tree.is_leaf,
                is_condition=tree.is_condition,
                max_points=tree.max_points,
                self_points=row.points.get("self"),
                consolidated_points=row.points.get("consolidated"),
                appraised_points=row.points.get("appraised"),
                self_text=row.texts.get("self", ""),
                consolidated_text=row.texts.get("consolidated", ""),
                appraised_text=row.texts.get("appraised", ""),
                evidence=evidence,
                bonus=tree.bonus,
            )
        )
    appraised = bool(cycle.final_result)
    totals: dict[str, Decimal] = {}
    levels: dict[str, str] = {}
    for column in ("self", "consolidated", "appraised"):
        result = data.result(column)
        totals[column] = result.total
        levels[column] = result.level.name if result.level else ""
    return Scores(
        cycle=cycle,
        rows=rows,
        scale=data.cs.scale,
        totals=totals,
        levels=levels,
        appraised=appraised,
        criteria_set=criteria_set_title(cycle.criteria_set),
        bonus_cap=data.cs.bonus_cap,
    )


UNSCORED = "chưa chấm"


def _row_points(row: ScoreRow, column: str) -> Decimal | None:
    return {
        "self": row.self_points,
        "consolidated": row.consolidated_points,
        "appraised": row.appraised_points,
    }[column]


def score_value(row: ScoreRow, column: str) -> str:
    """A criterion's cell: its points, a condition's verdict, "chưa chấm" when it has none (never 0)."""
    if row.is_condition:
        return {
            "self": row.self_text,
            "consolidated": row.consolidated_text,
            "appraised": row.appraised_text,
        }[column] or UNSCORED
    value = _row_points(row, column)
    return UNSCORED if value is None else points(value)


# The stage a total comes from, as the documents name it: "Tổng điểm <stage>: N điểm".
STAGE_TOTALS = {
    "self": "tự chấm",
    "consolidated": "sau khi thống nhất",
    "appraised": "thẩm định",
    "recognised": "thẩm định",
}


def standing_sentence(summary: Any) -> str:
    """The unit's total and level now, saying which stage they come from (``assessments.current_standing``
    through the cycle summary) — the same words in every document that states them."""
    level = summary.current_level_name.lower() if summary.current_level_name else "chưa đạt chuẩn"
    text = (
        f"Tổng điểm {STAGE_TOTALS[summary.current_stage]}: **{points(summary.current_total)}** điểm, tương ứng "
        f"{level}"
    )
    if summary.current_stage == "recognised":
        text += f"; đã được công nhận đạt chuẩn {MODEL} {level}"
        if summary.recognition_decision:
            text += f" (Quyết định số {summary.recognition_decision})"
    return text


def counts_sentence(summary: Any) -> str:
    """How many criteria are scored, at their maximum, below it and not scored (``criteria_counts``)."""
    counts = summary.counts
    text = (
        f"Đã chấm {counts.scored}/{counts.criteria} tiêu chí: {counts.at_maximum_count} tiêu chí đạt điểm tối "
        f"đa, {counts.below_maximum_count} tiêu chí chưa đạt điểm tối đa, {counts.unscored_count} tiêu chí "
        f"chưa chấm"
    )
    if counts.conditions:
        text += f"; {counts.conditions_answered}/{counts.conditions} điều kiện đã có kết quả"
    return text


def scoring_table(result: Scores, *, appraised: bool = False, evidence: bool = True) -> Table:
    columns = ["Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Điểm thống nhất"]
    widths = [18.0, 110.0, 22.0, 24.0, 24.0]
    if appraised:
        columns.append("Điểm thẩm định")
        widths.append(24.0)
    if evidence:
        columns.append("Minh chứng")
        widths.append(54.0 if not appraised else 30.0)
    rows: list[list[str]] = []
    for row in result.rows:
        mark = "**" if row.is_group or row.depth == 0 else ""
        name = f"{mark}{row.name}{mark}" if mark else row.name
        if row.bonus:
            name += " *(điểm thưởng)*"
        cells = [
            f"{mark}{row.code}{mark}" if mark else row.code,
            name,
            "" if row.max_points is None else points(row.max_points),
            score_value(row, "self"),
            score_value(row, "consolidated"),
        ]
        if appraised:
            cells.append(score_value(row, "appraised"))
        if evidence:
            cells.append("\n".join(f"- {e}" for e in row.evidence) if row.evidence else "")
        rows.append(cells)
    total = ["", "**Tổng cộng**", f"**{points(result.scale)}**"]
    total += [f"**{points(result.totals['self'])}**", f"**{points(result.totals['consolidated'])}**"]
    if appraised:
        total.append(f"**{points(result.totals['appraised'])}**")
    if evidence:
        total.append("")
    rows.append(total)
    level_row = ["", "**Mức đạt chuẩn tương ứng**", ""]
    level_row += [result.levels["self"] or "Chưa đạt", result.levels["consolidated"] or "Chưa đạt"]
    if appraised:
        level_row.append(result.levels["appraised"] or "Chưa đạt")
    if evidence:
        level_row.append("")
    rows.append(level_row)
    align: list[Any] = ["center", "left", "center", "center", "center"]
    if appraised:
        align.append("center")
    if evidence:
        align.append("left")
    return Table(columns=columns, rows=rows, widths=widths, align=align, font_size=12)


def group_table(result: Scores) -> Table:
    rows = []
    for index, row in enumerate([r for r in result.rows if r.depth == 0 and not r.is_condition], start=1):
        rows.append(
            [
                str(index),
                row.name,
                points(row.max_points),
                score_value(row, "self"),
                score_value(row, "consolidated"),
            ]
        )
    rows.append(
        [
            "",
            "**Tổng cộng**",
            f"**{points(result.scale)}**",
            f"**{points(result.totals['self'])}**",
            f"**{points(result.totals['consolidated'])}**",
        ]
    )
    return Table(
        columns=["STT", "Nhóm tiêu chí", "Điểm tối đa", "Tự chấm", "Thống nhất"],
        rows=rows,
        widths=[12, 83, 22, 24, 24],
        align=["center", "left", "center", "center", "center"],
    )


def no_cycle(unit: Unit, year: int) -> Paragraph:
    return Paragraph(
        f"Năm {year}, thành phố chưa mở kỳ đánh giá “Chính quyền thân thiện” cho {unit_label(unit)} nên kết quả "
        f"tự đánh giá, chấm điểm {NO_DATA}."
    )
