"""Auditor commands: `kinerja diff`, `kinerja impact`, `kinerja explain`.

Registered lazily by `cli/main.py` (LAZY_COMMANDS).
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
import kinerja
from kinerja.audit.counterfactual import WhyNotUsageError, parse_target, why_not
from kinerja.audit.diff import diff
from kinerja.audit.explain import compare, explain
from kinerja.audit.impact import ImpactUsageError, impact
from kinerja.audit.people import publish
from kinerja.audit.report import render_report
from kinerja.diagnostics.diagnostic import InputError, KinerjaError, diagnostic
from kinerja.diagnostics.messages import default_language, message
from kinerja.io.batch import BatchUsageError, parse_map
from kinerja.io.records import parse_record_text, read_record
from kinerja.io.tabular import TableError, format_of, open_table, read_rows
from kinerja.semantics.values import to_json

from .render import parse_date, print_error

FORMAT = click.Choice(["text", "json"])


def _lang(ctx: click.Context, lang: str | None = None) -> str:
    return lang or (ctx.obj or {}).get("lang") or default_language()


def _load(ref: str, as_of: date | None, lang: str, notes: list[str] | None = None) -> kinerja.Ruleset:
    """Load by id, id@version or path; with an `as_of` date, say on stderr which version was chosen."""
    selection = kinerja.select(ref, as_of=as_of)
    note = selection.note(lang)
    if note:
        click.echo(note, err=True)
        if notes is not None:
            notes.append(note)
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
@click.option("--output", "outputs", multiple=True, metavar="NAME", help="Compare only this output (repeatable; default every common output).")
@click.option("--group-by", "group_by", default=None, metavar="COLUMN",
              help="Unit column: figures and distribution-curve conformance per unit, before and after.")
@click.option("--map", "maps", multiple=True, metavar="INPUT=COLUMN", help="Read a ruleset input from another column.")
@click.option("--as-of", "as_of", multiple=True, metavar="DATE",
              help="Use the version in force on DATE; once for both, twice for OLD then NEW (YYYY-MM-DD).")
@click.option("-o", "--people", "people", default=None, metavar="FILE",
              help="Write the per-person table (.csv, .jsonl, .xlsx): old and new values, what moved each person.")
@click.option("--report", "report_path", default=None, metavar="FILE", help="Write a self-contained HTML report.")
@click.pass_context
def impact_command(ctx: click.Context, old: str, new: str, population: str, fmt: str, id_column: str | None,
                   outputs: tuple[str, ...], group_by: str | None, maps: tuple[str, ...], as_of: tuple[str, ...],
                   people: str | None, report_path: str | None) -> None:  # fmt: skip
    """Evaluate OLD and NEW on every row of POPULATION (CSV, JSONL, XLSX): who moves where, and why."""
    lang = _lang(ctx)
    if len(as_of) > 2:
        raise click.BadParameter("at most twice: OLD's date, then NEW's", param_hint="--as-of")
    dates = [parse_date(x) for x in as_of]
    old_date, new_date = (dates + dates + [None, None])[:2] if dates else (None, None)
    for path in (people, report_path):
        if path is not None and path == population:
            raise click.UsageError(message("X_USAGE_SAME_FILE", lang, path=path))
    if people is not None:
        try:
            format_of(people)
        except TableError as error:
            raise click.UsageError(message(error.code, lang, **error.args_)) from None
    try:
        column_map = parse_map(maps)
    except BatchUsageError as error:
        raise click.UsageError(error.render(lang)) from None
    notes: list[str] = []
    try:
        old_ruleset = _load(old, old_date, lang, notes)
        new_ruleset = _load(new, new_date, lang, notes)
        report = impact(old_ruleset, new_ruleset, read_population(population, lang), id_column, lang,
                        outputs=outputs or None, group_by=group_by, column_map=column_map, people=people,
                        command=_command(old, new, population, id_column, outputs, group_by, maps, as_of, people, report_path),
                        notes=notes)  # fmt: skip
    except ImpactUsageError as error:
        raise click.UsageError(error.render(lang)) from None
    except TableError as error:
        print_error(InputError([diagnostic("K802", problem=message(error.code, lang, **error.args_))]), lang, fmt)
        sys.exit(1)
    except KinerjaError as error:
        print_error(error, lang, fmt)
        sys.exit(1)
    if report_path is not None:
        _write_whole(report_path, render_report(report, lang))
    click.echo(to_json(report.to_dict(lang)) if fmt == "json" else report.render(lang))


def _command(old: str, new: str, population: str, id_column: str | None, outputs: tuple[str, ...], group_by: str | None,
             maps: tuple[str, ...], as_of: tuple[str, ...], people: str | None, report_path: str | None) -> str:  # fmt: skip
    """The command line that reproduces a report, options in a fixed order."""
    words = ["kinerja", "impact", old, new, population]
    for option, values in (("--id", [id_column]), ("--output", list(outputs)), ("--group-by", [group_by]),
                           ("--map", list(maps)), ("--as-of", list(as_of)), ("-o", [people]), ("--report", [report_path])):  # fmt: skip
        words += [w for value in values if value is not None for w in (option, value)]
    return shlex.join(words)


def _write_whole(path: str, text: str) -> None:
    """Written to a temporary file beside the target, then moved into place: never half a report."""
    target = Path(path).resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        publish(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("explain")
@click.argument("ruleset")
@click.argument("input", metavar="INPUT")
@click.option("--lang", "lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa / language (default id).")
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="Use the version in force on DATE (YYYY-MM-DD).")
@click.option("--against", "against", default=None, metavar="OTHER",
              help="Explain under OTHER too, side by side, with the first step where they part.")
@click.option("--why-not", "why_not_target", default=None, metavar="NAME=VALUE",
              help='The least change of one input that gives NAME=VALUE (e.g. "predikat=Baik").')
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.pass_context
def explain_command(ctx: click.Context, ruleset: str, input: str, lang: str | None, as_of: str | None,
                    against: str | None, why_not_target: str | None, fmt: str) -> None:  # fmt: skip
    """Explain, in words an officer can read aloud, how RULESET rates INPUT (JSON/YAML file, or -)."""
    lang = _lang(ctx, lang)
    try:
        loaded = _load(ruleset, parse_date(as_of), lang)
        record = parse_record_text(sys.stdin.read(), "<stdin>") if input == "-" else read_record(input)
        if not isinstance(record, dict):
            raise InputError([diagnostic("K802", problem=message("X_EXPLAIN_NOT_RECORD", lang))])
        if why_not_target is not None:
            try:
                target = parse_target(why_not_target, loaded)
            except WhyNotUsageError as error:
                raise click.UsageError(error.render(lang)) from None
            answer = why_not(loaded, _declared(loaded, record), target)
            click.echo(to_json(answer.to_dict()) if fmt == "json" else answer.render(lang))
            return
        result = loaded.evaluate(_declared(loaded, record) if against else record, trace=True)
        if against is not None:
            other = _load(against, parse_date(as_of), lang)
            other_result = other.evaluate(_declared(other, record), trace=True)
            comparison = compare(loaded, result, other, other_result, lang)
            click.echo(to_json(_comparison_json(comparison)) if fmt == "json" else comparison.text())
            return
    except KinerjaError as error:
        print_error(error, lang, "text" if fmt == "text" else "json")
        sys.exit(1)
    click.echo(to_json(result.to_dict()) if fmt == "json" else explain(loaded, result, lang))


def _declared(ruleset: kinerja.Ruleset, record: dict[str, Any]) -> dict[str, Any]:
    """The record's values for the inputs this ruleset declares (a record written for the other one may have more)."""
    return {k: v for k, v in record.items() if k in ruleset.checked.inputs}


def _comparison_json(comparison: Any) -> dict[str, Any]:
    def side(step: Any) -> Any:
        return None if step is None else {"value": step.value, "lines": list(step.lines)}

    return {
        "left": comparison.left_ref, "right": comparison.right_ref, "parting": comparison.parting,
        "inputs": [{"name": x.name, "same": x.same, "left": side(x.left), "right": side(x.right)} for x in comparison.inputs],
        "steps": [{"name": x.name, "same": x.same, "left": side(x.left), "right": side(x.right)} for x in comparison.steps],
    }  # fmt: skip
