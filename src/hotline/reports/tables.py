"""The contact records of a time range as the columnar tables the KPI formulas read.

One set-based query per table, its columns straight into NumPy arrays: no ORM object
is made per record. Times leave the database as epoch seconds (the one difference
between the databases, in `_epoch`).
"""

from datetime import datetime, timedelta

import numpy as np
from django.db import connection

from hotline.accounts.models import SkillGroup, Team, User
from hotline.contacts.models import AgentStateInterval, Contact, Queue
from hotline.core.contact_records import Outcome
from hotline.core.contact_tables import (
    OUTCOME_CODES,
    CallTable,
    OrderTable,
    Outages,
    StateTable,
)
from hotline.core.contact_time import with_time_on_contacts
from hotline.core.kpi_periods import Column, IntArray, shared_keys
from hotline.reports.models import Outage
from hotline.workorders.models import OrderType, WorkOrder


def _epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(sql: str, params: list, count: int) -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _columns_of(cursor.fetchall(), count)


def _range(value: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


# An agent is named by their agent ID (工号) once known as a user, else as the telephony
# system writes them.
_AGENT_KEY = "COALESCE(u.agent_id, c.agent_name)"

# How long before a report's range a call may have queued and still be talking in it: the
# queue_log reader gives up a visit silent for a day (QueueLogAssembler's max_open_s).
_LONGEST_CALL = timedelta(days=1)


def call_table(start: datetime, end: datetime, queues: list[str] | None = None) -> CallTable:
    """The finished calls that entered a queue in [start, end), of the given queues only
    when they are named."""
    sql = f"""
        SELECT c.id, {_epoch("c.entered_queue_at")}, c.queue, COALESCE(sg.code, ''),
               COALESCE(t.name, ''), {_AGENT_KEY}, c.outcome, c.wait_s, c.talk_s, c.hold_s,
               c.after_call_work_s, c.transfers, c.caller_number, c.call_id
        FROM {_table(Contact)} c
        LEFT JOIN {_table(Queue)} q ON q.code = c.queue
        LEFT JOIN {_table(SkillGroup)} sg ON sg.id = q.skill_group_id
        LEFT JOIN {_table(User)} u ON u.id = c.agent_id
        LEFT JOIN {_table(Team)} t ON t.id = u.team_id
        WHERE c.entered_queue_at >= %s AND c.entered_queue_at < %s AND c.outcome <> ''
    """
    params = [_range(start), _range(end)]
    if queues is not None:
        sql += f" AND c.queue IN ({', '.join(['%s'] * len(queues)) or 'NULL'})"
        params += queues
    columns = _columns(sql, params, 14)
    names = (
        "ids entered_at queue skill_group team agent outcome wait_s talk_s hold_s "
        "after_call_work_s transfers caller call_id"
    ).split()
    return CallTable.from_columns(**dict(zip(names, columns, strict=True)))


def state_table(start: datetime, end: datetime, calls: CallTable | None = None) -> StateTable:
    """The agent state intervals overlapping [start, end), cut to it, with the agents' time
    on their answered calls cut out of them as ON_CONTACT (`core.contact_time`). An agent's
    skill group is the first of theirs (by code).

    The talk comes from `calls` when the caller has read them (every queue's finished
    calls that entered one from `start` on, as `call_table` reads them), and from the
    database for the rest.
    """
    first_skill = (
        "(SELECT MIN(sg.code) FROM accounts_user_skill_groups us "
        "JOIN accounts_skillgroup sg ON sg.id = us.skillgroup_id WHERE us.user_id = u.id)"
    )
    sql = f"""
        SELECT s.id, COALESCE(u.agent_id, s.agent_name), COALESCE(t.name, ''),
               COALESCE({first_skill}, ''), s.state, s.reason,
               {_epoch("s.started_at")}, {_epoch("s.ended_at")}
        FROM {_table(AgentStateInterval)} s
        LEFT JOIN {_table(User)} u ON u.id = s.agent_id
        LEFT JOIN {_table(Team)} t ON t.id = u.team_id
        WHERE s.ended_at > %s AND s.started_at < %s
    """
    columns = _columns(sql, [_range(start), _range(end)], 8)
    ids, agent, team, skill_group, state, reason, started, ended = columns
    first, last = int(start.timestamp()), int(end.timestamp())
    states = StateTable.from_columns(
        ids=ids,
        agent=agent,
        team=team,
        skill_group=skill_group,
        state=state,
        reason=reason,
        started_at=[max(value, first) for value in started],
        ended_at=[min(value, last) for value in ended],
    )
    talks = [_talk_read(start - _LONGEST_CALL, start if calls is not None else end)]
    if calls is not None:
        talks.append(_talk_of(calls))
    names, codes = shared_keys([talk_agent for talk_agent, _begins, _ends in talks])
    return with_time_on_contacts(
        states,
        Column(np.concatenate(codes), tuple(names)),
        np.clip(np.concatenate([begins for _agent, begins, _ends in talks]), first, last),
        np.clip(np.concatenate([ends for _agent, _begins, ends in talks]), first, last),
    )


def _talk_read(since: datetime, until: datetime) -> tuple[Column, IntArray, IntArray]:
    """The agent and the talk, from the answer for talk and hold time, of each answered
    call that entered a queue in [since, until)."""
    agent, answered, seconds = _columns(
        f"""
        SELECT {_AGENT_KEY}, {_epoch("c.answered_at")}, c.talk_s + c.hold_s
        FROM {_table(Contact)} c
        LEFT JOIN {_table(User)} u ON u.id = c.agent_id
        WHERE c.entered_queue_at >= %s AND c.entered_queue_at < %s
          AND c.answered_at IS NOT NULL
        """,
        [_range(since), _range(until)],
        3,
    )
    begins = np.asarray(answered, dtype=np.int64)
    return Column.of(agent), begins, begins + _whole(seconds)


def _talk_of(calls: CallTable) -> tuple[Column, IntArray, IntArray]:
    """`_talk_read` of calls already read."""
    answered = np.flatnonzero(calls.outcome == OUTCOME_CODES[Outcome.ANSWERED])
    begins = calls.entered_at[answered] + _whole(calls.wait_s[answered])
    talk = calls.talk_s[answered] + calls.hold_s[answered]
    return calls.agent.take(answered), begins, begins + _whole(talk)


def _whole(seconds) -> IntArray:
    return np.round(np.asarray(seconds, dtype=np.float64)).astype(np.int64)


def order_table(start: datetime, end: datetime) -> OrderTable:
    """The work orders opened in [start, end), keyed like the contact they came from (the
    owner's team and agent ID; the queue of the linked call)."""
    rows = (
        WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list(
            "pk",
            "created_at",
            "contact__queue",
            "owner__team__name",
            "owner__agent_id",
            "resolved_at_first_contact",
            "was_escalated",
            "order_type",
        )
        .order_by()
    )
    ids, created, queues, teams, agents, first, escalated, kinds = _columns_of(list(rows), 8)
    return OrderTable.from_columns(
        ids=ids,
        created_at=[int(moment.timestamp()) for moment in created],
        queue=[queue or "" for queue in queues],
        team=[team or "" for team in teams],
        agent=agents,
        resolved_first=[
            True if solved else (False if was_escalated else None)
            for solved, was_escalated in zip(first, escalated, strict=True)
        ],
        complaint=[kind == OrderType.COMPLAINT for kind in kinds],
    )


def _columns_of(rows: list[tuple], count: int) -> list[list]:
    if not rows:
        return [[] for _column in range(count)]
    return [list(column) for column in zip(*rows, strict=True)]


def outages(start: datetime, end: datetime) -> Outages:
    """The recorded system outages overlapping [start, end)."""
    spans = Outage.objects.filter(ended_at__gt=start, started_at__lt=end).values_list(
        "started_at", "ended_at"
    )
    return Outages.of(
        (int(started.timestamp()), int(ended.timestamp())) for started, ended in spans
    )
