"""PostgreSQL tables in and out: dedupe a table, resolve a table against a registry table.

Needs the extra ``onomast[postgres]`` (SQLAlchemy 2 and psycopg 3). URLs are SQLAlchemy's:
``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` (``postgres://`` and ``postgresql+psycopg://``
too); they always run on the psycopg 3 driver.

How a run works, and why it is safe:

* Everything happens on one connection in ONE transaction at isolation level REPEATABLE READ.
  Every statement of the run therefore sees the same snapshot of the source table, however long
  the matching takes and whatever other sessions commit meanwhile, and the output is created in
  that same transaction: a run that fails anywhere (the driver, the matcher, an interrupt) rolls
  back and leaves no table behind, and an existing output table replaced with ``replace=True``
  is only dropped if the run commits.
* The names (and ids) are read with a server-side cursor, ``chunk_rows`` rows at a time, as
  ``CAST(column AS text)``, ordered by the primary key, or by ``(tableoid, ctid)`` when the table
  has none. Both orders are total; ctid is stable here because it is read inside the one
  snapshot while the run holds its lock on the table (no VACUUM FULL or CLUSTER can move rows
  under it). The order only decides the cluster numbering (``C000001`` is the cluster of the
  first row), so with a primary key the same table content gives the same ids every time.
* Only the distinct names and the ids are held in memory. The result of a row depends only on
  its name, so the results go back to the server as one row per distinct name, written with COPY
  into a temporary table (dropped at commit), and the output is made on the server by joining
  the source to it on the name (compared byte for byte, ``COLLATE "C"``). The other columns of
  the source never travel through Python, so every type (json, arrays, enums, …) is kept exactly.
* ``out_table`` (default ``<table>_clusters``) is ``CREATE TABLE … AS``: every column of the
  source, then ``cluster_id`` (text), ``canonical_name`` (text) and ``confidence`` (double
  precision), in key order. ``write_back=True`` instead makes ``<table>_deduped`` (or
  ``out_table``) with ``CREATE TABLE … (LIKE source INCLUDING ALL)``, so defaults, constraints,
  indexes and comments come along (a serial column's default still draws from the source's
  sequence; generated columns are computed again), then adds the three columns and fills it.

Identifiers are always quoted, so a table or column name is taken literally (case and all) and
cannot inject SQL; ``schema.table`` is understood when no table has that exact name. Errors come
out as :class:`names.errors.UsageError` (no such table, column, existing output table, cannot
connect) or :class:`names.errors.InputError` (the server refused something during the run), each
one line, with the password masked in the URL.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from names.compare import DEFAULT_THRESHOLD
from names.dedupe import OUTPUT_COLUMNS, DedupeStats, dedupe
from names.errors import InputError, OnomastError, UsageError
from names.registry import RESOLVE_LINE_COLUMNS, Registry, resolve_rows

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

__all__ = [
    "RESOLVE_COLUMNS",
    "RESOLVE_LINE_COLUMNS",
    "ResolveStats",
    "dedupe_postgres",
    "is_database_url",
    "registry_from_postgres",
    "resolve_postgres",
]

#: Columns a table resolved against a registry gets (NULL where no identity reached the
#: threshold). ``resolved_id`` rather than ``id``, which most tables already have.
RESOLVE_COLUMNS = ("resolved_id", "canonical_name", "score", "reasons")


_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_MAX_IDENT = 63  # PostgreSQL cuts longer identifiers silently (NAMEDATALEN - 1 bytes)
_LISTED = 40  # tables named in a "no such table" error


def is_database_url(text: str) -> bool:
    """Whether ``text`` is a PostgreSQL URL this module reads (``postgresql://``,
    ``postgres://``, ``postgresql+psycopg://``). SQLite URLs are files: see names.io."""
    return isinstance(text, str) and text.strip().lower().startswith(_SCHEMES)


@dataclass
class ResolveStats:
    """What a resolve run over a table did, for the summary line."""

    rows: int = 0
    distinct_names: int = 0
    resolved_rows: int = 0
    identities: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.rows} rows, {self.distinct_names} distinct names, {self.resolved_rows} rows "
            f"resolved to {self.identities} registry identities, {self.seconds:.1f} s"
        )


# --------------------------------------------------------------------------- connections


def _sqlalchemy() -> Any:
    try:
        import psycopg  # noqa: F401
        import sqlalchemy
    except ImportError as exc:
        raise UsageError(
            f"PostgreSQL support needs {exc.name}: pip install 'onomast[postgres]'"
        ) from None
    return sqlalchemy


def _driver_url(url: str) -> Any:
    """The SQLAlchemy URL on the psycopg 3 driver."""
    sa = _sqlalchemy()
    if not is_database_url(url):
        raise UsageError(f"not a PostgreSQL URL (postgresql://USER@HOST/DB): {url!r}")
    try:
        parsed = sa.engine.make_url(url.strip())
    except sa.exc.ArgumentError as exc:
        raise UsageError(f"bad database URL: {_first_line(exc)}") from None
    return parsed.set(drivername="postgresql+psycopg")


def _shown(url: Any) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def _engine(url: str) -> tuple[Engine, str]:
    sa = _sqlalchemy()
    parsed = _driver_url(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = 15
    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool, connect_args=connect_args)
    # messages show the URL as the user wrote it, password masked
    return engine, _shown(sa.engine.make_url(url.strip()))


@contextlib.contextmanager
def _session(url: str, *, read_only: bool = False) -> Iterator[tuple[Connection, str]]:
    """One connection and one REPEATABLE READ transaction, committed only if the block ends
    normally; driver errors become one-line onomast errors."""
    sa = _sqlalchemy()
    engine, shown = _engine(url)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise UsageError(f"cannot connect: {_first_line(exc)}", path=shown) from None
        try:
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=read_only
            )
            try:
                with conn.begin():
                    yield conn, shown
            except OnomastError:
                raise
            except sa.exc.DBAPIError as exc:
                raise InputError(_first_line(exc), path=shown) from None
        finally:
            conn.close()
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- identifiers


def _q(name: str) -> str:
    """A quoted identifier: taken literally, no injection possible."""
    if "\x00" in name:
        raise UsageError(f"an identifier cannot hold a NUL character: {name!r}")
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Rel:
    schema: str
    name: str
    label: str = field(default="", compare=False)  # as the user wrote it, for messages

    @property
    def sql(self) -> str:
        return f"{_q(self.schema)}.{_q(self.name)}"

    def __str__(self) -> str:
        return self.label or self.name


_FIND = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {where}
LIMIT 1
"""


def _find_table(conn: Connection, table: str, shown: str, what: str = "table") -> _Rel:
    """The table called exactly ``table`` on the search path, else ``schema.table``; a missing
    one is a UsageError listing the tables there are."""
    sa = _sqlalchemy()
    row = conn.execute(
        sa.text(_FIND.format(where="c.relname = :t AND pg_table_is_visible(c.oid)")),
        {"t": table},
    ).first()
    if row is None and "." in table:
        schema, _, name = table.partition(".")
        row = conn.execute(
            sa.text(_FIND.format(where="c.relname = :t AND n.nspname = :s")),
            {"t": name, "s": schema},
        ).first()
    if row is not None:
        return _Rel(row[0], row[1], table)
    tables = _table_names(conn)
    listed = ", ".join(tables[:_LISTED]) + (
        f" and {len(tables) - _LISTED} more" if len(tables) > _LISTED else ""
    )
    raise UsageError(
        f"no {what} {table!r}; the tables are {listed}"
        if tables
        else f"no {what} {table!r}; the database has no tables",
        path=shown,
    )


def _table_names(conn: Connection) -> list[str]:
    sa = _sqlalchemy()
    rows = conn.execute(
        sa.text(
            "SELECT n.nspname, c.relname, pg_table_is_visible(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 3 DESC, 1, 2"
        )
    ).all()
    return [name if visible else f"{schema}.{name}" for schema, name, visible in rows]


@dataclass(frozen=True)
class _Column:
    name: str
    generated: bool  # GENERATED ALWAYS AS (…) STORED: cannot be inserted into


def _columns(conn: Connection, rel: _Rel) -> list[_Column]:
    sa = _sqlalchemy()
    rows = conn.execute(
        sa.text(
            "SELECT a.attname, a.attgenerated <> '' FROM pg_attribute a "
            "WHERE a.attrelid = CAST(:rel AS regclass) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum"
        ),
        {"rel": rel.sql},
    ).all()
    return [_Column(name, bool(gen)) for name, gen in rows]


def _order_key(conn: Connection, rel: _Rel) -> str:
    """ORDER BY text: the primary key's columns, else (tableoid, ctid) — see the module doc."""
    sa = _sqlalchemy()
    rows = conn.execute(
        sa.text(
            "SELECT a.attname FROM pg_index i "
            "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos) ON true "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = CAST(:rel AS regclass) AND i.indisprimary ORDER BY k.pos"
        ),
        {"rel": rel.sql},
    ).all()
    if rows:
        return ", ".join(f"s.{_q(r[0])}" for r in rows)
    return "s.tableoid, s.ctid"


def _check_column(
    name: str | None, columns: Sequence[_Column], rel: _Rel, shown: str, what: str = "column"
) -> None:
    if name is not None and name not in {c.name for c in columns}:
        raise UsageError(
            f"table {str(rel)!r} has no {what} {name!r}; the columns are "
            f"{', '.join(c.name for c in columns)}",
            path=shown,
        )


def _output_rel(
    conn: Connection, out_table: str, source: _Rel, shown: str, replace: bool
) -> tuple[_Rel, bool]:
    """Where the output goes (``schema.name`` when that schema exists, else the source's
    schema) and whether it exists already; refuses what would be unsafe."""
    sa = _sqlalchemy()
    schema, name = source.schema, out_table
    if "." in out_table:
        prefix, _, rest = out_table.partition(".")
        found = conn.execute(
            sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": prefix}
        ).first()
        if found is not None:
            schema, name = prefix, rest
    if not name:
        raise UsageError("the output table needs a name", path=shown)
    if len(name.encode("utf-8")) > _MAX_IDENT:
        raise UsageError(
            f"output table name {name!r} is longer than {_MAX_IDENT} bytes and PostgreSQL "
            "would cut it; give a shorter --out-table",
            path=shown,
        )
    rel = _Rel(schema, name, out_table)
    if rel == source:
        raise UsageError(f"the output table cannot be the input table {str(source)!r}", path=shown)
    kind = conn.execute(
        sa.text(
            "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relname = :t"
        ),
        {"s": rel.schema, "t": rel.name},
    ).scalar()
    if kind is None:
        return rel, False
    if not replace:
        raise UsageError(
            f"table {str(rel)!r} already exists; give --replace to overwrite it or another "
            "--out-table",
            path=shown,
        )
    if kind not in ("r", "p"):
        raise UsageError(f"{str(rel)!r} exists and is not a table; it is not replaced", path=shown)
    return rel, True


# --------------------------------------------------------------------------- reading


def _run(conn: Connection, sql: str, **options: Any) -> Any:
    """Run SQL built here (identifiers quoted by _q, no parameters). The driver reads ``%`` as
    a placeholder even without parameters, so a ``%`` in a name is doubled."""
    return conn.exec_driver_sql(sql.replace("%", "%%"), execution_options=options)


def _stream(conn: Connection, sql: str, chunk_rows: int) -> Iterator[Any]:
    """Rows of a query through a server-side cursor, ``chunk_rows`` at a time."""
    options = {"yield_per": max(1, int(chunk_rows))}  # for this statement only
    result = _run(conn, sql, **options)
    try:
        yield from result
    finally:
        result.close()


def _text(column: str) -> str:
    return f"CAST(s.{_q(column)} AS text)"


def _name_key(column: str) -> str:
    """The join key of a row: its name as text (NULL as ''), compared byte for byte."""
    return f"coalesce({_text(column)}, '') COLLATE \"C\""


# --------------------------------------------------------------------------- writing


def _write_mapping(
    conn: Connection, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]
) -> str:
    """A temporary table (dropped at commit) keyed by name, filled with COPY; its name."""
    temp = _q(f"onomast_map_{secrets.token_hex(6)}")
    spec = ", ".join(f"{_q(c)} {t}" for c, t in columns)
    _run(
        conn,
        f'CREATE TEMPORARY TABLE {temp} (name text COLLATE "C" PRIMARY KEY, {spec}) ON COMMIT DROP',
    )
    cursor = conn.connection.driver_connection.cursor()
    names = ", ".join(["name", *(_q(c) for c, _ in columns)])
    with cursor.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return temp


def _create_output(
    conn: Connection,
    *,
    source: _Rel,
    out: _Rel,
    exists: bool,
    columns: Sequence[_Column],
    name_column: str,
    mapping: str,
    added: Sequence[tuple[str, str]],
    order: str,
    copy_table: bool,
    inner: bool,
) -> int:
    """Create and fill the output table in the open transaction; the number of rows written."""
    if exists:
        _run(conn, f"DROP TABLE {out.sql}")
    join = "JOIN" if inner else "LEFT JOIN"
    extra = ", ".join(f"m.{_q(c)}" for c, _ in added)
    frm = (
        f"FROM {source.sql} AS s {join} {mapping} AS m ON m.name = {_name_key(name_column)} "
        f"ORDER BY {order}"
    )
    if not copy_table:
        result = _run(conn, f"CREATE TABLE {out.sql} AS SELECT s.*, {extra} {frm}")
        return _rows_written(conn, out, result.rowcount)
    _run(conn, f"CREATE TABLE {out.sql} (LIKE {source.sql} INCLUDING ALL)")
    _run(conn, f"ALTER TABLE {out.sql} " + ", ".join(f"ADD COLUMN {_q(c)} {t}" for c, t in added))
    insertable = [c.name for c in columns if not c.generated]
    targets = ", ".join([*(_q(c) for c in insertable), *(_q(c) for c, _ in added)])
    values = ", ".join([*(f"s.{_q(c)}" for c in insertable), extra])
    result = _run(
        conn, f"INSERT INTO {out.sql} ({targets}) OVERRIDING SYSTEM VALUE SELECT {values} {frm}"
    )
    return _rows_written(conn, out, result.rowcount)


def _rows_written(conn: Connection, out: _Rel, rowcount: int) -> int:
    if rowcount is not None and rowcount >= 0:
        return rowcount
    return int(_run(conn, f"SELECT count(*) FROM {out.sql}").scalar())


def _check_written(written: int, expected: int, source: _Rel, shown: str) -> None:
    """Every input row must be in the output exactly once (the run rolls back otherwise)."""
    if written != expected:
        raise InputError(
            f"table {str(source)!r}: read {expected} rows but wrote {written}; nothing was written",
            path=shown,
        )


# --------------------------------------------------------------------------- dedupe


def dedupe_postgres(
    url: str,
    *,
    table: str,
    column: str = "name",
    id_column: str | None = None,
    out_table: str | None = None,
    write_back: bool = False,
    replace: bool = False,
    threshold: float | None = None,
    workers: int = -1,
    progress: bool = False,
    chunk_rows: int = 10_000,
) -> DedupeStats:
    """Deduplicate the PostgreSQL table ``table`` by the names in ``column`` (see the module
    doc for how): the output table ``out_table`` (default ``<table>_clusters``; with
    ``write_back=True`` a copy of the table's definition, default ``<table>_deduped``) holds
    every input row once, all its columns kept, plus cluster_id, canonical_name and confidence,
    exactly as :func:`names.dedupe.dedupe` gives them for the rows in key order. Rows with the
    same ``id_column`` value are one identity from the start. An existing output table is an
    error unless ``replace=True``. Returns the run's statistics."""
    start = time.monotonic()
    with _session(url) as (conn, shown):
        source = _find_table(conn, table, shown)
        columns = _columns(conn, source)
        _check_column(column, columns, source, shown)
        _check_column(id_column, columns, source, shown, "id column")
        clash = [c.name for c in columns if c.name in OUTPUT_COLUMNS]
        if clash:
            raise UsageError(
                f"table {str(source)!r} already has column(s) {', '.join(clash)}", path=shown
            )
        default = f"{source.name}_{'deduped' if write_back else 'clusters'}"
        out, exists = _output_rel(conn, out_table or default, source, shown, replace)
        order = _order_key(conn, source)

        first_row: dict[str, int] = {}  # distinct name -> its first row

        def records() -> Iterator[dict[str, str | None]]:
            id_sql = f", {_text(id_column)}" if id_column is not None else ""
            sql = f"SELECT {_text(column)}{id_sql} FROM {source.sql} AS s ORDER BY {order}"
            for n, row in enumerate(_stream(conn, sql, chunk_rows)):
                name = "" if row[0] is None else row[0]
                first_row.setdefault(name, n)
                yield {column: name, **({id_column: row[1]} if id_column is not None else {})}

        result = dedupe(
            records(),
            column=column,
            id_column=id_column,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            workers=workers,
            progress=progress,
        )
        mapping = _write_mapping(
            conn,
            _DEDUPE_TYPES,
            (
                (
                    name,
                    result.cluster_of_row[row],
                    result.canonical_of_row[row],
                    round(result.confidence_of_row[row], 4),
                )
                for name, row in first_row.items()
            ),
        )
        written = _create_output(
            conn,
            source=source,
            out=out,
            exists=exists,
            columns=columns,
            name_column=column,
            mapping=mapping,
            added=_DEDUPE_TYPES,
            order=order,
            copy_table=write_back,
            inner=True,
        )
        _check_written(written, result.stats.rows, source, shown)
    result.stats.seconds = time.monotonic() - start
    return result.stats


_DEDUPE_TYPES = (
    ("cluster_id", "text"),
    ("canonical_name", "text"),
    ("confidence", "double precision"),
)
assert tuple(c for c, _ in _DEDUPE_TYPES) == OUTPUT_COLUMNS

_RESOLVE_TYPES = (
    ("resolved_id", "text"),
    ("canonical_name", "text"),
    ("score", "double precision"),
    ("reasons", "text"),
)
assert tuple(c for c, _ in _RESOLVE_TYPES) == RESOLVE_COLUMNS


# --------------------------------------------------------------------------- resolve

_REGISTRY_FIELDS = ("id", "name", "aliases", "gender", "birth_date", "country")


def registry_from_postgres(
    url: str, table: str, *, threshold: float | None = None, chunk_rows: int = 10_000
) -> Registry:
    """A :class:`names.registry.Registry` from a table with columns id and name, and optionally
    aliases (``a|b``, ``a;b`` or a JSON list), gender (m/f), birth_date and country; rows
    sharing an id add names to that identity. Read in key order, in a read-only transaction."""
    with _session(url, read_only=True) as (conn, shown):
        return _registry(conn, shown, table, threshold, chunk_rows)


def _registry(
    conn: Connection, shown: str, table: str, threshold: float | None, chunk_rows: int
) -> Registry:

    rel = _find_table(conn, table, shown, "registry table")
    columns = _columns(conn, rel)
    _check_column("id", columns, rel, shown, "registry id column")
    _check_column("name", columns, rel, shown, "registry name column")
    present = [f for f in _REGISTRY_FIELDS if f in {c.name for c in columns}]
    sql = (
        f"SELECT {', '.join(_text(f) for f in present)} FROM {rel.sql} AS s "
        f"ORDER BY {_order_key(conn, rel)}"
    )
    records = (
        {**dict(zip(present, row, strict=True)), "__line__": n}
        for n, row in enumerate(_stream(conn, sql, chunk_rows), start=1)
    )
    return Registry.from_records(
        records,
        path=f"{shown} table {str(rel)!r}",
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
    )


def resolve_postgres(
    url: str,
    *,
    registry_table: str | None = None,
    registry: Registry | None = None,
    names_table: str | None = None,
    names: Iterable[str] | None = None,
    column: str = "name",
    out_table: str | None = None,
    replace: bool = False,
    threshold: float | None = None,
    chunk_rows: int = 10_000,
) -> ResolveStats | Iterator[dict[str, str]]:
    """Resolve names to the identities of a registry.

    The registry is the table ``registry_table`` of the database at ``url`` (see
    :func:`registry_from_postgres`) or a ready ``registry``. The names are either

    * ``names_table`` (its ``column``) in that database: the output table ``out_table``
      (default ``<names_table>_resolved``) gets every row once, all columns kept, plus
      resolved_id, canonical_name, score and reasons (NULL where no identity reaches the
      threshold), in one transaction as for :func:`dedupe_postgres`; returns ResolveStats; or
    * ``names``, an iterable of strings (the CLI's input lines): returns an iterator of rows
      with the CLI's columns name, id, canonical_name, score (4 decimals), reasons ('' where
      unresolved). The registry is read before the first row is returned."""
    if (registry_table is None) == (registry is None):
        raise UsageError("give exactly one of a registry table or a registry")
    if (names_table is None) == (names is None):
        raise UsageError("give exactly one of a names table or names")
    if names is not None:
        if registry is None:
            registry = registry_from_postgres(
                url, registry_table, threshold=threshold, chunk_rows=chunk_rows
            )
        elif threshold is not None:
            registry.threshold = threshold
        return resolve_rows(registry, names)
    start = time.monotonic()
    with _session(url) as (conn, shown):
        if registry is None:
            registry = _registry(conn, shown, registry_table, threshold, chunk_rows)
        elif threshold is not None:
            registry.threshold = threshold
        source = _find_table(conn, names_table, shown)
        columns = _columns(conn, source)
        _check_column(column, columns, source, shown)
        clash = [c.name for c in columns if c.name in RESOLVE_COLUMNS]
        if clash:
            raise UsageError(
                f"table {str(source)!r} already has column(s) {', '.join(clash)}", path=shown
            )
        out, exists = _output_rel(
            conn, out_table or f"{source.name}_resolved", source, shown, replace
        )
        order = _order_key(conn, source)
        stats = ResolveStats()
        count: dict[str, int] = {}
        sql = f"SELECT {_text(column)} FROM {source.sql} AS s ORDER BY {order}"
        for (value,) in _stream(conn, sql, chunk_rows):
            name = "" if value is None else value
            count[name] = count.get(name, 0) + 1
        stats.rows = sum(count.values())
        stats.distinct_names = len(count)
        found: set[str] = set()

        def results() -> Iterator[tuple[Any, ...]]:
            batch: list[str] = []
            for name in count:
                batch.append(name)
                if len(batch) >= 1000:
                    yield from resolved(batch)
                    batch = []
            yield from resolved(batch)

        def resolved(batch: list[str]) -> Iterator[tuple[Any, ...]]:
            for name, candidates in zip(batch, registry.resolve_many(batch, limit=1), strict=True):
                if candidates:
                    best = candidates[0]
                    stats.resolved_rows += count[name]
                    found.add(best.id)
                    yield (
                        name,
                        best.id,
                        best.canonical_name,
                        round(best.score, 4),
                        "; ".join(best.reasons),
                    )

        mapping = _write_mapping(conn, _RESOLVE_TYPES, results())
        stats.identities = len(found)
        written = _create_output(
            conn,
            source=source,
            out=out,
            exists=exists,
            columns=columns,
            name_column=column,
            mapping=mapping,
            added=_RESOLVE_TYPES,
            order=order,
            copy_table=False,
            inner=False,
        )
        _check_written(written, stats.rows, source, shown)
    stats.seconds = time.monotonic() - start
    return stats
