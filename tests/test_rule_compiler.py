"""The compiler on small synthetic rule files: contexts, case, options, reverse, validation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import names
from names.errors import RuleFileError, UnknownSchemeError

HEADER = """
id = "{id}"
language = "be"
from = "Cyrl"
to = "Latn"
title = "test scheme"
source = "synthetic, 2026"
reversible = {reversible}
owns = "{owns}"
"""


def write_scheme(
    tmp_path: Path,
    body: str,
    *,
    sid: str = "t-test",
    owns: str = "аеяшчьзў’",
    reversible: bool = False,
    top: str = "",
) -> Path:
    text = HEADER.format(id=sid, owns=owns, reversible=str(reversible).lower())
    text += textwrap.dedent(top) + textwrap.dedent(body)
    path = tmp_path / f"{sid}.toml"
    path.write_text(text, encoding="utf-8")
    return path


LETTERS = """
[classes]
vowel = "аея"
[prepare]
"'" = "’"
[letters]
"а" = "a"
"е" = "ie"
"я" = "ia"
"ш" = "sh"
"ч" = "ch"
"ь" = ""
"з" = "z"
"ў" = "w"
"’" = ""
"""


def test_prev_context_sees_source_letters(tmp_path: Path) -> None:
    path = write_scheme(
        tmp_path,
        LETTERS
        + """
[[rules]]
find = "я"
out = "ja"
prev = ["#", "@vowel", "’"]
""",
    )
    scheme = names.load_scheme(path)
    assert names.transliterate("ая", scheme) == "aja"
    assert names.transliterate("шя", scheme) == "shia"
    assert names.transliterate("я ая шя", scheme) == "ja aja shia"
    assert names.transliterate("з'я", scheme) == "zja"  # prepare folds ' to ’
    assert names.transliterate("яя", scheme) == "jaja"  # context after a rewritten letter


def test_case_is_derived(tmp_path: Path) -> None:
    path = write_scheme(tmp_path, LETTERS)
    scheme = names.load_scheme(path)
    assert names.transliterate("Шча", scheme) == "Shcha"
    assert names.transliterate("ШЧА", scheme) == "SHCHA"
    assert names.transliterate("Ш.", scheme) == "Sh."
    assert names.transliterate("ЗАШ", scheme) == "ZASH"
    assert names.transliterate("Ш Ч", scheme) == "Sh Ch"


def test_next_context_and_word_end(tmp_path: Path) -> None:
    path = write_scheme(
        tmp_path,
        LETTERS
        + """
[[rules]]
find = "ая"
out = "aya"
next = ["#"]
""",
    )
    scheme = names.load_scheme(path)
    assert names.transliterate("шая шаяш", scheme) == "shaya shaiash"
    assert names.transliterate("ШАЯ", scheme) == "SHAYA"


def test_options_switch_rules(tmp_path: Path) -> None:
    path = write_scheme(
        tmp_path,
        LETTERS
        + """
[[rules]]
find = "@vowel"
out = "{}ш"
next = ["#"]
stage = "prepare"
option = "tail"
""",
        top='[options]\ntail = { default = true, doc = "append sh" }\n',
    )
    scheme = names.load_scheme(path)
    assert names.transliterate("за", scheme) == "zash"
    assert names.transliterate("за", scheme, options={"tail": False}) == "za"
    assert names.transliterate("ЗА", scheme) == "ZASH"


def test_reverse(tmp_path: Path) -> None:
    path = write_scheme(
        tmp_path,
        LETTERS.replace('"’" = ""', "")
        + """
[[reverse]]
find = "ja"
out = "я"
""",
        owns="аеяшчьзў",
        reversible=True,
    )
    scheme = names.load_scheme(path)
    assert names.transliterate("Shiaja", scheme, reverse=True) == "Шяя"
    assert names.transliterate("SHIA", scheme, reverse=True) == "ШЯ"


@pytest.mark.parametrize(
    ("body", "key", "reason"),
    [
        ('[letters]\n"а" = "a"\n', "letters", "have no mapping"),
        (
            LETTERS + '[[rules]]\nfind = "а"\nout = "b"\nprev = ["@nope"]\n',
            "rules[0]",
            "unknown class",
        ),
        (LETTERS + '[[rules]]\nfind = "а"\nout = "b"\nwhen = 1\n', "rules[0].when", "unknown key"),
        (LETTERS + 'colour = "red"\n', "letters.colour", "neither owned"),
        (
            LETTERS + '[[rules]]\nfind = "а"\nout = "' + "x" * 200 + '"\n',
            "rules[0].out",
            "exceeds the limit",
        ),
        (LETTERS.replace('"а" = "a"', '"а" = "a"\n"а" = "b"'), "", "bad TOML"),
        (LETTERS.replace('"а" = "a"', '"А" = "a"'), "letters.А", "lower case"),
    ],
)
def test_malformed_files_name_file_key_reason(
    tmp_path: Path, body: str, key: str, reason: str
) -> None:
    path = write_scheme(tmp_path, body, sid="t-bad")
    with pytest.raises(RuleFileError) as info:
        names.load_scheme(path)
    assert str(path) in str(info.value)
    assert key in str(info.value)
    assert reason in str(info.value)


def test_sample_with_unowned_letter_is_an_error(tmp_path: Path) -> None:
    path = write_scheme(tmp_path, LETTERS, top='samples = [["щя", "x"]]\n', sid="t-stray")
    with pytest.raises(RuleFileError, match="does not own"):
        names.load_scheme(path)


def test_unknown_scheme_suggests_closest() -> None:
    with pytest.raises(UnknownSchemeError) as info:
        names.transliterate("Ш", "be-pasport")
    assert "be-passport" in str(info.value)


def test_batch_equals_single() -> None:
    items = ["Святлана Ціханоўская", "", "ШЧЫРАКОВА", "a\nb", "Мінск"] * 50
    assert names.transliterate_many(items, "be-passport") == [
        names.transliterate(i, "be-passport") for i in items
    ]


def test_detect_script() -> None:
    assert names.detect_script("Ціханоўская") == "Cyrl"
    assert names.detect_script("Cichanoŭskaja") == "Latn"
    assert names.detect_script("Ціханоўская Sviatlana") == "mixed"
    assert names.detect_script("123 -") == "none"


@pytest.mark.parametrize(
    ("top", "reason"),
    [
        ('marks = ["(sz"]\n', "not a regular expression"),
        ('marks = ["SZ"]\n', "lower case"),
        ('marks = [""]\n', "non-empty"),
        ("marks = [1]\n", "marks[0]"),
    ],
)
def test_bad_marks_name_the_file_and_the_mark(tmp_path: Path, top: str, reason: str) -> None:
    path = write_scheme(tmp_path, LETTERS, top=top, sid="t-marks")
    with pytest.raises(RuleFileError) as info:
        names.load_scheme(path)
    assert str(path) in str(info.value)
    assert "marks[0]" in str(info.value)
    assert reason in str(info.value)
