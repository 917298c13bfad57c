"""Check an instance's open data with the OCDS community's tools, and against its own API.

    .venv/bin/python scripts/check_open_data.py [--data-dir DIR] [--keep] [--shared DIR]

Without ``--data-dir`` it builds the demo world into a fresh temporary instance (its own
``PREGON_VAR_DIR``, hence its own SQLite database, uploads and ``PREGON_DATA_DIR``), running
``pregon migrate``, ``pregon demo`` and ``pregon publish_bulk`` as subprocesses with that
environment; ``--keep`` keeps that instance and prints where it is. With ``--data-dir DIR`` it
checks the bulk files in DIR of an existing instance, whose settings (``DATABASE_URL`` and the
rest) must then be in the environment: the API side reads that instance's database.

1. libcoveocds, the OCDS Data Review Tool's library, run offline with the four extensions
   (``scripts/libcove_offline.py``; the OCDS 1.1.5 files come from ``--shared``, default
   ``shared/ocds`` beside the repository), on ``releases.jsonl.gz`` wrapped as a release package,
   on each yearly package ``releases-<year>.json.gz`` as it is, and on ``records.jsonl.gz``
   wrapped as a record package (the wrappers carry the yearly package's metadata). Per file it
   prints the count of schema validation errors and of closed-codelist errors and lists them;
   an extension libcoveocds could not load counts as an error too.
2. ``pregon ocds compile --package --linked-releases --versioned`` of ``releases.jsonl.gz``, and
   the records of ``records.jsonl.gz``, compared ocid by ocid with what ``GET
   /api/ocds/records?versioned=1`` serves (every page, through Django's test client in this
   process, with the instance's settings): the linked releases (id, date, tag, in order), the
   compiled release and, for the compile, the versioned release. Each difference is printed with
   the first place where the two differ.
3. One summary line: ``releases=… records=… libcove_errors=… compile_diffs=…
   records_file_diffs=…``.

Exit code: 0 when nothing was found, 1 when an error or a difference was, 2 when a step could
not run. libcoveocds is in the ``bench`` dependency group (``.tools/bin/uv sync --frozen --group
dev --group bench``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from pregon.ocds.package import PackageMetadata

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PREGON = str(Path(PYTHON).with_name("pregon"))
LIBCOVE = ROOT / "scripts" / "libcove_offline.py"
SHARED = ROOT.parent / "shared" / "ocds"
RELEASES_JSONL = "releases.jsonl.gz"
RECORDS_JSONL = "records.jsonl.gz"
# What decides where an instance keeps its data: replaced for the temporary instance.
INSTANCE_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PREGON_VAR_DIR",
    "PREGON_DATA_DIR",
    "PREGON_ENV",
    "PREGON_BULK_AUTO",
)
SHOWN = 20  # differences and errors listed in full per file; the rest are counted


class StepFailed(Exception):
    """A step could not run (exit code 2)."""


# ---------------------------------------------------------------------------------------------
# the instance


def temporary_environment(var_dir: Path) -> dict[str, str]:
    """The environment of a fresh instance in `var_dir`: SQLite, uploads and bulk files there."""
    env = {key: value for key, value in os.environ.items() if key not in INSTANCE_VARIABLES}
    env.update(
        {
            "PREGON_VAR_DIR": str(var_dir),
            "PREGON_DATA_DIR": str(var_dir / "data"),
            "PREGON_ENV": "development",
            # The files are written once, by `pregon publish_bulk`, after the demo.
            "PREGON_BULK_AUTO": "0",
        }
    )
    return env


def pregon(env: dict[str, str], *args: str) -> str:
    """Run `pregon ARGS` with `env`; return its standard output."""
    print(f"$ pregon {' '.join(args)}", flush=True)
    if not Path(PREGON).is_file():
        raise StepFailed(
            f"{PREGON} is missing: run this script with the project's .venv/bin/python"
        )
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [PREGON, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise StepFailed(f"pregon {' '.join(args)} failed with exit code {done.returncode}")
    return done.stdout


def build_demo(env: dict[str, str]) -> None:
    """Migrate a new database, build the demo world in it and write the bulk files."""
    pregon(env, "migrate", "--no-input")
    for line in pregon(env, "demo", "--no-accounts").splitlines():
        print(f"  {line}")
    for line in pregon(env, "publish_bulk").splitlines():
        print(f"  {line}")


@dataclass
class BulkFiles:
    """The current generation's files that the checks read."""

    releases: Path
    records: Path
    years: list[Path]


def bulk_files(data_dir: Path) -> BulkFiles:
    """The files of the generation that `manifest.json` names."""
    try:
        manifest = orjson.loads((data_dir / "manifest.json").read_bytes())
    except FileNotFoundError as exc:
        raise StepFailed(f"{data_dir} has no manifest.json: run `pregon publish_bulk`") from exc
    generation = data_dir / manifest["generation"]
    names = [item["name"] for item in manifest["files"]]
    return BulkFiles(
        releases=generation / RELEASES_JSONL,
        records=generation / RECORDS_JSONL,
        years=[generation / name for name in names if name.startswith("releases-")],
    )


def lines(path: Path) -> Iterator[bytes]:
    """The non-empty lines of a gzipped JSON Lines file."""
    with gzip.open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\n")


# ---------------------------------------------------------------------------------------------
# 1. libcoveocds


def package_head(files: BulkFiles, name: str) -> dict[str, Any]:
    """The metadata of a package wrapping `name`: the yearly package's, with `name`'s address."""
    if not files.years:
        # No release yet: the toolkit's default metadata (it declares the four extensions).
        return PackageMetadata().as_dict()
    with gzip.open(files.years[0], "rb") as handle:
        head = orjson.loads(handle.read())
    del head["releases"]
    head["uri"] = head["uri"].rsplit("/", 1)[0] + "/" + name
    return head


def wrap(files: BulkFiles, source: Path, key: str, target: Path) -> Path:
    """Write the JSON Lines file `source` as a package whose `key` array holds its lines."""
    encoded = orjson.dumps(package_head(files, source.name))
    with target.open("wb") as out:
        out.write(encoded[:-1] + b',"' + key.encode() + b'":[')
        out.write(b",".join(lines(source)))
        out.write(b"]}\n")
    return target


def gunzip(source: Path, target: Path) -> Path:
    """The yearly package as plain JSON, which libcoveocds reads."""
    with gzip.open(source, "rb") as handle, target.open("wb") as out:
        shutil.copyfileobj(handle, out)
    return target


def review(package: Path, shared: Path, scratch: Path) -> dict[str, Any]:
    """libcoveocds's findings on `package` (scripts/libcove_offline.py, in its own process)."""
    findings = scratch / f"{package.stem}.findings.json"
    done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [PYTHON, str(LIBCOVE), str(package), str(findings), "--shared", str(shared)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise StepFailed(
            f"libcoveocds failed on {package.name} (exit code {done.returncode}); is the bench "
            "dependency group installed (.tools/bin/uv sync --frozen --group dev --group bench)?"
        )
    return orjson.loads(findings.read_bytes())


def extension_problems(found: dict[str, Any]) -> list[str]:
    """What libcoveocds could not make of the declared extensions (the check is void without them)."""
    extensions = found.get("extensions") or {}
    problems = [f"invalid extension: {url}" for url in extensions.get("invalid_extensions") or []]
    if not extensions.get("is_extended_schema"):
        problems.append("the schema was not extended: the extensions were not applied")
    for item in extensions.get("extensions") or []:
        for codelist, reason in (item.get("failed_codelists") or {}).items():
            problems.append(f"{item['url']}: codelist {codelist} failed: {reason}")
    return problems


def libcove_file(label: str, package: Path, shared: Path, scratch: Path) -> int:
    """Run libcoveocds on one package; print and return the count of what it found."""
    found = review(package, shared, scratch)
    validation = found["validation_errors"]
    closed = [
        (key, value)
        for key, codelist in sorted(found["closed_codelists"].items())
        for value in codelist["values"]
    ]
    problems = extension_problems(found)
    summary = (
        f"  {label}: {len(validation)} validation errors, {len(closed)} closed-codelist errors"
    )
    if problems:
        summary += f", {len(problems)} extension problems"
    print(summary)
    for error in validation[:SHOWN]:
        value = orjson.dumps(error.get("value")).decode()[:80]
        print(f"    {error['type']} at {error['path']}: {error['description'].strip()} ({value})")
    for key, value in closed[:SHOWN]:
        codelist = found["closed_codelists"][key]["codelist"]
        print(f"    codelist {codelist} at {key}: {value!r} is not one of its codes")
    for problem in problems:
        print(f"    {problem}")
    hidden = max(0, len(validation) - SHOWN) + max(0, len(closed) - SHOWN)
    if hidden:
        print(f"    … and {hidden} more")
    return len(validation) + len(closed) + len(problems)


def check_libcove(files: BulkFiles, shared: Path, scratch: Path) -> int:
    """libcoveocds on the releases (as a release package), each yearly package and the records."""
    print("\nlibcoveocds (offline, the four extensions; additional checks off)")
    errors = libcove_file(
        f"{RELEASES_JSONL} as a release package",
        wrap(files, files.releases, "releases", scratch / "releases-package.json"),
        shared,
        scratch,
    )
    for year in files.years:
        errors += libcove_file(
            year.name, gunzip(year, scratch / year.name.removesuffix(".gz")), shared, scratch
        )
    errors += libcove_file(
        f"{RECORDS_JSONL} as a record package",
        wrap(files, files.records, "records", scratch / "records-package.json"),
        shared,
        scratch,
    )
    return errors


# ---------------------------------------------------------------------------------------------
# 2. records: compiled from the bulk releases, the bulk records file, the API


def compiled_records(files: BulkFiles) -> dict[str, dict[str, Any]]:
    """`pregon ocds compile --package --linked-releases --versioned` of the bulk releases (it
    reads the gzipped file as it is)."""
    command = ["ocds", "compile", "--package", "--linked-releases", "--versioned"]
    package = orjson.loads(pregon(dict(os.environ), *command, str(files.releases)))
    return {record["ocid"]: record for record in package["records"]}


def file_records(files: BulkFiles) -> dict[str, dict[str, Any]]:
    """The records of records.jsonl.gz."""
    records = (orjson.loads(line) for line in lines(files.records))
    return {record["ocid"]: record for record in records}


def api_records(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every record `GET /api/ocds/records?versioned=1` serves, page after page.

    Through Django's test client in this process, with the instance's settings: the settings
    are read from the environment when Django starts, so Django is imported only here, once the
    environment is the instance's.
    """
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    # WhiteNoise warns that the static files were never collected: the API needs none.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django  # noqa: PLC0415 (after the environment is set: see above)

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    site = urlsplit(settings.SITE_URL)
    client = Client(HTTP_HOST=site.netloc)
    url: str | None = "/api/ocds/records?versioned=1&limit=1000"
    records: dict[str, dict[str, Any]] = {}
    print("$ GET /api/ocds/records?versioned=1 (every page)")
    while url:
        response = client.get(url, secure=site.scheme == "https")
        if response.status_code != 200:
            raise StepFailed(f"GET {url} answered {response.status_code}: {response.content!r}")
        package = orjson.loads(response.content)
        for record in package["records"]:
            records[record["ocid"]] = record
        url = package.get("links", {}).get("next")
    return records


def links(record: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """A record's releases as (id, date, tag): a linked release's id is its URL's fragment."""
    return [
        (item["url"].rsplit("#", 1)[-1] if "url" in item else item["id"], item["date"], item["tag"])
        for item in record["releases"]
    ]


def shown(value: Any) -> str:
    """A JSON value, cut short."""
    text = orjson.dumps(value).decode()
    return text if len(text) <= 120 else text[:119] + "…"


def first_difference(ours: Any, theirs: Any, path: str = "") -> str | None:
    """Where and how two JSON values first differ (at a path like /tender/items/0/id), or None.

    Tuples (the linked releases) compare as lists.
    """
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(ours.keys() | theirs.keys()):
            if key not in theirs:
                return f"differs at {path}/{key}: {shown(ours[key])} here, absent from the API"
            if key not in ours:
                return f"differs at {path}/{key}: absent here, {shown(theirs[key])} in the API"
            found = first_difference(ours[key], theirs[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(ours, list | tuple) and isinstance(theirs, list | tuple):
        for index, (left, right) in enumerate(zip(ours, theirs, strict=False)):
            found = first_difference(left, right, f"{path}/{index}")
            if found:
                return found
        if len(ours) != len(theirs):
            return f"differ in length at {path or '/'}: {len(ours)} here, {len(theirs)} in the API"
        return None
    if ours == theirs and type(ours) is type(theirs):
        return None
    return f"differs at {path or '/'}: {shown(ours)} here, {shown(theirs)} in the API"


def compare(
    label: str,
    ours: dict[str, dict[str, Any]],
    api: dict[str, dict[str, Any]],
    parts: tuple[str, ...],
) -> int:
    """Compare `ours` with the API's records, ocid by ocid: the linked releases and each of
    `parts`; print the differences and return how many records differ."""
    differences: dict[str, list[str]] = {}
    for ocid in sorted(ours.keys() | api.keys()):
        found: list[str] = []
        if ocid not in api:
            found.append("not served by the API")
        elif ocid not in ours:
            found.append(
                "served by the API only (are the bulk files older than the database? "
                "run `pregon publish_bulk`)"
            )
        else:
            linked = first_difference(links(ours[ocid]), links(api[ocid]))
            if linked:
                found.append(f"the linked releases (id, date, tag) {linked}")
            for part in parts:
                difference = first_difference(ours[ocid].get(part), api[ocid].get(part))
                if difference:
                    found.append(f"{part} {difference}")
        if found:
            differences[ocid] = found
    print(f"  {label}: {len(ours)} records, {len(differences)} differ from the API's")
    for ocid, found in list(differences.items())[:SHOWN]:
        for line in found:
            print(f"    {ocid}: {line}")
    if len(differences) > SHOWN:
        print(f"    … and {len(differences) - SHOWN} more records")
    return len(differences)


# ---------------------------------------------------------------------------------------------


def check(data_dir: Path, env: dict[str, str], shared: Path, scratch: Path) -> int:
    """Run both checks on the bulk files in `data_dir`; print the summary; return the exit code."""
    files = bulk_files(data_dir)
    releases = sum(1 for _ in lines(files.releases))
    libcove_errors = check_libcove(files, shared, scratch)
    print("\nrecords")
    compiled = compiled_records(files)
    in_file = file_records(files)
    api = api_records(env)
    compile_diffs = compare(
        "pregon ocds compile of releases.jsonl.gz",
        compiled,
        api,
        ("compiledRelease", "versionedRelease"),
    )
    file_diffs = compare(RECORDS_JSONL, in_file, api, ("compiledRelease",))
    print(
        f"\nreleases={releases} records={len(api)} libcove_errors={libcove_errors} "
        f"compile_diffs={compile_diffs} records_file_diffs={file_diffs}"
    )
    return 1 if libcove_errors or compile_diffs or file_diffs else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the bulk files of an existing instance (its settings in the environment); "
        "default: build the demo into a temporary instance",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary instance and say where it is"
    )
    parser.add_argument(
        "--shared", type=Path, default=SHARED, help=f"the offline OCDS files (default {SHARED})"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="pregon-open-data-"))
    instance: Path | None = None
    try:
        if args.data_dir:
            env = dict(os.environ)
            data_dir = args.data_dir
        else:
            instance = scratch / "instance"
            env = temporary_environment(instance)
            data_dir = instance / "data"
            instance.mkdir()  # as scripts/bootstrap.sh makes var/: SQLite creates no folder
            print(f"a fresh instance in {instance} (SQLite; PREGON_DATA_DIR={data_dir})")
            build_demo(env)
        return check(data_dir, env, args.shared, scratch)
    except StepFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep and instance is not None:
            print(f"kept the instance: PREGON_VAR_DIR={instance} (and the work files beside it)")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
