"""Data scope: which regions' customers a user may see."""

from django.core.exceptions import PermissionDenied

ALL_REGIONS_PERMISSION = "customers.view_all_regions"


def visible_region_ids(user) -> set[int] | None:
    """The ids of the regions the user is given, or None when every region is visible."""
    if user.has_perm(ALL_REGIONS_PERMISSION):
        return None
    cached = getattr(user, "_visible_region_ids", None)
    if cached is None:
        cached = set(user.regions.values_list("id", flat=True))
        user._visible_region_ids = cached
    return cached


def visible_region_ids_query(user):
    """The user's region ids as a subquery, for filters that need them once (a step's lock);
    the ids already read when this request has read them; None for every region."""
    if user.has_perm(ALL_REGIONS_PERMISSION):
        return None
    cached = getattr(user, "_visible_region_ids", None)
    return cached if cached is not None else user.regions.values("id")


def may_see_region(user, region_id: int) -> bool:
    regions = visible_region_ids(user)
    return regions is None or region_id in regions


def require_permission(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(permission)


def require_region(user, region_id: int) -> None:
    if not may_see_region(user, region_id):
        raise PermissionDenied("region outside the user's data scope")
