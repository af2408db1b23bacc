"""The content of a questionnaire version: the spec's questionnaire format plus other question types.

A definition is a JSON object stored in :class:`~friendlygov.surveys.models.QuestionnaireVersion`::

    {"format": "friendlygov.questionnaire/1", "code": "SIPAS-DV", "name": "...", "satisfied": [4, 5],
     "elements": [{"code": "TC", "name": "...", "weight": "1", "items": [{"code": "TC.1", "text": "..."}]}],
     "questions": [{"code": "GOPY", "type": "text", "text": "...", "choices": [], "required": false}]}

The scale part (everything but ``questions``) is exactly the questionnaire file of ``friendlygov sipas``
(``docs/spec/command-line.md``) and is checked by :func:`friendlygov.rules.sipas.parse_questionnaire_yaml`;
weights are kept as decimal strings so nothing is lost. ``questions`` is this product's extension: single
choice, multiple choice, short text and "needs and expectations" (choices to tick plus a text). A YAML export
without ``questions`` is a valid ``--questionnaire`` file for the command line.

No Django here: plain data in, plain data out (errors as :class:`SipasInputError`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from friendlygov.rules.sipas import (
    DEFAULT_QUESTIONNAIRE_PATH,
    QUESTIONNAIRE_FORMAT,
    Questionnaire,
    QuestionnaireElement,
    QuestionnaireItem,
    SipasInputError,
    parse_questionnaire_yaml,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

QUESTION_TYPES: dict[str, str] = {
    "single": "Chọn một",
    "multiple": "Chọn nhiều",
    "text": "Trả lời ngắn",
    "needs": "Nhu cầu, mong đợi",
}
CHOICE_TYPES = ("single", "multiple", "needs")
MAX_CHOICES = 20
MAX_TEXT = 1000
QUESTION_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,19}$")

#: The five levels, as citizens read them.
SCALE_LABELS: dict[int, str] = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
}


# --------------------------------------------------------------------------------------------------
# Conversions


def _weight_text(weight: Decimal) -> str:
    text = format(weight.normalize(), "f")
    return text


def definition_from_questionnaire(
    questionnaire: Questionnaire, questions: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    return {
        "format": QUESTIONNAIRE_FORMAT,
        "code": questionnaire.code,
        "name": questionnaire.name or "",
        "satisfied": list(questionnaire.satisfied),
        "elements": [
            {
                "code": element.code,
                "name": element.name or "",
                "weight": _weight_text(element.weight),
                "items": [{"code": item.code, "text": item.text} for item in element.items],
            }
            for element in questionnaire.elements
        ],
        "questions": [dict(q) for q in questions],
    }


def to_rules(definition: Mapping[str, Any]) -> Questionnaire:
    """The pure questionnaire of a stored definition (already validated)."""
    return Questionnaire(
        code=str(definition.get("code", "")),
        name=definition.get("name") or None,
        satisfied=tuple(int(v) for v in definition.get("satisfied", (4, 5))),
        elements=tuple(
            QuestionnaireElement(
                code=element["code"],
                name=element.get("name") or None,
                weight=Decimal(str(element.get("weight", "1"))),
                items=tuple(
                    QuestionnaireItem(item["code"], item.get("text", "")) for item in element["items"]
                ),
            )
            for element in definition.get("elements", [])
        ),
    )


def item_codes(definition: Mapping[str, Any]) -> list[str]:
    return [item["code"] for element in definition.get("elements", []) for item in element["items"]]


def questions_of(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [dict(q) for q in definition.get("questions", [])]


# --------------------------------------------------------------------------------------------------
# Validation


def _check_questions(raw: object, taken_codes: set[str]) -> tuple[list[dict[str, Any]], list[str]]:
    problems: list[str] = []
    questions: list[dict[str, Any]] = []
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["Trường questions: phải là danh sách các câu hỏi."]
    seen: set[str] = set()
    for position, entry in enumerate(raw, start=1):
        path = f"questions[{position}]"
        if not isinstance(entry, dict):
            problems.append(f"Trường {path}: mỗi câu hỏi phải là một bảng có code, type, text.")
            continue
        for key in entry:
            if key not in ("code", "type", "text", "choices", "required"):
                problems.append(f"Trường {path}.{key}: không thuộc định dạng câu hỏi.")
        code = str(entry.get("code") or "").strip()
        if not QUESTION_CODE_RE.match(code):
            problems.append(
                f"Trường {path}.code: mã câu hỏi {code!r} chỉ gồm chữ in hoa không dấu, chữ số, dấu gạch dưới "
                f"(tối đa 20 ký tự, không có dấu chấm)."
            )
        elif code in seen or code in taken_codes:
            problems.append(f"Trường {path}.code: mã câu hỏi {code!r} bị lặp lại.")
        seen.add(code)
        kind = str(entry.get("type") or "").strip()
        if kind not in QUESTION_TYPES:
            problems.append(
                f"Trường {path}.type: loại câu hỏi phải là một trong {', '.join(QUESTION_TYPES)} (nhận được {kind!r})."
            )
        text = entry.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"Trường {path}.text: nội dung câu hỏi không được để trống.")
            text = ""
        raw_choices = entry.get("choices")
        choices: list[str] = []
        if raw_choices is not None:
            if not isinstance(raw_choices, list) or not all(
                isinstance(c, str | int) and str(c).strip() for c in raw_choices
            ):
                problems.append(f"Trường {path}.choices: phải là danh sách các lựa chọn (không để trống).")
            else:
                choices = [str(c).strip() for c in raw_choices]
                if len(set(choices)) != len(choices):
                    problems.append(f"Trường {path}.choices: có lựa chọn bị lặp lại.")
                if len(choices) > MAX_CHOICES:
                    problems.append(f"Trường {path}.choices: tối đa {MAX_CHOICES} lựa chọn.")
        if kind in ("single", "multiple") and not choices:
            problems.append(f"Trường {path}.choices: câu hỏi loại {kind} cần ít nhất một lựa chọn.")
        if kind == "text" and choices:
            problems.append(f"Trường {path}.choices: câu hỏi trả lời ngắn không có lựa chọn.")
        required = entry.get("required", False)
        if not isinstance(required, bool):
            problems.append(f"Trường {path}.required: phải là true hoặc false.")
            required = False
        questions.append(
            {"code": code, "type": kind, "text": str(text).strip(), "choices": choices, "required": required}
        )
    return questions, problems


def parse_definition_yaml(text: str) -> dict[str, Any]:
    """A questionnaire file (the spec's format, optionally with ``questions``) → a stored definition.

    Raises :class:`SipasInputError` with every problem (Vietnamese, naming the field).
    """
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
    raw_questions = data.pop("questions", None)
    problems: list[str] = []
    questionnaire: Questionnaire | None = None
    try:
        questionnaire = parse_questionnaire_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    except SipasInputError as error:
        problems.extend(error.problems)
    taken = set(questionnaire.element_of_item()) if questionnaire is not None else set()
    questions, question_problems = _check_questions(raw_questions, taken)
    problems.extend(question_problems)
    if problems or questionnaire is None:
        raise SipasInputError(problems)
    return definition_from_questionnaire(questionnaire, questions)


def validate_definition(definition: Mapping[str, Any]) -> dict[str, Any]:
    """Check (and normalise) a definition given as data, e.g. from the API."""
    return parse_definition_yaml(definition_to_yaml(definition, include_questions=True, header=False))


def _yaml_weight(text: Any) -> int | float | str:
    value = Decimal(str(text))
    if value == value.to_integral_value():
        return int(value)
    return float(value) if Decimal(repr(float(value))) == value else str(value)


def definition_to_yaml(definition: Mapping[str, Any], *, include_questions: bool, header: bool = True) -> str:
    """The questionnaire file. Without ``questions`` it is exactly the spec's format (``friendlygov sipas``)."""
    data: dict[str, Any] = {
        "format": definition.get("format", QUESTIONNAIRE_FORMAT),
        "code": definition.get("code"),
    }
    if definition.get("name"):
        data["name"] = definition["name"]
    data["satisfied"] = list(definition.get("satisfied", [4, 5]))
    elements = []
    for element in definition.get("elements", []):
        entry: dict[str, Any] = {"code": element.get("code")}
        if element.get("name"):
            entry["name"] = element["name"]
        entry["weight"] = _yaml_weight(element.get("weight", "1"))
        entry["items"] = [
            {"code": item.get("code"), **({"text": item["text"]} if item.get("text") else {})}
            for item in element.get("items", [])
        ]
        elements.append(entry)
    data["elements"] = elements
    if include_questions and definition.get("questions"):
        data["questions"] = [
            {k: v for k, v in q.items() if not (k == "choices" and not v) and not (k == "required" and not v)}
            for q in definition["questions"]
        ]
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    if not header:
        return body
    note = (
        "# Bảng hỏi theo định dạng friendlygov.questionnaire/1 (dùng được với: friendlygov sipas --questionnaire).\n"
        if not (include_questions and definition.get("questions"))
        else '# Bảng hỏi friendlygov.questionnaire/1 kèm khóa mở rộng "questions" (câu hỏi khác thang điểm);\n'
        "# bỏ khóa này trước khi dùng với: friendlygov sipas --questionnaire.\n"
    )
    return note + body


# --------------------------------------------------------------------------------------------------
# The product's library


#: (kind, file with the scale part, file with the extra questions or None)
LIBRARY: tuple[tuple[str, Path, Path | None], ...] = (
    ("sipas_service", DEFAULT_QUESTIONNAIRE_PATH, DATA_DIR / "sipas-dv-questions.yaml"),
    ("model_satisfaction", DATA_DIR / "model-satisfaction.yaml", None),
    ("desk_conduct", DATA_DIR / "desk-conduct.yaml", None),
    ("conduct_4x4l5k", DATA_DIR / "conduct-4x4l5k.yaml", None),
)

LIBRARY_NOTES: dict[str, str] = {
    "sipas_service": "Phiếu khảo sát dịch vụ hành chính công theo phương pháp SIPAS (QĐ 1001/QĐ-BNV): năm yếu tố "
    "TC, TT, CC, KQ, PA; câu chữ là của phần mềm, theo các nội dung phương pháp nêu.",
    "model_satisfaction": "Bản nháp của phần mềm — không phải mẫu chính thức; xã chỉnh sửa trước khi dùng.",
    "desk_conduct": "Bản nháp của phần mềm — không phải mẫu chính thức; xã chỉnh sửa trước khi dùng.",
    "conduct_4x4l5k": "Bản nháp của phần mềm — không phải mẫu chính thức. “4 xin, 4 luôn” theo QĐ 1847/QĐ-TTg; "
    "cách diễn đạt “5 không” của Hải Phòng chưa được xác nhận.",
}


def library_definitions() -> list[tuple[str, dict[str, Any]]]:
    """(kind, definition) of each questionnaire of the product's library."""
    result = []
    for kind, scale_path, extra_path in LIBRARY:
        text = scale_path.read_text(encoding="utf-8")
        if extra_path is not None:
            text += "\n" + extra_path.read_text(encoding="utf-8")
        result.append((kind, parse_definition_yaml(text)))
    return result
