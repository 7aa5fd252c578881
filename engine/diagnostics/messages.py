"""The one catalogue of every sentence kinerja shows a person, in Indonesian and English.

Codes are stable: tools and tests rely on them. A message is a `str.format`
template; its arguments are named. Indonesian is the default language.

An argument that is itself words is never a finished string: it is a `Term` (a
catalogue entry without arguments), a `Phrase` (a catalogue entry with arguments)
or a `Listing` of such pieces, and it is said in the language of the message
that holds it, when that message is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from kinerja.diagnostics.catalogue import merged
from kinerja.syntax.frozen import dataclass

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


@dataclass(frozen=True)
class Phrase:
    """A catalogue message with its arguments, kept unrendered until a language is chosen.

    Used as an argument of another message (a problem inside a diagnostic) and as the
    coded value a finding carries (an example's failure).
    """

    code: str
    args: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, /, **args: Any) -> Phrase:
        return cls(code, tuple(args.items()))

    def render(self, lang: str | None = None) -> str:
        return message(self.code, lang, **dict(self.args))


@dataclass(frozen=True)
class Listing:
    """Several pieces (plain text, Terms, Phrases) said one after another, joined by `separator`."""

    items: tuple[Any, ...]
    separator: str = ", "

    @classmethod
    def of(cls, items: Iterable[Any], separator: str = ", ") -> Listing:
        return cls(tuple(items), separator)

    def render(self, lang: str | None = None) -> str:
        return self.separator.join(said(item, lang) for item in self.items)


def said(value: Any, lang: str | None = None) -> Any:
    """A message argument as it reads in `lang`: Terms, Phrases and Listings are rendered, the rest kept."""
    if isinstance(value, Term):
        return message(value, lang)
    if isinstance(value, (Phrase, Listing)):
        return value.render(lang)
    return value


def message(code: str, lang: str | None = None, /, **args: object) -> str:
    entry = CATALOGUE[code]
    template = entry.get(lang or default_language()) or entry["id"]
    return template.format(**{k: said(v, lang) for k, v in args.items()})
