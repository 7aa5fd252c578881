"""A loaded ruleset: parsed, checked and compiled, ready to evaluate many records.

A `Ruleset` is immutable after loading and safe to share between threads:
each evaluation works on its own environment dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from kinerja.diagnostics.diagnostic import ERROR, Diagnostic, InputError, KinerjaError, RulesetError, diagnostic
from kinerja.diagnostics.messages import Listing, Phrase
from kinerja.eval.compile import Program, compile_program
from kinerja.eval.evaluate import Result, RulesetRef, evaluate, run, untraced_result
from kinerja.eval.inputs import compile_validator, known_only, validate
from kinerja.library import registry
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset, check, item_path
from kinerja.semantics.link import link
from kinerja.semantics.lower import lower
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import fingerprint as compute_fingerprint
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.parse import parse


@dataclass(frozen=True)
class ExampleOutcome:
    """One example of a ruleset, run: passed, or the findings (code + arguments) that say why not.

    The findings are rendered only when shown, in the reader's language (`problems_in`);
    `problems` is the English rendering, as it always was.
    """

    ruleset: str
    title: str
    passed: bool
    findings: tuple[Diagnostic, ...]
    span: s.Span

    @property
    def problems(self) -> tuple[str, ...]:
        return self.problems_in("en")

    def problems_in(self, lang: str | None = None) -> tuple[str, ...]:
        return tuple(finding.text(lang) for finding in self.findings)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"ruleset": self.ruleset, "title": self.title, "passed": self.passed, "problems": list(self.problems_in(lang)),
                "line": self.span.line, "findings": [finding.to_dict(lang) for finding in self.findings]}  # fmt: skip


class Ruleset:
    """One version of one regulation's rules, ready to evaluate."""

    def __init__(self, module: s.Module, checked: CheckedRuleset, program: Program, path: str | None = None,
                 lowered: ir.Program | None = None):  # fmt: skip
        self.module = module
        self.checked = checked
        self.ir = lowered if lowered is not None else lower(checked)  # what every back-end consumes
        self.program = program
        self.path = path
        self.fingerprint = compute_fingerprint(module)
        self.ref = RulesetRef(module.header.id, module.header.version, self.fingerprint)
        self._validate_fast = compile_validator(checked, program.excused_inputs)
        self._outputs = tuple(o.name for o in checked.outputs)
        self._generated: Any = _NOT_YET  # the fused function (kinerja.eval.generate), built on first use

    # -------------------------------------------------------------- building
    @classmethod
    def from_module(cls, module: s.Module, path: str | None = None) -> Ruleset:
        checked = check(module)
        if checked.errors:
            raise RulesetError(checked.diagnostics)
        lowered = lower(checked)
        return cls(module, checked, compile_program(lowered), path, lowered)

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> Ruleset:
        """Parse, link (a ruleset it `extends` is found among the shipped and `KINERJA_PATH` folders), check, compile.

        Each call builds a new `Ruleset`; `kinerja.load_text` and a `Library` cache them by fingerprint.
        """
        return cls.from_module(link(parse(text, path), _from_registry), path)

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
    def evaluate(self, record: Mapping[str, Any], *, trace: bool = False, text_values: bool = False,
                 unknown: str = "reject") -> Result:  # fmt: skip
        """Validate one record and evaluate it; raises InputError or EvaluationError.

        `trace=True` records every decision (ten times the cost); `text_values=True` reads
        values as text cells are read; `unknown="ignore"` leaves out keys that are no input
        (default "reject": K603). See `kinerja.eval.inputs` for the coercion policy.
        """
        if unknown == "ignore" and isinstance(record, Mapping):
            record = known_only(self.checked, record)
        if text_values:
            return evaluate(self.checked, self.program, self.ref, record, trace, text_values)
        if not trace:
            generated = self._generated
            if generated is _NOT_YET:
                generated = self._generated = self.generated().function
            if generated is not None:
                try:
                    return generated(record)  # type: ignore[no-any-return]
                except Exception:  # noqa: BLE001 - anything unusual: the reference path below decides and reports it
                    pass
        env = self._validate_fast(record)
        if trace:
            return run(self.checked, self.program, self.ref, env, trace)
        # `run(..., trace=False)` inlined: this is the per-record hot path
        self.program.execute_values(env)
        return untraced_result(self.ref, {name: env[name] for name in self._outputs}, env)

    def evaluate_reference(self, record: Mapping[str, Any]) -> Result:
        """`evaluate(record, trace=False)` on the closures alone, never the generated code (for differential tests)."""
        env = self._validate_fast(record)
        self.program.execute_values(env)
        return untraced_result(self.ref, {name: env[name] for name in self._outputs}, env)

    def generated(self) -> Any:
        """The generated Python of this ruleset (`kinerja.eval.generate.Source`): text, constants, function."""
        from kinerja.eval.generate import generate

        return generate(self.ir, self.ref)

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
        findings = self._example_findings(example, record)
        return ExampleOutcome(self.id, example.title, not findings, tuple(findings), example.span)

    def _example_findings(self, example: s.ExampleDecl, record: dict[str, Any]) -> list[Diagnostic]:
        """Why an example fails, as coded findings at the example (empty when it passes)."""
        invalid = Listing.of(f"`{name}`" for name in example.expect_invalid)
        try:
            env = validate(self.checked, record, excused_by=self.program.excused_inputs)
        except InputError as error:
            if not example.expect_invalid:
                return [diagnostic("K712", example.span, problems=_coded(error))]
            flagged = {f.split("[")[0].split(".")[0] for f in error.fields}
            missing = [n for n in example.expect_invalid if n not in flagged]
            if missing:
                names = Listing.of(f"`{name}`" for name in missing)
                return [diagnostic("K713", example.span, names=names, problems=_coded(error))]
            return []
        try:
            result = run(self.checked, self.program, self.ref, env, trace=False)
        except KinerjaError as error:
            # an optional input the record left out but this case needs (K704) makes it invalid too
            wanting = {str(dict(d.args).get("field")) for d in error.diagnostics if d.code == "K704"}
            if example.expect_invalid and set(example.expect_invalid) <= wanting:
                return []
            return [diagnostic("K715", example.span, problems=_coded(error))]
        if example.expect_invalid:
            return [diagnostic("K714", example.span, names=invalid)]
        findings = []
        for binding in example.expect:
            expected = _runtime_value(binding.value.value)
            actual = _value_at(result.values, binding.name)
            if actual != expected:
                findings.append(diagnostic("K711", binding.span, name=binding.name, expected=value_text(expected),
                                           actual=value_text(actual)))  # fmt: skip
        return findings

    def __repr__(self) -> str:
        return f"<Ruleset {self.id}@{self.version} {self.fingerprint[:19]}>"


_NOT_YET = object()


def _coded(error: KinerjaError) -> Listing:
    """An error's diagnostics as `CODE: words` pieces, said in the language of the message holding them."""
    return Listing.of((Phrase.of("W_CODED", tag=d.code, text=Phrase(d.code, d.args)) for d in error.diagnostics), "; ")


def _value_at(values: Mapping[str, Any], name: str) -> Any:
    """A value by name, or by an item path (`iki[1].nilai`: the field `nilai` of the first item of `iki`)."""
    steps = item_path(name)
    if steps is None:
        return values.get(name)
    found: Any = values.get(str(steps[0]))
    for index, field in zip(steps[1::2], steps[2::2], strict=True):
        if not isinstance(found, list) or not 0 < int(index) <= len(found) or not isinstance(found[int(index) - 1], dict):
            return None
        found = found[int(index) - 1].get(str(field), ABSENT)
    return found


def _runtime_value(value: Any) -> Any:
    if value is None:  # `expect x = none`: the value must be absent
        return ABSENT
    if isinstance(value, tuple):
        return [{k: _runtime_value(v.value) for k, v in record} for record in value]
    return value


def decimal(value: str | int) -> Decimal:
    return Decimal(value)


def first_label_output(ruleset: Ruleset) -> str | None:
    """The output an appraisal is summarised by: `predikat`, else the output a population rule
    constrains, else the first output whose values are labels, else the first output."""
    if "predikat" in ruleset.output_names:
        return "predikat"
    for rule in ruleset.module.of_kind(s.DistributionDecl):
        if rule.output in ruleset.output_names:
            return rule.output
    for name in ruleset.output_names:
        if isinstance(ruleset.checked.types.get(name), t.LabelT):
            return name
    return ruleset.output_names[0] if ruleset.output_names else None


def _from_registry(ref: str) -> s.Module:
    """The module an `extends` reference names, found where `kinerja.load` finds rulesets."""
    found = registry.find(ref)
    path = found if isinstance(found, Path) else found.path
    return parse(path.read_text(encoding="utf-8"), str(path))
