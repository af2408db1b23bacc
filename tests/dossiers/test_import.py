"""Importing the procedure-handling system's export: row/column-precise errors, nothing half-saved, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from friendlygov.audit.models import AuditEvent
from friendlygov.dossiers import services
from friendlygov.dossiers.models import Channel, Dossier, DossierImport
from tests.dossiers.helpers import GOOD_ROWS, HEADER, csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db


def run(world: World, data: bytes, filename: str = "ho-so.csv", actor=None) -> services.ImportResult:  # type: ignore[no-untyped-def]
    return services.import_dossiers(
        actor=actor or world.coordinator, unit=world.unit, data=data, filename=filename
    )


def local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def test_import_parses_every_column(world: World) -> None:
    result = run(world, csv_bytes(GOOD_ROWS))
    assert (result.rows, result.created, result.updated, result.unchanged) == (5, 5, 0, 0)
    one, two, three, four, _five = (Dossier.objects.get(receipt_no=f"H26-000{i}") for i in range(1, 6))
    assert local(one.received) == dt.datetime(2026, 3, 2, 8, 15) and one.channel == Channel.ONLINE
    assert one.digitised and one.electronic_result
    assert two.appointment is None and two.deadline is None and local(two.finished) == dt.datetime(2026, 3, 2)
    assert three.waiting_days == Decimal("1.50") and three.supplement_requests == 1
    assert local(three.deadline) == dt.datetime(2026, 3, 13, 5, 0)  # appointment + 1.5 days
    assert local(four.appointment) == dt.datetime(
        2026, 3, 4, 23, 59, 59
    )  # a date alone: by the end of the day
    assert four.channel == Channel.POST and not four.electronic_result
    batch = DossierImport.objects.get()
    assert batch.created == 5 and AuditEvent.objects.filter(object_type="dossiers.dossierimport").exists()


def test_reimport_is_idempotent_and_updates(world: World) -> None:
    run(world, csv_bytes(GOOD_ROWS))
    again = run(world, csv_bytes(GOOD_ROWS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    changed = [row[:] for row in GOOD_ROWS]
    changed[4][4] = "20/03/2026 15:00"  # the pending dossier is now finished
    changed.append(
        [
            "H26-0006",
            "Đăng ký khai tử",
            "05/03/2026",
            "06/03/2026",
            "06/03/2026",
            "0",
            "0",
            "Trực tiếp",
            "Có",
            "Có",
        ]
    )
    third = run(world, csv_bytes(changed))
    assert (third.created, third.updated, third.unchanged) == (1, 1, 4)
    assert Dossier.objects.count() == 6
    assert local(Dossier.objects.get(receipt_no="H26-0005").finished) == dt.datetime(2026, 3, 20, 15, 0)


def test_errors_name_row_and_column_and_nothing_is_saved(world: World) -> None:
    rows = [row[:] for row in GOOD_ROWS]
    rows[1][2] = "32/13/2026"  # row 3: received
    rows[2][7] = "Zalo"  # row 4: channel
    rows[3][0] = "H26-0001"  # row 5: duplicate receipt number
    rows[4][5] = "-1"  # row 6: supplement requests
    rows[4][4] = "01/02/2026"  # row 6: finished before received
    with pytest.raises(ValidationError) as exc:
        run(world, csv_bytes(rows))
    messages = exc.value.messages
    assert "Dòng 3, cột «Ngày tiếp nhận»: «32/13/2026» không phải ngày hợp lệ." in messages
    assert any(m.startswith("Dòng 4, cột «Kênh nộp»: «Zalo» không hợp lệ") for m in messages)
    assert "Dòng 5, cột «Số hồ sơ»: số hồ sơ «H26-0001» trùng với dòng 2." in messages
    assert any(m.startswith("Dòng 6, cột «Số lần yêu cầu bổ sung»") for m in messages)
    assert "Dòng 6, cột «Ngày có kết quả»: ngày có kết quả trước ngày tiếp nhận." in messages
    assert not Dossier.objects.exists() and not DossierImport.objects.exists()


def test_one_bad_row_among_good_rows_saves_nothing_even_on_reimport(world: World) -> None:
    run(world, csv_bytes(GOOD_ROWS))
    rows = [row[:] for row in GOOD_ROWS]
    rows[0][1] = "Đã đổi tên thủ tục"
    rows.append(["H26-0099", "", "05/03/2026", "", "", "", "", "Trực tiếp", "", ""])
    with pytest.raises(ValidationError) as exc:
        run(world, csv_bytes(rows))
    assert exc.value.messages == ["Dòng 7, cột «Thủ tục»: không được để trống."]
    assert Dossier.objects.get(receipt_no="H26-0001").procedure == "Đăng ký khai sinh"
    assert Dossier.objects.count() == 5 and DossierImport.objects.count() == 1


def test_missing_and_unknown_columns(world: World) -> None:
    header = [h for h in HEADER if h != "Kênh nộp"] + ["Ghi chú"]
    with pytest.raises(ValidationError) as exc:
        run(world, csv_bytes([], header=header))
    assert "Dòng 1: thiếu cột «Kênh nộp»." in exc.value.messages
    assert any("«Ghi chú» không thuộc mẫu nhập" in m for m in exc.value.messages)


def test_xlsx_import(world: World) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Mã hồ sơ",
            "Tên thủ tục",
            "Ngày tiếp nhận",
            "Hẹn trả",
            "Ngày hoàn thành",
            "Hình thức nộp",
            "Đã số hóa",
        ]
    )
    sheet.append(
        [
            "X-1",
            "Đăng ký khai sinh",
            "02/03/2026 08:00",
            "03/03/2026 17:00",
            "03/03/2026 09:00",
            "Trực tuyến",
            "Có",
        ]
    )
    sheet.append(
        ["X-2", "Chứng thực", dt.datetime(2026, 3, 2), None, dt.datetime(2026, 3, 2), "Trực tiếp", "Không"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(world, buffer.getvalue(), filename="xuat.xlsx")
    assert result.created == 2
    assert Dossier.objects.get(receipt_no="X-2").appointment is None


def test_import_permissions(world: World) -> None:
    data = csv_bytes(GOOD_ROWS[:1])
    assert run(world, data, actor=world.member).created == 1  # PVHCC (a centre) keeps the dossiers
    for who in ("village", "observer", "leader", "reviewer"):
        with pytest.raises(PermissionDenied):
            run(world, data, actor=world.users[who])
    with pytest.raises(Http404):
        run(world, data, actor=world.outsider)
