"""The message catalogue, one module per area; `kinerja.diagnostics.messages` merges them.

Each module holds `MESSAGES: {code: {"id": template, "en": template}}`. A code lives in
exactly one module (the merge refuses duplicates), so areas never edit each other's files;
a new module in this folder is an area by being here.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

# Codes kept in the catalogue (a tool may still meet them in an old report) but produced no more.
# Each says why; a test asserts that nothing in the engine produces them and that every other
# code has a producer and a test.
RETIRED: dict[str, str] = {
    "K220": "a label missing from its type is K203, which also lists the labels the type has",
}


def areas() -> tuple[str, ...]:
    """Every area module of this package, found on disk: a new area needs no registration anywhere."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))


def merged() -> dict[str, dict[str, str]]:
    """Every area's messages in one dictionary; a code defined twice is a programming error."""
    catalogue: dict[str, dict[str, str]] = {}
    for area in areas():
        messages: dict[str, dict[str, str]] = import_module(f"{__name__}.{area}").MESSAGES
        for code, entry in messages.items():
            if code in catalogue:
                raise RuntimeError(f"message code {code} is defined twice (catalogue area {area})")
            catalogue[code] = entry
    return catalogue
