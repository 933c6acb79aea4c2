from django.contrib import admin

from hotline.reports.models import Outage


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["system", "started_at", "ended_at", "note"]
    date_hierarchy = "started_at"
