"""Which items of the semantic diff moved each person: attribution along the evaluation.

The method, for one person valid under both versions (the README says it in prose):

1. Every definition of the new version gets the value it *would* have had under the old
   rules (its shadow): for a name both versions define, the old evaluation's value. A value
   the new version adds whose formula is the old formula of a changed definition (KMK 127's
   `nkp_sebelum_kalibrasi` holds KMK 300's `nilai_kinerja_pegawai` formula) is that
   definition's new home: its shadow is the old value. An added value that reads exactly one
   shadowed name carries it (`nkp_kalibrasi` reads `nkp_sebelum_kalibrasi`), so its shadow is
   that name's.
2. Walking the new version in evaluation order, a definition whose value differs from its
   shadow is explained by (a) the items of the names it reads whose values differ — the
   difference flowed in — and (b) its own items when its own rule acts on this person: the
   old rule and the new rule, evaluated on the *same* (new) values, disagree; for a definition
   that wraps a carried value (`min(115, …)`), when its value differs from the value it
   carries. A changed table contributes the diff's region whose subject range and labels
   this person matches, a quadrant the cell its row and column select, a weight set the
   branch it took, an exception only when it fired on either side.
3. An output's items are those of its definition. A person valid under one version only is
   explained by the items of the inputs the other version rejected.

So a KMK employee whose NKP before calibration is 118 is moved by the calibration value
alone (118 → 115), one with a discipline deduction by the changed `nilai_kinerja_pegawai`
formula, one with both by both — each change applied where it acts, never credited for a
difference it did not make. Evaluating each change applied alone to the old version would
credit none of them (the added values are read by nothing until the formula changes too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kinerja.audit.diff import DOCUMENTATION, Change, DiffReport, _branch_text, _key_text, _plain_label, _row_text
from kinerja.eval.compile import Decision, Step
from kinerja.library.ruleset import Ruleset
from kinerja.syntax import printer
from kinerja.syntax import tree as s

_NONE = object()  # no shadow: an added name with nothing old behind it


class Attributor:
    """Precomputed from two rulesets and their diff; `attribute` is called once per person who moved."""

    def __init__(self, old: Ruleset, new: Ruleset, report: DiffReport):
        self.old, self.new = old, new
        self.changes: tuple[Change, ...] = report.changes
        self.old_steps: dict[str, Step] = {st.name: st for st in old.program.steps}
        self.new_steps: tuple[Step, ...] = new.program.steps
        self.new_names = {st.name for st in self.new_steps} | set(new.checked.inputs)
        self.old_names = {st.name for st in old.program.steps} | set(old.checked.inputs)
        self.own = self._own_items()
        self.home: dict[str, str] = {}  # new name -> the old name whose value is its shadow
        self.carrier: dict[str, str] = {}  # new definition -> the read name it carries
        self._shadows()

    # -------------------------------------------------------------- static preparation
    def _own_items(self) -> dict[str, tuple[int, ...]]:
        """Rule items (not documentation) by the definition or input they change; exception items under
        the definition the exception overrides."""
        targets = {e.name: e.target for es in self.new.checked.exceptions.values() for e in es}
        targets.update({e.name: e.target for es in self.old.checked.exceptions.values() for e in es if e.name not in targets})
        own: dict[str, list[int]] = {}
        for index, change in enumerate(self.changes):
            if change.section == DOCUMENTATION:
                continue
            subject = targets.get(change.subject, change.subject) if change.kind.startswith("exception") else change.subject
            own.setdefault(subject, []).append(index)
        # a type's labels changing is felt by the inputs of that type
        for name, decl in self.new.checked.inputs.items():
            if isinstance(decl.type, s.NamedType) and decl.type.name in own:
                own.setdefault(name, []).extend(own[decl.type.name])
        return {k: tuple(v) for k, v in own.items()}

    def _shadows(self) -> None:
        old_defs, new_defs = self.old.checked.definitions, self.new.checked.definitions
        for name in self.new_names:
            if name in self.old_names:
                self.home[name] = name
        changed_formulas = {
            name: decl.expr for name, decl in old_defs.items()
            if isinstance(decl, s.ValueDecl) and name in self.own and name in new_defs
        }  # fmt: skip
        for step in self.new_steps:
            name = step.name
            if name in self.home:
                continue
            decl = new_defs.get(name)
            moved = [old for old, formula in changed_formulas.items() if isinstance(decl, s.ValueDecl) and decl.expr == formula]
            if moved:
                self.home[name] = moved[0]
                continue
            carried = [r for r in step.reads if r in self.home]
            if len(carried) == 1 and isinstance(decl, s.ValueDecl):
                self.carrier[name] = carried[0]
                self.home[name] = self.home[carried[0]]
        for step in self.new_steps:  # a changed definition that reads an added, carried value wraps it
            if step.name in self.own and step.name in self.old_names:
                added = [r for r in step.reads if r in self.home and r not in self.old_names]
                if len(added) == 1:
                    self.carrier[step.name] = added[0]

    # -------------------------------------------------------------- per person
    def attribute(self, old_env: Mapping[str, Any], new_env: Mapping[str, Any], outputs: Iterable[str]) -> dict[str, frozenset[int]]:
        """For each named output whose value differs, the indices (into the diff's changes) of the items that moved it."""
        found: dict[str, frozenset[int]] = {}
        for name in self.new.checked.inputs:
            if name in self.home and name not in self.new.checked.definitions and old_env.get(name) != new_env.get(name):
                found[name] = frozenset(self.own.get(name, ()))  # a default that changed
        mixed = {**old_env, **new_env}
        for step in self.new_steps:
            name = step.name
            home = self.home.get(name)
            if home is None or old_env.get(home, _NONE) == new_env.get(name):
                continue
            items: set[int] = set()
            for read in step.reads:
                items |= found.get(read, frozenset())
            if name in self.own and self._acts(step, old_env, new_env, mixed):
                items |= self._refine(step, mixed, new_env)
            found[name] = frozenset(items or self.own.get(name, ()))
        return {o: found[o] for o in outputs if o in found}

    def invalid(self, fields: Iterable[str]) -> frozenset[int]:
        """Items that explain why a record one version accepts is rejected by the other."""
        items: set[int] = set()
        for name in fields:
            items |= set(self.own.get(name.split("[")[0].split(".")[0], ()))
        return frozenset(items)

    def _acts(self, step: Step, old_env: Mapping[str, Any], new_env: Mapping[str, Any], mixed: dict[str, Any]) -> bool:
        """Whether the definition's own change acts on this person (see the module docstring, 2b)."""
        name = step.name
        carried = self.carrier.get(name)
        if carried is not None:
            return bool(new_env.get(name) != new_env.get(carried))
        old_step = self.old_steps.get(name)
        if old_step is None:
            return name not in self.home or self.home[name] == name
        try:
            value, _ = old_step.compute(dict(mixed))
        except Exception:  # the old rule cannot even run on the new values: it certainly differs
            return True
        return bool(value != new_env.get(name))

    def _refine(self, step: Step, mixed: dict[str, Any], new_env: Mapping[str, Any]) -> set[int]:
        """The items of a changed definition that concern this person's case (row, cell, branch, exception)."""
        name = step.name
        own = self.own.get(name, ())
        new_decision = _decision(step, dict(mixed))
        old_step = self.old_steps.get(name)
        old_decision = _decision(old_step, dict(mixed)) if old_step is not None else None
        fired = {d.exception.name for d in (new_decision, old_decision) if d is not None and d.exception is not None}
        exceptions = {i for i in own if self.changes[i].kind.startswith("exception")}
        if fired:
            chosen = {i for i in exceptions if self.changes[i].subject in fired}
            return chosen or set(own)
        rest = [i for i in own if i not in exceptions]
        decl = self.new.checked.definitions.get(name)
        old_decl = self.old.checked.definitions.get(name)
        if isinstance(decl, s.TableDecl):
            chosen = self._table(rest, decl, old_decl, new_decision, old_decision, mixed, new_env)
        elif isinstance(decl, s.QuadrantDecl):
            chosen = self._quadrant(rest, decl, new_decision)
        elif isinstance(decl, s.WeightsDecl):
            branches = {_branch_text(decl.branches[new_decision.index])} if new_decision and new_decision.kind == "branch" else set()
            if isinstance(old_decl, s.WeightsDecl) and old_decision is not None and old_decision.kind == "branch":
                branches.add(_branch_text(old_decl.branches[old_decision.index]))
            chosen = {i for i in rest if dict(self.changes[i].details).get("branch") in branches}
        else:
            chosen = set()
        return chosen or set(rest) or set(own)

    def _table(self, items: list[int], decl: s.TableDecl, old_decl: Any, new_decision: Decision | None,
               old_decision: Decision | None, mixed: dict[str, Any], new_env: Mapping[str, Any]) -> set[int]:  # fmt: skip
        new_label = _plain_label(printer.expr(decl.rows[new_decision.index].result)) if _row(new_decision, decl) else None
        old_row = old_decl.rows[old_decision.index] if isinstance(old_decl, s.TableDecl) and _row(old_decision, old_decl) else None
        old_label = _plain_label(printer.expr(old_row.result)) if old_row is not None else None
        subject = mixed.get(decl.subject.name) if isinstance(decl.subject, s.Name) else None
        regions = set()
        for i in items:
            change = self.changes[i]
            if change.kind != "region_changed":
                continue
            details = dict(change.details)
            if (details.get("from"), details.get("to")) != (old_label, new_label):
                continue
            if subject is not None and "low" in details and not _inside(subject, details):
                continue
            regions.add(i)
        if regions:
            return regions
        texts = set()
        if _row(new_decision, decl):
            texts.add(_row_text(decl.rows[new_decision.index]))  # type: ignore[union-attr]
        if old_row is not None:
            texts.add(_row_text(old_row))
        return {i for i in items if {str(dict(self.changes[i].details).get(k)) for k in ("old", "new", "row")} & texts}

    def _quadrant(self, items: list[int], decl: s.QuadrantDecl, decision: Decision | None) -> set[int]:
        if decision is None or decision.kind != "cell":
            return set()
        row, column = _key_text(decl.rows[decision.index].key), _key_text(decl.columns[decision.column])
        return {i for i in items if (dict(self.changes[i].details).get("row"), dict(self.changes[i].details).get("column")) == (row, column)}


def _decision(step: Step | None, env: dict[str, Any]) -> Decision | None:
    if step is None:
        return None
    try:
        return step.compute(env)[1]
    except Exception:  # a rule that cannot run here decided nothing
        return None


def _row(decision: Decision | None, decl: s.TableDecl) -> bool:
    return decision is not None and decision.kind == "row" and 0 <= decision.index < len(decl.rows)


def _inside(value: Any, details: dict[str, Any]) -> bool:
    low, high = details.get("low"), details.get("high")
    try:
        if low is not None and (value < low or (value == low and not details.get("low_closed"))):
            return False
        if high is not None and (value > high or (value == high and not details.get("high_closed"))):
            return False
    except TypeError:
        return True
    return True


__all__ = ["Attributor"]
