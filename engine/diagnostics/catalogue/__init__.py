"""The message catalogue, one module per area; `kinerja.diagnostics.messages` merges them.

Each module holds `MESSAGES: {code: {"id": template, "en": template}}`. A code lives in
exactly one module (the merge refuses duplicates), so areas never edit each other's files.
"""

from __future__ import annotations

from importlib import import_module

AREAS = ("syntax", "semantics", "inputs", "evaluation", "library", "analysis", "audit", "batch", "publish", "cli", "words", "limits")


def merged() -> dict[str, dict[str, str]]:
    """Every area's messages in one dictionary; a code defined twice is a programming error."""
    catalogue: dict[str, dict[str, str]] = {}
    for area in AREAS:
        messages: dict[str, dict[str, str]] = import_module(f"{__name__}.{area}").MESSAGES
        for code, entry in messages.items():
            if code in catalogue:
                raise RuntimeError(f"message code {code} is defined twice (catalogue area {area})")
            catalogue[code] = entry
    return catalogue
