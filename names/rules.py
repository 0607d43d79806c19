"""Rule files: load, validate and compile them to ICU transform rules.

A rule file (TOML, one scheme each, format in rules/README.md) is data. This module checks it
strictly, so that a malformed file fails at load naming the file, the key and the reason, and
compiles it into ICU rule text run by one cached ``icu.Transliterator`` per (scheme, direction,
options). Case is derived here, never written in the files.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import icu
import tomllib

from names.errors import RuleFileError

__all__ = [
    "Scheme",
    "Rule",
    "Sample",
    "rule_data_root",
    "scheme_files",
    "parse_rule_file",
    "compile_rules",
    "build_transliterator",
    "rules_version",
]

MAX_FILE_BYTES = 1 << 20
MAX_ENTRIES = 4000
MAX_OUT = 24
MAX_FIND = 64
MAX_CONTEXT = 64

HEADER_KEYS = {
    "id": str,
    "language": str,
    "from": str,
    "to": str,
    "title": str,
    "source": str,
    "reversible": bool,
    "owns": str,
    "notes": str,
    "url": str,
    "options": dict,
    "classes": dict,
    "prepare": dict,
    "letters": dict,
    "rules": list,
    "reverse": list,
    "reverse_classes": dict,
    "samples": list,
    "samples_source": str,
    "deviations": list,
    "kind": str,
    "initials": bool,
    "marks": list,
}
REQUIRED = ("id", "language", "from", "to", "title", "source", "reversible", "owns")
RULE_KEYS = {"find", "out", "prev", "next", "stage", "option", "cite", "title", "upper"}
LETTER_TABLE_KEYS = {"out", "title", "upper", "cite"}
DEVIATION_KEYS = {"peer", "input", "match", "ours", "theirs", "clause"}
OPTION_KEYS = {"default", "doc"}
SCRIPTS = {"Cyrl": "CYRILLIC", "Latn": "LATIN"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CLASS_RE = re.compile(r"^[a-z][a-z0-9_]*$")
BUILTIN_CLASSES = {"letter": "[[:L:][:M:]]", "upper": "[[:Lu:][:Lt:]]", "lower": "[:Ll:]"}
UPPER_SET = "[[:Lu:][:Lt:]]"
# Signs without case that may stand between two letters of an upper-case word once the left one
# is transliterated (Ь → ’, Ъ → ”, Ы → Y`): apostrophes, primes, modifier letters, middle dot.
CASELESS_JOINER = "[[:Lm:]\\u2019\\u0027\\u02BC\\u201D\\u0060\\u00B7\\u02B9\\u02BA]"


@dataclass(frozen=True)
class Rule:
    """One ordered context rule (or one letter of the context-free map)."""

    find: str
    out: str
    prev: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    stage: str = "main"
    option: str | None = None
    title: str | None = None
    upper: str | None = None
    cite: str = ""
    key: str = ""  # where it came from in the file, for error messages


@dataclass(frozen=True)
class Sample:
    """A pair quoted from the standard: source → expected, in one or both directions."""

    source: str
    expected: str
    forward_only: bool = False
    options: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Scheme:
    """A transliteration scheme as declared by its rule file."""

    id: str
    language: str
    source_script: str
    target_script: str
    title: str
    source: str
    reversible: bool
    path: str
    owns: str = ""
    notes: str = ""
    url: str = ""
    kind: str = "scheme"
    # a reading: whether a lone letter (an initial) is read by it too (see rules/README.md)
    initials: bool = True
    # a reading: patterns (regular expressions) one of which a word must hold to be read by it
    marks: tuple[str, ...] = ()
    options: tuple[tuple[str, bool, str], ...] = ()  # (name, default, doc)
    classes: tuple[tuple[str, str], ...] = ()
    reverse_classes: tuple[tuple[str, str], ...] = ()
    rules: tuple[Rule, ...] = ()
    letters: tuple[Rule, ...] = ()
    reverse_rules: tuple[Rule, ...] = ()
    samples: tuple[Sample, ...] = ()
    samples_source: str = ""
    deviations: tuple[Mapping[str, str], ...] = field(default=())

    def option_defaults(self) -> dict[str, bool]:
        """The scheme's options with their default values."""
        return {name: default for name, default, _ in self.options}


# --------------------------------------------------------------------------- locating files


def rule_data_root() -> Traversable:
    """The rules/ directory: packaged inside the wheel as names/_rules, or the repo's own."""
    packaged = importlib.resources.files("names") / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def scheme_files(subdirs: Iterable[str] | None = None) -> Iterator[Traversable]:
    """Every rule file under rules/ (all language folders unless subdirs names some)."""
    root = rule_data_root()
    skip = {"lexicon"}
    for folder in sorted(root.iterdir(), key=lambda t: t.name):
        if not folder.is_dir():
            continue
        if subdirs is None and folder.name in skip:
            continue
        if subdirs is not None and folder.name not in subdirs:
            continue
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if item.name.endswith(".toml"):
                yield item


# --------------------------------------------------------------------------- parsing


def _expect(path: str, key: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise RuleFileError(
            path, key, f"expected {kind.__name__}, got {type(value).__name__}{_toml_hint(key)}"
        )
    return value


def _toml_hint(key: str) -> str:
    """A nudge for the commonest TOML slip: a top-level key written after a [table]."""
    last = key.rsplit(".", 1)[-1]
    if last in HEADER_KEYS and "." in key:
        return f" ('{last}' is a top-level key: in TOML write it before the first [table])"
    return ""


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _as_context(path: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    _expect(path, key, value, list)
    items = []
    for i, item in enumerate(value):
        _expect(path, f"{key}[{i}]", item, str)
        if not item.strip():
            raise RuleFileError(path, f"{key}[{i}]", "empty context element")
        if len(item) > MAX_CONTEXT:
            raise RuleFileError(path, f"{key}[{i}]", f"context longer than {MAX_CONTEXT}")
        items.append(_nfc(item))
    return tuple(items)


def _check_out(path: str, key: str, text: str) -> str:
    if len(text) > MAX_OUT:
        raise RuleFileError(
            path, key, f"output of {len(text)} characters exceeds the limit of {MAX_OUT}"
        )
    return _nfc(text)


def _check_find(path: str, key: str, text: str) -> str:
    if not text:
        raise RuleFileError(path, key, "empty find")
    if len(text) > MAX_FIND:
        raise RuleFileError(path, key, f"find longer than {MAX_FIND}")
    text = _nfc(text)
    if not text.startswith("@") and text != text.lower():
        raise RuleFileError(path, key, "write rules in lower case; the compiler derives case")
    return text


def _parse_rule(path: str, key: str, raw: Any, *, reverse: bool = False) -> Rule:
    _expect(path, key, raw, dict)
    unknown = set(raw) - RULE_KEYS
    if unknown:
        bad = f"{key}.{sorted(unknown)[0]}"
        raise RuleFileError(path, bad, f"unknown key{_toml_hint(bad)}")
    for needed in ("find", "out"):
        if needed not in raw:
            raise RuleFileError(path, key, f"missing '{needed}'")
    find = _check_find(path, f"{key}.find", _expect(path, f"{key}.find", raw["find"], str))
    out = _check_out(path, f"{key}.out", _expect(path, f"{key}.out", raw["out"], str))
    stage = _expect(path, f"{key}.stage", raw.get("stage", "main"), str)
    if stage not in ("main", "prepare"):
        raise RuleFileError(path, f"{key}.stage", "stage must be 'main' or 'prepare'")
    if reverse and stage != "main":
        raise RuleFileError(path, f"{key}.stage", "reverse rules have no prepare stage")
    if "{}" in out and not find.startswith("@"):
        raise RuleFileError(path, f"{key}.out", "'{}' is only allowed when find is a @class")
    option = raw.get("option")
    if option is not None:
        _expect(path, f"{key}.option", option, str)
    title = raw.get("title")
    upper = raw.get("upper")
    if title is not None:
        title = _check_out(path, f"{key}.title", _expect(path, f"{key}.title", title, str))
    if upper is not None:
        upper = _check_out(path, f"{key}.upper", _expect(path, f"{key}.upper", upper, str))
    return Rule(
        find=find,
        out=out,
        prev=_as_context(path, f"{key}.prev", raw.get("prev")),
        next=_as_context(path, f"{key}.next", raw.get("next")),
        stage=stage,
        option=option,
        title=title,
        upper=upper,
        cite=str(raw.get("cite", "")),
        key=key,
    )


def _parse_letter(path: str, letter: str, raw: Any) -> Rule:
    key = f"letters.{letter}"
    find = _check_find(path, key, letter)
    if find.startswith("@"):
        raise RuleFileError(path, key, "classes are not allowed as letters")
    if isinstance(raw, str):
        return Rule(find=find, out=_check_out(path, key, raw), key=key)
    _expect(path, key, raw, dict)
    unknown = set(raw) - LETTER_TABLE_KEYS
    if unknown:
        raise RuleFileError(path, f"{key}.{sorted(unknown)[0]}", "unknown key")
    if "out" not in raw:
        raise RuleFileError(path, key, "missing 'out'")
    out = _check_out(path, f"{key}.out", _expect(path, f"{key}.out", raw["out"], str))
    title = raw.get("title")
    upper = raw.get("upper")
    return Rule(
        find=find,
        out=out,
        title=None if title is None else _check_out(path, f"{key}.title", str(title)),
        upper=None if upper is None else _check_out(path, f"{key}.upper", str(upper)),
        cite=str(raw.get("cite", "")),
        key=key,
    )


def _parse_classes(path: str, key: str, raw: Any) -> dict[str, str]:
    _expect(path, key, raw, dict)
    classes: dict[str, str] = {}
    for name, letters in raw.items():
        if not CLASS_RE.match(name):
            raise RuleFileError(path, f"{key}.{name}", "class names are lower-case identifiers")
        if name in BUILTIN_CLASSES:
            raise RuleFileError(path, f"{key}.{name}", "redefines a built-in class")
        _expect(path, f"{key}.{name}", letters, str)
        if not letters:
            raise RuleFileError(path, f"{key}.{name}", "empty class")
        classes[name] = _nfc(letters)
    return classes


def _parse_sample(path: str, key: str, raw: Any, options: Mapping[str, bool]) -> Sample:
    _expect(path, key, raw, list)
    if not 2 <= len(raw) <= 4:
        raise RuleFileError(path, key, "a sample is [source, expected, ('forward'), ({options})]")
    src = _expect(path, f"{key}[0]", raw[0], str)
    exp = _expect(path, f"{key}[1]", raw[1], str)
    forward_only = False
    opts: dict[str, bool] = {}
    for extra in raw[2:]:
        if isinstance(extra, str):
            if extra != "forward":
                raise RuleFileError(path, key, f"unknown sample flag {extra!r}")
            forward_only = True
        elif isinstance(extra, dict):
            for name, val in extra.items():
                if name not in options:
                    raise RuleFileError(path, f"{key}.{name}", "unknown option")
                opts[name] = bool(val)
        else:
            raise RuleFileError(path, key, "sample flags are 'forward' or an options table")
    return Sample(_nfc(src), _nfc(exp), forward_only, tuple(sorted(opts.items())))


def _letters_of_script(text: str, script: str) -> set[str]:
    prefix = SCRIPTS.get(script)
    found = set()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if prefix is None or name.startswith(prefix):
            found.add(ch.lower())
    return found


def parse_rule_file(path: str | Path | Traversable, *, data: bytes | None = None) -> Scheme:
    """Read and validate one rule file; raise RuleFileError naming file, key and reason."""
    where = str(path)
    if data is None:
        try:
            if isinstance(path, (str, Path)):
                p = Path(path)
                if p.is_dir():
                    raise RuleFileError(where, "", "is a directory, not a rule file")
                size = p.stat().st_size
                if size > MAX_FILE_BYTES:
                    raise RuleFileError(where, "", f"file of {size} bytes exceeds 1 MiB")
                data = p.read_bytes()
            else:
                data = path.read_bytes()
        except FileNotFoundError:
            raise RuleFileError(where, "", "no such file") from None
        except OSError as exc:
            raise RuleFileError(where, "", exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise RuleFileError(where, "", f"file of {len(data)} bytes exceeds 1 MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RuleFileError(where, f"line {line}", "not valid UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(where, "", f"bad TOML: {exc}") from None
    for key in raw:
        if key not in HEADER_KEYS:
            close = [k for k in HEADER_KEYS if k.startswith(key[:2])]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RuleFileError(where, key, f"unknown key{hint}")
        _expect(where, key, raw[key], HEADER_KEYS[key])
    for key in REQUIRED:
        if key not in raw:
            raise RuleFileError(where, key, "missing required header key")
    sid = raw["id"]
    if not ID_RE.match(sid):
        raise RuleFileError(where, "id", "ids are lower case letters, digits and '-'")
    for key in ("from", "to"):
        if raw[key] not in SCRIPTS:
            raise RuleFileError(where, key, f"script must be one of {sorted(SCRIPTS)}")
    marks = raw.get("marks", [])
    for i, mark in enumerate(marks):
        _expect(where, f"marks[{i}]", mark, str)
        try:
            re.compile(mark)
        except re.error as exc:
            raise RuleFileError(where, f"marks[{i}]", f"not a regular expression: {exc}") from None
        if not mark or mark != mark.lower():
            raise RuleFileError(where, f"marks[{i}]", "marks are non-empty and lower case")

    options: dict[str, bool] = {}
    option_rows = []
    for name, spec in raw.get("options", {}).items():
        _expect(where, f"options.{name}", spec, dict)
        unknown = set(spec) - OPTION_KEYS
        if unknown:
            raise RuleFileError(where, f"options.{name}.{sorted(unknown)[0]}", "unknown key")
        default = _expect(where, f"options.{name}.default", spec.get("default", True), bool)
        options[name] = default
        option_rows.append((name, default, str(spec.get("doc", ""))))

    classes = _parse_classes(where, "classes", raw.get("classes", {}))
    reverse_classes = _parse_classes(where, "reverse_classes", raw.get("reverse_classes", {}))

    total = 0
    prepare: list[Rule] = []
    for find, out in raw.get("prepare", {}).items():
        key = f"prepare.{find}"
        find_n = _check_find(where, key, find)
        out_n = _check_out(where, key, _expect(where, key, out, str))
        prepare.append(Rule(find=find_n, out=out_n, stage="prepare", key=key))
    rules = list(prepare)
    for i, item in enumerate(raw.get("rules", [])):
        rules.append(_parse_rule(where, f"rules[{i}]", item))
    letters = [_parse_letter(where, k, v) for k, v in raw.get("letters", {}).items()]
    reverse_rules = [
        _parse_rule(where, f"reverse[{i}]", item, reverse=True)
        for i, item in enumerate(raw.get("reverse", []))
    ]
    total = len(rules) + len(letters) + len(reverse_rules)
    if total > MAX_ENTRIES:
        raise RuleFileError(where, "", f"{total} rules exceed the limit of {MAX_ENTRIES}")

    for rule in rules + reverse_rules:
        if rule.option is not None and rule.option not in options:
            raise RuleFileError(where, f"{rule.key}.option", f"unknown option {rule.option!r}")
    _check_class_refs(where, rules + letters, classes)
    _check_class_refs(where, reverse_rules, reverse_classes)
    if reverse_rules and not raw["reversible"]:
        raise RuleFileError(where, "reverse", "reverse rules in a scheme not marked reversible")

    owns = _nfc(raw["owns"])
    if owns != owns.lower():
        raise RuleFileError(where, "owns", "write owned letters in lower case")
    main_literal = [r for r in rules if r.stage == "main" and not r.find.startswith("@")]
    for rule in letters + main_literal:
        foreign = [
            ch
            for ch in rule.find
            if ch not in owns and not _letters_of_script(ch, raw["from"]) and ch != " "
        ]
        if foreign:
            reason = f"{''.join(foreign)!r} is neither owned nor of script {raw['from']}"
            raise RuleFileError(where, rule.key, reason)
    mapped = {r.find for r in letters} | {
        r.find for r in rules if r.stage == "main" and not r.prev and not r.next and not r.option
    }
    missing = [ch for ch in owns if ch not in mapped and not ch.isspace()]
    if missing:
        raise RuleFileError(
            where, "letters", f"owned letter(s) {''.join(missing)!r} have no mapping"
        )

    samples = tuple(
        _parse_sample(where, f"samples[{i}]", item, options)
        for i, item in enumerate(raw.get("samples", []))
    )
    owned = set(owns)
    for i, sample in enumerate(samples):
        stray = _letters_of_script(sample.source, raw["from"]) - owned
        if stray:
            raise RuleFileError(
                where,
                f"samples[{i}]",
                f"source holds {''.join(sorted(stray))!r}, which the scheme does not own",
            )
    deviations = []
    for i, dev in enumerate(raw.get("deviations", [])):
        _expect(where, f"deviations[{i}]", dev, dict)
        unknown = set(dev) - DEVIATION_KEYS
        if unknown:
            raise RuleFileError(where, f"deviations[{i}].{sorted(unknown)[0]}", "unknown key")
        if "peer" not in dev or ("input" not in dev and "match" not in dev):
            raise RuleFileError(where, f"deviations[{i}]", "needs 'peer' and 'input' or 'match'")
        if "clause" not in dev:
            raise RuleFileError(where, f"deviations[{i}]", "needs 'clause' (the justification)")
        deviations.append({k: str(v) for k, v in dev.items()})

    return Scheme(
        id=sid,
        language=raw["language"],
        source_script=raw["from"],
        target_script=raw["to"],
        title=raw["title"],
        source=raw["source"],
        reversible=raw["reversible"],
        path=where,
        owns=owns,
        notes=raw.get("notes", ""),
        url=raw.get("url", ""),
        kind=raw.get("kind", "scheme"),
        initials=raw.get("initials", True),
        marks=tuple(marks),
        options=tuple(option_rows),
        classes=tuple(classes.items()),
        reverse_classes=tuple(reverse_classes.items()),
        rules=tuple(rules),
        letters=tuple(letters),
        reverse_rules=tuple(reverse_rules),
        samples=samples,
        samples_source=raw.get("samples_source", ""),
        deviations=tuple(deviations),
    )


def _check_class_refs(path: str, rules: Iterable[Rule], classes: Mapping[str, str]) -> None:
    for rule in rules:
        refs = [rule.find] if rule.find.startswith("@") else []
        for element in rule.prev + rule.next:
            refs.extend(a for a in element.split() if a.startswith("@"))
        for ref in refs:
            name = ref[1:]
            if name not in classes and name not in BUILTIN_CLASSES:
                raise RuleFileError(path, rule.key, f"unknown class {ref!r}")


# --------------------------------------------------------------------------- compiling


def _esc(text: str) -> str:
    """Escape text for ICU rule syntax: ASCII letters and digits stay, all else is \\u-escaped."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            cp = ord(ch)
            out.append(f"\\u{cp:04X}" if cp <= 0xFFFF else f"\\U{cp:08X}")
    return "".join(out)


def _cased(chars: Iterable[str], case: str) -> set[str]:
    """The characters in both cases ('both'), or only their upper/lower forms."""
    found: set[str] = set()
    for ch in chars:
        up, low = ch.upper(), ch.lower()
        if case in ("both", "lower"):
            found.add(low if len(low) == 1 else ch)
        if case in ("both", "upper") and len(up) == 1:
            found.add(up)
        if case == "both":
            found.add(ch)
    return found


# Context rules run in a first pass that writes one private-use marker per (find, output);
# the second pass turns markers into output. ICU matches a rule's preceding context against
# text it has already transliterated, so without the markers "after a vowel" would have to be
# written in the target script. Markers live in Supplementary Private Use Area-A.
MARKER_BASE = 0xF0000
MARKER_RANGE = "\\U000F0000-\\U000FFFFD"


def _title(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


class _Compiler:
    """Turns parsed rules into ICU rule lines, deriving case and context-pass markers."""

    def __init__(self, classes: Mapping[str, str]) -> None:
        self.classes = dict(classes)
        self.markers: dict[tuple[str, str], str] = {}  # (cased find text, output) -> marker

    # -- sets
    def _marker_chars(self, last_chars: set[str] | None, case: str | None = None) -> str:
        chars = []
        for (find, _out), marker in self.markers.items():
            last = find[-1] if find else ""
            if last_chars is not None and last not in last_chars:
                continue
            if case == "upper" and not (last.isupper() or last.istitle()):
                continue
            if case == "lower" and not last.islower():
                continue
            chars.append(marker)
        return "".join(_esc(c) for c in chars)

    def letter_set(self, chars: str, case: str = "both") -> str:
        letters = _cased(chars, case)
        return "[" + "".join(_esc(c) for c in sorted(letters)) + self._marker_chars(letters) + "]"

    def class_set(self, name: str, *, upper_only: bool = False) -> str:
        if name in BUILTIN_CLASSES:
            case = {"upper": "upper", "lower": "lower"}.get(name)
            if upper_only:
                case = "upper"
            base = BUILTIN_CLASSES[name] if not upper_only else UPPER_SET
            return f"[{base}{self._marker_chars(None, case)}]"
        return self.letter_set(self.classes[name], "upper" if upper_only else "both")

    def upper_set(self, side: str = "next") -> str:
        """An upper-case neighbour; on the left, possibly behind a caseless sign (ДАР’Я)."""
        upper = f"[{UPPER_SET}{self._marker_chars(None, 'upper')}]"
        joiner = f"{CASELESS_JOINER}? {CASELESS_JOINER}?"
        return f"{upper} {joiner}" if side == "prev" else upper

    @staticmethod
    def boundary() -> str:
        return f"[^[:L:][:M:]\\u2019\\u02BC{MARKER_RANGE}]"

    def context(self, element: str, *, side: str, upper_adjacent: bool) -> str | None:
        """ICU pattern for one context element; None when it cannot be upper-case adjacent."""
        # one piece per character position: "#", "@class" or a single literal character
        pieces: list[str] = []
        for atom in element.split():
            pieces.extend([atom] if atom == "#" or atom.startswith("@") else list(atom))
        adjacent = len(pieces) - 1 if side == "prev" else 0
        parts = []
        for i, piece in enumerate(pieces):
            up = upper_adjacent and i == adjacent
            if piece == "#":
                if up:
                    return None
                parts.append(self.boundary())
            elif piece.startswith("@") and len(piece) > 1:
                parts.append(self.class_set(piece[1:], upper_only=up))
            else:
                parts.append(self.letter_set(piece, "upper" if up else "both"))
        return " ".join(parts)

    # -- case variants
    def variants(self, rule: Rule) -> list[tuple[str, str, str, str]]:
        """(case, cased find text, icu find pattern, output) for each case form of a rule.

        case is 'upper' (upper case when a neighbouring letter is upper case), 'upper!'
        (always: the find itself spans upper-case letters), 'title' or 'lower'."""
        find, out = rule.find, rule.out
        if find.startswith("@"):
            name = find[1:]
            if name in BUILTIN_CLASSES:
                return [("lower", find, f"({BUILTIN_CLASSES[name]})", out)]
            chars = self.classes[name]
            lower = "[" + "".join(_esc(c) for c in sorted(_cased(chars, "lower"))) + "]"
            upper = "[" + "".join(_esc(c) for c in sorted(_cased(chars, "upper"))) + "]"
            return [
                ("upper", find.upper(), f"({upper})", out.upper()),
                ("title", find.upper(), f"({upper})", out),
                ("lower", find, f"({lower})", out),
            ]
        forms = [("lower", find, _esc(find), out)]
        upper_find = find.upper()
        if len(upper_find) != len(find):
            return forms  # ß: its upper case is two letters; an upper-case text spells it SS
        if upper_find == find and out.upper() != out:
            # a caseless sign (ʹ → ь) takes the case of its neighbours
            upper_out = rule.upper if rule.upper is not None else out.upper()
            forms.insert(0, ("upper~", find, _esc(find), upper_out))
        elif upper_find != find:
            title_find = _title(find)
            upper_out = rule.upper if rule.upper is not None else out.upper()
            title_out = rule.title if rule.title is not None else _title(out)
            if title_find == upper_find:
                forms.insert(0, ("title", upper_find, _esc(upper_find), title_out))
                forms.insert(0, ("upper", upper_find, _esc(upper_find), upper_out))
            else:
                forms.insert(0, ("title", title_find, _esc(title_find), title_out))
                forms.insert(0, ("upper!", upper_find, _esc(upper_find), upper_out))
        return forms

    def output(self, out: str, *, template: bool) -> str:
        if template:
            return " $1 ".join(_esc(p) for p in out.split("{}")).strip()
        return _esc(out)

    def reserve_markers(self, rule: Rule) -> None:
        for _case, cased, _pattern, out in self.variants(rule):
            key = (cased, out)
            if key not in self.markers:
                self.markers[key] = chr(MARKER_BASE + len(self.markers))

    def emit(self, rule: Rule, *, to_marker: bool = False) -> list[str]:
        lines = []
        prevs: list[str | None] = list(rule.prev) or [None]
        nexts: list[str | None] = list(rule.next) or [None]
        template = rule.find.startswith("@")
        for case, cased, pattern, out in self.variants(rule):
            target = self.markers[(cased, out)] if to_marker else None
            icu_out = _esc(target) if target else self.output(out, template=template)
            for prev in prevs:
                for nxt in nexts:
                    p = self._ctx(prev, "prev")
                    n = self._ctx(nxt, "next")
                    if case == "upper~":
                        # a caseless sign is upper case inside an upper-case word: before an
                        # upper-case letter, or after one at the end of the word
                        if nxt is None:
                            lines.append(self._line(p, pattern, self.upper_set(), icu_out))
                            if prev is None:
                                up = self.upper_set("prev")
                                lines.append(self._line(up, pattern, "[^[:Ll:]]", icu_out))
                        continue
                    if case != "upper":
                        lines.append(self._line(p, pattern, n, icu_out))
                        continue
                    # upper case when a neighbouring letter is upper case
                    up_prev = (
                        self.upper_set("prev")
                        if prev is None
                        else self.context(prev, side="prev", upper_adjacent=True)
                    )
                    up_next = (
                        self.upper_set()
                        if nxt is None
                        else self.context(nxt, side="next", upper_adjacent=True)
                    )
                    if up_prev is not None:
                        lines.append(self._line(up_prev, pattern, n, icu_out))
                    if up_next is not None:
                        lines.append(self._line(p, pattern, up_next, icu_out))
        return lines

    def _ctx(self, elem: str | None, side: str) -> str | None:
        if elem is None:
            return None
        return self.context(elem, side=side, upper_adjacent=False)

    @staticmethod
    def _line(prev: str | None, find: str, nxt: str | None, out: str) -> str:
        left = f"{prev} {{ " if prev else ""
        right = f" }} {nxt}" if nxt else ""
        return f"{left}{find}{right} > {out} ;"

    def marker_lines(self) -> list[str]:
        return [f"{_esc(m)} > {_esc(out)} ;" for (_f, out), m in self.markers.items()]


def _active(rule: Rule, options: Mapping[str, bool]) -> bool:
    return rule.option is None or bool(options.get(rule.option))


def compile_rules(
    scheme: Scheme, *, reverse: bool = False, options: Mapping[str, bool] | None = None
) -> str:
    """The ICU transform rule text for a scheme in one direction with the given options.

    Passes: NFC; prepare (source → source); context rules (→ markers); markers, context-free
    rules in file order, then letters longest first; NFC.
    """
    opts = scheme.option_defaults()
    if options:
        opts.update(options)
    lines = [":: NFC ;"]
    if reverse:
        comp = _Compiler(dict(scheme.reverse_classes))
        ordered = [r for r in scheme.reverse_rules if _active(r, opts)]
        inverted: dict[str, Rule] = {}
        for letter in scheme.letters:
            if letter.out and letter.out.lower() not in inverted:
                find = letter.out.lower()
                inverted[find] = Rule(find=find, out=letter.find, key=letter.key)
        letters = sorted(inverted.values(), key=lambda r: -len(r.find))
    else:
        comp = _Compiler(dict(scheme.classes))
        prepare = [r for r in scheme.rules if r.stage == "prepare" and _active(r, opts)]
        if prepare:
            for rule in prepare:
                lines.extend(comp.emit(rule))
            lines.append(":: Null ;")
        ordered = [r for r in scheme.rules if r.stage == "main" and _active(r, opts)]
        letters = sorted(scheme.letters, key=lambda r: -len(r.find))
    contextual = [r for r in ordered if r.prev or r.next]
    plain = [r for r in ordered if not (r.prev or r.next)]
    if contextual:
        for rule in contextual:
            comp.reserve_markers(rule)
        for rule in contextual:
            lines.extend(comp.emit(rule, to_marker=True))
        lines.append(":: Null ;")
        lines.extend(comp.marker_lines())
    # a context-free rule overrides the letter with the same find (e.g. an option that drops ь)
    overridden = {r.find for r in plain}
    for rule in plain + [r for r in letters if r.find not in overridden]:
        lines.extend(comp.emit(rule))
    lines.append(":: NFC ;")
    return "\n".join(lines) + "\n"


_TRANSLITERATOR_CACHE: dict[tuple[str, str, bool, tuple[tuple[str, bool], ...]], Any] = {}


def build_transliterator(
    scheme: Scheme, *, reverse: bool = False, options: Mapping[str, bool] | None = None
) -> Any:
    """One cached icu.Transliterator for (scheme, direction, options)."""
    opts = scheme.option_defaults()
    if options:
        for name, value in options.items():
            if name not in opts:
                raise RuleFileError(scheme.path, f"options.{name}", "the scheme has no such option")
            opts[name] = bool(value)
    key = (scheme.path, scheme.id, reverse, tuple(sorted(opts.items())))
    cached = _TRANSLITERATOR_CACHE.get(key)
    if cached is not None:
        return cached
    if reverse and not scheme.reversible:
        raise RuleFileError(scheme.path, "reversible", "the scheme has no reverse direction")
    text = compile_rules(scheme, reverse=reverse, options=opts)
    name = f"onomast-{scheme.id}-{'rev' if reverse else 'fwd'}"
    try:
        trans = icu.Transliterator.createFromRules(name, text, icu.UTransDirection.FORWARD)
    except icu.ICUError as exc:
        reason = f"ICU rejected the rules: {exc}"
        raise RuleFileError(scheme.path, _blame(text, exc), reason) from None
    _TRANSLITERATOR_CACHE[key] = trans
    return trans


def _blame(text: str, exc: Exception) -> str:
    """Best effort: which generated line ICU complained about."""
    match = re.search(r"offset (\d+)", str(exc))
    return "rules" if not match else f"rules (generated ICU text near offset {match.group(1)})"


@functools.cache
def rules_version() -> str:
    """A digest of every rule file: changes whenever any output can change."""
    digest = hashlib.sha256()
    root = rule_data_root()
    stack = [root]
    files: list[Traversable] = []
    while stack:
        node = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                stack.append(child)
            elif child.name.endswith((".toml", ".tsv")):
                files.append(child)
    for item in sorted(files, key=lambda t: str(t)):
        digest.update(item.name.encode())
        digest.update(item.read_bytes())
    # the code that turns rules into outputs (compiler, parser, keys, matcher) counts too
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()[:12]
