"""Tests of names.io: every format read and written, every documented error and its message."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import string
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import names.io as nio
from names.errors import InputError, UsageError
from names.io import Row, Table, read_table, sniff_format, write_sqlite, write_table

DATA = Path(__file__).parent / "data" / "io"


def fixture(name: str) -> str:
    return str(DATA / name)


def rows_of(table: Table) -> list[tuple[int, dict[str, str | None]]]:
    return [(row.line, row.values) for row in table]


def raises_usage(match: str | None = None) -> pytest.RaisesContext:
    return pytest.raises(UsageError, match=match)


def input_error(excinfo: pytest.ExceptionInfo) -> InputError:
    """The raised error, checked to be a data error (exit 1), not a usage error."""
    err = excinfo.value
    assert type(err) is InputError
    assert err.exit_code == 1
    return err


def decode_error(excinfo: pytest.ExceptionInfo) -> InputError:
    """An undecodable file: the remedy is in the request (--encoding, --errors), so exit 2."""
    err = excinfo.value
    assert type(err) is InputError
    assert err.exit_code == 2
    return err


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Reading each format


def test_csv_rows_lines_and_columns() -> None:
    table = read_table(fixture("sample.csv"), column="name")
    assert table.columns == ["id", "name", "city"]
    assert table.path == fixture("sample.csv")
    assert table.format == "csv"
    assert rows_of(table) == [
        (2, {"id": "1", "name": "Святлана Ціханоўская", "city": "Мінск"}),
        (3, {"id": "2", "name": "Аляксандр Лукашэнка", "city": "Копысь"}),
        (4, {"id": "3", "name": "Statkevičius, Mikalojus", "city": "Vilnius"}),
    ]


def test_rows_are_named_tuples_that_unpack() -> None:
    line, values = next(iter(read_table(fixture("sample.csv"))))
    assert (line, values["name"]) == (2, "Святлана Ціханоўская")


def test_tsv_reads_the_same_as_csv() -> None:
    tsv = read_table(fixture("sample.tsv"))
    assert tsv.format == "tsv"
    assert rows_of(tsv) == rows_of(read_table(fixture("sample.csv")))


def test_semicolon_and_bar_csv_are_read_by_their_header(tmp_path: Path) -> None:
    """Spreadsheets in European locales save CSV with semicolons; the header tells."""
    expected = rows_of(read_table(fixture("sample.csv")))
    for delimiter in (";", "|"):
        path = tmp_path / "people.csv"
        text = (DATA / "sample.csv").read_text(encoding="utf-8").replace(",", delimiter)
        quoted = f'"Statkevičius{delimiter} Mikalojus"'
        path.write_text(text.replace(quoted, '"Statkevičius, Mikalojus"'), encoding="utf-8")
        table = read_table(str(path), column="name")
        assert table.columns == ["id", "name", "city"]
        assert rows_of(table) == expected
    # quoted delimiters in the header do not count; a comma file with semicolons in its data
    # stays a comma file
    path.write_text('"a;b;c",name\n1,"x;y"\n', encoding="utf-8")
    assert rows_of(read_table(str(path))) == [(2, {"a;b;c": "1", "name": "x;y"})]
    path.write_text("\n\nid;name\n1;Ales\n", encoding="utf-8")  # blank lines before it
    assert rows_of(read_table(str(path))) == [(4, {"id": "1", "name": "Ales"})]
    with raises_usage("applies to CSV sources only"):
        read_table(fixture("sample.tsv"), delimiter=";")
    with raises_usage("a delimiter is one character"):
        read_table(str(path), delimiter=";;")
    assert rows_of(read_table(str(path), delimiter=",")) == [(4, {"id;name": "1;Ales"})]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("name", ","), ("id;name", ";"), ("a,b;c", ","), ("a;b;c,d", ";"), ("a|b", "|"), ("", ",")],
)
def test_sniff_delimiter(header: str, delimiter: str) -> None:
    assert nio.sniff_delimiter(header) == delimiter


def test_table_can_be_iterated_twice_from_a_file() -> None:
    table = read_table(fixture("sample.csv"))
    assert rows_of(table) == rows_of(table)
    assert len(rows_of(table)) == 3


def test_bom_is_dropped_from_the_first_column_name() -> None:
    table = read_table(fixture("bom.csv"), column="id")
    assert table.columns == ["id", "name"]
    assert rows_of(table) == [(2, {"id": "1", "name": "Алесь Бяляцкі"})]


def test_crlf_line_ends_and_quoted_crlf() -> None:
    table = read_table(fixture("crlf.csv"))
    assert rows_of(table) == [
        (2, {"id": "1", "name": "Марыя Калеснікава"}),
        # a line break inside quotes is data and is kept exactly as written
        (3, {"id": "2", "name": "Бабарыка,\r\nВіктар"}),
    ]


def test_utf16_is_detected_by_its_bom() -> None:
    assert (DATA / "utf16.csv").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert rows_of(read_table(fixture("utf16.csv"))) == [
        (2, {"id": "1", "name": "Ігар Лосік"}),
        (3, {"id": "2", "name": "Зміцер Дашкевіч"}),
    ]


def test_utf32_and_big_endian_utf16_boms(tmp_path: Path) -> None:
    text = "id,name\n1,Ігар\n"
    for codec, bom in (("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(bom + text.encode(codec))
        assert rows_of(read_table(path)) == [(2, {"id": "1", "name": "Ігар"})]


def test_quoted_newlines_count_as_physical_lines() -> None:
    table = read_table(fixture("quoted-newline.csv"))
    assert rows_of(table) == [
        (2, {"id": "1", "name": "Ціханоўская\nСвятлана", "note": "a\n\nb"}),
        (6, {"id": "2", "name": "Бяляцкі", "note": "c"}),
    ]


def test_header_only_csv_is_an_empty_table() -> None:
    table = read_table(fixture("header-only.csv"), column="name")
    assert table.columns == ["id", "name"]
    assert list(table) == []


def test_explicit_encoding_reads_cp1251() -> None:
    table = read_table(fixture("cp1251.csv"), encoding="cp1251")
    assert [r.values["name"] for r in table] == ["Святлана", "Ціханоўская"]


def test_auto_encoding_reads_cp1251_cp1257_cp1250_and_utf8(tmp_path: Path) -> None:
    table = read_table(fixture("cp1251.csv"), encoding="auto")
    assert [r.values["name"] for r in table] == ["Святлана", "Ціханоўская"]
    samples = {
        "cp1251": "Аляксандр Лукашэнка\nЮлія Казлова",
        "cp1257": "Dalia Grybauskaitė\nŽydrūnas Šimonis\nĄžuolas Ęgis",
        "cp1250": "Paweł Łatuszka\nŚwiatłana Cichanouska",
        "utf-8": "Dalia Grybauskaitė\nДаля Грибаускайте",
    }
    for codec, text in samples.items():
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(text.encode(codec))
        assert nio.guess_encoding(path.read_bytes()) == codec
        assert [r.values["name"] for r in read_table(str(path), encoding="auto")] == text.split(
            "\n"
        )
    # a UTF-8 sequence cut by the end of the sample is still UTF-8
    assert nio.guess_encoding("Ціханоўская".encode()[:-1]) == "utf-8"
    with raises_usage("cannot tell the encoding"):
        nio.guess_encoding(bytes(range(0x80, 0xC0)))


def test_errors_replace_reads_bad_utf8_anyway() -> None:
    table = read_table(fixture("bad-utf8.csv"), errors="replace")
    assert [r.values["name"] for r in table] == ["Ціханоўская", "Ts\ufffdkhanouskaya", "Лукашэнка"]


def test_ragged_pad_fills_short_rows_with_none() -> None:
    table = read_table(fixture("ragged-short.csv"), ragged="pad")
    assert rows_of(table) == [
        (2, {"id": "1", "name": "Ціханоўская", "city": "Мінск"}),
        (4, {"id": "2", "name": "Лукашэнка", "city": None}),
    ]


def test_plain_list_skips_blank_lines_and_keeps_line_numbers() -> None:
    table = read_table(fixture("names.txt"))
    assert table.columns == ["name"]
    assert rows_of(table) == [
        (1, {"name": "Святлана Ціханоўская"}),
        (4, {"name": "Аляксандр Лукашэнка"}),
        (5, {"name": "Statkevičius, Mikalojus"}),
    ]
    assert read_table(fixture("names.txt"), column="full").columns == ["full"]


def test_fmt_overrides_the_extension() -> None:
    table = read_table(fixture("sample.csv"), fmt="txt", column="raw")
    assert [r.values["raw"] for r in table][0] == "id,name,city"


def test_jsonl_values_nulls_missing_keys_and_growing_columns() -> None:
    table = read_table(fixture("sample.jsonl"), column="name")
    assert table.columns == ["id", "name", "alias"]
    rows = rows_of(table)
    assert rows == [
        (1, {"id": "1", "name": "Святлана Ціханоўская", "alias": None}),
        (
            3,
            {
                "id": "2",
                "name": "Аляксандр Лукашэнка",
                "alias": '["Lukashenko"]',
                "living": "true",
            },
        ),
        (4, {"id": None, "name": "Алесь Бяляцкі", "alias": None, "living": None}),
    ]
    assert table.columns == ["id", "name", "alias", "living"]


def test_stdin_plain_lines_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, "Ціханоўская\r\nЛукашэнка\n".encode())
    table = read_table("-")
    assert table.path == "-"
    assert rows_of(table) == [(1, {"name": "Ціханоўская"}), (2, {"name": "Лукашэнка"})]
    with raises_usage("only once"):
        list(table)


def test_stdin_as_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b'\xef\xbb\xbfid,name\n7,"Lukashenka, A."\n')
    assert rows_of(read_table("-", fmt="csv", column="name")) == [
        (2, {"id": "7", "name": "Lukashenka, A."})
    ]


def test_reading_streams_instead_of_loading_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        """A header and then rows forever: only a streaming reader can return a first row."""

        def __init__(self) -> None:
            self.sent = 0
            self.pending = bytearray(b"id,name\n")

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            while len(self.pending) < len(buffer):
                self.pending += b"%d,\xd0\x90\xd0\xbb\xd0\xb5\xd1\x81\xd1\x8c\n" % self.sent
                self.sent += 1
            n = len(buffer)
            buffer[:n] = self.pending[:n]
            del self.pending[:n]
            return n

    source = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(source)))
    rows = iter(read_table("-", fmt="csv"))
    assert next(rows) == Row(2, {"id": "0", "name": "Алесь"})
    assert next(rows) == Row(3, {"id": "1", "name": "Алесь"})
    assert source.sent < 500_000  # read a chunk or two, not "everything"


def test_decoding_across_tiny_chunks_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every multi-byte character and the BOM straddle chunk boundaries at some chunk size.
    expected = rows_of(read_table(fixture("quoted-newline.csv")))
    utf16 = rows_of(read_table(fixture("utf16.csv")))
    for size in (1, 2, 3, 5, 7):
        monkeypatch.setattr(nio, "_CHUNK", size)
        assert rows_of(read_table(fixture("quoted-newline.csv"))) == expected
        assert rows_of(read_table(fixture("utf16.csv"))) == utf16
        with pytest.raises(InputError) as excinfo:
            list(read_table(fixture("bad-utf8.csv")))
        assert excinfo.value.line == 3


def test_a_million_rows_read_quickly(tmp_path: Path) -> None:
    # 100k rows here (the full million takes about 2 s); a quadratic or per-row-IO reader would
    # take far longer than the bound.
    path = tmp_path / "big.csv"
    body = "".join(f"{i},Святлана Ціханоўская {i},Мінск\n" for i in range(100_000))
    path.write_text("id,name,city\n" + body, encoding="utf-8")
    started = time.perf_counter()
    count = sum(1 for _ in read_table(path, column="name"))
    assert count == 100_000
    assert time.perf_counter() - started < 5.0


# ---------------------------------------------------------------------------------------------
# Reading errors: class, exit status and the file, line and field in the message


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    with raises_usage() as excinfo:
        read_table(path)
    assert excinfo.value.exit_code == 2
    assert str(excinfo.value) == f"{path}: no such file"
    for name in ("nope.jsonl", "nope.parquet", "nope.db", "nope", "nope.txt"):
        with raises_usage("no such file"):
            read_table(tmp_path / name, table="t" if name.endswith(".db") else None)


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "names.csv"
    folder.mkdir()
    with raises_usage("is a directory") as excinfo:
        read_table(folder)
    assert str(folder) in str(excinfo.value)
    with raises_usage("is a directory"):
        read_table(tmp_path)


def test_invalid_utf8_names_file_and_line() -> None:
    table = read_table(fixture("bad-utf8.csv"))  # the header is fine
    with pytest.raises(InputError) as excinfo:
        list(table)
    err = decode_error(excinfo)
    assert (err.path, err.line) == (fixture("bad-utf8.csv"), 3)
    message = str(err)
    assert message.startswith(f"{fixture('bad-utf8.csv')}, line 3: not valid utf-8")
    assert "(bytes ef cannot be decoded)" in message  # the offending byte
    assert "encoding" in message and "--errors replace" in message


def test_invalid_utf8_in_a_later_chunk_has_the_right_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nio, "_CHUNK", 4096)
    path = tmp_path / "late.txt"
    lines = [f"Ціханоўская {i}".encode() for i in range(5000)]
    lines[4321] = b"Lukashenka \xd0"  # a truncated two-byte sequence
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InputError) as excinfo:
        list(read_table(path))
    assert decode_error(excinfo).line == 4322


def test_invalid_utf16_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    good = "id,name\n1,Ігар\n2,".encode("utf-16-le")
    path.write_bytes(b"\xff\xfe" + good + b"\x00\xd8" + "x\n".encode("utf-16-le"))
    with pytest.raises(InputError) as excinfo:
        list(read_table(path))
    err = decode_error(excinfo)
    assert err.line == 3
    assert "not valid utf-16" in str(err)


def test_missing_column_lists_the_columns_present() -> None:
    with raises_usage() as excinfo:
        read_table(fixture("sample.csv"), column="surname")
    err = excinfo.value
    assert err.field == "surname"
    assert str(err) == (
        f"{fixture('sample.csv')}, field 'surname': no column 'surname'; "
        "columns present: 'id', 'name', 'city'"
    )
    with raises_usage("columns present: 'id', 'name', 'alias'"):
        read_table(fixture("sample.jsonl"), column="surname")


def test_too_many_fields_names_the_line() -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_table(fixture("ragged.csv")))
    err = input_error(excinfo)
    assert str(err) == f"{fixture('ragged.csv')}, line 3: expected 3 fields, found 4"
    with pytest.raises(InputError, match="line 3: expected 3 fields, found 4"):
        list(read_table(fixture("ragged.csv"), ragged="pad"))  # padding never drops data


def test_too_few_fields_names_the_line_and_missing_field() -> None:
    table = read_table(fixture("ragged-short.csv"))
    rows = iter(table)
    assert next(rows).line == 2  # the good row comes through before the error
    with pytest.raises(InputError) as excinfo:
        next(rows)
    err = input_error(excinfo)
    assert (err.line, err.field) == (4, "city")
    assert str(err).startswith(
        f"{fixture('ragged-short.csv')}, line 4, field 'city': expected 3 fields, found 2"
    )
    assert "ragged='pad'" in str(err)


def test_unclosed_quote_points_at_where_it_opened() -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_table(fixture("unclosed-quote.csv")))
    err = input_error(excinfo)
    assert err.line == 3
    assert "never closed (reached the end at line 4)" in str(err)


def test_text_after_a_closing_quote_is_an_error() -> None:
    with pytest.raises(InputError) as excinfo:
        list(read_table(fixture("bad-quote.csv")))
    err = input_error(excinfo)
    assert err.line == 2
    assert "',' expected after '\"'" in str(err)


def test_completely_empty_csv_has_no_header() -> None:
    with raises_usage() as excinfo:
        read_table(fixture("empty.csv"))
    assert str(excinfo.value) == f"{fixture('empty.csv')}: no header: the file is empty"


def test_duplicate_header_column_is_refused() -> None:
    with raises_usage("column 'name' appears twice") as excinfo:
        read_table(fixture("duplicate-header.csv"))
    assert (excinfo.value.line, excinfo.value.field) == (1, "name")


def test_empty_inputs_of_other_formats_are_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_bytes(b"\n\n")
    (tmp_path / "e.txt").write_bytes(b"")
    assert list(read_table(tmp_path / "e.jsonl", column="name")) == []
    assert read_table(tmp_path / "e.jsonl", column="name").columns == ["name"]
    assert list(read_table(tmp_path / "e.txt")) == []


def test_malformed_json_line() -> None:
    table = read_table(fixture("bad.jsonl"))
    with pytest.raises(InputError) as excinfo:
        list(table)
    err = input_error(excinfo)
    assert err.line == 2
    assert str(err).startswith(f"{fixture('bad.jsonl')}, line 2: malformed JSON: ")
    assert "column 30" in str(err)


def test_json_line_that_is_not_an_object() -> None:
    with pytest.raises(InputError, match=r"line 2: expected a JSON object, found list"):
        list(read_table(fixture("not-object.jsonl")))


def test_file_that_is_not_a_sqlite_database() -> None:
    with pytest.raises(InputError) as excinfo:
        read_table(fixture("not-a-db.sqlite"), table="people")
    err = input_error(excinfo)
    assert str(err).startswith(f"{fixture('not-a-db.sqlite')}: not a SQLite database")


def test_file_that_is_not_parquet() -> None:
    with pytest.raises(InputError) as excinfo:
        read_table(fixture("not-a-parquet.parquet"))
    assert str(input_error(excinfo)).startswith(
        f"{fixture('not-a-parquet.parquet')}: not a readable Parquet file"
    )


def test_bad_options_are_usage_errors() -> None:
    with raises_usage("unknown encoding 'klingon'"):
        read_table(fixture("sample.csv"), encoding="klingon")
    with raises_usage("unknown error handler"):
        read_table(fixture("sample.csv"), errors="shrug")
    with raises_usage("unknown format 'xls'; formats: csv, tsv, jsonl, parquet, sqlite, txt"):
        read_table(fixture("sample.csv"), fmt="xls")
    with raises_usage("ragged must be"):
        read_table(fixture("sample.csv"), ragged="drop")
    with raises_usage("table= applies to SQLite sources only"):
        read_table(fixture("sample.csv"), table="people")


def test_close_releases_an_unread_table() -> None:
    table = read_table(fixture("sample.csv"))
    table.close()
    assert len(list(table)) == 3  # a file-backed table re-opens after close
    with read_table(fixture("sample.csv")) as again:
        assert next(iter(again)).line == 2


# ---------------------------------------------------------------------------------------------
# SQLite and Parquet


def make_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (id INTEGER, name TEXT, photo BLOB)")
    conn.execute("CREATE TABLE places (name TEXT)")
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?)",
        [(1, "Ціханоўская", None), (2, None, "Лукашэнка".encode())],
    )
    conn.commit()
    conn.close()


def test_sqlite_url_and_plain_path(tmp_path: Path) -> None:
    db = tmp_path / "people.sqlite3"
    make_db(db)
    expected = [
        (1, {"id": "1", "name": "Ціханоўская", "photo": None}),
        (2, {"id": "2", "name": None, "photo": "Лукашэнка"}),
    ]
    by_url = read_table(f"sqlite:///{db}", table="people", column="name")
    assert by_url.columns == ["id", "name", "photo"]
    assert by_url.path == str(db)
    assert by_url.format == "sqlite"
    assert rows_of(by_url) == expected
    assert rows_of(read_table(db, table="people")) == expected


def test_sqlite_missing_table_lists_tables(tmp_path: Path) -> None:
    db = tmp_path / "people.db"
    make_db(db)
    with raises_usage() as excinfo:
        read_table(db, table="persons")
    assert str(excinfo.value) == f"{db}: no table 'persons'; tables: people, places"
    with raises_usage("needs a table; tables: people, places"):
        read_table(db)
    with raises_usage("no column 'surname'; columns present: 'id', 'name', 'photo'"):
        read_table(db, table="people", column="surname")


def test_sqlite_is_opened_read_only(tmp_path: Path) -> None:
    db = tmp_path / "people.db"
    make_db(db)
    before = db.read_bytes()
    assert len(list(read_table(db, table="places"))) == 0
    assert db.read_bytes() == before


def test_parquet_types_become_strings(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    table = pa.table(
        {
            "id": pa.array([1, 2, None], pa.int64()),
            "name": ["Ціханоўская", None, "Бяляцкі"],
            "ok": [True, False, None],
            "tags": pa.array([["a"], [], None], pa.list_(pa.string())),
        }
    )
    pq.write_table(table, path, row_group_size=2)  # two row groups
    result = read_table(path, column="name")
    assert result.columns == ["id", "name", "ok", "tags"]
    assert rows_of(result) == [
        (1, {"id": "1", "name": "Ціханоўская", "ok": "true", "tags": '["a"]'}),
        (2, {"id": "2", "name": None, "ok": "false", "tags": "[]"}),
        (3, {"id": None, "name": "Бяляцкі", "ok": None, "tags": None}),
    ]
    with raises_usage("no column 'surname'; columns present: 'id', 'name', 'ok', 'tags'"):
        read_table(path, column="surname")


def test_parquet_without_pyarrow_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes "import pyarrow" fail
    with raises_usage("Parquet needs pyarrow: pip install pyarrow"):
        read_table(tmp_path / "t.parquet")
    with raises_usage("Parquet needs pyarrow"):
        write_table([], ["name"], tmp_path / "out.parquet")
    assert os.listdir(tmp_path) == ["t.parquet"]


# ---------------------------------------------------------------------------------------------
# Format detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.CSV", "csv"),
        ("a.tsv", "tsv"),
        ("a.tab", "tsv"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.parquet", "parquet"),
        ("a.db", "sqlite"),
        ("a.sqlite", "sqlite"),
        ("a.sqlite3", "sqlite"),
        ("sqlite:///x/y.bin", "sqlite"),
        ("a.txt", "txt"),
        ("-", "txt"),
    ],
)
def test_sniff_format_by_name(name: str, fmt: str) -> None:
    assert sniff_format(name) == fmt


def test_sniff_format_by_content(tmp_path: Path) -> None:
    db = tmp_path / "people.data"
    make_db(db)
    assert sniff_format(db) == "sqlite"
    (tmp_path / "x.out").write_text('{"name": "Ціханоўская"}\n', encoding="utf-8")
    assert sniff_format(tmp_path / "x.out") == "jsonl"
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    pq.write_table(pa.table({"name": ["a"]}), tmp_path / "p.bin")
    assert sniff_format(tmp_path / "p.bin") == "parquet"
    (tmp_path / "names.list").write_text("Ціханоўская, Святлана\n", encoding="utf-8")
    with raises_usage("cannot tell the format") as excinfo:
        sniff_format(tmp_path / "names.list")
    assert str(tmp_path / "names.list") in str(excinfo.value)


# ---------------------------------------------------------------------------------------------
# Writing


COLUMNS = ["id", "name", "note"]
ROWS: list[dict[str, str | None]] = [
    {"id": "1", "name": "Святлана Ціханоўская", "note": 'says "hello", twice'},
    {"id": "2", "name": "Аляксандр\nЛукашэнка", "note": None},
    {"id": "3", "name": '=HYPERLINK("x")', "note": "\tTab"},
]


@pytest.mark.parametrize("ext", ["jsonl", "parquet", "db"])
def test_write_then_read_keeps_rows_and_nulls(tmp_path: Path, ext: str) -> None:
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    dest = tmp_path / f"out.{ext}"
    table = "people" if ext == "db" else None
    assert write_table(ROWS, COLUMNS, dest, table=table) == 3
    back = read_table(dest, table=table)
    assert back.columns == COLUMNS
    assert [r.values for r in back] == ROWS


@pytest.mark.parametrize("ext", ["csv", "tsv"])
def test_write_then_read_delimited(tmp_path: Path, ext: str) -> None:
    dest = tmp_path / f"out.{ext}"
    assert write_table(ROWS, COLUMNS, dest) == 3
    back = read_table(dest)
    assert back.columns == COLUMNS
    # CSV has no null: None is written as an empty cell
    assert [r.values for r in back] == [{**r, "note": r["note"] or ""} for r in ROWS]
    # the quoted newline of row 2 makes row 3 start on line 5
    assert [r.line for r in read_table(dest)] == [2, 3, 5]


def test_csv_output_text(tmp_path: Path) -> None:
    dest = tmp_path / "out.csv"
    write_table([Row(2, {"name": "Ціханоўская", "n": "1"}), ["x,y", None]], ["name", "n"], dest)
    assert dest.read_bytes().decode("utf-8") == 'name,n\nЦіханоўская,1\n"x,y",\n'


def test_csv_output_with_another_delimiter(tmp_path: Path) -> None:
    dest = tmp_path / "out.csv"
    write_table([["Ціханоўская", "a;b"]], ["name", "n"], dest, delimiter=";")
    assert dest.read_text(encoding="utf-8") == 'name;n\nЦіханоўская;"a;b"\n'
    assert read_table(str(dest)).csv_delimiter == ";"
    assert read_table(fixture("sample.csv")).csv_delimiter == ","
    assert read_table(fixture("sample.tsv")).csv_delimiter == ","  # not CSV: back as commas
    with raises_usage("a delimiter is one character"):
        write_table([], ["name"], dest, delimiter='"')


def test_plain_list_output(tmp_path: Path) -> None:
    dest = tmp_path / "out.txt"
    write_table([{"name": "Ціханоўская"}, {"name": "Бяляцкі"}], ["name"], dest)
    assert dest.read_text(encoding="utf-8") == "Ціханоўская\nБяляцкі\n"
    with raises_usage("a plain list holds one column, not 2"):
        write_table([], ["a", "b"], tmp_path / "two.txt")
    with pytest.raises(InputError, match="line 1, field 'name': a value with a line break"):
        write_table([{"name": "a\nb"}], ["name"], tmp_path / "nl.txt")
    assert not (tmp_path / "nl.txt").exists()


def test_jsonl_output_text(tmp_path: Path) -> None:
    dest = tmp_path / "out.jsonl"
    write_table(
        [{"name": "Ціханоўская", "n": 3, "x": None, "extra": "dropped"}], ["name", "n", "x"], dest
    )
    assert dest.read_text(encoding="utf-8") == '{"name":"Ціханоўская","n":3,"x":null}\n'
    assert json.loads(dest.read_text(encoding="utf-8")) == {
        "name": "Ціханоўская",
        "n": 3,
        "x": None,
    }


def test_safe_csv_defuses_formulas(tmp_path: Path) -> None:
    dest = tmp_path / "safe.csv"
    values = ["=1+2", "+7", "-3", "@SUM(A1)", "\tx", "\rx", "Ціханоўская", "a=b", ""]
    write_table([[v] for v in values], ["=name"], dest, safe_csv=True)
    back = [r.values["'=name"] for r in read_table(dest)]
    assert back == ["'=1+2", "'+7", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "Ціханоўская", "a=b", ""]
    write_table([[v] for v in values], ["name"], tmp_path / "raw.csv")
    assert [r.values["name"] for r in read_table(tmp_path / "raw.csv")] == values


def test_write_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert write_table([{"name": "Ціханоўская"}], ["name"], "-") == 1
    assert capsysbinary.readouterr().out.decode("utf-8") == "name\nЦіханоўская\n"
    write_table([{"name": "Бяляцкі"}], ["name"], "-", fmt="jsonl")
    assert capsysbinary.readouterr().out.decode("utf-8") == '{"name":"Бяляцкі"}\n'
    with raises_usage("Parquet cannot be written to stdout"):
        write_table([], ["name"], "-", fmt="parquet")


def failing_rows(good: int):
    for i in range(good):
        yield {"id": str(i), "name": f"Ціханоўская {i}", "note": None}
    raise RuntimeError("the source broke")


@pytest.mark.parametrize("ext", ["csv", "tsv", "jsonl", "parquet", "txt"])
def test_failed_write_leaves_no_file(tmp_path: Path, ext: str) -> None:
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    columns = ["name"] if ext == "txt" else COLUMNS
    dest = tmp_path / f"out.{ext}"
    with pytest.raises(RuntimeError, match="the source broke"):
        write_table(failing_rows(1000), columns, dest)
    assert os.listdir(tmp_path) == []  # neither the file nor a temporary one


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_failed_write_keeps_the_old_file(tmp_path: Path, ext: str) -> None:
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    dest = tmp_path / f"out.{ext}"
    write_table(ROWS, COLUMNS, dest)
    before = dest.read_bytes()
    with pytest.raises(RuntimeError):
        write_table(failing_rows(5), COLUMNS, dest)
    assert dest.read_bytes() == before
    assert os.listdir(tmp_path) == [dest.name]


def test_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    dest = tmp_path / "out.csv"
    write_table(ROWS, COLUMNS, dest)
    mask = os.umask(0)
    os.umask(mask)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~mask


def test_write_errors(tmp_path: Path) -> None:
    with raises_usage("the directory does not exist") as excinfo:
        write_table(ROWS, COLUMNS, tmp_path / "missing" / "out.csv")
    assert str(tmp_path / "missing" / "out.csv") in str(excinfo.value)
    with raises_usage("is a directory"):
        write_table(ROWS, COLUMNS, tmp_path, fmt="csv")
    with raises_usage("cannot tell the output format"):
        write_table(ROWS, COLUMNS, tmp_path / "out.xlsx")
    with raises_usage("column 'id' given twice"):
        write_table(ROWS, ["id", "id"], tmp_path / "out.csv")
    with raises_usage("a row has 2 values for 3 columns"):
        write_table([["1", "2"]], COLUMNS, tmp_path / "out.csv")
    with raises_usage("writing SQLite needs a table name"):
        write_table(ROWS, COLUMNS, tmp_path / "out.db")
    assert os.listdir(tmp_path) == []


def test_write_sqlite_is_one_transaction(tmp_path: Path) -> None:
    db = tmp_path / "out.db"
    assert write_sqlite(ROWS, COLUMNS, f"sqlite:///{db}", "people") == 3
    with pytest.raises(RuntimeError):
        write_sqlite(failing_rows(10), COLUMNS, db, "more")
    with pytest.raises(RuntimeError):
        write_sqlite(failing_rows(10), COLUMNS, db, "people", if_exists="append")
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    count = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    conn.close()
    assert tables == ["people"]  # the failed "more" was rolled back, CREATE TABLE included
    assert count == 3  # the failed append added nothing


def test_write_sqlite_if_exists(tmp_path: Path) -> None:
    db = tmp_path / "out.db"
    write_sqlite(ROWS, COLUMNS, db, "people")
    with raises_usage("table 'people' already exists"):
        write_sqlite(ROWS, COLUMNS, db, "people")
    write_sqlite(ROWS[:1], COLUMNS, db, "people", if_exists="append")
    assert len(list(read_table(db, table="people"))) == 4
    write_sqlite(ROWS[:1], ["name"], db, "people", if_exists="replace")
    replaced = read_table(db, table="people")
    assert replaced.columns == ["name"]
    assert [r.values for r in replaced] == [{"name": "Святлана Ціханоўская"}]
    with raises_usage("are one column to SQLite"):
        write_sqlite([], ["Name", "name"], db, "other")
    with pytest.raises(InputError, match="not a SQLite database"):
        write_sqlite(ROWS, COLUMNS, fixture("not-a-db.sqlite"), "people")


# ---------------------------------------------------------------------------------------------
# Row conservation on random tables

_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\ufeff"), max_size=12)
_SQL_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
_NAMES = st.lists(
    st.text(string.ascii_lowercase + "_ ,\"'é", min_size=1, max_size=6),
    min_size=1,
    max_size=4,
    unique_by=str.lower,
)


@st.composite
def tables(draw: st.DrawFn, values: st.SearchStrategy[str], nulls: bool) -> tuple:
    columns = draw(_NAMES)
    cell = st.one_of(st.none(), values) if nulls else values
    rows = draw(st.lists(st.fixed_dictionaries({c: cell for c in columns}), max_size=8))
    return columns, rows


_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(data=tables(_TEXT, nulls=False), ext=st.sampled_from(["csv", "tsv"]))
def test_delimited_round_trip(tmp_path: Path, data: tuple, ext: str) -> None:
    columns, rows = data
    dest = tmp_path / f"t.{ext}"
    assert write_table(rows, columns, dest) == len(rows)
    back = read_table(dest)
    assert back.columns == columns
    assert [r.values for r in back] == rows


@_SETTINGS
@given(data=tables(_TEXT, nulls=True), ext=st.sampled_from(["jsonl", "parquet"]))
def test_jsonl_parquet_round_trip(tmp_path: Path, data: tuple, ext: str) -> None:
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    columns, rows = data
    dest = tmp_path / f"t.{ext}"
    assert write_table(rows, columns, dest) == len(rows)
    back = read_table(dest)
    assert [r.values for r in back] == rows
    if rows or ext == "parquet":
        assert back.columns == columns


@_SETTINGS
@given(data=tables(_SQL_TEXT, nulls=True))
def test_sqlite_round_trip(tmp_path: Path, data: tuple) -> None:
    columns, rows = data
    db = tmp_path / "t.db"
    write_sqlite(rows, columns, db, "t", if_exists="replace")
    back = read_table(db, table="t")
    assert back.columns == columns
    assert [r.values for r in back] == rows


# ---------------------------------------------------------------------------------------------
# iter_lines (the CLI's reader for one name per line)


def test_iter_lines_keeps_blank_lines() -> None:
    assert list(nio.iter_lines(fixture("names.txt"))) == [
        (fixture("names.txt"), 1, "Святлана Ціханоўская"),
        (fixture("names.txt"), 2, ""),
        (fixture("names.txt"), 3, "  "),
        (fixture("names.txt"), 4, "Аляксандр Лукашэнка"),
        (fixture("names.txt"), 5, "Statkevičius, Mikalojus"),
    ]


def test_iter_lines_from_stdin_and_its_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"\xff\xfe" + "Ігар\r\nЛосік\n".encode("utf-16-le"))
    assert list(nio.iter_lines("-")) == [("<stdin>", 1, "Ігар"), ("<stdin>", 2, "Лосік")]
    set_stdin(monkeypatch, b"ok\nbad \xff\n")
    lines = nio.iter_lines("-")
    assert next(lines) == ("<stdin>", 1, "ok")
    with pytest.raises(InputError, match=r"^<stdin>, line 2: not valid utf-8"):
        next(lines)
    with raises_usage("no such file"):
        list(nio.iter_lines(DATA / "nope.txt"))
