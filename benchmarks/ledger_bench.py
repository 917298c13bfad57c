"""Benchmark the transparency log core against the physical limit of hashing the same bytes.

Appends N random 300-byte leaves (default 1,000,000) to a MerkleLog over the in-memory node
store in batches, then measures inclusion and consistency proofs at that size (generation and
verification, median and p99). For comparison it hashes the same leaves with plain ``hashlib``
in one process: one leaf hash per leaf plus the N - 1 interior node hashes any Merkle tree
needs, with no storage at all. The ratio of the two is how far the log is from that limit.

Usage: .venv/bin/python benchmarks/ledger_bench.py [--leaves 1000000] [--batch 10000]
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from pregon.tlog.merkle import MemoryNodeStore, MerkleLog, leaf_hash, verify_consistency
from pregon.tlog.merkle import verify_inclusion as verify_inclusion_proof

LEAF_SIZE = 300


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_leaves(count: int, seed: int) -> list[bytes]:
    """Random leaves made before any timing, so generation cost is never measured."""
    rng = random.Random(seed)
    leaves: list[bytes] = []
    for start in range(0, count, 10_000):
        # randbytes() overflows on a single 300 MB request, so draw it in blocks.
        block = rng.randbytes(min(10_000, count - start) * LEAF_SIZE)
        leaves.extend(block[i : i + LEAF_SIZE] for i in range(0, len(block), LEAF_SIZE))
    return leaves


def hashlib_baseline(leaves: Sequence[bytes]) -> bytes:
    """The least work a Merkle root needs: N leaf hashes and N - 1 node hashes, nothing stored."""
    sha256 = hashlib.sha256
    level = [sha256(b"\x00" + data).digest() for data in leaves]
    while len(level) > 1:
        paired = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            # An unpaired right-edge node moves up unchanged, which yields the RFC 9162 root.
            paired.append(level[-1])
        level = paired
    return level[0]


def append_all(leaves: Sequence[bytes], batch: int) -> MerkleLog:
    log = MerkleLog(MemoryNodeStore())
    step = max(len(leaves) // 10, batch)
    next_report = step
    for start in range(0, len(leaves), batch):
        log.append_many(leaves[start : start + batch])
        if log.size >= next_report:
            progress(f"  appended {log.size:,} / {len(leaves):,}")
            next_report += step
    return log


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def summary(label: str, seconds: list[float]) -> str:
    micro = [s * 1e6 for s in seconds]
    p99 = statistics.quantiles(micro, n=100)[98] if len(micro) > 1 else micro[0]
    return f"{label:<34} median {statistics.median(micro):8.1f} µs   p99 {p99:8.1f} µs"


def bench_inclusion(
    log: MerkleLog, leaves: Sequence[bytes], count: int, rng: random.Random
) -> None:
    size = log.size
    root = log.root()
    generate: list[float] = []
    verify: list[float] = []
    lengths: list[int] = []
    for _ in range(count):
        index = rng.randrange(size)
        start = time.perf_counter()
        proof = log.inclusion_proof(index, size)
        middle = time.perf_counter()
        verify_inclusion_proof(
            leaf_hash=leaf_hash(leaves[index]), index=index, size=size, proof=proof, root=root
        )
        end = time.perf_counter()
        generate.append(middle - start)
        verify.append(end - middle)
        lengths.append(len(proof))
    print(f"inclusion proofs at size {size:,} ({count} random leaves, {max(lengths)} hashes max)")
    print("  " + summary("generate", generate))
    print("  " + summary("verify (incl. leaf hash)", verify))
    print(
        "  " + summary("generate + verify", [g + v for g, v in zip(generate, verify, strict=True)])
    )


def bench_consistency(log: MerkleLog, count: int, rng: random.Random) -> None:
    size = log.size
    root = log.root()
    generate: list[float] = []
    verify: list[float] = []
    for _ in range(count):
        first = rng.randrange(1, size)
        # The verifier already holds the old root from its saved checkpoint: not timed.
        first_root = log.root(first)
        start = time.perf_counter()
        proof = log.consistency_proof(first, size)
        middle = time.perf_counter()
        verify_consistency(
            first=first, second=size, first_root=first_root, second_root=root, proof=proof
        )
        end = time.perf_counter()
        generate.append(middle - start)
        verify.append(end - middle)
    print(f"consistency proofs to size {size:,} ({count} random first sizes)")
    print("  " + summary("generate", generate))
    print("  " + summary("verify", verify))
    print(
        "  " + summary("generate + verify", [g + v for g, v in zip(generate, verify, strict=True)])
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=1_000_000, help="leaves to append")
    parser.add_argument("--batch", type=int, default=10_000, help="leaves per append batch")
    parser.add_argument("--proofs", type=int, default=1_000, help="proofs of each kind to time")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.leaves < 2:
        parser.error("--leaves must be at least 2")

    progress(f"making {args.leaves:,} random {LEAF_SIZE}-byte leaves ...")
    leaves = make_leaves(args.leaves, args.seed)

    progress("hashing with plain hashlib ...")
    baseline_root = b""

    def run_baseline() -> None:
        nonlocal baseline_root
        baseline_root = hashlib_baseline(leaves)

    baseline_seconds = timed(run_baseline)

    progress(f"appending to MerkleLog(MemoryNodeStore()) in batches of {args.batch:,} ...")
    logs: list[MerkleLog] = []
    append_seconds = timed(lambda: logs.append(append_all(leaves, args.batch)))
    log = logs[0]
    if log.root() != baseline_root:
        print("error: the log's root differs from the hashlib baseline root", file=sys.stderr)
        return 1

    n = args.leaves
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"leaves: {n:,} x {LEAF_SIZE} bytes, append batches of {args.batch:,}")
    print(f"root at size {n:,}: {log.root().hex()} (identical in both runs)")
    print(
        f"hashlib baseline (N leaf + N-1 node hashes): {baseline_seconds:7.2f} s  "
        f"{n / baseline_seconds:12,.0f} leaves/s"
    )
    print(
        f"MerkleLog append, in-memory store:           {append_seconds:7.2f} s  "
        f"{n / append_seconds:12,.0f} appends/s"
    )
    print(f"ratio (append time / hashlib time):          {append_seconds / baseline_seconds:7.2f}x")

    progress(f"timing {args.proofs:,} inclusion and {args.proofs:,} consistency proofs ...")
    rng = random.Random(args.seed + 1)
    bench_inclusion(log, leaves, args.proofs, rng)
    bench_consistency(log, args.proofs, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
