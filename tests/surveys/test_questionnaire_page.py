"""The questionnaire pages offer an action exactly when the service would do it: the page's flag (from
``questionnaire_permissions``) equals the service's decision, for every user of the World and the three
kinds of questionnaire a commune's library shows (the product's, the city's, the commune's own). The edit
page's two forms post to their own addresses: a user of another commune gets 404 there, a reader 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from friendlygov.surveys import definitions, services
from friendlygov.surveys.models import Questionnaire
from friendlygov.surveys.permissions import questionnaire_permissions
from tests.decisions import decision
from tests.factories import OUTSIDERS, WORLD_USERS, World

LIBRARY = "/don-vi/thanh-mien/khao-sat/bang-hoi/"


def _text(q: Questionnaire) -> str:
    return definitions.definition_to_yaml(
        q.current_version().definition, include_questions=True, header=False
    )


Call = Callable[[Any, Questionnaire, World], Any]

ACTIONS: dict[str, Call] = {
    "may_edit": lambda user, q, world: services.save_definition(
        actor=user, questionnaire=q, expected_version=q.version, yaml_text=_text(q), note="sửa"
    ),
    "may_copy": lambda user, q, world: services.copy_questionnaire(actor=user, source=q, unit=world.unit),
}
SETTINGS: Call = lambda user, q, world: services.update_questionnaire(  # noqa: E731
    actor=user, questionnaire=q, expected_version=q.version, kind=q.kind, description="x", is_active=True
)


def service_decision(call: Call, user: Any, q: Questionnaire, world: World) -> bool | None:
    return decision(lambda: call(user, Questionnaire.objects.select_related("unit").get(pk=q.pk), world))


@pytest.fixture
def shown(world: World) -> dict[str, Questionnaire]:
    """The product's template, the city's copy and the commune's own copy."""
    template = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    city = services.copy_questionnaire(actor=world.users["admin"], source=template, unit=world.city)
    own = services.copy_questionnaire(actor=world.coordinator, source=template, unit=world.unit)
    return {"library": template, "city": city, "own": own}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_page_flag_equals_service_decision(
    world: World, client_for: Any, shown: dict[str, Questionnaire], username: str
) -> None:
    user = world.users[username]
    client = client_for(user)
    for kind, q in shown.items():
        response = client.get(f"{LIBRARY}{q.pk}/")
        if username in OUTSIDERS:
            assert response.status_code == 404, kind
            if kind == "own":  # the service too; the product's template they read through their own unit
                assert {service_decision(call, user, q, world) for call in ACTIONS.values()} == {None}
            continue
        assert response.status_code == 200, kind
        perms = response.context["allowed"]
        for flag, call in ACTIONS.items():
            assert service_decision(call, user, q, world) is getattr(perms, flag), f"{username} {kind} {flag}"
        assert service_decision(SETTINGS, user, q, world) is perms.may_edit, f"{username} {kind} settings"
        edit = client.get(f"{LIBRARY}{q.pk}/sua/").status_code
        assert edit == (200 if perms.may_edit else 403), f"{username} {kind} edit page"


def test_the_flags_say_who_does_what(world: World, shown: dict[str, Questionnaire]) -> None:
    def may(username: str, kind: str) -> set[str]:
        perms = questionnaire_permissions(world.users[username], shown[kind], unit=world.unit)
        return {flag for flag in ACTIONS if getattr(perms, flag)}

    assert may("coordinator", "own") == {"may_edit"}
    assert may("coordinator", "library") == {"may_copy"}
    assert may("coordinator", "city") == {"may_copy"}
    assert may("admin", "library") == {"may_edit", "may_copy"}
    assert may("observer", "own") == set() and may("leader", "own") == set()


@pytest.mark.parametrize("path", ["sua/noi-dung/", "sua/thong-tin/"])
def test_each_form_its_own_address(
    world: World, client_for: Any, shown: dict[str, Questionnaire], path: str
) -> None:
    own = shown["own"]
    data = {"yaml_text": _text(own), "kind": own.kind, "description": "x", "version": own.version}
    assert client_for(world.outsider).post(f"{LIBRARY}{own.pk}/{path}", data).status_code == 404
    assert client_for(world.users["observer"]).post(f"{LIBRARY}{own.pk}/{path}", data).status_code == 403
    client = client_for(world.coordinator)
    page = client.get(f"{LIBRARY}{own.pk}/sua/").content.decode()
    assert f'action="{LIBRARY}{own.pk}/{path}"' in page
    assert client.get(f"{LIBRARY}{own.pk}/{path}").status_code == 405
    assert client.post(f"{LIBRARY}{own.pk}/sua/", data).status_code == 405  # the page takes no POST
    assert Questionnaire.objects.get(pk=own.pk).version == own.version  # nothing written


def test_settings_through_their_address(
    world: World, client_for: Any, shown: dict[str, Questionnaire]
) -> None:
    own = shown["own"]
    client = client_for(world.coordinator)
    url = f"{LIBRARY}{own.pk}/sua/thong-tin/"
    stale = client.post(url, {"kind": own.kind, "description": "Cũ", "version": own.version + 5})
    assert stale.status_code == 200 and "người khác cập nhật" in stale.content.decode()
    done = client.post(url, {"kind": own.kind, "description": "Dùng cho quầy", "version": own.version})
    assert done.status_code == 302 and done["Location"] == f"{LIBRARY}{own.pk}/"
    own.refresh_from_db()
    assert own.description == "Dùng cho quầy" and not own.is_active  # the box left unticked


def test_the_commune_does_not_copy_its_own(
    world: World, client_for: Any, shown: dict[str, Questionnaire]
) -> None:
    own = shown["own"]
    page = client_for(world.coordinator).get(f"{LIBRARY}{own.pk}/").content.decode()
    assert "sao-chep/" not in page
    with pytest.raises(ValidationError, match="đã là của đơn vị"):
        services.copy_questionnaire(actor=world.coordinator, source=own, unit=world.unit)
