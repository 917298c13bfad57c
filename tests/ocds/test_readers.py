"""Readers: every container the toolkit accepts, streamed, with gzip and readable errors."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from pregon.ocds import InputError, Reader
from tests.ocds.builders import package, write_lines


def read(data: bytes | Path) -> tuple[list[dict[str, Any]], Reader]:
    reader = Reader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return list(reader), reader


def test_json_lines(tmp_path: Path, releases: list[dict[str, Any]]) -> None:
    items, reader = read(write_lines(tmp_path / "r.jsonl", releases))
    assert items == releases
    assert (reader.kind, reader.container) == ("release", "lines")


def test_release_package_keeps_metadata_before_and_after_the_array(
    releases: list[dict[str, Any]],
) -> None:
    data = package(releases, extensions=["https://example.org/x/extension.json"])
    # keys in alphabetical order put uri and version after the releases array
    items, reader = read(json.dumps(data, sort_keys=True, indent=2).encode())
    assert items == releases
    assert reader.container == "release_package"
    assert reader.packages == [{key: value for key, value in data.items() if key != "releases"}]


def test_record_package_and_array(releases: list[dict[str, Any]]) -> None:
    records = [{"ocid": r["ocid"], "releases": [r], "compiledRelease": r} for r in releases[:2]]
    items, reader = read(orjson.dumps(package(records, "records")))
    assert items == records
    assert (reader.kind, reader.container) == ("record", "record_package")
    items, reader = read(orjson.dumps(releases))
    assert items == releases
    assert (reader.kind, reader.container) == ("release", "array")


def test_concatenated_json_and_lines_of_packages(releases: list[dict[str, Any]]) -> None:
    text = b"\n".join(json.dumps(r, indent=1).encode() for r in releases)
    items, reader = read(text)
    assert items == releases
    assert reader.container == "json"
    lines = (
        orjson.dumps(package(releases[:3])) + b"\n" + orjson.dumps(package(releases[3:])) + b"\n"
    )
    items, reader = read(lines)
    assert items == releases
    assert len(reader.packages) == 2


def test_gzip_is_recognised_by_its_magic_bytes(
    tmp_path: Path, releases: list[dict[str, Any]]
) -> None:
    path = tmp_path / "releases.data"
    path.write_bytes(gzip.compress(orjson.dumps(package(releases))))
    items, reader = read(path)
    assert items == releases
    assert reader.container == "release_package"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"hello", "does not start with a JSON object or array"),
        (b'{"releases": [{"ocid": "x"},', "not valid JSON"),
        (b'{"ocid": "a"}\n{"ocid": \n', "the input, item 2 is not valid JSON"),
        (b"[1, 2]", "holds a number where a release"),
    ],
)
def test_unreadable_input_says_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(data)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot open .*missing\.json") as info:
        read(tmp_path / "missing.json")
    assert "standard input" in info.value.hint


def test_raw_lines_are_passed_on_unparsed(tmp_path: Path, releases: list[dict[str, Any]]) -> None:
    reader = Reader(write_lines(tmp_path / "r.jsonl", releases))
    raw = list(reader.iter_raw())
    assert all(isinstance(item, bytes) for item in raw)
    assert [orjson.loads(item) for item in raw] == releases


@pytest.mark.parametrize("container", ["lines", "release_package", "array", "json", "packages"])
@pytest.mark.parametrize("seekable", [True, False])
def test_a_byte_order_mark_first_is_skipped(
    tmp_path: Path, releases: list[dict[str, Any]], container: str, seekable: bool
) -> None:
    """Windows tools often start UTF-8 files with a byte order mark: it is not part of the JSON."""
    data = {
        "lines": b"".join(orjson.dumps(r) + b"\n" for r in releases),
        "release_package": orjson.dumps(package(releases)),
        "array": orjson.dumps(releases),
        "json": b"\n".join(json.dumps(r, indent=1).encode() for r in releases),
        "packages": orjson.dumps(package(releases[:3]))
        + b"\n"
        + orjson.dumps(package(releases[3:])),
    }[container]
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    source: Any = path if seekable else io.BytesIO(path.read_bytes())
    if not seekable:
        source.seekable = lambda: False  # as standard input is
    assert list(Reader(source)) == releases
