"""Write flattened tables as CSV, XLSX or Parquet.

Flattening always produces CSV first (rows streamed to disk); XLSX workbooks and Parquet files are
then converted from those CSV files one table at a time, so memory stays bounded: xlsxwriter in
constant-memory mode, and pyarrow's streaming CSV reader with typed columns (numbers, integers and
booleans as the schema declares them; a table whose values do not fit falls back to text).
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pregon.ocds.flatten import FlattenStats, _schema_tables, flatten_csv
from pregon.ocds.readers import Source
from pregon.ocds.schema import load_release_schema

FORMATS = ("csv", "xlsx", "parquet")
XLSX_MAX_ROWS = 1_048_576


def _types(schema: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {name: types for name, (_, types) in _schema_tables(schema).items()}


def _convert(value: str, kind: str | None) -> Any:
    if not value or kind not in ("number", "integer"):
        return value
    try:
        number = float(value) if kind == "number" else int(value)
    except ValueError:
        return value
    return number


def write_xlsx(
    csv_directory: Path, tables: Iterable[str], target: Path, types: dict[str, dict[str, str]]
) -> None:
    """Write one worksheet per table (continuing on further sheets past Excel's row limit)."""
    # Loaded only for XLSX output: it would add ~0.25 s to every `pregon ocds` command's start.
    import xlsxwriter  # noqa: PLC0415

    csv.field_size_limit(sys.maxsize)
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_urls": False})
    used: set[str] = set()
    try:
        for name in tables:
            column_types = types.get(name, {})
            with (csv_directory / f"{name}.csv").open(newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                header = next(reader, [])
                kinds = [column_types.get(column) for column in header]
                sheet = None
                row_number = XLSX_MAX_ROWS
                for cells in reader:
                    if row_number >= XLSX_MAX_ROWS:
                        sheet = workbook.add_worksheet(_sheet_name(name, used))
                        sheet.write_row(0, 0, header)
                        row_number = 1
                    assert sheet is not None
                    sheet.write_row(
                        row_number,
                        0,
                        [_convert(value, kind) for value, kind in zip(cells, kinds, strict=False)],
                    )
                    row_number += 1
                if sheet is None:
                    workbook.add_worksheet(_sheet_name(name, used)).write_row(0, 0, header)
    finally:
        workbook.close()


def _sheet_name(name: str, used: set[str]) -> str:
    """A worksheet name: at most 31 characters, unique in the workbook."""
    base = name[:31]
    candidate = base
    number = 2
    while candidate.lower() in used:
        suffix = f"~{number}"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def write_parquet(
    csv_directory: Path, tables: Iterable[str], target: Path, types: dict[str, dict[str, str]]
) -> None:
    """Write ``<table>.parquet`` files in ``target`` from the tables' CSV files, streaming."""
    # pyarrow is loaded only for Parquet output: it would add ~0.5 s to every `pregon ocds`
    # command's start (here and in _csv_to_parquet).
    import pyarrow as pa  # noqa: PLC0415

    arrow_types = {"number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_()}
    for name in tables:
        source = csv_directory / f"{name}.csv"
        with source.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), [])
        typed = {
            column: arrow_types.get(kind, pa.string())
            for column, kind in types.get(name, {}).items()
        }
        column_types = {column: typed.get(column, pa.string()) for column in header}
        for attempt in (column_types, dict.fromkeys(header, pa.string())):
            try:
                _csv_to_parquet(source, target / f"{name}.parquet", attempt)
                break
            except pa.ArrowInvalid:
                if attempt is not column_types:
                    raise


def _csv_to_parquet(source: Path, target: Path, column_types: dict[str, Any]) -> None:
    # Only for Parquet output, as in write_parquet: pyarrow is slow to import.
    from pyarrow import csv as pacsv  # noqa: PLC0415
    from pyarrow import parquet as pq  # noqa: PLC0415

    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(block_size=8 << 20),
        convert_options=pacsv.ConvertOptions(
            column_types=column_types,
            strings_can_be_null=True,
            true_values=["true"],
            false_values=["false"],
        ),
    )
    with pq.ParquetWriter(target, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


def flatten_releases(
    sources: Iterable[Source],
    out: Path,
    *,
    format: str = "csv",
    schema: dict[str, Any] | str | None = None,
    workers: int | None = None,
    on_item: Callable[[], None] | None = None,
) -> FlattenStats:
    """Flatten releases into ``out``: a directory of CSV files or Parquet files, or an XLSX workbook.

    With ``format="xlsx"``, ``out`` is a directory that receives ``flattened.xlsx``.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    release_schema = schema if isinstance(schema, dict) else load_release_schema(schema)
    out.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        return flatten_csv(sources, out, schema=release_schema, workers=workers, on_item=on_item)
    staging = out / ".csv-staging"
    try:
        stats = flatten_csv(
            sources, staging, schema=release_schema, workers=workers, on_item=on_item
        )
        types = _types(release_schema)
        if format == "xlsx":
            write_xlsx(staging, stats.tables, out / "flattened.xlsx", types)
        else:
            write_parquet(staging, stats.tables, out, types)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return stats
