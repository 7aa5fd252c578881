"""Writers of scored tables: input cells as read, then the outputs, then the error, row for row.

Every writer writes to a binary stream it is given (a temporary file beside the target, or
memory for the HTTP service) and the same input gives the same bytes: no timestamps, no
hash order. CSV and JSON Lines are built column-wise with Arrow compute (quoting, escaping
and joining in C++); Parquet is written by pyarrow with decimals as `decimal128` at the
output's scale; XLSX by XlsxWriter in constant-memory mode, with its dates fixed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from kinerja.diagnostics.diagnostic import CodedError
from kinerja.io.chunk import Chunk, Column, cell_text, decimal_cell
from kinerja.io.readers import EXCEL_ROWS
from kinerja.io.scoring import BOOLEAN, LABEL, NUMBER, OutputColumn
from kinerja.semantics.values import to_json
from kinerja.vector.buffers import array_of, filled, scalar, sparse_strings, strings

FIXED_TIME = datetime(2000, 1, 1)  # the creation date written into workbooks: same input, same bytes
_SPECIAL = r'[,"\r\n]'


class WriteProblem(CodedError):
    """The output format cannot hold what was computed (too many rows for a sheet…)."""


class Writer:
    """Header first, then `write` per chunk, then `close` (which flushes but leaves the stream open)."""

    def __init__(self, handle: BinaryIO, header: Sequence[str], inputs: int, kinds: Sequence[str], scales: Sequence[int]):
        self.handle = handle
        self.header = list(header)
        self.inputs = inputs  # how many leading columns are input cells
        self.kinds = list(kinds)  # the type of each output column (before the error column)
        self.scales = list(scales)  # places of each decimal output in typed formats

    def write(self, chunk: Chunk, outputs: list[OutputColumn], errors: list[str], failed: Sequence[int] | None = None) -> None:
        """One chunk: its input cells, its outputs, and each row's error ('' where valid); `failed`, when
        given, lists the rows whose error is not empty, in order (else it is found from `errors`)."""
        raise NotImplementedError

    def prepare(self, outputs: list[OutputColumn]) -> None:
        """Compute what `write` will read from the outputs (their texts, their typed arrays), in the caller's
        thread: the batch calls it while the previous chunk is being written, so writing is all that is left
        to the writing thread."""

    def close(self) -> None:
        self.handle.flush()

    def abort(self) -> None:
        pass


# ------------------------------------------------------------------ text helpers


def _failed(errors: list[str], failed: Sequence[int] | None) -> Sequence[int]:
    return [row for row, text in enumerate(errors) if text] if failed is None else failed


def _as_text(column: Column) -> pa.Array:
    """Input cells as text, as the CSV reader would read them back ('' for an empty cell)."""
    empty = scalar("")
    if isinstance(column, list):
        return strings([cell_text(v) for v in column])
    kind = column.type
    if pa.types.is_string(kind):
        return column.fill_null(empty) if column.null_count else column
    if pa.types.is_large_string(kind):
        return column.cast(pa.string()).fill_null(empty)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        return column.cast(pa.string()).fill_null(empty)
    return strings([cell_text(v) for v in column.to_pylist()])


def _quoted(text: str) -> str:
    """One cell as Python csv's QUOTE_MINIMAL writes it."""
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def _csv_quote(column: pa.Array) -> pa.Array:
    """Python csv's QUOTE_MINIMAL, column-wise: quote a cell holding a comma, quote or line end."""
    data = column.buffers()[2]
    if data is None:
        return column
    raw = np.frombuffer(data, dtype=np.uint8)
    if not any((raw == c).any() for c in b',"\r\n'):  # the usual column: nothing to quote
        return column
    needs = pc.match_substring_regex(column, _SPECIAL)
    if not pc.any(needs).as_py():
        return column
    quote = scalar('"')
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, scalar(""))
    return pc.if_else(needs, quoted, column)


def _lines(cells: list[pa.Array], separator: str, start: str, end: str) -> bytes:
    """Rows as bytes: start + the row's cells joined by separator + end, for every row.

    One element-wise join in Arrow, then Python's str.join over the rows (a second Arrow join
    to add the line ends costs more than handing the row strings to Python).
    """
    if not cells or not len(cells[0]):
        return b""
    rows = pc.binary_join_element_wise(*cells, scalar(separator)).to_pylist()
    return (start + (end + start).join(rows) + end).encode("utf-8")


def _text_bytes(array: pa.Array) -> memoryview:
    """The bytes of every value of a string array without nulls, one after another."""
    if pa.types.is_large_string(array.type):
        width = np.int64
    else:
        width = np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width, count=array.offset + len(array) + 1)[array.offset :]
    data = array.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


def _rows_bytes(cells: list[pa.Array], separator: str) -> memoryview:
    """Rows joined in Arrow (the last cell carries the line end): the joined values' bytes are the text."""
    rows = pc.binary_join_element_wise(*cells, scalar(separator))
    if rows.null_count:  # a null cell would drop its row: never expected, kept exact all the same
        rows = rows.fill_null(scalar(""))
    return _text_bytes(rows)


class CsvWriter(Writer):
    """Comma-separated UTF-8 with CR LF line ends, quoted only where needed (Python csv's defaults)."""

    def __init__(self, handle: BinaryIO, header: Sequence[str], inputs: int, kinds: Sequence[str], scales: Sequence[int]):
        super().__init__(handle, header, inputs, kinds, scales)
        text = io.StringIO()
        csv.writer(text).writerow(self.header)
        handle.write(text.getvalue().encode("utf-8"))

    def prepare(self, outputs: list[OutputColumn]) -> None:
        for output in outputs:
            output.texts()

    def write(self, chunk: Chunk, outputs: list[OutputColumn], errors: list[str], failed: Sequence[int] | None = None) -> None:
        if not chunk.length:
            return
        cells = [_csv_quote(_as_text(c)) for c in chunk.columns]
        cells += [o.texts() if o.kind in (NUMBER, BOOLEAN) else _csv_quote(o.texts()) for o in outputs]
        # the error column (mostly empty) is built with each row's line end: the joined rows are the text
        rows = _failed(errors, failed)
        end = sparse_strings(chunk.length, rows, [_quoted(errors[r]) for r in rows], suffix="\r\n")
        self.handle.write(_rows_bytes([*cells, end], ","))


# ------------------------------------------------------------------ JSON Lines


def _json_scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return cell_text(value) if value == value and abs(value) != float("inf") else "null"
    if isinstance(value, Decimal):
        return decimal_cell(value) if value.is_finite() else "null"
    if isinstance(value, (datetime, date, time)):
        return json.dumps(value.isoformat())
    return to_json(value, indent=None)


def _json_strings(column: pa.Array) -> pa.Array:
    """JSON string literals of a text column ("null" for null), escaping only the cells that need it."""
    column = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    needs = pc.match_substring_regex(column, r'["\\\x00-\x1f\x7f\x{2028}\x{2029}]')
    quote = scalar('"')
    plain = pc.binary_join_element_wise(quote, column, quote, scalar(""))
    if pc.any(needs).as_py():
        rows = np.flatnonzero(filled(needs, False))
        escaped = [json.dumps(v, ensure_ascii=False) for v in column.take(array_of(rows)).to_pylist()]
        mask = np.zeros(len(column), dtype=bool)
        mask[rows] = True
        plain = pc.replace_with_mask(plain, array_of(mask), strings(escaped))
    return plain.fill_null(scalar("null"))


def _json_column(column: Column) -> pa.Array:
    if isinstance(column, list):
        return strings([_json_scalar(v) for v in column])
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _json_strings(column)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        return column.cast(pa.string()).fill_null(scalar("null"))
    return strings([_json_scalar(v) for v in column.to_pylist()])


_JSON_NUMBER = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$"


def _typed_text(column: pa.Array, kind: str) -> pa.Array:
    """A text column read as a number or boolean input: cells already in JSON's own syntax become JSON values."""
    if kind == NUMBER:
        plain = pc.match_substring_regex(column, _JSON_NUMBER)
    else:
        plain = pc.is_in(column, strings(["true", "false"]))
    return pc.if_else(plain, column, _json_strings(column))


class JsonlWriter(Writer):
    """One JSON object per line; numbers as exact JSON numbers, absent as null.

    A text cell (from CSV) of a number or boolean input that is already written as JSON
    writes it (96.5, true) is written as that JSON value, so the file reads back under the
    strict JSON policy; every other text cell stays a string, as read.
    """

    def __init__(self, handle: BinaryIO, header: Sequence[str], inputs: int, kinds: Sequence[str], scales: Sequence[int]):
        super().__init__(handle, header, inputs, kinds, scales)
        self._keys = [json.dumps(k, ensure_ascii=False) + ": " for k in self.header]
        self.typed_inputs: dict[int, str] = {}  # column index -> NUMBER / BOOLEAN, for input columns read as such

    def prepare(self, outputs: list[OutputColumn]) -> None:
        for output in outputs:
            output.texts()

    def write(self, chunk: Chunk, outputs: list[OutputColumn], errors: list[str], failed: Sequence[int] | None = None) -> None:
        if not chunk.length:
            return
        empty, null = scalar(""), scalar("null")
        values = []
        for index, column in enumerate(chunk.columns):
            kind = self.typed_inputs.get(index)
            if kind is not None and isinstance(column, pa.Array) and pa.types.is_string(column.type):
                values.append(_typed_text(column.fill_null(empty), kind))
            else:
                values.append(_json_column(column))
        for output in outputs:
            texts = output.texts()
            if output.kind in (NUMBER, BOOLEAN):
                values.append(pc.if_else(pc.equal(texts, empty), null, texts))  # decimal text is a JSON number
            else:
                values.append(_json_strings(pc.if_else(pc.equal(texts, empty), scalar(None, pa.string()), texts)))
        rows = _failed(errors, failed)
        values.append(_json_strings(sparse_strings(chunk.length, rows, [errors[r] for r in rows], null=True)))
        cells = [pc.binary_join_element_wise(scalar(key), value, empty) for key, value in zip(self._keys, values, strict=True)]
        cells[0] = pc.binary_join_element_wise(scalar("{"), cells[0], empty)
        cells[-1] = pc.binary_join_element_wise(cells[-1], scalar("}\n"), empty)
        self.handle.write(_rows_bytes(cells, ", "))


# ------------------------------------------------------------------ Parquet


def _arrow_input(column: Column) -> pa.Array:
    if isinstance(column, list):
        return strings([None if v is None else cell_text(v) for v in column])
    return column


class ParquetWriter(Writer):
    """Parquet (zstd): input columns keep their types (text from CSV), decimals as decimal128(38, scale)."""

    def __init__(self, handle: BinaryIO, header: Sequence[str], inputs: int, kinds: Sequence[str], scales: Sequence[int]):
        super().__init__(handle, header, inputs, kinds, scales)
        self._writer: Any = None
        self._schema: pa.Schema | None = None
        self._output_types = [_output_type(kind, scale) for kind, scale in zip(self.kinds, self.scales, strict=True)]

    def prepare(self, outputs: list[OutputColumn]) -> None:
        for output, kind in zip(outputs, self._output_types, strict=True):
            output.arrow(kind)

    def write(self, chunk: Chunk, outputs: list[OutputColumn], errors: list[str], failed: Sequence[int] | None = None) -> None:
        arrays = [_arrow_input(c) for c in chunk.columns]
        arrays += [o.arrow(kind) for o, kind in zip(outputs, self._output_types, strict=True)]
        rows = _failed(errors, failed)
        arrays.append(sparse_strings(chunk.length, rows, [errors[r] for r in rows], null=True))
        if self._writer is None:
            self._schema = pa.schema([pa.field(name, a.type) for name, a in zip(self.header, arrays, strict=True)])
            self._writer = _parquet(self.handle, self._schema)
        else:
            arrays = [a.cast(f.type) if a.type != f.type else a for a, f in zip(arrays, self._schema, strict=True)]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def close(self) -> None:
        if self._writer is None:  # no rows: still a valid file with the header's columns
            fields = [pa.field(n, pa.string()) for n in self.header[: self.inputs]]
            fields += [pa.field(n, t) for n, t in zip(self.header[self.inputs : -1], self._output_types, strict=True)]
            fields.append(pa.field(self.header[-1], pa.string()))
            self._writer = _parquet(self.handle, pa.schema(fields))
        self._writer.close()
        super().close()


def _parquet(handle: BinaryIO, schema: pa.Schema) -> Any:
    """zstd; dictionary pages only for text (labels repeat; scores and ids rarely do, and cost time there)."""
    import pyarrow.parquet as pq

    text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    return pq.ParquetWriter(handle, schema, compression="zstd", use_dictionary=text or False)


def _output_type(kind: str, scale: int) -> pa.DataType:
    if kind == NUMBER:
        return pa.decimal128(38, scale)
    if kind == BOOLEAN:
        return pa.bool_()
    return pa.string()


# ------------------------------------------------------------------ XLSX


class XlsxWriter(Writer):
    """One worksheet, written row by row in constant memory; numbers as numbers, booleans as booleans."""

    def __init__(self, handle: BinaryIO, header: Sequence[str], inputs: int, kinds: Sequence[str], scales: Sequence[int]):
        super().__init__(handle, header, inputs, kinds, scales)
        import xlsxwriter

        self._book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False,
                                                   "strings_to_formulas": False, "strings_to_urls": False})  # fmt: skip
        self._book.set_properties({"created": FIXED_TIME})
        self._sheet = self._book.add_worksheet()
        self._row = 0
        self._put([*self.header])

    def _put(self, cells: list[Any]) -> None:
        if self._row >= EXCEL_ROWS:
            raise WriteProblem("B_XLSX_ROWS", rows=EXCEL_ROWS - 1)
        sheet, row = self._sheet, self._row
        for column, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row, column, value)
            elif isinstance(value, Decimal):
                # a spreadsheet holds binary floats: a decimal it cannot hold exactly stays text
                as_float = float(value)
                if Decimal(repr(as_float)) == value:
                    sheet.write_number(row, column, as_float)
                else:
                    sheet.write_string(row, column, decimal_cell(value))
            elif isinstance(value, (datetime, date)):
                sheet.write_string(row, column, value.isoformat())
            elif isinstance(value, (list, dict)):
                sheet.write_string(row, column, to_json(value, indent=None))
            else:
                sheet.write_string(row, column, str(value))
        self._row += 1

    def write(self, chunk: Chunk, outputs: list[OutputColumn], errors: list[str], failed: Sequence[int] | None = None) -> None:
        inputs = [c.to_pylist() if isinstance(c, pa.Array) else c for c in chunk.columns]
        values = [o.python() for o in outputs]
        for index in range(chunk.length):
            cells = [column[index] for column in inputs]
            cells += [column[index] for column in values]
            cells.append(errors[index] or None)
            self._put(cells)

    def close(self) -> None:
        self._book.close()
        super().close()


WRITERS: dict[str, type[Writer]] = {"csv": CsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter, "xlsx": XlsxWriter}


def open_writer(handle: BinaryIO, kind: str, header: Sequence[str], inputs: int, kinds: Sequence[str],
                scales: Sequence[int] = ()) -> Writer:  # fmt: skip
    scales = list(scales) or [0] * len(kinds)
    return WRITERS[kind](handle, header, inputs, kinds, scales)


__all__ = ["FIXED_TIME", "WRITERS", "CsvWriter", "JsonlWriter", "ParquetWriter", "WriteProblem", "Writer", "XlsxWriter",
           "open_writer", "LABEL"]  # fmt: skip
