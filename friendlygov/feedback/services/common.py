"""What every feedback write shares: the default states and texts, the clock, locking and versions,
events and notifications (who may do what: ``friendlygov.feedback.permissions``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from friendlygov.feedback.models import (
    Feedback,
    FeedbackEvent,
    StateType,
)
from friendlygov.feedback.permissions import feedback_permissions
from friendlygov.kit.concurrency import check_version
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit
from friendlygov.rules.text import normalize_vi

# ---------------------------------------------------------------- defaults and texts

DEFAULT_STATES: list[tuple[str, str, str]] = [
    (
        StateType.OPEN,
        "Mới tiếp nhận",
        "{don_vi} đã tiếp nhận phản ánh, kiến nghị của ông/bà (mã tra cứu {ma}) và sẽ xem xét, trả lời trong "
        "thời hạn 15 ngày làm việc.",
    ),
    (
        StateType.IN_PROGRESS,
        "Đang xử lý",
        "Phản ánh, kiến nghị của ông/bà đang được xem xét, xử lý. Hạn xử lý: {han}.",
    ),
    (
        StateType.WAITING_CITIZEN,
        "Chờ người dân bổ sung",
        "Để có cơ sở xem xét, đề nghị ông/bà cung cấp thêm thông tin. Thời gian chờ ông/bà bổ sung không tính "
        "vào thời hạn xử lý.",
    ),
    (
        StateType.ANSWERED,
        "Đã trả lời",
        "{don_vi} đã trả lời phản ánh, kiến nghị của ông/bà. Trân trọng cảm ơn ông/bà.",
    ),
    (StateType.CLOSED, "Đã đóng", "Phản ánh, kiến nghị đã được giải quyết xong và kết thúc theo dõi."),
    (
        StateType.REJECTED,
        "Không tiếp nhận",
        "Phản ánh, kiến nghị không thuộc phạm vi xử lý của {don_vi} hoặc không đủ thông tin để xem xét.",
    ),
]

TOPIC_LIMITS = {"subject": (5, 200), "content": (10, 5000)}
_PHONE_CHARS = re.compile(r"^[0-9+ ().\-]{8,30}$")


class AlreadyRecorded(Exception):
    """Staff entry sent again with the key of a form already stored (a retry after a dropped connection):
    nothing was stored this time; ``feedback`` is what the first post stored."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(f"Phản ánh đã được ghi nhận trước đó ({feedback.code_display}).")
        self.feedback = feedback


def authority(unit: Unit) -> str:
    """The commune's People's Committee as a citizen reads it: "Ủy ban nhân dân xã Thanh Miện"."""
    return f"Ủy ban nhân dân {unit.kind_prefix} {unit.name}"


def consent_text(unit: Unit, retention_days: int) -> str:
    """The consent the citizen gives with contact details (purpose, data, who, how long, rights) —
    Nghị định 13/2023/NĐ-CP; the exact text given is stored with the details."""
    return (
        f"Tôi đồng ý để {authority(unit)} xử lý thông tin liên hệ tôi cung cấp (họ và tên, số điện thoại, "
        "thư điện tử, địa chỉ) chỉ nhằm mục đích liên hệ với tôi để làm rõ và trả lời phản ánh, kiến nghị "
        "này, theo Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ về bảo vệ dữ liệu cá nhân. "
        "Thông tin này không được công khai; chỉ cán bộ được giao xử lý phản ánh được xem và mỗi lần xem "
        f"đều được ghi lại; thông tin được xóa sau {retention_days} ngày kể từ khi phản ánh được giải quyết "
        "xong. Tôi có quyền yêu cầu xem, sửa hoặc xóa thông tin này bằng cách liên hệ Ủy ban nhân dân và "
        "cung cấp mã tra cứu. Việc cung cấp thông tin liên hệ là tự nguyện; không cung cấp thì phản ánh "
        "vẫn được tiếp nhận."
    )


def render_template(text: str, *, feedback: Feedback, handle_by: dt.date | None = None) -> str:
    return (
        text.replace("{ma}", feedback.code_display)
        .replace("{don_vi}", authority(feedback.unit))
        .replace("{han}", handle_by.strftime("%d/%m/%Y") if handle_by else "—")
    )


# ---------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _check_version(obj: Any, expected_version: int | None) -> None:
    check_version(
        obj,
        expected_version,
        message="Phản ánh này đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang để xem thay đổi.",
    )


def _lock(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("unit", "state", "body", "about_body")
        .get(pk=feedback.pk)
    )


def _actor_name(actor: Actor | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "Người dân" if actor is None else "hệ thống"
    return str(actor.get_full_name() or actor.get_username())


def _event(
    feedback: Feedback,
    kind: str,
    *,
    actor: Actor | None = None,
    to_type: str = "",
    from_type: str = "",
    state_name: str = "",
    message: str = "",
    note: str = "",
    actor_label: str | None = None,
) -> FeedbackEvent:
    now = _now()
    return FeedbackEvent.objects.create(
        feedback=feedback,
        kind=kind,
        at=now,
        on=timezone.localtime(now).date(),
        from_type=from_type,
        to_type=to_type,
        state_name=state_name,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_label if actor_label is not None else _actor_name(actor),
        message=message,
        note=note,
    )


def _search_text(feedback: Feedback) -> str:
    return normalize_vi(" ".join([feedback.code, feedback.subject, feedback.content, feedback.procedure_ref]))


def _url(feedback: Feedback) -> str:
    return reverse("feedback:detail", kwargs={"slug": feedback.unit.slug, "pk": feedback.pk})


def may_handle(actor: Actor, feedback: Feedback) -> bool:
    """Whether ``actor`` handles ``feedback`` (:func:`friendlygov.feedback.permissions.feedback_permissions`
    answers this and the rest)."""
    return feedback_permissions(actor, feedback).may_handle


def _notify(users: Any, *, key: str, title: str, body: str, url: str, unit: Unit) -> None:
    from friendlygov.notifications.services import notify_once

    for user in users:
        notify_once(user=user, dedupe_key=f"{key}:u{user.pk}", title=title, body=body, url=url, unit=unit)
