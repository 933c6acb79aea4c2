"""Time on contacts cut out of agents' state intervals (hotline.core.contact_time)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.core.contact_records import AgentState
from hotline.core.contact_tables import STATE_CODES, StateTable
from hotline.core.contact_time import with_time_on_contacts

READY, ON_CONTACT, NOT_READY, LOGGED_OUT = (
    AgentState.READY,
    AgentState.ON_CONTACT,
    AgentState.NOT_READY,
    AgentState.LOGGED_OUT,
)
STATE_OF_CODE = {code: state for state, code in STATE_CODES.items()}


def rows(table: StateTable) -> list[tuple[int, str, AgentState, str, int, int]]:
    return [
        (
            int(table.ids[i]),
            table.agent.names[table.agent.codes[i]],
            STATE_OF_CODE[int(table.state[i])],
            table.reason.names[table.reason.codes[i]],
            int(table.started_at[i]),
            int(table.ended_at[i]),
        )
        for i in range(len(table))
    ]


def test_calls_become_on_contact_pieces_of_the_intervals_they_overlap():
    states = StateTable.from_columns(
        ids=[7, 8, 9],
        agent=["小王", "小王", "小李"],
        state=[READY, NOT_READY, READY],
        reason=["", "break", ""],
        started_at=[0, 100, 0],
        ended_at=[100, 200, 50],
    )
    calls = {
        (10, 30): "two calls at once are one span",
        (25, 40): "",
        (90, 120): "a call into a pause outranks the pause",
        (300, 310): "after logging out: no state to cut",
    }
    cut = with_time_on_contacts(
        states, ["小王"] * len(calls), [b for b, _e in calls], [e for _b, e in calls]
    )
    assert rows(cut) == [
        (7, "小王", READY, "", 0, 10),
        (7, "小王", ON_CONTACT, "", 10, 40),
        (7, "小王", READY, "", 40, 90),
        (7, "小王", ON_CONTACT, "", 90, 100),
        (8, "小王", ON_CONTACT, "", 100, 120),
        (8, "小王", NOT_READY, "break", 120, 200),
        (9, "小李", READY, "", 0, 50),
    ]


def test_intervals_on_contact_or_logged_out_already_and_agents_without_calls_stay_whole():
    states = StateTable.from_columns(
        ids=[1, 2, 3],
        agent=["A", "A", "B"],
        state=[ON_CONTACT, LOGGED_OUT, READY],
        started_at=[0, 60, 0],
        ended_at=[60, 120, 120],
    )
    cut = with_time_on_contacts(states, ["A", "A", "C"], [10, 70, 0], [20, 80, 120])
    assert rows(cut) == rows(states)


# Property: second by second, the cut intervals say what the intervals and calls say.

SECONDS = 60
interval_states = st.sampled_from([READY, NOT_READY, ON_CONTACT, LOGGED_OUT])


@st.composite
def agents_days(draw):
    agents = draw(st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True))
    intervals, calls = [], []
    for agent in agents:
        cuts = sorted(draw(st.sets(st.integers(0, SECONDS), min_size=2, max_size=8)))
        for begun, ended in zip(cuts, cuts[1:], strict=False):
            if draw(st.booleans()):  # else logged out: no interval
                intervals.append((agent, draw(interval_states), begun, ended))
        for _call in range(draw(st.integers(0, 6))):
            begun = draw(st.integers(0, SECONDS - 1))
            calls.append((agent, begun, draw(st.integers(begun, SECONDS))))
    return intervals, calls


def second_by_second(table: StateTable) -> dict[tuple[str, int], tuple[int, AgentState, str]]:
    seconds = {}
    for row_id, agent, state, reason, begun, ended in rows(table):
        for second in range(begun, ended):
            assert (agent, second) not in seconds, "pieces overlap"
            seconds[agent, second] = (row_id, state, reason)
    return seconds


@settings(max_examples=400)
@given(agents_days())
def test_every_second_is_on_a_contact_when_a_call_covers_it_and_its_own_state_otherwise(day):
    intervals, calls = day
    reasons = {NOT_READY: "meal"}
    states = StateTable.from_columns(
        agent=[agent for agent, *_rest in intervals],
        state=[state for _a, state, _b, _e in intervals],
        reason=[reasons.get(state, "") for _a, state, _b, _e in intervals],
        started_at=[begun for *_front, begun, _e in intervals],
        ended_at=[ended for *_front, ended in intervals],
    )
    cut = with_time_on_contacts(
        states, [a for a, _b, _e in calls], [b for _a, b, _e in calls], [e for *_f, e in calls]
    )
    talking = {(agent, s) for agent, begun, ended in calls for s in range(begun, ended)}
    expected = {}
    for (agent, second), (row_id, state, reason) in second_by_second(states).items():
        if (agent, second) in talking and state is not LOGGED_OUT:
            expected[agent, second] = (row_id, ON_CONTACT, "")
        else:
            expected[agent, second] = (row_id, state, reason)
    assert second_by_second(cut) == expected
    assert (cut.ended_at > cut.started_at).all(), "a piece that lasts no time"
