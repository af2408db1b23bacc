"""Reminders of work falling due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from friendlygov.notifications.services import notify_once
from friendlygov.org import access
from friendlygov.org.access import Actor
from friendlygov.org.models import Role, Unit
from friendlygov.plans.models import Occurrence, local_today

from .common import _url
from .progress import lead_people

REMIND_DAYS = 7


@dataclass
class RemindResult:
    sent: int = 0
    already: int = 0
    occurrences: int = 0


def reminder_step(occurrence: Occurrence, today: dt.date) -> str | None:
    """ "late" after the due date, "1d" due today or tomorrow, "7d" due within 7 days, else None."""
    days = (occurrence.due - today).days
    if days < 0:
        return "late"
    if days <= 1:
        return "1d"
    if days <= REMIND_DAYS:
        return "7d"
    return None


def _reminder_text(occurrence: Occurrence, step: str, today: dt.date) -> tuple[str, str]:
    task = occurrence.task
    due = f"{occurrence.due:%d/%m/%Y}"
    what = f"nhiệm vụ {task.number} ({occurrence.period_label_vi})"
    if step == "late":
        days = (today - occurrence.due).days
        title = f"Quá hạn {days} ngày: {what}, hạn {due}"
    elif step == "1d":
        title = f"{'Đến hạn hôm nay' if occurrence.due == today else 'Đến hạn ngày mai'}: {what}, hạn {due}"
    else:
        title = f"Sắp đến hạn ({due}): {what}"
    lead = task.lead_label or "chưa xác định"
    body = f"{task.text[:300]}\nChủ trì: {lead}. Tiến độ hiện tại: {occurrence.percent}%."
    return title, body


def send_reminders(
    *, actor: Actor | None = None, today: dt.date | None = None, unit: Unit | None = None
) -> RemindResult:
    """Remind each responsible person of what is due in 7 days, due tomorrow, and late — by e-mail and in
    the app, once per occurrence, step and person (the unique notification key makes a second run, even
    on another machine at the same time, send nothing). Lead body's people get their items; the unit's
    coordinators also get everything late."""
    today = today or local_today()
    result = RemindResult()
    items = (
        Occurrence.objects.filter(
            task__plan__is_current=True,
            task__is_active=True,
            orphaned=False,
            due__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
        .exclude(status__in=Occurrence.CLOSED)
        .select_related("task__lead_body", "task__plan", "unit")
        .order_by("due", "pk")
    )
    if unit is not None:
        items = items.filter(unit=unit)
    coordinators_by_unit: dict[int, list[Any]] = {}
    for occurrence in items:
        step = reminder_step(occurrence, today)
        if step is None:
            continue
        result.occurrences += 1
        people = {p.pk: p for p in lead_people(occurrence)}
        if step == "late":
            if occurrence.unit_id not in coordinators_by_unit:
                coordinators_by_unit[occurrence.unit_id] = list(
                    access.users_with_roles(occurrence.unit, [Role.COORDINATOR])
                )
            people.update({p.pk: p for p in coordinators_by_unit[occurrence.unit_id]})
        title, body = _reminder_text(occurrence, step, today)
        url = _url("plans:occurrence_detail", slug=occurrence.unit.slug, pk=occurrence.pk)
        for person in people.values():
            sent = notify_once(
                user=person,
                dedupe_key=f"remind:{occurrence.pk}:{step}:{person.pk}",
                title=title,
                body=body,
                url=url,
                unit=occurrence.unit,
                email=True,
            )
            if sent is None:
                result.already += 1
            else:
                result.sent += 1
    return result
