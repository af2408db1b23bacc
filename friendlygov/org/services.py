"""Writes to the organisation tree and accounts. Each function checks access, validates, writes in one
transaction and records the audit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit import site
from friendlygov.kit.concurrency import check_version
from friendlygov.kit.tabular import Column, Row, TableError, column_title, read_table
from friendlygov.org import official_list
from friendlygov.org.access import Actor, Capability, forget_cached_grants, require
from friendlygov.org.models import ApiToken, Body, Role, RoleGrant, Unit, UnitEvent
from friendlygov.rules.text import normalize_vi

User = get_user_model()

BODY_CODE_RE = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9.\-]{0,19}$")

UNIT_KIND_WORDS = {
    "xa": Unit.Kind.COMMUNE,
    "phuong": Unit.Kind.WARD,
    "dac khu": Unit.Kind.SPECIAL_ZONE,
    "thanh pho": Unit.Kind.CITY,
    "tinh": Unit.Kind.PROVINCE,
}
BODY_KIND_WORDS = {normalize_vi(str(label)): value for value, label in Body.Kind.choices} | {
    "phong": Body.Kind.OFFICE,
    "trung tam": Body.Kind.CENTRE,
    "thon": Body.Kind.VILLAGE,
    "to dan pho": Body.Kind.RESIDENTIAL_GROUP,
    "mttq": Body.Kind.FRONT,
    "dang": Body.Kind.PARTY,
    "doan the": Body.Kind.SOCIOPOLITICAL,
}


def _require_city_manager(actor: Actor, unit: Unit) -> None:
    """The unit must be visible (else 404) and the actor must manage the city above it (else 403)."""
    from django.core.exceptions import PermissionDenied

    from friendlygov.org.access import can

    require(actor, Capability.READ, unit)
    if not can(actor, Capability.MANAGE_CITY, unit.parent or unit):
        raise PermissionDenied


# ---------------------------------------------------------------- units


@transaction.atomic
def rename_unit(
    *, actor: Actor, unit: Unit, new_name: str, effective_date: dt.date, decision: str = ""
) -> Unit:
    _require_city_manager(actor, unit)
    before = audit.snapshot(unit)
    old_name = unit.name
    unit.name = new_name.strip()
    unit.full_clean()
    unit.save()
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEvent.Kind.RENAMED,
        effective_date=effective_date,
        old_name=old_name,
        new_name=unit.name,
        decision=decision,
    )
    audit.record_update(actor=actor, unit_id=unit.pk, obj=unit, before=before, note=decision)
    return unit


@transaction.atomic
def merge_units(
    *, actor: Actor, sources: Sequence[Unit], into: Unit, effective_date: dt.date, decision: str = ""
) -> Unit:
    """Merge `sources` into `into`: sources stay (read-only, inactive) with their history; bodies move."""
    _require_city_manager(actor, into)
    if any(s.pk == into.pk for s in sources):
        raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
    event = UnitEvent.objects.create(
        unit=into,
        kind=UnitEvent.Kind.MERGED,
        effective_date=effective_date,
        new_name=into.name,
        decision=decision,
    )
    for source in sources:
        before = audit.snapshot(source)
        source.is_active = False
        source.merged_into = into
        source.save()
        event.merged_units.add(source)
        taken = set(into.bodies.values_list("code", flat=True))
        for body in source.bodies.all():
            body_before = audit.snapshot(body)
            body.unit = into
            if body.code in taken:
                body.code = f"{body.code}-{source.slug[:6].upper()}"[:20]
            taken.add(body.code)
            body.version += 1
            body.save()
            audit.record_update(actor=actor, unit_id=into.pk, obj=body, before=body_before, note="sáp nhập")
        audit.record_update(
            actor=actor, unit_id=source.pk, obj=source, before=before, note=f"sáp nhập vào {into}"
        )
    return into


# ---------------------------------------------------------------- bodies


def _validate_body_code(code: str) -> str:
    code = code.strip().upper()
    if not BODY_CODE_RE.match(code):
        raise ValidationError(
            {"code": _("Ký hiệu chỉ gồm chữ in hoa, chữ số, dấu chấm hoặc gạch ngang (tối đa 20 ký tự).")}
        )
    return code


@transaction.atomic
def create_body(
    *, actor: Actor, unit: Unit, kind: str, name: str, code: str, aliases: Sequence[str] = (), **details: Any
) -> Body:
    require(actor, Capability.MANAGE_UNIT, unit)
    body = Body(
        unit=unit,
        kind=kind,
        name=name.strip(),
        code=_validate_body_code(code),
        aliases=list(aliases),
        **details,
    )
    if Body.objects.filter(unit=unit, code=body.code).exists():
        raise ValidationError(
            {"code": _("Ký hiệu «%(c)s» đã dùng cho một cơ quan khác của đơn vị.") % {"c": body.code}}
        )
    body.full_clean()
    body.save()
    audit.record_create(actor=actor, unit_id=unit.pk, obj=body)
    return body


@transaction.atomic
def update_body(*, actor: Actor, body: Body, expected_version: int | None = None, **fields: Any) -> Body:
    """Change the fields named; refused when the body changed since the page or client read version
    ``expected_version`` (None: no check — the caller holds no earlier reading)."""
    require(actor, Capability.MANAGE_UNIT, body.unit)
    body = Body.objects.select_for_update().select_related("unit").get(pk=body.pk)
    check_version(
        body,
        expected_version,
        message=_(
            "Cơ quan «%(b)s» đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang để xem bản mới nhất rồi lưu lại."
        )
        % {"b": body.name},
    )
    before = audit.snapshot(body)
    if "code" in fields:
        fields["code"] = _validate_body_code(fields["code"])
        if Body.objects.filter(unit=body.unit, code=fields["code"]).exclude(pk=body.pk).exists():
            raise ValidationError(
                {
                    "code": _("Ký hiệu «%(c)s» đã dùng cho một cơ quan khác của đơn vị.")
                    % {"c": fields["code"]}
                }
            )
    for name, value in fields.items():
        setattr(body, name, value)
    body.full_clean()
    body.version += 1
    body.save()
    audit.record_update(actor=actor, unit_id=body.unit_id, obj=body, before=before)
    return body


def _require_alias_keeper(actor: Actor, unit: Unit) -> None:
    """Who may teach the unit's bodies another name: its administrator, or the coordinator who maps the names
    of an appendix (404 for others' units, 403 for the unit's other people)."""
    from django.core.exceptions import PermissionDenied

    from friendlygov.org.access import can

    require(actor, Capability.READ, unit)
    if not (can(actor, Capability.MANAGE_UNIT, unit) or can(actor, Capability.COORDINATE, unit)):
        raise PermissionDenied


@transaction.atomic
def add_body_alias(*, actor: Actor, body: Body, alias: str, note: str = "") -> Body:
    """Remember `alias` as another name of `body`, so tables naming the body that way are read without help.
    A name another body of the unit already answers to is refused; one the body answers to changes nothing."""
    _require_alias_keeper(actor, body.unit)
    body = Body.objects.select_for_update().get(pk=body.pk)
    alias = " ".join(alias.split())
    if not alias:
        raise ValidationError({"aliases": _("Tên gọi khác không được để trống.")})
    if len(alias) > 300:
        raise ValidationError({"aliases": _("Tên gọi khác dài quá 300 ký tự.")})
    already = match_body(body.unit, alias)
    if already is not None and already.pk == body.pk:
        return body
    if already is not None:
        raise ValidationError(
            {
                "aliases": _("Tên «%(a)s» đã là tên của %(o)s; không thể gán cho %(b)s.")
                % {"a": alias, "o": already.name, "b": body.name}
            }
        )
    before = audit.snapshot(body, ["aliases"])
    body.aliases = [*body.aliases, alias]
    body.full_clean()
    body.version += 1
    body.save(update_fields=["aliases", "version", "updated_at"])
    audit.record_update(
        actor=actor, unit_id=body.unit_id, obj=body, before=before, note=note or "thêm tên gọi khác"
    )
    return body


@transaction.atomic
def remove_body_alias(*, actor: Actor, body: Body, alias: str) -> Body:
    """Forget another name of `body` (every spelling that reads the same)."""
    _require_alias_keeper(actor, body.unit)
    body = Body.objects.select_for_update().get(pk=body.pk)
    wanted = normalize_vi(alias)
    kept = [a for a in body.aliases if normalize_vi(a) != wanted]
    if len(kept) == len(body.aliases):
        raise ValidationError(
            {"aliases": _("%(b)s không có tên gọi khác «%(a)s».") % {"b": body.name, "a": alias}}
        )
    before = audit.snapshot(body, ["aliases"])
    body.aliases = kept
    body.version += 1
    body.save(update_fields=["aliases", "version", "updated_at"])
    audit.record_update(actor=actor, unit_id=body.unit_id, obj=body, before=before, note="bỏ tên gọi khác")
    return body


def match_body(unit: Unit, name: str) -> Body | None:
    """The body of `unit` a written name refers to (diacritics-, case- and abbreviation-insensitive)."""
    wanted = normalize_vi(name)
    wanted_compact = wanted.replace(" - ", "-").replace(" ", "")
    for body in unit.bodies.filter(is_active=True):
        keys = body.match_keys()
        if wanted in keys or wanted_compact in {k.replace(" - ", "-").replace(" ", "") for k in keys}:
            return body
    # "Phòng Văn hóa - Xã hội xã" → drop the trailing "xã"/"xã <name>" that documents add
    for suffix in (" xa " + normalize_vi(unit.name), " dang uy xa", " dang uy", " xa", " phuong", " dac khu"):
        if wanted.endswith(suffix) and wanted != suffix.strip():
            return match_body(unit, wanted[: -len(suffix)])
    return None


# ---------------------------------------------------------------- imports

UNIT_COLUMNS = [
    Column("name", "Tên đơn vị", aliases=["ten", "don vi"]),
    Column("kind", "Loại", aliases=["loai don vi"]),
    Column("code", "Mã đơn vị", required=False, aliases=["ma"]),
    Column("slug", "Mã đường dẫn", required=False, aliases=["slug"]),
    Column("address", "Địa chỉ", required=False),
    Column("phone", "Điện thoại", required=False),
    Column("email", "Thư điện tử", required=False, aliases=["email"]),
]

BODY_COLUMNS = [
    Column("unit", "Đơn vị", aliases=["ma don vi", "ma duong dan"]),
    Column("name", "Tên cơ quan", aliases=["ten", "co quan", "ten co quan, to chuc"]),
    Column("code", "Ký hiệu", aliases=["ky hieu", "ma"]),
    Column("kind", "Loại"),
    Column("aliases", "Tên gọi khác", required=False),
    Column("head_name", "Người đứng đầu", required=False),
    Column("phone", "Điện thoại", required=False),
    Column("email", "Thư điện tử", required=False, aliases=["email"]),
    Column("address", "Địa chỉ", required=False),
]

ACCOUNT_COLUMNS = [
    Column("username", "Tên đăng nhập", aliases=["username"]),
    Column("full_name", "Họ và tên"),
    Column("email", "Thư điện tử", aliases=["email"]),
    Column("unit", "Đơn vị", aliases=["ma don vi", "ten don vi", "ma duong dan"]),
    Column("role", "Vai trò"),
    Column("body", "Cơ quan", required=False, aliases=["ky hieu co quan"]),
    Column("position_title", "Chức vụ", required=False),
    Column("phone", "Điện thoại", required=False),
]


@dataclass
class ImportResult:
    created: int
    updated: int
    #: the accounts an account import created (user, unit), for the page that shows them
    accounts: list[tuple[Any, Unit]] = field(default_factory=list)


def _unit_in_scope(scope: Unit, written: str) -> Unit | None:
    """The unit a row names, within `scope` (a commune, or a city and its units): its slug, or its name with or
    without its "Xã/Phường/Đặc khu" (diacritics- and case-insensitive; a wrong word, "Phường" for a commune, does not
    match). Several units answering to the name (a
    "Xã Tân Hưng" and a "Phường Tân Hưng") → ValidationError asking for the full name or the slug."""
    value = written.strip()
    if not value:
        return None
    candidates = [scope, *scope.children.all()] if scope.is_city else [scope]
    by_slug = [u for u in candidates if u.slug == value.lower()]
    if by_slug:
        return by_slug[0]
    wanted = normalize_vi(value)
    found = [u for u in candidates if wanted in (normalize_vi(u.full_name), normalize_vi(u.name))]
    if len(found) > 1:
        active = [u for u in found if u.is_active]
        found = active or found
    if len(found) > 1:
        names = ", ".join(f"{u.full_name} ({u.slug})" for u in found)
        raise ValidationError(
            _("«%(v)s» ứng với nhiều đơn vị: %(names)s; ghi rõ «Xã …», «Phường …» hoặc mã đường dẫn")
            % {"v": value, "names": names}
        )
    return found[0] if found else None


def _row_unit(row: Row, columns: Sequence[Column], scope: Unit) -> Unit:
    try:
        unit = _unit_in_scope(scope, row.get("unit"))
    except ValidationError as exc:
        raise _row_error(row, columns, "unit", exc.messages[0]) from exc
    if unit is None:
        raise _row_error(
            row, columns, "unit", _("không có đơn vị «%(u)s» trong phạm vi nhập") % {"u": row.get("unit")}
        )
    return unit


def _parse_choice(value: str, words: Mapping[str, str], row: Row, columns: Sequence[Column], key: str) -> str:
    normalised = normalize_vi(value)
    for word, choice in words.items():
        if normalised == word or normalised == normalize_vi(choice):
            return choice
    raise _row_error(row, columns, key, _("giá trị «%(v)s» không hợp lệ") % {"v": value})


def _row_error(row: Row, columns: Sequence[Column], key: str, message: str) -> ValidationError:
    return ValidationError(
        _("Dòng %(n)s, cột «%(c)s»: %(m)s.")
        % {"n": row.number, "c": column_title(columns, key), "m": message}
    )


def _row_prefixed(row: Row, messages: Sequence[str]) -> list[str]:
    """Messages of a row, each starting with its row number (those of _row_error already do)."""
    prefix = _("Dòng %(n)s") % {"n": row.number}
    return [
        m if m.startswith(prefix) else _("Dòng %(n)s: %(m)s") % {"n": row.number, "m": m} for m in messages
    ]


def _read(data: bytes, filename: str, columns: Sequence[Column]) -> list[Row]:
    try:
        return read_table(data, filename, columns)
    except TableError as exc:
        raise ValidationError(exc.problems) from exc


@transaction.atomic
def import_units(*, actor: Actor, city: Unit, data: bytes, filename: str) -> ImportResult:
    """Load a city's list of commune-level units; existing ones (same slug) are updated."""
    require(actor, Capability.MANAGE_CITY, city)
    rows = _read(data, filename, UNIT_COLUMNS)
    problems: list[str] = []
    seen: dict[str, int] = {}
    parsed = []
    for row in rows:
        try:
            if not row.get("name"):
                raise _row_error(row, UNIT_COLUMNS, "name", _("không được để trống"))
            kind = _parse_choice(row.get("kind"), UNIT_KIND_WORDS, row, UNIT_COLUMNS, "kind")
            if kind in Unit.CITY_KINDS:
                raise _row_error(row, UNIT_COLUMNS, "kind", _("chỉ nhập xã, phường hoặc đặc khu"))
            slug = row.get("slug") or official_list.slug_of(str(row.get("name")))
            if slug in seen:
                raise _row_error(row, UNIT_COLUMNS, "slug", _("trùng với dòng %(n)s") % {"n": seen[slug]})
            seen[slug] = row.number
            parsed.append((row, kind, slug))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    for row, kind, slug in parsed:
        existing = Unit.objects.filter(slug=slug).first()
        if existing is not None and existing.parent_id != city.pk:
            problems.append(
                _("Dòng %(n)s: mã đường dẫn «%(s)s» đã thuộc đơn vị khác (%(u)s).")
                % {"n": row.number, "s": slug, "u": existing}
            )
            continue
        fields = {k: row.get(k) for k in ("code", "address", "phone", "email")}
        if existing is None:
            unit = Unit(parent=city, kind=kind, name=row.get("name"), slug=slug, **fields)
            try:
                unit.full_clean()
            except ValidationError as exc:
                problems.extend(_("Dòng %(n)s: %(m)s") % {"n": row.number, "m": m} for m in exc.messages)
                continue
            unit.save()
            UnitEvent.objects.create(
                unit=unit, kind=UnitEvent.Kind.CREATED, effective_date=dt.date.today(), new_name=unit.name
            )
            audit.record_create(actor=actor, unit_id=unit.pk, obj=unit, note=f"nhập từ {filename}")
            created += 1
        else:
            before = audit.snapshot(existing)
            existing.kind, existing.name = kind, row.get("name")
            for key, value in fields.items():
                setattr(existing, key, value)
            existing.save()
            if audit.record_update(
                actor=actor, unit_id=existing.pk, obj=existing, before=before, note=f"nhập từ {filename}"
            ):
                updated += 1
    if problems:
        transaction.set_rollback(True)
        raise ValidationError(problems)
    return ImportResult(created=created, updated=updated)


@transaction.atomic
def import_bodies(*, actor: Actor, scope: Unit, data: bytes, filename: str) -> ImportResult:
    """Load bodies of the units under `scope` (a city) or of `scope` itself (a commune)."""
    rows = _read(data, filename, BODY_COLUMNS)
    problems: list[str] = []
    created = updated = 0
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        try:
            by_code = (
                Unit.objects.filter(code=row.get("unit"), parent=scope).first() if row.get("unit") else None
            )
            unit = by_code or _row_unit(row, BODY_COLUMNS, scope)
            require(actor, Capability.MANAGE_UNIT, unit)
            if not row.get("name"):
                raise _row_error(row, BODY_COLUMNS, "name", _("không được để trống"))
            try:
                code = _validate_body_code(row.get("code"))
            except ValidationError as exc:
                raise _row_error(row, BODY_COLUMNS, "code", exc.messages[0].rstrip(".")) from exc
            if (unit.pk, code) in seen:
                raise _row_error(
                    row,
                    BODY_COLUMNS,
                    "code",
                    _("ký hiệu «%(c)s» trùng với dòng %(n)s") % {"c": code, "n": seen[(unit.pk, code)]},
                )
            seen[(unit.pk, code)] = row.number
            kind = _parse_choice(row.get("kind"), BODY_KIND_WORDS, row, BODY_COLUMNS, "kind")
            aliases = [a.strip() for a in re.split(r"[;\n]", row.get("aliases")) if a.strip()]
            details = {k: row.get(k) for k in ("head_name", "phone", "email", "address")}
            existing = Body.objects.filter(unit=unit, code=code).first()
            if existing is None:
                body = Body(unit=unit, kind=kind, name=row.get("name"), code=code, aliases=aliases, **details)
                body.full_clean()
                body.save()
                audit.record_create(actor=actor, unit_id=unit.pk, obj=body, note=f"nhập từ {filename}")
                created += 1
            else:
                before = audit.snapshot(existing)
                existing.kind, existing.name, existing.aliases = kind, row.get("name"), aliases
                for key, value in details.items():
                    setattr(existing, key, value)
                existing.full_clean()
                if audit.snapshot(existing) != before:
                    existing.version += 1
                existing.save()
                if audit.record_update(actor=actor, unit_id=unit.pk, obj=existing, before=before):
                    updated += 1
        except ValidationError as exc:
            problems.extend(_row_prefixed(row, exc.messages))
    if problems:
        transaction.set_rollback(True)
        raise ValidationError(problems)
    return ImportResult(created=created, updated=updated)


# ---------------------------------------------------------------- accounts

ROLE_WORDS = (
    {normalize_vi(str(label)): value for value, label in Role.choices}
    | {normalize_vi(value): value for value in Role.values}
    | {
        "lanh dao": Role.UNIT_LEADER,
        "chu tich": Role.UNIT_LEADER,
        "pho chu tich": Role.UNIT_LEADER,
        "dau moi": Role.COORDINATOR,
        "quan tri don vi": Role.UNIT_ADMIN,
        "thanh vien": Role.BODY_MEMBER,
        "cham diem phoi hop": Role.JOINT_SCORER,
        "theo doi": Role.OBSERVER,
        "tham dinh": Role.CITY_REVIEWER,
    }
)


def _may_grant(actor: Actor, unit: Unit, role: str) -> None:
    if role in (Role.SYSTEM_ADMIN,):
        require(actor, Capability.MANAGE_CITY, unit)  # only system administrators hold every capability
        from friendlygov.org.access import is_system_admin

        if not is_system_admin(actor):
            raise ValidationError(_("Chỉ quản trị hệ thống được cấp vai trò này."))
    elif role == Role.CITY_REVIEWER or unit.is_city:
        require(actor, Capability.MANAGE_CITY, unit)
    else:
        require(actor, Capability.MANAGE_UNIT, unit)


@transaction.atomic
def grant_role(*, actor: Actor, user: Any, role: str, unit: Unit, body: Body | None = None) -> RoleGrant:
    _may_grant(actor, unit, role)
    if body is not None and body.unit_id != unit.pk:
        raise ValidationError({"body": _("Cơ quan không thuộc đơn vị này.")})
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, body=body)
    if not created and not grant.is_active:
        grant.is_active = True
        grant.save(update_fields=["is_active"])
        created = True
    if created:
        audit.record_create(actor=actor, unit_id=unit.pk, obj=grant)
    forget_cached_grants(user)
    return grant


@transaction.atomic
def create_account(
    *,
    actor: Actor,
    unit: Unit,
    username: str,
    full_name: str,
    email: str,
    role: str,
    body: Body | None = None,
    position_title: str = "",
    phone: str = "",
    password: str | None = None,
) -> Any:
    _may_grant(actor, unit, role)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập «%(u)s» đã có người dùng.") % {"u": username}})
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Thư điện tử «%(e)s» đã dùng cho tài khoản khác.") % {"e": email}})
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        position_title=position_title,
        phone=phone,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action="create",
        obj=user,
        changes={
            "username": [None, username],
            "full_name": [None, user.full_name],
            "email": [None, user.email],
        },
    )
    grant_role(actor=actor, user=user, role=role, unit=unit, body=body)
    return user


def set_password_link(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site.absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def send_invitation(*, actor: Actor, user: Any, unit: Unit) -> None:
    require(actor, Capability.MANAGE_UNIT, unit)
    if not user.email:
        raise ValidationError({"email": _("Tài khoản chưa có thư điện tử để gửi lời mời.")})
    link = set_password_link(user)
    send_mail(
        subject="Mời tham gia hệ thống Chính quyền thân thiện",
        message=(
            f"Xin chào {user.get_full_name()},\n\n"
            f"Bạn được mời sử dụng hệ thống Chính quyền thân thiện của {unit.full_name} "
            f"với tên đăng nhập «{user.username}».\nHãy đặt mật khẩu tại: {link}\n\nTrân trọng."
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    audit.record(actor=actor, unit_id=unit.pk, action="update", obj=user, note="gửi lời mời đặt mật khẩu")


@transaction.atomic
def import_accounts(
    *, actor: Actor, scope: Unit, data: bytes, filename: str, invite: bool = False
) -> ImportResult:
    rows = _read(data, filename, ACCOUNT_COLUMNS)
    problems: list[str] = []
    created_users = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            username = row.get("username")
            if not username:
                raise _row_error(row, ACCOUNT_COLUMNS, "username", _("không được để trống"))
            if username.lower() in seen:
                raise _row_error(
                    row,
                    ACCOUNT_COLUMNS,
                    "username",
                    _("trùng với dòng %(n)s") % {"n": seen[username.lower()]},
                )
            seen[username.lower()] = row.number
            unit = _row_unit(row, ACCOUNT_COLUMNS, scope)
            role = _parse_choice(row.get("role"), ROLE_WORDS, row, ACCOUNT_COLUMNS, "role")
            body = None
            if row.get("body"):
                body = Body.objects.filter(unit=unit, code=row.get("body").upper()).first() or match_body(
                    unit, row.get("body")
                )
                if body is None:
                    raise _row_error(
                        row,
                        ACCOUNT_COLUMNS,
                        "body",
                        _("không có cơ quan «%(b)s» trong %(u)s") % {"b": row.get("body"), "u": unit},
                    )
            user = create_account(
                actor=actor,
                unit=unit,
                username=username,
                full_name=row.get("full_name"),
                email=row.get("email"),
                role=role,
                body=body,
                position_title=row.get("position_title"),
                phone=row.get("phone"),
            )
            created_users.append((user, unit))
        except ValidationError as exc:
            problems.extend(_row_prefixed(row, exc.messages))
    if problems:
        transaction.set_rollback(True)
        raise ValidationError(problems)
    if invite:

        def send_all() -> None:
            for user, unit in created_users:
                if user.email:
                    send_invitation(actor=actor, user=user, unit=unit)

        transaction.on_commit(send_all)
    return ImportResult(created=len(created_users), updated=0, accounts=created_users)


@transaction.atomic
def deactivate_account(*, actor: Actor, user: Any, unit: Unit, hand_over_to: Any | None = None) -> None:
    """Deactivate a leaving person; their roles (and so their open work) pass to a colleague."""
    require(actor, Capability.MANAGE_UNIT, unit)
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError(_("Không thể tự khóa tài khoản của chính mình."))
    own_units = {g.unit_id for g in user.grants.filter(is_active=True)}
    if unit.pk not in own_units and not any(
        Unit.objects.filter(pk=u, parent=unit).exists() for u in own_units
    ):
        from django.http import Http404

        raise Http404
    before = audit.snapshot(user, ["is_active", "handed_over_to_id"])
    if hand_over_to is not None:
        if hand_over_to.pk == user.pk or not hand_over_to.is_active:
            raise ValidationError(
                {"hand_over_to": _("Người nhận bàn giao phải là một tài khoản khác đang hoạt động.")}
            )
        for grant in user.grants.filter(is_active=True):
            grant_role(actor=actor, user=hand_over_to, role=grant.role, unit=grant.unit, body=grant.body)
        user.handed_over_to = hand_over_to
    user.is_active = False
    user.save()
    user.grants.filter(is_active=True).update(is_active=False)
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=dt.datetime.now(dt.UTC))
    end_sessions(user=user)
    audit.record_update(actor=actor, unit_id=unit.pk, obj=user, before=before, note="khóa tài khoản")


def end_sessions(*, user: Any) -> int:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def create_api_token(*, actor: Actor, name: str) -> str:
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=actor, name=name.strip() or "API", token_hash=ApiToken.hash(raw), prefix=raw[3:11]
    )
    audit.record_create(actor=actor, unit_id=None, obj=token)
    return raw


@transaction.atomic
def revoke_api_token(*, actor: Actor, token_id: int) -> None:
    from django.http import Http404
    from django.utils import timezone

    token = ApiToken.objects.filter(pk=token_id, user=actor, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record_update(actor=actor, unit_id=None, obj=token, before=before)


# ---------------------------------------------------------------- the official list of units


@dataclass
class OfficialLoadResult:
    """What loading a province from the official list did; the counts are of its commune-level units."""

    province_code: str
    province: str
    city: Unit
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "province_code": self.province_code,
            "province": self.province,
            "city_slug": self.city.slug,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _free_slug(wanted: str, code: str, taken: set[str]) -> str:
    """The name's slug, or with the official code appended when another unit holds it (``cam-giang-10903``)."""
    for slug in (wanted, f"{wanted}-{code}"):
        if slug not in taken:
            taken.add(slug)
            return slug
    raise ValidationError(
        _("Không đặt được mã đường dẫn cho đơn vị mã %(c)s: «%(s)s» đã có.") % {"c": code, "s": wanted}
    )


def _official_city(
    *, actor: Actor | None, province: official_list.Province, taken: set[str], note: str
) -> Unit:
    """The province-level unit of ``province``: found by its code, then its slug; created or brought up to
    date (kind, short name, code)."""
    kind = Unit.Kind.CITY if province.is_city else Unit.Kind.PROVINCE
    roots = Unit.objects.filter(parent__isnull=True)
    city = roots.filter(code=province.code).first() or roots.filter(slug=province.slug).first()
    if city is None:
        city = Unit.objects.create(
            kind=kind,
            name=province.name,
            slug=_free_slug(province.slug, province.code, taken),
            code=province.code,
        )
        audit.record_create(actor=actor, unit_id=city.pk, obj=city, note=note)
        return city
    before = audit.snapshot(city)
    city.kind, city.name, city.code = kind, province.name, province.code
    if audit.diff(before, audit.snapshot(city, before.keys())):
        city.save()
        audit.record_update(actor=actor, unit_id=city.pk, obj=city, before=before, note=note)
    return city


def _official_code(code: str) -> bool:
    return len(code) == 5 and code.isdigit()


@transaction.atomic
def load_official_units(
    *,
    actor: Actor | None,
    province: official_list.Province,
    source: str = official_list.SHIPPED_SOURCE,
    effective_date: dt.date | None = None,
) -> OfficialLoadResult:
    """Create or update a province (or city) and all its commune-level units from the official list.

    Units are matched by official code, then (those without one yet, such as units typed by hand) by kind
    and name; matched units keep their slug. A new unit's slug comes from its name, with the code appended
    when another unit holds it. Renames and code changes are kept in the unit's history (a rename event
    and the audit record's old and new values). Nothing is ever deleted. ``actor`` None is the command line.
    """
    from django.core.exceptions import PermissionDenied

    from friendlygov.org.access import is_system_admin

    if actor is not None and not is_system_admin(actor):
        raise PermissionDenied
    note = f"theo danh mục: {source}"  # the audit log is kept in Vietnamese
    taken = set(Unit.objects.values_list("slug", flat=True))
    city = _official_city(actor=actor, province=province, taken=taken, note=note)
    result = OfficialLoadResult(province.code, province.full_name, city)
    children = list(Unit.objects.filter(parent=city).order_by("-is_active", "pk"))
    by_code = {u.code: u for u in children if u.code}
    by_name: dict[tuple[str, str], Unit] = {}
    for unit in children:
        if not _official_code(unit.code):
            by_name.setdefault((unit.kind, normalize_vi(unit.name)), unit)
    used: set[int] = set()
    new_units: list[Unit] = []
    for official in province.units:
        match = by_code.get(official.code) or by_name.get((official.kind, normalize_vi(official.name)))
        if match is None or match.pk in used:
            slug = _free_slug(official_list.slug_of(official.name), official.code, taken)
            new_units.append(
                Unit(parent=city, kind=official.kind, name=official.name, slug=slug, code=official.code)
            )
            continue
        used.add(match.pk)
        if _update_official_unit(actor=actor, unit=match, official=official, note=note, source=source):
            result.updated += 1
        else:
            result.unchanged += 1
    created = Unit.objects.bulk_create(new_units)
    UnitEvent.objects.bulk_create(
        UnitEvent(
            unit=unit,
            kind=UnitEvent.Kind.CREATED,
            effective_date=effective_date or OFFICIAL_LIST_DATE,
            new_name=unit.name,
            decision=source,
        )
        for unit in created
    )
    for unit in created:
        audit.record_create(actor=actor, unit_id=unit.pk, obj=unit, note=note)
    result.created = len(created)
    return result


#: the day the shipped list takes effect (the July 2025 reorganisation)
OFFICIAL_LIST_DATE = dt.date(2025, 7, 1)


def _update_official_unit(
    *, actor: Actor | None, unit: Unit, official: official_list.OfficialUnit, note: str, source: str
) -> bool:
    """Bring one unit to the list's kind, name and code; True when something changed."""
    before = audit.snapshot(unit)
    old_name = unit.name
    unit.kind, unit.name, unit.code = official.kind, official.name, official.code
    if not audit.diff(before, audit.snapshot(unit, before.keys())):
        return False
    unit.save()
    if old_name != unit.name:
        UnitEvent.objects.create(
            unit=unit,
            kind=UnitEvent.Kind.RENAMED,
            effective_date=dt.date.today(),
            old_name=old_name,
            new_name=unit.name,
            decision=source,
        )
    audit.record_update(actor=actor, unit_id=unit.pk, obj=unit, before=before, note=note)
    return True
