"""An agent's state left open by one log is closed by the next one's first event."""

from hotline.core.contact_records import AgentState, StateInterval
from hotline.core.queue_log import QueueLogAssembler, read_queue_log

T = 1772413200
LOG = [
    f"{T}|MANAGER|support|PJSIP/1001|ADDMEMBER|",
    f"{T + 15}|NONE|support|PJSIP/1001|PAUSE|meal",
    f"{T + 20}|{T + 20}.1|support|PJSIP/1001|CONNECT|0|{T + 20}.19|2",
    f"{T + 30}|{T + 20}.1|support|PJSIP/1001|COMPLETEAGENT|0|10|1",
    f"{T + 45}|NONE|support|PJSIP/1001|UNPAUSE|",
    f"{T + 60}|NONE|support|PJSIP/1001|PAUSE|meal",
    f"{T + 90}|NONE|support|PJSIP/1001|UNPAUSE|",
]


def intervals(lines, assembler) -> list[tuple[str, int, int, str]]:
    return [
        (
            item.state.value,
            int(item.started_at.timestamp()) - T,
            int(item.ended_at.timestamp()) - T,
            item.reason,
        )
        for item in read_queue_log(lines, assembler)
        if isinstance(item, StateInterval)
    ]


def rotated_at(cut: int) -> list[tuple[str, int, int, str]]:
    first = QueueLogAssembler()
    before = intervals(LOG[:cut], first)
    second = QueueLogAssembler()
    second.resume(first.finish().states)
    return before + intervals(LOG[cut:], second)


def test_a_log_rotated_anywhere_gives_the_states_of_the_whole_log():
    whole = intervals(LOG, QueueLogAssembler())
    assert whole == [
        ("ready", 0, 15, ""),
        ("not_ready", 15, 45, "meal"),  # on a call from 20 to 30, which does not change it
        ("ready", 45, 60, ""),
        ("not_ready", 60, 90, "meal"),
    ]
    for cut in range(len(LOG) + 1):
        assert rotated_at(cut) == whole, cut


def test_a_state_resumed_from_a_later_log_is_dropped_when_an_earlier_log_is_read_again():
    later = QueueLogAssembler()
    list(read_queue_log(LOG, later))
    again = QueueLogAssembler()
    again.resume(later.finish().states)  # ready since T + 90: after every line read now
    assert intervals(LOG[3:], again) == intervals(LOG[3:], QueueLogAssembler())


def test_a_resumed_state_still_untouched_stays_open():
    first = QueueLogAssembler()
    list(read_queue_log(LOG[:2], first))
    (paused,) = first.finish().states
    second = QueueLogAssembler()
    second.resume([paused])
    list(read_queue_log([f"{T + 16}|NONE|NONE|NONE|CONFIGRELOAD|"], second))
    (still,) = second.finish().states
    assert (still.state, still.reason) == (AgentState.NOT_READY, "meal")
