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
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds.readers import Reader, Source
from pregon.ocds.schema import deref, load_release_schema, types_of

MAIN_TABLE = "releases"
#: (element link, enclosing array paths, their element ids, (ocid, release id))
Scope = tuple[str, tuple[str, ...], tuple[Any, ...], tuple[Any, Any]]
_LITERALS = (str, int, float, bool)


@dataclass
class Table:
    """One output table: its columns (name -> index), schema types, and the open CSV writer."""

    name: str
    keys: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    width_when_first_written: int = 0
    path: Path | None = None
    handle: IO[str] | None = None
    writer: Any = None

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


def _cell(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float:
        return value
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return ""
    if kind is list and all(type(item) in _LITERALS for item in value):
        return ";".join(
            item if type(item) is str else orjson.dumps(item).decode() for item in value
        )
    return orjson.dumps(value).decode()


class Flattener:
    """Flatten releases into per-array tables of CSV files in ``directory``.

    Use :meth:`add` for each release, then :meth:`close`; :attr:`tables` describes the output.
    """

    def __init__(self, directory: Path, schema: dict[str, Any] | None = None) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.tables: dict[str, Table] = {}
        self._schema_tables = _schema_tables(
            schema if schema is not None else load_release_schema()
        )
        # (table, field prefix) -> {field name -> column index}: saves building "prefix + key"
        self._columns: dict[tuple[str, str], dict[str, int]] = {}

    def _table(self, name: str, ancestors: tuple[str, ...]) -> Table:
        table = self.tables.get(name)
        if table is None:
            if name == MAIN_TABLE:
                keys = ["ocid", "id"]
            else:
                keys = [
                    "ocid",
                    "release_id",
                    "_link",
                    "_link_parent",
                    *(f"{a}/id" for a in ancestors),
                ]
            table = self.tables[name] = Table(name, keys)
            for key in keys:
                table.column(key)
            columns, types = self._schema_tables.get(name, ([], {}))
            for column in columns:
                table.column(column)
            table.types = dict(types)
            table.path = self.directory / f"{name}.csv"
            table.handle = table.path.open("w", newline="", encoding="utf-8")
            table.writer = csv.writer(table.handle)
            table.width_when_first_written = len(table.columns)
        return table

    def _prefixed(self, table: Table, prefix: str) -> dict[str, int]:
        mapping = self._columns.get((table.name, prefix))
        if mapping is None:
            cut = len(prefix)
            mapping = {
                name[cut:]: index
                for name, index in table.columns.items()
                if name.startswith(prefix)
            }
            self._columns[(table.name, prefix)] = mapping
        return mapping

    def _column(self, table: Table, prefix: str, key: str) -> int:
        index = table.column(prefix + key)
        self._prefixed(table, prefix)[key] = index
        return index

    def add(self, release: dict[str, Any]) -> None:
        """Write the rows of one release (a dict) to the tables."""
        table = self._table(MAIN_TABLE, ())
        context = (_cell(release.get("ocid")), _cell(release.get("id")))
        cells: list[Any] = [""] * len(table.columns)
        cells[0], cells[1] = context
        self._fill(table, cells, release, "", ("", (), (), context), top=True)
        table.writer.writerow(cells)
        table.rows += 1

    def _fill(
        self,
        table: Table,
        cells: list[Any],
        obj: dict[str, Any],
        prefix: str,
        scope: Scope,
        *,
        top: bool = False,
    ) -> None:
        """Put the fields of ``obj`` in the row ``cells``; write the rows of its arrays of objects.

        ``scope`` is (the element's link, enclosing array paths, their element ids, (ocid, release id)).
        """
        columns = self._prefixed(table, prefix)
        for key, value in obj.items():
            kind = type(value)
            if kind is str or kind is int or kind is float:
                index = columns.get(key)
                if index is None:
                    index = self._column(table, prefix, key)
            elif kind is dict:
                self._fill(table, cells, value, f"{prefix}{key}/", scope)
                continue
            elif (
                kind is list
                and value
                and type(value[0]) is dict
                and all(type(item) is dict for item in value)
            ):
                name = prefix + key
                path = name.replace("/", "_")
                child = path if table.name == MAIN_TABLE else f"{table.name}_{path}"
                self._rows(child, value, f"{scope[0]}/{name}" if scope[0] else name, scope)
                continue
            else:
                index = columns.get(key)
                if index is None:
                    index = self._column(table, prefix, key)
                value = _cell(value)
            if top and index < 2:
                continue  # ocid and id are already in place
            if index >= len(cells):
                cells.extend([""] * (index + 1 - len(cells)))
            cells[index] = value

    def _rows(self, name: str, items: list[dict[str, Any]], array_link: str, scope: Scope) -> None:
        """Write one row per element of an array of objects to table ``name``."""
        parent_link, ancestors, ancestor_ids, context = scope
        table = self._table(name, ancestors)
        width = len(table.columns)
        base: list[Any] = [""] * width
        base[0], base[1], base[3] = context[0], context[1], parent_link
        base[4 : 4 + len(ancestor_ids)] = ancestor_ids
        inner = (*ancestors, _strip_indices(array_link))
        writerow = table.writer.writerow
        for position, item in enumerate(items):
            cells = base.copy()
            element = f"{array_link}/{position}"
            cells[2] = element
            self._fill(
                table,
                cells,
                item,
                "",
                (element, inner, (*ancestor_ids, _cell(item.get("id"))), context),
            )
            writerow(cells)
        table.rows += len(items)

    def close(self) -> dict[str, Table]:
        """Finish every table (header first, rows padded to the final width); return the tables."""
        for table in self.tables.values():
            assert table.handle is not None and table.path is not None
            table.handle.close()
            header = list(table.columns)
            staged = table.path.with_suffix(".rows")
            table.path.rename(staged)
            with table.path.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerow(header)
                with staged.open(newline="", encoding="utf-8") as rows:
                    if len(header) == table.width_when_first_written:
                        shutil.copyfileobj(rows, out, 1 << 20)
                    else:
                        writer = csv.writer(out)
                        padding = len(header)
                        for cells in csv.reader(rows):
                            writer.writerow(cells + [""] * (padding - len(cells)))
            staged.unlink()
        return self.tables


def _strip_indices(link: str) -> str:
    return "/".join(part for part in link.split("/") if not part.isdigit())


@dataclass
class FlattenStats:
    """What a flatten run produced: rows per table."""

    releases: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def flatten_csv(
    sources: Iterable[Source],
    directory: Path,
    *,
    schema: dict[str, Any] | str | None = None,
    on_item: Callable[[], None] | None = None,
) -> tuple[FlattenStats, dict[str, Table]]:
    """Flatten the releases in ``sources`` (compiled releases of records) into CSV files in ``directory``."""
    release_schema = schema if isinstance(schema, dict) else load_release_schema(schema)
    flattener = Flattener(directory, release_schema)
    stats = FlattenStats()
    for source in sources:
        reader = Reader(source)
        for item in reader:
            if on_item is not None:
                on_item()
            release = item.get("compiledRelease") if reader.kind == "record" else item
            if isinstance(release, dict):
                flattener.add(release)
                stats.releases += 1
    tables = flattener.close()
    stats.tables = {name: table.rows for name, table in tables.items()}
    return stats, tables


def temporary_directory() -> Path:
    """Return a new temporary directory (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix="pregon-flatten-"))
