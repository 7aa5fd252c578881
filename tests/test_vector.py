"""The vectorised path agrees with the single-record path on every row it answers, and declines the rest."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import kinerja
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.semantics.values import value_text
from kinerja.vector.plan import NUMBER_ABSENT, OK_KEY, VectorPlan, number_text, plan_for, why_not

ROWS = st.integers(min_value=1, max_value=40)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Texts no reader may answer wrongly: malformed, out of range, too many places, odd spacing.
BAD_NUMBERS = ["abc", "1e2", "-1", "120.01", "121", "90,5", "89.999", " 90 ", "NaN", "Infinity", "1..2", "+5", "٣", "0x10", "9" * 30]


@cache
def _load(ref: str) -> kinerja.Ruleset:
    return kinerja.load(ref)


@cache
def _text(text: str) -> kinerja.Ruleset:
    return kinerja.load_text(text)


def _plan(ruleset: kinerja.Ruleset) -> VectorPlan:
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    return plan


def _truth(ruleset: kinerja.Ruleset, record: dict[str, str]) -> dict[str, str] | None:
    try:
        result = ruleset.evaluate(record, trace=False, text_values=True)
    except KinerjaError:
        return None
    return {k: value_text(v) for k, v in result.outputs.items()}


def _compare(ruleset: kinerja.Ruleset, columns: dict[str, list[str]], rows: int, *, all_answered: bool) -> np.ndarray:
    """Every ok row equals the single-record answer; a row the single path rejects is never ok."""
    outcome = _plan(ruleset).evaluate_text_columns(columns, rows)
    assert outcome.ok.shape == (rows,) and outcome.ok.dtype == bool
    for i in range(rows):
        record = {name: cells[i] for name, cells in columns.items() if cells[i] != ""}
        truth = _truth(ruleset, record)
        if truth is None:
            assert not outcome.ok[i], (record, {k: v[i] for k, v in outcome.outputs.items()})
            continue
        if all_answered:
            assert outcome.ok[i], record
        if outcome.ok[i]:
            assert {k: v[i] for k, v in outcome.outputs.items()} == truth, record
    return outcome.ok


def _decimal_text(places: int, low: int, high: int) -> st.SearchStrategy[str]:
    def show(n: int) -> str:
        return number_text(n, places)

    return st.integers(min_value=low * 10**places, max_value=high * 10**places).map(show)


def _column(draw: st.DrawFn, rows: int, cell: st.SearchStrategy[str]) -> list[str]:
    return [draw(cell) for _ in range(rows)]


# ------------------------------------------------------------------------ pp-30-2019
PP_BOUNDARY = ["96", "76", "90", "70", "50", "110", "120", "0", "109.99", "89.99", "69.99", "49.99", "119.99", "0.01",
               "90.00", "89.5", "90.0", "100", "60"]  # fmt: skip
BOOLS = ["true", "false", "ya", "tidak", "1", "0", "TRUE", " true ", "benar", "maybe", "2", "yes"]


@st.composite
def pp_population(draw: st.DrawFn) -> tuple[dict[str, list[str]], int]:
    rows = draw(ROWS)
    number = st.one_of(st.sampled_from(PP_BOUNDARY), _decimal_text(2, 0, 120), _decimal_text(1, 0, 120),
                       st.sampled_from(BAD_NUMBERS + [""]))  # fmt: skip
    return {
        "nilai_skp": _column(draw, rows, number),
        "nilai_perilaku": _column(draw, rows, number),
        "penilaian_360": _column(draw, rows, st.sampled_from(BOOLS + [""])),
        "inovasi": _column(draw, rows, st.sampled_from(BOOLS + ["", "", ""])),
    }, rows


@SETTINGS
@given(pp_population())
def test_pp_30_2019_agrees(population: tuple[dict[str, list[str]], int]) -> None:
    columns, rows = population
    _compare(_load("pp-30-2019"), columns, rows, all_answered=True)


def test_pp_30_2019_exact_boundary() -> None:
    columns = {"nilai_skp": ["96", "90", "110", "109.99"], "nilai_perilaku": ["76", "90", "110", "109.99"],
               "penilaian_360": ["false", "true", "false", "false"], "inovasi": ["", "", "true", "true"]}  # fmt: skip
    outcome = _plan(_load("pp-30-2019")).evaluate_text_columns(columns, 4)
    assert outcome.ok.all()
    assert outcome.outputs == {"nilai_kinerja": ["90", "90", "110", "109.99"], "predikat": ["Baik", "Baik", "Sangat Baik", "Baik"]}


# ------------------------------------------------------------------------ permenpanrb-6-2022
RATINGS = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]
ORGANISATION = ["Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Istimewa"]
BERAKHLAK = ["perilaku_berorientasi_pelayanan", "perilaku_akuntabel", "perilaku_kompeten", "perilaku_harmonis",
             "perilaku_loyal", "perilaku_adaptif", "perilaku_kolaboratif"]  # fmt: skip


@st.composite
def permenpanrb_population(draw: st.DrawFn) -> tuple[dict[str, list[str]], int]:
    rows = draw(ROWS)
    rating = st.one_of(st.sampled_from(RATINGS), st.sampled_from(["", "", "Melebihi Ekspektasi", " Sesuai Ekspektasi", "baik"]))
    mostly_given = st.one_of(st.sampled_from(RATINGS), st.just(""))
    columns = {
        "rating_hasil_kerja": _column(draw, rows, rating),
        "rating_perilaku_kerja": _column(draw, rows, st.one_of(rating, st.just(""), st.just(""))),
        "pimpinan_unit": _column(draw, rows, st.sampled_from(["", "", "true", "false", "x"])),
        "predikat_organisasi": _column(draw, rows, st.sampled_from(ORGANISATION + ["", "", "Sangat Baik"])),
    }
    for name in BERAKHLAK:
        columns[name] = _column(draw, rows, st.one_of(mostly_given, mostly_given, mostly_given, st.just("Baik")))
    return columns, rows


@SETTINGS
@given(permenpanrb_population())
def test_permenpanrb_6_2022_agrees(population: tuple[dict[str, list[str]], int]) -> None:
    columns, rows = population
    _compare(_load("permenpanrb-6-2022"), columns, rows, all_answered=True)


@SETTINGS
@given(permenpanrb_population(), st.data())
def test_angka_kredit_agrees(population: tuple[dict[str, list[str]], int], data: st.DataObject) -> None:
    """An extending ruleset: `predikat` may be given (the definitions feeding it then may lack inputs); a
    quotient by 12 that does not end is declined, never answered."""
    columns, rows = population
    columns["predikat"] = [data.draw(st.sampled_from(["", "", "Baik", "Sangat Baik", "Sangat Kurang", "Istimewa"])) for _ in range(rows)]
    levels = ["Pemula", "Terampil", "Mahir", "Penyelia", "Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama"]
    columns["jenjang"] = [data.draw(st.sampled_from([*levels, "", "Ahli"])) for _ in range(rows)]
    columns["bulan"] = [data.draw(st.sampled_from(["", "1", "3", "5", "6", "7", "12", "13", "0", "2.5", "4.0"])) for _ in range(rows)]
    _compare(_load("angka-kredit"), columns, rows, all_answered=False)


def test_missing_column_is_absent_everywhere() -> None:
    ruleset = _load("pp-30-2019")
    columns = {"nilai_skp": ["96", "50"], "nilai_perilaku": ["76", "50"], "penilaian_360": ["false", "true"]}
    ok = _compare(ruleset, columns, 2, all_answered=True)
    assert ok.all()
    ok = _compare(ruleset, {"nilai_skp": ["96", "50"], "nilai_perilaku": ["76", "50"]}, 2, all_answered=True)
    assert not ok.any()  # penilaian_360 is required


# ------------------------------------------------------------------------ generated rulesets
CONSTRUCTS = """
ruleset vec-probe version 1.0.0
  title "Vector probe"
  source "Probe" short "P"

type tingkat = scale "rendah" < "sedang" < "tinggi"
type jenis = enum { a, b, c }

input x: decimal [0, 100] places 2 "x"
input y: decimal [-5, 5] places 3 default 1.5 "y"
input n: integer [0, 31] "n"
input flag: boolean default false "flag"
input level: tingkat "level"
input kind: optional jenis "kind"
input extra: optional decimal [0, 10] places 1 "extra"

weights w "w"
  when flag and n > 10: p 25%, q 75%
  when level >= "sedang": p 50%, q 50%
  otherwise: p 80%, q 20%
end

value mix = w.p × x + w.q × y
value ratio = x / 8
value third = n / 3
value rounded_even = round(x × 0.5, 1, half_even)
value rounded_up = round(y / 4, 2, half_up)
value rounded_down = round(y × 3, 1, down)
value rounded_away = round(y × 3, 1, up)
value rounded_half_down = round(x / 4, 1, half_down)
value clamped = clamp(x - 10 × y, 5, 90)
value lo_hi = min(x, n, 50) + max(y, 0) - abs(y) + floor(y) + ceiling(x / 7)
value bonus = if given(extra) then extra × 2 else 0
value boosted = if flag or (given(kind) and kind = "b") then rank(level) else -rank(level)
value counted = count(v for v in [level, level] where v > "rendah")

table band on mix hit first
  [90, 100] if flag -> "top"
  [80, 100] -> "high"
  [50, 80) -> "mid"
    cite "free layout: a citation ends the row before a one-sided condition"
  < 50 -> "low"
end

rubric skor on n hit unique
  >= 20 -> 0 "banyak"
  [10, 19] -> 1 "sedang"
  (0, 10) -> 3 "sedikit"
  = 0 -> 4 "nihil"
end

table jenis_skor on kind hit first
  = "a" -> x
    cite "r1"
  = "b" -> y
    cite "r2"
  = "c" -> n
end

quadrant kuadran rows level columns x
  | | [0, 50) | [50, 100] |
  | "tinggi" | "B" | "A" |
  | "sedang" | "C" | "B" |
  | "rendah" | - | "C" |
end

exception kecil overrides band priority 1
  when n = 1
  then "low"

exception nol overrides band priority 5
  when n = 0 and flag
  then "top"

output mix "m"
output ratio "r"
output third "t"
output rounded_even "e"
output rounded_up "u"
output rounded_down "d"
output rounded_away "a"
output rounded_half_down "h"
output clamped "c"
output lo_hi "l"
output bonus "b"
output boosted "bo"
output counted "co"
output band "band"
output skor "s"
output jenis_skor "j"
output kuadran "k"
output kind "kind"
"""


@st.composite
def probe_population(draw: st.DrawFn) -> tuple[dict[str, list[str]], int]:
    rows = draw(ROWS)
    x = st.one_of(st.sampled_from(["0", "50", "49.99", "80", "90", "100", "79.99", "12.25", "12.75", "0.05"]), _decimal_text(2, 0, 100),
                  st.sampled_from(["", "100.5", "x", "12.345"]))  # fmt: skip
    y = st.one_of(st.sampled_from(["", "-5", "5", "0", "-0.005", "0.125", "-0.125", "1.5", "-2.25"]), _decimal_text(3, -5, 5),
                  st.sampled_from(["-5.001", "y"]))  # fmt: skip
    return {
        "x": _column(draw, rows, x),
        "y": _column(draw, rows, y),
        "n": _column(draw, rows, st.one_of(st.integers(0, 31).map(str), st.sampled_from(["", "32", "1.5", "3.0"]))),
        "flag": _column(draw, rows, st.sampled_from(["", "true", "false"])),
        "level": _column(draw, rows, st.sampled_from(["rendah", "sedang", "tinggi", "", "super"])),
        "kind": _column(draw, rows, st.sampled_from(["a", "b", "c", "", "", "d"])),
        "extra": _column(draw, rows, st.sampled_from(["", "", "0", "2.5", "10", "10.5", "0.05"])),
    }, rows


def test_probe_ruleset_compiles() -> None:
    assert why_not(_text(CONSTRUCTS)) is None


@SETTINGS
@given(probe_population())
def test_probe_ruleset_agrees(population: tuple[dict[str, list[str]], int]) -> None:
    columns, rows = population
    _compare(_text(CONSTRUCTS), columns, rows, all_answered=False)


def test_probe_declines_only_what_it_must() -> None:
    """Rows that evaluate cleanly with terminating quotients are answered; an empty quadrant cell is declined."""
    ruleset = _text(CONSTRUCTS)
    columns = {"x": ["70", "40", "80"], "y": ["1", "1", ""], "n": ["3", "12", "0"], "flag": ["", "", "true"],
               "level": ["tinggi", "rendah", "sedang"], "kind": ["a", "b", ""], "extra": ["", "2.5", ""]}  # fmt: skip
    ok = _compare(ruleset, columns, 3, all_answered=False)
    assert ok.tolist() == [True, False, False]  # row 2: quadrant cell "-"; row 3: jenis_skor reads an absent kind


# ------------------------------------------------------------------------ unit tests
def test_number_text_matches_value_text() -> None:
    for value, scale in [(9000, 2), (8950, 2), (0, 3), (-125, 3), (5, 2), (-1, 1), (1200000, 4), (7, 0), (-70, 1)]:
        expected = value_text(Decimal(value).scaleb(-scale))
        assert number_text(value, scale) == expected


def test_encode_and_evaluate_arrays() -> None:
    ruleset = _load("pp-30-2019")
    plan = _plan(ruleset)
    assert plan.input_scale("nilai_skp") == 2
    skp = plan.encode("nilai_skp", [Decimal("96"), Decimal("89.5"), None, Decimal("120")])
    assert skp.tolist() == [9600, 8950, NUMBER_ABSENT, 12000]
    columns = {"nilai_skp": skp, "nilai_perilaku": plan.encode("nilai_perilaku", [76, 89.5, 10, 120]),
               "penilaian_360": plan.encode("penilaian_360", [False, True, False, False]),
               "inovasi": plan.encode("inovasi", [None, None, None, True])}  # fmt: skip
    out = plan.evaluate_arrays(columns)
    assert out[OK_KEY].tolist() == [True, True, False, True]
    assert plan.decode("nilai_kinerja", out["nilai_kinerja"][[0, 1, 3]]) == ["90", "89.5", "120"]
    assert plan.decode("predikat", out["predikat"][[0, 1, 3]]) == ["Baik", "Cukup", "Sangat Baik"]
    assert out["nilai_kinerja"][0] == 90 * 10 ** plan.output_scale("nilai_kinerja")


def test_evaluate_arrays_declines_out_of_range_codes() -> None:
    plan = _plan(_load("permenpanrb-6-2022"))
    codes = {name: np.array([1, 7, -1]) for name in ("rating_hasil_kerja", "rating_perilaku_kerja")}
    out = plan.evaluate_arrays(codes)
    assert out[OK_KEY].tolist() == [True, False, False]
    assert plan.decode("predikat", out["predikat"][:1]) == ["Baik"]


@pytest.mark.parametrize(
    "declaration",
    [
        # list inputs compile (tests/test_vector_lists.py); a field without places has no fixed scale
        "input items: list of { a: decimal [0, 10] }\nvalue total = sum(i.a for i in items)\noutput total",
        "input v: decimal [0, 10]\nvalue twice = v × 2\noutput twice",  # no places: no fixed scale
        "input v: integer [0, 1000000000000]\nvalue big = v × v × v\noutput big",  # could overflow int64
    ],
)
def test_plan_for_declines_unsupported(declaration: str) -> None:
    text = 'ruleset vec-no version 1.0.0\n  title "t"\n  source "s" short "S"\n' + declaration + "\n"
    ruleset = kinerja.load_text(text)
    assert plan_for(ruleset) is None
    assert why_not(ruleset)


# ------------------------------------------------------------------------ lookup tables (engine/vector_lut.py)
def _every(*choices: list[str]) -> list[tuple[str, ...]]:
    """Every combination of the given cell texts ("" = not given)."""
    combos: list[tuple[str, ...]] = [()]
    for options in choices:
        combos = [(*c, o) for c in combos for o in options]
    return combos


def _columns_of(names: list[str], combos: list[tuple[str, ...]]) -> dict[str, list[str]]:
    return {name: [c[i] for c in combos] for i, name in enumerate(names)}


def test_permenpanrb_steps_are_lookup_tables() -> None:
    assert _plan(_load("permenpanrb-6-2022")).lookup_steps() == ("rating_hasil_efektif", "rating_perilaku_efektif", "predikat")


def test_permenpanrb_lookup_every_behaviour_combination() -> None:
    """rating_perilaku_efektif's whole domain: the direct rating and the seven BerAKHLAK values, each one of
    three labels or not given (4**8 rows); the hasil side is fixed, so predikat's column side is covered too."""
    names = ["rating_perilaku_kerja", *BERAKHLAK]
    combos = _every(*[[*RATINGS, ""]] * len(names))
    columns = _columns_of(names, combos)
    columns["rating_hasil_kerja"] = ["Di Atas Ekspektasi"] * len(combos)
    ok = _compare(_load("permenpanrb-6-2022"), columns, len(combos), all_answered=True)
    assert 0 < ok.sum() < len(combos)  # both answered and declined rows occur


def test_permenpanrb_lookup_every_result_combination() -> None:
    """rating_hasil_efektif's whole domain (leader true/false/not given, every organisation and hasil rating
    or none) crossed with every direct behaviour rating: all of predikat's quadrant cells."""
    names = ["pimpinan_unit", "predikat_organisasi", "rating_hasil_kerja", "rating_perilaku_kerja"]
    combos = _every(["true", "false", ""], [*ORGANISATION, ""], [*RATINGS, ""], RATINGS)
    columns = _columns_of(names, combos)
    ruleset = _load("permenpanrb-6-2022")
    ok = _compare(ruleset, columns, len(combos), all_answered=True)
    # The array encoding (codes, -1 for not given) gives the same answers and the same declines.
    plan = _plan(ruleset)
    arrays = {name: plan.encode(name, [None if x == "" else (x == "true" if name == "pimpinan_unit" else x) for x in cells])
              for name, cells in columns.items()}  # fmt: skip
    answer = plan.evaluate_arrays(arrays)
    assert answer[OK_KEY].tolist() == ok.tolist()
    texts = plan.evaluate_text_columns(columns, len(combos)).outputs
    for name in plan.output_names:
        assert [x for x, good in zip(plan.decode(name, answer[name]), ok.tolist(), strict=True) if good] == \
               [x for x, good in zip(texts[name], ok.tolist(), strict=True) if good]  # fmt: skip


def test_permenpanrb_lookup_missing_and_out_of_range_columns() -> None:
    """A missing optional label column is not given everywhere; codes outside a label's range are declined."""
    plan = _plan(_load("permenpanrb-6-2022"))
    out = plan.evaluate_arrays({"rating_hasil_kerja": np.array([2, 1, 0, 3]), "rating_perilaku_kerja": np.array([2, -2, 1, 1])})
    assert out[OK_KEY].tolist() == [True, False, True, False]
    assert plan.decode("predikat", out["predikat"][[0, 2]]) == ["Sangat Baik", "Butuh Perbaikan"]
    leader = {"pimpinan_unit": np.array([1, 1, -1], dtype=np.int8), "rating_perilaku_kerja": np.array([1, 1, 1])}
    out = plan.evaluate_arrays(leader)  # a leader without predikat_organisasi fails; a default fills pimpinan_unit
    assert out[OK_KEY].tolist() == [False, False, False]  # rows 3: not a leader, and rating_hasil_kerja is missing


LOOKUP_PROBE = """
ruleset vec-lookup version 1.0.0
  title "Lookup probe"
  source "Probe" short "P"

type tingkat = scale "rendah" < "sedang" < "tinggi"
type warna = enum { merah, hijau }

input a: optional tingkat "a"
input b: optional boolean "b"
input c: warna "c"
input d: boolean default true "d"
input e: optional tingkat "e"

table t: tingkat on b hit first
  = true if a >= "sedang" and d -> a
  = true if given(e) -> e
  = false if c = "merah" -> "rendah"
  = false -> "tinggi"
end

value flag = (not given(a) or a = "tinggi") and c = "hijau"

value banyak = if given(e) then count(x for x in [e, t] where x > "rendah") else 0

table u: warna on t hit unique
  = "rendah" if flag -> "merah"
  = "sedang" -> "hijau"
  = "tinggi" if not flag -> "hijau"
end

output t "t"
output flag "flag"
output banyak "banyak"
output u "u"
output a "a"
"""


def test_lookup_probe_every_combination() -> None:
    """Every cell combination of a ruleset whose steps are all lookup tables (optional booleans and labels,
    a required label, a defaulted boolean, a count, guards reading absent inputs, a table over a step),
    including texts that are not valid, against the single-record path."""
    ruleset = _text(LOOKUP_PROBE)
    plan = _plan(ruleset)
    assert plan.lookup_steps() == ("t", "flag", "banyak", "u")
    level = ["rendah", "sedang", "tinggi", ""]
    names = ["a", "b", "c", "d", "e"]
    combos = _every(level, ["true", "false", ""], ["merah", "hijau", "", "x"], ["true", "false", ""], [*level, "x"])
    ok = _compare(ruleset, _columns_of(names, combos), len(combos), all_answered=True)
    assert 0 < ok.sum() < len(combos)


# ------------------------------------------------------------------------ `when`: definitions that apply to some rows
WHEN_PROBE = """
ruleset vec-when version 1.0.0
  title "When probe"
  source "Probe" short "P"

type tingkat = scale "rendah" < "sedang" < "tinggi"

input lead: boolean default false "lead"
input skill: optional integer [1, 4] "skill"
input level: optional tingkat "level"
input x: decimal [0, 100] places 2 "x"
input g: optional boolean "g"

rubric skor on skill when lead hit unique
  [1, 2] -> 1 "rendah"
  [3, 4] -> 2 "tinggi"
end

table mutu: tingkat on level when lead or g hit first
  = "tinggi" -> "tinggi"
  = "sedang" -> "rendah"
  = "rendah" -> "sedang"
end

value nilai = skor × x / 4 when lead

value total = x + (if lead then nilai else 0)

value needed = if x > 50 then nilai else 0

value ada = given(nilai) and not given(mutu)

value cepat = x > 50 when given(g) and g

value cepat_label = if given(level) then (if cepat then "tinggi" else "rendah") else "sedang"

value mutu_teks = if given(mutu) then mutu else "sedang"

quadrant q rows mutu columns skill when given(mutu) and x > 10
  | | [1, 2] | [3, 4] |
  | "tinggi" | 30 | 40 |
  | "sedang" | 20 | - |
  | "rendah" | 10 | 15 |
end

exception puncak overrides nilai priority 1
  when x = 100
  then 7

exception cepat_lambat overrides cepat priority 1
  when x = 0
  then true

output skor "s"
output nilai "n"
output total "t"
output needed "nd"
output ada "a"
output cepat "c"
output cepat_label "cl"
output mutu "m"
output mutu_teks "mt"
output q "q"
"""

WHEN_NAMES = ["lead", "skill", "level", "x", "g"]
WHEN_CELLS = (["true", "false", "", "x"], ["1", "2", "3", "4", "", "5"], ["tinggi", "sedang", "rendah", "", "super"],
              ["0", "10", "10.01", "50", "50.01", "99.99", "100", "", "abc"], ["true", "false", "", "maybe"])  # fmt: skip


def test_when_probe_compiles_with_lookup_tables() -> None:
    plan = _plan(_text(WHEN_PROBE))
    # `when` steps over booleans and labels are lookup tables too; cepat_label reads a `when` boolean
    assert {"mutu", "cepat_label", "mutu_teks"} <= set(plan.lookup_steps())


def test_when_probe_every_combination() -> None:
    """Every cell combination, invalid cells included: a `when` rubric over an optional input, a `when` label
    table whose condition can fail (K704), a `when` value with an exception, reads under an `if` and where
    needed (K708), given() of `when` steps, a `when` boolean read by a lookup table, a `when` quadrant."""
    ruleset = _text(WHEN_PROBE)
    combos = _every(*WHEN_CELLS)
    columns = _columns_of(WHEN_NAMES, combos)
    ok = _compare(ruleset, columns, len(combos), all_answered=True)
    assert 0 < ok.sum() < len(combos)
    outputs = _plan(ruleset).evaluate_text_columns(columns, len(combos)).outputs
    answered = [i for i in range(len(combos)) if ok[i]]
    for name in ("skor", "nilai", "cepat", "mutu", "q"):  # each applies on some answered rows and not on others
        shown = {outputs[name][i] == "-" for i in answered}
        assert shown == {True, False}, name


def test_when_probe_declines_where_a_value_that_does_not_apply_is_needed() -> None:
    ruleset = _text(WHEN_PROBE)
    columns = {"lead": ["false", "false", "true", "false", "true"], "skill": ["", "", "3", "9", "3"],
               "level": ["", "", "tinggi", "", "tinggi"], "x": ["40", "60", "100", "40", "100"],
               "g": ["false", "false", "true", "false", ""]}  # fmt: skip
    ok = _compare(ruleset, columns, 5, all_answered=True)
    # row 2: needed reads nilai (K708); row 4: skill out of range; row 5: cepat_label reads cepat (K708)
    assert ok.tolist() == [True, False, True, False, False]
    outputs = _plan(ruleset).evaluate_text_columns(columns, 5).outputs
    assert [outputs[n][0] for n in ("skor", "nilai", "total", "ada", "cepat", "cepat_label", "mutu", "q")] == \
           ["-", "-", "40", "false", "-", "sedang", "-", "-"]  # fmt: skip
    assert [outputs[n][2] for n in ("nilai", "cepat", "q")] == ["7", "true", "40"]  # the exception fires where nilai applies


def test_when_probe_arrays_mark_absence() -> None:
    """The array encoding: a `when` number output is NUMBER_ABSENT, a label -1, a boolean int8 -1 where it
    does not apply, and decode gives "-" there, as the text columns do."""
    ruleset = _text(WHEN_PROBE)
    plan = _plan(ruleset)
    values: dict[str, list[object]] = {"lead": [True, False, False], "skill": [3, None, None], "level": ["tinggi", None, None],
                                       "x": [Decimal(60), Decimal(40), Decimal(60)], "g": [True, True, False]}  # fmt: skip
    out = plan.evaluate_arrays({name: plan.encode(name, cells) for name, cells in values.items()})
    assert out[OK_KEY].tolist() == [True, False, False]  # row 2: mutu's level is absent; row 3: needed reads nilai
    values["x"][2] = Decimal(40)
    out = plan.evaluate_arrays({name: plan.encode(name, cells) for name, cells in values.items()})
    assert out[OK_KEY].tolist() == [True, False, True]
    assert out["nilai"][2] == NUMBER_ABSENT and out["mutu"][2] == -1 and out["cepat"].dtype == np.int8
    assert out["cepat"].tolist()[::2] == [1, -1]
    assert plan.decode("nilai", out["nilai"][[0, 2]]) == ["30", "-"]
    assert plan.decode("cepat", out["cepat"][[2]]) == ["-"]
    assert plan.decode("mutu", out["mutu"][[0, 2]]) == ["tinggi", "-"]


def test_pedoman_daerah_leadership_every_combination() -> None:
    """The shipped ruleset whose six leadership rubrics, their sum and mean apply `when memegang_jabatan`."""
    ruleset = _load("pedoman-daerah")
    plan = _plan(ruleset)
    leadership = ["conceptual_skill", "delegating", "decision_making", "communication", "coordinating", "controlling_evaluating"]
    # a leadership sum that is a multiple of 6 keeps the mean exact (2 = 1 + 1, 8 = 4 + 4 with the four 4s)
    combos = _every(["true", "false", "", "ya"], ["1", "4", "", "5"], ["1", "4", "", "0"], ["4", ""])
    # the ruleset's own example of an employee scoring 4 everywhere else (sums of 24: every mean ends)
    base = {"capaian_tugas_persen": "90", "tidak_apel": "0", "tanpa_atribut": "0", "terlambat_masuk": "0", "tidak_tepat_pulang": "0",
            "jam_kerja_per_hari": "8", "hukuman_disiplin": "tidak_pernah", "integritas": "4", "loyalitas": "4", "kerja_sama": "4",
            "inisiatif": "4", "tanggung_jawab": "4", "orientasi_pelayanan": "4"}  # fmt: skip
    columns = {name: [base[name]] * len(combos) for name in base}
    for k, name in enumerate(["memegang_jabatan", "conceptual_skill", "delegating"]):
        columns[name] = [c[k] for c in combos]
    for name in leadership[2:]:
        columns[name] = [c[3] for c in combos]
    ok = _compare(ruleset, columns, len(combos), all_answered=False)  # a mean over 6 that does not end is declined
    assert 0 < ok.sum() < len(combos)
    shown = plan.evaluate_text_columns(columns, len(combos)).outputs["nilai_kepemimpinan"]
    assert {shown[i] == "-" for i in range(len(combos)) if ok[i]} == {True, False}
