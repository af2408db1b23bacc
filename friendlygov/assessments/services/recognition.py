"""Step 7, recognition: the city's decision and its file."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Cycle, Recognition
from friendlygov.audit import services as audit
from friendlygov.evidence.filetypes import ALLOWED, sniff
from friendlygov.evidence.services import safe_filename
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Role

from .common import _link, _notify


def _store_decision_file(recognition: Recognition, upload: UploadedFile) -> None:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": f"Tệp «{upload.name}» rỗng."})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": f"Tệp «{upload.name}» quá lớn (giới hạn {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB)."
            }
        )
    data = b"".join(upload.chunks())
    content_type = sniff(data[:16], data, upload.name or "")
    if content_type is None:
        raise ValidationError(
            {
                "file": f"Tệp «{upload.name}» không phải PDF, ảnh, Word hoặc Excel (kiểm tra theo nội dung tệp)."
            }
        )
    recognition.file_name = safe_filename(upload.name or f"quyet-dinh.{ALLOWED[content_type]}")
    recognition.file_type = content_type
    recognition.file_sha256 = hashlib.sha256(data).hexdigest()
    recognition.file.save(recognition.file_name, ContentFile(data), save=False)


@transaction.atomic
def recognise(
    *,
    actor: Actor,
    cycle: Cycle,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    level_code: str,
    upload: UploadedFile | None = None,
) -> Recognition:
    """Record the recognition decision (number, date, signer, file) and the recognised level."""
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    if cycle.status != Cycle.Status.APPRAISED:
        raise ValidationError(
            f"Chỉ công nhận sau khi kết thúc thẩm định (hiện: {cycle.get_status_display().lower()})."
        )
    cs = crit.parsed(cycle.criteria_set)
    final_level = (cycle.final_result.get("level") or {}).get("code") if cycle.final_result else None
    if final_level is None:
        raise ValidationError({"level_code": "Kết quả thẩm định chưa đạt mức nào nên không thể công nhận."})
    codes = [lv.code for lv in cs.levels]
    if level_code not in codes:
        raise ValidationError({"level_code": f"Mức «{level_code}» không có trong bộ tiêu chí."})
    if codes.index(level_code) > codes.index(final_level):
        raise ValidationError(
            {"level_code": "Mức công nhận không được cao hơn mức đạt theo kết quả thẩm định."}
        )
    if not decision_number.strip():
        raise ValidationError({"decision_number": "Ghi số quyết định công nhận."})
    if not signer.strip():
        raise ValidationError({"signer": "Ghi người ký quyết định."})
    level = cs.levels[codes.index(level_code)]
    recognition = Recognition(
        unit=cycle.unit,
        cycle=cycle,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        signer=signer.strip(),
        level_code=level.code,
        level_name=level.name,
        recognised_by=actor,
    )
    if upload is not None:
        _store_decision_file(recognition, upload)
    recognition.save()
    audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=recognition)
    old = cycle.status
    cycle.status = Cycle.Status.RECOGNISED
    cycle.version += 1
    cycle.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=f"Quyết định {recognition.decision_number} ngày {decision_date:%d/%m/%Y}: {level.name}",
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:recognised:{cycle.pk}",
        title=f"{cycle.unit.full_name} được công nhận {level.name} năm {cycle.year}",
        body=f"Quyết định {recognition.decision_number} ngày {decision_date:%d/%m/%Y}.",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return recognition
