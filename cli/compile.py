"""`kinerja compile --show RULESET`: the Python generated from a ruleset, for review.

Registered lazily by `cli/main.py` (LAZY_COMMANDS). The listing is the generated function
followed by its constants table: every identifier in the function is generated, every value
it uses is a constant of the table (see kinerja.eval.generate).
"""

from __future__ import annotations

import click
import kinerja
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import default_language, message

from .render import print_error


@click.command("compile")
@click.argument("ruleset")
@click.option("--show", is_flag=True, help="Print the generated code and its constants table.")
@click.pass_context
def compile_command(ctx: click.Context, ruleset: str, show: bool) -> None:
    """Compile a ruleset; with --show, print the generated Python for review."""
    lang = (ctx.obj or {}).get("lang") or default_language()
    try:
        loaded = kinerja.load(ruleset)
    except KinerjaError as error:
        print_error(error, lang)
        ctx.exit(1)
    source = loaded.generated()
    if show:
        click.echo(source.listing(), nl=False)
        return
    key = "C_compile_generated" if source.function is not None else "C_compile_closures"
    click.echo(message(key, lang, ruleset=f"{loaded.id}@{loaded.version}", constants=len(source.constants)))
