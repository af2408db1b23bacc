from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from friendlygov.notifications import services
from friendlygov.notifications.models import Notification
from friendlygov.org.access import AuthenticatedRequest


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user_id=int(request.user.pk or 0))[:200]
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")
