from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from friendlygov.documents import builders, excel, pdf, selectors, services, sources
from friendlygov.documents.forms import RenderForm, TemplateUploadForm
from friendlygov.documents.kinds import scores
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind
from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.downloads import download_response
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import year_param
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.signatures import selectors as signature_selectors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pdf_name(filename: str) -> str:
    return filename.rsplit(".", 1)[0] + ".pdf"


def _warnings(unit: Unit, kind: str) -> Callable[[int], list[str]]:
    """What to tell the person before ``kind`` is made for a year (shown above the form, confirmed in it)."""
    return lambda year: selectors.render_warnings(unit, kind, year)


def _forms(request: HttpRequest, unit: Unit, bound: RenderForm | None = None) -> list[tuple[Any, RenderForm]]:
    year = timezone.localdate().year
    has_pdf = pdf.soffice_available()
    out = []
    for choice in selectors.kinds_for(unit):
        if not services.can_render(request.user, unit, choice.kind):
            continue  # e.g. the appraisal notice on a commune's page: the city's reviewers only
        if bound is not None and bound.prefix == choice.kind:
            out.append((choice, bound))
        else:
            proposed = selectors.proposed_number(unit, year, choice.kind)
            form = RenderForm(
                unit=unit,
                kind=choice.kind,
                proposed=proposed,
                pdf=has_pdf,
                warnings_for=_warnings(unit, choice.kind),
            )
            out.append((choice, form))
    return out


def _page(
    request: HttpRequest, unit: Unit, bound: RenderForm | None = None, status: int = 200
) -> HttpResponse:
    forms = _forms(request, unit, bound)
    year = timezone.localdate().year
    filter_year = year_param(request.GET.get("nam"))
    plan = sources.plan_for_year(unit, year) if not unit.is_city else None
    cycle_years = [] if unit.is_city else [c.year for c in sources.unit_cycles(unit)]
    current = None if unit.is_city else sources.cycle(unit, year)
    # a provisional criteria set is said here, on the page, never inside the documents it makes
    provisional = (
        current.criteria_set
        if current is not None and "tạm" in (current.criteria_set.status_label or "").lower()
        else None
    )
    documents = list(selectors.issued_documents(unit, year=filter_year))
    context = {
        "unit": unit,
        "can_render": bool(forms),
        "forms": forms,
        "documents": documents,
        "signature_states": signature_selectors.states_for(documents),
        "years": selectors.issued_years(unit),
        "filter_year": filter_year,
        "has_pdf": pdf.soffice_available(),
        "year": year,
        "next_number": selectors.proposed_number(unit, year),
        "next_numbers": selectors.proposed_numbers(unit, year),
        "templates": selectors.active_templates(),
        "highlight": request.GET.get("moi", ""),
        "plan": plan,
        "cycle_years": cycle_years,
        "provisional_set": provisional,
        "is_admin": access.is_system_admin(request.user),
        "manages_signing": access.can(request.user, access.Capability.MANAGE_UNIT, unit),
        "draft_url": reverse(_names(unit)["draft"], kwargs={"slug": unit.slug}),
        "issue_url": reverse(_names(unit)["issue"], kwargs={"slug": unit.slug}),
    }
    return render(request, "documents/unit_documents.html", context, status=status)


def _names(unit: Unit) -> dict[str, str]:
    """The URL names of the unit's (or the city's) documents page and of its two actions."""
    prefix = "documents:city_documents" if unit.is_city else "documents:unit_documents"
    return {"page": prefix, "draft": f"{prefix}_draft", "issue": f"{prefix}_issue"}


def _render_post(request: AuthenticatedRequest, unit: Unit, *, issue: bool) -> HttpResponse:
    """A document of ``kind_prefix`` made from the posted form: a draft to download, or (``issue``) issued
    with its number and kept."""
    kind = request.POST.get("kind_prefix", "")
    valid_kinds = [c.kind for c in selectors.kinds_for(unit)]
    if kind not in valid_kinds:
        raise Http404
    if not services.can_render(request.user, unit, kind):
        raise PermissionDenied
    form = RenderForm(
        request.POST,
        unit=unit,
        kind=kind,
        proposed=selectors.proposed_number(unit, timezone.localdate().year, kind),
        pdf=pdf.soffice_available(),
        warnings_for=_warnings(unit, kind),
    )
    if not form.is_valid():
        return _page(request, unit, form, status=400)
    data = form.cleaned_data
    if issue and not data.get("number"):
        form.add_error("number", _("Nhập số văn bản để ban hành (hoặc chọn “Tải dự thảo”)."))
        return _page(request, unit, form, status=400)
    try:
        rendered = services.render_document(
            actor=request.user,
            unit=unit,
            kind=kind,
            year=data["year"],
            number=data["number"] if issue else None,
            issued_on=data.get("issued_on") if issue else None,
            signer=form.signer(),
            recipients=form.recipient_lines(),
            confirm_out_of_order=bool(data.get("confirm_out_of_order")),
        )
    except ValidationError as exc:
        attach_errors(form, exc)
        return _page(request, unit, form, status=400)
    want_pdf = data.get("output") == "pdf"
    if rendered.draft:
        if want_pdf:
            try:
                return download_response(
                    pdf.docx_to_pdf(rendered.content), _pdf_name(rendered.filename), "application/pdf"
                )
            except pdf.PdfConversionError as exc:
                form.add_error(None, str(exc))
                return _page(request, unit, form, status=503)
        return download_response(rendered.content, rendered.filename, DOCX)
    assert rendered.document is not None
    messages.success(
        request,
        _("Đã ban hành văn bản số %(n)s. Tải tệp trong danh sách văn bản đã ban hành bên dưới.")
        % {"n": rendered.document.number_symbol},
    )
    url = reverse(_names(unit)["page"], kwargs={"slug": unit.slug})
    return redirect(f"{url}?moi={rendered.document.pk}#da-ban-hanh")


def _documents_unit(request: AuthenticatedRequest, slug: str, *, city: bool) -> Unit | None:
    """The unit of a documents page; None when the slug names the other kind (a city on the commune's
    address or the reverse: the caller redirects)."""
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city != city:
        return None
    request.current_unit = unit  # type: ignore[attr-defined]
    return unit


@login_required
@require_safe
def unit_documents(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A commune's documents. Each document's form posts to ``unit_documents_draft`` (a draft to
    download) or ``unit_documents_issue`` (issued with its number)."""
    unit = _documents_unit(request, slug, city=False)
    if unit is None:
        return redirect("documents:city_documents", slug=slug)
    return _page(request, unit)


@login_required
@require_safe
def city_documents(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The city's documents (the same forms, posting to ``city_documents_draft`` / ``_issue``)."""
    city = _documents_unit(request, slug, city=True)
    if city is None:
        return redirect("documents:unit_documents", slug=slug)
    return _page(request, city)


def _action_view(*, city: bool, issue: bool) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
        unit = _documents_unit(request, slug, city=city)
        if unit is None:
            raise Http404
        return _render_post(request, unit, issue=issue)

    name = f"{'city' if city else 'unit'}_documents_{'issue' if issue else 'draft'}"
    view.__name__ = view.__qualname__ = name
    view.__doc__ = f"POST: {'issue a document with its number' if issue else 'a draft to download'}."
    return view


unit_documents_draft = _action_view(city=False, issue=False)
unit_documents_issue = _action_view(city=False, issue=True)
city_documents_draft = _action_view(city=True, issue=False)
city_documents_issue = _action_view(city=True, issue=True)


def _issued(request: HttpRequest, slug: str, pk: int) -> IssuedDocument:
    return selectors.readable_issued(request.user, pk, slug)


@login_required
def issued_file(request: AuthenticatedRequest, slug: str, pk: int) -> FileResponse:
    document = _issued(request, slug, pk)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name, content_type=DOCX
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def issued_pdf(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    document = _issued(request, slug, pk)
    with document.file.open("rb") as handle:
        content = handle.read()
    try:
        data = pdf.docx_to_pdf(content)
    except pdf.PdfConversionError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return download_response(data, _pdf_name(document.file_name), "application/pdf")


@login_required
def scoring_xlsx(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    with translation.override("vi"):  # the scoring sheet is an official attachment: Vietnamese
        result = scores.scores(unit, year)
        if result is None:
            raise Http404
        content = excel.scoring_workbook(unit, year, result)
    return download_response(content, f"bang-cham-diem-{unit.slug}-{year}.xlsx", XLSX)


@login_required
def figures_xlsx(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    this_year = timezone.localdate().year
    with translation.override("vi"):
        content = excel.figures_workbook(unit, excel.figure_years(unit, this_year), this_year=this_year)
    return download_response(content, f"so-lieu-hai-long-phan-anh-{unit.slug}.xlsx", XLSX)


# ------------------------------------------------------------------------------------- templates


def _require_admin(request: HttpRequest) -> None:
    if not access.is_system_admin(request.user):
        raise PermissionDenied


@login_required
def templates(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin(request)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = services.upload_template(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                data=upload.read(),
                filename=upload.name or "mau.docx",
                activate=form.cleaned_data["activate"],
            )
            if template.is_active:
                messages.success(request, _("Đã kiểm tra và dùng mẫu “%(n)s”.") % {"n": template.name})
            else:
                messages.success(
                    request,
                    _("Đã kiểm tra và lưu mẫu “%(n)s”; bấm “Dùng mẫu này” để áp dụng.")
                    % {"n": template.name},
                )
            return redirect("documents:templates")
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "documents/templates.html",
        {
            "form": form,
            "templates": selectors.templates(),
            "fields": builders.TEMPLATE_FIELDS,
            "help_intro": _(
                "Khi một loại văn bản có mẫu đang dùng, văn bản loại đó được điền vào mẫu (trường dữ liệu dạng "
                "{{ tên_trường }}, vòng lặp {% for %}) thay cho thể thức mặc định theo Nghị định 30. Mẫu được kiểm tra "
                "khi tải lên và khi điền: chỉ dùng được các trường dưới đây; biểu thức truy cập thành phần nội bộ hoặc "
                "chạy mã đều bị từ chối."
            ),
            "help_example": _(
                "Ví dụ: {{ so_ky_hieu }}, {{ ngay_thang }}, {{ trich_yeu }}, {% for d in noi_dung %}{{ d.noi_dung }}"
                "{% endfor %}, {{ nguoi_ky.ho_ten }}, {% for n in noi_nhan %}- {{ n }}{% endfor %}; số liệu riêng "
                "của từng loại văn bản nằm trong du_lieu."
            ),
            "kinds": [(k, label) for k, label in Kind.choices if k in builders.BUILDERS],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def template_activate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    template = DocumentTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404
    try:
        if request.POST.get("active") == "0":
            services.deactivate_template(actor=request.user, template=template)
            messages.success(
                request,
                _("Đã thôi dùng mẫu “%(n)s”: văn bản trở lại thể thức mặc định.") % {"n": template.name},
            )
        else:
            services.activate_template(actor=request.user, template=template)
            messages.success(request, _("Đã dùng mẫu “%(n)s”.") % {"n": template.name})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("documents:templates")


@login_required
def template_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    _require_admin(request)
    template = DocumentTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404
    return FileResponse(
        template.file.open("rb"), as_attachment=True, filename=template.file_name, content_type=DOCX
    )
