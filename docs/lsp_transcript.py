"""Print the protocol transcript of a broken ruleset fixed by two quick fixes (docs/lsp-transcript.md).

    .venv/bin/python docs/lsp_transcript.py            # print the transcript (Markdown)
    .venv/bin/python docs/lsp_transcript.py --write    # and store it as docs/lsp-transcript.md

It starts `kinerja lsp` as an editor does and speaks to it over stdin/stdout: open a quadrant
whose column axis is misspelt (K101), apply the did-you-mean; the now-checked quadrant lacks
the "Sesuai Ekspektasi" row the regulation prints (K506), apply "add the row"; the ruleset
then has no errors. Every message both ways is shown; long ones are trimmed where marked.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from kinerja.lsp.client import LanguageClient, apply_edits

HERE = Path(__file__).resolve().parent
RULESET = '''ruleset uji-kuadran version 1.0.0
  title "Uji kuadran" source "Peraturan Uji" short "PU 1/2024"
type rating = scale "Di Bawah Ekspektasi" < "Sesuai Ekspektasi" < "Di Atas Ekspektasi"
input rating_hasil_kerja: rating "Rating hasil kerja"
input rating_perilaku_kerja: rating "Rating perilaku kerja"
quadrant predikat rows rating_hasil_kerja columns rating_prilaku_kerja
  | | "Di Bawah Ekspektasi" | "Sesuai Ekspektasi" | "Di Atas Ekspektasi" |
  | "Di Atas Ekspektasi"  | "Kurang" | "Baik" | "Sangat Baik" |
  | "Di Bawah Ekspektasi" | "Sangat Kurang" | "Butuh Perbaikan" | "Butuh Perbaikan" |
end
output predikat
'''


def kinerja_lsp() -> list[str]:
    script = Path(sys.executable).with_name("kinerja")
    return [str(script), "lsp"] if script.exists() else [sys.executable, "-m", "kinerja.cli.main", "lsp"]


def run() -> tuple[LanguageClient, str]:
    """The conversation; returns the client (with its transcript) and the final text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kuadran.kin"
        path.write_text(RULESET, encoding="utf-8")
        uri = path.as_uri()
        client = LanguageClient(kinerja_lsp(), timeout=60)
        try:
            client.initialize("en")
            text = RULESET
            found = client.open(uri, text)
            for version, code in ((2, "K101"), (3, "K506")):
                [finding] = [d for d in found if d["severity"] == 1]
                assert finding["code"] == code, found
                [fix] = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": finding["range"],
                                                                   "context": {"diagnostics": [finding], "only": ["quickfix"]}})  # fmt: skip
                text = apply_edits(text, fix["edit"]["changes"][uri])
                found = client.change(uri, text, version)
            assert [d for d in found if d["severity"] == 1] == [], found
        finally:
            client.close()
        client.transcript[:] = [_anonymous(e, uri) for e in client.transcript]
    return client, text


def _anonymous(exchange: Any, uri: str) -> Any:
    """The same exchange with the temporary folder's URI written as a fixed one."""
    exchange.message = json.loads(json.dumps(exchange.message).replace(uri, "file:///work/kuadran.kin"))
    return exchange


def _trimmed(message: dict[str, Any]) -> dict[str, Any]:
    """Shorten what says nothing about this scenario (client and server capabilities)."""
    shown = json.loads(json.dumps(message))
    params = shown.get("params")
    if shown.get("method") == "initialize" and isinstance(params, dict):
        params["capabilities"] = "… (hover, completion, code actions with disabled support, rename, …)"
    result = shown.get("result")
    if isinstance(result, dict) and "capabilities" in result:
        result["capabilities"] = sorted(result["capabilities"])
    if isinstance(result, list):
        for action in result:
            if isinstance(action, dict) and "diagnostics" in action:
                action["diagnostics"] = [f"{d['code']} (the diagnostic the request named)" for d in action["diagnostics"]]
    if isinstance(params, dict) and isinstance(params.get("context"), dict):
        params["context"]["diagnostics"] = [{"code": d["code"], "range": d["range"], "message": d["message"]}
                                            for d in params["context"]["diagnostics"]]  # fmt: skip
    return shown


def _pretty(value: Any, depth: int = 0, width: int = 110) -> str:
    """JSON with every part that fits on a line kept on one line (ranges, positions, short lists)."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + 2 * depth <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {_pretty(v, depth + 1, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [inner + _pretty(v, depth + 1, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def markdown(client: LanguageClient, final: str) -> str:
    out = ["# `kinerja lsp`: a broken ruleset fixed by two quick fixes", "",
           "Made by `docs/lsp_transcript.py` (the test suite checks it is current). `->` is the editor",
           "(a small JSON-RPC client) to `kinerja lsp`, `<-` the server to the editor. Capabilities are",
           "trimmed to their names.", ""]  # fmt: skip
    for number, exchange in enumerate(client.transcript, start=1):
        message = exchange.message
        what = message.get("method") or f"response to #{message.get('id')}"
        out.append(f"### {number}. {exchange.direction} {what}")
        out.append("```json")
        out.append(_pretty(_trimmed(message)))
        out.append("```")
    out += ["", "The text after both fixes: no errors; the three new empty cells are K507 warnings, each with its own Fill-the-cell quick fixes:", "",
            "```", final.rstrip("\n"), "```", ""]  # fmt: skip
    return "\n".join(out)


def main() -> None:
    client, final = run()
    text = markdown(client, final)
    sys.stdout.write(text)
    if "--write" in sys.argv[1:]:
        (HERE / "lsp-transcript.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
