from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "friendlygov.documents"
    label = "documents"
