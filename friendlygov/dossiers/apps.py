from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "friendlygov.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        from friendlygov.core.figures import register_source
        from friendlygov.dossiers import demo, selectors
        from friendlygov.kit.demo import register_demo_step

        # judged against the moment (a pending dossier is late from its deadline's minute): changes_at
        for key, single, batch in (
            ("service.on_time", selectors.on_time_figure, selectors.on_time_figures),
            ("service.online_share", selectors.online_share_figure, selectors.online_share_figures),
            ("service.digitisation", selectors.digitisation_figure, selectors.digitisation_figures),
        ):
            register_source(key, single=single, batch=batch, changes_at=selectors.next_changes)
        register_demo_step(self.label, demo.load, after=("org",))
