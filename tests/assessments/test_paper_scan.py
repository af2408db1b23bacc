"""Proof recorded on paper only (a description, "chưa có tệp") receives its scanned file later, from the
criterion page and from the API: permission-checked, audited, the record keeps its date and author, and
it is no longer listed as lacking a file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import Cycle, ScoreEvidence
from friendlygov.audit.models import AuditEvent
from friendlygov.org import services as org_services
from tests.assessments.conftest import YEAR, pdf
from tests.factories import World

PAGE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/1.1/"
API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}/criteria/1.1/evidence"


@pytest.fixture
def paper(world: World, scoring: Cycle) -> ScoreEvidence:
    with time_machine.travel(dt.datetime(YEAR, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        return services.attach_evidence(
            actor=world.member, cycle=scoring, criterion_code="1.1", note="Biên bản hội nghị (bản giấy)"
        )


def _flags(cycle: Cycle) -> list[str]:
    data = selectors.load_cycle_data(cycle)
    return [i.message for i in selectors.quality_checks(cycle, data) if i.kind == "evidence_without_file"]


def _api(client: Any, user: Any, url: str, payload: dict[str, Any]) -> Any:
    token = org_services.create_api_token(actor=user, name="kiểm thử")
    return client.post(url, payload, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_page_offers_the_scan_and_the_row_takes_it(
    world: World, client_for: Any, scoring: Cycle, paper: ScoreEvidence
) -> None:
    assert any("chưa có tệp" in flag for flag in _flags(scoring))
    client = client_for(world.member)
    page = client.get(PAGE).content.decode()
    assert 'name="scan-link"' in page and f'value="{paper.pk}"' in page
    # the paper proof's day by default, written dd/mm/yyyy like every date field (not the browser's picker)
    assert f'name="scan-effective_date" value="10/03/{YEAR}"' in page and 'type="date"' not in page

    response = client.post(
        PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk, "scan-file": pdf("bien-ban-quet.pdf")}
    )
    assert response.status_code == 302
    link = ScoreEvidence.objects.get(pk=paper.pk)
    assert link.evidence is not None and link.evidence.original_name == "bien-ban-quet.pdf"
    assert link.evidence.effective_date == dt.date(YEAR, 3, 10)  # the record keeps its date
    assert link.added_at == paper.added_at and link.added_by == world.member and link.note == paper.note
    assert ScoreEvidence.objects.filter(entry=link.entry).count() == 1  # the same record, not a second one
    assert _flags(scoring) == []
    event = AuditEvent.objects.get(
        object_type="assessments.scoreevidence", object_id=str(paper.pk), action=AuditEvent.Action.UPDATE
    )
    assert event.actor == world.member and "bản quét" in event.note
    assert event.changes["evidence_id"] == [None, link.evidence.pk]
    page = client.get(PAGE).content.decode()
    assert 'name="scan-link"' not in page and "bien-ban-quet.pdf" in page


def test_the_page_refuses_a_fake_file_and_a_second_scan(
    world: World, client_for: Any, scoring: Cycle, paper: ScoreEvidence
) -> None:
    client = client_for(world.member)
    fake = SimpleUploadedFile("quet.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    response = client.post(PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk, "scan-file": fake})
    assert response.status_code == 200 and "không phải tệp PDF đọc được" in response.content.decode()
    assert ScoreEvidence.objects.get(pk=paper.pk).evidence is None
    response = client.post(PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk})
    assert response.status_code == 200 and ScoreEvidence.objects.get(pk=paper.pk).evidence is None
    client.post(PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk, "scan-file": pdf()})
    response = client.post(
        PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk, "scan-file": pdf("lan-hai.pdf")}
    )
    assert response.status_code == 200 and "đã có tệp" in response.content.decode()


def test_the_api_takes_the_scan_with_its_own_date(
    world: World, client: Any, scoring: Cycle, paper: ScoreEvidence
) -> None:
    response = _api(
        client,
        world.member,
        f"{API}/{paper.pk}/scan",
        {"file": pdf("quet.pdf"), "effective_date": f"{YEAR}-03-08"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == paper.pk and body["note"] == paper.note and len(body["sha256"]) == 64
    assert body["effective_date"] == f"{YEAR}-03-08"
    assert _flags(scoring) == []
    again = _api(client, world.member, f"{API}/{paper.pk}/scan", {"file": pdf("lan-hai.pdf")})
    assert again.status_code == 422


def test_outsiders_and_other_bodies_cannot_add_the_scan(
    world: World, client: Any, client_for: Any, scoring: Cycle, paper: ScoreEvidence
) -> None:
    outsider = client_for(world.outsider)
    assert outsider.get(PAGE).status_code == 404
    response = outsider.post(PAGE + "minh-chung/ban-quet/", {"scan-link": paper.pk, "scan-file": pdf()})
    assert response.status_code == 404
    assert _api(client, world.outsider, f"{API}/{paper.pk}/scan", {"file": pdf()}).status_code == 404
    # a body the criterion is not assigned to (the village) may read it but not change it
    assert _api(client, world.users["village"], f"{API}/{paper.pk}/scan", {"file": pdf()}).status_code == 403
    # a link of another criterion is not reachable under this one
    other = services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.2", note="Giấy khác"
    )
    assert _api(client, world.member, f"{API}/{other.pk}/scan", {"file": pdf()}).status_code == 404
    assert ScoreEvidence.objects.get(pk=paper.pk).evidence is None
    assert ScoreEvidence.objects.get(pk=other.pk).evidence is None
