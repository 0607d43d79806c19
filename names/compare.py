"""Comparing names: part alignment and scoring with rapidfuzz, calibrated to a yes/no decision.

Every name is prepared once (names.keys.prepare): its parts are read and folded to skeletons.
A pair is scored part by part — surname against surname (best over all reading pairs), given
name against given name (lexicon classes first, then the skeletons, initials against the first
letters), patronymic against patronymic — and the parts are combined with weights. Hard evidence
vetoes a match: one surname stem in two genders (Tsikhanouski ≠ Tsikhanouskaya), two different
given-name classes (Viktar ≠ Aliaksandr). Names that are not persons compare word by word.

``compare_many`` computes the same score for a whole matrix at once: rapidfuzz ``cdist`` over the
flattened skeletons (C++, worker threads) and numpy for the rest, so ``compare(a, b).score ==
compare_many([a], [b])[0, 0]`` by construction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from names.keys import Part, Prepared, acronym, prepare, short_form, skeletons
from names.lexicon import on_clear_caches, organisation_words

__all__ = ["Match", "NameTable", "compare", "compare_many", "DEFAULT_THRESHOLD", "WEIGHTS"]

# Calibrated on tests/data/devset.tsv (bench/quality.py, tests/test_compare.py): the lowest
# threshold with no false merge between relatives there is 0.78 (F1 0.984); 0.80 keeps a margin
# above it (F1 0.981) and is where F1 on the peer's general benchmark peaks (0.765).
DEFAULT_THRESHOLD = 0.80
WEIGHTS = {"surname": 0.55, "given": 0.35, "initial": 0.15, "patronymic": 0.10}
GENDER_CAP = 0.45  # score ceiling when one surname stem appears in two genders
INITIAL_CAP = 0.5  # score ceiling when an initial does not fit the other side's given name
SIMILARITY_FLOOR = 0.5  # string similarity at or below this counts as no resemblance at all
EDIT_ALLOWANCE = 4.0  # edits a short name may take before it counts as another name
PATRONYMIC_FLOOR = 0.5  # patronymics resembling less than this name different fathers
PATRONYMIC_CAP = 0.5
MARITAL_CAP = 0.75
HALF_SURNAME = 0.6  # one half of a double-barrelled surname is weak evidence (father and son)
SURNAME_ONLY = 0.85  # discount when one side gives no given name at all
INITIAL_ONLY = 0.92  # discount when one side gives only an initial
GIVEN_CLASS_CAP = 0.5  # given-name similarity ceiling for two different lexicon classes
CLASS_FUZZY_OVERRIDE = 0.85  # skeletons this close count as one name despite the lexicon


@dataclass(frozen=True)
class Match:
    """The result of comparing two names."""

    score: float
    match: bool
    reasons: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.match


def _as_prepared(name: str | Prepared) -> Prepared:
    return name if isinstance(name, Prepared) else prepare(name)


# --------------------------------------------------------------------------- encoding


def _skeletons(parts: Iterable[Part]) -> list[str]:
    out: list[str] = []
    for part in parts:
        out.extend(_sorted_skeletons(part))
        if part.latin and part.latin not in out:
            out.append(part.latin)
    return out


# At most this many spellings of a surname written in several words, joined up
MAX_JOINED = 16


def _joined_skeletons(parts: Sequence[Part]) -> list[str]:
    """The skeletons of a surname written in several words, joined as the skeletons of the
    hyphenated word are (in written order), and its plain Latin form joined likewise."""
    joined = [""]
    for part in parts:
        joined = [a + b for a in joined for b in _sorted_skeletons(part)][:MAX_JOINED]
    latin = "".join(part.latin for part in parts)
    return [s for s in joined if s] + ([latin] if latin and latin not in joined else [])


@functools.lru_cache(maxsize=1 << 18)
def _sorted_skeletons(part: Part) -> tuple[str, ...]:
    return tuple(sorted(part.skeletons))


class _Vocabulary:
    """Distinct items of a batch, numbered in order of first appearance."""

    def __init__(self, *first: Any) -> None:
        self.ids: dict[Any, int] = {}
        self.items: list[Any] = []
        for item in first:
            self.id(item)

    def id(self, item: Any) -> int:
        found = self.ids.get(item)
        if found is None:
            found = self.ids[item] = len(self.items)
            self.items.append(item)
        return found


class _Sets(_Vocabulary):
    """Distinct frozensets of a batch (0 is the empty set), for overlap tests on many pairs."""

    def __init__(self) -> None:
        super().__init__(frozenset())

    def overlap(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per pair of set ids: both sets non-empty and sharing an item."""
        out = np.zeros(len(a), dtype=bool)
        live = (a > 0) & (b > 0)
        if not live.any():
            return out
        size = len(self.items)
        unique, inverse = _unique_inverse(a[live] * size + b[live])
        sets = self.items
        hits = np.fromiter(
            (not sets[k // size].isdisjoint(sets[k % size]) for k in unique.tolist()),
            dtype=bool,
            count=len(unique),
        )
        out[live] = hits[inverse.ravel()]
        return out


@dataclass
class _Ragged:
    """Groups of item ids: group g holds flat[start[g] : start[g] + count[g]]."""

    flat: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def build(cls, groups: Sequence[Sequence[int]]) -> _Ragged:
        count = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
        flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(count.sum()))
        return cls(flat, _starts(count), count)


def _starts(counts: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=starts[1:])
    return starts


def _unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True) for non-negative int64 keys: the distinct keys,
    sorted, and each key's place among them. The keys are sorted with their positions packed
    into the low bits, one plain sort (several times faster than the argsort np.unique does)."""
    n = len(keys)
    if not n:
        return keys.astype(np.int64), np.zeros(0, dtype=np.int64)
    low = max(n - 1, 1).bit_length()
    top = int(keys.max())
    if n < 256 or int(keys.min()) < 0 or top.bit_length() + low > 63:  # (small: numpy's is as fast)
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.ravel()
    packed = keys.astype(np.int64) << low
    packed |= np.arange(n, dtype=np.int64)
    packed.sort()
    ordered = packed >> low
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(n, dtype=np.int64)
    inverse[packed & ((1 << low) - 1)] = np.cumsum(new) - 1
    return ordered[new], inverse


def _cross(count_a: np.ndarray, count_b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every (i, j) with i < count_a[k] and j < count_b[k], for every k, ordered by (k, i, j):
    returns (k, i, j) per combination and the number of combinations per k."""
    n = count_a * count_b
    owner = np.repeat(np.arange(len(n), dtype=np.int64), n)
    offset = np.arange(int(n.sum()), dtype=np.int64) - np.repeat(_starts(n), n)
    width = count_b[owner]
    return owner, offset // np.maximum(width, 1), offset % np.maximum(width, 1), n


@dataclass
class _Parts:
    """Given names (or patronymics) of a batch: per name its part rows, per row its strings
    and lexicon classes."""

    of_name: _Ragged
    strings: _Ragged
    classes: np.ndarray  # set ids


@dataclass
class _Table:
    """Prepared names encoded once for scoring many pairs among them (numpy columns)."""

    strings: np.ndarray  # object array of all skeleton strings, numbered
    lengths: np.ndarray
    sets: _Sets
    surname: _Ragged
    split: _Ragged  # the halves of a double-barrelled surname, else the surname
    has_halves: np.ndarray
    given: _Parts
    patronymic: _Parts
    initials: np.ndarray  # set ids
    full: np.ndarray
    # the second given name or initial, in order (Hans O. Friedrich: O): its initials' set id
    # (0: none), and whether it is written as an initial
    second: np.ndarray
    second_initial: np.ndarray
    patronymic_initials: np.ndarray
    marital: np.ndarray  # 0 none, else a code
    gender: np.ndarray  # 0 unknown, 1 m, 2 f
    person: np.ndarray
    places: np.ndarray  # set ids
    general: np.ndarray  # object arrays of words, sorted
    # the sorting words but the generic ones of an organisation (bank, group, завод): "" when
    # the name has none (or nothing else)
    distinct: np.ndarray
    # for a name that is no person's, the skeletons of each of its words and of each of those
    # distinct words: () otherwise
    word_sets: np.ndarray
    distinct_sets: np.ndarray
    # for a name that is no person's: one upper-case word of 2-6 letters (МТЗ, PLA) in plain
    # Latin, and the first letters of two or more words (Минский тракторный завод: mtz)
    short: np.ndarray
    acronym: np.ndarray
    latin: np.ndarray
    text: np.ndarray  # codes: equal when the texts are equal up to case and spacing
    empty: np.ndarray
    language: np.ndarray  # int8: the parser's language guess, an index into LANGUAGES
    marital_items: list[str | None]  # what the marital codes stand for
    text_items: list[str]  # what the text codes stand for

    def __len__(self) -> int:
        return len(self.empty)


_GENDER_CODE = {"m": 1, "f": 2}
# The languages the parser guesses, by their codes in the table (dedupe names a cluster by them)
LANGUAGES = ("other", "be", "ru", "uk", "lt", "pl")
_LANGUAGE_CODE = {language: code for code, language in enumerate(LANGUAGES)}


@functools.lru_cache(maxsize=1)
def _generic_words() -> tuple[frozenset[str], frozenset[str]]:
    """The generic words of organisations' names (bank, завод, universitetas), and their
    skeletons under every reading: zavod is завод."""
    words = organisation_words()[0]
    return words, frozenset().union(*(skeletons(w)[0] for w in words))


on_clear_caches(_generic_words.cache_clear)


_FORENAME_ROLES = frozenset({"given", "initial", "patronymic_initial"})


def _encode(names: Sequence[Prepared]) -> _Table:
    """The scorer's columns for a batch of prepared names."""
    strings = _Vocabulary()
    sets = _Sets()
    marital_codes = _Vocabulary(None)
    texts = _Vocabulary()
    sid, set_id = strings.id, sets.id
    surname, split, given_rows, given_strings, given_classes = [], [], [], [], []
    pat_rows, pat_strings, pat_classes = [], [], []
    has_halves, initials, full, pat_initials, marital = [], [], [], [], []
    second, second_initial = [], []
    gender, person, places, general, latin, text, empty = [], [], [], [], [], [], []
    language: list[int] = []
    words_of: list[tuple[int, tuple[Part, ...]]] = []  # the names that are no person's
    seen: dict[int, tuple[list[int], int, str, list[str]]] = {}

    def part_info(part: Part) -> tuple[list[int], int, str, list[str]]:
        """A part's string ids, class set id, sorting word and sorted halves, once per part
        object."""
        found = seen.get(id(part))
        if found is None:
            word = min(part.skeletons) if part.skeletons else part.latin
            found = (
                [sid(x) for x in _skeletons([part])],
                set_id(part.classes),
                word,
                sorted(part.halves),
            )
            seen[id(part)] = found
        return found

    # (the loop below looks set and text codes up inline, as _Vocabulary.id would: a method
    # call per name costs a sixth of the encoding)
    known_set = sets.ids.get
    text_ids = texts.ids
    for name in names:
        parts = name.parts
        sur_parts: list[Part] = []
        unknown: list[Part] = []
        giv_parts: list[Part] = []
        pat_parts: list[Part] = []
        latins: list[str] = []
        initial = father_initial = None
        forenames = 0  # given names and initials so far (an initial beside a given name may be a
        second_part = None  # father's or a middle name's: Hans O. Friedrich)
        for part in parts:
            if part.latin:
                latins.append(part.latin)
            role = part.role
            if role == "surname":
                sur_parts.append(part)
            elif role == "given":
                giv_parts.append(part)
            elif role == "unknown":
                unknown.append(part)
            elif role == "patronymic":
                pat_parts.append(part)
            elif role == "initial":
                initial = initial or part
            elif role == "patronymic_initial":
                father_initial = father_initial or part
            if role in _FORENAME_ROLES:
                forenames += 1
                if forenames == 2:
                    second_part = part
        sur_parts = sur_parts or unknown
        if len(sur_parts) == 1:
            sur_ids, _, _, halves = part_info(sur_parts[0])
            sur = None
        elif sur_parts and sur_parts[0].role == "surname":
            # surnames written apart are one double-barrelled surname, as if hyphenated: its
            # words are its halves (Simutytė Gaidienė = Simutytė-Gaidienė; Gaidienė is half)
            sur = _joined_skeletons(sur_parts)
            sur_ids = [sid(x) for x in sur]
            halves = sorted(frozenset(_skeletons(sur_parts)).union(*(p.halves for p in sur_parts)))
        else:
            sur = _skeletons(sur_parts)
            sur_ids = [sid(x) for x in sur]
            halves = sorted(frozenset().union(*(p.halves for p in sur_parts)))
        surname.append(sur_ids)
        has_halves.append(bool(halves))
        if halves:
            sur = sur if sur is not None else _skeletons(sur_parts)
            split.append([sid(x) for x in halves] + [sid(x) for x in sur if x not in halves])
        else:
            split.append(sur_ids)
        given_rows.append(range(len(given_strings), len(given_strings) + len(giv_parts)))
        for part in giv_parts:
            ids, classes, _, _ = part_info(part)
            given_strings.append(ids)
            given_classes.append(classes)
        pat_rows.append(range(len(pat_strings), len(pat_strings) + len(pat_parts)))
        for part in pat_parts:
            ids, classes, _, _ = part_info(part)
            pat_strings.append(ids)
            pat_classes.append(classes)
        # an initial stands for the first given name (Viktar Aliaksandravich is not A.)
        first = giv_parts[0] if giv_parts else initial
        initials.append(set_id(first.initials) if first is not None else 0)
        full.append(bool(giv_parts))
        second.append(set_id(second_part.initials) if second_part is not None else 0)
        second_initial.append(second_part is not None and second_part.role != "given")
        # the father's initial, written out (Рыгоравіч: р, and г for Григорий) or as an initial
        father = pat_parts[0] if pat_parts else father_initial
        pat_initials.append(set_id(father.initials) if father is not None else 0)
        married = None
        for part in reversed(sur_parts):  # of a double surname, the last half's (-aitė-ienė)
            if part.marital:
                married = part.marital
                break
        marital.append(marital_codes.id(married))
        gender.append(_GENDER_CODE.get(name.gender or "", 0))
        person.append(name.is_person and bool(sur_parts))
        place_set = known_set(name.places)
        places.append(set_id(name.places) if place_set is None else place_set)
        words: list[str] = []  # the sorting word of each part (numbering its strings last)
        for part in parts:
            word = (seen.get(id(part)) or part_info(part))[2]
            if word:
                words.append(word)
        general.append(" ".join(sorted(words)))
        if not name.is_person:  # (most names are persons': their columns stay empty)
            words_of.append((len(general) - 1, parts))
        latin.append(" ".join(sorted(latins)))
        key = " ".join(name.text.casefold().split())
        code = text_ids.get(key)
        if code is None:
            code = text_ids[key] = len(texts.items)
            texts.items.append(key)
        text.append(code)
        empty.append(not parts)
        language.append(_LANGUAGE_CODE.get(name.language, 0))
    items = strings.items
    return _Table(
        strings=_objects(items),
        lengths=np.fromiter((len(s) for s in items), dtype=np.float32, count=len(items)),
        sets=sets,
        surname=_Ragged.build(surname),
        split=_Ragged.build(split),
        has_halves=np.array(has_halves, dtype=bool),
        given=_Parts(
            _Ragged.build(given_rows),
            _Ragged.build(given_strings),
            np.array(given_classes, dtype=np.int64),
        ),
        patronymic=_Parts(
            _Ragged.build(pat_rows), _Ragged.build(pat_strings), np.array(pat_classes, np.int64)
        ),
        initials=np.array(initials, dtype=np.int64),
        full=np.array(full, dtype=bool),
        second=np.array(second, dtype=np.int64),
        second_initial=np.array(second_initial, dtype=bool),
        patronymic_initials=np.array(pat_initials, dtype=np.int64),
        marital=np.array(marital, dtype=np.int64),
        gender=np.array(gender, dtype=np.int8),
        person=np.array(person, dtype=bool),
        places=np.array(places, dtype=np.int64),
        general=_objects(general),
        **_word_columns(len(general), words_of, lambda part: (seen[id(part)])[2]),
        latin=_objects(latin),
        text=np.array(text, dtype=np.int64),
        empty=np.array(empty, dtype=bool),
        language=np.array(language, dtype=np.int8),
        marital_items=marital_codes.items,
        text_items=texts.items,
    )


def _concat(pieces: Iterable[_Table]) -> _Table:
    """One table from many (encoded apart, e.g. in worker processes): the numbering of strings,
    sets and codes is made common. Each table is renumbered as it comes, so that a caller
    handing them over as worker processes finish them overlaps this work with theirs."""
    strings, sets = _Vocabulary(), _Sets()
    marital_codes, texts = _Vocabulary(None), _Vocabulary()

    def remap(vocabulary: _Vocabulary, items: Sequence[Any]) -> np.ndarray:
        return np.fromiter((vocabulary.id(x) for x in items), dtype=np.int64, count=len(items))

    tables: list[_Table] = []
    string_maps: list[np.ndarray] = []
    set_maps: list[np.ndarray] = []
    marital_maps: list[np.ndarray] = []
    text_maps: list[np.ndarray] = []
    for t in pieces:
        tables.append(t)
        string_maps.append(remap(strings, t.strings.tolist()))
        set_maps.append(remap(sets, t.sets.items))
        marital_maps.append(remap(marital_codes, t.marital_items))
        text_maps.append(remap(texts, t.text_items))
    if not tables:
        return _encode([])

    def ragged(parts: list[_Ragged], maps: list[np.ndarray] | None) -> _Ragged:
        count = np.concatenate([p.count for p in parts])
        flat = [p.flat if maps is None else maps[k][p.flat] for k, p in enumerate(parts)]
        return _Ragged(np.concatenate(flat), _starts(count), count)

    def part_table(which: str) -> _Parts:
        found = [getattr(t, which) for t in tables]
        rows = np.cumsum([0] + [len(f.classes) for f in found[:-1]])
        of_name = ragged(
            [
                _Ragged(f.of_name.flat + rows[k], f.of_name.start, f.of_name.count)
                for k, f in enumerate(found)
            ],
            None,
        )
        classes = np.concatenate([set_maps[k][f.classes] for k, f in enumerate(found)])
        return _Parts(of_name, ragged([f.strings for f in found], string_maps), classes)

    def column(which: str, maps: list[np.ndarray] | None = None) -> np.ndarray:
        found = [getattr(t, which) for t in tables]
        if maps is not None:
            found = [maps[k][f] for k, f in enumerate(found)]
        return np.concatenate(found)

    items = strings.items
    return _Table(
        strings=_objects(items),
        lengths=np.fromiter((len(s) for s in items), dtype=np.float32, count=len(items)),
        sets=sets,
        surname=ragged([t.surname for t in tables], string_maps),
        split=ragged([t.split for t in tables], string_maps),
        has_halves=column("has_halves"),
        given=part_table("given"),
        patronymic=part_table("patronymic"),
        initials=column("initials", set_maps),
        full=column("full"),
        second=column("second", set_maps),
        second_initial=column("second_initial"),
        patronymic_initials=column("patronymic_initials", set_maps),
        marital=column("marital", marital_maps),
        gender=column("gender"),
        person=column("person"),
        places=column("places", set_maps),
        general=column("general"),
        distinct=column("distinct"),
        word_sets=column("word_sets"),
        distinct_sets=column("distinct_sets"),
        short=column("short"),
        acronym=column("acronym"),
        latin=column("latin"),
        text=column("text", text_maps),
        empty=column("empty"),
        language=column("language"),
        marital_items=marital_codes.items,
        text_items=texts.items,
    )


def _take_ragged(groups: _Ragged, order: np.ndarray) -> _Ragged:
    """Groups order[0], order[1], ... of `groups`, laid out afresh."""
    count = groups.count[order]
    start = _starts(count)
    flat = np.repeat(groups.start[order] - start, count) + np.arange(int(count.sum()))
    return _Ragged(groups.flat[flat], start, count)


def _take(t: _Table, order: np.ndarray) -> _Table:
    """The table of names order[0], order[1], ... of t (numbering of strings and sets kept)."""

    def parts(p: _Parts) -> _Parts:
        return _Parts(_take_ragged(p.of_name, order), p.strings, p.classes)

    return _Table(
        strings=t.strings,
        lengths=t.lengths,
        sets=t.sets,
        surname=_take_ragged(t.surname, order),
        split=_take_ragged(t.split, order),
        has_halves=t.has_halves[order],
        given=parts(t.given),
        patronymic=parts(t.patronymic),
        initials=t.initials[order],
        full=t.full[order],
        second=t.second[order],
        second_initial=t.second_initial[order],
        patronymic_initials=t.patronymic_initials[order],
        marital=t.marital[order],
        gender=t.gender[order],
        person=t.person[order],
        places=t.places[order],
        general=t.general[order],
        distinct=t.distinct[order],
        word_sets=t.word_sets[order],
        distinct_sets=t.distinct_sets[order],
        short=t.short[order],
        acronym=t.acronym[order],
        latin=t.latin[order],
        text=t.text[order],
        empty=t.empty[order],
        language=t.language[order],
        marital_items=t.marital_items,
        text_items=t.text_items,
    )


# An abbreviation that spells the other name's initial letters: a match, but a weak one.
ACRONYM_SCORE = 0.85


def _word_columns(
    count: int,
    words_of: Sequence[tuple[int, tuple[Part, ...]]],
    word_of: Callable[[Part], str],
) -> dict[str, np.ndarray]:
    """The columns distinct, word_sets, distinct_sets, short and acronym of `count` names, of
    which those in `words_of` (row, parts) are no person's (the others' stay "" and ())."""
    generic_words, generic_skeletons = _generic_words()
    columns = {key: np.full(count, "", dtype=object) for key in ("distinct", "short", "acronym")}
    for key in ("word_sets", "distinct_sets"):
        columns[key] = np.empty(count, dtype=object)
        columns[key].fill(())
    for row, parts in words_of:
        words: list[str] = []
        kept: list[str] = []  # the words of the parts that are no generic word
        all_sets: list[frozenset[str]] = []
        kept_sets: list[frozenset[str]] = []
        for part in parts:
            word = word_of(part)
            if not word:
                continue
            words.append(word)
            all_sets.append(part.skeletons or frozenset((part.latin,)))
            if part.text.casefold() not in generic_words and generic_skeletons.isdisjoint(
                part.skeletons
            ):
                kept.append(word)
                kept_sets.append(all_sets[-1])
        if kept and len(kept) < len(words):
            columns["distinct"][row] = " ".join(sorted(kept))
        columns["word_sets"][row] = tuple(all_sets)
        columns["distinct_sets"][row] = tuple(kept_sets)
        columns["short"][row] = short_form(parts)
        columns["acronym"][row] = acronym(parts)
    return columns


def _same_words(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    """Each word of a has a word of b with a skeleton in common, and each of b one of a."""
    if not a or not b:
        return False
    return all(any(not x.isdisjoint(y) for y in b) for x in a) and all(
        any(not y.isdisjoint(x) for x in a) for y in b
    )


def _objects(items: list[str]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


# --------------------------------------------------------------------------- scoring


def _resemblance(similarity: np.ndarray, longest: np.ndarray) -> np.ndarray:
    """String similarity turned into evidence that two spellings are one name.

    Two unrelated names of one script still share letters (Lukashenko / Lukashuk: 0.67), so
    similarity counts only above SIMILARITY_FLOOR; and a short name with one typo (Putin /
    Pudin: 0.8) is closer than its similarity says, so edits count against an allowance of
    about one per three letters (at least EDIT_ALLOWANCE)."""
    by_similarity = (similarity - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)
    edits = (1.0 - similarity) * longest
    by_edits = 1.0 - edits / np.maximum(EDIT_ALLOWANCE, longest / 3.0)
    return np.clip(np.maximum(by_similarity, by_edits), 0.0, 1.0).astype(np.float32)


def _best_of(
    table: _Table, groups: _Ragged, ga: np.ndarray, gb: np.ndarray, workers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair of string groups (ga[k], gb[k]), over all their string pairs: the best OSA
    similarity (Levenshtein with transpositions), the best resemblance (see _resemblance), and
    whether both groups are non-empty. Each distinct string pair is scored once, and none of
    two groups that share a string: both bests are 1 there, the most there is (most candidate
    pairs share a reading of the surname: blocking found them that way)."""
    similarity = np.zeros(len(ga), dtype=np.float32)
    resemblance = np.zeros(len(ga), dtype=np.float32)
    owner, i, j, n = _cross(groups.count[ga], groups.count[gb])
    present = n > 0
    if not len(owner):
        return similarity, resemblance, present
    left = groups.flat[groups.start[ga][owner] + i]
    right = groups.flat[groups.start[gb][owner] + j]
    same = left == right
    rest = present
    if same.any():
        shared = np.zeros(len(ga), dtype=bool)
        shared[owner[same]] = True
        similarity[shared] = resemblance[shared] = 1.0
        rest = present & ~shared
        keep = rest[owner]
        left, right, n = left[keep], right[keep], n[rest]
        if not len(left):
            return similarity, resemblance, present
    else:
        n = n[present]
    size = max(len(table.strings), 1)
    unique, inverse = _unique_inverse(left * size + right)
    ua, ub = unique // size, unique % size
    raw = process.cpdist(
        table.strings[ua],
        table.strings[ub],
        scorer=OSA.normalized_similarity,
        dtype=np.float32,
        workers=workers,
    )
    alike = _resemblance(raw, np.maximum(table.lengths[ua], table.lengths[ub]))
    inverse = inverse.ravel()
    starts = _starts(n)
    similarity[rest] = np.maximum.reduceat(raw[inverse], starts)
    resemblance[rest] = np.maximum.reduceat(alike[inverse], starts)
    return similarity, resemblance, present


@dataclass
class _Components:
    score: np.ndarray
    surname: np.ndarray
    surname_present: np.ndarray
    given: np.ndarray
    given_present: np.ndarray
    given_by_class: np.ndarray
    given_classes_differ: np.ndarray
    initial_only: np.ndarray
    patronymic: np.ndarray
    patronymic_present: np.ndarray
    gender_conflict: np.ndarray
    middle_differs: np.ndarray  # a middle initial (or father's) the other side rules out
    general: np.ndarray
    person: np.ndarray


@dataclass
class _PartScores:
    score: np.ndarray  # per name pair: how well the parts of one side are found on the other
    present: np.ndarray  # both sides have such parts
    by_class: np.ndarray  # the first parts share a lexicon class
    differ: np.ndarray  # the first parts belong to different lexicon classes


def _coverage(best: np.ndarray, runs: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Per name pair, from each part's best match on the other side (`runs` values per part, in
    groups of `count` parts): the mean and the worst part count half each (one middle name that
    differs is enough to doubt, ABDULLAH AHMED AL HAKIM / ABDULLAH YAHYA AL HAKIM)."""
    per_part = np.maximum.reduceat(best, _starts(runs))
    starts = _starts(count)
    return 0.5 * np.add.reduceat(per_part, starts) / count + 0.5 * np.minimum.reduceat(
        per_part, starts
    )


def _parts_score(
    table: _Table, parts: _Parts, qi: np.ndarray, ci: np.ndarray, workers: int
) -> _PartScores:
    """Compare names part by part (given names, or patronymics): each part of the side with
    fewer parts must be found on the other side (middle names one side omits cost nothing,
    middle names that differ do). A part pair scores 1 when the lexicon puts both in one class,
    else by the resemblance of their skeletons; two different classes cap it."""
    size = len(qi)
    score = np.zeros(size, dtype=np.float32)
    by_class = np.zeros(size, dtype=bool)
    differ = np.zeros(size, dtype=bool)
    nq, nc = parts.of_name.count[qi], parts.of_name.count[ci]
    owner, a, b, n = _cross(nq, nc)
    present = n > 0
    if not len(owner):
        return _PartScores(score, present, by_class, differ)
    pa = parts.of_name.flat[parts.of_name.start[qi][owner] + a]
    pb = parts.of_name.flat[parts.of_name.start[ci][owner] + b]
    ca, cb = parts.classes[pa], parts.classes[pb]
    shared = table.sets.overlap(ca, cb)
    # a part pair in one lexicon class scores 1 whatever its spellings: only the others are
    # compared string by string (most candidate pairs share the class of the given name)
    raw = np.ones(len(pa), dtype=np.float32)
    sim = np.ones(len(pa), dtype=np.float32)
    spelled = np.flatnonzero(~shared)
    if len(spelled):
        raw[spelled], sim[spelled], _ = _best_of(
            table, parts.strings, pa[spelled], pb[spelled], workers
        )
    different = (ca > 0) & (cb > 0) & ~shared & (raw < CLASS_FUZZY_OVERRIDE)
    sim = np.where(different, np.minimum(sim, GIVEN_CLASS_CAP), sim).astype(np.float32)

    qn, cn, m = nq[present], nc[present], n[present]
    base = _starts(m)
    # q -> c: the combinations run (pair, q part, c part), so each q part's c parts are adjacent
    cov_qc = _coverage(sim, np.repeat(cn, qn), qn)
    # c -> q: the same combinations reordered (pair, c part, q part)
    pair = np.repeat(np.arange(len(m), dtype=np.int64), m)
    offset = np.arange(len(sim), dtype=np.int64) - base[pair]
    q_of = qn[pair]
    transposed = base[pair] + (offset % q_of) * cn[pair] + offset // q_of
    cov_cq = _coverage(sim[transposed], np.repeat(qn, cn), cn)
    score[present] = np.where(qn < cn, cov_qc, np.where(qn > cn, cov_cq, (cov_qc + cov_cq) / 2))
    # the first parts must be one name: order matters (SALMAN BIN MUHAMMAD is not MUHAMMAD BIN
    # SALMAN), whether the lexicon knows them or not
    by_class[present] = shared[base]
    differ[present] = different[base] | (sim[base] < GIVEN_CLASS_CAP)
    return _PartScores(score, present, by_class, differ)


def _components(t: _Table, qi: np.ndarray, ci: np.ndarray, workers: int) -> _Components:
    """Every score component for the name pairs (qi[k], ci[k]) of one table."""
    _, sur, sur_present = _best_of(t, t.surname, qi, ci, workers)
    halves = t.has_halves[qi] | t.has_halves[ci]
    if halves.any():
        # one half of a double-barrelled surname against the other side's surname
        _, half, _ = _best_of(t, t.split, qi[halves], ci[halves], workers)
        sur[halves] = np.maximum(sur[halves], HALF_SURNAME * half)
    giv = _parts_score(t, t.given, qi, ci, workers)
    patr = _parts_score(t, t.patronymic, qi, ci, workers)
    given, giv_present_full = giv.score, giv.present
    class_overlap, classes_differ = giv.by_class, giv.differ
    pat, pat_present = patr.score, patr.present

    q_ini, c_ini = t.initials[qi], t.initials[ci]
    initials_match = t.sets.overlap(q_ini, c_ini)
    initial_only = (~t.full[qi] | ~t.full[ci]) & (q_ini > 0) & (c_ini > 0)
    giv_present = giv_present_full | initial_only
    given = np.where(initial_only & ~giv_present_full, initials_match.astype(np.float32), given)

    w_sur = np.where(sur_present, WEIGHTS["surname"], 0.0)
    w_giv = np.where(
        giv_present_full, WEIGHTS["given"], np.where(initial_only, WEIGHTS["initial"], 0.0)
    )
    w_pat = np.where(pat_present, WEIGHTS["patronymic"], 0.0)
    total = w_sur + w_giv + w_pat
    weighted = w_sur * sur + w_giv * given + w_pat * pat
    person_score = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)
    # a surname alone, or with an initial, is weaker evidence than a full name
    surname_only = sur_present & ~giv_present
    person_score = np.where(surname_only, person_score * SURNAME_ONLY, person_score)
    only_initial = initial_only & ~giv_present_full
    person_score = np.where(only_initial, person_score * INITIAL_ONLY, person_score)
    initial_differs = only_initial & ~initials_match
    # a second forename written as an initial that the other side's second forename does not
    # begin with (Hans O. Friedrich, Hans Joachim Friedrich): another middle name, another man
    q_sec, c_sec = t.second[qi], t.second[ci]
    second_differs = (
        (q_sec > 0)
        & (c_sec > 0)
        & (t.second_initial[qi] | t.second_initial[ci])
        & ~t.sets.overlap(q_sec, c_sec)
    )
    initial_differs |= second_differs
    person_score = np.where(initial_differs, np.minimum(person_score, INITIAL_CAP), person_score)

    qg, cg = t.gender[qi], t.gender[ci]
    gender_conflict = (qg != 0) & (cg != 0) & (qg != cg)
    person_score = np.where(gender_conflict, np.minimum(person_score, GENDER_CAP), person_score)
    person_score = np.where(
        classes_differ & giv_present_full, np.minimum(person_score, GIVEN_CLASS_CAP), person_score
    )
    # two patronymics that differ: the sons of two fathers (Sergey Viktorovich / Ivanovich)
    pat_differs = pat_present & (pat < PATRONYMIC_FLOOR)
    q_pi, c_pi = t.patronymic_initials[qi], t.patronymic_initials[ci]
    pat_differs |= (q_pi > 0) & (c_pi > 0) & ~t.sets.overlap(q_pi, c_pi)
    # a Lithuanian woman's married and unmarried surnames: maybe one woman before and after her
    # marriage, maybe mother and daughter; a possibility, not a match
    q_mar, c_mar = t.marital[qi], t.marital[ci]
    marital_differs = (q_mar > 0) & (c_mar > 0) & (q_mar != c_mar)
    person_score = np.where(marital_differs, np.minimum(person_score, MARITAL_CAP), person_score)
    person_score = np.where(pat_differs, np.minimum(person_score, PATRONYMIC_CAP), person_score)
    middle_differs = (pat_differs & ~pat_present) | second_differs

    both_person = t.person[qi] & t.person[ci]
    general = np.zeros(len(qi), dtype=np.float32)
    words = ~both_person
    if words.any():  # names that are not both persons compare word by word
        wq, wc = qi[words], ci[words]
        alike = np.maximum(
            _token_sort(t.general[wq], t.general[wc], workers),
            _token_sort(t.latin[wq], t.latin[wc], workers),
        )
        # an organisation is told apart by its own words, not its generic ones: Bank of
        # Armenia is not Bank of America, however alike the whole names are
        dq, dc = t.distinct[wq], t.distinct[wc]
        either = (dq != "") | (dc != "")
        if either.any():
            left = np.where(dq[either] != "", dq[either], t.general[wq][either])
            right = np.where(dc[either] != "", dc[either], t.general[wc][either])
            told = _token_sort(left, right, workers)
            # unless their own words are the same words, read alike (Радио Свобода, Radio
            # Svaboda)
            sets_q, sets_c = t.distinct_sets[wq][either], t.distinct_sets[wc][either]
            same = np.fromiter(map(_same_words, sets_q, sets_c), dtype=bool, count=len(sets_q))
            told[same] = 100.0
            alike[either] = np.minimum(alike[either], told)
        # the same words, each read alike (Радио Свобода, Radio Svaboda): the same name
        sets_q, sets_c = t.word_sets[wq], t.word_sets[wc]
        both = np.flatnonzero(~t.person[wq] & ~t.person[wc])  # (a person's sets are empty)
        if len(both):
            same_words = np.fromiter(
                map(_same_words, sets_q[both], sets_c[both]), dtype=bool, count=len(both)
            )
            alike[both[same_words]] = 100.0
            # an abbreviation of the other name's words (МТЗ, Минский тракторный завод)
            sq, sc = t.short[wq][both], t.short[wc][both]
            aq, ac = t.acronym[wq][both], t.acronym[wc][both]
            spelt = ((sq != "") & (sq == ac)) | ((sc != "") & (sc == aq))
            alike[both[spelt]] = np.maximum(alike[both[spelt]], ACRONYM_SCORE * 100.0)
        general[words] = alike / 100.0
    score = np.where(both_person, person_score, general)
    # places the gazetteer knows: one place under any of its names, or two different places
    q_pl, c_pl = t.places[qi], t.places[ci]
    both_places = (q_pl > 0) & (c_pl > 0)
    same_place = t.sets.overlap(q_pl, c_pl)
    score = np.where(both_places & same_place, 1.0, score)
    score = np.where(both_places & ~same_place, np.minimum(score, GENDER_CAP), score)
    empty_q = t.empty[qi]
    score = np.where(empty_q | t.empty[ci], 0.0, score)
    # the same name written the same way (up to case and spacing) is the strongest evidence
    score = np.where((t.text[qi] == t.text[ci]) & ~empty_q, 1.0, score)
    score = np.clip(score, 0.0, 1.0).astype(np.float32)
    return _Components(
        score=score,
        surname=sur,
        surname_present=sur_present,
        given=given,
        given_present=giv_present,
        given_by_class=class_overlap,
        given_classes_differ=classes_differ,
        initial_only=initial_only & ~giv_present_full,
        patronymic=pat,
        patronymic_present=pat_present,
        gender_conflict=gender_conflict,
        middle_differs=middle_differs,
        general=general,
        person=both_person,
    )


def _token_sort(left: np.ndarray, right: np.ndarray, workers: int) -> np.ndarray:
    return process.cpdist(
        left, right, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=workers
    )


PAIRS_PER_CHUNK = 100_000  # pairs scored at once: bounds the memory of the intermediate arrays


class NameTable:
    """Prepared names encoded once, for scoring many pairs among them.

    The engine behind compare, compare_many and dedupe: ``NameTable(names).scores(a, b)`` is
    the score of names[a[k]] against names[b[k]] for every k, the same as ``compare`` gives."""

    def __init__(self, names: Iterable[str | Prepared] = ()) -> None:
        self._table = _encode([_as_prepared(n) for n in names])
        self._given_kinds: tuple[np.ndarray, np.ndarray] | None = None
        self._differ_known: dict[int, bool] = {}

    @classmethod
    def concat(cls, tables: Iterable[NameTable]) -> NameTable:
        """One table of the names of all `tables`, in order (e.g. encoded in worker processes;
        each is taken in as the iterable gives it)."""
        joined = cls()
        joined._table = _concat(t._table for t in tables)
        joined._given_kinds = None
        joined._differ_known = {}
        return joined

    def take(self, order: Sequence[int] | np.ndarray) -> NameTable:
        """The table of names order[0], order[1], ... of this one (e.g. back in input order
        after preparing in a shuffled order)."""
        taken = NameTable()
        taken._table = _take(self._table, np.asarray(order, dtype=np.int64))
        return taken

    def __len__(self) -> int:
        return len(self._table)

    def languages(self) -> list[str]:
        """The parser's language guess for each name (be, ru, uk, lt, pl or other)."""
        return [LANGUAGES[code] for code in self._table.language.tolist()]

    def _first_given(self) -> tuple[np.ndarray, np.ndarray]:
        """Per name: a number for what its first given name is (lexicon classes and spellings;
        -1 when none), and one given-name row of each number (computed once per table).
        Numbers go by first appearance; the kinds are told apart by sorting their columns."""
        if self._given_kinds is None:
            t = self._table
            rows = t.given.of_name
            groups = t.given.strings
            of_name = np.full(len(t), -1, dtype=np.int64)
            named = np.flatnonzero(rows.count > 0)
            first = rows.flat[rows.start[named]]  # each name's first given-name row
            count = groups.count[first]
            width = int(count.max()) if len(count) else 0
            kind = np.full((width + 1, len(named)), -1, dtype=np.int64)  # (classes, strings)
            kind[0] = t.given.classes[first]
            for k in range(width):
                has = count > k
                kind[k + 1, has] = groups.flat[groups.start[first[has]] + k]
            order = np.lexsort(kind[::-1])  # by classes, then string by string; stable
            ordered = kind[:, order]
            new = np.ones(len(order), dtype=bool)
            if len(order) > 1:
                new[1:] = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
            group = np.cumsum(new) - 1  # kinds numbered in sorted order ...
            leader = order[new]  # (the first name of each: lexsort is stable)
            number = np.empty(len(leader), dtype=np.int64)
            number[np.argsort(leader, kind="stable")] = np.arange(len(leader))
            of_name[named[order]] = number[group]  # ... and renumbered by first appearance
            sample = first[np.sort(leader)]
            self._given_kinds = (of_name, sample)
        return self._given_kinds

    def _kinds_differ(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Per pair of first-given-name kinds: different lexicon classes spelled unalike (the
        given-name veto). Each pair of kinds is worked out once per table."""
        sample = self._first_given()[1]
        t = self._table
        width = max(len(sample), 1)
        pairs, inverse = _unique_inverse(left * width + right)
        known = self._differ_known
        found = [known.get(key) for key in pairs.tolist()]
        new = np.array([f is None for f in found], dtype=bool)
        differ = np.array([bool(f) for f in found], dtype=bool)
        if new.any():
            fresh = pairs[new]
            first_l, first_r = sample[fresh // width], sample[fresh % width]
            classes_l, classes_r = t.given.classes[first_l], t.given.classes[first_r]
            # both known to the lexicon and sharing no class (overlap: both non-empty, sharing)
            apart = (classes_l > 0) & (classes_r > 0) & ~t.sets.overlap(classes_l, classes_r)
            answer = np.zeros(len(fresh), dtype=bool)
            if apart.any():
                threads = -1 if apart.sum() > 10_000 else 1  # threads pay off on large batches
                groups = t.given.strings
                similarity = _best_of(t, groups, first_l[apart], first_r[apart], threads)[0]
                answer[apart] = similarity < np.float32(CLASS_FUZZY_OVERRIDE)
            known.update(zip(fresh.tolist(), answer.tolist(), strict=True))
            differ[new] = answer
        return differ[inverse.ravel()]

    def surely_differ(self, left: Sequence[int], right: Sequence[int]) -> np.ndarray:
        """Per pair (left[k], right[k]): whether it surely scores below 0.55, known without
        scoring it: two persons with different texts, no gazetteer places on both sides, whose
        first given names belong to different lexicon classes and are spelled unalike (the
        given-name veto caps such a pair at GIVEN_CLASS_CAP). Cheap, for the many pairs
        clustering asks about; False says only "not known this way"."""
        t = self._table
        qi = np.asarray(left, dtype=np.int64)
        ci = np.asarray(right, dtype=np.int64)
        out = np.zeros(len(qi), dtype=bool)
        kind = self._first_given()[0]
        kl, kr = kind[qi], kind[ci]
        maybe = (
            (kl >= 0)
            & (kr >= 0)
            & t.person[qi]
            & t.person[ci]
            & (t.text[qi] != t.text[ci])
            & ~((t.places[qi] > 0) & (t.places[ci] > 0))
        )
        pick = np.flatnonzero(maybe)
        if len(pick):
            out[pick] = self._kinds_differ(kl[pick], kr[pick])
        return out

    def scores(self, left: Sequence[int], right: Sequence[int], *, workers: int = -1) -> np.ndarray:
        """Scores (float32 in [0, 1]) of the pairs (left[k], right[k]), in chunks."""
        qi = np.asarray(left, dtype=np.int64)
        ci = np.asarray(right, dtype=np.int64)
        out = np.zeros(len(qi), dtype=np.float32)
        for start in range(0, len(qi), PAIRS_PER_CHUNK):
            stop = start + PAIRS_PER_CHUNK
            chunk = _components(self._table, qi[start:stop], ci[start:stop], workers)
            out[start:stop] = chunk.score
        return out


def compare_many(
    queries: Iterable[str | Prepared],
    candidates: Iterable[str | Prepared],
    *,
    workers: int = -1,
) -> np.ndarray:
    """Scores of every query against every candidate: a float32 matrix in [0, 1].

    Names may be strings or prepared names (names.keys.prepare); each is prepared once.
    ``workers=-1`` uses every core for the string distances."""
    q = [_as_prepared(n) for n in queries]
    c = [_as_prepared(n) for n in candidates]
    if not q or not c:
        return np.zeros((len(q), len(c)), dtype=np.float32)
    table = NameTable(q + c)
    rows = np.repeat(np.arange(len(q), dtype=np.int64), len(c))
    cols = np.tile(np.arange(len(q), len(q) + len(c), dtype=np.int64), len(q))
    return table.scores(rows, cols, workers=workers).reshape(len(q), len(c))


def _sym(a: Prepared, b: Prepared) -> tuple[Prepared, Prepared]:
    """Order a pair canonically so that compare(a, b) == compare(b, a) to the last bit."""
    return (a, b) if (a.text, id(a)) <= (b.text, id(b)) else (b, a)


def compare(a: str | Prepared, b: str | Prepared, *, threshold: float = DEFAULT_THRESHOLD) -> Match:
    """Compare two names: a score in [0, 1], the decision at the threshold, and the evidence."""
    left, right = _sym(_as_prepared(a), _as_prepared(b))
    comp = _components(_encode([left, right]), np.array([0]), np.array([1]), 1)
    score = float(comp.score[0])
    return Match(score=score, match=score >= threshold, reasons=_reasons(left, right, comp))


def _show(parts: Sequence[Part]) -> str:
    return " ".join(p.text for p in parts) or "-"


def _reasons(a: Prepared, b: Prepared, comp: _Components) -> list[str]:
    reasons: list[str] = []
    if not a.parts or not b.parts:
        return ["empty name"]
    if a.places and b.places:
        shared = sorted(a.places & b.places)
        if shared:
            return [f"place: {a.text} = {b.text} (gazetteer: {shared[0]})"]
        return [f"place: {a.text} ≠ {b.text} (different places)"]
    if not comp.person[0]:
        reasons.append(f"words: {a.text} ~ {b.text} ({comp.general[0]:.2f})")
        return reasons
    a_sur = a.by_role("surname") or a.by_role("unknown")
    b_sur = b.by_role("surname") or b.by_role("unknown")
    if comp.surname_present[0]:
        value = comp.surname[0]
        sign = "=" if value >= 0.999 else "~"
        reasons.append(f"surname: {_show(a_sur)} {sign} {_show(b_sur)} ({value:.2f})")
    a_giv, b_giv = a.by_role("given"), b.by_role("given")
    if comp.given_present[0]:
        value = comp.given[0]
        if comp.initial_only[0]:
            a_show = _show(a_giv + a.by_role("initial"))
            b_show = _show(b_giv + b.by_role("initial"))
            verdict = "initial agrees" if value > 0 else "initial differs"
            reasons.append(f"given names: {a_show} / {b_show} ({verdict})")
        elif comp.given_by_class[0]:
            shared = sorted(
                frozenset().union(*(p.classes for p in a_giv))
                & frozenset().union(*(p.classes for p in b_giv))
            )
            reasons.append(f"given names: {_show(a_giv)} = {_show(b_giv)} (lexicon: {shared[0]})")
        elif comp.given_classes_differ[0]:
            reasons.append(f"given names: {_show(a_giv)} ≠ {_show(b_giv)} (different names)")
        else:
            reasons.append(f"given names: {_show(a_giv)} ~ {_show(b_giv)} ({value:.2f})")
    if comp.patronymic_present[0]:
        reasons.append(
            f"patronymic: {_show(a.by_role('patronymic'))} ~ {_show(b.by_role('patronymic'))} "
            f"({comp.patronymic[0]:.2f})"
        )
    if comp.middle_differs[0]:
        forenames = ("given", "initial", "patronymic", "patronymic_initial")
        a_mid = a.by_role(*forenames)[1:]  # all but the first (the given name or its initial)
        b_mid = b.by_role(*forenames)[1:]
        reasons.append(f"middle names: {_show(a_mid)} ≠ {_show(b_mid)} (initial differs)")
    ga, gb = a.gender or "?", b.gender or "?"
    if comp.gender_conflict[0]:
        reasons.append(f"gender: {ga} ≠ {gb} (veto)")
    elif a.gender and b.gender:
        reasons.append(f"gender: {ga} = {gb}")
    return reasons
