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
    scenarios,
    witness,
)
from kinerja.analysis.ranges import Evaluator, Finite, Num, join_all
from kinerja.diagnostics.diagnostic import ERROR, WARNING, Diagnostic, KinerjaError, diagnostic, with_source
from kinerja.eval.compile import compile_ruleset
from kinerja.eval.inputs import validate
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.syntax import tree as s
from kinerja.syntax.printer import condition as show_condition
from kinerja.syntax.printer import expr as show_expr
from kinerja.syntax.printer import free_names, literal


def analyse(checked: CheckedRuleset) -> list[Diagnostic]:
    """Every K5xx finding of a checked ruleset (errors and warnings), sorted by place."""
    if checked.errors:
        return []  # names or types are wrong: ranges and coverage would be guesses
    found: list[Diagnostic] = []
    for name in checked.order:
        decl = checked.definitions[name]
        if isinstance(decl, s.TableDecl):
            found += check_table(checked, decl)
        elif isinstance(decl, s.QuadrantDecl):
            found += check_quadrant(checked, decl)
    found += unused(checked)
    dead = {(d.span, dict(d.args)["name"], dict(d.args)["row"]) for d in found if d.code in ("K504", "K505")}
    found += never_produced(checked, {(name, row - 1) for _, name, row in dead})
    found += unexercised(checked)
    module = checked.module
    # a base ruleset's warnings are its own file's business; its holes still reach this one
    found = [d for d in found if d.severity == ERROR or d.span.file == module.path]
    found.sort(key=lambda d: (d.span.file != module.path, d.span.line, d.span.column, d.code))
    return with_source(found, module.source_text, module.path)


# ------------------------------------------------------------------ quadrants
def check_quadrant(checked: CheckedRuleset, decl: s.QuadrantDecl) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    roots = free_names(decl.row_subject) + free_names(decl.column_subject)
    cases, _ = scenarios(checked, [], condition_names(checked, roots) + roots, set())
    row_keys = [r.key for r in decl.rows]
    row_values = _axis(checked, decl, decl.row_subject, row_keys, cases, found)
    column_values = _axis(checked, decl, decl.column_subject, list(decl.columns), cases, found)
    if row_values is None or column_values is None:
        return found
    for ri, row in enumerate(decl.rows):
        for ci, cell in enumerate(row.cells):
            if cell.value is not None or ci >= len(decl.columns):
                continue
            r, c = row_values.get(ri), column_values.get(ci)
            if r is None or c is None:
                continue
            w = f"{show_expr(decl.row_subject)} = {literal(r)}, {show_expr(decl.column_subject)} = {literal(c)}"
            found.append(diagnostic("K507", cell.span, WARNING, witness=w, name=decl.name,
                                    row=_key_text(row.key), column=_key_text(decl.columns[ci])))  # fmt: skip
    return found


def _key_text(key: s.AxisKey) -> str:
    return literal(key.value) if isinstance(key, s.StringLit) else show_condition(key)


def _axis(checked: CheckedRuleset, decl: s.QuadrantDecl, subject: s.Expr, keys: list[s.AxisKey],
          cases: list[Any], found: list[Diagnostic]) -> dict[int, Any] | None:  # fmt: skip
    """Report axis values no key holds; return, per key, one value that reaches it (None: unknown axis)."""
    name = show_expr(subject)
    domain: Num | Finite | None = None
    for case in cases:
        value = case.evaluator.expr(subject, {})
        if not isinstance(value, (Num, Finite)):
            return None
        domain = value if domain is None else _join(domain, value)
    if domain is None:
        return None
    reached: dict[int, Any] = {}
    if isinstance(domain, Finite) or domain.points is not None:
        values = domain.values if isinstance(domain, Finite) else domain.points
        assert values is not None
        typ = checked.type_of(subject)
        ordered = list(typ.labels) if isinstance(typ, t.LabelT) else sorted(values, key=str)
        for v in [x for x in ordered if x in values] + [x for x in values if x not in ordered]:
            hit = next((i for i, k in enumerate(keys) if _key_matches(k, v)), None)
            if hit is None:
                found.append(diagnostic("K506", decl.span, ERROR, witness=f"{name} = {literal(v)}",
                                        name=decl.name, subject=name, value=literal(v)))  # fmt: skip
            else:
                reached.setdefault(hit, v)
        return reached
    if domain.low is None or domain.high is None:
        return None
    whole: Region = (domain.low, True, domain.high, True)
    regions: list[Region] = [(k.low, k.low_closed, k.high, k.high_closed) for k in keys if isinstance(k, s.Interval)]
    if len(regions) != len(keys):
        return None
    # one sweep in key order (n log n: a quadrant of thousands of interval keys stays fast):
    # what earlier keys cover, and which of them meet this one
    covered = GridUnion(domain.step)
    listed = EarlierRegions(dict(enumerate(regions)))
    for index, region in enumerate(regions):
        own = intersect(region, whole)
        for earlier in listed.meeting(own, MAX_LISTED):
            common = intersect(own, regions[earlier])
            if grid_bounds(common, domain.step) is not None:
                found.append(diagnostic("K508", keys[index].span, WARNING, witness=f"{name} = {literal(witness(common, domain.step))}",
                                        name=decl.name, first=show_condition(keys[earlier]),
                                        second=show_condition(keys[index]), subject=name,
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
            found.append(diagnostic("K506", decl.span, ERROR, witness=f"{name} = {value}", name=decl.name,
                                    subject=name, value=f"{value} ({describe(piece, domain.step)})"))  # fmt: skip
    return reached


def _join(a: Num | Finite, b: Num | Finite) -> Num | Finite:
    from kinerja.analysis.ranges import join

    joined = join(a, b)
    return joined if isinstance(joined, (Num, Finite)) else a


def _key_matches(key: s.AxisKey, v: Any) -> bool:
    if isinstance(key, s.StringLit):
        return key.value == v
    return isinstance(v, Decimal) and key.contains(v)


# ------------------------------------------------------------------ dead and unused
def _reads(checked: CheckedRuleset, name: str) -> list[str]:
    decl = checked.definitions.get(name)
    exprs: list[s.Expr] = [x for e in checked.exceptions.get(name, ()) for x in (e.condition, e.result)]
    if isinstance(decl, s.ValueDecl):
        exprs.append(decl.expr)
    elif isinstance(decl, s.TableDecl):
        exprs += [decl.subject] + [r.result for r in decl.rows] + [r.guard for r in decl.rows if r.guard is not None]
    elif isinstance(decl, s.QuadrantDecl):
        exprs += [decl.row_subject, decl.column_subject] + [c.value for r in decl.rows for c in r.cells if c.value is not None]
    elif isinstance(decl, s.WeightsDecl):
        exprs += [b.condition for b in decl.branches if b.condition is not None]
    if getattr(decl, "applies", None) is not None:  # a `when` condition reads its names too
        exprs.append(decl.applies)
    return [n for e in exprs for n in free_names(e)]


def used_names(checked: CheckedRuleset) -> set[str]:
    """Everything an output (or a population rule) depends on."""
    todo = [o.name for o in checked.outputs]
    for d in checked.module.of_kind(s.DistributionDecl):
        todo += [d.output, d.class_input]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += _reads(checked, name)
    return seen


def unused(checked: CheckedRuleset) -> list[Diagnostic]:
    used = used_names(checked)
    found = []
    for name, decl in checked.inputs.items():
        if name not in used and name not in checked.definitions:
            found.append(diagnostic("K510", decl.span, WARNING, name=name))
    for name, decl in checked.definitions.items():
        if name not in used:
            found.append(diagnostic("K511", decl.span, WARNING, name=name))
    return found


def never_produced(checked: CheckedRuleset, dead_rows: set[tuple[str, int]]) -> list[Diagnostic]:
    found = []
    evaluator = Evaluator(checked, {})
    for output in checked.outputs:
        typ = checked.types.get(output.name)
        decl = checked.definitions.get(output.name)
        if not isinstance(typ, t.LabelT) or decl is None:
            continue
        produced = evaluator.definition(output.name)
        if isinstance(decl, s.TableDecl) and output.name not in checked.suppliable:
            # a row no value can reach produces nothing
            live = [evaluator.expr(r.result, {}) for i, r in enumerate(decl.rows) if (output.name, i) not in dead_rows]
            live += [evaluator.expr(e.result, {}) for e in checked.exceptions.get(output.name, ())]
            produced = join_all(live)
        if not isinstance(produced, Finite):
            continue
        for label in typ.labels:
            if label not in produced.values:
                found.append(diagnostic("K512", output.span, WARNING, witness=f'{output.name} = {literal(label)}',
                                        name=output.name, label=label))  # fmt: skip
    return found


# ------------------------------------------------------------------ example coverage
def unexercised(checked: CheckedRuleset) -> list[Diagnostic]:
    examples = list(checked.module.of_kind(s.ExampleDecl))
    if not examples:
        return []  # no examples at all is a different matter than a row none of them reaches
    program = compile_ruleset(checked)
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
        for step, decision in zip(program.steps, decisions, strict=False):
            if decision.kind == "row":
                rows.add((step.name, decision.index))
            elif decision.kind == "cell":
                cells.add((step.name, decision.index, decision.column))
            elif decision.kind == "exception" and decision.exception is not None:
                fired.add(decision.exception.name)
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


def _runtime(value: Any) -> Any:
    if isinstance(value, tuple):
        return [{k: _runtime(v.value) for k, v in record} for record in value]
    return value


__all__ = ["analyse", "describe"]
