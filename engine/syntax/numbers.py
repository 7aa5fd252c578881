"""Exact decimal helpers: numbers as written, never rounded by a decimal context.

`Decimal` arithmetic rounds to the current context's precision (28 digits by
default), and so do `normalize()`, unary minus, `scaleb()` and division by 1.
A ruleset's numbers must be read, shown and fingerprinted exactly — a 29th
digit is a different rule — so these helpers work on the digits and the
exponent directly.
"""

from __future__ import annotations

from decimal import Decimal

# Beyond this many places either side of the point a value is shown in scientific notation
# (1E+999999999 would otherwise be a billion characters of zeros).
PLAIN_EXPONENT = 60


def shift(value: Decimal, places: int) -> Decimal:
    """`value` × 10**places, exactly (70 -> 0.70 with places -2)."""
    if not value.is_finite():
        return value
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent + places))


def negate(value: Decimal) -> Decimal:
    """-value, exactly."""
    return value.copy_negate()


def strip(value: Decimal) -> Decimal:
    """The same value without trailing zeros (`90.00` -> `9E+1`), exactly; `normalize()` would round."""
    if not value.is_finite():
        return value
    if value == 0:
        return Decimal(0)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    kept = list(digits)
    while len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    return Decimal((sign, tuple(kept), exponent))


def plain(value: Decimal) -> str:
    """A decimal as written on paper, exactly: 90, 0.7, 109.99 — never 9E+1, never rounded.

    Trailing zeros after the point are dropped (`90.00` -> `90`). A value whose exponent
    is beyond `PLAIN_EXPONENT` is shown in scientific notation, its digits still exact.
    """
    if not value.is_finite():
        return str(value)
    if value == 0:
        return "0"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if abs(exponent) <= PLAIN_EXPONENT and abs(value.adjusted()) <= PLAIN_EXPONENT:
        text = format(value, "f")  # exact: no precision given, so no rounding
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(strip(value))


def digit_count(text: str) -> int:
    """How many digits a number is written with (`0120.50` has 6)."""
    return sum(1 for char in text if "0" <= char <= "9")
