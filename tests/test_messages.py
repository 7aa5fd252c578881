"""Message discipline: every entry of the catalogue in both languages with the same placeholders;
every diagnostic code produced somewhere in the engine and produced by some test; retired codes
produced nowhere.

"Produced by a test" means: expected by a chunk of the `###` harness (tests/diagnostics/),
named as an error of the case corpora (tests/cases/), shown in a golden output
(tests/golden/), or named in a string a test compares against (tests/*.py).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import harness
import pytest
from kinerja.diagnostics.catalogue import RETIRED
from kinerja.diagnostics.messages import CATALOGUE, LANGUAGES, Listing, Phrase, Term, message

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CODE = re.compile(r"\bK\d{3}\b")
CODES = sorted(code for code in CATALOGUE if re.fullmatch(r"K\d{3}", code))


def _placeholders(template: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}


def _string_constants(paths: list[Path]) -> set[str]:
    """Every string constant in these Python files, docstrings left out (a docstring produces nothing)."""
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
        }  # fmt: skip
        found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings}
    return found


def _produced_in_code() -> set[str]:
    sources = [p for p in (REPO / "engine").rglob("*.py") if "catalogue" not in p.parts] + sorted((REPO / "cli").glob("*.py"))
    return {code for text in _string_constants(sources) for code in CODE.findall(text) if text == code}


def _produced_by_tests() -> set[str]:
    found = set(harness.expected_codes())
    for corpus in sorted((TESTS / "cases").glob("*.yaml")):
        errors = re.findall(r"error: \[([^\]]*)\]", corpus.read_text(encoding="utf-8"))
        found |= set(CODE.findall(" ".join(errors)))
    for golden in sorted((TESTS / "golden").glob("*")):
        found |= set(CODE.findall(golden.read_text(encoding="utf-8")))
    tests = [p for p in sorted(TESTS.glob("test_*.py")) if p.name != Path(__file__).name]
    found |= {code for text in _string_constants(tests) for code in CODE.findall(text)}
    return found


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_has_both_languages_with_the_same_placeholders(code: str) -> None:
    entry = CATALOGUE[code]
    assert set(entry) == set(LANGUAGES), code
    assert all(entry[lang].strip() for lang in LANGUAGES), code
    assert _placeholders(entry["id"]) == _placeholders(entry["en"]), code
    args = dict.fromkeys(_placeholders(entry["id"]), "x")
    assert all(message(code, lang, **args) for lang in LANGUAGES)


def test_every_code_is_said_differently_in_each_language() -> None:
    same = [code for code in CODES if CATALOGUE[code]["id"] == CATALOGUE[code]["en"]]
    assert not same


def test_every_code_has_a_producer_in_the_engine() -> None:
    produced = _produced_in_code()
    missing = [code for code in CODES if code not in produced and code not in RETIRED]
    assert not missing, f"codes no engine or CLI module produces: {missing} (give them one, or retire them in RETIRED)"


def test_every_code_is_produced_by_a_test() -> None:
    tested = _produced_by_tests()
    missing = [code for code in CODES if code not in tested and code not in RETIRED]
    assert not missing, f"codes no test produces: {missing}"


def test_retired_codes_are_produced_nowhere() -> None:
    assert set(RETIRED) <= set(CODES), "a retired code keeps its catalogue entry: old reports still name it"
    assert not set(RETIRED) & _produced_in_code()
    assert not set(RETIRED) & (harness.expected_codes() | _produced_by_tests())


def test_words_inside_a_message_are_said_in_its_language() -> None:
    """Terms, Phrases and Listings given as arguments are rendered when the message is, in its language."""
    problem = Phrase.of("W_PROBLEM_NOT_LABEL", labels=Listing.of(['"a"', '"b"']))
    assert message("K217", "id", name="k", value='"c"', problem=problem) == 'contoh memberi `k` = "c": seharusnya salah satu dari "a", "b"'
    assert message("K217", "en", name="k", value='"c"', problem=problem) == 'the example gives `k` = "c": expected one of "a", "b"'
    assert message("K213", "id", axis=Term("W_QUADRANT_ROW"), label="a") == 'baris kuadran "a" ditulis dua kali'
    assert message("K213", "en", axis=Term("W_QUADRANT_COLUMN"), label="a") == 'quadrant column "a" appears twice'

