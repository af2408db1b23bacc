"""Step 5 page: submitting the self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import SubmitForm
from friendlygov.kit.forms_util import attach_errors
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability

from .common import _cycle


@login_required
def submit(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.LEAD, unit)
    data = selectors.load_cycle_data(cycle)
    issues = selectors.quality_checks(cycle, data)
    form = SubmitForm(request.POST or None, initial={"expected_version": cycle.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_cycle(
                actor=request.user,
                cycle=cycle,
                acknowledge_issues=form.cleaned_data["acknowledge"],
                expected_version=form.cleaned_data["expected_version"],
            )
            messages.success(
                request, _("Đã nộp bản tự đánh giá; hồ sơ được khóa và chuyển thành phố thẩm định.")
            )
            return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/submit.html",
        {
            "unit": unit,
            "cycle": cycle,
            "issues": issues,
            "form": form,
            "result": data.result("consolidated"),
            "registration": selectors.registration_of(cycle),
            "completeness": selectors.completeness(data),
            "late": timezone.localdate() > cycle.submission_deadline,
            "pending": [
                (p, crit.describe_value(data.node(p.criterion_code), p.value) or p.value)
                for p in selectors.pending_proposals(cycle)
            ],
        },
    )
