"""Impact of a new version on a population: both versions evaluated on every row.

Rows are mappings of text (CSV, spreadsheets) or JSON values; columns a
version does not declare (an id, a unit, an input the other version has) are
left out of that version's record, and `column_map` reads an input from another
column (as `kinerja batch --map`). A row invalid under a version (a bad value,
a missing input, an evaluation error) is counted and listed with its problems,
never dropped: in a transition matrix it goes from or to "invalid", so the
counts always sum to the number of rows.

A row has *changed* when it is valid under both versions and an output both
versions have differs, or when it is valid under exactly one of them.

Every output both versions have is compared (or those named): labels as a
transition matrix, numbers as the distribution of their change (see
`figures`). With a group column, each group gets the same figures and the
distribution-curve check of both versions. Every person who moved is
attributed to the items of the semantic diff that moved them (see
`attribution`), and a few typical people per kind of move are kept for the
report, to be explained side by side.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja.audit.attribution import Attributor
from kinerja.audit.diff import Change, DiffReport, diff
from kinerja.audit.figures import (
    BANDS,
    DOWN,
    INVALID,
    NUMBER,
    SAME,
    UP,
    OutputFigures,
    OutputTally,
    direction,
    label_order,
    output_kind,
    plain,
)
from kinerja.audit.people import PersonTable
from kinerja.audit.population import OK, VIOLATES, PopulationReport, PopulationTally
from kinerja.audit.wording import count_text, number_text, signed_text
from kinerja.diagnostics.diagnostic import CodedError, InputError, KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import Result, RulesetRef
from kinerja.library.ruleset import Ruleset, first_label_output
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text

__all__ = ["INVALID", "ImpactReport", "ImpactUsageError", "first_label_output", "impact"]

TYPICAL_KEPT = 25  # people kept per kind of move, to choose a typical one from (a seeded reservoir)
TYPICAL_SHOWN = 4  # kinds of move whose typical person the report explains


class ImpactUsageError(CodedError):
    """The command was asked something it cannot do (a column not in the population, an unknown output)."""


@dataclass(frozen=True)
class InvalidRow:
    id: Any
    old: list[str] | None  # the problems under the old version, None when valid there
    new: list[str] | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class GroupFigures:
    """One group's (unit's) rows: how many moved, and how, per output."""

    group: str
    rows: int
    changed: int
    invalid: int
    moves: dict[str, Counter[str]]  # output -> band or direction -> people (valid under both)

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "rows": self.rows, "changed": self.changed, "invalid": self.invalid,
                "moves": {name: dict(moves) for name, moves in self.moves.items()}}  # fmt: skip


@dataclass(frozen=True)
class AttributionItem:
    """One item of the semantic diff and the people it moved, per output and direction."""

    index: int  # 0-based in the diff's changes; the diff's JSON `id` is index + 1
    change: Change
    people: int
    moves: Counter[tuple[str, str]]  # (output, up/down/changed/invalid) -> people

    def sentences(self, lang: str | None) -> list[str]:
        cites = "; ".join(self.change.new_citations or self.change.old_citations) or message("X_WORD_NONE", lang)
        out = []
        for (output, way), count in sorted(self.moves.items(), key=lambda x: (-x[1], x[0])):
            if way == "invalid":
                out.append(message("X_ATTR_INVALID", lang, item=self.change.text(lang), citations=cites, count=count_text(count, lang)))
                continue
            out.append(message("X_ATTR_SENTENCE", lang, item=self.change.text(lang), citations=cites,
                               count=count_text(count, lang), way=message(f"X_WAY_{way.upper()}", lang), output=output))  # fmt: skip
        return out

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "id": self.index + 1, "kind": self.change.kind, "subject": self.change.subject,
            "message": self.change.text(lang), "old_citations": list(self.change.old_citations),
            "new_citations": list(self.change.new_citations), "people": self.people,
            "moves": [{"output": o, "direction": w, "count": n} for (o, w), n in sorted(self.moves.items())],
            "sentences": self.sentences(lang),
        }  # fmt: skip


@dataclass(frozen=True)
class TypicalCase:
    """A person typical of one kind of move: the median of a seeded sample of that kind."""

    id: Any
    kind: tuple[tuple[str, str], ...]  # (output, direction) of the move
    items: tuple[int, ...]  # diff item indices that moved them
    people: int  # how many people moved this way
    old_result: Result = field(compare=False, repr=False)
    new_result: Result = field(compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "people": self.people, "items": [i + 1 for i in self.items],
                "moves": [{"output": o, "direction": w} for o, w in self.kind],
                "old": {k: _json_value(v) for k, v in self.old_result.outputs.items()},
                "new": {k: _json_value(v) for k, v in self.new_result.outputs.items()}}  # fmt: skip


def _json_value(value: Any) -> Any:
    return None if plain(value) == "-" else value


@dataclass(frozen=True)
class ImpactReport:
    old: RulesetRef
    new: RulesetRef
    output: str | None  # the label output the headline transitions are over (predikat)
    new_output: str | None
    rows: int = 0
    changed: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    changed_ids: list[Any] = field(default_factory=list)
    invalid: list[InvalidRow] = field(default_factory=list)
    label_order: dict[str, int] = field(default_factory=dict)
    outputs: tuple[OutputFigures, ...] = ()
    only_old: tuple[str, ...] = ()  # outputs the new version no longer has
    only_new: tuple[str, ...] = ()
    group_by: str | None = None
    groups: tuple[GroupFigures, ...] = ()
    population_old: PopulationReport | None = None
    population_new: PopulationReport | None = None
    diff: DiffReport | None = None
    attribution: tuple[AttributionItem, ...] = ()
    unexplained: int = 0  # people who moved that no rule item explains (should be 0)
    typical: tuple[TypicalCase, ...] = ()
    command: str | None = None  # the command line that reproduces the report
    notes: tuple[str, ...] = ()  # which version --as-of chose, and why
    old_ruleset: Ruleset | None = field(default=None, compare=False, repr=False)
    new_ruleset: Ruleset | None = field(default=None, compare=False, repr=False)

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

    def figures(self, name: str) -> OutputFigures | None:
        return next((f for f in self.outputs if f.name == name), None)

    def main_output(self) -> OutputFigures | None:
        """The output the headline speaks of: the one that moved most people (the label output on a tie)."""
        if not self.outputs:
            return None
        return max(self.outputs, key=lambda f: (f.changed, f.name == self.output))

    def headline(self, lang: str | None = None) -> str:
        """One sentence: how many moved, which way, and the change that moved most of them."""
        parts = [message("X_HEAD_ROWS", lang, changed=count_text(self.changed, lang), rows=count_text(self.rows, lang))]
        moved = sorted((f for f in self.outputs if f.changed), key=lambda f: -f.changed)
        for figures in moved[:3]:
            parts.append(_output_phrase(figures, lang))
        if not moved and self.outputs:
            parts.append(message("X_HEAD_NONE_MOVED", lang))
        if self.invalid:
            parts.append(message("X_HEAD_INVALID", lang, count=count_text(len(self.invalid), lang)))
        if self.attribution:
            top = self.attribution[0]
            cites = "; ".join(top.change.new_citations or top.change.old_citations)
            parts.append(message("X_HEAD_CAUSE", lang, item=top.change.text(lang), citations=cites,
                                 count=count_text(top.people, lang)))  # fmt: skip
        return " ".join(parts)

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
            "headline": self.headline(lang),
            "outputs": [f.to_dict() for f in self.outputs],
            "only_old": list(self.only_old),
            "only_new": list(self.only_new),
            "group_by": self.group_by,
            "groups": [g.to_dict() for g in self.groups],
            "population": {
                "old": self.population_old.to_dict(lang) if self.population_old is not None else None,
                "new": self.population_new.to_dict(lang) if self.population_new is not None else None,
            },
            "attribution": [a.to_dict(lang) for a in self.attribution],
            "unexplained": self.unexplained,
            "typical": [c.to_dict() for c in self.typical],
            "diff": self.diff.to_dict(lang) if self.diff is not None else None,
            "command": self.command,
            "notes": list(self.notes),
        }

    def render(self, lang: str | None = None, limit: int = 50) -> str:
        lines = [
            message("X_IMPACT_TITLE", lang, old=f"{self.old.id}@{self.old.version}", new=f"{self.new.id}@{self.new.version}"),
            message("X_DIFF_FINGERPRINTS", lang, old=self.old.fingerprint, new=self.new.fingerprint),
            *self.notes,
            message("X_IMPACT_SUMMARY", lang, rows=count_text(self.rows, lang), changed=count_text(self.changed, lang),
                    invalid=count_text(len(self.invalid), lang), invalid_old=count_text(self.invalid_old, lang),
                    invalid_new=count_text(self.invalid_new, lang)),  # fmt: skip
            "",
            self.headline(lang),
            "",
            message("X_IMPACT_MATRIX", lang, output=self.output or "-"),
        ]
        transitions = self.transition_list()

        def label_text(label: object) -> str:  # the JSON keeps "invalid"; a person reads it in their language
            return message("X_WORD_INVALID", lang) if label == INVALID else str(label)

        width = max([len(label_text(x["from"])) for x in transitions] + [4])
        for x in transitions:
            mark = "" if x["from"] == x["to"] else "  *"
            lines.append(f"  {label_text(x['from']).ljust(width)} → {label_text(x['to'])}: {count_text(x['count'], lang)}{mark}")
        for figures in self.outputs:
            if figures.name == self.output:
                continue
            lines += ["", *_render_output(figures, lang)]
        if self.only_old or self.only_new:
            lines += ["", message("X_IMPACT_NOT_COMPARED", lang, old=", ".join(self.only_old) or "-", new=", ".join(self.only_new) or "-")]
        if self.attribution:
            lines += ["", message("X_ATTR_TITLE", lang)]
            for item in self.attribution:
                for sentence in item.sentences(lang):
                    lines.append(f"- {sentence}")
                lines.append("    " + message("X_DIFF_CITES", lang, old="; ".join(item.change.old_citations) or "-",
                                              new="; ".join(item.change.new_citations) or "-"))  # fmt: skip
            if self.unexplained:
                lines.append(message("X_ATTR_UNEXPLAINED", lang, count=count_text(self.unexplained, lang)))
        if self.groups:
            lines += ["", *_render_groups(self, lang)]
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


def _output_phrase(figures: OutputFigures, lang: str | None) -> str:
    if figures.kind == NUMBER:
        stats = figures.delta_stats() or {}
        median = signed_text(stats["median"], lang) if stats else "0"
        return message("X_HEAD_NUMBER", lang, output=figures.name, down=count_text(figures.down, lang),
                       up=count_text(figures.up, lang), median=median)  # fmt: skip
    if figures.order is not None:
        return message("X_HEAD_LABEL", lang, output=figures.name, down=count_text(figures.down, lang), up=count_text(figures.up, lang))
    return message("X_HEAD_LABEL_CHANGED", lang, output=figures.name, count=count_text(figures.changed, lang))


def _render_output(figures: OutputFigures, lang: str | None) -> list[str]:
    lines = [message("X_IMPACT_OUTPUT", lang, output=figures.name, compared=count_text(figures.compared, lang),
                     up=count_text(figures.up, lang), down=count_text(figures.down, lang), same=count_text(figures.same, lang))]  # fmt: skip
    if figures.kind == NUMBER:
        stats = figures.delta_stats()
        if stats:
            lines.append("  " + message("X_IMPACT_DELTA", lang, low=signed_text(stats["min"], lang),
                                        median=signed_text(stats["median"], lang), high=signed_text(stats["max"], lang)))  # fmt: skip
            for b in figures.histogram():
                if b.count:
                    lines.append(f"  [{number_text(b.low, lang)}; {number_text(b.high, lang)}): {count_text(b.count, lang)}")
        return lines
    for x in figures.transition_list():
        if x["from"] != x["to"]:
            lines.append(f"  {x['from']} → {x['to']}: {count_text(x['count'], lang)}")
    return lines


def _render_groups(report: ImpactReport, lang: str | None) -> list[str]:
    lines = [message("X_GROUP_TITLE", lang, column=report.group_by or "-")]
    main = report.main_output()
    for group in report.groups:
        name = group.group or message("B_POP_EMPTY_GROUP", lang)
        lines.append(message("X_GROUP_LINE", lang, group=name, rows=count_text(group.rows, lang),
                             changed=count_text(group.changed, lang), invalid=count_text(group.invalid, lang)))  # fmt: skip
        if main is not None and main.name in group.moves:
            moves = group.moves[main.name]
            keys = BANDS if main.order is not None else (UP, SAME, DOWN)
            shown = ", ".join(f"{message(f'X_BAND_{k.upper()}', lang)} {count_text(moves.get(k, 0), lang)}" for k in keys)
            lines.append(f"    {main.name}: {shown}")
        for label, population in (("X_GROUP_BEFORE", report.population_old), ("X_GROUP_AFTER", report.population_new)):
            status = group_status(population, group.group, lang)
            if status:
                lines.append("    " + message(label, lang, status=status))
    return lines


def group_status(population: PopulationReport | None, group: str, lang: str | None) -> str | None:
    """One unit's conformance to each distribution curve, with the rules it misses."""
    if population is None:
        return None
    found = []
    for distribution in population.distributions:
        for unit in distribution.groups:
            if unit.group != group:
                continue
            if unit.status == OK:
                found.append(f"{distribution.name}: {message('B_POP_OK', lang)}")
            elif unit.status == VIOLATES:
                missed = "; ".join(c.render(lang) for c in unit.checks if not c.conforms)
                found.append(f"{distribution.name}: {message('B_POP_BAD', lang)} ({missed})")
            else:
                found.append(f"{distribution.name}: {message('X_GROUP_NOT_ASSESSED', lang)}")
    return "; ".join(found) or None


# ---------------------------------------------------------------- computing it


def _record(ruleset: Ruleset, row: Mapping[str, Any], column_map: Mapping[str, str]) -> dict[str, Any]:
    """The row's cells for the inputs this version declares; an empty cell is a value not given."""
    record = {}
    for name in ruleset.input_names:
        value = row.get(column_map.get(name, name))
        if value is not None and value != "":
            record[name] = value
    return record


def _outcome(ruleset: Ruleset, record: Mapping[str, Any], lang: str | None) -> Result | KinerjaError:
    try:
        return ruleset.evaluate(record, trace=False, text_values=True)
    except KinerjaError as error:
        return error


def _problems(error: KinerjaError, lang: str | None) -> list[str]:
    return [d.text(lang) for d in error.diagnostics]


class _Typical:
    """A seeded reservoir of people per kind of move (reproducible: the same population gives the same choice)."""

    def __init__(self) -> None:
        self.kept: dict[tuple[Any, ...], list[tuple[Any, Any, dict[str, Any], dict[str, Any]]]] = {}
        self.seen: Counter[tuple[Any, ...]] = Counter()
        self.random = random.Random(16)

    def add(self, key: tuple[Any, ...], sort_value: Any, row_id: Any, old_record: dict[str, Any], new_record: dict[str, Any]) -> None:
        self.seen[key] += 1
        kept = self.kept.setdefault(key, [])
        entry = (sort_value, row_id, old_record, new_record)
        if len(kept) < TYPICAL_KEPT:
            kept.append(entry)
        else:
            slot = self.random.randrange(self.seen[key])
            if slot < TYPICAL_KEPT:
                kept[slot] = entry

    def choose(self, old: Ruleset, new: Ruleset) -> tuple[TypicalCase, ...]:
        cases = []
        for key, count in sorted(self.seen.items(), key=lambda x: (-x[1], str(x[0])))[:TYPICAL_SHOWN]:
            kept = sorted(self.kept[key], key=lambda e: (e[0], str(e[1])))
            _, row_id, old_record, new_record = kept[(len(kept) - 1) // 2]  # the median of the sample
            try:
                a = old.evaluate(old_record, trace=True, text_values=True)
                b = new.evaluate(new_record, trace=True, text_values=True)
            except KinerjaError:
                continue
            moves, items = key
            cases.append(TypicalCase(row_id, moves, items, count, a, b))
        return tuple(cases)


def impact(old: Ruleset, new: Ruleset, rows: Iterable[Mapping[str, Any]], id_column: str | None = None,
           lang: str | None = None, *, outputs: Sequence[str] | None = None, group_by: str | None = None,
           column_map: Mapping[str, str] | None = None, people: str | None = None, attribute: bool = True,
           command: str | None = None, notes: Sequence[str] = ()) -> ImpactReport:  # fmt: skip
    """Evaluate both versions on every row; figures for every common output (or those in `outputs`),
    per group of `group_by`, attribution to the semantic diff, and with `people` the per-person table."""
    column_map = dict(column_map or {})
    old_output, new_output = first_label_output(old), first_label_output(new)
    common = [n for n in old.output_names if n in new.output_names]
    for name in outputs or ():
        if name not in common:
            raise ImpactUsageError("X_USAGE_OUTPUT", name=name, known=", ".join(common) or "-")
    for name, column in column_map.items():
        if name not in old.checked.inputs and name not in new.checked.inputs:
            raise ImpactUsageError("X_USAGE_MAP_INPUT", name=name, column=column,
                                   known=", ".join(dict.fromkeys(old.input_names + new.input_names)))  # fmt: skip
    compared = list(outputs) if outputs else common
    tallies = [OutputTally(n, output_kind(new, n), label_order(new, n) or label_order(old, n)) for n in compared]
    order: list[str] = []
    for ruleset, name in ((old, old_output), (new, new_output)):
        found = ruleset.checked.types.get(name) if name else None
        if isinstance(found, t.LabelT):
            order += [x for x in found.labels if x not in order]
    semantic = diff(old, new)
    attributor = Attributor(old, new, semantic) if attribute and semantic.rule_changes else None
    moved_by: Counter[int] = Counter()
    item_moves: dict[int, Counter[tuple[str, str]]] = {}
    unexplained = 0
    transitions: Counter[tuple[str, str]] = Counter()
    changed_ids: list[Any] = []
    invalid: list[InvalidRow] = []
    groups: dict[str, dict[str, Any]] = {}
    tallies_pop = None
    if group_by:
        tallies_pop = (PopulationTally(old.module, group_by, old.output_names, old_output),
                       PopulationTally(new.module, group_by, new.output_names, new_output))  # fmt: skip
    typical = _Typical()
    table = PersonTable(people, [(f.name, f.kind) for f in tallies], group_by) if people else None
    count = changed = 0
    checked_columns = False
    try:
        for number, row in enumerate(rows, start=1):
            if not checked_columns:
                _check_columns(row, id_column, group_by, column_map)
                checked_columns = True
            count += 1
            row_id = row.get(id_column) if id_column else None
            if row_id is None or row_id == "":
                row_id = number
            old_record, new_record = _record(old, row, column_map), _record(new, row, column_map)
            a, b = _outcome(old, old_record, lang), _outcome(new, new_record, lang)
            a_ok, b_ok = isinstance(a, Result), isinstance(b, Result)
            before = _label(a.outputs.get(old_output)) if isinstance(a, Result) and old_output else INVALID
            after = _label(b.outputs.get(new_output)) if isinstance(b, Result) and new_output else INVALID
            transitions[(before, after)] += 1
            if not (a_ok and b_ok):
                invalid.append(InvalidRow(row_id, None if a_ok else _problems(a, lang), None if b_ok else _problems(b, lang)))  # type: ignore[arg-type]
            old_values = a.outputs if isinstance(a, Result) else {}
            new_values = b.outputs if isinstance(b, Result) else {}
            moves: dict[str, str | None] = {}
            for tally in tallies:
                if a_ok and b_ok:
                    moves[tally.name] = tally.add(old_values.get(tally.name), new_values.get(tally.name))
                else:
                    tally.add_invalid(old_values.get(tally.name), new_values.get(tally.name), a_ok, b_ok)
            if a_ok != b_ok:
                row_changed = True
            elif a_ok and b_ok:
                row_changed = any(old_values.get(n) != new_values.get(n) for n in common) or (
                    old_output is not None and new_output is not None and before != after
                )  # fmt: skip
            else:
                row_changed = False
            items: frozenset[int] = frozenset()
            per_output: dict[str, frozenset[int]] = {}
            if row_changed:
                changed += 1
                changed_ids.append(row_id)
                if attributor is not None:
                    if a_ok and b_ok:
                        assert isinstance(a, Result) and isinstance(b, Result)
                        moved = [n for n in compared if moves.get(n)]
                        per_output = attributor.attribute(a.values, b.values, moved)
                        for name in moved:
                            for index in per_output.get(name, ()):
                                item_moves.setdefault(index, Counter())[(name, direction(moves[name]) or "changed")] += 1
                    else:
                        error = b if not b_ok else a
                        fields = error.fields if isinstance(error, InputError) else []
                        found = attributor.invalid(fields)
                        per_output = {"-": found}
                        for index in found:
                            item_moves.setdefault(index, Counter())[("-", "invalid")] += 1
                    items = frozenset().union(*per_output.values()) if per_output else frozenset()
                    for index in items:
                        moved_by[index] += 1
                    if not items:
                        unexplained += 1
                if a_ok and b_ok:
                    kind = tuple(sorted((n, direction(m) or "changed") for n, m in moves.items() if m))
                    main = next((n for n, m in moves.items() if m), None)
                    sort_value = (new_values[main] - old_values[main]) if main and _numbers(old_values.get(main), new_values.get(main)) else 0
                    typical.add((kind, tuple(sorted(items))), sort_value, row_id, old_record, new_record)
            if group_by is not None:
                unit = str(row.get(group_by) or "").strip()
                _tally_group(groups, unit, row_changed, a_ok and b_ok, moves)
                assert tallies_pop is not None
                for tally_pop, result, ok, record in ((tallies_pop[0], a, a_ok, old_record), (tallies_pop[1], b, b_ok, new_record)):
                    values = result.outputs if isinstance(result, Result) else {}
                    tally_pop.add([unit], [ok], [row_id], {n: [plain(values.get(n)) if ok else ""] for n in tally_pop.label_outputs()},
                                  {n: [str(record.get(n, ""))] for n in tally_pop.class_inputs()})  # fmt: skip
            if table is not None:
                pairs = [(plain(old_values[n]) if a_ok and n in old_values else "", plain(new_values[n]) if b_ok and n in new_values else "")
                         for n in compared]  # fmt: skip
                pairs = [("" if x == "-" else x, "" if y == "-" else y) for x, y in pairs]
                error = "" if a_ok and b_ok else " | ".join(
                    f"{ref.id}@{ref.version}: {'; '.join(_problems(r, lang))}"
                    for ref, r in ((old.ref, a), (new.ref, b)) if isinstance(r, KinerjaError))  # fmt: skip
                table.add(row_id, str(row.get(group_by) or "").strip() if group_by else None, pairs,
                          [n for n in compared if moves.get(n)],
                          "; ".join(f"{i + 1}:{semantic.changes[i].subject}" for i in sorted(items)), error)  # fmt: skip
        if table is not None:
            table.close()
    except BaseException:
        if table is not None:
            table.abort()
        raise
    attribution = tuple(
        AttributionItem(index, semantic.changes[index], moved_by[index], item_moves.get(index, Counter()))
        for index in sorted(moved_by, key=lambda i: (-moved_by[i], i))
    )
    return ImpactReport(
        old.ref, new.ref, old_output, new_output, count, changed, transitions, changed_ids, invalid,
        {label: i for i, label in enumerate(order)}, tuple(x.figures() for x in tallies),
        tuple(n for n in old.output_names if n not in new.output_names),
        tuple(n for n in new.output_names if n not in old.output_names),
        group_by, tuple(_group_figures(groups)),
        tallies_pop[0].report() if tallies_pop else None, tallies_pop[1].report() if tallies_pop else None,
        semantic, attribution, unexplained, typical.choose(old, new), command, tuple(notes), old, new,
    )  # fmt: skip


def _check_columns(row: Mapping[str, Any], id_column: str | None, group_by: str | None, column_map: Mapping[str, str]) -> None:
    known = ", ".join(str(k) for k in row)
    for option, column in [("--id", id_column), ("--group-by", group_by)] + [(f"--map {k}={v}", v) for k, v in column_map.items()]:
        if column is not None and column not in row:
            raise ImpactUsageError("X_USAGE_COLUMN", column=column, option=option, known=known)


def _tally_group(groups: dict[str, dict[str, Any]], unit: str, changed: bool, valid: bool, moves: dict[str, str | None]) -> None:
    group = groups.setdefault(unit, {"rows": 0, "changed": 0, "invalid": 0, "moves": {}})
    group["rows"] += 1
    group["changed"] += changed
    group["invalid"] += not valid
    if valid:
        for name, move in moves.items():
            group["moves"].setdefault(name, Counter())[move or SAME] += 1


def _group_figures(groups: dict[str, dict[str, Any]]) -> list[GroupFigures]:
    return [GroupFigures(unit, g["rows"], g["changed"], g["invalid"], g["moves"]) for unit, g in sorted(groups.items())]


def _numbers(a: Any, b: Any) -> bool:
    return isinstance(a, Decimal) and isinstance(b, Decimal)


def _label(value: Any) -> str:
    return value if isinstance(value, str) else value_text(value)

