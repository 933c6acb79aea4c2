"""Asterisk's queue_log read line by line into calls and agent states, in one pass.

Asterisk writes one event a line, ``time|call id|queue|agent|event|data…``: seconds
since 1970 (whole from the file logger, fractional in some builds), the caller channel's
uniqueid (NONE, MANAGER, CLI or REALTIME on member events), the queue (NONE on
agent-wide events), the member as Asterisk names it (``PJSIP/1001``, ``Agent/1001``,
``Local/1001@agents``; NONE before anyone answers), the event and its fields. Names are
kept as written: ``Agent/1001`` and ``1001`` are two agents here.

Public API
    parse_line(text, line_number) -> Event | BadLine
    QueueLogAssembler(max_open_s=86400.0)
        .read(lines, size) -> Iterator[Packed]  what a file's lines complete, about `size`
                                                items at a time, calls and states packed,
                                                with how many lines were read
        .finish() -> Leftovers                  what never completed; the assembler is emptied
    read_queue_log(lines, assembler=None) -> Iterator[Item]  the same one by one, as
                                                records, in the order they complete
    Event, Leftovers: plain values (the records are hotline.core.contact_records')
    KNOWN_EVENTS: the event names read (every other comes back as an UnknownEvent)
    Item = CallRecord | StateInterval | OtherItem

The assembler packs what it completes (hotline.core.packed_records): an import passes
millions of records on, and making each with its datetimes only for the writer to
unmake them cost a fifth of the reading. Times are whole microseconds since 1970,
rounded as datetime.fromtimestamp rounds them, so both forms hold the same instants.

Open files with ``encoding="utf-8", errors="replace", newline="\\n"``: a stray carriage
return or undecodable byte then spoils one line, not the line count.

Calls: one CallRecord per queue visit, keyed by (call id, queue), emitted at the event
that ends it (fields as Asterisk 13 writes them; older layouts below):
    DID(number)                                   called, for every later visit of the call
    ENTERQUEUE(url|callerid|position|cidname)     caller
    CONNECT(holdtime|member uniqueid|ringtime)    agent, the answer time
    COMPLETEAGENT, COMPLETECALLER(holdtime|calltime|origposition)          ANSWERED
    TRANSFER, BLINDTRANSFER(exten|context|holdtime|calltime|origposition)  ANSWERED, 1 transfer
    ATTENDEDTRANSFER(BRIDGE|bridge or APP|app or LINK|chan|chan, then
        holdtime|calltime|origposition)                                    ANSWERED, 1 transfer
    ABANDON(position|origposition|waittime)                                ABANDONED
    EXITWITHTIMEOUT(position|origposition|waittime)                        TIMEOUT
    EXITWITHKEY(key|position|origposition|waittime)                        LEFT_WITH_KEY
    EXITEMPTY(position|origposition|waittime)                              NO_AGENTS
    WITHDRAW (Asterisk 18+) ends the visit with no Outcome to name: an UnfinishedCall.
Asterisk's "holdtime" is the wait in the queue, not CallRecord.hold_s (agent hold), which
queue_log does not record and stays 0.

A record's times come from its end line alone when that line carries them: ended_at is
the line's time, wait_s and talk_s its fields, entered_at = ended_at - talk_s - wait_s.
So a file that begins mid-call, or repeats the end line of an earlier file, gives the
same (call_id, queue, entered_at) and figures as the whole log; only caller and called,
known from ENTERQUEUE and DID, are then "". That entered_at may differ from the
ENTERQUEUE line by the second Asterisk takes between its clocks. Missing fields are
taken from CONNECT's holdtime and answer time, then from ENTERQUEUE's time; an end
with neither fields nor ENTERQUEUE comes back as a BadLine.

Agent states: one StateInterval each time an agent's state changes, closed only:
    ADDMEMBER (PAUSED: not ready), AGENTLOGIN, AGENTCALLBACKLOGIN       READY
    PAUSE, PAUSEALL(reason)                                            NOT_READY, reason
    UNPAUSE, UNPAUSEALL                                                READY
    REMOVEMEMBER (from the agent's last queue), AGENTLOGOFF,
    AGENTCALLBACKLOGOFF                                                logged out
An agent is one state across queues: the last pause or unpause wins, whatever queue
it names. Logged out is the absence of an interval, not one. A call does not change
the agent's state, as it does not change Asterisk's member status: the answered calls
themselves say when each agent was on a contact (reports cut that time out of these
intervals), so an agent ready all shift is one interval, not one per call. A CONNECT
logs its agent in, as the file may begin mid-shift; so does any event of the agent's
before its first login. Asterisk logs nothing for after-call work (wrapuptime), so
AFTER_CALL_WORK never appears.

QUEUESTART (Asterisk started) ends every open visit as unfinished. CONFIGRELOAD, INFO,
SYSCOMPAT, RINGNOANSWER, RINGCANCELED, AGENTDUMP, PENALTY and RINGINUSE say nothing about
calls or states and are dropped. Any other event comes back as an UnknownEvent.

Older layouts: ENTERQUEUE had no position before 1.8; CONNECT had only holdtime in 1.2
and no ringtime in 1.4; TRANSFER had only exten|context in 1.2 (wait then comes from
CONNECT, talk from the answer time), gained holdtime|calltime in 1.4 and origposition in
1.6; EXITWITHTIMEOUT had only position before 1.6 (and on some paths through 1.8),
EXITWITHKEY only key|position before 1.8 (wait then comes from ENTERQUEUE); PAUSE had no
reason before 1.6; agents logged in with chan_agent's AGENTLOGIN and AGENTCALLBACKLOGIN
before ADDMEMBER. Fields missing from the end of any line read as absent.

Memory holds the open visits, the agents, and each call's DID for one to two
`max_open_s` of log time; a visit silent for longer is given up as an UnfinishedCall.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple, TypeAlias

from hotline.core.contact_records import (
    AgentState,
    BadLine,
    CallRecord,
    OpenState,
    OtherItem,
    Outcome,
    StateInterval,
    UnfinishedCall,
    UnknownEvent,
)
from hotline.core.packed_records import (
    Packed,
    PackedCall,
    PackedState,
    microseconds,
    moment,
    unpack_call,
    unpack_state,
)

# datetime cannot hold a time past the year 9999.
_LAST_EPOCH = 253402300800.0
# A duration of 30 years is a corrupt field, and would take entered_at out of range.
_LONGEST_S = 1e9
_new_tuple = tuple.__new__


class Event(NamedTuple):
    """One well-formed line; `data` holds the fields after the event name, as written.

    A named tuple rather than a dataclass: one is made for every line, and this is quicker.
    """

    epoch: float
    call_id: str
    queue: str
    agent: str
    name: str
    data: tuple[str, ...]
    line_number: int
    text: str

    @property
    def at(self) -> datetime:
        return _utc(self.epoch)


@dataclass(frozen=True)
class Leftovers:
    calls: list[UnfinishedCall] = field(default_factory=list)
    states: list[OpenState] = field(default_factory=list)


Item: TypeAlias = CallRecord | StateInterval | OtherItem

# Packed records hold the values of the enums.
_ANSWERED = Outcome.ANSWERED.value
_READY, _NOT_READY = AgentState.READY.value, AgentState.NOT_READY.value
# event: (outcome, field index of the wait, of the talk time (-1: none), transfers)
_ENDS: dict[str, tuple[str, int, int, int]] = {
    "COMPLETEAGENT": (_ANSWERED, 0, 1, 0),
    "COMPLETECALLER": (_ANSWERED, 0, 1, 0),
    "TRANSFER": (_ANSWERED, 2, 3, 1),
    "BLINDTRANSFER": (_ANSWERED, 2, 3, 1),
    "ATTENDEDTRANSFER": (_ANSWERED, 2, 3, 1),  # LINK names two channels: 3, 4
    "ABANDON": (Outcome.ABANDONED.value, 2, -1, 0),
    "EXITWITHTIMEOUT": (Outcome.TIMEOUT.value, 2, -1, 0),
    "EXITWITHKEY": (Outcome.LEFT_WITH_KEY.value, 3, -1, 0),
    "EXITEMPTY": (Outcome.NO_AGENTS.value, 2, -1, 0),
}
_SILENT = frozenset(
    "CONFIGRELOAD INFO SYSCOMPAT RINGNOANSWER RINGCANCELED AGENTDUMP PENALTY RINGINUSE".split()
)
_HANDLED = frozenset(
    "DID ENTERQUEUE CONNECT WITHDRAW QUEUESTART ADDMEMBER REMOVEMEMBER AGENTLOGIN"
    " AGENTCALLBACKLOGIN AGENTLOGOFF AGENTCALLBACKLOGOFF PAUSE PAUSEALL UNPAUSE UNPAUSEALL".split()
)
KNOWN_EVENTS = frozenset(_ENDS) | _SILENT | _HANDLED


def parse_line(text: str, line_number: int) -> Event | BadLine:
    """The event on one line (its line ending dropped), or why the line cannot be used."""
    line = text.rstrip("\r\n")
    fields = line.split("|")
    if len(fields) < 5:
        return BadLine(line_number, _short_line_reason(line, len(fields)), line)
    try:
        epoch = float(fields[0])
    except ValueError:
        return BadLine(line_number, _time_reason(line, fields[0]), line)
    if not 0.0 <= epoch < _LAST_EPOCH:  # NaN fails too
        return BadLine(line_number, f"the time {fields[0][:40]!r} is out of range", line)
    name = fields[4]
    if name not in KNOWN_EVENTS and not _is_event_name(name):
        reason = f"the event name {name[:40]!r} is not a word" if name else "no event name"
        return BadLine(line_number, reason, line)
    # tuple.__new__ is what Event() calls, less one Python call a line.
    return _new_tuple(
        Event, (epoch, fields[1], fields[2], fields[3], name, tuple(fields[5:]), line_number, line)
    )


@dataclass(slots=True)
class _Visit:
    """One caller's time in one queue so far; times are epoch seconds."""

    entered: float | None
    caller: str
    called: str
    seen: float  # when a line last spoke of it
    last: Event
    answered: float | None = None
    hold: float | None = None
    agent: str = ""


@dataclass(slots=True)
class _Agent:
    logged_in: bool = False
    by_agent_login: bool = False  # chan_agent's login outlives queue membership
    queues: set[str] = field(default_factory=set)
    paused: bool = False
    pause_reason: str = ""
    state: str | None = None  # an AgentState's value
    reason: str = ""
    since: float = 0.0
    since_us: int = 0  # since, packed


_Handler: TypeAlias = Callable[[Event], None]


class QueueLogAssembler:
    """Turns events, fed in file order, into calls and agent states as each completes."""

    def __init__(self, max_open_s: float = 86400.0) -> None:
        self._max_open_s = max_open_s
        self._next_sweep = float("-inf")
        self._visits: dict[tuple[str, str], _Visit] = {}
        self._agents: dict[str, _Agent] = {}
        self._resumed: dict[str, OpenState] = {}
        # Each call's DID, in two generations: a sweep forgets the older one.
        self._dids: dict[str, str] = {}
        self._older_dids: dict[str, str] = {}
        self._dids_since = float("-inf")
        # What the events fed since the last `_take` completed.
        self._calls: list[PackedCall] = []
        self._states: list[PackedState] = []
        self._others: list[OtherItem] = []
        self._handlers: dict[str, _Handler] = dict.fromkeys(_ENDS, self._end)
        self._handlers.update(dict.fromkeys(_SILENT, _ignore))
        self._handlers.update(
            DID=self._did,
            ENTERQUEUE=self._enter,
            CONNECT=self._connect,
            WITHDRAW=self._withdraw,
            QUEUESTART=self._queue_start,
            ADDMEMBER=self._add_member,
            REMOVEMEMBER=self._remove_member,
            AGENTLOGIN=self._agent_login,
            AGENTCALLBACKLOGIN=self._agent_login,
            AGENTLOGOFF=self._agent_logoff,
            AGENTCALLBACKLOGOFF=self._agent_logoff,
            PAUSE=self._pause,
            PAUSEALL=self._pause,
            UNPAUSE=self._pause,
            UNPAUSEALL=self._pause,
        )

    def resume(self, states: Iterable[OpenState]) -> None:
        """Agents' states left open by an earlier log (an earlier import's leftovers): an
        agent's first event here closes theirs, when it comes after it and within
        `max_open_s`; an earlier event (the same log read again) drops it."""
        self._resumed.update((state.agent, state) for state in states)

    def read(self, lines: Iterable[str], size: int) -> Iterator[Packed]:
        """What a file's lines complete (numbered from 1): calls and agent states packed,
        bad lines, unknown events and given-up visits as they are; each kind in the order
        it completed, as soon as `size` items have (more only when one line completes
        several); then the rest. What is still open stays for the next file, or `finish`."""
        calls, states, others = self._calls, self._states, self._others
        feed = self._feed
        number = 0
        for number, text in enumerate(lines, 1):
            event = parse_line(text, number)
            if isinstance(event, BadLine):
                others.append(event)
            else:
                feed(event)
            if len(calls) + len(states) + len(others) >= size:
                yield self._take(number)
        yield self._take(number)

    def _feed(self, event: Event) -> None:
        """Take in the event of the next line; what it completes waits for `_take`."""
        if self._resumed and event.agent in self._resumed:
            self._adopt(self._resumed.pop(event.agent), event)
        if event.epoch >= self._next_sweep:
            self._sweep(event.epoch)
        handler = self._handlers.get(event.name)
        if handler is None:
            self._others.append(UnknownEvent(event.line_number, event.name, event.text))
        else:
            handler(event)

    def _take(self, lines: int) -> Packed:
        # Copied out and cleared, not replaced: `read` holds the lists.
        taken = Packed(self._calls[:], self._states[:], self._others[:], lines)
        self._calls.clear()
        self._states.clear()
        self._others.clear()
        return taken

    def finish(self) -> Leftovers:
        """The visits and agent states still open, in the order they opened; then forget them."""
        calls = [_unfinished(key, visit) for key, visit in self._visits.items()]
        states = [
            OpenState(name, AgentState(agent.state), moment(agent.since_us), agent.reason)
            for name, agent in self._agents.items()
            if agent.state is not None
        ]
        # Resumed states no event of this log touched are open still.
        states += [state for name, state in self._resumed.items() if name not in self._agents]
        self._visits, self._agents, self._dids, self._older_dids = {}, {}, {}, {}
        self._resumed = {}
        self._next_sweep = self._dids_since = float("-inf")
        return Leftovers(calls, states)

    # Calls

    def _did(self, event: Event) -> None:
        self._dids[event.call_id] = event.data[0] if event.data else ""

    def _enter(self, event: Event) -> None:
        key = (event.call_id, event.queue)
        data = event.data
        caller = data[1] if len(data) > 1 else ""
        visit = self._visits.get(key)
        if visit is not None and visit.entered in (None, event.epoch):
            # The same visit: its line again (overlapping files fed as one), or its CONNECT first.
            visit.entered, visit.caller, visit.seen = event.epoch, caller, event.epoch
            return
        if visit is not None:
            self._others.append(_unfinished(key, visit))
        called = self._called(event.call_id)
        self._visits[key] = _Visit(event.epoch, caller, called, event.epoch, event)

    def _connect(self, event: Event) -> None:
        key = (event.call_id, event.queue)
        visit = self._visits.get(key)
        if visit is None:
            visit = self._visits[key] = _Visit(
                None, "", self._called(event.call_id), event.epoch, event
            )
        member = _member(event.agent)
        visit.answered, visit.hold, visit.agent = event.epoch, _seconds(event.data, 0), member
        visit.seen, visit.last = event.epoch, event
        if member:
            agent = self._agent(member)
            agent.logged_in = True
            _join(agent, event.queue)
            self._change(member, agent, event.epoch)

    def _end(self, event: Event) -> None:
        outcome, wait_at, talk_at, transfers = _ENDS[event.name]
        if event.name == "ATTENDEDTRANSFER" and event.data[:1] == ("LINK",):
            wait_at, talk_at = 3, 4
        key = (event.call_id, event.queue)
        visit = self._visits.pop(key, None)
        ended = event.epoch
        entered = answered = None
        wait = _seconds(event.data, wait_at)
        talk = _seconds(event.data, talk_at) if talk_at >= 0 else 0.0
        if visit is not None:
            entered, answered = visit.entered, visit.answered
            if wait is None:
                wait = visit.hold
        if wait is None and entered is not None:
            if answered is not None:
                wait = answered - entered
            elif outcome != _ANSWERED:
                wait = ended - entered
        if talk is None and answered is not None:
            talk = ended - answered
        if talk is None and wait is not None and entered is not None:
            talk = ended - entered - wait
        if wait is None or talk is None:
            self._others.append(BadLine(event.line_number, _NO_WAIT, event.text))
            return
        wait, talk = max(wait, 0.0), max(talk, 0.0)
        agent = ""
        if outcome == _ANSWERED:
            agent = visit.agent if visit is not None and visit.agent else _member(event.agent)
        # A CallRecord, packed: queue_log records no agent hold, after-call work or IVR path.
        self._calls.append(
            (
                event.call_id,
                event.queue,
                _microseconds(ended - talk - wait),
                outcome,
                wait,
                _microseconds(ended),
                visit.caller if visit is not None else "",
                visit.called if visit is not None else self._called(event.call_id),
                agent,
                talk,
                0.0,
                0.0,
                transfers,
                "",
                "phone",
            )
        )

    def _withdraw(self, event: Event) -> None:
        key = (event.call_id, event.queue)
        visit = self._visits.pop(key, None)
        if visit is None:
            visit = _Visit(None, "", self._called(event.call_id), event.epoch, event)
        visit.last = event
        self._others.append(_unfinished(key, visit))

    def _queue_start(self, event: Event) -> None:
        # A (re)started Asterisk has no calls: whatever was open never ends.
        self._others.extend(_unfinished(key, visit) for key, visit in self._visits.items())
        self._visits = {}

    def _called(self, call_id: str) -> str:
        did = self._dids.get(call_id)
        return self._older_dids.get(call_id, "") if did is None else did

    def _sweep(self, now: float) -> None:
        horizon = now - self._max_open_s
        stale = [key for key, visit in self._visits.items() if visit.seen < horizon]
        for key in stale:
            self._others.append(_unfinished(key, self._visits.pop(key)))
        if self._dids_since < horizon:
            self._older_dids, self._dids, self._dids_since = self._dids, {}, now
        self._next_sweep = now + self._max_open_s / 24

    # Agents

    def _adopt(self, state: OpenState, event: Event) -> None:
        since = state.started_at.timestamp()
        if state.agent in self._agents or not since <= event.epoch <= since + self._max_open_s:
            return
        agent = self._agent(state.agent)
        agent.logged_in = True
        agent.paused = state.state is AgentState.NOT_READY
        agent.pause_reason = state.reason if agent.paused else ""
        agent.state, agent.reason, agent.since, agent.since_us = (
            state.state.value,
            agent.pause_reason,
            since,
            microseconds(state.started_at),
        )

    def _agent(self, name: str) -> _Agent:
        agent = self._agents.get(name)
        if agent is None:
            agent = self._agents[name] = _Agent()
        return agent

    def _add_member(self, event: Event) -> None:
        agent = self._agent(event.agent)
        if not agent.logged_in:
            agent.logged_in = True
            agent.paused, agent.pause_reason = event.data[:1] == ("PAUSED",), ""
        _join(agent, event.queue)
        self._change(event.agent, agent, event.epoch)

    def _remove_member(self, event: Event) -> None:
        agent = self._agents.get(event.agent)
        if agent is None:
            return
        agent.queues.discard(event.queue)
        if not agent.queues and not agent.by_agent_login:
            _log_off(agent)
        self._change(event.agent, agent, event.epoch)

    def _agent_login(self, event: Event) -> None:
        agent = self._agent(event.agent)
        if not agent.logged_in:
            agent.logged_in = True
            agent.paused, agent.pause_reason = False, ""
        agent.by_agent_login = True
        self._change(event.agent, agent, event.epoch)

    def _agent_logoff(self, event: Event) -> None:
        agent = self._agents.get(event.agent)
        if agent is not None:
            _log_off(agent)
            self._change(event.agent, agent, event.epoch)

    def _pause(self, event: Event) -> None:
        """PAUSE, PAUSEALL, UNPAUSE, UNPAUSEALL; only a pause's reason is kept."""
        if _member(event.agent):
            agent = self._agent(event.agent)
            agent.logged_in = True
            _join(agent, event.queue)
            agent.paused = event.name.startswith("PAUSE")
            agent.pause_reason = event.data[0] if agent.paused and event.data else ""
            self._change(event.agent, agent, event.epoch)

    def _change(self, name: str, agent: _Agent, now: float) -> None:
        """Close the agent's interval at `now` if what it has become differs."""
        state: str | None
        reason = ""
        if not agent.logged_in:
            state = None
        elif agent.paused:
            state, reason = _NOT_READY, agent.pause_reason
        else:
            state = _READY
        if state == agent.state and reason == agent.reason:
            return
        now_us = _microseconds(now)
        if agent.state is not None and now > agent.since:
            # A StateInterval, packed.
            self._states.append((name, agent.state, agent.since_us, now_us, agent.reason))
        agent.state, agent.reason, agent.since, agent.since_us = state, reason, now, now_us


def read_queue_log(
    lines: Iterable[str], assembler: QueueLogAssembler | None = None
) -> Iterator[Item]:
    """Records, intervals, bad lines and unknown events, as the lines come; then leftovers.

    Lines are numbered from 1. Pass your own assembler to carry open calls and agent
    states from one rotated file into the next; finishing it is then yours to do.
    """
    own = assembler is None
    assembly = QueueLogAssembler() if assembler is None else assembler
    # One item at a time, so in order: what one line completes is at most visits it gave
    # up (others) and then one record or one interval.
    for packed in assembly.read(lines, 1):
        yield from packed.others
        yield from map(unpack_call, packed.calls)
        yield from map(unpack_state, packed.states)
    if own:
        leftovers = assembly.finish()
        yield from leftovers.calls
        yield from leftovers.states


_NO_WAIT = "the line carries no wait time, and the call's earlier lines do not tell it"


def _ignore(event: Event) -> None:
    pass


def _join(agent: _Agent, queue: str) -> None:
    if queue != "NONE":
        agent.queues.add(queue)


def _log_off(agent: _Agent) -> None:
    agent.logged_in = agent.by_agent_login = agent.paused = False
    agent.pause_reason = ""
    agent.queues.clear()


def _member(agent: str) -> str:
    return "" if agent == "NONE" else agent


def _seconds(data: tuple[str, ...], index: int) -> float | None:
    """The duration in field `index` (not negative), or None when absent or not a duration."""
    try:
        seconds = float(data[index])
    except (IndexError, ValueError):
        return None
    return seconds if 0.0 <= seconds < _LONGEST_S else None  # NaN fails too


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _microseconds(epoch: float) -> int:
    """Seconds since 1970 as whole microseconds, rounded half to even as
    datetime.fromtimestamp rounds them (the fraction alone, so no precision is lost)."""
    whole = int(epoch)
    if whole == epoch:  # Asterisk writes whole seconds
        return whole * 1_000_000
    return whole * 1_000_000 + round((epoch - whole) * 1e6)


def _unfinished(key: tuple[str, str], visit: _Visit) -> UnfinishedCall:
    entered = visit.entered
    if entered is None and visit.answered is not None and visit.hold is not None:
        entered = visit.answered - visit.hold
    return UnfinishedCall(
        call_id=key[0],
        queue=key[1],
        entered_at=None if entered is None else _utc(entered),
        caller=visit.caller,
        called=visit.called,
        agent=visit.agent,
        answered_at=None if visit.answered is None else _utc(visit.answered),
        last_event=visit.last.name,
        line_number=visit.last.line_number,
    )


def _is_event_name(name: str) -> bool:
    return name.isascii() and name.isprintable() and name != "" and " " not in name


def _short_line_reason(line: str, count: int) -> str:
    if not line.strip():
        return "the line is empty"
    if "\x00" in line:
        return "the line holds NUL bytes, as a crash or a disk fault leaves"
    return f"{count} of the 5 fields a line needs (time|call id|queue|agent|event)"


def _time_reason(line: str, time: str) -> str:
    if "\x00" in line:
        return "the line holds NUL bytes, as a crash or a disk fault leaves"
    return f"the time {time[:40]!r} is not a number of seconds since 1970"
