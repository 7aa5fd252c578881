"""Two small stages for the batch: read ahead, and write behind, each in one background thread.

Arrow parses CSV and Parquet, and computes most of an output's text, without holding the
GIL, so on a machine with two cores reading the next chunk and writing the previous one
overlap with scoring the current one. Each stage keeps the order of its items and holds at
most one item ahead (memory stays bounded), and an exception in a stage — a broken file, a
full disk, an interrupt — is raised again in the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")
_DONE = object()
_POLL = 0.1  # seconds between looks at the stop flag while a queue is full


def read_ahead(items: Iterator[Item]) -> Iterator[Item]:
    """The same items in the same order, the next one produced in a background thread meanwhile."""
    slot: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: Any) -> bool:
        """Hand one item over, unless the consumer has gone."""
        while not stop.is_set():
            try:
                slot.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            put(_Failure(error))

    worker = threading.Thread(target=produce, name="kinerja-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = slot.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()


class _Failure:
    def __init__(self, error: BaseException):
        self.error = error


class Background:
    """Calls `work(*args)` for each call of the instance, in order, in one background thread.

    Use as a context manager: leaving it waits for the queued calls and raises the first
    exception a call raised (also raised by the next call made after it happened).
    """

    def __init__(self, work: Callable[..., Any]):
        self._work = work
        self._slot: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kinerja-write-behind", daemon=True)

    def _run(self) -> None:
        while True:
            args = self._slot.get()
            if args is _DONE:
                return
            if self._error is not None:
                continue  # after a failure the remaining calls are dropped
            try:
                self._work(*args)
            except BaseException as error:
                self._error = error

    def __call__(self, *args: Any) -> None:
        if self._error is not None:
            raise self._error
        self._slot.put(args)

    def __enter__(self) -> Background:
        self._thread.start()
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        self._slot.put(_DONE)
        self._thread.join()
        if self._error is not None and error is None:
            raise self._error


__all__ = ["Background", "read_ahead"]
