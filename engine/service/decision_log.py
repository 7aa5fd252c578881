"""The decision log: one JSON line per decision, appended whole, never interleaved across workers.

Each line is built in memory and written with one `write()` on a descriptor
opened with O_APPEND, under an exclusive `flock` on the same file: the kernel
places every append at the end, and the lock makes the one write (retried if
the kernel takes only part of it) the only writer at that moment, so lines
from concurrent requests and from the other worker processes never mix. A
request's lines are written before its response is sent (the log is the
record of what was answered); a crash loses at most the request in flight.

Masking (`--mask FIELD`) replaces the value of that field, in the input and
in the subject, by `hmac-sha256:<hex>` of the value's canonical JSON text
keyed by the service's salt: equal values give equal hashes within a log
written with one salt (auditors can still correlate the decisions of one
employee), and without the salt a hash cannot be turned back into a NIP by
trying every NIP.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from kinerja.semantics.values import to_json


class DecisionLog:
    """Appends decisions to one file; share one per process (each worker opens its own descriptor)."""

    def __init__(self, path: str, mask: Iterable[str] = (), salt: str = "", salt_id: str = ""):
        self.path = path
        self.mask = frozenset(mask)
        self._key = bytes.fromhex(salt) if salt else b""
        self._salt_id = salt_id
        # O_APPEND: every write lands at the end of the file, whoever else appends
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)

    def close(self) -> None:
        os.close(self._fd)

    # ------------------------------------------------------------------ masking
    def masked(self, values: Mapping[str, Any] | None) -> tuple[Any, list[str]]:
        """`values` with the masked fields replaced by their salted hash, and which fields were masked."""
        if not self.mask or not isinstance(values, Mapping):
            return values, []
        hidden = [name for name in values if name in self.mask]
        if not hidden:
            return values, []
        out = dict(values)
        for name in hidden:
            out[name] = self.hash(values[name])
        return out, hidden

    def hash(self, value: Any) -> str:
        text = to_json(value, indent=None).encode("utf-8")
        return "hmac-sha256:" + hmac.new(self._key, text, hashlib.sha256).hexdigest()

    # ------------------------------------------------------------------ lines
    def entry(self, decision_id: str, ruleset: Mapping[str, str], as_of: str | None, record: Any,
              outputs: Any = None, errors: Any = None, subject: Mapping[str, Any] | None = None,
              time: str | None = None) -> str:  # fmt: skip
        """One decision as its log line (without the newline); `outputs` are JSON-ready values or a JSON text."""
        record, masked = self.masked(record)
        subject, masked_subject = self.masked(subject)
        line: dict[str, Any] = {"decision_id": decision_id, "time": time or utc_now(), "ruleset": dict(ruleset), "as_of": as_of,
                                "input": record}  # fmt: skip
        if subject:
            line["subject"] = subject
        if masked or masked_subject:
            line["masked"] = [*masked, *masked_subject]
            line["salt_id"] = self._salt_id
        text = to_json(line, indent=None)[:-1]  # outputs last: they may come as JSON text already written
        if errors is not None:
            return text + ', "outputs": null, "errors": ' + to_json(errors, indent=None) + "}"
        shown = outputs if isinstance(outputs, str) else to_json(outputs, indent=None)
        return text + ', "outputs": ' + shown + "}"

    def entries(self, decision_ids: Sequence[str], ruleset: Mapping[str, str], as_of: str | None, records: Sequence[Any],
                outputs: Sequence[str | None], errors: Mapping[int, Any], subjects: Sequence[Any] | None = None) -> list[str]:  # fmt: skip
        """The lines of many decisions made together (a batch): what `entry` writes for each, with the
        members they share (time, ruleset, as_of) written once. `outputs[i]` is JSON text, or None where
        `errors[i]` holds the errors."""
        time = utc_now()
        shared = ('", "time": "' + time + '", "ruleset": ' + to_json(dict(ruleset), indent=None) + ', "as_of": '
                  + to_json(as_of, indent=None) + ', "input": ')  # fmt: skip
        lines = []
        for index, record in enumerate(records):
            subject = subjects[index] if subjects is not None else None
            if self.mask or subject:
                lines.append(self.entry(decision_ids[index], ruleset, as_of, record, outputs[index], errors.get(index),
                                        subject, time))  # fmt: skip
                continue
            line = '{"decision_id": "' + decision_ids[index] + shared + to_json(record, indent=None)
            failure = errors.get(index)
            if failure is not None:
                lines.append(line + ', "outputs": null, "errors": ' + to_json(failure, indent=None) + "}")
            else:
                lines.append(line + ', "outputs": ' + str(outputs[index]) + "}")
        return lines

    def write(self, lines: Iterable[str]) -> None:
        """Append lines (each one decision); one write under the lock, so nothing interleaves."""
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if not data:
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["DecisionLog", "utc_now"]
