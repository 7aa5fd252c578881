"""The public Python API: loading by every kind of reference, caching, threads, structured errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from kinerja import InputError, RulesetError, RulesetNotFound

REPO = Path(__file__).resolve().parents[1]
PP30_FILE = REPO / "rulesets" / "pp-30-2019@1.0.0.kin"
RECORD = {"nilai_skp": Decimal(96), "nilai_perilaku": Decimal(76), "penilaian_360": False}


@pytest.mark.parametrize("ref", ["pp-30-2019", "pp-30-2019@1.0.0", str(PP30_FILE), PP30_FILE])
def test_load_by_id_version_or_path_gives_the_same_rules(ref: object) -> None:
    ruleset = kinerja.load(ref)  # type: ignore[arg-type]
    assert (ruleset.id, ruleset.version) == ("pp-30-2019", "1.0.0")
    assert ruleset.fingerprint == kinerja.load_text(PP30_FILE.read_text(encoding="utf-8")).fingerprint


def test_loading_twice_is_served_from_the_fingerprint_cache() -> None:
    library = kinerja.Library()
    first = library.load("pp-30-2019")
    text = PP30_FILE.read_text(encoding="utf-8")
    assert library.load_text(text + "\n# only a comment more\n") is first


def test_as_of_picks_the_version_in_force() -> None:
    assert kinerja.load("pp-30-2019", as_of=date(2020, 1, 1)).version == "1.0.0"
    with pytest.raises(RulesetNotFound) as caught:
        kinerja.load("pp-30-2019", as_of=date(2019, 1, 1))
    assert caught.value.diagnostics[0].code == "K803"


def test_unknown_ruleset_lists_what_exists() -> None:
    with pytest.raises(RulesetNotFound) as caught:
        kinerja.load("pp-30-2091")
    d = caught.value.diagnostics[0]
    assert d.code == "K801" and "pp-30-2019" in d.text("en")


def test_a_missing_ruleset_file_is_named_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(RulesetNotFound) as caught:
        kinerja.load(tmp_path / "tidak-ada.kin")
    (d,) = caught.value.diagnostics
    assert d.code == "K804" and "tidak-ada.kin" in d.text("en") and "tidak ada" in d.text("id")


def test_a_result_carries_outputs_trace_and_the_exact_ruleset() -> None:
    result = kinerja.evaluate("pp-30-2019", RECORD, trace=True)  # without it, no trace (issue 17)
    assert result.outputs == {"nilai_kinerja": Decimal(90), "predikat": "Baik"}
    assert (result.ruleset.id, result.ruleset.version) == ("pp-30-2019", "1.0.0")
    assert result.ruleset.fingerprint == kinerja.load("pp-30-2019").fingerprint
    assert result.trace and kinerja.parse_json(kinerja.to_json(result.to_dict()))["outputs"]["predikat"] == "Baik"


def test_invalid_input_raises_one_structured_diagnostic_per_problem() -> None:
    with pytest.raises(InputError) as caught:
        kinerja.evaluate("pp-30-2019", {"nilai_skp": Decimal(130), "nilai_prilaku": 1, "penilaian_360": "ya"})
    codes = sorted((d.code, d.field) for d in caught.value.diagnostics)
    assert codes == [("K601", "nilai_perilaku"), ("K602", "penilaian_360"), ("K603", "nilai_prilaku"), ("K604", "nilai_skp")]
    unknown = next(d for d in caught.value.diagnostics if d.code == "K603")
    assert unknown.suggestion is not None and "nilai_perilaku" in unknown.suggestion.render("en")


@pytest.mark.parametrize(
    "record, english, indonesian",
    [
        ({"nilai_skp": "abc", "nilai_perilaku": 76, "penilaian_360": False}, "is not decimal [0, 120]", "bukan decimal [0, 120]"),
        (["not", "a", "record"], "is not an object of named inputs", "bukan objek berisi masukan bernama"),
    ],
)
def test_what_was_expected_is_said_in_the_message_language(record: object, english: str, indonesian: str) -> None:
    with pytest.raises(InputError) as caught:
        kinerja.load("pp-30-2019").evaluate(record, text_values=True)  # type: ignore[arg-type]
    (problem,) = caught.value.diagnostics
    assert english in problem.text("en") and indonesian in problem.text("id")


def test_broken_ruleset_text_raises_with_every_problem() -> None:
    text = PP30_FILE.read_text(encoding="utf-8").replace("bobot.skp × nilai_skp", "bobot.skp × nilai_sk").replace(
        "hit first", "hit firts")
    with pytest.raises(RulesetError) as caught:
        kinerja.load_text(text, "rusak.kin")
    assert len(caught.value.diagnostics) >= 1
    assert all(d.span.file == "rusak.kin" and d.span.line > 0 for d in caught.value.diagnostics)


def test_a_loaded_ruleset_is_shared_safely_by_threads() -> None:
    ruleset = kinerja.load("pp-30-2019")
    records = [{"nilai_skp": Decimal(s), "nilai_perilaku": Decimal(p), "penilaian_360": s % 2 == 0}
               for s in range(0, 121, 3) for p in range(0, 121, 7)]  # fmt: skip
    expected = [ruleset.evaluate(r, trace=False).outputs for r in records]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(lambda r: ruleset.evaluate(r).outputs, records)) == expected


def test_concurrent_loads_agree_on_one_cached_object() -> None:
    library = kinerja.Library()
    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(lambda _: library.load("pp-30-2019"), range(16)))
    assert all(r is loaded[0] for r in loaded)


def test_evaluate_many_keeps_one_result_per_record_in_order() -> None:
    ruleset = kinerja.load("pp-30-2019")
    records = [RECORD, {"nilai_skp": 1}, {**RECORD, "penilaian_360": True}]
    results = list(ruleset.evaluate_many(records))
    assert len(results) == 3
    assert isinstance(results[1], InputError)
    assert results[0].outputs["predikat"] == "Baik" and results[2].outputs["nilai_kinerja"] == Decimal("88.0")
