"""Runtime values and their exact text and JSON forms (no binary floating point)."""

from __future__ import annotations

import json
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Any

from kinerja.syntax.numbers import plain

# Every score is computed in this context: 40 significant digits is exact for
# any sum or product of the declared inputs; only a non-terminating quotient
# (1/3) is rounded, half-even, at the 40th digit.
ARITHMETIC = Context(prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])

# The rounding modes a ruleset names in `round(x, places, MODE)`, as the decimal module spells them.
ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "half_down": ROUND_HALF_DOWN,
    "up": ROUND_UP, "down": ROUND_DOWN, "ceiling": ROUND_CEILING, "floor": ROUND_FLOOR,
}  # fmt: skip


class _Absent:
    """An optional input that was not given."""

    _instance: _Absent | None = None

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT = _Absent()


# A computed value is shown with at most 28 significant digits (the `decimal` default the engine
# has always answered with: 1/3 is 0.3333333333333333333333333333 on every path). Evaluation keeps
# its 40 digits (ARITHMETIC); only the shown text is rounded, half-even. The exponent range is the
# widest, so that showing a value never overflows.
SHOWN = Context(prec=28, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])


def decimal_text(value: Decimal) -> str:
    """A computed decimal as written on paper: 90, 0.7, 109.99 — never 9E+1, never 89.99999999999999.

    At most 28 significant digits (`SHOWN`), as the engine's outputs have always been; a number
    as a ruleset writes it keeps every digit with `literal_text` or `kinerja.syntax.numbers.plain`.
    """
    if value.is_finite() and len(value.as_tuple().digits) > SHOWN.prec:
        value = SHOWN.plus(value)
    return plain(value)


def literal_text(value: Decimal) -> str:
    """A number as a ruleset writes it, every digit kept (a literal longer than 28 digits keeps its meaning)."""
    if value == 0:
        return "0"
    return format(value.normalize(Context(prec=max(len(value.as_tuple().digits), 1))), "f")


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if value is ABSENT or value is None:
        return "-"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def to_json(value: Any, indent: int | None = 2) -> str:
    """JSON text in which every Decimal is written as an exact JSON number."""
    return _encode(value, indent, 0)


# json.dumps(text, ensure_ascii=False) without building an encoder per call (the C escaper it ends in)
_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _encode(value: Any, indent: int | None, level: int) -> str:
    if isinstance(value, str):
        return _string(value)  # type: ignore[no-any-return]
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if value is ABSENT:
        return "null"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{_string(str(k))}: {_encode(v, indent, level + 1)}" for k, v in value.items()]
        return _wrap("{", "}", items, indent, level)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return _wrap("[", "]", [_encode(v, indent, level + 1) for v in value], indent, level)
    if hasattr(value, "to_dict"):
        return _encode(value.to_dict(), indent, level)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _wrap(open_: str, close: str, items: list[str], indent: int | None, level: int) -> str:
    if indent is None:
        return open_ + ", ".join(items) + close
    pad = " " * (indent * (level + 1))
    end = " " * (indent * level)
    return open_ + "\n" + ",\n".join(pad + item for item in items) + "\n" + end + close


_DECIMAL_JSON = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)  # one decoder: json.loads builds one per call


def parse_json(text: str) -> Any:
    """Read JSON with every number as a Decimal, so 0.1 stays 0.1."""
    return _DECIMAL_JSON.decode(text)


def json_ready(value: Any) -> Any:
    """A value with every ABSENT (an item field or a `when` value not given) as None, for JSON."""
    if value is ABSENT:
        return None
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value
