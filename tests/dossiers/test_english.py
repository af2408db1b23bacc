"""The dossier import in the English interface: every row error in English, naming the row and the file's
own (Vietnamese) column."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from friendlygov.dossiers import services
from friendlygov.dossiers.models import Dossier
from tests.dossiers.helpers import GOOD_ROWS, csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_import_errors_in_english(world: World) -> None:
    rows = [row[:] for row in GOOD_ROWS]
    rows[1][2] = "32/13/2026"  # row 3: received
    rows[2][7] = "Zalo"  # row 4: channel
    rows[3][0] = "H26-0001"  # row 5: duplicate receipt number
    rows[4][4] = "01/02/2026"  # row 6: finished before received
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.import_dossiers(
            actor=world.coordinator, unit=world.unit, data=csv_bytes(rows), filename="h.csv"
        )
    assert error.value.messages == [
        "Row 3, column «Ngày tiếp nhận»: «32/13/2026» is not a valid date.",
        "Row 4, column «Kênh nộp»: «Zalo» is not valid (write «Trực tiếp», «Trực tuyến» or «Bưu chính»).",
        "Row 5, column «Số hồ sơ»: receipt number «H26-0001» repeats row 2.",
        "Row 6, column «Ngày có kết quả»: the result date is before the receipt date.",
    ]
    assert not Dossier.objects.exists()


def test_import_page_lists_english_errors(world: World, client_for: Any) -> None:
    bad = [row[:] for row in GOOD_ROWS]
    bad[0][2] = "hôm qua"
    client = client_for(world.member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/don-vi/thanh-mien/ho-so/nhap/", {"file": SimpleUploadedFile("h.csv", csv_bytes(bad), "text/csv")}
    )
    body = response.content.decode()
    assert (
        "Row 2, column «Ngày tiếp nhận»: «hôm qua» is not a valid date "
        "(write dd/mm/yyyy or dd/mm/yyyy hh:mm)." in body
    )
    assert "không phải ngày hợp lệ" not in body


def test_settings_errors_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.update_settings(
            actor=world.coordinator,
            unit=world.unit,
            online_max_points=Decimal(120),
            digitisation_max_points=Decimal(5),
        )
    assert error.value.message_dict == {"online_max_points": ["The maximum points must be from 0 to 100."]}
