"""PostgreSQL in and out, against a real server this test run starts on loopback.

The session fixture initdb's a throwaway cluster in a temporary directory, starts it on a free
127.0.0.1 port (socket in the same directory), and stops it at the end. As root it runs the
server as the ``postgres`` system user (PostgreSQL refuses root). The tests are skipped, with
the reason, only when the server binaries are not installed (.ci/install-postgres installs
them); a missing Python driver is a failure, not a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

import psycopg
import pytest

from names.dedupe import dedupe
from names.errors import InputError, UsageError
from names.postgres import (
    RESOLVE_COLUMNS,
    dedupe_postgres,
    is_database_url,
    registry_from_postgres,
    resolve_postgres,
)
from names.registry import Registry

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")


def _server_bindir() -> str | None:
    """A directory holding initdb, pg_ctl and postgres: PATH, pg_config, or Debian's layout."""
    candidates = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(os.path.dirname(os.path.realpath(on_path)))
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())

    def version(path: str) -> float:
        try:
            return float(path.split("/")[-2])
        except ValueError:
            return 0.0

    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, b), os.X_OK) for b in SERVER_BINARIES):
            return directory
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """The user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
            check=True,
        )
        return pwd.getpwnam("postgres")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    bindir = _server_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH, via "
            "pg_config or in /usr/lib/postgresql/*/bin: run .ci/install-postgres"
        )
    user = _server_user()
    base = tempfile.mkdtemp(prefix="onomast-pg-")
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    data = os.path.join(base, "data")
    log = os.path.join(base, "server.log")
    port = _free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [os.path.join(bindir, args[0]), *args[1:]]
        if user is not None and shutil.which("runuser"):
            command = ["runuser", "-u", user.pw_name, "--", *command]
        elif user is not None:
            command = ["su", user.pw_name, "-s", "/bin/sh", "-c", shlex.join(command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=base)
        if done.returncode != 0:
            detail = done.stderr.strip() or done.stdout.strip()
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as fh:
                    detail += "\n" + fh.read()[-2000:]
            raise RuntimeError(f"{' '.join(args[:2])} failed: {detail}")
        return done

    started = False
    try:
        run(
            "initdb",
            "-D",
            data,
            "-U",
            "onomast",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = f"-p {port} -k {base} -h 127.0.0.1 -F -c fsync=off"
        run("pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
        started = True
        admin = f"host=127.0.0.1 port={port} user=onomast dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE onomast_test")
        yield f"postgresql://onomast@127.0.0.1:{port}/onomast_test"
    finally:
        if started:
            run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def db(pg_url: str) -> Iterator[psycopg.Connection]:
    """A fresh schema per test (the search path points at it), dropped afterwards."""
    schema = f"t_{os.urandom(4).hex()}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"ALTER ROLE onomast SET search_path = {schema}")
        conn.execute(f"SET search_path = {schema}")
        try:
            yield conn
        finally:
            conn.execute("ALTER ROLE onomast RESET search_path")
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


# --------------------------------------------------------------------------- data

NAMES = [
    "Святлана Ціханоўская",
    "Sviatlana Tsikhanouskaya",
    "Светлана Тихановская",
    "Tsikhanouskaya, Sviatlana",
    "Сяргей Ціханоўскі",
    "Siarhei Tsikhanouski",
    None,
    "Аляксандр Лукашэнка",
    "Alaksandr Lukašenka",
    "",
    "Александр Лукашенко",
    "Seán O'Brien",
    'Robert "Bob" Smith',
    "Robert Smith",
    "Sviatlana Tsikhanouskaya",
    "Vaišvilkaitė; DROP TABLE people; --",
]


def _make_people(conn: psycopg.Connection, table: str = "people") -> list[tuple]:
    """A table with a primary key, several column types, NULL and quoted names."""
    conn.execute(
        f"CREATE TABLE {table} (id integer PRIMARY KEY, name text, city varchar(40), "
        "tags text[], born date, extra jsonb)"
    )
    rows = [
        (
            # ids out of insertion order: the key order, not the physical order, counts
            (i * 7) % 31 + 1,
            name,
            ["Мінск", "Vilnius", None][i % 3],
            [f"t{i}", "x"] if i % 2 else None,
            None if i % 4 == 0 else f"19{60 + i}-0{1 + i % 9}-1{i % 9}",
            {"n": i, "q": 'it\'s "quoted"'},
        )
        for i, name in enumerate(NAMES)
    ]
    with conn.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s)",
            [(*r[:5], psycopg.types.json.Jsonb(r[5])) for r in rows],
        )
    return rows


def _table(conn: psycopg.Connection, table: str, order: str = "id") -> list[dict]:
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
    cols = [d.name for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is not None


# --------------------------------------------------------------------------- tests


def test_is_database_url() -> None:
    assert is_database_url("postgresql://u@h/db")
    assert is_database_url("postgres://u:p@h:5433/db")
    assert is_database_url("PostgreSQL+psycopg://u@h/db")
    assert not is_database_url("sqlite:///x.db")
    assert not is_database_url("people.csv")
    assert not is_database_url("mysql://u@h/db")


def test_dedupe_table_equals_embedded_dedupe(pg_url: str, db: psycopg.Connection) -> None:
    _make_people(db)
    stats = dedupe_postgres(pg_url, table="people", column="name", workers=1, chunk_rows=4)
    source = _table(db, "people")
    out = _table(db, "people_clusters")
    assert stats.rows == len(NAMES) == len(out)
    # every input row exactly once, all its columns unchanged (types too)
    assert [{k: r[k] for k in source[0]} for r in out] == source
    assert list(out[0]) == [*source[0], "cluster_id", "canonical_name", "confidence"]
    expected = dedupe([{"name": r["name"]} for r in source], column="name", workers=1)
    assert [r["cluster_id"] for r in out] == expected.cluster_of_row
    assert [r["canonical_name"] for r in out] == expected.canonical_of_row
    assert [r["confidence"] for r in out] == [round(c, 4) for c in expected.confidence_of_row]
    # and the clusters are the real ones: four spellings of one woman, her husband apart
    by_name = {r["name"]: r["cluster_id"] for r in out}
    tsikh = {by_name[n] for n in NAMES[:4]}
    assert len(tsikh) == 1
    assert by_name["Siarhei Tsikhanouski"] not in tsikh
    assert by_name["Alaksandr Lukašenka"] == by_name["Александр Лукашенко"]
    assert by_name[None] == by_name[""]  # a NULL name is an empty name
    assert stats.clusters == len(set(by_name.values()))


def test_reads_one_snapshot_through_a_server_cursor(
    pg_url: str, db: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows other sessions change while the names are matched do not reach the output, and
    the names are fetched through a server-side cursor, chunk by chunk."""
    import names.postgres as pg

    _make_people(db)
    cursors = []
    real_run, real_dedupe = pg._run, pg.dedupe

    def run(conn, sql, **options):  # type: ignore[no-untyped-def]
        result = real_run(conn, sql, **options)
        if options:
            cursors.append((type(result.cursor), options))
        return result

    def dedupe_meanwhile(records, **kwargs):  # type: ignore[no-untyped-def]
        # another session commits changes after the run began, before its names are read
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("INSERT INTO people (id, name) VALUES (999, 'Latecomer')")
            other.execute("DELETE FROM people WHERE name = 'Robert Smith'")
            other.execute("UPDATE people SET name = 'Changed' WHERE name = 'Seán O''Brien'")
        return real_dedupe(records, **kwargs)

    before = _table(db, "people")
    monkeypatch.setattr(pg, "_run", run)
    monkeypatch.setattr(pg, "dedupe", dedupe_meanwhile)
    stats = dedupe_postgres(pg_url, table="people", workers=1, chunk_rows=3)
    out = _table(db, "people_clusters")
    assert stats.rows == len(before) == len(out)
    assert [{k: r[k] for k in before[0]} for r in out] == before  # as it was at the start
    assert cursors == [(psycopg.ServerCursor, {"yield_per": 3})]
    assert len(_table(db, "people")) == len(before)  # the other session's changes did land


def test_write_back_copy_keeps_definition(pg_url: str, db: psycopg.Connection) -> None:
    _make_people(db)
    db.execute(
        "ALTER TABLE people ADD COLUMN label text GENERATED ALWAYS AS ('<' || name || '>') STORED"
    )
    db.execute("ALTER TABLE people ALTER COLUMN city SET DEFAULT 'Гродна'")
    dedupe_postgres(pg_url, table="people", write_back=True, workers=1)
    assert not _exists(db, "people_clusters")
    copy = _table(db, "people_deduped")
    source = _table(db, "people")
    assert [{k: r[k] for k in source[0]} for r in copy] == source
    expected = dedupe([{"name": r["name"]} for r in source], workers=1)
    assert [r["cluster_id"] for r in copy] == expected.cluster_of_row
    # the definition came along: primary key, default, generated column
    with pytest.raises(psycopg.errors.UniqueViolation):
        with db.transaction():
            db.execute("INSERT INTO people_deduped (id, name) VALUES (%s, 'x')", [source[0]["id"]])
    db.execute("INSERT INTO people_deduped (id, name) VALUES (1000, 'Ян')")
    assert db.execute("SELECT city, label FROM people_deduped WHERE id = 1000").fetchone() == (
        "Гродна",
        "<Ян>",
    )


def test_table_without_primary_key_and_id_column(pg_url: str, db: psycopg.Connection) -> None:
    db.execute("CREATE TABLE raw (person text, nm text)")
    rows = [
        ("p1", "Святлана Ціханоўская"),
        ("p1", "Светлана Тихановская"),
        ("p2", "Аляксандр"),
        ("p2", "Robert Smith"),
        (None, "Sviatlana Tsikhanouskaya"),
        ("p3", None),
    ]
    with db.cursor() as cur:
        cur.executemany("INSERT INTO raw VALUES (%s, %s)", rows)
    dedupe_postgres(
        pg_url, table="raw", column="nm", id_column="person", out_table="raw_out", workers=1
    )
    out = _table(db, "raw_out", order="ctid")
    # no key: physical order, which for a fresh table is the insertion order
    assert [(r["person"], r["nm"]) for r in out] == rows
    expected = dedupe(
        [{"nm": n, "person": p} for p, n in rows], column="nm", id_column="person", workers=1
    )
    assert [r["cluster_id"] for r in out] == expected.cluster_of_row
    # the shared id put "Аляксандр" and "Robert Smith" in one cluster
    assert out[2]["cluster_id"] == out[3]["cluster_id"]


def test_identifiers_are_quoted(pg_url: str, db: psycopg.Connection) -> None:
    table = 'odd "t"; DROP TABLE keep; --%s:x'
    column = "full name's"
    db.execute("CREATE TABLE keep (x int)")
    db.execute(
        psycopg.sql.SQL("CREATE TABLE {} ({} text, {} int PRIMARY KEY)").format(
            psycopg.sql.Identifier(table),
            psycopg.sql.Identifier(column),
            psycopg.sql.Identifier("Id"),
        )
    )
    db.execute(
        psycopg.sql.SQL("INSERT INTO {} VALUES ('Ян Кітаеў', 1), ('Jan Kitajeu', 2)").format(
            psycopg.sql.Identifier(table)
        )
    )
    out_table = 'out "x"'
    dedupe_postgres(pg_url, table=table, column=column, out_table=out_table, workers=1)
    assert _exists(db, "keep")
    cur = db.execute(
        psycopg.sql.SQL("SELECT {}, cluster_id FROM {} ORDER BY 1").format(
            psycopg.sql.Identifier(column), psycopg.sql.Identifier(out_table)
        )
    )
    assert [r[0] for r in cur.fetchall()] == ["Jan Kitajeu", "Ян Кітаеў"]


def test_failure_midway_leaves_no_table(
    pg_url: str, db: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import names.postgres as pg

    _make_people(db)
    real = pg._create_output
    calls = []

    def create_then_fail(conn, **kwargs):  # type: ignore[no-untyped-def]
        written = real(conn, **kwargs)
        calls.append(written)
        # the table is really there, inside the transaction...
        assert conn.exec_driver_sql("SELECT count(*) FROM people_clusters").scalar() == written
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pg, "_create_output", create_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        dedupe_postgres(pg_url, table="people", workers=1)
    assert calls == [len(NAMES)]
    assert not _exists(db, "people_clusters")  # ...and gone after the failure
    # a table being replaced survives a failed run untouched
    db.execute("CREATE TABLE people_clusters (old text)")
    db.execute("INSERT INTO people_clusters VALUES ('before')")
    with pytest.raises(RuntimeError):
        dedupe_postgres(pg_url, table="people", replace=True, workers=1)
    assert _table(db, "people_clusters", order="old") == [{"old": "before"}]
    # no temporary mapping table is left anywhere
    leftovers = db.execute(
        "SELECT count(*) FROM pg_class WHERE relname LIKE 'onomast_map_%'"
    ).fetchone()[0]
    assert leftovers == 0


def test_row_count_check_rolls_back(
    pg_url: str, db: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import names.postgres as pg

    _make_people(db)
    monkeypatch.setattr(pg, "_rows_written", lambda conn, out, rowcount: rowcount - 1)
    with pytest.raises(InputError, match="read 16 rows but wrote 15"):
        dedupe_postgres(pg_url, table="people", workers=1)
    assert not _exists(db, "people_clusters")


def test_existing_output_needs_replace(pg_url: str, db: psycopg.Connection) -> None:
    _make_people(db)
    db.execute("CREATE TABLE people_clusters (old text)")
    with pytest.raises(UsageError, match="'people_clusters' already exists; give --replace"):
        dedupe_postgres(pg_url, table="people", workers=1)
    stats = dedupe_postgres(pg_url, table="people", replace=True, workers=1)
    assert len(_table(db, "people_clusters")) == stats.rows == len(NAMES)
    with pytest.raises(UsageError, match="cannot be the input table"):
        dedupe_postgres(pg_url, table="people", out_table="people", replace=True)
    assert len(_table(db, "people")) == len(NAMES)
    with pytest.raises(UsageError, match="longer than 63 bytes"):
        dedupe_postgres(pg_url, table="people", out_table="ж" * 40)


def test_missing_table_and_columns(pg_url: str, db: psycopg.Connection) -> None:
    _make_people(db)
    db.execute("CREATE TABLE other (x int)")
    with pytest.raises(UsageError) as err:
        dedupe_postgres(pg_url, table="peple")
    assert "no table 'peple'; the tables are other, people" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(UsageError, match="has no column 'nam'; the columns are id, name, city"):
        dedupe_postgres(pg_url, table="people", column="nam")
    with pytest.raises(UsageError, match="has no id column 'pid'"):
        dedupe_postgres(pg_url, table="people", id_column="pid")
    db.execute("ALTER TABLE other ADD COLUMN name text, ADD COLUMN confidence real")
    with pytest.raises(UsageError, match="already has column.s. confidence"):
        dedupe_postgres(pg_url, table="other")
    assert not _exists(db, "people_clusters") and not _exists(db, "other_clusters")


def test_schema_qualified_names(pg_url: str, db: psycopg.Connection) -> None:
    db.execute("CREATE SCHEMA IF NOT EXISTS crm")
    db.execute("CREATE TABLE crm.contacts (id int PRIMARY KEY, name text)")
    db.execute("INSERT INTO crm.contacts VALUES (1, 'Вольга Іванова'), (2, 'Volha Ivanova')")
    try:
        stats = dedupe_postgres(pg_url, table="crm.contacts", workers=1)
        assert stats.clusters == 1
        assert len(_table(db, "crm.contacts_clusters")) == 2
    finally:
        db.execute("DROP SCHEMA crm CASCADE")


def test_driver_errors_are_one_line(pg_url: str, db: psycopg.Connection) -> None:
    port = _free_port()
    with pytest.raises(UsageError) as err:
        dedupe_postgres(f"postgresql://nobody:secret@127.0.0.1:{port}/x", table="people")
    message = str(err.value)
    assert message.startswith(f"postgresql://nobody:***@127.0.0.1:{port}/x: cannot connect")
    assert "\n" not in message and "secret" not in message
    with pytest.raises(UsageError, match="not a PostgreSQL URL"):
        dedupe_postgres("mysql://u@h/db", table="people")
    # the server fails a statement midway (after the names are read and the results sent)
    _make_people(db)
    db.execute(
        "CREATE FUNCTION refuse() RETURNS event_trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'no new tables today'; END $$"
    )
    db.execute(
        "CREATE EVENT TRIGGER refuse_ctas ON ddl_command_end WHEN TAG IN ('CREATE TABLE AS') "
        "EXECUTE FUNCTION refuse()"
    )
    try:
        with pytest.raises(InputError) as err:
            dedupe_postgres(pg_url, table="people", workers=1)
    finally:
        db.execute("DROP EVENT TRIGGER refuse_ctas")
    assert str(err.value).endswith("/onomast_test: no new tables today")
    assert not isinstance(err.value, UsageError) and err.value.exit_code == 1
    assert not _exists(db, "people_clusters")


REGISTRY = [
    (
        "BY-1",
        "Святлана Ціханоўская",
        "Sviatlana Tsikhanouskaya|Светлана Тихановская",
        "f",
        "1982-09-11",
    ),
    ("BY-2", "Сяргей Ціханоўскі", None, "m", None),
    ("BY-3", "Аляксандр Лукашэнка", '["Alaksandr Lukašenka"]', "m", None),
]


def _make_registry(conn: psycopg.Connection) -> None:
    conn.execute(
        "CREATE TABLE registry (id text, name text, aliases text, gender char(1), birth_date date)"
    )
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO registry VALUES (%s, %s, %s, %s, %s)", REGISTRY)


def test_resolve_table_against_registry_table(pg_url: str, db: psycopg.Connection) -> None:
    _make_registry(db)
    _make_people(db)
    stats = resolve_postgres(pg_url, registry_table="registry", names_table="people", chunk_rows=5)
    out = _table(db, "people_resolved")
    source = _table(db, "people")
    assert [{k: r[k] for k in source[0]} for r in out] == source
    assert list(out[0])[-4:] == list(RESOLVE_COLUMNS)
    registry = Registry.from_records(
        [
            dict(zip(("id", "name", "aliases", "gender", "birth_date"), r, strict=True))
            for r in REGISTRY
        ]
    )
    for row in out:
        found = registry.resolve(row["name"] or "", limit=1)
        if found:
            assert row["resolved_id"] == found[0].id
            assert row["canonical_name"] == found[0].canonical_name
            assert row["score"] == round(found[0].score, 4)
        else:
            assert row["resolved_id"] is None and row["score"] is None
    ids = {r["name"]: r["resolved_id"] for r in out}
    assert ids["Tsikhanouskaya, Sviatlana"] == "BY-1"
    assert ids["Siarhei Tsikhanouski"] == "BY-2"  # not his wife: gender tells them apart
    assert ids["Александр Лукашенко"] == "BY-3"
    assert ids["Robert Smith"] is None and ids[None] is None
    assert stats.rows == len(NAMES)
    assert stats.resolved_rows == sum(1 for r in out if r["resolved_id"])
    assert stats.identities == 3


def test_resolve_lines_and_registry(pg_url: str, db: psycopg.Connection) -> None:
    _make_registry(db)
    registry = registry_from_postgres(pg_url, "registry")
    assert [i.id for i in registry.identities] == ["BY-1", "BY-2", "BY-3"]
    assert registry.identities[0].names == [
        "Святлана Ціханоўская",
        "Sviatlana Tsikhanouskaya",
        "Светлана Тихановская",
    ]
    assert registry.identities[0].gender == "f"
    assert registry.identities[0].birth_date == "1982-09-11"
    rows = list(
        resolve_postgres(
            pg_url, registry_table="registry", names=["Svetlana Tikhanovskaya", "Jan Kowalski"]
        )
    )
    assert [r["id"] for r in rows] == ["BY-1", ""]
    assert rows[0]["canonical_name"] == "Святлана Ціханоўская"
    db.execute("INSERT INTO registry VALUES ('BY-9', 'Ян', NULL, 'x', NULL)")
    with pytest.raises(InputError, match="table 'registry', line 4, field 'gender': gender 'x'"):
        registry_from_postgres(pg_url, "registry")
    with pytest.raises(UsageError, match="no registry table 'registr'"):
        registry_from_postgres(pg_url, "registr")
