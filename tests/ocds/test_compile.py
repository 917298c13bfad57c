"""The compile pipeline: grouping by ocid in memory or spilled to disk, in one or more processes."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from pregon.ocds.compile import indexed as indexed_path
from pregon.ocds.compile.merging import _hash, _ocid_of
from pregon.ocds.readers import PEEK_SIZE
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
    monkeypatch.setattr("pregon.ocds.compile.merging.PARTITION_SIZE", 20)
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


# --- the line-indexing kernel of phase 1 --------------------------------------------------------

_ocids = st.one_of(
    st.text(alphabet="abc-0123é", min_size=1, max_size=6).map(lambda text: f"ocds-{text}"),
    st.just('ocds-"quoted"'),  # escaped in JSON: not the fast path
    st.just("ocds-back\\slash"),
)
_lines = st.lists(
    st.tuples(
        _ocids,
        st.sampled_from(["", "  ", "\t", " \r"]),  # before the line
        st.sampled_from(["", " ", "\r", " \t\r"]),  # after it
        st.booleans(),  # ocid first (the fast path) or after another field
        st.booleans(),  # a blank line after it
    ),
    min_size=1,
    max_size=12,
)


def _layout(lines: list[tuple[str, str, str, bool, bool]], final_break: bool) -> bytes:
    parts = []
    for ocid, before, after, first, blank in lines:
        body = {"ocid": ocid, "id": "1"} if first else {"id": "1", "ocid": ocid}
        parts.append(before.encode() + orjson.dumps(body) + after.encode() + b"\n")
        if blank:
            parts.append(b"  \n")
    data = b"".join(parts)
    return data if final_break else data.rstrip(b"\n")


def _reference(data: bytes, start: int, end: int, bits: int) -> list[list[int]]:
    """The index the line-by-line reading of the pure pipeline would build for [start, end)."""
    indexes: list[list[int]] = [[] for _ in range(1 << bits)]
    position = 0
    for line in io.BytesIO(data):  # line breaks are "\n" only, as readline() sees them
        stripped = line.strip()
        if start <= position < end and stripped:
            digest = _hash(_ocid_of(stripped))
            offset = position + line.index(stripped[:1])
            indexes[digest >> (32 - bits)] += [digest, offset, len(stripped)]
        position += len(line)
    return indexes


@given(lines=_lines, final_break=st.booleans(), cut=st.floats(0, 1), chunk=st.integers(1, 64))
@settings(max_examples=150, deadline=None)
def test_the_kernel_indexes_exactly_the_lines_starting_in_a_range(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[str, str, str, bool, bool]],
    final_break: bool,
    cut: float,
    chunk: int,
) -> None:
    bits = indexed_path._INDEX_BITS
    data = _layout(lines, final_break)
    directory = tmp_path_factory.mktemp("index")
    path = directory / "r.jsonl"
    path.write_bytes(data)
    middle = int(len(data) * cut)
    ranges = [(0, middle), (middle, len(data))]
    saved, indexed_path._CHUNK_SIZE = indexed_path._CHUNK_SIZE, chunk  # lines straddle the chunks
    try:
        results = [
            indexed_path._index_range((str(path), low, high, str(directory / f"i{share}"), "r"))
            for share, (low, high) in enumerate(ranges)
        ]
    finally:
        indexed_path._CHUNK_SIZE = saved
    for share, (low, high) in enumerate(ranges):
        expected = _reference(data, low, high, bits)
        written = array("q", (directory / f"i{share}").read_bytes()).tolist()
        count, ends = results[share]
        assert list(ends) == list(accumulate(len(entries) for entries in expected))
        bounds = [0, *ends]
        got = [written[bounds[number] : bounds[number + 1]] for number in range(1 << bits)]
        assert got == expected
        assert count == len(written) // 3 == sum(len(entries) for entries in expected) // 3


@pytest.mark.parametrize(("budget", "workers"), [(10**9, 1), (100, 1), (100, 2)])
def test_a_byte_order_mark_changes_nothing(tmp_path: Path, budget: int, workers: int) -> None:
    releases = many_releases(30)
    plain = write_lines(tmp_path / "plain.jsonl", releases)
    marked = tmp_path / "bom.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    expected, _ = run([plain])
    output, stats = run([marked], memory_budget=budget, workers=workers)
    assert output == expected
    assert stats.releases == 30


# --- standard input and pipes --------------------------------------------------------------------


# writes a file to standard output, pausing once after the given byte count
FEEDER = """
import sys, time
data = open(sys.argv[1], "rb").read()
pause = int(sys.argv[2])
sys.stdout.buffer.write(data[:pause])
sys.stdout.buffer.flush()
time.sleep(0.5)
sys.stdout.buffer.write(data[pause:])
"""


@contextmanager
def pipe_from(path: Path, pause: int | None = None) -> Iterator[IO[bytes]]:
    """The read end of a real pipe, fed the bytes of ``path`` by another process: ``cat``, or
    a writer that stops for half a second after ``pause`` bytes (while the workers run)."""
    command = ["cat", str(path)]
    if pause is not None:
        command = [sys.executable, "-c", FEEDER, str(path), str(pause)]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as writer:
        assert writer.stdout is not None
        yield writer.stdout


def numerous_releases(count: int) -> list[dict[str, Any]]:
    """``count`` releases, four of each process, the processes interleaved."""
    processes = count // 4
    return [
        make_release(index // processes, f"ocds-213czf-{index % processes:05d}")
        for index in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "budget", "small_buffers"),
    [
        (60, 10**9, False),  # within the budget: grouped in memory
        (60, 3000, False),  # indexed, in ranges of 750 bytes
        (300, 20_000, True),  # reads of 100 bytes, chunks of 64: lines straddle both
        (8000, 1 << 20, False),  # over 5 MB: more than one read, head and chunk of the real sizes
    ],
)
def test_a_pipe_compiles_to_the_same_bytes_as_its_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    budget: int,
    small_buffers: bool,
) -> None:
    path = write_lines(tmp_path / "r.jsonl", numerous_releases(count))
    if small_buffers:
        for name, size in [("_READ_SIZE", 100), ("_CHUNK_SIZE", 64), ("PEEK_SIZE", 1000)]:
            monkeypatch.setattr(indexed_path, name, size)  # forked workers see the patched values
    else:
        assert (path.stat().st_size > max(indexed_path._CHUNK_SIZE, PEEK_SIZE)) == (count == 8000)
    from_file, file_stats = run([path], memory_budget=budget, workers=2)
    with pipe_from(path) as pipe:
        from_pipe, pipe_stats = run([pipe], memory_budget=budget, workers=2)
    assert from_pipe == from_file
    assert from_pipe == run([path])[0]  # and the same as in memory, in one process
    assert (pipe_stats.releases, pipe_stats.ocids) == (count, count // 4)
    assert (pipe_stats.indexed, pipe_stats.partitions) == (
        file_stats.indexed,
        file_stats.partitions,
    )


def test_standard_input_takes_the_indexed_path_of_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-`` is copied and indexed range by range as it arrives, then merged as a file is."""
    path = write_lines(tmp_path / "r.jsonl", numerous_releases(400))
    data = path.read_bytes()
    budget = len(data) // 8
    from_file, file_stats = run([path], memory_budget=budget, workers=2)
    # a stream: ranges of at least a quarter of the budget, each ending after a line break
    cuts = [0]
    while (newline := data.find(b"\n", cuts[-1] + budget // 4 - 1)) != -1:
        cuts.append(newline + 1)
    # small reads, as from a slow writer, which stops in the middle of the line after a range
    # past the budget: the workers index that range while the copy ends in half a line
    monkeypatch.setattr(indexed_path, "_READ_SIZE", 512)
    monkeypatch.setattr(indexed_path, "PEEK_SIZE", 4096)  # the format is known from the first bytes
    with pipe_from(path, pause=next(cut for cut in cuts if cut > budget) + 50) as pipe:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(pipe))
        from_stdin, stats = run(["-"], memory_budget=budget, workers=2)
    assert from_stdin == from_file
    assert (file_stats.indexed, file_stats.ranges) == (True, 2)  # a file: one range per worker
    assert stats.indexed
    assert stats.spilled  # nothing was held in memory
    assert stats.partitions == file_stats.partitions
    assert stats.ranges == len(cuts) - 1 + (cuts[-1] < len(data)) > 30


def test_a_pipe_that_is_not_json_lines_is_read_as_before(tmp_path: Path) -> None:
    releases = numerous_releases(60)
    expected, _ = run([write_lines(tmp_path / "r.jsonl", releases)])
    compressed = tmp_path / "r.jsonl.gz"
    compressed.write_bytes(gzip.compress((tmp_path / "r.jsonl").read_bytes()))
    packaged = tmp_path / "package.json"
    packaged.write_bytes(orjson.dumps(package(releases), option=orjson.OPT_INDENT_2))
    for path in (compressed, packaged):
        with pipe_from(path) as pipe:
            output, stats = run([pipe], memory_budget=3000, workers=2)
        assert output == expected
        assert (stats.indexed, stats.spilled) == (False, True)


def test_a_release_without_ocid_in_a_pipe_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    releases = numerous_releases(60)
    releases[45]["ocid"] = None
    path = write_lines(tmp_path / "r.jsonl", releases)
    with pipe_from(path) as pipe, pytest.raises(MergeError) as caught:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(pipe))
        run(["-"], memory_budget=3000, workers=2)
    assert str(caught.value) == "a release of standard input has no 'ocid'"
