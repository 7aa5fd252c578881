"""A narrative of one result that an officer can read aloud.

Built from the result's trace: the inputs, which weight branch applied and
why (its condition with the values), each computed value with its arithmetic
(formula, substituted values, partial products of a weighted sum, the exact
result), the band row, quadrant cell or exception that decided, each with its
citations and assumption notes. Indonesian by default, with the Indonesian
decimal comma in numbers; English with lang="en".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.audit.wording import localize_numbers
from kinerja.diagnostics.messages import default_language, message
from kinerja.eval.compile import compile_expression
from kinerja.eval.evaluate import Result, TraceStep
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import conditions, ir
from kinerja.semantics.values import ABSENT, decimal_text, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s

_INDENT = "   "
UNROUNDED_DIGITS = 12  # places shown of a value before rounding; more are marked with …


@dataclass(frozen=True)
class ExplainedStep:
    """One step of a narrative: its sentence, then continuation lines (arithmetic, basis, notes)."""

    name: str
    kind: str
    value: Any
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Narrative:
    """A result explained step by step; `text()` is what `kinerja explain` prints."""

    head: tuple[str, ...]
    inputs: tuple[ExplainedStep, ...]
    steps: tuple[ExplainedStep, ...]
    result: str
    lang: str

    def text(self) -> str:
        lines = list(self.head)
        if self.inputs:
            lines += ["", message("X_EXPLAIN_INPUTS", self.lang)]
            for step in self.inputs:
                lines.append(step.lines[0])
                lines += [_INDENT + x for x in step.lines[1:]]
        if self.steps:
            lines += ["", message("X_EXPLAIN_STEPS", self.lang)]
            for number, step in enumerate(self.steps, start=1):
                lines.append(f"{number}. {step.lines[0]}")
                lines += [_INDENT + x for x in step.lines[1:]]
        lines += ["", self.result]
        return "\n".join(lines)


class _Unknown(Exception):
    """The small evaluator here does not know this expression: fall back to the trace's text."""


def explain(ruleset: Ruleset, result: Result, lang: str | None = None) -> str:
    """The narrative of `result` (evaluated with `trace=True`) under `ruleset`."""
    return narrate(ruleset, result, lang).text()


def narrate(ruleset: Ruleset, result: Result, lang: str | None = None) -> Narrative:
    """The narrative of `result` as data: each input and step with its lines."""
    return _Explainer(ruleset, result, lang or default_language()).run()


@dataclass(frozen=True)
class ComparedStep:
    """One step (or input) under two rulesets, aligned by name; a side is None where that ruleset has no such step."""

    name: str
    left: ExplainedStep | None
    right: ExplainedStep | None

    @property
    def same(self) -> bool:
        return self.left is not None and self.right is not None and _same_value(self.left.value, self.right.value)


@dataclass(frozen=True)
class Comparison:
    """One employee under two rulesets, side by side, and the first step where they part."""

    left: Narrative
    right: Narrative
    left_ref: str
    right_ref: str
    inputs: tuple[ComparedStep, ...]
    steps: tuple[ComparedStep, ...]
    parting: str | None  # the first step both compute whose values differ (None: they agree throughout)
    lang: str

    def text(self) -> str:
        m = self.lang
        lines = [message("X_AGAINST_TITLE", m, left=self.left_ref, right=self.right_ref)]
        lines += [f"  {self.left_ref}: {self.left.head[1]}", f"  {self.right_ref}: {self.right.head[1]}"]
        width = max([len(x.name) for x in self.inputs + self.steps] + [4])
        shown = [_side_value(x.left, m) for x in self.inputs + self.steps]
        column = min(max([len(x) for x in shown] + [4]), 40)
        for title, rows in (("X_EXPLAIN_INPUTS", self.inputs), ("X_EXPLAIN_STEPS", self.steps)):
            if not rows:
                continue
            lines += ["", message(title, m), f"  {''.ljust(width)}  {self.left_ref.ljust(column)}  |  {self.right_ref}"]
            for row in rows:
                mark = " " if row.same else "≠"
                lines.append(f"{mark} {row.name.ljust(width)}  {_side_value(row.left, m).ljust(column)}  |  {_side_value(row.right, m)}")
        lines.append("")
        if self.parting is None:
            lines.append(message("X_AGAINST_SAME", m))
        else:
            lines.append(message("X_AGAINST_PARTING", m, name=self.parting))
            row = next(x for x in self.steps if x.name == self.parting)
            for ref, side in ((self.left_ref, row.left), (self.right_ref, row.right)):
                lines.append(f"  {ref}:")
                lines += [f"    {x}" for x in (side.lines if side is not None else ())]
        lines += ["", f"{self.left_ref}: {self.left.result}", f"{self.right_ref}: {self.right.result}"]
        return "\n".join(lines)


def compare(left: Ruleset, left_result: Result, right: Ruleset, right_result: Result, lang: str | None = None) -> Comparison:
    """Two narratives of one employee aligned step by step (`kinerja explain … --against OTHER`)."""
    lang = lang or default_language()
    a, b = narrate(left, left_result, lang), narrate(right, right_result, lang)
    inputs = _align(a.inputs, b.inputs)
    steps = _align(a.steps, b.steps)
    parting = next((x.name for x in steps if x.left is not None and x.right is not None and not x.same), None)
    refs = (f"{left_result.ruleset.id}@{left_result.ruleset.version}", f"{right_result.ruleset.id}@{right_result.ruleset.version}")
    if refs[0] == refs[1]:
        refs = (f"{refs[0]} ({left_result.ruleset.fingerprint[7:19]})", f"{refs[1]} ({right_result.ruleset.fingerprint[7:19]})")
    return Comparison(a, b, refs[0], refs[1], inputs, steps, parting, lang)


def _align(left: tuple[ExplainedStep, ...], right: tuple[ExplainedStep, ...]) -> tuple[ComparedStep, ...]:
    """The left side's order; a step only the right side has comes after the step it follows there."""
    names = [x.name for x in left]
    for index, step in enumerate(right):
        if step.name in names:
            continue
        before = next((right[j].name for j in range(index - 1, -1, -1) if right[j].name in names), None)
        names.insert(names.index(before) + 1 if before is not None else 0, step.name)
    by_left = {x.name: x for x in left}
    by_right = {x.name: x for x in right}
    return tuple(ComparedStep(n, by_left.get(n), by_right.get(n)) for n in names)


def _same_value(a: Any, b: Any) -> bool:
    if (a is ABSENT or a is None) and (b is ABSENT or b is None):
        return True
    return bool(a == b) and type(a) is type(b) or (isinstance(a, Decimal) and isinstance(b, Decimal) and a == b)


def _side_value(step: ExplainedStep | None, lang: str) -> str:
    if step is None:
        return message("X_AGAINST_NONE", lang)
    value = step.value
    if value is ABSENT or value is None:
        return message("X_WORD_ABSENT", lang)
    if isinstance(value, bool):
        return message("X_WORD_TRUE" if value else "X_WORD_FALSE", lang)
    if isinstance(value, str):
        return printer.quote(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {printer.number(v, percent=True)}" for k, v in value.items())
    return localize_numbers(value_text(value), lang)


def citation_line(citations: tuple[str, ...] | list[str], regulations: set[str]) -> str:
    """Citations once each; consecutive ones of one regulation name it once (`PP 30/2019 Pasal 41 ayat (3); ayat (2)`
    would drop too much, so the article stays: `PP 30/2019 Pasal 41 ayat (3); Pasal 41 ayat (2)`)."""
    out: list[str] = []
    previous = None
    for citation in dict.fromkeys(citations):
        regulation = max((r for r in regulations if citation.startswith(r + " ")), key=len, default=None)
        if regulation is not None and regulation == previous:
            out.append(citation[len(regulation) + 1 :])
        else:
            out.append(citation)
        previous = regulation
    return "; ".join(out)


class _Explainer:
    def __init__(self, ruleset: Ruleset, result: Result, lang: str):
        self.ruleset = ruleset
        self.result = result
        self.lang = lang
        self.env: dict[str, Any] = dict(result.values)
        for step in result.trace:
            self.env.setdefault(step.name, step.value)
        self.lines: list[str] = []
        self.nodes = ir.by_source(ruleset.ir)
        module = ruleset.module
        self.regulations = {module.header.regulation} | {
            c.regulation for decl in module.declarations for c in _citations_of(decl) if c.regulation
        }

    # -------------------------------------------------------------- words and numbers
    def m(self, code: str, **args: Any) -> str:
        return message(code, self.lang, **args)

    def localize(self, text: str) -> str:
        """The language's decimal mark in numbers (not inside quoted labels): one rule, `wording`."""
        return localize_numbers(text, self.lang)

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
            self.lines.append(indent + self.m("X_EXPLAIN_BASIS", citations=citation_line(step.citations, self.regulations)))
        for note in dict.fromkeys(step.notes):
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
        text = f"`{printer.expr(e)}`"  # ruleset text, set apart from the sentence's words
        return f"{text} ({values})" if values else text

    # -------------------------------------------------------------- partial results, from the IR
    def value(self, e: s.Expr) -> Any:
        """The value of a sub-expression as the evaluator computes it (its IR node, compiled)."""
        node = self.nodes.get(id(e))
        if node is None:
            raise _Unknown(type(e).__name__)
        try:
            value = compile_expression(node, self.ruleset.ir)(self.env)
        except Exception:  # an absent value, a failing division: the trace's own text is shown instead
            raise _Unknown(type(e).__name__) from None
        if value is ABSENT:
            raise _Unknown(type(e).__name__)
        return value

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
    def run(self) -> Narrative:
        header = self.ruleset.module.header
        ref = self.result.ruleset
        head = [self.m("X_EXPLAIN_TITLE", regulation=header.source or header.regulation,
                       title=header.title or ref.id, ref=f"{ref.id}@{ref.version}"),
                self.m("X_EXPLAIN_FINGERPRINT", fingerprint=ref.fingerprint)]  # fmt: skip
        header_cites = [f"{c.regulation or header.regulation} {c.text}" for c in header.annotations.citations]
        if header_cites:
            head.append(self.m("X_EXPLAIN_BASIS", citations=citation_line(header_cites, self.regulations)))
        for note in header.annotations.notes:
            head.append(self.m("X_EXPLAIN_RULESET_NOTE", note=note.text))
        inputs = [self.collect(st, self.input) for st in self.result.trace if st.kind == "input" and not st.supplied]
        steps = [self.collect(st, self.step) for st in self.result.trace if not (st.kind == "input" and not st.supplied)]
        not_applicable = {st.name for st in self.result.trace if st.kind == "not_applicable"}
        outputs = "; ".join(
            f"{k} = {self.m('X_WORD_NOT_APPLICABLE') if k in not_applicable else self.show(v)}" for k, v in self.result.outputs.items()
        )
        return Narrative(tuple(head), tuple(inputs), tuple(steps), self.m("X_EXPLAIN_RESULT", outputs=outputs), self.lang)

    def collect(self, step: TraceStep, write: Any) -> ExplainedStep:
        """The lines one input or step writes, without their number or indentation."""
        self.lines = []
        write(step)
        lines = [self.lines[0]] + [x[len(_INDENT) :] if x.startswith(_INDENT) else x for x in self.lines[1:]]
        return ExplainedStep(step.name, step.kind, step.value, tuple(lines))

    def input(self, step: TraceStep) -> None:
        decl = self.ruleset.checked.inputs.get(step.name)
        line = f"- {step.name} = {self.show(step.value)}"
        if decl is not None and decl.description:
            line += f" — {decl.description}"
        self.lines.append(line)
        self.basis(step, _INDENT)

    def step(self, step: TraceStep) -> None:
        if step.definition is not None and step.position is not None:
            # a definition per item: its formula's parts are computed on that item
            keys = self.enter_item(step.definition, step.position)
            try:
                self.decided(step, self.ruleset.checked.definitions.get(step.definition))
            finally:
                for key in keys:
                    self.env.pop(key, None)
            return
        self.decided(step, self.ruleset.checked.definitions.get(step.name))

    def enter_item(self, definition: str, position: tuple[int, ...]) -> list[str]:
        """Put the items of one position of a definition per item where its IR reads them."""
        level = self.ruleset.checked.level(definition)
        keys: list[str] = []
        items: Any = self.env.get(level[0])
        for depth, index in enumerate(position):
            if not isinstance(items, list) or not 0 < index <= len(items):
                break
            key = ir.item_key(".".join(level[: depth + 1]))
            self.env[key] = items[index - 1]
            keys.append(key)
            items = items[index - 1].get(level[depth + 1]) if depth + 1 < len(level) else None
        return keys

    def decided(self, step: TraceStep, decl: Any) -> None:
        lead = ""
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
        unrounded = self.before_rounding(decl.expr)
        if unrounded is not None:
            chain.append(unrounded)
        chain.append(decimal_text(step.value) if isinstance(step.value, Decimal) else value_text(step.value))
        self.lines.append(_INDENT + self.localize(" = ".join(chain)))

    def before_rounding(self, e: s.Expr) -> str | None:
        """`round(74.6743333333…, 2, half_up)`: the exact value a top-level rounding starts from."""
        if not (isinstance(e, s.Call) and e.function in ("round", "floor", "ceiling") and e.args):
            return None
        try:
            inner = self.value(e.args[0])
        except _Unknown:
            return None
        if not isinstance(inner, Decimal) or isinstance(inner, bool):
            return None
        text = _exact_text(inner)
        rest = ", ".join(printer.expr(a) for a in e.args[1:])
        return f"{e.function}({text}{', ' + rest if rest else ''})"

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
                if earlier.guard is not None and conditions.matches(conditions.from_row(earlier.condition), value):
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


def _exact_text(value: Decimal) -> str:
    """A value in full up to UNROUNDED_DIGITS places, else cut there and marked `…` (never rounded)."""
    text = decimal_text(value)
    whole, _, fraction = text.partition(".")
    if len(fraction) > UNROUNDED_DIGITS:
        return f"{whole}.{fraction[:UNROUNDED_DIGITS]}…"
    return text


def _citations_of(decl: Any) -> list[s.Citation]:
    """Every citation written in a declaration, its rows, cells and branches."""
    found: list[s.Citation] = []
    annotations = getattr(decl, "annotations", None)
    if annotations is not None:
        found += annotations.citations
    for part in list(getattr(decl, "rows", ()) or ()) + list(getattr(decl, "branches", ()) or ()):
        if getattr(part, "annotations", None) is not None:
            found += part.annotations.citations
    return found

