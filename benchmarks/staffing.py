"""Staffing and scheduling beside pyworkforce: Erlang C, Erlang A and a week's shifts (issue 5).

    python -m benchmarks.staffing [--repeats 5] [--time-limit 60] [--json FILE]
    python -m benchmarks.staffing --smoke      # small workloads, to try it out

On the workloads of benchmarks.staffing_workloads (the same inputs for both sides), with
pyworkforce run by benchmarks.staffing_peers in its own cached virtualenv:

(a) Erlang C required agents for 100 queues × 672 intervals (80 % within 20 s):
    `erlang.offered_load` and `erlang.required_agents` on the whole week at once, beside
    pyworkforce's ErlangC in a loop and its MultiErlangC. The agents must agree.
(b) Erlang A required agents for 1,000 intervals with the callers' patience:
    `erlang_a.required_agents`. pyworkforce has no Erlang A, so its figures are its Erlang C
    on the same intervals. The exact minimum is found by trying every N from 0 with
    `erlang_a.erlang_a`, and confirmed independently at N and N − 1 by the birth–death
    chain (`chain_service_level`); Hotline must never name more agents than it.
(c) A week's shifts for a 300-agent center from 50 templates: `scheduling.schedule` on the
    cyclic week, beside pyworkforce's day-by-day MinRequiredResources. Cost, the gap to
    the LP bound (Hotline's LP relaxation of the weekly model, which bounds both sides) and
    coverage recounted from the shifts (`weekly_coverage`). Then again with a paid 15-minute
    break per full 4 hours of shift (`with_breaks`), which pyworkforce cannot model.

Hotline's times start from the workloads' lists, conversion to arrays included. A run is
timed, first and best of `repeats`, unless the first took 30 s or more: then once
(`staffing_peers.timed`). The figures, and how to read them, are in docs/benchmarks.md.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped]

from benchmarks import staffing_peers, staffing_workloads
from benchmarks.staffing_workloads import (
    ErlangAWorkload,
    ErlangCWorkload,
    ScheduleWorkload,
    ShiftCount,
    schedule_cost,
    weekly_coverage,
)
from hotline.staffing import erlang, erlang_a
from hotline.staffing.scheduling import Schedule, schedule
from hotline.staffing.shift_templates import Break, ShiftTemplate

IntArray = NDArray[np.int64]

REPEATS = 5
TIME_LIMIT_S = 60.0
# Targets of the issue.
ERLANG_C_SPEEDUP = 50.0
ERLANG_A_SPEEDUP = 20.0
SCHEDULE_GAP = 0.02
SCHEDULE_S = 60.0
# The breaks of (c) with breaks: one paid break per full BREAK_EVERY_MIN of shift, the i-th
# of k centred at i/(k + 1) of the shift, movable BREAK_SLACK_MIN either way.
BREAK_MIN = 15
BREAK_EVERY_MIN = 240
BREAK_SLACK_MIN = 30
# The birth–death chain is cut where a state weighs e⁻⁴⁰ of the heaviest.
CHAIN_NEGLIGIBLE_LOG = 40.0


class BenchmarkFailed(Exception):
    """The code under test did not do what the benchmark relies on."""


def _target(workload: ErlangCWorkload | ErlangAWorkload) -> erlang.StaffingTarget:
    return erlang.StaffingTarget(
        service_level=workload["service_level"], threshold_s=workload["answer_time_s"]
    )


# --- (a) Erlang C -------------------------------------------------------------------------------


def hotline_erlang_c(workload: ErlangCWorkload) -> IntArray:
    """Agents per queue and interval, as Hotline staffs a week of many queues."""
    aht_s = np.asarray(workload["aht_s"], dtype=np.float64)
    load = erlang.offered_load(workload["calls"], workload["interval_s"], aht_s)
    return erlang.required_agents(load, aht_s, _target(workload))


def measure_erlang_c(workload: ErlangCWorkload, repeats: int) -> dict[str, Any]:
    times, agents = staffing_peers.timed(lambda: hotline_erlang_c(workload), repeats)
    peer = staffing_peers.measure_erlang_c(workload, repeats=repeats)
    theirs = np.asarray(peer.pop("agents"))
    differ = agents != theirs
    return {
        "queues": len(workload["calls"]),
        "intervals": len(workload["calls"][0]),
        "hotline": times,
        "peer": peer,
        "agents_total": int(agents.sum()),
        "peer_agents_total": int(theirs.sum()),
        "intervals_differing": int(differ.sum()),
        "largest_difference": int(np.abs(agents - theirs).max()),
    }


# --- (b) Erlang A -------------------------------------------------------------------------------


def hotline_erlang_a(workload: ErlangAWorkload) -> IntArray:
    """Agents per interval by Erlang A, the callers' mean patience per interval."""
    aht_s = np.asarray(workload["aht_s"], dtype=np.float64)
    load = erlang.offered_load(workload["calls"], workload["interval_s"], aht_s)
    return erlang_a.required_agents(load, aht_s, workload["patience_s"], _target(workload))


def exact_minimum(workload: ErlangAWorkload, agents: IntArray) -> IntArray:
    """The smallest N meeting the target per interval, trying every N from 0 to agents + 1 with
    `erlang_a.erlang_a`; −1 where none of them does (Hotline's answer misses the target)."""
    tried = agents + 2
    interval = np.repeat(np.arange(agents.size), tried)
    offsets = np.cumsum(tried) - tried
    n = np.arange(tried.sum()) - np.repeat(offsets, tried)
    aht_s = np.asarray(workload["aht_s"])
    load = erlang.offered_load(workload["calls"], workload["interval_s"], aht_s)
    figures = erlang_a.erlang_a(
        n,
        load[interval],
        aht_s[interval],
        np.asarray(workload["patience_s"])[interval],
        workload["answer_time_s"],
    )
    missing = int(tried.max())
    meeting = np.where(figures.service_level >= workload["service_level"], n, missing)
    smallest = np.minimum.reduceat(meeting, offsets)
    return np.where(smallest == missing, -1, smallest)


def chain_service_level(
    agents: int, load: float, aht_s: float, patience_s: float, threshold_s: float
) -> float:
    """Erlang A's service level from its birth–death chain, apart from Hotline's closed forms.

    States n = 0, 1, … callers in the system, arrivals at λ = A/AHT, departures at
    min(n, N)/AHT + max(n − N, 0)/patience; an arrival sees the stationary law (PASTA). One
    who finds k ≥ N with m = k − N waiting ahead reaches an agent when m + 1 departures from
    the queue's head have happened (rate N/AHT + j/patience with j ahead) before they hang
    up (rate 1/patience): by the threshold, from uniformizing that small chain.
    """
    arrival, service, hang_up = load / aht_s, 1 / aht_s, 1 / patience_s
    states = agents + 64
    while True:
        n = np.arange(1, states + 1)
        leaving = service * np.minimum(n, agents) + hang_up * np.maximum(n - agents, 0)
        log_weight = np.concatenate([[0.0], np.cumsum(np.log(arrival) - np.log(leaving))])
        if log_weight[-1] < min(log_weight.max() - CHAIN_NEGLIGIBLE_LOG, log_weight[-2]):
            break
        states *= 2
    found = np.exp(log_weight - log_weight.max())
    found /= found.sum()
    level = float(found[:agents].sum())
    if agents == 0:
        return level
    ahead = len(found) - agents  # waiting ahead of the caller: 0 … ahead − 1
    moving = agents * service + np.arange(ahead) * hang_up
    rate = moving[-1] + hang_up
    advance, stay = moving / rate, 1 - (moving + hang_up) / rate
    mean_jumps = rate * threshold_s
    jumps = np.arange(int(mean_jumps + 12 * np.sqrt(mean_jumps) + 30))
    # reached[m]: P(at an agent within j jumps | m ahead); by_threshold sums it over j.
    reached, by_threshold = np.zeros(ahead), np.zeros(ahead)
    for weight in stats.poisson.pmf(jumps, mean_jumps):
        by_threshold += weight * reached
        reached = advance * np.concatenate([[1.0], reached[:-1]]) + stay * reached
    return level + float(found[agents:] @ by_threshold)


def measure_erlang_a(workload: ErlangAWorkload, repeats: int) -> dict[str, Any]:
    times, agents = staffing_peers.timed(lambda: hotline_erlang_a(workload), repeats)
    exact = exact_minimum(workload, agents)
    aht_s = np.asarray(workload["aht_s"])
    load = erlang.offered_load(workload["calls"], workload["interval_s"], aht_s)
    chain_disagrees, largest_difference = 0, 0.0
    for at in np.flatnonzero(exact >= 0):
        for n in range(max(exact[at] - 1, 0), exact[at] + 1):
            args = (load[at], aht_s[at], workload["patience_s"][at], workload["answer_time_s"])
            chain = chain_service_level(n, *args)
            closed = float(erlang_a.erlang_a(n, *args).service_level)
            largest_difference = max(largest_difference, abs(chain - closed))
            chain_disagrees += (chain >= workload["service_level"]) != (n == exact[at])
    erlang_c_agents = erlang.required_agents(load, aht_s, _target(workload))
    peer = staffing_peers.measure_erlang_a(workload, repeats=repeats)
    theirs = np.asarray(peer.pop("agents"))
    fewer = erlang_c_agents - agents
    return {
        "intervals": len(workload["calls"]),
        "hotline": times,
        "peer": peer,
        "agents_total": int(agents.sum()),
        "exact_total": int(exact[exact >= 0].sum()),
        "above_exact": int(((agents > exact) & (exact >= 0)).sum()),
        "missing_target": int((exact < 0).sum()),
        "chain_disagrees": int(chain_disagrees),
        "chain_largest_difference": largest_difference,
        "erlang_c_total": int(erlang_c_agents.sum()),
        "erlang_c_differing_from_peer": int((erlang_c_agents != theirs).sum()),
        "peer_agents_total": int(theirs.sum()),
        "fewer_than_erlang_c": int(fewer.sum()),
        "intervals_fewer": int((fewer > 0).sum()),
        "intervals_more": int((fewer < 0).sum()),
        "largest_fewer": int(fewer.max()),
    }


# --- (c) the week's shifts ----------------------------------------------------------------------


def hotline_templates(workload: ScheduleWorkload, breaks: bool = False) -> list[ShiftTemplate]:
    """The workload's templates in minutes, each starting at its one time on any day."""
    interval_min = workload["interval_s"] // 60
    return [
        ShiftTemplate(
            code=f"T{index:02d}",
            length=template["length"] * interval_min,
            starts=(template["start"] * interval_min,),
            cost=template["cost"],
            breaks=with_breaks(template["length"] * interval_min) if breaks else (),
        )
        for index, template in enumerate(workload["templates"])
    ]


def with_breaks(length: int) -> tuple[Break, ...]:
    """A paid BREAK_MIN break per full BREAK_EVERY_MIN of a shift `length` minutes long."""
    count = length // BREAK_EVERY_MIN
    centres = (round(i * length / (count + 1) / BREAK_MIN) * BREAK_MIN for i in range(1, count + 1))
    return tuple(
        Break(BREAK_MIN, centre - BREAK_SLACK_MIN, centre + BREAK_SLACK_MIN, paid=True)
        for centre in centres
    )


def shift_counts(found: Schedule, templates: list[ShiftTemplate]) -> list[ShiftCount]:
    """The schedule in the workloads' terms: agents per day and template index."""
    index = {template.code: at for at, template in enumerate(templates)}
    return [
        {"day": s.shift.day, "template": index[s.shift.template.code], "agents": s.count}
        for s in found.shifts
    ]


def coverage_after_breaks(found: Schedule, workload: ScheduleWorkload) -> list[int]:
    """Agents on duty per interval, counted from each agent's shift less their placed breaks."""
    interval_min = workload["interval_s"] // 60
    week = workload["days"] * workload["intervals_per_day"]
    on_duty = np.zeros(week, dtype=np.int64)
    for agent in found.agent_shifts:
        shift = agent.shift
        working = np.ones(shift.template.length // interval_min, dtype=bool)
        for start, shift_break in zip(agent.break_starts, shift.template.breaks, strict=True):
            first = (start - shift.start) // interval_min
            working[first : first + shift_break.length // interval_min] = False
        on_duty[(shift.start // interval_min + np.flatnonzero(working)) % week] += 1
    return on_duty.tolist()


def measure_schedule(
    workload: ScheduleWorkload, repeats: int, time_limit: float, breaks: bool
) -> dict[str, Any]:
    templates = hotline_templates(workload, breaks)
    requirement = workload["requirement"]
    times, found = staffing_peers.timed(
        lambda: schedule(templates, requirement, time_limit=time_limit), repeats
    )
    counts = shift_counts(found, templates)
    if breaks:
        coverage = coverage_after_breaks(found, workload)
    else:
        coverage = weekly_coverage(counts, workload)
    if coverage != found.coverage.tolist():
        raise BenchmarkFailed("(c): Hotline's coverage is not the shifts' coverage")
    if schedule_cost(counts, workload) != found.total_cost:
        raise BenchmarkFailed("(c): Hotline's total cost is not its shifts' cost")
    return {
        "hotline": times,
        "cost": found.total_cost,
        "shifts": sum(count["agents"] for count in counts),
        "breaks": sum(len(template.breaks) for template in templates),
        "lp_bound": found.lp_bound,
        "mip_bound": found.mip_bound,
        "gap": found.gap,
        "status": str(found.status),
        "short_intervals": sum(
            on_duty < needed for on_duty, needed in zip(coverage, requirement, strict=True)
        ),
    }


def measure_peer_schedule(workload: ScheduleWorkload, repeats: int) -> dict[str, Any]:
    peer = staffing_peers.measure_schedule(workload, repeats=repeats)
    return {
        "solve": peer["solve"],
        "status": peer["status"],
        "cost": peer["cost"],
        "shifts": sum(shift["agents"] for shift in peer["shifts"]),
        "covered": peer["covered"],
    }


# --- the report ---------------------------------------------------------------------------------


def _s(timing: dict[str, float]) -> str:
    best, first = timing["best_s"], timing["first_s"]
    digits = 3 if best >= 0.1 else 4
    return f"{best:.{digits}f} ({first:.{digits}f})"


def report(figures: dict[str, Any]) -> tuple[list[str], bool]:
    """The figures as Markdown, and whether every target was met."""
    a, b, c, c_breaks = (figures[key] for key in ("a", "b", "c", "c_breaks"))
    peer_c = figures["c_peer"]
    versions = a["peer"]["versions"]
    a_peer = min(a["peer"]["loop"]["best_s"], a["peer"]["multi"]["best_s"])
    b_peer = min(b["peer"]["loop"]["best_s"], b["peer"]["multi"]["best_s"])
    a_ratio = a_peer / a["hotline"]["best_s"]
    b_ratio = b_peer / b["hotline"]["best_s"]
    c_ratio = peer_c["solve"]["best_s"] / c["hotline"]["best_s"]
    peer_gap = (peer_c["cost"] - c["lp_bound"]) / peer_c["cost"]
    lines = [
        f"{figures['date']}, {figures['cpus']} CPUs, load average "
        f"{figures['load_average_before']:.1f} at the start, "
        f"{figures['load_average_after']:.1f} at the end; Python {figures['python']}, "
        f"NumPy {figures['numpy']}, SciPy {figures['scipy']} (HiGHS); pyworkforce "
        f"{versions['pyworkforce']}, OR-Tools {versions['ortools']}, NumPy {versions['numpy']}.",
        "",
        f"Seconds, best of {figures['repeats']} (the first run in brackets):",
        "",
        "| workload | Hotline | pyworkforce | pyworkforce ÷ Hotline | target |",
        "|---|--:|--:|--:|---|",
        f"| (a) Erlang C, {a['queues']} queues × {a['intervals']} intervals "
        f"| {_s(a['hotline'])} | loop {_s(a['peer']['loop'])}, "
        f"MultiErlangC {_s(a['peer']['multi'])} | **{a_ratio:.1f}×** "
        f"| ≥ {ERLANG_C_SPEEDUP:g}× |",
        f"| (b) Erlang A, {b['intervals']:,} intervals | {_s(b['hotline'])} "
        f"| its Erlang C (no Erlang A): loop {_s(b['peer']['loop'])}, "
        f"MultiErlangC {_s(b['peer']['multi'])} | **{b_ratio:.1f}×** "
        f"| ≥ {ERLANG_A_SPEEDUP:g}× |",
        f"| (c) a week's shifts, {figures['agents']} agents, {figures['templates']} templates "
        f"| {_s(c['hotline'])} | day by day {_s(peer_c['solve'])} | {c_ratio:.2f}× "
        f"| < {SCHEDULE_S:g} s |",
        f"| (c) with paid breaks ({c_breaks['breaks']} over the templates) "
        f"| {_s(c_breaks['hotline'])} | — (no breaks in pyworkforce) | — | — |",
        "",
        "| check | Hotline | pyworkforce |",
        "|---|--:|--:|",
        f"| (a) agents, all intervals | {a['agents_total']:,} | {a['peer_agents_total']:,} |",
        f"| (a) intervals where the two differ (largest difference) "
        f"| {a['intervals_differing']} ({a['largest_difference']}) | |",
        f"| (b) agents, Erlang A | {b['agents_total']:,} | — |",
        f"| (b) the exact minimum (every N tried) | {b['exact_total']:,} | |",
        f"| (b) intervals above the exact minimum / missing the target "
        f"| **{b['above_exact']}** / {b['missing_target']} | |",
        f"| (b) birth–death chain at N and N − 1: disagreements (largest SL difference) "
        f"| {b['chain_disagrees']} ({b['chain_largest_difference']:.1e}) | |",
        f"| (b) agents, Erlang C on the same intervals (intervals where the two differ) "
        f"| {b['erlang_c_total']:,} | {b['peer_agents_total']:,} "
        f"({b['erlang_c_differing_from_peer']}) |",
        f"| (b) Erlang A's saving over Erlang C | {b['fewer_than_erlang_c']:,} agents "
        f"({b['fewer_than_erlang_c'] / b['erlang_c_total']:.1%}), fewer in "
        f"{b['intervals_fewer']} intervals, more in {b['intervals_more']}, at most "
        f"{b['largest_fewer']} | |",
        f"| (c) cost | **{c['cost']:,.0f}** | {peer_c['cost']:,} |",
        f"| (c) shifts | {c['shifts']:,} | {peer_c['shifts']:,} |",
        f"| (c) LP bound (weekly model) / gap to it | {c['lp_bound']:,.0f} / **{c['gap']:.3%}** "
        f"| {peer_gap:.3%} |",
        f"| (c) solver status | {c['status']} | {peer_c['status']} |",
        f"| (c) intervals short of the requirement | {c['short_intervals']} "
        f"| {0 if peer_c['covered'] else 'some'} |",
        f"| (c) with breaks: cost / LP bound / gap | {c_breaks['cost']:,.0f} / "
        f"{c_breaks['lp_bound']:,.0f} / {c_breaks['gap']:.3%} | — |",
        f"| (c) with breaks: shifts / short intervals / status | {c_breaks['shifts']:,} / "
        f"{c_breaks['short_intervals']} / {c_breaks['status']} | — |",
    ]
    verdicts = [
        (f"(a) ≥ {ERLANG_C_SPEEDUP:g}× faster than pyworkforce", a_ratio >= ERLANG_C_SPEEDUP),
        ("(a) the same agents as pyworkforce", a["intervals_differing"] == 0),
        (
            "(b) never more agents than the exact minimum",
            b["above_exact"] == 0 and b["missing_target"] == 0 and b["chain_disagrees"] == 0,
        ),
        (
            f"(b) ≥ {ERLANG_A_SPEEDUP:g}× faster than pyworkforce (its Erlang C)",
            b_ratio >= ERLANG_A_SPEEDUP,
        ),
        ("(c) cost no higher than pyworkforce's", c["cost"] <= peer_c["cost"]),
        (f"(c) gap to the LP bound < {SCHEDULE_GAP:.0%}", c["gap"] < SCHEDULE_GAP),
        (f"(c) under {SCHEDULE_S:g} s (slowest run)", c["hotline"]["max_s"] < SCHEDULE_S),
        ("(c) the requirement met in every interval", c["short_intervals"] == 0),
        ("(c) with breaks: the requirement met everywhere", c_breaks["short_intervals"] == 0),
    ]
    lines += ["", "| target | verdict |", "|---|---|"]
    lines += [f"| {text} | {'met' if ok else '**NOT met**'} |" for text, ok in verdicts]
    return lines, all(ok for _text, ok in verdicts)


# --- the run ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument(
        "--time-limit", type=float, default=TIME_LIMIT_S, help="seconds for Hotline's schedule"
    )
    parser.add_argument("--smoke", action="store_true", help="small workloads, to try it out")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    if args.smoke:
        workloads = (
            staffing_workloads.erlang_c_workload(queues=3, intervals=96),
            staffing_workloads.erlang_a_workload(intervals=20),
            staffing_workloads.schedule_workload(agents=30, templates=12),
        )
    else:
        workloads = (
            staffing_workloads.erlang_c_workload(),
            staffing_workloads.erlang_a_workload(),
            staffing_workloads.schedule_workload(),
        )
    erlang_c_load, erlang_a_load, schedule_load = workloads
    figures: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "scipy": version("scipy"),
        "repeats": args.repeats,
        "agents": schedule_load["agents"],
        "templates": len(schedule_load["templates"]),
        "load_average_before": os.getloadavg()[0],
    }
    say("(a) Erlang C, Hotline then pyworkforce")
    figures["a"] = measure_erlang_c(erlang_c_load, args.repeats)
    say("(b) Erlang A, Hotline, the exact minimum, then pyworkforce's Erlang C")
    figures["b"] = measure_erlang_a(erlang_a_load, args.repeats)
    say("(c) the week's shifts, Hotline")
    figures["c"] = measure_schedule(schedule_load, args.repeats, args.time_limit, breaks=False)
    say("(c) with breaks, Hotline")
    figures["c_breaks"] = measure_schedule(
        schedule_load, args.repeats, args.time_limit, breaks=True
    )
    say("(c) pyworkforce")
    figures["c_peer"] = measure_peer_schedule(schedule_load, args.repeats)
    figures["load_average_after"] = os.getloadavg()[0]
    lines, met = report(figures)
    print("\n".join(lines))
    print(f"\nTargets: {'all met' if met else 'NOT all met'}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
