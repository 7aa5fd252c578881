"""Compile a ruleset's IR (kinerja.semantics.ir) into column operations on numpy arrays.

Every number is an exact rational column (kinerja.vector.arith): fixed-point int64
numerators, with a denominator where a quotient does not end. Scales and ranges are fixed
at compile time from the declared input ranges (kinerja.semantics.intervals), so an
overflow is ruled out before anything runs: a node that could pass 2**62 makes the
compiler give up (`Unsupported`) and the ruleset is left to the single-record path. A row
on which the single-record path would fail (a table with no matching row, an absent
optional input read, a division by zero, an empty mean) is flagged in an error mask and
later declined.

The compiler walks IR nodes only. Row conditions and axis keys are matched through
kinerja.semantics.conditions (`NumberLine` cuts the number line once per table); builtins
run their table entry's vector meaning (`Builtin.vector`), with this compiler as the
`VectorKit` it calls back. No builtin is known here by name.

Nodes compute on every row, including rows where the single-record path would never
evaluate them (the untaken side of an `if`): values there are garbage, and an error there
is only counted where the single-record path would have got to it. No text of the
ruleset is evaluated; the closures are built from the IR.

A definition with `when C` is computed on every row too, but its errors count only where
C holds (C's own errors count everywhere). Where C is false the plan marks the definition
absent in `Ctx.absent`, exactly like an optional input that is not given.

List inputs are padded 2-D columns (rows × items, see kinerja.vector.lists), a list nested in
their items 3-D; an aggregate over one computes its body on those columns and reduces along the
last axis. A definition per item of a list (`value iki.nilai = …`) is a 2-D step computed with the
same node functions; a pick (`top … by`, `first`, `last`, `bottom`) is an argmax/argmin along the
items, and a picked record gathers its fields at the chosen position.

Arithmetic that no compile-time range bounds (a ratio of two list fields, a weighted mean of
per-item quotients) is "narrowed" (kinerja.vector.arith): done exactly with Python integers and
brought back to 64 bits per row, declining the rows that do not fit; decisions whose 40-digit error
cannot be ruled out statically decline, per row, the values within that error of a boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from kinerja.semantics import conditions as cond
from kinerja.semantics import intervals as iv
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.builtins import CallOptions
from kinerja.syntax.frozen import dataclass
from kinerja.vector import arith, lists
from kinerja.vector.arith import number_const, places_of, scaled
from kinerja.vector.nodes import (
    ABSENT_CODE,
    LIMIT,
    NUMBER_ABSENT,
    Absence,
    Array,
    Bool,
    Const,
    Ctx,
    Den,
    Fn,
    Items,
    Lab,
    Mask,
    Node,
    Num,
    Record,
    Unsupported,
    Weights,
    cached,
    constant_of,
    either,
    reader,
    with_fn,
    within,
)

__all__ = [
    "ABSENT_CODE", "LIMIT", "NUMBER_ABSENT", "Absence", "Array", "Bool", "Compiler", "Ctx", "Lab", "Mask", "Node",
    "Num", "Unsupported", "Weights", "either", "scaled",
]  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """What an expression sees besides the ruleset's names: the variables of the aggregates around it.

    `depth` counts the lists whose items the values here span: 0 for a record (1-D columns), 1 inside
    an aggregate over a list or a definition per item (rows × items), 2 inside an aggregate over a
    nested list (rows × items × nested items). A value of a shallower level read here is lifted (trailing
    axes of length 1) to broadcast along the deeper ones.
    """

    names: tuple[tuple[str, Node, int], ...] = ()
    depth: int = 0

    @property
    def items(self) -> bool:
        return self.depth > 0

    def get(self, name: str) -> Node | None:
        for n, node, depth in self.names:
            if n == name:
                return lift(node, self.depth - depth)
        return None

    def bind(self, name: str, node: Node, items: bool) -> Scope:
        depth = self.depth + 1 if items else self.depth
        return Scope(((name, node, depth), *self.names), depth)


TOP = Scope()


# ------------------------------------------------------------------ the compiler
class Compiler:
    """Walks an `ir.Program`; implements `kinerja.semantics.builtins.VectorKit` for the builtins' vector meanings."""

    def __init__(self, program: ir.Program):
        self.program = program
        self.inputs: dict[str, ir.Input] = {i.name: i for i in program.inputs}
        self.nodes: dict[str, Node] = {}  # what a name reads: inputs first, then each step
        self.steps: list[tuple[str, Node]] = []
        self.optional_inputs = {i.name for i in program.inputs if i.optional and i.name not in program.by_name}
        # definitions with `when`: absent where their condition is false, so reading one may fail (K708)
        self.conditional: frozenset[str] = frozenset(d.name for d in program.definitions if d.applies is not None)
        self.applies: dict[str, Bool] = {}  # each `when` definition's compiled condition (the plan masks with it)
        self.scope = TOP  # what a definition's body sees: TOP, or the items of a list for a definition per item
        self.current_item: Record | None = None  # the item a definition per item is computed on
        self.per_item: set[str] = set()  # definitions per item of a list: their steps are 2-D (rows × items)

    # ---------------------------------------------------------- inputs
    def input_node(self, name: str) -> Node:
        kind = self.inputs[name].type
        if isinstance(kind, t.ListT):
            return lists.input_items(name, kind)
        return value_node(reader(name), kind, name)

    # ---------------------------------------------------------- definitions
    def compile_all(self) -> None:
        for item in self.program.inputs:
            if item.name not in self.program.by_name:
                self.nodes[item.name] = self.input_node(item.name)
        for d in self.program.definitions:
            node = self.definition(d)
            self.steps.append((d.name, node))
            self.nodes[d.name] = as_read(node, d.name)

    def definition(self, d: ir.Definition) -> Node:
        if d.level:
            return self.definition_per_item(d)
        body = d.body
        if d.applies is not None and isinstance(body, ir.WeightSet):
            # a weight set's parts are read as weight parts, which have no absence check here
            raise Unsupported(f"weights {d.name} applies only `when` a condition holds")
        node: Node
        if isinstance(body, ir.Formula):
            node = self.expr(body.expr, self.scope)
        elif isinstance(body, ir.Bands):
            node = self.bands(body, d.type)
        elif isinstance(body, ir.Matrix):
            node = self.matrix(body, d.type)
        else:
            node = self.weights(body)
        if d.suppliable:
            node = self.suppliable(d, node)
        if d.exceptions:
            node = self.with_exceptions(node, d.exceptions, d.type)
        if d.applies is not None:
            # outermost, as in the scalar evaluator: where the condition is false neither the definition
            # nor its exceptions (nor a supplied value) are looked at
            condition = self.boolean(self.expr(d.applies, self.scope))
            self.applies[d.name] = condition
            node = applicable(node, condition)
        return node

    def definition_per_item(self, d: ir.Definition) -> Node:
        """A definition per item of a list: its body on the list's 2-D columns, one value per item.

        The step's value is 2-D (rows × items); its errors count on the items each row really has (the
        single-record path computes it on every item of a given list, and on nothing when the list is
        absent). Where its `when` is false on an item, the item's value is absent (`Ctx.absent` holds
        the 2-D mask under the definition's name), as the scalar path stores nothing there.
        """
        if len(d.level) != 1:
            raise Unsupported(f"{d.name} is a value per item of a nested list")
        holder = self.nodes.get(d.level[0])
        if not isinstance(holder, Items) or holder.record is None:
            raise Unsupported(f"{d.name}: a value per item of something other than a list input")
        if isinstance(d.body, ir.WeightSet) or d.suppliable:
            raise Unsupported(f"{d.name}: weights or a given value per item")
        saved = self.scope, self.current_item
        self.scope, self.current_item = Scope(depth=1), holder.record
        try:
            body = d.body
            node: Node
            if isinstance(body, ir.Formula):
                node = self.expr(body.expr, self.scope)
            elif isinstance(body, ir.Bands):
                node = self.bands(body, d.type)
            else:
                assert isinstance(body, ir.Matrix)
                node = self.matrix(body, d.type)
            if d.exceptions:
                node = self.with_exceptions(node, d.exceptions, d.type)
            condition = self.boolean(self.expr(d.applies, self.scope)) if d.applies is not None else None
        finally:
            self.scope, self.current_item = saved
        if condition is not None:
            node = applicable(node, condition)
        self.per_item.add(d.name)
        return per_item_step(node, holder.fn, condition, d.name)

    def suppliable(self, d: ir.Definition, computed: Node) -> Node:
        """Given as input where supplied, computed elsewhere; the computation's errors count only where it ran."""
        given = self.input_node(d.name)
        merged = self.merge_kinds([given, computed], d.type)
        name = d.name

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            absent = ctx.absent.get(name)
            index = np.zeros(ctx.rows, dtype=np.int64) if absent is None else absent.astype(np.int64)
            return index, None

        return self.choose(pick, merged)

    def with_exceptions(self, base: Node, exceptions: tuple[ir.ExceptionRule, ...], declared: t.Type) -> Node:
        conditions = [self.boolean(self.expr(e.condition, self.scope)) for e in exceptions]
        results = [self.expr(e.result, self.scope) for e in exceptions]
        merged = self.merge_kinds([*results, base], declared)
        n = len(exceptions)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            evaluated: list[tuple[Array, Mask]] = [c.fn(ctx) for c in conditions]
            index = np.full(_shape_of([v for v, _ in evaluated], ctx.rows), n, dtype=np.int64)
            for i in range(n - 1, -1, -1):
                index = np.where(evaluated[i][0], i, index)
            err: Mask = None
            for i, (_, cerr) in enumerate(evaluated):
                err = either(err, within(index >= i, cerr))
            return index, err

        return self.choose(pick, merged)

    def weights(self, body: ir.WeightSet) -> Weights:
        conditions = [self.boolean(self.expr(b.condition, self.scope)) if b.condition is not None else None for b in body.branches]
        n = len(body.branches)
        always = any(c is None for c in conditions)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            if n == 1 and conditions[0] is None:
                return 0, None
            index = np.full(ctx.rows, -1, dtype=np.int64)
            evaluated = [c.fn(ctx) if c is not None else (True, None) for c in conditions]
            for i in range(n - 1, -1, -1):
                index = np.where(evaluated[i][0], i, index)
            err: Mask = None
            for i, (_, cerr) in enumerate(evaluated):
                err = either(err, within((index >= i) | (index < 0), cerr))
            if not always:
                err = either(err, index < 0)
            return index, err

        key = object()
        parts: dict[str, Num] = {}
        for part in body.parts:
            values = [dict(b.parts)[part] for b in body.branches]
            scale = max(places_of(v) for v in values)
            table = np.array([scaled(v, scale) for v in values], dtype=np.int64)
            bounds = iv.Num(min(values), max(values), None)
            parts[part] = Num(_taker(pick, table, key), scale, bounds)

        def whole(ctx: Ctx) -> tuple[Array, Mask]:
            _, err = cached(ctx, key, pick)
            return None, err

        return Weights(whole, parts)

    # ---------------------------------------------------------- tables
    def bands(self, body: ir.Bands, declared: t.Type) -> Node:
        subject = self.expr(body.subject, self.scope)
        conditions = [row.condition for row in body.rows]
        key, holds = self.matcher(subject, conditions)
        guards = [self.boolean(self.expr(row.guard, self.scope)) if row.guard is not None else None for row in body.rows]
        results = [self.expr(row.result, self.scope) for row in body.rows]
        merged = self.merge_kinds(results, declared)
        unique = body.hit == "unique"
        n = len(body.rows)

        if all(g is None for g in guards):
            # each piece of the subject's domain decides its row once, at compile time: one gather per row
            counts = holds.sum(axis=0)
            first = np.where(holds.any(axis=0), holds.argmax(axis=0), -1)
            decided = np.where(counts == 1, first, -1) if unique else first

            def lookup(ctx: Ctx) -> tuple[Array, Mask]:
                k, err = key(ctx)
                index = np.take(decided, k, mode="clip")
                missing = index < 0
                return index, either(err, missing if np.any(missing) else None)

            return self.choose(lookup, merged)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            k, err = key(ctx)
            hits: list[Array] = []
            reached: list[tuple[Array, Mask]] = []
            for i, guard in enumerate(guards):
                m = np.take(holds[i], k, mode="clip")
                if guard is not None:
                    g, gerr = guard.fn(ctx)
                    hits.append(m & g)
                    reached.append((m, gerr))
                else:
                    hits.append(m)
                    reached.append((m, None))
            if unique:
                shape = _shape_of([k, *hits], ctx.rows)
                count = np.zeros(shape, dtype=np.int64)
                index = np.full(shape, -1, dtype=np.int64)
                for i, hit in enumerate(hits):
                    count = count + hit
                    index = np.where(hit, i, index)
                    err = either(err, within(reached[i][0], reached[i][1]))
                return index, either(err, count != 1)
            index = np.full(_shape_of([k, *hits], ctx.rows), -1, dtype=np.int64)
            for i in range(n - 1, -1, -1):
                index = np.where(hits[i], i, index)
            for i, (m, gerr) in enumerate(reached):
                if gerr is not None:  # a guard runs where its row's condition holds and no earlier row was taken
                    err = either(err, within(((index < 0) | (index >= i)) & m, gerr))
            return index, either(err, index < 0)

        return self.choose(pick, merged)

    def matrix(self, body: ir.Matrix, declared: t.Type) -> Node:
        row_key, row_holds = self.matcher(self.expr(body.row_subject, self.scope), list(body.row_keys))
        column_key, column_holds = self.matcher(self.expr(body.column_subject, self.scope), list(body.column_keys))
        width = len(body.column_keys)
        flat = [c for row in body.cells for c in row]
        present = [self.expr(c, self.scope) for c in flat if c is not None]
        if not present:
            raise Unsupported("a quadrant without cells")
        merged = self.merge_kinds(present, declared)
        slot_of = np.full(len(flat) + 1, -1, dtype=np.int64)  # the last slot: no key matched
        for k, c in enumerate(i for i, c in enumerate(flat) if c is not None):
            slot_of[c] = k
        first_row = np.where(row_holds.any(axis=0), row_holds.argmax(axis=0), -1)
        first_column = np.where(column_holds.any(axis=0), column_holds.argmax(axis=0), -1)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            rk, rerr = row_key(ctx)
            ck, cerr = column_key(ctx)
            ri = np.take(first_row, rk, mode="clip")
            ci = np.take(first_column, ck, mode="clip")
            cell = np.where((ri < 0) | (ci < 0), len(flat), ri * width + ci)
            slot = np.broadcast_to(np.take(slot_of, cell), _shape_of([rk, ck], ctx.rows))
            return slot, either(either(rerr, cerr), slot < 0)

        return self.choose(pick, merged)

    def matcher(self, subject: Node, conditions: list[cond.Condition]) -> tuple[Fn, np.ndarray]:
        """`key(ctx)`: an index per row into the subject's pieces; `holds[i, k]`: condition i holds on piece k.

        Numbers are cut into pieces by a `NumberLine`; a label's pieces are its codes (piece 0: not
        given), a boolean's are false and true.
        """
        if isinstance(subject, Lab):
            pieces = [None, *subject.universe]
            holds = np.array([[v is not None and cond.matches(c, v) for v in pieces] for c in conditions], dtype=bool)
            inner = subject.fn

            def label_key(ctx: Ctx) -> tuple[Array, Mask]:
                codes, err = inner(ctx)
                return np.asarray(codes) + 1, err

            return label_key, holds.reshape(len(conditions), len(pieces))
        if isinstance(subject, Bool):
            holds = np.array([[cond.matches(c, False), cond.matches(c, True)] for c in conditions], dtype=bool)
            inner_bool = subject.fn

            def bool_key(ctx: Ctx) -> tuple[Array, Mask]:
                value, err = inner_bool(ctx)
                return np.asarray(value, dtype=np.int64), err

            return bool_key, holds.reshape(len(conditions), 2)
        if isinstance(subject, Num) and all(cond.is_numeric(c) for c in conditions):
            line = cond.NumberLine.of(conditions)
            # filled piece by piece from what each holds: linear in the holdings (asking every row
            # about every piece cost rows × pieces: a 10,000-row table took minutes)
            holds = np.zeros((len(conditions), len(line.pieces)), dtype=bool)
            for k, piece in enumerate(line.pieces):
                if piece.holding:
                    holds[list(piece.holding), k] = True
            return number_line_key(subject, line), holds.reshape(len(conditions), len(line.pieces))
        raise Unsupported("a condition that does not fit its subject")

    # ---------------------------------------------------------- choosing among alternatives
    def merge_kinds(self, nodes: list[Node], declared: t.Type | None) -> list[Node]:
        """The alternatives brought to one representation: one scale and denominator form, or one label universe."""
        if all(isinstance(n, Num) for n in nodes):
            return list(arith.merge([n for n in nodes if isinstance(n, Num)]))
        if all(isinstance(n, Lab) for n in nodes):
            labs = [n for n in nodes if isinstance(n, Lab)]
            universe = list(declared.labels) if isinstance(declared, t.LabelT) else []
            for n in labs:
                universe += [x for x in n.universe if x not in universe]
            return [relabel(n, tuple(universe)) for n in labs]
        if all(isinstance(n, Bool) for n in nodes):
            return nodes
        raise Unsupported("alternatives of different kinds")

    def choose(self, pick: Fn, nodes: list[Node]) -> Node:
        """A node whose value on each row is alternative `index` (from `pick`); errors of the chosen one count."""
        constants = [constant_of(node) for node in nodes]
        dtype = bool if isinstance(nodes[0], Bool) else np.int64
        table = np.array([c if c is not None else 0 for c in constants], dtype=dtype)
        first = nodes[0]
        if isinstance(first, Num) and isinstance(first.den, Den):
            pick = _cached_fn(pick, object())  # the numerator and the denominator are picked by one index
        chosen = [(i, node.fn) for i, node in enumerate(nodes) if constants[i] is None]

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            index, err = pick(ctx)
            index = np.asarray(index)
            out = np.take(table, index, mode="clip")
            for i, f in chosen:
                value, verr = f(ctx)
                here = index == i
                out = np.where(here, value, out)
                err = either(err, within(here, verr))
            return out, err

        if isinstance(first, Num):
            nums = [x for x in nodes if isinstance(x, Num)]
            bounds = iv.join_all([x.bounds for x in nums])
            assert isinstance(bounds, iv.Num)
            den: int | Den = first.den
            if isinstance(first.den, Den):
                den = Den(_chosen_den(pick, nums), max(x.den_high for x in nums))
            return Num(fn, first.scale, bounds, den, arith.choice_exactness(nums), max(x.top or 0 for x in nums))
        if isinstance(first, Lab):
            return Lab(fn, first.universe)
        return Bool(fn)

    # ---------------------------------------------------------- expressions
    def boolean(self, node: Node) -> Bool:
        if not isinstance(node, Bool):
            raise Unsupported("a condition that is not true/false")
        return node

    def expr(self, e: ir.Expr, scope: Scope) -> Node:
        if isinstance(e, ir.Const):
            return constant_node(e.value)
        if isinstance(e, ir.Read):
            return self.read(e, scope)
        if isinstance(e, ir.Present):
            if e.subject is not None:
                return self.given_field(e, scope)
            name = e.name

            def given(ctx: Ctx) -> tuple[Array, Mask]:
                absent = ctx.absent.get(name)
                return (True if absent is None else ~absent), None

            return lift(Bool(given), scope.depth)
        if isinstance(e, ir.WeightPart):
            holder = self.nodes.get(e.weights)
            if not isinstance(holder, Weights) or e.part not in holder.parts:
                raise Unsupported(f"weight part {e.weights}.{e.part}")
            part = holder.parts[e.part]
            return lift(part, scope.depth)
        if isinstance(e, ir.Field):
            if e.definition is not None:
                return self.item_value(e, scope)
            record = self.expr(e.subject, scope)
            if isinstance(record, Record) and record.pick is not None:
                found = record.fields.get(e.name)
                if found is None or isinstance(found, Items):
                    raise Unsupported(f"field {e.name} of a picked item")
                gathered = gather(found, record)
                return _absent_number_fails(gathered) if e.absence is not None and isinstance(gathered, Num) else gathered
            if isinstance(record, Record) and e.absence is not None and isinstance(record.fields.get(e.name), Items):
                return self.optional_list(record, e.name, scope)
            if isinstance(record, Record) and e.absence is not None:  # an optional field read where left out: K704
                found = record.fields.get(e.name)
                if not isinstance(found, Num):
                    raise Unsupported(f"{e.name}: an optional field of a list item that is not a number")
                return _absent_number_fails(found)
            if not isinstance(record, Record) or e.name not in record.fields:
                raise Unsupported("a field of something other than a list item")
            return record.fields[e.name]
        if isinstance(e, ir.Negate):
            return arith.negate(self.number(self.expr(e.operand, scope)))
        if isinstance(e, ir.Not):
            b = self.boolean(self.expr(e.operand, scope))
            return Bool(_map1(b.fn, np.logical_not))
        if isinstance(e, ir.Arith):
            return self.arith(e.op, self.number(self.expr(e.left, scope)), self.number(self.expr(e.right, scope)))
        if isinstance(e, ir.Logic):
            return self.logic(e.op, self.boolean(self.expr(e.left, scope)), self.boolean(self.expr(e.right, scope)))
        if isinstance(e, ir.Compare):
            return self.compare(e, self.expr(e.left, scope), self.expr(e.right, scope))
        if isinstance(e, ir.Choose):
            condition = self.boolean(self.expr(e.condition, scope))
            alternatives = self.merge_kinds([self.expr(e.then, scope), self.expr(e.otherwise, scope)], e.type)

            def pick(ctx: Ctx) -> tuple[Array, Mask]:
                c, err = condition.fn(ctx)
                return np.where(c, 0, 1), err

            return self.choose(pick, alternatives)
        if isinstance(e, ir.Call):
            return self.call(e, scope)
        if isinstance(e, ir.Reduce):
            return self.reduce(e, scope)
        if isinstance(e, ir.ListOf):
            return Items(Const(None), nodes=[self.expr(x, scope) for x in e.items])
        raise Unsupported(type(e).__name__)

    def item_value(self, e: ir.Field, scope: Scope) -> Node:
        """`i.nilai`: a definition per item read on an item of its own list (its stored 2-D column)."""
        record = self.expr(e.subject, scope)
        d = self.program.definition(e.definition or "")
        node = self.nodes.get(e.definition or "")
        if not isinstance(record, Record) or d is None or node is None or record.path != ".".join(d.level):
            raise Unsupported(f"{e.name}: a value per item read on something other than an item of its list")
        if e.absence is not None:  # absent where its `when` is false on the item: reading it there fails (K708)
            node = reading_optional(node, d.name)
        if record.pick is not None:  # a value per item of a picked item: gathered at its position
            return gather(node, record)
        return lift(node, scope.depth - len(d.level))

    def optional_list(self, record: Record, name: str, scope: Scope) -> Items:
        """An optional list field read on an item: an error where the item leaves it out (K704)."""
        found = record.fields[name]
        assert isinstance(found, Items)
        if record.pick is not None or scope.depth != 1:
            raise Unsupported(f"optional list {name} read here")
        key, present = f"{record.path}.{name}", found.fn

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            value, err = present(ctx)
            return value, either(err, ctx.absent.get(key))  # the items leaving the list out (the plan's mask)

        return Items(fn, found.nodes, found.record, found.max_items)

    def given_field(self, e: ir.Present, scope: Scope) -> Bool:
        """`given(i.f)`: whether a field of an item holds a value (a definition per item with `when`)."""
        assert e.subject is not None
        record = self.expr(e.subject, scope)
        if not isinstance(record, Record):
            raise Unsupported("given() of a field of something other than a list item")
        name = f"{record.path}.{e.name}"
        if name in self.per_item:
            if name not in self.conditional:
                return Bool(Const(True))
            if record.pick is not None:
                raise Unsupported(f"given() of {e.name} of a picked item")
            axes = scope.depth - (name.count("."))  # the mask is the definition's own level (rows × items)

            def given(ctx: Ctx) -> tuple[Array, Mask]:
                absent = ctx.absent.get(name)
                return (True if absent is None else _axes(~absent, axes)), None

            return Bool(given)
        field = record.fields.get(e.name)
        if isinstance(field, Num) and record.pick is not None:
            field = gather(field, record)
        if isinstance(field, Num):  # an optional number field holds NUMBER_ABSENT where an item leaves it out
            inner = field.fn

            def given_number(ctx: Ctx) -> tuple[Array, Mask]:
                value, err = inner(ctx)
                return np.asarray(value) != NUMBER_ABSENT, err

            return Bool(given_number)
        if isinstance(field, Items):  # an optional nested list: the plan marks the items leaving it out
            if record.pick is not None:
                raise Unsupported(f"given() of list {e.name} of a picked item")
            axes = scope.depth - name.count(".")

            def given_list(ctx: Ctx) -> tuple[Array, Mask]:
                missing = ctx.absent.get(name)
                return (True if missing is None else _axes(~missing, axes)), None

            return Bool(given_list)
        raise Unsupported(f"given() of field {e.name} of a list item")

    def read(self, e: ir.Read, scope: Scope) -> Node:
        if e.scope == "item":
            if self.current_item is None or self.current_item.path != e.name:
                raise Unsupported(f"the item of {e.name} outside a value per item of it")
            return lift(self.current_item, scope.depth - 1)
        if e.scope == "local":
            found = scope.get(e.name)
            if found is None:
                raise Unsupported(f"name {e.name}")
            return found
        node = self.nodes.get(e.name)
        if node is None:
            raise Unsupported(f"name {e.name}")
        if e.absence is not None:  # reading it where it holds nothing fails (K704, K708): decline there
            node = reading_optional(node, e.name)
        return lift(node, scope.depth)

    def number(self, node: Node) -> Num:
        if not isinstance(node, Num):
            raise Unsupported("a number was expected")
        return node

    def logic(self, op: str, a: Bool, b: Bool) -> Bool:
        af, bf = a.fn, b.fn

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            x, xerr = af(ctx)
            y, yerr = bf(ctx)
            if op == "and":  # the right side is evaluated only where the left holds
                return x & y, either(xerr, within(x, yerr) if yerr is not None else None)
            return x | y, either(xerr, within(~np.asarray(x, dtype=bool), yerr) if yerr is not None else None)

        return Bool(fn)

    def compare(self, e: ir.Compare, left: Node, right: Node) -> Bool:
        op = e.op
        if isinstance(left, Lab) and isinstance(right, Lab):
            if e.order is None:
                universe = tuple(dict.fromkeys(left.universe + right.universe))
                a, b = relabel(left, universe), relabel(right, universe)
                return Bool(_map2(a.fn, b.fn, np.equal if op == "=" else np.not_equal))
            ra, rb = rank_of(left, e.order, 0), rank_of(right, e.order, 0)
            return Bool(arith.compare(op, ra, rb))
        if isinstance(left, Bool) and isinstance(right, Bool) and op in ("=", "!="):
            return Bool(_map2(left.fn, right.fn, np.equal if op == "=" else np.not_equal))
        if isinstance(left, Num) and isinstance(right, Num):
            return Bool(arith.compare(op, left, right))
        raise Unsupported(f"operator {op} on these values")

    def call(self, e: ir.Call, scope: Scope) -> Node:
        meaning = e.builtin.vector
        if meaning is None:
            raise Unsupported(f"{e.builtin.name}() on columns")
        args = [self.expr(a, scope) for a in e.args]
        return self.bounded(meaning(self, args, e.options), e.builtin.interval, args, e.options)

    def bounded(self, node: Any, interval: Any, args: list[Node], options: CallOptions) -> Node:
        """A builtin's result, its range narrowed by the builtin's interval meaning (the table's own word)."""
        if not isinstance(node, Node):
            raise Unsupported("a builtin's vector meaning gave no column")
        if isinstance(node, Num) and interval is not None:
            found = interval([a.bounds if isinstance(a, Num) else None for a in args], options)
            if isinstance(found, iv.Num) and iv.bounded(found):
                assert node.bounds.low is not None and node.bounds.high is not None
                assert found.low is not None and found.high is not None
                low, high = max(node.bounds.low, found.low), min(node.bounds.high, found.high)
                if low <= high and (low, high) != (node.bounds.low, node.bounds.high) and hasattr(node, "narrowing"):
                    return arith.renarrowed(node, iv.Num(low, high, node.bounds.step))
                if low <= high and (low, high) != (node.bounds.low, node.bounds.high):
                    return Num(node.fn, node.scale, iv.Num(low, high, node.bounds.step), node.den, node.exactness, node.top)
        return node

    def pick(self, e: ir.Reduce, scope: Scope) -> Node:
        """`first`, `last`, `top`, `bottom`: the position of the chosen item along the list's last axis, found
        from the item's keys and position packed into one integer, then `item` read on that item.

        Which item the builtin chooses is asked of its own table entry (`Builtin.pick` on two probes): whether
        it wants the largest keys, and whether a tie goes to the later item. An empty choice fails (K707)."""
        choose = e.builtin.pick
        assert choose is not None
        source = self.expr(e.items, scope)
        if not isinstance(source, Items) or source.record is None or e.variable is None:
            raise Unsupported(f"{e.builtin.name}() of something other than a list of records")
        largest = choose([(Decimal(1),), (Decimal(2),)]) == 1 if e.keys else True
        later = choose([(Decimal(1),), (Decimal(1),)]) == 1 if e.keys else choose([(), ()]) == 1
        inner = scope.bind(e.variable, source.record, items=True)
        where = self.boolean(self.expr(e.where, inner)) if e.where is not None else None
        keys = [self.number(self.expr(k, inner)) for k in e.keys]
        radix: list[tuple[Fn, int, int]] = []  # each key's numerators, their lowest value and how many values
        span = 1
        for key in keys:
            if key.den != 1 or key.exactness.kind != "exact":
                raise Unsupported(f"{e.builtin.name}() by a key that is a quotient")
            low, high = scaled(key.bounds.low, key.scale), scaled(key.bounds.high, key.scale)  # type: ignore[arg-type]
            radix.append((key.fn, low, high - low + 1))
            span *= high - low + 1
        if span * lists.MAX_ITEMS >= LIMIT:
            raise Unsupported(f"{e.builtin.name}() by keys with too many values for 64-bit integers")
        present = source.fn

        def position(ctx: Ctx) -> tuple[Array, Mask]:
            real, err = present(ctx)
            real = np.asarray(real, dtype=bool)
            kept = real
            if where is not None:
                held, werr = where.fn(ctx)
                kept = real & np.asarray(held, dtype=bool)
                err = either(err, lists.rows_of(werr, real))
            width = real.shape[-1]
            if width == 0:
                empty = np.ones(real.shape[:-1], dtype=bool)
                return np.zeros(real.shape[:-1], dtype=np.int64), either(err, empty)
            packed: Array = 0
            for fn, low, size in radix:
                value, kerr = fn(ctx)
                packed = packed * size + (np.asarray(value) - low)
                err = either(err, lists.rows_of(kerr, kept))
            order = np.arange(width) if later == largest else width - 1 - np.arange(width)
            packed = np.broadcast_to(np.asarray(packed) * width + order, kept.shape)
            if largest:
                index = np.where(kept, packed, -1).argmax(axis=-1)
            else:
                index = np.where(kept, packed, np.iinfo(np.int64).max).argmin(axis=-1)
            empty = ~kept.any(axis=-1)
            return index, either(err, empty if empty.any() else None)

        picked = Record(position, source.record.fields, source.record.path, position, scope.depth + 1)
        if e.item is None:
            return picked
        return self.expr(e.item, scope.bind(e.variable, picked, items=False))

    def reduce(self, e: ir.Reduce, scope: Scope) -> Node:
        if e.builtin.pick is not None:
            return self.pick(e, scope)
        meaning = e.builtin.vector
        if meaning is None:
            raise Unsupported(f"{e.builtin.name}() of a list on columns")
        source = self.expr(e.items, scope)
        if not isinstance(source, Items):
            raise Unsupported("an aggregate over something other than a list")
        collection = lists.collect(self, source, e, scope)
        node = meaning(self, [collection], CallOptions())
        interval = e.builtin.reduce_interval
        if isinstance(node, Num) and hasattr(node, "narrowing") and interval is not None:
            # a reduction narrowed per row (weighted mean of quotients): its items' range bounds it
            value = collection.value if isinstance(collection, lists.Column) else None
            item = value.bounds if isinstance(value, Num) else None
            found = interval(item, collection.max_items if isinstance(collection, lists.Column) else None, e.where is not None,
                             CallOptions()) if item is not None else None  # fmt: skip
            if isinstance(found, iv.Num) and iv.bounded(found):
                node = arith.renarrowed(node, found)
        return self.bounded(node, None, [], CallOptions())

    def arith(self, op: str, left: Num, right: Num) -> Num:
        if op == "+":
            return arith.add(left, right)
        if op == "-":
            return arith.add(left, right, subtract=True)
        if op == "*":
            return arith.multiply(left, right)
        return arith.divide(left, right)

    # ---------------------------------------------------------- VectorKit (kinerja.semantics.builtins)
    def extreme(self, which: str, nodes: list[Any]) -> Any:
        return arith.extreme(which, [self.number(n) for n in nodes])

    def round(self, node: Any, places: int, mode: str) -> Any:
        return arith.round_to(self.number(node), places, mode)

    def elementwise(self, node: Any, function: Callable[[np.ndarray], np.ndarray], bounds: iv.Abstract) -> Any:
        """`function` on the numerators, for functions with f(c·x) = c·f(x) for c > 0 and |f(x)| <= |x| (abs,
        negation). Without `bounds` the range is [-m, m] for the operand's magnitude m, narrowed afterwards by
        the builtin's interval meaning."""
        number = self.number(node)
        fn = _map1(number.fn, function)
        if not (isinstance(bounds, iv.Num) and iv.bounded(bounds)):
            top = max(abs(number.bounds.low), abs(number.bounds.high))  # type: ignore[arg-type]
            bounds = iv.Num(-top, top, number.bounds.step)
        return Num(fn, number.scale, bounds, number.den, number.exactness, number.top)

    def rank(self, node: Any, labels: tuple[str, ...]) -> Any:
        if not isinstance(node, Lab):
            raise Unsupported("rank() of a non-label")
        return rank_of(node, labels, 1)

    def interpolate(self, x: Any, points: Any) -> Any:
        """`interpolate(x, points)` on columns: the two points are picks over the points list (x's own items),
        then the same arithmetic as the decimal meaning, exactly; outside the points the row fails (K709)."""
        number = self.number(x)
        if not isinstance(points, Items) or points.record is None:
            raise Unsupported("interpolate() through points that are not a list of records")
        px, py = points.record.fields.get("x"), points.record.fields.get("y")
        if not isinstance(px, Num) or not isinstance(py, Num) or px.den != 1 or px.exactness.kind != "exact":
            raise Unsupported("interpolate() through points whose x is not a plain number")
        at = lift(number, 1)  # the points' axis lies beyond x's own: x is read one level up
        below = Bool(arith.compare("<=", px, at))
        above = Bool(arith.compare(">=", px, at))
        low, high = scaled(px.bounds.low, px.scale), scaled(px.bounds.high, px.scale)  # type: ignore[arg-type]
        if (high - low + 1) * lists.MAX_ITEMS >= LIMIT:
            raise Unsupported("interpolate() through points with too many x values")
        present, x_fn = points.fn, px.fn

        def chooser(side: Bool, largest: bool) -> Fn:
            def position(ctx: Ctx) -> tuple[Array, Mask]:
                real, err = present(ctx)
                held, herr = side.fn(ctx)
                real = np.asarray(real, dtype=bool)
                kept = real & np.asarray(held, dtype=bool)
                err = either(err, lists.rows_of(herr, real))
                width = real.shape[-1]
                if width == 0:
                    return np.zeros(real.shape[:-1], dtype=np.int64), either(err, np.ones(real.shape[:-1], dtype=bool))
                xs, _ = x_fn(ctx)
                packed = np.broadcast_to((np.asarray(xs) - low) * width + np.arange(width), kept.shape)
                if largest:  # the last point at or below x: the largest x, the later point among equal x
                    index = np.where(kept, packed, -1).argmax(axis=-1)
                else:  # the first point at or above x: the smallest x, the earlier point among equal x
                    index = np.where(kept, packed, np.iinfo(np.int64).max).argmin(axis=-1)
                empty = ~kept.any(axis=-1)
                return index, either(err, empty if empty.any() else None)

            return _cached_fn(position, object())

        lo = Record(Const(None), points.record.fields, points.record.path, chooser(below, True), 0)
        hi = Record(Const(None), points.record.fields, points.record.path, chooser(above, False), 0)
        x0, y0, x1, y1 = (self.number(gather(field, r)) for r, field in ((lo, px), (lo, py), (hi, px), (hi, py)))
        lo_fn, hi_fn = lo.pick, hi.pick
        assert lo_fn is not None and hi_fn is not None
        rise = arith.multiply(arith.add(y1, y0, subtract=True), arith.add(number, x0, subtract=True))
        sloped = arith.add(y0, arith.divide(rise, arith.add(x1, x0, subtract=True)))
        same = Bool(arith.compare("=", x1, x0))

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            equal, err = same.fn(ctx)
            err = either(either(err, lo_fn(ctx)[1]), hi_fn(ctx)[1])  # outside the points: K709
            return np.where(equal, 0, 1), err

        return self.choose(pick, self.merge_kinds([y0, sloped], None))

    def unsupported(self, reason: str) -> Any:
        raise Unsupported(reason)

    def constant(self, value: Decimal) -> Any:
        return number_const(value)

    def total(self, items: Any, part: str = "value") -> Any:
        return lists.total(items, part)

    def count(self, items: Any) -> Any:
        return lists.count(items)

    def extreme_of(self, which: str, items: Any) -> Any:
        return lists.extreme_of(self, which, items)


# ------------------------------------------------------------------ node helpers
def value_node(fn: Fn, kind: t.Type, name: str) -> Node:
    """The node of a declared value (an input, a list field) read by `fn`."""
    if isinstance(kind, t.NumberT):
        if kind.low is None or kind.high is None:
            raise Unsupported(f"{name} has no declared range")
        if not kind.integer and kind.places is None:
            raise Unsupported(f"{name} declares no places")
        scale = 0 if kind.integer else int(kind.places or 0)
        bounds = iv.from_type(kind)
        assert isinstance(bounds, iv.Num)
        return Num(fn, scale, bounds)
    if isinstance(kind, t.BoolT):
        return Bool(fn)
    if isinstance(kind, t.LabelT):
        return Lab(fn, kind.labels)
    raise Unsupported(f"{name} is a {kind.describe()}")


def constant_node(value: Any) -> Node:
    if isinstance(value, bool):
        return Bool(Const(value))
    if isinstance(value, str):
        return Lab(Const(0), (value,))
    return number_const(value)


def number_line_key(subject: Num, line: cond.NumberLine) -> Fn:
    """The index of each row's piece of `line` (NumberLine.locate, on whole columns)."""
    places = max([subject.scale, *(places_of(c) for c in line.cuts)])
    inner = subject.fn
    if subject.den == 1:
        # fixed point: compare at the finer scale, exactly
        factor = 10 ** (places - subject.scale)
        if (subject.top or 0) * factor >= LIMIT:
            raise Unsupported("a band edge finer than its subject could overflow 64-bit integers")
        cuts = np.array([scaled(c, places) for c in line.cuts], dtype=np.int64)
        assert subject.bounds.low is not None and subject.bounds.high is not None
        low, high = scaled(subject.bounds.low, subject.scale), scaled(subject.bounds.high, subject.scale)
        if high - low < DENSE_LIMIT:
            # few values: every value's piece found once, at compile time; a row then costs one gather
            values = np.arange(low, high + 1, dtype=np.int64) * factor
            dense = (np.searchsorted(cuts, values, side="left") + np.searchsorted(cuts, values, side="right")).astype(np.int16)

            def dense_key(ctx: Ctx) -> tuple[Array, Mask]:
                x, err = inner(ctx)
                return np.take(dense, np.asarray(x) - low, mode="clip"), err

            return dense_key

        def key(ctx: Ctx) -> tuple[Array, Mask]:
            x, err = inner(ctx)
            x = np.asarray(x * factor if factor != 1 else x)
            return np.searchsorted(cuts, x, side="left") + np.searchsorted(cuts, x, side="right"), err

        return key
    # a quotient: floor(x · 10**places) and whether it is exact place the row between two cuts or on one
    arith.round_to(subject, places, "floor")  # refuses a value too close to its cuts for 40 digits, or too large
    cuts_at = np.array([scaled(c, places) for c in line.cuts], dtype=np.int64)
    composite = subject.exactness.kind == "composite"
    inexact = subject.exactness.inexact
    den = subject.den
    lift = 10 ** max(0, places - subject.scale)
    drop = 10 ** max(0, subject.scale - places)
    error = subject.exactness.error
    # the scalar's error may reach across a cut from a value near it: such rows are declined (Python integers)
    near = not arith.resolvable(error, subject.scale, subject.den_high, places)
    wide = near or (subject.top or 0) * lift >= LIMIT or subject.den_high * drop >= LIMIT

    def quotient_key(ctx: Ctx) -> tuple[Array, Mask]:
        x, err = inner(ctx)
        divisor = (den if isinstance(den, int) else den.fn(ctx)[0]) * drop
        if near:
            wide_x, wide_divisor = np.asarray(x).astype(object) * lift, np.asarray(divisor).astype(object)
            r = np.abs(wide_x) % wide_divisor
            gap = np.minimum(r, wide_divisor - r)
            close = np.asarray((gap != 0) & (gap * error.denominator <= wide_divisor * 10**places * error.numerator), dtype=bool)
            err = either(err, close if close.any() else None)
        if wide:  # x · 10**places could pass 64 bits: the floor with Python integers (it is small)
            f, on_grid = arith.divide_rounding(np.asarray(x).astype(object) * lift, np.broadcast_to(np.asarray(divisor).astype(object), np.shape(x)), "floor")
            f, huge = arith.narrow_ints(f)
            on_grid = np.asarray(on_grid, dtype=bool)
            err = either(err, huge)
        else:
            f, on_grid = arith.divide_rounding(np.asarray(x * lift), divisor, "floor")
        left = np.searchsorted(cuts_at, f, side="left")
        right = np.searchsorted(cuts_at, f, side="right")
        exact = np.asarray(on_grid, dtype=bool)
        piece = np.where(exact, left + right, 2 * right)
        if composite and inexact is not None:
            # exactly on a cut after arithmetic on quotients: the scalar's decimal may fall either side
            on_cut = exact & (left != right)
            unsure = inexact(ctx) if on_cut.any() else None
            if unsure is not None:
                err = either(err, on_cut & unsure)
        return piece, err

    return quotient_key


def as_read(node: Node, name: str) -> Node:
    """What later definitions see of a step: its stored value (its errors are counted once, at the step)."""
    if isinstance(node, Num):
        den: int | Den = node.den
        if isinstance(node.den, Den):
            den = Den(reader(name + DEN_SUFFIX), node.den.high)
        exactness = node.exactness
        if exactness.inexact is not None:
            stored = name + INEXACT_SUFFIX
            exactness = arith.Exactness(exactness.kind, exactness.error, lambda ctx: ctx.values.get(stored))
        return Num(reader(name), node.scale, node.bounds, den, exactness, node.top)
    if isinstance(node, Lab):
        return Lab(reader(name), node.universe)
    if isinstance(node, Weights):
        parts = {k: Num(reader(f"{name}.{k}"), p.scale, p.bounds, p.den, p.exactness, p.top) for k, p in node.parts.items()}
        return Weights(Const(None), parts)
    if isinstance(node, Bool):
        return Bool(reader(name))
    if isinstance(node, Record) and node.pick is not None:  # a picked record: its stored positions
        return Record(reader(name), node.fields, node.path, reader(name), node.level, node.axes)
    raise Unsupported(f"a definition of kind {type(node).__name__}")


DENSE_LIMIT = 1 << 18  # a band subject with fewer values than this looks its piece up in a table of all of them (int16: 512 KB)
DEN_SUFFIX = "/den"  # where a step's per-row denominator is stored in `Ctx.values`
INEXACT_SUFFIX = "/inexact"  # where a step's "the scalar's decimal may differ here" mask is stored


def reading_optional(node: Node, name: str) -> Node:
    if isinstance(node, Items):
        inner_items = node.fn

        def items_fn(ctx: Ctx) -> tuple[Array, Mask]:
            value, err = inner_items(ctx)
            return value, either(err, ctx.absent.get(name))

        return Items(items_fn, node.nodes, node.record, node.max_items)
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, _ = inner(ctx)
        return value, ctx.absent.get(name)

    return with_fn(node, fn)


def _shape_of(arrays: list[Array], rows: int) -> tuple[int, ...]:
    """The shape values of one level take together: (rows,) for a record, (rows, items) inside a definition per item."""
    shapes = [np.shape(a) for a in arrays if np.ndim(a) > 0]
    return np.broadcast_shapes(*shapes) if shapes else (rows,)


def gather(node: Node, record: Record) -> Node:
    """A field (or value per item) of the items of a list, at the position a pick chose along the last axis."""
    if isinstance(node, (Items, Record, Weights)):
        raise Unsupported(f"a {type(node).__name__} of a picked item")
    assert record.pick is not None
    pick, axes = record.pick, record.axes
    inner = node.fn

    def at(value: Any, index: np.ndarray) -> Any:
        array = np.asarray(value)
        if array.ndim == 0:
            return value
        width = array.shape[-1]
        full = np.broadcast_to(array, (*np.shape(index), max(width, 1))) if width else np.zeros((*np.shape(index), 1), array.dtype)
        chosen = np.clip(index, 0, full.shape[-1] - 1)[..., None]
        return _axes(np.take_along_axis(full, chosen, axis=-1)[..., 0], axes)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        index, _ = pick(ctx)
        index = np.asarray(index, dtype=np.int64)
        value, err = inner(ctx)
        return at(value, index), (at(err, index) if err is not None else None)

    made = with_fn(node, fn)
    if isinstance(made, Num):
        if isinstance(made.den, Den):
            den_inner = made.den.fn
            made.den = Den(lambda ctx: (at(den_inner(ctx)[0], np.asarray(pick(ctx)[0], dtype=np.int64)), None), made.den.high)
        found = made.exactness.inexact
        if found is not None:
            def inexact(ctx: Ctx) -> Mask:
                mask = found(ctx)
                return None if mask is None else at(mask, np.asarray(pick(ctx)[0], dtype=np.int64))

            made.exactness = arith.Exactness(made.exactness.kind, made.exactness.error, inexact)
    return made


def _absent_number_fails(node: Num) -> Num:
    """An optional number field read: an error where the item leaves it out (NUMBER_ABSENT in its column)."""
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        missing = np.asarray(value) == NUMBER_ABSENT
        return value, either(err, missing if missing.any() else None)

    return Num(fn, node.scale, node.bounds, node.den, node.exactness, node.top)


def lift(node: Node, axes: int) -> Node:
    """A value read `axes` list levels deeper than its own: trailing axes of length 1, so it broadcasts along
    the items (a row's value inside an aggregate over a list is a column (rows, 1))."""
    if axes <= 0 or isinstance(node, Weights):
        return node
    if isinstance(node, Items):
        raise Unsupported("a list read inside an aggregate over another list")
    if isinstance(node, Record):
        if node.pick is not None:  # gathered where read, then lifted
            return Record(node.fn, node.fields, node.path, node.pick, node.level, node.axes + axes)
        return Record(Const(None), {k: (v if isinstance(v, Items) else lift(v, axes)) for k, v in node.fields.items()}, node.path)
    made = with_fn(node, _lift_fn(node.fn, axes))
    if isinstance(made, Num):
        if isinstance(made.den, Den):
            den_inner = made.den.fn
            made.den = Den(lambda ctx: (_axes(den_inner(ctx)[0], axes), None), made.den.high)
        found = made.exactness.inexact
        if found is not None:
            made.exactness = arith.Exactness(made.exactness.kind, made.exactness.error, lambda ctx: _axes(found(ctx), axes))
    return made


def _lift_fn(inner: Fn, axes: int) -> Fn:
    if isinstance(inner, Const):
        return inner

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return _axes(value, axes), _axes(err, axes)

    return fn


def _axes(value: Any, axes: int) -> Any:
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        return value.reshape(value.shape + (1,) * axes)
    return value


def per_item_step(node: Node, present: Fn, condition: Bool | None, name: str) -> Node:
    """The step of a definition per item: its 2-D value, its errors on the items each row has, as one flag
    per row; where its `when` is false on an item, the item's value is marked absent under `name`."""
    if isinstance(node, (Weights, Items, Record)):
        raise Unsupported(f"a value per item of kind {type(node).__name__}")
    inner = node.fn
    test = condition.fn if condition is not None else None

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        real, _ = present(ctx)
        real = np.asarray(real, dtype=bool)
        if test is not None:
            holds, _ = test(ctx)
            missing = ~np.broadcast_to(np.asarray(holds, dtype=bool), real.shape)
            ctx.absent[name] = missing if missing.any() else None
        if err is not None:
            err = (np.broadcast_to(err, real.shape) & real).any(axis=1)
            err = err if err.any() else None
        return value, err

    return with_fn(node, fn)


def applicable(node: Node, condition: Bool) -> Node:
    """A `when` definition's step: its errors count only on rows where the condition holds.

    The value on the other rows is garbage; the plan marks them absent (see `Ctx.absent`)."""
    if isinstance(node, Weights) or isinstance(node, Items):
        raise Unsupported(f"a `when` definition of kind {type(node).__name__}")
    inner, test = node.fn, condition.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        holds, cerr = test(ctx)
        value, err = inner(ctx)
        if err is not None:
            err = err & np.asarray(holds, dtype=bool)  # not computed where it does not apply: no failure there
        return value, either(cerr, err)

    return with_fn(node, fn)


def _map1(f: Fn, op: Callable[[Array], Array]) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, err = f(ctx)
        return op(x), err

    return fn


def _map2(f: Fn, g: Fn, op: Callable[[Array, Array], Array]) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, xerr = f(ctx)
        y, yerr = g(ctx)
        return op(x, y), either(xerr, yerr)

    return fn


def _cached_fn(f: Fn, key: object) -> Fn:
    return lambda ctx: cached(ctx, key, f)


def _chosen_den(pick: Fn, nums: list[Num]) -> Fn:
    dens = [n.den for n in nums]

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        index, _ = pick(ctx)
        index = np.asarray(index)
        out: Array = 1
        for i, d in enumerate(dens):
            value = d if isinstance(d, int) else d.fn(ctx)[0]
            out = np.where(index == i, value, out)
        return out, None

    return fn


def _taker(pick: Fn, table: np.ndarray, key: object) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        index, _ = cached(ctx, key, pick)
        if isinstance(index, int):
            return int(table[index]), None
        return np.take(table, index, mode="clip"), None

    return fn


def relabel(node: Lab, universe: tuple[str, ...]) -> Lab:
    if node.universe == universe:
        return node
    mapping = np.array([universe.index(x) for x in node.universe] + [ABSENT_CODE], dtype=np.int64)
    constant = constant_of(node)
    if constant is not None:
        return Lab(Const(int(mapping[constant])), universe)
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        codes, err = inner(ctx)
        return np.take(mapping, codes, mode="clip"), err

    return Lab(fn, universe)


def rank_of(node: Lab, scale: tuple[str, ...], base: int) -> Num:
    """A label's position on a scale (base 1 for `rank`, 0 for comparisons); unknown labels are unsupported."""
    if any(x not in scale for x in node.universe):
        raise Unsupported("a label outside the scale")
    mapping = np.array([scale.index(x) + base for x in node.universe], dtype=np.int64)
    constant = constant_of(node)
    if constant is not None:
        value = int(mapping[constant])
        return number_const(Decimal(value))
    inner = node.fn
    bounds = iv.Num(Decimal(base), Decimal(len(scale) - 1 + base), Decimal(1))
    if np.array_equal(mapping, np.arange(len(node.universe)) + base):
        # the codes are the scale's own order (an input of that scale): the rank is the code plus the base

        def shifted(ctx: Ctx) -> tuple[Array, Mask]:
            codes, err = inner(ctx)
            return codes + base if base else codes, err

        return Num(shifted, 0, bounds)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        codes, err = inner(ctx)
        return np.take(mapping, codes, mode="clip"), err

    return Num(fn, 0, bounds)
