"""Each form of the signing pages posts to its own address: a user of another commune gets 404 there, one
who reads the unit but may not act 403 (nothing written), a GET 405; the pages themselves take no POST."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from friendlygov.documents.models import IssuedDocument
from friendlygov.operations.models import SignatureRequest
from friendlygov.signatures.models import DocumentSignature, SignatureImage
from tests.factories import World
from tests.signatures.app_pki import blank_pdf
from tests.signatures.conftest import signing_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world: World) -> SignatureRequest:
    return signing_request(world, title="Tờ trình", pdf=blank_pdf("Tờ trình"))


@pytest.mark.parametrize("name", ["unit_methods", "unit_certificate", "unit_seal"])
def test_unit_settings_forms(world: World, client_for: Any, name: str) -> None:
    page = reverse("signatures:unit_settings", args=[world.unit.slug])
    url = reverse(f"signatures:{name}", args=[world.unit.slug])
    data = {"pkcs12_enabled": "on"}
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.leader).post(url, data).status_code == 403  # reads the unit, does not manage it
    admin = client_for(world.users["unit_admin"])
    assert admin.get(url).status_code == 405
    assert admin.post(page, data).status_code == 405
    assert f'action="{url}"' in admin.get(page).content.decode()
    assert not SignatureImage.objects.exists()


@pytest.mark.parametrize("name", ["document_sign", "document_upload", "my_signature"])
def test_document_forms(world: World, letter: IssuedDocument, client_for: Any, name: str) -> None:
    page = reverse("signatures:document", args=[world.unit.slug, letter.pk])
    url = reverse(f"signatures:{name}", args=[world.unit.slug, letter.pk])
    data = {"method": "pkcs12"}
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.coordinator).post(url, data).status_code == 403  # not the signer
    assert client_for(world.leader).get(url).status_code == 405
    assert client_for(world.leader).post(page, data).status_code == 405
    assert not DocumentSignature.objects.exists() and not SignatureImage.objects.exists()


@pytest.mark.parametrize("name", ["request_sign", "request_upload"])
def test_request_forms(world: World, item: SignatureRequest, client_for: Any, name: str) -> None:
    page = reverse("signatures:request", args=[world.unit.slug, item.pk])
    url = reverse(f"signatures:{name}", args=[world.unit.slug, item.pk])
    data = {"method": "pkcs12"}
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.coordinator).post(url, data).status_code == 403  # does not lead the unit
    assert client_for(world.leader).get(url).status_code == 405
    assert client_for(world.leader).post(page, data).status_code == 405
    assert not DocumentSignature.objects.exists()
