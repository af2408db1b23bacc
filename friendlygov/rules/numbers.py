"""Numbers as people type them, and numbers as files carry them: the one place that reads either.

Pure Python: no Django. Two readers, never mixed:

- :func:`read_vn_number` — what a person typed into a form, read the Vietnamese way: "." groups thousands
  and "," marks the decimals. ``1.100`` is one thousand one hundred, ``81,48`` is 81.48, ``1.100,5`` is
  1100.5, ``1 100`` is 1100. A form that could be read two ways is refused with a Vietnamese message
  that says how to write it (``81.48``, ``1,100,000``, ``1,100.5``, ``0.500``).
- :func:`read_plain_number` — the contract of uploaded files, the command line and the API (CSV and JSON
  with plain dots; a lone decimal comma is tolerated: ``4,5``). No grouping at all.

:func:`format_vn` writes a number so that :func:`read_vn_number` gives it back exactly (trailing zeros of
the decimals dropped), and :func:`count_reading` checks that a number is a whole count, telling both
readings apart when someone wrote ``1,100`` for one thousand one hundred.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from friendlygov.rules.text import format_vn_number

__all__ = [
    "MAX_LENGTH",
    "MESSAGES",
    "NumberError",
    "count_reading",
    "format_plain",
    "format_vn",
    "read_plain_number",
    "read_vn_count",
    "read_vn_number",
    "typed_score_text",
]

MAX_LENGTH = 40

# no-break space, narrow no-break space, thin space, figure space: all typed or pasted as a group separator
_SPACE_LIKE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2212": "-"})
_ALLOWED = re.compile(r"^[-+]?[0-9., ]+$")
_VN = re.compile(
    r"^(?P<sign>[-+]?)"
    r"(?P<whole>\d+|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?: \d{3})+)"
    r"(?:,(?P<fraction>\d+))?$"
)
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


# Every refusal, by code: Vietnamese templates with %(name)s parameters. The form fields give the same
# msgids to gettext (friendlygov.core.numbers.MESSAGES), so the English interface can translate them.
MESSAGES: dict[str, str] = {
    "required": "Chưa nhập số.",
    "too_long": "«%(text)s…» quá dài để là một số.",
    "not_number": (
        "«%(text)s» không phải là một số; ghi bằng chữ số, ví dụ 1.100 (một nghìn một trăm), 81,48 hoặc 1.100,5."
    ),
    "many_commas": (
        "«%(text)s» có nhiều dấu phẩy: dấu phẩy (,) chỉ đứng trước phần thập phân, hàng nghìn tách bằng "
        "dấu chấm (.). Nếu là số nguyên thì ghi %(fixed)s."
    ),
    "foreign": (
        "«%(text)s» viết theo kiểu nước ngoài (dấu phẩy tách hàng nghìn, dấu chấm trước phần thập phân); "
        "theo cách viết Việt Nam hãy ghi %(fixed)s."
    ),
    "dot": (
        "«%(text)s» không đọc được: dấu chấm (.) chỉ dùng để tách hàng nghìn, mỗi nhóm đủ ba chữ số "
        "(1.100 là một nghìn một trăm); phần thập phân ghi sau dấu phẩy (,)."
    ),
    "dot_decimal": (
        "«%(text)s» không đọc được: dấu chấm (.) chỉ dùng để tách hàng nghìn, mỗi nhóm đủ ba chữ số "
        "(1.100 là một nghìn một trăm). Nếu là số thập phân, hãy ghi %(fixed)s."
    ),
    "space": "«%(text)s» không đọc được: các nhóm chữ số tách bằng dấu cách phải đủ ba chữ số, ví dụ 1 100.",
    "unreadable": "«%(text)s» không đọc được; ví dụ 1.100 (một nghìn một trăm), 81,48 hoặc 1.100,5.",
    "fraction_both": (
        "«%(text)s» đọc theo cách viết Việt Nam là %(read)s — không phải số nguyên. "
        "Nếu ý bạn là %(other)s thì ghi %(other)s (dấu chấm tách hàng nghìn)."
    ),
    "fraction": "«%(text)s» đọc là %(read)s — ô này chỉ nhận số nguyên.",
}


class NumberError(ValueError):
    """A typed number that cannot be read (or is not whole where a count is asked): ``code`` names the
    refusal (a key of MESSAGES), ``params`` fill it, ``message`` is the Vietnamese text."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        self.message = MESSAGES[code] % params
        super().__init__(self.message)


def _normalise(text: str) -> str:
    return " ".join(text.translate(_SPACE_LIKE).split())


def _refusal(text: str) -> NumberError:
    """Why a text is not a number written the Vietnamese way."""
    if not _ALLOWED.match(text) or not any(ch.isdigit() for ch in text):
        return NumberError("not_number", text=text)
    if text.count(",") > 1:
        if "." not in text:
            return NumberError("many_commas", text=text, fixed=text.replace(",", "."))
        return NumberError("unreadable", text=text)
    if "," in text and "." in text and text.rfind(".") > text.find(","):
        fixed = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        if _VN.match(fixed):
            return NumberError("foreign", text=text, fixed=fixed)
        return NumberError("unreadable", text=text)
    if "." in text:
        if text.count(".") == 1 and "," not in text and " " not in text:
            fixed = text.replace(".", ",")
            if _VN.match(fixed):
                return NumberError("dot_decimal", text=text, fixed=fixed)
        return NumberError("dot", text=text)
    if " " in text:
        return NumberError("space", text=text)
    return NumberError("unreadable", text=text)


def read_vn_number(text: str) -> Decimal:
    """A number typed the Vietnamese way → Decimal (exact, the decimals as typed). Raises NumberError."""
    cleaned = _normalise(text)
    if not cleaned:
        raise NumberError("required")
    if len(cleaned) > MAX_LENGTH:
        raise NumberError("too_long", text=cleaned[:MAX_LENGTH])
    match = _VN.match(cleaned)
    if match is None:
        raise _refusal(cleaned)
    digits = match["whole"].replace(".", "").replace(" ", "")
    fraction = match["fraction"]
    return Decimal(f"{match['sign']}{digits}" + (f".{fraction}" if fraction else ""))


def _comma_as_grouping(text: str) -> int | None:
    """The other reading of ``1,100`` or ``12,500``: a comma taken as a thousands separator (how an
    English keyboard, or a habit, writes it), when the digits after the comma are exactly three."""
    match = re.fullmatch(r"([-+]?)([1-9]\d{0,2}|[1-9]\d{0,2}(?:\.\d{3})+),(\d{3})", text)
    if match is None:
        return None
    return int(match[1] + match[2].replace(".", "") + match[3])


def count_reading(text: str, number: Decimal) -> int:
    """``number`` (read from ``text``) as a whole count; NumberError when it has decimals, naming both
    readings when the comma may have been meant to group thousands."""
    if number == number.to_integral_value():
        return int(number)
    typed = _normalise(text)
    other = _comma_as_grouping(typed)
    if other is not None:
        raise NumberError("fraction_both", text=typed, read=format_vn(number), other=format_vn(other))
    raise NumberError("fraction", text=typed, read=format_vn(number))


def read_vn_count(text: str) -> int:
    """A whole number typed the Vietnamese way (a count, an amount in đồng). Raises NumberError."""
    return count_reading(text, read_vn_number(text))


def format_vn(value: Decimal | int, *, grouping: bool = True) -> str:
    """The Vietnamese way, exactly (no rounding; trailing zeros of the decimals dropped):
    1100 → "1.100", Decimal("81.480") → "81,48". Without grouping: 2026 → "2026", 1100.5 → "1100,5"."""
    number = value if isinstance(value, Decimal) else Decimal(value)
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = format_vn_number(number, places, trim_zeros=True)
    return text if grouping else text.replace(".", "")


def format_plain(value: Decimal | int) -> str:
    """The contract's syntax for a number a form read: no grouping, decimal comma: 1100 → "1100",
    Decimal("4.50") → "4,5" (what the scoring engine and the files read back the same)."""
    return format_vn(value, grouping=False)


def read_plain_number(text: str) -> Decimal | None:
    """The files', API's and command line's syntax: ``4.5`` / ``4,5`` / ``-1`` → Decimal; no grouping
    (``1.100`` is 1.1 here, as in any CSV or JSON); anything else → None."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            return None
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        return None


def typed_score_text(text: str) -> str:
    """A score value typed into a page in one box (the what-if table) → the contract's syntax, the numbers
    read the Vietnamese way: "1.100/1.350" → "1100/1350", "92,5 %" → "92,5%", "1.100" → "1100". Text that
    is not a number (có, không, x) or cannot be read is returned as typed, for the engine to name."""
    stripped = text.strip()
    try:
        if stripped.endswith("%"):
            return format_plain(read_vn_number(stripped[:-1])) + "%"
        if stripped.count("/") == 1:
            left, right = stripped.split("/")
            return f"{format_plain(read_vn_number(left))}/{format_plain(read_vn_number(right))}"
        return format_plain(read_vn_number(stripped))
    except NumberError:
        return stripped
