"""Semantic tokens: what each word of the ruleset is, so an editor colours an input, a derived
value, a type, a weight part and a label apart (the TextMate grammar cannot know which)."""

from __future__ import annotations

from kinerja.lsp import index as ix
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.language import MODES, keywords
from kinerja.lsp.text import Token
from lsprotocol import types as lsp

TYPES = ["namespace", "type", "enumMember", "parameter", "variable", "property", "function", "event",
         "keyword", "string", "number", "comment", "operator"]  # fmt: skip
MODIFIERS = ["declaration", "readonly", "defaultLibrary"]
LEGEND = lsp.SemanticTokensLegend(token_types=TYPES, token_modifiers=MODIFIERS)

_BY_KIND = {"type": "type", "input": "variable", "value": "function", "table": "function", "rubric": "function",
            "quadrant": "function", "weights": "variable", "exception": "event"}  # fmt: skip
_OPERATORS = frozenset({"->", "×", "*", "/", "+", "-", "<", "<=", ">", ">=", "=", "!=", "%"})
# a string after one of these is a label (a value of an enum or scale), not a description or a citation
_LABEL_AFTER = frozenset({"->", "=", "!=", "<", "<=", ">", ">=", "|", ",", "{", "(", "[", "+", "then", "else", "when",
                          "most", "share", "of", "scale", "default", "cell"})  # fmt: skip


def semantic_tokens(snapshot: Snapshot) -> lsp.SemanticTokens:
    text = snapshot.text
    index = snapshot.index
    occurrences = {o.start: o for o in index.occurrences} if index is not None and snapshot.current else {}
    inputs = set(snapshot.checked.inputs) if snapshot.checked is not None else set()
    words = keywords()
    data: list[int] = []
    last_line, last_start = 0, 0
    previous: Token | None = None
    for token in text.tokens:
        kind, modifiers = _classify(token, previous, occurrences, index, inputs, words)
        if token.kind != "comment":
            previous = token
        if kind is None:
            continue
        line, start = text.to_client(token.start)
        _, end = text.to_client(token.end)
        delta_start = start - last_start if line == last_line else start
        data += [line - last_line, delta_start, end - start, TYPES.index(kind), modifiers]
        last_line, last_start = line, start
    return lsp.SemanticTokens(data=data)


def _bits(*names: str) -> int:
    return sum(1 << MODIFIERS.index(name) for name in names)


def _classify(token: Token, previous: Token | None, occurrences: dict, index: ix.Index | None,
              inputs: set[str], words: frozenset[str]) -> tuple[str | None, int]:  # fmt: skip
    if token.kind == "comment":
        return "comment", 0
    if token.kind == "string":
        return ("enumMember" if previous is not None and previous.text in _LABEL_AFTER else "string"), 0
    if token.kind in ("number", "date", "version"):
        return "number", 0
    if token.kind in ("ref", "id"):
        return "namespace", 0
    if token.kind == "operator":
        return ("operator", 0) if token.text in _OPERATORS else (None, 0)
    if token.kind != "word":
        return None, 0
    occurrence: ix.Occurrence | None = occurrences.get(token.start)
    if occurrence is not None:
        declared = _bits("declaration") if occurrence.declaration else 0
        if occurrence.namespace == ix.BUILTIN:
            return "function", _bits("defaultLibrary")
        if occurrence.namespace == ix.PART:
            return "property", declared
        if occurrence.namespace == ix.LOCAL:
            return "parameter", 0
        symbol = index.symbol(occurrence) if index is not None else None
        if symbol is not None:
            kind = "input" if symbol.name in inputs else symbol.kind
            readonly = _bits("readonly") if kind == "input" else 0
            return _BY_KIND.get(kind, "variable"), declared | readonly
        if occurrence.namespace == ix.DISTRIBUTION:
            return "event", declared
        return None, 0
    if token.text in MODES and previous is not None and previous.text == ",":
        return "enumMember", _bits("defaultLibrary")
    if token.text in words:
        return "keyword", 0
    if index is not None and token.text in index.symbols and (previous is None or previous.text != "."):
        # the text no longer parses: name the word by the last index that did
        symbol = index.symbols[token.text]
        return _BY_KIND.get("input" if token.text in inputs else symbol.kind, "variable"), 0
    return None, 0
