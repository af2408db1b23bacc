"""Hostile input at the edges (issue 16): every page that lists or filters is walked with out-of-range,
malformed and odd values for each query parameter it reads — never a server error (400, or the value is
ignored) — and a malformed multipart body is refused, not a crash."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from friendlygov.assessments import services as assessment_services
from friendlygov.org import services as org_services
from friendlygov.plans import services as plan_services
from tests.assessments.conftest import TINY, YEAR
from tests.factories import World

HOSTILE = [
    "-1",
    "0",
    "99999999999999999999999",
    "1e400",
    "abc",
    "١٢",  # Arabic-Indic digits: str.isdigit() and int() accept them
    "2026-02-30",
    "9999-12-31",
    "31/12/99999",
    "a\x00b",
    "x" * 300,
]
SKIP_PREFIXES = ("api/", "quan-tri/", "i18n/", "dang-", "dat-mat-khau", "quen-mat-khau", "healthz")
SLUG_FOR = {"thanh-pho/": "hai-phong"}


def _routes(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name


def _pages(plan_id: int) -> list[str]:
    """Every named page whose address needs at most a unit's slug, a year and (a plan's pages) the plan."""
    found = []
    for route, name in _routes():
        if route.startswith(SKIP_PREFIXES):
            continue
        converters = {part.split(">")[0] for part in route.split("<")[1:]}
        plan_page = "/ke-hoach/<int:pk>/" in route
        if not converters <= {"slug:slug", "int:year", *(["int:pk"] if plan_page else [])}:
            continue
        kwargs: dict[str, Any] = {}
        if "slug:slug" in converters:
            kwargs["slug"] = next((s for p, s in SLUG_FOR.items() if route.startswith(p)), "thanh-mien")
        if "int:year" in converters:
            kwargs["year"] = YEAR
        if plan_page:
            kwargs["pk"] = plan_id
        found.append(reverse(name, kwargs=kwargs))
    return found


@contextmanager
def _reads() -> Iterator[set[str]]:
    """The query parameters a request reads (QueryDict lookups recorded)."""
    keys: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def recorder(name: str) -> Any:
        def lookup(self: QueryDict, key: str, *args: Any, **kwargs: Any) -> Any:
            keys.add(key)
            return originals[name](self, key, *args, **kwargs)

        return lookup

    for name in originals:
        setattr(QueryDict, name, recorder(name))
    try:
        yield keys
    finally:
        for name, method in originals.items():
            setattr(QueryDict, name, method)


@pytest.fixture
def browser(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    return client


def test_pages_never_fail_on_hostile_query_values(world: World, browser: Client) -> None:
    criteria = assessment_services.add_criteria_set(
        actor=world.reviewer, city=world.city, data=TINY, origin="yaml"
    )
    assessment_services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=criteria)
    plan = plan_services.create_plan(
        actor=world.coordinator, unit=world.unit, title="Kế hoạch thử", start_year=YEAR, end_year=YEAR + 4
    )
    walked, failures = 0, []
    for url in _pages(plan.pk):
        with _reads() as keys:
            first = browser.get(url)
        if first.status_code not in (200, 302):
            continue
        keys.discard("HTTP_X_REQUESTED_WITH")
        for key in sorted(keys):
            for value in HOSTILE:
                response = browser.get(url, {key: value})
                walked += 1
                if response.status_code >= 500:
                    failures.append(f"{url}?{key}={value[:30]!r} → {response.status_code}")
    assert walked > 200, walked
    assert not failures, "\n".join(failures)


MALFORMED = {  # content type, body
    "no boundary": ("multipart/form-data", b"abc"),
    "empty boundary": ("multipart/form-data; boundary=", b"abc"),
    "truncated": (
        "multipart/form-data; boundary=XYZ",
        b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
    ),
    "garbage": ("multipart/form-data; boundary=XYZ", b"\xff\xfe\x00garbage"),
    "bad base64": (
        "multipart/form-data; boundary=XYZ",
        b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@\r\n--XYZ--\r\n",
    ),
    "unknown charset": (
        "multipart/form-data; boundary=XYZ",
        b'--XYZ\r\nContent-Disposition: form-data; name="_charset_"\r\n\r\nnope\r\n--XYZ--\r\n',
    ),
}


def test_malformed_multipart_on_a_page_is_refused(world: World, browser: Client) -> None:
    from friendlygov.dossiers.models import Dossier

    for name, (content_type, body) in MALFORMED.items():
        response = browser.generic("POST", "/don-vi/thanh-mien/ho-so/nhap/", body, content_type=content_type)
        assert response.status_code < 500, name
        if "boundary" in name:
            assert response.status_code == 400, name
    assert not Dossier.objects.exists()


def test_malformed_multipart_on_an_api_upload_is_refused(world: World) -> None:
    client = Client(raise_request_exception=False)
    token = org_services.create_api_token(actor=world.users["admin"], name="kiểm thử")
    for name, (content_type, body) in MALFORMED.items():
        response = client.generic(
            "POST",
            "/api/dossiers/units/thanh-mien/import",
            body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code in (400, 422), (name, response.status_code)
        assert "detail" in response.json() or response.status_code == 400, name
