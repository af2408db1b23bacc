"""Step 5, submission of the self-assessment to the city."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Cycle, Registration, ScoreEntry
from friendlygov.assessments.sources import measured_value, read_source
from friendlygov.audit import services as audit
from friendlygov.org.access import Actor, Capability, require
from friendlygov.plans import services as plan_services
from friendlygov.rules.scoring import result_to_json

from .common import _check_version, _city_reviewers, _ensure_editable, _link, _notify


@transaction.atomic
def submit_cycle(
    *, actor: Actor, cycle: Cycle, acknowledge_issues: bool = False, expected_version: int | None = None
) -> Cycle:
    """The unit leader submits the self-assessment: measured figures are frozen and everything is locked.
    Quality problems must have been seen (``acknowledge_issues``) before it goes."""
    from friendlygov.assessments import selectors

    require(actor, Capability.LEAD, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _ensure_editable(cycle)
    registration = Registration.objects.filter(cycle=cycle).first()
    if registration is None:
        raise ValidationError("Đơn vị chưa đăng ký mức đạt chuẩn năm nay; hãy đăng ký trước khi nộp.")
    if registration.status == Registration.Status.CHANGES_REQUESTED:
        raise ValidationError("Thành phố yêu cầu điều chỉnh bản đăng ký; hãy đăng ký lại trước khi nộp.")
    pending = selectors.pending_proposals(cycle)
    if pending:
        raise ValidationError(
            {
                "proposals": [
                    f"Còn {len(pending)} đề xuất chấm phối hợp chưa được đầu mối chấp nhận hay không chấp nhận; "
                    "chưa thể nộp.",
                    *(selectors.pending_proposal_line(p) for p in pending),
                ]
            }
        )
    issues = selectors.quality_checks(cycle)
    if issues and not acknowledge_issues:
        raise ValidationError(
            {
                "acknowledge": f"Còn {len(issues)} vấn đề cần xem lại trước khi nộp; đánh dấu «Tôi đã xem các vấn đề» để vẫn nộp."
            }
        )
    cs = crit.parsed(cycle.criteria_set)
    for leaf in cs.leaves():
        if not leaf.source:
            continue
        entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=leaf.code).first()
        if entry is not None and entry.is_measured_decision:
            continue  # accepted or overridden by the scorer: that value goes (a later change was flagged)
        reading = read_source(leaf.source, unit=cycle.unit, year=cycle.year)
        text, ticks = measured_value(leaf, reading.figure) if reading.figure is not None else ("", [])
        if text and crit.safe_value(leaf, text) is None:
            text, ticks = "", []
        fields = {
            "value": text,
            "ticked": ticks,
            "from_source": True,
            "source_label": reading.provenance[:300],
            "source_reference": (reading.figure.reference if reading.figure else "")[:300],
            "measured_value": text,
            "measured_ticked": ticks,
            "measured_as_of": reading.figure.as_of if reading.figure else None,
            "measured_at": timezone.now(),
        }
        if entry is None:
            entry = ScoreEntry.objects.create(
                unit=cycle.unit, cycle=cycle, criterion_code=leaf.code, entered_by=actor, **fields
            )
            audit.record_create(
                actor=actor,
                unit_id=cycle.unit_id,
                obj=entry,
                note=gettext_noop("chốt số liệu đo được khi nộp"),
            )
        else:
            before = audit.snapshot(entry, ["value", "source_label"])
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.version += 1
            entry.save()
            audit.record_update(
                actor=actor,
                unit_id=cycle.unit_id,
                obj=entry,
                before=before,
                note=gettext_noop("chốt số liệu đo được khi nộp"),
            )
    old = cycle.status
    cycle.status = Cycle.Status.SUBMITTED
    cycle.submitted_at = timezone.now()
    cycle.submitted_by = actor
    cycle.version += 1
    cycle.save()
    data = selectors.load_cycle_data(cycle)
    cycle.submitted_result = result_to_json(data.result("consolidated"))
    cycle.summary = selectors.submission_summary(data)
    cycle.save(update_fields=["submitted_result", "summary"])
    note = "nộp bản tự đánh giá"
    if issues:
        note += f" (đã xem {len(issues)} vấn đề chất lượng)"
    if timezone.localdate() > cycle.submission_deadline:
        note += f"; nộp sau hạn {cycle.submission_deadline:%d/%m/%Y}"
    audit.record_transition(
        actor=actor, unit_id=cycle.unit_id, obj=cycle, field="status", old=old, new=cycle.status, note=note
    )
    plan_services.record_cycle_event(
        actor=actor,
        unit=cycle.unit,
        year=cycle.year,
        kind=plan_services.EventKind.SELF_ASSESSMENT_SUBMITTED,
        happened_on=cycle.submitted_at,
        source=f"assessments.cycle:{cycle.pk}",
        label=f"Nộp bản tự đánh giá, chấm điểm năm {cycle.year}",
        url=_link(cycle),
    )
    _notify(
        _city_reviewers(cycle.unit),
        key=f"assessments:submitted:{cycle.pk}:{cycle.version}",
        title=f"{cycle.unit.full_name} đã nộp bản tự đánh giá năm {cycle.year}",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle
