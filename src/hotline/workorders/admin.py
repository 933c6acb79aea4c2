"""Admin pages for what admins set up (categories, calendars, time limits, grading);
orders themselves are read here and changed only through their steps."""

from django.contrib import admin

from hotline.read_only_admin import ReadOnlyAdmin
from hotline.workorders import clocks
from hotline.workorders.models import (
    BusinessCalendar,
    Category,
    FaultGradingRule,
    OpeningPeriod,
    PublicHoliday,
    SlaLimit,
    SlaPolicy,
    StageClock,
    WorkOrder,
)


class ForgetsCachedSetup(admin.ModelAdmin):
    """Saving a calendar, policy or holiday takes effect in this process at once
    (others pick it up within a minute)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        clocks.forget_cached_setup()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        clocks.forget_cached_setup()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        clocks.forget_cached_setup()


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "order_type",
        "first_line_may_close",
        "default_department",
        "active",
    ]
    list_filter = ["order_type", "first_line_may_close", "active"]
    search_fields = ["code", "name"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ForgetsCachedSetup):
    list_display = ["name", "always_open", "observe_public_holidays"]
    inlines = [OpeningPeriodInline]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(ForgetsCachedSetup):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class SlaLimitInline(admin.TabularInline):
    model = SlaLimit
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ForgetsCachedSetup):
    list_display = [
        "name",
        "order_type",
        "grade",
        "complaint_level",
        "tier",
        "calendar",
        "warning_share",
        "active",
    ]
    list_filter = ["order_type", "active"]
    inlines = [SlaLimitInline]


@admin.register(FaultGradingRule)
class FaultGradingRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "fault_scope", "service_type", "tier", "repeat", "grade"]
    list_editable = ["fault_scope", "service_type", "tier", "repeat", "grade"]


class StageClockInline(admin.TabularInline):
    model = StageClock
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in StageClock._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "order_type",
        "state",
        "priority",
        "owner",
        "department",
        "created_at",
    ]
    list_filter = ["order_type", "state", "green_channel"]
    search_fields = ["number"]
    inlines = [StageClockInline]
