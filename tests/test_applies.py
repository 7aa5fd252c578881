"""`when C` on a value, table/rubric or quadrant: a definition that applies only to some records.

Where C is false the definition is not computed (nothing it reads is needed), its value
is absent (null in JSON, `-` in text, an empty batch cell), the trace and the explanation
say why, reading it where it is needed is K708, `given(x)` tells whether it applies, and
exceptions on it do not fire. Each stage (parse, check, evaluate, explain, format,
fingerprint, diff, schema, document, analysis, vector) is pinned here.
"""

from __future__ import annotations

from decimal import Decimal

import kinerja
import pytest
from kinerja.diagnostics.diagnostic import EvaluationError, RulesetError
from kinerja.semantics.values import ABSENT, to_json, value_text
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import fingerprint
from kinerja.syntax.format import format_text
from kinerja.syntax.parse import parse
from kinerja.vector.plan import plan_for

RULES = """ruleset uji-berlaku version 1.0.0
  source "Peraturan Uji" short "PU 1/2024"

input jabatan: boolean default false "Menduduki jabatan"
input pimpin: optional integer [1, 4] "Tingkat kepemimpinan (bagi pejabat)"
input skor_dasar: integer [0, 4]
input tingkat: optional integer [1, 2]

rubric skor_pimpin on pimpin when jabatan hit unique
  "Skor kepemimpinan"
  cite "Pasal 2"
  [1, 2] -> 1 "rendah"
  [3, 4] -> 2 "tinggi"
end

value nilai_pimpin = skor_pimpin × 2 when jabatan
  cite "Pasal 3"

value total = skor_dasar + (if jabatan then nilai_pimpin else 0)

value ada = given(nilai_pimpin)

value salah = skor_dasar + nilai_pimpin

quadrant q rows skor_dasar columns tingkat when given(tingkat) and skor_dasar > 0
  | | [1, 1] | [2, 2] |
  | [0, 4] | 10 | 20 |
end

exception bonus overrides nilai_pimpin when true then 99

output skor_pimpin
output nilai_pimpin
output total
output ada
output q
"""


@pytest.fixture(scope="module")
def rules() -> kinerja.Ruleset:
    # `salah` reads nilai_pimpin unguarded: evaluating it for a non-leader must fail (K708)
    return kinerja.load_text(RULES)


def _without_salah() -> str:
    return RULES.replace("value salah = skor_dasar + nilai_pimpin\n", "")


@pytest.fixture(scope="module")
def clean() -> kinerja.Ruleset:
    return kinerja.load_text(_without_salah())


# ------------------------------------------------------------------ parse


def test_parse_keeps_the_condition_on_value_table_and_quadrant() -> None:
    module = parse(RULES)
    by_name = {getattr(d, "name", None): d for d in module.declarations if not isinstance(d, s.OutputDecl)}
    rubric, value, quadrant = by_name["skor_pimpin"], by_name["nilai_pimpin"], by_name["q"]
    assert isinstance(rubric, s.TableDecl) and rubric.applies == s.Name("jabatan", s.NOWHERE)
    assert rubric.subject == s.Name("pimpin", s.NOWHERE) and rubric.hit == "unique" and len(rubric.rows) == 2
    assert rubric.description == "Skor kepemimpinan"
    assert isinstance(value, s.ValueDecl) and value.applies == s.Name("jabatan", s.NOWHERE)
    assert isinstance(value.expr, s.Binary) and value.expr.op == "*"
    assert isinstance(quadrant, s.QuadrantDecl) and isinstance(quadrant.applies, s.Binary)
    assert by_name["total"].applies is None


# ------------------------------------------------------------------ check


def test_a_non_boolean_condition_is_the_boolean_condition_error() -> None:
    with pytest.raises(RulesetError) as error:
        kinerja.load_text(RULES.replace("value nilai_pimpin = skor_pimpin × 2 when jabatan", "value nilai_pimpin = skor_pimpin × 2 when skor_dasar"))
    assert [d.code for d in error.value.diagnostics] == ["K202"]


def test_an_unknown_name_in_the_condition_is_reported() -> None:
    with pytest.raises(RulesetError) as error:
        kinerja.load_text(RULES.replace("when jabatan hit unique", "when jabatn hit unique"))
    assert [d.code for d in error.value.diagnostics] == ["K101"]


def test_a_condition_reading_its_own_definition_is_a_cycle() -> None:
    with pytest.raises(RulesetError) as error:
        kinerja.load_text(RULES.replace("value nilai_pimpin = skor_pimpin × 2 when jabatan", "value nilai_pimpin = skor_pimpin × 2 when nilai_pimpin > 1"))
    assert "K110" in [d.code for d in error.value.diagnostics]


def test_given_accepts_a_when_definition_but_not_an_ordinary_one() -> None:
    with pytest.raises(RulesetError) as error:
        kinerja.load_text(RULES.replace("value ada = given(nilai_pimpin)", "value ada = given(total)"))
    assert [d.code for d in error.value.diagnostics] == ["K249"]


def test_expect_none_is_only_for_what_can_be_absent() -> None:
    ok = _without_salah() + 'example "staf" given skor_dasar = 1 expect nilai_pimpin = none, q = none, total = 1\n'
    assert all(outcome.passed for outcome in kinerja.load_text(ok).run_examples())
    with pytest.raises(RulesetError) as error:
        kinerja.load_text(_without_salah() + 'example "x" given skor_dasar = 1 expect total = none\n')
    assert [d.code for d in error.value.diagnostics] == ["K221"]
    failing = _without_salah() + 'example "pejabat" given skor_dasar = 1, jabatan = true, pimpin = 4 expect nilai_pimpin = none\n'
    outcome = kinerja.load_text(failing).run_examples()[0]
    assert not outcome.passed and "nilai_pimpin: expected -, got 99" in outcome.problems[0]


# ------------------------------------------------------------------ evaluate


def test_not_applicable_is_absent_and_not_computed(clean: kinerja.Ruleset) -> None:
    # pimpin is optional and left out: the rubric's subject is never read, so no K704
    result = clean.evaluate({"skor_dasar": 3}, trace=True)
    assert result.outputs["skor_pimpin"] is ABSENT and result.outputs["nilai_pimpin"] is ABSENT
    assert result.outputs["total"] == 3 and result.outputs["ada"] is False
    assert result.outputs["q"] is ABSENT  # tingkat not given: the quadrant does not apply
    data = result.to_dict()
    assert data["outputs"]["skor_pimpin"] is None and data["outputs"]["nilai_pimpin"] is None
    assert '"nilai_pimpin": null' in to_json(data)
    trace = {step.name: step for step in result.trace}
    assert trace["skor_pimpin"].kind == "not_applicable"
    assert trace["skor_pimpin"].describe("en") == "not applicable: when jabatan"
    assert trace["skor_pimpin"].describe("id") == "tidak berlaku: when jabatan"
    assert trace["skor_pimpin"].reads == {"jabatan": False}
    assert trace["skor_pimpin"].citations == ("PU 1/2024 Pasal 2",)
    assert trace["nilai_pimpin"].to_dict()["value"] is None


def test_applicable_is_computed_as_usual(clean: kinerja.Ruleset) -> None:
    result = clean.evaluate({"skor_dasar": 3, "jabatan": True, "pimpin": 4, "tingkat": 2}, trace=True)
    assert result.outputs["skor_pimpin"] == 2
    assert result.outputs["nilai_pimpin"] == 99  # the exception fires on an applicable target
    assert result.outputs["total"] == 102 and result.outputs["ada"] is True
    assert result.outputs["q"] == 20
    assert {step.name: step.kind for step in result.trace}["skor_pimpin"] == "rubric"


def test_an_exception_on_a_not_applicable_target_does_not_fire(clean: kinerja.Ruleset) -> None:
    result = clean.evaluate({"skor_dasar": 1}, trace=True)
    assert result.outputs["nilai_pimpin"] is ABSENT
    assert {step.name: step.kind for step in result.trace}["nilai_pimpin"] == "not_applicable"


def test_an_applicable_definition_still_needs_its_optional_inputs(clean: kinerja.Ruleset) -> None:
    with pytest.raises(EvaluationError) as error:
        clean.evaluate({"skor_dasar": 1, "jabatan": True})
    assert [d.code for d in error.value.diagnostics] == ["K704"]


def test_reading_a_not_applicable_value_where_needed_is_k708(rules: kinerja.Ruleset) -> None:
    with pytest.raises(EvaluationError) as error:
        rules.evaluate({"skor_dasar": 1})
    (found,) = error.value.diagnostics
    assert found.code == "K708"
    assert found.text("en") == "`nilai_pimpin` does not apply to this record (condition `jabatan` does not hold) but is needed for `salah`"
    assert "tidak berlaku untuk rekaman ini" in found.text("id")
    # when it applies, the same formula evaluates
    assert rules.evaluate({"skor_dasar": 1, "jabatan": True, "pimpin": 1}).values["salah"] == 100


# ------------------------------------------------------------------ explain


def test_explain_says_it_does_not_apply_and_why(clean: kinerja.Ruleset) -> None:
    result = clean.evaluate({"skor_dasar": 3}, trace=True)
    english = kinerja.explain(clean, result, "en")
    indonesian = kinerja.explain(clean, result, "id")
    assert "`skor_pimpin` does not apply: jabatan = no" in english
    assert "`skor_pimpin` tidak berlaku: jabatan = tidak" in indonesian
    assert "`q` does not apply: `given(tingkat) and skor_dasar > 0` (" in english
    assert "Basis: PU 1/2024 Pasal 2." in english
    assert "nilai_pimpin = does not apply" in english and "nilai_pimpin = tidak berlaku" in indonesian


# ------------------------------------------------------------------ format and fingerprint


def test_format_prints_the_clause_canonically_and_is_a_fixed_point() -> None:
    messy = RULES.replace("value nilai_pimpin = skor_pimpin × 2 when jabatan", "value nilai_pimpin = skor_pimpin*2   when(jabatan)")
    once = format_text(messy)
    assert "value nilai_pimpin = skor_pimpin × 2 when jabatan\n" in once
    assert "rubric skor_pimpin on pimpin when jabatan hit unique\n" in once
    assert "quadrant q rows skor_dasar columns tingkat when given(tingkat) and skor_dasar > 0\n" in once
    assert format_text(once) == once
    assert fingerprint(parse(once)) == fingerprint(parse(RULES))


def test_the_fingerprint_covers_the_condition() -> None:
    other = RULES.replace("value nilai_pimpin = skor_pimpin × 2 when jabatan", "value nilai_pimpin = skor_pimpin × 2 when not jabatan")
    plain = RULES.replace("value nilai_pimpin = skor_pimpin × 2 when jabatan", "value nilai_pimpin = skor_pimpin × 2")
    assert len({fingerprint(parse(RULES)), fingerprint(parse(other)), fingerprint(parse(plain))}) == 3


# ------------------------------------------------------------------ diff


def test_diff_reports_added_removed_and_changed_conditions_with_citations() -> None:
    base = kinerja.load_text(_without_salah())
    plain = kinerja.load_text(_without_salah().replace("skor_pimpin × 2 when jabatan", "skor_pimpin × 2 when true").replace(
        "rubric skor_pimpin on pimpin when jabatan hit unique", "rubric skor_pimpin on pimpin hit unique"))
    report = kinerja.diff(base, plain)
    kinds = {(c.kind, c.subject) for c in report.changes}
    assert ("applies_removed", "skor_pimpin") in kinds and ("applies_changed", "nilai_pimpin") in kinds
    removed = next(c for c in report.changes if c.kind == "applies_removed")
    assert removed.text("en") == "`skor_pimpin` now applies to every record (was only when jabatan)"
    assert removed.old_citations == ("PU 1/2024 Pasal 2",) and removed.new_citations == ("PU 1/2024 Pasal 2",)
    added = next(c for c in kinerja.diff(plain, base).changes if c.kind == "applies_added")
    assert added.text("id") == "`skor_pimpin` kini hanya berlaku bila jabatan"
    changed = next(c for c in report.changes if c.kind == "applies_changed")
    assert changed.text("en") == "condition for `nilai_pimpin` to apply: jabatan → true"
    assert changed.old_citations == ("PU 1/2024 Pasal 3",)


# ------------------------------------------------------------------ schema, document, analysis, vector


def test_output_schema_allows_null_only_for_when_outputs(clean: kinerja.Ruleset) -> None:
    properties = kinerja.output_schema(clean)["properties"]
    assert properties["skor_pimpin"]["type"] == ["integer", "null"]
    assert properties["skor_pimpin"]["x-kinerja-applies-when"] == "jabatan"
    assert properties["total"]["type"] == "integer"
    import jsonschema

    schema = kinerja.output_schema(clean)
    jsonschema.validate({"skor_pimpin": None, "nilai_pimpin": None, "total": 3, "ada": False, "q": None}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"skor_pimpin": 1, "nilai_pimpin": 2, "total": None, "ada": True, "q": 10}, schema)


def test_document_shows_the_condition_beside_the_rule(clean: kinerja.Ruleset) -> None:
    markdown = kinerja.render_document(clean, "md", "en")
    assert "Applies only when `jabatan`" in markdown
    assert "Applies only when `given(tingkat) and skor_dasar > 0`" in markdown
    html = kinerja.render_document(clean, "html", "id")
    assert "Hanya berlaku bila</span> <code>jabatan</code>" in html  # the value's formula cell
    assert "Hanya berlaku bila <code>jabatan</code>" in html  # the rubric's paragraph


def test_analysis_raises_no_false_alarm(clean: kinerja.Ruleset) -> None:
    # pimpin (optional) is read only under `when`; the rubric still covers pimpin's whole domain
    found = [d.code for d in kinerja.check_text(_without_salah()) if d.severity == "error"]
    assert found == []
    gappy = _without_salah().replace("[3, 4] -> 2 \"tinggi\"", "[3, 3] -> 2 \"tinggi\"")
    gaps = [d for d in kinerja.check_text(gappy) if d.code == "K501"]
    assert gaps and "pimpin = 4" in gaps[0].text("en")


def test_the_column_path_compiles_when_definitions(clean: kinerja.Ruleset) -> None:
    plan = plan_for(clean)
    assert plan is not None
    rows = {"skor_dasar": ["3", "3", "3"], "jabatan": ["false", "true", "true"], "pimpin": ["", "4", ""]}
    outcome = plan.evaluate_text_columns(rows, 3)
    # staff: not applicable, absent; leader: computed (the exception gives 99); a leader without
    # the score: declined, left to the single-record path and its error
    assert list(outcome.ok) == [True, True, False]
    assert outcome.outputs["nilai_pimpin"][:2] == ["-", "99"]
    single = [clean.evaluate({k: v[i] for k, v in rows.items() if v[i]}, text_values=True) for i in range(2)]
    assert [value_text(r.outputs["nilai_pimpin"]) for r in single] == ["-", "99"]


def test_batch_leaves_a_not_applicable_cell_empty(clean: kinerja.Ruleset, tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    source, target = folder / "in.csv", folder / "out.csv"
    source.write_text("skor_dasar,jabatan,pimpin\n3,false,\n3,true,4\n", encoding="utf-8")
    kinerja.batch(clean, source, target)
    lines = target.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    staff, leader = (dict(zip(header, line.split(","), strict=False)) for line in lines[1:])
    assert staff["nilai_pimpin"] == "" and staff["total"] == "3"
    assert leader["nilai_pimpin"] == "99" and Decimal(leader["total"]) == 102
