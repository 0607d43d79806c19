"""The normaliser: a name's readings under every plausible convention, folded to keys.

A Latin spelling is ambiguous (``ch`` is ч in English, х in German, Polish and Czech), so each
Latin word is read back into Cyrillic under every convention in rules/readings/ whose alphabet
holds all of its letters; Cyrillic is read directly. Every reading is then folded by
rules/readings/fold.toml to a skeleton under which Belarusian and Russian forms meet, with
gendered surname endings reduced to a stem plus gender. A name's keys are built from those
skeletons and its given-name classes: two spellings of one person share at least one key.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from unidecode import unidecode

from names.lexicon import (
    FORM_KEYS,
    all_given_names,
    given_name_classes,
    place_classes,
)
from names.parse import Name, parse
from names.rules import Scheme
from names.translit import MAX_NAME_CHARS, detect_script, schemes, transliterate

__all__ = ["Part", "Prepared", "prepare", "prepare_many", "keys", "readings", "skeletons"]

FOLD = "fold"
GIVEN_ROLES = {"given"}
SURNAME_ROLES = {"surname"}
# A key is only as good as its length: very short stems would block too much together.
MIN_KEY_CHARS = 3


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Prepared:
    """A name parsed and read once, ready to compare many times."""

    text: str
    parts: tuple[Part, ...]
    gender: str | None
    is_person: bool
    keys: frozenset[str]
    places: frozenset[str] = frozenset()  # gazetteer places the whole name may be

    def by_role(self, *roles: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.role in roles)


@functools.cache
def _reading_schemes() -> tuple[tuple[Scheme, frozenset[str]], ...]:
    found = []
    for scheme in schemes(kind="reading"):
        alphabet = frozenset(ch for ch in scheme.owns if ch.isalpha())
        found.append((scheme, alphabet))
    return tuple(found)


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 17)
def readings(word: str) -> frozenset[str]:
    """The Cyrillic readings of one word: itself if Cyrillic, else one per fitting convention."""
    word = unicodedata.normalize("NFC", word).lower()
    script = detect_script(word)
    if script == "Cyrl":
        return frozenset({word})
    if script == "none":
        return frozenset()
    if script != "Latn":
        word = unidecode(word).lower()
    letters = {ch for ch in word if ch.isalpha()}
    found = set()
    for scheme, alphabet in _reading_schemes():
        if letters <= alphabet:
            found.add(transliterate(word, scheme))
    if not found:  # letters no convention owns: read the plain ASCII form instead
        plain = _strip_marks(word)
        plain_letters = {ch for ch in plain if ch.isalpha()}
        for scheme, alphabet in _reading_schemes():
            if plain_letters <= alphabet:
                found.add(transliterate(plain, scheme))
    return frozenset(r for r in found if r)


@functools.lru_cache(maxsize=1 << 17)
def skeletons(word: str, surname: bool = False) -> tuple[frozenset[str], str | None]:
    """Folded readings of a word (gender markers removed) and the gender they indicate.

    A double-barrelled word (Ramanauskaitė-Skokauskienė) gives one skeleton for the whole."""
    found: set[str] = set()
    genders: set[str] = set()
    for reading in readings(word):
        folded = transliterate(reading, FOLD, options={"surname": surname})
        for marker, gender in (("|m", "m"), ("|f", "f")):
            if marker in folded:
                genders.add(gender)
                folded = folded.replace(marker, "")
        stem = "".join(ch for ch in folded if ch.isalpha())
        if stem:
            found.add(stem)
    gender = genders.pop() if len(genders) == 1 else None
    return frozenset(found), gender


def part_skeletons(word: str, surname: bool = False) -> frozenset[str]:
    """The skeletons of each half of a hyphenated word (empty for a plain word)."""
    halves = [h for h in word.replace("‐", "-").split("-") if h.strip()]
    if len(halves) < 2:
        return frozenset()
    return frozenset().union(*(skeletons(h, surname)[0] for h in halves))


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


@functools.lru_cache(maxsize=1 << 14)
def initial_letters(word: str) -> frozenset[str]:
    """The Cyrillic first letters a word (or an initial) may stand for, under every reading."""
    found = set()
    for reading in readings(word.strip(".")):
        letters = reading.translate(INITIAL_FOLD)
        letters = "".join(ch for ch in letters if ch.isalpha())
        if letters:
            found.add(letters[0])
    return frozenset(found)


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
            if key in ("be", "uk"):  # Олексій for Алексей too
                continue
            for form in name.forms.get(key, ()):
                if form.split():
                    letters.update(initial_letters(form.split()[0]))
        found[name.id] = frozenset(letters)
    return found


def _latin(word: str) -> str:
    return "".join(ch for ch in unidecode(word).lower() if ch.isalnum())


@functools.lru_cache(maxsize=1 << 17)
def _part(
    text: str,
    role: str,
    gender: str | None,
    father: tuple[str, ...] = (),
    marital: str | None = None,
) -> Part:
    surname = role == "surname"
    skel, skel_gender = skeletons(text, surname)
    classes: frozenset[str] = frozenset()
    class_gender = None
    if role in ("given", "unknown"):
        found = given_name_classes(text)
        classes = frozenset(c.id for c in found)
        genders = {c.gender for c in found}
        class_gender = genders.pop() if len(genders) == 1 else None
    if role == "patronymic":
        classes = frozenset(father)  # the classes of the father's given name, from the parser
    if role == "unknown" and not classes:
        # an unplaced word: also try it as a surname, so its gendered ending is seen
        sur_skel, sur_gender = skeletons(text, True)
        skel = skel | sur_skel
        skel_gender = skel_gender or sur_gender
    part_gender = gender or (skel_gender if surname else None) or class_gender
    initials = initial_letters(text)
    if classes:  # a given name's classes, or a patronymic's father's classes
        table = _class_initials()
        initials = initials.union(*(table.get(c, frozenset()) for c in classes))
    return Part(
        text=text,
        role=role,
        skeletons=skel,
        latin=_latin(text),
        gender=part_gender,
        classes=classes,
        initials=initials,
        halves=part_skeletons(text, surname) if role in ("surname", "unknown") else frozenset(),
        marital=marital,
    )


def _name_gender(name: Name, parts: Iterable[Part]) -> str | None:
    gender = getattr(name, "gender", None)
    if gender in ("m", "f"):
        return gender
    votes = {p.gender for p in parts if p.gender in ("m", "f") and p.role != "given"}
    if len(votes) == 1:
        return votes.pop()
    given = {p.gender for p in parts if p.gender in ("m", "f") and p.role == "given"}
    return given.pop() if len(given) == 1 and not votes else None


def _role(part: object) -> str:
    role = getattr(part, "role", "unknown")
    return str(getattr(role, "value", role))


@functools.lru_cache(maxsize=1 << 16)
def prepare(text: str) -> Prepared:
    """Parse and read a name once; the result feeds keys() and the comparison functions."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_NAME_CHARS:  # bounded time and memory for absurd input
        text = text[:MAX_NAME_CHARS]
    name = parse(_normalise_spelling(text))
    parts = []
    raw_parts = getattr(name, "parts", ())
    has_given = any(_role(raw) == "given" for raw in raw_parts)
    seen_initial = False
    for raw in raw_parts:
        role = _role(raw)
        if role == "particle":
            continue
        if role == "initial":
            # the first initial stands for the given name, later ones (or any initial beside a
            # written-out given name) for the patronymic: Лукашэнка А.Р., A. R. Lukashenka
            if has_given or seen_initial:
                role = "patronymic_initial"
            seen_initial = True
        word = getattr(raw, "text", str(raw))
        father = tuple(getattr(raw, "classes", ())) if role == "patronymic" else ()
        pieces = [word]
        if role == "given" and "-" in word.strip("-"):
            pieces = [w for w in word.split("-") if w]  # Jean-Marie: two given names
        marital = getattr(raw, "marital", None)
        for piece in pieces:
            parts.append(_part(piece, role, getattr(raw, "gender", None), father, marital))
    gender = _name_gender(name, parts)
    places = frozenset(p.id for p in place_classes(text))
    # a name the gazetteer knows is a place unless it has a given name or a patronymic
    is_person = not places and any(
        p.role in ("given", "surname", "patronymic", "initial") for p in parts
    )
    keys = _keys_of(parts) | {f"p:{place}" for place in places}
    return Prepared(
        text=text,
        parts=tuple(parts),
        gender=gender,
        is_person=is_person,
        keys=frozenset(keys),
        places=places,
    )


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g"})


def _normalise_spelling(text: str) -> str:
    """Undo two common ways a name gets mangled in data: words run together in camel case
    (SergeiLavrov) and digits standing for letters inside a word (Ig0r Sech1n)."""
    words = []
    for word in text.split(" "):
        if any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
            word = word.translate(_LEET)
        out = []
        run = 0  # letters since the last split point
        for i, ch in enumerate(word):
            rest = word[i:]
            if (
                i
                and ch.isupper()
                and word[i - 1].islower()
                and run >= 3
                and sum(1 for c in rest if c.isalpha()) >= 3
            ):
                out.append(" ")
                run = 0
            out.append(ch)
            run = run + 1 if ch.isalpha() else 0
        words.append("".join(out))
    return " ".join(words)


def prepare_many(texts: Iterable[str]) -> list[Prepared]:
    """prepare() for many names (cached per distinct name)."""
    return [prepare(t) for t in texts]


def _keys_of(parts: list[Part]) -> frozenset[str]:
    found: set[str] = set()
    surnames = [p for p in parts if p.role == "surname"]
    others = [p for p in parts if p.role in ("unknown",)]
    anchors = surnames or others
    if not anchors:  # a single given name, initials only, or a non-person name
        anchors = [
            p for p in parts if p.role not in ("initial", "patronymic", "patronymic_initial")
        ]
    for part in anchors:
        for skel in part.skeletons:
            if len(skel) >= MIN_KEY_CHARS:
                found.add(f"s:{skel}")
                consonants = _consonant_skeleton(skel)
                if len(consonants) >= 2:
                    found.add(f"c:{consonants}")
    if not found:  # very short names still get a key
        found.update(f"s:{s}" for p in parts for s in p.skeletons if s)
    return frozenset(found)


def _consonant_skeleton(skeleton: str) -> str:
    """The skeleton without vowels: a coarser key that survives vowel spelling differences."""
    return "".join(ch for ch in skeleton if ch not in "аиу")


def keys(name: str) -> frozenset[str]:
    """The blocking keys of a name: two spellings of one person share at least one."""
    return prepare(name).keys
