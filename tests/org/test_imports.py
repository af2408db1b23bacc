from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from friendlygov.audit.models import AuditEvent
from friendlygov.org import services
from friendlygov.org.models import Body, Unit
from tests.factories import World


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_units_from_excel(world: World) -> None:
    data = xlsx(
        [
            ["Tên đơn vị", "Loại", "Mã đơn vị"],
            ["An Lão", "xã", "AL"],
            ["Hồng Bàng", "Phường", "HB"],
            ["Bạch Long Vĩ", "đặc khu", ""],
        ]
    )
    result = services.import_units(actor=world.users["admin"], city=world.city, data=data, filename="dv.xlsx")
    assert result.created == 3
    assert Unit.objects.get(slug="hong-bang").kind == Unit.Kind.WARD
    assert Unit.objects.get(slug="bach-long-vi").kind == Unit.Kind.SPECIAL_ZONE


def test_import_units_wrong_column_saves_nothing(world: World) -> None:
    data = "Tên đơn vị,Kiểu\nAn Lão,xã\n".encode()
    with pytest.raises(ValidationError) as error:
        services.import_units(actor=world.users["admin"], city=world.city, data=data, filename="dv.csv")
    text = " ".join(error.value.messages)
    assert "Dòng 1, cột 2" in text and "Kiểu" in text and "thiếu cột «Loại»" in text
    assert not Unit.objects.filter(name="An Lão").exists()


def test_import_units_bad_row_saves_nothing(world: World) -> None:
    data = "Tên đơn vị,Loại\nAn Lão,xã\nKiến Thụy,huyện\n".encode()
    with pytest.raises(ValidationError) as error:
        services.import_units(actor=world.users["admin"], city=world.city, data=data, filename="dv.csv")
    assert "Dòng 3, cột «Loại»: giá trị «huyện» không hợp lệ." in error.value.messages
    assert not Unit.objects.filter(name="An Lão").exists()


def test_import_broken_encoding(world: World) -> None:
    data = "Tên đơn vị,Loại\nAn Lão,xã\n".encode("utf-16")
    with pytest.raises(ValidationError) as error:
        services.import_units(actor=world.users["admin"], city=world.city, data=data, filename="dv.csv")
    assert "UTF-8" in error.value.messages[0]


def test_import_bodies_duplicate_code_names_row(world: World) -> None:
    data = (
        "Đơn vị,Tên cơ quan,Ký hiệu,Loại\nthanh-mien,Thôn Mới 1,TM1,thôn\nthanh-mien,Thôn Mới 2,TM1,thôn\n"
    ).encode()
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.import_bodies(actor=world.users["admin"], scope=world.city, data=data, filename="cq.csv")
    assert "Dòng 3, cột «Ký hiệu»: ký hiệu «TM1» trùng với dòng 2." in error.value.messages
    assert not Body.objects.filter(code="TM1").exists()
    assert AuditEvent.objects.count() == before


def test_import_bodies_for_own_unit_and_not_the_neighbour(world: World) -> None:
    admin = world.users["unit_admin"]
    ok = "Đơn vị,Tên cơ quan,Ký hiệu,Loại,Tên gọi khác\nthanh-mien,Hội Nông dân,HND,Tổ chức chính trị - xã hội,HND xã;Hội ND\n".encode()
    services.import_bodies(actor=admin, scope=world.unit, data=ok, filename="cq.csv")
    assert Body.objects.get(unit=world.unit, code="HND").aliases == ["HND xã", "Hội ND"]
    bad = "Đơn vị,Tên cơ quan,Ký hiệu,Loại\ngia-loc,Hội Nông dân,HND,thôn\n".encode()
    with pytest.raises(ValidationError) as error:
        services.import_bodies(actor=admin, scope=world.unit, data=bad, filename="cq.csv")
    assert "Dòng 2, cột «Đơn vị»" in error.value.messages[0]


def test_import_accounts_and_invite(world: World, mailoutbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    data = (
        "Tên đăng nhập,Họ và tên,Thư điện tử,Đơn vị,Vai trò,Cơ quan\n"
        "tm.kt2,Nguyễn Kinh Tế,kt2@example.vn,thanh-mien,Thành viên cơ quan, thôn,KT\n"
    ).encode()
    # the role label contains a comma: quote it as spreadsheets do
    data = data.replace(
        b"Th\xc3\xa0nh vi\xc3\xaan c\xc6\xa1 quan, th\xc3\xb4n", '"Thành viên cơ quan, thôn"'.encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_accounts(
            actor=world.users["unit_admin"], scope=world.unit, data=data, filename="tk.csv", invite=True
        )
    assert len(mailoutbox) == 1 and "dat-mat-khau" in mailoutbox[0].body


def test_match_body_ignores_diacritics_case_and_abbreviations(world: World) -> None:
    assert services.match_body(world.unit, "phong van hoa - xa hoi") == world.bodies["VHXH"]
    assert services.match_body(world.unit, "Phòng Văn hóa- Xã hội xã") == world.bodies["VHXH"]
    assert services.match_body(world.unit, "VH-XH") == world.bodies["VHXH"]
    assert services.match_body(world.unit, "Trung tâm Phục vụ HCC") == world.bodies["PVHCC"]
    assert services.match_body(world.unit, "Văn phòng HĐND- UBND") == world.bodies["VP"]
    assert services.match_body(world.unit, "Ban Xây dựng Đảng Đảng ủy xã") == world.bodies["BXDD"]
    assert services.match_body(world.unit, "Công an xã") is None


# ---------------------------------------------------------------- accounts: the unit by its name, template, result page

ACCOUNT_HEADER = "Tên đăng nhập,Họ và tên,Thư điện tử,Đơn vị,Vai trò,Cơ quan\n"


@pytest.mark.parametrize(
    "written", ["thanh-mien", "Thanh Miện", "Xã Thanh Miện", "xa thanh mien", "  THANH MIEN "]
)
def test_import_accounts_names_the_unit_by_name_or_slug(world: World, written: str) -> None:
    data = (ACCOUNT_HEADER + f"tm.kt3,Trần Kinh Tế,kt3@example.vn,{written},Theo dõi,\n").encode()
    result = services.import_accounts(
        actor=world.users["admin"], scope=world.city, data=data, filename="tk.csv"
    )
    assert result.created == 1
    assert [unit for _user, unit in result.accounts] == [world.unit]


def test_import_accounts_unknown_or_foreign_unit_names_the_row(world: World) -> None:
    data = (ACCOUNT_HEADER + "tm.kt3,Trần Kinh Tế,kt3@example.vn,Phường Thanh Miện,Theo dõi,\n").encode()
    with pytest.raises(ValidationError) as error:
        services.import_accounts(actor=world.users["admin"], scope=world.city, data=data, filename="tk.csv")
    assert error.value.messages == [
        "Dòng 2, cột «Đơn vị»: không có đơn vị «Phường Thanh Miện» trong phạm vi nhập."
    ]
    # the neighbour, named by name, is outside a commune's import
    data = (ACCOUNT_HEADER + "tm.kt3,Trần Kinh Tế,kt3@example.vn,Xã Gia Lộc,Theo dõi,\n").encode()
    with pytest.raises(ValidationError) as error:
        services.import_accounts(
            actor=world.users["unit_admin"], scope=world.unit, data=data, filename="tk.csv"
        )
    assert "Dòng 2, cột «Đơn vị»: không có đơn vị «Xã Gia Lộc»" in error.value.messages[0]


def test_import_accounts_ambiguous_unit_name_is_a_row_error(world: World) -> None:
    Unit.objects.create(kind=Unit.Kind.WARD, name="Thanh Miện", slug="phuong-thanh-mien", parent=world.city)
    data = (ACCOUNT_HEADER + "tm.kt3,Trần Kinh Tế,kt3@example.vn,Thanh Miện,Theo dõi,\n").encode()
    with pytest.raises(ValidationError) as error:
        services.import_accounts(actor=world.users["admin"], scope=world.city, data=data, filename="tk.csv")
    message = error.value.messages[0]
    assert message.startswith("Dòng 2, cột «Đơn vị»: «Thanh Miện» ứng với nhiều đơn vị")
    assert "Xã Thanh Miện (thanh-mien)" in message and "Phường Thanh Miện (phuong-thanh-mien)" in message
    # the full name settles it
    data = (ACCOUNT_HEADER + "tm.kt3,Trần Kinh Tế,kt3@example.vn,Phường Thanh Miện,Theo dõi,\n").encode()
    result = services.import_accounts(
        actor=world.users["admin"], scope=world.city, data=data, filename="tk.csv"
    )
    assert result.accounts[0][1].slug == "phuong-thanh-mien"


def test_import_bodies_names_the_unit_by_name(world: World) -> None:
    data = "Đơn vị,Tên cơ quan,Ký hiệu,Loại\nXã Thanh Miện,Hội Nông dân,HND,Tổ chức chính trị - xã hội\n".encode()
    services.import_bodies(actor=world.users["unit_admin"], scope=world.unit, data=data, filename="cq.csv")
    assert Body.objects.filter(unit=world.unit, code="HND").exists()
