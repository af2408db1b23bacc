from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "friendlygov.plans"
    label = "plans"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_unit_panel
        from friendlygov.plans import demo, selectors

        register_unit_panel(self.label, selectors.home_panel)
        register_source("plan.task_completion", single=selectors.task_completion_figure)
        register_demo_step(self.label, demo.load, after=("org",))
