"""Ruleset text from bytes: one reading rule for every command and the API.

A ruleset file is UTF-8, with or without a byte-order mark. A file in
another encoding (Notepad's "ANSI", Windows-1252) is a positioned error that
names the first byte that cannot be read and says to save the file as UTF-8;
a file over the size limit is refused before it is read whole. Line ends may
be LF or CRLF: the text is normalised to LF, and every stage (the parser,
comments, the formatter, the caret under an error) counts lines at LF only.
"""

from __future__ import annotations

import os
from pathlib import Path

from kinerja.diagnostics.diagnostic import Diagnostic, RulesetError, Suggestion, diagnostic
from kinerja.syntax.limits import LIMITS
from kinerja.syntax.tree import Span

BOM = "\ufeff"
_BOM_BYTES = BOM.encode("utf-8")


def normalise(text: str) -> str:
    """The text as the parser reads it: no leading byte-order mark, CRLF line ends read as LF.

    Only LF ends a line, for every stage alike: a lone CR (or U+2028, or a form feed) is
    blank space between words and an ordinary character inside a comment or a quoted text.
    """
    if text.startswith(BOM):
        text = text[1:]
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text


def read_source(path: str | Path, *, keep_layout: bool = False) -> str:
    """The text of a ruleset file; `RulesetError` (K030, K020) if it is too large or not UTF-8.

    A leading byte-order mark is dropped unless `keep_layout` (the formatter wants to see it,
    to remove it). An unreadable or missing file raises `OSError`, as `open` would.
    """
    path = Path(path)
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(LIMITS.source_bytes + 1)
    if size > LIMITS.source_bytes or len(data) > LIMITS.source_bytes:
        raise RulesetError([too_large(data, max(size, len(data)), str(path))])
    return decode(data, str(path), keep_layout=keep_layout)


def decode(data: bytes, path: str = "<string>", *, keep_layout: bool = False) -> str:
    """UTF-8 text from bytes (a leading BOM dropped), else a K020 error at the first bad byte."""
    if data.startswith(_BOM_BYTES) and not keep_layout:
        data = data[len(_BOM_BYTES) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RulesetError([_not_utf8(data, error.start, path)]) from None


def _not_utf8(data: bytes, at: int, path: str) -> Diagnostic:
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8")) + 1  # the bytes before `at` are valid UTF-8
    line_end = data.find(b"\n", at)
    shown = data[line_start : line_end if line_end >= 0 else len(data)].decode("utf-8", errors="replace")
    found = diagnostic("K020", Span(path, line, column, line, column + 1), suggestion=Suggestion("S_save_utf8", ()),
                       byte=f"0x{data[at]:02X}")  # fmt: skip
    return Diagnostic(found.code, found.severity, found.span, found.args, found.suggestion, None, shown.rstrip("\r"))


def too_large(data: bytes | str, size: int, path: str) -> Diagnostic:
    """K030 at the line where the size limit is crossed."""
    head = data[: LIMITS.source_bytes]
    newline = b"\n" if isinstance(head, bytes) else "\n"
    line = head.count(newline) + 1  # type: ignore[arg-type]
    return diagnostic("K030", Span(path, line, 1, line, 2), suggestion=Suggestion("S_split_file", ()),
                      size=size, limit=LIMITS.source_bytes)  # fmt: skip
