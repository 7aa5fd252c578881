"""Publishing commands: `kinerja schema` and `kinerja doc`.

Registered lazily by `cli/main.py` (LAZY_COMMANDS), so `kinerja eval` never imports
the document renderer or jsonschema.
"""

from __future__ import annotations

from pathlib import Path

import click
import kinerja
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import default_language
from kinerja.semantics.values import to_json

from .render import print_error


def _lang(ctx: click.Context, lang: str | None = None) -> str:
    return lang or (ctx.obj or {}).get("lang") or default_language()


@click.command("schema")
@click.argument("ruleset")
@click.option("--part", type=click.Choice(["input", "output"]), default="input", show_default=True)
@click.option("--numbers", type=click.Choice(["float", "decimal"]), default="float", show_default=True,
              help="How validators read JSON numbers: float (places as x-kinerja-places) or decimal (exact multipleOf).")
@click.pass_context
def schema_command(ctx: click.Context, ruleset: str, part: str, numbers: str) -> None:
    """JSON Schema (draft 2020-12) of a ruleset's input or output."""
    from kinerja.publish.schema import input_schema, output_schema

    lang = _lang(ctx)
    try:
        loaded = kinerja.load(ruleset)
    except KinerjaError as error:
        print_error(error, lang)
        ctx.exit(1)
    schema = input_schema(loaded, numbers) if part == "input" else output_schema(loaded, numbers)
    click.echo(to_json(schema))


@click.command("doc")
@click.argument("ruleset")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--lang", "doc_lang", type=click.Choice(["id", "en"]), default=None,
              help="Bahasa dokumen / document language (default: the global --lang, LANG, else id).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True), default=None)
@click.pass_context
def doc_command(ctx: click.Context, ruleset: str, fmt: str, doc_lang: str | None, output: str | None) -> None:
    """The ruleset as a document for people (Markdown or self-contained HTML)."""
    from kinerja.publish.render import render_document

    lang = _lang(ctx, doc_lang)
    try:
        loaded = kinerja.load(ruleset)
    except KinerjaError as error:
        print_error(error, lang)
        ctx.exit(1)
    text = render_document(loaded, fmt, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")
