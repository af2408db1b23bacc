from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from friendlygov.kit.downloads import xlsx_response
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access, selectors, services
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.forms import (
    AccountForm,
    AccountImportForm,
    BodyForm,
    DeactivateForm,
    ImportForm,
    MergeForm,
    OfficialUnitsForm,
    RenameForm,
)
from friendlygov.org.models import Body, RoleGrant, Unit
from friendlygov.org.pages import unit_page as _unit_page


@login_required
def unit_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "groups": selectors.grouped_bodies(unit),
            "events": unit.events.all(),
            "changes": selectors.unit_changes(unit),
            "can_manage": access.can(request.user, Capability.MANAGE_UNIT, unit),
            "can_keep_aliases": access.can(request.user, Capability.MANAGE_UNIT, unit)
            or access.can(request.user, Capability.COORDINATE, unit),
            "can_manage_city": unit.parent is not None
            and access.can(request.user, Capability.MANAGE_CITY, unit.parent),
        },
    )


@login_required
def body_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.MANAGE_UNIT)
    body = (
        access.get_object_for(request.user, Body.objects.filter(unit=unit), Capability.MANAGE_UNIT, pk=pk)
        if pk
        else None
    )
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            if body is None:
                services.create_body(actor=request.user, unit=unit, **form.service_fields())
                messages.success(request, _("Đã thêm cơ quan."))
            else:
                services.update_body(
                    actor=request.user,
                    body=body,
                    expected_version=form.cleaned_data["expected_version"],
                    **form.service_fields(),
                )
                messages.success(request, _("Đã lưu thay đổi."))
            return redirect("org:unit_detail", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(request, "org/body_form.html", {"unit": unit, "form": form, "body": body})


@login_required
@require_POST
def body_alias_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Forget one of a body's other names (those the appendix import learned, or typed ones)."""
    unit = _unit_page(request, slug)
    body = access.get_object_for(request.user, Body.objects.filter(unit=unit), Capability.READ, pk=pk)
    alias = request.POST.get("alias", "")
    try:
        services.remove_body_alias(actor=request.user, body=body, alias=alias)
        messages.success(request, _("Đã bỏ tên gọi khác «%(a)s» của %(b)s.") % {"a": alias, "b": body.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("org:unit_detail", slug=unit.slug)


def _import_page(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    scope = _unit_page(request, slug)
    access.require(request.user, Capability.MANAGE_CITY if scope.is_city else Capability.MANAGE_UNIT, scope)
    form_class = AccountImportForm if kind == "accounts" else ImportForm
    form = form_class(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if kind == "units":
                result = services.import_units(
                    actor=request.user, city=scope, data=data, filename=upload.name
                )
            elif kind == "bodies":
                result = services.import_bodies(
                    actor=request.user, scope=scope, data=data, filename=upload.name
                )
            else:
                result = services.import_accounts(
                    actor=request.user,
                    scope=scope,
                    data=data,
                    filename=upload.name,
                    invite=form.cleaned_data.get("invite", False),
                )
            if kind == "accounts":
                if form.cleaned_data.get("invite"):
                    messages.success(
                        request, _("Thư mời đặt mật khẩu đã được gửi tới các tài khoản mới có thư điện tử.")
                    )
                return _accounts_done_redirect(scope, [user.pk for user, _unit in result.accounts])
            messages.success(
                request, _("Đã nhập: %(c)d mới, %(u)d cập nhật.") % {"c": result.created, "u": result.updated}
            )
            return redirect("city_home" if scope.is_city else "org:unit_detail", slug=scope.slug)
        except ValidationError as exc:
            errors = exc.messages
    columns = {
        "units": services.UNIT_COLUMNS,
        "bodies": services.BODY_COLUMNS,
        "accounts": services.ACCOUNT_COLUMNS,
    }[kind]
    return render(
        request,
        "org/import.html",
        {
            "unit": scope,
            "form": form,
            "errors": errors,
            "kind": kind,
            "columns": columns,
            "template_name": TEMPLATE_NAMES[kind],
        },
    )


TEMPLATE_NAMES = {"units": "mau-nhap-don-vi", "bodies": "mau-nhap-co-quan", "accounts": "mau-nhap-tai-khoan"}


def _accounts_done_redirect(scope: Unit, user_ids: list[int]) -> HttpResponse:
    url = reverse("org:import_accounts_done", kwargs={"slug": scope.slug})
    return redirect(f"{url}?{urlencode([('id', pk) for pk in user_ids])}")


@login_required
def import_accounts_done(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """What an account import created, with the ways onwards: invitations, the accounts list, another file."""
    scope = _unit_page(request, slug)
    access.require(request.user, Capability.MANAGE_CITY if scope.is_city else Capability.MANAGE_UNIT, scope)
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(v) for v in source.getlist("id") if v.isdigit() and len(v) < 12]
    grants = list(selectors.imported_accounts(scope, ids))
    if request.method == "POST":
        sent = 0
        problems: list[str] = []
        for grant in grants:
            if grant.user.is_active and grant.user.email and not grant.user.has_usable_password():
                try:
                    services.send_invitation(actor=request.user, user=grant.user, unit=grant.unit)
                    sent += 1
                except ValidationError as exc:
                    problems.extend(exc.messages)
        messages.success(
            request,
            ngettext("Đã gửi thư mời tới %(n)d người.", "Đã gửi thư mời tới %(n)d người.", sent)
            % {"n": sent},
        )
        for problem in problems:
            messages.error(request, problem)
        return _accounts_done_redirect(scope, ids)
    people = {g.user_id for g in grants}
    waiting = {g.user_id for g in grants if g.user.email and not g.user.has_usable_password()}
    return render(
        request,
        "org/import_accounts_done.html",
        {
            "unit": scope,
            "grants": grants,
            "count": len(people),
            "waiting": len(waiting),
            "ids": sorted(people),
        },
    )


@login_required
def import_template(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    """The template file of an import: the header people fill in, and one example row."""
    scope = _unit_page(request, slug)
    access.require(request.user, Capability.MANAGE_CITY if scope.is_city else Capability.MANAGE_UNIT, scope)
    columns = {
        "units": services.UNIT_COLUMNS,
        "bodies": services.BODY_COLUMNS,
        "accounts": services.ACCOUNT_COLUMNS,
    }[kind]
    data = write_xlsx(
        [(_("Mẫu nhập"), [c.title for c in columns], selectors.import_template_rows(kind, scope))],
        numbered=False,
    )
    return xlsx_response(data, f"{TEMPLATE_NAMES[kind]}-{scope.slug}.xlsx")


@login_required
def import_units(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _import_page(request, slug, "units")


@login_required
def import_bodies(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _import_page(request, slug, "bodies")


@login_required
def import_accounts(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _import_page(request, slug, "accounts")


@login_required
def units_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = access.get_unit_for(request.user, slug)
    rows = [
        (
            u.name,
            u.get_kind_display(),
            u.slug,
            u.code,
            u.body_count,
            u.user_count,
            u.address,
            u.phone,
            u.email,
        )
        for u in selectors.city_units(city)
    ]
    data = write_xlsx(
        [
            (
                "Đơn vị",
                [
                    "Tên đơn vị",
                    "Loại",
                    "Mã đường dẫn",
                    "Mã đơn vị",
                    "Số cơ quan, thôn",
                    "Số tài khoản",
                    "Địa chỉ",
                    "Điện thoại",
                    "Thư điện tử",
                ],
                rows,
            )
        ]
    )
    return xlsx_response(data, f"don-vi-{city.slug}.xlsx")


@login_required
def accounts(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.MANAGE_UNIT)
    form = AccountForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_account(
                actor=request.user,
                unit=unit,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                body=data["body"],
                position_title=data["position_title"],
            )
            if data["invite"] and user.email:
                services.send_invitation(actor=request.user, user=user, unit=unit)
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": user.username})
            return redirect("org:accounts", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request, "org/accounts.html", {"unit": unit, "grants": selectors.unit_accounts(unit), "form": form}
    )


@login_required
def account_deactivate(request: AuthenticatedRequest, slug: str, user_id: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.MANAGE_UNIT)
    grant = access.get_object_for(
        request.user,
        RoleGrant.objects.filter(user_id=user_id).filter(unit__in=[unit, *unit.children.all()]),
        Capability.MANAGE_UNIT,
    )
    person = grant.user
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, grants__unit=unit, grants__is_active=True)
        .exclude(pk=person.pk)
        .distinct()
    )
    form = DeactivateForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_account(
                actor=request.user, user=person, unit=unit, hand_over_to=form.cleaned_data["hand_over_to"]
            )
            messages.success(request, _("Đã khóa tài khoản %(u)s.") % {"u": person.username})
            return redirect("org:accounts", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(request, "org/account_deactivate.html", {"unit": unit, "person": person, "form": form})


@login_required
@require_POST
def account_invite(request: AuthenticatedRequest, slug: str, user_id: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.MANAGE_UNIT)
    grant = access.get_object_for(
        request.user, RoleGrant.objects.filter(user_id=user_id, unit=unit), Capability.MANAGE_UNIT
    )
    try:
        services.send_invitation(actor=request.user, user=grant.user, unit=unit)
        messages.success(request, _("Đã gửi thư mời."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("org:accounts", slug=unit.slug)


@login_required
@require_POST
def account_end_sessions(request: AuthenticatedRequest, slug: str, user_id: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.MANAGE_UNIT)
    grant = access.get_object_for(
        request.user, RoleGrant.objects.filter(user_id=user_id, unit=unit), Capability.MANAGE_UNIT
    )
    ended = services.end_sessions(user=grant.user)
    messages.success(request, _("Đã kết thúc %(n)d phiên đăng nhập.") % {"n": ended})
    return redirect("org:accounts", slug=unit.slug)


@login_required
def unit_rename(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    form = RenameForm(request.POST or None, initial={"new_name": unit.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_unit(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Đã đổi tên đơn vị; tên cũ được giữ trong lịch sử."))
            return redirect("org:unit_detail", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    elif not unit.parent or not access.can(request.user, Capability.MANAGE_CITY, unit.parent):
        access.require(request.user, Capability.MANAGE_CITY, unit.parent or unit)
    return render(request, "org/simple_form.html", {"unit": unit, "form": form, "title": _("Đổi tên đơn vị")})


@login_required
def unit_merge(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    access.require(request.user, Capability.MANAGE_CITY, unit.parent or unit)
    form = MergeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_units(actor=request.user, into=unit, **form.cleaned_data)
            messages.success(request, _("Đã sáp nhập; dữ liệu và lịch sử của đơn vị cũ được giữ lại."))
            return redirect("org:unit_detail", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "org/simple_form.html",
        {"unit": unit, "form": form, "title": _("Sáp nhập đơn vị vào %(u)s") % {"u": unit.full_name}},
    )


@login_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """A person's own API tokens for integrations; the raw token is shown once, only its hash is kept."""
    new_token = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            services.revoke_api_token(actor=request.user, token_id=int(request.POST["revoke"]))
            messages.success(request, _("Đã thu hồi mã truy cập."))
            return redirect("org:api_tokens")
        new_token = services.create_api_token(actor=request.user, name=request.POST.get("name", "")[:100])
    tokens = request.user.api_tokens.order_by("-created_at")
    return render(request, "org/api_tokens.html", {"tokens": tokens, "new_token": new_token})


@login_required
def load_official_units(request: AuthenticatedRequest) -> HttpResponse:
    """The system administrator loads a province (or city) and its commune-level units from the official list
    shipped with the package (the same service as `friendlygov units load`)."""
    from friendlygov.org import official_list

    if not access.is_system_admin(request.user):
        raise PermissionDenied
    form = OfficialUnitsForm(request.POST or None, initial={"province": request.GET.get("province", "")})
    result = None
    if request.method == "POST" and form.is_valid():
        province = official_list.shipped()[form.cleaned_data["province"]]
        result = services.load_official_units(actor=request.user, province=province)
        messages.success(
            request,
            _("Đã nạp %(p)s: %(c)d đơn vị mới, %(u)d cập nhật, %(n)d không đổi.")
            % {"p": result.province, "c": result.created, "u": result.updated, "n": result.unchanged},
        )
    return render(
        request,
        "org/load_official_units.html",
        {"form": form, "result": result, "source": official_list.SHIPPED_SOURCE},
    )
