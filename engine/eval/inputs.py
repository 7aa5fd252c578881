"""Input validation: a record of named values -> typed values, or every problem at once.

Numbers arrive as Decimal (JSON is read with Decimal), int, or — from CSV and
spreadsheets — text; a binary float is accepted only through its shortest
decimal text (0.1 -> Decimal("0.1")). Nothing is evaluated unless every
input is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic, InputError, diagnostic
from kinerja.diagnostics.messages import Term
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset, suggest
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax.numbers import strip
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


def _number(field: str, raw: Any, expected: t.NumberT, text_values: bool, problems: list[Diagnostic]) -> Any:
    kind = expected.describe()  # the language's own words (`decimal [0, 120]`), the same in id and en
    if isinstance(raw, bool):
        problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=kind))
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str) and text_values:
        try:
            value = Decimal(raw.strip().replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw.strip())
        except InvalidOperation:
            problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=kind))
            return None
    else:
        problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=kind))
        return None
    if not value.is_finite():
        problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=kind))
        return None
    if expected.integer and value != value.to_integral_value():
        problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=kind))
        return None
    low, high = expected.low, expected.high
    if (low is not None and value < low) or (high is not None and value > high):
        shown = f"[{value_text(low) if low is not None else '-∞'}, {value_text(high) if high is not None else '∞'}]"
        problems.append(diagnostic("K604", _where(field), field=field, value=value_text(value), expected=shown))
        return None
    if expected.places is not None and not expected.integer:
        exponent = strip(value).as_tuple().exponent  # exact: `normalize()` rounds a 29th digit away
        if isinstance(exponent, int) and -exponent > expected.places:
            problems.append(diagnostic("K605", _where(field), field=field, value=value_text(value), places=expected.places))
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
        if not isinstance(raw, (list, tuple)):
            problems.append(diagnostic("K602", _where(field), field=field, value=_show(raw), expected=Term("W_list_of_records")))
            return None
        items = []
        record_type = expected.item
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
    for name, decl in declared.items():
        expected = checked.types[name]
        raw = record.get(name, None)
        if _blank(raw, text_values):
            if decl.default is not None:
                env[name] = coerce(name, decl.default.value, expected, problems)
            elif decl.optional or name in excused:
                env[name] = ABSENT
            else:
                problems.append(diagnostic("K601", _where(name), field=name, expected=expected.describe()))
            continue
        env[name] = coerce(name, raw, expected, problems, text_values)
    if problems:
        raise InputError(problems)
    return env


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
