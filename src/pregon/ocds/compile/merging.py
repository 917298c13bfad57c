"""What both paths of a compile share: merging the releases of one ocid, and writing the results.

Groups of releases are merged in output order (a hash of the ocid, then the ocid), in this process
or in worker processes (:data:`_WORKER` holds their merge rules and options); partitions of the
input are merged into result files, which :func:`_write_results` copies to the output in order.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from pregon.ocds._merge import compile_into, version_into
from pregon.ocds.errors import InputError, MergeError
from pregon.ocds.package import PackageMetadata, linked_release, make_record
from pregon.ocds.rules import RuleNode

# The bytes a worker merges at once; both paths partition and slice by it, read only here.
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


_WORKER: dict[str, Any] = {}


def _init_worker(tree: RuleNode, options: CompileOptions) -> None:
    gc.disable()  # JSON data has no reference cycles; the collector only costs time here
    _WORKER["tree"] = tree
    _WORKER["options"] = options


@contextmanager
def _worker_pool(
    workers: int, tree: RuleNode, options: CompileOptions
) -> Iterator[ProcessPoolExecutor]:
    """``workers`` forked processes that merge with ``tree`` and ``options``.

    On the way out the pool is shut down in order: after an error (a bad release in one
    partition, an interrupt) the tasks not yet started are cancelled and the running ones are
    waited for. (``multiprocessing.Pool.terminate`` could hang for ever there: its task thread,
    still sending work, blocked on the queue of workers it had just killed.) A worker that dies
    breaks the pool with an error instead of leaving the compile waiting.
    """
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(tree, options),
    )
    failed = True
    try:
        yield pool
        failed = False
    finally:
        pool.shutdown(wait=True, cancel_futures=failed)


def _partition_bits(size: int | None) -> int:
    if size is None:
        return 8
    return max(3, min(10, (-(-size // PARTITION_SIZE) - 1).bit_length()))


def _slice_bits(size: int, bits: int) -> int:
    """How many more bits of the ocid hash cut a partition of ``size`` bytes (made by ``bits``
    bits) into slices of about ``PARTITION_SIZE``: none unless it is over twice that."""
    if size <= 2 * PARTITION_SIZE:
        return 0
    return min(32 - bits, (-(-size // PARTITION_SIZE) - 1).bit_length())


def _open_output(out: IO[bytes], options: CompileOptions) -> None:
    if options.package:
        metadata = (options.metadata or PackageMetadata()).as_dict()
        out.write(orjson.dumps(metadata)[:-1] + b',"records":[')


def _close_output(out: IO[bytes], options: CompileOptions, count: int) -> None:
    if options.package:
        out.write(b"]}\n")
    elif count:
        out.write(b"\n")


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
