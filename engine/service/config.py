"""How a service is set up: rule folders, decision log, masking, limits; passed to worker processes intact.

`kinerja serve --workers N` runs N uvicorn worker processes, each building its
own app from the same `ServiceConfig`: the parent writes it into the
environment (`KINERJA_SERVE_CONFIG`, JSON) and each worker reads it back, so
every worker masks with the same salt and appends to the same log.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

CONFIG_VARIABLE = "KINERJA_SERVE_CONFIG"
SALT_VARIABLE = "KINERJA_MASK_SALT"

MAX_BODY = 32 * 1024 * 1024  # a 100,000-row CSV of a ruleset with a dozen inputs fits
MAX_BATCH = 100_000  # records (or rows) in one batch or impact request
MAX_RULESET = 1024 * 1024  # bytes of ruleset text in check, diff and impact
BODY_SECONDS = 30.0  # a client that has not sent its whole body by then is answered 408


@dataclass(frozen=True)
class Limits:
    max_body: int = MAX_BODY
    max_batch: int = MAX_BATCH
    max_ruleset: int = MAX_RULESET
    body_seconds: float = BODY_SECONDS


@dataclass(frozen=True)
class ServiceConfig:
    rules: tuple[str, ...] = ()  # folders of `<id>@<version>.kin` files, searched before the shipped ones
    decision_log: str | None = None
    mask: tuple[str, ...] = ()  # field names whose values the decision log replaces by a salted hash
    salt: str = field(default="", repr=False)  # hex; from KINERJA_MASK_SALT, else random per server start
    limits: Limits = Limits()
    allow_origins: tuple[str, ...] = ()  # browser origins allowed to call the service (CORS); none by default

    @property
    def salt_id(self) -> str:
        """Names the salt without revealing it: lines with the same salt_id hash equal values equally."""
        return hashlib.sha256(bytes.fromhex(self.salt) if self.salt else b"").hexdigest()[:12]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        raw = json.loads(text)
        return cls(tuple(raw["rules"]), raw["decision_log"], tuple(raw["mask"]), raw["salt"], Limits(**raw["limits"]),
                   tuple(raw.get("allow_origins", ())))  # fmt: skip

    @classmethod
    def from_environment(cls) -> ServiceConfig:
        text = os.environ.get(CONFIG_VARIABLE)
        return cls.from_json(text) if text else cls()


def mask_salt(environment: dict[str, str] | None = None) -> tuple[str, bool]:
    """The masking salt as hex, and whether it came from KINERJA_MASK_SALT (else it is random for this run).

    An operator keeps one salt for the life of a log (in the secret store, given through the
    environment) so that one NIP hashes to one value across restarts; the salt never enters the log.
    """
    given = (environment if environment is not None else os.environ).get(SALT_VARIABLE, "")
    if given:
        return hashlib.sha256(given.encode("utf-8")).hexdigest(), True
    return secrets.token_hex(32), False


def resolved(folders: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(Path(f).resolve()) for f in folders)


__all__ = ["CONFIG_VARIABLE", "Limits", "SALT_VARIABLE", "ServiceConfig", "mask_salt", "resolved"]
