"""A loaded ruleset: parsed, checked and compiled, ready to evaluate many records.

A `Ruleset` is immutable after loading and safe to share between threads:
each evaluation works on its own environment dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from kinerja.diagnostics.diagnostic import ERROR, Diagnostic, InputError, KinerjaError, RulesetError
from kinerja.eval.compile import Program, compile_ruleset
from kinerja.eval.evaluate import Result, RulesetRef, evaluate, run, untraced_result
from kinerja.eval.inputs import compile_validator, validate
from kinerja.semantics.check import CheckedRuleset, check
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import fingerprint as compute_fingerprint


@dataclass(frozen=True)
class ExampleOutcome:
    """What running one `example` of a ruleset gave: passed, or the problems found."""

    ruleset: str
    title: str
    passed: bool
    problems: tuple[str, ...]
    span: s.Span

    def to_dict(self) -> dict[str, Any]:
        return {"ruleset": self.ruleset, "title": self.title, "passed": self.passed, "problems": list(self.problems),
                "line": self.span.line}  # fmt: skip


class Ruleset:
    """One version of one regulation's rules, ready to evaluate."""

    def __init__(self, module: s.Module, checked: CheckedRuleset, program: Program, path: str | None = None):
        self.module = module
        self.checked = checked
        self.program = program
        self.path = path
        self.fingerprint = compute_fingerprint(module)
        self.ref = RulesetRef(module.header.id, module.header.version, self.fingerprint)
        self._validate_fast = compile_validator(checked, program.excused_inputs)
        self._outputs = tuple(o.name for o in checked.outputs)

    # -------------------------------------------------------------- building
    @classmethod
    def from_module(cls, module: s.Module, path: str | None = None) -> Ruleset:
        checked = check(module)
        if checked.errors:
            raise RulesetError(checked.diagnostics)
        return cls(module, checked, compile_ruleset(checked), path)

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> Ruleset:
        """Parse, link (a ruleset it `extends` is found in the shipped folders), check, compile."""
        from kinerja.library.api import default_library  # the library resolves `extends` references

        return default_library().load_text(text, path)

    @classmethod
    def from_path(cls, path: str | Path) -> Ruleset:
        """A ruleset from a file (UTF-8, with or without BOM; anything else is a positioned K020)."""
        from kinerja.syntax.source import read_source

        return cls.from_text(read_source(path), str(path))

    # -------------------------------------------------------------- facts
    @property
    def id(self) -> str:
        return self.module.header.id

    @property
    def version(self) -> str:
        return self.module.header.version

    @property
    def title(self) -> str | None:
        return self.module.header.title

    @property
    def effective_from(self) -> date | None:
        return self.module.header.effective_from

    @property
    def effective_until(self) -> date | None:
        return self.module.header.effective_until

    @property
    def input_names(self) -> list[str]:
        return list(self.checked.inputs)

    @property
    def output_names(self) -> list[str]:
        return [o.name for o in self.checked.outputs]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.checked.diagnostics if d.severity != ERROR]

    def in_force(self, on: date) -> bool:
        start, until = self.effective_from, self.effective_until
        return (start is None or start <= on) and (until is None or on <= until)

    # -------------------------------------------------------------- evaluation
    def evaluate(self, record: Mapping[str, Any], *, trace: bool = True, text_values: bool = False) -> Result:
        """Validate one record and evaluate it; raises InputError or EvaluationError."""
        if text_values:
            return evaluate(self.checked, self.program, self.ref, record, trace, text_values)
        env = self._validate_fast(record)
        if trace:
            return run(self.checked, self.program, self.ref, env, trace)
        # `run(..., trace=False)` inlined: this is the per-record hot path
        self.program.execute_values(env)
        return untraced_result(self.ref, {name: env[name] for name in self._outputs}, env)

    def evaluate_many(self, records: Iterable[Mapping[str, Any]], *, trace: bool = False) -> Iterable[Result | KinerjaError]:
        """One result or error per record, in order; a bad record never stops the rest."""
        for record in records:
            try:
                yield self.evaluate(record, trace=trace)
            except KinerjaError as error:
                yield error

    def validate(self, record: Mapping[str, Any], *, text_values: bool = False) -> dict[str, Any]:
        return validate(self.checked, record, text_values, self.program.excused_inputs)

    # -------------------------------------------------------------- examples
    def run_examples(self) -> list[ExampleOutcome]:
        outcomes = []
        for example in self.module.of_kind(s.ExampleDecl):
            outcomes.append(self._run_example(example))
        return outcomes

    def _run_example(self, example: s.ExampleDecl) -> ExampleOutcome:
        record = {b.name: _runtime_value(b.value.value) for b in example.given}
        problems: list[str] = []
        try:
            env = validate(self.checked, record, excused_by=self.program.excused_inputs)
        except InputError as error:
            if example.expect_invalid:
                flagged = {f.split("[")[0].split(".")[0] for f in error.fields}
                missing = [n for n in example.expect_invalid if n not in flagged]
                if missing:
                    problems.append(f"expected {', '.join(missing)} to be invalid; got: {error.render('en')}")
            else:
                problems.append("input rejected: " + "; ".join(d.text("en") for d in error.diagnostics))
            return ExampleOutcome(self.id, example.title, not problems, tuple(problems), example.span)
        try:
            result = run(self.checked, self.program, self.ref, env, trace=False)
        except KinerjaError as error:
            # an optional input the record left out but this case needs (K704) makes it invalid too
            wanting = {str(dict(d.args).get("field")) for d in error.diagnostics if d.code == "K704"}
            if example.expect_invalid and set(example.expect_invalid) <= wanting:
                return ExampleOutcome(self.id, example.title, True, (), example.span)
            problems.append("evaluation failed: " + error.render("en"))
            return ExampleOutcome(self.id, example.title, False, tuple(problems), example.span)
        if example.expect_invalid:
            problems.append(f"expected {', '.join(example.expect_invalid)} to be invalid, but the record was evaluated")
            return ExampleOutcome(self.id, example.title, False, tuple(problems), example.span)
        for binding in example.expect:
            expected = _runtime_value(binding.value.value)
            actual = result.values.get(binding.name)
            if actual != expected:
                problems.append(f"{binding.name}: expected {value_text(expected)}, got {value_text(actual)}")
        return ExampleOutcome(self.id, example.title, not problems, tuple(problems), example.span)

    def __repr__(self) -> str:
        return f"<Ruleset {self.id}@{self.version} {self.fingerprint[:19]}>"


def _runtime_value(value: Any) -> Any:
    if value is None:  # `expect x = none`: the value must be absent
        return ABSENT
    if isinstance(value, tuple):
        return [{k: _runtime_value(v.value) for k, v in record} for record in value]
    return value


def decimal(value: str | int) -> Decimal:
    return Decimal(value)
