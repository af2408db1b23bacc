"""The English interface shows no Vietnamese outside data (names of units, bodies and people; the column
headers a file must carry), and counts read "1 document", "2 documents"."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from friendlygov.org import services as org_services
from friendlygov.org.models import Body, Unit
from tests.factories import World

VI_LETTERS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VI_WORD = re.compile(rf"[\w-]*[{VI_LETTERS}][\w-]*", re.IGNORECASE)
#: Abbreviations in official references ("QĐ 766/QĐ-TTg", "Nghị định 30/2020/NĐ-CP") and the language
#: switcher's own name for Vietnamese are not interface text to translate.
ALLOWED_WORDS = {"QĐ", "NĐ", "QĐ-TTg", "NĐ-CP", "Tiếng", "Việt"}
VISIBLE_ATTRIBUTES = re.compile(r'\s(?:title|aria-label|placeholder|alt|data-label)="([^"]*)"')


def _data(world: World) -> list[str]:
    """Texts that are data, longest first (so "Phòng Văn hóa - Xã hội" goes before "Xã")."""
    texts: set[str] = set()
    for unit in Unit.objects.all():
        texts |= {unit.full_name, unit.name}
    for body in Body.objects.all():
        texts |= {body.name, *body.aliases}
    texts |= {c.title for c in org_services.ACCOUNT_COLUMNS}
    texts |= {"Xã", "Phường", "Đặc khu"}  # the words a file may put before a unit's name
    return sorted(texts, key=len, reverse=True)


def _vietnamese_left(page: str, data: list[str]) -> list[str]:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    main = page.split("<body", 1)[1]
    texts = [*re.split(r"<[^>]+>", main), *VISIBLE_ATTRIBUTES.findall(main)]
    left = []
    for text in texts:
        text = html.unescape(text)
        for item in data:
            text = text.replace(item, " ")
        left += [w for w in VI_WORD.findall(text) if w not in ALLOWED_WORDS]
    return sorted(set(left))


PAGES = {
    "coordinator": [
        "/don-vi/thanh-mien/",
        "/don-vi/thanh-mien/to-chuc/",
        "/don-vi/thanh-mien/ho-so/",
        "/don-vi/thanh-mien/ke-hoach/",
    ],
    "unit_admin": [
        "/don-vi/thanh-mien/tai-khoan/",
        "/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/",
        "/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/ket-qua/?id={coordinator}",
    ],
}


@pytest.mark.parametrize(("who", "url"), [(who, url) for who, urls in PAGES.items() for url in urls])
def test_main_pages_in_english_have_no_vietnamese_interface_text(
    world: World, client_for: Any, who: str, url: str
) -> None:
    client = client_for(world.users[who])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url.format(coordinator=world.coordinator.pk))
    assert response.status_code == 200
    left = _vietnamese_left(response.content.decode(), _data(world))
    assert not left, f"{url}: Vietnamese left in the English page: {left}"


def test_english_import_errors_are_english(world: World) -> None:
    data = "Tên đăng nhập,Họ và tên,Thư điện tử,Đơn vị,Vai trò,Cơ quan\n,Trần Kinh Tế,,Gia Lộc,Theo dõi,\n".encode()
    with translation.override("en"), pytest.raises(Exception) as error:
        org_services.import_accounts(
            actor=world.users["unit_admin"], scope=world.unit, data=data, filename="tk.csv"
        )
    assert error.value.messages == ["Row 2, column «Tên đăng nhập»: must not be empty."]  # type: ignore[attr-defined]


def test_counts_in_english_are_singular_for_one(world: World) -> None:
    operations = {"unit": world.unit, "year": 2026, "quarter_label": "Quý I", "reach": 5, "budget": {}}
    plans = {
        "unit": world.unit,
        "year": 2026,
        "plan": SimpleNamespace(pk=1),
        "has_tasks": True,
        "late": [],
        "soon": [],
    }
    with translation.override("en"):
        one = render_to_string("operations/panel_unit.html", {"p": {**operations, "count": 1, "waiting": 1}})
        two = render_to_string("operations/panel_unit.html", {"p": {**operations, "count": 2, "waiting": 2}})
        plan_one = render_to_string(
            "plans/panel_home.html", {"p": {**plans, "late_count": 1, "soon_count": 1}}
        )
        plan_two = render_to_string(
            "plans/panel_home.html", {"p": {**plans, "late_count": 2, "soon_count": 2}}
        )
    assert "1 document awaiting signature" in one and "documents" not in one
    assert "2 documents awaiting signature" in two
    assert '<span class="stat">1</span> activity,' in one and '<span class="stat">2</span> activities,' in two
    assert "1 task late" in plan_one and "1 deadline in the next 30 days" in plan_one
    assert "2 tasks late" in plan_two and "2 deadlines in the next 30 days" in plan_two
