"""Staff pages for citizens' feedback. Contact details appear only on the logged contact page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from friendlygov.feedback import selectors, services
from friendlygov.feedback.forms import (
    AnswerForm,
    ApprovalSettingForm,
    AssignForm,
    ContactRequestForm,
    PublishForm,
    RecordForm,
    ReturnAnswerForm,
    SettingsForm,
    StateForm,
    TransitionForm,
)
from friendlygov.feedback.models import Feedback, FeedbackState, StateType
from friendlygov.feedback.permissions import Standing, feedback_permissions, feedback_unit_permissions
from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import id_param, int_param, year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page


def _item(request: HttpRequest, unit: Unit, pk: int) -> Feedback:
    return access.get_object_for(
        request.user,
        Feedback.objects.filter(unit=unit).select_related("unit", "state", "body"),
        Capability.READ,
        pk=pk,
    )


def _filters(request: HttpRequest) -> selectors.Filters:
    g = request.GET
    return selectors.Filters(
        state_type=g.get("loai", "") if g.get("loai", "") in StateType.values else "",
        state_id=id_param(g.get("trang_thai")),
        topic=g.get("chu_de", "") if g.get("chu_de", "") in Feedback.Topic.values else "",
        classification=g.get("phan_loai", ""),
        body_id=id_param(g.get("co_quan")),
        query=g.get("q", "").strip()[:100],
        overdue=g.get("qua_han") == "1",
        due_soon=g.get("sap_han") == "1",
        year=year_param(g.get("nam")),
    )


@login_required
def unit_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    services.ensure_default_states(unit=unit)
    filters = _filters(request)
    listing = selectors.feedback_page(unit=unit, filters=filters, page=request.GET.get("page"))
    year = timezone.localdate().year
    on_time, satisfaction = selectors.feedback_year_figures(unit=unit, year=year)
    return render(
        request,
        "feedback/unit_list.html",
        {
            "unit": unit,
            "page": listing.page,
            "total": listing.total,
            "f": request.GET,
            "counts": listing.counts,
            "state_types": StateType.choices,
            "states": selectors.states_of(unit),
            "topics": Feedback.Topic.choices,
            "classifications": Feedback.Classification.choices,
            "bodies": unit.bodies.filter(is_active=True),
            "on_time": on_time,
            "satisfaction": satisfaction,
            "year": year,
            "allowed": feedback_unit_permissions(request.user, unit),
            "awaiting_count": selectors.awaiting_count(unit),
            "public_url": f"/phan-anh/{unit.slug}/gui/",
        },
    )


@login_required
def record(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Type in feedback received on paper, by phone, in person or at a meeting."""
    unit = _unit_page(request, slug)
    feedback_unit_permissions(request.user, unit).require(Standing.COORDINATE)
    services.ensure_default_states(unit=unit)
    form = RecordForm(request.POST or None, unit=unit, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.record_feedback(
                actor=request.user,
                unit=unit,
                channel=data["channel"],
                received_on=data["received_on"],
                about_body=data.get("about_body"),
                entry_key=data.get("entry_key") or "",
                **services.feedback_input(data),
            )
        except services.AlreadyRecorded as done:
            messages.info(
                request,
                _("Phản ánh này đã được ghi nhận trước đó (mã tra cứu %(code)s), nên không ghi thêm lần nữa.")
                % {"code": done.feedback.code_display},
            )
            return redirect("feedback:detail", slug=unit.slug, pk=done.feedback.pk)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận phản ánh. Mã tra cứu báo cho người dân: %(code)s")
                % {"code": item.code_display},
            )
            return redirect("feedback:detail", slug=unit.slug, pk=item.pk)
    retention = services.settings_for(unit).retention_days
    return render(
        request,
        "feedback/record.html",
        {
            "unit": unit,
            "form": form,
            "consent": services.consent_text(unit, retention),
            "contact_fields": [form[name] for name in RecordForm.CONTACT_FIELDS],
        },
    )


@login_required
def export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    rows = selectors.feedback_rows(unit=unit, filters=_filters(request))
    header = [
        "Mã tra cứu",
        "Ngày tiếp nhận",
        "Nội dung về",
        "Phân loại",
        "Tiêu đề",
        "Nội dung",
        "Thủ tục, hồ sơ",
        "Cơ quan xử lý",
        "Trạng thái",
        "Hạn xử lý",
        "Quá hạn",
        "Ngày trả lời",
        "Công khai",
        "Mức hài lòng",
    ]
    data = [
        (
            r.item.code_display,
            r.item.received_on,
            r.item.get_topic_display(),
            r.item.get_classification_display(),
            r.item.subject,
            r.item.content,
            r.item.procedure_ref,
            r.item.body.name if r.item.body else "",
            r.item.state.name,
            r.status.handle_by if r.status.pending else None,
            "Quá hạn" if r.status.overdue else "",
            timezone.localtime(r.item.answered_at).date() if r.item.answered_at else None,
            "Có" if r.item.is_published else "",
            r.item.rating
            or ("Hài lòng" if r.item.satisfied else "Không hài lòng" if r.item.satisfied is False else ""),
        )
        for r in rows
    ]
    content = write_xlsx(
        [("Phản ánh, kiến nghị", header, data)], title=f"Phản ánh, kiến nghị — {unit.full_name}"
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="phan-anh-{unit.slug}.xlsx"'
    return response


def _detail_context(
    request: AuthenticatedRequest, unit: Unit, item: Feedback, **forms: Any
) -> dict[str, Any]:
    item = selectors.detail(feedback=item)
    allowed = feedback_permissions(request.user, item)
    awaiting = services.awaiting_approval(item) if allowed.awaiting else None
    returned = None if awaiting else selectors.last_returned_answer(item)
    draft = returned or awaiting
    context = {
        "unit": unit,
        "item": item,
        "status": selectors.deadlines_of(item),
        "events": selectors.history(item),
        "has_contact": selectors.has_contact(item),
        "allowed": allowed,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            unit=unit,
            may_assign=allowed.may_assign,
            initial={
                "version": item.version,
                "classification": item.classification,
                "body": item.body_id,
                "about_body": item.about_body_id,
            },
        ),
        "transition_form": forms.get("transition_form")
        or TransitionForm(feedback=item, initial={"version": item.version}),
        "answer_form": forms.get("answer_form")
        or AnswerForm(
            initial={
                "version": item.version,
                # A returned draft comes back to be revised: nothing the handler wrote is lost.
                "answer": draft.answer if draft is not None else item.answer,
                "publish": draft.publish if draft is not None else item.is_published,
                "public_summary": (draft.public_summary if draft is not None else item.public_summary)
                or item.subject,
            }
        ),
        "awaiting": awaiting,
        "returned": returned,
        "return_form": forms.get("return_form") or ReturnAnswerForm(initial={"version": item.version}),
        "publish_form": PublishForm(
            initial={"version": item.version, "public_summary": item.public_summary or item.subject}
        ),
        "templates": FeedbackState.objects.filter(unit=unit, is_active=True).exclude(reply_template=""),
    }
    return context


@login_required
def detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    return render(request, "feedback/detail.html", _detail_context(request, unit, item))


def _after(request: HttpRequest, unit: Unit, item: Feedback, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("feedback:detail", slug=unit.slug, pk=item.pk)


@login_required
@require_POST
def assign(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    may_assign = feedback_permissions(request.user, item).may_assign
    form = AssignForm(
        request.POST,
        unit=unit,
        may_assign=may_assign,
        initial={"body": item.body_id, "about_body": item.about_body_id},
    )
    if form.is_valid():
        try:
            services.assign_feedback(
                actor=request.user,
                feedback=item,
                body=form.cleaned_data["body"],
                about_body=form.cleaned_data["about_body"] if may_assign else services.KEEP,
                classification=form.cleaned_data["classification"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            return _after(request, unit, item, _("Đã lưu phân loại và cơ quan xử lý."))
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request, "feedback/detail.html", _detail_context(request, unit, item, assign_form=form), status=400
    )


@login_required
@require_POST
def transition(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    feedback_permissions(request.user, item).require(Standing.HANDLE)
    form = TransitionForm(request.POST, feedback=item)
    if form.is_valid():
        try:
            services.transition_feedback(
                actor=request.user,
                feedback=item,
                state=form.cleaned_data["state"],
                message=form.cleaned_data["message"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            return _after(request, unit, item, _("Đã chuyển trạng thái."))
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "feedback/detail.html",
        _detail_context(request, unit, item, transition_form=form),
        status=400,
    )


@login_required
@require_POST
def answer(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    feedback_permissions(request.user, item).require(Standing.HANDLE)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_feedback(
                actor=request.user,
                feedback=item,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["publish"],
                public_summary=form.cleaned_data["public_summary"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            if services.awaiting_approval(item) is not None:
                return _after(
                    request,
                    unit,
                    item,
                    _(
                        "Đã trình lãnh đạo duyệt câu trả lời. Người dân nhận được câu trả lời sau khi lãnh đạo duyệt."
                    ),
                )
            return _after(request, unit, item, _("Đã gửi câu trả lời cho người dân."))
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request, "feedback/detail.html", _detail_context(request, unit, item, answer_form=form), status=400
    )


@login_required
@require_POST
def approve(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The leader approves the answer waiting for approval: the citizen receives it now."""
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    feedback_unit_permissions(request.user, unit).require(Standing.LEAD)
    try:
        services.approve_answer(
            actor=request.user,
            feedback=item,
            expected_version=int_param(request.POST.get("version"), low=0, high=2**31 - 1),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("feedback:detail", slug=unit.slug, pk=item.pk)
    return _after(request, unit, item, _("Đã duyệt câu trả lời; câu trả lời đã được gửi người dân."))


@login_required
@require_POST
def return_answer(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The leader sends the answer back to the handler with a reason."""
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    feedback_unit_permissions(request.user, unit).require(Standing.LEAD)
    form = ReturnAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.return_answer(
                actor=request.user,
                feedback=item,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            return _after(request, unit, item, _("Đã trả lại câu trả lời cho người xử lý."))
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request, "feedback/detail.html", _detail_context(request, unit, item, return_form=form), status=400
    )


@login_required
def approvals(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Answers waiting for the leader, and the unit's choice whether answers wait for the leader at all
    (changed by the leader or the unit administrator)."""
    unit = _unit_page(request, slug)
    current = services.settings_for(unit)
    allowed = feedback_unit_permissions(request.user, unit)
    form = ApprovalSettingForm(
        request.POST or None,
        initial={"version": services.settings_version(unit), "leader_approval": current.leader_approval},
    )
    if request.method == "POST":
        allowed.require(Standing.APPROVAL_SETTING)
        if form.is_valid():
            try:
                services.set_leader_approval(
                    actor=request.user,
                    unit=unit,
                    required=form.cleaned_data["leader_approval"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(
                    request,
                    _("Đã bật: câu trả lời chờ lãnh đạo duyệt trước khi gửi người dân.")
                    if form.cleaned_data["leader_approval"]
                    else _("Đã tắt: người xử lý gửi câu trả lời cho người dân không cần lãnh đạo duyệt."),
                )
                return redirect("feedback:approvals", slug=unit.slug)
            except ValidationError as exc:
                attach_errors(form, exc)
    return render(
        request,
        "feedback/approvals.html",
        {
            "unit": unit,
            "form": form,
            "allowed": allowed,
            "required": current.leader_approval,
            "rows": selectors.awaiting_approvals(unit),
        },
    )


@login_required
@require_POST
def publish(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_answer(
                actor=request.user,
                feedback=item,
                publish=form.cleaned_data["publish"],
                public_summary=form.cleaned_data["public_summary"],
                expected_version=form.cleaned_data["version"],
            )
            return _after(
                request,
                unit,
                item,
                _("Đã công khai câu trả lời.") if form.cleaned_data["publish"] else _("Đã thôi công khai."),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("feedback:detail", slug=unit.slug, pk=item.pk)


@login_required
def contact(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The citizen's contact details — for handlers only, and every opening is logged."""
    unit = _unit_page(request, slug)
    item = _item(request, unit, pk)
    details = services.view_contact(actor=request.user, feedback=item)
    response = render(request, "feedback/contact.html", {"unit": unit, "item": item, "contact": details})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def settings_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    states = services.ensure_default_states(unit=unit)
    current = services.settings_for(unit)
    form = SettingsForm(
        request.POST or None, initial={"version": current.version, "retention_days": current.retention_days}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(
                actor=request.user,
                unit=unit,
                retention_days=form.cleaned_data["retention_days"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Đã lưu cài đặt."))
            return redirect("feedback:settings", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "feedback/settings.html",
        {
            "unit": unit,
            "form": form,
            "states": sorted(states, key=lambda s: (s.position, s.pk)),
            "consent": services.consent_text(unit, current.retention_days),
        },
    )


@login_required
def state_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    state = (
        access.get_object_for(
            request.user, FeedbackState.objects.filter(unit=unit), Capability.COORDINATE, pk=pk
        )
        if pk
        else None
    )
    form = StateForm(
        request.POST or None, instance=state, initial={"version": state.version if state else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fresh = FeedbackState.objects.get(pk=state.pk) if state else None
            services.save_state(
                actor=request.user,
                unit=unit,
                state=fresh,
                name=data["name"],
                type=data["type"],
                reply_template=data["reply_template"],
                position=data["position"],
                is_active=data["is_active"],
                expected_version=data.get("version"),
            )
            messages.success(request, _("Đã lưu trạng thái."))
            return redirect("feedback:settings", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(request, "feedback/state_form.html", {"unit": unit, "form": form, "state": state})


@login_required
def contact_request(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    form = ContactRequestForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.handle_contact_request(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
    response = render(
        request,
        "feedback/contact_request.html",
        {
            "unit": unit,
            "form": form,
            "result": result,
            "requests": selectors.contact_requests(unit)[:50],
        },
    )
    response["Cache-Control"] = "no-store"
    return response
