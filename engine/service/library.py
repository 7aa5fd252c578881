"""The rulesets a service answers with: found by reference, loaded once, reloaded when their file changes.

A reference in a URL is only ever an `id` or `id@version` (never a path: a
request cannot make the service read a file outside its folders). The folder
listing is kept until a folder's modification time changes (a file added,
removed or renamed); a loaded ruleset is kept until its file's modification
time or size changes, so a ruleset saved into a `--rules` folder is answered
with its new text. Folders and files are looked at again at most every
`RECHECK` seconds (a `stat` per request would cost more than the decision).
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kinerja.diagnostics.diagnostic import RulesetNotFound, diagnostic
from kinerja.library import registry
from kinerja.library.api import Library, Selection
from kinerja.library.ruleset import Ruleset
from kinerja.library.scoring import RecordScorer
from kinerja.semantics.values import to_json

REFERENCE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:@\d+\.\d+\.\d+)?")
_KEPT = 256  # loaded rulesets, column plans and as-of choices kept at most (oldest dropped first)
RECHECK = 1.0  # seconds between looks at the folders and files for changes


@dataclass(frozen=True)
class Listed:
    """One ruleset file as `GET /v1/rulesets` lists it."""

    entry: registry.Entry
    ruleset: Ruleset

    def to_dict(self) -> dict[str, object]:
        r = self.ruleset
        header = r.module.header
        return {
            "id": r.id, "version": r.version, "title": r.title, "source": header.source,
            "effective_from": r.effective_from.isoformat() if r.effective_from else None,
            "effective_until": r.effective_until.isoformat() if r.effective_until else None,
            "supersedes": header.supersedes, "fingerprint": r.fingerprint,
            "shipped": self.entry.path.parent == registry.shipped_folder(),
        }  # fmt: skip


def _stamp(path: Path) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_mtime_ns, found.st_size


class ServiceLibrary:
    """Thread-safe: the service's worker threads (batch, impact) share it with the event loop."""

    def __init__(self, folders: tuple[str, ...] = (), recheck: float = RECHECK):
        self.library = Library(tuple(folders))
        self.recheck = recheck
        self._folders = registry.folders(self.library.folders)  # KINERJA_PATH is read once, at start
        self._lock = threading.Lock()
        self._folders_seen: tuple[tuple[str, int], ...] = ()
        self._folders_at = -1e9
        self._entries: list[registry.Entry] = []
        self._loaded: dict[str, tuple[tuple[int, int], Ruleset, float]] = {}
        self._scorers: dict[str, RecordScorer] = {}
        self._ref_texts: dict[str, str] = {}
        self._as_of: dict[tuple[str, date], Selection] = {}
        # (reference, as_of) -> (when, ruleset, selection): the answer of the last RECHECK seconds
        self._resolved: dict[tuple[str, date | None], tuple[float, Ruleset, Selection | None]] = {}

    # ------------------------------------------------------------------ files
    def entries(self) -> list[registry.Entry]:
        now = time.monotonic()
        if now - self._folders_at < self.recheck:
            return self._entries
        seen = tuple((str(f), os.stat(f).st_mtime_ns if f.is_dir() else -1) for f in self._folders)
        with self._lock:
            self._folders_at = now
            if seen == self._folders_seen:
                return self._entries
        entries = registry.entries(self.library.folders)
        with self._lock:
            self._folders_seen, self._entries = seen, entries
            self._as_of.clear()  # a new or removed version may change which one is in force
        return entries

    def load(self, path: Path) -> Ruleset:
        """The ruleset in a file, loaded once per content (by modification time and size)."""
        key = str(path)
        now = time.monotonic()
        cached = self._loaded.get(key)
        if cached is not None and now - cached[2] < self.recheck:
            return cached[1]
        stamp = _stamp(path)
        if cached is not None and cached[0] == stamp:
            with self._lock:
                self._loaded[key] = (stamp, cached[1], now)
            return cached[1]
        ruleset = self.library.load_text(path.read_text(encoding="utf-8"), key)
        with self._lock:
            if len(self._loaded) >= _KEPT and key not in self._loaded:
                self._loaded.pop(next(iter(self._loaded)))
            self._loaded[key] = (stamp, ruleset, now)
        return ruleset

    # ------------------------------------------------------------------ references
    def known(self) -> str:
        return ", ".join(sorted({e.id for e in self.entries()}))

    def resolve(self, ref: str, as_of: date | None = None) -> tuple[Ruleset, Selection | None]:
        """`id` (newest, or in force on `as_of`) or `id@version`; RulesetNotFound (K801/K803) otherwise."""
        key = (ref, as_of)
        found = self._resolved.get(key)
        now = time.monotonic()
        if found is not None and now - found[0] < self.recheck:
            return found[1], found[2]
        ruleset, selection = self._resolve(ref, as_of)
        if len(self._resolved) >= _KEPT:
            self._resolved = {}
        self._resolved[key] = (now, ruleset, selection)
        return ruleset, selection

    def _resolve(self, ref: str, as_of: date | None) -> tuple[Ruleset, Selection | None]:
        entries = self.entries()
        if not REFERENCE.fullmatch(ref):
            raise RulesetNotFound([diagnostic("K801", ref=ref, known=self.known())])
        ruleset_id, _, version = ref.partition("@")
        versions = [e for e in entries if e.id == ruleset_id]
        if not versions:
            raise RulesetNotFound([diagnostic("K801", ref=ref, known=self.known())])
        if as_of is not None and not version:
            selection = self._selected(ruleset_id, as_of)
            return self.load(selection.path), selection
        if version:
            chosen = [e for e in versions if e.version == version]
            if not chosen:
                raise RulesetNotFound([diagnostic("K801", ref=ref, known=", ".join(e.ref for e in versions))])
            return self.load(chosen[0].path), None
        return self.load(versions[-1].path), None

    def _selected(self, ruleset_id: str, as_of: date) -> Selection:
        key = (ruleset_id, as_of)
        with self._lock:
            found = self._as_of.get(key)
        if found is None:
            found = self.library.select(ruleset_id, as_of=as_of)  # the CLI's --as-of: succession either way
            with self._lock:
                if len(self._as_of) >= _KEPT:
                    self._as_of.pop(next(iter(self._as_of)))
                self._as_of[key] = found
        return found

    def listed(self) -> list[Listed]:
        """Every version of every ruleset; a file that does not load is left out (`kinerja check` says why)."""
        found = []
        for entry in self.entries():
            try:
                found.append(Listed(entry, self.load(entry.path)))
            except Exception:  # noqa: BLE001 - a broken file must not take the listing down
                continue
        return found

    def ref_text(self, ruleset: Ruleset) -> str:
        """`{"id", "version", "fingerprint"}` as JSON text, written once per ruleset."""
        found = self._ref_texts.get(ruleset.fingerprint)
        if found is None:
            if len(self._ref_texts) >= _KEPT:
                self._ref_texts = {}
            found = self._ref_texts[ruleset.fingerprint] = to_json(ruleset.ref.to_dict(), indent=None)
        return found

    # ------------------------------------------------------------------ scoring many
    def scorer(self, ruleset: Ruleset) -> RecordScorer:
        """The column plan of a ruleset, compiled once per fingerprint."""
        with self._lock:
            found = self._scorers.get(ruleset.fingerprint)
        if found is None:
            found = RecordScorer(ruleset)
            with self._lock:
                if len(self._scorers) >= _KEPT:
                    self._scorers.pop(next(iter(self._scorers)))
                self._scorers[ruleset.fingerprint] = found
        return found


__all__ = ["REFERENCE", "Listed", "ServiceLibrary"]
