"""The app's URLs plus two reference views for the load test (bench settings only, never in the app):

- ``/bench/bare/``  — the cheapest possible Django view behind the same middleware (the ceiling);
- ``/bench/write/`` — the same, plus the minimum database work of one survey answer: one ``Response`` and
  its 16 ``Answer`` rows in one transaction (what any submission must write; stored as rejected so
  that they count in no figure), without the form, the checks or the page logic. It tells how much of a submission's cost is the database and how much the rest.
- ``/bench/write-batched/`` — the cheapest durable design there is: the request hands its answer to one
  writer thread per process and waits until the transaction holding it commits ("group commit": the
  writer stores every answer waiting at that moment in one transaction). No form, no checks, the link
  read once per process. It is the upper bound of any view that answers "thank you" only once the answer
  is safely stored.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from django.db import close_old_connections, transaction
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
    from friendlygov.surveys.models import Answer, Response

    if request.method != "POST":
        return HttpResponse("ok", content_type="text/plain")
    link = _link()
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


def _link() -> Any:
    from friendlygov.surveys.models import SurveyLink

    if "link" not in _cache:
        link = SurveyLink.objects.select_related("questionnaire").get(token=WRITE_LINK)
        _cache["link"] = link
        _cache["version_id"] = link.questionnaire.versions.order_by("-number").values_list("pk", flat=True)[0]
    return _cache["link"]


class _Waiting:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.stored = False
        self.done = threading.Event()


_queue: queue.Queue[_Waiting] = queue.Queue()
_writer_lock = threading.Lock()
_writer: list[threading.Thread] = []


def _store_batches() -> None:
    from friendlygov.surveys.models import Answer, Response

    while True:
        batch = [_queue.get()]
        while True:
            try:
                batch.append(_queue.get_nowait())
            except queue.Empty:
                break
        try:
            close_old_connections()
            link = _cache["link"]
            with transaction.atomic():
                rows = Response.objects.bulk_create(
                    Response(
                        unit_id=link.unit_id,
                        questionnaire_id=link.questionnaire_id,
                        questionnaire_version_id=_cache["version_id"],
                        link=link,
                        channel=Response.Channel.ONLINE,
                        submitted_at=timezone.now(),
                        status=Response.Status.REJECTED,
                    )  # fmt: skip
                    for _waiting in batch
                )
                Answer.objects.bulk_create(
                    Answer(response=row, item=f"X.{k}", value=int(v))
                    for row, waiting in zip(rows, batch, strict=True)
                    for k, v in waiting.values.items()
                )
            for waiting in batch:
                waiting.stored = True
        finally:
            for waiting in batch:
                waiting.done.set()


def write_batched(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse("ok", content_type="text/plain")
    _link()
    with _writer_lock:
        if not _writer:
            _writer.append(threading.Thread(target=_store_batches, daemon=True, name="bench-group-commit"))
            _writer[0].start()
    waiting = _Waiting(
        {
            key[1:]: str(request.POST.get(key))
            for key in request.POST
            if key.startswith("i") and key[1:].isdigit()
        }
    )
    _queue.put(waiting)
    if not waiting.done.wait(30) or not waiting.stored:
        return HttpResponse("not stored", status=503, content_type="text/plain")
    return HttpResponseRedirect("/bench/write-batched/")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/write/", write, name="bench_write"),
    path("bench/write-batched/", write_batched, name="bench_write_batched"),
    path("", include("friendlygov.urls")),
]
