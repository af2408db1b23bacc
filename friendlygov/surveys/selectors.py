"""Reads of the surveys area: questionnaires visible to a unit, links, the review queue and the figures.

Figures are computed by the one formula of :func:`friendlygov.rules.sipas.compute_indices_from_counts`
from counts aggregated in SQL (``GROUP BY item, value``): no answer row is ever loaded one by one, so
the cost depends on the number of items, not of answers. Only accepted responses count.

Public functions other areas call:

- :func:`sipas_figure` ``(*, unit, year) -> MeasuredFigure | None`` — the year's overall SIPAS index
  (criteria with ``source: survey.sipas``);
- :func:`public_figures` ``(*, unit) -> list[PublicFigure]`` — what the unit's public page may show.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from friendlygov.core.figures import shared, unit_address
from friendlygov.db_router import read_alias
from friendlygov.dossiers import selectors as dossier_selectors
from friendlygov.kit.panels import Panel
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.sipas import SipasResult, sample_size
from friendlygov.surveys import definitions, periods
from friendlygov.surveys.computed import clear_computed as clear_computed
from friendlygov.surveys.computed import compute, overall_index
from friendlygov.surveys.models import (
    Answer,
    DossierCount,
    OtherAnswer,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SurveyLink,
)
from friendlygov.surveys.periods import Period
from friendlygov.tallies import selectors as tally_selectors

SAMPLE_ERROR = Decimal("0.05")
Counts = dict[str, dict[int, int]]


# --------------------------------------------------------------------------------------------------
# Questionnaires and links


def visible_questionnaire_filter(unit: Unit) -> Q:
    """The product's library, the city's questionnaires and the unit's own."""
    condition = Q(unit__isnull=True) | Q(unit=unit)
    if unit.parent_id:
        condition |= Q(unit_id=unit.parent_id)
    return condition


def questionnaires_for(unit: Unit, *, active_only: bool = False) -> QuerySet[Questionnaire]:
    qs = Questionnaire.objects.filter(visible_questionnaire_filter(unit)).select_related("unit")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(version_count=Count("versions", distinct=True)).order_by("unit_id", "kind", "code")


def questionnaire_for(unit: Unit, pk: int) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(visible_questionnaire_filter(unit), pk=pk).select_related("unit").first()
    )


def versions_of(questionnaire: Questionnaire) -> QuerySet[QuestionnaireVersion]:
    return (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire)
        .select_related("created_by")
        .annotate(response_count=Count("responses"))
        .order_by("-number")
    )


def links_of(unit: Unit) -> QuerySet[SurveyLink]:
    return (
        SurveyLink.objects.filter(unit=unit)
        .select_related("questionnaire", "body")
        .annotate(
            response_count=Count("responses"),
            accepted_count=Count("responses", filter=Q(responses__status=Response.Status.ACCEPTED)),
        )
        .order_by("-is_active", "label")
    )


def public_link(token: str) -> SurveyLink | None:
    """The link a citizen's QR code names, with its unit and questionnaire (every public request reads
    it first: the token is unique, so no ordering is asked for)."""
    found = list(SurveyLink.objects.select_related("unit", "questionnaire").filter(token=token)[:1])
    return found[0] if found else None


def other_open_links(link: SurveyLink, *, today: dt.date | None = None, limit: int = 3) -> list[SurveyLink]:
    """Open links of the same unit for its other questionnaires (one per questionnaire), offered on the
    thank-you page; links of the same place (body) first."""
    today = today or timezone.localdate()
    candidates = (
        SurveyLink.objects.filter(unit_id=link.unit_id, is_active=True, questionnaire__is_active=True)
        .exclude(questionnaire_id=link.questionnaire_id)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=today))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=today))
        .select_related("questionnaire")
        .order_by("questionnaire__name", "pk")
    )
    chosen: dict[int, SurveyLink] = {}
    for candidate in candidates:
        kept = chosen.get(candidate.questionnaire_id)
        if kept is None or (kept.body_id != link.body_id and candidate.body_id == link.body_id):
            chosen[candidate.questionnaire_id] = candidate
    return list(chosen.values())[:limit]


def default_sipas_questionnaire() -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(unit__isnull=True, kind=Questionnaire.Kind.SIPAS_SERVICE, is_active=True)
        .order_by("pk")
        .first()
    )


def unit_sipas_questionnaire(unit: Unit, year: int | None = None) -> Questionnaire | None:
    """The SIPAS service questionnaire of a unit: the one its accepted answers used most in ``year``
    (any year when None); without answers, its own, then the city's, then the product's."""
    return _sipas_usage(unit, year)[0]


def _sipas_usage(unit: Unit, year: int | None) -> tuple[Questionnaire | None, int]:
    """(questionnaire as :func:`unit_sipas_questionnaire` chooses it, its accepted responses in the
    year) — the grouping that chooses it also counts the respondents, saving a query for the figure."""
    candidates = Questionnaire.objects.filter(
        visible_questionnaire_filter(unit), kind=Questionnaire.Kind.SIPAS_SERVICE
    )
    if year is not None:  # the kept respondents of the year
        usage = tally_selectors.survey_usage(questionnaires=candidates, units=[unit.pk], year=year)
        best = min(((-n, q) for (_u, q), n in usage.items()), default=None)
        if best is not None:
            return Questionnaire.objects.get(pk=best[1]), -best[0]
    else:
        used = (
            Response.objects.filter(unit=unit, status=Response.Status.ACCEPTED, questionnaire__in=candidates)
            .values("questionnaire_id")
            .annotate(n=Count("id"))
            .order_by("-n", "questionnaire_id")
            .first()
        )
        if used is not None:
            return Questionnaire.objects.get(pk=used["questionnaire_id"]), used["n"]
    for condition in (Q(unit=unit), Q(unit_id=unit.parent_id), Q(unit__isnull=True)):
        found = candidates.filter(condition, is_active=True).order_by("pk").first()
        if found is not None:
            return found, 0
    return None, 0


def flagged_responses(unit: Unit) -> QuerySet[Response]:
    return (
        Response.objects.filter(unit=unit, status=Response.Status.FLAGGED)
        .select_related("questionnaire", "link")
        .prefetch_related("answers", "other_answers")
        .order_by("submitted_at", "pk")
    )


def flagged_count(unit: Unit) -> int:
    return Response.objects.filter(unit=unit, status=Response.Status.FLAGGED).count()


def response_details(response: Response) -> dict[str, Any]:
    """A response's answers labelled with the questionnaire's texts (for the review queue)."""
    definition = response.questionnaire_version.definition
    texts = {
        item["code"]: item.get("text", "") for e in definition.get("elements", []) for item in e["items"]
    }
    questions = {q["code"]: q.get("text", "") for q in definition.get("questions", [])}
    answers = sorted(
        response.answers.all(), key=lambda a: list(texts).index(a.item) if a.item in texts else 999
    )
    others: Iterable[OtherAnswer] = response.other_answers.all()
    return {
        "answers": [
            (a.item, texts.get(a.item, ""), a.value, definitions.SCALE_LABELS.get(a.value, ""))
            for a in answers
        ],
        "others": [(o.question, questions.get(o.question, ""), o.text, o.choices) for o in others],
    }


# --------------------------------------------------------------------------------------------------
# Dossier counts (N of the sample size)


def _dossier_system_count(unit: Unit, start: dt.date, end: dt.date) -> int | None:
    return dossier_selectors.dossier_count(unit=unit, start=start, end=end)


def _dossier_system_counts(units: Sequence[Unit], start: dt.date, end: dt.date) -> dict[int, int | None]:
    """`_dossier_system_count` of many units in one grouped query."""
    if not units:
        return {}
    values = dossier_selectors.dossier_counts(units=units, start=start, end=end)
    return {unit.pk: values.get(unit.pk) for unit in units}


def _entered(rows: Sequence[DossierCount], period: Period) -> tuple[DossierCount | None, int | None]:
    """(the figure entered for exactly the period, the sum of entered figures of the periods inside it
    when they cover it) among one unit's figures inside the period, ordered by start then end descending."""
    exact = next((row for row in rows if row.start == period.start and row.end == period.end), None)
    covered: list[DossierCount] = []
    cursor = period.start
    for row in rows:
        if row.start == cursor:
            covered.append(row)
            cursor = row.end + dt.timedelta(days=1)
    total = (
        sum(row.transactions for row in covered)
        if covered and cursor == period.end + dt.timedelta(days=1)
        else None
    )
    return exact, total


def _choose(exact: DossierCount | None, system: int | None, total: int | None) -> tuple[int | None, str]:
    if exact is not None:
        if exact.note:
            return exact.transactions, gettext("nhập tay (%(note)s)") % {"note": exact.note}
        return exact.transactions, gettext("nhập tay")
    if system is not None:
        return system, gettext("hệ thống hồ sơ TTHC")
    if total is not None:
        return total, gettext("tổng các kỳ nhập tay")
    return None, ""


def _inside(units: Sequence[Unit], period: Period) -> dict[int, list[DossierCount]]:
    rows: dict[int, list[DossierCount]] = defaultdict(list)
    for row in DossierCount.objects.filter(
        unit__in=units, start__gte=period.start, end__lte=period.end
    ).order_by("unit_id", "start", "-end"):
        rows[row.unit_id].append(row)
    return rows


def dossier_transactions(unit: Unit, period: Period) -> tuple[int | None, str]:
    """N for the period and where it came from: a figure entered for exactly this period, else the dossier
    system, else the sum of entered figures of the periods inside it (when they cover it), else None."""
    exact, total = _entered(_inside([unit], period).get(unit.pk, []), period)
    system = _dossier_system_count(unit, period.start, period.end) if exact is None else None
    return _choose(exact, system, total)


def dossier_transactions_of(units: Sequence[Unit], period: Period) -> dict[int, tuple[int | None, str]]:
    """`dossier_transactions` of many units: one query for the entered figures of all of them, one grouped
    query of the dossier system for those without a figure entered for exactly the period."""
    inside = _inside(units, period)
    entered = {unit.pk: _entered(inside.get(unit.pk, []), period) for unit in units}
    without_exact = [unit for unit in units if entered[unit.pk][0] is None]
    system = _dossier_system_counts(without_exact, period.start, period.end)
    return {unit.pk: _choose(entered[unit.pk][0], system.get(unit.pk), entered[unit.pk][1]) for unit in units}


# --------------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figures:
    unit: Unit
    questionnaire: Questionnaire
    version: QuestionnaireVersion
    period: Period
    result: SipasResult
    flagged: int = 0
    dropped_answers: int = 0  # answers to items the chosen version no longer has
    transactions: int | None = None
    transactions_source: str = ""
    needed: int | None = None
    item_texts: dict[str, str] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return self.result.respondents

    @property
    def sample_reached(self) -> bool | None:
        return None if self.needed is None else self.respondents >= self.needed

    @property
    def sample_percent(self) -> Decimal | None:
        if not self.needed:
            return None
        return min(Decimal(100), Decimal(self.respondents) * 100 / Decimal(self.needed))

    @property
    def sample_width_class(self) -> str:
        """A CSS class (w-0 … w-100, by tens) for the progress bar: inline styles are blocked by the CSP."""
        percent = self.sample_percent
        return f"w-{int(percent // 10) * 10}" if percent is not None else "w-0"


def _accepted(
    unit_filter: Q, questionnaire: Questionnaire, start: dt.datetime, end: dt.datetime
) -> QuerySet[Response]:
    return Response.objects.filter(
        unit_filter,
        questionnaire=questionnaire,
        status=Response.Status.ACCEPTED,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )


def answer_counts(unit: Unit, questionnaire: Questionnaire, period: Period) -> tuple[Counts, int]:
    """({item: {answer: count}}, respondents) of the accepted responses in the period — one query: the
    kept figures (``friendlygov.tallies``), or a count of the answers for custom dates that cut a month."""
    keys = tally_selectors.survey_period_keys(period)
    if keys is None:
        counts, people = accepted_counts(questionnaire=questionnaire, period=period, unit=unit)
    else:
        counts, people = tally_selectors.survey_counts(questionnaire=questionnaire, keys=keys, unit=unit)
    return counts.get(unit.pk, {}), people.get(unit.pk, 0)


def accepted_counts(
    *,
    questionnaire: Questionnaire,
    period: Period,
    unit: Unit | None = None,
    city: Unit | None = None,
    after_id: int | None = None,
    upto_id: int | None = None,
) -> tuple[dict[int, Counts], dict[int, int]]:
    """Per unit id: the answers' counts ``{item: {answer: n}}`` and the number of respondents, of the
    accepted responses to ``questionnaire`` submitted in the period — of one ``unit``, or of every unit
    whose parent is ``city``; only responses with an id above ``after_id`` and up to ``upto_id`` when given.

    Hand-written SQL, one round trip (the two aggregates joined by UNION ALL): it runs for every unit on
    the city's pages and for every criterion fed by a survey, and built by the ORM the two queries cost
    about as much again as the database's own work (bench/RESULTS.md). Table and column names come from
    the models; datetimes are adapted as the ORM would."""
    if (unit is None) == (city is None):
        raise ValueError("accepted_counts: give either unit or city")
    connection = connections[read_alias()]
    quote = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    answer, response = quote(Answer._meta.db_table), quote(Response._meta.db_table)
    r_unit, r_id = f"r.{column(Response, 'unit')}", f"r.{column(Response, 'id')}"
    if unit is not None:
        scope, scope_id = f"{r_unit} = %s", unit.pk
    else:
        # "unit in the city's units" rather than a join: SQLite then walks the (unit, questionnaire, status,
        # submitted_at) index unit by unit even without planner statistics (a join scanned every response
        # to the questionnaire, all years).
        units = f"SELECT {column(Unit, 'id')} FROM {quote(Unit._meta.db_table)} WHERE {column(Unit, 'parent')} = %s"  # noqa: S608
        scope, scope_id = f"{r_unit} IN ({units})", city.pk  # type: ignore[union-attr]
    where = (
        f"{scope} AND r.{column(Response, 'questionnaire')} = %s AND r.{column(Response, 'status')} = %s"
        f" AND r.{column(Response, 'submitted_at')} >= %s AND r.{column(Response, 'submitted_at')} < %s"
    )
    start, end = period.bounds()
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [scope_id, questionnaire.pk, Response.Status.ACCEPTED.value, adapt(start), adapt(end)]
    if after_id is not None:
        where += f" AND {r_id} > %s"
        params.append(after_id)
    if upto_id is not None:
        where += f" AND {r_id} <= %s"
        params.append(upto_id)
    item, value = f"a.{column(Answer, 'item')}", f"a.{column(Answer, 'value')}"
    # Only quoted names from the models are formatted in; every value is a parameter.
    sql = (
        f"SELECT {r_unit}, {item}, {value}, COUNT(*) FROM {answer} a"  # noqa: S608
        f" JOIN {response} r ON {r_id} = a.{column(Answer, 'response')}"
        f" WHERE {where} GROUP BY {r_unit}, {item}, {value}"
        f" UNION ALL SELECT {r_unit}, NULL, NULL, COUNT(*) FROM {response} r"
        f" WHERE {where} GROUP BY {r_unit}"
    )
    counts: dict[int, Counts] = defaultdict(dict)
    people: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        for unit_id, code, answer_value, n in cursor.fetchall():
            if code is None:
                people[unit_id] = n
            else:
                counts[unit_id].setdefault(code, {})[int(answer_value)] = n
    return dict(counts), people


def city_accepted_counts(
    *, questionnaire: Questionnaire, period: Period, city: Unit, units: Sequence[Unit] | None = None
) -> tuple[dict[int, Counts], dict[int, int]]:
    """:func:`accepted_counts` of every unit of the city (or of its ``units`` given: the rows of those
    only), read from the kept figures (a few rows per unit, kept in the transaction of every answer and
    review, so never stale); custom dates that cut a month are counted from the answers."""
    keys = tally_selectors.survey_period_keys(period)
    if keys is None:
        counts, people = accepted_counts(questionnaire=questionnaire, period=period, city=city)
        if units is None:
            return counts, people
        wanted = {unit.pk for unit in units}
        return (
            {pk: found for pk, found in counts.items() if pk in wanted},
            {pk: n for pk, n in people.items() if pk in wanted},
        )
    if units is not None:
        return tally_selectors.survey_counts(
            questionnaire=questionnaire, keys=keys, units=[unit.pk for unit in units]
        )
    return tally_selectors.survey_counts(questionnaire=questionnaire, keys=keys, city=city)


def needed_sample(transactions: int | None) -> int | None:
    return sample_size(transactions, SAMPLE_ERROR) if transactions is not None else None


def unit_figures(
    *, unit: Unit, questionnaire: Questionnaire, period: Period, version: QuestionnaireVersion | None = None
) -> Figures:
    version = version or questionnaire.current_version()
    counts, respondents = answer_counts(unit, questionnaire, period)
    result, dropped = compute(counts, respondents, version)
    start, end = period.bounds()
    flagged = Response.objects.filter(
        unit=unit,
        questionnaire=questionnaire,
        status=Response.Status.FLAGGED,
        submitted_at__gte=start,
        submitted_at__lt=end,
    ).count()
    transactions, source = dossier_transactions(unit, period)
    texts = {
        item["code"]: item.get("text", "") for e in version.definition["elements"] for item in e["items"]
    }
    return Figures(
        unit=unit,
        questionnaire=questionnaire,
        version=version,
        period=period,
        result=result,
        flagged=flagged,
        dropped_answers=dropped,
        transactions=transactions,
        transactions_source=source,
        needed=needed_sample(transactions),
        item_texts=texts,
    )


# --------------------------------------------------------------------------------------------------
# The other questions (outside the scale): choices counted, texts listed

#: How many of the latest texts the figures page shows per question (all of them go to the Excel export).
LATEST_TEXTS = 20
TEXT_TYPES = ("text", "needs")
MULTIPLE_TYPES = ("multiple", "needs")


@dataclass(frozen=True)
class ChoiceCount:
    label: str
    count: int
    share: Decimal | None  # percent of the responses that answered the question
    retired: bool = False  # a choice the chosen version no longer offers (answered with an older one)


@dataclass(frozen=True)
class CitizenText:
    submitted_at: dt.datetime
    text: str


@dataclass
class QuestionSummary:
    code: str
    type: str
    text: str
    answered: int = 0  # responses with at least one choice ticked (choice questions)
    choices: list[ChoiceCount] = field(default_factory=list)
    text_count: int = 0  # responses with a text (text and needs questions)
    latest: list[CitizenText] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return definitions.QUESTION_TYPES.get(self.type, self.type)

    @property
    def has_choices(self) -> bool:
        return self.type in ("single", *MULTIPLE_TYPES) and bool(self.choices)

    @property
    def has_texts(self) -> bool:
        return self.type in TEXT_TYPES


def _other_answers(unit: Unit, questionnaire: Questionnaire, period: Period) -> QuerySet[OtherAnswer]:
    """The other answers of the accepted responses of the period (flagged and rejected ones never count)."""
    start, end = period.bounds()
    return OtherAnswer.objects.filter(
        response__unit=unit,
        response__questionnaire=questionnaire,
        response__status=Response.Status.ACCEPTED,
        response__submitted_at__gte=start,
        response__submitted_at__lt=end,
    )


def _share(count: int, answered: int) -> Decimal | None:
    return (Decimal(count) * 100 / Decimal(answered)).quantize(Decimal("0.01")) if answered else None


def _choice_counts(options: Sequence[str], counter: Counter[str], answered: int) -> list[ChoiceCount]:
    rows = [
        ChoiceCount(option, counter.get(option, 0), _share(counter.get(option, 0), answered))
        for option in options
    ]
    known = set(options)
    rows.extend(
        ChoiceCount(label, n, _share(n, answered), retired=True)
        for label, n in sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
        if label not in known
    )
    return rows


def other_question_summaries(
    *, unit: Unit, questionnaire: Questionnaire, period: Period, version: QuestionnaireVersion
) -> list[QuestionSummary]:
    """The answers to the version's questions outside the scale, accepted responses of the period only.

    At most four queries whatever the number of answers: single choices grouped in SQL (a single choice is
    stored as a one-element list); multiple choices and needs counted in Python from one ``values_list`` of
    those questions' rows; the number of texts grouped in SQL; the latest texts of every text question in one
    query (a row number per question). Only the text the citizen typed and the day are returned.
    """
    questions = definitions.questions_of(version.definition)
    if not questions:
        return []
    summaries = {
        q["code"]: QuestionSummary(code=q["code"], type=q["type"], text=q.get("text", "")) for q in questions
    }
    options = {q["code"]: list(q.get("choices") or []) for q in questions}
    rows = _other_answers(unit, questionnaire, period)
    single = [q["code"] for q in questions if q["type"] == "single"]
    multiple = [q["code"] for q in questions if q["type"] in MULTIPLE_TYPES]
    texts = [q["code"] for q in questions if q["type"] in TEXT_TYPES]
    if single:
        counters: dict[str, Counter[str]] = defaultdict(Counter)
        grouped = (
            rows.filter(question__in=single).values("question", "choices").annotate(n=Count("id")).order_by()
        )
        for row in grouped:
            for chosen in row["choices"] or []:
                counters[row["question"]][str(chosen)] += row["n"]
            if row["choices"]:
                summaries[row["question"]].answered += row["n"]
        for code in single:
            summary = summaries[code]
            summary.choices = _choice_counts(options[code], counters[code], summary.answered)
    if multiple:
        counters = defaultdict(Counter)
        for code, chosen in rows.filter(question__in=multiple).values_list("question", "choices").order_by():
            if chosen:
                summaries[code].answered += 1
                counters[code].update(str(c) for c in dict.fromkeys(chosen))
        for code in multiple:
            summary = summaries[code]
            summary.choices = _choice_counts(options[code], counters[code], summary.answered)
    if texts:
        with_text = rows.filter(question__in=texts).exclude(text="")
        for code, n in with_text.values_list("question").annotate(n=Count("id")).values_list("question", "n"):
            summaries[code].text_count = n
        latest = (
            with_text.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("question")],
                    order_by=[F("response__submitted_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=LATEST_TEXTS)
            .order_by("question", "rank")
            .values_list("question", "response__submitted_at", "text")
        )
        for code, submitted_at, text in latest:
            summaries[code].latest.append(CitizenText(submitted_at=submitted_at, text=text))
    return list(summaries.values())


def other_texts(
    *, unit: Unit, questionnaire: Questionnaire, period: Period, version: QuestionnaireVersion
) -> Iterable[tuple[str, dt.datetime, str]]:
    """Every text answer (question code, time, text) of the period's accepted responses, in the order of the
    version's questions then newest first — for the Excel export, in one query."""
    codes = [q["code"] for q in definitions.questions_of(version.definition) if q["type"] in TEXT_TYPES]
    if not codes:
        return []
    position = {code: n for n, code in enumerate(codes)}
    rows = (
        _other_answers(unit, questionnaire, period)
        .filter(question__in=codes)
        .exclude(text="")
        .order_by("-response__submitted_at", "-pk")
        .values_list("question", "response__submitted_at", "text")
    )
    return sorted(rows.iterator(), key=lambda row: position[row[0]])


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    respondents: int
    overall: Decimal | None
    elements: dict[str, Decimal | None]


def _bucket_of(field_name: str, buckets: Sequence[Period]) -> Case:
    """The index of the period a datetime falls in (-1 for none), as plain comparisons in SQL: truncating
    to months in the query instead ran a Python function per answer on SQLite (bench/RESULTS.md)."""
    whens = []
    for index, bucket in enumerate(buckets):
        start, end = bucket.bounds()
        whens.append(When(**{f"{field_name}__gte": start, f"{field_name}__lt": end}, then=Value(index)))
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def trend(
    *,
    unit: Unit,
    questionnaire: Questionnaire,
    buckets: Sequence[Period],
    version: QuestionnaireVersion | None = None,
) -> list[TrendPoint]:
    """Figures for consecutive periods from one grouped query: of the kept figures when every period is
    made of whole months (a year's months or quarters), else of the answers counted per period, item and
    value."""
    version = version or questionnaire.current_version()
    if not buckets:
        return []
    keys = [tally_selectors.survey_period_keys(bucket) for bucket in buckets]
    whole = [found for found in keys if found is not None]
    if len(whole) == len(buckets):
        kept = tally_selectors.unit_survey_counts_by_period(
            questionnaire=questionnaire, unit=unit, keys=sorted({k for found in whole for k in found})
        )
        return _trend_points(
            buckets,
            [_merged([kept[k][0] for k in found]) for found in whole],
            [sum(kept[k][1] for k in found) for found in whole],
            version,
        )
    span = Period("custom", min(b.start for b in buckets), max(b.end for b in buckets))
    start, end = span.bounds()
    month_rows = (
        Answer.objects.filter(
            response__unit=unit,
            response__questionnaire=questionnaire,
            response__status=Response.Status.ACCEPTED,
            response__submitted_at__gte=start,
            response__submitted_at__lt=end,
        )
        .annotate(bucket=_bucket_of("response__submitted_at", buckets))
        .values("bucket", "item", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    respondent_rows = (
        _accepted(Q(unit=unit), questionnaire, start, end)
        .annotate(bucket=_bucket_of("submitted_at", buckets))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: list[Counts] = [{} for _ in buckets]
    people = [0 for _ in buckets]
    for row in month_rows:
        if row["bucket"] >= 0:
            item_counts = counts[row["bucket"]].setdefault(row["item"], {})
            item_counts[row["value"]] = item_counts.get(row["value"], 0) + row["n"]
    for row in respondent_rows:
        if row["bucket"] >= 0:
            people[row["bucket"]] += row["n"]
    return _trend_points(buckets, counts, people, version)


def _merged(parts: Sequence[Counts]) -> Counts:
    """The counts of several kept periods added up (a custom period's months)."""
    if len(parts) == 1:
        return parts[0]
    total: Counts = {}
    for part in parts:
        for item, values in part.items():
            into = total.setdefault(item, {})
            for value, n in values.items():
                into[value] = into.get(value, 0) + n
    return total


def _trend_points(
    buckets: Sequence[Period], counts: Sequence[Counts], people: Sequence[int], version: QuestionnaireVersion
) -> list[TrendPoint]:
    points = []
    for index, bucket in enumerate(buckets):
        result, _dropped = compute(counts[index], people[index], version)
        points.append(
            TrendPoint(
                period=bucket,
                respondents=people[index],
                overall=result.overall,
                elements={e.code: e.index for e in result.elements},
            )
        )
    return points


@dataclass(frozen=True)
class UnitComparison:
    unit: Unit
    respondents: int
    overall: Decimal | None
    elements: dict[str, Decimal | None]
    transactions: int | None
    needed: int | None


def city_comparison(
    *, city: Unit, questionnaire: Questionnaire, period: Period, with_samples: bool = True
) -> list[UnitComparison]:
    """The figures of every commune-level unit of the city for one (shared) questionnaire — the answers
    and respondents of all units in one round trip (:func:`accepted_counts`). With ``with_samples``, the sample size
    each unit needs (the dossier counts of all units in two or three queries, see `dossier_transactions_of`)."""
    version = questionnaire.current_version()
    units = list(Unit.objects.filter(parent=city).exclude(kind__in=Unit.CITY_KINDS).order_by("name"))
    counts, people = city_accepted_counts(questionnaire=questionnaire, period=period, city=city)
    samples = dossier_transactions_of(units, period) if with_samples else {}
    result = []
    for unit in units:
        figures, _dropped = compute(counts.get(unit.pk, {}), people.get(unit.pk, 0), version)
        transactions = samples[unit.pk][0] if with_samples else None
        result.append(
            UnitComparison(
                unit=unit,
                respondents=figures.respondents,
                overall=figures.overall,
                elements={e.code: e.index for e in figures.elements},
                transactions=transactions,
                needed=needed_sample(transactions),
            )
        )
    return result


# --------------------------------------------------------------------------------------------------
# For other areas


def sipas_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The year's overall index of the unit's SIPAS service questionnaire, accepted answers only; None when
    there is no valid answer. Used by criteria with ``source: survey.sipas``."""
    questionnaire, respondents = _sipas_usage(unit, year)
    if questionnaire is None or not respondents:  # no accepted answer this year: no figure
        return None
    period = periods.year(year)
    counts, respondents = answer_counts(unit, questionnaire, period)
    return _sipas_measured(unit, questionnaire, questionnaire.current_version(), year, counts, respondents)


def sipas_respondents(*, unit: Unit, year: int) -> int:
    """The accepted forms counted in :func:`sipas_figure` (the number its label gives); 0 when none."""
    questionnaire, respondents = _sipas_usage(unit, year)
    if questionnaire is None or not respondents:
        return 0
    _counts, respondents = answer_counts(unit, questionnaire, periods.year(year))
    return respondents


@dataclass(frozen=True)
class SampleFigure:
    """The year's SIPAS answers against the sample size the dossier count requires (the figures page's
    progress bar for the year)."""

    year: int
    respondents: int
    needed: int | None  # None: no dossier count to size the sample
    transactions: int | None

    @property
    def reached(self) -> bool | None:
        return None if self.needed is None else self.respondents >= self.needed

    @property
    def missing(self) -> int:
        return max(0, (self.needed or 0) - self.respondents)


def sipas_sample(*, unit: Unit, year: int) -> SampleFigure | None:
    """Accepted answers of the unit's SIPAS questionnaire in ``year`` and the required sample size, as
    :func:`unit_figures` counts them for that year; None without a questionnaire."""
    questionnaire = unit_sipas_questionnaire(unit, year)
    if questionnaire is None:
        return None
    period = periods.year(year)
    _counts, respondents = answer_counts(unit, questionnaire, period)
    transactions, _source = dossier_transactions(unit, period)
    return SampleFigure(year, respondents, needed_sample(transactions), transactions)


def sipas_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`sipas_figure` of many units at once (the city's table of units): the questionnaire each unit
    used most is chosen in one grouped query, and the counts come from :func:`city_accepted_counts` per
    questionnaire and city (read from the kept figures) — the same numbers, without a query per unit."""
    out: dict[int, MeasuredFigure | None] = {unit.pk: None for unit in units}
    if not units:
        return out
    parents = {unit.parent_id for unit in units if unit.parent_id}
    candidates = Questionnaire.objects.filter(
        Q(unit__isnull=True) | Q(unit__in=units) | Q(unit_id__in=parents),
        kind=Questionnaire.Kind.SIPAS_SERVICE,
    )
    owner = dict(candidates.values_list("pk", "unit_id"))
    chosen: dict[int, tuple[int, int]] = {}  # unit → (questionnaire, responses); as _sipas_usage orders
    by_pk = {unit.pk: unit for unit in units}
    only = next(iter(owner.items())) if len(owner) == 1 else None  # (questionnaire, its owner unit)
    if only is not None and (only[1] is None or all(unit.parent_id == only[1] for unit in units)):
        # One questionnaire every unit may use (the usual case: the product's or the city's): no need to
        # group the year's responses to choose it. A unit without answers gets no figure below, as when
        # it is not chosen (its counts are empty).
        chosen = {unit.pk: (only[0], 0) for unit in units}
    else:
        usage = tally_selectors.survey_usage(
            questionnaires=list(owner), units=[unit.pk for unit in units], year=year
        )
        for (unit_id, questionnaire_id), n in usage.items():
            if owner[questionnaire_id] not in (None, unit_id, by_pk[unit_id].parent_id):
                continue  # another unit's own questionnaire
            best = chosen.get(unit_id)
            if best is None or (-n, questionnaire_id) < (-best[1], best[0]):
                chosen[unit_id] = (questionnaire_id, n)
    period = periods.year(year)
    questionnaires = Questionnaire.objects.in_bulk({q for q, _n in chosen.values()})
    cities = Unit.objects.in_bulk({by_pk[u].parent_id for u in chosen} - {None})
    for questionnaire in questionnaires.values():
        version = questionnaire.current_version()
        wanted = [by_pk[u] for u, (q, _n) in chosen.items() if q == questionnaire.pk]
        for parent_id in {unit.parent_id for unit in wanted}:
            group = [unit for unit in wanted if unit.parent_id == parent_id]
            if parent_id is None:
                found = {unit.pk: answer_counts(unit, questionnaire, period) for unit in group}
            else:
                counts, people = city_accepted_counts(
                    questionnaire=questionnaire, period=period, city=cities[parent_id], units=group
                )
                found = {unit.pk: (counts.get(unit.pk, {}), people.get(unit.pk, 0)) for unit in group}
            for unit in group:
                out[unit.pk] = _sipas_measured(unit, questionnaire, version, year, *found[unit.pk])
    return out


def _sipas_measured(
    unit: Unit,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    year: int,
    counts: Counts,
    respondents: int,
) -> MeasuredFigure | None:
    percent = overall_index(counts, respondents, version)
    if percent is None:
        return None
    as_of, query = _year_reading(year)
    return MeasuredFigure(
        percent=percent,
        label=f"Khảo sát SIPAS năm {year} ({respondents} phiếu)",
        numerator=None,  # a mean of element indices, not one ratio: the count of forms is in the label
        denominator=None,
        as_of=as_of,
        reference=f"{unit_address('surveys:unit_figures', unit.slug)}?bang-hoi={questionnaire.pk}&{query}",
    )


def _year_reading(year: int) -> tuple[dt.date, str]:
    """A year's figure's as-of date and query string, once per reading of many units (``shared``)."""

    period = periods.year(year)
    query = "&".join(f"{k}={v}" for k, v in period.query().items())
    return shared(("surveys.year_reading", year), lambda: (min(timezone.localdate(), period.end), query))


@dataclass(frozen=True)
class PublicFigure:
    """What a unit's public page may show: aggregated figures only, never an answer or a person."""

    year: int
    questionnaire_name: str
    respondents: int
    overall: Decimal | None
    elements: tuple[tuple[str, str, Decimal | None], ...]  # (code, name, index)


def public_figures(*, unit: Unit) -> list[PublicFigure]:
    """The SIPAS figures of this year and last year (years without answers left out), newest first."""
    today = timezone.localdate()
    result = []
    for year in (today.year, today.year - 1):
        questionnaire = unit_sipas_questionnaire(unit, year)
        if questionnaire is None:
            continue
        counts, respondents = answer_counts(unit, questionnaire, periods.year(year))
        if not respondents:
            continue
        figures, _dropped = compute(counts, respondents, questionnaire.current_version())
        result.append(
            PublicFigure(
                year=year,
                questionnaire_name=questionnaire.name,
                respondents=respondents,
                overall=figures.overall,
                elements=tuple((e.code, e.name or e.code, e.index) for e in figures.elements),
            )
        )
    return result


# --------------------------------------------------------------------------------------------------
# Home-page panels


def unit_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    year = timezone.localdate().year
    questionnaire = unit_sipas_questionnaire(unit, year)
    if questionnaire is None:
        return None
    figures = unit_figures(unit=unit, questionnaire=questionnaire, period=periods.year(year))
    context = {
        "unit": unit,
        "year": year,
        "figures": figures,
        "flagged": flagged_count(unit),
        "can_review": access.can(request.user, Capability.COORDINATE, unit)
        or access.can(request.user, Capability.LEAD, unit),
    }
    return Panel("surveys/panel_unit.html", context, order=300)


def _city_panel_figures(city: Unit, questionnaire: Questionnaire, year: int) -> dict[str, Any]:
    """The panel's figures: the city's comparison of the year, read from the kept figures (a few queries,
    whatever the number of answers; never stale)."""
    rows = city_comparison(
        city=city, questionnaire=questionnaire, period=periods.year(year), with_samples=False
    )
    with_figures = [r for r in rows if r.overall is not None]
    best = max(with_figures, key=lambda r: r.overall or 0, default=None)
    lowest = min(with_figures, key=lambda r: r.overall or 0, default=None)
    return {
        "units": len(rows),
        "with_figures": len(with_figures),
        "respondents": sum(r.respondents for r in rows),
        "best": _panel_unit(best),
        "lowest": _panel_unit(lowest),
    }


def _panel_unit(row: UnitComparison | None) -> dict[str, Any] | None:
    """What the panel shows of a unit (plain values)."""
    if row is None:
        return None
    return {"unit": {"name": row.unit.name, "slug": row.unit.slug}, "overall": row.overall}


def city_panel(request: HttpRequest, city: Unit) -> Panel | None:
    if not access.can(request.user, Capability.APPRAISE, city):
        return None
    questionnaire = default_sipas_questionnaire()
    if questionnaire is None:
        return None
    year = timezone.localdate().year
    context = {"city": city, "year": year, **_city_panel_figures(city, questionnaire, year)}
    return Panel("surveys/panel_city.html", context, order=300)
