from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from friendlygov.db_router import use_replica
from friendlygov.kit import panels, site
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.org.selectors import city_units


def root(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "core/welcome.html",
            {"cities": Unit.objects.filter(kind__in=Unit.CITY_KINDS, is_active=True)},
        )
    return home(cast(AuthenticatedRequest, request))  # signed in: checked above


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each person to the page of the unit they work for; several units → a chooser."""
    units = list(access.visible_units(request.user).filter(is_active=True).order_by("kind", "name"))
    cities = [u for u in units if u.is_city]
    communes = [u for u in units if not u.is_city]
    if len(cities) == 1:
        return redirect("city_home", slug=cities[0].slug)
    if not cities and len(communes) == 1:
        return redirect("unit_home", slug=communes[0].slug)
    return render(
        request,
        "core/choose_unit.html",
        {"cities": cities, "communes": communes, "is_system_admin": access.is_system_admin(request.user)},
    )


@login_required
def unit_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        return redirect("city_home", slug=unit.slug)
    request.current_unit = unit  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "today": timezone.localdate(),
        "panels": panels.collect(panels.UNIT_PANELS, request, unit),
        "roles": sorted(access.roles_on(request.user, unit)),
    }
    return render(request, "core/unit_home.html", context)


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        return redirect("unit_home", slug=city.slug)
    request.current_unit = city  # type: ignore[attr-defined]
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    context = {
        "city": city,
        "units": city_units(city, query=query, kind=kind),
        "query": query,
        "kind": kind,
        "kinds": [k for k in Unit.Kind.choices if k[0] not in Unit.CITY_KINDS],
        "panels": panels.collect(panels.CITY_PANELS, request, city),
        "can_manage_city": access.can(request.user, access.Capability.MANAGE_CITY, city),
        "is_system_admin": access.is_system_admin(request.user),
    }
    return render(request, "core/city_home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a document names no icon (a JSON answer, a downloaded file)."""
    return redirect(static("core/favicon.svg"))


def healthz(request: HttpRequest) -> HttpResponse:
    Unit.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the e-mailed link on the site's public address when one is configured (kit/site.py);
    otherwise Django already uses the address of the request being served."""

    def form_valid(self, form: Any) -> HttpResponse:
        configured = site.configured_url()
        if configured:
            parts = urlsplit(configured)
            self.extra_email_context = {
                **(self.extra_email_context or {}),
                "protocol": parts.scheme,
                "domain": parts.netloc + parts.path,
            }
        return super().form_valid(form)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Shown when a form's security token is missing or stale (cookies blocked, page left open too long)."""
    return render(request, "core/csrf_failure.html", status=403)
