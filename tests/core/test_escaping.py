"""Text that people type (a body's name, a unit's new name, a decision, a search) comes back escaped on
every page that shows it: a script payload is shown as text, never run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from friendlygov.org import services

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"


def _assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert '"><img' not in html


@pytest.fixture
def payload_world(world: Any) -> Any:
    body = services.create_body(
        actor=world.users["unit_admin"],
        unit=world.unit,
        kind="office",
        name=f"Phòng {SCRIPT}",
        code="XSS",
        aliases=[ATTRIBUTE],
        head_name=SCRIPT,
        phone=ATTRIBUTE[:20],
    )
    services.rename_unit(
        actor=world.users["admin"],
        unit=world.unit,
        new_name=f"Thanh Miện {SCRIPT}",
        effective_date=dt.date(2026, 1, 1),
        decision=f"QĐ {ATTRIBUTE}",
    )
    world.unit.refresh_from_db()
    world.payload_body = body
    return world


def test_body_name_and_unit_history_render_escaped(payload_world: Any, client_for: Any) -> None:
    world = payload_world
    html = (
        client_for(world.coordinator).get(reverse("org:unit_detail", args=[world.unit.slug])).content.decode()
    )
    _assert_escaped(html)
    assert ESCAPED_SCRIPT in html  # the name is shown, as text
    assert "Lịch sử đơn vị" in html
    assert "QĐ &quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the decision in the history


def test_unit_name_is_escaped_on_the_home_pages_and_lists(payload_world: Any, client_for: Any) -> None:
    world = payload_world
    client = client_for(world.users["admin"])
    for url in (
        reverse("unit_home", args=[world.unit.slug]),
        reverse("city_home", args=[world.city.slug]),
        reverse("org:accounts", args=[world.unit.slug]),
        reverse("org:body_edit", args=[world.unit.slug, world.payload_body.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        _assert_escaped(html)
        assert "Content-Security-Policy" in response.headers


def test_a_search_term_is_reflected_escaped(world: Any, client_for: Any) -> None:
    response = client_for(world.reviewer).get(
        reverse("city_home", args=[world.city.slug]), {"q": ATTRIBUTE + SCRIPT}
    )
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_csp_forbids_inline_scripts_on_pages(world: Any, client_for: Any) -> None:
    response = client_for(world.coordinator).get(reverse("unit_home", args=[world.unit.slug]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_returns_payload_as_json_not_html(payload_world: Any, client_for: Any) -> None:
    response = client_for(payload_world.coordinator).get(f"/api/org/units/{payload_world.unit.slug}/bodies")
    assert response.status_code == 200
    names = [b["name"] for b in response.json()]
    assert f"Phòng {SCRIPT}" in names  # data as it was typed: JSON, which no browser runs as a page
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
