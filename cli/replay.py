"""`kinerja replay LOG [--rules DIR]...`: every logged decision evaluated again with its exact rules.

Ends with `N replayed, M differ`. Exit codes: 0 when every decision was
checked and gives the logged result, 1 when any differs or cannot be checked
(no ruleset has its fingerprint, an input was masked, a line is not a
decision) or the log cannot be read, 2 for a usage error.
"""

from __future__ import annotations

import sys

import click
from kinerja.audit.replay import replay
from kinerja.diagnostics.messages import default_language, message
from kinerja.semantics.values import to_json


@click.command("replay")
@click.argument("log", metavar="LOG")
@click.option("--rules", "rules", multiple=True, metavar="DIR", help="Folder of rulesets to search (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def replay_command(ctx: click.Context, log: str, rules: tuple[str, ...], fmt: str) -> None:
    """Evaluate every decision in LOG again with the ruleset of the same fingerprint; exit 1 if any differ."""
    lang = (ctx.obj or {}).get("lang") or default_language()
    try:
        report = replay(log, rules)
    except (OSError, UnicodeDecodeError) as error:
        click.echo(message("R_LOG_READ", lang, path=log, problem=getattr(error, "strerror", None) or str(error)), err=True)
        sys.exit(1)
    click.echo(to_json(report.to_dict(lang)) if fmt == "json" else report.render(lang))
    sys.exit(0 if report.ok else 1)
