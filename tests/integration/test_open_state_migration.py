"""Migration 0008: open states left on a call by an earlier import become ready, or not
ready for the pause taken during the call."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contacts", "0007_agent_states_indexed_by_their_end")]
AFTER = [("contacts", "0008_open_states_leave_calls_to_the_calls")]
SINCE = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Like the other tests that commit, it leaves the database as it found it: without the
# serialized rollback its flush would recreate the roles that the next one restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_left_on_a_call_is_ready_or_paused_from_the_calls_start():
    old = migrate(BEFORE).get_model("contacts", "OpenAgentState")
    old.objects.create(agent_name="A", state="on_contact", reason="", started_at=SINCE)
    old.objects.create(
        agent_name="B", state="on_contact", reason="meal", started_at=SINCE, paused_on_call=True
    )
    old.objects.create(agent_name="C", state="not_ready", reason="break", started_at=SINCE)
    new = migrate(AFTER).get_model("contacts", "OpenAgentState")
    assert sorted(new.objects.values_list("agent_name", "state", "reason", "started_at")) == [
        ("A", "ready", "", SINCE),
        ("B", "not_ready", "meal", SINCE),
        ("C", "not_ready", "break", SINCE),
    ]
