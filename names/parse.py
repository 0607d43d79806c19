"""Parse a personal name: parts, their roles, gender and a guessed language.

``parse("Лукашенко Александр Григорьевич")`` gives three parts, surname / given /
patronymic, gender m (from the patronymic), language ru. The parser reads:

- order: ``Given Surname``, ``Given Patronymic Surname``, ``Surname Given Patronymic``
  (official Russian / Belarusian order), list style ``SURNAME, Given Patronymic`` and an
  upper-case ``SURNAME Given``;
- initials with or without dots (``A. G. Lukashenko``, ``Lukashenko A.G.``, ``Лукашенко А. Г.``);
- double-barrelled surnames and particles (``Simutytė-Gaidienė``, ``van der Bellen``);
- honorifics and titles, which are dropped (Mr, Dr, Pres., г-н, спадар, ponas);
- legal forms of organisations, which are taken off and recorded in ``legal_form`` (ОАО «Гродно
  Азот», Grodno Azot OJSC, Belaruskali, OAO, UAB „Maxima LT“), and organisations' names (a legal
  form or a word such as bank, завод, universitetas): ``organisation`` is set, bracketed text is
  kept, dotted letters are one word (A.B.C.) and stopwords (the, of, и) are left out;
- patronymics in every script (-ovich, -evna, -ічна, Belarusian -avich / -aŭna, German
  -owitsch, Polish -owicz ...).

Gender comes from the patronymic, the surname's ending and the given name's lexicon entry, in
that order of trust; it is None when the text gives no evidence or the evidence conflicts.

Bracketed text (aliases in sanctions lists) is ignored; text after a second comma is kept as
parts of role ``unknown``. Parsing never raises on a string and is deterministic.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from names.lexicon import (
    RANK_ADAPTED,
    RANK_LOOSE,
    RANK_ROMANISED,
    GivenMatch,
    GivenName,
    SurnameForm,
    cyrillic_languages,
    given_name_matches,
    honorifics,
    is_international_form,
    legal_forms,
    name_suffixes,
    on_clear_caches,
    organisation_words,
    particles,
    patronymic_ending,
    patronymic_father,
    placeholders,
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
    the gender (None when unknown). ``legal_form`` is the class id (rules/lexicon/
    legal-forms.toml) of a legal form taken off the name, else None; ``organisation`` is true
    for an organisation's name (by its legal form or its words)."""

    text: str
    script: str
    language: str
    parts: tuple[NamePart, ...] = ()
    gender: str | None = None
    evidence: tuple[str, ...] = field(default=(), compare=False)
    legal_form: str | None = None
    organisation: bool = False

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
            **({"legal_form": self.legal_form} if self.legal_form else {}),
            **({"organisation": True} if self.organisation else {}),
        }


def name_to_json(name: Name | str) -> dict:
    """The JSON object ``onomast parse`` prints for one input line."""
    if not isinstance(name, Name):
        name = parse(name)
    return name.to_dict()


# --------------------------------------------------------------------------------------------
# Memos
# --------------------------------------------------------------------------------------------

# Words repeat far more than names (a million names hold some 150,000 distinct words), so what
# the parser learns of a chunk of text or a word is kept per text, in bounded memos; role
# assignment is kept per shape of name (see _roles).
_MEMO_SIZE = 1 << 18


def _clear_memos() -> None:
    """Forget every memo (lexicon.clear_caches() calls this: words hold lexicon lookups)."""
    for memo in (
        _chunk_script,
        _chunk_words,
        _word,
        _roles,
        _tally,
        _shares,
        _with_lithuanian,
        _votes_by_role,
        _scores,
        _evidence,
        _combine,
        _legal_phrases,
    ):
        memo.cache_clear()


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """NFC, with every control, format and separator character (category C or Z) a space."""
    text = unicodedata.normalize("NFC", text)  # returns text itself when it is NFC already
    if text.isprintable():  # no character of category C or Z but the space
        return text
    return "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)


_ASCII_LETTER = re.compile(r"[A-Za-z]")


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _chunk_script(chunk: str) -> str:
    return detect_script(chunk)


def _script(text: str) -> str:
    """detect_script(text), for a normalised text, from the scripts of its chunks between
    spaces (the script of a text depends only on the set of scripts of its letters)."""
    if text.isascii():
        return "Latn" if _ASCII_LETTER.search(text) else "none"
    found = set(map(_chunk_script, text.split()))
    found.discard("none")
    if not found:
        return "none"
    return found.pop() if len(found) == 1 else "mixed"


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

_INITIAL_RE = re.compile(r"^[^\W\d_]{1,2}\.$")
_CAP_PARTICLES = frozenset(
    "van von de der den di da du des del della ter ten zu al el bin ibn la le dos das".split()
)
_TRUST_SCORE = {"strong": 2.0, "medium": 2.0, "weak": 0.5}
# How far a surname ending argues for the surname position: a weak ending (-as, -in) must
# not overturn the default Given Surname order on its own.
_LAYOUT_SCORE = {"strong": 2.0, "medium": 2.0, "weak": 0.4}
# A Slavic patronymic as Lithuanian documents write it, with a masculine ending (Leanidavičius,
# Aleksandrovičius): the patronymic's shape once -ius is off
_LT_PATRONYMIC = re.compile(r"vičius$", re.IGNORECASE)
_LT_MASCULINE = re.compile(r"[^aeiouy](as|is|ys|us|ius)$")
_LT_GIVEN_ENDING = re.compile(r"(as|is|us|ys)$")

# A vote for languages: (language, weight) pairs, a weight shared among the languages.
_Votes = tuple[tuple[str, float], ...]
# Evidence of gender: (role, gender, trust).
_Evidence = tuple[str, str, str]


class _Scores(NamedTuple):
    """A word's evidence for being a given name, a surname, a patronymic, and the trust of its
    surname ending (None when it has none): all that the layout of a name looks at."""

    g: float
    s: float
    p: float
    trust: str | None


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _title_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).rstrip(".").casefold()


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


# The values below are shared by the many words that vote alike (few values, many words).


@functools.lru_cache(maxsize=1 << 12)
def _shares(langs: tuple[str, ...], weight: float) -> _Votes:
    """A vote of ``weight`` shared among those of ``langs`` that are guessed at all."""
    guessed = [lang for lang in langs if lang in _TIE_ORDER]
    return tuple((lang, weight / len(guessed)) for lang in guessed)


@functools.lru_cache(maxsize=1 << 12)
def _with_lithuanian(shares: _Votes) -> _Votes:
    """A given name's votes with the vote for a Lithuanian form before them."""
    return _shares(("lt",), 3.0) + shares


@functools.lru_cache(maxsize=1 << 12)
def _votes_by_role(
    given: _Votes | None, surname: _Votes | None, patronymic: _Votes | None
) -> dict[str, _Votes]:
    """A word's votes by role (None: none in that role); the dict is shared, never changed."""
    by_role = {"given": given, "surname": surname, "patronymic": patronymic}
    return {role: votes for role, votes in by_role.items() if votes is not None}


_scores = functools.lru_cache(maxsize=1 << 12)(_Scores)


@functools.lru_cache(maxsize=1 << 12)
def _evidence(role: str, gender: str, trust: str) -> tuple[_Evidence, str]:
    """Evidence of gender and its note."""
    return (role, gender, trust), f"{role}: {gender} ({trust})"


def _add(votes: dict[str, float], shares: _Votes) -> None:
    for lang, weight in shares:
        votes[lang] = votes.get(lang, 0.0) + weight


class _Word:
    """What the parser knows of one word, wherever it stands in a name: how it tokenises
    (title, initial, particle, upper case), its lexicon features and scores, its votes for a
    language by role and, filled as they are met, its NamePart and gender evidence by role."""

    __slots__ = (
        "text",
        "key",
        "legal",
        "org",
        "stop",
        "pair",
        "prefix",
        "suffix",
        "placeholder",
        "initial",
        "particle",
        "upper",
        "matches",
        "sur",
        "pat",
        "father",
        "scores",
        "lt_masculine",
        "votes",
        "given_votes",
        "parts",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.key = key = _title_key(text)
        # 1: the first word of some legal form, 2: the last word of one (3: both)
        self.legal = _legal_phrases()[2].get(key, 0)
        org_words, stopwords = organisation_words()
        self.org = key in org_words
        self.stop = key in stopwords
        # two capitals (ВВ, AG, JC): initials written without dots, or a short word
        self.pair = len(text) == 2 and text.isalpha() and text.isupper()
        self.prefix = key in honorifics()
        self.suffix = key in name_suffixes()
        anywhere, lower = placeholders()
        self.placeholder = key in anywhere or (key in lower and text == text.lower())
        self.initial = bool(_INITIAL_RE.match(text)) or (
            len(text) == 1 and text.isalpha() and text.isupper()
        )
        # 1: a lower-case particle; 2: a capitalised one (Van, De): a particle before a word
        self.particle = 0
        if text.casefold() in particles():
            if text == text.lower():
                self.particle = 1
            elif text.casefold() in _CAP_PARTICLES:
                self.particle = 2
        self.upper = _is_upper(text)
        self.matches = _given_matches(text)
        self.sur = surname_analysis(text)
        self.pat = patronymic_ending(text)
        self.father: tuple[GivenName, ...] = ()
        g = s = p = 0.0
        if self.matches:
            g = 2.0 if self.matches[0].rank < RANK_LOOSE else 1.0
        if self.sur is not None:
            s = _LAYOUT_SCORE[self.sur.trust]
        if self.pat is not None:
            self.father = patronymic_father(text)
            if self.pat.trust == "strong":
                p = 3.0
            elif self.father:
                p = 2.0
            elif self.pat.trust == "medium":
                p = 1.0
        elif _LT_PATRONYMIC.search(text) and patronymic_ending(text[:-3]) is not None:
            p = 1.0  # a Slavic patronymic as Lithuanian documents write it (Leanidavičius)
        self.scores = _scores(g, s, p, None if self.sur is None else self.sur.trust)
        self.lt_masculine = bool(_LT_MASCULINE.search(text.lower()))
        self._votes()
        self.parts: dict[str, tuple[NamePart, tuple[_Evidence, str] | None]] = {}

    def _votes(self) -> None:
        """Votes for a language of the word as a given name, a surname and a patronymic."""
        given = surname = patronymic = None
        self.given_votes: _Votes = ()
        if self.matches:
            best = self.matches[0].rank
            langs: set[str] = set()
            for m in self.matches:
                if m.rank == best:
                    langs |= m.languages
            weight = 2.0 if best < RANK_LOOSE else 1.0
            if is_international_form(self.text):
                weight = 0.5
            self.given_votes = _shares(tuple(sorted(langs)), weight)
            lithuanian = best % RANK_LOOSE == RANK_ADAPTED or (
                "lt" in langs and _LT_GIVEN_ENDING.search(self.text.lower())
            )
            given = _with_lithuanian(self.given_votes) if lithuanian else self.given_votes
        if self.sur is not None:
            surname = _shares(tuple(self.sur.languages), _TRUST_SCORE[self.sur.trust])
        if self.pat is not None:
            patronymic = _shares(tuple(self.pat.languages), 2.0)
        self.votes = _votes_by_role(given, surname, patronymic)


_word = functools.lru_cache(maxsize=_MEMO_SIZE)(_Word)


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------

_BRACKETED = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?|\{[^{}]*\}?")
_EDGE = " \t\"'«»“”„‚‘’`()[]{}<>!?:*/\\|_#@&+=~^"
_DASHES = {"-", "‐", "‑", "–", "—"}
_DASH_CHARS = "".join(_DASHES)
_SEGMENT_SPLIT = re.compile(r"[,;]")
_PIECE_RE = re.compile(r"[^.]+\.?")

# A token as role assignment sees it: (comma segment, kind, upper case, scores); the kind is
# word, initial or particle, the segments of a name are numbered 0, 1, 2 ...
_Shape = tuple[int, str, bool, _Scores]


def _clean(chunk: str) -> str:
    return chunk.strip(_EDGE).strip(_DASH_CHARS)


def _split_chunk(chunk: str) -> list[str]:
    """'A.G.Lukashenko' -> ['A.', 'G.', 'Lukashenko']; other chunks unchanged."""
    if "." not in chunk.rstrip("."):
        return [chunk]
    return [p for p in _PIECE_RE.findall(chunk) if p.strip(".")]


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _chunk_words(chunk: str) -> tuple[_Word, ...] | None:
    """The words of a chunk of text between spaces, cleaned; None for a lone dash."""
    if chunk in _DASHES:
        return None
    pieces = (_clean(p) for p in _split_chunk(chunk))
    return tuple(_word(p) for p in pieces if p and any(c.isalnum() for c in p))


def _segment_words(seg: str) -> list[_Word]:
    """The words of a comma segment; the words around a lone dash are joined into one
    ('Simutytė - Gaidienė' -> 'Simutytė-Gaidienė')."""
    words: list[_Word] = []
    pending_join = False
    for chunk in seg.split():
        found = _chunk_words(chunk)
        if found is None:
            pending_join = bool(words)
            continue
        for w in found:
            if pending_join and words:
                words[-1] = _word(words[-1].text + "-" + w.text)
            else:
                words.append(w)
            pending_join = False
    return words


def _piece_keys(text: str) -> tuple[str, ...]:
    """The words of a text as _title_key() sees them after tokenising (no _Word is made)."""
    pieces = (_clean(p) for chunk in text.split() for p in _split_chunk(chunk))
    return tuple(_title_key(p) for p in pieces if p and any(c.isalnum() for c in p))


@functools.lru_cache(maxsize=1)
def _legal_phrases() -> tuple[
    dict[str, tuple[tuple[tuple[str, ...], str], ...]],
    dict[str, tuple[tuple[tuple[str, ...], str], ...]],
    dict[str, int],
    frozenset[str],
]:
    """The legal forms as runs of word keys, by their first word and by their last word
    (longest first, each with its class id), the flags _Word.legal reads and the classes of
    organisations' forms (all but a sole trader's)."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    by_last: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    flags: dict[str, int] = {}
    for cls in legal_forms():
        for form in cls.forms:
            keys = _piece_keys(_normalise(form))
            if not keys:
                continue
            by_first.setdefault(keys[0], []).append((keys, cls.id))
            by_last.setdefault(keys[-1], []).append((keys, cls.id))
            flags[keys[0]] = flags.get(keys[0], 0) | 1
            flags[keys[-1]] = flags.get(keys[-1], 0) | 2

    def longest_first(
        table: dict[str, list[tuple[tuple[str, ...], str]]],
    ) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
        return {k: tuple(sorted(v, key=lambda item: -len(item[0]))) for k, v in table.items()}

    organisations = frozenset(c.id for c in legal_forms() if not c.person)
    return longest_first(by_first), longest_first(by_last), flags, organisations


def _legal_run(words: list[_Word], lo: int, hi: int, at_end: bool) -> tuple[int, str | None]:
    """The length and class of the longest legal form at the start (or the end) of
    words[lo:hi], or (0, None)."""
    by_first, by_last, _, _ = _legal_phrases()
    edge = words[hi - 1] if at_end else words[lo]
    for keys, cid in (by_last if at_end else by_first).get(edge.key, ()):
        n = len(keys)
        if n > hi - lo:
            continue
        run = words[hi - n : hi] if at_end else words[lo : lo + n]
        if all(w.key == k for w, k in zip(run, keys, strict=True)):
            if edge.pair and n == 1 and (at_end or cid in _legal_phrases()[3]):
                # AG, AB, АО: a person's initials beside a word with a person's ending
                # (Lukashenko AG, Иванов АО, Иванов ИП); a sole trader's ИП comes first
                rest = words[lo : hi - 1] if at_end else words[lo + 1 : hi]
                if any(_personal(w) for w in rest):
                    return 0, None
            return n, cid
    return 0, None


def _personal(w: _Word) -> bool:
    """A word that argues for a person: a known given name, a surname ending, a patronymic."""
    return w.scores.g >= 2 or w.scores.s > 0 or w.scores.p > 0


def _undotted_initials(words: list[_Word]) -> list[_Word]:
    """Two capitals beside a person's name are initials without dots (Путин ВВ, JC Juncker:
    В. В., J. C.): where another word is written in lower case or has a person's ending, and
    the pair is no given name the lexicon knows."""
    rest = [w for w in words if not w.pair]
    if not rest or not any((not w.upper and not w.initial) or _personal(w) for w in rest):
        return words
    out: list[_Word] = []
    for w in words:
        if w.pair and w.scores.g < 2:
            out.extend((_word(w.text[0] + "."), _word(w.text[1] + ".")))
        else:
            out.append(w)
    return out


_BRACKETS = re.compile(r"[()\[\]{}]")


def _organisation_words(words: list[_Word]) -> list[_Word]:
    """An organisation's words: a run of dotted letters as one word (A.B.C. -> ABC) and the
    stopwords left out (unless nothing else is left)."""
    out: list[_Word] = []
    letters: list[_Word] = []
    for w in [*words, None]:
        if w is not None and w.initial and w.text.endswith("."):
            letters.append(w)
            continue
        if len(letters) > 1:
            out.append(_word("".join(x.text.rstrip(".") for x in letters)))
        else:
            out.extend(letters)
        letters = []
        if w is not None:
            out.append(w)
    kept = [w for w in out if not w.stop]
    return kept or out


def _tokenise(
    text: str, organisation: bool = False
) -> tuple[list[_Word], list[_Shape], str | None]:
    """The words of a name, bracketed text (but an organisation's), titles and legal forms
    dropped, their shapes and the class of the first legal form dropped. A comma segment left
    with no word is not counted."""
    if "(" in text or "[" in text or "{" in text:
        text = (_BRACKETS if organisation else _BRACKETED).sub(" ", text)
    if organisation and "&" in text:
        text = text.replace("&", " ")  # AT&T = AT and T
    segments = _SEGMENT_SPLIT.split(text) if "," in text or ";" in text else [text]
    words: list[_Word] = []
    shape: list[_Shape] = []
    seg_no = 0
    legal: str | None = None
    for k, seg in enumerate(segments):
        found = _segment_words(seg)
        lo, hi = 0, len(found)
        if found and (found[0].legal & 1 or found[-1].legal & 2):
            # a legal form before or after an organisation's name; a comma segment that is
            # only a legal form (Belaruskali, OAO) is dropped, unless it comes first
            n, cid = _legal_run(found, lo, hi, False) if found[lo].legal & 1 else (0, None)
            if n == hi - lo and k > 0:
                legal = legal or cid
                continue
            while True:  # Tactical Missiles Corporation Joint Stock Company: both come off
                stripped = 0 < n < hi - lo
                if stripped:
                    lo += n
                    legal = legal or cid
                n, cid = _legal_run(found, lo, hi, True) if found[hi - 1].legal & 2 else (0, None)
                if 0 < n < hi - lo:
                    hi -= n
                    legal = legal or cid
                    stripped = True
                if not stripped:
                    break
                n, cid = _legal_run(found, lo, hi, False) if found[lo].legal & 1 else (0, None)
        # honorifics before the name, suffixes after it, a lone honorific
        while hi - lo > 1 and found[lo].prefix:
            lo += 1
        while hi - lo > 1 and found[hi - 1].suffix:
            hi -= 1
        if hi - lo == 1 and found[lo].prefix:
            lo = hi
        if hi - lo > 1 and any(w.placeholder for w in found[lo:hi]):
            found = [w for w in found[lo:hi] if not w.placeholder] or found[lo:hi]
            lo, hi = 0, len(found)
        if lo == hi:
            continue
        if organisation:
            kept = _organisation_words(found[lo:hi])
        else:
            kept = found[lo:hi]
            if hi - lo > 1 and any(map(_IS_PAIR, kept)):
                kept = _undotted_initials(kept)
        last = len(kept) - 1
        for i, w in enumerate(kept):
            if w.initial:
                kind = "initial"
            elif w.particle and i < last and (w.particle == 1 or i > 0):
                kind = "particle"  # "Al Gore", "De Niro" at the start stay words
            else:
                kind = "word"
            words.append(w)
            shape.append((seg_no, kind, kind == "word" and w.upper, w.scores))
        seg_no += 1
    return words, shape, legal


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


def _fit(w: _Scores, role: str) -> float:
    """How well a word fits a role: its evidence for the role, less a penalty when it is plainly
    something else (a known given name with no surname ending in the surname slot, a surname
    with a firm ending in a given-name slot)."""
    if role == "given":
        return w.g - (1.0 if w.g == 0 and w.s >= 2 else 0.0)
    if role == "surname":
        if w.g >= 2:
            return w.s if w.trust == "strong" else w.s - 1.5
        return w.s
    return w.p


def _layout(words: list[_Scores]) -> list[str]:
    """Roles for words with no comma and no upper-case hint, by the best-scoring order."""
    n = len(words)
    if n == 0:
        return []
    if n == 1:
        w = words[0]
        if w.g >= 2 and w.trust != "strong":
            return ["given"]
        if w.p >= 3:
            return ["patronymic"]
        if w.trust is not None and w.trust != "weak":
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
        # two surnames (a woman's maiden and married ones, a Polish or Spanish double surname)
        # written apart: a word with a firm surname ending and nothing of a given name or a
        # patronymic beside the surname (Ingrida Simutytė Gaidienė, Simutytė Gaidienė Ingrida)
        if _second_surname(words[n - 2]):
            layouts.append((0.5, ["given"] * (n - 2) + ["surname", "surname"]))
        if _second_surname(words[1]) and words[0].s > 0:
            layouts.append((0.0, ["surname", "surname"] + ["given"] * (n - 2)))
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


def _second_surname(w: _Scores) -> bool:
    """Whether a word beside a surname is a second surname: a firm surname ending, and no
    given name or patronymic it could be instead."""
    return w.trust == "strong" and w.g == 0 and w.p == 0


def _given_and_patronymic(words: list[_Scores]) -> list[str]:
    """Roles of the words after the surname is known: given..., patronymic last if it looks
    like one."""
    if not words:
        return []
    roles = ["given"] * len(words)
    if len(words) >= 2 and words[-1].p > 0:
        roles[-1] = "patronymic"
    return roles


@functools.lru_cache(maxsize=1 << 16)
def _roles(shape: tuple[_Shape, ...]) -> tuple[str, ...]:
    """The role of every token of a name, from the tokens' shapes (names of one shape, and
    there are few shapes, get the same roles). Initials and particles have their kind as
    role."""
    if not shape:
        return ()
    segs, kinds, upper, scores = (list(column) for column in zip(*shape, strict=True))
    roles = ["unknown" if kind == "word" else kind for kind in kinds]

    def assign(at: list[int], given: list[str]) -> tuple[str, ...]:
        for i, role in zip(at, given, strict=True):
            roles[i] = role
        return tuple(roles)

    words = [i for i, kind in enumerate(kinds) if kind == "word"]
    if not words:
        return tuple(roles)
    seg0 = [i for i in words if segs[i] == 0]
    seg1 = [i for i in words if segs[i] == 1]
    seg1_any = [i for i, kind in enumerate(kinds) if segs[i] == 1 and kind in ("word", "initial")]
    if seg0 and seg1_any:
        list_style = (
            len(seg0) == 1
            or all(upper[i] for i in seg0)
            or any(kinds[i] == "initial" for i in seg1_any)
            or any(scores[i].g >= 2 for i in seg1)
        )
        if list_style:
            for i in seg0:
                roles[i] = "surname"
            return assign(seg1, _given_and_patronymic([scores[i] for i in seg1]))
        words = seg0  # the words after the first comma stay unknown
    elif not seg0:
        first = min(segs[i] for i in words)
        words = [i for i in words if segs[i] == first]
    else:
        words = seg0
    caps = [i for i in words if upper[i]]
    if caps and len(caps) < len(words):
        rest = [i for i in words if not upper[i]]
        for i in caps:
            roles[i] = "surname"
        return assign(rest, _given_and_patronymic([scores[i] for i in rest]))
    if len(words) == 1 and "initial" in kinds:
        return assign(words, ["surname"])
    return assign(words, _layout([scores[i] for i in words]))


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

_LT_LETTERS = frozenset("ėįųū")
_LT_PL_LETTERS = frozenset("ąę")
_PL_LETTERS = frozenset("łż")
_PL_BE_LETTERS = frozenset("śźćń")
_CARON = frozenset("čšž")
_EAST_SLAVIC = frozenset("абвгдеёжзийклмнопрстуўфхцчшщъыьэюяіїєґ")
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u052f]+")
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
# Latin letters that vote for languages (none is ASCII): (letters, votes).
_LATIN_LETTER_VOTES = (
    (_LT_LETTERS, _shares(("lt",), 3.0)),
    (_LT_PL_LETTERS, _shares(("lt", "pl"), 3.0)),
    (_PL_LETTERS, _shares(("pl",), 3.0)),
    (frozenset("ó"), _shares(("pl",), 1.0)),
    (_PL_BE_LETTERS, _shares(("pl", "be"), 2.0)),
    (frozenset("ŭ"), _shares(("be",), 3.0)),
    (_CARON, _shares(("lt", "be"), 1.0)),
)
_PL_DIGRAPH_VOTES = _shares(("pl",), 1.0)  # cz, sz, szcz
# Belarusian spellings: (what a match contains, pattern, votes).
_BE_LATIN_MARKERS = (
    ("dz", re.compile(r"dz(?!h)"), _shares(("be",), 1.0)),
    ("y", re.compile(r"(shch|šč)y"), _shares(("be",), 3.0)),
    ("usk", re.compile(r"[aeo]usk"), _shares(("be",), 0.5)),
)
_LT_ENDINGS_VOTES = _shares(("lt",), 1.5)


def _guess_language(text: str, script: str, words: list[_Word], roles: tuple[str, ...]) -> str:
    """be, ru, uk, lt, pl or other, from the letters of the text and the words in their roles."""
    low = text.lower()
    allowed: tuple[str, ...] = _TIE_ORDER
    votes: list[_Votes] = []  # the votes, in the order they count
    if script == "Cyrl":
        cyr = _NOT_CYRILLIC.sub("", low)
        if not _EAST_SLAVIC.issuperset(cyr):
            return "other"  # Serbian ћ, Kazakh қ, Mongolian ү ...
        langs = cyrillic_languages(cyr)
        if len(langs) == 1:
            return next(iter(langs))
        if langs:
            allowed = tuple(lang for lang in _TIE_ORDER if lang in langs)
        else:
            # (whole-number weights: their sum is exact in any order)
            for ch in sorted(set(cyr)):
                found = _CYR_LETTER_VOTES.get(ch)
                if found:
                    votes.append(tuple(found.items()))
            allowed = ("ru", "be", "uk")
    elif script == "Latn":
        if not low.isascii():
            letters = set(low)
            for group, shares in _LATIN_LETTER_VOTES:
                if not letters.isdisjoint(group):
                    votes.append(shares)
        if "cz" in low or "sz" in low:
            votes.append(_PL_DIGRAPH_VOTES)
        for hint, rx, shares in _BE_LATIN_MARKERS:
            if hint in low and rx.search(low):
                votes.append(shares)
    else:
        return "other"
    word_votes: list[_Votes] = []
    given_votes: list[_Votes] = []
    voters = 0  # the word tokens: initials and particles are the only tokens with those roles
    lt_endings = True
    for w, role in zip(words, roles, strict=True):
        if role == "initial" or role == "particle":
            continue
        voters += 1
        lt_endings = lt_endings and w.lt_masculine
        shares = w.votes.get(role)
        if shares:
            word_votes.append(shares)
            if role == "given":
                given_votes.append(w.given_votes)
    if voters >= 2 and lt_endings:
        votes.append(_LT_ENDINGS_VOTES)  # Donaldas Trumpas: Lithuanian endings on every word
    return _tally(script, allowed, tuple(votes + word_votes), tuple(given_votes))


@functools.lru_cache(maxsize=1 << 16)
def _tally(
    script: str, allowed: tuple[str, ...], votes: tuple[_Votes, ...], given: tuple[_Votes, ...]
) -> str:
    """The language _guess_language settles on from the votes it gathered (few distinct
    combinations among many names: each is worked out once)."""
    total: dict[str, float] = {}
    for shares in votes:
        _add(total, shares)
    given_total: dict[str, float] = {}
    for shares in given:
        _add(given_total, shares)
    total = {k: v for k, v in total.items() if k in allowed and v > 0}
    if not total:
        return allowed[0] if script == "Cyrl" else "other"
    top = max(total.values())
    if script == "Latn" and top < 1.0:
        return "other"
    tied = [lang for lang in allowed if total.get(lang) == top]
    if len(tied) == 1:
        return tied[0]
    # A tie is broken by the given names (Volha Kavalkova: Volha is a Belarusian form, -ova is
    # shared), then by the fixed order ru, be, uk, lt, pl.
    return max(tied, key=lambda lang: (given_total.get(lang, 0.0), -tied.index(lang)))


# --------------------------------------------------------------------------------------------
# Parts and gender
# --------------------------------------------------------------------------------------------


def _part_gender(w: _Word, role: str, language: str) -> tuple[str | None, str, SurnameForm | None]:
    """(gender, trust) that a word in a role is evidence of, and its surname analysis."""
    sur = w.sur
    if role == "patronymic" and w.pat is not None:
        return w.pat.gender, "strong", sur
    if role == "surname" and sur is not None:
        if language == "lt" and sur.trust == "weak":
            found = surname_analysis(w.text, language)
            if found is not None:
                sur = found
        return sur.gender, sur.trust, sur
    if role == "given" and w.matches:
        # a romanised diminutive (Viťa -> "Vita") or a generated form is not evidence of gender
        firm = [m for m in w.matches if m.rank % RANK_LOOSE <= RANK_ROMANISED]
        genders = {m.name.gender for m in firm}
        if len(genders) == 1:
            return genders.pop(), "medium", sur
    return None, "", sur


def _part(w: _Word, role: str, language: str) -> tuple[NamePart, tuple[_Evidence, str] | None]:
    """The NamePart of a word in a role and the gender evidence it gives, with its note, if any
    (memoised on the word: only a surname in a Lithuanian name depends on the language)."""
    key = "surname/lt" if role == "surname" and language == "lt" else role
    found = w.parts.get(key)
    if found is not None:
        return found
    gender, trust, sur = _part_gender(w, role, language)
    evidence = shown = None
    if gender:
        evidence = _evidence(role, gender, trust)
        shown = gender if trust in ("strong", "medium") else None
    classes: tuple[str, ...] = ()
    if role == "given":
        classes = tuple(m.name.id for m in w.matches)
    elif role == "patronymic":
        classes = tuple(gn.id for gn in w.father)
    stem = marital = None
    if role == "surname":
        if sur is not None:
            stem, marital = sur.stem, sur.marital
        else:
            stem = w.text
    found = w.parts[key] = (NamePart(w.text, role, shown, classes, stem, marital), evidence)
    return found


@functools.lru_cache(maxsize=1 << 12)
def _combine(evidence: tuple[_Evidence, ...]) -> str | None:
    """evidence: (source, gender, trust) in order of trust (patronymic, surname, given); few
    combinations among many names."""
    firm = {g for _src, g, trust in evidence if trust in ("strong", "medium")}
    if firm:
        return firm.pop() if len(firm) == 1 else None
    weak = {g for _src, g, _trust in evidence}
    return weak.pop() if len(weak) == 1 else None


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

_MAX_TOKENS = 64
_IS_ORG = operator.attrgetter("org")
_IS_PAIR = operator.attrgetter("pair")


def parse(text: str) -> Name:
    """Parse a personal name. Never raises on a string; an empty string gives no parts."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    original = text
    norm = _normalise(text)
    script = _script(norm)
    words, shape, legal = _tokenise(norm)
    roles = _roles(tuple(shape[:_MAX_TOKENS]))
    # an organisation: by its legal form, or by its words where no patronymic says a person
    organisation = (legal is not None and legal in _legal_phrases()[3]) or (
        any(map(_IS_ORG, words)) and "patronymic" not in roles
    )
    if organisation:  # its words have no person's roles
        words, shape, legal = _tokenise(norm, organisation=True)
        roles = ("unknown",) * min(len(shape), _MAX_TOKENS)
    overflow = words[_MAX_TOKENS:]
    words = words[:_MAX_TOKENS]
    language = _guess_language(norm, script, words, roles)
    parts: list[NamePart] = []
    evidence: list[_Evidence] = []
    notes: list[str] = []
    for w, role in zip(words, roles, strict=True):
        part, found = _part(w, role, language)
        parts.append(part)
        if found is not None:
            evidence.append(found[0])
            notes.append(found[1])
    for w in overflow:
        parts.append(_part(w, "unknown", language)[0])
    gender = _combine(tuple(evidence)) if evidence else None
    return Name(original, script, language, tuple(parts), gender, tuple(notes), legal, organisation)


on_clear_caches(_clear_memos)
