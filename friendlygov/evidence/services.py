from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from friendlygov.audit import services as audit
from friendlygov.evidence.filetypes import FileTypeError, detect, download_name
from friendlygov.evidence.models import EvidenceFile
from friendlygov.org.access import Capability, require
from friendlygov.org.models import Body, Unit

if TYPE_CHECKING:
    from friendlygov.org.access import Actor

SAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = SAFE_NAME.sub("_", name).strip(" .") or "tep"
    return name[:200]


@transaction.atomic
def store_evidence(
    *,
    actor: Actor,
    unit: Unit,
    upload: UploadedFile,
    effective_date: dt.date,
    body: Body | None = None,
    title: str = "",
) -> EvidenceFile:
    """Check the file by content and size, keep its hash, and store it under a random name."""
    require(actor, Capability.WORK, unit, body=body)
    size = upload.size or 0
    if size > settings.EVIDENCE_MAX_BYTES:
        limit_mb = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"Tệp «{upload.name}» quá lớn (giới hạn {limit_mb} MB)."})
    if size == 0:
        raise ValidationError({"file": f"Tệp «{upload.name}» rỗng."})
    data = b"".join(upload.chunks())
    try:
        content_type = detect(data, upload.name or "")
    except FileTypeError as exc:
        raise ValidationError({"file": exc.message}) from exc
    if effective_date > dt.date.today() + dt.timedelta(days=366):
        raise ValidationError({"effective_date": "Ngày hiệu lực không hợp lệ."})
    original = download_name(safe_filename(upload.name or "minh-chung"), content_type)
    evidence = EvidenceFile(
        unit=unit,
        body=body,
        original_name=original,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        title=title.strip(),
        effective_date=effective_date,
        uploaded_by=actor,
    )
    evidence.file.save(original, ContentFile(data), save=False)
    evidence.save()
    audit.record_create(actor=actor, unit_id=unit.pk, obj=evidence)
    return evidence
