"""Quick fixes as the protocol's code actions: each `kinerja.lsp.fixes.Fix` of a finding in the
requested range becomes a `CodeAction` whose edits are in the client's position encoding."""

from __future__ import annotations

from collections.abc import Callable

from kinerja.diagnostics.diagnostic import Diagnostic
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.fixes import Fix, fixes_for
from kinerja.lsp.protocol import range_of
from kinerja.lsp.text import Point
from lsprotocol import types as lsp

Converter = Callable[[Diagnostic], lsp.Diagnostic]


def code_actions(snapshot: Snapshot, start: Point, end: Point, lang: str, convert: Converter) -> list[lsp.CodeAction]:
    if snapshot.index is None or not snapshot.current:
        return []
    actions: list[lsp.CodeAction] = []
    for d in snapshot.diagnostics:
        shown = convert(d)
        low, high = snapshot.text.from_client(shown.range.start.line, shown.range.start.character), \
            snapshot.text.from_client(shown.range.end.line, shown.range.end.character)  # fmt: skip
        if high < start or low > end:
            continue
        for fix in fixes_for(snapshot, d, lang):
            action = code_action(snapshot, fix)
            action.diagnostics = [shown]
            actions.append(action)
    return actions


def code_action(snapshot: Snapshot, fix: Fix) -> lsp.CodeAction:
    if fix.disabled is not None:
        return lsp.CodeAction(title=fix.title, kind=lsp.CodeActionKind.QuickFix, disabled=lsp.CodeActionDisabled(fix.disabled))
    edits = [lsp.TextEdit(range_of(snapshot.text, e.start, e.end), e.new) for e in fix.edits]
    return lsp.CodeAction(title=fix.title, kind=lsp.CodeActionKind.QuickFix, is_preferred=fix.preferred or None,
                          edit=lsp.WorkspaceEdit(changes={snapshot.uri: edits}))  # fmt: skip
