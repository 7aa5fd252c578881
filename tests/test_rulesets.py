"""Every shipped ruleset: checks clean, its examples pass, every rule cites its article,
and its bundled sample input under examples/ evaluates."""

from __future__ import annotations

from pathlib import Path

import kinerja
import kinerja.syntax.tree as s
import pytest
from kinerja.diagnostics.diagnostic import ERROR

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted((REPO / "rulesets").glob("*.kin"))
IDS = [p.stem for p in SHIPPED]


def test_the_product_ships_every_regulation() -> None:
    ids = {p.stem.split("@")[0] for p in SHIPPED}
    assert {"pp-30-2019", "permenpanrb-6-2022", "kmk-300-2022", "kmk-127-2026", "pedoman-daerah",
            "bkkbn-cuk", "angka-kredit", "permenpanrb-6-2022-rerata", "tpp-daerah", "permenpanrb-8-2021"} <= ids  # fmt: skip
    versions = {p.stem for p in SHIPPED}
    assert {"kmk-127-2026@1.0.0", "kmk-127-2026@2.0.0"} <= versions  # the first reading stays reproducible


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_checks_without_errors(path: Path) -> None:
    errors = [d.render("en") for d in kinerja.check(path) if d.severity == ERROR]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_example_passes(path: Path) -> None:
    outcomes = kinerja.load(path).run_examples()
    assert outcomes, "a shipped ruleset carries examples from its regulation"
    failed = [f"{o.title}: {o.problems}" for o in outcomes if not o.passed]
    assert not failed, "\n".join(failed)


def _uncited(module: s.Module) -> list[str]:
    """Rules that cite nothing: the header's citation does not count for a row or a cell."""
    missing = []
    own = [d for d in module.declarations if d.span.file == module.path]
    for decl in own:
        name = getattr(decl, "name", type(decl).__name__)
        if isinstance(decl, s.WeightsDecl):
            missing += [f"weights {name} branch {i + 1}" for i, b in enumerate(decl.branches)
                        if not (b.annotations.citations or decl.annotations.citations)]  # fmt: skip
        elif isinstance(decl, s.TableDecl):
            missing += [f"{name} row {i + 1}" for i, r in enumerate(decl.rows) if not r.annotations.citations]
        elif isinstance(decl, s.QuadrantDecl):
            missing += [f"{name} row {i + 1}" for i, r in enumerate(decl.rows)
                        if not (r.annotations.citations or decl.annotations.citations)]  # fmt: skip
        elif isinstance(decl, s.ExceptionDecl | s.InputDecl | s.ValueDecl | s.DistributionDecl):
            if not decl.annotations.citations:
                missing.append(f"{type(decl).__name__} {name}")
    return missing


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_rule_cites_its_article(path: Path) -> None:
    module = kinerja.load(path).module
    assert not _uncited(module)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_bundled_sample_input_evaluates(path: Path) -> None:
    ruleset_id = path.stem.split("@")[0]
    # an earlier version whose inputs differ keeps its own sample, examples/<id>@<version>.json
    versioned = REPO / "examples" / f"{path.stem}.json"
    sample = versioned if versioned.is_file() else REPO / "examples" / f"{ruleset_id}.json"
    assert sample.is_file(), f"examples/{ruleset_id}.json is missing"
    result = kinerja.load(path).evaluate(kinerja.parse_json(sample.read_text(encoding="utf-8")))
    assert result.outputs
