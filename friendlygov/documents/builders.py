"""The documents of the cycle, written from the data: functions (unit, year, options) → OfficialDocument.

Each builder reads through ``documents.sources`` (the other areas' selectors; an area not there gives
"chưa có số liệu") and returns a :class:`Built`: the Decree 30 document model that ``render_docx`` lays
out, plus the same content as plain data for an administrator's Word template. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.documents.kinds.annual_report import build_annual_report
from friendlygov.documents.kinds.appraisal_notice import build_appraisal_notice
from friendlygov.documents.kinds.city_report import build_city_report
from friendlygov.documents.kinds.common import Built, DocumentDataError, Options, data_problem
from friendlygov.documents.kinds.joint_minutes import build_joint_minutes
from friendlygov.documents.kinds.plan import build_plan
from friendlygov.documents.kinds.recognition_decision import build_recognition_decision
from friendlygov.documents.kinds.registration import build_registration
from friendlygov.documents.kinds.review import build_review
from friendlygov.documents.kinds.reward_decision import build_reward_decision
from friendlygov.documents.kinds.self_assessment import build_self_assessment
from friendlygov.documents.kinds.submission import build_submission
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Block,
    Bullet,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    format_number_line,
    vn_date_line,
)
from friendlygov.org.models import Unit

# ------------------------------------------------------------------------------------------ registry


BUILDERS: dict[str, Callable[[Unit, int, Options], Built]] = {
    Kind.PLAN: build_plan,
    Kind.REGISTRATION: build_registration,
    Kind.SELF_ASSESSMENT: build_self_assessment,
    Kind.SUBMISSION: build_submission,
    Kind.ANNUAL_REPORT: build_annual_report,
    Kind.REVIEW: build_review,
    Kind.CITY_REPORT: build_city_report,
    Kind.APPRAISAL_NOTICE: build_appraisal_notice,
    Kind.RECOGNITION_DECISION: build_recognition_decision,
    Kind.JOINT_MINUTES: build_joint_minutes,
    Kind.REWARD_DECISION: build_reward_decision,
}

UNIT_KINDS = [
    Kind.PLAN,
    Kind.REGISTRATION,
    Kind.SELF_ASSESSMENT,
    Kind.SUBMISSION,
    Kind.ANNUAL_REPORT,
    Kind.REVIEW,
    Kind.JOINT_MINUTES,
    Kind.REWARD_DECISION,
]
CITY_KINDS = [Kind.CITY_REPORT, Kind.RECOGNITION_DECISION]
# Rendered for a commune but issued by its city (Sở Nội vụ's register, ``about`` the commune); only a city
# reviewer renders them (``services.can_render``).
CITY_ABOUT_UNIT_KINDS = [Kind.APPRAISAL_NOTICE]


def build(kind: str, unit: Unit, year: int, options: Options | None = None) -> Built:
    builder = BUILDERS.get(kind)
    if builder is None:
        raise DocumentDataError(
            {"kind": data_problem(gettext_lazy("Loại văn bản «%(k)s» không lập được từ dữ liệu."), k=kind)}
        )
    return builder(unit, year, options or Options())


# ------------------------------------------------------------------------------- template context

TEMPLATE_FIELDS = [
    "loai", "nam", "du_thao", "so", "ky_hieu", "so_ky_hieu", "ngay", "ngay_thang", "dia_danh",
    "co_quan_chu_quan", "co_quan_ban_hanh", "ten_loai", "trich_yeu", "vv", "kinh_gui", "noi_dung",
    "phu_luc", "noi_nhan", "nguoi_ky", "don_vi", "du_lieu",
]  # fmt: skip


def _flatten(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    counters = [0, 0, 0]
    out: list[dict[str, Any]] = []
    letters = "abcdeghiklmnopqrstuvxy"
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    for block in blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            for deeper in range(block.level, 3):
                counters[deeper] = 0
            n = counters[block.level - 1]
            auto = {
                1: f"{romans[(n - 1) % len(romans)]}.",
                2: f"{n}.",
                3: f"{letters[(n - 1) % len(letters)]})",
            }
            number = block.number if block.number is not None else auto[block.level]
            text = block.text.upper() if block.level == 1 else block.text
            out.append(
                {"loai": "de_muc", "cap": block.level, "so": number, "noi_dung": f"{number} {text}".strip()}
            )
        elif isinstance(block, Paragraph):
            out.append({"loai": "doan", "noi_dung": block.text.replace("**", "").replace("*", "")})
        elif isinstance(block, Bullet):
            out.append(
                {"loai": "gach_dau_dong", "noi_dung": "- " + block.text.replace("**", "").replace("*", "")}
            )
        elif isinstance(block, Table):
            out.append(
                {
                    "loai": "bang",
                    "cot": list(block.columns),
                    "dong": [[c.replace("**", "") for c in r] for r in block.rows],
                }
            )
        elif isinstance(block, PageBreak):
            out.append({"loai": "ngat_trang"})
    return out


def template_context(built: Built, unit: Unit, kind: str, year: int) -> dict[str, Any]:
    """Plain data an uploaded template fills in (names in Vietnamese without diacritics)."""
    doc = built.document
    draft = doc.is_draft
    signature = doc.signature
    return {
        "loai": kind,
        "nam": year,
        "du_thao": draft,
        "so": "" if draft else (doc.number or ""),
        "ky_hieu": doc.symbol,
        "so_ky_hieu": format_number_line(None if draft else doc.number, doc.symbol),
        "ngay": None if draft else doc.date,
        "ngay_thang": vn_date_line(doc.place, None if draft else doc.date, doc.year),
        "dia_danh": doc.place,
        "co_quan_chu_quan": (doc.parent_body or "").replace("\n", " "),
        "co_quan_ban_hanh": doc.issuing_body.replace("\n", " "),
        "ten_loai": doc.type_name or "",
        "trich_yeu": doc.subject,
        "vv": doc.summary_line or "",
        "kinh_gui": list(doc.addressees),
        "noi_dung": _flatten(doc.body),
        "phu_luc": [
            {
                "tieu_de": a.title,
                "phu_de": a.subtitle or "",
                "ghi_chu": a.note or "",
                "noi_dung": _flatten(a.blocks),
            }
            for a in doc.appendices
        ],
        "noi_nhan": list(doc.recipients),
        "nguoi_ky": {
            "tham_quyen": (signature.authority or "") if signature else "",
            "ky_thay": (signature.capacity or "") if signature else "",
            "chuc_vu": signature.title if signature else "",
            "ho_ten": signature.name if signature else "",
        },
        "don_vi": {"ten": unit.name, "ten_day_du": unit.full_name, "ma": unit.slug},
        "du_lieu": built.data,
    }
