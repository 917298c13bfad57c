"""The compile pipeline: grouping by ocid in memory or spilled to disk, in one or more processes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from pregon.ocds import (
    CompileOptions,
    InputError,
    MergeError,
    PackageMetadata,
    Validator,
    compile_release,
    compile_stream,
    version_releases,
)
from tests.ocds.builders import make_release, package, write_lines


def many_releases(count: int = 60) -> list[dict[str, Any]]:
    """``count`` releases of ``count // 3`` processes, interleaved."""
    return [make_release(index // 20, f"ocds-213czf-{index % 20:04d}") for index in range(count)]


def run(sources: list[Any], **kwargs: Any) -> tuple[bytes, Any]:
    out = io.BytesIO()
    stats = compile_stream(sources, out, **kwargs)
    return out.getvalue(), stats


def by_ocid(output: bytes) -> dict[str, dict[str, Any]]:
    return {item["ocid"]: item for item in map(orjson.loads, output.splitlines())}


def test_compiled_releases_equal_merging_each_process(tmp_path: Path) -> None:
    releases = many_releases()
    output, stats = run([write_lines(tmp_path / "r.jsonl", releases)])
    assert (stats.releases, stats.ocids, stats.spilled) == (60, 20, False)
    compiled = by_ocid(output)
    for ocid, merged in compiled.items():
        assert merged == compile_release([r for r in releases if r["ocid"] == ocid])


@pytest.mark.parametrize("workers", [1, 2])
def test_spilling_to_disk_gives_the_same_bytes(tmp_path: Path, workers: int) -> None:
    path = write_lines(tmp_path / "r.jsonl", many_releases())
    in_memory, _ = run([path])
    spilled, stats = run([path], memory_budget=1000, workers=workers)
    assert stats.spilled
    assert stats.partitions > 1
    assert spilled == in_memory


@pytest.mark.parametrize("workers", [1, 2])
def test_oversized_partitions_are_merged_in_slices_with_the_same_bytes(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Partitions far larger than PARTITION_SIZE are cut by further hash bits (in both the
    indexed and the spilled pipelines), and several files combine in input order."""
    releases = many_releases(90)
    first = write_lines(tmp_path / "a.jsonl", releases[:50])
    second = write_lines(tmp_path / "b.jsonl", releases[50:])
    in_memory, _ = run([first, second])
    monkeypatch.setattr("pregon.ocds.compile.PARTITION_SIZE", 20)
    sliced, stats = run([first, second], memory_budget=1000, workers=workers)
    assert stats.spilled
    assert stats.releases == 90
    assert sliced == in_memory


def test_blank_lines_and_indented_lines_are_read_from_their_offsets(tmp_path: Path) -> None:
    releases = many_releases(12)
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"".join(b"\n  " + orjson.dumps(r) + b" \r\n" for r in releases))
    indexed, stats = run([path], memory_budget=100, workers=2)
    assert stats.partitions > 1
    assert indexed == run([write_lines(tmp_path / "plain.jsonl", releases)])[0]


def test_a_stream_spills_and_merges_in_worker_processes(tmp_path: Path) -> None:
    import gzip

    releases = many_releases()
    path = tmp_path / "r.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in releases)))
    spilled, stats = run([path], memory_budget=1000, workers=2)
    assert stats.spilled
    assert spilled == run([write_lines(tmp_path / "r.jsonl", releases)])[0]


def test_versioned_releases_and_record_packages(tmp_path: Path) -> None:
    releases = many_releases(9)
    path = write_lines(tmp_path / "r.jsonl", releases)
    versioned = by_ocid(run([path], options=CompileOptions(versioned=True))[0])
    ocid = releases[0]["ocid"]
    assert versioned[ocid] == version_releases([r for r in releases if r["ocid"] == ocid])
    metadata = PackageMetadata(
        uri="https://example.org/records.json", published_date="2024-05-01T00:00:00Z"
    )
    options = CompileOptions(versioned=True, package=True, metadata=metadata)
    record_package = orjson.loads(run([path], options=options)[0])
    assert record_package["uri"] == "https://example.org/records.json"
    assert record_package["version"] == "1.1"
    record = record_package["records"][0]
    assert set(record) == {"ocid", "releases", "compiledRelease", "versionedRelease"}
    validator = Validator()
    for index, item in enumerate(record_package["records"]):
        assert validator.validate_record(item, f"records/{index}") == []
    assert (
        validator.validate_package(
            {k: v for k, v in record_package.items() if k != "records"}, "record", 3
        )
        == []
    )


def test_linked_releases(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "r.jsonl", many_releases(3))
    options = CompileOptions(
        package=True, linked_releases=True, metadata=PackageMetadata(uri="https://x.org/p.json")
    )
    record = orjson.loads(run([path], options=options)[0])["records"][0]
    assert record["releases"] == [
        {
            "url": f"https://x.org/p.json#{record['ocid']}-00",
            "date": "2024-01-01T00:00:00Z",
            "tag": ["tender"],
        }
    ]


def test_packages_arrays_and_several_inputs_combine(tmp_path: Path) -> None:
    releases = many_releases(6)
    first = tmp_path / "a.json"
    first.write_bytes(orjson.dumps(package(releases[:3])))
    second = tmp_path / "b.json"
    second.write_bytes(orjson.dumps(releases[3:]))
    combined = by_ocid(run([first, second])[0])
    alone = by_ocid(run([write_lines(tmp_path / "all.jsonl", releases)])[0])
    assert combined == alone


def test_records_and_releases_without_ocid_are_refused(tmp_path: Path) -> None:
    records = package([{"ocid": "x", "releases": []}], "records")
    with pytest.raises(InputError, match="holds records, not releases"):
        run([io.BytesIO(orjson.dumps(records))])
    with pytest.raises(MergeError, match="release 2 has no 'ocid'"):
        run([io.BytesIO(b'{"ocid": "a", "date": "x"}\n{"id": "b"}\n')])


def test_the_output_does_not_depend_on_the_input_order(tmp_path: Path) -> None:
    releases = many_releases()
    forward, _ = run([write_lines(tmp_path / "a.jsonl", releases)])
    backward, _ = run(
        [write_lines(tmp_path / "b.jsonl", releases[::-1])], memory_budget=1000, workers=1
    )
    assert forward == backward
