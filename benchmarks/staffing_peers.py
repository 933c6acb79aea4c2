"""pyworkforce on benchmarks.staffing's workloads: the peer of Hotline's staffing (issue 5).

    python -m benchmarks.staffing_peers [--smoke] [--repeats 3] [--max-search-time 240]

pyworkforce is no dependency of Hotline: it is installed, pinned, into a virtualenv of its own
cached under ~/.cache/hotline-bench, and this file runs there as a script (`peer`), so it
imports only the standard library at the top. Workloads (benchmarks.staffing_workloads) go in
and figures come out as JSON files. A run is timed, first and best of `repeats`, unless the
first took SLOW_S or more: then once. Results are the first run's.

What pyworkforce 0.5.1 offers and what the peer makes of it:
(a) ErlangC(transactions, aht, asa, interval).required_positions(service_level), in minutes;
    its `asa` is the answer-time target T of the service level, 1 − P(wait)·e^(−(N−A)·T/AHT).
    Timed as a loop over the queues' intervals ("loop") and as its MultiErlangC, joblib with
    its default two jobs, over a list of one-point grids ("multi"): a grid of lists would
    cross every call volume with every AHT. It rejects 0 calls (the workloads have none) and
    searches upwards from round(A + 1) agents, so it could name one more than the minimum
    (on these workloads it never does: checked against an exact Erlang C).
(b) pyworkforce has no abandonment anywhere (no Erlang A, no patience), so the peer is its
    ErlangC on the same intervals, patience ignored: Erlang C's counts, not Erlang A's.
(c) MinRequiredResources (CP-SAT): a count per day (7) and template (the same 50, costs
    included) covering a day's 96 intervals, its default 240 s limit and two workers, period
    and shift concurrency capped at the headcount (never binding). Its days are separate: a
    template is a 0/1 pattern over one day, so a shift past midnight is cut there. Its later
    intervals are paid for but not credited, so the model may buy more shifts the next
    morning; wrapping them round would credit the same day's morning, the wrong one. No
    breaks, no agents (days off, weekly hours): shift counts only. The coverage reported is the
    shifts' real one over the repeating week (weekly_coverage), the cut hours included. The
    time includes building the model, which pyworkforce does in Python.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.staffing_workloads import (
        ErlangAWorkload,
        ErlangCWorkload,
        ScheduleWorkload,
        ShiftCount,
    )

PYWORKFORCE_VERSION = "0.5.1"
# The newest pyworkforce and its dependencies as pip resolved them (NumPy at Hotline's).
REQUIREMENTS = (
    f"pyworkforce=={PYWORKFORCE_VERSION}",
    "ortools==9.15.6755",
    "numpy==2.4.6",
    "pandas==3.1.1",
    "joblib==1.6.0",
    "cloudpickle==3.1.2",
    "absl-py==2.5.1",
    "immutabledict==4.3.1",
    "protobuf==6.33.6",
    "python-dateutil==4.0.0",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
)
REPEATS = 3
SLOW_S = 30.0
MAX_SEARCH_TIME_S = 240.0  # MinRequiredResources' default
SEARCH_WORKERS = 2  # its default, and this machine's cores


class PeerFailed(Exception):
    """pyworkforce could not be installed or did not run."""


# --- Hotline's side -----------------------------------------------------------------------------


def peer_venv() -> Path:
    """The peers' cached virtualenv (benchmarks.peer_venvs)."""
    # Imported here: this file also runs as a script inside that venv, without the package.
    from benchmarks.peer_venvs import cached_venv

    return cached_venv(f"pyworkforce-{PYWORKFORCE_VERSION}", REQUIREMENTS)


def measure_erlang_c(workload: ErlangCWorkload, *, repeats: int = REPEATS) -> dict[str, Any]:
    """(a) by pyworkforce: times ("loop", "multi") and agents[queue][interval]."""
    return _run_peer("erlang-c", workload, repeats=repeats)


def measure_erlang_a(workload: ErlangAWorkload, *, repeats: int = REPEATS) -> dict[str, Any]:
    """(b) by pyworkforce's Erlang C (it has no Erlang A): times and agents per interval."""
    return _run_peer("erlang-a", workload, repeats=repeats)


def measure_schedule(
    workload: ScheduleWorkload,
    *,
    repeats: int = REPEATS,
    max_search_time_s: float = MAX_SEARCH_TIME_S,
) -> dict[str, Any]:
    """(c) by pyworkforce's day-by-day MinRequiredResources: times, CP-SAT's status, objective
    and bound, the shifts, their cost, coverage over the week and whether it meets the
    requirement."""
    # Imported here: this file also runs as a script in the peer's virtualenv, without benchmarks.
    from benchmarks.staffing_workloads import schedule_cost, weekly_coverage

    figures = _run_peer("schedule", workload, repeats=repeats, max_search_time_s=max_search_time_s)
    coverage = weekly_coverage(figures["shifts"], workload)
    figures["cost"] = schedule_cost(figures["shifts"], workload)
    figures["coverage"] = coverage
    figures["covered"] = all(
        on_duty >= needed for on_duty, needed in zip(coverage, workload["requirement"], strict=True)
    )
    return figures


def _run_peer(
    kind: str,
    workload: ErlangCWorkload | ErlangAWorkload | ScheduleWorkload,
    *,
    repeats: int,
    max_search_time_s: float = MAX_SEARCH_TIME_S,
) -> dict[str, Any]:
    venv = peer_venv()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-staffing-") as work_dir:
        workload_json, figures_json = Path(work_dir) / "workload.json", Path(work_dir) / "out.json"
        workload_json.write_text(json.dumps(workload))
        command = [
            str(venv / "bin" / "python"), __file__, "peer", kind, str(workload_json),
            str(figures_json), "--repeats", str(repeats),
            "--max-search-time", str(max_search_time_s),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise PeerFailed(f"pyworkforce failed on {kind}:\n{done.stderr[-3000:]}")
        figures: dict[str, Any] = json.loads(figures_json.read_text())
    return figures


# --- the peer (run in its virtualenv) -----------------------------------------------------------


def timed(run: Callable[[], Any], repeats: int) -> tuple[dict[str, float], Any]:
    """The first, best and slowest run times, and the first run's result; both sides time
    with this."""
    started = time.perf_counter()
    result = run()
    samples = [time.perf_counter() - started]
    while len(samples) < repeats and samples[0] < SLOW_S:
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    times = {"first_s": samples[0], "best_s": min(samples), "max_s": max(samples)}
    return times | {"runs": len(samples)}, result


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("pyworkforce", "ortools", "numpy", "joblib")}


def erlang_c_agents(
    calls: Sequence[float], aht_s: Sequence[float], workload: dict[str, Any], repeats: int
) -> dict[str, Any]:
    """pyworkforce's Erlang C agents for each (calls, AHT) pair, timed by loop and by
    MultiErlangC; the two must agree."""
    from pyworkforce import ErlangC, MultiErlangC  # type: ignore[import-not-found]

    # pyworkforce counts in minutes.
    interval_min = workload["interval_s"] // 60
    answer_time_min = workload["answer_time_s"] / 60
    service_level = workload["service_level"]

    def loop() -> list[int]:
        return [
            ErlangC(
                transactions=volume, aht=handle_s / 60, asa=answer_time_min, interval=interval_min
            ).required_positions(service_level)["raw_positions"]
            for volume, handle_s in zip(calls, aht_s, strict=True)
        ]

    def multi() -> list[int]:
        grids = [
            {
                "transactions": [volume],
                "aht": [handle_s / 60],
                "asa": [answer_time_min],
                "interval": [interval_min],
            }
            for volume, handle_s in zip(calls, aht_s, strict=True)
        ]
        found = MultiErlangC(param_grid=grids).required_positions(
            {"service_level": [service_level]}
        )
        return [positions["raw_positions"] for positions in found]

    loop_times, agents = timed(loop, repeats)
    multi_times, multi_agents = timed(multi, repeats)
    if multi_agents != agents:
        raise PeerFailed("ErlangC and MultiErlangC disagree")
    return {"versions": _versions(), "loop": loop_times, "multi": multi_times, "agents": agents}


def peer_erlang_c(workload: dict[str, Any], repeats: int) -> dict[str, Any]:
    """(a): every queue's intervals in one run, agents split back per queue."""
    calls = [volume for queue in workload["calls"] for volume in queue]
    aht_s = [handle_s for queue in workload["aht_s"] for handle_s in queue]
    figures = erlang_c_agents(calls, aht_s, workload, repeats)
    intervals = len(workload["calls"][0])
    agents = figures["agents"]
    figures["agents"] = [agents[at : at + intervals] for at in range(0, len(agents), intervals)]
    return figures


def peer_erlang_a(workload: dict[str, Any], repeats: int) -> dict[str, Any]:
    """(b): Erlang C on the same intervals; patience_s is not read."""
    figures = erlang_c_agents(workload["calls"], workload["aht_s"], workload, repeats)
    figures["model"] = "Erlang C: pyworkforce has no abandonment"
    return figures


def peer_schedule(
    workload: dict[str, Any], repeats: int, max_search_time_s: float
) -> dict[str, Any]:
    """(c): MinRequiredResources over the days, templates cut at midnight."""
    from pyworkforce import MinRequiredResources

    per_day, days = workload["intervals_per_day"], workload["days"]
    requirement = workload["requirement"]
    templates = {f"T{index:02d}": template for index, template in enumerate(workload["templates"])}
    coverage = {
        name: [int(template["start"] <= slot < template["start"] + template["length"])
               for slot in range(per_day)]
        for name, template in templates.items()
    }  # fmt: skip
    costs = {name: template["cost"] for name, template in templates.items()}

    def solve() -> tuple[dict[str, Any], float]:
        model = MinRequiredResources(
            num_days=days,
            periods=per_day,
            shifts_coverage=coverage,
            required_resources=[
                requirement[day * per_day : (day + 1) * per_day] for day in range(days)
            ],
            max_period_concurrency=workload["agents"],
            max_shift_concurrency=workload["agents"],
            cost_dict=costs,
            max_search_time=float(max_search_time_s),
            num_search_workers=SEARCH_WORKERS,
        )
        return model.solve(), model.solver.BestObjectiveBound()

    times, (solution, bound) = timed(solve, repeats)
    template_of = {name: index for index, name in enumerate(templates)}
    shifts: list[ShiftCount] = [
        {"day": found["day"], "template": template_of[found["shift"]], "agents": found["resources"]}
        for found in solution["resources_shifts"]
        if found["resources"] > 0
    ]
    return {
        "versions": _versions(),
        "solve": times,
        "status": solution["status"],
        "objective": solution["cost"],
        "best_bound": bound,
        "max_search_time_s": max_search_time_s,
        "shifts": shifts,
    }


PEERS: dict[str, Callable[[argparse.Namespace, dict[str, Any]], dict[str, Any]]] = {
    "erlang-c": lambda args, workload: peer_erlang_c(workload, args.repeats),
    "erlang-a": lambda args, workload: peer_erlang_a(workload, args.repeats),
    "schedule": lambda args, workload: peer_schedule(workload, args.repeats, args.max_search_time),
}


# --- the command line ---------------------------------------------------------------------------


def _summary(
    erlang_c: dict[str, Any], erlang_a: dict[str, Any], schedule: dict[str, Any]
) -> dict[str, Any]:
    """The figures without the per-interval lists."""
    return {
        "versions": erlang_c["versions"],
        "erlang_c": {
            "loop": erlang_c["loop"],
            "multi": erlang_c["multi"],
            "agents_total": sum(map(sum, erlang_c["agents"])),
        },
        "erlang_a": {
            "model": erlang_a["model"],
            "loop": erlang_a["loop"],
            "multi": erlang_a["multi"],
            "agents_total": sum(erlang_a["agents"]),
        },
        "schedule": {
            key: schedule[key]
            for key in ("solve", "status", "objective", "best_bound", "cost", "covered")
        }
        | {"shifts_total": sum(shift["agents"] for shift in schedule["shifts"])},
    }


def _check(
    erlang_c: dict[str, Any],
    erlang_a: dict[str, Any],
    schedule: dict[str, Any],
    workloads: tuple[ErlangCWorkload, ErlangAWorkload, ScheduleWorkload],
) -> None:
    """That the peer answered every interval and its schedule covers the requirement."""
    erlang_c_workload, erlang_a_workload, _ = workloads
    if [len(queue) for queue in erlang_c["agents"]] != [
        len(queue) for queue in erlang_c_workload["calls"]
    ]:
        raise PeerFailed("(a): not one answer per queue and interval")
    if len(erlang_a["agents"]) != len(erlang_a_workload["calls"]):
        raise PeerFailed("(b): not one answer per interval")
    if not schedule["covered"] or schedule["cost"] != round(schedule["objective"]):
        raise PeerFailed("(c): the schedule misses the requirement or its cost")


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--max-search-time", type=float, default=MAX_SEARCH_TIME_S)
    if argv[:1] == ["peer"]:  # in the peer's virtualenv
        parser.add_argument("kind", choices=PEERS)
        parser.add_argument("workload", type=Path)
        parser.add_argument("out", type=Path)
        args = parser.parse_args(argv[1:])
        figures = PEERS[args.kind](args, json.loads(args.workload.read_text()))
        args.out.write_text(json.dumps(figures))
        return
    parser.add_argument(
        "--smoke", action="store_true", help="small workloads and a 10 s search, to try it out"
    )
    args = parser.parse_args(argv)

    from benchmarks import staffing_workloads

    if args.smoke:
        workloads = (
            staffing_workloads.erlang_c_workload(queues=3, intervals=96),
            staffing_workloads.erlang_a_workload(intervals=20),
            staffing_workloads.schedule_workload(agents=30, templates=12),
        )
        max_search_time_s = min(args.max_search_time, 10.0)
    else:
        workloads = (
            staffing_workloads.erlang_c_workload(),
            staffing_workloads.erlang_a_workload(),
            staffing_workloads.schedule_workload(),
        )
        max_search_time_s = args.max_search_time
    erlang_c = measure_erlang_c(workloads[0], repeats=args.repeats)
    erlang_a = measure_erlang_a(workloads[1], repeats=args.repeats)
    schedule = measure_schedule(
        workloads[2], repeats=args.repeats, max_search_time_s=max_search_time_s
    )
    _check(erlang_c, erlang_a, schedule, workloads)
    print(json.dumps(_summary(erlang_c, erlang_a, schedule), indent=2))


if __name__ == "__main__":
    main()
