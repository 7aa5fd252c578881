"""`kinerja batch`: score a whole table (CSV, JSONL, XLSX, Parquet) into another, one output row per input row.

Exit codes: 0 when the batch ran (invalid rows are reported in the output and
the summary, not fatal), 1 when the ruleset is invalid or cannot be found or
the input cannot be read, 2 for a usage error (unknown extension, bad --map,
a column not in the header, a required input with no column, an output that
exists without --force, an output that is the input, a missing output folder).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import default_language
from kinerja.io.batch import CHUNK_ROWS, BatchReadError, BatchUsageError, batch, parse_map
from kinerja.semantics.values import to_json

from .render import parse_date, print_error


@click.command("batch")
@click.argument("ruleset")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output_path", required=True, metavar="OUTPUT",
              help="Output file (.csv, .jsonl, .xlsx, .parquet); written whole or not at all.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (never the input itself).")
@click.option("--encoding", default=None, metavar="NAME",
              help="Encoding of a CSV input (default: UTF-8, or what a byte-order mark says), e.g. cp1252.")
@click.option("--sheet", default=None, metavar="NAME|N", help="XLSX: the sheet to read, by name or 1-based number.")
@click.option("--header-row", "header_row", type=click.IntRange(min=1), default=None, metavar="N",
              help="XLSX: the row holding the column names (default: the first row that is not empty).")
@click.option("--coerce", type=click.Choice(["strict", "text"]), default="strict", show_default=True,
              help="JSONL values: strict (a number must be a JSON number) or text (read strings as CSV cells are read).")
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="Use the version in force on DATE (YYYY-MM-DD).")
@click.option("--id", "id_column", default=None, metavar="COLUMN", help="Column naming each row (else its row number).")
@click.option("--map", "maps", multiple=True, metavar="INPUT=COLUMN", help="Read a ruleset input from another column.")
@click.option("--group-by", "group_by", default=None, metavar="COLUMN",
              help="Unit column: report each unit's distribution against the ruleset's curve.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary as text on stderr, or JSON on stdout.")
@click.option("--chunk-size", "chunk_size", type=int, default=CHUNK_ROWS, show_default=True, help="Rows per chunk.")
@click.pass_context
def batch_command(ctx: click.Context, ruleset: str, input_path: str, output_path: str, force: bool,
                  encoding: str | None, sheet: str | None, header_row: int | None, coerce: str, as_of: str | None,
                  id_column: str | None, maps: tuple[str, ...], group_by: str | None, fmt: str,
                  chunk_size: int) -> None:  # fmt: skip
    """Score every row of INPUT into OUTPUT with RULESET."""
    lang = (ctx.obj or {}).get("lang") or default_language()
    previous = signal.signal(signal.SIGTERM, _stop)  # a terminated run cleans up its temporary file too
    try:
        report = batch(
            ruleset, input_path, output_path, id_column=id_column, column_map=parse_map(maps), group_by=group_by,
            chunk_size=chunk_size, lang=lang, progress=sys.stderr.isatty(), as_of=parse_date(as_of),
            overwrite=force, encoding=encoding, sheet=sheet, header_row=header_row,
            coerce="text" if coerce == "text" else "strict",
        )  # fmt: skip
    except BatchReadError as error:
        click.echo(error.render(lang), err=True)
        sys.exit(1)
    except BatchUsageError as error:
        raise click.UsageError(error.render(lang), ctx) from None
    except KinerjaError as error:
        print_error(error, lang, fmt)
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if fmt == "json":
        click.echo(to_json(report.to_dict(lang)))
    else:
        click.echo(report.render(lang), err=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
