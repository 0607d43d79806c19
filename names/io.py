"""Readers and writers for the tables every onomast command reads and writes.

Formats: CSV, TSV, JSONL, Parquet (through pyarrow, imported only when a Parquet file is used),
SQLite tables and plain lists with one name per line. Reading streams: a :class:`Table` reads
its source row by row as it is iterated (Parquet one record batch at a time), so a file larger
than memory can be processed. Writing is atomic: rows go to a temporary file next to the
destination, which is renamed over it only when every row is written, so a failed run never
leaves a partial file behind.

Every problem with the input is raised as :class:`names.errors.UsageError` (the request is
wrong: missing file, unknown column or table; exit status 2) or :class:`names.errors.InputError`
(the data is wrong: bad encoding, ragged row, malformed JSON; exit status 1). Both name the
file, the line and the field where they are known.

Line numbers are the physical, 1-based line numbers of the first line of a row in the file (a
CSV header is line 1; a quoted field spanning lines counts each of its lines). Parquet files
and SQLite tables have no lines; their "line" is the 1-based row number.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import sqlite3
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, NamedTuple

from names.errors import InputError, OnomastError, UsageError

__all__ = [
    "AUTO_ENCODING",
    "CODE_PAGES",
    "FORMATS",
    "Row",
    "Table",
    "guess_encoding",
    "iter_lines",
    "read_table",
    "sniff_delimiter",
    "sniff_format",
    "output_format",
    "write_sqlite",
    "write_table",
]

#: The formats :func:`read_table` and :func:`write_table` know, by canonical name.
FORMATS: tuple[str, ...] = ("csv", "tsv", "jsonl", "parquet", "sqlite", "txt")

_FORMAT_ALIASES: dict[str, str] = {
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "parquet": "parquet",
    "pq": "parquet",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "db": "sqlite",
    "txt": "txt",
    "text": "txt",
    "lines": "txt",
    "plain": "txt",
}

_EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".txt": "txt",
}

_SQLITE_PREFIX = "sqlite:///"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PARQUET_MAGIC = b"PAR1"
_CHUNK = 1 << 20
_PARQUET_BATCH = 65536
_STDIN_NAME = "<stdin>"
_STDOUT_NAME = "<stdout>"
#: Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Row(NamedTuple):
    """One input row: ``line`` is where it starts in the file, ``values`` maps column to value.

    A value is ``None`` where the source has a null (JSON ``null``, a missing JSONL key, SQL
    ``NULL``, a Parquet null, or a padded short CSV row with ``ragged="pad"``). CSV and TSV
    cells are never ``None``: an empty cell is ``""``.
    """

    line: int
    values: dict[str, str | None]


class Table:
    """A readable table: ``columns`` (header order), ``path`` and a stream of :class:`Row`.

    The source is opened and its header checked when the table is created, so a missing file,
    a missing column or table fails at once. Iterating reads the rows lazily. A table read from
    a file may be iterated again (the file is re-read); a table read from stdin only once.
    For JSONL, ``columns`` starts as the keys of the first record and grows, while iterating,
    by every key a later record adds.
    """

    def __init__(
        self,
        path: str,
        fmt: str,
        columns: list[str],
        rows: Iterator[Row],
        reopen: Callable[[], tuple[list[str], Iterator[Row]]] | None,
        *,
        column: str | None = None,
        table: str | None = None,
        delimiter: str | None = None,
    ) -> None:
        self.path: str = path
        self.format: str = fmt
        self.columns: list[str] = columns
        self.column: str | None = column
        self.table: str | None = table
        # CSV/TSV: the field separator (a CSV file's as found in its header); else None
        self.delimiter: str | None = delimiter
        self._rows: Iterator[Row] | None = rows
        self._reopen = reopen

    @property
    def csv_delimiter(self) -> str:
        """The separator to write this table back as CSV with: a CSV file's own, else a comma."""
        return self.delimiter if self.format == "csv" and self.delimiter else ","

    def __iter__(self) -> Iterator[Row]:
        if self._rows is not None:
            rows, self._rows = self._rows, None
            return rows
        if self._reopen is None:
            raise UsageError("this input can be read only once", path=_display(self.path))
        _columns, rows = self._reopen()
        return rows

    def close(self) -> None:
        """Release the open file or database of a table that was not read to the end."""
        if self._rows is not None and hasattr(self._rows, "close"):
            self._rows.close()  # type: ignore[union-attr]
        self._rows = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Table(path={self.path!r}, format={self.format!r}, columns={self.columns!r})"


# ---------------------------------------------------------------------------------------------
# Format detection


def _canonical_format(fmt: str) -> str:
    key = fmt.strip().lower().lstrip(".")
    try:
        return _FORMAT_ALIASES[key]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}") from None


def output_format(dest: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The format to write ``dest`` in: ``fmt`` when given, CSV for stdout, else the one its
    extension names, and CSV when the extension names none."""
    if fmt:
        return fmt
    text = os.fspath(dest)
    if text == "-":
        return "csv"
    try:
        return sniff_format(text)
    except OnomastError:
        return "csv"


def sniff_format(path: str | os.PathLike[str]) -> str:
    """The format of ``path``: one of :data:`FORMATS`.

    ``sqlite:///…`` URLs are SQLite. Otherwise the extension decides (``.csv``, ``.tsv``/
    ``.tab``, ``.jsonl``/``.ndjson``, ``.parquet``, ``.db``/``.sqlite``/``.sqlite3``, ``.txt``
    for a plain list with one name per line), case-insensitively. A file with another extension
    is recognised by its first bytes when they are unambiguous (the SQLite or Parquet magic
    number, or a JSON object on the first line); anything else raises :class:`UsageError`
    asking for an explicit format, since a list of "Surname, Given" names and a CSV cannot be
    told apart safely. ``-`` (stdin) is ``txt``.
    """
    text = os.fspath(path)
    if text == "-":
        return "txt"
    if text.startswith(_SQLITE_PREFIX):
        return "sqlite"
    ext = os.path.splitext(text)[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    _check_readable(text)
    with open(text, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    first = head.lstrip(codecs.BOM_UTF8).lstrip()
    if first.startswith(b"{"):
        return "jsonl"
    raise UsageError(
        f"cannot tell the format from the name; give one of: {', '.join(FORMATS)}",
        path=text,
    )


def _display(path: str) -> str:
    return _STDIN_NAME if path == "-" else path


def _check_readable(path: str) -> None:
    if not os.path.exists(path):
        raise UsageError("no such file", path=path)
    if os.path.isdir(path):
        raise UsageError("is a directory, not a file", path=path)
    if not os.access(path, os.R_OK):
        raise UsageError("permission denied", path=path)


# ---------------------------------------------------------------------------------------------
# Decoding: bytes -> physical lines, with exact line numbers for decoding errors


def _check_codec(encoding: str, errors: str) -> None:
    try:
        if encoding != AUTO_ENCODING:
            codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    try:
        codecs.lookup_error(errors)
    except LookupError:
        raise UsageError(
            f"unknown error handler {errors!r} (use 'strict', 'replace' or 'ignore')"
        ) from None


# encoding="auto": UTF-8, or else the legacy code page of our languages that the bytes fit
AUTO_ENCODING = "auto"
# The single-byte code pages our names come in, in order of preference on a tie: Windows
# Cyrillic (Belarusian, Russian, Ukrainian), Baltic (Lithuanian, Latvian), Central European
CODE_PAGES = ("cp1251", "cp1257", "cp1250")
_TOKEN = re.compile(r"[^\s,;|\"'.()\[\]{}/\\:!?*+=<>#&@~-]+")


def _one_script_word(token: str) -> bool:
    """Whether a token reads as a word: letters only, all Cyrillic or all Latin."""
    if not token.isalpha():
        return False
    cyrillic = sum(1 for ch in token if "\u0400" <= ch <= "\u04ff")
    return cyrillic in (0, len(token))


def guess_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: UTF-8 when they are valid UTF-8 (a
    sequence cut at the end is allowed), else the code page of :data:`CODE_PAGES` in which the
    most words with a non-ASCII letter read as words of one script (cp1251 makes Grybauskaitė
    Grybauskaitл, cp1257 makes Ціханоўская junk). :class:`UsageError` when none reads most of
    them: give the encoding."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best, chosen, words = -1, CODE_PAGES[0], 0
    for codec in CODE_PAGES:
        tokens = [t for t in _TOKEN.findall(head.decode(codec, "replace")) if not t.isascii()]
        score = sum(1 for t in tokens if _one_script_word(t))
        words = max(words, len(tokens))
        if score > best:
            best, chosen = score, codec
    if best * 2 <= words:
        raise UsageError(
            "cannot tell the encoding: not UTF-8, and not clearly Cyrillic, Baltic or Central "
            "European; give it (--encoding)"
        )
    return chosen


def _detect_bom(head: bytes, encoding: str) -> tuple[str, int]:
    """The encoding to use and the number of leading bytes to drop, given the first bytes.

    A byte order mark wins over ``encoding``: it is the file's own statement of its encoding.
    The UTF-16/32 decoders consume their BOM themselves; the UTF-8 BOM is dropped here.
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 0
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if encoding != AUTO_ENCODING and codecs.lookup(encoding).name == "utf-8-sig":
        return "utf-8", 0
    return encoding, 0


def _iter_lines(stream: IO[bytes], name: str, encoding: str, errors: str) -> Iterator[str]:
    """Decode ``stream`` and yield its physical lines, each ending in ``\\n`` except maybe the last.

    Lines are split on ``\\n`` only (``\\r\\n`` keeps its ``\\r``, which the CSV reader and the
    line readers drop), so the n-th line yielded is line n of the file. A decoding error names
    the line holding the offending bytes.
    """
    first = stream.read(_CHUNK)
    # A BOM is at most 4 bytes; make sure we have them even from a pipe giving short reads.
    while 0 < len(first) < 4:
        more = stream.read(_CHUNK)
        if not more:
            break
        first += more
    encoding, skip = _detect_bom(first[:4], encoding)
    if encoding == AUTO_ENCODING:
        try:
            encoding = guess_encoding(first[skip:])
        except UsageError as exc:
            raise UsageError(exc.reason, path=name) from None
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    chunk = first[skip:]
    done = 0  # lines yielded so far
    pending = ""
    while True:
        final = not chunk
        buffered = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            # Hand out the good lines before the bad bytes first, so that the error surfaces
            # when the reader reaches its line, whatever the chunk size.
            text = pending + _decoded_prefix(exc, decoder, buffered, chunk)
            parts = text.split("\n")
            parts.pop()
            for part in parts:
                yield part + "\n"
            raise _decode_error(exc, done + len(parts) + 1, name, encoding) from None
        if pending:
            text = pending + text
        parts = text.split("\n")
        pending = parts.pop()
        done += len(parts)
        for part in parts:
            yield part + "\n"
        if final:
            if pending:
                yield pending
            return
        chunk = stream.read(_CHUNK)


def _decoded_prefix(
    exc: UnicodeDecodeError, decoder: codecs.IncrementalDecoder, buffered: bytes, chunk: bytes
) -> str:
    """The text of ``chunk`` before the bytes that ``exc`` says cannot be decoded."""
    # exc.start counts from the start of (bytes the decoder had buffered) + chunk; the failed
    # call left the decoder's state as it was, so the good prefix decodes again.
    offset = exc.start - len(buffered)
    if offset <= 0:
        return ""
    try:
        return decoder.decode(chunk[:offset])
    except UnicodeDecodeError:  # pragma: no cover - that prefix was decodable
        return ""


def _decode_error(exc: UnicodeDecodeError, line: int, name: str, encoding: str) -> InputError:
    bad = exc.object[exc.start : exc.end].hex(" ")
    codec = codecs.lookup(encoding).name
    # exit status 2: the remedy is in the request (--encoding, --errors replace)
    return InputError(
        f"not valid {codec} (bytes {bad} cannot be decoded); give the file's encoding "
        "(--encoding cp1251, or --encoding auto to guess it), or --errors replace to read it "
        "anyway",
        path=name,
        line=line,
        exit_code=2,
    )


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    _check_readable(path)
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise UsageError("is a directory, not a file", path=path) from None
    except OSError as exc:
        raise UsageError(f"cannot open: {exc.strerror or exc}", path=path) from None


def _strip_eol(line: str) -> str:
    line = line.removesuffix("\n")
    line = line.removesuffix("\r")
    return line


def iter_lines(
    source: str | os.PathLike[str], *, encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[tuple[str, int, str]]:
    """Yield ``(file name, line number, text)`` for every line of a text file or stdin (``-``).

    Every line is yielded, blank ones included, without its line end (``\n`` or ``\r\n``), so
    output written line for line stays aligned with the input. The file name is the path as
    given, or ``<stdin>``. Decoding follows :func:`read_table`: BOMs are honoured, and bad
    bytes raise :class:`InputError` with the line (after the lines before it were yielded).
    """
    text = os.fspath(source)
    _check_codec(encoding, errors)
    name = _display(text)
    stream = _open_binary(text)
    try:
        for number, line in enumerate(_iter_lines(stream, name, encoding, errors), 1):
            yield name, number, _strip_eol(line)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


# ---------------------------------------------------------------------------------------------
# Readers. Each is a generator that yields its column list first and then Row objects, so that
# everything up to the header runs (and fails) when the Table is created.


def _missing_column(column: str, columns: Sequence[str], name: str) -> UsageError:
    present = ", ".join(repr(c) for c in columns) if columns else "none"
    return UsageError(f"no column {column!r}; columns present: {present}", path=name, field=column)


# What a "CSV" file may separate its fields with: spreadsheets in many European locales save
# CSV with semicolons (the comma is their decimal mark), some exports use a bar
CSV_DELIMITERS = (",", ";", "|")


def _check_delimiter(delimiter: str) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise UsageError(
            f"a delimiter is one character other than a quote or line end, not {delimiter!r}"
        )


def sniff_delimiter(header: str) -> str:
    """The field separator of a CSV file, from its header line: the one of
    :data:`CSV_DELIMITERS` that occurs most often outside double quotes (a comma on a tie or
    when none occurs, so a one-column file stays a comma file)."""
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(CSV_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _sniffed(lines: Iterator[str]) -> tuple[str, Iterator[str]]:
    """The delimiter of a CSV file (by its first non-blank line) and its lines, none lost."""
    seen: list[str] = []
    for line in lines:
        seen.append(line)
        if line.strip():
            return sniff_delimiter(line), itertools.chain(seen, lines)
    return ",", iter(seen)


def _gen_delimited(
    path: str,
    delimiter: str | None,
    column: str | None,
    encoding: str,
    errors: str,
    ragged: str,
    found: list[str] | None = None,
) -> Iterator[Any]:
    """The header, then the rows, of a CSV/TSV file; the delimiter used (``delimiter``, or the
    sniffed one when None) is appended to ``found``."""
    name = _display(path)
    stream = _open_binary(path)
    try:
        lines = _iter_lines(stream, name, encoding, errors)
        if delimiter is None:
            delimiter, lines = _sniffed(lines)
        if found is not None:
            found.append(delimiter)
        reader = csv.reader(
            lines,
            delimiter=delimiter,
            quotechar='"',
            doublequote=True,
            skipinitialspace=False,
            strict=True,
        )
        prev = 0
        header: list[str] | None = None
        header_line = 0
        while header is None:
            start = prev + 1
            try:
                fields = next(reader)
            except StopIteration:
                raise UsageError("no header: the file is empty", path=name) from None
            except csv.Error as exc:
                raise _csv_error(exc, name, start, reader.line_num) from None
            prev = reader.line_num
            if fields:
                header = fields
                header_line = start
        seen: set[str] = set()
        for col in header:
            if col in seen:
                raise UsageError(
                    f"column {col!r} appears twice in the header",
                    path=name,
                    line=header_line,
                    field=col,
                )
            seen.add(col)
        if column is not None and column not in seen:
            raise _missing_column(column, header, name)
        width = len(header)
        yield header
        try:
            for fields in reader:
                start = prev + 1
                prev = reader.line_num
                if len(fields) == width:
                    yield Row(start, dict(zip(header, fields, strict=False)))
                elif not fields:
                    continue  # a blank line
                elif len(fields) < width and ragged == "pad":
                    values: dict[str, str | None] = dict(zip(header, fields, strict=False))
                    for col in header[len(fields) :]:
                        values[col] = None
                    yield Row(start, values)
                else:
                    raise _ragged_error(fields, header, name, start, prev)
        except csv.Error as exc:
            raise _csv_error(exc, name, prev + 1, reader.line_num) from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _csv_error(exc: csv.Error, name: str, start: int, now: int) -> InputError:
    reason = str(exc)
    if "new-line character seen in unquoted field" in reason:
        reason = "a carriage return (\\r) outside quotes: old Mac line ends or a stray \\r"
    if "unexpected end of data" in reason:
        return InputError(
            f"a quoted field opened here is never closed (reached the end at line {now})",
            path=name,
            line=start,
        )
    if now > start:
        reason += f" (the row runs from line {start} to line {now})"
        return InputError(reason, path=name, line=now)
    return InputError(reason, path=name, line=start)


def _ragged_error(
    fields: list[str], header: list[str], name: str, start: int, end: int
) -> InputError:
    width = len(header)
    hint = ""
    if end > start:
        hint = f"; the row spans lines {start}-{end}, check for a misplaced quote"
    if len(fields) < width:
        return InputError(
            f"expected {width} fields, found {len(fields)}: missing {header[len(fields)]!r} "
            f"and after{hint} (ragged='pad' fills missing fields with nulls)",
            path=name,
            line=start,
            field=header[len(fields)],
        )
    return InputError(f"expected {width} fields, found {len(fields)}{hint}", path=name, line=start)


def _gen_plain(path: str, column: str | None, encoding: str, errors: str) -> Iterator[Any]:
    name = _display(path)
    col = column if column is not None else "name"
    stream = _open_binary(path)
    try:
        yield [col]
        for number, line in enumerate(_iter_lines(stream, name, encoding, errors), 1):
            text = _strip_eol(line)
            if text.strip():
                yield Row(number, {col: text})
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _json_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _gen_jsonl(path: str, column: str | None, encoding: str, errors: str) -> Iterator[Any]:
    name = _display(path)
    stream = _open_binary(path)
    decode = json.JSONDecoder().decode
    try:
        records = (
            (number, _strip_eol(line))
            for number, line in enumerate(_iter_lines(stream, name, encoding, errors), 1)
        )

        def parse(number: int, text: str) -> dict[str, Any]:
            try:
                obj = decode(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"malformed JSON: {exc.msg} at column {exc.colno}",
                    path=name,
                    line=number,
                ) from None
            if not isinstance(obj, dict):
                raise InputError(
                    f"expected a JSON object, found {type(obj).__name__}",
                    path=name,
                    line=number,
                )
            return obj

        first: tuple[int, dict[str, Any]] | None = None
        for number, text in records:
            if text.strip():
                first = (number, parse(number, text))
                break
        columns: list[str] = list(first[1]) if first else ([column] if column else [])
        if column is not None and column not in columns:
            raise _missing_column(column, columns, name)
        known = set(columns)
        yield columns
        if first is None:
            return
        objects = itertools.chain([first], ((n, parse(n, t)) for n, t in records if t.strip()))
        for number, obj in objects:
            values = {c: _json_value(obj.get(c)) for c in columns}
            if not known.issuperset(obj):
                for key, value in obj.items():
                    if key not in known:
                        known.add(key)
                        columns.append(key)
                        values[key] = _json_value(value)
            yield Row(number, values)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _import_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install pyarrow") from None
    return pa, pq


def _arrow_strings(pa: Any, array: Any) -> list[str | None]:
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.to_pylist()
    if pa.types.is_boolean(array.type):
        return [None if v is None else ("true" if v else "false") for v in array.to_pylist()]
    try:
        return array.cast(pa.large_string()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return [_json_value(v) if not isinstance(v, bytes) else v.hex() for v in array.to_pylist()]


def _gen_parquet(path: str, column: str | None) -> Iterator[Any]:
    if path == "-":
        raise UsageError("Parquet cannot be read from stdin; give a file")
    _check_readable(path)
    pa, pq = _import_pyarrow()
    try:
        pfile = pq.ParquetFile(path)
    except (pa.ArrowInvalid, pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file: {exc}", path=path) from None
    try:
        columns = list(pfile.schema_arrow.names)
        if len(set(columns)) != len(columns):
            raise UsageError("the Parquet schema repeats a column name", path=path)
        if column is not None and column not in columns:
            raise _missing_column(column, columns, path)
        yield columns
        number = 0
        batches = pfile.iter_batches(batch_size=_PARQUET_BATCH)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except (pa.ArrowException, OSError) as exc:
                raise InputError(f"cannot read rows after row {number}: {exc}", path=path) from None
            lists = [_arrow_strings(pa, col) for col in batch.columns]
            for values in zip(*lists, strict=False):
                number += 1
                yield Row(number, dict(zip(columns, values, strict=False)))
    finally:
        pfile.close()


def _sqlite_path(source: str) -> str:
    """The file of a ``sqlite:///path`` URL (SQLAlchemy's form: ``sqlite:////abs/path``)."""
    if source.startswith(_SQLITE_PREFIX):
        rest = source[len(_SQLITE_PREFIX) :]
        if not rest:
            raise UsageError("a sqlite:/// URL needs a file path", path=source)
        return rest
    return source


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _sqlite_value(value: Any, name: str, number: int, column: str, errors: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8", errors)
        except UnicodeDecodeError:
            raise InputError(
                "a BLOB that is not valid UTF-8", path=name, line=number, field=column
            ) from None
    return str(value)


def _gen_sqlite(source: str, table: str | None, column: str | None, errors: str) -> Iterator[Any]:
    if source == "-":
        raise UsageError("SQLite cannot be read from stdin; give a file")
    path = _sqlite_path(source)
    _check_readable(path)
    uri = "file:" + urllib.request.pathname2url(os.path.abspath(path)) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open as a SQLite database: {exc}", path=path) from None
    try:
        try:
            tables = _sqlite_tables(conn)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a SQLite database ({exc})", path=path) from None
        listing = ", ".join(tables) if tables else "none"
        if table is None:
            raise UsageError(f"a SQLite source needs a table; tables: {listing}", path=path)
        if table not in tables:
            raise UsageError(f"no table {table!r}; tables: {listing}", path=path)
        try:
            cursor = conn.execute(f"SELECT * FROM {_quote_ident(table)}")
        except sqlite3.Error as exc:
            raise InputError(f"cannot read table {table!r}: {exc}", path=path) from None
        columns = [d[0] for d in cursor.description]
        if column is not None and column not in columns:
            raise _missing_column(column, columns, f"{path} table {table}")
        yield columns
        number = 0
        try:
            for record in cursor:
                number += 1
                if all(v is None or isinstance(v, str) for v in record):
                    yield Row(number, dict(zip(columns, record, strict=False)))
                else:
                    yield Row(
                        number,
                        {
                            c: _sqlite_value(v, path, number, c, errors)
                            for c, v in zip(columns, record, strict=False)
                        },
                    )
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"reading table {table!r} failed: {exc}", path=path, line=number + 1
            ) from None
    finally:
        conn.close()


def read_table(
    source: str | os.PathLike[str],
    *,
    column: str | None = None,
    table: str | None = None,
    encoding: str = "utf-8",
    errors: str = "strict",
    fmt: str | None = None,
    ragged: str = "error",
    delimiter: str | None = None,
) -> Table:
    """Open a table for streaming: CSV, TSV, JSONL, Parquet, SQLite or a plain list of names.

    ``source`` is a path, ``-`` for stdin (a plain list unless ``fmt`` says otherwise), or
    ``sqlite:///path/to/file.db`` (with ``table=``; a path ending in ``.db``, ``.sqlite`` or
    ``.sqlite3`` works too). ``fmt`` overrides the format found by :func:`sniff_format`.

    ``column`` is the column the caller needs: if the source lacks it, :class:`UsageError`
    lists the columns present. For a plain list it names the single column (default
    ``"name"``). Every column is kept in ``Row.values`` either way.

    Text is decoded with ``encoding`` (default UTF-8) and ``errors`` (``"strict"``; use
    ``"replace"`` to read a file with a few bad bytes anyway). A byte order mark is honoured
    and dropped: UTF-8 with BOM and UTF-16/32 files read without options. CRLF line ends are
    accepted. Invalid bytes raise :class:`InputError` naming the file and line.

    CSV/TSV: the first non-blank line is the header; blank lines are skipped; quoted fields may
    span lines. A row with more fields than the header is an error; a row with fewer is an
    error too unless ``ragged="pad"``, which gives the missing fields ``None``. A CSV file's
    ``delimiter`` is found from its header (comma, semicolon or bar: :func:`sniff_delimiter`)
    unless given; TSV is tab-separated.
    JSONL: one object per line, blank lines skipped; non-string values become their JSON text
    (``1``, ``true``) and ``null`` or a missing key ``None``.
    """
    text = os.fspath(source)
    if ragged not in ("error", "pad"):
        raise UsageError(f"ragged must be 'error' or 'pad', not {ragged!r}")
    _check_codec(encoding, errors)
    kind = _canonical_format(fmt) if fmt is not None else sniff_format(text)
    if table is not None and kind != "sqlite":
        raise UsageError(f"table= applies to SQLite sources only, not {kind}", path=text)
    if delimiter is not None:
        _check_delimiter(delimiter)
    if delimiter is not None and kind != "csv":
        raise UsageError(f"delimiter= applies to CSV sources only, not {kind}", path=text)

    found: list[str] = []  # the delimiter a CSV file turned out to use

    def start() -> tuple[list[str], Iterator[Row]]:
        if kind in ("csv", "tsv"):
            gen = _gen_delimited(
                text,
                delimiter if kind == "csv" else "\t",
                column,
                encoding,
                errors,
                ragged,
                found,
            )
        elif kind == "txt":
            gen = _gen_plain(text, column, encoding, errors)
        elif kind == "jsonl":
            gen = _gen_jsonl(text, column, encoding, errors)
        elif kind == "parquet":
            gen = _gen_parquet(text, column)
        else:
            gen = _gen_sqlite(text, table, column, errors)
        columns = next(gen)
        return columns, gen

    columns, rows = start()
    path = _sqlite_path(text) if kind == "sqlite" else text
    reopen = None if text == "-" else start
    sep = found[0] if found else None
    return Table(path, kind, columns, rows, reopen, column=column, table=table, delimiter=sep)


# ---------------------------------------------------------------------------------------------
# Writers


def _row_values(row: Any, columns: Sequence[str]) -> list[Any]:
    if type(row) is Row:
        row = row.values
    if type(row) is dict or isinstance(row, Mapping):
        return [row.get(c) for c in columns]
    if isinstance(row, str | bytes):
        raise UsageError(f"a row must be a mapping or a sequence of values, not {row!r}")
    values = list(row)
    if len(values) != len(columns):
        raise UsageError(f"a row has {len(values)} values for {len(columns)} columns")
    return values


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _safe_cell(value: Any) -> str:
    text = _cell(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _check_columns(columns: Sequence[str]) -> list[str]:
    cols = list(columns)
    seen: set[str] = set()
    for col in cols:
        if not isinstance(col, str):
            raise UsageError(f"column names must be strings, not {col!r}")
        if col in seen:
            raise UsageError(f"column {col!r} given twice", field=col)
        seen.add(col)
    return cols


def _write_delimited(
    fh: IO[str], rows: Iterable[Any], columns: list[str], delimiter: str, safe: bool
) -> int:
    # The csv module writes None as an empty cell and other values with str(). With "\n" line
    # ends it does not quote a lone "\r" (before Python 3.12), which no reader then reads back:
    # rows holding one go through a writer that quotes every cell.
    plain = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(fh, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def write(values: list[Any]) -> None:
        for value in values:
            if value.__class__ is str and "\r" in value:
                quoted.writerow(values)
                return
        plain.writerow(values)

    write([_safe_cell(c) for c in columns] if safe else list(columns))
    count = 0
    for row in rows:
        values = _row_values(row, columns)
        write([_safe_cell(v) for v in values] if safe else values)
        count += 1
    return count


def _write_jsonl(fh: IO[str], rows: Iterable[Any], columns: list[str]) -> int:
    # str, numbers, booleans and None are written as JSON; anything else as its str().
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    count = 0
    for row in rows:
        fh.write(dumps(dict(zip(columns, _row_values(row, columns), strict=False))) + "\n")
        count += 1
    return count


def _write_plain(fh: IO[str], rows: Iterable[Any], columns: list[str]) -> int:
    if len(columns) != 1:
        raise UsageError(f"a plain list holds one column, not {len(columns)}; use csv or jsonl")
    count = 0
    for row in rows:
        text = _cell(_row_values(row, columns)[0])
        if "\n" in text or "\r" in text:
            raise InputError(
                "a value with a line break cannot go into a plain list; use csv or jsonl",
                line=count + 1,
                field=columns[0],
            )
        fh.write(text + "\n")
        count += 1
    return count


def _write_parquet(target: Any, rows: Iterable[Any], columns: list[str], batch: int) -> int:
    pa, pq = _import_pyarrow()
    schema = pa.schema([pa.field(c, pa.string()) for c in columns])
    count = 0
    with pq.ParquetWriter(target, schema) as writer:
        buffers: list[list[str | None]] = [[] for _ in columns]

        def flush() -> None:
            arrays = [pa.array(b, type=pa.string()) for b in buffers]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            for b in buffers:
                b.clear()

        for row in rows:
            for buf, value in zip(buffers, _row_values(row, columns), strict=False):
                buf.append(None if value is None else _cell(value))
            count += 1
            if count % batch == 0:
                flush()
        if count % batch or count == 0:
            flush()
    return count


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic(dest: str, write: Callable[[str], int]) -> int:
    """Run ``write(temporary_path)`` and rename the result over ``dest`` if it succeeds."""
    directory = os.path.dirname(os.path.abspath(dest))
    if os.path.isdir(dest):
        raise UsageError("is a directory, not a file", path=dest)
    if not os.path.isdir(directory):
        raise UsageError("the directory does not exist", path=dest)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(dest)}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise UsageError(f"cannot write here: {exc.strerror or exc}", path=dest) from None
    os.close(fd)
    try:
        count = write(tmp)
        try:
            mode = os.stat(dest).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return count


def write_table(
    rows: Iterable[Row | Mapping[str, Any] | Sequence[Any]],
    columns: Sequence[str],
    dest: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    safe_csv: bool = False,
    table: str | None = None,
    delimiter: str = ",",
) -> int:
    """Write ``rows`` under ``columns`` to ``dest`` and return the number of rows written.

    A row is a :class:`Row`, a mapping (keys not in ``columns`` are left out, missing keys
    are null) or a sequence in column order. Formats: CSV, TSV (``\\n`` line ends, quoting
    as needed), JSONL (UTF-8, one object per line, nulls as ``null``), Parquet (every column a
    string column), a plain list (``txt``, one column only) and SQLite (with ``table=``, see
    :func:`write_sqlite`). ``fmt`` overrides the format found from the extension. ``-`` writes
    to stdout (CSV, TSV, JSONL or txt; CSV when no ``fmt`` is given).

    A file is written atomically: into a temporary file in the destination's directory, renamed
    over ``dest`` only once every row is written, so an exception raised while writing (also
    one raised by the ``rows`` iterator) leaves no partial file and an existing ``dest``
    untouched.

    ``safe_csv=True`` puts a ``'`` before every CSV/TSV cell starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return, so a spreadsheet opening the file does not run
    it as a formula. It changes such values; leave it off for files read back by programs.
    In CSV/TSV a null is written as an empty cell. ``delimiter`` separates CSV fields (a
    semicolon to give back what a spreadsheet saved with semicolons); TSV uses tabs.
    """
    text = os.fspath(dest)
    cols = _check_columns(columns)
    _check_delimiter(delimiter)
    if fmt is not None:
        kind = _canonical_format(fmt)
    elif text == "-":
        kind = "csv"
    elif text.startswith(_SQLITE_PREFIX):
        kind = "sqlite"
    else:
        ext = os.path.splitext(text)[1].lower()
        if ext not in _EXTENSIONS:
            raise UsageError(
                f"cannot tell the output format from the name; give one of: {', '.join(FORMATS)}",
                path=text,
            )
        kind = _EXTENSIONS[ext]
    if kind == "sqlite":
        if table is None:
            raise UsageError("writing SQLite needs a table name", path=text)
        return write_sqlite(rows, cols, text, table)
    if table is not None:
        raise UsageError(f"table= applies to SQLite output only, not {kind}", path=text)

    def write_text(fh: IO[str]) -> int:
        if kind == "csv":
            return _write_delimited(fh, rows, cols, delimiter, safe_csv)
        if kind == "tsv":
            return _write_delimited(fh, rows, cols, "\t", safe_csv)
        if kind == "jsonl":
            return _write_jsonl(fh, rows, cols)
        return _write_plain(fh, rows, cols)

    if text == "-":
        if kind == "parquet":
            raise UsageError("Parquet cannot be written to stdout; give a file name")
        return _write_stdout(write_text)
    if kind == "parquet":
        return _atomic(text, lambda tmp: _write_parquet(tmp, rows, cols, _PARQUET_BATCH))

    def write_file(tmp: str) -> int:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            count = write_text(fh)
            fh.flush()
            os.fsync(fh.fileno())
        return count

    return _atomic(text, write_file)


def _write_stdout(write_text: Callable[[IO[str]], int]) -> int:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced sys.stdout (e.g. io.StringIO): write text to it directly
        return write_text(sys.stdout)
    sys.stdout.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        count = write_text(wrapper)
        wrapper.flush()
    finally:
        wrapper.detach()
    return count


def write_sqlite(
    rows: Iterable[Row | Mapping[str, Any] | Sequence[Any]],
    columns: Sequence[str],
    path: str | os.PathLike[str],
    table: str,
    *,
    if_exists: str = "fail",
) -> int:
    """Write ``rows`` into a new TEXT-column ``table`` of the SQLite file ``path`` (created if
    absent; ``sqlite:///…`` URLs work) in one transaction, and return the number of rows.

    ``if_exists`` says what to do when the table is already there: ``"fail"`` (UsageError),
    ``"replace"`` (drop it first) or ``"append"``. If anything fails, the transaction is rolled
    back and the database is left as it was.
    """
    if if_exists not in ("fail", "replace", "append"):
        raise UsageError(f"if_exists must be 'fail', 'replace' or 'append', not {if_exists!r}")
    cols = _check_columns(columns)
    if not cols:
        raise UsageError("a SQLite table needs at least one column")
    folded: dict[bytes, str] = {}
    for col in cols:  # SQLite compares column names ignoring ASCII case
        key = col.encode("utf-8", "surrogatepass").lower()
        if key in folded:
            raise UsageError(
                f"columns {folded[key]!r} and {col!r} are one column to SQLite", field=col
            )
        folded[key] = col
    file = _sqlite_path(os.fspath(path))
    if file == "-":
        raise UsageError("SQLite cannot be written to stdout; give a file name")
    if os.path.isdir(file):
        raise UsageError("is a directory, not a file", path=file)
    directory = os.path.dirname(os.path.abspath(file))
    if not os.path.isdir(directory):
        raise UsageError("the directory does not exist", path=file)
    try:
        conn = sqlite3.connect(file, isolation_level=None)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open as a SQLite database: {exc}", path=file) from None
    count = 0
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a SQLite database ({exc})", path=file) from None
        try:
            exists = table in _sqlite_tables(conn)
            quoted = _quote_ident(table)
            if exists and if_exists == "fail":
                raise UsageError(
                    f"table {table!r} already exists (if_exists='replace' or 'append')",
                    path=file,
                )
            if exists and if_exists == "replace":
                conn.execute(f"DROP TABLE {quoted}")
            if not exists or if_exists == "replace":
                conn.execute(
                    f"CREATE TABLE {quoted} ({', '.join(_quote_ident(c) + ' TEXT' for c in cols)})"
                )
            insert = (
                f"INSERT INTO {quoted} ({', '.join(_quote_ident(c) for c in cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})"
            )

            def values() -> Iterator[list[Any]]:
                nonlocal count
                for row in rows:
                    vals = _row_values(row, cols)
                    yield [v if v is None or isinstance(v, str) else str(v) for v in vals]
                    count += 1

            conn.executemany(insert, values())
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise InputError(f"writing table {table!r} failed: {exc}", path=file) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return count
