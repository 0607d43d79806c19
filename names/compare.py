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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from names.keys import Part, Prepared, prepare

__all__ = ["Match", "compare", "compare_many", "DEFAULT_THRESHOLD", "WEIGHTS"]

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


# --------------------------------------------------------------------------- slots


@dataclass
class _Slots:
    """Flattened per-name features for a batch of prepared names."""

    names: list[Prepared]
    surname: list[list[str]]
    halves: list[list[str]]
    given: list[list[list[str]]]  # per name, per given part: its skeletons
    given_classes: list[list[frozenset[str]]]
    initials: list[frozenset[str]]
    has_full_given: np.ndarray
    patronymic: list[list[list[str]]]
    patronymic_classes: list[list[frozenset[str]]]
    patronymic_initials: list[frozenset[str]]
    marital: list[str | None]
    gender: np.ndarray  # 0 unknown, 1 m, 2 f
    person: np.ndarray
    general: list[str]
    latin: list[str]


def _skeletons(parts: Iterable[Part]) -> list[str]:
    out: list[str] = []
    for part in parts:
        out.extend(sorted(part.skeletons))
        if part.latin and part.latin not in out:
            out.append(part.latin)
    return out


class _Features(NamedTuple):
    """What the scorer needs of one name, computed once per prepared name."""

    surname: list[str]
    halves: list[str]
    given: list[list[str]]
    given_classes: list[frozenset[str]]
    initials: frozenset[str]
    full: bool
    patronymic: list[list[str]]
    patronymic_classes: list[frozenset[str]]
    patronymic_initials: frozenset[str]
    marital: str | None
    gender: int
    person: bool
    general: str
    latin: str


_FEATURES: dict[int, tuple[Prepared, _Features]] = {}
_FEATURES_LIMIT = 1 << 18


def _features(name: Prepared) -> _Features:
    """The scorer's view of a name, cached (keyed by the object, which the cache keeps alive)."""
    hit = _FEATURES.get(id(name))
    if hit is not None and hit[0] is name:
        return hit[1]
    sur_parts = name.by_role("surname") or name.by_role("unknown")
    giv_parts = name.by_role("given")
    ini_parts = name.by_role("initial")
    surname = _skeletons(sur_parts)
    split = sorted(frozenset().union(*(p.halves for p in sur_parts)))
    # an initial stands for the first given name (Viktar Aliaksandravich is not A.)
    first = (giv_parts + ini_parts)[:1]
    pat_parts = name.by_role("patronymic")
    # the father's initial, written out (Рыгоравіч: р, and г for Григорий) or as an initial
    father = (pat_parts + name.by_role("patronymic_initial"))[:1]
    words = [min(p.skeletons) if p.skeletons else p.latin for p in name.parts]
    features = _Features(
        surname=surname,
        halves=split + [s for s in surname if s not in split] if split else [],
        given=[_skeletons([p]) for p in giv_parts],
        given_classes=[p.classes for p in giv_parts],
        initials=frozenset().union(*(p.initials for p in first)),
        full=bool(giv_parts),
        patronymic=[_skeletons([p]) for p in pat_parts],
        patronymic_classes=[p.classes for p in pat_parts],
        patronymic_initials=frozenset().union(*(p.initials for p in father)),
        marital=next((p.marital for p in sur_parts if p.marital), None),
        gender={"m": 1, "f": 2}.get(name.gender or "", 0),
        person=name.is_person and bool(sur_parts),
        general=" ".join(sorted(w for w in words if w)),
        latin=" ".join(sorted(p.latin for p in name.parts if p.latin)),
    )
    if len(_FEATURES) >= _FEATURES_LIMIT:
        _FEATURES.clear()
    _FEATURES[id(name)] = (name, features)
    return features


def _slots(names: Sequence[Prepared]) -> _Slots:
    feats = [_features(n) for n in names]
    surname = [f.surname for f in feats]
    halves = [f.halves for f in feats]
    given = [f.given for f in feats]
    given_classes = [f.given_classes for f in feats]
    initials = [f.initials for f in feats]
    full = [f.full for f in feats]
    patronymic = [f.patronymic for f in feats]
    patronymic_classes = [f.patronymic_classes for f in feats]
    patronymic_initials = [f.patronymic_initials for f in feats]
    marital = [f.marital for f in feats]
    gender = [f.gender for f in feats]
    person = [f.person for f in feats]
    general = [f.general for f in feats]
    latin = [f.latin for f in feats]
    return _Slots(
        names=list(names),
        surname=surname,
        halves=halves,
        given=given,
        given_classes=given_classes,
        initials=initials,
        has_full_given=np.array(full, dtype=bool),
        patronymic=patronymic,
        patronymic_classes=patronymic_classes,
        patronymic_initials=patronymic_initials,
        marital=marital,
        gender=np.array(gender, dtype=np.int8),
        person=np.array(person, dtype=bool),
        general=general,
        latin=latin,
    )


def _best_of(
    left: list[list[str]], right: list[list[str]], workers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each (left group, right group) pair, over all their string pairs: the best OSA
    similarity (Levenshtein with transpositions), the best resemblance (see _resemblance), and
    a mask of where both groups are non-empty."""
    nl, nr = len(left), len(right)
    similarity = np.zeros((nl, nr), dtype=np.float32)
    resemblance = np.zeros((nl, nr), dtype=np.float32)
    lhas = np.array([bool(g) for g in left], dtype=bool)
    rhas = np.array([bool(g) for g in right], dtype=bool)
    present = lhas[:, None] & rhas[None, :]
    lflat = [s for group in left for s in group]
    rflat = [s for group in right for s in group]
    if not lflat or not rflat:
        return similarity, resemblance, present
    lstart = _starts(np.array([len(g) for g in left]))
    rstart = _starts(np.array([len(g) for g in right]))
    matrix = process.cdist(
        lflat, rflat, scorer=OSA.normalized_similarity, dtype=np.float32, workers=workers
    )
    longest = np.maximum(
        np.array([len(s) for s in lflat], dtype=np.float32)[:, None],
        np.array([len(s) for s in rflat], dtype=np.float32)[None, :],
    )
    alike = _resemblance(matrix, longest)
    for target, source in ((similarity, matrix), (resemblance, alike)):
        rows = np.maximum.reduceat(source, lstart[lhas], axis=0)
        target[np.ix_(lhas, rhas)] = np.maximum.reduceat(rows, rstart[rhas], axis=1)
    return similarity, resemblance, present


def _text_key(name: Prepared) -> str:
    return " ".join(name.text.casefold().split())


def _same_text(left: Sequence[Prepared], right: Sequence[Prepared]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    lcodes = np.array([vocabulary.setdefault(_text_key(n), len(vocabulary)) for n in left])
    rcodes = np.array([vocabulary.setdefault(_text_key(n), len(vocabulary)) for n in right])
    return lcodes[:, None] == rcodes[None, :]


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


def _membership(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for i, items in enumerate(sets):
        for item in items:
            matrix[i, vocabulary[item]] = 1.0
    return matrix


def _overlap(left: list[frozenset[str]], right: list[frozenset[str]]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    for items in left + right:
        for item in items:
            vocabulary.setdefault(item, len(vocabulary))
    return (_membership(left, vocabulary) @ _membership(right, vocabulary).T) > 0


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
    general: np.ndarray
    person: np.ndarray


@dataclass
class _PartScores:
    score: np.ndarray  # per name pair: how well the parts of one side are found on the other
    present: np.ndarray  # both sides have such parts
    by_class: np.ndarray  # the first parts share a lexicon class
    differ: np.ndarray  # the first parts belong to different lexicon classes


def _starts(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def _parts_score(
    q_parts: list[list[list[str]]],
    q_classes: list[list[frozenset[str]]],
    c_parts: list[list[list[str]]],
    c_classes: list[list[frozenset[str]]],
    workers: int,
) -> _PartScores:
    """Compare names part by part (given names, or patronymics): each part of the side with
    fewer parts must be found on the other side (middle names one side omits cost nothing,
    middle names that differ do). A part pair scores 1 when the lexicon puts both in one class,
    else by the resemblance of their skeletons; two different classes cap it."""
    nq, nc = len(q_parts), len(c_parts)
    q_count = np.array([len(p) for p in q_parts], dtype=np.int64)
    c_count = np.array([len(p) for p in c_parts], dtype=np.int64)
    present = (q_count > 0)[:, None] & (c_count > 0)[None, :]
    score = np.zeros((nq, nc), dtype=np.float32)
    by_class = np.zeros((nq, nc), dtype=bool)
    differ = np.zeros((nq, nc), dtype=bool)
    q_flat = [strings for parts in q_parts for strings in parts]
    c_flat = [strings for parts in c_parts for strings in parts]
    if not q_flat or not c_flat:
        return _PartScores(score, present, by_class, differ)
    raw, sim, _ = _best_of(q_flat, c_flat, workers)
    qc = [cls for classes in q_classes for cls in classes]
    cc = [cls for classes in c_classes for cls in classes]
    shared = _overlap(qc, cc)
    both = np.array([bool(x) for x in qc])[:, None] & np.array([bool(x) for x in cc])[None, :]
    different = both & ~shared & (raw < CLASS_FUZZY_OVERRIDE)
    sim = np.where(shared, 1.0, sim)
    sim = np.where(different, np.minimum(sim, GIVEN_CLASS_CAP), sim).astype(np.float32)

    qs, cs = _starts(q_count), _starts(c_count)
    qh, ch = q_count > 0, c_count > 0
    # q -> c: for each q part its best c part within each c name, averaged over the q name
    # (the mean and the worst part count half each: one middle name that differs is enough
    # to doubt, ABDULLAH AHMED AL HAKIM / ABDULLAH YAHYA AL HAKIM)
    best_in_c = np.maximum.reduceat(sim, cs[ch], axis=1)
    cov_qc = 0.5 * np.add.reduceat(best_in_c, qs[qh], axis=0) / q_count[qh][:, None]
    cov_qc += 0.5 * np.minimum.reduceat(best_in_c, qs[qh], axis=0)
    best_in_q = np.maximum.reduceat(sim, qs[qh], axis=0)
    cov_cq = 0.5 * np.add.reduceat(best_in_q, cs[ch], axis=1) / c_count[ch][None, :]
    cov_cq += 0.5 * np.minimum.reduceat(best_in_q, cs[ch], axis=1)
    qn, cn = q_count[qh][:, None], c_count[ch][None, :]
    both_ways = np.where(qn < cn, cov_qc, np.where(qn > cn, cov_cq, (cov_qc + cov_cq) / 2))
    score[np.ix_(qh, ch)] = both_ways
    first_q, first_c = qs[qh], cs[ch]
    by_class[np.ix_(qh, ch)] = shared[np.ix_(first_q, first_c)]
    # the first parts must be one name: order matters (SALMAN BIN MUHAMMAD is not MUHAMMAD BIN
    # SALMAN), whether the lexicon knows them or not
    firsts = np.ix_(first_q, first_c)
    differ[np.ix_(qh, ch)] = different[firsts] | (sim[firsts] < GIVEN_CLASS_CAP)
    return _PartScores(score, present, by_class, differ)


def _components(q: _Slots, c: _Slots, workers: int) -> _Components:
    _, sur, sur_present = _best_of(q.surname, c.surname, workers)
    if any(q.halves) or any(c.halves):
        # one half of a double-barrelled surname against the other side's surname
        q_split = [h or s for h, s in zip(q.halves, q.surname, strict=True)]
        c_split = [h or s for h, s in zip(c.halves, c.surname, strict=True)]
        _, half, _ = _best_of(q_split, c_split, workers)
        sur = np.maximum(sur, HALF_SURNAME * half)
    giv = _parts_score(q.given, q.given_classes, c.given, c.given_classes, workers)
    patr = _parts_score(
        q.patronymic, q.patronymic_classes, c.patronymic, c.patronymic_classes, workers
    )
    given, giv_present_full = giv.score, giv.present
    class_overlap, classes_differ = giv.by_class, giv.differ
    pat, pat_present = patr.score, patr.present

    initials_match = _overlap(q.initials, c.initials)
    q_ini = np.array([bool(s) for s in q.initials])
    c_ini = np.array([bool(s) for s in c.initials])
    initial_only = (
        (~q.has_full_given[:, None] | ~c.has_full_given[None, :]) & q_ini[:, None] & c_ini[None, :]
    )
    giv_present = giv_present_full | initial_only
    given = np.where(initial_only & ~giv_present_full, initials_match.astype(np.float32), given)

    w_sur = np.where(sur_present, WEIGHTS["surname"], 0.0)
    w_giv = np.where(
        giv_present_full, WEIGHTS["given"], np.where(initial_only, WEIGHTS["initial"], 0.0)
    )
    w_pat = np.where(pat_present, WEIGHTS["patronymic"], 0.0)
    total = w_sur + w_giv + w_pat
    weighted = w_sur * sur + w_giv * given + w_pat * pat
    with np.errstate(invalid="ignore", divide="ignore"):
        person_score = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)
    # a surname alone, or with an initial, is weaker evidence than a full name
    surname_only = sur_present & ~giv_present
    person_score = np.where(surname_only, person_score * SURNAME_ONLY, person_score)
    only_initial = initial_only & ~giv_present_full
    person_score = np.where(only_initial, person_score * INITIAL_ONLY, person_score)
    initial_differs = only_initial & ~initials_match
    person_score = np.where(initial_differs, np.minimum(person_score, INITIAL_CAP), person_score)

    gender_conflict = (
        (q.gender[:, None] != 0)
        & (c.gender[None, :] != 0)
        & (q.gender[:, None] != c.gender[None, :])
    )
    person_score = np.where(gender_conflict, np.minimum(person_score, GENDER_CAP), person_score)
    person_score = np.where(
        classes_differ & giv_present_full, np.minimum(person_score, GIVEN_CLASS_CAP), person_score
    )
    # two patronymics that differ: the sons of two fathers (Sergey Viktorovich / Ivanovich)
    pat_differs = pat_present & (pat < PATRONYMIC_FLOOR)
    q_pi = np.array([bool(x) for x in q.patronymic_initials])
    c_pi = np.array([bool(x) for x in c.patronymic_initials])
    pat_initials_differ = (
        q_pi[:, None] & c_pi[None, :] & ~_overlap(q.patronymic_initials, c.patronymic_initials)
    )
    pat_differs = pat_differs | pat_initials_differ
    # a Lithuanian woman's married and unmarried surnames: maybe one woman before and after her
    # marriage, maybe mother and daughter; a possibility, not a match
    q_mar = np.array([m or "" for m in q.marital])
    c_mar = np.array([m or "" for m in c.marital])
    marital_differs = (
        (q_mar[:, None] != "") & (c_mar[None, :] != "") & (q_mar[:, None] != c_mar[None, :])
    )
    person_score = np.where(marital_differs, np.minimum(person_score, MARITAL_CAP), person_score)
    person_score = np.where(pat_differs, np.minimum(person_score, PATRONYMIC_CAP), person_score)

    general = (
        np.maximum(
            process.cdist(
                q.general,
                c.general,
                scorer=fuzz.token_sort_ratio,
                dtype=np.float32,
                workers=workers,
            ),
            process.cdist(
                q.latin, c.latin, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=workers
            ),
        )
        / 100.0
    )
    both_person = q.person[:, None] & c.person[None, :]
    score = np.where(both_person, person_score, general)
    # places the gazetteer knows: one place under any of its names, or two different places
    q_places = [n.places for n in q.names]
    c_places = [n.places for n in c.names]
    q_pl = np.array([bool(x) for x in q_places])
    c_pl = np.array([bool(x) for x in c_places])
    both_places = q_pl[:, None] & c_pl[None, :]
    same_place = _overlap(q_places, c_places)
    score = np.where(both_places & same_place, 1.0, score)
    score = np.where(both_places & ~same_place, np.minimum(score, GENDER_CAP), score)
    empty_q = np.array([not n.parts for n in q.names])
    empty_c = np.array([not n.parts for n in c.names])
    score = np.where(empty_q[:, None] | empty_c[None, :], 0.0, score)
    # the same name written the same way (up to case and spacing) is the strongest evidence
    same = _same_text(q.names, c.names)
    score = np.where(same & ~empty_q[:, None], 1.0, score)
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
        general=general,
        person=both_person,
    )


def compare_many(
    queries: Iterable[str | Prepared],
    candidates: Iterable[str | Prepared],
    *,
    workers: int = -1,
) -> np.ndarray:
    """Scores of every query against every candidate: a float32 matrix in [0, 1].

    Names may be strings or prepared names (names.keys.prepare); each is prepared once.
    ``workers=-1`` uses every core for the string distance matrices."""
    q = [_as_prepared(n) for n in queries]
    c = [_as_prepared(n) for n in candidates]
    if not q or not c:
        return np.zeros((len(q), len(c)), dtype=np.float32)
    return _components(_slots(q), _slots(c), workers).score


def _sym(a: Prepared, b: Prepared) -> tuple[Prepared, Prepared]:
    """Order a pair canonically so that compare(a, b) == compare(b, a) to the last bit."""
    return (a, b) if (a.text, id(a)) <= (b.text, id(b)) else (b, a)


def compare(a: str | Prepared, b: str | Prepared, *, threshold: float = DEFAULT_THRESHOLD) -> Match:
    """Compare two names: a score in [0, 1], the decision at the threshold, and the evidence."""
    left, right = _sym(_as_prepared(a), _as_prepared(b))
    comp = _components(_slots([left]), _slots([right]), 1)
    score = float(comp.score[0, 0])
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
    if not comp.person[0, 0]:
        reasons.append(f"words: {a.text} ~ {b.text} ({comp.general[0, 0]:.2f})")
        return reasons
    a_sur = a.by_role("surname") or a.by_role("unknown")
    b_sur = b.by_role("surname") or b.by_role("unknown")
    if comp.surname_present[0, 0]:
        value = comp.surname[0, 0]
        sign = "=" if value >= 0.999 else "~"
        reasons.append(f"surname: {_show(a_sur)} {sign} {_show(b_sur)} ({value:.2f})")
    a_giv, b_giv = a.by_role("given"), b.by_role("given")
    if comp.given_present[0, 0]:
        value = comp.given[0, 0]
        if comp.initial_only[0, 0]:
            a_show = _show(a_giv + a.by_role("initial"))
            b_show = _show(b_giv + b.by_role("initial"))
            verdict = "initial agrees" if value > 0 else "initial differs"
            reasons.append(f"given names: {a_show} / {b_show} ({verdict})")
        elif comp.given_by_class[0, 0]:
            shared = sorted(
                frozenset().union(*(p.classes for p in a_giv))
                & frozenset().union(*(p.classes for p in b_giv))
            )
            reasons.append(f"given names: {_show(a_giv)} = {_show(b_giv)} (lexicon: {shared[0]})")
        elif comp.given_classes_differ[0, 0]:
            reasons.append(f"given names: {_show(a_giv)} ≠ {_show(b_giv)} (different names)")
        else:
            reasons.append(f"given names: {_show(a_giv)} ~ {_show(b_giv)} ({value:.2f})")
    if comp.patronymic_present[0, 0]:
        reasons.append(
            f"patronymic: {_show(a.by_role('patronymic'))} ~ {_show(b.by_role('patronymic'))} "
            f"({comp.patronymic[0, 0]:.2f})"
        )
    ga, gb = a.gender or "?", b.gender or "?"
    if comp.gender_conflict[0, 0]:
        reasons.append(f"gender: {ga} ≠ {gb} (veto)")
    elif a.gender and b.gender:
        reasons.append(f"gender: {ga} = {gb}")
    return reasons
