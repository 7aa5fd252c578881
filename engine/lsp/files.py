"""Other files a document points into (the ruleset it extends): their text and URI.

A base ruleset's spans are in characters like every engine span; turning them into the
client's units needs the line they are on, so the file is read (once per modification).
An open document's own text wins over the file on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from kinerja.lsp.text import Text
from pygls.uris import from_fs_path, to_fs_path


def uri_of(path: str) -> str:
    """The URI of a path; a name that is already a URI (an unsaved buffer) stays as it is."""
    if "://" in path or path.startswith("untitled:"):
        return path
    return from_fs_path(os.path.abspath(path)) or path


def path_of(uri: str) -> str:
    return to_fs_path(uri) or uri


class Files:
    """Texts of files by path, open documents first; a file is read again only when it changes."""

    def __init__(self, encoding: Callable[[], str], open_text: Callable[[str], Text | None]):
        self._encoding = encoding
        self._open_text = open_text
        self._read: dict[str, tuple[float, str, Text | None]] = {}

    def text(self, path: str) -> Text | None:
        opened = self._open_text(path)
        if opened is not None:
            return opened
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        encoding = self._encoding()
        known = self._read.get(path)
        if known is not None and known[0] == mtime and known[1] == encoding:
            return known[2]
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                text: Text | None = Text(handle.read(), encoding)
        except (OSError, UnicodeDecodeError):
            text = None
        self._read[path] = (mtime, encoding, text)
        return text
