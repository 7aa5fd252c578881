"""Text for people: results and errors as the CLI prints them."""

from __future__ import annotations

from datetime import date

import click
import kinerja
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.semantics.values import to_json, value_text


def parse_date(value: str | None) -> date | None:
    """An `--as-of` date, or a usage error (exit 2) naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        ctx = click.get_current_context(silent=True)
        lang = ctx.find_root().params.get("lang") if ctx is not None else None  # the group's --lang, else LANG
        raise click.BadParameter(message("C_bad_date", lang, value=repr(value)), param_hint="--as-of") from None


def print_error(error: KinerjaError, lang: str, fmt: str = "text") -> None:
    if fmt == "json":
        click.echo(to_json({"error": type(error).__name__, "diagnostics": [d.to_dict(lang) for d in error.diagnostics]}))
    else:
        click.echo(error.render(lang), err=True)


def render_result_text(ruleset: kinerja.Ruleset, result: kinerja.Result, lang: str) -> str:
    words = {key: message(f"C_word_{key}", lang) for key in ("ruleset", "fingerprint", "outputs", "trace")}
    lines = [
        f"{words['ruleset']}: {ruleset.id}@{ruleset.version} — {ruleset.title or ''}",
        f"{words['fingerprint']}: {result.ruleset.fingerprint}",
        "",
        f"{words['outputs']}:",
    ]
    for name, value in result.outputs.items():
        lines.append(f"  {name} = {value_text(value)}")
    lines += ["", f"{words['trace']}:"]
    for step in result.trace:
        if step.kind == "input":
            continue
        line = f"  {step.name} = {value_text(step.value)}"
        if step.substituted and step.kind == "value":
            line += f"   ({step.formula} = {step.substituted})"
        decided = step.describe(lang)
        if decided:
            line += f"   [{decided}]"
        lines.append(line)
        for cite in step.citations[:1]:
            lines.append(f"      § {cite}")
    return "\n".join(lines)
