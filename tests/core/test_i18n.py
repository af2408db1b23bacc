"""The English locale: pages switch language, and every extracted string has an English translation."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings

import friendlygov
from tests.factories import World

PACKAGE = Path(friendlygov.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
RERUN = (
    "add the English text to TRANSLATIONS in friendlygov/locale/translate_en.py, then run "
    "`.venv/bin/python friendlygov/locale/translate_en.py` (extracts, fills and compiles django.po/.mo)"
)


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("friendlygov_translate_en", LOCALE / "translate_en.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def entries() -> list[Any]:
    tool = _tool()
    return [e for e in tool.parse_po(PO.read_text(encoding="utf-8")) if e.raw_keys and e.msgid]


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
    missing = [e.msgid for e in entries if not e.translated]
    assert not missing, (
        f"{len(missing)} string(s) in {PO.relative_to(PACKAGE.parent)} have no English (empty or fuzzy), "
        f"e.g. {missing[:5]!r}. To fix: {RERUN}."
    )


def test_mo_is_compiled_from_po(entries: list[Any]) -> None:
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            ok = catalog.gettext(entry.msgid) == entry.msgstr[0]
        else:
            ok = catalog.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0] and (
                catalog.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr[1]
            )
        if not ok:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date for {stale[:5]!r}. To fix: {RERUN}."


def test_translations_keep_placeholders(entries: list[Any]) -> None:
    tool = _tool()
    bad = [
        e.msgid
        for e in entries
        if e.translated
        and any(
            tool._placeholders(text) != tool._placeholders(e.msgid if i == 0 else e.msgid_plural)
            for i, text in e.msgstr.items()
        )
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
        if "migrations" in path.parts or path.parent == LOCALE:
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
