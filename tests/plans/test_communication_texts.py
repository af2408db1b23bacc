"""Section III.1's texts to publicise are a field of the plan of their own: written by the API and the form,
shown on the plan page, read back by the API."""

from __future__ import annotations

import json
from typing import Any

from friendlygov.org import services as org_services
from friendlygov.plans.models import Plan
from tests.factories import World

TEXTS = [
    "Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng",
    "Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành phố",
]


def test_the_api_writes_and_reads_the_texts(world: World, client: Any) -> None:
    token = org_services.create_api_token(actor=world.coordinator, name="t")
    created = client.post(
        "/api/plans/units/thanh-mien/plans",
        json.dumps(
            {
                "title": "KH",
                "start_year": 2026,
                "end_year": 2030,
                "bases": ["Kế hoạch số 119/KH-UBND ngày 09/4/2026"],
                "communication_texts": TEXTS,
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["communication_texts"] == TEXTS and body["bases"] == [
        "Kế hoạch số 119/KH-UBND ngày 09/4/2026"
    ]
    read = client.get(f"/api/plans/plans/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert read["communication_texts"] == TEXTS


def test_the_form_edits_and_the_page_shows_the_texts(world: World, plan: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = f"/don-vi/thanh-mien/ke-hoach/{plan.pk}/sua/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({"start_year": "2026", "end_year": "2030", "open_ended": "on"})
    data["communication_texts"] = "\n".join(TEXTS) + "\n\n"
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.communication_texts == TEXTS
    page = client.get(f"/don-vi/thanh-mien/ke-hoach/{plan.pk}/").content.decode()
    assert "Văn bản trọng tâm tuyên truyền (mục III.1)" in page
    assert TEXTS[0] in page and TEXTS[1] in page
    assert client.get(url).context["form"].initial["communication_texts"] == "\n".join(TEXTS)
