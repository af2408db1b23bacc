"""Who may sign an issued document or a signing request, decided once (``signatures/permissions.py``): the
flags for each standing and state, ``require`` (404 for a user of another commune, 403 for a reader who
is not the signer), and the pages offering the signing forms exactly when the services accept the signer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from friendlygov.documents.models import IssuedDocument
from friendlygov.operations import services as operations
from friendlygov.operations.models import SignatureRequest
from friendlygov.org.models import Role
from friendlygov.signatures import services
from friendlygov.signatures.permissions import document_signing_permissions, signing_request_permissions
from tests.decisions import decision
from tests.factories import OUTSIDERS, World, make_user
from tests.signatures.app_pki import blank_pdf
from tests.signatures.conftest import signing_request

pytestmark = pytest.mark.django_db

USERS = [
    "admin",
    "reviewer",
    "unit_admin",
    "leader",
    "deputy",
    "coordinator",
    "member",
    "observer",
    "outsider",
    "other_leader",
]


@pytest.fixture
def people(setup_unit: World) -> World:
    """The signing unit with a second leader, who is not the one the letter names."""
    setup_unit.users["deputy"] = make_user("pho_chu_tich", Role.UNIT_LEADER, setup_unit.unit)
    return setup_unit


# ------------------------------------------------------------------------------ issued documents


def test_only_the_named_leader_signs_a_document(people: World, letter: IssuedDocument) -> None:
    def signs(username: str) -> bool:
        return document_signing_permissions(people.users[username], letter).may_sign

    assert signs("leader")
    for username in ("deputy", "admin", "coordinator", "unit_admin", "observer", "reviewer"):
        assert not signs(username), username
    IssuedDocument.objects.filter(pk=letter.pk).update(signer_name="")  # names nobody: any of its leaders
    letter.refresh_from_db()
    assert signs("leader") and signs("deputy") and not signs("admin")  # the administrator never signs


@pytest.mark.parametrize("username", sorted(OUTSIDERS))
def test_a_user_of_another_commune_gets_404(people: World, letter: IssuedDocument, username: str) -> None:
    user = people.users[username]
    allowed = document_signing_permissions(user, letter)
    assert not allowed.reads and not allowed.may_sign
    with pytest.raises(Http404):
        allowed.require()
    item = signing_request(people, title="Tờ trình", pdf=blank_pdf("Tờ trình"))
    on_request = signing_request_permissions(user, item)
    assert not on_request.reads and not on_request.may_sign
    with pytest.raises(Http404):
        on_request.require()


def test_a_reader_who_is_not_the_signer_gets_403(people: World, letter: IssuedDocument) -> None:
    for username in ("deputy", "coordinator", "observer"):
        with pytest.raises(PermissionDenied):
            document_signing_permissions(people.users[username], letter).require()
    document_signing_permissions(people.leader, letter).require()  # held: no exception


Call = Callable[[Any], Any]


def standing_decision(call: Call, user: Any) -> bool | None:
    """Whether the service accepted ``user`` as the signer — True: it went on (and did it, or refused the
    empty file with its message); False: PermissionDenied; None: 404."""
    return decision(lambda: call(user), refusals=(PermissionDenied,), went_on=(ValidationError,))


@pytest.mark.parametrize("username", USERS)
def test_document_page_flag_equals_service_decision(
    people: World, letter: IssuedDocument, client_for: Any, username: str
) -> None:
    user = people.users[username]
    url = reverse("signatures:document", args=[people.unit.slug, letter.pk])
    response = client_for(user).get(url)
    assert response.status_code == (404 if username in OUTSIDERS else 200)
    decided = standing_decision(
        lambda who: services.upload_signed_document(actor=who, document=letter, data=b""), user
    )
    if response.status_code == 404:
        assert decided is None
        return
    assert decided is response.context["may_sign"], username
    refused = client_for(user).post(f"{url}tai-len/", {})
    assert refused.status_code == (400 if decided else 403)


# ------------------------------------------------------------------------------ signing requests


def test_a_request_is_signed_by_a_leader_while_it_waits(people: World) -> None:
    item = signing_request(people, title="Tờ trình", pdf=blank_pdf("Tờ trình"))
    for username in ("leader", "deputy", "admin"):
        allowed = signing_request_permissions(people.users[username], item)
        assert allowed.leads and allowed.waiting and allowed.may_sign, username
    for username in ("coordinator", "unit_admin", "member", "observer", "reviewer"):
        allowed = signing_request_permissions(people.users[username], item)
        assert allowed.reads and not allowed.leads and not allowed.may_sign, username
        with pytest.raises(PermissionDenied):
            allowed.require()
    operations.decide_signature(
        actor=people.leader, request=item, decision="returned", expected_version=None, reason="Sửa trích yếu"
    )
    item.refresh_from_db()
    allowed = signing_request_permissions(people.leader, item)
    assert allowed.leads and not allowed.waiting and not allowed.may_sign
    allowed.require()  # the standing holds; the state is the service's own message
    with pytest.raises(ValidationError) as refused:
        services.upload_signed_request(actor=people.leader, request=item, data=b"")
    assert "không ở trạng thái chờ ký" in refused.value.messages[0]


@pytest.mark.parametrize("status", [SignatureRequest.Status.WAITING, SignatureRequest.Status.SIGNED])
@pytest.mark.parametrize("username", USERS)
def test_request_pages_offer_what_the_services_do(
    people: World, client_for: Any, username: str, status: str
) -> None:
    user = people.users[username]
    item = signing_request(people, title="Tờ trình", pdf=blank_pdf("Tờ trình"))
    SignatureRequest.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    allowed = signing_request_permissions(user, item)
    client = client_for(user)
    for url, flag in (
        (reverse("signatures:request", args=[people.unit.slug, item.pk]), "may_sign"),
        (reverse("operations:signature_detail", args=[people.unit.slug, item.pk]), "may_sign_this"),
    ):
        response = client.get(url)
        assert response.status_code == (404 if username in OUTSIDERS else 200), url
        if response.status_code == 200:
            assert response.context[flag] is allowed.may_sign, url
    try:
        with transaction.atomic():
            services.upload_signed_request(actor=user, request=item, data=b"")
    except Http404:
        decided: bool | None = None
    except PermissionDenied:
        decided = False
    except ValidationError as exc:  # past the standing: the state, or the empty file
        decided = "không ở trạng thái chờ ký" not in exc.messages[0]
    assert decided is (None if username in OUTSIDERS else allowed.may_sign)
