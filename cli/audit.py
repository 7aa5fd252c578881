"""Auditor commands: `kinerja diff`, `kinerja impact`, `kinerja explain`.

Registered lazily by `cli/main.py` (LAZY_COMMANDS).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import click
import kinerja
from kinerja.audit.diff import diff
from kinerja.audit.explain import explain
from kinerja.audit.impact import impact
from kinerja.diagnostics.diagnostic import InputError, KinerjaError, diagnostic
from kinerja.diagnostics.messages import default_language, message
from kinerja.io.records import parse_record_text, read_record
from kinerja.io.tabular import TableError, format_of, open_table, read_rows
from kinerja.semantics.values import to_json

from .render import parse_date, print_error

FORMAT = click.Choice(["text", "json"])


def _lang(ctx: click.Context, lang: str | None = None) -> str:
    return lang or (ctx.obj or {}).get("lang") or default_language()


def _load(ref: str, as_of: date | None, lang: str) -> kinerja.Ruleset:
    """Load by id, id@version or path; with an `as_of` date, say on stderr which version was chosen."""
    selection = kinerja.select(ref, as_of=as_of)
    note = selection.note(lang)
    if note:
        click.echo(note, err=True)
    return kinerja.load(selection.path)


def read_population(path: str, lang: str) -> Iterator[dict[str, Any]]:
    """Rows of a population file (CSV, JSONL, XLSX), opened now so a bad file is reported before any work."""
    try:
        format_of(path)
    except TableError as error:
        raise click.UsageError(message(error.code, lang, **error.args_)) from None
    try:
        table = open_table(path)
    except TableError as error:
        raise InputError([diagnostic("K802", problem=message(error.code, lang, **error.args_))]) from None
    return read_rows(table)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--exit-code", "exit_code", is_flag=True, default=False,
              help="Exit 1 when the meaning changed, 0 when it did not (for CI pipelines that guard a ruleset).")
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, fmt: str, exit_code: bool) -> None:
    """What changed in meaning from OLD to NEW (id, id@version or path)."""
    lang = _lang(ctx)
    try:
        report = diff(_load(old, None, lang), _load(new, None, lang))
    except KinerjaError as error:
        print_error(error, lang, fmt)
        sys.exit(2 if exit_code else 1)  # with --exit-code, 1 means "changed": a broken ruleset is not that
    click.echo(to_json(report.to_dict(lang)) if fmt == "json" else report.render(lang))
    if exit_code and not report.same_meaning:
        sys.exit(1)


@click.command("impact")
@click.argument("old")
@click.argument("new")
@click.argument("population", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--id", "id_column", default=None, metavar="COLUMN", help="Column naming each row (else its row number).")
@click.pass_context
def impact_command(ctx: click.Context, old: str, new: str, population: str, fmt: str, id_column: str | None) -> None:
    """Evaluate OLD and NEW on every row of POPULATION (CSV, JSONL): who moves where."""
    lang = _lang(ctx)
    try:
        report = impact(_load(old, None, lang), _load(new, None, lang), read_population(population, lang), id_column, lang)
    except KinerjaError as error:
        print_error(error, lang, fmt)
        sys.exit(1)
    click.echo(to_json(report.to_dict(lang)) if fmt == "json" else report.render(lang))


@click.command("explain")
@click.argument("ruleset")
@click.argument("input", metavar="INPUT")
@click.option("--lang", "lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa / language (default id).")
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="Use the version in force on DATE (YYYY-MM-DD).")
@click.pass_context
def explain_command(ctx: click.Context, ruleset: str, input: str, lang: str | None, as_of: str | None) -> None:
    """Explain, in words an officer can read aloud, how RULESET rates INPUT (JSON/YAML file, or -)."""
    lang = _lang(ctx, lang)
    try:
        loaded = _load(ruleset, parse_date(as_of), lang)
        record = parse_record_text(sys.stdin.read(), "<stdin>") if input == "-" else read_record(input)
        result = loaded.evaluate(record, trace=True)
    except KinerjaError as error:
        print_error(error, lang, "text")
        sys.exit(1)
    click.echo(explain(loaded, result, lang))
