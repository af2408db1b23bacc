"""The real gaps of a year, drawn from the areas' selectors, as the reports word them ("tồn tại, hạn chế"):
the total against the registered level, the criteria that lost points, the plan's deadlines passed, too few
survey answers for the sample size, feedback handled late and the shortfalls recorded in operations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import count, points
from friendlygov.documents.kinds.scores import STAGE_TOTALS, official_text
from friendlygov.org.models import Unit
from friendlygov.rules.schedule import natural_key

TASK_WORDS = 25  # a task named in a sentence: its first words


@dataclass
class YearGaps:
    year: int
    level: Any  # assessments' LevelStanding or None
    overdue: list[Any] = field(default_factory=list)  # plans' OverdueDue
    sample: Any = None  # surveys' SampleFigure or None
    feedback_late: int = 0
    feedback_received: int = 0
    shortfalls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def below_level(self) -> bool:
        return self.level is not None and self.level.reached is False

    @property
    def small_sample(self) -> bool:
        return self.sample is not None and self.sample.reached is False


def year_gaps(unit: Unit, year: int) -> YearGaps:
    feedback = sources.feedback_figures(unit, year) or {}
    return YearGaps(
        year=year,
        level=sources.level_standing(unit, year),
        overdue=sources.overdue_dues(unit, year),
        sample=sources.sipas_sample(unit, year),
        feedback_late=int(feedback.get("late") or 0),
        feedback_received=int(feedback.get("received") or 0),
        shortfalls=sources.shortfalls(unit, year),
    )


def task_name(task: Any) -> str:
    """ "Nhiệm vụ 4 “Tổ chức thực hiện các tiêu chí …”": the task's first clause, at most a few words."""
    text = re.split(r"[:;]", str(task.text).strip(), maxsplit=1)[0].strip().rstrip(".,")
    words = text.split()
    if len(words) > TASK_WORDS:
        cut = " ".join(words[:TASK_WORDS])
        if "," in cut and cut.rindex(",") > len(cut) * 2 // 3:
            cut = cut[: cut.rindex(",")]
        text = cut.rstrip(".,") + "…"
    return f"Nhiệm vụ {task.number} “{text}”"


def level_line(gaps: YearGaps) -> str | None:
    level = gaps.level
    if level is None or level.reached is not False:
        return None
    stage = STAGE_TOTALS[level.standing.stage]
    name = (level.registered_name or f"mức độ {level.registered_code}").lower()
    if level.points_needed:
        return (
            f"Chưa đạt {name} đã đăng ký: tổng điểm {stage} còn thiếu {points(level.points_needed)} điểm so với "
            f"mức tối thiểu {points(level.registered_min)} điểm"
        )
    return f"Chưa đạt {name} đã đăng ký: tổng điểm {stage} đủ điểm nhưng chưa đáp ứng điều kiện của mức"


def criteria_line(gaps: YearGaps, limit: int = 3) -> str | None:
    """The criteria that lost most points (the counts are the scoring section's, not repeated here)."""
    level = gaps.level
    if level is None or not level.lost:
        return None
    named = "; ".join(
        f"tiêu chí {item.code} “{official_text(item.name)}” (đạt {points(item.points)}/{points(item.max_points)} "
        f"điểm)"
        for item in level.lost[:limit]
    )
    return f"Các tiêu chí bị trừ nhiều điểm nhất: {named}"


def unscored_line(gaps: YearGaps) -> str | None:
    level = gaps.level
    if level is None or not level.unscored:
        return None
    codes = ", ".join(item.code for item in level.unscored)
    return f"Còn {len(level.unscored)} tiêu chí chưa chấm điểm (tiêu chí {codes})"


def overdue_lines(gaps: YearGaps) -> list[str]:
    """One line per task with deadlines passed: the deadlines, the longest delay, the lead body."""
    by_task: dict[int, list[Any]] = {}
    for due in gaps.overdue:
        by_task.setdefault(due.task.pk, []).append(due)
    lines = []
    for dues in by_task.values():
        task = dues[0].task
        lead = f" ({task.lead_label})" if task.lead_label else ""
        dates = ", ".join(f"{due.due:%d/%m/%Y}" for due in dues)
        longest = max(due.days_overdue for due in dues)
        if len(dues) == 1:
            progress = f", tiến độ {dues[0].percent}%" if dues[0].percent else ""
            lines.append(
                f"{task_name(task)}{lead} chưa hoàn thành, quá hạn {count(longest)} ngày (hạn {dates}{progress})"
            )
        else:
            lines.append(
                f"{task_name(task)}{lead}: {len(dues)} hạn chưa hoàn thành (hạn {dates}), chậm nhất "
                f"{count(longest)} ngày"
            )
    return lines


def sample_line(gaps: YearGaps) -> str | None:
    sample = gaps.sample
    if sample is None or sample.reached is not False:
        return None
    return (
        f"Số phiếu khảo sát sự hài lòng (SIPAS) năm {sample.year} mới đạt {count(sample.respondents)}/"
        f"{count(sample.needed)} phiếu theo cỡ mẫu tối thiểu (tính trên {count(sample.transactions)} hồ sơ), còn "
        f"thiếu {count(sample.missing)} phiếu"
    )


def feedback_line(gaps: YearGaps) -> str | None:
    if not gaps.feedback_late:
        return None
    return (
        f"{count(gaps.feedback_late)}/{count(gaps.feedback_received)} phản ánh, kiến nghị chưa được xử lý đúng "
        "hạn"
    )


def shortfall_lines(gaps: YearGaps) -> list[str]:
    return [
        f"{item['name']}: {str(item.get('reason') or '').rstrip('.')}"
        + (f" ({str(item.get('status_label', '')).lower()})" if item.get("status_label") else "")
        for item in gaps.shortfalls
    ]


def gap_lines(gaps: YearGaps) -> list[str]:
    """Section III of the annual report: every gap the data shows, most important first."""
    lines = [line for line in (level_line(gaps), criteria_line(gaps), unscored_line(gaps)) if line]
    lines += overdue_lines(gaps)
    lines += [line for line in (sample_line(gaps), feedback_line(gaps)) if line]
    return lines + shortfall_lines(gaps)


def remedy_lines(gaps: YearGaps | list[YearGaps]) -> list[str]:
    """What the direction says about each gap of one year or of a period (section VI answers section III)."""
    years = gaps if isinstance(gaps, list) else [gaps]
    lines = []
    scored = [g for g in years if g.level is not None and g.level.lost]
    if scored:
        codes = ", ".join(item.code for item in scored[-1].level.lost[:3])
        lines.append(f"Tập trung khắc phục các tiêu chí còn bị trừ điểm, trước hết là tiêu chí {codes}")
    numbers = sorted({due.task.number for g in years for due in g.overdue}, key=natural_key)
    if numbers:
        lines.append(f"Hoàn thành ngay các nhiệm vụ đã quá hạn (nhiệm vụ {', '.join(numbers)})")
    small = [g for g in years if g.small_sample]
    if small:
        lines.append(
            "Tổ chức khảo sát sự hài lòng bảo đảm đủ cỡ mẫu tối thiểu "
            f"(năm {small[-1].year}: {count(small[-1].sample.needed)} phiếu)"
        )
    if any(g.feedback_late for g in years):
        lines.append("Bảo đảm tiếp nhận, xử lý phản ánh, kiến nghị đúng thời hạn")
    return lines
