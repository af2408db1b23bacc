from __future__ import annotations

import pytest

from tests.factories import World

pytestmark = pytest.mark.django_db


def test_anonymous_root_is_vietnamese(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Chính quyền thân thiện" in response.content.decode()


def test_english_locale_is_chosen_not_guessed(client) -> None:  # type: ignore[no-untyped-def]
    # A browser set to English still gets Vietnamese…
    assert 'lang="vi"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    # …until the person picks English with the switcher.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_commune_user_lands_on_own_unit(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.coordinator).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/don-vi/thanh-mien/"
    assert "Thanh Miện" in response.content.decode()


def test_city_reviewer_lands_on_city_list(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.reviewer).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/thanh-pho/hai-phong/"
    body = response.content.decode()
    assert "Thanh Miện" in body and "Gia Lộc" in body


def test_city_list_search_without_diacritics(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(world.reviewer).get("/thanh-pho/hai-phong/?q=thanh mien").content.decode()
    assert "Thanh Miện" in body and "Gia Lộc" not in body


def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").content == b"ok"


def test_csrf_failure_is_explained_in_vietnamese(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Chưa gửi được biểu mẫu" in response.content.decode()


def test_not_found_page_is_vietnamese(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404


def test_city_reviewer_has_the_city_navigation(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    import re

    from friendlygov.core.navigation import CITY_AREAS

    client = client_for(world.reviewer)
    body = client.get("/thanh-pho/hai-phong/").content.decode()
    nav = re.search(r'<nav class="unitnav".*?</nav>', body, re.S)
    assert nav is not None, "no navigation on the city page"
    links = re.findall(r'<a href="([^"]+)"', nav.group(0))
    assert len(links) == len(CITY_AREAS) and 'aria-current="page"' in nav.group(0)
    for url in links:  # every link of the city's navigation opens for the reviewer, with the navigation
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<nav class="unitnav"' in response.content.decode(), url
    # Someone of a commune does not see the city's pages at all.
    assert client_for(world.outsider).get("/thanh-pho/hai-phong/danh-gia/").status_code == 404
