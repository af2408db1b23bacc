"""The garbage collector's thresholds come from settings (see settings.GC_THRESHOLD for why)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.conf import settings

from friendlygov.core.apps import apply_gc_threshold


@pytest.fixture
def _restore_gc() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


@pytest.mark.usefixtures("_restore_gc")
def test_threshold_is_applied_and_zero_keeps_pythons_own() -> None:
    apply_gc_threshold((40000, 15, 9))
    assert gc.get_threshold() == (40000, 15, 9)
    apply_gc_threshold((0,))
    apply_gc_threshold(())
    assert gc.get_threshold() == (40000, 15, 9)


def test_the_app_starts_with_the_configured_threshold() -> None:
    assert settings.GC_THRESHOLD == (50000, 20, 10)
    assert gc.get_threshold() == settings.GC_THRESHOLD
