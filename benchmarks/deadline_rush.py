"""Benchmark the deadline rush: N bidders seal and submit bids in the last W seconds, and the
server is killed with SIGKILL in the middle of it.

Against a real server process (`pregon serve`: gunicorn, the task worker and the witness loop)
on PostgreSQL:

1. drops and creates the database (its name must contain "bench"), migrates it, and collects
   the static files into `$PREGON_BENCH_CACHE/rush-static` (reused by later runs);
2. builds the world through the services (`deadline_rush_world.py`): a buyer, an opening
   committee of three (two needed) whose X25519 keys come from `pregon.sealing`, a draft
   tender with that committee, and N supplier organizations, each with an API key;
3. starts `pregon serve` in a session of its own, publishes the tender with its deadline
   `--lead` + W seconds ahead (by the database's clock), and checks the committee as a
   bidder's client does;
4. runs N bidders (`--workers` processes, threads in each), each starting at a random moment of
   the last W seconds before the deadline: `pregon.client.Client.submit` seals a bid with an
   M MB document, uploads it in chunks and submits it with an idempotency key (its sealed bytes
   kept in a state directory, so a retry sends the same ones). A submission that fails for
   want of an answer is started again with the same key until it is acknowledged or refused;
5. at `--kill-at` of the window, kills every process group of the server's session with
   SIGKILL (`pregon serve` puts gunicorn, the task worker and the witness loop in process
   groups of their own, so the group of `pregon serve` alone would leave gunicorn serving)
   and starts the server again at once;
6. after the last bidder, stops the server and checks the database against the receipts the
   clients hold: every acknowledged bid stored as acknowledged (commitment, log leaf, receipt,
   its documents on disk with their SHA-256), no supplier with two bids or two rows for one
   idempotency key, nothing received after the deadline, each stored bid's log leaf, and a few
   bids opened with two of the committee's keys (the amount and document the bidder sent).

The latency of a submission is the bidder's: from the first call of `Client.submit` to the
verified receipt (committee check against the log, sealing, upload, submission, and any start
again after the kill). "Outside the restart window" leaves out the submissions that were under
way between the kill and the moment the restarted server answered; the last line gives those.

Usage: .venv/bin/python benchmarks/deadline_rush.py [--bidders 500] [--window 60] [--doc-mb 1]
       [--database-url postgres://postgres@127.0.0.1:5432/bench_rush] [--kill-at 0.5]
       [--workers 2] [--server-workers 4] [--lead 15] [--sample 3] [--keep]

Progress goes to standard error, the figures to standard output; its last line is
`acknowledged=… stored=… lost=… duplicated=… late_accepted=… p50_ms=… p99_ms=…`. The exit
status is 1 when a bid was lost, duplicated or accepted late, or a check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import multiprocessing as mp
import os
import queue
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pregon.client import Client, ClientError
from pregon.client import errors as client_errors
from pregon.client.client import DEFAULT_CHUNK
from pregon.client.transport import DEFAULT_RETRIES
from pregon.tlog.checkpoint import format_verifier_key

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_rush"
CACHE = Path(os.environ.get("PREGON_BENCH_CACHE", "/tmp/pregon-bench"))
LOG_ORIGIN = "bench.example/pregon/log"
TRANSIENT = frozenset({client_errors.UNREACHABLE, client_errors.SERVER_ERROR})
# A line of gunicorn's access log answering a submission: its status.
_SUBMIT_ANSWER = re.compile(rb'"POST /api/v1/tenders/[^ ]+/bids HTTP/[0-9.]+" ([0-9]{3}) ')
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_avg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------
# processes of the server


def _proc_stat(pid: str) -> list[bytes] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, pgrp, session...)."""
    try:
        return (Path("/proc") / pid / "stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None


def session_processes(session: int) -> dict[int, int]:
    """The processes of a session: pid -> process group."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(entry.name)
            if fields is not None and int(fields[3]) == session:
                found[int(entry.name)] = int(fields[2])
    return found


class Server:
    """`pregon serve` in a session of its own, restarted after a kill."""

    def __init__(self, *, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env = env
        self.port = port
        self.workers = workers
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.sessions: list[int] = []

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pregon.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.sessions.append(self.process.pid)

    def wait_ready(self, timeout: float = 180.0) -> float:
        """Seconds until the server answers GET /api/v1/time; raises when it dies or hangs."""
        assert self.process is not None
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode})\n{self.tail()}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{self.url}/api/v1/time", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s\n{self.tail()}")

    def kill(self) -> tuple[int, int]:
        """SIGKILL every process group of the server's session; (groups, processes) killed."""
        assert self.process is not None
        members = session_processes(self.process.pid)
        groups = set(members.values())
        for group in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        self.process.wait()
        # Wait until the orphans are gone too (the listening socket closes with the last one).
        deadline = time.monotonic() + 10
        while session_processes(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(groups), len(members)

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM), or kill it when it does not stop."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def submission_answers(self) -> dict[int, int]:
        """How many submissions the server answered with each status (its access log)."""
        counts: dict[int, int] = {}
        with contextlib.suppress(OSError):
            for match in _SUBMIT_ANSWER.finditer(self.log.read_bytes()):
                status = int(match.group(1))
                counts[status] = counts.get(status, 0) + 1
        return counts


class CpuSampler(threading.Thread):
    """Samples the CPU time (user + system) of the server's processes and of the database's
    backends serving `database`, every half second; processes killed keep their last sample."""

    def __init__(self, server: Server, database: str) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.marker = f" {database} ".encode()
        self.server_ticks: dict[int, int] = {}
        self.database_ticks: dict[int, int] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            self.sample()

    def sample(self) -> None:
        sessions = set(self.server.sessions)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            fields = _proc_stat(entry.name)
            if fields is None:
                continue
            ticks = int(fields[11]) + int(fields[12])
            pid = int(entry.name)
            if int(fields[3]) in sessions:
                self.server_ticks[pid] = ticks
            elif pid in self.database_ticks or self._database_backend(entry):
                self.database_ticks[pid] = ticks

    def _database_backend(self, entry: Path) -> bool:
        try:
            if (entry / "comm").read_bytes().strip() != b"postgres":
                return False
            return self.marker in (entry / "cmdline").read_bytes()
        except OSError:
            return False

    def seconds(self) -> tuple[float, float]:
        self.stopping.set()
        return (
            sum(self.server_ticks.values()) / _CLOCK_TICKS,
            sum(self.database_ticks.values()) / _CLOCK_TICKS,
        )


# ---------------------------------------------------------------------------------------------
# the bidders (in processes of their own: only pregon.client, no Django)


@dataclass(frozen=True)
class Job:
    index: int
    supplier: int
    api_key: str
    idempotency_key: str
    amount: str
    start: float  # time.time() at which the bidder starts


@dataclass(frozen=True)
class Rush:
    url: str
    ocid: str
    lot: str
    currency: str
    log_key: str
    document: str
    state_dir: str
    give_up: float  # time.time() after which a bidder stops retrying


def bidders_process(number: int, jobs: list[Job], rush: Rush, events: Any) -> None:
    """One process of bidders: a thread each; reports each outcome, then its CPU time."""
    threads = [threading.Thread(target=_bidder, args=(job, rush, events)) for job in jobs]
    for thread in threads:
        thread.start()
    events.put(("ready", number, len(jobs)))
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    events.put(("cpu", number, usage.ru_utime + usage.ru_stime))


def _bidder(job: Job, rush: Rush, events: Any) -> None:
    outcome: dict[str, Any] = {"index": job.index, "supplier": job.supplier, "attempts": 0}
    try:
        time.sleep(max(0.0, job.start - time.time()))
        client = Client(rush.url, job.api_key, log_key=rush.log_key)
        bid = {"lots": [{"lot": rush.lot, "amount": job.amount, "currency": rush.currency}]}
        outcome["started"] = time.time()
        while True:
            outcome["attempts"] += 1
            try:
                receipt = client.submit(
                    rush.ocid,
                    bid,
                    [Path(rush.document)],
                    job.idempotency_key,
                    state_dir=Path(rush.state_dir),
                )
            except ClientError as error:
                if error.code in TRANSIENT and time.time() < rush.give_up:
                    time.sleep(0.5)
                    continue
                outcome.update(
                    kind="refused" if error.code == client_errors.REFUSED else "failed",
                    code=error.code,
                    status=error.status,
                    problem=error.problem_code,
                    message=error.message,
                )
                break
            outcome.update(
                kind="acknowledged",
                receipt={
                    "bid": receipt.bid_id,
                    "commitment": receipt.commitment,
                    "time": receipt.time,
                    "leafIndex": receipt.leaf_index,
                    "receipt": receipt.note,
                    "supplier": job.supplier,
                },
            )
            break
    except BaseException as error:  # a bidder never dies silently: the harness waits for it
        outcome.update(kind="failed", code="crash", message=repr(error))
    outcome["ended"] = time.time()
    events.put(("done", outcome))


# ---------------------------------------------------------------------------------------------
# set-up


def database_recreate(url: str) -> str:
    """Drop and create the database `url` names (its name must contain "bench")."""
    import psycopg  # noqa: PLC0415 (PostgreSQL's driver, only for this step)
    from psycopg import sql  # noqa: PLC0415

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name:
        raise SystemExit("error: --database-url must name a PostgreSQL database")
    if "bench" not in name:
        raise SystemExit(
            f"error: the database {name!r} is dropped first: its name must contain 'bench'"
        )
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = connection.execute("SHOW server_version").fetchone()
    return str(version[0]).split()[0] if version else "?"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(*, work: Path, database_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PREGON_DEBUG", "MEDIA_ROOT", "PREGON_LOG_SIGNER_KEY", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="pregon.settings",
        PREGON_ENV="development",
        PREGON_VAR_DIR=str(work / "var"),
        DATABASE_URL=database_url,
        PREGON_LOG_ORIGIN=LOG_ORIGIN,
        STATIC_ROOT=str(CACHE / "rush-static"),
        SITE_URL=f"http://127.0.0.1:{port}",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "pregon.cli", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def state_directory() -> Iterator[Path]:
    """Where the clients keep their sealed bytes: in memory (/dev/shm) when there is one."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    directory = Path(tempfile.mkdtemp(prefix="pregon-rush-state-", dir=base))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# the run


@dataclass
class Timeline:
    rush_start: float = 0.0
    deadline: float = 0.0
    killed: float = math.inf
    answering: float = math.inf
    groups: int = 0
    processes: int = 0
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    client_cpu: float = 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bidders", type=int, default=500, help="bidders (one supplier each)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds of the rush")
    parser.add_argument("--doc-mb", type=float, default=1.0, help="document size in MiB")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="dropped and created")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the window")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="client processes")
    parser.add_argument(
        "--server-workers", type=int, default=4, help="gunicorn workers of pregon serve"
    )
    parser.add_argument("--lead", type=float, default=15.0, help="seconds before the rush")
    parser.add_argument("--sample", type=int, default=3, help="stored bids to open")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    if args.bidders < 1 or args.window <= 0 or not 0 < args.kill_at < 1 or args.workers < 1:
        parser.error("--bidders, --window and --workers must be positive, --kill-at in (0, 1)")

    work = Path(tempfile.mkdtemp(prefix="pregon-rush-"))
    try:
        return run(args, work)
    finally:
        if args.keep:
            progress(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    load_before = load_avg()
    port = free_port()
    env = server_env(work=work, database_url=args.database_url, port=port)
    progress(f"load average {load_before}; work directory {work}")
    progress(f"dropping and creating {args.database_url} ...")
    postgres = database_recreate(args.database_url)
    progress(f"collecting static files into {env['STATIC_ROOT']} ...")
    collect_static(env)

    os.environ.update(env)
    # Only this process publishes: the deadline is seconds away, not the method's ten days.
    os.environ["PREGON_MIN_SUBMISSION_DAYS"] = json.dumps({"open": 0})
    import django  # noqa: PLC0415 (configured from the environment set just above)
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    import deadline_rush_world as world_module  # noqa: PLC0415 (imports the models)

    progress("migrating ...")
    call_command("migrate", verbosity=0)
    progress(f"building the world: a buyer, its committee, {args.bidders:,} suppliers ...")
    started = time.monotonic()
    world = world_module.world_build(bidders=args.bidders, progress=progress)
    progress(f"  built in {time.monotonic() - started:.1f} s")

    size = int(args.doc_mb * 1024 * 1024)
    document = work / "oferta.pdf"
    document.write_bytes(random.Random(args.seed).randbytes(size))
    server = Server(env=env, port=port, workers=args.server_workers, log=work / "server.log")
    sampler = CpuSampler(server, urlsplit(args.database_url).path.lstrip("/"))
    timeline = Timeline()
    amounts = {index: f"{1_000_000 + index * 7}.50" for index in range(args.bidders)}
    try:
        progress(f"starting pregon serve --workers {args.server_workers} on {server.url} ...")
        server.start()
        progress(f"  answering after {server.wait_ready():.1f} s")
        sampler.start()
        with state_directory() as state:
            rush_setup = publish(
                args,
                world,
                world_module=world_module,
                server=server,
                document=document,
                state=state,
            )
            timeline = rush(args, world, server, rush_setup, amounts)
        progress("stopping the server ...")
        server.stop()
    finally:
        with contextlib.suppress(Exception):
            server.kill()
    server_cpu, database_cpu = sampler.seconds()

    progress("checking the database against the receipts ...")
    acknowledged = [o for o in timeline.outcomes if o["kind"] == "acknowledged"]
    checks = world_module.world_check(
        world,
        receipts=[o["receipt"] for o in acknowledged],
        deadline=dt.datetime.fromtimestamp(timeline.deadline, dt.UTC),
        amounts=amounts,
        document=document.read_bytes(),
        sample=args.sample,
        seed=args.seed,
        progress=progress,
    )
    return report(
        args,
        timeline=timeline,
        checks=checks,
        server=server,
        postgres=postgres,
        size=size,
        load_before=load_before,
        cpu=(timeline.client_cpu, server_cpu, database_cpu),
    )


def publish(
    args: argparse.Namespace,
    world: Any,
    *,
    world_module: Any,
    server: Server,
    document: Path,
    state: Path,
) -> tuple[Rush, float, float]:
    """Publish the tender with its deadline ahead; returns the bidders' rush, the deadline
    and the rush's start (time.time(), corrected by the database clock's offset)."""
    database_now = world_module.db_now()
    offset = database_now.timestamp() - time.time()
    deadline = (database_now + dt.timedelta(seconds=args.lead + args.window)).replace(
        microsecond=0
    ) + dt.timedelta(seconds=1)
    tender = world_module.world_publish(world, deadline=deadline)
    progress(f"published {tender.ocid}; deadline {tender.submission_deadline.isoformat()}")
    log_key = format_verifier_key(Client(server.url).log_key())
    committee = None
    for _attempt in range(50):
        try:
            committee = Client(server.url, log_key=log_key).committee(tender.ocid)
            break
        except ClientError as error:
            if error.code != client_errors.NOT_LOGGED:
                raise
            time.sleep(0.2)
    if committee is None:
        raise RuntimeError("the tender's release never reached a signed checkpoint")
    lot = committee.release["tender"]["lots"][0]["id"]
    progress(
        f"  a client sees its committee of {len(committee.members)} ({committee.threshold} "
        f"needed) in the log (leaf {committee.leaf_index} of {committee.tree_size})"
    )
    deadline_local = deadline.timestamp() - offset
    rush_ = Rush(
        url=server.url,
        ocid=tender.ocid,
        lot=str(lot),
        currency=tender.currency,
        log_key=log_key,
        document=str(document),
        state_dir=str(state),
        give_up=deadline_local + max(120.0, args.window),
    )
    return rush_, deadline_local, deadline_local - args.window


def rush(
    args: argparse.Namespace,
    world: Any,
    server: Server,
    setup: tuple[Rush, float, float],
    amounts: dict[int, str],
) -> Timeline:
    rush_, deadline, start = setup
    timeline = Timeline(rush_start=start, deadline=deadline)
    rng = random.Random(args.seed)
    offsets = [rng.uniform(0, args.window) for _ in range(args.bidders)]
    jobs = [
        Job(
            index=index,
            supplier=supplier.organization_id,
            api_key=supplier.api_key,
            idempotency_key=f"rush-{index:05d}-{secrets.token_hex(8)}",
            amount=amounts[index],
            start=start + offsets[index],
        )
        for index, supplier in enumerate(world.suppliers)
    ]
    context = mp.get_context("spawn")
    events = context.Queue()
    workers = min(args.workers, args.bidders)
    processes = [
        context.Process(target=bidders_process, args=(number, jobs[number::workers], rush_, events))
        for number in range(workers)
    ]
    for process in processes:
        process.start()
    progress(
        f"{args.bidders:,} bidders in {workers} processes; the rush starts in "
        f"{start - time.time():.1f} s, the server is killed {args.kill_at * args.window:.1f} s in"
    )
    ready = 0
    while ready < workers:
        kind, *rest = events.get(timeout=120)
        if kind == "ready":
            ready += 1
    if time.time() > start:
        for process in processes:
            process.kill()
        raise RuntimeError(
            f"the bidders were ready {time.time() - start:.1f} s late: give --lead more"
        )

    kill_at = start + args.kill_at * args.window
    restarted: list[threading.Thread] = []
    counts = {"acknowledged": 0, "refused": 0, "failed": 0}
    cpu_reports = 0
    next_report = start + 5
    while len(timeline.outcomes) < args.bidders or cpu_reports < workers:
        now = time.time()
        if now >= kill_at and not restarted:
            restarted.append(_kill_and_restart(server, timeline))
        if now >= next_report and len(timeline.outcomes) < args.bidders:
            progress(
                f"  {now - start:+6.1f} s  acknowledged {counts['acknowledged']:,}  refused "
                f"{counts['refused']:,}  failed {counts['failed']:,}  of {args.bidders:,}"
            )
            next_report += 5
        try:
            kind, *rest = events.get(timeout=0.1)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                raise RuntimeError(
                    "the bidder processes ended without reporting every bidder"
                ) from None
            continue
        if kind == "done":
            timeline.outcomes.append(rest[0])
            counts[rest[0]["kind"]] += 1
        elif kind == "cpu":
            cpu_reports += 1
            timeline.client_cpu += rest[1]
    for process in processes:
        process.join()
    for thread in restarted:
        thread.join()
    last = max((o["ended"] for o in timeline.outcomes), default=now)
    progress(
        f"  {last - start:+6.1f} s  acknowledged {counts['acknowledged']:,}  refused "
        f"{counts['refused']:,}  failed {counts['failed']:,}  of {args.bidders:,}: done"
    )
    return timeline


def _kill_and_restart(server: Server, timeline: Timeline) -> threading.Thread:
    timeline.killed = time.time()
    timeline.groups, timeline.processes = server.kill()
    progress(
        f"  {timeline.killed - timeline.rush_start:+6.1f} s  SIGKILL to the server's "
        f"{timeline.groups} process groups ({timeline.processes} processes); restarting"
    )
    server.start()

    def wait() -> None:
        server.wait_ready()
        timeline.answering = time.time()
        progress(
            f"  {timeline.answering - timeline.rush_start:+6.1f} s  the server answers again "
            f"({timeline.answering - timeline.killed:.1f} s after the kill)"
        )

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


# ---------------------------------------------------------------------------------------------
# the figures


def report(
    args: argparse.Namespace,
    *,
    timeline: Timeline,
    checks: Any,
    server: Server,
    postgres: str,
    size: int,
    load_before: str,
    cpu: tuple[float, float, float],
) -> int:
    outcomes = timeline.outcomes
    acknowledged = [o for o in outcomes if o["kind"] == "acknowledged"]
    refused = [o for o in outcomes if o["kind"] == "refused"]
    failed = [o for o in outcomes if o["kind"] == "failed"]
    start = timeline.rush_start

    def latency(items: list[dict[str, Any]]) -> list[float]:
        return [(o["ended"] - o["started"]) * 1000 for o in items]

    outside = [
        o for o in acknowledged if o["ended"] < timeline.killed or o["started"] > timeline.answering
    ]
    across = [o for o in acknowledged if o not in outside]
    answers = server.submission_answers()
    last = max((o["ended"] for o in outcomes), default=start)

    print(
        f"deadline rush: {args.bidders:,} bidders in the last {args.window:g} s before the "
        f"deadline, a {size / 1024 / 1024:g} MiB document each ({size:,} bytes); PostgreSQL "
        f"{postgres}"
    )
    print(
        f"server: pregon serve --workers {args.server_workers} (gunicorn, task worker, witness) "
        f"on {os.cpu_count()} CPUs; clients: {min(args.workers, args.bidders)} processes, "
        f"pregon.client (chunks of {DEFAULT_CHUNK // 1024} KiB, {DEFAULT_RETRIES} retries)"
    )
    print(f"load average before {load_before}")
    print(
        f"kill: SIGKILL at {timeline.killed - start:+.1f} s to {timeline.groups} process groups "
        f"({timeline.processes} processes); answering again at {timeline.answering - start:+.1f} s "
        f"({timeline.answering - timeline.killed:.1f} s later); last answer at {last - start:+.1f} s"
    )
    before_kill = sum(1 for o in acknowledged if o["ended"] < timeline.killed)
    print(
        f"rate: bidders arrive at {args.bidders / args.window:.1f}/s; acknowledged "
        f"{before_kill / max(min(timeline.killed, last) - start, 1e-9):.1f}/s before the kill"
    )
    print("submissions")
    print(f"  acknowledged (receipts held)        {len(acknowledged):7,}")
    refusals: dict[str, int] = {}
    for o in refused:
        refusals[o["problem"] or str(o["status"])] = (
            refusals.get(o["problem"] or str(o["status"]), 0) + 1
        )
    print(
        f"  refused                             {len(refused):7,}   "
        + (", ".join(f"{code} {n}" for code, n in sorted(refusals.items())) or "-")
    )
    print(f"  failed (no answer, or a crash)      {len(failed):7,}")
    for o in failed[:5]:
        print(f"    bidder {o['index']}: {o.get('code')}: {o.get('message')}")
    restarted = sum(1 for o in outcomes if o["attempts"] > 1)
    print(f"  started again after a failure       {restarted:7,}   (same idempotency key)")
    print(
        "  server answers to POST .../bids     "
        + ", ".join(f"{status}: {n:,}" for status, n in sorted(answers.items()))
        + "   (200: a repeat answered with the first receipt)"
    )
    print("database")
    print(f"  stored                              {checks.stored:7,}")
    print(f"  lost (acknowledged, not stored)     {len(checks.lost):7,}")
    print(
        f"  duplicated                          {checks.duplicated:7,}   (extra rows per supplier "
        f"{checks.extra_per_supplier}, per idempotency key {checks.extra_per_key}; most live bids "
        f"of one supplier {checks.live_per_supplier_max})"
    )
    print(
        f"  late_accepted                       {checks.late_accepted:7,}   (received at or after "
        f"the deadline {len(checks.late_stored)}, receipts dated at or after it "
        f"{len(checks.late_receipts)})"
    )
    print(f"  stored without a receipt held       {checks.stored_without_receipt:7,}")
    print(
        f"  documents intact on disk            {checks.documents_checked:7,}   "
        f"({checks.documents_bytes / 1e6:,.1f} MB hashed)"
    )
    print(
        f"  log leaves matching the stored bids {checks.leaves_checked - len(checks.leaves_wrong):7,}"
        f"   of {checks.leaves_checked:,} (bid leaves in the log: {checks.bid_leaves:,})"
    )
    print(f"  uploads left unused                 {checks.uploads_left:7,}")
    print(
        f"  opened with 2 of the 3 keys         {len(checks.opened):7,}   of "
        f"{len(checks.opened) + len(checks.open_failures)} sampled: the amount and document sent"
    )
    for problem in checks.open_failures:
        print(f"    {problem}")
    print("latency of acknowledged submissions (Client.submit, first call to verified receipt)")
    print("                                        count    p50 ms    p99 ms    max ms")
    for label, items in (
        ("all", acknowledged),
        ("outside the restart window", outside),
        ("under way across the restart", across),
    ):
        values = latency(items)
        print(
            f"  {label:<34} {len(values):7,} {percentile(values, 50):9.0f} "
            f"{percentile(values, 99):9.0f} {max(values, default=math.nan):9.0f}"
        )
    client_cpu, server_cpu, database_cpu = cpu
    span = max(last - start, 1e-9)
    print(
        f"cpu (user + system) over the {span:.1f} s rush: clients {client_cpu:.1f} s "
        f"({client_cpu / span:.2f} CPUs), server {server_cpu:.1f} s ({server_cpu / span:.2f} "
        f"CPUs, from its first start to its stop), database backends {database_cpu:.1f} s"
    )
    print(f"load average after {load_avg()}")
    values = latency(outside)
    print(
        f"acknowledged={len(acknowledged)} stored={checks.stored} lost={len(checks.lost)} "
        f"duplicated={checks.duplicated} late_accepted={checks.late_accepted} "
        f"p50_ms={percentile(values, 50):.0f} p99_ms={percentile(values, 99):.0f}"
    )
    broken = (
        checks.lost
        or checks.duplicated
        or checks.late_accepted
        or checks.leaves_wrong
        or checks.open_failures
    )
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
