"""The vectorised evaluation path: a whole column of records at once, with numpy.

`plan_for(ruleset)` compiles a ruleset's IR (kinerja.vector.compile) into column
operations on exact int64 fixed-point numbers (with a denominator where a quotient
does not end), booleans and label codes, or returns None when the ruleset uses
something this path does not compile. The plan gives exactly the single-record
path's outputs on every row it marks ok; a row it declines (a text it does not read,
a row on which the single-record path fails) is evaluated one by one by the batch.

Encoding used by `VectorPlan.evaluate_arrays` (and produced by `VectorPlan.encode`):

- a number input: int64 counts of 10**-places (`places 2`: 89.5 -> 8950; an
  integer input: the integer itself); `NUMBER_ABSENT` (int64 minimum) where
  the input is not given;
- a boolean input: a bool array, or an int8 array of 1 / 0 / -1 (not given);
- a label input: int codes, the index of the label in its type's labels in
  declared order (`plan.labels(name)`), -1 where not given;
- a list input `xs: list of { a: …, b: … }`: its lengths under `xs` (int64, -1 where not
  given) and one 2-D column per field under `xs.a`, `xs.b` (rows × width, each field
  encoded as an input of its type, padded past each row's length); `plan.encode_columns`
  builds them. An optional number field holds `NUMBER_ABSENT` where an item leaves it out. A
  list nested in the items, `xs.ys: list of { c: … }`, has its lengths under `xs.ys` (rows ×
  width, -1 where an optional list is left out) and its fields under `xs.ys.c` (rows × width ×
  nested width).

Outputs come back in the same encodings: a number output as int64 counts of
10**-`plan.output_scale(name)`, a label output as codes into
`plan.labels(name)`; `plan.decode(name, array)` gives the texts. An output
defined with `when` is absent where its condition is false: `NUMBER_ABSENT`,
label code -1, or (a boolean) an int8 array of 1 / 0 / -1; decode gives "-".
A number output that is a quotient which need not end (`value r = a / 3`) comes with its
per-row denominator under `r/den` (`DEN_SUFFIX`): the value is `r / 10**scale / den`, and
`plan.decode(name, r, den)` writes it as the single-record path does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from kinerja.diagnostics.diagnostic import Diagnostic
from kinerja.eval.inputs import coerce
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, ARITHMETIC, decimal_text, parse_json
from kinerja.syntax.frozen import dataclass
from kinerja.vector.compile import (
    ABSENT_CODE,
    DEN_SUFFIX,
    INEXACT_SUFFIX,
    NUMBER_ABSENT,
    Bool,
    Compiler,
    Ctx,
    Lab,
    Mask,
    Node,
    Num,
    Unsupported,
    Weights,
    either,
    scaled,
)
from kinerja.vector.lists import MAX_ITEMS, WIDTH_SUFFIX, field_key
from kinerja.vector.lut import LookupNode, lookup_table
from kinerja.vector.nodes import Den, Items

if TYPE_CHECKING:
    from kinerja.library.ruleset import Ruleset

__all__ = ["DEN_SUFFIX", "NUMBER_ABSENT", "VectorOutcome", "VectorPlan", "plan_for"]

OK_KEY = "<ok>"  # the key of the ok mask in `evaluate_arrays`' answer: no ruleset name can have this form
_BAD = np.iinfo(np.int64).min + 1  # an encoded cell the vector path will not answer for
_READ_KEPT = 1 << 17  # distinct cell texts remembered per input (a few MB at most)


@dataclass(frozen=True)
class VectorOutcome:
    ok: np.ndarray  # bool, shape (rows,): True where the vector path validated AND evaluated the row
    outputs: dict[str, list[str]]  # output name -> one text per row (value_text of the single-record output)


def plan_for(ruleset: Ruleset) -> VectorPlan | None:
    """A compiled column-wise plan, or None when the ruleset uses something the vector path does not compile."""
    try:
        return VectorPlan(ruleset)
    except Unsupported:
        return None


def why_not(ruleset: Ruleset) -> str | None:
    """Why `plan_for` gives None (for diagnostics and tests), or None when it compiles."""
    try:
        VectorPlan(ruleset)
    except Unsupported as reason:
        return str(reason)
    return None


class VectorPlan:
    """A ruleset compiled into column operations."""

    def __init__(self, ruleset: Ruleset):
        program = ruleset.ir
        self.ruleset = ruleset
        self.input_names: tuple[str, ...] = tuple(i.name for i in program.inputs)
        self._types: dict[str, t.Type] = {i.name: i.type for i in program.inputs}
        compiler = Compiler(program)
        compiler.compile_all()
        # A step over booleans and labels only becomes one gather from a table of all its combinations.
        self._steps = [(name, node if name in compiler.per_item else lookup_table(compiler, node)) for name, node in compiler.steps]
        # `when` conditions, run again after their step to mark where it does not apply (the step may be a
        # lookup table, which gives its value and errors but no mask)
        self._applies: dict[str, Node] = {name: lookup_table(compiler, node) for name, node in compiler.applies.items()}
        self._inputs: dict[str, Node] = {name: compiler.input_node(name) for name in self.input_names}
        # cell text -> code, per input, kept across calls: reading a text is a pure function of it, and a
        # service scoring request after request sees the same few thousand scores again and again
        self._read: dict[str, dict[Any, int]] = {name: {} for name in self.input_names}
        self._written: dict[str, dict[int, str]] = {}  # output -> fixed-point count -> text, likewise kept
        self._defaults: dict[str, Any] = {}
        self._required: set[str] = set()
        for item in program.inputs:
            if item.default is not None:
                if isinstance(item.type, t.ListT):
                    raise Unsupported(f"default of list input {item.name}")
                problems: list[Diagnostic] = []
                value = coerce(item.name, item.default, item.type, problems)
                if problems:
                    raise Unsupported(f"default of {item.name}")
                self._defaults[item.name] = self._code(item.name, value)
            elif not item.optional:
                self._required.add(item.name)
        self.output_names: tuple[str, ...] = program.outputs
        self._outputs: dict[str, Node] = {}
        for name in self.output_names:
            node = compiler.nodes[name] if name in compiler.nodes else self._inputs[name]
            if not isinstance(node, (Num, Lab, Bool)):
                raise Unsupported(f"output {name} is a {type(node).__name__}")
            self._outputs[name] = node
        # Outputs that are optional inputs show "-" where not given, and `when` definitions where they do not apply.
        self._maybe_absent = {n for n in self.output_names if n in self._types and n not in program.by_name
                              and program.input(n).optional}  # type: ignore[union-attr]  # fmt: skip
        self._maybe_absent |= {n for n in self.output_names if n in self._applies}

    # ------------------------------------------------------------------ encodings
    def labels(self, name: str) -> tuple[str, ...]:
        """The labels an input's or output's codes index (a list field: `xs.a`)."""
        node = self._outputs.get(name) or self._field_or_input(name)
        if not isinstance(node, Lab):
            raise KeyError(f"{name} is not a label")
        return node.universe

    def input_scale(self, name: str) -> int:
        node = self._field_or_input(name)
        if not isinstance(node, Num):
            raise KeyError(f"{name} is not a number")
        return node.scale

    def output_scale(self, name: str) -> int:
        node = self._outputs[name]
        if not isinstance(node, Num):
            raise KeyError(f"{name} is not a number")
        return node.scale

    def output_is_quotient(self, name: str) -> bool:
        """Whether a number output comes with a per-row denominator (`DEN_SUFFIX`) from `evaluate_arrays`."""
        node = self._outputs[name]
        return isinstance(node, Num) and node.den != 1

    def _field_or_input(self, name: str) -> Node:
        """An input, or a field of a list input's items by its column key (`xs.a`, `iki.triwulan.ke`)."""
        if name in self._inputs:
            return self._inputs[name]
        first, *rest = name.split(".")
        node: Node | None = self._inputs.get(first)
        for part in rest:
            if not isinstance(node, Items) or node.record is None or part not in node.record.fields:
                raise KeyError(name)
            node = node.record.fields[part]
        if node is None:
            raise KeyError(name)
        return node

    def list_fields(self, name: str) -> tuple[str, ...]:
        """The fields of a list input, in declared order (their columns are `name.field`)."""
        holder = self._inputs[name]
        if not isinstance(holder, Items) or holder.record is None:
            raise KeyError(f"{name} is not a list input")
        return tuple(holder.record.fields)

    def code(self, name: str, value: Any) -> int:
        """One validated value of input (or list field `xs.a`) `name` in the array encoding."""
        return self._code(name, value)

    def read_list_cells(self, name: str, cells: Sequence[Any], rows: int, text_values: bool = True
                        ) -> tuple[dict[str, np.ndarray], Mask]:  # fmt: skip
        """A list input's cells as its columns for `evaluate_arrays` (lengths, padded fields) and the rows to decline.

        A cell is JSON text (a CSV cell), or the list itself as read from a JSON record (then checked with
        `text_values` as the single-record path checks it); None or blank text is a list not given."""
        return self._read_list_cells(name, cells, rows, text_values)

    def _code(self, name: str, value: Any) -> int:
        """One validated value of input (or list field) `name` in the array encoding."""
        node = self._field_or_input(name)
        if isinstance(node, Num):
            return scaled(value, node.scale)
        if isinstance(node, Lab):
            return node.universe.index(value)
        return 1 if value else 0

    def encode(self, name: str, values: Sequence[Any]) -> np.ndarray:
        """Python values (Decimal/int, bool, label text; None = not given) as the array `evaluate_arrays` takes."""
        node = self._field_or_input(name)
        if isinstance(node, Items):
            raise KeyError(f"{name} is a list input: use encode_columns")
        if isinstance(node, Num):
            return np.array([NUMBER_ABSENT if v is None else scaled(Decimal(v), node.scale) for v in values], dtype=np.int64)
        if isinstance(node, Lab):
            return np.array([ABSENT_CODE if v is None else node.universe.index(v) for v in values], dtype=np.int64)
        if any(v is None for v in values):
            return np.array([ABSENT_CODE if v is None else int(bool(v)) for v in values], dtype=np.int8)
        return np.array([bool(v) for v in values], dtype=bool)

    def encode_columns(self, name: str, values: Sequence[Any]) -> dict[str, np.ndarray]:
        """The columns of one input for `evaluate_arrays`: {name: array}, or a list input's lengths and fields."""
        node = self._inputs[name]
        if not isinstance(node, Items):
            return {name: self.encode(name, values)}
        return self._list_columns(name, node, list(values), (len(values),))

    def _list_columns(self, key: str, node: Items, cells: list[Any], shape: tuple[int, ...], precoded: bool = False
                      ) -> dict[str, np.ndarray]:  # fmt: skip
        """Lists (one per cell of `shape`, row-major; None: not given) as their lengths and padded field columns,
        nested lists recursively. Items are mappings of already validated values (ABSENT or None: a field
        left out), or with `precoded` of their codes already (`_deep_items`)."""
        lengths = np.array([-1 if c is None else len(c) for c in cells], dtype=np.int64).reshape(shape)
        width = max(1, int(lengths.max(initial=0)))
        out: dict[str, np.ndarray] = {key: lengths}
        inner = (*shape, width)
        padded = [item for c in cells for item in (list(c or ()) + [None] * (width - len(c or ())))]
        assert node.record is not None
        for field, field_node in node.record.fields.items():
            column = field_key(key, field)
            values = [None if item is None else item.get(field) for item in padded]
            values = [None if v is ABSENT else v for v in values]
            if isinstance(field_node, Items):
                out.update(self._list_columns(column, field_node, values, inner, precoded))
                continue
            if isinstance(field_node, Bool):
                out[column] = np.array([bool(v) for v in values], dtype=bool).reshape(inner)
                continue
            if precoded:
                absent_code = NUMBER_ABSENT if isinstance(field_node, Num) else 0
                out[column] = np.array([absent_code if v is None else v for v in values], dtype=np.int64).reshape(inner)
                continue
            if isinstance(field_node, Num):
                power = field_node.scale
                codes = [NUMBER_ABSENT if v is None else int((v if isinstance(v, Decimal) else Decimal(str(v))).scaleb(power))
                         for v in values]  # fmt: skip  # validated: no more places than the scale
            else:
                index = {label: i for i, label in enumerate(field_node.universe)}  # type: ignore[attr-defined]
                codes = [0 if v is None else index[v] for v in values]
            out[column] = np.array(codes, dtype=np.int64).reshape(inner)
        return out

    def decode(self, name: str, values: np.ndarray, den: np.ndarray | None = None) -> list[str]:
        """An output array as the texts `kinerja.values.value_text` gives (a quotient's denominators in `den`)."""
        node = self._outputs[name]
        if isinstance(node, Num):
            if den is None:
                texts = _number_texts(values, node.scale, self._written.setdefault(name, {}))
                if len(self._written[name]) > _READ_KEPT:
                    self._written[name] = {}
            else:
                texts = _quotient_texts(values, den, node.scale)
            if name in self._applies:  # absent where the definition does not apply
                texts = ["-" if v == NUMBER_ABSENT else x for x, v in zip(texts, values.tolist(), strict=True)]
            return texts
        if isinstance(node, Lab):
            names = np.array([*node.universe, "-"], dtype=object)
            codes = np.where(values < 0, len(node.universe), values)
            return list(np.take(names, codes, mode="clip"))
        if values.dtype != bool:  # 1 / 0 / -1: a `when` boolean output may be absent
            return ["-" if v < 0 else "true" if v else "false" for v in values.tolist()]
        return ["true" if v else "false" for v in values.tolist()]

    def lookup_steps(self) -> tuple[str, ...]:
        """The steps compiled as lookup tables over their small finite domains (kinerja.vector.lut)."""
        return tuple(name for name, node in self._steps if isinstance(node, LookupNode))

    # ------------------------------------------------------------------ evaluation
    def evaluate_arrays(self, columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Outputs of already encoded input columns (see the module's docstring), and the ok mask under `OK_KEY`."""
        rows = _rows_of({k: v for k, v in columns.items() if "." not in k})
        ctx = Ctx(rows)
        bad: Mask = None
        for name in self.input_names:
            node = self._inputs[name]
            given = columns.get(name)
            absent: Mask | Callable[[], Mask]
            if isinstance(node, Items):
                bad = either(bad, self._settle_list(ctx, name, node, columns))
                continue
            if given is None:
                value: Any = None
                absent = np.ones(rows, dtype=bool)
            elif isinstance(node, Bool) and given.dtype == bool:
                value, absent = given, None
            else:
                value = given
                absent = _absent_of(given, NUMBER_ABSENT if isinstance(node, Num) else ABSENT_CODE)
                bad = either(bad, self._out_of_range(node, given, absent))
            bad = either(bad, self._settle(ctx, name, node, value, absent))
        return self._run(ctx, bad)

    def _out_of_range(self, node: Node, values: np.ndarray, absent: Callable[[], Mask]) -> Mask:
        if isinstance(node, Num):
            low, high = scaled(node.bounds.low, node.scale), scaled(node.bounds.high, node.scale)  # type: ignore[arg-type]
        else:  # a label's or boolean's code; -1 ("not given") is the absent code, never out of range
            low, high = ABSENT_CODE, (len(node.universe) if isinstance(node, Lab) else 2) - 1
        if not values.size or (low <= values.min() and values.max() <= high):
            return None  # two reductions settle the usual all-valid column without a mask per row
        outside = (values < low) | (values > high)
        if isinstance(node, Num):
            mask = absent()
            if mask is not None:
                outside &= ~mask
        return outside if outside.any() else None

    def _settle_list(self, ctx: Ctx, name: str, node: Items, columns: Mapping[str, np.ndarray | None]) -> Mask:
        """Store a list input's lengths and padded field columns (nested lists too); rows with a value out of
        range or a list longer than its columns are declined."""
        rows = ctx.rows
        keys = self._column_keys(name, node)
        if any(columns.get(k) is None for k in keys):  # not given (or not all of it): the list is absent
            columns = {k: np.full(rows, ABSENT_CODE, dtype=np.int64) if k == name else None for k in keys}
        lengths = np.asarray(columns[name], dtype=np.int64)
        absent = lengths < 0
        bad = self._settle_level(ctx, name, node, columns, np.where(absent, 0, lengths), (rows,))
        if absent.any():
            ctx.absent[name] = absent
            if name in self._required:
                bad = either(bad, absent)
        return bad if bad is not None and bad.any() else None

    def _column_keys(self, key: str, node: Items) -> list[str]:
        """The column keys of a list: its lengths, then each field (a nested list's keys recursively)."""
        assert node.record is not None
        found = [key]
        for field, field_node in node.record.fields.items():
            column = field_key(key, field)
            found += self._column_keys(column, field_node) if isinstance(field_node, Items) else [column]
        return found

    def _settle_level(self, ctx: Ctx, key: str, node: Items, columns: Mapping[str, np.ndarray | None],
                      lengths: np.ndarray, shape: tuple[int, ...]) -> Mask:  # fmt: skip
        """One list level: its lengths (non-negative, of `shape`) and its fields, padded to one width."""
        assert node.record is not None
        depth = len(shape)
        width = 0
        for field in node.record.fields:
            given = columns.get(field_key(key, field))
            if given is not None and np.ndim(given) > depth:
                width = np.shape(given)[depth]
                break
        width = min(width, node.max_items)
        ctx.values[key + WIDTH_SUFFIX] = width
        bad: Mask = (lengths > width).reshape(shape[0], -1).any(axis=1)
        lengths = np.minimum(lengths, width)
        ctx.values[key] = lengths
        present = np.arange(width) < lengths[..., None]
        inner = (*shape, width)
        for field, field_node in node.record.fields.items():
            column = field_key(key, field)
            given = columns.get(column)
            if isinstance(field_node, Items):
                nested = np.asarray(given, dtype=np.int64)[(slice(None),) * depth + (slice(0, width),)] if given is not None \
                    else np.full(inner, ABSENT_CODE, dtype=np.int64)  # fmt: skip
                nested = np.broadcast_to(nested, inner) if nested.shape != inner else nested
                missing = (nested < 0) & present
                if missing.any():
                    ctx.absent[column] = nested < 0
                bad = either(bad, self._settle_level(ctx, column, field_node, columns, np.where(present, np.maximum(nested, 0), 0), inner))
                continue
            cells = np.zeros(inner, dtype=bool if isinstance(field_node, Bool) else np.int64) if given is None \
                else np.asarray(given)[(slice(None),) * depth + (slice(0, width),)]  # fmt: skip
            if cells.shape != inner:
                cells = np.zeros(inner, dtype=cells.dtype)
            if isinstance(field_node, Bool):
                if cells.dtype != bool:
                    cells = cells == 1
            else:
                if isinstance(field_node, Num):
                    low, high = scaled(field_node.bounds.low, field_node.scale), scaled(field_node.bounds.high, field_node.scale)  # type: ignore[arg-type]
                    given_here = present & (cells != NUMBER_ABSENT) if node.record is not None and self._optional_field(column) else present
                    missing = present & (cells == NUMBER_ABSENT) if not self._optional_field(column) else None
                else:
                    low, high = 0, len(field_node.universe) - 1  # type: ignore[attr-defined]
                    given_here, missing = present, None
                outside = ((cells < low) | (cells > high)) & given_here
                if missing is not None:
                    outside = outside | missing
                bad = either(bad, outside.reshape(shape[0], -1).any(axis=1))
            ctx.values[column] = cells
        return bad if bad is not None and bad.any() else None

    def _optional_field(self, column: str) -> bool:
        """Whether a list field (by its column key) may be left out of an item."""
        parent, _, field = column.rpartition(".")
        kind = self._types.get(parent.split(".")[0])
        for part in parent.split(".")[1:]:
            kind = dict(kind.item.fields)[part] if isinstance(kind, t.ListT) and isinstance(kind.item, t.RecordT) else None  # type: ignore[union-attr]
        return isinstance(kind, t.ListT) and isinstance(kind.item, t.RecordT) and field in kind.item.optional

    def _settle(self, ctx: Ctx, name: str, node: Node, value: Any, absent: Mask | Callable[[], Mask]) -> Mask:
        """Store one input column; defaults fill the absent cells; a required input's absence is an error.
        `absent` may be a function giving the mask: an optional input's mask is then only built if read."""
        if callable(absent):
            if name in self._defaults or name in self._required or isinstance(node, Bool):
                absent = absent()
            else:
                ctx.absent.defer(name, absent)
                absent = None
                ctx.values[name] = value
                return None
        if absent is not None and name in self._defaults:
            fill = self._defaults[name]
            value = np.full(ctx.rows, fill) if value is None else np.where(absent, fill, value)
            absent = None
        if isinstance(node, Bool) and value is not None and value.dtype != bool:
            value = value == 1
        if value is None:  # a missing label column holds the absent code, as lookup tables read absence from it
            value = np.full(ctx.rows, ABSENT_CODE if isinstance(node, Lab) else 0, dtype=bool if isinstance(node, Bool) else np.int64)
        ctx.values[name] = value
        if absent is not None:
            ctx.absent[name] = absent
            if name in self._required:
                return absent
        return None

    def _run(self, ctx: Ctx, bad: Mask) -> dict[str, np.ndarray]:
        for name, node in self._steps:
            value, err = node.fn(ctx)
            if isinstance(node, Weights):
                for part, part_node in node.parts.items():
                    ctx.values[f"{name}.{part}"] = part_node.fn(ctx)[0]
            if isinstance(node, Num):
                if isinstance(node.den, Den):
                    ctx.values[name + DEN_SUFFIX] = node.den.fn(ctx)[0]
                if node.exactness.inexact is not None:
                    ctx.values[name + INEXACT_SUFFIX] = node.exactness.inexact(ctx)
            condition = self._applies.get(name)
            if condition is not None:
                value = self._not_applicable(ctx, name, node, value, condition)
            ctx.values[name] = value
            if err is not None:
                bad = either(bad, err)
        out: dict[str, np.ndarray] = {}
        rows = (ctx.rows,)
        for name in self.output_names:
            value = ctx.values[name]
            output = self._outputs[name]
            if isinstance(output, Bool) and name in self._applies:
                # a boolean cannot hold "absent": the input encoding's 1 / 0 / -1 (one dtype whatever the data)
                missing = ctx.absent.get(name)
                codes = np.asarray(value, dtype=np.int8)
                out[name] = np.broadcast_to(codes if missing is None else np.where(missing, np.int8(ABSENT_CODE), codes), rows)
                continue
            dtype = bool if isinstance(output, Bool) else np.int64
            out[name] = np.broadcast_to(np.asarray(value, dtype=dtype), rows)
            if isinstance(output, Num) and output.den != 1:
                den = output.den if isinstance(output.den, int) else ctx.values[name + DEN_SUFFIX]
                out[name + DEN_SUFFIX] = np.broadcast_to(np.asarray(den, dtype=np.int64), rows)
            if isinstance(output, Num) and output.exactness.kind == "composite":
                # arithmetic on quotients that do not end: the scalar's 40-digit text is not the exact value's
                unsure = ctx.values.get(name + INEXACT_SUFFIX)
                if unsure is not None:
                    bad = either(bad, unsure)
        ok = np.ones(ctx.rows, dtype=bool) if bad is None else ~np.broadcast_to(bad, rows)
        out[OK_KEY] = ok
        return out

    @staticmethod
    def _not_applicable(ctx: Ctx, name: str, node: Node, value: Any, condition: Node) -> Any:
        """Mark a `when` step absent where its condition is false; give the value stored there.

        The condition's errors were counted by the step itself (kinerja.vector.compile `applicable`).
        A label or number stores its absent code there, so lookup tables reading it (a digit with an
        absent code, kinerja.vector.lut) and the output arrays see absence as an optional input's."""
        holds, _ = condition.fn(ctx)
        missing = ~np.broadcast_to(np.asarray(holds, dtype=bool), (ctx.rows,))
        if not missing.any():
            ctx.absent[name] = None
            return value
        ctx.absent[name] = missing
        if isinstance(node, Lab):
            return np.where(missing, ABSENT_CODE, value)
        if isinstance(node, Num):
            return np.where(missing, NUMBER_ABSENT, value)
        return value

    # ------------------------------------------------------------------ text columns
    def evaluate_text_columns(self, columns: Mapping[str, Sequence[str]], rows: int) -> VectorOutcome:
        """The batch contract: raw cell texts in, output texts and an ok mask out.

        A list input's cell is its JSON text (`[{"a": 1, …}, …]`), as the batch writes it."""
        ctx = Ctx(rows)
        bad: Mask = None
        for name in self.input_names:
            node = self._inputs[name]
            cells = columns.get(name)
            if isinstance(node, Items):
                list_columns, cell_bad = self._read_list_cells(name, cells, rows)
                bad = either(bad, cell_bad)
                bad = either(bad, self._settle_list(ctx, name, node, list_columns))
                continue
            if cells is None:
                value, absent, cell_bad = None, np.ones(rows, dtype=bool), None
            else:
                value, absent, cell_bad = self._read_cells(name, node, cells, rows)
            bad = either(bad, cell_bad)
            bad = either(bad, self._settle(ctx, name, node, value, absent))
        answer = self._run(ctx, bad)
        ok = answer.pop(OK_KEY)
        texts: dict[str, list[str]] = {}
        for name in self.output_names:
            shown = self.decode(name, answer[name], answer.get(name + DEN_SUFFIX))
            absent = ctx.absent.get(name) if name in self._maybe_absent else None
            if absent is not None:
                shown = ["-" if a else x for x, a in zip(shown, absent.tolist(), strict=True)]
            texts[name] = shown
        return VectorOutcome(np.array(ok, dtype=bool), texts)

    def _read_cells(self, name: str, node: Node, cells: Sequence[str], rows: int) -> tuple[np.ndarray, Mask, Mask]:
        """Cells -> encoded column, absent mask, declined mask. Each distinct text is read once, by the
        single-record path's own `coerce`, so what is accepted (and how) is exactly what it accepts."""
        if len(cells) != rows:
            raise ValueError(f"column {name} has {len(cells)} cells, expected {rows}")
        expected = self._types[name]
        lookup = self._read[name]
        if len(lookup) > _READ_KEPT:  # a new dict, not clear(): another thread may be reading the old one
            lookup = self._read[name] = {}
        absent_code = NUMBER_ABSENT if isinstance(node, Num) else ABSENT_CODE
        bad_code = _BAD if isinstance(node, Num) else -2
        for text in dict.fromkeys(cells):
            if text in lookup:
                continue
            if not isinstance(text, str):
                lookup[text] = bad_code
                continue
            if text.strip() == "":
                lookup[text] = absent_code
                continue
            problems: list[Diagnostic] = []
            value = coerce(name, text, expected, problems, text_values=True)
            if problems or value is None:
                lookup[text] = bad_code
                continue
            if isinstance(expected, t.NumberT) and isinstance(node, Num):
                lookup[text] = scaled(value, node.scale)
            else:
                lookup[text] = self._code(name, value)
        codes = np.fromiter(map(lookup.__getitem__, cells), dtype=np.int64, count=rows)
        absent = codes == absent_code
        declined = codes == bad_code
        return codes, (absent if absent.any() else None), (declined if declined.any() else None)

    def _plain_reader(self, name: str) -> _PlainReader | None:
        """How `_plain_items` reads the items of list input `name` (None: it has a field this reader leaves
        to `coerce`)."""
        kind = self._types[name]
        assert isinstance(kind, t.ListT)
        record = kind.item
        if not isinstance(record, t.RecordT) or record.optional:
            return None
        fields: list[tuple[str, str, int, int, int, dict[str, int]]] = []
        for field, field_type in record.fields:
            node = self._field_or_input(field_key(name, field))
            if isinstance(node, Num) and isinstance(field_type, t.NumberT):
                low, high = scaled(node.bounds.low, node.scale), scaled(node.bounds.high, node.scale)  # type: ignore[arg-type]
                fields.append((field, "number", node.scale, low, high, {}))
            elif isinstance(node, Bool):
                fields.append((field, "boolean", 0, 0, 1, {}))
            elif isinstance(node, Lab) and isinstance(field_type, t.LabelT):
                fields.append((field, "label", 0, 0, 0, {label: i for i, label in enumerate(node.universe)}))
            else:
                return None
        return _PlainReader(tuple(fields), min(kind.max_items or MAX_ITEMS, MAX_ITEMS))

    def _deep_reader(self, key: str, kind: t.Type) -> _DeepReader | None:
        """How `_deep_items` reads a list with optional fields or nested lists (None: a field it cannot read)."""
        if not isinstance(kind, t.ListT) or not isinstance(kind.item, t.RecordT):
            return None
        record = kind.item
        fields: list[tuple[str, str, int, int, int, dict[str, int], bool, _DeepReader | None]] = []
        for field, field_type in record.fields:
            column = field_key(key, field)
            node = self._field_or_input(column)
            optional = field in record.optional
            if isinstance(node, Items):
                nested = self._deep_reader(column, field_type)
                if nested is None:
                    return None
                fields.append((field, "list", 0, 0, 0, {}, optional, nested))
            elif isinstance(node, Num) and isinstance(field_type, t.NumberT):
                low, high = scaled(node.bounds.low, node.scale), scaled(node.bounds.high, node.scale)  # type: ignore[arg-type]
                fields.append((field, "number", node.scale, low, high, {}, optional, None))
            elif isinstance(node, Bool) and not optional:
                fields.append((field, "boolean", 0, 0, 1, {}, False, None))
            elif isinstance(node, Lab) and isinstance(field_type, t.LabelT) and not optional:
                fields.append((field, "label", 0, 0, 0, {label: i for i, label in enumerate(node.universe)}, False, None))
            else:
                return None
        return _DeepReader(tuple(fields), frozenset(f[0] for f in fields), min(kind.max_items or MAX_ITEMS, MAX_ITEMS))

    def _precoded(self, key: str, node: Items, items: list[Any]) -> list[dict[str, Any]]:
        """Validated items (from `coerce`) with their values as codes, nested lists too (None: left out)."""
        assert node.record is not None
        found = []
        for item in items:
            coded: dict[str, Any] = {}
            for field, field_node in node.record.fields.items():
                value = item.get(field)
                column = field_key(key, field)
                if value is None or value is ABSENT:
                    coded[field] = None
                elif isinstance(field_node, Items):
                    coded[field] = self._precoded(column, field_node, value)
                elif isinstance(field_node, Bool):
                    coded[field] = 1 if value else 0
                else:
                    coded[field] = self._code(column, value)
            found.append(coded)
        return found

    def _read_list_cells(self, name: str, cells: Sequence[Any] | None, rows: int, text_values: bool = True
                         ) -> tuple[dict[str, np.ndarray], Mask]:  # fmt: skip
        """A list input's cells -> its columns (lengths, padded fields, nested lists) and the declined mask.

        Each distinct cell is read once: the plainest cells of a flat list by `_plain_items`, every other
        by the single-record path's own `coerce`."""
        node = self._inputs[name]
        assert isinstance(node, Items)
        if cells is None:
            return self._list_columns(name, node, [None] * rows, (rows,)), None
        if len(cells) != rows:
            raise ValueError(f"column {name} has {len(cells)} cells, expected {rows}")
        expected = self._types[name]
        reader = self._plain_reader(name)
        deep = self._deep_reader(name, self._types[name]) if reader is None else None
        parsed: dict[Any, Any] = {}  # key -> codes per item (a plain flat list), validated items, _ABSENT_LIST or None
        keys = [cell if cell is None or isinstance(cell, str) else _json_key(cell) for cell in cells]
        values = dict(zip(keys, cells, strict=True))
        for text in values:
            cell = values[text]
            if cell is None or (isinstance(cell, str) and cell.strip() == ""):
                parsed[text] = _ABSENT_LIST
                continue
            if isinstance(cell, str) and reader is not None:
                codes = _plain_text_items(cell, reader)
                if codes is not None:
                    parsed[text] = codes
                    continue
            if isinstance(cell, str) and deep is not None:
                try:
                    coded = _deep_items(_PLAIN_JSON.decode(cell), deep)
                except ValueError:
                    coded = None
                if coded is not None:
                    parsed[text] = _Validated(coded)
                    continue
            if isinstance(cell, str):
                try:
                    raw, checked_as_text = parse_json(cell), True
                except ValueError:
                    parsed[text] = None
                    continue
            elif isinstance(cell, list):
                raw, checked_as_text = cell, text_values
            else:
                parsed[text] = None
                continue
            codes = _plain_items(raw, reader) if reader is not None else None
            if codes is not None:
                parsed[text] = codes
                continue
            if deep is not None:
                coded = _deep_items(raw, deep)
                if coded is not None:
                    parsed[text] = _Validated(coded)
                    continue
            problems: list[Diagnostic] = []
            items = coerce(name, raw, expected, problems, text_values=checked_as_text)
            if problems or items is None or len(items) > node.max_items:
                parsed[text] = None
                continue
            if reader is not None:
                fields = self.list_fields(name)
                parsed[text] = [[self._code(field_key(name, f), item[f]) for f in fields] for item in items]
            else:
                parsed[text] = _Validated(self._precoded(name, node, items))
        found = [parsed[k] for k in keys]
        declined = np.array([f is None for f in found], dtype=bool)
        if reader is None:  # nested lists or optional fields: the general (slower) layout
            lists = [f.items if isinstance(f, _Validated) else None for f in found]
            return self._list_columns(name, node, lists, (rows,), precoded=True), (declined if declined.any() else None)
        fields = self.list_fields(name)
        width = max([1] + [len(f) for f in found if isinstance(f, list)])
        lengths = np.full(rows, ABSENT_CODE, dtype=np.int64)
        grid = np.zeros((rows, width, len(fields)), dtype=np.int64)
        for row, codes in enumerate(found):
            if isinstance(codes, list):
                lengths[row] = len(codes)
                if codes:
                    grid[row, : len(codes)] = codes
        columns = {name: lengths, **{field_key(name, f): grid[:, :, k] for k, f in enumerate(fields)}}
        return columns, (declined if declined.any() else None)


@dataclass(frozen=True)
class _DeepReader:
    # name, kind ("number", "boolean", "label", "list"), scale, low, high, labels, optional, nested list's reader
    fields: tuple[tuple[str, str, int, int, int, dict[str, int], bool, _DeepReader | None], ...]
    names: frozenset[str]
    max_items: int


def _deep_items(raw: Any, reader: _DeepReader) -> list[dict[str, Any]] | None:
    """The codes of a parsed list cell with optional fields or nested lists, in its plainest form (as
    `_plain_items`: anything else, None, is left to `coerce`). A left-out optional field is None, as
    `coerce` makes a field that is missing or null ABSENT."""
    if type(raw) is not list or len(raw) > reader.max_items:
        return None
    found: list[dict[str, Any]] = []
    names = reader.names
    for item in raw:
        if type(item) is not dict or any(k not in names for k in item):
            return None
        coded: dict[str, Any] = {}
        for name, kind, scale, low, high, labels, optional, nested in reader.fields:
            value = item.get(name)
            if value is None:
                if not optional:
                    return None
                coded[name] = None
                continue
            if kind == "number":
                code = _number_code(value, scale)
                if code is None or not low <= code <= high:
                    return None
                coded[name] = code
            elif kind == "list":
                assert nested is not None
                inner = _deep_items(value, nested)
                if inner is None:
                    return None
                coded[name] = inner
            elif kind == "boolean":
                if value is not True and value is not False:
                    return None
                coded[name] = 1 if value else 0
            else:
                label = labels.get(value, -1) if type(value) is str else -1
                if label < 0:
                    return None
                coded[name] = label
        found.append(coded)
    return found


@dataclass(frozen=True)
class _Validated:
    items: list[Any]  # a list cell as `coerce` gave it


_ABSENT_LIST = "absent"  # a blank list cell: the list is not given


# ---------------------------------------------------------------------- helpers
@dataclass(frozen=True)
class _PlainReader:
    fields: tuple[tuple[str, str, int, int, int, dict[str, int]], ...]  # name, kind, scale, low, high, labels
    max_items: int


class _FloatText(str):
    """A JSON number with a fraction or an exponent, kept as its text (`_PLAIN_JSON`)."""


_PLAIN_JSON = json.JSONDecoder(parse_float=_FloatText, parse_int=int)  # numbers by their text: no Decimal made


def _plain_text_items(text: str, reader: _PlainReader) -> list[list[int]] | None:
    """`_plain_items` of a JSON text cell, reading its numbers from their digits (the cheap way)."""
    try:
        raw = _PLAIN_JSON.decode(text)
    except ValueError:
        return None
    return _plain_items(raw, reader)


def _number_code(value: Any, scale: int) -> int | None:
    """A JSON number's count of 10**-scale: an int, a Decimal from `parse_json`, or the text of a fraction
    in plain notation with at most `scale` places; None for any other form."""
    kind = type(value)
    if kind is int:
        return value * 10**scale  # type: ignore[no-any-return]
    if kind is _FloatText:
        whole, dot, fraction = value.partition(".")
        if not dot or not fraction.isdigit() or not whole.lstrip("-").isdigit():
            return None  # an exponent (1e2, 1.5E-3): the careful way
        fraction = fraction.rstrip("0")
        if len(fraction) > scale:
            return None
        negative = whole.startswith("-")
        code = int(whole.lstrip("-")) * 10**scale + (int(fraction.ljust(scale, "0")) if scale else 0)
        if negative and code == 0:
            return None  # -0.0: the careful way
        return -code if negative else code
    if kind is Decimal:
        sign, _, exponent = value.as_tuple()
        if not isinstance(exponent, int) or exponent > 0 or -exponent > scale or (sign and not value):
            return None
        return int(value.scaleb(scale))
    return None


def _plain_items(raw: Any, reader: _PlainReader) -> list[list[int]] | None:
    """The codes of a parsed list cell in its plainest form, or None to leave the cell to `coerce`.

    Plain: a list of at most `max_items` objects with exactly the record's fields; numbers (Decimals from
    `parse_json`) in plain notation with no more places than declared, inside the declared range;
    booleans as JSON booleans; labels as one of their texts. The single-record path accepts each of
    these as it is, so their codes are `coerce`'s; anything else (text numbers, a decimal comma, an
    exponent, a missing or unknown field, a value out of range) goes the careful way, which also
    decides whether the row is valid at all.
    """
    if type(raw) is not list or len(raw) > reader.max_items:
        return None
    width = len(reader.fields)
    found: list[list[int]] = []
    for item in raw:
        if type(item) is not dict or len(item) != width:
            return None
        codes: list[int] = []
        for name, kind, scale, low, high, labels in reader.fields:
            value = item.get(name)
            if kind == "number":
                number = _number_code(value, scale)
                if number is None or not low <= number <= high:
                    return None
                code = number
            elif kind == "boolean":
                if value is not True and value is not False:
                    return None
                code = 1 if value else 0
            else:
                code = labels.get(value, -1) if type(value) is str else -1
                if code < 0:
                    return None
            codes.append(code)
        found.append(codes)
    return found


def _json_key(cell: Any) -> tuple[str, str]:
    """A hashable key of a list cell read from a JSON record: equal keys only for equal values of equal types
    (repr tells Decimal('1') from '1', which the single-record path may treat differently)."""
    return ("repr", repr(cell))


def _absent_of(values: np.ndarray, code: int) -> Callable[[], Mask]:
    def absent() -> Mask:
        mask = values == code
        return mask if mask.any() else None

    return absent


def _rows_of(columns: Mapping[str, np.ndarray]) -> int:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("columns of different lengths (or none)")
    return lengths.pop()


def number_text(value: int, scale: int) -> str:
    """A fixed-point count as `value_text` writes the decimal: 9000 at scale 2 -> "90", 8950 -> "89.5"."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), 10**scale)
    if scale == 0 or fraction == 0:
        return f"{sign}{whole}"
    digits = str(fraction).rjust(scale, "0").rstrip("0")
    return f"{sign}{whole}.{digits}"


def _quotient_texts(values: np.ndarray, den: np.ndarray, scale: int) -> list[str]:
    """Each (numerator, denominator) as the single-record path writes the quotient: exact where it ends,
    else rounded half-even at the 40th digit, as its decimal context does."""
    pairs = np.stack([np.asarray(values, dtype=np.int64), np.broadcast_to(np.asarray(den, dtype=np.int64), np.shape(values))], axis=1)
    distinct, inverse = np.unique(pairs, axis=0, return_inverse=True)
    power = Decimal(10) ** scale
    texts = np.array([decimal_text(ARITHMETIC.divide(Decimal(int(n)), Decimal(int(d)) * power)) for n, d in distinct.tolist()],
                     dtype=object)  # fmt: skip
    return list(texts[inverse.reshape(-1)])


def _number_texts(values: np.ndarray, scale: int, written: dict[int, str] | None = None) -> list[str]:
    """Each distinct value is written once: a population holds far fewer distinct scores than rows.
    `written` remembers texts across calls (a service writes the same scores request after request)."""
    distinct, inverse = np.unique(values, return_inverse=True)
    if written is None:
        written = {}
    texts = []
    for v in distinct.tolist():
        text = written.get(v)
        if text is None:
            text = written[v] = number_text(v, scale)
        texts.append(text)
    return list(np.array(texts, dtype=object)[inverse.reshape(-1)])
