"""What every route of one service shares: its configuration, rulesets, metrics, decision log.

Its own module, below the routes and the app, so a handler can name the type without
importing the app that mounts it.
"""

from __future__ import annotations

import itertools
import uuid

from .config import ServiceConfig
from .decision_log import DecisionLog
from .library import ServiceLibrary
from .metrics import Metrics


class DecisionIds:
    """Decision ids shaped as UUIDs (version 4): the first 20 hex digits drawn at random when the process
    starts (a UUID4's, version and variant bits included), the last 12 a counter from a random start.
    Unique across worker processes and restarts, and cheap (a UUID4 per decision costs a system call)."""

    def __init__(self) -> None:
        head = uuid.uuid4().hex
        self._prefix = f"{head[:8]}-{head[8:12]}-{head[12:16]}-{head[16:20]}-"
        self._next = itertools.count(int(head[20:24], 16) << 32).__next__  # the last 12 hex digits count

    def __call__(self) -> str:
        return self._prefix + format(self._next() & 0xFFFFFFFFFFFF, "012x")


class Service:
    """What every route shares; one per app (per worker process)."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self.limits = config.limits
        self.library = ServiceLibrary(config.rules)
        self.metrics = Metrics()
        self.new_id = DecisionIds()  # per process: each worker draws its own random part
        self.log = DecisionLog(config.decision_log, config.mask, config.salt, config.salt_id) if config.decision_log else None

    def close(self) -> None:
        if self.log is not None:
            self.log.close()
