"""Run libcoveocds (the OCDS Data Review Tool's library) offline on one package; write its findings.

    .venv/bin/python scripts/libcove_offline.py PACKAGE FINDINGS.json [--shared DIR]

PACKAGE is a release or record package (JSON, not compressed) declaring the four extensions.
libcoveocds downloads the standard's files and each declared extension; no network is reachable
here, so both come from the team's offline copy of OCDS 1.1.5 (``--shared``, default
``shared/ocds`` beside the repository): the standard as the zip it expects (``standard_zip``, a
``file://`` URL), and each extension as the GitHub archive ocdsextensionregistry downloads,
served by a stand-in for its HTTP session (its release schema, and codelists made from the
enums the schema tags with a ``codelist``); the schemas a record package schema links to are
served to jsonref from the same copy. libcoveocds's additional checks are off and its
aggregates skipped: only schema validation and the closed codelists run.

FINDINGS.json holds ``validation_errors`` (libcoveocds's list, as its API returns it),
``closed_codelists`` (its ``additional_closed_codelist_values``: values missing from a closed
codelist), ``extensions`` (what it made of the declared extensions) and ``validation_seconds``
(the time of its schema validation step alone). Used by benchmarks/ocds_validate.py and
scripts/check_open_data.py; needs the ``bench`` dependency group.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import jsonref
import libcoveocds.api
import ocdsextensionregistry.util as registry_util
import requests
from libcove.lib import common
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import extension_version

SHARED = Path(__file__).resolve().parents[2] / "shared" / "ocds"
EXTENSION_NAMES = (
    "ocds_bid_extension",
    "ocds_lots_extension",
    "ocds_submissionTerms_extension",
    "ocds_partyDetails_scale_extension",
)
ARCHIVE = "https://github.com/open-contracting-extensions/{name}/archive/"
STANDARD_HOST = "standard.open-contracting.org"


def codelists(schema: Any, found: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The codes of every field the schema tags with a codelist: {codelist file: its codes}."""
    if isinstance(schema, dict):
        if isinstance(schema.get("codelist"), str) and isinstance(schema.get("enum"), list):
            found[schema["codelist"]] = [code for code in schema["enum"] if code is not None]
        for value in schema.values():
            codelists(value, found)
    elif isinstance(schema, list):
        for value in schema:
            codelists(value, found)
    return found


class Response:
    """As much of a requests.Response as ocdsextensionregistry and jsonref read."""

    def __init__(self, content: bytes, status: int = 200) -> None:
        self.content, self.status_code = content, status
        self.reason = "OK" if status == 200 else "Not Found"

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            error = requests.HTTPError(str(self.status_code))
            error.response = self  # type: ignore[assignment]
            raise error

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.content, **kwargs)


class StandardFiles:
    """Serves the standard's schemas at their published addresses, for jsonref.

    libcoveocds dereferences the record package schema with jsonref, which fetches what it
    links to: the versioned release validation schema (the release schema is replaced by the
    patched one first). Release packages link to nothing.
    """

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    def get(self, url: str, **kwargs: Any) -> Response:
        for scheme in ("https", "http"):
            name = url.removeprefix(f"{scheme}://{STANDARD_HOST}/schema/1__1__5/")
            if name != url and "/" not in name and (self.shared / "schema" / name).is_file():
                return Response((self.shared / "schema" / name).read_bytes())
        return Response(b"", 404)


class Session:
    """Serves each extension's files (its release schema, and codelists made from its enums) as
    the GitHub archive that ocdsextensionregistry downloads; anything else is not found."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    def get(self, url: str, **kwargs: Any) -> Response:
        for name in EXTENSION_NAMES:
            if url.startswith(ARCHIVE.format(name=name)):
                return Response(self._archive(name))
        return Response(b"", 404)

    def _archive(self, name: str) -> bytes:
        patch = (self.shared / "extensions" / f"{name}.release-schema.json").read_bytes()
        lists = codelists(json.loads(patch), {})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"{name}-x/", "")
            archive.writestr(f"{name}-x/release-schema.json", patch)
            meta = {
                "name": {"en": name},
                "description": {"en": name},
                "documentationUrl": {"en": ""},
                "codelists": sorted(lists),
                "schemas": ["release-schema.json"],
                "compatibility": ["1.1"],
            }
            archive.writestr(f"{name}-x/extension.json", json.dumps(meta))
            for codelist, codes in lists.items():
                rows = io.StringIO()
                writer = csv.writer(rows)
                writer.writerow(["Code", "Title", "Description"])
                for code in codes:
                    writer.writerow([code, code, ""])
                archive.writestr(f"{name}-x/codelists/{codelist}", rows.getvalue())
        return buffer.getvalue()


def standard_zip(shared: Path, directory: Path) -> Path:
    """The OCDS 1.1.5 schemas and codelists, laid out as the standard's release zip."""
    standard = directory / "standard.zip"
    with zipfile.ZipFile(standard, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for path in sorted((shared / "schema").iterdir()):
            archive.write(path, f"standard-1__1__5/schema/{path.name}")
        for path in sorted((shared / "codelists").iterdir()):
            archive.write(path, f"standard-1__1__5/schema/codelists/{path.name}")
    return standard


def review(package: Path, shared: Path) -> dict[str, Any]:
    """libcoveocds's findings on `package`, offline (see the module's docstring)."""
    extension_version.session = registry_util.session = Session(shared)
    jsonref.requests = StandardFiles(shared)
    directory = Path(tempfile.mkdtemp(prefix="pregon-libcove-"))
    standard = standard_zip(shared, directory)

    spent = [0.0]
    original = common.get_schema_validation_errors

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    common.get_schema_validation_errors = timed
    config = LibCoveOCDSConfig()
    config.config.update(
        {
            "context": "api",
            "standard_zip": standard.as_uri(),
            "additional_checks": "none",
            "skip_aggregates": True,
        }
    )
    result = libcoveocds.api.ocds_json_output(
        str(directory), str(package), None, lib_cove_ocds_config=config
    )
    return {
        "validation_errors": result.get("validation_errors", []),
        "closed_codelists": result.get("additional_closed_codelist_values", {}),
        "extensions": result.get("extensions"),
        "validation_seconds": spent[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("package", type=Path, help="a release or record package (JSON)")
    parser.add_argument("findings", type=Path, help="where to write the findings (JSON)")
    parser.add_argument(
        "--shared", type=Path, default=SHARED, help=f"the offline OCDS files (default {SHARED})"
    )
    args = parser.parse_args(argv)
    found = review(args.package, args.shared)
    args.findings.write_text(json.dumps(found, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
