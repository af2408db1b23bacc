"""The dashboard's SVG charts: named and described for screen readers, text escaped, numbers the
Vietnamese way, round axis ticks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from friendlygov.assessments import dashboard_charts as charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_every_chart_is_an_image_named_by_its_title_and_well_formed() -> None:
    drawn = [
        charts.funnel([charts.Bar("Tất cả", 10), charts.Bar("Đã nộp", 4)], title="Giai đoạn", desc="d"),
        charts.paired_bars([("Mức 1", 3, 2)], series=("Đăng ký", "Đạt"), title="Mức", desc="d"),
        charts.ranked_bars(
            [charts.Bar("Xã A", Decimal("88.5"))], maximum=Decimal(100), title="Điểm", desc="d"
        ),
        charts.intervals(
            [charts.Interval("Xã A", Decimal("88.12"), Decimal("80"), Decimal("93.4"))],
            title="SIPAS",
            desc="d",
        ),
    ]
    for svg in drawn:
        root = _parse(svg)
        assert root.get("role") == "img"
        title_id, desc_id = (root.get("aria-labelledby") or "").split()
        assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
        assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
        assert "style=" not in svg  # the CSP forbids style attributes
    assert "88,50" in drawn[2] and "88,12% (80,0–93,4)" in drawn[3]
    assert "Đăng ký: 3" in drawn[1] and "Đạt: 2" in drawn[1]  # each series named in text, not colour alone
    assert "4 (40%)" in drawn[0]


def test_labels_are_escaped() -> None:
    svg = charts.ranked_bars(
        [charts.Bar("<script>x</script>", None)], maximum=Decimal(10), title='a"b<', desc="&"
    )
    _parse(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_ticks_and_axis_start() -> None:
    assert charts.ticks(105) == [0, 25, 50, 75, 100]
    assert charts.ticks(4) == [0, 1, 2, 3, 4]
    assert charts.ticks(114) == [0, 25, 50, 75, 100]
    assert charts.ticks(0) == [0]
    assert (
        charts.axis_start([82.7, 95.0]) == 80
        and charts.axis_start([41.0]) == 0
        and charts.axis_start([]) == 0
    )
