"""The onomast command line: parses arguments and formats output; all logic lives in names/."""

from __future__ import annotations

import functools
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
        (s.id, f"{s.source_script}>{s.target_script}", "rev" if s.reversible else "", s.title,
         s.source)
        for s in names.schemes(language)
    ]
    if not rows:
        raise UsageError(f"no schemes for language {language!r}")
    width = max(len(r[0]) for r in rows)
    for sid, direction, rev, title, source in rows:
        click.echo(f"{sid:<{width}}  {direction}  {rev:<3}  {title} [{source}]")


def _read_lines(
    files: tuple[str, ...], encoding: str, errors: str
) -> Iterator[tuple[str, int, str]]:
    """(file name, line number, text) for each line of the files, or of stdin."""
    from names.io import iter_lines

    for path in files or ("-",):
        yield from iter_lines(path, encoding=encoding, errors=errors)


@main.command("translit")
@click.option("--scheme", "-s", "scheme_id", required=False, help="Scheme id (onomast schemes).")
@click.option("--reverse", is_flag=True, help="Run a reversible scheme backwards.")
@click.option("--rules", "rules_file", type=str, help="Use your own rule file.")
@click.option("--column", help="Input is CSV/TSV: transliterate this column into a new one.")
@click.option("--option", "option_values", multiple=True, help="Scheme option NAME=on|off.")
@click.option("--encoding", default="utf-8", show_default=True, help="Input encoding.")
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
        for _path, _line, text in _read_lines(files, encoding, errors):
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
        write_table(out_rows, [*table.columns, new_column], "-", fmt=out_fmt)


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
        total += len(scheme.samples)
        failed += len(failures)
        for failure in failures:
            click.echo(failure)
    click.echo(f"{total - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
