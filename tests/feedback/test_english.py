"""Feedback texts built in Python in the reader's language (issue 16): the consent error, and the state
named once on the detail page when its name is its type's."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import World
from tests.feedback.conftest import submit

pytestmark = pytest.mark.django_db


def test_consent_error_in_the_readers_language(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(world, consent=False)
    assert exc.value.message_dict["consent"] == [
        "To send your contact details, tick the consent box; or clear the contact details to send anonymously."
    ]
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        submit(world, consent=False)
    assert "đánh dấu đồng ý" in exc.value.message_dict["consent"][0]


def test_state_named_once_on_the_detail_page(world: World, client_for: Any) -> None:
    item = submit(world)
    client = client_for(world.coordinator)
    page = client.get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/").content.decode()
    assert "Mới tiếp nhận</strong>" in page and "(Mới tiếp nhận)" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/").content.decode()
    assert "(Newly received)" in page
