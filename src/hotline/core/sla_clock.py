"""The clock of one time-limited stage of a work order: started, paused, resumed, met.

A clock is an immutable value; each step returns a new one. Only the business time
spent paused is kept, not each pause, so the clock measures as if all of it had been
spent at the start: the deadline is the instant by which the limit's business time
plus the paused business time has elapsed since the start. While a pause lasts there
is no deadline, since nobody knows yet when it ends.

Deadlines are instants, like the ones agents are shown: a stage met after its due
instant is late, even if the center was closed in between (a reply at 19:00 to a
limit due at 17:30 is late). Instants are compared in UTC (see business_time).
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hotline.core.business_time import ZERO, BusinessCalendar, Limit, in_utc


@dataclass(frozen=True)
class StageClock:
    """One stage's clock; `paused_business` is the business time of the pauses ended so far."""

    started_at: datetime
    limit: Limit
    paused_business: timedelta = ZERO
    paused_since: datetime | None = None
    met_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.paused_business < ZERO:
            raise ValueError(f"paused business time cannot be negative: {self.paused_business}")
        if self.paused_since is not None and self.met_at is not None:
            raise ValueError("a met clock cannot be paused")


def pause(clock: StageClock, calendar: BusinessCalendar, at: datetime) -> StageClock:
    """Stop counting at `at` (挂起). Raises ValueError if the clock is paused or met.

    `calendar` is not needed to pause; it is taken so pause and resume are called alike.
    """
    _check_running(clock, "pause", at)
    return replace(clock, paused_since=at)


def resume(clock: StageClock, calendar: BusinessCalendar, at: datetime) -> StageClock:
    """Count again from `at`, adding the pause's business time. Raises ValueError unless paused."""
    if clock.met_at is not None:
        raise ValueError("cannot resume a met clock")
    if clock.paused_since is None:
        raise ValueError("cannot resume a clock that is not paused")
    if in_utc(at) < in_utc(clock.paused_since):
        raise ValueError(f"cannot resume at {at}, before the pause at {clock.paused_since}")
    paused = clock.paused_business + calendar.between(clock.paused_since, at)
    return replace(clock, paused_business=paused, paused_since=None)


def meet(clock: StageClock, at: datetime) -> StageClock:
    """The stage is done at `at`. Raises ValueError if the clock is met or paused.

    A paused clock must be resumed first: counting its pause needs the calendar.
    """
    _check_running(clock, "meet", at)
    return replace(clock, met_at=at)


def used(clock: StageClock, calendar: BusinessCalendar, now: datetime) -> timedelta:
    """The business time used from the start to `now`, pauses excepted.

    `now` counts only while the clock runs: a paused or met clock has used the time up
    to its pause or its meeting.
    """
    stopped = clock.met_at or clock.paused_since
    if stopped is None:
        if in_utc(now) < in_utc(clock.started_at):
            raise ValueError(f"{now} is before the clock's start at {clock.started_at}")
        stopped = now
    return calendar.between(clock.started_at, stopped) - clock.paused_business


def due_at(clock: StageClock, calendar: BusinessCalendar) -> datetime | None:
    """The deadline: the limit's due instant moved later by the paused business time.

    None while paused. Without pauses it is `limit.due(calendar, started_at)`.
    """
    return None if clock.paused_since is not None else _deadline(clock, calendar)


def warning_at(clock: StageClock, calendar: BusinessCalendar, share: float) -> datetime | None:
    """The instant when `share` (0.8 for 80 %) of the limit's business time is used.

    None while paused.
    """
    if share < 0:
        raise ValueError(f"a share cannot be negative: {share}")
    if clock.paused_since is not None:
        return None
    allowed = clock.limit.business_time(calendar, clock.started_at)
    return calendar.add(clock.started_at, allowed * share + clock.paused_business)


def is_met_in_time(clock: StageClock, calendar: BusinessCalendar) -> bool | None:
    """Whether the stage was met by its deadline; None until it is met."""
    if clock.met_at is None:
        return None
    return in_utc(clock.met_at) <= in_utc(_deadline(clock, calendar))


def is_breached(clock: StageClock, calendar: BusinessCalendar, now: datetime) -> bool:
    """Whether the deadline passed before the stage was met (at the due instant it is not yet).

    A clock paused after its deadline stays breached; one met late is breached.
    """
    stopped = clock.met_at or clock.paused_since or now
    return in_utc(stopped) > in_utc(_deadline(clock, calendar))


def _deadline(clock: StageClock, calendar: BusinessCalendar) -> datetime:
    """The deadline as it stands, ignoring any pause still under way."""
    allowed = clock.limit.business_time(calendar, clock.started_at)
    return calendar.add(clock.started_at, allowed + clock.paused_business)


def _check_running(clock: StageClock, step: str, at: datetime) -> None:
    if clock.met_at is not None:
        raise ValueError(f"cannot {step} a met clock")
    if clock.paused_since is not None:
        raise ValueError(f"cannot {step} a paused clock")
    if in_utc(at) < in_utc(clock.started_at):
        raise ValueError(f"cannot {step} at {at}, before the start at {clock.started_at}")
