"""Django's model permissions, with a user's roles and permissions read in one query.

Every API call asks for the caller's permissions and role; Django's ModelBackend reads
the user's own permissions and the role's permissions in two queries, and the role is a
third. Here one query returns the user's groups with their permissions and the user's own
permissions, and fills the caches ModelBackend and User.role read from.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from hotline.accounts.roles import ROLE_NAMES


@cache
def _roles_and_permissions_sql() -> str:
    """(role, app label, codename) of each group's permissions, a group without any once with
    no codename; then (NULL, app label, codename) of the user's own permissions.

    Written once as SQL: the same query through the ORM spent a millisecond of every API
    call compiling itself, more than PostgreSQL took to answer it.
    """
    q = connection.ops.quote_name
    groups = get_user_model()._meta.get_field("groups")
    own = get_user_model()._meta.get_field("user_permissions")
    granted = Group._meta.get_field("permissions")
    group, permission, content_type = (
        q(model._meta.db_table) for model in (Group, Permission, ContentType)
    )
    member = q(groups.remote_field.through._meta.db_table)
    grant = q(granted.remote_field.through._meta.db_table)
    owned = q(own.remote_field.through._meta.db_table)
    return (
        f"SELECT g.{q('name')}, ct.{q('app_label')}, p.{q('codename')} FROM {group} g"
        f" JOIN {member} m ON m.{q(groups.m2m_reverse_name())} = g.{q('id')}"
        f" LEFT JOIN {grant} gp ON gp.{q(granted.m2m_column_name())} = g.{q('id')}"
        f" LEFT JOIN {permission} p ON p.{q('id')} = gp.{q(granted.m2m_reverse_name())}"
        f" LEFT JOIN {content_type} ct ON ct.{q('id')} = p.{q('content_type_id')}"
        f" WHERE m.{q(groups.m2m_column_name())} = %s"
        f" UNION ALL"
        f" SELECT NULL, ct.{q('app_label')}, p.{q('codename')} FROM {permission} p"
        f" JOIN {owned} o ON o.{q(own.m2m_reverse_name())} = p.{q('id')}"
        f" JOIN {content_type} ct ON ct.{q('id')} = p.{q('content_type_id')}"
        f" WHERE o.{q(own.m2m_column_name())} = %s"
    )


def _load_roles_and_permissions(user) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_roles_and_permissions_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    groups, from_groups, from_user = set(), set(), set()
    for group_name, app_label, codename in rows:
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
