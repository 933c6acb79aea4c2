"""A small center for the workforce tests: one skill group (BB) with its queue, three weeks and
more of calls on weekdays 9:00–17:00, two full-time shift templates, five agents besides 小王."""

import datetime

from django.utils import timezone

from hotline.accounts.models import SkillGroup, Team, User
from hotline.accounts.services import create_user
from hotline.contacts.call_store import Resolver, store_calls
from hotline.contacts.models import Queue
from hotline.core.contact_records import CallRecord, Outcome
from hotline.workforce.models import ShiftTemplate
from hotline.workforce.selectors import monday_of

CALLS_PER_HALF_HOUR = 6
AGENTS = [(f"bb{n}", f"1100{n}", f"宽带坐席{n}") for n in range(1, 6)]


def next_monday() -> datetime.date:
    return monday_of(timezone.localdate()) + datetime.timedelta(days=7)


def small_center(cast) -> SkillGroup:
    group = SkillGroup.objects.create(code="BB", name="宽带专席")
    Queue.objects.create(code="BB", name="宽带", skill_group=group)
    team = Team.objects.get(name="综合服务一班")
    for username, agent_id, name in AGENTS:
        create_user(
            username=username,
            password="correct-horse-42",
            role="agent",
            agent_id=agent_id,
            full_name=name,
            team=team.name,
            skill_groups=["BB"],
        )
    User.objects.get(username="xiaowang").skill_groups.add(group)
    store_calls(_history(), "test", Resolver())
    ShiftTemplate.objects.create(
        code="D8",
        name="白班",
        earliest_start=datetime.time(8),
        latest_start=datetime.time(9),
        length_minutes=540,
        cost=300,
        breaks=[
            {"kind": "break", "minutes": 15, "paid": True, "earliest": 90, "latest": 150},
            {"kind": "meal", "minutes": 60, "paid": False, "earliest": 210, "latest": 270},
        ],
    )
    ShiftTemplate.objects.create(
        code="M8",
        name="中班",
        earliest_start=datetime.time(10),
        latest_start=datetime.time(11),
        length_minutes=540,
        cost=320,
        breaks=[{"kind": "meal", "minutes": 60, "paid": False, "earliest": 180, "latest": 240}],
    )
    return group


def _history() -> list[CallRecord]:
    """Weekdays from three weeks before this one up to yesterday; two answered calls in three."""
    first = monday_of(timezone.localdate()) - datetime.timedelta(weeks=3)
    calls = []
    days = (timezone.localdate() - first).days
    for day in (first + datetime.timedelta(days=n) for n in range(days)):
        if day.weekday() >= 5:
            continue
        for half_hour in range(16):
            start = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9))
            ) + datetime.timedelta(minutes=30 * half_hour)
            for n in range(CALLS_PER_HALF_HOUR):
                answered = n % 3 != 2
                calls.append(
                    CallRecord(
                        f"{day}-{half_hour}-{n}",
                        "BB",
                        start + datetime.timedelta(minutes=4 * n),
                        Outcome.ANSWERED if answered else Outcome.ABANDONED,
                        10 if answered else 30,
                        caller=f"138{half_hour:04d}{n:04d}",
                        agent="SIP/11001" if answered else "",
                        talk_s=200 if answered else 0,
                    )
                )
    return calls
