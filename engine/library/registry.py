"""Where rulesets live: the shipped ones, extra folders, and files named by path.

A ruleset file is named `<id>@<version>.kin`; the registry reads ids and
versions from file names, so finding `pp-30-2019` never parses every file.
Extra folders come from the environment variable KINERJA_PATH (separated by
the OS path separator) or from the `folders` argument.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from importlib import resources
from pathlib import Path

from kinerja.diagnostics.diagnostic import Diagnostic, RulesetNotFound, diagnostic
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.tree import Header

_FILE = re.compile(r"^(?P<id>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)@(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\.kin$")
SUFFIX = ".kin"


@dataclass(frozen=True)
class Entry:
    id: str
    version: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@functools.cache
def shipped_folder() -> Path:
    return Path(str(resources.files("kinerja.rulesets")))


def folders(extra: tuple[str | Path, ...] = ()) -> list[Path]:
    found = [Path(f) for f in extra]
    env = os.environ.get("KINERJA_PATH")
    if env:
        found += [Path(p) for p in env.split(os.pathsep) if p]
    found.append(shipped_folder())
    return found


def entries(extra: tuple[str | Path, ...] = ()) -> list[Entry]:
    """Every ruleset file found, the first folder winning for a repeated id@version."""
    return scan(folders(extra))


def scan(searched: list[Path]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for folder in searched:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*" + SUFFIX)):
            match = _FILE.match(path.name)
            if match:
                entry = Entry(match["id"], match["version"], path)
                seen.setdefault(entry.ref, entry)
    return sorted(seen.values(), key=lambda e: (e.id, version_key(e.version)))


def named_ref(path: Path) -> str | None:
    """`id@version` as a file's name states it (`tpp@2.0.0.kin`), or None for any other name."""
    match = _FILE.match(path.name)
    return f"{match['id']}@{match['version']}" if match else None


class Listing:
    """The registry's entries, read again only when a folder changes (its modification time).

    Kept by a `Library`: a warm `load("pp-30-2019")` costs one `stat` per folder, not a scan.
    """

    def __init__(self) -> None:
        self._key: tuple[tuple[str, int], ...] | None = None
        self._entries: list[Entry] = []
        self._searched: tuple[tuple[tuple[str | Path, ...], str | None], list[Path]] | None = None
        self._lock = threading.Lock()

    def entries(self, extra: tuple[str | Path, ...] = ()) -> list[Entry]:
        wanted = (extra, os.environ.get("KINERJA_PATH"))
        known = self._searched
        if known is not None and known[0] == wanted:
            searched = known[1]
        else:
            searched = folders(extra)
            self._searched = (wanted, searched)
        key = tuple((str(folder), _modified(folder)) for folder in searched)
        with self._lock:
            if key == self._key:
                return self._entries
        found = scan(searched)
        with self._lock:
            self._key, self._entries = key, found
        return found


def _modified(folder: Path) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


def is_path(ref: str) -> bool:
    return ref.endswith(SUFFIX) or os.sep in ref or "/" in ref


def versions(ruleset_id: str, extra: tuple[str | Path, ...] = (), known: list[Entry] | None = None) -> list[Entry]:
    return [e for e in (entries(extra) if known is None else known) if e.id == ruleset_id]


def find(ref: str, extra: tuple[str | Path, ...] = (), known: list[Entry] | None = None) -> Entry | Path:
    """`id` (newest version), `id@version`, or a path to a file (`known`: the entries, if already listed)."""
    if is_path(ref) or os.path.isfile(ref):
        path = Path(ref)
        if not path.is_file():
            raise RulesetNotFound([diagnostic("K804", path=ref)])
        return path
    all_entries = entries(extra) if known is None else known
    if "@" in ref:
        for entry in all_entries:
            if entry.ref == ref:
                return entry
    else:
        matching = [e for e in all_entries if e.id == ref]
        if matching:
            return matching[-1]
    known = ", ".join(sorted({e.id for e in all_entries}))
    raise RulesetNotFound([diagnostic("K801", ref=ref, known=known)])


def name_mismatch(path: Path, header: Header) -> Diagnostic | None:
    """K402 when a file named like `<id>@<version>.kin` holds a different id or version.

    The registry finds rulesets by file name without parsing them, so such a file would be
    served for a reference that its own header (and every result it gives) contradicts.
    A file not named that way is only ever loaded by its path, and is left alone.
    """
    match = _FILE.match(path.name)
    if match is None or (match["id"], match["version"]) == (header.id, header.version):
        return None
    return diagnostic("K402", header.span, file=path.name, id=header.id, version=header.version)
