"""Check stage: names resolve, types agree, labels exist, weights sum to 100%.

Input: a `syntax.Module`. Output: a `CheckedRuleset` — the same tree plus the
type of every name and expression and the order in which definitions are
computed — and the list of diagnostics. Scope rules are simple: every
top-level name (type, input, value, weight set, table, quadrant) is visible
everywhere, declared before or after its use; an aggregate's loop variable is
visible only inside the aggregate; there is no recursion, so a definition
that depends on itself is an error.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import field
from decimal import Context, Decimal
from typing import Any

from kinerja.diagnostics.diagnostic import ERROR, WARNING, Diagnostic, Related, Suggestion, diagnostic, with_source
from kinerja.diagnostics.messages import Listing, Phrase, Term
from kinerja.semantics import builtins
from kinerja.semantics import types as t
from kinerja.semantics.conversion import table_of
from kinerja.semantics.labels import drop_misleading, near_duplicates
from kinerja.semantics.order import dependencies
from kinerja.semantics.values import ROUNDING_MODES
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.limits import LIMITS
from kinerja.syntax.numbers import plain

Definition = s.ValueDecl | s.TableDecl | s.QuadrantDecl | s.WeightsDecl


@dataclass
class CheckedRuleset:
    module: s.Module
    types: dict[str, t.Type]  # every input and definition
    inputs: dict[str, s.InputDecl]
    definitions: dict[str, Definition]
    order: tuple[str, ...]  # definitions in the order they are computed
    exceptions: dict[str, tuple[s.ExceptionDecl, ...]]  # by target, highest priority first
    suppliable: frozenset[str]  # definitions that may also be given as inputs (`override input`)
    outputs: tuple[s.OutputDecl, ...]
    expr_types: dict[int, t.Type]  # id(expr) -> type
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # how deep definitions nest through what they read (see `semantics.order`); beyond the
    # nesting limit, walkers type or evaluate definitions in `order`, never by recursion
    chain_height: int = 0
    # values per item of a list (`value iki.nilai = …`): each definition's level, the list path its
    # items live at (`()` for the record, `("iki",)` for an item of `iki`)
    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # id(expr) of a name or member that reads the current item of a definition per item -> its list path
    item_reads: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # id(member) that reads a definition per item (`i.nilai` in `sum(i.nilai for i in iki)`) -> its name
    item_definitions: dict[int, str] = field(default_factory=dict)

    def level(self, name: str) -> tuple[str, ...]:
        return self.levels.get(name, ())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def header(self) -> s.Header:
        return self.module.header

    def type_of(self, expr: Any) -> t.Type:
        return self.expr_types.get(id(expr), t.ERROR)

    def input_type(self, name: str) -> t.Type:
        return self.types[name]


def check(module: s.Module) -> CheckedRuleset:
    """Check a parsed ruleset; the diagnostics are on the result (errors and warnings)."""
    checker = _Checker(module)
    result = checker.run()
    typos, fixes = near_duplicates(module)  # K240: a misspelt label is a warning, never the advice
    found = drop_misleading(checker.diagnostics, fixes) + _not_yet_reported(typos, checker.diagnostics)
    ordered = sorted(found, key=lambda d: (d.span.file != module.path, d.span.line, d.span.column))
    result.diagnostics = with_source(ordered, module.source_text, module.path)
    return result


def _not_yet_reported(typos: list[Diagnostic], reported: list[Diagnostic]) -> list[Diagnostic]:
    """The K240 warnings about a spelling no error already names.

    A label a typed place does not know (K203 and its kind) is an error with its own `did you
    mean`; a second finding about the same spelling would only say it again, and the error is
    the one to fix.
    """
    errors = [d for d in reported if d.severity == ERROR]
    places = {(d.span.file, d.span.line, d.span.column) for d in errors}
    named = {dict(d.args).get("label") for d in errors}
    return [d for d in typos
            if (d.span.file, d.span.line, d.span.column) not in places and dict(d.args).get("label") not in named]  # fmt: skip


def suggest(name: str, candidates: list[str] | tuple[str, ...], code: str = "did_you_mean") -> Suggestion | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return Suggestion(code, (("name", close[0]),)) if close else None


def resolve_type(expr: s.TypeExpr, named: dict[str, t.Type]) -> t.Type | None:
    """The checker's type for a written type; None when a named type is unknown."""
    if isinstance(expr, s.DecimalType):
        return t.NumberT(False, expr.low, expr.high, expr.places)
    if isinstance(expr, s.IntegerType):
        return t.NumberT(True, expr.low, expr.high, 0)
    if isinstance(expr, s.BooleanType):
        return t.BOOL
    if isinstance(expr, s.EnumType):
        return t.LabelT(expr.labels, False)
    if isinstance(expr, s.ScaleType):
        return t.LabelT(expr.labels, True)
    if isinstance(expr, s.ListType):
        fields = []
        for f in expr.fields:
            ft = resolve_type(f.type, named)
            if ft is None:
                return None
            fields.append((f.name, ft))
        optional = frozenset(f.name for f in expr.fields if f.optional)
        return t.ListT(t.RecordT(tuple(fields), optional), expr.max_items)
    if isinstance(expr, s.NamedType):
        return named.get(expr.name)
    raise TypeError(expr)


class _Checker:
    def __init__(self, module: s.Module):
        self.module = module
        self.diagnostics: list[Diagnostic] = []
        self.named_types: dict[str, t.Type] = {}
        self.inputs: dict[str, s.InputDecl] = {}
        self.definitions: dict[str, Definition] = {}
        self.types: dict[str, t.Type] = {}
        self.expr_types: dict[int, t.Type] = {}
        self.order: list[str] = []
        self.visiting: list[str] = []
        self.exceptions: dict[str, list[s.ExceptionDecl]] = {}
        self.declared_at: dict[str, s.Span] = {}
        self.levels: dict[str, tuple[str, ...]] = {}
        self.level: tuple[str, ...] = ()  # the level of the definition being checked
        self.item_reads: dict[int, tuple[str, ...]] = {}
        self.item_definitions: dict[int, str] = {}

    # -------------------------------------------------------------- reporting
    def error(self, code: str, span: s.Span, suggestion: Suggestion | None = None,
              related: tuple[Related, ...] | None = None, **args: Any) -> None:  # fmt: skip
        if related is None:
            related = self._meant(suggestion)
        self.diagnostics.append(diagnostic(code, span, ERROR, suggestion, related=related, **args))

    def _meant(self, suggestion: Suggestion | None) -> tuple[Related, ...]:
        """Where the name a did-you-mean proposes is declared, so an editor can show (and jump to) it."""
        name = str(dict(suggestion.args).get("name", "")) if suggestion is not None else ""
        if suggestion is not None and suggestion.code == "did_you_mean" and name in self.declared_at:
            return (Related(self.declared_at[name], "R_declared_here", (("name", name),)),)
        return ()

    def _part_home(self, subject: s.Expr, suggestion: Suggestion | None) -> tuple[Related, ...]:
        """Where the weight part a did-you-mean proposes is written: its first branch."""
        weights = self.definitions.get(_name_of(subject))
        if suggestion is None or not isinstance(weights, s.WeightsDecl) or not weights.branches:
            return ()
        part = str(dict(suggestion.args).get("name", ""))
        item = next((i for i in weights.branches[0].items if i.name == part), None)
        return (Related(item.span, "R_part_here", (("name", part), ("weights", weights.name))),) if item else ()

    def _label_home(self, suggestion: Suggestion | None, labels_type: t.LabelT) -> tuple[Related, ...]:
        """Where the label a did-you-mean proposes is declared: its named type."""
        if suggestion is None or labels_type.name is None or labels_type.name not in self.declared_at:
            return ()
        label = str(dict(suggestion.args).get("name", ""))
        return (Related(self.declared_at[labels_type.name], "R_label_declared_here", (("label", label), ("type", labels_type.name))),)

    def warn(self, code: str, span: s.Span, **args: Any) -> None:
        self.diagnostics.append(diagnostic(code, span, WARNING, **args))

    # -------------------------------------------------------------- driver
    def run(self) -> CheckedRuleset:
        self._check_header()
        self._collect()
        self._place_item_definitions()
        chain = dependencies(self.definitions, self.exceptions)
        if chain.height > LIMITS.nesting:
            self._define_in_order(chain.order, chain.cycles)
        for name in list(self.definitions):
            self._define(name)
        for target, exceptions in self.exceptions.items():
            for exception in exceptions:
                self._check_exception(exception, target)
        outputs = []
        for decl in self.module.of_kind(s.OutputDecl):
            if decl.name not in self.types:
                self.error("K106", decl.span, suggest(decl.name, list(self.types)), name=decl.name)
            outputs.append(decl)
        suppliable = set()
        for override in self.module.of_kind(s.OverrideDecl):
            if override.kind != "input" or self.module.header.extends is None:
                self.error("K905", override.span)
                continue
            decl = self.definitions.get(override.target)
            if decl is None:
                self.error("K901", override.span, suggest(override.target, list(self.definitions)), kind="input", name=override.target)
                continue
            suppliable.add(override.target)
            description = override.payload if isinstance(override.payload, str) else decl.description
            self.inputs[override.target] = s.InputDecl(override.target, s.NamedType(override.target, override.span), True,
                                                       None, description, override.annotations, override.span)  # fmt: skip
        for example in self.module.of_kind(s.ExampleDecl):
            self._check_example(example)
        for distribution in self.module.of_kind(s.DistributionDecl):
            self._check_distribution(distribution)
        ordered_exceptions = {
            target: tuple(sorted(items, key=lambda e: -e.priority)) for target, items in self.exceptions.items()
        }
        return CheckedRuleset(
            self.module, self.types, self.inputs, self.definitions, tuple(self.order),
            ordered_exceptions, frozenset(suppliable), tuple(outputs), self.expr_types, chain_height=chain.height,
            levels=self.levels, item_reads=self.item_reads, item_definitions=self.item_definitions,
        )  # fmt: skip

    def _define_in_order(self, order: tuple[str, ...], cycles: tuple[tuple[str, ...], ...]) -> None:
        """Type definitions after what they read, so typing one never recurses into a long chain.

        (Only for rulesets whose definitions nest deeper than the nesting limit through what
        they read; others are typed in declaration order, which fixes the order of evaluation.)
        A cycle is reported here, once, instead of being walked around.
        """
        for cycle in cycles:
            shown = cycle if len(cycle) <= 8 else (*cycle[:4], "…", *cycle[-2:])
            self.error("K110", self.definitions[cycle[0]].span, name=cycle[0], cycle=" -> ".join(shown))
            for name in cycle:
                self.types[name] = t.ERROR
        for name in order:
            self._define(name)

    def _check_header(self) -> None:
        header = self.module.header
        parts = header.version.split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.error("K403", header.span, version=header.version)
        if header.effective_from and header.effective_until and header.effective_until < header.effective_from:
            self.error("K401", header.span, until=header.effective_until, start=header.effective_from)
        if header.revises is not None:
            revised_id, _, revised_version = header.revises.partition("@")
            if revised_id != header.id:
                self.error("K406", header.span, ref=header.revises, id=header.id)
            elif _version_key(revised_version) >= _version_key(header.version):
                self.error("K407", header.span, ref=header.revises, version=header.version)

    def _declare(self, name: str, span: s.Span) -> bool:
        if name in self.declared_at:
            first = Related(self.declared_at[name], "R_declared_here", (("name", name),))
            self.error("K102", span, related=(first,), name=name, line=self.declared_at[name].line)
            return False
        self.declared_at[name] = span
        return True

    def _collect(self) -> None:
        for decl in self.module.of_kind(s.TypeDecl):
            if self._declare(decl.name, decl.span):
                resolved = resolve_type(decl.type, self.named_types)
                if resolved is None:
                    self._unknown_type(decl.type)
                    resolved = t.ERROR
                if isinstance(resolved, t.LabelT):
                    resolved = t.LabelT(resolved.labels, resolved.ordered, decl.name)
                self.named_types[decl.name] = resolved
        for decl in self.module.declarations:
            if isinstance(decl, s.InputDecl):
                if not self._declare(decl.name, decl.span):
                    continue
                self.inputs[decl.name] = decl
                self.types[decl.name] = self._input_type(decl)
            elif isinstance(decl, (s.ValueDecl, s.TableDecl, s.QuadrantDecl, s.WeightsDecl)):
                if self._declare(decl.name, decl.span):
                    self.definitions[decl.name] = decl
            elif isinstance(decl, s.ConversionDecl):
                if self._declare(decl.name, decl.span):
                    kept = self._check_points(decl)  # a conversion means a band table
                    self.definitions[decl.name] = table_of(dataclasses.replace(decl, points=kept))
            elif isinstance(decl, s.ExceptionDecl):
                self.exceptions.setdefault(decl.target, []).append(decl)

    def _check_points(self, decl: s.ConversionDecl) -> tuple[s.ConversionPoint, ...]:
        """K242 for each point that does not lie right of the one before; the points that do."""
        kept = [decl.points[0]]
        for point in decl.points[1:]:
            if point.x <= kept[-1].x:
                self.error("K242", point.span, name=decl.name, x=_show(point.x), previous=_show(kept[-1].x))
            else:
                kept.append(point)
        return tuple(kept)

    # -------------------------------------------------------------- values per item of a list
    def _place_item_definitions(self) -> None:
        """The level of every `L.f` definition: L must be a list input (or a list field of L's items)."""
        for name in list(self.definitions):
            if "." not in name:
                continue
            *path, own = name.split(".")
            item = self._item_type(tuple(path))
            decl = self.definitions[name]
            if item is None:
                self.error("K245", decl.span, name=name, list=".".join(path))
                del self.definitions[name]
                continue
            if item.field(own) is not None:
                line = self.declared_at.get(path[0], decl.span).line
                self.error("K102", decl.span, name=name, line=line)
                del self.definitions[name]
                continue
            self.levels[name] = tuple(path)

    def _item_type(self, path: tuple[str, ...]) -> t.RecordT | None:
        """The record type of an item of the list at `path`, or None when there is no such list."""
        found = self.types.get(path[0]) if path and path[0] in self.inputs else None
        for part in path[1:]:
            item = found.item if isinstance(found, t.ListT) else None
            found = item.field(part) if isinstance(item, t.RecordT) else None
        if isinstance(found, t.ListT) and isinstance(found.item, t.RecordT):
            return found.item
        return None

    def _item_definition(self, path: tuple[str, ...], name: str) -> str | None:
        dotted = ".".join((*path, name))
        return dotted if dotted in self.definitions and self.levels.get(dotted) == path else None

    def _unknown_type(self, expr: s.TypeExpr) -> None:
        if isinstance(expr, s.NamedType):
            self.error("K103", expr.span, suggest(expr.name, list(self.named_types)), name=expr.name)
        elif isinstance(expr, s.ListType):
            for f in expr.fields:
                if resolve_type(f.type, self.named_types) is None:
                    self._unknown_type(f.type)

    def _input_type(self, decl: s.InputDecl) -> t.Type:
        resolved = resolve_type(decl.type, self.named_types)
        if resolved is None:
            self._unknown_type(decl.type)
            return t.ERROR
        if isinstance(resolved, t.NumberT) and resolved.low is not None and resolved.high is not None:
            if resolved.low > resolved.high:
                self.error("K210", decl.type.span, low=resolved.low, high=resolved.high)
        resolved = t.at_path(resolved, (decl.name,))
        if decl.default is not None:
            problem = literal_problem(decl.default.value, resolved)
            if problem:
                self.error("K209", decl.default.span, value=_show(decl.default.value), type=resolved.describe(), problem=problem)
        return resolved

    # -------------------------------------------------------------- definitions
    def _define(self, name: str) -> t.Type:
        if name in self.types:
            return self.types[name]
        if name in self.visiting:
            cycle = " -> ".join(self.visiting[self.visiting.index(name) :] + [name])
            self.error("K110", self.definitions[name].span, name=name, cycle=cycle)
            return t.ERROR
        self.visiting.append(name)
        outer_level = self.level
        self.level = self.levels.get(name, ())
        decl = self.definitions[name]
        if isinstance(decl, s.ValueDecl):
            result = self._value(decl)
        elif isinstance(decl, s.TableDecl):
            result = self._table(decl)
        elif isinstance(decl, s.QuadrantDecl):
            result = self._quadrant(decl)
        else:
            result = self._weights(decl)
        applies = getattr(decl, "applies", None)
        if applies is not None:
            # checked while `name` is still being visited, so a condition that reads `name` is a cycle (K110)
            self._condition(applies, {})
        for exception in self.exceptions.get(name, []):
            # an exception's inputs must be known before its target's final value
            self._expr(exception.condition, {})
            self._expr(exception.result, {})
        self.level = outer_level
        self.visiting.pop()
        self.types[name] = result
        self.order.append(name)
        return result

    def _declared(self, declared: s.TypeExpr | None) -> t.Type | None:
        if declared is None:
            return None
        resolved = resolve_type(declared, self.named_types)
        if resolved is None:
            self._unknown_type(declared)
            return t.ERROR
        return resolved

    def _value(self, decl: s.ValueDecl) -> t.Type:
        found = self._expr(decl.expr, {})
        declared = self._declared(decl.declared_type)
        if declared is not None:
            self._fits(found, declared, decl.expr.span, "K216")
            return declared
        return _settle(found)

    def _fits(self, found: t.Type, expected: t.Type, span: s.Span, code: str, **extra: Any) -> None:
        if isinstance(found, t.ErrorT) or isinstance(expected, t.ErrorT):
            return
        if not t.same_kind(found, expected):
            self.error(code, span, expected=expected.describe(), found=found.describe(), **extra)
            return
        if isinstance(expected, t.NumberT) and expected.integer and isinstance(found, t.NumberT) and not found.integer:
            self.error(code, span, expected=expected.describe(), found=found.describe(), **extra)
            return
        if isinstance(expected, t.LabelT):
            for label in t.labels_of(found):
                if label not in expected.labels:
                    self._unknown_label(label, expected, span)

    def _unknown_label(self, label: str, labels_type: t.LabelT, span: s.Span, code: str = "K203") -> None:
        known = ", ".join(f'"{x}"' for x in labels_type.labels)
        suggestion = suggest(label, labels_type.labels, "did_you_mean_label")
        self.error(code, span, suggestion, self._label_home(suggestion, labels_type),
                   label=label, type=labels_type.describe(), known=known)  # fmt: skip

    def _table(self, decl: s.TableDecl) -> t.Type:
        subject = self._expr(decl.subject, {})
        result: t.Type | None = None
        for row in decl.rows:
            cond = row.condition
            if isinstance(cond, s.Interval):
                if not isinstance(subject, (t.NumberT, t.ErrorT)):
                    self.error("K208", cond.span, found=subject.describe())
                elif cond.low is not None and cond.high is not None and cond.low > cond.high:
                    self.error("K210", cond.span, low=cond.low, high=cond.high)
            elif isinstance(cond, s.Equals):
                value_type = _literal_type(cond.value.value)
                if not t.same_kind(value_type, subject):
                    self.error("K219", cond.span, expected=subject.describe(), found=value_type.describe())
                elif isinstance(subject, t.LabelT) and isinstance(value_type, t.LiteralLabelT):
                    if value_type.label not in subject.labels:
                        self._unknown_label(value_type.label, subject, cond.span)
            if row.guard is not None:
                self._condition(row.guard, {})
            row_type = self._expr(row.result, {})
            if result is None:
                result = row_type
            elif not t.same_kind(result, row_type):
                self.error("K204", row.result.span, found=row_type.describe(), expected=result.describe())
            else:
                result = t.join(result, row_type)
        declared = self._declared(decl.declared_type)
        if declared is not None:
            for row in decl.rows:
                self._fits(self.expr_types.get(id(row.result), t.ERROR), declared, row.result.span, "K216")
            return declared
        return _settle(result or t.ERROR)

    def _quadrant(self, decl: s.QuadrantDecl) -> t.Type:
        axes = []
        for subject, keys, axis_word in (
            (decl.row_subject, [r.key for r in decl.rows], Term("W_QUADRANT_ROW")),
            (decl.column_subject, list(decl.columns), Term("W_QUADRANT_COLUMN")),
        ):
            axis_type = self._expr(subject, {})
            seen: set[Any] = set()
            for key in keys:
                if isinstance(key, s.StringLit):
                    if isinstance(axis_type, t.LabelT) and key.value not in axis_type.labels:
                        known = ", ".join(f'"{x}"' for x in axis_type.labels)
                        suggestion = suggest(key.value, axis_type.labels, "did_you_mean_label")
                        self.error("K211", key.span, suggestion, self._label_home(suggestion, axis_type),
                                   label=key.value, type=axis_type.describe(), known=known)  # fmt: skip
                    elif not isinstance(axis_type, (t.LabelT, t.ErrorT)):
                        self.error("K218", key.span, found=axis_type.describe())
                    identity: Any = key.value
                else:
                    if not isinstance(axis_type, (t.NumberT, t.ErrorT)):
                        self.error("K208", key.span, found=axis_type.describe())
                    identity = (key.low, key.low_closed, key.high, key.high_closed)
                if identity in seen:
                    label = key.value if isinstance(key, s.StringLit) else str(key)
                    self.error("K213", key.span, axis=axis_word, label=label)
                seen.add(identity)
            axes.append(axis_type)
        result: t.Type | None = None
        for row in decl.rows:
            if len(row.cells) != len(decl.columns):
                label = row.key.value if isinstance(row.key, s.StringLit) else str(row.key)
                self.error("K212", row.span, row=label, found=len(row.cells), expected=len(decl.columns))
            for cell in row.cells:
                if cell.value is None:
                    continue
                cell_type = self._expr(cell.value, {})
                if result is None:
                    result = cell_type
                elif not t.same_kind(result, cell_type):
                    self.error("K204", cell.span, found=cell_type.describe(), expected=result.describe())
                else:
                    result = t.join(result, cell_type)
        declared = self._declared(decl.declared_type)
        if declared is not None:
            for row in decl.rows:
                for cell in row.cells:
                    if cell.value is not None:
                        self._fits(self.expr_types.get(id(cell.value), t.ERROR), declared, cell.span, "K216")
            return declared
        return _settle(result or t.ERROR)

    def _weights(self, decl: s.WeightsDecl) -> t.Type:
        first_parts: tuple[str, ...] | None = None
        for index, branch in enumerate(decl.branches):
            if branch.condition is not None:
                self._condition(branch.condition, {})
            names = [item.name for item in branch.items]
            for item in branch.items:
                if names.count(item.name) > 1 and names.index(item.name) != branch.items.index(item):
                    self.error("K303", item.span, name=item.name)
                if item.weight < 0 or item.weight > 1:
                    self.error("K305", item.span, weight=item.written)
            total = Decimal(0)
            for item in branch.items:  # exactly: the default context would round past the 28th digit
                total = _EXACT.add(total, item.weight)
            if total != 1:
                self.error("K301", branch.span, name=decl.name, total=_percent(total))
            parts = tuple(sorted(set(names)))
            if first_parts is None:
                first_parts = parts
            elif parts != first_parts:
                self.error("K302", branch.span, found=", ".join(parts), expected=", ".join(first_parts))
            if branch.condition is None and index != len(decl.branches) - 1:
                self.error("K304", branch.span, name=decl.name)
        if decl.branches and decl.branches[-1].condition is not None:
            self.error("K304", decl.span, name=decl.name)
        ordered = tuple(item.name for item in decl.branches[0].items) if decl.branches else ()
        return t.WeightsT(ordered)

    def _check_exception(self, decl: s.ExceptionDecl, target: str) -> None:
        if target not in self.types:
            candidates = list(self.definitions) + list(self.inputs)
            self.error("K107", decl.span, suggest(target, candidates), name=target)
            return
        self.level = self.levels.get(target, ())
        self._condition(decl.condition, {})
        result = self._expr(decl.result, {})
        self.level = ()
        expected = self.types[target]
        self._fits(result, expected, decl.result.span, "K214", target=target)

    # -------------------------------------------------------------- population rules
    def _check_distribution(self, decl: s.DistributionDecl) -> None:
        """The rule's output must be a label output; every label it names must exist."""
        found = self.types.get(decl.output)
        if found is None:
            self.error("K101", decl.span, suggest(decl.output, list(self.types)), name=decl.output)
            return
        if not isinstance(found, t.LabelT):
            self.error("K218", decl.span, found=found.describe())
            return
        class_type = self.types.get(decl.class_input)
        seen: set[str] = set()
        for case in decl.cases:
            if case.group_class in seen:
                self.error("K213", case.span, axis=Term("W_DISTRIBUTION_CASE"), label=case.group_class)
            seen.add(case.group_class)
            if isinstance(class_type, t.LabelT) and case.group_class not in class_type.labels:
                self._unknown_label(case.group_class, class_type, case.span)
            for rule in case.rules:
                for label in rule.labels:
                    if label not in found.labels:
                        self._unknown_label(label, found, rule.span)

    # -------------------------------------------------------------- examples
    def _check_example(self, example: s.ExampleDecl) -> None:
        for binding in example.given:
            if binding.name not in self.inputs:
                self.error("K108", binding.span, suggest(binding.name, list(self.inputs)), name=binding.name)
                continue
            problem = literal_problem(binding.value.value, self.types[binding.name])
            if problem and binding.name not in example.expect_invalid:
                self.error("K217", binding.value.span, name=binding.name, value=_show(binding.value.value), problem=problem)
        for binding in example.expect:
            steps = item_path(binding.name)
            if steps is not None:
                self._check_item_expectation(binding, steps)
                continue
            if binding.name not in self.types:
                self.error("K109", binding.span, suggest(binding.name, list(self.types)), name=binding.name)
                continue
            expected = self.types[binding.name]
            value = binding.value.value
            if value is None:
                # only a value that can be absent can be expected absent
                decl = self.inputs.get(binding.name) or self.definitions.get(binding.name)
                may_be_absent = (isinstance(decl, s.InputDecl) and decl.optional and decl.default is None) or (
                    getattr(decl, "applies", None) is not None
                )
                if not may_be_absent:
                    self.error("K221", binding.value.span, name=binding.name)
                continue
            if isinstance(expected, t.LabelT) and isinstance(value, str) and value not in expected.labels:
                self._unknown_label(value, expected, binding.value.span)
        for name in example.expect_invalid:
            if name not in self.inputs:
                self.error("K108", example.span, suggest(name, list(self.inputs)), name=name)

    def _check_item_expectation(self, binding: s.Binding, steps: tuple[str | int, ...]) -> None:
        """`expect iki[1].nilai = 84`: a field or a definition per item of one item, counted from 1."""
        path: tuple[str, ...] = (str(steps[0]),)
        found: t.Type | None = None
        decl: Any = None
        for index, name in zip(steps[1::2], steps[2::2], strict=True):
            item = self._item_type(path)
            if item is None or int(index) < 1:
                found = None
                break
            dotted = self._item_definition(path, str(name))
            decl = self.definitions.get(dotted) if dotted else None
            found = self.types.get(dotted) if dotted else item.field(str(name))
            maybe_absent = getattr(decl, "applies", None) is not None or (decl is None and str(name) in item.optional)
            path = (*path, str(name))
        if found is None:
            self.error("K109", binding.span, name=binding.name)
            return
        value = binding.value.value
        if value is None:
            if not maybe_absent:
                self.error("K221", binding.value.span, name=binding.name)
        elif isinstance(found, t.LabelT) and isinstance(value, str) and value not in found.labels:
            self._unknown_label(value, found, binding.value.span)

    # -------------------------------------------------------------- expressions
    def _condition(self, expr: s.Expr, scope: dict[str, t.Type]) -> None:
        found = self._expr(expr, scope)
        if not isinstance(found, (t.BoolT, t.ErrorT)):
            self.error("K202", expr.span, found=found.describe())

    def _expr(self, expr: s.Expr, scope: dict[str, t.Type]) -> t.Type:
        result = self._infer(expr, scope)
        self.expr_types[id(expr)] = result
        return result

    def _infer(self, e: s.Expr, scope: dict[str, t.Type]) -> t.Type:
        if isinstance(e, s.NumberLit):
            return t.NumberT(integer=e.value == e.value.to_integral_value(), low=e.value, high=e.value)
        if isinstance(e, s.StringLit):
            return t.LiteralLabelT(e.value)
        if isinstance(e, s.BoolLit):
            return t.BOOL
        if isinstance(e, s.Name):
            found = self._name(e, scope)
            if isinstance(found, t.WeightsT):
                self.error("K111", e.span, name=e.name, first=found.parts[0] if found.parts else "x")
                return t.ERROR
            return found
        if isinstance(e, s.Member):
            return self._member(e, scope)
        if isinstance(e, s.Unary):
            operand = self._expr(e.operand, scope)
            if e.op == "not":
                if not isinstance(operand, (t.BoolT, t.ErrorT)):
                    self.error("K202", e.operand.span, found=operand.describe())
                return t.BOOL
            if not isinstance(operand, (t.NumberT, t.ErrorT)):
                self.error("K201", e.span, op="-", left=operand.describe(), right="-")
                return t.ERROR
            return t.NumberT(integer=getattr(operand, "integer", False))
        if isinstance(e, s.Binary):
            return self._binary(e, scope)
        if isinstance(e, s.IfThenElse):
            self._condition(e.condition, scope)
            left = self._expr(e.then, scope)
            right = self._expr(e.otherwise, scope)
            if not t.same_kind(left, right):
                self.error("K205", e.span, left=left.describe(), right=right.describe())
                return t.ERROR
            return t.join(left, right)
        if isinstance(e, s.Call):
            return self._call(e, scope)
        if isinstance(e, s.Aggregate):
            return self._aggregate(e, scope)
        if isinstance(e, s.ListLit):
            item: t.Type | None = None
            for x in e.items:
                xt = self._expr(x, scope)
                if item is None:
                    item = xt
                elif not t.same_kind(item, xt):
                    self.error("K204", x.span, found=xt.describe(), expected=item.describe())
                else:
                    item = t.join(item, xt)
            return t.ListT(item or t.NUMBER)
        raise TypeError(e)

    def _name(self, e: s.Name, scope: dict[str, t.Type]) -> t.Type:
        if e.name in scope:
            return scope[e.name]
        if self.level and e.name == self.level[0]:
            # inside a definition per item of `iki`, `iki` is the item being computed
            item = self._item_type(self.level[:1])
            if item is not None:
                self.item_reads[id(e)] = self.level[:1]
                return item
        if e.name in self.types and e.name not in self.definitions:
            return self.types[e.name]
        if e.name in self.definitions:
            return self._define(e.name)
        candidates = list(scope) + list(self.inputs) + list(self.definitions)
        self.error("K101", e.span, suggest(e.name, candidates), name=e.name)
        return t.ERROR

    def _member(self, e: s.Member, scope: dict[str, t.Type]) -> t.Type:
        if isinstance(e.subject, s.Name):
            subject = self._name(e.subject, scope)
        else:
            subject = self._expr(e.subject, scope)
        self.expr_types[id(e.subject)] = subject
        if isinstance(subject, t.WeightsT):
            if e.field_name not in subject.parts:
                suggestion = suggest(e.field_name, subject.parts)
                self.error("K104", e.span, suggestion, self._part_home(e.subject, suggestion),
                           subject=_name_of(e.subject), name=e.field_name, known=", ".join(subject.parts))  # fmt: skip
                return t.ERROR
            return t.NumberT(low=Decimal(0), high=Decimal(1))
        if isinstance(subject, t.RecordT):
            return self._record_member(e, subject)
        if isinstance(subject, t.ListT) and isinstance(subject.item, t.RecordT):
            item = subject.item
            if item.field(e.field_name) is not None or self._item_definition(item.path, e.field_name):
                self.error("K241", e.span, subject=printer.expr(e.subject), name=e.field_name)
                return t.ERROR
        if not isinstance(subject, t.ErrorT):
            self.error("K104", e.span, subject=_name_of(e.subject), name=e.field_name, known="-")
        return t.ERROR

    def _record_member(self, e: s.Member, subject: t.RecordT) -> t.Type:
        """A field of a record, a definition per item of its list, or (inside a definition per item of a
        nested list) the current item one level deeper."""
        path = subject.path
        found = subject.field(e.field_name)
        deeper = (*path, e.field_name)
        if (
            found is not None and id(e.subject) in self.item_reads
            and len(deeper) <= len(self.level) and self.level[: len(deeper)] == deeper
        ):  # fmt: skip
            item = self._item_type(deeper)
            if item is not None:
                self.item_reads[id(e)] = deeper
                return item
        if found is not None:
            return found
        if path:
            dotted = self._item_definition(path, e.field_name)
            if dotted is not None:
                self.item_definitions[id(e)] = dotted
                return self._define(dotted)
        names = [n for n, _ in subject.fields] + [n.rsplit(".", 1)[1] for n, level in self.levels.items() if path and level == path]
        self.error("K104", e.span, suggest(e.field_name, names),
                   subject=printer.expr(e.subject), name=e.field_name, known=", ".join(names))  # fmt: skip
        return t.ERROR

    def _binary(self, e: s.Binary, scope: dict[str, t.Type]) -> t.Type:
        left = self._expr(e.left, scope)
        right = self._expr(e.right, scope)
        if isinstance(left, t.ErrorT) or isinstance(right, t.ErrorT):
            return t.BOOL if e.op in ("and", "or", "=", "!=", "<", "<=", ">", ">=") else t.ERROR
        if e.op in ("+", "-", "*", "/"):
            if isinstance(left, t.NumberT) and isinstance(right, t.NumberT):
                return t.NumberT(integer=left.integer and right.integer and e.op != "/")
            self.error("K201", e.span, op=e.op, left=left.describe(), right=right.describe())
            return t.ERROR
        if e.op in ("and", "or"):
            for side, st in ((e.left, left), (e.right, right)):
                if not isinstance(st, t.BoolT):
                    self.error("K202", side.span, found=st.describe())
            return t.BOOL
        if not t.same_kind(left, right):
            self.error("K201", e.span, op=e.op, left=left.describe(), right=right.describe())
            return t.BOOL
        self._label_operands(left, right, e.left, e.right)
        if e.op in ("<", "<=", ">", ">="):
            if isinstance(left, t.BoolT):
                self.error("K201", e.span, op=e.op, left=left.describe(), right=right.describe())
            for st in (left, right):
                if isinstance(st, t.LabelT) and not st.ordered:
                    self.error("K207", e.span, op=e.op, type=st.describe())
                    break
        return t.BOOL

    def _label_operands(self, left: t.Type, right: t.Type, le: s.Expr, re_: s.Expr) -> None:
        for known, literal, lit_expr in ((left, right, re_), (right, left, le)):
            if isinstance(known, t.LabelT) and isinstance(literal, t.LiteralLabelT):
                if literal.label not in known.labels:
                    self._unknown_label(literal.label, known, lit_expr.span)

    def _call(self, e: s.Call, scope: dict[str, t.Type]) -> t.Type:
        """A call, checked against the builtin table: arity, each parameter's kind, the result's type."""
        name = e.function
        if not builtins.is_builtin(name):
            self.error("K105", e.span, suggest(name, builtins.NAMES), name=name)
            for a in e.args:
                self._expr(a, scope)
            return t.ERROR
        list_form = builtins.LISTS.get(name)
        scalar_form = builtins.SCALAR.get(name)
        pretyped: dict[int, t.Type] = {}
        if list_form is not None and len(e.args) == 1:
            found = self._expr(e.args[0], scope)
            if isinstance(found, t.ListT):
                return self._reduced(list_form, found.item, e.span)
            pretyped[id(e.args[0])] = found
        if scalar_form is None:
            types = [pretyped.get(id(a)) or self._expr(a, scope) for a in e.args]
            self.error("K215", e.span, name=name, found=types[0].describe() if types else "-")
            return t.ERROR
        return self._scalar_call(scalar_form, e, scope, pretyped)

    def _scalar_call(self, builtin: builtins.Builtin, e: s.Call, scope: dict[str, t.Type], pretyped: dict[int, t.Type]) -> t.Type:
        least, most = builtin.arity
        signature = Suggestion("signature", (("signature", builtin.signature),))
        if len(e.args) < least or (most is not None and len(e.args) > most):
            expected = f"{least}+" if most is None else str(least)
            self.error("K206", e.span, signature, name=builtin.name, expected=expected, found=len(e.args))
            for a in e.args:
                if id(a) not in pretyped and (not isinstance(a, s.Name) or a.name in self.types or a.name in scope):
                    self._expr(a, scope)
            return builtin.result([])
        value_types: list[t.Type] = []
        params = list(builtin.params) + [builtin.params[-1]] * (len(e.args) - len(builtin.params))
        for param, arg in zip(params, e.args, strict=True):
            if param.kind == "rounding":
                if not isinstance(arg, s.Name) or arg.name not in ROUNDING_MODES:
                    modes = ", ".join(f"`{mode}`" for mode in ROUNDING_MODES)
                    self.error("K250", arg.span, signature, found=printer.expr(arg), modes=modes)
                continue
            if param.kind == "maybe_absent":
                if isinstance(arg, s.Member):
                    found = self._expr(arg, scope)
                    if not isinstance(found, t.ErrorT) and not self._member_may_be_absent(arg):
                        self.error("K249", arg.span, name=printer.expr(arg))
                    value_types.append(found)
                    continue
                if not isinstance(arg, s.Name):
                    self._expr(arg, scope)
                    self.error("K249", arg.span, name=printer.expr(arg))  # a literal or a formula is always there
                    continue
                if not self._may_be_absent(arg.name):
                    if arg.name in self.types or arg.name in scope:
                        self.error("K249", arg.span, name=arg.name)
                    else:
                        self._expr(arg, scope)  # an unknown name: K101, with its suggestion
                    continue
                value_types.append(self._expr(arg, scope))
                continue
            if param.kind == "points":
                found = self._expr(arg, scope)
                value_types.append(found)
                if not isinstance(found, t.ErrorT) and not _points_type(found):
                    self.error("K248", arg.span, found=found.describe())
                continue
            found = pretyped.get(id(arg)) or self._expr(arg, scope)
            value_types.append(found)
            if isinstance(found, t.ErrorT):
                continue
            if param.kind == "scale":
                if isinstance(found, t.LabelT) and not found.ordered:
                    self.error("K207", e.span, op=builtin.name, type=found.describe())
                elif not isinstance(found, t.LabelT):
                    self.error("K201", e.span, op=builtin.name, left=found.describe(), right="-")
            elif not isinstance(found, t.NumberT):
                self.error("K201", arg.span, op=builtin.name, left=found.describe(), right="-")
        return builtin.result(value_types)

    def _may_be_absent(self, name: str) -> bool:
        """An input (optional or not: `given` of a required input is simply true) or a definition with `when`."""
        return name in self.inputs or getattr(self.definitions.get(name), "applies", None) is not None

    def _member_may_be_absent(self, e: s.Member) -> bool:
        """A field of an item: an `optional` field, or a definition per item with `when`."""
        dotted = self.item_definitions.get(id(e))
        if dotted is not None:
            return getattr(self.definitions.get(dotted), "applies", None) is not None
        subject = self.expr_types.get(id(e.subject))
        return isinstance(subject, t.RecordT) and e.field_name in subject.optional

    def _reduced(self, builtin: builtins.Builtin, item: t.Type, span: s.Span) -> t.Type:
        if builtin.keyed:
            self.error("K247", span, name=builtin.name, problem=Term("W_PICK_NEEDS_KEYS"))
            return t.ERROR
        if builtin.pick is not None:
            return builtin.result([item])
        if not builtin.counts_only and not isinstance(item, (t.NumberT, t.ErrorT)):
            self.error("K201", span, op=builtin.name, left=item.describe(), right="-")
            return t.ERROR
        return builtin.result([item])

    def _aggregate(self, e: s.Aggregate, scope: dict[str, t.Type]) -> t.Type:
        source = self._expr(e.source, scope)
        if not isinstance(source, (t.ListT, t.ErrorT)):
            self.error("K215", e.source.span, name=e.function, found=source.describe())
            source = t.ERROR
        inner = dict(scope)
        inner[e.variable] = source.item if isinstance(source, t.ListT) else t.ERROR
        if e.where is not None:
            self._condition(e.where, inner)
        item = self._expr(e.item, inner)
        builtin = builtins.LISTS.get(e.function)
        if builtin is None:
            self.error("K105", e.span, suggest(e.function, sorted(builtins.LISTS)), name=e.function)
            return t.ERROR
        signature = Suggestion("signature", (("signature", builtin.signature),))
        if e.weight is not None:
            weight = self._expr(e.weight, inner)
            if not builtin.weighted:
                self.error("K222", e.weight.span, signature, name=e.function)
            elif not isinstance(weight, (t.NumberT, t.ErrorT)):
                self.error("K201", e.weight.span, op="by", left=weight.describe(), right="-")
        elif builtin.weighted:
            self.error("K223", e.span, signature, name=e.function)
        if e.keys is not None:
            if not builtin.keyed:
                self.error("K247", e.keys[0].span, signature, name=e.function, problem=Term("W_KEYS_ONLY_FOR_PICKS"))
            for key in e.keys:
                key_type = self._expr(key, inner)
                if isinstance(key_type, t.LabelT) and key_type.ordered or isinstance(key_type, (t.NumberT, t.ErrorT)):
                    continue
                self.error("K247", key.span, name=e.function, problem=Phrase.of("W_KEY_NOT_ORDERED", found=key_type.describe()))
        elif builtin.keyed:
            self.error("K247", e.span, signature, name=e.function, problem=Term("W_PICK_NEEDS_KEYS"))
        if builtin.pick is not None:
            return builtin.result([item])
        if isinstance(item, t.ErrorT):
            return builtin.result([item]) if builtin.counts_only else t.ERROR
        if not builtin.counts_only and not isinstance(item, t.NumberT):
            self.error("K201", e.item.span, op=e.function, left=item.describe(), right="-")
            return t.ERROR
        return builtin.result([item])


def item_path(name: str) -> tuple[str | int, ...] | None:
    """`iki[1].triwulan[2].target` -> ("iki", 1, "triwulan", 2, "target"); None for a plain name."""
    if "[" not in name:
        return None
    parts: list[str | int] = []
    for piece in name.split("."):
        head, _, index = piece.partition("[")
        parts.append(head)
        if index:
            parts.append(int(index.rstrip("]")))
    return tuple(parts)


def _points_type(found: t.Type) -> bool:
    """A list of records with number fields `x` and `y` (the points of `interpolate`)."""
    item = found.item if isinstance(found, t.ListT) else None
    if not isinstance(item, t.RecordT):
        return False
    return all(isinstance(item.field(n), t.NumberT) and n not in item.optional for n in ("x", "y"))


def _settle(found: t.Type) -> t.Type:
    """A lone quoted label stands for a one-label enumeration."""
    if isinstance(found, t.LiteralLabelT):
        return t.LabelT((found.label,))
    if isinstance(found, t.NumberT):
        return t.NumberT(integer=found.integer)
    return found


def _name_of(e: s.Expr) -> str:
    return e.name if isinstance(e, s.Name) else "?"


def _percent(fraction: Decimal) -> str:
    return plain(_EXACT.multiply(fraction, 100)) + "%"


# Weights are summed in this context: numbers have at most LIMITS.number_digits digits, so the sum
# of any weight set is exact (a 29th digit must not round 100.00000000000000000000000000001% to 100%).
_EXACT = Context(prec=1000)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[...]"
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _literal_type(value: Any) -> t.Type:
    if isinstance(value, bool):
        return t.BOOL
    if isinstance(value, Decimal):
        return t.NUMBER
    if isinstance(value, str):
        return t.LiteralLabelT(value)
    return t.ERROR


def literal_problem(value: Any, expected: t.Type) -> Phrase | None:
    """Why a written literal (a default, an example value) does not fit a type, or None.

    The answer is a catalogue phrase, said in the language of the diagnostic that carries it.
    """
    if isinstance(expected, t.ErrorT):
        return None
    if isinstance(expected, t.NumberT):
        if not isinstance(value, Decimal) or isinstance(value, bool):
            return Phrase.of("W_PROBLEM_NOT_TYPE", type=expected.describe())
        if expected.low is not None and value < expected.low or expected.high is not None and value > expected.high:
            return Phrase.of("W_PROBLEM_OUTSIDE", type=expected.describe())
        if expected.integer and value != value.to_integral_value():
            return Phrase.of("W_PROBLEM_NOT_WHOLE")
        return None
    if isinstance(expected, t.BoolT):
        return None if isinstance(value, bool) else Phrase.of("W_PROBLEM_NOT_BOOLEAN")
    if isinstance(expected, t.LabelT):
        if not isinstance(value, str) or value not in expected.labels:
            return Phrase.of("W_PROBLEM_NOT_LABEL", labels=Listing.of(f'"{x}"' for x in expected.labels))
        return None
    if isinstance(expected, t.ListT):
        return None if isinstance(value, tuple) else Phrase.of("W_PROBLEM_NOT_TYPE", type=Term("W_list_of_records"))
    return None


def _version_key(version: str) -> tuple[int, ...]:
    """A version's order (`2.0.0` after `1.10.0`); a malformed part counts as 0 (K403 reports it)."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))
