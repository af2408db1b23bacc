"""Issue 19: units from the official list of commune-level units (1 July 2025), shipped with the package."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from friendlygov.audit.models import AuditEvent
from friendlygov.cli import main
from friendlygov.org import official_list, services
from friendlygov.org.models import Role, RoleGrant, Unit, UnitEvent
from tests.factories import World, make_user

# ---------------------------------------------------------------- the list itself (no database)


def test_the_shipped_list_is_read_from_the_package() -> None:
    text = official_list.shipped_text()
    assert text.startswith("#") and "1027/CTK-CSCL" in text.splitlines()[1]
    provinces = official_list.shipped()
    assert len(provinces) == 34
    units = [u for p in provinces.values() for u in p.units]
    assert len(units) == 3321
    kinds = [u.kind for u in units]
    assert (kinds.count("commune"), kinds.count("ward"), kinds.count("special_zone")) == (2621, 687, 13)


def test_the_package_data_takes_the_list_and_its_source() -> None:
    """An installed package (a wheel) carries the list: pyproject's package-data names it."""
    import glob
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    package = root / "friendlygov" / "org"
    taken = {name for pattern in patterns for name in glob.glob(pattern, root_dir=package, recursive=True)}
    assert {"data/vn-commune-units-2025.tsv", "data/SOURCE.md"} <= taken


def test_hai_phong_has_114_units_with_their_codes() -> None:
    hai_phong = official_list.shipped()["31"]
    assert (hai_phong.name, hai_phong.full_name, hai_phong.slug) == (
        "Hải Phòng",
        "Thành phố Hải Phòng",
        "hai-phong",
    )
    assert len(hai_phong.units) == 114
    assert (hai_phong.count("ward"), hai_phong.count("commune"), hai_phong.count("special_zone")) == (
        45,
        67,
        2,
    )
    assert official_list.OfficialUnit("11239", "commune", "Thanh Miện") in hai_phong.units
    assert official_list.shipped()["01"].slug == "ha-noi"
    # a province (not a city) is written without "Tỉnh" in the list
    assert official_list.shipped()["11"].full_name == "Tỉnh Điện Biên"


def test_slugs_drop_diacritics_and_punctuation() -> None:
    assert official_list.slug_of("Thanh Miện") == "thanh-mien"
    assert official_list.slug_of("Văn Miếu - Quốc Tử Giám") == "van-mieu-quoc-tu-giam"
    assert official_list.slug_of("Đồng Đăng") == "dong-dang"


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(official_list.OfficialListError) as caught:
        official_list.parse("province_code\tname\n31\tX\n")
    assert "thiếu cột province, code, kind" in caught.value.problems[0]


def test_bad_rows_are_named_by_line() -> None:
    text = "province_code\tprovince\tcode\tkind\tname\n31\tHP\t1123\tXã\tA\n31\tHP\t11240\tThị trấn\tB\n"
    with pytest.raises(official_list.OfficialListError) as caught:
        official_list.parse(text)
    assert caught.value.problems == [
        "Dòng 2, cột «code»: «1123» không phải mã 5 chữ số.",
        "Dòng 3, cột «kind»: «Thị trấn» không phải Xã, Phường hoặc Đặc khu.",
    ]


# ---------------------------------------------------------------- the load


def _load(code: str, actor: Any = None) -> services.OfficialLoadResult:
    return services.load_official_units(actor=actor, province=official_list.shipped()[code])


def test_loading_hai_phong_creates_the_city_and_its_114_units(db: Any) -> None:
    result = _load("31")
    assert result.as_json() == {
        "province_code": "31",
        "province": "Thành phố Hải Phòng",
        "city_slug": "hai-phong",
        "created": 114,
        "updated": 0,
        "unchanged": 0,
    }
    city = Unit.objects.get(slug="hai-phong")
    assert (city.kind, city.name, city.code, city.parent) == (Unit.Kind.CITY, "Hải Phòng", "31", None)
    units = Unit.objects.filter(parent=city)
    assert units.count() == 114
    assert [units.filter(kind=k).count() for k in ("ward", "commune", "special_zone")] == [45, 67, 2]
    thanh_mien = units.get(code="11239")
    assert (thanh_mien.slug, thanh_mien.name, thanh_mien.kind) == ("thanh-mien", "Thanh Miện", "commune")
    assert thanh_mien.events.get().kind == UnitEvent.Kind.CREATED
    assert AuditEvent.objects.filter(object_type="org.unit", action="create").count() == 115


def test_loading_twice_changes_nothing(db: Any) -> None:
    _load("31")
    before = AuditEvent.objects.count(), UnitEvent.objects.count()
    assert _load("31").as_json() == {
        "province_code": "31",
        "province": "Thành phố Hải Phòng",
        "city_slug": "hai-phong",
        "created": 0,
        "updated": 0,
        "unchanged": 114,
    }
    assert (AuditEvent.objects.count(), UnitEvent.objects.count()) == before
    assert Unit.objects.count() == 115


def test_ha_noi_loads_beside_hai_phong(db: Any) -> None:
    _load("31")
    result = _load("01")
    assert (result.created, result.city.slug, result.city.code) == (126, "ha-noi", "01")
    assert Unit.objects.filter(parent__slug="ha-noi").count() == 126
    assert Unit.objects.filter(parent__slug="hai-phong").count() == 114


def test_a_taken_slug_gets_the_code_appended(db: Any) -> None:
    elsewhere = Unit.objects.create(kind=Unit.Kind.CITY, name="Khác", slug="khac", code="99")
    Unit.objects.create(kind=Unit.Kind.COMMUNE, name="Thanh Miện", slug="thanh-mien", parent=elsewhere)
    _load("31")
    assert Unit.objects.get(parent__slug="hai-phong", code="11239").slug == "thanh-mien-11239"


def test_units_typed_by_hand_are_matched_by_name_and_get_their_code(world: World) -> None:
    """The tests' world (and an old demo) holds Thanh Miện and Gia Lộc without official codes."""
    world.unit.code = "TM"
    world.unit.save()
    result = _load("31", actor=world.users["admin"])
    assert (result.created, result.updated, result.unchanged) == (112, 2, 0)
    world.unit.refresh_from_db()
    assert (world.unit.slug, world.unit.code) == ("thanh-mien", "11239")
    world.city.refresh_from_db()
    assert world.city.code == "31"
    change = AuditEvent.objects.get(object_type="org.unit", object_id=str(world.unit.pk), action="update")
    assert change.changes == {"code": ["TM", "11239"]}
    assert "1027/CTK-CSCL" in change.note


def test_a_rename_is_kept_in_the_units_history(world: World, client_for: Any) -> None:
    world.unit.code = "11239"
    world.unit.name = "Thanh Miện cũ"
    world.unit.save()
    _load("31", actor=world.users["admin"])
    world.unit.refresh_from_db()
    assert world.unit.name == "Thanh Miện"
    event = world.unit.events.get(kind=UnitEvent.Kind.RENAMED)
    assert (event.old_name, event.new_name) == ("Thanh Miện cũ", "Thanh Miện")
    html = client_for(world.coordinator).get(reverse("org:unit_detail", args=["thanh-mien"])).content.decode()
    assert "11239" in html
    assert "«Thanh Miện cũ» → «Thanh Miện»" in html


def test_a_unit_not_in_the_list_is_never_deleted(world: World) -> None:
    kept = Unit.objects.create(
        kind=Unit.Kind.WARD, name="Không có trong danh mục", slug="khong-co", parent=world.city
    )
    _load("31", actor=world.users["admin"])
    assert Unit.objects.filter(pk=kept.pk, parent=world.city).exists()


def test_only_a_system_administrator_loads_the_list(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _load("31", actor=world.reviewer)
    assert not Unit.objects.filter(code="11239").exists()


# ---------------------------------------------------------------- the command line


def test_command_loads_and_answers_json(db: Any, capsys: Any) -> None:
    assert main(["units", "load", "--province", "31"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "province_code": "31",
        "province": "Thành phố Hải Phòng",
        "city_slug": "hai-phong",
        "created": 114,
        "updated": 0,
        "unchanged": 0,
    }
    assert all(isinstance(out[k], int) for k in ("created", "updated", "unchanged"))
    assert main(["units", "load", "--province", "31", "--format", "text"]) == 0
    assert "114 không đổi" in capsys.readouterr().out


def test_command_unknown_code_exits_2(db: Any, capsys: Any) -> None:
    assert main(["units", "load", "--province", "99"]) == 2
    assert "--province: không có tỉnh, thành phố mã «99»" in capsys.readouterr().err
    assert not Unit.objects.exists()


def test_command_file_without_columns_exits_2(db: Any, capsys: Any, tmp_path: Any) -> None:
    path = tmp_path / "units.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    assert main(["units", "load", "--province", "31", "--file", str(path)]) == 2
    assert "thiếu cột" in capsys.readouterr().err
    assert not Unit.objects.exists()


def test_command_reads_another_file(db: Any, capsys: Any, tmp_path: Any) -> None:
    path = tmp_path / "units.tsv"
    path.write_text(
        "province_code\tprovince\tcode\tkind\tname\n31\tThành phố Hải Phòng\t11239\tXã\tThanh Miện\n",
        encoding="utf-8",
    )
    assert main(["units", "load", "--province", "31", "--file", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 1


# ---------------------------------------------------------------- the system administrator's page, the API


def test_system_administrator_page_loads_a_province(world: World, client_for: Any) -> None:
    url = reverse("org:load_official_units")
    assert client_for(world.reviewer).get(url).status_code == 403
    client = client_for(world.users["admin"])
    assert "31 — Thành phố Hải Phòng (114)" in client.get(url).content.decode()
    response = client.post(url, {"province": "01"})
    assert response.status_code == 200
    assert "Đã nạp Thành phố Hà Nội: 126 đơn vị mới, 0 cập nhật, 0 không đổi." in response.content.decode()
    assert Unit.objects.filter(parent__slug="ha-noi").count() == 126


def test_api_lists_every_unit_with_its_code_and_parent(world: World, client: Any) -> None:
    _load("31", actor=world.users["admin"])
    token = services.create_api_token(actor=world.reviewer, name="tích hợp")
    rows = client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(rows) == 115  # the city and its 114 units, unpaginated
    thanh_mien = next(r for r in rows if r["slug"] == "thanh-mien")
    assert (thanh_mien["code"], thanh_mien["parent"]) == ("11239", "hai-phong")


def test_a_second_province_has_its_own_reviewer(world: World, client: Any, client_for: Any) -> None:
    _load("31", actor=world.users["admin"])
    ha_noi = _load("01", actor=world.users["admin"]).city
    reviewer = make_user("ha_noi_reviewer", Role.CITY_REVIEWER, ha_noi)
    token = services.create_api_token(actor=reviewer, name="Hà Nội")
    rows = client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(rows) == 127
    assert {r["parent"] for r in rows} == {None, "ha-noi"}
    assert client.get("/api/org/units/thanh-mien", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    page = client_for(reviewer)
    assert page.get(reverse("city_home", args=["ha-noi"])).status_code == 200
    assert page.get(reverse("city_home", args=["hai-phong"])).status_code == 404
    # and Hải Phòng's reviewer does not see Hà Nội
    assert RoleGrant.objects.filter(user=world.reviewer, unit=world.city).exists()
    assert client_for(world.reviewer).get(reverse("city_home", args=["ha-noi"])).status_code == 404


def test_a_second_city_has_its_own_criteria_library_and_report(world: World) -> None:
    """Item 4: nothing assumes Hải Phòng — Hà Nội, loaded from the list, keeps its own library and report."""
    from friendlygov.assessments import selectors as assessment_selectors
    from friendlygov.assessments import services as assessment_services

    _load("31", actor=world.users["admin"])
    ha_noi = _load("01", actor=world.users["admin"]).city
    reviewer = make_user("ha_noi_reviewer", Role.CITY_REVIEWER, ha_noi)
    assessment_services.load_template(actor=reviewer, city=ha_noi, name="hai-phong-provisional")
    assert assessment_selectors.city_library(ha_noi).count() == 1
    assert assessment_selectors.city_library(world.city).count() == 0
    rows = assessment_selectors.city_overview(ha_noi, 2026)
    assert len(rows) == 126 and {r.unit.parent_id for r in rows} == {ha_noi.pk}
    header, table = assessment_selectors.city_overview_table(rows)
    assert header[-1] == "Mã đơn vị" and {row[-1] for row in table} == {u.code for u in ha_noi.children.all()}


def test_a_fresh_install_leads_the_system_administrator_to_the_list(db: Any, client_for: Any) -> None:
    admin = make_user("root")
    admin.is_superuser = True
    admin.save()
    html = client_for(admin).get("/").content.decode()
    assert reverse("org:load_official_units") in html
