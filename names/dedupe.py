"""Deduplicating entity tables: blocking on keys, pair scoring in batches, cautious clustering.

The engine-independent core: distinct names are prepared once, grouped into blocks by their
keys (a block over the size cap is split by a second key and reported, never dropped), scored
block by block with compare_many, and clustered. Clustering merges the strongest links first
and refuses any merge that would put two names in one cluster whose own comparison said they
are different people (a cannot-link), so one ambiguous record cannot chain two people together.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from names.compare import DEFAULT_THRESHOLD, compare_many
from names.errors import UsageError
from names.keys import Prepared, prepare
from names.translit import detect_script

__all__ = [
    "Cluster",
    "DedupeResult",
    "DedupeStats",
    "dedupe",
    "cluster_names",
    "canonical_form",
    "BLOCK_CAP",
    "dedupe_table",
]

BLOCK_CAP = 400  # names per block before it is split by a second key
CANNOT_LINK = 0.55  # a scored pair below this may never share a cluster


@dataclass(frozen=True)
class Cluster:
    """One identity found in the table."""

    id: str
    canonical_name: str
    rows: tuple[int, ...]  # input row positions, 0-based


@dataclass
class DedupeStats:
    """What a run did, for the summary line."""

    rows: int = 0
    distinct_names: int = 0
    clusters: int = 0
    largest_cluster: int = 0
    pairs_scored: int = 0
    blocks: int = 0
    blocks_split: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.rows} rows, {self.distinct_names} distinct names, {self.clusters} clusters "
            f"(largest {self.largest_cluster}), {self.pairs_scored} pairs scored in "
            f"{self.blocks} blocks ({self.blocks_split} split), {self.seconds:.1f} s"
        )


@dataclass
class DedupeResult:
    """Per input row: its cluster id, the cluster's canonical name and the confidence."""

    cluster_of_row: list[str]
    canonical_of_row: list[str]
    confidence_of_row: list[float]
    clusters: list[Cluster]
    stats: DedupeStats = field(default_factory=DedupeStats)

    def rows(self, records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """The records again, in order, each with cluster_id, canonical_name and confidence."""
        for i, record in enumerate(records):
            yield {
                **record,
                "cluster_id": self.cluster_of_row[i],
                "canonical_name": self.canonical_of_row[i],
                "confidence": round(self.confidence_of_row[i], 4),
            }


def canonical_form(names: Sequence[str]) -> str:
    """The best-formed name of a cluster: native script where present, else the most complete
    Latin form (most full words, mixed case, diacritics kept), ties broken by text."""

    def rank(text: str) -> tuple:
        words = text.replace(",", " ").split()
        full = sum(1 for w in words if len(w.strip(".")) > 1)
        script = detect_script(text)
        return (
            script == "Cyrl",
            full,
            not text.isupper(),
            "," not in text,
            any(ord(ch) > 127 for ch in text),
            len(text),
            # deterministic tie-break: the smaller text wins
            tuple(-ord(ch) for ch in text),
        )

    return max(names, key=rank) if names else ""


class _Progress:
    """A progress line on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool, total: int, label: str) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = max(total, 1)
        self.label = label
        self.last = 0.0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2 and done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * done / self.total)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}"
        )
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _blocks(prepared: Sequence[Prepared], cap: int, stats: DedupeStats) -> Iterator[list[int]]:
    """Groups of distinct-name indices that share a key; oversized groups split by a second key
    (given-name class or initial), and still-oversized ones by sorted windows."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(prepared):
        for key in name.keys:
            by_key[key].append(i)
    for key in sorted(by_key):
        members = by_key[key]
        if len(members) < 2:
            continue
        if len(members) <= cap:
            yield members
            continue
        stats.blocks_split += 1
        sub: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for second in _second_keys(prepared[i]):
                sub[second].append(i)
        for second in sorted(sub):
            group = sub[second]
            if len(group) < 2:
                continue
            if len(group) <= cap:
                yield group
                continue
            # still too big: overlapping windows in text order keep neighbours together
            ordered = sorted(group, key=lambda i: prepared[i].text)
            step = cap // 2
            for start in range(0, len(ordered) - step, step):
                yield ordered[start : start + cap]


def _second_keys(name: Prepared) -> set[str]:
    found = set()
    for part in name.parts:
        if part.role == "given":
            found.update(f"g:{c}" for c in part.classes)
        if part.role in ("given", "initial"):
            found.update(f"i:{ch}" for ch in part.initials)
    return found or {"-"}


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def cluster_names(
    count: int,
    links: Mapping[tuple[int, int], float],
    threshold: float,
) -> list[int]:
    """Cluster ids (the smallest member index) for `count` items from scored pairs.

    Strongest links merge first; a merge is refused when any pair across the two clusters was
    scored below CANNOT_LINK (or vetoed), so one ambiguous item cannot join two people."""
    parent = list(range(count))
    conflicts: dict[int, set[int]] = defaultdict(set)
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    for (a, b), score in links.items():
        if score < CANNOT_LINK:
            conflicts[a].add(b)
            conflicts[b].add(a)
    edges = sorted(
        ((score, a, b) for (a, b), score in links.items() if score >= threshold),
        key=lambda e: (-e[0], e[1], e[2]),
    )
    for _score, a, b in edges:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:
            continue
        small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
        blocked = False
        for m in members[small]:
            if conflicts[m] and any(_find(parent, x) == large for x in conflicts[m]):
                blocked = True
                break
        if blocked:
            continue
        parent[small] = large
        members[large].extend(members.pop(small))
    roots = [_find(parent, i) for i in range(count)]
    smallest: dict[int, int] = {}
    for i, root in enumerate(roots):
        smallest.setdefault(root, i)
    return [smallest[root] for root in roots]


def dedupe(
    records: Iterable[Mapping[str, Any] | str],
    column: str = "name",
    id_column: str | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    block_cap: int = BLOCK_CAP,
    workers: int = -1,
    progress: bool = False,
    on_block: Callable[[int], None] | None = None,
) -> DedupeResult:
    """Cluster the records of a table by the name in `column`.

    Records are mappings (or plain strings). Every record gets a cluster id (stable: the same
    input gives the same ids), the canonical name of its cluster and a confidence. Rows with the
    same `id_column` value are one identity from the start."""
    start = time.monotonic()
    stats = DedupeStats()
    name_index: dict[str, int] = {}
    distinct: list[str] = []
    row_name: list[int] = []
    row_ids: list[str | None] = []
    for record in records:
        if isinstance(record, str):
            text, ident = record, None
        else:
            if column not in record:
                raise UsageError(
                    f"no column {column!r}; the columns are {', '.join(map(str, record))}"
                )
            value = record.get(column)
            text = "" if value is None else str(value)
            ident = None if id_column is None else record.get(id_column)
        idx = name_index.get(text)
        if idx is None:
            idx = name_index[text] = len(distinct)
            distinct.append(text)
        row_name.append(idx)
        row_ids.append(None if ident is None else str(ident))
    stats.rows = len(row_name)
    stats.distinct_names = len(distinct)

    progress_bar = _Progress(progress, len(distinct), "reading names")
    prepared = []
    for i, text in enumerate(distinct):
        prepared.append(prepare(text))
        if i % 1000 == 0:
            progress_bar.update(i)
    progress_bar.update(len(distinct))

    links: dict[tuple[int, int], float] = {}
    blocks = list(_blocks(prepared, block_cap, stats))
    stats.blocks = len(blocks)
    progress_bar = _Progress(progress, len(blocks), "scoring blocks")
    for n, block in enumerate(blocks):
        todo = sorted(set(block))
        scores = compare_many(
            [prepared[i] for i in todo], [prepared[i] for i in todo], workers=workers
        )
        upper = np.triu_indices(len(todo), k=1)
        stats.pairs_scored += len(upper[0])
        for x, y in zip(*upper, strict=True):
            a, b = todo[x], todo[y]
            key = (a, b) if a < b else (b, a)
            score = float(max(scores[x, y], scores[y, x]))
            if key not in links or score > links[key]:
                links[key] = score
        progress_bar.update(n + 1)
        if on_block is not None:
            on_block(n)

    # rows sharing an id are one identity: link their names at full strength
    by_id: dict[str, list[int]] = defaultdict(list)
    for name_i, ident in zip(row_name, row_ids, strict=True):
        if ident is not None:
            by_id[ident].append(name_i)
    for group in by_id.values():
        first = group[0]
        for other in group[1:]:
            if other != first:
                key = (first, other) if first < other else (other, first)
                links[key] = 1.0

    root_of_name = cluster_names(len(distinct), links, threshold)
    # cluster ids numbered by first appearance in the input: stable for the same input
    order: dict[int, int] = {}
    for name_i in row_name:
        order.setdefault(root_of_name[name_i], len(order))
    width = max(6, len(str(len(order))))
    label = {root: f"C{n + 1:0{width}d}" for root, n in order.items()}

    members_of: dict[int, list[int]] = defaultdict(list)
    for name_i, root in enumerate(root_of_name):
        members_of[root].append(name_i)
    canonical = {
        root: canonical_form([distinct[i] for i in names_]) for root, names_ in members_of.items()
    }
    best_link: dict[int, float] = defaultdict(float)
    best_outside: dict[int, float] = defaultdict(float)
    for (a, b), score in links.items():
        same = root_of_name[a] == root_of_name[b]
        target = best_link if same else best_outside
        target[a] = max(target[a], score)
        target[b] = max(target[b], score)

    def confidence(name_i: int) -> float:
        if len(members_of[root_of_name[name_i]]) > 1:
            return best_link[name_i] if name_i in best_link else 1.0
        return 1.0 - best_outside.get(name_i, 0.0)

    cluster_of_row, canonical_of_row, confidence_of_row = [], [], []
    rows_of: dict[int, list[int]] = defaultdict(list)
    for row, name_i in enumerate(row_name):
        root = root_of_name[name_i]
        cluster_of_row.append(label[root])
        canonical_of_row.append(canonical[root])
        confidence_of_row.append(confidence(name_i))
        rows_of[root].append(row)
    clusters = [
        Cluster(id=label[root], canonical_name=canonical[root], rows=tuple(rows_of[root]))
        for root in sorted(order, key=lambda r: order[r])
    ]
    stats.clusters = len(clusters)
    stats.largest_cluster = max((len(c.rows) for c in clusters), default=0)
    stats.seconds = time.monotonic() - start
    return DedupeResult(
        cluster_of_row=cluster_of_row,
        canonical_of_row=canonical_of_row,
        confidence_of_row=confidence_of_row,
        clusters=clusters,
        stats=stats,
    )


OUTPUT_COLUMNS = ("cluster_id", "canonical_name", "confidence")


def dedupe_table(
    source: str,
    output: str = "-",
    *,
    column: str = "name",
    id_column: str | None = None,
    table: str | None = None,
    threshold: float | None = None,
    fmt: str | None = None,
    safe_csv: bool = False,
    workers: int = -1,
    progress: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
) -> DedupeStats:
    """Deduplicate a table file (CSV, TSV, JSONL, Parquet, SQLite) into an output file.

    The input is read twice: once for the names (only names and ids are kept in memory), once
    to write every row, all its columns kept, with cluster_id, canonical_name and confidence.
    Standard input, which cannot be read twice, is kept in memory. The output is written to a
    temporary file and renamed on success, so a failed run leaves nothing behind."""
    from names.io import read_table, sniff_format, write_table

    data = read_table(
        source,
        column=column,
        table=table,
        encoding=encoding,
        errors=errors,
        fmt="csv" if source == "-" else None,
    )
    if id_column is not None and id_column not in data.columns:
        raise UsageError(
            f"no id column {id_column!r}; the columns are {', '.join(data.columns)}",
            path=str(source),
        )
    clash = [c for c in OUTPUT_COLUMNS if c in data.columns]
    if clash:
        raise UsageError(f"the input already has column(s) {', '.join(clash)}", path=str(source))
    if source == "-":
        cached = [row.values for row in data]

        def records() -> Iterable[Mapping[str, Any]]:
            return cached
    else:

        def records() -> Iterable[Mapping[str, Any]]:
            return (row.values for row in data)

    names_only = (
        {column: r.get(column), **({id_column: r.get(id_column)} if id_column else {})}
        for r in records()
    )
    result = dedupe(
        names_only,
        column=column,
        id_column=id_column,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        workers=workers,
        progress=progress,
    )
    if fmt is None:
        fmt = "csv" if output == "-" else _format_of(output, sniff_format)
    columns = [*data.columns, *OUTPUT_COLUMNS]
    written = write_table(result.rows(records()), columns, output, fmt=fmt, safe_csv=safe_csv)
    if written != result.stats.rows:  # the input changed between the two readings
        raise UsageError(
            f"the input changed while it was read ({result.stats.rows} rows, then {written})",
            path=str(source),
        )
    return result.stats


def _format_of(output: str, sniff: Callable[[str], str]) -> str:
    try:
        return sniff(output)
    except UsageError:
        return "csv"
