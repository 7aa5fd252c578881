"""Semantic diff of two rulesets: what changed in meaning, over the syntax trees.

Not a text diff: formatting, comments and the order of top-level declarations
never show. Declarations are matched by name (exceptions, outputs, examples in
namespaces of their own); inside a declaration, weight branches are matched by
their condition, table rows by their content then by their result, quadrant
rows and columns by their key. For a band table over one subject the exact
region of the subject whose result changes is computed by sweeping the union
of both tables' bounds over the subject's domain (each elementary interval and
each boundary point, under every combination of the rows' guards).

Every change carries the citations on both sides. A citation is compared as
its text and, when it names another regulation, that regulation: `Pasal 5` of
the header's own regulation stays `Pasal 5` when the header's source changes
(the source change itself is reported once, as a header change).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja.analysis.coverage import condition_names, scenarios
from kinerja.analysis.ranges import Num, join_all
from kinerja.diagnostics.messages import Phrase, message, said
from kinerja.eval.evaluate import RulesetRef
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import conditions, ir
from kinerja.semantics import types as t
from kinerja.semantics.conversion import table_of
from kinerja.semantics.values import decimal_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import canonical_data
from kinerja.syntax.format import type_text  # types are shown as the ruleset writes them

MAX_GUARDS = 6  # guards of a band table considered together (2**6 combinations)


def phrase(code: str, **args: Any) -> Phrase:
    """A catalogue sentence fragment (the one coded-message value), rendered in the reader's language."""
    return Phrase.of(code, **args)


# The memo's three sections. A change to what a rule decides comes first (grouped by rule), then
# definitions the new version adds (with their formula), then what only documents the rules:
# the header, descriptions, descriptors, notes and citations (they never move a result).
RULES, ADDED, DOCUMENTATION = "rules", "added", "documentation"
SECTIONS = (RULES, ADDED, DOCUMENTATION)
_DOCUMENTATION_KINDS = frozenset({
    "header_changed", "note_added", "note_removed", "citations_changed", "description_changed", "descriptor_changed",
})  # fmt: skip
_ADDED_KINDS = frozenset({"input_added", "declaration_added", "exception_added", "output_added"})


def section_of(kind: str) -> str:
    """The memo section of a change kind."""
    if kind in _DOCUMENTATION_KINDS:
        return DOCUMENTATION
    return ADDED if kind in _ADDED_KINDS else RULES


@dataclass(frozen=True)
class Change:
    kind: str  # a stable word: input_added, weight_changed, region_changed, cell_changed, ...
    subject: str  # the declaration it belongs to ("header" for the header)
    code: str  # the catalogue code of its sentence
    args: tuple[tuple[str, Any], ...] = ()
    old_citations: tuple[str, ...] = ()
    new_citations: tuple[str, ...] = ()
    details: tuple[tuple[str, Any], ...] = ()  # structured facts for JSON (region bounds, labels, …)

    def text(self, lang: str | None = None) -> str:
        return message(self.code, lang, **{k: said(v, lang) for k, v in self.args})

    @property
    def section(self) -> str:
        return section_of(self.kind)

    @property
    def changes_meaning(self) -> bool:
        """Whether the change can move a result (a rule or an added definition), not only documentation."""
        return self.section != DOCUMENTATION

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "subject": self.subject, "message": self.text(lang)}
        out.update({k: said(v, lang) for k, v in self.details})
        out["old_citations"] = list(self.old_citations)
        out["new_citations"] = list(self.new_citations)
        out["section"] = self.section
        return out


@dataclass(frozen=True)
class DiffReport:
    old: RulesetRef
    new: RulesetRef
    changes: tuple[Change, ...] = field(default=())

    @property
    def same_meaning(self) -> bool:
        return not self.changes

    @property
    def rule_changes(self) -> tuple[Change, ...]:
        """Changes that can move a result: to rules, and definitions added."""
        return tuple(c for c in self.changes if c.changes_meaning)

    def section(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.section == name)

    def summary(self, lang: str | None = None) -> str:
        if self.same_meaning:
            return message("X_DIFF_SAME", lang)
        return message("X_DIFF_COUNT", lang, count=len(self.changes))

    def breakdown(self, lang: str | None = None) -> str:
        """How many changes each section holds: rules, added definitions, documentation."""
        return message("X_DIFF_BREAKDOWN", lang, rules=len(self.section(RULES)), added=len(self.section(ADDED)),
                       documentation=len(self.section(DOCUMENTATION)))  # fmt: skip

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        changes = []
        for number, change in enumerate(self.changes, start=1):
            data = change.to_dict(lang)
            data["id"] = number  # the item number attribution and reports refer to
            changes.append(data)
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "same_meaning": self.same_meaning,
            "summary": self.summary(lang),
            "changes": changes,
            "sections": {name: [i for i, c in enumerate(self.changes, start=1) if c.section == name] for name in SECTIONS},
            "rule_changes": len(self.rule_changes),
        }

    def render(self, lang: str | None = None) -> str:
        """A memo: rule changes first, grouped by rule; then added definitions; then the header, notes and
        citations. Every change is one `- ` line followed by its basis in both regulations."""
        lines = [
            message("X_DIFF_TITLE", lang, old=f"{self.old.id}@{self.old.version}", new=f"{self.new.id}@{self.new.version}"),
            message("X_DIFF_FINGERPRINTS", lang, old=self.old.fingerprint, new=self.new.fingerprint),
            "",
            self.summary(lang),
        ]
        if self.same_meaning:
            return "\n".join(lines)
        lines.append(self.breakdown(lang))
        none = message("X_WORD_NONE", lang)
        for name in SECTIONS:
            changes = self.section(name)
            if not changes:
                continue
            lines += ["", message(f"X_DIFF_SECTION_{name.upper()}", lang)]
            subject = None
            for change in changes:
                if name == RULES and change.subject != subject:
                    subject = change.subject
                    lines.append(message("X_DIFF_RULE_HEADING", lang, name=subject))
                lines.append(f"- {change.text(lang)}")
                lines.append("    " + message("X_DIFF_CITES", lang,
                                              old="; ".join(change.old_citations) or none,
                                              new="; ".join(change.new_citations) or none))  # fmt: skip
        return "\n".join(lines)


# ---------------------------------------------------------------- entry point


def diff(old: Ruleset, new: Ruleset) -> DiffReport:
    """The changes in meaning from `old` to `new` (empty: "no change in meaning").

    Examples are tests of a ruleset, not its rules: they are not compared.
    """
    if _comparable(old.module) == _comparable(new.module):
        return DiffReport(old.ref, new.ref, ())
    differ = _Differ(old, new)
    return DiffReport(old.ref, new.ref, _in_memo_order(differ.run()))


def _in_memo_order(changes: list[Change]) -> tuple[Change, ...]:
    """Sections in memo order; inside a section, each rule's changes together, rules in the order they first
    appear (the differ's order: declarations by kind, then as written)."""
    first: dict[tuple[str, str], int] = {}
    for index, change in enumerate(changes):
        first.setdefault((change.section, change.subject), index)
    indexed = sorted(enumerate(changes), key=lambda item: (SECTIONS.index(item[1].section),
                                                          first[(item[1].section, item[1].subject)], item[0]))  # fmt: skip
    return tuple(change for _, change in indexed)


def _comparable(module: s.Module) -> Any:
    """The canonical data without the version's own name, citations of the own regulation made local."""
    header = dataclasses.replace(module.header, id="", version="")
    rules = tuple(d for d in module.declarations if not isinstance(d, s.ExampleDecl))
    localized = _localize(dataclasses.replace(module, header=header, declarations=rules), module.header)
    return canonical_data(localized)


def _localize(node: Any, header: s.Header, rendered: bool = False) -> Any:
    """A copy in which a citation naming the header's own regulation names none (it is local);
    with `rendered`, every citation names its regulation (the form a reader sees)."""
    own = {header.regulation, header.source, header.source_short} - {None}
    if isinstance(node, s.Citation):
        if rendered:
            return dataclasses.replace(node, regulation=header.regulation) if node.regulation in own | {None} else node
        return dataclasses.replace(node, regulation=None) if node.regulation in own else node
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, (s.Span, str, Decimal, int, bool)) or value is None:
                continue
            new = _localize(value, header, rendered)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    if isinstance(node, tuple):
        items = tuple(_localize(x, header, rendered) for x in node)
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node


# ---------------------------------------------------------------- small texts


def _cites(annotations: s.Annotations, header: s.Header) -> tuple[str, ...]:
    return tuple(f"{c.regulation or header.regulation} {c.text}" for c in annotations.citations)


def _same_citations(a: s.Annotations, oh: s.Header, b: s.Annotations, nh: s.Header) -> bool:
    """Equal as read (`PP 30/2019 Pasal 5` both sides), or both citing their own regulation's same text."""
    if len(a.citations) != len(b.citations):
        return False
    own_a = {oh.regulation, oh.source, oh.source_short, None}
    own_b = {nh.regulation, nh.source, nh.source_short, None}
    for x, y in zip(a.citations, b.citations, strict=True):
        if x.text != y.text:
            return False
        if not (x.regulation in own_a and y.regulation in own_b) and (x.regulation or oh.regulation) != (y.regulation or nh.regulation):
            return False
    return True


def _range_text(low: Decimal | None, high: Decimal | None) -> str:
    lo = decimal_text(low) if low is not None else "-∞"
    hi = decimal_text(high) if high is not None else "∞"
    return f"[{lo}, {hi}]"


def _region_text(low: Decimal | None, low_closed: bool, high: Decimal | None, high_closed: bool) -> str:
    lo = decimal_text(low) if low is not None else "-∞"
    hi = decimal_text(high) if high is not None else "∞"
    left = "[" if low_closed and low is not None else "("
    right = "]" if high_closed and high is not None else ")"
    return f"{left}{lo}, {hi}{right}"


def _branch_text(branch: s.WeightBranch) -> str:
    return "otherwise" if branch.condition is None else "when " + printer.expr(branch.condition)


def _row_text(row: s.Row) -> str:
    guard = f" if {printer.expr(row.guard)}" if row.guard is not None else ""
    return f"{printer.condition(row.condition)}{guard} -> {printer.expr(row.result)}"


def _key_text(key: s.AxisKey) -> str:
    return printer.quote(key.value) if isinstance(key, s.StringLit) else printer.condition(key)


def _cell_text(cell: s.Cell | None) -> str:
    if cell is None or cell.value is None:
        return "-"
    return printer.expr(cell.value)


def _opt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, s.LiteralValue):
        return printer.literal(value.value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


_KIND_WORD = {
    s.TypeDecl: "X_KIND_TYPE", s.InputDecl: "X_KIND_INPUT", s.ValueDecl: "X_KIND_VALUE",
    s.WeightsDecl: "X_KIND_WEIGHTS", s.TableDecl: "X_KIND_TABLE", s.QuadrantDecl: "X_KIND_QUADRANT",
    s.ExceptionDecl: "X_KIND_EXCEPTION", s.OutputDecl: "X_KIND_OUTPUT", s.DistributionDecl: "X_KIND_DISTRIBUTION",
    s.OverrideDecl: "X_KIND_OVERRIDE", s.ExampleDecl: "X_KIND_EXAMPLE", s.ConversionDecl: "X_KIND_CONVERSION",
}  # fmt: skip
_ORDER = list(_KIND_WORD)


def definition_text(decl: Any) -> str | None:
    """A declaration's rule in one line, as the ruleset writes it: a value's formula, a table's subject and
    rows, a quadrant's axes, a weight set's branches, a type."""
    applies = f" when {printer.expr(decl.applies)}" if getattr(decl, "applies", None) is not None else ""
    if isinstance(decl, s.ValueDecl):
        return printer.expr(decl.expr) + applies
    if isinstance(decl, s.TableDecl):
        rows = "; ".join(_row_text(r) for r in decl.rows)
        return f"on {printer.expr(decl.subject)}{applies} hit {decl.hit}: {rows}"
    if isinstance(decl, s.QuadrantDecl):
        return f"rows {printer.expr(decl.row_subject)} columns {printer.expr(decl.column_subject)}{applies}"
    if isinstance(decl, s.ConversionDecl):
        points = "; ".join(f"{decimal_text(p.x)} -> {decimal_text(p.y)}" for p in decl.points)
        return f"on {printer.expr(decl.subject)}{applies}: {points}"
    if isinstance(decl, s.WeightsDecl):
        return "; ".join(f"{_branch_text(b)}: " + ", ".join(f"{i.name} {i.written}" for i in b.items) for b in decl.branches)
    if isinstance(decl, s.TypeDecl):
        return type_text(decl.type)
    return None


def _kind_word(decl: Any) -> Phrase:
    if isinstance(decl, s.TableDecl) and decl.kind == "rubric":
        return phrase("X_KIND_RUBRIC")
    return phrase(_KIND_WORD[type(decl)])


def _decl_key(decl: Any) -> str:
    if isinstance(decl, s.ExceptionDecl):
        return "exception:" + decl.name
    if isinstance(decl, s.OutputDecl):
        return "output:" + decl.name
    if isinstance(decl, s.DistributionDecl):
        return "distribution:" + decl.name
    if isinstance(decl, s.ExampleDecl):
        return "example:" + decl.title
    if isinstance(decl, s.OverrideDecl):
        return f"override:{decl.kind}:{decl.target}"
    return decl.name


def _decl_label(decl: Any) -> str:
    return decl.title if isinstance(decl, s.ExampleDecl) else getattr(decl, "name", None) or getattr(decl, "target", "?")


# ---------------------------------------------------------------- the differ


class _Differ:
    def __init__(self, old: Ruleset, new: Ruleset):
        self.old = old
        self.new = new
        self.oh = old.module.header
        self.nh = new.module.header
        self.changes: list[Change] = []

    # -------------------------------------------------------------- helpers
    def add(self, change_kind: str, change_subject: str, change_code: str, old_cites: tuple[str, ...],
            new_cites: tuple[str, ...], details: dict[str, Any] | None = None, **args: Any) -> None:  # fmt: skip
        self.changes.append(Change(change_kind, change_subject, change_code, tuple(args.items()), old_cites, new_cites,
                                   tuple((details or {}).items())))  # fmt: skip

    def same(self, a: Any, b: Any) -> bool:
        if _localize(a, self.oh) == _localize(b, self.nh):
            return True
        return bool(_localize(a, self.oh, rendered=True) == _localize(b, self.nh, rendered=True))

    def annotations(self, subject: str, where: Any, a: s.Annotations, b: s.Annotations,
                    oc: tuple[str, ...], nc: tuple[str, ...]) -> None:  # fmt: skip
        """Citations and notes of one element; `oc`/`nc` are what to show when only notes changed."""
        old_cites, new_cites = _cites(a, self.oh), _cites(b, self.nh)
        if not _same_citations(a, self.oh, b, self.nh):
            self.add("citations_changed", subject, "X_DIFF_CITATIONS", old_cites, new_cites,
                     {"old": list(old_cites), "new": list(new_cites)}, what=where,
                     old="; ".join(old_cites) or phrase("X_WORD_NONE"), new="; ".join(new_cites) or phrase("X_WORD_NONE"))  # fmt: skip
        old_notes = [n.text for n in a.notes]
        new_notes = [n.text for n in b.notes]
        for note in old_notes:
            if note not in new_notes:
                self.add("note_removed", subject, "X_DIFF_NOTE_REMOVED", old_cites or oc, new_cites or nc,
                         {"note": note}, what=where, note=note)  # fmt: skip
        for note in new_notes:
            if note not in old_notes:
                self.add("note_added", subject, "X_DIFF_NOTE_ADDED", old_cites or oc, new_cites or nc,
                         {"note": note}, what=where, note=note)  # fmt: skip

    def description(self, subject: str, where: Any, a: str | None, b: str | None,
                    oc: tuple[str, ...], nc: tuple[str, ...]) -> None:  # fmt: skip
        if a != b:
            self.add("description_changed", subject, "X_DIFF_DESCRIPTION", oc, nc, {"old": a, "new": b},
                     what=where, old=printer.quote(a) if a is not None else "-", new=printer.quote(b) if b is not None else "-")  # fmt: skip

    # -------------------------------------------------------------- driver
    def run(self) -> list[Change]:
        self.header()
        old_decls = {_decl_key(d): d for d in self.old.module.declarations if not isinstance(d, s.ExampleDecl)}
        new_decls = {_decl_key(d): d for d in self.new.module.declarations if not isinstance(d, s.ExampleDecl)}
        keys = list(new_decls) + [k for k in old_decls if k not in new_decls]

        def order(key: str) -> tuple[int, int]:
            decl = new_decls.get(key) or old_decls[key]
            return (_ORDER.index(type(decl)), keys.index(key))

        for key in sorted(keys, key=order):
            a, b = old_decls.get(key), new_decls.get(key)
            if a is not None and b is not None and self.same(a, b):
                continue
            before = len(self.changes)
            if a is None:
                self.added(b)
            elif b is None:
                self.removed(a)
            elif type(a) is not type(b):
                self.add("declaration_rekinded", key, "X_DIFF_REKINDED", _cites(a.annotations, self.oh),
                         _cites(b.annotations, self.nh), name=_decl_label(a), old=_kind_word(a), new=_kind_word(b))  # fmt: skip
            else:
                self.changed(a, b)
            if len(self.changes) == before and a is not None and b is not None:
                self.add("declaration_changed", key, "X_DIFF_CHANGED", _cites(a.annotations, self.oh),
                         _cites(b.annotations, self.nh), kind=_kind_word(a), name=_decl_label(a))  # fmt: skip
        return self.changes

    def header(self) -> None:
        a, b = self.oh, self.nh
        oc, nc = _cites(a.annotations, a), _cites(b.annotations, b)
        for name in ("title", "source", "source_short", "effective_from", "effective_until", "extends", "supersedes", "revises"):
            x, y = getattr(a, name), getattr(b, name)
            if x != y:
                self.add("header_changed", "header", "X_DIFF_HEADER", oc, nc, {"field": name, "old": _opt(x), "new": _opt(y)},
                         field=name, old=_opt(x), new=_opt(y))  # fmt: skip
        self.annotations("header", phrase("X_LOC_HEADER"), a.annotations, b.annotations, oc, nc)

    def added(self, decl: Any) -> None:
        self._presence(decl, "added")

    def removed(self, decl: Any) -> None:
        self._presence(decl, "removed")

    def _presence(self, decl: Any, change: str) -> None:
        """A rule on one side only. The other side has no such rule: its basis is that regulation as a
        whole (its header), so every change still names a citation on both sides."""
        own, other = (self.nh, self.oh) if change == "added" else (self.oh, self.nh)
        cites, absent = _cites(decl.annotations, own), _cites(other.annotations, other)
        sides = (absent, cites) if change == "added" else (cites, absent)
        name, key = _decl_label(decl), change.upper()
        if isinstance(decl, s.InputDecl):
            self.add(f"input_{change}", name, f"X_DIFF_INPUT_{key}", *sides, {"type": type_text(decl.type)},
                     name=name, type=type_text(decl.type))  # fmt: skip
        elif isinstance(decl, s.ExceptionDecl):
            self.add(f"exception_{change}", name, f"X_DIFF_EXCEPTION_{key}", *sides, name=name, target=decl.target,
                     when=printer.expr(decl.condition), then=printer.expr(decl.result))  # fmt: skip
        elif isinstance(decl, s.OutputDecl):
            # an output is a name, not a rule: it cites only its own side
            only_own = ((), cites) if change == "added" else (cites, ())
            self.add(f"output_{change}", name, f"X_DIFF_OUTPUT_{key}", *only_own, name=name)
        else:
            definition = definition_text(decl)
            if definition is None:
                self.add(f"declaration_{change}", name, f"X_DIFF_{key}", *sides, kind=_kind_word(decl), name=name)
            else:
                self.add(f"declaration_{change}", name, f"X_DIFF_{key}_DEF", *sides, {"definition": definition},
                         kind=_kind_word(decl), name=name, definition=definition)  # fmt: skip

    def changed(self, a: Any, b: Any) -> None:
        if isinstance(a, s.InputDecl):
            self.input(a, b)
        elif isinstance(a, s.TypeDecl):
            oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
            self.type_change(a.name, a.name, a.type, b.type, oc, nc)
            self.description(a.name, a.name, a.description, b.description, oc, nc)
            self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)
        elif isinstance(a, s.ValueDecl):
            self.value(a, b)
        elif isinstance(a, s.WeightsDecl):
            self.weights(a, b)
        elif isinstance(a, s.TableDecl):
            self.table(a, b)
        elif isinstance(a, s.ConversionDecl):
            self.table(table_of(a), table_of(b))  # a conversion is the band table it means: rows between points
        elif isinstance(a, s.QuadrantDecl):
            self.quadrant(a, b)
        elif isinstance(a, s.ExceptionDecl):
            self.exception(a, b)
        elif isinstance(a, s.OutputDecl):
            oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
            self.description(a.name, phrase("X_LOC_OUTPUT", name=a.name), a.description, b.description, oc, nc)
            self.annotations(a.name, phrase("X_LOC_OUTPUT", name=a.name), a.annotations, b.annotations, oc, nc)
        # distributions and input overrides: the generic "changed" line

    # -------------------------------------------------------------- inputs and types
    def type_change(self, subject: str, where: str, a: s.TypeExpr, b: s.TypeExpr,
                    oc: tuple[str, ...], nc: tuple[str, ...]) -> None:  # fmt: skip
        if self.same(a, b):
            return
        if type(a) is not type(b) or isinstance(a, (s.NamedType, s.ListType)):
            self.add("retyped", subject, "X_DIFF_RETYPED", oc, nc, {"old": type_text(a), "new": type_text(b)},
                     name=where, old=type_text(a), new=type_text(b))  # fmt: skip
            return
        if isinstance(a, (s.DecimalType, s.IntegerType)):
            assert isinstance(b, (s.DecimalType, s.IntegerType))
            if a.low != b.low or a.high != b.high:
                old, new = _range_text(a.low, a.high), _range_text(b.low, b.high)
                self.add("reranged", subject, "X_DIFF_RANGE", oc, nc, {"old": old, "new": new}, name=where, old=old, new=new)
            if isinstance(a, s.DecimalType) and isinstance(b, s.DecimalType) and a.places != b.places:
                self.add("places_changed", subject, "X_DIFF_PLACES", oc, nc, {"old": a.places, "new": b.places},
                         name=where, old=_opt(a.places), new=_opt(b.places))  # fmt: skip
            return
        if isinstance(a, (s.EnumType, s.ScaleType)):
            assert isinstance(b, (s.EnumType, s.ScaleType))
            added = [x for x in b.labels if x not in a.labels]
            removed = [x for x in a.labels if x not in b.labels]
            if added or removed:
                self.add("labels_changed", subject, "X_DIFF_LABELS", oc, nc, {"added": added, "removed": removed},
                         name=where, added=", ".join(printer.quote(x) for x in added) or "-",
                         removed=", ".join(printer.quote(x) for x in removed) or "-")  # fmt: skip
            elif isinstance(a, s.ScaleType) and a.labels != b.labels:
                old, new = type_text(a), type_text(b)
                self.add("scale_reordered", subject, "X_DIFF_SCALE_ORDER", oc, nc, {"old": old, "new": new},
                         name=where, old=old, new=new)  # fmt: skip

    def input(self, a: s.InputDecl, b: s.InputDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        self.type_change(a.name, a.name, a.type, b.type, oc, nc)
        if a.optional != b.optional:
            word = {True: phrase("X_WORD_OPTIONAL"), False: phrase("X_WORD_REQUIRED")}
            self.add("optional_changed", a.name, "X_DIFF_OPTIONAL", oc, nc, {"old": a.optional, "new": b.optional},
                     name=a.name, old=word[a.optional], new=word[b.optional])  # fmt: skip
        if not self.same(a.default, b.default):
            self.add("default_changed", a.name, "X_DIFF_DEFAULT", oc, nc, {"old": _opt(a.default), "new": _opt(b.default)},
                     name=a.name, old=_opt(a.default), new=_opt(b.default))  # fmt: skip
        self.description(a.name, a.name, a.description, b.description, oc, nc)
        self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)

    # -------------------------------------------------------------- values
    def value(self, a: s.ValueDecl, b: s.ValueDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        if not self.same(a.expr, b.expr):
            old, new = printer.expr(a.expr), printer.expr(b.expr)
            self.add("formula_changed", a.name, "X_DIFF_FORMULA", oc, nc, {"old": old, "new": new}, name=a.name, old=old, new=new)
        self.applies(a.name, a.applies, b.applies, oc, nc)
        self.declared_type(a.name, a.declared_type, b.declared_type, oc, nc)
        self.description(a.name, a.name, a.description, b.description, oc, nc)
        self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)

    def applies(self, name: str, a: s.Expr | None, b: s.Expr | None, oc: tuple[str, ...], nc: tuple[str, ...]) -> None:
        """A `when` condition added, removed or changed: who the definition applies to changed."""
        if self.same(a, b):
            return
        old, new = (printer.expr(x) if x is not None else None for x in (a, b))
        if old is None:
            self.add("applies_added", name, "X_DIFF_APPLIES_ADDED", oc, nc, {"old": None, "new": new}, name=name, condition=new)
        elif new is None:
            self.add("applies_removed", name, "X_DIFF_APPLIES_REMOVED", oc, nc, {"old": old, "new": None}, name=name, condition=old)
        else:
            self.add("applies_changed", name, "X_DIFF_APPLIES_CHANGED", oc, nc, {"old": old, "new": new}, name=name, old=old, new=new)

    def declared_type(self, name: str, a: s.TypeExpr | None, b: s.TypeExpr | None,
                      oc: tuple[str, ...], nc: tuple[str, ...]) -> None:  # fmt: skip
        if not self.same(a, b):
            old = type_text(a) if a is not None else "-"
            new = type_text(b) if b is not None else "-"
            self.add("retyped", name, "X_DIFF_RETYPED", oc, nc, {"old": old, "new": new}, name=name, old=old, new=new)

    # -------------------------------------------------------------- weights
    def weights(self, a: s.WeightsDecl, b: s.WeightsDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        old_branches = {_branch_text(x): x for x in a.branches}
        new_branches = {_branch_text(x): x for x in b.branches}
        for key, ob in old_branches.items():
            nb = new_branches.get(key)
            obc = _cites(ob.annotations, self.oh) + oc
            if nb is None:
                parts = ", ".join(f"{i.name} {printer.number(i.weight, percent=True)}" for i in ob.items)
                self.add("branch_removed", a.name, "X_DIFF_BRANCH_REMOVED", obc, nc, name=a.name, branch=key, parts=parts)
                continue
            nbc = _cites(nb.annotations, self.nh) + nc
            old_items = {i.name: i.weight for i in ob.items}
            new_items = {i.name: i.weight for i in nb.items}
            for part in list(old_items) + [p for p in new_items if p not in old_items]:
                x, y = old_items.get(part), new_items.get(part)
                if x == y:
                    continue
                old = printer.number(x, percent=True) if x is not None else "-"
                new = printer.number(y, percent=True) if y is not None else "-"
                self.add("weight_changed", a.name, "X_DIFF_WEIGHT", obc, nbc,
                         {"branch": key, "part": part, "old": x, "new": y},
                         name=a.name, branch=key, part=part, old=old, new=new)  # fmt: skip
            self.annotations(a.name, phrase("X_LOC_BRANCH", name=a.name, branch=key), ob.annotations, nb.annotations, obc, nbc)
        for key, nb in new_branches.items():
            if key not in old_branches:
                parts = ", ".join(f"{i.name} {printer.number(i.weight, percent=True)}" for i in nb.items)
                self.add("branch_added", a.name, "X_DIFF_BRANCH_ADDED", oc, _cites(nb.annotations, self.nh) + nc,
                         name=a.name, branch=key, parts=parts)  # fmt: skip
        common_old = [k for k in old_branches if k in new_branches]
        common_new = [k for k in new_branches if k in old_branches]
        if common_old != common_new:
            self.add("branch_order_changed", a.name, "X_DIFF_BRANCH_ORDER", oc, nc, name=a.name,
                     old=" | ".join(common_old), new=" | ".join(common_new))  # fmt: skip
        self.description(a.name, a.name, a.description, b.description, oc, nc)
        self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)

    # -------------------------------------------------------------- tables
    def row_cites(self, row: s.Row, decl_cites: tuple[str, ...], header: s.Header) -> tuple[str, ...]:
        return _cites(row.annotations, header) or decl_cites

    def table(self, a: s.TableDecl, b: s.TableDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        if a.kind != b.kind:
            self.add("declaration_rekinded", a.name, "X_DIFF_REKINDED", oc, nc, name=a.name, old=_kind_word(a), new=_kind_word(b))
        subject_same = self.same(a.subject, b.subject)
        if not subject_same:
            old, new = printer.expr(a.subject), printer.expr(b.subject)
            self.add("subject_changed", a.name, "X_DIFF_SUBJECT", oc, nc, {"old": old, "new": new}, name=a.name, old=old, new=new)
        self.applies(a.name, a.applies, b.applies, oc, nc)
        if a.hit != b.hit:
            self.add("hit_changed", a.name, "X_DIFF_HIT", oc, nc, {"old": a.hit, "new": b.hit}, name=a.name, old=a.hit, new=b.hit)
        self.declared_type(a.name, a.declared_type, b.declared_type, oc, nc)
        self.rows(a, b, oc, nc)
        if subject_same:
            self.changes.extend(_band_changes(self, a, b, oc, nc))
        self.description(a.name, a.name, a.description, b.description, oc, nc)
        self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)

    def rows(self, a: s.TableDecl, b: s.TableDecl, oc: tuple[str, ...], nc: tuple[str, ...]) -> None:
        def core(row: s.Row, header: s.Header) -> Any:
            return _localize((row.condition, row.guard, row.result), header)

        old_rows, new_rows = list(enumerate(a.rows)), list(enumerate(b.rows))
        pairs: list[tuple[int, int]] = []
        taken: set[int] = set()
        for i, row in old_rows:  # same condition, guard and result
            j = next((j for j, r in new_rows if j not in taken and core(r, self.nh) == core(row, self.oh)), None)
            if j is not None:
                pairs.append((i, j))
                taken.add(j)
        paired_old = {i for i, _ in pairs}
        for i, row in old_rows:  # same result: a row whose condition moved
            if i in paired_old:
                continue
            j = next((j for j, r in new_rows if j not in taken and self.same(r.result, row.result)), None)
            if j is not None:
                pairs.append((i, j))
                taken.add(j)
                paired_old.add(i)
        for i, j in sorted(pairs):
            x, y = a.rows[i], b.rows[j]
            xc, yc = self.row_cites(x, oc, self.oh), self.row_cites(y, nc, self.nh)
            where = phrase("X_LOC_ROW", name=a.name, row=_row_text(y))
            if core(x, self.oh) != core(y, self.nh):
                self.add("row_changed", a.name, "X_DIFF_ROW_CHANGED", xc, yc, {"old": _row_text(x), "new": _row_text(y)},
                         name=a.name, old=_row_text(x), new=_row_text(y))  # fmt: skip
            if x.descriptor != y.descriptor:
                self.add("descriptor_changed", a.name, "X_DIFF_DESCRIPTOR", xc, yc, {"row": _row_text(y), "old": x.descriptor, "new": y.descriptor},
                         name=a.name, row=_row_text(y), old=printer.quote(x.descriptor or ""), new=printer.quote(y.descriptor or ""))  # fmt: skip
            self.annotations(a.name, where, x.annotations, y.annotations, xc, yc)
        for i, row in old_rows:
            if i not in paired_old:
                self.add("row_removed", a.name, "X_DIFF_ROW_REMOVED", self.row_cites(row, oc, self.oh), nc,
                         {"row": _row_text(row)}, name=a.name, row=_row_text(row))  # fmt: skip
        for j, row in new_rows:
            if j not in taken:
                self.add("row_added", a.name, "X_DIFF_ROW_ADDED", oc, self.row_cites(row, nc, self.nh),
                         {"row": _row_text(row)}, name=a.name, row=_row_text(row))  # fmt: skip
        order_old = [j for _, j in sorted(pairs)]
        if order_old != sorted(order_old):
            self.add("row_order_changed", a.name, "X_DIFF_ROW_ORDER", oc, nc, name=a.name)

    # -------------------------------------------------------------- quadrants
    def quadrant(self, a: s.QuadrantDecl, b: s.QuadrantDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        for axis, x, y in (("X_LOC_ROWS", a.row_subject, b.row_subject), ("X_LOC_COLUMNS", a.column_subject, b.column_subject)):
            if not self.same(x, y):
                self.add("axis_changed", a.name, "X_DIFF_AXIS", oc, nc, name=a.name, axis=phrase(axis),
                         old=printer.expr(x), new=printer.expr(y))  # fmt: skip
        self.applies(a.name, a.applies, b.applies, oc, nc)
        self.declared_type(a.name, a.declared_type, b.declared_type, oc, nc)
        old_cols = [_key_text(k) for k in a.columns]
        new_cols = [_key_text(k) for k in b.columns]
        for col in old_cols:
            if col not in new_cols:
                self.add("column_removed", a.name, "X_DIFF_COLUMN_REMOVED", oc, nc, name=a.name, column=col)
        for col in new_cols:
            if col not in old_cols:
                self.add("column_added", a.name, "X_DIFF_COLUMN_ADDED", oc, nc, name=a.name, column=col)
        old_rows = {_key_text(r.key): r for r in a.rows}
        new_rows = {_key_text(r.key): r for r in b.rows}
        for key, orow in old_rows.items():
            orc = _cites(orow.annotations, self.oh) or oc
            nrow = new_rows.get(key)
            if nrow is None:
                self.add("quadrant_row_removed", a.name, "X_DIFF_QROW_REMOVED", orc, nc, name=a.name, row=key)
                continue
            nrc = _cites(nrow.annotations, self.nh) or nc
            for col in old_cols:
                if col not in new_cols:
                    continue
                ci, cj = old_cols.index(col), new_cols.index(col)
                x = orow.cells[ci] if ci < len(orow.cells) else None
                y = nrow.cells[cj] if cj < len(nrow.cells) else None
                if _cell_text(x) != _cell_text(y):
                    self.add("cell_changed", a.name, "X_DIFF_CELL", orc, nrc,
                             {"row": key, "column": col, "old": _cell_text(x), "new": _cell_text(y)},
                             name=a.name, row=key, column=col, old=_cell_text(x), new=_cell_text(y))  # fmt: skip
            self.annotations(a.name, phrase("X_LOC_QROW", name=a.name, row=key), orow.annotations, nrow.annotations, orc, nrc)
        for key, nrow in new_rows.items():
            if key not in old_rows:
                self.add("quadrant_row_added", a.name, "X_DIFF_QROW_ADDED", oc, _cites(nrow.annotations, self.nh) or nc,
                         name=a.name, row=key, cells=" | ".join(_cell_text(c) for c in nrow.cells))  # fmt: skip
        if a.caption != b.caption:
            self.description(a.name, a.name, a.caption, b.caption, oc, nc)
        self.description(a.name, a.name, a.description, b.description, oc, nc)
        self.annotations(a.name, a.name, a.annotations, b.annotations, oc, nc)

    # -------------------------------------------------------------- exceptions
    def exception(self, a: s.ExceptionDecl, b: s.ExceptionDecl) -> None:
        oc, nc = _cites(a.annotations, self.oh), _cites(b.annotations, self.nh)
        where = phrase("X_LOC_EXCEPTION", name=a.name)
        if a.target != b.target:
            self.add("exception_target_changed", a.name, "X_DIFF_EXCEPTION_TARGET", oc, nc, name=a.name, old=a.target, new=b.target)
        if a.priority != b.priority:
            self.add("exception_priority_changed", a.name, "X_DIFF_EXCEPTION_PRIORITY", oc, nc, name=a.name,
                     old=a.priority, new=b.priority)  # fmt: skip
        if not self.same(a.condition, b.condition):
            self.add("exception_condition_changed", a.name, "X_DIFF_EXCEPTION_WHEN", oc, nc, name=a.name,
                     old=printer.expr(a.condition), new=printer.expr(b.condition))  # fmt: skip
        if not self.same(a.result, b.result):
            self.add("exception_result_changed", a.name, "X_DIFF_EXCEPTION_THEN", oc, nc, name=a.name,
                     old=printer.expr(a.result), new=printer.expr(b.result))  # fmt: skip
        self.description(a.name, where, a.description, b.description, oc, nc)
        self.annotations(a.name, where, a.annotations, b.annotations, oc, nc)


# ---------------------------------------------------------------- band regions


@dataclass(frozen=True)
class _Piece:
    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool
    sample: Any  # a representative value (a number, a label or a boolean)


def _band_changes(d: _Differ, a: s.TableDecl, b: s.TableDecl, oc: tuple[str, ...], nc: tuple[str, ...]) -> list[Change]:
    """The regions of the subject whose result changes, under every combination of guards."""
    subject_type = d.new.checked.type_of(b.subject)
    atoms: list[str] = []
    for row in a.rows + b.rows:
        if row.guard is not None and printer.expr(row.guard) not in atoms:
            atoms.append(printer.expr(row.guard))
    if len(atoms) > MAX_GUARDS:
        return []
    if isinstance(subject_type, t.NumberT):
        pieces = _number_pieces(d, a, b, subject_type)
    elif isinstance(subject_type, t.LabelT):
        old_type = d.old.checked.type_of(a.subject)
        labels = list(subject_type.labels) + [x for x in getattr(old_type, "labels", ()) if x not in subject_type.labels]
        pieces = [_Piece(None, False, None, False, label) for label in labels]
    elif isinstance(subject_type, t.BoolT):
        pieces = [_Piece(None, False, None, False, v) for v in (False, True)]
    else:
        return []
    if pieces is None:
        return []
    assignments = list(itertools.product((True, False), repeat=len(atoms)))
    subject = printer.expr(b.subject)
    # each piece's changes: ((when, old, new), …) and the deciding rows' citations
    described: list[tuple[_Piece, tuple[tuple[str, str, str], ...], tuple[str, ...], tuple[str, ...]]] = []
    for piece in pieces:
        by_pair: dict[tuple[str, str], list[tuple[bool, ...]]] = {}
        old_cites: list[str] = []
        new_cites: list[str] = []
        for values in assignments:
            truth = dict(zip(atoms, values, strict=True))
            old, orow = _decide(a, piece.sample, truth)
            new, nrow = _decide(b, piece.sample, truth)
            if old == new:
                continue
            by_pair.setdefault((old, new), []).append(values)
            for row, cites, decl_cites, header in ((orow, old_cites, oc, d.oh), (nrow, new_cites, nc, d.nh)):
                if row is not None:
                    cites.extend(c for c in d.row_cites(row, decl_cites, header) if c not in cites)
        if by_pair:
            items = tuple(sorted((_when(atoms, assignments, sets), old, new) for (old, new), sets in by_pair.items()))
            described.append((piece, items, tuple(old_cites), tuple(new_cites)))
    # merge neighbouring pieces with the same changes
    merged: list[list[Any]] = []
    for piece, items, ocs, ncs in described:
        last = merged[-1] if merged else None
        if (last is not None and last[1] == items and isinstance(piece.sample, Decimal)
                and last[0][-1] is pieces[pieces.index(piece) - 1]):  # fmt: skip
            last[0].append(piece)
            last[2] = tuple(dict.fromkeys(last[2] + ocs))
            last[3] = tuple(dict.fromkeys(last[3] + ncs))
        else:
            merged.append([[piece], items, ocs, ncs])
    changes = []
    for group, items, ocs, ncs in merged:
        first, last = group[0], group[-1]
        point = not isinstance(first.sample, Decimal) or (
            len(group) == 1 and first.low == first.high and first.low is not None
        )  # fmt: skip
        if not isinstance(first.sample, Decimal):
            region = printer.literal(first.sample)
        elif point:
            region = decimal_text(first.sample)
        else:
            region = _region_text(first.low, first.low_closed, last.high, last.high_closed)
        for when, old, new in items:
            when_phrase: Any = phrase("X_DIFF_WHEN", condition=when) if when else ""
            details = {"subject": subject, "region": region, "when": when or None,
                       "from": _plain_label(old), "to": _plain_label(new)}  # fmt: skip
            if isinstance(first.sample, Decimal):
                details.update(low=first.low, low_closed=first.low_closed, high=last.high, high_closed=last.high_closed)
            changes.append(Change(
                "region_changed", a.name, "X_DIFF_POINT" if point else "X_DIFF_REGION",
                (("subject", subject), ("region", region), ("when", when_phrase),
                 ("old", _show_label(old)), ("new", _show_label(new))),
                ocs or oc, ncs or nc, tuple(details.items()),
            ))  # fmt: skip
    return changes


_NO_ROW = "\x00no-row"
_AMBIGUOUS = "\x00ambiguous"


def _show_label(value: str) -> Any:
    if value == _NO_ROW:
        return phrase("X_WORD_NO_ROW")
    if value == _AMBIGUOUS:
        return phrase("X_WORD_AMBIGUOUS")
    return value


def _plain_label(value: str) -> str | None:
    if value in (_NO_ROW, _AMBIGUOUS):
        return None
    return value[1:-1] if value.startswith('"') and value.endswith('"') else value


def _decide(table: s.TableDecl, value: Any, truth: dict[str, bool]) -> tuple[str, s.Row | None]:
    found = [r for r in table.rows
             if conditions.matches(conditions.from_row(r.condition), value) and (r.guard is None or truth[printer.expr(r.guard)])]  # fmt: skip
    if not found:
        return _NO_ROW, None
    if table.hit == "unique" and len(found) > 1:
        return _AMBIGUOUS, found[0]
    return printer.expr(found[0].result), found[0]


def _when(atoms: list[str], assignments: list[tuple[bool, ...]], chosen: list[tuple[bool, ...]]) -> str:
    """A short condition on the guards, true exactly for the chosen combinations ("" for all).

    The combinations are minimised (Quine–McCluskey over at most MAX_GUARDS guards, then a greedy
    cover), so a guard that does not matter is not named: an auditor reads the few guards that
    decide the move, not every combination spelled out.
    """
    if len(chosen) == len(assignments):
        return ""
    terms = _minimal_cover({tuple(v) for v in chosen})
    texts = [" and ".join(_guard_literal(atom, v) for atom, v in zip(atoms, term, strict=True) if v is not None)
             for term in terms]  # fmt: skip
    return " or ".join(f"({x})" if len(texts) > 1 and " and " in x else x for x in texts)


_Term = tuple[bool | None, ...]  # one implicant: True/False for a guard's value, None where it does not matter


def _minimal_cover(minterms: set[tuple[bool, ...]]) -> list[_Term]:
    """Prime implicants of the chosen combinations, and a small set of them covering every one."""
    primes: set[_Term] = set()
    current: set[_Term] = set(minterms)
    while current:
        merged: set[_Term] = set()
        used: set[_Term] = set()
        ordered = sorted(current, key=repr)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                differ = [k for k in range(len(a)) if a[k] != b[k]]
                if len(differ) == 1 and a[differ[0]] is not None and b[differ[0]] is not None:
                    merged.add(a[:differ[0]] + (None,) + a[differ[0] + 1:])
                    used.update((a, b))
        primes |= current - used
        current = merged

    def covers(term: _Term, minterm: tuple[bool, ...]) -> bool:
        return all(v is None or v == m for v, m in zip(term, minterm, strict=True))

    uncovered = set(minterms)
    cover: list[_Term] = []
    candidates = sorted(primes, key=repr)
    while uncovered:
        best = max(candidates, key=lambda p: (sum(covers(p, m) for m in uncovered), -sum(v is not None for v in p)))
        cover.append(best)
        uncovered = {m for m in uncovered if not covers(best, m)}
    # the order the guards are written in, true before false
    return sorted(cover, key=lambda term: [(v is None, v is False) for v in term])


def _guard_literal(atom: str, value: bool) -> str:
    """A guard or its negation, printed so that `and` around it keeps its meaning."""
    if value:
        return f"({atom})" if " or " in atom else atom
    inner = atom[4:] if atom.startswith("not ") else None
    if inner is not None and _one_group(inner):
        # `not (A and B)` negated is `A and B`: no double negation in a memo
        body = inner[1:-1] if inner.startswith("(") else inner
        return f"({body})" if " or " in body else body
    return f"not {atom}" if _one_group(atom) else f"not ({atom})"


def _one_group(text: str) -> bool:
    """True when `text` is one operand: no `and`/`or` outside parentheses, or one parenthesised whole."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index != len(text) - 1 and text.startswith("("):
                break
        elif depth == 0 and (text.startswith(" and ", index) or text.startswith(" or ", index)):
            return False
    else:
        return True
    # a parenthesised group followed by more text: an operand only if no operator follows at depth 0
    return " and " not in text[index:] and " or " not in text[index:]


def _number_pieces(d: _Differ, a: s.TableDecl, b: s.TableDecl, subject_type: t.NumberT) -> list[_Piece] | None:
    written = [conditions.from_row(row.condition) for row in a.rows + b.rows]
    if not all(conditions.is_numeric(c) for c in written):
        return None
    points: set[Decimal] = set(conditions.NumberLine.of(written).cuts)
    lo_old, hi_old = _bounds(d.old, a.name)
    lo_new, hi_new = _bounds(d.new, b.name)
    low = None if lo_old is None or lo_new is None else min(lo_old, lo_new)
    high = None if hi_old is None or hi_new is None else max(hi_old, hi_new)
    points.update(x for x in (low, high) if x is not None)
    ordered = sorted(points)
    pieces: list[_Piece] = []
    if not ordered:
        return [_Piece(None, False, None, False, Decimal(0))]
    pieces.append(_Piece(None, False, ordered[0], False, ordered[0] - 1))
    for i, p in enumerate(ordered):
        pieces.append(_Piece(p, True, p, True, p))
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        sample = (p + nxt) / 2 if nxt is not None else p + 1
        pieces.append(_Piece(p, False, nxt, False, sample))

    def inside(piece: _Piece) -> bool:
        x = piece.sample
        if (low is not None and x < low) or (high is not None and x > high):
            return False
        if subject_type.integer and piece.low != piece.high:  # an open piece holds a whole number?
            lo = piece.low if piece.low is not None else x - 1
            hi = piece.high if piece.high is not None else x + 1
            return int(lo.to_integral_value(rounding="ROUND_FLOOR")) + 1 < hi
        return True

    return [p for p in pieces if inside(p)]


# ---------------------------------------------------------------- the domain of a table's subject

Bounds = tuple[Decimal | None, Decimal | None]


def _bounds(ruleset: Ruleset, table: str) -> Bounds:
    """Bounds of a band table's subject, from the range analysis (None: unknown or unbounded).

    The same abstract evaluation `kinerja check` uses, under each scenario of the discrete
    inputs that shape the subject (so a weighted sum is bounded per weight branch, not joined).
    """
    program = ruleset.ir
    d = program.definition(table)
    if d is None or not isinstance(d.body, ir.Bands):
        return (None, None)
    subject = d.body.subject
    cases, _ = scenarios(program, [], condition_names(program, ir.free_reads(subject)), set())
    domain = join_all([case.evaluator.expr(subject) for case in cases])
    if not isinstance(domain, Num):
        return (None, None)
    return (domain.low, domain.high)
