"""The demo's other Hải Phòng units (the "light" ones, about a hundred): this year's cycle where a real city's
units would be on today's date. Each unit registers its level by the deadline (the services), scores through
the year, submits on a working day of the last two weeks before the deadline (a handful late, or still
scoring), is appraised by the city (a few criteria adjusted) and, where the level reached meets the registered
one, recognised in the city's decision — each step only once the calendar has reached its day.

Registrations go through the services (108 calls stay quick). The rest is written in bulk, as the services
would write it, so that ``friendlygov setup`` stays quick: the score entries (measured criteria with the
unit's own figure and the reason, since the system holds none of their records), the cycle's status, dates,
the totals kept at submission and appraisal (:attr:`Cycle.summary`, ``submitted_result``, ``final_result``,
computed by the selectors from the rows), the city's adjustments, the recognitions, the plan's events and the
reviewers' notifications (read). Audit rows are not written for this bulk data.

Everything is deterministic: the values come from the unit's position in the list, no randomness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import AppraisalItem, Cycle, Recognition, Registration, ScoreEntry
from friendlygov.assessments.sources import measured_value, source_label
from friendlygov.core.calendar import working_calendar
from friendlygov.org.access import Actor
from friendlygov.rules.programme import PILOT_YEAR, YearEvents, year_events
from friendlygov.rules.scoring import CriteriaSet, Criterion, assess_total, result_to_json

__all__ = ["light_units"]

# Positions (in the light units' list) of the units that do not keep to the deadline: two send their
# self-assessment late (working days after the deadline), two are still scoring.
LATE_SUBMITTED = {17: 3, 58: 8}
STILL_SCORING = (33, 91)

# The unit's own figure of each criterion, best first; a unit steps down these ladders (criterion by
# criterion, in its own order) until its total reaches the one it is given. Ratios are of the unit's own
# counts (see :func:`_ratio`); checklists are the number of items met.
_RATIOS = {
    "1.1.1": (1.0, 0.995, 0.985, 0.97, 0.95),
    "1.1.2": (0.62, 0.5, 0.45, 0.4, 0.35),
    "1.1.3": (0.9, 0.8, 0.74, 0.68, 0.6),
    "2.2": (1.0, 23 / 24, 22 / 24, 21 / 24),
    "5.2": (1.0, 0.9, 0.8, 0.7),
    "5.3": (1.0, 0.96, 0.92, 0.88),
}
_TEXTS = {
    "1.2": ("91,4%", "88,7%", "86,2%", "83,5%", "80,1%"),
    "3.2": ("93,1%", "90,4%", "88,2%", "86,5%"),
    "2.4": ("4", "3,5", "3"),
    "4.3": ("8", "7,5", "7", "6,5", "6"),
}
_CHECKLISTS = {"2.1": 2, "2.3": 2, "3.1": 4, "4.1": 2, "4.2": 2, "5.1": 2}  # rungs below full
_DENOMINATOR = {"1.1.1": 400, "1.1.2": 400, "1.1.3": 400, "2.2": 24, "5.2": 6, "5.3": 20}

OVERRIDE_REASON = "Số liệu do xã tổng hợp từ sổ sách, báo cáo của năm; hồ sơ của xã chưa nhập vào hệ thống."
PAR_REASON = "Chỉ số CCHC năm {last} thành phố đã công bố; chỉ số năm {year} chưa công bố."
ADJUST_REASON = {
    "4.3": "Kiểm tra thực tế: khuôn viên trụ sở chưa chỉnh trang đầy đủ như báo cáo.",
    "2.4": "Còn ý kiến cử tri về thời gian tiếp dân chưa thuận tiện.",
}


@dataclass
class _Plan:
    """One unit's year: its values, in the order it scores them, and the days of its steps."""

    index: int
    cycle: Cycle
    target: str
    values: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    submit_day: dt.date | None = None
    appraise_day: dt.date | None = None
    adjust: tuple[str, str] | None = None  # (criterion, appraised value)


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    """``day`` at ``hour``, never after now."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def _ratio(code: str, index: int, share: float) -> str:
    step = {"5.2": 9, "2.2": 1}.get(code, 40 if code == "5.3" else 900)
    base = _DENOMINATOR[code]
    total = base if code == "2.2" else base + (index * 53) % step
    return f"{round(total * share)}/{total}"


def _ladder(cs: CriteriaSet, code: str, index: int) -> list[tuple[str, list[int]]]:
    """The rungs of a criterion for unit ``index`` (a single rung: always met)."""
    if code in _RATIOS:
        return [(_ratio(code, index, share), []) for share in _RATIOS[code]]
    if code in _TEXTS:
        return [(text, []) for text in _TEXTS[code]]
    node = crit.node_for(cs, code)
    if code in _CHECKLISTS and isinstance(node, Criterion):
        count = len(node.items or [])
        rungs = []
        for missing in range(_CHECKLISTS[code] + 1):
            left_out = {(index + k * 3) % count for k in range(missing)}
            ticks = [i for i in range(count) if i not in left_out]
            rungs.append((str(len(ticks)), ticks))
        return rungs
    if code == "B":
        return [("2" if index % 5 == 0 else "1" if index % 7 == 0 else "0", [])]
    return [("có", [])]  # the yes/no criteria and the condition


def _target_total(index: int, target: str) -> Decimal:
    """The total a unit reaches, near the level it registered: a unit registered at level 2 reaches 85,5 to
    92,9 points (level 2 or 3), one at level 3 reaches 90,2 to 98,4 (level 3 or 4) but one in nine falls
    short (level 2), one at level 4 reaches 95,2 to 98,9. The same for the same position."""
    if target == "2":
        return Decimal(855 + (index * 37) % 75) / 10
    if target == "4":
        return Decimal(952 + (index * 37) % 38) / 10
    if index % 9 == 4:
        return Decimal(865 + index % 30) / 10
    return Decimal(902 + (index * 37) % 83) / 10


def _values_for(cs: CriteriaSet, index: int, target: str) -> dict[str, tuple[str, list[int]]]:
    """Step down the ladders, criterion by criterion in the unit's own order, to the unit's total."""
    codes = crit.scorable_codes(cs)
    nodes = {code: node for code in codes if (node := crit.node_for(cs, code)) is not None}
    ladders = {code: _ladder(cs, code, index) for code in codes}
    rung = dict.fromkeys(codes, 0)
    wanted = _target_total(index, target)

    def total() -> Decimal:
        values = {c: crit.safe_value(nodes[c], ladders[c][rung[c]][0]) for c in nodes}
        return assess_total(cs, values)[0]

    steppable = [c for c in codes if len(ladders[c]) > 1]
    turn = index % len(steppable)
    while total() > wanted:
        movable = [c for c in steppable if rung[c] < len(ladders[c]) - 1]
        if not movable:
            break
        code = movable[turn % len(movable)]
        rung[code] += 1
        turn += 5
    return {code: ladders[code][rung[code]] for code in codes}


def _days(plan: _Plan, events: YearEvents) -> None:
    """The days the unit submits (None: still scoring) and the city appraises it."""
    calendar = working_calendar()
    deadline = calendar.last_working_day_on_or_before(events.submission_due)
    index = plan.index
    if index in STILL_SCORING:
        return
    if index in LATE_SUBMITTED:
        plan.submit_day = calendar.add_working_days(deadline, LATE_SUBMITTED[index])
        plan.appraise_day = calendar.add_working_days(plan.submit_day, 6)
        return
    plan.submit_day = calendar.add_working_days(deadline, -((index * 7) % 10))
    plan.appraise_day = min(calendar.add_working_days(plan.submit_day, 8 + index % 7), events.appraised)


def _order(codes: list[str], index: int) -> list[str]:
    start = (index * 5) % len(codes)
    return codes[start:] + codes[:start]


def _scored_count(plan: _Plan, events: YearEvents, today: dt.date) -> int:
    """How many criteria the unit has scored by today: in proportion to the time to its submission."""
    count = len(plan.order)
    if plan.submit_day is not None and today >= plan.submit_day:
        return count
    aim = plan.submit_day or events.submission_due + dt.timedelta(days=40)
    span = max((aim - events.accepted).days, 1)
    done = max(0, (today - events.accepted).days)
    scored = min(count - 1, round(count * done / span))
    if plan.submit_day is None:  # still scoring: a few criteria are left
        scored = min(scored, count - 3)
    return max(scored, 1)


def light_units(context: Any, hp: Any, year: int, joined: Sequence[tuple[Cycle, str]] = ()) -> None:
    """The rest of the city's units: this year's cycle with the level registered and accepted by the
    registration deadline (15/02), then as far as the calendar has come. ``joined``: cycles of other units
    (with their registered level) registered already, that follow the year from here like these."""
    reviewer, admin = context.users["sonoivu"], context.users["admin"]
    events = year_events(year)
    today = timezone.localdate()
    registered = today >= events.accepted
    light = list(context.extra.get("light_units", []))
    cycles = []
    for index, unit in enumerate(light):
        cycle = services.open_cycle(actor=reviewer, unit=unit, year=year, criteria_set=hp)
        cycles.append(cycle)
        if registered:
            services.register_target(actor=admin, cycle=cycle, target_level="3" if index % 3 else "2")
            services.decide_registration(
                actor=reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
            )
    if not registered:
        return
    Registration.objects.filter(cycle__unit__in=light, cycle__year=year).update(
        registered_at=_aware(events.registered), decided_at=_aware(events.accepted)
    )
    # the reviewer read those registrations in February, not today
    from friendlygov.notifications.models import Notification

    Notification.objects.filter(unit__in=light).update(
        created_at=_aware(events.registered), read_at=_aware(events.accepted)
    )
    targets = {c.pk: "3" if index % 3 else "2" for index, c in enumerate(cycles)}
    targets.update({c.pk: level for c, level in joined})
    order = [c.pk for c in cycles] + [c.pk for c, _level in joined]
    cycles = list(Cycle.objects.filter(pk__in=order).select_related("unit", "criteria_set"))
    cycles.sort(key=lambda c: order.index(c.pk))
    cs = crit.parsed(hp)
    codes = crit.scorable_codes(cs)
    plans = []
    for index, cycle in enumerate(cycles):
        target = targets[cycle.pk]
        plan = _Plan(index, cycle, target, _values_for(cs, index, target), _order(codes, index))
        _days(plan, events)
        plans.append(plan)
    _write_scores(plans, cs, admin, events, today)
    submitted = [p for p in plans if p.submit_day is not None and p.submit_day <= today]
    _submit(submitted, context, admin, year)
    appraised = [p for p in submitted if p.appraise_day is not None and p.appraise_day <= today]
    _appraise(appraised, reviewer)
    if today >= events.recognised:
        _recognise(appraised, reviewer, events)


def _write_scores(
    plans: list[_Plan], cs: CriteriaSet, actor: Actor, events: YearEvents, today: dt.date
) -> None:
    """The entries of the criteria each unit has scored by today, as ``save_score`` and ``override_measured``
    write them (a measured criterion without records in the system: the unit's own figure, with the reason)."""
    rows = []
    existing = set(
        ScoreEntry.objects.filter(cycle__in=[p.cycle for p in plans]).values_list(
            "cycle_id", "criterion_code"
        )
    )
    for plan in plans:
        count = _scored_count(plan, events, today)
        for code in plan.order[:count]:
            if (plan.cycle.pk, code) in existing:
                continue  # scored through the services already (Gia Lộc's scorer)
            text, ticks = plan.values[code]
            node = crit.node_for(cs, code)
            row = ScoreEntry(
                unit=plan.cycle.unit,
                cycle=plan.cycle,
                criterion_code=code,
                value=text,
                ticked=ticks,
                entered_by=actor,
            )
            if isinstance(node, Criterion) and node.source:
                reason = (
                    PAR_REASON.format(last=events.year - 1, year=events.year)
                    if code == "1.2"
                    else OVERRIDE_REASON
                )
                row.source_label = source_label(node.source)[:300]
                row.override_reason = reason
                row.measured_at = _aware(min(today, plan.submit_day or today), 8)
            rows.append(row)
    ScoreEntry.objects.bulk_create(rows, batch_size=500)
    _check_sources(plans, cs)


def _check_sources(plans: list[_Plan], cs: CriteriaSet) -> None:
    """The light units have no records in the system; should one have a measured figure, its entry keeps it
    beside the unit's value (as ``override_measured`` does)."""
    scores = selectors.load_cycles_scores(p.cycle for p in plans)
    for plan in plans:
        for code, reading in scores[plan.cycle.pk].sources.items():
            leaf = crit.node_for(cs, code)
            if reading.figure is None or not isinstance(leaf, Criterion):
                continue
            text, ticks = measured_value(leaf, reading.figure)
            ScoreEntry.objects.filter(cycle=plan.cycle, criterion_code=code).update(
                measured_value=text, measured_ticked=ticks, measured_as_of=reading.figure.as_of
            )


def _submit(plans: list[_Plan], context: Any, actor: Actor, year: int) -> None:
    """What ``submit_cycle`` writes: the status and date, the totals kept, the plan's event and the
    reviewers' notice (read the next working day)."""
    from friendlygov.notifications.models import Notification
    from friendlygov.org.access import users_with_roles
    from friendlygov.org.models import Role
    from friendlygov.plans import services as plan_services

    if not plans:
        return
    calendar = working_calendar()
    for plan in plans:
        assert plan.submit_day is not None
        Cycle.objects.filter(pk=plan.cycle.pk).update(
            status=Cycle.Status.SUBMITTED,
            submitted_at=_aware(plan.submit_day, 10),
            submitted_by=actor,
            version=F("version") + 1,
        )
    cycles = Cycle.objects.filter(pk__in=[p.cycle.pk for p in plans]).select_related("unit", "criteria_set")
    data = selectors.load_cycles_data(cycles)
    for cycle in cycles:
        Cycle.objects.filter(pk=cycle.pk).update(
            submitted_result=result_to_json(data[cycle.pk].result("consolidated")),
            summary=selectors.submission_summary(data[cycle.pk]),
        )
    reviewers = list(users_with_roles(context.city, [Role.CITY_REVIEWER]))
    notices = []
    for plan in plans:
        cycle = plan.cycle
        assert plan.submit_day is not None
        link = reverse("assessments:cycle_detail", kwargs={"slug": cycle.unit.slug, "year": year})
        plan_services.record_cycle_event(
            actor=actor,
            unit=cycle.unit,
            year=year,
            kind=plan_services.EventKind.SELF_ASSESSMENT_SUBMITTED,
            happened_on=plan.submit_day,
            source=f"assessments.cycle:{cycle.pk}",
            label=f"Nộp bản tự đánh giá, chấm điểm năm {year}",
            url=link,
        )
        for user in reviewers:
            notices.append(
                Notification(
                    user=user,
                    unit=cycle.unit,
                    title=f"{cycle.unit.full_name} đã nộp bản tự đánh giá năm {year}"[:300],
                    url=link,
                    dedupe_key=f"assessments:submitted:{cycle.pk}:{cycle.version + 1}:{user.pk}",
                )
            )
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    for plan in plans:
        assert plan.submit_day is not None
        Notification.objects.filter(dedupe_key__startswith=f"assessments:submitted:{plan.cycle.pk}:").update(
            created_at=_aware(plan.submit_day, 10),
            read_at=_aware(calendar.add_working_days(plan.submit_day, 1), 8),
        )


def _appraise(plans: list[_Plan], reviewer: Any) -> None:
    """What ``appraise_criterion`` and ``finish_appraisal`` write: one criterion adjusted for one unit in
    six (half a point to a point below the unit's value, with the reason), the appraised totals kept."""
    if not plans:
        return
    items = []
    for plan in plans:
        if plan.index % 6 != 1:
            continue
        code = "4.3" if plan.index % 12 == 1 else "2.4"
        own = Decimal(plan.values[code][0].replace(",", "."))
        lower = own - (Decimal("1") if code == "4.3" else Decimal("0.5"))
        items.append(
            AppraisalItem(
                unit=plan.cycle.unit,
                cycle=plan.cycle,
                criterion_code=code,
                decision=AppraisalItem.Decision.ADJUST,
                value=f"{lower.normalize():f}".replace(".", ","),
                reason=ADJUST_REASON[code],
                appraised_by=reviewer,
            )
        )
    AppraisalItem.objects.bulk_create(items)
    for plan in plans:
        assert plan.appraise_day is not None
        Cycle.objects.filter(pk=plan.cycle.pk).update(
            status=Cycle.Status.APPRAISED,
            appraised_at=_aware(plan.appraise_day, 16),
            appraised_by=reviewer,
            version=F("version") + 1,
        )
        AppraisalItem.objects.filter(cycle=plan.cycle).update(appraised_at=_aware(plan.appraise_day, 15))
    cycles = Cycle.objects.filter(pk__in=[p.cycle.pk for p in plans]).select_related("unit", "criteria_set")
    data = selectors.load_cycles_data(cycles)
    for cycle in cycles:
        result = data[cycle.pk].result("appraised")
        Cycle.objects.filter(pk=cycle.pk).update(
            final_result=result_to_json(result),
            summary={**cycle.summary, "appraised": selectors.summary_total(result)},
        )


def _recognise(plans: list[_Plan], reviewer: Any, events: YearEvents) -> None:
    """What ``recognise`` writes, for the units whose appraised level meets the registered one: the city's
    one decision of the year (Thanh Miện's), at the level reached."""
    cycles = {
        c.pk: c
        for c in Cycle.objects.filter(pk__in=[p.cycle.pk for p in plans]).select_related("criteria_set")
    }
    rows = []
    for plan in plans:
        cycle = cycles[plan.cycle.pk]
        level = (cycle.final_result.get("level") or {}) if cycle.final_result else {}
        code = level.get("code")
        if not code or int(code) < int(plan.target):
            continue
        rows.append(
            Recognition(
                unit=cycle.unit,
                cycle=cycle,
                decision_number=f"{3120 + 17 * (events.year - PILOT_YEAR)}/QĐ-UBND",
                decision_date=events.recognised,
                signer="Phó Chủ tịch UBND thành phố",
                level_code=code,
                level_name=level.get("name", ""),
                recognised_by=reviewer,
            )
        )
    Recognition.objects.bulk_create(rows)
    recognised = [r.cycle_id for r in rows]
    Recognition.objects.filter(cycle_id__in=recognised).update(recognised_at=_aware(events.recognised, 15))
    Cycle.objects.filter(pk__in=recognised).update(status=Cycle.Status.RECOGNISED, version=F("version") + 1)
