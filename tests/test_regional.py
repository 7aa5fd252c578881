"""The regional pedoman (pedoman-daerah) and the BKKBN culture survey (bkkbn-cuk): behaviour
that the inline examples do not pin down — which inputs the final score reads, every
resolved source gap, complete band coverage, reverse scoring, and the descriptor text."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import kinerja.syntax.tree as s
import pytest
from click.testing import CliRunner
from kinerja.cli.main import main as cli
from kinerja.publish.render import render_document
from kinerja.semantics.values import ABSENT

SEEDS = Path("/work/shared/seeds")
KEPEMIMPINAN = ["conceptual_skill", "delegating", "decision_making", "communication", "coordinating", "controlling_evaluating"]
REVERSED = {"cerdas_01", "cerdas_02", "kemitraan_01", "kemitraan_02"}
CUK_NAMES = ([f"cerdas_{i:02d}" for i in range(1, 15)] + [f"ulet_{i:02d}" for i in range(1, 11)]
             + [f"kemitraan_{i:02d}" for i in range(1, 17)])  # fmt: skip


@pytest.fixture(scope="module")
def pedoman() -> kinerja.Ruleset:
    return kinerja.load("pedoman-daerah")


@pytest.fixture(scope="module")
def cuk() -> kinerja.Ruleset:
    return kinerja.load("bkkbn-cuk")


def staff(**changes: Any) -> dict[str, Any]:
    """A non-leader with perfect scores, changed by `changes`."""
    record: dict[str, Any] = {
        "capaian_tugas_persen": Decimal("90"), "tidak_apel": 0, "tanpa_atribut": 0, "terlambat_masuk": 0,
        "tidak_tepat_pulang": 0, "jam_kerja_per_hari": Decimal("8"), "hukuman_disiplin": "tidak_pernah",
        "integritas": 4, "loyalitas": 4, "kerja_sama": 4, "inisiatif": 4, "tanggung_jawab": 4, "orientasi_pelayanan": 4,
    }  # fmt: skip
    record.update(changes)
    return record


def leader(level: int, **changes: Any) -> dict[str, Any]:
    return staff(memegang_jabatan=True, **{name: level for name in KEPEMIMPINAN}, **changes)


def step(result: kinerja.Result, name: str) -> kinerja.TraceStep:
    return next(st for st in result.trace if st.name == name)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


# ------------------------------------------------------------------ pedoman-daerah: kepemimpinan


def test_a_non_leader_needs_no_kepemimpinan_input(pedoman: kinerja.Ruleset) -> None:
    result = pedoman.evaluate(staff(), trace=True)
    assert result.outputs["nilai_akhir"] == Decimal("4")
    # kepemimpinan does not apply to a non-leader: absent (null in JSON), never a misleading 0
    assert result.outputs["nilai_kepemimpinan"] is ABSENT
    assert result.to_dict()["outputs"]["nilai_kepemimpinan"] is None
    assert step(result, "skor_delegating").kind == "not_applicable"
    assert step(result, "bobot").index == 1  # the `otherwise` branch: 60/20/20/0


def test_a_non_leaders_final_score_ignores_kepemimpinan_levels(pedoman: kinerja.Ruleset) -> None:
    base = staff(capaian_tugas_persen=Decimal("55"), tidak_apel=5, integritas=2)
    plain = pedoman.evaluate(base).outputs
    for level in (1, 4):
        given = pedoman.evaluate({**base, **{name: level for name in KEPEMIMPINAN}}).outputs
        assert given["nilai_akhir"] == plain["nilai_akhir"]
        assert given["skor_delegating"] is ABSENT and given["nilai_kepemimpinan"] is ABSENT


def test_a_leaders_final_score_reads_kepemimpinan(pedoman: kinerja.Ruleset) -> None:
    low = pedoman.evaluate(leader(1)).outputs
    high = pedoman.evaluate(leader(4)).outputs
    assert high["nilai_akhir"] - low["nilai_akhir"] == Decimal("0.30")  # 10% × (4 − 1)
    assert step(pedoman.evaluate(leader(1), trace=True), "bobot").index == 0


def test_a_leader_without_kepemimpinan_levels_is_an_error_naming_the_field(pedoman: kinerja.Ruleset) -> None:
    record = leader(3)
    del record["coordinating"]
    with pytest.raises(kinerja.EvaluationError) as caught:
        pedoman.evaluate(record)
    assert "coordinating" in caught.value.render("en")


# ------------------------------------------------------------------ pedoman-daerah: resolved gaps


@pytest.mark.parametrize(
    ("field", "value", "score_name", "expected"),
    [
        ("tidak_apel", 1, "skor_apel", 3),
        ("terlambat_masuk", 1, "skor_tepat_masuk", 3),
        ("tidak_tepat_pulang", 1, "skor_tepat_pulang", 3),
        ("capaian_tugas_persen", Decimal("24.99"), "skor_produktivitas", 0),
        ("capaian_tugas_persen", Decimal("25.50"), "skor_produktivitas", 1),
        ("capaian_tugas_persen", Decimal("49.50"), "skor_produktivitas", 2),
        ("capaian_tugas_persen", Decimal("79.99"), "skor_produktivitas", 3),
        ("jam_kerja_per_hari", Decimal("4.4"), "skor_kehadiran", 1),
        ("jam_kerja_per_hari", Decimal("4.45"), "skor_kehadiran", 1),
        ("jam_kerja_per_hari", Decimal("5.45"), "skor_kehadiran", 2),
        ("jam_kerja_per_hari", Decimal("7.45"), "skor_kehadiran", 3),
        ("jam_kerja_per_hari", Decimal("7.5"), "skor_kehadiran", 4),
    ],
)
def test_each_source_gap_gives_the_noted_result(
    pedoman: kinerja.Ruleset, field: str, value: Any, score_name: str, expected: int
) -> None:
    result = pedoman.evaluate(staff(**{field: value}), trace=True)
    decided = step(result, score_name)
    assert decided.value == expected
    assert decided.descriptor is not None and decided.descriptor.startswith("Celah pedoman")
    assert decided.notes, "a gap row carries the note that records the choice"


def test_a_gap_row_is_not_one_the_source_wrote(pedoman: kinerja.Ruleset) -> None:
    """The neighbours of a gap are decided by the source's own rows, not by the gap rows."""
    for count, score in ((0, 4), (2, 3)):
        decided = step(pedoman.evaluate(staff(tidak_apel=count), trace=True), "skor_apel")
        assert decided.value == score
        assert decided.descriptor is not None and decided.descriptor.startswith("Skor")


@pytest.mark.parametrize(("field", "score_name"), [("tidak_apel", "skor_apel"), ("tanpa_atribut", "skor_atribut"),
                                                   ("terlambat_masuk", "skor_tepat_masuk"),
                                                   ("tidak_tepat_pulang", "skor_tepat_pulang")])  # fmt: skip
def test_every_monthly_count_has_exactly_one_row_and_more_lapses_never_score_higher(
    pedoman: kinerja.Ruleset, field: str, score_name: str
) -> None:
    scores = [pedoman.evaluate(staff(**{field: n}), trace=False).outputs[score_name] for n in range(32)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 4


@pytest.mark.parametrize(("field", "score_name", "high"), [("jam_kerja_per_hari", "skor_kehadiran", 2400),
                                                           ("capaian_tugas_persen", "skor_produktivitas", 10000)])  # fmt: skip
def test_every_decimal_with_declared_places_has_exactly_one_row(
    pedoman: kinerja.Ruleset, field: str, score_name: str, high: int
) -> None:
    # hit unique raises on a value two rows claim and on one no row claims, so a
    # full sweep of the domain at its declared 2 places proves the bands tile it
    scores = [pedoman.evaluate(staff(**{field: Decimal(n).scaleb(-2)}), trace=False).outputs[score_name]
              for n in range(high + 1)]  # fmt: skip
    assert scores == sorted(scores)
    assert scores[-1] == 4


# ------------------------------------------------------------------ pedoman-daerah: input problems and text


def test_three_invalid_fields_are_all_listed(pedoman: kinerja.Ruleset) -> None:
    record = staff(tidak_apel=40, jam_kerja_per_hari=Decimal("4.455"), hukuman_disiplin="ringan")
    with pytest.raises(kinerja.InputError) as caught:
        pedoman.evaluate(record)
    assert set(caught.value.fields) == {"tidak_apel", "jam_kerja_per_hari", "hukuman_disiplin"}


def _descriptors(ruleset: kinerja.Ruleset) -> list[str]:
    return [row.descriptor for d in ruleset.module.declarations if isinstance(d, s.TableDecl) and d.kind == "rubric"
            for row in d.rows if row.descriptor]  # fmt: skip


def test_descriptor_sentences_are_the_sources_words(pedoman: kinerja.Ruleset) -> None:
    seed = next(SEEDS.glob("004_*.txt"), None)
    if seed is None:
        pytest.skip("the source article (seed 004) is not available here")
    source = normalised(seed.read_text(encoding="utf-8"))
    own = ("Celah pedoman", "Tidak dinilai")  # the ruleset's own rows for gaps and non-leaders
    quoted = [d for d in _descriptors(pedoman) if not d.startswith(own)]
    assert len(quoted) == 5 + 4 + 5 + 5 + 4 + 5 + 4 + 5 + 4 * 5 + 4 * 6  # every level the source describes
    missing = [d for d in quoted if normalised(d).rstrip(".") not in source]
    assert not missing


def test_doc_shows_every_descriptor_sentence(pedoman: kinerja.Ruleset) -> None:
    result = CliRunner().invoke(cli, ["doc", "pedoman-daerah"])
    assert result.exit_code == 0, result.output
    html = render_document(pedoman, "html", "id")
    for descriptor in _descriptors(pedoman):
        assert descriptor in result.output or descriptor.replace("|", "\\|") in result.output, descriptor
        assert descriptor.replace("&", "&amp;") in html, descriptor


# ------------------------------------------------------------------ bkkbn-cuk


def answers(default: str = "Sering", **changes: str) -> dict[str, str]:
    return {name: changes.get(name, default) for name in CUK_NAMES}


def test_the_survey_keeps_every_statement(cuk: kinerja.Ruleset) -> None:
    inputs = {d.name: d for d in cuk.module.declarations if isinstance(d, s.InputDecl)}
    assert sorted(inputs) == sorted(CUK_NAMES)
    assert all(d.description for d in inputs.values())
    seed = next(SEEDS.glob("004_*.txt"), None)
    if seed is not None:
        source = normalised(seed.read_text(encoding="utf-8"))
        assert [n for n, d in inputs.items() if normalised(d.description or "") not in source] == []


@pytest.mark.parametrize("name", sorted(REVERSED))
def test_a_reverse_scored_statement_answered_selalu_lowers_the_score(cuk: kinerja.Ruleset, name: str) -> None:
    group = {"cerdas": "skor_budaya_cerdas", "kemitraan": "skor_perilaku_kemitraan"}[name.split("_")[0]]
    never = cuk.evaluate(answers(**{name: "Tidak Pernah"})).outputs
    always = cuk.evaluate(answers(**{name: "Selalu"})).outputs
    assert always[group] < never[group]
    assert always["skor_keseluruhan"] < never["skor_keseluruhan"]


@pytest.mark.parametrize("name", ["cerdas_03", "ulet_01", "kemitraan_16"])
def test_an_ordinary_statement_answered_selalu_raises_the_score(cuk: kinerja.Ruleset, name: str) -> None:
    never = cuk.evaluate(answers(**{name: "Tidak Pernah"})).outputs["skor_keseluruhan"]
    always = cuk.evaluate(answers(**{name: "Selalu"})).outputs["skor_keseluruhan"]
    assert always > never


def test_each_reversed_value_records_why(cuk: kinerja.Ruleset) -> None:
    values = {d.name: d for d in cuk.module.declarations if isinstance(d, s.ValueDecl)}
    for name in REVERSED:
        decl = values[f"nilai_{name}"]
        assert decl.annotations.notes and decl.annotations.citations


def test_the_survey_outputs_only_scores(cuk: kinerja.Ruleset) -> None:
    outputs = cuk.evaluate(answers()).outputs
    assert set(outputs) == {"skor_budaya_cerdas", "skor_budaya_ulet", "skor_perilaku_kemitraan", "skor_keseluruhan"}
    assert all(isinstance(v, Decimal) for v in outputs.values())


def test_three_invalid_answers_are_all_listed(cuk: kinerja.Ruleset) -> None:
    record = answers(cerdas_05="Kadang", ulet_02="selalu", kemitraan_09="5")
    with pytest.raises(kinerja.InputError) as caught:
        cuk.evaluate(record)
    assert set(caught.value.fields) == {"cerdas_05", "ulet_02", "kemitraan_09"}
