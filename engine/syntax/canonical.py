"""The canonical content of a ruleset and its fingerprint.

The canonical form is the syntax tree without positions or comments, with
top-level declarations in a fixed order (by kind, then name). Reformatting,
re-commenting or reordering declarations leaves it unchanged; any change in
meaning — a bound, a label, a weight, a citation, a note — changes it.
Row order inside a table is kept: under `hit first` it is meaning.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from kinerja.syntax import tree as s
from kinerja.syntax.numbers import plain

_KIND_ORDER = [
    s.TypeDecl, s.InputDecl, s.WeightsDecl, s.ValueDecl, s.TableDecl, s.QuadrantDecl,
    s.ExceptionDecl, s.OutputDecl, s.DistributionDecl, s.OverrideDecl, s.ExampleDecl,
]  # fmt: skip


def _key(decl: Any) -> tuple[int, str]:
    name = getattr(decl, "name", None) or getattr(decl, "title", None) or getattr(decl, "target", "")
    return (_KIND_ORDER.index(type(decl)), str(name))


def canonical_data(module: s.Module) -> Any:
    return {
        "header": _data(module.header),
        "declarations": [_data(d) for d in sorted(module.declarations, key=_key)],
    }


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a node kind that make its meaning (not its place: `span`); None for a non-node."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if f.name != "span")


def _data(node: Any) -> Any:
    names = _field_names(type(node))
    if names is not None:
        out: dict[str, Any] = {"$": type(node).__name__}
        for name in names:
            if name == "applies" and node.applies is None:
                # a definition without `when` keeps the fingerprint it had before the clause existed
                continue
            out[name] = _data(getattr(node, name))
        return out
    if isinstance(node, Decimal):
        # exact: every digit as written counts (`normalize()` would round past the 28th)
        return "d:" + plain(node)
    if isinstance(node, (list, tuple)):
        return [_data(x) for x in node]
    if isinstance(node, date):
        return node.isoformat()
    return node


def canonical_text(module: s.Module) -> str:
    return json.dumps(canonical_data(module), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fingerprint(module: s.Module) -> str:
    # `surrogatepass`: the parser refuses lone surrogates, but a module built in Python may hold one
    return "sha256:" + hashlib.sha256(canonical_text(module).encode("utf-8", "surrogatepass")).hexdigest()
