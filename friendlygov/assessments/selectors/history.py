"""The history of a criterion and of a cycle, read from the audit records in Vietnamese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    AppraisalItem,
    Cycle,
    JointProposal,
    JointReview,
    Registration,
)
from friendlygov.audit.models import AuditEvent
from friendlygov.audit.selectors import object_history
from friendlygov.org.models import Body

from .cycles import recognition_of, registration_of
from .values import CycleData

FIELD_LABELS = {
    "value": gettext_lazy("giá trị"),
    "ticked": gettext_lazy("các mục đạt"),
    "explanation": gettext_lazy("giải trình"),
    "reason": gettext_lazy("lý do"),
    "decision": gettext_lazy("kết luận"),
    "status": gettext_lazy("trạng thái"),
    "verdict": gettext_lazy("ý kiến"),
    "target_level": gettext_lazy("mức đăng ký"),
    "note": gettext_lazy("ghi chú"),
    "body_id": gettext_lazy("cơ quan"),
    "evidence_id": gettext_lazy("tệp minh chứng"),
    "removed": gettext_lazy("đã bỏ"),
    "criterion_code": gettext_lazy("tiêu chí"),
    "registration_deadline": gettext_lazy("hạn đăng ký"),
    "submission_deadline": gettext_lazy("hạn nộp"),
    "appraisal_deadline": gettext_lazy("hạn thẩm định"),
    "decision_number": gettext_lazy("số quyết định"),
    "decision_date": gettext_lazy("ngày quyết định"),
    "level_code": gettext_lazy("mức công nhận"),
    "signer": gettext_lazy("người ký"),
    "source_label": gettext_lazy("nguồn số liệu"),
    "measured_value": gettext_lazy("số liệu đo được"),
    "override_reason": gettext_lazy("lý do không dùng số liệu đo được"),
}


OBJECT_LABELS = {
    "assessments.scoreentry": gettext_lazy("Tự chấm"),
    "assessments.scoreevidence": gettext_lazy("Minh chứng"),
    "assessments.jointproposal": gettext_lazy("Đề xuất chấm phối hợp"),
    "assessments.jointreview": gettext_lazy("Ý kiến chấm phối hợp"),
    "assessments.consolidatedscore": gettext_lazy("Thống nhất điểm"),
    "assessments.appraisalitem": gettext_lazy("Thẩm định"),
    "assessments.assignment": gettext_lazy("Phân công"),
    "assessments.cycle": gettext_lazy("Kỳ đánh giá"),
    "assessments.registration": gettext_lazy("Đăng ký mức"),
    "assessments.recognition": gettext_lazy("Công nhận"),
}


STATUS_LABELS = {
    **dict(Cycle.Status.choices),
    **dict(Registration.Status.choices),
    **dict(AppraisalItem.Decision.choices),
    **dict(JointReview.Verdict.choices),
}


PROPOSAL_STATUS_LABELS = dict(JointProposal.Status.choices)  # "pending", "accepted" mean other things too


SHOWN_FIELDS = {
    "assessments.scoreentry": [
        "value",
        "ticked",
        "explanation",
        "source_label",
        "measured_value",
        "override_reason",
    ],
    "assessments.scoreevidence": ["evidence_id", "note", "removed"],
    "assessments.jointproposal": ["body_id", "value", "reason", "status"],
    "assessments.jointreview": ["body_id", "verdict", "value"],
    "assessments.consolidatedscore": ["value", "reason"],
    "assessments.appraisalitem": ["decision", "value", "reason"],
    "assessments.assignment": ["body_id"],
    "assessments.cycle": ["status", "registration_deadline", "submission_deadline", "appraisal_deadline"],
    "assessments.registration": ["target_level", "note", "status"],
    "assessments.recognition": ["decision_number", "decision_date", "signer", "level_code"],
}


@dataclass
class HistoryLine:
    at: dt.datetime
    actor_name: str
    what: str
    action: str
    changes: list[tuple[str, str, str]]
    note: str


def _show(
    value: Any,
    field_name: str,
    node: Any,
    bodies: Mapping[int, str],
    evidence: Mapping[int, str],
    object_type: str = "",
) -> str:
    if value in (None, "", []):
        return "∅"
    if field_name == "value" and node is not None:
        return crit.describe_value(node, str(value)) or str(value)
    if field_name == "body_id":
        return bodies.get(int(value), str(value))
    if field_name == "evidence_id":
        return evidence.get(int(value), f"#{value}")
    if field_name in ("status", "decision", "verdict"):
        if object_type == "assessments.jointproposal":
            return str(PROPOSAL_STATUS_LABELS.get(value, value))
        return str(STATUS_LABELS.get(value, value))
    if field_name == "removed":
        return "có" if value else "không"
    if field_name == "ticked" and isinstance(value, list):
        return ", ".join(str(int(i) + 1) for i in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _history(events: Iterable[AuditEvent], node: Any = None) -> list[HistoryLine]:
    events = list(events)
    body_ids: set[int] = set()
    evidence_ids: set[int] = set()
    for event in events:
        for key, pair in event.changes.items():
            for item in pair if isinstance(pair, list) else []:
                if isinstance(item, int) and key == "body_id":
                    body_ids.add(item)
                if isinstance(item, int) and key == "evidence_id":
                    evidence_ids.add(item)
    bodies = {b.pk: b.name for b in Body.objects.filter(pk__in=body_ids)}
    from friendlygov.evidence.models import EvidenceFile

    evidence = {e.pk: str(e) for e in EvidenceFile.objects.filter(pk__in=evidence_ids)}
    lines = []
    for event in sorted(events, key=lambda e: (e.at, e.pk)):
        shown = SHOWN_FIELDS.get(event.object_type, list(event.changes))
        changes = [
            (
                str(FIELD_LABELS.get(key, key)),
                _show(pair[0], key, node, bodies, evidence, event.object_type),
                _show(pair[1], key, node, bodies, evidence, event.object_type),
            )
            for key, pair in event.changes.items()
            if key in shown and isinstance(pair, list) and len(pair) == 2
        ]
        lines.append(
            HistoryLine(
                at=event.at,
                actor_name=event.shown_actor_name,
                what=str(OBJECT_LABELS.get(event.object_type, event.object_type)),
                action=str(event.get_action_display()),
                changes=changes,
                note=event.shown_note,
            )
        )
    return lines


def _events_for(objects: Iterable[Any]) -> QuerySet[AuditEvent]:
    combined: QuerySet[AuditEvent] | None = None
    for obj in objects:
        qs = object_history(obj_type=obj._meta.label_lower, obj_id=obj.pk)
        combined = qs if combined is None else combined | qs
    return combined if combined is not None else AuditEvent.objects.none()


def criterion_history(data: CycleData, code: str) -> list[HistoryLine]:
    """Every change to this criterion in the cycle: score, evidence, proposals, settlement, appraisal."""
    objects: list[Any] = []
    if code in data.entries:
        objects.append(data.entries[code])
    objects += data.evidence.get(code, [])
    objects += data.proposals.get(code, [])
    if code in data.consolidated:
        objects.append(data.consolidated[code])
    if code in data.appraisals:
        objects.append(data.appraisals[code])
    if code in data.assignments:
        objects.append(data.assignments[code])
    return _history(_events_for(objects), data.node(code))


def cycle_history(cycle: Cycle) -> list[HistoryLine]:
    """The steps of the file: opening, deadlines, registration, submission, return, appraisal, recognition."""
    objects: list[Any] = [cycle]
    registration = registration_of(cycle)
    if registration is not None:
        objects.append(registration)
    recognition = recognition_of(cycle)
    if recognition is not None:
        objects.append(recognition)
    return _history(_events_for(objects))
