"""Rulesets and decisions: list, show, schema, evaluate, explain, batch.

`evaluate` and `explain` answer one record, `batch` many (a JSON list, or a
CSV/JSONL/XLSX body scored into the same file type `kinerja batch` writes).
Every decision gets an id (`batch` items: the batch's id, a dot, the item's
0-based index) and, with a decision log, one log line written before the
answer is sent. Records are read as a spreadsheet cell is: JSON numbers,
booleans and labels, and also numbers sent as strings (`"96"`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import anyio
import kinerja
from kinerja.audit.explain import ExplainedStep, Narrative, narrate
from kinerja.diagnostics.diagnostic import EvaluationError, InputError, KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.eval.evaluate import Result
from kinerja.library.api import Selection
from kinerja.library.ruleset import Ruleset
from kinerja.library.scoring import LABEL, ScoredRecords
from kinerja.semantics.values import json_ready, to_json
from starlette.requests import Request
from starlette.responses import Response

from . import tables
from .http import (
    Problem,
    body,
    diagnostic_error,
    flag,
    header,
    json_object,
    json_response,
    language,
    problem,
    text_response,
)

if TYPE_CHECKING:
    from .state import Service

INLINE = 256  # batches up to this many records are scored on the event loop; longer ones on a worker thread


def service_of(request: Request) -> Service:
    """The app's `Service` (put in each request's scope by the app's outer layer)."""
    return request.scope["kinerja.service"]  # type: ignore[no-any-return]


def as_of_date(value: Any, lang: str, field: str = "as_of") -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad_date(value, lang, field)
    except ValueError:
        return _bad_date(value, lang, field)


def _bad_date(value: Any, lang: str, field: str) -> date:
    raise problem(422, "S_BAD_DATE", lang, field, "YYYY-MM-DD", value=to_json(value, indent=None))


def selection_of(selection: Selection | None, lang: str) -> dict[str, Any] | None:
    if selection is None or selection.as_of is None:
        return None
    return {"ref": selection.ref, "as_of": selection.as_of.isoformat(), "superseded": selection.superseded,
            "successor": selection.successor, "revises": getattr(selection, "revises", None),
            "note": selection.note(lang)}  # fmt: skip


# ---------------------------------------------------------------------- rulesets
async def list_rulesets(request: Request) -> Response:
    listed = await anyio.to_thread.run_sync(service_of(request).library.listed)
    return json_response({"rulesets": [item.to_dict() for item in listed]})


async def show_ruleset(request: Request) -> Response:
    service, lang = service_of(request), language(request)
    as_of = as_of_date(request.query_params.get("as_of"), lang)
    ruleset, selection = service.library.resolve(request.path_params["ref"], as_of)
    entry = next(item for item in service.library.listed() if item.ruleset.fingerprint == ruleset.fingerprint)
    payload = entry.to_dict()
    payload["inputs"] = ruleset.input_names
    payload["outputs"] = ruleset.output_names
    payload["selection"] = selection_of(selection, lang)
    payload["text"] = ruleset.module.source_text
    return json_response(payload)


async def schema(request: Request) -> Response:
    service, lang = service_of(request), language(request)
    part = request.query_params.get("part", "input")
    if part not in ("input", "output"):
        raise problem(422, "S_BAD_CHOICE", lang, "part", ["input", "output"], value=part, known="input, output")
    ruleset, _ = service.library.resolve(request.path_params["ref"], as_of_date(request.query_params.get("as_of"), lang))
    return json_response(kinerja.input_schema(ruleset) if part == "input" else kinerja.output_schema(ruleset))


# ---------------------------------------------------------------------- one record
_ONE = ("input", "trace", "as_of", "subject")


def _record(data: dict[str, Any], lang: str) -> dict[str, Any]:
    if "input" not in data:
        raise problem(422, "S_FIELD_MISSING", lang, "input", "object", words=message("S_WORD_RECORD", lang))
    record = data["input"]
    if not isinstance(record, dict):
        raise problem(422, "S_FIELD_TYPE", lang, "input", "object", words=message("S_WORD_RECORD", lang))
    return record


def _subject(data: dict[str, Any], lang: str) -> dict[str, Any] | None:
    subject = data.get("subject")
    if subject is not None and not isinstance(subject, dict):
        raise problem(422, "S_FIELD_TYPE", lang, "subject", "object", words=message("S_WORD_OBJECT", lang))
    return subject


def decide(ruleset: Ruleset, record: dict[str, Any], trace: bool) -> Result:
    """The JSON reading first (the fast validator); a record with text values is read as cells are."""
    try:
        return ruleset.evaluate(record, trace=trace)
    except InputError:
        return ruleset.evaluate(record, trace=trace, text_values=True)




async def _one(request: Request, explain: bool) -> Response:
    service, lang = service_of(request), language(request)
    data = await json_object(request, service.limits, lang, '{"input": {...}}', _ONE)
    record, subject = _record(data, lang), _subject(data, lang)
    trace = True if explain else flag(data.get("trace"), "trace", lang)
    as_of = as_of_date(data.get("as_of"), lang)
    ruleset, selection = service.library.resolve(request.path_params["ref"], as_of)
    decision_id = service.new_id()
    ref = ruleset.ref.to_dict()
    named = f"{ruleset.id}@{ruleset.version}"
    try:
        result = decide(ruleset, record, trace)
    except (InputError, EvaluationError) as failure:
        errors = [diagnostic_error(d, lang) for d in failure.diagnostics]
        if service.log is not None:
            service.log.write([service.log.entry(decision_id, ref, _iso(as_of), record, errors=errors, subject=subject)])
        service.metrics.decided(named, 0, 1)
        raise Problem(422, errors, {"X-Kinerja-Decision-Id": decision_id}) from None
    outputs = {name: json_ready(value) for name, value in result.outputs.items()}
    outputs_text = to_json(outputs, indent=None)
    extra: dict[str, Any] = {}
    chosen = selection_of(selection, lang)
    if chosen is not None:
        extra["selection"] = chosen
    if explain:
        narrative = narrate(ruleset, result, lang)
        text = narrative.text()
        extra["text"] = text
        extra["lines"] = text.splitlines()
        extra["narrative"] = _narrative(narrative)
    if trace:
        extra["trace"] = [step.to_dict(lang) for step in result.trace]
    if service.log is not None:
        service.log.write([service.log.entry(decision_id, ref, _iso(as_of), record, outputs_text, subject=subject)])
    service.metrics.decided(named, 1)
    # written by hand around the exact outputs: the common answer is three short members
    head = '{"decision_id": "' + decision_id + '", "ruleset": ' + service.library.ref_text(ruleset) + ', "outputs": ' + outputs_text
    return text_response(head + ("}" if not extra else ", " + to_json(extra, indent=None)[1:]))


def _narrative(narrative: Narrative) -> dict[str, Any]:
    """The narrative as data: its heading lines, then each input and step with its value and lines."""
    def steps(found: tuple[ExplainedStep, ...]) -> list[dict[str, Any]]:
        return [{"name": x.name, "kind": x.kind, "value": json_ready(x.value), "lines": list(x.lines)} for x in found]

    return {"head": list(narrative.head), "inputs": steps(narrative.inputs), "steps": steps(narrative.steps),
            "result": narrative.result}  # fmt: skip


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


async def evaluate(request: Request) -> Response:
    return await _one(request, explain=False)


async def explain(request: Request) -> Response:
    return await _one(request, explain=True)


# ---------------------------------------------------------------------- many records
_MANY = ("inputs", "as_of", "subjects")


async def batch(request: Request) -> Response:
    kind = tables.body_format(header(request, b"content-type") or "")
    if kind is not None:
        return await _table_batch(request, kind)
    service, lang = service_of(request), language(request)
    data = await json_object(request, service.limits, lang, '{"inputs": [{...}, ...]}', _MANY)
    records = data.get("inputs")
    if not isinstance(records, list):
        code = "S_FIELD_MISSING" if records is None else "S_FIELD_TYPE"
        raise problem(422, code, lang, "inputs", "array", words=message("S_WORD_RECORDS", lang))
    if len(records) > service.limits.max_batch:
        raise problem(413, "S_BATCH_TOO_LONG", lang, "inputs", count=len(records), limit=service.limits.max_batch)
    subjects = data.get("subjects")
    if subjects is not None and (not isinstance(subjects, list) or len(subjects) != len(records)
                                 or not all(s is None or isinstance(s, dict) for s in subjects)):  # fmt: skip
        raise problem(422, "S_FIELD_TYPE", lang, "subjects", "array", words=message("S_WORD_RECORDS", lang))
    as_of = as_of_date(data.get("as_of"), lang)
    ruleset, _ = service.library.resolve(request.path_params["ref"], as_of)
    batch_id = service.new_id()

    def work() -> str:
        scored = service.library.scorer(ruleset).score(records)
        results = _results(scored, batch_id, lang)
        if service.log is not None:
            service.log.write(_log_lines(service, scored, results, records, subjects, batch_id, _iso(as_of)))
        service.metrics.decided(f"{ruleset.id}@{ruleset.version}", len(records) - len(scored.errors), len(scored.errors))
        ref = to_json(ruleset.ref.to_dict(), indent=None)
        return '{"decision_id": "' + batch_id + '", "ruleset": ' + ref + ', "results": [' + ", ".join(results) + "]}"

    text = work() if len(records) <= INLINE else await anyio.to_thread.run_sync(work)
    return text_response(text)


class _Cells(dict):  # type: ignore[type-arg]
    """An output's exact text -> its `"name": value` JSON member, written once per distinct value."""

    def __init__(self, name: str, label: bool):
        super().__init__()
        self.key = to_json(name, indent=None) + ": "
        self.label = label

    def __missing__(self, text: str | None) -> str:
        shown = "null" if text is None else to_json(text, indent=None) if self.label else text
        member = self[text] = self.key + shown
        return member


def _results(scored: ScoredRecords, batch_id: str, lang: str) -> list[str]:
    """Each record's answer as JSON text, written from the exact output texts (no number is re-read)."""
    columns = [list(map(_Cells(name, scored.kinds[name] == LABEL).__getitem__, texts)) for name, texts in scored.outputs.items()]
    head = '{"decision_id": "' + batch_id + "."
    results = [head + str(index) + '", "outputs": {' + ", ".join(cells) + "}}" for index, cells in enumerate(zip(*columns, strict=True))]
    if not columns:
        results = [head + str(index) + '", "outputs": {}}' for index in range(scored.count)]
    for index, failure in scored.errors.items():
        results[index] = head + str(index) + '", "errors": ' + to_json(_errors_of(failure, lang), indent=None) + "}"
    return results


def _errors_of(failure: KinerjaError, lang: str) -> list[dict[str, Any]]:
    return [diagnostic_error(d, lang) for d in failure.diagnostics]


def _log_lines(service: Service, scored: ScoredRecords, results: list[str], records: list[Any],
               subjects: list[Any] | None, batch_id: str, as_of: str | None) -> list[str]:  # fmt: skip
    log = service.log
    assert log is not None
    ids = [f"{batch_id}.{index}" for index in range(len(records))]
    marker = '"outputs": '
    outputs = [None if index in scored.errors else text[text.index(marker) + len(marker):-1] for index, text in enumerate(results)]
    errors = {index: [{"code": d.code, "field": d.field} for d in failure.diagnostics] for index, failure in scored.errors.items()}
    return log.entries(ids, scored.ruleset.to_dict(), as_of, records, outputs, errors, subjects)


async def _table_batch(request: Request, kind: str) -> Response:
    service, lang = service_of(request), language(request)
    data = await body(request, service.limits, lang)
    options = tables.options(request.query_params, lang, kind)
    ruleset, _ = service.library.resolve(request.path_params["ref"], as_of_date(request.query_params.get("as_of"), lang))
    batch_id = service.new_id()
    scored = await anyio.to_thread.run_sync(lambda: tables.score(service, ruleset, data, kind, options, batch_id, lang))
    report = scored.report
    service.metrics.decided(f"{ruleset.id}@{ruleset.version}", report.rows - report.errors, report.errors)
    headers = {
        "X-Kinerja-Decision-Id": batch_id, "X-Kinerja-Ruleset": f"{ruleset.id}@{ruleset.version}",
        "X-Kinerja-Fingerprint": ruleset.fingerprint, "X-Kinerja-Rows": str(report.rows),
        "X-Kinerja-Errors": str(report.errors),
        "Content-Disposition": f'attachment; filename="{ruleset.id}-hasil.{options.output_format}"',
    }  # fmt: skip
    return Response(scored.data, 200, headers, scored.media_type)


__all__ = ["batch", "decide", "evaluate", "explain", "list_rulesets", "schema", "show_ruleset"]
