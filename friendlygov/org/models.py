"""The organisation tree (city → commune-level unit → bodies), people and their roles."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.rules.text import normalize_vi


class Unit(models.Model):
    """A node of the administrative tree: a city (or province) or a commune-level unit under it."""

    class Kind(models.TextChoices):
        CITY = "city", _("Thành phố")
        PROVINCE = "province", _("Tỉnh")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")

    CITY_KINDS = (Kind.CITY, Kind.PROVINCE)

    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(_("mã đường dẫn"), max_length=80, unique=True)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("trực thuộc"),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "code"], condition=~models.Q(code=""), name="unit_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_city(self) -> bool:
        return self.kind in self.CITY_KINDS

    @property
    def kind_prefix(self) -> str:
        return {
            self.Kind.CITY: "thành phố",
            self.Kind.PROVINCE: "tỉnh",
            self.Kind.COMMUNE: "xã",
            self.Kind.WARD: "phường",
            self.Kind.SPECIAL_ZONE: "đặc khu",
        }[self.Kind(self.kind)]

    @property
    def full_name(self) -> str:
        return f"{self.kind_prefix.capitalize()} {self.name}"

    @property
    def city_id_or_self(self) -> int:
        return self.pk if self.is_city or self.parent_id is None else int(self.parent_id)


class UnitEvent(models.Model):
    """History of a unit: renames and merges (e.g. the July 2025 reorganisation)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Thành lập")
        RENAMED = "renamed", _("Đổi tên")
        MERGED = "merged", _("Sáp nhập")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    old_name = models.CharField(max_length=200, blank=True)
    new_name = models.CharField(max_length=200, blank=True)
    merged_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    decision = models.CharField(_("căn cứ"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]


class Body(models.Model):
    """An office, centre, organisation or village of a commune-level unit."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Phòng chuyên môn")
        CENTRE = "centre", _("Trung tâm")
        FRONT = "front", _("Ủy ban MTTQ")
        SOCIOPOLITICAL = "sociopolitical", _("Tổ chức chính trị - xã hội")
        PARTY = "party", _("Cơ quan Đảng")
        VILLAGE = "village", _("Thôn")
        RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")
        OTHER = "other", _("Khác")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    code = models.CharField(_("ký hiệu"), max_length=20, help_text=_("Dùng trong số văn bản, ví dụ VHXH"))
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    head_name = models.CharField(_("người đứng đầu"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock (friendlygov.kit.concurrency)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="body_code_unique_in_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.kind in (self.Kind.VILLAGE, self.Kind.RESIDENTIAL_GROUP)

    def match_keys(self) -> set[str]:
        """Normalised names this body answers to (its name, code and aliases)."""
        return {normalize_vi(n) for n in [self.name, self.code, *self.aliases] if n}


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    position_title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    handed_over_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bàn giao cho"),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    CITY_REVIEWER = "city_reviewer", _("Cán bộ thẩm định (Sở Nội vụ)")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo UBND")
    COORDINATOR = "coordinator", _("Đầu mối chương trình (Phòng VH-XH)")
    BODY_MEMBER = "body_member", _("Thành viên cơ quan, thôn")
    JOINT_SCORER = "joint_scorer", _("Chấm điểm phối hợp (MTTQ, Ban XDĐ)")
    OBSERVER = "observer", _("Theo dõi (chỉ xem)")


class RoleGrant(models.Model):
    """A role held on a node of the tree; it applies to that node and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grants", verbose_name=_("đơn vị"))
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("cơ quan, thôn"),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "body"], name="grant_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        where = self.body.name if self.body_id and self.body else self.unit.full_name
        return f"{self.get_role_display()} — {where}"


class ApiToken(models.Model):
    """A token for integrations; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw_token() -> str:
        return "fg_" + secrets.token_urlsafe(32)
