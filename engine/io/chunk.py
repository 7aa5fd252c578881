"""The unit every reader yields and every writer takes: consecutive rows of a table, column by column.

A column is either an Arrow array (CSV cells as text, Parquet columns as typed) or, where one
column may hold values of several kinds (JSON Lines, spreadsheets), a Python list. A row the
reader could not read as the header promises is kept in place, empty or padded, with its
problem in `broken`: rows are never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Union

import pyarrow as pa
from kinerja.semantics.values import to_json

Column = Union[pa.Array, list[Any]]
Problem = tuple[str, dict[str, Any]]  # (message code, arguments)

# A decimal written out in full is as long as its exponent: 1E+999999999 would be a gigabyte of zeros.
# Beyond this many digits either side of the point, a number keeps its exponent form.
PLAIN_DIGITS = 100


@dataclass
class Chunk:
    """Rows `start` .. `start + len - 1` (1-based data row numbers) of a table."""

    start: int
    columns: list[Column]
    length: int
    broken: dict[int, Problem] = field(default_factory=dict)  # row index in the chunk -> its problem

    @property
    def rows(self) -> list[list[Any]]:
        """The rows as lists of Python values (text for CSV cells): for tools that read row by row."""
        if not self.columns:
            return [[] for _ in range(self.length)]
        values = [c.to_pylist() if isinstance(c, (pa.Array, pa.ChunkedArray)) else c for c in self.columns]
        return [list(row) for row in zip(*values, strict=True)]

    def column_values(self, index: int) -> list[Any]:
        column = self.columns[index]
        return column.to_pylist() if isinstance(column, (pa.Array, pa.ChunkedArray)) else list(column)


def decimal_cell(value: Decimal) -> str:
    """A decimal as cell text: plain digits, or its exponent form when plain digits would not fit a cell."""
    if not value.is_finite():
        return str(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and abs(exponent) + len(value.as_tuple().digits) > PLAIN_DIGITS:
        return str(value)
    return format(value, "f")


def cell_text(value: Any) -> str:
    """A cell as the text the validator reads: '' for an empty cell; never a binary float's long form."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is Decimal:
        return decimal_cell(value)
    if kind is float:
        # a spreadsheet number: its shortest decimal text, as the single-record path reads floats
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        return decimal_cell(Decimal(repr(value)))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return to_json(value, indent=None)
    return str(value)


def concat(chunks: Sequence[Chunk]) -> Chunk:
    """Consecutive chunks as one (same header)."""
    first = chunks[0]
    if len(chunks) == 1:
        return first
    columns: list[Column] = []
    for index in range(len(first.columns)):
        parts = [c.columns[index] for c in chunks]
        if all(isinstance(p, pa.Array) for p in parts) and len({p.type for p in parts}) == 1:  # type: ignore[union-attr]
            columns.append(pa.concat_arrays(parts))  # type: ignore[arg-type]
        else:
            merged: list[Any] = []
            for part in parts:
                merged += part.to_pylist() if isinstance(part, pa.Array) else part
            columns.append(merged)
    broken: dict[int, Problem] = {}
    offset = 0
    for chunk in chunks:
        broken.update({offset + i: p for i, p in chunk.broken.items()})
        offset += chunk.length
    return Chunk(first.start, columns, offset, broken)


def sliced(chunk: Chunk, begin: int, end: int) -> Chunk:
    """Rows begin..end-1 of a chunk, as a chunk of their own."""
    columns: list[Column] = [c.slice(begin, end - begin) if isinstance(c, pa.Array) else c[begin:end] for c in chunk.columns]
    broken = {i - begin: p for i, p in chunk.broken.items() if begin <= i < end}
    return Chunk(chunk.start + begin, columns, end - begin, broken)


def rechunk(chunks: Any, size: int) -> Any:
    """Chunks of exactly `size` rows (the last may be shorter) from chunks of any size, in order."""
    pending: list[Chunk] = []
    held = 0
    for chunk in chunks:
        if not chunk.length:
            continue
        pending.append(chunk)
        held += chunk.length
        while held >= size:
            whole = concat(pending)
            yield sliced(whole, 0, size)
            rest = sliced(whole, size, whole.length)
            pending = [rest] if rest.length else []
            held = rest.length
    if held:
        yield concat(pending)


__all__ = ["Chunk", "Column", "Problem", "cell_text", "concat", "decimal_cell", "rechunk", "sliced"]
