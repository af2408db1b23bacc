"""The document model: an official document and its blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias

from .layout import _Align


@dataclass
class Heading:
    """Section heading: level 1 "I." (bold, upper case), 2 "1." (bold), 3 "a)" (regular).

    `number` None numbers automatically (I, II… / 1, 2… restarting under each level 1 / a, b…
    restarting under each level 2); "" prints no number; any other text is printed as given.
    """

    level: int
    text: str
    number: str | None = None


@dataclass
class Paragraph:
    """Body paragraph; `**bold**` and `*italic*` mark runs inside the text."""

    text: str
    align: _Align = "justify"
    first_line_indent: bool = True


@dataclass
class Bullet:
    """A "- " line of the body."""

    text: str


@dataclass
class Table:
    """Bordered table: bold header row repeated on every page; widths in millimetres (None: even)."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    header_repeat: bool = True
    align: list[_Align] | None = None  # per column; default: STT-like narrow columns centred, others left
    font_size: float = 13.0


@dataclass
class PageBreak:
    """Start a new page."""


Block: TypeAlias = Heading | Paragraph | Bullet | Table | PageBreak


@dataclass
class Signature:
    """Signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name."""

    authority: str | None
    capacity: str | None
    title: str
    name: str


@dataclass
class Appendix:
    """Appendix on its own section, with its own header line (issuing body / national title)."""

    title: str
    subtitle: str | None = None
    note: str | None = None  # e.g. "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của …)"
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False


@dataclass
class OfficialDocument:
    """One administrative document laid out per Decree 30.

    `issuing_body` and `parent_body` may hold "\\n" to choose the line breaks ("ỦY BAN NHÂN DÂN\\nXÃ THANH
    MIỆN"). `number` None or `date` None or `draft` True makes a draft: "DỰ THẢO" is shown and the missing
    number/day/month are dotted blanks; `year` gives the year printed when the date is still blank.
    `type_name` None makes a công văn: no title block, the "V/v …" line (`summary_line`, or "V/v " +
    subject) under the number, and `addressees` printed after "Kính gửi:".
    """

    parent_body: str | None
    issuing_body: str
    number: str | None
    symbol: str
    place: str
    date: date | None
    type_name: str | None
    subject: str
    summary_line: str | None = None
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    appendices: list[Appendix] = field(default_factory=list)
    draft: bool = False
    addressees: list[str] = field(default_factory=list)
    year: int | None = None
    # Minutes: several signers (the secretary and the chair side by side, then the joint scorers), two to a
    # row, with "Nơi nhận" under them; `signature` is then None. `date_line` False leaves out the "place, date"
    # line (the minutes give their time and place in the body).
    signers: list[Signature] = field(default_factory=list)
    date_line: bool = True

    @property
    def is_draft(self) -> bool:
        return self.draft or self.number is None or self.date is None

    @property
    def is_official_letter(self) -> bool:
        return self.type_name is None
