"""Step 4 page, joint scoring: the joint sheet."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.rules.numbers import typed_score_text

from .common import _cycle, _error
from .scoring import _int_or_none


@login_required
def joint_sheet(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """The joint scorers' sheet: every criterion on one page with the self-assessed value and its evidence;
    per row «đồng ý» or a proposed value with the reason; saved at once (rows left empty stay as they are)."""
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.JOINT_SCORE, unit)
    bodies = services.joint_bodies(request.user, unit)
    if not bodies:
        raise PermissionDenied
    by_pk = {str(b.pk): b for b in bodies}
    body = by_pk.get(request.POST.get("co_quan") or request.GET.get("co_quan") or "", bodies[0])
    data = selectors.load_cycle_data(cycle)
    codes = [row.code for row in crit.tree_rows(data.cs) if row.is_leaf and not row.source]
    typed: dict[str, services.SheetRow] = {}
    row_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        typed = {
            code: services.SheetRow(
                criterion_code=code,
                agree=post.get(f"agree-{code}") == "1",
                value=post.get(f"value-{code}", "")[:100],
                reason=post.get(f"reason-{code}", "")[:2000],
                version=_int_or_none(post.get(f"version-{code}")),
                seen_value=post.get(f"seen-{code}"),
            )
            for code in codes
        }
        try:
            # values typed into the page are read the Vietnamese way (1.100/1.350), like every form's
            # number field; the typed text itself is what the page shows again on an error
            read = [dataclasses.replace(row, value=typed_score_text(row.value)) for row in typed.values()]
            saved = services.save_joint_sheet(actor=request.user, cycle=cycle, rows=read, body=body)
            done = _("Đã lưu ý kiến chấm phối hợp của %(body)s (%(n)d tiêu chí).")
            messages.success(request, done % {"body": body.name, "n": saved})
            url = reverse("assessments:joint_sheet", kwargs={"slug": unit.slug, "year": year})
            return redirect(f"{url}?co_quan={body.pk}" if len(bodies) > 1 else url)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                row_errors = {
                    code: [m for e in errors for m in e.messages] for code, errors in exc.error_dict.items()
                }
                unknown = [m for code, msgs in row_errors.items() if code not in codes for m in msgs]
                explain = _("Chưa lưu gì: xem lỗi ở các dòng được đánh dấu; mọi giá trị đã nhập vẫn còn.")
                messages.error(request, " ".join(unknown) or explain)
            else:
                _error(request, exc)
    reviews = selectors.joint_reviews(cycle, body)
    measured = selectors.measured_states(data)
    rows = []
    for row in crit.tree_rows(data.cs):
        code = row.code
        entry = data.entries.get(code)
        review = reviews.get(code)
        rows.append(
            {
                "row": row,
                "editable": code in codes,
                "self_text": crit.describe_value(row.node, data.raw("self", code)) if row.is_leaf else "",
                "self_raw": entry.value if entry is not None else "",
                "evidence": len(data.live_evidence(code)) if row.is_leaf else None,
                "explanation": entry.explanation if entry is not None else "",
                "review": review,
                "review_text": crit.describe_value(row.node, review.value) if review is not None else "",
                "version": review.version if review is not None else 0,
                "typed": typed.get(code),
                "errors": row_errors.get(code, []),
                "measured": measured.get(code),
            }
        )
    return render(
        request,
        "assessments/joint_sheet.html",
        {
            "unit": unit,
            "cycle": cycle,
            "body": body,
            "bodies": bodies,
            "rows": rows,
            "editable": cycle.is_editable,
            "error_count": len(row_errors),
        },
    )
