"""Benchmark: validate ~80,000 releases -- ours vs libcoveocds (the OCDS Data Review Tool's library).

    .venv/bin/python benchmarks/ocds_validate.py [--valid-too]

Both validate the same release package: the workload with the four extensions declared, in which
about one release in a hundred is broken in a known way (a missing field, a wrong type, a bad date
or URI, an unknown code of a closed codelist, a duplicate id, an empty tag ...). libcoveocds runs
offline (``scripts/libcove_offline.py``, which ``scripts/check_open_data.py`` runs too): the
OCDS 1.1.5 files and the extensions come from ``shared/ocds`` through a stand-in for its HTTP
session. We compare the errors found -- libcoveocds's schema validation errors and closed
codelist values -- with ours, and print both times: libcoveocds's whole API call (additional
checks off) and its schema validation step alone. Target: ours at least 10 times faster.
``--valid-too`` also runs both on the unbroken workload (both must find nothing).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocds_common import PYTHON, ROOT, load_avg, report, run, workload

SHARED = ROOT.parent / "shared" / "ocds"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
]

# Runs libcoveocds offline and writes its findings (and the time of its validation step) as JSON.
LIBCOVE = ROOT / "scripts" / "libcove_offline.py"


def break_releases(releases: list[dict[str, Any]]) -> int:
    """Break about one release in a hundred, each in one of fifteen known ways; return how many."""
    broken = 0
    for index in range(50, len(releases), 97):
        release = releases[index]
        kind = broken % 15
        tender = release.setdefault("tender", {"id": "T"})
        if kind == 0:
            release.pop("initiationType", None)
        elif kind == 1:
            release["date"] = "yesterday"
        elif kind == 2:
            tender["value"] = {"amount": "12000", "currency": "USD"}
        elif kind == 3:
            tender["status"] = "bogus"
        elif kind == 4:
            release["parties"] = release.get("parties") or [{"id": "P", "name": "P"}]
            release["parties"][0]["details"] = {"scale": "huge"}
        elif kind == 5:
            release["tag"] = []
        elif kind == 6:
            tender["items"] = [{"id": "1", "description": "a"}, {"id": "1", "description": "b"}]
        elif kind == 7:
            tender["documents"] = [{"id": "d", "url": "not a url"}]
        elif kind == 8:
            release["awards"] = [{"title": "an award without id"}]
        elif kind == 9:
            release["ocid"] = 5
        elif kind == 10:
            tender["tenderPeriod"] = {"durationInDays": 1.5}
        elif kind == 11:
            previous = releases[index - 1]
            release["ocid"], release["id"] = previous["ocid"], previous["id"]
        elif kind == 12:
            tender["submissionMethod"] = ["electronicSubmission", 7]
        elif kind == 13:
            release["bids"] = {"statistics": [{"id": "1", "measure": "bids", "value": "many"}]}
        else:
            tender["lots"] = [{"id": "lot-1", "value": {"amount": 1, "currency": "XYZ"}}]
        broken += 1
    return broken


def write_package(source: Path, target: Path, *, broken: bool) -> int:
    package = orjson.loads(source.read_bytes())
    package = {"extensions": EXTENSIONS, **package}
    count = break_releases(package["releases"]) if broken else 0
    target.write_bytes(orjson.dumps(package))
    return count


REQUIRED = re.compile(r"^'([^']+)' is missing but required")
FORMATS = {"date-time", "uri"}
TYPES = {"string", "number", "integer", "object", "array", "boolean", "null"}


def libcove_errors(found: dict[str, Any]) -> set[tuple[str, ...]]:
    """libcoveocds's findings as (kind, path, detail) tuples comparable with ours."""
    errors = set()
    for error in found["validation_errors"]:
        kind, path = error["type"], error["path"]
        if kind == "required":
            errors.add(("required", path, REQUIRED.match(error["description"]).group(1)))
        elif kind in TYPES:
            errors.add(("type", path, ""))
        elif kind in FORMATS:
            errors.add(("format", path, kind))
        else:
            errors.add((kind, path, ""))
    for key, codelist in found["closed_codelists"].items():
        for value in codelist["values"]:
            errors.add(("codelist", key, str(value)))
    return errors


def our_errors(lines: bytes) -> set[tuple[str, ...]]:
    errors = set()
    for line in lines.splitlines():
        issue = orjson.loads(line)
        keyword, path = issue["keyword"], issue["path"]
        if keyword == "required":
            errors.add(("required", path, REQUIRED.match(issue["message"]).group(1)))
        elif keyword == "format":
            errors.add(("format", path, issue["message"].split("valid ")[1].split(" ")[0]))
        elif keyword == "enum" and issue.get("codelist"):
            generic = "/".join(part for part in path.split("/") if not part.isdigit())
            errors.add(("codelist", generic, str(issue["value"])))
        else:
            errors.add((keyword, path, ""))
    return errors


def compare(ours: set[tuple[str, ...]], theirs: set[tuple[str, ...]]) -> bool:
    same = ours == theirs
    print(
        f"  errors found: ours {len(ours)}, libcoveocds {len(theirs)}; same set: {'yes' if same else 'NO'}"
    )
    for label, items in (("only ours", ours - theirs), ("only libcoveocds", theirs - ours)):
        for item in sorted(items)[:10]:
            print(f"    {label}: {item}")
    return same


def bench(label: str, package: Path, out: Path) -> bool:
    print(f"\n{label}: {package.name} ({package.stat().st_size / 2**20:.0f} MB)")
    ours = run(
        "pregon ocds validate",
        [PYTHON, "-m", "pregon.ocds", "validate", "--json", str(package)],
        stdout=out / "ours.jsonl",
        check=False,
    )
    cove = run(
        "libcoveocds (API call, no additional checks)",
        [PYTHON, str(LIBCOVE), str(package), str(out / "cove.json"), "--shared", str(SHARED)],
    )
    found = orjson.loads((out / "cove.json").read_bytes())
    step = copy.copy(cove)
    step.name = "libcoveocds (its schema validation step)"
    step.wall = found["validation_seconds"]
    step.cpu = float("nan")
    same = compare(our_errors((out / "ours.jsonl").read_bytes()), libcove_errors(found))
    met = report(
        f"validate, {label} (wall and CPU seconds; ratio = peer / ours)",
        ours,
        [cove, step],
        target=10,
    )
    return same and met


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--valid-too", action="store_true", help="also validate the unbroken workload"
    )
    args = parser.parse_args()
    data = workload()
    print(f"load average {load_avg()}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="pregon-bench-") as tmp:
        out = Path(tmp)
        broken = write_package(
            data / "release_package.json", out / "broken_package.json", broken=True
        )
        print(
            f"workload: {data / 'release_package.json'} with the four extensions declared; {broken} releases broken"
        )
        ok &= bench("broken workload", out / "broken_package.json", out)
        if args.valid_too:
            write_package(data / "release_package.json", out / "package.json", broken=False)
            ok &= bench("unbroken workload", out / "package.json", out)
    print(f"\nload average after: {load_avg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
