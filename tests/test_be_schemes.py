"""The eight Belarusian schemes on a corpus of real Belarusian names and places.

1. be-bgn against its peer, ICU's built-in Belarusian-Latin/BGN, on every corpus item. The two
   must agree except where rules/be/be-bgn.toml lists a [[deviations]] entry with peer
   "icu:Belarusian-Latin/BGN" (``match``: an item containing that text may differ, but only by
   ICU's ``theirs`` standing where we write ``ours``). A listed deviation that never occurs fails
   the test too. ICU only knows U+2019 as the Belarusian apostrophe, so it is given the item with
   the apostrophe variants folded, which is what our [prepare] does.
2. The seed names of the project (tests/data/seed-names.tsv, be column) give the forms written
   out per scheme in tests/data/seed-be-expected.tsv.
3. Case is a property: transliterate(s.upper()) == transliterate(s).upper() on every corpus item
   in every scheme, and digraphs take title case before lower case and standing alone.
4. be-national, be-iso9 and be-lacinka read back: reverse(forward(x)) == x (apostrophes folded).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import icu
import pytest

import names

DATA = Path(__file__).parent / "data"
RULES = Path(__file__).parent.parent / "rules" / "be"
SCHEMES = (
    "be-national", "be-passport", "be-bgn", "be-alalc",
    "be-iso9", "be-gost779b", "be-lacinka", "be-national-2023",
)  # fmt: skip
REVERSIBLE = ("be-national", "be-iso9", "be-lacinka")
ICU_PEER = "icu:Belarusian-Latin/BGN"
BELARUSIAN = set("абвгдеёжзійклмнопрстуўфхцчшыьэюя")


def fold(text: str) -> str:
    """The apostrophe variants of real data folded to U+2019, as every be file's [prepare] does."""
    return unicodedata.normalize("NFC", text).replace("'", "’").replace("ʼ", "’")


@functools.cache
def corpus() -> tuple[str, ...]:
    items = []
    for line in (DATA / "be-corpus.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            items.append(line.split("\t")[0])
    return tuple(items)


@functools.cache
def forward(scheme: str) -> tuple[str, ...]:
    return tuple(names.transliterate_many(list(corpus()), scheme))


def test_corpus_is_real_belarusian() -> None:
    items = corpus()
    assert len(items) >= 2000
    assert len(set(items)) == len(items), "corpus items must be distinct"
    for item in items:
        letters = {ch.lower() for ch in item if ch.isalpha() and ch != "ʼ"}
        assert letters <= BELARUSIAN, f"{item!r}: {sorted(letters - BELARUSIAN)} not Belarusian"
    # the hard cases are present: soft sign, apostrophe (all three encodings), ў, дз, дж, шч
    text = "\n".join(items)
    for needle in ("ь", "’", "'", "ʼ", "ў", "дз", "дж", "шч", "Ё", "зь", "ль", "нь", "сь", "ць"):
        assert needle.lower() in text.lower(), needle


def test_every_scheme_is_installed() -> None:
    ids = {scheme.id for scheme in names.schemes(language="be")}
    assert set(SCHEMES) <= ids


# --------------------------------------------------------------------------- 1. BGN peer


def bgn_deviations() -> list[dict[str, str]]:
    scheme = names.load_scheme(RULES / "be-bgn.toml")
    return [dict(dev) for dev in scheme.deviations if dev["peer"] == ICU_PEER]


def explained(item: str, ours: str, theirs: str, devs: list[dict[str, str]]) -> set[int]:
    """The indices of the listed deviations that turn ICU's output into ours for this item;
    empty when the difference is not explained by the list."""
    used = set()
    fixed = theirs
    for i, dev in enumerate(devs):
        applies = dev.get("input") == item or (
            "match" in dev and dev["match"].lower() in fold(item).lower()
        )
        if applies and dev["theirs"] in fixed:
            fixed = fixed.replace(dev["theirs"], dev["ours"])
            fixed = fixed.replace(dev["theirs"].upper(), dev["ours"].upper())
            used.add(i)
    return used if fixed == ours else set()


def test_bgn_agrees_with_icu_except_listed_deviations() -> None:
    peer = icu.Transliterator.createInstance("Belarusian-Latin/BGN")
    devs = bgn_deviations()
    assert devs, "be-bgn must list its differences from ICU"
    for dev in devs:
        assert dev.get("clause"), dev
    unexplained, used = [], set()
    for item, ours in zip(corpus(), forward("be-bgn"), strict=True):
        theirs = unicodedata.normalize("NFC", peer.transliterate(fold(item)))
        if theirs == ours:
            continue
        why = explained(item, ours, theirs, devs)
        if not why:
            unexplained.append((item, ours, theirs))
        used |= why
    assert not unexplained, f"{len(unexplained)} unlisted differences, e.g. {unexplained[:10]}"
    stale = [dev for i, dev in enumerate(devs) if i not in used]
    assert not stale, f"deviations that never occur on the corpus: {stale}"


def test_bgn_peer_check_can_fail() -> None:
    """The comparison above must notice a real difference (guards against a vacuous pass)."""
    devs = bgn_deviations()
    assert not explained("Гомель", "Homel’", "Homyelʹ", devs)
    assert explained("Гомель", "Homyel’", "Homyelʹ", devs)


# --------------------------------------------------------------------------- 2. seed names


@functools.cache
def seed_expected() -> tuple[tuple[str, str, str], ...]:
    rows = []
    for line in (DATA / "seed-be-expected.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("scheme\t"):
            continue
        scheme, be, expected = line.split("\t")
        rows.append((scheme, be, expected))
    return tuple(rows)


def seed_be_names() -> list[str]:
    lines = (DATA / "seed-names.tsv").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("kind\t")).split("\t")
    col = header.index("be")
    out = []
    for line in lines:
        if line.startswith("#") or line.startswith("kind\t"):
            continue
        cells = line.split("\t")
        if len(cells) > col and cells[col].strip():
            out.append(cells[col])
    return out


def test_seed_table_covers_every_scheme_and_name() -> None:
    have = {(scheme, be) for scheme, be, _ in seed_expected()}
    want = {(scheme, be) for scheme in SCHEMES for be in seed_be_names()}
    assert want <= have, sorted(want - have)[:10]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_seed_names(scheme: str) -> None:
    rows = [(be, exp) for sch, be, exp in seed_expected() if sch == scheme]
    got = names.transliterate_many([be for be, _ in rows], scheme)
    wrong = [(be, exp, g) for (be, exp), g in zip(rows, got, strict=True) if g != exp]
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("scheme", "be", "expected"),
    [
        ("be-national", "Святлана Ціханоўская", "Sviatlana Cichanoŭskaja"),
        ("be-passport", "Аляксандр Лукашэнка", "Aliaksandr Lukashenka"),
        ("be-passport", "Сяргей Ціханоўскі", "Siarhei Tsikhanouski"),
        ("be-passport", "Святлана Ціханоўская", "Sviatlana Tsikhanouskaia"),
        ("be-bgn", "Святлана Ціханоўская", "Svyatlana Tsikhanowskaya"),
        ("be-lacinka", "Алесь Бяляцкі", "Aleś Bialacki"),
        ("be-national", "Алесь Бяляцкі", "Alieś Bialiacki"),
        ("be-national-2023", "Ларыса Шчыракова", "Larysa Shchyrakova"),
    ],
)
def test_named_forms_from_the_brief(scheme: str, be: str, expected: str) -> None:
    assert names.transliterate(be, scheme) == expected


def test_passport_is_ascii() -> None:
    for item, out in zip(corpus(), forward("be-passport"), strict=True):
        assert out.isascii(), (item, out)
    assert names.transliterate("Ё Ў Ь ’", "be-passport").isascii()


# --------------------------------------------------------------------------- 3. case


@pytest.mark.parametrize("scheme", SCHEMES)
def test_upper_case_commutes(scheme: str) -> None:
    upper = names.transliterate_many([item.upper() for item in corpus()], scheme)
    bad = [
        (item, got, want.upper())
        for item, got, want in zip(corpus(), upper, forward(scheme), strict=True)
        if got != want.upper()
    ]
    assert not bad, f"{len(bad)} items, e.g. {bad[:8]}"


@pytest.mark.parametrize(
    ("scheme", "title", "upper", "initial"),
    [
        ("be-passport", "Shchyrakova", "SHCHYRAKOVA", "Sh."),
        ("be-bgn", "Shchyrakova", "SHCHYRAKOVA", "Sh."),
        ("be-alalc", "Shchyrakova", "SHCHYRAKOVA", "Sh."),
        ("be-national-2023", "Shchyrakova", "SHCHYRAKOVA", "Sh."),
        ("be-gost779b", "Shchy`rakova", "SHCHY`RAKOVA", "Sh."),
        ("be-national", "Ščyrakova", "ŠČYRAKOVA", "Š."),
        ("be-lacinka", "Ščyrakova", "ŠČYRAKOVA", "Š."),
        ("be-iso9", "Ščyrakova", "ŠČYRAKOVA", "Š."),
    ],
)
def test_digraph_title_case(scheme: str, title: str, upper: str, initial: str) -> None:
    assert names.transliterate("Шчыракова", scheme) == title
    assert names.transliterate("ШЧЫРАКОВА", scheme) == upper
    assert names.transliterate("Ш.", scheme) == initial
    assert names.transliterate("Л. Шчыракова", scheme).endswith(" " + title)


@pytest.mark.parametrize(
    ("scheme", "text", "expected"),
    [
        ("be-passport", "ЮРАС КАРМАНАЎ", "IURAS KARMANAU"),
        ("be-passport", "Юрас", "Iuras"),
        ("be-passport", "Ю. Карманаў", "Iu. Karmanau"),
        ("be-bgn", "ЯЎГЕН", "YAWHYEN"),
        ("be-bgn", "ІЛЬЯ", "IL’YA"),
        ("be-bgn", "ДАР’Я", "DAR”YA"),
        ("be-gost779b", "МАРЫЯ", "MARY`YA"),
        ("be-national", "ЁДЫ", "JODY"),
        ("be-national", "Ёды", "Jody"),
        ("be-national", "ЖЭЛЬВА ДЗЬ", "ŽEĹVA DŹ"),
        ("be-alalc", "ЯКУБ", "I͡AKUB"),
        ("be-alalc", "Якуб", "I͡Akub"),
        ("be-lacinka", "ЛУКАШЭНКА", "ŁUKAŠENKA"),
        ("be-national-2023", "ЧАРНАРУЧЧА", "CHARNARUCHCHA"),
    ],
)
def test_case_of_multi_letter_outputs(scheme: str, text: str, expected: str) -> None:
    assert names.transliterate(text, scheme) == expected


# --------------------------------------------------------------------------- 4. round trip


@pytest.mark.parametrize("scheme", REVERSIBLE)
def test_round_trip_on_corpus(scheme: str) -> None:
    back = names.transliterate_many(list(forward(scheme)), scheme, reverse=True)
    bad = [
        (item, out, b)
        for item, out, b in zip(corpus(), forward(scheme), back, strict=True)
        if b != fold(item)
    ]
    assert not bad, f"{len(bad)} items, e.g. {bad[:8]}"


@pytest.mark.parametrize("scheme", REVERSIBLE)
def test_round_trip_upper_case(scheme: str) -> None:
    items = [item.upper() for item in corpus()[::7]]
    out = names.transliterate_many(items, scheme)
    back = names.transliterate_many(out, scheme, reverse=True)
    bad = [(item, o, b) for item, o, b in zip(items, out, back, strict=True) if b != fold(item)]
    assert not bad, f"{len(bad)} items, e.g. {bad[:8]}"


@pytest.mark.parametrize(
    ("scheme", "latin", "cyrillic"),
    [
        ("be-national", "Vierabjovičy", "Вераб’ёвічы"),
        ("be-national", "Iĺja", "Ілья"),
        ("be-national", "Haŭja", "Гаўя"),
        ("be-national", "Marjina Horka", "Мар’іна Горка"),
        ("be-lacinka", "Natalla", "Наталля"),
        ("be-lacinka", "Uljana", "Ульяна"),
        ("be-lacinka", "Volha", "Вольга"),
        ("be-lacinka", "Bialacki", "Бяляцкі"),
        ("be-iso9", "sâmʼâ", "сям’я"),
    ],
)
def test_reverse_contexts(scheme: str, latin: str, cyrillic: str) -> None:
    assert names.transliterate(latin, scheme, reverse=True) == cyrillic
