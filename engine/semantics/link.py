"""Link stage: a ruleset that `extends` another becomes one self-contained module.

Runs between parse and check. The child takes every declaration of its base
(except the base's examples, which test the base), adds its own, and changes
named parts of the base only through `override` declarations:

- `override weights W: …` / `when C: …` / `otherwise: …` replaces a branch;
- `override table T row N …` (or `rubric`) replaces the N-th row (1-based);
- `override quadrant Q cell "row", "column" -> "label"` replaces one cell;
- `override exception E when … then …` replaces an exception's rule;
- `override value V = …` replaces a formula; on a base *input* V it makes V a value computed
  by that formula unless the record gives V (the mirror of `override input`): the input keeps
  its type, which the value is checked against;
- `override input D` lets the base definition D be supplied as an optional input
  (when given it is used, otherwise it is computed).

Every override carries its own citations, which replace or join the base's.
Redeclaring a base name without `override`, or overriding something the base
does not have, is an error. Base citations keep naming the base's regulation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic, RulesetError, diagnostic, with_source
from kinerja.semantics.check import suggest
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import canonical_data

Resolver = Callable[[str], s.Module]


def link(module: s.Module, resolve: Resolver, _seen: tuple[str, ...] = ()) -> s.Module:
    """The module with its base merged in; unchanged when it extends nothing."""
    ref = module.header.extends
    if ref is None:
        return module
    me = f"{module.header.id}@{module.header.version}"
    if ref in _seen or ref == me:
        chain = " -> ".join((*_seen, me, ref))
        raise RulesetError(with_source([diagnostic("K902", module.header.span, chain=chain)], module.source_text))
    base = link(resolve(ref), resolve, (*_seen, me))
    problems: list[Diagnostic] = []
    merged = _merge(base, module, problems)
    if problems:
        raise RulesetError(with_source(problems, module.source_text))
    return merged


def _decl_name(decl: Any) -> str | None:
    """The key a declaration is found by; exceptions have a namespace of their own."""
    if isinstance(decl, (s.ExampleDecl, s.OverrideDecl)):
        return None
    if isinstance(decl, s.ExceptionDecl):
        return "exception:" + decl.name
    if isinstance(decl, s.OutputDecl):
        return "output:" + decl.name
    return getattr(decl, "name", None)


def _merge(base: s.Module, child: s.Module, problems: list[Diagnostic]) -> s.Module:
    regulation = base.header.regulation
    declarations: list[Any] = [
        _with_regulation(d, regulation) for d in base.declarations if not isinstance(d, s.ExampleDecl)
    ]
    by_name = {_decl_name(d): i for i, d in enumerate(declarations) if _decl_name(d) is not None}
    for decl in child.declarations:
        name = _decl_name(decl)
        if isinstance(decl, s.OutputDecl) and name in by_name:
            continue  # restating an inherited output is harmless
        if name is not None and name in by_name:
            problems.append(diagnostic("K903", decl.span, name=name.removeprefix("exception:"), base=f"{base.header.id}@{base.header.version}"))
            continue
        if not isinstance(decl, s.OverrideDecl):
            declarations.append(decl)
    overrides = [d for d in child.declarations if isinstance(d, s.OverrideDecl)]
    for override in overrides:
        key = ("exception:" if override.kind == "exception" else "") + override.target
        index = by_name.get(key)
        target = declarations[index] if index is not None else None
        replaced = _apply(override, target, problems, list(by_name))
        if replaced is not None and index is not None:
            declarations[index] = replaced
        if override.kind == "input" and target is not None:
            declarations.append(override)  # the checker turns it into an optional input
        if override.kind == "value" and isinstance(target, s.InputDecl) and replaced is not None:
            # the base input stays an input a record may give: the value is computed only when it does not
            declarations.append(s.OverrideDecl("input", override.target, None, None, target.description,
                                               target.annotations, override.span))  # fmt: skip
    return s.Module(child.header, tuple(declarations), child.comments, child.source_text, child.path)


def _with_regulation(node: Any, regulation: str) -> Any:
    """A copy of a base declaration whose citations name the base's regulation explicitly."""
    if isinstance(node, s.Citation):
        return node if node.regulation else dataclasses.replace(node, regulation=regulation)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            new = _with_regulation(value, regulation)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    if isinstance(node, tuple):
        items = tuple(_with_regulation(x, regulation) for x in node)
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node


def _missing(override: s.OverrideDecl, problems: list[Diagnostic], what: str, known: list[str]) -> None:
    problems.append(diagnostic("K901", override.span, suggestion=suggest(override.target, known),
                               kind=override.kind, name=what))  # fmt: skip


def _join(base: s.Annotations, override: s.Annotations) -> s.Annotations:
    """An override's citations replace the base's; its notes join them."""
    citations = override.citations or base.citations
    return s.Annotations(citations, base.notes + override.notes)


def _apply(override: s.OverrideDecl, target: Any, problems: list[Diagnostic], known: list[str]) -> Any:
    kind = override.kind
    if kind.startswith("weights"):
        if not isinstance(target, s.WeightsDecl):
            _missing(override, problems, override.target, known)
            return None
        payload: s.WeightBranch = override.payload  # type: ignore[assignment]
        branches = list(target.branches)
        if kind == "weights_otherwise":
            at = next((i for i, b in enumerate(branches) if b.condition is None), None)
        elif payload.condition is None:
            at = 0 if len(branches) == 1 else None
        else:
            wanted = canonical_data_expr(payload.condition)
            at = next((i for i, b in enumerate(branches) if b.condition is not None and canonical_data_expr(b.condition) == wanted), None)
        if at is None:
            _missing(override, problems, f"{override.target} ({kind})", known)
            return None
        old = branches[at]
        branches[at] = s.WeightBranch(old.condition, payload.items, _join(old.annotations, override.annotations), override.span)
        return dataclasses.replace(target, branches=tuple(branches))
    if kind == "row":
        if not isinstance(target, s.TableDecl) or not override.row_index or not 1 <= override.row_index <= len(target.rows):
            _missing(override, problems, f"{override.target} row {override.row_index}", known)
            return None
        rows = list(target.rows)
        old_row = rows[override.row_index - 1]
        new_row: s.Row = override.payload  # type: ignore[assignment]
        rows[override.row_index - 1] = dataclasses.replace(new_row, annotations=_join(old_row.annotations, _join(new_row.annotations, override.annotations)))
        return dataclasses.replace(target, rows=tuple(rows))
    if kind == "cell":
        if not isinstance(target, s.QuadrantDecl) or override.cell is None:
            _missing(override, problems, override.target, known)
            return None
        row_label, column_label = override.cell
        r = next((i for i, row in enumerate(target.rows) if isinstance(row.key, s.StringLit) and row.key.value == row_label), None)
        c = next((i for i, key in enumerate(target.columns) if isinstance(key, s.StringLit) and key.value == column_label), None)
        if r is None or c is None or c >= len(target.rows[r].cells):
            _missing(override, problems, f'{override.target} cell "{row_label}", "{column_label}"', known)
            return None
        rows = list(target.rows)
        cells = list(rows[r].cells)
        cells[c] = override.payload  # type: ignore[assignment]
        rows[r] = dataclasses.replace(rows[r], cells=tuple(cells), annotations=_join(rows[r].annotations, override.annotations))
        return dataclasses.replace(target, rows=tuple(rows))
    if kind == "exception":
        if not isinstance(target, s.ExceptionDecl):
            _missing(override, problems, override.target, known)
            return None
        condition, result = override.payload  # type: ignore[misc]
        return dataclasses.replace(target, condition=condition, result=result,
                                   annotations=_join(target.annotations, override.annotations))  # fmt: skip
    if kind == "value":
        if isinstance(target, s.InputDecl):  # computed unless given; checked against the input's type
            return s.ValueDecl(target.name, target.type, override.payload, target.description,  # type: ignore[arg-type]
                               _join(target.annotations, override.annotations), override.span)  # fmt: skip
        if not isinstance(target, s.ValueDecl):
            _missing(override, problems, override.target, known)
            return None
        return dataclasses.replace(target, expr=override.payload, annotations=_join(target.annotations, override.annotations))
    if kind == "input":
        if not isinstance(target, (s.ValueDecl, s.TableDecl, s.QuadrantDecl)):
            _missing(override, problems, override.target, known)
        return None
    raise ValueError(kind)


def canonical_data_expr(expr: s.Expr) -> Any:
    """An expression's content without positions, to match a base branch by its condition."""
    return canonical_data(s.Module(s.Header("x", "0.0.0", None, None, None, None, None, None, None, s.Annotations(), s.NOWHERE), (s.ValueDecl("x", None, expr, None, s.Annotations(), s.NOWHERE),)))
