"""Lower stage: a checked ruleset -> the IR (kinerja.semantics.ir).

Runs only on a ruleset without check errors. Every decision about what a construct
means is taken here, once: which builtin a call names, what a name refers to and
whether it may be absent, how a row condition reads, which order a scale comparison
uses. The back-ends then only follow the IR.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.semantics import builtins as bi
from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.syntax import tree as s

_ARITH = ("+", "-", "*", "/")
_LOGIC = ("and", "or")


def lower(checked: CheckedRuleset) -> ir.Program:
    """The IR of a ruleset that checked without errors."""
    lowering = _Lowering(checked)
    definitions = tuple(lowering.definition(name) for name in checked.order)
    inputs = tuple(
        ir.Input(name, checked.types.get(name, t.ERROR), decl.optional and decl.default is None,
                 decl.default.value if decl.default is not None else None, decl)
        for name, decl in checked.inputs.items()
    )  # fmt: skip
    required = frozenset(name for name, decl in checked.inputs.items() if decl.default is None and not decl.optional)
    return ir.Program(
        checked.header, inputs, definitions, tuple(o.name for o in checked.outputs), required,
        checked.suppliable, {d.name: d for d in definitions},
    )  # fmt: skip


class _Lowering:
    def __init__(self, checked: CheckedRuleset):
        self.checked = checked
        self.optional_inputs = {n for n, d in checked.inputs.items() if d.optional and d.default is None and n not in checked.definitions}
        self.conditional: dict[str, s.Expr] = {
            name: decl.applies for name, decl in checked.definitions.items() if getattr(decl, "applies", None) is not None
        }

    # -------------------------------------------------------------- definitions
    def definition(self, name: str) -> ir.Definition:
        decl = self.checked.definitions[name]
        reads: list[str] = []
        body: ir.Body
        if isinstance(decl, s.ValueDecl):
            expr = self.expr(decl.expr)
            body = ir.Formula(expr)
            _extend(reads, ir.free_reads(expr))
            kind = "value"
        elif isinstance(decl, s.TableDecl):
            body = self.bands(decl, reads)
            kind = decl.kind
        elif isinstance(decl, s.QuadrantDecl):
            body = self.matrix(decl, reads)
            kind = "quadrant"
        else:
            body = self.weights(decl, reads)
            kind = "weights"
        exceptions = []
        for e in self.checked.exceptions.get(name, ()):
            rule = ir.ExceptionRule(e.name, e.priority, self.expr(e.condition), self.expr(e.result), e)
            _extend(reads, ir.free_reads(rule.condition) + ir.free_reads(rule.result))
            exceptions.append(rule)
        applies = self.expr(decl.applies) if getattr(decl, "applies", None) is not None else None
        if applies is not None:
            reads = [n for n in ir.free_reads(applies) if n not in reads] + reads
        return ir.Definition(name, kind, self.checked.types[name], body, applies, tuple(exceptions),
                             name in self.checked.suppliable, tuple(reads), decl, self.checked.level(name))  # fmt: skip

    def bands(self, decl: s.TableDecl, reads: list[str]) -> ir.Bands:
        subject = self.expr(decl.subject)
        _extend(reads, ir.free_reads(subject))
        rows = []
        for index, row in enumerate(decl.rows):
            guard = self.expr(row.guard) if row.guard is not None else None
            result = self.expr(row.result)
            if guard is not None:
                _extend(reads, ir.free_reads(guard))
            _extend(reads, ir.free_reads(result))
            rows.append(ir.BandRow(index, cond.from_row(row.condition), guard, result, row))
        return ir.Bands(subject, decl.hit, tuple(rows))

    def matrix(self, decl: s.QuadrantDecl, reads: list[str]) -> ir.Matrix:
        row_subject = self.expr(decl.row_subject)
        column_subject = self.expr(decl.column_subject)
        _extend(reads, ir.free_reads(row_subject) + ir.free_reads(column_subject))
        width = len(decl.columns)
        cells = tuple(
            tuple(self.expr(row.cells[c].value) if c < len(row.cells) and row.cells[c].value is not None else None  # type: ignore[arg-type]
                  for c in range(width))
            for row in decl.rows
        )  # fmt: skip
        return ir.Matrix(row_subject, column_subject, tuple(cond.from_key(r.key) for r in decl.rows),
                         tuple(cond.from_key(k) for k in decl.columns), cells)  # fmt: skip

    def weights(self, decl: s.WeightsDecl, reads: list[str]) -> ir.WeightSet:
        branches = []
        for index, branch in enumerate(decl.branches):
            condition = self.expr(branch.condition) if branch.condition is not None else None
            if condition is not None:
                _extend(reads, ir.free_reads(condition))
            branches.append(ir.WeightBranch(index, condition, tuple((i.name, i.weight) for i in branch.items), branch))
        parts = tuple(item.name for item in decl.branches[0].items) if decl.branches else ()
        return ir.WeightSet(tuple(branches), parts)

    # -------------------------------------------------------------- expressions
    def type_of(self, e: s.Expr) -> t.Type:
        return self.checked.type_of(e)

    def expr(self, e: s.Expr, scope: frozenset[str] = frozenset()) -> ir.Expr:
        typ = self.type_of(e)
        if isinstance(e, (s.NumberLit, s.StringLit, s.BoolLit)):
            return ir.Const(e.value, typ, e)
        item_path = self.checked.item_reads.get(id(e))
        if item_path is not None:  # the item a definition per item is computing
            return ir.Read(".".join(item_path), "item", None, typ, e)
        if isinstance(e, s.Name):
            return self.read(e, scope, typ)
        if isinstance(e, s.Member):
            if isinstance(e.subject, s.Name) and e.subject.name not in scope and isinstance(
                self.checked.definitions.get(e.subject.name), s.WeightsDecl
            ):
                return ir.WeightPart(e.subject.name, e.field_name, typ, e)
            return self.field(e, scope, typ)
        if isinstance(e, s.Unary):
            operand = self.expr(e.operand, scope)
            return ir.Not(operand, typ, e) if e.op == "not" else ir.Negate(operand, typ, e)
        if isinstance(e, s.Binary):
            left, right = self.expr(e.left, scope), self.expr(e.right, scope)
            if e.op in _ARITH:
                return ir.Arith(e.op, left, right, typ, e)
            if e.op in _LOGIC:
                return ir.Logic(e.op, left, right, typ, e)
            order = None
            if e.op not in ("=", "!="):
                scale = next((x for x in (self.type_of(e.left), self.type_of(e.right)) if isinstance(x, t.LabelT)), None)
                order = scale.labels if scale is not None else None
            return ir.Compare(e.op, left, right, order, typ, e)
        if isinstance(e, s.IfThenElse):
            return ir.Choose(self.expr(e.condition, scope), self.expr(e.then, scope), self.expr(e.otherwise, scope), typ, e)
        if isinstance(e, s.Call):
            return self.call(e, scope, typ)
        if isinstance(e, s.Aggregate):
            builtin = bi.LISTS[e.function]
            inner = scope | {e.variable}
            return ir.Reduce(
                builtin, self.expr(e.source, scope), e.variable, self.expr(e.item, inner),
                self.expr(e.weight, inner) if e.weight is not None else None,
                self.expr(e.where, inner) if e.where is not None else None, typ, e,
                tuple(self.key(k, inner) for k in e.keys or ()),
            )  # fmt: skip
        if isinstance(e, s.ListLit):
            return ir.ListOf(tuple(self.expr(x, scope) for x in e.items), typ, e)
        raise TypeError(e)

    def field(self, e: s.Member, scope: frozenset[str], typ: t.Type) -> ir.Field:
        """A field of a record, or a definition per item read on an item; with how reading it may fail."""
        subject = self.expr(e.subject, scope)
        dotted = self.checked.item_definitions.get(id(e))
        absence = None
        if dotted is not None:
            applies = self.conditional.get(dotted)
            absence = ir.Absence("K708", applies) if applies is not None else None
        elif isinstance(subject.type, t.RecordT) and e.field_name in subject.type.optional:
            absence = ir.Absence("K704")
        return ir.Field(subject, e.field_name, typ, e, dotted, absence)

    def key(self, e: s.Expr, scope: frozenset[str]) -> ir.Expr:
        """A sort key of `top`/`bottom`: a number as it is, a scale label by its rank."""
        lowered = self.expr(e, scope)
        if isinstance(lowered.type, t.LabelT):
            return ir.Call(bi.RANK, (lowered,), bi.CallOptions(None, lowered.type.labels), t.INTEGER, e)
        return lowered

    def read(self, e: s.Name, scope: frozenset[str], typ: t.Type) -> ir.Read:
        name = e.name
        if name in scope:
            return ir.Read(name, "local", None, typ, e)
        if name in self.checked.definitions:
            applies = self.conditional.get(name)
            absence = ir.Absence("K708", applies) if applies is not None else None
            return ir.Read(name, "definition", absence, typ, e)
        absence = ir.Absence("K704") if name in self.optional_inputs else None
        return ir.Read(name, "input", absence, typ, e)

    def call(self, e: s.Call, scope: frozenset[str], typ: t.Type) -> ir.Expr:
        arg_types = [self.type_of(a) for a in e.args]
        builtin = bi.lookup(e.function, len(e.args) == 1 and isinstance(arg_types[0], t.ListT))
        assert builtin is not None, e.function
        if builtin.form == "list":
            return ir.Reduce(builtin, self.expr(e.args[0], scope), None, None, None, None, typ, e)
        if builtin.params[0].kind == "maybe_absent":  # asks whether a name holds a value, not for the value
            arg = e.args[0]
            if isinstance(arg, s.Member):  # a field of an item: `given(q.realisasi)`
                return ir.Present(arg.field_name, typ, e, self.expr(arg.subject, scope))
            assert isinstance(arg, s.Name)
            return ir.Present(arg.name, typ, e)
        mode = None
        args: list[ir.Expr] = []
        for param, arg in zip(_params(builtin, len(e.args)), e.args, strict=True):
            if param.kind == "rounding":
                assert isinstance(arg, s.Name)
                mode = arg.name
            else:
                args.append(self.expr(arg, scope))
        labels: tuple[str, ...] = ()
        if any(p.kind == "scale" for p in builtin.params):
            scale = arg_types[0]
            labels = scale.labels if isinstance(scale, t.LabelT) else ()
        return ir.Call(builtin, tuple(args), bi.CallOptions(mode, labels), typ, e)


def _params(builtin: bi.Builtin, count: int) -> list[bi.Param]:
    """The parameter each of `count` arguments fills (a variadic last parameter repeats)."""
    params = list(builtin.params)
    while len(params) < count:
        params.append(params[-1])
    return params[:count]


def _extend(found: list[str], names: list[str]) -> None:
    for name in names:
        if name not in found:
            found.append(name)


def runtime_default(value: Any) -> Any:
    """A literal default or example value as the evaluator holds it (lists of records as dicts)."""
    if isinstance(value, tuple):
        return [{k: runtime_default(v.value) for k, v in record} for record in value]
    if isinstance(value, Decimal):
        return value
    return value
