"""`friendlygov backup --out FILE.tar.gz` and `friendlygov restore FILE.tar.gz [--yes]`.

One archive holds the database and the uploaded files, taken so that every file a database row names is
in the archive:

- SQLite: the sqlite3 online backup API (a consistent copy while the app keeps running);
- PostgreSQL: `pg_dump -Fc` inside an exported snapshot (the row counts of the manifest come from the same
  snapshot); restored with `pg_restore --clean --if-exists --single-transaction`;
- any database (or `--format json`): Django's `dumpdata` of every app (natural keys off), read in one
  repeatable-read transaction; restored with `loaddata` into an empty database migrated to the archive's
  schema, then migrated forward. This is also the way to move from SQLite to PostgreSQL.

The files are copied after the database, and files are never rewritten in place (random names), so every
file the database copy refers to is in the archive (rows added later may bring files the copy does not name:
harmless). `manifest.json` lists versions, the applied migrations, row counts per model and the sha256 of
every file; restore checks them before touching anything.

Nothing here knows the area apps: every installed model is counted and dumped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from friendlygov.commands._common import InputError, report_input_error, setup_django

FORMAT_NAME = "friendlygov-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or restore could not be done (message in Vietnamese); exit status 1."""


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup", help="Sao lưu cơ sở dữ liệu và tệp minh chứng vào một tệp .tar.gz"
    )
    backup.add_argument("--out", required=True, help="tệp sao lưu sẽ tạo, ví dụ sao-luu-2026-05-01.tar.gz")
    backup.add_argument(
        "--format",
        choices=["auto", "sqlite", "pg_dump", "json"],
        default="auto",
        help="auto: SQLite → sqlite, PostgreSQL → pg_dump (json nếu không có pg_dump); json: khôi phục được vào mọi CSDL",
    )
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore", help="Khôi phục từ tệp sao lưu (cơ sở dữ liệu phải trống, trừ khi có --yes)"
    )
    restore.add_argument("archive", help="tệp .tar.gz do `friendlygov backup` tạo")
    restore.add_argument("--yes", action="store_true", help="ghi đè cơ sở dữ liệu đang có dữ liệu")
    restore.set_defaults(func=run_restore)


# ---------------------------------------------------------------- helpers


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _models() -> list[Any]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _orm_counts(using: str = "default") -> dict[str, int]:
    from django.db import connections

    existing = set(connections[using].introspection.table_names())
    return {
        m._meta.label: m._base_manager.using(using).count()
        for m in sorted(_models(), key=lambda m: m._meta.label)
        if m._meta.db_table in existing
    }


def _sqlite_counts(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        existing = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {}
        for model in sorted(_models(), key=lambda m: m._meta.label):
            table = model._meta.db_table
            if table in existing:
                quoted = '"' + table.replace('"', '""') + '"'
                counts[model._meta.label] = int(db.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])  # noqa: S608 - table names come from the models
        applied = []
        if "django_migrations" in existing:
            applied = [
                [a, n] for a, n in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            ]
        return counts, applied
    finally:
        db.close()


def _applied_migrations(using: str = "default") -> list[list[str]]:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    pairs = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    for key, value in pairs.items():
        if value:
            env[key] = str(value)
    return env


def _media_storage_is_local() -> bool:
    from django.core.files.storage import FileSystemStorage, default_storage

    return isinstance(default_storage, FileSystemStorage)


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path.relative_to(root).as_posix(), path))
    return found


def _referenced_files() -> set[str]:
    """Every file name stored in a FileField of any model."""
    from django.db import connections
    from django.db.models import FileField

    existing = set(connections["default"].introspection.table_names())
    names: set[str] = set()
    for model in _models():
        if model._meta.db_table not in existing:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                names.update(v for v in model._base_manager.values_list(field.attname, flat=True) if v)
    return names


# ---------------------------------------------------------------- backup


def _dump_sqlite(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, int], list[list[str]]]:
    source_path = Path(settings_dict["NAME"])
    if not source_path.exists():
        raise BackupError(f"Không tìm thấy tệp cơ sở dữ liệu SQLite «{source_path}».")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one step: a consistent snapshot even while the app writes
    finally:
        copy.close()
        source.close()
    return _sqlite_counts(target)


def _dump_pg(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, int], list[list[str]]]:
    from django.db import connections, transaction

    connection = connections["default"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        result = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)],
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError("pg_dump thất bại: " + result.stderr.strip())
        return _orm_counts(), _applied_migrations()


def _dump_json(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    from django.core.management import call_command
    from django.db import connections, transaction

    connection = connections["default"]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Every model that has a table (a model whose migration is not applied yet has none);
        # many-to-many rows travel inside their model's objects.
        existing = set(connection.introspection.table_names())
        labels = [
            m._meta.label for m in _models() if not m._meta.auto_created and m._meta.db_table in existing
        ]
        call_command(
            "dumpdata",
            *labels,
            format="json",
            output=str(target),
            use_base_manager=True,
            natural_foreign=False,
            natural_primary=False,
            verbosity=0,
        )
        return _orm_counts(), _applied_migrations()


def create_backup(out: Path, fmt: str = "auto") -> dict[str, Any]:
    """Write the archive to `out` (atomically) and return its manifest."""
    import django
    from django.conf import settings
    from django.db import connections

    import friendlygov

    connection = connections["default"]
    settings_dict = connection.settings_dict
    vendor = connection.vendor
    if fmt == "auto":
        if vendor == "sqlite":
            fmt = "sqlite"
        elif vendor == "postgresql" and shutil.which("pg_dump"):
            fmt = "pg_dump"
        else:
            fmt = "json"
    if fmt == "sqlite" and vendor != "sqlite":
        raise BackupError("Định dạng sqlite chỉ dùng cho cơ sở dữ liệu SQLite (tham số --format).")
    if fmt == "pg_dump" and (vendor != "postgresql" or not shutil.which("pg_dump")):
        raise BackupError("Định dạng pg_dump cần PostgreSQL và chương trình pg_dump (tham số --format).")

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="friendlygov-backup-", dir=out.parent) as tmp:
        work = Path(tmp)
        db_name = {"sqlite": "db.sqlite3", "pg_dump": "db.pgdump", "json": "db.json"}[fmt]
        db_path = work / db_name
        if fmt == "sqlite":
            counts, applied = _dump_sqlite(settings_dict, db_path)
        elif fmt == "pg_dump":
            counts, applied = _dump_pg(settings_dict, db_path)
        else:
            counts, applied = _dump_json(db_path)

        # Files after the database: every file named by the copy is already on disk (a file is written before
        # its row commits, and never rewritten). The names the database refers to are read before the listing.
        media_root = Path(settings.MEDIA_ROOT)
        local_media = _media_storage_is_local()
        referenced = _referenced_files() if local_media else set()
        files = _media_files(media_root) if local_media else []
        media_entries = {
            rel: {"sha256": sha256_file(path), "size": path.stat().st_size} for rel, path in files
        }
        missing = sorted(referenced - set(media_entries))

        manifest: dict[str, Any] = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "versions": {
                "friendlygov": getattr(friendlygov, "__version__", _package_version()),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": vendor,
            },
            "database": {
                "format": fmt,
                "file": f"database/{db_name}",
                "sha256": sha256_file(db_path),
                "size": db_path.stat().st_size,
            },
            "migrations": applied,
            "counts": counts,
            "media": {"storage": "filesystem" if local_media else "external", "files": media_entries},
            "missing_files": missing,
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_path, arcname=manifest["database"]["file"], recursive=False)
            for rel, path in files:
                tar.add(path, arcname=f"media/{rel}", recursive=False)
        os.chmod(partial, 0o600)  # password hashes and personal data inside
        os.replace(partial, out)
    return manifest


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("friendlygov")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def run_backup(args: argparse.Namespace) -> int:
    setup_django()
    out = Path(args.out)
    try:
        manifest = create_backup(out, args.format)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    rows = sum(manifest["counts"].values())
    files = len(manifest["media"]["files"])
    size = f"{out.stat().st_size:,}".replace(",", ".")
    print(
        f"Đã sao lưu vào {out} (định dạng {manifest['database']['format']}, {rows} dòng dữ liệu, {files} tệp, {size} byte)."
    )
    if manifest["media"]["storage"] == "external":
        print(
            "Lưu ý: tệp minh chứng nằm trên kho lưu trữ S3, không có trong bản sao lưu này; "
            "hãy bật lưu phiên bản (versioning) hoặc sao chép kho (replication).",
            file=sys.stderr,
        )
    if manifest["missing_files"]:
        print(
            f"Cảnh báo: {len(manifest['missing_files'])} tệp được cơ sở dữ liệu nhắc tới nhưng không có trong thư mục "
            f"tệp, ví dụ «{manifest['missing_files'][0]}».",
            file=sys.stderr,
        )
    return 0


# ---------------------------------------------------------------- restore


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise InputError(f"Tệp sao lưu chứa mục không hợp lệ «{member.name}».")
        members.append(member)
    return members


def read_archive(archive: Path, into: Path) -> dict[str, Any]:
    """Extract `archive` into `into`, check every file against the manifest, and return the manifest."""
    if not archive.is_file():
        raise InputError(f"Không tìm thấy tệp sao lưu «{archive}».")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar)
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, members=members, filter="data")
            else:  # pragma: no cover - Python before 3.11.4
                tar.extractall(into, members=members)  # noqa: S202 - members checked above
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InputError(f"Không đọc được tệp sao lưu «{archive}»: {error}") from error
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise InputError(f"Tệp «{archive}» không phải bản sao lưu của friendlygov (thiếu {MANIFEST}).")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_NAME or manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"Tệp «{archive}» có định dạng sao lưu không hỗ trợ ({manifest.get('format_version')})."
        )
    problems = []
    expected: dict[str, str] = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({f"media/{rel}": entry["sha256"] for rel, entry in manifest["media"]["files"].items()})
    for rel, digest in expected.items():
        path = into / rel
        if not path.is_file():
            problems.append(f"Tệp sao lưu thiếu «{rel}».")
        elif sha256_file(path) != digest:
            problems.append(f"Tệp «{rel}» trong bản sao lưu bị hỏng (sai mã sha256).")
    if problems:
        raise InputError(problems)
    return manifest


def database_rows() -> dict[str, int]:
    """Accounts and units in the current database (empty dict: nothing to lose).

    Every business row belongs to a unit and is written by a person, so a database without accounts and
    units holds nothing of value; rows that migrations themselves create (reference data) do not count.
    """
    from django.conf import settings
    from django.db import connections

    if not connections["default"].introspection.table_names():
        return {}
    counts = _orm_counts()
    return {label: counts[label] for label in (settings.AUTH_USER_MODEL, "org.Unit") if counts.get(label)}


def _check_migrations_known(applied: Iterable[list[str]]) -> None:
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections["default"], ignore_no_migrations=True)
    unknown = [f"{app}.{name}" for app, name in applied if (app, name) not in loader.graph.nodes]
    if unknown:
        raise InputError(
            "Bản sao lưu được tạo bởi phiên bản phần mềm mới hơn (có các migration chưa biết: "
            + ", ".join(unknown[:5])
            + "); hãy cập nhật phần mềm trước khi khôi phục."
        )


def _migration_targets(applied: Iterable[list[str]]) -> list[tuple[str, str | None]]:
    """The migrate targets that reproduce the archive's schema: per app its latest applied migration."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections["default"], ignore_no_migrations=True)
    applied_set = {(app, name) for app, name in applied}
    targets: list[tuple[str, str | None]] = []
    for app in sorted({app for app, _name in loader.graph.nodes}):
        ours = {node for node in applied_set if node[0] == app}
        if not ours:
            targets.append((app, None))
            continue
        parents = {p for node in ours for p in loader.graph.node_map[node].parents if p[0] == app}
        targets.extend(sorted(ours - parents))
    return targets


def _restore_sqlite(db_file: Path) -> None:
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "sqlite":
        raise InputError(
            "Bản sao lưu SQLite chỉ khôi phục được vào SQLite; để chuyển sang PostgreSQL hãy sao lưu với --format json."
        )
    target_path = Path(connection.settings_dict["NAME"])
    connections.close_all()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=60)
    try:
        source.backup(target)  # replaces the whole database, under SQLite's own locks
    finally:
        target.close()
        source.close()


def _restore_pg(db_file: Path) -> None:
    from django.db import connections, transaction

    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise InputError(
            "Bản sao lưu pg_dump chỉ khôi phục được vào PostgreSQL; để chuyển sang CSDL khác hãy sao lưu với --format json."
        )
    if not shutil.which("pg_restore"):
        raise BackupError("Không tìm thấy chương trình pg_restore (gói postgresql-client).")
    env = _pg_env(connection.settings_dict)
    listing = subprocess.run(
        ["pg_restore", "-l", str(db_file)], capture_output=True, text=True, check=False, env=env
    )
    if listing.returncode != 0:
        raise BackupError("pg_restore không đọc được bản sao lưu: " + listing.stderr.strip())
    dumped_tables = set()
    for line in listing.stdout.splitlines():
        parts = line.split()  # "215; 1259 16390 TABLE public org_unit owner"
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            dumped_tables.add(parts[5])
    # Tables the dump does not have (from a newer schema) would block `migrate` afterwards.
    extra = [t for t in connection.introspection.table_names() if t not in dumped_tables]
    if extra:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connections.close_all()
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            env.get("PGDATABASE", ""),
            str(db_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if result.returncode != 0:
        raise BackupError("pg_restore thất bại: " + result.stderr.strip())


def _restore_json(db_file: Path, applied: list[list[str]]) -> None:
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", interactive=False, verbosity=0)
    executor = MigrationExecutor(connections["default"])
    targets = _migration_targets(applied)
    plan = executor.migration_plan(targets)
    if plan:  # the code is newer than the archive: go back to the archive's schema, load, then forward again
        executor.migrate(targets, plan=plan)
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    call_command("loaddata", str(db_file), verbosity=0)


def _restore_media(extracted: Path, manifest: dict[str, Any]) -> str:
    """Put the archive's files in MEDIA_ROOT; files already there are moved aside, never deleted."""
    from django.conf import settings

    if manifest["media"]["storage"] != "filesystem":
        return "Bản sao lưu không chứa tệp (tệp nằm trên kho S3)."
    if not _media_storage_is_local():
        raise BackupError(
            "Cấu hình hiện dùng kho lưu trữ S3: hãy chép thư mục media/ của bản sao lưu lên kho."
        )
    media_root = Path(settings.MEDIA_ROOT)
    note = ""
    if media_root.exists() and any(media_root.iterdir()):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = media_root.with_name(f"{media_root.name}.truoc-khoi-phuc-{stamp}")
        media_root.rename(aside)
        note = f" Các tệp cũ được chuyển sang «{aside}»."
    elif media_root.exists():
        media_root.rmdir()
    source = extracted / "media"
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.move(str(source), str(media_root))
    else:
        media_root.mkdir()
    return f"Đã khôi phục {len(manifest['media']['files'])} tệp vào «{media_root}».{note}"


def restore_backup(archive: Path, *, yes: bool = False) -> list[str]:
    """Restore `archive`; returns the lines to print. Raises InputError (refused) or BackupError (failed)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    lines: list[str] = []
    media_parent = Path(settings.MEDIA_ROOT).resolve().parent
    media_parent.mkdir(parents=True, exist_ok=True)
    # Extract next to MEDIA_ROOT so that moving the files into place is a rename on the same disk.
    with tempfile.TemporaryDirectory(prefix="friendlygov-restore-", dir=media_parent) as tmp:
        extracted = Path(tmp)
        manifest = read_archive(archive, extracted)
        _check_migrations_known(manifest["migrations"])
        present = database_rows()
        if present and not yes:
            label, count = next(iter(present.items()))
            raise InputError(
                f"Cơ sở dữ liệu đang có dữ liệu (bảng {label}: {count} dòng). "
                "Thêm --yes để ghi đè bằng bản sao lưu."
            )
        fmt = manifest["database"]["format"]
        db_file = extracted / manifest["database"]["file"]
        if fmt == "sqlite":
            _restore_sqlite(db_file)
        elif fmt == "pg_dump":
            _restore_pg(db_file)
        elif fmt == "json":
            _restore_json(db_file, manifest["migrations"])
        else:
            raise InputError(f"Định dạng cơ sở dữ liệu «{fmt}» trong bản sao lưu không được hỗ trợ.")
        connections.close_all()
        lines.append(f"Đã khôi phục cơ sở dữ liệu ({fmt}) từ «{archive}» (tạo lúc {manifest['created_at']}).")
        lines.append(_restore_media(extracted, manifest))

    upgraded = _applied_migrations() != sorted(manifest["migrations"])
    call_command("migrate", interactive=False, verbosity=0)
    if _applied_migrations() != sorted(manifest["migrations"]):
        upgraded = True
    counts = _orm_counts()
    differences = [
        f"{label}: {expected} → {counts.get(label, 0)}"
        for label, expected in manifest["counts"].items()
        if counts.get(label, 0) != expected
    ]
    if differences and not upgraded:
        raise BackupError("Số dòng sau khi khôi phục khác bản sao lưu: " + "; ".join(differences[:10]))
    if upgraded:
        lines.append("Lược đồ cơ sở dữ liệu đã được nâng cấp lên phiên bản hiện tại sau khi khôi phục.")
    if differences:
        lines.append("Số dòng thay đổi do nâng cấp lược đồ: " + "; ".join(differences[:10]))
    else:
        lines.append(f"Đã kiểm tra: {sum(manifest['counts'].values())} dòng dữ liệu khớp với bản sao lưu.")
    # Cached figures describe the data before the restore (a shared cache outlives this process; the app
    # servers' own caches go when they are restarted, as docs/deployment.md asks after a restore).
    from django.core.cache import cache

    cache.clear()
    return lines


def run_restore(args: argparse.Namespace) -> int:
    setup_django()
    try:
        lines = restore_backup(Path(args.archive), yes=args.yes)
    except InputError as error:
        return report_input_error(error)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0
