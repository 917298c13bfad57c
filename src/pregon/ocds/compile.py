"""Compile a stream of releases into compiled (or versioned) releases or a record package.

Releases of one ``ocid`` may be spread over the whole input, so they are grouped first. Grouping is
done in memory while the input is small; past ``memory_budget`` bytes the releases are spilled,
raw, to partition files by a hash of their ``ocid``, and each partition (every release of its
ocids) is merged on its own, by worker processes in parallel. Peak memory is bounded by the budget
and the partition size, whatever the input size.

Output is in the order each ``ocid`` first appears in the input.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds.errors import InputError, MergeError
from pregon.ocds.merge import _compile_into, _version_into
from pregon.ocds.package import PackageMetadata, linked_release, make_record
from pregon.ocds.readers import Reader, Source
from pregon.ocds.rules import RuleNode, rules_for

MEMORY_BUDGET = 64 << 20
PARTITION_SIZE = 12 << 20
_OCID_PREFIX = b'{"ocid":"'


@dataclass
class CompileOptions:
    """What to produce: compiled releases (default), versioned releases, or a record package."""

    versioned: bool = False
    package: bool = False
    linked_releases: bool = False
    metadata: PackageMetadata | None = None


@dataclass
class CompileStats:
    """What a compile run read and wrote."""

    releases: int = 0
    ocids: int = 0
    spilled: bool = False
    partitions: int = 0


def _ocid_of(raw: bytes) -> Any:
    """Return the ocid of a serialised release; a fast path when ``ocid`` is its first field."""
    if raw.startswith(_OCID_PREFIX):
        end = raw.find(b'"', 9)
        if end != -1 and b"\\" not in raw[9:end]:
            return raw[9:end].decode()
    value = orjson.loads(raw)
    return value.get("ocid") if isinstance(value, dict) else None


def _hash(ocid: Any) -> int:
    return zlib.crc32(ocid.encode() if isinstance(ocid, str) else orjson.dumps(ocid))


# --- merging one group -------------------------------------------------------------------------


def _merge_group(ocid: Any, raws: list[bytes], tree: RuleNode, options: CompileOptions) -> bytes:
    releases = [orjson.loads(raw) for raw in raws]
    order = list(range(len(releases)))
    if len(releases) > 1:
        try:
            order.sort(key=lambda index: releases[index]["date"])
        except (KeyError, TypeError) as exc:
            raise MergeError(
                f"a release of {ocid} has no string 'date'", "every release needs a date to be merged in order"
            ) from exc
    compiled: dict[str, Any] | None = None
    versioned: dict[str, Any] | None = None
    if not options.versioned or options.package:
        compiled = {"tag": ["compiled"]}
        for index in order:
            _compile_into(compiled, releases[index], tree)
    if options.versioned:
        versioned = {}
        for index in order:
            _version_into(versioned, releases[index], tree)  # merging never changes its input
        if versioned.get("ocid", "") is None:
            del versioned["ocid"]
    if not options.package:
        return orjson.dumps(versioned if options.versioned else compiled)
    assert compiled is not None
    if options.linked_releases:
        uri = (options.metadata or PackageMetadata()).uri
        return make_record(ocid, [linked_release(orjson.loads(raws[index]), uri) for index in order], compiled, versioned)
    return make_record(ocid, [raws[index] for index in order], compiled, versioned)


def _merge_groups(
    groups: dict[Any, tuple[int, list[bytes]]], tree: RuleNode, options: CompileOptions
) -> Iterator[tuple[int, bytes]]:
    for ocid, (first, raws) in groups.items():
        yield first, _merge_group(ocid, raws, tree, options)


# --- partitions (worker side) -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(tree: RuleNode, options: CompileOptions) -> None:
    gc.disable()  # JSON data has no reference cycles; the collector only costs time here
    _WORKER["tree"] = tree
    _WORKER["options"] = options


def _read_partition(path: Path) -> dict[Any, tuple[int, list[bytes]]]:
    groups: dict[Any, tuple[int, list[bytes]]] = {}
    with open(path, "rb") as f:
        for line in f:
            seq, _, raw = line.rstrip(b"\n").partition(b" ")
            ocid = _ocid_of(raw)
            group = groups.get(ocid)
            if group is None:
                groups[ocid] = (int(seq), [raw])
            else:
                group[1].append(raw)
    return groups


def _split_partition(path: Path, parts: int) -> list[Path]:
    """Split an oversized partition in ``parts`` by a second hash of the ocid."""
    paths = [path.with_name(f"{path.name}.{index}") for index in range(parts)]
    with ExitStack() as stack:
        files = [stack.enter_context(open(part, "wb")) for part in paths]
        with open(path, "rb") as f:
            for line in f:
                raw = line.partition(b" ")[2]
                files[(_hash(_ocid_of(raw.rstrip(b"\n"))) >> 16) % parts].write(line)
    path.unlink()
    return paths


def _process_partition(path_name: str) -> list[tuple[str, int]]:
    """Merge one partition file; return the result files (lines ``seq json``) and their line counts."""
    tree: RuleNode = _WORKER["tree"]
    options: CompileOptions = _WORKER["options"]
    path = Path(path_name)
    size = path.stat().st_size
    todo = _split_partition(path, -(-size // PARTITION_SIZE)) if size > 2 * PARTITION_SIZE else [path]
    results = []
    for part in todo:
        groups = _read_partition(part)
        part.unlink()
        out_path = part.with_name(part.name + ".out")
        with open(out_path, "wb") as out:
            for first, data in _merge_groups(groups, tree, options):
                out.write(b"%d " % first + data + b"\n")
        results.append((str(out_path), len(groups)))
    return results


def _read_results(path: str) -> Iterator[tuple[int, bytes]]:
    with open(path, "rb") as f:
        for line in f:
            seq, _, data = line.partition(b" ")
            yield int(seq), data[:-1]


# --- the pipeline -----------------------------------------------------------------------------


class _Spill:
    """Partition files that raw releases are appended to, by a hash of their ocid."""

    def __init__(self, count: int) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="pregon-ocds-"))
        self.paths = [self.directory / f"p{index:04d}" for index in range(count)]
        self.files = [open(path, "wb", buffering=1 << 16) for path in self.paths]  # noqa: SIM115

    def add(self, seq: int, ocid: Any, raw: bytes) -> None:
        self.files[_hash(ocid) % len(self.files)].write(b"%d " % seq + raw + b"\n")

    def close(self) -> None:
        for f in self.files:
            f.close()

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _raw_releases(sources: Iterable[Source], on_item: Callable[[], None] | None) -> Iterator[bytes]:
    for source in sources:
        reader = Reader(source)
        for item in reader.iter_raw():
            if reader.kind == "record":
                raise InputError(
                    f"{reader.name} holds records, not releases",
                    "compile merges releases: give release packages, or releases as JSON Lines or an array",
                )
            if on_item is not None:
                on_item()
            yield item if isinstance(item, bytes) else orjson.dumps(item)


def _partition_count(sources: Iterable[Source]) -> int:
    total = 0
    for source in sources:
        if isinstance(source, (str, Path)) and str(source) != "-" and os.path.isfile(source):
            total += os.path.getsize(source)
        else:
            return 256
    return max(8, min(1024, -(-total // PARTITION_SIZE)))


def compile_stream(
    sources: Iterable[Source],
    out: IO[bytes],
    *,
    options: CompileOptions | None = None,
    schema: Any = None,
    workers: int | None = None,
    memory_budget: int = MEMORY_BUDGET,
    on_item: Callable[[], None] | None = None,
) -> CompileStats:
    """Read releases from ``sources``, merge them by ocid and write the result to ``out``.

    Writes JSON Lines of compiled releases (or versioned releases with ``options.versioned``), or a
    record package with ``options.package``. ``schema`` (a release schema path or dict) sets the
    merge rules. ``workers`` processes (default: the CPU count) merge spilled partitions;
    ``memory_budget`` bounds the raw bytes grouped in memory before spilling to disk.
    """
    options = options or CompileOptions()
    tree = rules_for(schema)
    sources = list(sources)
    stats = CompileStats()
    buffered: list[tuple[int, Any, bytes]] = []
    size = 0
    spill: _Spill | None = None
    try:
        for seq, raw in enumerate(_raw_releases(sources, on_item)):
            ocid = _ocid_of(raw)
            if ocid is None:
                raise MergeError(f"release {seq + 1} has no 'ocid'", "every release needs an ocid to be merged")
            stats.releases += 1
            if spill is not None:
                spill.add(seq, ocid, raw)
                continue
            buffered.append((seq, ocid, raw))
            size += len(raw)
            if size > memory_budget:
                spill = _Spill(_partition_count(sources))
                for item in buffered:
                    spill.add(*item)
                buffered = []
        results = _in_memory(buffered, tree, options) if spill is None else _spilled(spill, tree, options, workers, stats)
        stats.ocids = _write(out, results, options)
    finally:
        if spill is not None:
            spill.close()
            spill.remove()
    return stats


def _in_memory(buffered: list[tuple[int, Any, bytes]], tree: RuleNode, options: CompileOptions) -> Iterator[bytes]:
    groups: dict[Any, tuple[int, list[bytes]]] = {}
    for seq, ocid, raw in buffered:
        group = groups.get(ocid)
        if group is None:
            groups[ocid] = (seq, [raw])
        else:
            group[1].append(raw)
    del buffered[:]
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _, data in _merge_groups(groups, tree, options):
            yield data
    finally:
        if enabled:
            gc.enable()


def _spilled(
    spill: _Spill, tree: RuleNode, options: CompileOptions, workers: int | None, stats: CompileStats
) -> Iterator[bytes]:
    spill.close()
    stats.spilled = True
    paths = [str(path) for path in spill.paths if path.stat().st_size]
    stats.partitions = len(paths)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(paths) > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(paths)), _init_worker, (tree, options)) as pool:
            nested = pool.map(_process_partition, paths, chunksize=1)
    else:
        previous = dict(_WORKER)
        enabled = gc.isenabled()
        _init_worker(tree, options)
        try:
            nested = [_process_partition(path) for path in paths]
        finally:
            _WORKER.clear()
            _WORKER.update(previous)
            if enabled:
                gc.enable()
    streams = [_read_results(path) for results in nested for path, _ in results]
    for _, data in heapq.merge(*streams, key=itemgetter(0)):
        yield data


def _write(out: IO[bytes], results: Iterator[bytes], options: CompileOptions) -> int:
    count = 0
    if options.package:
        metadata = (options.metadata or PackageMetadata()).as_dict()
        out.write(orjson.dumps(metadata)[:-1] + b',"records":[')
        for data in results:
            out.write(b"," + data if count else data)
            count += 1
        out.write(b"]}\n")
    else:
        for data in results:
            out.write(data + b"\n")
            count += 1
    return count
