"""Questionnaire definitions: the library, YAML import/export in the spec's format, other question types."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from friendlygov.rules.sipas import DEFAULT_QUESTIONNAIRE, SipasInputError, parse_questionnaire_yaml
from friendlygov.surveys import definitions


def test_library_has_the_four_kinds_and_the_default_sipas_questionnaire() -> None:
    library = dict(definitions.library_definitions())
    assert set(library) == {"sipas_service", "model_satisfaction", "desk_conduct", "conduct_4x4l5k"}
    sipas = library["sipas_service"]
    assert [e["code"] for e in sipas["elements"]] == ["TC", "TT", "CC", "KQ", "PA"]
    assert definitions.to_rules(sipas) == DEFAULT_QUESTIONNAIRE
    # The drafts say they are the product's own.
    for kind in ("model_satisfaction", "desk_conduct", "conduct_4x4l5k"):
        assert "bản nháp của phần mềm" in library[kind]["name"]
    types = {q["type"] for d in library.values() for q in d["questions"]}
    assert types == {"single", "multiple", "text", "needs"}


@pytest.mark.parametrize("kind_definition", definitions.library_definitions(), ids=lambda kd: kd[0])
def test_export_is_the_spec_format_and_round_trips(kind_definition: tuple[str, dict[str, Any]]) -> None:
    _kind, definition = kind_definition
    spec_text = definitions.definition_to_yaml(definition, include_questions=False)
    parsed = parse_questionnaire_yaml(spec_text)  # what `friendlygov sipas --questionnaire` reads
    assert parsed == definitions.to_rules(definition)
    full_text = definitions.definition_to_yaml(definition, include_questions=True)
    assert definitions.parse_definition_yaml(full_text) == definition


def test_weights_survive_as_decimals() -> None:
    definition = definitions.library_definitions()[0][1]
    definition["elements"][0]["weight"] = "2.5"
    definition["elements"][1]["weight"] = "0.3333333333333333333333"
    text = definitions.definition_to_yaml(definition, include_questions=False)
    again = definitions.parse_definition_yaml(text)
    assert again["elements"][0]["weight"] == "2.5"
    assert again["elements"][1]["weight"] == "0.3333333333333333333333"


def test_problems_name_the_field_in_vietnamese() -> None:
    text = yaml.safe_dump(
        {
            "format": "friendlygov.questionnaire/1",
            "code": "X",
            "elements": [{"code": "A", "items": [{"code": "A.1"}]}],
            "questions": [
                {"code": "A.1", "type": "single", "text": "?"},
                {"code": "Q", "type": "essay", "text": ""},
                {"code": "R", "type": "multiple", "text": "Chọn"},
            ],
        },
        allow_unicode=True,
    )
    with pytest.raises(SipasInputError) as error:
        definitions.parse_definition_yaml(text)
    problems = "\n".join(error.value.problems)
    assert "questions[1].code" in problems
    assert "questions[2].type" in problems and "questions[2].text" in problems
    assert "questions[3].choices" in problems


def test_spec_errors_are_kept() -> None:
    with pytest.raises(SipasInputError) as error:
        definitions.parse_definition_yaml("format: friendlygov.questionnaire/1\ncode: X\nelements: []\n")
    assert any("elements" in p for p in error.value.problems)
