"""A slip in a pasted appendix ("xã, xã, đặc khu") is offered on the preview, never corrected silently: the
person accepts or refuses it, only the accepted ones are applied, and the audit names both."""

from __future__ import annotations

import json
from typing import Any

from friendlygov.audit.models import AuditEvent
from friendlygov.org import services as org_services
from friendlygov.plans.models import Plan, Task
from tests.factories import World
from tests.plans.conftest import SEED_APPENDIX

BASE = "/don-vi/thanh-mien/ke-hoach/"
SLIP = "xã, xã, đặc khu"


def _task_1(plan: Plan) -> str:
    return Task.objects.get(plan=plan, number="1", is_active=True).text


def _note(plan: Plan) -> str:
    return AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).latest("pk").note


def test_the_preview_offers_the_slip_and_saving_without_ticking_keeps_the_text(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    page = client.post(f"{url}xem-truoc/", {"action": "preview", "text": SEED_APPENDIX}).content.decode()
    assert 'id="loi-go"' in page and "«xã, xã» → «xã»" in page
    assert (
        'name="slip" value="2:' in page and "checked" not in page.split('id="loi-go"')[1].split("</table>")[0]
    )
    assert not Task.objects.filter(plan=plan).exists()  # the preview saves nothing
    response = client.post(
        f"{url}xac-nhan/", {"action": "confirm", "text": SEED_APPENDIX, "version": plan.version}
    )
    assert response.status_code == 302
    assert SLIP in _task_1(plan)
    assert "giữ nguyên (không sửa): «xã, xã» → «xã» (dòng 2)" in _note(plan)


def test_an_accepted_slip_is_corrected_and_audited(world: World, plan: Plan, client_for: Any) -> None:
    from friendlygov.plans.selectors import preview_appendix

    (slip,) = preview_appendix(plan=plan, text=SEED_APPENDIX).slips
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/nhap-phu-luc/"
    response = client.post(
        f"{url}xac-nhan/",
        {"action": "confirm", "text": SEED_APPENDIX, "version": plan.version, "slip": [slip.key]},
    )
    assert response.status_code == 302
    text = _task_1(plan)
    assert SLIP not in text and "tại xã, đặc khu trên địa bàn" in text
    assert "sửa lỗi gõ đã chấp nhận: «xã, xã» → «xã» (dòng 2)" in _note(plan)


def test_the_api_offers_slips_and_applies_only_the_accepted(world: World, plan: Plan, client: Any) -> None:
    headers = {
        "HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=world.coordinator, name='t')}"
    }
    preview = client.post(
        f"/api/plans/plans/{plan.pk}/appendix/preview",
        json.dumps({"text": SEED_APPENDIX}),
        content_type="application/json",
        **headers,
    ).json()
    (slip,) = preview["slips"]
    assert slip["found"] == "xã, xã" and slip["replacement"] == "xã" and slip["line"] == 2
    saved = client.post(
        f"/api/plans/plans/{plan.pk}/appendix",
        json.dumps(
            {"text": SEED_APPENDIX, "expected_version": plan.version, "accepted_slips": [slip["key"]]}
        ),
        content_type="application/json",
        **headers,
    )
    assert saved.status_code == 200, saved.content
    assert SLIP not in _task_1(plan)


def _form_data(plan: Plan, client: Any, url: str) -> dict[str, Any]:
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({"start_year": str(plan.start_year), "end_year": str(plan.end_year), "open_ended": "on"})
    return data


def test_the_plan_form_offers_slips_before_saving_and_applies_only_the_ticked(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/sua/"
    data = _form_data(plan, client, url)
    data["communication_texts"] = "Đề án thực hiện mô hình tại xã, xã, đặc khu\nQuyết định số 5049/QĐ-UBND"
    data["purposes"] = "a) Tổ chức tuyên truyền,, triển khai"
    shown = client.post(url, data)
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Có 2 chỗ có thể gõ nhầm" in page and 'id="loi-go"' in page
    assert 'value="communication_texts|1:' in page and 'value="purposes|1:' in page
    plan.refresh_from_db()
    assert plan.communication_texts == []  # nothing saved yet
    form = shown.context["form"]
    assert form.data["slips_reviewed"] == "True"
    key = next(s.key for name, s in form.slips if name == "communication_texts")
    saved = client.post(url, {**data, "slips_reviewed": "True", "slip": [f"communication_texts|{key}"]})
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.communication_texts == [
        "Đề án thực hiện mô hình tại xã, đặc khu",
        "Quyết định số 5049/QĐ-UBND",
    ]
    assert plan.purposes == "a) Tổ chức tuyên truyền,, triển khai"  # refused: kept as typed
    note = _note(plan)
    assert "sửa «xã, xã» → «xã» (dòng 1)" in note and "giữ nguyên «,,» → «,» (dòng 1)" in note


def test_a_plan_without_slips_saves_at_once(world: World, plan: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = f"{BASE}{plan.pk}/sua/"
    data = _form_data(plan, client, url)
    data["communication_texts"] = "Quyết định số 5049/QĐ-UBND"
    assert client.post(url, data).status_code == 302
