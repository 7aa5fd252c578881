"""Compile stage of the scalar evaluator: the IR -> a chain of Python closures.

Each IR expression becomes a function of the environment (a dict of the values computed
so far); each definition becomes a step that returns its value and what decided it (the
matched row, cell, weight branch or exception), so the evaluator can build a trace without
re-deciding anything. Builtins run their table entry's exact-decimal meaning; row
conditions and axis keys match through kinerja.semantics.conditions. No text is ever
passed to `eval` or `exec`: the closures are built from the IR.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any, NoReturn

from kinerja.diagnostics.diagnostic import CodedError, EvaluationError, diagnostic
from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.builtins import EmptyReduction, OutsidePoints, Refused
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.lower import lower
from kinerja.semantics.values import ABSENT, ARITHMETIC, ROUNDING_MODES, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass

Env = dict[str, Any]
Fn = Callable[[Env], Any]

ROUNDING = ROUNDING_MODES  # kept for callers that imported it from here


@dataclass(frozen=True)
class Decision:
    """What decided a step: a table row, a quadrant cell, a weight branch or an exception."""

    kind: str  # "row", "cell", "branch", "exception", "formula", "given", "absent", "not_applicable", "items"
    index: int = -1  # row or branch index
    column: int = -1  # quadrant column index
    exception: s.ExceptionDecl | None = None
    # a definition per item ("items"): what decided it on each item, by the item's position
    # (1-based, one number per list level: `(2,)` is iki[2], `(2, 3)` is iki[2].triwulan[3])
    items: tuple[tuple[tuple[int, ...], Decision], ...] = ()


FORMULA = Decision("formula")
GIVEN = Decision("given")
NOT_NEEDED = Decision("absent")
NOT_APPLICABLE = Decision("not_applicable")  # a definition's `when` condition is false: not computed, absent

Compute = Callable[[Env], tuple[Any, Decision]]


@dataclass(frozen=True)
class Step:
    name: str
    decl: Any
    compute: Compute
    reads: tuple[str, ...]
    definition: ir.Definition | None = None


# Failures inside closures: a coded failure, or an arithmetic error (division by zero, a
# quotient or rounding beyond what the decimal context holds).
_FAILURES = (ArithmeticError, ZeroDivisionError)


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    suppliable: frozenset[str] = frozenset()  # definitions that may be given as inputs (`override input`)
    required: frozenset[str] = frozenset()  # inputs with neither a default nor `optional`

    def execute(self, env: Env) -> list[Decision]:
        """Compute every step into `env`; return what decided each step, in order."""
        if not self.suppliable:  # nothing can be given as input: no feeders, nothing excused
            decisions = []
            step = None
            try:
                for step in self.steps:
                    value, decision = step.compute(env)
                    env[step.name] = value
                    decisions.append(decision)
            except (_Failure, *_FAILURES) as error:
                _raise_for(step, error)
            return decisions
        return self._execute_supplied(env)

    def execute_values(self, env: Env) -> None:
        """Compute every step into `env` without keeping what decided them (an evaluation without a trace)."""
        if self.suppliable:
            self._execute_supplied(env)
            return
        step = None
        try:
            for step in self.steps:
                env[step.name] = step.compute(env)[0]
        except (_Failure, *_FAILURES) as error:
            _raise_for(step, error)

    def _execute_supplied(self, env: Env) -> list[Decision]:
        decisions = []
        step = None
        supplied = [name for name in self.suppliable if env.get(name, ABSENT) is not ABSENT]
        feeders = self._feeding_only(frozenset(supplied)) if supplied else frozenset()
        # an input excused by a supplied definition (see `excused_inputs`) is absent, and so is what reads it
        left_absent = (
            {n for n in self.excused_inputs(frozenset(supplied)) if n in self.required and env.get(n, ABSENT) is ABSENT}
            if supplied
            else set()
        )
        try:
            for step in self.steps:
                if step.name in feeders:
                    value, decision = self._attempt(step, env, left_absent)
                else:
                    value, decision = step.compute(env)
                env[step.name] = value
                decisions.append(decision)
        except (_Failure, *_FAILURES) as error:
            _raise_for(step, error)
        return decisions

    def _feeding_only(self, supplied: frozenset[str]) -> frozenset[str]:
        """Steps whose every reader is a definition given as input (directly or through other such steps).

        Their values decide nothing once those definitions are given, so they are
        computed only when they can be: a missing optional input leaves them absent
        instead of failing the evaluation (an extending ruleset's `override input`
        must work without the inputs its base needed to compute the definition).
        """
        readers: dict[str, list[str]] = {}
        for step in self.steps:
            for name in step.reads:
                readers.setdefault(name, []).append(step.name)
        found: set[str] = set()
        for step in reversed(self.steps):  # readers come after what they read
            names = readers.get(step.name)
            if names and all(reader in supplied or reader in found for reader in names):
                found.add(step.name)
        return frozenset(found)

    def excused_inputs(self, supplied: frozenset[str]) -> frozenset[str]:
        """Inputs that need not be given because everything reading them only feeds supplied definitions.

        `override input nilai_kinerja`: a record that gives nilai_kinerja need not
        give nilai_skp, which only served to compute it.
        """
        if not supplied:
            return frozenset()
        unneeded = self._feeding_only(supplied) | supplied
        step_names = {step.name for step in self.steps}
        readers: dict[str, list[str]] = {}
        for step in self.steps:
            for name in step.reads:
                if name not in step_names:
                    readers.setdefault(name, []).append(step.name)
        return frozenset(name for name, names in readers.items() if all(reader in unneeded for reader in names))

    @staticmethod
    def _attempt(step: Step, env: Env, left_absent: set[str]) -> tuple[Any, Decision]:
        """Compute a step nothing needs; absent when it lacks an optional input or an absent step's value."""
        if any(name in left_absent for name in step.reads):
            left_absent.add(step.name)
            return ABSENT, NOT_NEEDED
        try:
            return step.compute(env)
        except _Failure as failure:
            if failure.code not in ("K704", "K708"):  # a missing optional input or a value that does not apply
                raise
            left_absent.add(step.name)
            return ABSENT, NOT_NEEDED


def _raise_for(step: Step | None, error: Exception) -> NoReturn:
    """Turn a failure inside a step's closures into an EvaluationError naming that step."""
    assert step is not None
    if isinstance(error, _Failure):
        args = error.naming(name=step.name).args_
        raise EvaluationError([diagnostic(error.code, step.decl.span, **args)]) from None
    if isinstance(error, Refused):  # a function refused its argument (K720, K721)
        raise EvaluationError([diagnostic(error.code, step.decl.span, name=step.name, **error.args_)]) from None
    raise EvaluationError([diagnostic("K701", step.decl.span, name=step.name)]) from None


class _Failure(CodedError):
    """Raised inside closures; turned into an EvaluationError naming the step (and the row, if any).

    A failure to read a field of an item (`item_field`) is located on the way out: each loop over
    a list it passes through puts its item in front (`realisasi` -> `triwulan[2].realisasi` ->
    `iki[1].triwulan[2].realisasi`), so the message names the item an officer must fix.
    """

    def __init__(self, code: str, /, item_field: bool = False, **args: Any):
        super().__init__(code, **args)
        self.item_field = item_field

    def naming(self, **more: Any) -> _Failure:
        """The same failure with arguments it did not have yet (the row an example reached)."""
        return _Failure(self.code, item_field=self.item_field, **{**more, **self.args_})

    def located(self, segment: str, complete: bool) -> _Failure:
        """The same failure with the item it happened on in front of its field (when it is about one)."""
        if not (self.item_field and "field" in self.args_):
            return self
        return _Failure(self.code, item_field=not complete, **{**self.args_, "field": f"{segment}.{self.args_['field']}"})


def compile_ruleset(checked: CheckedRuleset) -> Program:
    """Lower a checked ruleset and compile it (see `compile_program`)."""
    return compile_program(lower(checked))


def compile_program(program: ir.Program) -> Program:
    compiler = _Compiler(program)
    steps = tuple(compiler.step(d) for d in program.definitions)
    return Program(steps, program.suppliable, program.required)


def compile_expression(node: ir.Expr, program: ir.Program) -> Fn:
    """One IR expression as a function of an environment (for tools that show partial results)."""
    return _Compiler(program).expr(node)


class _Compiler:
    def __init__(self, program: ir.Program):
        self.program = program

    # -------------------------------------------------------------- definitions
    def step(self, d: ir.Definition) -> Step:
        body = d.body
        compute: Compute
        if isinstance(body, ir.Formula):
            formula = self.expr(body.expr)

            def compute(env: Env) -> tuple[Any, Decision]:
                return formula(env), FORMULA

        elif isinstance(body, ir.Bands):
            compute = self.bands(body)
        elif isinstance(body, ir.Matrix):
            compute = self.matrix(body)
        else:
            compute = self.weights(body)
        if d.suppliable:
            compute = _suppliable(d.name, compute)
        if d.exceptions:
            compute = self.with_exceptions(compute, d.exceptions)
        if d.applies is not None:
            # outermost: where the condition is false nothing else runs, not even the exceptions
            compute = _applicable(self.expr(d.applies), compute)
        if d.level:
            compute = _per_item(d, compute)
        return Step(d.name, d.decl, compute, d.reads, d)

    def with_exceptions(self, base: Compute, exceptions: tuple[ir.ExceptionRule, ...]) -> Compute:
        compiled = [(self.expr(e.condition), self.expr(e.result), Decision("exception", exception=e.decl)) for e in exceptions]

        def compute(env: Env) -> tuple[Any, Decision]:
            for condition, result, decision in compiled:
                if condition(env):
                    return result(env), decision
            return base(env)

        return compute

    def weights(self, body: ir.WeightSet) -> Compute:
        branches = [
            (self.expr(b.condition) if b.condition is not None else None, dict(b.parts), Decision("branch", b.index))
            for b in body.branches
        ]

        def compute(env: Env) -> tuple[Any, Decision]:
            for condition, parts, decision in branches:
                if condition is None or condition(env):
                    return parts, decision
            raise _Failure("K706")

        return compute

    def bands(self, body: ir.Bands) -> Compute:
        subject = self.expr(body.subject)
        rows = [
            (row.condition, self.expr(row.guard) if row.guard is not None else None, self.expr(row.result),
             Decision("row", row.index), _ready(row.result, Decision("row", row.index)))
            for row in body.rows
        ]  # fmt: skip

        if body.hit == "unique":

            def only(env: Env) -> tuple[Any, Decision]:
                x = subject(env)
                hits = [(result, decision) for c, guard, result, decision, _ in rows if cond.matches(c, x) and (guard is None or guard(env))]
                if len(hits) == 1:
                    return _row_result(hits[0][0], hits[0][1], env)
                if not hits:
                    raise _Failure("K702", value=value_text(x))
                raise _Failure("K703", value=value_text(x), rows=", ".join(str(d.index + 1) for _, d in hits))

            return only

        candidates_for = _candidates(body, [row[1:] for row in rows])

        def first_of_candidates(env: Env) -> tuple[Any, Decision]:
            # the rows whose condition holds for x, in order; only their guards are left to run
            x = subject(env)
            for guard, result, decision, ready in candidates_for(x):
                if guard is None or guard(env):
                    return ready if ready is not None else _row_result(result, decision, env)
            raise _Failure("K702", value=value_text(x))

        return first_of_candidates

    def matrix(self, body: ir.Matrix) -> Compute:
        row_subject = self.expr(body.row_subject)
        column_subject = self.expr(body.column_subject)
        cells = [[self.expr(c) if c is not None else None for c in row] for row in body.cells]
        decisions = [[Decision("cell", ri, ci) for ci in range(len(row))] for ri, row in enumerate(body.cells)]
        readies = [[_ready(c, decisions[ri][ci]) if c is not None else None for ci, c in enumerate(row)] for ri, row in enumerate(body.cells)]

        by_label = _label_pairs(body)
        if by_label is not None:
            # every key is a label: the first row / column whose label equals the value is a dictionary lookup
            table = {
                pair: (cells[ri][ci], decisions[ri][ci], readies[ri][ci])
                for pair, (ri, ci) in by_label.items()
                if cells[ri][ci] is not None
            }

            def lookup(env: Env) -> tuple[Any, Decision]:
                r = row_subject(env)
                c = column_subject(env)
                hit = table.get((r, c))
                if hit is None:
                    raise _Failure("K705", row=value_text(r), column=value_text(c))
                cell, decision, ready = hit
                return ready if ready is not None else (cell(env), decision)  # type: ignore[misc]

            return lookup

        def compute(env: Env) -> tuple[Any, Decision]:
            r = row_subject(env)
            c = column_subject(env)
            ri = cond.first_match(body.row_keys, r)
            ci = cond.first_match(body.column_keys, c)
            cell = cells[ri][ci] if ri >= 0 and ci >= 0 else None
            if cell is None:
                raise _Failure("K705", row=value_text(r), column=value_text(c))
            return cell(env), decisions[ri][ci]

        return compute

    # -------------------------------------------------------------- expressions
    def expr(self, e: ir.Expr) -> Fn:
        if isinstance(e, ir.Const):
            constant = e.value
            return lambda env: constant
        if isinstance(e, ir.Read):
            return _read(e)
        if isinstance(e, ir.Present):
            present = e.name
            if e.subject is not None:
                record = self.expr(e.subject)
                return lambda env: record(env).get(present, ABSENT) is not ABSENT
            return lambda env: env[present] is not ABSENT
        if isinstance(e, ir.WeightPart):
            weights, part = e.weights, e.part
            return lambda env: env[weights][part]
        if isinstance(e, ir.Field):
            key = e.name
            if e.absence is not None:
                return self.field_maybe_absent(e)
            if isinstance(e.subject, ir.Read) and e.subject.absence is None and e.subject.scope != "item":
                container = e.subject.name
                return lambda env: env[container][key]
            subject = self.expr(e.subject)
            return lambda env: subject(env)[key]
        if isinstance(e, ir.Not):
            operand = self.expr(e.operand)
            return lambda env: not operand(env)
        if isinstance(e, ir.Negate):
            operand = self.expr(e.operand)
            return lambda env: -operand(env)
        if isinstance(e, ir.Arith):
            return self.arith(e)
        if isinstance(e, ir.Logic):
            left, right = self.expr(e.left), self.expr(e.right)
            if e.op == "and":
                return lambda env: left(env) and right(env)
            return lambda env: left(env) or right(env)
        if isinstance(e, ir.Compare):
            return self.compare(e)
        if isinstance(e, ir.Choose):
            condition, then, otherwise = self.expr(e.condition), self.expr(e.then), self.expr(e.otherwise)
            return lambda env: then(env) if condition(env) else otherwise(env)
        if isinstance(e, ir.Call):
            return self.call(e)
        if isinstance(e, ir.Reduce):
            return self.reduce(e)
        if isinstance(e, ir.ListOf):
            items = [self.expr(x) for x in e.items]
            return lambda env: [f(env) for f in items]
        raise TypeError(e)

    def field_maybe_absent(self, e: ir.Field) -> Fn:
        """An optional field (K704) or a definition per item with `when` (K708), read on one item."""
        assert e.absence is not None
        subject, key, code = self.expr(e.subject), e.name, e.absence.code
        condition = printer.expr(e.absence.condition) if e.absence.condition is not None else ""
        # on a record held by a definition (a picked item), the message names it; on an item, the loop does
        named = isinstance(e.subject, ir.Read) and e.subject.scope == "definition"
        shown = f"{e.subject.name}.{key}" if named else key  # type: ignore[union-attr]

        def read(env: Env) -> Any:
            value = subject(env).get(key, ABSENT)
            if value is ABSENT:
                extra = {"condition": condition} if code == "K708" else {}
                raise _Failure(code, item_field=not named, field=shown, **extra)
            return value

        return read

    def arith(self, e: ir.Arith) -> Fn:
        left, right = self.expr(e.left), self.expr(e.right)
        operation = {"+": ARITHMETIC.add, "-": ARITHMETIC.subtract, "*": ARITHMETIC.multiply, "/": ARITHMETIC.divide}[e.op]
        return lambda env: operation(left(env), right(env))

    def compare(self, e: ir.Compare) -> Fn:
        left, right = self.expr(e.left), self.expr(e.right)
        op = e.op
        # The checker lets only values of one kind meet here, where Python's == is the language's equality.
        if op == "=":
            return lambda env: left(env) == right(env)
        if op == "!=":
            return lambda env: left(env) != right(env)
        if e.order is not None:
            ranks = {label: i for i, label in enumerate(e.order)}
            left_raw, right_raw = left, right
            left = lambda env: ranks[left_raw(env)]  # noqa: E731
            right = lambda env: ranks[right_raw(env)]  # noqa: E731
        if op == "<":
            return lambda env: left(env) < right(env)
        if op == "<=":
            return lambda env: left(env) <= right(env)
        if op == ">":
            return lambda env: left(env) > right(env)
        return lambda env: left(env) >= right(env)

    def call(self, e: ir.Call) -> Fn:
        meaning = e.builtin.decimal
        assert meaning is not None, e.builtin.name
        if any(p.kind == "points" for p in e.builtin.params):
            meaning = _outside_points_failure(meaning)
        args = [self.expr(a) for a in e.args]
        if e.builtin.takes_options:
            options = e.options
            if len(args) == 1:
                (a,) = args
                return lambda env: meaning(a(env), options)
            if len(args) == 2:
                a, b = args
                return lambda env: meaning(a(env), b(env), options)
            return lambda env: meaning(*(f(env) for f in args), options)
        if len(args) == 1:
            (a,) = args
            return lambda env: meaning(a(env))
        if len(args) == 2:
            a, b = args
            return lambda env: meaning(a(env), b(env))
        if len(args) == 3:
            a, b, c = args
            return lambda env: meaning(a(env), b(env), c(env))
        return lambda env: meaning(*(f(env) for f in args))

    def reduce(self, e: ir.Reduce) -> Fn:
        builtin = e.builtin
        if builtin.pick is not None:
            return self.pick(e)
        reduce = builtin.reduce
        assert reduce is not None
        name = builtin.name
        items = self.expr(e.items)
        segment, complete = _segment(e.items)

        def reduced(values: list[Any], weights: list[Any] | None) -> Any:
            try:
                return reduce(values, weights)
            except EmptyReduction:
                raise _Failure("K707", function=name) from None

        if e.variable is None:
            return lambda env: reduced(items(env), None)
        literal = _counted_literal(e)
        if literal is not None and isinstance(e.items, ir.ListOf):
            # count(n for n in [...] where n = "X"): list.count compares each element with ==, as the
            # `where` would, without binding the variable in the environment for each element
            return lambda env: Decimal(items(env).count(literal))
        item = self.expr(e.item) if e.item is not None and not builtin.counts_only else None
        where = self.expr(e.where) if e.where is not None else None
        weight = self.expr(e.weight) if e.weight is not None else None
        variable = e.variable

        def collect(env: Env) -> Any:
            values: list[Any] = []
            weights: list[Any] = []

            def visit(element: Any) -> None:
                values.append(item(env) if item is not None else element)
                if weight is not None:
                    weights.append(weight(env))

            _each_item(env, variable, items(env), where, visit, segment, complete)
            return reduced(values, weights if weight is not None else None)

        return collect

    def pick(self, e: ir.Reduce) -> Fn:
        """`first`, `last`, `top`, `bottom`: the item chosen by position or keys, then `item` read on it."""
        builtin = e.builtin
        choose = builtin.pick
        assert choose is not None
        name = builtin.name
        items = self.expr(e.items)
        segment, complete = _segment(e.items)
        where = self.expr(e.where) if e.where is not None else None
        keys = [self.expr(k) for k in e.keys]
        variable = e.variable
        item = self.expr(e.item) if e.item is not None and variable is not None else None

        def picked(env: Env) -> Any:
            elements = items(env)
            if variable is None:
                kept, sort_keys = list(elements), [() for _ in elements]
            else:
                kept, sort_keys = [], []

                def visit(element: Any) -> None:
                    kept.append(element)
                    sort_keys.append(tuple(k(env) for k in keys))

                _each_item(env, variable, elements, where, visit, segment, complete)
            try:
                chosen = kept[choose(sort_keys)]
            except EmptyReduction:
                raise _Failure("K707", function=name) from None
            if item is None or variable is None:
                return chosen
            saved = env.get(variable, ABSENT)
            env[variable] = chosen
            try:
                return item(env)
            finally:
                _restore(env, variable, saved)

        return picked


def _read(e: ir.Read) -> Fn:
    name = e.name
    if e.scope == "item":
        return itemgetter(ir.item_key(name))
    if e.absence is None:
        return itemgetter(name)  # a C-level lookup: names are read on every evaluation
    if e.absence.code == "K704":

        def read_optional(env: Env) -> Any:
            value = env[name]
            if value is ABSENT:
                raise _Failure("K704", field=name)
            return value

        return read_optional
    condition = printer.expr(e.absence.condition) if e.absence.condition is not None else ""

    def read_conditional(env: Env) -> Any:
        value = env[name]
        if value is ABSENT:  # its `when` was false: reading it here is an error, not a silent 0
            raise _Failure("K708", field=name, condition=condition)
        return value

    return read_conditional


def _row_result(result: Fn, decision: Decision, env: Env) -> tuple[Any, Decision]:
    """The chosen row's result; a failure in it names the row (the row an example reached)."""
    try:
        return result(env), decision
    except _Failure as failure:
        raise failure.naming(row=decision.index + 1) from None


def _counted_literal(e: ir.Reduce) -> Any:
    """The label or boolean of `count(v for v in ... where v = literal)` (either side), else None."""
    where = e.where
    if not e.builtin.counts_only or e.weight is not None or not isinstance(where, ir.Compare) or where.op != "=":
        return None
    for one, other in ((where.left, where.right), (where.right, where.left)):
        if isinstance(one, ir.Read) and one.scope == "local" and one.name == e.variable and isinstance(other, ir.Const):
            if isinstance(other.value, (str, bool)):
                return other.value
    return None


def _ready(e: ir.Expr, decision: Decision) -> tuple[Any, Decision] | None:
    """A literal result's (value, decision) pair, built once instead of on every evaluation."""
    if isinstance(e, ir.Const):
        return e.value, decision
    return None


Candidate = tuple[Fn | None, Fn, Decision, "tuple[Any, Decision] | None"]  # guard, result, decision, ready


def _candidates(body: ir.Bands, rows: list[Candidate]) -> Callable[[Any], tuple[Candidate, ...]]:
    """For a first-hit table: x -> the rows whose condition holds for x, in order.

    Only the guards (and results) are left to run. Rows after the first unguarded candidate
    can never be reached, so they are dropped.
    """
    conditions = [row.condition for row in body.rows]

    def upto_unguarded(chosen: list[Candidate]) -> tuple[Candidate, ...]:
        for i, row in enumerate(chosen):
            if row[0] is None:
                return tuple(chosen[: i + 1])
        return tuple(chosen)

    subject_type = body.subject.type
    if isinstance(subject_type, t.NumberT) and all(cond.is_numeric(c) for c in conditions):
        # the number line cut at every bound: a binary search finds the piece, each piece knows its rows
        line = cond.NumberLine.of(conditions)
        by_piece = [upto_unguarded([rows[i] for i in piece.holding]) for piece in line.pieces]
        locate = line.locate
        return lambda x: by_piece[locate(x)]
    if all(isinstance(c, (cond.Is, cond.Always)) for c in conditions):
        # a dictionary finds the value by hash and ==, the language's equality for values of one kind;
        # each value's rows are its own `= v` rows merged with the `otherwise` rows, in row order
        # (one pass, not one per value: thousands of rows over a thousand labels stay linear)
        equal: dict[Any, list[int]] = {}
        fallback = [i for i, c in enumerate(conditions) if isinstance(c, cond.Always)]
        for i, c in enumerate(conditions):
            if isinstance(c, cond.Is):
                equal.setdefault(c.value, []).append(i)

        def first_rows(indices: Iterable[int]) -> tuple[Candidate, ...]:
            chosen: list[Candidate] = []
            for i in indices:
                chosen.append(rows[i])
                if rows[i][0] is None:
                    break  # an unguarded row: nothing after it can be reached
            return upto_unguarded(chosen)

        by_value = {v: first_rows(heapq.merge(found, fallback)) for v, found in equal.items()}
        default = first_rows(fallback)
        get = by_value.get
        return lambda x: get(x, default)

    def scan(x: Any) -> tuple[Candidate, ...]:
        return upto_unguarded([row for c, row in zip(conditions, rows, strict=True) if cond.matches(c, x)])

    return scan


def _label_pairs(body: ir.Matrix) -> dict[tuple[Any, Any], tuple[int, int]] | None:
    """(row label, column label) -> the first row and column with those keys, when every key is a label."""
    keys = body.row_keys + body.column_keys
    if not all(isinstance(k, cond.Is) and isinstance(k.value, str) for k in keys):
        return None
    if not all(isinstance(x.type, (t.LabelT, t.LiteralLabelT)) for x in (body.row_subject, body.column_subject)):
        return None
    row_at: dict[Any, int] = {}
    for ri, k in enumerate(body.row_keys):
        row_at.setdefault(cond.key_value(k), ri)
    column_at: dict[Any, int] = {}
    for ci, k in enumerate(body.column_keys):
        column_at.setdefault(cond.key_value(k), ci)
    return {(r, c): (ri, ci) for r, ri in row_at.items() for c, ci in column_at.items()}


def _segment(items: ir.Expr) -> tuple[str, bool]:
    """How a list's items are named in a message (`iki`, `triwulan`) and whether that name is a whole path."""
    if isinstance(items, ir.Read) and items.scope in ("input", "definition"):
        return items.name, True
    if isinstance(items, ir.Field):
        return items.name, False
    return printer.expr(items.source) if items.source is not None else "?", True


def _outside_points_failure(meaning: Callable[..., Any]) -> Callable[..., Any]:
    def interpolated(*args: Any) -> Any:
        try:
            return meaning(*args)
        except OutsidePoints as outside:
            raise _Failure("K709", value=value_text(outside.value), low=value_text(outside.low), high=value_text(outside.high)) from None

    return interpolated


def _per_item(d: ir.Definition, computed: Compute) -> Compute:
    """A definition per item: computed on every item of its list, the value stored into the item.

    The step's own value is the list of the items' values, in order; what decided each item is
    kept for the trace. A failure names the item (`iki[2].capaian`).
    """
    path = d.level
    keys = [ir.item_key(".".join(path[: depth + 1])) for depth in range(len(path))]
    own = d.field_name

    def items_of(env: Env) -> list[tuple[tuple[int, ...], list[dict[str, Any]]]]:
        found: list[tuple[tuple[int, ...], list[dict[str, Any]]]] = []
        top = env.get(path[0], ABSENT)
        layer: list[tuple[tuple[int, ...], list[dict[str, Any]]]] = [
            ((i,), [item]) for i, item in enumerate(top if top is not ABSENT else [], 1)
        ]
        for part in path[1:]:
            deeper = []
            for position, chain in layer:
                children = chain[-1].get(part, ABSENT)
                deeper += [((*position, j), [*chain, child]) for j, child in enumerate(children if children is not ABSENT else [], 1)]
            layer = deeper
        found = layer
        return found

    def compute(env: Env) -> tuple[Any, Decision]:
        values, decided = [], []
        try:
            for position, chain in items_of(env):
                for key, item in zip(keys, chain, strict=True):
                    env[key] = item
                try:
                    value, decision = computed(env)
                except _Failure as failure:
                    where = ".".join(f"{part}[{index}]" for part, index in zip(path, position, strict=True))
                    raise failure.located(where, True).naming(name=f"{where}.{own}") from None
                except _FAILURES:
                    where = ".".join(f"{part}[{index}]" for part, index in zip(path, position, strict=True))
                    raise _Failure("K701", name=f"{where}.{own}") from None
                chain[-1][own] = value
                values.append(value)
                decided.append((position, decision))
        finally:
            for key in keys:
                env.pop(key, None)
        return values, Decision("items", items=tuple(decided))

    return compute


def _applicable(condition: Fn, computed: Compute) -> Compute:
    """A definition with `when`: computed only where its condition holds, else absent."""

    def compute(env: Env) -> tuple[Any, Decision]:
        if not condition(env):
            return ABSENT, NOT_APPLICABLE
        return computed(env)

    return compute


def _suppliable(name: str, computed: Compute) -> Compute:
    """A definition that may be given as an input: the given value wins."""

    def compute(env: Env) -> tuple[Any, Decision]:
        value = env.get(name, ABSENT)
        if value is not ABSENT:
            return value, GIVEN
        return computed(env)

    return compute


def _each_item(env: Env, variable: str, elements: Iterable[Any], where: Fn | None, visit: Callable[[Any], None],
               segment: str, complete: bool) -> None:
    """Bind `variable` to each element in turn, skip those `where` rejects, and `visit` the rest.

    An outer binding of the same name is restored afterwards; a failure inside names the item's
    position (`iki[2]`), as the officer numbers the items.
    """
    saved = env.get(variable, ABSENT)
    position = 0
    try:
        for position, element in enumerate(elements, 1):  # noqa: B007 - read by the failure below
            env[variable] = element
            if where is None or where(env):
                visit(element)
    except _Failure as failure:
        raise failure.located(f"{segment}[{position}]", complete) from None
    finally:
        _restore(env, variable, saved)


def _restore(env: Env, variable: str, saved: Any) -> None:
    if saved is ABSENT:
        env.pop(variable, None)
    else:
        env[variable] = saved
