"""The grouped path of a compile: releases grouped by ocid in memory, spilled past the budget.

Any input the readers take (packages, arrays, JSON Lines, compressed) comes this way when it is not
plain JSON Lines past the budget. The raw releases are grouped in memory; past ``memory_budget``
bytes they are spilled to partition files by a hash of their ocid, and each partition is merged on
its own, by worker processes when there are several.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds.compile.merging import (
    _WORKER,
    CompileOptions,
    CompileStats,
    Groups,
    _add,
    _close_output,
    _hash,
    _init_worker,
    _merge_groups,
    _ocid_of,
    _open_output,
    _partition_bits,
    _slice_bits,
    _worker_pool,
    _write_results,
)
from pregon.ocds.errors import InputError, MergeError
from pregon.ocds.readers import Reader, Source
from pregon.ocds.rules import RuleNode


def _compile_grouped(
    sources: list[Source],
    out: IO[bytes],
    tree: RuleNode,
    options: CompileOptions,
    *,
    workers: int,
    memory_budget: int,
    on_item: Callable[[], None] | None,
) -> CompileStats:
    """Group the releases by ocid in memory, spilling them to partition files past the budget."""
    stats = CompileStats()
    groups: Groups = {}
    size = 0
    known = _known_size(sources)
    # a large file spills from the start, so nothing is held in memory before it does
    spill = _Spill(_partition_bits(known)) if known is not None and known > memory_budget else None
    try:
        for seq, raw in enumerate(_raw_releases(sources, on_item)):
            ocid = _ocid_of(raw)
            if ocid is None:
                raise MergeError(
                    f"release {seq + 1} has no 'ocid'", "every release needs an ocid to be merged"
                )
            stats.releases += 1
            if spill is not None:
                spill.add(ocid, raw)
                continue
            _add(groups, ocid, raw)
            size += len(raw)
            if size > memory_budget:
                spill = _Spill(_partition_bits(known))
                for held, (_, raws) in groups.items():
                    for item in raws:
                        spill.add(held, item)
                groups.clear()
        if spill is None:
            stats.ocids = _write_in_memory(out, groups, tree, options)
        else:
            stats.ocids = _write_spilled(out, spill, tree, options, workers=workers, stats=stats)
    finally:
        if spill is not None:
            spill.close()
            spill.remove()
    return stats


class _Spill:
    """Partition files that raw releases are appended to, by ranges of the ocid's hash."""

    def __init__(self, bits: int, directory: Path | None = None, suffix: str = "") -> None:
        self.bits = bits
        self.directory = directory or Path(tempfile.mkdtemp(prefix="pregon-ocds-"))
        self.paths = [self.directory / f"p{index:04d}{suffix}" for index in range(1 << bits)]
        self.files = [path.open("wb", buffering=1 << 16) for path in self.paths]

    def add(self, ocid: Any, raw: bytes) -> None:
        """Append one serialised release to its partition."""
        self.files[_hash(ocid) >> (32 - self.bits)].write(raw + b"\n")

    def close(self) -> None:
        """Close the partition files (flushing them)."""
        for f in self.files:
            f.close()

    def remove(self) -> None:
        """Delete the partition directory."""
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


def _known_size(sources: Iterable[Source]) -> int | None:
    """The total size of the inputs if they are all regular files, else None."""
    total = 0
    for source in sources:
        if not isinstance(source, (str, Path)) or str(source) == "-" or not Path(source).is_file():
            return None
        total += Path(source).stat().st_size
    return total


def _write_in_memory(
    out: IO[bytes], groups: Groups, tree: RuleNode, options: CompileOptions
) -> int:
    _open_output(out, options)
    separator = b"," if options.package else b"\n"
    enabled = gc.isenabled()
    gc.disable()
    count = 0
    try:
        for data in _merge_groups(groups, tree, options):
            out.write(separator + data if count else data)
            count += 1
    finally:
        if enabled:
            gc.enable()
    _close_output(out, options, count)
    return count


def _write_spilled(
    out: IO[bytes],
    spill: _Spill,
    tree: RuleNode,
    options: CompileOptions,
    *,
    workers: int,
    stats: CompileStats,
) -> int:
    spill.close()
    jobs = [([str(path)], spill.bits) for path in spill.paths if path.stat().st_size]
    stats.spilled, stats.partitions = True, len(jobs)
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with _worker_pool(min(workers, len(jobs)), tree, options) as pool:
            return _write_results(out, options, pool.map(_process_partition, jobs))
    previous = dict(_WORKER)
    enabled = gc.isenabled()
    _init_worker(tree, options)
    try:
        return _write_results(out, options, (_process_partition(job) for job in jobs))
    finally:
        _WORKER.clear()
        _WORKER.update(previous)
        if enabled:
            gc.enable()


def _read_partition(paths: list[Path]) -> Groups:
    groups: Groups = {}
    for path in paths:
        with path.open("rb") as f:
            for line in f:
                raw = line[:-1]
                _add(groups, _ocid_of(raw), raw)
    return groups


def _split_partition(sources: list[Path], bits: int, extra: int) -> list[list[Path]]:
    """Split an oversized partition by the next ``extra`` bits of the ocid hash (keeping hash order)."""
    paths = [sources[0].with_name(f"{sources[0].name}.{index:04d}") for index in range(1 << extra)]
    shift = 32 - bits - extra
    mask = (1 << extra) - 1
    with ExitStack() as stack:
        files = [stack.enter_context(part.open("wb")) for part in paths]
        for path in sources:
            with path.open("rb") as f:
                for line in f:
                    files[(_hash(_ocid_of(line[:-1])) >> shift) & mask].write(line)
            path.unlink()
    return [[path] for path in paths]


def _process_partition(job: tuple[list[str], int]) -> tuple[str, int]:
    """Merge one partition (its files, in input order) into a result file (items joined by the
    output separator)."""
    tree: RuleNode = _WORKER["tree"]
    options: CompileOptions = _WORKER["options"]
    paths = [Path(name) for name in job[0]]
    size = sum(path.stat().st_size for path in paths)
    extra = _slice_bits(size, job[1])
    parts = _split_partition(paths, job[1], extra) if extra else [paths]
    separator = b"," if options.package else b"\n"
    out_path = paths[0].with_name(paths[0].name + ".out")
    count = 0
    with out_path.open("wb") as out:
        for part in parts:
            groups = _read_partition(part)
            for path in part:
                path.unlink()
            for data in _merge_groups(groups, tree, options):
                out.write(separator + data if count else data)
                count += 1
    return str(out_path), count
