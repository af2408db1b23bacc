from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "friendlygov.audit"
    label = "audit"
