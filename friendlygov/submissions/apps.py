from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "friendlygov.submissions"
    label = "submissions"

    def ready(self) -> None:
        from friendlygov.kit.panels import register_city_panel, register_unit_panel
        from friendlygov.submissions import selectors

        register_unit_panel(self.label, selectors.unit_panel)
        register_city_panel(self.label, selectors.city_panel)
