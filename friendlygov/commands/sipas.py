"""`friendlygov sipas`: SIPAS satisfaction indices from a CSV of answers, and the survey sample size.

    friendlygov sipas --responses ANSWERS.csv [--questionnaire FILE.yaml] [--format json|text]
    friendlygov sipas sample-size --transactions N [--error 0.05] [--format json|text]

Both forms share one parser: an optional positional ``action`` (only ``sample-size``) and the options of
both forms; the handler checks that the options fit the form used. Pure: never sets up Django.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    print_json,
    read_capped,
    report_input_error,
)
from friendlygov.rules.sipas import (
    DEFAULT_QUESTIONNAIRE,
    Questionnaire,
    SipasInputError,
    SipasResult,
    compute_indices,
    parse_answers_csv,
    parse_questionnaire_yaml,
    result_to_json,
    sample_size,
)
from friendlygov.rules.text import format_vn_number

SAMPLE_SIZE_ACTION = "sample-size"
FORMATS = ("json", "text")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sipas",
        help="Chỉ số hài lòng SIPAS từ tệp câu trả lời; cỡ mẫu khảo sát",
        description=(
            "friendlygov sipas --responses ANSWERS.csv [--questionnaire FILE.yaml] [--format json|text]\n"
            "friendlygov sipas sample-size --transactions N [--error 0.05] [--format json|text]"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "action",
        nargs="?",
        default=None,
        metavar=SAMPLE_SIZE_ACTION,
        help="sample-size: tính cỡ mẫu n = ⌈N ÷ (1 + N·e²)⌉",
    )
    parser.add_argument("--responses", metavar="ANSWERS.csv", help="tệp CSV respondent,item,answer")
    parser.add_argument("--questionnaire", metavar="FILE.yaml", help="bảng hỏi (friendlygov.questionnaire/1)")
    parser.add_argument("--transactions", metavar="N", help="số giao dịch trong kỳ (sample-size)")
    parser.add_argument("--error", metavar="E", help="sai số cho phép, mặc định 0.05 (sample-size)")
    parser.add_argument(
        "--format", dest="output_format", metavar="json|text", default="text", help="định dạng in ra"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.output_format not in FORMATS:
            raise InputError(f"Tham số --format: phải là json hoặc text (nhận được {args.output_format!r}).")
        if args.action not in (None, SAMPLE_SIZE_ACTION):
            raise InputError(
                f"Thao tác {args.action!r} không hợp lệ: chỉ có 'friendlygov sipas --responses ...' "
                f"và 'friendlygov sipas sample-size ...'."
            )
        if args.action == SAMPLE_SIZE_ACTION:
            return _run_sample_size(args)
        return _run_indices(args)
    except InputError as error:
        return report_input_error(error)


# --------------------------------------------------------------------------------------------------
# Indices


def _read_text(path_text: str, option: str, what: str) -> str:
    try:
        data = read_capped(path_text)
    except InputTooLarge as error:
        raise InputError(error.message(f"Tham số {option}")) from None
    except FileNotFoundError as error:
        raise InputError(f"Tham số {option}: không tìm thấy {what} '{path_text}'.") from error
    except OSError as error:
        raise InputError(
            f"Tham số {option}: không đọc được {what} '{path_text}' ({error.strerror})."
        ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"Tham số {option}: {what} '{path_text}' không phải UTF-8 (byte lỗi ở vị trí {error.start})."
        ) from error


def _run_indices(args: argparse.Namespace) -> int:
    problems: list[str] = []
    if args.transactions is not None:
        problems.append("Tham số --transactions chỉ dùng với: friendlygov sipas sample-size.")
    if args.error is not None:
        problems.append("Tham số --error chỉ dùng với: friendlygov sipas sample-size.")
    if args.responses is None:
        problems.append("Thiếu tham số --responses ANSWERS.csv (tệp câu trả lời).")
    if problems:
        raise InputError(problems)

    questionnaire: Questionnaire | None = None
    questionnaire_ok = True
    if args.questionnaire is not None:
        try:
            text = _read_text(args.questionnaire, "--questionnaire", "tệp bảng hỏi")
            questionnaire = parse_questionnaire_yaml(text)
        except InputError as error:
            problems.extend(error.problems)
            questionnaire_ok = False
        except SipasInputError as error:
            problems.extend(f"Tệp bảng hỏi '{args.questionnaire}': {problem}" for problem in error.problems)
            questionnaire_ok = False
    try:
        answers_text = _read_text(args.responses, "--responses", "tệp câu trả lời")
        answers = parse_answers_csv(answers_text, questionnaire)
    except InputError as error:
        problems.extend(error.problems)
        raise InputError(problems) from error
    except SipasInputError as error:
        problems.extend(f"Tệp câu trả lời '{args.responses}': {problem}" for problem in error.problems)
        raise InputError(problems) from error
    if not questionnaire_ok:
        raise InputError(problems)
    try:
        result = compute_indices(answers, questionnaire)
    except SipasInputError as error:
        raise InputError(error.problems) from error

    if args.output_format == "json":
        print_json(result_to_json(result))
    else:
        print(format_result_text(result, questionnaire))
    return 0


def format_vi_number(value: Decimal | int, places: int = 2) -> str:
    """Vietnamese style: "." groups thousands, "," marks decimals (1.234,50; 88,12)."""
    return format_vn_number(value, places)


def _percent(value: Decimal | None) -> str:
    return f"{format_vi_number(value)}%" if value is not None else "chưa có câu trả lời hợp lệ"


def format_result_text(result: SipasResult, questionnaire: Questionnaire | None = None) -> str:
    names = questionnaire or DEFAULT_QUESTIONNAIRE
    item_texts = {item.code: item.text for element in names.elements for item in element.items}
    lines = [
        "CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)",
        f"Bảng hỏi: {questionnaire.code if questionnaire else 'mặc định (nhóm theo mã yếu tố)'}",
        f"Số người trả lời: {format_vi_number(result.respondents, 0)}",
        f"Chỉ số hài lòng chung: {_percent(result.overall)}",
    ]
    for element in result.elements:
        element_name = element.name
        if element_name is None:
            known = names.element(element.code)
            element_name = known.name if known is not None else None
        title = f"{element.code} — {element_name}" if element_name else element.code
        weight = (
            ""
            if element.weight == 1
            else f" (trọng số {format_vi_number(element.weight.normalize(), _places(element.weight))})"
        )
        lines.append("")
        lines.append(f"{title}: {_percent(element.index)}{weight}")
        for item in element.items:
            label = item.code
            if item_texts.get(item.code):
                label += f" {item_texts[item.code]}"
            if item.index is None or item.ci95 is None:
                lines.append(f"  {label}: chưa có câu trả lời hợp lệ")
            else:
                low, high = item.ci95
                lines.append(
                    f"  {label}: {_percent(item.index)} "
                    f"({format_vi_number(item.satisfied, 0)}/{format_vi_number(item.valid, 0)} câu trả lời hợp lệ "
                    f"hài lòng; khoảng tin cậy 95%: {format_vi_number(low)}% – {format_vi_number(high)}%)"
                )
    return "\n".join(lines)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# --------------------------------------------------------------------------------------------------
# Sample size


def _run_sample_size(args: argparse.Namespace) -> int:
    problems: list[str] = []
    if args.responses is not None:
        problems.append("Tham số --responses không dùng với sample-size.")
    if args.questionnaire is not None:
        problems.append("Tham số --questionnaire không dùng với sample-size.")
    transactions: int | None = None
    if args.transactions is None:
        problems.append("Thiếu tham số --transactions N (số giao dịch trong kỳ).")
    else:
        raw = args.transactions.strip()
        if raw.isascii() and raw.isdigit():
            transactions = int(raw)
        else:
            problems.append(
                f"Tham số --transactions: phải là số nguyên không âm (nhận được {args.transactions!r})."
            )
    error = Decimal("0.05")
    if args.error is not None:
        try:
            error = Decimal(args.error.strip().replace(",", "."))
        except InvalidOperation:
            problems.append(f"Tham số --error: phải là số thập phân, ví dụ 0.05 (nhận được {args.error!r}).")
        else:
            if not error.is_finite() or not 0 < error < 1:
                problems.append(f"Tham số --error: phải lớn hơn 0 và nhỏ hơn 1 (nhận được {args.error!r}).")
    if problems or transactions is None:
        raise InputError(problems)
    try:
        n = sample_size(transactions, error)
    except SipasInputError as exc:
        raise InputError(exc.problems) from exc
    if args.output_format == "json":
        print_json({"transactions": transactions, "error": float(error), "sample_size": n})
    else:
        print(
            f"Cỡ mẫu tối thiểu: {format_vi_number(n, 0)} phiếu "
            f"(N = {format_vi_number(transactions, 0)} giao dịch, sai số e = "
            f"{format_vi_number(error * 100, _places(error * 100))}%; n = N ÷ (1 + N·e²), làm tròn lên)."
        )
    return 0
