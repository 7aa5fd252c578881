"""The README's "Decision service" section works verbatim: its start command, every curl example
against that live server (only the port changed), the answers it shows, and the replay of the log."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from serving import kinerja_command, serve

REPO = Path(__file__).resolve().parent.parent


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Decision service")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks() -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    return re.findall(r"```(\w+)\n(.*?)```", section(), flags=re.S)


def commands(body: str) -> list[str]:
    return [line.strip() for line in body.replace("\\\n", " ").splitlines() if line.strip()]


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("…" if k == "decision_id" else without_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_decision_service_examples_work_verbatim(tmp_path: Path) -> None:
    found = blocks()
    start = commands(found[0][1])
    assert len(start) == 1 and start[0].startswith(".venv/bin/kinerja serve --port 8080")
    arguments = shlex.split(start[0])[len(shlex.split(".venv/bin/kinerja serve --port 8080")):]
    (tmp_path / "examples").symlink_to(REPO / "examples")
    ran = 0
    with serve(*arguments, cwd=tmp_path) as server:
        for index, (language, body) in enumerate(found[1:], start=1):
            if language != "sh":
                continue
            shown = found[index + 1][1] if index + 1 < len(found) and found[index + 1][0] == "json" else None
            for command in commands(body):
                if not command.startswith("curl "):
                    continue
                local = command.replace("localhost:8080", f"127.0.0.1:{server.port}")
                done = subprocess.run(["bash", "-c", local], cwd=tmp_path, capture_output=True, timeout=60)
                assert done.returncode == 0, (command, done.stderr)
                ran += 1
                if "-o " in command:
                    assert (tmp_path / command.split("-o ")[1].split()[0]).stat().st_size > 0
                    continue
                answer = done.stdout.decode("utf-8")
                assert answer.strip(), command
                if answer.lstrip().startswith(("{", "[")):
                    parsed = json.loads(answer)
                    assert not (isinstance(parsed, dict) and "errors" in parsed and shown is None), (command, answer)
                if shown is not None and len(commands(body)) == 1:
                    assert without_ids(json.loads(answer)) == without_ids(json.loads(shown)), command
    assert ran >= 10
    replay = next(commands(body) for language, body in found if language == "sh" and "kinerja replay" in body)
    done = subprocess.run([*kinerja_command(), *shlex.split(replay[0])[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    logged = (tmp_path / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    assert done.stdout.splitlines()[-1] == f"{len(logged)} replayed, 0 differ"
    assert "198703152010011001" not in "".join(logged)  # --mask nip
