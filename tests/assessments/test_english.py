"""The assessment pages in English (issue 16): the home panel, the cycle page (quality checks, columns,
change history), a criterion page, the unit's change log and the feedback and survey texts built in Python
are English; what is stored stays Vietnamese and is translated only when shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import Cycle
from friendlygov.audit.models import AuditEvent
from tests.assessments.conftest import YEAR
from tests.factories import World

pytestmark = pytest.mark.django_db

BASE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"


def _english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_cycle_page_quality_checks_columns_and_history_in_english(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    page = _english(client_for(world.coordinator)).get(BASE).content.decode()
    assert "Criterion 1.1: scored but with no evidence or explanation." in page
    assert "Criterion 1.2: nobody has scored it yet." in page
    assert "chưa có ai chấm" not in page and "không có minh chứng hay giải trình" not in page
    # the history: field labels, the object, the fixed note of the city's acceptance
    assert "the city accepted the registration" in page and "thành phố chấp nhận đăng ký" not in page
    assert "status:" in page and "trạng thái:" not in page
    assert "mức đăng ký" not in page
    # stored as written, in Vietnamese
    assert AuditEvent.objects.filter(note="thành phố chấp nhận đăng ký").exists()


def test_the_same_checks_stay_vietnamese_for_vietnamese_readers_and_documents(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    page = client_for(world.coordinator).get(BASE).content.decode()
    assert "Tiêu chí 1.2: chưa có ai chấm." in page and "thành phố chấp nhận đăng ký" in page
    with translation.override("vi"):  # as documents are drawn up
        messages = [i.message for i in selectors.quality_checks(scoring)]
        assert "Tiêu chí 1.2: chưa có ai chấm." in messages
        assert selectors.next_deadline(scoring) == ("Hạn nộp tự đánh giá", scoring.submission_deadline)
        assert selectors.current_standing(scoring).stage_label == "tự chấm"


def test_registration_states_and_deadline_of_the_panel_in_english(
    world: World, client_for: Any, cycle: Cycle
) -> None:
    with translation.override("en"):
        assert selectors.next_deadline(cycle) == ("Level registration deadline", cycle.registration_deadline)
        services.register_target(actor=world.leader, cycle=cycle, target_level="3")
        messages = [i.message for i in selectors.quality_checks(cycle)]
        assert "The city has not yet accepted the target-level registration." in messages
        assert str(selectors.COLUMN_LABELS["self"]) == "Self-score"
        assert selectors.current_standing(cycle).stage_label == "self-assessed"
        assert crit.input_label("ratio") == "Rate" and crit.input_label("points") != "Điểm"
    home = _english(client_for(world.coordinator)).get("/don-vi/thanh-mien/").content.decode()
    assert "Level registration deadline" in home and "Hạn đăng ký mức" not in home


def test_criterion_page_in_english(world: World, client_for: Any, scoring: Cycle) -> None:
    page = _english(client_for(world.coordinator)).get(f"{BASE}tieu-chi/1.3/").content.decode()
    assert "Rate" in page and "Tỷ lệ" not in page


def test_system_actor_and_fixed_notes_in_the_unit_log(world: World, client_for: Any, scoring: Cycle) -> None:
    event = AuditEvent.objects.filter(note="thành phố chấp nhận đăng ký").get()
    system = AuditEvent.objects.create(
        unit_id=world.unit.pk,
        actor_name="hệ thống",
        action=AuditEvent.Action.CREATE,
        object_type="x.y",
        object_id=1,
    )
    with translation.override("en"):
        assert event.shown_note == "the city accepted the registration"
        assert system.shown_actor_name == "system"
    with translation.override("vi"):
        assert event.shown_note == "thành phố chấp nhận đăng ký" and system.shown_actor_name == "hệ thống"
    page = _english(client_for(world.users["unit_admin"])).get("/don-vi/thanh-mien/nhat-ky/").content.decode()
    assert "the city accepted the registration" in page and "hệ thống" not in page
