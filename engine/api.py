"""The public entry points: load a ruleset, evaluate, check, list.

`Library` holds the loaded rulesets, cached by fingerprint, behind a lock, so
a web server's threads can share it. The module-level functions use one
default library; create your own `Library(folders=...)` to add folders.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import registry
from .canonical import fingerprint as compute_fingerprint
from .check import check as check_module
from .diagnostics import Diagnostic, KinerjaError, RulesetError, RulesetNotFound, diagnostic
from .evaluate import Result
from .parse import parse
from .ruleset import Ruleset


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    version: str
    title: str | None
    source: str | None
    effective_from: date | None
    effective_until: date | None
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "version": self.version, "title": self.title, "source": self.source,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "path": self.path,
        }  # fmt: skip


class Library:
    """Finds, loads and caches rulesets."""

    def __init__(self, folders: tuple[str | Path, ...] = ()):
        self.folders = tuple(folders)
        self._by_fingerprint: dict[str, Ruleset] = {}
        self._lock = threading.Lock()

    def load(self, ref: str | Path, *, as_of: date | None = None) -> Ruleset:
        """A ruleset by `id`, `id@version` or file path; `as_of` picks the version in force that day."""
        ref = str(ref)
        if as_of is not None and not registry.is_path(ref) and "@" not in ref:
            return self._in_force(ref, as_of)
        found = registry.find(ref, self.folders)
        path = found if isinstance(found, Path) else found.path
        return self.load_text(path.read_text(encoding="utf-8"), str(path))

    def load_text(self, text: str, path: str = "<string>") -> Ruleset:
        module = parse(text, path)
        key = compute_fingerprint(module)
        with self._lock:
            cached = self._by_fingerprint.get(key)
        if cached is not None:
            return cached
        ruleset = Ruleset.from_module(module, path)
        with self._lock:
            return self._by_fingerprint.setdefault(key, ruleset)

    def _in_force(self, ruleset_id: str, on: date) -> Ruleset:
        candidates = registry.versions(ruleset_id, self.folders)
        if not candidates:
            registry.find(ruleset_id, self.folders)  # raises the not-found error with the known ids
        for entry in reversed(candidates):
            ruleset = self.load(entry.path)
            if ruleset.in_force(on):
                return ruleset
        raise RulesetNotFound([diagnostic("K803", id=ruleset_id, date=on.isoformat())])

    def list(self) -> list[RulesetInfo]:
        infos = []
        for entry in registry.entries(self.folders):
            header = parse(entry.path.read_text(encoding="utf-8"), str(entry.path)).header
            infos.append(RulesetInfo(header.id, header.version, header.title, header.source,
                                     header.effective_from, header.effective_until, str(entry.path)))  # fmt: skip
        return infos

    def check(self, ref: str | Path) -> list[Diagnostic]:
        """Every diagnostic of a ruleset (syntax, names, types, weights), errors and warnings."""
        ref = str(ref)
        try:
            found = registry.find(ref, self.folders)
            path = found if isinstance(found, Path) else found.path
            text = path.read_text(encoding="utf-8")
            module = parse(text, str(path))
        except RulesetError as error:
            return error.diagnostics
        except OSError as error:
            return [diagnostic("K802", problem=str(error))]
        return check_module(module).diagnostics


_DEFAULT = Library()


def default_library() -> Library:
    return _DEFAULT


def load(ref: str | Path, *, as_of: date | None = None) -> Ruleset:
    return _DEFAULT.load(ref, as_of=as_of)


def load_text(text: str, path: str = "<string>") -> Ruleset:
    return _DEFAULT.load_text(text, path)


def evaluate(ref: str | Path | Ruleset, record: Mapping[str, Any], *, trace: bool = True) -> Result:
    ruleset = ref if isinstance(ref, Ruleset) else load(ref)
    return ruleset.evaluate(record, trace=trace)


def check(ref: str | Path) -> list[Diagnostic]:
    return _DEFAULT.check(ref)


def list_rulesets() -> list[RulesetInfo]:
    return _DEFAULT.list()


__all__ = ["Library", "RulesetInfo", "load", "load_text", "evaluate", "check", "list_rulesets", "KinerjaError"]
