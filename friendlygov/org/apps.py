from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "friendlygov.org"
    label = "org"

    def ready(self) -> None:
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_unit_panel
        from friendlygov.org import demo, selectors

        register_unit_panel(self.label, selectors.unit_home_panel)
        register_demo_step(self.label, demo.load)
