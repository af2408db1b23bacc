"""The events of the yearly cycle that show a plan task done, and how a task's text proposes them.

An appendix task ("Xây dựng báo cáo tự đánh giá… trước ngày 12/11 hằng năm") is bound to the event(s)
of the programme that prove it done (the self-assessment submitted). A task bound to one-off events is
done in a year when each of them happened that year; a task bound to activities (communication work,
village reviews) is done when the year's activities reach the yearly count staff set.

Pure: no Django, no database. The plans area stores the binding and the events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from friendlygov.rules.text import normalize_vi

TARGET_REGISTERED: Final = "target_registered"
PLAN_ISSUED: Final = "plan_issued"
SELF_ASSESSMENT_SUBMITTED: Final = "self_assessment_submitted"
SELF_ASSESSMENT_REPORT: Final = "self_assessment_report"
REWARDS_DECIDED: Final = "rewards_decided"
ANNUAL_REPORT_ISSUED: Final = "annual_report_issued"
REVIEW_ISSUED: Final = "review_issued"
COMMUNICATION_ACTIVITY: Final = "communication_activity"
VILLAGE_REVIEW: Final = "village_review"
BUDGET_ESTIMATE: Final = "budget_estimate"
SERVICE_FIGURES_IMPORTED: Final = "service_figures_imported"

# Events a task can be bound to, in the order of the cycle.
BINDABLE: Final[tuple[str, ...]] = (
    PLAN_ISSUED,
    TARGET_REGISTERED,
    COMMUNICATION_ACTIVITY,
    VILLAGE_REVIEW,
    SERVICE_FIGURES_IMPORTED,
    BUDGET_ESTIMATE,
    SELF_ASSESSMENT_SUBMITTED,
    REWARDS_DECIDED,
    ANNUAL_REPORT_ISSUED,
    REVIEW_ISSUED,
)
# Counted against the yearly count; every other bindable event happens once a year.
ACTIVITY_KINDS: Final = frozenset({COMMUNICATION_ACTIVITY, VILLAGE_REVIEW})
# Events that never complete a task themselves but are evidence of another one (the issued
# self-assessment report is the evidence of the submitted self-assessment).
EVIDENCE_FOR: Final[Mapping[str, str]] = {SELF_ASSESSMENT_REPORT: SELF_ASSESSMENT_SUBMITTED}
ALL_KINDS: Final[tuple[str, ...]] = (*BINDABLE, *EVIDENCE_FOR)


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(pattern, text) for pattern in patterns)


def propose_event_kinds(text: str, lead: str = "") -> tuple[str, ...]:
    """The events that would show the task done, read from its text and lead body (the order of
    BINDABLE); empty when none fits (the task keeps hand-recorded progress)."""
    words = normalize_vi(text)
    lead_words = normalize_vi(lead)
    found: set[str] = set()
    if _has(words, r"\bso ket\b", r"\btong ket\b"):
        found.add(REVIEW_ISSUED)
    if _has(words, r"\btu danh gia\b"):
        found.add(SELF_ASSESSMENT_SUBMITTED)
    elif _has(words, r"^bao cao ket qua\b", r"\bbao cao ket qua (trien khai|thuc hien)\b"):
        found.add(ANNUAL_REPORT_ISSUED)
    if _has(words, r"\bkhen thuong\b"):
        found.add(REWARDS_DECIDED)
    if _has(words, r"\b(xay dung|ban hanh) ke hoach\b") and not found & {REVIEW_ISSUED}:
        found.add(PLAN_ISSUED)
    if _has(words, r"\bdang ky muc\b", r"\bdang ky dat chuan\b"):
        found.add(TARGET_REGISTERED)
    if _has(words, r"\bdu toan\b", r"\bbo tri kinh phi\b"):
        found.add(BUDGET_ESTIMATE)
    if _has(words, r"\btrung tam phuc vu hanh chinh cong\b", r"\bthu tuc hanh chinh\b") or _has(
        lead_words, r"\btrung tam phuc vu\b"
    ):
        found.add(SERVICE_FIGURES_IMPORTED)
    if _has(words, r"^tuyen truyen\b", r"\btuyen truyen, pho bien\b"):
        found.add(COMMUNICATION_ACTIVITY)
    if _has(words, r"\bthon\b") and _has(
        words, r"\bbinh xet\b", r"\bthon van hoa\b", r"\bdanh hieu van hoa\b", r"\bdoi song van hoa\b"
    ):
        found.add(VILLAGE_REVIEW)
    return tuple(kind for kind in BINDABLE if kind in found)


def clean_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The bindable kinds among ``kinds``, each once, in the cycle's order; ValueError on an unknown one."""
    wanted = set()
    for kind in kinds:
        if kind not in BINDABLE:
            raise ValueError(kind)
        wanted.add(kind)
    return tuple(kind for kind in BINDABLE if kind in wanted)


@dataclass(frozen=True)
class BindingState:
    done: bool
    percent: int  # 0–100; 100 only when done
    missing: tuple[str, ...]  # bound kinds not yet satisfied this year


def binding_state(kinds: Sequence[str], counts: Mapping[str, int], yearly_count: int) -> BindingState:
    """How far a year's occurrence is, from the number of events of each bound kind that year: every
    one-off kind needs one, every activity kind ``yearly_count``; the percentage is the mean share
    (rounded down, so it reaches 100 only when everything happened)."""
    if not kinds:
        return BindingState(False, 0, ())
    target = max(1, yearly_count)
    shares: list[float] = []
    missing: list[str] = []
    for kind in kinds:
        have = max(0, counts.get(kind, 0))
        need = target if kind in ACTIVITY_KINDS else 1
        shares.append(min(have, need) / need)
        if have < need:
            missing.append(kind)
    if not missing:
        return BindingState(True, 100, ())
    percent = min(99, int(sum(shares) * 100 // len(shares)))
    return BindingState(False, percent, tuple(missing))
