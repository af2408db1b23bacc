"""Uploads: checked by content and size, stored under a random name outside the static root, served only
after the access check with headers that stop a browser from running or sniffing them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence
from friendlygov.plans.demo import minimal_pdf

PDF = minimal_pdf("Bien ban hop")
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _store(
    world: Any, name: str, data: bytes, content_type: str = "application/pdf", unit: Any = None
) -> EvidenceFile:
    unit = unit or world.unit
    actor = world.coordinator if unit == world.unit else world.outsider
    body = world.bodies["VHXH"] if unit == world.unit else world.other_bodies["VHXH"]
    return store_evidence(
        actor=actor,
        unit=unit,
        upload=SimpleUploadedFile(name, data, content_type=content_type),
        effective_date=dt.date(2026, 3, 2),
        body=body,
        title="Biên bản họp",
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bao-cao.pdf", EXE),
        ("bao-cao.pdf", HTML),
        ("anh.png", SVG),
        ("ke-hoach.docx", b"PK\x03\x04" + b"not really a zip"),
        ("bao-cao.pdf", b"   %PDF-1.4 leading spaces: not a PDF header"),
    ],
)
def test_a_file_is_judged_by_its_content_not_its_name(world: Any, name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as info:
        _store(world, name, data)
    assert "file" in info.value.message_dict
    message = info.value.message_dict["file"][0]
    assert "kiểm tra theo nội dung" in message or "không phải tệp Word/Excel" in message
    assert name in info.value.message_dict["file"][0]
    assert not EvidenceFile.objects.exists()


def test_a_zip_named_docx_without_word_parts_is_refused(world: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.html", HTML)
    with pytest.raises(ValidationError):
        _store(world, "ke-hoach.docx", buffer.getvalue())


def test_oversize_and_empty_files_are_refused(world: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = len(PDF) + 10
    with pytest.raises(ValidationError) as info:
        _store(world, "lon.pdf", PDF + b"x" * 11)
    assert "quá lớn" in info.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as info:
        _store(world, "rong.pdf", b"")
    assert "rỗng" in info.value.message_dict["file"][0]
    assert _store(world, "vua.pdf", PDF + b"x" * 10).size == len(PDF) + 10


def test_the_content_type_kept_is_the_sniffed_one_not_the_declared_one(world: Any) -> None:
    evidence = _store(world, "bien-ban.pdf", PDF, content_type="text/html")
    assert evidence.content_type == "application/pdf"


def test_stored_name_is_random_and_outside_the_static_root(world: Any, settings: Any) -> None:
    evidence = _store(world, "../../static/<script>x</script>.pdf", PDF)
    assert re.fullmatch(rf"evidence/{world.unit.pk}/[0-9a-f]{{32}}", evidence.file.name)
    assert "script" not in evidence.file.name and ".." not in evidence.file.name
    assert "/" not in evidence.original_name and "<" not in evidence.original_name
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert stored.read_bytes() == PDF
    second = _store(world, "../../static/<script>x</script>.pdf", PDF)
    assert second.file.name != evidence.file.name


def test_media_is_never_under_the_static_root_in_settings(settings: Any) -> None:
    from django.conf import settings as real

    media = Path(real.MEDIA_ROOT).resolve()
    static = Path(real.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert not real.MEDIA_URL.startswith(real.STATIC_URL)


def test_download_is_served_after_the_access_check_with_safe_headers(world: Any, client_for: Any) -> None:
    evidence = _store(world, "bien-ban.pdf", PDF)
    url = reverse("evidence:download", args=[evidence.pk])

    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert response["Content-Disposition"].startswith("inline")

    assert client_for(world.users["observer"]).get(url).status_code == 200
    assert client_for(world.reviewer).get(url).status_code == 200  # the city sees every unit


def test_another_units_evidence_is_404_for_an_outsider(world: Any, client_for: Any, client: Any) -> None:
    ours = _store(world, "bien-ban.pdf", PDF)
    theirs = _store(world, "cua-gia-loc.pdf", PDF, unit=world.other)

    assert client_for(world.outsider).get(reverse("evidence:download", args=[ours.pk])).status_code == 404
    assert (
        client_for(world.coordinator).get(reverse("evidence:download", args=[theirs.pk])).status_code == 404
    )
    assert client_for(world.outsider).get(reverse("evidence:download", args=[theirs.pk])).status_code == 200
    assert client_for(world.outsider).get(reverse("evidence:download", args=[999999])).status_code == 404

    client.logout()
    anonymous = client.get(reverse("evidence:download", args=[ours.pk]))
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]


def test_uploaded_files_are_not_reachable_under_a_public_url(
    world: Any, client_for: Any, settings: Any
) -> None:
    evidence = _store(world, "bien-ban.pdf", PDF)
    client = client_for(world.coordinator)
    for prefix in ("/media/", settings.MEDIA_URL, settings.STATIC_URL):
        assert client.get(prefix + evidence.file.name).status_code == 404
