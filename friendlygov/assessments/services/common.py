"""Helpers shared by the assessment steps' writes: versions, editability, criteria lookup, notifications."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Cycle
from friendlygov.kit.concurrency import check_version
from friendlygov.notifications.services import notify_once
from friendlygov.org.access import users_with_roles
from friendlygov.org.models import Role, Unit
from friendlygov.rules.scoring import Condition, CriteriaSet, Criterion, ScoreValueError


def _check_version(
    obj: Any, expected_version: int | None, what: str, field: str = "version", *, shown: str | None = None
) -> None:
    """Refuse a save made from an older version (``obj`` None: no record yet, version 0). ``shown``: the
    stored value, put in the message so that the person sees what the other one entered."""
    message = f"{what} đã được người khác cập nhật; hãy tải lại trang để xem thay đổi rồi nhập lại."
    if obj is not None and shown is not None:
        who = (
            getattr(obj, "entered_by", None)
            or getattr(obj, "settled_by", None)
            or getattr(obj, "appraised_by", None)
        )
        name = (who.get_full_name() or who.get_username()) if who is not None else "người khác"
        message = (
            f"{what} đã được người khác cập nhật: {name} vừa lưu «{shown or 'chưa có giá trị'}» trong lúc bạn "
            "đang nhập. Hãy xem lại; nếu vẫn muốn thay bằng giá trị của mình, lưu thêm một lần nữa."
        )
    check_version(obj, expected_version, message=message, field=field)


def _ensure_editable(cycle: Cycle) -> None:
    if not cycle.is_editable:
        when = timezone.localtime(cycle.submitted_at).strftime("%d/%m/%Y") if cycle.submitted_at else ""
        raise ValidationError(
            f"Bản tự đánh giá năm {cycle.year} đã nộp{(' ngày ' + when) if when else ''} và đang bị khóa "
            f"({cycle.get_status_display().lower()}); không thể thay đổi."
        )


def _node(cs: CriteriaSet, code: str) -> Criterion | Condition:
    node = crit.node_for(cs, code)
    if node is None:
        raise ValidationError(
            {"criterion_code": f"Bộ tiêu chí {cs.code} không có tiêu chí hay điều kiện mã «{code}»."}
        )
    return node


def _scorable(cs: CriteriaSet, code: str, *, allow_source: bool = False) -> Criterion | Condition:
    node = _node(cs, code)
    if isinstance(node, Criterion) and node.children:
        raise ValidationError(
            {
                "value": f"Tiêu chí {code} là tiêu chí cha; điểm của nó được tính từ các tiêu chí con, không nhập trực tiếp."
            }
        )
    if isinstance(node, Criterion) and node.source and not allow_source:
        raise ValidationError(
            {
                "value": f"Tiêu chí {code} lấy giá trị từ số liệu đo được ({node.source}); không nhập tay: "
                "xác nhận số liệu đo được, hoặc ghi giá trị khác kèm lý do."
            }
        )
    return node


def _value_text(
    node: Criterion | Condition, value: str, ticked: Sequence[int] | None, *, field: str = "value"
) -> tuple[str, list[int]]:
    """Check a value in the contract's syntax (or ticked checklist items); returns (text, ticked)."""
    ticks: list[int] = []
    if isinstance(node, Criterion) and node.kind == "checklist" and ticked is not None:
        count = len(node.items or [])
        for index in ticked:
            if not isinstance(index, int) or index < 0 or index >= count:
                raise ValidationError(
                    {field: f"Tiêu chí {node.code}: mục số {index} không có trong danh mục ({count} mục)."}
                )
        ticks = sorted(set(ticked))
        value = str(len(ticks))
    text = (value or "").strip()
    try:
        crit.read_value(node, text)
    except ScoreValueError as error:
        raise ValidationError({field: f"Tiêu chí {node.code}: {error.message}."}) from None
    return text, ticks


def _link(cycle: Cycle, code: str = "") -> str:
    url = reverse("assessments:cycle_detail", kwargs={"slug": cycle.unit.slug, "year": cycle.year})
    if code:
        url = reverse(
            "assessments:criterion_detail", kwargs={"slug": cycle.unit.slug, "year": cycle.year, "code": code}
        )
    return url


def _notify(
    users: Iterable[Any], *, key: str, title: str, body: str = "", url: str = "", unit: Unit | None = None
) -> None:
    for user in users:
        notify_once(user=user, dedupe_key=f"{key}:{user.pk}", title=title, body=body, url=url, unit=unit)


def _city_reviewers(unit: Unit) -> Any:
    city = unit.parent if unit.parent_id else unit
    return users_with_roles(city, [Role.CITY_REVIEWER]) if city is not None else []
