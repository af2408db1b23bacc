from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "friendlygov.feedback"
    label = "feedback"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.feedback import demo, selectors
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_unit_panel

        register_unit_panel(self.label, selectors.unit_home_panel)
        register_source(
            "feedback.on_time",
            single=selectors.feedback_on_time_figure,
            batch=selectors.feedback_on_time_figures,
        )
        register_source(
            "feedback.satisfaction",
            single=selectors.feedback_satisfaction_figure,
            batch=selectors.feedback_satisfaction_figures,
        )
        register_demo_step(self.label, demo.load, after=("org",))
