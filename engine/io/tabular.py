"""Tables in and out: CSV, JSON Lines, XLSX and Parquet, read in chunks in bounded memory.

A table is read as a header (the column names, in order) and then chunks of rows
(`kinerja.io.chunk.Chunk`), column by column. A row that cannot be read as the header
promises (a wrong number of cells, bytes that are not UTF-8, a line that is not a JSON
object, a quote never closed) is kept in place with its problem, so the caller can report
it at its place: rows are never dropped. Cells keep the type they were read with (text
from CSV, exact Decimals from JSON Lines, the sheet's types from XLSX, Arrow types from
Parquet); `cell_text` turns any of them into the text the validator reads.

The format is told by the file's extension, or given (for streams).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from kinerja.diagnostics.diagnostic import CodedError
from kinerja.diagnostics.messages import Term
from kinerja.io.chunk import Chunk, cell_text
from kinerja.io.csv_read import CsvReader, EncodingProblem
from kinerja.io.readers import JsonlReader, ParquetReader, SheetProblem, XlsxReader
from kinerja.io.records import os_reason
from kinerja.io.scoring import BOOLEAN, LABEL, NUMBER, OTHER, OutputColumn
from kinerja.io.writers import CsvWriter, JsonlWriter, ParquetWriter, Writer, XlsxWriter
from kinerja.io.writers import open_writer as open_stream_writer

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
BUFFER = 1 << 20


class TableError(CodedError):
    """A table that cannot be opened: an unknown extension, a corrupt file, an unknown encoding or sheet."""


def format_of(path: str | Path) -> str:
    """csv, jsonl, xlsx or parquet, by the file's extension."""
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise TableError("B_USAGE_EXT", path=str(path))
    return found


class Table:
    """An open table: `header`, then `chunks(size)` once; use as a context manager."""

    def __init__(self, reader: Any, kind: str, name: str, handle: BinaryIO, owned: bool, size: int | None):
        self._reader = reader
        self.format = kind
        self.path = name
        self.header: list[str] = list(reader.header)
        self._handle = handle
        self._owned = owned
        self._size = size

    def chunks(self, size: int) -> Iterator[Chunk]:
        return self._reader.chunks(size)  # type: ignore[no-any-return]

    def position(self) -> float | None:
        """How far through the file reading is, 0..1, when known (for a progress bar)."""
        if self.format == "parquet":
            total = self._reader.rows_total
            return min(self._reader.rows_read / total, 1.0) if total else None
        done = getattr(self._reader, "bytes_read", None)
        if done is None or not self._size:
            return None
        return min(done / self._size, 1.0)

    def close(self) -> None:
        if self._owned:
            self._handle.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(source: str | Path | BinaryIO, kind: str | None = None, *, encoding: str | None = None,
               sheet: str | None = None, header_row: int | None = None, name: str | None = None) -> Table:  # fmt: skip
    """Open a table from a path (format by extension unless `kind` is given) or a binary stream (`kind` required).

    `encoding` applies to CSV (default: UTF-8, or what a byte-order mark says); `sheet` and
    `header_row` to XLSX.
    """
    if isinstance(source, (str, Path)):
        kind = kind or format_of(source)
        label = name or str(source)
        try:
            handle: BinaryIO = open(source, "rb", buffering=BUFFER)  # noqa: SIM115 - closed by Table.close
        except OSError as error:
            raise TableError("B_READ", path=label, problem=os_reason(error)) from None
        owned = True
        try:
            size: int | None = Path(source).stat().st_size
        except OSError:
            size = None
    else:
        if kind is None:
            raise TableError("B_USAGE_EXT", path=name or "<stream>")
        handle, owned, label, size = source, False, name or "<stream>", None
    try:
        reader = _reader(handle, kind, encoding, sheet, header_row)
    except EncodingProblem:
        if owned:
            handle.close()
        raise TableError("B_USAGE_ENCODING", encoding=encoding) from None
    except SheetProblem as problem:
        if owned:
            handle.close()
        raise TableError(problem.code, path=label, **problem.args_) from None
    except OSError as error:
        if owned:
            handle.close()
        raise TableError("B_READ", path=label, problem=os_reason(error)) from None
    except Exception:  # corrupt workbooks and Parquet files raise their libraries' own errors
        if owned:
            handle.close()
        raise TableError("B_READ", path=label, problem=Term(_NOT_A.get(kind, "W_NOT_XLSX"))) from None
    return Table(reader, kind, label, handle, owned, size)


_NOT_A = {"xlsx": "W_NOT_XLSX", "parquet": "W_NOT_PARQUET", "jsonl": "W_NOT_JSONL", "csv": "W_NOT_CSV"}


def _reader(handle: BinaryIO, kind: str, encoding: str | None, sheet: str | None, header_row: int | None) -> Any:
    if kind == "csv":
        return CsvReader(handle, encoding)
    if kind == "jsonl":
        return JsonlReader(handle)
    if kind == "parquet":
        return ParquetReader(handle)
    return XlsxReader(handle, sheet, header_row)


def read_rows(source: str | Path | Table) -> Iterator[dict[str, Any]]:
    """Every row as {column: cell}, broken rows included (as read): for `kinerja impact` populations.

    Given a path the file is opened on the first row; given a table already opened, it is read and closed.
    """
    with source if isinstance(source, Table) else open_table(source) as table:
        header = table.header
        for chunk in table.chunks(10_000):
            for row in chunk.rows:
                yield dict(zip(header, row, strict=True))


class RowWriter:
    """Writes rows given as Python lists and output texts to a file (for tools that build rows one by one).

    `write(rows, outputs, errors)`: `rows` the leading cells of each row, `outputs` one list of
    texts per output column ('' = empty), `errors` one text per row ('' = none).
    """

    def __init__(self, path: str | Path, kind: str, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close() or abort()
        self.kinds = list(kinds)
        self.inputs = inputs
        self._writer = open_stream_writer(self._handle, kind, header, inputs, self.kinds, [_SCALE] * len(self.kinds))

    def write(self, rows: list[list[Any]], outputs: list[list[str]], errors: list[str]) -> None:
        count = len(rows)
        leading = [[row[i] for row in rows] for i in range(self.inputs)]
        columns = [_texts_column(texts, kind, count) for texts, kind in zip(outputs, self.kinds, strict=True)]
        self._writer.write(Chunk(1, leading, count), columns, list(errors))  # type: ignore[arg-type]

    def close(self) -> None:
        self._writer.close()
        self._handle.close()

    def abort(self) -> None:
        self._handle.close()


_SCALE = 18  # places of a decimal written into a typed (Parquet) column by a RowWriter


def _texts_column(texts: list[str], kind: str, count: int) -> OutputColumn:
    from decimal import Decimal, InvalidOperation

    column = OutputColumn("", kind, count)
    for row, text in enumerate(texts):
        if text == "" or text == "-":
            column.patch[row] = None
        elif kind == NUMBER:
            try:
                column.patch[row] = Decimal(text)
            except InvalidOperation:
                column.patch[row] = text
        elif kind == BOOLEAN:
            column.patch[row] = text == "true"
        else:
            column.patch[row] = text
    return column


def open_writer(target: str | Path | BinaryIO, kind: str, header: Sequence[str], inputs: int, kinds: Sequence[str],
                scales: Sequence[int] = ()) -> Any:  # fmt: skip
    """A writer to a path (a `RowWriter`, rows as lists) or to a binary stream (`kinerja.io.writers`)."""
    if isinstance(target, (str, Path)):
        return RowWriter(target, kind, header, inputs, kinds)
    return open_stream_writer(target, kind, header, inputs, kinds, scales)


__all__ = ["BOOLEAN", "LABEL", "NUMBER", "OTHER", "RowWriter", "FORMATS", "Chunk", "CsvWriter", "JsonlWriter", "ParquetWriter", "Table", "TableError", "Writer", "XlsxWriter",
           "cell_text", "format_of", "open_table", "open_writer", "read_rows"]  # fmt: skip
