"""Static analysis (K5xx): holes a regulation leaves, found before an employee falls into one.

Runs on a ruleset that checked without errors. Band tables must cover every
value their subject can take (inputs by their declared domain, derived values
by interval arithmetic, see `analysis_ranges`), `hit unique` rows must not
overlap, `hit first` rows must be reachable, quadrants must have a cell for
every pair of axis values. Warnings name what is never used, never produced,
and never exercised by an example. Every finding carries a concrete witness.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.analysis.coverage import (
    MAX_LISTED,
    EarlierRegions,
    GridUnion,
    Region,
    check_table,
    complement,
    condition_names,
    describe,
    grid_bounds,
    intersect,
    region_of,
    scenarios,
    witness,
    witness_of,
)
from kinerja.analysis.ranges import Evaluations, Evaluator, Finite, Num, join, join_all
from kinerja.diagnostics.diagnostic import ERROR, WARNING, Diagnostic, KinerjaError, Related, diagnostic, with_source
from kinerja.eval.compile import compile_program
from kinerja.eval.inputs import validate
from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.lower import lower
from kinerja.syntax import tree as s
from kinerja.syntax.printer import condition as show_condition
from kinerja.syntax.printer import expr as show_expr
from kinerja.syntax.printer import literal


def analyse(checked: CheckedRuleset, program: ir.Program | None = None) -> list[Diagnostic]:
    """Every K5xx finding of a checked ruleset (errors and warnings), sorted by place."""
    if checked.errors:
        return []  # names or types are wrong: ranges and coverage would be guesses
    if program is None:
        program = lower(checked)
    found: list[Diagnostic] = []
    evaluations = Evaluations(program)  # shared: every check below starts from the same scenarios
    for d in program.definitions:
        if isinstance(d.body, ir.Bands):
            found += check_table(program, d, evaluations)
        elif isinstance(d.body, ir.Matrix):
            found += check_quadrant(program, d, evaluations)
    found += unstated_rounding(program, evaluations)
    found += unused(checked, program)
    dead = {(x.span, dict(x.args)["name"], dict(x.args)["row"]) for x in found if x.code in ("K504", "K505")}
    found += never_produced(checked, program, {(name, row - 1) for _, name, row in dead}, evaluations)
    found += unexercised(checked, program)
    module = checked.module
    # a base ruleset's warnings are its own file's business; its holes still reach this one
    found = [d for d in found if d.severity == ERROR or d.span.file == module.path]
    found.sort(key=lambda d: (d.span.file != module.path, d.span.line, d.span.column, d.code))
    return with_source(found, module.source_text, module.path)


# ------------------------------------------------------------------ quadrants
def check_quadrant(program: ir.Program, d: ir.Definition, evaluations: Evaluations | None = None) -> list[Diagnostic]:
    body = d.body
    assert isinstance(body, ir.Matrix)
    decl: s.QuadrantDecl = d.decl
    found: list[Diagnostic] = []
    roots = ir.free_reads(body.row_subject) + ir.free_reads(body.column_subject)
    cases, _ = scenarios(program, [], condition_names(program, roots) + roots, set(), evaluations)
    row_values = _axis(d, body.row_subject, body.row_keys, [r.key for r in decl.rows], cases, found)
    column_values = _axis(d, body.column_subject, body.column_keys, list(decl.columns), cases, found)
    if row_values is None or column_values is None:
        return found
    for ri, row in enumerate(decl.rows):
        for ci, cell in enumerate(row.cells):
            if cell.value is not None or ci >= len(decl.columns):
                continue
            r, c = row_values.get(ri), column_values.get(ci)
            if r is None or c is None:
                continue
            w = witness_of([(show_expr(decl.row_subject), r), (show_expr(decl.column_subject), c)])
            found.append(diagnostic("K507", cell.span, WARNING, **w, name=d.name,
                                    row=_key_text(row.key), column=_key_text(decl.columns[ci])))  # fmt: skip
    return found


def _key_text(key: s.AxisKey) -> str:
    return literal(key.value) if isinstance(key, s.StringLit) else show_condition(key)


def _axis(d: ir.Definition, subject: ir.Expr, keys: tuple[cond.Condition, ...], written: list[s.AxisKey],
          cases: list[Any], found: list[Diagnostic]) -> dict[int, Any] | None:  # fmt: skip
    """Report axis values no key holds; return, per key, one value that reaches it (None: unknown axis)."""
    name = show_expr(subject.source)
    span = d.decl.span
    domain: Num | Finite | None = None
    for case in cases:
        value = case.evaluator.expr(subject)
        if not isinstance(value, (Num, Finite)):
            return None
        domain = value if domain is None else _join(domain, value)
    if domain is None:
        return None
    reached: dict[int, Any] = {}
    if isinstance(domain, Finite) or domain.points is not None:
        values = domain.values if isinstance(domain, Finite) else domain.points
        assert values is not None
        typ = subject.type
        ordered = list(typ.labels) if isinstance(typ, t.LabelT) else sorted(values, key=str)
        for v in [x for x in ordered if x in values] + [x for x in values if x not in ordered]:
            hit = cond.first_match(keys, v)
            if hit < 0:
                found.append(diagnostic("K506", span, ERROR, **witness_of([(name, v)]),
                                        name=d.name, subject=name, value=literal(v)))  # fmt: skip
            else:
                reached.setdefault(hit, v)
        return reached
    if domain.low is None or domain.high is None:
        return None
    whole: Region = (domain.low, True, domain.high, True)
    regions = [region_of(k) for k in keys]
    if any(r is None for r in regions) or any(isinstance(k, cond.Always) for k in keys):
        return None
    # one sweep in key order (n log n: a quadrant of thousands of interval keys stays fast):
    # what earlier keys cover, and which of them meet this one
    covered = GridUnion(domain.step)
    listed = EarlierRegions(dict(enumerate(regions)))
    for index, region in enumerate(regions):
        assert region is not None
        own = intersect(region, whole)
        for earlier in listed.meeting(own, MAX_LISTED):
            common = intersect(own, regions[earlier])  # type: ignore[arg-type]
            if grid_bounds(common, domain.step) is not None:
                first_key = written[earlier]
                found.append(diagnostic("K508", written[index].span, WARNING, **witness_of([(name, witness(common, domain.step))]),
                                        related=(Related(first_key.span, "R_key", (("key", _key_text(first_key)),)),),
                                        name=d.name, first=_key_text(first_key),
                                        second=_key_text(written[index]), subject=name,
                                        value=literal(witness(common, domain.step))))  # fmt: skip
                break
        free = covered.first_uncovered(own)
        if free is not None:
            reached[index] = witness(free, domain.step)
        covered.add(region)
        listed.add(index)
    for piece in complement(covered.regions, whole):
        if grid_bounds(piece, domain.step) is not None:
            value = literal(witness(piece, domain.step))
            found.append(diagnostic("K506", span, ERROR, **witness_of([(name, witness(piece, domain.step))]), name=d.name,
                                    subject=name, value=f"{value} ({describe(piece, domain.step)})"))  # fmt: skip
    return reached


def _join(a: Num | Finite, b: Num | Finite) -> Num | Finite:
    joined = join(a, b)
    return joined if isinstance(joined, (Num, Finite)) else a


# ------------------------------------------------------------------ stated rounding (money)
def unstated_rounding(program: ir.Program, evaluations: Evaluations | None = None) -> list[Diagnostic]:
    """K243: a definition declared with `places N` whose formula can hold more places than N.

    A fraction of a rupiah nobody decided to round is a real defect: the declared type says
    what the figure is, the formula must produce it, by an explicit `round(…, N, MODE)`
    (or `floor`, `ceiling`) where it can be finer. Precision comes from the range analysis'
    grid (`Num.step`): sums keep the coarsest grid of their terms, products multiply grids,
    a quotient or a mean has none.
    """
    found = []
    evaluator = (evaluations or Evaluations(program)).under({})
    for d in program.definitions:
        declared = getattr(d.decl, "declared_type", None)
        typ = d.type
        if declared is None or not isinstance(typ, t.NumberT) or typ.integer or typ.places is None:
            continue
        quantum = Decimal(1).scaleb(-typ.places)
        results = [e.result for e in d.exceptions]
        if isinstance(d.body, ir.Formula):
            results.append(d.body.expr)
        elif isinstance(d.body, ir.Bands):
            results += [r.result for r in d.body.rows]
        elif isinstance(d.body, ir.Matrix):
            results += [c for row in d.body.cells for c in row if c is not None]
        for result in results:
            culprit = _finer_than(evaluator, result, quantum)
            if culprit is not None:
                part = f"`{show_expr(culprit.source)}`"
                found.append(diagnostic("K243", d.decl.span, ERROR, name=d.name, places=typ.places, part=part))
                break
    return found


def _finer_than(evaluator: Evaluator, e: ir.Expr, quantum: Decimal) -> ir.Expr | None:
    """The innermost part of `e` whose values can be finer than `quantum` (None: every value fits)."""
    if _fits_grid(evaluator.expr(e), quantum):
        return None
    if isinstance(e, (ir.Reduce, ir.Call)) or not isinstance(e, (ir.Arith, ir.Negate, ir.Choose)):
        return e  # a quotient inside a call or an aggregate is that call's or aggregate's to round
    for child in ir.children(e):
        # a literal or a name is as written or declared: the culprit is the computation that uses it
        if isinstance(child.type, t.NumberT) and not isinstance(child, (ir.Const, ir.Read, ir.Field, ir.WeightPart)):
            deeper = _finer_than(evaluator, child, quantum)
            if deeper is not None:
                return deeper
    return e


def _fits_grid(value: Any, quantum: Decimal) -> bool:
    if not isinstance(value, Num):
        return False
    if value.points is not None:
        return all(p == p.quantize(quantum) for p in value.points)
    step = value.step
    return step is not None and (step == 0 or (step / quantum) == (step / quantum).to_integral_value())


# ------------------------------------------------------------------ dead and unused
def _reads(program: ir.Program, name: str) -> list[str]:
    """Every name a definition reads anywhere: its body (quadrant cells too), `when` and exceptions."""
    d = program.definition(name)
    if d is None:
        return []
    return [n for e in ir.definition_exprs(d) for n in ir.free_reads(e)]


def used_names(checked: CheckedRuleset, program: ir.Program) -> set[str]:
    """Everything an output (or a population rule) depends on."""
    todo = list(program.outputs)
    for distribution in checked.module.of_kind(s.DistributionDecl):
        todo += [distribution.output, distribution.class_input]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += _reads(program, name)
    return seen


def unused(checked: CheckedRuleset, program: ir.Program) -> list[Diagnostic]:
    used = used_names(checked, program)
    found = []
    for name, decl in checked.inputs.items():
        if name not in used and name not in checked.definitions:
            found.append(diagnostic("K510", decl.span, WARNING, name=name))
    for d in program.definitions:
        if d.name not in used:
            found.append(diagnostic("K511", d.decl.span, WARNING, name=d.name))
    return found


def never_produced(checked: CheckedRuleset, program: ir.Program, dead_rows: set[tuple[str, int]],
                   evaluations: Evaluations | None = None) -> list[Diagnostic]:  # fmt: skip
    found = []
    evaluator = (evaluations or Evaluations(program)).under({})
    for output in checked.outputs:
        d = program.definition(output.name)
        if d is None or not isinstance(d.type, t.LabelT):
            continue
        produced = evaluator.definition(output.name)
        if isinstance(d.body, ir.Bands) and not d.suppliable:
            # a row no value can reach produces nothing
            live = [evaluator.expr(r.result) for r in d.body.rows if (output.name, r.index) not in dead_rows]
            live += [evaluator.expr(e.result) for e in d.exceptions]
            produced = join_all(live)
        if not isinstance(produced, Finite):
            continue
        for label in d.type.labels:
            if label not in produced.values:
                found.append(diagnostic("K512", output.span, WARNING, **witness_of([(output.name, label)]),
                                        name=output.name, label=label))  # fmt: skip
    return found


# ------------------------------------------------------------------ example coverage
def unexercised(checked: CheckedRuleset, lowered: ir.Program) -> list[Diagnostic]:
    examples = list(checked.module.of_kind(s.ExampleDecl))
    if not examples:
        return []  # no examples at all is a different matter than a row none of them reaches
    program = compile_program(lowered)
    rows: set[tuple[str, int]] = set()
    cells: set[tuple[str, int, int]] = set()
    fired: set[str] = set()
    for example in examples:
        record = {b.name: _runtime(b.value.value) for b in example.given}
        try:
            env = validate(checked, record)
            decisions = program.execute(env)
        except KinerjaError as error:
            # a row whose result needs an optional input the example left out was still reached
            for d in error.diagnostics:
                args = dict(d.args)
                if d.code == "K704" and "row" in args and "name" in args:
                    rows.add((str(args["name"]), int(args["row"]) - 1))
            continue  # otherwise a failing example is `kinerja test`'s to report
        for step, outer in zip(program.steps, decisions, strict=False):
            # a definition per item counts a row or cell as exercised when any item reaches it
            for decision in [d for _, d in outer.items] if outer.kind == "items" else [outer]:
                _exercised(step.name, decision, rows, cells, fired)
    found = []
    for name in checked.order:
        decl = checked.definitions[name]
        if isinstance(decl, s.TableDecl):
            for index, row in enumerate(decl.rows):
                if (name, index) not in rows:
                    found.append(diagnostic("K520", row.span, WARNING, name=name, row=index + 1,
                                            condition=show_condition(row.condition)))  # fmt: skip
        elif isinstance(decl, s.QuadrantDecl):
            for ri, row in enumerate(decl.rows):
                for ci, cell in enumerate(row.cells):
                    if cell.value is not None and ci < len(decl.columns) and (name, ri, ci) not in cells:
                        found.append(diagnostic("K521", cell.span, WARNING, name=name, row=_key_text(row.key),
                                                column=_key_text(decl.columns[ci])))  # fmt: skip
    for exceptions in checked.exceptions.values():
        for exception in exceptions:
            if exception.name not in fired:
                found.append(diagnostic("K522", exception.span, WARNING, name=exception.name))
    return found


def _exercised(name: str, decision: Any, rows: set[tuple[str, int]], cells: set[tuple[str, int, int]], fired: set[str]) -> None:
    if decision.kind == "row":
        rows.add((name, decision.index))
    elif decision.kind == "cell":
        cells.add((name, decision.index, decision.column))
    elif decision.kind == "exception" and decision.exception is not None:
        fired.add(decision.exception.name)


def _runtime(value: Any) -> Any:
    if isinstance(value, tuple):
        return [{k: _runtime(v.value) for k, v in record} for record in value]
    return value


__all__ = ["analyse", "describe"]
