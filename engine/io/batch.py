"""Batch scoring: every row of a table evaluated, one output row per input row, in order.

The input is read in chunks (bounded memory whatever its size) by `kinerja.io.tabular`;
each chunk is scored by `kinerja.io.scoring` (the compiled column plan where it vouches
for a row, the single-record path for every other row, each distinct cell validated once
per file) and written by `kinerja.io.writers`.

Files: the output is written to a temporary file beside the target (created with the
user's umask, named `.<target>.<pid>.<random>.part`) and moved into place only when the
whole input has been scored, so an interrupted run leaves no half file; parts left by a
run that was killed (its process is gone) are removed by the next run to the same
target. The output may never be the input (after resolving links), and an existing
output is replaced only when asked (`overwrite=True`, `kinerja batch --force`).

Streams: `score_table` scores a table given as bytes or a binary stream and returns the
output's bytes (the HTTP service's entry point); nothing touches the disk.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np
from kinerja.diagnostics.diagnostic import CodedError
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import RulesetRef
from kinerja.io.pipeline import Background, read_ahead
from kinerja.io.scoring import BOOLEAN, NUMBER, Scorer, cells_as_text, output_kind, row_ids
from kinerja.io.tabular import Table, TableError, format_of, open_table
from kinerja.io.writers import JsonlWriter, WriteProblem, Writer, open_writer
from kinerja.library.api import Selection, load, select
from kinerja.library.ruleset import Ruleset, first_label_output
from kinerja.semantics import types as t
from kinerja.semantics.check import suggest

if TYPE_CHECKING:  # the population tally is imported only by a run that groups (--group-by)
    from kinerja.audit.population import PopulationReport, PopulationTally

ERRORS_KEPT = 20  # rows with errors shown in the summary; every one is in the output file
CHUNK_ROWS = 262_144  # rows per chunk: bounded memory, few enough chunks that per-chunk costs vanish
STALE_SECONDS = 60  # a part file untouched this long, whose process is gone, is left from a killed run
Coerce = Literal["strict", "text"]


class BatchUsageError(CodedError):
    """The command was asked something it cannot do (a bad --map, a column not in the header…)."""


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
    notes: tuple[tuple[str, dict[str, Any]], ...] = field(default=())  # (message code, arguments): renamed columns…

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
            "notes": [{"code": code, "text": message(code, lang, **args)} for code, args in self.notes],
            "groups": self.groups.to_dict(lang) if self.groups is not None else None,
        }

    def render(self, lang: str | None = None) -> str:
        ref = f"{self.ruleset.id}@{self.ruleset.version}"
        lines = []
        note = self.selection.note(lang) if self.selection is not None else None
        if note:
            lines.append(note)
        lines.append(message("B_SUMMARY_TITLE", lang, ruleset=ref, fingerprint=self.ruleset.fingerprint))
        lines += [message(code, lang, **args) for code, args in self.notes]
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


@dataclass(frozen=True)
class ScoredTable:
    """What `score_table` gives: the output table's bytes and the run's report."""

    data: bytes
    format: str
    report: BatchReport


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """`input=column` pairs (from --map) as {input: column}."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise BatchUsageError("B_USAGE_MAP", item=item)
        found[name.strip()] = column.strip()
    return found


# ------------------------------------------------------------------ columns


@dataclass(frozen=True)
class Layout:
    """Which table columns the run reads, and the output's header."""

    sources: dict[str, int]  # input name -> column index
    id_index: int | None
    group_index: int | None
    header: list[str]  # the output's header: input columns (renamed where needed), outputs, error
    notes: tuple[tuple[str, dict[str, Any]], ...]


def _positions(header: list[str], column: str) -> list[int]:
    return [i for i, name in enumerate(header) if name == column]


def _column(header: list[str], column: str, option: str, path: str) -> int:
    found = _positions(header, column)
    if not found:
        hint = suggest(column, header)
        raise BatchUsageError("B_USAGE_COLUMN", column=column, option=option, path=path, known=", ".join(header),
                              hint=f" ({hint})" if hint else "")  # fmt: skip
    if len(found) > 1:
        raise BatchUsageError("B_DUPLICATE_COLUMN", column=column, path=path, positions=", ".join(str(i + 1) for i in found))
    return found[0]


def _layout(ruleset: Ruleset, header: list[str], path: str, column_map: Mapping[str, str], id_column: str | None,
            group_by: str | None) -> Layout:  # fmt: skip
    sources: dict[str, int] = {}
    for name in ruleset.input_names:
        if name in column_map:
            sources[name] = _column(header, column_map[name], f"--map {name}={column_map[name]}", path)
        elif name in header:
            sources[name] = _column(header, name, name, path)
    id_index = _column(header, id_column, "--id", path) if id_column else None
    group_index = _column(header, group_by, "--group-by", path) if group_by else None
    _check_required(ruleset, sources, header, path)
    # the output's header: outputs and `error` keep their names; an input column with one of them is renamed
    reserved = {*ruleset.output_names, "error"}
    taken = set(header) | reserved
    out_header: list[str] = []
    seen: set[str] = set()
    notes: list[tuple[str, dict[str, Any]]] = []
    for name in header:
        new = name
        if name in reserved:
            new = _fresh(f"{name}_input", taken)
            notes.append(("B_NOTE_RENAMED_OUTPUT", {"column": name, "renamed": new}))
        elif name in seen:
            new = _fresh(name, taken)
            notes.append(("B_NOTE_RENAMED_DUPLICATE", {"column": name, "renamed": new}))
        seen.add(name)
        taken.add(new)
        out_header.append(new)
    return Layout(sources, id_index, group_index, [*out_header, *ruleset.output_names, "error"], tuple(notes))


def _fresh(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"


def _check_required(ruleset: Ruleset, sources: dict[str, int], header: list[str], path: str) -> None:
    """Refuse before scoring when a required input has no column: every row failing is not an answer."""
    checked = ruleset.checked
    supplied = frozenset(n for n in checked.suppliable if n in sources)
    excused = ruleset.program.excused_inputs(supplied) if supplied else frozenset()
    missing = [name for name, decl in checked.inputs.items()
               if name not in sources and not decl.optional and decl.default is None and name not in excused
               and name not in checked.definitions]  # fmt: skip
    if missing:
        hints = [f"--map {n}={close}" for n in missing if (close := _close_column(n, header))]
        raise BatchUsageError("B_MISSING_COLUMNS", inputs=", ".join(f"`{n}`" for n in missing), path=path,
                              known=", ".join(header), hint=("; " + ", ".join(hints)) if hints else "")  # fmt: skip


def _close_column(name: str, header: list[str]) -> str | None:
    simple = re.sub(r"[^a-z0-9]", "", name.lower())
    for column in header:
        if re.sub(r"[^a-z0-9]", "", column.lower()) == simple:
            return column
    import difflib

    found = difflib.get_close_matches(name, header, n=1, cutoff=0.75)
    return found[0] if found else None


# ------------------------------------------------------------------ the run


def _resolve(ruleset: Ruleset | str | Path, as_of: date | None) -> tuple[Ruleset, Selection | None]:
    if isinstance(ruleset, Ruleset):
        return ruleset, None
    selection = select(ruleset, as_of=as_of)
    return load(selection.path), selection


def _run(ruleset: Ruleset, table: Table, sink: BinaryIO, output_format: str, *, input_name: str, output_name: str,
         selection: Selection | None, id_column: str | None, column_map: Mapping[str, str] | None,
         group_by: str | None, chunk_size: int, lang: str | None, coerce: Coerce,
         progress: bool | Callable[[int, float | None], None],
         each_chunk: Callable[[Any, Any, list[str]], None] | None = None) -> BatchReport:  # fmt: skip
    if chunk_size < 1:
        raise BatchUsageError("B_USAGE_CHUNK")
    column_map = dict(column_map or {})
    for name in column_map:
        if name not in ruleset.checked.inputs:
            raise BatchUsageError("B_USAGE_MAP_INPUT", item=f"{name}={column_map[name]}", name=name,
                                  ruleset=f"{ruleset.id}@{ruleset.version}", known=", ".join(ruleset.input_names))  # fmt: skip
    layout = _layout(ruleset, table.header, input_name, column_map, id_column, group_by)
    # text cells (CSV, spreadsheets, Parquet text columns) are read as text; JSON values keep their types
    text_values = table.format != "jsonl" or coerce == "text"
    scorer = Scorer(ruleset, layout.sources, lang, text_values)
    label_output = first_label_output(ruleset)
    kinds = list(scorer.kinds)
    scales = [scorer.scale(n) if k == NUMBER else 0 for n, k in zip(ruleset.output_names, kinds, strict=True)]
    tally = None
    if group_by:
        from kinerja.audit.population import PopulationTally

        tally = PopulationTally(ruleset.module, group_by, ruleset.output_names, label_output)
    writer: Writer = open_writer(sink, output_format, layout.header, len(table.header), kinds, scales)
    if isinstance(writer, JsonlWriter):
        types = ruleset.checked.types
        writer.typed_inputs = {index: kind for name, index in layout.sources.items()
                               if (kind := output_kind(types[name])) in (NUMBER, BOOLEAN)}  # fmt: skip
    rows = errors = undecodable = 0
    counts: Counter[str] = Counter()
    first_errors: list[tuple[Any, str]] = []
    label_at = ruleset.output_names.index(label_output) if label_output else None
    # three stages overlap: the next chunk is parsed (Arrow, outside the GIL) while this one is
    # scored and the previous one written; each stage keeps the order, at most one chunk ahead
    with Background(writer.write) as write:
        for chunk in read_ahead(table.chunks(chunk_size)):
            scored = scorer.score(chunk)
            undecodable += sum(1 for problem in chunk.broken.values() if problem[0] == "B_ROW_DECODE")
            if output_format in ("parquet",):
                _fit_scales(scored, scales, lang)
            if label_at is not None and tally is not None:
                scored.outputs[label_at].texts()  # computed here, once, for the population tally and the writer
            writer.prepare(scored.outputs)  # here, while the previous chunk is written
            write(chunk, scored.outputs, scored.errors, scored.failed())
            if each_chunk is not None:
                each_chunk(chunk, scored, table.header)
            rows, errors = _tally(chunk, scored, layout, label_at, tally, ruleset, counts, first_errors, rows, errors)
            if progress:
                _progress(progress, rows, table.position(), lang)
    writer.close()
    notes = layout.notes
    if undecodable and table.format == "csv":
        notes += (("B_NOTE_ENCODING", {"rows": undecodable}),)
    order = _label_order(ruleset, label_output)
    ordered = dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return BatchReport(ruleset.ref, input_name, output_name, rows, errors, label_output, ordered,
                       tally.report() if tally is not None else None, selection, scorer.vectorised,
                       tuple(first_errors), notes)  # fmt: skip


def _tally(chunk: Any, scored: Any, layout: Layout, label_at: int | None, tally: PopulationTally | None,
           ruleset: Ruleset, counts: Counter[str], first_errors: list[tuple[Any, str]], rows: int,
           errors: int) -> tuple[int, int]:  # fmt: skip
    """The summary's figures for one chunk: counts per label, the first errors, the population tally."""
    problems = scored.errors
    failed = scored.failed()
    bad = len(failed)
    ok = np.ones(chunk.length, dtype=bool)
    ok[failed] = False
    numbers = range(chunk.start, chunk.start + chunk.length)
    if bad and len(first_errors) < ERRORS_KEPT:
        wanted = failed[: ERRORS_KEPT - len(first_errors)]
        names = row_ids(chunk.columns[layout.id_index], wanted) if layout.id_index is not None else [""] * len(wanted)
        first_errors += [(name or numbers[i], problems[i]) for name, i in zip(names, wanted, strict=True)]
    if label_at is not None:
        counts.update(scored.outputs[label_at].counts(ok))
    if tally is not None and layout.group_index is not None:
        units = [u.strip() for u in cells_as_text(chunk.columns[layout.group_index])]
        ids: Sequence[Any] = numbers
        if bad and layout.id_index is not None:
            every = row_ids(chunk.columns[layout.id_index], range(chunk.length))
            ids = [name or number for name, number in zip(every, numbers, strict=True)]
        by_name = {n: scored.outputs[ruleset.output_names.index(n)].texts().to_pylist() for n in tally.label_outputs()}
        by_class = {n: cells_as_text(scored.inputs[n]) if n in scored.inputs else [""] * len(ok) for n in tally.class_inputs()}
        tally.add(units, ok.tolist(), ids, by_name, by_class)
    return rows + chunk.length, errors + bad


def _fit_scales(scored: Any, scales: list[int], lang: str | None) -> None:
    """A value a typed decimal column cannot hold exactly makes its row an error, never a rounded number."""
    from decimal import Decimal

    for output, scale in zip(scored.outputs, scales, strict=True):
        if output.kind != NUMBER:
            continue
        for row, value in list(output.patch.items()):
            if isinstance(value, Decimal) and (value.as_tuple().exponent < -scale or value.adjusted() >= 38 - scale):  # type: ignore[operator]
                scored.errors[row] = message("B_VALUE_PLACES", lang, output=output.name, value=str(value), places=scale)
                for other in scored.outputs:
                    other.patch[row] = None


def score_table(
    ruleset: Ruleset | str | Path,
    data: bytes | BinaryIO,
    input_format: str,
    output_format: str | None = None,
    *,
    id_column: str | None = None,
    column_map: Mapping[str, str] | None = None,
    group_by: str | None = None,
    chunk_size: int = CHUNK_ROWS,
    lang: str | None = None,
    as_of: date | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    coerce: Coerce = "strict",
    each_chunk: Callable[[Any, Any, list[str]], None] | None = None,
    name: str = "<input>",
) -> ScoredTable:
    """Score a table held in memory (bytes or a binary stream) and return the output table's bytes.

    `input_format`/`output_format`: csv, jsonl, xlsx or parquet (the output defaults to the
    input's). Raises BatchUsageError (a bad option, a missing required column) and
    BatchReadError (the table cannot be read); invalid rows are reported in the output.
    `each_chunk(chunk, scored, header)` sees every chunk as scored (a decision log); `name`
    is how messages name the table.
    """
    ruleset, selection = _resolve(ruleset, as_of)
    output_format = output_format or input_format
    for kind in (input_format, output_format):
        if kind not in ("csv", "jsonl", "xlsx", "parquet"):
            raise BatchUsageError("B_USAGE_FORMAT", format=kind)
    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    try:
        table = open_table(stream, input_format, encoding=encoding, sheet=sheet, header_row=header_row, name=name)
    except TableError as error:
        raise (BatchUsageError if error.code.startswith("B_USAGE") else BatchReadError)(error.code, **error.args_) from None
    sink = io.BytesIO()
    with table:
        try:
            report = _run(ruleset, table, sink, output_format, input_name=name, output_name=name,
                          selection=selection, id_column=id_column, column_map=column_map, group_by=group_by,
                          chunk_size=chunk_size, lang=lang, coerce=coerce, progress=False,
                          each_chunk=each_chunk)  # fmt: skip
        except WriteProblem as problem:
            raise BatchUsageError(problem.code, **problem.args_) from None
    return ScoredTable(sink.getvalue(), output_format, report)


def batch(
    ruleset: Ruleset | str | Path,
    input_path: str | Path,
    output_path: str | Path,
    *,
    id_column: str | None = None,
    column_map: Mapping[str, str] | None = None,
    group_by: str | None = None,
    chunk_size: int = CHUNK_ROWS,
    lang: str | None = None,
    progress: bool | Callable[[int, float | None], None] = False,
    as_of: date | None = None,
    overwrite: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    coerce: Coerce = "strict",
) -> BatchReport:
    """Score every row of INPUT into OUTPUT (CSV, JSONL, XLSX, Parquet by extension); see the module docstring."""
    input_path, output_path = str(input_path), str(output_path)
    ruleset, selection = _resolve(ruleset, as_of)
    try:
        output_format = format_of(output_path)
        format_of(input_path)
    except TableError as error:
        raise BatchUsageError(error.code, **error.args_) from None
    target = _check_target(input_path, output_path, overwrite)
    try:
        table = open_table(input_path, encoding=encoding, sheet=sheet, header_row=header_row)
    except TableError as error:
        raise (BatchUsageError if error.code.startswith("B_USAGE") else BatchReadError)(error.code, **error.args_) from None
    with table:
        _remove_stale_parts(target)
        part, handle = _open_part(target)
        try:
            with handle:
                report = _run(ruleset, table, handle, output_format, input_name=input_path, output_name=output_path,
                              selection=selection, id_column=id_column, column_map=column_map, group_by=group_by,
                              chunk_size=chunk_size, lang=lang, coerce=coerce, progress=progress)  # fmt: skip
            os.replace(part, target)
        except WriteProblem as problem:
            part.unlink(missing_ok=True)
            raise BatchUsageError(problem.code, **problem.args_) from None
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        finally:
            if progress is True:
                sys.stderr.write("\n")
    return report


def _check_target(input_path: str, output_path: str, overwrite: bool) -> Path:
    """The output's resolved path; refuse the input itself, a missing folder, and (unless asked) an existing file."""
    target = Path(output_path).resolve()
    source = Path(input_path).resolve()
    if target == source or (target.exists() and Path(input_path).exists() and os.path.samefile(target, input_path)):
        raise BatchUsageError("B_USAGE_SAME_FILE", output=output_path, input=input_path)
    if not target.parent.is_dir():
        raise BatchUsageError("B_USAGE_NO_FOLDER", output=output_path, folder=str(Path(output_path).parent))
    if target.is_dir():
        raise BatchUsageError("B_USAGE_OUTPUT_DIR", output=output_path)
    if target.exists() and not overwrite:
        raise BatchUsageError("B_USAGE_EXISTS", output=output_path)
    return target


_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.part$")


def _open_part(target: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file beside the target, created with the user's umask (mode 0666 before it)."""
    while True:
        part = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
        try:
            descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise BatchUsageError("B_USAGE_WRITE", output=str(target), problem=error.strerror or str(error)) from None
        return part, os.fdopen(descriptor, "wb", buffering=1 << 20)


def _remove_stale_parts(target: Path) -> None:
    """Remove the part files an earlier run to this target left when it was killed (its process is gone)."""
    try:
        candidates = list(target.parent.glob(f".{glob_escape(target.name)}.*.part"))
    except OSError:
        return
    now = time.time()
    for part in candidates:
        found = _PART.match(part.name)
        if not found or found["name"] != target.name:
            continue
        pid = int(found["pid"])
        try:
            if pid != os.getpid() and _alive(pid) and now - part.stat().st_mtime < STALE_SECONDS:
                continue  # another run is writing this target right now
            part.unlink()
        except OSError:
            continue


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _label_order(ruleset: Ruleset, name: str | None) -> dict[str, int]:
    found = ruleset.checked.types.get(name) if name else None
    return {label: i for i, label in enumerate(found.labels)} if isinstance(found, t.LabelT) else {}


def _progress(progress: bool | Callable[[int, float | None], None], rows: int, fraction: float | None,
              lang: str | None) -> None:  # fmt: skip
    if callable(progress):
        progress(rows, fraction)
        return
    shown = f" ({fraction:.0%})" if fraction is not None else ""
    sys.stderr.write("\r" + message("B_PROGRESS", lang, rows=f"{rows:,}", shown=shown))
    sys.stderr.flush()


__all__ = ["BatchReadError", "BatchReport", "BatchUsageError", "ScoredTable", "batch", "parse_map", "score_table"]
