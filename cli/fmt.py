"""`kinerja fmt`: rewrite ruleset files in the one canonical layout, comments kept."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import default_language, message
from kinerja.syntax.format import format_text
from kinerja.syntax.source import BOM, read_source

# Exit codes, as for every command (README): 0 nothing (left) to change, 1 a file would change
# (--check) or is not a valid ruleset (it cannot be formatted), 2 a usage error (click's own).
WOULD_CHANGE = 1
FAILED = 1


@click.command("fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 and name each file that would change.")
@click.pass_context
def fmt_command(ctx: click.Context, files: tuple[Path, ...], check: bool) -> None:
    """Rewrite ruleset files in the one canonical layout (comments kept)."""
    lang = (ctx.obj or {}).get("lang") or default_language()
    changed = 0
    failed = False
    for path in files:
        try:
            text, marked = _read(path)
            formatted = format_text(text, str(path))
        except KinerjaError as error:
            click.echo(error.render(lang), err=True)
            failed = True
            continue
        except OSError as error:
            click.echo(message("F_UNREADABLE", lang, path=path, reason=getattr(error, "strerror", None) or error), err=True)
            failed = True
            continue
        if formatted == text and not marked:
            continue
        changed += 1
        if check:
            click.echo(message("F_WOULD_CHANGE", lang, path=path))
        else:
            _replace(path, formatted)
            click.echo(message("F_CHANGED", lang, path=path))
    tally = "F_TALLY_CHECK" if check else "F_TALLY"
    click.echo(message(tally, lang, changed=changed, total=len(files)), err=True)
    if failed:
        sys.exit(FAILED)
    sys.exit(WOULD_CHANGE if check and changed else 0)


def _read(path: Path) -> tuple[str, bool]:
    """The file's text exactly as stored (CRLF kept: such a file is not yet in the canonical layout),
    and whether it starts with a byte-order mark (the canonical layout has none).

    Read as every command reads a ruleset: UTF-8 within the size limit, else a positioned error.
    """
    text = read_source(path, keep_layout=True)
    return text.removeprefix(BOM), text.startswith(BOM)


def _replace(path: Path, text: str) -> None:
    """Write beside the file, then swap it in: a reader never sees half a ruleset."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
