"""The user's private on-disk cache: parsed rulesets and the parser's own tables.

A warm `kinerja eval` reads a parsed syntax tree instead of parsing again, and
the LALR tables instead of building them. Both are pickles, and unpickling
runs code, so nothing is unpickled unless it provably came from this user:

- the folder is private: `$XDG_CACHE_HOME/kinerja` (else `~/.cache/kinerja`),
  created mode 0700; a folder owned by another user, or not a directory, is
  never used (one we own with looser permissions is tightened first);
- every entry carries an HMAC-SHA256 tag made with a random per-user key kept
  in that folder (mode 0600, owned by the user); an entry whose tag does not
  verify, that another user owns, or that is truncated is ignored and removed;
- the folder is bounded: at most `MAX_ENTRIES` entries and `MAX_BYTES` bytes,
  the least recently used removed first (a hit refreshes an entry's time).

`KINERJA_NO_CACHE=1` turns the cache off. Any problem with the folder (a
read-only home, a full disk) only costs speed: the cache is never needed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path

MAX_ENTRIES = 256
MAX_BYTES = 64 * 1024 * 1024
_MAGIC = b"KINERJA\x01"
_TAG = 32  # bytes of an HMAC-SHA256 tag
_SUFFIX = ".kc"
_KEY_FILE = "key"
_STALE = 3600  # seconds after which a leftover temporary file is removed


def _owned_by_me(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


@dataclass(frozen=True)
class Cache:
    """One private cache folder and the key its entries are signed with."""

    folder: Path
    key: bytes
    max_entries: int = MAX_ENTRIES
    max_bytes: int = MAX_BYTES

    def _path(self, name: str) -> Path:
        return self.folder / (hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest() + _SUFFIX)

    def _tag(self, name: str, payload: bytes) -> bytes:
        return hmac.new(self.key, name.encode("utf-8", "surrogatepass") + b"\0" + payload, hashlib.sha256).digest()

    def get(self, name: str) -> bytes | None:
        """The payload stored under `name`, if it is there and provably ours; else None."""
        path = self._path(name)
        try:
            with path.open("rb") as handle:
                if not _owned_by_me(os.fstat(handle.fileno())):
                    return None
                data = handle.read()
        except OSError:
            return None
        head = len(_MAGIC) + _TAG
        if len(data) < head or not data.startswith(_MAGIC):
            self._discard(path)
            return None
        tag, payload = data[len(_MAGIC) : head], data[head:]
        if not hmac.compare_digest(tag, self._tag(name, payload)):
            self._discard(path)  # planted, corrupt, or signed with an older key
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used goes first
        return payload

    def put(self, name: str, payload: bytes) -> None:
        """Store `payload` under `name` (atomically), then keep the folder within its bounds."""
        path = self._path(name)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + self._tag(name, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        self.prune()

    def prune(self) -> None:
        """Remove the least recently used entries beyond the bounds, and leftovers of older versions."""
        entries: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return
        for item in listing:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(_SUFFIX) and stat.S_ISREG(info.st_mode):
                entries.append((info.st_mtime, info.st_size, Path(item.path)))
            elif item.name.endswith(".pickle") or (item.name.endswith(".tmp") and now - info.st_mtime > _STALE):
                self._discard(Path(item.path))  # the unsigned cache of earlier versions, or a crashed write
        entries.sort(key=lambda entry: entry[0])
        total = sum(size for _, size, _ in entries)
        while entries and (len(entries) > self.max_entries or total > self.max_bytes):
            _, size, oldest = entries.pop(0)
            self._discard(oldest)
            total -= size

    @staticmethod
    def _discard(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


def cache_folder() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "kinerja"


def open_cache() -> Cache | None:
    """The user's cache, or None when it is turned off or its folder cannot be trusted."""
    if os.environ.get("KINERJA_NO_CACHE"):
        return None
    return _open(str(cache_folder()))


@functools.lru_cache(maxsize=8)
def _open(folder: str) -> Cache | None:
    path = Path(folder)
    if not _private_folder(path):
        return None
    key = _key(path / _KEY_FILE)
    return Cache(path, key) if key is not None else None


def _private_folder(path: Path) -> bool:
    """True when `path` is a directory only this user can read or write (made so if we own it)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not _owned_by_me(info):
        return False
    if hasattr(os, "getuid") and info.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
            info = os.stat(path)
        except OSError:
            return False
        if info.st_mode & 0o077:
            return False
    return True


def _key(path: Path) -> bytes | None:
    """The per-user signing key: read if it is ours and private, else made anew."""
    for _ in range(2):
        try:
            with path.open("rb") as handle:
                info = os.fstat(handle.fileno())
                key = handle.read()
            if _owned_by_me(info) and not (hasattr(os, "getuid") and info.st_mode & 0o077) and len(key) == 32:
                return key
            path.unlink()  # not ours, readable by others, or damaged: never sign with it
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            handle_no = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue  # another process made it first: read theirs
        except OSError:
            return None
        key = secrets.token_bytes(32)
        with os.fdopen(handle_no, "wb") as out:
            out.write(key)
        return key
    return None
