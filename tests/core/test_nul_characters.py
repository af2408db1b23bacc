"""A NUL character in a query string or a JSON body is refused (400 on pages, 422 on the API), never a 500 (PostgreSQL cannot
compare or store one; SQLite can, so this holds the line on both databases)."""

from __future__ import annotations

import json
from typing import Any

from tests.factories import World


def test_a_nul_in_a_query_string_is_a_bad_request(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    for url in ("/don-vi/thanh-mien/phan-anh/?q=a%00b", "/don-vi/thanh-mien/nhat-ky/?actor=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
    assert client.get("/don-vi/thanh-mien/phan-anh/?q=ab").status_code == 200


def test_a_nul_in_an_api_request_is_invalid_input_in_json(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    response = client.post(
        "/api/feedback/public/thanh-mien/submit",
        json.dumps({"subject": "a\u0000b", "content": "Nội dung phản ánh đủ dài"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]
    listed = client.get("/api/feedback/units/thanh-mien/figures?year=%00")
    assert listed.status_code == 422
