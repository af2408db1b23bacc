"""Issue 19 item 2: the demo's Hải Phòng is the real city — its 114 units from the official list."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from friendlygov.kit.demo import DemoContext
from friendlygov.org import demo as org_demo
from friendlygov.org import services
from friendlygov.org.models import Body, Unit


def test_the_demo_city_holds_its_114_real_units(db: Any, client: Any) -> None:
    context = DemoContext()
    org_demo.load(context)
    city = context.city
    assert (city.slug, city.code) == ("hai-phong", "31")
    units = Unit.objects.filter(parent=city)
    assert units.count() == 114
    assert [units.filter(kind=k).count() for k in ("ward", "commune", "special_zone")] == [45, 67, 2]
    assert (context.unit.slug, context.unit.code) == ("thanh-mien", "11239")
    assert [u.slug for u in context.other_units] == org_demo.OTHER_UNITS
    assert {u.code for u in context.other_units} == {"10999", "11383", "11914", "11254", "11284"}
    # every unit carries its standard bodies; the light ones are the rest
    assert not units.filter(bodies__isnull=True).exists()
    assert Body.objects.filter(unit__in=context.extra["light_units"]).count() == 108 * 7
    # the city's page and the API list them, with their codes
    reviewer = context.users["sonoivu"]
    client.force_login(reviewer)
    html = client.get(reverse("city_home", args=["hai-phong"])).content.decode()
    assert html.count('href="/don-vi/') >= 114 and "11239" in html and "Bạch Long Vĩ" in html
    token = services.create_api_token(actor=reviewer, name="demo")
    rows = client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len([r for r in rows if r["parent"] == "hai-phong"]) == 114
    # loading the list again (what an administrator might do) changes nothing
    again = services.load_official_units(actor=None, province=org_demo.official_list.shipped()["31"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 114)
