from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "friendlygov.evidence"
    label = "evidence"
