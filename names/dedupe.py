"""Deduplicating entity tables: blocking on keys, pair scoring in batches, cautious clustering.

The engine-independent core: distinct names are prepared once, grouped into blocks by their
keys (a block over the size cap is split by a second key and reported, never dropped), scored
block by block with compare_many, and clustered. Clustering merges the strongest links first
and refuses any merge that would put two names in one cluster whose own comparison said they
are different people (a cannot-link), so one ambiguous record cannot chain two people together.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from names.compare import DEFAULT_THRESHOLD, compare_many
from names.errors import UsageError
from names.keys import Prepared, prepare
from names.translit import detect_script

if TYPE_CHECKING:
    from names.io import Table

__all__ = [
    "Cluster",
    "DedupeResult",
    "DedupeStats",
    "dedupe",
    "cluster_names",
    "canonical_form",
    "candidate_blocks",
    "score_block",
    "score_blocks",
    "id_links",
    "Links",
    "BLOCK_CAP",
    "dedupe_table",
    "prepare_names",
    "open_input",
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


PARALLEL_MIN_NAMES = 20_000  # below this, starting worker processes costs more than it saves
_CHUNK = 2_000


def _prepare_chunk(texts: list[str]) -> list[Prepared]:
    return [prepare(t) for t in texts]


def prepare_names(
    texts: Sequence[str],
    *,
    workers: int = -1,
    on_progress: Callable[[int], None] | None = None,
) -> list[Prepared]:
    """prepare() for many distinct names, in worker processes when there are many (parsing and
    reading is pure Python; the results are the same either way)."""
    processes = (os.cpu_count() or 1) if workers == -1 else max(1, workers)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if processes < 2 or len(texts) < PARALLEL_MIN_NAMES or not fork:
        prepared = []
        for i, text in enumerate(texts):
            prepared.append(prepare(text))
            if on_progress is not None and i % 1000 == 0:
                on_progress(i)
        if on_progress is not None:
            on_progress(len(texts))
        return prepared
    chunks = [list(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
    prepared = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        for chunk in pool.map(_prepare_chunk, chunks):
            prepared.extend(chunk)
            if on_progress is not None:
                on_progress(len(prepared))
    return prepared


def candidate_blocks(
    prepared: Sequence[Prepared], cap: int = BLOCK_CAP, stats: DedupeStats | None = None
) -> Iterator[list[int]]:
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
        if stats is not None:
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


@dataclass
class Links:
    """Scored pairs of distinct names: parallel arrays, each pair once (a < b), best score."""

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray

    @classmethod
    def empty(cls) -> Links:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))

    @classmethod
    def merge(cls, parts: Sequence[Links]) -> Links:
        """One Links from many: a pair scored in several blocks keeps its best score."""
        if not parts:
            return cls.empty()
        a = np.concatenate([p.a for p in parts])
        b = np.concatenate([p.b for p in parts])
        score = np.concatenate([p.score for p in parts])
        if not len(a):
            return cls.empty()
        order = np.lexsort((-score, b, a))
        a, b, score = a[order], b[order], score[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        return cls(a[first], b[first], score[first])

    def __len__(self) -> int:
        return len(self.a)


def score_block(prepared: Sequence[Prepared], block: Sequence[int], workers: int = -1) -> Links:
    """Score every pair of one block of distinct names (indices into prepared)."""
    for _n, links, _count in score_blocks(prepared, [block], workers, batch_names=0):
        return links
    return Links.empty()


BATCH_NAMES = 32  # small blocks are scored together, up to this many names per matrix


def score_blocks(
    prepared: Sequence[Prepared],
    blocks: Sequence[Sequence[int]],
    workers: int = -1,
    batch_names: int = BATCH_NAMES,
) -> Iterator[tuple[int, Links, int]]:
    """score_block() for many blocks, the same scores, far fewer calls: consecutive small
    blocks share one score matrix over their union (a score depends only on its pair), and
    only the pairs inside each block are kept. Yields (index of the last block done, links,
    pairs scored)."""
    batch: list[np.ndarray] = []
    union: dict[int, None] = {}

    def flush() -> tuple[Links, int]:
        members = np.array(list(union), dtype=np.int64)
        position = {int(m): i for i, m in enumerate(members)}
        names_ = [prepared[i] for i in members]
        cells = len(names_) * len(names_)
        scores = compare_many(names_, names_, workers=workers if cells > 40_000 else 1)
        parts = []
        for todo in batch:
            x, y = np.triu_indices(len(todo), k=1)
            pos = np.array([position[int(i)] for i in todo], dtype=np.int64)
            best = np.maximum(scores[pos[x], pos[y]], scores[pos[y], pos[x]]).astype(np.float32)
            parts.append(Links(todo[x], todo[y], best))
        batch.clear()
        union.clear()
        return Links.merge(parts), sum(len(p) for p in parts)

    for n, block in enumerate(blocks):
        todo = np.array(sorted(set(block)), dtype=np.int64)
        if len(todo) < 2:
            continue
        grown = len(union) + sum(1 for i in todo.tolist() if i not in union)
        if batch and grown > batch_names:
            yield n - 1, *flush()
        batch.append(todo)
        union.update(dict.fromkeys(todo.tolist()))
    if batch:
        yield len(blocks) - 1, *flush()


def cluster_names(count: int, links: Links, threshold: float) -> list[int]:
    """Cluster ids (the smallest member index) for `count` items from scored pairs.

    Strongest links merge first (ties by index); a merge is refused when any pair across the two
    clusters was scored below CANNOT_LINK, so one ambiguous item cannot join two people who are
    different. Merges only follow links at or above the threshold, so the clusters of each
    connected component of those links are independent of the rest: the Spark engine clusters
    component by component with this same function and gets the same result."""
    parent = list(range(count))
    strong = links.score >= threshold
    sa, sb, ss = links.a[strong], links.b[strong], links.score[strong]
    # components of the strong links: only conflicts inside one component can matter
    comp = list(range(count))
    for a, b in zip(sa.tolist(), sb.tolist(), strict=True):
        ra, rb = _find(comp, a), _find(comp, b)
        if ra != rb:
            comp[max(ra, rb)] = min(ra, rb)
    comp_of = np.array([_find(comp, i) for i in range(count)], dtype=np.int64)
    weak = links.score < CANNOT_LINK
    wa, wb = links.a[weak], links.b[weak]
    inside = comp_of[wa] == comp_of[wb] if len(wa) else np.zeros(0, dtype=bool)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(wa[inside].tolist(), wb[inside].tolist(), strict=True):
        conflicts[a].add(b)
        conflicts[b].add(a)
    members: dict[int, list[int]] = {}
    order = np.lexsort((sb, sa, -ss))
    for k in order.tolist():
        a, b = int(sa[k]), int(sb[k])
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:
            continue
        ma = members.get(ra, [ra])
        mb = members.get(rb, [rb])
        small, large, msmall = (ra, rb, ma) if len(ma) <= len(mb) else (rb, ra, mb)
        if any(_find(parent, x) == large for m in msmall for x in conflicts.get(m, ())):
            continue
        parent[small] = large
        members[large] = (mb if large == rb else ma) + msmall
        members.pop(small, None)
    roots = [_find(parent, i) for i in range(count)]
    smallest: dict[int, int] = {}
    for i, root in enumerate(roots):
        smallest.setdefault(root, i)
    return [smallest[root] for root in roots]


def id_links(row_name: Sequence[int], row_ids: Sequence[str | None]) -> Links:
    """Rows sharing an id are one identity: their names are linked at full strength."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for name_i, ident in zip(row_name, row_ids, strict=True):
        if ident is not None:
            by_id[ident].append(name_i)
    a, b = [], []
    for group in by_id.values():
        first = min(group)
        for other in set(group) - {first}:
            a.append(first)
            b.append(other)
    return Links(np.array(a, np.int64), np.array(b, np.int64), np.ones(len(a), np.float32))


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
    prepared = prepare_names(distinct, workers=workers, on_progress=progress_bar.update)

    blocks = list(candidate_blocks(prepared, block_cap, stats))
    stats.blocks = len(blocks)
    progress_bar = _Progress(progress, len(blocks), "scoring blocks")
    scored: list[Links] = []
    for n, part, count in score_blocks(prepared, blocks, workers):
        stats.pairs_scored += count
        scored.append(part)
        progress_bar.update(n + 1)
        if on_block is not None:
            on_block(n)
    scored.append(id_links(row_name, row_ids))
    links = Links.merge(scored)

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
    roots = np.array(root_of_name, dtype=np.int64)
    if len(links):
        same = roots[links.a] == roots[links.b]
        for target, mask in ((best_link, same), (best_outside, ~same)):
            for a, b, score in zip(
                links.a[mask].tolist(),
                links.b[mask].tolist(),
                links.score[mask].tolist(),
                strict=True,
            ):
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


def open_input(
    source: str,
    *,
    column: str,
    id_column: str | None,
    table: str | None,
    encoding: str,
    errors: str,
) -> Table:
    """Open a table to deduplicate and check it: the name column and the id column exist, and
    the output columns are not taken already. Standard input is read as CSV."""
    from names.io import read_table

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
    return data


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
    from names.io import output_format, write_table

    data = open_input(
        source, column=column, id_column=id_column, table=table, encoding=encoding, errors=errors
    )
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
    columns = [*data.columns, *OUTPUT_COLUMNS]
    written = write_table(
        result.rows(records()), columns, output, fmt=output_format(output, fmt), safe_csv=safe_csv
    )
    if written != result.stats.rows:  # the input changed between the two readings
        raise UsageError(
            f"the input changed while it was read ({result.stats.rows} rows, then {written})",
            path=str(source),
        )
    return result.stats
