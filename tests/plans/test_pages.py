"""The pages: plan form, paste → preview → confirm, doing the work, lists, export, obstacles, home panel."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.plans.models import Obstacle, Occurrence, Plan, Task
from tests.factories import World
from tests.plans.conftest import SEED_APPENDIX, occ, pdf_upload

BASE = "/don-vi/thanh-mien/ke-hoach/"


def test_home_shows_the_first_step(world: World, client_for: Any) -> None:
    body = client_for(world.coordinator).get("/don-vi/thanh-mien/").content.decode()
    assert "Việc đầu tiên: nhập kế hoạch" in body and f"{BASE}moi/" in body
    body = client_for(world.member).get(BASE).content.decode()
    assert "Đơn vị chưa có kế hoạch nào" in body and f"{BASE}moi/" not in body


def test_create_plan_by_form(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    response = client.post(
        f"{BASE}moi/",
        {
            "title": "Triển khai mô hình “Chính quyền thân thiện”",
            "number": "52/KH-UBND",
            "issued_on": "15/04/2026",
            "start_year": 2026,
            "end_year": 2030,
            "open_ended": "on",
            "bases": "Kế hoạch số 119/KH-UBND ngày 09/4/2026",
            "targets_text": "2026: 3\n2027-2029: 3 — phấn đấu nâng mức\n2030: 4",
            "budget_sources": "Ngân sách nhà nước\nNguồn hợp pháp khác",
            "duties_text": "2. Phòng Văn hóa - Xã hội\n- Hướng dẫn, kiểm tra\n7. Đề nghị Ban Xây dựng Đảng\n- Phối hợp",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{plan.pk}/nhap-phu-luc/"
    assert plan.issued_on == dt.date(2026, 4, 15) and plan.open_ended
    assert [(t.year, t.level_code) for t in plan.targets.all()] == [
        (2026, "3"),
        (2027, "3"),
        (2028, "3"),
        (2029, "3"),
        (2030, "4"),
    ]
    assert [d.body.code if d.body else None for d in plan.duties.all()] == ["VHXH", "BXDD"]
    page = client.get(f"{BASE}{plan.pk}/").content.decode()
    assert "Mức độ" in page and "phấn đấu nâng mức" in page


def test_plan_form_errors_name_the_line(world: World, client_for: Any) -> None:
    response = client_for(world.coordinator).post(
        f"{BASE}moi/",
        {"title": "KH", "start_year": 2026, "end_year": 2024, "targets_text": "2026: 3\nnăm sau mức 4"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.exists()
    assert "Mục tiêu, dòng 2: «năm sau mức 4» không đúng mẫu" in body


def test_paste_preview_confirm(world: World, plan: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    preview = client.post(
        f"{url}xem-truoc/", {"action": "preview", "text": SEED_APPENDIX, "version": plan.version}
    )
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Xem trước: 10 nhiệm vụ" in body and "13/02/2026" in body and "11/11/2026" in body
    assert 'class="unmatched"' in body and "Các phòng, ban, đơn vị liên quan" in body
    assert "Trước ngày 15/02 hằng năm" in body and "Thường xuyên (kiểm tra hằng quý)" in body
    assert not Task.objects.exists()  # nothing saved before confirmation
    confirm = client.post(
        f"{url}xac-nhan/", {"action": "confirm", "text": SEED_APPENDIX, "version": plan.version}
    )
    assert confirm.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 10
    page = client.get(f"{BASE}{plan.pk}/?nam=2026").content.decode()
    assert page.count('data-task-number="') == 10
    assert "13/02/2026" in page and "11/11/2026" in page


def test_upload_xlsx_and_docx(world: World, plan: Plan, client_for: Any) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in SEED_APPENDIX.splitlines():
        sheet.append(line.split("\t"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    response = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "upload": SimpleUploadedFile("phu-luc.xlsx", buffer.getvalue()), "version": 1},
    )
    assert "Xem trước: 10 nhiệm vụ" in response.content.decode()

    import docx

    document = docx.Document()
    rows = [line.split("\t") for line in SEED_APPENDIX.splitlines() if line.strip()]
    table = document.add_table(rows=0, cols=5)
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row[:5]):
            cells[i].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    response = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "upload": SimpleUploadedFile("phu-luc.docx", buffer.getvalue()), "version": 1},
    )
    assert "Xem trước: 10 nhiệm vụ" in response.content.decode()
    response = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "upload": SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.4"), "version": 1},
    )
    assert "chỉ nhận .tsv, .txt, .xlsx, .csv hoặc .docx" in response.content.decode()
    response = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "upload": SimpleUploadedFile("phu-luc.tsv", b"STT\t\xff\xfe"), "version": 1},
    )
    assert "không phải văn bản UTF-8" in response.content.decode()


def test_paste_bad_input_messages(world: World, plan: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    assert (
        "Chưa có nội dung phụ lục"
        in client.post(f"{url}xem-truoc/", {"action": "preview", "text": ""}).content.decode()
    )
    body = client.post(f"{url}xem-truoc/", {"action": "preview", "text": "không phải bảng"}).content.decode()
    assert "Không tìm thấy nhiệm vụ nào" in body and "Xác nhận" not in body
    duplicate = (
        "STT\tA\tB\tC\tD\n1\tViệc A\tHằng năm\tPhòng Kinh tế\t\n1\tViệc B\tHằng năm\tPhòng Kinh tế\t\n"
    )
    body = client.post(f"{url}xem-truoc/", {"action": "preview", "text": duplicate}).content.decode()
    assert "Số thứ tự «1» bị trùng" in body and 'value="confirm"' not in body
    body = client.post(
        f"{url}xac-nhan/", {"action": "confirm", "text": duplicate, "version": plan.version}
    ).content.decode()
    assert "bị trùng" in body and not Task.objects.exists()


def test_member_marks_done_with_pdf_and_progress_shows(world: World, imported: Plan, client_for: Any) -> None:
    item = occ(imported, "9", "2026")
    client = client_for(world.member)
    url = f"{BASE}viec/{item.pk}/"
    page = client.get(url).content.decode()
    assert "Cập nhật kết quả" in page and "Hủy (không tính)" not in page
    response = client.post(
        f"{url}cap-nhat/",
        {
            "action": "update",
            "version": 1,
            "status": "done",
            "note": "Đã niêm yết đủ thủ tục",
            "file": pdf_upload("ket-qua.pdf"),
            "effective_date": "20/12/2026",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.evidence_links.count() == 1
    page = client.get(url).content.decode()
    assert "ket-qua.pdf" in page and "20/12/2026" in page and "Hoàn thành" in page
    plan_page = client.get(f"{BASE}{imported.pk}/?nam=2026").content.decode()
    assert 'value="100"' in plan_page  # task 9's progress bar


def test_update_errors_on_the_page(world: World, imported: Plan, client_for: Any) -> None:
    item = occ(imported, "9", "2026")
    client = client_for(world.member)
    url = f"{BASE}viec/{item.pk}/"
    body = client.post(
        f"{url}cap-nhat/", {"action": "update", "version": 1, "status": "in_progress", "percent": 100}
    ).content.decode()
    assert "tiến độ từ 1% đến 99%" in body
    body = client.post(
        f"{url}cap-nhat/", {"action": "update", "version": 1, "status": "done", "file": pdf_upload()}
    ).content.decode()
    assert "Hãy ghi ngày hiệu lực của minh chứng" in body
    client.post(f"{url}cap-nhat/", {"action": "update", "version": 1, "status": "done"})
    body = client.post(
        f"{url}cap-nhat/", {"action": "update", "version": 1, "status": "in_progress"}
    ).content.decode()
    assert "đã được người khác cập nhật" in body


def test_coordinator_returns_from_the_page(world: World, imported: Plan, client_for: Any) -> None:
    item = occ(imported, "9", "2026")
    client_for(world.member).post(
        f"{BASE}viec/{item.pk}/cap-nhat/", {"action": "update", "version": 1, "status": "done"}
    )
    client = client_for(world.coordinator)
    response = client.post(
        f"{BASE}viec/{item.pk}/tra-lai/", {"action": "return", "version": 2, "reason": "Thiếu biên bản"}
    )
    assert response.status_code == 302
    body = client_for(world.member).get(f"{BASE}viec/{item.pk}/").content.decode()
    assert "Đầu mối trả lại để bổ sung" in body and "Thiếu biên bản" in body


def test_contribution_from_the_page(world: World, imported: Plan, client_for: Any) -> None:
    item = occ(imported, "10", "2027")
    client = client_for(world.users["party"])
    page = client.get(f"{BASE}viec/{item.pk}/").content.decode()
    assert "Ghi nội dung phối hợp" in page and "Cập nhật kết quả" not in page
    response = client.post(
        f"{BASE}viec/{item.pk}/phoi-hop/",
        {"action": "contribute", "body": world.bodies["BXDD"].pk, "note": "Đã dự họp"},
    )
    assert response.status_code == 302 and item.contributions.count() == 1


def test_search_without_diacritics_and_filters(world: World, imported: Plan, client_for: Any) -> None:
    client = client_for(world.users["observer"])
    page = client.get(f"{BASE}{imported.pk}/?nam=2026&q=cai cach thu tuc").content.decode()
    assert page.count('data-task-number="') == 1 and 'data-task-number="9"' in page
    page = client.get(f"{BASE}{imported.pk}/?nam=2026&co_quan={world.bodies['PVHCC'].pk}").content.decode()
    assert 'data-task-number="9"' in page and 'data-task-number="3"' not in page
    page = client.get(f"{BASE}{imported.pk}/?loc=can-xem").content.decode()
    assert 'data-task-number="4"' in page  # its lead body is not one of the unit's bodies


def test_export_task_list(world: World, imported: Plan, client_for: Any) -> None:
    response = client_for(world.leader).get(f"{BASE}{imported.pk}/nhiem-vu.xlsx?nam=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = values[2]
    assert header[0] == "STT" and "Hạn năm 2026" in header
    # one row per deadline; a task's own cells (STT first) are merged down over its deadlines
    assert len([v for v in values[3:] if v[0] is not None]) == 10 and len(values) > 3 + 10


@time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC))
def test_due_list_my_work_calendar_timeline(world: World, imported: Plan, client_for: Any) -> None:
    client = client_for(world.member)
    body = client.get(f"{BASE}den-han/").content.decode()
    assert "Trễ hạn (5)" in body and "Đến hạn trong 30 ngày (7)" in body and "Quá hạn" in body
    body = client.get(f"{BASE}den-han/?loc=tre-han&q=tu danh gia").content.decode()
    assert "Trễ hạn (1)" in body and "Đến hạn trong 30 ngày" not in body
    body = client.get(f"{BASE}viec-cua-toi/").content.decode()
    assert "Trung tâm Phục vụ hành chính công" in body and "Chủ trì — chưa hoàn thành (5)" in body
    body = client.get(f"{BASE}{imported.pk}/lich/?nam=2026").content.decode()
    assert "Tháng 2/2026" in body and "13/02/2026" in body
    body = client.get(f"{BASE}{imported.pk}/lo-trinh/").content.decode()
    assert "Lộ trình 2026–2030 và những năm tiếp theo" in body and "Mức 4" in body
    home = client.get("/don-vi/thanh-mien/").content.decode()
    assert "5 việc trễ hạn" in home and "7 hạn trong 30 ngày tới" in home


def test_edit_task_page(world: World, imported: Plan, client_for: Any) -> None:
    task = Task.objects.get(plan=imported, number="8")
    client = client_for(world.coordinator)
    response = client.post(
        f"{BASE}nhiem-vu/{task.pk}/sua/",
        {
            "version": task.version,
            "number": "8",
            "text": task.text,
            "time_phrase": "Trước ngày 30 tháng 9 hằng năm",
            "lead_body": world.bodies["KT"].pk,
            "weight": "2",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Occurrence.objects.get(task=task, period="2026").due == dt.date(2026, 9, 29)
    response = client.post(
        f"{BASE}nhiem-vu/{task.pk}/sua/",
        {
            "version": 1,
            "number": "8",
            "text": "x",
            "time_phrase": "Hằng năm",
            "weight": "1",
            "is_active": "on",
        },
    )
    assert "đã được người khác cập nhật" in response.content.decode()


def test_revise_from_the_page(world: World, imported: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    form = client.get(f"{BASE}{imported.pk}/sua-doi/").content.decode()
    assert "2027: 3 — phấn đấu nâng mức" in form
    response = client.post(
        f"{BASE}{imported.pk}/sua-doi/",
        {
            "version": imported.version,
            "title": imported.title,
            "start_year": 2026,
            "end_year": 2030,
            "open_ended": "on",
            "targets_text": "2026: 3\n2027-2029: 3\n2030: 4",
            "revision_note": "Điều chỉnh mục tiêu",
        },
    )
    new = Plan.objects.get(is_current=True)
    assert response["Location"] == f"{BASE}{new.pk}/"
    old_page = client.get(f"{BASE}{imported.pk}/").content.decode()
    assert "Đây là bản cũ" in old_page and f"{BASE}{new.pk}/" in old_page


def test_obstacles_pages(world: World, imported: Plan, client_for: Any) -> None:
    url = f"{BASE}vuong-mac/"
    member = client_for(world.member)
    assert (
        member.post(
            f"{url}bao-cao/", {"action": "report", "body": world.bodies["PVHCC"].pk, "text": "Thiếu kinh phí"}
        ).status_code
        == 302
    )
    body = member.post(
        f"{url}bao-cao/", {"action": "report", "body": world.bodies["PVHCC"].pk, "text": ""}
    ).content.decode()
    assert "Trường này là bắt buộc" in body or "bắt buộc" in body
    obstacle = Obstacle.objects.get()
    coordinator = client_for(world.coordinator)
    assert "Tổng hợp, trình lãnh đạo" in coordinator.get(url).content.decode()
    response = coordinator.post(
        f"{url}tong-hop/",
        {"action": "forward", "obstacles": [obstacle.pk], "note": "Đề nghị cân đối kinh phí"},
    )
    assert response.status_code == 302
    leader = client_for(world.leader)
    detail = f"{BASE}vuong-mac/{obstacle.pk}/"
    assert "Ý kiến trả lời, chỉ đạo" in leader.get(detail).content.decode()
    obstacle.refresh_from_db()
    assert (
        leader.post(
            f"{detail}tra-loi/", {"action": "answer", "answer": "Đồng ý", "version": obstacle.version}
        ).status_code
        == 302
    )
    assert Obstacle.objects.get().status == "answered"
    assert "Thiếu kinh phí" in leader.get(f"{url}?q=THIEU kinh phi").content.decode()
    assert "Thiếu kinh phí" not in leader.get(f"{url}?q=bang tin").content.decode()


def test_preview_maps_unrecognised_names_and_remembers_them(
    world: World, plan: Plan, client_for: Any
) -> None:
    from tests.plans.test_services import NAMES_APPENDIX

    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    preview = client.post(
        f"{url}xem-truoc/", {"action": "preview", "text": NAMES_APPENDIX, "version": plan.version}
    )
    body = preview.content.decode()
    assert 'id="body-names"' in body
    assert body.count('name="body_for_') == 3  # each unrecognised name once
    assert 'value="Bộ phận Một cửa"' in body and f'<option value="{world.bodies["PVHCC"].pk}">' in body
    assert f'<option value="{world.other_bodies["PVHCC"].pk}">' not in body.split('id="body-names"')[1]
    names = {
        "body_name_count": 3,
        "body_name_0": "Bộ phận Một cửa",
        "body_name_1": "Hội Cựu chiến binh xã",
        "body_name_2": "Các ngành liên quan",
    }
    # a body of another unit is not a choice
    refused = client.post(
        f"{url}xac-nhan/",
        {
            "action": "confirm",
            "text": NAMES_APPENDIX,
            "version": plan.version,
            **names,
            "body_for_0": world.other_bodies["PVHCC"].pk,
        },
    )
    assert refused.status_code == 200 and not Task.objects.exists()
    confirm = client.post(
        f"{url}xac-nhan/",
        {
            "action": "confirm",
            "text": NAMES_APPENDIX,
            "version": plan.version,
            **names,
            "body_for_0": world.bodies["PVHCC"].pk,
            "body_for_1": "",
            "body_for_2": "",
        },
        follow=True,
    )
    assert "Đã ghi nhớ 1 tên gọi khác của cơ quan" in confirm.content.decode()
    assert Task.objects.get(plan=plan, number="1").lead_body == world.bodies["PVHCC"]
    # the alias is shown where the bodies are managed, and can be removed there
    admin = client_for(world.users["unit_admin"])
    org_page = admin.get("/don-vi/thanh-mien/to-chuc/").content.decode()
    assert "Bộ phận Một cửa" in org_page
    remove_url = f"/don-vi/thanh-mien/to-chuc/co-quan/{world.bodies['PVHCC'].pk}/bo-ten-goi/"
    assert remove_url in org_page
    assert client_for(world.outsider).post(remove_url, {"alias": "Bộ phận Một cửa"}).status_code == 404
    assert client_for(world.member).post(remove_url, {"alias": "Bộ phận Một cửa"}).status_code == 403
    assert (
        client_for(world.users["unit_admin"]).post(remove_url, {"alias": "Bộ phận Một cửa"}).status_code
        == 302
    )
    world.bodies["PVHCC"].refresh_from_db()
    assert "Bộ phận Một cửa" not in world.bodies["PVHCC"].aliases


def test_appendix_import_page_outsider_404(world: World, plan: Plan, client_for: Any) -> None:
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    assert client_for(world.outsider).get(url).status_code == 404
    from tests.plans.test_services import NAMES_APPENDIX

    response = client_for(world.outsider).post(
        f"{url}xac-nhan/",
        {
            "action": "confirm",
            "text": NAMES_APPENDIX,
            "version": plan.version,
            "body_name_count": 1,
            "body_name_0": "Bộ phận Một cửa",
            "body_for_0": world.bodies["PVHCC"].pk,
        },
    )
    assert response.status_code == 404 and not Task.objects.exists()


def test_an_appendix_with_missing_columns_is_refused_in_the_preview(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    body = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "text": "STT\tNhiệm vụ cụ thể\tCơ quan chủ trì\n1\tTuyên truyền\tPhòng A\n"},
    ).content.decode()
    assert "thiếu cột «Thời gian thực hiện»" in body and "Xác nhận" not in body
    workbook = openpyxl.Workbook()
    workbook.active.append(["STT", "Nhiệm vụ cụ thể"])
    workbook.active.append([1, "Tuyên truyền"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    body = client.post(
        f"{url}xem-truoc/",
        {"action": "preview", "upload": SimpleUploadedFile("phu-luc.xlsx", buffer.getvalue()), "version": 1},
    ).content.decode()
    assert "thiếu cột «Cơ quan chủ trì»" in body and "Xác nhận" not in body
