"""Data for the document tests, made through the areas' own services (never their models directly).

`make_plan` is Thanh Miện's seed plan (the constants of the plans area's demo, which copy the seed) with the
appendix read from `rules/data/thanh-mien-appendix.tsv`; `make_cycle` runs a yearly assessment cycle on the
bundled provisional Hải Phòng criteria set up to the recognition decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import World


def make_plan(world: World) -> Any:
    from friendlygov.plans import demo, services
    from friendlygov.plans.parsing import parse_duties, parse_targets

    plan = services.create_plan(
        actor=world.coordinator,
        unit=world.unit,
        title=demo.TITLE,
        start_year=2026,
        end_year=2030,
        open_ended=True,
        bases=demo.BASES,
        communication_texts=demo.COMMUNICATION_TEXTS,
        purposes=demo.PURPOSES,
        requirements=demo.REQUIREMENTS,
        budget_sources=demo.BUDGET,
        targets=parse_targets(demo.TARGETS),
        duties=parse_duties(demo.DUTIES),
    )
    services.import_appendix(
        actor=world.coordinator,
        plan=plan,
        text=demo.APPENDIX.read_text(encoding="utf-8"),
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    return plan


def _value(leaf: Any) -> tuple[str, list[int] | None]:
    kind = getattr(leaf, "kind", None) or leaf.input or "points"
    if kind == "checklist":
        return "", list(range(len(leaf.items or [])))
    if kind == "boolean":
        return "có", None
    if kind == "ratio":
        return "100%", None
    return str(leaf.max_points).replace(".", ","), None


def make_cycle(
    world: World, year: int = 2026, *, unit: Any = None, until: str = "recognised", target: str = "3"
) -> Any:
    """A cycle of `unit` (default Thanh Miện) registered at level `target`, scored at the maximum, then as far
    as `until`: "registered", "scored", "submitted", "appraised" or "recognised"."""
    from friendlygov.assessments import services
    from friendlygov.assessments.criteria import parsed
    from friendlygov.assessments.models import CriteriaSetVersion

    unit = unit or world.unit
    admin, reviewer = world.users["admin"], world.reviewer
    leader = world.leader if unit == world.unit else world.users["other_leader"]
    coordinator = world.coordinator if unit == world.unit else world.outsider
    criteria = CriteriaSetVersion.objects.filter(
        unit=world.city, template_name="hai-phong-provisional"
    ).first()
    if criteria is None:
        criteria = services.load_template(actor=admin, city=world.city, name="hai-phong-provisional")
    cycle = services.open_cycle(actor=reviewer, unit=unit, year=year, criteria_set=criteria)
    services.register_target(actor=leader, cycle=cycle, target_level=target)
    if until == "registered":
        return cycle
    cs = parsed(cycle.criteria_set)
    for leaf in cs.leaves():
        if leaf.source in ("city.par_index", "survey.sipas"):
            continue  # no published figure: scored 0
        value, ticked = _value(leaf)
        if leaf.source:  # measured, but no records in these tests: the unit's figure, with the reason
            services.override_measured(
                actor=coordinator,
                cycle=cycle,
                criterion_code=leaf.code,
                value=value,
                ticked=ticked,
                reason="Số liệu tổng hợp của bộ phận chuyên môn.",
            )
            continue
        services.save_score(
            actor=coordinator, cycle=cycle, criterion_code=leaf.code, value=value, ticked=ticked
        )
    for condition in cs.conditions:
        services.save_score(actor=coordinator, cycle=cycle, criterion_code=condition.code, value="có")
    cycle.refresh_from_db()
    if until == "scored":
        return cycle
    cycle = services.submit_cycle(actor=leader, cycle=cycle, acknowledge_issues=True)
    if until == "submitted":
        return cycle
    cycle = services.finish_appraisal(actor=reviewer, cycle=cycle)
    if until == "appraised":
        return cycle
    from friendlygov.assessments.selectors import load_cycle_data

    level = load_cycle_data(cycle).result("appraised").level
    services.recognise(
        actor=reviewer,
        cycle=cycle,
        decision_number="123/QĐ-UBND",
        decision_date=dt.date(year, 12, 20),
        signer="Chủ tịch UBND thành phố",
        level_code=level.code if level else "1",
    )
    cycle.refresh_from_db()
    return cycle
