"""Flattening: one table per array, joinable by keys, in CSV, XLSX and Parquet."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pregon.ocds import flatten_releases as flatten
from tests.ocds.builders import make_release, write_lines


def table(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_one_table_per_array_with_join_keys(tmp_path: Path, releases: list[dict[str, Any]]) -> None:
    stats = flatten([write_lines(tmp_path / "r.jsonl", releases)], tmp_path / "out")
    out = tmp_path / "out"
    assert stats.tables == {
        "releases": 6,
        "parties": 12,
        "tender_items": 6,
        "tender_lots": 6,
        "awards": 1,
        "awards_suppliers": 1,
        "awards_items": 1,
    }
    main = table(out, "releases")
    assert main[0]["ocid"] == releases[0]["ocid"]
    assert main[0]["id"] == releases[0]["id"]
    assert main[0]["tender/value/amount"] == "1000"
    assert main[0]["tag"] == "tender"
    assert main[0]["tender/submissionMethod"] == "electronicSubmission"
    party = table(out, "parties")[1]
    assert party["release_id"] == releases[0]["id"]
    assert (party["_link"], party["_link_parent"]) == ("parties/1", "")
    assert party["details/scale"] == "micro"
    assert party["roles"] == "tenderer"
    (item,) = table(out, "awards_items")
    assert (item["_link"], item["_link_parent"], item["awards/id"]) == (
        "awards/0/items/0",
        "awards/0",
        "A-1",
    )
    (award,) = table(out, "awards")
    assert (award["ocid"], award["release_id"], award["_link"]) == (
        item["ocid"],
        item["release_id"],
        "awards/0",
    )


def test_schema_columns_come_first_then_fields_seen(tmp_path: Path) -> None:
    release = make_release(0, customField="x")
    release["tender"]["title_es"] = "Título"
    flatten([write_lines(tmp_path / "r.jsonl", [make_release(1), release])], tmp_path / "out")
    with (tmp_path / "out" / "releases.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:4] == ["ocid", "id", "date", "tag"]
    assert header[-2:] == ["tender/title_es", "customField"]
    rows = table(tmp_path / "out", "releases")
    assert (rows[0]["customField"], rows[1]["customField"]) == ("", "x")


def test_a_large_file_split_between_processes_gives_the_same_tables(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import pregon.ocds.flatten as module

    releases = [
        make_release(i % 7, f"ocds-213czf-{i:04d}", extra={"n": i} if i == 40 else {})
        for i in range(60)
    ]
    path = write_lines(tmp_path / "r.jsonl", releases)
    flatten([path], tmp_path / "one", workers=1)
    monkeypatch.setattr(module, "SPLIT_SIZE", 1000)
    stats = flatten([path], tmp_path / "two", workers=2)
    assert stats.workers == 2
    for name in stats.tables:
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (
            tmp_path / "two" / f"{name}.csv"
        ).read_bytes()


def test_xlsx_has_one_sheet_per_table(tmp_path: Path, releases: list[dict[str, Any]]) -> None:
    flatten([write_lines(tmp_path / "r.jsonl", releases)], tmp_path / "out", format="xlsx")
    with zipfile.ZipFile(tmp_path / "out" / "flattened.xlsx") as workbook:
        book = workbook.read("xl/workbook.xml").decode()
    for name in ("releases", "parties", "tender_items", "awards_suppliers"):
        assert f'name="{name}"' in book


def test_parquet_columns_are_typed_by_the_schema(
    tmp_path: Path, releases: list[dict[str, Any]]
) -> None:
    import pyarrow.parquet as pq

    flatten([write_lines(tmp_path / "r.jsonl", releases)], tmp_path / "out", format="parquet")
    main = pq.read_table(tmp_path / "out" / "releases.parquet")
    assert main.num_rows == 6
    assert str(main.schema.field("tender/value/amount").type) == "double"
    assert main.column("tender/value/amount").to_pylist()[:2] == [1000.0, 1000.0]
    items = pq.read_table(tmp_path / "out" / "tender_items.parquet")
    assert items.column("_link").to_pylist()[0] == "tender/items/0"


def test_parquet_falls_back_to_text_for_values_the_schema_does_not_allow(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    release = make_release(0)
    release["tender"]["value"]["amount"] = "about 12"
    flatten([write_lines(tmp_path / "r.jsonl", [release])], tmp_path / "out", format="parquet")
    main = pq.read_table(tmp_path / "out" / "releases.parquet")
    assert main.column("tender/value/amount").to_pylist() == ["about 12"]


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'ods'"):
        flatten([], tmp_path, format="ods")
