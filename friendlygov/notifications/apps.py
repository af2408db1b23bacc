from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "friendlygov.notifications"
    label = "notifications"
