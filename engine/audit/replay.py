"""Replay a decision log: every logged decision evaluated again with the exact rules that made it.

A decision log (written by `kinerja serve --decision-log FILE`) holds one JSON
object per line: the decision id, the ruleset's id, version and fingerprint,
the input, and the outputs (or the errors) the service answered. Replaying
finds, for each line, the ruleset whose fingerprint is the logged one among
every version of every ruleset in the given folders and the shipped ones,
evaluates the logged input again, and compares: same outputs (exact decimals,
`90` equals `90.00`), or the same error codes for a rejected input.

A decision cannot be checked when no ruleset has its fingerprint (the file was
edited or removed since), when an input it needs was masked in the log, or
when its line is not a decision (a torn or edited line). Each of these is
reported with the decision id or line number; none is counted as replayed.
Records are evaluated as the service evaluated them (`kinerja.score_records`:
values read as cells are), many at a time per ruleset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.library import registry
from kinerja.library.api import Library
from kinerja.library.ruleset import Ruleset
from kinerja.library.scoring import BOOLEAN, NUMBER, OTHER, RecordScorer
from kinerja.semantics.values import parse_json, value_text


@dataclass(frozen=True)
class Difference:
    """A replayed decision whose result is not the logged one."""

    decision_id: str
    line: int
    ruleset: str  # id@version
    logged: dict[str, Any]  # the outputs (or {"errors": [...]}) in the log
    replayed: dict[str, Any]  # the outputs (or {"errors": [...]}) now

    def fields(self) -> list[str]:
        names = list(dict.fromkeys([*self.logged, *self.replayed]))
        return [n for n in names if not _same(self.logged.get(n), self.replayed.get(n))]

    def to_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "line": self.line, "ruleset": self.ruleset,
                "logged": self.logged, "replayed": self.replayed, "fields": self.fields()}  # fmt: skip


@dataclass(frozen=True)
class Unchecked:
    """A logged decision that could not be evaluated again, and why (a catalogue code and its arguments)."""

    decision_id: str | None
    line: int
    code: str  # R_NOT_FOUND, R_MASKED, R_MALFORMED
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str | None = None) -> str:
        return message(self.code, lang, id=self.decision_id or "-", line=self.line, **dict(self.args))

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "line": self.line, "code": self.code, "message": self.text(lang)}


@dataclass(frozen=True)
class ReplayReport:
    """The outcome of replaying a decision log: how many decisions were evaluated again, those
    that now give another result, and the lines that could not be checked (with why)."""

    replayed: int  # decisions evaluated again (the same or not)
    differences: tuple[Difference, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    rulesets: dict[str, int] = field(default_factory=dict)  # id@version -> decisions replayed with it

    @property
    def differ(self) -> int:
        return len(self.differences)

    @property
    def ok(self) -> bool:
        """Every logged decision was checked and gives the logged result."""
        return not self.differences and not self.unchecked

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "replayed": self.replayed, "differ": self.differ, "unchecked": len(self.unchecked),
            "rulesets": dict(self.rulesets), "differences": [d.to_dict() for d in self.differences],
            "problems": [u.to_dict(lang) for u in self.unchecked],
        }  # fmt: skip

    def render(self, lang: str | None = None) -> str:
        lines = []
        for d in self.differences:
            changes = "; ".join(f"{n}: {_shown(d.logged.get(n))} → {_shown(d.replayed.get(n))}" for n in d.fields())
            lines.append(message("R_DIFFERS", lang, id=d.decision_id, line=d.line, ruleset=d.ruleset, changes=changes))
        lines += [u.text(lang) for u in self.unchecked]
        if self.unchecked:
            lines.append(message("R_UNCHECKED", lang, count=len(self.unchecked)))
        lines.append(f"{self.replayed} replayed, {self.differ} differ")  # a fixed English line: scripts read it
        return "\n".join(lines)


def _shown(value: Any) -> str:
    if isinstance(value, list):  # error codes
        return "[" + ", ".join(str(v) for v in value) + "]"
    return value_text(value) if value is not None else "-"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (Decimal, int)) and isinstance(b, (Decimal, int)):
        return Decimal(a) == Decimal(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


class RulesetsByFingerprint:
    """Every version of every ruleset in the folders (and the shipped ones), found by fingerprint."""

    def __init__(self, folders: Iterable[str | Path] = ()):
        self.library = Library(tuple(folders))
        self._found: dict[str, Ruleset] | None = None

    def get(self, fingerprint: str) -> Ruleset | None:
        if self._found is None:
            self._found = {}
            for entry in registry.entries(self.library.folders):
                try:
                    ruleset = self.library.load(entry.path)
                except (KinerjaError, OSError):
                    continue  # a file that does not load cannot have made a decision with its current text
                self._found.setdefault(ruleset.fingerprint, ruleset)
        return self._found.get(fingerprint)


def _value(text: str | None, kind: str) -> Any:
    """An output's exact text (`ScoredRecords`) as the value the log holds."""
    if text is None:
        return None
    if kind == NUMBER:
        return Decimal(text)
    if kind == BOOLEAN:
        return text == "true"
    if kind == OTHER:
        return parse_json(text)
    return text


def _outcomes(scorer: RecordScorer, records: list[Any]) -> list[dict[str, Any]]:
    """Each record evaluated again, as `kinerja serve` evaluated it (records read as cells are)."""
    scored = scorer.score(records)
    found = []
    for index in range(len(records)):
        failure = scored.errors.get(index)
        if failure is not None:
            found.append({"errors": [d.code for d in failure.diagnostics]})
        else:
            found.append({name: _value(texts[index], scored.kinds[name]) for name, texts in scored.outputs.items()})
    return found


def _logged(entry: Mapping[str, Any]) -> dict[str, Any]:
    errors = entry.get("errors")
    if errors is not None:
        return {"errors": [e.get("code") if isinstance(e, Mapping) else e for e in errors]}
    outputs = entry.get("outputs")
    return dict(outputs) if isinstance(outputs, Mapping) else {}


CHUNK = 10_000  # decisions of one ruleset evaluated together (the column path), then compared


def _lines(log: str | Path | Iterable[str]) -> Iterator[str]:
    if isinstance(log, (str, Path)):
        with Path(log).open(encoding="utf-8") as handle:  # streamed: a year of decisions need not fit in memory
            yield from handle
    else:
        yield from log


def replay(log: str | Path | Iterable[str], folders: Iterable[str | Path] = ()) -> ReplayReport:
    """Evaluate every decision of a decision log again (see the module docstring).

    `log` is a path or the log's lines; `folders` are searched (with the shipped rulesets) for
    the rulesets the log names by fingerprint, every version of each. Decisions are evaluated
    in chunks per ruleset, on the column path where it vouches for a record.
    """
    rulesets = RulesetsByFingerprint(folders)
    replayed = 0
    differences: list[Difference] = []
    unchecked: list[Unchecked] = []
    used: dict[str, int] = {}
    pending: dict[str, list[tuple[int, str, str, Any, dict[str, Any]]]] = {}  # fingerprint -> waiting decisions
    scorers: dict[str, RecordScorer] = {}

    def settle(fingerprint: str) -> None:
        waiting = pending.pop(fingerprint, [])
        if not waiting:
            return
        now = _outcomes(scorers[fingerprint], [record for _, _, _, record, _ in waiting])
        for (number, decision_id, named, _, logged), result in zip(waiting, now, strict=True):
            if not _same(logged, result):
                differences.append(Difference(decision_id, number, named, logged, result))

    for number, line in enumerate(_lines(log), start=1):
        if not line.strip():
            continue
        try:
            entry = parse_json(line)
        except ValueError as error:
            unchecked.append(Unchecked(None, number, "R_MALFORMED", (("problem", str(error)),)))
            continue
        ref = entry.get("ruleset") if isinstance(entry, dict) else None
        if not isinstance(ref, dict) or "input" not in entry or "decision_id" not in entry:
            unchecked.append(Unchecked(None, number, "R_MALFORMED", (("problem", "decision_id, ruleset, input"),)))
            continue
        decision_id = str(entry["decision_id"])
        named = f"{ref.get('id')}@{ref.get('version')}"
        fingerprint = str(ref.get("fingerprint"))
        ruleset = rulesets.get(fingerprint)
        if ruleset is None:
            unchecked.append(Unchecked(decision_id, number, "R_NOT_FOUND", (("ruleset", named), ("fingerprint", fingerprint))))
            continue
        record = entry["input"]
        masked = [name for name in entry.get("masked") or () if isinstance(record, dict) and name in record]
        if masked:
            unchecked.append(Unchecked(decision_id, number, "R_MASKED", (("fields", ", ".join(masked)),)))
            continue
        replayed += 1
        used[named] = used.get(named, 0) + 1
        if fingerprint not in scorers:
            scorers[fingerprint] = RecordScorer(ruleset)
        pending.setdefault(fingerprint, []).append((number, decision_id, named, record, _logged(entry)))
        if len(pending[fingerprint]) >= CHUNK:
            settle(fingerprint)
    for fingerprint in list(pending):
        settle(fingerprint)
    differences.sort(key=lambda d: d.line)
    return ReplayReport(replayed, tuple(differences), tuple(unchecked), used)


__all__ = ["Difference", "ReplayReport", "RulesetsByFingerprint", "Unchecked", "replay"]
