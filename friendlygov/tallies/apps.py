from typing import Any

from django.apps import AppConfig


class TalliesConfig(AppConfig):
    name = "friendlygov.tallies"
    label = "tallies"

    def ready(self) -> None:
        from friendlygov.core.calendar import on_calendar_change
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.tallies import services

        # The demo loaders write answers in bulk: the kept figures are counted from them once every area's
        # records exist (before the later steps, which read the figures).
        def count_the_demo(context: Any) -> None:
            services.rebuild()

        register_demo_step(self.label, count_the_demo, after=("surveys", "dossiers", "feedback"))
        # The feedback verdicts count working days: a change of the calendar counts them again.
        on_calendar_change(services.rebuild_feedback)
