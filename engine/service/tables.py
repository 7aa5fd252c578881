"""CSV, JSONL and XLSX bodies: the service's one adapter to `kinerja.io` (batch and impact populations).

Everything the service needs from the tabular readers and writers goes
through this module and `kinerja.io.memory`, so a new `kinerja.io` changes
only these two files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.io.batch import BatchUsageError
from kinerja.io.memory import FORMATS, MEDIA_TYPES, ScoredBytes, ScoredChunk, batch_bytes, open_body, population_rows
from kinerja.io.tabular import TableError, cell_text
from kinerja.library.ruleset import Ruleset
from kinerja.library.scoring import BOOLEAN, NUMBER, value_kind
from kinerja.semantics.values import to_json
from starlette.datastructures import QueryParams

from .http import Problem, error, problem

if TYPE_CHECKING:
    from .state import Service

MEDIA = {
    "text/csv": "csv", "application/csv": "csv",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/jsonlines": "jsonl",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}  # fmt: skip
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "xlsx": "xlsx"}


def body_format(content_type: str) -> str | None:
    """csv, jsonl or xlsx by the body's media type; None for anything else (JSON, form)."""
    return MEDIA.get(content_type.split(";")[0].strip().lower())


def file_format(filename: str, content_type: str) -> str | None:
    """A multipart file's format, by its media type or else its extension."""
    return body_format(content_type) or EXTENSIONS.get(filename.rsplit(".", 1)[-1].lower() if "." in filename else "")


@dataclass(frozen=True)
class TableOptions:
    id_column: str | None
    column_map: dict[str, str]
    group_by: str | None
    output_format: str


def options(query: QueryParams, lang: str, kind: str) -> TableOptions:
    """`?id=nip&map=input=column&group_by=unit_kerja&format=xlsx`, as `kinerja batch`'s options."""
    column_map: dict[str, str] = {}
    for item in query.getlist("map"):
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise problem(422, "B_USAGE_MAP", lang, "map", "input=column", item=item)
        column_map[name.strip()] = column.strip()
    output = query.get("format", kind)
    if output not in FORMATS:
        raise problem(422, "S_BAD_CHOICE", lang, "format", list(FORMATS), value=output, known=", ".join(FORMATS))
    return TableOptions(query.get("id") or None, column_map, query.get("group_by") or None, output)


class _TooLong(Exception):
    pass


def score(service: Service, ruleset: Ruleset, data: bytes, kind: str, chosen: TableOptions, batch_id: str,
          lang: str) -> ScoredBytes:  # fmt: skip
    """The scored table; each row logged as a decision `<batch id>.<row index>` when the service logs."""
    limit = service.limits.max_batch
    seen = [0]
    lines: list[str] = []
    kinds = {name: value_kind(ruleset.checked.types.get(name)) for name in ruleset.output_names}

    def each(chunk: ScoredChunk) -> None:
        seen[0] += len(chunk.rows)
        if seen[0] > limit:
            raise _TooLong
        if service.log is not None:
            lines.extend(_log_lines(service, ruleset, chunk, kinds, batch_id, chosen.id_column))

    try:
        scored = batch_bytes(ruleset, data, kind, chosen.output_format, id_column=chosen.id_column,
                             column_map=chosen.column_map, group_by=chosen.group_by, lang=lang, each_chunk=each)  # fmt: skip
    except _TooLong:
        raise problem(413, "S_BATCH_TOO_LONG", lang, None, count=f"> {limit}", limit=limit) from None
    except BatchUsageError as failure:
        raise Problem(422, [{"code": failure.code, "field": None, "message": failure.render(lang), "expected": None}]) from None
    if service.log is not None:
        service.log.write(lines)
    return scored


def _log_lines(service: Service, ruleset: Ruleset, chunk: ScoredChunk, kinds: dict[str, str], batch_id: str,
               id_column: str | None) -> list[str]:  # fmt: skip
    """A line per row the rules decided; a row that could not be read whole (a broken CSV line) never
    reached the rules and is answered in the table only."""
    log = service.log
    assert log is not None
    ref = ruleset.ref.to_dict()
    id_at = chunk.header.index(id_column) if id_column and id_column in chunk.header else None
    lines = []
    for index in range(len(chunk.rows)):
        if index in chunk.broken:
            continue
        record = {name: cells[index] for name, cells in chunk.inputs.items() if cells[index] != ""}
        subject = {id_column: cell_text(chunk.rows[index][id_at])} if id_at is not None and id_column else None
        decision_id = f"{batch_id}.{chunk.start - 1 + index}"
        if chunk.errors[index]:
            try:  # the table holds the error's words; the log wants its codes, which replay compares
                ruleset.evaluate(record, trace=False, text_values=True)
                codes: list[Any] = [None]
            except KinerjaError as failure:
                codes = [{"code": d.code, "field": d.field} for d in failure.diagnostics]
            lines.append(log.entry(decision_id, ref, None, record, errors=codes, subject=subject))
            continue
        cells = []
        for name, texts in chunk.outputs.items():
            text = texts[index]
            # a number or boolean's text is its JSON; a label (or a list's text) is a JSON string
            raw = text == "" or kinds[name] in (NUMBER, BOOLEAN)
            cells.append(to_json(name, indent=None) + ": " + (text or "null" if raw else to_json(text, indent=None)))
        lines.append(log.entry(decision_id, ref, None, record, "{" + ", ".join(cells) + "}", subject=subject))
    return lines


def population(data: bytes, kind: str, lang: str, limit: int) -> list[dict[str, Any]]:
    """A population body's rows (for impact), at most `limit`."""
    try:
        rows: Iterator[dict[str, Any]] = population_rows(data, kind)
        found = []
        for row in rows:
            if len(found) >= limit:
                raise problem(413, "S_BATCH_TOO_LONG", lang, "population", count=f"> {limit}", limit=limit)
            found.append(row)
        return found
    except TableError as failure:
        raise Problem(422, [error(failure.code, lang, "population", None, **failure.args_)]) from None


def header(data: bytes, kind: str, lang: str) -> list[str]:
    """A table body's column names (its first row), without reading the rest."""
    try:
        with open_body(data, kind) as table:
            return [str(name) for name in table.header]
    except TableError as failure:
        raise Problem(422, [error(failure.code, lang, "file", None, **failure.args_)]) from None


def population_words(lang: str) -> str:
    return message("S_WORD_POPULATION", lang)


__all__ = ["FORMATS", "MEDIA_TYPES", "TableOptions", "body_format", "file_format", "header", "options", "population", "score"]
