"""The `kinerja` command: a thin layer over the public Python API (`kinerja`).

Exit codes: 0 success, 1 invalid ruleset or input (or failed examples/checks),
2 usage error (click's own).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import replace
from datetime import date
from typing import Any

import click
import kinerja
from kinerja.diagnostics.diagnostic import ERROR, InputError, KinerjaError
from kinerja.diagnostics.messages import CATALOGUE, default_language, message
from kinerja.io.records import parse_record_text, read_record
from kinerja.semantics.values import to_json, value_text

from .render import parse_date, print_error, render_result_text


def _lang(ctx: click.Context) -> str:
    return ctx.obj.get("lang") or default_language()


class CatalogueGroup(click.Group):
    """A group whose command summaries come from the message catalogue, in the chosen language.

    click fixes help text when commands are declared; the language is only known once the
    group's own `--lang` option (or LANG) has been read, so the summaries are set on lookup.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            # imported on first use, so `kinerja eval` does not pay for diff, batch or documents
            module_name, attribute = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module_name, __package__), attribute)
            self.add_command(command, cmd_name)
        if command is not None:
            lang = _chosen(ctx)
            key = f"C_help_{cmd_name}"
            if key in CATALOGUE:
                command.help = command.short_help = message(key, lang)
            _say_options(command, cmd_name, ctx, lang)
        return command

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.help = message("C_help_main", _chosen(ctx))
        _say_options(self, "main", ctx, _chosen(ctx))
        super().format_help_text(ctx, formatter)


def _chosen(ctx: click.Context) -> str:
    """The language the group's `--lang` (read first: it is eager) or LANG asks for."""
    return (ctx.params.get("lang") if ctx.params else None) or default_language()


def _say_options(command: click.Command, cmd_name: str, ctx: click.Context, lang: str) -> None:
    """Each option's help from the catalogue: `C_opt_<command>_<option>`, else `C_opt_<option>`."""
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and param.name:
            key = next((k for k in (f"C_opt_{cmd_name}_{param.name}", f"C_opt_{param.name}") if k in CATALOGUE), None)
            if key is not None:
                param.help = message(key, lang)


@click.group(cls=CatalogueGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["id", "en"]), default=None, is_eager=True,
              help="Bahasa pesan / message language (default: from LANG, else id).")
@click.version_option(kinerja.__version__, prog_name="kinerja")
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """kinerja: aturan penilaian kinerja ASN sebagai kode / appraisal rules as code."""
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang


def read_input(source: str) -> Any:
    if source == "-":
        return parse_record_text(sys.stdin.read(), "<stdin>")
    return read_record(source)


def located(error: KinerjaError, source: str) -> KinerjaError:
    """Input problems name the file they were read from, not an anonymous record."""
    if not isinstance(error, InputError):
        return error
    moved = [replace(d, span=replace(d.span, file=source)) if d.span.file == "<input>" else d for d in error.diagnostics]
    return InputError(moved)


def load_announced(ref: str, as_of: date | None, lang: str) -> kinerja.Ruleset:
    """Load a ruleset; with --as-of, say on stderr which version was chosen and why."""
    selection = kinerja.select(ref, as_of=as_of)
    note = selection.note(lang)
    if note:
        click.echo(note, err=True)
    return kinerja.load(selection.path)


@main.command("eval")
@click.argument("ruleset")
@click.argument("input", metavar="INPUT")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="Use the version in force on DATE (YYYY-MM-DD).")
@click.option("--coerce", type=click.Choice(["strict", "text"]), default="strict", show_default=True,
              help="strict: a number must be a number; text: read strings as CSV cells are read (\"96,5\", \"ya\").")
@click.option("--unknown", type=click.Choice(["reject", "ignore"]), default="reject", show_default=True,
              help="A key that is no input: an error, or ignored with a warning.")
@click.pass_context
def eval_command(ctx: click.Context, ruleset: str, input: str, fmt: str, as_of: str | None, coerce: str,
                 unknown: str) -> None:  # fmt: skip
    """Evaluate one record (JSON/YAML file, or - for stdin) with RULESET (id, id@version or path)."""
    lang = _lang(ctx)
    try:
        day = parse_date(as_of)
        loaded = load_announced(ruleset, day, lang)
        record = read_input(input)
        record = _drop_unknown(ruleset, loaded, record, unknown, day, lang, "<stdin>" if input == "-" else input)
        result = loaded.evaluate(record, trace=True, text_values=coerce == "text")
    except KinerjaError as error:
        print_error(located(error, "<stdin>" if input == "-" else input), lang, fmt)
        sys.exit(1)
    if fmt == "json":
        click.echo(to_json(result.to_dict(lang)))
    else:
        click.echo(render_result_text(loaded, result, lang))


def _drop_unknown(named: str, loaded: kinerja.Ruleset, record: Any, unknown: str, day: date | None, lang: str,
                  source: str) -> Any:  # fmt: skip
    """Leave out, with a warning, keys that are no input: all of them with --unknown ignore, and — when
    --as-of chose another version of the line — those that belong to the ruleset the user named."""
    from kinerja.eval.inputs import ignored_input, known_only, unknown_inputs

    extra = unknown_inputs(loaded.checked, record)
    if not extra:
        return record
    ref = f"{loaded.id}@{loaded.version}"
    belongs: set[str] = set()
    if day is not None and not named.startswith(loaded.id + "@") and named != loaded.id:
        try:
            belongs = set(extra) & set(kinerja.load(named).input_names)
        except KinerjaError:
            belongs = set()
    dropped = [k for k in extra if k in belongs or unknown == "ignore"]
    for key in dropped:
        warning = ignored_input(key, ref, kinerja.load(named).id if key in belongs else None, day.isoformat() if day else None)
        click.echo(replace(warning, span=replace(warning.span, file=source)).render(lang), err=True)
    if not dropped:
        return record
    kept = known_only(loaded.checked, record)
    kept.update({k: record[k] for k in extra if k not in dropped})  # still rejected (K603) below
    return kept


@main.command("check")
@click.argument("rulesets", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check_command(ctx: click.Context, rulesets: tuple[str, ...], fmt: str) -> None:
    """Check rulesets: syntax, names, types, labels, weights; exit 1 on any error."""
    lang = _lang(ctx)
    findings = []
    for ref in rulesets:
        try:
            findings += kinerja.check(ref)
        except KinerjaError as error:
            findings += error.diagnostics
    errors = sum(1 for d in findings if d.severity == ERROR)
    if fmt == "json":
        click.echo(to_json([d.to_dict(lang) for d in findings]))
    else:
        for d in findings:
            click.echo(d.render(lang))
        click.echo(message("C_tally_check", lang, errors=errors, warnings=len(findings) - errors))
    sys.exit(1 if errors else 0)


@main.command("test")
@click.argument("rulesets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def test_command(ctx: click.Context, rulesets: tuple[str, ...], fmt: str) -> None:
    """Run the examples inside rulesets (all shipped rulesets by default)."""
    lang = _lang(ctx)
    refs = list(rulesets) or [f"{info.id}@{info.version}" for info in kinerja.list_rulesets()]
    outcomes: list[kinerja.ExampleOutcome] = []
    broken = 0
    for ref in refs:
        try:
            outcomes += kinerja.load(ref).run_examples()
        except KinerjaError as error:
            broken += 1
            click.echo(f"{ref}:", err=True)
            print_error(error, lang, "text")
    passed = sum(1 for o in outcomes if o.passed)
    failed = len(outcomes) - passed + broken
    if fmt == "json":
        click.echo(to_json({"passed": passed, "failed": failed, "examples": [o.to_dict(lang) for o in outcomes]}))
    else:
        for o in outcomes:
            mark = "ok  " if o.passed else message("C_fail", lang)
            click.echo(f"{mark} {o.ruleset}: {o.title}")
            for problem in o.problems_in(lang):
                click.echo(f"      {problem}")
        click.echo(f"{passed} passed, {failed} failed")  # a fixed English line: scripts and CI read it
    sys.exit(1 if failed else 0)


@main.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def list_command(ctx: click.Context, fmt: str) -> None:
    """Shipped rulesets with version, title, legal source and effective dates."""
    infos = kinerja.list_rulesets()
    if fmt == "json":
        click.echo(to_json([i.to_dict() for i in infos]))
        return
    lang = _lang(ctx)
    for info in infos:
        if info.effective_from is None and info.effective_until is None:
            period = message("C_word_no_dates", lang)
        else:
            start = info.effective_from.isoformat() if info.effective_from else "…"
            until = info.effective_until.isoformat() if info.effective_until else "…"
            period = f"{start} – {until}"
        if info.revises:
            period += message("X_AS_OF_REVISION", lang, old=info.revises)
        click.echo(f"{info.id}@{info.version}  [{period}]  {info.title or ''}")
        if info.source:
            click.echo(f"    {info.source}")


# Commands that live in their own modules, one module per concern: name -> (module, command object).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "diff": (".audit", "diff_command"),
    "impact": (".audit", "impact_command"),
    "explain": (".audit", "explain_command"),
    "fmt": (".fmt", "fmt_command"),
    "schema": (".publish", "schema_command"),
    "doc": (".publish", "doc_command"),
    "batch": (".batch", "batch_command"),
    "compile": (".compile", "compile_command"),
    "lsp": (".lsp", "lsp_command"),
    "serve": (".serve", "serve_command"),
    "replay": (".replay", "replay_command"),
    "studio": (".studio", "studio_command"),
}


def run() -> None:
    main(obj={})


if __name__ == "__main__":
    run()

__all__ = ["main", "value_text"]
