"""Parse stage: ruleset text -> `syntax.Module`, or every syntax error found.

The grammar is `grammar/kinerja.lark` (LALR). Syntax errors are named by what
the writer got wrong, matched against small bad samples (`SYNTAX_SAMPLES`)
with lark's `match_examples`; after an error the parser skips to the next
declaration and goes on, so one run reports every broken declaration.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kinerja.diagnostics.diagnostic import Diagnostic, RulesetError, diagnostic, with_source
from kinerja.diagnostics.messages import Listing, Term
from kinerja.syntax import tree as s

if TYPE_CHECKING:
    from lark import Lark
    from lark.exceptions import UnexpectedInput

DECLARATION_KEYWORDS = (
    "type", "input", "value", "weights", "table", "rubric", "quadrant",
    "exception", "output", "example", "distribution", "override", "conversion",
)  # fmt: skip

_H = "ruleset a version 1.0.0\n"

# Bad samples per diagnostic code: an error whose parser state matches one of
# these is reported with that code's plain-words message.
SYNTAX_SAMPLES: dict[str, list[str]] = {
    "K002": [
        _H + 'table t on x\n [1, 2] "Baik"\nend',
        _H + 'table t on x\n [1, 2] = "Baik"\nend',
        _H + 'table t on x\n >= 2 "Baik"\nend',
        _H + 'table t on x\n otherwise "Baik"\nend',
        _H + 'table t on x\n = "a" 1\nend',
        _H + 'rubric t on x\n [1, 2] 3 "d"\nend',
        _H + "table t on x\n [1, 2] if y 1\nend",
        _H + 'table t on x\n [1, 2] if y "Baik"\nend',
        _H + 'table t on x\n [1, 2] if y >= "a" "Baik"\nend',
        _H + 'table t on x\n [1, 2] if y > 3 "Baik"\nend',
        _H + 'table t on x\n [1, 2] if y and z "Baik"\nend',
        _H + 'table t on x\n [1, 2] if f(y) "Baik"\nend',
        _H + 'table t on x\n [1, 2] if (y) "Baik"\nend',
    ],
    "K004": [
        _H + 'table t on x\n [1, 2] -> "Baik"\n',
        _H + 'table t on x\n [1, 2] -> "Baik"\n [3, 4] -> "Cukup"\n',
        _H + 'table t on x\n [1, 2] -> "Baik"\ninput y: boolean',
        _H + 'table t on x\n [1, 2] -> "Baik" cite "a"\n',
        _H + 'table t on x\n [1, 2] -> "Baik" "d"\n',
        _H + "weights w\n when a: x 50%, y 50%\n",
        _H + "weights w\n when a: x 50%, y 50%\n otherwise: x 50%, y 50%\n",
        _H + 'quadrant q rows a columns b\n | | "x" |\n | "y" | "z" |\n',
        _H + 'distribution d of p by k\n when "A": most "B"\n',
    ],
    "K006": [
        _H + "input x decimal",
        _H + "input x boolean",
        _H + "input x = 1",
    ],
    "K007": [
        "input x: decimal",
        "ruleset a",
        "ruleset a version",
        'ruleset a "x"',
        "ruleset a version 1.0",
        "title \"x\"",
        "value x = 1",
    ],
    "K008": [
        _H + "weights w: a, b 30%",
        _H + "weights w: a = 70%, b 30%",
        _H + "weights w: a: 70%, b 30%",
        _H + "weights w: a 70% b 30%",
        _H + "weights w\n when c: a, b 30%\nend",
        _H + "weights w\n when c: a = 70%\nend",
        _H + "weights w\n otherwise: a = 70%\nend",
    ],
    "K010": [
        _H + 'quadrant q rows a columns b\n | | "x" |\n "y" | "z" |\nend',
        _H + 'quadrant q rows a columns b\n | | "x" |\n | "y" "z" |\nend',
        _H + 'quadrant q rows a columns b\n | | "x" |\n | "y" | "z"\nend',
        _H + 'quadrant q rows a columns b\n | "x" | "y" |\nend',
        _H + 'quadrant q rows a columns b\n "x" | "y" |\nend',
    ],
    "K011": [
        _H + 'table t on x\n [1 2] -> "a"\nend',
        _H + 'table t on x\n [1, 2 -> "a"\nend',
        _H + 'table t on x\n [1, ] -> "a"\nend',
        _H + 'table t on x\n [, 2] -> "a"\nend',
        _H + 'table t on x\n [a, 2] -> "a"\nend',
        _H + 'table t on x\n 1 -> "a"\nend',
        _H + "input x: decimal [0 120]",
        _H + "input x: decimal [0, 120",
    ],
    "K012": [
        _H + "example \"e\" given a 1 expect b = 1",
        _H + "example \"e\" given a = 1 b = 2 expect c = 1",
        _H + "example \"e\" given a = 1",
        _H + "example \"e\" expect b = 1",
        _H + "example e given a = 1 expect b = 1",
        _H + "example \"e\" given a = 1 expect b",
    ],
}


def _samples() -> dict[str, list[str]]:
    """Each sample as written, and again after one declaration.

    lark matches an error to a sample by parser state *and* stack depth; the
    stack is one deeper once a first declaration has been read.
    """
    extra = "input sample_flag: boolean\n"
    return {code: [*texts, *(t.replace(_H, _H + extra, 1) for t in texts if t.startswith(_H))] for code, texts in SYNTAX_SAMPLES.items()}


@functools.lru_cache(maxsize=1)
def _sample_index() -> dict[tuple[Any, str | None], str]:
    """Each sample's failing parser state (and token), mapped to the sample's code.

    lark's own `match_examples` also compares the parser's stack depth, which depends on
    how much came before (a `hit first`, earlier rows); the state alone names the mistake.
    """
    from lark.exceptions import UnexpectedInput

    index: dict[tuple[Any, str | None], str] = {}
    for code, texts in _samples().items():
        for sample in texts:
            try:
                _parser().parse(sample)
            except UnexpectedInput as failure:
                state = getattr(failure, "state", None)
                if state is None:
                    continue
                token = getattr(getattr(failure, "token", None), "type", None)
                index.setdefault((state.position, token), code)
                index.setdefault((state.position, None), code)
    return index


def _sample_code(error: Any) -> str | None:
    state = getattr(error, "state", None)
    if state is None:
        return None
    token = getattr(getattr(error, "token", None), "type", None)
    index = _sample_index()
    return index.get((state.position, token)) or index.get((state.position, None))


@functools.lru_cache(maxsize=1)
def _grammar() -> str:
    return resources.files("kinerja.grammar").joinpath("kinerja.lark").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser; built once per process (lark caches its tables on disk)."""
    from lark import Lark

    return Lark(_grammar(), parser="lalr", propagate_positions=True, maybe_placeholders=True, cache=True)


def _cache_file(text: str, path: str) -> Path | None:
    """Where a parsed module is kept between runs, so a warm start needs no parser at all.

    Keyed by the grammar, the file's path and its exact text; KINERJA_NO_CACHE=1 turns it off.
    """
    if os.environ.get("KINERJA_NO_CACHE"):
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256("\0".join((s.SYNTAX_VERSION, _grammar(), path, text)).encode("utf-8")).hexdigest()
    return Path(root) / "kinerja" / f"{key}.pickle"


def parse(text: str, path: str = "<string>") -> s.Module:
    """Parse ruleset text into a syntax tree; raise `RulesetError` with every syntax error."""
    cache = _cache_file(text, path)
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as handle:
                module = pickle.load(handle)  # noqa: S301 - our own cache of our own syntax tree
            if isinstance(module, s.Module):
                return module
        except Exception:  # noqa: BLE001 - a stale or broken cache entry is simply rebuilt
            pass
    module = _parse(text, path)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(module, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, cache)
        except OSError:
            pass  # a read-only home is no reason to fail
    return module


def _parse(text: str, path: str) -> s.Module:
    from kinerja.syntax.transform import _SyntaxProblem, _ToSyntax
    from lark.exceptions import UnexpectedInput, VisitError

    diagnostics: list[Diagnostic] = []
    work = text
    for _ in range(50):  # each pass blanks at least one line, so this ends; 50 errors is plenty
        try:
            tree = _parser().parse(work)
        except UnexpectedInput as error:
            diag, line = _syntax_diagnostic(error, work, path)
            diagnostics.append(diag)
            blanked = _blank_declaration(work, line)
            if blanked is None:
                break
            work = blanked
            continue
        if diagnostics:
            break
        try:
            module = _ToSyntax(path).transform(tree)
        except VisitError as error:
            if isinstance(error.orig_exc, _SyntaxProblem):
                raise RulesetError(with_source([error.orig_exc.diagnostic], text)) from None
            raise
        return s.Module(module.header, module.declarations, tuple(_comments(text, path)), text, path)
    raise RulesetError(with_source(diagnostics, text))


def _syntax_diagnostic(error: UnexpectedInput, text: str, path: str) -> tuple[Diagnostic, int]:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line = max(getattr(error, "line", 1) or 1, 1)
    column = max(getattr(error, "column", 1) or 1, 1)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        lines = text.rstrip().splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    span = s.Span(path, line, column, line, column + 1)
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        if char == '"':
            return diagnostic("K003", span), line
        if char.isalpha():
            return diagnostic("K009", span), line
        return diagnostic("K005", span, found=repr(char)), line
    code = _sample_code(error)
    if code:
        return diagnostic(code, span), line
    token = getattr(error, "token", None)
    at_end = isinstance(error, UnexpectedEOF) or getattr(token, "type", None) == "$END"
    found: object = Term("W_TOKEN_END_OF_FILE") if at_end else repr(str(token if token is not None else "?"))
    expected = sorted(getattr(error, "expected", None) or getattr(error, "accepts", None) or [])
    return diagnostic("K001", span, found=found, expected=terminal_words(expected)), line


# What a terminal of the grammar is called in a message. Terminals written as one literal
# (keywords, punctuation) are shown as written, in backticks; those that are a choice of
# literals (`TABLE_KIND`, `HIT`, `COMPARE`, …) as each choice; the rest are catalogue terms,
# so a grammar name (`NAME`, `table_kind`) never reaches a person.
TERMINAL_TERMS = {
    "NAME": "W_TOKEN_NAME", "STRING": "W_TOKEN_STRING", "NUMBER": "W_TOKEN_NUMBER", "INT": "W_TOKEN_INT",
    "RULESET_ID": "W_TOKEN_RULESET_ID", "VERSION": "W_TOKEN_VERSION", "DATE": "W_TOKEN_DATE",
    "RULESET_REF": "W_TOKEN_RULESET_REF", "$END": "W_TOKEN_END_OF_FILE",
}  # fmt: skip
_CHOICES = re.compile(r"\(\?:((?:[^()|]+\|)+[^()|]+)\)")
_UNESCAPE = re.compile(r"\\(.)")
_MOST_WORDS = 12


def terminal_words(names: list[str]) -> Listing:
    """The expected terminals as a listing said in the message's language: terms first, then literals."""
    words: set[str] = set()
    for name in names:
        words.update(terminal_word(name))
    terms = sorted(w for w in words if isinstance(w, Term))
    literals = sorted(w for w in words if not isinstance(w, Term))
    return Listing.of([*terms, *literals][:_MOST_WORDS] or [Term("W_TOKEN_OTHER")])


def terminal_word(name: str) -> tuple[str, ...]:
    """One terminal's words: a Term, or each literal it stands for in backticks."""
    if name in TERMINAL_TERMS:
        return (Term(TERMINAL_TERMS[name]),)
    try:
        pattern = _parser().get_terminal(name).pattern
    except KeyError:
        return (Term("W_TOKEN_OTHER"),)
    if pattern.type == "str":
        return (f"`{pattern.value}`",)
    choices = _CHOICES.fullmatch(pattern.value)
    if choices:
        return tuple("`" + _UNESCAPE.sub(r"\1", choice) + "`" for choice in choices.group(1).split("|"))
    return (Term("W_TOKEN_OTHER"),)


_DECL_LINE = re.compile(r"^\s*(" + "|".join(DECLARATION_KEYWORDS) + r")\b")


def _blank_declaration(text: str, error_line: int) -> str | None:
    """Blank the declaration holding `error_line`, keeping line numbers, to parse on."""
    lines = text.split("\n")
    start = error_line - 1
    while start > 0 and not _DECL_LINE.match(lines[start]):
        start -= 1
    if start == 0 and not _DECL_LINE.match(lines[0]):
        return None  # the header itself is broken: nothing sensible follows
    stop = error_line
    while stop < len(lines) and not _DECL_LINE.match(lines[stop]):
        stop += 1
    if stop <= start:
        stop = start + 1
    blanked = lines[:start] + [""] * (stop - start) + lines[stop:]
    result = "\n".join(blanked)
    return None if result == text else result


def _comments(text: str, path: str) -> list[s.Comment]:
    """Every `#` comment outside quoted text (strings never span lines)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        in_string = False
        escaped = False
        for col, char in enumerate(line):
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#":
                found.append(s.Comment(line[col:], s.Span(path, number, col + 1, number, len(line) + 1)))
                break
    return found


