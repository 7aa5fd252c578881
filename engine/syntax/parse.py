"""Parse stage: ruleset text -> `syntax.Module`, or every syntax error found.

The grammar is `grammar/kinerja.lark` (LALR). Syntax errors are named by what
the writer got wrong, matched against small bad samples (`SYNTAX_SAMPLES`)
with lark's `match_examples`; after an error the parser starts again at the
next declaration, so one run reports every broken declaration in one pass
over the text. A block left open (a table without `end`) is reported once,
naming the block. Before parsing, the text is held to the documented limits
(`kinerja.syntax.limits`); decimal commas (`2,5`) are reported with the dot
they need; after parsing, no expression may nest deeper than the limit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import io
import pickle
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from kinerja.diagnostics.diagnostic import INFO, Diagnostic, RulesetError, Suggestion, diagnostic, with_source
from kinerja.diagnostics.messages import Listing, Term
from kinerja.syntax import tree as s
from kinerja.syntax.cache import Cache, open_cache
from kinerja.syntax.limits import LIMITS
from kinerja.syntax.source import normalise, too_large

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


def _sample_index() -> dict[tuple[Any, str | None], str]:
    return _sample_index_of(_parser())


@functools.lru_cache(maxsize=1)
def _sample_index_of(parser: Lark) -> dict[tuple[Any, str | None], str]:
    """Each sample's failing parser state (and token), mapped to the sample's code.

    lark's own `match_examples` also compares the parser's stack depth, which depends on
    how much came before (a `hit first`, earlier rows); the state alone names the mistake.
    """
    from lark.exceptions import UnexpectedInput

    index: dict[tuple[Any, str | None], str] = {}
    for code, texts in _samples().items():
        for sample in texts:
            try:
                parser.parse(sample, start="start")
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


# The syntax tree is built by our own reductions (`kinerja.syntax.reductions`); lark's tree
# builder, with its positions, is only used by the error samples and by the test that holds
# our positions equal to lark's.
_PARSER_OPTIONS: dict[str, Any] = {
    "parser": "lalr", "propagate_positions": True, "maybe_placeholders": True, "start": ["start", "declarations"],
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser, built once per process; its tables are kept in the user's private cache.

    (lark's own `cache=True` would keep them in the shared temporary folder, where another
    user could plant a pickle; ours are signed, see `kinerja.syntax.cache`.)
    """
    import lark

    cache = open_cache()
    name = "\0".join(("lark-tables", lark.__version__, sys.version, repr(sorted(_PARSER_OPTIONS.items())), _grammar()))
    if cache is not None:
        payload = cache.get(name)
        if payload is not None:
            try:
                return lark.Lark.load(io.BytesIO(payload))
            except Exception:  # noqa: BLE001 - tables from an incompatible lark: build them again
                pass
    parser = lark.Lark(_grammar(), **_PARSER_OPTIONS)
    if cache is not None:
        saved = io.BytesIO()
        parser.save(saved)
        cache.put(name, saved.getvalue())
    return parser


def parse(text: str, path: str = "<string>") -> s.Module:
    """Parse ruleset text into a syntax tree; raise `RulesetError` with every syntax error.

    A leading byte-order mark is dropped and CRLF line ends read as LF. A warm start reads
    the tree from the user's private, signed cache (keyed by the grammar, the path and the
    exact text); `KINERJA_NO_CACHE=1` turns that off.
    """
    text = normalise(text)
    cache = open_cache()
    name = "\0".join(("syntax-tree", s.SYNTAX_VERSION, _stage_digest(), _grammar(), path, text)) if cache is not None else ""
    if cache is not None:
        payload = cache.get(name)
        if payload is not None:
            try:
                kept = pickle.loads(payload)  # noqa: S301 - signed with this user's key: our own tree
            except Exception:  # noqa: BLE001 - an entry of an older engine is simply rebuilt
                kept = None
            if isinstance(kept, s.Module):
                return kept
            if isinstance(kept, list) and all(isinstance(d, Diagnostic) for d in kept):
                raise RulesetError(kept)  # the same text fails the same way: an editor re-checking a broken file
    try:
        module = _parse(text, path)
    except RulesetError as refused:
        _keep(cache, name, refused.diagnostics)
        raise
    _keep(cache, name, module)
    return module


@functools.lru_cache(maxsize=1)
def _stage_digest() -> str:
    """A digest of this stage's own code: a tree or an error kept by another version of the
    parser (an upgrade, a developer's checkout) is never taken for this one's."""
    digest = hashlib.sha256()
    for module in sorted(resources.files("kinerja.syntax").iterdir(), key=lambda m: m.name):
        if module.name.endswith(".py"):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def _keep(cache: Cache | None, name: str, value: object) -> None:
    if cache is not None:
        try:
            cache.put(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, RecursionError):
            pass  # the cache only saves time


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree is built.

    Parsing allocates a few objects per character and frees none (a tree holds no cycles),
    so every collection the allocations trigger walks the growing tree in vain: a quarter of
    the parse time of a 200 KB table. Reference counting still frees everything as usual.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _parse(text: str, path: str) -> s.Module:
    with _no_cycle_collection():
        return _parse_text(text, path)


def _parse_text(text: str, path: str) -> s.Module:
    from kinerja.syntax.transform import _ToSyntax
    from lark.exceptions import UnexpectedInput

    refused = _text_limits(text, path)
    if refused:
        raise RulesetError(with_source(refused, text))
    commas = _decimal_commas(text)
    diagnostics: list[Diagnostic] = []
    built = _ToSyntax(path)
    result = None
    start_rule, resume_line = "start", 1
    while True:
        # after an error, parse on from the next declaration only: recovery costs one pass, not one per error
        work = text if start_rule == "start" else "\n" * (resume_line - 1) + _from_line(text, resume_line)
        try:
            result = _build(work, start_rule, built)
            break
        except UnexpectedInput as error:
            diag, resume = _recover(error, work, path, commas)
            diagnostics.append(diag)
            if resume is None or (start_rule == "declarations" and resume <= resume_line):
                break  # (every pass must move on; it always does, this only makes sure)
            if len(diagnostics) >= LIMITS.errors:
                diagnostics.append(diagnostic("K037", diag.span, INFO, limit=LIMITS.errors))
                break
            start_rule, resume_line = "declarations", resume
    if diagnostics or result is None:
        raise RulesetError(with_source(_unique(diagnostics), text))
    if result.height > LIMITS.nesting:
        raise RulesetError(with_source(_too_deep(result.deep, path), text))
    module = result.value
    problems = built.problems + _comma_arguments(module, commas)
    if problems:
        raise RulesetError(with_source(sorted(problems, key=lambda d: (d.span.line, d.span.column)), text))
    return s.Module(module.header, module.declarations, tuple(_comments(text, path)), text, path)


def _build(text: str, start_rule: str, built: Any) -> Any:
    """Parse `text` from `start_rule`, each reduction building its syntax through `built`.

    Our driver runs lark's tables (`kinerja.syntax.lalr`); without it, lark's interactive
    parser, its callbacks swapped for ours before the first token.
    """
    from kinerja.syntax.reductions import reductions

    reduce = reductions(_shapes_of(_parser()), built)
    driver = _driver()
    if driver is not None:
        return driver.parse(text, start_rule, reduce)
    session = _parser().parse_interactive(text, start=start_rule)
    session.parser_state.parse_conf.callbacks = reduce
    return session.resume_parse()


@functools.lru_cache(maxsize=1)
def _shapes_of(parser: Lark) -> tuple[Any, ...]:
    """What each rule's reduction does, read once per parser (each parse only binds its methods)."""
    from kinerja.syntax.reductions import shapes

    return shapes(_table_rules_of(parser), placeholders=_PARSER_OPTIONS["maybe_placeholders"])


def _driver() -> Any:
    return _driver_of(_parser())


@functools.lru_cache(maxsize=1)
def _driver_of(parser: Lark) -> Any:
    """(Keyed by the parser: state numbers belong to the tables they were built with.)"""
    from kinerja.syntax.lalr import Driver

    return Driver.of(parser)


@functools.lru_cache(maxsize=1)
def _table_rules_of(parser: Lark) -> tuple[Any, ...]:
    """The grammar's rules as the parse table holds them: the very objects the parser looks up
    at each reduction (equal copies would be compared field by field on every lookup)."""
    from lark.parsers.lalr_analysis import Shift

    states = parser.parse_interactive("", start="start").parser_state.parse_conf.states
    found = {id(arg): arg for actions in states.values() for action, arg in actions.values() if action is not Shift}
    missing = set(parser.rules) - set(found.values())  # rules the table never reduces (none expected)
    return (*found.values(), *missing)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One report per place: a decimal comma can be found both by the scan and by the parser."""
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for d in diagnostics:
        key = (d.span.line, d.span.column, d.code)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    return kept


def _from_line(text: str, line: int) -> str:
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return ""
    return text[at:]


# ---------------------------------------------------------------- limits checked before parsing

_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_limits(text: str, path: str) -> list[Diagnostic]:
    """Size and line length (K030, K031), and characters no file can hold (lone surrogates, K005)."""
    if len(text) > LIMITS.source_bytes // 4:  # a character is at most 4 bytes in UTF-8
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > LIMITS.source_bytes:
            return [too_large(text, size, path)]
    found = []
    if len(text) > LIMITS.line_chars:
        for number, line in enumerate(text.split("\n"), start=1):
            if len(line) > LIMITS.line_chars:
                span = s.Span(path, number, LIMITS.line_chars + 1, number, LIMITS.line_chars + 2)
                found.append(diagnostic("K031", span, line=number, length=len(line), limit=LIMITS.line_chars))
                if len(found) >= 10:
                    break
    if found:
        return found
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        line, column = _position(text, surrogate.start())
        found.append(diagnostic("K005", s.Span(path, line, column, line, column + 1), found=repr(surrogate.group())))
    return found


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# `2,5` outside quotes and comments: a decimal comma where the language wants a dot. Strings and
# comments are matched first so that their commas are skipped; a digit glued to a name (`skor_1,2`)
# is a name, not a number.
_COMMA_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|(?<![\w.])([0-9]+(?:\.[0-9]+)?),([0-9]+)')


@dataclass(frozen=True)
class _Comma:
    line: int
    column: int  # of the comma
    number: str  # `2,5` as written

    def diagnostic(self, path: str) -> Diagnostic:
        left, right = self.number.split(",", 1)
        start = self.column - len(left)
        span = s.Span(path, self.line, start, self.line, start + len(self.number))
        suggestion = Suggestion("S_decimal_point", (("point", f"{left}.{right}"), ("spaced", f"{left}, {right}")))
        return diagnostic("K023", span, suggestion=suggestion, found=self.number)


def _decimal_commas(text: str) -> list[_Comma]:
    if "," not in text:
        return []
    found = []
    for match in _COMMA_SCAN.finditer(text):
        if match.group(1) is None:
            continue
        line, column = _position(text, match.end(1))
        found.append(_Comma(line, column, match.group(1) + "," + match.group(2)))
    return found


def _comma_arguments(module: s.Module, commas: list[_Comma]) -> list[Diagnostic]:
    """Decimal commas the grammar read as two arguments or two list items (`min(100, a × 2,5)`).

    Where a comma between digits parses, it either separates two bounds of an interval
    (`[0,120]`, unambiguous) or two expressions: only the second silently changes a rule.
    """
    if not commas:
        return []
    ends: set[tuple[int, int]] = set()
    todo: list[Any] = [module.declarations]
    while todo:
        node = todo.pop()
        if isinstance(node, s.NumberLit):
            ends.add((node.span.end_line, node.span.end_column))
        elif isinstance(node, (tuple, list)):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, (type, s.Span)):
            todo.extend(getattr(node, f.name) for f in dataclasses.fields(node))
    return [c.diagnostic(module.path) for c in commas if (c.line, c.column) in ends]


# ---------------------------------------------------------------- nesting


def _too_deep(deep: tuple[tuple[int, int], ...], path: str) -> list[Diagnostic]:
    """K032 at each outermost expression that nests deeper than the limit (found while parsing).

    Checked before anything walks the syntax tree recursively (the checker, the compiler,
    the printer), so a deep expression is an error, never a RecursionError.
    """
    found = [diagnostic("K032", s.Span(path, line, column, line, column + 1), suggestion=Suggestion("S_split_value", ()),
                        limit=LIMITS.nesting) for line, column in deep]  # fmt: skip
    return sorted(found, key=lambda d: (d.span.line, d.span.column))


# ---------------------------------------------------------------- syntax errors and recovery


def _recover(error: UnexpectedInput, work: str, path: str, commas: list[_Comma]) -> tuple[Diagnostic, int | None]:
    """The diagnostic for one syntax error, and the line to parse on from (None: stop)."""
    from lark.exceptions import UnexpectedEOF, UnexpectedToken

    diag, line = _syntax_diagnostic(error, work, path)
    lines = work.split("\n")
    at_end = isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END")
    expected = set(getattr(error, "expected", None) or getattr(error, "accepts", None) or ())
    column = getattr(error, "column", 0) or 0
    comma = next((c for c in reversed(commas)
                  if c.line == line and 0 <= column - c.column <= len(c.number.split(",", 1)[1]) + 1), None)  # fmt: skip
    if comma is not None and not at_end:
        diag = comma.diagnostic(path)
    elif "END" in expected:
        opener = _open_block(lines, line, at_end, column)
        if opener is not None:
            keyword, name, opened = opener
            block = (("block", f"{keyword} {name}"), ("opened", str(opened)))
            suggestion = Suggestion("S_add_end_eof", block) if at_end else Suggestion("S_add_end", (*block, ("line", str(line))))
            # K004 where `end` was due (the last line of the block), the suggestion naming the block
            diag = diagnostic("K004", diag.span, suggestion=suggestion)
            # the declaration that starts on the error line is sound: parse on from it
            return diag, None if at_end else line
    if at_end:
        return diag, None
    if _declaration_start(lines, line) is None:
        return diag, None  # the header itself is broken: nothing sensible follows
    following = next((n for n in range(line + 1, len(lines) + 1) if _DECL_LINE.match(lines[n - 1])), None)
    return diag, following


def _open_block(lines: list[str], line: int, at_end: bool, column: int) -> tuple[str, str, int] | None:
    """The block (`table t`, `weights w`, …) still open when a new declaration begins on `line`."""
    if not at_end:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        starts_line = text[: max(column - 1, 0)].strip() == ""
        if not (starts_line and _DECL_LINE.match(text)):
            return None
    opened = _declaration_start(lines, line if at_end else line - 1)
    if opened is None:
        return None
    words = lines[opened - 1].split()
    if words[0] not in _BLOCK_KEYWORDS:
        return None
    return words[0], (words[1] if len(words) > 1 else "").rstrip(":"), opened


_BLOCK_KEYWORDS = frozenset({"weights", "table", "rubric", "quadrant", "distribution"})


def _declaration_start(lines: list[str], line: int) -> int | None:
    """The line (1-based) of the declaration holding `line`, or None inside the header."""
    for number in range(min(line, len(lines)), 0, -1):
        if _DECL_LINE.match(lines[number - 1]):
            return number
    return None


def _syntax_diagnostic(error: UnexpectedInput, text: str, path: str) -> tuple[Diagnostic, int]:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line = max(getattr(error, "line", 1) or 1, 1)
    column = max(getattr(error, "column", 1) or 1, 1)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        lines = text.rstrip().split("\n") or [""]
        line, column = len(lines), len(lines[-1]) + 1
    span = s.Span(path, line, column, line, column + 1)
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        if char == '"':
            return diagnostic("K003", span), line
        if char in _CURLY_QUOTES:
            return _curly_quote(text, error.pos_in_stream, span), line
        if char.isdigit() or unicodedata.decimal(char, None) is not None:
            return _foreign_digits(text, error.pos_in_stream, span), line
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


_CURLY_QUOTES = "“”„‟«»‘’‚‛″〝〞＂"


def _curly_quote(text: str, at: int, span: s.Span) -> Diagnostic:
    """K021, with the quoted text rewritten in straight quotes when its closing quote is on the line."""
    end_of_line = text.find("\n", at)
    rest = text[at + 1 : end_of_line if end_of_line >= 0 else len(text)]
    closing = next((i for i, char in enumerate(rest) if char in _CURLY_QUOTES), None)
    fixed = '"' + (rest[:closing] if closing is not None else rest.strip()) + '"'
    wide = s.Span(span.file, span.line, span.column, span.line, span.column + (closing + 2 if closing is not None else 1))
    return diagnostic("K021", wide, suggestion=Suggestion("S_straight_quotes", (("fixed", fixed),)), found=text[at])


def _foreign_digits(text: str, at: int, span: s.Span) -> Diagnostic:
    """K022 for digits of another script (`١٢٠`), with the same number in ASCII digits."""
    end = at
    while end < len(text) and unicodedata.decimal(text[end], None) is not None:
        end += 1
    written = text[at:end] or text[at]
    fixed = "".join(str(unicodedata.decimal(char, "?")) for char in written)
    wide = s.Span(span.file, span.line, span.column, span.line, span.column + len(written))
    return diagnostic("K022", wide, suggestion=Suggestion("S_ascii_digits", (("fixed", fixed),)), found=written)


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


def _comments(text: str, path: str) -> list[s.Comment]:
    """Every `#` comment outside quoted text (strings never span lines).

    Lines are split at LF only, as the parser counts them: U+2028 or a form feed inside a
    comment is part of the comment, never the start of a line.
    """
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
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


