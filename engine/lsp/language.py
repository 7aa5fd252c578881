"""Words of the ruleset language, read from the grammar and the checker (never listed twice)."""

from __future__ import annotations

import functools
import re
from importlib import resources

from kinerja.diagnostics.messages import message
from kinerja.semantics import builtins
from kinerja.semantics.values import ROUNDING_MODES
from kinerja.syntax.parse import DECLARATION_KEYWORDS

NAME = re.compile(r"[a-z_][a-z0-9_]*")
BUILTINS: tuple[str, ...] = builtins.NAMES
MODES: tuple[str, ...] = ROUNDING_MODES
DECLARATIONS: tuple[str, ...] = DECLARATION_KEYWORDS


@functools.lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every word the grammar spells out (`ruleset`, `when`, `hit`, `first`, …)."""
    grammar = resources.files("kinerja.grammar").joinpath("kinerja.lark").read_text(encoding="utf-8")
    body = "\n".join(line.split("//")[0] for line in grammar.splitlines())
    return frozenset(re.findall(r'"([a-z]+)"', body)) | {"first", "unique", "table", "rubric"}


def builtin_help(name: str, lang: str) -> tuple[str, str] | None:
    """A built-in function's signatures and what it does (from the builtins table), or None."""
    entries = [b for b in (builtins.SCALAR.get(name), builtins.LISTS.get(name)) if b is not None]
    if not entries:
        return None
    signature = "  ·  ".join(dict.fromkeys(b.signature for b in entries))
    summary = " ".join(dict.fromkeys(message(b.summary, lang) for b in entries))
    return signature, summary
