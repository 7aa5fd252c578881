"""A code lens over each `example`: it runs the example (`Ruleset.run_examples`, as `kinerja test`
does) and says whether it passes; the lens's command runs it again and shows every problem."""

from __future__ import annotations

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.library.ruleset import ExampleOutcome, Ruleset
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.protocol import range_of
from kinerja.syntax import tree as s
from lsprotocol import types as lsp

RUN_EXAMPLE = "kinerja.runExample"
PROBLEM_WIDTH = 100


def outcomes(snapshot: Snapshot) -> list[ExampleOutcome] | None:
    """Every example of the document run, or None when the ruleset has errors (nothing can run)."""
    module = snapshot.report.module
    if module is None or snapshot.errors or not snapshot.current:
        return None
    try:
        return Ruleset.from_module(module, snapshot.path).run_examples()
    except KinerjaError:
        return None


def lenses(snapshot: Snapshot, results: list[ExampleOutcome] | None, lang: str) -> list[lsp.CodeLens]:
    index = snapshot.index
    if index is None or not snapshot.current:
        return []
    by_line = {o.span.line: o for o in results or []}
    found = []
    for extent in index.extents:
        if not isinstance(extent.node, s.ExampleDecl):
            continue
        line = extent.start[0]
        where = range_of(snapshot.text, extent.start, (line, len(snapshot.text.lines[line])))
        outcome = by_line.get(extent.node.span.line)
        if results is None or outcome is None:
            title = message("L_lens_not_run", lang)
        elif outcome.passed:
            title = message("L_lens_pass", lang)
        else:
            title = message("L_lens_fail", lang, problem=_short("; ".join(outcome.problems)))
        found.append(lsp.CodeLens(where, lsp.Command(title=title, command=RUN_EXAMPLE, arguments=[snapshot.uri, line])))
    return found


def report(outcome: ExampleOutcome | None, title: str, lang: str) -> tuple[str, bool]:
    """What running one example says: the sentence and whether it passed."""
    if outcome is None:
        return message("L_lens_not_run", lang), False
    if outcome.passed:
        return message("L_run_pass", lang, title=title), True
    return message("L_run_fail", lang, title=title, problems="; ".join(outcome.problems)), False


def _short(text: str) -> str:
    first = text.splitlines()[0] if text else text
    return first if len(first) <= PROBLEM_WIDTH else first[: PROBLEM_WIDTH - 1] + "…"
