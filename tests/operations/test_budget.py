"""Budget: the Economic Office's estimate lines, approved amounts, spending against lines (and activities),
the gap, and the yearly estimate table it sends up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.audit.models import AuditEvent
from friendlygov.operations import selectors, services
from friendlygov.operations.forms import VndField
from friendlygov.operations.models import BudgetLine, BudgetSource, CommunicationKind, Spending
from tests.factories import World
from tests.operations.conftest import activity, budget_line, pdf, read_xlsx

BASE = "/don-vi/thanh-mien/hoat-dong/kinh-phi/"


def test_economic_office_adds_a_line_through_the_page(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["economist"])
    response = client.post(
        BASE + "dong/moi/?nam=2026",
        {
            "title": "Pano, khẩu hiệu “4 xin, 4 luôn, 5 không”",
            "activity_kind": CommunicationKind.SLOGAN_PANEL,
            "source": BudgetSource.STATE_COMMUNE,
            "estimated": "25.000.000",
            "approved": "20 000 000 đồng",
            "approval_ref": "QĐ 12/QĐ-UBND",
            "note": "",
            "position": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BudgetLine.objects.get()
    assert (line.year, line.estimated, line.approved) == (2026, 25_000_000, 20_000_000)
    assert AuditEvent.objects.filter(object_type="operations.budgetline", action="create").exists()


def test_bad_budget_input_keeps_values(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["economist"])
    response = client.post(
        BASE + "dong/moi/?nam=2026",
        {
            "title": "Văn nghệ quần chúng",
            "source": BudgetSource.OTHER,
            "source_note": "",
            "estimated": "10.000.000",
            "approved": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Ghi rõ nguồn kinh phí hợp pháp khác" in page
        and "Văn nghệ quần chúng" in page
        and "10.000.000" in page
    )
    response = client.post(
        BASE + "dong/moi/?nam=2026", {"title": "X", "source": BudgetSource.STATE_CITY, "estimated": "mười"}
    )
    assert "«mười» không phải là một số" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_only_economic_office_or_coordinator_manage_the_budget(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.member).get(BASE + "dong/moi/").status_code == 403
    assert client_for(world.leader).get(BASE + "chi/moi/").status_code == 403
    with pytest.raises(PermissionDenied):
        budget_line(world, actor=world.users["front"])
    assert client_for(world.coordinator).get(BASE + "dong/moi/").status_code == 200
    assert client_for(world.member).get(BASE).status_code == 200  # everyone of the unit may read


def test_spending_against_an_approved_line_and_the_gap(world: World, people) -> None:
    line = budget_line(world, actor=people["economist"], estimated=20_000_000, approved=15_000_000)
    pending = budget_line(
        world, actor=people["economist"], title="Khen thưởng", estimated=5_000_000, approved=None
    )
    act = activity(world, kind=CommunicationKind.SLOGAN_PANEL, title="Pano ở cổng")
    services.record_spending(
        actor=people["economist"],
        line=line,
        spent_on=dt.date(2026, 4, 2),
        amount=9_000_000,
        description="Hợp đồng làm pano",
        voucher="PC-01",
        activity=act,
        upload=pdf("pc01.pdf"),
    )
    with pytest.raises(ValidationError, match="chỉ còn 6.000.000 đồng"):
        services.record_spending(
            actor=people["economist"],
            line=line,
            spent_on=dt.date(2026, 5, 2),
            amount=7_000_000,
            description="Vượt",
        )
    with pytest.raises(ValidationError, match="chưa có số được phê duyệt"):
        services.record_spending(
            actor=people["economist"], line=pending, spent_on=dt.date(2026, 5, 2), amount=1, description="x"
        )
    with pytest.raises(ValidationError, match="trong năm 2026"):
        services.record_spending(
            actor=people["economist"], line=line, spent_on=dt.date(2025, 12, 30), amount=1, description="x"
        )
    with pytest.raises(ValidationError, match="không được sau hôm nay"):
        services.record_spending(
            actor=people["economist"], line=line, spent_on=dt.date(2026, 12, 1), amount=1, description="x"
        )
    figures = selectors.budget_figures(unit=world.unit, year=2026)
    assert (
        figures["estimated"],
        figures["approved"],
        figures["spent"],
        figures["remaining"],
        figures["unapproved"],
    ) == (25_000_000, 15_000_000, 9_000_000, 6_000_000, 10_000_000)
    assert str(figures["used_percent"]) == "60.00" and figures["pending_approval"] == 1
    commune = next(s for s in figures["by_source"] if s["source"] == BudgetSource.STATE_COMMUNE)
    assert commune["spent"] == 9_000_000
    assert Spending.objects.get().activity == act
    with pytest.raises(ValidationError, match="không được thấp hơn số đã chi"):
        services.update_budget_line(
            actor=people["economist"], line=line, expected_version=line.version, approved=8_000_000
        )


def test_spending_edit_with_stale_version(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    line = budget_line(world)
    spending = services.record_spending(
        actor=world.coordinator,
        line=line,
        spent_on=dt.date(2026, 4, 2),
        amount=1_000_000,
        description="Tài liệu hội nghị",
    )
    client = client_for(people["economist"])
    data = {
        "spent_on": "02/04/2026",
        "amount": "1.200.000",
        "description": "Tài liệu, nước uống",
        "voucher": "PC-2",
        "version": spending.version,
    }
    assert client.post(f"{BASE}chi/{spending.pk}/sua/", data).status_code == 302
    stale = client.post(f"{BASE}chi/{spending.pk}/sua/", data | {"description": "Bản sửa thứ hai"})
    assert (
        stale.status_code == 400
        and "người khác cập nhật" in stale.content.decode()
        and "Bản sửa thứ hai" in stale.content.decode()
    )
    spending.refresh_from_db()
    assert spending.amount == 1_200_000 and spending.version == 2


def test_estimate_table_export(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    line = budget_line(world, title="Pano", estimated=20_000_000, approved=15_000_000)
    budget_line(
        world,
        title="Văn nghệ",
        source=BudgetSource.OTHER,
        source_note="Xã hội hóa",
        estimated=5_000_000,
        approved=None,
    )
    services.record_spending(
        actor=world.coordinator, line=line, spent_on=dt.date(2026, 4, 2), amount=4_000_000, description="x"
    )
    response = client_for(world.users["observer"]).get(BASE + "du-toan.xlsx?nam=2026")
    rows = read_xlsx(response.content)
    assert "DỰ TOÁN KINH PHÍ" in rows[0][0] and "2026" in rows[0][0]
    assert rows[2][:2] == ["STT", "Nội dung chi"]
    assert (
        rows[3][1] == "Pano"
        and rows[3][5:7] == [20_000_000, 15_000_000]
        and rows[3][8:10] == [4_000_000, 11_000_000]
    )
    assert rows[4][4] == "Nguồn kinh phí hợp pháp khác (Xã hội hóa)"
    assert rows[-1][1] == "Tổng cộng" and rows[-1][5] == 25_000_000
    page = client_for(world.users["observer"]).get(BASE + "?nam=2026&q=van+nghe").content.decode()
    assert "Văn nghệ" in page and ">Pano<" not in page
    spend_rows = read_xlsx(client_for(world.users["observer"]).get(BASE + "chi/xuat.xlsx?nam=2026").content)
    assert spend_rows[2][0] == "STT" and spend_rows[3][3] == 4_000_000


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_vnd_field_reads_dotted_numbers(amount: int) -> None:
    field = VndField(required=False)
    dotted = f"{amount:,}".replace(",", ".")
    assert field.clean(dotted) == amount
    assert field.clean(f"{amount} đồng") == amount
    assert field.widget.format_value(amount) == dotted  # as the page writes it
