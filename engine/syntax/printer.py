"""Syntax back to text: expressions, literals and conditions in the canonical layout.

Used by the formatter, by traces and explanations (the formula as written),
and by the documents.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kinerja.semantics.values import literal_text
from kinerja.syntax import tree as s

# Binding strength of each operator; an operand weaker than its place needs parentheses.
_PRECEDENCE = {"or": 1, "and": 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(value: Decimal, percent: bool = False) -> str:
    if percent:
        return literal_text(value * 100) + "%"
    return literal_text(value)


def literal(value: Any) -> str:
    if value is None:  # `expect x = none`
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return literal_text(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, tuple):  # a list of records
        records = ["{" + ", ".join(f"{k} = {literal(v.value)}" for k, v in record) + "}" for record in value]
        return "[" + ", ".join(records) + "]"
    raise TypeError(value)


def condition(cond: s.Condition) -> str:
    if isinstance(cond, s.Otherwise):
        return "otherwise"
    if isinstance(cond, s.Equals):
        return "= " + literal(cond.value.value)
    low, high = cond.low, cond.high
    if low is not None and high is not None and low == high and cond.low_closed and cond.high_closed:
        return "= " + literal_text(low)
    if low is None and high is not None:
        return ("<= " if cond.high_closed else "< ") + literal_text(high)
    if high is None and low is not None:
        return (">= " if cond.low_closed else "> ") + literal_text(low)
    if low is None and high is None:
        return "otherwise"
    assert low is not None and high is not None
    return f"{'[' if cond.low_closed else '('}{literal_text(low)}, {literal_text(high)}{']' if cond.high_closed else ')'}"


def expr(e: s.Expr, show_name: Callable[[s.Expr], str | None] | None = None, place: int = 0) -> str:
    """An expression as text that parses back to exactly this tree: the formatter's, the trace's, the documents'.

    Every operator is left-associative and comparisons do not chain, so a right operand of
    equal strength and any comparison inside a comparison keep their parentheses.
    `show_name` may replace a name or member by its value (a formula with the values put in).
    """
    if show_name is not None and isinstance(e, (s.Name, s.Member)):
        shown = show_name(e)
        if shown is not None:
            return shown
    if isinstance(e, s.NumberLit):
        return number(e.value, e.percent)
    if isinstance(e, s.StringLit):
        return quote(e.value)
    if isinstance(e, s.BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, s.Name):
        return e.name
    if isinstance(e, s.Member):
        return f"{expr(e.subject, show_name, 8)}.{e.field_name}"
    if isinstance(e, s.Unary):
        if e.op == "not":
            return _wrap("not " + expr(e.operand, show_name, 3), place > 3)
        return _wrap("-" + expr(e.operand, show_name, 7), place > 7)
    if isinstance(e, s.Binary):
        level = _PRECEDENCE[e.op]
        op = "×" if e.op == "*" else e.op
        left_place = level + 1 if level == 4 else level
        text = f"{expr(e.left, show_name, left_place)} {op} {expr(e.right, show_name, level + 1)}"
        return _wrap(text, place > level)
    if isinstance(e, s.IfThenElse):
        text = f"if {expr(e.condition, show_name)} then {expr(e.then, show_name)} else {expr(e.otherwise, show_name)}"
        return _wrap(text, place > 0)
    if isinstance(e, s.Call):
        if e.function == "given":  # the question is whether the name was given, not its value
            return f"given({', '.join(expr(a) for a in e.args)})"
        return f"{e.function}(" + ", ".join(expr(a, show_name) for a in e.args) + ")"
    if isinstance(e, s.Aggregate):
        text = f"{e.function}({expr(e.item, show_name)}"
        if e.weight is not None:
            text += f" by {expr(e.weight, show_name)}"
        text += f" for {e.variable} in {expr(e.source, show_name)}"
        if e.where is not None:
            text += f" where {expr(e.where, show_name)}"
        if e.keys is not None:
            text += " by " + ", ".join(expr(k, show_name) for k in e.keys)
        return text + ")"
    if isinstance(e, s.ListLit):
        return "[" + ", ".join(expr(x, show_name) for x in e.items) + "]"
    raise TypeError(e)


def _wrap(text: str, needed: bool) -> str:
    return f"({text})" if needed else text


def free_names(e: s.Expr, bound: frozenset[str] = frozenset()) -> list[str]:
    """Top-level names an expression reads, in order of first use."""
    found: list[str] = []

    def walk(x: s.Expr, inner: frozenset[str]) -> None:
        if isinstance(x, s.Name):
            if x.name not in inner and x.name not in found:
                found.append(x.name)
        elif isinstance(x, s.Member):
            walk(x.subject, inner)
        elif isinstance(x, s.Unary):
            walk(x.operand, inner)
        elif isinstance(x, s.Binary):
            walk(x.left, inner)
            walk(x.right, inner)
        elif isinstance(x, s.IfThenElse):
            walk(x.condition, inner)
            walk(x.then, inner)
            walk(x.otherwise, inner)
        elif isinstance(x, s.Call):
            if x.function == "round" and len(x.args) == 3:
                walk(x.args[0], inner)
                walk(x.args[1], inner)
            else:
                for a in x.args:
                    walk(a, inner)
        elif isinstance(x, s.Aggregate):
            walk(x.source, inner)
            deeper = inner | {x.variable}
            walk(x.item, deeper)
            if x.weight is not None:
                walk(x.weight, deeper)
            if x.where is not None:
                walk(x.where, deeper)
            for key in x.keys or ():
                walk(key, deeper)
        elif isinstance(x, s.ListLit):
            for item in x.items:
                walk(item, inner)

    walk(e, bound)
    return found
