from django.contrib import admin

from hotline.read_only_admin import ReadOnlyAdmin
from hotline.workforce.models import Forecast, Schedule, ShiftTemplate, WorkContract


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "earliest_start",
        "latest_start",
        "length_minutes",
        "cost",
        "active",
    ]
    list_filter = ["active"]


# Forecasts and schedules are built and published by the planner's pages, which keep
# their figures consistent; the admin shows them.
@admin.register(Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ["queue", "week_start", "interval_minutes", "model", "created_at"]
    exclude = ["volumes", "handle_times"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["skill_group", "week_start", "status", "total_cost", "created_at"]
    list_filter = ["status"]
    exclude = ["required", "scheduled"]


@admin.register(WorkContract)
class WorkContractAdmin(admin.ModelAdmin):
    list_display = ["agent", "weekly_hours", "preferred_start"]
    autocomplete_fields = ["agent"]
    search_fields = ["agent__agent_id", "agent__full_name"]
