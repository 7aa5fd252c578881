"""Near-duplicate labels (K240): `"Sangat baik"` beside `"Sangat Baik"` is a typo, not a new label.

A table or quadrant without a declared type takes its labels from its cells,
so a misspelt cell silently creates a label no example, exception or
population rule knows. Among sibling labels — the results of one table (with
the exceptions and examples that name it), the cells and each axis of one
quadrant, the labels of one scale or enumeration — two that differ only

- in letter case (`Sangat baik` / `Sangat Baik`),
- in spacing (`Sangat  Baik`, a no-break space), or
- by one letter in one word of at least four letters (`Sangat Baek`),

are reported once, at the less-used spelling (counted over the whole
ruleset), naming where the other is written and suggesting it. Words that
differ in a digit or a one-letter word (`Golongan III/a`, `Level 2`) are
different labels, never a typo. With equal use neither spelling is
suggested. A `did you mean` elsewhere that would point at the less-used
spelling is dropped, and a spelling an error already names (an unknown label,
K203, with its own `did you mean`) gets no second finding (see `check`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.diagnostics.diagnostic import WARNING, Diagnostic, Suggestion, diagnostic
from kinerja.diagnostics.messages import Term
from kinerja.syntax import tree as s

MIN_WORD = 4  # letters a word needs before a one-letter difference in it reads as a typo
MAX_COMPARED = 2_000  # distinct labels of one group compared letter by letter (beyond: case and spacing only)
MAX_LETTERS = 80  # longer labels are compared for case and spacing only
_WORD = re.compile(r"[^\W\d_]+|\d+|\S", re.UNICODE)


@dataclass(frozen=True)
class _Use:
    label: str
    span: s.Span


def near_duplicates(module: s.Module) -> tuple[list[Diagnostic], dict[str, str]]:
    """K240 warnings, and the misspelling -> intended label of each (for other suggestions)."""
    near = [pair for group in _groups(module) for pair in _near_pairs(group)]
    if not near:
        return [], {}
    counts = Counter(label for label, _ in _all_labels(module))  # (walks the whole module: only when needed)
    found: list[Diagnostic] = []
    fixes: dict[str, str] = {}
    reported: set[tuple[str, str]] = set()
    for ua, ub in near:
        typo, other = (ua, ub) if _less_used(ua, ub, counts) else (ub, ua)
        if (typo.label, other.label) in reported:
            continue
        reported.add((typo.label, other.label))
        more_used = counts[other.label] > counts[typo.label]
        suggestion = Suggestion("did_you_mean_label", (("name", other.label),)) if more_used else None
        if more_used:
            fixes[typo.label] = other.label
        found.append(diagnostic("K240", typo.span, WARNING, suggestion, label=typo.label, other=other.label,
                                other_place=f"{other.span.line}:{other.span.column}",
                                difference=Term(_difference(typo.label, other.label))))  # fmt: skip
    return found, fixes


def drop_misleading(diagnostics: list[Diagnostic], fixes: dict[str, str]) -> list[Diagnostic]:
    """Other diagnostics' `did you mean "X"` where X is the less-used spelling of a near-duplicate pair."""
    if not fixes:
        return diagnostics
    kept = []
    for d in diagnostics:
        suggestion = d.suggestion
        if suggestion is not None and suggestion.code == "did_you_mean_label" and dict(suggestion.args).get("name") in fixes:
            d = dataclasses.replace(d, suggestion=None)
        kept.append(d)
    return kept


# ---------------------------------------------------------------- comparing two spellings


def _squeeze(label: str) -> str:
    return " ".join(label.split())


def _difference(a: str, b: str) -> str:
    if _squeeze(a) == _squeeze(b):
        return "W_diff_space"
    if _squeeze(a).casefold() == _squeeze(b).casefold():
        return "W_diff_case"
    return "W_diff_edit"


def _near(a: str, b: str) -> bool:
    """Case, spacing, or one letter in one long enough word: see the module's description."""
    if a == b:
        return False
    sa, sb = _squeeze(a).casefold(), _squeeze(b).casefold()
    if sa == sb:
        return True
    words_a, words_b = _WORD.findall(sa), _WORD.findall(sb)
    if len(words_a) != len(words_b):
        return False
    differing = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < MIN_WORD:
        return False
    return _one_edit(x, y)


def _one_edit(x: str, y: str) -> bool:
    """One letter inserted, removed, replaced, or two neighbours swapped."""
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        diff = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _less_used(a: _Use, b: _Use, counts: Counter[str]) -> bool:
    """Whether `a` is the spelling to report: used less, or as often and written later."""
    return counts[a.label] < counts[b.label] or (
        counts[a.label] == counts[b.label] and (a.span.line, a.span.column) > (b.span.line, b.span.column)
    )


def _near_pairs(group: list[_Use]) -> Iterator[tuple[_Use, _Use]]:
    """Each near pair of distinct labels in a group, by the first use of each."""
    first: dict[str, _Use] = {}
    for use in group:
        first.setdefault(use.label, use)
    labels = list(first)
    order = {label: at for at, label in enumerate(labels)}
    buckets: dict[str, list[str]] = {}
    for label in labels:
        buckets.setdefault(_squeeze(label).casefold(), []).append(label)
    candidates: set[tuple[str, str]] = set()
    for same in buckets.values():
        candidates.update((a, b) for i, a in enumerate(same) for b in same[i + 1 :])
    if len(labels) <= MAX_COMPARED:
        # one-letter neighbours meet on a shared deletion of one character (a symmetric-delete index)
        index: dict[str, set[str]] = {}
        for label in labels:
            squeezed = _squeeze(label).casefold()
            if len(squeezed) > MAX_LETTERS:
                continue
            # (only letters are deleted: a near pair differs by one letter of a word, never by a digit)
            for variant in {squeezed, *(squeezed[:i] + squeezed[i + 1 :] for i in range(len(squeezed)) if squeezed[i].isalpha())}:
                index.setdefault(variant, set()).add(label)
        for sharing in index.values():
            if 1 < len(sharing) <= 50:
                ordered = sorted(sharing, key=order.__getitem__)
                candidates.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    for a, b in sorted(candidates, key=lambda pair: (order[pair[0]], order[pair[1]])):
        if _near(a, b):
            yield first[a], first[b]


# ---------------------------------------------------------------- where labels are written


def _strings(expr: Any) -> Iterator[s.StringLit]:
    """The quoted labels an expression can produce (its results, not what it compares against)."""
    if isinstance(expr, s.StringLit):
        yield expr
    elif isinstance(expr, s.IfThenElse):
        yield from _strings(expr.then)
        yield from _strings(expr.otherwise)


def _groups(module: s.Module) -> Iterator[list[_Use]]:
    exceptions: dict[str, list[s.ExceptionDecl]] = {}
    for decl in module.of_kind(s.ExceptionDecl):
        exceptions.setdefault(decl.target, []).append(decl)
    expected: dict[str, list[_Use]] = {}
    for example in module.of_kind(s.ExampleDecl):
        for binding in example.expect:
            if isinstance(binding.value.value, str):
                expected.setdefault(binding.name, []).append(_Use(binding.value.value, binding.value.span))
    for decl in module.declarations:
        if isinstance(decl, s.TableDecl) and decl.declared_type is None:
            results = [_Use(x.value, x.span) for row in decl.rows for x in _strings(row.result)]
            yield results + _named_elsewhere(decl.name, exceptions, expected)
            yield [_Use(str(row.condition.value.value), row.condition.span) for row in decl.rows
                   if isinstance(row.condition, s.Equals) and isinstance(row.condition.value.value, str)]  # fmt: skip
        elif isinstance(decl, s.QuadrantDecl):
            if decl.declared_type is None:
                cells = [_Use(x.value, x.span) for row in decl.rows for cell in row.cells
                         if cell.value is not None for x in _strings(cell.value)]  # fmt: skip
                yield cells + _named_elsewhere(decl.name, exceptions, expected)
            yield [_Use(row.key.value, row.key.span) for row in decl.rows if isinstance(row.key, s.StringLit)]
            yield [_Use(key.value, key.span) for key in decl.columns if isinstance(key, s.StringLit)]
    for typ in _label_types(module):
        yield [_Use(label, typ.span) for label in typ.labels]


def _named_elsewhere(name: str, exceptions: dict[str, list[s.ExceptionDecl]], expected: dict[str, list[_Use]]) -> list[_Use]:
    uses = [_Use(x.value, x.span) for e in exceptions.get(name, []) for x in _strings(e.result)]
    return uses + expected.get(name, [])


def _label_types(module: s.Module) -> Iterator[s.EnumType | s.ScaleType]:
    todo: list[Any] = [d for d in module.declarations if isinstance(d, (s.TypeDecl, s.InputDecl, s.ValueDecl, s.TableDecl, s.QuadrantDecl))]
    while todo:
        node = todo.pop()
        if isinstance(node, (s.EnumType, s.ScaleType)):
            yield node
        elif isinstance(node, s.ListType):
            todo.extend(f.type for f in node.fields)
        elif isinstance(node, (s.TypeDecl, s.InputDecl)):
            todo.append(node.type)
        elif isinstance(node, (s.ValueDecl, s.TableDecl, s.QuadrantDecl)):
            declared = node.declared_type
            if declared is not None:
                todo.append(declared)


def _all_labels(module: s.Module) -> Iterator[tuple[str, s.Span]]:
    """Every label written anywhere (for the counts): quoted labels, literal values, type labels."""
    todo: list[Any] = [module.declarations]
    while todo:
        node = todo.pop()
        if isinstance(node, s.StringLit):
            yield node.value, node.span
        elif isinstance(node, s.LiteralValue) and isinstance(node.value, str):
            yield node.value, node.span
        elif isinstance(node, (s.EnumType, s.ScaleType)):
            yield from ((label, node.span) for label in node.labels)
        elif isinstance(node, s.ShareRule):
            yield from ((label, node.span) for label in node.labels)
        elif isinstance(node, s.DistributionCase):
            yield node.group_class, node.span
            todo.append(node.rules)
        elif isinstance(node, (tuple, list)):
            todo.extend(node)
        elif not isinstance(node, _LEAVES) and dataclasses.is_dataclass(node):
            todo.extend(getattr(node, name) for name in _field_names(type(node)))


_LEAVES = (str, Decimal, bool, int, type(None), s.Span, s.Citation, s.Note, s.Annotations)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.name != "span")
