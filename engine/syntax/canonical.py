"""The canonical content of a ruleset and its fingerprint.

The canonical form is the syntax tree without positions or comments, with
top-level declarations in a fixed order (by kind, then name). Reformatting,
re-commenting or reordering declarations leaves it unchanged; any change in
meaning — a bound, a label, a weight, a citation, a note — changes it.
Row order inside a table is kept: under `hit first` it is meaning.

The names in the canonical form are the language's, fixed in `KINDS` below, not
the engine's Python class or attribute names: renaming or moving a tree class
never changes a fingerprint. Results already issued carry fingerprints, so a
kind's name and fields are frozen once shipped; a field added to the language
later is listed as optional and left out while it holds its default (None), so
every ruleset that does not use it keeps its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kinerja.syntax import tree as s


@dataclass(frozen=True)
class Kind:
    """A node kind's canonical name, its fields, and the fields omitted while None."""

    name: str
    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS: dict[type, Kind] = {
    s.Aggregate: Kind("Aggregate", ('function', 'item', 'weight', 'variable', 'source', 'where'), ('keys',)),
    s.Annotations: Kind("Annotations", ('citations', 'notes'), ()),
    s.Binary: Kind("Binary", ('op', 'left', 'right'), ()),
    s.Binding: Kind("Binding", ('name', 'value'), ()),
    s.BoolLit: Kind("BoolLit", ('value',), ()),
    s.BooleanType: Kind("BooleanType", (), ()),
    s.Call: Kind("Call", ('function', 'args'), ()),
    s.Cell: Kind("Cell", ('value',), ()),
    s.Citation: Kind("Citation", ('text', 'regulation'), ()),
    s.ConversionDecl: Kind("ConversionDecl", ('name', 'subject', 'points', 'description', 'annotations'), ('applies',)),
    s.ConversionPoint: Kind("ConversionPoint", ('x', 'y', 'annotations'), ()),
    s.DecimalType: Kind("DecimalType", ('low', 'high', 'places'), ()),
    s.DistributionCase: Kind("DistributionCase", ('group_class', 'rules', 'annotations'), ()),
    s.DistributionDecl: Kind("DistributionDecl", ('name', 'output', 'class_input', 'cases', 'description', 'annotations'), ()),
    s.EnumType: Kind("EnumType", ('labels',), ()),
    s.Equals: Kind("Equals", ('value',), ()),
    s.ExampleDecl: Kind("ExampleDecl", ('title', 'given', 'expect', 'expect_invalid', 'annotations'), ()),
    s.ExceptionDecl: Kind("ExceptionDecl", ('name', 'target', 'priority', 'condition', 'result', 'description', 'annotations'), ()),
    s.FieldDecl: Kind("FieldDecl", ('name', 'type', 'description'), ('optional',)),
    s.Header: Kind("Header", ('id', 'version', 'title', 'source', 'source_short', 'effective_from', 'effective_until', 'extends', 'supersedes', 'annotations'), ('revises',)),
    s.IfThenElse: Kind("IfThenElse", ('condition', 'then', 'otherwise'), ()),
    s.InputDecl: Kind("InputDecl", ('name', 'type', 'optional', 'default', 'description', 'annotations'), ()),
    s.IntegerType: Kind("IntegerType", ('low', 'high'), ()),
    s.Interval: Kind("Interval", ('low', 'low_closed', 'high', 'high_closed'), ()),
    s.ListLit: Kind("ListLit", ('items',), ()),
    s.ListType: Kind("ListType", ('fields',), ('max_items',)),
    s.LiteralValue: Kind("LiteralValue", ('value',), ()),
    s.MatrixRow: Kind("MatrixRow", ('key', 'cells', 'annotations'), ()),
    s.Member: Kind("Member", ('subject', 'field_name'), ()),
    s.Name: Kind("Name", ('name',), ()),
    s.NamedType: Kind("NamedType", ('name',), ()),
    s.Note: Kind("Note", ('text',), ()),
    s.NumberLit: Kind("NumberLit", ('value', 'percent'), ()),
    s.Otherwise: Kind("Otherwise", (), ()),
    s.OutputDecl: Kind("OutputDecl", ('name', 'description', 'annotations'), ()),
    s.OverrideDecl: Kind("OverrideDecl", ('kind', 'target', 'row_index', 'cell', 'payload', 'annotations'), ()),
    s.QuadrantDecl: Kind("QuadrantDecl", ('name', 'declared_type', 'row_subject', 'column_subject', 'caption', 'columns', 'rows', 'description', 'annotations'), ('applies',)),
    s.Row: Kind("Row", ('condition', 'guard', 'result', 'descriptor', 'annotations'), ()),
    s.ScaleType: Kind("ScaleType", ('labels',), ()),
    s.ShareRule: Kind("ShareRule", ('kind', 'labels', 'op', 'amount', 'annotations'), ()),
    s.StringLit: Kind("StringLit", ('value',), ()),
    s.TableDecl: Kind("TableDecl", ('kind', 'name', 'declared_type', 'subject', 'hit', 'rows', 'description', 'annotations'), ('applies',)),
    s.TypeDecl: Kind("TypeDecl", ('name', 'type', 'description', 'annotations'), ()),
    s.Unary: Kind("Unary", ('op', 'operand'), ()),
    s.ValueDecl: Kind("ValueDecl", ('name', 'declared_type', 'expr', 'description', 'annotations'), ('applies',)),
    s.WeightBranch: Kind("WeightBranch", ('condition', 'items', 'annotations'), ()),
    s.WeightItem: Kind("WeightItem", ('name', 'weight', 'written'), ()),
    s.WeightsDecl: Kind("WeightsDecl", ('name', 'branches', 'description', 'annotations'), ()),
}  # fmt: skip

_DECLARATION_ORDER = [
    s.TypeDecl, s.InputDecl, s.WeightsDecl, s.ValueDecl, s.TableDecl, s.QuadrantDecl,
    s.ExceptionDecl, s.OutputDecl, s.DistributionDecl, s.OverrideDecl, s.ExampleDecl, s.ConversionDecl,
]  # fmt: skip


def _key(decl: Any) -> tuple[int, str]:
    name = getattr(decl, "name", None) or getattr(decl, "title", None) or getattr(decl, "target", "")
    return (_DECLARATION_ORDER.index(type(decl)), str(name))


def canonical_data(module: s.Module) -> Any:
    return {
        "header": _data(module.header),
        "declarations": [_data(d) for d in sorted(module.declarations, key=_key)],
    }


def _data(node: Any) -> Any:
    kind = KINDS.get(type(node))
    if kind is not None:
        out: dict[str, Any] = {"$": kind.name}
        for name in kind.fields:
            out[name] = _data(getattr(node, name))
        for name in kind.optional:
            value = getattr(node, name)
            if value is not None:
                out[name] = _data(value)
        return out
    if isinstance(node, Decimal):
        return "d:" + (format(node.normalize(), "f") if node != 0 else "0")
    if isinstance(node, (list, tuple)):
        return [_data(x) for x in node]
    if isinstance(node, date):
        return node.isoformat()
    if node is None or isinstance(node, (str, bool, int)):
        return node
    raise TypeError(f"{type(node).__name__} has no canonical form: add it to canonical.KINDS")


def canonical_text(module: s.Module) -> str:
    return json.dumps(canonical_data(module), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fingerprint(module: s.Module) -> str:
    return "sha256:" + hashlib.sha256(canonical_text(module).encode("utf-8")).hexdigest()
