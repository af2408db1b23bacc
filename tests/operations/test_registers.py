"""The registers are described once (operations.registers) and their list, export and edit pages are the
generic ones: each export's header row is the register's columns, and those are the columns the exports
had before they were described (a change of an exported column is a change of a format offices read)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse

from friendlygov.operations.registers import REGISTERS, Register
from tests.factories import World
from tests.operations.conftest import read_xlsx

EXPECTED_HEADERS = {
    "activities": [
        "Ngày",
        "Hình thức",
        "Nội dung",
        "Địa điểm, kênh",
        "Cơ quan thực hiện",
        "Đối tượng",
        "Số lượt người",
        "Kinh phí (đồng)",
        "Nhiệm vụ kế hoạch",
        "Mã tiêu chí",
        "Số tệp minh chứng",
        "Mô tả",
    ],
    "households": ["Chủ hộ", "Thôn", "Gia đình văn hóa", "Năm", "Địa chỉ", "Ghi chú"],
    "budget": [
        "STT",
        "Nội dung chi",
        "Nhiệm vụ kế hoạch",
        "Hình thức tuyên truyền",
        "Nguồn kinh phí",
        "Dự toán đề nghị (đồng)",
        "Được phê duyệt (đồng)",
        "Quyết định giao dự toán",
        "Đã chi (đồng)",
        "Còn lại (đồng)",
        "Ghi chú",
    ],
    "spendings": [
        "Ngày chi",
        "Nội dung",
        "Số tiền (đồng)",
        "Số chứng từ",
        "Dòng dự toán",
        "Nguồn",
        "Hoạt động tuyên truyền",
    ],
    "rewards": [
        "Năm",
        "Đối tượng",
        "Tên cá nhân, tập thể",
        "Chức vụ, nơi công tác",
        "Cơ quan đề nghị",
        "Thành tích",
        "Hình thức đề nghị",
        "Trạng thái",
        "Quyết định",
        "Hình thức khen thưởng",
        "Số hoạt động",
        "Số nhiệm vụ",
        "Số minh chứng",
    ],
    "good_practices": ["Năm", "Tiêu đề", "Nội dung", "Cơ quan, thôn", "Đã công khai"],
    "shortfalls": ["Năm", "Đơn vị, cá nhân", "Lý do", "Ngày ghi nhận", "Trạng thái", "Kết quả khắc phục"],
    "reviews": ["Loại", "Tiêu đề", "Từ năm", "Đến năm", "Trạng thái", "Số mục đã viết", "Số mục"],
    "conferences": [
        "Ngày",
        "Giờ",
        "Tên hội nghị",
        "Địa điểm",
        "Chủ trì",
        "Thành phần",
        "Trạng thái",
        "Có biên bản",
    ],
    "signatures": [
        "Ngày trình",
        "Trích yếu",
        "Loại văn bản",
        "Cơ quan trình",
        "Người trình",
        "Trạng thái",
        "Ngày ký",
        "Lý do trả lại",
    ],
}

EXPORTED = [r for r in REGISTERS.values() if r.export is not None]


def test_the_registry_holds_each_register_under_its_key() -> None:
    assert all(key == register.key for key, register in REGISTERS.items())
    assert {r.key for r in EXPORTED} == set(EXPECTED_HEADERS)


@pytest.mark.parametrize("register", EXPORTED, ids=lambda r: r.key)
def test_export_header_row_is_the_registers_columns(
    register: Register[Any], world: World, client_for: Any
) -> None:
    assert register.export is not None
    header = register.export.header
    assert header == EXPECTED_HEADERS[register.key]
    response = client_for(world.users["observer"]).get(
        reverse(f"operations:{register.key}_export", args=[world.unit.slug]) + "?nam=2026"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_xlsx(response.content)
    numbered = [] if header[0] == "STT" else ["STT"]
    assert rows[2] == [*numbered, *header]


@pytest.mark.parametrize("register", list(REGISTERS.values()), ids=lambda r: r.key)
def test_list_and_edit_urls_point_at_the_generic_pages_bound_to_the_register(
    register: Register[Any], world: World
) -> None:
    if register.listing is not None:
        match = resolve(reverse(f"operations:{register.key}", args=[world.unit.slug]))
        assert match.func.__name__ == register.key
    if register.export is not None:
        match = resolve(reverse(f"operations:{register.key}_export", args=[world.unit.slug]))
        assert match.func.__name__ == f"{register.key}_export"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("activity_create", "activities"),
        ("review_item_create", "villages"),
        ("budget_line_create", "budget"),
        ("spending_create", "spendings"),
        ("nomination_create", "rewards"),
        ("good_practice_create", "good_practices"),
        ("shortfall_create", "shortfalls"),
        ("conference_create", "conferences"),
        ("signature_create", "signatures"),
    ],
)
def test_edit_pages_are_the_generic_one(name: str, key: str, world: World) -> None:
    assert REGISTERS[key].editor is not None
    assert resolve(reverse(f"operations:{name}", args=[world.unit.slug])).func.__name__ == f"{key}_edit"


def test_an_outsider_gets_404_on_every_generic_page(world: World, client_for: Any) -> None:
    client = client_for(world.outsider)
    for register in REGISTERS.values():
        names = [register.key] if register.listing else []
        names += [f"{register.key}_export"] if register.export else []
        for name in names:
            assert client.get(reverse(f"operations:{name}", args=[world.unit.slug])).status_code == 404, name
