"""The pages: each step of the cycle through forms, the lock, exports, the library and the city views."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.assessments import selectors, services, sources
from friendlygov.assessments.models import (
    AppraisalItem,
    CityFigure,
    ConsolidatedScore,
    CriteriaSetVersion,
    Cycle,
    JointProposal,
    Registration,
    ScoreEntry,
    ScoreEvidence,
)
from friendlygov.assessments.workbook import criteria_workbook
from friendlygov.audit.models import AuditEvent
from friendlygov.kit.fields import VnDateInput, VnNumberInput
from friendlygov.rules.scoring import parse_criteria_set
from tests.assessments.conftest import TINY, YEAR, figures, fresh, pdf, score_everything
from tests.factories import World

BASE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"


def crit_url(code: str) -> str:
    return f"{BASE}tieu-chi/{code}/"


def test_unit_page_lists_cycles_and_the_empty_state(
    world: World, client_for: Any, tiny_set: CriteriaSetVersion
) -> None:
    page = client_for(world.coordinator).get("/don-vi/thanh-mien/danh-gia/")
    assert page.status_code == 200 and "chưa mở kỳ đánh giá" in page.content.decode()
    services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    page = client_for(world.coordinator).get("/don-vi/thanh-mien/danh-gia/")
    assert f"Năm {YEAR}" in page.content.decode()


def test_registration_prefilled_from_the_plan_then_decided(
    world: World, client_for: Any, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "plan_target_level", lambda *, unit, year: "3")
    client = client_for(world.leader)
    page = client.get(BASE)
    form = page.context["reg_form"]
    assert form.initial["target_level"] == "3"
    response = client.post(BASE + "dang-ky/", {"target_level": "3", "note": "Theo kế hoạch"})
    assert response.status_code == 302
    registration = Registration.objects.get(cycle=cycle)
    assert registration.target_level == "3"
    client = client_for(world.reviewer)
    response = client.post(
        BASE + "dang-ky/xem-xet/", {"decision": "changes", "reason": "", "expected_version": "1"}
    )
    assert response.status_code == 200 and "Ghi rõ nội dung" in response.content.decode()
    response = client.post(
        BASE + "dang-ky/xem-xet/", {"decision": "accept", "reason": "", "expected_version": "1"}
    )
    assert response.status_code == 302 and fresh(cycle).status == Cycle.Status.SELF_SCORING


def test_assignment_page(world: World, client_for: Any, cycle: Cycle) -> None:
    client = client_for(world.coordinator)
    assert client.get(f"{BASE}phan-cong/").status_code == 200
    body = world.bodies["PVHCC"]
    response = client.post(
        f"{BASE}phan-cong/", {"body-1": str(body.pk), "body-2.1": str(world.bodies["TN"].pk)}
    )
    assert response.status_code == 302
    assert dict(cycle.assignments.values_list("criterion_code", "body__code")) == {"1": "PVHCC", "2.1": "TN"}
    assert client_for(world.member).get(f"{BASE}phan-cong/").status_code == 403


def test_score_evidence_proposal_settlement_by_forms(world: World, client_for: Any, scoring: Cycle) -> None:
    client = client_for(world.member)
    page = client.get(crit_url("1.1"))
    assert 'id="score-form"' in page.content.decode()
    response = client.post(crit_url("1.1") + "cham/", {"score-value": "3,5", "score-explanation": ""})
    assert response.status_code == 302
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "3,5"
    response = client.post(crit_url("1.1") + "cham/", {"score-value": "9", "score-expected_version": "1"})
    assert response.status_code == 200 and "Đọc là 9 — tối đa là" in response.content.decode()
    response = client.post(
        crit_url("1.1") + "minh-chung/",
        {
            "evidence-file": pdf("bao-cao.pdf"),
            "evidence-effective_date": f"{YEAR}-05-02",
            "evidence-title": "Báo cáo",
        },
    )
    assert response.status_code == 302
    link = ScoreEvidence.objects.get(entry__criterion_code="1.1")
    assert link.evidence is not None and link.evidence.original_name == "bao-cao.pdf"
    # ratio by two counts, checklist by ticks
    client.post(crit_url("1.2") + "cham/", {"score-value": "có", "score-explanation": "Đã niêm yết"})
    village = client_for(world.users["village"])
    village.post(crit_url("2.1") + "cham/", {"score-ticked": ["0", "2"]})
    entry = ScoreEntry.objects.get(cycle=scoring, criterion_code="2.1")
    assert (entry.value, entry.ticked) == ("2", [0, 2])
    # the member's page for a criterion of another body has no score form
    assert 'id="score-form"' not in client_for(world.member).get(crit_url("2.1")).content.decode()
    front = client_for(world.users["front"])
    assert (
        front.post(
            crit_url("1.1") + "de-xuat/",
            {"propose-value": "3", "propose-reason": "Thiếu một báo cáo"},
        ).status_code
        == 302
    )
    assert JointProposal.objects.get().value == "3"
    coord = client_for(world.coordinator)
    response = coord.post(
        crit_url("1.1") + "thong-nhat/", {"settle-value": "3", "settle-reason": "Theo MTTQ"}
    )
    assert response.status_code == 302 and ConsolidatedScore.objects.get().value == "3"
    page = coord.get(crit_url("1.1")).content.decode()
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam xã" in page and "Lịch sử thay đổi" in page and "3,5" in page


def test_submission_page_and_the_lock(world: World, client_for: Any, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    client = client_for(world.leader)
    page = client.get(f"{BASE}nop/").content.decode()
    assert "đã chấm nhưng không có minh chứng" in page and "chưa có ai chấm" in page
    response = client.post(f"{BASE}nop/", {"expected_version": str(scoring.version)})
    assert response.status_code == 200 and fresh(scoring).status == Cycle.Status.SELF_SCORING
    response = client.post(f"{BASE}nop/", {"acknowledge": "on", "expected_version": str(scoring.version)})
    assert response.status_code == 302 and fresh(scoring).status == Cycle.Status.SUBMITTED
    member = client_for(world.member)
    page = member.get(crit_url("1.1")).content.decode()
    assert 'id="score-form"' not in page and 'id="evidence-form"' not in page and "đã khóa" in page
    response = member.post(crit_url("1.1") + "cham/", {"score-value": "1"})
    assert response.status_code == 200 and "bị khóa" in response.content.decode()
    response = member.post(crit_url("1.1") + "minh-chung/", {"evidence-note": "Thêm"})
    assert "bị khóa" in response.content.decode()
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "4"
    client = client_for(world.leader)
    assert client.get(f"{BASE}nop/").status_code == 200  # shows the page; submitting again is refused
    assert "bị khóa" in client.post(f"{BASE}nop/", {"acknowledge": "on"}).content.decode()


def test_appraisal_return_finish_and_recognition_pages(world: World, client_for: Any, scoring: Cycle) -> None:
    figures(world)
    services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring))
    client = client_for(world.reviewer)
    response = client.post(
        crit_url("1.1") + "tham-dinh/",
        {
            "appraise-decision": "adjust",
            "appraise-value": "3",
            "appraise-reason": "Thiếu số liệu",
        },
    )
    assert response.status_code == 302
    assert AppraisalItem.objects.get().value == "3"
    response = client.post(
        crit_url("1.2") + "tham-dinh/", {"appraise-decision": "accept", "appraise-reason": ""}
    )
    assert response.status_code == 302
    assert client.post(BASE + "ket-thuc-tham-dinh/", {}).status_code == 302
    cycle = fresh(scoring)
    assert cycle.status == Cycle.Status.APPRAISED and cycle.final_result["total"] == 17.93
    response = client.post(
        f"{BASE}cong-nhan/",
        {
            "decision_number": "12/QĐ-UBND",
            "decision_date": f"{YEAR}-12-29",
            "signer": "Chủ tịch",
            "level_code": "2",
            "file": pdf("qd.pdf"),
        },
    )
    assert response.status_code == 302 and fresh(scoring).status == Cycle.Status.RECOGNISED
    download = client_for(world.leader).get(f"{BASE}cong-nhan/tep/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    page = client_for(world.leader).get(BASE).content.decode()
    assert "12/QĐ-UBND" in page and "Mức độ 2" in page


def test_return_by_page(world: World, client_for: Any, scoring: Cycle) -> None:
    services.submit_cycle(actor=world.leader, cycle=scoring, acknowledge_issues=True)
    client = client_for(world.reviewer)
    response = client.post(
        BASE + "tra-lai/",
        {
            "requests": "Bổ sung minh chứng",
            "expected_version": str(fresh(scoring).version),
        },
    )
    assert response.status_code == 302 and fresh(scoring).status == Cycle.Status.RETURNED
    page = client_for(world.leader).get(BASE).content.decode()
    assert "Bổ sung minh chứng" in page


def test_gap_page_and_what_if_partial(world: World, client_for: Any, scoring: Cycle) -> None:
    figures(world)
    score_everything(world, scoring)
    client = client_for(world.coordinator)
    page = client.get(f"{BASE}phan-tich/")
    assert page.status_code == 200 and "Còn thiếu để đạt từng mức" in page.content.decode()
    partial = client.post(f"{BASE}phan-tich/", {"cot": "consolidated", "v-1.1": "2"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and "16,93" in body
    full = client.post(f"{BASE}phan-tich/", {"cot": "self", "v-1.1": "2"})
    assert "<html" in full.content.decode() and "16,93" in full.content.decode()
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "4"


def test_unit_export_and_home_panels(world: World, client_for: Any, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    client = client_for(world.coordinator)
    response = client.get(f"{BASE}bang-diem.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert any(row[1] == "1.1" and row[6] == 4 for row in rows)  # after STT
    home = client.get("/don-vi/thanh-mien/").content.decode()
    assert "Mức độ 3" in home and "Mở bảng chấm điểm" in home
    city = client_for(world.reviewer).get("/thanh-pho/hai-phong/").content.decode()
    assert "Bảng theo dõi các đơn vị" in city


def test_city_overview_and_export(
    world: World, client_for: Any, scoring: Cycle, tiny_set: CriteriaSetVersion
) -> None:
    client = client_for(world.reviewer)
    page = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}")
    body = page.content.decode()
    assert page.status_code == 200 and "Xã Thanh Miện" in body and "Chưa mở kỳ đánh giá năm này" in body
    assert 'data-label="Đơn vị"' in body and 'data-label="Hồ sơ"' in body and "thẩm định hạn" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the row labels translated once per page
    english = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}").content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert 'data-label="Unit"' in english and "Chưa mở kỳ đánh giá năm này" not in english
    response = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}&xuat=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0][:2] == ["STT", "Đơn vị"] and any(
        row[1] == "Xã Thanh Miện" and row[3] == "Mức độ 3" for row in values
    )
    response = client.post(
        "/thanh-pho/hai-phong/danh-gia/mo-ky/", {"year": YEAR, "criteria_set": tiny_set.pk}
    )
    assert response.status_code == 302 and Cycle.objects.filter(unit=world.other, year=YEAR).exists()


def test_library_pages_import_edit_export(world: World, client_for: Any) -> None:
    client = client_for(world.reviewer)
    assert "Mẫu có sẵn" in client.get("/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/").content.decode()
    response = client.post(
        "/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/", {"template": "hai-phong-provisional"}
    )
    assert response.status_code == 302
    row = CriteriaSetVersion.objects.get(code="HP-5049-TAM")
    page = client.get(f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{row.pk}/").content.decode()
    assert "tạm thời" in page and "Giả định" in page
    assert (
        client.get(f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{row.pk}.yaml")
        .content.decode()
        .startswith("format: friendlygov.criteria/1")
    )
    xlsx = client.get(f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{row.pk}.xlsx").content
    tiny = SimpleUploadedFile("tiny.xlsx", criteria_workbook(parse_criteria_set(TINY)))
    response = client.post("/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/", {"file": tiny})
    assert response.status_code == 302 and CriteriaSetVersion.objects.filter(code="T-1").exists()
    again = client.post(
        "/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/", {"file": SimpleUploadedFile("hp.xlsx", xlsx)}
    )
    assert again.status_code == 200 and "đã có bộ tiêu chí" in again.content.decode()


def test_tree_editor_saves_a_new_version_when_locked(
    world: World, client_for: Any, tiny_set: CriteriaSetVersion
) -> None:
    services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    client = client_for(world.reviewer)
    url = f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{tiny_set.pk}/sua/"
    page = client.get(url)
    assert page.status_code == 200
    data = _formset_post(page)
    data["c-0-name"] = "Nhóm một (sửa)"
    # a new leaf under group 2 and the group's maximum stays consistent
    index = int(data["c-TOTAL_FORMS"]) - 3
    data.update(
        {
            f"c-{index}-code": "2.3",
            f"c-{index}-parent": "2",
            f"c-{index}-name": "Tiêu chí mới",
            f"c-{index}-max_points": "1",
            f"c-{index}-input": "boolean",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = CriteriaSetVersion.objects.get(code="T-1", version=2)
    assert new.based_on == tiny_set
    cs = parse_criteria_set(new.data)
    assert cs.criteria[0].name == "Nhóm một (sửa)" and cs.criterion("2.3") is not None
    assert parse_criteria_set(fresh_set(tiny_set).data) == parse_criteria_set(TINY)
    data["c-0-max_points"] = "11"  # 11 + 10 ≠ scale 20
    response = client.post(f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{new.pk}/sua/", data)
    assert response.status_code == 200 and "scale" in response.content.decode()


def fresh_set(row: CriteriaSetVersion) -> CriteriaSetVersion:
    return CriteriaSetVersion.objects.get(pk=row.pk)


def _formset_post(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"row_version": "1"}
    for name in ("header", "criteria_fs", "levels_fs", "conditions_fs"):
        form_or_set = page.context[name]
        forms = getattr(form_or_set, "forms", [form_or_set])
        if hasattr(form_or_set, "management_form"):
            mgmt = form_or_set.management_form
            for field in mgmt:
                data[field.html_name] = field.value()
        for form in forms:
            for field in form:
                value = field.value()
                if value is None or value is False:
                    continue
                if isinstance(field.field.widget, VnNumberInput | VnDateInput) and not isinstance(value, str):
                    value = field.field.widget.format_value(value)  # as the page writes it
                data[field.html_name] = "on" if value is True else value
    return data


def test_figures_page_entry_and_import(world: World, client_for: Any) -> None:
    client = client_for(world.reviewer)
    response = client.post(
        "/thanh-pho/hai-phong/danh-gia/so-lieu/luu/",
        {
            "action": "save",
            "unit": world.unit.pk,
            "year": YEAR,
            "kind": "par_index",
            "value": "84,3",
            "decision": "QĐ 5/QĐ-UBND",
        },
    )
    assert response.status_code == 302 and CityFigure.objects.get().value == selectors_decimal("84.30")
    csv_text = "Đơn vị,Năm,Chỉ số,Giá trị (%),Văn bản công bố\ngia-loc,2026,SIPAS,91,TB 3\n"
    response = client.post(
        "/thanh-pho/hai-phong/danh-gia/so-lieu/nhap/",
        {"action": "import", "file": SimpleUploadedFile("so-lieu.csv", csv_text.encode())},
    )
    assert response.status_code == 302 and CityFigure.objects.count() == 2
    template = client.get("/thanh-pho/hai-phong/danh-gia/so-lieu/?xuat=mau")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client_for(world.leader)
        .post(
            "/thanh-pho/hai-phong/danh-gia/so-lieu/luu/",
            {
                "action": "save",
                "unit": world.unit.pk,
                "year": YEAR,
                "kind": "sipas",
                "value": "1",
                "decision": "x",
            },
        )
        .status_code
        == 404
    )  # a commune's leader cannot even read the city's pages


def selectors_decimal(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def test_criterion_page_shows_source_provenance(world: World, client_for: Any, scoring: Cycle) -> None:
    page = client_for(world.coordinator).get(crit_url("1.3")).content.decode()
    assert "chưa có số liệu" in page
    figures(world)
    page = client_for(world.coordinator).get(crit_url("1.3")).content.decode()
    assert "QĐ 1/QĐ-UBND" in page and 'id="score-form"' not in page
    assert selectors.load_cycle_data(scoring).raw("self", "1.3") == "85.00%"
    assert dt.date.today().year >= YEAR


def test_city_overview_filters_and_late_flags(world: World, client_for: Any, scoring: Cycle) -> None:
    import time_machine

    client = client_for(world.reviewer)
    with time_machine.travel(dt.datetime(YEAR, 11, 20, 9, 0), tick=False):
        rows = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}
        assert rows["thanh-mien"].submission_late and not rows["thanh-mien"].appraisal_late
        assert rows["gia-loc"].cycle is None
        page = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}&q=thanh mien").content.decode()
        assert "Xã Thanh Miện" in page and "Xã Gia Lộc" not in page
        assert 'value="thanh mien"' in page  # the search stays in its box
        status = scoring.status
        page = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}&trang_thai={status}").content.decode()
        assert f'<option value="{status}" selected>' in page and '<option value="appraised">' in page
        assert "Xã Thanh Miện" in page and str(Cycle.Status(status).label) in page
        page = client.get(f"/thanh-pho/hai-phong/danh-gia/?nam={YEAR}&trang_thai=chua_mo").content.decode()
        assert "Xã Gia Lộc" in page and "Xã Thanh Miện" not in page
    with time_machine.travel(dt.datetime(YEAR, 6, 1, 9, 0), tick=False):
        rows = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}
        assert not rows["thanh-mien"].submission_late
        home = client_for(world.coordinator).get("/don-vi/thanh-mien/").content.decode()
        assert "Hạn nộp tự đánh giá" in home and "12/11/2026" in home


def test_deadline_and_open_cycle_forms_render_and_save(world: World, client_for: Any, cycle: Cycle) -> None:
    client = client_for(world.reviewer)
    assert client.get(f"{BASE}thoi-han/").status_code == 200
    response = client.post(
        f"{BASE}thoi-han/",
        {
            "registration_deadline": f"{YEAR}-03-01",
            "submission_deadline": f"{YEAR}-11-20",
            "appraisal_deadline": f"{YEAR}-12-31",
            "expected_version": "1",
        },
    )
    assert response.status_code == 302 and fresh(cycle).submission_deadline == dt.date(YEAR, 11, 20)
    page = client.get("/thanh-pho/hai-phong/danh-gia/mo-ky/")
    assert page.status_code == 200 and "Mở kỳ đánh giá" in page.content.decode()
    response = client.post(
        "/thanh-pho/hai-phong/danh-gia/mo-ky/",
        {"year": YEAR, "criteria_set": cycle.criteria_set_id, "units": [world.unit.pk]},
        follow=True,
    )
    assert "cho 0 đơn vị" in response.content.decode()  # a unit that already has its cycle is skipped
    assert Cycle.objects.filter(unit=world.unit).count() == 1


def test_the_city_switches_an_open_cycle_to_another_criteria_set(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    import copy

    data = copy.deepcopy(TINY)
    data["code"] = "T-SUA"
    corrected = services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")
    url = f"{BASE}bo-tieu-chi/"
    reviewer = client_for(world.reviewer)
    assert "Đổi bộ tiêu chí" in reviewer.get(BASE).content.decode()
    page = reviewer.get(url)
    assert page.status_code == 200 and "T-SUA v1" in page.content.decode()
    assert client_for(world.coordinator).post(url, {"criteria_set": corrected.pk}).status_code == 403
    assert client_for(world.outsider).post(url, {"criteria_set": corrected.pk}).status_code == 404
    assert Cycle.objects.get(pk=scoring.pk).criteria_set_id != corrected.pk
    reviewer = client_for(world.reviewer)  # client_for logs one client in as the user named
    response = reviewer.post(url, {"criteria_set": corrected.pk})
    assert response.status_code == 302
    assert Cycle.objects.get(pk=scoring.pk).criteria_set_id == corrected.pk
    assert AuditEvent.objects.filter(
        object_type="assessments.cycle", note="đổi phiên bản bộ tiêu chí"
    ).exists()
    # Once submitted, the set can no longer change: the page says why and nothing moves.
    services.submit_cycle(
        actor=world.leader,
        cycle=score_everything(world, Cycle.objects.get(pk=scoring.pk)),
        acknowledge_issues=True,
    )
    refused = reviewer.post(url, {"criteria_set": scoring.criteria_set_id})
    assert refused.status_code == 200 and Cycle.objects.get(pk=scoring.pk).criteria_set_id == corrected.pk


def test_the_cycle_and_criterion_pages_take_no_post(world: World, client_for: Any, scoring: Cycle) -> None:
    """Each form of these pages posts to its own address; the page itself dispatches nothing."""
    client = client_for(world.coordinator)
    for url, data in [
        (BASE, {"action": "register", "target_level": "3"}),
        (crit_url("1.1"), {"action": "score", "score-value": "1"}),
    ]:
        assert client.get(url).status_code == 200
        assert client.post(url, data).status_code == 405
    assert not ScoreEntry.objects.filter(cycle=scoring, criterion_code="1.1").exists()
