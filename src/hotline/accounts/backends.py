"""Django's model permissions, with a user's roles and permissions read in one query.

Every API call asks for the caller's permissions and role; Django's ModelBackend reads
the user's own permissions and the role's permissions in two queries, and the role is a
third. Here one query returns the user's groups with their permissions and the user's own
permissions, and fills the caches ModelBackend and User.role read from.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, F, Value

from hotline.accounts.roles import ROLE_NAMES


def _load_roles_and_permissions(user) -> None:
    by_role = (
        Group.objects.filter(user=user)
        .annotate(
            app_label=F("permissions__content_type__app_label"),
            codename=F("permissions__codename"),
        )
        .values_list("name", "app_label", "codename")
        .order_by()  # a compound statement's parts may not be ordered
    )
    own = (
        Permission.objects.filter(user=user)
        .annotate(group_name=Value(None, output_field=CharField()))
        .values_list("group_name", "content_type__app_label", "codename")
        .order_by()
    )
    groups, from_groups, from_user = set(), set(), set()
    for group_name, app_label, codename in by_role.union(own, all=True):
        if group_name is not None:
            groups.add(group_name)
        if codename is None:
            continue  # a group with no permissions
        (from_groups if group_name is not None else from_user).add(f"{app_label}.{codename}")
    user._user_perm_cache = from_user
    user._group_perm_cache = from_groups
    user._perm_cache = from_user | from_groups
    user.__dict__["role"] = next((name for name in ROLE_NAMES if name in groups), None)


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            _load_roles_and_permissions(user_obj)
        return user_obj._perm_cache

    def get_user_permissions(self, user_obj, obj=None):
        if user_obj.is_superuser:
            return super().get_user_permissions(user_obj, obj)
        self.get_all_permissions(user_obj, obj)
        return getattr(user_obj, "_user_perm_cache", set())

    def get_group_permissions(self, user_obj, obj=None):
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        self.get_all_permissions(user_obj, obj)
        return getattr(user_obj, "_group_perm_cache", set())
