"""The SIPAS figures of counts for a questionnaire version (the one formula of
:func:`friendlygov.rules.sipas.compute_indices_from_counts`), kept per frozen version and counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from friendlygov.rules.sipas import Questionnaire as SipasQuestionnaire
from friendlygov.rules.sipas import SipasResult, compute_indices_from_counts, overall_index_from_counts
from friendlygov.surveys import definitions
from friendlygov.surveys.models import QuestionnaireVersion

Counts = dict[str, dict[int, int]]


def _split_counts(
    counts: Counts, definition: dict[str, Any], known: frozenset[str] | None = None
) -> tuple[Counts, int]:
    known = known if known is not None else frozenset(definitions.item_codes(definition))
    kept = {item: values for item, values in counts.items() if item in known}
    dropped = sum(n for item, values in counts.items() if item not in known for n in values.values())
    return kept, dropped


#: Figures already computed, by frozen version and counts (see :func:`compute`); bounded, per process.
_COMPUTED: dict[tuple[Any, ...], tuple[SipasResult, int]] = {}
_COMPUTED_MAX = 4096
#: The overall indices :func:`overall_index` computed alone, by the same key (one per unit and period a
#: measured criterion reads: a city's table holds 114).
_OVERALLS: dict[tuple[Any, ...], Decimal | None] = {}
_OVERALLS_MAX = 1024


def compute(counts: Counts, respondents: int, version: QuestionnaireVersion) -> tuple[SipasResult, int]:
    """The spec's figures for a version's layout and weights; answers to items it lacks are dropped.

    A frozen version's definition never changes, so its figures for the same counts are kept: the city's
    table asks for every unit's figures on each visit, and the counts only move when answers arrive. The
    key holds the counts themselves and the moment the version froze, so nothing stale can be returned."""
    if version.frozen_at is None:  # a draft's definition may still change
        return _compute(counts, respondents, version.definition)
    key = _key(counts, respondents, version)
    found = _COMPUTED.get(key)
    if found is None:
        found = _compute(counts, respondents, version.definition, _frozen_layout(key, version))
        if len(_COMPUTED) >= _COMPUTED_MAX:
            _COMPUTED.clear()
        _COMPUTED[key] = found
    return found


def overall_index(counts: Counts, respondents: int, version: QuestionnaireVersion) -> Decimal | None:
    """``compute(...)[0].overall`` alone (:func:`overall_index_from_counts`: the same formula without the
    items' rounding and intervals) — what a measured criterion reads for every unit of a city; kept like
    :func:`compute`'s figures, and taken from them when they are already kept."""
    if version.frozen_at is None:  # a draft's definition may still change
        return _overall(counts, respondents, version.definition)
    key = _key(counts, respondents, version)
    full = _COMPUTED.get(key)
    if full is not None:
        return full[0].overall
    # One lookup and a local result: another thread of the worker may empty the dict at any moment.
    try:
        return _OVERALLS[key]
    except KeyError:
        pass
    found = _overall(counts, respondents, version.definition, _frozen_layout(key, version))
    if len(_OVERALLS) >= _OVERALLS_MAX:
        _OVERALLS.clear()
    _OVERALLS[key] = found
    return found


def _key(counts: Counts, respondents: int, version: QuestionnaireVersion) -> tuple[Any, ...]:
    """What a frozen version's figures depend on: the version, the moment it froze, the counts."""
    return (
        version.pk,
        version.frozen_at,
        respondents,
        tuple((item, tuple(values.items())) for item, values in counts.items()),
    )


def _frozen_layout(
    key: tuple[Any, ...], version: QuestionnaireVersion
) -> tuple[SipasQuestionnaire, frozenset[str]]:
    """A frozen version's questionnaire and item codes, read from its definition once (by ``key[:2]``)."""
    layout = _LAYOUTS.get(key[:2])
    if layout is None:
        if len(_LAYOUTS) >= _COMPUTED_MAX:
            _LAYOUTS.clear()
        layout = _LAYOUTS[key[:2]] = _layout(version.definition)
    return layout


def clear_computed() -> None:
    """Forget the figures :func:`compute` and :func:`overall_index` kept, and the versions' layouts (the
    benchmarks measure the computation itself, or a restarted worker)."""
    _COMPUTED.clear()
    _OVERALLS.clear()
    _LAYOUTS.clear()


#: A frozen version's questionnaire and item codes, read once from its definition (by the same key's
#: version and freezing moment): the city's table computes every unit's figures with the same version.
_LAYOUTS: dict[tuple[Any, ...], tuple[SipasQuestionnaire, frozenset[str]]] = {}


def _layout(definition: dict[str, Any]) -> tuple[SipasQuestionnaire, frozenset[str]]:
    return definitions.to_rules(definition), frozenset(definitions.item_codes(definition))


def _compute(
    counts: Counts,
    respondents: int,
    definition: dict[str, Any],
    layout: tuple[SipasQuestionnaire, frozenset[str]] | None = None,
) -> tuple[SipasResult, int]:
    rules, kept, dropped = _prepared(counts, definition, layout)
    return compute_indices_from_counts(kept, respondents, rules), dropped


def _overall(
    counts: Counts,
    respondents: int,
    definition: dict[str, Any],
    layout: tuple[SipasQuestionnaire, frozenset[str]] | None = None,
) -> Decimal | None:
    """:func:`_compute`'s overall index alone, from the same kept counts."""
    rules, kept, _dropped = _prepared(counts, definition, layout)
    return overall_index_from_counts(kept, respondents, rules)


def _prepared(
    counts: Counts, definition: dict[str, Any], layout: tuple[SipasQuestionnaire, frozenset[str]] | None
) -> tuple[SipasQuestionnaire, Counts, int]:
    """The version's questionnaire (``layout`` when already read), the counts of its items and the number
    of answers dropped for items it lacks."""
    rules, known = layout if layout is not None else _layout(definition)
    kept, dropped = _split_counts(counts, definition, known)
    return rules, kept, dropped
