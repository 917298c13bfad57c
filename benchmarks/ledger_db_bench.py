"""Benchmark the transparency log in the database: appends per second and proof latency.

Builds a fresh database (SQLite in a temporary directory by default; PostgreSQL with
``--database-url``), then:

1. appends N leaves (default 100,000 random 300-byte leaves) through
   ``pregon.ledger.services.leaves_append`` in batches (default 1,000): each batch is one
   transaction that locks the head, writes the leaves and nodes, and signs a checkpoint on
   commit, exactly as publication uses it;
2. appends a few thousand single leaves with ``leaf_append``, one transaction each (the rate of
   one release published per transaction);
3. times inclusion proofs (leaf looked up by hash, proof read from the node table) and
   consistency proofs at the final size, through the selectors and through HTTP views
   (Django's test client, no network), median and p99;
4. compares with hashing the same leaves with plain ``hashlib`` in one process (N leaf hashes
   plus N - 1 node hashes, nothing stored): the physical limit.

Usage: .venv/bin/python benchmarks/ledger_db_bench.py [--leaves 100000] [--batch 1000]
       [--singles 2000] [--proofs 1000] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection
from django.test import Client
from ledger_bench import LEAF_SIZE, hashlib_baseline, make_leaves, progress

from pregon.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion


def summary(label: str, seconds: list[float]) -> str:
    micro = [s * 1e6 for s in seconds]
    p99 = statistics.quantiles(micro, n=100)[98] if len(micro) > 1 else micro[0]
    return f"{label:<40} median {statistics.median(micro):9.1f} µs   p99 {p99:9.1f} µs"


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def setup_django(work: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pregon.settings"
    os.environ["PREGON_ENV"] = "development"
    os.environ["DEBUG"] = "0"  # DEBUG records every query and its parameters: not production
    os.environ["PREGON_VAR_DIR"] = str(work)
    os.environ["PREGON_LOG_ORIGIN"] = "bench.example/pregon/log"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    django.setup()

    progress("migrating a fresh database ...")
    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=100_000, help="leaves appended in batches")
    parser.add_argument("--batch", type=int, default=1_000, help="leaves per batch transaction")
    parser.add_argument("--singles", type=int, default=2_000, help="single-leaf transactions")
    parser.add_argument("--proofs", type=int, default=1_000, help="proofs of each kind to time")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url",
        help="an EMPTY PostgreSQL database to use (it is flushed); default: SQLite in a temp dir",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pregon-ledger-bench-") as directory:
        work = Path(directory)
        setup_django(work, args.database_url)
        return run(args, work)


def run(args: argparse.Namespace, work: Path) -> int:
    # The ledger's modules define models: they load only once setup_django() has configured
    # the settings (from the command line) and filled the app registry.
    from pregon.ledger import selectors, services  # noqa: PLC0415
    from pregon.ledger.models import SignedCheckpoint  # noqa: PLC0415
    from pregon.ledger.services import LeafData  # noqa: PLC0415

    progress(f"making {args.leaves + args.singles:,} random {LEAF_SIZE}-byte leaves ...")
    leaves = make_leaves(args.leaves + args.singles, args.seed)
    batched, singles = leaves[: args.leaves], leaves[args.leaves :]

    progress("hashing with plain hashlib ...")
    baseline = timed(lambda: hashlib_baseline(batched))

    progress(f"appending {args.leaves:,} leaves in batches of {args.batch:,} ...")
    step = max(args.leaves // 10, args.batch)

    def append_batches() -> None:
        for start in range(0, len(batched), args.batch):
            chunk = batched[start : start + args.batch]
            services.leaves_append(
                entries=[
                    LeafData(kind="release", data=data, ref=f"ocds-bench-{start + i}")
                    for i, data in enumerate(chunk)
                ]
            )
            if (start + len(chunk)) % step == 0:
                progress(f"  appended {start + len(chunk):,}")

    batch_seconds = timed(append_batches)
    checkpoints = SignedCheckpoint.objects.count()
    size = selectors.log_size()
    if selectors.log_tree().root() != _root(batched):
        print("error: the database log's root differs from the hashlib root", file=sys.stderr)
        return 1

    progress(f"appending {args.singles:,} single leaves, one transaction each ...")
    single_times: list[float] = []
    for n, data in enumerate(singles):
        start = time.perf_counter()
        services.leaf_append(kind="release", data=data, ref=f"ocds-single-{n}")
        single_times.append(time.perf_counter() - start)

    size = selectors.log_size()
    tree = selectors.log_tree()
    root = tree.root()
    rng = random.Random(args.seed + 1)
    progress(f"timing {args.proofs:,} inclusion and consistency proofs at size {size:,} ...")
    inclusion: list[float] = []
    consistency: list[float] = []
    for _ in range(args.proofs):
        index = rng.randrange(args.leaves)
        value = leaf_hash(leaves[index])
        start = time.perf_counter()
        proof = selectors.inclusion_proof(leaf_hash=value, tree_size=size)
        inclusion.append(time.perf_counter() - start)
        verify_inclusion(leaf_hash=value, index=index, size=size, proof=proof.hashes, root=root)
        first = rng.randrange(1, size)
        start = time.perf_counter()
        hashes = selectors.consistency_proof(first=first, second=size)
        consistency.append(time.perf_counter() - start)
        verify_consistency(
            first=first, second=size, first_root=tree.root(first), second_root=root, proof=hashes
        )

    client = Client()
    http_inclusion: list[float] = []
    http_checkpoint: list[float] = []
    for _ in range(min(args.proofs, 500)):
        value = leaf_hash(leaves[rng.randrange(args.leaves)]).hex()
        start = time.perf_counter()
        response = client.get(f"/log/proof/inclusion?leaf_hash={value}&tree_size={size}")
        http_inclusion.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
        start = time.perf_counter()
        assert client.get("/log/checkpoint").status_code == 200
        http_checkpoint.append(time.perf_counter() - start)

    database_bytes = _database_size(connection, work)
    n = args.leaves
    print(f"Python {platform.python_version()} on {platform.machine()}, {connection.vendor}")
    print(
        f"leaves: {n:,} x {LEAF_SIZE} bytes in batches of {args.batch:,}, then {args.singles:,} single"
    )
    print(
        f"hashlib baseline (N leaf + N-1 node hashes):  {baseline:7.2f} s  "
        f"{n / baseline:12,.0f} leaves/s"
    )
    print(
        f"database log, batched appends:                {batch_seconds:7.2f} s  "
        f"{n / batch_seconds:12,.0f} appends/s  ({checkpoints:,} checkpoints signed)"
    )
    print(f"ratio (batched append time / hashlib time):   {batch_seconds / baseline:7.1f}x")
    total_single = sum(single_times)
    print(
        f"database log, one leaf per transaction:       {total_single:7.2f} s  "
        f"{len(singles) / total_single:12,.0f} appends/s (incl. a checkpoint per commit)"
    )
    print("  " + summary("leaf_append (one transaction)", single_times))
    print(f"proofs at size {size:,} ({args.proofs:,} random each; verified, not timed)")
    print("  " + summary("inclusion (lookup by hash + proof)", inclusion))
    print("  " + summary("consistency", consistency))
    print("  " + summary("HTTP GET /log/proof/inclusion", http_inclusion))
    print("  " + summary("HTTP GET /log/checkpoint", http_checkpoint))
    if database_bytes:
        print(
            f"database size: {database_bytes / 1e6:,.1f} MB "
            f"({database_bytes / size:,.0f} bytes per leaf, all tables and indexes)"
        )
    return 0


def _root(leaves: Sequence[bytes]) -> bytes:
    return hashlib_baseline(leaves)


def _database_size(connection: object, work: Path) -> int:
    vendor = getattr(connection, "vendor", "")
    if vendor == "sqlite":
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(path.stat().st_size for path in work.glob("pregon.sqlite3*"))
    if vendor == "postgresql":
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
