"""Measured figures: a selector without figure is "no data", a broken or missing one is an error; a figure
shows where it came from, and the city's published figures (entered or imported) feed city.par_index /
city.sipas."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services, sources
from friendlygov.assessments.models import CityFigure, CriteriaSetVersion, Cycle
from friendlygov.core import figures
from friendlygov.kit.registry import NotRegistered
from friendlygov.rules.figures import MeasuredFigure
from tests.assessments.conftest import TINY, YEAR, fresh
from tests.factories import World


def fake_figure(*, unit: Any, year: int) -> MeasuredFigure:
    return MeasuredFigure(percent=Decimal("72.5"), label=f"Đo thử năm {year}", numerator=29, denominator=40)


def broken_figure(*, unit: Any, year: int) -> MeasuredFigure:
    raise RuntimeError("half built")


def none_figure(*, unit: Any, year: int) -> None:
    return None


def figure_source(key: str, single: Any, batch: Any = None) -> figures.FigureSource:
    return figures.FigureSource(key, figures.SOURCE_LABELS[key], single, batch)


def test_a_selector_without_figure_means_no_data(world: World) -> None:
    with figures.SOURCES.overridden("service.on_time", figure_source("service.on_time", none_figure)):
        reading = sources.read_source("service.on_time", unit=world.unit, year=YEAR)
    assert reading.figure is None and reading.provenance == "chưa có số liệu" and not reading.available


def test_a_failing_selector_fails_loudly(world: World) -> None:
    broken = figure_source("service.on_time", broken_figure)
    with (
        figures.SOURCES.overridden("service.on_time", broken),
        pytest.raises(RuntimeError, match="half built"),
    ):
        sources.read_source("service.on_time", unit=world.unit, year=YEAR)


def test_a_selector_returning_something_else_is_an_error(world: World) -> None:
    def text_figure(*, unit: Any, year: int) -> str:
        return "72,5%"

    wrong = figure_source("service.on_time", text_figure)
    with (
        figures.SOURCES.overridden("service.on_time", wrong),
        pytest.raises(TypeError, match="service.on_time"),
    ):
        sources.read_source("service.on_time", unit=world.unit, year=YEAR)


def test_an_unregistered_source_key_is_an_error(world: World) -> None:
    with pytest.raises(NotRegistered, match="khong.co"):
        sources.read_source("khong.co", unit=world.unit, year=YEAR)
    with pytest.raises(NotRegistered, match="khong.co"):
        sources.read_sources("khong.co", units=[world.unit], year=YEAR)
    with pytest.raises(NotRegistered):
        sources.source_label("khong.co")


def _naming(key: str) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    data["criteria"][0]["children"][2]["source"] = key  # 1.3
    return data


def test_a_criteria_set_naming_a_source_no_area_measures_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.add_criteria_set(
            actor=world.reviewer, city=world.city, data=_naming("thon.van_hoa"), origin="yaml"
        )
    assert info.value.message_dict == {
        "file": [
            "Tiêu chí 1.3: nguồn số liệu «thon.van_hoa» không có trong hệ thống "
            f"(các nguồn có: {', '.join(figures.SOURCES)})."
        ]
    }
    with pytest.raises(ValidationError) as info:
        services.import_criteria_set_yaml(
            actor=world.reviewer,
            city=world.city,
            text=yaml.safe_dump(_naming("khong.co"), allow_unicode=True),
        )
    assert "khong.co" in info.value.message_dict["yaml"][0]
    assert not CriteriaSetVersion.objects.exists()


def test_editing_a_set_to_name_an_unregistered_source_is_refused(
    world: World, tiny_set: CriteriaSetVersion
) -> None:
    with pytest.raises(ValidationError) as info:
        services.edit_criteria_set(actor=world.reviewer, criteria_set=tiny_set, data=_naming("khong.co"))
    assert "«khong.co»" in info.value.message_dict["data"][0]
    tiny_set.refresh_from_db()
    assert crit.parsed(tiny_set).criterion("1.3").source == "city.par_index"  # type: ignore[union-attr]


def test_a_stored_set_naming_an_unregistered_source_fails_at_run_time(world: World, scoring: Cycle) -> None:
    """A set stored before its source was withdrawn (never through the services): reading it is an error."""
    row = scoring.criteria_set
    data = copy.deepcopy(row.data)
    data["criteria"][0]["children"][2]["source"] = "khong.co"
    CriteriaSetVersion.objects.filter(pk=row.pk).update(data=data, data_sha256=crit.data_sha256(data))
    with pytest.raises(NotRegistered, match="khong.co"):
        selectors.load_cycle_data(fresh(scoring))


def test_every_registered_source_answers(world: World) -> None:
    for key in figures.SOURCES:
        reading = sources.read_source(key, unit=world.unit, year=YEAR)
        assert reading.figure is None or isinstance(reading.figure, MeasuredFigure)


def test_a_measured_figure_is_the_value_and_shows_its_provenance(world: World, scoring: Cycle) -> None:
    with figures.SOURCES.overridden("city.sipas", figure_source("city.sipas", fake_figure)):
        data = selectors.load_cycle_data(scoring)
    assert data.raw("self", "2.2") == "72.5%"
    assert data.result("self").criterion("2.2").points == Decimal("2.9")  # type: ignore[union-attr]
    row = next(r for r in selectors.criterion_rows(data) if r.code == "2.2")
    assert row.provenance == f"Đo thử năm {YEAR}"
    no_data = next(r for r in selectors.criterion_rows(data) if r.code == "1.3")
    assert no_data.provenance == "chưa có số liệu" and no_data.points["self"] is None  # "chưa chấm", not 0


def test_a_broken_source_breaks_the_assessment_page_not_into_no_data(
    world: World, scoring: Cycle, client_for: Any
) -> None:
    """A selector that raises is a fault: the criterion page and the cycle's data fail, they never say
    "chưa có số liệu"."""
    with figures.SOURCES.overridden("city.sipas", figure_source("city.sipas", broken_figure)):
        with pytest.raises(RuntimeError, match="half built"):
            selectors.load_cycle_data(scoring)
        client = client_for(world.coordinator)
        with pytest.raises(RuntimeError, match="half built"):
            client.get(f"/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/2.2/")


def test_city_figures_feed_the_city_sources(world: World) -> None:
    assert selectors.city_par_index_figure(unit=world.unit, year=YEAR) is None
    services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        kind="par_index",
        value="86,42",
        decision="QĐ 9/QĐ-UBND",
        published_on=dt.date(YEAR + 1, 3, 1),
    )
    figure = selectors.city_par_index_figure(unit=world.unit, year=YEAR)
    assert figure is not None and figure.percent == Decimal("86.42") and "QĐ 9/QĐ-UBND" in figure.label
    assert figure.as_score_value() == "86.42%"
    updated = services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        kind="par_index",
        value="87",
        decision="QĐ 10/QĐ-UBND",
        expected_version=1,
    )
    assert updated.version == 2 and CityFigure.objects.count() == 1


def test_city_figure_rules_and_permissions(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.save_city_figure(
            actor=world.reviewer, unit=world.unit, year=YEAR, kind="par_index", value="120", decision="QĐ"
        )
    assert "value" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.save_city_figure(
            actor=world.reviewer, unit=world.unit, year=YEAR, kind="sipas", value="80", decision=""
        )
    assert "decision" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.save_city_figure(
            actor=world.leader, unit=world.unit, year=YEAR, kind="sipas", value="80", decision="QĐ"
        )
    with pytest.raises(Http404):
        services.save_city_figure(
            actor=world.outsider, unit=world.unit, year=YEAR, kind="sipas", value="80", decision="QĐ"
        )


def test_import_city_figures_all_or_nothing(world: World) -> None:
    bad = (
        "Đơn vị,Năm,Chỉ số,Giá trị (%),Văn bản công bố,Ngày công bố\n"
        "thanh-mien,2026,PAR INDEX,85.5,QĐ 1/QĐ-UBND,20/03/2027\n"
        "không-có,2026,SIPAS,90,TB 2,\n"
        "gia-loc,2026,chỉ số lạ,90,TB 2,\n"
        "gia-loc,2026,SIPAS,190,TB 2,\n"
    )
    with pytest.raises(ValidationError) as info:
        services.import_city_figures(
            actor=world.reviewer, city=world.city, data=bad.encode(), filename="so-lieu.csv"
        )
    messages = info.value.messages
    assert any(m.startswith("Dòng 3, cột «Đơn vị»") for m in messages)
    assert any(m.startswith("Dòng 4, cột «Chỉ số»") for m in messages)
    assert any(m.startswith("Dòng 5, cột «Giá trị (%)»") for m in messages)
    assert not CityFigure.objects.exists()
    good = (
        "Đơn vị,Năm,Chỉ số,Giá trị (%),Văn bản công bố,Ngày công bố\n"
        'thanh-mien,2026,PAR INDEX,"85,5",QĐ 1/QĐ-UBND,20/03/2027\n'
        "Gia Lộc,2026,SIPAS,90,TB 2/TB-SNV,\n"
    )
    result = services.import_city_figures(
        actor=world.reviewer, city=world.city, data=good.encode(), filename="so-lieu.csv"
    )
    assert (result.created, result.updated) == (2, 0)
    assert CityFigure.objects.get(unit=world.unit).published_on == dt.date(2027, 3, 20)
    assert CityFigure.objects.get(unit=world.other).kind == "sipas"


def broken_batch(*, units: Any, year: int) -> dict[int, MeasuredFigure | None]:
    raise RuntimeError("half built")


def test_read_sources_equals_reading_unit_by_unit(world: World) -> None:
    units = [world.unit, world.other]
    for key in figures.SOURCES:
        assert sources.read_sources(key, units=units, year=YEAR) == {
            unit.pk: sources.read_source(key, unit=unit, year=YEAR) for unit in units
        }
    broken = figure_source("survey.sipas", fake_figure, broken_batch)
    with figures.SOURCES.overridden("survey.sipas", broken), pytest.raises(RuntimeError, match="half built"):
        sources.read_sources("survey.sipas", units=units, year=YEAR)  # no quiet fallback
