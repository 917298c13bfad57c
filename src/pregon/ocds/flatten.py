"""Flatten releases into tables: one table per array, joinable by keys, written as rows stream in.

* ``releases`` holds one row per release: ``ocid``, ``id``, then every field outside arrays of
  objects, named by its path (``tender/value/amount``).
* Each array of objects gets its own table, named by its path (``parties``, ``tender_items``,
  ``awards_suppliers``, ``contracts_implementation_transactions``...). Each row carries ``ocid``,
  ``release_id``, ``_link`` (the element's path in the release, ``awards/0/items/1``),
  ``_link_parent`` (its parent element's ``_link``, empty at the top) and the ``id`` of each
  enclosing array element (``awards/id``), so tables join on ``ocid``, ``release_id`` and the links.
* Arrays of literals (``tag``, ``roles``) are joined with ``;`` in one cell; anything else that is
  not a literal is written as JSON.

Columns are the schema's fields for that table in schema order, then fields the schema does not
have, in the order first seen. CSV rows are written as they are produced; XLSX and Parquet are
built from those CSV files (see :mod:`pregon.ocds.flatten_formats`).
"""

from __future__ import annotations

import csv
import gc
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds._flatten import Walker
from pregon.ocds.readers import Reader, Source, byte_range_lines, json_lines_kind
from pregon.ocds.schema import deref, load_release_schema, types_of

MAIN_TABLE = "releases"
SPLIT_SIZE = 16 << 20


@dataclass
class Table:
    """One output table: its columns (name -> index), schema types, and its open rows file."""

    name: str
    keys: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    width_when_first_written: int = 0
    path: Path | None = None
    handle: IO[str] | None = None

    def column(self, name: str) -> int:
        """Return the index of column ``name``, adding it at the end if new."""
        index = self.columns.get(name)
        if index is None:
            index = self.columns[name] = len(self.columns)
        return index


def _schema_tables(schema: dict[str, Any]) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Return table name -> (schema columns in order, column -> JSON type) for a release schema."""
    tables: dict[str, tuple[list[str], dict[str, str]]] = {}

    def visit(subschema: dict[str, Any], table: str, prefix: str, depth: int) -> None:
        if depth > 12:
            return
        columns, types = tables.setdefault(table, ([], {}))
        properties = subschema.get("properties")
        if not isinstance(properties, dict):
            return
        for key, raw in properties.items():
            if not isinstance(raw, dict):
                continue
            value = deref(raw, schema)
            name = f"{prefix}{key}"
            kinds = types_of(value)
            items = deref(value["items"], schema) if isinstance(value.get("items"), dict) else {}
            if "array" in kinds and ("object" in types_of(items) or "properties" in items):
                visit(
                    items,
                    f"{table}_{name.replace('/', '_')}"
                    if table != MAIN_TABLE
                    else name.replace("/", "_"),
                    "",
                    depth + 1,
                )
            elif "object" in kinds and isinstance(value.get("properties"), dict):
                visit(value, table, f"{name}/", depth + 1)
            else:
                columns.append(name)
                scalar = [kind for kind in kinds if kind != "null"]
                types[name] = scalar[0] if len(scalar) == 1 else "string"

    visit(schema, MAIN_TABLE, "", 0)
    return tables


class Flattener:
    """Flatten releases into per-array tables of CSV files in ``directory``.

    Use :meth:`add` for each release, then :meth:`close`; :attr:`tables` describes the output.
    The walk through each release and the CSV text of its rows are the compiled kernel's
    (:mod:`pregon.ocds._flatten`); this class creates the tables it asks for.
    """

    def __init__(self, directory: Path, schema: dict[str, Any] | None = None) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.tables: dict[str, Table] = {}
        self._schema_tables = _schema_tables(
            schema if schema is not None else load_release_schema()
        )
        self._walker = Walker(self._table, MAIN_TABLE)

    def _table(self, name: str, ancestors: tuple[str, ...]) -> Table:
        """Create table ``name``: its key columns, its schema columns, and its open rows file."""
        if name == MAIN_TABLE:
            keys = ["ocid", "id"]
        else:
            keys = ["ocid", "release_id", "_link", "_link_parent", *(f"{a}/id" for a in ancestors)]
        table = self.tables[name] = Table(name, keys)
        for key in keys:
            table.column(key)
        columns, types = self._schema_tables.get(name, ([], {}))
        for column in columns:
            table.column(column)
        table.types = dict(types)
        table.path = self.directory / f"{name}.rows"
        table.handle = table.path.open("w", newline="", encoding="utf-8")
        table.width_when_first_written = len(table.columns)
        return table

    def add(self, release: dict[str, Any]) -> None:
        """Write the rows of one release (a dict) to the tables."""
        self._walker.add(release)

    def close(self) -> dict[str, Table]:
        """Close every table's rows file; return the tables (columns, rows, paths)."""
        self._walker.flush()
        for table in self.tables.values():
            assert table.handle is not None
            table.handle.close()
        return self.tables


@dataclass
class FlattenStats:
    """What a flatten run produced: releases read, rows per table, worker processes used."""

    releases: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    workers: int = 1


@dataclass
class Part:
    """The tables one flattener wrote: name -> (columns, rows file, narrowest row written, row count)."""

    tables: dict[str, tuple[list[str], Path, int, int]]


def _part(tables: dict[str, Table]) -> Part:
    return Part(
        {
            name: (list(table.columns), table.path, table.width_when_first_written, table.rows)
            for name, table in tables.items()
            if table.path is not None
        }
    )


def assemble(parts: list[Part], directory: Path) -> dict[str, tuple[list[str], int]]:
    """Write ``<table>.csv`` in ``directory`` from the parts' rows files, in part order.

    Each table's header is its columns in the first part, then columns first seen in later parts.
    Rows are copied as they are when they already have the final columns, else padded or reordered.
    Returns table name -> (columns, row count).
    """
    names: dict[str, None] = {}
    for part in parts:
        names.update(dict.fromkeys(part.tables))
    result = {}
    for name in names:
        header: dict[str, None] = {}
        for part in parts:
            if name in part.tables:
                header.update(dict.fromkeys(part.tables[name][0]))
        columns = list(header)
        total = 0
        with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            for part in parts:
                if name not in part.tables:
                    continue
                part_columns, path, narrowest, rows = part.tables[name]
                total += rows
                out.flush()
                if part_columns == columns and narrowest == len(columns):
                    with path.open("rb") as raw:  # rows already in the final shape: plain bytes
                        shutil.copyfileobj(raw, out.buffer, 1 << 20)
                else:
                    _rewrite_rows(path, part_columns, columns, writer)
                path.unlink()
        result[name] = (columns, total)
    return result


def _rewrite_rows(path: Path, part_columns: list[str], columns: list[str], writer: Any) -> None:
    """Write the rows of ``path`` (with ``part_columns``) padded or reordered to ``columns``."""
    width = len(columns)
    with path.open(newline="", encoding="utf-8") as source:
        if part_columns == columns[: len(part_columns)]:
            for cells in csv.reader(source):
                writer.writerow(cells + [""] * (width - len(cells)))
        else:
            positions = list(map(columns.index, part_columns))
            for cells in csv.reader(source):
                row = [""] * width
                for position, value in zip(positions, cells, strict=False):
                    row[position] = value
                writer.writerow(row)


def _release_of(item: dict[str, Any], kind: str | None) -> dict[str, Any] | None:
    release = item.get("compiledRelease") if kind == "record" else item
    return release if isinstance(release, dict) else None


def _flatten_range(job: tuple[str, int, int, str, dict[str, Any]]) -> tuple[Part, int]:
    """Flatten the JSON Lines between two byte offsets of a file (a worker's share)."""
    gc.disable()
    path, start, end, directory, schema = job
    flattener = Flattener(Path(directory), schema)
    count = 0
    for line in byte_range_lines(path, start, end):
        item = orjson.loads(line)
        release = _release_of(item, "record" if "compiledRelease" in item else "release")
        if release is not None:
            flattener.add(release)
            count += 1
    return _part(flattener.close()), count


def flatten_csv(
    sources: Iterable[Source],
    directory: Path,
    *,
    schema: dict[str, Any] | str | None = None,
    workers: int | None = None,
    on_item: Callable[[], None] | None = None,
) -> FlattenStats:
    """Flatten the releases in ``sources`` (compiled releases of records) into CSV files in ``directory``.

    A large JSON Lines file is split by byte ranges between ``workers`` processes (default: the CPU
    count); the tables are then assembled in input order.
    """
    release_schema = schema if isinstance(schema, dict) else load_release_schema(schema)
    directory.mkdir(parents=True, exist_ok=True)
    sources = list(sources)
    stats = FlattenStats()
    workers = workers or os.cpu_count() or 1
    scratch = Path(tempfile.mkdtemp(prefix="pregon-flatten-", dir=directory))
    parts: list[Part] = []
    try:
        for number, source in enumerate(sources):
            size = (
                Path(source).stat().st_size
                if isinstance(source, (str, Path)) and str(source) != "-"
                else 0
            )
            if (
                workers > 1
                and size > SPLIT_SIZE
                and "fork" in multiprocessing.get_all_start_methods()
                and json_lines_kind(source) is not None
            ):
                bounds = [size * share // workers for share in range(workers + 1)]
                jobs = [
                    (
                        str(source),
                        bounds[share],
                        bounds[share + 1],
                        str(scratch / f"{number}-{share}"),
                        release_schema,
                    )
                    for share in range(workers)
                ]
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for part, count in pool.map(_flatten_range, jobs):
                        parts.append(part)
                        stats.releases += count
                stats.workers = workers
                continue
            flattener = Flattener(scratch / f"{number}", release_schema)
            reader = Reader(source)
            for item in reader:
                if on_item is not None:
                    on_item()
                release = _release_of(item, reader.kind)
                if release is not None:
                    flattener.add(release)
                    stats.releases += 1
            parts.append(_part(flattener.close()))
        tables = assemble(parts, directory)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stats.tables = {name: rows for name, (_, rows) in tables.items()}
    return stats
