"""Reward money that goes with a commune chairman's certificate of merit (Giấy khen), and amounts in words.

Nghị định 98/2023/NĐ-CP (the decree under the Law on Emulation and Commendation 2022) sets the money as a
multiple of the base salary (mức lương cơ sở): a Giấy khen of the chairman of a commune-level People's
Committee 0,15 times for an individual, twice that for a collective (as in Nghị định 91/2017/NĐ-CP before it);
the product is rounded to the ten thousand đồng ("làm tròn số lên hàng chục nghìn đồng", read as offices apply
it: 223.500 → 220.000, 447.000 → 450.000). The base salary is the one in force on the day the decision is
signed.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# (in force from, đồng a month, the decree that set it), oldest first.
BASE_SALARY: tuple[tuple[dt.date, int, str], ...] = (
    (dt.date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP"),
)

# (reward form, nominee kind) → multiple of the base salary. Forms decided above the commune (the city's
# Bằng khen) or without money (Biểu dương) have none here.
COEFFICIENTS: dict[tuple[str, str], Decimal] = {
    ("giay_khen", "individual"): Decimal("0.15"),
    ("giay_khen", "collective"): Decimal("0.3"),
}

COMMUNE_FORMS = ("giay_khen",)  # the forms the commune's chairman decides


def base_salary(on: dt.date) -> int:
    amount = BASE_SALARY[0][1]
    for start, value, _decree in BASE_SALARY:
        if start <= on:
            amount = value
    return amount


def reward_amount(form: str, nominee_kind: str, on: dt.date) -> int | None:
    """The money (đồng) with a reward signed on ``on``; None for a form that carries none here."""
    coefficient = COEFFICIENTS.get((form, nominee_kind))
    if coefficient is None:
        return None
    raw = coefficient * base_salary(on) / Decimal(10_000)
    return int(raw.to_integral_value(rounding=ROUND_HALF_UP)) * 10_000


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three(n: int, full: bool) -> list[str]:
    """A group of three digits; ``full`` when a higher group precedes it ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return words


def vn_number_words(number: int) -> str:
    """ "1070000" → "Một triệu không trăm bảy mươi nghìn" (under 10^12; as amounts are written in words)."""
    if number < 0 or number >= 10**12:
        raise ValueError(f"vn_number_words: {number} out of range")
    if number == 0:
        return "Không"
    groups: list[int] = []
    while number:
        groups.append(number % 1000)
        number //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += _three(value, full=bool(words))
        if _GROUPS[index]:
            words.append(_GROUPS[index])
    text = " ".join(words)
    return text[0].upper() + text[1:]
