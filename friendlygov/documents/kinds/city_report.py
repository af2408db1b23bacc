"""The Department of Home Affairs' report to the city's People's Committee on every unit of the city: the
units by stage of the year's cycle, levels reached against levels registered, a ranking, each unit's
satisfaction and reform figures, the units below target, an analysis drawn from those figures and the
units proposed for recognition — only units the Department has appraised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.assessments.models import Cycle
from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    DocumentDataError,
    Options,
    attachment_line,
    base_document,
    bullets,
    committee,
    criteria_basis,
    data_problem,
    percent,
    points,
    symbol_for,
    unit_label,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Heading,
    Paragraph,
    Table,
)
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure

# The stages of the year's cycle, in their order, as the report names them.
STAGES: list[tuple[str, str]] = [
    ("none", "Chưa mở kỳ đánh giá"),
    (Cycle.Status.REGISTRATION, "Ở bước đăng ký mức đạt chuẩn"),
    (Cycle.Status.SELF_SCORING, "Đang tự đánh giá, chấm điểm"),
    (Cycle.Status.RETURNED, "Hồ sơ bị trả lại để bổ sung"),
    (Cycle.Status.SUBMITTED, "Đã nộp hồ sơ, chờ thẩm định"),
    (Cycle.Status.APPRAISED, "Đã thẩm định, chờ công nhận"),
    (Cycle.Status.RECOGNISED, "Đã được công nhận"),
]
APPRAISED = (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)


@dataclass
class UnitLine:
    """One unit of the city in the report (from ``assessments.city_overview`` and the figure selectors)."""

    row: Any  # assessments CityRow
    stage: str
    registered: str  # level name registered ("" none)
    registered_rank: int | None
    score: Decimal | None  # appraised when appraised, else the consolidated self-score
    appraised: bool
    reached: str  # the level name of that score ("" none)
    reached_rank: int | None
    figures: dict[str, MeasuredFigure | None]

    @property
    def name(self) -> str:
        return unit_label(self.row.unit)

    @property
    def below_target(self) -> bool:
        return self.registered_rank is not None and (
            self.reached_rank is None or self.reached_rank < self.registered_rank
        )


# The figures each unit carries, each from its one selector (documents.sources): column title, reader.
FIGURES: list[tuple[str, str, Callable[[list[Unit], int], dict[int, MeasuredFigure | None]]]] = [
    (
        "sipas_city",
        "SIPAS thành phố công bố",
        lambda units, year: sources.city_figures_of("sipas", units, year),
    ),
    ("sipas_survey", "SIPAS xã tự khảo sát", sources.sipas_figures),
    ("par_index", "PAR INDEX", lambda units, year: sources.city_figures_of("par_index", units, year)),
    (
        "on_time",
        "Hồ sơ TTHC đúng hạn (QĐ 766)",
        lambda units, year: sources.dossier_figures("on_time", units, year),
    ),
]


def city_rows_of(city: Unit, overview: list[Any] | None) -> list[list[str]]:
    """The city report's rows from a city overview already read (None: the assessments area is not there)."""
    if overview is None:
        return [[str(i), u.full_name, NO_DATA, "", "", ""] for i, u in enumerate(_city_units(city), start=1)]
    rows = []
    for index, row in enumerate(overview, start=1):
        registration = row.registration
        consolidated = row.totals.get("consolidated")
        appraised = row.totals.get("appraised")
        level = row.recognition.level_name if row.recognition else (appraised[1] if appraised else "")
        rows.append(
            [
                str(index),
                row.unit.full_name,
                registration.target_level_name
                if registration
                else ("Chưa đăng ký" if row.cycle else "Chưa mở kỳ đánh giá"),
                points(consolidated[0]) if consolidated else "—",
                points(appraised[0]) if appraised else "—",
                (level or "—") + (" (đã công nhận)" if row.recognition else ""),
            ]
        )
    return rows


def _city_units(city: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=city, is_active=True).order_by("name"))


def _rank(cycle: Cycle | None, code: str | None) -> int | None:
    if cycle is None or code is None:
        return None
    levels = (cycle.criteria_set.data or {}).get("levels") or []
    codes = [str(level.get("code")) for level in levels if isinstance(level, dict)]
    return codes.index(code) if code in codes else None


def _rank_by_name(cycle: Cycle | None, name: str) -> int | None:
    if cycle is None or not name:
        return None
    levels = (cycle.criteria_set.data or {}).get("levels") or []
    names = [str(level.get("name")) for level in levels if isinstance(level, dict)]
    return names.index(name) if name in names else None


def unit_lines(city: Unit, year: int, overview: list[Any]) -> list[UnitLine]:
    units = [row.unit for row in overview]
    figures = {key: reader(units, year) for key, _title, reader in FIGURES}
    lines = []
    for row in overview:
        cycle = row.cycle
        stage = "none" if cycle is None else cycle.status
        registration = row.registration
        appraised = (
            cycle is not None and cycle.status in APPRAISED and row.totals.get("appraised") is not None
        )
        total = row.totals.get("appraised") if appraised else row.totals.get("consolidated")
        reached = ""
        if total is not None:
            reached = row.recognition.level_name if row.recognition else total[1]
        lines.append(
            UnitLine(
                row=row,
                stage=stage,
                registered=registration.target_level_name if registration else "",
                registered_rank=_rank(cycle, registration.target_level) if registration else None,
                score=total[0] if total is not None else None,
                appraised=appraised,
                reached=reached if _rank_by_name(cycle, reached) is not None else "",
                reached_rank=_rank_by_name(cycle, reached),
                figures={key: figures[key].get(row.unit.pk) for key, _t, _r in FIGURES},
            )
        )
    return lines


def _names(lines: list[UnitLine]) -> str:
    return ", ".join(line.name for line in lines)


def _stage_blocks(lines: list[UnitLine], year: int) -> list[Block]:
    items = []
    for stage, label in STAGES:
        at = [line for line in lines if line.stage == stage]
        if at:
            items.append(f"{label}: {len(at)} đơn vị ({_names(at)})")
    registered = [line for line in lines if line.registered]
    late = [line for line in lines if line.row.submission_late]
    blocks: list[Block] = [
        Paragraph(
            f"Toàn thành phố có {len(lines)} đơn vị hành chính cấp xã; {len(registered)} đơn vị đã đăng ký mức "
            f"đạt chuẩn năm {year}. Tình hình thực hiện các bước của kỳ đánh giá năm {year}:"
        )
    ]
    blocks += bullets(items)
    if late:
        blocks.append(Paragraph(f"Đơn vị nộp hồ sơ tự đánh giá chậm so với hạn: {_names(late)}."))
    return blocks


def _comparison(line: UnitLine) -> str:
    if line.row.cycle is None:
        return "Chưa mở kỳ đánh giá"
    if not line.registered:
        return "Chưa đăng ký"
    if not line.appraised:
        return "Chưa thẩm định"
    if line.reached_rank is None:
        return "Chưa đạt chuẩn"
    if line.registered_rank is None or line.reached_rank == line.registered_rank:
        return "Đạt mức đăng ký"
    return "Thấp hơn mức đăng ký" if line.reached_rank < line.registered_rank else "Cao hơn mức đăng ký"


def _levels_table(lines: list[UnitLine]) -> Table:
    rows = []
    for index, line in enumerate(lines, start=1):
        score = "—" if line.score is None else points(line.score) + ("" if line.appraised else " (tự chấm)")
        rows.append(
            [
                str(index),
                line.row.unit.full_name,
                line.registered or "—",
                score,
                line.reached or ("Chưa đạt" if line.score is not None else "—"),
                _comparison(line),
            ]
        )
    return Table(
        columns=["STT", "Đơn vị", "Mức đăng ký", "Điểm", "Mức đạt", "So với mức đăng ký"],
        rows=rows,
        widths=[13, 40, 26, 26, 26, 34],
        align=["center", "left", "center", "center", "center", "center"],
        font_size=12,
    )


def _ranking_blocks(lines: list[UnitLine]) -> list[Block]:
    appraised = sorted((line for line in lines if line.appraised), key=lambda line: -(line.score or 0))
    scored = sorted(
        (line for line in lines if not line.appraised and line.score is not None),
        key=lambda line: -(line.score or 0),
    )
    if not appraised and not scored:
        return [Paragraph(f"Chưa có đơn vị nào có điểm tự chấm hoặc điểm thẩm định: {NO_DATA}.")]
    rows = []
    for index, line in enumerate(appraised, start=1):
        rows.append(
            [str(index), line.row.unit.full_name, points(line.score), "Thẩm định", line.reached or "Chưa đạt"]
        )
    for line in scored:
        rows.append(
            [
                "—",
                line.row.unit.full_name,
                points(line.score),
                "Tự chấm (chưa thẩm định)",
                line.reached or "Chưa đạt",
            ]
        )
    blocks: list[Block] = [
        Paragraph(
            "Xếp hạng theo điểm thẩm định; các đơn vị chưa được thẩm định xếp sau, theo điểm tự chấm (sau "
            "thống nhất), không xếp hạng:"
        ),
        Table(
            columns=["Hạng", "Đơn vị", "Điểm", "Nguồn điểm", "Mức đạt"],
            rows=rows,
            widths=[15, 45, 22, 45, 38],
            align=["center", "left", "center", "center", "center"],
            font_size=12,
        ),
    ]
    return blocks


def _figure_cell(figure: MeasuredFigure | None) -> str:
    return "—" if figure is None else percent(figure.percent)


def _figures_table(lines: list[UnitLine]) -> Table:
    rows = [
        [str(i), line.row.unit.full_name, *[_figure_cell(line.figures[key]) for key, _t, _r in FIGURES]]
        for i, line in enumerate(lines, start=1)
    ]
    return Table(
        columns=["STT", "Đơn vị", *[title for _k, title, _r in FIGURES]],
        rows=rows,
        widths=[13, 40, 28, 28, 28, 28],
        align=["center", "left", "center", "center", "center", "center"],
        font_size=12,
    )


def _extremes(lines: list[UnitLine], key: str) -> tuple[list[UnitLine], UnitLine | None, UnitLine | None]:
    having = [line for line in lines if line.figures[key] is not None]
    if not having:
        return having, None, None

    def value(line: UnitLine) -> Decimal:
        figure = line.figures[key]
        assert figure is not None
        return figure.percent

    return having, max(having, key=value), min(having, key=value)


def _analysis(lines: list[UnitLine], year: int) -> list[str]:
    """Sentences drawn from the figures above (nothing else)."""
    out = []
    appraised = [line for line in lines if line.appraised]
    recognised = [line for line in lines if line.row.recognition is not None]
    out.append(
        f"Năm {year}, {len(appraised)}/{len(lines)} đơn vị đã được thẩm định, {len(recognised)} đơn vị đã "
        "được công nhận"
    )
    if appraised:
        best = max(appraised, key=lambda line: line.score or 0)
        worst = min(appraised, key=lambda line: line.score or 0)
        if best is worst:
            out.append(f"Điểm thẩm định của {best.name}: {points(best.score)} điểm")
        else:
            out.append(
                f"Điểm thẩm định cao nhất: {best.name} ({points(best.score)} điểm); thấp nhất: {worst.name} "
                f"({points(worst.score)} điểm)"
            )
        met = [line for line in appraised if line.registered and not line.below_target]
        out.append(f"{len(met)}/{len(appraised)} đơn vị đã thẩm định đạt mức đã đăng ký")
    waiting = [line for line in lines if line.stage in (Cycle.Status.SUBMITTED,)]
    if waiting:
        out.append(f"{len(waiting)} đơn vị đã nộp hồ sơ đang chờ thẩm định ({_names(waiting)})")
    not_submitted = [
        line for line in lines if line.stage in ("none", Cycle.Status.REGISTRATION, Cycle.Status.SELF_SCORING)
    ]
    if not_submitted:
        unopened = [line for line in not_submitted if line.stage == "none"]
        out.append(
            f"{len(not_submitted)} đơn vị chưa nộp hồ sơ tự đánh giá"
            + (f" (trong đó {len(unopened)} đơn vị chưa mở kỳ đánh giá)" if unopened else "")
        )
    for key, title in (
        ("sipas_city", "Chỉ số hài lòng (SIPAS) thành phố công bố"),
        ("sipas_survey", "Chỉ số hài lòng (SIPAS) xã tự khảo sát"),
        ("par_index", "Chỉ số PAR INDEX"),
    ):
        having, high, low = _extremes(lines, key)
        if high is None or low is None:
            out.append(f"{title} năm {year}: {NO_DATA}")
            continue
        text = f"{title} năm {year} có ở {len(having)}/{len(lines)} đơn vị"
        if high is low:
            text += f": {high.name} {percent(_percent(high, key))}"
        else:
            text += (
                f"; cao nhất {high.name} ({percent(_percent(high, key))}), thấp nhất "
                f"{low.name} ({percent(_percent(low, key))})"
            )
        out.append(text)
    return out


def _percent(line: UnitLine, key: str) -> Decimal | None:
    figure = line.figures[key]
    return None if figure is None else figure.percent


def _below_target_blocks(lines: list[UnitLine]) -> list[Block]:
    """The units below the level they registered: appraised, or at risk by their own score."""
    body: list[Block] = []
    below = [line for line in lines if line.appraised and line.below_target]
    risk = [line for line in lines if not line.appraised and line.score is not None and line.below_target]
    items = [
        f"{line.row.unit.full_name}: đăng ký {line.registered.lower()}, điểm thẩm định {points(line.score)}, "
        + (f"đạt {line.reached.lower()}" if line.reached else "chưa đạt chuẩn")
        for line in below
    ]
    items += [
        f"{line.row.unit.full_name} (chưa thẩm định): đăng ký {line.registered.lower()}, điểm tự chấm hiện "
        f"{points(line.score)}, "
        + (f"tương ứng {line.reached.lower()}" if line.reached else "chưa đạt chuẩn")
        for line in risk
    ]
    if items:
        body += bullets(items)
    else:
        body.append(Paragraph("Không có đơn vị nào có điểm thấp hơn mức đã đăng ký."))
    return body


def _stage_and_figure_data(lines: list[UnitLine]) -> dict[str, Any]:
    return {
        "giai_doan": {stage: [line.name for line in lines if line.stage == stage] for stage, _l in STAGES},
        "chi_so": [
            {
                "don_vi": line.row.unit.full_name,
                **{
                    key: (str(f.percent) if (f := line.figures[key]) is not None else None)
                    for key, _t, _r in FIGURES
                },
            }
            for line in lines
        ],
    }


def _proposal_blocks(
    lines: list[UnitLine], proposed: list[UnitLine], city_committee: str, year: int
) -> list[Block]:
    """The proposals: units to recognise (or why none), late and returned dossiers."""
    body: list[Block] = []
    appraised = [line for line in lines if line.appraised]
    if proposed:
        body.append(
            Paragraph(
                f"Sở Nội vụ đề nghị {city_committee} xem xét, công nhận các đơn vị đã được thẩm định đạt chuẩn "
                f"mô hình {MODEL} năm {year}:"
            )
        )
        body += bullets(
            [
                f"{line.row.unit.full_name}: {line.reached.lower()} ({points(line.score)} điểm thẩm định)"
                for line in proposed
            ]
        )
    elif not appraised:
        body.append(
            Paragraph(
                f"Năm {year} chưa có đơn vị nào được Sở Nội vụ thẩm định nên Sở Nội vụ chưa đề xuất công nhận "
                "đơn vị nào."
            )
        )
    else:
        recognised = [line for line in appraised if line.row.recognition is not None]
        failed = [line for line in appraised if line.row.recognition is None and not line.reached]
        if recognised:
            decisions = "; ".join(
                f"{line.name}: Quyết định số {line.row.recognition.decision_number} ngày "
                f"{line.row.recognition.decision_date:%d/%m/%Y}"
                for line in recognised
            )
            body.append(
                Paragraph(f"Các đơn vị sau đã được {city_committee} công nhận năm {year}: {decisions}.")
            )
        if failed:
            body.append(Paragraph(f"Các đơn vị đã thẩm định nhưng chưa đạt chuẩn: {_names(failed)}."))
        body.append(Paragraph("Sở Nội vụ không đề xuất công nhận thêm đơn vị nào."))
    late = [line for line in lines if line.row.submission_late and line.stage not in APPRAISED]
    if late:
        body.append(
            Paragraph(f"Đề nghị các đơn vị chưa nộp hồ sơ đúng hạn khẩn trương hoàn thiện: {_names(late)}.")
        )
    returned = [line for line in lines if line.stage == Cycle.Status.RETURNED]
    if returned:
        body.append(
            Paragraph(f"Đề nghị các đơn vị bổ sung hồ sơ theo yêu cầu của Sở Nội vụ: {_names(returned)}.")
        )
    return body


def build_city_report(unit: Unit, year: int, options: Options) -> Built:
    if not unit.is_city:
        raise DocumentDataError(
            {
                "unit": data_problem(
                    gettext_lazy("Báo cáo tổng hợp chỉ lập cho thành phố; %(u)s không phải thành phố."),
                    u=unit.full_name,
                )
            }
        )
    overview = sources.city_overview(unit, year)
    rows = city_rows_of(unit, overview)  # the overview is read once (it scores every unit)
    city_committee = committee(unit)
    body: list[Block] = [Paragraph(f"Kính gửi: {city_committee}.", align="center", first_line_indent=False)]
    first_cycle = next((r.cycle for r in overview or [] if r.cycle is not None), None)
    basis = criteria_basis(first_cycle)
    lead = f"Thực hiện {basis}, " if basis else ""
    body.append(
        Paragraph(
            f"{lead}Sở Nội vụ báo cáo kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc "
            f"khu trên địa bàn {unit_label(unit)} như sau:"
        )
    )
    data: dict[str, Any] = {}
    proposed: list[UnitLine] = []
    if overview is None:
        body.append(Heading(1, "Tình hình thực hiện"))
        body.append(Paragraph(f"Kết quả đăng ký, tự đánh giá và thẩm định: {NO_DATA}."))
        lines: list[UnitLine] = []
    else:
        lines = unit_lines(unit, year, overview)
        body.append(Heading(1, "Tình hình thực hiện"))
        body += _stage_blocks(lines, year)
        body.append(Heading(1, "Kết quả đánh giá, thẩm định"))
        body.append(Heading(2, "Mức đạt so với mức đăng ký"))
        body.append(
            Paragraph(
                "Mức đạt tính theo điểm thẩm định; đơn vị chưa được thẩm định ghi điểm tự chấm (sau thống nhất) "
                "và chưa so với mức đăng ký."
            )
        )
        body.append(_levels_table(lines))
        body.append(Heading(2, "Xếp hạng theo điểm"))
        body += _ranking_blocks(lines)
        body.append(Heading(2, "Chỉ số hài lòng và chỉ số cải cách hành chính"))
        body.append(
            Paragraph(
                "Chỉ số hài lòng (SIPAS) do thành phố công bố và do xã tự khảo sát, Chỉ số cải cách hành chính "
                "(PAR INDEX) thành phố công bố và tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn theo Quyết "
                f"định số 766/QĐ-TTg năm {year} (dấu “—”: {NO_DATA}):"
            )
        )
        body.append(_figures_table(lines))
        body.append(Heading(2, "Đơn vị chưa đạt mục tiêu"))
        body += _below_target_blocks(lines)
        body.append(Heading(1, "Đánh giá chung"))
        body += bullets(_analysis(lines, year))
        proposed = [
            line
            for line in lines
            if line.stage == Cycle.Status.APPRAISED and line.row.recognition is None and line.reached
        ]
        data = _stage_and_figure_data(lines)
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    body += _proposal_blocks(lines, proposed, city_committee, year)
    appendix = Appendix(
        title="Phụ lục kết quả thực hiện của các đơn vị",
        subtitle=f"Mô hình {MODEL} năm {year}",
        note=attachment_line("Báo cáo", symbol_for(Kind.CITY_REPORT, unit), unit, year, options),
        blocks=[
            Table(
                columns=[
                    "STT",
                    "Đơn vị",
                    "Mức đăng ký",
                    "Điểm tự chấm (thống nhất)",
                    "Điểm thẩm định",
                    "Mức đạt",
                ],
                rows=rows or [["", NO_DATA, "", "", "", ""]],
                widths=[14, 70, 40, 40, 36, 52],
                align=["center", "left", "center", "center", "center", "center"],
                font_size=12,
            )
        ],
        landscape=True,
    )
    subject = f"Kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc khu"
    document = base_document(
        unit,
        Kind.CITY_REPORT,
        year,
        options,
        type_name="Báo cáo",
        subject=subject,
        body=body,
        appendices=[appendix],
    )
    data.update(
        {
            "don_vi": [
                {
                    "stt": r[0],
                    "ten": r[1],
                    "muc_dang_ky": r[2],
                    "tu_cham": r[3],
                    "tham_dinh": r[4],
                    "muc_dat": r[5],
                }
                for r in rows
            ],
            "de_nghi_cong_nhan": [
                {"don_vi": line.row.unit.full_name, "muc": line.reached, "diem": str(line.score)}
                for line in proposed
            ],
        }
    )
    return Built(document, data)
