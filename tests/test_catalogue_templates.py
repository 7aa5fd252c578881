"""Every catalogue entry is a `str.format` template that formats (found by fuzzing: a `{…}` in
a word made every "expected a record" error a KeyError)."""

from __future__ import annotations

import string

import pytest
from kinerja.diagnostics.messages import CATALOGUE, message


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_formats_in_every_language(code: str) -> None:
    for lang, template in CATALOGUE[code].items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert message(code, lang, **{name.split(".")[0].split("[")[0]: "x" for name in fields}) is not None
