"""Flattening: one table per array, joinable by keys, in CSV, XLSX and Parquet."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.ocds import flatten as flatten_module
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
    releases = [
        make_release(i % 7, f"ocds-213czf-{i:04d}", extra={"n": i} if i == 40 else {})
        for i in range(60)
    ]
    path = write_lines(tmp_path / "r.jsonl", releases)
    flatten([path], tmp_path / "one", workers=1)
    monkeypatch.setattr(flatten_module, "SPLIT_SIZE", 1000)
    stats = flatten([path], tmp_path / "two", workers=2)
    assert stats.workers == 2
    for name in stats.tables:
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (
            tmp_path / "two" / f"{name}.csv"
        ).read_bytes()


def test_cells_are_written_as_the_csv_module_writes_them(tmp_path: Path) -> None:
    release = make_release(0, tag=["tender", "award"])
    release["tender"].update(
        title='Pens, "blue"\r\nand red',
        description="Lápices, ñandú — 日本 \x00 \u2028",
        hasEnquiries=True,
        numberOfTenderers=2**62,
        minValue={"amount": -0.0, "currency": None},
        eligibilityCriteria="",
    )
    release["tender"]["value"]["amount"] = 0.1 + 0.2
    release["tender"]["items"][0]["quantity"] = 1e300
    release.update(
        mixedList=[1, 2.5, True, "x,y"],
        objectsAndLiterals=[{"a": 1}, "b"],
        anObjectInAList=[[{"a": "b"}]],
        emptyList=[],
    )
    flatten([write_lines(tmp_path / "r.jsonl", [release])], tmp_path / "out")

    text = (tmp_path / "out" / "releases.csv").read_bytes().decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rewritten = io.StringIO(newline="")
    csv.writer(rewritten).writerows(rows)
    assert rewritten.getvalue() == text  # quoting, quotes and line endings as csv.writer's
    (row,) = table(tmp_path / "out", "releases")
    assert {name: row[name] for name in row if name.startswith("tender/") and row[name]} == {
        "tender/id": "T-1",
        "tender/title": 'Pens, "blue"\r\nand red',
        "tender/description": "Lápices, ñandú — 日本 \x00 \u2028",
        "tender/value/amount": "0.30000000000000004",
        "tender/value/currency": "USD",
        "tender/minValue/amount": "-0.0",
        "tender/submissionMethod": "electronicSubmission",
        "tender/hasEnquiries": "true",
        "tender/numberOfTenderers": "4611686018427387904",
    }
    assert row["tag"] == "tender;award"
    assert row["mixedList"] == "1;2.5;true;x,y"
    assert row["objectsAndLiterals"] == '[{"a":1},"b"]'
    assert row["anObjectInAList"] == '[[{"a":"b"}]]'
    assert row["emptyList"] == ""
    (item,) = table(tmp_path / "out", "tender_items")
    assert item["quantity"] == "1e+300"


def test_nested_arrays_carry_the_links_and_ids_of_their_ancestors(tmp_path: Path) -> None:
    release = make_release(0, id='R "1", first')
    release["contracts"] = [
        {"id": "C,1", "implementation": {"transactions": [{"id": "T1"}, {"id": "T2"}]}},
        {"id": 7, "items": [{"id": "I1", "unit": {"id": "kg", "value": {"amount": 2}}}]},
    ]
    flatten([write_lines(tmp_path / "r.jsonl", [release])], tmp_path / "out")
    out = tmp_path / "out"
    transactions = table(out, "contracts_implementation_transactions")
    assert [
        (t["release_id"], t["_link"], t["_link_parent"], t["contracts/id"], t["id"])
        for t in transactions
    ] == [
        ('R "1", first', "contracts/0/implementation/transactions/0", "contracts/0", "C,1", "T1"),
        ('R "1", first', "contracts/0/implementation/transactions/1", "contracts/0", "C,1", "T2"),
    ]
    (item,) = table(out, "contracts_items")
    assert (item["_link"], item["contracts/id"], item["unit/id"], item["unit/value/amount"]) == (
        "contracts/1/items/0",
        "7",
        "kg",
        "2",
    )
    assert [c["id"] for c in table(out, "contracts")] == ["C,1", "7"]


def test_columns_first_seen_mid_stream_are_added_and_earlier_rows_padded(tmp_path: Path) -> None:
    first, second, third = make_release(0), make_release(1, note="new"), make_release(2)
    second["tender"]["items"].append({"id": "2", "colour": "blue", "size": {"cm": 3}})
    third["tender"]["items"][0]["colour"] = "red"
    flatten([write_lines(tmp_path / "r.jsonl", [first, second, third])], tmp_path / "out")
    out = tmp_path / "out"
    for name in ("releases", "tender_items"):
        with (out / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            widths = {len(row) for row in csv.reader(f)}
        assert len(widths) == 1
    assert [row["note"] for row in table(out, "releases")] == ["", "new", ""]
    items = table(out, "tender_items")
    assert [(i["id"], i["colour"], i["size/cm"]) for i in items] == [
        ("1", "", ""),
        ("1", "", ""),
        ("2", "blue", "3"),
        ("1", "red", ""),
    ]
    with (out / "tender_items.csv").open(newline="", encoding="utf-8") as f:
        assert next(csv.reader(f))[-2:] == ["colour", "size/cm"]


# Release-like data, shaped like the schema: a field holds literals, an object or an array of
# objects, never one here and another there (as "a/b" and "a_b", those would share a table name).
# Field names hold no "/" or "_" (which name columns and tables).
_SCALAR_KEYS = st.sampled_from(["id", "title", "a,b", 'say "hi"', "ñ", "línea\nnueva"])
_OBJECT_KEYS = st.sampled_from(["value", "x, y"])
_ARRAY_KEYS = st.sampled_from(["items", 'the "lots"'])
_TEXT = st.text(max_size=12)
_LITERAL = (
    _TEXT
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
_FIELD = (
    _LITERAL
    | st.lists(_LITERAL, max_size=3)
    | st.tuples(st.dictionaries(_SCALAR_KEYS, _LITERAL, max_size=2), _LITERAL).map(list)
)
_OBJECT = st.recursive(
    st.dictionaries(_SCALAR_KEYS, _FIELD, max_size=4),
    lambda inner: st.builds(
        lambda scalars, objects, arrays: {**scalars, **objects, **arrays},
        st.dictionaries(_SCALAR_KEYS, _FIELD, max_size=3),
        st.dictionaries(_OBJECT_KEYS, inner, max_size=1),
        st.dictionaries(_ARRAY_KEYS, st.lists(inner, min_size=1, max_size=3), max_size=1),
    ),
    max_leaves=10,
)
_RELEASES = st.lists(
    st.builds(
        lambda ocid, fields: {"ocid": ocid, "id": fields.get("id", ocid), **fields},
        _TEXT,
        _OBJECT,
    ),
    min_size=1,
    max_size=4,
)


def _expected_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return ""
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return ";".join(
            item if isinstance(item, str) else orjson.dumps(item).decode() for item in value
        )
    return orjson.dumps(value).decode()


def _expected_tables(releases: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Table -> rows (column -> cell), as pregon.ocds.flatten's module docstring describes them."""
    tables: dict[str, list[dict[str, str]]] = {}

    def fill(row: dict[str, str], obj: dict[str, Any], prefix: str, at: tuple[Any, ...]) -> None:
        table_name, link, ancestors, ids, context = at
        for key, value in obj.items():
            name = prefix + key
            if isinstance(value, dict):
                fill(row, value, f"{name}/", at)
            elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
                path = name.replace("/", "_")
                child = path if table_name == "releases" else f"{table_name}_{path}"
                array_link = f"{link}/{name}" if link else name
                stripped = "/".join(part for part in array_link.split("/") if not part.isdigit())
                for position, item in enumerate(value):
                    element = f"{array_link}/{position}"
                    child_row = {
                        "ocid": context[0],
                        "release_id": context[1],
                        "_link": element,
                        "_link_parent": link,
                        **{f"{a}/id": i for a, i in zip(ancestors, ids, strict=True)},
                    }
                    inner = (*ancestors, stripped), (*ids, _expected_cell(item.get("id")))
                    fill(child_row, item, "", (child, element, *inner, context))
                    tables.setdefault(child, []).append(child_row)
            else:
                row[name] = _expected_cell(value)

    for release in releases:
        row: dict[str, str] = {}
        context = (_expected_cell(release["ocid"]), _expected_cell(release["id"]))
        fill(row, release, "", ("releases", "", (), (), context))
        tables.setdefault("releases", []).append(row)
    return tables


@given(_RELEASES)
@settings(max_examples=60, deadline=None)
def test_flattened_cells_read_back_as_the_values_given(releases: list[dict[str, Any]]) -> None:
    expected = _expected_tables(releases)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        stats = flatten([write_lines(Path(tmp) / "r.jsonl", releases)], out, workers=1)
        assert stats.tables == {name: len(rows) for name, rows in expected.items()}
        for name, rows in expected.items():
            read = table(out, name)
            assert read == [{column: row.get(column, "") for column in read[0]} for row in rows]


def test_xlsx_has_one_sheet_per_table(tmp_path: Path, releases: list[dict[str, Any]]) -> None:
    flatten([write_lines(tmp_path / "r.jsonl", releases)], tmp_path / "out", format="xlsx")
    with zipfile.ZipFile(tmp_path / "out" / "flattened.xlsx") as workbook:
        book = workbook.read("xl/workbook.xml").decode()
    for name in ("releases", "parties", "tender_items", "awards_suppliers"):
        assert f'name="{name}"' in book


def test_parquet_columns_are_typed_by_the_schema(
    tmp_path: Path, releases: list[dict[str, Any]]
) -> None:
    flatten([write_lines(tmp_path / "r.jsonl", releases)], tmp_path / "out", format="parquet")
    main = pq.read_table(tmp_path / "out" / "releases.parquet")
    assert main.num_rows == 6
    assert str(main.schema.field("tender/value/amount").type) == "double"
    assert main.column("tender/value/amount").to_pylist()[:2] == [1000.0, 1000.0]
    items = pq.read_table(tmp_path / "out" / "tender_items.parquet")
    assert items.column("_link").to_pylist()[0] == "tender/items/0"


def test_parquet_falls_back_to_text_for_values_the_schema_does_not_allow(tmp_path: Path) -> None:
    release = make_release(0)
    release["tender"]["value"]["amount"] = "about 12"
    flatten([write_lines(tmp_path / "r.jsonl", [release])], tmp_path / "out", format="parquet")
    main = pq.read_table(tmp_path / "out" / "releases.parquet")
    assert main.column("tender/value/amount").to_pylist() == ["about 12"]


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'ods'"):
        flatten([], tmp_path, format="ods")


def test_a_byte_order_mark_changes_nothing(tmp_path: Path, monkeypatch: Any) -> None:
    releases = [make_release(i % 7, f"ocds-213czf-{i:04d}") for i in range(40)]
    path = write_lines(tmp_path / "r.jsonl", releases)
    marked = tmp_path / "bom.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    flatten([path], tmp_path / "plain", workers=1)
    monkeypatch.setattr(flatten_module, "SPLIT_SIZE", 1000)
    for workers in (1, 2):
        stats = flatten([marked], tmp_path / f"bom{workers}", workers=workers)
        assert stats.releases == 40
        for name in stats.tables:
            assert (tmp_path / f"bom{workers}" / f"{name}.csv").read_bytes() == (
                tmp_path / "plain" / f"{name}.csv"
            ).read_bytes()
