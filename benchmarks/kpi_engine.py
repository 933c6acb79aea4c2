"""Ten million queue_log lines imported, then interval KPIs by queue beside pandas and DuckDB.

    python -m benchmarks.kpi_engine                    # 10,000,000 lines, a year of 500 seats
    python -m benchmarks.kpi_engine --lines 300000     # smoke: the seats scale with the lines
    python -m benchmarks.kpi_engine --lines 200000 --profile-import   # where the import's time goes

1. Writes a year (2025, on the center's clock) of Asterisk queue_log for a center of
   `seats` agents (500 at 10,000,000 lines; fewer in proportion for fewer lines), seeded
   and deterministic: 20 queues, agents `PJSIP/1xxxx` on fixed shifts with two days off,
   ADDMEMBER per queue at log-in, PAUSE/UNPAUSE for two breaks and a meal, REMOVEMEMBER at
   log-out; calls only while their agent is logged in, ready and free (DID, ENTERQUEUE,
   RINGNOANSWER noise, CONNECT, COMPLETECALLER/COMPLETEAGENT), abandons and queue timeouts,
   and blind transfers whose second leg enters another queue under the same call id.
2. Imports the file into a fresh, migrated PostgreSQL database with
   `import_telephony_files([path], "queue_log")` in a child process: wall time, lines/s,
   the child's peak RSS (its VmHWM) plus its own child's (the process reading the file,
   sampled each half second), their CPU, PostgreSQL's CPU over the same time.
3. Times interval30 × queue KPIs for March and for the whole year through
   `call_report(CallReportQuery(...))`, the API's path: with every registered KPI (from the
   calls, since repeat callers need them), with only the eight KPIs the peers compute (from
   the day summaries; the first run builds them from the calls), and in parts. The targets
   are judged on the eight, the figures every side computes.
4. Exports the stored calls once and has benchmarks.kpi_peers compute the same eight KPIs
   with a plain pandas script and a hand-written DuckDB query; checks their figures
   against Hotline's on a sample of rows.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from benchmarks.databases import drop_database, postgres_version, recreate_database
from benchmarks.kpi_peers import CORE_KPIS, measure_peers
from benchmarks.load import pids_named, process_cpu_s

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench_kpi"
LINES = 10_000_000
SEATS_AT_FULL_SIZE = 500
SEED = 2026
YEAR = 2025
MONTH = 3  # the month timed on its own
ZONE = "Asia/Shanghai"  # Hotline's TIME_ZONE: shifts are laid out on this clock
REPEATS = 3
SAMPLE_ROWS = 5000
# Targets of the issue.
IMPORT_LINES_PER_S = 200_000
IMPORT_PEAK_BYTES = 1024**3
OF_DUCKDB = 2.0  # Hotline within this many times DuckDB's time
OVER_PANDAS = 5.0  # and at least this many times faster than pandas


# --- the queue_log ------------------------------------------------------------------------------

QUEUES = [f"Q{n:02d}" for n in range(20)]
QUEUE_WEIGHTS = 1 / np.arange(1, len(QUEUES) + 1) ** 1.1
# Shift starts on the local clock (minutes) and how many agents take each.
SHIFT_STARTS = np.array([420, 480, 510, 540, 600, 720, 810, 900, 1320])
SHIFT_WEIGHTS = np.array([1, 3, 3, 3, 2, 2, 2, 1, 0.5])
SHIFT_S = 540 * 60  # nine hours with two 15-minute breaks and an hour's meal
# (minutes after log-in the pause begins: from, to; its length in seconds; reason)
PAUSES = [((120, 150), 900, "break"), ((240, 300), 3600, "meal"), ((390, 420), 900, "break")]
TALK_MEAN_S = 240.0
RING_NOISE = 0.3  # of answered calls, a RINGNOANSWER by another agent while they waited
ABANDONS, TIMEOUTS = 0.08, 0.01  # per answered call
TIMEOUT_S = 300
TRANSFERS = 0.04  # of answered calls, the second leg of a blind transfer
DIDS = ["4008100100", "4008100200", "02586551000"]
# Events of one second in the order Asterisk writes them: a call ends before the agent's
# next begins; log-in and unpause come before the calls they allow, pauses after.
RANK = {"end": 0, "in": 1, "DID": 2, "ENTERQUEUE": 3, "RINGNOANSWER": 4, "CONNECT": 5, "out": 6}


def _day_starts(days: int) -> np.ndarray:
    """Each local midnight of the year in epoch seconds (the zone's offset may change)."""
    zone, first = ZoneInfo(ZONE), datetime.date(YEAR, 1, 1)
    midnights = [
        datetime.datetime.combine(first + datetime.timedelta(days=d), datetime.time(), zone)
        for d in range(days)
    ]
    return np.array([int(midnight.timestamp()) for midnight in midnights])


class _Shifts:
    """Every agent-day of the year: log-in and log-out, the pauses and the segments between
    them in which the agent is ready for calls."""

    def __init__(self, rng: np.random.Generator, seats: int, days: int) -> None:
        self.seats = seats
        self.skill_count = rng.integers(1, 5, seats)
        self.skills = np.zeros((seats, 4), dtype=np.int64)
        self.skill_cumulative = np.ones((seats, 4))
        for agent, count in enumerate(self.skill_count):
            chosen = rng.choice(
                len(QUEUES), count, replace=False, p=QUEUE_WEIGHTS / QUEUE_WEIGHTS.sum()
            )
            self.skills[agent, :count] = chosen
            weights = QUEUE_WEIGHTS[chosen] / QUEUE_WEIGHTS[chosen].sum()
            self.skill_cumulative[agent, :count] = np.cumsum(weights)
        start_minute = rng.choice(SHIFT_STARTS, seats, p=SHIFT_WEIGHTS / SHIFT_WEIGHTS.sum())
        day_starts = _day_starts(days)
        weekday = (np.arange(days) + datetime.date(YEAR, 1, 1).weekday()) % 7
        agent, day = np.meshgrid(np.arange(seats), np.arange(days), indexing="ij")
        works = (weekday[day] != agent % 7) & (weekday[day] != (agent + 1) % 7)
        self.agent, day = agent[works], day[works]
        count = len(self.agent)
        self.login = (
            day_starts[day] + start_minute[self.agent] * 60 + rng.integers(-300, 300, count)
        )
        self.logout = self.login + SHIFT_S + rng.integers(0, 600, count)
        self.pause_at = np.column_stack(
            [self.login + rng.integers(lo * 60, hi * 60, count) for (lo, hi), _s, _r in PAUSES]
        )
        self.pause_end = self.pause_at + np.array([length for _w, length, _r in PAUSES])
        starts = np.column_stack([self.login, self.pause_end])
        ends = np.column_stack([self.pause_at, self.logout])
        self.segment_agent = np.repeat(self.agent, starts.shape[1])
        self.segment_start, self.segment_end = starts.ravel(), ends.ravel()

    def agent_lines(self) -> int:
        per_day = self.skill_count[self.agent]  # ADDMEMBER and REMOVEMEMBER per queue,
        return int((per_day * (2 + 2 * len(PAUSES))).sum())  # a PAUSE and UNPAUSE per queue

    def queue_of(self, rng: np.random.Generator, agents: np.ndarray) -> np.ndarray:
        """A queue for each call of `agents`, among the agent's skills by the queues' weights."""
        which = (rng.random(len(agents))[:, None] > self.skill_cumulative[agents]).sum(axis=1)
        return self.skills[agents, np.minimum(which, self.skill_count[agents] - 1)]


def _answered(rng: np.random.Generator, shifts: _Shifts, cycle_s: float):
    """Calls each agent takes one after another within their ready segments: (agent,
    connect time, talk seconds), ordered by segment."""
    lengths = shifts.segment_end - shifts.segment_start
    expected = lengths / cycle_s
    candidates = np.ceil(expected + 4 * np.sqrt(expected) + 4).astype(np.int64)
    segment = np.repeat(np.arange(len(lengths)), candidates)
    total = len(segment)
    talk = rng.lognormal(np.log(TALK_MEAN_S) - 0.18, 0.6, total).round()
    talk = np.clip(talk, 5, 3600).astype(np.int64)
    wrap = rng.integers(3, 30, total)
    idle = rng.exponential(max(cycle_s - TALK_MEAN_S - 16, 5.0), total).astype(np.int64) + 1
    step = idle + talk + wrap
    running = np.cumsum(step)
    first = np.concatenate([[0], np.cumsum(candidates)[:-1]])
    before = np.repeat(running[first] - step[first], candidates)
    connect = shifts.segment_start[segment] + running - before - talk - wrap
    keep = connect + talk <= shifts.segment_end[segment]
    return shifts.segment_agent[segment[keep]], connect[keep], talk[keep]


def _calls(rng: np.random.Generator, shifts: _Shifts, lines: int) -> dict[str, np.ndarray]:
    """Every queue visit as columns. The idle time between an agent's calls is set so that
    the file comes to about `lines` lines."""
    per_answered = 4 + RING_NOISE - TRANSFERS + (ABANDONS + TIMEOUTS) * 3
    wanted = max(lines - shifts.agent_lines(), 0) / per_answered
    ready_s = float((shifts.segment_end - shifts.segment_start).sum())
    cycle = ready_s / max(wanted, 1.0)
    agent, connect, talk = _answered(rng, shifts, cycle)
    # Calls cut at the end of a segment make fewer than the cycle promises: once more.
    agent, connect, talk = _answered(rng, shifts, cycle * len(agent) / max(wanted, 1.0))
    count = len(agent)
    queue = shifts.queue_of(rng, agent)
    wait = rng.integers(2, 10, count) + np.where(
        rng.random(count) < 0.3, rng.exponential(40, count).astype(np.int64), 0
    )
    wait = np.minimum(wait, TIMEOUT_S - 10)
    enter = connect - wait
    end = connect + talk
    # Second legs of blind transfers: the call that ended just before, in another queue.
    by_end = np.argsort(end, kind="stable")
    chosen = np.flatnonzero(rng.random(count) < TRANSFERS)
    before = np.searchsorted(end[by_end], enter[chosen], side="right") - 1
    first_leg = by_end[np.maximum(before, 0)]
    fits = (
        (before >= 0)
        & (enter[chosen] - end[first_leg] <= 30)
        & (queue[first_leg] != queue[chosen])
        & (agent[first_leg] != agent[chosen])
    )
    chosen, first_leg = chosen[fits], first_leg[fits]
    first_leg, unique = np.unique(first_leg, return_index=True)
    chosen = chosen[unique]
    keep = ~np.isin(first_leg, chosen)  # a first leg is not itself a second leg
    chosen, first_leg = chosen[keep], first_leg[keep]
    enter[chosen] = end[first_leg]
    wait[chosen] = connect[chosen] - enter[chosen]
    leg_of = np.full(count, -1)
    leg_of[chosen] = first_leg
    transferred = np.zeros(count, dtype=bool)
    transferred[first_leg] = True
    # Calls no agent took, at the times and in the queues of answered ones.
    unanswered = round(count * (ABANDONS + TIMEOUTS))
    like = rng.integers(0, count, unanswered)
    timeout = rng.random(unanswered) < TIMEOUTS / (ABANDONS + TIMEOUTS)
    lost_wait = np.where(
        timeout, TIMEOUT_S, np.minimum(rng.exponential(45, unanswered).astype(np.int64) + 1, 299)
    )
    calls = {
        "enter": np.concatenate([enter, enter[like] + rng.integers(-900, 900, unanswered)]),
        "queue": np.concatenate([queue, queue[like]]),
        "agent": np.concatenate([agent, np.full(unanswered, -1)]),
        "wait": np.concatenate([wait, lost_wait]),
        "talk": np.concatenate([talk, np.zeros(unanswered, dtype=np.int64)]),
        # 0 completed by the caller, 1 by the agent, 2 blind transfer, 3 abandon, 4 timeout
        "end_kind": np.concatenate(
            [np.where(transferred, 2, rng.integers(0, 2, count)), np.where(timeout, 4, 3)]
        ),
        "leg_of": np.concatenate([leg_of, np.full(unanswered, -1)]),
    }
    # Call ids as Asterisk's uniqueids, in the order the calls came; callers from a pool
    # in which some numbers call often.
    total = len(calls["enter"])
    serial = np.empty(total, dtype=np.int64)
    serial[np.argsort(calls["enter"], kind="stable")] = np.arange(total)
    calls["id_time"], calls["id_serial"] = calls["enter"].copy(), serial
    pool = max(int(total * 0.6), 1)
    numbers = rng.choice(np.arange(13_000_000_000, 19_999_999_999, 7_919), pool)
    calls["caller"] = numbers[(pool * rng.random(total) ** 1.5).astype(np.int64)]
    second = np.flatnonzero(calls["leg_of"] >= 0)
    for column in ("id_time", "id_serial", "caller"):
        calls[column][second] = calls[column][calls["leg_of"][second]]
    return calls


def _format_calls(rng: np.random.Generator, calls: dict, seats: int):
    """The call lines and their sort keys (second × 8 + rank)."""
    total = len(calls["enter"])
    ids = [
        f"{t}.{s}"
        for t, s in zip(calls["id_time"].tolist(), calls["id_serial"].tolist(), strict=True)
    ]
    queue = [QUEUES[q] for q in calls["queue"].tolist()]
    agent = [f"PJSIP/{10000 + a}" for a in calls["agent"].tolist()]
    enter, wait, talk = (calls[c].tolist() for c in ("enter", "wait", "talk"))
    caller, queue_code = calls["caller"].tolist(), calls["queue"].tolist()
    position = rng.integers(1, 6, total).tolist()
    lines: list[str] = []
    keys: list[np.ndarray] = []

    def add(rank: str, times: np.ndarray, made: list[str]) -> None:
        keys.append(times * 8 + RANK[rank])
        lines.extend(made)

    first = np.flatnonzero(calls["leg_of"] < 0).tolist()
    did = [f"{enter[i]}|{ids[i]}|{queue[i]}|NONE|DID|{DIDS[queue_code[i] % 3]}" for i in first]
    add("DID", calls["enter"][first], did)
    entered = [
        f"{enter[i]}|{ids[i]}|{queue[i]}|NONE|ENTERQUEUE||{caller[i]}|{position[i]}"
        for i in range(total)
    ]
    add("ENTERQUEUE", calls["enter"], entered)
    answered = np.flatnonzero(calls["end_kind"] < 3)
    rung = answered[(rng.random(len(answered)) < RING_NOISE) & (calls["wait"][answered] >= 2)]
    ring_at = calls["enter"][rung] + (rng.random(len(rung)) * calls["wait"][rung]).astype(int)
    other = (calls["agent"][rung] + rng.integers(1, max(seats, 2), len(rung))) % seats
    ring = zip(ring_at.tolist(), rung.tolist(), other.tolist(), strict=True)
    add(
        "RINGNOANSWER",
        ring_at,
        [f"{t}|{ids[i]}|{queue[i]}|PJSIP/{10000 + o}|RINGNOANSWER|15000" for t, i, o in ring],
    )
    connect = calls["enter"] + calls["wait"]
    at = connect.tolist()
    add(
        "CONNECT",
        connect[answered],
        [
            f"{at[i]}|{ids[i]}|{queue[i]}|{agent[i]}|CONNECT|{wait[i]}|{at[i]}.{i + 7}|"
            f"{min(wait[i], 9)}"
            for i in answered.tolist()
        ],
    )
    end = (connect + calls["talk"]).tolist()
    kinds = calls["end_kind"].tolist()
    made = []
    for i in range(total):
        kind, line = kinds[i], f"{end[i]}|{ids[i]}|{queue[i]}"
        if kind < 2:
            event = "COMPLETEAGENT" if kind else "COMPLETECALLER"
            line += f"|{agent[i]}|{event}|{wait[i]}|{talk[i]}|{position[i]}"
        elif kind == 2:
            line += f"|{agent[i]}|BLINDTRANSFER|8000|from-queue|{wait[i]}|{talk[i]}|{position[i]}"
        else:
            event = "ABANDON" if kind == 3 else "EXITWITHTIMEOUT"
            line += f"|NONE|{event}|{position[i]}|{position[i]}|{wait[i]}"
        made.append(line)
    add("end", connect + calls["talk"], made)
    return lines, keys


def _format_agents(shifts: _Shifts):
    lines: list[str] = []
    keys: list[np.ndarray] = []
    names = [f"PJSIP/{10000 + a}" for a in range(shifts.seats)]
    for slot in range(4):
        has = shifts.skill_count[shifts.agent] > slot
        agent = shifts.agent[has].tolist()
        queue = [QUEUES[q] for q in shifts.skills[shifts.agent[has], slot].tolist()]
        events = [("in", shifts.login[has], "MANAGER", "ADDMEMBER", [""] * len(agent))]
        for n, (_window, _length, reason) in enumerate(PAUSES):
            events.append(("out", shifts.pause_at[has, n], "NONE", "PAUSE", [reason] * len(agent)))
            events.append(("in", shifts.pause_end[has, n], "NONE", "UNPAUSE", [""] * len(agent)))
        events.append(("out", shifts.logout[has], "MANAGER", "REMOVEMEMBER", [""] * len(agent)))
        for rank, times, call_id, event, data in events:
            keys.append(times * 8 + RANK[rank])
            lines.extend(
                f"{t}|{call_id}|{q}|{names[a]}|{event}|{d}"
                for t, q, a, d in zip(times.tolist(), queue, agent, data, strict=True)
            )
    return lines, keys


def generate_queue_log(path: Path, lines: int, seats: int, seed: int = SEED) -> dict:
    """Write about `lines` lines of a year's queue_log for `seats` agents, in time order."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    shifts = _Shifts(rng, seats, days=365)
    calls = _calls(rng, shifts, lines)
    call_lines, call_keys = _format_calls(rng, calls, seats)
    agent_lines, agent_keys = _format_agents(shifts)
    text = call_lines + agent_lines
    del call_lines, agent_lines
    order = np.argsort(np.concatenate(call_keys + agent_keys), kind="stable")
    with path.open("w", encoding="utf-8", newline="\n") as file:
        for start in range(0, len(order), 500_000):
            file.write("\n".join([text[i] for i in order[start : start + 500_000].tolist()]))
            file.write("\n")
    kinds = calls["end_kind"]
    return {
        "lines": len(text),
        "seats": seats,
        "agent_days": len(shifts.agent),
        "queue_visits": len(kinds),
        "calls": int((calls["leg_of"] < 0).sum()),
        "answered": int((kinds < 3).sum()),
        "abandoned": int((kinds == 3).sum()),
        "timeouts": int((kinds == 4).sum()),
        "transfers": int((kinds == 2).sum()),
        "file_bytes": path.stat().st_size,
        "generate_s": time.perf_counter() - started,
    }


# --- the import ---------------------------------------------------------------------------------


def set_up_database(url: str, seats: int) -> None:
    """A fresh, migrated database with the agents as users (agent ID 1xxxx, 25 to a team)."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from hotline.accounts.models import Department, Team, User

    recreate_database(url)
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = url.rsplit("/", 1)[1]
    call_command("migrate", verbosity=0)
    department = Department.objects.create(name="一线")
    teams = [
        Team.objects.create(name=f"话务{n + 1}班", department=department)
        for n in range(-(-seats // 25))
    ]
    User.objects.bulk_create(
        User(
            username=f"a{10000 + n}",
            agent_id=str(10000 + n),
            password=make_password(None),
            team=teams[n // 25],
        )
        for n in range(seats)
    )


def import_child(path: str, result: str, profile: str = "") -> None:
    """In the child process: import the file and write the figures to `result` (with
    `profile`, under cProfile and with the file read in this process, its stats written
    there)."""
    import cProfile

    import django

    django.setup()
    from hotline.contacts import read_ahead, telephony_import
    from hotline.contacts.telephony_import import import_telephony_files

    profiler = cProfile.Profile() if profile else None
    if profiler:
        # One process for cProfile to see: the file is read in place, not by a child.
        telephony_import.read_ahead = read_ahead.read_batches
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    (run,) = import_telephony_files([Path(path)], "queue_log")
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    # The peak of this process's own memory since exec. (wait4's ru_maxrss would not do: Linux
    # carries the parent's peak over into a child across fork and exec.)
    peak_kib = _peak_kib(os.getpid())
    figures = {
        "importer_peak_rss_bytes": peak_kib * 1024,
        "import_s": time.perf_counter() - started,
        "import_cpu_s": time.process_time() - cpu,
        "lines_read": run.lines_read,
        "calls": run.calls,
        "state_intervals": run.state_intervals,
        "bad_lines": run.bad_lines,
        "unknown_events": run.unknown_events,
    }
    Path(result).write_text(json.dumps(figures))


class _PostgresCpu:
    """PostgreSQL's CPU time while a block runs, sampled from /proc each half second: this
    database's backends (which exit with their client, so are read while they live) and the
    server's own processes (WAL writer, checkpointer …), not other databases' backends."""

    def __init__(self, database: str) -> None:
        self._database = database
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._started = False

    def sample(self) -> None:
        for pid in pids_named("postgres"):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            except OSError:
                continue
            client = "(" in command or "[local]" in command
            if client and self._database not in command:
                continue
            seconds = process_cpu_s([pid])
            # A process born after the first sample counts from 0.
            self._first.setdefault(pid, 0.0 if self._started else seconds)
            self._last[pid] = seconds
        self._started = True

    def seconds(self) -> float:
        return sum(self._last[pid] - self._first[pid] for pid in self._last)


def _children(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in children.split()]


def _peak_kib(pid: int) -> int:
    """A live process's peak RSS so far (VmHWM), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    peaks = (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return next(peaks, 0)


def measure_import(path: Path, url: str, data_dir: Path, profile: Path | None = None) -> dict:
    """Import the file in a child process: its figures, wall time, peak RSS and CPU."""
    env = {**os.environ, "DATABASE_URL": url}
    result = data_dir / "import.json"
    code = "import sys; from benchmarks.kpi_engine import import_child; import_child(*sys.argv[1:])"
    postgres = _PostgresCpu(url.rsplit("/", 1)[1])
    postgres.sample()
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(result), str(profile or "")], env=env
    )
    readers_peak_kib: dict[int, int] = {}
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        postgres.sample()
        if pid:
            break
        for reader in _children(child.pid):
            readers_peak_kib[reader] = _peak_kib(reader) or readers_peak_kib.get(reader, 0)
        time.sleep(0.5)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise RuntimeError(f"the import failed ({child.returncode})")
    figures = json.loads(result.read_text())
    readers_bytes = sum(readers_peak_kib.values()) * 1024
    figures.update(
        readers_peak_rss_bytes=readers_bytes,
        peak_rss_bytes=figures["importer_peak_rss_bytes"] + readers_bytes,
        child_wall_s=wall,
        lines_per_s=figures["lines_read"] / figures["import_s"],
        child_cpu_s=usage.ru_utime + usage.ru_stime,
        postgres_cpu_s=postgres.seconds(),
    )
    return figures


def stored(url: str) -> dict:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")

        def one(sql: str):
            return connection.execute(sql).fetchone()[0]

        return {
            "contacts": one("SELECT count(*) FROM contacts_contact"),
            "agent_state_intervals": one("SELECT count(*) FROM contacts_agentstateinterval"),
            "database_size": one("SELECT pg_size_pretty(pg_database_size(current_database()))"),
        }


def profile_summary(stats_path: Path) -> dict[str, float]:
    """The import's time under cProfile by part: parsing lines, assembling calls and states,
    writing batches (psycopg's own time: adapting values, COPY, waiting for PostgreSQL; and
    the rest: rows made in Python), and the rest (reading the file, batching)."""
    import pstats

    stats = pstats.Stats(str(stats_path)).stats

    def cumulative(file_end: str, name: str) -> float:
        return sum(
            entry[3]
            for (file, _line, function), entry in stats.items()
            if file.endswith(file_end) and function == name
        )

    total = cumulative("telephony_import.py", "import_telephony_files")
    parse = cumulative("queue_log.py", "parse_line")
    assemble = cumulative("queue_log.py", "_feed")
    write = cumulative("telephony_import.py", "_write")
    psycopg = sum(entry[2] for (file, _l, _f), entry in stats.items() if "/psycopg" in file)
    return {
        "total_s": total,
        "parse_line_s": parse,
        "assemble_s": assemble,
        "write_s": write,
        "write_psycopg_s": psycopg,
        "write_python_s": write - psycopg,
        "rest_s": total - parse - assemble - write,
    }


# --- the KPIs -----------------------------------------------------------------------------------


def _timed(run: Callable[[], object], repeats: int) -> tuple[dict[str, float], object]:
    samples, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        samples.append(time.perf_counter() - started)
    return {"first_s": samples[0], "best_s": min(samples)}, result


def measure_hotline(start: datetime.date, end: datetime.date, repeats: int) -> tuple[dict, list]:
    """call_report by interval30 and queue, with every KPI and with the peers' eight; then
    its parts: loading each table (as call_reports loads them) and computing. Also returns
    the rows of the eight KPIs, for the check."""
    from django.conf import settings

    from hotline.contacts.models import CallDaySummary
    from hotline.core.contact_kpis import compute
    from hotline.core.contact_tables import Grouping, KpiExtras, StaffCost
    from hotline.core.kpi_periods import Period
    from hotline.reports import tables
    from hotline.reports.call_reports import CallReportQuery, call_report, kpi_settings

    query = CallReportQuery(start, end, Period.INTERVAL30, Grouping.QUEUE)
    every, rows = _timed(lambda: call_report(query), repeats)
    # The eight KPIs come out of the days' summaries: the first run builds them.
    CallDaySummary.objects.all().delete()
    core, core_rows = _timed(lambda: call_report(replace(query, kpis=CORE_KPIS)), repeats)
    chosen = kpi_settings()
    first, after = query.local_range()
    # Calls for a day after the range too: they decide first-contact resolution.
    window = datetime.timedelta(seconds=chosen.fcr_window_s)
    started = time.perf_counter()
    calls = tables.call_table(first, after + window)
    calls_loaded = time.perf_counter()
    states = tables.state_table(first, after)
    states_loaded = time.perf_counter()
    extras = KpiExtras(
        orders=tables.order_table(first, after),
        outages=tables.outages(first, after),
        staff_cost=StaffCost(per_hour=settings.HOTLINE_STAFF_COST_PER_HOUR),
    )
    loads = {
        "load_calls_s": calls_loaded - started,
        "load_states_s": states_loaded - calls_loaded,
        "load_orders_outages_s": time.perf_counter() - states_loaded,
    }

    def computed(kpis):
        return compute(
            calls,
            states,
            extras,
            by=query.by,
            group=query.group,
            kpis=kpis,
            settings=chosen,
            counted_until=int(after.timestamp()),
        )

    compute_every, _ = _timed(lambda: computed(None), repeats)
    compute_core, _ = _timed(lambda: computed(CORE_KPIS), repeats)
    assert isinstance(rows, Sequence) and isinstance(core_rows, Sequence)
    return {
        "all_kpis": every,
        "core_kpis": core,
        **loads,
        "compute_all": compute_every,
        "compute_core": compute_core,
        "rows": len(rows),
        "calls_counted": sum(row.values["offered"] for row in core_rows),
        "columns": len(rows[0].values) if rows else 0,
        "calls_loaded": len(calls.entered_at),
        "states_loaded": len(states.started_at),
        "range": [int(first.timestamp()), int(after.timestamp())],
    }, core_rows


def export_calls(url: str, path: Path) -> dict:
    """The stored calls as CSV, by COPY, for the peers: the same rows Hotline reads."""
    import psycopg

    sql = (
        "COPY (SELECT CAST(EXTRACT(EPOCH FROM entered_queue_at) AS BIGINT) AS entered_at, "
        "queue, outcome, wait_s, talk_s, hold_s, after_call_work_s, agent_name AS agent, "
        "caller_number AS caller FROM contacts_contact WHERE outcome <> '' "
        "ORDER BY entered_queue_at) TO STDOUT WITH (FORMAT csv, HEADER)"
    )
    started = time.perf_counter()
    with psycopg.connect(url) as connection, path.open("wb") as file:
        with connection.cursor().copy(sql) as copy:
            for data in copy:
                file.write(data)
    return {"export_s": time.perf_counter() - started, "csv_bytes": path.stat().st_size}


def check(rows: list, peer_csv: str, sample: int) -> dict:
    """Hotline's rows against a peer's: the same (period, queue) keys, and the eight figures
    equal (to 1e-9) on a random sample of rows."""
    import csv
    import math
    import random

    with open(peer_csv, newline="") as file:
        peer = {(record["period"], record["queue"]): record for record in csv.DictReader(file)}
    ours = {(row.period, row.group_key): row for row in rows}
    shared = sorted(ours.keys() & peer.keys())
    chosen = random.Random(SEED).sample(shared, min(sample, len(shared)))
    mismatched, examples = 0, []
    for key in chosen:
        values = ours[key].values
        for name in CORE_KPIS:
            text = peer[key][name]
            theirs = None if text.lower() in ("", "nan", "null") else float(text)
            mine = values[name]
            same = (mine is None and theirs is None) or (
                mine is not None
                and theirs is not None
                and math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-9)
            )
            if not same:
                mismatched += 1
                if len(examples) < 5:
                    examples.append(f"{key} {name}: Hotline {mine}, peer {theirs}")
    return {
        "rows_hotline": len(ours),
        "rows_peer": len(peer),
        "rows_on_one_side_only": len(ours.keys() ^ peer.keys()),
        "rows_sampled": len(chosen),
        "values_mismatched": mismatched,
        "examples": examples,
    }


# --- the report ---------------------------------------------------------------------------------


def _s(timing: dict) -> str:
    return f"{timing['best_s']:.3f} ({timing['first_s']:.3f})"


def report(figures: dict) -> tuple[list[str], bool]:
    """The figures as Markdown, and whether every target judged was met."""
    made, run = figures["generated"], figures["import"]
    lines = [
        f"{figures['date']}, {figures['cpus']} CPUs, PostgreSQL {figures['postgres']}, "
        f"load average {figures['load_average_before']:.1f} at the start, "
        f"{figures['load_average_after']:.1f} at the end",
        "",
        f"Generated {made['lines']:,} lines ({made['file_bytes'] / 1e6:,.0f} MB) in "
        f"{made['generate_s']:.1f} s: {made['seats']} seats, {made['agent_days']:,} agent-days, "
        f"{made['calls']:,} calls in {made['queue_visits']:,} queue visits ({made['answered']:,} "
        f"answered, {made['abandoned']:,} abandoned, {made['timeouts']:,} timed out, "
        f"{made['transfers']:,} transferred to another queue).",
        "",
        f"Import: {run['lines_read']:,} lines in {run['import_s']:.1f} s, "
        f"**{run['lines_per_s']:,.0f} lines/s**; peak RSS **{run['peak_rss_bytes'] / 2**20:,.0f} "
        f"MiB** (the importer {run['importer_peak_rss_bytes'] / 2**20:,.0f} MiB, the file's reader "
        f"{run['readers_peak_rss_bytes'] / 2**20:,.0f} MiB); "
        f"CPU: importer and reader {run['child_cpu_s']:.0f} s, "
        f"PostgreSQL {run['postgres_cpu_s']:.0f} s. Stored: {run['calls']:,} calls "
        f"({figures['stored']['contacts']:,} rows in contacts_contact), "
        f"{figures['stored']['agent_state_intervals']:,} agent state intervals; "
        f"{run['bad_lines']} bad lines, {run['unknown_events']} unknown events; database "
        f"{figures['stored']['database_size']}.",
    ]
    met = True
    verdicts = []
    for ok, text in (
        (run["lines_per_s"] >= IMPORT_LINES_PER_S, f"import ≥ {IMPORT_LINES_PER_S:,} lines/s"),
        (run["peak_rss_bytes"] < IMPORT_PEAK_BYTES, "import peak memory < 1 GiB"),
    ):
        verdicts.append((text, ok))
    hotline, peers = figures["hotline"], figures.get("peers")
    lines += [
        "",
        f"Seconds, best of {figures['repeats']} (the first run in brackets), interval30 × queue:",
        "",
        "| range | calls | rows | Hotline call_report, all KPIs | Hotline, the 8 KPIs "
        "| pandas from Parquet | DuckDB from Parquet | pandas in memory | DuckDB in memory |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, ours in hotline.items():
        cells = ["—"] * 4
        if peers:
            cells = [
                _s(peers[side][name][where])
                for where in ("file", "memory")
                for side in ("pandas", "duckdb")
            ]
        lines.append(
            f"| {name} | {ours['calls_counted']:,} | {ours['rows']:,} | {_s(ours['all_kpis'])} "
            f"| {_s(ours['core_kpis'])} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "Hotline's times include reading from PostgreSQL the tables the KPIs need (by "
        "queue, not the agent states) "
        "and, with all KPIs, computing every registered one. 'From Parquet' includes "
        "reading the exported file (pandas: 7 columns of the whole file; DuckDB: what the "
        "query needs); 'in memory' starts from a loaded DataFrame or DuckDB table. The "
        "export itself is not counted.",
        "",
        f"Hotline's parts (seconds; compute: best of {figures['repeats']}):",
        "",
        "| range | load calls | load agent states | load orders, outages | compute, all "
        f"{next(iter(hotline.values()))['columns']} columns | compute, the 8 KPIs |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, ours in hotline.items():
        lines.append(
            f"| {name} | {ours['load_calls_s']:.3f} ({ours['calls_loaded']:,} calls) "
            f"| {ours['load_states_s']:.3f} ({ours['states_loaded']:,}) "
            f"| {ours['load_orders_outages_s']:.3f} | {ours['compute_all']['best_s']:.3f} "
            f"| {ours['compute_core']['best_s']:.3f} |"
        )
    if peers:
        lines += [
            "",
            "| range | Hotline ÷ DuckDB: all KPIs | 8 KPIs | compute only (8 KPIs ÷ in memory) "
            "| pandas ÷ Hotline: all KPIs | 8 KPIs | compute only |",
            "|---|--:|--:|--:|--:|--:|--:|",
        ]
        for name, ours in hotline.items():
            duck, panda = peers["duckdb"][name], peers["pandas"][name]
            every, core = ours["all_kpis"]["best_s"], ours["core_kpis"]["best_s"]
            compute_core = ours["compute_core"]["best_s"]
            # Judged on the KPIs the peers compute too: the same eight figures each side.
            of_duckdb = core / duck["file"]["best_s"]
            over_pandas = panda["file"]["best_s"] / core
            lines.append(
                f"| {name} | {every / duck['file']['best_s']:.1f}× | {of_duckdb:.1f}× "
                f"| {compute_core / duck['memory']['best_s']:.1f}× "
                f"| {panda['file']['best_s'] / every:.2f}× | {over_pandas:.2f}× "
                f"| {panda['memory']['best_s'] / compute_core:.2f}× |"
            )
            verdicts.append(
                (f"{name}: Hotline within {OF_DUCKDB:g}× DuckDB", of_duckdb <= OF_DUCKDB)
            )
            verdicts.append(
                (
                    f"{name}: Hotline ≥ {OVER_PANDAS:g}× faster than pandas",
                    over_pandas >= OVER_PANDAS,
                )
            )
        lines += [
            "",
            f"Peers: pandas {peers['versions']['pandas']}, DuckDB {peers['versions']['duckdb']} "
            f"({peers['duckdb_threads']} threads); the calls exported by COPY in "
            f"{figures['export']['export_s']:.1f} s ({figures['export']['csv_bytes'] / 1e6:,.0f} "
            f"MB of CSV), to Parquet in {peers['to_parquet_s']:.1f} s "
            f"({peers['parquet_bytes'] / 1e6:,.0f} MB).",
        ]
        for name, sides in figures["check"].items():
            for side, result in sides.items():
                lines.append(
                    f"- check, {name}, {side}: {result['rows_hotline']:,} rows in Hotline, "
                    f"{result['rows_peer']:,} in the peer, {result['rows_on_one_side_only']} on "
                    f"one side only; {result['values_mismatched']} of "
                    f"{result['rows_sampled'] * len(CORE_KPIS):,} sampled values differ"
                    + (f" (e.g. {result['examples'][0]})" if result["examples"] else "")
                )
    lines += ["", "| target | verdict |", "|---|---|"]
    for text, ok in verdicts:
        met = met and ok
        lines.append(f"| {text} | {'met' if ok else '**NOT met**'} |")
    return lines, met


# --- the run ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--seats", type=int, help=f"default: {SEATS_AT_FULL_SIZE} per 10M lines")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--sample", type=int, default=SAMPLE_ROWS, help="rows checked per peer")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--profile-import",
        action="store_true",
        help="import under cProfile and say where the time went; no KPIs",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for a closer look"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    seats = args.seats or max(round(SEATS_AT_FULL_SIZE * args.lines / LINES), 5)
    url = args.database_url

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="hotline-bench-kpi-") as scratch:
        work_dir = Path(scratch)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="hotline.settings",
            DEBUG="false",
            DATABASE_URL=url,
            HOTLINE_DATA_DIR=scratch,
        )
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        from hotline.reports.call_reports import CallReportQuery, kpi_settings

        figures: dict = {
            "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
            "cpus": os.cpu_count(),
            "load_average_before": os.getloadavg()[0],
            "repeats": args.repeats,
        }
        log = work_dir / "queue_log"
        say(f"generating about {args.lines:,} lines for {seats} seats")
        figures["generated"] = generate_queue_log(log, args.lines, seats)
        try:
            set_up_database(url, seats)
            connections.close_all()
            figures["postgres"] = postgres_version(url)
            say(f"importing {figures['generated']['lines']:,} lines")
            profile = work_dir / "import.prof" if args.profile_import else None
            figures["import"] = measure_import(log, url, work_dir, profile)
            say(f"imported: {figures['import']['lines_per_s']:,.0f} lines/s")
            if profile:
                summary = profile_summary(profile)
                print(json.dumps({"import": figures["import"], "profile": summary}, indent=2))
                import pstats

                pstats.Stats(str(profile)).sort_stats("tottime").print_stats(25)
                return
            log.unlink()
            figures["stored"] = stored(url)
            ranges = {
                f"{YEAR}-{MONTH:02d}": (
                    datetime.date(YEAR, MONTH, 1),
                    datetime.date(YEAR, MONTH + 1, 1) - datetime.timedelta(days=1),
                ),
                f"{YEAR}": (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)),
            }
            figures["hotline"], rows = {}, {}
            for name, (start, end) in ranges.items():
                say(f"Hotline's KPIs for {name}")
                figures["hotline"][name], rows[name] = measure_hotline(start, end, args.repeats)
            if not args.no_peers:
                csv = work_dir / "calls.csv"
                figures["export"] = export_calls(url, csv)
                zone = ZoneInfo(settings.TIME_ZONE)
                epochs = {}
                for name, (start, end) in ranges.items():
                    first, after = CallReportQuery(start, end, "interval30", "queue").local_range()
                    offsets = {
                        first.utcoffset(),
                        (after - datetime.timedelta(seconds=1)).utcoffset(),
                    }
                    if len(offsets) > 1:
                        raise RuntimeError(f"{settings.TIME_ZONE} changes offset in {name}")
                    epochs[name] = (int(first.timestamp()), int(after.timestamp()))
                say("pandas and DuckDB")
                figures["peers"] = measure_peers(
                    csv,
                    epochs,
                    zone=settings.TIME_ZONE,
                    utc_offset_s=int(zone.utcoffset(first).total_seconds()),
                    service_level_s=kpi_settings().service_level_s,
                    repeats=args.repeats,
                    work_dir=work_dir,
                )
                figures["check"] = {
                    name: {
                        side: check(
                            rows[name], figures["peers"]["results"][name][side], args.sample
                        )
                        for side in ("pandas", "duckdb")
                    }
                    for name in ranges
                }
        finally:
            connections.close_all()
            if args.keep_database:
                say(f"the database is kept: {url}")
            else:
                drop_database(url)
        figures["load_average_after"] = os.getloadavg()[0]
        lines, met = report(figures)
        print("\n".join(lines))
        print(f"\nTargets: {'all met' if met else 'NOT all met'}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
