from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "friendlygov.plans"
    label = "plans"
