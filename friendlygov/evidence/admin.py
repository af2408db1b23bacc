from django.contrib import admin

from friendlygov.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin[EvidenceFile]):
    list_display = ["original_name", "unit", "body", "effective_date", "uploaded_at", "sha256"]
    list_filter = ["unit"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_by", "uploaded_at"]
