"""Counters and a latency histogram, exposed in the Prometheus text format (version 0.0.4).

Kept per process: with `--workers N` each worker answers /metrics with its own
figures and a `pid` label, so a scraper that sums over pids sees the service.
No library registry, no global state: each app owns its `Metrics`.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from itertools import accumulate

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, str]] = Counter()  # (method, route, status)
        self.decisions: Counter[tuple[str, str]] = Counter()  # (ruleset id@version, ok|invalid)
        self.errors: Counter[tuple[str, str]] = Counter()  # (route, code)
        self._buckets: dict[str, list[int]] = {}  # route -> count per bucket (not cumulative), then over the last
        self._sum: Counter[str] = Counter()
        self.pid = str(os.getpid())

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            counts = self._buckets.get(route)
            if counts is None:
                counts = self._buckets[route] = [0] * (len(BUCKETS) + 1)
            counts[bisect_left(BUCKETS, seconds)] += 1  # the first bucket whose bound is >= seconds (or +Inf)
            self._sum[route] += seconds

    def decided(self, ruleset: str, ok: int, invalid: int = 0) -> None:
        with self._lock:
            if ok:
                self.decisions[(ruleset, "ok")] += ok
            if invalid:
                self.decisions[(ruleset, "invalid")] += invalid

    def error(self, route: str, code: str) -> None:
        with self._lock:
            self.errors[(route, code)] += 1

    def text(self) -> str:
        pid = ("pid", self.pid)
        lines = ["# HELP kinerja_requests_total HTTP requests answered, by method, route and status.",
                 "# TYPE kinerja_requests_total counter"]  # fmt: skip
        with self._lock:
            for (method, route, status), count in sorted(self.requests.items()):
                lines.append(f"kinerja_requests_total{_labels([pid, ('method', method), ('route', route), ('status', status)])} {count}")
            lines += ["# HELP kinerja_decisions_total Records decided (ok) or rejected as invalid, by ruleset.",
                      "# TYPE kinerja_decisions_total counter"]  # fmt: skip
            for (ruleset, outcome), count in sorted(self.decisions.items()):
                lines.append(f"kinerja_decisions_total{_labels([pid, ('ruleset', ruleset), ('outcome', outcome)])} {count}")
            lines += ["# HELP kinerja_errors_total Error answers, by route and error code.", "# TYPE kinerja_errors_total counter"]
            for (route, code), count in sorted(self.errors.items()):
                lines.append(f"kinerja_errors_total{_labels([pid, ('route', route), ('code', code)])} {count}")
            lines += ["# HELP kinerja_request_duration_seconds Time from request to response, by route.",
                      "# TYPE kinerja_request_duration_seconds histogram"]  # fmt: skip
            for route, counts in sorted(self._buckets.items()):
                for bound, count in zip([*map(str, BUCKETS), "+Inf"], accumulate(counts), strict=True):
                    lines.append(f"kinerja_request_duration_seconds_bucket{_labels([pid, ('route', route), ('le', bound)])} {count}")
                lines.append(f"kinerja_request_duration_seconds_sum{_labels([pid, ('route', route)])} {self._sum[route]:.6f}")
                lines.append(f"kinerja_request_duration_seconds_count{_labels([pid, ('route', route)])} {sum(counts)}")
        return "\n".join(lines) + "\n"


__all__ = ["BUCKETS", "Metrics"]
