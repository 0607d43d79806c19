"""The onomast command line: parses arguments and formats output; all logic lives in names/."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

import names
from names import translit
from names.errors import OnomastError, UsageError
from names.rules import compile_rules

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn documented errors into one line on stderr and their exit status; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OnomastError as exc:
            click.echo(f"onomast: error: {exc}", err=True)
            sys.exit(getattr(exc, "exit_code", 1))
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def _parse_options(values: tuple[str, ...]) -> dict[str, bool]:
    options: dict[str, bool] = {}
    for item in values:
        name, sep, value = item.partition("=")
        truth = {"on": True, "true": True, "1": True, "yes": True}
        falsity = {"off": False, "false": False, "0": False, "no": False}
        if not sep or value.lower() not in {**truth, **falsity}:
            raise UsageError(f"--option takes NAME=on|off, got {item!r}")
        options[name] = value.lower() in truth
    return options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(names.__version__, prog_name="onomast")
def main() -> None:
    """Transliterate, normalise and match Belarusian, Russian and Lithuanian names."""


@main.command("schemes")
@click.option("--language", help="Only schemes for this source language (be, ru, lt).")
@_reports_errors
def schemes_cmd(language: str | None) -> None:
    """List the transliteration schemes: id, direction, title and source."""
    rows = [
        (
            s.id,
            f"{s.source_script}>{s.target_script}",
            "rev" if s.reversible else "",
            s.title,
            s.source,
        )
        for s in names.schemes(language)
    ]
    if not rows:
        raise UsageError(f"no schemes for language {language!r}")
    width = max(len(r[0]) for r in rows)
    for sid, direction, rev, title, source in rows:
        click.echo(f"{sid:<{width}}  {direction}  {rev:<3}  {title} [{source}]")


_ENCODING_HELP = (
    "Input encoding (auto: UTF-8, or the Cyrillic, Baltic or Central European code page the "
    "bytes fit)."
)


@main.command("translit")
@click.option("--scheme", "-s", "scheme_id", required=False, help="Scheme id (onomast schemes).")
@click.option("--reverse", is_flag=True, help="Run a reversible scheme backwards.")
@click.option("--rules", "rules_file", type=str, help="Use your own rule file.")
@click.option("--column", help="Input is CSV/TSV: transliterate this column into a new one.")
@click.option("--option", "option_values", multiple=True, help="Scheme option NAME=on|off.")
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help=_ENCODING_HELP,
)
@click.option(
    "--errors",
    type=click.Choice(["strict", "replace"]),
    default="strict",
    show_default=True,
    help="What to do with undecodable input bytes.",
)
@click.argument("files", nargs=-1)
@_reports_errors
def translit_cmd(
    scheme_id: str | None,
    reverse: bool,
    rules_file: str | None,
    column: str | None,
    option_values: tuple[str, ...],
    encoding: str,
    errors: str,
    files: tuple[str, ...],
) -> None:
    """Transliterate names, one per line, from FILES or stdin to stdout."""
    if rules_file:
        scheme = names.load_scheme(rules_file)
    elif scheme_id:
        scheme = names.get_scheme(scheme_id)
    else:
        raise UsageError("give --scheme ID or --rules FILE")
    options = _parse_options(option_values)
    if column is None:
        batch: list[str] = []
        for text in _input_lines(files, encoding, errors):
            batch.append(text)
            if len(batch) >= 10_000:
                _echo_lines(
                    names.transliterate_many(batch, scheme, reverse=reverse, options=options)
                )
                batch.clear()
        _echo_lines(names.transliterate_many(batch, scheme, reverse=reverse, options=options))
        return
    from names.io import read_table, write_table

    for path in files or ("-",):
        fmt = "csv" if path == "-" else None
        table = read_table(path, column=column, encoding=encoding, errors=errors, fmt=fmt)
        out_fmt = table.format if table.format in ("csv", "tsv", "jsonl") else "csv"
        new_column = f"{column}_{scheme.id}"
        rows = list(table)
        outputs = names.transliterate_many(
            [row.values.get(column) or "" for row in rows], scheme, reverse=reverse, options=options
        )
        out_rows = ({**row.values, new_column: out} for row, out in zip(rows, outputs, strict=True))
        write_table(
            out_rows,
            [*table.columns, new_column],
            "-",
            fmt=out_fmt,
            delimiter=table.csv_delimiter,
        )


def _echo_lines(lines: list[str]) -> None:
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")


@main.group("rules")
def rules_group() -> None:
    """Check rule files: lint, show the generated ICU text, run the samples."""


def _scheme_refs(refs: tuple[str, ...]) -> list[names.Scheme]:
    if refs:
        return [translit.resolve_scheme_ref(r) for r in refs]
    return names.schemes()


@rules_group.command("lint")
@click.argument("refs", nargs=-1)
@_reports_errors
def rules_lint(refs: tuple[str, ...]) -> None:
    """Validate rule files (ids or paths; all when none given) and compile every direction."""
    count = 0
    for scheme in _scheme_refs(refs):
        translit.compile_all_directions(scheme)
        count += 1
    click.echo(f"{count} rule file(s) ok")


@rules_group.command("show")
@click.argument("ref")
@click.option("--reverse", is_flag=True, help="Show the reverse direction.")
@_reports_errors
def rules_show(ref: str, reverse: bool) -> None:
    """Print the ICU transform rules generated for one scheme."""
    scheme = translit.resolve_scheme_ref(ref)
    click.echo(compile_rules(scheme, reverse=reverse), nl=False)


@rules_group.command("test")
@click.argument("refs", nargs=-1)
@_reports_errors
def rules_test(refs: tuple[str, ...]) -> None:
    """Run the samples of rule files (ids or paths; all when none given)."""
    total = failed = 0
    for scheme in _scheme_refs(refs):
        failures = translit.sample_failures(scheme)
        # each sample is one check, and a second one backwards where the scheme is reversible
        total += sum(
            2 if scheme.reversible and not sample.forward_only else 1 for sample in scheme.samples
        )
        failed += len(failures)
        for failure in failures:
            click.echo(failure)
    click.echo(f"{total - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


def _input_lines(files: tuple[str, ...], encoding: str, errors: str) -> Iterator[str]:
    """The lines of the files, or of stdin, each name cut to MAX_NAME_CHARS (with a warning)."""
    from names.io import iter_lines

    for source in files or ("-",):
        for path, line, text in iter_lines(source, encoding=encoding, errors=errors):
            yield _capped(text, path, line)


def _capped(text: str, path: str, line: int) -> str:
    """Names longer than MAX_NAME_CHARS are cut, and the user is told where."""
    limit = translit.MAX_NAME_CHARS
    if len(text) > limit:
        click.echo(
            f"onomast: warning: {path}, line {line}: name of {len(text)} characters cut to {limit}",
            err=True,
        )
        return text[:limit]
    return text


_ENCODING = click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help=_ENCODING_HELP,
)
_ERRORS = click.option(
    "--errors",
    type=click.Choice(["strict", "replace"]),
    default="strict",
    show_default=True,
    help="What to do with undecodable input bytes.",
)


@main.command("parse")
@click.argument("files", nargs=-1)
@_ENCODING
@_ERRORS
@_reports_errors
def parse_cmd(files: tuple[str, ...], encoding: str, errors: str) -> None:
    """Parse names (one per line): one JSON object out per line in."""
    from names.parse import name_to_json

    for text in _input_lines(files, encoding, errors):
        click.echo(json.dumps(name_to_json(text), ensure_ascii=False))


@main.command("keys")
@click.argument("files", nargs=-1)
@_ENCODING
@_ERRORS
@_reports_errors
def keys_cmd(files: tuple[str, ...], encoding: str, errors: str) -> None:
    """Print the blocking keys of each name: the name, a tab, the keys separated by spaces."""
    for text in _input_lines(files, encoding, errors):
        click.echo(f"{text}\t{' '.join(sorted(names.keys(text)))}")


@main.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--threshold", type=float, default=None, help="Decision threshold.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_reports_errors
def compare_cmd(a: str, b: str, threshold: float | None, as_json: bool) -> None:
    """Compare two names: score, decision and the evidence for it."""
    kwargs = {} if threshold is None else {"threshold": threshold}
    result = names.compare(a, b, **kwargs)
    if as_json:
        payload = {
            "a": a,
            "b": b,
            "score": round(result.score, 4),
            "match": result.match,
            "reasons": result.reasons,
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    verdict = "match" if result.match else "no match"
    click.echo(f"{result.score:.3f}  {verdict}")
    for reason in result.reasons:
        click.echo(f"  {reason}")


_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tsv", "jsonl", "parquet"]),
    default=None,
    help="Output format (default: from the output file's extension, else csv).",
)


@main.command("resolve")
@click.option(
    "--registry",
    "registries",
    multiple=True,
    required=True,
    help="Registry file(s): CSV, TSV, JSONL or sqlite:///file.db (with --table).",
)
@click.option("--registry-table", help="Table name for a SQLite or PostgreSQL registry.")
@click.option(
    "--table",
    "names_table",
    help="PostgreSQL: resolve this table (in the registry's database) instead of input lines.",
)
@click.option("--column", default="name", show_default=True, help="With --table: the name column.")
@click.option("--out-table", help="With --table: the table to create (default <table>_resolved).")
@click.option("--replace", is_flag=True, help="With --table: overwrite an existing output table.")
@click.option("--threshold", type=float, default=None, help="Decision threshold.")
@click.option("--output", "-o", default="-", show_default=True, help="Output file.")
@_FORMAT
@click.option("--safe-csv", is_flag=True, help="Guard cells against spreadsheet formulas.")
@_ENCODING
@_ERRORS
@click.argument("files", nargs=-1)
@_reports_errors
def resolve_cmd(
    registries: tuple[str, ...],
    registry_table: str | None,
    names_table: str | None,
    column: str,
    out_table: str | None,
    replace: bool,
    threshold: float | None,
    output: str,
    fmt: str | None,
    safe_csv: bool,
    encoding: str,
    errors: str,
    files: tuple[str, ...],
) -> None:
    """Resolve names (one per line) to registry identities: one row out per name."""
    from names.io import output_format, write_table
    from names.postgres import is_database_url
    from names.registry import Registry

    if any(is_database_url(r) for r in registries):
        from names.postgres import RESOLVE_LINE_COLUMNS, resolve_postgres

        if len(registries) != 1 or not registry_table:
            raise UsageError("a PostgreSQL registry is one --registry URL with --registry-table")
        if names_table:
            result = resolve_postgres(
                registries[0],
                registry_table=registry_table,
                names_table=names_table,
                column=column,
                out_table=out_table,
                replace=replace,
                threshold=threshold,
            )
            click.echo(f"onomast resolve: {result.summary()}", err=True)
            return
        rows = resolve_postgres(
            registries[0],
            registry_table=registry_table,
            names=_input_lines(files, encoding, errors),
            threshold=threshold,
        )
        write_table(
            rows,
            list(RESOLVE_LINE_COLUMNS),
            output,
            fmt=output_format(output, fmt),
            safe_csv=safe_csv,
        )
        return
    if names_table or out_table or replace:
        raise UsageError("--table, --out-table and --replace need a PostgreSQL --registry")
    kwargs: dict[str, Any] = {"table": registry_table}
    if threshold is not None:
        kwargs["threshold"] = threshold
    registry = Registry.from_files(list(registries), **kwargs)
    from names.registry import RESOLVE_LINE_COLUMNS, resolve_rows

    rows = resolve_rows(registry, _input_lines(files, encoding, errors))
    write_table(
        rows, list(RESOLVE_LINE_COLUMNS), output, fmt=output_format(output, fmt), safe_csv=safe_csv
    )


@main.command("dedupe")
@click.argument("source")
@click.option("--output", "-o", default="-", show_default=True, help="Output file ('-': stdout).")
@click.option("--column", default="name", show_default=True, help="The column holding names.")
@click.option("--id-column", help="Rows with the same value here are one identity.")
@click.option("--table", help="Table name for a SQLite or PostgreSQL source.")
@click.option(
    "--out-table",
    help="PostgreSQL: the table to create (default <table>_clusters; with --write-back "
    "<table>_deduped).",
)
@click.option(
    "--write-back",
    is_flag=True,
    help="PostgreSQL: write a copy of the table (definition included) with cluster_id, "
    "canonical_name and confidence added.",
)
@click.option("--replace", is_flag=True, help="PostgreSQL: overwrite an existing output table.")
@click.option(
    "--engine",
    type=click.Choice(["embedded", "spark"]),
    default="embedded",
    show_default=True,
    help="Run on this machine, or on Apache Spark.",
)
@click.option(
    "--spark-master",
    default="local[*]",
    show_default=True,
    help="Spark master URL (with --engine spark).",
)
@click.option("--threshold", type=float, default=None, help="Decision threshold.")
@_FORMAT
@click.option("--safe-csv", is_flag=True, help="Guard cells against spreadsheet formulas.")
@click.option(
    "--workers",
    type=int,
    default=-1,
    show_default=True,
    help="Worker processes for preparing, scoring and clustering (-1: one per core).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@_ENCODING
@_ERRORS
@_reports_errors
def dedupe_cmd(
    source: str,
    output: str,
    column: str,
    id_column: str | None,
    table: str | None,
    out_table: str | None,
    write_back: bool,
    replace: bool,
    engine: str,
    spark_master: str,
    threshold: float | None,
    fmt: str | None,
    safe_csv: bool,
    workers: int,
    quiet: bool,
    encoding: str,
    errors: str,
) -> None:
    """Find which rows of a table name the same identity: every row out once, with
    cluster_id, canonical_name and confidence added.

    SOURCE is a CSV, TSV, JSONL or Parquet file, - for CSV on stdin, sqlite:///file.db with
    --table, or postgresql://USER@HOST/DB with --table (the result is a new table)."""
    from names.dedupe import dedupe_table
    from names.postgres import is_database_url

    if is_database_url(source):
        from names.postgres import dedupe_postgres

        if not table:
            raise UsageError("a PostgreSQL source needs --table")
        if output != "-" or fmt or safe_csv:
            raise UsageError("a PostgreSQL source writes a table: use --out-table")
        if engine != "embedded":
            raise UsageError("--engine spark reads files; export the table first")
        stats = dedupe_postgres(
            source,
            table=table,
            column=column,
            id_column=id_column,
            out_table=out_table,
            write_back=write_back,
            replace=replace,
            threshold=threshold,
            workers=workers,
            progress=not quiet,
        )
        if not quiet:
            click.echo(f"onomast dedupe: {stats.summary()}", err=True)
        return
    if out_table or write_back or replace:
        raise UsageError("--out-table, --write-back and --replace need a PostgreSQL source")
    if engine == "spark":
        from names.spark import dedupe_table_spark

        stats = dedupe_table_spark(
            source,
            output,
            column=column,
            id_column=id_column,
            master=spark_master,
            threshold=threshold,
            fmt=fmt,
            safe_csv=safe_csv,
            encoding=encoding,
            errors=errors,
        )
        if not quiet:
            click.echo(f"onomast dedupe (spark): {stats.summary()}", err=True)
        return
    stats = dedupe_table(
        source,
        output,
        column=column,
        id_column=id_column,
        table=table,
        threshold=threshold,
        fmt=fmt,
        safe_csv=safe_csv,
        workers=workers,
        progress=not quiet,
        encoding=encoding,
        errors=errors,
    )
    if not quiet:
        click.echo(f"onomast dedupe: {stats.summary()}", err=True)


if __name__ == "__main__":
    main()
