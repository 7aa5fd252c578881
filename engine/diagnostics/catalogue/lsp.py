"""Language server (L_*): hover labels, code action and code lens titles, completion details."""

MESSAGES: dict[str, dict[str, str]] = {}
