from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from friendlygov.kit import site
from friendlygov.notifications.models import Notification
from friendlygov.org.models import Unit


def notify_once(
    *,
    user: Any,
    dedupe_key: str | None,
    title: str,
    body: str = "",
    url: str = "",
    unit: Unit | None = None,
    email: bool = False,
) -> Notification | None:
    """Create a notification unless one with the same key exists; e-mail it when asked.

    The unique key makes this safe to run concurrently: the second insert fails and is ignored.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, unit=unit, title=title[:300], body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    if email and user.email:
        # An e-mail needs the whole address: the site's public one, or the request's (kit/site.py).
        link = site.absolute(url)
        send_mail(
            subject=title, message=f"{body}\n\n{link}".strip(), from_email=None, recipient_list=[user.email]
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return notification


def mark_read(*, user: Any, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
