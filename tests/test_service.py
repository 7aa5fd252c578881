"""`kinerja serve` through real HTTP: a server started like a user starts it, two worker processes,
a rules folder, a decision log with masking; every route, the error answers, the log under
concurrent clients, and `kinerja replay` catching an edited ruleset and a tampered line."""

from __future__ import annotations

import datetime
import io
import json
import socket
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import pytest
from serving import Server, kinerja_command, serve

REPO = Path(__file__).resolve().parent.parent
PP = {"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False}
SALT = "rahasia-uji"
ORIGIN = "https://ekinerja.contoh.go.id"
LIMITS = ("--max-body", "2000000", "--max-batch", "5000", "--max-ruleset", "100000", "--body-timeout", "2")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    rules = root / "rules"
    rules.mkdir()
    text = (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    (rules / "uji-layanan@1.0.0.kin").write_text(text.replace("ruleset pp-30-2019 version", "ruleset uji-layanan version", 1),
                                                 encoding="utf-8")  # fmt: skip
    return root


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    with serve("--rules", str(folder / "rules"), "--decision-log", str(folder / "decisions.jsonl"), "--mask", "nip",
               "--workers", "2", "--allow-origin", ORIGIN, *LIMITS, env={"KINERJA_MASK_SALT": SALT}) as running:  # fmt: skip
        yield running


def log_lines(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "decisions.jsonl").read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------- rulesets
def test_rulesets_listed_shipped_and_from_rules(server: Server) -> None:
    answer = server.call("GET", "/v1/rulesets")
    assert answer.status == 200
    listed = {(r["id"], r["version"]): r for r in answer.json()["rulesets"]}
    pp = listed[("pp-30-2019", "1.0.0")]
    assert pp["fingerprint"] == kinerja.load("pp-30-2019").fingerprint
    assert pp["effective_from"] == "2019-04-26" and pp["shipped"] is True and pp["title"]
    assert listed[("uji-layanan", "1.0.0")]["shipped"] is False
    assert {"kmk-300-2022", "kmk-127-2026", "permenpanrb-6-2022"} <= {key[0] for key in listed}


def test_one_ruleset_with_its_text_and_succession(server: Server) -> None:
    answer = server.call("GET", "/v1/rulesets/pp-30-2019@1.0.0").json()
    assert answer["text"] == (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    assert answer["inputs"][:2] == ["nilai_skp", "nilai_perilaku"] and answer["outputs"] == ["nilai_kinerja", "predikat"]
    followed = server.call("GET", "/v1/rulesets/kmk-300-2022?as_of=2026-03-01").json()
    assert followed["id"] == "kmk-127-2026" and followed["selection"]["superseded"] == "kmk-300-2022"
    back = server.call("GET", "/v1/rulesets/kmk-127-2026?as_of=2024-12-31").json()
    assert back["id"] == "kmk-300-2022"


@pytest.mark.parametrize("ref", ["nope", "pp-30-2019@9.9.9", "pyproject.toml", "..%2F..%2Fetc%2Fpasswd", "README"])
def test_unknown_or_path_like_references_are_404(server: Server, ref: str) -> None:
    answer = server.call("GET", f"/v1/rulesets/{ref}")
    assert answer.status == 404
    assert answer.json()["errors"][0]["code"] in ("K801", "S_NO_ROUTE")  # an encoded slash never reaches a file


def test_schemas_are_the_api_schemas(server: Server) -> None:
    ruleset = kinerja.load("pp-30-2019")
    for part, expected in (("input", kinerja.input_schema(ruleset)), ("output", kinerja.output_schema(ruleset))):
        answer = server.call("GET", f"/v1/rulesets/pp-30-2019/schema?part={part}")
        assert answer.json(parse_float=Decimal) == json.loads(kinerja.to_json(expected), parse_float=Decimal)
    assert server.call("GET", "/v1/rulesets/pp-30-2019/schema?part=both").status == 422


# ---------------------------------------------------------------------- evaluate and explain
def test_evaluate_writes_exact_decimals(server: Server) -> None:
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP})
    assert answer.status == 200
    assert '"nilai_kinerja": 90,' in answer.text  # 90: not 90.00, not 89.99999999999999
    body = answer.json()
    assert body["outputs"] == {"nilai_kinerja": 90, "predikat": "Baik"}
    assert body["ruleset"] == kinerja.load("pp-30-2019").ref.to_dict()
    assert len(body["decision_id"]) == 36 and "trace" not in body
    fraction = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate",
                           '{"input": {"nilai_skp": 88.88, "nilai_perilaku": 77.77, "penilaian_360": false}}',
                           {"Content-Type": "application/json"})  # fmt: skip
    assert '"nilai_kinerja": 85.547,' in fraction.text  # 70% × 88.88 + 30% × 77.77, exactly


def test_numbers_may_come_as_strings_and_a_trace_on_request(server: Server) -> None:
    record = {"nilai_skp": "96", "nilai_perilaku": "76.00", "penilaian_360": False}
    body = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": record, "trace": True}, {"Accept-Language": "en"}).json()
    assert body["outputs"] == {"nilai_kinerja": 90, "predikat": "Baik"}
    steps = {step["name"]: step for step in body["trace"]}
    assert steps["predikat"]["decided_by"].startswith("row 2") and steps["nilai_kinerja"]["substituted"]
    indonesian = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": record, "trace": True}).json()
    assert [s for s in indonesian["trace"] if s["name"] == "predikat"][0]["decided_by"].startswith("baris 2")


def test_evaluate_as_of_follows_succession(server: Server) -> None:
    record = json.loads((REPO / "examples" / "kmk-127-2026.json").read_text(encoding="utf-8"))
    body = server.call("POST", "/v1/rulesets/kmk-300-2022/evaluate", {"input": record, "as_of": "2026-03-01"}).json()
    chosen = kinerja.select("kmk-300-2022", as_of=datetime.date(2026, 3, 1))
    assert f"{body['ruleset']['id']}@{body['ruleset']['version']}" == chosen.ref and chosen.ref.startswith("kmk-127-2026@")
    assert body["selection"]["as_of"] == "2026-03-01" and body["selection"]["superseded"] == "kmk-300-2022"
    bad = server.call("POST", "/v1/rulesets/kmk-300-2022/evaluate", {"input": record, "as_of": "kemarin"})
    assert bad.status == 422 and bad.json()["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize(("header", "words"), [
    (None, "di luar rentang"), ("en", "is outside the range"), ("id-ID,id;q=0.9", "di luar rentang"),
    ("fr-FR, en;q=0.8, id;q=0.5", "is outside the range"), ("de", "di luar rentang"),
])  # fmt: skip
def test_invalid_input_is_422_in_the_language_asked(server: Server, header: str | None, words: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": {**PP, "nilai_skp": 130}}, headers)
    assert answer.status == 422
    [problem] = answer.json()["errors"]
    assert problem["code"] == "K604" and problem["field"] == "nilai_skp" and problem["expected"] == "[0, 120]"
    assert words in problem["message"]


def test_every_problem_of_a_record_is_listed(server: Server) -> None:
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate",
                         {"input": {"nilai_skp": "abc", "nilai_perilak": 76}}, {"Accept-Language": "en"})  # fmt: skip
    codes = {(e["code"], e["field"]) for e in answer.json()["errors"]}
    assert {("K602", "nilai_skp"), ("K603", "nilai_perilak"), ("K601", "penilaian_360")} <= codes
    typo = [e for e in answer.json()["errors"] if e["code"] == "K603"][0]
    assert "nilai_perilaku" in (typo.get("suggestion") or "")


@pytest.mark.parametrize(("body", "headers", "status", "code"), [
    ("{not json", {"Content-Type": "application/json"}, 400, "S_BAD_JSON"),
    ("[1, 2]", {"Content-Type": "application/json"}, 400, "S_NOT_OBJECT"),
    ('{"inputs": {}}', {"Content-Type": "application/json"}, 400, "S_FIELD_UNKNOWN"),
    ('{"input": [1]}', {"Content-Type": "application/json"}, 422, "S_FIELD_TYPE"),
    ('{"trace": true}', {"Content-Type": "application/json"}, 422, "S_FIELD_MISSING"),
    ('{"input": {}, "trace": "yes"}', {"Content-Type": "application/json"}, 422, "S_FIELD_TYPE"),
    ("input=1", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "S_MEDIA_TYPE"),
    (b"\xff\xfe{}", {"Content-Type": "application/json"}, 400, "S_NOT_UTF8"),
])  # fmt: skip
def test_malformed_requests_are_named(server: Server, body: Any, headers: dict[str, str], status: int, code: str) -> None:
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", body, headers)
    assert answer.status == status, answer.text
    assert answer.json()["errors"][0]["code"] == code


def test_routes_and_methods_that_do_not_exist(server: Server) -> None:
    missing = server.call("GET", "/v2/anything", headers={"Accept-Language": "en"})
    assert missing.status == 404 and missing.json()["errors"][0]["code"] == "S_NO_ROUTE"
    # the root is the studio page for a browser, and names the API's entry points for a client asking for JSON
    index = server.call("GET", "/", headers={"Accept": "application/json"}).json()
    assert index["openapi"] == "/openapi.json" and index["rulesets"] == "/v1/rulesets"
    wrong = server.call("GET", "/v1/rulesets/pp-30-2019/evaluate")
    assert wrong.status == 405 and wrong.json()["errors"][0]["code"] == "S_METHOD" and "POST" in wrong.headers["allow"]


def test_limits_are_413_with_a_clear_message(server: Server) -> None:
    huge = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", b"{" + b" " * 2_000_001 + b"}",
                       {"Content-Type": "application/json", "Accept-Language": "en"})  # fmt: skip
    assert huge.status == 413 and "2000000 bytes" in huge.json()["errors"][0]["message"]
    long = server.call("POST", "/v1/rulesets/pp-30-2019/batch", {"inputs": [PP] * 5001})
    assert long.status == 413 and long.json()["errors"][0]["code"] == "S_BATCH_TOO_LONG"
    text = server.call("POST", "/v1/check", "ruleset x version 1.0.0\n" + "# " + "x" * 100_001, {"Content-Type": "text/plain"})
    assert text.status == 413 and text.json()["errors"][0]["code"] == "S_TEXT_TOO_LARGE"
    after = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP})
    assert after.status == 200  # refusing one request leaves the service answering


def test_slow_and_malformed_clients_do_not_stall_the_others(server: Server) -> None:
    held = []
    for _ in range(8):  # more slow clients than worker processes, each a body promised and never sent
        slow = socket.create_connection(("127.0.0.1", server.port))
        slow.sendall(b"POST /v1/rulesets/pp-30-2019/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{")  # fmt: skip
        held.append(slow)
    garbage = socket.create_connection(("127.0.0.1", server.port))
    garbage.sendall(b"\x00\x01 NOT HTTP AT ALL\r\n\r\n")
    try:
        for _ in range(10):
            assert server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP}, timeout=10).status == 200
        garbage.settimeout(10)
        refused = garbage.recv(100)
        assert refused == b"" or refused.startswith(b"HTTP/1.1 400")  # answered 400, or the connection closed
        held[0].settimeout(15)
        late = b""  # --body-timeout 2: the slow client is answered 408, not left hanging
        while b"S_SLOW_BODY" not in late and (chunk := held[0].recv(4096)):
            late += chunk
        assert late.startswith(b"HTTP/1.1 408") and b"S_SLOW_BODY" in late
    finally:
        for connection in [*held, garbage]:
            connection.close()


def test_explain_in_both_languages(server: Server) -> None:
    english = server.call("POST", "/v1/rulesets/pp-30-2019/explain", {"input": PP}, {"Accept-Language": "en"}).json()
    indonesian = server.call("POST", "/v1/rulesets/pp-30-2019/explain", {"input": PP}).json()
    assert english["outputs"]["predikat"] == "Baik" and english["decision_id"]
    assert english["text"] == kinerja.explain(kinerja.load("pp-30-2019"), kinerja.load("pp-30-2019").evaluate(PP, trace=True), "en")
    assert english["lines"] == english["text"].splitlines() and english["trace"]
    narrative = english["narrative"]
    assert [step["name"] for step in narrative["inputs"]][:2] == ["nilai_skp", "nilai_perilaku"]
    assert narrative["steps"][-1]["name"] == "predikat" and narrative["steps"][-1]["value"] == "Baik"
    assert indonesian["text"] != english["text"] and "90" in indonesian["text"]


# ---------------------------------------------------------------------- batch
def test_batch_json_one_result_per_input_in_order(server: Server) -> None:
    inputs = [PP, {"nilai_skp": "abc", "nilai_perilaku": 76, "penilaian_360": False}, "not a record",
              {"nilai_skp": 120, "nilai_perilaku": 110, "penilaian_360": True, "inovasi": True}]  # fmt: skip
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/batch", {"inputs": inputs}, {"Accept-Language": "en"})
    assert answer.status == 200
    body = answer.json()
    results = body["results"]
    assert [r.get("outputs", {}).get("predikat") for r in results] == ["Baik", None, None, "Sangat Baik"]
    assert results[1]["errors"][0]["code"] == "K602" and "is not" in results[1]["errors"][0]["message"]
    assert results[2]["errors"][0]["field"] == "<record>"
    assert [r["decision_id"] for r in results] == [f"{body['decision_id']}.{i}" for i in range(4)]
    assert '"nilai_kinerja": 90, ' in answer.text  # exact, as evaluate writes it


def test_batch_of_many_records_matches_single_evaluation(server: Server) -> None:
    inputs = [{"nilai_skp": Decimal(i % 12001) / 100, "nilai_perilaku": (i * 7) % 121, "penilaian_360": i % 3 == 0}
              for i in range(0, 4000, 1)]  # fmt: skip
    body = server.call("POST", "/v1/rulesets/pp-30-2019/batch", kinerja.to_json({"inputs": inputs}, indent=None),
                       {"Content-Type": "application/json"}).json(parse_float=Decimal)  # fmt: skip
    ruleset = kinerja.load("pp-30-2019")
    for record, result in zip(inputs, body["results"], strict=True):
        expected = ruleset.evaluate(record, trace=False).outputs
        assert result["outputs"] == {"nilai_kinerja": expected["nilai_kinerja"], "predikat": expected["predikat"]}


def test_batch_csv_body_gives_the_file_kinerja_batch_writes(server: Server, tmp_path: Path) -> None:
    source = REPO / "examples" / "pegawai.csv"
    target = tmp_path / "hasil.csv"
    subprocess.run([*kinerja_command(), "batch", "pp-30-2019", str(source), "-o", str(target), "--id", "nip"], check=True,
                   capture_output=True)  # fmt: skip
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/batch?id=nip", source.read_bytes(), {"Content-Type": "text/csv"})
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.body == target.read_bytes()
    assert answer.headers["x-kinerja-rows"] == "5" and answer.headers["x-kinerja-errors"] == "1"


def test_batch_xlsx_body_and_answer(server: Server) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nip", "Nilai SKP", "nilai_perilaku", "penilaian_360"])
    sheet.append(["1", 96, 76, False])
    sheet.append(["2", 89.5, 80, True])
    buffer = io.BytesIO()
    book.save(buffer)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/batch?map=nilai_skp=Nilai%20SKP", buffer.getvalue(), {"Content-Type": media})
    assert answer.status == 200 and answer.headers["content-type"] == media
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.body)).active.iter_rows(values_only=True))
    assert rows[0][-3:] == ("nilai_kinerja", "predikat", "error")
    assert rows[1][-3:] == (90, "Baik", None) and rows[2][-2] == "Cukup"
    as_csv = server.call("POST", "/v1/rulesets/pp-30-2019/batch?map=nilai_skp=Nilai%20SKP&format=csv", buffer.getvalue(),
                         {"Content-Type": media})  # fmt: skip
    assert as_csv.text.splitlines()[1].endswith(",90,Baik,")
    bad_column = server.call("POST", "/v1/rulesets/pp-30-2019/batch?id=nomor", buffer.getvalue(), {"Content-Type": media})
    assert bad_column.status == 422 and bad_column.json()["errors"][0]["code"] == "B_USAGE_COLUMN"


# ---------------------------------------------------------------------- auditing
def cli_json(*arguments: str) -> Any:
    done = subprocess.run([*kinerja_command(), *arguments, "--format", "json"], capture_output=True, text=True)
    return json.loads(done.stdout)


def test_check_gives_what_kinerja_check_gives(server: Server, tmp_path: Path) -> None:
    text = (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8").replace("[70, 90)", "[70, 89)")
    path = tmp_path / "rusak.kin"
    path.write_text(text, encoding="utf-8")
    expected = cli_json("--lang", "en", "check", str(path))
    plain = server.call("POST", "/v1/check", text, {"Content-Type": "text/plain", "Accept-Language": "en"}).json()
    as_json = server.call("POST", "/v1/check", {"text": text, "path": str(path)}, {"Accept-Language": "en"}).json()
    assert as_json == expected
    assert [(d["code"], d["line"], d["message"]) for d in plain] == [(d["code"], d["line"], d["message"]) for d in expected]
    assert any(d["code"].startswith("K5") for d in expected)  # the gap [89, 90) is found


def test_diff_by_reference_and_by_text(server: Server) -> None:
    expected = cli_json("diff", "kmk-300-2022", "kmk-127-2026@1.0.0")
    assert server.call("POST", "/v1/diff", {"old": "kmk-300-2022", "new": {"ref": "kmk-127-2026@1.0.0"}}).json() == expected
    new_text = (REPO / "rulesets" / "kmk-127-2026@1.0.0.kin").read_text(encoding="utf-8")
    by_text = server.call("POST", "/v1/diff", {"old": "kmk-300-2022", "new": {"text": new_text}}).json()
    assert by_text["changes"] == expected["changes"]
    broken = server.call("POST", "/v1/diff", {"old": "pp-30-2019", "new": "ruleset x version 1.0.0\nvalue y = z\n"})
    assert broken.status == 422 and broken.json()["errors"][0]["code"].startswith("K")


def test_impact_from_rows_csv_text_and_a_multipart_file(server: Server, folder: Path) -> None:
    population = REPO / "examples" / "pegawai.csv"
    expected = cli_json("impact", "pp-30-2019", str(folder / "rules" / "uji-layanan@1.0.0.kin"), str(population), "--id", "nip")
    csv_text = population.read_text(encoding="utf-8")
    as_text = server.call("POST", "/v1/impact", {"old": "pp-30-2019", "new": "uji-layanan", "population": csv_text,
                                                 "id_column": "nip"}).json()  # fmt: skip
    boundary = "batas-uji"
    form = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in (("old", "pp-30-2019"), ("new", "uji-layanan"), ("id_column", "nip")))  # fmt: skip
    form += (f'--{boundary}\r\nContent-Disposition: form-data; name="population"; filename="pegawai.csv"\r\n'
             f"Content-Type: text/csv\r\n\r\n{csv_text}\r\n--{boundary}--\r\n")  # fmt: skip
    as_file = server.call("POST", "/v1/impact", form, {"Content-Type": f"multipart/form-data; boundary={boundary}"}).json()
    for answer in (as_text, as_file):  # the same report; the CLI's also names the command that reproduces it
        assert {k: v for k, v in answer.items() if k not in ("new", "command")} == \
            {k: v for k, v in expected.items() if k not in ("new", "command")}  # fmt: skip
        assert answer["rows"] == 5 and answer["invalid"]["either"] == 1
    uji = str(folder / "rules" / "uji-layanan@1.0.0.kin")
    grouped = cli_json("impact", "pp-30-2019", uji, str(population), "--id", "nip", "--group-by", "unit_kerja", "--output", "predikat")
    answer = server.call("POST", "/v1/impact", {"old": "pp-30-2019", "new": "uji-layanan", "population": csv_text, "id_column": "nip",
                                                "group_by": "unit_kerja", "outputs": ["predikat"]}).json()  # fmt: skip
    assert {k: v for k, v in answer.items() if k not in ("new", "command")} == \
        {k: v for k, v in grouped.items() if k not in ("new", "command")}  # fmt: skip
    unknown = server.call("POST", "/v1/impact", {"old": "pp-30-2019", "new": "uji-layanan", "population": csv_text,
                                                 "outputs": ["tidak_ada"]}, {"Accept-Language": "en"})  # fmt: skip
    assert unknown.status == 422 and "tidak_ada" in unknown.json()["errors"][0]["message"]


# ---------------------------------------------------------------------- operations
def test_openapi_document_is_valid_and_typed_per_ruleset(server: Server) -> None:
    from openapi_spec_validator import validate

    document = server.call("GET", "/openapi.json").json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    assert schemas["pp-30-2019_1.0.0.input"]["properties"]["nilai_skp"]["maximum"] == 120
    assert schemas["uji-layanan_1.0.0.output"]["properties"]["predikat"]["enum"]
    evaluate = document["paths"]["/v1/rulesets/pp-30-2019/evaluate"]["post"]
    assert evaluate["requestBody"]["content"]["application/json"]["schema"]["properties"]["input"]["$ref"].endswith(".input")
    assert "/v1/rulesets/{ref}/batch" in document["paths"] and "/v1/impact" in document["paths"]


def test_a_browser_page_of_an_allowed_origin_may_call(server: Server) -> None:
    preflight = server.call("OPTIONS", "/v1/rulesets/pp-30-2019/evaluate", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    assert preflight.status == 200 and preflight.headers["access-control-allow-origin"] == ORIGIN
    answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP}, {"Origin": ORIGIN})
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    stranger = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP}, {"Origin": "https://lain.example"})
    assert "access-control-allow-origin" not in stranger.headers


def test_health_and_prometheus_metrics(server: Server) -> None:
    assert server.call("GET", "/healthz").json() == {"status": "ok"}
    for _ in range(4):  # two workers: each answers /metrics with its own figures
        server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP})
    answer = server.call("GET", "/metrics")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    for family in ("kinerja_requests_total", "kinerja_decisions_total", "kinerja_errors_total", "kinerja_request_duration_seconds"):
        assert f"# TYPE {family} " in text
    assert 'route="/v1/rulesets/{ref}/evaluate",le="+Inf"}' in text or 'route="/healthz",le="+Inf"}' in text
    assert 'kinerja_requests_total{pid="' in text


# ---------------------------------------------------------------------- the decision log
def test_decision_log_whole_lines_under_8_concurrent_clients(server: Server, folder: Path) -> None:
    before = len(log_lines(folder))
    answered: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for round_ in range(12):
            record = {**PP, "nilai_skp": (number * 12 + round_) % 121}
            answer = server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": record, "subject": {"nip": f"N{number}"}})
            if answer.status != 200:
                failures.append(answer.text)
                continue
            with lock:
                answered.append(answer.json()["decision_id"])
            if round_ % 4 == 0:  # a batch: hundreds of lines in one append, racing the other clients' appends
                batch = server.call("POST", "/v1/rulesets/uji-layanan/batch", {"inputs": [record] * 200})
                with lock:
                    answered.extend(r["decision_id"] for r in batch.json()["results"])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    raw = (folder / "decisions.jsonl").read_text(encoding="utf-8")
    assert raw.endswith("\n")
    lines = log_lines(folder)  # every line parses whole: no line was cut or mixed with another
    new = lines[before:]
    assert len(new) == len(answered) == 8 * (12 + 3 * 200)
    assert sorted(line["decision_id"] for line in new) == sorted(answered)
    for line in new:
        assert set(line) >= {"decision_id", "time", "ruleset", "as_of", "input", "outputs"}
        assert line["time"].endswith("Z")


def test_masked_fields_are_salted_hashes_that_correlate(server: Server, folder: Path) -> None:
    for nip in ("198703152010011001", "198703152010011001", "199001012015031003"):
        server.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP, "subject": {"nip": nip, "unit": "Biro Umum"}})
    raw = (folder / "decisions.jsonl").read_text(encoding="utf-8")
    assert "198703152010011001" not in raw and "199001012015031003" not in raw
    last = log_lines(folder)[-3:]
    hashes = [line["subject"]["nip"] for line in last]
    assert all(h.startswith("hmac-sha256:") for h in hashes)
    assert hashes[0] == hashes[1] != hashes[2]
    assert last[0]["subject"]["unit"] == "Biro Umum" and last[0]["masked"] == ["nip"]
    assert last[0]["input"] == {"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False}


# ---------------------------------------------------------------------- replay (last: it edits the rules folder)
def replay(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*kinerja_command(), "--lang", "en", "replay", *arguments], capture_output=True, text=True)


def test_replay_confirms_then_catches_an_edited_ruleset_and_a_tampered_line(server: Server, folder: Path) -> None:
    log = folder / "decisions.jsonl"
    rules = folder / "rules"
    for ref in ("pp-30-2019", "uji-layanan"):  # decisions of its own, whatever ran before
        assert server.call("POST", f"/v1/rulesets/{ref}/evaluate", {"input": PP}).status == 200
    total = len(log_lines(folder))
    clean = replay(str(log), "--rules", str(rules))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.splitlines()[-1] == f"{total} replayed, 0 differ"

    tampered = folder / "tampered.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if '"predikat": "Baik"' in line and "pp-30-2019" in line)
    lines[first] = lines[first].replace('"predikat": "Baik"', '"predikat": "Sangat Baik"')
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    caught = replay(str(tampered), "--rules", str(rules))
    assert caught.returncode == 1
    assert caught.stdout.splitlines()[-1] == f"{total} replayed, 1 differ"
    assert "predikat: Sangat Baik → Baik" in caught.stdout

    edited = rules / "uji-layanan@1.0.0.kin"
    edited.write_text(edited.read_text(encoding="utf-8").replace("[90, 120]", "[85, 120]").replace("[70, 90)", "[70, 85)"),
                      encoding="utf-8")  # fmt: skip
    after_edit = replay(str(log), "--rules", str(rules))
    assert after_edit.returncode == 1
    uji = sum(1 for line in log_lines(folder) if line["ruleset"]["id"] == "uji-layanan")
    assert uji > 0
    assert after_edit.stdout.splitlines()[-1] == f"{total - uji} replayed, 0 differ"
    assert after_edit.stdout.count("no ruleset has the fingerprint") == uji
    report = kinerja.replay(log, [rules]).to_dict("en")  # the API under the command: the same figures as data
    assert report["unchecked"] == uji and report["replayed"] == total - uji and report["problems"][0]["code"] == "R_NOT_FOUND"


def test_batch_log_lines_are_the_single_decision_lines(tmp_path: Path) -> None:
    from kinerja.service.decision_log import DecisionLog

    log = DecisionLog(str(tmp_path / "log.jsonl"))
    ref = {"id": "pp-30-2019", "version": "1.0.0", "fingerprint": "sha256:x"}
    records = [PP, {"nilai_skp": "abc"}]
    outputs = ['{"nilai_kinerja": 90, "predikat": "Baik"}', None]
    errors = {1: [{"code": "K602", "field": "nilai_skp"}]}
    together = log.entries(["b.0", "b.1"], ref, None, records, outputs, errors)
    alone = [log.entry("b.0", ref, None, PP, outputs[0]), log.entry("b.1", ref, None, records[1], errors=errors[1])]
    log.write(together)
    log.close()
    for a, b in zip(together, alone, strict=True):
        assert {**json.loads(a), "time": ""} == {**json.loads(b), "time": ""}
    assert [json.loads(line)["decision_id"] for line in (tmp_path / "log.jsonl").read_text().splitlines()] == ["b.0", "b.1"]


def test_the_app_takes_more_routes_and_a_page_at_the_root(tmp_path: Path) -> None:
    """What the studio will need: its own JSON routes with the service's error answers, its page at `/`."""
    import time

    import uvicorn
    from kinerja.service.app import create_app, handler
    from kinerja.service.decide import service_of
    from kinerja.service.http import json_response, problem
    from serving import Server as Client
    from serving import free_port
    from starlette.requests import Request
    from starlette.routing import Route

    async def ids(request: Request) -> Any:
        if request.query_params.get("fail"):
            raise problem(422, "S_BAD_CHOICE", "en", "fail", None, value="1", known="-")
        return json_response({"rulesets": sorted({item.ruleset.id for item in service_of(request).library.listed()})})

    (tmp_path / "index.html").write_text("<!doctype html><title>studio</title>", encoding="utf-8")
    app = create_app(routes=[Route("/v1/ids", handler("/v1/ids", ids), methods=["GET"])], static=tmp_path)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        client = Client(port, None)  # type: ignore[arg-type]
        assert "pp-30-2019" in client.call("GET", "/v1/ids").json()["rulesets"]
        assert client.call("GET", "/v1/ids?fail=1").json()["errors"][0]["code"] == "S_BAD_CHOICE"
        page = client.call("GET", "/")
        assert page.status == 200 and "<title>studio</title>" in page.text
        assert client.call("POST", "/v1/rulesets/pp-30-2019/evaluate", {"input": PP}).json()["outputs"]["predikat"] == "Baik"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
