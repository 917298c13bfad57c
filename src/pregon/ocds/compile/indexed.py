"""The indexed path of a compile: JSON Lines past the budget, merged in place in two phases.

Phase 1 indexes byte ranges of the inputs (:func:`_index_range`), phase 2 merges whole partitions
(:func:`_merge_indexed`), reading each release back from its input by offset; both in worker
processes. Streams are copied to a file as they arrive and indexed range by range meanwhile.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import sys
import tempfile
from array import array
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO

from pregon.ocds._lines import index_lines
from pregon.ocds.compile.merging import (
    _WORKER,
    CompileOptions,
    CompileStats,
    Groups,
    _hash,
    _merge_groups,
    _ocid_of,
    _partition_bits,
    _slice_bits,
    _worker_pool,
    _write_results,
)
from pregon.ocds.errors import MergeError
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
from pregon.ocds.rules import RuleNode

SEGMENT_SIZE = 16 << 20
_CHUNK_SIZE = 4 << 20
_READ_SIZE = 1 << 20
_INDEX_BITS = 10  # phase 1 indexes by the finest partitioning _partition_bits() can choose


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
        self.results: list[Future[tuple[int, array[int]]]] = []
        self.pool: ProcessPoolExecutor | None = None
        self._directory: Path | None = None
        self._stack = ExitStack()

    def __enter__(self) -> _IndexedCompile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # the pool first (entered last; told of the error, it cancels what has not started),
        # then the copies' files
        self._stack.__exit__(kind, error, trace)
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
            self.results.append(self.pool.submit(_index_range, job))

    def _grow(self, size: int) -> None:
        """Count ``size`` more bytes of input; start the workers once past the budget."""
        self.size += size
        if self.pool is None and self.size > self.budget:
            pool = _worker_pool(self.workers, self.tree, self.options)
            self.pool = self._stack.enter_context(pool)
            self.results = [self.pool.submit(_index_range, job) for job in self.jobs]

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
        indexed = [result.result() for result in self.results]
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
        stats.ocids = _write_results(out, self.options, self.pool.map(_merge_indexed, partitions))
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
        extra = _slice_bits(size, bits)
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
