"""Uploaded files on S3-compatible storage (docs/deployment.md §4), against moto's in-process S3: the
settings' own configuration (`friendlygov.settings.s3_storage`), a private bucket, files stored under a
random name, served only through the permission-checked view, never by a public URL; a backup says that the
files stay on the bucket."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from friendlygov import settings as app_settings
from tests.evidence.test_uploads import PDF, _store

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")
pytest.importorskip("storages")

BUCKET = "friendlygov-thu"


@pytest.fixture
def s3(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
        )
        env = {
            "FRIENDLYGOV_S3_BUCKET": BUCKET,
            "FRIENDLYGOV_S3_REGION": "ap-southeast-1",
            "FRIENDLYGOV_S3_ACCESS_KEY_ID": "testing",
            "FRIENDLYGOV_S3_SECRET_ACCESS_KEY": "testing",
            "FRIENDLYGOV_S3_PREFIX": "tep",
        }
        settings.STORAGES = {**settings.STORAGES, "default": app_settings.s3_storage(env)}
        yield client


def test_evidence_is_stored_privately_on_the_bucket_and_served_after_the_access_check(
    world: Any, client_for: Any, s3: Any
) -> None:
    assert type(storages["default"]).__name__ == "S3Storage"
    evidence = _store(world, "bien-ban.pdf", PDF)
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"tep/{evidence.file.name}"] and "bien-ban" not in keys[0]  # a random name
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert all("AllUsers" not in json.dumps(grant) for grant in grants)  # private: no public read
    url = reverse("evidence:download", args=[evidence.pk])
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(world.outsider).get(url).status_code == 404  # another commune
    link = evidence.file.url  # any direct link would be signed and expiring
    assert "Signature=" in link and ("Expires=" in link or "X-Amz-Expires=" in link)


@pytest.mark.django_db(transaction=True)  # the backup opens its own snapshot transaction, as the command does
def test_a_backup_keeps_the_database_and_says_the_files_stay_on_the_bucket(
    world: Any, s3: Any, tmp_path: Path
) -> None:
    from friendlygov.commands.backup import create_backup

    _store(world, "bien-ban.pdf", PDF)
    archive = tmp_path / "sao-luu.tar.gz"
    create_backup(archive, fmt="json")  # the portable format: on SQLite the test database lives in memory
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["media"]["storage"] != "filesystem"
    assert not [name for name in names if name.startswith("media/")]
