"""The rows of the city's table of units (``assessments/city_overview.html``), written here rather than by
a template loop: 114 units × some thirty values each cost the template engine about as much as scoring
every open cycle. The page's words are translated once in the template (``{% translate … as … %}``) and
read from its context; the output is what the loop gave, value for value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from friendlygov.assessments.selectors.city import CityRow
from friendlygov.assessments.selectors.values import COLUMN_LABELS, COLUMNS
from friendlygov.core.templatetags.vn import vn_date, vn_decimal

register = template.Library()


def _e(value: Any) -> str:
    """A value as ``{{ value }}`` renders it (localized, escaped)."""
    return str(conditional_escape(localize(value)))


def _late(late: bool, words: Mapping[str, Any]) -> str:
    return f' <span class="tag tag-late">{words["t_late"]}</span>' if late else ""


def _registration_cell(row: CityRow, statuses: Mapping[str, str], words: Mapping[str, Any]) -> str:
    reg, cycle = row.registration, row.cycle
    assert cycle is not None
    if reg is not None:
        tag = {"accepted": " tag-ok", "changes_requested": " tag-late"}.get(reg.status, " tag-warn")
        head = f'{_e(reg.target_level_name)} · <span class="tag{tag}">{_e(statuses.get(reg.status))}</span>'
    else:
        head = f'<span class="muted">{words["t_not_registered"]}</span>'
    due = f"{words['t_due']} {_e(vn_date(cycle.registration_deadline))}{_late(row.registration_late, words)}"
    return f'<td data-label="{words["l_registration"]}">{head}<div class="muted">{due}</div></td>'


def _dossier_cell(row: CityRow, statuses: Mapping[str, str], words: Mapping[str, Any]) -> str:
    cycle = row.cycle
    assert cycle is not None
    if cycle.submitted_at:
        when = _e(vn_date(cycle.submitted_at))
    else:
        when = f"{words['t_due']} {_e(vn_date(cycle.submission_deadline))}"
    return (
        f'<td data-label="{words["l_dossier"]}"><span class="tag">{_e(statuses.get(cycle.status))}</span>'
        f'<div class="muted">{words["t_submitted"]} {when}{_late(row.submission_late, words)}</div>'
        f'<div class="muted">{words["t_appraisal_due"]} {_e(vn_date(cycle.appraisal_deadline))}'
        f"{_late(row.appraisal_late, words)}</div></td>"
    )


def _done_cell(row: CityRow, words: Mapping[str, Any]) -> str:
    done = row.completeness
    values = {
        "a": _e(done.scored if done else ""),
        "b": _e(done.scorable if done else ""),
        "c": _e(done.with_evidence if done else ""),
    }
    text = gettext("%(a)s/%(b)s đã chấm, %(c)s có minh chứng") % values
    return f'<td data-label="{words["l_done"]}">{text}</td>'


def _total_cells(row: CityRow) -> str:
    cells = []
    for column in COLUMNS:  # the header's order, whatever order the row's totals were filled in
        value = row.totals.get(column)
        shown = f'{_e(vn_decimal(value[0]))}<div class="muted">{_e(value[1])}</div>' if value else "—"
        cells.append(f'<td class="num" data-label="{_e(COLUMN_LABELS[column])}">{shown}</td>')
    return "".join(cells)


def _recognition_cell(row: CityRow, words: Mapping[str, Any]) -> str:
    rec = row.recognition
    shown = (
        f'<span class="tag tag-ok">{_e(rec.level_name)}</span><div class="muted">{_e(rec.decision_number)}</div>'
        if rec
        else "—"
    )
    return f'<td data-label="{words["l_recognition"]}">{shown}</td>'


def _row(row: CityRow, year: int, context: Any) -> str:
    unit, indent = row.unit, "\n      "
    name = _e(unit.full_name)
    if row.cycle is not None:
        url = _e(reverse("assessments:cycle_detail", args=[unit.slug, year]))
        first = f'<a href="{url}">{name}</a>'
        cells = indent.join(
            [
                "",
                _registration_cell(row, context["registration_statuses"], context),
                _dossier_cell(row, context["cycle_statuses"], context),
                _done_cell(row, context),
                _total_cells(row),
                _recognition_cell(row, context),
                "",
            ]
        )
    else:
        first = name
        cells = f'{indent}<td colspan="7" data-label="{context["l_status"]}"><span class="muted">{context["t_not_open"]}</span></td>{indent}'
    return (
        f'\n    <tr data-unit="{_e(unit.slug)}">{indent}<td data-label="{context["l_unit"]}">{first}</td>{indent}'
        f"{cells}\n    </tr>"
    )


@register.simple_tag(takes_context=True)
def city_table_rows(context: Any, rows: Sequence[CityRow], year: int) -> SafeString:
    """The ``<tr>`` of every row (none when there are none: the template says so)."""
    return mark_safe("".join(_row(row, year, context) for row in rows))  # noqa: S308 — every value escaped above
