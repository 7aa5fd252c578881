"""Shared fixtures. The browser test's Chromium is installed here, by the test setup."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _install_chromium() -> str | None:
    """Debian's chromium, installed on first use when we may (root, apt-get present)."""
    found = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium")
    if found:
        return str(found)
    if os.environ.get("KINERJA_NO_BROWSER_INSTALL") or not shutil.which("apt-get") or os.geteuid() != 0:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env, capture_output=True, timeout=900)
    found = shutil.which("chromium")
    return str(found) if found else None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _install_chromium()
    if path is None:
        pytest.skip("Debian chromium is not installed and cannot be installed here (needs root and apt-get)")
    return path


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
