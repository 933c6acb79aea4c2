"""PostgreSQL plans statements for their values, except in a work-order step's transaction."""

import pytest
from django.db import connection

from hotline.workorders import notices, services
from tests.orders import open_order

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="plan reuse is PostgreSQL's; SQLite plans anew"
    ),
    # Each step's own transaction, not the test's: the roles seeded by migrations are kept.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_steps_reuse_plans_until_they_commit_and_nothing_else_does(cast, customer, monkeypatch):
    seen = []

    def noting_the_mode(announce):
        def announce_and_note(*args, **kwargs):
            seen.append(plan_cache_mode())
            return announce(*args, **kwargs)

        return announce_and_note

    monkeypatch.setattr(notices, "order_opened", noting_the_mode(notices.order_opened))
    monkeypatch.setattr(notices, "step_taken", noting_the_mode(notices.step_taken))

    assert plan_cache_mode() == "force_custom_plan"
    order = open_order(cast["xiaowang"], customer, "broadband.down", "宽带断网")
    assert plan_cache_mode() == "force_custom_plan"
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=order)
    assert plan_cache_mode() == "force_custom_plan"
    assert seen == ["auto", "auto", "auto"]  # opened; escalated and dispatched
