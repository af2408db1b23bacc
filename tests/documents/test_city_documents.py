"""The city's documents: the Department of Home Affairs' appraisal notice to a commune, the city People's
Committee's recognition decision and the Department's report on every unit — read back from the .docx,
with their signers from the city's organisation data and who may write and read them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from friendlygov.assessments import services as assessments
from friendlygov.assessments.models import AppraisalItem
from friendlygov.cli import main
from friendlygov.documents import builders, services, sources
from friendlygov.documents.kinds import common
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.documents.render import render_docx
from friendlygov.org.models import Body, Role, RoleGrant

from .data import make_cycle
from .docx_reading import open_docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 9, 0)
DIRECTOR = "Nguyễn Văn Giám"
CHAIRMAN = "Trần Văn Chủ"
ADJUSTMENTS = {
    "4.3": ("4,5", "Khuôn viên phía sau trụ sở chưa được chỉnh trang như báo cáo."),
    "1.1.1": ("90%", "Đối chiếu Hệ thống thông tin giải quyết TTHC: 10% hồ sơ quá hạn."),
}


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def city_org(world: Any) -> Any:
    """The city's organisation data: its Department of Home Affairs (with its director) and its chairman."""
    Body.objects.create(
        unit=world.city, kind=Body.Kind.OFFICE, name="Sở Nội vụ", code="SNV", head_name=DIRECTOR
    )
    chairman = world.users["chairman"] = type(world.leader).objects.create_user(
        username="chairman", password="x", full_name=CHAIRMAN, position_title="Chủ tịch UBND thành phố"
    )
    RoleGrant.objects.create(user=chairman, role=Role.UNIT_LEADER, unit=world.city)
    return world


@pytest.fixture
def appraised(city_org: Any, frozen: Any) -> Any:
    """Thanh Miện's 2026 dossier appraised with two adjustments; Gia Lộc's submitted, not appraised."""
    world = city_org
    cycle = make_cycle(world, 2026, until="submitted")
    for code, (value, reason) in ADJUSTMENTS.items():
        assessments.appraise_criterion(
            actor=world.reviewer, cycle=cycle, criterion_code=code, accept=False, value=value, reason=reason
        )
    assessments.appraise_criterion(actor=world.reviewer, cycle=cycle, criterion_code="1.2", accept=True)
    assessments.finish_appraisal(actor=world.reviewer, cycle=cycle)
    make_cycle(world, 2026, unit=world.other, until="submitted")
    return world


def render(kind: str, unit: Any, year: int) -> Any:
    return open_docx(render_docx(builders.build(kind, unit, year, common.Options()).document))


def texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def signature(document: Any) -> list[str]:
    """The signature block's lines (the right cell of the footer table)."""
    cell = (
        document.tables[-1].cell(0, 1) if document.tables[-1].cell(0, 0).text.startswith("Nơi nhận") else None
    )
    if cell is None:
        for table in document.tables:
            if table.cell(0, 0).text.startswith("Nơi nhận"):
                cell = table.cell(0, 1)
    assert cell is not None
    return [p.text for p in cell.paragraphs if p.text.strip()]


def rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def table_with(document: Any, first_header: str, second_header: str) -> Any:
    for table in document.tables:
        cells = [c.text for c in table.rows[0].cells]
        if len(cells) > 1 and cells[0] == first_header and cells[1] == second_header:
            return table
    raise AssertionError(f"no table {first_header} | {second_header}")


# ------------------------------------------------------------------------------------ appraisal notice


def test_the_notice_lists_exactly_the_adjustments_with_their_reasons(appraised: Any) -> None:
    document = render(Kind.APPRAISAL_NOTICE, appraised.unit, 2026)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: ...../TB-SNV"
    assert "SỞ NỘI VỤ" in header.cell(0, 0).text
    body = texts(document)
    assert "THÔNG BÁO" in body
    assert any(
        "Kết quả thẩm định mô hình “Chính quyền thân thiện” năm 2026 của xã Thanh Miện" in t for t in body
    )
    adjusted = rows(table_with(document, "STT", "Tiêu chí"))
    items = AppraisalItem.objects.filter(
        cycle__unit=appraised.unit, decision=AppraisalItem.Decision.ADJUST
    ).order_by("criterion_code")
    assert [r[4] for r in adjusted] == [i.reason for i in items]
    assert [r[1].split(" ")[0].rstrip(".") for r in adjusted] == [i.criterion_code for i in items]
    assert len(adjusted) == len(ADJUSTMENTS)  # the accepted 1.2 is not an adjustment
    groups = rows(table_with(document, "STT", "Nhóm tiêu chí"))
    assert groups[-1][1] == "Tổng cộng"
    data = sources.cycle_data(sources.cycle(appraised.unit, 2026))
    assert data is not None
    assert groups[-1][4] == common.points(data.result("appraised").total)
    assert groups[-1][3] == common.points(data.result("consolidated").total)
    assert any(t.startswith("- Mức xã đăng ký năm 2026: mức độ 3") for t in body)
    assert any(t.startswith("Kết luận:") for t in body)


def test_the_notice_is_signed_by_the_director_recorded_and_sent_to_the_commune(appraised: Any) -> None:
    document = render(Kind.APPRAISAL_NOTICE, appraised.unit, 2026)
    lines = signature(document)
    assert lines == ["GIÁM ĐỐC", DIRECTOR]
    assert common.NAME_BLANK not in " ".join(lines)
    recipients = " ".join(texts(document)) + " ".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "Ủy ban nhân dân xã Thanh Miện;" in recipients and "Lưu: VT, XDCQ." in recipients


def test_a_deputy_director_signs_for_the_director(world: Any, frozen: Any) -> None:
    deputy = type(world.leader).objects.create_user(
        username="pgd", password="x", full_name="Lê Thị Phó", position_title="Phó Giám đốc Sở Nội vụ"
    )
    RoleGrant.objects.create(user=deputy, role=Role.CITY_REVIEWER, unit=world.city)
    signer = common.default_signer(world.unit, Kind.APPRAISAL_NOTICE)
    assert (signer.capacity, signer.title, signer.name) == ("KT. Giám đốc", "Phó Giám đốc", "Lê Thị Phó")
    # nothing recorded at all: the name is left to write in, the title is the deputy's
    deputy.delete()
    blank = common.default_signer(world.unit, Kind.APPRAISAL_NOTICE)
    assert (blank.capacity, blank.title, blank.name) == ("KT. Giám đốc", "Phó Giám đốc", "")


def test_a_returned_dossier_says_what_to_complete(city_org: Any, frozen: Any) -> None:
    world = city_org
    cycle = make_cycle(world, 2026, until="submitted")
    assessments.return_cycle(
        actor=world.reviewer,
        cycle=cycle,
        requests="- Bổ sung minh chứng tiêu chí 5.1\n- Ký lại báo cáo tự đánh giá",
    )
    body = texts(render(Kind.APPRAISAL_NOTICE, world.unit, 2026))
    assert "IV. NỘI DUNG HỒ SƠ CẦN BỔ SUNG, HOÀN THIỆN" in body
    assert "- Bổ sung minh chứng tiêu chí 5.1" in body
    assert not any(t.startswith("Kết luận:") for t in body)  # no result before the appraisal ends


def test_no_notice_before_the_appraisal(city_org: Any, frozen: Any, tmp_path: Path, capsys: Any) -> None:
    make_cycle(city_org, 2026, until="submitted")
    with pytest.raises(ValidationError, match="chưa được Sở Nội vụ thẩm định"):
        builders.build(Kind.APPRAISAL_NOTICE, city_org.unit, 2026)
    out = tmp_path / "tb.docx"
    args = ["documents", "render", "--kind", "appraisal-notice", "--unit", "thanh-mien", "--year", "2025"]
    assert main([*args, "--out", str(out)]) == 2
    assert "chưa mở kỳ đánh giá cho xã Thanh Miện" in capsys.readouterr().err
    assert not out.exists()
    # the notice is about a commune: the city itself is refused
    with pytest.raises(ValidationError):
        services.render_document(actor=None, unit=city_org.city, kind="appraisal-notice", year=2026)


# --------------------------------------------------------------------------------- recognition decision


def test_the_decision_lists_exactly_the_recognised_units(city_org: Any, frozen: Any) -> None:
    world = city_org
    make_cycle(world, 2026)  # Thanh Miện recognised
    make_cycle(world, 2026, unit=world.other, until="appraised")  # Gia Lộc appraised, not recognised
    document = render(Kind.RECOGNITION_DECISION, world.city, 2026)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: ...../QĐ-UBND"
    assert "SỞ NỘI VỤ" not in header.cell(0, 0).text and "THÀNH PHỐ HẢI PHÒNG" in header.cell(0, 0).text
    listed = rows(table_with(document, "STT", "Đơn vị"))
    recognised = [r for r in sources.city_overview(world.city, 2026) or [] if r.recognition is not None]
    assert [r[1] for r in listed] == [r.unit.full_name for r in recognised] == ["Xã Thanh Miện"]
    assert listed[0][2] == recognised[0].recognition.level_name
    body = texts(document)
    assert "QUYẾT ĐỊNH:" in body
    assert any(t.startswith("Căn cứ Luật Tổ chức chính quyền địa phương") for t in body)
    assert any(t.startswith("Theo đề nghị của Giám đốc Sở Nội vụ") for t in body)
    assert any(t.startswith("Điều 2.") for t in body) and any(t.startswith("Điều 3.") for t in body)
    assert signature(document) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", CHAIRMAN]


def test_no_decision_without_a_recognition(city_org: Any, frozen: Any, tmp_path: Path, capsys: Any) -> None:
    make_cycle(city_org, 2026, until="appraised")
    with pytest.raises(ValidationError, match="chưa ghi nhận công nhận"):
        builders.build(Kind.RECOGNITION_DECISION, city_org.city, 2026)
    out = tmp_path / "qd.docx"
    args = ["documents", "render", "--kind", "recognition-decision", "--unit", "hai-phong", "--year", "2026"]
    assert main([*args, "--out", str(out)]) == 2
    assert "chưa lập được quyết định công nhận" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ city report


def test_the_city_report_proposes_only_appraised_units(appraised: Any) -> None:
    world = appraised
    assessments.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=2026,
        kind="sipas",
        value="88.50",
        decision="Thông báo 45/TB-SNV",
    )
    document = render(Kind.CITY_REPORT, world.city, 2026)
    body = texts(document)
    start = body.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    proposals = [t for t in body[start:] if t.startswith("- ")]
    assert proposals[0].startswith("- Xã Thanh Miện:") and len([p for p in proposals if "Gia Lộc:" in p]) == 0
    # the stages: Gia Lộc submitted, Thanh Miện appraised
    assert any(t.startswith("- Đã nộp hồ sơ, chờ thẩm định: 1 đơn vị (xã Gia Lộc)") for t in body)
    assert any(t.startswith("- Đã thẩm định, chờ công nhận: 1 đơn vị (xã Thanh Miện)") for t in body)
    # SIPAS and PAR figures as their selectors give them
    figures = rows(_figures_table(document))
    by_name = {r[1]: r for r in figures}
    sipas = sources.city_figure("sipas", world.unit, 2026)
    assert sipas is not None
    assert by_name["Xã Thanh Miện"][2] == common.percent(sipas.percent) == "88,5%"
    assert by_name["Xã Gia Lộc"][2] == "—"
    survey = sources.sipas_figure(world.unit, 2026)
    assert by_name["Xã Thanh Miện"][3] == ("—" if survey is None else common.percent(survey.percent))
    assert signature(document) == ["GIÁM ĐỐC", DIRECTOR]


def _figures_table(document: Any) -> Any:
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][2:3] == ["SIPAS thành phố công bố"]:
            return table
    raise AssertionError("no figures table")


def test_the_city_report_proposes_nothing_when_nothing_is_appraised(city_org: Any, frozen: Any) -> None:
    make_cycle(city_org, 2026, until="submitted")
    body = texts(render(Kind.CITY_REPORT, city_org.city, 2026))
    start = body.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    assert any("chưa có đơn vị nào được Sở Nội vụ thẩm định" in t for t in body[start:])
    assert not any("xem xét, công nhận các đơn vị" in t for t in body)


# ------------------------------------------------------------------------------------------- access


def test_commune_users_cannot_write_the_city_documents(appraised: Any) -> None:
    world = appraised
    with pytest.raises(Http404):  # a commune's user does not see the city
        services.render_document(
            actor=world.coordinator, unit=world.city, kind="recognition-decision", year=2026
        )
    with pytest.raises(PermissionDenied):  # the notice about their own commune is the city's
        services.render_document(actor=world.leader, unit=world.unit, kind="appraisal-notice", year=2026)
    rendered = services.render_document(
        actor=world.reviewer, unit=world.unit, kind="appraisal-notice", year=2026
    )
    assert rendered.draft


def test_the_notice_is_listed_for_its_commune_and_hidden_from_others(appraised: Any, client_for: Any) -> None:
    world = appraised
    issued = services.render_document(
        actor=world.reviewer, unit=world.unit, kind="appraisal-notice", year=2026, number=5
    ).document
    assert issued is not None
    assert (issued.unit, issued.register, issued.about) == (world.city, "home_affairs", world.unit)
    page = reverse("documents:unit_documents", kwargs={"slug": world.unit.slug})
    html = client_for(world.coordinator).get(page).content.decode()
    assert "05/TB-SNV" in html
    assert 'value="appraisal_notice"' not in html  # no form for the commune's own users
    assert 'value="appraisal_notice"' in client_for(world.reviewer).get(page).content.decode()
    own = reverse("documents:issued_file", kwargs={"slug": world.unit.slug, "pk": issued.pk})
    assert client_for(world.coordinator).get(own).status_code == 200
    for slug in (world.unit.slug, world.city.slug, world.other.slug):
        url = reverse("documents:issued_file", kwargs={"slug": slug, "pk": issued.pk})
        assert client_for(world.outsider).get(url).status_code == 404
    api = reverse("api:documents_issued_file", kwargs={"pk": issued.pk})
    assert client_for(world.outsider).get(api).status_code == 404
    assert client_for(world.coordinator).get(api).status_code == 200
    # a commune's user posting the notice form on its page is refused
    response = client_for(world.leader).post(
        f"{page}du-thao/", {"kind_prefix": "appraisal_notice", "action": "draft"}
    )
    assert response.status_code == 403
    assert IssuedDocument.objects.filter(kind=Kind.APPRAISAL_NOTICE).count() == 1


def test_the_pages_and_the_command_reach_the_city_documents(
    appraised: Any, client_for: Any, tmp_path: Path
) -> None:
    world = appraised
    city_page = reverse("documents:city_documents", kwargs={"slug": world.city.slug})
    html = client_for(world.reviewer).get(city_page).content.decode()
    assert 'value="recognition_decision"' in html and 'value="city_report"' in html
    assert 'value="appraisal_notice"' not in html  # the notice is written from the commune's page
    page = reverse("documents:unit_documents", kwargs={"slug": world.unit.slug})
    form = {
        "kind_prefix": "appraisal_notice",
        "action": "draft",
        "appraisal_notice-kind": "appraisal_notice",
        "appraisal_notice-year": "2026",
        "appraisal_notice-signer_title": "Giám đốc",
        "appraisal_notice-signer_name": DIRECTOR,
        "appraisal_notice-recipients": "Ủy ban nhân dân xã Thanh Miện\nLưu: VT, XDCQ",
        "appraisal_notice-output": "docx",
    }
    response = client_for(world.reviewer).post(f"{page}du-thao/", form)
    assert response.status_code == 200
    assert "thong-bao-ket-qua-tham-dinh-thanh-mien-2026" in response["Content-Disposition"]
    assert signature(open_docx(response.content)) == ["GIÁM ĐỐC", DIRECTOR]
    out = tmp_path / "tb.docx"
    args = ["--kind", "appraisal-notice", "--unit", "thanh-mien", "--year", "2026", "--out", str(out)]
    assert main(["documents", "render", *args]) == 0
    assert open_docx(out.read_bytes()).tables[0].cell(1, 0).text == "Số: ...../TB-SNV"
