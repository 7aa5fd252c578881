"""The service routes the studio page uses, over HTTP against a real `kinerja serve` (and `kinerja studio`).

Each route is a thin layer over a public function, so each test compares with that function:
the fixes with the language server's, the formatter with `kinerja fmt`, the examples with
`Ruleset.run_examples`, the impact table with `kinerja impact -o`. Save-as writes only
`<id>@<version>.kin` inside a `--rules` folder and never overwrites unasked.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kinerja
import openpyxl
import pytest
from kinerja.syntax.format import format_text
from serving import Server, free_port, kinerja_command, serve
from test_impact_figures import PP30, PP30_BAIK_85

EN = {"Accept-Language": "en"}
REPO = Path(__file__).resolve().parent.parent
TYPO = PP30.replace("when penilaian_360:", "when penilaian_360x:")
GAP = PP30.replace("[70, 90)   -> \"Cukup\"", "[70, 89)   -> \"Cukup\"")
DRAFT = PP30_BAIK_85.replace("ruleset pp-30-2019 version 1.1.0", "ruleset pp-30-2019-draf version 0.1.0")


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rules")


@pytest.fixture(scope="module")
def server(rules: Path) -> Iterator[Server]:
    with serve("--rules", str(rules)) as running:
        yield running


def _post(server: Server, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return server.call("POST", path, body, {**EN, **(headers or {})})


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Edits in the page's positions (lines from 0, UTF-16 columns), applied from the last to the first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(position: dict[str, int]) -> int:
        line = lines[position["line"]]
        return offsets[position["line"]] + len(line.encode("utf-16-le")[: 2 * position["character"]].decode("utf-16-le"))

    for edit in sorted(edits, key=lambda e: (e["from"]["line"], e["from"]["character"]), reverse=True):
        text = text[: at(edit["from"])] + edit["insert"] + text[at(edit["to"]) :]
    return text


def test_check_gives_the_place_the_message_and_a_fix_that_works(server: Server) -> None:
    answer = _post(server, "/v1/author/check", {"text": TYPO}).json()
    assert answer["errors"] == 1 and answer["ruleset"]["id"] == "pp-30-2019"
    finding = answer["diagnostics"][0]
    assert finding["code"] == "K101" and finding["line"] == 27 and finding["message"] == "unknown name `penilaian_360x`"
    assert finding["from"] == {"line": 26, "character": 7} and finding["to"] == {"line": 26, "character": 21}
    assert finding["suggestion"] == "did you mean `penilaian_360`?"
    assert finding["related"][0]["line"] == 17  # where `penilaian_360` is declared
    fix = finding["fixes"][0]
    assert fix["preferred"] and fix["title"] == "Change penilaian_360x to penilaian_360"
    assert _apply(TYPO, fix["edits"]) == PP30
    again = _post(server, "/v1/author/check", {"text": _apply(TYPO, fix["edits"])}).json()
    assert again["errors"] == 0
    indonesian = server.call("POST", "/v1/author/check", {"text": TYPO}).json()
    assert indonesian["diagnostics"][0]["message"] == "nama `penilaian_360x` tidak dikenal"


def test_a_witness_of_a_computed_value_offers_the_example_and_says_why_it_cannot(server: Server) -> None:
    answer = _post(server, "/v1/author/check", {"text": GAP}).json()
    gap = next(d for d in answer["diagnostics"] if d["code"] == "K501")
    assert gap["witness_values"] == [{"name": "nilai_kinerja", "value": 89.5}] and gap["line"] == 37  # the table, where the hole is
    assert gap["fixes"] == [{"title": "Turn the witness into an example: nilai_kinerja = 89.5", "preferred": False, "edits": [],
                             "disabled": "`nilai_kinerja` is computed from inputs, and an example can only give inputs"}]


def test_a_witness_on_an_input_becomes_an_example(server: Server) -> None:
    text = """ruleset gap-contoh version 0.1.0
input nilai: decimal [0, 120] places 2
table predikat on nilai hit first
  [90, 120] -> "Baik"
  [0, 80)   -> "Kurang"
end
output predikat
"""
    gap = next(d for d in _post(server, "/v1/author/check", {"text": text}).json()["diagnostics"] if d["code"] == "K501")
    fixes = [f for f in gap["fixes"] if not f["disabled"]]
    assert len(fixes) == 2  # one per result the nearest rows write
    fixed = _apply(text, fixes[0]["edits"])
    assert fixed.startswith(text) and "\nexample " in fixed and "given nilai = 85" in fixed and "expect predikat = \"Baik\"" in fixed
    again = _post(server, "/v1/author/check", {"text": fixed}).json()["diagnostics"]
    assert {d["code"] for d in again} == {"K501", "K520"}  # the gap is still there; the example now pins it down


def test_format_document_and_schema_are_the_engines(server: Server) -> None:
    messy = PP30.replace("input nilai_skp: decimal [0, 120] places 2", "input   nilai_skp :decimal [0,120]  places 2")
    answer = _post(server, "/v1/author/format", {"text": messy}).json()
    assert answer == {"text": format_text(messy), "changed": True}
    broken = _post(server, "/v1/author/format", {"text": "ruleset x version 1.0.0\ninput a: decimal [0, 1\n"})
    assert broken.status == 422 and broken.json()["errors"][0]["code"].startswith("K0")
    page = _post(server, "/v1/author/document", {"text": PP30}).json()["html"]
    assert page == kinerja.render_document(kinerja.load_text(PP30), "html", "en")
    schema = _post(server, "/v1/author/schema", {"text": PP30}).json()
    assert schema["required"] == kinerja.input_schema(kinerja.load_text(PP30))["required"]


def test_examples_pass_fail_and_what_no_example_reaches(server: Server) -> None:
    failing = PP30.replace("expect nilai_kinerja = 90, predikat = \"Baik\"", "expect nilai_kinerja = 91, predikat = \"Baik\"", 1)
    answer = _post(server, "/v1/author/examples", {"text": failing}).json()
    outcomes = kinerja.load_text(failing).run_examples()
    assert [e["passed"] for e in answer["examples"]] == [o.passed for o in outcomes]
    assert answer["failed"] == 1 and "expected 91, got 90" in answer["examples"][0]["problems"][0]
    cut = PP30[: PP30.index("example \"Cukup")]
    unreached = _post(server, "/v1/author/examples", {"text": cut}).json()["unreached"]
    assert {u["code"] for u in unreached} == {"K520"} and any("Cukup" in u["message"] or "[70, 90)" in u["message"] for u in unreached)
    bad = _post(server, "/v1/author/examples", {"text": TYPO})
    assert bad.status == 422 and bad.json()["errors"][0]["code"] == "K101"


def test_try_explains_and_says_why_not_the_next_predikat(server: Server) -> None:
    record = {"nilai_skp": "88", "nilai_perilaku": "80", "penilaian_360": False}
    answer = _post(server, "/v1/author/try", {"text": PP30, "input": record}).json()
    assert answer["outputs"] == {"nilai_kinerja": 85.6, "predikat": "Cukup"}
    assert any("Pasal 41 ayat (5) huruf c" in line for line in answer["lines"])
    why = answer["why_not"]
    assert why["target"] == {"name": "predikat", "op": "=", "value": "Baik"}
    assert why["answers"][0]["nearest"][0]["outputs"]["predikat"] == "Baik"
    assert why["lines"][0] == 'Why not predikat = "Baik"? (pp-30-2019@1.0.0)'
    named = _post(server, "/v1/author/why-not", {"text": PP30, "input": record, "target": "nilai_kinerja>=95"}).json()
    assert named["target"]["name"] == "nilai_kinerja" and named["answers"]
    invalid = _post(server, "/v1/author/try", {"text": PP30, "input": {**record, "nilai_skp": "130"}})
    assert invalid.status == 422 and invalid.json()["errors"][0]["code"] == "K604"
    top = _post(server, "/v1/author/why-not", {"text": PP30, "input": {**record, "nilai_skp": 120, "nilai_perilaku": 120, "inovasi": True}})
    assert top.status == 422 and top.json()["errors"][0]["code"] == "U_WHY_NO_NEXT"


def test_save_as_writes_only_id_at_version_inside_the_rules_folder(server: Server, rules: Path, tmp_path: Path) -> None:
    assert server.call("GET", "/v1/author/folders").json() == {"folders": [str(rules.resolve())]}
    saved = _post(server, "/v1/author/save", {"text": DRAFT})
    assert saved.status == 201, saved.text
    target = rules / "pp-30-2019-draf@0.1.0.kin"
    assert saved.json()["path"] == str(target.resolve()) and target.read_text(encoding="utf-8") == DRAFT
    assert saved.json()["message"] == f"pp-30-2019-draf@0.1.0 saved as {target.resolve()}"
    again = _post(server, "/v1/author/save", {"text": DRAFT + "# revisi\n"})
    assert again.status == 409 and again.json()["errors"][0]["code"] == "U_SAVE_EXISTS"
    assert target.read_text(encoding="utf-8") == DRAFT  # never overwritten unasked
    replaced = _post(server, "/v1/author/save", {"text": DRAFT + "# revisi\n", "overwrite": True})
    assert replaced.status == 200 and replaced.json()["replaced"] and target.read_text(encoding="utf-8").endswith("# revisi\n")
    time.sleep(1.1)  # the service looks at its folders again at most every second
    listed = {f"{r['id']}@{r['version']}" for r in server.call("GET", "/v1/rulesets").json()["rulesets"]}
    assert "pp-30-2019-draf@0.1.0" in listed
    assert not [p for p in rules.iterdir() if p.name.startswith(".")]  # no temporary file left behind


@pytest.mark.parametrize("field, value, status, code", [
    ("name", "../escaped@0.1.0.kin", 422, "U_SAVE_NAME"),
    ("name", "/tmp/pp-30-2019-draf@0.1.0.kin", 422, "U_SAVE_NAME"),
    ("name", "..\\..\\evil.kin", 422, "U_SAVE_NAME"),
    ("name", "other@0.1.0.kin", 422, "U_SAVE_NAME"),
    ("name", ["pp-30-2019-draf@0.1.0.kin"], 422, "U_SAVE_NAME"),
    ("folder", "/tmp", 422, "U_SAVE_FOLDER"),
    ("folder", "../", 422, "U_SAVE_FOLDER"),
    ("folder", 7, 422, "U_SAVE_FOLDER"),
    ("overwrite", "yes", 422, "S_FIELD_TYPE"),
    ("path", "x.kin", 400, "S_FIELD_UNKNOWN"),
])  # fmt: skip
def test_save_as_refuses_anything_else(server: Server, rules: Path, field: str, value: Any, status: int, code: str) -> None:
    before = sorted(p.name for p in rules.iterdir())
    answer = _post(server, "/v1/author/save", {"text": DRAFT.replace("0.1.0", "0.2.0"), "overwrite": True, field: value})
    assert answer.status == status and answer.json()["errors"][0]["code"] == code, answer.text
    assert sorted(p.name for p in rules.iterdir()) == before
    assert not (rules.parent / "escaped@0.1.0.kin").exists()


def test_save_as_refuses_errors_shipped_versions_and_links_out(server: Server, rules: Path, tmp_path: Path) -> None:
    broken = _post(server, "/v1/author/save", {"text": TYPO.replace("pp-30-2019 version 1.0.0", "pp-30-2019 version 9.0.0")})
    assert broken.status == 422 and broken.json()["errors"][0]["code"] == "K101"
    shipped = _post(server, "/v1/author/save", {"text": PP30, "overwrite": True})
    assert shipped.status == 409 and shipped.json()["errors"][0]["code"] == "U_SAVE_SHIPPED"
    outside = tmp_path / "outside.kin"
    outside.write_text("untouched", encoding="utf-8")
    link = rules / "pp-30-2019-draf@0.3.0.kin"
    os.symlink(outside, link)
    try:
        answer = _post(server, "/v1/author/save", {"text": DRAFT.replace("0.1.0", "0.3.0"), "overwrite": True})
        assert answer.status == 422 and answer.json()["errors"][0]["code"] == "U_SAVE_NAME"
        assert outside.read_text(encoding="utf-8") == "untouched"
    finally:
        link.unlink()


def test_save_as_without_a_rules_folder_says_how_to_get_one() -> None:
    with serve() as bare:
        answer = _post(bare, "/v1/author/save", {"text": DRAFT})
    assert answer.status == 409 and answer.json()["errors"][0]["code"] == "U_SAVE_NO_FOLDER"
    assert "--rules" in answer.json()["errors"][0]["message"]


def _population() -> bytes:
    return (REPO / "examples" / "pegawai.csv").read_bytes()


def _form(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, dict[str, str]]:
    boundary = "kinerja-studio-test"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, media) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: {media}\r\n\r\n'
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_impact_table_and_report_downloads_are_kinerja_impacts(server: Server, tmp_path: Path) -> None:
    draft = tmp_path / "baik-85.kin"
    draft.write_text(PP30_BAIK_85, encoding="utf-8")
    population = tmp_path / "pegawai.csv"
    population.write_bytes(_population())
    people = tmp_path / "people.csv"
    cli = subprocess.run([*kinerja_command(), "--lang", "en", "impact", "pp-30-2019@1.0.0", str(draft), str(population), "--id", "nip",
                          "--group-by", "unit_kerja", "-o", str(people)], capture_output=True, timeout=120)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    body, headers = _form({"old": "pp-30-2019@1.0.0", "new": PP30_BAIK_85, "id_column": "nip", "group_by": "unit_kerja"},
                          {"population": ("pegawai.csv", _population(), "text/csv")})  # fmt: skip
    table = _post(server, "/v1/impact/table?format=csv", body, headers)
    assert table.status == 200 and table.body == people.read_bytes()
    assert table.headers["content-disposition"] == 'attachment; filename="pp-30-2019-dampak.csv"'
    assert table.headers["x-kinerja-changed"] == "1"
    xlsx = _post(server, "/v1/impact/table?format=xlsx", body, headers)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "unit_kerja") and len(rows) == 6
    report = _post(server, "/v1/impact/report", body, headers)
    assert report.status == 200 and report.text.startswith("<!DOCTYPE html>") and "pp-30-2019" in report.text
    wrong = _post(server, "/v1/impact/table?format=pdf", body, headers)
    assert wrong.status == 422 and wrong.json()["errors"][0]["code"] == "S_BAD_CHOICE"


def test_columns_are_matched_to_inputs_by_name(server: Server) -> None:
    renamed = b"NIP;Nilai SKP;nilai-perilaku;Penilaian 360;unit\n1;96;76;tidak;A\n".replace(b";", b",")
    answer = _post(server, "/v1/rulesets/pp-30-2019/columns", renamed, {"Content-Type": "text/csv"}).json()
    assert answer["columns"] == ["NIP", "Nilai SKP", "nilai-perilaku", "Penilaian 360", "unit"]
    assert answer["suggested"] == {"nilai_skp": "Nilai SKP", "nilai_perilaku": "nilai-perilaku", "penilaian_360": "Penilaian 360"}
    assert [i["name"] for i in answer["inputs"]] == ["nilai_skp", "nilai_perilaku", "penilaian_360", "inovasi"]
    assert [i["required"] for i in answer["inputs"]] == [True, True, True, False]
    plain = _post(server, "/v1/columns", _population(), {"Content-Type": "text/csv"}).json()
    assert plain["columns"][:3] == ["nip", "nama", "unit_kerja"] and plain["suggested"] == {}
    refused = _post(server, "/v1/columns", b"x", {"Content-Type": "image/png"})
    assert refused.status == 415


def test_the_page_is_served_at_the_root_and_loads_only_its_own_files(server: Server) -> None:
    page = server.call("GET", "/", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="studio.js"' in page.text and "default-src 'self'" in page.text
    script = server.call("GET", "/studio.js")
    assert script.status == 200 and "javascript" in script.headers["content-type"]
    assert server.call("GET", "/studio.css").headers["content-type"].startswith("text/css")
    for name in ("index.html", "studio.js", "studio.css"):
        text = (REPO / "engine" / "service" / "static" / name).read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text.replace("https://codemirror.net", "")
    index = server.call("GET", "/", headers={"Accept": "application/json"}).json()
    assert index["openapi"] == "/openapi.json"
    assert server.call("GET", "/v1/author/check").status == 405  # a page file never shadows an API route
    assert server.call("GET", "/nothing.js").status == 404
    paths = server.call("GET", "/openapi.json").json()["paths"]
    assert {"/v1/author/check", "/v1/author/save", "/v1/impact/table", "/v1/rulesets/{ref}/columns"} <= set(paths)


def test_kinerja_studio_starts_the_service_and_names_the_address(rules: Path) -> None:
    port = free_port()
    process = subprocess.Popen([*kinerja_command(), "--lang", "en", "studio", "--no-browser", "--port", str(port), "--rules", str(rules)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        studio = Server(port, process)
        deadline = time.monotonic() + 30
        while True:
            try:
                if studio.call("GET", "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "kinerja studio did not start"
                time.sleep(0.1)
        assert "<title>kinerja studio</title>" in studio.call("GET", "/", headers={"Accept": "text/html"}).text
        assert studio.call("GET", "/v1/author/folders").json() == {"folders": [str(rules.resolve())]}
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    assert f"kinerja studio: open http://127.0.0.1:{port}/?lang=en in a browser" in err.decode()
    missing = subprocess.run([*kinerja_command(), "studio", "--no-browser", "--rules", str(rules / "nope")], capture_output=True, timeout=60)
    assert missing.returncode == 2


def test_the_readme_walkthrough_broken_draft_is_fixed_with_the_pages_fixes_and_one_edit(server: Server) -> None:
    """README, Studio: two one-click fixes (a name and a label), then the gap the check shows next, by hand."""
    text = (REPO / "examples" / "pp-30-2019-draf-rusak.kin").read_text(encoding="utf-8")
    first = _post(server, "/v1/author/check", {"text": text}).json()
    assert [(d["code"], d["fixes"][0]["title"]) for d in first["diagnostics"]] == [
        ("K101", "Change penilaian360 to penilaian_360"), ("K203", 'Change "Baek" to "Baik"')]
    for _ in range(2):  # each fix is applied to the text it was offered for, as the page does
        finding = _post(server, "/v1/author/check", {"text": text}).json()["diagnostics"][0]
        text = _apply(text, finding["fixes"][0]["edits"])
    gap = _post(server, "/v1/author/check", {"text": text}).json()
    assert [d["code"] for d in gap["diagnostics"] if d["severity"] == "error"] == ["K501"]
    assert "84" in gap["diagnostics"][0]["message"]
    text = text.replace('[70, 84)   -> "Cukup"', '[70, 85)   -> "Cukup"')
    assert _post(server, "/v1/author/check", {"text": text}).json()["errors"] == 0
    assert _post(server, "/v1/author/examples", {"text": text}).json()["failed"] == 0
