"""Link stage: `extends` takes the base's rules, `override` changes named parts of them."""

from __future__ import annotations

from decimal import Decimal

import kinerja
import pytest
from kinerja.diagnostics.diagnostic import InputError, RulesetError
from kinerja.semantics.values import ABSENT

CHILD = """
ruleset pp-30-kabupaten-uji version 1.0.0
  title "Aturan daerah di atas PP 30/2019"
  source "Peraturan Bupati Uji" short "Perbup Uji"
  extends pp-30-2019@1.0.0

override weights bobot when penilaian_360: skp 50%, perilaku 50%  cite "Pasal 5"
override table predikat row 2 [90, 110) -> "Baik"  cite "Pasal 6"
override input nilai_kinerja "Nilai kinerja yang sudah dihitung aplikasi daerah"  cite "Pasal 7"

example "bobot daerah" given nilai_skp = 80, nilai_perilaku = 100, penilaian_360 = true
  expect nilai_kinerja = 90, predikat = "Baik"
"""


@pytest.fixture(scope="module")
def child() -> kinerja.Ruleset:
    return kinerja.load_text(CHILD, "kabupaten.kin")


def test_the_child_keeps_the_base_rules_it_does_not_override(child: kinerja.Ruleset) -> None:
    result = child.evaluate({"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False})
    assert result.outputs == {"nilai_kinerja": Decimal(90), "predikat": "Baik"}


def test_an_overridden_weight_branch_applies(child: kinerja.Ruleset) -> None:
    result = child.evaluate({"nilai_skp": 80, "nilai_perilaku": 100, "penilaian_360": True})
    assert result.outputs["nilai_kinerja"] == Decimal(90)


def test_the_child_runs_its_own_examples_not_the_base_ones(child: kinerja.Ruleset) -> None:
    outcomes = child.run_examples()
    assert [o.title for o in outcomes] == ["bobot daerah"]
    assert all(o.passed for o in outcomes)


def test_a_supplied_definition_excuses_the_inputs_that_only_computed_it(child: kinerja.Ruleset) -> None:
    result = child.evaluate({"nilai_kinerja": 95})
    assert result.outputs == {"nilai_kinerja": Decimal(95), "predikat": "Baik"}
    assert result.values["bobot"] is ABSENT


def test_without_the_supplied_definition_its_inputs_stay_required(child: kinerja.Ruleset) -> None:
    with pytest.raises(InputError) as caught:
        child.evaluate({"nilai_skp": 90})
    assert set(caught.value.fields) == {"nilai_perilaku", "penilaian_360"}


def test_a_supplied_definition_is_validated_against_its_type(child: kinerja.Ruleset) -> None:
    with pytest.raises(InputError) as caught:
        child.evaluate({"nilai_kinerja": "sembilan puluh"})
    assert caught.value.fields == ["nilai_kinerja"]


def test_overriding_what_the_base_lacks_is_an_error_naming_it() -> None:
    text = CHILD.replace("override table predikat row 2", "override table predikat_lain row 2")
    with pytest.raises(RulesetError) as caught:
        kinerja.load_text(text, "kabupaten.kin")
    assert any("predikat_lain" in d.text("en") for d in caught.value.diagnostics)
