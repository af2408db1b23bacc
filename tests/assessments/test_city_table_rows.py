"""The city table's rows (written by the ``city_table_rows`` tag, not a template loop) escape what people
typed and keep their cells: a unit with an open cycle links to it, one without says so."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from friendlygov.assessments.models import Cycle
from friendlygov.org.models import Unit
from tests.assessments.conftest import YEAR
from tests.factories import World

SCRIPT = '<script>alert("xss")</script>'


def test_rows_escape_names_and_keep_their_cells(world: World, scoring: Cycle, client_for: Any) -> None:
    Unit.objects.filter(pk=world.unit.pk).update(name=f"Thanh Miện {SCRIPT}")
    Unit.objects.filter(pk=world.other.pk).update(name=f'Bên "cạnh" {SCRIPT}')
    url = reverse("assessments:city_overview", args=[world.city.slug]) + f"?nam={YEAR}"
    html = client_for(world.reviewer).get(url).content.decode()
    assert SCRIPT not in html
    assert "Thanh Miện &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;</a>" in html  # linked: a cycle
    assert reverse("assessments:cycle_detail", args=[world.unit.slug, YEAR]) in html
    assert "Bên &quot;cạnh&quot; &lt;script&gt;" in html
    assert html.count("<tr data-unit=") == Unit.objects.filter(parent=world.city, is_active=True).count()
    assert "Chưa mở kỳ đánh giá năm này" in html  # the other commune has no cycle


def test_no_unit_found_says_so(world: World, scoring: Cycle, client_for: Any) -> None:
    url = reverse("assessments:city_overview", args=[world.city.slug]) + "?q=khongcodonvinaoten"
    html = client_for(world.reviewer).get(url).content.decode()
    assert "<tr data-unit=" not in html and "Thành phố chưa có đơn vị nào." in html
