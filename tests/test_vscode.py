"""The VS Code extension (editors/vscode): its TextMate grammar on every shipped ruleset, with the
tokenizer VS Code itself uses (vscode-textmate + vscode-oniguruma, installed from the npm
registry by this test into pytest's cache), and the extension's manifest and client.

Every token of every shipped ruleset must be scoped (more than the file's root scope) and
none may be scoped invalid; the broken rulesets' illegal characters and names must be.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXTENSION = REPO / "editors" / "vscode"
RULESETS = sorted((REPO / "rulesets").glob("*.kin"))
TOKENIZER = {"vscode-textmate": "9.3.2", "vscode-oniguruma": "2.0.1"}  # what VS Code tokenizes with


@pytest.fixture(scope="module")
def node_modules(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed: the TextMate grammar is tested with VS Code's own tokenizer from npm")
    cache = getattr(request.config, "cache", None)  # kept between runs, unless pytest runs without its cache
    folder = Path(cache.mkdir("kinerja-textmate")) if cache is not None else tmp_path_factory.mktemp("kinerja-textmate")
    modules = folder / "node_modules"
    if not all((modules / name / "package.json").is_file() for name in TOKENIZER):
        wanted = [f"{name}@{version}" for name, version in TOKENIZER.items()]
        run = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(folder), *wanted],
                             capture_output=True, text=True, timeout=600)  # fmt: skip
        assert run.returncode == 0, f"npm install {' '.join(wanted)} failed:\n{run.stderr[-3000:]}"
    return modules


def tokenize(node_modules: Path, files: list[Path]) -> dict[str, list[Any]]:
    run = subprocess.run(["node", str(EXTENSION / "test" / "grammar.js"), *map(str, files)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "NODE_PATH": str(node_modules)})  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_token_of_every_shipped_ruleset_is_scoped(node_modules: Path) -> None:
    found = tokenize(node_modules, RULESETS)
    assert len(found) == len(RULESETS)
    scopes: dict[str, set[str]] = {}
    for file, tokens in found.items():
        assert tokens, file
        for line, column, text, stack in tokens:
            assert stack[0] == "source.kinerja"
            assert len(stack) >= 2, f"{file}:{line + 1}:{column + 1} {text!r} has no scope"
            assert not any("invalid" in s for s in stack), f"{file}:{line + 1}:{column + 1} {text!r} is scoped {stack}"
            scopes.setdefault(text, set()).update(stack[1:])
    expected = {
        "ruleset": "storage.type.ruleset.kinerja", "pp-30-2019": "entity.name.namespace.kinerja",
        "input": "storage.type.declaration.kinerja", "decimal": "support.type.kinerja",
        '"Baik"': "string.quoted.double.label.kinerja", '"Pasal 41"': "string.quoted.double.text.kinerja",
        "nilai_skp": "variable.other.kinerja", "round": "support.function.builtin.kinerja",
        "half_up": "support.constant.rounding.kinerja", "->": "keyword.operator.arrow.kinerja",
        "permenpanrb-6-2022@1.0.0": "entity.name.namespace.reference.kinerja", "2019-04-26": "constant.numeric.date.kinerja",
        "70%": "constant.numeric.kinerja", "true": "constant.language.boolean.kinerja", "when": "keyword.control.kinerja",
        "|": "punctuation.separator.matrix.kinerja",
    }  # fmt: skip
    for text, scope in expected.items():
        assert scope in scopes.get(text, set()), (text, scopes.get(text))
    assert any(s.startswith("comment.line") for s in scopes.get("# ---------------------------------------------------------------- inputs", set()))


def test_what_the_language_rejects_is_scoped_invalid(node_modules: Path, tmp_path: Path) -> None:
    path = tmp_path / "rusak.kin"
    path.write_text('ruleset rusak version 1.0.0\ninput NilaiSkp: decimal [0, 120] @\n', encoding="utf-8")
    [tokens] = tokenize(node_modules, [path]).values()
    invalid = {text: stack[-1] for _, _, text, stack in tokens if "invalid" in stack[-1]}
    assert invalid == {"NilaiSkp": "invalid.illegal.name.kinerja", "@": "invalid.illegal.character.kinerja"}


def test_extension_manifest_and_client() -> None:
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    assert language["id"] == "kinerja" and language["extensions"] == [".kin"]
    assert (EXTENSION / language["configuration"]).is_file()
    [grammar] = manifest["contributes"]["grammars"]
    assert grammar["scopeName"] == "source.kinerja" and (EXTENSION / grammar["path"]).is_file()
    assert (EXTENSION / manifest["main"]).is_file() and "vscode-languageclient" in manifest["dependencies"]
    json.loads((EXTENSION / "language-configuration.json").read_text(encoding="utf-8"))
    # every %placeholder% of the manifest is said in English and in Indonesian
    english = json.loads((EXTENSION / "package.nls.json").read_text(encoding="utf-8"))
    indonesian = json.loads((EXTENSION / "package.nls.id.json").read_text(encoding="utf-8"))
    placeholders = set(re.findall(r'"%([^%"]+)%"', (EXTENSION / "package.json").read_text(encoding="utf-8")))
    assert placeholders == set(english) == set(indonesian)
    client = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert "'lsp'" in client and "kinerja.restartServer" in client
    if shutil.which("node"):
        subprocess.run(["node", "--check", str(EXTENSION / "extension.js")], check=True, timeout=60)
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8")
    assert "/editors/vscode/*.vsix" in ignored and "/editors/vscode/node_modules/" in ignored
