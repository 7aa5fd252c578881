"""Population rules: does each unit's distribution of a label output follow the curve?

A ruleset's `distribution NAME of OUTPUT by CLASS` declares, for every class of
unit (the unit's predikat kinerja organisasi), bounds on the share of labels
among the unit's employees. Given every row's unit, class and computed label,
this module reports, per unit and rule, whether the rule holds and by how
many employees a bound is missed. It only reads results: an individual's
predikat is never changed here.

Shares are compared exactly, in integers and Decimals: `share "X" <= 70%` holds
when count(X) <= 0.70 × n. "Missed by" is the number of employees who would
have to carry another label (too many) or this label (too few) for the bound
to hold, the unit's size staying the same. For `most` two figures are given: the
employees the label would need in addition (`missed_by`), and the least number of
employees whose rating would have to change to that label for the rule to hold
(`rerate_by`, moving them from the labels that lead) — the figure an officer acts on.

Percentages are written with the language's decimal separator (2,5% in Indonesian, 2.5%
in English), as `kinerja explain` writes numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from itertools import compress
from operator import not_
from typing import Any

from kinerja.diagnostics.messages import default_language, message
from kinerja.semantics.values import decimal_text
from kinerja.syntax import tree as s

INVALID_IDS_KEPT = 100  # per unit: enough to find them, bounded whatever the population size

OK, VIOLATES = "conforms", "violates"
NO_CLASS, CONFLICT, NO_RULE, EMPTY = "no_class", "class_conflict", "no_rule", "no_valid_rows"


@dataclass(frozen=True)
class RuleCheck:
    kind: str  # bound, most, count (as in syntax.ShareRule)
    labels: tuple[str, ...]
    op: str | None
    amount: Decimal | None
    count: int  # employees of the unit carrying one of `labels`
    total: int  # valid employees of the unit
    conforms: bool
    missed_by: int  # employees too many (an upper bound) or too few; 0 when the rule holds
    citations: tuple[str, ...]
    other: str | None = None  # for `most`: the label with the largest share when it is not ours
    other_count: int = 0
    rerate_by: int = 0  # for `most`: the fewest employees re-rated to our labels for the rule to hold

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "rule": self.rule_text(), "kind": self.kind, "labels": list(self.labels), "op": self.op,
            "amount": self.amount, "count": self.count, "total": self.total, "conforms": self.conforms,
            "missed_by": self.missed_by, "rerate_by": self.rerate_by, "direction": self.direction,
            "citations": list(self.citations),
            "text": self.render(lang),
        }  # fmt: skip

    @property
    def direction(self) -> str | None:
        if self.conforms:
            return None
        return "too_many" if self.kind == "bound" and self.op in ("<=", "<") else "too_few"

    def rule_text(self) -> str:
        labels = " + ".join(f'"{x}"' for x in self.labels)
        if self.kind == "most":
            return f"most {labels}"
        if self.kind == "count":
            return f"at least {decimal_text(self.amount or Decimal(0))} of {labels}"
        return f"share {labels} {self.op} {_percent(self.amount or Decimal(0))}"

    def render(self, lang: str | None = None) -> str:
        labels = " + ".join(self.labels)
        employees = message("B_EMPLOYEE" if self.missed_by == 1 else "B_EMPLOYEES", lang)
        common = {"labels": labels, "count": self.count, "total": self.total, "missed": self.missed_by,
                  "employees": employees}  # fmt: skip
        if self.kind == "most":
            code = "B_POP_MOST_OK" if self.conforms else "B_POP_MOST_BAD"
            rerated = message("B_EMPLOYEE" if self.rerate_by == 1 else "B_EMPLOYEES", lang)
            return message(code, lang, other=self.other, other_count=self.other_count, rerate=self.rerate_by,
                           rerated=rerated, **common)  # fmt: skip
        if self.kind == "count":
            code = "B_POP_COUNT_OK" if self.conforms else "B_POP_COUNT_BAD"
            return message(code, lang, amount=decimal_text(self.amount or Decimal(0)), **common)
        share = Decimal(self.count) * 100 / Decimal(self.total) if self.total else Decimal(0)
        percent = _local(decimal_text(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)) + "%", lang)
        limit = _local(_percent(self.amount or Decimal(0)), lang)
        if self.conforms:
            sign = {"<=": "≤", ">=": "≥"}.get(self.op or "", self.op or "")
            return message("B_POP_SHARE_OK", lang, percent=percent, sign=sign, limit=limit, **common)
        sign = {"<=": ">", "<": "≥", ">=": "<", ">": "≤"}[self.op or "<="]
        code = "B_POP_SHARE_HIGH" if self.direction == "too_many" else "B_POP_SHARE_LOW"
        return message(code, lang, percent=percent, sign=sign, limit=limit, **common)


@dataclass(frozen=True)
class GroupReport:
    group: str
    klass: str | None  # the unit's class (the distribution's `by` input), when its rows agree
    classes: dict[str, int]  # every class its valid rows gave, with how many rows
    status: str  # conforms, violates, no_class, class_conflict, no_rule, no_valid_rows
    total: int
    counts: dict[str, int]
    checks: tuple[RuleCheck, ...]
    invalid: int
    invalid_ids: tuple[Any, ...]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "group": self.group, "class": self.klass, "classes": dict(self.classes), "status": self.status,
            "total": self.total, "counts": dict(self.counts),
            "checks": [c.to_dict(lang) for c in self.checks],
            "invalid": {"count": self.invalid, "ids": list(self.invalid_ids)},
        }  # fmt: skip


@dataclass(frozen=True)
class DistributionReport:
    name: str
    output: str
    by: str
    group_by: str
    groups: tuple[GroupReport, ...]
    assessable: bool = True  # False when the rule's output is not one of the ruleset's outputs

    def tally(self) -> dict[str, int]:
        found = Counter(g.status for g in self.groups)
        return {"groups": len(self.groups), "conforms": found[OK], "violates": found[VIOLATES],
                "not_assessed": len(self.groups) - found[OK] - found[VIOLATES]}  # fmt: skip

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"distribution": self.name, "output": self.output, "by": self.by, "group_by": self.group_by,
                "assessable": self.assessable, "summary": self.tally(),
                "groups": [g.to_dict(lang) for g in self.groups]}  # fmt: skip

    def render(self, lang: str | None = None, limit: int = 20) -> str:
        lines = [message("B_POP_TITLE", lang, name=self.name, output=self.output, by=self.by, group_by=self.group_by)]
        if not self.assessable:
            lines.append("  " + message("B_POP_NOT_OUTPUT", lang, output=self.output, name=self.name))
            return "\n".join(lines)
        tally = self.tally()
        lines.append(message("B_POP_SUMMARY", lang, groups=tally["groups"], ok=tally["conforms"],
                             bad=tally["violates"], unknown=tally["not_assessed"]))  # fmt: skip
        for group in self.groups:
            lines.append("")
            lines += _render_group(group, self.by, lang, limit)
        return "\n".join(lines)


@dataclass(frozen=True)
class PopulationReport:
    group_by: str
    distributions: tuple[DistributionReport, ...]
    counts_output: str | None  # with no distribution rule: the label output counted per unit
    counts: dict[str, dict[str, int]]  # unit -> label -> count (used when there is no rule)
    ruleset: str

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"group_by": self.group_by, "distributions": [d.to_dict(lang) for d in self.distributions],
                "counts_output": self.counts_output, "counts": self.counts}  # fmt: skip

    def render(self, lang: str | None = None) -> str:
        if self.distributions:
            return "\n\n".join(d.render(lang) for d in self.distributions)
        lines = [message("B_POP_NONE", lang, ruleset=self.ruleset)]
        for group, counts in self.counts.items():
            shown = ", ".join(f"{k}: {v}" for k, v in counts.items())
            lines.append(f"  {group or message('B_POP_EMPTY_GROUP', lang)}: {shown}")
        return "\n".join(lines)


def _render_group(group: GroupReport, by: str, lang: str | None, limit: int) -> list[str]:
    name = group.group or message("B_POP_EMPTY_GROUP", lang)
    if group.status == NO_CLASS:
        status = message("B_POP_NO_CLASS", lang, by=by)
    elif group.status == CONFLICT:
        status = message("B_POP_CONFLICT", lang, by=by, classes=", ".join(f"{k}: {v}" for k, v in group.classes.items()))
    elif group.status == NO_RULE:
        status = message("B_POP_NO_RULE", lang, klass=group.klass)
    elif group.status == EMPTY:
        status = message("B_POP_EMPTY", lang)
    else:
        status = message("B_POP_OK" if group.status == OK else "B_POP_BAD", lang)
    lines = [message("B_POP_GROUP", lang, group=name, klass=group.klass or "-", total=group.total, status=status)]
    for check in group.checks:
        mark = "  ok " if check.conforms else "  ✗  "
        lines.append(f"{mark}{check.render(lang)}")
        for citation in check.citations[:1]:
            lines.append(f"       § {citation}")
    if group.invalid:
        shown = ", ".join(str(i) for i in group.invalid_ids[:limit])
        hidden = group.invalid - min(len(group.invalid_ids), limit)
        more = message("B_POP_MORE", lang, count=hidden) if hidden > 0 else ""
        lines.append("  " + message("B_POP_INVALID", lang, count=group.invalid, ids=shown, more=more))
    return lines


def _percent(amount: Decimal) -> str:
    return decimal_text(amount * 100) + "%"


def _local(number: str, lang: str | None) -> str:
    """A number as the language writes it: a decimal comma in Indonesian."""
    return number.replace(".", ",") if (lang or default_language()) == "id" else number


def least_rerating(count: int, others: Counter[str] | dict[str, int]) -> int:
    """The fewest employees moved from other labels to ours so that ours is strictly the largest.

    Each move takes one from the currently largest other label (the best move: it lowers the
    leader and raises ours at once).
    """
    import heapq

    heap = [-n for n in others.values() if n > 0]
    heapq.heapify(heap)
    moved = 0
    while heap and count <= -heap[0]:
        top = -heapq.heappop(heap)
        count += 1
        moved += 1
        if top - 1 > 0:
            heapq.heappush(heap, -(top - 1))
    return moved


def check_rule(rule: s.ShareRule, counts: Counter[str], total: int, citations: tuple[str, ...]) -> RuleCheck:
    """One rule against one unit's counts of labels (valid rows only)."""
    count = sum(counts.get(label, 0) for label in rule.labels)
    if rule.kind == "most":
        others = [(n, label) for label, n in counts.items() if label not in rule.labels]
        top, other = max(others, default=(0, None))
        # "most X": X holds strictly the largest share; a tie is not "most"
        missed = 0 if count > top else top - count + 1
        rerate = least_rerating(count, Counter({label: n for n, label in others})) if missed else 0
        return RuleCheck("most", rule.labels, None, None, count, total, missed == 0, missed, citations,
                         other if missed else None, top if missed else 0, rerate)  # fmt: skip
    amount = rule.amount if rule.amount is not None else Decimal(0)
    if rule.kind == "count":
        missed = max(int(amount) - count, 0)
        return RuleCheck("count", rule.labels, ">=", amount, count, total, missed == 0, missed, citations)
    limit = amount * total  # exact: a declared decimal fraction times an integer
    op = rule.op or "<="
    if op == "<=":
        missed = max(count - int(limit.to_integral_value(rounding=ROUND_FLOOR)), 0)
    elif op == "<":
        missed = max(count - (int(limit.to_integral_value(rounding=ROUND_CEILING)) - 1), 0)
    elif op == ">=":
        missed = max(int(limit.to_integral_value(rounding=ROUND_CEILING)) - count, 0)
    else:
        missed = max(int(limit.to_integral_value(rounding=ROUND_FLOOR)) + 1 - count, 0)
    return RuleCheck("bound", rule.labels, op, amount, count, total, missed == 0, missed, citations)


def _citations(regulation: str, *annotations: s.Annotations) -> tuple[str, ...]:
    """The rule's own citations, else its case's, else the distribution's."""
    for found in annotations:
        if found.citations:
            return tuple(f"{c.regulation or regulation} {c.text}".strip() for c in found.citations)
    return ()


class PopulationTally:
    """Accumulates, chunk by chunk, per unit: labels of valid rows, classes, invalid row ids."""

    def __init__(self, module: s.Module, group_by: str, output_names: Sequence[str], counts_output: str | None):
        self.module = module
        self.group_by = group_by
        self.distributions = tuple(module.of_kind(s.DistributionDecl))
        self.outputs = set(output_names)
        self.counts_output = counts_output
        self.labels: dict[str, Counter[tuple[str, str]]] = {}  # output -> (unit, label) -> n
        self.classes: dict[str, Counter[tuple[str, str]]] = {}  # class input -> (unit, class) -> n
        self.units: dict[str, None] = {}  # every unit, in order of first appearance
        self.invalid: Counter[str] = Counter()
        self.invalid_ids: dict[str, list[Any]] = {}

    def label_outputs(self) -> list[str]:
        names = [d.output for d in self.distributions if d.output in self.outputs]
        if not self.distributions and self.counts_output:
            names.append(self.counts_output)
        return list(dict.fromkeys(names))

    def class_inputs(self) -> list[str]:
        return list(dict.fromkeys(d.class_input for d in self.distributions))

    def add(self, units: Sequence[str], ok: Sequence[bool], ids: Sequence[Any],
            labels: dict[str, Sequence[str]], classes: dict[str, Sequence[str]]) -> None:  # fmt: skip
        """One chunk: the unit of each row, whether it is valid, its id, its labels and class texts."""
        self.units.update(dict.fromkeys(units))  # new units keep their order of first appearance
        everything = all(ok)
        if not everything:
            for index in compress(range(len(ok)), map(not_, ok)):
                unit = units[index]
                self.invalid[unit] += 1
                kept = self.invalid_ids.setdefault(unit, [])
                if len(kept) < INVALID_IDS_KEPT:
                    kept.append(ids[index])
        for name, values in labels.items():
            pairs = zip(units, values, strict=True)
            self.labels.setdefault(name, Counter()).update(pairs if everything else compress(pairs, ok))
        for name, values in classes.items():
            pairs = zip(units, map(str.strip, values), strict=True)
            self.classes.setdefault(name, Counter()).update(pairs if everything else compress(pairs, ok))

    def report(self) -> PopulationReport:
        regulation = self.module.header.regulation
        reports = []
        for decl in self.distributions:
            if decl.output not in self.outputs:
                reports.append(DistributionReport(decl.name, decl.output, decl.class_input, self.group_by, (), False))
                continue
            per_unit = _split(self.labels.get(decl.output, Counter()))
            classes = _split(self.classes.get(decl.class_input, Counter()))
            cases = {case.group_class: case for case in decl.cases}
            groups = []
            for unit in self.units:
                counts = per_unit.get(unit, Counter())
                total = sum(counts.values())
                found = {k: v for k, v in classes.get(unit, Counter()).items() if k != ""}
                klass = next(iter(found)) if len(found) == 1 else None
                checks: list[RuleCheck] = []
                if total == 0:
                    status = EMPTY
                elif len(found) > 1:
                    status = CONFLICT
                elif klass is None:
                    status = NO_CLASS
                elif klass not in cases:
                    status = NO_RULE
                else:
                    case = cases[klass]
                    checks = [check_rule(rule, counts, total, _citations(regulation, rule.annotations, case.annotations, decl.annotations))
                              for rule in case.rules]  # fmt: skip
                    status = OK if all(c.conforms for c in checks) else VIOLATES
                groups.append(GroupReport(unit, klass, found, status, total, dict(counts), tuple(checks),
                                          self.invalid[unit], tuple(self.invalid_ids.get(unit, ()))))  # fmt: skip
            reports.append(DistributionReport(decl.name, decl.output, decl.class_input, self.group_by, tuple(groups)))
        counts: dict[str, dict[str, int]] = {}
        if not self.distributions and self.counts_output:
            per_unit = _split(self.labels.get(self.counts_output, Counter()))
            counts = {unit: dict(per_unit.get(unit, Counter())) for unit in self.units}
        return PopulationReport(self.group_by, tuple(reports), self.counts_output, counts,
                                f"{self.module.header.id}@{self.module.header.version}")  # fmt: skip


def _split(pairs: Counter[tuple[str, str]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for (unit, value), n in pairs.items():
        out.setdefault(unit, Counter())[value] += n
    return out


__all__ = ["DistributionReport", "GroupReport", "PopulationReport", "PopulationTally", "RuleCheck", "check_rule"]
