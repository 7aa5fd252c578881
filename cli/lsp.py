"""`kinerja lsp`: the language server for editors, over stdin/stdout (see `kinerja.lsp`)."""

from __future__ import annotations

import os
import sys

import click
from kinerja.diagnostics.messages import default_language, message


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Speak over stdin/stdout (the only transport; accepted for editors that pass it).")
@click.pass_context
def lsp_command(ctx: click.Context, stdio: bool) -> None:
    """Run the language server over stdin/stdout."""
    lang = (ctx.obj or {}).get("lang") or default_language()
    try:
        from kinerja.lsp.server import serve
    except ImportError as error:  # pygls and lsprotocol come with the `lsp` extra
        click.echo(message("L_missing_packages", lang, problem=error.name or error), err=True)
        sys.exit(1)
    # Every keystroke is a new text: caching each parse on disk would only fill the cache.
    os.environ.setdefault("KINERJA_NO_CACHE", "1")
    serve()
