"""Lists on the column path: padded 2-D columns for list inputs, unrolled nodes for written lists.

A list input `xs: list of { a: …, b: … }` is held as one length column `xs` (int64, -1 where
not given) and one 2-D column per field, `xs.a`, `xs.b` (rows × width, padded past each
row's length; the padding is never read). An aggregate over it, `sum(x.a × x.b for x in xs
where x.b > 0)`, computes its body once on the 2-D columns, a row-level value read there
broadcasting along the items, and reduces along the items: a population of lists costs a
few whole-array operations, never a Python loop per employee.

A list nested in the items (`iki.triwulan`) is one more axis: lengths rows × items, fields rows ×
items × nested items; reductions always run along the last axis. A sum of per-item quotients
(each item with its own denominator) is added exactly with Python integers per row and declined
where its reduced denominator passes what 64 bits hold (`_total_of_quotients`).

A written list (`[a, b, c]`) is unrolled: its few items are ordinary row-level nodes.

What a reduction means (a mean is a sum over a count, an empty mean fails) is the builtin
table's word (kinerja.semantics.builtins, the list forms' `vector` meanings); this module
gives it the sums, counts and extremes it asks for. Rows whose list is longer than
`MAX_ITEMS` are declined (the ranges of sums are fixed at compile time from that bound).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from kinerja.semantics import intervals as iv
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.syntax.frozen import dataclass
from kinerja.vector import arith
from kinerja.vector.nodes import (
    EXACT,
    LIMIT,
    Array,
    Bool,
    Const,
    Ctx,
    Den,
    Exactness,
    Fn,
    Items,
    Mask,
    Node,
    Num,
    Record,
    Unsupported,
    either,
    magnitude,
    within,
)

if TYPE_CHECKING:
    from kinerja.vector.compile import Compiler, Scope

MAX_ITEMS = 1024  # items per row the column path answers for; longer lists go to the single-record path


# What a sum of per-item quotients leaves for later operations on it: its per-row denominator is capped at
# 2**62 / (range × this). Later operations that could then pass 64 bits (a rounding to 2 places, a product)
# are done with Python integers (kinerja.vector.arith, "narrowing"), so a small headroom is enough.
QUOTIENT_HEADROOM = 10


def field_key(name: str, field: str) -> str:
    """The key of a list input's field column in `Ctx.values` and in `VectorPlan.evaluate_arrays`' columns."""
    return f"{name}.{field}"


def input_items(name: str, kind: t.ListT, depth: int = 1) -> Items:
    """The items of list input (or nested list field) `name` as columns of `depth + 1` dimensions.

    A nested list `iki.triwulan` has its lengths under `iki.triwulan` (rows × items, -1 where an
    optional list is not given) and its fields under `iki.triwulan.ke` (rows × items × quarters). An
    optional number field holds `NUMBER_ABSENT` where an item leaves it out.
    """
    from kinerja.vector.compile import value_node

    record_type = kind.item
    if not isinstance(record_type, t.RecordT):
        raise Unsupported(f"{name} is a list of {record_type.describe()}")
    if depth > 2:
        raise Unsupported(f"{name} is a list nested twice")
    fields: dict[str, Node] = {}
    for f, ftype in record_type.fields:
        key = field_key(name, f)
        if isinstance(ftype, t.ListT):
            fields[f] = input_items(key, ftype, depth + 1)
            continue
        node = value_node(_reader(key), ftype, key)
        if f in record_type.optional and not isinstance(node, Num):
            raise Unsupported(f"{key} is an optional field that is not a number")  # no absent code in its column
        fields[f] = node
    if not fields:
        raise Unsupported(f"{name} is a list of empty records")
    most = min(kind.max_items or MAX_ITEMS, MAX_ITEMS)

    if depth == 1:
        def present(ctx: Ctx) -> tuple[Array, Mask]:
            lengths = np.asarray(ctx.values[name])
            width = int(ctx.values.get(name + WIDTH_SUFFIX, 0))
            return np.arange(width) < lengths[:, None], None
    else:
        def present(ctx: Ctx) -> tuple[Array, Mask]:
            lengths = np.asarray(ctx.values[name])
            width = int(ctx.values.get(name + WIDTH_SUFFIX, 0))
            return np.arange(width) < lengths[..., None], None

    return Items(present, record=Record(Const(None), fields, name), max_items=most)


WIDTH_SUFFIX = "/width"  # where the plan stores a list's padded width in `Ctx.values`


def _reader(key: str) -> Fn:
    return lambda ctx: (ctx.values[key], None)


@dataclass
class Unrolled:
    """The items of a written list, each a row-level node, with the body compiled per item."""

    elements: list[Node]
    values: list[Node]
    weights: list[Node] | None
    conditions: list[Bool | None]


@dataclass
class Column:
    """The items of a list input: the body compiled once on 2-D columns."""

    present: Fn  # rows × width: the items each row has (its errors: reading an absent list)
    value: Node | None
    weight: Node | None
    where: Bool | None
    max_items: int


Collection = Unrolled | Column


def collect(compiler: Compiler, source: Items, e: ir.Reduce, scope: Scope) -> Collection:
    """The items a reduction sees: its body (`item by weight for v in list where cond`) compiled on them."""
    if source.nodes is not None:
        values: list[Node] = []
        weights: list[Node] = []
        conditions: list[Bool | None] = []
        for element in source.nodes:
            inner = scope.bind(e.variable, element, items=False) if e.variable is not None else scope
            values.append(compiler.expr(e.item, inner) if e.item is not None else element)
            if e.weight is not None:
                weights.append(compiler.expr(e.weight, inner))
            conditions.append(compiler.boolean(compiler.expr(e.where, inner)) if e.where is not None else None)
        return Unrolled(list(source.nodes), values, weights if e.weight is not None else None, conditions)
    if source.record is None or e.variable is None:
        raise Unsupported("an aggregate over a list without a variable")
    inner = scope.bind(e.variable, source.record, items=True)
    value = compiler.expr(e.item, inner) if e.item is not None else None
    weight = compiler.expr(e.weight, inner) if e.weight is not None else None
    where = compiler.boolean(compiler.expr(e.where, inner)) if e.where is not None else None
    return Column(source.fn, value, weight, where, source.max_items)


# ------------------------------------------------------------------ unrolled lists
def _elements_error(items: Unrolled) -> Fn:
    """Building a written list evaluates every element: their errors count on every row."""
    fns = [node.fn for node in items.elements]

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        err: Mask = None
        for f in fns:
            err = either(err, f(ctx)[1])
        return None, err

    return fn


def _kept(value: Num, condition: Bool | None) -> Num:
    """An item's value where its `where` holds, 0 elsewhere (the condition's errors always count)."""
    if condition is None:
        return value
    vf, cf = value.fn, condition.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        c, cerr = cf(ctx)
        v, verr = vf(ctx)
        return np.where(c, v, 0), either(cerr, within(c, verr))

    bounds = iv.join(value.bounds, iv.constant(Decimal(0)))
    assert isinstance(bounds, iv.Num)
    return Num(fn, value.scale, bounds, value.den, value.exactness, value.top)


def _with_errors(node: Num, extra: Fn) -> Num:
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return value, either(err, extra(ctx)[1])

    return Num(fn, node.scale, node.bounds, node.den, node.exactness, node.top)


def _number(node: Node) -> Num:
    if not isinstance(node, Num):
        raise Unsupported("a number was expected in an aggregate")
    return node


def _parts(items: Unrolled, part: str) -> list[Num]:
    if part == "value":
        return [_number(v) for v in items.values]
    if items.weights is None:
        raise Unsupported("weights of an aggregate without `by`")
    if part == "weight":
        return [_number(w) for w in items.weights]
    return [arith.multiply(_number(v), _number(w)) for v, w in zip(items.values, items.weights, strict=True)]


# ------------------------------------------------------------------ reductions
def total(items: Collection, part: str = "value") -> Num:
    """The sum of the items' values ("value"), weights ("weight") or value × weight ("product")."""
    if isinstance(items, Unrolled):
        terms = [_kept(v, c) for v, c in zip(_parts(items, part), items.conditions, strict=True)]
        if not terms:
            return arith.number_const(Decimal(0))
        found = terms[0]
        for term in terms[1:]:
            found = arith.add(found, term)
        return _with_errors(found, _elements_error(items))
    value = _column_part(items, part)
    count = iv.Num(Decimal(0), Decimal(items.max_items), Decimal(1))
    bounds = iv.multiply(value.bounds, count)
    if not isinstance(bounds, iv.Num):
        raise Unsupported("a sum without a known range")
    if not isinstance(value.den, int):
        return _total_of_quotients(items, value, bounds)
    include, errors = _included(items, value)
    vf = value.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        kept, err = include(ctx)
        v, _ = vf(ctx)
        return np.where(kept, v, 0).sum(axis=-1), either(err, errors(ctx, kept))

    exactness = _column_exactness(value, include, items.max_items)
    return Num(fn, value.scale, bounds, value.den, exactness, (value.top or Fraction(0)) * items.max_items)


def _total_of_quotients(items: Column, value: Num, bounds: iv.Num) -> Num:
    """The exact sum of items whose denominators differ from item to item (`mean(t.nilai for t in …)` where
    each nilai is a quotient of the item's own fields).

    Each row's fractions are added exactly with Python integers (the common denominator of a few items
    can pass 64 bits, where no int64 scheme is exact), reduced, and brought back to the column
    encoding: a numerator over a per-row denominator at most `cap`, which keeps every later operation
    inside 64 bits (checked at compile time as for any quotient). A row whose reduced sum needs a
    larger denominator is declined (an error of the node): the single-record path answers it.
    """
    assert isinstance(value.den, Den)
    power = 10**value.scale  # folded into the denominator: the sum is kept at scale 0, reduced
    cap = int(Fraction(LIMIT - 1) / (magnitude(bounds) * QUOTIENT_HEADROOM))
    if cap < 1:
        raise Unsupported("a sum of quotients too large for 64-bit integers")
    include, errors = _included(items, value)
    vf, df = value.fn, value.den.fn
    key = object()

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        if key in ctx.cache:
            return ctx.cache[key]  # type: ignore[no-any-return]
        kept, err = include(ctx)
        v = np.broadcast_to(np.asarray(vf(ctx)[0]), kept.shape)
        d = np.broadcast_to(np.asarray(df(ctx)[0]), kept.shape).astype(object) * power
        numerator = np.zeros(kept.shape[:-1], dtype=object)
        den = np.ones(kept.shape[:-1], dtype=object)
        for j in range(kept.shape[-1]):
            here = kept[..., j]
            if not here.any():
                continue
            a = np.where(here, v[..., j], 0).astype(object)
            b = np.where(here, d[..., j], 1).astype(object)
            numerator = numerator * b + a * den
            den = den * b
            common = np.gcd(numerator, den)
            numerator, den = numerator // common, den // common
        too_large = np.asarray((den > cap) | (np.abs(numerator) >= LIMIT), dtype=bool)
        fits = ~too_large
        found = (np.where(fits, numerator, 0).astype(np.int64), np.where(fits, den, 1).astype(np.int64),
                 either(either(err, errors(ctx, kept)), too_large if too_large.any() else None))  # fmt: skip
        ctx.cache[key] = found
        return found

    fn, den_fn = arith.split_rational(parts)

    exactness = _column_exactness(value, include, items.max_items)
    return Num(fn, 0, bounds, Den(den_fn, cap), exactness)


def count(items: Collection) -> Num:
    if isinstance(items, Unrolled):
        if all(c is None for c in items.conditions):
            return _with_errors(arith.number_const(Decimal(len(items.values))), _elements_error(items))
        conditions = [c.fn for c in items.conditions if c is not None]
        fixed = sum(1 for c in items.conditions if c is None)
        elements = _elements_error(items)

        def counted(ctx: Ctx) -> tuple[Array, Mask]:
            found: Array = fixed
            err: Mask = elements(ctx)[1]
            for f in conditions:
                value, cerr = f(ctx)
                found = found + np.asarray(value, dtype=np.int64)
                err = either(err, cerr)
            return found, err

        return Num(counted, 0, iv.Num(Decimal(0), Decimal(len(items.values)), Decimal(1)))
    include, errors = _included(items, None)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        kept, err = include(ctx)
        return kept.sum(axis=-1), either(err, errors(ctx, kept))

    return Num(fn, 0, iv.Num(Decimal(0), Decimal(items.max_items), Decimal(1)))


def extreme_of(compiler: Compiler, which: str, items: Collection) -> Num:
    """The least or greatest item; an error where no item is kept (the scalar path fails there)."""
    if isinstance(items, Unrolled):
        values = [_number(v) for v in items.values]
        if not values:
            raise Unsupported(f"{which}() of an empty list")
        if all(c is None for c in items.conditions):
            return _with_errors(arith.extreme(which, values), _elements_error(items))
        merged = arith.merge(values)
        if not isinstance(merged[0].den, int):
            raise Unsupported(f"{which}() of quotients with a where")
        conditions = items.conditions
        fns = [m.fn for m in merged]
        elements = _elements_error(items)

        def unrolled(ctx: Ctx) -> tuple[Array, Mask]:
            stacked, kept, err = [], [], elements(ctx)[1]
            found = [(f(ctx), (True, None) if c is None else c.fn(ctx)) for f, c in zip(fns, conditions, strict=True)]
            shapes = [np.shape(a) for (v, _), (held, _) in found for a in (v, held) if np.ndim(a) > 0]
            shape = np.broadcast_shapes(*shapes) if shapes else (ctx.rows,)
            for (v, verr), (held, cerr) in found:
                stacked.append(np.broadcast_to(v, shape))
                kept.append(np.broadcast_to(held, shape))
                err = either(either(err, cerr), within(held, verr))
            return _masked_extreme(which, np.stack(stacked, axis=-1), np.stack(kept, axis=-1), err)

        bounds = iv.join_all([m.bounds for m in merged])
        assert isinstance(bounds, iv.Num)
        first = merged[0]
        return Num(unrolled, first.scale, bounds, first.den, arith.choice_exactness(merged), max(m.top or 0 for m in merged))
    value = _column_part(items, "value")
    if not isinstance(value.den, int):
        raise Unsupported(f"{which}() of quotients with different denominators per item")
    include, errors = _included(items, value)
    vf = value.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        kept, err = include(ctx)
        v, _ = vf(ctx)
        return _masked_extreme(which, np.broadcast_to(v, kept.shape), kept, either(err, errors(ctx, kept)))

    exactness = value.exactness if value.exactness.kind == "exact" else _column_exactness(value, include, 1)
    return Num(fn, value.scale, value.bounds, value.den, exactness, value.top)


def _masked_extreme(which: str, values: np.ndarray, kept: np.ndarray, err: Mask) -> tuple[Array, Mask]:
    if values.shape[-1] == 0:
        return np.zeros(values.shape[:-1], dtype=np.int64), either(err, np.ones(values.shape[:-1], dtype=bool))
    info = np.iinfo(np.int64)
    if which == "min":
        found = np.where(kept, values, info.max).min(axis=-1)
    else:
        found = np.where(kept, values, info.min).max(axis=-1)
    empty = ~kept.any(axis=-1)
    return np.where(empty, 0, found), either(err, empty if empty.any() else None)


# ------------------------------------------------------------------ column helpers
def _column_part(items: Column, part: str) -> Num:
    if part == "value":
        if items.value is None:
            raise Unsupported("an aggregate without an item")
        return _number(items.value)
    if items.weight is None:
        raise Unsupported("weights of an aggregate without `by`")
    if part == "weight":
        return _number(items.weight)
    assert items.value is not None
    return arith.multiply(_number(items.value), _number(items.weight))


def _included(items: Column, value: Num | None) -> tuple[Fn, Any]:
    """`include(ctx)`: the items each row keeps (present and `where`), with the list's own errors;
    `errors(ctx, kept)`: the rows whose kept items (or whose `where` on any item) fail."""
    present, where = items.present, items.where
    key = object()

    def include(ctx: Ctx) -> tuple[Array, Mask]:
        if key not in ctx.cache:
            real, err = present(ctx)
            kept = real
            if where is not None:
                w, _ = where.fn(ctx)
                kept = real & w
            ctx.cache[key] = (np.asarray(kept, dtype=bool), err, real)
        kept, err, _ = ctx.cache[key]
        return kept, err

    parts = [n for n in (items.value, items.weight) if n is not None] if value is not None else []

    def errors(ctx: Ctx, kept: np.ndarray) -> Mask:
        _, _, real = ctx.cache[key]
        err: Mask = None
        if where is not None:
            err = _rows(where.fn(ctx)[1], real)
        for node in parts:
            err = either(err, _rows(node.fn(ctx)[1], kept))
        return err

    return include, errors


def rows_of(err: Mask, where: np.ndarray) -> Mask:
    """Item-level errors on the items `where`, as one flag per parent (a row, or an item of a nested list)."""
    return _rows(err, where)


def _rows(err: Mask, where: np.ndarray) -> Mask:
    """Item-level errors (rows × items, or broadcasting) on the items `where`, as one flag per row."""
    if err is None:
        return None
    found = (np.broadcast_to(err, where.shape) & where).any(axis=-1)
    return found if found.any() else None


def _column_exactness(value: Num, include: Fn, count: int) -> Exactness:
    if value.exactness.kind == "exact":
        return EXACT
    inner = value.exactness.inexact

    def inexact(ctx: Ctx) -> Mask:
        if inner is None:
            return None
        found = inner(ctx)
        if found is None:
            return None
        kept, _ = include(ctx)
        return _rows(found, kept)

    error = value.exactness.error * count + arith.ulp_of(value.bounds) * count
    return Exactness("composite", error, inexact)
