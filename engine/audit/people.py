"""The per-person table of `kinerja impact -o FILE`: one row per population row, in order.

Columns: the row's id, its group (with `--group-by`), then for every compared
output its old and new value (`predikat.old`, `predikat.new`), the outputs that
changed, the diff items that moved the person (`4:nkp_kalibrasi`, numbered as in
the diff's JSON `id`), and the error of a row a version rejected. Written through
`kinerja.io.tabular` (CSV, JSONL, XLSX by extension) into a temporary file that is
moved into place only when complete, like `kinerja batch`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kinerja.io.tabular import LABEL, NUMBER, OTHER, Writer, format_of, open_writer

FLUSH = 10_000


class PersonTable:
    def __init__(self, path: str | Path, outputs: Sequence[tuple[str, str]], group_by: str | None):
        """`outputs`: (name, kind) with kind one of figures' label/number/boolean/other."""
        self.target = Path(path).resolve()
        kind = format_of(self.target)
        self.outputs = [name for name, _ in outputs]
        leading = ["id"] + ([group_by] if group_by else [])
        self.grouped = group_by is not None
        header = leading + [f"{name}.{side}" for name in self.outputs for side in ("old", "new")] + ["changed", "moved_by", "error"]
        kinds = [k for _, k in outputs for _ in (0, 1)]
        writer_kinds = [NUMBER if k == "number" else LABEL if k == "label" else OTHER for k in kinds] + [OTHER, OTHER]
        handle, self.temporary = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent)
        os.close(handle)
        self.writer: Writer = open_writer(self.temporary, kind, header, len(leading), writer_kinds)
        self.width = 2 * len(self.outputs) + 2
        self._rows: list[list[Any]] = []
        self._columns: list[list[str]] = [[] for _ in range(self.width)]
        self._errors: list[str] = []

    def add(self, row_id: Any, group: str | None, values: Sequence[tuple[str, str]], changed: Sequence[str],
            moved_by: str, error: str) -> None:  # fmt: skip
        """One person: (old text, new text) per output, '' where absent or invalid."""
        self._rows.append([str(row_id)] + ([group or ""] if self.grouped else []))
        cells = [x for pair in values for x in pair] + [", ".join(changed), moved_by]
        for column, cell in zip(self._columns, cells, strict=True):
            column.append(cell)
        self._errors.append(error)
        if len(self._rows) >= FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self.writer.write(self._rows, self._columns, self._errors)
        self._rows, self._columns, self._errors = [], [[] for _ in range(self.width)], []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        publish(self.temporary, self.target)

    def abort(self) -> None:
        self.writer.abort()
        Path(self.temporary).unlink(missing_ok=True)


def publish(temporary: str | Path, target: Path) -> None:
    """Move a finished temporary file into place with the permissions a new file gets (mkstemp makes it 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    os.replace(temporary, target)


__all__ = ["PersonTable", "publish"]
