"""Input validation: a record of named values -> typed values, or every problem at once.

The coercion policy, one for every entry point (`kinerja eval`, `Ruleset.evaluate`,
`kinerja batch`, the HTTP service):

- strict (the default for values that carry a type: JSON, YAML, Python objects, JSONL
  lines, typed spreadsheet and Parquet cells): a number input takes a number (JSON
  numbers are read as exact Decimals; a binary float through its shortest text, 0.1 ->
  Decimal("0.1")), a boolean input takes true/false, a label input its exact text;
- text (`text_values=True`: every CSV cell, spreadsheet and Parquet text cells, and JSON
  strings when asked with `--coerce text`): a number may be written with a decimal comma
  ("96,5") or an exponent ("1e2"), a boolean as true/ya/yes/benar/y/1 or
  false/tidak/no/salah/n/0 (any case), surrounding spaces are ignored, a blank cell is
  "not given".

A key that is no input of the ruleset is an error (K603) unless the caller ignores unknown
keys (`unknown="ignore"`, `--unknown ignore`), which is said as a warning (K607). Nothing
is evaluated unless every input is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from typing import Any

from kinerja.diagnostics.diagnostic import WARNING, Diagnostic, InputError, diagnostic
from kinerja.diagnostics.messages import Term
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset, suggest
from kinerja.semantics.values import ABSENT, parse_json, value_text
from kinerja.syntax.tree import Span

TRUE_WORDS = {"true", "ya", "yes", "1", "benar", "y"}
FALSE_WORDS = {"false", "tidak", "no", "0", "salah", "n"}


def _where(field: str) -> Span:
    return Span("<input>", 0, 0)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return "null"
    return value_text(value)


SHOWN_DIGITS = 30  # a number whose plain text would be longer is shown in exponent form (1E+999999999)


def _number_shown(value: Decimal) -> str:
    """A number in a message: plain digits, or its exponent form when plain digits would be absurdly long."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and (abs(exponent) > SHOWN_DIGITS or abs(value.adjusted()) > SHOWN_DIGITS):
        return str(value)
    return value_text(value)


# normalize() in the default context rounds: 1E-9999999999 would become 0 and pass `places 2`
_UNBOUNDED = Context(prec=MAX_PREC, Emin=MIN_EMIN, Emax=MAX_EMAX)


def places_of(value: Decimal) -> int:
    """Decimal places a finite value needs (trailing zeros do not count), exactly for any exponent."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0 or not value:
        return 0
    exponent = value.normalize(_UNBOUNDED).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _bad_number(field: str, raw: Any, expected: t.NumberT, problems: list[Diagnostic]) -> None:
    shown = _number_shown(raw) if isinstance(raw, Decimal) else _show(raw)
    problems.append(diagnostic("K602", _where(field), field=field, value=shown, expected=expected.describe()))


def _number(field: str, raw: Any, expected: t.NumberT, text_values: bool, problems: list[Diagnostic]) -> Any:
    kind = type(raw)
    if kind is Decimal:
        value = raw
    elif kind is bool:
        _bad_number(field, raw, expected, problems)
        return None
    elif kind is int:
        value = Decimal(raw)
    elif kind is float:
        value = Decimal(repr(raw))
    elif kind is str and text_values:
        text = raw.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # a decimal comma, as Indonesian spreadsheets write it
        try:
            value = Decimal(text)
        except InvalidOperation:
            _bad_number(field, raw, expected, problems)
            return None
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(int(raw))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        _bad_number(field, raw, expected, problems)
        return None
    if not value.is_finite():
        _bad_number(field, raw, expected, problems)
        return None
    if expected.integer and places_of(value):
        _bad_number(field, value if kind is not str else raw, expected, problems)
        return None
    low, high = expected.low, expected.high
    if (low is not None and value < low) or (high is not None and value > high):
        shown = f"[{value_text(low) if low is not None else '-∞'}, {value_text(high) if high is not None else '∞'}]"
        problems.append(diagnostic("K604", _where(field), field=field, value=_number_shown(value), expected=shown))
        return None
    if expected.places is not None and not expected.integer and places_of(value) > expected.places:
        problems.append(diagnostic("K605", _where(field), field=field, value=_number_shown(value), places=expected.places))
        return None
    return value


def _boolean(field: str, raw: Any, text_values: bool, problems: list[Diagnostic]) -> Any:
    if isinstance(raw, bool):
        return raw
    if text_values and isinstance(raw, str):
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected="true/false"))
    return None


def _label(field: str, raw: Any, expected: t.LabelT, text_values: bool, problems: list[Diagnostic]) -> Any:
    value = raw.strip() if text_values and isinstance(raw, str) else raw
    if isinstance(value, str) and value in expected.labels:
        return value
    known = ", ".join(f'"{x}"' for x in expected.labels)
    hint = suggest(value, expected.labels, "did_you_mean_label") if isinstance(value, str) else None
    problems.append(diagnostic("K606", _where(field), suggestion=hint, field=field, value=_show(raw), expected=known))
    return None


def coerce(field: str, raw: Any, expected: t.Type, problems: list[Diagnostic], text_values: bool = False) -> Any:
    """One value checked against its type; problems are appended, None is returned for a bad value."""
    if isinstance(expected, t.NumberT):
        return _number(field, raw, expected, text_values, problems)
    if isinstance(expected, t.BoolT):
        return _boolean(field, raw, text_values, problems)
    if isinstance(expected, t.LabelT):
        return _label(field, raw, expected, text_values, problems)
    if isinstance(expected, t.ListT):
        if text_values and isinstance(raw, str) and raw.strip().startswith("["):
            # a batch cell (CSV, XLSX, a JSONL row's text) holds a list as a JSON array
            try:
                raw = parse_json(raw)
            except ValueError:
                pass  # reported below as not a list of records
        if not isinstance(raw, (list, tuple)):
            problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=Term("W_list_of_records")))
            return None
        items = []
        record_type = expected.item
        if expected.max_items is not None and len(raw) > expected.max_items:
            problems.append(diagnostic("K609", _where(field), field=field, count=len(raw), most=expected.max_items))
            return None
        for index, item in enumerate(raw):
            where = f"{field}[{index}]"
            if not isinstance(record_type, t.RecordT):
                items.append(coerce(where, item, record_type, problems, text_values))
                continue
            if not isinstance(item, Mapping):
                problems.append(diagnostic("K602", _where(where), field=where, value=_show(item), expected=Term("W_record")))
                continue
            record = {}
            names = [n for n, _ in record_type.fields]
            for key in item:
                if key not in names:
                    problems.append(diagnostic("K603", _where(where), suggestion=suggest(str(key), names), field=f"{where}.{key}"))
            for name, field_type in record_type.fields:
                if item.get(name) is None and name in record_type.optional:
                    record[name] = ABSENT  # an optional field left out: reading it is K704, `given` says false
                    continue
                if name not in item:
                    problems.append(diagnostic("K601", _where(where), field=f"{where}.{name}", expected=field_type.describe()))
                    continue
                record[name] = coerce(f"{where}.{name}", item[name], field_type, problems, text_values)
            items.append(record)
        return items
    return raw


def validate(
    checked: CheckedRuleset,
    record: Mapping[str, Any],
    text_values: bool = False,
    excused_by: Callable[[frozenset[str]], frozenset[str]] | None = None,
) -> dict[str, Any]:
    """The typed inputs of one record; raise InputError listing every problem.

    `excused_by` maps the definitions a record supplies (`override input`) to the
    required inputs it then need not give (`Program.excused_inputs`).
    """
    if not isinstance(record, Mapping):
        raise InputError([diagnostic("K602", _where("<record>"), field="<record>", value=_show(record), expected=Term("W_named_inputs"))])
    problems: list[Diagnostic] = []
    env: dict[str, Any] = {}
    declared = checked.inputs
    excused: frozenset[str] = frozenset()
    if excused_by is not None and checked.suppliable:
        excused = excused_by(frozenset(n for n in checked.suppliable if not _blank(record.get(n), text_values)))
    for key in record:
        if key not in declared:
            problems.append(diagnostic("K603", _where(str(key)), suggestion=suggest(str(key), list(declared)), field=str(key)))
    for name in declared:
        value = input_value(checked, name, record.get(name, None), problems, text_values, name in excused)
        if value is not _MISSING:
            env[name] = value
    if problems:
        raise InputError(problems)
    return env


_MISSING = object()  # a required input left blank: no value in the environment


def input_value(checked: CheckedRuleset, name: str, raw: Any, problems: list[Diagnostic], text_values: bool = False,
                excused: bool = False) -> Any:  # fmt: skip
    """One declared input's value in a record as `validate` reads it (its default, ABSENT, or the coerced
    value); its problems are appended. Depends on nothing but its arguments: with the same raw value
    the same problems, which is what lets a batch validate each distinct cell once."""
    decl = checked.inputs[name]
    expected = checked.types[name]
    if _blank(raw, text_values):
        if decl.default is not None:
            return coerce(name, decl.default.value, expected, problems)
        if decl.optional or excused:
            return ABSENT
        problems.append(diagnostic("K601", _where(name), field=name, expected=expected.describe()))
        return _MISSING
    return coerce(name, raw, expected, problems, text_values)


def unknown_inputs(checked: CheckedRuleset, record: Mapping[str, Any]) -> list[str]:
    """The keys of a record that are no input of the ruleset, in the record's order."""
    if not isinstance(record, Mapping):
        return []
    return [str(key) for key in record if key not in checked.inputs]


def ignored_input(field: str, ruleset: str, belongs_to: str | None = None, as_of: str | None = None) -> Diagnostic:
    """The warning for a key left out under `unknown="ignore"` (K607), or because it belongs to the
    version the user named while `--as-of` chose another (K608)."""
    if belongs_to is not None:
        return diagnostic("K608", _where(field), severity=WARNING, field=field, ruleset=ruleset, named=belongs_to,
                          date=as_of or "")  # fmt: skip
    return diagnostic("K607", _where(field), severity=WARNING, field=field, ruleset=ruleset)


def known_only(checked: CheckedRuleset, record: Mapping[str, Any]) -> dict[str, Any]:
    """The record without its keys that are no input of the ruleset (`unknown="ignore"`)."""
    return {key: value for key, value in record.items() if key in checked.inputs}


def _blank(raw: Any, text_values: bool) -> bool:
    return raw is None or (text_values and isinstance(raw, str) and raw.strip() == "")


def compile_validator(checked: CheckedRuleset, excused_by: Callable[[frozenset[str]], frozenset[str]] | None = None) -> Any:
    """A validator specialised to one ruleset, for the common case of a clean JSON-like record.

    Each input gets a small closure that accepts a well-formed value and returns
    it; anything unusual (a missing value, text, a bound or places problem) makes
    it give up, and the thorough `validate` then reports every problem.
    """
    declared = set(checked.inputs)
    # (name, kind, what the kind checks against, the value when the record leaves it out):
    # labels and booleans are checked inline, a closure call costing more than the check
    checks: list[tuple[str, int, Any, Any]] = []
    for name, decl in checked.inputs.items():
        expected = checked.types[name]
        fallback: Any = _NO_VALUE
        if decl.default is not None:
            problems: list[Diagnostic] = []
            fallback = coerce(name, decl.default.value, expected, problems)
        elif decl.optional:
            fallback = ABSENT
        if isinstance(expected, t.LabelT):
            checks.append((name, _LABEL, frozenset(expected.labels), fallback))
        elif isinstance(expected, t.BoolT):
            checks.append((name, _BOOL, None, fallback))
        else:
            checks.append((name, _OTHER, _fast_check(expected, fallback), fallback))

    def validate_fast(record: Mapping[str, Any]) -> dict[str, Any]:
        if (type(record) is not dict and not isinstance(record, Mapping)) or not declared.issuperset(record):
            return validate(checked, record, excused_by=excused_by)
        env: dict[str, Any] = {}
        get = record.get
        for name, kind, accepts, fallback in checks:
            value = get(name)
            if value is None:
                if fallback is _NO_VALUE:
                    return validate(checked, record, excused_by=excused_by)
                env[name] = fallback
            elif kind == _LABEL:
                if type(value) is not str or value not in accepts:  # a str first: `in` would fail on a list
                    return validate(checked, record, excused_by=excused_by)
                env[name] = value
            elif kind == _BOOL:
                if type(value) is not bool:
                    return validate(checked, record, excused_by=excused_by)
                env[name] = value
            else:
                value = accepts(value)
                if value is _NO_VALUE:
                    return validate(checked, record, excused_by=excused_by)
                env[name] = value
        return env

    return validate_fast


_LABEL, _BOOL, _OTHER = 0, 1, 2
_NO_VALUE = object()


def _on_grid(value: Decimal, step: Decimal) -> bool:
    """Whether `value` has no more places than `step`; a value too long to quantize has too many."""
    try:
        return value == value.quantize(step)
    except InvalidOperation:
        return False


def _fast_check(expected: t.Type, fallback: Any) -> Any:
    if isinstance(expected, t.NumberT):
        low = expected.low if expected.low is not None else Decimal("-Infinity")
        high = expected.high if expected.high is not None else Decimal("Infinity")
        step = Decimal(1).scaleb(-(expected.places or 0)) if expected.places is not None or expected.integer else None

        def number(value: Any) -> Any:
            if value is None:
                return fallback
            kind = type(value)
            if kind is int:
                value = Decimal(value)
            elif kind is not Decimal or not value.is_finite():  # (NaN cannot even be compared)
                return _NO_VALUE
            if not low <= value <= high:
                return _NO_VALUE
            if step is not None and not _on_grid(value, step):
                return _NO_VALUE
            return value

        return number
    if isinstance(expected, t.BoolT):
        return lambda value: value if type(value) is bool else (fallback if value is None else _NO_VALUE)
    if isinstance(expected, t.LabelT):
        labels = frozenset(expected.labels)
        return lambda value: value if value in labels else (fallback if value is None else _NO_VALUE)
    return lambda value: _NO_VALUE  # lists and anything else: the thorough path
