"""What the studio page needs beyond the decision routes: ruleset text checked with its fixes,
formatted, rendered as a document, its examples run, tried on one employee, saved.

Every route is a thin handler over a public function: `Library.check_report` through the
language server's protocol-free `lsp.analysis` and `lsp.fixes` (the same findings and quick
fixes an editor gets), `syntax.format.format_text`, `kinerja.render_document`,
`Ruleset.run_examples`, `audit.explain.narrate`, `kinerja.why_not`. Text posted here is loaded
by a library of its own for the request (as `/v1/check` does), so it never fills the service's
caches. Positions sent back are what a browser editor counts: lines and columns from 0, columns
in UTF-16 code units (a JavaScript string's indices).

    POST /v1/author/check     {"text"}                 -> {"diagnostics": [... with from/to, related, fixes]}
    POST /v1/author/format    {"text"}                 -> {"text"}
    POST /v1/author/document  {"text"}                 -> {"html"}
    POST /v1/author/examples  {"text"}                 -> {"examples": [...], "unreached": [...]}
    POST /v1/author/schema    {"text"}                 -> the input JSON Schema
    POST /v1/author/try       {"text", "input"}        -> outputs, the narrative, the next label and why not
    POST /v1/author/why-not   {"text", "input", "target"?}
    GET  /v1/author/folders                            -> the --rules folders a text may be saved into
    POST /v1/author/save      {"text", "folder"?, "name"?, "overwrite"?}
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import kinerja
from kinerja.audit.counterfactual import Target, parse_target
from kinerja.audit.explain import narrate
from kinerja.audit.figures import label_order
from kinerja.diagnostics.diagnostic import ERROR, Diagnostic, InputError, RulesetError
from kinerja.diagnostics.messages import message
from kinerja.library import registry
from kinerja.library.api import Library
from kinerja.library.ruleset import Ruleset
from kinerja.lsp.analysis import Snapshot, analyse
from kinerja.lsp.fixes import Fix, fixes_for
from kinerja.lsp.text import UTF16, Text
from kinerja.semantics.check import suggest
from kinerja.semantics.values import json_ready
from kinerja.syntax.format import format_text
from starlette.requests import Request
from starlette.responses import Response

from . import tables
from .decide import service_of
from .http import Problem, body, diagnostic_error, flag, header, json_object, json_response, language, problem

if TYPE_CHECKING:
    from .state import Service

EDITED = "<studio>"  # how the edited text is named in findings (never a file: it is not opened)
UNREACHED = ("K520", "K521", "K522")  # a row, a cell, an exception no example reaches


# ---------------------------------------------------------------------- reading a request
def _text(service: Service, data: dict[str, Any], lang: str) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        code = "S_FIELD_MISSING" if text is None else "S_FIELD_TYPE"
        raise problem(422, code, lang, "text", "string", words=message("S_WORD_TEXT", lang))
    size = len(text.encode("utf-8"))
    if size > service.limits.max_ruleset:
        raise problem(413, "S_TEXT_TOO_LARGE", lang, "text", size=size, limit=service.limits.max_ruleset)
    return text


def _library(service: Service) -> Library:
    """A library of the request's own over the service's folders (`extends` resolves as the service's does)."""
    return Library(service.library.library.folders)


async def _request(request: Request, known: tuple[str, ...], example: str) -> tuple[Service, str, dict[str, Any], str]:
    service, lang = service_of(request), language(request)
    data = await json_object(request, service.limits, lang, example, known)
    return service, lang, data, _text(service, data, lang)


def _load(service: Service, text: str) -> Ruleset:
    """The text as a ruleset; a text with errors is answered 422 with its findings (RulesetError)."""
    return _library(service).load_text(text, EDITED)


def _record(data: dict[str, Any], lang: str) -> dict[str, Any]:
    record = data.get("input")
    if not isinstance(record, dict):
        code = "S_FIELD_MISSING" if record is None else "S_FIELD_TYPE"
        raise problem(422, code, lang, "input", "object", words=message("S_WORD_RECORD", lang))
    return record


# ---------------------------------------------------------------------- check with fixes
def _position(text: Text, point: tuple[int, int]) -> dict[str, int]:
    line, character = text.to_client(point)
    return {"line": line, "character": character}


def _place(snapshot: Snapshot, d: Diagnostic) -> tuple[dict[str, int], dict[str, int]] | None:
    if d.span.file != snapshot.path or d.span.line <= 0:
        return None
    start, end = snapshot.text.span_points(d.span)
    return _position(snapshot.text, start), _position(snapshot.text, end)


def _fix(snapshot: Snapshot, fix: Fix) -> dict[str, Any]:
    edits = [{"from": _position(snapshot.text, e.start), "to": _position(snapshot.text, e.end), "insert": e.new} for e in fix.edits]
    return {"title": fix.title, "preferred": fix.preferred, "disabled": fix.disabled, "edits": edits}


def _finding(snapshot: Snapshot, d: Diagnostic, lang: str) -> dict[str, Any]:
    """`Diagnostic.to_dict` with where a browser editor draws it, its related places and its fixes.

    A finding in another file (a hole in the ruleset this one `extends`) is drawn on the first line."""
    entry = d.to_dict(lang)
    place = _place(snapshot, d)
    entry["here"] = place is not None
    start, end = place if place is not None else ({"line": 0, "character": 0}, {"line": 0, "character": len(snapshot.text.lines[0])})
    entry["from"], entry["to"] = start, end
    entry["help"] = message("help", lang)
    entry["witness_word"] = message("witness", lang)
    entry["fixes"] = [_fix(snapshot, f) for f in fixes_for(snapshot, d, lang)]
    return entry


def check_with_fixes(library: Library, text: str, lang: str) -> dict[str, Any]:
    """Every finding of `kinerja check` on the text, each with its place and quick fixes."""
    snapshot = analyse(library, "studio:edited", None, text, EDITED, UTF16)
    findings = [_finding(snapshot, d, lang) for d in snapshot.diagnostics]
    errors = sum(1 for d in snapshot.diagnostics if d.severity == ERROR)
    header = snapshot.source.header if snapshot.source is not None else None
    return {"diagnostics": findings, "errors": errors, "warnings": len(findings) - errors,
            "ruleset": {"id": header.id, "version": header.version, "title": header.title} if header else None}  # fmt: skip


async def check(request: Request) -> Response:
    service, lang, _, text = await _request(request, ("text",), '{"text": "ruleset …"}')
    library = _library(service)
    return json_response(await anyio.to_thread.run_sync(lambda: check_with_fixes(library, text, lang)))


# ---------------------------------------------------------------------- format, document, examples
async def format_route(request: Request) -> Response:
    _, _, _, text = await _request(request, ("text",), '{"text": "ruleset …"}')
    formatted = await anyio.to_thread.run_sync(lambda: format_text(text, EDITED))
    return json_response({"text": formatted, "changed": formatted != text})


async def document(request: Request) -> Response:
    service, lang, _, text = await _request(request, ("text",), '{"text": "ruleset …"}')

    def render() -> str:
        return str(kinerja.render_document(_load(service, text), "html", lang))

    return json_response({"html": await anyio.to_thread.run_sync(render)})


async def examples(request: Request) -> Response:
    service, lang, _, text = await _request(request, ("text",), '{"text": "ruleset …"}')
    library = _library(service)

    def run() -> dict[str, Any]:
        report = library.check_report(text, EDITED)
        if any(d.severity == ERROR for d in report.diagnostics) or report.module is None:
            raise RulesetError([d for d in report.diagnostics if d.severity == ERROR])
        outcomes = Ruleset.from_module(report.module, EDITED).run_examples()
        unreached = [diagnostic_error(d, lang) for d in report.diagnostics if d.code in UNREACHED]
        return {"examples": [o.to_dict(lang) for o in outcomes], "passed": sum(o.passed for o in outcomes),
                "failed": sum(not o.passed for o in outcomes), "unreached": unreached}  # fmt: skip

    return json_response(await anyio.to_thread.run_sync(run))


async def schema(request: Request) -> Response:
    service, _, _, text = await _request(request, ("text",), '{"text": "ruleset …"}')
    ruleset = await anyio.to_thread.run_sync(lambda: _load(service, text))
    return json_response(kinerja.input_schema(ruleset))


# ---------------------------------------------------------------------- one employee


def next_label(ruleset: Ruleset, outputs: dict[str, Any]) -> Target | None:
    """`predikat = <the label one above the employee's>` for the first output whose labels have an order."""
    for name in ruleset.output_names:
        order = label_order(ruleset, name)
        current = outputs.get(name)
        if order is None or current not in order:
            continue
        rank = order.index(current)
        if rank + 1 < len(order):
            return parse_target(f"{name}={order[rank + 1]}", ruleset)
        return None
    return None


def _why_not(ruleset: Ruleset, record: dict[str, Any], target: Target, lang: str) -> dict[str, Any]:
    answer = kinerja.why_not(ruleset, record, target, text_values=True)
    return {**answer.to_dict(), "lines": answer.render(lang).splitlines(), "target_text": target.text()}


async def try_route(request: Request) -> Response:
    service, lang, data, text = await _request(request, ("text", "input"), '{"text": "ruleset …", "input": {...}}')
    record = _record(data, lang)

    def run() -> dict[str, Any]:
        ruleset = _load(service, text)
        try:
            result = ruleset.evaluate(record, trace=True, text_values=True)
        except (InputError, kinerja.EvaluationError) as failure:
            raise Problem(422, [diagnostic_error(d, lang) for d in failure.diagnostics]) from None
        narrative = narrate(ruleset, result, lang)
        outputs = {name: json_ready(value) for name, value in result.outputs.items()}
        target = next_label(ruleset, dict(result.outputs))
        answer: dict[str, Any] = {"ruleset": ruleset.ref.to_dict(), "outputs": outputs, "lines": narrative.text().splitlines(),
                                  "narrative": {"head": list(narrative.head), "result": narrative.result,
                                                "inputs": [_step(x) for x in narrative.inputs],
                                                "steps": [_step(x) for x in narrative.steps]}}  # fmt: skip
        answer["why_not"] = _why_not(ruleset, record, target, lang) if target is not None else None
        return answer

    return json_response(await anyio.to_thread.run_sync(run))


def _step(step: Any) -> dict[str, Any]:
    return {"name": step.name, "kind": step.kind, "value": json_ready(step.value), "lines": list(step.lines)}


async def why_not_route(request: Request) -> Response:
    service, lang, data, text = await _request(request, ("text", "input", "target"),
                                               '{"text": "ruleset …", "input": {...}, "target": "predikat=Baik"}')  # fmt: skip
    record = _record(data, lang)
    wanted = data.get("target")
    if wanted is not None and not isinstance(wanted, str):
        raise problem(422, "S_FIELD_TYPE", lang, "target", "string", words=message("S_WORD_TEXT", lang))

    def run() -> dict[str, Any]:
        ruleset = _load(service, text)
        if wanted:
            target = parse_target(wanted, ruleset)
        else:
            outputs = ruleset.evaluate(record, trace=False, text_values=True).outputs
            target = next_label(ruleset, dict(outputs))
            if target is None:
                raise problem(422, "U_WHY_NO_NEXT", lang, "target")
        return _why_not(ruleset, record, target, lang)

    return json_response(await anyio.to_thread.run_sync(run))


# ---------------------------------------------------------------------- save as
def _folders(service: Service) -> list[Path]:
    return [Path(folder) for folder in service.config.rules]


async def folders(request: Request) -> Response:
    return json_response({"folders": [str(f) for f in _folders(service_of(request))]})


def _file_name(name: Any, ruleset_id: str, version: str, lang: str) -> str:
    """`<id>@<version>.kin`, the only name a ruleset file may have in a folder; anything else is refused."""
    wanted = f"{ruleset_id}@{version}.kin"
    if name is None or name == "":
        return wanted
    if not isinstance(name, str) or name != wanted:
        raise problem(422, "U_SAVE_NAME", lang, "name", wanted, name=str(name), wanted=wanted)
    return wanted


def save_text(service: Service, text: str, folder_choice: Any, name: Any, overwrite: bool, lang: str) -> dict[str, Any]:
    """Write checked ruleset text as `<id>@<version>.kin` into one of the service's `--rules` folders."""
    choices = _folders(service)
    if not choices:
        raise problem(409, "U_SAVE_NO_FOLDER", lang, "folder")
    folder = _folder(choices, folder_choice, lang)
    report = _library(service).check_report(text, EDITED)
    errors = [d for d in report.diagnostics if d.severity == ERROR]
    if errors or report.source is None:
        raise Problem(422, [diagnostic_error(d, lang) for d in errors])
    header = report.source.header
    file_name = _file_name(name, header.id, header.version, lang)
    shipped = registry.shipped_folder() / file_name
    if shipped.exists():
        raise problem(409, "U_SAVE_SHIPPED", lang, "name", ref=f"{header.id}@{header.version}")
    target = (folder / file_name).resolve()
    if target.parent != folder.resolve():  # a symbolic link out of the folder: never followed
        raise problem(422, "U_SAVE_NAME", lang, "name", file_name, name=file_name, wanted=file_name)
    existed = target.exists() or target.is_symlink()
    if existed and not overwrite:
        raise problem(409, "U_SAVE_EXISTS", lang, "overwrite", path=str(target))
    handle, temporary = tempfile.mkstemp(prefix=f".{file_name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, target)  # whole or not at all: a reader never sees half a ruleset
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {"path": str(target), "ref": f"{header.id}@{header.version}", "replaced": existed,
            "message": message("U_SAVED", lang, path=str(target), ref=f"{header.id}@{header.version}")}  # fmt: skip


def _folder(choices: list[Path], wanted: Any, lang: str) -> Path:
    """One of the `--rules` folders, by its index or its path exactly as listed; nothing else."""
    if wanted is None or wanted == "":
        return choices[0]
    if isinstance(wanted, int) and not isinstance(wanted, bool) and 0 <= wanted < len(choices):
        return choices[wanted]
    if isinstance(wanted, str) and wanted in [str(c) for c in choices]:
        return Path(wanted)
    raise problem(422, "U_SAVE_FOLDER", lang, "folder", folder=str(wanted), known=", ".join(str(c) for c in choices))


async def save(request: Request) -> Response:
    service, lang, data, text = await _request(request, ("text", "folder", "name", "overwrite"),
                                               '{"text": "ruleset …", "overwrite": false}')  # fmt: skip
    overwrite = flag(data.get("overwrite"), "overwrite", lang)
    answer = await anyio.to_thread.run_sync(lambda: save_text(service, text, data.get("folder"), data.get("name"), overwrite, lang))
    return json_response(answer, 201 if not answer["replaced"] else 200)


# ---------------------------------------------------------------------- a file's columns for scoring
def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def suggest_columns(inputs: list[str], columns: list[str]) -> dict[str, str]:
    """Each input's column by name: the same name, else the same letters and digits, else the closest name."""
    chosen: dict[str, str] = {}
    free = list(columns)
    for rule in (lambda i, c: i == c, lambda i, c: _key(i) == _key(c)):
        for name in inputs:
            found = next((c for c in free if name not in chosen and rule(name, c)), None)
            if found is not None:
                chosen[name] = found
                free.remove(found)
    for name in inputs:
        if name in chosen or not free:
            continue
        hint = suggest(name, free)
        if hint is not None:
            column = str(dict(hint.args)["name"])
            chosen[name] = column
            free.remove(column)
    return {name: chosen[name] for name in inputs if name in chosen}


async def columns(request: Request) -> Response:
    """`POST /v1/rulesets/{ref}/columns` with a CSV/JSONL/XLSX body: its columns, the ruleset's inputs and
    the suggested `map` (input -> column); `POST /v1/columns`: the columns only."""
    service, lang = service_of(request), language(request)
    kind = tables.body_format(header(request, b"content-type") or "")
    if kind is None:
        raise problem(415, "S_MEDIA_TYPE", lang, media=header(request, b"content-type") or "",
                      expected="text/csv, application/x-ndjson, .xlsx")  # fmt: skip
    data = await body(request, service.limits, lang)
    names = await anyio.to_thread.run_sync(lambda: tables.header(data, kind, lang))
    if "ref" not in request.path_params:  # `POST /v1/columns`: the columns only (an impact's id and unit columns)
        return json_response({"columns": names, "inputs": [], "suggested": {}})
    ruleset, _ = service.library.resolve(request.path_params["ref"])
    schema = kinerja.input_schema(ruleset)
    required = set(schema.get("required", ()))
    inputs = [{"name": n, "required": n in required, "description": schema["properties"].get(n, {}).get("description")}
              for n in ruleset.input_names]  # fmt: skip
    return json_response({"columns": names, "inputs": inputs, "suggested": suggest_columns(ruleset.input_names, names)})


ROUTES: list[tuple[str, Any, list[str]]] = [
    ("/v1/rulesets/{ref}/columns", columns, ["POST"]),
    ("/v1/columns", columns, ["POST"]),
    ("/v1/author/check", check, ["POST"]),
    ("/v1/author/format", format_route, ["POST"]),
    ("/v1/author/document", document, ["POST"]),
    ("/v1/author/examples", examples, ["POST"]),
    ("/v1/author/schema", schema, ["POST"]),
    ("/v1/author/try", try_route, ["POST"]),
    ("/v1/author/why-not", why_not_route, ["POST"]),
    ("/v1/author/folders", folders, ["GET"]),
    ("/v1/author/save", save, ["POST"]),
]

__all__ = ["ROUTES", "check_with_fixes", "next_label", "save_text", "suggest_columns"]
