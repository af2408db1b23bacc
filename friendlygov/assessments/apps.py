from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "friendlygov.assessments"
    label = "assessments"

    def ready(self) -> None:
        from friendlygov.assessments import demo, selectors
        from friendlygov.core.figures import register_source
        from friendlygov.kit.demo import register_demo_step
        from friendlygov.kit.panels import register_city_panel, register_unit_panel

        register_unit_panel(self.label, selectors.unit_home_panel)
        register_city_panel(self.label, selectors.city_home_panel)
        register_source(
            "city.par_index", single=selectors.city_par_index_figure, batch=selectors.city_par_index_figures
        )
        register_source("city.sipas", single=selectors.city_sipas_figure, batch=selectors.city_sipas_figures)
        register_demo_step(self.label, demo.load, after=("org", "plans"), later=demo.finish)
