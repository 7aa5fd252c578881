"""The public API as a developer's type checker and documentation tools see it (issue 12 item 14).

- `mypy --strict` accepts a file that uses every public entry point (`tests/typing/public_api.py`),
  including those imported on first use (`kinerja.batch`, `kinerja.explain`, …);
- every public function and class says what it does (a docstring);
- the package docstring's example runs (doctest).
"""

from __future__ import annotations

import doctest
import inspect
import os
import subprocess
import sys
from pathlib import Path

import kinerja

HERE = Path(__file__).parent


def test_the_package_docstring_example_runs() -> None:
    outcome = doctest.testmod(kinerja)
    assert outcome.attempted > 0 and outcome.failed == 0


def test_every_public_function_and_class_has_a_docstring() -> None:
    undocumented = []
    for name in kinerja.__all__:
        value = getattr(kinerja, name)
        doc = (value.__doc__ or "").strip()
        generated = inspect.isclass(value) and doc.startswith(f"{value.__name__}(")  # a dataclass's own signature
        if (inspect.isfunction(value) or inspect.isclass(value)) and (not doc or generated):
            undocumented.append(name)
    assert undocumented == []


def test_mypy_strict_accepts_the_whole_public_api(tmp_path: Path) -> None:
    # the package as mypy finds a PEP 561 package, whether installed or an editable checkout
    (tmp_path / "kinerja").symlink_to(Path(kinerja.__file__).parent, target_is_directory=True)
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
               "--cache-dir", str(tmp_path / "cache"), str(HERE / "typing" / "public_api.py")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(tmp_path)}, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
