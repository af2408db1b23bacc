"""The city's figures page: its entry and import forms post to their own addresses (so-lieu/luu/,
so-lieu/nhap/). A user of a commune (who may not read the city's pages) gets 404 there, a city reader
who does not appraise 403, a GET 405; the page itself takes no POST."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.assessments.models import CityFigure
from friendlygov.org.models import Role
from tests.factories import World, make_user

PAGE = "/thanh-pho/hai-phong/danh-gia/so-lieu/"


@pytest.mark.parametrize("path", ["luu/", "nhap/"])
def test_each_form_its_own_address(world: World, client_for: Any, path: str) -> None:
    data = {"unit": world.unit.pk, "year": 2026, "kind": "par_index", "value": "84,3", "decision": "QĐ 5"}
    assert client_for(world.leader).post(f"{PAGE}{path}", data).status_code == 404
    city_observer = make_user("city_observer", Role.OBSERVER, world.city)
    assert client_for(city_observer).get(PAGE).status_code == 200
    assert client_for(city_observer).post(f"{PAGE}{path}", data).status_code == 403
    reviewer = client_for(world.reviewer)
    page = reviewer.get(PAGE).content.decode()
    assert f'action="{PAGE}{path}"' in page
    assert reviewer.get(f"{PAGE}{path}").status_code == 405
    assert reviewer.post(PAGE, data).status_code == 405
    assert not CityFigure.objects.exists()
