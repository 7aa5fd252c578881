"""The one catalogue of every sentence kinerja shows a person, in Indonesian and English.

Codes are stable: tools and tests rely on them. A message is a `str.format`
template; its arguments are named. Indonesian is the default language.
"""

from __future__ import annotations

import os

from kinerja.diagnostics.catalogue import merged

LANGUAGES = ("id", "en")

CATALOGUE: dict[str, dict[str, str]] = merged()


def default_language() -> str:
    """The language from the environment's LANG, falling back to Indonesian."""
    lang = (os.environ.get("KINERJA_LANG") or os.environ.get("LANG") or "").lower()
    if lang.startswith("en"):
        return "en"
    return "id"


class Term(str):
    """A message argument that is itself a catalogue entry, so it is said in the message's language."""

    __slots__ = ()


def message(code: str, lang: str | None = None, **args: object) -> str:
    entry = CATALOGUE[code]
    template = entry.get(lang or default_language()) or entry["id"]
    said = {k: message(v, lang) if isinstance(v, Term) else v for k, v in args.items()}
    return template.format(**said)
