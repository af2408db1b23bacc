from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "friendlygov.operations"
    label = "operations"

    def ready(self) -> None:
        from friendlygov.core.demo import register_demo_step
        from friendlygov.core.panels import register_unit_panel
        from friendlygov.operations import demo, selectors

        register_unit_panel(self.label, selectors.unit_home_panel)
        register_demo_step(self.label, demo.load, after=("org", "plans", "assessments"))
