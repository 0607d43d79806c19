"""The normaliser: a name's readings under every plausible convention, folded to keys.

A Latin spelling is ambiguous (``ch`` is ч in English, х in German, Polish and Czech), so each
Latin word is read back into Cyrillic under every convention in rules/readings/ whose alphabet
holds all of its letters; Cyrillic is read directly. Every reading is then folded by
rules/readings/fold.toml to a skeleton under which Belarusian and Russian forms meet, with
gendered surname endings reduced to a stem plus gender. A name's keys are built from those
skeletons and its given-name classes: two spellings of one person share at least one key.

Everything about a word is computed once and kept in bounded memos, so a name whose words have
been seen costs little more than its parse; prepare_many() reads and folds the new words of a
whole batch of names together, with few calls into ICU.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from unidecode import unidecode

from names.lexicon import (
    FORM_KEYS,
    GivenName,
    _place_index,
    all_given_names,
    all_places,
    fold_token,
    given_name_classes,
    loose_kept,
    loose_key,
    on_clear_caches,
    organisation_words,
)
from names.parse import Name, parse
from names.rules import Scheme, build_transliterator
from names.translit import MAX_NAME_CHARS, _word_safe, detect_script, get_scheme, schemes

__all__ = [
    "Part",
    "Prepared",
    "prepare",
    "prepare_many",
    "keys",
    "readings",
    "skeletons",
    "short_form",
    "acronym",
]

FOLD = "fold"
GIVEN_ROLES = {"given"}
SURNAME_ROLES = {"surname"}
# A key is only as good as its length: very short stems would block too much together.
MIN_KEY_CHARS = 3
# Entries per memo of word-level work (words, parts, key sets): room for the ~150,000 distinct
# words of a million names, yet bounded.
CACHE_SIZE = 1 << 18


@dataclass(frozen=True, slots=True)
class Part:
    """One word of a name as the matcher sees it."""

    text: str
    role: str  # given, patronymic, surname, initial, particle, unknown
    skeletons: frozenset[str]  # folded readings, gender markers removed
    latin: str  # plain ASCII form, for names from outside our languages
    gender: str | None  # 'm' / 'f' from the surname ending or the given-name class
    classes: frozenset[str]  # given-name classes (given names only)
    initials: frozenset[str]  # first letters it may stand for (initials: with their equivalents)
    halves: frozenset[str] = frozenset()  # skeletons of the halves of a double-barrelled word
    marital: str | None = None  # Lithuanian women's surnames: married (-ienė) or unmarried


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name parsed and read once, ready to compare many times."""

    text: str
    parts: tuple[Part, ...]
    gender: str | None
    is_person: bool
    keys: frozenset[str]
    places: frozenset[str] = frozenset()  # gazetteer places the whole name may be
    language: str = "other"  # the parser's guess: be, ru, uk, lt, pl or other

    def by_role(self, *roles: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.role in roles)


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Memo(dict[_K, _V]):
    """A dict that forgets its older half once it holds ``maxsize`` entries (a bounded memo
    that, unlike functools.lru_cache, a batch can fill ahead of use)."""

    def __init__(self, maxsize: int = CACHE_SIZE) -> None:
        super().__init__()
        self.maxsize = maxsize

    def put(self, key: _K, value: _V) -> _V:
        if len(self) >= self.maxsize:
            for old in list(self)[: len(self) // 2]:
                self.pop(old, None)
        self[key] = value
        return value


_EMPTY: frozenset[str] = frozenset()
_SETS: _Memo[frozenset[str], frozenset[str]] = _Memo(4 * CACHE_SIZE)


def _shared(items: Iterable[str]) -> frozenset[str]:
    """A frozenset of the items, the same object for every equal set (parts, readings and
    skeletons of different words often coincide: Ivanov, IVANOV, Ivanou)."""
    found = frozenset(items)
    if not found:
        return _EMPTY
    return _SETS.get(found) or _SETS.put(found, found)


# word -> its readings; (word, surname) -> skeletons and gender; (reading, surname) -> stem and
# the genders its folded ending marks ("", "m", "f" or "mf")
_READINGS: _Memo[str, frozenset[str]] = _Memo()
_SKELETONS: _Memo[tuple[str, bool], tuple[frozenset[str], str | None]] = _Memo()
_FOLDS: _Memo[tuple[str, bool], tuple[str, str]] = _Memo()


# --------------------------------------------------------------------------- ICU, word by word
# and in batches


@functools.cache
def _reading_schemes() -> tuple[tuple[Scheme, frozenset[str]], ...]:
    found = []
    for scheme in schemes(kind="reading"):
        alphabet = frozenset(ch for ch in scheme.owns if ch.isalpha())
        found.append((scheme, alphabet))
    return tuple(found)


@functools.cache
def _readers() -> tuple[tuple[frozenset[str], Any, bool, bool, Any], ...]:
    """Per reading convention: its alphabet, its compiled transliterator, whether its rules
    stay inside words (so that words may be read joined), whether it reads lone letters, and
    the marks a word must hold to be read by it (a compiled pattern, or None: any word)."""
    return tuple(
        (
            alphabet,
            build_transliterator(scheme),
            _word_safe(scheme),
            scheme.initials,
            re.compile("|".join(f"(?:{m})" for m in scheme.marks)) if scheme.marks else None,
        )
        for scheme, alphabet in _reading_schemes()
    )


@functools.cache
def _folder(surname: bool) -> tuple[Any, bool]:
    """The fold's compiled transliterator (with or without surname endings) and whether its
    rules stay inside words."""
    scheme = get_scheme(FOLD)
    return build_transliterator(scheme, options={"surname": surname}), _word_safe(scheme)


def _run(trans: Any, text: str) -> str:
    """One transliteration, as names.transliterate() does it (over-long text cut)."""
    return trans.transliterate(text if len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS])


# Words per ICU call in a batch. ICU's cost is per letter, so batching saves the call overhead
# only; long joins cost more than they save (ICU shifts the rest of the text on each change).
_BATCH_WORDS = 64
_SEPARATOR = "\n"  # a word boundary to every rule; no word of a name holds one


def _run_many(trans: Any, word_safe: bool, texts: Sequence[str]) -> list[str]:
    """_run() over every text, with one ICU call per chunk of words for a scheme whose rules
    stay inside words: the chunk is joined by newlines and the result split again. A chunk that
    does not split back word for word (a text holding a newline) is run one text at a time."""
    if not word_safe:
        return [_run(trans, t) for t in texts]
    out: list[str] = []
    one = trans.transliterate
    join = _SEPARATOR.join
    for start in range(0, len(texts), _BATCH_WORDS):
        chunk = texts[start : start + _BATCH_WORDS]
        joined = join(chunk)
        got = None
        if joined.count(_SEPARATOR) == len(chunk) - 1 and max(map(len, chunk)) <= MAX_NAME_CHARS:
            got = one(joined).split(_SEPARATOR)
        if got is None or len(got) != len(chunk):
            got = [_run(trans, t) for t in chunk]
        out.extend(got)
    return out


# --------------------------------------------------------------------------- words


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _fitting(readers: Sequence[tuple[Any, ...]], word: str, letters: set[str]) -> tuple[int, ...]:
    """The conventions (indexes into readers) that own every letter of a word and find one of
    their marks in it, if they have marks."""
    return tuple(
        i
        for i, (alphabet, _t, _s, _i, marks) in enumerate(readers)
        if letters <= alphabet and (marks is None or marks.search(word))
    )


def _reading_plan(word: str) -> frozenset[str] | tuple[str, tuple[int, ...]]:
    """How a word is read: its readings outright (a Cyrillic word, or one without letters), or
    the form to transliterate and the conventions (indexes into _readers()) that fit it."""
    word = unicodedata.normalize("NFC", word).lower()
    if word.isascii():  # detect_script(), quicker
        script = "Latn" if word.isalpha() or any(ch.isalpha() for ch in word) else "none"
    else:
        script = detect_script(word)
    if script == "Cyrl":
        return _shared((word,))
    if script == "none":
        return _EMPTY
    if script != "Latn":
        word = unidecode(word).lower()
    readers = _readers()
    letters = {ch for ch in word if ch.isalpha()}
    fitting = _fitting(readers, word, letters)
    if not fitting:  # letters no convention owns (ı, ø, ß ...): read the plain ASCII form
        word = unidecode(_strip_marks(word)).lower()
        fitting = _fitting(readers, word, {ch for ch in word if ch.isalpha()})
    return word, fitting


def readings(word: str) -> frozenset[str]:
    """The Cyrillic readings of one word: itself if Cyrillic, else one per fitting convention."""
    found = _READINGS.get(word)
    if found is None:
        plan = _reading_plan(word)
        if not isinstance(plan, frozenset):
            form, fitting = plan
            readers = _readers()
            plan = _shared(filter(None, {_run(readers[i][1], form) for i in fitting}))
        found = _READINGS.put(word, plan)
    return found


def _lone_letter_readings(letter: str) -> frozenset[str]:
    """The readings of one letter standing alone (an initial), by the conventions that read
    lone letters: a reading may leave them out (rules/README.md, `initials`), so that each new
    convention does not make an initial stand for more names (Spanish J. for Х.)."""
    plan = _reading_plan(letter)
    if isinstance(plan, frozenset):
        return plan
    form, fitting = plan
    readers = _readers()
    return _shared(filter(None, {_run(readers[i][1], form) for i in fitting if readers[i][3]}))


def _read_all(words: Iterable[str]) -> None:
    """Fill the readings memo for many words with one batch of ICU calls per convention."""
    readers = _readers()
    plans: dict[str, frozenset[str] | tuple[str, tuple[int, ...]]] = {}
    jobs: list[dict[str, None]] = [{} for _ in readers]
    for word in words:
        plan = plans[word] = _reading_plan(word)
        if not isinstance(plan, frozenset):
            form, fitting = plan
            for i in fitting:
                jobs[i][form] = None
    results: list[dict[str, str]] = []
    for (_alphabet, trans, word_safe, _initials, _marks), job in zip(readers, jobs, strict=True):
        forms = list(job)
        results.append(dict(zip(forms, _run_many(trans, word_safe, forms), strict=True)))
    for word, plan in plans.items():
        if not isinstance(plan, frozenset):
            form, fitting = plan
            plan = _shared(filter(None, {results[i][form] for i in fitting}))
        _READINGS.put(word, plan)


_GENDER_MARKERS = (("|m", "m"), ("|f", "f"))


def _fold_result(folded: str) -> tuple[str, str]:
    """A folded reading's stem (its letters, gender markers removed) and the genders marked."""
    genders = ""
    for marker, gender in _GENDER_MARKERS:
        if marker in folded:
            genders += gender
            folded = folded.replace(marker, "")
    stem = folded if folded.isalpha() else "".join(ch for ch in folded if ch.isalpha())
    return sys.intern(stem), genders


def _fold(reading: str, surname: bool) -> tuple[str, str]:
    found = _FOLDS.get((reading, surname))
    if found is None:
        found = _FOLDS.put((reading, surname), _fold_result(_run(_folder(surname)[0], reading)))
    return found


def skeletons(word: str, surname: bool = False) -> tuple[frozenset[str], str | None]:
    """Folded readings of a word (gender markers removed) and the gender they indicate.

    A double-barrelled word (Ramanauskaitė-Skokauskienė) gives one skeleton for the whole."""
    surname = bool(surname)
    found = _SKELETONS.get((word, surname))
    if found is None:
        stems: set[str] = set()
        genders: set[str] = set()
        for reading in readings(word):
            stem, marked = _fold(reading, surname)
            genders.update(marked)
            if stem:
                stems.add(stem)
        gender = genders.pop() if len(genders) == 1 else None
        found = _SKELETONS.put((word, surname), (_shared(stems), gender))
    return found


def _halves(word: str) -> list[str]:
    return [h for h in word.replace("‐", "-").split("-") if h.strip()]


def part_skeletons(word: str, surname: bool = False) -> frozenset[str]:
    """The skeletons of each half of a hyphenated word (empty for a plain word)."""
    halves = _halves(word)
    if len(halves) < 2:
        return _EMPTY
    return _shared(frozenset().union(*(skeletons(h, surname)[0] for h in halves)))


# Initials keep the vowels apart (A. Navalny is not O. Navalny) but fold the spelling variants
# of one letter: ё/е/э, і/и/ы/й, ў/у.
INITIAL_FOLD = str.maketrans(
    {
        "ё": "е",
        "э": "е",
        "і": "и",
        "ы": "и",
        "й": "и",
        "ў": "у",
        "ї": "и",
        "є": "е",
        "ґ": "г",
        "ъ": "",
        "ь": "",
    }
)


@functools.lru_cache(maxsize=CACHE_SIZE)
def initial_letters(word: str) -> frozenset[str]:
    """The Cyrillic first letters a word (or an initial) may stand for, under every reading (an
    initial: under the readings that read lone letters)."""
    found = set()
    word = word.strip(".")
    for reading in _lone_letter_readings(word) if len(word) == 1 else readings(word):
        for ch in reading.translate(INITIAL_FOLD):
            if ch.isalpha():
                found.add(ch)
                break
    return _shared(found)


@functools.cache
def _class_initials() -> dict[str, frozenset[str]]:
    """Per given-name class, the folded first letters of all its forms in every language:
    Мікалай and Николай start differently, so an initial Н. fits Mikalai."""
    found: dict[str, frozenset[str]] = {}
    for name in all_given_names():
        letters: set[str] = set()
        # the names themselves, not their diminutives (Митя for Дмитрий); not the Belarusian
        # and Ukrainian forms either, whose vowels would let A. stand for Oleg (Алег) or O. for
        # Aleksei (Олексій): a Belarusian or Ukrainian spelling brings its own initial
        for key in FORM_KEYS:
            if key not in ("be", "uk"):  # (Олексій for Алексей too)
                letters |= _form_initials(name, key)
        letters.update(f"{ch}{_BELARUSIAN}" for ch in _form_initials(name, "be"))
        found[name.id] = frozenset(letters)
    return found


# The mark of a letter in an initial's set that says "a name whose Belarusian form begins so"
_BELARUSIAN = "~be"


def _form_initials(name: GivenName, language: str) -> set[str]:
    """The folded first letters of a given-name class's forms in one language."""
    letters: set[str] = set()
    for form in name.forms.get(language, ()):
        if form.split():
            letters.update(initial_letters(form.split()[0]))
    return letters


@functools.cache
def _russian_counterparts() -> dict[str, frozenset[str]]:
    """Per Belarusian initial, the one other letter that the Russian forms of the given names
    it begins start with, where the lexicon gives exactly one: Мікалай is Николай (м: н),
    Рыгор is Григорий (р: г), Уладзімір is Владимир (у: в). A letter with several (А: Алена
    Елена, Алег Олег, Аксана Оксана) gets none: it would stand for too many names."""
    found: dict[str, set[str]] = {}
    for name in all_given_names():
        russian = _form_initials(name, "ru")
        for letter in _form_initials(name, "be"):
            found.setdefault(letter, set()).update(russian - {letter})
    return {k: frozenset(v) for k, v in found.items() if len(v) == 1}


@functools.cache
def _belarusian_counterparts() -> dict[str, frozenset[str]]:
    """_russian_counterparts() the other way: per Russian letter, the Belarusian ones it is the
    one counterpart of (н: м; в: у, б)."""
    found: dict[str, set[str]] = {}
    for letter, russian in _russian_counterparts().items():
        for other in russian:
            found.setdefault(other, set()).add(letter)
    return {k: frozenset(v) for k, v in found.items()}


def _cross_initials(initials: frozenset[str], language: str) -> frozenset[str]:
    """What an initial adds to meet the other language. A Belarusian initial stands for the
    given names whose Belarusian form begins with it: the marked letter (У.: у~be), which
    written-out given names carry for their Belarusian forms (Владимир: у~be, Вениамин: в~be),
    so У. fits Владимир and not Вениамин. Between two initials, a Belarusian М. and a Russian
    Н. meet by their pair (м>н: Мікалай, Николай), which no written-out name carries, so a
    Russian Н. does not come to fit Максім, and М. and Н. of one language stay apart."""
    if language == "be":
        table = _russian_counterparts()
        return frozenset(
            [f"{ch}{_BELARUSIAN}" for ch in initials]
            + [f"{ch}>{other}" for ch in initials for other in table.get(ch, ())]
        )
    table = _belarusian_counterparts()
    return frozenset(f"{other}>{ch}" for ch in initials for other in table.get(ch, ()))


def _latin(word: str) -> str:
    plain = unidecode(word).lower()
    return plain if plain.isalnum() else "".join(ch for ch in plain if ch.isalnum())


# --------------------------------------------------------------------------- parts


# What a part is made from: (word, role, gender, father's classes, marital form, language: be
# or ru for an initial, whose counterparts in the other language it then carries, else "")
PartSpec = tuple[str, str, str | None, tuple[str, ...], str | None, str]
_CROSS_LANGUAGES = frozenset({"be", "ru"})


def _part(
    text: str,
    role: str,
    gender: str | None,
    father: tuple[str, ...] = (),
    marital: str | None = None,
    language: str = "",
) -> Part:
    surname = role == "surname"
    skel, skel_gender = skeletons(text, surname)
    classes = _EMPTY
    class_gender = None
    if role in ("given", "unknown"):
        found = given_name_classes(text)
        classes = _shared(c.id for c in found)
        genders = {c.gender for c in found}
        class_gender = genders.pop() if len(genders) == 1 else None
    if role == "patronymic":
        classes = _shared(father)  # the classes of the father's given name, from the parser
    if role == "unknown" and not classes:
        # an unplaced word: also try it as a surname, so its gendered ending is seen
        sur_skel, sur_gender = skeletons(text, True)
        skel = _shared(skel | sur_skel)
        skel_gender = skel_gender or sur_gender
    part_gender = gender or (skel_gender if surname else None) or class_gender
    initials = initial_letters(text)
    if classes:  # a given name's classes, or a patronymic's father's classes
        table = _class_initials()
        initials = _shared(initials.union(*(table.get(c, _EMPTY) for c in classes)))
    elif language:
        initials = _shared(initials | _cross_initials(initials, language))
    return Part(
        text=text,
        role=role,
        skeletons=skel,
        latin=_latin(text),
        gender=part_gender,
        classes=classes,
        initials=initials,
        halves=part_skeletons(text, surname) if role in ("surname", "unknown") else _EMPTY,
        marital=marital,
    )


# spec -> its Part: a dict, so that _warm can pass over the specs whose part is made already
_PARTS: _Memo[PartSpec, Part] = _Memo()


def _part_of(spec: PartSpec) -> Part:
    found = _PARTS.get(spec)
    return _PARTS.put(spec, _part(*spec)) if found is None else found


_REPEAT_LANGUAGES = frozenset({"be", "ru", "uk", "lt"})


def _part_specs(name: Name) -> list[PartSpec]:
    """The parts of a parsed name as _part() takes them: particles dropped, initials told apart
    (given name or patronymic), hyphenated given names split."""
    specs: list[PartSpec] = []
    givens = sum(raw.role == "given" for raw in name.parts)
    has_given = givens > 0
    # a Slavic or Lithuanian surname written twice (Shoigu Shoigu Sergey) is a slip: the copy
    # read as a given name is dropped while another given name remains
    repeated: set[str] = set()
    if givens > 1 and name.language in _REPEAT_LANGUAGES:
        surnames = {raw.text.casefold() for raw in name.parts if raw.role == "surname"}
        repeated = {
            raw.text.casefold()
            for raw in name.parts
            if raw.role == "given" and raw.text.casefold() in surnames
        }
    seen_initial = False
    language = name.language
    cross = language in _CROSS_LANGUAGES
    for raw in name.parts:
        role = raw.role
        if role == "particle":
            continue
        if repeated and role == "given" and raw.text.casefold() in repeated:
            repeated.discard(raw.text.casefold())
            continue
        if role == "initial":
            # the first initial stands for the given name, later ones (or any initial beside a
            # written-out given name) for the patronymic: Лукашэнка А.Р., A. R. Lukashenka
            if has_given or seen_initial:
                role = "patronymic_initial"
            seen_initial = True
        word = raw.text
        father = raw.classes if role == "patronymic" else ()
        if role == "given" and "-" in word.strip("-"):
            for piece in word.split("-"):  # Jean-Marie: two given names
                if piece:
                    specs.append((piece, role, raw.gender, father, raw.marital, ""))
        else:
            initial = role in ("initial", "patronymic_initial") and cross
            specs.append((word, role, raw.gender, father, raw.marital, language if initial else ""))
    return specs


def _warm(specs: Iterable[PartSpec]) -> None:
    """Read and fold, in batches, every word the parts of many names will ask for."""
    words: dict[str, None] = {}
    wanted: dict[tuple[str, bool], None] = {}  # (word, surname) whose skeletons are needed
    made = _PARTS
    for spec in specs:
        if spec in made:  # (most specs, once a batch or two of names is done)
            continue
        word, role = spec[0], spec[1]
        surname = role == "surname"
        wanted[(word, surname)] = None
        if role == "unknown":
            wanted[(word, True)] = None
        words[word.strip(".")] = None
        if role in ("surname", "unknown"):
            halves = _halves(word)
            if len(halves) >= 2:
                for half in halves:
                    wanted[(half, surname)] = None
    for word, _surname in wanted:
        words[word] = None
    _read_all(w for w in words if w not in _READINGS)
    folds: dict[bool, dict[str, None]] = {False: {}, True: {}}
    for word, surname in wanted:
        if (word, surname) not in _SKELETONS:
            for reading in readings(word):
                if (reading, surname) not in _FOLDS:
                    folds[surname][reading] = None
    for surname, job in folds.items():
        trans, word_safe = _folder(surname)
        found = list(job)
        for reading, folded in zip(found, _run_many(trans, word_safe, found), strict=True):
            _FOLDS.put((reading, surname), _fold_result(folded))


# --------------------------------------------------------------------------- keys and places


_VOWELS = str.maketrans(dict.fromkeys("аиу"))
_NON_ANCHORS = ("initial", "patronymic", "patronymic_initial")
_PERSON_ROLES = ("given", "surname", "patronymic", "initial")


def _consonant_skeleton(skeleton: str) -> str:
    """The skeleton without vowels: a coarser key that survives vowel spelling differences."""
    return skeleton.translate(_VOWELS)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _skeleton_keys(skels: frozenset[str]) -> frozenset[str]:
    """The keys one anchor part gives: s:skeleton and c:consonants for each long skeleton."""
    found: set[str] = set()
    for skel in skels:
        if len(skel) >= MIN_KEY_CHARS:
            found.add(sys.intern(f"s:{skel}"))
            consonants = _consonant_skeleton(skel)
            if len(consonants) >= 2:
                found.add(sys.intern(f"c:{consonants}"))
    return _shared(found)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _union_keys(sets: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The union of key sets, one shared frozenset per combination."""
    return _shared(frozenset().union(*sets))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _short_keys(skels: tuple[frozenset[str], ...]) -> frozenset[str]:
    """Keys for a name with no long skeleton: every skeleton of every part."""
    return _shared(sys.intern(f"s:{s}") for part in skels for s in part if s)


def _anchor_keys(part: Part) -> frozenset[str]:
    """The keys of a word a name is blocked on; a Latin word with diacritics has those of its
    plain form too (Šimonytė and Simonyte, Statkevičius and Statkevicius: data often loses
    them). Only the keys: its readings, and the gender they tell, stay those of the word."""
    found = _skeleton_keys(part.skeletons)
    if part.text.isascii():
        return found
    plain = _plain_latin(part.text)
    if plain is None:
        return found
    return found | _skeleton_keys(skeletons(plain, part.role == "surname")[0])


@functools.lru_cache(maxsize=CACHE_SIZE)
def _plain_latin(word: str) -> str | None:
    """A Latin word without its diacritics, if that leaves plain ASCII and changes it."""
    plain = _strip_marks(word)
    return plain if plain != word and plain.isascii() else None


def _keys_of(parts: Sequence[Part]) -> frozenset[str]:
    anchors = (
        [p for p in parts if p.role == "surname"]
        or [p for p in parts if p.role == "unknown"]
        # a single given name, initials only, or a non-person name
        or [p for p in parts if p.role not in _NON_ANCHORS]
    )
    if len(anchors) == 1:
        found = _anchor_keys(anchors[0])
    else:
        found = _union_keys(tuple(_anchor_keys(p) for p in anchors))
    if not found:  # very short names still get a key
        found = _short_keys(tuple(p.skeletons for p in parts))
    return found


@functools.lru_cache(maxsize=CACHE_SIZE)
def _fold_word(word: str) -> str:
    return fold_token(word)


# the lexicon's place index, and ours built from it: exact, loose, loose_kept of the loose keys
_PLACE_IDS: list[Any] = [None, {}, {}, frozenset()]


def _place_ids() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], frozenset[str]]:
    """The lexicon's place index (folded key -> places, loose key -> places), with place ids,
    and the loose_kept of every loose key."""
    index = _place_index()
    if _PLACE_IDS[0] is not index:  # first use, or the lexicon's caches were cleared
        places = all_places()
        exact, loose = (
            {key: frozenset(places[i].id for i in found) for key, found in table.items()}
            for table in index
        )
        kept = frozenset(loose_kept(key) for key in loose)
        _PLACE_IDS[:] = [index, exact, loose, kept]
    return _PLACE_IDS[1], _PLACE_IDS[2], _PLACE_IDS[3]


_kept_of_word = functools.lru_cache(maxsize=CACHE_SIZE)(loose_kept)


def _places(text: str) -> frozenset[str]:
    """The ids of lexicon.place_classes(text), looked up the same way; the folded key is built
    word by word (folding keeps no context across a space), so each word is folded once. Most
    names are no place: their loose_kept rules out the loose tier."""
    folded = [_fold_word(w) for w in text.split(" ")]
    key = "".join(folded)
    if not key or len(key) > 64:
        return _EMPTY
    exact, loose, kept_of_places = _place_ids()
    found = exact.get(key)
    if found:
        return found
    if _loose_kept_of(folded) not in kept_of_places:
        return _EMPTY
    return loose.get(loose_key(key)) or _EMPTY


def _loose_kept_of(folded: Iterable[str]) -> str:
    """loose_kept of folded words joined, word by word: a repeat can only arise where two
    words meet."""
    kept = ""
    for word in folded:
        more = _kept_of_word(word)
        if kept and more and kept[-1] == more[0]:
            more = more[1:]
        kept += more
    return kept


@functools.lru_cache(maxsize=1 << 12)
def _place_keys(places: frozenset[str]) -> frozenset[str]:
    return frozenset(f"p:{place}" for place in places)


# --------------------------------------------------------------------------- names


def _name_gender(name: Name, parts: Iterable[Part]) -> str | None:
    gender = getattr(name, "gender", None)
    if gender in ("m", "f"):
        return gender
    votes = {p.gender for p in parts if p.gender in ("m", "f") and p.role != "given"}
    if len(votes) == 1:
        return votes.pop()
    given = {p.gender for p in parts if p.gender in ("m", "f") and p.role == "given"}
    return given.pop() if len(given) == 1 and not votes else None


def _clean_text(text: object) -> str:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_NAME_CHARS:  # bounded time and memory for absurd input
        text = text[:MAX_NAME_CHARS]
    return text


def short_form(parts: Sequence[Part]) -> str:
    """A name of one upper-case word of 2 to 6 letters (МТЗ, PLA), in plain Latin, or ""."""
    if len(parts) != 1:
        return ""
    text = parts[0].text
    if 2 <= len(text) <= 6 and text.isalpha() and text.isupper():
        return parts[0].latin
    return ""


def acronym(parts: Sequence[Part]) -> str:
    """The first letters, in plain Latin, of a name of 2 to 6 words, or ""."""
    if not 2 <= len(parts) <= 6 or not all(p.latin for p in parts):
        return ""
    return "".join(p.latin[0] for p in parts)


def _organisation_keys(parts: Sequence[Part]) -> frozenset[str]:
    """An organisation's keys: those of each of its words but the generic ones (bank, завод),
    unless it has no other: two spellings of it share a word, whatever its order; and its
    acronym (Минский тракторный завод: a:mtz), which a name written as one shares."""
    generic = organisation_words()[0]
    own = [p for p in parts if p.text.casefold() not in generic] or list(parts)
    found = _union_keys(tuple(_anchor_keys(p) for p in own))
    letters = acronym(parts)
    if letters:
        found = found | {f"a:{letters}"}
    return found or _short_keys(tuple(p.skeletons for p in parts))


def _build(text: str, name: Name, specs: Iterable[PartSpec]) -> Prepared:
    parts = tuple([_part_of(spec) for spec in specs])
    places = _places(text)
    # a name the gazetteer knows is a place unless it has a given name or a patronymic (an
    # organisation's words have no person's role: it is compared word by word)
    is_person = not places and any(p.role in _PERSON_ROLES for p in parts)
    keys = _organisation_keys(parts) if name.organisation else _keys_of(parts)
    if not is_person and not name.organisation:
        letters = short_form(parts)  # МТЗ: it may be an organisation's acronym
        if letters:
            keys = keys | {f"a:{letters}"}
    if places:
        keys = keys | _place_keys(places)
    gender = _name_gender(name, parts)
    return Prepared(text, parts, gender, is_person, keys, places, name.language)


@functools.lru_cache(maxsize=1 << 16)
def prepare(text: str) -> Prepared:
    """Parse and read a name once; the result feeds keys() and the comparison functions."""
    text = _clean_text(text)
    name = _parse_cleaned(text)
    return _build(text, name, _part_specs(name))


def _parse_cleaned(text: str) -> Name:
    """The parse of a cleaned name, as prepare(), prepare_many() and name_language() all take
    it (one recipe, so that the language a table records is the one name_language gives)."""
    return parse(_normalise_spelling(text))


def name_language(text: str) -> str:
    """The parser's language guess for a name, as prepare() records it (be, ru, uk, lt, pl or
    other), without reading its words."""
    return _parse_cleaned(_clean_text(text)).language


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: batches of names make millions of objects and no
    reference cycles worth collecting, and each full pass of the collector walks them all
    again (and, in forked workers, touches every inherited page). Collection resumes after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def prepare_many(texts: Iterable[str]) -> list[Prepared]:
    """prepare() for many names: each distinct name is parsed once, and the new words of all of
    them are read and folded together first, with few calls into ICU."""
    cleaned = [_clean_text(t) for t in texts]
    with cyclic_gc_paused():  # (the memos grow by many objects, none in a cycle)
        parsed = {text: _parse_cleaned(text) for text in dict.fromkeys(cleaned)}
        specs = {text: _part_specs(name) for text, name in parsed.items()}
        _warm(itertools.chain.from_iterable(specs.values()))
        built = {text: _build(text, name, specs[text]) for text, name in parsed.items()}
    return [built[t] for t in cleaned]


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g"})


def _normalise_spelling(text: str) -> str:
    """Undo two common ways a name gets mangled in data: words run together in camel case
    (SergeiLavrov) and digits standing for letters inside a word (Ig0r Sech1n)."""
    normalised = " ".join([_normalise_word(word) for word in text.split(" ")])
    return text if normalised == text else normalised


@functools.lru_cache(maxsize=CACHE_SIZE)
def _normalise_word(word: str) -> str:
    if any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
        word = word.translate(_LEET)
    out = []
    run = 0  # letters since the last split point
    for i, ch in enumerate(word):
        if (
            i
            and ch.isupper()
            and word[i - 1].islower()
            and run >= 3
            and sum(1 for c in word[i:] if c.isalpha()) >= 3
        ):
            out.append(" ")
            run = 0
        out.append(ch)
        run = run + 1 if ch.isalpha() else 0
    return "".join(out)


def keys(name: str) -> frozenset[str]:
    """The blocking keys of a name: two spellings of one person share at least one."""
    return prepare(name).keys


def _clear_lexicon_memos() -> None:
    """Forget what was worked out from the lexicon (given-name classes, places) when it changes."""
    for cached in (
        prepare,
        _class_initials,
        _russian_counterparts,
        _belarusian_counterparts,
        _place_keys,
        _plain_latin,
    ):
        cached.cache_clear()
    _PARTS.clear()


on_clear_caches(_clear_lexicon_memos)
