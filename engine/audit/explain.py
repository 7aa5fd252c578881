"""A narrative of one result that an officer can read aloud.

Built from the result's trace: the inputs, which weight branch applied and
why (its condition with the values), each computed value with its arithmetic
(formula, substituted values, partial products of a weighted sum, the exact
result), the band row, quadrant cell or exception that decided, each with its
citations and assumption notes. Indonesian by default, with the Indonesian
decimal comma in numbers; English with lang="en".
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from kinerja.diagnostics.messages import default_language, message
from kinerja.eval.evaluate import Result, TraceStep
from kinerja.library.ruleset import Ruleset
from kinerja.semantics.values import ABSENT, ARITHMETIC, decimal_text, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s

_INDENT = "   "


class _Unknown(Exception):
    """The small evaluator here does not know this expression: fall back to the trace's text."""


def explain(ruleset: Ruleset, result: Result, lang: str | None = None) -> str:
    """The narrative of `result` (evaluated with `trace=True`) under `ruleset`."""
    return _Explainer(ruleset, result, lang or default_language()).run()


class _Explainer:
    def __init__(self, ruleset: Ruleset, result: Result, lang: str):
        self.ruleset = ruleset
        self.result = result
        self.lang = lang
        self.env: dict[str, Any] = dict(result.values)
        for step in result.trace:
            self.env.setdefault(step.name, step.value)
        self.lines: list[str] = []

    # -------------------------------------------------------------- words and numbers
    def m(self, code: str, **args: Any) -> str:
        return message(code, self.lang, **args)

    def localize(self, text: str) -> str:
        """Indonesian decimal comma in numbers (not inside quoted labels)."""
        if self.lang != "id":
            return text
        parts = text.split('"')
        for i in range(0, len(parts), 2):
            parts[i] = re.sub(r"(?<=\d)\.(?=\d)", ",", parts[i])
        return '"'.join(parts)

    def show(self, value: Any) -> str:
        if value is ABSENT or value is None:
            return self.m("X_WORD_ABSENT")
        if isinstance(value, bool):
            return self.m("X_WORD_TRUE" if value else "X_WORD_FALSE")
        if isinstance(value, str):
            return printer.quote(value)
        if isinstance(value, Decimal):
            return self.localize(decimal_text(value))
        if isinstance(value, dict):
            return ", ".join(f"{k} {self.localize(printer.number(v, percent=True))}" for k, v in value.items())
        return self.localize(value_text(value))

    def basis(self, step: TraceStep, indent: str) -> None:
        if step.citations:
            self.lines.append(indent + self.m("X_EXPLAIN_BASIS", citations="; ".join(step.citations)))
        for note in step.notes:
            self.lines.append(indent + self.m("X_EXPLAIN_NOTE", note=note))

    def values_of(self, e: s.Expr) -> str:
        """`name = value` for each name an expression reads."""
        shown = []
        for name in printer.free_names(e):
            if name in self.env and not isinstance(self.env[name], (dict, list)):
                shown.append(f"{name} = {self.show(self.env[name])}")
        return ", ".join(shown)

    def condition_text(self, e: s.Expr) -> str:
        """A condition with its values: `penilaian_360 = ya`, or `x > 100 (x = 105)`."""
        values = self.values_of(e)
        bare = e.operand if isinstance(e, s.Unary) and e.op == "not" else e
        if isinstance(bare, s.Name) and values:
            return values
        text = printer.expr(e)
        return f"{text} ({values})" if values else text

    # -------------------------------------------------------------- a tiny evaluator, for partial results
    def value(self, e: s.Expr) -> Any:
        if isinstance(e, s.NumberLit):
            return e.value
        if isinstance(e, (s.StringLit, s.BoolLit)):
            return e.value
        if isinstance(e, s.Name):
            if e.name not in self.env or self.env[e.name] is ABSENT:
                raise _Unknown(e.name)
            return self.env[e.name]
        if isinstance(e, s.Member) and isinstance(e.subject, s.Name):
            container = self.env.get(e.subject.name)
            if isinstance(container, dict) and e.field_name in container:
                return container[e.field_name]
            raise _Unknown(e.field_name)
        if isinstance(e, s.Unary):
            operand = self.value(e.operand)
            return (not operand) if e.op == "not" else ARITHMETIC.minus(operand)
        if isinstance(e, s.Binary):
            left, right = self.value(e.left), self.value(e.right)
            ops = {
                "+": ARITHMETIC.add, "-": ARITHMETIC.subtract, "*": ARITHMETIC.multiply, "/": ARITHMETIC.divide,
                "and": lambda a, b: a and b, "or": lambda a, b: a or b,
                "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
                "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
            }  # fmt: skip
            if e.op in ("<", "<=", ">", ">=") and isinstance(left, str):
                raise _Unknown(e.op)  # label order: the trace has the answer
            try:
                return ops[e.op](left, right)
            except ArithmeticError:
                raise _Unknown(e.op) from None
        if isinstance(e, s.IfThenElse):
            return self.value(e.then) if self.value(e.condition) else self.value(e.otherwise)
        if isinstance(e, s.Call) and e.function in ("min", "max") and e.args:
            args = [self.value(a) for a in e.args]
            return min(args) if e.function == "min" else max(args)
        if isinstance(e, s.Call) and e.function == "abs" and len(e.args) == 1:
            return abs(self.value(e.args[0]))
        if isinstance(e, s.Call) and e.function == "clamp" and len(e.args) == 3:
            x, low, high = (self.value(a) for a in e.args)
            return min(max(x, low), high)
        raise _Unknown(type(e).__name__)

    def partials(self, e: s.Expr) -> str | None:
        """The terms of a sum (or a product/quotient chain) computed one by one: `67.2 + 22.8`."""
        if not isinstance(e, s.Binary) or e.op not in ("+", "-", "*", "/"):
            return None
        group = ("+", "-") if e.op in ("+", "-") else ("*", "/")
        terms: list[tuple[str | None, s.Expr]] = []

        def flatten(x: s.Expr, op: str | None) -> None:
            if isinstance(x, s.Binary) and x.op in group:
                flatten(x.left, op)
                flatten(x.right, x.op)
            else:
                terms.append((op, x))

        flatten(e, None)
        if all(isinstance(x, (s.Name, s.Member, s.NumberLit)) for _, x in terms):
            return None
        try:
            texts = []
            for op, x in terms:
                v = self.value(x)
                if not isinstance(v, Decimal) or isinstance(v, bool):
                    return None
                text = printer.number(v, percent=True) if isinstance(x, s.NumberLit) and x.percent else decimal_text(v)
                if op is not None:
                    texts.append("×" if op == "*" else op)
                texts.append(text if v >= 0 or op is None else f"({text})")
        except _Unknown:
            return None
        return " ".join(texts)

    # -------------------------------------------------------------- the narrative
    def run(self) -> str:
        header = self.ruleset.module.header
        ref = self.result.ruleset
        self.lines.append(self.m("X_EXPLAIN_TITLE", regulation=header.source or header.regulation,
                                 title=header.title or ref.id, ref=f"{ref.id}@{ref.version}"))  # fmt: skip
        self.lines.append(self.m("X_EXPLAIN_FINGERPRINT", fingerprint=ref.fingerprint))
        header_cites = [f"{c.regulation or header.regulation} {c.text}" for c in header.annotations.citations]
        if header_cites:
            self.lines.append(self.m("X_EXPLAIN_BASIS", citations="; ".join(header_cites)))
        for note in header.annotations.notes:
            self.lines.append(self.m("X_EXPLAIN_RULESET_NOTE", note=note.text))
        inputs = [st for st in self.result.trace if st.kind == "input" and not st.supplied]
        if inputs:
            self.lines += ["", self.m("X_EXPLAIN_INPUTS")]
            for step in inputs:
                self.input(step)
        steps = [st for st in self.result.trace if not (st.kind == "input" and not st.supplied)]
        if steps:
            self.lines += ["", self.m("X_EXPLAIN_STEPS")]
            for number, step in enumerate(steps, start=1):
                self.step(number, step)
        not_applicable = {st.name for st in self.result.trace if st.kind == "not_applicable"}
        outputs = "; ".join(
            f"{k} = {self.m('X_WORD_NOT_APPLICABLE') if k in not_applicable else self.show(v)}" for k, v in self.result.outputs.items()
        )
        self.lines += ["", self.m("X_EXPLAIN_RESULT", outputs=outputs)]
        return "\n".join(self.lines)

    def input(self, step: TraceStep) -> None:
        decl = self.ruleset.checked.inputs.get(step.name)
        line = f"- {step.name} = {self.show(step.value)}"
        if decl is not None and decl.description:
            line += f" — {decl.description}"
        self.lines.append(line)
        self.basis(step, _INDENT)

    def step(self, number: int, step: TraceStep) -> None:
        lead = f"{number}. "
        decl = self.ruleset.checked.definitions.get(step.name)
        if step.kind == "input":  # a definition given as input
            self.lines.append(lead + self.m("X_EXPLAIN_GIVEN", name=step.name, value=self.show(step.value)))
        elif step.kind == "not_applicable" and getattr(decl, "applies", None) is not None:
            # why it was not computed: the `when` condition with the values that made it false
            self.lines.append(lead + self.m("X_EXPLAIN_NOT_APPLICABLE", name=step.name, condition=self.condition_text(decl.applies)))
        elif step.kind == "exception":
            self.exception(lead, step)
        elif step.kind == "weights" and isinstance(decl, s.WeightsDecl):
            self.weights(lead, step, decl)
        elif step.kind == "value" and isinstance(decl, s.ValueDecl):
            self.computed(lead, step, decl)
        elif step.kind in ("table", "rubric") and isinstance(decl, s.TableDecl):
            self.table(lead, step, decl)
        elif step.kind == "quadrant" and isinstance(decl, s.QuadrantDecl):
            self.quadrant(lead, step, decl)
        else:
            self.lines.append(lead + f"{step.name} = {self.show(step.value)}")
        self.basis(step, _INDENT)

    def weights(self, lead: str, step: TraceStep, decl: s.WeightsDecl) -> None:
        index = step.index if step.index is not None and 0 <= step.index < len(decl.branches) else None
        parts = ", ".join(f"{i.name} {self.localize(i.written)}" for i in decl.branches[index].items) if index is not None else self.show(step.value)
        if index is None or (len(decl.branches) == 1 and decl.branches[0].condition is None):
            self.lines.append(lead + self.m("X_EXPLAIN_WEIGHTS_ONLY", name=step.name, parts=parts))
            return
        branch = decl.branches[index]
        if branch.condition is not None:
            self.lines.append(lead + self.m("X_EXPLAIN_WEIGHTS_WHEN", name=step.name, branch=printer.expr(branch.condition),
                                            condition=self.condition_text(branch.condition), parts=parts))  # fmt: skip
        else:
            earlier = "; ".join(self.condition_text(b.condition) for b in decl.branches[:index] if b.condition is not None)
            self.lines.append(lead + self.m("X_EXPLAIN_WEIGHTS_OTHERWISE", name=step.name, conditions=earlier, parts=parts))

    def computed(self, lead: str, step: TraceStep, decl: s.ValueDecl) -> None:
        formula = step.formula or printer.expr(decl.expr)
        about = f" — {decl.description}" if decl.description else ""
        self.lines.append(lead + self.m("X_EXPLAIN_VALUE", name=step.name, formula=formula) + about)
        chain = [step.name]
        if step.substituted and step.substituted != formula:
            chain.append(step.substituted)
        partial = self.partials(decl.expr)
        if partial is not None and partial != step.substituted:
            chain.append(partial)
        chain.append(decimal_text(step.value) if isinstance(step.value, Decimal) else value_text(step.value))
        self.lines.append(_INDENT + self.localize(" = ".join(chain)))

    def subject_text(self, subject: s.Expr, substituted: str | None) -> tuple[str, Any]:
        try:
            value = self.value(subject)
        except _Unknown:
            value = None
        text = printer.expr(subject)
        if value is not None:
            return f"{text} = {self.show(value)}", value
        return (f"{text} = {self.localize(substituted)}" if substituted else text), None

    def table(self, lead: str, step: TraceStep, decl: s.TableDecl) -> None:
        index = step.index
        subject, value = self.subject_text(decl.subject, step.substituted)
        if index is None or not 0 <= index < len(decl.rows):
            self.lines.append(lead + f"{step.name} = {self.show(step.value)} ({step.describe(self.lang) or ''})")
            return
        row = decl.rows[index]
        self.lines.append(lead + self.m("X_EXPLAIN_TABLE", name=step.name, subject=subject, row=index + 1,
                                        condition=self.row_text(row), result=self.show(step.value)))  # fmt: skip
        if value is not None and decl.hit == "first":
            for number, earlier in enumerate(decl.rows[:index], start=1):
                if earlier.guard is not None and _matches(earlier.condition, value):
                    self.lines.append(_INDENT + self.m("X_EXPLAIN_ROW_SKIPPED", row=number, condition=self.row_text(earlier),
                                                       guard=self.condition_text(earlier.guard)))  # fmt: skip
        if step.descriptor:
            self.lines.append(_INDENT + self.m("X_EXPLAIN_DESCRIPTOR", descriptor=step.descriptor))

    def row_text(self, row: s.Row) -> str:
        guard = f" if {printer.expr(row.guard)}" if row.guard is not None else ""
        return self.localize(f"{printer.condition(row.condition)}{guard} -> {printer.expr(row.result)}")

    def quadrant(self, lead: str, step: TraceStep, decl: s.QuadrantDecl) -> None:
        row_subject, _ = self.subject_text(decl.row_subject, None)
        column_subject, _ = self.subject_text(decl.column_subject, None)
        self.lines.append(lead + self.m("X_EXPLAIN_QUADRANT", name=step.name, row=row_subject, column=column_subject,
                                        cell=self.localize(step.describe(self.lang) or ""), result=self.show(step.value)))  # fmt: skip

    def exception(self, lead: str, step: TraceStep) -> None:
        name, priority = step.exception or "?", step.priority if step.priority is not None else "?"
        decl = next((e for e in self.ruleset.checked.exceptions.get(step.name, ()) if e.name == name), None)
        condition = self.condition_text(decl.condition) if decl is not None else (step.substituted or "")
        self.lines.append(lead + self.m("X_EXPLAIN_EXCEPTION", name=step.name, exception=name, priority=priority,
                                        condition=condition, result=self.show(step.value)))  # fmt: skip
        if step.descriptor:
            self.lines.append(_INDENT + self.m("X_EXPLAIN_DESCRIPTOR", descriptor=step.descriptor))


def _matches(cond: s.Condition, value: Any) -> bool:
    if isinstance(cond, s.Otherwise):
        return True
    if isinstance(cond, s.Interval):
        return isinstance(value, Decimal) and cond.contains(value)
    return bool(cond.value.value == value)
