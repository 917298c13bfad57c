"""Benchmark the public pages through the real server, beside a static file, on N tenders.

1. Builds (or reuses) a world of N published tenders stored as the platform stores them
   (`pages_world.py`: buyers, tenders, lots, items, releases, records and the search index),
   in `$PREGON_BENCH_CACHE/pages-N-SEED-sqlite/` or, with `--backend postgresql`, in the
   database of `--database-url` (its name must contain "bench": its tables are dropped and
   it is filled, and kept while it holds the same N tenders). A reused world is migrated first, so new indexes
   apply to it.
2. Starts `pregon serve` in production mode (`PREGON_ENV=production`, DEBUG off, static files
   collected and served by WhiteNoise, the cache on the local Redis), with gunicorn's
   `--workers` and without the task worker (`--no-worker`: no task is due in this world).
3. With `--clients` concurrent clients (threads, one keep-alive HTTP connection each when the
   server keeps it), measures for `--seconds` each, after a warm-up, one page kind after the
   other: a static file, the tender list with facet filters, a search, a tender page (a random
   one each time) and the home page, in the four languages.

Usage: .venv/bin/python benchmarks/pages.py --tenders N --backend sqlite|postgresql
       [--database-url postgres://postgres@127.0.0.1:5432/h_pagesbench] [--seconds 15]
       [--clients 8] [--workers 2] [--port 8765] [--rebuild] [--page-cache-seconds 60]

The public pages are kept whole for visitors who are not signed in (ADR 0021), as the clients
are: the first visit to each address renders it, the next ones are served from the cache until
it expires. `--page-cache-seconds 0` turns that off, to measure every page rendered (what a
signed-in person gets).

Prints per page requests per second, p50 and p99 latency, the ratio to the static file's rate,
the share of answers served from the pages cache ("kept"),
and ends with the line
`static_rps=… list_rps=… list_p99_ms=… search_p99_ms=… tender_p99_ms=… home_p99_ms=…`.
Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import secrets
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import django
from pages_world import build, progress
from search_world import SEED

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("PREGON_BENCH_CACHE", "/tmp/pregon-bench"))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/h_pagesbench"
STATIC_FILE = "vendor/uswds/img/usa-icons-bg/search--white.svg"
#: The tender list with two or three facet filters (no words), in the four languages.
LIST_QUERIES = [
    "/en/tenders/?status=active&category=goods&country=CL",
    "/es/tenders/?category=services&country=BR&method=open",
    "/pt-br/tenders/?status=closed&language=pt&category=works",
    "/fr/tenders/?method=open&country=FR",
]
#: Searches: words in each language, two words, a misspelling.
SEARCH_QUERIES = [
    "/es/tenders/?q=jeringas",
    "/en/tenders/?q=laptop",
    "/pt-br/tenders/?q=merenda+escolar",
    "/fr/tenders/?q=nettoyage",
    "/es/tenders/?q=hospital",
    "/en/tenders/?q=road+resurfacing",
]
HOME_PAGES = ["/es/", "/en/", "/pt-br/", "/fr/"]
LANGUAGES = ["es", "en", "pt-br", "fr"]
PAGES = ("static", "list", "search", "tender", "home")


def load_avg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------
# the world and the server's environment


def server_environment(args: argparse.Namespace, work: Path) -> dict[str, str]:
    """Production settings for this machine: what docs/operations.md asks, on plain HTTP."""
    site = f"http://127.0.0.1:{args.port}"
    env = {
        "PREGON_ENV": "production",
        "PREGON_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of this benchmark
        "PREGON_VAR_DIR": str(work),
        "STATIC_ROOT": str(CACHE / "pages-static"),
        "REDIS_URL": os.environ.get("PREGON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # A fresh prefix: nothing cached by an earlier run is read back.
        "CACHE_KEY_PREFIX": f"pagesbench-{os.getpid()}-{int(time.time())}",
        "PREGON_LOG_ORIGIN": "bench.example/pregon/log",
        "PREGON_OCID_PREFIX": "ocds-b3nch1",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(args.workers),
        # The product's default unless asked otherwise: 0 measures every page rendered.
        "PREGON_PAGE_CACHE_SECONDS": str(args.page_cache_seconds),
    }
    keygen = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pregon"),
            "log",
            "keygen",
            "--origin",
            env["PREGON_LOG_ORIGIN"],
        ],
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=True,
    )
    env["PREGON_LOG_SIGNER_KEY"] = next(
        line for line in keygen.stdout.splitlines() if line.startswith("PRIVATE+KEY+")
    )
    if args.backend == "postgresql":
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'pregon.sqlite3'}"
    return env


def prepare(args: argparse.Namespace) -> tuple[Path, dict[str, str], dict[str, object]]:
    """The world of N tenders, built when not cached; returns its folder, the server's
    environment and the build's facts."""
    work = CACHE / f"pages-{args.tenders}-{SEED}-{args.backend}"
    if args.rebuild and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    if args.backend == "postgresql" and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        raise SystemExit("the PostgreSQL database's name must contain 'bench' (it is emptied)")
    env = server_environment(args, work)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pregon.settings"
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup)

    from pregon.tenders.models import Tender  # noqa: PLC0415

    built = work / "built.json"
    if built.exists():
        call_command("migrate", verbosity=0)
        if Tender.objects.count() != args.tenders:
            built.unlink()
    if not built.exists():
        progress(f"building {args.tenders:,} published tenders in {work} ...")
        if args.backend == "postgresql":
            # Emptied by dropping its tables: `flush` truncates, which the append-only
            # tables' triggers refuse.
            from django.db import connection  # noqa: PLC0415 (after django.setup)

            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        seconds = build(args.tenders)
        size = _database_size(args.backend, work)
        built.write_text(json.dumps({"tenders": args.tenders, "seconds": round(seconds, 1)} | size))
    progress("collecting the static files ...")
    call_command("collectstatic", interactive=False, verbosity=0)
    facts: dict[str, object] = json.loads(built.read_text())
    return work, env, facts


def _database_size(backend: str, work: Path) -> dict[str, int]:
    from django.db import connection  # noqa: PLC0415 (after django.setup)

    if backend == "sqlite":
        return {"megabytes": (work / "pregon.sqlite3").stat().st_size // 1_000_000}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return {"megabytes": int(cursor.fetchone()[0]) // 1_000_000}


def tender_ids(count: int) -> list[int]:
    """`count` tender ids drawn at random (the same ones each run)."""
    from pregon.tenders.models import Tender  # noqa: PLC0415 (after django.setup)

    ids = Tender.objects.order_by("pk").values_list("pk", flat=True)
    low, high = ids.first(), ids.last()
    assert low is not None and high is not None
    rnd = random.Random(SEED)
    return [rnd.randint(low, high) for _ in range(count)]


def static_path(env: dict[str, str]) -> str:
    manifest = json.loads((Path(env["STATIC_ROOT"]) / "staticfiles.json").read_text())
    return f"/static/{manifest['paths'][STATIC_FILE]}"


# ---------------------------------------------------------------------------------------------
# the server


def server_start(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "pregon"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--no-worker",
    ]
    log = (CACHE / f"pages-server-{args.port}.log").open("wb")
    server = subprocess.Popen(
        command, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"pregon serve stopped (exit {server.returncode}); see {log.name}")
        try:
            status, _body, _kept = fetch(http.client.HTTPConnection("127.0.0.1", args.port), "/es/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"pregon serve did not answer in 120 s; see {log.name}")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes, str]:
    """The status, body and `X-Page-Cache` header (hit, miss, pass; "" for a static file)."""
    connection.request("GET", path, headers={"Accept-Encoding": "gzip, br"})
    response = connection.getresponse()
    body = response.read()
    if response.will_close:
        connection.close()
    return response.status, body, response.getheader("X-Page-Cache", "")


# ---------------------------------------------------------------------------------------------
# the load


@dataclass
class Outcome:
    """What one page kind got: each answered request's latency, and the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: The measured answers by their `X-Page-Cache` header: hit, miss, pass.
    cache: dict[str, int] = field(default_factory=dict)

    @property
    def hits(self) -> str:
        """The share of measured answers served from the pages cache ("-" for a static file)."""
        answered = sum(self.cache.values())
        if not answered or not any(self.cache):
            return "-"
        return f"{100 * self.cache.get('hit', 0) / answered:.0f}%"

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def load(
    port: int, paths: Sequence[str], *, clients: int, seconds: float, warmup: float
) -> Outcome:
    """`clients` threads asking for `paths` (each its own random sequence) for `warmup`
    seconds unmeasured, then `seconds` measured."""
    outcome = Outcome()
    lock = threading.Lock()
    start = time.monotonic() + warmup
    stop = start + seconds

    def client(number: int) -> None:
        rnd = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies: list[float] = []
        errors: dict[str, int] = {}
        kept: dict[str, int] = {}
        while True:
            path = rnd.choice(paths)
            began = time.monotonic()
            if began >= stop:
                break
            cached = ""
            try:
                status, _body, cached = fetch(connection, path)
                failure = "" if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                failure = type(error).__name__
            ended = time.monotonic()
            if began >= start:
                if failure:
                    errors[failure] = errors.get(failure, 0) + 1
                else:
                    latencies.append(ended - began)
                    kept[cached] = kept.get(cached, 0) + 1
        with lock:
            outcome.latencies.extend(latencies)
            for key, value in kept.items():
                outcome.cache[key] = outcome.cache.get(key, 0) + value
            for key, value in errors.items():
                outcome.errors[key] = outcome.errors.get(key, 0) + value

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = seconds
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tenders", type=int, required=True)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured time per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=60,
        help="PREGON_PAGE_CACHE_SECONDS of the server (0: every page rendered, as signed in)",
    )
    args = parser.parse_args()

    work, env, facts = prepare(args)
    from django.db import connection  # noqa: PLC0415 (after django.setup)

    tenders = tender_ids(500)
    static = static_path(env)
    connection.close()
    kinds: dict[str, list[str]] = {
        "static": [static],
        "list": LIST_QUERIES,
        "search": SEARCH_QUERIES,
        "tender": [f"/{LANGUAGES[n % 4]}/tenders/{pk}/" for n, pk in enumerate(tenders)],
        "home": HOME_PAGES,
    }
    where = f"{work / 'pregon.sqlite3'}" if args.backend == "sqlite" else args.database_url
    print(
        f"pages: {args.tenders:,} tenders on {args.backend}, {facts.get('megabytes', '?')} MB,"
        f" built in {facts['seconds']} s; {where}"
    )
    print(
        f"server: pregon serve in production mode (PREGON_ENV=production, DEBUG off, static"
        f" files collected, cache on Redis, public pages kept {args.page_cache_seconds} s),"
        f" {args.workers} gunicorn workers, --no-worker;"
        f" {args.clients} concurrent clients (threads), {args.seconds:g} s a page after"
        f" {args.warmup:g} s of warm-up"
    )
    print(f"load average before {load_avg()}")
    progress("starting pregon serve ...")
    server = server_start(args, env)
    outcomes: dict[str, Outcome] = {}
    try:
        for kind in PAGES:
            progress(f"  {kind} ...")
            outcomes[kind] = load(
                args.port,
                kinds[kind],
                clients=args.clients,
                seconds=args.seconds,
                warmup=args.warmup,
            )
    finally:
        server_stop(server)
    static_rps = outcomes["static"].rps
    print()
    print(
        f"  {'page':<8} {'example':<58} {'requests':>8} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'/static':>8} {'kept':>5}  errors"
    )
    for kind in PAGES:
        outcome = outcomes[kind]
        p50 = percentile(outcome.latencies, 50) * 1000
        p99 = percentile(outcome.latencies, 99) * 1000
        ratio = outcome.rps / static_rps if static_rps else math.nan
        errors = ", ".join(f"{key} x{value}" for key, value in outcome.errors.items()) or "-"
        print(
            f"  {kind:<8} {kinds[kind][0]:<58} {len(outcome.latencies):>8,} {outcome.rps:>8.1f}"
            f" {p50:>8.1f} {p99:>8.1f} {ratio:>7.2f}x {outcome.hits:>5}  {errors}"
        )
    print()
    met = []
    for kind in PAGES[1:]:
        outcome = outcomes[kind]
        p99 = percentile(outcome.latencies, 99) * 1000
        ok = p99 < 100 and outcome.rps >= static_rps / 3 and not outcome.errors
        met.append(ok)
        print(
            f"  target {kind}: p99 under 100 ms and at least a third of the static file's rate:"
            f" {'met' if ok else 'NOT MET'}"
        )
    print(f"load average after {load_avg()}")
    print(
        f"static_rps={static_rps:.1f} list_rps={outcomes['list'].rps:.1f}"
        f" list_p99_ms={percentile(outcomes['list'].latencies, 99) * 1000:.1f}"
        f" search_p99_ms={percentile(outcomes['search'].latencies, 99) * 1000:.1f}"
        f" tender_p99_ms={percentile(outcomes['tender'].latencies, 99) * 1000:.1f}"
        f" home_p99_ms={percentile(outcomes['home'].latencies, 99) * 1000:.1f}"
    )


if __name__ == "__main__":
    main()
