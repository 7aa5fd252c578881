"""Static analysis (K5xx): the holes real sources leave, and coverage checked against brute force.

The holes are data: tests/diagnostics/analysis/*.kin, one chunk per hole as its source writes
it, read by the shared harness (tests/harness.py): `### CODE "regex"` on the line the finding
is expected on, the regex searched in `MESSAGE [witness: WITNESS]` (English).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import harness
import kinerja
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.cli.main import main
from kinerja.diagnostics.diagnostic import ERROR

HEADER = harness.HEADER


@pytest.mark.parametrize("case", **harness.parametrize("analysis"))
def test_bad_ruleset_reports_exactly_its_expected_findings(case: harness.Case) -> None:
    harness.assert_reports_exactly(case)


def test_every_real_hole_of_the_brief_has_a_case() -> None:
    codes = harness.expected_codes("analysis")
    assert {"K501", "K502", "K503", "K504", "K506", "K507", "K510", "K511", "K520", "K522"} <= codes


def test_a_gap_witness_really_matches_no_row_at_run_time() -> None:
    ruleset_text = re.sub(r"###.*", "", harness.case("analysis", "pedoman-jam").text)
    witnesses = [d.witness for d in kinerja.check_text(ruleset_text) if d.code == "K501"]
    assert len(witnesses) == 3
    ruleset = kinerja.Ruleset.from_text(ruleset_text)
    for w in witnesses:
        assert w is not None
        name, value = w.split(" = ")
        with pytest.raises(kinerja.KinerjaError) as failure:
            ruleset.evaluate({name: Decimal(value)})
        assert "K702" in str(failure.value.render("en"))


def test_check_json_lists_findings_with_witness(tmp_path: Path) -> None:
    source = tmp_path / "kemenkeu.kin"
    source.write_text(harness.case("analysis", "kemenkeu-nko").text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "check", "--format", "json", str(source)])
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)
    gaps = [d for d in found if d["code"] == "K501"]
    assert sorted(d["witness"] for d in gaps) == ["nko = 100", "nko = 80", "nko = 90"]
    assert all({"code", "severity", "file", "line", "column", "message", "witness"} <= set(d) for d in found)


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    source = tmp_path / "unused.kin"
    source.write_text(harness.case("analysis", "unused-input").text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(source)])
    assert result.exit_code == 0, result.output
    assert "K510" in result.output and "atribut_tidak_lengkap" in result.output


# ------------------------------------------------------------------ coverage against brute force
BOUNDS = st.integers(min_value=0, max_value=20)


@st.composite
def rows(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(min_value=1, max_value=5))
    out = []
    for _ in range(count):
        kind = draw(st.sampled_from(["interval", "interval", "bound", "equals"]))
        a, b = sorted((draw(BOUNDS), draw(BOUNDS)))
        if kind == "interval":
            left = draw(st.sampled_from(["[", "("]))
            right = draw(st.sampled_from(["]", ")"]))
            out.append(f"{left}{a}, {b}{right}")
        elif kind == "bound":
            out.append(f"{draw(st.sampled_from(['<', '<=', '>', '>=']))} {a}")
        else:
            out.append(f"= {a}")
    return out


def _scale(conditions: list[str], places: int) -> list[str]:
    """Spread bounds to fractional values so a decimal domain has gaps inside a unit."""
    if places == 0:
        return conditions
    return [re.sub(r"\d+", lambda m: str(Decimal(m.group()) / 10), c) for c in conditions]


def _ruleset(conditions: list[str], kind: str, hit: str) -> str:
    lines = [HEADER, f"input x: {kind}", f"table r on x hit {hit}"]
    # the citation closes each result: a bare `1` followed by a row `= 0` would read as `1 = 0`
    lines += [f'  {c} -> {i + 1} cite "Pasal {i + 1}"' for i, c in enumerate(conditions)]
    lines += ["end", "output r"]
    return "\n".join(lines) + "\n"


def _matching(conditions: list[str], value: Decimal) -> list[int]:
    from kinerja.syntax.parse import parse

    module = parse(_ruleset(conditions, "decimal [0, 2]", "first"))
    table = next(d for d in module.declarations if type(d).__name__ == "TableDecl")
    hits = []
    for i, row in enumerate(table.rows):
        cond = row.condition
        if hasattr(cond, "low_closed"):  # an interval, checked here by hand: the oracle shares no engine code
            above = cond.low is None or value > cond.low or (value == cond.low and cond.low_closed)
            below = cond.high is None or value < cond.high or (value == cond.high and cond.high_closed)
            if above and below:
                hits.append(i)
        elif cond.value.value == value:
            hits.append(i)
    return hits


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conditions=rows(), places=st.sampled_from([0, 1, 2]), hit=st.sampled_from(["first", "unique"]))
def test_coverage_agrees_with_enumerating_the_domain(conditions: list[str], places: int, hit: str) -> None:
    conditions = _scale(conditions, places)
    low, high = Decimal(0), Decimal(2) if places else Decimal(20)
    kind = "integer [0, 20]" if places == 0 else f"decimal [0, 2] places {places}"
    step = Decimal(1).scaleb(-places)
    domain = [low + k * step for k in range(int((high - low) / step) + 1)]
    findings = kinerja.check_text(_ruleset(conditions, kind, hit))
    assert not [d for d in findings if d.severity == ERROR and not d.code.startswith("K5")], [d.text("en") for d in findings]
    matches = {v: _matching(conditions, v) for v in domain}
    uncovered = {v for v, m in matches.items() if not m}
    gaps = [d for d in findings if d.code == "K501"]
    assert bool(gaps) == bool(uncovered), (conditions, [d.witness for d in gaps], sorted(uncovered))
    for d in gaps:  # every witness really is uncovered, on the domain's grid
        assert d.witness is not None
        assert Decimal(d.witness.split(" = ")[1]) in uncovered
    # every uncovered value lies in a reported region: as many regions as maximal runs of uncovered values
    runs = sum(1 for i, v in enumerate(domain) if v in uncovered and (i == 0 or domain[i - 1] not in uncovered))
    assert len(gaps) == runs
    overlaps = [d for d in findings if d.code == "K503"]
    if hit == "unique":
        pairs = {(m[0], m[1]) for m in matches.values() if len(m) > 1} | {
            (a, b) for m in matches.values() for a in m for b in m if a < b
        }
        reported = {(dict(d.args)["first"] - 1, dict(d.args)["second"] - 1) for d in overlaps}
        assert reported == pairs, (conditions, reported, pairs)
        for d in overlaps:
            assert d.witness is not None
            value = Decimal(d.witness.split(" = ")[1])
            first, second = dict(d.args)["first"] - 1, dict(d.args)["second"] - 1
            assert first in matches[value] and second in matches[value]
    else:
        assert not overlaps


def test_shipped_rulesets_have_no_analysis_errors() -> None:
    for path in sorted((Path(__file__).resolve().parents[1] / "rulesets").glob("*.kin")):
        errors = [d.render("en") for d in kinerja.check(path) if d.severity == ERROR and d.code.startswith("K5")]
        assert not errors, "\n".join(errors)
