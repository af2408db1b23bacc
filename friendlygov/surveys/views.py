from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from friendlygov.db_router import use_replica
from friendlygov.kit import ratelimit, site
from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.spreadsheets import SheetSpec, write_sheets
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page
from friendlygov.rules.text import strip_diacritics
from friendlygov.surveys import charts, definitions, periods, protection, qr, selectors, services
from friendlygov.surveys.forms import (
    DefinitionEditForm,
    DossierCountForm,
    LinkForm,
    PaperEntryForm,
    PublicAnswerForm,
    QuestionnaireImportForm,
    QuestionnaireSettingsForm,
    ReviewForm,
)
from friendlygov.surveys.models import Questionnaire, QuestionnaireVersion, Response, SurveyLink
from friendlygov.surveys.permissions import Standing, questionnaire_permissions


def _require(request: HttpRequest, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _questionnaire(unit: Unit, pk: int | str | None) -> Questionnaire:
    number: int | None = None
    if isinstance(pk, int):
        number = pk
    elif isinstance(pk, str) and pk.isdigit():
        number = int(pk)
    found = selectors.questionnaire_for(unit, number) if number is not None else None
    if found is None:
        raise Http404
    return found


# --------------------------------------------------------------------------------------------------
# Public answering (no account)


def _sections(form: PublicAnswerForm | PaperEntryForm) -> list[dict[str, Any]]:
    """The form's scale fields grouped by element, with the items' texts."""
    by_code = {code: form[name] for name, code in form.item_fields()}
    sections = []
    for element in form.definition["elements"]:
        sections.append(
            {
                "code": element["code"],
                "name": element.get("name") or element["code"],
                "items": [
                    {
                        "code": item["code"],
                        "text": item.get("text") or item["code"],
                        "field": by_code[item["code"]],
                    }
                    for item in element["items"]
                ],
            }
        )
    return sections


def _questions(form: PublicAnswerForm | PaperEntryForm) -> list[dict[str, Any]]:
    result = []
    for name, question in form.question_fields():
        entry: dict[str, Any] = {"question": question, "field": None, "text_field": None}
        if question["type"] in ("single", "multiple", "needs"):
            entry["field"] = form[name]
        if question["type"] == "text":
            entry["text_field"] = form[name]
        elif question["type"] == "needs":
            entry["text_field"] = form[f"{name}_text"]
        result.append(entry)
    return result


def _public_response(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    if not protection.device_token(request):
        response.set_cookie(
            protection.DEVICE_COOKIE,
            protection.new_device_token(),
            max_age=protection.DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    response["Cache-Control"] = "no-store"
    return response


def public_form(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.public_link(token)
    if link is None:
        return _public_response(request, "surveys/public_missing.html", {}, status=404)
    if not services.link_is_open(link):
        return _public_response(request, "surveys/public_closed.html", {"link": link, "unit": link.unit})
    questionnaire = link.questionnaire
    version = questionnaire.current_version()
    if request.method == "POST":
        if not protection.allow_submission(ratelimit.client_address(request)):
            return _public_response(
                request, "surveys/public_throttled.html", {"link": link, "unit": link.unit}, status=429
            )
        posted_version = request.POST.get("version", "")
        if posted_version.isdigit() and int(posted_version) != version.pk:
            older = QuestionnaireVersion.objects.filter(
                pk=int(posted_version), questionnaire=questionnaire
            ).first()
            version = older or version
        form = PublicAnswerForm(request.POST, definition=version.definition, receipt_mode=link.receipt_mode)
        if form.is_valid():
            opened = protection.read_form_token(form.cleaned_data.get("started") or "", link.token)
            try:
                services.submit_public_response(
                    link=link,
                    scale=form.scale_answers(),
                    other=form.other_answers(),
                    receipt_no=form.cleaned_data.get("receipt_no"),
                    device_token=protection.device_token(request),
                    ip=ratelimit.client_address(request),
                    started_at=opened.started_at if opened else None,
                    form_nonce=opened.nonce if opened else "",
                    honeypot=form.cleaned_data.get("website") or "",
                    version=version,
                )
                return redirect("surveys:public_thanks", token=link.token)
            except ValidationError as error:
                attach_errors(form, error)
    else:
        form = PublicAnswerForm(
            definition=version.definition,
            receipt_mode=link.receipt_mode,
            initial={"started": protection.form_token(link.token), "version": version.pk},
        )
    context = {
        "link": link,
        "unit": link.unit,
        "questionnaire": questionnaire,
        "form": form,
        "sections": _sections(form),
        "questions": _questions(form),
    }
    return _public_response(request, "surveys/public_form.html", context, status=200)


def public_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.public_link(token)
    if link is None:
        return _public_response(request, "surveys/public_missing.html", {}, status=404)
    context = {
        "link": link,
        "unit": link.unit,
        "kiosk": link.channel == SurveyLink.Channel.KIOSK,
        "other_links": selectors.other_open_links(link),
    }
    return _public_response(request, "surveys/public_thanks.html", context)


# --------------------------------------------------------------------------------------------------
# Figures


def _figures_context(request: HttpRequest, unit: Unit) -> dict[str, Any]:
    period, problems = periods.parse_period(request.GET)
    chosen = request.GET.get("bang-hoi")
    questionnaire = (
        _questionnaire(unit, chosen)
        if chosen
        else selectors.unit_sipas_questionnaire(unit, period.start.year)
    )
    if questionnaire is None:
        raise Http404
    version = questionnaire.current_version()
    wanted = request.GET.get("phien-ban", "")
    if wanted.isdigit():
        version = questionnaire.versions.filter(number=int(wanted)).first() or version
    figures = selectors.unit_figures(unit=unit, questionnaire=questionnaire, period=period, version=version)
    points = selectors.trend(
        unit=unit, questionnaire=questionnaire, buckets=periods.trend_periods(period), version=version
    )
    params = {**period.query(), "bang-hoi": str(questionnaire.pk)}
    if wanted.isdigit():
        params["phien-ban"] = wanted
    return {
        "unit": unit,
        "period": period,
        "problems": problems,
        "questionnaire": questionnaire,
        "version": version,
        "versions": list(questionnaire.versions.order_by("-number").values_list("number", flat=True)),
        "figures": figures,
        "points": points,
        "params": params,
        "query": "&".join(f"{k}={v}" for k, v in params.items()),
    }


@login_required
def unit_figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    context = _figures_context(request, unit)
    figures = context["figures"]
    points = context["points"]
    context.update(
        {
            "questionnaires": selectors.questionnaires_for(unit, active_only=True),
            "trend_svg": charts.line_chart(
                [(p.period.short_label, p.overall) for p in points],
                title=_("Chỉ số hài lòng chung qua các kỳ"),
            ),
            "elements_svg": charts.bar_chart(
                [(f"{e.code} {e.name or ''}".strip(), e.index) for e in figures.result.elements],
                title=_("Chỉ số theo yếu tố"),
            ),
            "can_coordinate": access.can(request.user, Capability.COORDINATE, unit),
            "can_enter": services.can_enter_paper(request.user, unit),
            "can_review": services.can_review(request.user, unit),
            "flagged_total": selectors.flagged_count(unit),
            "count_form": DossierCountForm(
                initial={
                    "start": figures.period.start,
                    "end": figures.period.end,
                    "transactions": figures.transactions
                    if figures.transactions_source.startswith(_("nhập tay"))
                    else None,
                }
            ),
            "year_choices": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            "other_questions": selectors.other_question_summaries(
                unit=unit, questionnaire=figures.questionnaire, period=figures.period, version=figures.version
            ),
            "latest_texts": selectors.LATEST_TEXTS,
        }
    )
    return render(request, "surveys/unit_figures.html", context)


@login_required
def figures_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    context = _figures_context(request, unit)
    figures = context["figures"]
    result = figures.result
    summary = [
        ("Đơn vị", unit.full_name),
        ("Mã đơn vị", unit.code),
        (
            "Bảng hỏi",
            f"{figures.questionnaire.code} — {figures.questionnaire.name} (phiên bản {figures.version.number})",
        ),
        ("Kỳ", figures.period.label),
        ("Số phiếu được tính", result.respondents),
        ("Chỉ số hài lòng chung (%)", float(result.overall) if result.overall is not None else None),
        ("Số hồ sơ trong kỳ (N)", figures.transactions),
        ("Nguồn số hồ sơ", figures.transactions_source),
        ("Cỡ mẫu cần (n = N/(1+N·0,05²))", figures.needed),
        ("Phiếu cần xem xét (chưa tính)", figures.flagged),
    ]
    rows: list[tuple[Any, ...]] = []
    for element in result.elements:
        rows.append(
            (
                element.code,
                element.name or "",
                None,
                None,
                float(element.index) if element.index is not None else None,
                None,
                None,
                float(element.weight),
            )
        )
        for item in element.items:
            rows.append(
                (
                    item.code,
                    figures.item_texts.get(item.code, ""),
                    item.valid,
                    item.satisfied,
                    float(item.index) if item.index is not None else None,
                    float(item.ci95[0]) if item.ci95 else None,
                    float(item.ci95[1]) if item.ci95 else None,
                    None,
                )
            )
    trend_rows = [
        (p.period.label, p.respondents, float(p.overall) if p.overall is not None else None)
        for p in context["points"]
    ]
    scope = {
        "unit": unit,
        "questionnaire": figures.questionnaire,
        "period": figures.period,
        "version": figures.version,
    }
    question_texts = {
        q["code"]: q.get("text", "") for q in definitions.questions_of(figures.version.definition)
    }
    choice_rows = [
        (
            summary.code,
            summary.text,
            choice.label + (" (không còn trong phiên bản này)" if choice.retired else ""),
            choice.count,
            float(choice.share) if choice.share is not None else None,
            summary.answered,
        )
        for summary in selectors.other_question_summaries(**scope)
        for choice in summary.choices
    ]
    text_rows = [
        (code, question_texts.get(code, ""), timezone.localtime(when).replace(tzinfo=None), text)
        for code, when, text in selectors.other_texts(**scope)
    ]
    data = write_sheets(
        [
            SheetSpec("Tổng hợp", ["Nội dung", "Giá trị"], summary, numbered=False),
            SheetSpec(
                "Chỉ số",
                [
                    "Mã",
                    "Nội dung",
                    "Số trả lời hợp lệ",
                    "Số hài lòng",
                    "Chỉ số (%)",
                    "KTC 95% thấp",
                    "KTC 95% cao",
                    "Trọng số",
                ],
                rows,
            ),
            SheetSpec("Theo kỳ", ["Kỳ", "Số phiếu", "Chỉ số chung (%)"], trend_rows),
            SheetSpec(
                "Câu hỏi lựa chọn",
                ["Mã", "Câu hỏi", "Lựa chọn", "Số lượt chọn", "Tỷ lệ (%)", "Số phiếu trả lời câu hỏi"],
                choice_rows,
            ),
            SheetSpec("Ý kiến", ["Mã", "Câu hỏi", "Thời điểm trả lời", "Ý kiến của người dân"], text_rows),
        ],
        title=f"Kết quả khảo sát sự hài lòng — {unit.full_name} — {figures.period.label}",
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{unit.slug}-{figures.period.key}.xlsx"'
    return response


@login_required
@require_POST
def dossier_count(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    form = DossierCountForm(request.POST)
    back = request.POST.get("next", "")
    target = (
        back
        if back.startswith(f"/don-vi/{unit.slug}/khao-sat/")
        else reverse("surveys:unit_figures", kwargs={"slug": unit.slug})
    )
    if form.is_valid():
        try:
            services.set_dossier_count(
                actor=request.user,
                unit=unit,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                transactions=form.cleaned_data["transactions"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Đã lưu số hồ sơ của kỳ."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Số hồ sơ phải là số nguyên không âm."))
    return redirect(target)


# --------------------------------------------------------------------------------------------------
# City comparison


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_comparison(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    access.require(request.user, Capability.APPRAISE, city)
    request.current_unit = city  # type: ignore[attr-defined]
    period, problems = periods.parse_period(request.GET)
    shared = Questionnaire.objects.filter(
        selectors.visible_questionnaire_filter(city), is_active=True
    ).order_by("unit_id", "kind", "code")
    chosen = request.GET.get("bang-hoi", "")
    questionnaire = (
        shared.filter(pk=int(chosen)).first() if chosen.isdigit() else selectors.default_sipas_questionnaire()
    )
    if questionnaire is None:
        raise Http404
    rows = selectors.city_comparison(city=city, questionnaire=questionnaire, period=period)
    ranked = sorted(rows, key=lambda r: (r.overall is None, -(r.overall or 0), r.unit.name))
    version = questionnaire.current_version()
    element_codes = [e["code"] for e in version.definition["elements"]]
    context = {
        "city": city,
        "period": period,
        "problems": problems,
        "questionnaire": questionnaire,
        "questionnaires": shared,
        "element_codes": element_codes,
        # each row with its element indices in the columns' order; the query of every unit's link once
        "rows": [(r, [(code, r.elements.get(code)) for code in element_codes]) for r in ranked],
        "figures_query": format_html(
            "?bang-hoi={}&amp;{}",
            questionnaire.pk,
            format_html_join(mark_safe("&amp;"), "{}={}", period.query().items()),
        ),
        "chart": charts.bar_chart(
            [(r.unit.name, r.overall) for r in ranked], title=_("Chỉ số hài lòng chung theo đơn vị")
        ),
        "year_choices": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
    }
    return render(request, "surveys/city_comparison.html", context)


# --------------------------------------------------------------------------------------------------
# Questionnaires


@login_required
def library(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    return render(
        request,
        "surveys/library.html",
        {
            "unit": unit,
            "questionnaires": selectors.questionnaires_for(unit),
            "can_coordinate": access.can(request.user, Capability.COORDINATE, unit),
        },
    )


@login_required
def questionnaire_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    _require(request, access.can(request.user, Capability.COORDINATE, unit))
    form = QuestionnaireImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.create_questionnaire(
                actor=request.user,
                unit=unit,
                kind=form.cleaned_data["kind"],
                yaml_text=form.cleaned_data["yaml_text"],
            )
            messages.success(request, _("Đã nhập bảng hỏi %(code)s.") % {"code": questionnaire.code})
            return redirect("surveys:questionnaire_detail", slug=unit.slug, pk=questionnaire.pk)
        except ValidationError as error:
            errors = error.messages
    return render(
        request, "surveys/questionnaire_import.html", {"unit": unit, "form": form, "errors": errors}
    )


@login_required
def questionnaire_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    questionnaire = _questionnaire(unit, pk)
    version = questionnaire.current_version()
    wanted = request.GET.get("phien-ban", "")
    if wanted.isdigit():
        version = questionnaire.versions.filter(number=int(wanted)).first() or version
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "unit": unit,
            "questionnaire": questionnaire,
            "version": version,
            "definition": version.definition,
            "versions": selectors.versions_of(questionnaire),
            "question_types": definitions.QUESTION_TYPES,
            "scale": definitions.SCALE_LABELS,
            "allowed": questionnaire_permissions(request.user, questionnaire, unit=unit),
        },
    )


@dataclass
class _EditPage:
    """One request of a questionnaire's edit page: its content form and its settings form (the posted one
    bound), the errors of a refused content."""

    unit: Unit
    questionnaire: Questionnaire
    current: QuestionnaireVersion
    form: DefinitionEditForm
    settings_form: QuestionnaireSettingsForm
    errors: list[str]


def _edit_page(request: HttpRequest, slug: str, pk: int, posted: str | None = None) -> _EditPage:
    """The edit page's records; 404 / 403 unless the person may edit the questionnaire."""
    unit = _unit_page(request, slug)
    questionnaire = _questionnaire(unit, pk)
    questionnaire_permissions(request.user, questionnaire, unit=unit).require(Standing.EDIT)
    current = questionnaire.current_version()
    form = DefinitionEditForm(
        request.POST if posted == "content" else None,
        initial={
            "yaml_text": definitions.definition_to_yaml(
                current.definition, include_questions=True, header=False
            ),
            "version": questionnaire.version,
        },
    )
    settings_form = QuestionnaireSettingsForm(
        request.POST if posted == "settings" else None,
        initial={
            "kind": questionnaire.kind,
            "description": questionnaire.description,
            "is_active": questionnaire.is_active,
            "version": questionnaire.version,
        },
    )
    return _EditPage(unit, questionnaire, current, form, settings_form, [])


def _render_edit(request: HttpRequest, page: _EditPage) -> HttpResponse:
    return render(
        request,
        "surveys/questionnaire_edit.html",
        {
            "unit": page.unit,
            "questionnaire": page.questionnaire,
            "current": page.current,
            "form": page.form,
            "settings_form": page.settings_form,
            "errors": page.errors,
        },
    )


@login_required
@require_safe
def questionnaire_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The edit page. Its content form posts to ``questionnaire_save``, its settings form to
    ``questionnaire_settings``."""
    return _render_edit(request, _edit_page(request, slug, pk))


@login_required
@require_POST
def questionnaire_save(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the questionnaire's content (a version with answers is kept; the change becomes the next)."""
    page = _edit_page(request, slug, pk, "content")
    form, current = page.form, page.current
    if form.is_valid():
        try:
            version = services.save_definition(
                actor=request.user,
                questionnaire=page.questionnaire,
                expected_version=form.cleaned_data["version"],
                yaml_text=form.cleaned_data["yaml_text"],
                note=form.cleaned_data["note"],
            )
            if version.number != current.number:
                messages.success(
                    request,
                    _(
                        "Phiên bản %(old)d đã có câu trả lời nên được giữ nguyên; thay đổi được lưu thành phiên bản %(new)d."
                    )
                    % {"old": current.number, "new": version.number},
                )
            else:
                messages.success(request, _("Đã lưu bảng hỏi (phiên bản %(n)d).") % {"n": version.number})
            return redirect("surveys:questionnaire_detail", slug=page.unit.slug, pk=page.questionnaire.pk)
        except ValidationError as error:
            page.errors = error.messages
    return _render_edit(request, page)


@login_required
@require_POST
def questionnaire_settings(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the questionnaire's kind, note and whether it is in use."""
    page = _edit_page(request, slug, pk, "settings")
    form = page.settings_form
    if form.is_valid():
        try:
            services.update_questionnaire(
                actor=request.user,
                questionnaire=page.questionnaire,
                expected_version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                is_active=form.cleaned_data["is_active"],
            )
            messages.success(request, _("Đã lưu thông tin bảng hỏi."))
            return redirect("surveys:questionnaire_detail", slug=page.unit.slug, pk=page.questionnaire.pk)
        except ValidationError as error:
            attach_errors(form, error)
    return _render_edit(request, page)


@login_required
@require_POST
def questionnaire_copy(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    source = _questionnaire(unit, pk)
    try:
        copy = services.copy_questionnaire(actor=request.user, source=source, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:questionnaire_detail", slug=unit.slug, pk=source.pk)
    messages.success(request, _("Đã tạo bản riêng của đơn vị: %(code)s.") % {"code": copy.code})
    return redirect("surveys:questionnaire_detail", slug=unit.slug, pk=copy.pk)


@login_required
def questionnaire_yaml(request: AuthenticatedRequest, slug: str, pk: int, number: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    questionnaire = _questionnaire(unit, pk)
    version = questionnaire.versions.filter(number=number).first()
    if version is None:
        raise Http404
    with_questions = request.GET.get("cau-hoi-khac") == "1"
    text = definitions.definition_to_yaml(version.definition, include_questions=with_questions)
    response = HttpResponse(text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    suffix = "-day-du" if with_questions else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(strip_diacritics(questionnaire.code)) or "bang-hoi"}-v{version.number}{suffix}.yaml"'
    )
    return response


# --------------------------------------------------------------------------------------------------
# Links and posters


def _link(unit: Unit, pk: int) -> SurveyLink:
    link = SurveyLink.objects.select_related("questionnaire", "body", "unit").filter(unit=unit, pk=pk).first()
    if link is None:
        raise Http404
    return link


@login_required
def links(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    can_coordinate = access.can(request.user, Capability.COORDINATE, unit)
    questionnaires = selectors.questionnaires_for(unit, active_only=True)
    form = LinkForm(request.POST or None, unit=unit, questionnaires=questionnaires)
    if request.method == "POST":
        _require(request, can_coordinate)
        if form.is_valid():
            try:
                data = form.service_fields()
                link = services.create_link(actor=request.user, unit=unit, **data)
                messages.success(request, _("Đã tạo điểm khảo sát “%(label)s”.") % {"label": link.label})
                return redirect("surveys:links", slug=unit.slug)
            except ValidationError as error:
                attach_errors(form, error)
    rows = [
        {"link": link, "url": qr.public_url(link, request), "open": services.link_is_open(link)}
        for link in selectors.links_of(unit)
    ]
    return render(
        request,
        "surveys/links.html",
        {
            "unit": unit,
            "rows": rows,
            "form": form,
            "can_coordinate": can_coordinate,
            "loopback": site.is_loopback(site.base_url(request)),
        },
    )


@login_required
def link_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    _require(request, access.can(request.user, Capability.COORDINATE, unit))
    link = _link(unit, pk)
    form = LinkForm(
        request.POST or None, instance=link, unit=unit, questionnaires=selectors.questionnaires_for(unit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            fresh = SurveyLink.objects.get(pk=link.pk)
            services.update_link(
                actor=request.user,
                link=fresh,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.service_fields(),
            )
            messages.success(request, _("Đã lưu điểm khảo sát."))
            return redirect("surveys:links", slug=unit.slug)
        except ValidationError as error:
            attach_errors(form, error)
    return render(request, "surveys/link_edit.html", {"unit": unit, "link": link, "form": form})


@login_required
def link_poster(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    link = _link(unit, pk)
    size = "a5" if request.GET.get("kho") == "a5" else "a4"
    url = qr.public_url(link, request)
    return render(
        request,
        "surveys/poster.html",
        {
            "unit": unit,
            "link": link,
            "url": url,
            "svg": qr.inline_svg(url),
            "size": size,
            "loopback": site.is_loopback(url),
        },
    )


@login_required
def link_qr(request: AuthenticatedRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    link = _link(unit, pk)
    if kind not in ("png", "svg"):
        raise Http404
    url = qr.public_url(link, request)
    if kind == "png":
        response = HttpResponse(qr.png_bytes(url), content_type="image/png")
    else:
        response = HttpResponse(qr.svg_bytes(url), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="qr-{unit.slug}-{link.pk}.{kind}"'
    return response


# --------------------------------------------------------------------------------------------------
# Paper entry and review


@login_required
def paper_entry(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    _require(request, services.can_enter_paper(request.user, unit))
    chosen = request.GET.get("bang-hoi") or request.POST.get("bang-hoi")
    questionnaire = _questionnaire(unit, chosen) if chosen else selectors.unit_sipas_questionnaire(unit)
    if questionnaire is None:
        raise Http404
    version = questionnaire.current_version()
    unit_links = SurveyLink.objects.filter(unit=unit, questionnaire=questionnaire)
    form = PaperEntryForm(request.POST or None, definition=version.definition, links=unit_links)
    if request.method == "POST" and form.is_valid():
        keep = f"?bang-hoi={questionnaire.pk}&kenh={form.cleaned_data['channel']}&ngay={form.cleaned_data['submitted_on'].isoformat()}"
        try:
            response = services.enter_paper_response(
                actor=request.user,
                unit=unit,
                questionnaire=questionnaire,
                scale=form.scale_answers(),
                other=form.other_answers(),
                channel=form.cleaned_data["channel"],
                receipt_no=form.cleaned_data.get("receipt_no"),
                submitted_on=form.cleaned_data["submitted_on"],
                link=form.cleaned_data.get("link"),
                entry_key=form.cleaned_data.get("entry_key") or "",
            )
            messages.success(
                request, _("Đã lưu phiếu số %(n)d. Mời nhập phiếu tiếp theo.") % {"n": response.pk}
            )
            return redirect(reverse("surveys:paper_entry", kwargs={"slug": unit.slug}) + keep)
        except services.AlreadyEntered as done:
            messages.info(
                request,
                _(
                    "Phiếu này đã được lưu trước đó (phiếu số %(n)d), nên không lưu thêm lần nữa. Mời nhập phiếu tiếp theo."
                )
                % {"n": done.response.pk},
            )
            return redirect(reverse("surveys:paper_entry", kwargs={"slug": unit.slug}) + keep)
        except ValidationError as error:
            attach_errors(form, error)
    elif request.method == "GET":
        initial_channel = request.GET.get("kenh")
        if initial_channel in Response.Channel.values:
            form.initial["channel"] = initial_channel
        day = request.GET.get("ngay", "")
        if day:
            form.initial["submitted_on"] = day
    entered_today = Response.objects.filter(
        unit=unit,
        questionnaire=questionnaire,
        entered_by=request.user.pk,
        created_at__date=timezone.localdate(),
    ).count()
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "unit": unit,
            "questionnaire": questionnaire,
            "questionnaires": selectors.questionnaires_for(unit, active_only=True),
            "version": version,
            "form": form,
            "sections": _sections(form),
            "questions": _questions(form),
            "entered_today": entered_today,
        },
    )


@login_required
def review_queue(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    _require(request, services.can_review(request.user, unit))
    responses = list(selectors.flagged_responses(unit).select_related("questionnaire_version")[:200])
    rows = [{"response": r, **selectors.response_details(r)} for r in responses]
    return render(
        request,
        "surveys/review_queue.html",
        {"unit": unit, "rows": rows, "total": selectors.flagged_count(unit)},
    )


@login_required
@require_POST
def review(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    response = Response.objects.filter(unit=unit, pk=pk).select_related("unit").first()
    if response is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn chấp nhận hoặc loại bỏ."))
        return redirect("surveys:review_queue", slug=unit.slug)
    try:
        services.review_response(
            actor=request.user,
            response=response,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            expected_status=Response.Status.FLAGGED,  # the queue lists flagged responses only
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:review_queue", slug=unit.slug)
    if form.cleaned_data["decision"] == "accept":
        messages.success(
            request, _("Đã chấp nhận phiếu số %(n)d; phiếu được tính vào chỉ số.") % {"n": response.pk}
        )
    else:
        messages.success(request, _("Đã loại bỏ phiếu số %(n)d.") % {"n": response.pk})
    return redirect("surveys:review_queue", slug=unit.slug)
