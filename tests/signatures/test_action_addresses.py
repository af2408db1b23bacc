"""Each form of the signing pages posts to its own address: a user of another commune gets 404 there, one
who reads the unit but may not act 403 (nothing written), a GET 405; the pages themselves take no POST."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from friendlygov.documents.models import IssuedDocument
from friendlygov.evidence.models import EvidenceFile
from friendlygov.operations.models import SignatureRequest
from friendlygov.signatures.models import DocumentSignature, SignatureImage
from tests.factories import World
from tests.signatures.app_pki import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world: World) -> SignatureRequest:
    pdf = blank_pdf("Tờ trình")
    evidence = EvidenceFile(
        unit=world.unit,
        original_name="to-trinh.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256="0" * 64,
        effective_date=dt.date(2026, 3, 2),
        uploaded_by=world.coordinator,
    )
    evidence.file.save("to-trinh.pdf", ContentFile(pdf), save=False)
    evidence.save()
    return SignatureRequest.objects.create(
        unit=world.unit,
        title="Tờ trình",
        document_kind="submission",
        file=evidence,
        requested_by=world.coordinator,
    )


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
