from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "friendlygov.documents"
    label = "documents"

    def ready(self) -> None:
        from friendlygov.documents import demo, selectors
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_city_panel

        register_city_panel(self.label, selectors.city_panel)
        register_demo_step(
            self.label,
            demo.load,
            after=("org", "plans", "assessments", "surveys", "feedback", "dossiers", "operations"),
        )
