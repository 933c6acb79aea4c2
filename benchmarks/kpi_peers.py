"""The same interval KPIs by a plain pandas script and a hand-written DuckDB query: the peers
of benchmarks.kpi_engine.

    python -m benchmarks.kpi_peers CALLS.csv --range 1740758400 1743436800 [--range …]

pandas, DuckDB and pyarrow are no dependencies of Hotline: they are installed, pinned, into
a virtualenv of their own cached under ~/.cache/hotline-bench, and this file runs there as a
script (`measure`), so it imports only the standard library at the top.

The input is the calls Hotline stored, exported from PostgreSQL as CSV (one row per queue
visit: entered_at in epoch seconds, queue, outcome, wait_s, talk_s, hold_s,
after_call_work_s, agent, caller). It is converted once to Parquet sorted by entered_at
(not timed). For each range [start, end) of epoch seconds, each peer computes per local
30-minute interval and queue: offered, answered, abandoned, service level (answered within
T ÷ (answered + abandoned)), ASA, AHT (talk + hold + after-call work), average abandon time
and longest wait, as docs/kpis.md defines them. Timed, best of `repeats` and the first:
- "file": from the Parquet file to the result, reading included;
- "memory": the data already in memory (a DataFrame; a DuckDB table), filter and compute.
pandas buckets with to_datetime/tz_convert/dt.floor as its documentation shows; the DuckDB
query buckets with integer arithmetic on a fixed UTC offset (given, checked for the range).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# The pins: pandas, DuckDB and pyarrow as pip resolved them, with Hotline's NumPy.
REQUIREMENTS = (
    "pandas==3.1.1",
    "duckdb==2.0.0",
    "pyarrow==26.0.1",
    "numpy==2.4.6",
    "python-dateutil==4.0.0",
    "tzdata==2026.6",
)
CORE_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "asa",
    "aht",
    "average_abandon_time",
    "longest_wait",
)
COLUMNS = ("entered_at", "queue", "outcome", "wait_s", "talk_s", "hold_s", "after_call_work_s")
CSV_TYPES = {
    "entered_at": "BIGINT",
    "queue": "VARCHAR",
    "outcome": "VARCHAR",
    "wait_s": "DOUBLE",
    "talk_s": "DOUBLE",
    "hold_s": "DOUBLE",
    "after_call_work_s": "DOUBLE",
    "agent": "VARCHAR",
    "caller": "VARCHAR",
}
INTERVAL_S = 1800


class PeerFailed(Exception):
    """The peers could not be installed or did not run."""


# --- the environment (Hotline's side) -----------------------------------------------------------


def peer_venv() -> Path:
    """The peers' cached virtualenv (benchmarks.peer_venvs)."""
    # Imported here: this file also runs as a script inside that venv, without the package.
    from benchmarks.peer_venvs import cached_venv

    return cached_venv("kpi-peers", REQUIREMENTS)


def measure_peers(
    csv: Path,
    ranges: dict[str, tuple[int, int]],
    *,
    zone: str,
    utc_offset_s: int,
    service_level_s: float,
    repeats: int,
    work_dir: Path,
) -> dict:
    """Run `measure` in the peers' virtualenv; its figures, with where it wrote each
    peer's results (CSV: period label, queue, the CORE_KPIS) for every range."""
    venv = peer_venv()
    out = work_dir / "peers.json"
    command = [
        str(venv / "bin" / "python"), __file__, "measure", str(csv),
        "--work-dir", str(work_dir), "--zone", zone, "--utc-offset-s", str(utc_offset_s),
        "--service-level-s", str(service_level_s), "--repeats", str(repeats),
        "--out", str(out),
    ]  # fmt: skip
    for name, (start, end) in ranges.items():
        command += ["--range", name, str(start), str(end)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise PeerFailed(f"the peers failed:\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


# --- the peers (run in their virtualenv) --------------------------------------------------------


def _times(run: Callable[[], object], repeats: int) -> dict[str, float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return {"first_s": samples[0], "best_s": min(samples)}


def pandas_kpis(frame, start: int, end: int, zone: str, service_level_s: float):
    """The KPIs as a data analyst would write them with pandas."""
    import pandas as pd

    calls = frame[(frame["entered_at"] >= start) & (frame["entered_at"] < end)]
    interval = (
        pd.to_datetime(calls["entered_at"], unit="s", utc=True)
        .dt.tz_convert(zone)
        .dt.floor("30min")
    )
    answered = calls["outcome"] == "answered"
    abandoned = calls["outcome"] == "abandoned"
    handle = calls["talk_s"] + calls["hold_s"] + calls["after_call_work_s"]
    table = calls.assign(
        interval=interval,
        answered=answered,
        abandoned=abandoned,
        within=answered & (calls["wait_s"] <= service_level_s),
        answer_wait=calls["wait_s"].where(answered),
        handle=handle.where(answered),
        abandon_wait=calls["wait_s"].where(abandoned),
    )
    kpis = table.groupby(["interval", "queue"], sort=True).agg(
        offered=("outcome", "size"),
        answered=("answered", "sum"),
        abandoned=("abandoned", "sum"),
        within=("within", "sum"),
        asa=("answer_wait", "mean"),
        aht=("handle", "mean"),
        average_abandon_time=("abandon_wait", "mean"),
        longest_wait=("wait_s", "max"),
    )
    denominator = (kpis["answered"] + kpis["abandoned"]).astype("float64")
    kpis["service_level"] = (kpis["within"] / denominator).where(denominator > 0)
    return kpis.drop(columns="within")


DUCKDB_SQL = """
SELECT (entered_at + {offset}) // {interval} AS interval, queue,
       count(*) AS offered,
       count(*) FILTER (outcome = 'answered') AS answered,
       count(*) FILTER (outcome = 'abandoned') AS abandoned,
       count(*) FILTER (outcome = 'answered' AND wait_s <= {sl})
         / nullif(count(*) FILTER (outcome IN ('answered', 'abandoned')), 0) AS service_level,
       avg(wait_s) FILTER (outcome = 'answered') AS asa,
       avg(talk_s + hold_s + after_call_work_s) FILTER (outcome = 'answered') AS aht,
       avg(wait_s) FILTER (outcome = 'abandoned') AS average_abandon_time,
       max(wait_s) AS longest_wait
FROM {source}
WHERE entered_at >= {start} AND entered_at < {end}
GROUP BY ALL
ORDER BY interval, queue
"""


def duckdb_sql(source: str, start: int, end: int, offset: int, service_level_s: float) -> str:
    return DUCKDB_SQL.format(
        source=source, start=start, end=end, offset=offset, interval=INTERVAL_S, sl=service_level_s
    )


def measure(args: argparse.Namespace) -> dict:
    import duckdb
    import pandas as pd

    work_dir = Path(args.work_dir)
    parquet = work_dir / "calls.parquet"
    connection = duckdb.connect()
    started = time.perf_counter()
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in CSV_TYPES.items())
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{args.csv}', header = true, columns = {{{types}}}) "
        f"ORDER BY entered_at) TO '{parquet}' (FORMAT parquet)"
    )
    figures: dict = {
        "versions": {"pandas": pd.__version__, "duckdb": duckdb.__version__},
        "duckdb_threads": connection.execute("SELECT current_setting('threads')").fetchone()[0],
        "parquet_bytes": parquet.stat().st_size,
        "to_parquet_s": time.perf_counter() - started,
        "pandas": {},
        "duckdb": {},
        "results": {},
    }
    frame = pd.read_parquet(parquet, columns=list(COLUMNS))
    connection.execute(f"CREATE TABLE calls AS SELECT * FROM read_parquet('{parquet}')")
    zone, sl, offset = args.zone, args.service_level_s, args.utc_offset_s
    for name, start, end in args.range:
        start, end = int(start), int(end)

        def pandas_file(start=start, end=end):
            whole = pd.read_parquet(parquet, columns=list(COLUMNS))
            return pandas_kpis(whole, start, end, zone, sl)

        def file_sql(start=start, end=end):
            return duckdb_sql(f"read_parquet('{parquet}')", start, end, offset, sl)

        def table_sql(start=start, end=end):
            return duckdb_sql("calls", start, end, offset, sl)

        figures["pandas"][name] = {
            "file": _times(pandas_file, args.repeats),
            "memory": _times(
                lambda s=start, e=end: pandas_kpis(frame, s, e, zone, sl), args.repeats
            ),
        }
        figures["duckdb"][name] = {
            "file": _times(lambda: connection.execute(file_sql()).fetchnumpy(), args.repeats),
            "memory": _times(lambda: connection.execute(table_sql()).fetchnumpy(), args.repeats),
        }
        # The results, for benchmarks.kpi_engine to check against Hotline's (not timed).
        by_pandas = pandas_kpis(frame, start, end, zone, sl).reset_index()
        by_pandas["period"] = by_pandas["interval"].dt.strftime("%Y-%m-%d %H:%M")
        pandas_csv = work_dir / f"pandas-{name}.csv"
        by_pandas[["period", "queue", *CORE_KPIS]].to_csv(pandas_csv, index=False)
        duckdb_csv = work_dir / f"duckdb-{name}.csv"
        connection.execute(
            f"COPY (SELECT strftime(make_timestamp(interval * {INTERVAL_S} * 1000000), "
            f"'%Y-%m-%d %H:%M') AS period, queue, {', '.join(CORE_KPIS)} "
            f"FROM ({table_sql()})) TO '{duckdb_csv}' (HEADER)"
        )
        figures["results"][name] = {
            "pandas": str(pandas_csv),
            "duckdb": str(duckdb_csv),
            "pandas_rows": len(by_pandas),
            "calls": int(((frame["entered_at"] >= start) & (frame["entered_at"] < end)).sum()),
        }
    return figures


def _parser(inside: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument(
        "--range", nargs=3, action="append", required=True, metavar=("NAME", "START", "END")
    )
    parser.add_argument("--zone", default="Asia/Shanghai")
    parser.add_argument("--utc-offset-s", type=int, default=8 * 3600)
    parser.add_argument("--service-level-s", type=float, default=20.0)
    parser.add_argument("--repeats", type=int, default=3)
    if inside:
        parser.add_argument("--work-dir", required=True)
        parser.add_argument("--out", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["measure"]:  # in the peers' virtualenv
        args = _parser(inside=True).parse_args(argv[1:])
        Path(args.out).write_text(json.dumps(measure(args)))
        return
    args = _parser(inside=False).parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hotline-bench-peers-") as work_dir:
        figures = measure_peers(
            args.csv,
            {name: (int(start), int(end)) for name, start, end in args.range},
            zone=args.zone,
            utc_offset_s=args.utc_offset_s,
            service_level_s=args.service_level_s,
            repeats=args.repeats,
            work_dir=Path(work_dir),
        )
    print(json.dumps({key: figures[key] for key in figures if key != "results"}, indent=2))


if __name__ == "__main__":
    main()
