"""The short fuzzing run, in CI (a few tens of seconds); the long one: `tests/fuzz/README.md`.

Hypothesis drives the same generators as the long run (`st.randoms()`: what it finds is
shrunk to a small seed sequence), plus lark's own grammar through `hypothesis.extra.lark`.
An input passes when nothing crashes (only kinerja's own errors), nothing hangs, formatting
is idempotent and keeps the fingerprint, and traced and untraced evaluation agree.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import kinerja
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from kinerja.syntax.parse import _grammar
from lark import Lark

from fuzz.generate import SHIPPED, extreme, generated, mutated, record
from fuzz.harness import batch_findings, inputs_of, record_findings, ruleset_findings


def short(examples: int) -> settings:
    """A CI budget: `examples` inputs, no deadline per input (the harness times each step itself)."""
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


@pytest.fixture(autouse=True, scope="module")
def _private_cache() -> Iterator[None]:
    """The signed parse cache on, as users have it, in a folder of this run's own."""
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "KINERJA_NO_CACHE")}
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CACHE_HOME"] = folder
        os.environ.pop("KINERJA_NO_CACHE", None)
        yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _failures(findings: list) -> list:
    return [f for f in findings if f.failure]


@short(40)
@given(st.randoms(use_true_random=False))
def test_generated_rulesets(rnd: random.Random) -> None:
    assert _failures(ruleset_findings(generated(rnd), rnd)) == []


@short(12)
@given(st.randoms(use_true_random=False))
def test_mutated_shipped_rulesets(rnd: random.Random) -> None:
    assert _failures(ruleset_findings(mutated(rnd), rnd)) == []


@short(6)
@given(st.randoms(use_true_random=False))
def test_extreme_rulesets(rnd: random.Random) -> None:
    assert _failures(ruleset_findings(extreme(rnd), rnd)) == []


@short(25)
@given(from_lark(Lark(_grammar(), parser="lalr", start="start")))
def test_token_streams_of_the_grammar(text: str) -> None:
    assert _failures(ruleset_findings(text)) == []


@pytest.mark.parametrize("ref", SHIPPED)
def test_records(ref: str) -> None:
    ruleset = kinerja.load(ref)

    @short(40)
    @given(st.randoms(use_true_random=False))
    def one(rnd: random.Random) -> None:
        assert _failures(record_findings(ruleset, record(rnd, inputs_of(ruleset)))) == []

    one()


def test_records_through_batch(tmp_path: Path) -> None:
    ruleset = kinerja.load("pp-30-2019")
    drawn = [record(random.Random(seed), inputs_of(ruleset)) for seed in range(60)]
    assert _failures(batch_findings(ruleset, drawn, tmp_path)) == []
