"""The audit log: what the services write (old and new values), that nobody can change it, and the page
that shows it — to the unit's own people only, in words rather than column names."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from friendlygov.audit import services as audit
from friendlygov.audit.models import SYSTEM_ACTOR, AuditEvent
from friendlygov.audit.selectors import object_type_label, readable_changes, unit_history
from friendlygov.org import services as org_services
from friendlygov.org.models import Body
from tests.factories import World


def test_snapshot_and_diff_keep_plain_values(world: World) -> None:
    body = world.bodies["VHXH"]
    shot = audit.snapshot(body, ["name", "unit", "is_active"])
    assert shot == {"name": "Phòng Văn hóa - Xã hội", "unit": world.unit.pk, "is_active": True}
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
    assert audit._plain(dt.date(2026, 2, 14)) == "2026-02-14"
    assert audit._plain(decimal.Decimal("81.48")) == "81.48"
    assert audit._plain([world.unit, {"x": dt.date(2026, 1, 2)}]) == [world.unit.pk, {"x": "2026-01-02"}]


def test_a_service_records_who_changed_what_from_what_to_what(world: World) -> None:
    body = world.bodies["PVHCC"]
    org_services.update_body(actor=world.users["unit_admin"], body=body, head_name="Nguyễn Văn An")
    event = AuditEvent.objects.filter(object_type="org.body", object_id=str(body.pk)).latest("id")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == world.users["unit_admin"] and event.actor_name == "Unit_Admin"
    assert event.unit_id == world.unit.pk
    assert event.changes["head_name"] == ["", "Nguyễn Văn An"]


def test_nothing_changed_records_nothing(world: World) -> None:
    body = world.bodies["KT"]
    before = audit.snapshot(body)
    assert audit.record_update(actor=None, unit_id=world.unit.pk, obj=body, before=before) is None


def test_system_changes_are_signed_by_the_system(world: World) -> None:
    event = audit.record_transition(
        actor=None, unit_id=world.unit.pk, obj=world.bodies["KT"], field="is_active", old=True, new=False
    )
    assert event.actor is None and event.actor_name == SYSTEM_ACTOR
    assert event.changes == {"is_active": [True, False]}


def test_the_log_is_append_only(world: World) -> None:
    event = audit.record_create(actor=world.coordinator, unit_id=world.unit.pk, obj=world.bodies["KT"])
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changes_read_with_labels_and_choice_names(world: World) -> None:
    body = world.bodies["TN"]
    event = audit.record(
        actor=world.coordinator,
        unit_id=world.unit.pk,
        action=AuditEvent.Action.UPDATE,
        obj=body,
        changes={
            "kind": [Body.Kind.VILLAGE, Body.Kind.RESIDENTIAL_GROUP],
            "is_active": [True, False],
            "gone": [1, 2],
        },
    )
    lines = {line.field: line for line in readable_changes(event)}
    assert (lines["kind"].label, lines["kind"].old, lines["kind"].new) == ("loại", "Thôn", "Tổ dân phố")
    assert (lines["is_active"].label, lines["is_active"].old, lines["is_active"].new) == (
        "đang hoạt động",
        "có",
        "không",
    )
    # A field the model no longer has is still shown, by its stored name.
    assert (lines["gone"].label, lines["gone"].old, lines["gone"].new) == ("gone", "1", "2")
    assert object_type_label("org.body") == "cơ quan, tổ chức"
    assert object_type_label("vanished.model") == "vanished.model"


def test_history_filters(world: World) -> None:
    audit.record_create(actor=world.coordinator, unit_id=world.unit.pk, obj=world.bodies["KT"])
    audit.record_create(actor=world.outsider, unit_id=world.other.pk, obj=world.other_bodies["KT"])
    mine = unit_history(unit_id=world.unit.pk)
    assert {e.unit_id for e in mine} == {world.unit.pk}
    assert unit_history(unit_id=world.unit.pk, actor_query="coord").count() == mine.count()
    assert unit_history(unit_id=world.unit.pk, action=AuditEvent.Action.DELETE).count() == 0


def test_history_page_shows_words_not_columns_and_hides_other_units(world: World, client_for: Any) -> None:
    org_services.update_body(
        actor=world.users["unit_admin"], body=world.bodies["PVHCC"], head_name="Trần Thị Bình"
    )
    page = client_for(world.coordinator).get("/don-vi/thanh-mien/nhat-ky/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Bình" in body and "Người đứng đầu" in body
    assert "<code>head_name</code>" not in body
    # dd/mm/yyyy filters, read strictly: a bad date is ignored rather than a 500
    assert (
        client_for(world.coordinator)
        .get("/don-vi/thanh-mien/nhat-ky/?from=01/01/2020&to=31/12/2099")
        .status_code
        == 200
    )
    assert client_for(world.coordinator).get("/don-vi/thanh-mien/nhat-ky/?from=32/13/2020").status_code == 200
    assert client_for(world.outsider).get("/don-vi/thanh-mien/nhat-ky/").status_code == 404
