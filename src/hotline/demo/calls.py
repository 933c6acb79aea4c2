"""Demo calls: weeks of traffic through the simulated center (call_simulation), written
through the call store as the telephony importers write theirs, with source "demo"; the
agents on shift at the end are left in the state they were in, for the wallboard."""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from hotline.accounts.models import Department, SkillGroup, Team, User
from hotline.accounts.services import create_user
from hotline.contacts.call_store import Resolver, agent_id_of, store_calls, store_state_intervals
from hotline.contacts.models import AgentPresence, Queue
from hotline.core.contact_records import OpenState
from hotline.customers.models import CustomerNumber
from hotline.demo import city
from hotline.demo.call_simulation import SimulatedCenter, rota

SOURCE = "demo"

CALL_TAKING_ROLES = ("agent", "team_lead")
KNOWN_CALLERS = 4000  # customers' contact numbers some calls come from


def load_calls(
    days: int,
    seed: int,
    now: datetime.datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """`days` days of calls and agent states, the last one today up to `now`, written a day
    at a time (`on_progress(1)` after each); returns how many call records were written.

    Needs the organisation (`load_organisation`) and, for calls from known customers, the
    customers. The same seed and `now` write the same records, so a second run changes
    nothing.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    now = now or timezone.now()
    local = timezone.get_default_timezone()
    first_day = timezone.localdate(now, local) - datetime.timedelta(days=days - 1)
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=local)
    roster = rota(ensure_queues_and_agents())
    known_callers = _known_callers()
    resolver = Resolver()
    written = 0
    center = SimulatedCenter(roster, start, now, known_callers, random.Random(seed))
    for calls, states in center.days():
        with transaction.atomic():
            store_calls(calls, SOURCE, resolver)
            store_state_intervals(states, SOURCE, resolver)
        written += len(calls)
        if on_progress is not None:
            on_progress(1)
    _leave_on_shift(center.open_states())
    return written


def _leave_on_shift(states: list[OpenState]) -> None:
    """The agents still in a state at the end stay in it (AgentPresence), for the wallboard."""
    users = dict(User.objects.values_list("agent_id", "pk"))
    for state in states:
        user_id = users.get(agent_id_of(state.agent))
        if user_id is not None:
            AgentPresence.objects.update_or_create(
                agent_id=user_id,
                defaults={"state": state.state, "reason": state.reason, "since": state.started_at},
            )


@transaction.atomic
def ensure_queues_and_agents() -> list[tuple[str, list[str]]]:
    """The queues, and the agents who only take calls; returns (telephony name, skill
    groups) of everyone who takes calls."""
    skill_groups = {group.code: group for group in SkillGroup.objects.all()}
    for code, name in city.QUEUES:
        Queue.objects.update_or_create(
            code=code, defaults={"name": name, "skill_group": skill_groups.get(code)}
        )
    for name, department in city.CALL_TEAMS:
        Team.objects.get_or_create(
            name=name, defaults={"department": Department.objects.get_or_create(name=department)[0]}
        )
    existing = set(User.objects.values_list("username", flat=True))
    for username, agent_id, full_name, team, skills, regions in city.CALL_AGENTS:
        if username in existing:
            continue
        create_user(
            username=username,
            # None makes the password unusable (Django's set_password): they never sign in,
            # and no slow hash is computed for each.
            password=None,
            role="agent",
            agent_id=agent_id,
            full_name=full_name,
            regions=regions,
            team=team,
            skill_groups=skills,
        )
    agents = (
        User.objects.filter(groups__name__in=CALL_TAKING_ROLES, is_active=True)
        .exclude(agent_id="")
        .prefetch_related("skill_groups")
        .distinct()
        .order_by("agent_id")
    )
    return [
        (f"SIP/{agent.agent_id}", [g.code for g in agent.skill_groups.all()]) for agent in agents
    ]


def _known_callers() -> list[str]:
    numbers = (
        CustomerNumber.objects.filter(kind=CustomerNumber.Kind.CONTACT)
        .order_by("id")
        .values_list("number", flat=True)[:KNOWN_CALLERS]
    )
    return [number for number in numbers if number.isdigit()]
