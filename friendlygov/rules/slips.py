"""Typing slips in pasted text — a word or short phrase typed twice ("xã, xã, đặc khu", "các các"), doubled
punctuation (",,", ";;", "..") and doubled spaces inside a line — found and offered as corrections, never
applied silently: the caller shows each :class:`Slip`, the person accepts or refuses it, and only the accepted
ones are applied with :func:`apply_slips`.

Pure Python (no Django): the import previews of the plans area call it, and so may any other paste.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

REPEATED = "repeated"
PUNCTUATION = "punctuation"
SPACES = "spaces"

# Words Vietnamese doubles on purpose (reduplication): "dần dần", "từ từ", "ngày ngày" …
_REDUPLICATED = frozenset(
    [
        "dần",
        "từ",
        "ngày",
        "năm",
        "tháng",
        "đời",
        "người",
        "nhà",
        "thường",
        "mãi",
        "xa",
        "lâu",
        "chầm",
        "nhiều",
    ]
)
_WORD = r"[^\W\d_]+"  # letters only: numbers ("1 1", "2026 2026" in tables) are never proposed
# one to four words, then the same words again after a space or ", " (not across a tab: table cells)
_REPEAT = re.compile(
    rf"(?<![^\W_])(?P<phrase>{_WORD}(?:[ ]{_WORD}){{0,3}})(?P<sep>,?[ ]+)(?P=phrase)(?![^\W_])"
)
_PUNCT = re.compile(r"(?P<mark>[,;:])[ ]*(?P=mark)|(?<!\.)\.\.(?!\.)")
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


@dataclass(frozen=True)
class Slip:
    """One proposed correction: on ``line`` (1-based), ``found`` at ``start`` becomes ``replacement``."""

    line: int
    start: int
    found: str
    replacement: str
    kind: str
    context: str

    @property
    def key(self) -> str:
        """Stable name of the proposal (a form field, an API choice): "3:17"."""
        return f"{self.line}:{self.start}"

    @property
    def end(self) -> int:
        return self.start + len(self.found)


def _context(line: str, start: int, end: int, width: int = 30) -> str:
    left = max(0, start - width)
    right = min(len(line), end + width)
    return ("…" if left else "") + line[left:right].strip() + ("…" if right < len(line) else "")


def _line_slips(number: int, line: str) -> list[Slip]:
    found: list[Slip] = []
    for match in _REPEAT.finditer(line):
        phrase = match["phrase"]
        # a single word twice: Vietnamese doubles some on purpose ("dần dần"), and a capitalised one is the
        # end and start of two names ("Ban Xây dựng Đảng Đảng ủy xã")
        single = " " not in phrase and "," not in match["sep"]
        if single and (phrase.lower() in _REDUPLICATED or phrase[0].isupper()):
            continue
        # keep the first phrase and what follows the second: "xã, xã, đặc khu" → "xã, đặc khu"
        found.append(
            Slip(
                number, match.start(), match[0], phrase, REPEATED, _context(line, match.start(), match.end())
            )
        )
    for match in _PUNCT.finditer(line):
        replacement = match["mark"] or "."
        found.append(
            Slip(
                number,
                match.start(),
                match[0],
                replacement,
                PUNCTUATION,
                _context(line, match.start(), match.end()),
            )
        )
    for match in _SPACES.finditer(line):
        found.append(
            Slip(number, match.start(), match[0], " ", SPACES, _context(line, match.start(), match.end()))
        )
    # overlapping proposals: the first one found on the line wins
    kept: list[Slip] = []
    for slip in sorted(found, key=lambda s: (s.start, -len(s.found))):
        if kept and slip.start < kept[-1].end:
            continue
        kept.append(slip)
    return kept


def find_slips(text: str) -> list[Slip]:
    """Every slip of ``text``, line by line, in reading order."""
    slips: list[Slip] = []
    for number, line in enumerate(text.split("\n"), start=1):
        slips.extend(_line_slips(number, line.rstrip("\r")))
    return slips


def apply_slips(text: str, slips: Iterable[Slip]) -> str:
    """``text`` with the given (accepted) slips corrected; a slip whose text is no longer where it was found
    is skipped, so a stale choice never corrupts the text."""
    lines = text.split("\n")
    by_line: dict[int, list[Slip]] = {}
    for slip in slips:
        by_line.setdefault(slip.line, []).append(slip)
    for number, chosen in by_line.items():
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        for slip in sorted(chosen, key=lambda s: s.start, reverse=True):
            if line[slip.start : slip.end] == slip.found:
                line = line[: slip.start] + slip.replacement + line[slip.end :]
        lines[number - 1] = line
    return "\n".join(lines)


def choose(slips: Sequence[Slip], accepted_keys: Iterable[str]) -> tuple[list[Slip], list[Slip]]:
    """(accepted, refused) by the keys the person ticked."""
    keys = set(accepted_keys)
    return [s for s in slips if s.key in keys], [s for s in slips if s.key not in keys]


def describe(slip: Slip) -> str:
    """ "«xã, xã» → «xã» (dòng 2)": how the audit and the preview name a proposal (Vietnamese)."""
    return f"«{slip.found}» → «{slip.replacement}» (dòng {slip.line})"
