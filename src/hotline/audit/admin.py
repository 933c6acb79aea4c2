from django.contrib import admin

from hotline.audit.models import AuditEvent
from hotline.read_only_admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """History is shown, never edited: no add, change or delete, whoever asks."""

    list_display = ["at", "actor_label", "action", "source", "target_type", "target_label"]
    list_filter = ["action", "source", "target_type"]
    search_fields = ["actor_label", "target_label"]
    date_hierarchy = "at"
