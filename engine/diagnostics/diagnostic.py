"""Diagnostics as values, and the exceptions that carry them.

A diagnostic keeps its code and message arguments, not a rendered sentence, so
the same finding can be shown in Indonesian or English, as text or as JSON.
"""

from __future__ import annotations

from dataclasses import field, replace
from decimal import Decimal
from typing import Any, Union

from kinerja.diagnostics.messages import Phrase, message
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.tree import NOWHERE, Span

ERROR = "error"
WARNING = "warning"
INFO = "info"


# A suggestion is a catalogue message with its arguments: the one coded-message value.
Suggestion = Phrase


# A witness value: a number, a label or a truth value, as a ruleset writes it.
WitnessValue = Union[Decimal, str, bool]


@dataclass(frozen=True)
class Related:
    """Another place a finding points at: the other row of an overlap, the name a did-you-mean means."""

    span: Span
    code: str  # a catalogue key saying what is there, e.g. "R_declared_here"
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str | None = None) -> str:
        return message(self.code, lang, **dict(self.args))

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"file": self.span.file, "line": self.span.line, "column": self.span.column,
                "end_line": self.span.end_line, "end_column": self.span.end_column, "message": self.text(lang)}  # fmt: skip


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable code, a severity, a place, and the message's arguments (said in any language)."""

    code: str
    severity: str
    span: Span
    args: tuple[tuple[str, Any], ...] = ()
    suggestion: Suggestion | None = None
    witness: str | None = None
    source_line: str | None = field(default=None, compare=False)
    # the witness as name = value pairs (what `witness` says in words), for tools that act on it
    witness_values: tuple[tuple[str, WitnessValue], ...] = ()
    related: tuple[Related, ...] = ()

    @property
    def phrase(self) -> Phrase:
        """What the diagnostic says, as the one coded-message value (code and arguments)."""
        return Phrase(self.code, self.args)

    def text(self, lang: str | None = None) -> str:
        return self.phrase.render(lang)

    @property
    def field(self) -> str | None:
        """The input field an input-validation diagnostic is about (None for ruleset diagnostics)."""
        value = dict(self.args).get("field")
        return None if value is None else str(value)

    def render(self, lang: str | None = None) -> str:
        """The diagnostic as a person reads it: place, code, words, the line and a caret."""
        place = f"{self.span}: " if self.span.line > 0 else (f"{self.span.file}: " if self.span.file != "<builtin>" else "")
        head = f"{place}{message(self.severity, lang)} {self.code}: {self.text(lang)}"
        lines = [head]
        if self.source_line is not None and self.span.line > 0:
            gutter = f"{self.span.line:>4} | "
            lines.append(gutter + self.source_line.rstrip("\n"))
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
                width = self.span.end_column - self.span.column
            lines.append(" " * (len(gutter) + self.span.column - 1) + "^" * width)
        if self.witness is not None:
            lines.append(f"     = {message('witness', lang)}: {self.witness}")
        if self.suggestion is not None:
            lines.append(f"     = {message('help', lang)}: {self.suggestion.render(lang)}")
        return "\n".join(lines)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "message": self.text(lang),
            "suggestion": self.suggestion.render(lang) if self.suggestion else None,
            "witness": self.witness,
            **({"field": self.field} if self.field is not None else {}),
            # added later; every key above keeps its meaning
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "witness_values": [{"name": n, "value": v} for n, v in self.witness_values] if self.witness_values else None,
            "related": [r.to_dict(lang) for r in self.related],
        }


def with_source(diagnostics: list[Diagnostic], source_text: str, path: str | None = None) -> list[Diagnostic]:
    """Attach the offending source line to each diagnostic (of file `path`), for the caret display."""
    lines = source_text.split("\n")  # LF only, as the parser counts lines (U+2028 in a comment is no line break)
    out = []
    for d in diagnostics:
        same_file = path is None or d.span.file == path
        if same_file and 0 < d.span.line <= len(lines) and d.source_line is None:
            d = replace(d, source_line=lines[d.span.line - 1])
        out.append(d)
    return out


def diagnostic(
    code: str,
    span: Span = NOWHERE,
    severity: str = ERROR,
    suggestion: Suggestion | None = None,
    witness: str | None = None,
    witness_values: tuple[tuple[str, WitnessValue], ...] = (),
    related: tuple[Related, ...] = (),
    **args: Any,
) -> Diagnostic:
    return Diagnostic(code, severity, span, tuple(args.items()), suggestion, witness,
                      witness_values=witness_values, related=related)  # fmt: skip


class CodedError(ValueError):
    """An error that is one coded message (code and arguments), rendered in the reader's language.

    The base of every error kinerja raises that is not about a place in a ruleset or a record:
    a usage error of a command, a table that cannot be opened. Its text is chosen when it is
    shown (`render(lang)`); `str()` is English, for logs and tracebacks.
    """

    def __init__(self, code: str, /, **args: Any):
        self.phrase = Phrase.of(code, **args)
        super().__init__(code)

    def __str__(self) -> str:
        try:
            return self.phrase.render("en")
        except (KeyError, IndexError):  # still missing an argument its raiser adds later
            return f"{self.code} {self.args_}"

    @property
    def code(self) -> str:
        return self.phrase.code

    @property
    def args_(self) -> dict[str, Any]:
        return dict(self.phrase.args)

    def render(self, lang: str | None = None) -> str:
        return self.phrase.render(lang)


class KinerjaError(Exception):
    """Base of every error kinerja raises on purpose; carries structured diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__(self.render())

    def render(self, lang: str | None = None) -> str:
        return "\n".join(d.render(lang) for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]


class RulesetError(KinerjaError):
    """The ruleset text does not parse or does not check."""


class RulesetNotFound(KinerjaError):
    """No shipped or given ruleset matches the reference."""


class InputError(KinerjaError):
    """An input record does not fit the ruleset's declared inputs."""

    @property
    def fields(self) -> list[str]:
        return [str(dict(d.args).get("field", "")) for d in self.diagnostics]


class EvaluationError(KinerjaError):
    """Evaluation could not finish (division by zero, no row matched, ...)."""
