"""render_document: drafts, issued documents and their numbers, access, audit; the administrators' templates."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.audit.models import AuditEvent
from friendlygov.documents import services
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind
from friendlygov.documents.render import is_draft_docx
from tests.factories import World, make_world
from tests.shared import made_once

from .data import make_plan
from .docx_reading import open_docx

pytestmark = pytest.mark.django_db


NOW = dt.datetime(2026, 3, 2, 9, 0)


@pytest.fixture(scope="module")
def _planned_once(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[World, Path]]:
    """Thanh Miện's seed plan, made once for the module (what a test writes is rolled back after it)."""
    media = tmp_path_factory.mktemp("planned-media")
    with made_once(django_db_blocker, media):
        world = make_world()  # at the real date, as the ``world`` fixture makes it
        with time_machine.travel(NOW, tick=False):
            make_plan(world)
        yield world, media


@pytest.fixture
def planned(_planned_once: tuple[World, Path], db: None, settings: Any) -> Iterator[World]:
    world, media = _planned_once
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    with time_machine.travel(NOW, tick=False):
        yield world


COORDINATOR = object()


def issue(world: Any, kind: str, number: int, when: dt.date, *, actor: Any = COORDINATOR) -> Any:
    return services.render_document(
        actor=world.coordinator if actor is COORDINATOR else actor,
        unit=world.unit,
        kind=kind,
        year=when.year,
        number=number,
        issued_on=when,
    )


def test_a_draft_is_returned_not_kept(planned: Any) -> None:
    rendered = services.render_document(actor=planned.coordinator, unit=planned.unit, kind="plan", year=2026)
    assert rendered.draft and rendered.document is None
    assert is_draft_docx(rendered.content)
    assert rendered.filename == "du-thao-ke-hoach-thanh-mien-2026.docx"
    assert not IssuedDocument.objects.exists()
    event = AuditEvent.objects.get(object_type="documents.draft")
    assert event.actor == planned.coordinator and event.unit_id == planned.unit.pk


def test_an_issued_document_is_kept_with_its_file_and_hash(planned: Any) -> None:
    rendered = issue(planned, "plan", 12, dt.date(2026, 3, 2), actor=planned.leader)
    document = rendered.document
    assert document is not None and not rendered.draft
    assert (document.number, document.symbol, document.number_symbol) == (12, "KH-UBND", "12/KH-UBND")
    assert document.issued_on == dt.date(2026, 3, 2)
    assert document.created_by == planned.leader
    assert document.recipients[-1] == "Lưu: VT, VHXH"
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert stored == rendered.content
    import hashlib

    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert not document.file.name.endswith(".docx")  # random name on disk, not the user's
    assert open_docx(stored).tables[0].cell(1, 0).paragraphs[0].text == "Số: 12/KH-UBND"
    assert AuditEvent.objects.filter(object_type="documents.issueddocument", action="create").count() == 1


def test_a_number_never_repeats_in_a_unit_and_year_whatever_the_type(planned: Any) -> None:
    issue(planned, "plan", 5, dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        issue(planned, "registration", 5, dt.date(2026, 3, 2))
    message = error.value.message_dict["number"][0]
    assert "Số 05 đã được dùng cho văn bản 05/KH-UBND ngày 02/03/2026" in message
    assert "Số tiếp theo còn trống: 06" in message
    # The same number is free again next year, and in another unit.
    issue(planned, "registration", 5, dt.date(2027, 1, 4))
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        services.render_document(
            actor=planned.outsider,
            unit=planned.other,
            kind="registration",
            year=2026,
            number=5,
            issued_on=dt.date(2026, 3, 2),
        )
    assert services.next_free_number(planned.unit, 2026) == 6
    assert services.next_free_number(planned.unit, 2027) == 6
    assert services.next_free_number(planned.unit, 2028) == 1
    assert services.next_free_number(planned.other, 2026) == 6


def test_the_database_refuses_a_repeated_number_too(planned: Any) -> None:
    from django.db import IntegrityError, transaction

    first = issue(planned, "plan", 9, dt.date(2026, 3, 2)).document
    clone = IssuedDocument(
        unit=planned.unit,
        kind=Kind.ANNUAL_REPORT,
        year=2026,
        number=9,
        symbol="BC-UBND",
        issued_on=dt.date(2026, 8, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    assert first is not None


def test_the_year_of_the_number_is_the_year_of_the_date(planned: Any) -> None:
    issue(planned, "annual-report", 3, dt.date(2027, 1, 10))  # the 2026 report issued in January 2027
    with pytest.raises(ValidationError, match="Số 03 đã được dùng"):
        issue(planned, "plan", 3, dt.date(2027, 5, 1))
    issue(planned, "plan", 3, dt.date(2026, 5, 1))


def test_invalid_input_is_named(planned: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.render_document(actor=None, unit=planned.unit, kind="nope", year=2026)
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.render_document(actor=None, unit=planned.unit, kind="review", year=2028)
    assert "2027" in error.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as error:
        services.render_document(actor=None, unit=planned.unit, kind="plan", year=2026, number=0)
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.render_document(actor=None, unit=planned.city, kind="plan", year=2026)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.render_document(actor=None, unit=planned.unit, kind="city-report", year=2026)
    assert "unit" in error.value.message_dict


@pytest.mark.parametrize(
    ("who", "kind", "outcome"),
    [
        ("coordinator", "plan", "ok"),
        ("leader", "registration", "ok"),
        ("admin", "plan", "ok"),
        ("member", "plan", "403"),
        ("observer", "plan", "403"),
        ("front", "plan", "403"),
        ("unit_admin", "plan", "403"),
        ("reviewer", "plan", "403"),
        ("outsider", "plan", "404"),
        ("other_leader", "plan", "404"),
    ],
)
def test_who_may_write_a_units_documents(planned: Any, who: str, kind: str, outcome: str) -> None:
    call = lambda: services.render_document(actor=planned.users[who], unit=planned.unit, kind=kind, year=2026)  # noqa: E731
    if outcome == "ok":
        assert call().draft
    elif outcome == "403":
        with pytest.raises(PermissionDenied):
            call()
    else:
        with pytest.raises(Http404):
            call()


@pytest.mark.parametrize(
    ("who", "outcome"), [("reviewer", "ok"), ("admin", "ok"), ("coordinator", "404"), ("outsider", "404")]
)
def test_who_may_write_the_city_report(planned: Any, who: str, outcome: str) -> None:
    def call() -> Any:
        return services.render_document(
            actor=planned.users[who], unit=planned.city, kind="city-report", year=2026
        )

    if outcome == "ok":
        assert call().draft
    else:
        with pytest.raises(Http404):
            call()


def test_the_command_line_acts_as_the_system(planned: Any) -> None:
    rendered = issue(planned, "plan", 1, dt.date(2026, 1, 2), actor=None)
    assert rendered.document is not None and rendered.document.created_by is None
    event = AuditEvent.objects.get(object_type="documents.issueddocument")
    assert event.actor is None and event.actor_name == "hệ thống"


# ---------------------------------------------------------------------------------------------- templates


def word_file(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    return [p.text for p in open_docx(data).paragraphs]


def test_an_active_template_is_filled_in_the_sandbox(planned: Any) -> None:
    admin = planned.users["admin"]
    template = services.upload_template(
        actor=admin,
        kind="plan",
        name="Mẫu kế hoạch của thành phố",
        data=word_file(
            "{{ co_quan_ban_hanh }} — {{ so_ky_hieu }}",
            "{{ ngay_thang }}",
            "{{ ten_loai|upper }}: {{ trich_yeu }}",
            "{% for t in du_lieu.nhiem_vu %}{{ t.stt }}|{% endfor %}",
            "{{ nguoi_ky.ky_thay }} {{ nguoi_ky.ho_ten }}",
        ),
        filename="mau-ke-hoach.docx",
        activate=True,
    )
    assert template.is_active
    assert "so_ky_hieu" in template.placeholders
    rendered = issue(planned, "plan", 4, dt.date(2026, 3, 2))
    lines = texts(rendered.content)
    assert lines[0] == "Ủy ban nhân dân xã Thanh Miện — Số: 04/KH-UBND"
    assert lines[1] == "Thanh Miện, ngày 02 tháng 3 năm 2026"
    assert lines[2].startswith("KẾ HOẠCH: Triển khai thực hiện mô hình")
    assert lines[3] == "1|2|3|4|5|6|7|8|9|10|"
    assert rendered.document is not None and rendered.document.template == template
    draft = services.render_document(actor=planned.coordinator, unit=planned.unit, kind="plan", year=2026)
    assert is_draft_docx(draft.content)  # the status is set on a template's output too
    services.deactivate_template(actor=admin, template=template)
    assert "KẾ HOẠCH" in texts(
        services.render_document(actor=planned.coordinator, unit=planned.unit, kind="plan", year=2026).content
    )


PAYLOADS = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ trich_yeu.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ request.environ }}",
    "{{ config.items() }}",
    "{{ trich_yeu|attr('__class__') }}",
    "{{ nguoi_ky['__class__'] }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_uploaded_template_with_a_payload_is_refused(planned: Any, payload: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.upload_template(
            actor=planned.users["admin"], kind="plan", name="x", data=word_file(payload), filename="x.docx"
        )
    assert error.value.message_dict["file"]
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_that_reached_storage_renders_nothing_dangerous(
    planned: Any, payload: str, settings: Any
) -> None:
    """Even a template stored without the upload check (an old file, a direct database change) cannot reach
    Python internals when it is filled: the sandbox refuses, and the person gets a Vietnamese message."""
    from django.core.files.base import ContentFile

    template = DocumentTemplate(kind=Kind.PLAN, name="cũ", file_name="cu.docx", sha256="x", is_active=True)
    template.file.save("cu.docx", ContentFile(word_file("Trước", payload, "Sau")), save=False)
    template.save()
    try:
        rendered = services.render_document(
            actor=planned.coordinator, unit=planned.unit, kind="plan", year=2026
        )
    except ValidationError as exc:
        assert "template" in exc.message_dict
        assert "Mẫu văn bản «cũ»" in exc.message_dict["template"][0]
        return
    out = " ".join(texts(rendered.content))
    for leak in ("class", "subclasses", "globals", "environ", "uid=", "SECRET", str(settings.SECRET_KEY)):
        assert leak not in out


def test_only_a_system_administrator_manages_templates(planned: Any) -> None:
    for who in ("coordinator", "leader", "reviewer", "unit_admin"):
        with pytest.raises(PermissionDenied):
            services.upload_template(
                actor=planned.users[who],
                kind="plan",
                name="x",
                data=word_file("{{ trich_yeu }}"),
                filename="x.docx",
            )


def test_unknown_fields_and_non_word_files_are_refused(planned: Any) -> None:
    admin = planned.users["admin"]
    with pytest.raises(ValidationError, match="khong_co"):
        services.upload_template(
            actor=admin, kind="plan", name="x", data=word_file("{{ khong_co }}"), filename="x.docx"
        )
    with pytest.raises(ValidationError, match="không phải tệp Word"):
        services.upload_template(actor=admin, kind="plan", name="x", data=b"%PDF-1.4 ...", filename="x.docx")


def test_one_active_template_per_kind(planned: Any) -> None:
    admin = planned.users["admin"]
    first = services.upload_template(
        actor=admin,
        kind="plan",
        name="A",
        data=word_file("{{ trich_yeu }}"),
        filename="a.docx",
        activate=True,
    )
    second = services.upload_template(
        actor=admin,
        kind="plan",
        name="B",
        data=word_file("{{ so_ky_hieu }}"),
        filename="b.docx",
        activate=True,
    )
    first.refresh_from_db()
    assert second.is_active and not first.is_active
    assert list(DocumentTemplate.objects.filter(is_active=True)) == [second]


def test_issuing_the_plan_writes_its_number_into_the_plan_without_overwriting(planned: Any) -> None:
    from friendlygov.plans.models import Plan

    plan = Plan.objects.get(unit=planned.unit)
    version = plan.version
    issue(planned, "registration", 3, dt.date(2026, 3, 2))  # another kind: the plan is not touched
    plan.refresh_from_db()
    assert (plan.number, plan.issued_on, plan.version) == ("", None, version)
    issue(planned, "plan", 7, dt.date(2026, 3, 2))
    plan.refresh_from_db()
    assert (plan.number, plan.issued_on) == ("07/KH-UBND", dt.date(2026, 3, 2))
    assert plan.version == version + 1  # an edit form opened before is told, not overwritten
    event = AuditEvent.objects.filter(object_type="plans.plan", action="update").latest("id")
    assert event.actor == planned.coordinator and "văn bản Kế hoạch" in event.note
    # Issued again (a corrected plan): the number the plan carries stays.
    issue(planned, "plan", 9, dt.date(2026, 4, 1))
    plan.refresh_from_db()
    assert (plan.number, plan.issued_on) == ("07/KH-UBND", dt.date(2026, 3, 2))


def test_a_zip_bomb_template_is_refused_before_it_is_opened(planned: Any) -> None:
    import time
    import zipfile

    source = word_file("Kế hoạch {{ unit_name }}")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in archive.infolist():
            bomb.writestr(info.filename, archive.read(info))
        bomb.writestr("word/media/image9.png", b"\x00" * (30 * 1024 * 1024))
    admin = planned.users["admin"]
    started = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        services.upload_template(
            actor=admin, kind="plan", name="bom", data=out.getvalue(), filename="bom.docx"
        )
    assert time.perf_counter() - started < 1
    assert "bom nén" in " ".join(info.value.messages)
