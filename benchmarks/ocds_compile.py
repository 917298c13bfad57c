"""Benchmark: compile ~80,000 releases (20,000 ocids) -- ours vs ocdsmerge and ``ocdskit compile``.

    .venv/bin/python benchmarks/ocds_compile.py [--versioned]

End to end, each tool reads the releases, groups them by ocid, merges them and writes JSON Lines:
ocdsmerge driven the way its documentation shows (``json`` to read ``releases.jsonl`` and write),
the ``ocdskit compile`` command (reading ``release_package.json``, the same releases), and
``pregon ocds compile`` (reading ``releases.jsonl``). All merge by the same patched schema. The
outputs are compared ocid by ocid (same compiled releases); the target is ours at least 10 times
faster than ocdsmerge. ``--versioned`` also compares versioned releases with ocdsmerge's.
Needs the bench dependency group (``uv sync --group bench``).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocds_common import PYTHON, load_avg, report, run, workload

SCHEMA = (
    Path(__file__).resolve().parents[1] / "src" / "pregon" / "ocds" / "data" / "release-schema.json"
)

OCDSMERGE = """
import collections, json, sys
import ocdsmerge
source, target, method = sys.argv[1:4]
merger = ocdsmerge.Merger(schema=json.load(open({schema!r})))
groups = collections.defaultdict(list)
with open(source) as f:
    for line in f:
        release = json.loads(line)
        groups[release["ocid"]].append(release)
with open(target, "w") as out:
    for releases in groups.values():
        out.write(json.dumps(getattr(merger, method)(releases)) + "\\n")
"""


def digests(path: Path) -> dict[str, str]:
    """ocid -> SHA-256 of the merged release with sorted keys (so the key order does not matter)."""
    result = {}
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                item = orjson.loads(line)
                result[item["ocid"]] = hashlib.sha256(
                    orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
                ).hexdigest()
    return result


def compare(label: str, ours: Path, theirs: Path) -> bool:
    mine, other = digests(ours), digests(theirs)
    differing = [ocid for ocid in mine if other.get(ocid) != mine[ocid]]
    same = not differing and mine.keys() == other.keys()
    print(
        f"  same output as {label}: {'yes' if same else 'NO'} ({len(mine)} vs {len(other)} ocids, {len(differing)} differ)"
    )
    return same


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versioned", action="store_true", help="also compare versioned releases")
    args = parser.parse_args()
    data = workload()
    releases = data / "releases.jsonl"
    print(
        f"workload: {releases} ({releases.stat().st_size / 2**20:.0f} MB); load average {load_avg()}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="pregon-bench-") as tmp:
        out = Path(tmp)
        script = OCDSMERGE.format(schema=str(SCHEMA))
        print("\ncompiled releases")
        ours = run(
            "pregon ocds compile",
            [PYTHON, "-m", "pregon.ocds", "compile", str(releases)],
            stdout=out / "ours.jsonl",
        )
        merge = run(
            "ocdsmerge (json + Merger, end to end)",
            [
                PYTHON,
                "-c",
                script,
                str(releases),
                str(out / "ocdsmerge.jsonl"),
                "create_compiled_release",
            ],
        )
        # ocdskit guesses each bare release's OCDS version (and stops at the first one that looks
        # like 1.0), so it reads the same releases in their release package (version 1.1)
        kit = run(
            "ocdskit compile (release package)",
            [str(Path(PYTHON).parent / "ocdskit"), "compile", "--schema", str(SCHEMA)],
            stdin=data / "release_package.json",
            stdout=out / "ocdskit.jsonl",
        )
        ok &= compare("ocdsmerge", out / "ours.jsonl", out / "ocdsmerge.jsonl")
        ok &= compare("ocdskit compile", out / "ours.jsonl", out / "ocdskit.jsonl")
        ok &= report(
            "compile (wall and CPU seconds; ratio = peer / ours)", ours, [merge, kit], target=10
        )
        if args.versioned:
            print("\nversioned releases")
            ours_v = run(
                "pregon ocds compile --versioned",
                [PYTHON, "-m", "pregon.ocds", "compile", "--versioned", str(releases)],
                stdout=out / "ours-versioned.jsonl",
            )
            merge_v = run(
                "ocdsmerge versioned (end to end)",
                [
                    PYTHON,
                    "-c",
                    script,
                    str(releases),
                    str(out / "ocdsmerge-versioned.jsonl"),
                    "create_versioned_release",
                ],
            )
            ok &= compare(
                "ocdsmerge", out / "ours-versioned.jsonl", out / "ocdsmerge-versioned.jsonl"
            )
            report("versioned (wall and CPU seconds; ratio = peer / ours)", ours_v, [merge_v])
    print(f"\nload average after: {load_avg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
