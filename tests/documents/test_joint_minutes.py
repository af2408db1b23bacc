"""The minutes of the joint scoring (Biên bản chấm điểm) with the Ủy ban MTTQ and the Ban Xây dựng Đảng."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from friendlygov.assessments import services
from friendlygov.assessments.models import JointProposal
from friendlygov.cli import main
from friendlygov.documents import builders
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx

from .data import make_cycle, make_plan
from .docx_reading import all_bold, all_paragraphs, open_docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0)


def _name(world: Any, key: str, name: str, title: str) -> None:
    user = world.users[key]
    user.full_name, user.position_title = name, title
    user.save()


@pytest.fixture
def scored(world: Any) -> Any:
    """Thanh Miện's 2026 cycle scored; the Front and the Party Building Board agree with one criterion each,
    the Front proposes 3 for 2.4 (accepted), the Board 2 for 4.3 (declined with a reason)."""
    with time_machine.travel(NOW, tick=False):
        _name(world, "leader", "Lê Anh Tuấn", "Phó Chủ tịch UBND xã")
        _name(world, "coordinator", "Nguyễn Thị Hạnh", "Trưởng phòng Văn hóa - Xã hội")
        _name(world, "front", "Hoàng Văn Bình", "Chủ tịch Ủy ban MTTQ xã")
        _name(world, "party", "Lương Thị Thu", "Trưởng Ban Xây dựng Đảng")
        make_plan(world)
        cycle = make_cycle(world, 2026, until="scored")
        services.agree_score(actor=world.users["front"], cycle=cycle, criterion_code="1.1.4")
        services.agree_score(actor=world.users["party"], cycle=cycle, criterion_code="1.1.4")
        accepted = services.propose_score(
            actor=world.users["front"],
            cycle=cycle,
            criterion_code="2.4",
            value="3",
            reason="Còn ý kiến cử tri về lịch tiếp công dân.",
        )
        declined = services.propose_score(
            actor=world.users["party"],
            cycle=cycle,
            criterion_code="4.3",
            value="2",
            reason="Khuôn viên phía sau trụ sở chưa chỉnh trang.",
        )
        world.cycle = cycle
        world.proposals = (accepted, declined)
        yield world


def _settle(world: Any) -> None:
    accepted, declined = world.proposals
    services.decide_proposal(actor=world.coordinator, proposal=accepted, accept=True)
    services.decide_proposal(
        actor=world.coordinator, proposal=declined, accept=False, reason="Đã chỉnh trang trong tháng 10."
    )


def _render(world: Any, year: int = 2026) -> Any:
    return open_docx(render_docx(builders.build(Kind.JOINT_MINUTES, world.unit, year).document))


def test_minutes_layout_number_title_and_signers(scored: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        _settle(scored)
        document = _render(scored)
    header = document.tables[0]
    assert header.cell(1, 0).paragraphs[0].text == "Số: ...../BB-UBND"
    # minutes carry their time and place in the body: no "place, date" line under the motto
    assert not any("ngày" in p.text for p in header.cell(1, 1).paragraphs)
    title = next(p for p in document.paragraphs if p.text == "BIÊN BẢN")
    assert all_bold(title)
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Thời gian bắt đầu: ") and "năm 2026" in t for t in texts)
    assert any(t.startswith("Địa điểm: trụ sở Ủy ban nhân dân xã Thanh Miện") for t in texts)
    assert "Chủ trì (chủ tọa): đồng chí Lê Anh Tuấn, Phó Chủ tịch UBND xã." in texts
    assert "Thư ký: đồng chí Nguyễn Thị Hạnh, Trưởng phòng Văn hóa - Xã hội." in texts
    assert any(t.startswith("Cuộc họp kết thúc vào ") and t.endswith("./.") for t in texts)
    # the signers: secretary and chair side by side, then the two joint scorers, each with their name
    signers = document.tables[-1]
    grid = [[" ".join(p.text for p in cell.paragraphs).strip() for cell in row.cells] for row in signers.rows]
    assert grid == [
        ["THƯ KÝ", "CHỦ TỌA"],
        ["Nguyễn Thị Hạnh", "Lê Anh Tuấn"],
        ["ĐẠI DIỆN ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ", "ĐẠI DIỆN BAN XÂY DỰNG ĐẢNG"],
        ["Hoàng Văn Bình", "Lương Thị Thu"],
    ]
    # "Nơi nhận" under the signatures, the joint bodies first
    after = texts[texts.index("Nơi nhận:") :]
    assert after[1:4] == ["- Ủy ban MTTQ Việt Nam xã;", "- Ban Xây dựng Đảng Đảng ủy xã;", "- Lưu: VT, VHXH."]


def test_minutes_list_each_differing_criterion_with_its_settlement(scored: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        _settle(scored)
        document = _render(scored)
    attendees = " ".join(p.text for p in document.paragraphs)
    assert "Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam xã: đồng chí Hoàng Văn Bình" in attendees
    assert "Đại diện Ban Xây dựng Đảng: đồng chí Lương Thị Thu" in attendees
    assert (
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã: đồng ý với kết quả tự chấm ở 1 tiêu chí, đề xuất điểm khác ở 1"
        in (attendees)
    )
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1].split(".")[0] + "." + r[1].split(".")[1] for r in rows] == ["2.4", "4.3"]
    first, second = rows
    assert first[2] == "4" and "Ủy ban Mặt trận Tổ quốc Việt Nam xã: 3." in first[3]
    assert "Lý do: Còn ý kiến cử tri về lịch tiếp công dân." in first[3]
    assert first[4] == "Chấp nhận đề xuất; thống nhất 3"
    assert "Ban Xây dựng Đảng: 2." in second[3]
    assert (
        second[4].startswith("Không chấp nhận đề xuất; giữ ")
        and "(đã chỉnh trang trong tháng 10)" in second[4]
    )
    # the totals before and after the settlement, as the scores read them
    from friendlygov.documents.kinds.common import points
    from friendlygov.documents.kinds.scores import scores

    result = scores(scored.unit, 2026)
    assert result is not None
    assert result.totals["self"] - result.totals["consolidated"] == 1
    conclusion = next(p.text for p in document.paragraphs if p.text.startswith("Tổng điểm tự chấm"))
    assert f"{points(result.totals['self'])} điểm" in conclusion
    assert f"{points(result.totals['consolidated'])} điểm" in conclusion


def test_pending_proposals_stop_the_minutes(scored: Any) -> None:
    with (
        time_machine.travel(NOW, tick=False),
        pytest.raises(ValidationError, match="chưa được đầu mối xem xét"),
    ):
        builders.build(Kind.JOINT_MINUTES, scored.unit, 2026)
    assert JointProposal.objects.filter(status=JointProposal.Status.PENDING).count() == 2


def test_command_exits_2_for_a_year_without_joint_scoring(scored: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "bien-ban.docx"
    with time_machine.travel(NOW, tick=False):
        _settle(scored)
        code = main(["documents", "render", "--kind", "joint-minutes", "--unit", "thanh-mien", "--year", "2027",
                     "--out", str(out)])  # fmt: skip
        assert code == 2
        assert "chưa có ý kiến chấm điểm của Ủy ban MTTQ và Ban Xây dựng Đảng" in capsys.readouterr().err
        assert not out.exists()
        code = main(["documents", "render", "--kind", "joint-minutes", "--unit", "thanh-mien", "--year", "2026",
                     "--out", str(out)])  # fmt: skip
    assert code == 0 and out.exists()
    assert any(p.text == "BIÊN BẢN" for p in all_paragraphs(open_docx(out.read_bytes())))


def test_page_and_api_render_the_minutes_and_outsiders_get_404(scored: Any, client_for: Any) -> None:
    slug = scored.unit.slug
    page = reverse("documents:unit_documents", kwargs={"slug": slug})
    with time_machine.travel(NOW, tick=False):
        _settle(scored)
        html = client_for(scored.coordinator).get(page).content.decode()
        assert 'value="joint_minutes"' in html
        client = client_for(scored.coordinator)
        response = client.post(
            f"/api/documents/units/{slug}/drafts",
            json.dumps({"kind": "joint-minutes", "year": 2026}),
            content_type="application/json",
        )
        assert response.status_code == 200
        assert any(p.text == "BIÊN BẢN" for p in open_docx(response.content).paragraphs)
        outsider = client_for(scored.outsider)
        assert outsider.get(page).status_code == 404
        response = outsider.post(
            f"/api/documents/units/{slug}/drafts",
            json.dumps({"kind": "joint-minutes", "year": 2026}),
            content_type="application/json",
        )
        assert response.status_code == 404
