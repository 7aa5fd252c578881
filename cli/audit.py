"""Auditor commands: `kinerja diff`, `kinerja impact`, `kinerja explain`.

Registered on the main group by `cli/main.py`:
    from .audit import diff_command, explain_command, impact_command
    main.add_command(diff_command); main.add_command(impact_command); main.add_command(explain_command)
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
import kinerja
from kinerja.diagnostics import InputError, KinerjaError, diagnostic
from kinerja.explanation import explain
from kinerja.impact_report import impact
from kinerja.messages import default_language
from kinerja.records import parse_record_text, read_record
from kinerja.semantic_diff import diff
from kinerja.values import parse_json, to_json

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


def read_population(path: str) -> Iterator[dict[str, Any]]:
    """Rows of a population file (CSV, JSONL; XLSX through kinerja.tabular when present)."""
    try:
        from kinerja.tabular import read_rows  # type: ignore[import-not-found]
    except ImportError:
        read_rows = None
    if read_rows is not None:
        yield from read_rows(path)
        return
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            if path.lower().endswith((".jsonl", ".ndjson")):
                for line in handle:
                    if line.strip():
                        yield parse_json(line)
            else:
                yield from csv.DictReader(handle)
    except (OSError, ValueError) as error:
        raise InputError([diagnostic("K802", problem=f"{path}: {error}")]) from None


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """What changed in meaning from OLD to NEW (id, id@version or path)."""
    lang = _lang(ctx)
    try:
        report = diff(_load(old, None, lang), _load(new, None, lang))
    except KinerjaError as error:
        print_error(error, lang, fmt)
        sys.exit(1)
    click.echo(to_json(report.to_dict(lang)) if fmt == "json" else report.render(lang))


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
        report = impact(_load(old, None, lang), _load(new, None, lang), read_population(population), id_column, lang)
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
