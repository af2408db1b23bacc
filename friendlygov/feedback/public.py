"""Public feedback pages (no login): submit, thank-you with the tracking code, tracking, rating, reopening,
and the unit's published answers. They render only public dataclasses — never a contact detail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from friendlygov.feedback import selectors, services
from friendlygov.feedback.forms import HONEYPOT, RateForm, ReopenForm, SubmitForm, TrackForm
from friendlygov.feedback.tracking import normalize_code, rate_limited
from friendlygov.kit.forms_util import attach_errors

SESSION_KEY = "feedback_submitted_code"


def _throttled(request: HttpRequest) -> HttpResponse:
    response = render(request, "feedback/public_throttled.html", status=429)
    response["Retry-After"] = "600"
    return response


@never_cache
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    unit = services.public_unit(slug)
    retention = services.settings_for(unit).retention_days
    form = SubmitForm(request.POST or None, unit=unit)
    if request.method == "POST":
        if rate_limited(request, "submit"):
            return _throttled(request)
        if form.is_valid():
            if form.cleaned_data[HONEYPOT]:
                # A bot filled the hidden field: thank it and keep nothing.
                return render(request, "feedback/public_thanks.html", {"unit": unit, "code": None})
            data = form.cleaned_data
            try:
                feedback = services.submit_feedback(
                    unit=unit,
                    about_body=data.get("about_body"),
                    **services.feedback_input(data),
                )
                request.session[SESSION_KEY] = feedback.code
                return redirect("feedback:public_thanks", slug=unit.slug)
            except ValidationError as exc:
                attach_errors(form, exc)
    return render(
        request,
        "feedback/public_submit.html",
        {
            "unit": unit,
            "form": form,
            "consent": services.consent_text(unit, retention),
            "contact_fields": [form[name] for name in SubmitForm.CONTACT_FIELDS],
        },
    )


@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    unit = services.public_unit(slug)
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("feedback:public_submit", slug=unit.slug)
    feedback = selectors.find_by_code(code)
    if feedback is None or feedback.unit_id != unit.pk:
        return redirect("feedback:public_submit", slug=unit.slug)
    return render(
        request,
        "feedback/public_thanks.html",
        {
            "unit": unit,
            "code": feedback.code_display,
            "track_url": reverse("feedback:public_track") + f"?ma={feedback.code}",
        },
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    status = None
    not_found = False
    if form.is_bound and form.is_valid():
        if rate_limited(request, "lookup"):
            return _throttled(request)
        feedback = selectors.find_by_code(form.cleaned_data["ma"])
        if feedback is None:
            not_found = True
        else:
            status = selectors.public_status(feedback)
    response = render(
        request,
        "feedback/public_track.html",
        {
            "form": form,
            "status": status,
            "not_found": not_found,
            "rate_form": RateForm(),
            "reopen_form": ReopenForm(),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _tracked(request: HttpRequest, code: str) -> tuple[object, str]:
    normal = normalize_code(code)
    feedback = selectors.find_by_code(code) if normal else None
    if feedback is None:
        from django.http import Http404

        raise Http404
    return feedback, reverse("feedback:public_track") + f"?ma={feedback.code}"


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    if rate_limited(request, "lookup"):
        return _throttled(request)
    feedback, back = _tracked(request, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate_feedback(feedback=feedback, rating=form.cleaned_data["rating"])  # type: ignore[arg-type]
            messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Hãy chọn một mức độ hài lòng."))
    return redirect(back)


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    if rate_limited(request, "lookup"):
        return _throttled(request)
    feedback, back = _tracked(request, code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_feedback(feedback=feedback, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            messages.success(request, _("Đã mở lại phản ánh. Đơn vị sẽ xem xét lại và trả lời ông/bà."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Hãy cho biết lý do mở lại."))
    return redirect(back)


def published(request: HttpRequest, slug: str) -> HttpResponse:
    unit = services.public_unit(slug)
    return render(
        request,
        "feedback/public_published.html",
        {
            "unit": unit,
            "answers": selectors.published_answers(unit=unit, limit=100),
        },
    )
