"""Inputs for fuzzing: ruleset texts and input records, drawn from a `random.Random`.

Every generator takes the random source as its only freedom, so a seed reproduces an input
exactly (the long run names seeds) and hypothesis can drive the same code through
`st.randoms()` (the short run in CI, which shrinks what it finds).

Rulesets come three ways:
- `generated`: grammar-aware, built declaration by declaration from the language's own parts
  (types, inputs, weight sets, values, band tables, rubrics, quadrants, exceptions, outputs,
  examples, population rules, `extends` with overrides), with names that mostly resolve, so
  that checking, analysis and evaluation are reached, not only the parser;
- `mutated`: a shipped ruleset with lines deleted, duplicated, swapped or truncated, tokens
  replaced (numbers by long or odd ones, keywords by others), characters inserted (quotes,
  brackets, digits of other scripts, control and invisible characters, line separators);
- `extreme`: sizes and depths at and beyond the documented limits.

Records are drawn for a loaded ruleset from its declared inputs: values that fit, values at
and beyond the bounds, wrong types, odd numbers (huge exponents, NaN, binary floats), text
forms, missing and unknown keys.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

# ---------------------------------------------------------------- pieces of the language

NAMES = ["a", "b", "c", "nilai_skp", "nilai_perilaku", "skor", "x", "y", "total", "bobot", "predikat", "kuadran"]
LABELS = ["Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang", "Butuh Perbaikan", "Di Atas", "Sesuai", "Di Bawah",
          "sangat baik", "Sangat  Baik", "Sangat Baek", "Golongan III/a", "Golongan III/b", "Level 1", "Level 2"]  # fmt: skip
KEYWORDS = ["ruleset", "version", "input", "value", "table", "rubric", "quadrant", "weights", "when", "otherwise", "end",
            "example", "given", "expect", "output", "exception", "overrides", "hit", "first", "unique", "if", "then",
            "else", "and", "or", "not", "decimal", "integer", "boolean", "enum", "scale", "places", "list", "of",
            "cite", "note", "none", "invalid", "distribution", "most", "share", "at", "least", "override", "row", "cell"]  # fmt: skip
ODD_CHARACTERS = ['"', "“", "”", "'", "(", ")", "[", "]", "{", "}", "|", ",", ":", "%", "-", ">", "<", "=", "#", "\\",
                  "\t", "\r", "\r\n", "\u00a0", "\ufeff", "\u2028", "\u2029", "\x1c", "\x0b", "\x0c", "\x00", "\x85",
                  "١٢٠", "۳", "٫", "½", "²", "×", "÷", "−", "ß", "İ", "\U0001f600", "é", "e\u0301", "2,5", "1e5",
                  "\u200b", "\u202e"]  # fmt: skip
FUNCTIONS = ["min", "max", "clamp", "round", "abs", "floor", "ceiling", "rank", "given", "sum", "mean", "count"]
MODES = ["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]

# Every shipped ruleset, read from the package: a ruleset added to rulesets/ is fuzzed with no change here.
SHIPPED = tuple(sorted(p.name.removesuffix(".kin") for p in resources.files("kinerja.rulesets").iterdir()
                       if p.name.endswith(".kin")))  # fmt: skip


@cache
def shipped_text(ref: str) -> str:
    return resources.files("kinerja.rulesets").joinpath(f"{ref}.kin").read_text(encoding="utf-8")


def number(rnd: random.Random, extreme: bool = False) -> str:
    kind = rnd.random()
    if extreme and kind < 0.3:
        return str(rnd.randint(1, 9)) + "0" * rnd.choice([28, 29, 30, 31, 60, 400]) + rnd.choice(["", ".5", "." + "0" * 40 + "1"])
    if kind < 0.5:
        return str(rnd.randint(0, 120))
    if kind < 0.8:
        return f"{rnd.randint(0, 120)}.{rnd.randint(0, 99):02d}"
    if kind < 0.9:
        return str(rnd.choice([0, 1, 5, 10, 50, 70, 90, 100, 110, 120, 1000000]))
    return f"{rnd.randint(0, 9)}.{''.join(rnd.choice('0123456789') for _ in range(rnd.randint(1, 32)))}"


def label(rnd: random.Random) -> str:
    return '"' + rnd.choice(LABELS) + '"'


# ---------------------------------------------------------------- generated rulesets


class _Scope:
    """What a generated ruleset has declared so far, so references mostly resolve."""

    def __init__(self) -> None:
        self.numbers: list[str] = []
        self.labels: dict[str, list[str]] = {}  # name -> its labels
        self.booleans: list[str] = []
        self.lists: list[str] = []
        self.weights: dict[str, list[str]] = {}
        self.label_types: dict[str, list[str]] = {}
        self.definitions: list[str] = []
        self.inputs: dict[str, str] = {}  # name -> kind


def _name(rnd: random.Random, taken: set[str]) -> str:
    for _ in range(20):
        name = rnd.choice(NAMES) + rnd.choice(["", "", str(rnd.randint(1, 9)), "_" + rnd.choice(NAMES)])
        if name not in taken:
            taken.add(name)
            return name
    name = f"n{len(taken)}"
    taken.add(name)
    return name


def expression(rnd: random.Random, scope: _Scope, depth: int = 0, kind: str = "number") -> str:
    """A formula of the language, mostly well-typed, to `depth` levels."""
    if kind == "boolean":
        choice = rnd.random()
        if scope.booleans and choice < 0.3:
            return rnd.choice(scope.booleans)
        if depth < 3 and choice < 0.6:
            op = rnd.choice(["<", "<=", ">", ">=", "=", "!="])
            return f"{expression(rnd, scope, depth + 1)} {op} {expression(rnd, scope, depth + 1)}"
        if depth < 3 and choice < 0.8:
            return f"{expression(rnd, scope, depth + 1, 'boolean')} {rnd.choice(['and', 'or'])} {expression(rnd, scope, depth + 1, 'boolean')}"
        if scope.labels and choice < 0.9:
            name = rnd.choice(list(scope.labels))
            return f"{name} = {rnd.choice(scope.labels[name] or [label(rnd)])}"
        if choice < 0.95:
            return rnd.choice(["true", "false"])
        optional = [n for n, k in scope.inputs.items() if k == "optional"]
        return f"given({rnd.choice(optional)})" if optional else "not false"
    leaf = depth >= rnd.randint(1, 4)
    choice = rnd.random()
    if leaf or choice < 0.15:
        if scope.numbers and rnd.random() < 0.7:
            return rnd.choice(scope.numbers)
        if scope.weights and rnd.random() < 0.3:
            name = rnd.choice(list(scope.weights))
            return f"{name}.{rnd.choice(scope.weights[name])}"
        return number(rnd) + ("%" if rnd.random() < 0.15 else "")
    if choice < 0.5:
        op = rnd.choice(["+", "-", "×", "*", "/"])
        return f"{expression(rnd, scope, depth + 1)} {op} {expression(rnd, scope, depth + 1)}"
    if choice < 0.6:
        return f"({expression(rnd, scope, depth + 1)})"
    if choice < 0.65:
        return f"-{expression(rnd, scope, depth + 1)}"
    if choice < 0.75:
        written = f"if {expression(rnd, scope, depth + 1, 'boolean')} then {expression(rnd, scope, depth + 1)} else {expression(rnd, scope, depth + 1)}"
        return f"({written})" if depth > 0 else written  # inside an operation an `if` needs brackets
    if choice < 0.9:
        function = rnd.choice(FUNCTIONS)
        if function == "round":
            places = rnd.choice(["0", "1", "2", "3", "-1", "30", "31", "1000000", "-999999999", "0.5"])
            return f"round({expression(rnd, scope, depth + 1)}, {places}, {rnd.choice(MODES)})"
        if function == "clamp":
            return f"clamp({expression(rnd, scope, depth + 1)}, {number(rnd)}, {number(rnd)})"
        if function in ("abs", "floor", "ceiling"):
            return f"{function}({expression(rnd, scope, depth + 1)})"
        if function == "rank" and scope.label_types:
            ordered = [n for n, k in scope.inputs.items() if k == "scale"]
            return f"rank({rnd.choice(ordered)})" if ordered else "1"
        if function in ("sum", "mean", "count") and scope.lists:
            source = rnd.choice(scope.lists)
            if function == "count":
                return f"count(r for r in {source} where r.target > {number(rnd)})"
            return f"{function}(r.target for r in {source})"
        if function in ("min", "max"):
            args = ", ".join(expression(rnd, scope, depth + 1) for _ in range(rnd.randint(1, 4)))
            return f"{function}({args})"
        return number(rnd)
    if choice < 0.95:
        items = ", ".join(expression(rnd, scope, depth + 1) for _ in range(rnd.randint(1, 4)))
        return f"max([{items}])" if rnd.random() < 0.5 else f"sum(v for v in [{items}])"
    if depth == 0 and rnd.random() < 0.2:
        return expression(rnd, scope, depth + 1) + " " + rnd.choice(["+", "×"]) + " 2,5"  # a decimal comma
    return f"abs({expression(rnd, scope, depth + 1)})"


def _interval(rnd: random.Random, low: int, high: int) -> str:
    a, b = sorted((rnd.randint(low, high), rnd.randint(low, high)))
    if rnd.random() < 0.05:
        a, b = b, a  # an empty or reversed interval
    return f"{rnd.choice('[(')}{a}, {b}{rnd.choice('])')}"


def _condition(rnd: random.Random, low: int, high: int) -> str:
    choice = rnd.random()
    if choice < 0.7:
        return _interval(rnd, low, high)
    if choice < 0.85:
        return f"{rnd.choice(['<', '<=', '>', '>='])} {rnd.randint(low, high)}"
    if choice < 0.95:
        return f"= {rnd.randint(low, high)}"
    return "otherwise"


def _bands(rnd: random.Random, low: int, high: int) -> list[str]:
    """Rows that tile [low, high] with the odd gap, overlap or duplicate."""
    cuts = sorted({low, high, *(rnd.randint(low, high) for _ in range(rnd.randint(1, 6)))})
    rows = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
        last = i == len(cuts) - 2
        if rnd.random() < 0.1:
            b = max(a, b - rnd.randint(1, 3))  # a gap
        rows.append(f"[{a}, {b}{']' if last or rnd.random() < 0.1 else ')'}")
    if rnd.random() < 0.2:
        rows.append(_condition(rnd, low, high))
    if rnd.random() < 0.1 and rows:
        rows.append(rnd.choice(rows))
    if rnd.random() < 0.1:
        rnd.shuffle(rows)
    return rows


def generated(rnd: random.Random) -> str:
    """A ruleset built from the language's parts; mostly valid, with mistakes a writer makes."""
    scope = _Scope()
    taken: set[str] = set()
    version = rnd.choice(["1.0.0", "2.1.0", "0.0.1"]) if rnd.random() < 0.97 else "1.0"
    parts = [f"ruleset {rnd.choice(['gen', 'uji-coba', 'a', 'daerah-x'])} version {version}",
             '  title "Aturan uji"', '  source "Peraturan Uji" short "PU"']  # fmt: skip
    if rnd.random() < 0.3:
        parts.append(f"  effective from {rnd.choice(['2019-04-26', '2024-01-01', '2026-12-31'] * 10 + ['2023-02-30'])}"
                     + (f" until {rnd.choice(['2025-12-31', '2020-01-01'])}" if rnd.random() < 0.3 else ""))  # fmt: skip
    base = None
    if rnd.random() < 0.08:
        base = rnd.choice(SHIPPED)
        parts.append(f"  extends {base}")
    if rnd.random() < 0.05:
        parts.append(f"  supersedes {rnd.choice(SHIPPED)}")
    if rnd.random() < 0.2:
        parts.append('  note "catatan"')
    lines = ["\n".join(parts), ""]
    for _ in range(rnd.randint(0, 2)):
        name = _name(rnd, taken)
        labels = rnd.sample(LABELS, rnd.randint(2, 5))
        ordered = rnd.random() < 0.6
        written = " < ".join(f'"{x}"' for x in labels) if ordered else "{ " + ", ".join(f'"{x}"' for x in labels) + " }"
        lines.append(f"type {name} = {'scale' if ordered else 'enum'} {written}")
        scope.label_types[name] = [f'"{x}"' for x in labels]
    for _ in range(rnd.randint(1, 6)):
        name = _name(rnd, taken)
        choice = rnd.random()
        if choice < 0.45:
            low = rnd.choice([0, 0, 1, -10])
            high = rnd.choice([4, 10, 100, 120, 1000000])
            places = rnd.choice(["", " places 0", " places 2", " places 2", " places 4"] * 20 + [" places 30", " places 31"])
            kind = rnd.choice(["decimal", "decimal", "integer"])
            lines.append(f"input {name}: {kind} [{low}, {high}]{places if kind == 'decimal' else ''}" + (' "deskripsi"' if rnd.random() < 0.5 else ""))
            scope.numbers.append(name)
            scope.inputs[name] = kind
        elif choice < 0.65:
            lines.append(f"input {name}: boolean" + (" default false" if rnd.random() < 0.3 else ""))
            scope.booleans.append(name)
            scope.inputs[name] = "boolean"
        elif choice < 0.85 and scope.label_types:
            typ = rnd.choice(list(scope.label_types))
            optional = rnd.random() < 0.2
            lines.append(f"input {name}: {'optional ' if optional else ''}{typ}")
            scope.labels[name] = scope.label_types[typ]
            scope.inputs[name] = "optional" if optional else ("scale" if rnd.random() < 0.5 else "enum")
        else:
            lines.append(f"input {name}: list of {{ target: decimal [0, 1000], realisasi: decimal [0, 1000] }}")
            scope.lists.append(name)
            scope.inputs[name] = "list"
    if rnd.random() < 0.4:
        name = _name(rnd, taken)
        parts_ = rnd.sample(["skp", "perilaku", "inovasi"], rnd.randint(1, 3))
        def items() -> str:
            shares = [rnd.randint(0, 100 // len(parts_)) for _ in parts_]
            if rnd.random() < 0.9:
                shares[-1] = 100 - sum(shares[:-1])
            odd = ["%"] * 30 + [",5%", ".000000000000000000000000001%", ".0000000000000000000000000001%"]
            return ", ".join(f"{p} {s}{rnd.choice(odd)}" for p, s in zip(parts_, shares, strict=True))
        if scope.booleans and rnd.random() < 0.6:
            lines.append(f"weights {name}\n  when {rnd.choice(scope.booleans)}: {items()}\n  otherwise: {items()}\nend")
        else:
            lines.append(f"weights {name}: {items()}")
        scope.weights[name] = parts_
    per_item = _per_item(rnd, scope, taken, lines) if scope.lists and rnd.random() < 0.7 else []
    for _ in range(rnd.randint(0, 3)):
        name = _name(rnd, taken)
        applies = f" when {expression(rnd, scope, 2, 'boolean')}" if rnd.random() < 0.1 else ""
        lines.append(f"value {name} = {expression(rnd, scope)}{applies}")
        scope.numbers.append(name)
        scope.definitions.append(name)
    tables = []
    for _ in range(rnd.randint(0, 3)):
        if not scope.numbers:
            break
        name = _name(rnd, taken)
        subject = rnd.choice(scope.numbers)
        kind = rnd.choice(["table", "table", "rubric"])
        hit = rnd.choice([" hit first", " hit first", " hit unique"])  # (a first row `= 1` would continue the subject)
        typed = ""
        result_labels = rnd.sample(LABELS, 4)
        if scope.label_types and rnd.random() < 0.3:
            typ = rnd.choice(list(scope.label_types))
            typed, result_labels = f": {typ}", [x.strip('"') for x in scope.label_types[typ]]
        guard_names = scope.booleans
        numeric = rnd.random() < 0.2  # every result a formula, or every result a label
        rows = []
        for condition in _bands(rnd, 0, rnd.choice([4, 10, 100, 120])):
            guard = f" if {rnd.choice(guard_names)}" if guard_names and rnd.random() < 0.15 else ""
            result = expression(rnd, scope, 3) if numeric else f'"{rnd.choice(result_labels)}"'
            if rnd.random() < 0.02:
                result = expression(rnd, scope, 3) if not numeric else f'"{rnd.choice(result_labels)}"'  # a mixed-up row
            descriptor = ' "uraian"' if kind == "rubric" else ""
            cite = ' cite "Pasal 1"' if rnd.random() < 0.2 else ""
            rows.append(f"  {condition}{guard} -> {result}{descriptor}{cite}")
        lines.append(f"{kind} {name}{typed} on {subject}{hit}\n" + "\n".join(rows) + "\nend")
        tables.append((name, result_labels))
        scope.labels[name] = [f'"{x}"' for x in result_labels]
        scope.definitions.append(name)
    label_inputs = [n for n, k in scope.inputs.items() if k in ("scale", "enum")]
    if len(label_inputs) >= 1 and rnd.random() < 0.5:
        name = _name(rnd, taken)
        rows_by, cols_by = rnd.choice(label_inputs), rnd.choice(label_inputs)
        row_keys = list(scope.labels[rows_by])
        col_keys = list(scope.labels[cols_by])
        if rnd.random() < 0.2 and row_keys:
            row_keys.pop()
        cells = rnd.sample(LABELS, 4)
        matrix = ["  | | " + " | ".join(col_keys) + " |"]
        for key in row_keys:
            row = [rnd.choice(['"' + rnd.choice(cells) + '"'] * 16 + ["-", number(rnd)]) for _ in col_keys]
            if rnd.random() < 0.05:
                row.append('"extra"')
            matrix.append(f"  | {key} | " + " | ".join(row) + " |")
        lines.append(f"quadrant {name} rows {rows_by} columns {cols_by}\n" + "\n".join(matrix) + "\nend")
        tables.append((name, cells))
        scope.definitions.append(name)
    if tables and rnd.random() < 0.3:
        target, labels_ = rnd.choice(tables)
        condition = expression(rnd, scope, 2, "boolean")
        lines.append(f'exception e{rnd.randint(1, 9)} overrides {target} priority {rnd.randint(0, 20)}\n  when {condition}\n  then "{rnd.choice(labels_)}"')
    declared = scope.definitions or scope.numbers or list(scope.inputs) or ["x"]
    outputs = rnd.sample(declared, min(len(declared), rnd.randint(1, 3)))
    if rnd.random() < 0.05:
        outputs.append("tidak_ada")
    lines.extend(f"output {name}" for name in outputs)
    # (a ruleset with values per item is often left without examples, so that it loads and its
    # records are evaluated: a random example mostly fails the check)
    for index in range(0 if per_item and rnd.random() < 0.6 else rnd.randint(0, 3)):
        given = []
        for name, kind in scope.inputs.items():
            if rnd.random() < 0.1:
                continue
            if kind in ("decimal", "integer"):
                given.append(f"{name} = {number(rnd)}")
            elif kind == "boolean":
                given.append(f"{name} = {rnd.choice(['true', 'false'])}")
            elif kind == "list":
                given.append(f"{name} = [{{target = {number(rnd)}, realisasi = {number(rnd)}}}]")
            else:
                given.append(f"{name} = {rnd.choice(scope.labels.get(name) or [label(rnd)])}")
        expect = [f"{path} = {rnd.choice([number(rnd), 'none'])}" for path in per_item if rnd.random() < 0.3]
        for name in outputs:
            if name in dict(tables):
                expect.append(f'{name} = "{rnd.choice(dict(tables)[name])}"')
            else:
                expect.append(f"{name} = {number(rnd)}")
        if rnd.random() < 0.1 and scope.inputs:
            lines.append(f'example "contoh {index}"\n  given {", ".join(given)}\n  expect invalid {rnd.choice(list(scope.inputs))}')
        else:
            lines.append(f'example "contoh {index}"\n  given {", ".join(given)}\n  expect {", ".join(expect)}')
    if base is not None and rnd.random() < 0.7:
        lines.append(rnd.choice([
            'override weights bobot when penilaian_360: skp 50%, perilaku 50%  cite "Pasal 5"',
            'override table predikat row 2 [90, 110) -> "Baik"  cite "Pasal 6"',
            'override input nilai_kinerja "Nilai"  cite "Pasal 7"',
            'override value tidak_ada = 1',
            'override quadrant predikat cell "Di Atas Ekspektasi", "Sesuai Ekspektasi" -> "Baik"',
        ]))  # fmt: skip
    if tables and rnd.random() < 0.1:
        target, labels_ = rnd.choice(tables)
        klass = label_inputs[0] if label_inputs else "x"
        lines.append(f'distribution kurva of {target} by {klass}\n  when {rnd.choice(scope.labels.get(klass) or [label(rnd)])}:\n    most "{labels_[0]}"\n    share "{labels_[-1]}" <= {rnd.randint(0, 100)}%\nend')
    text = "\n\n".join(lines) + "\n"
    return _layout(rnd, text)


def _per_item(rnd: random.Random, scope: _Scope, taken: set[str], lines: list[str]) -> list[str]:
    """Definitions per item of a list input and what reads them (issue 13's constructs): values,
    tables and conversions per item, `when` per item, weighted means and picks over the items.
    Returns example paths (`iki[1].capaian`) that read values per item."""
    source = rnd.choice(scope.lists)
    paths = []
    guard = rnd.choice(["", "", f" when {source}.target > 0", f" when {source}.realisasi > {number(rnd)}"])
    lines.append(f"value {source}.capaian = {source}.realisasi / {source}.target × 100{guard}")
    paths.append(f"{source}[{rnd.randint(1, 3)}].capaian")
    made = ["capaian"]
    may_be_absent = {"capaian"} if guard else set()  # what `given(…)` may ask of
    if rnd.random() < 0.6:
        rows = "\n".join(f"  {c} -> {rnd.randint(0, 120)}" for c in _bands(rnd, 0, 1000))
        lines.append(f"table {source}.skor on {source}.realisasi{rnd.choice(['', ' hit unique', ' hit first'])}\n{rows}\nend")
        made.append("skor")
    if rnd.random() < 0.6:
        xs = sorted({0, 1000, *(rnd.randint(1, 999) for _ in range(rnd.randint(0, 3)))})
        if rnd.random() < 0.1:
            xs.reverse()  # points not increasing: K242
        points = "\n".join(f"  {x} -> {rnd.randint(0, 120)}" for x in xs)
        applies = rnd.choice(["", f" when {source}.target > {number(rnd)}"])
        lines.append(f"conversion {source}.konversi on {source}.realisasi{applies}\n{points}\nend")
        made.append("konversi")
        may_be_absent |= {"konversi"} if applies else set()
    if rnd.random() < 0.5:
        read = rnd.choice(made)
        applies = rnd.choice(["", f" when given({source}.{read})"]) if read in may_be_absent or rnd.random() < 0.05 else ""
        lines.append(f"value {source}.nilai = min(120, {source}.{read}){applies}")
        made.append("nilai")
        may_be_absent |= {"nilai"} if applies else set()
        paths.append(f"{source}[1].nilai")
    field = rnd.choice(made)
    where = rnd.choice(["", f" where i.target > {number(rnd)}"] + ([f" where given(i.{field})"] if field in may_be_absent else []))
    readers = [
        f"weighted_mean(i.{field} by i.target for i in {source}{where})",
        f"mean(i.{field} for i in {source}{where})",
        f"sum(i.{field} for i in {source}{where})",
        f"top(i.{field} for i in {source}{where} by i.realisasi, i.target)",
        f"bottom(i.target for i in {source}{where} by i.{field})",
        f"first(i.realisasi for i in {source}{where})",
        f"last(i.{field} for i in {source}{where})",
        f"count(i for i in {source}{where})",
    ]
    mistakes = [
        f"interpolate({rnd.choice(scope.numbers or ['1'])}, {source})",  # points need fields x and y: K248
        f"top(i.{field} for i in {source})",  # a pick without keys: K247
    ]
    for _ in range(rnd.randint(1, 3)):
        name = _name(rnd, taken)
        reader = rnd.choice(mistakes if rnd.random() < 0.1 else readers)
        guarded = rnd.choice(["", f" when count(i for i in {source}) > 0"])
        lines.append(f"value {name} = {reader}{guarded}")
        scope.numbers.append(name)
        scope.definitions.append(name)
    if rnd.random() < 0.05:
        lines.append(f"value salah = {source}.{made[0]} + 1")  # a value per item read at record level: K241
    return paths


def _layout(rnd: random.Random, text: str) -> str:
    """The same ruleset as editors save it: CRLF, tabs, a BOM, no-break spaces, comments."""
    if rnd.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rnd.random() < 0.1:
        text = text.replace("  ", "\t")
    if rnd.random() < 0.05:
        text = "\ufeff" + text
    if rnd.random() < 0.05:
        text = text.replace(" ", "\u00a0", rnd.randint(1, 5))
    if rnd.random() < 0.2:
        lines = text.split("\n")
        at = rnd.randrange(len(lines))
        comment = "# " + "".join(rnd.choice(["x", " ", "\u2028", "\x1c", "\r", "é", '"', "#"]) for _ in range(rnd.randint(0, 12)))
        lines[at] = lines[at] + ("  " if rnd.random() < 0.5 else "\n") + comment
        text = "\n".join(lines)
    return text


# ---------------------------------------------------------------- mutated shipped rulesets


def mutated(rnd: random.Random) -> str:
    """A shipped ruleset with a few mutations of lines, tokens and characters."""
    # the 65 KB pedoman half as often: mutating it costs the most, and it adds few new shapes
    text = shipped_text(rnd.choices(SHIPPED, weights=[1 if ref.startswith("pedoman-daerah") else 2 for ref in SHIPPED])[0])
    for _ in range(rnd.randint(1, 4)):
        text = _mutate(rnd, text)
    return text


def _mutate(rnd: random.Random, text: str) -> str:
    lines = text.split("\n")
    choice = rnd.random()
    at = rnd.randrange(len(lines))
    if choice < 0.12:
        del lines[at]
    elif choice < 0.22:
        lines.insert(at, lines[rnd.randrange(len(lines))])
    elif choice < 0.30:
        other = rnd.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif choice < 0.36:
        block = lines[at : at + rnd.randint(2, 20)]
        rnd.shuffle(block)
        lines[at : at + len(block)] = block
    elif choice < 0.42:
        return text[: rnd.randrange(len(text))]  # truncated
    elif choice < 0.56:
        words = lines[at].split(" ")
        spot = rnd.randrange(len(words))
        words[spot] = rnd.choice([*KEYWORDS, number(rnd, True), label(rnd), "(" * rnd.randint(1, 5), ")", "->", "%", "×", ""])
        lines[at] = " ".join(words)
    elif choice < 0.72:
        line = lines[at]
        spot = rnd.randint(0, len(line))
        lines[at] = line[:spot] + rnd.choice(ODD_CHARACTERS) + line[spot:]
    elif choice < 0.80:
        line = lines[at]
        if line:
            spot = rnd.randrange(len(line))
            lines[at] = line[:spot] + line[spot + 1 :]
    elif choice < 0.88:
        digits = [i for i, char in enumerate(text) if char.isdigit()]
        if digits:
            spot = rnd.choice(digits)
            return text[:spot] + rnd.choice(["0" * rnd.randint(1, 40), "9" * rnd.randint(1, 40), ",5", ".5", "1", "9" * 5000]) + text[spot:]
    elif choice < 0.94:
        lines[at] = lines[at].replace("end", "", 1) if "end" in lines[at] else lines[at] + " end"
    else:
        lines.insert(at, rnd.choice([
            "value deep = " + "(" * 120 + "1" + ")" * 120,
            "value chain = " + " + ".join(["1"] * 150),
            "value neg = " + "-" * 150 + "1",
            "value r = round(1, 1000000, up)",
            "input huge: decimal [0, 1" + "0" * 40 + "] places 999999999999",
            'input s: decimal [0, 10] "\ud800"',
            "value c = min(100, 10 × 2,5)",
        ]))  # fmt: skip
    return "\n".join(lines)


# ---------------------------------------------------------------- extreme sizes


def extreme(rnd: random.Random) -> str:
    """Sizes and depths at and beyond the documented limits (kept rare: they are the slow cases)."""
    head = 'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\n'
    choice = rnd.random()
    if choice < 0.15:
        return head + "# " + "x" * rnd.choice([9_990, 10_001, 100_000]) + "\n"
    if choice < 0.3:
        depth = rnd.choice([99, 100, 101, 400, 3000])
        return head + f"input a: decimal [0, 10] places 2\nvalue v = {'(' * depth}a{')' * depth}\noutput v\n"
    if choice < 0.45:
        depth = rnd.choice([98, 99, 100, 101, 2000])
        return head + "input a: decimal [0, 10] places 2\nvalue v = " + " + ".join(["a"] * depth) + "\noutput v\n"
    if choice < 0.6:
        rows = rnd.choice([500, 2_000])
        body = "\n".join(f"  [{i}, {i + 1}) -> {i % 5}" for i in range(rows))
        return head + f"input a: decimal [0, {rows}] places 2\ntable t on a\n{body}\n  = {rows} -> 0\nend\noutput t\n"
    if choice < 0.75:
        places = rnd.choice([30, 31, 300000])
        return head + f"input x: decimal [0, 10] places {places}\ninput n: integer [0, 5]\nvalue v = x * x * x + n\ntable t on v\n  [0, 500] -> 1\n  (500, 2000] -> 2\nend\noutput t\n"
    if choice < 0.9:
        digits = rnd.choice([29, 30, 31, 5000])
        big = "1" + "0" * (digits - 1)
        return head + f"input a: decimal [0, {big}]\ntable t on a\n  [0, {big}] -> 1\nend\noutput t\n"
    if choice < 0.91:
        items = rnd.choice([999, 1000, 1001])
        return head + "value v = max([" + ", ".join("1" for _ in range(items)) + "])\noutput v\n"
    if choice < 0.94:  # many of one thing: weight parts, exceptions, quadrant keys, label rows
        count = rnd.choice([1000, 1001, 3000])
        kind = rnd.randrange(4)
        if kind == 0:
            return head + "weights w:\n" + ",\n".join(f"  p{i} 0.1%" for i in range(count)) + "\nvalue v = w.p0\noutput v\n"
        if kind == 1:
            return head + "input a: decimal [0, 10] places 2\ntable t on a hit first\n  >= 0 -> 1\nend\n" + "".join(
                f"exception e{i} overrides t priority {i % 7} when a > {i % 10} then {i}\n" for i in range(count)) + "output t\n"
        if kind == 2:
            keys = "".join(f"  | [{i}, {i + 1}) | {i} | 1 |\n" for i in range(count))
            return head + f'input a: decimal [0, {count}] places 2\ninput b: enum {{ x, y }}\nquadrant q rows a columns b\n  | | "x" | "y" |\n{keys}end\noutput q\n'
        labels = ", ".join(f"l{i}" for i in range(min(count, 1000)))
        rows = "".join(f'  = "l{i % 1000}" -> {i}\n' for i in range(count))
        return head + f"input r: enum {{ {labels} }}\ntable t on r hit first\n{rows}end\noutput t\n"
    # chains of definitions (declared last-first) and cycles: deep through names, not within one formula
    count = rnd.choice([5, 50, 2000])
    padding = " + 1" * rnd.choice([0, 90])
    if rnd.random() < 0.5:
        body = "".join(f"value v{i} = v{(i + 1) % count}{padding}\n" for i in range(count))
    else:
        body = "".join(f"value v{i + 1} = {'a' if i == 0 else f'v{i}'}{padding}\n" for i in reversed(range(count)))
    return head + f"input a: decimal [0, 10] places 2\n{body}table t on v1 hit first\n  < 10 -> 1\n  >= 10 -> 2\nend\noutput t\n"


def ruleset_text(rnd: random.Random) -> tuple[str, str]:
    """(kind, text): generated, mutated or extreme."""
    choice = rnd.random()
    if choice < 0.47:
        return "generated", generated(rnd)
    if choice < 0.99:
        return "mutated", mutated(rnd)
    return "extreme", extreme(rnd)


# ---------------------------------------------------------------- records


def record(rnd: random.Random, inputs: dict[str, Any]) -> dict[str, Any]:
    """A record for a ruleset's inputs (name -> checker type).

    Half are clean (every value fits: evaluation is reached), a third have one faulty value
    (missing, out of range, too many places, the wrong type, an odd number), the rest any mix.
    """
    from kinerja.semantics import types as t

    mode = rnd.random()
    faulty = None if mode < 0.5 else (rnd.choice(list(inputs)) if inputs and mode < 0.8 else "*")
    found: dict[str, Any] = {}
    for name, typ in inputs.items():
        chaos = faulty == "*" or faulty == name
        if chaos and rnd.random() < 0.15:
            continue  # missing
        found[name] = _value(rnd, typ, t, chaos)
    if faulty == "*" and rnd.random() < 0.2:
        found[rnd.choice(["nip", "predikat", "", "nilai_skp "])] = "extra"
    return found


def _value(rnd: random.Random, typ: Any, t: Any, chaos: bool, depth: int = 0) -> Any:
    if chaos and rnd.random() < 0.3:
        return _odd(rnd)
    if isinstance(typ, t.NumberT):
        low = typ.low if typ.low is not None else Decimal(-100)
        high = typ.high if typ.high is not None else Decimal(1000)
        places = 0 if typ.integer else (typ.places if typ.places is not None else 3)
        choice = rnd.random() if chaos else rnd.random() * 0.85
        if choice < 0.7:
            step = Decimal(1).scaleb(-min(places, 6))
            span = int((high - low) / step) if high > low else 0
            return low + step * rnd.randint(0, max(span, 0))
        if choice < 0.85:
            return rnd.choice([low, high, int(low) if low == int(low) else low])
        if choice < 0.92:
            return rnd.choice([low - 1, high + Decimal("0.01"), high + 1, float(high), str(low), f"{high}".replace(".", ","), " 90 "])
        return Decimal(rnd.randint(0, 120)) + Decimal(1).scaleb(-rnd.randint(3, 40))
    if isinstance(typ, t.BoolT):
        return rnd.choice([True, False, "ya", "true", 1, 0]) if chaos else rnd.choice([True, False])
    if isinstance(typ, t.LabelT):
        labels = list(typ.labels) or ["x"]
        if chaos:
            return rnd.choice([rnd.choice(labels).lower(), rnd.choice(labels) + " ", "Tidak Ada"])
        return rnd.choice(labels)
    if isinstance(typ, t.ListT):
        if depth > 2:
            return []
        count = rnd.choice([0, 1, 2, 3, 50]) if chaos else rnd.choice([1, 2, 3, 5])
        return [{name: _value(rnd, field, t, chaos and rnd.random() < 0.3, depth + 1) for name, field in getattr(typ.item, "fields", ())}
                for _ in range(count)]  # fmt: skip
    return _odd(rnd)


def _odd(rnd: random.Random) -> Any:
    return rnd.choice([
        None, "", "abc", "١٢٠", "NaN", "Infinity", "-0", "1e2", "1E999999999", Decimal("1E999999999"),
        Decimal("1E-999999999"), Decimal("NaN"), Decimal("-Infinity"), float("nan"), float("inf"), 1e308, -1,
        10**40, True, [], {}, [1, 2], {"a": 1}, "\x00", "\ud800", "9" * 5000, Decimal("9" * 60), object(),
    ])  # fmt: skip
