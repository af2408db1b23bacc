"""Writes of the budget registers: budget lines and spending."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import BudgetLine, BudgetSource, CommunicationKind, Spending
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import format_vn_number

from .common import (
    _amount,
    _check_upload,
    _choice,
    _create,
    _date,
    _gather,
    _lock,
    _own_task,
    _save_update,
    _store,
    _text,
    _today,
    _year_in_range,
)


def _line_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    def source_note() -> str:
        note = _text(fields.get("source_note"), "source_note", _("nguồn"), required=False, max_length=200)
        if fields.get("source") == BudgetSource.OTHER and not note:
            raise ValidationError(
                {"source_note": _("Ghi rõ nguồn kinh phí hợp pháp khác (ví dụ: xã hội hóa, tài trợ).")}
            )
        return note

    def kind() -> str:
        value = str(fields.get("activity_kind") or "")
        return (
            _choice(value, CommunicationKind, "activity_kind", _("hình thức tuyên truyền")) if value else ""
        )

    return _gather(
        {
            "title": lambda: _text(fields.get("title"), "title", _("nội dung chi"), max_length=300),
            "activity_kind": kind,
            "task": lambda: _own_task(unit, fields.get("task")),
            "source": lambda: _choice(
                str(fields.get("source") or ""), BudgetSource, "source", _("nguồn kinh phí")
            ),
            "source_note": source_note,
            "estimated": lambda: _amount(fields.get("estimated"), "estimated", _("dự toán đề nghị")),
            "approved": lambda: _amount(
                fields.get("approved"), "approved", _("số được phê duyệt"), required=False
            ),
            "approval_ref": lambda: _text(
                fields.get("approval_ref"),
                "approval_ref",
                _("quyết định giao dự toán"),
                required=False,
                max_length=200,
            ),
            "note": lambda: _text(fields.get("note"), "note", _("ghi chú"), required=False, max_length=500),
        }
    )


@transaction.atomic
def add_budget_line(
    *, actor: Actor, unit: Unit, year: int, position: int | None = None, **fields: Any
) -> BudgetLine:
    """A line of the yearly estimate (title, activity_kind, task, source, source_note, estimated, approved,
    approval_ref, note). The Economic Office or the coordinator."""
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    year = _year_in_range(year)
    values = _line_fields(unit, fields)
    if position is None:
        position = BudgetLine.objects.filter(unit=unit, year=year).count() + 1
    line = _create(actor, BudgetLine(unit=unit, year=year, position=position, created_by=actor, **values))
    plan_services.record_cycle_event(
        actor=actor,
        unit=unit,
        year=year,
        kind=plan_services.EventKind.BUDGET_ESTIMATE,
        happened_on=_today(),
        source=f"operations.budget_line:{line.pk}",
        label=f"Dự toán kinh phí năm {year}: {line.title}",
        url=reverse("operations:budget", kwargs={"slug": unit.slug}),
    )
    return line


@transaction.atomic
def update_budget_line(
    *, actor: Actor, line: BudgetLine, expected_version: int | None, **fields: Any
) -> BudgetLine:
    perms.require_that(actor, line.unit, perms.may_manage_budget(actor, line.unit))
    line = _lock(line)
    _check_version(line, expected_version)
    merged = {
        name: getattr(line, name)
        for name in (
            "title",
            "activity_kind",
            "task",
            "source",
            "source_note",
            "estimated",
            "approved",
            "approval_ref",
            "note",
        )
    } | fields
    values = _line_fields(line.unit, merged)
    spent = sum(s.amount for s in line.spendings.all())
    if spent and (values["approved"] is None or values["approved"] < spent):
        raise ValidationError(
            {
                "approved": _("Số được phê duyệt không được thấp hơn số đã chi (%(n)s đồng).")
                % {"n": format_vn_number(spent)}
            }
        )
    before = audit.snapshot(line)
    for name, value in values.items():
        setattr(line, name, value)
    if "position" in fields:
        line.position = int(fields["position"] or 0)
    return _save_update(actor, line, before)


def _spending_fields(
    line: BudgetLine, fields: Mapping[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    spent_on = _date(fields.get("spent_on"), "spent_on", _("ngày chi"), not_future=True)
    assert spent_on is not None
    if spent_on.year != line.year:
        raise ValidationError(
            {"spent_on": _("Ngày chi phải trong năm %(y)s của dự toán.") % {"y": line.year}}
        )
    amount = _amount(fields.get("amount"), "amount", _("số tiền"), positive=True)
    assert amount is not None
    if line.approved is None:
        raise ValidationError(
            {
                "line": _("Dòng dự toán «%(t)s» chưa có số được phê duyệt: chưa ghi chi được.")
                % {"t": line.title}
            }
        )
    others_qs = line.spendings.all() if exclude_pk is None else line.spendings.exclude(pk=exclude_pk)
    others = sum(s.amount for s in others_qs)
    if others + amount > line.approved:
        left = line.approved - others
        raise ValidationError(
            {
                "amount": _("Vượt số được phê duyệt: dòng này chỉ còn %(n)s đồng.")
                % {"n": format_vn_number(left)}
            }
        )
    activity = fields.get("activity")
    if activity is not None and activity.unit_id != line.unit_id:
        raise ValidationError({"activity": _("Hoạt động không thuộc đơn vị này.")})
    return {
        "spent_on": spent_on,
        "amount": amount,
        "description": _text(fields.get("description"), "description", _("nội dung chi"), max_length=300),
        "voucher": _text(fields.get("voucher"), "voucher", _("số chứng từ"), required=False, max_length=100),
        "activity": activity,
    }


@transaction.atomic
def record_spending(
    *, actor: Actor, line: BudgetLine, upload: UploadedFile | None = None, **fields: Any
) -> Spending:
    """Money spent against an approved line (spent_on, amount, description, voucher, activity)."""
    unit = line.unit
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    line = _lock(line)
    values = _spending_fields(line, fields)
    if upload is not None:
        _check_upload(upload, "upload")
    spending = Spending(unit=unit, line=line, created_by=actor, **values)
    if upload is not None:
        spending.evidence = _store(
            actor,
            unit,
            upload,
            body=perms.duty_body(unit, perms.ECONOMIC_OFFICE),
            effective_date=values["spent_on"],
            title=f"Chứng từ chi: {values['description']}"[:300],
            field="upload",
        )
    return _create(actor, spending)


@transaction.atomic
def update_spending(
    *,
    actor: Actor,
    spending: Spending,
    expected_version: int | None,
    upload: UploadedFile | None = None,
    **fields: Any,
) -> Spending:
    unit = spending.unit
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    spending = _lock(spending)
    _check_version(spending, expected_version)
    line = _lock(spending.line)
    merged = {
        name: getattr(spending, name) for name in ("spent_on", "amount", "description", "voucher", "activity")
    } | fields
    values = _spending_fields(line, merged, exclude_pk=spending.pk)
    if upload is not None:
        _check_upload(upload, "upload")
    before = audit.snapshot(spending)
    for name, value in values.items():
        setattr(spending, name, value)
    if upload is not None:
        spending.evidence = _store(
            actor,
            unit,
            upload,
            body=perms.duty_body(unit, perms.ECONOMIC_OFFICE),
            effective_date=values["spent_on"],
            title=f"Chứng từ chi: {values['description']}"[:300],
            field="upload",
        )
    return _save_update(actor, spending, before)
