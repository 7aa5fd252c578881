"""Readers of JSON Lines, spreadsheets (XLSX) and Parquet, each yielding `Chunk`s.

- JSON Lines: numbers read as exact Decimals; the header is every key in order of first
  appearance (one pass over the keys first). A line that is not a JSON object, or holds
  bytes that are not UTF-8, is a broken row at its line.
- XLSX: python-calamine (Rust) reads the sheet; `sheet` picks one by name or 1-based number,
  `header_row` the row holding the column names (else the first row that is not empty).
  Cells keep their spreadsheet type (number, text, boolean, date).
- Parquet: pyarrow reads record batches of the requested size; columns keep their type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

import pyarrow as pa
from kinerja.diagnostics.diagnostic import CodedError
from kinerja.diagnostics.messages import Phrase, Term
from kinerja.io.chunk import Chunk, Problem, cell_text
from kinerja.io.csv_read import BLANK, BLOCK, _clean, _decodable

EXCEL_ROWS = 1_048_576  # a worksheet's row limit

# What a JSONL line holds when it is not an object, in catalogue words.
_JSON_KINDS = {list: "W_JSON_ARRAY", str: "W_JSON_STRING", Decimal: "W_JSON_NUMBER", bool: "W_JSON_BOOLEAN",
               type(None): "W_JSON_NULL"}  # fmt: skip


def _json_value(text: str) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


class JsonlReader:
    """JSON Lines from a seekable binary stream."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._start = raw.tell()
        seen: dict[str, None] = {}
        for _, _, value, _ in self._records():
            if isinstance(value, dict):
                seen.update(dict.fromkeys(value))
        self.header = list(seen)
        self.bytes_read = 0

    def _records(self) -> Iterator[tuple[int, Phrase | Term | None, Any, bool]]:
        """(line number, problem or None, value, whether it held undecodable bytes) for each non-blank line."""
        self._raw.seek(self._start)
        number = 0
        carry = b""
        while True:
            piece = self._raw.read(BLOCK)
            self.bytes_read = self._raw.tell() - self._start
            data = carry + piece
            if piece:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            for raw_line in data.split(b"\n")[: -1 if data.endswith(b"\n") else None]:
                number += 1
                text = raw_line.decode("utf-8", "surrogateescape").lstrip("\ufeff")
                if not text.strip(BLANK + "\r\n"):
                    continue
                undecodable = not _decodable(text)
                if undecodable:
                    text = _clean(text)
                try:
                    value = _json_value(text)
                except json.JSONDecodeError as error:
                    yield number, Phrase.of("W_JSON_BROKEN_AT", column=error.pos + 1), None, undecodable
                    continue
                except (ValueError, RecursionError):
                    yield number, Term("W_JSON_BROKEN"), None, undecodable
                    continue
                yield number, None, value, undecodable
            if not piece:
                return

    def chunks(self, size: int) -> Iterator[Chunk]:
        header = self.header
        width = len(header)
        start = 1
        columns: list[list[Any]] = [[] for _ in header]
        broken: dict[int, Problem] = {}
        count = 0
        for line, problem, value, undecodable in self._records():
            if problem is None and not isinstance(value, dict):
                problem = Term(_JSON_KINDS.get(type(value), "W_JSON_BROKEN"))
            if problem is not None:
                broken[count] = ("B_ROW_JSON", {"line": line, "problem": problem})
                for column in columns:
                    column.append(None)
            else:
                get = value.get
                for column, key in zip(columns, header, strict=True):
                    column.append(get(key))
                if undecodable:
                    broken[count] = ("B_ROW_DECODE", {"line": line})
            count += 1
            if count >= size:
                yield Chunk(start, columns, count, broken)  # type: ignore[arg-type]
                start += count
                columns, broken, count = [[] for _ in range(width)], {}, 0
        if count:
            yield Chunk(start, columns, count, broken)  # type: ignore[arg-type]


class SheetProblem(CodedError):
    """--sheet or --header-row names something the workbook does not have."""


def _cell(value: Any) -> Any:
    """A spreadsheet cell as kinerja reads it: empty is None; a whole number is an int, as it was typed."""
    if value == "" or value is None:
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class XlsxReader:
    """One worksheet, read with python-calamine."""

    def __init__(self, raw: BinaryIO, sheet: str | None = None, header_row: int | None = None):
        from python_calamine import CalamineWorkbook  # only spreadsheets pay for its import

        book = CalamineWorkbook.from_filelike(raw)
        names = list(book.sheet_names)
        if sheet is None:
            index = 0
        elif sheet in names:
            index = names.index(sheet)
        elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
            index = int(sheet) - 1
        else:
            raise SheetProblem("B_USAGE_SHEET", sheet=sheet, known=", ".join(names))
        self._rows = iter(book.get_sheet_by_index(index).iter_rows())
        self.line = 0
        header: list[Any] = []
        for row in self._rows:
            self.line += 1
            if header_row is not None:
                if self.line == header_row:
                    header = list(row)
                    break
            elif any(v not in ("", None) for v in row):
                header = list(row)
                break
        if header_row is not None and self.line != header_row:
            raise SheetProblem("B_USAGE_HEADER_ROW", row=header_row, rows=self.line)
        while header and header[-1] in ("", None):
            header.pop()
        self.header = [cell_text(_cell(h)).strip(BLANK) for h in header]

    def chunks(self, size: int) -> Iterator[Chunk]:
        width = len(self.header)
        start = 1
        rows: list[list[Any]] = []
        broken: dict[int, Problem] = {}
        for raw in self._rows:
            self.line += 1
            row = [_cell(v) for v in raw]
            if all(v is None for v in row):
                continue  # an empty spreadsheet row holds no record
            if len(row) > width and any(v is not None for v in row[width:]):
                found = max(i for i, v in enumerate(row) if v is not None) + 1
                broken[len(rows)] = ("B_ROW_CELLS", {"line": self.line, "found": found, "expected": width})
            rows.append((row + [None] * width)[:width])
            if len(rows) >= size:
                yield Chunk(start, [list(c) for c in zip(*rows, strict=True)] if width else [], len(rows), broken)
                start += len(rows)
                rows, broken = [], {}
        if rows:
            yield Chunk(start, [list(c) for c in zip(*rows, strict=True)] if width else [], len(rows), broken)


def _plain(array: pa.Array) -> pa.Array:
    """A dictionary-encoded column as the values it holds."""
    if pa.types.is_dictionary(array.type):
        return array.dictionary_decode()
    return array


class ParquetReader:
    """Record batches of a Parquet file; columns keep their Arrow types."""

    def __init__(self, raw: BinaryIO):
        import pyarrow.parquet as pq

        self._file = pq.ParquetFile(raw)
        self.header = list(self._file.schema_arrow.names)
        self.rows_total = self._file.metadata.num_rows
        self.rows_read = 0

    def chunks(self, size: int) -> Iterator[Chunk]:
        start = 1
        for batch in self._file.iter_batches(batch_size=size):
            columns = [_plain(batch.column(i)) for i in range(batch.num_columns)]
            yield Chunk(start, columns, batch.num_rows)  # type: ignore[arg-type]
            start += batch.num_rows
            self.rows_read += batch.num_rows


__all__ = ["EXCEL_ROWS", "JsonlReader", "ParquetReader", "SheetProblem", "XlsxReader"]
