"""Given-name classes, folding, surname morphology and patronymics (names/lexicon.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from names import lexicon
from names.errors import RuleFileError
from names.lexicon import (
    fold_token,
    given_name_class,
    given_name_classes,
    given_name_gender,
    loose_key,
    patronymic_ending,
    patronymic_father,
    surname_analysis,
    surname_stem,
)

RULES = Path(__file__).resolve().parent.parent / "rules"


def ids(token: str) -> list[str]:
    return [gn.id for gn in given_name_classes(token)]


# --- the data file -------------------------------------------------------------------------


def test_at_least_300_classes_each_sourced_and_gendered():
    classes = lexicon.all_given_names()
    assert len(classes) >= 300
    assert len({gn.id for gn in classes}) == len(classes)
    for gn in classes:
        assert gn.gender in ("m", "f"), gn.id
        assert gn.source, gn.id
        assert any(gn.forms.get(lang) for lang in ("be", "ru", "uk", "lt", "pl")), gn.id


def test_common_classes_carry_every_native_language():
    for cid in ("aleksandr", "nikolay", "sergey", "svetlana", "yuliya", "mariya", "petr"):
        gn = next(g for g in lexicon.all_given_names() if g.id == cid)
        for lang in ("be", "ru", "uk", "lt", "pl", "en", "de", "fr", "cs"):
            assert gn.native(lang), (cid, lang)


def test_every_listed_form_finds_its_class():
    for gn in lexicon.all_given_names():
        for form in gn.all_forms():
            assert gn in given_name_classes(form), (gn.id, form)


# --- equivalences named in the issue ---------------------------------------------------------


@pytest.mark.parametrize(
    "cid, tokens",
    [
        (
            "aleksandr",
            [
                "Аляксандр",
                "Алесь",
                "Александр",
                "Саша",
                "Aleksandras",
                "Aleksander",
                "Alexandre",
                "Alexander",
                "Олександр",
                "Aliaksandr",
                "Alyaksandr",
            ],
        ),
        (
            "nikolay",
            [
                "Мікалай",
                "Мікола",
                "Николай",
                "Mikalajus",
                "Nikolaï",
                "Mikołaj",
                "Микола",
                "Mikalai",
                "Mykola",
                "Nikolai",
            ],
        ),
        ("frantsishak", ["Францішак", "Франак", "Franak", "Franciszek", "Pranciškus"]),
        ("yuliya", ["Юлия", "Юлія", "Julija", "Ioulia", "Iuliia", "Yuliya", "Yulia", "Julia"]),
        ("petr", ["Пётр", "Петр", "Piotr", "Peter", "Pjotr", "Пятро", "Petras", "Петро"]),
        (
            "svetlana",
            [
                "Святлана",
                "Светлана",
                "Sviatlana",
                "Svetlana",
                "Svyatlana",
                "Swetlana",
                "Swiatłana",
                "Svjatlana",
                "Світлана",
            ],
        ),
        (
            "sergey",
            ["Сяргей", "Siarhei", "Siarhiej", "Syarhyey", "Sergei", "Siarhejus", "Sergiusz"],
        ),
        ("evgeniy", ["Яўген", "Yauhen", "Iauhen", "Jaŭhien", "Евгений", "Yevgeny", "Eugenijus"]),
        ("dmitriy", ["Дзмітрый", "Dzmitry", "Dzmitryi", "Зміцер", "Zmitser", "Dmitrijus"]),
        ("igor", ["Ігар", "Ihar", "Iharas", "Игорь", "Igor", "Ігор"]),
        ("konstantin", ["Кастусь", "Kastus", "Канстанцін", "Kanstantsin", "Konstanty"]),
        ("ivan", ["Іван", "Янка", "Ivan", "Jonas", "John", "Jan"]),
        ("olga", ["Вольга", "Volha", "Ольга", "Olga"]),
        ("anna", ["Ганна", "Hanna", "Анна", "Ona"]),
    ],
)
def test_equivalence_classes(cid, tokens):
    for token in tokens:
        assert cid in ids(token), token


@pytest.mark.parametrize(
    "same, tokens",
    [
        # Lithuanian, Russian and Belarusian forms of one name share a class
        (True, ("Žydrūnas", "Жидрунас", "Жыдрунас", "Zydrunas")),
        (True, ("Kostas", "Константин", "Канстанцін", "Костас")),
        (True, ("Romas", "Роман", "Раман")),
        (True, ("Vidmantas", "Видмантас", "Відмантас")),
        (True, ("Algimantas", "Альгимантас", "Альгімантас")),
        (True, ("Žilvinas", "Жильвинас", "Жыльвінас")),
        (True, ("Vytenis", "Витенис", "Віценіс")),
        (True, ("Modestas", "Модест", "Мадэст")),
        (True, ("Titas", "Тит", "Ціт", "Titus")),
        (True, ("Aronas", "Аарон", "Арон", "Aaron")),
        (True, ("Kajus", "Кай", "Kai")),
        (True, ("Liudvikas", "Людвик", "Людвік", "Ludwik", "Liudas")),
        (True, ("Elijus", "Илья", "Ілья")),
        (True, ("Nojus", "Ной", "Noah")),
        (True, ("Inokentijus", "Иннокентий", "Інакенцій", "Інокентій")),
        (True, ("Ipolitas", "Ипполит", "Іпаліт")),
        (True, ("Onufrijus", "Онуфрий", "Ануфрый")),
        (True, ("Zinovijus", "Зиновий", "Зіновій")),
        (True, ("Iraklijus", "Ираклий", "Іраклій")),
        (True, ("Demidas", "Демид", "Дзямід")),
        (True, ("Emanuelis", "Эммануил", "Эмануіл")),
        (True, ("Eldaras", "Эльдар", "Eldar")),
        (True, ("Aidaras", "Айдар", "Aidar")),
        (True, ("Karolina", "Каролина", "Караліна", "Caroline")),
        (True, ("Laura", "Лаура", "Лаўра")),
        (True, ("Erika", "Эрика", "Эрыка")),
        (True, ("Irma", "Ирма", "Ірма")),
        (True, ("Elzė", "Эльза", "Elsa")),
        (True, ("Brigita", "Бригитта", "Брыгіта", "Brigitte")),
        (True, ("Beatričė", "Беатриса", "Беатриче", "Беатрыса")),
        (True, ("Lukrecija", "Лукреция", "Лукрэцыя")),
        (True, ("Amelija", "Амелия", "Амелія")),
        (True, ("Kazimiera", "Казимира", "Казіміра")),
        (True, ("Vitalija", "Виталия", "Віталія")),
        (True, ("Adelė", "Аделя", "Адэля")),
        (True, ("Adelina", "Аделина", "Адэліна")),
        (True, ("Audronė", "Аудроне", "Аўдроне")),
        (True, ("Nijolė", "Ниёле", "Ніёле")),
        (True, ("Deimantė", "Дейманте", "Дзеймантэ")),
        (True, ("Onutė", "Анна", "Ганна", "Ona")),
        (True, ("Jovita", "Йовита", "Ёвіта")),
        (True, ("Saulė", "Сауле", "Саўле")),
        (True, ("Milana", "Милана", "Мілана")),
        (True, ("Ela", "Элла", "Эла")),
        # different names stay apart
        (False, ("Karolina", "Kristina")),
        (False, ("Kristė", "Kristina")),
        (False, ("Karolina", "Karolis")),
        (False, ("Erika", "Erik")),
        (False, ("Amelija", "Emilija")),
        (False, ("Milana", "Milena")),
        (False, ("Элла", "Алла")),
        (False, ("Эльдар", "Ильдар")),
        (False, ("Vitalija", "Vitalijus")),
        (False, ("Kazimiera", "Kazimieras")),
        (False, ("Adelė", "Adelina")),
        (False, ("Beatričė", "Beata")),
        (False, ("Sigita", "Sigitas")),
        (False, ("Laimutė", "Laima")),
    ],
)
def test_added_names_join_their_forms(same, tokens):
    found = [set(ids(token)) for token in tokens]
    assert all(found), (tokens, found)
    assert bool(set.intersection(*found)) == same, (tokens, found)


def test_alias_relations_are_not_transitive():
    # Алеся is a name of its own and a colloquial form of Аляксандра: both classes, own first.
    assert ids("Алеся")[:2] == ["alesya", "aleksandra"]
    assert given_name_class("Алеся").id == "alesya"
    # Саша belongs to a man's and a woman's class; the classes themselves stay apart.
    assert set(ids("Саша")) >= {"aleksandr", "aleksandra"}
    assert "aleksandra" not in ids("Аляксандр")
    assert "alesya" not in ids("Аляксандра")
    assert given_name_gender("Саша") is None
    assert given_name_gender("Аляксандра") == "f"
    assert given_name_gender("Алесь") == "m"


def test_different_names_stay_different():
    assert given_name_class("Viktar").id == "viktor"
    assert "aleksandr" not in ids("Viktar")
    assert given_name_class("Алена").id in ("elena", "alena")
    assert given_name_class("Мікола").id == "nikolay"
    assert given_name_class("Michael").id == "mikhail"


def test_unknown_tokens():
    assert given_name_class("Donald") is None
    assert given_name_classes("") == []
    assert given_name_class("   ") is None
    assert given_name_class("''") is None
    assert given_name_class(None) is None  # type: ignore[arg-type]


def test_given_name_is_frozen_and_hashable_by_id():
    gn = given_name_class("Аляксандр")
    with pytest.raises(AttributeError):
        gn.gender = "f"  # type: ignore[misc]
    assert {gn, given_name_class("Alexander")} == {gn}
    assert gn.native("be") == "Аляксандр"
    assert "Алесь" in gn.variants


def test_lookup_is_fast_once_built():
    given_name_class("Аляксандр")
    tokens = ["Aliaksandr", "Sviatlana", "Siarhei", "Mikalai", "Donald", "Яўген"] * 2000
    start = time.perf_counter()
    for t in tokens:
        given_name_classes(t)
    assert time.perf_counter() - start < 1.0


def test_romanised_forms_from_the_rule_files():
    names = pytest.importorskip("names")
    try:
        out = names.transliterate("Уладзіслаў", "be-passport")
    except Exception as exc:  # the engine is built in parallel
        pytest.skip(f"be-passport not available: {exc}")
    assert given_name_class(out).id == "vladislav"
    misses = []
    for gn in lexicon.all_given_names():
        be = gn.native("be")
        if be:
            rom = names.transliterate(be, "be-passport")
            if gn not in given_name_classes(rom):
                misses.append((be, rom))
    assert misses == []


# --- folding ---------------------------------------------------------------------------------


def test_fold_token():
    assert fold_token("Аляксандр") == "aliaksandr"
    assert fold_token("Šimonytė") == "simonyte"
    assert fold_token("ŁUKASZENKA") == "lukaszenka"
    assert fold_token("Дар’я") == fold_token("Дар'я") == fold_token("Дарʼя") == "daria"
    assert fold_token("Navalnyʹ") == "navalny"
    assert fold_token("Ｊｕｌｉｊａ") == "julija"  # NFKC full-width
    assert fold_token("Anna-Maria") == "annamaria"
    assert fold_token("") == ""


def test_loose_key_meets_common_spellings():
    keys = {loose_key(fold_token(s)) for s in ("Yuliya", "Iuliia", "Julija", "Ioulia", "Yulia")}
    assert len(keys) == 1
    assert loose_key(fold_token("Viktar")) != loose_key(fold_token("Viktor"))


# --- surnames --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "masculine, feminine",
    [
        ("Ціханоўскі", "Ціханоўская"),
        ("Тихановский", "Тихановская"),
        ("Tsikhanouski", "Tsikhanouskaya"),
        ("Tsikhanouski", "Tsikhanouskaia"),
        ("Cichanouski", "Cichanouská"),
        ("Tikhanovsky", "Tikhanovskaya"),
        ("Zelenskyi", "Zelenska"),
        ("Зеленський", "Зеленська"),
        ("Kowalski", "Kowalska"),
        ("Zarecki", "Zarecka"),
        ("Kolesnikov", "Kolesnikova"),
        ("Колесников", "Колесникова"),
        ("Калеснікаў", "Калеснікава"),
        ("Шчыракоў", "Шчыракова"),
        ("Karmanau", "Karmanava"),
        ("Medvedev", "Medvedeva"),
        ("Путин", "Путина"),
        ("Kolesnikov", "Kolesnikovová"),
        ("Grybauskas", "Grybauskaitė"),
        ("Grybauskas", "Grybauskienė"),
        ("Grybauskas", "Grybauskaite"),
        ("Stankevičius", "Stankevičienė"),
        ("Stankevičius", "Stankevičiūtė"),
        ("Kubilius", "Kubiliūtė"),
        ("Meilus", "Meilutė"),
        ("Sutkus", "Sutkuvienė"),
        ("Laukaitis", "Laukaitytė"),
        ("Stanys", "Stanytė"),
        ("Zujus", "Zujūtė"),
    ],
)
def test_gendered_pairs_share_a_stem(masculine, feminine):
    m_stem, m_gender = surname_stem(masculine)
    f_stem, f_gender = surname_stem(feminine)
    assert m_stem == f_stem, (masculine, feminine)
    assert (m_gender, f_gender) == ("m", "f")


@pytest.mark.parametrize(
    "surname, stem",
    [
        ("Ціханоўская", "Ціханоўск"),
        ("Tsikhanouskaya", "Tsikhanousk"),
        ("Grybauskaitė", "Grybausk"),
        ("Statkevičius", "Statkevič"),
        ("Kalesnikavová", "Kalesnikav"),
        ("Nováková", "Novák"),
        ("TSIKHANOUSKAYA", "TSIKHANOUSK"),
        ("KALESNIKAVA", "KALESNIKAV"),
    ],
)
def test_stems(surname, stem):
    assert surname_stem(surname)[0] == stem


@pytest.mark.parametrize(
    "surname",
    [
        "Лукашэнка",
        "Лукашенко",
        "Lukashenka",
        "Lukashenko",
        "Статкевіч",
        "Statkevich",
        "Шевчук",
        "Babaryka",
        "Losik",
        "Trump",
    ],
)
def test_invariant_or_unknown_surnames_have_no_gender(surname):
    assert surname_stem(surname)[1] is None


def test_invariant_surname_is_its_own_stem():
    assert surname_stem("Лукашэнка") == ("Лукашэнка", None)
    assert surname_stem("Losik") == ("Losik", None)
    assert surname_stem("") == ("", None)


def test_lithuanian_marital_forms():
    assert surname_analysis("Grybauskienė").marital == "married"
    assert surname_analysis("Sutkuvienė").marital == "married"
    assert surname_analysis("Grybauskaitė").marital == "unmarried"
    assert surname_analysis("Šimonytė").marital == "unmarried"
    assert surname_analysis("Meilutė").marital == "unmarried"
    assert surname_analysis("Talmantė").marital == "neutral"
    assert surname_analysis("Grybauskas").marital is None
    assert surname_analysis("Grybauskas").gender == "m"


def test_lithuanian_masculine_endings_are_weak_unless_the_name_is_lithuanian():
    assert surname_analysis("Adamkus").trust == "weak"
    assert surname_analysis("Adamkus", "lt").trust == "medium"
    assert surname_analysis("Adamkus", "ru").trust == "weak"


def test_double_barrelled_surname():
    form = surname_analysis("Simutytė-Gaidienė")
    assert form.stem == "Simut-Gaid"
    assert form.gender == "f"
    assert form.marital == "married"
    assert surname_analysis("Петров-Водкин").gender == "m"
    assert surname_analysis("Kidawa-Błońska").gender == "f"
    # one part says m, the other f: no gender
    assert surname_analysis("Ivanov-Petrova").gender is None


def test_surname_analysis_of_non_surnames():
    assert surname_analysis("") is None
    assert surname_analysis("X") is None
    assert surname_analysis("ов") is None  # an ending alone is not a surname
    assert surname_analysis(None) is None  # type: ignore[arg-type]


# --- patronymics -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, gender, father",
    [
        ("Рыгоравіч", "m", "grigoriy"),
        ("Ryhoravich", "m", "grigoriy"),
        ("Григорьевич", "m", "grigoriy"),
        ("Grigoryevich", "m", "grigoriy"),
        ("Grigorjewitsch", "m", "grigoriy"),
        ("Aleksandrovich", "m", "aleksandr"),
        ("Alexandrowicz", "m", "aleksandr"),
        ("Сергеевич", "m", "sergey"),
        ("Mikalaevich", "m", "nikolay"),
        ("Uladzimiravich", "m", "vladimir"),
        ("Ильич", "m", "ilya"),
        ("Олександрович", "m", "aleksandr"),
        ("Аляксандраўна", "f", "aleksandr"),
        ("Aliaksandrauna", "f", "aleksandr"),
        ("Aliaksandraŭna", "f", "aleksandr"),
        ("Георгіеўна", "f", "georgiy"),
        ("Heorhiyeuna", "f", "georgiy"),
        ("Ильинична", "f", "ilya"),
        ("Petrovna", "f", "petr"),
        ("Володимирівна", "f", "vladimir"),
        ("Georgijewna", "f", "georgiy"),
    ],
)
def test_patronymics(token, gender, father):
    ending = patronymic_ending(token)
    assert ending is not None and ending.gender == gender
    assert father in [gn.id for gn in patronymic_father(token)]


def test_surname_in_vich_has_no_father():
    assert patronymic_ending("Statkevich") is not None  # the ending alone cannot tell
    assert patronymic_father("Statkevich") == ()
    assert patronymic_ending("Lukashenko") is None
    assert patronymic_father("Lukashenko") == ()


# --- malformed data --------------------------------------------------------------------------


def test_bad_gender_names_file_line_and_class(fake_rules):
    path = fake_rules / "given-names.tsv"
    text = path.read_text(encoding="utf-8").replace("aleksandr\tm\t", "aleksandr\tx\t", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"given-names\.tsv: aleksandr\.gender"):
        lexicon.all_given_names()


def test_missing_source_is_an_error(fake_rules):
    path = fake_rules / "given-names.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("boris\t"))
    lines[i] = lines[i].rsplit("\t", 1)[0] + "\t "
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"boris\.source"):
        lexicon.all_given_names()


def test_wrong_column_count_is_an_error(fake_rules):
    path = fake_rules / "given-names.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "broken\tm\tБ\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"line \d+: expected 13 columns"):
        lexicon.all_given_names()


def test_bad_surname_row_is_an_error(fake_rules):
    path = fake_rules / "surname-endings.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('["ская", "ск", "f",', '["ская", "ск", "w",', 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"surname-endings\.toml: endings\[0\]: gender"):
        surname_stem("Ціханоўская")


def test_invalid_toml_is_an_error(fake_rules):
    (fake_rules / "patronymics.toml").write_text("endings = [", encoding="utf-8")
    with pytest.raises(RuleFileError, match="invalid TOML"):
        patronymic_ending("Рыгоравіч")


def test_name_places_equal_place_classes_on_every_form_and_loose_spelling() -> None:
    """keys._places (word by word, loose tier skipped when the kept letters match no place)
    finds what lexicon.place_classes finds: every gazetteer form, loose respellings of them
    (only the loose tier finds those) and person names (none)."""
    import importlib

    keys = importlib.import_module("names.keys")
    texts: list[str] = []
    for place in lexicon.all_places():
        for form in place.all_forms():
            texts += [form, form.replace("v", "w").replace("i", "y"), form.upper() + "kh"]
    seed = Path(__file__).resolve().parent / "data" / "seed-names.tsv"
    texts += [line.split("\t")[0] for line in seed.read_text(encoding="utf-8").splitlines()]
    loose_only = 0
    for text in texts:
        expected = {p.id for p in lexicon.place_classes(text)}
        assert set(keys._places(text)) == expected, text
        exact = lexicon._place_index()[0].get(fold_token(text))
        loose_only += bool(expected) and not exact
    assert loose_only > 50  # the loose tier is exercised
