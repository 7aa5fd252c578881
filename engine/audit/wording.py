"""Numbers in prose, one rule per language.

Indonesian writes the decimal comma and groups thousands with a dot (`10.000`,
`74,67`); English the decimal point and a comma between thousands (`10,000`,
`74.67`). Formulas and ruleset text are shown as written (code keeps `.`);
every number a sentence *says* goes through here.
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.semantics.values import decimal_text


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def number_text(value: Decimal | int, lang: str | None) -> str:
    """A number as a sentence in `lang` says it: exact, never rounded, grouped thousands."""
    text = decimal_text(Decimal(value)) if not isinstance(value, int) else str(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "−", text[1:]  # a true minus sign reads better than a hyphen
    whole, _, fraction = text.partition(".")
    comma = lang == "id"
    whole = _group(whole, "." if comma else ",") if len(whole) > 3 else whole
    if fraction:
        return f"{sign}{whole}{',' if comma else '.'}{fraction}"
    return f"{sign}{whole}"


def signed_text(value: Decimal | int, lang: str | None) -> str:
    """A change: `+4,29`, `−3`, `0`."""
    text = number_text(value, lang)
    return f"+{text}" if value > 0 else text


def count_text(value: int, lang: str | None) -> str:
    return number_text(value, lang)


def localize_numbers(text: str, lang: str | None) -> str:
    """Arithmetic text (`67.2 + 22.8 = 90`) in the language's decimal mark; quoted labels are left alone."""
    if lang != "id":
        return text
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        out = []
        chars = parts[i]
        for j, ch in enumerate(chars):
            if ch == "." and 0 < j < len(chars) - 1 and chars[j - 1].isdigit() and chars[j + 1].isdigit():
                out.append(",")
            else:
                out.append(ch)
        parts[i] = "".join(out)
    return '"'.join(parts)


__all__ = ["count_text", "localize_numbers", "number_text", "signed_text"]
