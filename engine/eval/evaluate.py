"""Evaluate stage: validated inputs -> outputs, with a trace of every decision.

The trace records, for each definition in evaluation order, what was computed,
from which values, by which formula or which table row / quadrant cell /
weight branch / exception, with that rule's citations and notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from kinerja.diagnostics.messages import message
from kinerja.eval.compile import Decision, Program
from kinerja.eval.inputs import validate
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass


@dataclass(frozen=True)
class RulesetRef:
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
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "value": _plain(self.value)}
        if self.index is not None:
            out["row" if self.kind != "weights" else "branch"] = self.index + 1
        if self.column is not None:
            out["column"] = self.column + 1
        if self.reads:
            out["reads"] = {k: _plain(v) for k, v in self.reads.items()}
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
    ruleset: RulesetRef
    outputs: dict[str, Any]
    trace: tuple[TraceStep, ...] = ()
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
            "trace": [step.to_dict(lang) for step in self.trace],
        }


def _plain(value: Any) -> Any:
    if value is ABSENT:
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


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
        _trace_step(checked, st, d, env) for st, d in zip(program.steps, decisions, strict=True)
    )
    return Result(ref, outputs, steps, env)


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
        TraceStep(name, "input", env.get(name), citations=_citations(decl.annotations, regulation), notes=_notes(decl.annotations))
        for name, decl in checked.inputs.items()
        if name not in checked.definitions  # a suppliable definition is traced where it is decided
    ]


def _shower(env: dict[str, Any]) -> Any:
    def show(e: s.Expr) -> str | None:
        if isinstance(e, s.Name) and e.name in env:
            value = env[e.name]
            if isinstance(value, (list, dict)):
                return None
            return printer.quote(value) if isinstance(value, str) else value_text(value)
        if isinstance(e, s.Member) and isinstance(e.subject, s.Name) and isinstance(env.get(e.subject.name), dict):
            weight = env[e.subject.name].get(e.field_name)
            return printer.number(weight, percent=True) if weight is not None else None
        return None

    return show


def _trace_step(checked: CheckedRuleset, step: Any, decision: Decision, env: dict[str, Any]) -> TraceStep:
    decl = step.decl
    regulation = checked.header.regulation
    reads = {n: env[n] for n in step.reads if n in env and not isinstance(env[n], dict)}
    citations = _citations(decl.annotations, regulation)
    notes = _notes(decl.annotations)
    value = env[step.name]
    show = _shower(env)
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


def _key_text(key: s.AxisKey) -> str:
    return printer.quote(key.value) if isinstance(key, s.StringLit) else printer.condition(key)
