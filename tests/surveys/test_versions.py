"""Questionnaire versions: frozen from the first answer; editing a frozen one creates the next version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from friendlygov.audit.models import AuditEvent
from friendlygov.surveys import definitions, periods, selectors, services
from friendlygov.surveys.models import Questionnaire, QuestionnaireVersion
from tests.factories import World
from tests.surveys.conftest import submit

YAML = """
format: friendlygov.questionnaire/1
code: XA-1
name: Phiếu thử của xã
elements:
  - code: A
    name: Yếu tố A
    items:
      - {code: A.1, text: Câu một}
      - {code: A.2, text: Câu hai}
questions:
  - {code: GOPY, type: text, text: Góp ý}
"""


@pytest.fixture
def own(world: World) -> Questionnaire:
    return services.create_questionnaire(
        actor=world.coordinator, unit=world.unit, kind="other", yaml_text=YAML
    )


def test_import_creates_version_one_and_is_audited(world: World, own: Questionnaire) -> None:
    version = own.current_version()
    assert (own.code, own.name, version.number, version.is_frozen) == ("XA-1", "Phiếu thử của xã", 1, False)
    assert version.definition["questions"][0]["type"] == "text"
    assert AuditEvent.objects.filter(object_type="surveys.questionnaire", object_id=str(own.pk)).exists()


def test_draft_is_edited_in_place(world: World, own: Questionnaire) -> None:
    text = YAML.replace("Câu hai", "Câu hai (sửa)")
    version = services.save_definition(
        actor=world.coordinator, questionnaire=own, expected_version=own.version, yaml_text=text
    )
    assert version.number == 1 and own.versions.count() == 1
    assert version.definition["elements"][0]["items"][1]["text"] == "Câu hai (sửa)"


def test_first_answer_freezes_and_edit_makes_a_new_version(world: World, own: Questionnaire) -> None:
    link = services.create_link(actor=world.coordinator, unit=world.unit, questionnaire=own, label="Thử")
    submit(link, {"A.1": 5, "A.2": 4})
    first = own.current_version()
    assert first.is_frozen
    frozen_definition = dict(first.definition)
    text = YAML.replace("      - {code: A.2, text: Câu hai}\n", "      - {code: A.3, text: Câu ba}\n")
    own.refresh_from_db()
    second = services.save_definition(
        actor=world.coordinator,
        questionnaire=own,
        expected_version=own.version,
        yaml_text=text,
        note="bỏ câu A.2",
    )
    assert second.number == 2 and not second.is_frozen
    first.refresh_from_db()
    assert first.definition == frozen_definition  # the answered version never changes
    # New answers use version 2; figures in version 2's layout leave out the answers to A.2.
    response = submit(link, {"A.1": 4, "A.3": 2}, device_token="")
    assert response.questionnaire_version == second
    figures = selectors.unit_figures(
        unit=world.unit, questionnaire=own, period=periods.year(response.submitted_at.year)
    )
    assert [i.code for e in figures.result.elements for i in e.items] == ["A.1", "A.3"]
    assert figures.dropped_answers == 1 and figures.respondents == 2


def test_frozen_version_cannot_be_changed_even_with_a_forged_update(world: World, own: Questionnaire) -> None:
    link = services.create_link(actor=world.coordinator, unit=world.unit, questionnaire=own, label="Thử")
    submit(link, {"A.1": 5})
    own.refresh_from_db()
    services.save_definition(
        actor=world.coordinator,
        questionnaire=own,
        expected_version=own.version,
        yaml_text=YAML.replace("Câu một", "Một"),
    )
    assert (
        QuestionnaireVersion.objects.get(questionnaire=own, number=1).definition["elements"][0]["items"][0][
            "text"
        ]
        == "Câu một"
    )


def test_concurrent_edit_is_refused(world: World, own: Questionnaire) -> None:
    stale = own.version
    services.save_definition(
        actor=world.coordinator,
        questionnaire=own,
        expected_version=stale,
        yaml_text=YAML.replace("Câu một", "1"),
    )
    with pytest.raises(ValidationError) as error:
        services.save_definition(
            actor=world.coordinator, questionnaire=own, expected_version=stale, yaml_text=YAML
        )
    assert "người khác cập nhật" in " ".join(error.value.messages)


def test_code_cannot_change_and_errors_name_fields(world: World, own: Questionnaire) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_definition(
            actor=world.coordinator,
            questionnaire=own,
            expected_version=own.version,
            yaml_text=YAML.replace("XA-1", "XA-2"),
        )
    assert "code" in error.value.message_dict["definition"][0]
    with pytest.raises(ValidationError) as error:
        services.save_definition(
            actor=world.coordinator,
            questionnaire=own,
            expected_version=own.version,
            yaml_text="format: x\ncode: XA-1\n",
        )
    assert any("format" in m for m in error.value.message_dict["definition"])


def test_who_may_edit(world: World, own: Questionnaire) -> None:
    template = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    text = definitions.definition_to_yaml(template.current_version().definition, include_questions=True)
    with pytest.raises(PermissionDenied):  # the library is the system administrators'
        services.save_definition(
            actor=world.coordinator, questionnaire=template, expected_version=template.version, yaml_text=text
        )
    with pytest.raises(PermissionDenied):
        services.save_definition(
            actor=world.member, questionnaire=own, expected_version=own.version, yaml_text=YAML
        )
    from django.http import Http404

    with pytest.raises(Http404):
        services.save_definition(
            actor=world.outsider, questionnaire=own, expected_version=own.version, yaml_text=YAML
        )
    services.save_definition(
        actor=world.users["admin"],
        questionnaire=template,
        expected_version=template.version,
        yaml_text=text.replace("dễ tìm", "dễ thấy"),
    )


def test_copy_into_the_unit(world: World) -> None:
    template = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    copy = services.copy_questionnaire(actor=world.coordinator, source=template, unit=world.unit)
    again = services.copy_questionnaire(actor=world.coordinator, source=template, unit=world.unit)
    assert (copy.unit, copy.code, again.code) == (world.unit, "SIPAS-DV", "SIPAS-DV-2")
    assert copy.current_version().definition["elements"] == template.current_version().definition["elements"]
