"""Auditing over HTTP: check ruleset text, diff two rulesets, impact on a population.

Each answers what the CLI's `--format json` prints. A ruleset is named by
reference (`"pp-30-2019"`, `{"ref": "pp-30-2019@1.0.0"}`) or given as text
(`{"text": "ruleset …"}`, or a string that is not a reference); text is
loaded by a library of its own for the request, so what clients post never
fills the service's caches. A population is a list of row objects, CSV text,
or a CSV/JSONL/XLSX file in a multipart form.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import kinerja
from kinerja.audit.impact import ImpactReport
from kinerja.diagnostics.messages import message
from kinerja.library.api import Library
from kinerja.library.ruleset import Ruleset
from starlette.requests import Request
from starlette.responses import Response

from . import tables
from .decide import service_of
from .forms import Part, parse_form
from .http import JSON, body, json_object, json_response, language, problem, read_json
from .library import REFERENCE

if TYPE_CHECKING:
    from .state import Service


def _text_size(service: Service, text: str, field: str, lang: str) -> None:
    size = len(text.encode("utf-8"))
    if size > service.limits.max_ruleset:
        raise problem(413, "S_TEXT_TOO_LARGE", lang, field, size=size, limit=service.limits.max_ruleset)


def _ruleset(service: Service, value: Any, field: str, lang: str) -> Ruleset:
    """A ruleset named by reference or given as text (see the module docstring)."""
    if isinstance(value, dict) and set(value) <= {"ref", "text"} and len(value) == 1:
        value = value.get("ref") if "ref" in value else {"text": value["text"]}
    if isinstance(value, str) and REFERENCE.fullmatch(value.strip()):
        return service.library.resolve(value.strip())[0]
    text = value["text"] if isinstance(value, dict) else value
    if not isinstance(text, str):
        raise problem(422, "S_FIELD_TYPE", lang, field, "string", words=message("S_WORD_TEXT_OR_REF", lang))
    _text_size(service, text, field, lang)
    return Library(service.library.library.folders).load_text(text, f"<{field}>")


async def _fields(request: Request, service: Service, lang: str, known: tuple[str, ...], example: str) -> dict[str, Any]:
    """A JSON object, or a multipart form whose text fields are strings and whose files stay `Part`s."""
    media = request.headers.get("content-type", "")
    if media.split(";")[0].strip().lower() == "multipart/form-data":
        parts = parse_form(media, await body(request, service.limits, lang), lang)
        return {name: (part if part.filename is not None else part.text()) for name, part in parts.items()}
    return await json_object(request, service.limits, lang, example, known)


async def check(request: Request) -> Response:
    service, lang = service_of(request), language(request)
    media = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    name = "<request>"
    if media == JSON:
        data = await json_object(request, service.limits, lang, '{"text": "ruleset …"}', ("text", "path"))
        text = data.get("text")
        if not isinstance(text, str):
            raise problem(422, "S_FIELD_TYPE", lang, "text", "string", words=message("S_WORD_TEXT", lang))
        name = str(data.get("path") or name)  # a name for the diagnostics only: never opened
    elif media.startswith("text/") or media in ("", "application/octet-stream"):
        raw = await body(request, service.limits, lang)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as failure:
            raise problem(400, "S_NOT_UTF8", lang, offset=failure.start) from None
    else:
        raise problem(415, "S_MEDIA_TYPE", lang, media=media, expected="text/plain, application/json")
    _text_size(service, text, "text", lang)
    library = Library(service.library.library.folders)
    found = await anyio.to_thread.run_sync(lambda: library.check_text(text, name))
    return json_response([d.to_dict(lang) for d in found])


async def diff(request: Request) -> Response:
    service, lang = service_of(request), language(request)
    data = await _fields(request, service, lang, ("old", "new"), '{"old": "pp-30-2019", "new": {"text": "ruleset …"}}')
    sides = [_side(service, data, name, lang) for name in ("old", "new")]
    report = await anyio.to_thread.run_sync(lambda: kinerja.diff(sides[0], sides[1]))
    return json_response(report.to_dict(lang))


def _side(service: Service, data: dict[str, Any], name: str, lang: str) -> Ruleset:
    if name not in data:
        raise problem(422, "S_FIELD_MISSING", lang, name, "string", words=message("S_WORD_TEXT_OR_REF", lang))
    value = data[name]
    if isinstance(value, Part):
        value = {"text": value.text()}
    return _ruleset(service, value, name, lang)


async def impact(request: Request) -> Response:
    report, lang = await _impact(request)
    return json_response(report.to_dict(lang))


async def impact_report(request: Request) -> Response:
    """The impact as `kinerja impact --report` writes it: one self-contained HTML page."""
    report, lang = await _impact(request)
    page = await anyio.to_thread.run_sync(lambda: kinerja.render_report(report, lang))
    headers = {"Content-Disposition": f'attachment; filename="{report.new.id}-dampak.html"'}
    return Response(page.encode("utf-8"), 200, headers, "text/html; charset=utf-8")


async def impact_table(request: Request) -> Response:
    """The per-person table of `kinerja impact -o FILE` (`?format=csv|xlsx|jsonl`): who moved, and what moved them.

    The table's writer writes files only, so it is written into a private temporary folder that is
    removed before the answer is sent: the table exists nowhere once it is downloaded."""
    kind = request.query_params.get("format", "csv")
    lang = language(request)
    if kind not in tables.FORMATS:
        raise problem(422, "S_BAD_CHOICE", lang, "format", list(tables.FORMATS), value=kind, known=", ".join(tables.FORMATS))

    def people(folder: str) -> str:
        return str(Path(folder) / f"dampak.{kind}")

    with tempfile.TemporaryDirectory(prefix="kinerja-impact-") as folder:
        report, lang = await _impact(request, people(folder))
        data = Path(people(folder)).read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="{report.new.id}-dampak.{kind}"',
               "X-Kinerja-Rows": str(report.rows), "X-Kinerja-Changed": str(report.changed)}  # fmt: skip
    return Response(data, 200, headers, tables.MEDIA_TYPES[kind])


async def _impact(request: Request, people: str | None = None) -> tuple[ImpactReport, str]:
    service, lang = service_of(request), language(request)
    example = '{"old": "kmk-300-2022", "new": "kmk-127-2026", "population": [{...}]}'
    data = await _fields(request, service, lang, ("old", "new", "population", "id_column", "group_by", "outputs"), example)
    old, new = (_side(service, data, name, lang) for name in ("old", "new"))
    rows = _population(service, data.get("population"), lang)
    id_column, group_by = (_text(data.get(name), name, lang) for name in ("id_column", "group_by"))
    outputs = data.get("outputs")
    if isinstance(outputs, str):  # a form field: names separated by commas
        outputs = [name.strip() for name in outputs.split(",") if name.strip()]
    if outputs is not None and (not isinstance(outputs, list) or not all(isinstance(n, str) for n in outputs)):
        raise problem(422, "S_FIELD_TYPE", lang, "outputs", "array", words=message("S_WORD_TEXT", lang))
    report = await anyio.to_thread.run_sync(
        lambda: kinerja.impact(old, new, rows, id_column, lang, outputs=outputs or None, group_by=group_by, people=people))
    return report, lang


def _text(value: Any, field: str, lang: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise problem(422, "S_FIELD_TYPE", lang, field, "string", words=message("S_WORD_TEXT", lang))
    return value


def _population(service: Service, value: Any, lang: str) -> list[dict[str, Any]]:
    limit = service.limits.max_batch
    words = tables.population_words(lang)
    if isinstance(value, Part):
        kind = tables.file_format(value.filename or "", value.content_type)
        if kind is None:
            raise problem(415, "S_MEDIA_TYPE", lang, "population", media=value.content_type or value.filename,
                          expected="text/csv, application/x-ndjson, .xlsx")  # fmt: skip
        return tables.population(value.data, kind, lang, limit)
    if isinstance(value, str):
        if value.lstrip().startswith("["):  # a JSON list sent as a form field
            value = read_json(value.encode("utf-8"), lang)
        else:
            return tables.population(value.encode("utf-8"), "csv", lang, limit)
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        code = "S_FIELD_MISSING" if value is None else "S_FIELD_TYPE"
        raise problem(422, code, lang, "population", "array", words=words)
    if len(value) > limit:
        raise problem(413, "S_BATCH_TOO_LONG", lang, "population", count=len(value), limit=limit)
    return value


__all__ = ["check", "diff", "impact", "impact_report", "impact_table"]
