"""Reading what people type or upload for a plan: yearly targets, section V duties, appendix files.

No database access here: the functions return plain data or raise ValidationError with Vietnamese
messages naming the line at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from friendlygov.kit.ooxml import PackageError, open_document
from friendlygov.kit.tabular import TableError, read_raw_rows


@dataclass(frozen=True)
class TargetLine:
    year: int
    level_code: str
    note: str = ""


@dataclass(frozen=True)
class DutyLine:
    body_text: str
    text: str


_TARGET = re.compile(
    r"^(?:năm\s+)?(\d{4})(?:\s*[-–—]\s*(\d{4}))?\s*[:=|]\s*(?:mức(?:\s+độ)?\s+)?([0-9A-Za-z.]{1,20})\s*(?:[-–—|;,]\s*(.*))?$",
    re.IGNORECASE,
)


def parse_targets(text: str) -> list[TargetLine]:
    """One line per year or range of years: "2026: 3", "2027-2029: 3 — phấn đấu nâng mức", "2030: 4"."""
    result: dict[int, TargetLine] = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("-•").strip()
        if not line:
            continue
        match = _TARGET.match(line)
        if match is None:
            problems.append(
                _("Mục tiêu, dòng %(n)s: «%(l)s» không đúng mẫu «năm: mức — ghi chú» (ví dụ «2026: 3»).")
                % {"n": number, "l": line}
            )
            continue
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first or last - first > 50:
            problems.append(
                _("Mục tiêu, dòng %(n)s: khoảng năm %(a)s–%(b)s không hợp lệ.")
                % {"n": number, "a": first, "b": last}
            )
            continue
        for year in range(first, last + 1):
            if year in result:
                problems.append(
                    _("Mục tiêu, dòng %(n)s: năm %(y)s đã có ở dòng trên.") % {"n": number, "y": year}
                )
                continue
            result[year] = TargetLine(year, match[3], (match[4] or "").strip())
    if problems:
        raise ValidationError({"targets": problems})
    return [result[y] for y in sorted(result)]


def format_targets(targets: list[TargetLine]) -> str:
    return "\n".join(f"{t.year}: {t.level_code}" + (f" — {t.note}" if t.note else "") for t in targets)


_DUTY_HEADING = re.compile(r"^(?:\d+|[IVX]+)[.)]\s*(.+)$")
_REQUEST_PREFIX = re.compile(r"^đề nghị\s+", re.IGNORECASE)


def parse_duties(text: str) -> list[DutyLine]:
    """Section V pasted as it is written: a numbered line names a body ("2. Phòng Văn hóa - Xã hội",
    "7. Đề nghị Ủy ban MTTQ…"), the lines under it are its duties (leading "-" dropped). A line
    "Cơ quan: nhiệm vụ" also works. Duties before any heading belong to no body."""
    result: list[DutyLine] = []
    body = ""
    pending: list[str] = []

    def flush() -> None:
        for item in pending:
            result.append(DutyLine(body, item))
        pending.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _DUTY_HEADING.match(line)
        if heading is not None and not line.startswith("-"):
            flush()
            body = _REQUEST_PREFIX.sub("", heading[1].strip()).rstrip(" :")
            continue
        item = line.lstrip("-•+").strip()
        if item:
            pending.append(item)
    flush()
    return result


def format_duties(duties: list[DutyLine]) -> str:
    lines: list[str] = []
    current: str | None = None
    number = 0
    for duty in duties:
        if duty.body_text != current:
            current = duty.body_text
            if current:
                number += 1
                lines.append(f"{number}. {current}")
        lines.append(f"- {duty.text}")
    return "\n".join(lines)


def split_lines(text: str) -> list[str]:
    """Non-empty lines without their leading "-"."""
    return [
        line.strip().lstrip("-•").strip() for line in text.splitlines() if line.strip().lstrip("-•").strip()
    ]


def _tsv_cell(value: str) -> str:
    if any(ch in value for ch in '\t\n\r"'):
        return '"' + value.replace('"', '""') + '"'
    return value


def appendix_text_from_upload(data: bytes, filename: str) -> str:
    """The appendix as TSV text: .tsv/.txt as they are (UTF-8), .xlsx/.csv rows joined with tabs, .docx
    tables row by row."""
    name = filename.lower()
    if name.endswith(".docx"):
        return _docx_tables(data, filename)
    if name.endswith((".xlsx", ".csv")):
        try:
            rows = read_raw_rows(data, filename)
        except TableError as exc:
            raise ValidationError({"upload": exc.problems}) from exc
        return "\n".join("\t".join(_tsv_cell(cell) for cell in row) for row in rows)
    if name.endswith((".tsv", ".txt", ".tab")) or not name:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                {
                    "upload": _(
                        "Tệp «%(f)s» không phải văn bản UTF-8 (byte không hợp lệ ở vị trí %(p)s); "
                        "hãy lưu bảng dạng văn bản phân cách bằng tab (TSV), mã UTF-8."
                    )
                    % {"f": filename, "p": exc.start}
                }
            ) from exc
    raise ValidationError(
        {"upload": _("Tệp «%(f)s»: chỉ nhận .tsv, .txt, .xlsx, .csv hoặc .docx.") % {"f": filename}}
    )


def _docx_tables(data: bytes, filename: str) -> str:
    try:
        document = open_document(data, filename)
    except PackageError as exc:
        raise ValidationError({"upload": exc.message}) from exc
    lines: list[str] = []
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            previous = None
            for cell in row.cells:
                if previous is not None and cell._tc is previous:  # a merged cell repeats
                    continue
                previous = cell._tc
                cells.append(_tsv_cell(cell.text.strip()))
            lines.append("\t".join(cells))
    if not lines:
        raise ValidationError({"upload": _("Tệp Word «%(f)s» không có bảng nào.") % {"f": filename}})
    return "\n".join(lines)
