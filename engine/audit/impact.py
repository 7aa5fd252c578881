"""Impact of a new version on a population: both versions evaluated on every row.

Rows are mappings of text (CSV, spreadsheets) or JSON values; columns a
version does not declare (an id, a unit, an input the other version has) are
left out of that version's record. A row invalid under a version (a bad value,
a missing input, an evaluation error) is counted and listed with its problems,
never dropped: in the transition matrix it goes from or to "invalid", so the
counts always sum to the number of rows.

A row has *changed* when it is valid under both versions and an output both
versions have differs, or when it is valid under exactly one of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import Result, RulesetRef
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text
from kinerja.syntax import tree as s

INVALID = "invalid"


@dataclass
class InvalidRow:
    id: Any
    old: list[str] | None  # the problems under the old version, None when valid there
    new: list[str] | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "old": self.old, "new": self.new}


@dataclass
class ImpactReport:
    old: RulesetRef
    new: RulesetRef
    output: str | None  # the label output the transitions are over (predikat)
    new_output: str | None
    rows: int = 0
    changed: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    changed_ids: list[Any] = field(default_factory=list)
    invalid: list[InvalidRow] = field(default_factory=list)
    label_order: dict[str, int] = field(default_factory=dict)

    @property
    def invalid_old(self) -> int:
        return sum(1 for r in self.invalid if r.old is not None)

    @property
    def invalid_new(self) -> int:
        return sum(1 for r in self.invalid if r.new is not None)

    def transition_list(self) -> list[dict[str, Any]]:
        def rank(label: str) -> tuple[int, str]:
            return (self.label_order.get(label, len(self.label_order) + (1 if label == INVALID else 0)), label)

        ordered = sorted(self.transitions.items(), key=lambda item: (rank(item[0][0]), rank(item[0][1])))
        return [{"from": a, "to": b, "count": n} for (a, b), n in ordered]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "output": self.output,
            "rows": self.rows,
            "changed": self.changed,
            "transitions": self.transition_list(),
            "changed_ids": list(self.changed_ids),
            "invalid": {
                "old": self.invalid_old,
                "new": self.invalid_new,
                "either": len(self.invalid),
                "rows": [r.to_dict() for r in self.invalid],
            },
        }

    def render(self, lang: str | None = None, limit: int = 50) -> str:
        lines = [
            message("X_IMPACT_TITLE", lang, old=f"{self.old.id}@{self.old.version}", new=f"{self.new.id}@{self.new.version}"),
            message("X_IMPACT_SUMMARY", lang, rows=self.rows, changed=self.changed, invalid=len(self.invalid),
                    invalid_old=self.invalid_old, invalid_new=self.invalid_new),  # fmt: skip
            "",
            message("X_IMPACT_MATRIX", lang, output=self.output or "-"),
        ]
        transitions = self.transition_list()

        def shown(label: object) -> str:  # the JSON keeps "invalid"; a person reads it in their language
            return message("X_WORD_INVALID", lang) if label == INVALID else str(label)

        width = max([len(shown(x["from"])) for x in transitions] + [4])
        for x in transitions:
            mark = "" if x["from"] == x["to"] else "  *"
            lines.append(f"  {shown(x['from']).ljust(width)} → {shown(x['to'])}: {x['count']}{mark}")
        if self.changed_ids:
            shown = ", ".join(str(i) for i in self.changed_ids[:limit])
            more = message("X_IMPACT_MORE", lang, count=len(self.changed_ids) - limit) if len(self.changed_ids) > limit else ""
            lines += ["", message("X_IMPACT_CHANGED_IDS", lang, ids=shown, more=more)]
        if self.invalid:
            lines += ["", message("X_IMPACT_INVALID", lang, count=len(self.invalid))]
            for row in self.invalid[:limit]:
                for side, problems in (("old", row.old), ("new", row.new)):
                    if problems is not None:
                        version = self.old if side == "old" else self.new
                        lines.append(f"  {row.id} [{version.id}@{version.version}]: {'; '.join(problems)}")
            if len(self.invalid) > limit:
                lines.append("  " + message("X_IMPACT_MORE", lang, count=len(self.invalid) - limit).strip())
        return "\n".join(lines)


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


def _outcome(ruleset: Ruleset, names: frozenset[str], row: Mapping[str, Any], lang: str | None) -> Result | list[str]:
    record = {k: v for k, v in row.items() if k in names}
    try:
        return ruleset.evaluate(record, trace=False, text_values=True)
    except KinerjaError as error:
        return [d.text(lang) for d in error.diagnostics]


def impact(old: Ruleset, new: Ruleset, rows: Iterable[Mapping[str, Any]], id_column: str | None = None,
           lang: str | None = None) -> ImpactReport:  # fmt: skip
    """Evaluate both versions on every row; the transition matrix of the first label output."""
    old_output, new_output = first_label_output(old), first_label_output(new)
    report = ImpactReport(old.ref, new.ref, old_output, new_output)
    order: list[str] = []
    for ruleset, name in ((old, old_output), (new, new_output)):
        found = ruleset.checked.types.get(name) if name else None
        if isinstance(found, t.LabelT):
            order += [x for x in found.labels if x not in order]
    report.label_order = {label: i for i, label in enumerate(order)}
    common = [n for n in old.output_names if n in new.output_names]
    old_names, new_names = frozenset(old.input_names), frozenset(new.input_names)
    for number, row in enumerate(rows, start=1):
        report.rows += 1
        row_id = row.get(id_column) if id_column else None
        if row_id is None or row_id == "":
            row_id = number
        a = _outcome(old, old_names, row, lang)
        b = _outcome(new, new_names, row, lang)
        a_ok, b_ok = isinstance(a, Result), isinstance(b, Result)
        before = _label(a.outputs.get(old_output)) if isinstance(a, Result) and old_output else INVALID
        after = _label(b.outputs.get(new_output)) if isinstance(b, Result) and new_output else INVALID
        report.transitions[(before, after)] += 1
        if not (a_ok and b_ok):
            report.invalid.append(InvalidRow(row_id, None if a_ok else a, None if b_ok else b))  # type: ignore[arg-type]
        if a_ok != b_ok:
            changed = True
        elif a_ok and b_ok:
            assert isinstance(a, Result) and isinstance(b, Result)
            changed = any(a.outputs.get(n) != b.outputs.get(n) for n in common) or (
                old_output is not None and new_output is not None and before != after
            )  # fmt: skip
        else:
            changed = False
        if changed:
            report.changed += 1
            report.changed_ids.append(row_id)
    return report


def _label(value: Any) -> str:
    return value if isinstance(value, str) else value_text(value)
