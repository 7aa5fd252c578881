"""A `conversion` block means a band table: one row between each two consecutive points.

```
conversion nilai_stabil on ca          # table nilai_stabil on ca hit unique
  0   -> 0                             #   [0, 90)   -> 100 × ca / 90
  90  -> 100                           #   [90, 100] -> 100 + 20 × (ca - 90) / 10
  100 -> 120                           # end
end
```

Between two points the value lies on the line through them; outside the first and last
point no row matches, so the analysis reports the subject values left out (K501) and
the evaluator fails on them (K702), as for any table. The checker puts this table in
place of the block, so the type rules, the lowering, the evaluators, the range and
coverage analyses, the trace and the column path all treat a conversion as the table it
means; the formatter, the documents and the diff keep the block as written.
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.syntax import tree as s


def table_of(decl: s.ConversionDecl) -> s.TableDecl:
    """The band table a conversion block means (x assumed strictly increasing: K242 checks it)."""
    points = decl.points
    rows = []
    for index, (low, high) in enumerate(zip(points, points[1:], strict=False)):
        last = index == len(points) - 2
        span = low.span
        condition = s.Interval(low.x, True, high.x, last, span)
        # a row cites what its lower point cites; the block's own citations are the table's
        rows.append(s.Row(condition, None, _line(decl.subject, low, high, span), None, low.annotations, span))
    return s.TableDecl("table", decl.name, None, decl.subject, "unique", tuple(rows), decl.description,
                       decl.annotations, decl.span, decl.applies)  # fmt: skip


def _number(value: Decimal, span: s.Span) -> s.Expr:
    literal = s.NumberLit(abs(value), False, span)
    return s.Unary("-", literal, span) if value < 0 else literal


def _line(subject: s.Expr, low: s.ConversionPoint, high: s.ConversionPoint, span: s.Span) -> s.Expr:
    """y₀ + (y₁ − y₀) × (x − x₀) / (x₁ − x₀), written as plainly as the numbers allow."""
    rise, run = high.y - low.y, high.x - low.x
    if rise == 0:
        return _number(low.y, span)
    offset = subject if low.x == 0 else s.Binary("-", subject, _number(low.x, span), span)
    slope = s.Binary("/", s.Binary("*", _number(abs(rise), span), offset, span), _number(run, span), span)
    if low.y == 0:
        return slope if rise > 0 else s.Unary("-", slope, span)
    return s.Binary("+" if rise > 0 else "-", _number(low.y, span), slope, span)
