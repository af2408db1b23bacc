from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from friendlygov.feedback import services
from friendlygov.feedback.models import Feedback
from tests.factories import World

#: A phone number that appears nowhere else: if it shows on a public page or in a public answer, it leaked.
PHONE = "0987 123 459"
EMAIL = "nguoi.dan.bi.mat@example.vn"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def submit(world: World, *, contact: bool = True, **overrides: Any) -> Feedback:
    fields: dict[str, Any] = {
        "unit": world.unit,
        "topic": Feedback.Topic.PROCEDURE,
        "subject": "Hướng dẫn thủ tục khai sinh chưa rõ",
        "content": "Bảng niêm yết thành phần hồ sơ ở quầy bị mờ, tôi phải đi lại hai lần.",
    }
    if contact:
        fields["contact"] = services.ContactInput(
            name="Nguyễn Văn Bí Mật", phone=PHONE, email=EMAIL, address="Thôn Tháp Ngạn"
        )
        fields["consent"] = True
    fields.update(overrides)
    return services.submit_feedback(**fields)


@pytest.fixture
def item(world: World) -> Feedback:
    return submit(world)
