"""The change stamps (``audit.ChangeStamp``) are renewed by every kind of write, in its transaction: each
change the audit log records (not a login or a look at personal data), the kept counts of citizens' writes
(even when the counts come out the same), a rebuild of the counts and an administrator's edit (everything)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory

from friendlygov.audit import services as audit
from friendlygov.audit.models import EVERYTHING, AuditEvent
from friendlygov.audit.selectors import change_stamps
from friendlygov.org.models import Body
from friendlygov.tallies import services as tallies
from friendlygov.tallies import store
from friendlygov.tallies.models import FEEDBACK_TALLY_KEY, FeedbackTally
from tests.factories import World


def stamps(world: World) -> dict[int, str]:
    return change_stamps(scopes=[world.unit.pk, world.other.pk, world.city.pk, EVERYTHING])


def test_a_recorded_change_renews_its_units_stamp_only(world: World) -> None:
    before = stamps(world)
    body = world.bodies["VHXH"]
    audit.record_create(actor=world.coordinator, unit_id=world.unit.pk, obj=body)
    after = stamps(world)
    assert after[world.unit.pk] != before.get(world.unit.pk)
    assert {k: v for k, v in after.items() if k != world.unit.pk} == before
    again = stamps(world)
    audit.record(actor=world.coordinator, unit_id=world.unit.pk, action=AuditEvent.Action.LOGIN)
    audit.record(actor=world.coordinator, unit_id=world.unit.pk, action=AuditEvent.Action.VIEW_PERSONAL)
    assert stamps(world) == again  # reading or signing in changes nothing


def test_a_change_without_a_unit_renews_everything(world: World) -> None:
    before = stamps(world)
    audit.record_update(actor=None, unit_id=None, obj=world.bodies["VHXH"], before={}, note="sửa")
    assert stamps(world)[EVERYTHING] != before.get(EVERYTHING)


def test_kept_counts_renew_their_units_stamps_even_when_they_cancel(world: World) -> None:
    row = (world.unit.pk, "2026", "open", True, True, "none")
    assert FEEDBACK_TALLY_KEY == ("unit", "period", "state_type", "on_time", "on_time_at_year_end", "rating")
    before = stamps(world)
    store.add(FeedbackTally, FEEDBACK_TALLY_KEY, [(*row, 1), (*row, -1)])  # an item's history moved on
    after = stamps(world)
    assert after[world.unit.pk] != before.get(world.unit.pk)
    assert after.get(world.other.pk) == before.get(world.other.pk)


def test_a_stamp_renewed_in_a_transaction_rolled_back_is_not(world: World) -> None:
    before = stamps(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.renew_stamps(scopes=[world.unit.pk])
        raise RuntimeError
    assert stamps(world) == before


def test_a_rebuild_of_the_counts_renews_everything(world: World) -> None:
    before = stamps(world)
    tallies.rebuild()
    assert stamps(world)[EVERYTHING] != before.get(EVERYTHING)


def test_an_administrators_edit_renews_everything(world: World) -> None:
    body_admin: Any = site._registry[Body]
    request = RequestFactory().post("/quan-tri/")
    request.user = world.users["admin"]
    body = world.bodies["TN"]
    body.name = "Thôn Tháp Ngạn mới"
    before = stamps(world)
    body_admin.save_model(request, body, None, True)
    assert stamps(world)[EVERYTHING] != before.get(EVERYTHING)
    later = stamps(world)
    body_admin.delete_queryset(request, Body.objects.filter(pk=world.bodies["HB"].pk))
    assert stamps(world)[EVERYTHING] != later[EVERYTHING]


def test_an_update_with_nothing_to_log_still_renews_its_units_stamp(world: World) -> None:
    # the caller's snapshot may leave out a field that changed: the write renews the stamp all the same
    body = world.bodies["VHXH"]
    before = stamps(world)
    assert audit.record_update(actor=world.coordinator, unit_id=world.unit.pk, obj=body, before={}) is None
    assert stamps(world)[world.unit.pk] != before.get(world.unit.pk)
