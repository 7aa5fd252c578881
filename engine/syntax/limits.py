"""The documented resource limits of ruleset text, in one place.

A ruleset is small (the largest shipped file is 65 KB) but it is input: a
file that arrives by mail, a form in a web service. Every limit below turns
what would otherwise be a long wait, a huge allocation or a Python traceback
into a positioned error (codes K030–K039) that names the limit. Each is far
above anything a regulation needs, and each is listed in the README.

The limits are constants, not settings: a ruleset that checks on one machine
checks on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    source_bytes: int = 524_288  # a ruleset file (512 KiB; the largest shipped ruleset is 65 KB)
    line_chars: int = 10_000  # one line of ruleset text
    nesting: int = 100  # an expression inside another: operators, calls, `if`, brackets
    # digits of one number as written (`120.50` has 5): the arithmetic's 40 significant digits, so an
    # example can write a computed value in full (`100.7142857142857142857142857142857142857`)
    number_digits: int = 40
    places: int = 30  # `places N` of a decimal type, and `round(x, N, …)` either way
    list_items: int = 1_000  # a bracketed list, enum/scale labels, weight parts, `given`/`expect` values, record fields
    extends_depth: int = 16  # rulesets stacked with `extends`
    errors: int = 50  # syntax errors reported for one file before stopping


LIMITS = Limits()
