from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_library(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The product's questionnaire library exists after every migrate (and after a test database flush).

    Reference data, not business logic: it creates the missing library questionnaires and never changes
    existing ones (``services.ensure_library`` is idempotent).
    """
    from django.db import connections

    if "surveys_questionnaire" not in connections[using].introspection.table_names():
        return
    from friendlygov.surveys.services import ensure_library

    ensure_library()


class SurveysConfig(AppConfig):
    name = "friendlygov.surveys"
    label = "surveys"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_city_panel, register_unit_panel
        from friendlygov.surveys import demo, selectors

        post_migrate.connect(_ensure_library, sender=self, dispatch_uid="friendlygov.surveys.library")
        register_unit_panel(self.label, selectors.unit_panel)
        register_city_panel(self.label, selectors.city_panel)
        register_source("survey.sipas", single=selectors.sipas_figure, batch=selectors.sipas_figures)
        register_demo_step(self.label, demo.load, after=("org",))
