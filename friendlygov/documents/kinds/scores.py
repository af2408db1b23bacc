"""The self-assessment and appraisal scores as a document reads them, and their tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

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
    group: str = ""  # the code of its top-level group
    target: Decimal | None = None  # a ratio's rate for full points
    measured: bool = False  # its value comes from a measured figure (its own evidence)


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
    bonus: dict[str, Decimal] = field(default_factory=dict)  # column → the bonus counted (after the cap)


_PROVISIONAL = re.compile(r"\s*\((?:giả định|tạm thời|dự kiến)\)", re.IGNORECASE)


def official_text(text: str) -> str:
    """A name from a provisional criteria set without its "(giả định)" marker: the pages label the set as
    provisional; a signed document does not."""
    return _PROVISIONAL.sub("", text).strip()


_NOT_SCANNED = re.compile(r"\s*[,;]?\s*chưa (?:được )?(?:quét|scan)\b", re.IGNORECASE)


def paper_evidence(note: str) -> str:
    """Proof recorded on paper only (a description, no file), as a signed document shows it: "… (bản giấy)",
    without the pages' "chưa quét" aside."""
    text = official_text(_NOT_SCANNED.sub("", note)).replace("()", "").strip()
    return text if "bản giấy" in text.lower() else f"{text} (bản giấy)"


def scores(unit: Unit, year: int) -> Scores | None:
    """The cycle's criteria with the three columns and the evidence list (None when no cycle)."""
    cycle = sources.cycle(unit, year)
    data = sources.cycle_data(cycle)
    if cycle is None or data is None:
        return None
    rows: list[ScoreRow] = []
    group = ""
    for row in sources.criterion_rows(data):
        tree = row.row
        if tree.depth == 0:
            group = tree.code
        node = tree.criterion
        evidence = []
        if row.is_leaf:
            for link in data.live_evidence(row.code):
                if link.evidence is not None:
                    evidence.append(official_text(link.evidence.title or link.evidence.original_name))
                elif link.note:
                    evidence.append(paper_evidence(link.note))
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
                group=group,
                target=node.target if node is not None else None,
                measured=bool(node.source) if node is not None else False,
            )
        )
    appraised = bool(cycle.final_result)
    totals: dict[str, Decimal] = {}
    bonus: dict[str, Decimal] = {}
    levels: dict[str, str] = {}
    for column in ("self", "consolidated", "appraised"):
        result = data.result(column)
        totals[column] = result.total
        bonus[column] = result.bonus
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
        bonus=bonus,
    )


UNSCORED = "chưa chấm"


def row_points(row: ScoreRow, column: str) -> Decimal | None:
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
    value = row_points(row, column)
    return UNSCORED if value is None else points(value)


# The stage a total comes from, as the documents name it: "Tổng điểm <stage>: N điểm".
STAGE_TOTALS = {
    "self": "tự chấm",
    "consolidated": "sau khi thống nhất",
    "appraised": "thẩm định",
    "recognised": "thẩm định",
}


# the same, in the reader's language (warnings shown on the pages)
STAGE_WORDS = {
    "self": gettext_lazy("tự chấm"),
    "consolidated": gettext_lazy("sau khi thống nhất"),
    "appraised": gettext_lazy("thẩm định"),
    "recognised": gettext_lazy("thẩm định"),
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


COLUMN_TITLES = {"self": "Điểm tự chấm", "consolidated": "Điểm thống nhất", "appraised": "Điểm thẩm định"}


def table_columns(result: Scores) -> list[str]:
    """The score columns a table shows: self, consolidated, and appraised once the city has appraised."""
    return ["self", "consolidated", "appraised"] if result.appraised else ["self", "consolidated"]


def _sum_shown(rows: list[ScoreRow], column: str) -> Decimal:
    """The sum of the figures as the rows show them (rounded; "chưa chấm" adds nothing)."""
    return sum((row_points(r, column) or Decimal(0) for r in rows), Decimal(0))


def total_rows(result: Scores, columns: list[str], *, trail: int = 0) -> list[list[str]]:
    """The lines under the groups that make the arithmetic visible: without bonus criteria one "Tổng cộng"
    (the scale); with them "Cộng điểm các nhóm tiêu chí" (the scale), then the bonus criteria rows, then
    "Tổng cộng (kể cả điểm thưởng)" whose maximum is the scale plus the bonus cap. ``trail``: empty cells after
    the scores. The bonus rows themselves are the caller's."""
    groups = [r for r in result.rows if r.depth == 0 and not r.is_condition and not r.bonus]
    bonus = [r for r in result.rows if r.depth == 0 and r.bonus]

    def line(name: str, maximum: Decimal, values: list[Decimal]) -> list[str]:
        return [
            "",
            f"**{name}**",
            f"**{points(maximum)}**",
            *[f"**{points(v)}**" for v in values],
            *[""] * trail,
        ]

    group_max = sum((r.max_points or Decimal(0) for r in groups), Decimal(0))
    if not bonus:
        return [line("Tổng cộng", group_max, [result.totals[c] for c in columns])]
    base = [result.totals[c] - result.bonus[c] for c in columns]
    return [line("Cộng điểm các nhóm tiêu chí", group_max, base)]


def bonus_total_rows(result: Scores, columns: list[str], *, trail: int = 0) -> list[list[str]]:
    """After the bonus criteria rows: the bonus counted when a cap cuts it, then the total with the bonus."""
    bonus = [r for r in result.rows if r.depth == 0 and r.bonus]
    if not bonus:
        return []
    groups = [r for r in result.rows if r.depth == 0 and not r.is_condition and not r.bonus]
    cap = result.bonus_cap if result.bonus_cap is not None else Decimal(0)
    rows_max = sum((r.max_points or Decimal(0) for r in bonus), Decimal(0))
    out = []
    counted = [result.bonus[c] for c in columns]
    if rows_max != cap or any(_sum_shown(bonus, c) != result.bonus[c] for c in columns):
        out.append(
            [
                "",
                f"**Điểm thưởng được tính (tối đa {points(cap)} điểm)**",
                f"**{points(cap)}**",
                *[f"**{points(v)}**" for v in counted],
                *[""] * trail,
            ]
        )
    group_max = sum((r.max_points or Decimal(0) for r in groups), Decimal(0))
    out.append(
        [
            "",
            "**Tổng cộng (kể cả điểm thưởng)**",
            f"**{points(group_max + cap)}**",
            *[f"**{points(result.totals[c])}**" for c in columns],
            *[""] * trail,
        ]
    )
    return out


def rounding_note(result: Scores, columns: list[str]) -> Paragraph | None:
    """Said under a table only when the rounded rows do not add up to the rounded total exactly."""
    groups = [r for r in result.rows if r.depth == 0 and not r.is_condition and not r.bonus]
    for column in columns:
        if _sum_shown(groups, column) != result.totals[column] - result.bonus[column]:
            return Paragraph(
                "*Ghi chú: điểm của mỗi tiêu chí, nhóm tiêu chí làm tròn đến hai chữ số thập phân; tổng điểm tính "
                "từ điểm chưa làm tròn nên có thể chênh lệch 0,01 điểm so với cộng các dòng.*",
                first_line_indent=False,
            )
    return None


def _ordered(result: Scores) -> tuple[list[ScoreRow], list[ScoreRow], list[ScoreRow]]:
    """The rows in three runs: the groups with their criteria, the bonus criteria, the conditions."""
    main: list[ScoreRow] = []
    bonus: list[ScoreRow] = []
    conditions: list[ScoreRow] = []
    current = main
    for row in result.rows:
        if row.depth == 0:
            current = conditions if row.is_condition else bonus if row.bonus else main
        current.append(row)
    return main, bonus, conditions


def scoring_table(result: Scores, *, evidence: bool = True) -> Table:
    """Every criterion of the set, with the columns of :func:`table_columns`, the totals and the level."""
    columns = table_columns(result)
    titles = ["Mã", "Tiêu chí", "Điểm tối đa", *[COLUMN_TITLES[c] for c in columns]]
    widths = [18.0, 110.0 if len(columns) == 2 else 96.0, 22.0, *[24.0] * len(columns)]
    if evidence:
        titles.append("Minh chứng")
        widths.append(54.0 if len(columns) == 2 else 44.0)
    trail = 1 if evidence else 0

    def cells(row: ScoreRow) -> list[str]:
        mark = "**" if row.is_group or row.depth == 0 else ""
        name = f"{mark}{row.name}{mark}" if mark else row.name
        if row.bonus:
            name += " *(điểm thưởng)*"
        out = [
            f"{mark}{row.code}{mark}" if mark else row.code,
            name,
            "" if row.max_points is None else points(row.max_points),
            *[score_value(row, c) for c in columns],
        ]
        if evidence:
            out.append("\n".join(f"- {e}" for e in row.evidence) if row.evidence else "")
        return out

    main, bonus, conditions = _ordered(result)
    rows = [cells(r) for r in main]
    rows += total_rows(result, columns, trail=trail)
    rows += [cells(r) for r in bonus]
    rows += bonus_total_rows(result, columns, trail=trail)
    rows += [cells(r) for r in conditions]
    rows.append(
        ["", "**Mức đạt chuẩn tương ứng**", "", *[result.levels[c] or "Chưa đạt chuẩn" for c in columns]]
        + [""] * trail
    )
    align: list[Any] = ["center", "left", "center", *["center"] * len(columns)]
    if evidence:
        align.append("left")
    return Table(columns=titles, rows=rows, widths=widths, align=align, font_size=12)


def group_table(result: Scores) -> Table:
    """The groups as numbered in the set (the appendix's codes), their sum, the bonus and the total."""
    columns = table_columns(result)
    short = {"self": "Tự chấm", "consolidated": "Thống nhất", "appraised": "Thẩm định"}

    def cells(row: ScoreRow) -> list[str]:
        name = f"{row.name} (điểm thưởng)" if row.bonus else row.name
        return [row.code, name, points(row.max_points), *[score_value(row, c) for c in columns]]

    groups = [r for r in result.rows if r.depth == 0 and not r.is_condition and not r.bonus]
    bonus = [r for r in result.rows if r.depth == 0 and r.bonus]
    rows = [cells(r) for r in groups]
    rows += total_rows(result, columns)
    rows += [cells(r) for r in bonus]
    rows += bonus_total_rows(result, columns)
    name_width = 83 if len(columns) == 2 else 63
    align: list[Any] = ["center", "left", "center", *["center"] * len(columns)]
    return Table(
        columns=["STT", "Nhóm tiêu chí", "Điểm tối đa", *[short[c] for c in columns]],
        rows=rows,
        widths=[12, name_width, 22, *[24] * len(columns)],
        align=align,
    )


@dataclass
class Outlook:
    """What the tờ trình of a year will say: ``proposes`` recognition at the registered level (its name in
    ``level``) only when the current standing reaches it; ``warnings`` tell the person making it why not."""

    proposes: bool
    level: str  # the registered level's name ("" when nothing is registered)
    summary: Any = None
    warnings: list[str] = field(default_factory=list)


def submission_outlook(unit: Unit, year: int) -> Outlook:
    """Read from the cycle summary (``assessments.current_standing``): never recomputed here."""
    summary = sources.cycle_summary(unit, year)
    if summary is None:
        return Outlook(False, "", None, [])
    level = summary.target_level_name
    if summary.target_reached:
        return Outlook(True, level, summary, [])
    stage = str(STAGE_WORDS[summary.current_stage])
    reached = summary.current_level_name.lower() if summary.current_level_name else gettext("chưa đạt chuẩn")
    if not summary.target_level:
        warning = gettext(
            "Năm %(year)s chưa đăng ký mức đạt chuẩn: tờ trình sẽ báo cáo kết quả tự đánh giá, không đề nghị "
            "công nhận."
        ) % {"year": year}
    else:
        warning = gettext(
            "Tổng điểm %(stage)s %(total)s điểm (%(reached)s) chưa đạt mức đăng ký %(level)s (từ %(min)s "
            "điểm): tờ trình sẽ báo cáo kết quả tự đánh giá, không đề nghị công nhận."
        ) % {
            "stage": stage,
            "total": points(summary.current_total),
            "reached": reached,
            "level": level.lower(),
            "min": points(summary.target_min_total),
        }
    return Outlook(False, level, summary, [warning])


def no_cycle(unit: Unit, year: int) -> Paragraph:
    return Paragraph(
        f"Năm {year}, thành phố chưa mở kỳ đánh giá “Chính quyền thân thiện” cho {unit_label(unit)} nên kết quả "
        f"tự đánh giá, chấm điểm {NO_DATA}."
    )
