"""Batch scoring: every row of a table evaluated, one output row per input row, in order.

The input is read in chunks (bounded memory whatever its size). Each chunk is
evaluated column-wise by the vector path when `kinerja.vector` offers a plan
for the ruleset; every row the vector path does not vouch for — and every row
when there is no plan — goes through the single-record path, which also gives
an invalid row its error text (field, value, expectation). The output is
written to a temporary file beside the target and moved into place only when
the whole input has been scored, so an interrupted run leaves no half file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from operator import itemgetter, not_
from pathlib import Path
from typing import Any

from kinerja.audit.impact import first_label_output
from kinerja.audit.population import PopulationReport, PopulationTally
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import RulesetRef
from kinerja.io.tabular import (
    BOOLEAN,
    LABEL,
    NUMBER,
    OTHER,
    Chunk,
    TableError,
    cell_text,
    format_of,
    open_table,
    open_writer,
)
from kinerja.library.api import Selection, load, select
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text

ERRORS_KEPT = 20  # rows with errors shown in the summary; every one is in the output file


class BatchUsageError(ValueError):
    """The command was asked something it cannot do (a bad --map, a column not in the header…)."""

    def __init__(self, code: str, **args: Any):
        self.code = code
        self.args_ = args
        super().__init__(message(code, "en", **args))

    def render(self, lang: str | None = None) -> str:
        return message(self.code, lang, **self.args_)


class BatchReadError(BatchUsageError):
    """The input table cannot be read at all (a corrupt workbook, a missing file)."""


@dataclass(frozen=True)
class BatchReport:
    """The tally of one batch run: rows, errors, counts per label, groups, and the ruleset used."""

    ruleset: RulesetRef
    input_path: str
    output_path: str
    rows: int
    errors: int
    output: str | None  # the label output counted (predikat)
    counts: dict[str, int]  # value of `output` -> valid rows; sum(counts) + errors == rows
    groups: PopulationReport | None
    selection: Selection | None = None
    vectorised: int = 0  # rows the vector path evaluated (the rest went through the single-record path)
    first_errors: tuple[tuple[Any, str], ...] = field(default=())  # (row id, error text), the first few

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        selection = None
        if self.selection is not None and self.selection.as_of is not None:
            selection = {"ref": self.selection.ref, "as_of": self.selection.as_of.isoformat(),
                         "superseded": self.selection.superseded, "note": self.selection.note(lang)}  # fmt: skip
        return {
            "ruleset": self.ruleset.to_dict(),
            "selection": selection,
            "input": self.input_path,
            "output_file": self.output_path,
            "rows": self.rows,
            "errors": self.errors,
            "output": self.output,
            "counts": dict(self.counts),
            "vectorised": self.vectorised,
            "first_errors": [{"id": i, "error": e} for i, e in self.first_errors],
            "groups": self.groups.to_dict(lang) if self.groups is not None else None,
        }

    def render(self, lang: str | None = None) -> str:
        ref = f"{self.ruleset.id}@{self.ruleset.version}"
        lines = []
        note = self.selection.note(lang) if self.selection is not None else None
        if note:
            lines.append(note)
        lines.append(message("B_SUMMARY_TITLE", lang, ruleset=ref, fingerprint=self.ruleset.fingerprint))
        lines.append(message("B_SUMMARY_ROWS", lang, rows=self.rows, errors=self.errors, output=self.output_path))
        if self.output:
            lines.append(message("B_SUMMARY_COUNTS", lang, output=self.output))
            width = max([len(k) for k in self.counts] + [len(message("B_WORD_ERRORS", lang))])
            for label, count in self.counts.items():
                lines.append(f"  {(label or '-').ljust(width)}  {count}")
            lines.append(f"  {message('B_WORD_ERRORS', lang).ljust(width)}  {self.errors}")
        if self.first_errors:
            lines.append(message("B_SUMMARY_ERRORS", lang, count=len(self.first_errors)))
            lines += [f"  {row_id}: {text}" for row_id, text in self.first_errors]
        if self.groups is not None:
            lines += ["", self.groups.render(lang)]
        return "\n".join(lines)


def _vector_plan(ruleset: Ruleset) -> Any:
    """The vector path's plan, or None: the module is optional and may decline a ruleset."""
    try:
        from kinerja.vector import plan as vector
    except ImportError:
        return None
    plan_for = getattr(vector, "plan_for", None)
    if plan_for is None:
        return None
    try:
        return plan_for(ruleset)
    except Exception:  # the single-record path is always right, so a failing plan only costs speed
        return None


def _output_kind(found: t.Type | None) -> str:
    if isinstance(found, t.NumberT):
        return NUMBER
    if isinstance(found, t.BoolT):
        return BOOLEAN
    if isinstance(found, t.LabelT):
        return LABEL
    return OTHER


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """`input=column` pairs (from --map) as {input: column}."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise BatchUsageError("B_USAGE_MAP", item=item)
        found[name.strip()] = column.strip()
    return found


class _Scorer:
    """Evaluates chunks: the vector plan first, the single-record path for every row it declines."""

    def __init__(self, ruleset: Ruleset, sources: dict[str, int], lang: str | None, text_cells: bool):
        self.ruleset = ruleset
        self.sources = sources  # input name -> column index in the table
        self.lang = lang
        self.text_cells = text_cells  # CSV cells are already text: no per-cell conversion
        self.outputs = ruleset.output_names
        self.plan = _vector_plan(ruleset)
        self.vectorised = 0

    def columns(self, rows: list[list[Any]]) -> dict[str, list[str]]:
        if self.text_cells:
            return {name: list(map(itemgetter(index), rows)) for name, index in self.sources.items()}
        return {name: [cell_text(row[index]) for row in rows] for name, index in self.sources.items()}

    def score(self, chunk: Chunk) -> tuple[list[list[str]], list[str], dict[str, list[str]]]:
        """Output texts (one list per output, '' when absent), error texts ('' when none), input texts."""
        rows = chunk.rows
        count = len(rows)
        columns = self.columns(rows)
        ok: list[bool] = [False] * count
        outputs: list[list[str]] = [[""] * count for _ in self.outputs]
        if self.plan is not None and count:
            try:
                outcome = self.plan.evaluate_text_columns(columns, count)
                ok = outcome.ok.tolist()
                outputs = [list(outcome.outputs[name]) for name in self.outputs]
                for column in outputs:
                    if "-" in column:  # an absent output is an empty cell, not the text form's "-"
                        column[:] = ["" if v == "-" else v for v in column]
            except Exception:  # a vector-path failure must not lose the batch: every row goes the slow way
                ok = [False] * count
                outputs = [[""] * count for _ in self.outputs]
        errors = [""] * count
        broken = chunk.broken
        evaluate = self.ruleset.evaluate
        names = list(columns)
        lang = self.lang
        todo = sorted({*broken, *compress(range(count), map(not_, ok))})
        for index in todo:
            problem = broken.get(index)
            if problem is not None:
                errors[index] = message(problem[0], lang, **problem[1])
                ok[index] = False
                for column in outputs:
                    column[index] = ""
                continue
            if ok[index]:
                continue
            record = {name: columns[name][index] for name in names if columns[name][index] != ""}
            try:
                result = evaluate(record, trace=False, text_values=True)
            except KinerjaError as error:
                errors[index] = "; ".join(d.text(lang) for d in error.diagnostics)
                for column in outputs:
                    column[index] = ""
                continue
            for column, name in zip(outputs, self.outputs, strict=True):
                text = value_text(result.outputs.get(name))
                column[index] = "" if text == "-" else text
        self.vectorised += sum(ok)
        return outputs, errors, columns


def _column(header: list[str], column: str, option: str, path: str) -> int:
    if column not in header:
        raise BatchUsageError("B_USAGE_COLUMN", column=column, option=option, path=path, known=", ".join(header))
    return header.index(column)


def batch(
    ruleset: Ruleset | str | Path,
    input_path: str | Path,
    output_path: str | Path,
    *,
    id_column: str | None = None,
    column_map: Mapping[str, str] | None = None,
    group_by: str | None = None,
    chunk_size: int = 50_000,
    lang: str | None = None,
    progress: bool | Callable[[int, float | None], None] = False,
    as_of: date | None = None,
) -> BatchReport:
    """Score every row of INPUT into OUTPUT (CSV, JSONL, XLSX by extension); see the module docstring."""
    input_path, output_path = str(input_path), str(output_path)
    selection: Selection | None = None
    if not isinstance(ruleset, Ruleset):
        selection = select(ruleset, as_of=as_of)
        ruleset = load(selection.path)
    try:
        output_format = format_of(output_path)
        format_of(input_path)
    except TableError as error:
        raise BatchUsageError(error.code, **error.args_) from None
    if chunk_size < 1:
        raise BatchUsageError("B_USAGE_CHUNK")
    column_map = dict(column_map or {})
    for name in column_map:
        if name not in ruleset.checked.inputs:
            raise BatchUsageError("B_USAGE_MAP_INPUT", item=f"{name}={column_map[name]}", name=name,
                                  ruleset=f"{ruleset.id}@{ruleset.version}", known=", ".join(ruleset.input_names))  # fmt: skip
    try:
        table = open_table(input_path)
    except TableError as error:
        raise BatchReadError(error.code, **error.args_) from None
    with table:
        header = table.header
        sources: dict[str, int] = {}
        for name in ruleset.input_names:
            if name in column_map:
                sources[name] = _column(header, column_map[name], f"--map {name}={column_map[name]}", input_path)
            elif name in header:
                sources[name] = header.index(name)
        id_index = _column(header, id_column, "--id", input_path) if id_column else None
        group_index = _column(header, group_by, "--group-by", input_path) if group_by else None
        scorer = _Scorer(ruleset, sources, lang, table.format == "csv")
        label_output = first_label_output(ruleset)
        kinds = [_output_kind(ruleset.checked.types.get(name)) for name in ruleset.output_names]
        tally = PopulationTally(ruleset.module, group_by, ruleset.output_names, label_output) if group_by else None
        target = Path(output_path).resolve()
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
        writer = None
        try:
            writer = open_writer(temporary, output_format, [*header, *ruleset.output_names, "error"], len(header), kinds)
            rows = errors = 0
            counts: Counter[str] = Counter()
            first_errors: list[tuple[Any, str]] = []
            label_at = ruleset.output_names.index(label_output) if label_output else None
            for chunk in table.chunks(chunk_size):
                outputs, problems, columns = scorer.score(chunk)
                writer.write(chunk.rows, outputs, problems)
                ok = [p == "" for p in problems]
                bad = len(ok) - sum(ok)
                ids: Sequence[Any] = range(chunk.start, chunk.start + len(chunk.rows))
                if id_index is not None and bad:
                    ids = [cell_text(row[id_index]) or number for row, number in zip(chunk.rows, ids, strict=True)]
                if bad and len(first_errors) < ERRORS_KEPT:
                    for index, problem in enumerate(problems):
                        if problem and len(first_errors) < ERRORS_KEPT:
                            first_errors.append((ids[index], problem))
                if label_at is not None:
                    labels = outputs[label_at]
                    counts.update(compress(labels, ok) if bad else labels)
                if tally is not None and group_index is not None:
                    cells = map(itemgetter(group_index), chunk.rows)
                    units = list(map(str.strip, cells if table.format == "csv" else map(cell_text, cells)))
                    by_name = {n: outputs[ruleset.output_names.index(n)] for n in tally.label_outputs()}
                    by_class = {n: columns.get(n) or [""] * len(ok) for n in tally.class_inputs()}
                    tally.add(units, ok, ids, by_name, by_class)
                rows += len(ok)
                errors += bad
                if progress:
                    _progress(progress, rows, table.position())
            writer.close()
            os.replace(temporary, target)
        except BaseException:
            if writer is not None:
                writer.abort()
            Path(temporary).unlink(missing_ok=True)
            raise
        finally:
            if progress is True:
                sys.stderr.write("\n")
    order = _label_order(ruleset, label_output)
    ordered = dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return BatchReport(ruleset.ref, input_path, output_path, rows, errors, label_output, ordered,
                       tally.report() if tally is not None else None, selection, scorer.vectorised,
                       tuple(first_errors))  # fmt: skip


def _label_order(ruleset: Ruleset, name: str | None) -> dict[str, int]:
    found = ruleset.checked.types.get(name) if name else None
    return {label: i for i, label in enumerate(found.labels)} if isinstance(found, t.LabelT) else {}


def _progress(progress: bool | Callable[[int, float | None], None], rows: int, fraction: float | None) -> None:
    if callable(progress):
        progress(rows, fraction)
        return
    shown = f" ({fraction:.0%})" if fraction is not None else ""
    sys.stderr.write(f"\r{rows:,} rows{shown}")
    sys.stderr.flush()


__all__ = ["BatchReadError", "BatchReport", "BatchUsageError", "batch", "parse_map"]

