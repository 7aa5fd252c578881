"""Issue 12 "crashes and hangs" 1–7 and issue 19 item 4, each reproducer kept: a positioned
error naming the limit, never a traceback, never a long wait (the times are in
`benchmarks/limits.py`; tests assert outcomes only).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from kinerja.syntax.limits import LIMITS

H = 'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\n'


def _errors(text: str, path: str = "t.kin") -> list[kinerja.Diagnostic]:
    """Every error `check` finds; a traceback fails the test."""
    return [d for d in kinerja.check_text(text, path) if d.severity == "error"]


def _codes(text: str) -> list[str]:
    return [d.code for d in _errors(text)]


def _positioned(found: list[kinerja.Diagnostic], code: str) -> kinerja.Diagnostic:
    hits = [d for d in found if d.code == code]
    assert hits, [d.render("en") for d in found]
    d = hits[0]
    assert d.span.line > 0 and d.span.column > 0, d.render("en")
    for lang in ("id", "en"):
        assert d.render(lang)
    return d


# ------------------------------------------------------------------ 1. places


@pytest.mark.parametrize("places", ["999999999999999", "1000000", "300000", str(LIMITS.places + 1)])
def test_places_beyond_the_limit_is_a_positioned_error(places: str) -> None:
    text = H + f"input a: decimal [0, 10] places {places}\nvalue v = a * a + 1\noutput v\n"
    d = _positioned(_errors(text), "K034")
    assert (d.span.line, d.span.column) == (4, len("input a: decimal [0, 10] places ") + 1)
    with pytest.raises(kinerja.RulesetError):
        kinerja.load_text(text)


def test_places_at_the_limit_checks_and_evaluates() -> None:
    text = H + f"input x: decimal [0, 10] places {LIMITS.places}\ninput n: integer [0, 5]\nvalue v = x * x * x + n\n" \
               "table t on v\n  [0, 500] -> 1\n  (500, 2000] -> 2\nend\noutput t\n"  # fmt: skip
    assert not _errors(text)
    ruleset = kinerja.load_text(text)
    assert ruleset.evaluate({"x": Decimal("9." + "9" * LIMITS.places), "n": 5}).outputs["t"] == 2


# ------------------------------------------------------------------ 2. number size


@pytest.mark.parametrize("digits", [LIMITS.number_digits + 1, 5000])
def test_a_number_with_too_many_digits_is_a_positioned_error(digits: int) -> None:
    big = "1" + "0" * (digits - 1)
    text = H + f"input a: decimal [0, {big}]\ntable t on a\n  [0, {big}] -> 1\nend\noutput t\n"
    found = _errors(text)
    assert [d.code for d in found] == ["K033", "K033"]
    assert (found[0].span.line, found[0].span.column) == (4, len("input a: decimal [0, ") + 1)


@pytest.mark.parametrize(
    "text",
    [
        'input a: boolean\ntable t on a hit first\n  = true -> "x"\nend\nexception e overrides t priority {n} when a then "x"\noutput t\n',
        'input a: boolean\noutput a\ndistribution d of a by a\n  when "x": at least {n} of "y"\nend\n',
        '  extends pp-30-2019@1.0.0\noverride table predikat row {n} [90, 110) -> "Baik"\n',
        # found by fuzzing (rulesets seed 27394): an item's position in an example, and a list's bound
        'input iki: list of {{ f: decimal [0, 10] places 2 }} at most 5\nvalue s = sum(i.f for i in iki)\noutput s\n'
        'example "e" given iki = [{{f = 1}}] expect iki[{n}].f = 1\n',
        'input iki: list of {{ f: decimal [0, 10] places 2 }} at most {n}\nvalue s = sum(i.f for i in iki)\noutput s\n',
    ],
)
def test_a_whole_number_of_thousands_of_digits_is_a_positioned_error(text: str) -> None:
    # (Python refuses to turn more than 4,300 digits into an int: that was a ValueError)
    _positioned(_errors(H + text.format(n="9" * 5000)), "K033")


def test_a_number_at_the_digit_limit_is_read_exactly() -> None:
    big = "9" * LIMITS.number_digits
    ruleset = kinerja.load_text(H + f"input a: decimal [0, {big}]\nvalue v = a + 1\noutput v\n")
    assert kinerja.decimal_text(ruleset.evaluate({"a": Decimal(big)}).outputs["v"]) == "1" + "0" * LIMITS.number_digits


# ------------------------------------------------------------------ 3. round


@pytest.mark.parametrize("places", ["-1000000", "1000000", "999999999", "-999999999"])
def test_round_with_huge_places_is_a_positioned_error(places: str) -> None:
    text = H + f"input a: decimal [0, 10] places 2\nvalue v = round(a, {places}, up) * 10\noutput v\n"
    d = _positioned(_errors(text), "K034")
    assert d.span.line == 5


def test_round_with_computed_places_says_what_is_wrong() -> None:
    ruleset = kinerja.load_text(H + "input a: decimal [0, 10] places 2\ninput p: integer [-100, 100]\n"
                                    "value v = round(a, p * 1000, up)\noutput v\n")  # fmt: skip
    with pytest.raises(kinerja.EvaluationError) as caught:
        ruleset.evaluate({"a": 1, "p": 99})
    assert [d.code for d in caught.value.diagnostics] == ["K720"]
    assert "99000" in caught.value.render("en") and "division" not in caught.value.render("en")


def test_round_whose_result_is_too_long_says_so() -> None:
    ruleset = kinerja.load_text(H + "input a: decimal [0, 1000000000000000000000000000] places 0\n"
                                    "value v = round(a, 20, up)\noutput v\n")  # fmt: skip
    with pytest.raises(kinerja.EvaluationError) as caught:
        ruleset.evaluate({"a": Decimal("999999999999999999999999999")})
    assert [d.code for d in caught.value.diagnostics] == ["K721"]


# ------------------------------------------------------------------ 4. nesting


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 3000 + "a" + ")" * 3000 + " + " + "-" * 3000 + "a",
        "-" * 3000 + "a",
        " + ".join(["a"] * 3000),
        "not " * 3000 + "true",
        "min(" * 1000 + "a" + ")" * 1000,
        "if true then " * 500 + "a" + " else a" * 500,
        "[" * 500 + "a" + "]" * 500,
    ],
)
def test_deep_nesting_is_a_positioned_error(expression: str) -> None:
    spread = expression.replace(" ", "\n")  # (one line each word: the line-length limit is another test)
    text = H + f"input a: decimal [0, 10] places 2\nvalue v = {spread}\noutput v\n"
    d = _positioned(_errors(text), "K032")
    assert d.span.line == 5 and d.suggestion is not None


def test_nesting_at_the_limit_goes_through_every_stage() -> None:
    text = H + "input a: decimal [0, 10] places 2\nvalue v = " + " + ".join(["a"] * LIMITS.nesting) + "\noutput v\n"
    ruleset = kinerja.load_text(text)
    result = ruleset.evaluate({"a": 1})
    assert result.outputs["v"] == LIMITS.nesting
    assert kinerja.explain(ruleset, result, "en")
    assert kinerja.render_document(ruleset, "html", "en")
    from kinerja.syntax.format import format_text

    assert format_text(format_text(text)) == format_text(text)


def _chain(count: int, formula: str, reverse: bool) -> str:
    """v1 reads a, v2 reads v1, …; `formula` puts the name read at the bottom of a deep expression."""
    lines = [f"value v{i + 1} = {formula.format(name='a' if i == 0 else f'v{i}')}\n" for i in range(count)]
    body = "".join(reversed(lines) if reverse else lines)
    return H + f"input a: decimal [0, 10] places 2\n{body}table t on v{count} hit first\n  < 100 -> 1\n  >= 100 -> 2\nend\noutput t\n"


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(("count", "formula"), [(3000, "{name} + 1"), (30, "{name} + " + " + ".join(["1"] * 95))])
def test_long_chains_of_definitions_check_and_evaluate(count: int, formula: str, reverse: bool) -> None:
    # each formula within the nesting limit, together far beyond it: no recursion follows the chain
    text = _chain(count, formula, reverse)
    assert not _errors(text)
    ruleset = kinerja.Library().load_text(text)
    result = ruleset.evaluate({"a": 1})
    assert result.outputs["t"] == 2  # v_n = 1 + n or 1 + 95 n: over 100
    assert kinerja.explain(ruleset, result, "en")


def test_a_cycle_of_thousands_of_definitions_is_one_error() -> None:
    body = "".join(f"value v{i} = v{(i + 1) % 3000} + 1\n" for i in range(3000))
    found = _errors(H + "input a: boolean\n" + body + "output v0\n")
    assert [d.code for d in found] == ["K110"]
    assert "v2999 -> v0 -> v1" in found[0].render("en")


def test_parentheses_alone_do_not_count() -> None:
    text = H + "input a: decimal [0, 10] places 2\nvalue v = " + "(" * 2000 + "a" + ")" * 2000 + "\noutput v\n"
    assert kinerja.load_text(text).evaluate({"a": 3}).outputs["v"] == 3


def test_nested_list_types_and_values_are_bounded_too() -> None:
    deep_type = "list of { f: " * 150 + "decimal" + " }" * 150
    assert "K032" in _codes(H + f"input a: {deep_type}\noutput a\n")


# ------------------------------------------------------------------ 5. truncated files


@pytest.mark.parametrize("cut", [40, 75, 90, 120, 200, 400, 700, 1000, 1500, 2000])
def test_a_truncated_file_is_a_syntax_error(cut: int) -> None:
    text = kinerja.load("pp-30-2019").module.source_text[:cut]
    found = kinerja.check_text(text, "t.kin")
    assert found and all(d.span.line > 0 for d in found if d.severity == "error")


# ------------------------------------------------------------------ 6. lone surrogates


def test_a_lone_surrogate_is_a_positioned_error_not_a_fingerprint_crash() -> None:
    d = _positioned(_errors(H + 'input a: decimal [0, 10] places 2 "x\ud800y"\noutput a\n'), "K005")
    assert (d.span.line, d.span.column) == (4, len('input a: decimal [0, 10] places 2 "x') + 1)


def test_the_fingerprint_of_any_module_encodes() -> None:
    module = kinerja.parse(H + 'input a: decimal [0, 10] "x"\noutput a\n')
    broken = module.declarations[0].__class__(**{**module.declarations[0].__dict__, "description": "x\ud800"})
    assert kinerja.Ruleset.__init__  # (the fingerprint is computed without building a Ruleset)
    from kinerja.syntax.canonical import fingerprint

    assert fingerprint(module.__class__(module.header, (broken, *module.declarations[1:]))).startswith("sha256:")


# ------------------------------------------------------------------ 7. sizes


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "besar.kin"
    line = "# " + "x" * 1000 + "\n"
    path.write_text(H + line * (LIMITS.source_bytes // len(line) + 2), encoding="utf-8")
    found = kinerja.check(str(path))
    assert [d.code for d in found] == ["K030"]
    assert found[0].span.line > 1 and str(LIMITS.source_bytes) in found[0].render("en")
    with pytest.raises(kinerja.RulesetError):
        kinerja.load(str(path))
    assert [d.code for d in _errors(path.read_text(encoding="utf-8"))] == ["K030"]


def test_fifty_thousand_rows_or_twenty_thousand_inputs_are_over_the_size_limit() -> None:
    rows = "\n".join(f"  [{i}, {i + 1}) -> {i % 5}" for i in range(50_000))
    assert _codes(H + f"input a: decimal [0, 50000] places 2\ntable t on a\n{rows}\nend\noutput t\n") == ["K030"]
    inputs = "".join(f'input a{i}: decimal [0, 120] places 2 "Nilai SKP pegawai"\n' for i in range(20_000))
    assert _codes(H + inputs) == ["K030"]


@pytest.mark.parametrize("where", ["comment", "string", "declaration"])
def test_a_line_over_the_length_limit_is_a_positioned_error(where: str) -> None:
    long = "x" * (LIMITS.line_chars + 5)
    line = {"comment": f"# {long}", "string": f'input a: boolean "{long}"', "declaration": "value v = " + " + ".join(["1"] * 3000)}[where]
    found = _errors(H + line + "\n")
    d = _positioned(found, "K031")
    assert (d.span.line, d.span.column) == (4, LIMITS.line_chars + 1)


def test_a_list_over_the_length_limit_is_a_positioned_error() -> None:
    items = ", ".join("1" for _ in range(LIMITS.list_items + 1))
    d = _positioned(_errors(H + f"value v = max([{items}])\noutput v\n"), "K035")
    assert d.span.line == 4
    labels = ", ".join(f"l{i}" for i in range(LIMITS.list_items + 1))
    assert "K035" in _codes(H + f"type t = enum {{ {labels} }}\n")
    parts = ",\n".join(f"  p{i} 0.005%" for i in range(20_000))  # (one branch over many lines)
    assert _codes(H + f"weights w:\n{parts}\n") == ["K035"]


def test_thousands_of_rows_and_declarations_check() -> None:
    rows = "\n".join(f"  [{i}, {i + 1}) -> {i % 5}" for i in range(3000))
    text = H + f"input a: decimal [0, 3000] places 2\ntable t on a\n{rows}\n  = 3000 -> 0\nend\noutput t\n"
    assert not _errors(text)
    gap = text.replace("  [1500, 1501) -> 0\n", "")
    found = _errors(gap)
    assert [d.code for d in found] == ["K501"] and "1500" in (found[0].witness or "")
    inputs = "".join(f"input a{i}: decimal [0, 10] places 2\n" for i in range(3000))
    assert not _errors(H + inputs + "value v = a0\noutput v\n")


def test_a_long_extends_chain_is_refused_at_the_limit(tmp_path: Path) -> None:
    for level in range(LIMITS.extends_depth + 5):
        base = f"  extends r{level + 1}@1.0.0\n" if level < LIMITS.extends_depth + 4 else ""
        (tmp_path / f"r{level}@1.0.0.kin").write_text(
            f'ruleset r{level} version 1.0.0\n  title "R"\n  source "S" short "S"\n{base}\ninput a{level}: boolean\n', encoding="utf-8")
    library = kinerja.Library(folders=(tmp_path,))
    with pytest.raises(kinerja.RulesetError) as caught:
        library.load("r0")
    assert [d.code for d in caught.value.diagnostics] == ["K036"]
    assert library.load(f"r{5}").id == "r5"  # a chain within the limit loads


def test_too_many_syntax_errors_stop_with_a_note() -> None:
    text = H + "input a decimal\n" * (LIMITS.errors + 20)
    found = kinerja.check_text(text, "t.kin")
    assert len(found) == LIMITS.errors + 1 and found[-1].code == "K037"


def test_error_recovery_reports_every_broken_declaration_once() -> None:
    text = kinerja.load("pedoman-daerah").module.source_text
    broken = text.replace("input ", "input input ", 5)
    found = kinerja.check_text(broken, "t.kin")
    assert len(found) == 5 and len({d.span.line for d in found}) == 5


def test_an_overlap_on_a_value_that_is_always_zero_has_a_witness() -> None:
    # found by fuzzing: the grid of `a * 0` has a step of 0, and the witness divided by it
    text = H + "input a: decimal [0, 10] places 2\nvalue v = a * 0\ntable t on v hit unique\n  [0, 5] -> 1\n  otherwise -> 2\nend\noutput t\n"
    found = _errors(text)
    assert [d.code for d in found] == ["K503"] and found[0].witness == "v = 0"
