"""Generator step ``plans``: every unit's yearly plans, tasks, occurrences and their evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench.citygen.common import (
    FIRST_YEAR,
    LAST_YEAR,
    WIDE_BATCH,
    Context,
    _chunks,
    aware,
    bulk,
    evidence_row,
)


def step_plans(ctx: Context) -> None:
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.plans import demo as plan_demo
    from friendlygov.plans.appendix import bodies_named_in, body_matcher, parse_for_unit
    from friendlygov.plans.models import (
        Contribution,
        Duty,
        Obstacle,
        Occurrence,
        OccurrenceEvidence,
        Plan,
        Task,
        YearTarget,
    )
    from friendlygov.plans.parsing import parse_duties, parse_targets
    from friendlygov.rules.schedule import WorkingCalendar, occurrences

    rng = ctx.rng("plans")
    text = plan_demo.APPENDIX.read_text(encoding="utf-8")
    template = ctx.units[0]
    parsed = parse_for_unit(template.unit, text)
    match = body_matcher(template.unit)

    def code_of(name: str) -> str | None:
        body = match(name) if name else None
        return body.code if body is not None else None

    lead_codes = {t.number: code_of(t.lead) for t in parsed}
    coordinator_codes: dict[str, list[str]] = {}
    coordinator_texts: dict[str, list[str]] = {}
    for parsed_task in parsed:
        codes: list[str] = []
        unmatched = []
        for name in parsed_task.coordinators:
            if match(name) is None:
                unmatched.append(name)
            codes += [b.code for b in bodies_named_in(name, match) if b.code not in codes]
        coordinator_codes[parsed_task.number], coordinator_texts[parsed_task.number] = codes, unmatched
    targets = parse_targets(plan_demo.TARGETS)
    duties = parse_duties(plan_demo.DUTIES)
    duty_codes = {d.body_text: code_of(d.body_text) for d in duties}
    last_year = max(LAST_YEAR, ctx.as_of.year + 1)
    calendar = WorkingCalendar()
    schedule_rows = {t.number: occurrences(t.schedule, FIRST_YEAR, last_year, calendar) for t in parsed}

    plans = []
    for info in ctx.units:
        plans.append(
            Plan(
                unit=info.unit, number=f"{rng.randint(20, 180)}/KH-UBND", issued_on=dt.date(2026, 4, rng.randint(15, 28)),
                title=plan_demo.TITLE.replace("xã Thanh Miện", f"{info.unit.kind_prefix} {info.unit.name}"),
                bases=plan_demo.BASES, purposes=plan_demo.PURPOSES, requirements=plan_demo.REQUIREMENTS,
                budget_sources=plan_demo.BUDGET, start_year=FIRST_YEAR, end_year=LAST_YEAR, open_ended=True,
                appendix_text=text, occurrences_through=last_year, created_by=info.users["vhxh"],
            )
        )  # fmt: skip
    plans = bulk(ctx, Plan, plans)
    bulk(
        ctx,
        YearTarget,
        [
            YearTarget(plan=p, year=t.year, level_code=t.level_code, note=t.note)
            for p in plans
            for t in targets
        ],
    )
    by_unit = {info.unit.pk: info for info in ctx.units}
    bulk(
        ctx,
        Duty,
        [
            Duty(plan=p, body=by_unit[p.unit_id].bodies.get(duty_codes.get(d.body_text) or ""), body_text=d.body_text,
                 text=d.text, position=i)
            for p in plans
            for i, d in enumerate(duties)
        ],
    )  # fmt: skip
    tasks = []
    for plan in plans:
        info = by_unit[plan.unit_id]
        for position, parsed_item in enumerate(parsed):
            lead = info.bodies.get(lead_codes[parsed_item.number] or "")
            tasks.append(
                Task(
                    plan=plan, number=parsed_item.number, section=parsed_item.section or "", text=parsed_item.text, lead_body=lead,
                    lead_text=parsed_item.lead[:300], coordinator_texts=coordinator_texts[parsed_item.number],
                    time_phrase=parsed_item.time_phrase[:300], schedule=parsed_item.schedule.to_json(), flags=list(parsed_item.flags),
                    notes=list(parsed_item.notes), position=position,
                )
            )  # fmt: skip
    tasks = bulk(ctx, Task, tasks, WIDE_BATCH)
    through = Task.coordinators.through
    links = []
    for task in tasks:
        info = by_unit[task.plan.unit_id]
        ctx.plan_tasks.setdefault(info.unit.pk, {})[task.number] = task
        for code in coordinator_codes[task.number]:
            if code in info.bodies:
                links.append(through(task_id=task.pk, body_id=info.bodies[code].pk))
    bulk(ctx, through, links)

    # occurrences, their evidence, the front's contributions to the check-ins
    as_of = ctx.as_of
    now = aware(as_of, 8)
    notes = list(plan_demo.RESULT_NOTES.values()) + ["Đã hoàn thành theo kế hoạch."]
    for chunk in _chunks(ctx.units, 20):
        rows: list[Any] = []
        evidence_for: list[tuple[int, Any]] = []
        for info in chunk:
            for number, task in ctx.plan_tasks[info.unit.pk].items():
                actor = info.users["hcc"] if lead_codes[number] == "PVHCC" else info.users["vhxh"]
                for item in schedule_rows[number]:
                    status, percent, note, updated = Occurrence.Status.NOT_STARTED, 0, "", None
                    if item.due < as_of:
                        roll = rng.random()
                        if roll < 0.93:
                            status, percent = Occurrence.Status.DONE, 100
                            note = rng.choice(notes)
                            updated = aware(
                                item.due - dt.timedelta(days=rng.randint(0, 12)), rng.randint(8, 16)
                            )
                        elif roll < 0.97:
                            status, percent = Occurrence.Status.IN_PROGRESS, rng.choice((30, 50, 70))
                            updated = aware(item.due - dt.timedelta(days=rng.randint(1, 20)), 10)
                    elif (item.due - as_of).days < 45 and item.window_start <= as_of and rng.random() < 0.4:
                        status, percent = Occurrence.Status.IN_PROGRESS, rng.choice((20, 40, 60))
                        updated = min(now, aware(as_of - dt.timedelta(days=rng.randint(1, 20)), 10))
                    occurrence = Occurrence(
                        task=task, unit=info.unit, year=item.year, period=item.period, window_start=item.window_start,
                        due=item.due, kind=item.kind, status=status, percent=percent, note=note,
                        version=1 if status == Occurrence.Status.NOT_STARTED else 2,
                        updated_by=actor if updated else None, updated_at=updated,
                    )  # fmt: skip
                    rows.append(occurrence)
                    if status == Occurrence.Status.DONE:
                        evidence_for.append((len(rows) - 1, actor))
        rows = bulk(ctx, Occurrence, rows)
        files = []
        for index, actor in evidence_for:
            occurrence = rows[index]
            info = by_unit[occurrence.unit_id]
            files.append(
                evidence_row(
                    ctx, info=info, key="report" if index % 3 else "photo",
                    title=f"Kết quả nhiệm vụ {occurrence.task.number} — {occurrence.period_label}",
                    day=occurrence.due - dt.timedelta(days=2), body=occurrence.task.lead_body, user=actor,
                )
            )  # fmt: skip
        files = bulk(ctx, EvidenceFile, files)
        bulk(
            ctx,
            OccurrenceEvidence,
            [
                OccurrenceEvidence(occurrence=rows[index], evidence=file, added_by=actor)
                for (index, actor), file in zip(evidence_for, files, strict=True)
            ],
        )
        contributions = []
        for occurrence in rows:
            if (
                occurrence.task.number == "4"
                and occurrence.status == Occurrence.Status.DONE
                and rng.random() < 0.6
            ):
                info = by_unit[occurrence.unit_id]
                contributions.append(
                    Contribution(
                        occurrence=occurrence, body=info.bodies["MTTQ"], created_by=info.users["mttq"],
                        note="Ủy ban MTTQ đã giám sát việc niêm yết thủ tục hành chính và tiếp nhận ý kiến của Nhân dân.",
                    )
                )  # fmt: skip
        bulk(ctx, Contribution, contributions)

    obstacles = []
    texts = [
        "Chưa được bố trí kinh phí làm pano, khẩu hiệu “4 xin, 4 luôn, 5 không”; đề nghị hướng dẫn nguồn kinh phí.",
        "Thiết bị lấy số tự động tại Trung tâm hỏng, người dân phải chờ lâu; đề nghị sửa chữa.",
        "Đường truyền Internet tại bộ phận một cửa chập chờn, ảnh hưởng tiếp nhận hồ sơ trực tuyến.",
        "Một số thôn chưa có bảng tin văn hóa; đề nghị hỗ trợ kinh phí.",
    ]
    for plan in plans:
        info = by_unit[plan.unit_id]
        for n in range(3):
            obstacle_status = [
                Obstacle.Status.CLOSED,
                Obstacle.Status.ANSWERED,
                Obstacle.Status.FORWARDED,
                Obstacle.Status.REPORTED,
            ][min(3, n + rng.randint(0, 1))]
            reported = aware(as_of - dt.timedelta(days=rng.randint(5, 900)), 9)
            forwarded = obstacle_status != Obstacle.Status.REPORTED
            answered = obstacle_status in (Obstacle.Status.ANSWERED, Obstacle.Status.CLOSED)
            obstacles.append(
                Obstacle(
                    unit=info.unit, plan=plan, task=ctx.plan_tasks[info.unit.pk].get(rng.choice(["1", "4", "9"])),
                    reported_by_body=info.bodies["PVHCC"], reported_by=info.users["hcc"], text=rng.choice(texts),
                    status=obstacle_status,
                    consolidation_note="Đề nghị lãnh đạo UBND giao Phòng Kinh tế cân đối kinh phí." if forwarded else "",
                    forwarded_by=info.users["vhxh"] if forwarded else None,
                    forwarded_at=reported + dt.timedelta(days=3) if forwarded else None,
                    answer="Giao Phòng Kinh tế bố trí trong dự toán năm." if answered else "",
                    answered_by=info.users["lanhdao"] if answered else None,
                    answered_at=reported + dt.timedelta(days=8) if answered else None,
                    closing_note="Đã khắc phục." if obstacle_status == Obstacle.Status.CLOSED else "",
                )
            )  # fmt: skip
    bulk(ctx, Obstacle, obstacles)
