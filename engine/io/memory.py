"""Batch scoring and population reading over bytes in memory (an HTTP body), never a file on disk.

`batch_bytes(ruleset, data, "csv")` scores a whole CSV, JSONL or XLSX body
and gives the scored file back as bytes with the same columns as
`kinerja batch` (every input column as read, every output, then `error`) and
the same summary (`BatchReport`). `population_rows(data, "csv")` reads a
population for `kinerja.impact`. Neither writes anything to disk: a service
must not write outside its rules folders and its decision log.

This module adapts the file-based readers, writers and scorer of
`kinerja.io.tabular` and `kinerja.io.batch` to memory; it is the one place
outside those modules that knows their insides, so a rewrite of them changes
only this file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any

from kinerja.audit.impact import first_label_output
from kinerja.audit.population import PopulationTally
from kinerja.io import tabular
from kinerja.io.batch import ERRORS_KEPT, BatchReport, BatchUsageError, _column, _label_order, _output_kind, _Scorer
from kinerja.io.tabular import Table, TableError, cell_text
from kinerja.library.ruleset import Ruleset

FORMATS = ("csv", "jsonl", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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


# ---------------------------------------------------------------- tables in memory
class _CsvBody(tabular.CsvTable):
    def __init__(self, data: bytes):  # the file reader's opening, on a buffer
        self.path = _SOURCE
        self._raw = io.BytesIO(data)  # type: ignore[assignment]
        self._size = max(len(data), 1)
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        first = self._text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        self.header = [tabular._clean(h).strip() for h in header]
        self._reader = csv.reader(self._text, delimiter=delimiter)
        self._line = 1


class _JsonlBody(tabular.JsonlTable):
    def __init__(self, data: bytes):
        self.path = _SOURCE
        self._size = max(len(data), 1)
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        seen: dict[str, None] = {}
        for line in text.splitlines():
            try:
                value = tabular.json.loads(line) if line.strip() else None
            except ValueError:
                continue
            if isinstance(value, dict):
                seen.update(dict.fromkeys(value))
        self.header = list(seen)
        self._handle = io.StringIO(text)  # type: ignore[assignment]
        self._read = 0


def open_body(data: bytes, kind: str) -> Table:
    """A CSV, JSONL or XLSX body as a table (see `kinerja.io.tabular`)."""
    if kind == "csv":
        return _CsvBody(data)
    if kind == "jsonl":
        return _JsonlBody(data)
    if kind == "xlsx":
        return tabular.XlsxTable(io.BytesIO(data))  # type: ignore[arg-type]  # openpyxl reads a buffer as a file
    raise TableError("B_USAGE_EXT", path=f"{_SOURCE}.{kind}")


# ---------------------------------------------------------------- writers into memory
class _CsvOut(tabular.CsvWriter):
    def __init__(self, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        tabular.Writer.__init__(self, _SOURCE, header, inputs, kinds)
        self._handle = io.StringIO(newline="")  # type: ignore[assignment]
        self._writer = csv.writer(self._handle)
        self._writer.writerow(header)

    def close(self) -> None:
        pass

    def value(self) -> bytes:
        return self._handle.getvalue().encode("utf-8")  # type: ignore[attr-defined]


class _JsonlOut(tabular.JsonlWriter):
    def __init__(self, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        tabular.Writer.__init__(self, _SOURCE, header, inputs, kinds)
        self._keys = [tabular.json.dumps(k, ensure_ascii=False) + ": " for k in header]
        self._handle = io.StringIO()  # type: ignore[assignment]

    def close(self) -> None:
        pass

    def value(self) -> bytes:
        return self._handle.getvalue().encode("utf-8")  # type: ignore[attr-defined]


class _XlsxOut(tabular.XlsxWriter):
    def __init__(self, header: Sequence[str], inputs: int, kinds: Sequence[str]):
        self._buffer = io.BytesIO()
        super().__init__(_SOURCE, header, inputs, kinds)

    def close(self) -> None:
        self._book.save(self._buffer)

    def value(self) -> bytes:
        return self._buffer.getvalue()


_WRITERS: dict[str, Callable[..., Any]] = {"csv": _CsvOut, "jsonl": _JsonlOut, "xlsx": _XlsxOut}


# ---------------------------------------------------------------- scoring
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
    """Score every row of a CSV, JSONL or XLSX body; the scored table in `output_format` (default: the input's).

    Rows, columns, errors and the summary are those `kinerja.batch` gives for the same file;
    `each_chunk` sees every chunk as scored (to log each decision). Raises `BatchUsageError`
    for a bad option, a column not in the header, or a body that cannot be read.
    """
    output_format = output_format or input_format
    if input_format not in FORMATS or output_format not in FORMATS:
        raise BatchUsageError("B_USAGE_EXT", path=f"{_SOURCE}.{output_format if input_format in FORMATS else input_format}")
    column_map = dict(column_map or {})
    for name in column_map:
        if name not in ruleset.checked.inputs:
            raise BatchUsageError("B_USAGE_MAP_INPUT", item=f"{name}={column_map[name]}", name=name,
                                  ruleset=f"{ruleset.id}@{ruleset.version}", known=", ".join(ruleset.input_names))  # fmt: skip
    try:
        table = open_body(data, input_format)
    except TableError as error:
        raise BatchUsageError(error.code, **error.args_) from None
    with table:
        header = table.header
        sources: dict[str, int] = {}
        for name in ruleset.input_names:
            if name in column_map:
                sources[name] = _column(header, column_map[name], f"map {name}={column_map[name]}", _SOURCE)
            elif name in header:
                sources[name] = header.index(name)
        id_index = _column(header, id_column, "id", _SOURCE) if id_column else None
        group_index = _column(header, group_by, "group_by", _SOURCE) if group_by else None
        scorer = _Scorer(ruleset, sources, lang, table.format == "csv")
        label_output = first_label_output(ruleset)
        names = ruleset.output_names
        kinds = [_output_kind(ruleset.checked.types.get(name)) for name in names]
        tally = PopulationTally(ruleset.module, group_by, names, label_output) if group_by else None
        writer = _WRITERS[output_format]([*header, *names, "error"], len(header), kinds)
        rows = errors = 0
        counts: Counter[str] = Counter()
        first_errors: list[tuple[Any, str]] = []
        label_at = names.index(label_output) if label_output else None
        for chunk in table.chunks(chunk_size):
            outputs, problems, columns = scorer.score(chunk)
            writer.write(chunk.rows, outputs, problems)
            ok = [p == "" for p in problems]
            bad = len(ok) - sum(ok)
            ids: Sequence[Any] = range(chunk.start, chunk.start + len(chunk.rows))
            if id_index is not None:
                ids = [cell_text(row[id_index]) or number for row, number in zip(chunk.rows, ids, strict=True)]
            for index, problem in enumerate(problems):
                if problem and len(first_errors) < ERRORS_KEPT:
                    first_errors.append((ids[index], problem))
            if label_at is not None:
                counts.update(compress(outputs[label_at], ok) if bad else outputs[label_at])
            if tally is not None and group_index is not None:
                cells = map(itemgetter(group_index), chunk.rows)
                units = list(map(str.strip, cells if table.format == "csv" else map(cell_text, cells)))
                by_name = {n: outputs[names.index(n)] for n in tally.label_outputs()}
                by_class = {n: columns.get(n) or [""] * len(ok) for n in tally.class_inputs()}
                tally.add(units, ok, ids, by_name, by_class)
            if each_chunk is not None:
                each_chunk(ScoredChunk(chunk.start, header, chunk.rows, columns,
                                       dict(zip(names, outputs, strict=True)), problems,
                                       {i: code for i, (code, _) in chunk.broken.items()}))  # fmt: skip
            rows += len(ok)
            errors += bad
        writer.close()
    order = _label_order(ruleset, label_output)
    ordered = dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    report = BatchReport(ruleset.ref, _SOURCE, _SOURCE, rows, errors, label_output, ordered,
                         tally.report() if tally is not None else None, None, scorer.vectorised, tuple(first_errors))  # fmt: skip
    return ScoredBytes(writer.value(), MEDIA_TYPES[output_format], report)


def population_rows(data: bytes, kind: str) -> Iterator[dict[str, Any]]:
    """Every row of a CSV, JSONL or XLSX body as {column: cell}, for `kinerja.impact`; opened now, so a
    corrupt body raises `TableError` before any work."""
    table = open_body(data, kind)
    return tabular.read_rows(table)


__all__ = ["FORMATS", "MEDIA_TYPES", "ScoredBytes", "ScoredChunk", "batch_bytes", "open_body", "population_rows"]
