"""Parse stage: the parser's reductions build the syntax tree with lark's own positions,
and our LALR driver builds exactly what lark's parser builds.

`kinerja.syntax.reductions` replaces lark's tree builder (a lark tree, then a second walk) by
one call per reduction; `kinerja.syntax.lalr` runs lark's tables in one loop. Laws, for every
shipped ruleset, every diagnostics corpus file that parses, and generated text: every rule
covers exactly the text lark's tree builder (`propagate_positions`) gives it, and the driver
reduces the same rules at the same places into the same syntax tree as lark's parser.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.diagnostics import diagnostic as kinerja_errors
from kinerja.syntax import parse as p
from kinerja.syntax.lalr import Driver
from kinerja.syntax.reductions import Reduced, reductions
from kinerja.syntax.transform import _ToSyntax
from lark import Tree
from lark.exceptions import UnexpectedInput

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "rulesets").glob("*.kin"))
CORPUS = sorted((ROOT / "tests" / "diagnostics").rglob("*.kin"))

Place = tuple[str, int, int, int, int]


class _Recorder:
    """The syntax methods, each call also noting the rule and the text it covers."""

    def __init__(self, path: str) -> None:
        self.inner = _ToSyntax(path)
        self.seen: Counter[Place] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name, None)
        if method is None or name.startswith("_"):
            return method

        def noted(meta: Reduced, children: list[Any]) -> Any:
            if meta.line is not None:
                self.seen[(name, meta.line, meta.column, meta.end_line, meta.end_column)] += 1
            return method(meta, children)

        return noted


def _ours(text: str, start: str = "start") -> Counter[Place]:
    """Positions of every rule, lark's parser calling our reductions."""
    recorder = _Recorder("x.kin")
    session = p._parser().parse_interactive(text, start=start)
    session.parser_state.parse_conf.callbacks = reductions(p._shapes_of(p._parser()), recorder)
    result = session.resume_parse()
    assert type(result) is Reduced
    return recorder.seen


def _driven(text: str, start: str = "start") -> tuple[Counter[Place], Any]:
    """Positions of every rule and the value of the start rule, our driver calling our reductions."""
    recorder = _Recorder("x.kin")
    driver = Driver.of(p._parser())
    assert driver is not None
    result = driver.parse(text, start, reductions(p._shapes_of(p._parser()), recorder))
    assert type(result) is Reduced
    return recorder.seen, result.value


def _larks_value(text: str, start: str = "start") -> Any:
    session = p._parser().parse_interactive(text, start=start)
    session.parser_state.parse_conf.callbacks = reductions(p._shapes_of(p._parser()), _ToSyntax("x.kin"))
    return session.resume_parse().value


def _larks(text: str) -> Counter[Place]:
    tree = p._parser().parse(text, start="start")  # lark's own tree builder, positions propagated
    return Counter(
        (node.data, node.meta.line, node.meta.column, node.meta.end_line, node.meta.end_column)
        for node in tree.iter_subtrees()
        if isinstance(node, Tree) and not node.meta.empty and hasattr(_ToSyntax, str(node.data))
    )


def _parses(path: Path) -> bool:
    try:
        p._parser().parse(p.normalise(path.read_text(encoding="utf-8")), start="start")
    except UnexpectedInput:
        return False
    return True


@pytest.mark.parametrize("path", SHIPPED + [c for c in CORPUS if _parses(c)], ids=lambda x: x.name)
def test_every_rule_covers_the_text_larks_tree_gives_it(path: Path) -> None:
    text = p.normalise(path.read_text(encoding="utf-8"))
    ours, larks = _ours(text), _larks(text)
    assert sum(larks.values()) > 50  # a real file, many rules
    assert ours == larks


@pytest.mark.parametrize("path", SHIPPED + [c for c in CORPUS if _parses(c)], ids=lambda x: x.name)
def test_the_driver_builds_what_larks_parser_builds(path: Path) -> None:
    text = p.normalise(path.read_text(encoding="utf-8"))
    seen, module = _driven(text)
    assert seen == _ours(text)
    assert module == _larks_value(text)
    # from the recovery start too (the declarations after a syntax error)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if p._DECL_LINE.match(line))
    body = "\n" * first + "\n".join(lines[first:])
    assert _driven(body, "declarations")[0] == _ours(body, "declarations")


def _error(parse: Any, text: str, start: str = "start") -> tuple[Any, ...]:
    """What a syntax error tells `parse._recover`: its kind, place, token, expected terminals and state."""
    with pytest.raises(UnexpectedInput) as caught:
        parse(text, start)
    e = caught.value
    token = getattr(e, "token", None)
    return (type(e).__name__, e.line, e.column, getattr(e, "pos_in_stream", None), getattr(token, "type", None),
            str(token) if token is not None else None, getattr(token, "end_column", None),
            sorted(getattr(e, "expected", None) or getattr(e, "allowed", None) or ()), e.state.position)  # fmt: skip


def _driver_error(text: str, start: str = "start") -> tuple[Any, ...]:
    driver = Driver.of(p._parser())
    assert driver is not None
    return _error(lambda t, s: driver.parse(t, s, reductions(p._shapes_of(p._parser()), _ToSyntax("x.kin"))), text, start)


def _lark_error(text: str, start: str = "start") -> tuple[Any, ...]:
    return _error(lambda t, s: p._parser().parse(t, start=s), text, start)


@pytest.mark.parametrize(
    "broken",
    ["ruleset x version 1.0.0\ninput a: decimal [0, 10\n", 'ruleset x version 1.0.0\n  title "A\n', "ruleset x version 1.0.0\ninput a: ٣\n", "",
     "ruleset x version 1.0.0\ninput a boolean\n", "ruleset x version 1.0.0\n@", "ruleset x version 1.0.0\ntable t on a\n  [0, 1) -> 1\n"],
    ids=["missing bracket", "open string", "foreign digit", "empty", "missing colon", "no terminal", "missing end"],
)  # fmt: skip
def test_the_driver_raises_the_error_larks_parser_raises(broken: str) -> None:
    assert _driver_error(broken) == _lark_error(broken)


_CORPUS_TEXTS = [p.normalise(path.read_text(encoding="utf-8")) for path in SHIPPED + CORPUS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_CORPUS_TEXTS), st.floats(0, 1), st.sampled_from(["", "@", "(", ")", "end\n", "->", ",", '"', "1.2.3", "table", "×", "\n", "[", "|", "٣"]))
def test_the_driver_fails_as_lark_fails_on_broken_text(text: str, at: float, inserted: str) -> None:
    """A shipped or corpus file cut short, or with something inserted: the same error, or both parse."""
    cut = int(at * len(text))
    for broken in (text[:cut], text[:cut] + inserted + text[cut:]):
        try:
            p._parser().parse(broken, start="start")
        except UnexpectedInput:
            assert _driver_error(broken) == _lark_error(broken)
            continue
        assert _driven(broken)[1] == _larks_value(broken)


def test_a_parser_of_another_shape_has_no_driver_and_parsing_uses_larks() -> None:
    from lark import Lark

    assert Driver.of(Lark(p._grammar(), parser="lalr", lexer="basic", start="start")) is None


def test_a_lark_the_driver_was_not_tested_with_gets_larks_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import lark

    monkeypatch.setattr(lark, "__version__", "9.0.0")
    assert Driver.of(p._parser()) is None
    monkeypatch.setattr(p, "_driver", lambda: None)  # what `parse` then does
    text = p.normalise(SHIPPED[0].read_text(encoding="utf-8"))
    assert p._parse(text, "x.kin").declarations == _larks_value(text).declarations
    with pytest.raises(kinerja_errors.RulesetError):
        p._parse(text.replace("input ", "input input ", 1), "x.kin")


_EXPRESSIONS = st.deferred(
    lambda: st.one_of(
        st.sampled_from(["a", "b", "12", "7.5", "50%", "true"]),
        st.builds("({})".format, _EXPRESSIONS),
        st.builds(
            "{} {} {}".format,
            _EXPRESSIONS,
            st.sampled_from(["+", "-", "×", "/", "<", ">=", "and", "or", "="]),
            _EXPRESSIONS,
        ),
        st.builds("-{}".format, _EXPRESSIONS),
        st.builds("not {}".format, _EXPRESSIONS),
        st.builds("min({}, {})".format, _EXPRESSIONS, _EXPRESSIONS),
        st.builds("if {} then {} else {}".format, _EXPRESSIONS, _EXPRESSIONS, _EXPRESSIONS),
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EXPRESSIONS, st.sampled_from(["", "  # a comment\n", "\n\n"]))
def test_generated_expressions_get_larks_positions(expression: str, gap: str) -> None:
    text = (f'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\ninput a: decimal [0, 10]\n'
            f"input b: integer [0, 5]\nvalue v ={gap} {expression}\ntable t on a\n  [0, 5) -> 1{gap}\n  >= 5 -> ({expression})\nend\noutput t\n")  # fmt: skip
    try:
        larks = _larks(text)
    except UnexpectedInput:
        return  # `a < b < c` and the like are not the language
    assert _ours(text) == larks
    seen, module = _driven(text)
    assert seen == larks
    assert module == _larks_value(text)
