"""Writes of the programme reviews (midterm, final) and their sections."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.operations.models import ProgrammeReview, ReviewSection
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.plans import selectors as plan_selectors
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import normalize_vi

from .common import _choice, _create, _lock, _text, _today, _year

STANDARD_SECTIONS: list[tuple[str, str]] = [
    ("results", "Kết quả đạt được"),
    ("limitations", "Hạn chế, nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
    ("tasks_ahead", "Nhiệm vụ, giải pháp thời gian tới"),
    ("proposals", "Đề xuất, kiến nghị"),
]
DEFAULT_REVIEW_YEAR = {ProgrammeReview.Kind.MIDTERM: 2027, ProgrammeReview.Kind.FINAL: 2030}


def _plan_span(unit: Unit, year: int) -> tuple[int | None, int | None]:
    plan = plan_selectors.plan_for_year(unit, year)
    return (plan.start_year, plan.end_year) if plan is not None else (None, None)


@transaction.atomic
def open_review(
    *, actor: Actor, unit: Unit, kind: str, year: int | None = None, title: str = ""
) -> ProgrammeReview:
    """Open the mid-term (sơ kết, 2027) or final (tổng kết, 2030) review with the standard sections.
    A review cannot be opened before its year."""
    require(actor, Capability.COORDINATE, unit)
    kind = _choice(kind, ProgrammeReview.Kind, "kind", _("loại"))
    start, end = _plan_span(unit, _today().year)
    if year is None:
        year = (
            end
            if kind == ProgrammeReview.Kind.FINAL and end
            else DEFAULT_REVIEW_YEAR[ProgrammeReview.Kind(kind)]
        )
    year = _year(year)
    if year > _today().year:
        raise ValidationError(
            {
                "year": (
                    _("Chưa đến năm %(y)s: chỉ mở được đợt sơ kết từ năm %(y)s.")
                    if kind == ProgrammeReview.Kind.MIDTERM
                    else _("Chưa đến năm %(y)s: chỉ mở được đợt tổng kết từ năm %(y)s.")
                )
                % {"y": year}
            }
        )
    if ProgrammeReview.objects.filter(unit=unit, kind=kind, year=year).exists():
        raise ValidationError(
            {
                "year": (
                    _("Đã mở đợt sơ kết năm %(y)s.")
                    if kind == ProgrammeReview.Kind.MIDTERM
                    else _("Đã mở đợt tổng kết năm %(y)s.")
                )
                % {"y": year}
            }
        )
    from_year = start if start is not None and start <= year else year
    if kind == ProgrammeReview.Kind.FINAL and end is not None and start is not None and not start <= year:
        from_year = year
    word = "Sơ kết" if kind == ProgrammeReview.Kind.MIDTERM else "Tổng kết"
    default_title = (
        f"{word} {year - from_year + 1} năm thực hiện mô hình “Chính quyền thân thiện” ({from_year}–{year})"
        if year > from_year
        else f"{word} năm {year} thực hiện mô hình “Chính quyền thân thiện”"
    )
    review = _create(
        actor,
        ProgrammeReview(
            unit=unit,
            kind=kind,
            year=year,
            from_year=from_year,
            title=_text(title, "title", _("tiêu đề"), required=False, max_length=300) or default_title,
            created_by=actor,
        ),
    )
    for position, (key, section_title) in enumerate(STANDARD_SECTIONS, start=1):
        ReviewSection.objects.create(
            review=review, key=key, title=section_title, position=position, updated_by=actor
        )
    return review


def _editable_review(actor: Actor, review: ProgrammeReview) -> None:
    require(actor, Capability.COORDINATE, review.unit)
    if review.status == ProgrammeReview.Status.COMPLETED:
        raise ValidationError(_("Đợt sơ kết, tổng kết đã hoàn thành: mở lại để sửa."))


@transaction.atomic
def update_review_section(
    *, actor: Actor, section: ReviewSection, text: str, expected_version: int | None, title: str | None = None
) -> ReviewSection:
    _editable_review(actor, section.review)
    section = _lock(section)
    _check_version(section, expected_version)
    before = audit.snapshot(section, ["title", "text"])
    if title is not None:
        section.title = _text(title, "title", _("tiêu đề mục"), max_length=300)
    section.text = (text or "").strip()
    section.version += 1
    section.updated_by = actor
    section.save()
    audit.record_update(
        actor=actor,
        unit_id=section.review.unit_id,
        obj=section,
        before=before,
        note=f"{section.review.title}: {section.title}"[:300],
    )
    return section


@transaction.atomic
def add_review_section(*, actor: Actor, review: ProgrammeReview, title: str) -> ReviewSection:
    _editable_review(actor, review)
    title = _text(title, "title", _("tiêu đề mục"), max_length=300)
    base = re.sub(r"[^a-z0-9]+", "_", normalize_vi(title)).strip("_")[:30] or "muc"
    key, n = base, 1
    while review.sections.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    section = ReviewSection.objects.create(
        review=review, key=key, title=title, position=review.sections.count() + 1, updated_by=actor
    )
    audit.record(
        actor=actor, unit_id=review.unit_id, action="create", obj=section, changes={"title": [None, title]}
    )
    return section


def json_safe(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def complete_review(
    *, actor: Actor, review: ProgrammeReview, expected_version: int | None
) -> ProgrammeReview:
    """Mark the review completed and freeze its figures (``snapshot``)."""
    from friendlygov.operations.selectors import review_data

    _editable_review(actor, review)
    review = _lock(review)
    _check_version(review, expected_version)
    empty = [s.title for s in review.sections.all() if not s.text.strip()]
    if empty:
        raise ValidationError(_("Mục «%(t)s» chưa có nội dung.") % {"t": empty[0]})
    old = review.status
    with translation.override("vi"):  # the frozen figures feed the review document: kept in Vietnamese
        review.snapshot = json_safe({k: v for k, v in review_data(review=review).items() if k != "snapshot"})
    review.status = ProgrammeReview.Status.COMPLETED
    review.completed_at = timezone.now()
    review.version += 1
    review.save()
    audit.record_transition(
        actor=actor, unit_id=review.unit_id, obj=review, field="status", old=old, new=review.status
    )
    plan_services.record_cycle_event(
        actor=actor,
        unit=review.unit,
        year=review.year,
        kind=plan_services.EventKind.REVIEW_ISSUED,
        happened_on=review.completed_at,
        source=f"operations.review:{review.pk}",
        label=review.title,
        url=reverse("operations:review_detail", kwargs={"slug": review.unit.slug, "pk": review.pk}),
    )
    return review


@transaction.atomic
def reopen_review(*, actor: Actor, review: ProgrammeReview, expected_version: int | None) -> ProgrammeReview:
    require(actor, Capability.COORDINATE, review.unit)
    review = _lock(review)
    _check_version(review, expected_version)
    if review.status != ProgrammeReview.Status.COMPLETED:
        return review
    old = review.status
    review.status, review.completed_at, review.snapshot = ProgrammeReview.Status.DRAFT, None, {}
    review.version += 1
    review.save()
    audit.record_transition(
        actor=actor, unit_id=review.unit_id, obj=review, field="status", old=old, new=review.status
    )
    plan_services.withdraw_cycle_event(
        actor=actor,
        unit=review.unit,
        kind=plan_services.EventKind.REVIEW_ISSUED,
        source=f"operations.review:{review.pk}",
    )
    return review
