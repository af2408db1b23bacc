"""The appendix import's two steps post to their own addresses (xem-truoc/, xac-nhan/): a user of another
commune gets 404 there, a reader of the unit 403, a GET 405; the import page itself takes no POST."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.plans.models import Plan, Task
from tests.factories import World
from tests.plans.conftest import SEED_APPENDIX

BASE = "/don-vi/thanh-mien/ke-hoach/"


@pytest.mark.parametrize("step", ["xem-truoc/", "xac-nhan/"])
def test_each_step_its_own_address(world: World, plan: Plan, client_for: Any, step: str) -> None:
    page = f"{BASE}{plan.pk}/nhap-phu-luc/"
    data = {"text": SEED_APPENDIX, "version": plan.version}
    assert client_for(world.outsider).post(f"{page}{step}", data).status_code == 404
    for reader in ("member", "leader", "observer"):
        assert client_for(world.users[reader]).post(f"{page}{step}", data).status_code == 403
    client = client_for(world.coordinator)
    assert client.get(f"{page}{step}").status_code == 405
    assert client.post(page, data).status_code == 405
    assert not Task.objects.exists()


def test_preview_then_confirm(world: World, plan: Plan, client_for: Any) -> None:
    page = f"{BASE}{plan.pk}/nhap-phu-luc/"
    client = client_for(world.coordinator)
    assert f'action="{page}xem-truoc/"' in client.get(page).content.decode()
    preview = client.post(f"{page}xem-truoc/", {"text": SEED_APPENDIX, "version": plan.version})
    assert preview.status_code == 200 and f'action="{page}xac-nhan/"' in preview.content.decode()
    assert not Task.objects.exists()  # nothing saved by the preview
    done = client.post(f"{page}xac-nhan/", {"text": SEED_APPENDIX, "version": plan.version})
    assert done.status_code == 302 and done["Location"] == f"{BASE}{plan.pk}/"
    assert Task.objects.filter(plan=plan).count() == 10
