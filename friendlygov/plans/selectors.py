"""Reads of the plans area: plans, progress roll-ups, deadlines, the appendix preview, the home panel.

Other areas call ``target_level_for`` and ``task_completion_figure``; keep their names and signatures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.core.calendar import working_calendar
from friendlygov.kit.panels import Panel
from friendlygov.kit.spreadsheets import SheetSpec
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Body, RoleGrant, Unit
from friendlygov.plans.appendix import bodies_named_in, body_matcher, check_numbers, parse_for_unit
from friendlygov.plans.models import (
    CycleEvent,
    EventKind,
    Obstacle,
    Occurrence,
    OccurrenceEvidence,
    Plan,
    Task,
    YearTarget,
    describe_schedule,
    local_today,
)
from friendlygov.rules import plan_events as ev
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.schedule import ParsedTask, WorkingCalendar, natural_key, occurrences
from friendlygov.rules.slips import Slip, find_slips
from friendlygov.rules.text import normalize_vi

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# ---------------------------------------------------------------------------------------------- plans


def current_plans(unit: Unit) -> QuerySet[Plan]:
    return Plan.objects.filter(unit=unit, is_current=True).order_by("-start_year", "-id")


def unit_plans(unit: Unit) -> list[tuple[Plan, list[Plan]]]:
    """Current plans, each with its earlier revisions (newest first)."""
    plans = list(Plan.objects.filter(unit=unit).order_by("-start_year", "-revision", "-id"))
    by_id = {p.pk: p for p in plans}
    result = []
    for plan in plans:
        if not plan.is_current:
            continue
        older = []
        node = by_id.get(plan.revises_id) if plan.revises_id else None
        while node is not None:
            older.append(node)
            node = by_id.get(node.revises_id) if node.revises_id else None
        result.append((plan, older))
    return result


def plan_for_year(unit: Unit, year: int) -> Plan | None:
    """The current plan covering ``year`` (the latest one when several do)."""
    for plan in current_plans(unit).order_by("-start_year", "-issued_on", "-id"):
        if plan.covers(year):
            return plan
    return None


def target_level_for(*, unit: Unit, year: int) -> str | None:
    """The level the unit's current plan aims at in ``year`` ("3", "4"…), or None. Pre-fills registration."""
    plan = plan_for_year(unit, year)
    if plan is None:
        return None
    target = YearTarget.objects.filter(plan=plan, year=year).first()
    return target.level_code if target is not None else None


def target_for(plan: Plan, year: int) -> YearTarget | None:
    return next((t for t in plan.targets.all() if t.year == year), None)


def revision_chain(plan: Plan) -> list[Plan]:
    """Every revision of the plan, oldest first."""
    root = plan
    while root.revises_id:
        root = Plan.objects.get(pk=root.revises_id)
    chain = [root]
    while True:
        newer = Plan.objects.filter(revises=chain[-1]).first()
        if newer is None:
            return chain
        chain.append(newer)


def plan_tasks(plan: Plan, *, include_inactive: bool = False) -> list[Task]:
    tasks = plan.tasks.select_related("lead_body").prefetch_related("coordinators")
    if not include_inactive:
        tasks = tasks.filter(is_active=True)
    return sorted(tasks, key=lambda t: (t.position, natural_key(t.number)))


# ---------------------------------------------------------------------------------------------- progress


def _mean(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(sum(values)) / Decimal(len(values))


@dataclass
class TaskProgress:
    task: Task
    percent: Decimal | None  # mean of the counted occurrences' percentages; None when none counts
    counted: int = 0
    done: int = 0
    late: int = 0
    next_due: Occurrence | None = None


def weighted_mean(rows: Iterable[TaskProgress]) -> Decimal | None:
    """Σ weight × progress ÷ Σ weight over tasks with something counted (cancelled work is left out)."""
    total = Decimal(0)
    weights = Decimal(0)
    for row in rows:
        if row.percent is None:
            continue
        total += row.task.weight * row.percent
        weights += row.task.weight
    return total / weights if weights else None


def _progress(task: Task, items: Sequence[Occurrence], today: dt.date) -> TaskProgress:
    counted = [o for o in items if o.counts]
    upcoming = [o for o in counted if o.status not in Occurrence.CLOSED and o.due >= today]
    return TaskProgress(
        task=task,
        percent=_mean([o.percent for o in counted]),
        counted=len(counted),
        done=sum(1 for o in counted if o.status == Occurrence.Status.DONE),
        late=sum(1 for o in counted if o.is_late(today)),
        next_due=min(upcoming, key=lambda o: o.due) if upcoming else None,
    )


def _occurrences_by_task(tasks: Sequence[Task]) -> dict[int, list[Occurrence]]:
    grouped: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in Occurrence.objects.filter(task__in=tasks).order_by("due", "pk"):
        grouped[occurrence.task_id].append(occurrence)
    return grouped


def task_progress(plan: Plan, *, year: int | None = None, today: dt.date | None = None) -> list[TaskProgress]:
    """Progress of each followed task, over the plan or over one year."""
    today = today or local_today()
    tasks = plan_tasks(plan)
    grouped = _occurrences_by_task(tasks)
    return [
        _progress(task, [o for o in grouped.get(task.pk, []) if year is None or o.year == year], today)
        for task in tasks
    ]


@dataclass
class YearProgress:
    year: int
    percent: Decimal | None
    target: YearTarget | None
    counted: int
    done: int
    late: int


@dataclass
class Timeline:
    years: list[int]
    targets: dict[int, YearTarget | None]
    rows: list[tuple[Task, list[TaskProgress]]]  # per task, one cell per year
    totals: list[YearProgress]
    overall: Decimal | None


def timeline(plan: Plan, *, today: dt.date | None = None) -> Timeline:
    """Progress per task and per year (the 2026–2030 timeline and the plan at a glance)."""
    today = today or local_today()
    tasks = plan_tasks(plan)
    grouped = _occurrences_by_task(tasks)
    years = plan.years
    targets = {y: target_for(plan, y) for y in years}
    rows = []
    per_year: dict[int, list[TaskProgress]] = defaultdict(list)
    for task in tasks:
        items = grouped.get(task.pk, [])
        cells = []
        for year in years:
            cell = _progress(task, [o for o in items if o.year == year], today)
            cells.append(cell)
            per_year[year].append(cell)
        rows.append((task, cells))
    totals = [
        YearProgress(
            year=year,
            percent=weighted_mean(per_year[year]),
            target=targets[year],
            counted=sum(c.counted for c in per_year[year]),
            done=sum(c.done for c in per_year[year]),
            late=sum(c.late for c in per_year[year]),
        )
        for year in years
    ]
    overall = weighted_mean(_progress(task, grouped.get(task.pk, []), today) for task in tasks)
    return Timeline(years=years, targets=targets, rows=rows, totals=totals, overall=overall)


def task_completion_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The unit's plan tasks of ``year`` as a percentage: the mean of each task's progress (its
    occurrences' percentages; cancelled ones left out), weighted by task weight. None without any."""
    plan = plan_for_year(unit, year)
    if plan is None:
        return None
    rows = [row for row in task_progress(plan, year=year) if row.percent is not None]
    percent = weighted_mean(rows)
    if percent is None:
        return None
    counted = sum(r.counted for r in rows)
    done = sum(r.done for r in rows)
    return MeasuredFigure(
        percent=percent.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        label=f"Tiến độ thực hiện {len(rows)} nhiệm vụ của kế hoạch năm {year} ({done}/{counted} hạn đã hoàn thành)",
        numerator=done,
        denominator=counted,
        as_of=local_today(),
        reference=reverse("plans:plan_detail", kwargs={"slug": unit.slug, "pk": plan.pk}),
    )


@dataclass(frozen=True)
class OverdueDue:
    """A deadline of the year passed without the task being done (reports' "tồn tại, hạn chế")."""

    task: Task
    due: dt.date
    days_overdue: int
    percent: int


def overdue_dues(*, unit: Unit, year: int, today: dt.date | None = None) -> list[OverdueDue]:
    """The year's deadlines of the unit's plan that are late on ``today`` (the same test as the progress
    figures' ``late``), oldest first."""
    plan = plan_for_year(unit, year)
    if plan is None:
        return []
    today = today or local_today()
    tasks = plan_tasks(plan)
    grouped = _occurrences_by_task(tasks)
    late = [
        OverdueDue(task, o.due, (today - o.due).days, o.percent)
        for task in tasks
        for o in grouped.get(task.pk, [])
        if o.year == year and o.counts and o.is_late(today)
    ]
    return sorted(late, key=lambda d: (d.due, natural_key(d.task.number)))


@dataclass(frozen=True)
class LeadProgress:
    """The deadlines of the tasks one body leads, over some years."""

    lead: str
    tasks: int
    counted: int
    done: int
    late: int


def lead_body_progress(
    *, unit: Unit, years: Sequence[int], today: dt.date | None = None
) -> list[LeadProgress]:
    """Per lead body (as the appendix names it), over ``years``: tasks, deadlines counted, done, late —
    the sums of :func:`task_progress` of each year's plan, in the order the bodies first lead a task."""
    rows: dict[str, dict[str, Any]] = {}
    for year in years:
        plan = plan_for_year(unit, year)
        if plan is None:
            continue
        for progress in task_progress(plan, year=year, today=today):
            lead = progress.task.lead_label or ""
            row = rows.setdefault(lead, {"tasks": set(), "counted": 0, "done": 0, "late": 0})
            if progress.counted:
                row["tasks"].add(progress.task.number)
            row["counted"] += progress.counted
            row["done"] += progress.done
            row["late"] += progress.late
    return [
        LeadProgress(lead, len(r["tasks"]), r["counted"], r["done"], r["late"])
        for lead, r in rows.items()
        if r["counted"]
    ]


def event_task_progress(*, unit: Unit, year: int, kind: str) -> list[TaskProgress]:
    """Progress in ``year`` of the plan's tasks that the cycle event ``kind`` completes (e.g. the reward
    task, completed by the reward decision)."""
    plan = plan_for_year(unit, year)
    if plan is None:
        return []
    return [row for row in task_progress(plan, year=year) if kind in (row.task.event_kinds or [])]


def default_year(plan: Plan, today: dt.date | None = None) -> int:
    year = (today or local_today()).year
    years = plan.years
    return min(max(year, years[0]), years[-1])


# ---------------------------------------------------------------------------------------------- lists


def unit_occurrences(unit: Unit) -> QuerySet[Occurrence]:
    """Occurrences of the unit's current plans' followed tasks."""
    return Occurrence.objects.filter(
        unit=unit, task__plan__is_current=True, task__is_active=True
    ).select_related("task__lead_body", "task__plan", "unit")


@dataclass
class OccurrenceFilter:
    plan: Plan | None = None
    task: Task | None = None
    body: Body | None = None  # lead body
    status: str = ""  # a Status value, or "late" / "open"
    year: int | None = None
    query: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    include_orphaned: bool = False


def filter_occurrences(
    unit: Unit, spec: OccurrenceFilter, *, today: dt.date | None = None
) -> list[Occurrence]:
    today = today or local_today()
    items = unit_occurrences(unit)
    if spec.plan is not None:
        items = items.filter(task__plan=spec.plan)
    if spec.task is not None:
        items = items.filter(task=spec.task)
    if spec.body is not None:
        items = items.filter(task__lead_body=spec.body)
    if spec.year is not None:
        items = items.filter(year=spec.year)
    if spec.due_from is not None:
        items = items.filter(due__gte=spec.due_from)
    if spec.due_to is not None:
        items = items.filter(due__lte=spec.due_to)
    if not spec.include_orphaned:
        items = items.filter(orphaned=False)
    if spec.status == "late":
        items = items.filter(due__lt=today).exclude(status__in=Occurrence.CLOSED)
    elif spec.status == "open":
        items = items.exclude(status__in=Occurrence.CLOSED)
    elif spec.status:
        items = items.filter(status=spec.status)
    result = list(items.order_by("due", "task__position", "pk"))
    if spec.query:
        wanted = normalize_vi(spec.query)
        result = [
            o
            for o in result
            if wanted in normalize_vi(f"{o.task.number} {o.task.text} {o.task.lead_label} {o.note}")
        ]
    return result


def late_occurrences(unit: Unit, *, today: dt.date | None = None) -> list[Occurrence]:
    return filter_occurrences(unit, OccurrenceFilter(status="late"), today=today)


def due_soon(unit: Unit, *, days: int = 30, today: dt.date | None = None) -> list[Occurrence]:
    """Open occurrences due from today to today + ``days``."""
    today = today or local_today()
    return filter_occurrences(
        unit,
        OccurrenceFilter(status="open", due_from=today, due_to=today + dt.timedelta(days=days)),
        today=today,
    )


def search_tasks(tasks: Iterable[Task], query: str) -> list[Task]:
    wanted = normalize_vi(query)
    if not wanted:
        return list(tasks)
    return [
        t
        for t in tasks
        if wanted
        in normalize_vi(f"{t.number} {t.text} {t.lead_label} {' '.join(t.coordinator_texts)} {t.time_phrase}")
        or any(wanted in normalize_vi(b.name) for b in t.coordinators.all())
    ]


def own_bodies(user: Actor, unit: Unit) -> list[Body]:
    """The bodies a person belongs to (their grants on a body), for "my body's work"."""
    ids = set(
        RoleGrant.objects.filter(user=user, unit=unit, is_active=True, body__isnull=False).values_list(
            "body_id", flat=True
        )
    )
    return list(Body.objects.filter(pk__in=ids))


@dataclass
class MyWork:
    bodies: list[Body]
    leading: list[Occurrence]
    coordinating: list[Occurrence]


def my_work(user: Actor, unit: Unit, *, year: int | None = None, today: dt.date | None = None) -> MyWork:
    """Open work of the person's bodies: what they lead, and what they coordinate (due within 60 days or late)."""
    today = today or local_today()
    bodies = own_bodies(user, unit)
    items = unit_occurrences(unit).filter(orphaned=False)
    if year is not None:
        items = items.filter(year=year)
    leading = list(
        items.filter(task__lead_body__in=bodies)
        .exclude(status__in=Occurrence.CLOSED)
        .order_by("due", "task__position")
    )
    coordinating = list(
        items.filter(task__coordinators__in=bodies, due__lte=today + dt.timedelta(days=60))
        .exclude(task__lead_body__in=bodies)
        .exclude(status__in=Occurrence.CLOSED)
        .distinct()
        .order_by("due", "task__position")
    )
    return MyWork(bodies=bodies, leading=leading, coordinating=coordinating)


def occurrence_detail(occurrence: Occurrence) -> dict[str, Any]:
    links = list(
        OccurrenceEvidence.objects.filter(occurrence=occurrence)
        .select_related("evidence", "added_by")
        .order_by("added_at")
    )
    contributions = list(occurrence.contributions.select_related("body", "evidence", "created_by"))
    return {"evidence": links, "contributions": contributions}


def task_occurrences(task: Task) -> list[Occurrence]:
    return list(task.occurrences.order_by("due", "pk"))


@dataclass
class Month:
    year: int
    month: int
    items: list[Occurrence]

    @property
    def label(self) -> str:
        return _("Tháng %(m)s/%(y)s") % {"m": self.month, "y": self.year}


def calendar_months(
    plan: Plan, year: int, *, body: Body | None = None, today: dt.date | None = None
) -> list[Month]:
    """The year's deadlines month by month (by due date; a "before 02/01" deadline may fall the year before)."""
    items = Occurrence.objects.filter(
        task__plan=plan, task__is_active=True, year=year, orphaned=False
    ).select_related("task__lead_body", "unit")
    if body is not None:
        items = items.filter(Q(task__lead_body=body) | Q(task__coordinators=body)).distinct()
    by_month: dict[tuple[int, int], list[Occurrence]] = defaultdict(list)
    for occurrence in items.order_by("due", "task__position"):
        by_month[(occurrence.due.year, occurrence.due.month)].append(occurrence)
    keys = sorted(set(by_month) | {(year, m) for m in range(1, 13)})
    return [Month(y, m, by_month.get((y, m), [])) for y, m in keys]


def obstacles_for_unit(unit: Unit, *, status: str = "", query: str = "") -> list[Obstacle]:
    items = Obstacle.objects.filter(unit=unit).select_related(
        "reported_by_body", "task", "reported_by", "answered_by"
    )
    if status:
        items = items.filter(status=status)
    result = list(items)
    if query:
        wanted = normalize_vi(query)
        result = [
            o for o in result if wanted in normalize_vi(f"{o.text} {o.reported_by_body.name} {o.answer}")
        ]
    return result


# ---------------------------------------------------------------------------------------------- appendix preview


@dataclass
class CoordinatorMatch:
    name: str
    body: Body | None  # the whole name is this body
    parts: list[Body] = field(default_factory=list)  # bodies named inside an unmatched phrase


@dataclass
class PreviewTask:
    parsed: ParsedTask
    lead_body: Body | None
    coordinators: list[CoordinatorMatch]
    first_year_dues: list[dt.date]
    next_due: dt.date | None
    existing: Task | None

    @property
    def schedule_label(self) -> str:
        return describe_schedule(self.parsed.schedule)

    @property
    def proposed_events(self) -> list[str]:
        """The events that will show it done (kept as staff set them for a task already bound by hand)."""
        if self.existing is not None and self.existing.binding_edited:
            kinds = list(self.existing.event_kinds)
        else:
            lead = f"{self.parsed.lead} {self.lead_body.name if self.lead_body else ''}"
            kinds = list(ev.propose_event_kinds(self.parsed.text, lead))
        names = dict(EventKind.choices)
        return [str(names.get(kind, kind)) for kind in kinds]

    @property
    def unmatched(self) -> list[str]:
        names = [c.name for c in self.coordinators if c.body is None]
        if self.parsed.lead and self.lead_body is None:
            names.insert(0, self.parsed.lead)
        return names

    def to_json(self) -> dict[str, Any]:
        data = self.parsed.to_json()
        data["lead_body"] = _body_json(self.lead_body)
        data["coordinator_matches"] = [
            {"name": c.name, "body": _body_json(c.body)} for c in self.coordinators
        ]
        data["schedule_label"] = self.schedule_label
        data["first_year_dues"] = [d.isoformat() for d in self.first_year_dues]
        data["next_due"] = self.next_due.isoformat() if self.next_due else None
        data["existing_task_id"] = self.existing.pk if self.existing else None
        data["proposed_events"] = self.proposed_events
        return data


def _body_json(body: Body | None) -> dict[str, Any] | None:
    return {"id": body.pk, "code": body.code, "name": body.name} if body is not None else None


@dataclass
class AppendixPreview:
    tasks: list[PreviewTask]
    problems: list[str]  # block saving (missing/duplicate STT)
    retired: list[Task] = field(default_factory=list)  # tasks of the plan no longer in the appendix
    first_year: int = 0
    # typing slips of the pasted text, offered as corrections (applied only when accepted on saving)
    slips: list[Slip] = field(default_factory=list)

    @property
    def can_save(self) -> bool:
        return bool(self.tasks) and not self.problems

    @property
    def flag_count(self) -> int:
        return sum(len(t.parsed.flags) for t in self.tasks)

    @property
    def unmatched_count(self) -> int:
        return sum(len(t.unmatched) for t in self.tasks)

    @property
    def unmatched_names(self) -> list[str]:
        """Each name no body answers to, once (the preview offers to map it to one of the unit's bodies)."""
        names: dict[str, None] = {}
        for task in self.tasks:
            for name in task.unmatched:
                if name.strip():
                    names.setdefault(name.strip(), None)
        return list(names)


def preview_appendix(
    *, plan: Plan, text: str, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> AppendixPreview:
    """What the import would save, without saving anything: tasks with their schedules, the deadlines of
    the plan's first year and the next one from today, body matches and the names not recognised."""
    today = today or local_today()
    calendar = calendar or working_calendar()
    parsed = parse_for_unit(plan.unit, text)
    match = body_matcher(plan.unit)
    existing: dict[str, Task] = {}
    for task in plan.tasks.order_by("-is_active", "id"):
        existing.setdefault(task.number, task)
    last_year = max(plan.end_year, today.year + 1) if plan.open_ended else plan.end_year
    rows = []
    for item in parsed:
        dates = occurrences(item.schedule, plan.start_year, last_year, calendar)
        upcoming = [o.due for o in dates if o.due >= today]
        rows.append(
            PreviewTask(
                parsed=item,
                lead_body=match(item.lead) if item.lead else None,
                coordinators=[
                    CoordinatorMatch(
                        name, match(name), bodies_named_in(name, match) if match(name) is None else []
                    )
                    for name in item.coordinators
                ],
                first_year_dues=[o.due for o in dates if o.year == plan.start_year],
                next_due=min(upcoming) if upcoming else None,
                existing=existing.get(item.number),
            )
        )
    problems = check_numbers(parsed)
    if not parsed and text.strip():
        problems = [
            _(
                "Không tìm thấy nhiệm vụ nào: cần bảng các cột STT, Nhiệm vụ cụ thể, Thời gian thực hiện, "
                "Cơ quan chủ trì, Cơ quan phối hợp, phân cách bằng tab (dán trực tiếp từ Word/Excel)."
            )
        ]
    numbers = {t.number for t in parsed}
    retired = [t for n, t in existing.items() if n not in numbers and t.is_active]
    return AppendixPreview(
        tasks=rows, problems=problems, retired=retired, first_year=plan.start_year, slips=find_slips(text)
    )


# ---------------------------------------------------------------------------------------------- home panel


def home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    """This year's target level, deadlines of the next 30 days, late items; a first step when no plan."""
    if unit.is_city:
        return None
    today = local_today()
    plan = plan_for_year(unit, today.year) or current_plans(unit).first()
    target = target_for(plan, today.year) if plan is not None else None
    soon = due_soon(unit, today=today) if plan is not None else []
    late = late_occurrences(unit, today=today) if plan is not None else []
    context = {
        "unit": unit,
        "plan": plan,
        "year": today.year,
        "target": target,
        "soon": soon[:5],
        "soon_count": len(soon),
        "late": late[:5],
        "late_count": len(late),
        "today": today,
        "can_coordinate": access.can(request.user, Capability.COORDINATE, unit),
        "has_tasks": plan is not None and plan.tasks.exists(),
    }
    return Panel("plans/panel_home.html", context, order=10)


def year_dues(plan: Plan, year: int) -> dict[int, list[Occurrence]]:
    """Each task's occurrences of ``year`` (orphaned left out), by task id."""
    grouped: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in Occurrence.objects.filter(task__plan=plan, year=year, orphaned=False).order_by(
        "due", "pk"
    ):
        grouped[occurrence.task_id].append(occurrence)
    return grouped


def progress_of_task(task: Task, *, year: int | None = None, today: dt.date | None = None) -> TaskProgress:
    items = [o for o in task.occurrences.order_by("due", "pk") if year is None or o.year == year]
    return _progress(task, items, today or local_today())


TASK_SHEET_HEADER = [
    "STT",
    "Mục",
    "Nhiệm vụ cụ thể",
    "Thời gian thực hiện",
    "Lịch (đọc được)",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Trọng số",
]


def task_sheet(plan: Plan, year: int, *, today: dt.date | None = None) -> SheetSpec:
    """The task list as an Excel sheet: the appendix columns, then one row per deadline of the year (a
    task due four times has four rows; its own cells are merged down over them), each deadline a real
    date with its period, status and progress; the task's progress over the year and its flags."""
    today = today or local_today()
    progress = {row.task.pk: row for row in task_progress(plan, year=year, today=today)}
    dues = year_dues(plan, year)
    header = [
        *TASK_SHEET_HEADER,
        "Kỳ",
        f"Hạn năm {year}",
        "Tình trạng",
        "Tiến độ của kỳ (%)",
        f"Tiến độ năm {year} (%)",
        "Số hạn quá hạn",
        "Cần xem lại",
    ]
    per_task = [
        *range(len(TASK_SHEET_HEADER)),
        len(TASK_SHEET_HEADER) + 4,
        len(TASK_SHEET_HEADER) + 5,
        len(TASK_SHEET_HEADER) + 6,
    ]
    rows: list[list[Any]] = []
    for task in plan_tasks(plan):
        row = progress.get(task.pk)
        percent = (
            row.percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if row and row.percent is not None
            else None
        )
        own = [
            task.number,
            task.section,
            task.text,
            task.time_phrase,
            task.get_schedule().describe(),
            task.lead_label,
            "; ".join(task_coordinator_names(task)),
            float(task.weight),
        ]
        tail = [
            float(percent) if percent is not None else None,
            row.late if row else 0,
            "; ".join(task.flags),
        ]
        occurrences = dues.get(task.pk, [])
        if not occurrences:
            rows.append([*own, None, None, None, None, *tail])
        for occurrence in occurrences:
            overdue = occurrence.due < today and occurrence.status not in Occurrence.CLOSED
            status = "Quá hạn" if overdue else str(occurrence.get_status_display())
            rows.append([*own, occurrence.period_label_vi, occurrence.due, status, occurrence.percent, *tail])
    widths = dict(enumerate([5, 10, 45, 14, 14, 16, 24, 7, 11, 11, 12, 9, 9, 8, 14]))
    return SheetSpec(
        name="Nhiệm vụ", header=header, rows=rows, numbered=False, group_key=0, merge=per_task, widths=widths
    )


def task_coordinator_names(task: Task) -> list[str]:
    """The "Cơ quan phối hợp" of a task, each body once: the appendix's phrases not recognised as one
    body are kept whole; a linked body is named only when no such phrase already names it; a name
    repeated (compared without case and diacritics) is given once."""
    bodies = list(task.coordinators.all())
    texts = [t.strip() for t in (task.coordinator_texts or []) if t.strip()]
    covered: set[int] = set()
    if texts:
        match = body_matcher(task.plan.unit)
        for text in texts:
            covered.update(b.pk for b in bodies_named_in(text, match))
    names: list[str] = []
    seen: set[str] = set()
    for name in [b.name for b in bodies if b.pk not in covered] + texts:
        key = normalize_vi(name)
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


# ---------------------------------------------------------------------------------------------- cycle events


@dataclass
class ActivityLine:
    kind: str
    label: str
    count: int
    target: int

    @property
    def reached(self) -> bool:
        return self.count >= self.target


@dataclass
class TaskEvents:
    """A bound task's events of one year: what shows it done, what happened, how far it is."""

    task: Task
    year: int
    events: list[CycleEvent]  # the year's one-off events (and the evidence of them), oldest first
    activities: list[ActivityLine]
    state: ev.BindingState

    @property
    def labels(self) -> list[str]:
        return self.task.event_labels

    @property
    def missing_labels(self) -> list[str]:
        names = dict(EventKind.choices)
        return [str(names.get(kind, kind)) for kind in self.state.missing]


def _kinds_of(task: Task) -> set[str]:
    bound = set(task.event_kinds or [])
    return bound | {kind for kind, target in ev.EVIDENCE_FOR.items() if target in bound}


def task_events(plan: Plan, year: int, tasks: Sequence[Task] | None = None) -> dict[int, TaskEvents]:
    """For each task of the plan bound to events: the year's events and progress (one query)."""
    tasks = [t for t in (tasks if tasks is not None else plan_tasks(plan)) if t.event_kinds]
    if not tasks:
        return {}
    wanted = set().union(*(_kinds_of(t) for t in tasks))
    events = list(CycleEvent.objects.filter(unit_id=plan.unit_id, year=year, kind__in=wanted))
    names = dict(EventKind.choices)
    result = {}
    for task in tasks:
        kinds = _kinds_of(task)
        mine = [e for e in events if e.kind in kinds]
        counts: dict[str, int] = defaultdict(int)
        for event in mine:
            counts[event.kind] += 1
        result[task.pk] = TaskEvents(
            task=task,
            year=year,
            events=sorted(
                (e for e in mine if e.kind not in ev.ACTIVITY_KINDS), key=lambda e: (e.happened_on, e.pk)
            ),
            activities=[
                ActivityLine(kind, str(names.get(kind, kind)), counts[kind], task.yearly_count)
                for kind in task.event_kinds
                if kind in ev.ACTIVITY_KINDS
            ],
            state=ev.binding_state(task.event_kinds, counts, task.yearly_count),
        )
    return result


def occurrence_events(occurrence: Occurrence) -> TaskEvents | None:
    return task_events(occurrence.task.plan, occurrence.year, [occurrence.task]).get(occurrence.task_id)


def bindable_kinds() -> list[tuple[str, str]]:
    names = dict(EventKind.choices)
    return [(kind, str(names[kind])) for kind in ev.BINDABLE]
