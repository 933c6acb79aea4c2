"""Two drafts of one week published at the same moment, on PostgreSQL: they follow each other,
so exactly one stays published and nothing fails."""

import pytest
from django.db import connection
from django.utils import timezone

from hotline.accounts.models import User
from hotline.workforce import services
from hotline.workforce.models import Schedule
from tests.integration.threads import at_once
from tests.workforce_data import next_monday, small_center

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency runs on PostgreSQL; SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_drafts_of_a_week_published_at_once_leave_exactly_one_published(cast):
    group = small_center(cast)
    planner = User.objects.get(username="wuwfm")
    week = next_monday()
    services.forecast_week(group, week, by=planner, today=timezone.localdate())
    drafts = [
        services.build_schedule(group, week, by=planner, time_limit_s=20) for _draft in range(2)
    ]
    at_once(
        *[
            lambda draft=draft: services.publish_schedule(draft, by=planner, now=timezone.now())
            for draft in drafts
        ]
    )
    statuses = sorted(Schedule.objects.values_list("status", flat=True))
    assert statuses == [Schedule.Status.PUBLISHED, Schedule.Status.SUPERSEDED]
