"""Deduplicating entity tables: blocking on keys, pair scoring in batches, cautious clustering.

The engine-independent core: distinct names are prepared and encoded once (in worker
processes), put into blocks by their keys and given names (block_keys: a surname reading with a
given-name class, or with an initial for names that give only one; a block over the size cap is
cut into windows and reported, never dropped), every candidate pair is scored once with the
matcher's NameTable, and the names are clustered (pairs no block compared are scored when a
merge needs them). Clustering merges the strongest links first
and refuses any merge that would put two names in one cluster whose own comparison said they
are different people (a cannot-link), so one ambiguous record cannot chain two people together.
"""

from __future__ import annotations

import functools
import gc
import itertools
import multiprocessing
import os
import re
import sys
import time
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from names.compare import DEFAULT_THRESHOLD, NameTable, _starts
from names.errors import UsageError
from names.keys import Prepared, cyclic_gc_paused, name_language, prepare_many
from names.lexicon import surname_analysis
from names.rules import Scheme
from names.translit import detect_script, schemes, transliterate

if TYPE_CHECKING:
    from names.io import Table

__all__ = [
    "Cluster",
    "DedupeResult",
    "DedupeStats",
    "dedupe",
    "cluster_names",
    "canonical_form",
    "native_forms",
    "block_keys",
    "block_pairs",
    "Blocking",
    "candidate_pairs",
    "score_pairs",
    "missing_scorer",
    "MissingScorer",
    "id_links",
    "Links",
    "BLOCK_CAP",
    "dedupe_table",
    "prepare_names",
    "PreparedNames",
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
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, in order

    def summary(self) -> str:
        stages = ", ".join(f"{stage} {secs:.1f}" for stage, secs in self.stages.items())
        return (
            f"{self.rows} rows, {self.distinct_names} distinct names, {self.clusters} clusters "
            f"(largest {self.largest_cluster}), {self.pairs_scored} pairs scored in "
            f"{self.blocks} blocks ({self.blocks_split} split), {self.seconds:.1f} s"
            + (f" ({stages})" if stages else "")
        )

    def lap(self, stage: str, since: float) -> float:
        """Record the seconds of a stage that began at `since`; returns now."""
        now = time.monotonic()
        self.stages[stage] = now - since
        return now


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


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")  # every letter (and a few other numerals)
_NOT_CYRILLIC_LETTER = re.compile(r"[^\W\d_\u0400-\u052f]")


def _is_cyrillic(text: str) -> bool:
    """detect_script(text) == "Cyrl", without looking at each letter in the common cases: a
    text with a letter of the basic Cyrillic blocks and no other letter."""
    if text.isascii() or _ASCII_LETTER.search(text):
        return False  # no letter, or a Latin one
    if _NOT_CYRILLIC_LETTER.search(text) is None:
        letter = _LETTER.search(text)
        if letter is None:
            return False  # no letter at all
        if letter.group().isalpha():
            return True
    return detect_script(text) == "Cyrl"


def canonical_form(names: Sequence[str], languages: Sequence[str] | None = None) -> str:
    """The best-formed name of a cluster: native script where present, else the most complete
    Latin form (most full words, mixed case, diacritics kept), ties broken by text (the
    smallest by code point).

    Native means the identity's own, as the cluster's spellings tell it (:func:`native_forms`):
    a Lithuanian's Lithuanian spelling before its Cyrillic transcriptions, and of two equally
    complete forms, a Belarusian's Belarusian form before the Russian one. ``languages`` are
    the parser's guesses for ``names`` (``prepare(name).language``, which
    :func:`names.keys.name_language` gives alone), computed when not given."""
    if len(names) == 1:
        return names[0]
    cyrillic = [_is_cyrillic(text) for text in names]
    latin_native, own = _native(names, languages, cyrillic)
    best: tuple[bool, int, bool, bool, bool, bool, int] | None = None
    chosen = ""
    for k, text in enumerate(names):
        rank = (
            cyrillic[k] != latin_native,
            len(_FULL_WORD.findall(text)),
            own[k],
            not text.isupper(),
            "," not in text,
            not text.isascii(),
            len(text),
        )
        if best is None or rank > best or rank == best and text < chosen:
            best, chosen = rank, text
    return chosen


_CYRILLIC_LANGUAGES = ("be", "ru", "uk")
_FULL_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: not an initial (Н.П. is two)


def native_forms(
    names: Sequence[str], languages: Sequence[str] | None = None
) -> tuple[bool, list[bool]]:
    """Which script and which names of one identity are its own, as its spellings tell:
    (whether the native script is Latin, and per name whether it is in the native language).

    - A Lithuanian: a Lithuanian spelling with a Lithuanian ending (Dalia Grybauskaitė) that a
      Lithuanian-to-Cyrillic scheme turns into one of the Cyrillic names, up to a letter or two
      (Даля Грибаускайте). The Cyrillic names are transcriptions of it: Latin is native, and
      the Lithuanian spellings are the own ones.
    - A Belarusian, Russian or Ukrainian: Cyrillic is native, and the own names are the
      Cyrillic ones of the language more of the spellings point to than to any other (Ihar
      Losik and Ігар Лосік against Игорь Лосик).

    With no Cyrillic name, or a tie, Cyrillic is native and every name is as good as another."""
    return _native(names, languages, [_is_cyrillic(text) for text in names])


def _native(
    names: Sequence[str], languages: Sequence[str] | None, cyrillic: Sequence[bool]
) -> tuple[bool, list[bool]]:
    undecided = (False, [True] * len(names))
    if not any(cyrillic):
        return undecided
    if languages is None:
        languages = [name_language(text) for text in names]
    kinds = set(languages)
    if len(kinds) < 2:  # (a Cyrillic name is never "lt": no Lithuanian spelling either)
        return undecided
    if "lt" in kinds:
        lithuanian = [
            not cyr and lang == "lt" and _has_lithuanian_ending(text)
            for text, lang, cyr in zip(names, languages, cyrillic, strict=True)
        ]
        if any(lithuanian) and _transcribed_from(
            list(itertools.compress(names, lithuanian)), list(itertools.compress(names, cyrillic))
        ):
            return True, lithuanian
    votes = Counter(lang for lang in languages if lang in _CYRILLIC_LANGUAGES)
    ranked = votes.most_common(2)
    if len(ranked) < 2 or ranked[0][1] == ranked[1][1]:
        return undecided
    winner = ranked[0][0]
    return False, [cyr and lang == winner for lang, cyr in zip(languages, cyrillic, strict=True)]


def _has_lithuanian_ending(text: str) -> bool:
    """Whether a word of the name ends as only Lithuanian words do (Grybauskaitė, Gitanas): a
    Lithuanian spelling of a Slavic name may keep its Slavic endings (Valiancina Navickaja)."""
    for word in _WORD.findall(text):
        form = surname_analysis(word, "lt")
        if form is not None and form.languages == ("lt",):
            return True
    return False


def _spelling_key(text: str) -> str:
    """A name's words, folded and sorted: equal for one spelling in any order or case."""
    return " ".join(sorted(_WORD.findall(text.casefold().replace("ё", "е"))))


# How close a Cyrillic name must come to a transcription of a Lithuanian spelling to be taken
# for one: the instruction's forms and the press's differ by a letter or two (Станкявичене,
# Станкевичене), while a Lithuanian spelling of a Slavic name adds endings to every word
# (Dmitrijus Kuznecovas: Дмитриюс Кузнецовас is 0.79 of Дмитрий Кузнецов)
TRANSCRIPTION_SIMILARITY = 0.85


def _transcribed_from(latin: Sequence[str], cyrillic: Sequence[str]) -> bool:
    """Whether a scheme from Latin to Cyrillic (Lithuanian to Russian or Belarusian) turns one
    of the `latin` names into one of the `cyrillic` names, up to a letter or two."""
    wanted = {_spelling_key(text) for text in cyrillic}
    for scheme in _lithuanian_to_cyrillic():
        for text in latin:
            made = _spelling_key(transliterate(text, scheme))
            for key in wanted:
                if Levenshtein.normalized_similarity(made, key) >= TRANSCRIPTION_SIMILARITY:
                    return True
    return False


@functools.cache
def _lithuanian_to_cyrillic() -> tuple[Scheme, ...]:
    """The schemes that write a Lithuanian name in Cyrillic letters (looked up once)."""
    return tuple(s for s in schemes("lt") if (s.source_script, s.target_script) == ("Latn", "Cyrl"))


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
_CHUNK = 50_000  # names prepared together (bounds the working memory of one batch)
BUCKETS_PER_WORKER = 16  # jobs per worker process: progress steps, and room to balance the load


def _given_hint(name: Prepared) -> tuple[frozenset[str], frozenset[str]] | None:
    """What a name says about its given name: the (classes, initials) of its first given name,
    or of its first initial; None when it has neither."""
    initial = None
    for part in name.parts:
        if part.role == "given":
            return part.classes, part.initials
        if initial is None and part.role == "initial":
            initial = part
    return None if initial is None else (initial.classes, initial.initials)


def _quals_of(hint: tuple[frozenset[str], frozenset[str]] | None) -> list[tuple[str, bool]]:
    """The qualifiers of a name's blocks, (qualifier, asker), from its _given_hint."""
    if hint is None:
        return [("*", True)]
    classes, marked = hint
    # a marked letter (keys._cross_initials: a Belarusian form's initial) blocks as the letter;
    # a Belarusian-Russian pair of initials (м>н) as itself
    initials = sorted({ch.split("~", 1)[0] for ch in marked})
    quals: list[tuple[str, bool]]
    if classes:
        quals = [(f"g:{c}", True) for c in sorted(classes)]
        quals += [(f"i:{ch}", False) for ch in initials]
    elif initials:
        quals = [(f"i:{ch}", True) for ch in initials]
    else:
        return [("*", True)]
    quals.append(("*", False))
    return quals


def block_keys(name: Prepared) -> list[tuple[str, bool]]:
    """The blocks a name belongs to: (block key, asker). Only pairs with an asker are scored.

    A block is a key of the name (a reading of its surname, or a place) together with what the
    name says about the given name. A given name the lexicon knows puts the name in one block
    per class (all pairs there are scored) and, as a listener, in one block per initial letter
    it may have. A name that gives only an initial, or a given name the lexicon does not know
    (a typo, a rare name), asks in the blocks of its initials: it is compared with everyone
    there. A name with no given name at all asks in the block of the bare key."""
    quals = _quals_of(_given_hint(name))
    return [(f"{key}\x1f{qual}", asker) for key in sorted(name.keys) for qual, asker in quals]


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is one-to-one on 64-bit words


@dataclass
class Blocking:
    """Block memberships of distinct names: parallel arrays, one row per (block, name)."""

    block: np.ndarray  # int64: a hash of the block key (or any id shared by its members)
    name: np.ndarray  # int64 name index
    asker: np.ndarray  # bool

    @classmethod
    def of(cls, memberships: Sequence[Sequence[tuple[str, bool]]], offset: int = 0) -> Blocking:
        """From block_keys() of names numbered offset, offset + 1, ... (block keys hashed:
        within one process, and in processes forked from it, equal keys hash equal)."""
        count = np.fromiter((len(m) for m in memberships), dtype=np.int64, count=len(memberships))
        total = int(count.sum())
        block = np.fromiter(
            (hash(k) for m in memberships for k, _ in m), dtype=np.int64, count=total
        )
        asker = np.fromiter((a for m in memberships for _, a in m), dtype=bool, count=total)
        name = np.repeat(np.arange(offset, offset + len(memberships), dtype=np.int64), count)
        return cls(block, name, asker)

    @classmethod
    def of_names(cls, names: Sequence[Prepared], offset: int = 0) -> Blocking:
        """The blocks of block_keys() for prepared names numbered offset, offset + 1, ...,
        without building each key: a block is numbered by mixing the hash of its key with the
        hash of its qualifier, key sets and qualifier lists are worked out once each, and the
        rows are their cross products per name."""
        key_sets: dict[frozenset[str], int] = {}
        key_hashes: list[list[int]] = []
        qual_sets: dict[tuple[frozenset[str], frozenset[str]] | None, int] = {}
        qual_lists: list[list[tuple[str, bool]]] = []
        ks = np.empty(len(names), dtype=np.int64)
        qs = np.empty(len(names), dtype=np.int64)
        for i, name in enumerate(names):
            k = key_sets.get(name.keys)
            if k is None:
                k = key_sets[name.keys] = len(key_hashes)
                key_hashes.append([hash(key) for key in sorted(name.keys)])
            ks[i] = k
            hint = _given_hint(name)
            q = qual_sets.get(hint)
            if q is None:
                q = qual_sets[hint] = len(qual_lists)
                qual_lists.append(_quals_of(hint))
            qs[i] = q
        key_count = np.array([len(h) for h in key_hashes], dtype=np.int64)
        key_flat = np.fromiter(chain.from_iterable(key_hashes), np.int64, int(key_count.sum()))
        qual_count = np.array([len(q) for q in qual_lists], dtype=np.int64)
        quals = list(chain.from_iterable(qual_lists))
        qual_flat = np.fromiter((hash(q) for q, _ in quals), np.int64, len(quals))
        qual_asks = np.fromiter((a for _, a in quals), bool, len(quals))
        width = qual_count[qs]
        total = key_count[ks] * width
        owner = np.repeat(np.arange(len(names), dtype=np.int64), total)
        step = np.arange(int(total.sum()), dtype=np.int64) - np.repeat(_starts(total), total)
        width = width[owner]
        key_row = _starts(key_count)[ks][owner] + step // width
        qual_row = _starts(qual_count)[qs][owner] + step % width
        block = key_flat[key_row].view(np.uint64) * _MIX ^ qual_flat[qual_row].view(np.uint64)
        return cls(block.view(np.int64), owner + offset, qual_asks[qual_row])

    @classmethod
    def concat(cls, parts: Sequence[Blocking]) -> Blocking:
        return cls(
            np.concatenate([p.block for p in parts] or [np.zeros(0, np.int64)]),
            np.concatenate([p.name for p in parts] or [np.zeros(0, np.int64)]),
            np.concatenate([p.asker for p in parts] or [np.zeros(0, bool)]),
        )


def block_pairs(
    members: Sequence[int], askers: Sequence[bool], texts: Sequence[str], cap: int = BLOCK_CAP
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (a < b) one block asks for: every asker with every other member. A block over
    the cap is cut into overlapping windows of `cap` names in text order (neighbours stay
    together), never dropped. `members` are distinct name indices."""
    index = np.asarray(members, dtype=np.int64)
    ask = np.asarray(askers, dtype=bool)
    if len(index) > cap:
        order = sorted(range(len(index)), key=lambda k: (texts[k], int(index[k])))
        step = max(cap // 2, 1)
        found_a, found_b = [], []
        for start in range(0, len(order) - step, step):
            window = order[start : start + cap]
            a, b = block_pairs(index[window], ask[window], [texts[k] for k in window], cap)
            found_a.append(a)
            found_b.append(b)
        return _unique_pairs(np.concatenate(found_a), np.concatenate(found_b))
    # within the cap: the one-block case of candidate_pairs (which holds the asker rule)
    return candidate_pairs(Blocking(np.zeros(len(index), np.int64), index, ask), (), cap)


def _unique_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs, sorted (any int64 values: Spark's name indices are sparse)."""
    a, b = a.astype(np.int64, copy=False), b.astype(np.int64, copy=False)
    if not len(a):
        return a, b
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[first], b[first]


PAIRS_PER_STEP = 2_000_000  # candidate pairs generated at once (bounds the working memory)


def _pairs_after(partners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row k paired with the partners[k] rows right after it: (k, k + 1), (k, k + 2), ..."""
    src = np.repeat(np.arange(len(partners)), partners)
    dst = src + 1 + np.arange(len(src)) - np.repeat(_starts(partners), partners)
    return src, dst


def _in_pair_order(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the pairs (a[k], b[k]) are distinct and sorted by (a, b)."""
    return bool(np.all((a[1:] > a[:-1]) | ((a[1:] == a[:-1]) & (b[1:] > b[:-1]))))


def _distinct(values: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """The distinct values, sorted (a plain sort: faster here than numpy's hashed unique).
    in_place: sort `values` itself (a temporary of the caller's), not a copy."""
    if in_place:
        values.sort()
    else:
        values = np.sort(values)
    return values[np.append(True, values[1:] != values[:-1])] if len(values) else values


def _block_order(block: np.ndarray, low_bits: int) -> np.ndarray:
    """Each block hash as the high bits of a sort key whose `low_bits` stay free: the same
    for the same block and different for different blocks. The hash with its low bits cleared
    is such a value except for the rare blocks whose hashes then clash: those are moved to
    values no block uses."""
    high = block >> low_bits
    full = _distinct(block)
    tops = full >> low_bits
    same = tops[1:] == tops[:-1]
    if not same.any():
        return high << low_bits
    moved = full[np.append(same, False) | np.append(False, same)]
    used = _distinct(tops, in_place=True)
    free = used[:-1][np.diff(used) > 1] + 1  # each just above a used value, and unused
    if len(free) < len(moved):  # (a table too dense to have room): number every block
        return np.searchsorted(full, block).astype(np.int64) << low_bits
    rows = np.flatnonzero(np.isin(block, moved))
    high[rows] = free[np.searchsorted(moved, block[rows])]
    return high << low_bits


def candidate_pairs(
    blocking: Blocking,
    texts: Sequence[str],
    cap: int = BLOCK_CAP,
    stats: DedupeStats | None = None,
    *,
    workers: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of distinct names some block asks for, once (a < b), sorted.

    The same pairs as block_pairs() over every block, vectorised for the blocks within the cap.
    Rows are sorted as one int64 key (block, asker first, name) and pairs as a * n + b: one
    plain sort each, where sorting on several columns takes several times the time and memory.
    The pairs are made in steps, in `workers` forked worker processes when there are many."""
    empty = np.zeros(0, np.int64)
    if not len(blocking.block):
        return empty, empty
    name_of: np.ndarray | None = None
    name = blocking.name.astype(np.int64, copy=False)
    if int(name.min()) < 0 or int(name.max()) >= 1 << 31:  # Spark's sparse ids: number them
        name_of = _distinct(name)
        name = np.searchsorted(name_of, name)
    n = int(name.max()) + 1
    name_bits = max(n - 1, 1).bit_length()
    key = _block_order(blocking.block, name_bits + 1)
    key |= (~blocking.asker).astype(np.int64) << name_bits  # askers first in each block
    key |= name
    del name
    key.sort()
    key = key[np.append(True, key[1:] != key[:-1])]  # a name once per block
    name = key & ((1 << name_bits) - 1)
    asker = ((key >> name_bits) & 1) == 0
    key >>= name_bits + 1  # now the block
    head = np.append(True, key[1:] != key[:-1])
    del key
    start = np.flatnonzero(head)
    del head
    size = np.diff(np.append(start, len(name)))
    askers = np.add.reduceat(asker.astype(np.int64), start)
    live = (size >= 2) & (askers >= 1)
    big = live & (size > cap)
    if stats is not None:
        stats.blocks += int(live.sum())
        stats.blocks_split += int(big.sum())
    # each asker pairs with every member after it in its block (askers come first)
    end = np.repeat(np.where(live & ~big, start + size, 0), size)
    partners = np.where(asker, end - 1 - np.arange(len(name)), 0)
    np.maximum(partners, 0, out=partners)
    del end
    reach = np.cumsum(partners)
    steps: list[tuple[int, int]] = []  # rows in steps of at most PAIRS_PER_STEP pairs
    lo = 0
    while lo < len(name):
        done = int(reach[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(reach, done + PAIRS_PER_STEP, side="right")), lo + 1)
        steps.append((lo, hi))
        lo = hi

    def pairs_of(step: tuple[int, int]) -> np.ndarray:
        """The distinct pairs of one step of rows, as a * n + b."""
        lo, hi = step
        src, dst = _pairs_after(partners[lo:hi])
        a, b = name[lo + src], name[lo + dst]
        del src, dst
        pair = np.minimum(a, b) * n + np.maximum(a, b)
        return _distinct(pair[a != b], in_place=True)  # a != b: a name twice in a block

    processes = _processes(workers, int(reach[-1]) if len(reach) else 0, PARALLEL_MIN_PAIRS)
    if processes < 2:
        found = [pairs_of(step) for step in steps]
    else:
        found = list(_forked_map(pairs_of, steps, processes))
    del reach
    partners = np.zeros(0, np.int64)  # (let the rows' partner counts go)
    for g in np.flatnonzero(big).tolist():
        rows = slice(start[g], start[g] + size[g])
        members = name[rows] if name_of is None else name_of[name[rows]]
        a, b = block_pairs(members, asker[rows], [texts[i] for i in members.tolist()], cap)
        if name_of is not None:
            a, b = np.searchsorted(name_of, a), np.searchsorted(name_of, b)
        found.append(a * n + b)
    pairs = _distinct(np.concatenate(found), in_place=True) if found else empty
    del found
    a, b = pairs // n, pairs % n
    return (a, b) if name_of is None else (name_of[a], name_of[b])


@dataclass
class PreparedNames:
    """Distinct names encoded for scoring (a NameTable) and their block memberships."""

    table: NameTable
    blocking: Blocking


# The work forked worker processes run: set just before the fork, inherited, never pickled
_FORKED: list[Callable[[Any], Any]] = []


def _run_forked(item: Any) -> Any:
    return _FORKED[0](item)


def _forked_map(work: Callable[[Any], Any], items: Iterable[Any], processes: int) -> Iterator[Any]:
    """work(item) for each item, in order, in `processes` forked worker processes. `work` may
    be a closure over this process's memory (tables, texts): the workers inherit it by the
    fork, so only the items and the results are pickled."""
    _FORKED[:] = [work]
    try:
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            yield from pool.map(_run_forked, items)
    finally:
        _FORKED.clear()


def _processes(workers: int, size: int, minimum: int) -> int:
    """How many worker processes to fork for `size` items of work: `workers` (-1: one per core),
    or 1 (work in this process) when there are fewer than `minimum` items or no fork."""
    wanted = (os.cpu_count() or 1) if workers == -1 else max(1, workers)
    if size < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def _prepare_numbered(numbers: np.ndarray, texts: Sequence[str]) -> PreparedNames:
    """Prepare, encode and block names numbered `numbers` (their blocking rows say so)."""
    prepared = prepare_many(texts)
    blocking = Blocking.of_names(prepared)
    blocking.name = numbers[blocking.name]
    return PreparedNames(NameTable(prepared), blocking)


def _joined(parts: Sequence[PreparedNames]) -> PreparedNames:
    return PreparedNames(
        NameTable.concat([p.table for p in parts]), Blocking.concat([p.blocking for p in parts])
    )


def _prepare_bucket(numbers: np.ndarray, texts: Sequence[str]) -> PreparedNames:
    """_prepare_numbered in chunks of _CHUNK names, joined. Runs in a worker process (it
    freezes the garbage collector's view of the heap)."""
    # the worker's memos grow by millions of objects and hold no reference cycles: the cyclic
    # collector would walk them again and again (a sixth of the time at 1M names)
    try:
        with cyclic_gc_paused():
            return _joined(
                [
                    _prepare_numbered(numbers[lo : lo + _CHUNK], texts[lo : lo + _CHUNK])
                    for lo in range(0, len(texts), _CHUNK)
                ]
            )
    finally:
        gc.freeze()  # a worker process's own heap: what it keeps is not walked again


_WORD = re.compile(r"\w+")


def _bucket(text: str, buckets: int) -> int:
    """A bucket for a name by its longest word (most often the surname): names that share the
    word share a bucket, so each worker reads fewer distinct words."""
    longest = max(_WORD.findall(text.casefold()), key=len, default="")
    return zlib.crc32(longest.encode("utf-8", "surrogatepass")) % buckets


def _buckets(texts: Sequence[str], buckets: int, processes: int) -> np.ndarray:
    """_bucket() of every text, a share of the texts in each of `processes` worker processes."""

    def share(span: tuple[int, int]) -> np.ndarray:
        lo, hi = span
        return np.fromiter((_bucket(t, buckets) for t in texts[lo:hi]), np.int64, hi - lo)

    ends = [len(texts) * k // processes for k in range(processes + 1)]
    spans = list(zip(ends[:-1], ends[1:], strict=True))
    return np.concatenate(list(_forked_map(share, spans, processes)))


def prepare_names(
    texts: Sequence[str],
    *,
    workers: int = -1,
    on_progress: Callable[[int], None] | None = None,
) -> PreparedNames:
    """Prepare, encode and block many distinct names, in worker processes when there are many
    (parsing and reading is pure Python; the result is the same either way).

    Reading a word the first time costs about as much as the rest of a name, and each worker
    process reads the words of its own names: names are dealt to the workers in buckets by
    their longest word, so that most words are read by one worker only."""
    processes = _processes(workers, len(texts), PARALLEL_MIN_NAMES)
    results: Iterable[PreparedNames]
    if processes < 2:  # in this process, chunk by chunk in input order
        jobs = [np.arange(lo, min(lo + _CHUNK, len(texts))) for lo in range(0, len(texts), _CHUNK)]
        results = (
            _prepare_numbered(numbers, texts[numbers[0] : numbers[-1] + 1]) for numbers in jobs
        )
    else:
        buckets = processes * BUCKETS_PER_WORKER
        bucket = _buckets(texts, buckets, processes)
        order = np.argsort(bucket, kind="stable")
        ends = np.searchsorted(bucket[order], np.arange(1, buckets + 1))
        groups = sorted(np.split(order, ends[:-1]), key=len, reverse=True)  # longest first
        jobs = [numbers for numbers in groups if len(numbers)]
        results = _forked_map(
            lambda numbers: _prepare_bucket(numbers, [texts[i] for i in numbers.tolist()]),
            jobs,
            processes,
        )
    blockings: list[Blocking] = []

    def tables() -> Iterator[NameTable]:
        count = 0
        for part in results:
            blockings.append(part.blocking)
            count += len(part.table)
            if on_progress is not None:
                on_progress(count)
            yield part.table

    # each table is renumbered into the joined one as its worker hands it over
    table = NameTable.concat(tables())
    joined = PreparedNames(table, Blocking.concat(blockings))
    rows = np.concatenate(jobs) if jobs else np.zeros(0, np.int64)  # the name of each row
    if not np.array_equal(rows, np.arange(len(texts))):
        back = np.empty(len(texts), dtype=np.int64)
        back[rows] = np.arange(len(texts))
        joined.table = joined.table.take(back)  # back in input order
    return joined


PAIRS_PER_BATCH = 500_000
PARALLEL_MIN_PAIRS = 2 * PAIRS_PER_BATCH  # below this, scoring stays in this process


def score_pairs(
    table: NameTable,
    a: np.ndarray,
    b: np.ndarray,
    threshold: float,
    *,
    workers: int = -1,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[Links, np.ndarray]:
    """Score candidate pairs; keep only the links clustering uses (at or above the threshold:
    merges; below CANNOT_LINK: vetoes) and, per name, its best score with anyone (what the
    confidence of a name left alone is made of). Many pairs are scored in forked worker
    processes, batch by batch (scoring is mostly single-threaded numpy and string code, which
    threads do not speed up); the result is the same either way."""
    best = np.zeros(len(table), dtype=np.float32)
    kept: list[Links] = []
    starts = range(0, len(a), PAIRS_PER_BATCH)
    processes = _processes(workers, len(a), PARALLEL_MIN_PAIRS)
    threads = 1 if processes >= 2 else workers

    def batch(lo: int) -> np.ndarray:
        return table.scores(
            a[lo : lo + PAIRS_PER_BATCH], b[lo : lo + PAIRS_PER_BATCH], workers=threads
        )

    batches = _forked_map(batch, starts, processes) if processes >= 2 else map(batch, starts)
    for lo, score in zip(starts, batches, strict=True):
        pa, pb = a[lo : lo + PAIRS_PER_BATCH], b[lo : lo + PAIRS_PER_BATCH]
        np.maximum.at(best, pa, score)
        np.maximum.at(best, pb, score)
        keep = (score >= np.float32(threshold)) | (score < np.float32(CANNOT_LINK))
        kept.append(Links(pa[keep], pb[keep], score[keep]))
        if on_progress is not None:
            on_progress(min(lo + PAIRS_PER_BATCH, len(a)))
    return Links.merge(kept), best


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
        if _in_pair_order(a, b):  # each pair once, in order already (scored candidate pairs)
            return cls(a, b, score)
        order = np.lexsort((-score, b, a))
        a, b, score = a[order], b[order], score[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        return cls(a[first], b[first], score[first])

    def __len__(self) -> int:
        return len(self.a)


PREFETCH_COMPONENT = 64  # components up to this size have all their missing pairs scored at once
PREFETCH_PAIRS = 1_000_000  # missing pairs of such components scored per batch
DENSE_COMPONENT = 5_000  # components up to this size are clustered on n-by-n matrices


class MissingScorer:
    """score_missing for cluster_names over a table: pairs are first checked with
    NameTable.surely_differ (vectorised), and only the others scored (a pair surely below
    CANNOT_LINK gets 0: clustering asks only which side of CANNOT_LINK a pair is on).
    `scored` counts the pairs scored, and on_scored(k) is told each call's count."""

    def __init__(self, table: NameTable, on_scored: Callable[[int], None] | None = None) -> None:
        self.table = table
        self.on_scored = on_scored
        self.scored = 0
        # the table works out its given-name kinds on first use: here, once, rather than in
        # each worker process clustering forks
        table.surely_differ(np.zeros(0, np.int64), np.zeros(0, np.int64))

    def __call__(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        out = np.zeros(len(xs), dtype=np.float32)
        todo = ~self.table.surely_differ(xs, ys)
        if todo.any():
            out[todo] = self.table.scores(xs[todo], ys[todo], workers=1)
        self.add(int(todo.sum()))
        return out

    def add(self, scored: int) -> None:
        """Count pairs scored (here, or by a copy of this scorer in a worker process)."""
        self.scored += scored
        if self.on_scored is not None:
            self.on_scored(scored)


def missing_scorer(
    table: NameTable, on_scored: Callable[[int], None] | None = None
) -> MissingScorer:
    """The score_missing of cluster_names over a table (see MissingScorer)."""
    return MissingScorer(table, on_scored)


def _at_roots(parent: np.ndarray) -> np.ndarray:
    """Every item pointed straight at the root of its tree (parent[root] == root), by pointer
    jumping: a handful of vectorised rounds, however deep the trees."""
    while True:
        jumped = parent[parent]
        if np.array_equal(jumped, parent):
            return parent
        parent = jumped


_HOOKING_ROUNDS = 64  # rounds of _strong_components before it finishes with a plain union-find


def _strong_components(count: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per item, the smallest item of its connected component over the pairs (a, b).

    Vectorised: each round, the root of every tree is hung under the smallest root it has a
    pair with (a smaller number, so no cycle forms), then every item is pointed straight at its
    root; pairs inside one tree are dropped. The smallest item of a component is never hung
    under another, so it ends as the root. A handful of rounds suffices in practice (a shuffled
    path of 200,000 items takes 11); a plain union-find finishes whatever is left after
    _HOOKING_ROUNDS."""
    label = np.arange(count, dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    for _ in range(_HOOKING_ROUNDS):
        la, lb = label[a], label[b]
        apart = la != lb
        a, b, la, lb = a[apart], b[apart], la[apart], lb[apart]
        if not len(a):
            return label
        np.minimum.at(label, np.maximum(la, lb), np.minimum(la, lb))
        label = _at_roots(label)
    parent = label.tolist()
    for x, y in zip(label[a].tolist(), label[b].tolist(), strict=True):
        rx, ry = _find(parent, x), _find(parent, y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return _at_roots(np.array(parent, dtype=np.int64))


SPECULATE_LINKS = 256  # merges whose missing pairs are asked for in one batch


def _row_bits(matrix: np.ndarray) -> list[int]:
    """Each row of a boolean matrix as a Python int whose bit j is matrix[i, j]."""
    packed = np.packbits(matrix, axis=1, bitorder="little")
    data, width = packed.tobytes(), packed.shape[1]
    return [int.from_bytes(data[i * width : (i + 1) * width], "little") for i in range(len(matrix))]


# Asking for missing pairs: (local i, local j) arrays out, "scores below CANNOT_LINK" back in
_Merging = Generator[tuple[np.ndarray, np.ndarray], np.ndarray, list[int]]


def _merging(
    la: list[int], lb: list[int], vetoed: np.ndarray, known: np.ndarray | None = None
) -> _Merging:
    """Greedy merging inside one component (local indices 0..n-1): links (la, lb) in merge
    order; vetoed[i, j]: pair i, j scores below CANNOT_LINK. With `known`, a merge first asks
    for the cross pairs not yet known: the generator yields them (i < j) and is sent whether
    each scores below CANNOT_LINK. Returns each item's root.

    Each cluster (by root) keeps three sets of items as bits of an int: its members, the items
    vetoed against one of them (against) and the items some member's pair with is not known
    (gap). Two clusters conflict when against of one meets the members of the other, and have
    pairs to ask for when gap does: one AND each, and a merge ORs them.
    The pairs the next SPECULATE_LINKS merges would need (with the clusters as they stand) are
    asked for together; the merges then run one by one until one needs a pair that was not
    foreseen (its clusters grew meanwhile), and the next batch starts there. Every decision
    still sees every cross pair, as merge by merge would."""
    size = len(vetoed)
    root = list(range(size))
    members = [[i] for i in range(size)]
    bits = [1 << i for i in range(size)]
    against = _row_bits(vetoed)
    del vetoed
    lazy = known is not None
    gap: list[int] = []  # per root: the OR of unknown over its members
    unknown: list[int] = []  # per item: the items its pair with is not known yet
    if known is not None:
        missed = ~known
        np.fill_diagonal(missed, False)
        unknown = _row_bits(missed)
        gap = unknown.copy()
        del missed, known

    def missing(ra: int, rb: int) -> tuple[list[int], list[int]]:
        """The cross pairs of two clusters not known yet (i < j), now counted as known."""
        if len(members[ra]) > len(members[rb]):
            ra, rb = rb, ra
        other = bits[rb]
        lo: list[int] = []
        hi: list[int] = []
        far = 0  # the items of rb with a pair asked for
        for x in members[ra]:
            pending = unknown[x] & other
            if not pending:
                continue
            unknown[x] ^= pending
            far |= pending
            while pending:
                low = pending & -pending
                pending ^= low
                y = low.bit_length() - 1
                lo.append(min(x, y))
                hi.append(max(x, y))
        # (unknown is symmetric: on rb's side, every pair with ra is known now)
        mine = ~bits[ra]
        while far:
            low = far & -far
            far ^= low
            unknown[low.bit_length() - 1] &= mine
        gap[ra] &= ~other
        gap[rb] &= ~bits[ra]
        return lo, hi

    k = 0
    while k < len(la):
        stop = min(k + SPECULATE_LINKS, len(la))
        if lazy:
            found_lo: list[int] = []
            found_hi: list[int] = []
            for j in range(k, stop):
                ra, rb = root[la[j]], root[lb[j]]
                if ra != rb and gap[ra] & bits[rb] and not against[ra] & bits[rb]:
                    lo, hi = missing(ra, rb)
                    found_lo += lo
                    found_hi += hi
            if found_lo:
                lo, hi = np.array(found_lo, dtype=np.int64), np.array(found_hi, dtype=np.int64)
                differ = yield lo, hi
                for x, y in zip(lo[differ].tolist(), hi[differ].tolist(), strict=True):
                    against[root[x]] |= 1 << y
                    against[root[y]] |= 1 << x
        while k < stop:
            ra, rb = root[la[k]], root[lb[k]]
            if ra == rb or against[ra] & bits[rb]:
                k += 1
                continue
            if lazy and gap[ra] & bits[rb]:
                break  # the clusters grew beyond what was foreseen: ask again from here
            small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
            for x in members[small]:
                root[x] = large
            members[large] += members[small]
            members[small] = []
            bits[large] |= bits[small]
            against[large] |= against[small]
            if lazy:
                gap[large] |= gap[small]
            k += 1
    return root


def _merge_in_component(
    la: list[int],
    lb: list[int],
    vetoed: np.ndarray,
    known: np.ndarray | None = None,
    ask: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> list[int]:
    """_merging on its own: ask(i, j) gives the scores of the pairs it asks for."""
    merging = _merging(la, lb, vetoed, known if ask is not None else None)
    try:
        pairs = next(merging)
        while True:
            assert ask is not None
            pairs = merging.send(ask(*pairs) < np.float32(CANNOT_LINK))
    except StopIteration as done:
        return done.value


# n * n per component, for the components merging at once: bounds the memory of their pair bits
# (and of the n-by-n matrices each starts from)
ASKING_CELLS = 1 << 25


def _merge_together(
    jobs: Iterable[tuple[np.ndarray, Callable[[], _Merging]]],
    score_missing: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> Iterator[tuple[np.ndarray, list[int]]]:
    """Run the _merging of many components side by side: each round, the pairs all of them ask
    for are scored in one call (a call costs far more than a pair), and each gets its answers.
    jobs: (the component's items, ascending, and a function starting its _merging); yields
    (items, local roots) as each finishes. Components start while their matrices fit in
    ASKING_CELLS (one at least), in the order given."""
    queue = deque(jobs)
    # running: (items, merging, cells, asked local lo, asked local hi)
    running: list[tuple[np.ndarray, _Merging, int, np.ndarray, np.ndarray]] = []
    cells = 0
    while queue or running:
        while queue and (not running or cells + len(queue[0][0]) ** 2 <= ASKING_CELLS):
            items, start = queue.popleft()
            merging = start()
            try:
                lo, hi = next(merging)
            except StopIteration as done:
                yield items, done.value
                continue
            cells += len(items) ** 2
            running.append((items, merging, len(items) ** 2, lo, hi))
        if not running:
            continue
        differ = score_missing(
            np.concatenate([items[lo] for items, _m, _c, lo, _h in running]),
            np.concatenate([items[hi] for items, _m, _c, _l, hi in running]),
        ) < np.float32(CANNOT_LINK)
        bounds = np.cumsum([0] + [len(lo) for _i, _m, _c, lo, _h in running]).tolist()
        still = []
        for (items, merging, size, _lo, _hi), begin, end in zip(
            running, bounds[:-1], bounds[1:], strict=True
        ):
            try:
                lo, hi = merging.send(differ[begin:end])
            except StopIteration as done:
                cells -= size
                yield items, done.value
                continue
            still.append((items, merging, size, lo, hi))
        running = still


def _cluster_dense(
    parent: list[int],
    comp_of: np.ndarray,
    sizes: np.ndarray,
    links: Links,
    order: np.ndarray,
    score_missing: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
    workers: int = 1,
) -> None:
    """Cluster the components of 2 to DENSE_COMPONENT items into `parent`, each on matrices of
    its own. Up to PREFETCH_COMPONENT items, the pairs no link scored are scored up front (in
    batches of components); above, merges ask for the cross pairs they need, in batches (see
    _merging), and many components merge side by side so that their asking shares calls
    (_merge_together). The decisions are the same as asking merge by merge: a merge is
    refused exactly when a pair across the two clusters is vetoed. Components are independent:
    with several workers, the batches are shared out among forked worker processes."""
    count = len(comp_of)
    in_dense = (sizes >= 2) & (sizes <= DENSE_COMPONENT)
    items = np.flatnonzero(in_dense[comp_of])
    if not len(items):
        return
    items = items[np.argsort(comp_of[items], kind="stable")]  # grouped by component, in order
    comps, first = np.unique(comp_of[items], return_index=True)
    local = np.zeros(count, dtype=np.int64)
    local[items] = np.arange(len(items)) - np.repeat(first, sizes[comps])

    def by_component(link_order: np.ndarray) -> tuple[np.ndarray, list[int], list[int]]:
        """The links given, grouped by component (stable), and each component's slice."""
        grouped = link_order[np.argsort(comp_of[links.a[link_order]], kind="stable")]
        comp = comp_of[links.a[grouped]]
        lo = np.searchsorted(comp, comps).tolist()
        return grouped, lo, np.searchsorted(comp, comps, side="right").tolist()

    # strong links in merge order; the vetoes among the links; all links inside components
    strong, strong_lo, strong_hi = by_component(order[in_dense[comp_of[links.a[order]]]])
    la, lb = local[links.a[strong]].tolist(), local[links.b[strong]].tolist()
    inside = (comp_of[links.a] == comp_of[links.b]) & in_dense[comp_of[links.a]]
    weak, weak_lo, weak_hi = by_component(np.flatnonzero(inside & (links.score < CANNOT_LINK)))
    seen, seen_lo, seen_hi = by_component(np.flatnonzero(inside))
    linked = np.sort(links.a[inside] * count + links.b[inside])
    pairs = sizes[comps] * (sizes[comps] - 1) // 2
    batches: list[tuple[int, int, bool]] = []  # (first, end) component numbers, prefetch
    lo = 0
    while lo < len(comps):
        hi = lo + 1
        prefetch = sizes[comps[lo]] <= PREFETCH_COMPONENT
        total = int(pairs[lo])
        while (
            prefetch
            and hi < len(comps)
            and sizes[comps[hi]] <= PREFETCH_COMPONENT
            and total + int(pairs[hi]) <= PREFETCH_PAIRS
        ):
            total += int(pairs[hi])
            hi += 1
        batches.append((lo, hi, prefetch))
        lo = hi

    def matrix(g: int, chosen: np.ndarray, lo: list[int], hi: list[int]) -> np.ndarray:
        """Component g's n-by-n matrix of the links chosen[lo[g] : hi[g]] (both ways)."""
        n = int(sizes[comps[g]])
        marked = np.zeros((n, n), dtype=bool)
        mine = chosen[lo[g] : hi[g]]
        xa, xb = local[links.a[mine]], local[links.b[mine]]
        marked[xa, xb] = marked[xb, xa] = True
        return marked

    def strong_links(g: int) -> tuple[list[int], list[int]]:
        return la[strong_lo[g] : strong_hi[g]], lb[strong_lo[g] : strong_hi[g]]

    def run(batch: tuple[int, int, bool]) -> tuple[list[int], list[int]]:
        """Cluster the components of one batch: (items, their roots). Without score_missing
        or with prefetch: all of them; else only those of two items (see asking())."""
        lo, hi, prefetch = batch
        fetched: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if prefetch and score_missing is not None:
            members = items[first[lo] : first[hi] if hi < len(comps) else len(items)]
            members = members[sizes[comp_of[members]] > 2]  # a pair alone is its strong link
            # every pair inside each component (members are in index order within it)
            src, dst = _pairs_after(sizes[comp_of[members]] - 1 - local[members])
            xs, ys = members[src], members[dst]
            if len(xs):
                keys = xs * count + ys
                spot = np.minimum(np.searchsorted(linked, keys), max(len(linked) - 1, 0))
                unknown = linked[spot] != keys if len(linked) else np.ones(len(xs), bool)
                xs, ys = xs[unknown], ys[unknown]
                differ = score_missing(xs, ys) < np.float32(CANNOT_LINK)
                xs, ys = xs[differ], ys[differ]
                comp = comp_of[xs]  # already grouped by component
                for c in np.unique(comp).tolist():
                    span = slice(np.searchsorted(comp, c), np.searchsorted(comp, c, "right"))
                    fetched[c] = (local[xs[span]], local[ys[span]])
        done_items: list[int] = []
        done_roots: list[int] = []
        for g in range(lo, hi):
            comp = int(comps[g])
            n = int(sizes[comp])
            if n == 2:  # one strong link, nothing to refuse it
                roots = [0, 0]
            elif prefetch or score_missing is None:
                vetoed = matrix(g, weak, weak_lo, weak_hi)
                if comp in fetched:
                    fa, fb = fetched[comp]
                    vetoed[fa, fb] = vetoed[fb, fa] = True
                roots = _merge_in_component(*strong_links(g), vetoed)
            else:
                continue  # asks as it merges: asking()
            names = items[first[g] : first[g] + n].tolist()
            done_items += names
            done_roots += [names[r] for r in roots]
        return done_items, done_roots

    def asking(
        batches: Iterable[tuple[int, int, bool]],
    ) -> Iterator[tuple[np.ndarray, list[int]]]:
        """The components of the batches that ask for their missing pairs as they merge (more
        than two items, no prefetch), merged side by side: (items, local roots) each."""
        assert score_missing is not None

        def start(g: int) -> _Merging:
            vetoed = matrix(g, weak, weak_lo, weak_hi)
            return _merging(*strong_links(g), vetoed, matrix(g, seen, seen_lo, seen_hi))

        jobs = [
            (items[first[g] : first[g] + int(sizes[comps[g]])], functools.partial(start, g))
            for lo, hi, prefetch in batches
            if not prefetch
            for g in range(lo, hi)
            if sizes[comps[g]] > 2
        ]
        return _merge_together(jobs, score_missing)

    def run_all(mine: Sequence[tuple[int, int, bool]]) -> tuple[list[int], list[int]]:
        found_items: list[int] = []
        found_roots: list[int] = []
        for batch in mine:
            done_items, done_roots = run(batch)
            found_items += done_items
            found_roots += done_roots
        if score_missing is not None:
            for base, roots in asking(mine):
                names = base.tolist()
                found_items += names
                found_roots += [names[r] for r in roots]
        return found_items, found_roots

    processes = _processes(workers, len(items), PARALLEL_MIN_NAMES)
    if processes < 2:
        done_items, done_roots = run_all(batches)
        for i, r in zip(done_items, done_roots, strict=True):
            parent[i] = r
        return
    # share the batches out by their work (about the square of each component's size)
    work = np.add.reduceat((sizes[comps] ** 2).astype(np.float64), [b[0] for b in batches])
    load = [0.0] * processes
    groups: list[list[tuple[int, int, bool]]] = [[] for _ in range(processes)]
    for k in np.argsort(-work, kind="stable").tolist():
        lightest = load.index(min(load))
        groups[lightest].append(batches[k])
        load[lightest] += float(work[k])

    def run_group(g: int) -> tuple[np.ndarray, np.ndarray, int]:
        scored = score_missing.scored if isinstance(score_missing, MissingScorer) else 0
        found_items, found_roots = run_all(groups[g])
        if isinstance(score_missing, MissingScorer):
            scored = score_missing.scored - scored
        return np.array(found_items, np.int64), np.array(found_roots, np.int64), scored

    for found_items, found_roots, scored in _forked_map(run_group, range(processes), processes):
        for i, r in zip(found_items.tolist(), found_roots.tolist(), strict=True):
            parent[i] = r
        if isinstance(score_missing, MissingScorer):
            score_missing.add(scored)  # what the worker's copy of the scorer counted


def cluster_names(
    count: int,
    links: Links,
    threshold: float,
    score_missing: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    *,
    workers: int = 1,
) -> list[int]:
    """Cluster ids (the smallest member index) for `count` items from scored pairs.

    Strongest links merge first (ties by index); a merge is refused when any pair across the two
    clusters scores below CANNOT_LINK, so one ambiguous item cannot join two people who are
    different. Blocking does not compare every such pair (Siarhei and Stsiapan Dudar share no
    block, but "S. Dudar" fits both), so the cross pairs not among the links are scored by
    `score_missing(a, b)`: all at once for components of up to PREFETCH_COMPONENT items, as
    merges need them in larger ones (components of up to DENSE_COMPONENT items keep their
    state in matrices); without it only the links count. Merges only follow links at or
    above the threshold, so the clusters of each connected component of those links are
    independent of the rest: the Spark engine clusters component by component with this same
    function and gets the same result. With `workers` > 1 (-1: every core), components are
    clustered in forked worker processes; the result is the same."""
    parent = list(range(count))
    strong = links.score >= threshold
    sa, sb, ss = links.a[strong], links.b[strong], links.score[strong]
    comp_of = _strong_components(count, sa, sb)
    sizes = np.bincount(comp_of, minlength=count)
    # merge order, as link indices: strongest first, ties by (a, b); links are most often in
    # (a, b) order already (Links.merge), and then a stable sort by score alone gives it
    by_merge = (
        np.argsort(-ss, kind="stable") if _in_pair_order(sa, sb) else np.lexsort((sb, sa, -ss))
    )
    order = np.flatnonzero(strong)[by_merge]
    _cluster_dense(parent, comp_of, sizes, links, order, score_missing, workers)
    # larger components: merge by merge, the missing cross pairs scored as each merge needs them
    big = sizes[comp_of] > DENSE_COMPONENT  # per item
    inside = comp_of[links.a] == comp_of[links.b] if len(links) else np.zeros(0, dtype=bool)
    inside &= big[links.a]
    weak = inside & (links.score < CANNOT_LINK)
    # the cannot-links, both ways, as compact arrays (item i: found[start[i] : start[i + 1]]);
    # those found while clustering go to `conflicts`
    ends = np.concatenate([links.a[weak], links.b[weak]])
    by_end = np.argsort(ends, kind="stable")
    found = np.concatenate([links.b[weak], links.a[weak]])[by_end].astype(np.int32)
    start = np.searchsorted(ends[by_end], np.arange(count + 1)).tolist()
    del ends, by_end
    conflicts: dict[int, list[int]] = defaultdict(list)
    known = dict(
        zip(
            (links.a[inside] * count + links.b[inside]).tolist(),
            (links.score[inside] < CANNOT_LINK).tolist(),
            strict=True,
        )
    )
    members: dict[int, list[int]] = {}
    order = order[big[links.a[order]]]
    for a, b in zip(links.a[order].tolist(), links.b[order].tolist(), strict=True):
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:
            continue
        ma = members.get(ra, [ra])
        mb = members.get(rb, [rb])
        small, large, msmall = (ra, rb, ma) if len(ma) <= len(mb) else (rb, ra, mb)
        if any(
            _find(parent, x) == large
            for m in msmall
            for x in chain(found[start[m] : start[m + 1]].tolist(), conflicts.get(m, ()))
        ):
            continue
        if score_missing is not None:
            missing = [
                (min(x, y), max(x, y))
                for x in ma
                for y in mb
                if min(x, y) * count + max(x, y) not in known
            ]
            if missing:
                xs = np.array([x for x, _ in missing], dtype=np.int64)
                ys = np.array([y for _, y in missing], dtype=np.int64)
                differ = (score_missing(xs, ys) < np.float32(CANNOT_LINK)).tolist()
                for x, y, no in zip(xs.tolist(), ys.tolist(), differ, strict=True):
                    known[x * count + y] = no
                    if no:
                        conflicts[x].append(y)
                        conflicts[y].append(x)
                if any(differ):
                    continue
        parent[small] = large
        members[large] = (mb if large == rb else ma) + msmall
        members.pop(small, None)
    roots = _at_roots(np.array(parent, dtype=np.int64))  # then each root's smallest member
    smallest = np.full(count, count, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(count, dtype=np.int64))
    return smallest[roots].tolist()


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


def _grouped(group: np.ndarray, groups: int) -> list[list[int]]:
    """For each group number 0 .. groups - 1, the positions k with group[k] == it, ascending."""
    order = np.argsort(group, kind="stable").tolist()
    bounds = np.append(0, np.cumsum(np.bincount(group, minlength=groups))).tolist()
    return [order[lo:hi] for lo, hi in itertools.pairwise(bounds)]


@cyclic_gc_paused()
def _canonical_names(
    distinct: Sequence[str],
    languages: Sequence[str],
    names_of: Sequence[Sequence[int]],
    workers: int,
) -> list[str]:
    """canonical_form() of each cluster's names (given their languages), a share of the
    clusters in each worker process when there are many (ranking a million names is seconds of
    pure Python)."""

    def share(span: tuple[int, int]) -> list[str]:
        lo, hi = span
        return [
            distinct[names[0]]
            if len(names) == 1
            else canonical_form([distinct[i] for i in names], [languages[i] for i in names])
            for names in names_of[lo:hi]
        ]

    processes = _processes(workers, len(names_of), PARALLEL_MIN_NAMES)
    if processes < 2:
        return share((0, len(names_of)))
    # shares of about as many names each (a cluster of one name costs nothing)
    work = np.cumsum(np.fromiter((len(n) - 1 for n in names_of), np.int64, len(names_of)))
    cuts = np.searchsorted(work, [int(work[-1]) * k // processes for k in range(1, processes)])
    ends = [0, *cuts.tolist(), len(names_of)]
    spans = list(zip(ends[:-1], ends[1:], strict=True))
    return list(chain.from_iterable(_forked_map(share, spans, processes)))


def dedupe(
    records: Iterable[Mapping[str, Any] | str],
    column: str = "name",
    id_column: str | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    block_cap: int = BLOCK_CAP,
    workers: int = -1,
    progress: bool = False,
) -> DedupeResult:
    """Cluster the records of a table by the name in `column`.

    Records are mappings (or plain strings). Every record gets a cluster id (stable: the same
    input gives the same ids), the canonical name of its cluster and a confidence. Rows with the
    same `id_column` value are one identity from the start. On large inputs names are prepared,
    pairs scored and components clustered in `workers` forked processes (-1: one per core; 1:
    all in this process); the result is the same for any number."""
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
    lap = stats.lap("reading", start)

    progress_bar = _Progress(progress, len(distinct), "reading names")
    found = prepare_names(distinct, workers=workers, on_progress=progress_bar.update)
    lap = stats.lap("preparing", lap)
    a, b = candidate_pairs(found.blocking, distinct, block_cap, stats, workers=workers)
    del found.blocking
    lap = stats.lap("blocking", lap)
    stats.pairs_scored = len(a)
    progress_bar = _Progress(progress, len(a), "scoring pairs")
    scored, best_any = score_pairs(
        found.table, a, b, threshold, workers=workers, on_progress=progress_bar.update
    )
    del a, b
    lap = stats.lap("scoring", lap)
    ids = id_links(row_name, row_ids)
    links = Links.merge([scored, ids])
    table = found.table
    del found

    def count(scored: int) -> None:
        stats.pairs_scored += scored

    score_missing = missing_scorer(table, count)
    root_of_name = cluster_names(len(distinct), links, threshold, score_missing, workers=workers)
    lap = stats.lap("clustering", lap)
    # clusters numbered by first appearance in the input: stable for the same input
    roots = np.array(root_of_name, dtype=np.int64)
    rows = np.array(row_name, dtype=np.int64)
    row_root = roots[rows]
    distinct_roots, first_row = np.unique(row_root, return_index=True)
    number = np.empty(len(distinct_roots), dtype=np.int64)
    number[np.argsort(first_row, kind="stable")] = np.arange(len(distinct_roots))
    row_cluster = number[np.searchsorted(distinct_roots, row_root)]
    name_cluster = number[np.searchsorted(distinct_roots, roots)]
    width = max(6, len(str(len(distinct_roots))))
    label = [f"C{k + 1:0{width}d}" for k in range(len(distinct_roots))]

    names_of = _grouped(name_cluster, len(label))  # the names of each cluster, in index order
    canonical = _canonical_names(distinct, table.languages(), names_of, workers)
    # confidence: in a cluster, a name's best link inside it (each member has a link at or
    # above the threshold there); alone, one minus its best score with anyone
    best_inside = np.zeros(len(distinct), dtype=np.float32)
    if len(links):
        # only those links, then: weaker ones (the many vetoes) never give a member's best
        strong = np.flatnonzero(links.score >= np.float32(threshold))
        sa, sb, ss = links.a[strong], links.b[strong], links.score[strong]
        inside = roots[sa] == roots[sb]
        np.maximum.at(best_inside, sa[inside], ss[inside])
        np.maximum.at(best_inside, sb[inside], ss[inside])
    best_id = np.zeros(len(distinct), dtype=np.float32)
    np.maximum.at(best_id, ids.a, ids.score)
    np.maximum.at(best_id, ids.b, ids.score)
    alone = 1.0 - np.maximum(best_any, best_id).astype(np.float64)
    in_company = np.bincount(name_cluster, minlength=len(label))[name_cluster] > 1
    confidence = np.where(in_company, best_inside.astype(np.float64), alone)

    cluster_of_row = row_cluster.tolist()
    canonical_of_row = [canonical[k] for k in cluster_of_row]
    cluster_of_row = [label[k] for k in cluster_of_row]
    confidence_of_row = confidence[rows].tolist()
    clusters = [
        Cluster(id=label[k], canonical_name=canonical[k], rows=tuple(members))
        for k, members in enumerate(_grouped(row_cluster, len(label)))
    ]
    stats.clusters = len(clusters)
    stats.largest_cluster = max((len(c.rows) for c in clusters), default=0)
    stats.lap("labelling", lap)
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
        result.rows(records()),
        columns,
        output,
        fmt=output_format(output, fmt),
        safe_csv=safe_csv,
        delimiter=data.csv_delimiter,  # a CSV file's own separator: semicolons stay semicolons
    )
    if written != result.stats.rows:  # the input changed between the two readings
        raise UsageError(
            f"the input changed while it was read ({result.stats.rows} rows, then {written})",
            path=str(source),
        )
    return result.stats
