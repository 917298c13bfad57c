"""Shared pieces of the OCDS benchmarks: the workload, running a tool, and printing the figures.

The workload is made by ``shared/bench/gen_ocds.py --ocids 20000`` (about 80,000 releases) into a
cache directory (``$PREGON_BENCH_CACHE``, default ``/tmp/pregon-bench``) and reused by later runs.
Each tool runs in its own process; we measure its wall time, its CPU time (user + system, children
included) and its peak memory (proportional set size summed over its processes, sampled every
50 ms).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = Path(
    os.environ.get("PREGON_BENCH_GENERATOR", ROOT.parent / "shared" / "bench" / "gen_ocds.py")
)
CACHE = Path(os.environ.get("PREGON_BENCH_CACHE", "/tmp/pregon-bench"))
PYTHON = sys.executable
OCIDS = 20000


def workload(ocids: int = OCIDS) -> Path:
    """Return the directory holding ``releases.jsonl`` and ``release_package.json``, made if needed."""
    directory = CACHE / f"ocds-{ocids}"
    if not (directory / "release_package.json").is_file():
        directory.mkdir(parents=True, exist_ok=True)
        print(f"generating the workload ({ocids} ocids) in {directory} ...", flush=True)
        subprocess.run(
            [PYTHON, str(GENERATOR), "--ocids", str(ocids), "--out", str(directory)], check=True
        )
    return directory


@dataclass
class Run:
    """One measured run of a tool."""

    name: str
    wall: float
    cpu: float
    peak_mb: float


def _tree_memory(pid: int) -> int:
    """Memory (bytes) of a process and all its descendants: the sum of their proportional set
    sizes (PSS), which counts pages shared after a fork once, split between the sharers."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_bytes().splitlines():
                if line.startswith(b"Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
    return total


def run(
    name: str,
    command: list[str],
    *,
    stdout: Path | None = None,
    stdin: Path | None = None,
    pipe: Path | None = None,
    check: bool = True,
) -> Run:
    """Run ``command`` and measure it (peak memory: the largest PSS summed over its process tree).

    ``stdin`` is a file given as standard input (a regular file, which a tool may seek); ``pipe``
    a file fed to standard input through a real pipe by ``cat``, as in ``cat FILE | command``
    (the wall time runs until both are done; the CPU time includes ``cat``'s). With
    ``check=False`` exit code 1 (e.g. "errors found") is accepted.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    source: Any = stdin.open("rb") if stdin else subprocess.DEVNULL
    start = time.perf_counter()
    feeder = None
    if pipe is not None:
        feeder = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
        source = feeder.stdout
    process = subprocess.Popen(command, stdout=out, stdin=source, cwd=ROOT)
    if feeder is not None:
        source.close()  # the command holds the read end now; cat gets SIGPIPE if it stops early
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    if feeder is not None:
        feeder.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for handle in (out, source):
        if hasattr(handle, "close"):
            handle.close()
    if code != 0 and (check or code != 1):
        raise SystemExit(f"{name} failed with exit code {code}: {' '.join(command)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = Run(name, wall, cpu, peak / 2**20)
    print(
        f"  {name:<44} wall {wall:8.2f} s   cpu {cpu:8.2f} s   peak {result.peak_mb:7.0f} MB",
        flush=True,
    )
    return result


def report(title: str, ours: Run, peers: list[Run], target: float | None = None) -> bool:
    """Print each peer's figures against ours, with the ratios; return whether the target is met."""
    print(f"\n{title}")
    print(
        f"  {'tool':<44} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'peer/ours wall':>15} {'cpu':>6}"
    )
    met = True
    for item in [ours, *peers]:
        ratio_wall = item.wall / ours.wall
        ratio_cpu = item.cpu / ours.cpu if ours.cpu else float("nan")
        print(
            f"  {item.name:<44} {item.wall:8.2f} {item.cpu:8.2f} {item.peak_mb:8.0f} {ratio_wall:14.1f}x {ratio_cpu:5.1f}x"
        )
    if target is not None:
        for item in peers:
            ok = item.wall / ours.wall >= target
            met = met and ok
            verdict = "met" if ok else "NOT MET"
            print(f"  target: ours at least {target:g}x faster than {item.name} (wall): {verdict}")
    return met


def load_avg() -> str:
    """The machine's load average (other work on it skews timings)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
