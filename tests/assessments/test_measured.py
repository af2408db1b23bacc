"""Measured figures flow into the criteria (issue 13, item 1): every criterion the platform measures is
bound to its source in the shipped templates; records created in each area move the criterion's measured
value; the scorer accepts it in one action or types another value with a reason, which the quality checks,
the joint scorers and the city see beside the measured value; a figure published after submission reaches
the appraiser beside the locked value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import AppraisalItem, Cycle, Registration, ScoreEntry
from friendlygov.audit.models import AuditEvent
from friendlygov.core import figures
from friendlygov.dossiers import selectors as dossier_selectors
from friendlygov.dossiers import services as dossier_services
from friendlygov.feedback import services as feedback_services
from friendlygov.operations import figures as operation_figures
from friendlygov.operations import services as operation_services
from friendlygov.operations.models import CommunicationKind, VillageReview, VillageReviewItem
from friendlygov.org import services as org_services
from friendlygov.rules.scoring import load_bundled_criteria_set
from friendlygov.surveys import definitions
from friendlygov.surveys.models import Answer, Questionnaire, Response
from friendlygov.tallies import services as tallies
from tests.dossiers.helpers import GOOD_ROWS, csv_bytes
from tests.factories import World
from tests.feedback.conftest import submit as submit_feedback

YEAR = 2026
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
PAGE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"
API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "spec" / "criteria-set-format.md"


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def hp(world: World) -> Cycle:
    """Thanh Miện's 2026 cycle on the shipped Hải Phòng set, registered and accepted; 1 → PVHCC (member),
    4 and 5 → VHXH (coordinator)."""
    row = services.load_template(actor=world.reviewer, city=world.city, name="hai-phong-provisional")
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=row)
    services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    services.decide_registration(
        actor=world.reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
    )
    for code, body in {"1": "PVHCC", "4": "VHXH", "5": "VHXH"}.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    return fresh(cycle)


def fresh(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_related("unit", "criteria_set").get(pk=cycle.pk)


def state(cycle: Cycle, code: str, *, read_locked: bool = False) -> selectors.MeasuredState:
    data = selectors.load_cycle_data(fresh(cycle))
    return selectors.measured_states(data, read_locked=read_locked)[code]


def self_value(cycle: Cycle, code: str) -> str:
    return selectors.load_cycle_data(fresh(cycle)).raw("self", code)


def import_dossiers(world: World, rows: list[list[str]] = GOOD_ROWS) -> None:
    dossier_services.import_dossiers(
        actor=world.coordinator, unit=world.unit, data=csv_bytes(rows), filename="ho-so.csv"
    )


def par_index(world: World, value: str = "85.6") -> None:
    services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        kind="par_index",
        value=value,
        decision="Quyết định 812/QĐ-UBND",
        published_on=dt.date(YEAR, 11, 20),
    )


# ------------------------------------------------------------------------------ templates and docs


def test_shipped_templates_bind_every_measured_criterion() -> None:
    hp = load_bundled_criteria_set("hai-phong-provisional")
    bound = {leaf.code: leaf.source for leaf in hp.leaves() if leaf.source}
    assert bound == {
        "1.1.1": "service.on_time",
        "1.1.2": "service.online_share",
        "1.1.3": "service.digitisation",
        "1.2": "city.par_index",
        "3.2": "survey.sipas",
        "4.1": "communication.panels",
        "5.1": "communication.channels",
        "5.2": "villages.cultural_share",
        "5.3": "feedback.on_time",
    }
    panels = hp.criterion("4.1")
    assert panels is not None and panels.extra["source_items"] == ["gate", "campus", "service_centre"]
    dn = load_bundled_criteria_set("dong-nai-54-2025")
    assert {leaf.code: leaf.source for leaf in dn.leaves() if leaf.source} == {
        "1.1": "communication.panels",
        "1.2": "communication.channels",
        "3.1": "survey.sipas",
        "4": "city.par_index",
    }
    for cs in (hp, dn):
        assert figures.binding_problems(cs) == []


def test_every_registered_source_key_is_documented_with_its_definition() -> None:
    text = DOCS.read_text(encoding="utf-8")
    heading = "## Nguồn số liệu friendlygov đo"
    assert heading in text
    contract, section = text.split(heading, 1)
    assert "`source`" in contract  # the contract's text stays above, unchanged
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_.]+)` \|.*$", section, re.M)}
    assert set(figures.SOURCES) <= set(rows), set(figures.SOURCES) - set(rows)
    assert set(figures.SOURCE_LABELS) == set(rows)
    for key, row in rows.items():
        assert row.count("|") >= 6, f"{key}: numerator, denominator, records and no-data columns"


def test_a_checklist_criterion_must_map_its_items_to_the_sources_items(world: World) -> None:
    hp = load_bundled_criteria_set("hai-phong-provisional")
    from friendlygov.rules.scoring import criteria_set_to_dict

    data = criteria_set_to_dict(hp)
    group4 = next(c for c in data["criteria"] if c["code"] == "4")
    panels = next(c for c in group4["children"] if c["code"] == "4.1")
    panels["source_items"] = ["gate", "san"]
    layout = next(c for c in group4["children"] if c["code"] == "4.2")
    layout["source"] = "service.on_time"  # a percentage cannot tick a checklist
    with pytest.raises(ValidationError) as info:
        services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")
    problems = info.value.message_dict["file"]
    assert any("Tiêu chí 4.1: ghi «source_items» gồm 3 mã" in p for p in problems)
    assert any("Tiêu chí 4.2: nguồn số liệu «service.on_time» cho một tỷ lệ" in p for p in problems)


# ------------------------------------------------------------- records in each area move the value


def test_dossier_import_moves_the_service_criteria(world: World, hp: Cycle) -> None:
    assert state(hp, "1.1.1").live_text == "" and self_value(hp, "1.1.1") == ""
    import_dossiers(world)
    on_time = dossier_selectors.on_time_figure(unit=world.unit, year=YEAR)
    online = dossier_selectors.online_share_figure(unit=world.unit, year=YEAR)
    digitised = dossier_selectors.digitisation_figure(unit=world.unit, year=YEAR)
    assert on_time is not None and online is not None and digitised is not None
    assert self_value(hp, "1.1.1") == f"{on_time.percent}%"
    assert self_value(hp, "1.1.2") == f"{online.percent}%" == "40.00%"
    assert self_value(hp, "1.1.3") == f"{digitised.percent}%"
    measured = state(hp, "1.1.2")
    assert measured.status == "pending" and "2/5 hồ sơ" in measured.provenance
    assert measured.reference.startswith("/don-vi/thanh-mien/ho-so")


def test_feedback_handled_moves_the_feedback_criterion(world: World, hp: Cycle) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        quick = submit_feedback(world, subject="Trả lời nhanh")
        submit_feedback(world, subject="Chưa trả lời")
    assert self_value(hp, "5.3") == "0.00%"  # both pending, more than 15 working days: late
    with time_machine.travel(dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC), tick=False):
        feedback_services.answer_feedback(
            actor=world.coordinator, feedback=quick, answer="Đã hướng dẫn lại.", publish=True
        )
    assert self_value(hp, "5.3") == "50.00%"
    assert "1/2" in state(hp, "5.3").provenance


def _review_items(world: World) -> list[Any]:
    return [
        operation_services.add_review_item(actor=world.coordinator, unit=world.unit, year=YEAR, text=text)
        for text in ("Không có phản ánh về thái độ của cán bộ thôn", "Bảng tin văn hóa cập nhật")
    ]


def _review(world: World, village: str, met: list[bool]) -> None:
    items = VillageReviewItem.objects.filter(unit=world.unit, year=YEAR).order_by("position")
    operation_services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies[village],
        year=YEAR,
        results={item.pk: (ok, "") for item, ok in zip(items, met, strict=True)},
        title_result=VillageReview.Title.ACHIEVED if all(met) else VillageReview.Title.NOT_ACHIEVED,
        reviewed_on=dt.date(YEAR, 11, 10),
    )


def test_village_reviews_move_the_villages_criterion(world: World, hp: Cycle) -> None:
    _review_items(world)
    assert self_value(hp, "5.2") == ""  # items but no result yet: no data
    _review(world, "TN", [True, True])
    assert self_value(hp, "5.2") == "50.00%"  # 1 of the 2 villages
    _review(world, "HB", [True, False])
    assert self_value(hp, "5.2") == "50.00%"
    _review(world, "HB", [True, True])
    measured = state(hp, "5.2")
    assert measured.live_text == "100.00%" and "2/2 thôn" in measured.provenance
    assert measured.reference == f"/don-vi/thanh-mien/hoat-dong/thon/?nam={YEAR}"


def _activity(world: World, kind: str, place: str, **extra: Any) -> None:
    operation_services.record_activity(
        actor=world.coordinator,
        unit=world.unit,
        kind=kind,
        title=extra.pop("title", "Tuyên truyền mô hình “Chính quyền thân thiện”"),
        held_on=extra.pop("held_on", dt.date(YEAR, 3, 10)),
        place=place,
        body=world.bodies["VHXH"],
        **extra,
    )


def test_communication_activities_tick_the_panels_and_channels(world: World, hp: Cycle) -> None:
    assert self_value(hp, "4.1") == "" and self_value(hp, "5.1") == ""
    _activity(world, CommunicationKind.SLOGAN_PANEL, "Cổng trụ sở UBND xã")
    _activity(world, CommunicationKind.SLOGAN_PANEL, "Trung tâm Phục vụ hành chính công xã")
    _activity(world, CommunicationKind.SLOGAN_PANEL, "Cổng làng Tháp Ngạn", held_on=dt.date(YEAR - 1, 5, 1))
    panels = state(hp, "4.1")
    assert panels.live_text == "2" and panels.live_ticks == (0, 2)
    assert self_value(hp, "4.1") == "2"
    assert self_value(hp, "5.1") == ""  # a panel is not a channel
    _activity(world, CommunicationKind.BRIEFING, "Hội trường UBND xã")
    _activity(world, CommunicationKind.ZALO, "Nhóm Zalo của xã")
    _activity(world, CommunicationKind.FACEBOOK, "Trang Facebook của xã")
    channels = state(hp, "5.1")
    assert channels.live_ticks == (0, 3) and self_value(hp, "5.1") == "2"
    assert "2/5 kênh" in channels.provenance
    result = selectors.load_cycle_data(fresh(hp)).result("self")
    assert result.criterion("4.1").points == Decimal("4.00")  # type: ignore[union-attr]  # 6 × 2/3
    assert result.criterion("5.1").points == Decimal("2.40")  # type: ignore[union-attr]  # 6 × 2/5


def test_panel_places_are_read_from_the_recorded_place() -> None:
    assert operation_figures.panel_place("Cổng trụ sở UBND xã") == "gate"
    assert operation_figures.panel_place("Khuôn viên trụ sở") == "campus"
    assert operation_figures.panel_place("Sân trụ sở UBND") == "campus"
    assert operation_figures.panel_place("Bộ phận một cửa") == "service_centre"
    assert operation_figures.panel_place("Trung tâm Phục vụ hành chính công xã") == "service_centre"
    assert operation_figures.panel_place("Nhà văn hóa thôn") is None


def test_the_batch_selectors_say_what_the_single_ones_say(world: World) -> None:
    _review_items(world)
    _review(world, "TN", [True, True])
    _activity(world, CommunicationKind.SLOGAN_PANEL, "Cổng trụ sở UBND xã")
    _activity(world, CommunicationKind.LOUDSPEAKER, "Đài truyền thanh xã")
    units = [world.unit, world.other]
    for single, batch in [
        (operation_figures.village_share_figure, operation_figures.village_share_figures),
        (operation_figures.panel_figure, operation_figures.panel_figures),
        (operation_figures.channel_figure, operation_figures.channel_figures),
    ]:
        together = batch(units=units, year=YEAR)
        assert together == {unit.pk: single(unit=unit, year=YEAR) for unit in units}
        assert together[world.unit.pk] is not None and together[world.other.pk] is None


def test_the_citys_par_index_moves_the_reform_criterion(world: World, hp: Cycle) -> None:
    assert self_value(hp, "1.2") == ""
    par_index(world)
    assert self_value(hp, "1.2") == "85.60%"
    assert "Quyết định 812/QĐ-UBND" in state(hp, "1.2").provenance


def test_survey_answers_move_the_satisfaction_criterion(world: World, hp: Cycle) -> None:
    assert self_value(hp, "3.2") == ""
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    items = definitions.item_codes(sipas.current_version().definition)
    for n in range(3):
        response = Response.objects.create(
            unit=world.unit,
            questionnaire=sipas,
            questionnaire_version=sipas.current_version(),
            channel=Response.Channel.PAPER,
            submitted_at=NOW - dt.timedelta(days=n + 1),
            status=Response.Status.ACCEPTED,
        )
        Answer.objects.bulk_create(Answer(response=response, item=item, value=5) for item in items)
        tallies.count_response(response=response, sign=1)
    cache.clear()
    assert self_value(hp, "3.2") == "100.00%"
    assert "3 phiếu" in state(hp, "3.2").provenance


# ------------------------------------------------------------------------- accept and override


def test_the_scorer_accepts_the_measured_value_in_one_action(world: World, hp: Cycle) -> None:
    import_dossiers(world)
    figure = dossier_selectors.on_time_figure(unit=world.unit, year=YEAR)
    assert figure is not None
    entry = services.accept_measured(actor=world.member, cycle=hp, criterion_code="1.1.1", expected_version=0)
    assert entry.value == entry.measured_value == f"{figure.percent}%" and entry.from_source
    assert entry.source_label == figure.label and entry.source_reference == figure.reference
    assert (
        entry.measured_as_of == figure.as_of and entry.measured_at is not None and not entry.override_reason
    )
    event = AuditEvent.objects.filter(object_type="assessments.scoreentry", object_id=str(entry.pk)).get()
    assert event.note == "xác nhận số liệu đo được"
    assert state(hp, "1.1.1").status == "accepted"
    # a body may accept only its own criteria; a stale page is refused
    with pytest.raises(PermissionDenied):
        services.accept_measured(actor=world.users["village"], cycle=hp, criterion_code="1.1.1")
    with pytest.raises(ValidationError, match="đã được người khác cập nhật"):
        services.accept_measured(actor=world.member, cycle=hp, criterion_code="1.1.1", expected_version=0)
    # a criterion the unit types is not accepted from a figure; no figure, nothing to accept
    with pytest.raises(ValidationError, match="không lấy giá trị từ số liệu đo được"):
        services.accept_measured(actor=world.member, cycle=hp, criterion_code="1.1.4")
    with pytest.raises(ValidationError, match="chưa có số liệu đo được để xác nhận"):
        services.accept_measured(actor=world.coordinator, cycle=hp, criterion_code="5.2")


def test_new_records_after_acceptance_show_the_difference_and_offer_to_accept_again(
    world: World, hp: Cycle, client_for: Any
) -> None:
    import_dossiers(world)
    services.accept_measured(actor=world.member, cycle=hp, criterion_code="1.1.2", expected_version=0)
    import_dossiers(
        world,
        [
            [
                "H26-0100",
                "Đăng ký khai sinh",
                "10/11/2026",
                "11/11/2026",
                "11/11/2026",
                "0",
                "0",
                "Trực tuyến",
                "Có",
                "Có",
            ]
        ],
    )
    measured = state(hp, "1.1.2")
    assert measured.changed and measured.live_text == "50.00%" and measured.stored_measured == "40%"
    assert self_value(hp, "1.1.2") == "40.00%"  # the accepted value stands until accepted again
    issues = [i for i in selectors.quality_checks(fresh(hp)) if i.kind == "source_changed"]
    assert [i.code for i in issues] == ["1.1.2"] and "nay là 50%, khác 40%" in issues[0].message
    page = client_for(world.member).get(PAGE + "tieu-chi/1.1.2/").content.decode()
    assert 'id="measured-changed"' in page and "Xác nhận lại số liệu mới (50%)" in page
    entry = ScoreEntry.objects.get(cycle=hp, criterion_code="1.1.2")
    services.accept_measured(
        actor=world.member, cycle=hp, criterion_code="1.1.2", expected_version=entry.version
    )
    assert self_value(hp, "1.1.2") == "50.00%" and not state(hp, "1.1.2").changed


def test_an_override_needs_a_reason_and_is_shown_beside_the_measured_value(
    world: World, hp: Cycle, client_for: Any
) -> None:
    _review_items(world)
    _review(world, "TN", [True, True])
    _review(world, "HB", [True, False])
    with pytest.raises(ValidationError) as info:
        services.override_measured(
            actor=world.coordinator, cycle=hp, criterion_code="5.2", value="2/2", reason="  "
        )
    assert info.value.message_dict == {"reason": ["Tiêu chí 5.2: ghi lý do không dùng số liệu đo được."]}
    with pytest.raises(ValidationError, match="bằng số liệu đo được"):
        services.override_measured(
            actor=world.coordinator, cycle=hp, criterion_code="5.2", value="50%", reason="Thử"
        )
    assert not ScoreEntry.objects.filter(cycle=hp, criterion_code="5.2").exists()
    reason = "Thôn Hòa Bình đã khắc phục bảng tin ngày 15/11, biên bản bình xét bổ sung kèm theo."
    entry = services.override_measured(
        actor=world.coordinator,
        cycle=hp,
        criterion_code="5.2",
        value="2/2",
        reason=reason,
        expected_version=0,
    )
    assert (entry.value, entry.measured_value, entry.override_reason) == ("2/2", "50.00%", reason)
    assert not entry.from_source and self_value(hp, "5.2") == "2/2"
    assert AuditEvent.objects.filter(note="ghi giá trị khác số liệu đo được").count() == 1
    # the quality checks, before submission
    issues = [i for i in selectors.quality_checks(fresh(hp)) if i.kind == "source_override"]
    assert [i.message for i in issues] == [
        f"Tiêu chí 5.2: đơn vị ghi 2/2 (100%) thay cho số liệu đo được 50% — lý do: {reason}"
    ]
    submit_page = client_for(world.leader).get(PAGE + "nop/").content.decode()
    assert "thay cho số liệu đo được 50%" in submit_page
    # the joint scorers
    sheet = client_for(world.users["front"]).get(PAGE + "cham-phoi-hop/").content.decode()
    row = sheet.split('id="row-5.2"', 1)[1].split("</tr>", 1)[0]
    assert "Đơn vị ghi:" in row and "2/2 (100%)" in row and "Số liệu đo được:" in row and "50%" in row
    assert reason in row
    # the city, after submission: the appraisal pages show both values side by side
    services.submit_cycle(actor=world.leader, cycle=fresh(hp), acknowledge_issues=True)
    assert ScoreEntry.objects.get(cycle=hp, criterion_code="5.2").value == "2/2"  # not overwritten
    city = client_for(world.reviewer)
    detail = city.get(PAGE + "tieu-chi/5.2/").content.decode()
    override = detail.split('id="measured-override"', 1)[1].split("</span>", 1)[0]
    assert "2/2 (100%)" in override and "50%" in override
    assert reason in detail
    table = city.get(PAGE).content.decode().split('id="row-5.2"', 1)[1].split("</tr>", 1)[0]
    assert "ghi khác số liệu đo được" in table and "2/2 (100%)" in table and reason in table


def test_the_criteria_list_offers_the_measured_value_to_the_scorer(
    world: World, hp: Cycle, client_for: Any
) -> None:
    par_index(world)
    client = client_for(world.coordinator)
    row = client.get(PAGE).content.decode().split('id="row-1.2"', 1)[1].split("</tr>", 1)[0]
    assert "chưa xác nhận" in row and "Dùng số liệu đo được (85,6%)" in row
    response = client.post(
        PAGE + "tieu-chi/1.2/" + "chap-nhan-so-do/", {"expected_version": "0", "back": "list"}
    )
    assert response.status_code == 302 and response["Location"] == PAGE + "#row-1.2"
    row = client.get(PAGE).content.decode().split('id="row-1.2"', 1)[1].split("</tr>", 1)[0]
    assert "đã xác nhận số liệu đo được" in row and "Dùng số liệu đo được" not in row
    # the member of another body sees the figure but no button for a criterion not theirs
    member_row = client_for(world.users["village"]).get(PAGE).content.decode()
    assert "Dùng số liệu đo được" not in member_row


# -------------------------------------------------------------------------- after submission


def test_a_figure_published_after_submission_reaches_the_appraiser(
    world: World, hp: Cycle, client_for: Any
) -> None:
    services.submit_cycle(actor=world.leader, cycle=fresh(hp), acknowledge_issues=True)
    locked = ScoreEntry.objects.get(cycle=hp, criterion_code="1.2")
    assert locked.value == "" and locked.measured_at is not None
    assert not state(hp, "1.2", read_locked=True).late
    par_index(world)  # the city publishes its PAR INDEX afterwards
    assert state(hp, "1.2", read_locked=True).late
    city = client_for(world.reviewer)
    page = city.get(PAGE + "tieu-chi/1.2/").content.decode()
    assert "Số liệu mới công bố: 85,6% (sau khi nộp) — giá trị đã chốt: chưa có số liệu." in page
    assert 'id="adopt-late-form"' in page
    table = city.get(PAGE).content.decode().split('id="row-1.2"', 1)[1].split("</tr>", 1)[0]
    assert "Số liệu mới công bố: 85,6% (sau khi nộp)" in table
    # the unit sees its locked value, not the appraiser's button
    assert 'id="adopt-late-form"' not in client_for(world.leader).get(PAGE + "tieu-chi/1.2/").content.decode()
    city = client_for(world.reviewer)
    response = city.post(PAGE + "tieu-chi/1.2/" + "so-lieu-moi/", {"expected_version": "0"})
    assert response.status_code == 302
    item = AppraisalItem.objects.get(cycle=hp, criterion_code="1.2")
    assert item.decision == AppraisalItem.Decision.ADJUST and item.value == "85.60%"
    assert "sau khi đơn vị nộp" in item.reason and "Quyết định 812/QĐ-UBND" in item.reason
    data = selectors.load_cycle_data(fresh(hp))
    assert data.result("appraised").criterion("1.2").points == Decimal("6.85")  # type: ignore[union-attr]
    assert data.result("self").criterion("1.2").points == Decimal("0.00")  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        services.adopt_late_figure(actor=world.leader, cycle=fresh(hp), criterion_code="1.2")


def test_nothing_new_nothing_to_adopt(world: World, hp: Cycle) -> None:
    par_index(world)
    services.submit_cycle(actor=world.leader, cycle=fresh(hp), acknowledge_issues=True)
    assert ScoreEntry.objects.get(cycle=hp, criterion_code="1.2").value == "85.60%"
    assert not state(hp, "1.2", read_locked=True).late
    with pytest.raises(ValidationError, match="không có số liệu mới công bố"):
        services.adopt_late_figure(actor=world.reviewer, cycle=fresh(hp), criterion_code="1.2")


# ----------------------------------------------------------------------------------------- API


@pytest.fixture
def api(client: Any) -> Any:
    def call(user: Any, method: str, url: str, payload: Any = None) -> Any:
        token = org_services.create_api_token(actor=user, name="kiểm thử")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(url, **headers)
        return client.post(url, payload or {}, content_type="application/json", **headers)

    return call


def test_accept_and_override_through_the_api(world: World, hp: Cycle, api: Any) -> None:
    par_index(world)
    listed = {row["criterion_code"]: row for row in api(world.member, "get", f"{API}/measured").json()}
    assert listed["1.2"]["status"] == "pending" and listed["1.2"]["live_value"] == "85.60%"
    assert listed["1.2"]["version"] == 0
    url = f"{API}/criteria/1.2/measured"
    assert api(world.member, "post", f"{url}/accept", {}).status_code == 422  # expected_version required
    accepted = api(world.member, "post", f"{url}/accept", {"expected_version": 0})
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"] == "accepted" and body["value"] == "85.60%" and body["version"] == 1
    stale = api(world.member, "post", f"{url}/accept", {"expected_version": 0})
    assert stale.status_code == 422
    no_reason = api(
        world.member, "post", f"{url}/override", {"value": "90%", "reason": "", "expected_version": 1}
    )
    assert no_reason.status_code == 422 and "ghi lý do" in no_reason.content.decode()
    overridden = api(
        world.member,
        "post",
        f"{url}/override",
        {"value": "90%", "reason": "Thành phố đính chính điểm.", "expected_version": 1},
    )
    assert overridden.status_code == 200, overridden.content
    assert overridden.json()["status"] == "override" and overridden.json()["measured_value"] == "85.60%"
    quality = api(world.member, "get", f"{API}/quality").json()
    assert any(i["kind"] == "source_override" and i["code"] == "1.2" for i in quality)
    names = [name for name in _schema_names(api(world.member, "get", "/api/openapi.json").json())]
    assert len(names) == len(set(names))


def _schema_names(openapi: dict[str, Any]) -> list[str]:
    return list(openapi.get("components", {}).get("schemas", {}))


# ------------------------------------------------------------------------------------ outsiders


def test_an_outsider_gets_404_on_every_new_page_and_endpoint(
    world: World, hp: Cycle, client_for: Any, api: Any
) -> None:
    par_index(world)
    outsider = world.outsider
    page = client_for(outsider)
    for action in ("chap-nhan-so-do/", "ghi-khac-so-do/", "so-lieu-moi/"):
        assert page.post(PAGE + "tieu-chi/1.2/" + action, {"expected_version": "0"}).status_code == 404
    assert api(outsider, "get", f"{API}/measured").status_code == 404
    url = f"{API}/criteria/1.2/measured"
    assert api(outsider, "post", f"{url}/accept", {"expected_version": 0}).status_code == 404
    override = {"value": "90%", "reason": "x", "expected_version": 0}
    assert api(outsider, "post", f"{url}/override", override).status_code == 404
    assert api(outsider, "post", f"{url}/adopt-late", {"expected_version": 0}).status_code == 404
    assert not ScoreEntry.objects.filter(cycle=hp).exists()
    with pytest.raises(Http404):
        services.accept_measured(actor=outsider, cycle=hp, criterion_code="1.2")


def test_a_crit_value_of_a_checklist_source_is_its_ticks(world: World, hp: Cycle) -> None:
    _activity(world, CommunicationKind.SLOGAN_PANEL, "Khuôn viên trụ sở UBND xã")
    entry = services.accept_measured(actor=world.coordinator, cycle=hp, criterion_code="4.1")
    assert (entry.value, entry.ticked, entry.measured_ticked) == ("1", [1], [1])
    leaf = crit.parsed(hp.criteria_set).criterion("4.1")
    assert leaf is not None and crit.describe_value(leaf, entry.value)


def test_the_city_table_reads_dossier_and_feedback_figures_in_batch(world: World) -> None:
    """The dossiers' and the feedback's batch selectors (the city's table) say what the single ones say."""
    import_dossiers(world)
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        submit_feedback(world)
    units = [world.unit, world.other]
    for key in ("service.on_time", "service.online_share", "service.digitisation", "feedback.on_time"):
        source = figures.SOURCES[key]
        assert source.batch is not None, key
        together = source.batch(units=units, year=YEAR)
        assert together == {unit.pk: source.single(unit=unit, year=YEAR) for unit in units}, key
        assert together[world.unit.pk] is not None and together[world.other.pk] is None


OTHER_SOURCES: dict[str, Any] = {
    "format": "friendlygov.criteria/1",
    "code": "T-DO",
    "version": 1,
    "name": "Bộ thử các nguồn số liệu còn lại",
    "scale": 12,
    "criteria": [
        {
            "code": "1",
            "name": "Số liệu đo được",
            "max_points": 12,
            "children": [
                {"code": "1.1", "name": "Hài lòng với trả lời phản ánh", "max_points": 4, "input": "ratio",
                 "source": "feedback.satisfaction"},
                {"code": "1.2", "name": "Hoàn thành nhiệm vụ kế hoạch", "max_points": 4, "input": "ratio",
                 "source": "plan.task_completion"},
                {"code": "1.3", "name": "SIPAS do thành phố khảo sát", "max_points": 4, "input": "ratio",
                 "source": "city.sipas"},
            ],
        }
    ],
    "levels": [{"code": "1", "name": "Mức độ 1", "min_total": 6}],
}  # fmt: skip


def test_the_other_sources_move_their_criteria_too(world: World) -> None:
    """feedback.satisfaction, plan.task_completion and city.sipas (no shipped criterion asks for them yet)."""
    from friendlygov.plans import services as plan_services
    from friendlygov.plans.models import Occurrence
    from tests.plans.conftest import SEED_APPENDIX

    row = services.add_criteria_set(actor=world.reviewer, city=world.city, data=OTHER_SOURCES, origin="yaml")
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=row)
    assert [self_value(cycle, code) for code in ("1.1", "1.2", "1.3")] == ["", "", ""]
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        item = submit_feedback(world)
    with time_machine.travel(dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC), tick=False):
        feedback_services.answer_feedback(
            actor=world.coordinator, feedback=item, answer="Đã xử lý xong phản ánh.", publish=True
        )
        feedback_services.rate_feedback(feedback=item, rating=5)
    assert self_value(cycle, "1.1") == "100.00%"
    plan = plan_services.create_plan(
        actor=world.coordinator,
        unit=world.unit,
        title="Kế hoạch thực hiện mô hình “Chính quyền thân thiện”",
        start_year=2026,
        end_year=2030,
        targets=[{"year": 2026, "level_code": "1"}],
    )
    plan_services.import_appendix(
        actor=world.coordinator, plan=plan, text=SEED_APPENDIX, expected_version=plan.version
    )
    before = self_value(cycle, "1.2")
    Occurrence.objects.filter(task__plan=plan, period="2026").update(status="done", percent=100)
    from friendlygov.plans.selectors import task_completion_figure

    figure = task_completion_figure(unit=world.unit, year=YEAR)
    assert figure is not None and before != self_value(cycle, "1.2") == f"{figure.percent}%"
    services.save_city_figure(
        actor=world.reviewer, unit=world.unit, year=YEAR, kind="sipas", value="91.2", decision="TB 45/TB-SNV"
    )
    assert self_value(cycle, "1.3") == "91.20%"
