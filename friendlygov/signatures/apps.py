from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "friendlygov.signatures"
    label = "signatures"
