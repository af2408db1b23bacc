"""The English locale: pages switch language, and every extracted string has an English translation."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings

import friendlygov
from tests.factories import World

PACKAGE = Path(friendlygov.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
RERUN = (
    "run `make messages` (extracts the new strings into friendlygov/locale/en/LC_MESSAGES/django.po), write "
    "their English in the msgstr lines, then `make messages` again (compiles django.mo)"
)
_PLACEHOLDER = re.compile(r"%%|%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr]|\{[A-Za-z_][A-Za-z0-9_.]*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(set(_PLACEHOLDER.findall(text)))


def _translated(entry: polib.POEntry) -> bool:
    return entry.translated() and "fuzzy" not in entry.flags


@pytest.fixture(scope="module")
def entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO)) if e.msgid and not e.obsolete]


# --------------------------------------------------------------------------- pages


def _choose(client: Any, language: str) -> Any:
    """Pick a language the way the switcher does (the language cookie; Accept-Language is not followed)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_login_page_in_english(client: Any) -> None:
    body = _choose(client, "en").get("/dang-nhap/").content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body and "Password" in body and "Forgot password?" in body
    assert "Đăng nhập" not in body and "Mật khẩu" not in body


@pytest.mark.django_db
def test_login_page_in_vietnamese(client: Any) -> None:
    for chosen in ("", "vi"):
        body = _choose(client, chosen).get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'lang="vi"' in body
        assert "Đăng nhập" in body and "Mật khẩu" in body
        assert "Log in" not in body


def test_commune_home_in_english(world: World, client_for: Any) -> None:
    response = _choose(client_for(world.coordinator), "en").get("/don-vi/thanh-mien/")
    body = response.content.decode()
    assert response.status_code == 200
    for english in ("Overview", "Plan", "Feedback", "Log out", "Friendly Government"):
        assert english in body
    for vietnamese in ("Tổng quan", "Đăng xuất", "Phản ánh, kiến nghị", "Chính quyền thân thiện"):
        assert vietnamese not in body


# --------------------------------------------------------------------------- catalogue


def test_every_msgid_has_english(entries: list[Any]) -> None:
    missing = [e.msgid for e in entries if not _translated(e)]
    assert not missing, (
        f"{len(missing)} string(s) in {PO.relative_to(PACKAGE.parent)} have no English (empty or fuzzy), "
        f"e.g. {missing[:5]!r}. To fix: {RERUN}."
    )


def test_mo_is_compiled_from_po(entries: list[Any]) -> None:
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if not entry.msgid_plural:
            ok = catalog.gettext(entry.msgid) == entry.msgstr
        else:
            ok = catalog.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0] and (
                catalog.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
            )
        if not ok:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date for {stale[:5]!r}. To fix: {RERUN}."


def test_translations_keep_placeholders(entries: list[Any]) -> None:
    def texts(entry: polib.POEntry) -> list[tuple[str, str]]:
        if not entry.msgid_plural:
            return [(entry.msgid, entry.msgstr)]
        return [
            (entry.msgid if i == 0 else entry.msgid_plural, text) for i, text in entry.msgstr_plural.items()
        ]

    bad = [
        e.msgid
        for e in entries
        if _translated(e) and any(_placeholders(text) != _placeholders(source) for source, text in texts(e))
    ]
    assert not bad, f"English text drops or adds placeholders (%(x)s, {{x}}, %%): {bad[:5]!r}"


_TEMPLATE_TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+[^%]*)?%\}""")
_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def _source_strings() -> set[tuple[str, str]]:
    """Literal strings marked for translation in templates and Python code: (msgid, where)."""
    found: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("templates/**/*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in _TEMPLATE_TRANSLATE.finditer(path.read_text(encoding="utf-8")):
            if "context" not in match.group(0):
                # Django doubles "%" in template strings, both when extracting and when looking up.
                found.add((match.group(2).replace("%", "%%"), str(path.relative_to(PACKAGE))))
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in _GETTEXT_NAMES and name not in {"pgettext", "pgettext_lazy"}:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                    found.add((first.value, str(path.relative_to(PACKAGE))))
    return found


def test_marked_strings_are_extracted(entries: list[Any]) -> None:
    known = {e.msgid for e in entries}
    missing = sorted({(msgid, where) for msgid, where in _source_strings() if msgid not in known})
    assert not missing, (
        f"{len(missing)} marked string(s) are not in django.po, e.g. {missing[:5]!r}. To fix: {RERUN}."
    )
