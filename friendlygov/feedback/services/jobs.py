"""The daily job: deadline reminders and expired contact details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from friendlygov.feedback.models import (
    PENDING_TYPES,
    FeedbackState,
)
from friendlygov.feedback.services.common import _today, _url
from friendlygov.feedback.services.contacts import purge_expired_contacts
from friendlygov.feedback.services.states import ensure_default_states
from friendlygov.org.models import Role, Unit

# ---------------------------------------------------------------- daily job


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Notify the handlers of items due soon or overdue (once per item, cycle and kind)."""
    from friendlygov.feedback.selectors import pending_with_deadlines
    from friendlygov.org.access import users_with_roles

    today = today or _today()
    sent = 0
    for unit in Unit.objects.filter(feedback_items__state__type__in=PENDING_TYPES).distinct():
        for feedback, status in pending_with_deadlines(unit=unit, today=today):
            if not (status.overdue or status.due_soon):
                continue
            kind = "overdue" if status.overdue else "due-soon"
            users = list(users_with_roles(unit, [Role.COORDINATOR]))
            if feedback.body is not None:
                users += list(users_with_roles(unit, [Role.BODY_MEMBER], body=feedback.body))
            title = (
                f"Phản ánh {feedback.code_display} đã quá hạn xử lý"
                if status.overdue
                else f"Phản ánh {feedback.code_display} sắp đến hạn xử lý ({status.handle_by:%d/%m/%Y})"
            )
            from friendlygov.notifications.services import notify_once

            for user in {u.pk: u for u in users}.values():
                if notify_once(
                    user=user,
                    dedupe_key=f"feedback:{feedback.pk}:{kind}:{status.start.isoformat()}:u{user.pk}",
                    title=title,
                    body=feedback.subject,
                    url=_url(feedback),
                    unit=unit,
                ):
                    sent += 1
    return sent


def daily_job(*, today: dt.date | None = None) -> dict[str, int]:
    """What a daily scheduler (e.g. the plans' reminder job) runs for feedback: erase expired contact
    details, then remind handlers of deadlines."""
    return {
        "contacts_erased": purge_expired_contacts(today=today),
        "reminders": send_deadline_reminders(today=today),
    }


def visible_states(unit: Unit) -> Sequence[FeedbackState]:
    return ensure_default_states(unit=unit)
