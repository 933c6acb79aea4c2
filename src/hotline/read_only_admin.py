"""Admin pages for records only Hotline's services write: shown, never added, changed or
deleted there, whoever asks (the services record the history the admin would bypass)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
