"""Helpers shared by the subcommands: Django setup on demand, JSON output, input errors."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any


class InputError(Exception):
    """Invalid input: the messages (Vietnamese, naming the row or field) go to stderr, exit 2."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


MIN_YEAR, MAX_YEAR = 1901, 2100  # the lunar calendar (Tết) of the holidays package


def check_year(value: str | None, flag: str, *, low: int = MIN_YEAR, high: int = MAX_YEAR) -> int:
    """A year given as ``flag`` (four digits, ``low``–``high``); InputError with a Vietnamese message
    otherwise."""
    if value is None or not value.strip():
        raise InputError(f"Thiếu {flag}: cần một năm, ví dụ {flag} 2026.")
    text = value.strip()
    if not re.fullmatch(r"\d{4}", text):
        raise InputError(f"{flag}: «{value}» không phải là năm (cần 4 chữ số, ví dụ 2026).")
    year = int(text)
    if not low <= year <= high:
        raise InputError(f"{flag}: năm {year} nằm ngoài khoảng {low}–{high}.")
    return year


def report_input_error(error: InputError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    return 2


# The largest input file a command reads (a city's year of SIPAS answers is far below it). Files are
# read in chunks up to this size, so an endless input (/dev/zero, a pipe) is refused, not read forever.
MAX_INPUT_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} byte"


class InputTooLarge(Exception):
    """The file holds more than the limit; ``limit`` in bytes."""

    def __init__(self, path: str, limit: int) -> None:
        self.path = path
        self.limit = limit
        super().__init__(path)

    def message(self, label: str) -> str:
        return (
            f"{label}: tệp «{self.path}» quá lớn hoặc không có điểm kết thúc "
            f"(giới hạn {_size(self.limit)}); hãy kiểm tra lại đường dẫn tệp."
        )


def read_capped(path: str, limit: int | None = None) -> bytes:
    """The file's bytes, read at most ``limit`` (default MAX_INPUT_BYTES) bytes; InputTooLarge past it.
    OSError (FileNotFoundError, IsADirectoryError, PermissionError…) is left to the caller's message."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    with open(path, "rb") as handle:  # noqa: PTH123 - a FIFO or device is read the same way
        while True:
            chunk = handle.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputTooLarge(path, limit)
    return b"".join(chunks)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    import django

    django.setup()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
