"""Quick fixes for the engine's findings, as plain text edits: apply a did-you-mean, turn a gap or
overlap witness into an `example`, add a quadrant row or column that is missing, fill an empty or
missing cell.

Each fix edits the text only; the edited text is checked again like any other change, so
a fix never claims what it did. The example a witness becomes gives the witness's values
and, for the other required inputs, the lowest value their type allows; it expects one of
the results the table writes near the witness (one fix per result, the author picks).

This module speaks no editor protocol: the language server turns a `Fix` into a code action
(`kinerja.lsp.actions`), the studio's service route into JSON edits (`kinerja.service.studio`).
Positions are the server's own `Point`s (line and column from 0, column in characters).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic
from kinerja.diagnostics.messages import message
from kinerja.lsp import index as ix
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.text import Point, Text, Token, point_of, unquote
from kinerja.semantics import conditions
from kinerja.semantics import types as t
from kinerja.syntax import printer
from kinerja.syntax import tree as s

EXAMPLE_CODES = ("K501", "K502", "K503")
CANDIDATE_RESULTS = 2  # a gap's example offers the results of the nearest rows, this many


@dataclass(frozen=True)
class Edit:
    """Replace the text from `start` to `end` by `new` (an insertion when they are equal)."""

    start: Point
    end: Point
    new: str


@dataclass(frozen=True)
class Fix:
    """One way to fix one finding: its title in the reader's language and its edits, or why it cannot apply."""

    title: str
    edits: tuple[Edit, ...] = ()
    preferred: bool = False  # the one fix to apply without asking (a did-you-mean)
    disabled: str | None = None  # why this fix is offered but cannot apply (the edits are then empty)


def fixes_for(snapshot: Snapshot, d: Diagnostic, lang: str) -> list[Fix]:
    """Every fix of one finding of the snapshot's text; none while the text does not check as written."""
    if snapshot.index is None or not snapshot.current:
        return []
    return _Fixes(snapshot, lang).for_diagnostic(d)


class _Fixes:
    def __init__(self, snapshot: Snapshot, lang: str):
        self.snapshot = snapshot
        self.text: Text = snapshot.text
        self.index: ix.Index = snapshot.index  # type: ignore[assignment]
        self.lang = lang
        self.checked = snapshot.checked

    def for_diagnostic(self, d: Diagnostic) -> list[Fix]:
        found: list[Fix] = []
        if d.suggestion is not None and d.span.file == self.snapshot.path:
            found += self.did_you_mean(d)
        if d.code in EXAMPLE_CODES and d.witness_values:
            found += self.witness_example(d)
        if d.code == "K506" and d.witness_values:
            found += self.missing_key(d)
        if d.code == "K507":
            found += self.fill_cell(d)
        if d.code == "K212":
            found += self.pad_row(d)
        return found

    def action(self, title: str, edits: list[Edit], preferred: bool = False) -> Fix:
        return Fix(title, tuple(edits), preferred)

    def edit(self, start: Point, end: Point, new: str) -> Edit:
        return Edit(start, end, new)

    # ------------------------------------------------------------ did you mean
    def did_you_mean(self, d: Diagnostic) -> list[Fix]:
        assert d.suggestion is not None
        meant = str(dict(d.suggestion.args).get("name", ""))
        args = dict(d.args)
        label = d.suggestion.code == "did_you_mean_label"
        # a label is written whole; K901 names its target with what was sought (`predikat row 2`)
        wrong = str(args.get("label", "")) if label else str(args.get("name", "")).split(" ")[0]
        token = self._written(d.span, wrong, label)
        if token is None or not meant:
            return []
        new = printer.quote(meant) if label else meant
        title = message("L_fix_replace", self.lang, old=token.text, new=new)
        return [self.action(title, [self.edit(token.start, token.end, new)], preferred=True)]

    def _written(self, span: s.Span, wrong: str, label: bool) -> Token | None:
        """Where the wrong name is written: in the finding's span, else further on in its declaration."""
        start = point_of(span)
        extent = self.index.extent_at(start)
        stop = extent.end if extent is not None else None
        for token in self.text.code:
            if token.start < start or (stop is not None and token.start > stop):
                continue
            if label and token.kind == "string" and unquote(token.text) == wrong:
                return token
            if not label and token.kind == "word" and token.text == wrong:
                return token
        return None

    # ------------------------------------------------------------ a witness becomes an example
    def witness_example(self, d: Diagnostic) -> list[Fix]:
        name = str(dict(d.args).get("name", ""))
        table = self.index.symbols.get(name)
        if table is None or not isinstance(table.decl, s.TableDecl) or self.checked is None:
            return []
        witness = ", ".join(f"{n} = {printer.literal(v)}" for n, v in d.witness_values)
        inputs = self.checked.inputs
        computed = next((n for n, _ in d.witness_values if n not in inputs), None)
        if computed is not None:
            reason = message("L_fix_example_computed", self.lang, name=computed)
            return [self._disabled(message("L_fix_example_plain", self.lang, witness=witness), reason)]
        results = self._candidate_results(d, table.decl)
        if not results:
            reason = message("L_fix_example_no_result", self.lang)
            return [self._disabled(message("L_fix_example_plain", self.lang, witness=witness), reason)]
        given = [(n, printer.literal(v)) for n, v in d.witness_values]
        given += [(n, filler) for n, filler in self._fillers({n for n, _ in d.witness_values})]
        title_in_file = message("L_fix_example_title", self.lang, finding=d.code, witness=witness)
        actions = []
        for result in results:
            example = (f"example {printer.quote(title_in_file)}\n"
                       f"  given {', '.join(f'{n} = {v}' for n, v in given)}\n"
                       f"  expect {name} = {result}")  # fmt: skip
            title = message("L_fix_example", self.lang, witness=witness, target=name, result=result)
            actions.append(self.action(title, [self._append_example(example)]))
        return actions

    def _disabled(self, title: str, reason: str) -> Fix:
        return Fix(title, disabled=reason)

    def _candidate_results(self, d: Diagnostic, table: s.TableDecl) -> list[str]:
        """The results an example of this witness may expect: the two overlapping rows', or the nearest rows'."""
        literal_rows = [(i, r) for i, r in enumerate(table.rows) if isinstance(r.result, (s.StringLit, s.NumberLit, s.BoolLit))]
        if d.code == "K503":
            args = dict(d.args)
            wanted = {int(args["first"]) - 1, int(args["second"]) - 1}
            chosen = [r for i, r in literal_rows if i in wanted]
        else:
            value = d.witness_values[0][1]
            labels = self._labels_of_subject(table)
            chosen = [r for _, r in sorted(literal_rows, key=lambda ir: _distance(ir[1].condition, value, labels))]
        texts = list(dict.fromkeys(printer.expr(r.result) for r in chosen))
        return texts if d.code == "K503" else texts[:CANDIDATE_RESULTS]

    def _labels_of_subject(self, table: s.TableDecl) -> tuple[str, ...]:
        typ = self.checked.type_of(table.subject) if self.checked is not None else None
        return typ.labels if isinstance(typ, t.LabelT) else ()

    def _fillers(self, given: set[str]) -> list[tuple[str, str]]:
        """The other required inputs, each with the lowest value its type allows."""
        assert self.checked is not None
        found = []
        for name, decl in self.checked.inputs.items():
            if name in given or decl.optional or name in self.checked.suppliable:
                continue
            typ = self.checked.types.get(name)
            if isinstance(typ, t.NumberT):
                found.append((name, printer.literal(typ.low if typ.low is not None else Decimal(0))))
            elif isinstance(typ, t.BoolT):
                found.append((name, "false"))
            elif isinstance(typ, t.LabelT) and typ.labels:
                found.append((name, printer.quote(typ.labels[0])))
            elif isinstance(typ, t.ListT):
                found.append((name, "[]"))
        return found

    def _append_example(self, example: str) -> Edit:
        """After the last example (examples are packed, as `kinerja fmt` writes them), else at the end."""
        examples = [e for e in self.index.extents if isinstance(e.node, s.ExampleDecl)]
        if examples:
            line = examples[-1].end[0]
            at = (line, len(self.text.lines[line]))
            return self.edit(at, at, "\n" + example)
        at = self.text.end_point()
        lead = "\n" if self.text.lines[-1] == "" else "\n\n"
        return self.edit(at, at, lead + example + "\n")

    # ------------------------------------------------------------ quadrants
    def _quadrant(self, d: Diagnostic) -> s.QuadrantDecl | None:
        symbol = self.index.symbols.get(str(dict(d.args).get("name", "")))
        if symbol is None or not isinstance(symbol.decl, s.QuadrantDecl) or symbol.file != self.snapshot.path:
            return None
        return symbol.decl

    def missing_key(self, d: Diagnostic) -> list[Fix]:
        quadrant = self._quadrant(d)
        subject, value = d.witness_values[0]
        if quadrant is None or not isinstance(value, str):
            return []
        label = printer.quote(value)
        if subject == printer.expr(quadrant.row_subject):
            keys = [r.key for r in quadrant.rows]
            at = _insertion(keys, value, self._axis_labels(quadrant.row_subject))
            edit = self._new_row(quadrant, at, label)
            title = message("L_fix_quadrant_row", self.lang, label=label, name=quadrant.name)
            return [self.action(title, [edit])] if edit else []
        if subject == printer.expr(quadrant.column_subject):
            at = _insertion(list(quadrant.columns), value, self._axis_labels(quadrant.column_subject))
            edits = self._new_column(quadrant, at, label)
            title = message("L_fix_quadrant_column", self.lang, label=label, name=quadrant.name)
            return [self.action(title, edits)] if edits else []
        return []

    def _axis_labels(self, subject: s.Expr) -> tuple[str, ...]:
        typ = self.checked.type_of(subject) if self.checked is not None else None
        return typ.labels if isinstance(typ, t.LabelT) else ()

    def _bars(self, line: int) -> list[Token]:
        return [tok for tok in self.text.code if tok.line == line and tok.text == "|"]

    def _new_row(self, quadrant: s.QuadrantDecl, at: int, label: str) -> Edit | None:
        header_line = self._header_line(quadrant)
        if header_line is None:
            return None
        # line up with the row it lands next to (in a formatted quadrant every line has the same bars)
        neighbour = quadrant.rows[min(at, len(quadrant.rows) - 1)].span.line - 1 if quadrant.rows else header_line
        bars = self._bars(neighbour)
        indent = bars[0].column if bars else 2
        cells = [label] + ["-"] * len(quadrant.columns)
        line_text = _aligned(indent, cells, [b.column for b in bars])
        if at < len(quadrant.rows):
            row_line = quadrant.rows[at].span.line - 1
            return self.edit((row_line, 0), (row_line, 0), line_text + "\n")
        last = quadrant.rows[-1].span.end_line - 1 if quadrant.rows else header_line
        return self.edit((last + 1, 0), (last + 1, 0), line_text + "\n")

    def _header_line(self, quadrant: s.QuadrantDecl) -> int | None:
        first_row = quadrant.rows[0].span.line - 1 if quadrant.rows else None
        start = point_of(quadrant.span)
        for token in self.text.code:
            if token.start > start and token.text == "|" and (first_row is None or token.line < first_row):
                return token.line
        return None

    def _new_column(self, quadrant: s.QuadrantDecl, at: int, label: str) -> list[Edit]:
        header_line = self._header_line(quadrant)
        if header_line is None:
            return []
        edits = []
        lines = [(header_line, label)] + [(row.span.line - 1, "-") for row in quadrant.rows]
        for line, cell in lines:
            bars = self._bars(line)
            if len(bars) < at + 2:
                return []
            after = bars[at + 1]  # bar 0 opens the line, bar 1 closes the caption or row key
            edits.append(self.edit(after.end, after.end, f" {cell} |"))
        return edits

    def fill_cell(self, d: Diagnostic) -> list[Fix]:
        quadrant = self._quadrant(d)
        if quadrant is None:
            return []
        start, end = self.text.span_points(d.span)
        args = dict(d.args)
        actions = []
        for label in self._cell_labels(quadrant):
            value = printer.quote(label)
            title = message("L_fix_fill_cell", self.lang, row=args.get("row"), column=args.get("column"), value=value)
            actions.append(self.action(title, [self.edit(start, end, value)]))
        return actions

    def _cell_labels(self, quadrant: s.QuadrantDecl) -> list[str]:
        typ = self.checked.types.get(quadrant.name) if self.checked is not None else None
        if isinstance(typ, t.LabelT):
            return list(typ.labels)
        written = [c.value.value for r in quadrant.rows for c in r.cells if isinstance(c.value, s.StringLit)]
        return list(dict.fromkeys(written))

    def pad_row(self, d: Diagnostic) -> list[Fix]:
        args = dict(d.args)
        missing = int(args.get("expected", 0)) - int(args.get("found", 0))
        bars = self._bars(d.span.line - 1)
        if missing <= 0 or not bars:
            return []
        last = bars[-1]
        title = message("L_fix_pad_row", self.lang, row=args.get("row"), count=missing)
        return [self.action(title, [self.edit(last.end, last.end, " - |" * missing)])]


def _distance(condition: s.Condition, value: Any, labels: tuple[str, ...]) -> Decimal:
    """How far a row's condition is from a witness value: 0 when it holds it, else the gap to its nearest bound."""
    if isinstance(condition, s.Otherwise):
        return Decimal(10**9)
    if isinstance(condition, s.Interval) and isinstance(value, Decimal):
        gaps = [abs(value - bound) for bound in (condition.low, condition.high) if bound is not None]
        return Decimal(0) if conditions.matches(conditions.from_row(condition), value) else min(gaps, default=Decimal(10**9))
    if isinstance(condition, s.Equals) and isinstance(condition.value.value, str) and value in labels:
        if condition.value.value in labels:
            return Decimal(abs(labels.index(condition.value.value) - labels.index(value)))
    return Decimal(10**9)


def _insertion(keys: list[s.AxisKey], label: str, order: tuple[str, ...]) -> int:
    """Where a missing label goes among the written keys, keeping the order they are written in."""
    if label not in order:
        return len(keys)
    ranks = [order.index(k.value) if isinstance(k, s.StringLit) and k.value in order else -1 for k in keys]
    mine = order.index(label)
    rising = len(ranks) < 2 or ranks[0] <= ranks[-1]
    for position, rank in enumerate(ranks):
        if rank >= 0 and ((rising and rank > mine) or (not rising and rank < mine)):
            return position
    return len(keys)


def _aligned(indent: int, cells: list[str], bar_columns: list[int]) -> str:
    """A matrix line whose bars fall under the header's bars where the cells fit."""
    line = " " * indent + "|"
    for number, cell in enumerate(cells):
        line += f" {cell} "
        target = bar_columns[number + 1] if number + 1 < len(bar_columns) else len(line)
        line = line.ljust(target) + "|"
    return line
