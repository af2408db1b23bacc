from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "friendlygov.surveys"
    label = "surveys"
