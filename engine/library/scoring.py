"""Many JSON-like records scored at once: the column path where it vouches, one by one elsewhere.

`RecordScorer(ruleset).score(records)` gives one outcome per record, in order:
the outputs of every record that is valid, the error (with its diagnostics) of
every record that is not. Records are read as `Ruleset.evaluate(...,
text_values=True)` reads them — JSON numbers, booleans and labels as they are,
and also numbers written as text (`"96"`, `"89,5"`) and boolean words
(`"ya"`/`"tidak"`), as a spreadsheet cell is read — so a service can accept
what apps send. A record the column path does not vouch for (a value of the
wrong JSON type, a name the ruleset does not declare, a list input) goes
through the single-record path, which is always right and gives the error.

Outputs are kept as the exact text of each value (`value_text`: `90`, `89.5`,
`Baik`, `true`), never parsed back into numbers: a caller writing JSON or CSV
writes them as they stand, which is what makes scoring 10,000 records cheap.
The scorer compiles the column plan once; keep one per ruleset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.eval.evaluate import RulesetRef
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, to_json, value_text

NUMBER, BOOLEAN, LABEL, OTHER = "number", "boolean", "label", "other"

_NOT_TEXT = ("not text",)  # a cell the column path must decline: a hashable value that is not a str


@dataclass(frozen=True)
class ScoredRecords:
    """One outcome per record: `outputs[name][i]` is record i's value as text, `errors[i]` why it failed.

    A value's text is exact (`value_text`): a decimal as written on paper (`90`, never `90.00` or
    `89.99999999999999`), a label, `true`/`false`; a list or record output is compact JSON. None
    where the output is absent (a `when` that does not apply) or the record failed.
    """

    ruleset: RulesetRef
    count: int
    kinds: dict[str, str]  # output name -> number, boolean, label or other (how to write its text as JSON)
    outputs: dict[str, list[str | None]]
    errors: dict[int, KinerjaError]
    vectorised: int  # records the column path evaluated

    def __len__(self) -> int:
        return self.count

    def ok(self, index: int) -> bool:
        return index not in self.errors


def value_kind(found: t.Type | None) -> str:
    if isinstance(found, t.NumberT):
        return NUMBER
    if isinstance(found, t.BoolT):
        return BOOLEAN
    if isinstance(found, (t.LabelT, t.LiteralLabelT)):
        return LABEL
    return OTHER


class _Memo(dict):  # type: ignore[type-arg]
    """Distinct value -> cell text, filled on first sight: a population holds far fewer distinct values than rows."""

    def __init__(self, read: Callable[[Any], Any]):
        super().__init__()
        self.read = read

    def __missing__(self, value: Any) -> Any:
        text = self[value] = self.read(value)
        return text


def _number_cell(value: Any) -> Any:
    kind_of = type(value)
    if kind_of is str:
        return value
    if kind_of is Decimal or kind_of is int:
        return format(value, "f")
    return "" if value is None else _NOT_TEXT


def _boolean_cell(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return value
    return "" if value is None else _NOT_TEXT


def _label_cell(value: Any) -> Any:
    if type(value) is str:
        return value
    return "" if value is None else _NOT_TEXT


# The JSON types whose values may share one memo: equal values of these types read the same
# (True == 1 == Decimal(1) would collide, so a column mixing booleans and numbers is read cell by cell).
_MEMO_SAFE = {
    NUMBER: (_number_cell, frozenset({Decimal, int, str, type(None)})),
    BOOLEAN: (_boolean_cell, frozenset({bool, str, type(None)})),
    LABEL: (_label_cell, frozenset({str, type(None)})),
}


_MEMO_KEPT = 1 << 17  # distinct values remembered per input


def _cells(values: list[Any], kind: str, memo: _Memo) -> list[Any]:
    """A column of JSON values as the texts the column path reads; a value of the wrong JSON type is declined."""
    read, safe = _MEMO_SAFE[kind]
    types = set(map(type, values))
    if kind == LABEL and types == {str}:
        return values
    if types <= safe:
        return list(map(memo.__getitem__, values))
    return list(map(read, values))


def _text(value: Any, kind: str) -> str | None:
    if value is ABSENT or value is None:
        return None
    if kind == OTHER:
        return to_json(value, indent=None)
    return value_text(value)


class RecordScorer:
    """Scores lists of records with one ruleset; compiles the column plan once (thread-safe to share)."""

    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset
        self.output_names: tuple[str, ...] = tuple(ruleset.output_names)
        types = ruleset.checked.types
        self.kinds = {name: value_kind(types.get(name)) for name in self.output_names}
        self._declared = frozenset(ruleset.input_names)
        self._plan = _vector_plan(ruleset)
        input_kinds = {name: value_kind(types.get(name)) for name in ruleset.input_names}
        # a list input has no cell text: such rulesets take the single-record path for every record
        if self._plan is not None and OTHER in input_kinds.values():
            self._plan = None
        self._input_kinds = input_kinds
        # value -> cell text per input, kept across calls (a pure function of the value; bounded)
        self._memos = {name: _Memo(_MEMO_SAFE[kind][0]) for name, kind in input_kinds.items() if kind in _MEMO_SAFE}

    def score(self, records: Sequence[Any]) -> ScoredRecords:
        """One outcome per record, in order; a bad record never stops the rest."""
        count = len(records)
        outputs: dict[str, list[str | None]] = {name: [None] * count for name in self.output_names}
        errors: dict[int, KinerjaError] = {}
        todo: list[int] = list(range(count))
        vectorised = 0
        if self._plan is not None and count:
            todo, vectorised = self._columns(records, outputs)
        evaluate = self.ruleset.evaluate
        kinds = self.kinds
        for index in todo:
            try:
                result = evaluate(records[index], trace=False, text_values=True)
            except KinerjaError as error:
                errors[index] = error
                for column in outputs.values():
                    column[index] = None
                continue
            for name in self.output_names:
                outputs[name][index] = _text(result.outputs.get(name), kinds[name])
        return ScoredRecords(self.ruleset.ref, count, dict(kinds), outputs, errors, vectorised)

    def _columns(self, records: Sequence[Any], outputs: dict[str, list[str | None]]) -> tuple[list[int], int]:
        """The column path over every record it can read; the indices it leaves to the single-record path."""
        count = len(records)
        declared = self._declared
        # a record that is not an object, or names an input the ruleset does not declare, is declined whole
        shaped = [type(r) is dict and declared.issuperset(r) for r in records]
        rows = records if all(shaped) else [r if fits else {} for r, fits in zip(records, shaped, strict=True)]
        columns: dict[str, list[Any]] = {}
        for name, kind in self._input_kinds.items():
            memo = self._memos[name]
            if len(memo) > _MEMO_KEPT:  # a new memo, not clear(): another thread may be reading this one
                memo = self._memos[name] = _Memo(memo.read)
            columns[name] = _cells([row.get(name) for row in rows], kind, memo)
        assert self._plan is not None
        try:
            outcome = self._plan.evaluate_text_columns(columns, count)
        except Exception:  # the single-record path is always right: a failing plan only costs speed
            return list(range(count)), 0
        ok = outcome.ok.tolist()
        for index, fits in enumerate(shaped):
            if not fits:
                ok[index] = False
        for name in self.output_names:
            texts = outcome.outputs[name]
            column = outputs[name]
            column[:] = [None if text == "-" else text for text in texts] if "-" in texts else texts
        todo = [index for index, good in enumerate(ok) if not good]
        return todo, count - len(todo)


def _vector_plan(ruleset: Ruleset) -> Any:
    """The column plan, or None when the ruleset uses something the column path does not compile."""
    try:
        from kinerja.vector.plan import plan_for
    except ImportError:
        return None
    try:
        return plan_for(ruleset)
    except Exception:  # a plan that fails to build only costs speed
        return None


def score_records(ruleset: Ruleset, records: Sequence[Mapping[str, Any]]) -> ScoredRecords:
    """Score many records with `ruleset` (see the module docstring); build a `RecordScorer` to reuse the plan."""
    return RecordScorer(ruleset).score(records)


__all__ = ["BOOLEAN", "LABEL", "NUMBER", "OTHER", "RecordScorer", "ScoredRecords", "score_records", "value_kind"]
