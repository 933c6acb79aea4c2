from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import Department, Region, SkillGroup, Team, User


@admin.register(User)
class HotlineUserAdmin(UserAdmin):
    list_display = ["agent_id", "username", "full_name", "team", "is_active"]
    list_filter = ["groups", "team", "department", "is_active"]
    search_fields = ["agent_id", "username", "full_name"]
    ordering = ["agent_id"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            _("坐席信息"),
            {"fields": ["agent_id", "full_name", "department", "team", "skill_groups", "regions"]},
        ),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("坐席信息"), {"fields": ["agent_id", "full_name", "team", "groups", "regions"]}),
    ]
    filter_horizontal = ["groups", "user_permissions", "skill_groups", "regions"]


admin.site.register(Region, list_display=["code", "name"])
admin.site.register(Department)
admin.site.register(Team, list_display=["name", "department"])
admin.site.register(SkillGroup, list_display=["code", "name"])
