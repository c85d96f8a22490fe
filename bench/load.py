"""Open-loop load against a served gateway: what it sustains, and how latency grows.

Starts ``consentgate serve`` on 127.0.0.1 (dev auth, tiny profile, a temporary data dir),
mints dev tokens from the key it created, and for each scenario and rate sends requests
on a fixed schedule (``rate`` a second for ``duration`` seconds) whether or not earlier ones
have answered: the offered load does not bend to the server, so an overloaded gateway shows
as queueing and errors, not as a politely slower client. Latency is measured from each
request's scheduled time, so time spent waiting for a free connection counts too.

Scenarios: ``denied`` (POST /v1/images with a token that has no role: authenticated,
refused by policy, audited), ``image`` (tiny image, 64x64, few steps) and ``speech``
(eSpeak NG). A health probe runs beside each, twice a second.

    .venv/bin/python bench/load.py [--rate 50 200] [--duration 10] [--scenario denied]
        [--subjects 100] [--connections 64] [--set rate_limit_client_per_minute=100000]

Each row runs on a freshly served gateway. Requests take turns among ``--subjects`` callers
per role, so the per-subject rate limit does not stand in for capacity; all come from one
address, so the per-address limit applies as configured (``--set`` changes it, to measure
the path rather than the limiter). 429 answers show as errors.

Traffic goes only to 127.0.0.1; every run is bounded in requests, connections and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: this tool must never load someone else's server
MAX_RATE = 2000  # requests/s; past this the generator, not the gateway, is what is measured
MAX_DURATION_S = 300
MAX_REQUESTS = 100_000  # latencies are kept in memory, one float each
MAX_SUBJECTS = 10_000  # tokens are minted up front
MAX_CONNECTIONS = 512  # below common file-descriptor limits, with room for the server's
STARTUP_TIMEOUT_S = 120
KEEPALIVE_REUSE_S = 4.0  # uvicorn closes idle keep-alive connections after 5 s
HEALTH_PROBE_INTERVAL_S = 0.5
WARMUP_REQUESTS = 3  # the first image request builds the tiny pipeline: seconds, not ms

BIN = Path(sys.executable).parent


# -- a served gateway -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Gateway:
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # graceful: the audit head is signed
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def start_gateway(work_dir: Path, settings: dict[str, str]) -> Gateway:
    """Serve the gateway as an operator would, with ``settings`` as CONSENTGATE_ variables
    on top of the bench's own. Raises RuntimeError if it does not answer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSENTGATE_")}
    env |= {
        "CONSENTGATE_DATA_DIR": str(work_dir / "data"),
        "CONSENTGATE_AUTH_MODE": "dev",
        "CONSENTGATE_PROFILE": "tiny",
    }
    env |= {f"CONSENTGATE_{name.upper()}": value for name, value in settings.items()}
    port = _free_port()
    log = (work_dir / "gateway.log").open("wb")  # a file, not a pipe that could fill up
    process = subprocess.Popen(
        [str(BIN / "consentgate"), "serve", "--host", HOST, "--port", str(port)],
        env=env,
        cwd=work_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                if sock.recv(16).startswith(b"HTTP/1.1 200"):
                    return Gateway(port, work_dir / "data", process)
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    tail = (work_dir / "gateway.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"the gateway did not start:\n{tail}")


@dataclass(frozen=True)
class Tokens:
    """Dev tokens for ``subjects`` distinct callers per role, taken in turn: the load is a
    crowd, so a per-subject rate limit does not stand in for the gateway's capacity."""

    no_role: tuple[str, ...]
    employee: tuple[str, ...]


def mint_tokens(data_dir: Path, subjects: int) -> Tokens:
    """Tokens signed by the dev key the served gateway created and trusts."""
    from gateway.dev_identity import DevIdentity

    identity = DevIdentity.load_or_create(data_dir)
    return Tokens(
        no_role=tuple(identity.mint(f"bench-no-role-{n}", [], 3600) for n in range(subjects)),
        employee=tuple(
            identity.mint(f"bench-employee-{n}", ["employee"], 3600) for n in range(subjects)
        ),
    )


# -- a small HTTP/1.1 client over keep-alive connections --------------------------------


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.last_used = time.monotonic()
        self.reusable = True

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send one request and read its whole response; returns the status and body.
        Raises OSError or asyncio.IncompleteReadError when the connection fails."""
        self.writer.write(request)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        body = b""
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = await self._read_chunked()
        self.reusable = headers.get("connection") != "close"
        self.last_used = time.monotonic()
        return status, body

    async def _read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunks.append((await self.reader.readexactly(size + 2))[:-2])
            if size == 0:
                return b"".join(chunks)

    def close(self) -> None:
        self.writer.close()


class Pool:
    """At most ``size`` keep-alive connections to the gateway; callers wait for a free one."""

    def __init__(self, port: int, size: int) -> None:
        self._port = port
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(size)

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """One request on a pooled connection; returns the status and body. Raises OSError
        and asyncio errors as the connection does; a failed connection is not reused."""
        async with self._slots:
            connection = self._take_idle() or _Connection(
                *await asyncio.open_connection(HOST, self._port)
            )
            try:
                answer = await connection.exchange(request)
            except BaseException:
                connection.close()  # half a response: the connection is unusable
                raise
            if connection.reusable:
                self._idle.append(connection)
            else:
                connection.close()
            return answer

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            fresh = time.monotonic() - connection.last_used < KEEPALIVE_REUSE_S
            if fresh and not connection.reader.at_eof():
                return connection
            connection.close()
        return None

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()


def post_json(path: str, token: str, body: dict[str, object]) -> bytes:
    payload = json.dumps(body).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload


HEALTH_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"


# -- scenarios --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    expected_status: int
    build: Callable[[Tokens, int], bytes]  # (tokens, n) -> the raw request


SCENARIOS = {
    "denied": Scenario(
        "denied",
        403,
        lambda tokens, n: post_json(
            "/v1/images",
            tokens.no_role[n % len(tokens.no_role)],
            {"prompt": f"a lighthouse {n}", "purpose": "internal", "width": 64, "height": 64},
        ),
    ),
    "image": Scenario(
        "image",
        201,
        lambda tokens, n: post_json(
            "/v1/images",
            tokens.employee[n % len(tokens.employee)],
            {
                "prompt": "a lighthouse at dusk",
                "purpose": "internal",
                "width": 64,
                "height": 64,
                "steps": 2,
                "seed": n,
            },
        ),
    ),
    "speech": Scenario(
        "speech",
        201,
        lambda tokens, n: post_json(
            "/v1/speech",
            tokens.employee[n % len(tokens.employee)],
            {"text": f"Request number {n}.", "language": "en", "purpose": "internal"},
        ),
    ),
}


@dataclass
class Result:
    scenario: str
    rate: float
    duration_s: float
    started: float = 0.0  # event-loop time of the first scheduled send
    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    last_done: float = 0.0
    max_send_lag_ms: float = 0.0
    health_ms: list[float] = field(default_factory=list)
    health_errors: int = 0

    @property
    def completed_per_s(self) -> float:
        span = max(self.duration_s, self.last_done)
        return len(self.latencies_ms) / span if span else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


async def _one(
    pool: Pool, request: bytes, scenario: Scenario, scheduled: float, result: Result
) -> None:
    loop = asyncio.get_running_loop()
    try:
        status, body = await pool.send(request)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        result.errors[type(exc).__name__] += 1
        return
    if status != scenario.expected_status:
        result.errors[f"{status} {_problem_code(body)}"] += 1
        return
    done = loop.time()
    result.latencies_ms.append((done - scheduled) * 1000)
    result.last_done = max(result.last_done, done - result.started)


def _problem_code(body: bytes) -> str:
    try:
        problem = json.loads(body)
    except ValueError:
        return "(not JSON)"
    return str(problem.get("code")) if isinstance(problem, dict) else "(not a problem)"


async def _probe_health(port: int, stop: asyncio.Event, result: Result) -> None:
    pool = Pool(port, 1)
    loop = asyncio.get_running_loop()
    try:
        while not stop.is_set():
            start = loop.time()
            try:
                status, _ = await asyncio.wait_for(
                    pool.send(HEALTH_REQUEST), HEALTH_PROBE_INTERVAL_S * 4
                )
                if status == 200:
                    result.health_ms.append((loop.time() - start) * 1000)
                else:
                    result.health_errors += 1
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                result.health_errors += 1
            await asyncio.sleep(max(0.0, start + HEALTH_PROBE_INTERVAL_S - loop.time()))
    finally:
        pool.close()


async def run_scenario(
    port: int,
    scenario: Scenario,
    tokens: Tokens,
    rate: float,
    duration_s: float,
    connections: int,
    timeout_s: float,
) -> Result:
    """Offer ``rate`` requests a second for ``duration_s`` seconds, open loop."""
    loop = asyncio.get_running_loop()
    result = Result(scenario.name, rate, duration_s)
    pool = Pool(port, connections)
    for n in range(WARMUP_REQUESTS):
        await asyncio.wait_for(pool.send(scenario.build(tokens, -1 - n)), STARTUP_TIMEOUT_S)
    total = min(MAX_REQUESTS, int(rate * duration_s))
    stop_health = asyncio.Event()
    health = asyncio.create_task(_probe_health(port, stop_health, result))
    start = result.started = loop.time() + 0.05
    tasks: list[asyncio.Task[None]] = []
    for n in range(total):
        scheduled = start + n / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            result.max_send_lag_ms = max(result.max_send_lag_ms, -delay * 1000)
        request = scenario.build(tokens, n)
        tasks.append(asyncio.create_task(_one(pool, request, scenario, scheduled, result)))
        result.sent += 1
    # Bounded in time: whatever has not answered timeout_s after the last send is cut.
    _, pending = await asyncio.wait(tasks, timeout=timeout_s) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if pending:
        result.errors["timeout"] += len(pending)
    stop_health.set()
    await health
    pool.close()
    return result


# -- report -----------------------------------------------------------------------------


def print_table(results: list[Result], connections: int, subjects: int) -> None:
    print(
        f"consentgate open-loop load: 127.0.0.1, dev auth, tiny profile, SQLite, "
        f"{os.cpu_count()} CPUs shared by client and server, up to {connections} connections, "
        f"{subjects} subjects per role, a fresh gateway per row"
    )
    header = (
        f"{'scenario':<9}{'offered/s':>10}{'sent':>7}{'ok':>7}{'errors':>7}{'done/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'health p99':>11}{'lag ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        lat = r.latencies_ms
        print(
            f"{r.scenario:<9}{r.rate:>10g}{r.sent:>7}{len(lat):>7}{sum(r.errors.values()):>7}"
            f"{r.completed_per_s:>9.1f}{percentile(lat, 50):>9.1f}{percentile(lat, 95):>9.1f}"
            f"{percentile(lat, 99):>9.1f}{max(lat, default=float('nan')):>9.1f}"
            f"{percentile(r.health_ms, 99):>11.1f}{r.max_send_lag_ms:>8.1f}"
        )
    for r in results:
        if r.errors or r.health_errors:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in r.errors.most_common())
            extra = f"; health probe failures x{r.health_errors}" if r.health_errors else ""
            print(f"  {r.scenario} at {r.rate:g}/s: {kinds}{extra}")
    print(
        "ok: answered with the scenario's status (denied 403, others 201); latency from the "
        "scheduled send; done/s: ok answers per second of the run; lag: how late the "
        "generator itself sent (large = the client, not the server, limited the rate)"
    )


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.replace("_", "").isalnum():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rate", type=float, nargs="+", default=[50.0], help="requests/s")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument(
        "--scenario", choices=sorted(SCENARIOS), action="append", help="repeat; default all"
    )
    parser.add_argument("--connections", type=int, default=64, help="keep-alive pool size")
    parser.add_argument("--timeout", type=float, default=10.0, help="wait after the last send")
    parser.add_argument(
        "--subjects", type=int, default=100, help="distinct callers per role (default 100)"
    )
    parser.add_argument(
        "--set",
        type=_setting,
        action="append",
        metavar="NAME=VALUE",
        help="a gateway setting, e.g. rate_limit_client_per_minute=100000; repeat",
    )
    args = parser.parse_args(argv)
    if not all(0 < rate <= MAX_RATE for rate in args.rate):
        parser.error(f"--rate must be in (0, {MAX_RATE}]")
    if not 0 < args.duration <= MAX_DURATION_S:
        parser.error(f"--duration must be in (0, {MAX_DURATION_S}]")
    if not 1 <= args.connections <= MAX_CONNECTIONS:
        parser.error(f"--connections must be in [1, {MAX_CONNECTIONS}]")
    if not 1 <= args.subjects <= MAX_SUBJECTS:
        parser.error(f"--subjects must be in [1, {MAX_SUBJECTS}]")
    if not 0 < args.timeout <= MAX_DURATION_S:
        parser.error(f"--timeout must be in (0, {MAX_DURATION_S}]")
    return args


def run_one(args: argparse.Namespace, scenario: Scenario, rate: float) -> Result:
    """One row of the table, on a freshly served gateway: rate-limit buckets, the audit log
    and caches start the same for every row."""
    with tempfile.TemporaryDirectory(prefix="consentgate-load-") as work_dir:
        gateway = start_gateway(Path(work_dir), dict(args.set or []))
        try:
            tokens = mint_tokens(gateway.data_dir, args.subjects)
            return asyncio.run(
                run_scenario(
                    gateway.port,
                    scenario,
                    tokens,
                    rate,
                    args.duration,
                    args.connections,
                    args.timeout,
                )
            )
        finally:
            gateway.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    results = [
        run_one(args, SCENARIOS[name], rate)
        for name in args.scenario or ["denied", "image", "speech"]
        for rate in args.rate
    ]
    print_table(results, args.connections, args.subjects)


if __name__ == "__main__":
    main()
