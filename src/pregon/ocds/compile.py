"""Compile a stream of releases into compiled (or versioned) releases or a record package.

Releases of one ``ocid`` may be spread over the whole input, so they are grouped first. Grouping is
done in memory while the input is small; past ``memory_budget`` bytes the releases are spilled,
raw, to partition files by a hash of their ``ocid``, and each partition (every release of its
ocids) is merged on its own, by worker processes in parallel. Peak memory is bounded by the budget
and the partition size, whatever the input size.

Output order is fixed by the ocids themselves (a hash of each, then the ocid), so it depends neither
on the order of the input nor on whether it was spilled.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds._lines import index_lines
from pregon.ocds._merge import compile_into, version_into
from pregon.ocds.errors import InputError, MergeError
from pregon.ocds.package import PackageMetadata, linked_release, make_record
from pregon.ocds.readers import (
    PEEK_SIZE,
    Reader,
    Source,
    is_stream,
    json_lines_kind,
    lines_kind,
    read_head,
    replay,
    seek_range_start,
)
from pregon.ocds.rules import RuleNode, rules_for

MEMORY_BUDGET = 64 << 20
PARTITION_SIZE = 12 << 20
SEGMENT_SIZE = 16 << 20
_CHUNK_SIZE = 4 << 20
_READ_SIZE = 1 << 20
_INDEX_BITS = 10  # phase 1 indexes by the finest partitioning _partition_bits() can choose
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
    indexed: bool = False  # merged in place by the two phases (index byte ranges, merge partitions)
    ranges: int = 0  # the byte ranges indexed in phase 1


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
    try:
        releases = [orjson.loads(raw) for raw in raws]
    except orjson.JSONDecodeError as exc:
        raise InputError(
            f"a release of {ocid} is not valid JSON: {exc}", "fix or remove that release"
        ) from exc
    if not all(isinstance(release, dict) for release in releases):
        raise InputError(f"a release of {ocid} is not a JSON object")
    order = list(range(len(releases)))
    if len(releases) > 1:
        try:
            order.sort(key=lambda index: releases[index]["date"])
        except (KeyError, TypeError) as exc:
            raise MergeError(
                f"a release of {ocid} has no string 'date'",
                "every release needs a date to be merged in order",
            ) from exc
    compiled: dict[str, Any] | None = None
    versioned: dict[str, Any] | None = None
    if not options.versioned or options.package:
        compiled = {"tag": ["compiled"]}
        for index in order:
            compile_into(compiled, releases[index], tree)
    if options.versioned:
        versioned = {}
        for index in order:
            version_into(versioned, releases[index], tree)  # merging never changes its input
        if versioned.get("ocid", "") is None:
            del versioned["ocid"]
    if not options.package:
        return orjson.dumps(versioned if options.versioned else compiled)
    assert compiled is not None
    if options.linked_releases:
        uri = (options.metadata or PackageMetadata()).uri
        return make_record(
            ocid, [linked_release(releases[index], uri) for index in order], compiled, versioned
        )
    return make_record(ocid, [raws[index] for index in order], compiled, versioned)


Groups = dict[Any, tuple[int, list[bytes]]]


def _add(groups: Groups, ocid: Any, raw: bytes) -> None:
    group = groups.get(ocid)
    if group is None:
        groups[ocid] = (_hash(ocid), [raw])
    else:
        group[1].append(raw)


def _order(item: tuple[Any, tuple[int, list[bytes]]]) -> tuple[int, str]:
    ocid = item[0]
    return item[1][0], ocid if isinstance(ocid, str) else orjson.dumps(ocid).decode()


def _merge_groups(groups: Groups, tree: RuleNode, options: CompileOptions) -> Iterator[bytes]:
    """Merge each group, in output order: by the ocid's hash, then by the ocid."""
    for ocid, (_, raws) in sorted(groups.items(), key=_order):
        yield _merge_group(ocid, raws, tree, options)


# --- partitions (worker side) -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(tree: RuleNode, options: CompileOptions) -> None:
    gc.disable()  # JSON data has no reference cycles; the collector only costs time here
    _WORKER["tree"] = tree
    _WORKER["options"] = options


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
    extra = (
        max(0, (-(-size // PARTITION_SIZE) - 1).bit_length()) if size > 2 * PARTITION_SIZE else 0
    )
    parts = _split_partition(paths, job[1], min(extra, 32 - job[1])) if extra else [paths]
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


def _index_range(job: tuple[str, int, int, str, str]) -> tuple[int, array[int]]:
    """Phase 1 of an indexed compile: index the JSON Lines between two byte offsets of a file.

    ``job`` is (input file, start, end, index file, the input's name for messages). Writes the (hash, offset, length) of each
    release to the index file, grouped by partition (``1 << _INDEX_BITS`` ranges of ocid hashes,
    in hash order) and in input order within each; returns how many releases it indexed and where
    each partition's entries end in the index file (in entries of 8 bytes). The releases
    themselves are not copied: phase 2 reads them from the input file. The lines are read in
    chunks and indexed by the compiled kernel :func:`pregon.ocds._lines.index_lines`.

    The input may still be growing (a stream being copied to it) as long as its bytes up to
    ``end`` are written and ``end`` follows a line break (or is the end of the complete input):
    no line starting at or after ``end`` is read.
    """
    path, start, end, index_name, name = job
    indexes = [array("q") for _ in range(1 << _INDEX_BITS)]

    def hash_of(raw: bytes) -> int:
        ocid = _ocid_of(raw)
        if ocid is None:
            raise MergeError(f"a release of {name} has no 'ocid'", "every release needs an ocid")
        return _hash(ocid)

    count = 0
    with Path(path).open("rb") as f:
        base = seek_range_start(f, start)
        pending = b""
        while True:
            data = f.read(_CHUNK_SIZE)
            chunk = pending + data if pending else data
            if not data:
                if not chunk.strip():
                    break
                chunk += b"\n"  # the last line has no line break
            used, indexed, done = index_lines(chunk, base, end, _INDEX_BITS, indexes, hash_of)
            count += indexed
            if done or not data:
                break
            base += used
            pending = chunk[used:]
    ends = array("q")
    with Path(index_name).open("wb") as out:
        for index in indexes:
            out.write(index)
            ends.append((ends[-1] if ends else 0) + len(index))
    return count, ends


IndexSlice = tuple[str, str, int, int]  # input file, index file, first and stop entry


def _merge_indexed(job: tuple[list[IndexSlice], int, str]) -> tuple[str, int]:
    """Phase 2 of an indexed compile: merge one partition, reading its releases from the inputs.

    ``job`` is (the partition's slices of the index files, in input order; the partition's hash
    bits; the result file). A partition larger than ``2 * PARTITION_SIZE`` is merged in slices
    by further bits of the hash, which keeps the output order (by hash, then ocid) and bounds the
    memory used.
    """
    tree: RuleNode = _WORKER["tree"]
    options: CompileOptions = _WORKER["options"]
    parts, bits, out_name = job
    separator = b"," if options.package else b"\n"
    count = 0
    with ExitStack() as stack:
        descriptors: dict[str, int] = {}

        def descriptor(name: str) -> int:
            if name not in descriptors:
                descriptors[name] = stack.enter_context(Path(name).open("rb")).fileno()
            return descriptors[name]

        entries: list[tuple[int, int, int, int]] = []  # (hash, input descriptor, offset, length)
        size = 0
        for input_name, index_name, first, stop in parts:
            index = array("q")
            index.frombytes(os.pread(descriptor(index_name), (stop - first) * 8, first * 8))
            source = descriptor(input_name)
            for position in range(0, len(index), 3):
                entries.append((index[position], source, index[position + 1], index[position + 2]))
                size += index[position + 2]
        extra = (
            min(32 - bits, (-(-size // PARTITION_SIZE) - 1).bit_length())
            if size > 2 * PARTITION_SIZE
            else 0
        )
        slices: list[list[tuple[int, int, int, int]]] = [[] for _ in range(1 << extra)]
        shift, mask = 32 - bits - extra, (1 << extra) - 1
        for entry in entries:
            slices[(entry[0] >> shift) & mask].append(entry)
        del entries
        out = stack.enter_context(Path(out_name).open("wb"))
        for entries_of_slice in slices:
            groups: Groups = {}
            for digest, source, offset, length in entries_of_slice:
                raw = os.pread(source, length, offset)
                ocid = _ocid_of(raw)
                group = groups.get(ocid)
                if group is None:
                    groups[ocid] = (digest, [raw])
                else:
                    group[1].append(raw)
            for data in _merge_groups(groups, tree, options):
                out.write(separator + data if count else data)
                count += 1
    return out_name, count


# --- the pipeline -----------------------------------------------------------------------------


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


def _partition_bits(size: int | None) -> int:
    if size is None:
        return 8
    return max(3, min(10, (-(-size // PARTITION_SIZE) - 1).bit_length()))


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

    The output order is fixed by the ocids (a hash of each, then the ocid), so the same releases
    give the same bytes whether they were merged in memory or spilled, in whatever order they came.
    """
    options = options or CompileOptions()
    tree = rules_for(schema)
    sources = list(sources)
    workers = workers or os.cpu_count() or 1
    with _IndexedCompile(tree, options, workers=workers, memory_budget=memory_budget) as indexed:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            stats = indexed.run(sources, out)
            if stats is not None:
                return stats
            # small, or not all plain JSON Lines: the same inputs (streams replayed) are grouped
            sources = indexed.sources
        return _compile_grouped(
            sources,
            out,
            tree,
            options,
            workers=workers,
            memory_budget=memory_budget,
            on_item=on_item,
        )


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


class _IndexedCompile:
    """A compile in two parallel phases over JSON Lines of releases: files, and streams.

    Phase 1 indexes byte ranges of the inputs (:func:`_index_range`), phase 2 merges whole
    partitions (:func:`_merge_indexed`), reading each release back from its input by offset; both
    in worker processes. A stream (standard input, a pipe) is copied to a file as it is read, and
    each range of it is indexed as soon as it is complete, while the rest is still arriving: a
    pipe takes the same path as a file, and costs about the same.

    The workers start only once the inputs outgrow the memory budget. When they do not (or when an
    input is not plain JSON Lines of releases) :meth:`run` returns None and :attr:`sources` holds
    the same inputs for the in-memory path, the streams read again from their start.
    """

    def __init__(
        self, tree: RuleNode, options: CompileOptions, *, workers: int, memory_budget: int
    ) -> None:
        self.tree = tree
        self.options = options
        self.workers = workers
        self.budget = memory_budget
        # ranges of a stream are handed out this large, so the workers keep up with the copy
        self.segment = min(SEGMENT_SIZE, max(1, memory_budget // 4))
        self.sources: list[Source] = []
        self.size = 0
        self.jobs: list[tuple[str, int, int, str, str]] = []
        self.results: list[AsyncResult[tuple[int, array[int]]]] = []
        self.pool: Pool | None = None
        self._directory: Path | None = None
        self._stack = ExitStack()

    def __enter__(self) -> _IndexedCompile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        self._stack.close()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)

    @property
    def directory(self) -> Path:
        """The temporary directory of the copies, the indexes and the results (made on first use)."""
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="pregon-ocds-"))
        return self._directory

    def run(self, sources: list[Source], out: IO[bytes]) -> CompileStats | None:
        """Compile ``sources`` into ``out``; or return None, leaving it to the in-memory path."""
        self.sources = list(sources)
        if not all(is_stream(source) or json_lines_kind(source) == "release" for source in sources):
            return None
        heads: dict[int, tuple[IO[bytes], bytes]] = {}
        for number, source in enumerate(sources):
            if is_stream(source):
                stream = sys.stdin.buffer if isinstance(source, (str, Path)) else source
                head = read_head(stream, PEEK_SIZE)
                self.sources[number] = replay(head, stream, Reader(source).name)
                if lines_kind(head) != "release":
                    return None
                heads[number] = (stream, head)
        for number, source in enumerate(sources):
            if number in heads:
                self._copy(number, *heads[number])
                continue
            length = Path(str(source)).stat().st_size
            bounds = [length * share // self.workers for share in range(self.workers + 1)]
            for share in range(self.workers):
                self._add(str(source), bounds[share], bounds[share + 1], str(source))
            self._grow(length)
        if self.pool is None:
            return None
        return self._merge(out)

    def _add(self, path: str, start: int, end: int, name: str) -> None:
        """Index ``[start, end)`` of ``path``: now if the workers are running, else when they start."""
        job = (path, start, end, str(self.directory / f"i{len(self.jobs):05d}"), name)
        self.jobs.append(job)
        if self.pool is not None:
            self.results.append(self.pool.apply_async(_index_range, (job,)))

    def _grow(self, size: int) -> None:
        """Count ``size`` more bytes of input; start the workers once past the budget."""
        self.size += size
        if self.pool is None and self.size > self.budget:
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(self.workers, _init_worker, (self.tree, self.options))
            self.results = [self.pool.apply_async(_index_range, (job,)) for job in self.jobs]

    def _copy(self, number: int, stream: IO[bytes], head: bytes) -> None:
        """Copy a stream (its ``head`` already read) to a file, indexing each complete segment."""
        path = self.directory / f"input{number:03d}"
        name = Reader(self.sources[number]).name
        _widen_pipe(stream)
        # read1: whatever has arrived (up to a size), without waiting for the rest
        read = getattr(stream, "read1", stream.read)
        start = written = 0  # the start of the range not yet handed out; the bytes copied
        with path.open("wb") as copy:
            data = head
            while data:
                copy.write(data)
                copy.flush()  # the workers read the copy from the file
                # hand out ranges of at least a segment, each ending after a line break
                newline = data.find(b"\n", max(0, start + self.segment - 1 - written))
                while newline != -1:
                    self._add(str(path), start, written + newline + 1, name)
                    start = written + newline + 1
                    newline = data.find(b"\n", start + self.segment - 1 - written)
                written += len(data)
                self._grow(len(data))
                data = read(_READ_SIZE)
        if written > start:
            self._add(str(path), start, written, name)
        if self.pool is None:  # small: read again from the copy, by the in-memory path
            self.sources[number] = replay(b"", self._stack.enter_context(path.open("rb")), name)

    def _merge(self, out: IO[bytes]) -> CompileStats:
        """Phase 2: merge the partitions, in hash order, once every range is indexed."""
        assert self.pool is not None
        indexed = [result.get() for result in self.results]
        bits = _partition_bits(self.size)
        step = 1 << (_INDEX_BITS - bits)  # fine partitions of the index per merged partition
        partitions = []
        for number in range(1 << bits):
            low, high = number * step, (number + 1) * step
            parts = []
            for job, (_, ends) in zip(self.jobs, indexed, strict=True):
                first = ends[low - 1] if low else 0
                if ends[high - 1] > first:
                    parts.append((job[0], job[3], first, ends[high - 1]))
            if parts:
                partitions.append((parts, bits, str(self.directory / f"r{number:04d}")))
        stats = CompileStats(
            releases=sum(count for count, _ in indexed),
            spilled=True,
            partitions=len(partitions),
            indexed=True,
            ranges=len(self.jobs),
        )
        stats.ocids = _write_results(out, self.options, self.pool.imap(_merge_indexed, partitions))
        return stats


def _widen_pipe(stream: IO[bytes]) -> None:
    """Ask for a pipe buffer as large as one read (Linux): the writer then hands data over in
    fewer, larger pieces, which halves the cost of reading a pipe."""
    try:
        descriptor = stream.fileno()
        if stat.S_ISFIFO(os.fstat(descriptor).st_mode):
            fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _READ_SIZE)
    except (AttributeError, OSError, ValueError):  # not a file, not Linux, or over the system limit
        pass


def _open_output(out: IO[bytes], options: CompileOptions) -> None:
    if options.package:
        metadata = (options.metadata or PackageMetadata()).as_dict()
        out.write(orjson.dumps(metadata)[:-1] + b',"records":[')


def _close_output(out: IO[bytes], options: CompileOptions, count: int) -> None:
    if options.package:
        out.write(b"]}\n")
    elif count:
        out.write(b"\n")


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
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(jobs)), _init_worker, (tree, options)) as pool:
            return _write_results(out, options, pool.imap(_process_partition, jobs))
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


def _write_results(
    out: IO[bytes], options: CompileOptions, results: Iterable[tuple[str, int]]
) -> int:
    """Copy the partitions' result files to ``out``, in order; return how many items were written."""
    _open_output(out, options)
    separator = b"," if options.package else b"\n"
    count = 0
    for path, written in results:
        if written:
            if count:
                out.write(separator)
            with Path(path).open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
            count += written
        Path(path).unlink()
    _close_output(out, options, count)
    return count
