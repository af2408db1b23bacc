"""Step 7 pages: the city's recognition and its file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import RecognitionForm
from friendlygov.kit.forms_util import attach_errors
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability

from .common import _cycle


@login_required
def recognise(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.APPRAISE, unit)
    cs = crit.parsed(cycle.criteria_set)
    final = (cycle.final_result or {}).get("level") or {}
    codes = [lv.code for lv in cs.levels]
    top = codes.index(final["code"]) if final.get("code") in codes else -1
    levels = [(lv.code, lv.name) for lv in cs.levels[: top + 1]][::-1]
    form = RecognitionForm(
        request.POST or None,
        request.FILES or None,
        levels=levels,
        initial={"level_code": final.get("code"), "decision_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recognise(
                actor=request.user, cycle=cycle, upload=form.cleaned_data.pop("file"), **form.cleaned_data
            )
            messages.success(request, _("Đã ghi quyết định công nhận."))
            return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/recognise.html",
        {"unit": unit, "cycle": cycle, "form": form, "final": cycle.final_result},
    )


@login_required
def recognition_file(request: AuthenticatedRequest, slug: str, year: int) -> FileResponse:
    cycle = _cycle(request, slug, year)
    recognition = selectors.recognition_of(cycle)
    if recognition is None or not recognition.file:
        raise Http404
    response = FileResponse(
        recognition.file.open("rb"),
        as_attachment=False,
        filename=recognition.file_name,
        content_type=recognition.file_type,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
