"""Press-convention schemes (issue 3): attested press spellings and ALL-CAPS invariance.

The generic every-sample test lives in tests/test_rules.py; this file checks the press schemes
against tests/data/press-cases.tsv (spellings printed by the press or used as Wikipedia titles,
beyond each rule file's own samples) and that upper-casing the input upper-cases the output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import names

DATA = Path(__file__).parent / "data" / "press-cases.tsv"
PRESS_SCHEMES = ("be-de", "be-fr", "be-pl", "be-cs", "ru-de", "ru-fr", "ru-pl", "ru-cs", "ru-en")


def _read_cases() -> list[tuple[str, str, str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [(r["scheme"], r["source"], r["expected"], r["citation"]) for r in reader]


CASES = _read_cases()


def test_every_press_scheme_has_fifteen_cases() -> None:
    counts = {s: sum(1 for c in CASES if c[0] == s) for s in PRESS_SCHEMES}
    assert all(n >= 15 for n in counts.values()), counts
    assert {c[0] for c in CASES} <= set(PRESS_SCHEMES)
    assert all(c[3].strip() for c in CASES), "every case needs a citation"


def test_cases_are_not_the_files_own_samples() -> None:
    for scheme_id in PRESS_SCHEMES:
        own = {s.source for s in names.get_scheme(scheme_id).samples}
        repeated = [c[1] for c in CASES if c[0] == scheme_id and c[1] in own]
        assert not repeated, (scheme_id, repeated)


@pytest.mark.parametrize(
    ("scheme", "source", "expected"),
    [c[:3] for c in CASES],
    ids=[f"{c[0]}:{c[1]}" for c in CASES],
)
def test_press_spelling(scheme: str, source: str, expected: str) -> None:
    assert names.transliterate(source, scheme) == expected


@pytest.mark.parametrize("scheme", PRESS_SCHEMES)
def test_all_caps_invariance(scheme: str) -> None:
    sources = [c[1] for c in CASES if c[0] == scheme]
    lower = names.transliterate_many(sources, scheme)
    upper = names.transliterate_many([s.upper() for s in sources], scheme)
    bad = [
        (s, u, lo.upper())
        for s, u, lo in zip(sources, upper, lower, strict=True)
        if u != lo.upper()
    ]
    assert not bad, bad


@pytest.mark.parametrize("scheme", PRESS_SCHEMES)
def test_title_case_digraphs(scheme: str) -> None:
    # A name that starts with a letter written as two or more Latin letters keeps only the
    # first capital (Sch-, Ch-, Tch-, Sz-, Zh-), never SCh- or CH- inside a title-case word.
    sources = [c[1] for c in CASES if c[0] == scheme]
    for out in names.transliterate_many(sources, scheme):
        for word in out.replace("-", " ").split():
            assert not any(ch.isupper() for ch in word[1:]), (scheme, out)


def test_press_schemes_own_their_alphabet() -> None:
    be = set("абвгдеёжзійклмнопрстуўфхцчшыьэюя’")
    ru = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    for scheme_id in PRESS_SCHEMES:
        sch = names.get_scheme(scheme_id)
        assert set(sch.owns) == (be if sch.language == "be" else ru), scheme_id
        assert not sch.reversible
        # no Cyrillic letter of the alphabet may pass through untouched
        text = "".join(sorted(be if sch.language == "be" else ru))
        out = names.transliterate(text, scheme_id)
        assert not any("\u0400" <= ch <= "\u04ff" for ch in out), (scheme_id, out)


@pytest.mark.parametrize(
    ("scheme", "source", "on", "off"),
    [
        ("ru-cs", "Анна Политковская", "Anna Politkovská", "Anna Politkovskaja"),
        ("ru-cs", "Мария Шарапова", "Marija Šarapovová", "Marija Šarapova"),
        ("be-cs", "Ларыса Шчыракова", "Larysa Ščyrakovová", "Larysa Ščyrakova"),
    ],
)
def test_czech_feminine_option(scheme: str, source: str, on: str, off: str) -> None:
    assert names.transliterate(source, scheme) == on
    assert names.transliterate(source, scheme, options={"feminine": False}) == off


def test_czech_feminine_leaves_given_names_alone() -> None:
    assert names.transliterate("Ирина Ева Марина", "ru-cs") == "Irina Jeva Marina"
    assert names.transliterate("Яраслава", "be-cs") == "Jaraslava"


def test_polish_press_option() -> None:
    assert names.transliterate("Горький", "ru-pl") == "Gorki"
    assert names.transliterate("Горький", "ru-pl", options={"press": False}) == "Gorkij"
    strict = {"press": False, "softmark": True}
    assert names.transliterate("Горький", "ru-pl", options=strict) == "Gor´kij"
