"""Parse stage: one tight loop that lexes and parses sound text with lark's own tables.

lark's LALR parser runs a generator-based contextual lexer and a general `feed_token` per
token; for a band table of 10,000 rows that loop was half of checking it. This driver runs
the same machine in one function: in each parser state it matches the terminals that state's
contextual lexer matches (lark's compiled patterns, keyword callbacks and ignored terminals),
then shifts and reduces by lark's parse table, calling the same reductions
(`kinerja.syntax.reductions`). Nothing about the language is written here.

At the first character or token it cannot take, it hands its exact state (the parser's
stacks, the position in the text) to lark's own code for that step — the contextual lexer,
or `feed_token` — which raises the syntax error lark's parser raises there, with its state,
expected terminals and position (`parse._recover` reads them). With a lark release its
tests have not held it to (`TESTED_WITH`), or internals of another shape, `Driver.of`
returns None and lark's parser is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Lark, Token
from lark.parsers.lalr_analysis import Shift

# Per parser state: its only pattern (or None), all its patterns, ignored terminals, keyword
# callbacks, terminals that can hold a line break — lark's contextual lexer for that state.
_Lexing = tuple[Any, tuple[Any, ...], frozenset[str], dict[str, Callable[[Token], Token]], frozenset[str]]


# The lark releases whose internals this driver reads (its tests hold it equal to lark's parser).
TESTED_WITH = ("1.3.",)


class _LexingByState(dict[int, _Lexing]):
    """What each parser state's contextual lexer matches, read from lark the first time the
    state lexes (as lark itself compiles a state's patterns only when it is reached)."""

    def __init__(self, lexers: dict[int, Any]) -> None:
        super().__init__()
        self._lexers = lexers

    def __missing__(self, state: int) -> _Lexing:
        lexer = self._lexers[state]
        patterns = tuple(lexer.scanner._mres)
        # terminal names as plain strings: lark keeps some as its tokens, whose `==` is Python code
        found = self[state] = (
            patterns[0] if len(patterns) == 1 else None, patterns, frozenset(map(str, lexer.ignore_types)),
            {str(name): call for name, call in lexer.callback.items()}, frozenset(map(str, lexer.newline_types)),
        )  # fmt: skip
        return found


class _GotoByRule(dict[Any, dict[int, int]]):
    """A rule -> its goto row, filled the first time the rule is reduced."""

    def __init__(self, by_name: dict[str, dict[int, int]]) -> None:
        super().__init__()
        self._by_name = by_name

    def __missing__(self, rule: Any) -> dict[int, int]:
        found = self[rule] = self._by_name[str(rule.origin.name)]
        return found


class Driver:
    """lark's LALR machine for one parser's tables, run as one loop (see the module's text)."""

    def __init__(self, lexing: _LexingByState, states: dict[int, dict[str, tuple[Any, Any]]],
                 ends: dict[str, tuple[int, int]], lexer: Any, confs: dict[str, Any]) -> None:  # fmt: skip
        self._lexing = lexing
        self._states = states
        self._ends = ends  # start rule -> (start state, end state)
        self._lexer = lexer  # lark's contextual lexer, for the error at a character no terminal matches
        self._confs = confs  # start rule -> lark's parse configuration, for the error at a token
        # rule -> (state -> the state after reducing it there): lark's goto table by rule, so the
        # hot loop never looks a rule's name up (lark may keep names as its tokens, whose `==` is Python)
        by_name: dict[str, dict[int, int]] = {}
        for state, actions in states.items():
            for name, (action, target) in actions.items():
                if action is Shift and not name.isupper() and name != "$END":
                    by_name.setdefault(str(name), {})[state] = target
        self._goto: dict[Any, dict[int, int]] = _GotoByRule(by_name)
        # `Token(…)` checks for a deprecated keyword on every call before it calls this
        self._new_token: Callable[..., Token] = getattr(Token, "_future_new", Token)

    @classmethod
    def of(cls, parser: Lark) -> Driver | None:
        """The driver for a lark LALR parser with a contextual lexer, or None if it has another
        shape or comes from a lark this driver was not tested with (then lark's parser runs)."""
        import lark

        if not lark.__version__.startswith(TESTED_WITH):
            return None
        try:
            lexing = _LexingByState(parser.parser.lexer.lexers)
            ends, confs = {}, {}
            states: dict[int, dict[str, tuple[Any, Any]]] = {}
            for start in parser.options.start:
                conf = confs[start] = parser.parse_interactive("", start=start).parser_state.parse_conf
                ends[start] = (conf.start_state, conf.end_state)
                states = conf.states
            lexer = parser.parser.lexer
            lexing[ends[parser.options.start[0]][0]]  # lark's lexers have the shape read here
        except (AttributeError, KeyError, TypeError):
            return None
        return cls(lexing, states, ends, lexer, confs)

    def parse(self, text: str, start: str, reduce: dict[Any, Callable[[list[Any]], Any]]) -> Any:
        """The value of `start` for `text`, every rule reduced through `reduce`; lark's `UnexpectedInput` if it does not parse."""
        lexing, states, goto = self._lexing, self._states, self._goto
        start_state, end_state = self._ends[start]
        state_stack = [start_state]
        value_stack: list[Any] = []
        pos, line, line_start, length = 0, 1, 0, len(text)
        new_token = self._new_token
        token = None
        at_end = False
        try:
            while True:
                if pos < length:
                    only, patterns, ignored, keyword, multiline = lexing[state_stack[-1]]
                    if only is not None:
                        found = only.match(text, pos)
                    else:
                        found = None
                        for pattern in patterns:
                            found = pattern.match(text, pos)
                            if found:
                                break
                    if found is None:
                        self._fail_at_character(text, pos, line, pos - line_start + 1, token, start, state_stack, value_stack)
                    value = found.group(0)
                    kind = found.lastgroup
                    first_line, column = line, pos - line_start + 1
                    if kind in multiline:
                        breaks = value.count("\n")
                        if breaks:
                            line += breaks
                            line_start = pos + value.rindex("\n") + 1
                    end = pos + len(value)
                    if kind in ignored:
                        pos = end
                        continue
                    token = new_token(kind, value, pos, first_line, column, line, end - line_start + 1, end)
                    if kind in keyword:
                        token = keyword[kind](token)  # `table` read by NAME's pattern is the keyword here
                    pos = end
                else:  # the end of the text, as lark marks it
                    token = Token.new_borrow_pos("$END", "", token) if token is not None else Token("$END", "", 0, 1, 1)
                    at_end = True
                kind = token.type
                while True:  # reduce as long as the table says, then shift the token
                    action, target = states[state_stack[-1]][kind]
                    if action is Shift:
                        assert not at_end  # (as in lark: nothing shifts the end of the text)
                        state_stack.append(target)
                        value_stack.append(token)
                        break
                    size = len(target.expansion)
                    if size:
                        children = value_stack[-size:]
                        del state_stack[-size:]
                        del value_stack[-size:]
                    else:
                        children = []
                    value_stack.append(reduce[target](children))
                    state_stack.append(goto[target][state_stack[-1]])
                    if at_end and state_stack[-1] == end_state:
                        return value_stack[-1]
        except KeyError:  # no action for this token in this state: lark's `feed_token` raises its error
            assert token is not None
            self._state(start, state_stack, value_stack).feed_token(token, at_end)
            raise

    def _state(self, start: str, state_stack: list[Any], value_stack: list[Any]) -> Any:
        from lark.parsers.lalr_parser_state import ParserState

        no_lexer: Any = None  # the state only raises: it never reads on
        return ParserState(self._confs[start], no_lexer, state_stack, value_stack)

    def _fail_at_character(self, text: str, pos: int, line: int, column: int, last: Token | None, start: str,
                           state_stack: list[Any], value_stack: list[Any]) -> None:  # fmt: skip
        """Raise what lark's contextual lexer raises at `pos`: an unexpected token if some terminal
        of the grammar matches there, else the unexpected character."""
        from lark import lexer as lark_lexer
        from lark.utils import TextSlice

        counter: Any = lark_lexer.LineCounter("\n")  # type: ignore[no-untyped-call]
        counter.char_pos, counter.line, counter.column, counter.line_start_pos = pos, line, column, pos - column + 1
        where = lark_lexer.LexerState(TextSlice(text, 0, len(text)), counter, last)
        next(iter(self._lexer.lex(where, self._state(start, state_stack, value_stack))))
        raise AssertionError("lark's lexer took a character the driver could not")  # pragma: no cover
