"""Benchmark: peak memory of ``pregon ocds compile`` and ``flatten`` on a ~2 GB input (target < 300 MB).

    .venv/bin/python benchmarks/ocds_memory.py [--copies 13]

The input repeats the ~160 MB workload ``--copies`` times, each copy with new ocids (and so new
release ids), giving about a million releases in about 250,000 processes. It is written once to the
benchmark cache. Peak memory is the largest resident size summed over the command's process tree
(its worker processes included), sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocds_common import CACHE, PYTHON, load_avg, run, workload

LIMIT_MB = 300
PREFIX = b"ocds-x7k2q9-"


def big_input(copies: int) -> Path:
    """Write (once) the workload repeated ``copies`` times with new ocids; return its path."""
    target = CACHE / f"ocds-x{copies}.jsonl"
    if target.is_file():
        return target
    source = workload() / "releases.jsonl"
    partial = target.with_suffix(".partial")
    print(f"writing {target} ...", flush=True)
    with partial.open("wb") as out:
        for copy in range(copies):
            replacement = PREFIX + b"c%02d" % copy
            with source.open("rb") as f:
                out.writelines(line.replace(PREFIX, replacement) for line in f)
    partial.rename(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--copies", type=int, default=13, help="how many copies of the workload (13: ~2 GB)"
    )
    args = parser.parse_args()
    source = big_input(args.copies)
    print(f"input: {source} ({source.stat().st_size / 2**30:.2f} GB); load average {load_avg()}\n")
    ok = True
    with tempfile.TemporaryDirectory(prefix="pregon-bench-") as tmp:
        out = Path(tmp)
        compiled = run(
            "pregon ocds compile",
            [PYTHON, "-m", "pregon.ocds", "compile", str(source)],
            stdout=out / "compiled.jsonl",
        )
        lines = sum(1 for _ in (out / "compiled.jsonl").open("rb"))
        print(f"    {lines} compiled releases written")
        (out / "compiled.jsonl").unlink()
        flattened = run(
            "pregon ocds flatten --format csv",
            [
                PYTHON,
                "-m",
                "pregon.ocds",
                "flatten",
                "--format",
                "csv",
                "--out",
                str(out / "tables"),
                str(source),
            ],
        )
    print(f"\npeak memory (limit {LIMIT_MB} MB)")
    for item in (compiled, flattened):
        verdict = "met" if item.peak_mb < LIMIT_MB else "NOT MET"
        ok &= item.peak_mb < LIMIT_MB
        print(
            f"  {item.name:<36} {item.peak_mb:6.0f} MB   ({item.wall:.1f} s wall, {item.cpu:.1f} s cpu)   {verdict}"
        )
    print(f"\nload average after: {load_avg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
