"""Measured figures: the source keys a criterion may name (``source:`` in a criteria set, see
docs/spec/criteria-set-format.md) and the selectors the areas register for them.

The area that measures a figure registers it from its own ``AppConfig.ready()``::

    figures.register_source("survey.sipas", single=selectors.sipas_figure, batch=selectors.sipas_figures)

A single selector takes ``(*, unit, year)`` and returns a :class:`~friendlygov.rules.figures.MeasuredFigure`
or ``None`` — ``None`` is "no data", the only way to say it. The optional batch selector takes
``(*, units, year)`` and returns ``{unit id: MeasuredFigure | None}`` for many units at once (the city's
table reads every open cycle's sources). A key not listed in :data:`SOURCE_LABELS` or registered twice
fails at start-up; reading a key nobody registered raises :class:`~friendlygov.kit.registry.NotRegistered`.

The registry lives in the shell so that no area depends on another to contribute a figure: assessments
reads them (``assessments.sources``), the areas that measure register them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from friendlygov.kit.registry import Registry
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.scoring import CriteriaSet, list_bundled_criteria_sets

# The source keys and what each measures (Vietnamese: shown beside the criterion).
SOURCE_LABELS: dict[str, str] = {
    "survey.sipas": "Kết quả khảo sát SIPAS của xã",
    "city.par_index": "Chỉ số PAR INDEX do thành phố công bố",
    "city.sipas": "Chỉ số SIPAS do thành phố công bố",
    "service.on_time": "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
    "service.online_share": "Tỷ lệ hồ sơ TTHC trực tuyến",
    "service.digitisation": "Tỷ lệ hồ sơ TTHC được số hóa",
    "feedback.on_time": "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
    "feedback.satisfaction": "Mức hài lòng với việc xử lý phản ánh",
    "plan.task_completion": "Tỷ lệ nhiệm vụ kế hoạch hoàn thành",
    "villages.cultural_share": "Tỷ lệ thôn đạt mọi nội dung bình xét gắn với Chính quyền thân thiện",
    "communication.panels": "Pano, khẩu hiệu tuyên truyền đã dựng theo vị trí",
    "communication.channels": "Các kênh thông tin, tuyên truyền đã có hoạt động",
}


class FigureSelector(Protocol):
    def __call__(self, *, unit: Unit, year: int) -> MeasuredFigure | None: ...


class BatchFigureSelector(Protocol):
    def __call__(self, *, units: Sequence[Unit], year: int) -> Mapping[int, MeasuredFigure | None]: ...


class ChangeMoments(Protocol):
    """When a source's figures next change by the passing of time alone, after ``now`` (by unit id; a unit
    left out changes only with its records or the date)."""

    def __call__(
        self, *, units: Sequence[Unit], year: int, now: dt.datetime
    ) -> Mapping[int, dt.datetime]: ...


@dataclass(frozen=True)
class FigureSource:
    key: str
    label: str  # Vietnamese: what the figure is
    single: FigureSelector
    batch: BatchFigureSelector | None = None
    # A checklist source: its item keys and what each means (Vietnamese); a checklist criterion bound to
    # it names one key per item in ``source_items``. Empty for a percentage source.
    items: Mapping[str, str] | None = None
    # A source judged against the moment, not only the date (a dossier is late from its deadline's
    # minute): when its figures next change with no record changing. Without it, a source's figures change
    # only with its records and with the date (what is kept from them lasts until midnight at most).
    changes_at: ChangeMoments | None = None


def _known_key(key: str) -> None:
    if key not in SOURCE_LABELS:
        raise ImproperlyConfigured(
            f"measured figures: {key!r} is not a known source key (add it to SOURCE_LABELS and to "
            "docs/spec/criteria-set-format.md first)."
        )


SOURCES: Registry[FigureSource] = Registry("measured-figure sources", _known_key)


def register_source(
    key: str,
    *,
    single: FigureSelector,
    batch: BatchFigureSelector | None = None,
    items: Mapping[str, str] | None = None,
    changes_at: ChangeMoments | None = None,
) -> None:
    """Register the selector(s) of a source key; ``items`` for a checklist source (its item keys);
    ``changes_at`` for a source judged against the moment (see :class:`FigureSource`)."""
    SOURCES.register(
        key,
        FigureSource(
            key, SOURCE_LABELS.get(key, key), single, batch, dict(items) if items else None, changes_at
        ),
    )


_T = TypeVar("_T")

# What the batch selectors read alike during one reading of many sources (see :func:`one_reading`).
_shared_reads: ContextVar[dict[Hashable, Any] | None] = ContextVar("friendlygov_shared_reads", default=None)


@contextlib.contextmanager
def one_reading() -> Iterator[None]:
    """Several sources read together (the city's table reads every source of every open cycle): inside,
    what their batch selectors compute alike — the same counts behind 2.1, 3.3 and 4.2, behind 5.2 and
    5.3 — is computed once (:func:`shared`). Nothing outlives the block: the next reading counts again."""
    if _shared_reads.get() is not None:
        yield
        return
    token = _shared_reads.set({})
    try:
        yield
    finally:
        _shared_reads.reset(token)


def shared(key: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()``, once per ``key`` inside :func:`one_reading` (the key names the function and every
    argument the result depends on); outside one, computed each time."""
    memo = _shared_reads.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


# A unit's slug in an address reversed once per reading (a slug matches Django's slug converter)
_SLUG_MARK = "__slug__"


def unit_address(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})`` for a page whose one argument is a unit's slug: inside
    :func:`one_reading` the address is reversed once per name and the slug put in (a city's table links
    each source's figure of 114 units: reversing each costs ~10 ms a table)."""
    pattern = shared(("unit_address", name), lambda: reverse(name, kwargs={"slug": _SLUG_MARK}))
    return pattern.replace(_SLUG_MARK, slug, 1)


def unregistered_keys(keys: Sequence[str] | set[str]) -> list[str]:
    """The keys among ``keys`` that no area registered, sorted."""
    return sorted(key for key in set(keys) if key not in SOURCES)


def binding_problems(cs: CriteriaSet) -> list[tuple[str, str]]:
    """How the registered sources' kinds and a criteria set's bindings disagree, as (criterion code,
    Vietnamese message): a checklist source needs a checklist criterion naming one of the source's item
    keys per item in ``source_items``; a percentage source cannot score a checklist. Keys no area
    registered are left to :func:`unregistered_keys`."""
    problems: list[tuple[str, str]] = []
    for leaf in cs.leaves():
        if not leaf.source or leaf.source not in SOURCES:
            continue
        source = SOURCES[leaf.source]
        if source.items is None:
            if leaf.kind == "checklist":
                problems.append(
                    (
                        leaf.code,
                        f"Tiêu chí {leaf.code}: nguồn số liệu «{leaf.source}» cho một tỷ lệ phần trăm, "
                        "không dùng cho tiêu chí chấm theo danh mục.",
                    )
                )
            continue
        known = ", ".join(source.items)
        if leaf.kind != "checklist":
            problems.append(
                (
                    leaf.code,
                    f"Tiêu chí {leaf.code}: nguồn số liệu «{leaf.source}» là một danh mục; tiêu chí phải "
                    "chấm theo danh mục (input: checklist).",
                )
            )
            continue
        mapping = leaf.extra.get("source_items")
        count = len(leaf.items or [])
        if not isinstance(mapping, list) or len(mapping) != count:
            problems.append(
                (
                    leaf.code,
                    f"Tiêu chí {leaf.code}: ghi «source_items» gồm {count} mã, mỗi mục của danh mục một mã "
                    f"(các mã của nguồn «{leaf.source}»: {known}).",
                )
            )
            continue
        for number, key in enumerate(mapping, start=1):
            if not isinstance(key, str) or key not in source.items:
                problems.append(
                    (
                        leaf.code,
                        f"Tiêu chí {leaf.code}, mục {number}: mã «{key}» không có trong nguồn "
                        f"«{leaf.source}» (các mã có: {known}).",
                    )
                )
    return problems


def check_sources(**kwargs: object) -> list[CheckMessage]:
    """System check (``manage.py check``, run before the server and migrations start): every known source
    key, and every key a bundled criteria template names, has a registered selector."""
    errors: list[CheckMessage] = []
    for key in unregistered_keys(set(SOURCE_LABELS)):
        errors.append(Error(f"No area registers the measured-figure source {key!r}.", id="core.E101"))
    for name, cs in list_bundled_criteria_sets():
        named = {leaf.source for leaf in cs.leaves() if leaf.source}
        for key in unregistered_keys(named):
            errors.append(
                Error(
                    f"The bundled criteria set {name!r} names the unregistered source {key!r}.",
                    id="core.E102",
                )
            )
        for _code, message in binding_problems(cs):
            errors.append(Error(f"The bundled criteria set {name!r}: {message}", id="core.E103"))
    return errors
