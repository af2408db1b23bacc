"""The criterion page offers an action exactly when the service would do it: the page's flag (from
``criterion_permissions``) equals the service's decision, for every user of the World and both states of
the cycle (open for scoring, submitted for appraisal). A user of another commune gets 404 from both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from friendlygov.assessments import services
from friendlygov.assessments.models import Cycle
from tests.assessments.conftest import YEAR, figures, fresh, score_everything
from tests.decisions import assert_flags_agree, decision
from tests.factories import OUTSIDERS, WORLD_USERS, World

PAGE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/"

# 1.1: points, assigned to PVHCC (member); 2.1: checklist, assigned to TN (village); B: bonus, assigned to
# VHXH (the coordinator's office); 1.3: measured (city.par_index), under PVHCC's group; 1: a group.
CODES = ["1.1", "2.1", "B", "1.3", "1"]
VALUES = {"1.1": "2", "2.1": "1", "B": "1", "1.3": "8/10", "1": "1"}

Call = Callable[[Any, Cycle, str], Any]

ACTIONS: dict[str, Call] = {
    "may_score": lambda user, cycle, code: services.save_score(
        actor=user, cycle=cycle, criterion_code=code, value=VALUES[code]
    ),
    "may_attach_evidence": lambda user, cycle, code: services.attach_evidence(
        actor=user, cycle=cycle, criterion_code=code, note="Biên bản kiểm tra"
    ),
    "may_accept_measured": lambda user, cycle, code: services.accept_measured(
        actor=user, cycle=cycle, criterion_code=code
    ),
    "may_override": lambda user, cycle, code: services.override_measured(
        actor=user, cycle=cycle, criterion_code=code, value=VALUES[code], reason="Số liệu chưa cập nhật"
    ),
    "may_propose": lambda user, cycle, code: services.propose_score(
        actor=user, cycle=cycle, criterion_code=code, value=VALUES[code], reason="Chưa đủ minh chứng"
    ),
    "may_settle": lambda user, cycle, code: services.settle_score(
        actor=user, cycle=cycle, criterion_code=code, value=VALUES[code], reason="Theo biên bản họp"
    ),
    "may_appraise": lambda user, cycle, code: services.appraise_criterion(
        actor=user, cycle=cycle, criterion_code=code, accept=True
    ),
    "may_adopt_late": lambda user, cycle, code: services.adopt_late_figure(
        actor=user, cycle=cycle, criterion_code=code
    ),
}


def service_decision(call: Call, user: Any, cycle: Cycle, code: str) -> bool | None:
    return decision(lambda: call(user, fresh(cycle), code))


@pytest.fixture(params=["open", "submitted"])
def state(request: Any, world: World, scoring: Cycle) -> Cycle:
    figures(world)
    if request.param == "open":
        return scoring
    return fresh(services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring)))


@pytest.mark.parametrize("username", WORLD_USERS)
def test_page_flag_equals_service_decision(
    world: World, client_for: Any, state: Cycle, username: str
) -> None:
    user = world.users[username]
    client = client_for(user)
    for code in CODES:
        response = client.get(f"{PAGE}{code}/")
        if username in OUTSIDERS:
            assert response.status_code == 404, code
        else:
            assert response.status_code == 200, code
        perms = response.context["perms"] if response.status_code == 200 else None
        assert_flags_agree(
            perms,
            {flag: service_decision(call, user, state, code) for flag, call in ACTIONS.items()},
            f"{username} {state.status} {code}",
        )


def test_the_flags_say_who_does_what(world: World, state: Cycle) -> None:
    """The parity above is not empty: each action is someone's."""
    from friendlygov.assessments.permissions import criterion_permissions

    def may(username: str, code: str) -> set[str]:
        perms = criterion_permissions(world.users[username], state, code)
        return {flag for flag in ACTIONS if getattr(perms, flag)}

    if state.status == Cycle.Status.SUBMITTED:
        assert may("reviewer", "1.1") == {"may_appraise"}
        assert may("member", "1.1") == set()
        assert may("coordinator", "1.1") == set()
        return
    assert may("member", "1.1") == {"may_score", "may_attach_evidence"}
    assert may("member", "1.3") == {"may_attach_evidence", "may_accept_measured", "may_override"}
    assert may("village", "1.1") == set()
    assert may("village", "2.1") == {"may_score", "may_attach_evidence"}
    assert may("front", "1.1") == {"may_propose"}
    assert may("coordinator", "1.1") == {"may_score", "may_attach_evidence", "may_settle"}
    assert may("coordinator", "1") == set()  # a group is scored through its children
    assert may("reviewer", "1.1") == set()
    assert may("observer", "1.1") == set()


def test_each_action_has_its_own_address(world: World, client_for: Any, scoring: Cycle) -> None:
    """The score form posts to .../tieu-chi/1.1/cham/; a GET there is refused (405); the old address
    with ``action=score`` still works."""
    client = client_for(world.member)
    page = client.get(f"{PAGE}1.1/").content.decode()
    assert f'action="{PAGE}1.1/cham/"' in page
    assert f'action="{PAGE}1.1/minh-chung/"' in page
    assert client.get(f"{PAGE}1.1/cham/").status_code == 405
    response = client.post(f"{PAGE}1.1/cham/", {"score-value": "3", "score-expected_version": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}1.1/"
    response = client.post(f"{PAGE}1.1/" + "cham/", {"score-value": "2", "score-expected_version": "1"})
    assert response.status_code == 302
    invalid = client.post(f"{PAGE}1.1/cham/", {"score-value": "9", "score-expected_version": "2"})
    assert invalid.status_code == 200  # the page again, the form with its error
    assert invalid.context["score_form"].errors
    assert client_for(world.outsider).post(f"{PAGE}1.1/cham/", {"score-value": "1"}).status_code == 404
    assert (
        client_for(world.users["village"]).post(f"{PAGE}1.1/cham/", {"score-value": "1"}).status_code == 403
    )
