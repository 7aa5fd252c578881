"""The CSV reader: rows never lost or invented (issue 12 item 8), Arrow and the careful reader agreeing, encodings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from kinerja.io import csv_read
from kinerja.io.csv_read import CsvReader
from kinerja.io.tabular import TableError, open_table


def read(data: bytes, encoding: str | None = None, block: int | None = None) -> tuple[list[str], list[list[str]], dict[int, tuple[str, dict]]]:
    reader = CsvReader(io.BytesIO(data), encoding)
    rows: list[list[str]] = []
    broken: dict[int, tuple[str, dict]] = {}
    for chunk in reader.chunks(4):
        broken.update({len(rows) + i: p for i, p in chunk.broken.items()})
        rows += chunk.rows
    return reader.header, rows, broken


TEN = b"nip,nilai_skp,nilai_perilaku,penilaian_360\n" + b"".join(b"A%d,9%d,76,false\n" % (i, i) for i in range(10))


def with_line(number: int, line: bytes) -> bytes:
    """The ten-row file with its data line `number` (1-based) replaced."""
    lines = TEN.split(b"\n")
    lines[number] = line
    return b"\n".join(lines)


def test_an_unclosed_quote_keeps_every_row() -> None:
    _, rows, broken = read(with_line(3, b'A2,"92,76,false'))
    assert len(rows) == 10 and [r[0] for r in rows] == [f"A{i}" for i in range(10)]
    assert broken == {2: ("B_ROW_QUOTE", {"line": 4})}
    assert rows[3] == ["A3", "93", "76", "false"]


def test_an_unclosed_one_megabyte_cell_keeps_every_row() -> None:
    _, rows, broken = read(with_line(3, b'A2,"' + b"x" * 1_000_000 + b",76,false"))
    assert len(rows) == 10 and list(broken) == [2] and broken[2][0] == "B_ROW_QUOTE"
    assert rows[9] == ["A9", "99", "76", "false"]


@pytest.mark.parametrize("blank", [b"\x00\x00\x00\x00", b"   \t ", b"", b"\xef\xbb\xbf"])
def test_blank_like_lines_are_no_rows(blank: bytes) -> None:
    lines = TEN.split(b"\n")
    data = b"\n".join([*lines[:5], blank, *lines[5:]])
    _, rows, broken = read(data)
    assert len(rows) == 10 and not broken


def test_a_bare_carriage_return_inside_a_line_stays_in_its_cell() -> None:
    _, rows, broken = read(with_line(3, b"A2,9\r2,76,false"))
    assert len(rows) == 10 and not broken and rows[2] == ["A2", "9\r2", "76", "false"]
    # a file whose lines all end in CR alone (old Mac exports) is still read line by line
    _, rows, _ = read(TEN.replace(b"\n", b"\r"))
    assert len(rows) == 10 and rows[9][0] == "A9"
    # and CR LF is a line end
    _, rows, _ = read(TEN.replace(b"\n", b"\r\n"))
    assert len(rows) == 10 and rows[9] == ["A9", "99", "76", "false"]


def test_a_byte_order_mark_in_the_middle_is_dropped() -> None:
    _, rows, broken = read(with_line(5, b"\xef\xbb\xbfA4,94,76,false"))
    assert rows[4][0] == "A4" and not broken
    header, rows, _ = read(b"\xef\xbb\xbf" + TEN)
    assert header[0] == "nip" and len(rows) == 10


def test_line_numbers_count_physical_lines() -> None:
    data = b'a,b\n1,"two\nlines"\n\n3\n4,5\n'
    _, rows, broken = read(data)
    assert rows == [["1", "two\nlines"], ["3", ""], ["4", "5"]]
    assert broken == {1: ("B_ROW_CELLS", {"line": 5, "found": 1, "expected": 2})}


QUIRKS = [b'"ab"c,2', b'a"b,2', b'"a""b",2', b' "x",2', b'"x" ,2', b'"",2', b'a,"b\nc"', b'"x"y"z",2', b"a\x00b,2",
          b'"a,b",2', "é,ü".encode(), b"1,2"]  # fmt: skip


@pytest.mark.parametrize("line", QUIRKS)
def test_arrow_and_the_careful_reader_read_quoting_alike(line: bytes) -> None:
    data = b"h1,h2\n" + line + b"\n" + line + b"\n"
    reader = CsvReader(io.BytesIO(data))
    block = data.split(b"\n", 1)[1]
    fast = reader._fast(block, 1)
    careful = reader._careful(block, 1, 2)
    assert fast is not None
    assert fast.rows == careful.rows
    assert careful.rows == list(csv.reader(io.StringIO(block.decode(), newline="")))


def test_blocks_cut_outside_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small blocks: a quoted cell spanning lines is never cut, and the rows match Python's csv module."""
    monkeypatch.setattr(csv_read, "BLOCK", 64)
    lines = [b"id,note"] + [b'%d,"line one\nline two, %d"' % (i, i) if i % 3 == 0 else b"%d,plain %d" % (i, i) for i in range(200)]
    data = b"\n".join(lines) + b"\n"
    _, rows, broken = read(data)
    assert not broken
    assert rows == list(csv.reader(io.StringIO(data.decode(), newline="")))[1:]


def test_undecodable_bytes_are_flagged_and_an_encoding_reads_them(tmp_path: Path) -> None:
    data = "nip,nama\n1,José\n2,Ana\n".encode("cp1252")
    _, rows, broken = read(data)
    assert broken == {0: ("B_ROW_DECODE", {"line": 2})} and rows[0][1] == "Jos\ufffd"
    _, rows, broken = read(data, "cp1252")
    assert not broken and rows[0][1] == "José"
    _, rows, broken = read("nip,nama\n1,José\n".encode("utf-16"))
    assert rows == [["1", "José"]] and not broken  # a UTF-16 byte-order mark says the encoding
    (tmp_path / "a.csv").write_bytes(data)
    with pytest.raises(TableError) as caught:
        open_table(tmp_path / "a.csv", encoding="no-such-encoding")
    assert caught.value.code == "B_USAGE_ENCODING"


def test_semicolons_and_tabs_are_found_from_the_header() -> None:
    assert read(b"a;b\n1,5;2\n")[1] == [["1,5", "2"]]
    assert read(b"a\tb\n1\t2\n")[1] == [["1", "2"]]
