"""Writes of the surveys area: questionnaires and their versions, survey links, responses (public and
paper), the review of flagged responses and the dossier counts used for the sample size.

Each function checks access, validates (ValidationError with Vietnamese messages naming the field), writes in
one transaction and records the audit. Public responses carry no actor and are not written to the audit log
(each is itself a dated record; staff decisions on them are audited).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.entry_keys import read_entry_key
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Body, Unit
from friendlygov.rules.sipas import SipasInputError
from friendlygov.surveys import definitions, protection
from friendlygov.surveys.models import (
    Answer,
    DossierCount,
    FormTokenUse,
    OtherAnswer,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SurveyLink,
)
from friendlygov.surveys.permissions import Standing, questionnaire_permissions
from friendlygov.tallies import services as tallies

RECEIPT_RE = re.compile(r"^[0-9A-Za-zĐđ./_\-]{1,60}$")
SYSTEM_NAME = "hệ thống"


class AlreadyEntered(Exception):
    """A staff entry sent again with the key of a form already stored (a retry after a dropped
    connection): nothing was stored this time; ``response`` is what the first post stored."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"Phiếu đã được lưu trước đó (phiếu số {response.pk}).")
        self.response = response


# --------------------------------------------------------------------------------------------------
# Access helpers


def _require_edit(actor: Actor, questionnaire: Questionnaire) -> None:
    questionnaire_permissions(actor, questionnaire).require(Standing.EDIT)


def can_enter_paper(actor: Actor, unit: Unit) -> bool:
    """Coordinators and the members of the unit's bodies enter paper and phone forms."""
    if access.can(actor, Capability.COORDINATE, unit):
        return True
    return any(
        access.can(actor, Capability.WORK, unit, body=body) for body in access.work_bodies(actor, unit)
    )


def can_review(actor: Actor, unit: Unit) -> bool:
    return access.can(actor, Capability.COORDINATE, unit) or access.can(actor, Capability.LEAD, unit)


def _require(actor: Actor, unit: Unit, allowed: bool) -> None:
    access.require(actor, Capability.READ, unit)
    if not allowed:
        raise PermissionDenied


def _parse_definition(text: str | None, definition: Mapping[str, Any] | None) -> dict[str, Any]:
    try:
        if text is not None:
            return definitions.parse_definition_yaml(text)
        if definition is None:
            raise ValidationError({"definition": "Thiếu nội dung bảng hỏi."})
        return definitions.validate_definition(definition)
    except SipasInputError as error:
        raise ValidationError({"definition": error.problems}) from error


# --------------------------------------------------------------------------------------------------
# The library


@transaction.atomic
def ensure_library() -> list[Questionnaire]:
    """Create the product's questionnaires (no unit) that are missing; existing ones are left as they are."""
    created = []
    for kind, definition in definitions.library_definitions():
        if Questionnaire.objects.filter(unit__isnull=True, code=definition["code"]).exists():
            continue
        questionnaire = Questionnaire.objects.create(
            unit=None,
            code=definition["code"],
            name=definition["name"],
            kind=kind,
            description=definitions.LIBRARY_NOTES.get(kind, ""),
        )
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, definition=definition)
        created.append(questionnaire)
    return created


# --------------------------------------------------------------------------------------------------
# Questionnaires


@transaction.atomic
def create_questionnaire(
    *,
    actor: Actor,
    unit: Unit | None,
    kind: str,
    yaml_text: str | None = None,
    definition: Mapping[str, Any] | None = None,
    description: str = "",
) -> Questionnaire:
    """A new questionnaire of ``unit`` (None: the product's library, for system administrators)."""
    if unit is None:
        if not access.is_system_admin(actor):
            raise PermissionDenied
    else:
        _require(actor, unit, access.can(actor, Capability.COORDINATE, unit))
    checked = _parse_definition(yaml_text, definition)
    if kind not in Questionnaire.Kind.values:
        raise ValidationError({"kind": f"Loại bảng hỏi {kind!r} không hợp lệ."})
    if Questionnaire.objects.filter(unit=unit, code=checked["code"]).exists():
        raise ValidationError(
            {
                "definition": f"Mã bảng hỏi «{checked['code']}» đã có; đổi trường code trong tệp hoặc sửa bảng hỏi đó."
            }
        )
    questionnaire = Questionnaire(
        unit=unit,
        code=checked["code"],
        name=checked["name"] or checked["code"],
        kind=kind,
        description=description,
    )
    questionnaire.full_clean()
    questionnaire.save()
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, definition=checked, created_by=actor
    )
    audit.record_create(actor=actor, unit_id=unit.pk if unit else None, obj=questionnaire)
    return questionnaire


@transaction.atomic
def save_definition(
    *,
    actor: Actor,
    questionnaire: Questionnaire,
    expected_version: int,
    yaml_text: str | None = None,
    definition: Mapping[str, Any] | None = None,
    note: str = "",
) -> QuestionnaireVersion:
    """Change the content. A frozen current version is never touched: the change becomes the next version."""
    _require_edit(actor, questionnaire)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.version != expected_version:
        raise ValidationError("Bảng hỏi đã được người khác cập nhật; vui lòng tải lại trang rồi sửa lại.")
    checked = _parse_definition(yaml_text, definition)
    if checked["code"] != locked.code:
        raise ValidationError(
            {
                "definition": f"Trường code: không đổi được mã bảng hỏi (đang là «{locked.code}», nhận được «{checked['code']}»)."
            }
        )
    current = (
        QuestionnaireVersion.objects.select_for_update()
        .filter(questionnaire=locked)
        .order_by("-number")
        .first()
    )
    if current is not None and current.definition == checked:
        return current
    if current is None or current.is_frozen:
        number = current.number + 1 if current is not None else 1
        version = QuestionnaireVersion.objects.create(
            questionnaire=locked, number=number, definition=checked, note=note[:300], created_by=actor
        )
        audit.record_create(actor=actor, unit_id=locked.unit_id, obj=version, note=note)
    else:
        before = audit.snapshot(current, ["definition", "note"])
        current.definition = checked
        current.note = note[:300]
        current.save(update_fields=["definition", "note"])
        audit.record_update(actor=actor, unit_id=locked.unit_id, obj=current, before=before)
        version = current
    before_q = audit.snapshot(locked, ["name", "version"])
    locked.name = checked["name"] or locked.name
    locked.version += 1
    locked.save(update_fields=["name", "version", "updated_at"])
    audit.record_update(actor=actor, unit_id=locked.unit_id, obj=locked, before=before_q)
    questionnaire.version, questionnaire.name = locked.version, locked.name
    return version


@transaction.atomic
def update_questionnaire(
    *,
    actor: Actor,
    questionnaire: Questionnaire,
    expected_version: int,
    kind: str,
    description: str,
    is_active: bool,
) -> Questionnaire:
    _require_edit(actor, questionnaire)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.version != expected_version:
        raise ValidationError("Bảng hỏi đã được người khác cập nhật; vui lòng tải lại trang rồi sửa lại.")
    if kind not in Questionnaire.Kind.values:
        raise ValidationError({"kind": f"Loại bảng hỏi {kind!r} không hợp lệ."})
    before = audit.snapshot(locked, ["kind", "description", "is_active"])
    locked.kind, locked.description, locked.is_active = kind, description.strip(), is_active
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit.record_update(actor=actor, unit_id=locked.unit_id, obj=locked, before=before)
    return locked


@transaction.atomic
def copy_questionnaire(*, actor: Actor, source: Questionnaire, unit: Unit) -> Questionnaire:
    """The unit's own copy of a questionnaire (its current content), to adapt and version on its own."""
    perms = questionnaire_permissions(actor, source, unit=unit)
    perms.require(Standing.COPY)
    if perms.own:
        raise ValidationError(_("Bảng hỏi này đã là của đơn vị; hãy sửa trực tiếp bảng hỏi."))
    definition = dict(source.current_version().definition)
    code = definition["code"]
    taken = set(Questionnaire.objects.filter(unit=unit).values_list("code", flat=True))
    suffix = 1
    while code in taken:
        suffix += 1
        code = f"{definition['code']}-{suffix}"[:40]
    definition["code"] = code
    return create_questionnaire(
        actor=actor, unit=unit, kind=source.kind, definition=definition, description=source.description
    )


# --------------------------------------------------------------------------------------------------
# Links


def _check_link_fields(
    unit: Unit,
    questionnaire: Questionnaire,
    label: str,
    body: Body | None,
    receipt_mode: str,
    channel: str,
    active_from: dt.date | None,
    active_until: dt.date | None,
) -> None:
    errors: dict[str, str] = {}
    if questionnaire.unit_id not in (None, unit.pk, unit.parent_id):
        errors["questionnaire"] = "Bảng hỏi này không thuộc đơn vị."
    if not label.strip():
        errors["label"] = "Tên điểm khảo sát không được để trống."
    if body is not None and body.unit_id != unit.pk:
        errors["body"] = "Cơ quan, thôn này không thuộc đơn vị."
    if receipt_mode not in SurveyLink.ReceiptMode.values:
        errors["receipt_mode"] = f"Giá trị {receipt_mode!r} không hợp lệ."
    if channel not in SurveyLink.Channel.values:
        errors["channel"] = f"Kênh {channel!r} không hợp lệ."
    if active_from and active_until and active_until < active_from:
        errors["active_until"] = "Ngày kết thúc phải sau ngày bắt đầu."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_link(
    *,
    actor: Actor,
    unit: Unit,
    questionnaire: Questionnaire,
    label: str,
    body: Body | None = None,
    receipt_mode: str = SurveyLink.ReceiptMode.OPTIONAL,
    channel: str = SurveyLink.Channel.ONLINE,
    active_from: dt.date | None = None,
    active_until: dt.date | None = None,
    is_active: bool = True,
) -> SurveyLink:
    _require(actor, unit, access.can(actor, Capability.COORDINATE, unit))
    _check_link_fields(unit, questionnaire, label, body, receipt_mode, channel, active_from, active_until)
    link = SurveyLink(
        unit=unit,
        questionnaire=questionnaire,
        label=label.strip(),
        body=body,
        token=secrets.token_urlsafe(9),
        receipt_mode=receipt_mode,
        channel=channel,
        active_from=active_from,
        active_until=active_until,
        is_active=is_active,
    )
    link.full_clean()
    link.save()
    audit.record_create(actor=actor, unit_id=unit.pk, obj=link)
    return link


@transaction.atomic
def update_link(*, actor: Actor, link: SurveyLink, expected_version: int, **fields: Any) -> SurveyLink:
    unit = link.unit
    _require(actor, unit, access.can(actor, Capability.COORDINATE, unit))
    locked = SurveyLink.objects.select_for_update().get(pk=link.pk)
    if locked.version != expected_version:
        raise ValidationError(
            "Điểm khảo sát đã được người khác cập nhật; vui lòng tải lại trang rồi sửa lại."
        )
    before = audit.snapshot(locked)
    allowed = {
        "label",
        "body",
        "receipt_mode",
        "channel",
        "active_from",
        "active_until",
        "is_active",
        "questionnaire",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: "Trường này không sửa được."})
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_link_fields(
        unit,
        locked.questionnaire,
        locked.label,
        locked.body,
        locked.receipt_mode,
        locked.channel,
        locked.active_from,
        locked.active_until,
    )
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=locked, before=before)
    return locked


def link_is_open(link: SurveyLink, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if not link.is_active or not link.questionnaire.is_active:
        return False
    if link.active_from and today < link.active_from:
        return False
    return not (link.active_until and today > link.active_until)


# --------------------------------------------------------------------------------------------------
# Responses


def normalize_receipt(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = re.sub(r"\s+", "", raw).upper()
    return text or None


def _check_answers(
    definition: Mapping[str, Any],
    scale: Mapping[str, int | None],
    other: Mapping[str, Any],
) -> tuple[dict[str, int], dict[str, tuple[str, list[str]]]]:
    """Validated scale answers (item → 0..5) and other answers (question → (text, choices))."""
    errors: dict[str, list[str]] = {}
    items = set(definitions.item_codes(definition))
    checked_scale: dict[str, int] = {}
    for item, value in scale.items():
        if item not in items:
            errors.setdefault("answers", []).append(f"Câu {item!r}: không có trong bảng hỏi.")
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            errors.setdefault("answers", []).append(
                f"Câu {item}: câu trả lời phải từ 1 đến 5 (hoặc 0: không trả lời)."
            )
            continue
        checked_scale[item] = value
    questions = {q["code"]: q for q in definitions.questions_of(definition)}
    checked_other: dict[str, tuple[str, list[str]]] = {}
    for code, raw in other.items():
        question = questions.get(code)
        if question is None:
            errors.setdefault("other", []).append(f"Câu hỏi {code!r}: không có trong bảng hỏi.")
            continue
        text = ""
        chosen: list[str] = []
        if isinstance(raw, Mapping):
            text = str(raw.get("text") or "")
            chosen = [str(c) for c in (raw.get("choices") or [])]
        elif isinstance(raw, list | tuple):
            chosen = [str(c) for c in raw]
        elif raw is not None:
            if question["type"] == "single":
                chosen = [str(raw)] if str(raw) else []
            else:
                text = str(raw)
        text = text.strip()
        if len(text) > definitions.MAX_TEXT:
            errors.setdefault("other", []).append(
                f"Câu hỏi {code}: tối đa {definitions.MAX_TEXT} ký tự (đang có {len(text)})."
            )
            continue
        unknown = [c for c in chosen if c not in question["choices"]]
        if unknown:
            errors.setdefault("other", []).append(
                f"Câu hỏi {code}: lựa chọn {unknown[0]!r} không có trong danh sách."
            )
            continue
        if question["type"] == "single" and len(chosen) > 1:
            errors.setdefault("other", []).append(f"Câu hỏi {code}: chỉ chọn một.")
            continue
        if question["type"] == "text":
            chosen = []
        if question["type"] in ("single", "multiple"):
            text = ""
        if text or chosen:
            checked_other[code] = (text, list(dict.fromkeys(chosen)))
    for code, question in questions.items():
        if question.get("required") and code not in checked_other:
            errors.setdefault("other", []).append(f"Câu hỏi {code} ({question['text']}): cần trả lời.")
    if not any(v > 0 for v in checked_scale.values()):
        errors.setdefault("answers", []).append("Xin trả lời ít nhất một câu hỏi về mức độ hài lòng.")
    if errors:
        raise ValidationError(errors)
    return checked_scale, checked_other


def _check_receipt(raw: str | None, mode: str) -> str | None:
    receipt = normalize_receipt(raw)
    if receipt is None:
        if mode == SurveyLink.ReceiptMode.REQUIRED:
            raise ValidationError({"receipt_no": "Xin nhập số biên nhận hồ sơ (in trên giấy biên nhận)."})
        return None
    if mode == SurveyLink.ReceiptMode.OFF:
        return None
    if not RECEIPT_RE.match(receipt):
        raise ValidationError(
            {"receipt_no": "Số biên nhận chỉ gồm chữ, chữ số và các dấu . / - _ (tối đa 60 ký tự)."}
        )
    return receipt


def duplicate_receipt_message(receipt: str) -> str:
    return (
        f"Hồ sơ có số biên nhận {receipt} đã được đánh giá rồi. Mỗi hồ sơ chỉ đánh giá một lần. "
        f"Xin cảm ơn ông/bà đã dành thời gian góp ý!"
    )


def _store(
    *,
    unit: Unit,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    scale: Mapping[str, int],
    other: Mapping[str, tuple[str, list[str]]],
    receipt: str | None,
    count: bool = True,
    **fields: Any,
) -> Response:
    """Write a checked answer: the response, its answers and (``count``, when it is accepted) the kept
    figures. ``count=False``: the caller decides the status after storing and counts it then."""
    key = fields.get("entry_key")
    earlier = Response.objects.filter(unit=unit, entry_key=key).first() if key else None
    if earlier is not None:
        raise AlreadyEntered(earlier)
    if (
        receipt is not None
        and Response.objects.filter(unit=unit, questionnaire=questionnaire, receipt_no=receipt).exists()
    ):
        raise ValidationError({"receipt_no": duplicate_receipt_message(receipt)})
    response = Response(
        unit=unit, questionnaire=questionnaire, questionnaire_version=version, receipt_no=receipt, **fields
    )
    try:
        if receipt is None and not key:
            response.save(force_insert=True)  # no unique value of its own that another answer could hold
        else:
            with transaction.atomic():
                response.save(force_insert=True)
    except IntegrityError as error:  # a concurrent answer with the same receipt number or key won the race
        earlier = Response.objects.filter(unit=unit, entry_key=key).first() if key else None
        if earlier is not None:
            raise AlreadyEntered(earlier) from error
        raise ValidationError({"receipt_no": duplicate_receipt_message(receipt or "")}) from error
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=value) for item, value in scale.items()
    )
    OtherAnswer.objects.bulk_create(
        OtherAnswer(response=response, question=code, text=text, choices=chosen)
        for code, (text, chosen) in other.items()
    )
    if count and response.status == Response.Status.ACCEPTED:
        tallies.count_response(response=response, sign=1, answers=scale.items())
    if version.frozen_at is None:
        QuestionnaireVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        version.frozen_at = timezone.now()
    return response


def submit_public_response(
    *,
    link: SurveyLink,
    scale: Mapping[str, int | None],
    other: Mapping[str, Any] | None = None,
    receipt_no: str | None = None,
    device_token: str = "",
    ip: str = "",
    started_at: dt.datetime | None = None,
    honeypot: str = "",
    version: QuestionnaireVersion | None = None,
    form_nonce: str = "",
) -> Response:
    """A citizen's answer through a public link (no account).

    Suspicious answers are kept but flagged (and count in no figure until accepted): the honeypot field
    filled, sent less than ``SURVEYS_MIN_SECONDS`` (3) after the form was opened or with no valid form
    token, a form token already used by an earlier answer (``form_nonce``: one use per token, taken
    atomically), or a second answer from the same device within ``SURVEYS_DEVICE_REPEAT_HOURS`` (24) for
    the same unit and questionnaire (not for kiosk links, whose device is shared). A receipt number already
    used for this unit and questionnaire is refused.

    What needs no lock (the link, the answers, the timing, the hashes) is checked before the write
    transaction: on SQLite that transaction holds the database's one write lock from its first statement
    (``BEGIN IMMEDIATE``), and every other citizen's answer waits while it is held.
    """
    if not link_is_open(link):
        raise ValidationError("Điểm khảo sát này hiện không nhận phiếu. Xin cảm ơn ông/bà.")
    questionnaire = link.questionnaire
    # A form opened before a new version was published is still accepted against the version it showed.
    if version is None or version.questionnaire_id != questionnaire.pk:
        version = questionnaire.current_version()
    receipt = _check_receipt(receipt_no, link.receipt_mode)
    checked_scale, checked_other = _check_answers(version.definition, scale, other or {})
    now = timezone.now()
    reasons: list[str] = []
    if honeypot.strip():
        reasons.append("Ô ẩn chống gửi tự động đã bị điền")
    duration: int | None = None
    if started_at is None or not form_nonce:
        reasons.append("Không xác định được thời điểm mở phiếu")
    else:
        seconds = (now - started_at).total_seconds()
        duration = max(0, int(seconds))
        if seconds < protection.min_seconds():
            reasons.append(f"Gửi quá nhanh ({max(seconds, 0):.1f} giây sau khi mở phiếu)")
    device_hash = protection.keyed_hash("device", device_token)
    ip_hash = protection.keyed_hash("ip", ip)
    channel = Response.Channel.KIOSK if link.channel == SurveyLink.Channel.KIOSK else Response.Channel.ONLINE
    with transaction.atomic():
        if device_hash and link.channel != SurveyLink.Channel.KIOSK:
            since = now - dt.timedelta(hours=protection.device_repeat_hours())
            if Response.objects.filter(
                unit=link.unit, questionnaire=questionnaire, device_hash=device_hash, submitted_at__gte=since
            ).exists():
                reasons.append(f"Thiết bị này đã gửi phiếu trong {protection.device_repeat_hours()} giờ qua")
        response = _store(
            unit=link.unit,
            questionnaire=questionnaire,
            version=version,
            scale=checked_scale,
            other=checked_other,
            receipt=receipt,
            count=False,
            link=link,
            channel=channel,
            device_hash=device_hash,
            ip_hash=ip_hash,
            duration_seconds=duration,
            submitted_at=now,
            status=Response.Status.FLAGGED if reasons else Response.Status.ACCEPTED,
            flag_reason="; ".join(reasons)[:300],
        )
        if (
            started_at is not None
            and form_nonce
            and not _use_form_token(form_nonce, link, now, response, reasons)
        ):
            response.status = Response.Status.FLAGGED
            response.flag_reason = "; ".join(reasons)[:300]
            Response.objects.filter(pk=response.pk).update(
                status=response.status, flag_reason=response.flag_reason
            )
        if response.status == Response.Status.ACCEPTED:
            tallies.count_response(response=response, sign=1, answers=checked_scale.items())
    return response


def _use_form_token(
    nonce: str, link: SurveyLink, now: dt.datetime, response: Response, reasons: list[str]
) -> bool:
    """Take the form token's one use for ``response``; False when an earlier answer took it (said in
    ``reasons``: the answer then waits for review). The unique row decides: of two simultaneous posts one
    inserts it, the other waits for that transaction and then finds it taken. If the answer is not kept
    after all, the enclosing transaction rolls the use back and the token stays usable."""
    try:
        with transaction.atomic():
            FormTokenUse.objects.create(nonce=nonce, link=link, used_at=now, response=response)
    except IntegrityError:
        earlier = FormTokenUse.objects.filter(nonce=nonce).values_list("response_id", flat=True).first()
        reasons.append(
            f"Mã mở phiếu đã được dùng cho phiếu số {earlier} (gửi lại cùng một lần mở phiếu)"
            if earlier
            else "Mã mở phiếu đã được dùng (gửi lại cùng một lần mở phiếu)"
        )
        return False
    return True


@transaction.atomic
def enter_paper_response(
    *,
    actor: Actor,
    unit: Unit,
    questionnaire: Questionnaire,
    scale: Mapping[str, int | None],
    other: Mapping[str, Any] | None = None,
    channel: str = Response.Channel.PAPER,
    receipt_no: str | None = None,
    submitted_on: dt.date | None = None,
    link: SurveyLink | None = None,
    entry_key: str = "",
) -> Response:
    """A form filled on paper (or by phone, or gathered elsewhere) typed in by staff; counted at once.

    ``entry_key`` identifies the entry form (a hidden field made when it is shown; an API client's
    ``Idempotency-Key``): a post repeating a stored form's key stores nothing and raises
    :class:`AlreadyEntered` with the first post's response — also when both arrive at once."""
    _require(actor, unit, can_enter_paper(actor, unit))
    key = read_entry_key(entry_key)
    if key is not None:
        earlier = Response.objects.filter(unit=unit, entry_key=key).first()
        if earlier is not None:
            raise AlreadyEntered(earlier)
    if questionnaire.unit_id not in (None, unit.pk, unit.parent_id):
        raise ValidationError({"questionnaire": "Bảng hỏi này không thuộc đơn vị."})
    if channel not in Response.Channel.values:
        raise ValidationError({"channel": f"Kênh {channel!r} không hợp lệ."})
    if link is not None and (link.unit_id != unit.pk or link.questionnaire_id != questionnaire.pk):
        raise ValidationError({"link": "Điểm khảo sát không thuộc đơn vị hoặc bảng hỏi này."})
    today = timezone.localdate()
    day = submitted_on or today
    if day > today:
        raise ValidationError({"submitted_on": "Ngày trả lời không được sau hôm nay."})
    receipt = _check_receipt(receipt_no, SurveyLink.ReceiptMode.OPTIONAL)
    version = questionnaire.current_version()
    checked_scale, checked_other = _check_answers(version.definition, scale, other or {})
    zone = timezone.get_default_timezone()
    moment = timezone.now() if day == today else dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone)
    response = _store(
        unit=unit,
        questionnaire=questionnaire,
        version=version,
        scale=checked_scale,
        other=checked_other,
        receipt=receipt,
        link=link,
        channel=channel,
        submitted_at=moment,
        status=Response.Status.ACCEPTED,
        entered_by=actor,
        entry_key=key,
    )
    audit.record_create(
        actor=actor, unit_id=unit.pk, obj=response, note=f"nhập phiếu {response.get_channel_display()}"
    )
    return response


@transaction.atomic
def review_response(
    *, actor: Actor, response: Response, decision: str, note: str = "", expected_status: str | None = None
) -> Response:
    """Accept (it then counts) or reject (it never counts) a flagged response; a decision can be revised.
    ``expected_status``: the status the reviewer saw (the lock of a response, which has no version; None:
    no check) — another one means someone else decided in the meantime."""
    unit = response.unit
    _require(actor, unit, can_review(actor, unit))
    target = {"accept": Response.Status.ACCEPTED, "reject": Response.Status.REJECTED}.get(decision)
    if target is None:
        raise ValidationError({"decision": "Chọn chấp nhận (accept) hoặc loại bỏ (reject)."})
    locked = Response.objects.select_for_update().get(pk=response.pk)
    old = locked.status
    if expected_status is not None and expected_status != old:
        raise ValidationError(
            {
                "expected_status": f"Phiếu số {locked.pk} vừa được người khác xem xét "
                f"(hiện: {locked.get_status_display().lower()}); hãy tải lại danh sách rồi quyết định lại."
            }
        )
    if old == target:
        return locked
    locked.status = target
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    tallies.status_changed(response=locked, old=old, new=target)
    audit.record_transition(
        actor=actor, unit_id=unit.pk, obj=locked, field="status", old=old, new=target, note=note
    )
    return locked


# --------------------------------------------------------------------------------------------------
# Dossier counts (N of the sample size)


@transaction.atomic
def set_dossier_count(
    *, actor: Actor, unit: Unit, start: dt.date, end: dt.date, transactions: int | None, note: str = ""
) -> DossierCount | None:
    """Enter (or change, or with ``transactions=None`` remove) the number of dossiers of a period."""
    _require(actor, unit, access.can(actor, Capability.COORDINATE, unit))
    if end < start:
        raise ValidationError({"end": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."})
    if transactions is not None and (isinstance(transactions, bool) or transactions < 0):
        raise ValidationError({"transactions": "Số hồ sơ phải là số nguyên không âm."})
    existing = DossierCount.objects.select_for_update().filter(unit=unit, start=start, end=end).first()
    if transactions is None:
        if existing is not None:
            audit.record_delete(actor=actor, unit_id=unit.pk, obj=existing)
            existing.delete()
        return None
    if existing is None:
        row = DossierCount.objects.create(
            unit=unit,
            start=start,
            end=end,
            transactions=transactions,
            note=note.strip()[:300],
            entered_by=actor,
        )
        audit.record_create(actor=actor, unit_id=unit.pk, obj=row)
        return row
    before = audit.snapshot(existing, ["transactions", "note"])
    existing.transactions, existing.note, existing.entered_by = transactions, note.strip()[:300], actor
    existing.version += 1
    existing.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=existing, before=before)
    return existing
