"""The 2027/2030 reviews: opening (not before the year), the standard sections, the gathered figures of
each year (tolerant of missing areas), writing section by section, completing; and ``yearly_results``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from friendlygov.operations import selectors, services
from friendlygov.operations.models import CommunicationKind, ProgrammeReview, ReviewSection
from tests.factories import World
from tests.operations.conftest import activity, budget_line

BASE = "/don-vi/thanh-mien/hoat-dong/so-ket-tong-ket/"
IN_2027 = dt.datetime(2027, 6, 10, 9, 0, tzinfo=dt.UTC)
YEARLY_KEYS = {
    "unit",
    "year",
    "target_level",
    "assessment",
    "task_completion",
    "sipas",
    "feedback",
    "communication",
    "villages",
    "budget",
    "rewards",
    "good_practices",
    "shortfalls",
    "conferences",
    "signatures",
    "missing",
    "no_data",
}


def test_a_review_cannot_be_opened_before_its_year(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    response = client.post(BASE + "mo/", {"kind": "midterm", "year": "", "title": ""})
    assert response.status_code == 400 and "Chưa đến năm 2027" in response.content.decode()
    assert not ProgrammeReview.objects.exists()
    assert client_for(world.member).get(BASE + "mo/").status_code == 403


def test_midterm_review_in_2027_with_standard_sections(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(IN_2027, tick=False):
        client = client_for(world.coordinator)
        response = client.post(BASE + "mo/", {"kind": "midterm", "year": "", "title": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        review = ProgrammeReview.objects.get()
        assert (review.kind, review.year, review.from_year) == (
            "midterm",
            2027,
            2027,
        )  # no plan in the test world
        assert [s.key for s in review.sections.all()] == [
            "results",
            "limitations",
            "lessons",
            "tasks_ahead",
            "proposals",
        ]
        again = client.post(BASE + "mo/", {"kind": "midterm", "year": "2027", "title": ""})
        assert again.status_code == 400 and "Đã mở đợt sơ kết năm 2027" in again.content.decode()
        final = client.post(BASE + "mo/", {"kind": "final", "year": "", "title": ""})
        assert final.status_code == 400 and "Chưa đến năm 2030" in final.content.decode()


def test_review_gathers_each_year_and_says_no_data_where_an_area_has_none(world: World) -> None:
    activity(world, held_on=dt.date(2026, 5, 1), reach=200)
    line = budget_line(world, activity_kind=CommunicationKind.SLOGAN_PANEL)
    services.record_spending(
        actor=world.coordinator, line=line, spent_on=dt.date(2026, 5, 2), amount=4_000_000, description="Pano"
    )
    with time_machine.travel(IN_2027, tick=False):
        review = services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
        ProgrammeReview.objects.filter(pk=review.pk).update(from_year=2026)
        review.refresh_from_db()
        activity(world, held_on=dt.date(2027, 2, 1), reach=50)
        data = selectors.review_data(review=review)
    assert set(data) == {
        "review",
        "unit",
        "years",
        "targets",
        "totals",
        "sections",
        "conferences",
        "snapshot",
    }
    assert [y["year"] for y in data["years"]] == [2026, 2027]
    first = data["years"][0]
    assert set(first) == YEARLY_KEYS
    assert first["sipas"] is None and "Khảo sát SIPAS" in first["missing"]  # no survey answers
    assert first["no_data"] == "chưa có số liệu"
    assert first["communication"]["count"] == 1 and first["budget"]["approved"] == 15_000_000
    # the money is what was spent on communication from the estimates, not the activities' typed cost
    assert data["totals"]["communication"] == {"count": 2, "reach": 250, "cost": 4_000_000}
    assert data["review"]["kind_label"] == "Sơ kết" and data["sections"][0] == {
        "key": "results",
        "title": "Kết quả đạt được",
        "text": "",
    }


def test_a_failing_selector_of_another_area_is_an_error_not_no_data(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import friendlygov.plans.selectors as plan_selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("half-built")

    result = selectors.yearly_results(unit=world.unit, year=2026)
    assert result["task_completion"] is None and "Tiến độ nhiệm vụ của kế hoạch" in result["missing"]
    assert result["target_level"] is None  # no plan in the test world
    monkeypatch.setattr(plan_selectors, "task_completion_figure", broken)
    with pytest.raises(RuntimeError, match="half-built"):
        selectors.yearly_results(unit=world.unit, year=2026)


def test_sections_are_written_one_by_one_then_completed(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(IN_2027, tick=False):
        review = services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
        client = client_for(world.coordinator)
        sections = list(review.sections.all())
        first = sections[0]
        url = f"{BASE}{review.pk}/muc/{first.pk}/"
        assert (
            client.post(
                url, {"title": first.title, "text": "Hoàn thành 9/10 nhiệm vụ.", "version": 1}
            ).status_code
            == 302
        )
        stale = client.post(url, {"title": first.title, "text": "Bản của người thứ hai", "version": 1})
        assert stale.status_code == 400 and "Bản của người thứ hai" in stale.content.decode()
        assert client_for(world.leader).get(url).status_code == 403
        client = client_for(world.coordinator)
        response = client.post(f"{BASE}{review.pk}/hoan-thanh/", {"version": review.version}, follow=True)
        assert "chưa có nội dung" in response.content.decode()
        for section in sections[1:]:
            services.update_review_section(
                actor=world.coordinator,
                section=section,
                text=f"Nội dung {section.title}",
                expected_version=section.version,
            )
        added = client.post(f"{BASE}{review.pk}/them-muc/", {"title": "Phụ lục số liệu"})
        new = ReviewSection.objects.get(review=review, title="Phụ lục số liệu")
        assert added.status_code == 302 and new.key == "phu_luc_so_lieu"
        services.update_review_section(
            actor=world.coordinator, section=new, text="Bảng số liệu", expected_version=1
        )
        client.post(f"{BASE}{review.pk}/hoan-thanh/", {"version": review.version})
        review.refresh_from_db()
        assert review.status == "completed" and review.snapshot["years"][0]["year"] == 2027
        with pytest.raises(ValidationError, match="đã hoàn thành"):
            services.update_review_section(
                actor=world.coordinator, section=first, text="x", expected_version=None
            )
        data = selectors.review_data(review=review)
        assert (
            data["snapshot"]["review"]["id"] == review.pk
            and data["snapshot"]["years"][0]["communication"]["count"] == 0
        )
        assert [s["key"] for s in data["sections"]][-1] == "phu_luc_so_lieu"
        listed = client.get(BASE + "?trang_thai=completed&q=hoan+thanh+9").content.decode()
        assert review.title in listed
        assert review.title not in client.get(BASE + "?loai=final").content.decode().split('id="reviews"')[-1]
        page = client.get(f"{BASE}{review.pk}/").content.decode()
        assert "Hoàn thành 9/10 nhiệm vụ." in page and "Mở lại để sửa" in page
        from tests.operations.conftest import read_xlsx

        rows = read_xlsx(client.get(f"{BASE}{review.pk}/xuat.xlsx").content)
        assert rows[2] == ["Chỉ tiêu", "2027"] and rows[3] == ["Mức độ phấn đấu", "chưa có số liệu"]


def test_yearly_results_page_shows_no_data_labels(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = (
        client_for(world.users["observer"])
        .get("/don-vi/thanh-mien/hoat-dong/ket-qua-nam/?nam=2026")
        .content.decode()
    )
    assert "chưa có số liệu" in page and "Kết quả thực hiện mô hình năm 2026" in page


def test_the_api_answers_the_review_and_the_year_as_the_selectors_give_them(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The declared response schemas (issue 17) describe the selectors' dicts: nothing dropped, no value
    changed on the way (dates ISO, Decimals as text, lazy labels as their text)."""
    import json

    from ninja.responses import NinjaJSONEncoder

    activity(world, held_on=dt.date(2026, 5, 1), reach=200)
    line = budget_line(world, activity_kind=CommunicationKind.SLOGAN_PANEL)
    services.record_spending(
        actor=world.coordinator, line=line, spent_on=dt.date(2026, 5, 2), amount=4_000_000, description="Pano"
    )
    with time_machine.travel(IN_2027, tick=False):
        review = services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
        ProgrammeReview.objects.filter(pk=review.pk).update(
            from_year=2026, snapshot={"years": [{"year": 2026}]}
        )
        review.refresh_from_db()
        client = client_for(world.coordinator)
        for url, data in (
            (f"/api/operations/reviews/{review.pk}", selectors.review_data(review=review)),
            (
                "/api/operations/units/thanh-mien/results/2026",
                selectors.yearly_results(unit=world.unit, year=2026),
            ),
        ):
            response = client.get(url)
            assert response.status_code == 200, response.content[:500]
            assert response.json() == json.loads(json.dumps(data, cls=NinjaJSONEncoder)), url


def test_complete_and_reopen_each_have_their_own_address(world: World, client_for: Any) -> None:
    with time_machine.travel(IN_2027, tick=False):
        review = services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
        for section in review.sections.all():
            services.update_review_section(
                actor=world.coordinator, section=section, text="Nội dung", expected_version=section.version
            )
        review.refresh_from_db()
        complete, reopen = f"{BASE}{review.pk}/hoan-thanh/", f"{BASE}{review.pk}/mo-lai/"
        assert client_for(world.outsider).post(complete, {"version": review.version}).status_code == 404
        assert client_for(world.leader).post(complete, {"version": review.version}).status_code == 403
        assert client_for(world.coordinator).get(complete).status_code == 405
        review.refresh_from_db()
        assert review.status == "draft"
        client = client_for(world.coordinator)
        assert client.post(complete, {"version": review.version}).status_code == 302
        review.refresh_from_db()
        assert review.status == "completed"
        assert client_for(world.outsider).post(reopen, {"version": review.version}).status_code == 404
        assert client_for(world.leader).post(reopen, {"version": review.version}).status_code == 403
        client = client_for(world.coordinator)
        assert client.post(reopen, {"version": review.version}).status_code == 302
        review.refresh_from_db()
        assert review.status == "draft" and review.snapshot == {}
