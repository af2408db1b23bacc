from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "friendlygov.core"
    label = "core"
