"""The public entry points: load a ruleset, evaluate, check, list.

`Library` holds the loaded rulesets, cached by fingerprint (and a file's by
fingerprint and path), behind a lock, so a web server's threads can share it. The module-level functions use one
default library; create your own `Library(folders=...)` to add folders.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
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
from kinerja.io.records import file_problem
from kinerja.library import registry
from kinerja.library.ruleset import Ruleset
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.check import check as check_module
from kinerja.semantics.link import link
from kinerja.syntax.canonical import fingerprint as compute_fingerprint
from kinerja.syntax.frozen import dataclass
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
    revises: str | None = None  # the version this one corrects (`revises`)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "version": self.version, "title": self.title, "source": self.source,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "path": self.path, "revises": self.revises,
        }  # fmt: skip


@dataclass(frozen=True)
class CheckReport:
    """What checking ruleset text found, with what each stage made of it (for tools that show more).

    `source` is the file as parsed, `module` the same with the ruleset it `extends` merged in, and
    `checked` the checked module; each is None when the stage before it failed.
    """

    diagnostics: list[Diagnostic]
    source: Module | None = None
    module: Module | None = None
    checked: CheckedRuleset | None = None


@dataclass(frozen=True)
class Selection:
    """Which file a reference chose, and why (for `--as-of`)."""

    ref: str  # id@version
    path: Path
    as_of: date | None = None
    superseded: str | None = None  # the id the reference named, when a successor was chosen
    successor: str | None = None  # the id the reference named, when a predecessor was chosen
    revises: str | None = None  # the version the chosen one corrects (`revises`), when it is a revision

    def note(self, lang: str | None = None) -> str | None:
        if self.as_of is None:
            return None
        via = message("X_AS_OF_VIA", lang, old=self.superseded) if self.superseded else ""
        if self.successor:
            via = message("X_AS_OF_BEFORE", lang, new=self.successor)
        if self.revises:
            via += message("X_AS_OF_REVISION", lang, old=self.revises)
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
        self._by_fingerprint: dict[str, Ruleset] = {}  # fingerprint -> the first ruleset compiled with it
        self._by_source: dict[tuple[str, str], Ruleset] = {}  # (fingerprint, file path) -> Ruleset
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
        mismatch = registry.name_mismatch(path, module.header)
        if mismatch is not None:
            raise RulesetError(with_source([mismatch], module.source_text))
        linked, bases = self._link(module)
        ruleset = self._compiled(linked, str(path), file=True)
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

    def _compiled(self, module: Module, path: str, *, file: bool = False) -> Ruleset:
        """The ruleset of a linked module, compiled once per fingerprint — and per file.

        Text is served from the fingerprint cache: any text with the rules of a ruleset already
        compiled gets that ruleset (a comment more is the same rules). A file is not: the
        fingerprint ignores layout, and a `Ruleset` carries its file's path and text (examples,
        explanations and messages point into them), so a reformatted copy loaded first must not
        stand in for the shipped file. A file's ruleset is keyed by fingerprint and path.
        """
        key = compute_fingerprint(module)
        with self._lock:
            cached = self._by_source.get((key, path)) if file else self._by_fingerprint.get(key)
            shared = self._by_fingerprint.get(key)
        if cached is not None:
            return cached
        ruleset = shared if shared is not None and shared.path == path else Ruleset.from_module(module, path)
        with self._lock:
            if file:
                ruleset = self._by_source.setdefault((key, path), ruleset)
            first = self._by_fingerprint.setdefault(key, ruleset)
        return ruleset if file else first

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
            # the newest version in force: where a revision and the version it corrects are both in
            # force, the revision governs (two versions that are not revisions never overlap: K904)
            for entry in reversed(registry.versions(current, self.folders, known)):
                header = self._header(entry.path)
                if _in_force(header, on):
                    return Selection(entry.ref, entry.path, on, ruleset_id if direction == 1 else None,
                                     ruleset_id if direction == -1 else None, header.revises)  # fmt: skip
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
        """Other versions of the same id whose effective periods overlap this one's.

        A revision (`revises`) may overlap the versions it corrects, directly or through a chain
        of revisions: where both are in force the newer one governs. Any other overlap is K904,
        and a `revises` naming a version the library does not hold is K906.
        """
        found = []
        me = f"{header.id}@{header.version}"
        versions = registry.versions(header.id, self.folders, self._entries())
        # itself is left out by reference and by path (also when its file name names another version: K402)
        headers = {entry.ref: self._header(entry.path) for entry in versions
                   if entry.ref != me and not _same_file(entry.path, span_path)}  # fmt: skip
        headers[me] = header
        if header.revises is not None and header.revises.partition("@")[0] == header.id and header.revises not in headers:
            known = ", ".join(sorted(headers)) or "-"
            found.append(diagnostic("K906", header.span, ref=header.revises, known=known))
        for ref, other in headers.items():
            if ref == me or not _overlap(header, other):
                continue
            if _revises(headers, me, ref) or _revises(headers, ref, me):
                continue
            found.append(diagnostic("K904", header.span, ref=me, period=_period(header),
                                    other=ref, other_period=_period(other)))  # fmt: skip
        return found

    def list(self) -> list[RulesetInfo]:
        """Every ruleset in the folders (shipped ones included), oldest version first within an id."""
        infos = []
        for entry in self._entries():
            header = self._header(entry.path)
            infos.append(RulesetInfo(header.id, header.version, header.title, header.source,
                                     header.effective_from, header.effective_until, str(entry.path), header.revises))  # fmt: skip
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
        except RulesetError as error:
            return error.diagnostics
        except OSError as error:
            return [diagnostic("K802", problem=file_problem(error, str(ref)))]
        return self.check_report(text, str(path), versions=True).diagnostics

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
        return self.check_report(text, path).diagnostics

    def check_report(self, text: str, path: str = "<string>", *, versions: bool = False) -> CheckReport:
        """Check ruleset text and keep what each stage made of it; `versions` also compares the
        effective period with the other versions of the same id in this library's folders (as `check` does)."""
        try:
            source = parse(text, path)
        except RulesetError as error:
            return CheckReport(error.diagnostics)
        try:
            module = self._link(source)[0]
        except RulesetError as error:
            return CheckReport(error.diagnostics, source)
        checked = check_module(module)
        periods: list[Diagnostic] = []
        if versions:  # a file in a folder: its name and the other versions of its id
            mismatch = registry.name_mismatch(Path(path), module.header)
            periods = with_source(([mismatch] if mismatch is not None else []) + self.overlapping_periods(module.header, path), text)
        return CheckReport(checked.diagnostics + periods + _analysis(module, checked), source, module, checked)


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


def _same_file(a: Path, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _period(header: Header) -> str:
    start = header.effective_from.isoformat() if header.effective_from else "…"
    until = header.effective_until.isoformat() if header.effective_until else "…"
    return f"{start} – {until}"


def _revises(headers: dict[str, Header], newer: str, older: str) -> bool:
    """Whether `newer` corrects `older` through a chain of `revises` (each link to a lower version)."""
    seen: set[str] = set()
    current = headers.get(newer)
    while current is not None and current.revises is not None and current.revises not in seen:
        if current.revises == older:
            return True
        seen.add(current.revises)
        current = headers.get(current.revises)
    return False


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


class _WarmRulesets:
    """The rulesets the module-level `evaluate` loaded, by reference, reused while their file is unchanged.

    A reference's stamp is its file's modification time and size, plus — for a reference by id,
    which means "the newest version" — its folder's modification time and KINERJA_PATH, so a new
    version dropped beside it is seen. Checking costs two `stat` calls, not a parse.
    (A ruleset it `extends` is not watched: reload with `kinerja.load` after editing a parent.)
    """

    def __init__(self) -> None:
        self._by_ref: dict[str, tuple[tuple[Any, ...], Ruleset]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _stamp(ref: str, path: str) -> tuple[Any, ...]:
        found = os.stat(path)  # plain strings and os.stat: pathlib would cost more than the evaluation
        stamp: tuple[Any, ...] = (path, found.st_mtime_ns, found.st_size)
        if not registry.is_path(ref) and "@" not in ref:
            stamp += (os.stat(os.path.dirname(path)).st_mtime_ns, os.environ.get("KINERJA_PATH"))
        return stamp

    def get(self, ref: str) -> Ruleset:
        held = self._by_ref.get(ref)  # a dict read is atomic; writes take the lock
        if held is not None:
            stamp, ruleset = held
            try:
                if self._stamp(ref, stamp[0]) == stamp:
                    return ruleset
            except OSError:
                pass
        path = str(select(ref).path)
        stamp = self._stamp(ref, path)
        ruleset = load(path)
        with self._lock:
            self._by_ref[ref] = (stamp, ruleset)
        return ruleset


_WARM = _WarmRulesets()


def evaluate(ref: str | Path | Ruleset, record: Mapping[str, Any], *, trace: bool = False,
             text_values: bool = False, unknown: str = "reject") -> Result:  # fmt: skip
    """Evaluate one record with a ruleset given by id, id@version, path or object.

    Without `trace=True` the result holds the outputs and values but no trace (building the
    trace costs about ten times the evaluation). A ruleset named by reference is loaded once
    and reused while its file is unchanged (checked by modification time and size).
    """
    ruleset = ref if isinstance(ref, Ruleset) else _WARM.get(str(ref))
    return ruleset.evaluate(record, trace=trace, text_values=text_values, unknown=unknown)


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


__all__ = ["Library", "CheckReport", "RulesetInfo", "Selection", "select", "load", "load_text", "evaluate", "check", "check_text", "list_rulesets", "KinerjaError"]
