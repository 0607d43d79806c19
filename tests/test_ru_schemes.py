"""The Russian schemes against iuliia, their peer, on a corpus of real Russian names and places.

Each rule file rules/ru/ru-<name>.toml reproduces iuliia's schema <name> (iuliia 0.13.0). On every
item of tests/data/ru-corpus.tsv our output must equal iuliia's after NFC (iuliia emits some
letters decomposed), except where the rule file lists a [[deviations]] entry with peer "iuliia":

* ``input``: that exact item; iuliia must still give ``theirs`` and we ``ours`` (checked directly,
  whether or not the item is in the corpus).
* ``match``: any item containing that text (case-insensitively) may differ, but only as stated:
  in each differing word of iuliia's output, replacing ``theirs`` by ``ours`` (and the upper-case
  forms likewise) must give our word.

A listed deviation that no longer occurs fails the test too, so the lists stay honest.

ALL-CAPS items are compared case-insensitively: iuliia capitalises digraphs inside an all-caps
word (ЕЛОВАЯ → YeLOVAYa, STANDARDS.md §2.a note 3) where we write YELOVAYA. Case in our own
output is checked separately by the property transliterate(s.upper()) == transliterate(s).upper().
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import iuliia
import pytest

import names

CORPUS_PATH = Path(__file__).parent / "data" / "ru-corpus.tsv"
RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")

# iuliia schema name -> our scheme id (the ids are a public contract)
IULIIA = [
    "ala_lc", "ala_lc_alt", "bgn_pcgn", "bgn_pcgn_alt", "bs_2979", "bs_2979_alt",
    "gost_16876", "gost_16876_alt", "gost_52290", "gost_52535", "gost_7034", "gost_779",
    "gost_779_alt", "icao_doc_9303", "iso_9_1954", "iso_9_1968", "iso_9_1968_alt", "mosmetro",
    "mvd_310", "mvd_310_fr", "mvd_782", "scientific", "telegram", "ungegn_1987", "wikipedia",
    "yandex_maps", "yandex_money",
]  # fmt: skip
SCHEMES = {name: "ru-" + name.replace("_", "-") for name in IULIIA}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.cache
def corpus() -> tuple[str, ...]:
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line.strip() and not line.startswith("#"))


def is_caps(item: str) -> bool:
    return item.isupper()


def iuliia_out(name: str, text: str) -> str:
    return nfc(iuliia.schemas.get(name).translate(text))


def same(item: str, ours: str, theirs: str) -> bool:
    if is_caps(item):
        return ours.casefold() == theirs.casefold()
    return ours == theirs


def explained(item: str, ours: str, theirs: str, devs: list[Mapping[str, str]]) -> bool:
    """Does replacing each match-deviation's theirs by ours, word by word, reconcile the two?"""
    ours_words, their_words = ours.split(" "), theirs.split(" ")
    if len(ours_words) != len(their_words):
        return False
    for o_word, t_word in zip(ours_words, their_words, strict=True):
        if same(item, o_word, t_word):
            continue
        fixed = t_word
        for dev in devs:
            fixed = fixed.replace(nfc(dev["theirs"]), nfc(dev["ours"]))
            fixed = fixed.replace(nfc(dev["theirs"]).upper(), nfc(dev["ours"]).upper())
        if not same(item, o_word, fixed):
            return False
    return True


def iuliia_deviations(scheme_id: str) -> list[Mapping[str, str]]:
    return [d for d in names.get_scheme(scheme_id).deviations if d.get("peer") == "iuliia"]


def test_corpus_shape() -> None:
    items = corpus()
    assert len(items) == len(set(items)), "corpus items are distinct"
    assert len(items) >= 5000
    for item in items:
        letters = {ch for ch in item.lower() if ch.isalpha()}
        assert letters <= RUSSIAN, item
    assert sum(is_caps(i) for i in items) >= 300
    assert sum(i.count(" ") == 2 and not is_caps(i) for i in items) >= 500  # full names
    endings = ["ов", "ова", "ский", "ская", "ин", "ина", "ой", "ая", "ич", "ко", "енко", "ых"]
    for ending in endings:
        assert sum(i.endswith(ending) for i in items) >= 10, ending
    for patronymic, least in [("ович", 50), ("евич", 50), ("овна", 50), ("евна", 50), ("ична", 10)]:
        assert sum(i.endswith(patronymic) for i in items) >= least, patronymic


def test_every_iuliia_schema_has_a_rule_file() -> None:
    theirs = set(iuliia.schemas.names()) - {"uz"}
    assert theirs == set(SCHEMES)
    ours = {s.id for s in names.schemes("ru")}
    assert set(SCHEMES.values()) <= ours


@pytest.mark.parametrize("name", IULIIA)
def test_equals_iuliia_on_corpus(name: str) -> None:
    scheme_id = SCHEMES[name]
    devs = iuliia_deviations(scheme_id)
    by_input = {nfc(d["input"]): d for d in devs if "input" in d}
    by_match = [d for d in devs if "match" in d]
    items = corpus()
    outputs = names.transliterate_many(items, scheme_id)
    used: set[int] = set()
    unexplained = []
    for item, ours in zip(items, outputs, strict=True):
        ours, theirs = nfc(ours), iuliia_out(name, item)
        if same(item, ours, theirs):
            continue
        dev = by_input.get(item)
        if dev is not None and ours == nfc(dev["ours"]) and theirs == nfc(dev["theirs"]):
            used.add(id(dev))
            continue
        applicable = [d for d in by_match if d["match"].lower() in item.lower()]
        if applicable and explained(item, ours, theirs, applicable):
            used.update(id(d) for d in applicable)
            continue
        unexplained.append((item, ours, theirs))
    assert unexplained[:20] == [], f"{len(unexplained)} unlisted differences from iuliia"
    stale = [d for d in by_match if id(d) not in used]
    assert stale == [], "listed deviations that no corpus item shows any more"


@pytest.mark.parametrize("name", IULIIA)
def test_input_deviations_still_occur(name: str) -> None:
    for dev in iuliia_deviations(SCHEMES[name]):
        if "input" not in dev:
            continue
        ours = nfc(names.transliterate(dev["input"], SCHEMES[name]))
        theirs = iuliia_out(name, dev["input"])
        assert (ours, theirs) == (nfc(dev["ours"]), nfc(dev["theirs"])), dev
        assert ours != theirs


@pytest.mark.parametrize("name", IULIIA)
def test_upper_case_property(name: str) -> None:
    scheme_id = SCHEMES[name]
    items = corpus()
    lower = names.transliterate_many(items, scheme_id)
    upper = names.transliterate_many([i.upper() for i in items], scheme_id)
    misses = [
        (item, up, low.upper())
        for item, up, low in zip(items, upper, lower, strict=True)
        if up != low.upper()
    ]
    assert misses[:10] == [], f"{len(misses)} items break the case property"


def test_deviation_check_is_not_vacuous() -> None:
    """The word-wise replacement accepts only the stated difference."""
    dev = [{"theirs": "ё", "ours": "ë"}]
    assert explained("Пётр", "Pëtr", "Pёtr", dev)
    assert not explained("Пётр", "Pëtr", "Pёtor", dev)
    assert not explained("Пётр Ильич", "Pëtr Il'ich", "Pёtr Ilich", dev)
    assert explained("ПЁТР", "PËTR", "PЁtr", dev)
