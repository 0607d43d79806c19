"""Memory of a process tree, for the benchmarks: peak resident sizes and sampled totals.

Two measures, because neither alone is right for forked workers:

- tree_peak_mib: the peak resident size (VmHWM) of every process in the tree alive when it is
  called, summed. Pages a forked worker shares with its parent count twice, and peaks reached
  at different times are added: an upper bound for those processes (ended ones are not seen).
- PssSampler: the proportional set size (Pss: a shared page counts 1/n in each of its n
  processes) of the whole tree, summed and sampled every `interval` seconds; its peak is what
  the tree held at once, give or take what lived shorter than the interval.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType


def descendants(pid: int) -> set[int]:
    """pid and every process below it, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, owner in parents.items():
            if owner == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


def _field_kib(path: str, name: str) -> int:
    try:
        text = Path(path).read_text()
    except OSError:  # the process ended meanwhile
        return 0
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def tree_peak_mib(pid: int) -> float:
    """The peak resident sizes (VmHWM) of pid and its live descendants, summed (see the module
    docstring). Running children are not in getrusage's counts; this sees them."""
    return sum(_field_kib(f"/proc/{p}/status", "VmHWM:") for p in descendants(pid)) / 1024.0


def tree_pss_mib(pid: int) -> float:
    """What pid and its descendants hold now, shared pages split between their sharers."""
    return sum(_field_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in descendants(pid)) / 1024.0


class PssSampler:
    """Samples tree_pss_mib of a process (this one by default) in a background thread while the
    `with` block runs; peak_mib is the largest sample."""

    def __init__(self, pid: int | None = None, interval: float = 0.2) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak_mib = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            stopping = self._stop.wait(self.interval)
            self.peak_mib = max(self.peak_mib, tree_pss_mib(self.pid))
            self.samples += 1
            if stopping:
                return

    def start(self) -> PssSampler:
        self._thread.start()
        return self

    def stop(self) -> float:
        """Stop sampling (after one last sample); the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak_mib

    def __enter__(self) -> PssSampler:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
