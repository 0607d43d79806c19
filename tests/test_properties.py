"""Invariants on any Unicode input (hypothesis, bounded examples): nothing but documented errors,
case and script properties of transliteration, idempotent normalisation, sane scores."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import names
from names.errors import OnomastError

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_TEXT = st.text(max_size=60)
NAMEISH = st.text(
    alphabet=st.sampled_from(
        list("абвгдеёжзійклмнопрстуўфхцчшщъыьэюяАБВГДЕЁЖЗІЙКЛМНОПРСТУЎФХЦЧШЫЬЭЮЯ’")
        + list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPRSTUVWZąčęėįšųūžłńśźżŭ")
        + [" ", " ", ",", ".", "-"]
    ),
    min_size=1,
    max_size=40,
)
SCHEMES = sorted(s.id for s in names.schemes())


def _cyrillic_alphabet(scheme: names.Scheme) -> str:
    return "".join(ch for ch in scheme.owns if ch.isalpha())


@SETTINGS
@given(text=ANY_TEXT, scheme_id=st.sampled_from(SCHEMES))
def test_transliterate_never_raises(text: str, scheme_id: str) -> None:
    out = names.transliterate(text, scheme_id)
    assert isinstance(out, str)


@SETTINGS
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=["L", "M", "Cs"]), max_size=30),
    scheme_id=st.sampled_from(SCHEMES),
)
def test_non_letters_pass_through(text: str, scheme_id: str) -> None:
    scheme = names.get_scheme(scheme_id)
    if any(ch in scheme.owns for ch in text):
        return  # the apostrophe is a letter of some schemes
    prepared = {k for r in scheme.rules if r.stage == "prepare" for k in (r.find,)}
    if any(k in text for k in prepared):
        return
    assert names.transliterate(text, scheme) == unicodedata.normalize("NFC", text)


# The standards whose output is ASCII by definition (passports, ASCII "alt" tables, slugs).
ASCII_SCHEMES = [
    "be-passport",
    "be-gost779b",
    "be-de",
    "lt-ascii",
    "lt-ascii-digraph",
    "ru-ala-lc-alt",
    "ru-bs-2979-alt",
    "ru-gost-16876-alt",
    "ru-gost-52290",
    "ru-gost-52535",
    "ru-gost-7034",
    "ru-gost-779-alt",
    "ru-icao-doc-9303",
    "ru-mosmetro",
    "ru-mvd-310",
    "ru-mvd-310-fr",
    "ru-mvd-782",
    "ru-telegram",
    "ru-wikipedia",
    "ru-yandex-maps",
    "ru-yandex-money",
    "ru-en",
    "ru-de",
]


@pytest.mark.parametrize("scheme_id", ASCII_SCHEMES)
@SETTINGS
@given(data=st.data())
def test_ascii_schemes_emit_ascii_for_their_alphabet(scheme_id: str, data: st.DataObject) -> None:
    scheme = names.get_scheme(scheme_id)
    letters = sorted(ch for ch in scheme.owns if ch.isalpha() or ch == "’")
    word = data.draw(st.text(alphabet=st.sampled_from(letters), min_size=1, max_size=12))
    for form in (word, word.upper(), word.capitalize()):
        out = names.transliterate(form, scheme)
        assert out.isascii(), (form, out)


REVERSIBLE = [s.id for s in names.schemes() if s.reversible]


VOWELS = set("аеёіоуыэюяиї")


@pytest.mark.parametrize("scheme_id", REVERSIBLE)
@SETTINGS
@given(data=st.data())
def test_reversible_schemes_round_trip(scheme_id: str, data: st.DataObject) -> None:
    """Words built of consonant-vowel syllables of the scheme's alphabet come back unchanged."""
    scheme = names.get_scheme(scheme_id)
    letters = sorted(ch for ch in scheme.owns if ch.isalpha())
    vowels = [ch for ch in letters if ch in VOWELS]
    consonants = [ch for ch in letters if ch not in VOWELS and ch not in "йьъ’"]
    syllable = st.tuples(st.sampled_from(consonants), st.sampled_from(vowels)).map("".join)
    word = "".join(data.draw(st.lists(syllable, min_size=1, max_size=4)))
    for form in (word, word.capitalize(), word.upper()):
        forward = names.transliterate(form, scheme)
        assert names.transliterate(forward, scheme, reverse=True) == form, (form, forward)


@SETTINGS
@given(text=ANY_TEXT)
def test_parse_and_keys_never_raise_and_are_deterministic(text: str) -> None:
    first = names.keys(text)
    assert isinstance(first, frozenset)
    assert all(isinstance(k, str) and k for k in first)
    names.prepare.cache_clear()
    assert names.keys(text) == first
    assert names.parse(text) == names.parse(text)


@SETTINGS
@given(text=NAMEISH)
def test_keys_are_ascii_free_of_case(text: str) -> None:
    for key in names.keys(text):
        assert key == key.lower()


@SETTINGS
@given(a=ANY_TEXT, b=ANY_TEXT)
def test_compare_symmetric_and_bounded(a: str, b: str) -> None:
    ab = names.compare(a, b)
    ba = names.compare(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == ba.score
    assert ab.match == ba.match


@SETTINGS
@given(a=NAMEISH)
def test_compare_identity_is_one(a: str) -> None:
    if not names.prepare(a).parts:
        return  # no letters: not a name
    assert names.compare(a, a).score == 1.0


@SETTINGS
@given(items=st.lists(NAMEISH, min_size=1, max_size=6), other=st.lists(NAMEISH, max_size=6))
def test_compare_many_equals_compare(items: list[str], other: list[str]) -> None:
    matrix = names.compare_many(items, other)
    assert matrix.shape == (len(items), len(other))
    for i, a in enumerate(items):
        for j, b in enumerate(other):
            assert abs(float(matrix[i, j]) - names.compare(a, b).score) < 1e-6


def test_long_input_is_bounded() -> None:
    text = "Ціханоўская " * 10_000
    assert len(names.transliterate(text, "be-passport")) <= 15 * names.translit.MAX_NAME_CHARS
    names.keys(text)
    names.compare(text, "Ціханоўская")


def test_only_documented_errors() -> None:
    with pytest.raises(OnomastError):
        names.transliterate("x", "no-such-scheme")


HOSTILE = [
    "",
    " ",
    "\x00",
    "\ud800",  # a lone surrogate
    "\udfff Лукашэнка",
    "\u202eакнэшакуЛ\u202c",  # right-to-left override
    "שלום עולם",
    "مرحبا",
    "👩‍👩‍👧 Ціханоўская 🇧🇾",
    "A\u0301\u0302\u0303\u0304" * 50,  # stacked combining marks
    "Ц" * 10_000,
    "Tsikhanouskaya, " * 700,
    "\ufeff\u200b\u200d",
    "Ǆ ǅ ǆ ß ẞ İ ı",
    "ДАР’Я, ЗЬМІЦЕР; Ь Ъ ’",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_public_api_on_hostile_strings(text: str) -> None:
    """Every public function takes any Python string without an undocumented exception."""
    for scheme in ("be-passport", "be-national", "ru-bgn-pcgn", "lt-ru", "ru-lt"):
        assert isinstance(names.transliterate(text, scheme), str)
    assert len(names.transliterate_many([text, text], "be-bgn")) == 2
    names.detect_script(text)
    names.parse(text)
    names.keys(text)
    names.given_name_classes(text[:100])
    names.surname_stem(text[:100])
    result = names.compare(text, "Святлана Ціханоўская")
    assert 0.0 <= result.score <= 1.0
    assert names.compare_many([text], [text, "Minsk"]).shape == (1, 2)
    rows = names.dedupe([text, "Minsk", text])
    assert len(rows.cluster_of_row) == 3
    registry = names.Registry.from_records([{"id": "1", "name": "Мінск"}])
    assert isinstance(registry.resolve(text), list)


@SETTINGS
@given(
    st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20), max_size=12)
)
def test_dedupe_keeps_every_row_of_any_unicode(rows: list[str]) -> None:
    result = names.dedupe(rows)
    assert len(result.cluster_of_row) == len(rows)
    assert sorted(r for c in result.clusters for r in c.rows) == list(range(len(rows)))


CYRILLIC_EDGES = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0400, max_codepoint=0x052F),  # the basic blocks
        st.characters(min_codepoint=0x1C80, max_codepoint=0x1C8F),  # Cyrillic beyond them
        st.characters(min_codepoint=0xA640, max_codepoint=0xA69F),
        st.sampled_from(list("aZ ,.-ʼ'’1½Ⅻ\u0301\u0483ěλ")),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ANY_TEXT, CYRILLIC_EDGES))
def test_quick_cyrillic_test_equals_detect_script(text: str) -> None:
    """canonical_form's quick test for a native Cyrillic name agrees with detect_script."""
    from names.dedupe import _is_cyrillic
    from names.translit import detect_script

    assert _is_cyrillic(text) == (detect_script(text) == "Cyrl")


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ANY_TEXT, st.text(alphabet="tschkxwvphqjiyouaeln", max_size=24)))
def test_loose_key_keeps_its_kept_letters(text: str) -> None:
    """The place lookup skips loose_key when loose_kept matches no place's: sound only if
    loose_key never changes it."""
    from names.lexicon import loose_kept, loose_key

    assert loose_kept(loose_key(text)) == loose_kept(text)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet="aaabbltsh", max_size=6), max_size=5))
def test_loose_kept_word_by_word_equals_whole(words: list[str]) -> None:
    """The place lookup builds loose_kept of a name from its words' (memoised) values."""
    import importlib

    from names.lexicon import loose_kept

    keys = importlib.import_module("names.keys")
    assert keys._loose_kept_of(words) == loose_kept("".join(words))


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(["cp1251", "cp1257", "cp1250"]).flatmap(
            lambda codec: st.text(max_size=40).map(lambda t: t.encode(codec, "ignore"))
        ),
    )
)
def test_guess_encoding_names_a_codec_that_decodes_or_says_it_cannot(data: bytes) -> None:
    """encoding="auto" on any bytes: UTF-8 or a code page the bytes decode in, or a usage
    error asking for the encoding; never another exception."""
    import codecs

    from names.errors import UsageError
    from names.io import CODE_PAGES, guess_encoding

    try:
        codec = guess_encoding(data)
    except UsageError as exc:
        assert "cannot tell the encoding" in str(exc)
        return
    assert codec in ("utf-8", *CODE_PAGES)
    if codec == "utf-8":  # valid UTF-8, but perhaps for a sequence cut at the end
        codecs.getincrementaldecoder("utf-8")("strict").decode(data, False)
