from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from friendlygov.audit import services as audit
from friendlygov.audit.admin import ChangeStampedAdmin
from friendlygov.org import services
from friendlygov.org.models import ApiToken, Body, RoleGrant, Unit, UnitEvent, User


class BodyInline(admin.TabularInline[Body, Unit]):
    model = Body
    extra = 0
    fields = ["kind", "name", "code", "aliases", "phone", "email", "is_active"]


@admin.register(Unit)
class UnitAdmin(ChangeStampedAdmin[Unit]):
    list_display = ["name", "code", "kind", "slug", "parent", "is_active"]
    list_filter = ["kind", "is_active", "parent"]
    search_fields = ["name", "slug", "code"]
    inlines = [BodyInline]


@admin.register(UnitEvent)
class UnitEventAdmin(ChangeStampedAdmin[UnitEvent]):
    list_display = ["unit", "kind", "effective_date", "old_name", "new_name"]


@admin.register(Body)
class BodyAdmin(ChangeStampedAdmin[Body]):
    list_display = ["name", "code", "kind", "unit", "is_active"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "code"]


class GrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0
    fk_name = "user"


def active_sessions_of(user: Any) -> list[Any]:
    """The unexpired sessions signed in as `user`, newest expiry first."""
    from django.contrib.sessions.models import Session

    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by("-expire_date"):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            found.append(session)
    return found


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Friendlygov", {"fields": ("full_name", "phone", "position_title", "handed_over_to")}),
        ("Phiên đăng nhập", {"fields": ("active_sessions",)}),
    )
    readonly_fields = ["active_sessions"]
    inlines = [GrantInline]
    actions = ["end_all_sessions"]

    @admin.display(description="Phiên đăng nhập đang mở")
    def active_sessions(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "—"
        sessions = active_sessions_of(obj)
        if not sessions:
            return "Không có phiên nào đang mở."
        rows = format_html_join(
            "",
            "<li>Mã phiên {}… — hết hạn {}</li>",
            (
                (s.session_key[:8], timezone.localtime(s.expire_date).strftime("%d/%m/%Y %H:%M"))
                for s in sessions
            ),
        )
        return format_html(
            "<ul>{}</ul><p>Để kết thúc: chọn người dùng trong danh sách, thao tác «Kết thúc mọi phiên đăng nhập».</p>",
            rows,
        )

    @admin.action(description="Kết thúc mọi phiên đăng nhập")
    def end_all_sessions(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ended = 0
        for user in queryset:
            count = services.end_sessions(user=user)
            ended += count
            self.log_change(request, user, f"Kết thúc {count} phiên đăng nhập")
            audit.record_update(
                actor=request.user,
                unit_id=None,
                obj=user,
                before=audit.snapshot(user, []),
                note=f"kết thúc {count} phiên đăng nhập (trang quản trị)",
            )
        self.message_user(
            request,
            f"Đã kết thúc {ended} phiên đăng nhập của {queryset.count()} người dùng.",
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
