"""The staffing table of one interval, as a planner reads it: the agents a target needs,
and how the queue would do with a few agents fewer or more.

Erlang C when callers never hang up, Erlang A when they have a mean patience.
"""

from dataclasses import dataclass

import numpy as np

from hotline.staffing import erlang, erlang_a
from hotline.staffing.erlang import StaffingTarget


@dataclass(frozen=True)
class StaffingRow:
    """The queue with `agents` on the phones; `p_abandon` is None under Erlang C."""

    agents: int
    scheduled: int  # agents to schedule so that `agents` remain after shrinkage
    p_wait: float
    service_level: float
    asa_s: float  # of answered calls
    p_abandon: float | None
    occupancy: float  # NaN with no agents
    meets_target: bool


@dataclass(frozen=True)
class StaffingTable:
    """One interval's requirement and the rows around it."""

    load: float  # Erlangs
    required: int  # whole agents on the phones
    fractional: float  # the continuous requirement, for adding up over intervals
    scheduled: int  # the required agents after shrinkage
    rows: tuple[StaffingRow, ...]


def staffing_table(
    calls: float,
    interval_s: float,
    aht_s: float,
    target: StaffingTarget,
    *,
    patience_s: float | None = None,
    shrinkage: float = 0.0,
    either_side: int = 3,
) -> StaffingTable:
    """The requirement for `calls` in an interval and rows from `either_side` agents below it
    (never below none) to `either_side` above."""
    if either_side < 0:
        raise ValueError("the table cannot have a negative number of rows either side")
    load = float(erlang.offered_load(calls, interval_s, aht_s))
    if patience_s is None:
        required = int(erlang.required_agents(load, aht_s, target))
        fractional = float(erlang.fractional_agents(load, aht_s, target))
    else:
        required = int(erlang_a.required_agents(load, aht_s, patience_s, target))
        fractional = float(erlang_a.fractional_agents(load, aht_s, patience_s, target))
    agents = np.arange(max(required - either_side, 0), required + either_side + 1)
    rows = _rows(agents, load, aht_s, target, patience_s, shrinkage, required)
    return StaffingTable(
        load=load,
        required=required,
        fractional=fractional,
        scheduled=int(erlang.scheduled_agents(required, shrinkage)),
        rows=rows,
    )


def _rows(
    agents: erlang.IntArray,
    load: float,
    aht_s: float,
    target: StaffingTarget,
    patience_s: float | None,
    shrinkage: float,
    required: int,
) -> tuple[StaffingRow, ...]:
    figures: erlang.ErlangC | erlang_a.ErlangA
    p_abandon: list[float | None]
    if patience_s is None:
        figures = erlang.erlang_c(agents, load, aht_s, target.threshold_s)
        p_abandon = [None] * agents.size
    else:
        figures = erlang_a.erlang_a(agents, load, aht_s, patience_s, target.threshold_s)
        p_abandon = figures.p_abandon.tolist()
    columns = zip(
        agents.tolist(),
        erlang.scheduled_agents(agents, shrinkage).tolist(),
        figures.p_wait.tolist(),
        figures.service_level.tolist(),
        figures.asa_s.tolist(),
        p_abandon,
        figures.occupancy.tolist(),
        strict=True,
    )
    return tuple(
        StaffingRow(
            agents=n,
            scheduled=scheduled,
            p_wait=p_wait,
            service_level=service_level,
            asa_s=asa_s,
            p_abandon=abandon,
            occupancy=occupancy,
            meets_target=n >= required,  # the target holds from the requirement up, only there
        )
        for n, scheduled, p_wait, service_level, asa_s, abandon, occupancy in columns
    )
