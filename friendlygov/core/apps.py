import gc

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def apply_gc_threshold(threshold: tuple[int, ...]) -> None:
    """Set the garbage collector's thresholds from ``settings.GC_THRESHOLD`` (why: see settings.py);
    an empty setting or a first value of 0 keeps Python's own."""
    if threshold and threshold[0] > 0:
        gc.set_threshold(*threshold[:3])


class CoreConfig(AppConfig):
    name = "friendlygov.core"
    label = "core"

    def ready(self) -> None:
        from friendlygov.core.figures import check_sources

        apply_gc_threshold(settings.GC_THRESHOLD)
        checks.register(check_sources)
