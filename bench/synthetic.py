"""Seeded synthetic person records with known truth, for the dedupe benchmark.

    from bench.synthetic import generate
    records = generate(1_000_000, seed=1)   # [(record_id, name, entity_id), ...]

    python bench/synthetic.py --records 20 --seed 1      # print a sample as TSV

Identities are people: a given name from the lexicon (names.lexicon.all_given_names()), a
surname lineage from the corpora in tests/data (Belarusian, Russian, Lithuanian; both gendered
forms, the missing one built with the ending table rules/lexicon/surname-endings.toml) and, for
Belarusian and Russian people, a patronymic (a father: masculine and feminine forms from the
corpora). People come in families, so the truth holds hard negatives: spouses (one surname in
its two genders, other given names) and siblings (same surname and patronymic, other given
names). No two identities share (gender, given-name class, surname): true namesakes cannot be
told apart by a name alone and would only measure noise. Surnames of two languages that are
spellings of one name (be Казлоў, ru Козлов) are kept once, so cross-language namesakes do not
arise either.

Each identity is written several times, each record in one convention: native Cyrillic (be or
ru; lt in Lithuanian), a transliteration by one of the project's schemes (names.transliterate_many,
precomputed per scheme over the whole vocabulary), with the convention's own form of the given
name at times (Alexandre in French, Aleksander in Polish), a Belarusian's given name in its
Russian form at times (Svetlana Tsikhanouskaya), a diminutive at times; in one of several
orders ("Given Surname", "Surname Given", "SURNAME, Given", "Given Patronymic Surname",
"Surname Given Patronymic", "A. Surname", "A. P. Surname"), sometimes ALL CAPS, sometimes with
one typo (substitution, deletion or transposition of letters).
"""

from __future__ import annotations

import argparse
import bisect
import functools
import math
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import names  # noqa: E402
from names.lexicon import (  # noqa: E402
    GivenName,
    all_given_names,
    cyrillic_languages,
    given_name_classes,
    patronymic_ending,
    surname_analysis,
)

DATA = REPO / "tests" / "data"
ENDINGS = REPO / "rules" / "lexicon" / "surname-endings.toml"

# Conventions per identity language: (scheme id or "native", weight). Weights are rough shares
# of how often each convention shows up in mixed-source lists; all are the project's schemes.
CONVENTIONS: dict[str, list[tuple[str, float]]] = {
    "be": [
        ("native", 0.26),
        ("be-passport", 0.20),
        ("be-national", 0.10),
        ("be-bgn", 0.09),
        ("be-pl", 0.06),
        ("be-de", 0.05),
        ("be-fr", 0.04),
        ("be-lacinka", 0.04),
        ("be-cs", 0.03),
        ("be-lt", 0.03),
        ("be-alalc", 0.02),
        ("be-iso9", 0.02),
        ("be-national-2023", 0.06),
    ],
    "ru": [
        ("native", 0.30),
        ("ru-icao-doc-9303", 0.14),
        ("ru-en", 0.10),
        ("ru-wikipedia", 0.08),
        ("ru-bgn-pcgn", 0.07),
        ("ru-de", 0.06),
        ("ru-pl", 0.05),
        ("ru-fr", 0.05),
        ("ru-cs", 0.03),
        ("ru-lt", 0.03),
        ("ru-gost-779", 0.02),
        ("ru-mvd-310", 0.03),
        ("ru-telegram", 0.02),
        ("ru-ala-lc", 0.01),
        ("ru-scientific", 0.01),
    ],
    "lt": [
        ("native", 0.45),
        ("lt-ascii", 0.25),
        ("lt-ascii-digraph", 0.05),
        ("lt-ru", 0.15),
        ("lt-be", 0.10),
    ],
}
LANGUAGE_SHARE = {"be": 0.30, "ru": 0.58, "lt": 0.12}

# Which lexicon column holds the usual given-name form of a convention (Alexandre in French).
CONVENTION_FORM = {
    "pl": "pl",
    "de": "de",
    "fr": "fr",
    "cs": "cs",
    "lt": "lt",
    "en": "en",
    "icao-doc-9303": "en",
    "wikipedia": "en",
    "bgn-pcgn": "en",
    "mvd-310": "en",
}
P_CONVENTION_FORM = 0.25  # a Latin record uses the convention's own given-name form
P_RUSSIAN_GIVEN = 0.12  # a Belarusian in Latin letters with the Russian form of the given name
P_DIMINUTIVE = 0.04  # a native record uses a diminutive / variant of the given name
P_CAPS = 0.08  # the whole record in capitals
P_TYPO = 0.06  # one typo in one word

# (format, weight, needs a patronymic)
FORMATS: list[tuple[str, float, bool]] = [
    ("G S", 0.40, False),
    ("S G", 0.12, False),
    ("S, G", 0.12, False),
    ("G P S", 0.08, True),
    ("S G P", 0.08, True),
    ("I S", 0.09, False),
    ("S I", 0.04, False),
    ("I P. S", 0.04, True),
    ("S, G P", 0.03, True),
]

# records per identity: 1..10, mean about 4
RECORDS_PER_IDENTITY = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
RECORDS_WEIGHTS = [0.16, 0.14, 0.14, 0.13, 0.12, 0.10, 0.08, 0.06, 0.04, 0.03]
# family sizes: a lone person, a couple or two siblings, three or four relatives
FAMILY_SIZES = [1, 2, 3, 4]
FAMILY_WEIGHTS = [0.55, 0.28, 0.12, 0.05]

CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщыьэюяіў"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class _Pick:
    """Weighted choice with the cumulative weights computed once (random.choices redoes them)."""

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = list(items)
        total = 0.0
        self.cum = []
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


# --------------------------------------------------------------------------- pools


def _corpus(name: str) -> list[tuple[str, str]]:
    """(item, kind) rows of a corpus file; kind is "" when the file has one column."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        item = unicodedata.normalize("NFC", cells[0].strip())
        kind = cells[1].strip() if len(cells) > 1 else ""
        if item and kind != "kind":
            rows.append((item, kind))
    return rows


@dataclass(frozen=True)
class Lineage:
    """One surname in its gendered forms; lt women have two (married, unmarried)."""

    language: str
    m: str
    f: tuple[str, ...]


@dataclass(frozen=True)
class Father:
    """A patronymic in its two gendered forms."""

    m: str
    f: str


@functools.cache
def _ending_rows() -> tuple[tuple[str, str, str, frozenset[str]], ...]:
    data = tomllib.loads(ENDINGS.read_text(encoding="utf-8"))
    rows = []
    for ending, stem, gender, langs, _trust, _marital in data["endings"]:
        rows.append(
            (unicodedata.normalize("NFC", ending).lower(), stem, gender, frozenset(langs.split()))
        )
    return tuple(rows)


def _other_gender(surname: str, language: str, usage: Counter) -> str | None:
    """The other gendered form of a surname by the ending table: the row with the same stem
    ending, the other gender and this language; the ending most used in the corpora wins."""
    form = surname_analysis(surname, language)
    if form is None or form.gender not in ("m", "f"):
        return None
    rows = _ending_rows()
    stem_end = next((r[1] for r in rows if r[0] == form.ending), None)
    if stem_end is None:
        return None
    want = "f" if form.gender == "m" else "m"
    candidates = [
        r[0]
        for r in rows
        if r[1] == stem_end and r[2] == want and language in r[3] and _same_script(r[0], surname)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda e: (usage[e], -candidates.index(e)))
    return surname[: len(surname) - len(form.ending)] + best


def _same_script(ending: str, word: str) -> bool:
    return names.detect_script(ending) == names.detect_script(word)


def _ending_usage(surnames: Sequence[str], language: str) -> Counter:
    usage: Counter = Counter()
    for s in surnames:
        form = surname_analysis(s, language)
        if form is not None:
            usage[form.ending] += 1
    return usage


def _gendered_lineages(found: dict[str, dict[str, str]], language: str) -> list[Lineage]:
    """Lineages from surnames grouped by stem, completing a missing gender by the rules."""
    everything = [s for forms in found.values() for s in forms.values()]
    usage = _ending_usage(everything, language)
    out = []
    for forms in found.values():
        m, f = forms.get("m"), forms.get("f")
        if m is None and f is not None:
            m = _other_gender(f, language, usage)
        if f is None and m is not None:
            f = _other_gender(m, language, usage)
        if m and f:
            out.append(Lineage(language, m, (f,)))
    return out


@functools.cache
def surname_pool() -> tuple[Lineage, ...]:
    """Every surname lineage, Belarusian, Russian and Lithuanian, spellings of one name once."""
    lineages: list[Lineage] = []
    # Belarusian: aligned masculine/feminine lists, invariant surnames, surnames of persons
    be = _corpus("be-corpus.tsv")
    sm = [i for i, k in be if k == "surname-m"]
    sf = [i for i, k in be if k == "surname-f"]
    lineages += [Lineage("be", m, (f,)) for m, f in zip(sm, sf, strict=True)]
    lineages += [Lineage("be", s, (s,)) for s, k in be if k == "surname"]
    by_stem: dict[str, dict[str, str]] = defaultdict(dict)
    for item, kind in be:
        if kind in ("person-m", "person-f") and len(item.split()) >= 2:
            surname = item.split()[-1]
            form = surname_analysis(surname, "be")
            if form is not None and form.gender == kind[-1]:
                by_stem[form.stem][form.gender] = surname
    lineages += _gendered_lineages(by_stem, "be")
    # Russian: surnames of the full names and gendered single words that are not given names
    # or patronymics
    ru = [i for i, _ in _corpus("ru-corpus.tsv") if not i.isupper()]
    by_stem = defaultdict(dict)
    invariant: list[str] = []
    for item in ru:
        words = item.split()
        if len(words) == 3:
            surname = words[2]
            form = surname_analysis(surname, "ru")
            if form is None:
                continue
            if form.gender is None:
                invariant.append(surname)
            else:
                by_stem[form.stem][form.gender] = surname
        elif len(words) == 1:
            form = surname_analysis(item, "ru")
            if form is None or form.gender is None or form.trust == "weak":
                continue
            if given_name_classes(item) or patronymic_ending(item) is not None:
                continue
            by_stem[form.stem].setdefault(form.gender, item)
    lineages += _gendered_lineages(by_stem, "ru")
    lineages += [Lineage("ru", s, (s,)) for s in dict.fromkeys(invariant)]
    # Lithuanian: masculine, married and unmarried forms, matched by stem
    lt = _corpus("lt-corpus.tsv")
    feminine: dict[str, dict[str, str]] = defaultdict(dict)
    for item, kind in lt:
        if kind.startswith("surname-f-"):
            form = surname_analysis(item, "lt")
            if form is not None:
                feminine[form.stem][kind.rsplit("-", 1)[1]] = item
    for item, kind in lt:
        if kind != "surname-m":
            continue
        form = surname_analysis(item, "lt")
        stems = ([form.stem] if form is not None else []) + [item[:-1], item[:-2]]
        fem = next((feminine[s] for s in stems if s in feminine), None)
        if fem:
            lineages.append(Lineage("lt", item, tuple(fem[k] for k in sorted(fem))))
    # one lineage per name: drop any whose masculine form shares a key with an earlier one
    seen: set[str] = set()
    unique: dict[tuple[str, str], Lineage] = {}
    for lin in lineages:
        if (lin.language, lin.m) in unique:
            continue
        ks = {k for k in names.keys(lin.m) if k.startswith("s:")}
        if ks & seen:
            continue
        seen |= ks
        unique[(lin.language, lin.m)] = lin
    return tuple(unique.values())


@functools.cache
def father_pool() -> dict[str, tuple[Father, ...]]:
    """Patronymics per language, masculine and feminine forms of one father's name."""
    be = _corpus("be-corpus.tsv")
    pm = [i for i, k in be if k == "patronymic-m"]
    pf = [i for i, k in be if k == "patronymic-f"]
    be_fathers = [Father(m, f) for m, f in zip(pm, pf, strict=True)]
    stems: dict[str, dict[str, str]] = defaultdict(dict)
    for item, _ in _corpus("ru-corpus.tsv"):
        words = item.split()
        if len(words) != 3 or item.isupper():
            continue
        p = words[1]
        if p.endswith(("ович", "евич")):
            stems[p[:-2]]["m"] = p
        elif p.endswith(("овна", "евна")):
            stems[p[:-2]]["f"] = p
    ru_fathers = [
        Father(forms.get("m", stem + "ич"), forms.get("f", stem + "на"))
        for stem, forms in sorted(stems.items())
    ]
    return {"be": tuple(be_fathers), "ru": tuple(ru_fathers)}


@functools.cache
def given_pool() -> dict[str, tuple[GivenName, ...]]:
    by_gender: dict[str, list[GivenName]] = {"m": [], "f": []}
    for cls in all_given_names():
        if all(cls.native(lang) for lang in ("be", "ru", "lt")):
            by_gender[cls.gender].append(cls)
    return {g: tuple(v) for g, v in by_gender.items()}


# --------------------------------------------------------------------------- identities


@dataclass(frozen=True)
class Identity:
    entity: int
    language: str
    gender: str
    given: GivenName
    surname: str  # the gendered native form
    father: Father | None


def _zipf_weights(count: int, rng: random.Random, offset: float = 30.0) -> list[float]:
    """Weights that make some surnames common and most rare, in a seeded random order."""
    order = list(range(count))
    rng.shuffle(order)
    weights = [0.0] * count
    for rank, i in enumerate(order):
        weights[i] = 1.0 / (rank + offset) ** 0.9
    return weights


def _identities(count_records: int, rng: random.Random) -> list[tuple[Identity, int]]:
    """Families of identities with their record counts, until the records reach the target."""
    pool = surname_pool()
    by_lang = {lang: [lin for lin in pool if lin.language == lang] for lang in LANGUAGE_SHARE}
    pick_lineage = {lang: _Pick(v, _zipf_weights(len(v), rng)) for lang, v in by_lang.items()}
    pick_lang = _Pick(list(LANGUAGE_SHARE), list(LANGUAGE_SHARE.values()))
    pick_size = _Pick(FAMILY_SIZES, FAMILY_WEIGHTS)
    pick_count = _Pick(RECORDS_PER_IDENTITY, RECORDS_WEIGHTS)
    fathers = father_pool()
    given = given_pool()
    taken: set[tuple[str, str, str]] = set()
    out: list[tuple[Identity, int]] = []
    total = 0
    entity = 0

    def person(lang: str, lin: Lineage, gender: str, father: Father | None) -> Identity | None:
        nonlocal entity
        surname = lin.m if gender == "m" else rng.choice(lin.f)
        for _ in range(8):
            cls = rng.choice(given[gender])
            key = (lin.m, gender, cls.id)
            if key not in taken:
                taken.add(key)
                entity += 1
                return Identity(entity - 1, lang, gender, cls, surname, father)
        return None

    while total < count_records:
        lang = pick_lang(rng)
        lin = pick_lineage[lang](rng)
        father = rng.choice(fathers[lang]) if lang in fathers else None
        size = pick_size(rng)
        first_gender = rng.choice("mf")
        members = [person(lang, lin, first_gender, father)]
        for k in range(1, size):
            if k == 1 and rng.random() < 0.5:  # a spouse: other gender, another father
                other = rng.choice(fathers[lang]) if lang in fathers else None
                members.append(person(lang, lin, "f" if first_gender == "m" else "m", other))
            else:  # a sibling: same father, any gender
                members.append(person(lang, lin, rng.choice("mf"), father))
        for ident in members:
            if ident is None:
                continue
            n = pick_count(rng)
            n = min(n, count_records - total)
            if n <= 0:
                break
            out.append((ident, n))
            total += n
    return out


# --------------------------------------------------------------------------- rendering


def _convention_form_key(scheme: str) -> str | None:
    suffix = scheme.split("-", 1)[1] if "-" in scheme else scheme
    return CONVENTION_FORM.get(suffix)


def _variants(cls: GivenName, lang: str) -> tuple[str, ...]:
    out = []
    for v in cls.variants:
        if names.detect_script(v) == "Cyrl" and lang in cyrillic_languages(v):
            out.append(v)
    return tuple(out)


class _Translit:
    """Every vocabulary word under every scheme it may be written in, computed once."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, str]] = {}

    def add(self, scheme: str, words: set[str]) -> None:
        todo = sorted(words - set(self.table.get(scheme, {})))
        if not todo:
            return
        done = names.transliterate_many(todo, scheme)
        self.table.setdefault(scheme, {}).update(zip(todo, done, strict=True))

    def __call__(self, word: str, scheme: str) -> str:
        return self.table[scheme][word]


def _vocabulary() -> dict[str, set[str]]:
    """Native words per source language (given names, variants, surnames, patronymics)."""
    vocab: dict[str, set[str]] = {"be": set(), "ru": set(), "lt": set()}
    for gender in ("m", "f"):
        for cls in given_pool()[gender]:
            for lang in vocab:
                vocab[lang].add(cls.native(lang))
            for lang in ("be", "ru"):
                vocab[lang].update(_variants(cls, lang))
    for lin in surname_pool():
        vocab[lin.language].add(lin.m)
        vocab[lin.language].update(lin.f)
    for lang, fathers in father_pool().items():
        for fa in fathers:
            vocab[lang].update((fa.m, fa.f))
    return vocab


@functools.cache
def _translit_table() -> _Translit:
    vocab = _vocabulary()
    table = _Translit()
    for lang, conventions in CONVENTIONS.items():
        for scheme, _ in conventions:
            if scheme != "native":
                table.add(scheme, vocab[lang])
    # a Belarusian's given name in its Russian form, in Latin letters
    ru_given = {cls.native("ru") for g in "mf" for cls in given_pool()[g]}
    table.add("ru-icao-doc-9303", ru_given)
    table.add("ru-en", ru_given)
    return table


def _initial(word: str, rng: random.Random) -> str:
    """The initial of a word: its first letter, or a Latin digraph (Yu., Zh., Sh.) at times."""
    if len(word) >= 2 and word[0] in "YZSCKT" and word[1] in "uaoehs" and rng.random() < 0.5:
        if word[:2] in ("Yu", "Ya", "Yo", "Ye", "Zh", "Sh", "Ch", "Kh", "Ts"):
            return word[:2] + "."
    return word[0] + "."


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 4]
    if not spots:
        return text
    i = rng.choice(spots)
    word = words[i]
    letters = [j for j, ch in enumerate(word) if ch.isalpha()]
    kind = rng.random()
    j = rng.choice(letters[1:])  # keep the first letter: initials and sorting survive
    if kind < 0.45:  # substitution by a letter of the same script
        alphabet = CYRILLIC_LETTERS if names.detect_script(word) == "Cyrl" else LATIN_LETTERS
        new = rng.choice(alphabet)
        if word[j].isupper():
            new = new.upper()
        word = word[:j] + new + word[j + 1 :]
    elif kind < 0.75:  # deletion
        word = word[:j] + word[j + 1 :]
    else:  # transposition with the next letter (or the previous one at the end)
        k = j + 1 if j + 1 < len(word) and word[j + 1].isalpha() else j - 1
        a, b = sorted((j, k))
        if a >= 1:
            word = word[:a] + word[b] + word[a] + word[b + 1 :]
    words[i] = word
    return " ".join(words)


def _render(
    ident: Identity,
    rng: random.Random,
    table: _Translit,
    pick_scheme: _Pick,
    pick_format: _Pick,
    pick_format_np: _Pick,
) -> str:
    lang = ident.language
    scheme = pick_scheme(rng)
    cls = ident.given
    # given name
    if scheme == "native":
        given = cls.native(lang)
        if lang != "lt" and rng.random() < P_DIMINUTIVE:
            variants = _variants(cls, lang)
            if variants:
                given = rng.choice(variants)
        surname = ident.surname
        father = ident.father
        patronymic = None if father is None else (father.m if ident.gender == "m" else father.f)
    else:
        native_given = cls.native(lang)
        if lang != "lt" and rng.random() < P_DIMINUTIVE:
            variants = _variants(cls, lang)
            if variants:
                native_given = rng.choice(variants)
        given = table(native_given, scheme)
        roll = rng.random()
        form_key = _convention_form_key(scheme)
        if form_key and roll < P_CONVENTION_FORM and cls.native(form_key):
            given = cls.native(form_key)
        elif lang == "be" and roll > 1 - P_RUSSIAN_GIVEN and names.detect_script(given) == "Latn":
            given = table(cls.native("ru"), rng.choice(("ru-icao-doc-9303", "ru-en")))
        surname = table(ident.surname, scheme)
        father = ident.father
        patronymic = None
        if father is not None:
            patronymic = table(father.m if ident.gender == "m" else father.f, scheme)
    fmt = pick_format(rng) if patronymic is not None else pick_format_np(rng)
    if fmt == "G S":
        text = f"{given} {surname}"
    elif fmt == "S G":
        text = f"{surname} {given}"
    elif fmt == "S, G":
        if rng.random() < 0.5:
            surname = surname.upper()
        text = f"{surname}, {given}"
    elif fmt == "G P S":
        text = f"{given} {patronymic} {surname}"
    elif fmt == "S G P":
        text = f"{surname} {given} {patronymic}"
    elif fmt == "I S":
        text = f"{_initial(given, rng)} {surname}"
    elif fmt == "S I":
        text = f"{surname} {_initial(given, rng)}"
    elif fmt == "I P. S":
        text = f"{_initial(given, rng)} {_initial(patronymic, rng)} {surname}"
    else:  # "S, G P"
        text = f"{surname}, {given} {patronymic}"
    if rng.random() < P_TYPO:
        text = _typo(text, rng)
    if rng.random() < P_CAPS:
        text = text.upper()
    return text


def generate(count: int, seed: int = 1) -> list[tuple[int, str, int]]:
    """`count` records (record_id, name, entity_id), the same for the same seed."""
    rng = random.Random(seed)
    table = _translit_table()
    identities = _identities(count, rng)
    conv = {
        lang: _Pick([s for s, _ in items], [w for _, w in items])
        for lang, items in CONVENTIONS.items()
    }
    pick_format = _Pick([f for f, _, _ in FORMATS], [w for _, w, _ in FORMATS])
    pick_format_np = _Pick(
        [f for f, _, needs in FORMATS if not needs], [w for _, w, needs in FORMATS if not needs]
    )
    records: list[tuple[int, str, int]] = []
    for ident, n in identities:
        pick_scheme = conv[ident.language]
        for _ in range(n):
            text = _render(ident, rng, table, pick_scheme, pick_format, pick_format_np)
            records.append((0, text, ident.entity))
    # shuffle so that one identity's records are not adjacent, then number the rows
    rng.shuffle(records)
    return [(i, text, entity) for i, (_, text, entity) in enumerate(records)]


def truth_summary(records: Sequence[tuple[int, str, int]]) -> dict[str, float]:
    """Entities, distinct names and true pairs of a generated set."""
    sizes = Counter(entity for _, _, entity in records)
    pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    return {
        "records": len(records),
        "entities": len(sizes),
        "distinct_names": len({text for _, text, _ in records}),
        "true_pairs": pairs,
        "mean_records_per_entity": len(records) / max(len(sizes), 1),
        "log10_pairs": math.log10(max(pairs, 1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--summary", action="store_true", help="Print counts, not records.")
    args = parser.parse_args()
    records = generate(args.records, args.seed)
    if args.summary:
        for key, value in truth_summary(records).items():
            print(f"{key}\t{value}")
        return
    print("record_id\tname\tentity_id")
    for rid, text, entity in records:
        print(f"{rid}\t{text}\t{entity}")


if __name__ == "__main__":
    main()
