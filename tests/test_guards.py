"""Guards the evaluator keeps for what a checked ruleset can never do (each would be a checker bug)."""

from __future__ import annotations

import harness
import pytest


def test_k706_is_reached_only_past_the_checker() -> None:
    """K706 (no weight branch holds) cannot happen in a checked ruleset: K304 demands a final `otherwise`.
    The evaluator still guards against it; this is the guard, reached by compiling what the checker refused."""
    from kinerja.diagnostics.diagnostic import KinerjaError
    from kinerja.eval.compile import compile_ruleset
    from kinerja.eval.evaluate import RulesetRef, run
    from kinerja.semantics.check import check
    from kinerja.syntax.parse import parse

    text = harness.HEADER + "input a: boolean\nweights w\n  when a: p 50%, q 50%\nend\nvalue v = w.p × 2\noutput v\n"
    checked = check(parse(text))
    assert [d.code for d in checked.errors] == ["K304"]
    with pytest.raises(KinerjaError) as caught:
        run(checked, compile_ruleset(checked), RulesetRef("uji", "1.0.0", "-"), {"a": False}, trace=False)
    assert [d.code for d in caught.value.diagnostics] == ["K706"]
