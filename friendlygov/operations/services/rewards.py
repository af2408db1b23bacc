"""Writes of the rewards registers: nominations, council meetings and votes, reward decisions, good practices, shortfalls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import (
    CommunicationActivity,
    CouncilMeeting,
    CouncilMember,
    CouncilVote,
    GoodPractice,
    Nomination,
    RewardDecision,
    RewardForm,
    Shortfall,
    VoteChoice,
)
from friendlygov.operations.tally import tally
from friendlygov.org.access import Actor, Capability, can, require
from friendlygov.org.models import Body, Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import normalize_vi

from .common import (
    _check_upload,
    _choice,
    _create,
    _date,
    _lock,
    _own_body,
    _own_task,
    _save_update,
    _store,
    _text,
    _today,
    _year_in_range,
)


def _nomination_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    kind = _choice(
        str(fields.get("nominee_kind") or ""), Nomination.NomineeKind, "nominee_kind", _("đối tượng")
    )
    body = _own_body(unit, fields.get("body"), required=False)
    name = _text(
        fields.get("nominee_name"),
        "nominee_name",
        _("tên cá nhân, tập thể"),
        required=body is None,
        max_length=200,
    )
    if not name and body is not None:
        name = body.name
    return {
        "nominee_kind": kind,
        "nominee_name": name,
        "position_title": _text(
            fields.get("position_title"), "position_title", _("chức vụ"), required=False, max_length=200
        ),
        "body": body,
        "achievements": _text(fields.get("achievements"), "achievements", _("thành tích")),
        "proposed_form": _choice(
            str(fields.get("proposed_form") or ""), RewardForm, "proposed_form", _("hình thức đề nghị")
        ),
    }


def _links(unit: Unit, activities: Iterable[Any], tasks: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    activities, tasks = list(activities), list(tasks)
    if any(a.unit_id != unit.pk for a in activities):
        raise ValidationError({"activities": _("Có hoạt động không thuộc đơn vị này.")})
    for task in tasks:
        _own_task(unit, task, "tasks")
    return activities, tasks


@transaction.atomic
def nominate(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    proposed_by_body: Body,
    activities: Iterable[CommunicationActivity] = (),
    tasks: Iterable[Any] = (),
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> Nomination:
    """A proposal to reward (nominee_kind, nominee_name, position_title, body, achievements, proposed_form),
    made by a body the actor works for, linked to activities, plan tasks and evidence files."""
    require(actor, Capability.READ, unit)
    proposer = _own_body(unit, proposed_by_body, "proposed_by_body")
    if not can(actor, Capability.WORK, unit, body=proposer):
        raise PermissionDenied
    year = _year_in_range(year)
    values = _nomination_fields(unit, fields)
    acts, task_list = _links(unit, activities, tasks)
    for upload in uploads:
        _check_upload(upload, "uploads")
    nomination = _create(
        actor, Nomination(unit=unit, year=year, proposed_by_body=proposer, created_by=actor, **values)
    )
    nomination.activities.set(acts)
    nomination.tasks.set(task_list)
    for upload in uploads:
        nomination.evidence.add(
            _store(
                actor,
                unit,
                upload,
                body=proposer,
                effective_date=_today(),
                title=f"Thành tích: {nomination.nominee_name}"[:300],
                field="uploads",
            )
        )
    _audit_links(actor, nomination, {})
    return nomination


def may_edit_nomination(user: Any, nomination: Nomination) -> bool:
    return nomination.status == Nomination.Status.PROPOSED and can(
        user, Capability.WORK, nomination.unit, body=nomination.proposed_by_body
    )


@transaction.atomic
def update_nomination(
    *,
    actor: Actor,
    nomination: Nomination,
    expected_version: int | None,
    activities: Iterable[CommunicationActivity] | None = None,
    tasks: Iterable[Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> Nomination:
    unit = nomination.unit
    perms.require_that(actor, unit, can(actor, Capability.WORK, unit, body=nomination.proposed_by_body))
    nomination = _lock(nomination)
    _check_version(nomination, expected_version)
    if nomination.status != Nomination.Status.PROPOSED:
        raise ValidationError(_("Đề nghị đã được Hội đồng xét: không sửa được nữa."))
    merged = {
        n: getattr(nomination, n)
        for n in ("nominee_kind", "nominee_name", "position_title", "body", "achievements", "proposed_form")
    } | fields
    values = _nomination_fields(unit, merged)
    acts, task_list = _links(unit, activities or [], tasks or [])
    for upload in uploads:
        _check_upload(upload, "uploads")
    before = audit.snapshot(nomination)
    links_before = _links_of(nomination)
    for name, value in values.items():
        setattr(nomination, name, value)
    _save_update(actor, nomination, before)
    if activities is not None:
        nomination.activities.set(acts)
    if tasks is not None:
        nomination.tasks.set(task_list)
    for upload in uploads:
        nomination.evidence.add(
            _store(
                actor,
                unit,
                upload,
                body=nomination.proposed_by_body,
                effective_date=_today(),
                title=f"Thành tích: {nomination.nominee_name}"[:300],
                field="uploads",
            )
        )
    _audit_links(actor, nomination, links_before)
    return nomination


def _audit_links(actor: Actor, nomination: Nomination, before: dict[str, list[int]]) -> None:
    after = _links_of(nomination)
    changes = {k: [before.get(k, []), v] for k, v in after.items() if before.get(k, []) != v}
    if changes:
        audit.record(
            actor=actor,
            unit_id=nomination.unit_id,
            action="update",
            obj=nomination,
            changes=changes,
            note="hoạt động, nhiệm vụ, minh chứng của thành tích",
        )


def _links_of(nomination: Nomination) -> dict[str, list[int]]:
    return {
        "activity_ids": sorted(nomination.activities.values_list("pk", flat=True)),
        "task_ids": sorted(nomination.tasks.values_list("pk", flat=True)),
        "evidence_ids": sorted(nomination.evidence.values_list("pk", flat=True)),
    }


def _fresh(nominations: Iterable[Nomination]) -> list[Nomination]:
    """The nominations as they are now in the database (locked), whatever the caller holds."""
    ids = [n.pk for n in nominations]
    return list(Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def parse_members(text: str) -> list[tuple[str, str]]:
    """Council members, one a line: "Họ tên — chức vụ" (or "Họ tên, chức vụ")."""
    members = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*").strip()
        if not line:
            continue
        parts = re.split(r"\s+[—–-]\s+|,\s*", line, maxsplit=1)
        name = parts[0].strip()
        title = parts[1].strip() if len(parts) > 1 else ""
        members.append((name[:200], title[:200]))
    return members


@transaction.atomic
def hold_council_meeting(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    held_on: dt.date,
    members: Sequence[tuple[str, str]],
    nominations: Iterable[Nomination],
    place: str = "",
    chair: str = "",
    note: str = "",
    minutes: UploadedFile | None = None,
) -> CouncilMeeting:
    """Record a meeting of the emulation and reward council: its members and the nominations it reviews."""
    require(actor, Capability.COORDINATE, unit)
    year = _year_in_range(year)
    held_on_date = _date(held_on, "held_on", _("ngày họp"))
    assert held_on_date is not None
    members = [(n.strip(), t.strip()) for n, t in members if n.strip()]
    if len(members) < 3:
        raise ValidationError(
            {"members": _("Hội đồng cần ít nhất 3 thành viên (mỗi dòng một người: «Họ tên — chức vụ»).")}
        )
    names = [normalize_vi(n) for n, _t in members]
    if len(set(names)) != len(names):
        raise ValidationError({"members": _("Danh sách thành viên có người bị lặp.")})
    chosen = _fresh(nominations)
    if not chosen:
        raise ValidationError({"nominations": _("Chọn ít nhất một đề nghị khen thưởng để Hội đồng xét.")})
    for n in chosen:
        if n.unit_id != unit.pk or n.year != year:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» không thuộc năm %(y)s của đơn vị.") % {"n": n, "y": year}}
            )
        if n.status == Nomination.Status.AWARDED:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» đã có quyết định khen thưởng.") % {"n": n}}
            )
    if minutes is not None:
        _check_upload(minutes, "minutes")
    meeting = CouncilMeeting(
        unit=unit,
        year=year,
        held_on=held_on_date,
        place=_text(place, "place", _("địa điểm"), required=False, max_length=300),
        chair=_text(chair, "chair", _("chủ trì"), required=False, max_length=200),
        note=(note or "").strip(),
        created_by=actor,
    )
    if minutes is not None:
        meeting.minutes = _store(
            actor,
            unit,
            minutes,
            body=None,
            effective_date=held_on_date,
            title=f"Biên bản họp Hội đồng Thi đua - Khen thưởng ngày {held_on_date:%d/%m/%Y}",
            field="minutes",
        )
    member_list = "; ".join(f"{n} — {t}" if t else n for n, t in members)
    _create(
        actor,
        meeting,
        note=f"Thành viên: {member_list}. Xét: {', '.join(n.nominee_name for n in chosen)}"[:2000],
    )
    for position, (name, title) in enumerate(members, start=1):
        CouncilMember.objects.create(meeting=meeting, name=name, position_title=title, position=position)
    meeting.nominations.set(chosen)
    return meeting


@transaction.atomic
def record_votes(
    *,
    actor: Actor,
    meeting: CouncilMeeting,
    nomination: Nomination,
    votes: Mapping[int, str],
    expected_version: int | None,
) -> Nomination:
    """The coordinator records each member's vote (member id → for/against/abstain/absent) on a nomination;
    the nomination passes when more than half of the council's members vote for it."""
    unit = meeting.unit
    require(actor, Capability.COORDINATE, unit)
    if not meeting.nominations.filter(pk=nomination.pk).exists():
        raise ValidationError(_("Đề nghị này không thuộc phiên họp."))
    nomination = _lock(nomination)
    _check_version(nomination, expected_version)
    if nomination.status == Nomination.Status.AWARDED:
        raise ValidationError(_("Đề nghị đã có quyết định khen thưởng: không sửa biểu quyết được."))
    members = {m.pk: m for m in meeting.members.all()}
    missing = [m.name for pk, m in members.items() if pk not in votes]
    if missing:
        raise ValidationError({"votes": _("Chưa ghi biểu quyết của %(m)s.") % {"m": missing[0]}})
    for member_id, choice in votes.items():
        if member_id not in members:
            raise ValidationError({"votes": _("Có người biểu quyết không thuộc Hội đồng.")})
        if choice not in VoteChoice.values:
            raise ValidationError(
                {"votes": _("Biểu quyết của %(m)s không hợp lệ.") % {"m": members[member_id].name}}
            )
    for member_id, choice in votes.items():
        CouncilVote.objects.update_or_create(
            meeting=meeting, nomination=nomination, member_id=member_id, defaults={"choice": choice}
        )
    result = tally(list(votes.values()), members=len(members))
    with translation.override("vi"):  # the audit note stays Vietnamese whatever the reader's language
        ballot = "; ".join(f"{members[m].name}: {VoteChoice(c).label}" for m, c in votes.items())
    old = nomination.status
    nomination.status = Nomination.Status.PASSED if result.passed else Nomination.Status.NOT_PASSED
    nomination.version += 1
    nomination.save(update_fields=["status", "version", "updated_at"])
    audit.record_transition(
        actor=actor,
        unit_id=unit.pk,
        obj=nomination,
        field="status",
        old=old,
        new=nomination.status,
        note=f"Hội đồng họp ngày {meeting.held_on:%d/%m/%Y}: {result.summary}. Biểu quyết: {ballot}",
    )
    return nomination


@transaction.atomic
def record_reward_decision(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    number: str,
    signed_on: dt.date,
    reward_form: str,
    nominations: Iterable[Nomination],
    signer: str = "",
    upload: UploadedFile | None = None,
) -> RewardDecision:
    """The reward decision (number, date, file, form) for nominations the council passed."""
    perms.require_that(actor, unit, perms.may_decide_rewards(actor, unit))
    year = _year_in_range(year)
    number = _text(number, "number", _("số quyết định"), max_length=60)
    if RewardDecision.objects.filter(unit=unit, year=year, number__iexact=number).exists():
        raise ValidationError(
            {"number": _("Năm %(y)s đã có quyết định số «%(n)s».") % {"y": year, "n": number}}
        )
    signed = _date(signed_on, "signed_on", _("ngày ký"), not_future=True)
    assert signed is not None
    reward_form = _choice(reward_form, RewardForm, "reward_form", _("hình thức khen thưởng"))
    chosen = _fresh(nominations)
    if not chosen:
        raise ValidationError({"nominations": _("Chọn ít nhất một cá nhân, tập thể được khen thưởng.")})
    for n in chosen:
        if n.unit_id != unit.pk or n.year != year:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» không thuộc năm %(y)s của đơn vị.") % {"n": n, "y": year}}
            )
        if n.status != Nomination.Status.PASSED:
            raise ValidationError(
                {
                    "nominations": _("«%(n)s» chưa được Hội đồng Thi đua - Khen thưởng đề nghị khen thưởng.")
                    % {"n": n}
                }
            )
    if upload is not None:
        _check_upload(upload, "upload")
    decision = RewardDecision(
        unit=unit,
        year=year,
        number=number,
        signed_on=signed,
        reward_form=reward_form,
        signer=_text(signer, "signer", _("người ký"), required=False, max_length=200),
        created_by=actor,
    )
    if upload is not None:
        decision.file = _store(
            actor,
            unit,
            upload,
            body=None,
            effective_date=signed,
            title=f"Quyết định khen thưởng số {number}",
            field="upload",
        )
    _create(actor, decision)
    plan_services.record_cycle_event(
        actor=actor,
        unit=unit,
        year=year,
        kind=plan_services.EventKind.REWARDS_DECIDED,
        happened_on=signed,
        source=f"operations.reward_decision:{decision.pk}",
        label=f"Quyết định khen thưởng số {decision.number} ngày {signed:%d/%m/%Y}",
        url=reverse("operations:rewards", kwargs={"slug": unit.slug}),
        evidence=decision.file,
    )
    for n in chosen:
        old = n.status
        n.status, n.decision = Nomination.Status.AWARDED, decision
        n.version += 1
        n.save(update_fields=["status", "decision", "version", "updated_at"])
        audit.record_transition(
            actor=actor,
            unit_id=unit.pk,
            obj=n,
            field="status",
            old=old,
            new=n.status,
            note=f"Quyết định {decision}",
        )
    return decision


def _practice_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    nomination, activity = fields.get("nomination"), fields.get("activity")
    if nomination is not None and nomination.unit_id != unit.pk:
        raise ValidationError({"nomination": _("Đề nghị không thuộc đơn vị này.")})
    if activity is not None and activity.unit_id != unit.pk:
        raise ValidationError({"activity": _("Hoạt động không thuộc đơn vị này.")})
    return {
        "title": _text(fields.get("title"), "title", _("tiêu đề"), max_length=300),
        "summary": _text(fields.get("summary"), "summary", _("nội dung công khai")),
        "body": _own_body(unit, fields.get("body"), required=False),
        "nomination": nomination,
        "activity": activity,
    }


@transaction.atomic
def add_good_practice(*, actor: Actor, unit: Unit, year: int, **fields: Any) -> GoodPractice:
    """An example of good practice (title, summary — the public text —, body, nomination, activity); not
    public until published."""
    perms.require_that(actor, unit, perms.may_publicise(actor, unit))
    year = _year_in_range(year)
    return _create(
        actor, GoodPractice(unit=unit, year=year, created_by=actor, **_practice_fields(unit, fields))
    )


@transaction.atomic
def update_good_practice(
    *, actor: Actor, practice: GoodPractice, expected_version: int | None, **fields: Any
) -> GoodPractice:
    perms.require_that(actor, practice.unit, perms.may_publicise(actor, practice.unit))
    practice = _lock(practice)
    _check_version(practice, expected_version)
    merged = {
        n: getattr(practice, n) for n in ("title", "summary", "body", "nomination", "activity")
    } | fields
    values = _practice_fields(practice.unit, merged)
    before = audit.snapshot(practice)
    for name, value in values.items():
        setattr(practice, name, value)
    return _save_update(actor, practice, before)


@transaction.atomic
def set_good_practice_published(
    *, actor: Actor, practice: GoodPractice, published: bool, expected_version: int | None
) -> GoodPractice:
    perms.require_that(actor, practice.unit, perms.may_publicise(actor, practice.unit))
    practice = _lock(practice)
    _check_version(practice, expected_version)
    if practice.is_published == published:
        return practice
    old = practice.is_published
    practice.is_published = published
    practice.published_at = timezone.now() if published else None
    practice.published_by = actor if published else None
    practice.version += 1
    practice.save()
    audit.record_transition(
        actor=actor,
        unit_id=practice.unit_id,
        obj=practice,
        field="is_published",
        old=old,
        new=published,
        note="công khai trên trang của đơn vị" if published else "thôi công khai",
    )
    return practice


def _shortfall_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    body = _own_body(unit, fields.get("body"), required=False)
    subject = _text(
        fields.get("subject"), "subject", _("tên đơn vị, cá nhân"), required=False, max_length=200
    )
    if body is None and not subject:
        raise ValidationError(
            {"body": _("Chọn cơ quan, thôn hoặc ghi tên đơn vị, cá nhân thực hiện chưa nghiêm túc.")}
        )
    noted_on = _date(fields.get("noted_on"), "noted_on", _("ngày ghi nhận"), not_future=True)
    return {
        "body": body,
        "subject": subject,
        "reason": _text(fields.get("reason"), "reason", _("lý do")),
        "noted_on": noted_on,
    }


@transaction.atomic
def record_shortfall(*, actor: Actor, unit: Unit, year: int, **fields: Any) -> Shortfall:
    """A unit or body that falls short (body or subject, reason, noted_on) — internal only."""
    perms.require_that(actor, unit, perms.may_publicise(actor, unit))
    year = _year_in_range(year)
    return _create(
        actor, Shortfall(unit=unit, year=year, created_by=actor, **_shortfall_fields(unit, fields))
    )


@transaction.atomic
def update_shortfall(
    *,
    actor: Actor,
    shortfall: Shortfall,
    expected_version: int | None,
    status: str | None = None,
    resolution_note: str | None = None,
    **fields: Any,
) -> Shortfall:
    perms.require_that(actor, shortfall.unit, perms.may_publicise(actor, shortfall.unit))
    shortfall = _lock(shortfall)
    _check_version(shortfall, expected_version)
    merged = {n: getattr(shortfall, n) for n in ("body", "subject", "reason", "noted_on")} | fields
    values = _shortfall_fields(shortfall.unit, merged)
    before = audit.snapshot(shortfall)
    for name, value in values.items():
        setattr(shortfall, name, value)
    if status is not None:
        shortfall.status = _choice(status, Shortfall.Status, "status", _("trạng thái"))
    if resolution_note is not None:
        shortfall.resolution_note = resolution_note.strip()
    if shortfall.status == Shortfall.Status.RESOLVED and not shortfall.resolution_note:
        raise ValidationError({"resolution_note": _("Ghi kết quả khắc phục khi chuyển sang «Đã khắc phục».")})
    return _save_update(actor, shortfall, before)
