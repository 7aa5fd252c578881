"""Reading CSV in blocks: Arrow parses the clean blocks, Python's csv module the rest.

The file is read in blocks of about `BLOCK` bytes, each cut after a line end outside any
quoted cell (an even number of quote characters before it). A block goes to Arrow's C++
parser when nothing in it needs care; otherwise — a row with the wrong number of cells,
bytes that are not UTF-8, a carriage return that is not part of a line end, a byte-order
mark, a quote that cannot be paired — the same block is read again line by line, so every
row keeps its place and every problem its physical line number. Both parsers read quoting
the same way (RFC 4180, lenient): tests/test_tabular*.py checks that they agree.

Decisions, each a defect once (issue 12):
- a line holding only spaces, tabs or NUL bytes is a blank line, not a row;
- a carriage return alone inside a line is part of the cell (only LF or CR LF end a line,
  unless the file uses CR alone throughout, as old Mac exports do);
- a byte-order mark at the start of a line (two files joined) is dropped;
- a quote that opens a cell and is never closed — by the end of the file, or of a block
  that could not be cut outside quotes — makes its own line a broken row; reading goes on
  at the next line, so the rest of the file is not swallowed into one cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as arrow_csv
from kinerja.diagnostics.messages import Term
from kinerja.io.chunk import Chunk, Problem, rechunk

BLOCK = 8 << 20  # bytes per block: big enough for Arrow to be fast, small enough to bound memory
PARSE_BLOCK = 1 << 20  # bytes Arrow parses as one piece: a block is parsed in pieces, in parallel (faster than one piece)
LOOKBACK_LINES = 2_000  # how far back a block end is searched for a cut outside quotes
BLANK = " \t\x00\ufeff"  # a line of only these is a blank line
_CR = "\ud800"  # stands for a lone carriage return while Python's csv reads a line (never a decoded byte)
_BOM = b"\xef\xbb\xbf"

# csv refuses fields over 128 KiB by default; a long note in a cell is not a broken row.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class EncodingProblem(ValueError):
    """An --encoding the codec registry does not know."""


def _clean(text: str) -> str:
    """Undecodable bytes (kept by surrogateescape) shown as U+FFFD, so every writer can write the cell."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _decodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_utf8(name: str) -> bool:
    return codecs.lookup(name).name in ("utf-8", "utf-8-sig")


def utf8_pieces(raw: BinaryIO, encoding: str | None, size: int = BLOCK) -> Iterator[bytes]:
    """The file's bytes as UTF-8, in pieces; a leading byte-order mark says the encoding when none is given.

    Bytes the encoding cannot decode come through unchanged (surrogateescape), so the
    reader flags their rows as it flags bytes that are not UTF-8.
    """
    head = raw.read(4)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise EncodingProblem(encoding) from None
    if encoding is None or _is_utf8(encoding):
        if head.startswith(_BOM):
            head = head[3:]
        elif encoding is None and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            encoding = "utf-16"
        if encoding is None or _is_utf8(encoding):
            first = head + raw.read(size)
            while first:
                yield first
                first = raw.read(size)
            return
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    data = head
    while True:
        more = raw.read(size)
        text = decoder.decode(data + more if data else more, final=not more)
        data = b""
        if text:
            if text.startswith("\ufeff"):
                text = text[1:]
            yield text.encode("utf-8", "surrogateescape")
        if not more:
            return


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether a record's text ends inside a quoted cell, reading quotes as Python's csv does."""
    inside = False
    skip = -1
    for match in re.finditer(r'"', text):
        at = match.start()
        if at == skip:
            continue
        if inside:
            if text.startswith('"', at + 1):
                skip = at + 1  # "" inside quotes: one quote character
            else:
                inside = False
        elif at == 0 or text[at - 1] in (delimiter, "\n"):
            inside = True  # a quote opens a cell only at the start of the cell
    return inside


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


def _delimiter(line: str) -> str:
    """Indonesian spreadsheets often save with `;`, some tools with tabs; the header line tells which."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


class CsvReader:
    """The rows of one CSV source, in chunks; see the module docstring."""

    def __init__(self, raw: BinaryIO, encoding: str | None = None):
        self._raw = raw
        self._pieces = utf8_pieces(raw, encoding)
        self._buffer = b""
        self._eof = False
        self._cr_only = False
        self.header: list[str] = []
        self.delimiter = ","
        self.line = 0  # the last physical line consumed
        self.rows = 0  # data rows yielded so far
        self.bytes_read = 0
        self._read_header()
        width = len(self.header)
        self._names = [f"c{i}" for i in range(width)]
        self._convert = arrow_csv.ConvertOptions(
            column_types={n: pa.string() for n in self._names}, strings_can_be_null=False, quoted_strings_can_be_null=False
        )
        # a block without quotes cannot hold a line end inside a cell: Arrow then splits lines much faster
        self._parse = {quoted: arrow_csv.ParseOptions(delimiter=self.delimiter, newlines_in_values=quoted,
                                                      ignore_empty_lines=True, invalid_row_handler=self._invalid)
                       for quoted in (False, True)}  # fmt: skip
        self._invalid_rows = 0

    # ------------------------------------------------------------------ bytes
    def _more(self) -> bool:
        piece = next(self._pieces, None)
        if piece is None:
            self._eof = True
            return False
        self.bytes_read += len(piece)
        if not self._buffer and not self.line and not self.rows and b"\n" not in piece and b"\r" in piece:
            self._cr_only = True  # a file whose lines end in CR alone
        if self._cr_only:
            piece = piece.replace(b"\r", b"\n")
        self._buffer += piece
        return True

    def _read_header(self) -> None:
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                if self._more():
                    continue
                end = len(self._buffer)
            line = self._buffer[:end]
            self._buffer = self._buffer[end + 1 :]
            if end == len(line) and not line and self._eof:
                return  # an empty file: no header
            self.line += 1
            text = _clean(line.decode("utf-8", "surrogateescape")).rstrip("\r")
            if text.strip(BLANK):
                self.delimiter = _delimiter(text)
                cells = next(csv.reader([text], delimiter=self.delimiter), [])
                self.header = [cell.strip(BLANK) for cell in cells]
                return

    def _cut(self) -> tuple[int, bool]:
        """Where the buffer can end a block, and whether the block needs the careful reader."""
        buffer = self._buffer
        end = buffer.rfind(b"\n")
        if end < 0:
            return -1, True
        first_end = end
        odd = buffer.count(b'"', 0, end) % 2
        tries = 0
        while odd and tries < LOOKBACK_LINES:
            before = buffer.rfind(b"\n", 0, end)
            if before < 0:
                break
            odd ^= buffer.count(b'"', before, end) % 2
            end = before
            tries += 1
        if odd:
            return first_end + 1, True  # no cut outside quotes: the careful reader pairs the quotes itself
        return end + 1, False

    def blocks(self) -> Iterator[Chunk]:
        """Chunks of whatever size the blocks give."""
        if not self.header:
            return
        while True:
            while not self._eof and len(self._buffer) < BLOCK:
                self._more()
            if self._eof:
                if self._buffer:
                    block = self._buffer if self._buffer.endswith(b"\n") else self._buffer + b"\n"
                    self._buffer = b""
                    yield self._read_block(block, careful=block.count(b'"') % 2 == 1)
                return
            cut, careful = self._cut()
            if cut < 0:  # one line longer than a block: read on until it ends
                self._more()
                continue
            block, self._buffer = self._buffer[:cut], self._buffer[cut:]
            yield self._read_block(block, careful)

    def chunks(self, size: int) -> Iterator[Chunk]:
        return rechunk(self.blocks(), size)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ one block
    def _read_block(self, block: bytes, careful: bool) -> Chunk:
        first_line = self.line + 1
        start = self.rows + 1
        chunk = None
        if not careful and self._simple(block):
            chunk = self._fast(block, start)
        if chunk is None:
            chunk = self._careful(block, start, first_line)
        self.line += block.count(b"\n")
        self.rows += chunk.length
        return chunk

    def _simple(self, block: bytes) -> bool:
        if len(self.header) < 2 or _BOM in block:
            return False
        carriage = block.count(b"\r")
        return not carriage or carriage == block.count(b"\r\n")

    def _invalid(self, row: Any) -> str:
        self._invalid_rows += 1
        return "skip"

    def _fast(self, block: bytes, start: int) -> Chunk | None:
        self._invalid_rows = 0
        try:
            table = arrow_csv.read_csv(
                pa.py_buffer(block),
                read_options=arrow_csv.ReadOptions(column_names=self._names, block_size=PARSE_BLOCK),
                parse_options=self._parse[b'"' in block], convert_options=self._convert,
            )  # fmt: skip
        except (pa.ArrowInvalid, pa.ArrowException):
            return None  # bytes that are not UTF-8, most often: the careful reader finds the rows
        if self._invalid_rows:
            return None
        columns = [table.column(i).combine_chunks() for i in range(table.num_columns)]
        return Chunk(start, columns, table.num_rows)  # type: ignore[arg-type]

    def _careful(self, block: bytes, start: int, first_line: int) -> Chunk:
        text = block.decode("utf-8", "surrogateescape")
        if "\ufeff" in text:
            text = re.sub("(^|\n)\ufeff+", r"\1", text)
        lone_cr = "\r" in text and text.count("\r") != text.count("\r\n")
        if lone_cr:
            text = re.sub("\r(?!\n)", _CR, text)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lines = [line + "\n" for line in lines]
        width = len(self.header)
        rows: list[list[str]] = []
        broken: dict[int, Problem] = {}
        at = 0  # index of the next line to read
        while at < len(lines):
            reader = csv.reader(iter(lines[at:]), delimiter=self.delimiter)
            restart = None
            while True:
                before = reader.line_num
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    broken[len(rows)] = ("B_ROW_CSV", {"line": first_line + at + reader.line_num - 1, "problem": _csv_problem(error)})
                    rows.append([""] * width)
                    continue
                line = first_line + at + before  # the record's first line
                if at + reader.line_num == len(lines) and '"' in lines[at + before]:
                    raw = "".join(lines[at + before : at + reader.line_num])
                    if _ends_inside_quotes(raw, self.delimiter):
                        # a quote never closed: its own line is the broken row, reading goes on after it
                        cells = next(csv.reader([lines[at + before].replace('"', "")], delimiter=self.delimiter), [])
                        broken[len(rows)] = ("B_ROW_QUOTE", {"line": line})
                        rows.append(self._fit(cells, width))
                        restart = at + before + 1
                        break
                if lone_cr:
                    row = [c.replace(_CR, "\r") for c in row]
                if len(row) != width:
                    if not row or (len(row) == 1 and not row[0].strip(BLANK)):
                        continue  # a blank line holds no row
                    broken[len(rows)] = ("B_ROW_CELLS", {"line": line, "found": len(row), "expected": width})
                    row = self._fit(row, width)
                if not _decodable("".join(row)):
                    broken.setdefault(len(rows), ("B_ROW_DECODE", {"line": line}))
                    row = [_clean(c) for c in row]
                rows.append(row)
            if restart is None:
                break
            at = restart
        columns = [pa.array([row[i] for row in rows], pa.string()) for i in range(width)]
        return Chunk(start, columns, len(rows), broken)  # type: ignore[arg-type]

    @staticmethod
    def _fit(cells: list[str], width: int) -> list[str]:
        cells = [_clean(c.replace(_CR, "\r")) for c in cells]
        return (cells + [""] * width)[:width]


def read_header_only(data: bytes, encoding: str | None = None) -> list[str]:
    """The header of CSV bytes (for tools that only need the column names)."""
    return CsvReader(io.BytesIO(data), encoding).header


__all__ = ["BLOCK", "CsvReader", "EncodingProblem", "read_header_only", "utf8_pieces"]
