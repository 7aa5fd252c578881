"""`kinerja serve`: the HTTP decision service (kinerja.service), started with uvicorn.

Exit codes: 0 when stopped (Ctrl-C, SIGTERM), 1 when the decision log cannot be
opened, 2 for a usage error (a --rules folder that does not exist).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from kinerja.diagnostics.messages import default_language, message
from kinerja.service.config import (
    BODY_SECONDS,
    CONFIG_VARIABLE,
    MAX_BATCH,
    MAX_BODY,
    MAX_RULESET,
    Limits,
    ServiceConfig,
    mask_salt,
)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface, for apps on other machines).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--rules", "rules", multiple=True, metavar="DIR", help="Folder of <id>@<version>.kin files (repeatable).")
@click.option("--decision-log", "decision_log", default=None, metavar="FILE",
              help="Append every decision to FILE as one JSON line.")
@click.option("--mask", "mask", multiple=True, metavar="FIELD",
              help="Log FIELD (of the input or subject) as a salted hash (repeatable).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="Let a browser page from ORIGIN call the service (CORS), e.g. https://ekinerja.example.go.id.")
@click.option("--max-body", "max_body", default=MAX_BODY, show_default=True, type=click.IntRange(1), metavar="BYTES")
@click.option("--max-batch", "max_batch", default=MAX_BATCH, show_default=True, type=click.IntRange(1), metavar="N")
@click.option("--body-timeout", "body_seconds", default=BODY_SECONDS, show_default=True, type=click.FloatRange(0.1),
              metavar="SECONDS", help="Answer 408 to a client that has not sent its whole body by then.")
@click.option("--max-ruleset", "max_ruleset", default=MAX_RULESET, show_default=True, type=click.IntRange(1), metavar="BYTES")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, rules: tuple[str, ...], decision_log: str | None,
                  mask: tuple[str, ...], workers: int, allow_origins: tuple[str, ...], max_body: int, max_batch: int,
                  body_seconds: float, max_ruleset: int) -> None:  # fmt: skip
    """HTTP decision service over the shipped rulesets and --rules, with a decision log."""
    import uvicorn

    lang = (ctx.obj or {}).get("lang") or default_language()
    for folder in rules:
        if not Path(folder).is_dir():
            raise click.UsageError(message("S_RULES_DIR", lang, path=folder), ctx)
    log_path = None
    if decision_log is not None:
        log_path = str(Path(decision_log).resolve())
        try:
            os.close(os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640))
        except OSError as error:
            click.echo(message("S_LOG_OPEN", lang, path=decision_log, problem=error.strerror or str(error)), err=True)
            sys.exit(1)
    salt, given = mask_salt()
    config = ServiceConfig(tuple(str(Path(f).resolve()) for f in rules), log_path, mask, salt,
                           Limits(max_body, max_batch, max_ruleset, body_seconds), allow_origins)  # fmt: skip
    if mask and not given:
        click.echo(message("S_MASK_SALT", lang, salt_id=config.salt_id), err=True)
    os.environ[CONFIG_VARIABLE] = config.to_json()  # every worker process builds its app from it
    from kinerja.service.library import ServiceLibrary

    count = len(ServiceLibrary(config.rules).entries())
    click.echo(message("S_LISTENING", lang, host=host, port=port, rulesets=count, workers=workers,
                       log=decision_log or message("S_NO_LOG", lang)), err=True)  # fmt: skip
    uvicorn.run("kinerja.service.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, server_header=False, timeout_graceful_shutdown=10)  # fmt: skip
