"""A ruleset as a document for people: the policy officer publishes the rules people are judged by.

`build_document` turns a loaded ruleset into a small tree of blocks (headings,
facts, tables, quadrant matrices, assumption callouts) with every label taken
from the message catalogue; `document_render` renders it as Markdown or as one self-contained HTML file.
Every citation is placed beside its rule and every `note` becomes an
"Asumsi:"/"Assumption:" callout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from kinerja.diagnostics.messages import message
from kinerja.library.ruleset import Ruleset
from kinerja.publish.schema import citation_text
from kinerja.semantics import types as t
from kinerja.semantics.values import decimal_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s

# ------------------------------------------------------------------ the document tree


@dataclass(frozen=True)
class Text:
    text: str
    strong: bool = False
    line: bool = False  # starts a line of its own (one of several rules in a cell)


@dataclass(frozen=True)
class Code:
    """Ruleset text (a formula, a condition, a name) shown as written."""

    text: str


@dataclass(frozen=True)
class Cite:
    text: str


@dataclass(frozen=True)
class NoteMark:
    """An assumption the ruleset records: rendered as a visible callout."""

    text: str


Inline = Union[Text, Code, Cite, NoteMark]
Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Paragraph:
    content: Cell


@dataclass(frozen=True)
class Facts:
    rows: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str  # a CSS class: "inputs", "bands", "examples", ...


@dataclass(frozen=True)
class Matrix:
    """A quadrant table as the regulation prints it: a column header row, a header cell per row."""

    name: str
    caption: str
    corner: str
    column_axis: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, tuple[Cell, ...]], ...]


Block = Union[Heading, Paragraph, Facts, Table, Matrix]


@dataclass(frozen=True)
class Document:
    lang: str
    title: str
    blocks: tuple[Block, ...]


# ------------------------------------------------------------------ building


class _Builder:
    def __init__(self, ruleset: Ruleset, lang: str):
        self.ruleset = ruleset
        self.module = ruleset.module
        self.header = ruleset.module.header
        self.lang = lang
        self.blocks: list[Block] = []
        self.type_decls = {d.name: d for d in self.module.of_kind(s.TypeDecl)}

    def m(self, code: str, **args: object) -> str:
        return message(code, self.lang, **args)

    # -------------------------------------------------------------- small pieces
    def basis(self, annotations: s.Annotations) -> Cell:
        cites: list[Inline] = [Cite(citation_text(c, self.header)) for c in annotations.citations]
        notes: list[Inline] = [NoteMark(n.text) for n in annotations.notes]
        return (*cites, *notes)

    def labels(self, labels: tuple[str, ...]) -> str:
        return ", ".join(f"\u201c{x}\u201d" for x in labels)

    def range_text(self, low: object, high: object) -> str:
        shown_low = decimal_text(low) if low is not None else "-\u221e"  # type: ignore[arg-type]
        shown_high = decimal_text(high) if high is not None else "\u221e"  # type: ignore[arg-type]
        return f"[{shown_low}, {shown_high}]"

    def type_text(self, kind: s.TypeExpr) -> str:
        if isinstance(kind, s.DecimalType):
            text = self.m("D_T_DECIMAL", range=self.range_text(kind.low, kind.high))
            if kind.places is not None:
                text += "; " + self.m("D_T_PLACES", places=kind.places)
            return text
        if isinstance(kind, s.IntegerType):
            return self.m("D_T_INTEGER", range=self.range_text(kind.low, kind.high))
        if isinstance(kind, s.BooleanType):
            return self.m("D_T_BOOLEAN")
        if isinstance(kind, s.EnumType):
            return self.m("D_T_ENUM", labels=self.labels(kind.labels))
        if isinstance(kind, s.ScaleType):
            return self.m("D_T_SCALE", labels=self.labels(kind.labels))
        if isinstance(kind, s.ListType):
            fields = "; ".join(f"{f.name}: {self.type_text(f.type)}" for f in kind.fields)
            return self.m("D_T_LIST", fields=fields)
        if isinstance(kind, s.NamedType):
            decl = self.type_decls.get(kind.name)
            if decl is None:
                return kind.name
            return self.m("D_T_NAMED", name=kind.name, text=self.type_text(decl.type))
        return ""

    def checked_type_text(self, kind: t.Type) -> str:
        if isinstance(kind, t.NumberT):
            if kind.low is None and kind.high is None:
                return self.m("D_T_NUMBER")
            code = "D_T_INTEGER" if kind.integer else "D_T_DECIMAL"
            return self.m(code, range=self.range_text(kind.low, kind.high))
        if isinstance(kind, t.BoolT):
            return self.m("D_T_BOOLEAN")
        if isinstance(kind, t.LabelT):
            return self.m("D_T_SCALE" if kind.ordered else "D_T_ENUM", labels=self.labels(kind.labels))
        return kind.describe()

    def result(self, expr: s.Expr) -> Cell:
        """A label is shown as the regulation writes it; a formula as the ruleset writes it."""
        if isinstance(expr, s.StringLit):
            return (Text(expr.value, strong=True),)
        return (Code(printer.expr(expr)),)

    def condition(self, cond: s.Condition) -> Cell:
        if isinstance(cond, s.Otherwise):
            return (Text(self.m("D_W_OTHERWISE")),)
        return (Code(printer.condition(cond)),)

    def applies(self, condition: s.Expr, line: bool = False) -> Cell:
        """Who a `when` definition applies to: shown beside the rule so no reader takes an empty value for 0."""
        return (Text(self.m("D_APPLIES_LEAD"), line=line), Code(printer.expr(condition)), Text(self.m("D_APPLIES_TAIL")))

    def axis_key(self, key: s.AxisKey) -> str:
        return key.value if isinstance(key, s.StringLit) else printer.condition(key)

    def section(self, code: str, anchor: str) -> None:
        self.blocks.append(Heading(2, self.m(code), anchor))

    def describe(self, description: str | None, annotations: s.Annotations) -> None:
        """A declaration's own description, citations and notes, under its heading."""
        content: list[Inline] = []
        if description:
            content.append(Text(description))
        content.extend(self.basis(annotations))
        if content:
            self.blocks.append(Paragraph(tuple(content)))

    # -------------------------------------------------------------- sections
    def build(self) -> Document:
        header = self.header
        title = header.title or header.id
        self.blocks.append(Heading(1, title, "top"))
        self.header_section()
        self.types_section()
        self.inputs_section()
        self.weights_section()
        self.values_section()
        self.tables_section()
        self.conversions_section()
        self.quadrants_section()
        self.exceptions_section()
        self.overrides_section()
        self.distributions_section()
        self.outputs_section()
        self.examples_section()
        ref = f"{header.id}@{header.version}"
        self.blocks.append(Paragraph((Text(self.m("D_GENERATED", ruleset=ref, fingerprint=self.ruleset.fingerprint)),)))
        return Document(self.lang, f"{title} ({ref})", tuple(self.blocks))

    def header_section(self) -> None:
        header = self.header
        self.section("D_H_HEADER", "header")
        start = header.effective_from.isoformat() if header.effective_from else None
        until = header.effective_until.isoformat() if header.effective_until else None
        if start and until:
            effective = self.m("D_EFFECTIVE_RANGE", start=start, until=until)
        elif start:
            effective = self.m("D_EFFECTIVE_FROM", start=start)
        elif until:
            effective = self.m("D_EFFECTIVE_UNTIL", until=until)
        else:
            effective = self.m("D_EFFECTIVE_OPEN")
        rows: list[tuple[str, Cell]] = []
        if header.source:
            rows.append((self.m("D_L_REGULATION"), (Text(header.source),)))
        if header.source_short:
            rows.append((self.m("D_L_SHORT"), (Text(header.source_short),)))
        rows.append((self.m("D_L_ID"), (Code(header.id),)))
        rows.append((self.m("D_L_VERSION"), (Code(header.version),)))
        rows.append((self.m("D_L_EFFECTIVE"), (Text(effective),)))
        if header.extends:
            rows.append((self.m("D_L_EXTENDS"), (Code(header.extends),)))
        if header.supersedes:
            rows.append((self.m("D_L_SUPERSEDES"), (Code(header.supersedes),)))
        if header.revises:
            rows.append((self.m("D_L_REVISES"), (Code(header.revises),)))
        rows.append((self.m("D_L_FINGERPRINT"), (Code(self.ruleset.fingerprint),)))
        if header.annotations.citations or header.annotations.notes:
            rows.append((self.m("D_L_BASIS"), self.basis(header.annotations)))
        self.blocks.append(Facts(tuple(rows)))
        count = _count_notes(self.module)
        if count:
            self.blocks.append(Paragraph((Text(self.m("D_NOTES_SUMMARY", count=count)),)))

    def types_section(self) -> None:
        decls = self.module.of_kind(s.TypeDecl)
        if not decls:
            return
        self.section("D_H_TYPES", "types")
        rows = [
            ((Code(d.name),), (Text(self.type_text(d.type)),), (Text(d.description or ""),), self.basis(d.annotations))
            for d in decls
        ]
        headers = (self.m("D_C_NAME"), self.m("D_C_TYPE"), self.m("D_C_MEANING"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "types"))

    def inputs_section(self) -> None:
        decls = self.module.of_kind(s.InputDecl)
        if not decls:
            return
        self.section("D_H_INPUTS", "inputs")
        rows = []
        for d in decls:
            if d.default is not None:
                default: Cell = (Code(printer.literal(d.default.value)),)
            elif d.optional:
                default = (Text(self.m("D_W_OPTIONAL")),)
            else:
                default = (Text(self.m("D_W_REQUIRED")),)
            rows.append(((Code(d.name),), (Text(d.description or ""),), (Text(self.type_text(d.type)),), default,
                         self.basis(d.annotations)))  # fmt: skip
        headers = (self.m("D_C_NAME"), self.m("D_C_MEANING"), self.m("D_C_TYPE"), self.m("D_C_DEFAULT"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "inputs"))

    def weights_section(self) -> None:
        decls = self.module.of_kind(s.WeightsDecl)
        if not decls:
            return
        self.section("D_H_WEIGHTS", "weights")
        for d in decls:
            self.blocks.append(Heading(3, d.name, f"weights-{d.name}"))
            self.describe(d.description, d.annotations)
            rows = []
            for branch in d.branches:
                if branch.condition is not None:
                    when: Cell = (Code(printer.expr(branch.condition)),)
                else:
                    when = (Text(self.m("D_W_OTHERWISE" if len(d.branches) > 1 else "D_W_ALWAYS")),)
                parts = ", ".join(f"{item.name} {item.written}" for item in branch.items)
                rows.append((when, (Code(parts),), self.basis(branch.annotations)))
            headers = (self.m("D_C_CONDITION"), self.m("D_C_PARTS"), self.m("D_C_BASIS"))
            self.blocks.append(Table(headers, tuple(rows), "weights"))

    def values_section(self) -> None:
        decls = self.module.of_kind(s.ValueDecl)
        if not decls:
            return
        self.section("D_H_VALUES", "values")
        rows = [((Code(d.name),), (Code(printer.expr(d.expr)), *(self.applies(d.applies, line=True) if d.applies is not None else ())),
                 (Text(d.description or ""),), self.basis(d.annotations))
                for d in decls]  # fmt: skip
        headers = (self.m("D_C_NAME"), self.m("D_C_FORMULA"), self.m("D_C_MEANING"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "values"))

    def tables_section(self) -> None:
        decls = self.module.of_kind(s.TableDecl)
        if not decls:
            return
        self.section("D_H_TABLES", "tables")
        for d in decls:
            kind = self.m("D_KIND_RUBRIC" if d.kind == "rubric" else "D_KIND_TABLE")
            self.blocks.append(Heading(3, f"{d.name} ({kind})", f"table-{d.name}"))
            self.describe(d.description, d.annotations)
            hit = self.m("D_HIT_UNIQUE" if d.hit == "unique" else "D_HIT_FIRST")
            self.blocks.append(Paragraph((Text(self.m("D_TABLE_ON", subject=printer.expr(d.subject)) + " " + hit),)))
            if d.applies is not None:
                self.blocks.append(Paragraph(self.applies(d.applies)))
            with_guard = any(r.guard is not None for r in d.rows)
            with_descriptor = d.kind == "rubric" or any(r.descriptor for r in d.rows)
            headers = [self.m("D_C_NUMBER"), self.m("D_C_CONDITION")]
            headers += [self.m("D_C_GUARD")] if with_guard else []
            headers += [self.m("D_C_RESULT")]
            headers += [self.m("D_C_DESCRIPTOR")] if with_descriptor else []
            headers += [self.m("D_C_BASIS")]
            rows = []
            for number, row in enumerate(d.rows, 1):
                cells: list[Cell] = [(Text(str(number)),), self.condition(row.condition)]
                if with_guard:
                    cells.append((Code(printer.expr(row.guard)),) if row.guard is not None else ())
                cells.append(self.result(row.result))
                if with_descriptor:
                    cells.append((Text(row.descriptor or ""),))
                cells.append(self.basis(row.annotations))
                rows.append(tuple(cells))
            self.blocks.append(Table(tuple(headers), tuple(rows), "bands"))

    def conversions_section(self) -> None:
        """Each conversion as the regulation prints it: its points, between which the value is linear."""
        decls = self.module.of_kind(s.ConversionDecl)
        if not decls:
            return
        self.section("D_H_CONVERSIONS", "conversions")
        for d in decls:
            self.blocks.append(Heading(3, f"{d.name} ({self.m('D_KIND_CONVERSION')})", f"conversion-{d.name}"))
            self.describe(d.description, d.annotations)
            self.blocks.append(Paragraph((Text(self.m("D_CONVERSION_ON", subject=printer.expr(d.subject))),)))
            if d.applies is not None:
                self.blocks.append(Paragraph(self.applies(d.applies)))
            rows = tuple(((Code(decimal_text(p.x)),), (Code(decimal_text(p.y)),), self.basis(p.annotations)) for p in d.points)
            headers = (self.m("D_C_POINT_X", subject=printer.expr(d.subject)), self.m("D_C_POINT_Y", name=d.name), self.m("D_C_BASIS"))
            self.blocks.append(Table(headers, rows, "conversion"))

    def quadrants_section(self) -> None:
        decls = self.module.of_kind(s.QuadrantDecl)
        if not decls:
            return
        self.section("D_H_QUADRANTS", "quadrants")
        for d in decls:
            self.blocks.append(Heading(3, d.name, f"quadrant-{d.name}"))
            self.describe(d.description, d.annotations)
            rows_name, columns_name = printer.expr(d.row_subject), printer.expr(d.column_subject)
            axes = self.m("D_Q_AXES", rows=rows_name, columns=columns_name)
            if d.applies is not None:
                self.blocks.append(Paragraph(self.applies(d.applies)))
            rows = []
            for matrix_row in d.rows:
                head: Cell = (Text(self.axis_key(matrix_row.key), strong=True), *self.basis(matrix_row.annotations))
                cells = tuple(
                    self.result(cell.value) if cell.value is not None else (Text(self.m("D_W_EMPTY_CELL")),)
                    for cell in matrix_row.cells
                )
                rows.append((head, cells))
            corner = d.caption or self.m("D_Q_CORNER", rows=rows_name, columns=columns_name)
            self.blocks.append(Matrix(d.name, axes, corner, columns_name, tuple(self.axis_key(k) for k in d.columns),
                                      tuple(rows)))  # fmt: skip

    def exceptions_section(self) -> None:
        decls = self.module.of_kind(s.ExceptionDecl)
        if not decls:
            return
        self.section("D_H_EXCEPTIONS", "exceptions")
        headers = (self.m("D_C_NAME"), self.m("D_C_MEANING"), self.m("D_C_TARGET"), self.m("D_C_PRIORITY"),
                   self.m("D_C_WHEN"), self.m("D_C_THEN"), self.m("D_C_BASIS"))  # fmt: skip
        rows = [
            ((Code(d.name),), (Text(d.description or ""),), (Code(d.target),), (Text(str(d.priority)),),
             (Code(printer.expr(d.condition)),), self.result(d.result), self.basis(d.annotations))
            for d in decls
        ]  # fmt: skip
        self.blocks.append(Paragraph((Text(self.m("D_EXCEPTION_META")),)))
        self.blocks.append(Table(headers, tuple(rows), "exceptions"))

    def overrides_section(self) -> None:
        decls = self.module.of_kind(s.OverrideDecl)
        if not decls:
            return
        self.section("D_H_OVERRIDES", "overrides")
        rows = []
        for d in decls:
            where = f"row {d.row_index}" if d.row_index is not None else (" / ".join(d.cell) if d.cell else "")
            rows.append(((Code(d.kind),), (Code(f"{d.target} {where}".strip()),), self.basis(d.annotations)))
        headers = (self.m("D_C_KIND"), self.m("D_C_TARGET"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "overrides"))

    def share_rule(self, rule: s.ShareRule) -> str:
        labels = " + ".join(f"\u201c{x}\u201d" for x in rule.labels)
        if rule.kind == "most":
            return self.m("D_RULE_MOST", labels=labels)
        if rule.kind == "count":
            return self.m("D_RULE_COUNT", amount=decimal_text(rule.amount or 0), labels=labels)  # type: ignore[arg-type]
        amount = printer.number(rule.amount, percent=True) if rule.amount is not None else ""
        op = {"<=": "\u2264", ">=": "\u2265"}.get(rule.op or "", rule.op or "")
        return self.m("D_RULE_SHARE", labels=labels, op=op, amount=amount)

    def distributions_section(self) -> None:
        decls = self.module.of_kind(s.DistributionDecl)
        if not decls:
            return
        self.section("D_H_DISTRIBUTIONS", "distributions")
        for d in decls:
            self.blocks.append(Heading(3, d.name, f"distribution-{d.name}"))
            self.describe(d.description, d.annotations)
            self.blocks.append(Paragraph((Text(self.m("D_DIST_META", output=d.output, by=d.class_input)),)))
            rows = []
            for case in d.cases:
                rules: list[Inline] = []
                for rule in case.rules:
                    rules.append(Text(self.share_rule(rule), line=True))
                    rules.extend(self.basis(rule.annotations))
                rows.append(((Text(case.group_class, strong=True),), tuple(rules), self.basis(case.annotations)))
            headers = (self.m("D_C_CLASS"), self.m("D_C_RULES"), self.m("D_C_BASIS"))
            self.blocks.append(Table(headers, tuple(rows), "distribution"))

    def outputs_section(self) -> None:
        decls = self.module.of_kind(s.OutputDecl)
        if not decls:
            return
        self.section("D_H_OUTPUTS", "outputs")
        rows = []
        for d in decls:
            kind = self.ruleset.checked.types.get(d.name)
            type_text = self.checked_type_text(kind) if kind is not None else ""
            rows.append(((Code(d.name),), (Text(d.description or ""),), (Text(type_text),), self.basis(d.annotations)))
        headers = (self.m("D_C_NAME"), self.m("D_C_MEANING"), self.m("D_C_TYPE"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "outputs"))

    def examples_section(self) -> None:
        decls = self.module.of_kind(s.ExampleDecl)
        if not decls:
            return
        self.section("D_H_EXAMPLES", "examples")
        rows = []
        for d in decls:
            given = ", ".join(f"{b.name} = {printer.literal(b.value.value)}" for b in d.given)
            expected: list[Inline] = []
            if d.expect:
                expected.append(Code(", ".join(f"{b.name} = {printer.literal(b.value.value)}" for b in d.expect)))
            if d.expect_invalid:
                expected.append(Text(self.m("D_W_INVALID", names=", ".join(d.expect_invalid)), strong=True))
            rows.append(((Text(d.title),), (Code(given),), tuple(expected), self.basis(d.annotations)))
        headers = (self.m("D_C_TITLE"), self.m("D_C_GIVEN"), self.m("D_C_EXPECT"), self.m("D_C_BASIS"))
        self.blocks.append(Table(headers, tuple(rows), "examples"))


def _walk_annotations(node: object) -> list[s.Annotations]:
    """Every `Annotations` inside a declaration (rows, branches, cases, share rules…)."""
    found: list[s.Annotations] = []
    if isinstance(node, s.Annotations):
        return [node]
    if isinstance(node, tuple):
        for item in node:
            found.extend(_walk_annotations(item))
        return found
    fields = getattr(node, "__dataclass_fields__", None)
    if fields is None or isinstance(node, s.Span):
        return found
    for name in fields:
        found.extend(_walk_annotations(getattr(node, name)))
    return found


def all_annotations(module: s.Module) -> list[s.Annotations]:
    """The header's and every declaration's annotations, in file order."""
    found = _walk_annotations(module.header)
    for declaration in module.declarations:
        found.extend(_walk_annotations(declaration))
    return found


def _count_notes(module: s.Module) -> int:
    return sum(len(a.notes) for a in all_annotations(module))


def build_document(ruleset: Ruleset, lang: str = "id") -> Document:
    return _Builder(ruleset, lang).build()
