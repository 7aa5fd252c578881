"""The language server, driven through its real protocol: `kinerja lsp` as a child process,
spoken to over stdin/stdout by a small JSON-RPC client (`kinerja.lsp.client`).

Every broken ruleset of the test suite is opened and its published diagnostics are
compared with `kinerja check --format json` (same codes, same spans, same words); every
quick fix is applied to the text and the text is checked again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import kinerja
import pytest
from kinerja.lsp.client import LanguageClient, ProtocolError, apply_edits
from kinerja.lsp.tokens import MODIFIERS, TYPES

REPO = Path(__file__).resolve().parent.parent
RULESETS = sorted((REPO / "rulesets").glob("*.kin"))
HEADER = 'ruleset uji-lsp version 1.0.0\n  title "Uji LSP" source "Peraturan Uji" short "PU 1/2024"\n'


def kinerja_command(*args: str) -> list[str]:
    """`kinerja …` as a user runs it: the installed console script beside this Python."""
    script = Path(sys.executable).with_name("kinerja")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "kinerja.cli.main", *args]


def start(locale: str = "en") -> LanguageClient:
    client = LanguageClient(kinerja_command("lsp"), timeout=60)
    client.initialize(locale)
    return client


@pytest.fixture(scope="module")
def server() -> Any:
    client = start("en")
    yield client
    assert client.close() == 0


# ------------------------------------------------------------------ broken rulesets, as files
def broken_cases() -> list[tuple[str, str]]:
    """Every broken ruleset of the suite as a whole file: tests/data/rusak.kin and each chunk of the ### harness."""
    from harness import cases as harness_cases

    found = {"rusak": (REPO / "tests" / "data" / "rusak.kin").read_text(encoding="utf-8")}
    for stage in ("syntax", "check", "analysis"):
        for case in harness_cases(stage):
            name = case.name.replace("/", "-").replace(" ", "_")
            found[name if name not in found else f"{stage}-{name}"] = case.text
    return list(found.items())


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("broken")
    files = {}
    for name, text in broken_cases():
        path = folder / f"{name}.kin"
        path.write_text(text, encoding="utf-8")
        files[name] = path
    return files


def check_json(paths: list[Path], lang: str = "en") -> list[dict[str, Any]]:
    run = subprocess.run(kinerja_command("--lang", lang, "check", "--format", "json", *map(str, paths)),
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def place(d: dict[str, Any]) -> tuple[str, int, int, int, int]:
    """A published diagnostic's code and span, counted as the engine counts (from 1)."""
    r = d["range"]
    return (d["code"], r["start"]["line"] + 1, r["start"]["character"] + 1, r["end"]["line"] + 1, r["end"]["character"] + 1)


def cli_place(d: dict[str, Any]) -> tuple[str, int, int, int, int]:
    end_line, end_column = d["end_line"], d["end_column"]
    if end_line == 0:  # a span without an end: the server covers the word it starts on
        end_line, end_column = d["line"], None
    return (d["code"], d["line"], d["column"], end_line, end_column)


def same_place(published: tuple, expected: tuple) -> bool:
    # a finding at the end of the file is one column past the last character; an editor's range
    # cannot reach past the line, so the server marks that spot with an empty range
    at_end = published[3] == published[1] and published[4] == published[2]
    return published[:4] == expected[:4] and (expected[4] is None or published[4] == expected[4] or at_end)


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def at(text: str, needle: str, nth: int = 0, offset: int = 0) -> dict[str, int]:
    """The position of the `nth` occurrence of `needle` (plus `offset` characters)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


def request(server: LanguageClient, method: str, path_or_uri: Path | str, **params: Any) -> Any:
    target = path_or_uri if isinstance(path_or_uri, str) else uri(path_or_uri)
    return server.request(method, {"textDocument": {"uri": target}, **params})


# ------------------------------------------------------------------ the protocol
def test_initialize_advertises_every_feature(server: LanguageClient) -> None:
    caps = server.capabilities
    for key in ("hoverProvider", "completionProvider", "definitionProvider", "referencesProvider", "renameProvider",
                "documentSymbolProvider", "documentFormattingProvider", "semanticTokensProvider", "codeActionProvider",
                "codeLensProvider", "executeCommandProvider"):  # fmt: skip
        assert caps.get(key), key
    assert caps["renameProvider"]["prepareProvider"] is True
    assert caps["textDocumentSync"]["change"] == 2  # incremental
    assert "kinerja.runExample" in caps["executeCommandProvider"]["commands"]
    assert caps["semanticTokensProvider"]["legend"]["tokenTypes"] == TYPES


def test_every_shipped_ruleset_opens_without_errors(server: LanguageClient) -> None:
    cli = check_json(RULESETS)
    for path in RULESETS:
        published = server.open(uri(path), path.read_text(encoding="utf-8"))
        assert [d for d in published if d["severity"] == 1] == [], path.name
        expected = [d for d in cli if Path(d["file"]).resolve() == path.resolve()]
        assert sorted(place(d) for d in published) == sorted(cli_place(d) for d in expected), path.name


def test_broken_rulesets_publish_what_kinerja_check_finds(server: LanguageClient, broken: dict[str, Path]) -> None:
    cli = check_json(list(broken.values()))
    assert any(d["code"] == "K501" for d in cli) and any(d["code"] == "K101" for d in cli)
    for name, path in broken.items():
        published = server.open(uri(path), path.read_text(encoding="utf-8"))
        expected = [d for d in cli if Path(d["file"]).resolve() == path.resolve()]
        assert len(published) == len(expected), (name, published, expected)
        mine = sorted(place(d) for d in published)
        theirs = sorted(cli_place(d) for d in expected)
        for a, b in zip(mine, theirs, strict=True):
            assert same_place(a, b), (name, mine, theirs)
        # the words: the first line of each message is `kinerja check`'s message, in the client's language
        assert sorted(d["message"].split("\n")[0] for d in published) == sorted(d["message"] for d in expected), name
        for d in published:
            assert d["source"] == "kinerja"


def test_messages_follow_the_client_locale(broken: dict[str, Path]) -> None:
    path = broken["pedoman-apel"]
    client = start("id-ID")
    try:
        published = client.open(uri(path), path.read_text(encoding="utf-8"))
    finally:
        client.close()
    cli = check_json([path], lang="id")
    assert sorted(d["message"].split("\n")[0] for d in published) == sorted(d["message"] for d in cli)
    assert any("tidak ada baris" in d["message"] and "contoh nilai: tidak_apel = 1" in d["message"] for d in published)


def test_related_information_and_witness(server: LanguageClient, broken: dict[str, Path]) -> None:
    overlap = broken["pp30-overlap"]
    text = overlap.read_text(encoding="utf-8")
    [k503] = [d for d in server.open(uri(overlap), text) if d["code"] == "K503"]
    [other] = k503["relatedInformation"]
    assert other["location"]["uri"] == uri(overlap)
    assert other["location"]["range"]["start"] == at(text, "[90, 120]")
    assert other["message"] == "row 1 of `predikat`"
    assert k503["data"]["witness"] == [["nilai_kinerja", "90"]]
    assert "witness: nilai_kinerja = 90" in k503["message"]

    names = broken["names-1"]
    text = names.read_text(encoding="utf-8")
    [k101] = server.open(uri(names), text)
    assert k101["code"] == "K101" and k101["data"]["suggestion"] == "nilai_skp"
    [meant] = k101["relatedInformation"]
    assert meant["location"]["range"]["start"] == at(text, "nilai_skp")
    assert "help: did you mean `nilai_skp`?" in k101["message"]


def test_diagnostics_wait_for_a_pause_in_typing(server: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "ketik.kin"
    text = HEADER + "input a: boolean\noutput a\n"
    path.write_text(text, encoding="utf-8")
    target = uri(path)
    server.open(target, text)
    for version in range(2, 7):
        server.notify("textDocument/didChange", {"textDocument": {"uri": target, "version": version},
                                                 "contentChanges": [{"text": text + f"output b{version}\n"}]})  # fmt: skip
    last = server.diagnostics(target, 6)
    assert [d["code"] for d in last] == ["K106"]
    assert "`b6`" in last[0]["message"]
    seen = [e.message["params"]["version"] for e in server.transcript
            if e.direction == "<-" and e.message.get("method") == "textDocument/publishDiagnostics"
            and e.message["params"]["uri"] == target]  # fmt: skip
    assert seen[-1] == 6 and len(seen) < 6  # the versions typed in between were never checked on their own


# ------------------------------------------------------------------ hover
def shipped(name: str) -> Path:
    return next(p for p in RULESETS if p.name.startswith(name + "@"))


def hover_text(server: LanguageClient, path: Path, position: dict[str, int]) -> str:
    result = request(server, "textDocument/hover", path, position=position)
    assert result is not None, position
    return result["contents"]["value"]


def test_hover_on_names_rows_cells_and_references(server: LanguageClient) -> None:
    pp30 = shipped("pp-30-2019")
    text = pp30.read_text(encoding="utf-8")
    server.open(uri(pp30), text)
    value = hover_text(server, pp30, at(text, "on nilai_kinerja", offset=4))
    assert "**value** `nilai_kinerja`" in value
    assert "**Formula:**" in value and "bobot.skp × nilai_skp + bobot.perilaku × nilai_perilaku" in value
    assert "**Cited:** PP 30/2019 Pasal 41 ayat (1)" in value or "**Cited:** PP 30/2019" in value
    skp = hover_text(server, pp30, at(text, "input nilai_skp", offset=7))
    assert "decimal [0, 120] places 2" in skp and "Nilai SKP" in skp and "Pasal 35" in skp
    row = hover_text(server, pp30, at(text, '-> "Sangat Baik"'))
    assert "row 1 of `predikat`" in row and "Pasal 41 ayat (5) huruf a" in row

    permen = shipped("permenpanrb-6-2022")
    text = permen.read_text(encoding="utf-8")
    server.open(uri(permen), text)
    cell_at = at(text, '"Sangat Baik"', nth=text.count('"Sangat Baik"', 0, text.index("quadrant predikat")) + 0)
    cell = hover_text(server, permen, cell_at)
    assert "of quadrant `predikat`" in cell and "Lampiran" in cell

    child = shipped("angka-kredit")
    text = child.read_text(encoding="utf-8")
    server.open(uri(child), text)
    base = hover_text(server, child, at(text, "permenpanrb-6-2022@1.0.0", offset=3))
    assert "Pengelolaan Kinerja Pegawai Aparatur Sipil Negara" in base and "no effective dates" in base
    inherited = hover_text(server, child, at(text, "on predikat", offset=4))
    assert "from the base ruleset `permenpanrb-6-2022@1.0.0`" in inherited
    rounding = hover_text(server, child, at(text, "round(", offset=1))
    assert "round(x, places, half_up|half_even" in rounding and "**built-in function**" in rounding


# ------------------------------------------------------------------ completion
def labels(result: dict[str, Any]) -> list[str]:
    return [item["label"] for item in result["items"]]


def test_completion_offers_names_labels_keywords_and_builtins(server: LanguageClient, tmp_path: Path) -> None:
    permen = shipped("permenpanrb-6-2022")
    base = permen.read_text(encoding="utf-8")
    text = base + '\nexample "baru"\n  given rating_hasil_kerja = "\n'
    path = tmp_path / "permen.kin"
    path.write_text(text, encoding="utf-8")
    server.open(uri(path), text)
    line = text.count("\n") - 1
    column = len(text.split("\n")[line])
    found = request(server, "textDocument/completion", path, position={"line": line, "character": column})
    assert labels(found)[:3] == ['"Di Bawah Ekspektasi"', '"Sesuai Ekspektasi"', '"Di Atas Ekspektasi"']
    first = found["items"][0]
    assert first["textEdit"]["newText"] == '"Di Bawah Ekspektasi"' and first["detail"] == "label of rating"

    pp30 = shipped("pp-30-2019")
    text = pp30.read_text(encoding="utf-8")
    server.open(uri(pp30), text)
    member = request(server, "textDocument/completion", pp30, position=at(text, "bobot.skp", offset=6))
    assert set(labels(member)) == {"skp", "perilaku"}
    expression = request(server, "textDocument/completion", pp30, position=at(text, "value nilai_kinerja = ", offset=22))
    names = labels(expression)
    assert {"nilai_skp", "nilai_perilaku", "bobot", "round", "clamp", "if"} <= set(names)
    round_item = next(i for i in expression["items"] if i["label"] == "round")
    assert round_item["detail"].startswith("round(x, places, half_up|") and round_item["documentation"]["value"]
    start_of_line = request(server, "textDocument/completion", pp30, position={"line": text.count("\n"), "character": 0})
    assert {"input", "value", "table", "quadrant", "example"} <= set(labels(start_of_line))
    row_label = tmp_path / "row.kin"
    row_text = text.replace('[0, 50)    -> "Sangat Kurang"', '[0, 50)    -> "')
    assert row_text != text
    row_label.write_text(row_text, encoding="utf-8")
    server.open(uri(row_label), row_text)
    results = request(server, "textDocument/completion", row_label, position=at(row_text, '-> "\n', offset=4))
    assert {'"Sangat Baik"', '"Baik"', '"Cukup"', '"Kurang"'} <= set(labels(results))


# ------------------------------------------------------------------ definition, references, rename, outline
def test_definition_and_references_across_extends(server: LanguageClient) -> None:
    child = shipped("angka-kredit")
    base = shipped("permenpanrb-6-2022")
    text = child.read_text(encoding="utf-8")
    server.open(uri(child), text)
    [found] = request(server, "textDocument/definition", child, position=at(text, "on predikat", offset=4))
    base_text = base.read_text(encoding="utf-8")
    assert Path(found["uri"].replace("%40", "@")).name == base.name
    assert found["range"]["start"] == at(base_text, "quadrant predikat:", offset=9)
    [base_file] = request(server, "textDocument/definition", child, position=at(text, "permenpanrb-6-2022@1.0.0", offset=2))
    assert base_file["uri"].replace("%40", "@").endswith(base.name)

    uses = request(server, "textDocument/references", child, position=at(text, "on predikat", offset=4),
                   context={"includeDeclaration": True})  # fmt: skip
    files = {Path(u["uri"].replace("%40", "@")).name for u in uses}
    assert {child.name, base.name} <= files
    for other in files - {child.name, base.name}:  # other open rulesets that extend the same base
        assert "extends permenpanrb-6-2022@1.0.0" in (REPO / "rulesets" / other).read_text(encoding="utf-8")
    in_child = [u for u in uses if u["uri"].replace("%40", "@").endswith(child.name)]
    assert len(in_child) == len(re.findall(r"\bpredikat\b", re.sub(r'"[^"\n]*"|#[^\n]*', "", text)))

    local = request(server, "textDocument/definition", child, position=at(text, "persentase × koefisien", offset=2))
    assert local[0]["range"]["start"] == at(text, "persentase on predikat")


def test_rename_a_definition_across_the_file(server: LanguageClient, tmp_path: Path) -> None:
    pp30 = shipped("pp-30-2019")
    text = pp30.read_text(encoding="utf-8")
    path = tmp_path / "pp30.kin"
    path.write_text(text, encoding="utf-8")
    server.open(uri(path), text)
    position = at(text, "on nilai_kinerja", offset=5)
    prepared = request(server, "textDocument/prepareRename", path, position=position)
    assert prepared["placeholder"] == "nilai_kinerja"
    edit = request(server, "textDocument/rename", path, position=position, newName="nilai_akhir")
    edits = edit["changes"][uri(path)]
    code_only = re.sub(r'"[^"\n]*"|#[^\n]*', "", text)
    assert len(edits) == len(re.findall(r"\bnilai_kinerja\b", code_only))
    renamed = apply_edits(text, edits)
    assert "nilai_akhir" in renamed and not re.search(r"\bnilai_kinerja\b", re.sub(r'"[^"\n]*"|#[^\n]*', "", renamed))
    assert [d for d in server.change(uri(path), renamed, 2) if d["severity"] == 1] == []
    assert [d for d in kinerja.check_text(renamed, str(path)) if d.severity == "error"] == []

    with pytest.raises(ProtocolError) as refused:
        request(server, "textDocument/rename", path, position=at(renamed, "value nilai_akhir", offset=6), newName="Bad Name")
    assert "not a valid name" in refused.value.error["message"]
    with pytest.raises(ProtocolError) as taken:
        request(server, "textDocument/rename", path, position=at(renamed, "value nilai_akhir", offset=6), newName="nilai_skp")
    assert "already taken" in taken.value.error["message"]

    child = shipped("angka-kredit")
    child_text = child.read_text(encoding="utf-8")
    server.open(uri(child), child_text)
    with pytest.raises(ProtocolError) as inherited:
        request(server, "textDocument/prepareRename", child, position=at(child_text, "on predikat", offset=4))
    assert "base ruleset" in inherited.value.error["message"]


def test_outline_lists_every_declaration(server: LanguageClient) -> None:
    pp30 = shipped("pp-30-2019")
    server.open(uri(pp30), pp30.read_text(encoding="utf-8"))
    symbols = request(server, "textDocument/documentSymbol", pp30)
    names = [s["name"] for s in symbols]
    assert names[0] == "pp-30-2019@1.0.0"
    assert {"nilai_skp", "bobot", "nilai_kinerja", "predikat"} <= set(names)
    table = next(s for s in symbols if s["name"] == "predikat" and s["kind"] == 5)
    assert len(table["children"]) == 5 and table["children"][0]["name"].startswith("1. [110, 120]")


# ------------------------------------------------------------------ formatting, semantic tokens, lenses
def test_formatting_is_kinerja_fmt(server: LanguageClient, tmp_path: Path) -> None:
    source = shipped("kmk-300-2022").read_text(encoding="utf-8")
    messy = re.sub(r"^  ", "      ", source, flags=re.M).replace(" -> ", "->").replace(", ", ",  ")
    path = tmp_path / "berantakan.kin"
    path.write_text(messy, encoding="utf-8")
    server.open(uri(path), messy)
    [edit] = request(server, "textDocument/formatting", path, options={"tabSize": 2, "insertSpaces": True})
    formatted = apply_edits(messy, [edit])
    copy = tmp_path / "salinan.kin"
    copy.write_text(messy, encoding="utf-8")
    subprocess.run(kinerja_command("fmt", str(copy)), check=True, capture_output=True, timeout=60)
    assert formatted == copy.read_text(encoding="utf-8")
    server.change(uri(path), formatted, 2)
    assert request(server, "textDocument/formatting", path, options={"tabSize": 2, "insertSpaces": True}) == []


def decode(data: list[int]) -> list[tuple[int, int, int, str, set[str]]]:
    found, line, start = [], 0, 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, bits = data[i : i + 5]
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        found.append((line, start, length, TYPES[kind], {m for n, m in enumerate(MODIFIERS) if bits >> n & 1}))
    return found


def test_semantic_tokens_name_what_each_word_is(server: LanguageClient) -> None:
    pp30 = shipped("pp-30-2019")
    text = pp30.read_text(encoding="utf-8")
    lines = text.split("\n")
    server.open(uri(pp30), text)
    tokens = decode(request(server, "textDocument/semanticTokens/full", pp30)["data"])
    by_text = {}
    for line, start, length, kind, modifiers in tokens:
        assert start + length <= len(lines[line])
        by_text.setdefault(lines[line][start : start + length], []).append((kind, modifiers, line))
    assert ("variable", {"declaration", "readonly"}) in [(k, m) for k, m, _ in by_text["nilai_skp"]]
    assert all(k == "function" for k, _, _ in by_text["nilai_kinerja"])
    assert ("property", set()) in [(k, m) for k, m, _ in by_text["skp"]]
    assert by_text["ruleset"][0][0] == "keyword" and by_text['"Baik"'][0][0] == "enumMember"
    assert by_text["pp-30-2019"][0][0] == "namespace"
    positions = [(line, start) for line, start, *_ in tokens]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_code_lens_runs_each_example(server: LanguageClient, tmp_path: Path) -> None:
    pp30 = shipped("pp-30-2019")
    text = pp30.read_text(encoding="utf-8")
    server.open(uri(pp30), text)
    lenses = request(server, "textDocument/codeLens", pp30)
    assert len(lenses) == text.count("\nexample ") and {lens["command"]["title"] for lens in lenses} == {"✓ example passes"}

    wrong = text.replace("expect nilai_kinerja = 90, predikat = \"Baik\"", "expect nilai_kinerja = 91, predikat = \"Baik\"", 1)
    assert wrong != text
    path = tmp_path / "salah.kin"
    path.write_text(wrong, encoding="utf-8")
    server.open(uri(path), wrong)
    lenses = request(server, "textDocument/codeLens", path)
    failing = [lens for lens in lenses if lens["command"]["title"].startswith("✗")]
    assert len(failing) == 1 and "nilai_kinerja: expected 91, got 90" in failing[0]["command"]["title"]
    command = failing[0]["command"]
    result = server.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
    assert result["passed"] is False
    shown = server.notification("window/showMessage", lambda p: "fails" in p["message"])
    assert shown["type"] == 1 and "expected 91, got 90" in shown["message"]


# ------------------------------------------------------------------ quick fixes, each applied and checked again
def fixes(server: LanguageClient, path: Path, text: str, diagnostic: dict[str, Any]) -> list[dict[str, Any]]:
    return request(server, "textDocument/codeAction", path, range=diagnostic["range"],
                   context={"diagnostics": [diagnostic], "only": ["quickfix"]})  # fmt: skip


def apply(action: dict[str, Any], path: Path, text: str) -> str:
    [(target, edits)] = action["edit"]["changes"].items()
    assert target == uri(path)
    return apply_edits(text, edits)


def codes(published: list[dict[str, Any]]) -> list[str]:
    return sorted(d["code"] for d in published)


def test_quick_fix_did_you_mean(server: LanguageClient, broken: dict[str, Path]) -> None:
    for name, wrong, right in (("names-1", "nilai_sakp", "nilai_skp"), ("types-3", '"Sesuai Ekspetasi"', '"Sesuai Ekspektasi"'),
                               ("names-3", "ratting", "rating"), ("names-4", "skpp", "skp"), ("names-5", "clmap", "clamp")):  # fmt: skip
        path = broken[name]
        text = path.read_text(encoding="utf-8")
        published = server.open(uri(path), text)
        [finding] = [d for d in published if d["severity"] == 1]
        [action] = fixes(server, path, text, finding)
        assert action["title"] == f"Change {wrong} to {right}" and action["isPreferred"] is True
        fixed = apply(action, path, text)
        assert fixed == text.replace(wrong, right, 1)
        assert [d for d in server.change(uri(path), fixed, 2) if d["severity"] == 1] == [], name


def test_quick_fix_turns_a_witness_into_an_example(server: LanguageClient, broken: dict[str, Path]) -> None:
    path = broken["guarded-gap"]
    text = path.read_text(encoding="utf-8")
    [gap] = [d for d in server.open(uri(path), text) if d["code"] == "K502"]
    actions = fixes(server, path, text, gap)
    titles = [a["title"] for a in actions]
    assert titles == ['Turn the witness into an example: nilai_kinerja = 115, inovasi = false → predikat = "Sangat Baik"',
                      'Turn the witness into an example: nilai_kinerja = 115, inovasi = false → predikat = "Baik"']  # fmt: skip
    fixed = apply(actions[1], path, text)
    assert fixed.endswith('example "Hole K502: nilai_kinerja = 115, inovasi = false"\n'
                          '  given nilai_kinerja = 115, inovasi = false\n  expect predikat = "Baik"\n')  # fmt: skip
    again = server.change(uri(path), fixed, 2)
    assert codes(again) == ["K502"]  # the example records the hole; the table still has it
    lenses = request(server, "textDocument/codeLens", path)
    assert lenses == [] or all("not run" in lens["command"]["title"] for lens in lenses)

    overlap = broken["pp30-overlap"]
    text = overlap.read_text(encoding="utf-8")
    [both] = [d for d in server.open(uri(overlap), text) if d["code"] == "K503"]
    results = [a["title"].rsplit("= ", 1)[1] for a in fixes(server, overlap, text, both)]
    assert results == ['"Baik"', '"Cukup"']

    derived = broken["derived-range"]
    text = derived.read_text(encoding="utf-8")
    [computed] = [d for d in server.open(uri(derived), text) if d["code"] == "K501"]
    [disabled] = fixes(server, derived, text, computed)
    assert "is computed from inputs" in disabled["disabled"]["reason"] and "edit" not in disabled

    apel = broken["pedoman-apel"]
    text = apel.read_text(encoding="utf-8")
    [hole] = [d for d in server.open(uri(apel), text) if d["code"] == "K501"]
    nearest = [a["title"].rsplit("= ", 1)[1] for a in fixes(server, apel, text, hole)]
    assert nearest == ["3", "4"]  # tidak_apel = 1 lies between `[2, 3] -> 3` and `= 0 -> 4`, both 1 away
    fixed = apply(fixes(server, apel, text, hole)[0], apel, text)
    assert 'example "Hole K501: tidak_apel = 1"\n  given tidak_apel = 1\n  expect skor_apel = 3' in fixed
    assert codes(server.change(uri(apel), fixed, 2)) == ["K501"]


def test_quick_fix_adds_a_missing_quadrant_row_and_fills_cells(server: LanguageClient, broken: dict[str, Path]) -> None:
    path = broken["quadrant-missing"]
    text = path.read_text(encoding="utf-8")
    published = server.open(uri(path), text)
    [missing] = [d for d in published if d["code"] == "K506"]
    [add] = fixes(server, path, text, missing)
    assert add["title"] == 'Add the row "Sesuai Ekspektasi" to quadrant `predikat` (cells left empty `-`)'
    fixed = apply(add, path, text)
    rows = [line for line in fixed.splitlines() if line.lstrip().startswith('| "')]
    assert [r.split("|")[1].strip() for r in rows] == ['"Di Atas Ekspektasi"', '"Sesuai Ekspektasi"', '"Di Bawah Ekspektasi"']
    assert rows[1].count("-") == 3 and rows[1].index("|", 3) == rows[2].index("|", 3)  # bars line up with its neighbour
    published = server.change(uri(path), fixed, 2)
    assert [d for d in published if d["severity"] == 1] == []
    empty = [d for d in published if d["code"] == "K507"]
    assert len(empty) == 4  # the old empty cell and the three new ones
    fill = fixes(server, path, fixed, empty[0])
    assert fill[0]["title"].startswith("Fill the cell")
    filled = apply(fill[0], path, fixed)
    after = server.change(uri(path), filled, 3)
    assert len([d for d in after if d["code"] == "K507"]) == 3

    short_row = broken["quadrant-missing"].read_text(encoding="utf-8").replace(
        '| "Butuh Perbaikan" | "Butuh Perbaikan" |', '| "Butuh Perbaikan" |')
    padded = path.with_name("pendek.kin")
    padded.write_text(short_row, encoding="utf-8")
    [k212] = [d for d in server.open(uri(padded), short_row) if d["code"] == "K212"]
    [pad] = fixes(server, padded, short_row, k212)
    assert "K212" not in codes(server.change(uri(padded), apply(pad, padded, short_row), 2))


def test_the_documented_transcript_is_what_the_server_says() -> None:
    """docs/lsp-transcript.md: a broken ruleset fixed by two quick fixes (the script asserts no error is left)."""
    run = subprocess.run([sys.executable, str(REPO / "docs" / "lsp_transcript.py")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (REPO / "docs" / "lsp-transcript.md").read_text(encoding="utf-8")
    assert '"title": "Change rating_prilaku_kerja to rating_perilaku_kerja"' in run.stdout
    assert "Add the row \\\"Sesuai Ekspektasi\\\" to quadrant `predikat`" in run.stdout


def test_without_the_lsp_extra_the_command_says_what_to_install() -> None:
    hide = "import sys; sys.modules['pygls'] = None; sys.argv = ['kinerja', '--lang', 'en', 'lsp']; from kinerja.cli.main import run; run()"
    run = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "pip install 'kinerja[lsp]'" in run.stderr and "pygls" in run.stderr
