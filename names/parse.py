"""Parse a personal name: parts, their roles, gender and a guessed language.

``parse("Лукашенко Александр Григорьевич")`` gives three parts, surname / given /
patronymic, gender m (from the patronymic), language ru. The parser reads:

- order: ``Given Surname``, ``Given Patronymic Surname``, ``Surname Given Patronymic``
  (official Russian / Belarusian order), list style ``SURNAME, Given Patronymic`` and an
  upper-case ``SURNAME Given``;
- initials with or without dots (``A. G. Lukashenko``, ``Lukashenko A.G.``, ``Лукашенко А. Г.``);
- double-barrelled surnames and particles (``Simutytė-Gaidienė``, ``van der Bellen``);
- honorifics and titles, which are dropped (Mr, Dr, Pres., г-н, спадар, ponas);
- patronymics in every script (-ovich, -evna, -ічна, Belarusian -avich / -aŭna, German
  -owitsch, Polish -owicz ...).

Gender comes from the patronymic, the surname's ending and the given name's lexicon entry, in
that order of trust; it is None when the text gives no evidence or the evidence conflicts.

Bracketed text (aliases in sanctions lists) is ignored; text after a second comma is kept as
parts of role ``unknown``. Parsing never raises on a string and is deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from names.lexicon import (
    RANK_ADAPTED,
    RANK_LOOSE,
    RANK_ROMANISED,
    GivenMatch,
    PatronymicEnding,
    SurnameForm,
    cyrillic_languages,
    given_name_matches,
    honorifics,
    is_international_form,
    name_suffixes,
    particles,
    patronymic_ending,
    patronymic_father,
    surname_analysis,
)
from names.translit import detect_script

__all__ = ["Name", "NamePart", "parse", "name_to_json", "ROLES", "LANGUAGES"]

ROLES = ("given", "patronymic", "surname", "initial", "particle", "unknown")
LANGUAGES = ("be", "ru", "uk", "lt", "pl", "other")
_TIE_ORDER = ("ru", "be", "uk", "lt", "pl")


@dataclass(frozen=True)
class NamePart:
    """One part of a name.

    ``text`` is the part as written (an initial keeps its dot). ``role`` is one of ROLES.
    ``gender`` is "m" / "f" where this part alone is evidence of it. ``classes`` lists the
    given-name class ids of a given name (or of the father's name, for a patronymic); ``stem``
    and ``marital`` are set for surnames with a known ending."""

    text: str
    role: str
    gender: str | None = None
    classes: tuple[str, ...] = ()
    stem: str | None = None
    marital: str | None = None

    def to_dict(self) -> dict:
        out: dict = {"text": self.text, "role": self.role, "gender": self.gender}
        if self.classes:
            out["classes"] = list(self.classes)
        if self.stem is not None:
            out["stem"] = self.stem
        if self.marital is not None:
            out["marital"] = self.marital
        return out


@dataclass(frozen=True)
class Name:
    """A parsed personal name: the original text, its script (ISO 15924 code, "mixed" or
    "none"), a guessed language (be, ru, uk, lt, pl or other), the parts in written order and
    the gender (None when unknown)."""

    text: str
    script: str
    language: str
    parts: tuple[NamePart, ...] = ()
    gender: str | None = None
    evidence: tuple[str, ...] = field(default=(), compare=False)

    def _role(self, role: str) -> tuple[NamePart, ...]:
        return tuple(p for p in self.parts if p.role == role)

    @property
    def given(self) -> tuple[NamePart, ...]:
        return self._role("given")

    @property
    def patronymic(self) -> tuple[NamePart, ...]:
        return self._role("patronymic")

    @property
    def surname(self) -> tuple[NamePart, ...]:
        return self._role("surname")

    @property
    def initials(self) -> tuple[NamePart, ...]:
        return self._role("initial")

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(p.role for p in self.parts)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "script": self.script,
            "language": self.language,
            "gender": self.gender,
            "parts": [p.to_dict() for p in self.parts],
            "evidence": list(self.evidence),
        }


def name_to_json(name: Name | str) -> dict:
    """The JSON object ``onomast parse`` prints for one input line."""
    if not isinstance(name, Name):
        name = parse(name)
    return name.to_dict()


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?|\{[^{}]*\}?")
_EDGE = " \t\"'«»“”„‚‘’`()[]{}<>!?:*/\\|_#@&+=~^"
_DASHES = {"-", "‐", "‑", "–", "—"}
_INITIAL_RE = re.compile(r"^[^\W\d_]{1,2}\.$")
_CAP_PARTICLES = frozenset(
    "van von de der den di da du des del della ter ten zu al el bin ibn la le dos das".split()
)
_SEGMENT_SPLIT = re.compile(r"[,;]")


@dataclass
class _Tok:
    text: str
    seg: int
    kind: str  # word, initial, particle
    upper: bool = False
    # features of words
    matches: tuple[GivenMatch, ...] = ()
    sur: SurnameForm | None = None
    pat: PatronymicEnding | None = None
    father: tuple = ()
    g: float = 0.0
    s: float = 0.0
    p: float = 0.0
    role: str = "unknown"


def _clean(chunk: str) -> str:
    return chunk.strip(_EDGE).strip("".join(_DASHES))


def _split_chunk(chunk: str) -> list[str]:
    """'A.G.Lukashenko' -> ['A.', 'G.', 'Lukashenko']; other chunks unchanged."""
    if "." not in chunk.rstrip("."):
        return [chunk]
    return [p for p in re.findall(r"[^.]+\.?", chunk) if p.strip(".")]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _tokenise(text: str) -> list[_Tok]:
    stripped = _BRACKETED.sub(" ", text)
    toks: list[_Tok] = []
    for seg_no, seg in enumerate(_SEGMENT_SPLIT.split(stripped)):
        raw: list[str] = []
        pending_join = False
        for chunk in seg.split():
            if chunk in _DASHES:
                pending_join = bool(raw)
                continue
            for piece in _split_chunk(chunk):
                piece = _clean(piece)
                if not piece or not any(c.isalnum() for c in piece):
                    continue
                if pending_join and raw:
                    raw[-1] = raw[-1] + "-" + piece
                else:
                    raw.append(piece)
                pending_join = False
        seg_toks = [_Tok(t, seg_no, "word") for t in raw]
        _strip_titles(seg_toks)
        for i, t in enumerate(seg_toks):
            t.kind = _kind(t.text, i, seg_toks)
            t.upper = t.kind == "word" and _is_upper(t.text)
        toks.extend(seg_toks)
    return toks


def _title_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).rstrip(".").casefold()


def _strip_titles(seg: list[_Tok]) -> None:
    prefixes, suffixes = honorifics(), name_suffixes()
    while len(seg) > 1 and _title_key(seg[0].text) in prefixes:
        seg.pop(0)
    while len(seg) > 1 and _title_key(seg[-1].text) in suffixes:
        seg.pop()
    if len(seg) == 1 and _title_key(seg[0].text) in prefixes:
        seg.pop()


def _kind(text: str, i: int, seg: list[_Tok]) -> str:
    letters = [c for c in text if c.isalpha()]
    if _INITIAL_RE.match(text):
        return "initial"
    if len(letters) == 1 and len(text) == 1 and text.isupper():
        return "initial"
    key = text.casefold()
    if key in particles() and i + 1 < len(seg):
        if text == text.lower():
            return "particle"
        if key in _CAP_PARTICLES and i > 0:  # "Al Gore", "De Niro" at the start stay words
            return "particle"
    return "word"


# --------------------------------------------------------------------------------------------
# Features and layout
# --------------------------------------------------------------------------------------------

_TRUST_SCORE = {"strong": 2.0, "medium": 2.0, "weak": 0.5}
# How far a surname ending argues for the surname position: a weak ending (-as, -in) must
# not overturn the default Given Surname order on its own.
_LAYOUT_SCORE = {"strong": 2.0, "medium": 2.0, "weak": 0.4}


def _given_matches(text: str) -> tuple[GivenMatch, ...]:
    """Lexicon matches of a given name; a hyphenated one (Anna-Maria, Jean-Claude) falls back
    to its segments, in order."""
    found = given_name_matches(text)
    if found or "-" not in text:
        return found
    seen: dict[str, GivenMatch] = {}
    for seg in text.split("-"):
        for m in given_name_matches(seg):
            seen.setdefault(m.name.id, m)
    return tuple(seen.values())


def _features(t: _Tok) -> None:
    t.matches = _given_matches(t.text)
    if t.matches:
        t.g = 2.0 if t.matches[0].rank < RANK_LOOSE else 1.0
    t.sur = surname_analysis(t.text)
    if t.sur is not None:
        t.s = _LAYOUT_SCORE[t.sur.trust]
    t.pat = patronymic_ending(t.text)
    if t.pat is not None:
        t.father = patronymic_father(t.text)
        if t.pat.trust == "strong":
            t.p = 3.0
        elif t.father:
            t.p = 2.0
        elif t.pat.trust == "medium":
            t.p = 1.0


def _fit(w: _Tok, role: str) -> float:
    """How well a word fits a role: its evidence for the role, less a penalty when it is plainly
    something else (a known given name with no surname ending in the surname slot, a surname
    with a firm ending in a given-name slot)."""
    if role == "given":
        return w.g - (1.0 if w.g == 0 and w.s >= 2 else 0.0)
    if role == "surname":
        if w.g >= 2:
            strong = w.sur is not None and w.sur.trust == "strong"
            return w.s if strong else w.s - 1.5
        return w.s
    return w.p


def _layout(words: list[_Tok]) -> list[str]:
    """Roles for words with no comma and no upper-case hint, by the best-scoring order."""
    n = len(words)
    if n == 0:
        return []
    if n == 1:
        w = words[0]
        strong_sur = w.sur is not None and w.sur.trust == "strong"
        if w.g >= 2 and not strong_sur:
            return ["given"]
        if w.p >= 3:
            return ["patronymic"]
        if w.sur is not None and w.sur.trust != "weak":
            return ["surname"]
        if w.g > 0:
            return ["given"]
        return ["unknown"]
    last = n - 1
    layouts: list[tuple[float, list[str]]] = [
        (0.5, ["given"] * (n - 1) + ["surname"]),
        (0.0, ["surname"] + ["given"] * (n - 1)),
    ]
    if n >= 3:
        # a patronymic follows the given name: a known given name just before a
        # patronymic-shaped word is strong evidence for that order (Шойгу Сергей Кужугетович)
        if words[n - 2].p > 0:
            bonus = 1.5 if words[n - 3].g >= 2 else 0.0
            layouts.append((0.5 + bonus, ["given"] * (n - 2) + ["patronymic", "surname"]))
        if words[last].p > 0:
            bonus = (1.5 if words[last - 1].g >= 2 else 0.0) + (1.0 if words[0].g == 0 else 0.0)
            layouts.append((0.25 + bonus, ["surname"] + ["given"] * (n - 2) + ["patronymic"]))
    elif words[1].p >= 3:
        layouts.append((1.0, ["given", "patronymic"]))
    cands = [
        (prior + sum(_fit(w, r) for w, r in zip(words, roles, strict=True)), roles)
        for prior, roles in layouts
    ]
    best = cands[0]
    for c in cands[1:]:
        if c[0] > best[0]:
            best = c
    return best[1]


def _given_and_patronymic(words: list[_Tok]) -> list[str]:
    """Roles of the words after the surname is known: given..., patronymic last if it looks
    like one."""
    if not words:
        return []
    roles = ["given"] * len(words)
    if len(words) >= 2 and words[-1].p > 0:
        roles[-1] = "patronymic"
    return roles


def _assign_roles(toks: list[_Tok]) -> None:
    for t in toks:
        if t.kind == "initial":
            t.role = "initial"
        elif t.kind == "particle":
            t.role = "particle"
    words = [t for t in toks if t.kind == "word"]
    if not words:
        return
    # number the non-empty comma segments 0, 1, 2 ... (", , Name" is one segment)
    order = {seg: i for i, seg in enumerate(dict.fromkeys(t.seg for t in toks))}
    for t in toks:
        t.seg = order[t.seg]
    seg0 = [t for t in words if t.seg == 0]
    seg1 = [t for t in words if t.seg == 1]
    extra = [t for t in words if t.seg >= 2]
    for t in extra:
        t.role = "unknown"
    seg1_any = [t for t in toks if t.seg == 1 and t.kind in ("word", "initial")]
    if seg0 and seg1_any:
        list_style = (
            len(seg0) == 1
            or all(t.upper for t in seg0)
            or any(t.kind == "initial" for t in seg1_any)
            or any(t.g >= 2 for t in seg1)
        )
        if list_style:
            for t in seg0:
                t.role = "surname"
            for t, r in zip(seg1, _given_and_patronymic(seg1), strict=True):
                t.role = r
            return
        for t in seg1:
            t.role = "unknown"
        words = seg0
    elif not seg0:
        first = min(t.seg for t in words)
        words = [t for t in words if t.seg == first]
        for t in words:
            t.role = "unknown"
    else:
        words = seg0
    has_initials = any(t.kind == "initial" for t in toks)
    caps = [t for t in words if t.upper]
    if caps and len(caps) < len(words):
        rest = [t for t in words if not t.upper]
        for t in caps:
            t.role = "surname"
        for t, r in zip(rest, _given_and_patronymic(rest), strict=True):
            t.role = r
        return
    if len(words) == 1 and has_initials:
        words[0].role = "surname"
        return
    for t, r in zip(words, _layout(words), strict=True):
        t.role = r


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

_LT_LETTERS = set("ėįųū")
_LT_PL_LETTERS = set("ąę")
_PL_LETTERS = set("łż")
_PL_BE_LETTERS = set("śźćń")
_CARON = set("čšž")
_EAST_SLAVIC = set("абвгдеёжзийклмнопрстуўфхцчшщъыьэюяіїєґ")
_CYR_LETTER_VOTES = {
    "ў": {"be": 3.0},
    "і": {"be": 1.0, "uk": 1.0},
    "ї": {"uk": 3.0},
    "є": {"uk": 3.0},
    "ґ": {"uk": 3.0},
    "ы": {"be": 1.0, "ru": 1.0},
    "э": {"be": 1.0, "ru": 1.0},
    "ё": {"ru": 1.0, "be": 1.0},
    "ъ": {"ru": 3.0},
    "и": {"ru": 1.0, "uk": 1.0},
    "щ": {"ru": 1.0, "uk": 1.0},
}
_LT_MASCULINE = re.compile(r"[^aeiouy](as|is|ys|us|ius)$")
_BE_LATIN_MARKERS = (
    (re.compile(r"dz(?!h)"), 1.0),
    (re.compile(r"(shch|šč)y"), 3.0),
    (re.compile(r"[aeo]usk"), 0.5),
)


def _add(votes: dict[str, float], langs: Iterable[str], weight: float) -> None:
    langs = [lang for lang in langs if lang in _TIE_ORDER]
    if not langs:
        return
    for lang in langs:
        votes[lang] = votes.get(lang, 0.0) + weight / len(langs)


def _guess_language(text: str, script: str, toks: list[_Tok]) -> str:
    votes: dict[str, float] = {}
    low = text.lower()
    allowed: tuple[str, ...] = _TIE_ORDER
    if script == "Cyrl":
        cyr = "".join(c for c in low if "\u0400" <= c <= "\u052f")
        if set(cyr) - _EAST_SLAVIC:
            return "other"  # Serbian ћ, Kazakh қ, Mongolian ү ...
        langs = cyrillic_languages(cyr)
        if len(langs) == 1:
            return next(iter(langs))
        if langs:
            allowed = tuple(lang for lang in _TIE_ORDER if lang in langs)
        else:
            for ch in set(cyr):
                for lang, w in _CYR_LETTER_VOTES.get(ch, {}).items():
                    votes[lang] = votes.get(lang, 0.0) + w
            allowed = ("ru", "be", "uk")
    elif script == "Latn":
        letters = set(low)
        if letters & _LT_LETTERS:
            _add(votes, ["lt"], 3.0)
        if letters & _LT_PL_LETTERS:
            _add(votes, ["lt", "pl"], 3.0)
        if letters & _PL_LETTERS:
            _add(votes, ["pl"], 3.0)
        if "ó" in letters:
            _add(votes, ["pl"], 1.0)
        if letters & _PL_BE_LETTERS:
            _add(votes, ["pl", "be"], 2.0)
        if "ŭ" in letters:
            _add(votes, ["be"], 3.0)
        if letters & _CARON:
            _add(votes, ["lt", "be"], 1.0)
        if re.search(r"szcz|cz|sz", low):
            _add(votes, ["pl"], 1.0)
        for rx, w in _BE_LATIN_MARKERS:
            if rx.search(low):
                _add(votes, ["be"], w)
    else:
        return "other"
    given_votes: dict[str, float] = {}
    words = [t for t in toks if t.kind == "word"]
    if len(words) >= 2 and all(_LT_MASCULINE.search(t.text.lower()) for t in words):
        _add(votes, ["lt"], 1.5)  # Donaldas Trumpas: Lithuanian endings on every word
    for t in toks:
        if t.kind != "word":
            continue
        if t.role == "given" and t.matches:
            best = t.matches[0].rank
            langs: set[str] = set()
            for m in t.matches:
                if m.rank == best:
                    langs |= m.languages
            weight = 2.0 if best < RANK_LOOSE else 1.0
            if is_international_form(t.text):
                weight = 0.5
            if best % RANK_LOOSE == RANK_ADAPTED or (
                "lt" in langs and re.search(r"(as|is|us|ys)$", t.text.lower())
            ):
                _add(votes, ["lt"], 3.0)
            _add(votes, sorted(langs), weight)
            _add(given_votes, sorted(langs), weight)
        elif t.role == "surname" and t.sur is not None:
            _add(votes, t.sur.languages, _TRUST_SCORE[t.sur.trust])
        elif t.role == "patronymic" and t.pat is not None:
            _add(votes, t.pat.languages, 2.0)
    votes = {k: v for k, v in votes.items() if k in allowed and v > 0}
    if not votes:
        return allowed[0] if script == "Cyrl" else "other"
    top = max(votes.values())
    if script == "Latn" and top < 1.0:
        return "other"
    tied = [lang for lang in allowed if votes.get(lang) == top]
    # A tie is broken by the given names (Volha Kavalkova: Volha is a Belarusian form, -ova is
    # shared), then by the fixed order ru, be, uk, lt, pl.
    return max(tied, key=lambda lang: (given_votes.get(lang, 0.0), -tied.index(lang)))


# --------------------------------------------------------------------------------------------
# Gender
# --------------------------------------------------------------------------------------------


def _part_gender(t: _Tok, language: str) -> tuple[str | None, str]:
    """(gender, trust) that this part is evidence of."""
    if t.role == "patronymic" and t.pat is not None:
        return t.pat.gender, "strong"
    if t.role == "surname" and t.sur is not None:
        if language == "lt" and t.sur.trust == "weak":
            sur = surname_analysis(t.text, language)
            if sur is not None:
                t.sur = sur
        return t.sur.gender, t.sur.trust
    if t.role == "given" and t.matches:
        # a romanised diminutive (Viťa -> "Vita") or a generated form is not evidence of gender
        firm = [m for m in t.matches if m.rank % RANK_LOOSE <= RANK_ROMANISED]
        genders = {m.name.gender for m in firm}
        if len(genders) == 1:
            return genders.pop(), "medium"
    return None, ""


def _combine(evidence: list[tuple[str, str, str]]) -> str | None:
    """evidence: (source, gender, trust) in order of trust (patronymic, surname, given)."""
    firm = {g for _src, g, trust in evidence if trust in ("strong", "medium")}
    if firm:
        return firm.pop() if len(firm) == 1 else None
    weak = {g for _src, g, _trust in evidence}
    return weak.pop() if len(weak) == 1 else None


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

_MAX_TOKENS = 64


def parse(text: str) -> Name:
    """Parse a personal name. Never raises on a string; an empty string gives no parts."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    original = text
    norm = unicodedata.normalize("NFC", text)
    norm = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in norm)
    script = detect_script(norm)
    toks = _tokenise(norm)
    overflow = toks[_MAX_TOKENS:]
    toks = toks[:_MAX_TOKENS]
    for t in toks:
        if t.kind == "word":
            _features(t)
    _assign_roles(toks)
    language = _guess_language(norm, script, toks)
    parts: list[NamePart] = []
    evidence: list[tuple[str, str, str]] = []
    for t in toks:
        gender, trust = _part_gender(t, language) if t.kind == "word" else (None, "")
        if gender:
            evidence.append((t.role, gender, trust))
            shown = gender if trust in ("strong", "medium") else None
        else:
            shown = None
        classes: tuple[str, ...] = ()
        if t.role == "given":
            classes = tuple(m.name.id for m in t.matches)
        elif t.role == "patronymic":
            classes = tuple(gn.id for gn in t.father)
        stem = marital = None
        if t.role == "surname":
            if t.sur is not None:
                stem, marital = t.sur.stem, t.sur.marital
            else:
                stem = t.text
        parts.append(NamePart(t.text, t.role, shown, classes, stem, marital))
    for t in overflow:
        parts.append(NamePart(t.text, "unknown"))
    gender = _combine(evidence)
    notes = tuple(f"{role}: {g} ({trust})" for role, g, trust in evidence)
    return Name(original, script, language, tuple(parts), gender, notes)
