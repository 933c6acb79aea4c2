"""The demo's calls: three days of traffic and agent states from the simulated center."""

import datetime
import itertools
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import override_settings

from hotline.accounts.models import User
from hotline.contacts.models import AgentPresence, AgentStateInterval, Contact, Queue
from hotline.core.contact_records import AgentState, Outcome
from hotline.demo import city
from hotline.demo.call_simulation import rota, simulate
from hotline.demo.calls import load_calls
from hotline.demo.load import load_customers, load_organisation

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday night: the three days loaded are Saturday 7, Sunday 8 and Monday 9 March.
NOW = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=SHANGHAI)
DAYS = [datetime.date(2026, 3, 7), datetime.date(2026, 3, 8), datetime.date(2026, 3, 9)]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The center loaded once for this module, in a transaction rolled back after it."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        load_organisation()
        load_customers(200, seed=5)
        yield load_calls(days=3, seed=5, now=NOW)
        transaction.set_rollback(True)


@pytest.fixture
def center(loaded, db):
    """Each test in a savepoint of its own inside the loaded center; returns the number
    of call records written."""
    return loaded


def calls_where(**lookups) -> int:
    return Contact.objects.filter(source="demo", **lookups).count()


def test_every_day_has_calls(center):
    for day in DAYS:
        assert calls_where(entered_queue_at__date=day) > 500


def test_every_call_has_exactly_one_outcome(center):
    by_outcome = {outcome: calls_where(outcome=outcome) for outcome in Outcome}
    assert sum(by_outcome.values()) == calls_where() == center
    assert by_outcome[Outcome.ANSWERED] > by_outcome[Outcome.ABANDONED] > 0


def test_most_calls_are_answered_within_twenty_seconds(center):
    within = calls_where(outcome=Outcome.ANSWERED, wait_s__lte=20)
    assert 0.6 <= within / calls_where() <= 0.98


def test_a_few_callers_hang_up_while_waiting(center):
    assert 0.01 <= calls_where(outcome=Outcome.ABANDONED) / calls_where() <= 0.15


def test_monday_is_busier_than_sunday(center):
    assert calls_where(entered_queue_at__date=DAYS[2]) > calls_where(entered_queue_at__date=DAYS[1])


def test_the_lunch_hour_is_quieter_than_mid_morning(center):
    assert calls_where(entered_queue_at__hour=12) < calls_where(entered_queue_at__hour=10)


def test_some_calls_come_from_known_customers(center):
    assert calls_where(customer__isnull=False) > 100


def test_answered_calls_are_taken_by_agents_of_the_queues_skill_group(center):
    skill_of = dict(Queue.objects.values_list("code", "skill_group__code"))
    answered = Contact.objects.filter(source="demo", outcome=Outcome.ANSWERED)
    assert not answered.filter(agent=None).exists()
    pairs = answered.values_list("queue", "agent_id").distinct()
    skills = {
        user.pk: {group.code for group in user.skill_groups.all()}
        for user in User.objects.prefetch_related("skill_groups")
    }
    assert all(skill_of[queue] in skills[agent] for queue, agent in pairs)


def test_a_transferred_call_is_offered_again_in_another_queue(center):
    transferred = Contact.objects.filter(source="demo", transfers=1).values_list(
        "call_id", flat=True
    )
    assert transferred
    again = Contact.objects.filter(call_id__in=list(transferred), transfers=0)
    assert again.count() >= len(transferred) * 0.9  # those at the very end may still talk


def test_agents_take_breaks_and_meals(center):
    reasons = set(
        AgentStateInterval.objects.filter(state=AgentState.NOT_READY).values_list(
            "reason", flat=True
        )
    )
    assert {"break", "meal"} <= reasons


def test_an_agent_is_in_one_state_at_a_time(center):
    intervals = defaultdict(list)
    for agent, started, ended in AgentStateInterval.objects.values_list(
        "agent_name", "started_at", "ended_at"
    ):
        intervals[agent].append((started, ended))
    assert len(intervals) > 30
    for spans in intervals.values():
        spans.sort()
        assert all(ended <= after for (_s, ended), (after, _e) in itertools.pairwise(spans))
        assert all(started < ended for started, ended in spans)


def test_call_agents_are_users_who_cannot_sign_in(center):
    agents = User.objects.filter(username__in=[row[0] for row in city.CALL_AGENTS])
    assert agents.count() == len(city.CALL_AGENTS)
    assert not any(agent.has_usable_password() for agent in agents)


def test_every_agent_state_belongs_to_a_user(center):
    assert not AgentStateInterval.objects.filter(Q(agent=None) | ~Q(source="demo")).exists()


def test_loading_again_changes_nothing(center):
    counts = (User.objects.count(), Queue.objects.count(), Contact.objects.count())
    intervals = AgentStateInterval.objects.count()

    assert load_calls(days=3, seed=5, now=NOW) == center

    assert (User.objects.count(), Queue.objects.count(), Contact.objects.count()) == counts
    assert AgentStateInterval.objects.count() == intervals


def test_the_simulation_is_the_same_for_the_same_seed():
    roster = rota([("SIP/1", ["GEN"]), ("SIP/2", ["GEN", "BB"]), ("SIP/3", ["GEN", "BB"])])
    start = datetime.datetime(2026, 3, 9, tzinfo=SHANGHAI)
    end = start + datetime.timedelta(hours=12)

    def run(seed):
        return list(simulate(roster, start, end, ["13800000000"], random.Random(seed)))

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_the_agents_on_the_late_shift_are_left_in_their_state_for_the_wallboard(center):
    on_shift = AgentPresence.objects.exclude(state="logged_out")
    assert on_shift.exists()
    assert all(presence.since <= NOW for presence in on_shift)
