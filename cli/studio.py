"""`kinerja studio`: the decision service on a free loopback port, with its page opened in a browser.

The same app as `kinerja serve` (its page at `/` is the studio), in one process; it listens on
127.0.0.1 only, because the studio can save files into the `--rules` folders.
Exit codes: 0 when stopped (Ctrl-C), 2 for a usage error (a --rules folder that does not exist).
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

import click
from kinerja.diagnostics.messages import default_language, message
from kinerja.service.config import ServiceConfig, mask_salt


def free_port(host: str) -> int:
    """A port nothing listens on now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _open_when_ready(url: str, page: str, deadline_seconds: float = 30.0) -> None:
    """Open the browser once the service answers, so the page never meets a refused connection."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    webbrowser.open(page)


@click.command("studio")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port (0: a free one).")
@click.option("--rules", "rules", multiple=True, metavar="DIR",
              help="Folder of <id>@<version>.kin files; the studio saves into the first one (repeatable).")
@click.option("--no-browser", "no_browser", is_flag=True, default=False, help="Do not open a browser.")
@click.pass_context
def studio_command(ctx: click.Context, port: int, rules: tuple[str, ...], no_browser: bool) -> None:
    """The studio page in a browser, over the decision service."""
    import uvicorn
    from kinerja.service.app import create_app

    lang = (ctx.obj or {}).get("lang") or default_language()
    for folder in rules:
        if not Path(folder).is_dir():
            raise click.UsageError(message("S_RULES_DIR", lang, path=folder), ctx)
    host = "127.0.0.1"
    port = port or free_port(host)
    salt, _ = mask_salt()
    config = ServiceConfig(tuple(str(Path(f).resolve()) for f in rules), salt=salt)
    url = f"http://{host}:{port}/"
    page = url + ("?lang=" + lang)
    folders = ", ".join(config.rules) or message("U_NO_FOLDER", lang)
    click.echo(message("U_STARTED", lang, url=page, folders=folders), err=True)
    if not no_browser:
        threading.Thread(target=_open_when_ready, args=(url, page), daemon=True).start()
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False, server_header=False,
                timeout_graceful_shutdown=5)  # fmt: skip
