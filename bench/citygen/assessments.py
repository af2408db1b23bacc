"""Generator step ``assessments``: cycles in every state, scores checked with the pure engine, stored
summaries of the locked cycles."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from bench.citygen.common import FIRST_YEAR, Context, _chunks, aware, bulk, evidence_row, log, vn_decimal


def _score_text(leaf: Any, q: float, rng: random.Random) -> tuple[str, list[int]]:
    """A plausible self-assessed value for a leaf at quality ``q`` (0..1) and the ticked items."""
    kind = leaf.kind
    if kind == "boolean":
        return ("có" if rng.random() < q + 0.08 else "không"), []
    if kind == "checklist":
        total = len(leaf.items or [])
        ticked = min(total, max(0, round(total * min(1.0, q + rng.uniform(-0.1, 0.1)))))
        return str(ticked), list(range(ticked))
    if kind == "ratio":
        if leaf.source:
            return vn_decimal(min(99.9, 100 * (q - rng.uniform(0, 0.08)))) + "%", []
        whole = rng.choice((4, 12, 24, 50, 120, 1200))
        part = min(whole, round(whole * min(1.0, q + rng.uniform(-0.05, 0.05))))
        return f"{part}/{whole}", []
    maximum = float(leaf.max_points)
    if leaf.bonus:
        return (vn_decimal(rng.choice((0, 0, 1, 2, 3))) if maximum else "0"), []
    return vn_decimal(round(maximum * min(1.0, q + rng.uniform(-0.08, 0.05)) * 2) / 2), []


def step_assessments(ctx: Context) -> None:
    from friendlygov.assessments import criteria as crit
    from friendlygov.assessments import services
    from friendlygov.assessments.models import (
        AppraisalItem,
        Assignment,
        CityFigure,
        ConsolidatedScore,
        CriteriaSetVersion,
        Cycle,
        JointProposal,
        Recognition,
        Registration,
        ScoreEntry,
        ScoreEvidence,
    )
    from friendlygov.assessments.sources import source_label
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.rules.scoring import assess, result_to_json

    rng = ctx.rng("assessments")
    as_of = ctx.as_of
    cs_row = services.load_template(actor=ctx.reviewer, city=ctx.city, name="hai-phong-provisional")
    CriteriaSetVersion.objects.filter(pk=cs_row.pk).update(locked_at=aware(dt.date(FIRST_YEAR, 1, 10)))
    ctx.add("assessments.CriteriaSetVersion", 1)
    cs = crit.parsed(cs_row)
    nodes: dict[str, Any] = {code: crit.node_for(cs, code) for code in crit.scorable_codes(cs)}
    levels = [level.code for level in cs.levels]
    assignments_plan = {"1": "PVHCC", "2": "VP", "2.3": "VHXH", "3": "VHXH", "4": "VP", "4.2": "PVHCC", "5": "VHXH",
                        "5.2": "village", "B": "VHXH", "K1": "VP"}  # fmt: skip
    assignments_plan = {
        code: body for code, body in assignments_plan.items() if crit.node_for(cs, code) is not None
    }

    # the figures the city publishes (PAR INDEX, city-run SIPAS) for every finished year
    figures = []
    for info in ctx.units:
        for year in ctx.years:
            published = dt.date(year + 1, 3, 20)
            if published > as_of:
                continue
            figures.append(CityFigure(city=ctx.city, unit=info.unit, year=year, kind=CityFigure.Kind.PAR_INDEX,
                                      value=Decimal(str(round(78 + 18 * info.quality + rng.uniform(-2, 2), 2))),
                                      decision=f"Quyết định {700 + year % 100}/QĐ-UBND công bố Chỉ số CCHC năm {year}",
                                      published_on=published, entered_by=ctx.reviewer))  # fmt: skip
            figures.append(CityFigure(city=ctx.city, unit=info.unit, year=year, kind=CityFigure.Kind.SIPAS,
                                      value=Decimal(str(round(100 * info.sipas_mood + rng.uniform(-1.5, 1.5), 2))),
                                      decision=f"Thông báo {40 + year % 100}/TB-SNV kết quả khảo sát SIPAS năm {year}",
                                      published_on=published, entered_by=ctx.reviewer))  # fmt: skip
    bulk(ctx, CityFigure, figures)

    S = Cycle.Status
    for chunk in _chunks(ctx.units, 20):
        cycles: list[Any] = []
        plans: list[dict[str, Any]] = []
        for info in chunk:
            for year in ctx.years:
                if year < as_of.year:
                    status = S.RECOGNISED if rng.random() < 0.92 else S.APPRAISED
                else:
                    status = rng.choices(
                        [S.REGISTRATION, S.SELF_SCORING, S.RETURNED, S.SUBMITTED, S.APPRAISED, S.RECOGNISED],
                        weights=[2, 8, 5, 55, 18, 12],
                    )[0]
                q = min(0.995, info.quality + (year - FIRST_YEAR) * 0.005)
                submitted = status in (S.SUBMITTED, S.APPRAISED, S.RECOGNISED)
                appraised = status in (S.APPRAISED, S.RECOGNISED)
                submitted_on = dt.date(year, 11, rng.randint(3, 14))
                appraised_on = min(dt.date(year, 12, rng.randint(5, 22)), as_of - dt.timedelta(days=1))
                if year == as_of.year:
                    submitted_on = min(submitted_on, as_of - dt.timedelta(days=3))
                    appraised_on = min(appraised_on, as_of - dt.timedelta(days=1))
                cycles.append(
                    Cycle(
                        unit=info.unit, year=year, criteria_set=cs_row, registration_deadline=dt.date(year, 2, 15),
                        submission_deadline=dt.date(year, 11, 12), appraisal_deadline=dt.date(year, 12, 31), status=status,
                        opened_by=ctx.reviewer,
                        submitted_at=aware(submitted_on, 10) if submitted else None,
                        submitted_by=info.users["lanhdao"] if submitted else None,
                        returned_at=aware(dt.date(year, 11, 16), 9) if status == S.RETURNED else None,
                        returned_by=ctx.reviewer if status == S.RETURNED else None,
                        return_requests="Bổ sung minh chứng tiêu chí 4.3 và 5.1." if status == S.RETURNED else "",
                        appraised_at=aware(appraised_on, 15) if appraised else None,
                        appraised_by=ctx.reviewer if appraised else None,
                    )
                )  # fmt: skip
                plans.append({"info": info, "q": q, "status": status, "year": year})
        cycles = bulk(ctx, Cycle, cycles)
        registrations, assignments, entries, proposals, consolidated, appraisals = [], [], [], [], [], []
        evidence_files, evidence_targets = [], []
        entry_plans: list[tuple[int, str]] = []  # (cycle index, code) for each entry, to link evidence
        for index, (cycle, plan) in enumerate(zip(cycles, plans, strict=True)):
            info, q, status, year = plan["info"], plan["q"], plan["status"], plan["year"]
            coordinator = info.users["vhxh"]
            target = levels[min(len(levels) - 1, max(0, round((q - 0.8) * 20) - 1 + rng.randint(0, 1)))]
            registrations.append(
                Registration(
                    unit=info.unit, cycle=cycle, target_level=target, target_level_name=f"Mức độ {target}",
                    note="Theo kế hoạch của đơn vị.", registered_by=info.users["lanhdao"],
                    registered_at=aware(dt.date(year, 2, rng.randint(1, 16)), 9),
                    status=Registration.Status.ACCEPTED if status != S.REGISTRATION else Registration.Status.PENDING,
                    decided_by=ctx.reviewer if status != S.REGISTRATION else None,
                    decided_at=aware(dt.date(year, 2, 25), 9) if status != S.REGISTRATION else None,
                )
            )  # fmt: skip
            if status == S.REGISTRATION:
                plan["values"] = {}
                continue
            for code, body_code in assignments_plan.items():
                body = info.villages[0] if body_code == "village" else info.bodies[body_code]
                assignments.append(Assignment(unit=info.unit, cycle=cycle, criterion_code=code, body=body,
                                              assigned_by=coordinator))  # fmt: skip
            editable = status in Cycle.EDITABLE
            raw: dict[str, str] = {}
            for code, node in nodes.items():
                leaf_source = getattr(node, "source", None)
                if leaf_source and editable:
                    continue  # read live from the measuring area while the cycle is open
                if status == S.SELF_SCORING and rng.random() < 0.25:
                    continue  # still being scored
                if hasattr(node, "kind"):
                    value, ticked = _score_text(node, q, rng)
                else:  # a condition
                    value, ticked = ("có" if rng.random() < 0.97 else "không"), []
                if crit.safe_value(node, value) is None:
                    continue
                raw[code] = value
                entries.append(
                    ScoreEntry(
                        unit=info.unit, cycle=cycle, criterion_code=code, value=value, ticked=ticked,
                        explanation="Số liệu tổng hợp của Phòng Văn hóa - Xã hội." if rng.random() < 0.3 else "",
                        from_source=bool(leaf_source), source_label=source_label(leaf_source) if leaf_source else "",
                        entered_by=coordinator,
                    )
                )  # fmt: skip
                entry_plans.append((index, code))
            plan["values"] = raw
            # evidence: three files per cycle, each proving several criteria
            for key, title in (("report", "Báo cáo kết quả thực hiện tiêu chí"), ("minutes", "Biên bản họp chấm điểm"),
                               ("photo", "Ảnh khu vực niêm yết thủ tục hành chính")):  # fmt: skip
                evidence_files.append(
                    evidence_row(ctx, info=info, key=key, title=f"{title} năm {year}", day=dt.date(year, 10, 20),
                                 body=info.bodies["VHXH"], user=coordinator)
                )  # fmt: skip
                evidence_targets.append(index)
            # joint proposals and the settled values
            if status not in (S.SELF_SCORING,) and "2.4" in raw and "3.1" in raw:
                for code, scorer, body_code, reason in (
                    ("2.4", "mttq", "MTTQ", "Còn ý kiến cử tri về thời gian tiếp dân chưa thuận tiện."),
                    ("3.1", "bxdd", "BXDD", "Một công chức bị nhắc nhở về giờ giấc."),
                ):
                    node = nodes[code]
                    lower = _lower(node, raw[code])
                    proposals.append(JointProposal(unit=info.unit, cycle=cycle, criterion_code=code, body=info.bodies[body_code],
                                                   value=lower, reason=reason, proposed_by=info.users[scorer]))  # fmt: skip
                    settled = lower if rng.random() < 0.5 else raw[code]
                    consolidated.append(ConsolidatedScore(unit=info.unit, cycle=cycle, criterion_code=code, value=settled,
                                                          reason="Thống nhất theo ý kiến của các thành viên.",
                                                          settled_by=coordinator))  # fmt: skip
                    plan.setdefault("consolidated", {})[code] = settled
            if status in (S.APPRAISED, S.RECOGNISED):
                for code in rng.sample(sorted(raw), k=min(3, len(raw))):
                    adjust = rng.random() < 0.3 and not getattr(nodes[code], "source", None)
                    value = _lower(nodes[code], raw[code]) if adjust else ""
                    appraisals.append(
                        AppraisalItem(unit=info.unit, cycle=cycle, criterion_code=code,
                                      decision=AppraisalItem.Decision.ADJUST if adjust else AppraisalItem.Decision.ACCEPT,
                                      value=value, reason="Minh chứng chưa đầy đủ." if adjust else "", appraised_by=ctx.reviewer)
                    )  # fmt: skip
                    if adjust:
                        plan.setdefault("appraised", {})[code] = value
        bulk(ctx, Registration, registrations)
        bulk(ctx, Assignment, assignments)
        entries = bulk(ctx, ScoreEntry, entries)
        bulk(ctx, JointProposal, proposals)
        bulk(ctx, ConsolidatedScore, consolidated)
        bulk(ctx, AppraisalItem, appraisals)
        evidence_files = bulk(ctx, EvidenceFile, evidence_files)
        files_of: dict[int, list[Any]] = {}
        for file, index in zip(evidence_files, evidence_targets, strict=True):
            files_of.setdefault(index, []).append(file)
        links = []
        for entry, (index, _code) in zip(entries, entry_plans, strict=True):
            if entry.from_source or rng.random() < 0.4:
                continue
            file = rng.choice(files_of[index])
            links.append(
                ScoreEvidence(unit_id=entry.unit_id, entry=entry, evidence=file, added_by=entry.entered_by)
            )
        bulk(ctx, ScoreEvidence, links)

        # results and recognitions: the pure engine on the generated values (what submission freezes)
        recognitions = []
        for cycle, plan in zip(cycles, plans, strict=True):
            status = plan["status"]
            if status not in (S.SUBMITTED, S.APPRAISED, S.RECOGNISED):
                continue
            raw = dict(plan["values"])
            raw.update(plan.get("consolidated", {}))
            consolidated_result = assess(
                cs, {c: crit.safe_value(nodes[c], v) for c, v in raw.items() if nodes.get(c)}
            )
            cycle.submitted_result = result_to_json(consolidated_result)
            update = ["submitted_result"]
            if status in (S.APPRAISED, S.RECOGNISED):
                raw.update(plan.get("appraised", {}))
                final = assess(cs, {c: crit.safe_value(nodes[c], v) for c, v in raw.items() if nodes.get(c)})
                cycle.final_result = result_to_json(final)
                update.append("final_result")
                if final.level is not None and status == S.RECOGNISED:
                    info = plan["info"]
                    path, content_type, _size, sha = ctx.files["report"]
                    recognitions.append(
                        Recognition(
                            unit=info.unit, cycle=cycle, decision_number=f"{3000 + info.index}/QĐ-UBND",
                            decision_date=min(dt.date(plan["year"], 12, 28), as_of), signer="Phó Chủ tịch UBND thành phố",
                            level_code=final.level.code, level_name=final.level.name, file=path,
                            file_name="quyet-dinh-cong-nhan.pdf", file_type=content_type, file_sha256=sha,
                            recognised_by=ctx.reviewer,
                        )
                    )  # fmt: skip
                elif status == S.RECOGNISED:
                    cycle.status = S.APPRAISED  # not achieved: appraised, never recognised
                    update.append("status")
            Cycle.objects.filter(pk=cycle.pk).update(**{name: getattr(cycle, name) for name in update})
        bulk(ctx, Recognition, recognitions)
    _store_cycle_summaries(ctx)
    log(f"    assessments: {ctx.counts.get('assessments.Cycle', 0):,} cycles")


def _store_cycle_summaries(ctx: Context) -> None:
    """What the submission service keeps for the city's table, from the generated (locked) scores."""
    from friendlygov.assessments import selectors
    from friendlygov.assessments.models import Cycle

    locked = Cycle.objects.filter(unit__parent=ctx.city).exclude(status__in=Cycle.EDITABLE)
    for chunk in _chunks(list(locked.select_related("unit", "criteria_set")), 100):
        loaded = selectors.load_cycles_data(chunk)
        for cycle in chunk:
            data = loaded[cycle.pk]
            cycle.summary = selectors.submission_summary(data)
            if cycle.status in (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED):
                cycle.summary["appraised"] = selectors.summary_total(data.result("appraised"))
        Cycle.objects.bulk_update(chunk, ["summary"])


def _lower(node: Any, value: str) -> str:
    """A slightly lower value of the same kind (a joint scorer's or the city's adjustment)."""
    from friendlygov.assessments import criteria as crit

    kind = getattr(node, "kind", "boolean")
    candidate = value
    if kind == "checklist" and value.isdigit() and int(value) > 0:
        candidate = str(int(value) - 1)
    elif kind == "points":
        number = float(value.replace(",", "."))
        candidate = vn_decimal(max(0.0, number - 0.5))
    elif kind == "ratio" and "/" in value:
        part, whole = value.split("/")
        candidate = f"{max(0, int(part) - max(1, int(whole) // 20))}/{whole}"
    return candidate if crit.safe_value(node, candidate) is not None else value
