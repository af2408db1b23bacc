"""The leader signs the issued registration letter (organisation certificate, PKCS#12); the city reviewer
sees «đã ký số — hợp lệ» with the signer and time; an altered copy uploaded is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from friendlygov.documents import pdf
from friendlygov.documents import services as documents
from friendlygov.signatures import services
from friendlygov.signatures.models import DocumentSignature
from tests.browser.conftest import login
from tests.documents.data import make_plan
from tests.factories import PASSWORD, World
from tests.signatures.app_pki import P12_PASSWORD, make_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not pdf.soffice_available(), reason="LibreOffice is needed to make the letter's PDF")
def test_leader_signs_the_registration_letter_city_sees_it_valid(
    world: World, live_server: Any, page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRIENDLYGOV_SIGNING_KEY", "khoa-ma-hoa-thu-nghiem-0123456789")
    monkeypatch.setenv("FRIENDLYGOV_P12_PASSWORD", P12_PASSWORD)
    make_plan(world)
    pki = make_pki()
    services.add_trust_root(actor=world.users["admin"], data=pki.ca_pem, name="CA thử nghiệm")
    services.update_signing_settings(
        actor=world.users["unit_admin"],
        unit=world.unit,
        pkcs11_enabled=False,
        pkcs12_enabled=True,
        upload_enabled=True,
        requires_digital_signature=True,
    )
    services.upload_organisation_certificate(
        actor=world.users["unit_admin"],
        unit=world.unit,
        data=pki.p12,
        passphrase_env="FRIENDLYGOV_P12_PASSWORD",
    )
    letter = documents.render_document(
        actor=world.leader,
        unit=world.unit,
        kind="registration",
        year=dt.date.today().year,
        number=3,
        issued_on=dt.date.today(),
    ).document
    assert letter is not None

    login(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/van-ban/")
    row = page.locator("tr", has_text=letter.number_symbol)
    assert "chưa ký" in row.inner_text()
    row.get_by_role("link", name="Ký số, xem chữ ký").click()
    page.get_by_label("Chứng thư số của cơ quan").check()
    page.get_by_role("button", name="Ký số", exact=True).click()
    page.wait_for_load_state()
    assert f"Đã ký số văn bản {letter.number_symbol}" in page.get_by_role("status").inner_text()
    assert "đã ký số — hợp lệ" in page.locator("#trang-thai-ky").inner_text()
    signature = DocumentSignature.objects.get()
    assert signature.is_good

    # a copy of the signed file with one byte of the letter changed: refused, nothing kept
    signed = signature.file.open("rb").read()
    altered = bytearray(signed)
    at = altered.find(b"/MediaBox")
    altered[at + 12] = ord("7") if altered[at + 12] != ord("7") else ord("8")
    path = tmp_path / "da-ky-bi-sua.pdf"
    path.write_bytes(bytes(altered))
    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_load_state()
    assert (
        "không phải bản đã ký của văn bản này"
        in page.locator("form", has_text="Tải lên bản đã ký").inner_text()
    )
    assert DocumentSignature.objects.count() == 1

    # the city reviewer sees it on the commune's documents, with the signer and the time
    page.context.clear_cookies()
    login(page, live_server, "reviewer", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/van-ban/")
    cell = page.locator("tr", has_text=letter.number_symbol).locator("td.doc-signature")
    text = cell.inner_text()
    assert "đã ký số — hợp lệ" in text and "Leader" in text
    local = signature.signed_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert local.strftime("%d/%m/%Y") in text
