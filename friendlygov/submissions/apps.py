from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "friendlygov.submissions"
    label = "submissions"
