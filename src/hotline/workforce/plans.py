"""A skill group's week as the planner sees it: forecast calls per interval, the agents
needed on the phones (Erlang C), and the agents to schedule once shrinkage is allowed for."""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

from hotline.accounts.models import SkillGroup
from hotline.staffing.erlang import (
    StaffingTarget,
    offered_load,
    pooled_queues,
    required_agents,
    scheduled_agents,
)
from hotline.workforce.models import Forecast

# Schedules are cut into quarter-hours whatever the forecast's interval: breaks are 15 minutes.
SCHEDULE_INTERVAL_MINUTES = 15


class NoForecast(ValueError):
    """The week has no forecast for any of the skill group's queues."""


@dataclass(frozen=True)
class WeekPlan:
    skill_group: SkillGroup
    week_start: date
    interval_minutes: int
    calls: NDArray[np.float64]  # pooled over the group's queues
    aht_s: NDArray[np.float64]
    on_phones: NDArray[np.int64]  # agents answering calls needed (Erlang C)
    to_schedule: NDArray[np.int64]  # agents to schedule, shrinkage allowed for
    queues: tuple[str, ...]

    def per_quarter_hour(self) -> NDArray[np.int64]:
        """The agents to schedule per quarter-hour of the week."""
        return np.repeat(self.to_schedule, self.interval_minutes // SCHEDULE_INTERVAL_MINUTES)


def staffing_target() -> StaffingTarget:
    return StaffingTarget(
        service_level=settings.HOTLINE_STAFFING_SERVICE_LEVEL,
        threshold_s=settings.HOTLINE_STAFFING_THRESHOLD_S,
        max_occupancy=settings.HOTLINE_STAFFING_MAX_OCCUPANCY,
    )


def week_plan(skill_group: SkillGroup, week_start: date) -> WeekPlan:
    """Raises NoForecast when no queue of the group has one for the week."""
    forecasts = list(
        Forecast.objects.filter(queue__skill_group=skill_group, week_start=week_start)
        .select_related("queue")
        .order_by("queue__code")
    )
    if not forecasts:
        raise NoForecast(f"{skill_group.code} has no forecast for the week of {week_start}")
    intervals = {forecast.interval_minutes for forecast in forecasts}
    if len(intervals) > 1:
        raise NoForecast(f"the forecasts of {skill_group.code} differ in interval: {intervals}")
    interval = intervals.pop()
    calls, aht = pooled_queues(
        np.array([forecast.volumes for forecast in forecasts], dtype=np.float64),
        np.array([forecast.handle_times for forecast in forecasts], dtype=np.float64),
    )
    on_phones = required_agents(offered_load(calls, interval * 60, aht), aht, staffing_target())
    return WeekPlan(
        skill_group=skill_group,
        week_start=week_start,
        interval_minutes=interval,
        calls=calls,
        aht_s=aht,
        on_phones=on_phones,
        to_schedule=scheduled_agents(on_phones, settings.HOTLINE_STAFFING_SHRINKAGE),
        queues=tuple(forecast.queue.code for forecast in forecasts),
    )
