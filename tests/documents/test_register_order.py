"""Issued numbers and dates run in order within each issuing body's register and year: a higher number dated
before a lower one (or a lower number dated after a higher one) is refused with a message naming both, or
accepted with an explicit confirmation recorded in the audit — by the service, the page, the API and the plan's
own number typed by hand; the command line refuses (exit 2). The commune's committee, the city's committee and
the city's Department of Home Affairs each keep their own register."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from friendlygov.audit.models import AuditEvent
from friendlygov.cli import main
from friendlygov.documents import numbering, services
from friendlygov.documents.models import IssuedDocument, Kind, Register
from friendlygov.plans import services as plan_services

from .data import make_plan

pytestmark = pytest.mark.django_db

APRIL_9 = dt.date(2026, 4, 9)
FEBRUARY_10 = dt.date(2026, 2, 10)


@pytest.fixture
def planned(world: Any) -> Any:
    with time_machine.travel(dt.datetime(2026, 4, 20, 9, 0), tick=False):
        make_plan(world)
        yield world


def issue(
    world: Any, number: int, when: dt.date, *, kind: str = "registration", confirm: bool = False
) -> Any:
    return services.render_document(
        actor=world.coordinator,
        unit=world.unit,
        kind=kind,
        year=2026,
        number=number,
        issued_on=when,
        confirm_out_of_order=confirm,
    )


def test_a_higher_number_dated_before_a_lower_one_is_refused_naming_both(planned: Any) -> None:
    issue(planned, 15, APRIL_9)
    with pytest.raises(ValidationError) as caught:
        issue(planned, 21, FEBRUARY_10)
    message = caught.value.message_dict["number"][0]
    assert message.startswith("Số 21 ngày 10/02/2026 đứng trước số 15 ngày 09/04/2026")
    assert "15/UBND-VHXH" in message and "Ủy ban nhân dân xã Thanh Miện" in message
    assert IssuedDocument.objects.filter(number=21).count() == 0


def test_a_lower_number_dated_after_a_higher_one_is_refused(planned: Any) -> None:
    issue(planned, 21, FEBRUARY_10)
    with pytest.raises(ValidationError) as caught:
        issue(planned, 15, APRIL_9)
    message = caught.value.message_dict["number"][0]
    assert message.startswith("Số 15 ngày 09/04/2026 đứng sau số 21 ngày 10/02/2026")
    assert "(22)" in message  # the next free number is proposed


def test_in_order_and_same_day_are_accepted(planned: Any) -> None:
    issue(planned, 15, FEBRUARY_10)
    issue(planned, 16, FEBRUARY_10)
    issue(planned, 21, APRIL_9)
    assert services.next_free_number(planned.unit, 2026) == 22


def test_a_confirmed_number_out_of_order_is_issued_and_the_confirmation_audited(planned: Any) -> None:
    issue(planned, 15, APRIL_9)
    rendered = issue(planned, 21, FEBRUARY_10, confirm=True)
    assert rendered.document is not None and rendered.document.number == 21
    event = AuditEvent.objects.get(
        object_type="documents.issueddocument", object_id=str(rendered.document.pk)
    )
    assert "không theo thứ tự" in event.note and "Số 21 ngày 10/02/2026 đứng trước số 15" in event.note


def test_registers_are_independent(planned: Any) -> None:
    city = planned.city
    IssuedDocument.objects.create(
        unit=city, register=Register.COMMITTEE, kind=Kind.RECOGNITION_DECISION, year=2026, number=15,
        symbol="QĐ-UBND", issued_on=APRIL_9,
    )  # fmt: skip
    # the city's Department of Home Affairs numbers on its own: 3 on 10/02 is in order there
    assert numbering.order_problem(city, Register.HOME_AFFAIRS, 3, FEBRUARY_10) is None
    assert numbering.order_problem(city, Register.HOME_AFFAIRS, 21, FEBRUARY_10) is None
    assert numbering.order_problem(city, Register.COMMITTEE, 21, FEBRUARY_10) is not None
    # and the commune's committee is not the city's
    assert numbering.order_problem(planned.unit, Register.COMMITTEE, 21, FEBRUARY_10) is None
    rendered = services.render_document(
        actor=planned.reviewer, unit=city, kind="city_report", year=2026, number=21, issued_on=FEBRUARY_10
    )
    assert rendered.document is not None and rendered.document.register == Register.HOME_AFFAIRS
    # the next number of each register
    assert services.proposed_number("city_report", city, 2026) == 22
    assert services.next_free_number(city, 2026, Register.COMMITTEE) == 16
    assert services.proposed_number("plan", planned.unit, 2026) == 1


def _post(kind: str, number: int, when: str, confirm: bool = False) -> dict[str, Any]:
    data = {
        "kind_prefix": kind,
        "action": "issue",
        f"{kind}-kind": kind,
        f"{kind}-year": "2026",
        f"{kind}-number": str(number),
        f"{kind}-issued_on": when,
        f"{kind}-signer_authority": "TM. Ủy ban nhân dân",
        f"{kind}-signer_capacity": "KT. Chủ tịch",
        f"{kind}-signer_title": "Phó Chủ tịch",
        f"{kind}-signer_name": "Lê Anh Tuấn",
        f"{kind}-recipients": "Sở Nội vụ thành phố\nLưu: VT, VHXH",
        f"{kind}-output": "docx",
    }
    if confirm:
        data[f"{kind}-confirm_out_of_order"] = "on"
    return data


def test_the_page_refuses_then_accepts_with_the_checkbox(planned: Any, client_for: Any) -> None:
    issue(planned, 15, APRIL_9)
    client = client_for(planned.coordinator)
    url = reverse("documents:unit_documents", kwargs={"slug": planned.unit.slug})
    refused = client.post(f"{url}ban-hanh/", _post("registration", 21, "10/02/2026"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Số 21 ngày 10/02/2026 đứng trước số 15 ngày 09/04/2026" in html
    assert 'name="registration-confirm_out_of_order"' in html
    accepted = client.post(f"{url}ban-hanh/", _post("registration", 21, "10/02/2026", confirm=True))
    assert accepted.status_code == 302
    assert IssuedDocument.objects.filter(unit=planned.unit, number=21).exists()


def test_the_api_refuses_then_accepts_with_confirmation(planned: Any, client_for: Any) -> None:
    issue(planned, 15, APRIL_9)
    client = client_for(planned.coordinator)
    url = f"/api/documents/units/{planned.unit.slug}/issued"
    payload = {"kind": "registration", "year": 2026, "number": 21, "issued_on": "2026-02-10"}
    refused = client.post(url, json.dumps(payload), content_type="application/json")
    assert refused.status_code == 422
    assert "đứng trước số 15 ngày 09/04/2026" in refused.json()["detail"]["number"][0]
    accepted = client.post(
        url, json.dumps({**payload, "confirm_out_of_order": True}), content_type="application/json"
    )
    assert accepted.status_code == 201 and accepted.json()["number"] == 21
    assert client.get(f"/api/documents/units/{planned.unit.slug}/next-number?year=2026").json() == {
        "year": 2026,
        "number": 22,
        "register_code": "committee",
    }
    city = client_for(planned.reviewer).get(
        "/api/documents/units/hai-phong/next-number?year=2026&kind=city-report"
    )
    assert city.json() == {"year": 2026, "number": 1, "register_code": "home_affairs"}


def test_the_command_refuses_with_exit_2(planned: Any, tmp_path: Path, capsys: Any) -> None:
    issue(planned, 15, APRIL_9)
    out = tmp_path / "dk.docx"
    args = ["--kind", "registration", "--unit", "thanh-mien", "--year", "2026", "--out", str(out)]
    code = main(["documents", "render", *args, "--number", "21", "--date", "10/02/2026"])
    assert code == 2 and not out.exists()
    assert "Số 21 ngày 10/02/2026 đứng trước số 15 ngày 09/04/2026" in capsys.readouterr().err
    assert main(["documents", "render", *args, "--number", "16", "--date", "10/04/2026"]) == 0


def test_the_plans_number_typed_by_hand_is_checked(planned: Any) -> None:
    issue(planned, 15, APRIL_9)
    plan = planned.unit.plans.get(is_current=True)
    with pytest.raises(ValidationError) as caught:
        plan_services.update_plan(
            actor=planned.coordinator,
            plan=plan,
            expected_version=plan.version,
            number="21/KH-UBND",
            issued_on=FEBRUARY_10,
        )
    assert "Số 21 ngày 10/02/2026 đứng trước số 15" in caught.value.message_dict["number"][0]
    plan.refresh_from_db()
    assert plan.number == ""
    plan = plan_services.update_plan(
        actor=planned.coordinator,
        plan=plan,
        expected_version=plan.version,
        number="21/KH-UBND",
        issued_on=FEBRUARY_10,
        confirm_out_of_order=True,
    )
    assert plan.number == "21/KH-UBND"
    event = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).latest("pk")
    assert "không theo thứ tự" in event.note
    # unchanged number and date: no new check on a later edit
    plan_services.update_plan(actor=planned.coordinator, plan=plan, expected_version=plan.version, title="X")


def test_the_plan_page_offers_the_confirmation(planned: Any, client_for: Any) -> None:
    issue(planned, 15, APRIL_9)
    plan = planned.unit.plans.get(is_current=True)
    client = client_for(planned.coordinator)
    url = reverse("plans:plan_edit", kwargs={"slug": planned.unit.slug, "pk": plan.pk})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({"number": "21/KH-UBND", "issued_on": "10/02/2026", "start_year": "2026", "end_year": "2030"})
    data["open_ended"] = "on"
    data["slips_reviewed"] = "True"  # the seed's "xã, xã" in the bases: offered, kept as typed
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Số 21 ngày 10/02/2026 đứng trước số 15" in refused.content.decode()
    accepted = client.post(url, {**data, "confirm_out_of_order": "on"})
    assert accepted.status_code == 302
    plan.refresh_from_db()
    assert plan.number == "21/KH-UBND"
