"""The app's URLs plus two reference views for the load test (bench settings only, never in the app):

- ``/bench/bare/``  — the cheapest possible Django view behind the same middleware (the ceiling);
- ``/bench/write/`` — the same, plus the minimum database work of one survey answer: one ``Response`` and
  its 16 ``Answer`` rows in one transaction (what any submission must write; stored as rejected so
  that they count in no figure), without the form, the checks or the page logic. It tells how much of a submission's cost is the database and how much the rest.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone

WRITE_LINK = "bench-tai-thu-ghi"
_cache: dict[str, Any] = {}


def bare(request: HttpRequest) -> HttpResponse:
    """Same middleware (sessions, CSRF check of the POST, security headers) as the survey form; no work.
    Answers a POST like the form does (a redirect), a GET with a short text."""
    if request.method == "POST":
        return HttpResponseRedirect("/bench/bare/")
    return HttpResponse("ok", content_type="text/plain")


def write(request: HttpRequest) -> HttpResponse:
    from friendlygov.surveys.models import Answer, Response, SurveyLink

    if request.method != "POST":
        return HttpResponse("ok", content_type="text/plain")
    if "link" not in _cache:
        link = SurveyLink.objects.select_related("questionnaire").get(token=WRITE_LINK)
        _cache["link"] = link
        _cache["version_id"] = link.questionnaire.versions.order_by("-number").values_list("pk", flat=True)[0]
    link = _cache["link"]
    values = {
        key[1:]: str(request.POST.get(key))
        for key in request.POST
        if key.startswith("i") and key[1:].isdigit()
    }
    with transaction.atomic():
        response = Response.objects.create(
            unit_id=link.unit_id, questionnaire_id=link.questionnaire_id, questionnaire_version_id=_cache["version_id"],
            link=link, channel=Response.Channel.ONLINE, submitted_at=timezone.now(), status=Response.Status.REJECTED,
        )  # fmt: skip
        Answer.objects.bulk_create(
            Answer(response=response, item=f"X.{k}", value=int(v)) for k, v in values.items()
        )
    return HttpResponseRedirect("/bench/write/")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/write/", write, name="bench_write"),
    path("", include("friendlygov.urls")),
]
