"""Queues are set up here (their skill group); the records the imports and the live events
write are shown, never edited."""

from django.contrib import admin

from hotline.contacts.models import (
    AgentStateInterval,
    BadTelephonyLine,
    Contact,
    Queue,
    TelephonyImport,
    UnknownTelephonyEvent,
)
from hotline.read_only_admin import ReadOnlyAdmin


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "skill_group"]
    list_editable = ["name", "skill_group"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["call_id", "queue", "entered_queue_at", "outcome", "wait_s", "agent_name"]
    list_filter = ["queue", "outcome", "source"]
    date_hierarchy = "entered_queue_at"
    search_fields = ["call_id"]


@admin.register(AgentStateInterval)
class AgentStateIntervalAdmin(ReadOnlyAdmin):
    list_display = ["agent_name", "state", "reason", "started_at", "ended_at"]
    list_filter = ["state", "reason"]
    date_hierarchy = "started_at"


class BadLineInline(admin.TabularInline):
    model = BadTelephonyLine
    fields = ["line_number", "reason", "text"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TelephonyImport)
class TelephonyImportAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "importer",
        "started_at",
        "lines_read",
        "calls",
        "state_intervals",
        "unknown_events",
        "bad_lines",
    ]
    inlines = [BadLineInline]


@admin.register(UnknownTelephonyEvent)
class UnknownTelephonyEventAdmin(ReadOnlyAdmin):
    list_display = ["text", "first_import", "line_number"]
