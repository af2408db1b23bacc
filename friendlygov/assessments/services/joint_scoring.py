"""Step 4, joint scoring: proposed and settled scores of the joint session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import ConsolidatedScore, Cycle, JointProposal, JointReview, ScoreEntry
from friendlygov.assessments.permissions import Standing, criterion_permissions
from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version
from friendlygov.org.access import Actor, Capability, bodies_granted, require, users_with_roles
from friendlygov.org.models import Body, Role, Unit

from .common import _check_version, _ensure_editable, _link, _notify, _scorable, _value_text


def joint_bodies(actor: Actor, unit: Unit) -> list[Body]:
    """The bodies a joint scorer speaks for (their grants' bodies on the unit)."""
    return bodies_granted(actor, unit, Role.JOINT_SCORER)


def _joint_body(actor: Actor, cycle: Cycle, body: Body | None) -> Body:
    """The body a joint scorer speaks for: the one given (theirs), or their only one."""
    mine = joint_bodies(actor, cycle.unit)
    if body is None:
        if len(mine) > 1:
            raise ValidationError({"body": "Chọn cơ quan mà anh/chị đề xuất thay mặt."})
        body = mine[0] if mine else None
    elif mine and body not in mine:
        raise ValidationError({"body": "Anh/chị chỉ đề xuất thay mặt cơ quan của mình."})
    if body is None or body.unit_id != cycle.unit_id:
        raise ValidationError(
            {"body": "Chọn cơ quan chấm điểm phối hợp (Ủy ban MTTQ, Ban Xây dựng Đảng…) của đơn vị."}
        )
    return body


def _locked_review(cycle: Cycle, code: str, body: Body, expected_version: int | None) -> JointReview | None:
    """The body's opinion on the criterion, locked, after checking the version the page showed (0 when the
    page showed none: someone of the same body giving an opinion meanwhile is then a conflict too)."""
    review = (
        JointReview.objects.select_for_update().filter(cycle=cycle, criterion_code=code, body=body).first()
    )
    check_version(
        review if review is not None else SimpleNamespace(version=0),
        expected_version,
        message=f"Tiêu chí {code}: ý kiến của {body.name} vừa được người khác cập nhật; "
        "hãy tải lại trang để xem thay đổi rồi nhập lại.",
    )
    return review


def _save_review(
    actor: Actor,
    cycle: Cycle,
    code: str,
    body: Body,
    review: JointReview | None,
    *,
    verdict: str,
    value: str,
    proposal: JointProposal | None = None,
) -> JointReview:
    if review is None:
        review = JointReview.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=code,
            body=body,
            verdict=verdict,
            value=value,
            proposal=proposal,
            reviewed_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=review)
        return review
    before = audit.snapshot(review, ["verdict", "value", "proposal_id"])
    review.verdict, review.value, review.proposal, review.reviewed_by = verdict, value, proposal, actor
    review.version += 1
    review.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=review, before=before)
    return review


@transaction.atomic
def agree_score(
    *,
    actor: Actor,
    cycle: Cycle,
    criterion_code: str,
    body: Body | None = None,
    seen_value: str | None = None,
    expected_version: int | None = None,
) -> JointReview:
    """A joint scorer agrees with the self-assessed value of a criterion (on behalf of their body).
    ``seen_value``: the self-assessed value the page showed; agreeing to a value changed since is refused."""
    require(actor, Capability.JOINT_SCORE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    body = _joint_body(actor, cycle, body)
    review = _locked_review(cycle, criterion_code, body, expected_version)
    entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    current = entry.value if entry is not None else ""
    if not current.strip():
        raise ValidationError(
            {"agree": f"Tiêu chí {criterion_code}: chưa có điểm tự chấm để đồng ý; hãy đề xuất điểm nếu cần."}
        )
    if seen_value is not None and seen_value.strip() != current.strip():
        raise ValidationError(
            {
                "agree": f"Tiêu chí {criterion_code}: điểm tự chấm vừa đổi thành "
                f"«{crit.describe_value(node, current) or current}»; hãy xem lại rồi lưu."
            }
        )
    if review is not None and review.verdict == JointReview.Verdict.AGREE and review.value == current:
        return review
    return _save_review(
        actor, cycle, criterion_code, body, review, verdict=JointReview.Verdict.AGREE, value=current
    )


@transaction.atomic
def propose_score(
    *,
    actor: Actor,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    reason: str,
    ticked: Sequence[int] | None = None,
    body: Body | None = None,
    expected_version: int | None = None,
) -> JointProposal:
    """A joint scorer (MTTQ, Ban Xây dựng Đảng) proposes a different value with the reason; kept forever.
    ``expected_version`` is the version of the body's opinion on the criterion the page showed (0: none
    yet; None: not checked)."""
    criterion_permissions(actor, cycle, criterion_code).require(Standing.JOINT)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    body = _joint_body(actor, cycle, body)
    review = _locked_review(cycle, criterion_code, body, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Ghi lý do đề xuất điểm khác."})
    text, ticks = _value_text(node, value, ticked)
    if not text:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị đề xuất."})
    proposal = JointProposal.objects.create(
        unit=cycle.unit,
        cycle=cycle,
        criterion_code=criterion_code,
        body=body,
        value=text,
        ticked=ticks,
        reason=reason.strip(),
        proposed_by=actor,
    )
    audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=proposal)
    _save_review(
        actor,
        cycle,
        criterion_code,
        body,
        review,
        verdict=JointReview.Verdict.PROPOSE,
        value=text,
        proposal=proposal,
    )
    _notify(
        users_with_roles(cycle.unit, [Role.COORDINATOR]),
        key=f"assessments:proposal:{proposal.pk}",
        title=f"{body.name} đề xuất điểm khác cho tiêu chí {criterion_code}",
        body=reason.strip(),
        url=_link(cycle, criterion_code),
        unit=cycle.unit,
    )
    return proposal


@transaction.atomic
def settle_score(
    *,
    actor: Actor,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    reason: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> ConsolidatedScore:
    """The coordinator settles the consolidated value (after the joint scorers' proposals)."""
    criterion_permissions(actor, cycle, criterion_code).require(Standing.COORDINATE)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    text, ticks = _value_text(node, value, ticked)
    if not text:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị thống nhất."})
    entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    self_text = entry.value if entry is not None else ""
    if crit.safe_value(node, text) != crit.safe_value(node, self_text) and not reason.strip():
        raise ValidationError({"reason": "Giá trị thống nhất khác giá trị tự chấm: ghi lý do."})
    pending = list(
        JointProposal.objects.select_for_update()
        .filter(cycle=cycle, criterion_code=criterion_code, status=JointProposal.Status.PENDING)
        .select_related("body")
    )
    settled_value = crit.safe_value(node, text)
    declined = [p for p in pending if crit.safe_value(node, p.value) != settled_value]
    if declined and not reason.strip():
        names = ", ".join(dict.fromkeys(p.body.name for p in declined))
        raise ValidationError(
            {"reason": f"Giá trị thống nhất khác đề xuất của {names}: ghi lý do không chấp nhận đề xuất."}
        )
    for proposal in pending:  # settling decides the criterion's pending proposals
        _decide(actor, cycle, proposal, accept=proposal not in declined, reason=reason.strip())
    row = (
        ConsolidatedScore.objects.select_for_update()
        .filter(cycle=cycle, criterion_code=criterion_code)
        .first()
    )
    _check_version(
        row,
        expected_version,
        f"Điểm thống nhất tiêu chí {criterion_code}",
        shown=crit.describe_value(node, row.value) if row is not None else None,
    )
    if row is None:
        row = ConsolidatedScore.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=criterion_code,
            value=text,
            ticked=ticks,
            reason=reason.strip(),
            settled_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=row)
        return row
    before = audit.snapshot(row, ["value", "ticked", "reason"])
    row.value, row.ticked, row.reason, row.settled_by = text, ticks, reason.strip(), actor
    row.version += 1
    row.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=row, before=before)
    return row


def _decide(actor: Actor, cycle: Cycle, proposal: JointProposal, *, accept: bool, reason: str) -> None:
    """Mark a pending proposal accepted or declined, record it and tell the person who proposed it."""
    old = proposal.status
    proposal.status = JointProposal.Status.ACCEPTED if accept else JointProposal.Status.DECLINED
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, timezone.now(), reason
    proposal.version += 1
    proposal.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=proposal,
        field="status",
        old=old,
        new=proposal.status,
        note=reason,
    )
    if proposal.proposed_by is not None:
        verb = "chấp nhận" if accept else "không chấp nhận"
        _notify(
            [proposal.proposed_by],
            key=f"assessments:proposal-decided:{proposal.pk}",
            title=f"Đầu mối {verb} đề xuất điểm tiêu chí {proposal.criterion_code} của {proposal.body.name}",
            body=reason,
            url=_link(cycle, proposal.criterion_code),
            unit=cycle.unit,
        )


@transaction.atomic
def decide_proposal(
    *,
    actor: Actor,
    proposal: JointProposal,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> JointProposal:
    """The coordinator accepts a joint scorer's proposal (the settled value becomes the proposed one; the
    criterion's other pending proposals with another value are declined with the same reason) or declines
    it with a reason (the settled value stays)."""
    cycle = Cycle.objects.select_for_update().select_related("unit").get(pk=proposal.cycle_id)
    criterion_permissions(actor, cycle, proposal.criterion_code).require(Standing.COORDINATE)
    _ensure_editable(cycle)
    proposal = JointProposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    code, who = proposal.criterion_code, proposal.body.name
    _check_version(proposal, expected_version, f"Đề xuất của {who} cho tiêu chí {code}")
    if proposal.status != JointProposal.Status.PENDING:
        raise ValidationError(
            f"Đề xuất của {who} cho tiêu chí {code} đã được xem xét "
            f"({proposal.get_status_display().lower()}); không xem xét lại."
        )
    if accept:
        why = reason.strip() or f"Theo đề xuất của {who}: {proposal.reason}"
        settle_score(
            actor=actor,
            cycle=cycle,
            criterion_code=code,
            value=proposal.value,
            ticked=proposal.ticked,
            reason=why,
        )
    else:
        if not reason.strip():
            raise ValidationError(
                {"reason": f"Ghi lý do không chấp nhận đề xuất của {who} cho tiêu chí {code}."}
            )
        _decide(actor, cycle, proposal, accept=False, reason=reason.strip())
    proposal.refresh_from_db()
    return proposal


@dataclass(frozen=True)
class SheetRow:
    """One row of the joint scorer's sheet as typed: agree, or a proposed value with its reason (nothing:
    the row is left as it is). ``version``: the body's opinion the page showed (0: none yet);
    ``seen_value``: the self-assessed value the page showed."""

    criterion_code: str
    agree: bool = False
    value: str = ""
    reason: str = ""
    version: int | None = None
    seen_value: str | None = None

    @property
    def touched(self) -> bool:
        return self.agree or bool(self.value.strip()) or bool(self.reason.strip())


@transaction.atomic
def save_joint_sheet(
    *, actor: Actor, cycle: Cycle, rows: Sequence[SheetRow], body: Body | None = None
) -> int:
    """A joint scorer's sheet of all criteria saved at once: each touched row agrees or proposes through
    :func:`agree_score` / :func:`propose_score`; untouched rows stay as they are. All or nothing: when a
    row is wrong, nothing is saved and the error names the criterion (``{code: [messages]}``)."""
    require(actor, Capability.JOINT_SCORE, cycle.unit)
    body = _joint_body(actor, cycle, body)
    errors: dict[str, list[str]] = {}
    saved = 0
    for row in rows:
        if not row.touched:
            continue
        code = row.criterion_code
        try:
            with transaction.atomic():
                if row.agree and (row.value.strip() or row.reason.strip()):
                    raise ValidationError(
                        f"Tiêu chí {code}: chọn «đồng ý» hoặc đề xuất điểm khác, không chọn cả hai."
                    )
                if row.agree:
                    agree_score(
                        actor=actor,
                        cycle=cycle,
                        criterion_code=code,
                        body=body,
                        seen_value=row.seen_value,
                        expected_version=row.version,
                    )
                else:
                    if not row.value.strip():
                        raise ValidationError(f"Tiêu chí {code}: ghi điểm đề xuất (hoặc xóa lý do).")
                    propose_score(
                        actor=actor,
                        cycle=cycle,
                        criterion_code=code,
                        value=row.value,
                        reason=row.reason,
                        body=body,
                        expected_version=row.version,
                    )
        except ValidationError as error:
            errors[code] = [
                m if m.startswith(f"Tiêu chí {code}") else f"Tiêu chí {code}: {m}" for m in error.messages
            ]
            continue
        saved += 1
    if errors:
        raise ValidationError(errors)
    return saved
