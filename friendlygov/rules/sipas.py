"""SIPAS: citizens' satisfaction with administrative services (QĐ 1001/QĐ-BNV), pure figures.

The contract is ``friendlygov sipas`` in ``docs/spec/command-line.md``. This module knows
nothing of Django or of the rest of friendlygov: the surveys app aggregates answers in SQL and calls
:func:`compute_indices_from_counts`; the command line parses a CSV file and calls :func:`compute_indices`,
which is built on the same function, so there is one formula.

Method (the spec's default):

- item index = answers in ``satisfied`` (4, 5 by default) ÷ answers 1..5, as a percentage; an item with no
  valid answer has ``index None`` and ``valid 0`` and is left out of every mean;
- element index = unweighted mean of its items' unrounded indices (``None`` when none has one);
- overall index = mean of the element indices weighted by element weight (default 1 each);
- per item, a 95 % Wilson score interval (z = 1.96), clamped to 0..100;
- figures are rounded half-up to 2 places only at the very end.

Arithmetic: indices and means are exact rationals (:class:`fractions.Fraction`, built from the
:class:`~decimal.Decimal` weights without loss); the Wilson bounds need a square root, taken exactly
when the radicand is the square of a rational and otherwise with :meth:`decimal.Decimal.sqrt` at 60
significant digits (an irrational bound can never sit exactly on a rounding boundary, so that precision
decides the rounding correctly). Only the rounded figures are :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ANSWER_LEVELS",
    "DEFAULT_ELEMENT_ORDER",
    "DEFAULT_QUESTIONNAIRE",
    "DEFAULT_QUESTIONNAIRE_PATH",
    "QUESTIONNAIRE_FORMAT",
    "WILSON_Z",
    "Answer",
    "ElementResult",
    "ItemResult",
    "Questionnaire",
    "QuestionnaireElement",
    "QuestionnaireItem",
    "SipasInputError",
    "SipasResult",
    "compute_indices",
    "compute_indices_from_counts",
    "element_code_of",
    "item_natural_key",
    "parse_answers_csv",
    "parse_questionnaire_yaml",
    "result_to_json",
    "round_half_up",
    "sample_size",
    "wilson_interval",
]

QUESTIONNAIRE_FORMAT = "friendlygov.questionnaire/1"
#: Valid answers: 1 rất không hài lòng, 2 không hài lòng, 3 bình thường, 4 hài lòng, 5 rất hài lòng.
ANSWER_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Element order used when no questionnaire is given; other elements follow by first appearance.
DEFAULT_ELEMENT_ORDER: tuple[str, ...] = ("TC", "TT", "CC", "KQ", "PA")
#: z for a 95 % interval, exactly 1.96.
WILSON_Z = Decimal("1.96")
DEFAULT_QUESTIONNAIRE_PATH = Path(__file__).resolve().parent / "data" / "sipas-dv.yaml"

_HUNDRED = Fraction(100)
_SQRT_PRECISION = 60
_CSV_COLUMNS = ("respondent", "item", "answer")
_NUMBER_RUN = re.compile(r"(\d+)")


class SipasInputError(ValueError):
    """Invalid input; ``problems`` are Vietnamese messages, each naming the row or field at fault."""

    def __init__(self, problems: Sequence[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------------------------------
# Questionnaire


@dataclass(frozen=True)
class QuestionnaireItem:
    code: str
    text: str = ""


@dataclass(frozen=True)
class QuestionnaireElement:
    code: str
    name: str | None = None
    weight: Decimal = Decimal(1)
    items: tuple[QuestionnaireItem, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str | None = None
    satisfied: tuple[int, ...] = (4, 5)
    elements: tuple[QuestionnaireElement, ...] = ()

    def element_of_item(self) -> dict[str, str]:
        """Item code → element code, in questionnaire order."""
        return {item.code: element.code for element in self.elements for item in element.items}

    def element(self, code: str) -> QuestionnaireElement | None:
        for element in self.elements:
            if element.code == code:
                return element
        return None


def _element(code: str, name: str, texts: Sequence[str]) -> QuestionnaireElement:
    items = tuple(QuestionnaireItem(f"{code}.{number}", text) for number, text in enumerate(texts, start=1))
    return QuestionnaireElement(code=code, name=name, weight=Decimal(1), items=items)


#: The service questionnaire of SIPAS (QĐ 1001/QĐ-BNV), five elements; the wording is ours, after the
#: items the method lists for the service part (QĐ 1001/QĐ-BNV, 11/12/2023). Shipped as data in ``data/sipas-dv.yaml`` too.
DEFAULT_QUESTIONNAIRE = Questionnaire(
    code="SIPAS-DV",
    name="Phiếu khảo sát sự hài lòng về dịch vụ hành chính công (QĐ 1001/QĐ-BNV)",
    satisfied=(4, 5),
    elements=(
        _element(
            "TC",
            "Tiếp cận dịch vụ",
            (
                "Nơi tiếp nhận và trả kết quả có biển hiệu, chỉ dẫn rõ ràng, dễ tìm",
                "Nơi ngồi chờ có đủ chỗ ngồi, bàn viết hồ sơ",
                "Trang thiết bị phục vụ người dân đầy đủ, hoạt động tốt, dễ sử dụng",
            ),
        ),
        _element(
            "TT",
            "Thủ tục hành chính",
            (
                "Thủ tục hành chính được niêm yết công khai đầy đủ, chính xác",
                "Thành phần hồ sơ phải nộp đúng quy định",
                "Phí, lệ phí phải nộp đúng quy định",
                "Thời hạn giải quyết đúng quy định",
            ),
        ),
        _element(
            "CC",
            "Công chức giải quyết công việc",
            (
                "Công chức có thái độ giao tiếp lịch sự, tôn trọng",
                "Công chức trả lời, giải thích đầy đủ các ý kiến, câu hỏi của người dân",
                "Công chức hướng dẫn kê khai hồ sơ tận tình, dễ hiểu",
                "Công chức tuân thủ đúng quy định trong giải quyết công việc",
            ),
        ),
        _element(
            "KQ",
            "Kết quả giải quyết",
            (
                "Kết quả được trả đúng hạn",
                "Kết quả đúng quy định",
                "Kết quả có thông tin đầy đủ, chính xác",
            ),
        ),
        _element(
            "PA",
            "Tiếp nhận, xử lý phản ánh, kiến nghị",
            (
                "Người dân dễ dàng góp ý, phản ánh, kiến nghị",
                "Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý và trả lời kịp thời",
            ),
        ),
    ),
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_field(value: object, path: str, problems: list[str], *, required: bool) -> str | None:
    if value is None:
        if required:
            problems.append(f"Trường {path}: bắt buộc nhưng đang thiếu.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(f"Trường {path}: phải là chuỗi ký tự.")
        return None
    text = str(value).strip()
    if not text:
        if required:
            problems.append(f"Trường {path}: không được để trống.")
        return None
    return text


def _decimal_weight(value: object, path: str, problems: list[str]) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        problems.append(f"Trường {path}: trọng số phải là một số không âm (nhận được {value!r}).")
        return Decimal(1)
    try:
        weight = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(f"Trường {path}: trọng số phải là một số không âm (nhận được {value!r}).")
        return Decimal(1)
    if not weight.is_finite() or weight < 0:
        problems.append(f"Trường {path}: trọng số phải là một số không âm (nhận được {value!r}).")
        return Decimal(1)
    return weight


def _unknown_keys(data: Mapping[Any, Any], allowed: Iterable[str], path: str, problems: list[str]) -> None:
    allowed_set = set(allowed)
    for key in data:
        if key not in allowed_set:
            where = f"{path}.{key}" if path else str(key)
            problems.append(f"Trường {where}: không thuộc định dạng {QUESTIONNAIRE_FORMAT}.")


def parse_questionnaire_yaml(text: str) -> Questionnaire:
    """Parse a questionnaire file (``format: friendlygov.questionnaire/1``).

    Shape: ``{format, code, name?, satisfied?: [4, 5], elements: [{code, name?, weight?: 1, items:
    [{code, text?}, ...]}, ...]}``. Rules applied (all problems are collected, then
    :class:`SipasInputError` is raised):

    - ``format`` must be exactly ``friendlygov.questionnaire/1``; ``code`` is required; unknown keys are
      refused (they are usually typos);
    - ``satisfied`` is a non-empty list of distinct answers among 1..5 (default ``[4, 5]``);
    - ``elements`` is a non-empty list; an element code is unique and has no dot; ``weight`` is a number
      ≥ 0 (default 1; an element of weight 0 is shown but does not count in the overall index);
    - each element has a non-empty ``items`` list; an item code is ``<element code>.<n>`` and is unique
      in the whole questionnaire; ``text`` is optional.
    """
    problems: list[str] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SipasInputError([f"Tệp bảng hỏi không phải YAML hợp lệ: {error}"]) from error
    if not isinstance(data, dict):
        raise SipasInputError(
            ["Tệp bảng hỏi phải là một bảng (mapping) YAML với các trường format, code, elements."]
        )
    _unknown_keys(data, ("format", "code", "name", "satisfied", "elements"), "", problems)
    if data.get("format") != QUESTIONNAIRE_FORMAT:
        problems.append(f"Trường format: phải là {QUESTIONNAIRE_FORMAT} (nhận được {data.get('format')!r}).")
    code = _text_field(data.get("code"), "code", problems, required=True)
    name = _text_field(data.get("name"), "name", problems, required=False)

    satisfied: tuple[int, ...] = (4, 5)
    raw_satisfied = data.get("satisfied")
    if raw_satisfied is not None:
        if not isinstance(raw_satisfied, list) or not raw_satisfied:
            problems.append("Trường satisfied: phải là danh sách không rỗng các mức trả lời trong 1..5.")
        else:
            levels: list[int] = []
            for position, level in enumerate(raw_satisfied, start=1):
                if not _is_int(level) or level not in ANSWER_LEVELS:
                    problems.append(
                        f"Trường satisfied[{position}]: mức hài lòng phải là số nguyên từ 1 đến 5 "
                        f"(nhận được {level!r})."
                    )
                elif level in levels:
                    problems.append(f"Trường satisfied[{position}]: mức {level} bị lặp lại.")
                else:
                    levels.append(level)
            satisfied = tuple(sorted(levels))

    elements: list[QuestionnaireElement] = []
    raw_elements = data.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        problems.append("Trường elements: phải là danh sách không rỗng các yếu tố (nhóm câu hỏi).")
        raw_elements = []
    element_codes: set[str] = set()
    item_codes: set[str] = set()
    for e_pos, raw_element in enumerate(raw_elements, start=1):
        e_path = f"elements[{e_pos}]"
        if not isinstance(raw_element, dict):
            problems.append(f"Trường {e_path}: mỗi yếu tố phải là một bảng có code, name, weight, items.")
            continue
        _unknown_keys(raw_element, ("code", "name", "weight", "items"), e_path, problems)
        e_code = _text_field(raw_element.get("code"), f"{e_path}.code", problems, required=True)
        if e_code is not None:
            if "." in e_code:
                problems.append(f"Trường {e_path}.code: mã yếu tố {e_code!r} không được chứa dấu chấm.")
            elif e_code in element_codes:
                problems.append(f"Trường {e_path}.code: mã yếu tố {e_code!r} bị lặp lại.")
            element_codes.add(e_code)
        e_name = _text_field(raw_element.get("name"), f"{e_path}.name", problems, required=False)
        weight = Decimal(1)
        if raw_element.get("weight") is not None:
            weight = _decimal_weight(raw_element.get("weight"), f"{e_path}.weight", problems)
        raw_items = raw_element.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(f"Trường {e_path}.items: phải là danh sách không rỗng các câu hỏi.")
            raw_items = []
        items: list[QuestionnaireItem] = []
        for i_pos, raw_item in enumerate(raw_items, start=1):
            i_path = f"{e_path}.items[{i_pos}]"
            if not isinstance(raw_item, dict):
                problems.append(f"Trường {i_path}: mỗi câu hỏi phải là một bảng có code và text.")
                continue
            _unknown_keys(raw_item, ("code", "text"), i_path, problems)
            i_code = _text_field(raw_item.get("code"), f"{i_path}.code", problems, required=True)
            i_text = _text_field(raw_item.get("text"), f"{i_path}.text", problems, required=False)
            if i_code is None:
                continue
            if e_code is not None and element_code_of(i_code) != e_code:
                problems.append(
                    f"Trường {i_path}.code: mã câu hỏi {i_code!r} phải có dạng {e_code}.<số> "
                    f"(phần trước dấu chấm là mã yếu tố)."
                )
            if i_code in item_codes:
                problems.append(f"Trường {i_path}.code: mã câu hỏi {i_code!r} bị lặp lại.")
            item_codes.add(i_code)
            items.append(QuestionnaireItem(code=i_code, text=i_text or ""))
        elements.append(
            QuestionnaireElement(code=e_code or "", name=e_name, weight=weight, items=tuple(items))
        )
    if problems:
        raise SipasInputError(problems)
    return Questionnaire(code=code or "", name=name, satisfied=satisfied, elements=tuple(elements))


# --------------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True)
class Answer:
    """One answer of one respondent to one item; ``answer`` None means no answer (empty or 0).

    ``row`` is the CSV row number (header = row 1), used only to name rows in error messages.
    """

    respondent: str
    item: str
    answer: int | None
    row: int | None = None


def element_code_of(item_code: str) -> str | None:
    """The element of an item: the part before the first dot; None when the code is not ``X.n``.

    A code without a dot, or with nothing before or after the first dot, has no element.
    """
    element, dot, rest = item_code.partition(".")
    if not dot or not element or not rest:
        return None
    return element


def item_natural_key(code: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """Natural sort key: TC.2 before TC.10; ties (TC.01 / TC.1) broken by the plain text."""
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _NUMBER_RUN.split(code) if part != ""
    )
    return parts, code


def _row_label(row: int | None) -> str:
    return f"Dòng {row}" if row is not None else "Câu trả lời"


def parse_answers_csv(text: str, questionnaire: Questionnaire | None = None) -> list[Answer]:
    """Parse ``respondent,item,answer`` rows (UTF-8 text, a leading BOM accepted).

    Rules (every problem is collected with its CSV row number — the header is row 1 — then
    :class:`SipasInputError` is raised):

    - the header names exactly the columns ``respondent``, ``item``, ``answer`` (case and surrounding
      spaces ignored; any order); each row has exactly three cells; fully empty lines are skipped;
    - ``respondent`` is not empty; ``item`` has the form ``<element>.<n>`` (a dot with text on both
      sides); with ``questionnaire``, the item must be one of its items;
    - ``answer`` (spaces trimmed) is ``1``..``5``, or empty or ``0`` for no answer; anything else
      (``6``, ``4.0``, ``hài lòng``) is invalid;
    - a second row for the same respondent and item is invalid (even if both are empty).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    answers: list[Answer] = []
    header: list[str] | None = None
    positions: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    allowed_items = set(questionnaire.element_of_item()) if questionnaire is not None else None
    try:
        for row_number, cells in enumerate(reader, start=1):
            if not cells or all(not cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                if sorted(header) != sorted(_CSV_COLUMNS) or len(set(header)) != len(header):
                    raise SipasInputError(
                        [
                            f"Dòng {row_number}: dòng tiêu đề phải là respondent,item,answer "
                            f"(nhận được {','.join(cells)!r})."
                        ]
                    )
                positions = {name: header.index(name) for name in _CSV_COLUMNS}
                continue
            if len(cells) != len(_CSV_COLUMNS):
                problems.append(
                    f"Dòng {row_number}: phải có đúng 3 cột respondent,item,answer (có {len(cells)} cột)."
                )
                continue
            respondent = cells[positions["respondent"]].strip()
            item = cells[positions["item"]].strip()
            raw_answer = cells[positions["answer"]].strip()
            row_ok = True
            if not respondent:
                problems.append(f"Dòng {row_number}: cột respondent (mã người trả lời) đang trống.")
                row_ok = False
            if not item:
                problems.append(f"Dòng {row_number}: cột item (mã câu hỏi) đang trống.")
                row_ok = False
            elif element_code_of(item) is None:
                problems.append(
                    f"Dòng {row_number}: cột item: mã câu hỏi {item!r} phải có dạng <mã yếu tố>.<số>, "
                    f"ví dụ TC.1."
                )
                row_ok = False
            elif allowed_items is not None and item not in allowed_items:
                problems.append(
                    f"Dòng {row_number}: cột item: câu hỏi {item!r} không có trong bảng hỏi "
                    f"{questionnaire.code if questionnaire else ''}."
                )
                row_ok = False
            value: int | None = None
            if raw_answer in ("", "0"):
                value = None
            elif len(raw_answer) == 1 and raw_answer in "12345":
                value = int(raw_answer)
            else:
                problems.append(
                    f"Dòng {row_number}: cột answer: câu trả lời phải là số từ 1 đến 5, hoặc để trống "
                    f"hay 0 nếu không trả lời (nhận được {raw_answer!r})."
                )
                row_ok = False
            if respondent and item:
                first = seen.get((respondent, item))
                if first is not None:
                    problems.append(
                        f"Dòng {row_number}: người trả lời {respondent!r} đã có câu trả lời cho câu {item!r} "
                        f"ở dòng {first}; mỗi người chỉ được một dòng cho mỗi câu."
                    )
                    row_ok = False
                else:
                    seen[(respondent, item)] = row_number
            if row_ok:
                answers.append(Answer(respondent=respondent, item=item, answer=value, row=row_number))
    except csv.Error as error:
        problems.append(f"Dòng {reader.line_num}: tệp CSV không đọc được ({error}).")
    if header is None and not problems:
        problems.append("Tệp trả lời trống: thiếu dòng tiêu đề respondent,item,answer.")
    if problems:
        raise SipasInputError(problems)
    return answers


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ItemResult:
    """One item: ``index`` and ``ci95`` rounded half-up to 2 places (percent), ``exact_index`` unrounded."""

    code: str
    valid: int
    satisfied: int
    index: Decimal | None
    ci95: tuple[Decimal, Decimal] | None
    exact_index: Fraction | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str | None
    weight: Decimal
    index: Decimal | None
    items: tuple[ItemResult, ...]
    exact_index: Fraction | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SipasResult:
    respondents: int
    overall: Decimal | None
    elements: tuple[ElementResult, ...]
    exact_overall: Fraction | None = field(default=None, repr=False)
    questionnaire_code: str | None = None


def round_half_up(value: Fraction | Decimal, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero on a tie) to ``places`` decimals."""
    exact = value if isinstance(value, Fraction) else Fraction(value)
    # In integers: round(|n/d| × 10^places) half-up = (2·|n|·10^places + d) // 2d (no Fraction arithmetic:
    # a city's figures round thousands of these).
    numerator, denominator = exact.numerator, exact.denominator
    rounded = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    sign = -1 if numerator < 0 else 1
    return Decimal(sign * rounded).scaleb(-places)


def _exact_sqrt(value: Fraction) -> Fraction | None:
    num_root = math.isqrt(value.numerator)
    den_root = math.isqrt(value.denominator)
    if num_root * num_root == value.numerator and den_root * den_root == value.denominator:
        return Fraction(num_root, den_root)
    return None


def _fraction_to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def wilson_interval(successes: int, total: int, z: Decimal = WILSON_Z) -> tuple[Decimal, Decimal] | None:
    """95 % (by default) Wilson score interval of ``successes/total`` in percent, clamped to 0..100, rounded.

    (k + z²/2 ± z·√(k(n−k)/n + z²/4)) ÷ (n + z²), times 100. None when ``total`` is 0.

    The bounds are rounded half-up from the exact value. Floating point gives the same rounding unless a
    bound lies within a hair of a tie (x,xx5), so floats are used first and the exact computation only
    near a tie — a city page computes thousands of these and the exact one costs ~0,1 ms each.
    """
    if total < 0 or successes < 0 or successes > total:
        raise ValueError("wilson_interval: need 0 ≤ successes ≤ total")
    if total == 0:
        return None
    return _wilson_cached(successes, total, z)


@functools.lru_cache(maxsize=8192)
def _wilson_cached(successes: int, total: int, z: Decimal) -> tuple[Decimal, Decimal]:
    fast = _wilson_float(successes, total, float(z))
    if fast is not None:
        return fast
    return _wilson_exact(successes, total, z)


def clear_caches() -> None:
    """Forget memoised intervals, weights and item orders (benchmarks measure the computation, not the
    memo)."""
    _wilson_cached.cache_clear()
    _fraction_of.cache_clear()
    _natural_order.cache_clear()


#: How far (in units of the last kept decimal, i.e. 0,01 %) a float bound must be from a rounding tie to
#: be trusted: float error here is below 1e-12 of these magnitudes, so 1e-6 is a wide margin.
_TIE_MARGIN = 1e-6


def _wilson_float(successes: int, total: int, z: float) -> tuple[Decimal, Decimal] | None:
    z2 = z * z
    denominator = total + z2
    center = (successes + z2 / 2) / denominator
    half = z * math.sqrt(successes * (total - successes) / total + z2 / 4) / denominator
    bounds = []  # the clamp to 0..100 only moves values that round to 0,00 or 100,00 either way
    for value in ((center - half) * 100, (center + half) * 100):
        value = min(max(value, 0.0), 100.0)
        scaled = value * 100
        fraction = scaled - math.floor(scaled)
        if abs(fraction - 0.5) < _TIE_MARGIN:
            return None
        bounds.append(Decimal(math.floor(scaled + 0.5)).scaleb(-2))
    return bounds[0], bounds[1]


def _wilson_exact(successes: int, total: int, z: Decimal) -> tuple[Decimal, Decimal]:
    zf = Fraction(z)
    z2 = zf * zf
    denominator = total + z2
    center = (successes + z2 / 2) / denominator
    radicand = Fraction(successes * (total - successes), total) + z2 / 4
    root = _exact_sqrt(radicand)
    low: Fraction | Decimal
    high: Fraction | Decimal
    if root is not None:
        half = zf * root / denominator
        low, high = (center - half) * _HUNDRED, (center + half) * _HUNDRED
    else:
        with localcontext() as ctx:
            ctx.prec = _SQRT_PRECISION
            half_dec = _fraction_to_decimal(zf / denominator) * _fraction_to_decimal(radicand).sqrt()
            center_dec = _fraction_to_decimal(center)
            low = (center_dec - half_dec) * 100
            high = (center_dec + half_dec) * 100
    return (_clamp_percent(low), _clamp_percent(high))


def _clamp_percent(value: Fraction | Decimal) -> Decimal:
    exact = Fraction(value)
    exact = min(max(exact, Fraction(0)), _HUNDRED)
    return round_half_up(exact)


def _check_weights(weights: Mapping[str, Decimal] | None) -> dict[str, Decimal]:
    if weights is None:
        return {}
    problems = []
    checked: dict[str, Decimal] = {}
    for code, weight in weights.items():
        try:
            value = Decimal(weight)
        except (InvalidOperation, TypeError, ValueError):
            problems.append(f"Trọng số của yếu tố {code!r}: phải là một số không âm (nhận được {weight!r}).")
            continue
        if not value.is_finite() or value < 0:
            problems.append(f"Trọng số của yếu tố {code!r}: phải là một số không âm (nhận được {weight!r}).")
            continue
        checked[code] = value
    if problems:
        raise SipasInputError(problems)
    return checked


def compute_indices_from_counts(
    counts: Mapping[str, Mapping[int, int]],
    respondents: int,
    questionnaire: Questionnaire | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> SipasResult:
    """The figures from aggregated counts: ``{item code: {answer: number of answers}}``.

    Answer keys are 0..5, 0 meaning "no answer" (it only makes the item appear, with ``valid 0``);
    counts are integers ≥ 0. ``respondents`` (the distinct respondents, valid answers or not) is passed
    through. The mapping's iteration order is the order of first appearance.

    Without ``questionnaire``: items group by the part of their code before the dot; elements come in the
    order TC, TT, CC, KQ, PA, then others by first appearance; only items present in ``counts`` are
    listed; no element names; weights 1 unless ``weights`` says otherwise.

    With ``questionnaire``: every one of its elements and items is listed (an item absent from
    ``counts`` has ``valid 0, index None``), in questionnaire order for elements; an item outside it is
    invalid; its ``satisfied`` levels, element names and weights apply.

    In both cases items within an element are in natural order (TC.2 before TC.10). ``weights`` (element
    code → weight ≥ 0) overrides the questionnaire's weights; codes that name no listed element are
    ignored. The overall index is None when no element has an index or when the weights of the elements
    that have one add up to 0.
    """
    checked_weights, satisfied_levels = _checked_inputs(counts, respondents, questionnaire, weights)
    elements = [
        _element_result(code, name, checked_weights.get(code, weight), item_codes, counts, satisfied_levels)
        for code, name, weight, item_codes in _element_layout(counts, questionnaire)
    ]
    overall_exact = _overall_exact([(e.weight, e.exact_index) for e in elements])
    return SipasResult(
        respondents=respondents,
        overall=round_half_up(overall_exact) if overall_exact is not None else None,
        elements=tuple(elements),
        exact_overall=overall_exact,
        questionnaire_code=questionnaire.code if questionnaire is not None else None,
    )


def overall_index_from_counts(
    counts: Mapping[str, Mapping[int, int]],
    respondents: int,
    questionnaire: Questionnaire | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> Decimal | None:
    """``compute_indices_from_counts(...).overall`` alone: the same checks and the same exact arithmetic
    (item → element → weighted overall), without rounding every item and element or computing their
    confidence intervals — what a measured criterion reads, for every unit of a city at once (the city's
    114 units of the benchmark: 15 → 5 ms, bench/RESULTS.md)."""
    checked_weights, satisfied_levels = _checked_inputs(counts, respondents, questionnaire, weights)
    weighted = [
        (
            checked_weights.get(code, weight),
            _items_mean([_item_counted(counts.get(item, {}), satisfied_levels)[2] for item in item_codes]),
        )
        for code, _name, weight, item_codes in _element_layout(counts, questionnaire)
    ]
    overall_exact = _overall_exact(weighted)
    return round_half_up(overall_exact) if overall_exact is not None else None


def _checked_inputs(
    counts: Mapping[str, Mapping[int, int]],
    respondents: int,
    questionnaire: Questionnaire | None,
    weights: Mapping[str, Decimal] | None,
) -> tuple[dict[str, Decimal], set[int]]:
    """The checks both computations from counts make, in order: the counts and the weights (every problem
    at once), then the satisfied levels. Returns the checked weights and the satisfied levels."""
    problems = _count_problems(counts, respondents, questionnaire)
    checked_weights = _check_weights(weights)
    if problems:
        raise SipasInputError(problems)
    return checked_weights, _satisfied_levels(questionnaire)


def _satisfied_levels(questionnaire: Questionnaire | None) -> set[int]:
    """The answers that count as satisfied (4 and 5 without a questionnaire); only answer levels 1–5 (the
    YAML parser refuses others; a questionnaire built in code is checked here, so that no index can pass
    100 % by counting "no answer" as satisfied)."""
    levels = set(questionnaire.satisfied if questionnaire is not None else (4, 5))
    if not levels <= _ANSWER_LEVEL_SET:
        raise SipasInputError(
            [f"Mức hài lòng phải từ 1 đến 5 (nhận được {sorted(levels - _ANSWER_LEVEL_SET)})."]
        )
    return levels


def _count_problems(
    counts: Mapping[str, Mapping[int, int]], respondents: int, questionnaire: Questionnaire | None
) -> list[str]:
    """Every problem of aggregated counts (see :func:`compute_indices_from_counts`), in order."""
    problems: list[str] = []
    if not _is_int(respondents) or respondents < 0:
        problems.append(f"Số người trả lời phải là số nguyên không âm (nhận được {respondents!r}).")
    allowed_items = questionnaire.element_of_item() if questionnaire is not None else None
    for item, item_counts in counts.items():
        if element_code_of(item) is None:
            problems.append(f"Câu hỏi {item!r}: mã câu hỏi phải có dạng <mã yếu tố>.<số>, ví dụ TC.1.")
        elif allowed_items is not None and item not in allowed_items:
            problems.append(
                f"Câu hỏi {item!r}: không có trong bảng hỏi {questionnaire.code if questionnaire else ''}."
            )
        for answer, count in item_counts.items():
            if type(answer) is int and 0 <= answer <= 5 and type(count) is int and count >= 0:
                continue  # the usual case, decided at once (a city's page checks every unit's counts)
            if not _is_int(answer) or not 0 <= answer <= 5:
                problems.append(f"Câu hỏi {item!r}: mức trả lời {answer!r} không hợp lệ (phải từ 0 đến 5).")
            if not _is_int(count) or count < 0:
                problems.append(f"Câu hỏi {item!r}: số câu trả lời {count!r} phải là số nguyên không âm.")
    return problems


def _element_layout(
    counts: Mapping[str, Mapping[int, int]], questionnaire: Questionnaire | None
) -> list[tuple[str, str | None, Decimal, list[str]]]:
    """Element code → (name, weight, item codes), in output order."""
    if questionnaire is not None:
        return [
            (q_element.code, q_element.name, q_element.weight, [item.code for item in q_element.items])
            for q_element in questionnaire.elements
        ]
    grouped: dict[str, list[str]] = {}
    for item in counts:
        grouped.setdefault(element_code_of(item) or "", []).append(item)
    ordered = [code for code in DEFAULT_ELEMENT_ORDER if code in grouped]
    ordered += [code for code in grouped if code not in DEFAULT_ELEMENT_ORDER]
    return [(code, None, Decimal(1), grouped[code]) for code in ordered]


def _item_counted(
    item_counts: Mapping[int, int], satisfied_levels: set[int]
) -> tuple[int, int, Fraction | None]:
    """An item's valid answers, satisfied answers and exact index (None without a valid answer)."""
    valid = happy = 0
    for answer, count in item_counts.items():
        if answer in _ANSWER_LEVEL_SET:
            valid += count
        if answer in satisfied_levels:
            happy += count
    return valid, happy, Fraction(happy * 100, valid) if valid else None


def _items_mean(exact_indices: Sequence[Fraction | None]) -> Fraction | None:
    """An element's exact index: the plain mean of its items' exact indices (items without one left out)."""
    present = [(_ONE, exact) for exact in exact_indices if exact is not None]
    return _weighted_mean(present, len(present)) if present else None


def _item_result(item: str, item_counts: Mapping[int, int], satisfied_levels: set[int]) -> ItemResult:
    valid, happy, exact = _item_counted(item_counts, satisfied_levels)
    return ItemResult(
        code=item,
        valid=valid,
        satisfied=happy,
        index=round_half_up(exact) if exact is not None else None,
        ci95=wilson_interval(happy, valid),
        exact_index=exact,
    )


def _element_result(
    code: str,
    name: str | None,
    weight: Decimal,
    item_codes: list[str],
    counts: Mapping[str, Mapping[int, int]],
    satisfied_levels: set[int],
) -> ElementResult:
    items = [
        _item_result(item, counts.get(item, {}), satisfied_levels)
        for item in _natural_order(tuple(item_codes))
    ]
    element_exact = _items_mean([item.exact_index for item in items])
    return ElementResult(
        code=code,
        name=name,
        weight=weight,
        index=round_half_up(element_exact) if element_exact is not None else None,
        items=tuple(items),
        exact_index=element_exact,
    )


def _overall_exact(elements: Sequence[tuple[Decimal, Fraction | None]]) -> Fraction | None:
    """The weighted mean of the elements' exact indices (``(weight, exact index)`` each); None without an
    index or a positive weight."""
    weighted = [(_fraction_of(weight), exact) for weight, exact in elements if exact is not None]
    total_weight = sum((w for w, _ in weighted), Fraction(0))
    if weighted and total_weight > 0:
        return _weighted_mean(weighted, total_weight)
    return None


_ONE = Fraction(1)
_ANSWER_LEVEL_SET = frozenset(ANSWER_LEVELS)


def _weighted_mean(weighted: Sequence[tuple[Fraction, Fraction]], total: Fraction | int) -> Fraction:
    """``Σ w·x ÷ total``, exactly: the sum is kept as one integer ratio and reduced once at the end (the
    same number as adding ``Fraction`` objects, which reduce at every step — a city's page adds
    thousands)."""
    numerator, denominator = 0, 1
    for w, x in weighted:
        term_numerator, term_denominator = w.numerator * x.numerator, w.denominator * x.denominator
        numerator = numerator * term_denominator + term_numerator * denominator
        denominator *= term_denominator
    exact_total = Fraction(total)
    return Fraction(numerator * exact_total.denominator, denominator * exact_total.numerator)


@functools.lru_cache(maxsize=256)
def _fraction_of(weight: Decimal) -> Fraction:
    return Fraction(weight)


@functools.lru_cache(maxsize=1024)
def _natural_order(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=item_natural_key))


def compute_indices(
    answers: Iterable[Answer],
    questionnaire: Questionnaire | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> SipasResult:
    """The figures from individual answers (see :func:`compute_indices_from_counts` for the method).

    The answers are checked again (they may come from elsewhere than :func:`parse_answers_csv`): a
    second answer of the same respondent to the same item, an item code without a dot, an item outside
    ``questionnaire`` or an answer outside 1..5/None is invalid, and every problem is reported at once.
    ``respondents`` counts the distinct respondent ids, whether or not they answered validly.
    """
    problems: list[str] = []
    counts: dict[str, dict[int, int]] = {}
    respondents: set[str] = set()
    seen: dict[tuple[str, str], int | None] = {}
    allowed_items = questionnaire.element_of_item() if questionnaire is not None else None
    for answer in answers:
        label = _row_label(answer.row)
        respondents.add(answer.respondent)
        key = (answer.respondent, answer.item)
        if key in seen:
            first = seen[key]
            where = f" ở dòng {first}" if first is not None else ""
            problems.append(
                f"{label}: người trả lời {answer.respondent!r} đã có câu trả lời cho câu {answer.item!r}{where}."
            )
            continue
        seen[key] = answer.row
        ok = True
        if element_code_of(answer.item) is None:
            problems.append(f"{label}: mã câu hỏi {answer.item!r} phải có dạng <mã yếu tố>.<số>, ví dụ TC.1.")
            ok = False
        elif allowed_items is not None and answer.item not in allowed_items:
            problems.append(
                f"{label}: câu hỏi {answer.item!r} không có trong bảng hỏi "
                f"{questionnaire.code if questionnaire else ''}."
            )
            ok = False
        value = answer.answer
        if value is not None and (not _is_int(value) or not 0 <= value <= 5):
            problems.append(f"{label}: câu trả lời {value!r} không hợp lệ (phải từ 1 đến 5, hoặc trống).")
            ok = False
        if ok:
            item_counts = counts.setdefault(answer.item, {})
            level = value or 0
            item_counts[level] = item_counts.get(level, 0) + 1
    if problems:
        raise SipasInputError(problems)
    return compute_indices_from_counts(counts, len(respondents), questionnaire, weights)


def _json_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def result_to_json(result: SipasResult) -> dict[str, Any]:
    """The contract's JSON: ``{"respondents", "overall", "elements": [{"code", ["name"], "index", "items":
    [{"code", "index", "valid", "ci95"}]}]}``; rounded figures as floats, ``None`` (null) where no valid
    answer. ``name`` appears only when the questionnaire gives the element one."""
    elements: list[dict[str, Any]] = []
    for element in result.elements:
        data: dict[str, Any] = {"code": element.code}
        if element.name is not None:
            data["name"] = element.name
        data["index"] = _json_number(element.index)
        data["items"] = [
            {
                "code": item.code,
                "index": _json_number(item.index),
                "valid": item.valid,
                "ci95": [float(item.ci95[0]), float(item.ci95[1])] if item.ci95 is not None else None,
            }
            for item in element.items
        ]
        elements.append(data)
    return {"respondents": result.respondents, "overall": _json_number(result.overall), "elements": elements}


# --------------------------------------------------------------------------------------------------
# Sample size


def sample_size(transactions: int, error: Decimal = Decimal("0.05")) -> int:
    """Minimum number of forms: n = ⌈N ÷ (1 + N·e²)⌉, exact (N = 4000, e = 0.05 → 364; N = 0 → 0).

    ``transactions`` (N) is an integer ≥ 0; ``error`` (e) a Decimal with 0 < e < 1 (floats are refused
    so that 0.05 means exactly 5/100).
    """
    problems = []
    if not _is_int(transactions) or transactions < 0:
        problems.append(f"Số giao dịch (N) phải là số nguyên không âm (nhận được {transactions!r}).")
    if not isinstance(error, Decimal | int) or isinstance(error, bool):
        problems.append(f"Sai số (e) phải là số thập phân lớn hơn 0 và nhỏ hơn 1 (nhận được {error!r}).")
    elif not (isinstance(error, int) or error.is_finite()) or not 0 < error < 1:
        problems.append(f"Sai số (e) phải lớn hơn 0 và nhỏ hơn 1 (nhận được {error!r}).")
    if problems:
        raise SipasInputError(problems)
    e = Fraction(error)
    exact = Fraction(transactions) / (1 + transactions * e * e)
    return math.ceil(exact)
