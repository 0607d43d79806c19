"""The gazetteer rules/lexicon/places.tsv: its format, its sources and the equivalences it must
hold (one place per line, each form in one class only unless the header lists it as shared)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

import names
from names import lexicon

PATH = Path(__file__).resolve().parent.parent / "rules" / "lexicon" / "places.tsv"
# the ten first columns, and the seven press languages added after them (exonyms: Moscú, Varsó)
BASE_LANGS = ("be", "ru", "uk", "lt", "pl", "en", "de", "fr", "cs", "lv")
PRESS_LANGS = ("es", "hu", "ro", "nl", "sv", "it", "tr")
LANGS = BASE_LANGS + PRESS_LANGS
COLUMNS = ("id", "kind", *LANGS, "source")
KINDS = {"country", "region", "city", "town", "river", "lake", "historic"}
CYRILLIC_LANGS = {"be", "ru", "uk"}

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")
# letters a language's alphabet lacks: a form with one of them is in the wrong column
_FOREIGN = {"be": set("ищъїєґ"), "ru": set("іўїєґ"), "uk": set("ыэёъў")}
_SHARED = re.compile(r"^# shared: (.+?) = ([a-z0-9_ ]+)$")
_SOURCE_KEY = re.compile(r"^#   ([a-z][a-z-]*)\s{2,}\S")


@cache
def load() -> tuple[list[str], tuple[str, ...], list[dict[str, object]]]:
    """(comment lines, column header, rows); each row maps language -> tuple of forms."""
    comments: list[str] = []
    header: tuple[str, ...] = ()
    rows: list[dict[str, object]] = []
    for lineno, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            comments.append(line)
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if not header:
            header = tuple(cells)
            continue
        assert len(cells) == len(COLUMNS), f"line {lineno}: {len(cells)} columns"
        row: dict[str, object] = {"line": lineno}
        for key, cell in zip(COLUMNS, cells, strict=True):
            if key in LANGS:
                row[key] = () if cell == "-" else tuple(cell.split(","))
            else:
                row[key] = cell
        rows.append(row)
    return comments, header, rows


def rows() -> list[dict[str, object]]:
    return load()[2]


def by_id(cid: str) -> dict[str, object]:
    return next(r for r in rows() if r["id"] == cid)


def all_forms(row: dict[str, object]) -> set[str]:
    return {f for lang in LANGS for f in row[lang]}  # type: ignore[union-attr]


def shared_notes() -> dict[str, set[str]]:
    notes = {}
    for line in load()[0]:
        m = _SHARED.match(line)
        if m:
            notes[m.group(1).casefold()] = set(m.group(2).split())
    return notes


def source_keys() -> set[str]:
    comments = load()[0]
    start = comments.index("# Sources (keys):")
    keys = set()
    for line in comments[start + 1 :]:
        if line.strip() == "#":
            break
        m = _SOURCE_KEY.match(line)
        if m:
            keys.add(m.group(1))
    return keys


# --- format ----------------------------------------------------------------------------------


def test_header_comment_and_column_line():
    comments, header, _ = load()
    assert header == COLUMNS
    text = "\n".join(comments)
    for word in ("Columns", "Sources (keys)", "Status", "shared"):
        assert word in text
    # the header documents every column it has
    for col in COLUMNS:
        assert re.search(rf"#\s+(\S+\s+)*{col}\b", text), col


def test_ids_are_unique_ascii_slugs_and_kinds_known():
    ids = [r["id"] for r in rows()]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for r in rows():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["id"]), r["id"]
        assert r["kind"] in KINDS, (r["id"], r["kind"])


def test_at_least_150_classes_each_with_a_be_ru_or_lt_form():
    assert len(rows()) >= 150
    for r in rows():
        assert r["be"] or r["ru"] or r["lt"], r["id"]


def test_cells_are_clean():
    for r in rows():
        for lang in LANGS:
            forms = r[lang]
            assert len(forms) == len(set(forms)), (r["id"], lang, "repeated form")
            for f in forms:
                assert f and f == f.strip() and "  " not in f, (r["id"], lang, f)
                assert f != "-", (r["id"], lang)
                assert unicodedata.is_normalized("NFC", f), (r["id"], lang, f)


def test_scripts_match_columns():
    for r in rows():
        for lang in LANGS:
            for f in r[lang]:
                if lang in CYRILLIC_LANGS:
                    assert not _LAT.search(f), (r["id"], lang, f)
                    assert _CYR.search(f), (r["id"], lang, f)
                    assert not set(f.lower()) & _FOREIGN[lang], (r["id"], lang, f)
                else:
                    assert not _CYR.search(f), (r["id"], lang, f)
                    assert _LAT.search(f), (r["id"], lang, f)


def test_every_row_cites_known_sources():
    keys = source_keys()
    assert {"wp", "ksng", "by-gaz", "lt-reg", "ru-reg", "tr"} <= keys
    for r in rows():
        cited = r["source"].split(";")
        assert cited and all(cited), r["id"]
        assert set(cited) <= keys, (r["id"], set(cited) - keys)


def test_no_form_in_two_classes_unless_noted_shared():
    owners: dict[str, set[str]] = defaultdict(set)
    for r in rows():
        for f in all_forms(r):
            owners[f.casefold()].add(r["id"])
    notes = shared_notes()
    clashes = {f: ids for f, ids in owners.items() if len(ids) > 1 and notes.get(f) != ids}
    assert not clashes
    # a note must describe a real, current overlap (no stale notes)
    for form, ids in notes.items():
        assert owners.get(form) == ids, (form, ids, owners.get(form))


def test_shared_note_is_honoured_for_memel():
    assert shared_notes()["memel"] == {"klaipeda", "neman"}
    assert "Memel" in by_id("klaipeda")["de"] and "Memel" in by_id("neman")["de"]


# --- coverage --------------------------------------------------------------------------------


def count(source: str, kinds: set[str]) -> int:
    return sum(1 for r in rows() if source in r["source"].split(";") and r["kind"] in kinds)


def test_coverage_of_the_region():
    assert count("by-gaz", {"city", "town"}) >= 60
    assert count("lt-reg", {"city", "town"}) >= 25
    assert count("ru-reg", {"city", "town"}) >= 30
    ids = {r["id"] for r in rows()}
    countries = {
        "belarus",
        "lithuania",
        "russia",
        "poland",
        "ukraine",
        "latvia",
        "estonia",
        "germany",
    }
    assert countries <= {r["id"] for r in rows() if r["kind"] == "country"}
    rivers = {"dnieper", "neman", "western_dvina", "pripyat", "berezina", "neris"}
    assert rivers <= ids
    assert "gdl" in ids


OBLASTS = ("minsk", "brest", "hrodna", "vitsebsk", "mahilyow", "homyel")


@pytest.mark.parametrize("city", OBLASTS)
def test_oblasts_and_their_centres_are_named_in_every_language(city):
    for cid in (city, f"{city}_region"):
        r = by_id(cid)
        for lang in LANGS if cid == city else BASE_LANGS:
            assert r[lang], (cid, lang)
    # the regions' names in the press languages are thinner (no sure Swedish title for all)
    region = by_id(f"{city}_region")
    assert sum(1 for lang in PRESS_LANGS if region[lang]) >= len(PRESS_LANGS) - 1, city
    assert region["kind"] == "region"


BELARUS_TOWNS = [
    r["id"]
    for r in load()[2]
    if "by-gaz" in r["source"].split(";") and r["kind"] in ("city", "town")
]


@pytest.mark.parametrize("cid", BELARUS_TOWNS)
def test_belarusian_towns_have_be_ru_and_an_ascii_english_form(cid):
    r = by_id(cid)
    assert r["be"] and r["ru"], cid
    assert any(f.isascii() for f in r["en"]), cid


def test_belarusian_towns_mostly_have_a_polish_name():
    with_pl = [cid for cid in BELARUS_TOWNS if by_id(cid)["pl"]]
    assert len(with_pl) >= 0.9 * len(BELARUS_TOWNS)


# --- equivalences named in the brief -----------------------------------------------------------

EQUIVALENT = {
    "minsk": "Мінск Минск Minsk Mińsk Minskas Менск",
    "belarus": "Weißrussland Białoruś Baltarusija Bělorusko Biélorussie Byelorussia Белоруссия "
    "Беларусь",
    "vilnius": "Вільня Wilno Wilna Vilna Vilnius Вильнюс",
    "kaunas": "Kowno Kauen Kaunas Ковно",
    "klaipeda": "Memel Klaipėda Kłajpeda",
    "kaliningrad": "Królewiec Königsberg Калининград Karaliaučius",
    "brest": "Brest-Litowsk Brześć|nad|Bugiem Берасце Brest-Litovsk Брэст",
    "hrodna": "Hrodna Grodno Гродна Гродно Gardinas",
    "vitsebsk": "Vitsebsk Viciebsk Vitebsk Віцебск Witebsk",
    "mahilyow": "Mahilyow Mahilioŭ Mogilev Магілёў Могилёв Mohylew",
    "homyel": "Homiel Homyel Gomel Гомель Homel",
    "dnieper": "Дняпро Днепр Dniepr Dnepr Dnieper Dnipro",
    "neman": "Nioman Neman Nemunas Memel Нёман Niemen",
    "western_dvina": "Daugava Дзвіна Dźwina Düna",
    "pripyat": "Prypiać Pripyat Прыпяць Prypeć",
    "berezina": "Biarezina Berezina Бярэзіна Березина",
    "neris": "Vilija Neris Вілія Wilia",
    "gdl": "Вялікае|Княства|Літоўскае Lietuvos|Didžioji|Kunigaikštystė "
    "Wielkie|Księstwo|Litewskie Grand|Duchy|of|Lithuania",
}


@pytest.mark.parametrize("cid", sorted(EQUIVALENT))
def test_named_equivalences(cid):
    forms = all_forms(by_id(cid))
    for want in EQUIVALENT[cid].split():
        assert want.replace("|", " ") in forms, (cid, want)


def test_same_name_elsewhere_is_not_a_second_class():
    # Brest (France), Mińsk Mazowiecki, the Southern Bug, the Northern Dvina: not listed
    owners = defaultdict(set)
    for r in rows():
        for f in all_forms(r):
            owners[f].add(r["id"])
    assert owners["Brest"] == {"brest"}
    assert owners["Bug"] == {"western_bug"}
    assert owners["Двина"] == {"western_dvina"}
    assert not any("Mazowiecki" in f for r in rows() for f in all_forms(r))


# --- exonyms of the press languages ------------------------------------------------------------

# (language, exonym, class id, Russian form): each exonym is listed in its language's column and
# matches the Russian name through the gazetteer; most of them are too far from the Russian
# spelling for any reading convention (Leópolis, Lengyelország, Wit-Rusland, Duitsland)
EXONYMS = [
    ("es", "Moscú", "moscow", "Москва"),
    ("es", "Varsovia", "warsaw", "Варшава"),
    ("es", "Lituania", "lithuania", "Литва"),
    ("es", "Leópolis", "lviv", "Львов"),
    ("es", "Cracovia", "krakow", "Краков"),
    ("es", "San Petersburgo", "saint_petersburg", "Санкт-Петербург"),
    ("es", "Alemania", "germany", "Германия"),
    ("hu", "Moszkva", "moscow", "Москва"),
    ("hu", "Varsó", "warsaw", "Варшава"),
    ("hu", "Litvánia", "lithuania", "Литва"),
    ("hu", "Fehéroroszország", "belarus", "Белоруссия"),
    ("hu", "Szentpétervár", "saint_petersburg", "Санкт-Петербург"),
    ("hu", "Oroszország", "russia", "Россия"),
    ("hu", "Lengyelország", "poland", "Польша"),
    ("ro", "Moscova", "moscow", "Москва"),
    ("ro", "Varșovia", "warsaw", "Варшава"),
    ("ro", "Nipru", "dnieper", "Днепр"),
    ("nl", "Moskou", "moscow", "Москва"),
    ("nl", "Litouwen", "lithuania", "Литва"),
    ("nl", "Wit-Rusland", "belarus", "Белоруссия"),
    ("nl", "Oekraïne", "ukraine", "Украина"),
    ("nl", "Duitsland", "germany", "Германия"),
    ("sv", "Vitryssland", "belarus", "Белоруссия"),
    ("sv", "Ryssland", "russia", "Россия"),
    ("sv", "Tyskland", "germany", "Германия"),
    ("it", "Mosca", "moscow", "Москва"),
    ("it", "Leopoli", "lviv", "Львов"),
    ("it", "Danzica", "gdansk", "Гданьск"),
    ("it", "San Pietroburgo", "saint_petersburg", "Санкт-Петербург"),
    ("tr", "Moskova", "moscow", "Москва"),
    ("tr", "Varşova", "warsaw", "Варшава"),
    ("tr", "Beyaz Rusya", "belarus", "Белоруссия"),
    ("tr", "Almanya", "germany", "Германия"),
    ("tr", "Polonya", "poland", "Польша"),
]


@pytest.mark.parametrize(("lang", "exonym", "cid", "ru"), EXONYMS)
def test_press_exonyms_match_the_russian_name(lang, exonym, cid, ru):
    r = by_id(cid)
    assert exonym in r[lang], (cid, lang, exonym)
    assert ru in r["ru"], (cid, ru)
    assert names.compare(exonym, ru).score >= names.DEFAULT_THRESHOLD, (exonym, ru)


def test_every_press_language_has_exonyms_under_test():
    assert len(EXONYMS) >= 20
    assert {lang for lang, *_ in EXONYMS} == set(PRESS_LANGS)


# two different places, at least one named by a press exonym: both are known places, and they
# stay apart
DIFFERENT_PLACES = [
    ("Moscú", "Minsk"),
    ("Mosca", "Минск"),
    ("Moszkva", "Варшава"),
    ("Varşova", "Москва"),
    ("Varsovia", "Вильнюс"),
    ("Litouwen", "Латвия"),
    ("Wit-Rusland", "Россия"),
    ("Vitryssland", "Литва"),
    ("Oroszország", "Белоруссия"),
    ("Leópolis", "Киев"),
    ("Moscova", "Молдова"),
    ("Danzica", "Гродно"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PLACES)
def test_press_exonyms_of_two_places_stay_below_the_threshold(a, b):
    places_a = {p.id for p in lexicon.place_classes(a)}
    places_b = {p.id for p in lexicon.place_classes(b)}
    assert places_a and places_b and not places_a & places_b, (places_a, places_b)
    assert names.compare(a, b).score < names.DEFAULT_THRESHOLD, (a, b)
