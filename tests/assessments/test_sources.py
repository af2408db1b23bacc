"""Measured figures: the registry never crashes, shows where a figure came from, and the city's
published figures (entered or imported) feed city.par_index / city.sipas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import selectors, services, sources
from friendlygov.assessments.models import CityFigure, Cycle
from friendlygov.rules.figures import MeasuredFigure
from tests.assessments.conftest import YEAR
from tests.factories import World


def fake_figure(*, unit: Any, year: int) -> MeasuredFigure:
    return MeasuredFigure(percent=Decimal("72.5"), label=f"Đo thử năm {year}", numerator=29, denominator=40)


def broken_figure(*, unit: Any, year: int) -> MeasuredFigure:
    raise RuntimeError("half built")


def none_figure(*, unit: Any, year: int) -> None:
    return None


@pytest.mark.parametrize(
    "path",
    [
        "friendlygov.nowhere.selectors.figure",
        "tests.assessments.test_sources.broken_figure",
        "tests.assessments.test_sources.none_figure",
    ],
)
def test_missing_or_failing_selectors_mean_no_data(
    world: World, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setitem(
        sources.SOURCES, "service.on_time", sources.Source("service.on_time", path, "Đúng hạn")
    )
    reading = sources.read_source("service.on_time", unit=world.unit, year=YEAR)
    assert reading.figure is None and reading.provenance == "chưa có số liệu" and not reading.available


def test_unknown_source_key_is_named(world: World) -> None:
    reading = sources.read_source("khong.co", unit=world.unit, year=YEAR)
    assert reading.figure is None and "khong.co" in reading.label


def test_every_registered_source_answers_without_crashing(world: World) -> None:
    for key in sources.SOURCES:
        reading = sources.read_source(key, unit=world.unit, year=YEAR)
        assert reading.figure is None or isinstance(reading.figure, MeasuredFigure)


def test_a_measured_figure_is_the_value_and_shows_its_provenance(
    world: World, scoring: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        sources.SOURCES,
        "city.sipas",
        sources.Source("city.sipas", "tests.assessments.test_sources.fake_figure", "Thử"),
    )
    data = selectors.load_cycle_data(scoring)
    assert data.raw("self", "2.2") == "72.5%"
    assert data.result("self").criterion("2.2").points == Decimal("2.9")  # type: ignore[union-attr]
    row = next(r for r in selectors.criterion_rows(data) if r.code == "2.2")
    assert row.provenance == f"Đo thử năm {YEAR}"
    no_data = next(r for r in selectors.criterion_rows(data) if r.code == "1.3")
    assert no_data.provenance == "chưa có số liệu" and no_data.points["self"] is None  # "chưa chấm", not 0


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


def test_read_sources_equals_reading_unit_by_unit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    units = [world.unit, world.other]
    for key in sources.SOURCES:
        assert sources.read_sources(key, units=units, year=YEAR) == {
            unit.pk: sources.read_source(key, unit=unit, year=YEAR) for unit in units
        }
    monkeypatch.setitem(
        sources.SOURCES,
        "survey.sipas",
        sources.Source(
            "survey.sipas",
            "tests.assessments.test_sources.fake_figure",
            "Thử",
            batch_path="tests.assessments.test_sources.broken_batch",
        ),
    )
    readings = sources.read_sources("survey.sipas", units=units, year=YEAR)  # the batch fails: one by one
    assert all(reading.figure == fake_figure(unit=None, year=YEAR) for reading in readings.values())
