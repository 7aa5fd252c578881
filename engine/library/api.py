"""The public entry points: load a ruleset, evaluate, check, list.

`Library` holds the loaded rulesets, cached by fingerprint, behind a lock, so
a web server's threads can share it. The module-level functions use one
default library; create your own `Library(folders=...)` to add folders.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kinerja.analysis.analyse import analyse
from kinerja.diagnostics.diagnostic import (
    WARNING,
    Diagnostic,
    KinerjaError,
    RulesetError,
    RulesetNotFound,
    diagnostic,
    with_source,
)
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import Result
from kinerja.library import registry
from kinerja.library.ruleset import Ruleset
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.check import check as check_module
from kinerja.semantics.link import link
from kinerja.syntax.canonical import fingerprint as compute_fingerprint
from kinerja.syntax.parse import parse
from kinerja.syntax.source import read_source
from kinerja.syntax.tree import ExampleDecl, Header, Module, Span


@dataclass(frozen=True)
class RulesetInfo:
    """A ruleset found in the folders: its header facts and its file."""

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


@dataclass(frozen=True)
class Selection:
    """Which file a reference chose, and why (for `--as-of`)."""

    ref: str  # id@version
    path: Path
    as_of: date | None = None
    superseded: str | None = None  # the id the reference named, when a successor was chosen
    successor: str | None = None  # the id the reference named, when a predecessor was chosen

    def note(self, lang: str | None = None) -> str | None:
        if self.as_of is None:
            return None
        via = message("X_AS_OF_VIA", lang, old=self.superseded) if self.superseded else ""
        if self.successor:
            via = message("X_AS_OF_BEFORE", lang, new=self.successor)
        return message("X_AS_OF", lang, ref=self.ref, date=self.as_of.isoformat(), via=via)


def _in_force(header: Header, on: date) -> bool:
    start, until = header.effective_from, header.effective_until
    return (start is None or start <= on) and (until is None or on <= until)


@dataclass(frozen=True)
class _Stamp:
    """What `stat` says of a file: a change in any of these means the file must be read again."""

    path: str
    modified: int
    size: int
    inode: int

    @staticmethod
    def of(path: Path | str) -> _Stamp | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return _Stamp(str(path), info.st_mtime_ns, info.st_size, info.st_ino)

    def current(self) -> bool:
        try:
            info = os.stat(self.path)
        except OSError:
            return False
        return (info.st_mtime_ns, info.st_size, info.st_ino) == (self.modified, self.size, self.inode)


@dataclass(frozen=True)
class _Loaded:
    """A file's parsed module or ruleset, with the stamps of every file it was built from."""

    stamps: tuple[_Stamp, ...]
    value: Any

    def current(self) -> bool:
        return all(stamp.current() for stamp in self.stamps)


class Library:
    """Finds, loads and caches rulesets.

    A file is read, parsed, linked, checked and compiled once: a later `load` of the same
    file costs a `stat` of it (and of the files it extends) and returns the same `Ruleset`.
    Editing a file on disk makes the next `load` read it again.
    """

    def __init__(self, folders: tuple[str | Path, ...] = ()):
        self.folders = tuple(folders)
        self._by_fingerprint: dict[str, Ruleset] = {}
        self._by_file: dict[str, _Loaded] = {}  # resolved path -> Ruleset
        self._modules: dict[str, _Loaded] = {}  # resolved path -> parsed module (headers, bases)
        self._listing = registry.Listing()
        self._lock = threading.Lock()

    def _entries(self) -> list[registry.Entry]:
        return self._listing.entries(self.folders)

    def select(self, ref: str | Path, *, as_of: date | None = None) -> Selection:
        """The file a reference names: `id` (newest, or in force on `as_of`), `id@version`, or a path."""
        ref = str(ref)
        if as_of is not None and not registry.is_path(ref) and "@" not in ref:
            return self._in_force(ref, as_of)
        found = registry.find(ref, self.folders, self._entries())
        if isinstance(found, Path):
            return Selection(str(found), found)
        return Selection(found.ref, found.path)

    def load(self, ref: str | Path, *, as_of: date | None = None) -> Ruleset:
        """A ruleset by `id`, `id@version` or file path; `as_of` picks the version in force that day.

        Raises `RulesetNotFound` for an unknown reference and `RulesetError` for a ruleset that
        does not parse or check (or whose file name and header name different versions).
        """
        path = self.select(ref, as_of=as_of).path
        key = str(path)
        with self._lock:
            known = self._by_file.get(key)
        if known is not None and known.current():
            return known.value  # type: ignore[no-any-return]
        stamp = _Stamp.of(path)
        module = self._module(path)
        mismatch = _name_mismatch(module, path)
        if mismatch is not None:
            raise RulesetError([mismatch])
        linked, bases = self._link(module)
        ruleset = self._compiled(linked, str(path))
        stamps = tuple(x for x in (stamp, *bases) if x is not None)
        with self._lock:
            self._by_file[key] = _Loaded(stamps, ruleset)
        return ruleset

    def parse_linked(self, text: str, path: str = "<string>") -> Module:
        """Parse a ruleset and merge in the ruleset it `extends`, if any."""
        return self._link(parse(text, path))[0]

    def _link(self, module: Module) -> tuple[Module, list[_Stamp | None]]:
        """The module with its bases merged in, and the stamps of the base files read."""
        bases: list[_Stamp | None] = []

        def resolve(ref: str) -> Module:
            path = self.select(ref).path
            bases.append(_Stamp.of(path))
            return self._module(path)

        return link(module, resolve), bases

    def _module(self, path: Path) -> Module:
        """A ruleset file parsed (not linked), kept while the file is unchanged."""
        key = str(path)
        with self._lock:
            known = self._modules.get(key)
        if known is not None and known.current():
            return known.value  # type: ignore[no-any-return]
        stamp = _Stamp.of(path)
        module = parse(read_source(path), key)
        if stamp is not None:
            with self._lock:
                self._modules[key] = _Loaded((stamp,), module)
        return module

    def load_text(self, text: str, path: str = "<string>") -> Ruleset:
        """A ruleset from source text (`path` names it in messages); `extends` is resolved in the folders."""
        return self._compiled(self.parse_linked(text, path), path)

    def _compiled(self, module: Module, path: str) -> Ruleset:
        key = compute_fingerprint(module)
        with self._lock:
            cached = self._by_fingerprint.get(key)
        if cached is not None:
            return cached
        ruleset = Ruleset.from_module(module, path)
        with self._lock:
            return self._by_fingerprint.setdefault(key, ruleset)

    def _header(self, path: Path) -> Header:
        return self._module(path).header

    def _in_force(self, ruleset_id: str, on: date) -> Selection:
        """The newest version of `ruleset_id` in force on `on`, else of a ruleset in its line of succession.

        Successors (rulesets that supersede it, transitively) are tried first, then predecessors
        (what it supersedes): a successor's id names the whole line, so a date before its start
        finds the regulation it replaced. A line is walked in one direction only, never sideways.
        """
        known = self._entries()
        if not registry.versions(ruleset_id, self.folders, known):
            registry.find(ruleset_id, self.folders, known)  # raises the not-found error with the known ids
        queue: list[tuple[str, int]] = [(ruleset_id, 0)]  # direction: 0 the named id, 1 forward, -1 back
        seen = {ruleset_id}
        while queue:
            current, direction = queue.pop(0)
            for entry in reversed(registry.versions(current, self.folders, known)):
                if _in_force(self._header(entry.path), on):
                    return Selection(entry.ref, entry.path, on, ruleset_id if direction == 1 else None,
                                     ruleset_id if direction == -1 else None)  # fmt: skip
            if direction >= 0:
                for entry in known:
                    supersedes = self._header(entry.path).supersedes
                    if supersedes and supersedes.split("@")[0] == current and entry.id not in seen:
                        seen.add(entry.id)
                        queue.append((entry.id, 1))
            if direction <= 0:
                for entry in registry.versions(current, self.folders, known):
                    supersedes = self._header(entry.path).supersedes
                    if supersedes and supersedes.split("@")[0] not in seen:
                        seen.add(supersedes.split("@")[0])
                        queue.append((supersedes.split("@")[0], -1))
        raise RulesetNotFound([diagnostic("K803", id=ruleset_id, date=on.isoformat())])

    def overlapping_periods(self, header: Header, span_path: str) -> list[Diagnostic]:
        """Other versions of the same id whose effective periods overlap this one's."""
        found = []
        me = f"{header.id}@{header.version}"
        for entry in registry.versions(header.id, self.folders, self._entries()):
            if entry.ref == me or _same_file(entry.path, span_path):
                continue  # (a file whose name names another version is not a second version: K410 says so)
            other = self._header(entry.path)
            if _overlap(header, other):
                found.append(diagnostic("K904", header.span, ref=me, period=_period(header),
                                        other=entry.ref, other_period=_period(other)))  # fmt: skip
        return found

    def list(self) -> list[RulesetInfo]:
        """Every ruleset in the folders (shipped ones included), oldest version first within an id."""
        infos = []
        for entry in self._entries():
            header = self._header(entry.path)
            infos.append(RulesetInfo(header.id, header.version, header.title, header.source,
                                     header.effective_from, header.effective_until, str(entry.path)))  # fmt: skip
        return infos

    def check(self, ref: str | Path) -> list[Diagnostic]:
        """Every diagnostic of a ruleset (syntax, names, types, weights, analysis), errors and warnings.

        A folder is checked file by file: every `.kin` file in it and below it, in name order,
        with the folder searched first for the rulesets they extend.
        """
        ref = str(ref)
        if Path(ref).is_dir():
            return self._check_folder(Path(ref))
        try:
            found = registry.find(ref, self.folders, self._entries())
            path = found if isinstance(found, Path) else found.path
            text = read_source(path)
            module = parse(text, str(path))
            mismatch = _name_mismatch(module, path)
            module = self._link(module)[0]
        except RulesetError as error:
            return error.diagnostics
        except OSError as error:
            return [diagnostic("K802", problem=str(error))]
        checked = check_module(module)
        found_here = [mismatch] if mismatch is not None else []
        periods = with_source(self.overlapping_periods(module.header, str(path)), module.source_text)
        return found_here + checked.diagnostics + periods + _analysis(module, checked)

    def _check_folder(self, folder: Path) -> list[Diagnostic]:
        files = sorted(p for p in folder.rglob("*" + registry.SUFFIX)
                       if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))  # fmt: skip
        if not files:
            return [diagnostic("K810", Span(str(folder), 0, 0), WARNING, path=str(folder))]
        # rulesets of the folder extend and supersede one another: the folder is searched first
        within = Library((folder, *self.folders))
        return [d for path in files for d in within.check(path)]

    def check_text(self, text: str, path: str = "<string>") -> list[Diagnostic]:
        """Every diagnostic of ruleset source text that is not (yet) a file in a folder."""
        try:
            module = self.parse_linked(text, path)
        except RulesetError as error:
            return error.diagnostics
        checked = check_module(module)
        return checked.diagnostics + _analysis(module, checked)


def _analysis(module: Module, checked: CheckedRuleset) -> list[Diagnostic]:
    """The analysis (K5xx) whenever the rules themselves are sound, whatever the examples say.

    A deleted table row makes its examples name a label that no longer exists (K203): the
    gap it leaves is the finding the officer needs, so examples never hold the analysis back.
    """
    if not checked.errors:
        return analyse(checked)
    rules_only = Module(module.header, tuple(d for d in module.declarations if not isinstance(d, ExampleDecl)),
                        module.comments, module.source_text, module.path)  # fmt: skip
    rechecked = check_module(rules_only)
    return [] if rechecked.errors else analyse(rechecked)


def _name_mismatch(module: Module, path: Path) -> Diagnostic | None:
    """K410 when a file named `id@version.kin` declares another id or version in its header."""
    named = registry.named_ref(path)
    declared = f"{module.header.id}@{module.header.version}"
    if named is None or named == declared:
        return None
    return with_source([diagnostic("K410", module.header.span, named=named, declared=declared)], module.source_text)[0]


def _same_file(a: Path, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _period(header: Header) -> str:
    start = header.effective_from.isoformat() if header.effective_from else "…"
    until = header.effective_until.isoformat() if header.effective_until else "…"
    return f"{start} – {until}"


def _overlap(a: Header, b: Header) -> bool:
    low = max(a.effective_from or date.min, b.effective_from or date.min)
    high = min(a.effective_until or date.max, b.effective_until or date.max)
    return low <= high


_DEFAULT = Library()


def default_library() -> Library:
    """The library the module-level functions use: the shipped rulesets and `KINERJA_PATH`."""
    return _DEFAULT


def load(ref: str | Path, *, as_of: date | None = None) -> Ruleset:
    """A ruleset by `id` (newest version), `id@version` or file path, parsed, checked and compiled.

    `as_of` picks the version in force on that day (following `supersedes` either way). A
    second `load` of an unchanged file returns the same `Ruleset` at the cost of a `stat`.
    Raises `RulesetNotFound` or `RulesetError`.
    """
    return _DEFAULT.load(ref, as_of=as_of)


def load_text(text: str, path: str = "<string>") -> Ruleset:
    """A ruleset from source text; `path` is the name its messages give the text."""
    return _DEFAULT.load_text(text, path)


def evaluate(ref: str | Path | Ruleset, record: Mapping[str, Any], *, trace: bool = True) -> Result:
    """Evaluate one record (input name -> value) with a ruleset or a reference to one.

    Raises `InputError` for a record that does not fit the inputs, `EvaluationError` when
    the rules cannot decide it (no row matches, division by zero).
    """
    ruleset = ref if isinstance(ref, Ruleset) else load(ref)
    return ruleset.evaluate(record, trace=trace)


def check(ref: str | Path) -> list[Diagnostic]:
    """Every diagnostic of a ruleset, or of every `.kin` file in a folder: errors and warnings."""
    return _DEFAULT.check(ref)


def check_text(text: str, path: str = "<string>") -> list[Diagnostic]:
    """Every diagnostic of ruleset source text: errors and warnings."""
    return _DEFAULT.check_text(text, path)


def select(ref: str | Path, *, as_of: date | None = None) -> Selection:
    """Which file a reference names (and, with `as_of`, why): nothing is parsed but headers."""
    return _DEFAULT.select(ref, as_of=as_of)


def list_rulesets() -> list[RulesetInfo]:
    """Every ruleset found: id, version, title, source, effective dates and file."""
    return _DEFAULT.list()


__all__ = ["Library", "RulesetInfo", "Selection", "select", "load", "load_text", "evaluate", "check", "check_text", "list_rulesets", "KinerjaError"]
