"""A skill group's wallboard (墙板): who is waiting, who is free, and today so far."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Min

from hotline.accounts.models import SkillGroup
from hotline.contacts.models import AgentPresence, Contact, Queue
from hotline.core.contact_kpis import compute
from hotline.core.contact_records import AgentState
from hotline.reports import tables
from hotline.reports.call_reports import kpi_settings

# The order the wall shows agents' states in.
STATES = (
    AgentState.READY,
    AgentState.ON_CONTACT,
    AgentState.AFTER_CALL_WORK,
    AgentState.NOT_READY,
)
_TODAY = ("offered", "answered", "abandoned", "service_level", "asa")
_COUNTS = {"offered", "answered", "abandoned"}  # 0 before the day's first call, not "—"


@dataclass(frozen=True)
class Wallboard:
    skill_group: SkillGroup
    at: datetime.datetime
    waiting: int
    longest_wait_s: float | None
    agents: dict[str, int]  # by state, logged-in agents only
    not_ready_reasons: dict[str, int]
    today: dict[str, float | None]  # offered, answered, abandoned, service_level, asa


def wallboard(skill_group: SkillGroup, now: datetime.datetime) -> Wallboard:
    queues = list(Queue.objects.filter(skill_group=skill_group).values_list("code", flat=True))
    settings = kpi_settings()
    zone = ZoneInfo(settings.time_zone)
    start = datetime.datetime.combine(now.astimezone(zone).date(), datetime.time(), zone)
    waiting = Contact.objects.filter(
        queue__in=queues,
        entered_queue_at__gte=start,
        outcome="",
        status__in=[Contact.Status.QUEUED, Contact.Status.RINGING],
    ).aggregate(count=Count("id"), first=Min("entered_queue_at"))
    presences = AgentPresence.objects.filter(agent__skill_groups=skill_group).exclude(
        state=AgentState.LOGGED_OUT
    )
    agents = {state.value: 0 for state in STATES}
    reasons: dict[str, int] = {}
    for state, reason in presences.values_list("state", "reason"):
        agents[state] = agents.get(state, 0) + 1
        if state == AgentState.NOT_READY:
            reasons[reason or "—"] = reasons.get(reason or "—", 0) + 1
    calls = tables.call_table(start, now, queues)  # polled every few seconds: its own only
    rows = compute(calls, by="day", group="skill_group", kpis=list(_TODAY), settings=settings)
    row = next((row for row in rows if row.group_key == skill_group.code), None)
    return Wallboard(
        skill_group=skill_group,
        at=now,
        waiting=waiting["count"],
        longest_wait_s=(now - waiting["first"]).total_seconds() if waiting["first"] else None,
        agents=agents,
        not_ready_reasons=reasons,
        today={
            name: row.values.get(name) if row else (0 if name in _COUNTS else None)
            for name in _TODAY
        },
    )
