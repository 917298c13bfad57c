"""Compile a stream of releases into compiled (or versioned) releases or a record package.

Releases of one ``ocid`` may be spread over the whole input, so they are grouped first. Grouping is
done in memory while the input is small; past ``memory_budget`` bytes the releases are spilled,
raw, to partition files by a hash of their ``ocid``, and each partition (every release of its
ocids) is merged on its own, by worker processes in parallel. Plain JSON Lines past the budget,
from files or streams (standard input, a pipe: copied to a file as they arrive), are not spilled
but indexed by byte ranges and read back in place (:mod:`.indexed`). Peak memory is bounded by
the budget and the partition size, whatever the input size.

Output order is fixed by the ocids themselves (a hash of each, then the ocid), so it depends neither
on the order of the input nor on whether it was spilled.

The package, by path: :mod:`.grouped` (in memory, spilled past the budget), :mod:`.indexed`
(plain JSON Lines past the budget, merged in place), and :mod:`.merging`, what both share
(merging one ocid's releases, the worker processes' state, writing the results in order).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import IO, Any

from pregon.ocds.compile.grouped import _compile_grouped
from pregon.ocds.compile.indexed import _IndexedCompile
from pregon.ocds.compile.merging import CompileOptions, CompileStats
from pregon.ocds.readers import Source
from pregon.ocds.rules import rules_for

__all__ = ["MEMORY_BUDGET", "CompileOptions", "CompileStats", "compile_stream"]

MEMORY_BUDGET = 64 << 20


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
    merge rules. ``workers`` processes (default: the CPU count) index and merge the partitions of
    large inputs; ``memory_budget`` bounds the raw bytes grouped in memory before that. A source
    that is ``-`` or a file object that cannot seek (a pipe) is read once, as it arrives.

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
