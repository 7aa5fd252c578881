"""Readers and writers of kinerja.tabular: cells as read, broken rows kept in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from kinerja.io.tabular import TableError, cell_text, format_of, open_table, read_rows


def test_cell_text_is_exact() -> None:
    assert cell_text(0.1) == "0.1" and cell_text(90.0) == "90.0" and cell_text(Decimal("90.50")) == "90.50"
    assert cell_text(True) == "true" and cell_text(None) == "" and cell_text(7) == "7"
    assert cell_text(date(2024, 1, 31)) == "2024-01-31"


def test_format_by_extension() -> None:
    assert format_of("a.CSV") == "csv" and format_of("a.ndjson") == "jsonl" and format_of("a.xlsx") == "xlsx"
    with pytest.raises(TableError):
        format_of("a.txt")


def test_csv_semicolon_blank_lines_and_broken_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a;b\n1;2\n\n3\n4;5;6\n7;8\n", encoding="utf-8")
    with open_table(path) as table:
        assert table.header == ["a", "b"]
        chunks = list(table.chunks(2))
    assert [c.start for c in chunks] == [1, 3]
    rows = [r for c in chunks for r in c.rows]
    assert rows == [["1", "2"], ["3", ""], ["4", "5"], ["7", "8"]]
    assert chunks[0].broken == {1: ("B_ROW_CELLS", {"line": 4, "found": 1, "expected": 2})}
    assert chunks[1].broken == {0: ("B_ROW_CELLS", {"line": 5, "found": 3, "expected": 2})}


def test_jsonl_header_is_union_of_keys(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1.50}\n{"b": true, "a": 2}\n[1]\n', encoding="utf-8")
    with open_table(path) as table:
        assert table.header == ["a", "b"]
        (chunk,) = table.chunks(10)
    assert chunk.rows[:2] == [[Decimal("1.50"), None], [Decimal(2), True]]
    assert chunk.broken[2][0] == "B_ROW_JSON"


def test_xlsx_reader_and_read_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nip", "nilai"])
    sheet.append(["x", 96.5])
    sheet.append([None, None])
    sheet.append(["y", 90])
    book.save(tmp_path / "a.xlsx")
    assert list(read_rows(tmp_path / "a.xlsx")) == [{"nip": "x", "nilai": 96.5}, {"nip": "y", "nilai": 90}]
