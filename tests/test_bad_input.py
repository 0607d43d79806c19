"""The bad-input catalogue: each case gives exit status 2 (usage) or 1 (data), one clear line on
stderr naming the file (and line, field) where known, no traceback, and no partial output file.

The README's "When input is bad" section lists the same cases with the message a user sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "data" / "bad"


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(REPO / "cli.py"), *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or REPO,
        env=env,
        timeout=120,
    )


def one_error_line(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("onomast: error: "), lines[0]
    return lines[0]


CATALOGUE = [
    # (case, argv, exit status, words the one-line message must hold)
    ("empty file", ["dedupe", str(BAD / "empty.csv")], 2, ["empty.csv", "header"]),
    (
        "invalid UTF-8",
        ["dedupe", str(BAD / "bad-utf8.csv")],
        2,
        ["bad-utf8.csv", "line 3", "--encoding", "--errors replace"],
    ),
    (
        "missing column",
        ["dedupe", str(BAD / "people.csv"), "--column", "full_name"],
        2,
        ["full_name", "'id', 'name'"],
    ),
    ("ragged row", ["dedupe", str(BAD / "ragged.csv")], 1, ["ragged.csv", "line 3"]),
    ("nonexistent file", ["dedupe", str(BAD / "nope.csv")], 2, ["nope.csv", "no such file"]),
    ("directory as file", ["dedupe", str(BAD)], 2, ["is a directory"]),
    ("unknown scheme", ["translit", "--scheme", "be-pasport"], 2, ["be-pasport", "be-passport"]),
    (
        "malformed rule file",
        ["translit", "--rules", str(BAD / "malformed.toml")],
        2,
        ["malformed.toml", "letters", "no mapping"],
    ),
    (
        "huge expansion",
        ["translit", "--rules", str(BAD / "huge.toml")],
        2,
        ["huge.toml", "letters.а", "exceeds the limit"],
    ),
    (
        "registry: empty name",
        ["resolve", "--registry", str(BAD / "registry-empty-name.csv")],
        1,
        ["registry-empty-name.csv", "line 4", "name"],
    ),
    (
        "registry: one id, two genders",
        ["resolve", "--registry", str(BAD / "registry-gender-clash.csv")],
        1,
        ["registry-gender-clash.csv", "line 3", "gender"],
    ),
    (
        "not a SQLite database",
        ["dedupe", "sqlite:///" + str(BAD / "not-a-db.sqlite"), "--table", "people"],
        1,
        ["not-a-db.sqlite", "not a SQLite database"],
    ),
    (
        "unknown --option",
        ["translit", "--scheme", "ru-lt", "--option", "endings=maybe"],
        2,
        ["endings=maybe"],
    ),
    (
        "translit CSV missing column",
        ["translit", "--scheme", "be-passport", "--column", "nom", str(BAD / "people.csv")],
        2,
        ["nom", "'id', 'name'"],
    ),
]


@pytest.mark.parametrize(
    ("case", "argv", "status", "words"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_bad_input(case: str, argv: list[str], status: int, words: list[str]) -> None:
    result = run(*argv)
    line = one_error_line(result)
    assert result.returncode == status, line
    for word in words:
        assert word.lower() in line.lower(), (word, line)


def test_failed_run_leaves_no_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run("dedupe", str(BAD / "ragged.csv"), "-o", str(out))
    assert result.returncode == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("precious\n", encoding="utf-8")
    result = run("dedupe", str(BAD / "bad-utf8.csv"), "-o", str(out))
    assert result.returncode == 2
    assert out.read_text(encoding="utf-8") == "precious\n"


def test_errors_replace_reads_anyway() -> None:
    result = run("dedupe", str(BAD / "bad-utf8.csv"), "--errors", "replace", "-q")
    assert result.returncode == 0, result.stderr
    assert "\ufffd" in result.stdout.decode("utf-8")


def test_header_only_input_gives_header_only_output() -> None:
    result = run("dedupe", str(BAD / "header-only.csv"), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "id,name,cluster_id,canonical_name,confidence\n"


def test_whitespace_only_names_pass_through() -> None:
    result = run("translit", "--scheme", "be-passport", stdin="  \n\t\nМінск\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == "  \n\t\nMinsk\n"
    dedupe = run("dedupe", "-", "-q", stdin="name\n   \nМінск\n\n".encode())
    assert dedupe.returncode == 0, dedupe.stderr
    rows = dedupe.stdout.decode().splitlines()
    assert len(rows) == 3  # header, the blank-looking name, Мінск (blank lines are not rows)


def test_long_name_is_cut_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ц" * 100_000 + "\nМінск\n", encoding="utf-8")
    result = run("translit", "--scheme", "be-passport", str(path))
    assert result.returncode == 0
    err = result.stderr.decode()
    assert "line 1" in err and "cut to 10000" in err
    out = result.stdout.decode().splitlines()
    assert out[1] == "Minsk" and len(out[0]) == 20_000


def test_quoted_newline_bom_crlf_and_safe_csv(tmp_path: Path) -> None:
    data = '\ufeffid,name\r\n1,"Ціханоўская,\r\nСвятлана"\r\n2,=HYPERLINK("x")\r\n'
    path = tmp_path / "in.csv"
    path.write_text(data, encoding="utf-8", newline="")
    result = run("dedupe", str(path), "-q", "--safe-csv")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith("id,name,")
    assert "'=HYPERLINK" in text
    assert "Ціханоўская,\r\nСвятлана" in text  # a quoted line break is data: kept as it was


def test_utf16_input(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Мінск\nГомель\n", encoding="utf-16")
    result = run("translit", "--scheme", "be-passport", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Minsk\nHomel\n"
