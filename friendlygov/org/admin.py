from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from friendlygov.org.models import ApiToken, Body, RoleGrant, Unit, UnitEvent, User


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ["kind", "name", "code", "aliases", "phone", "email", "is_active"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "parent", "is_active"]
    list_filter = ["kind", "is_active", "parent"]
    search_fields = ["name", "slug", "code"]
    inlines = [BodyInline]


@admin.register(UnitEvent)
class UnitEventAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "effective_date", "old_name", "new_name"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "unit", "is_active"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "code"]


class GrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Friendlygov", {"fields": ("full_name", "phone", "position_title", "handed_over_to")}))
    inlines = [GrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
