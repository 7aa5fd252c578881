"""The group report's figures (issue 12, new users 15): the least re-rating for `most`, and decimal separators."""

from __future__ import annotations

from collections import Counter

import kinerja
import pytest
from kinerja.audit.population import check_rule, least_rerating
from kinerja.syntax import tree as s


@pytest.fixture(scope="module")
def cases() -> dict[str, s.DistributionCase]:
    decl = kinerja.load("permenpanrb-6-2022").module.of_kind(s.DistributionDecl)[0]
    return {c.group_class: c for c in decl.cases}


def test_most_reports_the_least_re_rating_beside_the_employees_to_add(cases: dict[str, s.DistributionCase]) -> None:
    most = cases["Istimewa"].rules[0]  # most "Sangat Baik"
    biro = check_rule(most, Counter({"Sangat Baik": 14, "Baik": 19}), 33, ())
    assert (biro.conforms, biro.missed_by, biro.rerate_by) == (False, 6, 3)  # 17 > 16 after moving 3
    assert "at least 3 employees would have to be re-rated to Sangat Baik (or 6 more employees Sangat Baik)" in biro.render("en")
    assert "paling sedikit 3 pegawai perlu dinilai ulang menjadi Sangat Baik" in biro.render("id")
    assert biro.to_dict("en")["rerate_by"] == 3
    assert check_rule(most, Counter({"Sangat Baik": 20, "Baik": 19}), 39, ()).rerate_by == 0


@pytest.mark.parametrize(("ours", "others", "moves"), [
    (14, {"Baik": 19}, 3), (3, {"Baik": 5}, 2), (5, {"Baik": 5}, 1), (2, {"Baik": 5, "Cukup": 5}, 3),
    (0, {"Baik": 1, "Cukup": 1, "Kurang": 1}, 2), (4, {"Baik": 3}, 0),
])  # fmt: skip
def test_least_rerating_is_minimal(ours: int, others: dict[str, int], moves: int) -> None:
    assert least_rerating(ours, others) == moves
    # no smaller number of moves works, whichever labels they come from
    def works(k: int, left: dict[str, int], mine: int) -> bool:
        if mine > max(left.values(), default=0):
            return True
        return k > 0 and any(works(k - 1, {**left, n: c - 1}, mine + 1) for n, c in left.items() if c)

    assert works(moves, others, ours) and (moves == 0 or not works(moves - 1, others, ours))


def test_shares_use_the_languages_decimal_separator(cases: dict[str, s.DistributionCase]) -> None:
    at_least_60 = cases["Butuh Perbaikan"].rules[1]
    found = check_rule(at_least_60, Counter({"Butuh Perbaikan": 5, "Baik": 4}), 9, ())
    assert found.render("en") == "Butuh Perbaikan: 5 of 9 = 55.6% < 60%: 1 employee too few"
    assert found.render("id") == "Butuh Perbaikan: 5 dari 9 = 55,6% < 60%: kekurangan 1 pegawai"
