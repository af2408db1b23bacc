"""Reads of the operations area: lists with filters, the year's figures, the home panel, and the public
selectors other areas call (keep their names, signatures and dict keys):

- ``yearly_results(*, unit, year) -> dict`` — everything the yearly results report needs;
- ``review_data(*, review) -> dict`` — a 2027/2030 review: each year's results plus the written sections;
- ``communication_figures``, ``village_figures``, ``budget_figures``, ``reward_figures`` (``*, unit, year``);
- ``published_good_practices(*, unit) -> list[dict]`` — for the unit's public page;
- ``shortfalls(*, unit, year) -> list[dict]`` — INTERNAL, never for a public page.

Figures from other areas are read through their selectors, imported directly (operations stands above
plans, assessments, surveys and feedback). A selector with no figure returns ``None`` (shown as "chưa có số
liệu"); one that fails raises.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.feedback import selectors as feedback_selectors
from friendlygov.kit.panels import Panel
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import (
    ActivityFile,
    BudgetLine,
    BudgetSource,
    CommunicationActivity,
    CommunicationKind,
    Conference,
    CouncilMeeting,
    CouncilVote,
    GoodPractice,
    HouseholdTitle,
    Nomination,
    ProgrammeReview,
    RewardDecision,
    RewardForm,
    Shortfall,
    SignatureRequest,
    Spending,
    VillageReview,
    VillageReviewItem,
    VillageReviewResult,
)
from friendlygov.operations.tally import Tally, tally
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Body, Unit
from friendlygov.plans import selectors as plan_selectors
from friendlygov.rules.text import normalize_vi
from friendlygov.surveys import selectors as survey_selectors

NO_DATA = "chưa có số liệu"
QUARTER_LABELS = {
    1: gettext_lazy("Quý I"),
    2: gettext_lazy("Quý II"),
    3: gettext_lazy("Quý III"),
    4: gettext_lazy("Quý IV"),
}
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def today() -> dt.date:
    return timezone.localdate()


def current_quarter(day: dt.date | None = None) -> int:
    day = day or today()
    return (day.month - 1) // 3 + 1


def percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def matches(query: str, *texts: Any) -> bool:
    """Search without diacritics: every word of the query appears in one of the texts."""
    wanted = normalize_vi(query)
    if not wanted:
        return True
    haystack = " ".join(normalize_vi(str(t)) for t in texts if t)
    return all(word in haystack for word in wanted.split())


# ------------------------------------------------------------------------------------- other areas


def figure_dict(figure: Any) -> dict[str, Any] | None:
    """A MeasuredFigure as plain values (percent Decimal, label, numerator, denominator, as_of, reference)."""
    if figure is None:
        return None
    return {
        "percent": figure.percent,
        "label": figure.label,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "as_of": figure.as_of,
        "reference": figure.reference,
    }


def criteria_info(*, unit: Unit, year: int) -> dict[str, dict[str, str]]:
    """{code: {"name", "evidence"}} of the criteria set of the unit's assessment cycle of `year`; {} when
    that cycle is not there."""
    cycle = assessment_selectors.get_cycle(unit, year)
    if cycle is None:
        return {}
    cs = crit.parsed(cycle.criteria_set)
    info = {c.code: {"name": c.name, "evidence": c.evidence or ""} for c in cs.walk()}
    info.update({c.code: {"name": c.name, "evidence": ""} for c in cs.conditions})
    return info


def task_choices(unit: Unit) -> list[Any]:
    """The followed tasks of the unit's current plans (for the task pickers)."""
    return [task for plan in plan_selectors.current_plans(unit) for task in plan_selectors.plan_tasks(plan)]


def village_bodies(unit: Unit) -> list[Body]:
    return [b for b in Body.objects.filter(unit=unit, is_active=True) if b.is_village]


# ------------------------------------------------------------------------------------ communication


@dataclass
class ActivityFilter:
    year: int | None = None
    quarter: int | None = None
    kind: str = ""
    body_id: int | None = None
    criterion: str = ""
    task_id: int | None = None
    query: str = ""


def activities(unit: Unit, filters: ActivityFilter | None = None) -> list[CommunicationActivity]:
    f = filters or ActivityFilter()
    items = (
        CommunicationActivity.objects.filter(unit=unit)
        .select_related("body", "task", "created_by")
        .prefetch_related(Prefetch("files", queryset=ActivityFile.objects.select_related("evidence")))
    )
    if f.year:
        items = items.filter(held_on__year=f.year)
    if f.quarter and f.year:
        start_month = (f.quarter - 1) * 3 + 1
        items = items.filter(held_on__month__gte=start_month, held_on__month__lte=start_month + 2)
    if f.kind:
        items = items.filter(kind=f.kind)
    if f.body_id:
        items = items.filter(body_id=f.body_id)
    if f.criterion:
        items = items.filter(criterion_code=f.criterion)
    if f.task_id:
        items = items.filter(task_id=f.task_id)
    result = list(items)
    if f.query:
        result = [
            a
            for a in result
            if matches(
                f.query,
                a.title,
                a.place,
                a.audience,
                a.description,
                a.body.name,
                a.get_kind_display(),
                a.criterion_code,
            )
        ]
    return result


ACTIVITY_HEADER = [
    "Ngày",
    "Hình thức",
    "Nội dung",
    "Địa điểm, kênh",
    "Cơ quan thực hiện",
    "Đối tượng",
    "Số lượt người",
    "Kinh phí (đồng)",
    "Nhiệm vụ kế hoạch",
    "Mã tiêu chí",
    "Số tệp minh chứng",
    "Mô tả",
]


def activity_rows(items: Iterable[CommunicationActivity]) -> list[list[Any]]:
    return [
        [
            a.held_on,
            a.get_kind_display(),
            a.title,
            a.place,
            a.body.name,
            a.audience,
            a.reach,
            a.cost,
            f"{a.task.number}. {a.task.text[:120]}" if a.task else "",
            a.criterion_code,
            len(a.files.all()),
            a.description,
        ]
        for a in items
    ]


def communication_spendings(*, unit: Unit, year: int) -> list[Spending]:
    """What was spent on communication in ``year``: the spendings on the year's estimate lines that name a
    communication kind. The one source of "kinh phí tuyên truyền" (the budget's ``communication`` figures,
    :func:`communication_figures` and the documents read it); an activity's own ``cost`` is what its recorder
    typed and is not summed anywhere else."""
    return list(
        Spending.objects.filter(line__unit=unit, line__year=year)
        .exclude(line__activity_kind="")
        .select_related("line")
        .order_by("spent_on", "id")
    )


def communication_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The year's communication work.

    Keys: ``year``; ``count``, ``reach`` (people reached), ``cost`` (VND spent on communication from the
    year's estimate, :func:`communication_spendings` — equal to ``budget_figures(...)["communication"]
    ["spent"]``), ``with_files`` (activities with a photo or file); ``by_quarter``: 4 × {``quarter`` 1–4,
    ``label`` "Quý I"…, ``count``, ``reach``, ``cost`` (spent in the quarter)}; ``by_kind``: one {``kind``,
    ``label``, ``count``, ``reach``, ``cost`` (spent on lines of the kind), ``places`` (where the kind's
    activities were held, in order, each once)} per kind, every kind listed; ``criteria``: see
    :func:`criteria_coverage`.
    """
    items = list(
        CommunicationActivity.objects.filter(unit=unit, held_on__year=year)
        .prefetch_related("files")
        .order_by("held_on", "id")
    )
    quarters: dict[int, dict[str, Any]] = {
        q: {"quarter": q, "label": QUARTER_LABELS[q], "count": 0, "reach": 0, "cost": 0} for q in range(1, 5)
    }
    kinds: dict[str, dict[str, Any]] = {
        value: {"kind": value, "label": str(label), "count": 0, "reach": 0, "cost": 0, "places": []}
        for value, label in CommunicationKind.choices
    }
    for a in items:
        for bucket in (quarters[a.quarter], kinds[a.kind]):
            bucket["count"] += 1
            bucket["reach"] += a.reach
        if a.place and a.place not in kinds[a.kind]["places"]:
            kinds[a.kind]["places"].append(a.place)
    spendings = communication_spendings(unit=unit, year=year)
    for spending in spendings:
        quarters[(spending.spent_on.month - 1) // 3 + 1]["cost"] += spending.amount
        kinds[spending.line.activity_kind]["cost"] += spending.amount
    return {
        "year": year,
        "count": len(items),
        "reach": sum(a.reach for a in items),
        "cost": sum(spending.amount for spending in spendings),
        "with_files": sum(1 for a in items if a.files.all()),
        "by_quarter": list(quarters.values()),
        "by_kind": list(kinds.values()),
        "criteria": criteria_coverage(unit=unit, year=year, items=items),
    }


def criteria_coverage(
    *, unit: Unit, year: int, items: Sequence[CommunicationActivity] | None = None
) -> list[dict[str, Any]]:
    """For each criterion code that the year's activities prove: ``code``, ``name`` and ``evidence`` (what the
    criterion asks, "" when the assessments area does not say), ``count``, ``reach``, and ``activities``
    [{``id``, ``title``, ``held_on``, ``kind_label``, ``place``, ``files``}]."""
    if items is None:
        items = list(
            CommunicationActivity.objects.filter(unit=unit, held_on__year=year).prefetch_related("files")
        )
    info = criteria_info(unit=unit, year=year)
    grouped: dict[str, list[CommunicationActivity]] = defaultdict(list)
    for a in items:
        if a.criterion_code:
            grouped[a.criterion_code].append(a)
    from friendlygov.rules.text import natural_key

    rows = []
    for code in sorted(grouped, key=natural_key):
        acts = grouped[code]
        known = info.get(code, {})
        rows.append(
            {
                "code": code,
                "name": known.get("name", ""),
                "evidence": known.get("evidence", ""),
                "count": len(acts),
                "reach": sum(a.reach for a in acts),
                "activities": [
                    {
                        "id": a.pk,
                        "title": a.title,
                        "held_on": a.held_on,
                        "kind_label": a.get_kind_display(),
                        "place": a.place,
                        "files": len(a.files.all()),
                    }
                    for a in acts
                ],
            }
        )
    return rows


# ------------------------------------------------------------------------------------------ villages


def review_items(unit: Unit, year: int, *, include_inactive: bool = False) -> list[VillageReviewItem]:
    items = VillageReviewItem.objects.filter(unit=unit, year=year)
    if not include_inactive:
        items = items.filter(is_active=True)
    return list(items.order_by("position", "id"))


@dataclass
class VillageRow:
    village: Body
    review: VillageReview | None
    results: dict[int, VillageReviewResult]
    items: list[VillageReviewItem]
    households_listed: int = 0
    households_cultural: int = 0

    @property
    def met_count(self) -> int:
        return sum(1 for i in self.items if (r := self.results.get(i.pk)) is not None and r.met is True)

    @property
    def all_met(self) -> bool:
        return bool(self.items) and self.met_count == len(self.items)

    @property
    def cells(self) -> list[VillageReviewResult | None]:
        return [self.results.get(i.pk) for i in self.items]

    @property
    def title_result(self) -> str:
        return self.review.title_result if self.review else VillageReview.Title.PENDING

    @property
    def title_label(self) -> str:
        return str(VillageReview.Title(self.title_result).label)

    @property
    def households_percent(self) -> Decimal | None:
        return percent(self.households_cultural, self.households_listed)


def village_rows(unit: Unit, year: int) -> list[VillageRow]:
    items = review_items(unit, year)
    reviews = {
        r.village_id: r
        for r in VillageReview.objects.filter(unit=unit, year=year)
        .select_related("minutes", "updated_by")
        .prefetch_related("results")
    }
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for village_id, is_cultural in HouseholdTitle.objects.filter(unit=unit, year=year).values_list(
        "village_id", "is_cultural"
    ):
        counts[village_id][0] += 1
        counts[village_id][1] += int(is_cultural)
    rows = []
    for village in village_bodies(unit):
        review = reviews.get(village.pk)
        results = {r.item_id: r for r in review.results.all()} if review else {}
        listed, cultural = counts[village.pk]
        rows.append(VillageRow(village, review, results, items, listed, cultural))
    return rows


def village_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The villages' cultural reviews of the year.

    Keys: ``year``; ``villages`` (number of villages), ``reviewed`` (with a title result), ``achieved``,
    ``not_achieved``, ``all_items_met`` (villages meeting every friendly-government item); ``items`` (the
    items' texts); ``rows``: per village {``village``, ``title_result``, ``title_label``, ``met``, ``items``,
    ``all_met``, ``households_total``, ``households_listed``, ``households_cultural``}; ``households``:
    {``listed``, ``cultural``, ``percent`` (Decimal or None)}.
    """
    rows = village_rows(unit, year)
    listed = sum(r.households_listed for r in rows)
    cultural = sum(r.households_cultural for r in rows)
    return {
        "year": year,
        "villages": len(rows),
        "reviewed": sum(1 for r in rows if r.title_result != VillageReview.Title.PENDING),
        "achieved": sum(1 for r in rows if r.title_result == VillageReview.Title.ACHIEVED),
        "not_achieved": sum(1 for r in rows if r.title_result == VillageReview.Title.NOT_ACHIEVED),
        "all_items_met": sum(1 for r in rows if r.all_met),
        "items": [i.text for i in review_items(unit, year)],
        "rows": [
            {
                "village": r.village.name,
                "title_result": r.title_result,
                "title_label": r.title_label,
                "met": r.met_count,
                "items": len(r.items),
                "all_met": r.all_met,
                "households_total": r.review.households_total if r.review else None,
                "households_listed": r.households_listed,
                "households_cultural": r.households_cultural,
            }
            for r in rows
        ],
        "households": {"listed": listed, "cultural": cultural, "percent": percent(cultural, listed)},
    }


@dataclass
class HouseholdFilter:
    year: int | None = None
    village_id: int | None = None
    cultural: bool | None = None
    query: str = ""


def households(unit: Unit, filters: HouseholdFilter | None = None) -> list[HouseholdTitle]:
    f = filters or HouseholdFilter()
    items = HouseholdTitle.objects.filter(unit=unit).select_related("village")
    if f.year:
        items = items.filter(year=f.year)
    if f.village_id:
        items = items.filter(village_id=f.village_id)
    if f.cultural is not None:
        items = items.filter(is_cultural=f.cultural)
    result = list(items)
    if f.query:
        result = [h for h in result if matches(f.query, h.head_name, h.address, h.village.name, h.note)]
    return result


HOUSEHOLD_HEADER = ["Chủ hộ", "Thôn", "Gia đình văn hóa", "Năm", "Địa chỉ", "Ghi chú"]


def household_rows(items: Iterable[HouseholdTitle]) -> list[list[Any]]:
    return [
        [h.head_name, h.village.name, "có" if h.is_cultural else "không", h.year, h.address, h.note]
        for h in items
    ]


# -------------------------------------------------------------------------------------------- budget


@dataclass
class LineRow:
    line: BudgetLine
    spent: int

    @property
    def remaining(self) -> int | None:
        return None if self.line.approved is None else self.line.approved - self.spent

    @property
    def used_percent(self) -> Decimal | None:
        return percent(self.spent, self.line.approved)


def budget_rows(unit: Unit, year: int) -> list[LineRow]:
    lines = (
        BudgetLine.objects.filter(unit=unit, year=year)
        .select_related("task")
        .annotate(spent_total=Sum("spendings__amount"))
    )
    return [LineRow(line, int(line.spent_total or 0)) for line in lines.order_by("position", "id")]


def budget_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The year's estimate and spending (VND, integers).

    Keys: ``year``; ``estimated`` (asked for), ``approved`` (sum of approved amounts), ``spent``,
    ``remaining`` (approved − spent), ``unapproved`` (estimated − approved on lines approved or not),
    ``used_percent`` (spent ÷ approved × 100, Decimal or None), ``lines_count``, ``pending_approval`` (lines
    without an approved amount); ``by_source``: one {``source``, ``label``, ``estimated``, ``approved``,
    ``spent``} per source; ``communication``: {``estimated``, ``approved``, ``spent``} of the lines that name
    a communication kind (``spent`` is :func:`communication_figures`' ``cost``); ``lines``: per line {``id``, ``title``, ``kind_label``, ``task``, ``source``,
    ``source_label``, ``source_note``, ``estimated``, ``approved``, ``approval_ref``, ``spent``, ``remaining``,
    ``note``}.
    """
    rows = budget_rows(unit, year)
    sources: dict[str, dict[str, Any]] = {
        value: {"source": value, "label": str(label), "estimated": 0, "approved": 0, "spent": 0}
        for value, label in BudgetSource.choices
    }
    for r in rows:
        bucket = sources[r.line.source]
        bucket["estimated"] += r.line.estimated
        bucket["approved"] += r.line.approved or 0
        bucket["spent"] += r.spent
    estimated = sum(r.line.estimated for r in rows)
    approved = sum(r.line.approved or 0 for r in rows)
    spent = sum(r.spent for r in rows)
    communication = [r for r in rows if r.line.activity_kind]
    return {
        "year": year,
        "estimated": estimated,
        "approved": approved,
        "spent": spent,
        "remaining": approved - spent,
        "unapproved": estimated - approved,
        "used_percent": percent(spent, approved),
        "lines_count": len(rows),
        "pending_approval": sum(1 for r in rows if r.line.approved is None),
        "by_source": list(sources.values()),
        "communication": {
            "estimated": sum(r.line.estimated for r in communication),
            "approved": sum(r.line.approved or 0 for r in communication),
            "spent": sum(r.spent for r in communication),
        },
        "lines": [
            {
                "id": r.line.pk,
                "title": r.line.title,
                "kind_label": r.line.get_activity_kind_display() if r.line.activity_kind else "",
                "task": f"{r.line.task.number}. {r.line.task.text[:120]}" if r.line.task else "",
                "source": r.line.source,
                "source_label": r.line.get_source_display(),
                "source_note": r.line.source_note,
                "estimated": r.line.estimated,
                "approved": r.line.approved,
                "approval_ref": r.line.approval_ref,
                "spent": r.spent,
                "remaining": r.remaining,
                "note": r.line.note,
            }
            for r in rows
        ],
    }


ESTIMATE_HEADER = [
    "STT",
    "Nội dung chi",
    "Nhiệm vụ kế hoạch",
    "Hình thức tuyên truyền",
    "Nguồn kinh phí",
    "Dự toán đề nghị (đồng)",
    "Được phê duyệt (đồng)",
    "Quyết định giao dự toán",
    "Đã chi (đồng)",
    "Còn lại (đồng)",
    "Ghi chú",
]


def estimate_rows(unit: Unit, year: int) -> list[list[Any]]:
    """The yearly estimate table the Economic Office sends up, with a total row."""
    figures = budget_figures(unit=unit, year=year)
    rows: list[list[Any]] = []
    for number, line in enumerate(figures["lines"], start=1):
        source = line["source_label"] + (f" ({line['source_note']})" if line["source_note"] else "")
        rows.append(
            [
                number,
                line["title"],
                line["task"],
                line["kind_label"],
                source,
                line["estimated"],
                line["approved"],
                line["approval_ref"],
                line["spent"],
                line["remaining"],
                line["note"],
            ]
        )
    rows.append(
        [
            "",
            "Tổng cộng",
            "",
            "",
            "",
            figures["estimated"],
            figures["approved"],
            "",
            figures["spent"],
            figures["remaining"],
            "",
        ]
    )
    return rows


@dataclass
class SpendingFilter:
    year: int | None = None
    line_id: int | None = None
    query: str = ""


def spendings(unit: Unit, filters: SpendingFilter | None = None) -> list[Spending]:
    f = filters or SpendingFilter()
    items = Spending.objects.filter(unit=unit).select_related("line", "activity", "evidence")
    if f.year:
        items = items.filter(line__year=f.year)
    if f.line_id:
        items = items.filter(line_id=f.line_id)
    result = list(items)
    if f.query:
        result = [
            s
            for s in result
            if matches(
                f.query, s.description, s.voucher, s.line.title, s.activity.title if s.activity else ""
            )
        ]
    return result


SPENDING_HEADER = [
    "Ngày chi",
    "Nội dung",
    "Số tiền (đồng)",
    "Số chứng từ",
    "Dòng dự toán",
    "Nguồn",
    "Hoạt động tuyên truyền",
]


def spending_rows(items: Iterable[Spending]) -> list[list[Any]]:
    return [
        [
            s.spent_on,
            s.description,
            s.amount,
            s.voucher,
            s.line.title,
            s.line.get_source_display(),
            s.activity.title if s.activity else "",
        ]
        for s in items
    ]


# ------------------------------------------------------------------------------------------- rewards


@dataclass
class NominationFilter:
    year: int | None = None
    status: str = ""
    nominee_kind: str = ""
    body_id: int | None = None
    query: str = ""


def nominations(unit: Unit, filters: NominationFilter | None = None) -> list[Nomination]:
    f = filters or NominationFilter()
    items = (
        Nomination.objects.filter(unit=unit)
        .select_related("body", "proposed_by_body", "decision")
        .prefetch_related("activities", "tasks", "evidence")
    )
    if f.year:
        items = items.filter(year=f.year)
    if f.status:
        items = items.filter(status=f.status)
    if f.nominee_kind:
        items = items.filter(nominee_kind=f.nominee_kind)
    if f.body_id:
        items = items.filter(Q(body_id=f.body_id) | Q(proposed_by_body_id=f.body_id))
    result = list(items)
    if f.query:
        result = [
            n
            for n in result
            if matches(
                f.query,
                n.nominee_name,
                n.position_title,
                n.achievements,
                n.body.name if n.body else "",
                n.proposed_by_body.name,
            )
        ]
    return result


NOMINATION_HEADER = [
    "Năm",
    "Đối tượng",
    "Tên cá nhân, tập thể",
    "Chức vụ, nơi công tác",
    "Cơ quan đề nghị",
    "Thành tích",
    "Hình thức đề nghị",
    "Trạng thái",
    "Quyết định",
    "Hình thức khen thưởng",
    "Số hoạt động",
    "Số nhiệm vụ",
    "Số minh chứng",
]


def nomination_rows(items: Iterable[Nomination]) -> list[list[Any]]:
    return [
        [
            n.year,
            n.get_nominee_kind_display(),
            n.nominee_name,
            n.position_title,
            n.proposed_by_body.name,
            n.achievements,
            n.get_proposed_form_display(),
            n.get_status_display(),
            str(n.decision) if n.decision else "",
            n.decision.get_reward_form_display() if n.decision else "",
            len(n.activities.all()),
            len(n.tasks.all()),
            len(n.evidence.all()),
        ]
        for n in items
    ]


@dataclass
class VoteSheet:
    nomination: Nomination
    votes: dict[int, str]  # member id → choice
    result: Tally | None


def meeting_sheets(meeting: CouncilMeeting) -> list[VoteSheet]:
    members = list(meeting.members.all())
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    for v in CouncilVote.objects.filter(meeting=meeting):
        votes[v.nomination_id][v.member_id] = v.choice
    sheets = []
    for n in meeting.nominations.select_related("proposed_by_body").order_by("nominee_kind", "nominee_name"):
        cast = votes.get(n.pk, {})
        result = (
            tally(list(cast.values()), members=len(members))
            if len(cast) == len(members) and members
            else None
        )
        sheets.append(VoteSheet(n, cast, result))
    return sheets


def decisions(unit: Unit, year: int | None = None) -> QuerySet[RewardDecision]:
    items = RewardDecision.objects.filter(unit=unit).select_related("file").prefetch_related("nominations")
    return items.filter(year=year) if year else items


def reward_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """Nominations, the council's outcome and the decisions of the year.

    Keys: ``year``; ``nominations``, ``individuals``, ``collectives``, ``passed`` (passed by the council,
    awarded or not), ``not_passed``, ``awarded``; ``decisions``: [{``number``, ``signed_on``, ``signer``,
    ``form``, ``form_label``, ``count``, ``names``}]; ``good_practices_published``.
    """
    items = list(Nomination.objects.filter(unit=unit, year=year))
    passed = {Nomination.Status.PASSED, Nomination.Status.AWARDED}
    return {
        "year": year,
        "nominations": len(items),
        "individuals": sum(1 for n in items if n.nominee_kind == Nomination.NomineeKind.INDIVIDUAL),
        "collectives": sum(1 for n in items if n.nominee_kind == Nomination.NomineeKind.COLLECTIVE),
        "passed": sum(1 for n in items if n.status in passed),
        "not_passed": sum(1 for n in items if n.status == Nomination.Status.NOT_PASSED),
        "awarded": sum(1 for n in items if n.status == Nomination.Status.AWARDED),
        "decisions": [
            {
                "number": d.number,
                "signed_on": d.signed_on,
                "signer": d.signer,
                "form": d.reward_form,
                "form_label": str(RewardForm(d.reward_form).label),
                "count": len(d.nominations.all()),
                "names": [n.nominee_name for n in d.nominations.all()],
            }
            for d in decisions(unit, year).order_by("signed_on", "id")
        ],
        "good_practices_published": GoodPractice.objects.filter(
            unit=unit, year=year, is_published=True
        ).count(),
    }


def good_practices(
    unit: Unit, *, year: int | None = None, query: str = "", published: bool | None = None
) -> list[GoodPractice]:
    items = GoodPractice.objects.filter(unit=unit).select_related("body", "nomination", "activity")
    if year:
        items = items.filter(year=year)
    if published is not None:
        items = items.filter(is_published=published)
    result = list(items)
    if query:
        result = [g for g in result if matches(query, g.title, g.summary, g.body.name if g.body else "")]
    return result


def published_good_practices(*, unit: Unit) -> list[dict[str, Any]]:
    """What the unit's public page may show: published examples of good practice, newest first.
    Each: ``title``, ``summary``, ``body`` (name or ""), ``year``, ``published_on`` (date). Nothing internal."""
    items = (
        GoodPractice.objects.filter(unit=unit, is_published=True)
        .select_related("body")
        .order_by("-published_at", "-id")
    )
    return [
        {
            "title": g.title,
            "summary": g.summary,
            "body": g.body.name if g.body else "",
            "year": g.year,
            "published_on": timezone.localtime(g.published_at).date() if g.published_at else None,
        }
        for g in items
    ]


def shortfall_list(
    unit: Unit, *, year: int | None = None, status: str = "", query: str = ""
) -> list[Shortfall]:
    items = Shortfall.objects.filter(unit=unit).select_related("body")
    if year:
        items = items.filter(year=year)
    if status:
        items = items.filter(status=status)
    result = list(items)
    if query:
        result = [s for s in result if matches(query, s.name, s.reason, s.resolution_note)]
    return result


def shortfalls(*, unit: Unit, year: int) -> list[dict[str, Any]]:
    """INTERNAL: units and bodies that fell short in `year`, with the reason — never for a public page.
    Each: ``name``, ``body_code`` ("" for a free-text subject), ``reason``, ``noted_on``, ``status``,
    ``status_label``, ``resolution_note``."""
    return [
        {
            "name": s.name,
            "body_code": s.body.code if s.body else "",
            "reason": s.reason,
            "noted_on": s.noted_on,
            "status": s.status,
            "status_label": s.get_status_display(),
            "resolution_note": s.resolution_note,
        }
        for s in shortfall_list(unit, year=year)
    ]


SHORTFALL_HEADER = ["Năm", "Đơn vị, cá nhân", "Lý do", "Ngày ghi nhận", "Trạng thái", "Kết quả khắc phục"]


def shortfall_rows(items: Iterable[Shortfall]) -> list[list[Any]]:
    return [[s.year, s.name, s.reason, s.noted_on, s.get_status_display(), s.resolution_note] for s in items]


# ------------------------------------------------------------------------------ conferences, signing


def conferences(
    unit: Unit, *, year: int | None = None, status: str = "", query: str = ""
) -> list[Conference]:
    items = Conference.objects.filter(unit=unit).select_related("review", "minutes")
    if year:
        items = items.filter(held_on__year=year)
    if status:
        items = items.filter(status=status)
    result = list(items)
    if query:
        result = [c for c in result if matches(query, c.title, c.place, c.chair, c.attendees)]
    return result


CONFERENCE_HEADER = [
    "Ngày",
    "Giờ",
    "Tên hội nghị",
    "Địa điểm",
    "Chủ trì",
    "Thành phần",
    "Trạng thái",
    "Có biên bản",
]


def conference_rows(items: Iterable[Conference]) -> list[list[Any]]:
    return [
        [
            c.held_on,
            c.start_time.strftime("%H:%M") if c.start_time else "",
            c.title,
            c.place,
            c.chair,
            c.attendees,
            c.get_status_display(),
            "có" if c.minutes_id else "",
        ]
        for c in items
    ]


def signature_requests(
    unit: Unit, *, status: str = "", kind: str = "", year: int | None = None, query: str = ""
) -> list[SignatureRequest]:
    items = SignatureRequest.objects.filter(unit=unit).select_related(
        "body", "file", "requested_by", "decided_by"
    )
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(document_kind=kind)
    if year:
        items = items.filter(created_at__year=year)
    result = list(items)
    if query:
        result = [
            r
            for r in result
            if matches(query, r.title, r.note, r.return_reason, r.body.name if r.body else "")
        ]
    return result


SIGNATURE_HEADER = [
    "Ngày trình",
    "Trích yếu",
    "Loại văn bản",
    "Cơ quan trình",
    "Người trình",
    "Trạng thái",
    "Ngày ký",
    "Lý do trả lại",
]


def signature_rows(items: Iterable[SignatureRequest]) -> list[list[Any]]:
    return [
        [
            timezone.localtime(r.created_at).date(),
            r.title,
            r.get_document_kind_display(),
            r.body.name if r.body else "",
            r.requested_by.get_full_name() if r.requested_by else "",
            r.get_status_display(),
            r.signed_on,
            r.return_reason,
        ]
        for r in items
    ]


# ----------------------------------------------------------------------------------- yearly results


def _assessment(unit: Unit, year: int) -> dict[str, Any] | None:
    summary = assessment_selectors.cycle_summary(unit=unit, year=year)
    if summary is None:
        return None
    keys = (
        "status",
        "status_label",
        "criteria_set",
        "criteria_set_name",
        "target_level",
        "target_level_name",
        "self_total",
        "self_level",
        "self_level_name",
        "appraised_total",
        "appraised_level",
        "appraised_level_name",
        "recognised_level",
        "recognised_level_name",
        "recognition_decision",
        "scored",
        "scorable",
        "with_evidence",
        "current_total",
        "current_level",
        "current_level_name",
        "current_stage",
    )
    return {k: getattr(summary, k, None) for k in keys}


def yearly_results(*, unit: Unit, year: int) -> dict[str, Any]:
    """Everything the yearly results report needs for `unit` in `year` (plain values; VND as int; percents
    as Decimal; dates as date). Areas without data give None and are named in ``missing``.

    Keys:
    - ``unit``: {``slug``, ``name``, ``full_name``}; ``year``;
    - ``target_level``: the plan's target level code ("3") or None;
    - ``assessment``: None or {``status``, ``status_label``, ``criteria_set``, ``criteria_set_name``,
      ``target_level``, ``target_level_name``, ``self_total``, ``self_level``, ``self_level_name``,
      ``appraised_total``, ``appraised_level``, ``appraised_level_name``, ``recognised_level``,
      ``recognised_level_name``, ``recognition_decision``, ``scored``, ``scorable``, ``with_evidence``,
      ``current_total``, ``current_level``, ``current_level_name``, ``current_stage`` (the latest stage's
      figure: recognised, appraised, consolidated or self)};
    - ``task_completion``, ``sipas``: None or a figure {``percent``, ``label``, ``numerator``, ``denominator``,
      ``as_of``, ``reference``};
    - ``feedback``: None or the feedback area's ``feedback_figures`` dict;
    - ``communication``: :func:`communication_figures`; ``villages``: :func:`village_figures`;
      ``budget``: :func:`budget_figures`; ``rewards``: :func:`reward_figures`;
    - ``good_practices``: [{``title``, ``summary``, ``body``, ``published``}] of the year;
    - ``shortfalls``: {``total``, ``open``} (counts only — the list is internal, see :func:`shortfalls`);
    - ``conferences``: [{``title``, ``held_on``, ``place``, ``status_label``, ``has_minutes``}];
    - ``signatures``: {``waiting``, ``signed``, ``returned``} of requests made in the year;
    - ``missing``: Vietnamese labels of the figures that have no data; ``no_data``: "chưa có số liệu".
    """
    target = plan_selectors.target_level_for(unit=unit, year=year)
    assessment = _assessment(unit, year)
    task_completion = figure_dict(plan_selectors.task_completion_figure(unit=unit, year=year))
    sipas = figure_dict(survey_selectors.sipas_figure(unit=unit, year=year))
    feedback = feedback_selectors.feedback_figures(unit=unit, year=year)
    communication = communication_figures(unit=unit, year=year)
    budget = budget_figures(unit=unit, year=year)
    missing = [
        label
        for label, value in (
            (gettext_noop("Mục tiêu mức độ của kế hoạch"), target),
            (gettext_noop("Kết quả đánh giá, chấm điểm"), assessment),
            (gettext_noop("Tiến độ nhiệm vụ của kế hoạch"), task_completion),
            (gettext_noop("Khảo sát SIPAS"), sipas),
            (gettext_noop("Phản ánh, kiến nghị"), feedback),
            (gettext_noop("Công tác tuyên truyền"), communication["count"] or None),
            (gettext_noop("Kinh phí"), budget["lines_count"] or None),
        )
        if value is None
    ]
    year_shortfalls = Shortfall.objects.filter(unit=unit, year=year)
    signature_counts = {s: 0 for s in SignatureRequest.Status.values}
    for status in SignatureRequest.objects.filter(unit=unit, created_at__year=year).values_list(
        "status", flat=True
    ):
        signature_counts[status] += 1
    return {
        "unit": {"slug": unit.slug, "name": unit.name, "full_name": unit.full_name},
        "year": year,
        "target_level": target,
        "assessment": assessment,
        "task_completion": task_completion,
        "sipas": sipas,
        "feedback": feedback,
        "communication": communication,
        "villages": village_figures(unit=unit, year=year),
        "budget": budget,
        "rewards": reward_figures(unit=unit, year=year),
        "good_practices": [
            {
                "title": g.title,
                "summary": g.summary,
                "body": g.body.name if g.body else "",
                "published": g.is_published,
            }
            for g in good_practices(unit, year=year)
        ],
        "shortfalls": {
            "total": year_shortfalls.count(),
            "open": year_shortfalls.filter(status=Shortfall.Status.OPEN).count(),
        },
        "conferences": [
            {
                "title": c.title,
                "held_on": c.held_on,
                "place": c.place,
                "status_label": c.get_status_display(),
                "has_minutes": bool(c.minutes_id),
            }
            for c in conferences(unit, year=year)
        ],
        "signatures": signature_counts,
        "missing": missing,
        "no_data": NO_DATA,
    }


def unit_reviews(unit: Unit) -> QuerySet[ProgrammeReview]:
    return ProgrammeReview.objects.filter(unit=unit).prefetch_related("sections").order_by("year", "kind")


def review_data(*, review: ProgrammeReview) -> dict[str, Any]:
    """A 2027 (sơ kết) or 2030 (tổng kết) review, for the documents area.

    Keys:
    - ``review``: {``id``, ``kind`` ("midterm"/"final"), ``kind_label`` ("Sơ kết"/"Tổng kết"), ``title``,
      ``year``, ``from_year``, ``status``, ``status_label``, ``completed_at``};
    - ``unit``: {``slug``, ``name``, ``full_name``};
    - ``years``: [:func:`yearly_results` for each year from ``from_year`` to ``year``];
    - ``targets``: [{``year``, ``target_level``, ``recognised_level``, ``recognised_level_name``}];
    - ``totals``: over the period — ``communication`` {``count``, ``reach``, ``cost``}, ``budget``
      {``estimated``, ``approved``, ``spent``}, ``rewards`` {``nominations``, ``awarded``};
    - ``sections``: [{``key``, ``title``, ``text``}] in order (standard keys: ``results``, ``limitations``,
      ``lessons``, ``tasks_ahead``, ``proposals``);
    - ``conferences``: [{``title``, ``held_on``, ``place``, ``status_label``, ``has_minutes``}] linked to the review;
    - ``snapshot``: the figures frozen when the review was completed (JSON types), {} while a draft.
    """
    unit = review.unit
    years = [yearly_results(unit=unit, year=y) for y in review.years]
    return {
        "review": {
            "id": review.pk,
            "kind": review.kind,
            "kind_label": review.get_kind_display(),
            "title": review.title,
            "year": review.year,
            "from_year": review.from_year,
            "status": review.status,
            "status_label": review.get_status_display(),
            "completed_at": review.completed_at,
        },
        "unit": {"slug": unit.slug, "name": unit.name, "full_name": unit.full_name},
        "years": years,
        "targets": [
            {
                "year": y["year"],
                "target_level": y["target_level"],
                "recognised_level": (y["assessment"] or {}).get("recognised_level"),
                "recognised_level_name": (y["assessment"] or {}).get("recognised_level_name") or "",
            }
            for y in years
        ],
        "totals": {
            "communication": {
                k: sum(y["communication"][k] for y in years) for k in ("count", "reach", "cost")
            },
            "budget": {k: sum(y["budget"][k] for y in years) for k in ("estimated", "approved", "spent")},
            "rewards": {k: sum(y["rewards"][k] for y in years) for k in ("nominations", "awarded")},
        },
        "sections": [{"key": s.key, "title": s.title, "text": s.text} for s in review.sections.all()],
        "conferences": [
            {
                "title": c.title,
                "held_on": c.held_on,
                "place": c.place,
                "status_label": c.get_status_display(),
                "has_minutes": bool(c.minutes_id),
            }
            for c in review.conferences.all()
        ],
        "snapshot": review.snapshot or {},
    }


# ------------------------------------------------------------------------------------------ overview


def overview(unit: Unit, year: int) -> dict[str, Any]:
    """The figures of the overview page (this area's own; no other area's)."""
    return {
        "communication": communication_figures(unit=unit, year=year),
        "villages": village_figures(unit=unit, year=year),
        "budget": budget_figures(unit=unit, year=year),
        "rewards": reward_figures(unit=unit, year=year),
        "shortfalls_open": Shortfall.objects.filter(
            unit=unit, year=year, status=Shortfall.Status.OPEN
        ).count(),
        "waiting_signatures": SignatureRequest.objects.filter(
            unit=unit, status=SignatureRequest.Status.WAITING
        ).count(),
        "upcoming_conferences": list(
            Conference.objects.filter(
                unit=unit, status=Conference.Status.SCHEDULED, held_on__gte=today()
            ).order_by("held_on")[:3]
        ),
        "reviews": list(unit_reviews(unit)),
    }


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    """This quarter's communication (count, reach), the year's budget used vs approved, documents awaiting
    signature."""
    if not can(request.user, Capability.READ, unit) or unit.is_city:
        return None
    day = today()
    quarter = current_quarter(day)
    # the quarter's row of the year's figures (activities are never dated after today)
    this_quarter = communication_figures(unit=unit, year=day.year)["by_quarter"][quarter - 1]
    budget = budget_figures(unit=unit, year=day.year)
    context = {
        "unit": unit,
        "year": day.year,
        "quarter_label": QUARTER_LABELS[quarter],
        "count": this_quarter["count"],
        "reach": this_quarter["reach"],
        "budget": budget,
        "waiting": SignatureRequest.objects.filter(unit=unit, status=SignatureRequest.Status.WAITING).count(),
        "may_sign": perms.may_sign(request.user, unit),
        "may_record": perms.may_record_any(request.user, unit),
    }
    return Panel("operations/panel_unit.html", context, order=400)
