"""Transliteration: the scheme catalogue, transliterate()/transliterate_many(), script detection.

Schemes come from the rule files under rules/ (see names.rules); user rule files load with
load_scheme(path) and join the catalogue for the session.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path

import icu

from names.errors import OnomastError, RuleFileError, UnknownSchemeError
from names.rules import Scheme, build_transliterator, parse_rule_file, scheme_files

__all__ = [
    "transliterate",
    "transliterate_many",
    "schemes",
    "get_scheme",
    "load_scheme",
    "detect_script",
    "MAX_NAME_CHARS",
    "sample_failures",
    "resolve_scheme_ref",
    "compile_all_directions",
]

# Longer input is cut to this many characters before transliteration (bounded time and memory).
MAX_NAME_CHARS = 10_000
_MEMO_LIMIT = 1 << 18

_user_schemes: dict[str, Scheme] = {}


@functools.cache
def _catalogue_files() -> dict[str, Traversable]:
    """Scheme id -> rule file; a file is named after its id, so lookups parse one file only."""
    found: dict[str, Traversable] = {}
    for item in scheme_files():
        sid = item.name[: -len(".toml")]
        if sid in found:
            raise RuleFileError(str(item), "id", f"duplicate id {sid!r} (also {found[sid]})")
        found[sid] = item
    return found


@functools.cache
def _catalogue_scheme(sid: str) -> Scheme:
    item = _catalogue_files()[sid]
    scheme = parse_rule_file(item)
    if scheme.id != sid:
        raise RuleFileError(str(item), "id", f"id {scheme.id!r} differs from the file name")
    return scheme


def _catalogue() -> dict[str, Scheme]:
    return {sid: _catalogue_scheme(sid) for sid in _catalogue_files()}


def schemes(language: str | None = None, *, kind: str = "scheme") -> list[Scheme]:
    """Every scheme in the catalogue (optionally of one source language), sorted by id.

    kind="reading" lists the Latin spelling conventions the normaliser reads back instead."""
    seen: dict[str, Scheme] = {}
    for scheme in list(_catalogue().values()) + list(_user_schemes.values()):
        seen[scheme.id] = scheme
    result = sorted((s for s in seen.values() if s.kind == kind), key=lambda s: s.id)
    if language is not None:
        result = [s for s in result if s.language == language]
    return result


def get_scheme(scheme: str | Scheme) -> Scheme:
    """Look a scheme up by id (or pass a Scheme through); unknown ids list the closest ones."""
    if isinstance(scheme, Scheme):
        return scheme
    if not isinstance(scheme, str):
        raise UnknownSchemeError(repr(scheme), [])
    found = _user_schemes.get(scheme)
    if found is not None:
        return found
    if scheme in _catalogue_files():
        return _catalogue_scheme(scheme)
    readings = {item.name[: -len(".toml")] for item in scheme_files(["readings"])}
    ids = sorted((set(_catalogue_files()) | set(_user_schemes)) - readings)
    close = difflib.get_close_matches(scheme, ids, n=3, cutoff=0.5)
    if not close:
        close = [i for i in ids if i.startswith(scheme.split("-")[0] + "-")][:3]
    raise UnknownSchemeError(scheme, close)


def load_scheme(path: str | Path) -> Scheme:
    """Load a user's own rule file, validate and compile it; it joins the catalogue by its id."""
    scheme = parse_rule_file(Path(path))
    build_transliterator(scheme)
    if scheme.reversible:
        build_transliterator(scheme, reverse=True)
    _user_schemes[scheme.id] = scheme
    return scheme


def _prepare_text(text: str) -> str:
    if not isinstance(text, str):
        raise OnomastError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_NAME_CHARS:
        text = text[:MAX_NAME_CHARS]
    return text


def transliterate(
    text: str,
    scheme: str | Scheme,
    *,
    reverse: bool = False,
    options: Mapping[str, bool] | None = None,
) -> str:
    """Transliterate text by a named scheme; letters outside its source script pass unchanged.

    ``reverse=True`` runs a reversible scheme backwards; ``options`` switches named rule groups
    (e.g. ``{"endings": False}`` for ru-lt).
    """
    trans = build_transliterator(get_scheme(scheme), reverse=reverse, options=options)
    return trans.transliterate(_prepare_text(text))


def transliterate_many(
    texts: Iterable[str],
    scheme: str | Scheme,
    *,
    reverse: bool = False,
    options: Mapping[str, bool] | None = None,
) -> list[str]:
    """Batch form of transliterate(): the same results, faster on real name lists.

    Names repeat their words (given names, common surnames), so each distinct word is
    transliterated once per batch and looked up after that. A scheme whose rules mention
    white space is run whole, name by name.
    """
    sch = get_scheme(scheme)
    trans = build_transliterator(sch, reverse=reverse, options=options)
    if not _word_safe(sch):
        return [trans.transliterate(_prepare_text(t)) for t in texts]
    memo: dict[str, str] = {}
    look_up = memo.__getitem__
    results: list[str] = []
    append = results.append
    join = " ".join
    one = trans.transliterate
    limit = MAX_NAME_CHARS
    for text in texts:
        if text.__class__ is not str or len(text) > limit:
            text = _prepare_text(text)
        words = text.split(" ")
        try:
            append(join(map(look_up, words)))
        except KeyError:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            for word in words:
                if word not in memo:
                    memo[word] = one(word)
            append(join(map(look_up, words)))
    return results


_WORD_SAFE: dict[tuple[str, str], bool] = {}


def _word_safe(scheme: Scheme) -> bool:
    """True when no rule looks across a space, so words may be transliterated one by one.

    A context may use '#' (word boundary) only at its outer end: "after a vowel at the end of
    the previous word" would cross words."""
    key = (scheme.path, scheme.id)
    if key not in _WORD_SAFE:
        _WORD_SAFE[key] = _rules_stay_in_words(scheme)
    return _WORD_SAFE[key]


def _rules_stay_in_words(scheme: Scheme) -> bool:
    classes = dict(scheme.classes) | dict(scheme.reverse_classes)
    if any(any(ch.isspace() for ch in letters) for letters in classes.values()):
        return False
    for rule in scheme.rules + scheme.letters + scheme.reverse_rules:
        if any(ch.isspace() for ch in rule.find + rule.out):
            return False
        for side, contexts in (("prev", rule.prev), ("next", rule.next)):
            for ctx in contexts:
                atoms = ctx.split()
                outer = 0 if side == "prev" else len(atoms) - 1
                if any(a == "#" and i != outer for i, a in enumerate(atoms)):
                    return False
    return True


_SCRIPT_CODES = {"Cyrillic": "Cyrl", "Latin": "Latn", "Greek": "Grek", "Arabic": "Arab"}


def detect_script(text: str) -> str:
    """The script of the letters in text: 'Cyrl', 'Latn', another ISO 15924 code, 'mixed'
    when letters of several scripts occur, or 'none' when there are no letters."""
    found: set[str] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if cp < 0x80:
            found.add("Latn")
            continue
        if 0x400 <= cp <= 0x52F:
            found.add("Cyrl")
            continue
        code = icu.Script.getScript(cp).getShortName()
        if code not in ("Zyyy", "Zinh"):
            found.add(code)
        if len(found) > 1:
            return "mixed"
    if not found:
        return "none"
    return found.pop() if len(found) == 1 else "mixed"


def sample_failures(scheme: str | Scheme) -> list[str]:
    """Run every sample of a scheme (both directions where reversible); describe each miss."""
    sch = get_scheme(scheme)
    failures = []
    for i, sample in enumerate(sch.samples):
        opts = dict(sample.options)
        got = transliterate(sample.source, sch, options=opts)
        if got != sample.expected:
            failures.append(
                f"{sch.path}: samples[{i}]: {sample.source!r} -> {got!r}, "
                f"expected {sample.expected!r}"
            )
        if sch.reversible and not sample.forward_only:
            back = transliterate(sample.expected, sch, reverse=True, options=opts)
            if back != sample.source:
                failures.append(
                    f"{sch.path}: samples[{i}] (reverse): {sample.expected!r} -> {back!r}, "
                    f"expected {sample.source!r}"
                )
    return failures


def resolve_scheme_ref(ref: str) -> Scheme:
    """A scheme id from the catalogue, or the path of a rule file (loaded, not registered)."""
    if ref.endswith(".toml") or "/" in ref:
        scheme = parse_rule_file(Path(ref))
        build_transliterator(scheme)
        return scheme
    return get_scheme(ref)


def compile_all_directions(scheme: Scheme) -> None:
    """Build every direction and option combination once, so a bad rule fails now."""
    names_ = [name for name, _default, _doc in scheme.options]
    combos = [{}] + [{n: not scheme.option_defaults()[n]} for n in names_]
    for combo in combos:
        build_transliterator(scheme, options=combo)
        if scheme.reversible:
            build_transliterator(scheme, reverse=True, options=combo)
