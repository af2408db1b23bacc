"""The seams between areas are explicit and fail loudly: panels, demo steps and measured-figure sources are
registered by each area from its AppConfig.ready(); nothing is looked up by a dotted text path; no broad
``except`` turns a fault into "no data"."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from friendlygov.core import figures
from friendlygov.kit import demo, panels
from friendlygov.kit.registry import NotRegistered, Registry
from friendlygov.rules.scoring import list_bundled_criteria_sets

PACKAGE = Path(__file__).resolve().parents[2] / "friendlygov"


def nothing(*args: Any, **kwargs: Any) -> None:
    return None


def test_the_registries_are_filled_after_django_setup() -> None:
    assert list(panels.UNIT_PANELS) == [
        "org",
        "plans",
        "assessments",
        "surveys",
        "feedback",
        "operations",
        "submissions",
    ]
    assert list(panels.CITY_PANELS) == ["assessments", "surveys", "documents", "submissions"]
    assert list(demo.DEMO_STEPS) == [
        "org",
        "plans",
        "assessments",
        "surveys",
        "feedback",
        "dossiers",
        "tallies",
        "operations",
        "documents",
    ]
    # the later steps run after every first step: this year's measured figures are accepted and the year
    # submitted once the records exist; the programme reviews read the cycle after that
    assert list(demo.DEMO_LATER_STEPS) == ["assessments", "operations"]
    assert set(figures.SOURCES) == set(figures.SOURCE_LABELS)
    from friendlygov.feedback.selectors import unit_home_panel
    from friendlygov.surveys.selectors import sipas_figure, sipas_figures

    assert panels.UNIT_PANELS["feedback"] is unit_home_panel
    assert figures.SOURCES["survey.sipas"].single is sipas_figure
    assert figures.SOURCES["survey.sipas"].batch is sipas_figures


def test_every_source_a_shipped_criteria_template_names_is_registered() -> None:
    named = {
        (name, leaf.code, leaf.source)
        for name, cs in list_bundled_criteria_sets()
        for leaf in cs.leaves()
        if leaf.source
    }
    assert named, "the shipped templates bind criteria to measured figures"
    assert [item for item in named if item[2] not in figures.SOURCES] == []
    assert figures.check_sources() == []


def test_the_system_check_names_a_known_source_no_area_registers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(figures.SOURCE_LABELS, "village.culture", "Số thôn đạt tiêu chí văn hóa")
    errors = figures.check_sources()
    assert [e.id for e in errors] == ["core.E101"] and "village.culture" in errors[0].msg


def test_a_duplicate_or_unknown_registration_fails_at_start_up() -> None:
    before = (
        list(panels.UNIT_PANELS),
        list(panels.CITY_PANELS),
        list(demo.DEMO_STEPS),
        list(figures.SOURCES),
    )
    with pytest.raises(ImproperlyConfigured, match="twice"):
        panels.register_unit_panel("feedback", nothing)
    with pytest.raises(ImproperlyConfigured, match="installed app"):
        panels.register_city_panel("nowhere", nothing)
    with pytest.raises(ImproperlyConfigured, match="twice"):
        demo.register_demo_step("org", nothing)
    with pytest.raises(ImproperlyConfigured, match="not registered before it"):
        demo.register_demo_step("public", nothing, after=("org", "nowhere"))
    with pytest.raises(ImproperlyConfigured, match="installed app"):
        demo.register_demo_step("nowhere", nothing)
    with pytest.raises(ImproperlyConfigured, match="twice"):
        figures.register_source("survey.sipas", single=nothing)
    with pytest.raises(ImproperlyConfigured, match="not a known source key"):
        figures.register_source("survey.sipass", single=nothing)
    after = (list(panels.UNIT_PANELS), list(panels.CITY_PANELS), list(demo.DEMO_STEPS), list(figures.SOURCES))
    assert after == before  # a refused registration leaves nothing behind


def test_a_key_nobody_registered_is_an_error_not_no_data() -> None:
    registry: Registry[int] = Registry("numbers")
    registry.register("one", 1)
    assert registry["one"] == 1 and "two" not in registry
    with pytest.raises(NotRegistered, match="'two'"):
        registry["two"]
    with pytest.raises(NotRegistered), registry.overridden("two", 2):
        pass
    with registry.overridden("one", 11):
        assert registry["one"] == 11
    assert registry["one"] == 1


# ------------------------------------------------------------------------------ the code itself


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


def test_no_area_is_reached_through_a_dotted_text_path() -> None:
    """No import_string (settings may name classes by path; it is Django's own door), and no string that is
    the dotted path of a function of one of our packages."""
    dotted = re.compile(r"^friendlygov\.[a-z_]+\.[a-z_]+\.[A-Za-z_]+$")
    found = []
    for path, tree in _modules():
        if path.name == "settings.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.Attribute) and "import_string" in (
                getattr(node, "id", None),
                getattr(node, "attr", None),
            ):
                found.append(_where(path, node))
            if isinstance(node, ast.ImportFrom) and any(a.name == "import_string" for a in node.names):
                found.append(_where(path, node))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and dotted.match(node.value):
                found.append(f"{_where(path, node)} {node.value}")
    assert found == []


def test_no_broad_except_turns_a_fault_into_no_data() -> None:
    """No ``except Exception``, ``except BaseException`` or bare ``except`` anywhere in the package: each
    handler names what it expects (friendlygov.kit.office_files for broken uploads)."""
    broad = {"Exception", "BaseException"}
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ExceptHandler):
                continue
            caught = node.type
            names = [caught] if caught is None or not isinstance(caught, ast.Tuple) else list(caught.elts)
            for name in names:
                if name is None or (isinstance(name, ast.Name) and name.id in broad):
                    found.append(_where(path, node))
    assert found == []
