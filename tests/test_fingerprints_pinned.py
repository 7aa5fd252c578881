"""Results already issued carry these fingerprints: every shipped file must keep its own.

A fingerprint is defined by the language (canonical names per node kind), not by the
engine's Python class or module names, so a reorganisation of the engine cannot move it.
"""

import kinerja
import pytest

SHIPPED = {
    "angka-kredit@1.0.0": "sha256:e1d63c47b3ec21d2244e8994abf6c066322ed2d3eda91ace9317ce43493979fc",
    "bkkbn-cuk@1.0.0": "sha256:dca09638c04180350870ed22bd6b61e09e3909e63f5bcaf4c1729a06e71652ef",
    "kmk-127-2026@1.0.0": "sha256:04615da65123430073875df3675cd8f7e8a0472d445a0f8bae5735b5c3338e7a",
    "kmk-300-2022@1.0.0": "sha256:9e651d5b300c414412954298981c8d22a9c0f6a32c44d8fa2b7f46661273ab65",
    "pedoman-daerah@1.0.0": "sha256:166d19660da3303181eab5933dd0a3245c301e55508d8e130fd43f3b2925f455",
    "permenpanrb-6-2022@1.0.0": "sha256:81872cfb74f841d195a1bc65865ae148c8e0c2ea8170f75647ac610604038fe4",
    "pp-30-2019@1.0.0": "sha256:baae2336c2139aa504412be84845e8296dd0225c166fc19dc882b456e75d9aff",
    # shipped with issue 13 (a correction of one of them is a new version, `revises`, never an edit)
    "kmk-127-2026@2.0.0": "sha256:62c043a7be708d6c984eed6add1fc609bd81bf2ec29baeb3aa64c93b7ebf2934",
    "permenpanrb-6-2022-rerata@1.0.0": "sha256:140a693184579a3884c8553e3d0d67d205d2422286ca00e3f0e06acf67473c6f",
    "permenpanrb-8-2021@1.0.0": "sha256:eefe4ea79a40f00ba7d0fb2157a9013976c72787dc9ee0159d3942dc806b44b5",
    "tpp-daerah@1.0.0": "sha256:591c8a5b304d90d65fca38d0e2be8d4b73d2d04f80e31d642ed602d27da25fec",
}


def test_every_shipped_file_is_pinned() -> None:
    from importlib import resources

    shipped = {p.name.removesuffix(".kin") for p in resources.files("kinerja.rulesets").iterdir() if p.name.endswith(".kin")}
    assert shipped == set(SHIPPED), "pin the fingerprint of a newly shipped ruleset here"


@pytest.mark.parametrize("ref", sorted(SHIPPED))
def test_shipped_fingerprint_is_unchanged(ref: str) -> None:
    assert kinerja.load(ref).fingerprint == SHIPPED[ref]


def test_every_tree_node_kind_has_a_canonical_name() -> None:
    import dataclasses

    from kinerja.syntax import tree as s
    from kinerja.syntax.canonical import KINDS

    nodes = {c for c in vars(s).values() if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == s.__name__}
    assert nodes - {s.Span, s.Module, s.Comment} == set(KINDS)


def test_renaming_an_engine_class_keeps_every_fingerprint() -> None:
    from kinerja.syntax import tree as s
    from kinerja.syntax.canonical import fingerprint
    from kinerja.syntax.parse import parse

    text = kinerja.load("pp-30-2019").module.source_text
    before = fingerprint(parse(text))
    renamed = (s.NumberLit, s.TableDecl, s.Interval)
    try:
        for cls in renamed:
            cls.__name__ = cls.__qualname__ = "Renamed" + cls.__name__
        after = fingerprint(parse(text))
    finally:
        for cls in renamed:
            cls.__name__ = cls.__qualname__ = cls.__name__.removeprefix("Renamed")
    assert after == before == SHIPPED["pp-30-2019@1.0.0"]
