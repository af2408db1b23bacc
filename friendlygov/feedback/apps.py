from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "friendlygov.feedback"
    label = "feedback"
