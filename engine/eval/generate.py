"""One record at full speed: Python source generated from the IR, validation and steps fused.

The scalar evaluator (kinerja.eval.compile) runs a chain of closures; for a record that
validates cleanly and evaluates without failing, this module's generated function computes
the same values in one straight-line Python function: each input checked inline, each
definition an assignment, each band table a binary search on its `NumberLine`, each label
table a dictionary lookup. Anything unusual — a value needing the thorough validator, a
failing lookup, an absent value read, an empty mean — raises inside the generated code, and
the caller evaluates the record again on the reference path, which reports the problem with
its proper diagnostic. So the generated code only ever answers what the reference path
answers (tests/test_generate.py checks that on every shipped ruleset).

Ruleset text never reaches `exec`: every identifier in the generated source is made here
(`v3`, `K12`, `l0`), Python's keywords and operators aside; every value — a decimal, a
label, an input's name used as a dictionary key, a builtin's meaning, even `type` and
`Decimal` — is a constant `K…` from the constants table that `exec` receives as the
function's namespace. `kinerja compile --show RULESET` prints both for review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, ARITHMETIC
from kinerja.syntax.frozen import dataclass

Generated = Callable[[Mapping[str, Any]], Any]  # a record -> its untraced Result

# the scalar evaluator's arithmetic, one object per operator (so each is one constant)
_OPERATIONS = {"+": ARITHMETIC.add, "-": ARITHMETIC.subtract, "*": ARITHMETIC.multiply, "/": ARITHMETIC.divide}
_OPERATION_NAMES = {id(f): f"ARITHMETIC.{name}" for f, name in
                    zip(_OPERATIONS.values(), ("add", "subtract", "multiply", "divide"), strict=True)}  # fmt: skip


class Declined(Exception):
    """The generated code does not answer for this record: the reference path evaluates it."""


def _decline(*_: Any) -> Any:
    raise Declined


def _result_maker(ref: Any) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
    """`untraced_result` with the ruleset's reference bound: the generated function builds its own Result."""
    from kinerja.eval.evaluate import Result

    new = object.__new__

    def result(outputs: dict[str, Any], values: dict[str, Any]) -> Any:
        made = new(Result)
        made.__dict__.update(ruleset=ref, outputs=outputs, trace=(), values=values)
        return made

    result.__qualname__ = "untraced_result"
    return result


def _whole(value: Any) -> Decimal:
    """An int input as the validator takes it (a Decimal); anything else is the thorough validator's."""
    if type(value) is not int:
        raise Declined
    return Decimal(value)


def _present(value: Any) -> Any:
    """A read of a value that may be absent (K704, K708): the reference path reports it."""
    if value is ABSENT:
        raise Declined
    return value


@dataclass(frozen=True)
class Source:
    """Generated code for one ruleset: its text, its constants (name, value, what it is) and the function."""

    text: str
    constants: tuple[tuple[str, Any], ...]
    function: Generated | None

    def listing(self) -> str:
        """The source followed by the constants table, as `kinerja compile --show` prints it."""
        width = max((len(n) for n, _ in self.constants), default=1)
        table = [f"{name.ljust(width)} = {_shown(value)}" for name, value in self.constants]
        return self.text + "\n# constants\n" + "\n".join(table) + "\n"


def _shown(value: Any) -> str:
    if id(value) in _OPERATION_NAMES:
        return f"<{_OPERATION_NAMES[id(value)]}: the evaluator's 40-digit decimal context>"
    if callable(value) and not isinstance(value, type):
        owner = getattr(value, "__self__", None)
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or type(value).__name__
        return f"<{type(owner).__name__}.{name}>" if owner is not None and not isinstance(owner, type) else f"<{name}>"
    return repr(value)


_TOO_DEEP = "the generated code would nest deeper than Python's compiler allows: left to the closures"


class Unsupported(Exception):
    """A construct this generator leaves to the closures (the whole ruleset then uses them)."""


def generate(program: ir.Program, ref: Any = None) -> Source:
    """The fused function of a lowered ruleset, or a Source without a function when it cannot be generated.

    The function takes a record and gives its `Result` (untraced, carrying `ref`), built inside it."""
    emitter = _Emitter(program, ref)
    try:
        emitter.function()
    except Unsupported as reason:
        return Source(f"# not generated: {reason}\n", (), None)
    except RecursionError:
        return Source(f"# not generated: {_TOO_DEEP}\n", (), None)
    text = "\n".join(emitter.lines) + "\n"
    namespace = {name: value for name, value in emitter.constants}
    # the namespace holds only the constants table; no builtins are reachable from the generated code
    namespace["__builtins__"] = {}
    try:
        code = compile(text, f"<kinerja generated {program.header.id}@{program.header.version}>", "exec")
    except (RecursionError, MemoryError, SyntaxError) as refused:
        if isinstance(refused, SyntaxError) and "nested" not in str(refused):
            raise  # any other SyntaxError is a defect of this generator, not a limit
        # Python's compiler has its own nesting limits (thousands of exceptions on one value make one
        # deep conditional expression); the closures evaluate such a ruleset with the same meaning.
        return Source(f"# not generated: {_TOO_DEEP}\n", (), None)
    exec(code, namespace)  # noqa: S102 - generated text: generated names and constants only (module docstring)
    return Source(text, tuple(emitter.constants), namespace["evaluate_record"])


class _Emitter:
    def __init__(self, program: ir.Program, ref: Any = None):
        self.program = program
        self.ref = ref
        self.lines: list[str] = []
        self.constants: list[tuple[str, Any]] = []
        self._constant_ids: dict[Any, str] = {}
        self.names: dict[str, str] = {}  # ruleset name -> generated variable
        self.locals = 0
        self.temps = 0

    # -------------------------------------------------------------- naming
    def const(self, value: Any) -> str:
        key: Any
        try:
            key = (type(value), value) if not callable(value) or isinstance(value, type) else ("id", id(value))
            hash(key)
        except TypeError:
            key = ("id", id(value))
        found = self._constant_ids.get(key)
        if found is None:
            found = f"K{len(self.constants)}"
            self.constants.append((found, value))
            self._constant_ids[key] = found
        return found

    def var(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"v{len(self.names)}"
        return self.names[name]

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    # -------------------------------------------------------------- the function
    def function(self) -> None:
        program = self.program
        if any(isinstance(i.type, t.ListT) for i in program.inputs):
            raise Unsupported("list inputs are validated by the reference path")
        fail = self.const(_decline)
        self.emit(0, "def evaluate_record(record):")
        declared = frozenset(i.name for i in program.inputs)
        self.emit(1, f"if {self.const(type)}(record) is not {self.const(dict)} or not {self.const(declared)}.issuperset(record):")
        self.emit(2, f"{fail}()")
        self.emit(1, "get = record.get")
        for item in program.inputs:
            self.validate(item)
        for d in program.definitions:
            self.definition(d, self.var(d.name), 1)
        outputs = ", ".join(f"{self.const(n)}: {self.var(n)}" for n in program.outputs)
        names = [i.name for i in program.inputs] + [d.name for d in program.definitions if d.name not in declared]
        env = ", ".join(f"{self.const(n)}: {self.var(n)}" for n in names)
        self.emit(1, f"return {self.const(_result_maker(self.ref))}({{{outputs}}}, {{{env}}})")

    def validate(self, item: ir.Input) -> None:
        from kinerja.eval.inputs import coerce

        target = self.var(item.name)
        fail = self.const(_decline)
        kind = item.type
        self.emit(1, f"{target} = get({self.const(item.name)})")
        self.emit(1, f"if {target} is None:")
        if item.name in self.program.suppliable:
            self.emit(2, f"{target} = {self.const(ABSENT)}")
            self.emit(1, "else:")
            self.emit(2, f"{fail}()")  # a supplied definition: the reference path decides what it excuses
            return
        if item.default is not None:
            problems: list[Any] = []
            self.emit(2, f"{target} = {self.const(coerce(item.name, item.default, kind, problems))}")
        elif item.optional:
            self.emit(2, f"{target} = {self.const(ABSENT)}")
        else:
            self.emit(2, f"{fail}()")
        if isinstance(kind, t.NumberT):
            self.emit(1, "else:")
            self.emit(2, f"if {self.const(type)}({target}) is not {self.const(Decimal)}:")
            self.emit(3, f"{target} = {self.const(_whole)}({target})")
            low = kind.low if kind.low is not None else Decimal("-Infinity")
            high = kind.high if kind.high is not None else Decimal("Infinity")
            self.emit(2, f"if not {self.const(low)} <= {target} <= {self.const(high)}:")
            self.emit(3, f"{fail}()")
            if kind.integer or kind.places is not None:
                step = Decimal(1).scaleb(-(kind.places or 0)) if not kind.integer else Decimal(1)
                self.emit(2, f"if {target} != {target}.quantize({self.const(step)}):")
                self.emit(3, f"{fail}()")
        elif isinstance(kind, t.BoolT):
            self.emit(1, f"elif {self.const(type)}({target}) is not {self.const(bool)}:")
            self.emit(2, f"{fail}()")
        elif isinstance(kind, t.LabelT):
            self.emit(1, f"elif {self.const(type)}({target}) is not {self.const(str)} or {target} not in {self.const(frozenset(kind.labels))}:")
            self.emit(2, f"{fail}()")
        else:
            raise Unsupported(f"an input of type {kind.describe()}")

    # -------------------------------------------------------------- definitions
    def definition(self, d: ir.Definition, target: str, depth: int) -> None:
        if d.applies is not None:
            self.emit(depth, f"if not ({self.expr(d.applies)}):")
            self.emit(depth + 1, f"{target} = {self.const(ABSENT)}")
            self.emit(depth, "else:")
            depth += 1
        if d.exceptions:
            for k, e in enumerate(d.exceptions):
                self.emit(depth, f"{'if' if k == 0 else 'elif'} {self.expr(e.condition)}:")
                self.emit(depth + 1, f"{target} = {self.expr(e.result)}")
            self.emit(depth, "else:")
            depth += 1
        body = d.body
        if isinstance(body, ir.Formula):
            self.emit(depth, f"{target} = {self.expr(body.expr)}")
        elif isinstance(body, ir.Bands):
            self.bands(body, target, depth)
        elif isinstance(body, ir.Matrix):
            self.matrix(body, target, depth)
        else:
            self.weights(body, target, depth)

    def weights(self, body: ir.WeightSet, target: str, depth: int) -> None:
        for k, branch in enumerate(body.branches):
            parts = self.const(dict(branch.parts))
            if branch.condition is None:
                if k == 0:
                    self.emit(depth, f"{target} = {parts}")
                    return
                self.emit(depth, "else:")
                self.emit(depth + 1, f"{target} = {parts}")
                return
            self.emit(depth, f"{'if' if k == 0 else 'elif'} {self.expr(branch.condition)}:")
            self.emit(depth + 1, f"{target} = {parts}")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{self.const(_decline)}()")

    def bands(self, body: ir.Bands, target: str, depth: int) -> None:
        subject = self.temp()
        self.emit(depth, f"{subject} = {self.expr(body.subject)}")
        conditions = [row.condition for row in body.rows]
        fail = self.const(_decline)
        unguarded = all(row.guard is None for row in body.rows)
        numeric = isinstance(body.subject.type, t.NumberT) and all(cond.is_numeric(c) for c in conditions)
        if numeric and (unguarded or body.hit != "unique"):
            # the number line cut at every bound: a binary search finds the piece, each piece knows its row;
            # a guarded row is tried only on the pieces where it holds before any unguarded row does
            line = cond.NumberLine.of(conditions)
            piece = self.locate(line, subject, depth)
            first: list[int] = []
            reachable: dict[int, list[bool]] = {i: [] for i, row in enumerate(body.rows) if row.guard is not None}
            for p in line.pieces:
                if body.hit == "unique":
                    first.append(p.holding[0] if len(p.holding) == 1 else -1)
                    continue
                stop = next((i for i in p.holding if body.rows[i].guard is None), -1)
                first.append(stop)
                for i, found in reachable.items():
                    found.append(i in p.holding and (stop < 0 or i < stop))
            for k, (i, found) in enumerate(reachable.items()):
                row = body.rows[i]
                assert row.guard is not None
                self.emit(depth, f"{'if' if k == 0 else 'elif'} {self.const(tuple(found))}[{piece}] and ({self.expr(row.guard)}):")
                self.emit(depth + 1, f"{target} = {self.expr(row.result)}")
            inner = depth
            if reachable:
                self.emit(depth, "else:")
                inner = depth + 1
            index = self.temp()
            self.emit(inner, f"{index} = {self.const(tuple(first))}[{piece}]")
            self.choose_row(body, index, target, inner)
            return
        if unguarded and body.hit != "unique" and all(isinstance(c, (cond.Is, cond.Always)) for c in conditions):
            by_value: dict[Any, int] = {}
            for c in conditions:
                if isinstance(c, cond.Is) and c.value not in by_value:
                    by_value[c.value] = next(j for j, k in enumerate(conditions) if cond.matches(k, c.value))
            default = next((i for i, c in enumerate(conditions) if isinstance(c, cond.Always)), -1)
            if all(isinstance(v, str) for v in by_value) or all(isinstance(v, bool) for v in by_value):
                index = self.temp()
                self.emit(depth, f"{index} = {self.const(by_value)}.get({subject}, {default})")
                self.choose_row(body, index, target, depth)
                return
        if body.hit == "unique":
            hits = []
            for row in body.rows:
                hit = self.temp()
                test = self.matches(row.condition, subject)
                guard = f" and ({self.expr(row.guard)})" if row.guard is not None else ""
                self.emit(depth, f"{hit} = {self.const(int)}(({test}){guard})")
                hits.append(hit)
            self.emit(depth, f"if {' + '.join(hits)} != 1:")
            self.emit(depth + 1, f"{fail}()")
            for k, (row, hit) in enumerate(zip(body.rows, hits, strict=True)):
                self.emit(depth, f"{'if' if k == 0 else 'elif'} {hit}:")
                self.emit(depth + 1, f"{target} = {self.expr(row.result)}")
            self.emit(depth, "else:")
            self.emit(depth + 1, f"{fail}()")
            return
        for k, row in enumerate(body.rows):
            test = self.matches(row.condition, subject)
            guard = f" and ({self.expr(row.guard)})" if row.guard is not None else ""
            self.emit(depth, f"{'if' if k == 0 else 'elif'} ({test}){guard}:")
            self.emit(depth + 1, f"{target} = {self.expr(row.result)}")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{fail}()")

    def locate(self, line: cond.NumberLine, subject: str, depth: int) -> str:
        """`line.locate(subject)` inline: a C bisection, then one comparison says cut point or gap."""
        from bisect import bisect_left

        piece = self.temp()
        self.emit(depth, f"{piece} = {self.const(bisect_left)}({self.const(line.cuts)}, {subject})")
        self.emit(depth, f"{piece} = {piece} + {piece} + ({self.const((*line.cuts, None))}[{piece}] == {subject})")
        return piece

    def choose_row(self, body: ir.Bands, index: str, target: str, depth: int) -> None:
        results = [row.result for row in body.rows]
        if all(isinstance(r, ir.Const) for r in results):
            values = tuple(r.value for r in results if isinstance(r, ir.Const))
            self.emit(depth, f"if {index} < 0:")
            self.emit(depth + 1, f"{self.const(_decline)}()")
            self.emit(depth, f"{target} = {self.const(values)}[{index}]")
            return
        for k, row in enumerate(body.rows):
            self.emit(depth, f"{'if' if k == 0 else 'elif'} {index} == {k}:")
            self.emit(depth + 1, f"{target} = {self.expr(row.result)}")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{self.const(_decline)}()")

    def matches(self, condition: cond.Condition, subject: str) -> str:
        """`cond.matches(condition, subject)` inline (the subject's type fits the condition: the checker says so)."""
        if isinstance(condition, cond.Always):
            return "True"
        if isinstance(condition, cond.Is):
            return f"{subject} == {self.const(condition.value)}"
        parts = []
        if condition.low is not None:
            parts.append(f"{self.const(condition.low)} {'<=' if condition.low_closed else '<'} {subject}")
        if condition.high is not None:
            parts.append(f"{subject} {'<=' if condition.high_closed else '<'} {self.const(condition.high)}")
        return " and ".join(parts) or "True"

    def matrix(self, body: ir.Matrix, target: str, depth: int) -> None:
        fail = self.const(_decline)
        row, column, flat = self.temp(), self.temp(), self.temp()
        self.emit(depth, f"{row} = {self.expr(body.row_subject)}")
        self.emit(depth, f"{column} = {self.expr(body.column_subject)}")
        width = len(body.column_keys)
        cells = [c for r in body.cells for c in r]
        keys = body.row_keys + body.column_keys
        if all(isinstance(k, cond.Is) and isinstance(k.value, str) for k in keys):
            # every key a label: the first row and column with those labels, one dictionary lookup for the pair
            row_at: dict[Any, int] = {}
            for ri, k in enumerate(body.row_keys):
                row_at.setdefault(cond.key_value(k), ri)
            column_at: dict[Any, int] = {}
            for ci, k in enumerate(body.column_keys):
                column_at.setdefault(cond.key_value(k), ci)
            pairs = {(r, c): ri * width + ci for r, ri in row_at.items() for c, ci in column_at.items()
                     if cells[ri * width + ci] is not None}  # fmt: skip
            self.emit(depth, f"{flat} = {self.const(pairs)}.get(({row}, {column}), -1)")
        else:
            row_index, column_index = self.temp(), self.temp()
            for index, subject, conditions in ((row_index, row, body.row_keys), (column_index, column, body.column_keys)):
                for k, c in enumerate(conditions):
                    self.emit(depth, f"{'if' if k == 0 else 'elif'} {self.matches(c, subject)}:")
                    self.emit(depth + 1, f"{index} = {k}")
                self.emit(depth, "else:")
                self.emit(depth + 1, f"{fail}()")
            self.emit(depth, f"{flat} = {row_index} * {width} + {column_index}")
        if all(c is None or isinstance(c, ir.Const) for c in cells):
            values = tuple(c.value if isinstance(c, ir.Const) else None for c in cells) + (None,)
            self.emit(depth, f"{target} = {self.const(values)}[{flat}]")
            self.emit(depth, f"if {target} is None:")
            self.emit(depth + 1, f"{fail}()")
            return
        written = False
        for k, c in enumerate(cells):
            if c is None:
                continue
            self.emit(depth, f"{'elif' if written else 'if'} {flat} == {k}:")
            self.emit(depth + 1, f"{target} = {self.expr(c)}")
            written = True
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{fail}()")

    # -------------------------------------------------------------- expressions
    def expr(self, e: ir.Expr) -> str:
        if isinstance(e, ir.Const):
            return self.const(e.value)
        if isinstance(e, ir.Read):
            if e.scope == "local":
                return self.names[f"\0local {e.name}"]
            name = self.var(e.name)
            return f"{self.const(_present)}({name})" if e.absence is not None else name
        if isinstance(e, ir.Present):
            return f"({self.var(e.name)} is not {self.const(ABSENT)})"
        if isinstance(e, ir.WeightPart):
            return f"{self.var(e.weights)}[{self.const(e.part)}]"
        if isinstance(e, ir.Field):
            return f"{self.expr(e.subject)}[{self.const(e.name)}]"
        if isinstance(e, ir.Negate):
            return f"(-{self.expr(e.operand)})"
        if isinstance(e, ir.Not):
            return f"(not {self.expr(e.operand)})"
        if isinstance(e, ir.Arith):
            return f"{self.const(_OPERATIONS[e.op])}({self.expr(e.left)}, {self.expr(e.right)})"
        if isinstance(e, ir.Logic):
            return f"({self.expr(e.left)} {e.op} {self.expr(e.right)})"
        if isinstance(e, ir.Compare):
            left, right = self.expr(e.left), self.expr(e.right)
            if e.order is not None and e.op not in ("=", "!="):
                ranks = self.const({label: i for i, label in enumerate(e.order)})
                left, right = f"{ranks}[{left}]", f"{ranks}[{right}]"
            op = {"=": "==", "!=": "!="}.get(e.op, e.op)
            return f"({left} {op} {right})"
        if isinstance(e, ir.Choose):
            return f"({self.expr(e.then)} if {self.expr(e.condition)} else {self.expr(e.otherwise)})"
        if isinstance(e, ir.Call):
            meaning = e.builtin.decimal
            if meaning is None:
                raise Unsupported(f"{e.builtin.name}() has no decimal meaning")
            args = [self.expr(a) for a in e.args]
            if e.builtin.takes_options:
                args.append(self.const(e.options))
            return f"{self.const(meaning)}({', '.join(args)})"
        if isinstance(e, ir.Reduce):
            return self.reduce(e)
        if isinstance(e, ir.ListOf):
            return "[" + ", ".join(self.expr(x) for x in e.items) + "]"
        raise Unsupported(type(e).__name__)

    def reduce(self, e: ir.Reduce) -> str:
        if e.builtin.pick is not None:
            raise Unsupported(f"{e.builtin.name}() picks an item: left to the closures")
        meaning = self.const(e.builtin.reduce)
        items = self.expr(e.items)
        if e.variable is None:
            return f"{meaning}({items}, None)"
        self.locals += 1
        variable = f"l{self.locals}"
        key = f"\0local {e.variable}"
        saved = self.names.get(key)
        self.names[key] = variable
        try:
            where = f" if {self.expr(e.where)}" if e.where is not None else ""
            item = self.expr(e.item) if e.item is not None and not e.builtin.counts_only else variable
            values = f"[{item} for {variable} in {items}{where}]"
            weights = f"[{self.expr(e.weight)} for {variable} in {items}{where}]" if e.weight is not None else "None"
        finally:
            if saved is None:
                self.names.pop(key, None)
            else:
                self.names[key] = saved
        return f"{meaning}({values}, {weights})"
