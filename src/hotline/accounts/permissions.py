"""API permission for what every member of the center may read, and no one else."""

from rest_framework.permissions import BasePermission


class HasRole(BasePermission):
    """Signed in and given one of the center's roles (the API schema and docs)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role is not None)
