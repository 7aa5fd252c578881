"""The studio page committed in `engine/service/static/` is what its sources in `studio/` build to.

The built files are package data (so `pip install kinerja` needs no Node at install or run time);
this test rebuilds them from the sources with the pinned dependencies (`studio/build.sh`: `npm ci`
from package-lock.json, then esbuild) into a temporary folder and compares byte for byte. Skipped,
saying why, only where node and npm are absent.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "studio"
BUILT = REPO / "engine" / "service" / "static"
PRODUCTS = ("index.html", "studio.js", "studio.css", "BUILT.txt")


def test_the_committed_page_is_what_the_sources_build_to(tmp_path: Path) -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the studio page is built with esbuild from the npm registry")
    work = tmp_path / "studio"
    shutil.copytree(SOURCES, work, ignore=shutil.ignore_patterns("node_modules"))
    out = tmp_path / "static"
    run = subprocess.run(["bash", str(work / "build.sh"), str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"studio/build.sh failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    for name in PRODUCTS:
        assert (out / name).read_bytes() == (BUILT / name).read_bytes(), f"{name} differs: run studio/build.sh and commit the result"
    assert sorted(p.name for p in out.iterdir()) == sorted(PRODUCTS)


def test_the_built_page_is_package_data() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "static/*" in project["tool"]["setuptools"]["package-data"]["kinerja.service"]
    for name in PRODUCTS:
        assert (BUILT / name).is_file()
