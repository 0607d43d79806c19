"""Lithuanian schemes: lt-ascii, lt-ascii-digraph, lt-ru, lt-be, ru-lt, be-lt.

Runs the attested pairs in tests/data/lt-cases.tsv and checks properties on the Lithuanian name
corpus tests/data/lt-corpus.tsv (given names, surnames in every gender/marital form, places).
The samples inside the rule files are run by tests/test_rules.py.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import icu
import pytest

import names

DATA = Path(__file__).parent / "data"
LT_SCHEMES = ("lt-ascii", "lt-ascii-digraph", "lt-ru", "lt-be")
CYRL_SCHEMES = ("ru-lt", "be-lt")
ALL_SCHEMES = LT_SCHEMES + CYRL_SCHEMES
CARON = {"š": "s", "č": "c", "ž": "z"}
CONSONANT_FINAL = set("бвгґджзклмнпрстфхцчшщй")


def _rows(path: Path) -> list[list[str]]:
    """TSV rows without '#' comment lines and without the column header."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]


def _options(text: str) -> dict[str, bool]:
    opts: dict[str, bool] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        assert value in ("true", "false"), f"bad option {part!r}"
        opts[name] = value == "true"
    return opts


CASES = _rows(DATA / "lt-cases.tsv")
CORPUS = _rows(DATA / "lt-corpus.tsv")
CORPUS_NAMES = [row[0] for row in CORPUS]


# --------------------------------------------------------------------------- the data files


def test_case_file_is_large_enough_and_covers_every_scheme():
    assert len(CASES) >= 60
    assert all(len(row) == 5 and row[4].strip() for row in CASES), "every row needs a citation"
    assert {row[0] for row in CASES} == set(ALL_SCHEMES)
    both = {row[0] for row in CASES if _options(row[3]).get("endings") is False}
    assert both == set(CYRL_SCHEMES), "ru-lt and be-lt need rows with endings off"


def test_corpus_holds_every_kind_of_name():
    assert len(CORPUS) >= 1000
    kinds = {row[1] for row in CORPUS}
    assert kinds == {
        "given-m",
        "given-f",
        "surname-m",
        "surname-f-married",
        "surname-f-unmarried",
        "place",
    }
    assert len(set(CORPUS_NAMES)) == len(CORPUS_NAMES), "duplicate corpus entries"
    married = [n for n, k in CORPUS if k == "surname-f-married"]
    assert all(n.endswith("ienė") for n in married)
    unmarried = [n for n, k in CORPUS if k == "surname-f-unmarried"]
    assert all(re.search("(aitė|ytė|iūtė|utė|ūtė)$", n) for n in unmarried)


@pytest.mark.parametrize("scheme_id", ALL_SCHEMES)
def test_rule_file_declares_enough_samples(scheme_id):
    scheme = names.get_scheme(scheme_id)
    assert len(scheme.samples) >= 20
    if scheme_id in CYRL_SCHEMES:
        assert scheme.option_defaults() == {"endings": True}
        states = {dict(s.options).get("endings", True) for s in scheme.samples}
        assert states == {True, False}, "samples must show both option states"


# --------------------------------------------------------------------------- attested pairs


@pytest.mark.parametrize(
    "scheme_id,source,expected,options",
    [(r[0], r[1], r[2], r[3]) for r in CASES],
    ids=[f"{r[0]}:{r[1]}:{r[3] or 'default'}" for r in CASES],
)
def test_attested_pair(scheme_id, source, expected, options):
    got = names.transliterate(source, scheme_id, options=_options(options))
    assert got == expected


# --------------------------------------------------------------------------- lt → ASCII


def test_lt_ascii_is_pure_ascii_and_agrees_with_icu_latin_ascii():
    out = names.transliterate_many(CORPUS_NAMES, "lt-ascii")
    latin_ascii = icu.Transliterator.createInstance("Latin-ASCII")
    for src, got in zip(CORPUS_NAMES, out, strict=True):
        assert got.isascii(), (src, got)
        assert len(got) == len(src), (src, got)  # a letter-for-letter fold
        assert got == latin_ascii.transliterate(src), (src, got)


def test_lt_ascii_digraph_is_pure_ascii_and_spells_out_carons():
    plain = names.transliterate_many(CORPUS_NAMES, "lt-ascii")
    digraph = names.transliterate_many(CORPUS_NAMES, "lt-ascii-digraph")
    for src, flat, got in zip(CORPUS_NAMES, plain, digraph, strict=True):
        assert got.isascii(), (src, got)
        carons = sum(src.lower().count(c) for c in CARON)
        assert len(got) == len(src) + carons, (src, got)
        # dropping the h of each sh/ch/zh that stands for a caron letter gives lt-ascii
        rebuilt, i = [], 0
        for ch in src:
            piece = got[i : i + (2 if ch.lower() in CARON else 1)]
            rebuilt.append(piece[0])
            i += len(piece)
        assert "".join(rebuilt) == flat, (src, got)


def test_caron_letters_are_present_in_the_corpus():
    # guards the two tests above against a corpus with nothing to fold
    joined = "".join(CORPUS_NAMES).lower()
    for letter in "ąčęėįšųūž":
        assert letter in joined


# --------------------------------------------------------------------------- lt → Cyrillic


def _letters(text: str) -> set[str]:
    return {ch for ch in text if ch.isalpha()}


@pytest.mark.parametrize("scheme_id", ["lt-ru", "lt-be"])
def test_lt_to_cyrillic_emits_only_cyrillic_letters(scheme_id):
    out = names.transliterate_many(CORPUS_NAMES, scheme_id)
    alien = set("іў") if scheme_id == "lt-ru" else set("ищъ")
    for src, got in zip(CORPUS_NAMES, out, strict=True):
        letters = _letters(got)
        assert letters, (src, got)
        latin = {ch for ch in letters if "LATIN" in unicodedata.name(ch)}
        assert not latin, (src, got, latin)
        assert all("CYRILLIC" in unicodedata.name(ch) for ch in letters), (src, got)
        assert not letters & (alien | {c.upper() for c in alien}), (src, got)


def test_lt_ru_keeps_lithuanian_endings():
    out = dict(zip(CORPUS_NAMES, names.transliterate_many(CORPUS_NAMES, "lt-ru"), strict=True))
    endings = {"surname-f-married": "ене", "surname-f-unmarried": "те"}
    for name, kind in CORPUS:
        if kind in endings:
            assert out[name].endswith(endings[kind]), (name, out[name])
        if kind == "surname-m" and name.endswith("as"):
            assert out[name].endswith("ас"), (name, out[name])


# --------------------------------------------------------------------------- case


def _cyrillic_inputs(scheme_id: str) -> list[str]:
    """Real Cyrillic names for ru-lt / be-lt: the attested sources, the seed list, and the
    corpus in its Russian (lt-ru) or Belarusian (lt-be) form."""
    items = [r[1] for r in CASES if r[0] == scheme_id]
    column = {"ru-lt": 3, "be-lt": 2}[scheme_id]
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed-names.tsv"
    for path in (seed, Path("/work/shared/seed-names.tsv")):
        if path.is_file():
            items += [r[column] for r in _rows(path) if len(r) > column and r[column]]
            break
    back = "lt-ru" if scheme_id == "ru-lt" else "lt-be"
    items += names.transliterate_many(CORPUS_NAMES, back)
    return items


@pytest.mark.parametrize("scheme_id", ALL_SCHEMES)
@pytest.mark.parametrize("endings", [True, False])
def test_all_caps_invariance(scheme_id, endings):
    if scheme_id in LT_SCHEMES:
        if not endings:
            pytest.skip("no options")
        items, options = CORPUS_NAMES, None
    else:
        items, options = _cyrillic_inputs(scheme_id), {"endings": endings}
    # single letters are ambiguous (Š. is Sh. in a title-case name, SH in an all-caps one)
    items = [s for s in items if all(len(w) > 1 for w in re.findall(r"\w+", s))]
    assert len(items) > 100
    lower = names.transliterate_many(items, scheme_id, options=options)
    upper = names.transliterate_many([s.upper() for s in items], scheme_id, options=options)
    for src, low, up in zip(items, lower, upper, strict=True):
        assert up == low.upper(), (src, low, up)


# --------------------------------------------------------------------------- endings option


@pytest.mark.parametrize("scheme_id", CYRL_SCHEMES)
def test_endings_option_changes_only_word_endings(scheme_id):
    items = _cyrillic_inputs(scheme_id)
    on = names.transliterate_many(items, scheme_id, options={"endings": True})
    off = names.transliterate_many(items, scheme_id, options={"endings": False})
    changed = consonant_final = 0
    for src, with_e, without in zip(items, on, off, strict=True):
        words_src = src.split()
        words_on, words_off = with_e.split(), without.split()
        assert len(words_on) == len(words_off) == len(words_src), (src, with_e, without)
        for w_src, w_on, w_off in zip(words_src, words_on, words_off, strict=True):
            if len(w_src) > 1 and w_src[-1].lower() in CONSONANT_FINAL:
                consonant_final += 1
                assert w_on != w_off, f"{w_src!r} ends in a consonant but took no ending"
            if w_on == w_off:
                continue
            changed += 1
            common = 0
            while common < min(len(w_on), len(w_off)) and w_on[common] == w_off[common]:
                common += 1
            # everything but the last letters (-ый → -as, -ий → -ijus, -о → -a) is shared
            assert len(w_off) - common <= 2, (w_src, w_on, w_off)
            assert len(w_on) - common <= 5, (w_src, w_on, w_off)
            assert re.search("(as|is|us|a)$", w_on, re.I), (w_src, w_on)
            # feminine -а/-я words never take an ending
            assert not w_src.lower().endswith(("а", "я")), (w_src, w_on, w_off)
    assert consonant_final > 300 and changed >= consonant_final


@pytest.mark.parametrize(
    "scheme_id,name",
    [
        ("ru-lt", "Любовь"),
        ("ru-lt", "Нинель"),
        ("be-lt", "Любоў"),
        ("be-lt", "Рахіль"),
    ],
)
def test_feminine_consonant_names_take_no_ending(scheme_id, name):
    on = names.transliterate(name, scheme_id)
    off = names.transliterate(name, scheme_id, options={"endings": False})
    assert on == off
    # but a masculine name with the same final letter does take one
    masc = {"ru-lt": "Игорь", "be-lt": "Алесь"}[scheme_id]
    assert names.transliterate(masc, scheme_id).endswith("is")
