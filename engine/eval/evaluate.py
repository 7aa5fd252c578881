"""Evaluate stage: validated inputs -> outputs, with a trace of every decision.

The trace records, for each definition in evaluation order, what was computed,
from which values, by which formula or which table row / quadrant cell /
weight branch / exception, with that rule's citations and notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja.eval.compile import Decision, Program
from kinerja.eval.inputs import validate
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s


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
    """One step of an evaluation: what was computed, from what, and what decided it."""

    name: str
    kind: str  # input, value, weights, table, rubric, quadrant, exception
    value: Any
    reads: dict[str, Any] = field(default_factory=dict)
    formula: str | None = None  # as written in the ruleset
    substituted: str | None = None  # the formula with the values read
    decided_by: str | None = None  # the row, cell, branch or exception that decided
    descriptor: str | None = None  # a rubric row's descriptor sentence
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    index: int | None = None  # 0-based row or weight branch that decided
    column: int | None = None  # 0-based quadrant column that decided

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "value": _plain(self.value)}
        if self.index is not None:
            out["row" if self.kind != "weights" else "branch"] = self.index + 1
        if self.column is not None:
            out["column"] = self.column + 1
        if self.reads:
            out["reads"] = {k: _plain(v) for k, v in self.reads.items()}
        for key in ("formula", "substituted", "decided_by", "descriptor"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
            "trace": [step.to_dict() for step in self.trace],
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
        return TraceStep(step.name, "input", value, decided_by="given as input",
                         citations=_citations(override.annotations, regulation), notes=_notes(override.annotations))  # fmt: skip
    if decision.kind == "absent":  # only fed a definition given as input, and lacked an optional input
        return TraceStep(step.name, "absent", value, reads, decided_by="absent", citations=citations, notes=notes)
    if decision.kind == "not_applicable":  # its `when` condition is false: not computed, value absent
        applies = decl.applies
        return TraceStep(step.name, "not_applicable", value, {n: env[n] for n in printer.free_names(applies) if n in env},
                         formula=f"when {printer.expr(applies)}", substituted=printer.expr(applies, show),
                         decided_by=f"not applicable: when {printer.expr(applies)}", citations=citations, notes=notes)  # fmt: skip
    if decision.kind == "exception":
        e = decision.exception
        assert e is not None
        return TraceStep(
            step.name, "exception", value, reads,
            formula=f"when {printer.expr(e.condition)} then {printer.expr(e.result)}",
            substituted=printer.expr(e.condition, show),
            decided_by=f"exception {e.name} (priority {e.priority})",
            descriptor=e.description,
            citations=_citations(e.annotations, regulation) + citations,
            notes=_notes(e.annotations) + notes,
        )  # fmt: skip
    if isinstance(decl, s.ValueDecl):
        return TraceStep(step.name, "value", value, reads, printer.expr(decl.expr), printer.expr(decl.expr, show),
                         citations=citations, notes=notes)  # fmt: skip
    if isinstance(decl, s.WeightsDecl):
        branch = decl.branches[decision.index]
        written = ", ".join(f"{i.name} {i.written}" for i in branch.items)
        condition = "otherwise" if branch.condition is None else "when " + printer.expr(branch.condition)
        return TraceStep(
            step.name, "weights", value, reads, decided_by=f"{condition}: {written}",
            substituted=printer.expr(branch.condition, show) if branch.condition is not None else None,
            citations=_citations(branch.annotations, regulation) + citations,
            notes=_notes(branch.annotations) + notes, index=decision.index,
        )  # fmt: skip
    if isinstance(decl, s.TableDecl):
        row = decl.rows[decision.index]
        guard = f" if {printer.expr(row.guard)}" if row.guard is not None else ""
        decided = f"row {decision.index + 1}: {printer.condition(row.condition)}{guard} -> {printer.expr(row.result)}"
        return TraceStep(
            step.name, decl.kind, value, reads, formula=printer.expr(decl.subject),
            substituted=printer.expr(decl.subject, show), decided_by=decided, descriptor=row.descriptor,
            citations=_citations(row.annotations, regulation) + citations,
            notes=_notes(row.annotations) + notes, index=decision.index,
        )  # fmt: skip
    if isinstance(decl, s.QuadrantDecl):
        row = decl.rows[decision.index]
        column = decl.columns[decision.column]
        row_key = printer.quote(row.key.value) if isinstance(row.key, s.StringLit) else printer.condition(row.key)
        column_key = printer.quote(column.value) if isinstance(column, s.StringLit) else printer.condition(column)
        decided = f"row {row_key} × column {column_key}"
        return TraceStep(
            step.name, "quadrant", value, reads,
            formula=f"{printer.expr(decl.row_subject)} × {printer.expr(decl.column_subject)}",
            decided_by=decided,
            citations=_citations(row.annotations, regulation) + citations,
            notes=_notes(row.annotations) + notes, index=decision.index, column=decision.column,
        )  # fmt: skip
    raise TypeError(decl)
