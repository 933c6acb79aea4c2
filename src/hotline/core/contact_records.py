"""Contact records as importers produce them and KPI formulas read them: plain values.

A call is one visit to one queue: a caller transferred from one queue into another
makes two records with the same `call_id`, each counted by the queue it entered.
Times are timezone-aware; durations are seconds.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, TypeAlias


class Outcome(StrEnum):
    """How a call left the queue. Every offered call has exactly one."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"  # the caller hung up while waiting
    TIMEOUT = "timeout"  # the queue's longest wait ran out
    LEFT_WITH_KEY = "left_with_key"  # the caller pressed a key to leave (to voicemail, say)
    NO_AGENTS = "no_agents"  # no agent was logged in to take it


class AgentState(StrEnum):
    READY = "ready"  # 就绪
    ON_CONTACT = "on_contact"  # 通话
    AFTER_CALL_WORK = "after_call_work"  # 话后处理
    NOT_READY = "not_ready"  # 置忙, with a reason code
    LOGGED_OUT = "logged_out"  # 签出


# CallRecord and StateInterval are named tuples rather than dataclasses because an import
# makes and passes on millions of them: a tuple is made, and crosses from the reading
# process to the writing one (read_ahead), several times faster.
class CallRecord(NamedTuple):
    call_id: str
    queue: str
    entered_at: datetime
    outcome: Outcome
    wait_s: float  # from entering the queue to being answered or leaving it
    ended_at: datetime | None = None
    caller: str = ""
    called: str = ""
    agent: str = ""  # the telephony system's name for the agent; "" when none answered
    talk_s: float = 0.0
    hold_s: float = 0.0
    after_call_work_s: float = 0.0
    transfers: int = 0
    ivr_path: str = ""
    channel: str = "phone"


class StateInterval(NamedTuple):
    """An agent in one state from `started_at` to `ended_at` (logged-in time is the sum
    of every state but LOGGED_OUT)."""

    agent: str
    state: AgentState
    started_at: datetime
    ended_at: datetime
    reason: str = ""  # the not-ready reason code (置忙原因): break, meal, training …


@dataclass(frozen=True)
class OpenState:
    """An agent's state at the end of what was read, still running."""

    agent: str
    state: AgentState
    started_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class BadLine:
    """A line of an import that could not be used, and why."""

    line_number: int
    reason: str
    text: str


@dataclass(frozen=True)
class UnknownEvent:
    """A well-formed line whose event the reader does not know, kept as written."""

    line_number: int
    name: str
    text: str


@dataclass(frozen=True)
class UnfinishedCall:
    """A queue visit whose end never came, or came with no outcome to name: what is known.

    `entered_at` is None when the reader never learnt when the caller entered the queue.
    """

    call_id: str
    queue: str
    entered_at: datetime | None
    caller: str
    called: str
    agent: str
    answered_at: datetime | None
    last_event: str
    line_number: int  # of the last line seen for the visit


# What an importer yields besides call records and agent state intervals.
OtherItem: TypeAlias = UnfinishedCall | OpenState | BadLine | UnknownEvent
