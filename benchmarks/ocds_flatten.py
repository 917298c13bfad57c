"""Benchmark: flatten ~80,000 releases to CSV -- ours vs flatterer and flattentool.

    .venv/bin/python benchmarks/ocds_flatten.py [--skip-flattentool]

flatterer (Rust) reads ``releases.jsonl`` as newline-delimited JSON, with its default settings and
again with as many threads as CPUs; flattentool reads ``release_package.json`` with the patched
schema. ``pregon ocds flatten --format csv`` reads ``releases.jsonl``. Each run writes one CSV file
per array. We check the tables hold the same rows: the same tables with the same row counts, and
(with flatterer, which names columns like us) the same ``id`` values in each table. Target: ours at
least as fast as flatterer.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocds_common import PYTHON, load_avg, report, run, workload

SCHEMA = (
    Path(__file__).resolve().parents[1] / "src" / "pregon" / "ocds" / "data" / "release-schema.json"
)
FLATTERER = """
import sys, flatterer
flatterer.flatten(sys.argv[1], sys.argv[2], ndjson=True, force=True, threads=int(sys.argv[3]))
"""


def tables(directory: Path) -> dict[str, tuple[int, collections.Counter[str]]]:
    """Table name -> (row count, counts of each value of its ``id`` column)."""
    result = {}
    csv.field_size_limit(sys.maxsize)
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            column = header.index("id") if "id" in header else None
            ids: collections.Counter[str] = collections.Counter()
            rows = 0
            for row in reader:
                rows += 1
                if column is not None:
                    ids[row[column]] += 1
        if rows:
            result[path.stem] = (rows, ids)
    return result


def flattentool_name(ours: str) -> str:
    """flattentool's sheet name for one of our tables: each parent field cut to 3 letters."""
    if ours == "releases":
        return "main"
    parts = ours.split("_")
    return "_".join([*(part[:3] for part in parts[:-1]), parts[-1]])


def compare_flatterer(ours: dict, theirs: dict) -> bool:
    theirs = {("releases" if name == "main" else name): value for name, value in theirs.items()}
    same = ours.keys() == theirs.keys() and all(ours[name] == theirs[name] for name in ours)
    rows = sum(count for count, _ in ours.values())
    print(
        f"  same rows as flatterer: {'yes' if same else 'NO'} ({len(ours)} tables, {rows} rows; ids compared per table)"
    )
    if not same:
        for name in sorted(set(ours) | set(theirs)):
            mine, other = ours.get(name, (0, None)), theirs.get(name, (0, None))
            if mine != other:
                print(f"    {name}: ours {mine[0]} rows, flatterer {other[0]} rows")
    return same


def compare_flattentool(ours: dict, theirs: dict) -> bool:
    mapped = {flattentool_name(name): count for name, (count, _) in ours.items()}
    counts = {name: count for name, (count, _) in theirs.items()}
    same = mapped == counts
    print(f"  same tables and row counts as flattentool: {'yes' if same else 'NO'}")
    if not same:
        for name in sorted(set(mapped) | set(counts)):
            if mapped.get(name) != counts.get(name):
                print(f"    {name}: ours {mapped.get(name)}, flattentool {counts.get(name)}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--skip-flattentool", action="store_true", help="skip flattentool (minutes, GBs of memory)"
    )
    args = parser.parse_args()
    data = workload()
    releases, package = data / "releases.jsonl", data / "release_package.json"
    cpus = os.cpu_count() or 1
    print(
        f"workload: {releases} ({releases.stat().st_size / 2**20:.0f} MB); {cpus} CPUs; load average {load_avg()}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="pregon-bench-") as tmp:
        out = Path(tmp)
        print()
        ours = run(
            "pregon ocds flatten --format csv",
            [
                PYTHON,
                "-m",
                "pregon.ocds",
                "flatten",
                "--format",
                "csv",
                "--out",
                str(out / "ours"),
                str(releases),
            ],
        )
        flat1 = run(
            "flatterer (default: 1 thread)",
            [PYTHON, "-c", FLATTERER, str(releases), str(out / "flatterer"), "1"],
        )
        flat_n = run(
            f"flatterer ({cpus} threads)",
            [PYTHON, "-c", FLATTERER, str(releases), str(out / "flatterer-n"), str(cpus)],
        )
        peers = [flat1, flat_n]
        ours_tables = tables(out / "ours")
        ok &= compare_flatterer(ours_tables, tables(out / "flatterer" / "csv"))
        if not args.skip_flattentool:
            tool = run(
                "flattentool (release package)",
                [
                    str(Path(PYTHON).parent / "flatten-tool"),
                    "flatten",
                    str(package),
                    "--schema",
                    str(SCHEMA),
                    "--root-list-path",
                    "releases",
                    "--root-id",
                    "ocid",
                    "--main-sheet-name",
                    "main",
                    "--output-format",
                    "csv",
                    "--output-name",
                    str(out / "flattentool"),
                ],
            )
            peers.append(tool)
            ok &= compare_flattentool(ours_tables, tables(out / "flattentool"))
        ok &= report(
            "flatten to CSV (wall and CPU seconds; ratio = peer / ours)", ours, peers, target=1
        )
    print(f"\nload average after: {load_avg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
