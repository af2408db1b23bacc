"""QR codes (segno) of the public survey links: inline SVG for posters, PNG and SVG files to download."""

from __future__ import annotations

import io

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from friendlygov.kit import site
from friendlygov.surveys.models import SurveyLink


def public_url(link: SurveyLink, request: HttpRequest | None = None) -> str:
    """The address printed on posters: the site's public address (kit/site.py) + ``/ks/<token>/``."""
    return site.absolute(reverse("surveys:public_form", kwargs={"token": link.token}), request)


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def inline_svg(url: str) -> SafeString:
    """An SVG element sized by CSS (viewBox only), for printing at any size."""
    svg = _code(url).svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="Mã QR" ', 1))  # noqa: S308 - segno output


def png_bytes(url: str, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def svg_bytes(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="svg", scale=scale, border=4, xmldecl=True)
    return buffer.getvalue()
