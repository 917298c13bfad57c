"""Benchmark: compile ~80,000 releases (20,000 ocids) -- ours vs ocdsmerge and ``ocdskit compile``.

    .venv/bin/python benchmarks/ocds_compile.py [--versioned] [--repeat N]

End to end, each tool reads the releases, groups them by ocid, merges them and writes JSON Lines:
ocdsmerge driven the way its documentation shows (``json`` to read ``releases.jsonl`` and write),
the ``ocdskit compile`` command (reading ``release_package.json``, the same releases), and
``pregon ocds compile`` (reading ``releases.jsonl``). All merge by the same patched schema. The
outputs are compared ocid by ocid (same compiled releases); the target is ours at least 10 times
faster than ocdsmerge. Then each tool reads the same file from a pipe (``cat FILE | tool``, ours
as ``pregon ocds compile -``), and the pipe's time is set against the file's: ours should take
about as long either way (``--repeat N``: ours runs N times each way, alternately; the medians
count). ``--versioned`` also compares versioned releases with ocdsmerge's.
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

from ocds_common import PYTHON, Run, load_avg, report, run, workload

SCHEMA = (
    Path(__file__).resolve().parents[1] / "src" / "pregon" / "ocds" / "data" / "release-schema.json"
)

OCDSMERGE = """
import collections, json, sys
import ocdsmerge
source, target, method = sys.argv[1:4]
merger = ocdsmerge.Merger(schema=json.load(open({schema!r})))
groups = collections.defaultdict(list)
with (sys.stdin if source == "-" else open(source)) as f:
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


def median(runs: list[Run]) -> Run:
    """The run of median wall time."""
    return sorted(runs, key=lambda item: item.wall)[len(runs) // 2]


def compile_from_a_pipe(
    data: Path, out: Path, script: str, peers_from_file: list[Run], repeat: int
) -> bool:
    """Run the three tools again on the same data fed through a pipe; print the figures against
    each other and against each tool's run on the file (``peers_from_file``: ocdsmerge's and
    ocdskit's). Ours runs ``repeat`` times on the file and from the pipe, alternately, so that
    both see the same load; the medians are compared."""
    releases = data / "releases.jsonl"
    print("\ncompiled releases, from a pipe (cat FILE | tool)")
    files, pipes = [], []
    for _ in range(repeat):
        files.append(
            run(
                "pregon ocds compile FILE",
                [PYTHON, "-m", "pregon.ocds", "compile", str(releases)],
                stdout=out / "ours-again.jsonl",
            )
        )
        pipes.append(
            run(
                "pregon ocds compile -",
                [PYTHON, "-m", "pregon.ocds", "compile", "-"],
                pipe=releases,
                stdout=out / "ours-pipe.jsonl",
            )
        )
    ours_file, ours = median(files), median(pipes)
    print(
        f"  ours: medians of {repeat} runs each, file {ours_file.wall:.2f} s, pipe {ours.wall:.2f} s"
    )
    merge = run(
        "ocdsmerge, from a pipe",
        [PYTHON, "-c", script, "-", str(out / "ocdsmerge-pipe.jsonl"), "create_compiled_release"],
        pipe=releases,
    )
    kit = run(
        "ocdskit compile, from a pipe",
        [str(Path(PYTHON).parent / "ocdskit"), "compile", "--schema", str(SCHEMA)],
        pipe=data / "release_package.json",
        stdout=out / "ocdskit-pipe.jsonl",
    )
    same = (out / "ours-pipe.jsonl").read_bytes() == (out / "ours.jsonl").read_bytes()
    print(f"  ours: the same bytes from the pipe as from the file: {'yes' if same else 'NO'}")
    ok = same
    ok &= compare("ocdsmerge, from a pipe", out / "ours-pipe.jsonl", out / "ocdsmerge-pipe.jsonl")
    ok &= compare("ocdskit, from a pipe", out / "ours-pipe.jsonl", out / "ocdskit-pipe.jsonl")
    ok &= report(
        "compile from a pipe (wall and CPU seconds, cat's CPU included; ratio = peer / ours)",
        ours,
        [merge, kit],
        target=10,
    )
    print("\npipe against file (ratio = pipe / file; wall and CPU seconds)")
    print(f"  {'tool':<44} {'file wall':>9} {'pipe wall':>9} {'pipe/file':>9} {'cpu':>6}")
    for filed, piped in zip([ours_file, *peers_from_file], [ours, merge, kit], strict=True):
        print(
            f"  {filed.name:<44} {filed.wall:9.2f} {piped.wall:9.2f} {piped.wall / filed.wall:8.2f}x"
            f" {piped.cpu / filed.cpu:5.2f}x"
        )
    met = ours.wall <= 1.1 * ours_file.wall
    verdict = "met" if met else "NOT MET"
    print(f"  target: ours from a pipe within 10% of ours from the file (wall): {verdict}")
    return ok and met


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versioned", action="store_true", help="also compare versioned releases")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of ours from the file and from a pipe (median)"
    )
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
        ok &= compile_from_a_pipe(data, out, script, [merge, kit], args.repeat)
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
