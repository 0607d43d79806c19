"""Reading files (rules/readings/read-*.toml): a Latin spelling read back into Cyrillic must fold
to the same key as the Cyrillic it came from.

For each forward scheme and the reading that inverts its convention, every given name and
surname of the Belarusian or Russian corpus is transliterated forward, lower-cased, read back
and folded (rules/readings/fold.toml with option surname); the key must equal the fold of the
lower-cased Cyrillic. The attested spellings of tests/data/devset.tsv are checked the same way
across conventions: each Latin surname, read under its convention, must fold to the key of one
of its entity's Cyrillic surnames.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pytest

import names
from names.translit import sample_failures

DATA = Path(__file__).parent / "data"

READINGS = (
    "read-en",
    "read-bgn",
    "read-passport",
    "read-de",
    "read-fr",
    "read-pl",
    "read-cs",
    "read-lt",
    "read-national",
    "read-lacinka",
    "read-iso9",
    "read-es",
    "read-hu",
    "read-ro",
    "read-lv",
    "read-nl",
    "read-sv",
    "read-it",
    "read-tr",
)

# (forward scheme, reading, lowest agreement accepted): 0.97, raised toward the measured rate
# (printed by test_report_rates with -s). German and French stay below 0.97 because the
# conventions themselves merge letters: Duden writes з and с both s (except с between vowels,
# ss) and ж and ш both sch; French writes -ия and -ья both -ia (Russian side). Their bars are
# the measured rates rounded down (see the report of issue 5).
PAIRINGS = (
    ("be-passport", "read-passport", 0.98),
    ("ru-icao-doc-9303", "read-passport", 0.98),
    ("ru-en", "read-en", 0.98),
    ("ru-wikipedia", "read-en", 0.98),
    ("be-bgn", "read-bgn", 0.995),
    ("ru-bgn-pcgn", "read-bgn", 0.995),
    ("be-de", "read-de", 0.90),
    ("ru-de", "read-de", 0.9),
    ("be-fr", "read-fr", 0.97),
    ("ru-fr", "read-fr", 0.95),
    ("be-pl", "read-pl", 0.98),
    ("ru-pl", "read-pl", 0.98),
    ("be-cs", "read-cs", 0.98),
    ("ru-cs", "read-cs", 0.99),
    ("be-lt", "read-lt", 0.99),
    ("ru-lt", "read-lt", 0.98),
    ("be-national", "read-national", 0.98),
    ("be-national-2023", "read-national", 0.97),
    ("be-lacinka", "read-lacinka", 0.995),
    ("be-iso9", "read-iso9", 0.995),
    ("ru-gost-779", "read-iso9", 0.995),
    ("ru-scientific", "read-iso9", 0.995),
    # the press conventions of other languages merge more: Spanish writes ие/ье both ie and
    # ия/ья/я both ia; Romanian ия/ья both ia, ие/ье both ie; Dutch с+я and ш+а both sja
    ("ru-es", "read-es", 0.955),
    ("ru-hu", "read-hu", 0.995),
    ("ru-ro", "read-ro", 0.965),
    ("ru-lv", "read-lv", 0.995),
    ("ru-nl", "read-nl", 0.98),
    ("ru-sv", "read-sv", 0.99),
    # Italian writes ш and щ both sc/sci, and merges ия/ья/я as Spanish does
    ("ru-it", "read-it", 0.95),
    ("ru-tr", "read-tr", 0.995),
)

# devset.tsv conventions read by one of the readings
DEVSET_CONVENTIONS = {
    "en-press": "read-en",
    "wikipedia": "read-en",
    "passport": "read-passport",
    "bgn": "read-bgn",
    "de": "read-de",
    "fr": "read-fr",
    "pl": "read-pl",
    "cs": "read-cs",
    "lt": "read-lt",
    "national": "read-national",
    "lacinka": "read-lacinka",
    "iso9": "read-iso9",
    "ala-lc": "read-iso9",
    "es": "read-es",
    "hu": "read-hu",
    "ro": "read-ro",
    "lv": "read-lv",
    "nl": "read-nl",
}
DEVSET_BAR = 0.9


# --------------------------------------------------------------------------- data


def _lines(path: Path) -> list[str]:
    return [
        line.rstrip("\n")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@functools.cache
def be_names() -> tuple[str, ...]:
    """Given names and surnames of the Belarusian corpus (kinds given-*, surname*)."""
    found = []
    for line in _lines(DATA / "be-corpus.tsv"):
        name, kind = line.split("\t")
        if kind.startswith(("given", "surname")):
            found.append(name)
    return tuple(dict.fromkeys(found))


_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$")


@functools.cache
def ru_names() -> tuple[str, ...]:
    """Given names and surnames of the Russian corpus.

    The file has no kind column; its header describes the order: given names, patronymics,
    surnames (all one word), then place names starting with Москва, then full names. Given
    names are the one-word rows before the first patronymic, surnames those after the last
    patronymic and before the first place name.
    """
    rows = _lines(DATA / "ru-corpus.tsv")
    places = rows.index("Москва")
    head = rows[:places]
    patr = [i for i, w in enumerate(head) if _PATRONYMIC.search(w) and w[0].isupper()]
    first, last = patr[0], patr[-1]
    # the patronymic block is contiguous; surnames in -ич after it are surnames
    block_end = first
    while block_end < len(head) and _PATRONYMIC.search(head[block_end]):
        block_end += 1
    assert block_end > first + 100, "the patronymic block of ru-corpus.tsv was not found"
    del last
    names_ = head[:first] + head[block_end:]
    return tuple(dict.fromkeys(w for w in names_ if " " not in w))


def corpus_for(scheme_id: str) -> tuple[str, ...]:
    language = names.get_scheme(scheme_id).language
    return be_names() if language == "be" else ru_names()


# --------------------------------------------------------------------------- keys


def fold(text: str) -> str:
    return names.transliterate(text, "fold", options={"surname": True})


def fold_many(texts: list[str]) -> list[str]:
    return names.transliterate_many(texts, "fold", options={"surname": True})


def _split(key: str) -> tuple[str, str | None]:
    stem, bar, gender = key.partition("|")
    return stem, (gender if bar else None)


def agrees(read_key: str, native_key: str, reading: str) -> bool:
    """Keys agree when equal. read-lt also carries the gender a Lithuanian ending shows
    (Statkevičius → статкевич|m, Siarhejus → сяргей|m) where the Slavic form shows none:
    there the stems must be equal and the native key may lack the gender mark."""
    if read_key == native_key:
        return True
    if reading != "read-lt":
        return False
    (rs, rg), (ns, ng) = _split(read_key), _split(native_key)
    return rs == ns and ng is None and rg is not None


# The fold's surname rules are written for Russian и (-ий, -ин, -ина, -ис) and do not fire on
# Belarusian і (-ій, -ін, -іна, -іс): fold("валянцін") is валантин, fold("валентин") валантин|m.
# A reading shared by Belarusian and Russian spellings reads i as и, so on the Belarusian corpus
# such names miss through the fold, not through the reading. They are counted apart (and
# test_fold_reads_i_endings_alike tracks the fold defect).
def fold_blocked(read_key: str, native: str, reading: str) -> bool:
    """The read key agrees with the native name once і is read as и (and a Belarusian
    adjectival -ы as -ый, Навальны/Навальный): the miss is the fold's, not the reading's."""
    russian = native.replace("і", "и")
    if re.search(r"[бвгджзклмнпрстфхцчшщ]ы$", russian):
        russian += "й"
    return russian != native and agrees(read_key, fold(russian), reading)


@functools.cache
def pairing_result(
    forward: str, reading: str
) -> tuple[int, tuple[tuple[str, str, str, str], ...], int]:
    """(number of names, misses as (cyrillic, latin, read, keys), misses blocked by the fold)."""
    words = list(corpus_for(forward))
    latin = [w.lower() for w in names.transliterate_many(words, forward)]
    read = names.transliterate_many(latin, reading)
    got = fold_many(read)
    want = fold_many([w.lower() for w in words])
    misses = []
    blocked = 0
    for w, lat, r, g, k in zip(words, latin, read, got, want, strict=True):
        if agrees(g, k, reading):
            continue
        if fold_blocked(g, w.lower(), reading):
            blocked += 1
            continue
        misses.append((w, lat, r, f"{g} != {k}"))
    return len(words), tuple(misses), blocked


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("reading", READINGS)
def test_reading_file_header(reading: str) -> None:
    scheme = names.get_scheme(reading)
    assert scheme.kind == "reading"
    assert (scheme.source_script, scheme.target_script) == ("Latn", "Cyrl")
    assert scheme.language == "und"
    assert not scheme.reversible
    assert scheme.owns == scheme.owns.lower()
    assert len(scheme.samples) >= 20, f"{reading}: {len(scheme.samples)} samples, want 20"
    assert reading in {s.id for s in names.schemes(kind="reading")}


@pytest.mark.parametrize("reading", READINGS)
def test_reading_samples(reading: str) -> None:
    failures = sample_failures(reading)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("reading", READINGS)
def test_reading_outputs_cyrillic(reading: str) -> None:
    """Every owned letter is read into Cyrillic: no Latin letter survives a reading."""
    scheme = names.get_scheme(reading)
    letters = [ch for ch in scheme.owns if ch.isalpha()]
    for ch in letters:
        for text in (ch, f"a{ch}a", f"ka{ch}"):
            out = names.transliterate(text, reading).split("|")[0]  # read-lt: stem|m
            latin = [c for c in out if c.isalpha() and c.isascii()]
            assert not latin, f"{reading}: {text!r} -> {out!r} keeps Latin letters"


# Owned alphabets that decide which conventions read a plain token (keys.py reads a token under a
# convention only when all its letters are owned).
@pytest.mark.parametrize(
    ("reading", "owned", "not_owned"),
    [
        ("read-pl", "łżśćńźó", "qvx"),
        ("read-de", "äöüßwz", "ł"),
        ("read-national", "ŭčšžćśźńĺw", "łq"),
        ("read-lacinka", "łŭčšž", "q"),
        ("read-cs", "čšžěřůďťň", "łwq"),
        ("read-lt", "ąčęėįšųūž", "qwxł"),
        ("read-iso9", "âûëèìǔŝ", "ł"),
        ("read-en", "xyz", "łjq"),
        ("read-passport", "yz", "jqwx"),
        ("read-bgn", "wyë", "jqx"),
        ("read-fr", "ïéè", "łq"),
        ("read-es", "ñáéíóúj", "qwł"),
        ("read-hu", "őűáész", "qwx"),
        ("read-ro", "ășțîşţ", "qwy"),
        ("read-lv", "āčēģīķļņšūž", "qwxy"),
        ("read-nl", "ëïwx", "qłčäß"),
        ("read-sv", "xyz", "qwåäö"),
        ("read-it", "cgsë", "qwčš"),
        ("read-tr", "çğöşü", "qwxı"),
    ],
)
def test_owned_alphabet(reading: str, owned: str, not_owned: str) -> None:
    owns = names.get_scheme(reading).owns
    assert all(ch in owns for ch in owned), f"{reading} must own {owned!r}"
    assert not any(ch in owns for ch in not_owned), f"{reading} must not own {not_owned!r}"


# --------------------------------------------------------------------------- the brief's cases


TIKHANOVSKAYA = [
    ("read-passport", "Tsikhanouskaya"),
    ("read-passport", "Tsikhanouskaia"),
    ("read-en", "Tikhanovskaya"),
    ("read-bgn", "Tsikhanowskaya"),
    ("read-de", "Tichanowskaja"),
    ("read-de", "Zichanouskaja"),
    ("read-pl", "Cichanouska"),
    ("read-national", "Cichanoŭskaja"),
    ("read-national", "Cichanowskaja"),
    ("read-lacinka", "Cichanoŭskaja"),
    ("read-fr", "Tikhanovskaïa"),
    ("read-cs", "Tichanovská"),
    ("read-cs", "Cichanouská"),
    ("read-lt", "Cichanouskaja"),
    ("read-iso9", "Cìhanoǔskaâ"),
    ("read-iso9", "Tihanovskaâ"),
    ("read-es", "Tijanóvskaya"),
    ("read-hu", "Cihanouszkaja"),
    ("read-hu", "Tyihanovszkaja"),
    ("read-ro", "Tihanovskaia"),
    ("read-lv", "Tihanovska"),
    ("read-nl", "Tichanovskaja"),
    ("read-sv", "Tsichanouskaja"),
]


@pytest.mark.parametrize(("reading", "spelling"), TIKHANOVSKAYA)
def test_tikhanovskaya_meets(reading: str, spelling: str) -> None:
    key = fold(names.transliterate(spelling.lower(), reading))
    assert key == fold("ціханоўская") == fold("тихановская") == "тиганауск|f", (spelling, key)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("statkevičius", "статкевич|m"),
        ("siarhejus", "сяргей|m"),
        ("aleksandras", "александр|m"),
        ("grybauskaitė", "грыбауск|f"),
        ("nausėdienė", "наусед|f"),
        ("lavrovas", "лавров"),
        ("navalnas", "навалн|m"),
        ("cichanouskis", "циханоуский"),
        ("jevgenijus", "евгений"),
    ],
)
def test_lithuanian_endings(spelling: str, expected: str) -> None:
    assert names.transliterate(spelling, "read-lt") == expected


def test_lithuanian_keys() -> None:
    """Endings the fold marks itself get no second mark; Slavic feminine forms are kept."""
    assert fold(names.transliterate("lavrovas", "read-lt")) == fold("лавров") == "лаурау|m"
    assert fold(names.transliterate("navalnas", "read-lt")) == fold("навальный")
    assert fold(names.transliterate("cichanouskaja", "read-lt")) == fold("ціханоўская")
    assert fold(names.transliterate("grybauskaitė", "read-lt")) == fold("грыбаўскайтэ")
    assert fold(names.transliterate("borisas", "read-lt")) == fold("борис")


def test_a_wrong_reading_misses() -> None:
    """The check can fail: German ch read by the English convention is ч, not х."""
    assert fold(names.transliterate("tichanowskaja", "read-de")) == fold("тихановская")
    assert fold(names.transliterate("tichanowskaja", "read-en")) != fold("тихановская")


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize(("forward", "reading", "bar"), PAIRINGS)
def test_round_trip_agreement(forward: str, reading: str, bar: float) -> None:
    total, misses, _blocked = pairing_result(forward, reading)
    assert total > 300, f"{forward}: only {total} names"
    rate = 1 - len(misses) / total
    shown = "\n".join(f"  {c} -> {lat} -> {r}: {k}" for c, lat, r, k in misses[:60])
    assert rate >= bar, (
        f"{forward} -> {reading}: agreement {rate:.4f} < {bar} "
        f"({len(misses)} of {total} miss)\n{shown}"
    )


# --------------------------------------------------------------------------- devset


def _surname(spelling: str, convention: str) -> str:
    words = spelling.replace(",", " ").split()
    return words[0] if convention == "list-order" else words[-1]


@functools.cache
def devset_cases() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(entity, convention, Latin surname, the entity's Cyrillic surnames, lower case)."""
    with (DATA / "devset.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    cyrillic: dict[str, set[str]] = {}
    latin: list[tuple[str, str, str]] = []
    for row in rows:
        if row["kind"] != "person":
            continue
        conv, entity = row["convention"], row["entity_id"]
        if conv in ("be-cyrl", "ru-cyrl"):
            cyrillic.setdefault(entity, set()).add(_surname(row["spelling"], conv).lower())
        elif conv in DEVSET_CONVENTIONS:
            latin.append((entity, conv, _surname(row["spelling"], conv)))
    cases = []
    for entity, conv, surname in dict.fromkeys(latin):
        if entity in cyrillic:
            cases.append((entity, conv, surname, tuple(sorted(cyrillic[entity]))))
    return tuple(cases)


def devset_result() -> tuple[int, list[str], int]:
    """(cases, misses, misses blocked by the fold) over the attested cross-convention spellings."""
    cases = devset_cases()
    misses = []
    blocked = 0
    for entity, conv, surname, natives in cases:
        reading = DEVSET_CONVENTIONS[conv]
        key = fold(names.transliterate(surname.lower(), reading))
        if any(agrees(key, fold(n), reading) for n in natives):
            continue
        if any(fold_blocked(key, n, reading) for n in natives):
            blocked += 1
            continue
        misses.append(f"  {entity}: {surname} ({conv}, {reading}) -> {key} vs {natives}")
    return len(cases), misses, blocked


def test_devset_cross_convention() -> None:
    total, misses, _blocked = devset_result()
    assert total > 150
    rate = 1 - len(misses) / total
    assert rate >= DEVSET_BAR, f"devset agreement {rate:.4f} < {DEVSET_BAR}\n" + "\n".join(misses)


def test_fold_reads_i_endings_alike() -> None:
    """The Belarusian and Russian forms of one name must meet in the fold (DESIGN.md, keys)."""
    assert fold("валянцін") == fold("валентин")
    assert fold("георгій") == fold("георгий")
    assert fold("галіна") == fold("галина")
    assert fold("дзяніс") == fold("денис")


def test_report_rates(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the agreement of every pairing and of the devset (visible with pytest -s)."""
    lines = []
    for forward, reading, _bar in PAIRINGS:
        total, misses, blocked = pairing_result(forward, reading)
        strict = 1 - (len(misses) + blocked) / total
        lines.append(
            f"{forward:18} {reading:14} {1 - len(misses) / total:.4f} "
            f"(strict {strict:.4f}; {len(misses)} misses, {blocked} through the fold, {total})"
        )
    total, misses, blocked = devset_result()
    lines.append(
        f"devset surnames {1 - len(misses) / total:.4f} "
        f"(strict {1 - (len(misses) + blocked) / total:.4f}; {len(misses)} misses, "
        f"{blocked} through the fold, {total})"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(lines) == len(PAIRINGS) + 1


def test_press_readings_leave_initials_to_the_major_ones() -> None:
    """Spanish reads J. as Х.; an initial J. must still not stand for Кристина (Christina)."""
    assert names.get_scheme("read-es").initials is False
    assert names.get_scheme("read-en").initials is True
    assert names.transliterate("j", "read-es") == "х"
    assert not names.compare("J. Petrauskienė", "Kristina Petrauskienė").match


def test_marks_keep_a_press_reading_to_its_own_words() -> None:
    """A word is read by the Hungarian convention only when it holds a Hungarian mark: Alekszandr
    is (sz: с), Lukashenko is not (read as Hungarian, its sh would give a junk key)."""
    from names.keys import readings

    assert "sz" in names.get_scheme("read-hu").marks
    assert "александр" in readings("alekszandr")
    assert names.transliterate("lukashenko", "read-hu") not in readings("lukashenko")
    assert names.transliterate("lavrovs", "read-lv") in readings("lavrovs")
    assert names.transliterate("prigozhin", "read-lv") not in readings("prigozhin")


def test_a_letter_no_convention_owns_is_read_in_plain_ascii() -> None:
    """Turkish dotless ı is owned by no reading (its capital I is i's): the word is read as its
    ASCII form, so Navalnıy still meets Навальный."""
    from names.keys import readings

    assert readings("navalnıy") == readings("navalniy")
    assert names.compare("Aleksey Navalnıy", "Алексей Навальный").match
