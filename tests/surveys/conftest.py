from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from friendlygov.surveys import definitions, protection, services
from friendlygov.surveys.models import Questionnaire, Response, SurveyLink
from tests.factories import World


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the process cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sipas(world: World) -> Questionnaire:
    return Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")


@pytest.fixture
def link(world: World, sipas: Questionnaire) -> SurveyLink:
    return services.create_link(
        actor=world.coordinator,
        unit=world.unit,
        questionnaire=sipas,
        label="Bàn tiếp nhận",
        body=world.bodies["PVHCC"],
        receipt_mode=SurveyLink.ReceiptMode.OPTIONAL,
    )


def all_items(questionnaire: Questionnaire) -> list[str]:
    return definitions.item_codes(questionnaire.current_version().definition)


def form_data(
    questionnaire: Questionnaire,
    link: SurveyLink,
    answers: Mapping[str, int] | int = 4,
    *,
    receipt: str = "",
    honeypot: str = "",
    seconds_ago: float = 30,
    **extra: Any,
) -> dict[str, Any]:
    """POST data of the public page: positional field names, a form token opened ``seconds_ago``."""
    items = all_items(questionnaire)
    values = answers if isinstance(answers, Mapping) else dict.fromkeys(items, answers)
    data: dict[str, Any] = {
        f"i{n}": str(values[code]) for n, code in enumerate(items) if code in values and values[code]
    }
    data["started"] = protection.form_token(link.token, timezone.now() - dt.timedelta(seconds=seconds_ago))
    data["version"] = str(questionnaire.current_version().pk)
    if link.receipt_mode != SurveyLink.ReceiptMode.OFF:
        data["receipt_no"] = receipt
    data["website"] = honeypot
    data.update(extra)
    return data


def submit(link: SurveyLink, answers: Mapping[str, int | None], **kwargs: Any) -> Response:
    """A public answer through the service, sent 30 s after opening (a form token of its own) unless said
    otherwise."""
    kwargs.setdefault("started_at", timezone.now() - dt.timedelta(seconds=30))
    kwargs.setdefault("form_nonce", secrets.token_urlsafe(12))
    return services.submit_public_response(link=link, scale=answers, **kwargs)
