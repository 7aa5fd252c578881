"""Lookup tables for definitions over small finite domains (a vector path strategy).

A definition whose value depends only on booleans and labels (inputs, or earlier
label/boolean definitions) can see only a few thousand distinct combinations. Its
compiled column operations (kinerja.vector.compile) are run once, at compile
time, over every combination; the values and errors they give become two tables.
At run time a row then costs the arithmetic that packs its codes into one index
and one gather, instead of a mask and an `np.where` per table row, per guard and
per absence check.

The tables are filled by the very column operations they replace, so they answer
exactly what those answer on every combination (tests/test_vector.py enumerates
them against the single-record path as well). Rows whose codes are out of range
are already declined by input validation; their index is garbage, kept inside
the table by `mode="clip"`, and whatever it gives is never used.
"""

from __future__ import annotations

from math import prod
from typing import Any

import numpy as np
from kinerja.syntax.frozen import dataclass
from kinerja.vector.compile import Absence, Array, Bool, Compiler, Ctx, Lab, Mask, Node, Num

LIMIT = 1 << 17  # combinations at most: the value table stays within a few hundred KB (cache resident)


class _Unknown(Exception):
    """A probe read something that is not a finite input or step."""


@dataclass(frozen=True)
class Digit:
    """One name a table reads, as a digit of the mixed-radix index."""

    name: str
    size: int  # values the digit takes
    offset: int  # added to the stored code: 1 for an optional label (-1, "not given", becomes 0)
    is_bool: bool
    optional: bool  # can be absent after defaults are filled
    stride: int = 1
    low: int = 0  # a number digit: its smallest stored value (an absent one is stored as low - 1's code, 0)
    number: bool = False  # stored as a number (its absent code is NUMBER_ABSENT, not -1)


class LookupNode:
    """Marker mixed into the nodes this module builds (tests and the plan can tell them apart)."""

    digits: tuple[Digit, ...] = ()


class LookupLab(Lab, LookupNode):
    pass


class LookupBool(Bool, LookupNode):
    pass


class LookupNum(Num, LookupNode):
    pass


# ---------------------------------------------------------------------- which names a node reads
class _TracingValues(dict[str, Any]):
    def __init__(self, dummy: dict[str, Array]):
        super().__init__()
        self.seen: set[str] = set()
        self._dummy = dummy

    def __missing__(self, key: str) -> Array:
        self.seen.add(key)
        if key not in self._dummy:
            raise _Unknown(key)
        value = self._dummy[key]
        self[key] = value
        return value


class _TracingAbsence(Absence):
    def __init__(self, masks: dict[str, Mask]):
        super().__init__()
        self.seen: set[str] = set()
        for name, mask in masks.items():
            self[name] = mask

    def get(self, name: str) -> Mask:
        self.seen.add(name)
        return super().get(name)


def _digit_of(compiler: Compiler, name: str) -> Digit | None:
    program = compiler.program
    node = compiler.nodes.get(name)
    if name in compiler.per_item:  # a value per item of a list: 2-D, not one code per row
        return None
    if name in program.by_name:
        if name in compiler.inputs:  # suppliable: the name means the input inside its own step, the step after
            return None
        # a `when` definition is absent where it does not apply: a digit of its own, like an optional input
        optional = name in compiler.conditional
    elif name in compiler.inputs:
        optional = name in compiler.optional_inputs
    else:
        return None
    if isinstance(node, Lab):
        return Digit(name, len(node.universe) + optional, int(optional), False, optional)
    if isinstance(node, Bool):
        return Digit(name, 2 + optional, 0, True, optional)
    if isinstance(node, Num) and node.den == 1 and node.exactness.kind == "exact":
        # a number with few values (a score 0-4, a count of days): a digit like a label's
        assert node.bounds.low is not None and node.bounds.high is not None
        low = node.bounds.low.scaleb(node.scale)
        high = node.bounds.high.scaleb(node.scale)
        if low != low.to_integral_value() or high - low >= NUMBER_VALUES:
            return None
        return Digit(name, int(high - low) + 1 + optional, int(optional) - int(low), False, optional, 1, int(low), True)
    return None


NUMBER_VALUES = 64  # a number digit takes at most this many values


def _probe(compiler: Compiler, node: Node, digits: list[Digit], rows: int) -> tuple[Array, Mask, set[str]]:
    """Run `node` over every combination of `digits` (row r holds digit i = r // stride % size)."""
    everything = np.arange(rows, dtype=np.int64)
    values: dict[str, Array] = {}
    masks: dict[str, Mask] = {}
    for d in digits:
        code = everything // d.stride % d.size
        if d.is_bool:
            values[d.name] = code == 1
            if d.optional:
                masks[d.name] = code == 2
        else:
            values[d.name] = code - d.offset
            if d.optional:
                masks[d.name] = code == 0
    ctx = Ctx(rows)
    traced_values = _TracingValues(values)
    traced_absent = _TracingAbsence(masks)
    ctx.values = traced_values
    ctx.absent = traced_absent
    value, err = node.fn(ctx)
    return value, err, traced_values.seen | traced_absent.seen


def lookup_table(compiler: Compiler, node: Node) -> Node:
    """`node` as a lookup over the combinations of what it reads, or `node` itself when that is not small."""
    if type(node) not in (Lab, Bool, Num) or (isinstance(node, Num) and (node.den != 1 or node.exactness.kind != "exact")):
        return node
    # Trace what the node reads with one row of placeholder codes for every finite name.
    names = [*compiler.inputs, *(d.name for d in compiler.program.definitions)]
    candidates = [d for d in (_digit_of(compiler, n) for n in names) if d]
    try:
        _, _, reads = _probe(compiler, node, [Digit(d.name, d.size, d.offset, d.is_bool, d.optional, 1, d.low, d.number) for d in candidates], 1)
    except _Unknown:
        return node
    by_name = {d.name: d for d in candidates}
    if not reads or not reads <= by_name.keys():
        return node
    chosen = sorted(reads, key=lambda n: -by_name[n].size)
    sizes = [by_name[n].size for n in chosen]
    total = prod(sizes)
    if total > LIMIT:
        return node
    digits: list[Digit] = []
    stride = 1
    for name in chosen:
        d = by_name[name]
        digits.append(Digit(d.name, d.size, d.offset, d.is_bool, d.optional, stride, d.low, d.number))
        stride *= d.size
    try:
        value, err, seen = _probe(compiler, node, digits, total)
    except _Unknown:
        return node
    if seen != reads:  # the node reads different names on different data: keep the general path
        return node
    dtype = bool if isinstance(node, Bool) else np.int64
    values = np.array(np.broadcast_to(np.asarray(value, dtype=dtype), (total,)))
    errors = np.zeros(total, dtype=bool) if err is None else np.array(np.broadcast_to(err, (total,)))
    return _build(node, tuple(digits), values, errors)


# ---------------------------------------------------------------------- run time
def _build(node: Node, digits: tuple[Digit, ...], values: np.ndarray, errors: np.ndarray) -> Node:
    total = len(values)
    # uint16 arithmetic is four times lighter than int64; it wraps, but the true index is below 2**16,
    # so the sum modulo 2**16 is the index (an optional label's code -1 plus its offset 1 wraps to 0).
    width: Any = np.uint16 if total <= 1 << 16 else np.uint32
    offset = width(sum(d.offset * d.stride for d in digits) % (1 << (16 if width is np.uint16 else 32)))
    any_error = bool(errors.any())
    # A label's codes are never negative where there is no error: -1 marks the error in the same gather.
    sentinel = any_error and isinstance(node, Lab) and bool((values[~errors] >= 0).all())
    if sentinel:
        values = values.copy()
        values[errors] = -1

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        index = np.full(ctx.rows, offset, dtype=width)
        scratch: np.ndarray | None = None
        for d in digits:
            code = _codes(ctx, d, width)
            if d.stride == 1:
                np.add(index, code, out=index)
            else:
                if scratch is None:
                    scratch = np.empty(ctx.rows, dtype=width)
                np.multiply(code, width(d.stride), out=scratch)
                np.add(index, scratch, out=index)
        wide = index.astype(np.intp)  # np.take converts a narrow index far more slowly than astype does
        value = np.take(values, wide, mode="clip")
        if not any_error:
            return value, None
        if sentinel:
            return value, value < 0
        return value, np.take(errors, wide, mode="clip")

    made: Node
    if isinstance(node, Lab):
        made = LookupLab(fn, node.universe)
    elif isinstance(node, Bool):
        made = LookupBool(fn)
    else:
        assert isinstance(node, Num)
        made = LookupNum(fn, node.scale, node.bounds)
    assert isinstance(made, LookupNode)
    made.digits = digits
    return made


def _codes(ctx: Ctx, d: Digit, width: Any) -> np.ndarray:
    """The stored codes of `d` narrowed to `width`, once per evaluation (tables reading one name share them)."""
    cache: dict[tuple[str, Any], np.ndarray] = ctx.__dict__.setdefault("_lookup_codes", {})
    key = (d.name, width)
    if key not in cache:
        stored = np.asarray(ctx.values[d.name])
        if d.optional and d.number:
            absent = ctx.absent.get(d.name)
            if absent is not None:  # an absent number (stored as its absent code) is the digit's 0
                stored = np.where(absent, d.low - 1, stored)
        code = stored.astype(width)
        if d.is_bool and d.optional:
            absent = ctx.absent.get(d.name)
            if absent is not None:  # an absent boolean is stored as false: its digit is 2
                code = np.broadcast_to(code, (ctx.rows,)).copy()
                code[absent] = 2
        cache[key] = code
    return cache[key]
