"""Ruleset text as an editor sees it: lines, positions in the client's units, and tokens.

The engine counts columns in characters from 1 (`Span`); the protocol counts lines from 0
and columns in UTF-16 code units unless the client agreed on another encoding. Every
conversion between the two lives here.

The token scanner is the editor's view of the text: it also reads what does not parse yet
(a half-typed row, an open quote), so completion and highlighting keep working while the
author types. It names tokens by their shape only; what a word means comes from the
checked ruleset (`index.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from kinerja.syntax.tree import Span

UTF16 = "utf-16"
UTF32 = "utf-32"
UTF8 = "utf-8"

# (line, column), both from 0, column in characters: the server's own positions
Point = tuple[int, int]


@dataclass(frozen=True)
class Token:
    kind: str  # comment, string, number, word, ref, id, version, date, operator, other
    text: str
    line: int  # from 0
    column: int  # from 0, in characters

    @property
    def start(self) -> Point:
        return (self.line, self.column)

    @property
    def end(self) -> Point:
        return (self.line, self.column + len(self.text))

    def holds(self, point: Point) -> bool:
        """True when `point` is inside the token or just after its last character (a cursor at its end)."""
        return self.start <= point <= self.end


_SCAN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"(?:[^"\\\n]|\\.)*"?)
      | (?P<date>\d{4}-\d{2}-\d{2}(?![\w.]))
      | (?P<ref>[a-z][a-z0-9]*(?:-[a-z0-9]+)*@\d+(?:\.\d+)*)
      | (?P<version>\d+\.\d+\.\d+[0-9A-Za-z.+-]*)
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<operator>->|<=|>=|!=|[<>=+\-×*/%|,:.(){}\[\]])
      | (?P<other>\S)""",
    re.VERBOSE,
)
_RULESET_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def scan(text: str) -> tuple[Token, ...]:
    """Every token of the text, comments included, in order."""
    found: list[Token] = []
    for number, line in enumerate(text.split("\n")):
        at = 0
        while at < len(line):
            if line[at] in " \t\r\f\v":
                at += 1
                continue
            previous = next((t for t in reversed(found) if t.kind != "comment"), None)
            if previous is not None and previous.kind == "word" and previous.text == "ruleset":
                # a ruleset id may hold hyphens (`pp-30-2019`); anywhere else `a-b` is a subtraction
                matched = _RULESET_ID.match(line, at)
                if matched:
                    found.append(Token("id", matched.group(), number, at))
                    at = matched.end()
                    continue
            match = _SCAN.match(line, at)
            assert match is not None and match.lastgroup is not None  # `other` takes any non-space character
            found.append(Token(match.lastgroup, match.group(), number, at))
            at = match.end()
    return tuple(found)


def unquote(token_text: str) -> str:
    body = token_text[1:-1] if token_text.endswith('"') and len(token_text) >= 2 else token_text[1:]
    return re.sub(r"\\(.)", r"\1", body)


class Text:
    """One version of a document's text with position conversions in the client's encoding."""

    def __init__(self, source: str, encoding: str = UTF16):
        self.source = source
        self.encoding = encoding
        self.lines = source.split("\n")

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return scan(self.source)

    @cached_property
    def code(self) -> tuple[Token, ...]:
        """The tokens without comments."""
        return tuple(t for t in self.tokens if t.kind != "comment")

    # ------------------------------------------------------------ positions
    def _units(self, chars: str) -> int:
        if self.encoding == UTF32:
            return len(chars)
        if self.encoding == UTF8:
            return len(chars.encode("utf-8"))
        return len(chars.encode("utf-16-le")) // 2

    def to_client(self, point: Point) -> tuple[int, int]:
        """A server point as the client's (line, character)."""
        line, column = point
        if line >= len(self.lines):
            return (line, 0)
        return (line, self._units(self.lines[line][:column]))

    def from_client(self, line: int, character: int) -> Point:
        """The client's (line, character) as a server point (column in characters)."""
        if line >= len(self.lines) or line < 0:
            return (max(line, 0), 0)
        text = self.lines[line]
        if self.encoding == UTF32:
            return (line, min(character, len(text)))
        units = 0
        for index, char in enumerate(text):
            if units >= character:
                return (line, index)
            units += self._units(char)
        return (line, len(text))

    def span_points(self, span: Span) -> tuple[Point, Point]:
        """The start and end of an engine span; a span without an end covers the word it starts on."""
        start = (max(span.line - 1, 0), max(span.column - 1, 0))
        if span.end_line > 0 and (span.end_line, span.end_column) > (span.line, span.column):
            return start, (span.end_line - 1, span.end_column - 1)
        token = self.token_at(start, touching=False)
        if token is not None and token.start == start:
            return start, token.end
        line = self.lines[start[0]] if start[0] < len(self.lines) else ""
        return start, (start[0], min(start[1] + 1, len(line)) if line else start[1])

    def end_point(self) -> Point:
        return (len(self.lines) - 1, len(self.lines[-1]))

    # ------------------------------------------------------------ tokens
    def token_at(self, point: Point, *, touching: bool = True, code_only: bool = True) -> Token | None:
        """The token under `point`; with `touching`, also one that ends right at it (a cursor after a word)."""
        pool = self.code if code_only else self.tokens
        best = None
        for token in pool:
            if token.line != point[0]:
                if token.line > point[0]:
                    break
                continue
            if token.start <= point < token.end:
                return token
            if touching and token.end == point:
                best = token
        return best

    def tokens_between(self, start: Point, end: Point | None) -> list[Token]:
        return [t for t in self.code if t.start >= start and (end is None or t.start < end)]

    def before(self, point: Point) -> list[Token]:
        """Code tokens that start before `point`."""
        return [t for t in self.code if t.start < point]


def word_span(path: str, token: Token) -> Span:
    """An engine span (1-based) covering one token."""
    return Span(path, token.line + 1, token.column + 1, token.line + 1, token.column + 1 + len(token.text))


def point_of(span: Span) -> Point:
    return (span.line - 1, span.column - 1)


def span_end(span: Span) -> Point:
    return (span.end_line - 1, span.end_column - 1)
