"""The vectorised evaluation path: a whole column of records at once, with numpy.

`plan_for(ruleset)` compiles a ruleset (engine/vector_compile.py) into column
operations on int64 fixed-point numbers, booleans and label codes, or returns
None when the ruleset uses something this path does not compile. The plan gives
exactly the single-record path's outputs on every row it marks ok; a row it is
unsure about (a text it does not read, a failing table lookup, a quotient that
does not end) is declined, and the batch runner evaluates it one by one.

Encoding used by `VectorPlan.evaluate_arrays` (and produced by `VectorPlan.encode`):

- a number input: int64 counts of 10**-places (`places 2`: 89.5 -> 8950; an
  integer input: the integer itself); `NUMBER_ABSENT` (int64 minimum) where
  the input is not given;
- a boolean input: a bool array, or an int8 array of 1 / 0 / -1 (not given);
- a label input: int codes, the index of the label in its type's labels in
  declared order (`plan.labels(name)`), -1 where not given.

Outputs come back in the same encodings: a number output as int64 counts of
10**-`plan.output_scale(name)`, a label output as codes into
`plan.labels(name)`; `plan.decode(name, array)` gives the texts. An output
defined with `when` is absent where its condition is false: `NUMBER_ABSENT`,
label code -1, or (a boolean) an int8 array of 1 / 0 / -1; decode gives "-".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from kinerja.diagnostics.diagnostic import Diagnostic
from kinerja.eval.inputs import coerce
from kinerja.semantics import types as t
from kinerja.vector.compile import (
    ABSENT_CODE,
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
from kinerja.vector.lut import LookupNode, lookup_table

if TYPE_CHECKING:
    from kinerja.library.ruleset import Ruleset

__all__ = ["NUMBER_ABSENT", "VectorOutcome", "VectorPlan", "plan_for"]

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
        checked = ruleset.checked
        self.ruleset = ruleset
        self.input_names: tuple[str, ...] = tuple(checked.inputs)
        compiler = Compiler(checked)
        compiler.compile_all()
        # A step over booleans and labels only becomes one gather from a table of all its combinations.
        self._steps = [(name, lookup_table(compiler, node)) for name, node in compiler.steps]
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
        for name, decl in checked.inputs.items():
            if decl.default is not None:
                problems: list[Diagnostic] = []
                value = coerce(name, decl.default.value, checked.types[name], problems)
                if problems:
                    raise Unsupported(f"default of {name}")
                self._defaults[name] = self._code(name, value)
            elif not decl.optional:
                self._required.add(name)
        self.output_names: tuple[str, ...] = tuple(o.name for o in checked.outputs)
        self._outputs: dict[str, Node] = {}
        for name in self.output_names:
            node = compiler.nodes[name] if name in compiler.nodes else self._inputs[name]
            if isinstance(node, Weights) or not isinstance(node, (Num, Lab, Bool)):
                raise Unsupported(f"output {name} is a weight set")
            self._outputs[name] = node
        # Outputs that are optional inputs show "-" where not given, and `when` definitions where they do not apply.
        self._maybe_absent = {n for n in self.output_names if n in checked.inputs and n not in checked.definitions
                              and checked.inputs[n].optional and checked.inputs[n].default is None}  # fmt: skip
        self._maybe_absent |= {n for n in self.output_names if n in self._applies}

    # ------------------------------------------------------------------ encodings
    def labels(self, name: str) -> tuple[str, ...]:
        """The labels an input's or output's codes index."""
        node = self._outputs.get(name) or self._inputs[name]
        if not isinstance(node, Lab):
            raise KeyError(f"{name} is not a label")
        return node.universe

    def input_scale(self, name: str) -> int:
        node = self._inputs[name]
        if not isinstance(node, Num):
            raise KeyError(f"{name} is not a number")
        return node.scale

    def output_scale(self, name: str) -> int:
        node = self._outputs[name]
        if not isinstance(node, Num):
            raise KeyError(f"{name} is not a number")
        return node.scale

    def _code(self, name: str, value: Any) -> int:
        """One validated value of input `name` in the array encoding."""
        node = self._inputs[name]
        if isinstance(node, Num):
            return scaled(value, node.scale)
        if isinstance(node, Lab):
            return node.universe.index(value)
        return 1 if value else 0

    def encode(self, name: str, values: Sequence[Any]) -> np.ndarray:
        """Python values (Decimal/int, bool, label text; None = not given) as the array `evaluate_arrays` takes."""
        node = self._inputs[name]
        if isinstance(node, Num):
            return np.array([NUMBER_ABSENT if v is None else scaled(Decimal(v), node.scale) for v in values], dtype=np.int64)
        if isinstance(node, Lab):
            return np.array([ABSENT_CODE if v is None else node.universe.index(v) for v in values], dtype=np.int64)
        if any(v is None for v in values):
            return np.array([ABSENT_CODE if v is None else int(bool(v)) for v in values], dtype=np.int8)
        return np.array([bool(v) for v in values], dtype=bool)

    def decode(self, name: str, values: np.ndarray) -> list[str]:
        """An output array as the texts `kinerja.values.value_text` gives."""
        node = self._outputs[name]
        if isinstance(node, Num):
            texts = _number_texts(values, node.scale, self._written.setdefault(name, {}))
            if len(self._written[name]) > _READ_KEPT:
                self._written[name] = {}
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
        """The steps compiled as lookup tables over their small finite domains (engine/vector_lut.py)."""
        return tuple(name for name, node in self._steps if isinstance(node, LookupNode))

    # ------------------------------------------------------------------ evaluation
    def evaluate_arrays(self, columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Outputs of already encoded input columns (see the module's docstring), and the ok mask under `OK_KEY`."""
        rows = _rows_of(columns)
        ctx = Ctx(rows)
        bad: Mask = None
        for name in self.input_names:
            node = self._inputs[name]
            given = columns.get(name)
            absent: Mask | Callable[[], Mask]
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
            low, high = scaled(node.low, node.scale), scaled(node.high, node.scale)
        else:  # a label's or boolean's code; -1 ("not given") is the absent code, never out of range
            low, high = ABSENT_CODE, (len(node.universe) if isinstance(node, Lab) else 2) - 1
        if not len(values) or (low <= values.min() and values.max() <= high):
            return None  # two reductions settle the usual all-valid column without a mask per row
        outside = (values < low) | (values > high)
        if isinstance(node, Num):
            mask = absent()
            if mask is not None:
                outside &= ~mask
        return outside if outside.any() else None

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
            condition = self._applies.get(name)
            if condition is not None:
                value = self._not_applicable(ctx, name, node, value, condition)
            ctx.values[name] = value
            if err is not None:
                bad = either(bad, err)
        out: dict[str, np.ndarray] = {}
        for name in self.output_names:
            value = ctx.values[name]
            output = self._outputs[name]
            if isinstance(output, Bool) and name in self._applies:
                # a boolean cannot hold "absent": the input encoding's 1 / 0 / -1 (one dtype whatever the data)
                missing = ctx.absent.get(name)
                codes = np.asarray(value, dtype=np.int8)
                out[name] = np.broadcast_to(codes if missing is None else np.where(missing, np.int8(ABSENT_CODE), codes), (ctx.rows,))
                continue
            dtype = bool if isinstance(output, Bool) else np.int64
            out[name] = np.broadcast_to(np.asarray(value, dtype=dtype), (ctx.rows,))
        ok = np.ones(ctx.rows, dtype=bool) if bad is None else ~np.broadcast_to(bad, (ctx.rows,))
        out[OK_KEY] = ok
        return out

    @staticmethod
    def _not_applicable(ctx: Ctx, name: str, node: Node, value: Any, condition: Node) -> Any:
        """Mark a `when` step absent where its condition is false; give the value stored there.

        The condition's errors were counted by the step itself (engine/vector_compile.py `_applicable`).
        A label or number stores its absent code there, so lookup tables reading it (a digit with an
        absent code, engine/vector_lut.py) and the output arrays see absence as an optional input's."""
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
        """The batch contract: raw cell texts in, output texts and an ok mask out."""
        ctx = Ctx(rows)
        bad: Mask = None
        for name in self.input_names:
            node = self._inputs[name]
            cells = columns.get(name)
            if cells is None:
                value, absent, cell_bad = None, np.ones(rows, dtype=bool), None
            else:
                value, absent, cell_bad = self._read_cells(name, node, cells, rows)
            bad = either(bad, cell_bad)
            bad = either(bad, self._settle(ctx, name, node, value, absent))
        answer = self._run(ctx, bad)
        ok = answer.pop(OK_KEY)
        texts: dict[str, list[str]] = {}
        for name, values in answer.items():
            shown = self.decode(name, values)
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
        expected = self.ruleset.checked.types[name]
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


# ---------------------------------------------------------------------- helpers
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
