"""Given-name equivalence classes and surname morphology, read from rules/lexicon.

Data files (all under ``rules/lexicon/``):

- ``given-names.tsv``: one equivalence class per line (Аляксандр = Алесь = Александр = Саша =
  Aleksandras = Aleksander = Alexandre ...), with gender, native forms per language, usual Latin
  spellings, variants and sources.
- ``surname-endings.toml``: gendered surname endings mapped to a stem, a gender and, for
  Lithuanian, a marital form.
- ``patronymics.toml``: patronymic endings in every script and convention.
- ``titles.toml``: honorifics, suffixes and name particles.
- ``legal-forms.toml``: legal forms of organisations (ОАО = ААТ = OJSC, UAB, LLC ...) by class.
- ``organisation-words.toml``: nouns that mark a name as an organisation's (bank, завод,
  universitetas ...) and the stopwords its name is compared without.

Alias relations are not transitive: a token may belong to several classes (Алеся is a form of
Аляксандра and a name of its own), so lookups return every class, best first.

The index of given names holds every listed form plus its romanisations under the schemes that
``names.schemes()`` lists (failures are ignored), folded by :func:`fold_token`. It is built once,
lazily, and a lookup is a dict access.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import tomllib
from unidecode import unidecode

from names.errors import RuleFileError

__all__ = [
    "GivenName",
    "SurnameForm",
    "PatronymicEnding",
    "fold_token",
    "loose_key",
    "loose_kept",
    "given_name_class",
    "given_name_classes",
    "given_name_matches",
    "given_name_gender",
    "is_international_form",
    "all_given_names",
    "surname_stem",
    "surname_analysis",
    "patronymic_ending",
    "patronymic_father",
    "honorifics",
    "name_suffixes",
    "particles",
    "LegalForm",
    "legal_forms",
    "organisation_words",
    "Place",
    "all_places",
    "place_classes",
    "clear_caches",
    "on_clear_caches",
]

NATIVE_LANGUAGES = ("be", "ru", "uk", "lt", "pl")
LATIN_CONVENTIONS = ("en", "de", "fr", "cs")
FORM_KEYS = NATIVE_LANGUAGES + LATIN_CONVENTIONS
_COLUMNS = ("id", "gender", *FORM_KEYS, "variants", "source")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# Match ranks: lower is better.
RANK_NATIVE = 0  # a listed native form (be/ru/uk/lt/pl)
RANK_LATIN = 1  # a listed Latin spelling (en/de/fr/cs)
RANK_VARIANT = 2  # a listed diminutive or variant
RANK_ROMANISED = 3  # a romanisation of a native form
RANK_ROMANISED_VARIANT = 4  # a romanisation of a variant
RANK_ADAPTED = 5  # a generated Lithuanian adaptation (Siarhei -> Siarhejus)
RANK_LOOSE = 10  # added to every rank for a loose-key match


# --------------------------------------------------------------------------------------------
# Rule files
# --------------------------------------------------------------------------------------------


def _rules_root():
    """The rules/ directory as an importlib.resources Traversable (or a Path in a checkout)."""
    try:
        from names.rules import rule_data_root
    except (ImportError, AttributeError):
        from pathlib import Path

        return Path(__file__).resolve().parent.parent / "rules"
    return rule_data_root()


def _lexicon_file(name: str):
    return _rules_root().joinpath("lexicon").joinpath(name)


def _read_text(name: str) -> tuple[str, str]:
    res = _lexicon_file(name)
    try:
        return str(res), res.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"rules/lexicon/{name}", "", f"cannot read: {exc}") from exc


def _read_toml(name: str) -> tuple[str, dict]:
    path, text = _read_text(name)
    try:
        return path, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(path, "", f"invalid TOML: {exc}") from exc


# --------------------------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------------------------

_APOSTROPHES = dict.fromkeys(map(ord, "'’ʼʹʺ`´‘ʻ′″\"“”"), None)


@functools.lru_cache(maxsize=1 << 16)  # a word is looked up once per run
def fold_token(text: str) -> str:
    """Fold a token for lookups: NFKC, casefold, diacritics and Cyrillic flattened to ASCII by
    unidecode, apostrophes and primes dropped, and anything but letters and digits removed.

    ``fold_token("Аляксандр") == "aliaksandr"``; ``fold_token("Dar’ja") == "darja"``.
    """
    s = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    s = unidecode(s)
    return "".join(ch for ch in s if ch.isalnum()).lower()


_LOOSE_SUBS = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("x", "ks"),
    ("w", "v"),
    ("ph", "f"),
    ("kh", "h"),
    ("ck", "k"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
    ("ou", "u"),
)
_DOUBLE_RE = re.compile(r"(.)\1+")


def loose_key(folded: str) -> str:
    """A looser key over a folded token: j/y/i, w/v, x/ks, kh/h, ou/u and doubled letters
    collapse, so Yuliya, Iuliia, Julija and Ioulia meet. Used as a second lookup tier."""
    s = folded
    for a, b in _LOOSE_SUBS:
        s = s.replace(a, b)
    return _DOUBLE_RE.sub(r"\1", s)


# The letters loose_key rewrites (those of its substitutions, either side), to be deleted
_LOOSE_REWRITTEN = str.maketrans(dict.fromkeys("".join(a + b for a, b in _LOOSE_SUBS)))


def loose_kept(folded: str) -> str:
    """The characters of a folded token that loose_key never rewrites, in order, repeats
    collapsed. loose_key(t) gives the same as t (it rewrites only the others, and collapses
    repeats), so two tokens that differ here cannot share a loose key: a cheap test first."""
    return _DOUBLE_RE.sub(r"\1", folded.translate(_LOOSE_REWRITTEN))


# --------------------------------------------------------------------------------------------
# Given names
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenName:
    """One equivalence class of given names.

    ``forms`` maps a language (be, ru, uk, lt, pl) or a Latin convention (en, de, fr, cs) to
    its forms, the official one first. ``variants`` are diminutives and national forms used as
    names. Equality and hashing go by ``id``.
    """

    id: str
    gender: str
    forms: Mapping[str, tuple[str, ...]] = field(compare=False, hash=False)
    variants: tuple[str, ...] = field(default=(), compare=False, hash=False)
    source: tuple[str, ...] = field(default=(), compare=False, hash=False)

    def native(self, language: str) -> str | None:
        """The official form in ``language`` (be, ru, uk, lt, pl, en, de, fr, cs), if any."""
        forms = self.forms.get(language, ())
        return forms[0] if forms else None

    def all_forms(self) -> tuple[str, ...]:
        """Every listed form and variant, in file order, without repeats."""
        seen: dict[str, None] = {}
        for key in FORM_KEYS:
            for f in self.forms.get(key, ()):
                seen.setdefault(f, None)
        for f in self.variants:
            seen.setdefault(f, None)
        return tuple(seen)

    def __repr__(self) -> str:
        return f"GivenName({self.id!r}, {self.gender!r})"


@dataclass(frozen=True)
class GivenMatch:
    """One class matched by a token: the class, how the token matched (a RANK_* value, plus
    RANK_LOOSE for a loose match) and the languages the matched forms come from."""

    name: GivenName
    rank: int
    languages: frozenset[str]


def _split_forms(cell: str) -> tuple[str, ...]:
    cell = cell.strip()
    if cell in ("", "-"):
        return ()
    out: dict[str, None] = {}
    for f in cell.split(","):
        f = unicodedata.normalize("NFC", f.strip())
        if f and f != "-":
            out.setdefault(f, None)
    return tuple(out)


@functools.cache
def all_given_names() -> tuple[GivenName, ...]:
    """Every class in rules/lexicon/given-names.tsv, in file order."""
    path, text = _read_text("given-names.tsv")
    classes: list[GivenName] = []
    seen: set[str] = set()
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if tuple(c.strip() for c in cells) != _COLUMNS:
                raise RuleFileError(path, f"line {lineno}", f"header must be {'/'.join(_COLUMNS)}")
            continue
        if len(cells) != len(_COLUMNS):
            raise RuleFileError(
                path, f"line {lineno}", f"expected {len(_COLUMNS)} columns, got {len(cells)}"
            )
        row = dict(zip(_COLUMNS, cells, strict=True))
        cid = row["id"].strip()
        if not _ID_RE.match(cid):
            raise RuleFileError(path, f"line {lineno}", f"bad id {cid!r}")
        if cid in seen:
            raise RuleFileError(path, f"line {lineno}", f"duplicate id {cid!r}")
        seen.add(cid)
        gender = row["gender"].strip()
        if gender not in ("m", "f"):
            raise RuleFileError(path, f"{cid}.gender", f"must be m or f, got {gender!r}")
        forms = {k: _split_forms(row[k]) for k in FORM_KEYS}
        if not any(forms[k] for k in NATIVE_LANGUAGES):
            raise RuleFileError(path, cid, "no native form")
        source = tuple(s.strip() for s in row["source"].split(";") if s.strip())
        if not source:
            raise RuleFileError(path, f"{cid}.source", "every class must name its source")
        classes.append(
            GivenName(
                id=cid,
                gender=gender,
                forms=MappingProxyType({k: v for k, v in forms.items() if v}),
                variants=_split_forms(row["variants"]),
                source=source,
            )
        )
    if not header_seen:
        raise RuleFileError(path, "", "empty lexicon")
    return tuple(classes)


_CYRILLIC_RE = re.compile(r"[\u0400-\u052f]")
_BE_ONLY = set("ў")
_NOT_BE = set("ищъїєґ")
_NOT_RU = set("іўїєґ")
_NOT_UK = set("ыэёъў")


def cyrillic_languages(text: str) -> frozenset[str]:
    """Which of be, ru, uk can spell every Cyrillic letter of ``text`` (empty if none can)."""
    letters = set(text.lower())
    langs = set()
    if not letters & _NOT_BE:
        langs.add("be")
    if not letters & _NOT_RU:
        langs.add("ru")
    if not letters & _NOT_UK:
        langs.add("uk")
    return frozenset(langs)


def _fallback_romanisations(form: str, language: str) -> set[str]:
    """Romanisations that need no rule file: unidecode (close to passport practice for ru),
    and for be / uk the same with г -> h (and и -> y for uk)."""
    out = {unidecode(form)}
    if language in ("be", "uk"):
        t = form.replace("г", "h").replace("Г", "H")
        if language == "uk":
            t = t.replace("и", "y").replace("И", "Y").replace("ї", "i").replace("є", "ie")
        out.add(unidecode(t))
    return out


def _scheme_catalogue() -> list[tuple[str, str]]:
    """(scheme id, language) for every scheme the engine lists; [] when it is not there."""
    try:
        import names as _names

        listed = list(_names.schemes())
    except Exception:  # the engine may be absent or incomplete: the lexicon works without it
        return []
    out = []
    for sc in listed:
        if isinstance(sc, str):
            sid, lang = sc, sc.split("-", 1)[0]
        else:
            sid = getattr(sc, "id", None)
            lang = getattr(sc, "language", None)
        if isinstance(sid, str) and isinstance(lang, str):
            out.append((sid, lang))
    return out


def _scheme_romanisations(
    forms_by_lang: dict[str, set[str]],
) -> dict[tuple[str, str], dict[str, str]]:
    """{(language, form): {output: origin language}} over every scheme whose language matches;
    failures are ignored. A scheme into Lithuanian (id ending in -lt) adds Lithuanian endings
    (Сяргей -> Siarhejus), so its outputs count as Lithuanian forms."""
    result: dict[tuple[str, str], dict[str, str]] = {}
    catalogue = _scheme_catalogue()
    if not catalogue:
        return result
    try:
        import names as _names
    except Exception:
        return result
    many = getattr(_names, "transliterate_many", None)
    one = getattr(_names, "transliterate", None)
    for sid, lang in catalogue:
        forms = sorted(forms_by_lang.get(lang, ()))
        if not forms:
            continue
        outputs: list[str] | None = None
        if many is not None:
            try:
                outputs = list(many(forms, sid))
            except Exception:
                outputs = None
        if outputs is None or len(outputs) != len(forms):
            if one is None:
                continue
            outputs = []
            for f in forms:
                try:
                    outputs.append(one(f, sid))
                except Exception:
                    outputs.append(f)
        origin = "lt" if sid.endswith("-lt") else lang
        for f, o in zip(forms, outputs, strict=True):
            if isinstance(o, str) and o and o != f:
                result.setdefault((lang, f), {}).setdefault(o, origin)
    return result


_VOWELS = set("aeiouy")


def _lithuanian_adaptations(folded: str) -> set[str]:
    """VLKK-style Lithuanian endings for a masculine romanised name (folded):
    consonant +as (Ihar -> iharas), -ai/-ei -> -ajus/-ejus (Mikalai -> mikalajus),
    -ii/-yi/-iy/-y -> -ijus (Dzmitry -> dzmitrijus)."""
    out = set()
    if len(folded) < 3:
        return out
    last = folded[-1]
    for ending in ("yi", "ii", "iy", "ij", "yj"):
        if folded.endswith(ending):
            out.add(folded[: -len(ending)] + "ijus")
            return out
    if last in "iy" and folded[-2] in "ae":
        out.add(folded[:-1] + "jus")
    elif last == "y":
        out.add(folded[:-1] + "ijus")
    elif last not in _VOWELS:
        out.add(folded + "as")
        out.add(folded + "is")
    return out


class _Index:
    """Folded token -> matches; a second dict over loose keys; and patronymic stems."""

    def __init__(self) -> None:
        self.exact: dict[str, tuple[GivenMatch, ...]] = {}
        self.loose: dict[str, tuple[GivenMatch, ...]] = {}
        self.father: dict[str, tuple[GivenName, ...]] = {}
        self.international: frozenset[str] = frozenset()
        self.cyrillic: dict[str, tuple[GivenMatch, ...]] = {}


def _core(folded_loose: str) -> str:
    """The consonantal core of a (loose) given name or patronymic stem: trailing vowels and
    glides removed (sergei -> serg, ilia -> il, grigorii -> grigor, mikalai -> mikal)."""
    core = folded_loose.rstrip("aeiouy")
    return core if len(core) >= 2 else folded_loose


@functools.cache
def _index() -> _Index:
    classes = all_given_names()
    # entries[key][class position] = (rank, languages)
    entries: dict[str, dict[int, tuple[int, set[str]]]] = {}

    # keys that some be/ru/uk form or its romanisation produces (not only a Western cognate)
    slavic_keys: set[str] = set()
    # the same, reached from Cyrillic forms as written: a Cyrillic token is looked up here, so
    # that Ларыса gets the languages of Ларыса, not of every romanisation that folds alike
    cyr_entries: dict[str, dict[int, tuple[int, set[str]]]] = {}

    def add_cyr(form: str, pos: int, rank: int, langs: Iterable[str]) -> None:
        key = fold_token(form)
        if not key:
            return
        slot = cyr_entries.setdefault(key, {})
        old = slot.get(pos)
        langs = set(langs)
        slot[pos] = (rank, langs) if old is None else (min(rank, old[0]), old[1] | langs)

    def add(key: str, pos: int, rank: int, langs: Iterable[str]) -> None:
        # keep the best rank; the languages are those of every way the key was reached
        if not key:
            return
        langs = set(langs)
        if rank in (RANK_NATIVE, RANK_ROMANISED) and langs & {"be", "ru", "uk"}:
            slavic_keys.add(key)
        slot = entries.setdefault(key, {})
        old = slot.get(pos)
        if old is None:
            slot[pos] = (rank, langs)
        else:
            slot[pos] = (min(rank, old[0]), old[1] | langs)

    # Collect native Cyrillic / Latin forms by language for the scheme pass.
    forms_by_lang: dict[str, set[str]] = {}
    for gn in classes:
        for lang in NATIVE_LANGUAGES:
            for f in gn.forms.get(lang, ()):
                forms_by_lang.setdefault(lang, set()).add(f)
        for v in gn.variants:
            if _CYRILLIC_RE.search(v):
                for lang in cyrillic_languages(v):
                    forms_by_lang.setdefault(lang, set()).add(v)
    romanised = _scheme_romanisations(forms_by_lang)

    for pos, gn in enumerate(classes):
        latin_keys: set[str] = set()
        for lang in NATIVE_LANGUAGES:
            for f in gn.forms.get(lang, ()):
                add(fold_token(f), pos, RANK_NATIVE, [lang])
                if _CYRILLIC_RE.search(f):
                    add_cyr(f, pos, RANK_NATIVE, [lang])
                    outs = dict.fromkeys(_fallback_romanisations(f, lang), lang)
                    for o, origin in romanised.get((lang, f), {}).items():
                        outs.setdefault(o, origin)
                    for o, origin in outs.items():
                        k = fold_token(o)
                        add(k, pos, RANK_ROMANISED, [origin])
                        if origin != "lt":
                            latin_keys.add(k)
                else:
                    latin_keys.add(fold_token(f))
        for conv in LATIN_CONVENTIONS:
            for f in gn.forms.get(conv, ()):
                add(fold_token(f), pos, RANK_LATIN, [])
        for v in gn.variants:
            if _CYRILLIC_RE.search(v):
                langs = cyrillic_languages(v)
                vlangs = langs
                add(fold_token(v), pos, RANK_VARIANT, vlangs)
                add_cyr(v, pos, RANK_VARIANT, vlangs)
                for lang in langs:
                    outs = _fallback_romanisations(v, lang) | set(romanised.get((lang, v), {}))
                    for o in outs:
                        add(fold_token(o), pos, RANK_ROMANISED_VARIANT, vlangs)
            else:
                add(fold_token(v), pos, RANK_VARIANT, [])
        if gn.gender == "m":
            for k in latin_keys:
                for a in _lithuanian_adaptations(k):
                    add(a, pos, RANK_ADAPTED, ["lt"])

    idx = _Index()
    # A usual Latin spelling that no romanisation of a Cyrillic form produces is a cognate used
    # in Western languages (John, Angela, Alexandre): it says little about the name's language.
    idx.international = frozenset(
        key
        for gn in classes
        for conv in LATIN_CONVENTIONS
        for key in map(fold_token, gn.forms.get(conv, ()))
        if key not in slavic_keys
    )
    loose: dict[str, dict[int, tuple[int, set[str]]]] = {}
    for key, slot in entries.items():
        idx.exact[key] = _freeze(slot, classes, 0)
        lk = loose_key(key)
        lslot = loose.setdefault(lk, {})
        for pos, (rank, langs) in slot.items():
            old = lslot.get(pos)
            lslot[pos] = (rank, set(langs)) if old is None else (min(rank, old[0]), old[1] | langs)
    for lk, slot in loose.items():
        idx.loose[lk] = _freeze(slot, classes, RANK_LOOSE)
    idx.cyrillic = {key: _freeze(slot, classes, 0) for key, slot in cyr_entries.items()}

    father: dict[str, dict[int, None]] = {}
    for key, slot in entries.items():
        core = _core(loose_key(key))
        for pos, (rank, _langs) in slot.items():
            gn = classes[pos]
            if gn.gender == "m" and rank <= RANK_ROMANISED_VARIANT:
                father.setdefault(core, {})[pos] = None
    idx.father = {k: tuple(classes[p] for p in sorted(v)) for k, v in father.items()}
    return idx


def _freeze(
    slot: dict[int, tuple[int, set[str]]], classes: tuple[GivenName, ...], extra: int
) -> tuple[GivenMatch, ...]:
    items = sorted(slot.items(), key=lambda kv: (kv[1][0], kv[0]))
    return tuple(
        GivenMatch(classes[pos], rank + extra, frozenset(langs)) for pos, (rank, langs) in items
    )


@functools.lru_cache(maxsize=1 << 16)  # a word is looked up once per run
def given_name_matches(token: str) -> tuple[GivenMatch, ...]:
    """Every class ``token`` belongs to, best first, with match rank and source languages.

    Exact folded matches come first; a loose match (Yuliya ~ Iuliia) is used only when there is
    no exact one."""
    if not isinstance(token, str):
        return ()
    key = fold_token(token)
    if not key:
        return ()
    idx = _index()
    if _CYRILLIC_RE.search(token):
        found = idx.cyrillic.get(key)
        if found:
            return found
    found = idx.exact.get(key)
    if found:
        return found
    return idx.loose.get(loose_key(key), ())


def is_international_form(token: str) -> bool:
    """True when ``token`` is a usual English, German, French or Czech spelling in the lexicon
    (Maria, Alexander, John): such a spelling says little about the language of the name."""
    return isinstance(token, str) and fold_token(token) in _index().international


def given_name_classes(token: str) -> list[GivenName]:
    """All classes ``token`` belongs to, best first (Алеся -> [alesya, aleksandra])."""
    return [m.name for m in given_name_matches(token)]


def given_name_class(token: str) -> GivenName | None:
    """The best class for ``token`` (any script, any common romanisation), or None."""
    found = given_name_matches(token)
    return found[0].name if found else None


def given_name_gender(token: str) -> str | None:
    """ "m" or "f" when every class of ``token`` agrees (Саша: None), else None."""
    genders = {m.name.gender for m in given_name_matches(token)}
    return genders.pop() if len(genders) == 1 else None


# --------------------------------------------------------------------------------------------
# Surnames
# --------------------------------------------------------------------------------------------

_TRUSTS = ("strong", "medium", "weak")
_GENDERS = ("m", "f", "")
_MARITAL = ("", "married", "unmarried", "neutral")


@dataclass(frozen=True)
class SurnameForm:
    """A surname reduced to a stem: ``Ціханоўская`` -> stem ``Ціханоўск``, gender f.

    ``marital`` is set for Lithuanian feminine forms: married (-ienė), unmarried (-aitė, -ytė,
    -iūtė, -utė) or neutral (-ė). ``trust`` says how far the ending is evidence (strong,
    medium, weak); ``languages`` the languages it points to."""

    surname: str
    stem: str
    gender: str | None
    ending: str
    languages: tuple[str, ...]
    trust: str
    marital: str | None = None


@dataclass(frozen=True)
class _EndingTable:
    rows: dict[str, tuple[str, str, tuple[str, ...], str, str]]
    lengths: tuple[int, ...]
    min_stem: int


@functools.cache
def _surname_table() -> _EndingTable:
    path, data = _read_toml("surname-endings.toml")
    min_stem = data.get("min_stem", 2)
    if not isinstance(min_stem, int) or min_stem < 1:
        raise RuleFileError(path, "min_stem", "must be a positive integer")
    rows_in = data.get("endings")
    if not isinstance(rows_in, list) or not rows_in:
        raise RuleFileError(path, "endings", "must be a non-empty list of rows")
    rows: dict[str, tuple[str, str, tuple[str, ...], str, str]] = {}
    for i, row in enumerate(rows_in):
        key = f"endings[{i}]"
        if not (isinstance(row, list) and len(row) == 6 and all(isinstance(c, str) for c in row)):
            raise RuleFileError(
                path, key, "each row is [ending, stem, gender, languages, trust, marital]"
            )
        ending, stem, gender, langs, trust, marital = row
        ending = unicodedata.normalize("NFC", ending).lower()
        if not ending:
            raise RuleFileError(path, key, "empty ending")
        if gender not in _GENDERS:
            raise RuleFileError(path, key, f"gender must be m, f or empty, got {gender!r}")
        if trust not in _TRUSTS:
            raise RuleFileError(path, key, f"trust must be one of {_TRUSTS}, got {trust!r}")
        if marital not in _MARITAL:
            raise RuleFileError(path, key, f"marital must be one of {_MARITAL}, got {marital!r}")
        if ending in rows:
            raise RuleFileError(path, key, f"duplicate ending {ending!r}")
        stem = unicodedata.normalize("NFC", stem)
        rows[ending] = (stem, gender, tuple(langs.split()), trust, marital)
    lengths = tuple(sorted({len(e) for e in rows}, reverse=True))
    return _EndingTable(rows, lengths, min_stem)


def _match_case(suffix: str, like: str) -> str:
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return suffix.upper()
    return suffix


def _analyse_segment(seg: str, language: str | None) -> SurnameForm | None:
    table = _surname_table()
    low = seg.lower()
    for n in table.lengths:
        if len(low) - n < table.min_stem:
            continue
        row = table.rows.get(low[-n:])
        if row is None:
            continue
        stem_end, gender, langs, trust, marital = row
        if trust == "weak" and language is not None and language in langs and "lt" in langs:
            trust = "medium"
        stem = seg[:-n] + _match_case(stem_end, seg)
        return SurnameForm(
            surname=seg,
            stem=stem,
            gender=gender or None,
            ending=low[-n:],
            languages=langs,
            trust=trust,
            marital=marital or None,
        )
    return None


@functools.lru_cache(maxsize=1 << 16)  # a word is looked up once per run
def surname_analysis(part: str, language: str | None = None) -> SurnameForm | None:
    """Analyse a surname's ending: stem, gender, marital form (lt), languages and trust.

    A double-barrelled surname (Simutytė-Gaidienė) is analysed segment by segment: stems are
    joined with "-", gender is kept when the segments do not disagree. ``language`` (be, ru,
    lt ...) upgrades weak Lithuanian endings to medium when it is "lt". None when no ending in
    rules/lexicon/surname-endings.toml applies."""
    if not isinstance(part, str):
        return None
    text = unicodedata.normalize("NFC", part.strip())
    if not text:
        return None
    segments = [s for s in re.split(r"\s*[-‐‑–]\s*", text) if s]
    if len(segments) <= 1:
        return _analyse_segment(text, language)
    forms = [_analyse_segment(s, language) for s in segments]
    if not any(forms):
        return None
    stems = [f.stem if f else s for f, s in zip(forms, segments, strict=True)]
    genders = {f.gender for f in forms if f and f.gender}
    last = next(f for f in reversed(forms) if f)
    marital = next((f.marital for f in reversed(forms) if f and f.marital), None)
    trusts = [f.trust for f in forms if f and f.gender]
    trust = min(trusts, key=_TRUSTS.index) if trusts else last.trust
    return SurnameForm(
        surname=text,
        stem="-".join(stems),
        gender=genders.pop() if len(genders) == 1 else None,
        ending=last.ending,
        languages=last.languages,
        trust=trust,
        marital=marital,
    )


def surname_stem(part: str) -> tuple[str, str | None]:
    """``(stem, gender)`` of a surname: Ціханоўская -> ("Ціханоўск", "f"), Tsikhanouski ->
    ("Tsikhanousk", "m"), Grybauskaitė -> ("Grybausk", "f"), Lukashenka -> ("Lukashenka", None).
    A surname with no known ending is its own stem, gender None."""
    form = surname_analysis(part)
    if form is None:
        text = unicodedata.normalize("NFC", part.strip()) if isinstance(part, str) else ""
        return text, None
    return form.stem, form.gender


# --------------------------------------------------------------------------------------------
# Patronymics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatronymicEnding:
    ending: str
    gender: str
    languages: tuple[str, ...]
    trust: str


@functools.cache
def _patronymic_table() -> tuple[dict[str, PatronymicEnding], tuple[int, ...]]:
    path, data = _read_toml("patronymics.toml")
    rows_in = data.get("endings")
    if not isinstance(rows_in, list) or not rows_in:
        raise RuleFileError(path, "endings", "must be a non-empty list of rows")
    rows: dict[str, PatronymicEnding] = {}
    for i, row in enumerate(rows_in):
        key = f"endings[{i}]"
        if not (isinstance(row, list) and len(row) == 4 and all(isinstance(c, str) for c in row)):
            raise RuleFileError(path, key, "each row is [ending, gender, languages, trust]")
        ending, gender, langs, trust = row
        ending = unicodedata.normalize("NFC", ending).lower()
        if gender not in ("m", "f"):
            raise RuleFileError(path, key, f"gender must be m or f, got {gender!r}")
        if trust not in _TRUSTS:
            raise RuleFileError(path, key, f"trust must be one of {_TRUSTS}, got {trust!r}")
        if ending in rows:
            raise RuleFileError(path, key, f"duplicate ending {ending!r}")
        rows[ending] = PatronymicEnding(ending, gender, tuple(langs.split()), trust)
    return rows, tuple(sorted({len(e) for e in rows}, reverse=True))


@functools.lru_cache(maxsize=1 << 16)  # a word is looked up once per run
def patronymic_ending(token: str) -> PatronymicEnding | None:
    """The patronymic ending of ``token`` (Рыгоравіч -> -авіч, m, be), or None."""
    if not isinstance(token, str):
        return None
    rows, lengths = _patronymic_table()
    low = unicodedata.normalize("NFC", token.strip()).lower()
    for n in lengths:
        if len(low) - n < 2:
            continue
        row = rows.get(low[-n:])
        if row is not None:
            return row
    return None


_PATRONYMIC_ASCII = tuple(
    sorted(
        {
            "ovich",
            "evich",
            "avich",
            "ovych",
            "evych",
            "owitsch",
            "ewitsch",
            "ovitch",
            "evitch",
            "owicz",
            "ewicz",
            "ovic",
            "evic",
            "ich",
            "ovna",
            "evna",
            "auna",
            "ouna",
            "euna",
            "iuna",
            "ivna",
            "owna",
            "ewna",
            "ichna",
            "inichna",
            "awna",
        },
        key=len,
        reverse=True,
    )
)


@functools.lru_cache(maxsize=1 << 16)  # a word is looked up once per run
def patronymic_father(token: str) -> tuple[GivenName, ...]:
    """The classes of the father's name a patronymic is formed from (Рыгоравіч -> Рыгор,
    Grigoryevich -> Grigoriy, Ильинична -> Илья), or () when the stem is not a known name."""
    if patronymic_ending(token) is None:
        return ()
    folded = fold_token(token)
    for suf in _PATRONYMIC_ASCII:
        if folded.endswith(suf) and len(folded) - len(suf) >= 2:
            stem = folded[: -len(suf)]
            break
    else:
        return ()
    return _index().father.get(_core(loose_key(stem)), ())


# --------------------------------------------------------------------------------------------
# Titles and particles
# --------------------------------------------------------------------------------------------


@functools.cache
def _titles() -> dict[str, frozenset[str]]:
    path, data = _read_toml("titles.toml")
    out = {}
    for key in ("prefixes", "suffixes", "particles", "placeholders", "lower_placeholders"):
        items = data.get(key, [] if "placeholders" in key else None)
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise RuleFileError(path, key, "must be a list of strings")
        out[key] = frozenset(unicodedata.normalize("NFC", x).casefold() for x in items)
    return out


def honorifics() -> frozenset[str]:
    """Honorifics and titles stripped before a name (casefolded, without a final dot)."""
    return _titles()["prefixes"]


def name_suffixes() -> frozenset[str]:
    """Suffixes stripped after a name (Jr, Sr, III, PhD ...), casefolded, without dots."""
    return _titles()["suffixes"]


def placeholders() -> tuple[frozenset[str], frozenset[str]]:
    """Words standing for an unknown name part (FNU, LNU), and those that do so only when
    written in lower case (na), casefolded."""
    titles = _titles()
    return titles["placeholders"], titles["lower_placeholders"]


def particles() -> frozenset[str]:
    """Surname particles (von, van, de, bin ...), casefolded."""
    return _titles()["particles"]


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------

PLACE_COLUMNS = ("id", "kind", *"be ru uk lt pl en de fr cs lv es hu ro nl sv it tr source".split())


@dataclass(frozen=True)
class Place:
    """A place and its names in every language (rules/lexicon/places.tsv)."""

    id: str
    kind: str
    forms: Mapping[str, tuple[str, ...]] = field(compare=False, hash=False)

    def all_forms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for key in PLACE_COLUMNS[2:-1]:
            for form in self.forms.get(key, ()):
                seen.setdefault(form, None)
        return tuple(seen)


@functools.cache
def all_places() -> tuple[Place, ...]:
    """Every place of the gazetteer, in file order."""
    path, text = _read_text("places.tsv")
    places = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(PLACE_COLUMNS):
            raise RuleFileError(
                path, f"line {number}", f"{len(cells)} columns, expected {len(PLACE_COLUMNS)}"
            )
        row = dict(zip(PLACE_COLUMNS, cells, strict=True))
        forms = {key: _split_forms(row[key]) for key in PLACE_COLUMNS[2:-1]}
        places.append(Place(id=row["id"].strip(), kind=row["kind"].strip(), forms=forms))
    return tuple(places)


@functools.cache
def _place_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    exact: dict[str, dict[int, None]] = {}
    loose: dict[str, dict[int, None]] = {}
    for i, place in enumerate(all_places()):
        for form in place.all_forms():
            key = fold_token(form)
            if key:
                exact.setdefault(key, {})[i] = None
                loose.setdefault(loose_key(key), {})[i] = None
    return (
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in loose.items()},
    )


def place_classes(text: str) -> list[Place]:
    """The places a whole name may be (Мінск, Mińsk, Minskas → minsk); empty if none."""
    key = fold_token(text)
    if not key or len(key) > 64:
        return []
    exact, loose = _place_index()
    found = exact.get(key) or loose.get(loose_key(key), ())
    places = all_places()
    return [places[i] for i in found]


# --------------------------------------------------------------------------------------------
# Legal forms of organisations
# --------------------------------------------------------------------------------------------

_FORM_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class LegalForm:
    """A class of legal forms (open joint-stock company: ОАО, ААТ, OAO, OJSC ...). ``person`` is
    true where the rest of the name is a person's (a sole trader: ИП Иванов Иван)."""

    id: str
    label: str
    person: bool
    forms: tuple[str, ...]


@functools.cache
def legal_forms() -> tuple[LegalForm, ...]:
    """Every class of legal-forms.toml, in file order; its forms NFC, as written."""
    path, data = _read_toml("legal-forms.toml")
    rows = data.get("classes")
    if not isinstance(rows, list) or not rows:
        raise RuleFileError(path, "classes", "must be a non-empty list of tables")
    out: list[LegalForm] = []
    seen: dict[str, str] = {}
    for n, row in enumerate(rows):
        where = f"classes[{n}]"
        if not isinstance(row, dict):
            raise RuleFileError(path, where, "must be a table")
        cid = row.get("id")
        if not isinstance(cid, str) or not _FORM_ID_RE.match(cid):
            raise RuleFileError(path, f"{where}.id", f"bad id {cid!r}")
        if cid in {c.id for c in out}:
            raise RuleFileError(path, f"{where}.id", f"duplicate id {cid!r}")
        label = row.get("label", cid)
        person = row.get("person", False)
        forms = row.get("forms")
        if not isinstance(label, str) or not isinstance(person, bool):
            raise RuleFileError(path, cid, "label must be a string and person true or false")
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) for f in forms):
            raise RuleFileError(path, f"{cid}.forms", "must be a non-empty list of strings")
        nfc = tuple(unicodedata.normalize("NFC", f) for f in forms)
        for form in nfc:
            key = form.casefold()
            if not key.strip():
                raise RuleFileError(path, f"{cid}.forms", "empty form")
            if key in seen:
                raise RuleFileError(path, f"{cid}.forms", f"{form!r} is in {seen[key]!r} already")
            seen[key] = cid
        out.append(LegalForm(cid, label, person, nfc))
    return tuple(out)


@functools.cache
def organisation_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that mark an organisation's name, stopwords of one), casefolded, NFC. A Cyrillic
    word comes with its romanisations under every scheme (завод: zavod, sawod, zawod ...)."""
    path, data = _read_toml("organisation-words.toml")
    out = []
    for key in ("words", "stopwords"):
        items = data.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
            raise RuleFileError(path, key, "must be a non-empty list of strings")
        for x in items:
            if not x.strip() or len(x.split()) > 1:
                raise RuleFileError(path, key, f"{x!r}: each entry is one word")
        out.append({unicodedata.normalize("NFC", x).casefold() for x in items})
    words = out[0]
    cyrillic = {w for w in words if _CYRILLIC_RE.search(w)}
    romanised = _scheme_romanisations({"be": cyrillic, "ru": cyrillic})
    for (lang, form), outputs in romanised.items():
        for latin in [*outputs, *_fallback_romanisations(form, lang)]:
            if not _CYRILLIC_RE.search(latin):
                words.add(unicodedata.normalize("NFC", latin).casefold())
    return frozenset(words), frozenset(out[1])


_CLEAR_HOOKS: list[Callable[[], None]] = []


def on_clear_caches(hook: Callable[[], None]) -> None:
    """Have clear_caches() call ``hook`` too: for memos, in other modules, of lookups here."""
    _CLEAR_HOOKS.append(hook)


def clear_caches() -> None:
    """Forget every table and every cached lookup (after the lexicon files have changed)."""
    for hook in _CLEAR_HOOKS:
        hook()
    for cached in (
        all_given_names,
        _index,
        _surname_table,
        _patronymic_table,
        _titles,
        legal_forms,
        organisation_words,
        all_places,
        _place_index,
        fold_token,
        given_name_matches,
        surname_analysis,
        patronymic_ending,
        patronymic_father,
    ):
        cached.cache_clear()
