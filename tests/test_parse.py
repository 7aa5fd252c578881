"""Parse stage: source text → frozen syntax tree with positions; lark never leaks out."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import harness
import kinerja
import kinerja.syntax.tree as s
import pytest
from kinerja.diagnostics.diagnostic import RulesetError

RULES = """
# a comment is not part of the tree
ruleset uji version 1.2.3
  title "Uji" source "Peraturan Uji" short "PU 1/2024"
  effective from 2024-01-01 until 2024-12-31
  cite "Pasal 1"
type rating = scale "Rendah" < "Sedang" < "Tinggi"
input nilai: decimal [0, 120] places 2 "Nilai" cite "Pasal 2"
input r: rating
weights bobot: a 70%, b 30%
value v = bobot.a × nilai + bobot.b × 10
table predikat on v hit first
  [90, 120] if r >= "Sedang" -> "Baik" cite "Pasal 3 huruf a" note "asumsi"
  < 90 -> "Cukup"
  otherwise -> "Lain"
end
output predikat "Predikat"
example "satu" given nilai = 100, r = "Tinggi" expect predikat = "Baik"
"""


def test_header_is_read_with_dates_and_citation() -> None:
    module = kinerja.parse(RULES, "uji.kin")
    h = module.header
    assert (h.id, h.version, h.title, h.source_short) == ("uji", "1.2.3", "Uji", "PU 1/2024")
    assert (h.effective_from.isoformat(), h.effective_until.isoformat()) == ("2024-01-01", "2024-12-31")
    assert [c.text for c in h.annotations.citations] == ["Pasal 1"]


def test_every_node_is_a_frozen_dataclass_with_a_position() -> None:
    module = kinerja.parse(RULES, "uji.kin")

    def walk(node: object) -> None:
        if isinstance(node, tuple):
            for item in node:
                walk(item)
        elif dataclasses.is_dataclass(node):
            assert type(node).__module__ == "kinerja.syntax.tree", type(node)
            params = type(node).__dataclass_params__  # type: ignore[attr-defined]
            assert params.frozen, type(node).__name__
            if hasattr(node, "span"):
                assert node.span.line >= 1 and node.span.file == "uji.kin"
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name))

    walk(module)


def test_rows_keep_bounds_guards_citations_and_notes() -> None:
    table = next(d for d in kinerja.parse(RULES).declarations if isinstance(d, s.TableDecl))
    first, second, third = table.rows
    assert isinstance(first.condition, s.Interval)
    assert (first.condition.low, first.condition.low_closed, first.condition.high, first.condition.high_closed) == (
        Decimal(90), True, Decimal(120), True)  # fmt: skip
    assert first.guard is not None
    assert [c.text for c in first.annotations.citations] == ["Pasal 3 huruf a"]
    assert [n.text for n in first.annotations.notes] == ["asumsi"]
    assert isinstance(second.condition, s.Interval) and second.condition.low is None and not second.condition.high_closed
    assert isinstance(third.condition, s.Otherwise)
    assert first.span.line == 13


def test_percent_literals_are_exact_fractions() -> None:
    weights = next(d for d in kinerja.parse(RULES).declarations if isinstance(d, s.WeightsDecl))
    assert [(i.name, i.weight, i.written) for i in weights.branches[0].items] == [
        ("a", Decimal("0.70"), "70%"), ("b", Decimal("0.30"), "30%")]  # fmt: skip


def test_layout_and_comments_carry_no_meaning() -> None:
    squeezed = " ".join(line.split("#")[0].strip() for line in RULES.splitlines())
    assert kinerja.load_text(squeezed).fingerprint == kinerja.load_text(RULES).fingerprint


# ------------------------------------------------------------------ syntax errors, as data (tests/diagnostics/syntax/)
@pytest.mark.parametrize("case", **harness.parametrize("syntax"))
def test_syntax_error_names_the_mistake_and_the_place(case: harness.Case) -> None:
    """Each chunk's syntax errors, on the lines it states; never lark's own words or grammar names."""
    for d in harness.assert_reports_exactly(case):
        for lang in ("id", "en"):
            words = d.render(lang)
            assert "Unexpected" not in words and "Token" not in words, words
            assert not re.search(r"\b[A-Z]+(_[A-Z]+)+\b|\b[a-z]+_(kind|decl|expr|item)\b", d.text(lang)), words


def test_every_terminal_of_the_grammar_has_words() -> None:
    """A terminal is said as a catalogue term or as the literals it stands for, never by its grammar name."""
    from kinerja.diagnostics.messages import Term, message
    from kinerja.syntax.parse import _parser, terminal_word

    for terminal in _parser().terminals:
        if terminal.name in ("WS", "COMMENT", "SPACE_LIKE"):
            continue  # ignored by the grammar: never expected
        for word in terminal_word(terminal.name):
            if isinstance(word, Term):
                assert word != "W_TOKEN_OTHER", terminal.name
                assert all(terminal.name not in message(word, lang) for lang in ("id", "en")), terminal.name
            else:
                assert word.startswith("`") and word.endswith("`") and terminal.name not in word, (terminal.name, word)


def test_a_guarded_row_without_arrow_is_k002_on_its_line() -> None:
    case = harness.case("syntax", "guard-without-arrow")
    with pytest.raises(RulesetError) as caught:
        kinerja.parse(case.text, "uji.kin")
    (d,) = caught.value.diagnostics
    assert (d.code, d.span.line) == ("K002", 13)
