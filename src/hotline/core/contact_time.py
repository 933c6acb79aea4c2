"""Agents' time on contacts, taken from the answered calls and cut into their state
intervals.

A telephony system's member status does not change when a call connects (Asterisk's
queue_log logs pauses, not calls), so an importer keeps an agent ready, or not ready,
through their calls and the calls themselves say when the agent talked: from the answer
for the talk and hold time. `with_time_on_contacts` makes the intervals the KPIs read out
of both: within each logged-in interval, the time on a contact becomes ON_CONTACT,
whatever the interval says (a contact outranks a pause, as it does at the switch).
Intervals stored as ON_CONTACT already (live events, simulations) come out unchanged, so
either way of recording an agent's day gives the same figures.
"""

import numpy as np
from numpy.typing import ArrayLike

from hotline.core.contact_records import AgentState
from hotline.core.contact_tables import STATE_CODES, StateTable, Strings
from hotline.core.kpi_periods import Column, IntArray, shared_keys

# Agent codes are lifted above every epoch second, so one sorted array holds all agents.
_AGENT_STRIDE = np.int64(1 << 32)
_ON_CONTACT = STATE_CODES[AgentState.ON_CONTACT]
_UNCUT = (_ON_CONTACT, STATE_CODES[AgentState.LOGGED_OUT])


def with_time_on_contacts(
    states: StateTable, agent: Strings, started_at: ArrayLike, ended_at: ArrayLike
) -> StateTable:
    """`states` with the contacts (each agent's [started_at, ended_at), overlapping or
    not) cut out of their agent's intervals as ON_CONTACT pieces.

    A piece keeps its interval's id, team and skill group; an ON_CONTACT piece has no
    reason. A contact outside every interval of its agent (logged out, or their states not
    given) adds nothing: the time it was logged in is what the states say.
    """
    contacts = agent if isinstance(agent, Column) else Column.of(agent)
    _names, (state_agent, contact_agent) = shared_keys([states.agent, contacts])
    first, last = _merged(
        contact_agent * _AGENT_STRIDE + np.asarray(started_at, dtype=np.int64),
        contact_agent * _AGENT_STRIDE + np.asarray(ended_at, dtype=np.int64),
    )
    lift = state_agent * _AGENT_STRIDE
    begins, ends = states.started_at + lift, states.ended_at + lift
    cut = (ends > begins) & ~np.isin(states.state, _UNCUT)
    # Interval i overlaps the merged contacts from first_hit[i], count[i] of them (the
    # contacts are disjoint and sorted, so those ending after it begins start before
    # those beginning before it ends run out: the count is never negative).
    first_hit = np.searchsorted(last, begins, side="right")
    count = np.where(cut, np.searchsorted(first, ends, side="left") - first_hit, 0)
    if not count.any():
        return states

    on_row = np.repeat(np.arange(len(states)), count)
    nth = np.arange(len(on_row)) - np.repeat(np.cumsum(count) - count, count)
    hit = first_hit[on_row] + nth
    on_begins = np.maximum(first[hit], begins[on_row])
    on_ends = np.minimum(last[hit], ends[on_row])

    # Around and between the contacts of a cut interval, its own state goes on.
    cut_rows = np.flatnonzero(count)
    gaps = count[cut_rows] + 1
    gap_row = np.repeat(cut_rows, gaps)
    gap = np.arange(len(gap_row)) - np.repeat(np.cumsum(gaps) - gaps, gaps)
    before = first_hit[gap_row] + gap  # the contact a gap ends at, if any
    is_first, is_last = gap == 0, gap == count[gap_row]
    gap_begins = np.where(is_first, begins[gap_row], last[np.maximum(before - 1, 0)])
    gap_ends = np.where(is_last, ends[gap_row], first[np.minimum(before, len(first) - 1)])
    kept = gap_ends > gap_begins

    whole = np.flatnonzero(count == 0)
    rows = np.concatenate([whole, on_row, gap_row[kept]])
    begins_out = np.concatenate([begins[whole], on_begins, gap_begins[kept]])
    ends_out = np.concatenate([ends[whole], on_ends, gap_ends[kept]])
    on_contact = np.concatenate(
        [np.zeros(len(whole), bool), np.ones(len(on_row), bool), np.zeros(kept.sum(), bool)]
    )
    order = np.lexsort((begins_out, rows))
    rows, on_contact = rows[order], on_contact[order]
    reason_names, (reasons, blank) = shared_keys([states.reason, Column.blank(1)])
    return StateTable(
        ids=states.ids[rows],
        agent=states.agent.take(rows),
        team=states.team.take(rows),
        skill_group=states.skill_group.take(rows),
        state=np.where(on_contact, _ON_CONTACT, states.state[rows]).astype(np.int8),
        reason=Column(np.where(on_contact, blank[0], reasons[rows]), tuple(reason_names)),
        started_at=begins_out[order] - lift[rows],
        ended_at=ends_out[order] - lift[rows],
    )


def _merged(begins: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """Spans as disjoint sorted ones: overlapping or touching spans become one."""
    keep = ends > begins
    begins, ends = begins[keep], ends[keep]
    order = np.argsort(begins, kind="stable")
    begins, ends = begins[order], ends[order]
    reach = np.maximum.accumulate(ends)
    opens = np.ones(len(begins), dtype=bool)
    opens[1:] = begins[1:] > reach[:-1]
    closes = np.append(opens[1:], True) if len(opens) else opens
    return begins[opens], reach[closes]
