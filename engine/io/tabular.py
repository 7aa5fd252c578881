"""Row-wise reading and writing of CSV, JSONL and XLSX tables, in bounded memory.

A table is read as a header (the column names, in order) and then chunks of
rows, each row a list of cells aligned to the header. A row that cannot be
read as the header promises (a wrong number of cells, bytes that are not
UTF-8, a line that is not a JSON object) is kept, with its problem, so the
caller can report it at its place: rows are never dropped.

Cells keep the type they were read with (text from CSV; JSON values read with
exact Decimals from JSONL; what openpyxl gives from XLSX); `cell_text` turns
any of them into the text the validator reads, never through a binary float's
long form (0.1 stays "0.1").
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from kinerja.diagnostics.messages import Phrase, Term
from kinerja.io.records import os_reason
from kinerja.semantics.values import parse_json, to_json

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}
BUFFER = 1 << 20  # large buffered I/O: the batch reads and writes millions of short lines

# csv refuses fields over 128 KiB by default; a long note in a cell is not a broken row.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class TableError(ValueError):
    """A table that cannot be opened or written: an unknown extension, a corrupt file."""

    def __init__(self, code: str, **args: Any):
        self.code = code
        self.args_ = args
        super().__init__(f"{code}: {args}")


def format_of(path: str | Path) -> str:
    """csv, jsonl or xlsx, by the file's extension."""
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise TableError("B_USAGE_EXT", path=str(path))
    return found


@dataclass
class Chunk:
    """Consecutive rows of a table; `broken` maps a row's index in `rows` to (message code, arguments)."""

    start: int  # the 1-based number of the first data row
    rows: list[list[Any]]
    broken: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)


def cell_text(value: Any) -> str:
    """A cell as the text the validator reads: '' for an empty cell."""
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
        return format(value, "f")
    if kind is float:
        # a spreadsheet number: its shortest decimal text, as the single-record path reads floats
        return format(Decimal(repr(value)), "f") if value == value and value not in (float("inf"), float("-inf")) else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return to_json(value, indent=None)
    return str(value)


def _clean(text: str) -> str:
    """Undecodable bytes (kept by surrogateescape) shown as U+FFFD, so every writer can write the cell."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _decodable(row: list[str]) -> bool:
    joined = "".join(row)
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Table:
    """An open table: `header`, then `chunks(size)` once; use as a context manager."""

    header: list[str]
    format: str
    path: str

    def chunks(self, size: int) -> Iterator[Chunk]:
        raise NotImplementedError

    def position(self) -> float | None:
        """How far through the file reading is, 0..1, when known (for a progress bar)."""
        return None

    def close(self) -> None:
        pass

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: str):
        self.path = path
        self._raw = open(path, "rb", buffering=BUFFER)  # noqa: SIM115 - closed by close()
        self._size = max(Path(path).stat().st_size, 1)
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        first = self._text.readline()
        # Indonesian spreadsheets often save with `;`; the header line tells which
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        self.header = [_clean(h).strip() for h in header]
        self._reader = csv.reader(self._text, delimiter=delimiter)
        self._line = 1

    def position(self) -> float | None:
        return min(self._raw.tell() / self._size, 1.0)

    def chunks(self, size: int) -> Iterator[Chunk]:
        width = len(self.header)
        reader = self._reader
        number = 1
        rows: list[list[Any]] = []
        broken: dict[int, tuple[str, dict[str, Any]]] = {}
        while True:
            # a plain for loop is the fast path; a csv.Error ends it, is recorded as a row, and reading resumes
            try:
                for row in reader:
                    if len(row) != width:
                        if not row:
                            continue  # a blank line holds no row
                        line = reader.line_num + 1  # the header line was read outside the reader
                        broken[len(rows)] = ("B_ROW_CELLS", {"line": line, "found": len(row), "expected": width})
                        row = (row + [""] * width)[:width]
                    rows.append(row)
                    if len(rows) >= size:
                        yield self._finish(number, rows, broken)
                        number += len(rows)
                        rows, broken = [], {}
                break
            except csv.Error as error:
                broken[len(rows)] = ("B_ROW_CSV", {"line": reader.line_num + 1, "problem": _csv_problem(error)})
                rows.append([""] * width)
                if len(rows) >= size:
                    yield self._finish(number, rows, broken)
                    number += len(rows)
                    rows, broken = [], {}
        if rows:
            yield self._finish(number, rows, broken)

    def _finish(self, number: int, rows: list[list[Any]], broken: dict[int, tuple[str, dict[str, Any]]]) -> Chunk:
        """Rows holding undecodable bytes become broken rows; one test per chunk in the common clean case."""
        if not _decodable(list(map("".join, rows))):
            first = number + 1  # the file line of the chunk's first row, when no row spans lines
            for index, row in enumerate(rows):
                if not _decodable(row):
                    broken.setdefault(index, ("B_ROW_DECODE", {"line": first + index}))
                    rows[index] = [_clean(c) for c in row]
        return Chunk(number, rows, broken)

    def close(self) -> None:
        self._text.close()


class JsonlTable(Table):
    """JSON Lines: the header is every key in order of first appearance (one pass over the keys first)."""

    format = "jsonl"

    def __init__(self, path: str):
        self.path = path
        self._size = max(Path(path).stat().st_size, 1)
        seen: dict[str, None] = {}
        with open(path, encoding="utf-8-sig", errors="surrogateescape", buffering=BUFFER) as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    for key in value:
                        if key not in seen:
                            seen[key] = None
        self.header = list(seen)
        self._handle = open(path, encoding="utf-8-sig", errors="surrogateescape", buffering=BUFFER)  # noqa: SIM115
        self._read = 0

    def position(self) -> float | None:
        return min(self._read / self._size, 1.0)

    def chunks(self, size: int) -> Iterator[Chunk]:
        header = self.header
        number = 1
        rows: list[list[Any]] = []
        broken: dict[int, tuple[str, dict[str, Any]]] = {}
        for line_number, line in enumerate(self._handle, start=1):
            self._read += len(line)
            if not line.strip():
                continue
            problem: Phrase | Term | None = None
            try:
                value = parse_json(_clean(line))
            except json.JSONDecodeError as error:
                problem, value = Phrase.of("W_JSON_BROKEN_AT", column=error.pos + 1), None
            except ValueError:
                problem, value = Term("W_JSON_BROKEN"), None
            if problem is None and not isinstance(value, dict):
                problem = Term(_JSON_KINDS.get(type(value), "W_JSON_BROKEN"))
            if problem is not None:
                broken[len(rows)] = ("B_ROW_JSON", {"line": line_number, "problem": problem})
                rows.append([None] * len(header))
            else:
                rows.append([value.get(k) for k in header])  # type: ignore[union-attr]
            if len(rows) >= size:
                yield Chunk(number, rows, broken)
                number += len(rows)
                rows, broken = [], {}
        if rows:
            yield Chunk(number, rows, broken)

    def close(self) -> None:
        self._handle.close()


class XlsxTable(Table):
    """The first sheet of a workbook, read row by row (openpyxl read-only mode)."""

    format = "xlsx"

    def __init__(self, path: str):
        import openpyxl  # only XLSX needs it: CSV batches do not pay its import

        self.path = path
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises zipfile, KeyError and its own errors for a corrupt file
            raise TableError("B_READ", path=path, problem=Term("W_NOT_XLSX")) from None
        sheet = self._book.worksheets[0]
        self._rows = sheet.iter_rows(values_only=True)
        self._line = 0
        header: list[Any] = []
        for row in self._rows:
            self._line += 1
            if any(v is not None and v != "" for v in row):
                header = list(row)
                break
        while header and (header[-1] is None or header[-1] == ""):
            header.pop()
        self.header = [cell_text(h).strip() for h in header]

    def chunks(self, size: int) -> Iterator[Chunk]:
        width = len(self.header)
        number = 1
        rows: list[list[Any]] = []
        broken: dict[int, tuple[str, dict[str, Any]]] = {}
        for raw in self._rows:
            self._line += 1
            if all(v is None or v == "" for v in raw):
                continue  # read-only sheets report formatted but empty rows
            row = list(raw)
            if len(row) > width and any(v is not None and v != "" for v in row[width:]):
                found = max(i for i, v in enumerate(row) if v is not None and v != "") + 1
                broken[len(rows)] = ("B_ROW_CELLS", {"line": self._line, "found": found, "expected": width})
            row = (row + [None] * width)[:width]
            rows.append(row)
            if len(rows) >= size:
                yield Chunk(number, rows, broken)
                number += len(rows)
                rows, broken = [], {}
        if rows:
            yield Chunk(number, rows, broken)

    def close(self) -> None:
        self._book.close()


# What a JSONL line holds when it is not an object, in catalogue words.
_JSON_KINDS = {list: "W_JSON_ARRAY", str: "W_JSON_STRING", Decimal: "W_JSON_NUMBER", bool: "W_JSON_BOOLEAN",
               type(None): "W_JSON_NULL"}  # fmt: skip


def _csv_problem(error: csv.Error) -> Term | str:
    """Why Python's csv reader gave up on a row; its own (English) words only for what is too rare to name."""
    text = str(error)
    if "NUL" in text:
        return Term("W_CSV_NUL")
    if "field larger than field limit" in text:
        return Term("W_CSV_FIELD_TOO_LARGE")
    if "new-line character seen in unquoted field" in text:
        return Term("W_CSV_NEWLINE")
    return text


def open_table(path: str | Path) -> Table:
    kind = format_of(path)
    try:
        if kind == "csv":
            return CsvTable(str(path))
        if kind == "jsonl":
            return JsonlTable(str(path))
    except OSError as error:
        raise TableError("B_READ", path=str(path), problem=os_reason(error)) from None
    return XlsxTable(str(path))


def read_rows(source: str | Path | Table) -> Iterator[dict[str, Any]]:
    """Every row as {column: cell}, broken rows included (as read): for `kinerja impact` populations.

    Given a path the file is opened on the first row; given a table already opened, it is read and closed.
    """
    with source if isinstance(source, Table) else open_table(source) as table:
        header = table.header
        for chunk in table.chunks(10_000):
            for row in chunk.rows:
                yield dict(zip(header, row, strict=True))


# ---------------------------------------------------------------- writing

NUMBER, BOOLEAN, LABEL, OTHER = "number", "boolean", "label", "other"


class Writer:
    """Writes a header and rows: input cells as read, then output texts ('' = absent), then the error."""

    def __init__(self, path: str, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        self.path = path
        self.inputs = inputs  # how many leading columns are input cells
        self.kinds = list(kinds)  # the type of each output column (before the error column)

    def write(self, rows: list[list[Any]], outputs: list[list[str]], errors: list[str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class CsvWriter(Writer):
    def __init__(self, path: str, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        super().__init__(path, header, inputs, kinds)
        self._handle = open(path, "w", encoding="utf-8", newline="", buffering=BUFFER)  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(header)

    def write(self, rows: list[list[Any]], outputs: list[list[str]], errors: list[str]) -> None:
        if rows and not all(type(c) is str for c in rows[0]):
            rows = [[cell_text(c) for c in row] for row in rows]
        self._writer.writerows(map(list.__add__, rows, map(list, zip(*outputs, errors, strict=True))))

    def close(self) -> None:
        self._handle.close()

    def abort(self) -> None:
        self._handle.close()


def _json_cell(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return cell_text(value) if value == value and abs(value) != float("inf") else "null"
    if isinstance(value, (datetime, date, time)):
        return json.dumps(value.isoformat())
    return to_json(value, indent=None)


class JsonlWriter(Writer):
    def __init__(self, path: str, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        super().__init__(path, header, inputs, kinds)
        self._keys = [json.dumps(k, ensure_ascii=False) + ": " for k in header]
        self._handle = open(path, "w", encoding="utf-8", buffering=BUFFER)  # noqa: SIM115

    def _output(self, kind: str, text: str) -> str:
        if text == "":
            return "null"
        if kind in (NUMBER, BOOLEAN):
            return text  # decimal text and true/false are JSON as they stand: exact, never a float
        return json.dumps(text, ensure_ascii=False)

    def write(self, rows: list[list[Any]], outputs: list[list[str]], errors: list[str]) -> None:
        keys, kinds, lines = self._keys, self.kinds, []
        for index, row in enumerate(rows):
            cells = [_json_cell(c) for c in row]
            cells += [self._output(kind, column[index]) for kind, column in zip(kinds, outputs, strict=True)]
            cells.append(json.dumps(errors[index], ensure_ascii=False) if errors[index] else "null")
            lines.append("{" + ", ".join(k + v for k, v in zip(keys, cells, strict=True)) + "}\n")
        self._handle.writelines(lines)

    def close(self) -> None:
        self._handle.close()

    def abort(self) -> None:
        self._handle.close()


class XlsxWriter(Writer):
    """openpyxl write-only mode: rows go to a temporary file on disk, not to memory."""

    def __init__(self, path: str, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        super().__init__(path, header, inputs, kinds)
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._illegal = ILLEGAL_CHARACTERS_RE
        self._book = openpyxl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet()
        self._sheet.append([self._safe(h) for h in header])

    def _safe(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._illegal.sub("\ufffd", value)
        if isinstance(value, (list, dict)):
            return to_json(value, indent=None)
        return value

    def _output(self, kind: str, text: str) -> Any:
        if text == "":
            return None
        if kind == NUMBER:
            return Decimal(text)  # openpyxl writes a Decimal's own digits into the sheet XML
        if kind == BOOLEAN:
            return text == "true"
        return self._safe(text)

    def write(self, rows: list[list[Any]], outputs: list[list[str]], errors: list[str]) -> None:
        kinds = self.kinds
        for index, row in enumerate(rows):
            cells = [self._safe(c) for c in row]
            cells += [self._output(kind, column[index]) for kind, column in zip(kinds, outputs, strict=True)]
            cells.append(self._safe(errors[index]) if errors[index] else None)
            self._sheet.append(cells)

    def close(self) -> None:
        self._book.save(self.path)


def open_writer(path: str, kind: str, header: Sequence[str], inputs: int, kinds: Sequence[str]) -> Writer:
    if kind == "csv":
        return CsvWriter(path, header, inputs, kinds)
    if kind == "jsonl":
        return JsonlWriter(path, header, inputs, kinds)
    return XlsxWriter(path, header, inputs, kinds)


__all__ = ["Chunk", "Table", "TableError", "Writer", "cell_text", "format_of", "open_table", "open_writer", "read_rows"]
