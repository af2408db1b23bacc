from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "friendlygov.operations"
    label = "operations"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_unit_panel
        from friendlygov.operations import demo, figures, selectors

        register_unit_panel(self.label, selectors.unit_home_panel)
        register_source(
            "villages.cultural_share",
            single=figures.village_share_figure,
            batch=figures.village_share_figures,
        )
        register_source(
            "communication.panels",
            single=figures.panel_figure,
            batch=figures.panel_figures,
            items=figures.PANEL_ITEMS,
        )
        register_source(
            "communication.channels",
            single=figures.channel_figure,
            batch=figures.channel_figures,
            items=figures.CHANNEL_ITEMS,
        )
        register_demo_step(self.label, demo.load, after=("org", "plans", "assessments"), later=demo.finish)
