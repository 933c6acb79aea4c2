"""Creating the people of the center."""

from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from hotline.accounts.models import Region, SkillGroup, Team, User
from hotline.accounts.roles import ROLE_NAMES


class UnknownName(ValueError):
    """A role, region, team or skill group that does not exist."""


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    agent_id: str,
    full_name: str = "",
    regions: list[str] = (),
    team: str | None = None,
    skill_groups: list[str] = (),
) -> User:
    """A user with one role; regions, team and skill groups are given by name or code."""
    if role not in ROLE_NAMES:
        raise UnknownName(f"role {role!r}; the roles are {', '.join(ROLE_NAMES)}")
    user = User(username=username, agent_id=agent_id, full_name=full_name)
    if team:
        user.team = _by_name(Team.objects.select_related("department"), team, "team")
        user.department = user.team.department
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    user.regions.set([_region(name) for name in regions])
    user.skill_groups.set(
        [_by_name(SkillGroup.objects, code, "skill group", "code") for code in skill_groups]
    )
    return user


def _by_name(queryset, value: str, what: str, field: str = "name"):
    try:
        return queryset.get(**{field: value})
    except queryset.model.DoesNotExist:
        raise UnknownName(f"{what} {value!r}") from None


def _region(value: str) -> Region:
    region = Region.objects.filter(name=value).first() or Region.objects.filter(code=value).first()
    if region is None:
        raise UnknownName(f"region {value!r}")
    return region


def api_token(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key
