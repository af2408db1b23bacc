"""Where a signature goes on the page and what it looks like (Decree 30, Appendix I Part II). No Django here.

The renderer (`friendlygov.documents.render`) writes SIGN_MARKER — a 1 pt white token, centred in the
signature block's column at the foot of the space left for the signature, just above the signer's name —
into the documents it makes. Here it is found with pypdf's text visitor and the signature is laid out
around it:

- ``person``: the handwritten signature image (scaled to at most 50 × 22 mm) centred in that space; with
  no image, the signer's name and the signing time as text.
- ``organisation``: the seal image at true size (its PNG's dpi when it has one, else 40 mm across) over
  about a third of the signature image on its left — the signature image given with it, or the person's
  signature already on the page at that place, or where one would go — and the body's name and the
  signing time in Times New Roman 10 pt under the signer's name, so they cover neither image.

With no marker the signature goes at the bottom right of the last page.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp.base import BaseStamp, BaseStampStyle
from pypdf import PdfReader
from pypdf.errors import PdfReadError

SIGN_MARKER = "FGSIGNHERE"
"""Text the renderer puts at the signing place (see the module's docstring)."""

FONT_FILES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
"""Times New Roman's metric-compatible face on Debian, embedded in the appearance: Liberation Serif 2
(fonts-liberation2, which has every Vietnamese letter), else 1.x (fonts-liberation, which lacks some, e.g. Ủ)."""


def font_file() -> str:
    for path in FONT_FILES:
        if os.path.exists(path):
            return path
    raise AppearanceError("Thiếu phông chữ Liberation Serif (gói fonts-liberation2) để vẽ chữ ký.")


class _Thousandths(GlyphAccumulator):
    """pyHanko's glyph accumulator writes widths and TJ adjustments in the font's own units, right only for
    fonts of 1000 units to the em; Liberation Serif has 2048 (glyphs came out twice as far apart). Here
    HarfBuzz shapes at 1000 units to the em and the widths are scaled to match."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._to_thousandths = 1000 / self.units_per_em
        self.units_per_em = 1000
        self.hb_font.scale = (1000, 1000)

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        cached = self._glyphs.get(glyph_id)
        if cached is not None:
            return cached
        cid, width = super()._get_cid_and_width(glyph_id)
        self._glyphs[glyph_id] = result = (cid, round(width * self._to_thousandths))
        return result


def _font_engine(writer: BasePdfFileWriter) -> GlyphAccumulator:
    with open(font_file(), "rb") as fh:
        data = fh.read()
    return _Thousandths(writer=writer, font_handle=io.BytesIO(data), font_size=FONT_PT)


MM = 72 / 25.4
SPACE_PT = 72.0  # height of the signing space the renderer leaves (render.SIGNATURE_SPACE_PT)
SIG_MAX_W, SIG_MAX_H = 50 * MM, 22 * MM
SEAL_MM = 40.0  # a commune People's Committee's round seal is 35–42 mm; used when the PNG has no dpi
FONT_PT = 10.0
LEADING_PT = 12.0
NAME_DROP_PT = 24.0  # from the foot of the signing space to the top of the text under the signer's name


class AppearanceError(ValueError):
    """An image that cannot be read (message in Vietnamese)."""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def union(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.top, other.top) - y)


@dataclass(frozen=True)
class Anchor:
    """The signing place: page index, centre x and foot y of the signing space (PDF points)."""

    page: int
    cx: float
    foot: float
    page_w: float
    page_h: float
    marked: bool


@dataclass(frozen=True)
class Layout:
    page: int
    box: tuple[int, int, int, int]
    style: Decree30StampStyle


def _image(data: bytes, what: str) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise AppearanceError(f"Không đọc được ảnh {what} (cần tệp PNG).") from exc
    return img.convert("RGBA")


def _fit(img: Image.Image, max_w: float, max_h: float) -> tuple[float, float]:
    scale = min(max_w / img.width, max_h / img.height)
    return img.width * scale, img.height * scale


def _seal_size(img: Image.Image) -> tuple[float, float]:
    """True size: from the PNG's dpi when it gives a plausible seal (30–50 mm), else 40 mm across."""
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and dpi[1]:
        w_mm, h_mm = img.width / float(dpi[0]) * 25.4, img.height / float(dpi[1]) * 25.4
        if 30 <= w_mm <= 50 and 30 <= h_mm <= 50:
            return w_mm * MM, h_mm * MM
    return _fit(img, SEAL_MM * MM, SEAL_MM * MM)


def find_anchor(data: bytes) -> Anchor:
    """The renderer's mark (the last one in the document), else the bottom right of the last page."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise AppearanceError(f"Không đọc được trang của tệp PDF: {exc}") from exc
    found: Anchor | None = None
    for index, page in enumerate(pages):
        box = page.mediabox
        page_w, page_h = float(box.width), float(box.height)
        if SIGN_MARKER not in (page.extract_text() or ""):
            continue
        hits: list[tuple[float, float, float]] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, hits: list = hits) -> None:
            if SIGN_MARKER in text:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(cm[0] * tm[0]) or 1.0
                hits.append((x, y, size * scale))

        page.extract_text(visitor_text=visit)
        for x, y, size in hits:
            width = 0.5 * size * len(SIGN_MARKER)  # about half an em a letter
            found = Anchor(index, x + width / 2, y, page_w, page_h, True)
    if found is not None:
        return found
    last = pages[-1]
    page_w, page_h = float(last.mediabox.width), float(last.mediabox.height)
    # Bottom right: the column of a Decree 30 signature block (right margin 20 mm, block ~85 mm wide).
    return Anchor(len(pages) - 1, page_w - 20 * MM - 42 * MM, 45 * MM, page_w, page_h, False)


def _signature_rects(data: bytes, page_index: int) -> list[Rect]:
    """Rectangles of the filled signature fields already on that page."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    page = reader.pages[page_index]
    rects: list[Rect] = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        field = annot if "/FT" in annot else annot.get("/Parent", annot).get_object()
        if field.get("/FT") != "/Sig" or "/V" not in field or "/Rect" not in annot:
            continue
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
        if x2 - x1 > 1 and y2 - y1 > 1:
            rects.append(Rect(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)))
    return rects


@dataclass(frozen=True)
class _Part:
    kind: str  # "image" | "text"
    rect: Rect
    image: bytes = b""
    lines: tuple[str, ...] = ()


def vn_time(when: dt.datetime) -> str:
    """07/12/2026 09:15:02 +07:00."""
    offset = when.strftime("%z")
    return when.strftime("%d/%m/%Y %H:%M:%S ") + f"{offset[:3]}:{offset[3:]}"


def _text_width(lines: tuple[str, ...]) -> float:
    from fontTools.ttLib import TTFont

    font = TTFont(font_file(), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    upem = font["head"].unitsPerEm
    widest = 0.0
    for line in lines:
        units = sum(hmtx[cmap.get(ord(ch), cmap.get(ord("n"), ".notdef"))][0] for ch in line)
        widest = max(widest, units * FONT_PT / upem)
    return widest


def _text_part(lines: tuple[str, ...], cx: float, top: float) -> _Part:
    w = _text_width(lines) + 2
    h = LEADING_PT * len(lines) + 3
    return _Part("text", Rect(cx - w / 2, top - h, w, h), lines=lines)


def plan(
    data: bytes,
    *,
    role: str,
    signature_image: bytes | None,
    seal_image: bytes | None,
    signer_name: str,
    organisation: str,
    signed_at: dt.datetime,
) -> Layout:
    anchor = find_anchor(data)
    middle = anchor.foot + SPACE_PT / 2
    parts: list[_Part] = []
    sig_rect: Rect | None = None
    if signature_image is not None:
        w, h = _fit(_image(signature_image, "chữ ký"), SIG_MAX_W, SIG_MAX_H)
        sig_rect = Rect(anchor.cx - w / 2, middle - h / 2, w, h)
        parts.append(_Part("image", sig_rect, image=signature_image))
    time_line = f"Thời gian ký: {vn_time(signed_at)}"
    if role == "person":
        if sig_rect is None:
            lines: tuple[str, ...] = (f"Ký bởi: {signer_name}", time_line)
            parts.append(_text_part(lines, anchor.cx, middle + LEADING_PT * len(lines) / 2 + 1.5))
    else:
        earlier = [
            r
            for r in _signature_rects(data, anchor.page)
            if r.x <= anchor.cx <= r.right and r.y - SPACE_PT <= anchor.foot <= r.top
        ]
        if seal_image is not None:
            target = sig_rect or (earlier[-1] if earlier else None)
            if target is None:  # where a signature image would go
                target = Rect(anchor.cx - 22.5 * MM, middle - 10 * MM, 45 * MM, 20 * MM)
            sw, sh = _seal_size(_image(seal_image, "con dấu"))
            seal_right = target.x + target.w / 3
            cy = target.y + target.h / 2
            parts.append(_Part("image", Rect(seal_right - sw, cy - sh / 2, sw, sh), image=seal_image))
        lines = (organisation, time_line) if organisation else (time_line,)
        if parts or earlier:
            # Under the signer's name (under the images where no mark says where the name is).
            top = anchor.foot - (NAME_DROP_PT if anchor.marked else 4)
            top = min([top] + [p.rect.y - 3 for p in parts if p.kind == "image"])
            parts.append(_text_part(lines, anchor.cx, top))
        else:
            parts.append(_text_part(lines, anchor.cx, middle + LEADING_PT * len(lines) / 2 + 1.5))
    box = parts[0].rect
    for part in parts[1:]:
        box = box.union(part.rect)
    # Whole points, kept on the page.
    x1 = max(0, int(box.x))
    y1 = max(0, int(box.y))
    x2 = min(int(anchor.page_w), int(box.right + 1))
    y2 = min(int(anchor.page_h), int(box.top + 1))
    relative = tuple(
        _Part(p.kind, Rect(p.rect.x - x1, p.rect.y - y1, p.rect.w, p.rect.h), p.image, p.lines) for p in parts
    )
    return Layout(anchor.page, (x1, y1, x2, y2), Decree30StampStyle(parts=relative))


@dataclass(frozen=True)
class Decree30StampStyle(BaseStampStyle):
    """Images and lines of text at fixed places in the field, no border, no background."""

    parts: tuple[_Part, ...] = ()
    border_width: int = 0

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> BaseStamp:
        return _Decree30Stamp(writer=writer, style=self, box=box)


class _Decree30Stamp(BaseStamp):
    style: Decree30StampStyle

    def _render_inner_content(self) -> list[bytes]:
        out: list[bytes] = []
        font_engine = None
        for part in self.style.parts:
            r = part.rect
            if part.kind == "image":
                img = PdfImage(
                    Image.open(io.BytesIO(part.image)).convert("RGBA"),
                    writer=self.writer,
                    box=layout.BoxConstraints(r.w, r.h),
                )
                drawn = img.render()
                self.import_resources(img.resources)
                out.append(b"q 1 0 0 1 %g %g cm %s Q" % (r.x, r.y, drawn))
                continue
            if font_engine is None:
                font_engine = _font_engine(self._ensure_writer)
                self.set_resource(
                    category=content.ResourceType.FONT,
                    name=generic.pdf_name("/FTimes"),
                    value=font_engine.as_resource(),
                )
            for number, line in enumerate(part.lines):
                shaped = font_engine.shape(line)
                width = shaped.x_advance * FONT_PT
                x = r.x + (r.w - width) / 2
                y = r.top - 1.5 - LEADING_PT * (number + 1) + (LEADING_PT - FONT_PT) / 2 + 2
                out.append(
                    b"BT 0 g /FTimes %g Tf 1 0 0 1 %g %g Tm %s ET" % (FONT_PT, x, y, shaped.graphics_ops)
                )
        return out
