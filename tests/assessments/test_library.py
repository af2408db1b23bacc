"""The criteria-set library: bundled templates, YAML and Excel import, the round trip, the editor, and
versions that never change once a cycle uses them."""

from __future__ import annotations

import copy
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import services
from friendlygov.assessments.criteria import parsed
from friendlygov.assessments.models import CriteriaSetVersion
from friendlygov.assessments.workbook import criteria_workbook, read_criteria_workbook
from friendlygov.rules.scoring import dump_criteria_set_yaml, list_bundled_criteria_sets, parse_criteria_set
from tests.assessments.conftest import TINY, YEAR
from tests.factories import World


def test_bundled_templates_load_with_their_labels(world: World) -> None:
    rows = [
        services.load_template(actor=world.reviewer, city=world.city, name=name)
        for name, _cs in list_bundled_criteria_sets()
    ]
    by_code = {row.code: row for row in rows}
    hp = by_code["HP-5049-TAM"]
    assert hp.status_label == "tạm thời"
    assert "5049" in hp.name and "Tạm thời" in hp.name
    assert "Hải Dương" in hp.source_label
    assert by_code["DN-54-2025"].status_label == "mẫu tham khảo"
    assert by_code["BG-CQTT"].origin == "template"
    assert all(row.data["format"] == "friendlygov.criteria/1" for row in rows)
    with pytest.raises(ValidationError, match="đã có bộ tiêu chí"):
        services.load_template(actor=world.reviewer, city=world.city, name="hai-phong-provisional")


def test_unknown_template_is_named(world: World) -> None:
    with pytest.raises(ValidationError, match="không-có"):
        services.load_template(actor=world.reviewer, city=world.city, name="không-có")


def test_import_yaml_and_invalid_yaml_saves_nothing(world: World) -> None:
    cs = parse_criteria_set(TINY)
    row = services.import_criteria_set(
        actor=world.reviewer, city=world.city, data=dump_criteria_set_yaml(cs).encode(), filename="bo.yaml"
    )
    assert (row.code, row.version, row.origin) == ("T-1", 1, "yaml")
    assert parsed(row) == cs
    broken = (
        dump_criteria_set_yaml(cs)
        .replace("input: points", "input: text", 1)
        .replace("version: 1", "version: 2")
    )
    with pytest.raises(ValidationError) as info:
        services.import_criteria_set(
            actor=world.reviewer, city=world.city, data=broken.encode(), filename="bo.yaml"
        )
    text = " ".join(info.value.messages)
    assert "1.1" in text
    assert CriteriaSetVersion.objects.count() == 1


@pytest.mark.parametrize("name", [name for name, _cs in list_bundled_criteria_sets()])
def test_excel_round_trip_of_every_template(world: World, name: str) -> None:
    original = dict(list_bundled_criteria_sets())[name]
    data = criteria_workbook(original)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Tiêu chí", "Mức và điều kiện", "Thông tin chung"]
    header = [c.value for c in workbook["Tiêu chí"][1]]
    assert header[:4] == ["Mã tiêu chí", "Mã tiêu chí cha", "Tên tiêu chí", "Điểm tối đa"]
    assert parse_criteria_set(read_criteria_workbook(data)) == original
    row = services.import_criteria_set(
        actor=world.reviewer, city=world.city, data=data, filename=f"{name}.xlsx"
    )
    assert row.origin == "excel" and parsed(row) == original


def test_excel_errors_name_sheet_row_and_column(world: World) -> None:
    data = criteria_workbook(parse_criteria_set(TINY))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Tiêu chí"]
    sheet["B3"] = "9"  # row 3 = 1.1: parent "9" does not exist
    sheet["D4"] = "nhiều"  # row 4 = 1.2: max points unreadable
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError) as info:
        services.import_criteria_set(
            actor=world.reviewer, city=world.city, data=buffer.getvalue(), filename="bo.xlsx"
        )
    text = " ".join(info.value.messages)
    assert "Trang «Tiêu chí», dòng 3" in text and "«9»" in text
    assert not CriteriaSetVersion.objects.exists()


def test_excel_validation_problem_names_the_code(world: World) -> None:
    data = criteria_workbook(parse_criteria_set(TINY))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook["Tiêu chí"]["D4"] = "nhiều"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError) as info:
        services.import_criteria_set(
            actor=world.reviewer, city=world.city, data=buffer.getvalue(), filename="bo.xlsx"
        )
    assert '"1.2"' in " ".join(info.value.messages)


def test_unused_set_is_edited_in_place(world: World, tiny_set: CriteriaSetVersion) -> None:
    data = copy.deepcopy(tiny_set.data)
    data["name"] = "Tên mới"
    saved = services.edit_criteria_set(
        actor=world.reviewer, criteria_set=tiny_set, data=data, expected_version=1
    )
    assert saved.pk == tiny_set.pk and saved.name == "Tên mới" and saved.row_version == 2
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.edit_criteria_set(actor=world.reviewer, criteria_set=tiny_set, data=data, expected_version=1)


def test_versions_are_immutable_once_a_cycle_uses_them(world: World, tiny_set: CriteriaSetVersion) -> None:
    before = copy.deepcopy(tiny_set.data)
    services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    tiny_set.refresh_from_db()
    assert tiny_set.is_locked
    data = copy.deepcopy(tiny_set.data)
    data["criteria"][0]["children"][0]["name"] = "Đổi tên"
    saved = services.edit_criteria_set(actor=world.reviewer, criteria_set=tiny_set, data=data)
    assert saved.pk != tiny_set.pk and saved.version == 2 and saved.based_on_id == tiny_set.pk
    assert not saved.is_locked and saved.origin == "editor"
    tiny_set.refresh_from_db()
    assert tiny_set.data == before
    assert parsed(saved).criterion("1.1").name == "Đổi tên"  # type: ignore[union-attr]


def test_edit_problems_are_reported_and_nothing_saved(world: World, tiny_set: CriteriaSetVersion) -> None:
    data = copy.deepcopy(tiny_set.data)
    data["scale"] = 30
    with pytest.raises(ValidationError) as info:
        services.edit_criteria_set(actor=world.reviewer, criteria_set=tiny_set, data=data)
    assert "scale" in " ".join(info.value.messages)
    tiny_set.refresh_from_db()
    assert tiny_set.data["scale"] == 20


def test_only_city_staff_manage_the_library(world: World) -> None:
    with pytest.raises(Http404):
        services.load_template(actor=world.coordinator, city=world.city, name="bac-giang")
    with pytest.raises(Http404):
        services.load_template(actor=world.outsider, city=world.city, name="bac-giang")
    row = services.load_template(actor=world.users["admin"], city=world.city, name="bac-giang")
    assert row.imported_by == world.users["admin"]
    with pytest.raises(ValidationError):
        services.load_template(actor=world.users["admin"], city=world.unit, name="bac-giang")


def test_city_reader_without_appraise_gets_403(world: World) -> None:
    from friendlygov.org.models import Role
    from tests.factories import make_user

    city_observer = make_user("city_observer", Role.OBSERVER, world.city)
    with pytest.raises(PermissionDenied):
        services.load_template(actor=city_observer, city=world.city, name="bac-giang")


def test_parsed_set_is_kept_on_the_row_until_its_data_is_replaced(tiny_set: CriteriaSetVersion) -> None:
    first = parsed(tiny_set)
    assert parsed(tiny_set) is first  # no second decoding for the same row object
    data = copy.deepcopy(tiny_set.data)
    data["criteria"][0]["children"][0]["name"] = "Tên mới"
    tiny_set.data = data  # what an edit or refresh_from_db does: a new data object
    assert parsed(tiny_set).criterion("1.1").name == "Tên mới"  # type: ignore[union-attr]
    tiny_set.refresh_from_db()
    assert parsed(tiny_set) == first
