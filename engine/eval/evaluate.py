"""Evaluate stage: validated inputs -> outputs, with a trace of every decision.

The trace records, for each definition in evaluation order, what was computed,
from which values, by which formula or which table row / quadrant cell /
weight branch / exception, with that rule's citations and notes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from kinerja.diagnostics.messages import message
from kinerja.eval.compile import Decision, Program
from kinerja.eval.inputs import validate
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.values import ABSENT, json_ready, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass


@dataclass(frozen=True)
class RulesetRef:
    """Which rules decided a result: id, version and the fingerprint of their canonical content."""

    id: str
    version: str
    fingerprint: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class TraceStep:
    """One decision of an evaluation, as data: what was computed, from which values, by which rule.

    Nothing here is a sentence. `formula`, `substituted` and `rule` are ruleset text (code
    the officer wrote, with values put in); what decided the step is the row/branch/cell
    index, the exception and its priority, or `supplied`. Sentences are made at the edge:
    `describe(lang)` and `to_dict(lang)` render them through the message catalogue.
    """

    name: str
    kind: str  # input, value, weights, table, rubric, quadrant, exception, absent, not_applicable
    value: Any
    reads: dict[str, Any] = field(default_factory=dict)  # the operands: every value the step read
    formula: str | None = None  # as written in the ruleset
    substituted: str | None = None  # the formula with the values read
    descriptor: str | None = None  # a rubric row's (or an exception's) descriptor sentence, the regulation's words
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    index: int | None = None  # 0-based row or weight branch that decided
    column: int | None = None  # 0-based quadrant column that decided
    exception: str | None = None  # the exception that decided
    priority: int | None = None  # that exception's priority
    supplied: bool = False  # a definition the record gave as input (`override input`)
    rule: str | None = None  # the deciding rule as written: `[90, 120] -> "Baik"`, `otherwise: skp 70%, …`, `when …`
    row_key: str | None = None  # a quadrant's row key as written
    column_key: str | None = None  # a quadrant's column key as written
    # a definition per item: one step per item, named by the item (`iki[2].nilai`); `definition` is the
    # rule (`iki.nilai`), `item` the item (`iki[2]`), `position` its place in each list level, from 1
    definition: str | None = None
    item: str | None = None
    position: tuple[int, ...] | None = None

    def describe(self, lang: str | None = None) -> str | None:
        """What decided this step, in words of the chosen language (None for a plain input or formula)."""
        if self.supplied:
            return message("T_given", lang)
        if self.kind == "absent":
            return message("T_absent", lang)
        if self.kind == "not_applicable":
            return message("T_not_applicable", lang, rule=self.rule or "")
        if self.exception is not None:
            return message("T_exception", lang, exception=self.exception, priority=self.priority)
        if self.kind == "weights":
            return self.rule
        if self.kind in ("table", "rubric") and self.index is not None:
            return message("T_row", lang, row=self.index + 1, rule=self.rule or "")
        if self.kind == "quadrant" and self.row_key is not None:
            return message("T_cell", lang, row=self.row_key, column=self.column_key)
        return None

    @property
    def decided_by(self) -> str | None:
        """`describe()` in the default language (kept for callers of the earlier API)."""
        return self.describe()

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "value": json_ready(self.value)}
        if self.item is not None:
            out["definition"] = self.definition
            out["item"] = self.item
            out["position"] = list(self.position or ())
        if self.index is not None:
            out["row" if self.kind != "weights" else "branch"] = self.index + 1
        if self.column is not None:
            out["column"] = self.column + 1
        if self.reads:
            out["reads"] = {k: json_ready(v) for k, v in self.reads.items()}
        for key in ("formula", "substituted"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        decided = self.describe(lang)
        if decided is not None:
            out["decided_by"] = decided
        if self.descriptor is not None:
            out["descriptor"] = self.descriptor
        if self.exception is not None:
            out["exception"] = self.exception
            out["priority"] = self.priority
        if self.supplied:
            out["supplied"] = True
        if self.citations:
            out["citations"] = list(self.citations)
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class Result:
    """The outcome of one evaluation: the outputs, and the trace of every step when asked."""

    ruleset: RulesetRef
    outputs: dict[str, Any]
    trace: tuple[TraceStep, ...] = ()
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
            "outputs": {k: json_ready(v) for k, v in self.outputs.items()},
            "trace": [step.to_dict(lang) for step in self.trace],
        }




def evaluate(
    checked: CheckedRuleset,
    program: Program,
    ref: RulesetRef,
    record: Mapping[str, Any],
    trace: bool = True,
    text_values: bool = False,
) -> Result:
    env = validate(checked, record, text_values, program.excused_inputs)
    return run(checked, program, ref, env, trace)


def run(checked: CheckedRuleset, program: Program, ref: RulesetRef, env: dict[str, Any], trace: bool = True) -> Result:
    """Evaluate on already validated inputs (the environment is extended in place)."""
    if not trace:  # what decided each step is kept only for the trace
        program.execute_values(env)
        return untraced_result(ref, {o.name: env[o.name] for o in checked.outputs}, env)
    decisions = program.execute(env)
    outputs = {o.name: env[o.name] for o in checked.outputs}
    steps = tuple(_input_steps(checked, env)) + tuple(
        traced for st, d in zip(program.steps, decisions, strict=True) for traced in _trace_steps(checked, st, d, env)
    )
    return Result(ref, outputs, steps, env)


def _trace_steps(checked: CheckedRuleset, step: Any, decision: Decision, env: dict[str, Any]) -> list[TraceStep]:
    """A step's trace: one entry, or one per item for a definition per item (what decided each item)."""
    if decision.kind != "items":
        return [_trace_step(checked, step, decision, env)]
    level = checked.level(step.name)
    own = step.name.rsplit(".", 1)[-1]
    found = []
    for position, decided in decision.items:
        chain = _item_chain(env, level, position)
        if chain is None:
            continue
        item = ".".join(f"{part}[{index}]" for part, index in zip(level, position, strict=True))
        scoped = dict(env)
        scoped[step.name] = chain[-1].get(own, ABSENT)
        traced = _trace_step(checked, step, decided, scoped, level, chain)
        found.append(dataclasses.replace(traced, name=f"{item}.{own}", definition=step.name, item=item, position=position))
    return found


def _item_chain(env: dict[str, Any], level: tuple[str, ...], position: tuple[int, ...]) -> list[dict[str, Any]] | None:
    """The items (outermost first) at one position of a definition per item's level."""
    chain: list[dict[str, Any]] = []
    items = env.get(level[0])
    for depth, index in enumerate(position):
        if not isinstance(items, list) or not 0 < index <= len(items):
            return None
        chain.append(items[index - 1])
        items = chain[-1].get(level[depth + 1]) if depth + 1 < len(level) else None
    return chain


_new_object = object.__new__


def untraced_result(ref: RulesetRef, outputs: dict[str, Any], env: dict[str, Any]) -> Result:
    """`Result(ref, outputs, (), env)` without the frozen dataclass's per-field `object.__setattr__` calls.

    Built once per record on the hot path; filling the instance dictionary
    directly gives the same object (equal, same repr, still frozen) in about
    half the time.
    """
    result = _new_object(Result)
    result.__dict__.update(ruleset=ref, outputs=outputs, trace=(), values=env)
    return result


def _citations(annotations: s.Annotations, regulation: str) -> tuple[str, ...]:
    return tuple(f"{c.regulation or regulation} {c.text}" for c in annotations.citations)


def _notes(annotations: s.Annotations) -> tuple[str, ...]:
    return tuple(n.text for n in annotations.notes)


def _input_steps(checked: CheckedRuleset, env: dict[str, Any]) -> list[TraceStep]:
    regulation = checked.header.regulation
    return [
        TraceStep(name, "input", _as_given(env.get(name), checked.types.get(name)), citations=_citations(decl.annotations, regulation),
                  notes=_notes(decl.annotations))  # fmt: skip
        for name, decl in checked.inputs.items()
        if name not in checked.definitions  # a suppliable definition is traced where it is decided
    ]


def _as_given(value: Any, typ: Any) -> Any:
    """A list input as the record gave it: without the values definitions per item stored on its items."""
    if not isinstance(value, list) or not isinstance(typ, t.ListT) or not isinstance(typ.item, t.RecordT):
        return value
    fields = typ.item.fields
    return [{n: _as_given(item.get(n), ft) for n, ft in fields if n in item} if isinstance(item, dict) else item for item in value]


def _shown(value: Any) -> str | None:
    if isinstance(value, (list, dict)):
        return None
    return printer.quote(value) if isinstance(value, str) else value_text(value)


def _item_shower(env: dict[str, Any], level: tuple[str, ...], chain: list[dict[str, Any]], weights: set[str]) -> Any:
    """Values put into a formula of a definition per item: the item's fields, then record-level names."""
    outer = _shower(env, weights)

    def current(e: s.Expr) -> int | None:
        """How deep in the level the item `e` denotes is (0: the outermost list's item), or None."""
        if isinstance(e, s.Name):
            return 0 if e.name == level[0] else None
        if isinstance(e, s.Member):
            depth = current(e.subject)
            if depth is not None and depth + 1 < len(level) and level[depth + 1] == e.field_name:
                return depth + 1
        return None

    def show(e: s.Expr) -> str | None:
        if isinstance(e, s.Member) and current(e) is None:
            depth = current(e.subject)
            if depth is not None:
                return _shown(chain[depth].get(e.field_name, ABSENT))
        if current(e) is not None:
            return None
        return outer(e)

    return show


def _shower(env: dict[str, Any], weights: set[str] | None = None) -> Any:
    def show(e: s.Expr) -> str | None:
        if isinstance(e, s.Name) and e.name in env:
            value = env[e.name]
            if isinstance(value, (list, dict)):
                return None
            return printer.quote(value) if isinstance(value, str) else value_text(value)
        if isinstance(e, s.Member) and isinstance(e.subject, s.Name) and isinstance(env.get(e.subject.name), dict):
            value = env[e.subject.name].get(e.field_name)
            if weights is not None and e.subject.name not in weights:  # a field of a picked record
                return _shown(value) if value is not None else None
            return printer.number(value, percent=True) if value is not None else None
        return None

    return show


def _trace_step(checked: CheckedRuleset, step: Any, decision: Decision, env: dict[str, Any],
                level: tuple[str, ...] = (), chain: list[dict[str, Any]] | None = None) -> TraceStep:  # fmt: skip
    decl = step.decl
    regulation = checked.header.regulation
    reads = {n: _as_given(env[n], checked.inputs.get(n) and checked.types.get(n)) for n in step.reads
             if n in env and not isinstance(env[n], dict)}  # fmt: skip
    if chain is not None:  # a definition per item reads the item's fields, not its whole list
        own_level = [n for n in reads if n == level[0] or checked.level(n) == level]
        reads = {**{n: v for n, v in reads.items() if n not in own_level}, **_item_reads(step, level, chain)}
    citations = _citations(decl.annotations, regulation)
    notes = _notes(decl.annotations)
    value = env[step.name]
    weights = {n for n, d in checked.definitions.items() if isinstance(d, s.WeightsDecl)}
    show = _shower(env, weights) if chain is None else _item_shower(env, level, chain, weights)
    if decision.kind == "given":
        override = checked.inputs[step.name]
        return TraceStep(step.name, "input", value, supplied=True,
                         citations=_citations(override.annotations, regulation), notes=_notes(override.annotations))  # fmt: skip
    if decision.kind == "absent":  # only fed a definition given as input, and lacked an optional input
        return TraceStep(step.name, "absent", value, reads, citations=citations, notes=notes)
    if decision.kind == "not_applicable":  # its `when` condition is false: not computed, value absent
        applies = decl.applies
        written = f"when {printer.expr(applies)}"
        return TraceStep(step.name, "not_applicable", value, {n: env[n] for n in printer.free_names(applies) if n in env},
                         formula=written, substituted=printer.expr(applies, show), rule=written,
                         citations=citations, notes=notes)  # fmt: skip
    if decision.kind == "exception":
        e = decision.exception
        assert e is not None
        return TraceStep(
            step.name, "exception", value, reads,
            formula=f"when {printer.expr(e.condition)} then {printer.expr(e.result)}",
            substituted=printer.expr(e.condition, show), descriptor=e.description,
            citations=_citations(e.annotations, regulation) + citations,
            notes=_notes(e.annotations) + notes, exception=e.name, priority=e.priority,
        )  # fmt: skip
    if isinstance(decl, s.ValueDecl):
        return TraceStep(step.name, "value", value, reads, printer.expr(decl.expr), printer.expr(decl.expr, show),
                         citations=citations, notes=notes)  # fmt: skip
    if isinstance(decl, s.WeightsDecl):
        branch = decl.branches[decision.index]
        written = ", ".join(f"{i.name} {i.written}" for i in branch.items)
        condition = "otherwise" if branch.condition is None else "when " + printer.expr(branch.condition)
        return TraceStep(
            step.name, "weights", value, reads, rule=f"{condition}: {written}",
            substituted=printer.expr(branch.condition, show) if branch.condition is not None else None,
            citations=_citations(branch.annotations, regulation) + citations,
            notes=_notes(branch.annotations) + notes, index=decision.index,
        )  # fmt: skip
    if isinstance(decl, s.TableDecl):
        row = decl.rows[decision.index]
        guard = f" if {printer.expr(row.guard)}" if row.guard is not None else ""
        return TraceStep(
            step.name, decl.kind, value, reads, formula=printer.expr(decl.subject),
            substituted=printer.expr(decl.subject, show), descriptor=row.descriptor,
            rule=f"{printer.condition(row.condition)}{guard} -> {printer.expr(row.result)}",
            citations=_citations(row.annotations, regulation) + citations,
            notes=_notes(row.annotations) + notes, index=decision.index,
        )  # fmt: skip
    if isinstance(decl, s.QuadrantDecl):
        row = decl.rows[decision.index]
        column = decl.columns[decision.column]
        return TraceStep(
            step.name, "quadrant", value, reads,
            formula=f"{printer.expr(decl.row_subject)} × {printer.expr(decl.column_subject)}",
            citations=_citations(row.annotations, regulation) + citations,
            notes=_notes(row.annotations) + notes, index=decision.index, column=decision.column,
            row_key=_key_text(row.key), column_key=_key_text(column),
        )  # fmt: skip
    raise TypeError(decl)


def _item_reads(step: Any, level: tuple[str, ...], chain: list[dict[str, Any]]) -> dict[str, Any]:
    """`iki.capaian = 104.69`: each field of the current item that a definition per item reads."""
    definition = step.definition
    if definition is None:
        return {}
    found: dict[str, Any] = {}
    for root in ir.definition_exprs(definition):
        for node in ir.walk(root):
            if isinstance(node, ir.Field) and isinstance(node.subject, ir.Read) and node.subject.scope == "item":
                depth = node.subject.name.count(".")
                value = chain[depth].get(node.name, ABSENT) if depth < len(chain) else ABSENT
                if not isinstance(value, (list, dict)):
                    found[f"{node.subject.name}.{node.name}"] = value
    return found


def _key_text(key: s.AxisKey) -> str:
    return printer.quote(key.value) if isinstance(key, s.StringLit) else printer.condition(key)
