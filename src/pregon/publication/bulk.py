"""The bulk files under PREGON_DATA_DIR, written as one consistent generation at a time.

Layout::

    <data dir>/manifest.json                 which generation is current, and its files
    <data dir>/<generation>/releases.jsonl.gz
    <data dir>/<generation>/records.jsonl.gz
    <data dir>/<generation>/releases-<year>.json.gz
    <data dir>/<generation>/compiled-csv.zip   (and the XLSX and Parquet flattenings)

A run writes a new generation directory under a temporary name, renames it, then replaces
`manifest.json` (temporary file + rename): readers see the old generation or the new one,
never a mix, and the sizes and SHA-256 digests the manifest lists are those of the files
served. Every file is built from the releases up to one feed position, so the records match
the releases beside them. The previous generation is kept (downloads in progress), older ones
are removed. One run at a time per data directory (a file lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gzip
import hashlib
import itertools
import logging
import os
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import orjson
from django.conf import settings
from django.db.models import Max
from django.urls import reverse

from pregon.ocds.flatten_formats import flatten_releases
from pregon.ocds.merge import compile_release
from pregon.ocds.package import PackageMetadata, linked_release
from pregon.publication.models import BulkState, Record, Release

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RELEASES_JSONL = "releases.jsonl.gz"
RECORDS_JSONL = "records.jsonl.gz"
CSV_ZIP = "compiled-csv.zip"
XLSX = "compiled.xlsx"
PARQUET_ZIP = "compiled-parquet.zip"
_CHUNK = 2000

MEDIA_TYPES = {
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}


@dataclass
class BulkFile:
    """One file of a generation: what it is (`kind`), its size, digest and item count."""

    name: str
    kind: str
    size: int
    sha256: str
    count: int
    year: int | None = None

    @property
    def media_type(self) -> str:
        """The Content-Type the file is served with."""
        return MEDIA_TYPES.get(Path(self.name).suffix, "application/octet-stream")


@dataclass
class Manifest:
    """What the current generation holds."""

    generation: str
    generated_at: str
    last_seq: int
    releases: int
    records: int
    files: list[BulkFile] = field(default_factory=list)

    def file(self, name: str) -> BulkFile | None:
        """The listed file called `name`, if any."""
        return next((item for item in self.files if item.name == name), None)

    def to_bytes(self) -> bytes:
        """The manifest as JSON."""
        return orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2)

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Read a manifest written by `to_bytes`."""
        raw = orjson.loads(data)
        files = [BulkFile(**item) for item in raw.pop("files")]
        return cls(**raw, files=files)


def read_manifest(directory: Path) -> Manifest | None:
    """The current manifest of `directory`, or None before the first run."""
    try:
        return Manifest.from_bytes((directory / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None


def file_path(directory: Path, manifest: Manifest, name: str) -> Path | None:
    """Where the listed file `name` of the current generation is (None if not listed)."""
    if manifest.file(name) is None:
        return None
    return directory / manifest.generation / name


# ---------------------------------------------------------------------------------------------
# writing


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    with (directory / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _gzip_writer(path: Path) -> gzip.GzipFile:
    # No name and no time in the header: the same content gives the same bytes and digest.
    return gzip.GzipFile(filename="", mode="wb", fileobj=path.open("wb"), mtime=0)


def _close_gzip(handle: gzip.GzipFile) -> None:
    raw = cast(IO[bytes] | None, handle.fileobj)
    handle.close()
    if raw is not None:
        raw.close()


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _package_metadata(uri: str, published: str) -> PackageMetadata:
    return PackageMetadata(
        uri=uri,
        publisher_name=settings.PREGON_PUBLISHER_NAME,
        publisher_uri=settings.PREGON_PUBLISHER_URI or None,
        published_date=published,
        license=settings.PREGON_DATA_LICENSE or None,
        publication_policy=settings.PREGON_PUBLICATION_POLICY_URL or None,
    )


def data_url(name: str) -> str:
    """The public address of a bulk file."""
    return f"{settings.SITE_URL}{reverse('data:file', kwargs={'name': name})}"


def release_package_url(release_id: str) -> str:
    """The public address of the release package that holds one release."""
    return f"{settings.SITE_URL}{reverse('ocds_api:release', kwargs={'release_id': release_id})}"


class _YearPackages:
    """One release package per year of release date, written as the releases stream by."""

    def __init__(self, target: Path, published: str) -> None:
        self.target = target
        self.published = published
        self.open: dict[int, tuple[gzip.GzipFile, list[int]]] = {}

    def add(self, year: int, data: bytes) -> None:
        entry = self.open.get(year)
        if entry is None:
            name = f"releases-{year}.json.gz"
            handle = _gzip_writer(self.target / name)
            head = orjson.dumps(_package_metadata(data_url(name), self.published).as_dict())
            handle.write(head[:-1] + b',"releases":[')
            entry = self.open[year] = (handle, [0])
        handle, count = entry
        if count[0]:
            handle.write(b",")
        handle.write(data)
        count[0] += 1

    def close(self) -> dict[int, int]:
        counts = {}
        for year, (handle, count) in self.open.items():
            handle.write(b"]}\n")
            _close_gzip(handle)
            counts[year] = count[0]
        return counts


def _write_releases(target: Path, last_seq: int, published: str) -> tuple[int, dict[int, int]]:
    """releases.jsonl.gz and the yearly packages, in feed order; return the counts."""
    lines = _gzip_writer(target / RELEASES_JSONL)
    years = _YearPackages(target, published)
    count = 0
    rows = (
        Release.objects.filter(seq__lte=last_seq)
        .order_by("seq")
        .values_list("data", "date")
        .iterator(chunk_size=_CHUNK)
    )
    try:
        for data, date in rows:
            encoded = data.encode()
            lines.write(encoded + b"\n")
            years.add(date.astimezone(dt.UTC).year, encoded)
            count += 1
    finally:
        _close_gzip(lines)
        by_year = years.close()
    return count, by_year


def _records(last_seq: int) -> Iterator[dict[str, Any]]:
    """Each process's record as of feed position `last_seq`, in ocid order."""
    links = (
        Release.objects.filter(seq__lte=last_seq)
        .order_by("ocid", "seq")
        .values_list("ocid", "release_id", "date", "tag")
        .iterator(chunk_size=_CHUNK)
    )
    records = iter(Record.objects.order_by("ocid").iterator(chunk_size=200))
    current: Record | None = next(records, None)
    for ocid, group in itertools.groupby(links, key=lambda row: row[0]):
        while current is not None and current.ocid < ocid:
            current = next(records, None)
        linked = [
            linked_release(
                {"id": release_id, "date": _iso(date), "tag": tag},
                release_package_url(release_id),
            )
            for _ocid, release_id, date, tag in group
        ]
        if current is not None and current.ocid == ocid and current.last_seq <= last_seq:
            compiled = current.compiled
        else:
            # A release of this process was stored after the snapshot began: compile the
            # record as it stood at the snapshot, so it matches releases.jsonl.gz.
            compiled = compile_release(
                orjson.loads(data)
                for data in Release.objects.filter(ocid=ocid, seq__lte=last_seq)
                .order_by("seq")
                .values_list("data", flat=True)
            )
        yield {"ocid": ocid, "releases": linked, "compiledRelease": compiled}


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_records(target: Path, last_seq: int) -> int:
    handle = _gzip_writer(target / RECORDS_JSONL)
    count = 0
    try:
        for record in _records(last_seq):
            handle.write(orjson.dumps(record) + b"\n")
            count += 1
    finally:
        _close_gzip(handle)
    return count


def _zip_tables(target: Path, members: list[Path]) -> None:
    """Zip `members` in name order, with fixed timestamps (same tables, same bytes)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members):
            info = zipfile.ZipInfo(member.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with member.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


def _flattenings(target: Path, scratch: Path) -> list[BulkFile]:
    """CSV, XLSX and Parquet tables of the compiled releases, by pregon.ocds's flattener.

    One table per array (parties, tender_items, ...), joined on ocid; read from the records
    file just written, so the tables describe exactly the processes it holds.
    """
    records = target / RECORDS_JSONL
    files = []
    for kind in ("csv", "xlsx", "parquet"):
        out = scratch / kind
        # One process: forking a worker pool from inside a Django process is not worth it here.
        stats = flatten_releases([records], out, format=kind, workers=1)
        rows = stats.tables.get("releases", 0)
        if kind == "xlsx":
            (out / "flattened.xlsx").replace(target / XLSX)
            files.append(_described(target, XLSX, kind, rows))
        else:
            name = CSV_ZIP if kind == "csv" else PARQUET_ZIP
            _zip_tables(target / name, list(out.glob(f"*.{kind}")))
            files.append(_described(target, name, kind, rows))
    return files


def generate(directory: Path) -> Manifest:
    """Write a new generation of every bulk file in `directory`; return its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    with _exclusive(directory):
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        published = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        last_seq = Release.objects.aggregate(last=Max("seq"))["last"] or 0
        generation = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        partial = directory / f".{generation}.partial"
        partial.mkdir()
        tables_dir = Path(tempfile.mkdtemp(prefix="pregon-bulk-"))
        try:
            releases, by_year = _write_releases(partial, last_seq, published)
            records = _write_records(partial, last_seq)
            files = [
                _described(partial, RELEASES_JSONL, "releases", releases),
                _described(partial, RECORDS_JSONL, "records", records),
                *(
                    _described(partial, f"releases-{year}.json.gz", "year", count, year=year)
                    for year, count in sorted(by_year.items(), reverse=True)
                ),
            ]
            files += _flattenings(partial, tables_dir)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(tables_dir, ignore_errors=True)
        partial.rename(directory / generation)
        manifest = Manifest(
            generation=generation,
            generated_at=published,
            last_seq=last_seq,
            releases=releases,
            records=records,
            files=files,
        )
        previous = read_manifest(directory)
        _write_atomically(directory / MANIFEST, manifest.to_bytes())
        keep = {generation, previous.generation if previous else ""}
        _remove_old_generations(directory, keep)
    return manifest


def _described(
    target: Path, name: str, kind: str, count: int, *, year: int | None = None
) -> BulkFile:
    path = target / name
    return BulkFile(
        name=name,
        kind=kind,
        size=path.stat().st_size,
        sha256=_digest(path),
        count=count,
        year=year,
    )


def _write_atomically(path: Path, data: bytes) -> None:
    handle: IO[bytes]
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_old_generations(directory: Path, keep: set[str]) -> None:
    for entry in directory.iterdir():
        if entry.is_dir() and entry.name not in keep and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir() and entry.name.endswith(".partial"):
            # Left by a run that was killed; the lock says no other run is writing it.
            shutil.rmtree(entry, ignore_errors=True)


def bulk_files_generate(*, directory: Path | None = None) -> Manifest:
    """Write every bulk file afresh from the stored releases and records; return the manifest.

    Idempotent. Clears the pending mark first, so a release committed while the files are
    being written asks for another run rather than being lost.
    """
    BulkState.objects.filter(pk=1).update(pending=False)
    manifest = generate(directory or Path(settings.PREGON_DATA_DIR))
    logger.info("bulk files written: %s releases, %s records", manifest.releases, manifest.records)
    return manifest
