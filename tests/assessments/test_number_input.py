"""Numbers typed into the assessment forms are read the Vietnamese way (issue 16, "Input read wrong"):
numerator 1.100 over 1350 was stored as 1,1/1.350 (0 points); 1,100 gave the same; a percentage 1.100
became 1,1%. Now 1.100 is one thousand one hundred, a count refuses 1,100 naming both readings, a
percentage above 100 is refused, and the value read is shown back."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages

from friendlygov.assessments import services
from friendlygov.assessments.forms import ValueForm
from friendlygov.assessments.models import CityFigure, Cycle, ScoreEntry
from friendlygov.rules.scoring import Criterion, parse_criteria_set
from tests.assessments.conftest import ASSIGN, TINY, YEAR, fresh
from tests.factories import World

BASE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"
RATIO = f"{BASE}tieu-chi/1.3/"  # a ratio typed in by the unit (no measured source in this set)


@pytest.fixture
def ratio_cycle(world: World) -> Cycle:
    data = copy.deepcopy(TINY)
    data["code"] = "T-R"
    data["criteria"][0]["children"][2].pop("source")
    cs = services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=cs)
    for code, body in ASSIGN.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    return fresh(cycle)


def _post(client: Any, data: dict[str, str]) -> Any:
    return client.post(RATIO + "cham/", {"score-explanation": "Báo cáo năm", **data})


def test_numerator_typed_with_a_thousands_dot_is_one_thousand_one_hundred(
    world: World, client_for: Any, ratio_cycle: Cycle
) -> None:
    client = client_for(world.member)
    response = _post(client, {"score-numerator": "1.100", "score-denominator": "1350"})
    assert response.status_code == 302
    entry = ScoreEntry.objects.get(cycle=ratio_cycle, criterion_code="1.3")
    assert entry.value == "1100/1350"  # the old form stored "1.100/1350", read as 1,1/1.350
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Đọc là: 1.100/1.350" in m for m in shown), shown
    # shown again the Vietnamese way, so sending the form back unchanged keeps the value
    page = client.get(RATIO).content.decode()
    assert 'name="score-numerator" value="1.100"' in page and 'name="score-denominator" value="1.350"' in page
    again = _post(
        client, {"score-numerator": "1.100", "score-denominator": "1.350", "score-expected_version": "1"}
    )
    assert again.status_code == 302
    assert ScoreEntry.objects.get(pk=entry.pk).value == "1100/1350"


def test_a_count_written_1_comma_100_is_refused_with_both_readings(
    world: World, client_for: Any, ratio_cycle: Cycle
) -> None:
    response = _post(client_for(world.member), {"score-numerator": "1,100", "score-denominator": "1350"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "«1,100» đọc theo cách viết Việt Nam là 1,1 — không phải số nguyên" in page
    assert "Nếu ý bạn là 1.100 thì ghi 1.100" in page
    assert "Đọc là: 1,1 — không phải số nguyên" in page  # the server's read-back next to the field
    assert not ScoreEntry.objects.filter(cycle=ratio_cycle, criterion_code="1.3").exists()


def test_a_percentage_1_dot_100_is_not_one_point_one_percent(
    world: World, client_for: Any, ratio_cycle: Cycle
) -> None:
    client = client_for(world.member)
    response = _post(client, {"score-percent": "1.100"})
    assert response.status_code == 200
    assert "Đọc là 1.100% — tối đa là 100%." in response.content.decode()
    assert not ScoreEntry.objects.filter(cycle=ratio_cycle, criterion_code="1.3").exists()
    assert _post(client, {"score-percent": "81,48"}).status_code == 302
    assert ScoreEntry.objects.get(cycle=ratio_cycle, criterion_code="1.3").value == "81,48%"


def test_points_and_the_english_decimal_point(world: World, client_for: Any, ratio_cycle: Cycle) -> None:
    client = client_for(world.member)
    url = f"{BASE}tieu-chi/1.1/"
    response = client.post(url + "cham/", {"score-value": "3.5", "score-explanation": "x"})
    assert response.status_code == 200
    assert "Nếu là số thập phân, hãy ghi 3,5." in response.content.decode()
    response = client.post(url + "cham/", {"score-value": "3,5", "score-explanation": "x"})
    assert response.status_code == 302
    assert ScoreEntry.objects.get(cycle=ratio_cycle, criterion_code="1.1").value == "3,5"


def test_ratio_needs_both_counts() -> None:
    node = parse_criteria_set(TINY).criterion("1.3")
    assert isinstance(node, Criterion)
    form = ValueForm({"numerator": "45"}, node=node)
    assert not form.is_valid() and "Nhập cả tử số và mẫu số" in str(form.errors["denominator"])


def test_initial_values_render_the_vietnamese_way() -> None:
    cs = parse_criteria_set(TINY)
    ratio, points = cs.criterion("1.3"), cs.criterion("1.1")
    assert isinstance(ratio, Criterion) and isinstance(points, Criterion)
    html = str(ValueForm(node=ratio, raw="12500/13000")["numerator"])
    assert 'value="12.500"' in html
    assert 'value="92,5"' in str(ValueForm(node=ratio, raw="92.5%")["percent"])
    assert 'value="3,25"' in str(ValueForm(node=points, raw="3.25")["value"])


def test_city_figure_typed_the_vietnamese_way(world: World, client_for: Any) -> None:
    client = client_for(world.reviewer)
    url = "/thanh-pho/hai-phong/danh-gia/so-lieu/"
    common = {
        "action": "save",
        "unit": str(world.unit.pk),
        "year": str(YEAR),
        "kind": "par_index",
        "decision": "QĐ 1",
    }
    response = client.post(f"{url}luu/", {**common, "value": "1.100"})
    assert response.status_code == 200 and "Đọc là 1.100% — tối đa là 100%." in response.content.decode()
    assert client.post(f"{url}luu/", {**common, "value": "85,62"}).status_code == 302
    assert CityFigure.objects.get(unit=world.unit, year=YEAR).value == Decimal("85.62")


def test_what_if_reads_the_typed_values_the_vietnamese_way(
    world: World, client_for: Any, ratio_cycle: Cycle
) -> None:
    client = client_for(world.coordinator)
    response = client.post(
        f"{BASE}phan-tich/", {"cot": "self", "v-1.3": "1.100/1350", "v-1.2": "có"}, HTTP_HX_REQUEST="true"
    )
    what_if = response.context["what_if"]
    assert not what_if.problems
    # 3 × (1100 / 1350) / 0,9 = 2,72 points (read as 1,1/1.350 it was 0)
    assert [(code, after) for code, _name, _before, after in what_if.changes if code == "1.3"] == [
        ("1.3", Decimal("2.72"))
    ]
