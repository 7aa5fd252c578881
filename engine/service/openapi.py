"""The OpenAPI 3.1 document of the service, generated from the rulesets it serves.

OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect `kinerja schema`
writes, so each ruleset's input and output schemas go into `components`
unchanged (less their `$schema`/`$id`, which belong to a standalone document).
Besides the generic `/v1/rulesets/{ref}/…` paths, the newest version of each
ruleset gets its own `evaluate` and `batch` paths typed with its schemas, so a
client generator (PHP, JavaScript, Java) gives one typed call per regulation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import kinerja

from .config import ServiceConfig
from .library import Listed

OPENAPI = "3.1.0"


def _name(ruleset: kinerja.Ruleset, part: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{ruleset.id}_{ruleset.version}.{part}")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "Malformed request (not JSON, unknown field)", 404: "No such ruleset", 408: "Body not received in time",
             413: "Body, batch or ruleset text over the limit", 415: "Unsupported content type",
             409: "Conflict: the file exists (overwrite not asked), no --rules folder, or a shipped version",
             422: "Invalid input (every problem listed)"}  # fmt: skip
    return {str(s): _json(_ref("Errors"), words[s]) for s in statuses}


_REF_PARAMETER = {"name": "ref", "in": "path", "required": True, "description": "`id` (newest version) or `id@version`",
                  "schema": {"type": "string", "pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*(@\d+\.\d+\.\d+)?$"}}  # fmt: skip
_AS_OF = {"name": "as_of", "in": "query", "required": False, "description": "The version in force on this date (succession followed)",
          "schema": {"type": "string", "format": "date"}}  # fmt: skip
_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
             "description": "Language of messages: id (default) or en", "schema": {"type": "string"}}  # fmt: skip


def _shared() -> dict[str, Any]:
    nullable_text = {"type": ["string", "null"]}
    return {
        "Error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": ["string", "null"], "description": "Stable code (K6xx input, K8xx library, S_* service)"},
            "field": nullable_text, "message": {"type": "string"}, "expected": {},
            "suggestion": nullable_text, "file": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"}}},
        "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": _ref("Error")}}},
        "RulesetRef": {"type": "object", "required": ["id", "version", "fingerprint"], "properties": {
            "id": {"type": "string"}, "version": {"type": "string"}, "fingerprint": {"type": "string", "pattern": "^sha256:"}}},
        "RulesetInfo": {"type": "object", "required": ["id", "version", "fingerprint"], "properties": {
            "id": {"type": "string"}, "version": {"type": "string"}, "title": nullable_text, "source": nullable_text,
            "effective_from": {"type": ["string", "null"], "format": "date"},
            "effective_until": {"type": ["string", "null"], "format": "date"}, "supersedes": nullable_text,
            "fingerprint": {"type": "string"}, "shipped": {"type": "boolean"}}},
        "RulesetDetail": {"allOf": [_ref("RulesetInfo"), {"type": "object", "properties": {
            "inputs": {"type": "array", "items": {"type": "string"}}, "outputs": {"type": "array", "items": {"type": "string"}},
            "selection": {"type": ["object", "null"]}, "text": {"type": "string", "description": "The ruleset's source text"}}}]},
        "EvaluateRequest": {"type": "object", "required": ["input"], "additionalProperties": False, "properties": {
            "input": {"type": "object", "description": "The ruleset's inputs; numbers may also be sent as strings"},
            "trace": {"type": "boolean", "default": False}, "as_of": {"type": ["string", "null"], "format": "date"},
            "subject": {"type": ["object", "null"], "description": "Who the decision is about (logged, not evaluated)"}}},
        "TraceStep": {"type": "object", "required": ["name", "kind"], "properties": {
            "name": {"type": "string"}, "kind": {"type": "string"}, "value": {}, "formula": {"type": "string"},
            "substituted": {"type": "string"}, "decided_by": {"type": "string"},
            "citations": {"type": "array", "items": {"type": "string"}}, "notes": {"type": "array", "items": {"type": "string"}}}},
        "Decision": {"type": "object", "required": ["decision_id", "ruleset", "outputs"], "properties": {
            "decision_id": {"type": "string"}, "ruleset": _ref("RulesetRef"), "outputs": {"type": "object"},
            "selection": {"type": "object"}, "trace": {"type": "array", "items": _ref("TraceStep")}}},
        "Explanation": {"allOf": [_ref("Decision"), {"type": "object", "required": ["text", "lines"], "properties": {
            "text": {"type": "string"}, "lines": {"type": "array", "items": {"type": "string"}}}}]},
        "BatchRequest": {"type": "object", "required": ["inputs"], "additionalProperties": False, "properties": {
            "inputs": {"type": "array", "items": {"type": "object"}}, "as_of": {"type": ["string", "null"], "format": "date"},
            "subjects": {"type": ["array", "null"], "items": {"type": ["object", "null"]}}}},
        "BatchResult": {"type": "object", "required": ["decision_id"], "properties": {
            "decision_id": {"type": "string"}, "outputs": {"type": "object"},
            "errors": {"type": "array", "items": _ref("Error")}}},
        "BatchResponse": {"type": "object", "required": ["decision_id", "ruleset", "results"], "properties": {
            "decision_id": {"type": "string"}, "ruleset": _ref("RulesetRef"),
            "results": {"type": "array", "items": _ref("BatchResult")}}},
        "RulesetSource": {"description": "A reference (id, id@version) or ruleset text",
                          "oneOf": [{"type": "string"},
                                    {"type": "object", "required": ["ref"], "properties": {"ref": {"type": "string"}}},
                                    {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}]},
        "DiffRequest": {"type": "object", "required": ["old", "new"],
                        "properties": {"old": _ref("RulesetSource"), "new": _ref("RulesetSource")}},
        "ImpactRequest": {"type": "object", "required": ["old", "new", "population"], "properties": {
            "old": _ref("RulesetSource"), "new": _ref("RulesetSource"), "id_column": {"type": ["string", "null"]},
            "group_by": {"type": ["string", "null"], "description": "Column of the unit: figures per group"},
            "outputs": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Outputs compared (default every common one)"},
            "population": {"oneOf": [{"type": "array", "items": {"type": "object"}},
                                     {"type": "string", "description": "CSV text"}]}}},
        "Diagnostic": {"type": "object", "required": ["code", "severity", "message"], "properties": {
            "code": {"type": "string"}, "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "file": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
            "message": {"type": "string"}, "suggestion": nullable_text, "witness": nullable_text}},
        "CheckRequest": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string"}, "path": {"type": "string", "description": "Name shown in diagnostics"}}},
    }  # fmt: skip


def _generic_paths() -> dict[str, Any]:
    table_types = {media: {"schema": {"type": "string", "format": "binary"}} for media in (
        "text/csv", "application/x-ndjson", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    batch_query = [
        {"name": "id", "in": "query", "required": False, "schema": {"type": "string"}, "description": "Column naming each row"},
        {"name": "map", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
         "description": "input=column, repeatable"},
        {"name": "group_by", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["csv", "jsonl", "xlsx"]}},
        _AS_OF,
    ]  # fmt: skip
    return {
        "/v1/rulesets": {"get": {"operationId": "listRulesets", "summary": "Every ruleset (shipped and --rules), every version",
            "responses": {"200": _json({"type": "object", "properties": {"rulesets": {"type": "array", "items": _ref("RulesetInfo")}}},
                                       "The rulesets")}}},
        "/v1/rulesets/{ref}": {"get": {"operationId": "getRuleset", "summary": "One ruleset with its source text",
            "parameters": [_REF_PARAMETER, _AS_OF, _LANGUAGE],
            "responses": {"200": _json(_ref("RulesetDetail"), "The ruleset"), **_errors(404, 422)}}},
        "/v1/rulesets/{ref}/schema": {"get": {"operationId": "getRulesetSchema", "summary": "JSON Schema of the input or output",
            "parameters": [_REF_PARAMETER, _AS_OF, {"name": "part", "in": "query", "required": False,
                                                    "schema": {"type": "string", "enum": ["input", "output"], "default": "input"}}],
            "responses": {"200": _json({"type": "object"}, "A JSON Schema (draft 2020-12)"), **_errors(404, 422)}}},
        "/v1/rulesets/{ref}/evaluate": {"post": {"operationId": "evaluate", "summary": "Decide one record",
            "parameters": [_REF_PARAMETER, _LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("EvaluateRequest")}}},
            "responses": {"200": _json(_ref("Decision"), "The decision"), **_errors(400, 404, 408, 413, 415, 422)}}},
        "/v1/rulesets/{ref}/explain": {"post": {"operationId": "explain", "summary": "Decide one record and explain it in words",
            "parameters": [_REF_PARAMETER, _LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("EvaluateRequest")}}},
            "responses": {"200": _json(_ref("Explanation"), "The decision and its narrative"), **_errors(400, 404, 413, 422)}}},
        "/v1/rulesets/{ref}/batch": {"post": {"operationId": "batch", "summary": "Decide many records, one result each, in order",
            "parameters": [_REF_PARAMETER, _LANGUAGE, *batch_query],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("BatchRequest")}, **table_types}},
            "responses": {"200": {"description": "JSON results, or the scored table (same columns as `kinerja batch`)",
                                  "content": {"application/json": {"schema": _ref("BatchResponse")}, **table_types}},
                          **_errors(400, 404, 413, 415, 422)}}},
        "/v1/check": {"post": {"operationId": "check", "summary": "Diagnostics of ruleset text (as `kinerja check --format json`)",
            "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}},
                                                          "application/json": {"schema": _ref("CheckRequest")}}},
            "responses": {"200": _json({"type": "array", "items": _ref("Diagnostic")}, "Every diagnostic"), **_errors(400, 413, 415)}}},
        "/v1/diff": {"post": {"operationId": "diff", "summary": "What changed in meaning (as `kinerja diff --format json`)",
            "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DiffRequest")},
                                                          "multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"200": _json({"type": "object"}, "The semantic diff"), **_errors(400, 404, 413, 422)}}},
        "/v1/impact": {"post": {"operationId": "impact", "summary": "Who moves where (as `kinerja impact --format json`)",
            "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ImpactRequest")},
                                                          "multipart/form-data": {"schema": {"type": "object", "properties": {
                                                              "old": {"type": "string"}, "new": {"type": "string"},
                                                              "id_column": {"type": "string"},
                                                              "population": {"type": "string", "format": "binary"}}}}}},
            "responses": {"200": _json({"type": "object"}, "The impact report"), **_errors(400, 404, 413, 415, 422)}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
                                  "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}},
        "/healthz": {"get": {"operationId": "health", "summary": "Liveness",
                             "responses": {"200": _json({"type": "object", "properties": {"status": {"const": "ok"}}}, "Alive")}}},
        "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus text format",
                             "responses": {"200": {"description": "Counters and a latency histogram",
                                                   "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    }  # fmt: skip


def _studio_paths() -> dict[str, Any]:
    """The authoring routes the studio page uses (kinerja.service.studio), and the impact's files."""
    text = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
    with_input = {"type": "object", "required": ["text", "input"],
                  "properties": {"text": {"type": "string"}, "input": {"type": "object"}, "target": {"type": "string"}}}  # fmt: skip
    table_types = {media: {"schema": {"type": "string", "format": "binary"}} for media in (
        "text/csv", "application/x-ndjson", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    impact_form = {"multipart/form-data": {"schema": {"type": "object"}}, "application/json": {"schema": _ref("ImpactRequest")}}

    def post(operation: str, summary: str, body: dict[str, Any], answer: str, *errors: int, parameters: list[Any] | None = None,
             content: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
        return {"post": {"operationId": operation, "summary": summary, "parameters": [_LANGUAGE, *(parameters or [])],
                         "requestBody": {"required": True, "content": content or {"application/json": {"schema": body}}},
                         "responses": {"200": _json({"type": "object"}, answer), **_errors(*errors)}}}  # fmt: skip

    fmt = {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["csv", "jsonl", "xlsx"]}}
    return {
        "/v1/author/check": post("authorCheck", "Every finding of ruleset text with its place (lines and UTF-16 columns from 0), related places and quick fixes",
                                 text, "The findings", 400, 413, 415),
        "/v1/author/format": post("authorFormat", "The text in the canonical layout (as `kinerja fmt`)", text, "The formatted text", 400, 413, 422),
        "/v1/author/document": post("authorDocument", "The ruleset as an HTML document (as `kinerja doc --format html`)", text, "The document",
                                    400, 413, 422),
        "/v1/author/examples": post("authorExamples", "The examples run (as `kinerja test`) and the rows and cells no example reaches",
                                    text, "The outcomes", 400, 413, 422),
        "/v1/author/schema": post("authorSchema", "The input JSON Schema of ruleset text", text, "A JSON Schema", 400, 413, 422),
        "/v1/author/try": post("authorTry", "One record decided by ruleset text, explained, and why not the next label",
                               with_input, "Outputs, narrative and why-not", 400, 413, 422),
        "/v1/author/why-not": post("authorWhyNot", "The least change of one input that meets a target (as `kinerja explain --why-not`)",
                                   with_input, "The remedies", 400, 413, 422),
        "/v1/author/folders": {"get": {"operationId": "authorFolders", "summary": "The --rules folders text may be saved into",
                                       "responses": {"200": _json({"type": "object"}, "The folders")}}},
        "/v1/author/save": {"post": {"operationId": "authorSave", "summary": "Save checked text as <id>@<version>.kin in a --rules folder",
            "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                "text": {"type": "string"}, "folder": {"type": ["integer", "string"]}, "name": {"type": "string"},
                "overwrite": {"type": "boolean", "default": False}}}}}},
            "responses": {"201": _json({"type": "object"}, "Saved as a new file"), "200": _json({"type": "object"}, "Saved over the file"),
                          **_errors(400, 409, 413, 415, 422)}}},
        "/v1/impact/table": {"post": {"operationId": "impactTable", "summary": "The per-person impact table (as `kinerja impact -o`)",
            "parameters": [_LANGUAGE, fmt], "requestBody": {"required": True, "content": impact_form},
            "responses": {"200": {"description": "The table", "content": table_types}, **_errors(400, 404, 413, 415, 422)}}},
        "/v1/impact/report": {"post": {"operationId": "impactReport", "summary": "The impact as one HTML page (as `kinerja impact --report`)",
            "parameters": [_LANGUAGE], "requestBody": {"required": True, "content": impact_form},
            "responses": {"200": {"description": "The report", "content": {"text/html": {"schema": {"type": "string"}}}},
                          **_errors(400, 404, 413, 415, 422)}}},
        "/v1/rulesets/{ref}/columns": post("columns", "A table's columns and which input each fits (by name)", {}, "Columns and suggestions",
                                           404, 413, 415, 422, parameters=[_REF_PARAMETER], content=table_types),
        "/v1/columns": post("tableColumns", "A table's columns", {}, "The columns", 413, 415, 422, content=table_types),
    }  # fmt: skip


def _standalone(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


def document(listed: Sequence[Listed], config: ServiceConfig | None = None) -> dict[str, Any]:
    """The OpenAPI document for these rulesets (every version gets its schemas; the newest its own paths)."""
    schemas = _shared()
    paths = {**_generic_paths(), **_studio_paths()}
    newest: dict[str, kinerja.Ruleset] = {}
    for item in listed:
        ruleset = item.ruleset
        schemas[_name(ruleset, "input")] = _standalone(kinerja.input_schema(ruleset))
        schemas[_name(ruleset, "output")] = _standalone(kinerja.output_schema(ruleset))
        newest[ruleset.id] = ruleset  # listed oldest version first
    for ruleset_id, ruleset in sorted(newest.items()):
        operation = re.sub(r"[^A-Za-z0-9]", "_", ruleset_id)
        request = {"type": "object", "required": ["input"], "properties": {
            "input": _ref(_name(ruleset, "input")), "trace": {"type": "boolean"},
            "as_of": {"type": ["string", "null"], "format": "date"}, "subject": {"type": ["object", "null"]}}}  # fmt: skip
        decision = {"allOf": [_ref("Decision"), {"type": "object", "properties": {"outputs": _ref(_name(ruleset, "output"))}}]}
        title = ruleset.title or ruleset_id
        paths[f"/v1/rulesets/{ruleset_id}/evaluate"] = {"post": {
            "operationId": f"evaluate_{operation}", "summary": f"{title} ({ruleset_id}@{ruleset.version})",
            "tags": [ruleset_id], "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
            "responses": {"200": _json(decision, "The decision"), **_errors(400, 413, 422)}}}  # fmt: skip
        batch_request = {"type": "object", "required": ["inputs"], "properties": {
            "inputs": {"type": "array", "items": _ref(_name(ruleset, "input"))},
            "as_of": {"type": ["string", "null"], "format": "date"}}}  # fmt: skip
        item_schema = {"allOf": [_ref("BatchResult"), {"type": "object", "properties": {"outputs": _ref(_name(ruleset, "output"))}}]}
        paths[f"/v1/rulesets/{ruleset_id}/batch"] = {"post": {
            "operationId": f"batch_{operation}", "summary": f"{title}: many records", "tags": [ruleset_id],
            "parameters": [_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": batch_request}}},
            "responses": {"200": _json({"allOf": [_ref("BatchResponse"), {"type": "object", "properties": {
                "results": {"type": "array", "items": item_schema}}}]}, "One result per input, in order"),
                **_errors(400, 413, 422)}}}  # fmt: skip
    limits = (config or ServiceConfig()).limits
    return {
        "openapi": OPENAPI,
        "info": {"title": "kinerja decision service", "version": kinerja.__version__,
                 "description": "Performance-appraisal regulations of Indonesia's civil service as executable rulesets. "
                                f"Limits: body {limits.max_body} bytes, batch {limits.max_batch} records, "
                                f"ruleset text {limits.max_ruleset} bytes."},  # fmt: skip
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": schemas},
    }


__all__ = ["OPENAPI", "document"]
