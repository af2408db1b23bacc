from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "friendlygov.org"
    label = "org"
