"""The commune chairman's reward decision (Quyết định khen thưởng), from the rewards recorded in operations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from friendlygov.cli import main
from friendlygov.documents import builders
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx
from friendlygov.operations import services
from friendlygov.operations.awards import commune_awards
from friendlygov.operations.models import Nomination, RewardForm, VoteChoice
from friendlygov.rules.rewards import reward_amount, vn_number_words

from .docx_reading import all_bold, open_docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 20, 9, 0)


def _rewarded(world: Any, year: int = 2026) -> Any:
    coordinator = world.coordinator
    collective = services.nominate(
        actor=coordinator,
        unit=world.unit,
        year=year,
        proposed_by_body=world.bodies["VHXH"],
        nominee_kind=Nomination.NomineeKind.COLLECTIVE,
        nominee_name="",
        body=world.bodies["PVHCC"],
        achievements="Giải quyết hồ sơ đúng hạn.",
        proposed_form=RewardForm.GIAY_KHEN,
    )
    person = services.nominate(
        actor=coordinator,
        unit=world.unit,
        year=year,
        proposed_by_body=world.bodies["VHXH"],
        nominee_kind=Nomination.NomineeKind.INDIVIDUAL,
        nominee_name="Nguyễn Văn Tài",
        position_title="Trưởng thôn Tháp Ngạn",
        body=world.bodies["TN"],
        achievements="Duy trì bảng tin văn hóa.",
        proposed_form=RewardForm.GIAY_KHEN,
    )
    meeting = services.hold_council_meeting(
        actor=coordinator,
        unit=world.unit,
        year=year,
        held_on=dt.date(year, 12, 10),
        members=[
            ("Lê Anh Tuấn", "Chủ tịch Hội đồng"),
            ("Nguyễn Thị Hạnh", "Ủy viên"),
            ("Trần Minh Đức", "Ủy viên"),
        ],
        nominations=[collective, person],
    )
    members = list(meeting.members.all())
    for nomination in (collective, person):
        nomination.refresh_from_db()
        services.record_votes(
            actor=coordinator,
            meeting=meeting,
            nomination=nomination,
            votes={m.pk: VoteChoice.FOR for m in members},
            expected_version=nomination.version,
        )
    services.record_reward_decision(
        actor=coordinator,
        unit=world.unit,
        year=year,
        number="215/QĐ-UBND",
        signed_on=dt.date(year, 12, 15),
        reward_form=RewardForm.GIAY_KHEN,
        nominations=[collective, person],
    )
    return world


@pytest.fixture
def rewarded(world: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        leader = world.leader
        leader.full_name, leader.position_title = "Lê Anh Tuấn", "Phó Chủ tịch UBND xã"
        leader.save()
        yield _rewarded(world)


def _render(world: Any, year: int = 2026) -> Any:
    return open_docx(render_docx(builders.build(Kind.REWARD_DECISION, world.unit, year).document))


def test_amounts_follow_the_decree_on_the_base_salary() -> None:
    # Giấy khen of the commune chairman: 0,15 × 2.340.000 = 351.000 → 350.000 (to the ten thousand), a
    # collective twice the multiple: 702.000 → 700.000; before 1/7/2024: 0,15 × 1.800.000 = 270.000
    assert reward_amount("giay_khen", "individual", dt.date(2026, 12, 15)) == 350_000
    assert reward_amount("giay_khen", "collective", dt.date(2026, 12, 15)) == 700_000
    assert reward_amount("giay_khen", "individual", dt.date(2024, 6, 30)) == 270_000
    assert reward_amount("bang_khen", "individual", dt.date(2026, 12, 15)) is None
    assert vn_number_words(1_070_000) == "Một triệu không trăm bảy mươi nghìn"
    assert vn_number_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn"
    assert vn_number_words(2_015_000) == "Hai triệu không trăm mười lăm nghìn"


def test_decision_layout(rewarded: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        document = _render(rewarded)
    header = document.tables[0]
    assert header.cell(1, 0).paragraphs[0].text == "Số: ...../QĐ-UBND"
    texts = [p.text for p in document.paragraphs]
    assert all_bold(next(p for p in document.paragraphs if p.text == "QUYẾT ĐỊNH"))
    assert any(t.startswith("Về việc khen thưởng tập thể, cá nhân") and "năm 2026" in t for t in texts)
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THANH MIỆN" in texts
    bases = [t for t in texts if t.startswith("Căn cứ ")]
    assert bases[:3] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
        "một số điều của Luật Thi đua, khen thưởng;",
    ]
    assert any(
        t.startswith("Theo đề nghị của Hội đồng Thi đua - Khen thưởng xã tại cuộc họp ngày 10/12/2026")
        for t in texts
    )
    assert texts.index("QUYẾT ĐỊNH:") < next(i for i, t in enumerate(texts) if t.startswith("Điều 1."))
    assert any(t.startswith("Điều 2. Tiền thưởng chi từ Quỹ thi đua, khen thưởng") for t in texts)
    article3 = next(t for t in texts if t.startswith("Điều 3."))
    assert "các tập thể và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./." in article3
    footer = document.tables[-1]
    left = [p.text for p in footer.cell(0, 0).paragraphs if p.text.strip()]
    assert left[:2] == ["Nơi nhận:", "- Như Điều 3;"]
    right = [p.text for p in footer.cell(0, 1).paragraphs if p.text.strip()]
    assert right == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Anh Tuấn"]  # no "TM.": the chairman's own decision


def test_article_1_lists_the_records_with_their_money(rewarded: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        document = _render(rewarded)
        awards = commune_awards(unit=rewarded.unit, year=2026)
    assert awards is not None
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    listed = [r for r in rows if r[0].isdigit()]
    expected = [
        [a.name, a.position_title, a.form_label, f"{a.amount:,} đồng".replace(",", ".")]
        for a in awards.awards
    ]
    assert [r[1:] for r in listed] == expected
    assert [r[1:] for r in listed] == [
        ["Trung tâm Phục vụ hành chính công", "", "Giấy khen của Chủ tịch UBND xã", "700.000 đồng"],
        ["Nguyễn Văn Tài", "Trưởng thôn Tháp Ngạn", "Giấy khen của Chủ tịch UBND xã", "350.000 đồng"],
    ]
    assert [r[1] for r in rows if not r[0].isdigit()] == ["Tập thể", "Cá nhân", "Tổng cộng"]
    assert rows[-1][-1] == "1.050.000 đồng"
    text = " ".join(p.text for p in document.paragraphs)
    assert "Điều 1. Tặng Giấy khen của Chủ tịch UBND xã cho 01 tập thể và 01 cá nhân" in text
    assert "Tổng số tiền thưởng: 1.050.000 đồng (bằng chữ: một triệu không trăm năm mươi nghìn đồng)." in text


def test_command_exits_2_for_a_year_without_a_reward_decision(
    rewarded: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "quyet-dinh.docx"
    with time_machine.travel(NOW, tick=False):
        code = main(["documents", "render", "--kind", "reward-decision", "--unit", "thanh-mien", "--year", "2025",
                     "--out", str(out)])  # fmt: skip
        assert code == 2
        assert "chưa ghi nhận quyết định khen thưởng nào" in capsys.readouterr().err
        assert not out.exists()
        code = main(["documents", "render", "--kind", "reward-decision", "--unit", "thanh-mien", "--year", "2026",
                     "--out", str(out), "--number", "216", "--date", "16/12/2026"])  # fmt: skip
    assert code == 0
    assert open_docx(out.read_bytes()).tables[0].cell(1, 0).paragraphs[0].text == "Số: 216/QĐ-UBND"


def test_page_and_api_render_the_decision_and_outsiders_get_404(rewarded: Any, client_for: Any) -> None:
    slug = rewarded.unit.slug
    page = reverse("documents:unit_documents", kwargs={"slug": slug})
    payload = json.dumps({"kind": "reward-decision", "year": 2026})
    with time_machine.travel(NOW, tick=False):
        html = client_for(rewarded.coordinator).get(page).content.decode()
        assert 'value="reward_decision"' in html
        response = client_for(rewarded.coordinator).post(
            f"/api/documents/units/{slug}/drafts", payload, content_type="application/json"
        )
        assert response.status_code == 200
        assert any(p.text == "QUYẾT ĐỊNH" for p in open_docx(response.content).paragraphs)
        outsider = client_for(rewarded.outsider)
        assert outsider.get(page).status_code == 404
        response = outsider.post(
            f"/api/documents/units/{slug}/drafts", payload, content_type="application/json"
        )
        assert response.status_code == 404
