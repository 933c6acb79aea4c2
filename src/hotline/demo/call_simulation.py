"""A simulated center for the demo: weeks of calls and its agents' states, plain Python.

Calls arrive per 15-minute interval from a daily volume and an intraday profile, wait in
their queue with a patience of their own, and are taken by the longest-idle agent of the
queue's skill group who is on shift (specialists take their own queues' calls first,
general ones once those have waited). Agents work shifts with a break and a meal.
"""

import datetime
import heapq
import itertools
import math
import random
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hotline.core.contact_records import (
    AgentState,
    CallRecord,
    OpenState,
    Outcome,
    StateInterval,
)
from hotline.demo import city

DAY_S = 86_400


@dataclass(frozen=True)
class QueueModel:
    share: float  # of the day's calls
    talk_s: float  # mean talk time
    patience_s: float  # mean patience of a caller left waiting
    ivr_path: str


GENERAL = "GEN"
# In the order an agent of several skill groups takes their calls: specialists first.
QUEUE_MODELS = {
    "VIP": QueueModel(0.04, 240, 120, "0"),
    "CMP": QueueModel(0.03, 380, 150, "4"),
    "ENT": QueueModel(0.04, 300, 120, "3"),
    "BB": QueueModel(0.16, 320, 100, "2>1"),
    "EN": QueueModel(0.01, 260, 90, "9"),
    "GEN": QueueModel(0.72, 200, 90, "1"),
}
DAILY_CALLS = 2200  # an ordinary Wednesday, every queue together
WEEKDAY_FACTORS = (1.25, 1.05, 1.0, 1.0, 1.05, 0.8, 0.7)  # Monday first
# How busy each moment of the day is, relative: (minute of the day, weight), linear in
# between. Open all night, with little traffic; the lunch dip is 12:00–13:30.
PROFILE_POINTS = [
    (0, 0.3),
    (120, 0.12),
    (300, 0.1),
    (420, 0.25),
    (450, 0.4),
    (480, 1.0),
    (510, 3.0),
    (540, 5.6),
    (600, 7.0),
    (660, 6.6),
    (705, 4.6),
    (720, 3.6),
    (780, 3.4),
    (810, 4.6),
    (840, 6.0),
    (900, 6.3),
    (1020, 4.8),
    (1080, 3.2),
    (1140, 2.4),
    (1200, 1.8),
    (1260, 1.2),
    (1320, 0.7),
    (1380, 0.45),
    (1440, 0.3),
]
MAX_WAIT_S = 300  # the queue's timeout
GREETING_S = 10  # the queue's greeting (您的来电正在排队…)
# A specialist takes general calls too, once they have waited this long (a secondary skill).
SECONDARY_AFTER_S = 15
LEAVE_WITH_KEY = 0.1  # of the callers who stop waiting, those who press a key to leave
TRANSFER_SHARE = 0.04  # of answered calls
TRANSFER_TARGETS: dict[str, list[tuple[str, float]]] = {
    "GEN": [("BB", 5), ("CMP", 2), ("ENT", 1.5), ("VIP", 1.5)],
}  # from any other queue, back to GEN
CUSTOMER_SHARE = 0.15  # calls from a known customer's number
REPEAT_SHARE = 0.10  # calls from someone who called in the last few days
REPEATER_SHARE = 0.045  # new callers who will call again (1–4 times within 4 days)


@dataclass(frozen=True)
class Shift:
    start_min: int
    length_min: int
    break_window: tuple[int, int]  # minutes after the start the 15-minute break begins
    meal_window: tuple[int, int]


SHIFTS = {
    "early": Shift(8 * 60, 510, (150, 195), (225, 285)),
    "day": Shift(8 * 60 + 30, 510, (150, 210), (270, 330)),
    "middle": Shift(10 * 60 + 30, 510, (300, 345), (120, 180)),
    "late": Shift(13 * 60 + 30, 510, (360, 420), (90, 150)),
    "night": Shift(22 * 60, 600, (90, 150), (210, 330)),
}
# The day shifts in turn, so that each has its share of every skill group.
DAY_SHIFTS = ("early", "day", "late", "early", "day", "late", "early", "middle", "late", "day")
NIGHT_AGENTS = 4
# Days off (Monday 0): fewest on Monday, most at the weekend, as the volume goes.
# Each half of the list is balanced on its own: a shift seldom has more than ten agents.
DAYS_OFF = [(5, 6), (6, 2), (5, 1), (0, 3), (3, 4), (5, 6), (6, 2), (5, 4), (0, 2), (1, 3)]
NIGHT_DAYS_OFF = [(1, 2), (3, 4), (5, 6), (0, 6)]
MEETING_SHARE = 0.07  # of agent days with a training or a team meeting besides


@dataclass(frozen=True)
class RosterLine:
    agent: str  # as the telephony system writes it: SIP/10231
    skills: tuple[str, ...]  # queues, in the order the agent takes their calls
    shift: str
    days_off: tuple[int, ...]


def rota(agents: list[tuple[str, list[str]]]) -> list[RosterLine]:
    """Shifts and days off for (agent, skill groups): each skill group spread over the day
    shifts, the last few generalists on nights."""
    agents_skills = [
        (name, tuple(code for code in QUEUE_MODELS if code in skills)) for name, skills in agents
    ]
    generalists = [agent for agent in agents_skills if agent[1] == ("GEN",)]
    night = generalists[-NIGHT_AGENTS:] if len(generalists) > NIGHT_AGENTS else []
    lines = [
        RosterLine(name, skills, "night", NIGHT_DAYS_OFF[n % len(NIGHT_DAYS_OFF)])
        for n, (name, skills) in enumerate(night)
    ]
    # Grouped by skills, so that every skill group has someone on every day shift.
    day = sorted(
        (agent for agent in agents_skills if agent[1] and agent not in night),
        key=lambda agent: (agent[1], agent[0]),
    )
    taken: Counter[str] = Counter()  # days off go round within each shift
    for n, (name, skills) in enumerate(day):
        shift = DAY_SHIFTS[n % len(DAY_SHIFTS)]
        lines.append(RosterLine(name, skills, shift, DAYS_OFF[taken[shift] % len(DAYS_OFF)]))
        taken[shift] += 1
    return lines


def intraday_profile() -> list[float]:
    """The share of a day's calls in each of its 96 quarter hours."""
    weights = []
    for quarter in range(96):
        minute = quarter * 15 + 7.5
        for (m0, w0), (m1, w1) in itertools.pairwise(PROFILE_POINTS):
            if m0 <= minute < m1:
                weights.append(w0 + (w1 - w0) * (minute - m0) / (m1 - m0))
                break
    total = sum(weights)
    return [weight / total for weight in weights]


class _Call:
    __slots__ = ("call_id", "queue", "caller", "entered", "patience", "transferred", "taken")

    def __init__(self, call_id, queue, caller, entered, patience, transferred=False):
        self.call_id = call_id
        self.queue = queue
        self.caller = caller
        self.entered = entered
        self.patience = patience
        self.transferred = transferred  # from another queue, not through the IVR
        self.taken = False  # answered, or given up


class _Agent:
    def __init__(self, name: str, skills: tuple[str, ...]) -> None:
        self.name = name
        self.skills = skills
        # A specialist's own queues; general calls are theirs only once they have waited.
        self.primary = frozenset(skills) - {GENERAL} or frozenset(skills)
        self.state: AgentState | None = None  # None: logged out
        self.reason = ""
        self.since = 0  # in the state since; when READY, idle since
        self.shift_end = 0
        self.leaving = False  # the shift is over: log out after this call
        self.pauses: list[tuple[str, int]] = []  # due while on a call: (reason, seconds)


class _Callers:
    """Who calls: strangers, known customers, and people who call again about the same thing."""

    def __init__(self, rng: random.Random, known: list[str]) -> None:
        self.rng = rng
        self.known = known
        self.again: dict[str, list[list]] = {code: [] for code in QUEUE_MODELS}

    def pick(self, queue: str, t: int) -> str:
        rng = self.rng
        draw = rng.random()
        again = self.again[queue]
        if draw < REPEAT_SHARE and again:
            index = rng.randrange(len(again))
            entry = again[index]
            if entry[2] >= t:
                entry[1] -= 1
                if not entry[1]:
                    again[index] = again[-1]
                    again.pop()
                return entry[0]
            again[index] = again[-1]
            again.pop()
        if draw < REPEAT_SHARE + CUSTOMER_SHARE and self.known:
            number = rng.choice(self.known)
        elif rng.random() < 0.1:
            number = city.AREA_CODE + rng.choice("5868") + f"{rng.randrange(10**7):07d}"
        else:
            prefixes = (
                city.OWN_MOBILE_PREFIXES if rng.random() < 0.8 else city.OTHER_MOBILE_PREFIXES
            )
            number = rng.choice(prefixes) + f"{rng.randrange(10**8):08d}"
        if rng.random() < REPEATER_SHARE:
            again.append([number, rng.randint(1, 4), t + rng.randint(1, 4) * DAY_S])
        return number


class _Center:
    """The discrete-event simulation; times are whole seconds after `start`."""

    def __init__(self, roster, start, end, known_callers, rng) -> None:
        self.roster = roster
        self.agents = {line.agent: _Agent(line.agent, line.skills) for line in roster}
        self.start = start
        self.end = int((end - start).total_seconds())
        self.epoch = int(start.timestamp())
        self.rng = rng
        self.callers = _Callers(rng, known_callers)
        self.profile = intraday_profile()
        self.events: list = []
        self.order = itertools.count()  # ties go in the order they were scheduled
        self.call_numbers = itertools.count(1)
        self.waiting: dict[str, deque[_Call]] = {code: deque() for code in QUEUE_MODELS}
        self.logged_in: Counter[str] = Counter()
        self.idle: dict[str, _Agent] = {}
        self.calls: list[CallRecord] = []
        self.states: list[StateInterval] = []

    def run(self) -> Iterator[tuple[list[CallRecord], list[StateInterval]]]:
        self._schedule_shifts(-1)  # the night shift that began the evening before
        self._new_day(0, 0)
        while self.events:
            t, _order, handle, args = heapq.heappop(self.events)
            if t > self.end:
                break
            if handle == self._new_day:
                yield self._batch()
            handle(t, *args)
        yield self._batch()

    def _at(self, t: int) -> datetime.datetime:
        return self.start + datetime.timedelta(seconds=t)

    def _batch(self) -> tuple[list[CallRecord], list[StateInterval]]:
        batch = self.calls, self.states
        self.calls, self.states = [], []
        return batch

    def _push(self, t: int, handle: Callable, *args) -> None:
        heapq.heappush(self.events, (t, next(self.order), handle, args))

    # The day's plan: arrivals and shifts.

    def _new_day(self, t: int, day: int) -> None:
        rng = self.rng
        weekday = (self.start.date() + datetime.timedelta(days=day)).weekday()
        volume = DAILY_CALLS * WEEKDAY_FACTORS[weekday] * rng.gauss(1, 0.04)
        for code, model in QUEUE_MODELS.items():
            for quarter, share in enumerate(self.profile):
                rate = volume * model.share * share * max(rng.gauss(1, 0.05), 0) / 900
                if rate <= 0:
                    continue
                moment = t + quarter * 900 + rng.expovariate(rate)
                while moment < t + quarter * 900 + 900 and moment <= self.end:
                    entered = int(moment)
                    call = _Call(
                        f"{self.epoch + entered}.{next(self.call_numbers)}",
                        code,
                        self.callers.pick(code, entered),
                        entered,
                        self._patience(model.patience_s),
                    )
                    self._push(entered, self._arrive, call)
                    moment += rng.expovariate(rate)
        self._schedule_shifts(day)
        if (day + 1) * DAY_S <= self.end:
            self._push((day + 1) * DAY_S, self._new_day, day + 1)

    def _schedule_shifts(self, day: int) -> None:
        rng = self.rng
        weekday = (self.start.date() + datetime.timedelta(days=day)).weekday()
        for line in self.roster:
            if weekday in line.days_off:
                continue
            shift = SHIFTS[line.shift]
            begin = day * DAY_S + shift.start_min * 60
            end = begin + shift.length_min * 60
            if end <= 0:
                continue
            agent = self.agents[line.agent]
            self._push(max(begin, 0), self._log_in, agent, end)
            self._push(end, self._log_out, agent)
            pauses = [
                (rng.randint(*shift.break_window), "break", 15),
                (rng.randint(*shift.meal_window), "meal", rng.randint(45, 60)),
            ]
            if rng.random() < MEETING_SHARE:
                after_meal = shift.meal_window[1] + 75
                pauses.append(
                    (
                        rng.randint(after_meal, shift.length_min - 75),
                        rng.choice(("training", "meeting")),
                        rng.choice((30, 45, 60)),
                    )
                )
            for offset, reason, minutes in pauses:
                if begin + offset * 60 >= 0:
                    self._push(begin + offset * 60, self._pause_due, agent, reason, minutes * 60)

    # Calls.

    def _arrive(self, t: int, call: _Call) -> None:
        if not self.logged_in[call.queue]:
            call.taken = True
            self._record(call, Outcome.NO_AGENTS, t)
            return
        if self._offer(t, call, primary=True):
            return
        self.waiting[call.queue].append(call)
        self._push(t + min(call.patience, MAX_WAIT_S), self._give_up, call)
        if call.queue == GENERAL and call.patience > SECONDARY_AFTER_S:
            self._push(t + SECONDARY_AFTER_S, self._offer, call, False)

    def _offer(self, t: int, call: _Call, primary: bool) -> bool:
        """Gives the call to the longest-idle agent who takes it (as a primary skill, or
        any); False if none is idle."""
        if call.taken:
            return False
        chosen = None
        for agent in self.idle.values():
            skills = agent.primary if primary else agent.skills
            if call.queue in skills and (chosen is None or agent.since < chosen.since):
                chosen = agent
        if chosen is None:
            return False
        del self.idle[chosen.name]
        self._answer(chosen, call, t)
        return True

    def _patience(self, mean_s: float) -> int:
        # Hardly anyone hangs up during the queue's greeting; after it, patience runs out
        # at a constant rate (exponential), so that the mean is still `mean_s`.
        return GREETING_S + round(self.rng.expovariate(1 / (mean_s - GREETING_S)))

    def _give_up(self, t: int, call: _Call) -> None:
        if call.taken:
            return
        call.taken = True
        if call.patience >= MAX_WAIT_S:
            outcome = Outcome.TIMEOUT
        elif self.rng.random() < LEAVE_WITH_KEY:
            outcome = Outcome.LEFT_WITH_KEY
        else:
            outcome = Outcome.ABANDONED
        self._record(call, outcome, t)

    def _answer(self, agent: _Agent, call: _Call, t: int) -> None:
        rng = self.rng
        call.taken = True
        model = QUEUE_MODELS[call.queue]
        sigma = 0.6
        mu = math.log(model.talk_s) - sigma**2 / 2
        talk = max(15, round(rng.lognormvariate(mu, sigma)))
        hold = round(rng.lognormvariate(math.log(35), 0.7)) if rng.random() < 0.2 else 0
        after_call_work = rng.randint(20, 40)
        target = ""
        # A call transferred once is not transferred again (back to where it was, say).
        if not call.transferred and rng.random() < TRANSFER_SHARE:
            targets = TRANSFER_TARGETS.get(call.queue, [("GEN", 1)])
            target = rng.choices([code for code, _w in targets], [w for _c, w in targets])[0]
        self._set(agent, t, AgentState.ON_CONTACT)
        wait = t - call.entered
        self._push(
            t + talk + hold, self._wrap_up, agent, call, wait, talk, hold, after_call_work, target
        )

    def _wrap_up(self, t, agent, call, wait, talk, hold, after_call_work, target) -> None:
        self._record(
            call,
            Outcome.ANSWERED,
            t,
            wait=wait,
            agent=agent.name,
            talk=talk,
            hold=hold,
            after_call_work=after_call_work,
            transfers=1 if target else 0,
        )
        self._set(agent, t, AgentState.AFTER_CALL_WORK)
        self._push(t + after_call_work, self._available, agent)
        if target:
            # The same call, offered again in the other queue; a transferred caller waits longer.
            patience = self._patience(QUEUE_MODELS[target].patience_s * 1.5)
            self._arrive(t, _Call(call.call_id, target, call.caller, t, patience, transferred=True))

    def _record(
        self,
        call: _Call,
        outcome: Outcome,
        t: int,
        wait: int | None = None,
        agent: str = "",
        talk: int = 0,
        hold: int = 0,
        after_call_work: int = 0,
        transfers: int = 0,
    ) -> None:
        self.calls.append(
            CallRecord(
                call_id=call.call_id,
                queue=call.queue,
                entered_at=self._at(call.entered),
                outcome=outcome,
                wait_s=t - call.entered if wait is None else wait,
                ended_at=self._at(t),
                caller=call.caller,
                called=city.HOTLINE_NUMBER,
                agent=agent,
                talk_s=talk,
                hold_s=hold,
                after_call_work_s=after_call_work,
                transfers=transfers,
                ivr_path="" if call.transferred else QUEUE_MODELS[call.queue].ivr_path,
            )
        )

    # Agents.

    def _set(self, agent: _Agent, t: int, state: AgentState | None, reason: str = "") -> None:
        if agent.state is not None and t > agent.since:
            self.states.append(
                StateInterval(
                    agent.name, agent.state, self._at(agent.since), self._at(t), agent.reason
                )
            )
        agent.state, agent.reason, agent.since = state, reason, t

    def _log_in(self, t: int, agent: _Agent, shift_end: int) -> None:
        agent.shift_end, agent.leaving, agent.pauses = shift_end, False, []
        self.logged_in.update(agent.skills)
        self._available(t, agent)

    def _log_out(self, t: int, agent: _Agent) -> None:
        self.logged_in.subtract(agent.skills)
        agent.pauses = []
        if agent.state in (AgentState.ON_CONTACT, AgentState.AFTER_CALL_WORK):
            agent.leaving = True  # finishes the call first
            return
        self.idle.pop(agent.name, None)
        self._set(agent, t, None)

    def _available(self, t: int, agent: _Agent) -> None:
        """The agent is free: logs out if the shift is over, takes a pause that fell due
        during the call, else the longest-waiting call of their first queue that has one,
        else waits."""
        if agent.leaving:
            agent.leaving = False
            self._set(agent, t, None)
            return
        while agent.pauses:
            reason, seconds = agent.pauses.pop(0)
            if min(t + seconds, agent.shift_end) > t:
                self._set(agent, t, AgentState.NOT_READY, reason)
                self._push(min(t + seconds, agent.shift_end), self._pause_over, agent, t)
                return
        for code in agent.skills:
            waiting = self.waiting[code]
            while waiting and waiting[0].taken:
                waiting.popleft()
            if waiting and (code in agent.primary or waiting[0].entered <= t - SECONDARY_AFTER_S):
                self._answer(agent, waiting.popleft(), t)
                return
        self._set(agent, t, AgentState.READY)
        self.idle[agent.name] = agent

    def _pause_due(self, t: int, agent: _Agent, reason: str, seconds: int) -> None:
        if agent.state is None or agent.leaving:
            return
        agent.pauses.append((reason, seconds))
        if agent.state == AgentState.READY:
            del self.idle[agent.name]
            self._available(t, agent)

    def _pause_over(self, t: int, agent: _Agent, began: int) -> None:
        # A pause cut short by the end of the shift has been closed already.
        if agent.state == AgentState.NOT_READY and agent.since == began:
            self._available(t, agent)


class SimulatedCenter:
    """Calls and agent states from `start` (a local midnight) to `end`, one batch a day
    (`days`); a call still waiting or talking at `end` is left out, and an agent's state
    that has not ended by then is one of the `open_states` once the days are read."""

    def __init__(
        self,
        roster: list[RosterLine],
        start: datetime.datetime,
        end: datetime.datetime,
        known_callers: list[str],
        rng: random.Random,
    ) -> None:
        self._center = _Center(roster, start, end, known_callers, rng)

    def days(self) -> Iterator[tuple[list[CallRecord], list[StateInterval]]]:
        yield from self._center.run()

    def open_states(self) -> list[OpenState]:
        center = self._center
        return [
            OpenState(agent.name, agent.state, center._at(agent.since), agent.reason)
            for agent in center.agents.values()
            if agent.state is not None
        ]


def simulate(
    roster: list[RosterLine],
    start: datetime.datetime,
    end: datetime.datetime,
    known_callers: list[str],
    rng: random.Random,
) -> Iterator[tuple[list[CallRecord], list[StateInterval]]]:
    """The days of a SimulatedCenter."""
    yield from SimulatedCenter(roster, start, end, known_callers, rng).days()
