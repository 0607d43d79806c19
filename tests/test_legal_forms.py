"""Organisations: legal forms (rules/lexicon/legal-forms.toml) taken off by the parser and
recorded in Name.legal_form; organisations known by their form or their words
(rules/lexicon/organisation-words.toml) compared word by word, whatever their form."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

import names
from names import lexicon
from names.dedupe import dedupe
from names.errors import RuleFileError

RULES = Path(__file__).resolve().parent.parent / "rules"
SAMPLES = {
    kind: [
        pair
        for file in ("legal-forms.toml", "organisation-words.toml")
        for pair in tomllib.loads((RULES / "lexicon" / file).read_text(encoding="utf-8"))[
            "samples"
        ][kind]
    ]
    for kind in ("same", "different")
}
FORMS = [(c.id, form) for c in lexicon.legal_forms() for form in c.forms]


def texts(name: names.Name) -> list[str]:
    return [p.text for p in name.parts]


@pytest.mark.parametrize(("a", "b"), SAMPLES["same"])
def test_same_organisation_matches(a: str, b: str) -> None:
    score = names.compare(a, b).score
    assert score >= names.DEFAULT_THRESHOLD, (a, b, score)
    assert names.compare(b, a).score == score


@pytest.mark.parametrize(("a", "b"), SAMPLES["different"])
def test_different_organisations_sharing_a_form_do_not_match(a: str, b: str) -> None:
    assert names.compare(a, b).score < names.DEFAULT_THRESHOLD, (a, b)


@pytest.mark.parametrize(("cid", "form"), FORMS)
def test_every_form_comes_off_either_end(cid: str, form: str) -> None:
    for text in (f"{form} «Белавія»", f"Belavia {form}", f"Belavia, {form}"):
        name = names.parse(text)
        assert name.legal_form == cid, (text, name.legal_form)
        assert texts(name) == [text.replace(form, "").strip(" ,«»")], text


def test_an_organisation_keeps_brackets_joins_letters_and_drops_stopwords() -> None:
    name = names.parse("The Bank of China (Hong Kong) Limited")
    assert name.organisation and name.legal_form == "llc"
    assert texts(name) == ["Bank", "China", "Hong", "Kong"]
    assert texts(names.parse("A.B.C. Company")) == ["ABC"]
    # forms at both ends come off, as many as there are, and the name is never left empty
    assert texts(names.parse("JSC Tactical Missiles Corporation Joint Stock Company")) == [
        "Tactical",
        "Missiles",
    ]
    assert texts(names.parse("Joint Stock Company")) == ["Joint", "Stock", "Company"]
    assert texts(names.parse("AT&T Inc.")) == texts(names.parse("AT and T Inc."))
    # a person's bracketed alias is still dropped, and initials stay initials
    assert texts(names.parse("Aliaksandr Lukashenka (Alexander Lukashenko)")) == [
        "Aliaksandr",
        "Lukashenka",
    ]
    assert texts(names.parse("A. B. Ivanov")) == ["A.", "B.", "Ivanov"]
    assert "organisation" not in names.parse("A. B. Ivanov").to_dict()
    assert names.parse("Belaruskali OAO").to_dict()["organisation"] is True


def test_parse_records_the_form_and_keeps_the_name() -> None:
    name = names.parse("Открытое акционерное общество «Беларуськалий»")
    assert texts(name) == ["Беларуськалий"]
    assert name.legal_form == "jsc-open"
    assert names.parse("UAB „Maxima LT“").to_dict()["legal_form"] == "jsc-closed"
    assert "legal_form" not in names.parse("Maxima LT").to_dict()


def test_a_lone_form_is_kept_and_person_names_are_untouched() -> None:
    # nothing left but the form: it stays the name (the first segment is never dropped)
    lone = names.parse("OAO")
    assert texts(lone) == ["OAO"] and lone.legal_form is None
    # initials with dots, generational suffixes and names that merely contain a form's letters
    for text, parts in [
        ("Lukashenko A.G.", ["Lukashenko", "A.", "G."]),
        ("John Smith II", ["John", "Smith"]),
        ("Aliaksandr Ltdov", ["Aliaksandr", "Ltdov"]),
        ("Ooo-Ivanova Anna", ["Ooo-Ivanova", "Anna"]),
    ]:
        name = names.parse(text)
        assert texts(name) == parts and name.legal_form is None, text
    # a form in the middle of a name is a word of it
    assert texts(names.parse("Гродно ОАО Азот")) == ["Гродно", "ОАО", "Азот"]


def test_organisations_compare_as_organisations_and_sole_traders_as_people() -> None:
    assert not names.prepare("ОАО «Гродно Азот»").is_person
    assert names.prepare("Гродно Азот").is_person  # no evidence either way: read as a name
    assert not names.prepare("Гродненский азотный завод").is_person  # завод: a plant
    # in its romanisations too (завод: zavod, sawod, zawod)
    for text in ("Minskiy traktornyy zavod", "Minskij traktornyj sawod", "Minski traktarny zawod"):
        assert names.parse(text).organisation, text
    # a patronymic says a person, whatever the words (Банк is a word of organisations)
    person = names.parse("Банк Иван Петрович")
    assert not person.organisation and names.prepare("Банк Иван Петрович").is_person
    trader = names.prepare("ИП Иванов Иван Иванович")
    assert trader.is_person
    assert [p.role for p in trader.parts] == ["surname", "given", "patronymic"]
    # a person's gender and given-name checks still apply to a sole trader
    assert names.compare("ИП Иванова Анна", "Иванов Иван").score < names.DEFAULT_THRESHOLD


def test_dedupe_groups_an_organisation_written_several_ways() -> None:
    """Blocking finds them: an organisation is blocked on each of its own words (whatever
    their order or the roles a person's name would give them) and on its acronym."""
    rows = [
        "ОАО «Гродно Азот»",
        "Grodno Azot OJSC",
        "ААТ «Гродна Азот»",
        "Open Joint Stock Company Grodno Azot",
        "ОАО «Нафтан»",
        "Naftan OAO",
        "Belaruskali, OAO",
        "ООО «Газпром трансгаз Беларусь»",
        "Gazprom Transgaz Belarus LLC",
        "AB „Lietuvos geležinkeliai“",
        "Lietuvos gelezinkeliai",
        "Минский тракторный завод",
        "МТЗ",
        "Minskiy traktornyy zavod",
    ]
    result = dedupe(rows)
    c = result.cluster_of_row
    assert c[0] == c[1] == c[2] == c[3]
    assert c[4] == c[5] != c[0]
    assert c[6] not in (c[0], c[4])
    assert c[7] == c[8] and c[9] == c[10] and c[11] == c[12] == c[13]
    assert len(set(c)) == 6


@pytest.fixture
def legal_file(fake_rules):
    """legal-forms.toml in a copy of rules/lexicon that a test may break (tests/conftest.py)."""
    return fake_rules / "legal-forms.toml"


def test_a_form_in_two_classes_is_an_error(legal_file) -> None:
    text = legal_file.read_text(encoding="utf-8")
    legal_file.write_text(text.replace('"ПАО", "PAO"', '"ПАО", "OAO"', 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"legal-forms\.toml: jsc-public\.forms: 'OAO'"):
        names.parse("OAO Belaruskali")


def test_an_organisation_word_of_two_words_is_an_error(legal_file) -> None:
    words = legal_file.with_name("organisation-words.toml")
    text = words.read_text(encoding="utf-8")
    words.write_text(text.replace('"bank",', '"central bank",', 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"organisation-words\.toml: words: 'central bank'"):
        names.parse("Belarusbank")


def test_a_bad_class_is_an_error(legal_file) -> None:
    text = legal_file.read_text(encoding="utf-8")
    legal_file.write_text(text.replace('id = "llc"', 'id = "LLC!"', 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"classes\[4\]\.id: bad id"):
        lexicon.legal_forms()


def test_a_changed_file_is_read_again(legal_file) -> None:
    """clear_caches() forgets the forms in every memo that holds them (the parser's phrases and
    words, the keys' organisation classes)."""
    assert names.parse("Belavia Zrt").legal_form is None
    text = legal_file.read_text(encoding="utf-8")
    legal_file.write_text(text.replace('"Inc", ', '"Inc", "Zrt", ', 1), encoding="utf-8")
    lexicon.clear_caches()
    name = names.parse("Belavia Zrt")
    assert name.legal_form == "corporation" and texts(name) == ["Belavia"]
    assert not names.prepare("Belavia Zrt").is_person
