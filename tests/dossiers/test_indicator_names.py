"""The QĐ 766 indicators are shown by name, never as "2.1 / 3.3 / 4.2 / 5.2 / 5.3", which read like the
programme's own criterion codes (criterion 2.1 is something else)."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.dossiers import selectors
from friendlygov.rules.service_index import INDICATOR_NAMES
from tests.dossiers.helpers import GOOD_ROWS, csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db

BARE_CODE = re.compile(r"(?<![\d.,/:])(?:2\.1|3\.3|4\.1|4\.2|5\.2|5\.3|5\.4)(?![\d.])")


def _main_text(page: str) -> str:
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)  # visible text only (attributes and URLs are not labels)
    return html.unescape(text)


@time_machine.travel("2026-06-01 09:00 +07:00", tick=False)
def test_no_page_labels_an_indicator_by_its_number(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for(world.coordinator)
    coordinator.post(
        "/don-vi/thanh-mien/ho-so/nhap/",
        {"file": SimpleUploadedFile("ho-so.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")},
    )
    figures = coordinator.get("/don-vi/thanh-mien/ho-so/?nam=2026").content.decode()
    for key in ("on_time", "online", "digitisation", "electronic"):
        assert INDICATOR_NAMES[key] in figures
    pages = {
        "figures": figures,
        "settings": coordinator.get("/don-vi/thanh-mien/ho-so/cai-dat/").content.decode(),
        "feedback": coordinator.get("/don-vi/thanh-mien/phan-anh/").content.decode(),
        "comparison": client_for(world.users["reviewer"])
        .get("/thanh-pho/hai-phong/ho-so/?nam=2026")
        .content.decode(),
    }
    assert "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn năm 2026" in pages["feedback"]
    assert INDICATOR_NAMES["on_time"] in pages["comparison"]
    for name, page in pages.items():
        found = BARE_CODE.findall(_main_text(page))
        assert not found, f"{name}: {found}"


@time_machine.travel("2026-06-01 09:00 +07:00", tick=False)
def test_excel_and_figure_labels_use_the_names(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for(world.coordinator)
    coordinator.post(
        "/don-vi/thanh-mien/ho-so/nhap/",
        {"file": SimpleUploadedFile("ho-so.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")},
    )
    response = client_for(world.users["reviewer"]).get("/thanh-pho/hai-phong/ho-so/so-sanh.xlsx?nam=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [str(c) for row in sheet.iter_rows(min_row=3, max_row=3, values_only=True) for c in row]  # type: ignore[union-attr]
    assert f"{INDICATOR_NAMES['on_time']} (%)" in header
    assert not [h for h in header if BARE_CODE.search(h)]
    figure = selectors.on_time_figure(unit=world.unit, year=2026)
    assert figure is not None and figure.label.startswith(f"{INDICATOR_NAMES['on_time']} năm 2026:")
    assert not BARE_CODE.search(figure.label)
    for function in (selectors.online_share_figure, selectors.digitisation_figure):
        found = function(unit=world.unit, year=2026)
        assert found is not None and not BARE_CODE.search(found.label)
