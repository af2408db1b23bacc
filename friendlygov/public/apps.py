from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "friendlygov.public"
    label = "public"
