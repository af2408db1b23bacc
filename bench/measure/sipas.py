"""Benchmark 2, ``sipas``: the surveys selectors' SIPAS figures against one hand-written SQL aggregate computing
the same numbers (the floor)."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from bench.measure.environment import TARGETS, _timed, log

#: A selector measured against the floor although it computes more than the floor's numbers (reported,
#: not held to the target).
DOES_MORE = "(does more) "


def _floor_figures(
    counts: dict[str, dict[int, int]], respondents: int, elements: list[tuple[str, list[str]]]
) -> dict[str, Any]:
    """The SIPAS numbers by hand: item index = answers 4–5 ÷ answers 1–5, element = mean of its items,
    overall = mean of elements (weights 1), each item's 95 % Wilson interval — rounded half-up to 2."""

    def rounded(value: Fraction | float | None) -> float | None:
        if value is None:
            return None
        return math.floor(float(value) * 100 + 0.5 + 1e-9) / 100

    items: dict[str, Any] = {}
    element_index: dict[str, Fraction | None] = {}
    for code, item_codes in elements:
        indices = []
        for item in item_codes:
            values = counts.get(item, {})
            valid = sum(n for v, n in values.items() if 1 <= v <= 5)
            satisfied = values.get(4, 0) + values.get(5, 0)
            if not valid:
                items[item] = (None, None, None)
                continue
            index = Fraction(100 * satisfied, valid)
            p, z = satisfied / valid, 1.96
            centre = (p + z * z / (2 * valid)) / (1 + z * z / valid)
            half = z * math.sqrt(p * (1 - p) / valid + z * z / (4 * valid * valid)) / (1 + z * z / valid)
            items[item] = (
                rounded(index),
                rounded(max(0.0, 100 * (centre - half))),
                rounded(min(100.0, 100 * (centre + half))),
            )
            indices.append(index)
        element_index[code] = sum(indices, Fraction(0)) / len(indices) if indices else None
    present = [v for v in element_index.values() if v is not None]
    overall = sum(present, Fraction(0)) / len(present) if present else None
    return {
        "respondents": respondents,
        "overall": rounded(overall),
        "elements": {k: rounded(v) for k, v in element_index.items()},
        "items": items,
    }


def bench_sipas(repeat: int, year: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection

    from bench.generate import BENCH_UNIT, CITY_SLUG
    from friendlygov.dossiers.models import Dossier
    from friendlygov.org.models import Unit
    from friendlygov.rules import sipas as sipas_rules
    from friendlygov.surveys import periods, selectors
    from friendlygov.surveys.models import Answer, DossierCount, Questionnaire, Response

    unit = Unit.objects.get(slug=BENCH_UNIT)
    city = Unit.objects.get(slug=CITY_SLUG)
    questionnaire = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = questionnaire.current_version()
    elements = [(e["code"], [i["code"] for i in e["items"]]) for e in version.definition["elements"]]
    period = periods.year(year)
    start, end = period.bounds()
    answer_table, response_table = Answer._meta.db_table, Response._meta.db_table
    where = "r.questionnaire_id = %s AND r.status = %s AND r.submitted_at >= %s AND r.submitted_at < %s"

    def floor_unit() -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.item, a.value, COUNT(*) FROM {answer_table} a JOIN {response_table} r ON r.id = a.response_id "
                f"WHERE r.unit_id = %s AND {where} GROUP BY a.item, a.value",
                [unit.pk, questionnaire.pk, "accepted", start, end],
            )
            counts: dict[str, dict[int, int]] = {}
            for item, value, n in cursor.fetchall():
                counts.setdefault(item, {})[value] = n
            cursor.execute(
                f"SELECT COUNT(*) FROM {response_table} r WHERE r.unit_id = %s AND {where}",
                [unit.pk, questionnaire.pk, "accepted", start, end],
            )
            respondents = cursor.fetchone()[0]
        return _floor_figures(counts, respondents, elements)

    # The city's units as a subquery: the form SQLite plans best without statistics (PostgreSQL plans it
    # as the join) — the app's own query uses it too.
    city_units = "SELECT id FROM org_unit WHERE parent_id = %s"

    def floor_city() -> dict[int, dict[str, Any]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.unit_id, a.item, a.value, COUNT(*) FROM {answer_table} a JOIN {response_table} r "
                f"ON r.id = a.response_id WHERE r.unit_id IN ({city_units}) AND {where} "
                "GROUP BY r.unit_id, a.item, a.value",
                [city.pk, questionnaire.pk, "accepted", start, end],
            )
            counts: dict[int, dict[str, dict[int, int]]] = {}
            for unit_id, item, value, n in cursor.fetchall():
                counts.setdefault(unit_id, {}).setdefault(item, {})[value] = n
            cursor.execute(
                f"SELECT r.unit_id, COUNT(*) FROM {response_table} r "
                f"WHERE r.unit_id IN ({city_units}) AND {where} GROUP BY r.unit_id",
                [city.pk, questionnaire.pk, "accepted", start, end],
            )
            people = dict(cursor.fetchall())
        return {uid: _floor_figures(counts.get(uid, {}), people.get(uid, 0), elements) for uid in people}

    dossier_table, count_table = Dossier._meta.db_table, DossierCount._meta.db_table
    quote = connection.ops.quote_name

    def floor_city_page() -> dict[int, dict[str, Any]]:
        # The page's call also reads each unit's sample size: the figures entered by hand for the period and
        # the dossiers received in it, per unit — the same tables the app reads for them (until 08/12/2026
        # this case was measured against floor_city alone).
        figures = floor_city()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT unit_id, {quote('start')}, {quote('end')}, transactions FROM {count_table} "
                f"WHERE unit_id IN ({city_units}) AND {quote('start')} >= %s AND {quote('end')} <= %s",
                [city.pk, period.start, period.end],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT unit_id, COUNT(*) FROM {dossier_table} WHERE unit_id IN ({city_units}) "
                "AND received >= %s AND received < %s GROUP BY unit_id",
                [city.pk, start, end],
            )
            cursor.fetchall()
        return figures

    def selector_core() -> Any:
        counts, respondents = selectors.answer_counts(unit, questionnaire, period)
        return selectors.compute(counts, respondents, version)[0]

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("unit-year: answer_counts + compute", selector_core, floor_unit),
        # The next two do more than the floor (informative, not the target): sipas_figure also chooses the
        # questionnaire the unit used most and builds the figure's label; unit_figures also counts the
        # flagged answers and the dossiers that set the sample size.
        (
            DOES_MORE + "unit-year: sipas_figure",
            lambda: selectors.sipas_figure(unit=unit, year=year),
            floor_unit,
        ),
        (
            DOES_MORE + "unit-year: unit_figures (page)",
            lambda: selectors.unit_figures(unit=unit, questionnaire=questionnaire, period=period),
            floor_unit,
        ),
        (
            "city: city_comparison",
            lambda: selectors.city_comparison(
                city=city, questionnaire=questionnaire, period=period, with_samples=False
            ),
            floor_city,
        ),
        (
            "city: city_comparison + samples (page)",
            lambda: selectors.city_comparison(city=city, questionnaire=questionnaire, period=period),
            floor_city_page,
        ),
    ]

    def uncached(selector: Callable[[], Any]) -> Callable[[], Any]:
        # The rules memoise Wilson intervals (pages repeat the same counts); measure the computation itself.
        def run() -> Any:
            sipas_rules.clear_caches()
            selectors.clear_computed()  # figures kept per frozen version and counts
            cache.clear()  # the city's counts are cached between changes (surveys.selectors)
            return selector()

        return run

    floors: dict[Any, tuple[float, Any]] = {}
    rows = []
    for label, selector, floor in [(label, uncached(s), f) for label, s, f in cases]:
        if floor not in floors:
            floors[floor] = _timed(floor, repeat)
        floor_ms, floor_result = floors[floor]
        selector_ms, selector_result = _timed(selector, repeat)
        same = _same_numbers(selector_result, floor_result)
        ratio = selector_ms / floor_ms if floor_ms else math.nan
        row = {
            "case": label,
            "year": year,
            "selector_ms": round(selector_ms, 2),
            "floor_ms": round(floor_ms, 2),
            "ratio": round(ratio, 2),
            "same_numbers": same,
            "meets_target": None if label.startswith(DOES_MORE) else ratio <= TARGETS["sipas_ratio"],
        }
        log(
            f"  {label:<40} {selector_ms:>9.1f} ms vs floor {floor_ms:>9.1f} ms  ×{ratio:.2f}  same numbers: {same}"
        )
        rows.append(row)
    return {"rows": rows, "respondents_unit_year": floors[floor_unit][1]["respondents"],
            "units_with_answers": len(floors[floor_city][1])}  # fmt: skip


def _same_numbers(selector_result: Any, floor_result: Any) -> bool:
    """The selector's overall and element indices (and item indices) equal the hand-computed ones."""

    def check(result: Any, floor: dict[str, Any]) -> bool:
        if result is None:
            return floor["overall"] is None
        overall = getattr(result, "overall", None)
        if overall is None and hasattr(result, "percent"):
            overall = result.percent
        if (None if overall is None else float(overall)) != floor["overall"]:
            return False
        for element in getattr(result, "elements", []) or []:
            if isinstance(result.elements, dict):
                break
            if (None if element.index is None else float(element.index)) != floor["elements"].get(
                element.code
            ):
                return False
            for item in element.items:
                if (None if item.index is None else float(item.index)) != floor["items"][item.code][0]:
                    return False
        if isinstance(getattr(result, "elements", None), dict):
            for code, value in result.elements.items():
                if (None if value is None else float(value)) != floor["elements"].get(code):
                    return False
        return True

    if isinstance(selector_result, list):
        by_unit = {row.unit.pk: row for row in selector_result}
        return all(uid in by_unit and check(by_unit[uid], floor) for uid, floor in floor_result.items())
    if hasattr(selector_result, "result"):
        return check(selector_result.result, floor_result)
    return check(selector_result, floor_result)
