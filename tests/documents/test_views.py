"""The documents pages and API: the form per kind, drafts, issuing, the list, files, Excel, templates, access."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import docx
import openpyxl
import pytest
import time_machine
from django.urls import reverse

from friendlygov.documents import pdf, services
from friendlygov.documents.models import IssuedDocument
from friendlygov.documents.render import is_draft_docx

from .data import make_cycle, make_plan
from .docx_reading import open_docx
from .test_pdf import needs_soffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(world: Any) -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        make_plan(world)
        yield world


def page_url(world: Any) -> str:
    return reverse("documents:unit_documents", kwargs={"slug": world.unit.slug})


def post(kind: str, action: str, **fields: Any) -> dict[str, Any]:
    data = {
        "kind_prefix": kind,
        "action": action,
        f"{kind}-kind": kind,
        f"{kind}-year": "2026",
        f"{kind}-number": "",
        f"{kind}-issued_on": "2026-03-02",
        f"{kind}-signer_authority": "TM. Ủy ban nhân dân",
        f"{kind}-signer_capacity": "KT. Chủ tịch",
        f"{kind}-signer_title": "Phó Chủ tịch",
        f"{kind}-signer_name": "Lê Anh Tuấn",
        f"{kind}-recipients": "Sở Nội vụ thành phố\nLưu: VT, VHXH",
        f"{kind}-output": "docx",
    }
    data.update({f"{kind}-{k}": v for k, v in fields.items()})
    return data


def test_page_proposes_the_next_free_number(planned: Any, client_for: Any) -> None:
    services.render_document(
        actor=planned.leader,
        unit=planned.unit,
        kind="plan",
        year=2026,
        number=7,
        issued_on=dt.date(2026, 3, 2),
    )
    response = client_for(planned.coordinator).get(page_url(planned))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("plan", "registration", "self_assessment", "submission", "annual_report", "review"):
        assert f'name="kind_prefix" value="{kind}"' in html
    assert 'name="plan-number" value="8"' in html
    assert "07/KH-UBND" in html
    assert 'name="plan-signer_name" value="Leader"' in html  # the default signer is the leader account


def test_draft_download(planned: Any, client_for: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        response = client_for(planned.coordinator).post(
            f"{page_url(planned)}du-thao/", post("plan", "draft", number="8")
        )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="du-thao-ke-hoach-thanh-mien-2026.docx"'
    assert is_draft_docx(response.content)
    footer = open_docx(response.content).tables[1]
    assert [p.text for p in footer.cell(0, 0).paragraphs if p.text.strip()] == [
        "Nơi nhận:", "- Sở Nội vụ thành phố;", "- Lưu: VT, VHXH.",
    ]  # fmt: skip
    assert not IssuedDocument.objects.exists()


def test_issue_keeps_the_document_and_lists_it(planned: Any, client_for: Any) -> None:
    client = client_for(planned.leader)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        response = client.post(f"{page_url(planned)}ban-hanh/", post("registration", "issue", number="15"))
        document = IssuedDocument.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"?moi={document.pk}#da-ban-hanh")
        page = client.get(response["Location"]).content.decode()
    assert "Đã ban hành văn bản số 15/UBND-VHXH" in page
    assert 'class="doc-new"' in page
    download = client.get(
        reverse("documents:issued_file", kwargs={"slug": planned.unit.slug, "pk": document.pk})
    )
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert open_docx(content).tables[0].cell(1, 0).paragraphs[0].text == "Số: 15/UBND-VHXH"


def test_a_used_number_is_refused_on_the_form(planned: Any, client_for: Any) -> None:
    client = client_for(planned.coordinator)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        client.post(f"{page_url(planned)}ban-hanh/", post("plan", "issue", number="3"))
        response = client.post(f"{page_url(planned)}ban-hanh/", post("annual_report", "issue", number="3"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số 03 đã được dùng cho văn bản 03/KH-UBND" in html
    assert IssuedDocument.objects.count() == 1
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        response = client.post(f"{page_url(planned)}du-thao/", post("review", "draft", year="2028"))
    assert response.status_code == 400
    assert "báo cáo sơ kết chỉ lập cho năm 2027" in response.content.decode()


def test_issuing_needs_a_number(planned: Any, client_for: Any) -> None:
    response = client_for(planned.coordinator).post(f"{page_url(planned)}ban-hanh/", post("plan", "issue"))
    assert response.status_code == 400
    assert "Nhập số văn bản để ban hành" in response.content.decode()


def test_pdf_link_hidden_without_libreoffice(
    planned: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice_available", lambda: False)
    services.render_document(
        actor=planned.leader,
        unit=planned.unit,
        kind="plan",
        year=2026,
        number=1,
        issued_on=dt.date(2026, 3, 2),
    )
    html = client_for(planned.coordinator).get(page_url(planned)).content.decode()
    assert "Máy chủ chưa cài LibreOffice nên chưa tải được PDF" in html
    assert "Tải PDF" not in html
    assert 'name="plan-output"' not in html
    monkeypatch.setattr(pdf, "soffice_available", lambda: True)
    html = client_for(planned.coordinator).get(page_url(planned)).content.decode()
    assert "Tải PDF" in html and 'name="plan-output"' in html
    assert "Máy chủ chưa cài LibreOffice" not in html


@pytest.mark.libreoffice
@pytest.mark.skipif(not pdf.soffice_available(), reason="LibreOffice (soffice) chưa được cài: bỏ qua")
def test_pdf_download(planned: Any, client_for: Any) -> None:
    response = client_for(planned.coordinator).post(
        f"{page_url(planned)}du-thao/", post("plan", "draft", output="pdf")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_reader_sees_the_list_but_no_form(planned: Any, client_for: Any) -> None:
    html = client_for(planned.users["observer"]).get(page_url(planned)).content.decode()
    assert "Văn bản đã ban hành" in html
    assert "kind_prefix" not in html
    response = client_for(planned.users["observer"]).post(
        f"{page_url(planned)}du-thao/", post("plan", "draft")
    )
    assert response.status_code == 403


def test_outsider_gets_404_everywhere(planned: Any, client_for: Any) -> None:
    document = services.render_document(
        actor=planned.leader,
        unit=planned.unit,
        kind="plan",
        year=2026,
        number=1,
        issued_on=dt.date(2026, 3, 2),
    ).document
    assert document is not None
    make_cycle(planned, 2026, until="registered")
    slug = planned.unit.slug
    client = client_for(planned.outsider)
    urls = [
        page_url(planned),
        reverse("documents:issued_file", kwargs={"slug": slug, "pk": document.pk}),
        reverse("documents:issued_pdf", kwargs={"slug": slug, "pk": document.pk}),
        reverse("documents:scoring_xlsx", kwargs={"slug": slug, "year": 2026}),
        reverse("documents:figures_xlsx", kwargs={"slug": slug}),
        reverse("documents:city_documents", kwargs={"slug": planned.city.slug}),
        # the outsider's own unit, but someone else's document id
        reverse("documents:issued_file", kwargs={"slug": planned.other.slug, "pk": document.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{page_url(planned)}du-thao/", post("plan", "draft")).status_code == 404
    api = [
        f"/api/documents/units/{slug}/issued",
        f"/api/documents/units/{slug}/next-number",
        f"/api/documents/issued/{document.pk}/file",
        f"/api/documents/issued/{document.pk}/pdf",
    ]
    for url in api:
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/api/documents/units/{slug}/drafts",
        json.dumps({"kind": "plan", "year": 2026}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_city_page_for_reviewers(planned: Any, client_for: Any) -> None:
    url = reverse("documents:city_documents", kwargs={"slug": planned.city.slug})
    html = client_for(planned.reviewer).get(url).content.decode()
    assert 'name="kind_prefix" value="city_report"' in html
    assert 'value="plan"' not in html
    response = client_for(planned.reviewer).post(f"{url}du-thao/", post("city_report", "draft"))
    assert response.status_code == 200 and is_draft_docx(response.content)
    assert client_for(planned.coordinator).get(url).status_code == 404


def test_api_lists_proposes_renders_and_issues(planned: Any, client_for: Any) -> None:
    client = client_for(planned.coordinator)
    slug = planned.unit.slug
    assert client.get(f"/api/documents/units/{slug}/next-number?year=2026").json() == {
        "year": 2026,
        "number": 1,
        "register_code": "committee",
    }
    draft = client.post(
        f"/api/documents/units/{slug}/drafts",
        json.dumps({"kind": "annual-report", "year": 2026}),
        content_type="application/json",
    )
    assert draft.status_code == 200 and is_draft_docx(draft.content)
    issued = client.post(
        f"/api/documents/units/{slug}/issued",
        json.dumps({"kind": "plan", "year": 2026, "number": 12, "issued_on": "2026-04-15"}),
        content_type="application/json",
    )
    assert issued.status_code == 201
    body = issued.json()
    assert body["number_symbol"] == "12/KH-UBND" and body["issued_on"] == "2026-04-15"
    again = client.post(
        f"/api/documents/units/{slug}/issued",
        json.dumps({"kind": "registration", "year": 2026, "number": 12, "issued_on": "2026-05-01"}),
        content_type="application/json",
    )
    assert again.status_code == 422
    assert "Số 12 đã được dùng" in again.json()["detail"]["number"][0]
    listed = client.get(f"/api/documents/units/{slug}/issued").json()
    assert [d["number_symbol"] for d in listed] == ["12/KH-UBND"]
    file = client.get(body["file_url"])
    assert file.status_code == 200 and not is_draft_docx(file.content)
    member = client_for(planned.member)
    forbidden = member.post(
        f"/api/documents/units/{slug}/drafts",
        json.dumps({"kind": "plan", "year": 2026}),
        content_type="application/json",
    )
    assert forbidden.status_code == 403


def test_api_pdf_without_libreoffice_is_503(
    planned: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "soffice"))
    client = client_for(planned.coordinator)
    slug = planned.unit.slug
    draft = client.post(
        f"/api/documents/units/{slug}/drafts?output=pdf",
        json.dumps({"kind": "plan", "year": 2026}),
        content_type="application/json",
    )
    assert draft.status_code == 503 and "Chưa cài LibreOffice" in draft.content.decode()
    wrong = client.post(
        f"/api/documents/units/{slug}/drafts?output=odt",
        json.dumps({"kind": "plan", "year": 2026}),
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "output" in wrong.content.decode()
    issued = client.post(
        f"/api/documents/units/{slug}/issued",
        json.dumps({"kind": "plan", "year": 2026, "number": 3, "issued_on": "2026-03-02"}),
        content_type="application/json",
    ).json()
    assert client.get(issued["pdf_url"]).status_code == 503


@pytest.mark.libreoffice
@needs_soffice
def test_api_gives_pdf(planned: Any, client_for: Any) -> None:
    client = client_for(planned.coordinator)
    slug = planned.unit.slug
    draft = client.post(
        f"/api/documents/units/{slug}/drafts?output=pdf",
        json.dumps({"kind": "plan", "year": 2026}),
        content_type="application/json",
    )
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    assert draft["Content-Type"] == "application/pdf"
    issued = client.post(
        f"/api/documents/units/{slug}/issued",
        json.dumps({"kind": "plan", "year": 2026, "number": 3, "issued_on": "2026-03-02"}),
        content_type="application/json",
    ).json()
    response = client.get(issued["pdf_url"])
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# -------------------------------------------------------------------------------------------- Excel


def evaluate(sheet: Any, ref: str) -> float:
    """A small evaluator for the workbook's formulas (SUM, MIN, +, cell references)."""
    import re

    value = sheet[ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        # like Excel's SUM: a text ("chưa chấm") adds nothing
        return float(value) if isinstance(value, int | float) else 0.0
    expression = re.sub(r"\b([A-H]\d+)\b", lambda m: f"cell('{m[1]}')", value[1:]).replace("SUM(", "total(")
    namespace = {"cell": lambda r: evaluate(sheet, r), "total": lambda *xs: sum(xs), "MIN": min}
    return float(eval(expression, {"__builtins__": {}}, namespace))  # noqa: S307 - our own formulas


def test_scoring_workbook_in_the_scorers_layout(planned: Any, client_for: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 25, 9, 0), tick=False):
        make_cycle(planned, 2026)
    response = client_for(planned.coordinator).get(
        reverse("documents:scoring_xlsx", kwargs={"slug": planned.unit.slug, "year": 2026})
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (
        sheet["A4"].value == "Mã"
        and sheet["C4"].value == "Điểm tối đa"
        and sheet["F4"].value == "Điểm thẩm định"
    )
    assert sheet["A5"].value == "1. Chính quyền hoạt động công khai, minh bạch"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A5:B5" in merged  # a group row spans the code and name columns
    assert sheet["C5"].value == 20
    assert str(sheet["D5"].value).startswith("=MIN(C5,SUM(")
    total_row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "TỔNG CỘNG")
    assert str(sheet.cell(total_row, 4).value).startswith("=SUM(")
    assert str(sheet.cell(total_row, 6).value).startswith("=SUM(")
    assert sheet.cell(total_row + 1, 5).value == 89  # the engine's total, to compare
    # The formulas give the engine's totals (Excel would compute the same).
    for column in ("D", "E", "F"):
        assert evaluate(sheet, f"{column}{total_row}") == pytest.approx(89, abs=0.05)
    assert sheet.cell(total_row + 2, 5).value == "Mức độ 2"
    leaves = [
        r
        for r in range(6, total_row)
        if sheet.cell(r, 4).value is not None and not str(sheet.cell(r, 4).value).startswith("=")
    ]
    assert leaves, "leaf rows carry the values typed in"


def test_figures_workbook(planned: Any, client_for: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        response = client_for(planned.users["observer"]).get(
            reverse("documents:figures_xlsx", kwargs={"slug": planned.unit.slug})
        )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B3"].value == "Năm" and sheet["C3"].value == "Chỉ số hài lòng SIPAS (%)"
    assert sheet["A4"].value == 1 and sheet["B4"].value == 2026


# ---------------------------------------------------------------------------------------- templates


def word_file(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client: Any, content: bytes, activate: bool = True) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"kind": "plan", "name": "Mẫu thử", "file": SimpleUploadedFile("mau.docx", content)}
    if activate:
        data["activate"] = "on"
    return client.post(reverse("documents:templates"), data)


def test_template_upload_page(planned: Any, client_for: Any) -> None:
    admin = client_for(planned.users["admin"])
    refused = upload(admin, word_file("{{ ''.__class__.__mro__[1].__subclasses__() }}"))
    assert refused.status_code == 400
    assert "thành phần nội bộ không được phép" in refused.content.decode()
    accepted = upload(admin, word_file("{{ so_ky_hieu }} {{ trich_yeu }}"))
    assert accepted.status_code == 302
    page = admin.get(reverse("documents:templates")).content.decode()
    assert "Đang dùng" in page and "so_ky_hieu, trich_yeu" in page
    html = client_for(planned.coordinator).get(page_url(planned)).content.decode()
    assert "theo mẫu riêng" in html
    for who in ("coordinator", "reviewer", "outsider"):
        client = client_for(planned.users[who])
        assert client.get(reverse("documents:templates")).status_code == 403
        assert upload(client, word_file("{{ trich_yeu }}")).status_code == 403


def test_a_provisional_criteria_set_is_said_on_the_page_not_in_the_document(
    planned: Any, client_for: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        make_cycle(planned, 2026, until="scored")
        html = client_for(planned.coordinator).get(page_url(planned)).content.decode()
        assert 'id="bo-tieu-chi-tam-thoi"' in html and "Bộ tiêu chí tạm thời" in html
        response = client_for(planned.coordinator).post(
            f"{page_url(planned)}du-thao/", post("self_assessment", "draft")
        )
    assert response.status_code == 200
    text = "\n".join(p.text for p in open_docx(response.content).paragraphs)
    text += "\n".join(c.text for t in open_docx(response.content).tables for r in t.rows for c in r.cells)
    for placeholder in ("tạm thời", "Tạm thời", "giả định", "HP-5049"):
        assert placeholder not in text
    assert "Bộ tiêu chí" not in text or "Quyết định số 5049/QĐ-UBND" in text


@pytest.mark.parametrize("path", ["du-thao/", "ban-hanh/"])
def test_draft_and_issue_have_their_own_addresses(planned: Any, client_for: Any, path: str) -> None:
    """The document form's two buttons post to du-thao/ and ban-hanh/: another commune's user 404, a reader
    403, a GET 405; the page itself takes no POST."""
    url = f"{page_url(planned)}{path}"
    data = post("plan", "issue" if path == "ban-hanh/" else "draft", number="8")
    assert client_for(planned.outsider).post(url, data).status_code == 404
    assert client_for(planned.users["observer"]).post(url, data).status_code == 403
    coordinator = client_for(planned.coordinator)
    assert coordinator.get(url).status_code == 405
    assert coordinator.post(page_url(planned), data).status_code == 405
    assert f'formaction="{url}"' in coordinator.get(page_url(planned)).content.decode()
    assert not IssuedDocument.objects.exists()
