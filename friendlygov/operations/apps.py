from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "friendlygov.operations"
    label = "operations"
