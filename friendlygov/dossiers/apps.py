from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "friendlygov.dossiers"
    label = "dossiers"
