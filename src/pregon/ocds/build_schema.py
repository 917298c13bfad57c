"""Rebuild the vendored schema files in ``pregon/ocds/data/`` from the OCDS reference files.

    python -m pregon.ocds.build_schema [--source ../shared/ocds] [--check]

The patched release schema is OCDS 1.1.5's release schema with the bids, lots, submissionTerms and
partyDetails_scale extensions applied as JSON Merge Patch (RFC 7386), in that order. The release
package and record package schemas are copied as they are (the versioned release schema is derived
from the patched one at run time: see ``pregon.ocds.versioned``). ``--check`` exits
non-zero if the committed files differ from a fresh build (for CI).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from pregon.ocds.schema import build_patched_schema

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_SOURCE = Path(__file__).resolve().parents[4] / "shared" / "ocds"


def build(source: Path) -> dict[str, bytes]:
    """Return the contents of every vendored data file, built from ``source``."""
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    files = {"release-schema.json": orjson.dumps(build_patched_schema(source), option=option)}
    for name in ("release-package-schema.json", "record-package-schema.json"):
        files[name] = orjson.dumps(
            orjson.loads((source / "schema" / name).read_bytes()), option=option
        )
    return files


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the vendored schema files; return an exit code."""
    parser = argparse.ArgumentParser(prog="python -m pregon.ocds.build_schema", description=__doc__)
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="the reference files (shared/ocds)"
    )
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if not (args.source / "schema" / "release-schema.json").is_file():
        sys.stderr.write(
            f"error: {args.source} does not hold schema/release-schema.json; pass --source\n"
        )
        return 2
    stale = []
    for name, content in build(args.source).items():
        target = DATA_DIR / name
        if args.check:
            if not target.is_file() or target.read_bytes() != content:
                stale.append(name)
        else:
            target.write_bytes(content)
    if stale:
        sys.stderr.write(f"stale: {', '.join(stale)}; run python -m pregon.ocds.build_schema\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
