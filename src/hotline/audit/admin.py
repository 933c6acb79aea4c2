from django.contrib import admin

from hotline.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """History is shown, never edited: no add, change or delete, whoever asks."""

    list_display = ["at", "actor_label", "action", "source", "target_type", "target_label"]
    list_filter = ["action", "source", "target_type"]
    search_fields = ["actor_label", "target_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
