"""Writes of the documents area: rendering (a draft to download, or an issued document kept with its
number) and the administrators' Word templates. Each function checks access, validates with Vietnamese
messages naming the field, writes in one transaction and records the audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.documents import builders, numbering
from friendlygov.documents.kinds import common
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind, register_of
from friendlygov.documents.numbering import next_free_number, register_label
from friendlygov.documents.render import (
    DRAFT_STATUS,
    ISSUED_STATUS,
    DocumentError,
    TemplateRenderError,
    render_docx,
    render_template,
    template_placeholders,
    validate_template,
)
from friendlygov.kit.office_files import DOCX_READ_ERRORS
from friendlygov.org.access import Actor, Capability, can, is_system_admin, require
from friendlygov.org.models import Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import strip_diacritics

MAX_NUMBER = 99_999
FILE_SLUGS = {
    Kind.PLAN: "ke-hoach",
    Kind.REGISTRATION: "dang-ky-muc-dat-chuan",
    Kind.SELF_ASSESSMENT: "bao-cao-tu-danh-gia-cham-diem",
    Kind.SUBMISSION: "to-trinh-de-nghi-cong-nhan",
    Kind.ANNUAL_REPORT: "bao-cao-ket-qua-thuc-hien",
    Kind.REVIEW: "bao-cao-so-ket-tong-ket",
    Kind.CITY_REPORT: "bao-cao-tong-hop",
    Kind.JOINT_MINUTES: "bien-ban-cham-diem",
    Kind.REWARD_DECISION: "quyet-dinh-khen-thuong",
    Kind.APPRAISAL_NOTICE: "thong-bao-ket-qua-tham-dinh",
    Kind.RECOGNITION_DECISION: "quyet-dinh-cong-nhan",
    Kind.OTHER: "van-ban",
}
RENDERABLE = [*builders.UNIT_KINDS, *builders.CITY_ABOUT_UNIT_KINDS, *builders.CITY_KINDS]


def parse_kind(text: str) -> str:
    """ "self-assessment" (the command's spelling) or "self_assessment" → the stored kind."""
    kind = (text or "").strip().lower().replace("-", "_")
    if kind not in RENDERABLE:
        names = ", ".join(k.replace("_", "-") for k in RENDERABLE)
        raise ValidationError(
            {
                "kind": _("Loại văn bản «%(k)s» không hợp lệ; chọn một trong: %(names)s.")
                % {"k": text, "names": names}
            }
        )
    return kind


@dataclass(frozen=True)
class Issuer:
    """Who issues a kind of document about a unit, and in which register it is numbered.

    Most documents are the unit's own (its People's Committee); the appraisal notice about a commune is
    the city's Department of Home Affairs' (``about`` = the commune), the city's report and decision the
    city's."""

    unit: Unit
    register: str
    about: Unit | None = None


def issuer_of(kind: str, unit: Unit) -> Issuer:
    """``unit`` as the command and the pages name it (the commune for its appraisal notice)."""
    if kind == Kind.APPRAISAL_NOTICE and not unit.is_city:
        city = common.city_of(unit)
        if city is None:
            raise ValidationError(
                {
                    "unit": _("%(u)s không thuộc thành phố nào: không có Sở Nội vụ để ra thông báo.")
                    % {"u": unit}
                }
            )
        return Issuer(unit=city, register=register_of(kind), about=unit)
    return Issuer(unit=unit, register=register_of(kind))


def proposed_number(kind: str, unit: Unit, year: int) -> int:
    """The next free number of the register ``kind`` is numbered in (the city's Department of Home Affairs
    for its appraisal notice about a commune, the committee's for most kinds)."""
    issuer = issuer_of(parse_kind(kind), unit)
    return next_free_number(issuer.unit, year, issuer.register)


CITY_ISSUED = (Kind.CITY_REPORT, Kind.RECOGNITION_DECISION, Kind.APPRAISAL_NOTICE)


def can_render(user: Any, unit: Unit, kind: str | None = None) -> bool:
    """The unit's coordinator or leader; the city's documents (its report and decision, the appraisal
    notice about a commune): a city reviewer."""
    if unit.is_city:
        return can(user, Capability.APPRAISE, unit)
    if kind in CITY_ISSUED:
        city = common.city_of(unit)
        return kind == Kind.APPRAISAL_NOTICE and city is not None and can(user, Capability.APPRAISE, city)
    return can(user, Capability.COORDINATE, unit) or can(user, Capability.LEAD, unit)


def _require_render(actor: Actor | None, unit: Unit, kind: str) -> None:
    if actor is None:  # the command line acts as the system
        return
    require(actor, Capability.READ, unit)
    if not can_render(actor, unit, kind):
        raise PermissionDenied


def _check_kind_for_unit(kind: str, unit: Unit) -> None:
    city_kind = kind in builders.CITY_KINDS
    if city_kind and not unit.is_city:
        raise ValidationError(
            {
                "unit": _("%(k)s lập cho thành phố; %(u)s không phải thành phố.")
                % {"k": Kind(kind).label, "u": unit.full_name}
            }
        )
    if not city_kind and unit.is_city:
        names = ", ".join(k.replace("_", "-") for k in builders.CITY_KINDS)
        raise ValidationError(
            {
                "unit": _("%(u)s là thành phố: chỉ lập được %(names)s cho thành phố.")
                % {"u": unit.full_name, "names": names}
            }
        )


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm «%(y)s» không hợp lệ (từ 2000 đến 2100).") % {"y": year}})
    if year > timezone.localdate().year + 10:
        raise ValidationError({"year": _("Năm %(y)s quá xa so với năm hiện tại.") % {"y": year}})


def _clash_message(
    unit: Unit, number: int, issued_on: dt.date, clash: IssuedDocument | None, register: str = "committee"
) -> str:
    free = next_free_number(unit, issued_on.year, register)
    what = ""
    if clash is not None:
        when = clash.issued_on.strftime("%d/%m/%Y") if clash.issued_on else ""
        what = _(" cho văn bản %(s)s ngày %(d)s (%(k)s)") % {
            "s": clash.number_symbol,
            "d": when,
            "k": clash.get_kind_display().lower(),
        }
    return _(
        "Số %(n)s đã được dùng%(what)s của %(u)s trong năm %(y)s; theo Nghị định 30/2020/NĐ-CP, mỗi số chỉ "
        "dùng một lần trong năm. Số tiếp theo còn trống: %(free)s."
    ) % {
        "n": f"{number:02d}",
        "what": what,
        "u": register_label(unit, register),
        "y": issued_on.year,
        "free": f"{free:02d}",
    }


def _file_name(kind: str, unit: Unit, year: int, number: int | None) -> str:
    base = f"{FILE_SLUGS.get(Kind(kind), 'van-ban')}-{unit.slug}-{year}"
    return f"{base}-so-{number:02d}.docx" if number is not None else f"du-thao-{base}.docx"


def _mark_status(content: bytes, draft: bool) -> bytes:
    """Set the document's status property (Dự thảo / Ban hành) on a template's output too."""
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except DOCX_READ_ERRORS:  # a template's output python-docx cannot open is returned as it is
        return content
    document.core_properties.content_status = DRAFT_STATUS if draft else ISSUED_STATUS
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def active_template(kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(kind=kind, is_active=True).first()


def _render(kind: str, unit: Unit, year: int, built: common.Built) -> tuple[bytes, DocumentTemplate | None]:
    template = active_template(kind)
    if template is None:
        try:
            return render_docx(built.document), None
        except DocumentError as exc:
            raise ValidationError(str(exc)) from exc
    with template.file.open("rb") as handle:
        template_bytes = handle.read()
    try:
        with translation.override("vi"):  # an official document is Vietnamese whatever the reader's language
            content = render_template(template_bytes, builders.template_context(built, unit, kind, year))
    except TemplateRenderError as exc:
        raise ValidationError(
            {"template": _("Mẫu văn bản «%(n)s»: %(e)s") % {"n": template.name, "e": exc}}
        ) from exc
    return _mark_status(content, built.document.is_draft), template


@dataclass
class Rendered:
    content: bytes
    filename: str
    draft: bool
    kind: str
    subject: str
    document: IssuedDocument | None = None
    template: DocumentTemplate | None = None
    warnings: list[str] = field(default_factory=list)  # what the builder says before anyone signs


@transaction.atomic
def render_document(
    *,
    actor: Actor | None,
    unit: Unit,
    kind: str,
    year: int,
    number: int | None = None,
    issued_on: dt.date | None = None,
    signer: common.Signer | None = None,
    recipients: Sequence[str] | None = None,
    confirm_out_of_order: bool = False,
) -> Rendered:
    """Write one document of the cycle. Without ``number``: a draft (marked DỰ THẢO, dotted blanks for the
    number and date), returned and not kept. With it: issued — the number must be free in the issuer's
    register and the calendar year of ``issued_on`` (default today), and in order with the numbers and
    dates already issued there (or ``confirm_out_of_order``, recorded in the audit); the file is kept with
    its hash."""
    kind = parse_kind(kind)
    _require_render(actor, unit, kind)
    _check_kind_for_unit(kind, unit)
    _check_year(year)
    issuer = issuer_of(kind, unit)
    disorder: numbering.OrderProblem | None = None
    if number is not None:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
            raise ValidationError(
                {
                    "number": _("Số văn bản «%(n)s» không hợp lệ (số nguyên từ 1 đến %(max)s).")
                    % {"n": number, "max": MAX_NUMBER}
                }
            )
        issued_on = issued_on or timezone.localdate()
        Unit.objects.select_for_update().filter(pk=issuer.unit.pk).first()  # one issuer numbers at a time
        clash = IssuedDocument.objects.filter(
            unit=issuer.unit,
            register=issuer.register,
            draft=False,
            number=number,
            issued_on__year=issued_on.year,
        ).first()
        if clash is not None:
            raise ValidationError(
                {"number": _clash_message(issuer.unit, number, issued_on, clash, issuer.register)}
            )
        disorder = numbering.order_problem(issuer.unit, issuer.register, number, issued_on)
        if disorder is not None and not confirm_out_of_order:
            raise ValidationError({"number": ValidationError(disorder.message, code="out_of_order")})
    cleaned = None
    if recipients is not None:
        cleaned = [r.strip() for r in recipients if r and r.strip()]
    options = common.Options(number=number, issued_on=issued_on, signer=signer, recipients=cleaned)
    with translation.override("vi"):  # an official document is Vietnamese whatever the reader's language
        built = builders.build(kind, unit, year, options)
    content, template = _render(kind, unit, year, built)
    filename = _file_name(kind, unit, year, number)
    subject = built.document.summary_line or built.document.subject
    if number is None:
        audit.record(
            actor=actor,
            unit_id=issuer.unit.pk,
            action="create",
            object_type="documents.draft",
            object_repr=f"Dự thảo: {subject}"[:300],
            changes={"kind": [None, kind], "year": [None, year]},
            note="tạo dự thảo văn bản để tải về (không lưu)",
        )
        return Rendered(content, filename, True, kind, subject, None, template, list(built.warnings))
    assert issued_on is not None
    signature = built.document.signature
    document = IssuedDocument(
        unit=issuer.unit,
        register=issuer.register,
        about=issuer.about,
        kind=kind,
        year=year,
        number=number,
        symbol=built.document.symbol,
        issued_on=issued_on,
        subject=subject[:500],
        signer_authority=(signature.authority or "") if signature else "",
        signer_capacity=(signature.capacity or "") if signature else "",
        signer_title=signature.title if signature else "",
        signer_name="" if signature is None or signature.name == common.NAME_BLANK else signature.name,
        recipients=list(built.document.recipients),
        file_name=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        draft=False,
        template=template,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        raise ValidationError(
            {"number": _clash_message(issuer.unit, number, issued_on, None, issuer.register)}
        ) from None
    audit.record_create(
        actor=actor,
        unit_id=issuer.unit.pk,
        obj=document,
        note=f"ban hành văn bản số {document.number_symbol}"
        + (f"; {numbering.confirmation_note(disorder)}" if disorder is not None else ""),
    )
    if kind == Kind.PLAN:
        _number_the_plan(actor, unit, year, document)
    # the plan's task this document completes (plan, annual report, review; the self-assessment report
    # as the evidence of the submission) — plans area
    plan_services.record_document_issued(
        actor=actor,
        unit=unit,
        year=year,
        document_kind=kind,
        issued_on=issued_on,
        source=f"documents.issued:{document.pk}",
        label=_issued_label(document, issued_on),
        url=reverse("documents:issued_file", kwargs={"slug": issuer.unit.slug, "pk": document.pk}),
    )
    return Rendered(content, filename, False, kind, subject, document, template, list(built.warnings))


def _issued_label(document: IssuedDocument, issued_on: dt.date) -> str:
    """The label the plan keeps for the issued document: Vietnamese whatever the reader's language."""
    with translation.override("vi"):
        return f"{document.get_kind_display()} số {document.number_symbol} ngày {issued_on:%d/%m/%Y}"


def _number_the_plan(actor: Actor | None, unit: Unit, year: int, document: IssuedDocument) -> None:
    """The plan the document was written from gets its number and date (plans area; kept as it is when it
    already carries another number)."""
    from friendlygov.plans import services as plans_services
    from friendlygov.plans.selectors import plan_for_year

    plan = plan_for_year(unit, year)
    if plan is not None and document.issued_on is not None:
        plans_services.record_issued_number(
            actor=actor, plan=plan, number=document.number_symbol, issued_on=document.issued_on
        )


# ---------------------------------------------------------------------------------------- templates


def _require_admin(actor: Actor) -> None:
    if not is_system_admin(actor):
        raise PermissionDenied


@transaction.atomic
def upload_template(
    *, actor: Actor, kind: str, name: str, data: bytes, filename: str, activate: bool = False
) -> DocumentTemplate:
    """Keep an administrator's Word template after checking it (a .docx, sandbox-safe placeholders
    from the documented list only); optionally make it the active one for its kind."""
    _require_admin(actor)
    kind = parse_kind(kind)
    name = (name or "").strip() or (filename or "mẫu văn bản")
    problems = validate_template(data, allowed=builders.TEMPLATE_FIELDS)
    if problems:
        raise ValidationError({"file": problems})
    try:
        placeholders = template_placeholders(data)
    except TemplateRenderError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    safe_name = strip_diacritics(filename or "mau.docx").replace("/", "_").replace("\\", "_")[:200]
    template = DocumentTemplate(
        kind=kind,
        name=name[:200],
        file_name=safe_name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        placeholders=placeholders,
        is_active=False,
        uploaded_by=actor,
    )
    template.file.save(safe_name, ContentFile(data), save=False)
    template.save()
    audit.record_create(actor=actor, unit_id=None, obj=template)
    if activate:
        template = activate_template(actor=actor, template=template)
    return template


@transaction.atomic
def activate_template(*, actor: Actor, template: DocumentTemplate) -> DocumentTemplate:
    """Use this template for its kind from now on (the previous active one is set aside)."""
    _require_admin(actor)
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    # Checked again: a template stored by an older version of the rules must still pass today's check.
    with template.file.open("rb") as handle:
        problems = validate_template(handle.read(), allowed=builders.TEMPLATE_FIELDS)
    if problems:
        raise ValidationError({"file": problems})
    for other in (
        DocumentTemplate.objects.select_for_update()
        .filter(kind=template.kind, is_active=True)
        .exclude(pk=template.pk)
    ):
        other.is_active = False
        other.save(update_fields=["is_active"])
        audit.record_transition(actor=actor, unit_id=None, obj=other, field="is_active", old=True, new=False)
    if not template.is_active:
        template.is_active = True
        template.save(update_fields=["is_active"])
        audit.record_transition(
            actor=actor, unit_id=None, obj=template, field="is_active", old=False, new=True
        )
    return template


@transaction.atomic
def deactivate_template(*, actor: Actor, template: DocumentTemplate) -> DocumentTemplate:
    """Back to the built-in Decree 30 layout for this kind."""
    _require_admin(actor)
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_active:
        template.is_active = False
        template.save(update_fields=["is_active"])
        audit.record_transition(
            actor=actor, unit_id=None, obj=template, field="is_active", old=True, new=False
        )
    return template
