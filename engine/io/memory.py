"""Batch scoring and population reading over bytes in memory (an HTTP body), never a file on disk.

`batch_bytes(ruleset, data, "csv")` scores a whole CSV, JSONL, XLSX or Parquet body and gives
the scored file back as bytes with the same columns as `kinerja batch` (every input column as
read, every output, then `error`) and the same summary (`BatchReport`). `population_rows(data,
"csv")` reads a population for `kinerja.impact`. Neither writes anything to disk: a service
must not write outside its rules folders and its decision log.

Both are thin: the readers, the scorer and the writers are `kinerja.io.batch.score_table`'s,
which works on streams.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kinerja.io.batch import BatchReport, BatchUsageError, score_table
from kinerja.io.scoring import cells_as_text
from kinerja.io.tabular import Table, TableError, open_table, read_rows
from kinerja.library.ruleset import Ruleset

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
_SOURCE = "<body>"  # how a body is named in messages, where a file would be named by its path


@dataclass(frozen=True)
class ScoredChunk:
    """Consecutive rows as scored: for a caller that records each decision (a decision log)."""

    start: int  # 1-based number of the first row
    header: list[str]
    rows: list[list[Any]]  # cells as read
    inputs: dict[str, list[str]]  # ruleset input -> the cell text each row gave it ('' = not given)
    outputs: dict[str, list[str]]  # ruleset output -> its text per row ('' = absent or failed)
    errors: list[str]  # '' where the row was valid
    broken: dict[int, str]  # row index -> the code of a row that could not be read whole (never reached the rules)


@dataclass(frozen=True)
class ScoredBytes:
    data: bytes
    media_type: str
    report: BatchReport


def open_body(data: bytes, kind: str) -> Table:
    """A CSV, JSONL, XLSX or Parquet body as a table (see `kinerja.io.tabular`)."""
    if kind not in FORMATS:
        raise TableError("B_USAGE_EXT", path=f"{_SOURCE}.{kind}")
    return open_table(io.BytesIO(data), kind, name=_SOURCE)


def batch_bytes(
    ruleset: Ruleset,
    data: bytes,
    input_format: str,
    output_format: str | None = None,
    *,
    id_column: str | None = None,
    column_map: Mapping[str, str] | None = None,
    group_by: str | None = None,
    lang: str | None = None,
    chunk_size: int = 50_000,
    each_chunk: Callable[[ScoredChunk], None] | None = None,
) -> ScoredBytes:
    """Score every row of a body; the scored table in `output_format` (default: the input's).

    Rows, columns, errors and the summary are those `kinerja.batch` gives for the same file;
    `each_chunk` sees every chunk as scored (to log each decision). Raises `BatchUsageError`
    for a bad option, a column not in the header, or a body that cannot be read.
    """
    output_format = output_format or input_format
    if input_format not in FORMATS or output_format not in FORMATS:
        raise BatchUsageError("B_USAGE_EXT", path=f"{_SOURCE}.{output_format if input_format in FORMATS else input_format}")

    def seen(chunk: Any, scored: Any, header: list[str]) -> None:
        if each_chunk is None:
            return
        inputs = {name: cells_as_text(column) for name, column in scored.inputs.items()}
        outputs = {output.name: output.texts().to_pylist() for output in scored.outputs}
        each_chunk(ScoredChunk(chunk.start, header, chunk.rows, inputs, outputs, list(scored.errors),
                               {i: code for i, (code, _) in chunk.broken.items()}))  # fmt: skip

    scored = score_table(ruleset, data, input_format, output_format, id_column=id_column, column_map=column_map,
                         group_by=group_by, chunk_size=chunk_size, lang=lang, each_chunk=seen if each_chunk else None,
                         name=_SOURCE)  # fmt: skip
    return ScoredBytes(scored.data, MEDIA_TYPES[output_format], scored.report)


def population_rows(data: bytes, kind: str) -> Iterator[dict[str, Any]]:
    """Every row of a body as {column: cell}, for `kinerja.impact`; opened now, so a corrupt body raises
    `TableError` before any work."""
    return read_rows(open_body(data, kind))


__all__ = ["FORMATS", "MEDIA_TYPES", "ScoredBytes", "ScoredChunk", "batch_bytes", "open_body", "population_rows"]
