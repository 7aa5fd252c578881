"""A ruleset over Arrow batches: a pure function, the same on one machine and on a cluster.

`evaluate_arrow(ruleset, batch)` takes a `pyarrow.RecordBatch` (or `Table`) whose columns are
named after the ruleset's inputs, in any Arrow type a user's data arrives in (strings from a
CSV, integers, decimals, floats as the single-record path reads them, booleans, a list of
structs for a list input, or its JSON text), and gives a `RecordBatch` with one column per
output and an `error` column (null where the row evaluated), one row out per row in, in
order. Each distinct value of a column is validated once per batch by the single-record
path's own `coerce`; the rows are computed by the column path (kinerja.vector.plan); a row
the column path declines is evaluated by the single-record path, so the answer and the
error texts are exactly `Ruleset.evaluate`'s.

The output schema (`arrow_schema(ruleset)`) is fixed by the ruleset alone, so a cluster
can be told it before any data is read (Spark's `mapInArrow`, Dask's `meta`): a number is
`decimal128(38, places)` at the scale every value of that output is a multiple of (an
integer: `int64`), a quotient that need not end its exact text (`string`), a label a
`string`, a boolean a `bool`.

`impact_arrow(old, new, batch)` evaluates two versions in one pass and gives the partial
transition counts of a batch (`from`, `to`, `changed`, `rows`), which add up across batches
(`reduce_impact`).

A ruleset may be given as a `Ruleset`, a reference (`pp-30-2019`, `pp-30-2019@1.0.0`), its
fingerprint (`sha256:…`, looked up in the library) or its text; compiled plans are cached
per process by that key, so a worker compiles each ruleset once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from kinerja.diagnostics.diagnostic import Diagnostic, InputError, KinerjaError, diagnostic
from kinerja.eval.inputs import coerce
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, value_text
from kinerja.vector.compile import ABSENT_CODE, NUMBER_ABSENT
from kinerja.vector.lists import MAX_ITEMS, field_key
from kinerja.vector.plan import DEN_SUFFIX, OK_KEY, VectorPlan, plan_for

ERROR = "error"  # the output column naming each failed row's problems
_BAD = np.iinfo(np.int64).min + 1  # an encoded cell the column path will not answer for


# ------------------------------------------------------------------ rulesets, compiled once per process
@dataclass(frozen=True)
class Compiled:
    ruleset: Ruleset
    plan: VectorPlan | None
    schema: pa.Schema
    scales: dict[str, int]  # number outputs held as decimal128: their scale


_CACHE: dict[str, Compiled] = {}
_LOCK = threading.Lock()


def compiled(ruleset: Ruleset | str) -> Compiled:
    """The ruleset, its plan and its output schema, built once per process for each ruleset."""
    key = ruleset.fingerprint if isinstance(ruleset, Ruleset) else ruleset
    found = _CACHE.get(key)
    if found is not None:
        return found
    with _LOCK:
        found = _CACHE.get(key)
        if found is None:
            loaded = ruleset if isinstance(ruleset, Ruleset) else resolve(ruleset)
            plan = plan_for(loaded)
            schema, scales = _schema(loaded, plan)
            found = Compiled(loaded, plan, schema, scales)
            _CACHE[key] = found
    return found


def resolve(reference: str) -> Ruleset:
    """A ruleset from its text, its fingerprint (`sha256:…`) or its reference (`id`, `id@version`)."""
    import kinerja

    if "\n" in reference or reference.lstrip().startswith("ruleset "):
        return kinerja.load_text(reference)
    if reference.startswith("sha256:"):
        library = kinerja.default_library()
        for info in library.list():
            candidate = kinerja.load(f"{info.id}@{info.version}")
            if candidate.fingerprint == reference:
                return candidate
        raise kinerja.RulesetNotFound([diagnostic("K850", fingerprint=reference)])
    return kinerja.load(reference)


def arrow_schema(ruleset: Ruleset | str, keep: Sequence[tuple[str, pa.DataType]] = ()) -> pa.Schema:
    """The Arrow schema of `evaluate_arrow`'s answer: the kept columns, the outputs, then `error`."""
    found = compiled(ruleset).schema
    return pa.schema([pa.field(n, k) for n, k in keep] + list(found))


def _schema(ruleset: Ruleset, plan: VectorPlan | None) -> tuple[pa.Schema, dict[str, int]]:
    fields = []
    scales: dict[str, int] = {}
    for name in ruleset.output_names:
        kind = _type_of(ruleset, name)
        if isinstance(kind, t.NumberT):
            if kind.integer:
                arrow: pa.DataType = pa.int64()
            elif plan is not None and not plan.output_is_quotient(name):
                scales[name] = max(plan.output_scale(name), kind.places or 0)
                arrow = pa.decimal128(38, scales[name])
            elif kind.places is not None and plan is None:
                scales[name] = kind.places
                arrow = pa.decimal128(38, kind.places)
            else:
                arrow = pa.string()  # a quotient that need not end: its exact text
        elif isinstance(kind, t.BoolT):
            arrow = pa.bool_()
        else:
            arrow = pa.string()
        fields.append(pa.field(name, arrow))
    fields.append(pa.field(ERROR, pa.string()))
    return pa.schema(fields), scales


def _type_of(ruleset: Ruleset, name: str) -> t.Type:
    """The type of an input or definition, from the lowered program."""
    found = ruleset.ir.definition(name) or ruleset.ir.input(name)
    return found.type if found is not None else t.ERROR


# ------------------------------------------------------------------ evaluation
@dataclass
class Evaluated:
    """One batch evaluated: per output its Arrow column, and the rows that failed with their texts."""

    columns: dict[str, pa.Array]
    errors: list[str | None]
    texts: Callable[[str], list[str | None]]  # an output's values as texts (None: absent or failed)


def evaluate_arrow(ruleset: Ruleset | str, batch: pa.RecordBatch | pa.Table, *, keep: Sequence[str] = (),
                   lang: str | None = None) -> pa.RecordBatch:  # fmt: skip
    """Outputs and an `error` column for every row of `batch` (see the module's docstring)."""
    found = compiled(ruleset)
    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], schema=batch.schema)
    evaluated = _evaluate(found, batch, lang)
    arrays = [batch.column(name) for name in keep]
    names = list(keep)
    for name in found.ruleset.output_names:
        arrays.append(evaluated.columns[name])
        names.append(name)
    arrays.append(pa.array(evaluated.errors, type=pa.string()))
    names.append(ERROR)
    schema = pa.schema([batch.schema.field(n) for n in keep] + list(found.schema))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _evaluate(found: Compiled, batch: pa.RecordBatch, lang: str | None) -> Evaluated:
    ruleset, plan = found.ruleset, found.plan
    rows = batch.num_rows
    names = set(batch.schema.names)
    inputs = [n for n in ruleset.input_names if n in names]
    ok = np.zeros(rows, dtype=bool)
    answer: dict[str, np.ndarray] = {}
    if plan is not None and rows:
        columns: dict[str, np.ndarray] = {}
        declined = np.zeros(rows, dtype=bool)
        for name in inputs:
            encoded, bad = _encode(plan, ruleset, name, batch.column(name))
            columns.update(encoded)
            declined |= bad
        if not inputs:
            columns["<rows>"] = np.zeros(rows, dtype=np.int64)
        answer = plan.evaluate_arrays(columns)
        ok = answer.pop(OK_KEY) & ~declined
    errors: list[str | None] = [None] * rows
    scalar: dict[int, dict[str, Any]] = {}
    todo = np.flatnonzero(~ok).tolist()
    if todo:
        cells = {name: batch.column(name).take(pa.array(todo)).to_pylist() for name in inputs}
        for k, row in enumerate(todo):
            record = {name: cells[name][k] for name in inputs if cells[name][k] is not None}
            record = {n: _plain(v) for n, v in record.items()}
            try:
                result = ruleset.evaluate(record, trace=False, text_values=True)
            except KinerjaError as error:
                errors[row] = "; ".join(d.text(lang) for d in error.diagnostics)
                continue
            scalar[row] = result.outputs
    columns_out = {name: _output_column(found, plan, name, answer, ok, scalar, rows) for name in ruleset.output_names}

    def texts(name: str) -> list[str | None]:
        values = columns_out[name].to_pylist()
        return [None if v is None else value_text(v) if not isinstance(v, str) else v for v in values]

    return Evaluated(columns_out, errors, texts)


def _plain(value: Any) -> Any:
    """An Arrow cell as the single-record path reads it (decimals and floats keep their value)."""
    if isinstance(value, list):
        return [{k: _plain(v) for k, v in item.items()} if isinstance(item, dict) else _plain(item) for item in value]
    return value


# ------------------------------------------------------------------ input columns -> the plan's encoding
def _encode(plan: VectorPlan, ruleset: Ruleset, name: str, column: pa.ChunkedArray | pa.Array) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """A column in the plan's encoding (see kinerja.vector.plan) and the rows it will not answer for."""
    kind = _type_of(ruleset, name)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(kind, t.ListT):
        return _encode_list(plan, name, kind, column)
    codes = _codes(plan, name, name, kind, column)
    bad = codes == _BAD
    if bad.any():
        codes = np.where(bad, NUMBER_ABSENT if isinstance(kind, t.NumberT) else ABSENT_CODE, codes)
    if isinstance(kind, t.BoolT):
        return {name: codes.astype(np.int8)}, bad
    return {name: codes}, bad


def _codes(plan: VectorPlan, name: str, key: str, kind: t.Type, column: pa.Array) -> np.ndarray:
    """Each distinct value validated once by `coerce`, then spread to every row by its dictionary index."""
    if pa.types.is_dictionary(column.type):
        encoded = column
    else:
        encoded = pc.dictionary_encode(column)
    dictionary = encoded.dictionary.to_pylist()
    absent = NUMBER_ABSENT if isinstance(kind, t.NumberT) else ABSENT_CODE
    table = np.empty(len(dictionary) + 1, dtype=np.int64)
    table[-1] = absent  # null cells
    text_values = pa.types.is_string(column.type) or pa.types.is_large_string(column.type) or (
        pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type))
    for k, value in enumerate(dictionary):
        if text_values and isinstance(value, str) and value.strip() == "":
            table[k] = absent
            continue
        problems: list[Diagnostic] = []
        checked = coerce(name, value, kind, problems, text_values=text_values)
        table[k] = _BAD if problems or checked is None else plan.code(key, checked)
    indices = encoded.indices.to_numpy(zero_copy_only=False) if encoded.null_count == 0 else \
        pc.fill_null(encoded.indices, len(dictionary)).to_numpy(zero_copy_only=False)  # fmt: skip
    return np.take(table, indices.astype(np.intp))


def _encode_list(plan: VectorPlan, name: str, kind: t.ListT, column: pa.Array) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rows = len(column)
    fields = plan.list_fields(name)
    record_type = kind.item
    assert isinstance(record_type, t.RecordT)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        # JSON text cells: the plan reads each distinct text once
        out, declined = plan.read_list_cells(name, [("" if v is None else v) for v in column.to_pylist()], rows)
        return out, (np.zeros(rows, dtype=bool) if declined is None else declined)
    if not (pa.types.is_list(column.type) or pa.types.is_large_list(column.type)):
        raise InputError([diagnostic("K851", column=name, arrow=str(column.type), expected=kind.describe())])
    if any(isinstance(ftype, t.ListT) for _, ftype in record_type.fields) or record_type.optional:
        # nested lists or optional fields: the items as Python values, as the single-record path gets them
        out, declined = plan.read_list_cells(name, column.to_pylist(), rows, text_values=True)  # as `_evaluate` reads them
        return out, (np.zeros(rows, dtype=bool) if declined is None else declined)
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    offsets = column.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    lengths = np.diff(offsets)
    width = max(1, min(int(lengths.max(initial=0)), MAX_ITEMS))
    declined = lengths > MAX_ITEMS
    items = column.flatten()
    starts = offsets[:-1]
    positions = starts[:, None] + np.arange(width)[None, :]
    inside = np.arange(width)[None, :] < np.minimum(lengths, width)[:, None]
    positions = np.where(inside, positions, 0)
    types = dict(record_type.fields)
    out: dict[str, np.ndarray] = {name: np.where(valid, lengths, ABSENT_CODE)}
    for f in fields:
        if not pa.types.is_struct(items.type) or items.type.get_field_index(f) < 0:
            declined |= valid & (lengths > 0)  # a record without the field: the single-record path says which
            out[field_key(name, f)] = np.zeros((rows, width), dtype=np.int64)
            continue
        child = items.field(f)
        codes = _codes(plan, f"{name}[].{f}", field_key(name, f), types[f], child) if len(child) else np.zeros(0, dtype=np.int64)
        if len(codes) == 0:
            codes = np.zeros(1, dtype=np.int64)
        grid = np.take(codes, positions)
        missing = NUMBER_ABSENT if isinstance(types[f], t.NumberT) else ABSENT_CODE
        bad_cells = ((grid == _BAD) | (grid == missing)) & inside  # a null field: the single-record path names it
        declined |= bad_cells.any(axis=1)
        out[field_key(name, f)] = np.where(inside, grid, 0)
    return out, declined & valid


# ------------------------------------------------------------------ output columns
def _output_column(found: Compiled, plan: VectorPlan | None, name: str, answer: dict[str, np.ndarray], ok: np.ndarray,
                   scalar: dict[int, dict[str, Any]], rows: int) -> pa.Array:  # fmt: skip
    arrow = found.schema.field(name).type
    kind = _type_of(found.ruleset, name)
    values = answer.get(name)
    if pa.types.is_decimal(arrow) or pa.types.is_integer(arrow):
        scale = found.scales.get(name, 0)
        numerators = np.zeros(rows, dtype=np.int64)
        valid = ok.copy()
        if values is not None:
            shift = scale - plan.output_scale(name) if plan is not None else 0
            kept = np.where(ok & (values != NUMBER_ABSENT), values, 0)
            # an integer output held at a finer scale is a whole multiple of it: the division is exact
            numerators = kept * 10**shift if shift >= 0 else kept // 10**-shift
            valid &= values != NUMBER_ABSENT
        for row, outputs in scalar.items():
            value = outputs.get(name)
            if value is None or value is ABSENT:
                continue
            numerators[row] = int(Decimal(value).scaleb(scale))
            valid[row] = True
        if pa.types.is_integer(arrow):
            return pa.array(numerators, type=pa.int64(), mask=~valid)
        return _decimal_array(numerators, valid, arrow)
    if pa.types.is_boolean(arrow):
        flags = np.zeros(rows, dtype=bool)
        valid = ok.copy()
        if values is not None:
            flags = np.asarray(values) > 0 if values.dtype != bool else values.copy()
            if values.dtype != bool:
                valid &= values >= 0
        for row, outputs in scalar.items():
            value = outputs.get(name)
            if value is None or value is ABSENT:
                continue
            flags[row], valid[row] = bool(value), True
        return pa.array(flags, type=pa.bool_(), mask=~valid)
    texts: list[str | None] = [None] * rows
    if values is not None and plan is not None and isinstance(kind, t.LabelT):
        labels = pa.array(list(plan.labels(name)), type=pa.string())
        codes = np.where(ok & (values >= 0), values, -1)
        taken = pc.take(labels, pa.array(np.where(codes < 0, 0, codes)))
        column = pc.if_else(pa.array(codes >= 0), taken, pa.scalar(None, pa.string()))
        if not scalar:
            return column
        texts = column.to_pylist()
    elif values is not None and plan is not None:
        shown = plan.decode(name, values, answer.get(name + DEN_SUFFIX))
        texts = [x if ok[i] and x != "-" else None for i, x in enumerate(shown)]
    for row, outputs in scalar.items():
        value = outputs.get(name)
        texts[row] = None if value is None or value is ABSENT else value if isinstance(value, str) else value_text(value)
    return pa.array(texts, type=pa.string())


def _decimal_array(numerators: np.ndarray, valid: np.ndarray, arrow: pa.DataType) -> pa.Array:
    """int64 counts of 10**-scale as decimal128 values: 128-bit little-endian two's complement, built in numpy."""
    words = np.empty((len(numerators), 2), dtype=np.int64)
    words[:, 0] = numerators
    words[:, 1] = numerators >> 63  # the sign, extended
    validity = pa.array(valid, type=pa.bool_()).buffers()[1] if not valid.all() else None
    return pa.Array.from_buffers(arrow, len(numerators), [validity, pa.py_buffer(words.tobytes())], null_count=int((~valid).sum()))


# ------------------------------------------------------------------ impact
IMPACT_SCHEMA = pa.schema([pa.field("from", pa.string()), pa.field("to", pa.string()), pa.field("changed", pa.bool_()),
                           pa.field("rows", pa.int64())])  # fmt: skip


def impact_arrow(old: Ruleset | str, new: Ruleset | str, batch: pa.RecordBatch | pa.Table, lang: str | None = None) -> pa.RecordBatch:
    """Both versions on every row of `batch`, reduced to transition counts (`IMPACT_SCHEMA`).

    The counts of several batches add up (`reduce_impact`), so a cluster reduces them with a group-by.
    """
    from kinerja.audit.impact import INVALID, first_label_output

    a, b = compiled(old), compiled(new)
    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], schema=batch.schema)
    before_side = _evaluate(a, batch, lang)
    after_side = _evaluate(b, batch, lang)
    old_output, new_output = first_label_output(a.ruleset), first_label_output(b.ruleset)
    common = [n for n in a.ruleset.output_names if n in b.ruleset.output_names]
    rows = batch.num_rows
    before = before_side.texts(old_output) if old_output else [None] * rows
    after = after_side.texts(new_output) if new_output else [None] * rows
    a_ok = [e is None for e in before_side.errors]
    b_ok = [e is None for e in after_side.errors]
    differs = np.zeros(rows, dtype=bool)
    for name in common:
        x, y = before_side.texts(name), after_side.texts(name)
        differs |= np.array([p != q for p, q in zip(x, y, strict=True)], dtype=bool)
    counts: dict[tuple[str, str, bool], int] = {}
    for i in range(rows):
        source = (before[i] if before[i] is not None else "-") if a_ok[i] else INVALID
        target = (after[i] if after[i] is not None else "-") if b_ok[i] else INVALID
        if a_ok[i] != b_ok[i]:
            changed = True
        elif a_ok[i]:
            changed = bool(differs[i]) or (old_output is not None and new_output is not None and source != target)
        else:
            changed = False
        key = (source, target, changed)
        counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts)
    return pa.RecordBatch.from_arrays(
        [pa.array([k[0] for k in keys]), pa.array([k[1] for k in keys]), pa.array([k[2] for k in keys]),
         pa.array([counts[k] for k in keys], type=pa.int64())], schema=IMPACT_SCHEMA)  # fmt: skip


def reduce_impact(old: Ruleset | str, new: Ruleset | str, counts: pa.Table | Sequence[pa.RecordBatch]) -> Any:
    """Partial transition counts (from `impact_arrow` over many batches) as one `ImpactReport`.

    At the scale these are for, the report carries the counts only: the ids of changed and
    invalid rows stay in the cluster's own output (run `evaluate_arrow` with `keep` for them).
    """
    from collections import Counter

    from kinerja.audit.impact import ImpactReport, first_label_output

    a, b = compiled(old).ruleset, compiled(new).ruleset
    table = counts if isinstance(counts, pa.Table) else pa.Table.from_batches(list(counts), schema=IMPACT_SCHEMA)
    old_output, new_output = first_label_output(a), first_label_output(b)
    order: list[str] = []
    for ruleset, name in ((a, old_output), (b, new_output)):
        found = _type_of(ruleset, name) if name else None
        if isinstance(found, t.LabelT):
            order += [x for x in found.labels if x not in order]
    transitions: Counter[tuple[str, str]] = Counter()
    rows = changed = 0
    for source, target, moved, n in zip(*(table.column(c).to_pylist() for c in ("from", "to", "changed", "rows")), strict=True):
        transitions[(source, target)] += n
        rows += n
        if moved:
            changed += n
    return ImpactReport(a.ref, b.ref, old_output, new_output, rows=rows, changed=changed, transitions=transitions,
                        label_order={label: i for i, label in enumerate(order)}, old_ruleset=a, new_ruleset=b)  # fmt: skip

