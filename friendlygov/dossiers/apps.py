from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "friendlygov.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.dossiers import demo, selectors
        from friendlygov.kit.demo import register_demo_step

        register_source("service.on_time", single=selectors.on_time_figure, batch=selectors.on_time_figures)
        register_source(
            "service.online_share", single=selectors.online_share_figure, batch=selectors.online_share_figures
        )
        register_source(
            "service.digitisation", single=selectors.digitisation_figure, batch=selectors.digitisation_figures
        )
        register_demo_step(self.label, demo.load, after=("org",))
