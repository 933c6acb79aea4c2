"""Concurrent HTTP clients against a gunicorn server, for benchmarks that compare two web apps.

Both sides of a comparison use the same server settings (`serve`) and the same client code
(`Client`, `run_clients`), so that what differs is the application. The load driver runs in
the benchmark's own process and competes with the server and the database for the machine's
cores; `Result` records how much CPU it took, so a reader can judge how much that matters.
"""

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# gunicorn's own rule of thumb, (2 × cores) + 1, with its default synchronous workers: each
# handles one request at a time and closes the connection after it (no keep-alive), and
# requests beyond the workers wait in the listen queue.
WORKERS = 2 * (os.cpu_count() or 1) + 1
WORKER_CLASS = "sync"
SERVER_START_TIMEOUT_S = 30.0
SERVER_STOP_TIMEOUT_S = 30.0


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_settings() -> dict[str, object]:
    """What `serve` runs the application with, for the benchmark's report."""
    return {"server": "gunicorn", "worker_class": WORKER_CLASS, "workers": WORKERS}


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []


@contextmanager
def serve(
    gunicorn: Path, app: str, *, cwd: Path, env: Mapping[str, str], log: Path
) -> Iterator[Server]:
    """Run `app` (a WSGI "module:callable") under gunicorn on a free localhost port until the
    block ends; gunicorn's output, Django's error log included, goes to `log`."""
    port = free_port()
    command = [
        str(gunicorn),
        "--workers", str(WORKERS),
        "--worker-class", WORKER_CLASS,
        "--bind", f"127.0.0.1:{port}",
        "--no-control-socket",  # gunicorn's default socket path is shared by every server
        app,
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=cwd, env={**env}, stdout=output, stderr=output)
    try:
        _wait_until_listening(process, port, log)
        yield Server(f"http://127.0.0.1:{port}", process)
    finally:
        process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_listening(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} in time; see {log}")


# --- the clients --------------------------------------------------------------------------------


class RequestFailed(Exception):
    """A call answered with an unexpected status, or not at all; it is counted as an error."""


class Client:
    """One client's HTTP/1.1 connection, kept alive where the server allows and opened again
    where it does not, sending and receiving JSON and timing each call under a label."""

    def __init__(
        self, base_url: str, headers: Mapping[str, str] | None = None, timeout: float = 60.0
    ):
        parts = urllib.parse.urlsplit(base_url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self._prefix = parts.path.rstrip("/")
        self._headers = {"Accept": "application/json", **(headers or {})}
        self.latencies_ms: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.error_samples: list[str] = []

    def call(
        self,
        label: str,
        method: str,
        path: str,
        body: object = None,
        expect: Iterable[int] = (200, 201, 204),
    ) -> Any:
        """Send one request and return its decoded JSON body (None when empty); the time to
        the last byte of the answer, connecting included, is recorded under `label`."""
        headers = dict(self._headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self._connection.request(method, self._prefix + path, payload, headers)
            response = self._connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self._connection.close()  # the next call connects afresh
            self._fail(label, f"{method} {path}: {error!r}")
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status not in tuple(expect):
            self._fail(label, f"{method} {path}: {response.status} {data[:300]!r}")
        self.latencies_ms[label].append(elapsed_ms)
        return json.loads(data) if data else None

    def _fail(self, label: str, sample: str) -> None:
        self.errors[label] += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(sample)
        raise RequestFailed(sample)

    def close(self) -> None:
        self._connection.close()


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


@dataclass
class Result:
    """What `clients` clients did in `elapsed_s`: each successful call's latency by label,
    failed calls by label, and the operations completed and abandoned."""

    clients: int
    elapsed_s: float
    iterations: int = 0  # calls of the operation that raised nothing
    failed_iterations: int = 0  # abandoned at a failed call
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    driver_cpu_s: float = 0.0  # CPU time of this process, the clients' threads
    machine_cpu_s: float | None = None  # CPU time of every process on the machine

    def calls(self, label: str | None = None) -> int:
        if label is None:
            return sum(map(len, self.latencies_ms.values()))
        return len(self.latencies_ms.get(label, ()))

    def per_second(self, label: str | None = None) -> float:
        """Successful calls per second (of `label`, or of every label)."""
        return self.calls(label) / self.elapsed_s

    def iterations_per_second(self) -> float:
        return self.iterations / self.elapsed_s

    def latency_ms(self, p: float, label: str | None = None) -> float:
        if label is None:
            return percentile([ms for lst in self.latencies_ms.values() for ms in lst], p)
        return percentile(self.latencies_ms.get(label, []), p)

    def error_count(self) -> int:
        return sum(self.errors.values())

    def figures(self, steps: Iterable[str], server_cpu_s: float, postgres_cpu_s: float) -> dict:
        """Every figure of the run, by operation (one `step` label each) and in all."""
        capacity = self.elapsed_s * (os.cpu_count() or 1)
        machine_cpu_s = self.machine_cpu_s
        return {
            "clients": self.clients,
            "elapsed_s": self.elapsed_s,
            "lifecycles": self.iterations,
            "lifecycles_per_s": self.iterations_per_second(),
            "failed_lifecycles": self.failed_iterations,
            "ops_per_s": self.per_second(),
            "p50_ms": self.latency_ms(50),
            "p95_ms": self.latency_ms(95),
            "errors": self.error_count(),
            "error_samples": self.error_samples,
            "operations": {
                step: {
                    "ops_per_s": self.per_second(step),
                    "p50_ms": self.latency_ms(50, step),
                    "p95_ms": self.latency_ms(95, step),
                    "errors": self.errors.get(step, 0),
                }
                for step in steps
            },
            # Shares of the machine's CPU time over the run: the load driver (this process),
            # the gunicorn workers, PostgreSQL (every database's), and the rest of the machine,
            # which is the benchmark's noise: other work that ran at the same time.
            "driver_cpu_share": self.driver_cpu_s / capacity,
            "server_cpu_share": server_cpu_s / capacity,
            "postgres_cpu_share": postgres_cpu_s / capacity,
            "other_cpu_share": (
                None
                if machine_cpu_s is None
                else (machine_cpu_s - self.driver_cpu_s - server_cpu_s - postgres_cpu_s) / capacity
            ),
        }


def _machine_busy_s() -> float | None:
    """CPU seconds spent by every process since boot, from /proc/stat (idle and iowait are
    not busy); None where there is no /proc."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields[:8]]
    busy = sum(ticks) - ticks[3] - ticks[4]
    return busy / os.sysconf("SC_CLK_TCK")


def process_cpu_s(pids: Iterable[int]) -> float:
    """CPU seconds spent so far by the live processes among `pids` (Linux)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def pids_named(name: str) -> list[int]:
    """The processes whose command name is `name`, such as PostgreSQL's "postgres" (Linux)."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "comm").read_text().strip() == name:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def run_clients(
    operation: Callable[[Client], None],
    clients: int,
    seconds: float,
    *,
    connect: Callable[[], Client],
) -> Result:
    """Run `operation` over and over from `clients` threads, each with its own `connect()`ed
    Client, until `seconds` have passed.

    An operation under way at the deadline is finished, and the elapsed time runs until the
    last one is, so that every call counted is inside the time it is divided by. An operation
    whose call fails (RequestFailed) is abandoned and the thread starts the next one; any
    other exception stops the run and is raised here.
    """
    sessions = [connect() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    iterations = [0] * clients
    failed = [0] * clients
    deadline = 0.0

    def work(index: int) -> float:
        client = sessions[index]
        start.wait()
        while time.perf_counter() < deadline:
            try:
                operation(client)
            except RequestFailed:
                failed[index] += 1
            else:
                iterations[index] += 1
        return time.perf_counter()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(work, index) for index in range(clients)]
        driver_cpu, machine_cpu = time.process_time(), _machine_busy_s()
        started = time.perf_counter()
        deadline = started + seconds
        start.wait()
        finished = max(future.result() for future in futures)
        driver_cpu = time.process_time() - driver_cpu
        machine_end = _machine_busy_s()
    for client in sessions:
        client.close()

    result = Result(
        clients=clients,
        elapsed_s=finished - started,
        iterations=sum(iterations),
        failed_iterations=sum(failed),
        driver_cpu_s=driver_cpu,
        machine_cpu_s=None if machine_cpu is None else machine_end - machine_cpu,
    )
    for client in sessions:
        for label, samples in client.latencies_ms.items():
            result.latencies_ms.setdefault(label, []).extend(samples)
        for label, count in client.errors.items():
            result.errors[label] = result.errors.get(label, 0) + count
        result.error_samples.extend(client.error_samples[: 5 - len(result.error_samples)])
    return result
