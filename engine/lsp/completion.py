"""Completion: the names in scope, the labels the position expects, keywords, built-ins.

What the position expects is read from the tokens before the cursor (the text is often
half-typed and does not parse); what the names mean is read from the last checked
version of the ruleset: the labels of `rating`, the parts of `bobot`, the fields of a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.diagnostics.messages import message
from kinerja.library.api import Library
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.language import BUILTINS, DECLARATIONS, MODES, builtin_help
from kinerja.lsp.protocol import range_of
from kinerja.lsp.text import Point, Token
from kinerja.semantics import types as t
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.format import type_text
from lsprotocol import types as lsp

HEADER_WORDS = ("title", "source", "short", "effective", "from", "until", "extends", "supersedes", "cite", "note")
TYPE_WORDS = ("decimal", "integer", "boolean", "enum", "scale", "list", "optional")
EXPRESSION_WORDS = ("if", "then", "else", "and", "or", "not", "true", "false")
# words that may open a line inside each kind of declaration
INNER_WORDS = {
    "table": ("otherwise", "end", "cite", "note"), "rubric": ("otherwise", "end", "cite", "note"),
    "weights": ("when", "otherwise", "end", "cite", "note"), "quadrant": ("end", "cite", "note"),
    "example": ("given", "expect", "cite", "note"), "exception": ("when", "then", "cite", "note"),
    "distribution": ("when", "share", "most", "at", "end", "cite", "note"),
}  # fmt: skip
_KINDS = {
    "type": lsp.CompletionItemKind.Enum, "input": lsp.CompletionItemKind.Variable,
    "value": lsp.CompletionItemKind.Function, "weights": lsp.CompletionItemKind.Struct,
    "table": lsp.CompletionItemKind.Class, "rubric": lsp.CompletionItemKind.Class,
    "quadrant": lsp.CompletionItemKind.Class,
}  # fmt: skip


@dataclass(frozen=True)
class Context:
    """The declaration the cursor is in and the tokens before it."""

    keyword: str  # the declaration's keyword, or "ruleset" in the header
    before: list[Token]  # this declaration's tokens before the cursor (and before a half-typed word)
    line_before: list[Token]  # the same, on the cursor's line only
    partial: Token | None  # the word or string the cursor is in or right after

    def previous(self, back: int = 1) -> str | None:
        return self.before[-back].text if len(self.before) >= back else None


def complete(snapshot: Snapshot, point: Point, lang: str, library: Library) -> lsp.CompletionList:
    inside = snapshot.text.token_at(point, touching=True, code_only=False)
    if inside is not None and inside.kind == "comment" and inside.start < point:
        return lsp.CompletionList(is_incomplete=False, items=[])
    context = _context(snapshot, point)
    maker = _Items(snapshot, point, lang, context)
    return lsp.CompletionList(is_incomplete=False, items=maker.items(library))


def _context(snapshot: Snapshot, point: Point) -> Context:
    text = snapshot.text
    tokens = text.before(point)
    partial = None
    if tokens and tokens[-1].holds(point) and tokens[-1].kind in ("word", "string", "ref", "id"):
        partial = tokens[-1]
        tokens = tokens[:-1]
    start = 0
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        first_on_line = i == 0 or tokens[i - 1].line != token.line
        if first_on_line and token.kind == "word" and (token.text in DECLARATIONS or token.text == "ruleset"):
            if i > 0 and tokens[i - 1].text == "override":
                continue
            start = i
            break
    before = tokens[start:]
    keyword = before[0].text if before else "ruleset"
    if keyword == "override":
        keyword = before[1].text if len(before) > 1 else keyword
    line_before = [tok for tok in before if tok.line == point[0]]
    return Context(keyword, before, line_before, partial)


class _Items:
    def __init__(self, snapshot: Snapshot, point: Point, lang: str, context: Context):
        self.snapshot = snapshot
        self.point = point
        self.lang = lang
        self.context = context
        self.index = snapshot.index
        self.types = snapshot.checked.types if snapshot.checked is not None else {}

    # ------------------------------------------------------------ what the position expects
    def items(self, library: Library) -> list[lsp.CompletionItem]:
        c = self.context
        prev = c.previous()
        if c.partial is not None and c.partial.kind == "string":
            # inside quotes: a label the position expects, or nothing (a description, a citation, a title)
            expected = self.expected_labels()
            return self.labels(*expected) if expected is not None else []
        if c.keyword == "ruleset":
            if prev in ("extends", "supersedes"):
                return self.rulesets(library)
            return self.keywords(HEADER_WORDS + DECLARATIONS)
        if not c.line_before:  # the first word of a line: a declaration or a word of this one
            return self.keywords(DECLARATIONS + INNER_WORDS.get(c.keyword, ()))
        if prev == "." and len(c.before) >= 2:
            return self.parts(c.before[-2].text)
        labels = self.expected_labels()
        if labels is not None:
            return self.labels(*labels)
        if c.keyword == "example":
            return self.example_names()
        if prev in (":", "optional") and c.keyword in ("input", "value", "table", "rubric", "quadrant", "type"):
            return self.type_names()
        if prev == "=" and c.keyword == "type":
            return self.keywords(TYPE_WORDS)
        if self.rounding_mode():
            return [self.item(mode, lsp.CompletionItemKind.EnumMember, None) for mode in MODES]
        if prev in ("overrides", "of", "by") and c.keyword in ("exception", "distribution"):
            return self.names()
        return self.names() + self.builtins() + self.keywords(EXPRESSION_WORDS)

    def expected_labels(self) -> tuple[list[str], str] | None:
        """The labels a label written here must be one of, and the type they belong to."""
        c = self.context
        before = c.before
        prev, prev2 = c.previous(), c.previous(2)
        if c.keyword == "example" and prev == "=" and prev2 is not None:
            return self.labels_of(prev2)
        if c.keyword == "input" and prev == "default":
            written = _declared_type(before)
            return self.labels_of(written) if written else (self.labels_of(before[1].text) if len(before) > 1 else None)
        if c.keyword in ("table", "rubric"):
            subject = _word_after(before, "on")
            if prev == "=" and len(c.line_before) == 1 and subject is not None:  # a row's `= "label"`
                return self.labels_of(subject)
            if prev == "->" and len(before) > 1:
                return self.result_labels(before[1].text)
        if c.keyword == "quadrant" and c.line_before and c.line_before[0].text == "|":
            return self.matrix_labels()
        if c.keyword == "exception" and prev in ("then", "else"):
            target = _word_after(before, "overrides")
            return self.labels_of(target) if target else None
        if c.keyword == "distribution":
            output, group = _word_after(before, "of"), _word_after(before, "by")
            if prev == "when" and group:
                return self.labels_of(group)
            if prev in ("most", "share", "+") or (prev == "of" and prev2 is not None and prev2.isdigit()):
                return self.labels_of(output) if output else None
        if prev in ("=", "!=", "<", "<=", ">", ">=") and prev2 is not None and before[-2].kind == "word":
            return self.labels_of(prev2)
        return None

    def matrix_labels(self) -> tuple[list[str], str] | None:
        c = self.context
        bars = sum(1 for tok in c.line_before if tok.text == "|")
        first_matrix_line = next((tok.line for tok in c.before if tok.text == "|"), None)
        if first_matrix_line == c.line_before[0].line:  # the header line: the column labels
            column = _word_after(c.before, "columns")
            return self.labels_of(column) if column and bars >= 2 else None
        if bars == 1:
            row = _word_after(c.before, "rows")
            return self.labels_of(row) if row else None
        return self.result_labels(c.before[1].text) if len(c.before) > 1 else None

    def result_labels(self, name: str) -> tuple[list[str], str] | None:
        """The labels a table or quadrant may produce: its declared or checked type, else those it already uses."""
        written = _declared_type(self.context.before)
        found = self.labels_of(written) if written else None
        if found is not None:
            return found
        found = self.labels_of(name)
        if found is not None:
            return found
        symbol = self.index.symbols.get(name) if self.index else None
        written: list[str] = []
        if symbol is not None and isinstance(symbol.decl, s.TableDecl):
            written = [r.result.value for r in symbol.decl.rows if isinstance(r.result, s.StringLit)]
        elif symbol is not None and isinstance(symbol.decl, s.QuadrantDecl):
            written = [c.value.value for r in symbol.decl.rows for c in r.cells if isinstance(c.value, s.StringLit)]
        return (list(dict.fromkeys(written)), name) if written else None

    def labels_of(self, name: str) -> tuple[list[str], str] | None:
        typ = self.types.get(name)
        if isinstance(typ, t.LabelT):
            return list(typ.labels), typ.name or name
        symbol = self.index.symbols.get(name) if self.index else None
        if symbol is None:
            return None
        written = getattr(symbol.decl, "type", None) or getattr(symbol.decl, "declared_type", None)
        if isinstance(written, (s.EnumType, s.ScaleType)):
            return list(written.labels), name
        if isinstance(written, s.NamedType) and written.name != name:
            return self.labels_of(written.name)
        return None

    def rounding_mode(self) -> bool:
        """Inside `round(…, …, |)`: the third argument is a rounding mode."""
        depth, commas = 0, 0
        for token in reversed(self.context.before):
            if token.text == ")":
                depth += 1
            elif token.text == "(":
                if depth == 0:
                    index = self.context.before.index(token)
                    return commas == 2 and index > 0 and self.context.before[index - 1].text == "round"
                depth -= 1
            elif token.text == "," and depth == 0:
                commas += 1
        return False

    # ------------------------------------------------------------ item lists
    def example_names(self) -> list[lsp.CompletionItem]:
        words = [tok.text for tok in self.context.before if tok.text in ("given", "expect", "invalid")]
        section = words[-1] if words else None
        prev = self.context.previous()
        if prev == "=":  # a value that is not a label
            return self.keywords(("true", "false", "none"))
        if section in ("given", "invalid"):
            return self.names(kinds=("input",))
        if section == "expect":
            return self.names(outputs_first=True) + (self.keywords(("invalid",)) if prev == "expect" else [])
        return self.keywords(("given", "expect"))

    def names(self, kinds: tuple[str, ...] | None = None, outputs_first: bool = False) -> list[lsp.CompletionItem]:
        if self.index is None:
            return []
        inputs = {name for name, decl in self._inputs()}
        found = []
        for symbol in self.index.symbols.values():
            kind = "input" if symbol.name in inputs else symbol.kind
            if kind == "type" or (kinds is not None and kind not in kinds):
                continue
            typ = self.types.get(symbol.name)
            detail = message("L_kind_" + kind, self.lang) + (f": {typ.describe()}" if typ is not None else "")
            description = getattr(symbol.decl, "description", None)
            item = self.item(symbol.name, _KINDS.get(symbol.kind, lsp.CompletionItemKind.Variable), detail, description)
            if outputs_first and any(o.name == symbol.name for o in self._outputs()):
                item.sort_text = "0" + symbol.name
            found.append(item)
        return found

    def _inputs(self) -> list[tuple[str, object]]:
        checked = self.snapshot.checked
        if checked is not None:
            return list(checked.inputs.items())
        return [(n, sym.decl) for n, sym in (self.index.symbols.items() if self.index else []) if sym.kind == "input"]

    def _outputs(self) -> list[s.OutputDecl]:
        module = self.snapshot.report.module or self.snapshot.source
        return module.of_kind(s.OutputDecl) if module is not None else []

    def type_names(self) -> list[lsp.CompletionItem]:
        found = self.keywords(TYPE_WORDS)
        if self.index is not None:
            for symbol in self.index.symbols.values():
                if symbol.kind == "type" and isinstance(symbol.decl, s.TypeDecl):
                    found.append(self.item(symbol.name, lsp.CompletionItemKind.Enum, type_text(symbol.decl.type), symbol.decl.description))
        return found

    def parts(self, owner: str) -> list[lsp.CompletionItem]:
        """`bobot.` → the weight set's parts; `x.` inside `sum(… for x in list)` → the list's fields."""
        symbol = self.index.symbols.get(owner) if self.index else None
        if symbol is not None and isinstance(symbol.decl, s.WeightsDecl) and symbol.decl.branches:
            return [self.item(i.name, lsp.CompletionItemKind.Property, f"{owner}.{i.name} = {i.written}")
                    for i in symbol.decl.branches[0].items]  # fmt: skip
        source = _loop_source(list(self.snapshot.text.code), owner, self.point)
        typ = self.types.get(source or owner)
        if isinstance(typ, t.ListT) and isinstance(typ.item, t.RecordT):
            return [self.item(name, lsp.CompletionItemKind.Field, ft.describe()) for name, ft in typ.item.fields]
        return []

    def labels(self, labels: list[str], type_name: str) -> list[lsp.CompletionItem]:
        partial = self.context.partial
        replace = None
        if partial is not None and partial.kind == "string":
            replace = range_of(self.snapshot.text, partial.start, partial.end)
        detail = message("L_kind_label", self.lang, type=type_name)
        found = []
        for order, label in enumerate(labels):
            quoted = printer.quote(label)
            item = lsp.CompletionItem(label=quoted, kind=lsp.CompletionItemKind.EnumMember, detail=detail,
                                      sort_text=f"{order:04}", filter_text=quoted)  # fmt: skip
            if replace is not None:
                item.text_edit = lsp.TextEdit(replace, quoted)
            else:
                item.insert_text = quoted
            found.append(item)
        return found

    def keywords(self, words: tuple[str, ...]) -> list[lsp.CompletionItem]:
        detail = message("L_kind_keyword", self.lang)
        return [self.item(word, lsp.CompletionItemKind.Keyword, detail) for word in dict.fromkeys(words)]

    def builtins(self) -> list[lsp.CompletionItem]:
        found = []
        for name in BUILTINS:
            signature, summary = builtin_help(name, self.lang) or (None, None)
            found.append(self.item(name, lsp.CompletionItemKind.Function, signature, summary))
        return found

    def rulesets(self, library: Library) -> list[lsp.CompletionItem]:
        return [self.item(f"{info.id}@{info.version}", lsp.CompletionItemKind.Module, info.title) for info in library.list()]

    def item(self, label: str, kind: lsp.CompletionItemKind, detail: str | None, documentation: str | None = None) -> lsp.CompletionItem:
        partial = self.context.partial
        item = lsp.CompletionItem(label=label, kind=kind, detail=detail,
                                  documentation=lsp.MarkupContent(lsp.MarkupKind.Markdown, documentation) if documentation else None)  # fmt: skip
        if partial is not None and partial.kind in ("word", "ref", "id"):
            item.text_edit = lsp.TextEdit(range_of(self.snapshot.text, partial.start, self.point), label)
        return item


def _word_after(tokens: list[Token], keyword: str) -> str | None:
    for i, token in enumerate(tokens[:-1]):
        if token.kind == "word" and token.text == keyword and tokens[i + 1].kind == "word":
            return tokens[i + 1].text
    return None


def _declared_type(tokens: list[Token]) -> str | None:
    """The type a declaration names after its name: `input x: optional rating`, `table t: predikat on …`."""
    if len(tokens) > 3 and tokens[2].text == ":":
        at = 4 if tokens[3].text == "optional" and len(tokens) > 4 else 3
        return tokens[at].text if tokens[at].kind == "word" else None
    return None


def _loop_source(tokens: list[Token], variable: str, point: Point) -> str | None:
    """In `sum(x.a for x in target_skp)`, the list `x` runs over: the `for x in` nearest the cursor."""
    best: tuple[int, str] | None = None
    for i in range(len(tokens) - 3):
        if tokens[i].text == "for" and tokens[i + 1].text == variable and tokens[i + 2].text == "in":
            distance = abs(tokens[i].line - point[0])
            if best is None or distance < best[0]:
                best = (distance, tokens[i + 3].text)
    return best[1] if best else None
