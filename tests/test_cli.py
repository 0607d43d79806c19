"""The command line does what the README says it does."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from cli import main
from names.rules import scheme_files

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str = "") -> str:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_schemes_lists_every_scheme_and_filters_by_language() -> None:
    everything = run("schemes").splitlines()
    catalogue = {item.name[: -len(".toml")] for item in scheme_files()} - {
        item.name[: -len(".toml")] for item in scheme_files(["readings"])
    }
    assert len(catalogue) == 58
    assert catalogue <= {line.split()[0] for line in everything}
    belarusian = run("schemes", "--language", "be").splitlines()
    ours = [line for line in belarusian if line.split()[0] in catalogue]
    assert len(ours) == 13 and all(line.startswith("be-") for line in ours)
    assert any(line.startswith("be-national-2023") for line in belarusian)
    assert not any("read-" in line for line in everything)


def test_translit_lines_reverse_options_and_rules() -> None:
    assert run("translit", "--scheme", "be-passport", stdin="Святлана Ціханоўская\n") == (
        "Sviatlana Tsikhanouskaia\n"
    )
    assert run("translit", "-s", "be-national", "--reverse", stdin="Cichanoŭskaja\n") == (
        "Ціханоўская\n"
    )
    assert run("translit", "-s", "ru-lt", "--option", "endings=off", stdin="Навальный\n") == (
        "Navalnyj\n"
    )
    rules = REPO / "rules" / "be" / "be-bgn.toml"
    assert run("translit", "--rules", str(rules), stdin="Гомель\n") == "Homyel’\n"


def test_translit_column_keeps_every_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name,note\n1,Мінск,a\n2,,b\n3,"Лукашэнка, Аляксандр",c\n', encoding="utf-8")
    rows = list(
        csv.DictReader(
            io.StringIO(run("translit", "-s", "be-passport", "--column", "name", str(path)))
        )
    )
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert [r["name_be-passport"] for r in rows] == ["Minsk", "", "Lukashenka, Aliaksandr"]
    assert rows[0]["note"] == "a"


def test_rules_lint_show_test() -> None:
    assert run("rules", "lint", "be-national").strip() == "1 rule file(s) ok"
    assert ":: NFC ;" in run("rules", "show", "be-national")
    assert run("rules", "test", "be-national").strip().endswith("0 failed")


def test_parse_keys_compare() -> None:
    parsed = json.loads(run("parse", stdin="LUKASHENKA, Aliaksandr Ryhoravich\n"))
    assert [p["role"] for p in parsed["parts"]] == ["surname", "given", "patronymic"]
    assert parsed["gender"] == "m"
    name, keys = run("keys", stdin="Святлана Ціханоўская\n").rstrip("\n").split("\t")
    assert name == "Святлана Ціханоўская" and "s:тиганауск" in keys.split()
    text = run("compare", "Swjatlana Zichanouskaja", "Святлана Ціханоўская")
    assert text.splitlines()[0] == "1.000  match"
    payload = json.loads(
        run("compare", "--json", "Sviatlana Tsikhanouskaya", "Siarhei Tsikhanouski")
    )
    assert payload["match"] is False and any("veto" in r for r in payload["reasons"])


def test_dedupe_main_job_on_the_example(tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(
        main, ["dedupe", str(REPO / "examples" / "people.csv"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "rows" in result.stderr and "clusters" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    source = list(csv.DictReader((REPO / "examples" / "people.csv").open(encoding="utf-8")))
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in source]
    cluster = {r["record_id"]: r["cluster_id"] for r in rows}
    # Swjatlana Zichanouskaja, Svetlana Tikhanovskaia, Svatlana Tsikhanouskaya,
    # Śviatłana Cichanoŭskaja; and her husband: Syarhey Tsikhanouski, Сяргей Ціханоўскі
    wife = {cluster[r] for r in ("r0036", "r0113", "r0238", "r0706")}
    husband = {cluster[r] for r in ("r0072", "r0596", "r0624")}
    assert len(wife) == 1 and len(husband) == 1 and wife != husband
