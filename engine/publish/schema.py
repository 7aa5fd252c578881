"""JSON Schemas (draft 2020-12) of a ruleset's inputs and outputs, and validation against them.

The schema is generated from the declarations, so an HR system can validate a
record before it reaches kinerja. Every number in a schema is a `Decimal`
(`multipleOf` 0.01 is exactly 0.01, never the binary float nearest to it), and
validation compares Decimals exactly: records are read with the Decimal-aware
reader (`kinerja.records`), and jsonschema is given a type checker that
accepts a whole Decimal as an integer and a `multipleOf` that never mixes
Decimal with float. Problems are reported as diagnostics with the same codes as
the engine's own input validation (K601-K606), each with its JSON path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic, diagnostic
from kinerja.eval.inputs import places_of
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import decimal_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.tree import Span

DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect's name, never fetched

# A remainder needs as many digits as the quotient's integer part; bounds keep real
# inputs small, but an absurd value must give a clean "not a multiple", not a trap.
_WIDE = Context(prec=1000)


def citation_text(citation: s.Citation, header: s.Header) -> str:
    """A citation as people read it: the regulation's short name, then the article."""
    return f"{citation.regulation or header.regulation} {citation.text}"


# ------------------------------------------------------------------ generation


PLACES = "x-kinerja-places"  # decimal places of a number, as a keyword validators that read floats can skip
NUMBERS = ("decimal", "float")


def _type_schema(kind: t.Type, nullable: bool = False, numbers: str = "decimal") -> dict[str, Any]:
    """The schema of one value of a kinerja type; `nullable`: null means "not given".

    `numbers="decimal"` states places as `multipleOf` (0.01), right for validators that read
    JSON numbers as decimals; `numbers="float"` states them as `x-kinerja-places` only, since
    a validator reading binary floats rejects 4.35 as no multiple of 0.01 (4.35 / 0.01 is
    434.99999999999994): see the README (JSON Schema) for enforcing places there.
    """
    schema: dict[str, Any]
    if isinstance(kind, t.NumberT):
        schema = {"type": "integer" if kind.integer else "number"}
        if kind.low is not None:
            schema["minimum"] = kind.low
        if kind.high is not None:
            schema["maximum"] = kind.high
        if not kind.integer and kind.places is not None:
            if numbers == "decimal":
                schema["multipleOf"] = Decimal(1).scaleb(-kind.places)
            schema[PLACES] = kind.places
    elif isinstance(kind, t.BoolT):
        schema = {"type": "boolean"}
    elif isinstance(kind, t.LabelT):
        # no "type": "string" beside the enum, so a wrong value is one problem, not two
        schema = {"enum": list(kind.labels)}
        if kind.ordered:
            schema["x-kinerja-order"] = "lowest-first"
    elif isinstance(kind, t.LiteralLabelT):
        schema = {"enum": [kind.label]}
    elif isinstance(kind, t.ListT):
        schema = {"type": "array", "items": _type_schema(kind.item, numbers=numbers)}
        if kind.max_items is not None:
            schema["maxItems"] = kind.max_items
    elif isinstance(kind, t.RecordT):
        # an optional field may be left out or null (the engine reads null as "not given")
        schema = {
            "type": "object",
            "properties": {name: _type_schema(field, nullable=name in kind.optional, numbers=numbers) for name, field in kind.fields},
            "required": [name for name, _ in kind.fields if name not in kind.optional],
            "additionalProperties": False,
        }
    else:  # weights and error types are never inputs or outputs
        schema = {}
    schema["x-kinerja-type"] = kind.describe()
    if nullable:
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        elif "type" in schema:
            schema["type"] = [schema["type"], "null"]
    return schema


def _annotate(schema: dict[str, Any], description: str | None, annotations: s.Annotations, header: s.Header) -> None:
    if description:
        schema["description"] = description
    if annotations.citations:
        schema["x-kinerja-citations"] = [citation_text(c, header) for c in annotations.citations]
    if annotations.notes:
        schema["x-kinerja-notes"] = [n.text for n in annotations.notes]


def _literal_json(value: Any) -> Any:
    if isinstance(value, tuple):  # a list of records
        return [{k: _literal_json(v.value) for k, v in record} for record in value]
    return value


def _document(ruleset: Ruleset, part: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    header = ruleset.module.header
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:kinerja:{header.id}@{header.version}:{part}",
        "title": f"{header.title or header.id} ({header.id}@{header.version}, {part})",
    }
    if header.source:
        schema["description"] = header.source
    schema["x-kinerja-ruleset"] = {"id": header.id, "version": header.version, "fingerprint": ruleset.fingerprint}
    schema["type"] = "object"
    schema["properties"] = properties
    schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def input_schema(ruleset: Ruleset, numbers: str = "decimal") -> dict[str, Any]:
    """The JSON Schema of one input record; numbers in it are Decimals (write it with `to_json`).

    `numbers`: "decimal" (places as an exact `multipleOf`, for validators that read decimals)
    or "float" (places as `x-kinerja-places`, for validators that read binary floats — most).
    """
    if numbers not in NUMBERS:
        raise ValueError(f"numbers must be one of {NUMBERS}")
    header = ruleset.module.header
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, decl in ruleset.checked.inputs.items():
        may_be_absent = decl.optional or decl.default is not None
        schema = _type_schema(ruleset.checked.types[name], nullable=may_be_absent, numbers=numbers)
        _annotate(schema, decl.description, decl.annotations, header)
        if decl.default is not None:
            schema["default"] = _literal_json(decl.default.value)
        if not may_be_absent:
            required.append(name)
        properties[name] = schema
    return _document(ruleset, "input", properties, required)


def output_schema(ruleset: Ruleset, numbers: str = "decimal") -> dict[str, Any]:
    """The JSON Schema of the outputs of one evaluation (labels as an enum); `numbers` as for `input_schema`."""
    header = ruleset.module.header
    definitions = ruleset.checked.definitions
    properties: dict[str, Any] = {}
    for output in ruleset.checked.outputs:
        definition = definitions.get(output.name)
        # a definition with `when` is absent (null) for the records it does not apply to
        schema = _type_schema(ruleset.checked.types[output.name], nullable=getattr(definition, "applies", None) is not None,
                              numbers=numbers)  # fmt: skip
        description = output.description or getattr(definition, "description", None)
        annotations = output.annotations
        if not annotations.citations and definition is not None:
            annotations = getattr(definition, "annotations", annotations)
        _annotate(schema, description, annotations, header)
        if getattr(definition, "applies", None) is not None:
            schema["x-kinerja-applies-when"] = printer.expr(definition.applies)
        properties[output.name] = schema
    return _document(ruleset, "output", properties, list(properties))


# ------------------------------------------------------------------ validation


def _validator_class() -> Any:
    """Draft 2020-12 with exact Decimal numbers (built on use: jsonschema loads slowly)."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    def is_integer(checker: Any, instance: Any) -> bool:
        if isinstance(instance, bool):
            return False
        if isinstance(instance, int):
            return True
        if isinstance(instance, Decimal):
            return instance.is_finite() and instance == instance.to_integral_value()
        return False

    def is_number(checker: Any, instance: Any) -> bool:
        if isinstance(instance, bool):
            return False
        if isinstance(instance, Decimal):
            return instance.is_finite()
        return isinstance(instance, (int, float))

    def multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "number"):
            return
        value = Decimal(repr(instance)) if isinstance(instance, float) else Decimal(instance)
        try:
            remainder = _WIDE.remainder(value, Decimal(step))
        except InvalidOperation:
            remainder = Decimal(1)
        if remainder != 0:
            yield ValidationError(f"{instance!r} is not a multiple of {step}")

    def places(validator: Any, allowed: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if "multipleOf" in schema or not validator.is_type(instance, "number") or isinstance(instance, bool):
            return  # multipleOf already says it, exactly
        value = Decimal(repr(instance)) if isinstance(instance, float) else Decimal(instance)
        if places_of(value) > int(allowed):
            yield ValidationError(f"{instance!r} has more than {allowed} decimal places", validator="multipleOf",
                                  validator_value=Decimal(1).scaleb(-int(allowed)))  # fmt: skip

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": is_integer, "number": is_number})
    return validators.extend(Draft202012Validator, validators={"multipleOf": multiple_of, PLACES: places},
                             type_checker=checker)  # fmt: skip


def json_path(parts: Any) -> str:
    """`$.target_skp[0].realisasi` from the parts of a path."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}"
        else:
            text += "[" + repr(str(part)) + "]"
    return text


def _field(path: str) -> str:
    """The engine's way to name a field: the JSON path without its `$.`."""
    return path[2:] if path.startswith("$.") else ("<record>" if path == "$" else path[1:])


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (list, dict)):
        return "[…]" if isinstance(value, list) else "{…}"
    return str(value)


def _at(code: str, path: str, **args: Any) -> Diagnostic:
    return diagnostic(code, Span("<input>", 0, 0), field=_field(path), path=path, **args)


def _bounds(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    return f"[{_shown(low) if low is not None else '-∞'}, {_shown(high) if high is not None else '∞'}]"


def _diagnostics_of(error: Any) -> list[Diagnostic]:
    """One jsonschema error as catalogue diagnostics (required and unknown fields: one per name)."""
    where = json_path(error.absolute_path)
    keyword, schema, instance = error.validator, error.schema, error.instance
    expected = str(schema.get("x-kinerja-type", ""))
    if keyword == "required":
        properties = schema.get("properties", {})
        return [
            _at("K601", json_path([*error.absolute_path, name]), expected=properties.get(name, {}).get("x-kinerja-type", ""))
            for name in error.validator_value
            if name not in instance
        ]
    if keyword == "additionalProperties":
        known = set(schema.get("properties", {}))
        return [_at("K603", json_path([*error.absolute_path, key])) for key in instance if key not in known]
    if instance is None and keyword in ("type", "enum"):  # the engine reads null as "not given"
        return [_at("K601", where, expected=expected)]
    if keyword == "type":
        return [_at("K602", where, value=_shown(instance), expected=expected or str(error.validator_value))]
    if keyword in ("minimum", "maximum"):
        return [_at("K604", where, value=_shown(instance), expected=_bounds(schema))]
    if keyword == "multipleOf":
        exponent = Decimal(error.validator_value).as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return [_at("K605", where, value=_shown(instance), places=places)]
    if keyword == "enum":
        labels = ", ".join(f'"{x}"' for x in error.validator_value if x is not None)
        return [_at("K606", where, value=_shown(instance), expected=labels)]
    if keyword == "maxItems":
        return [_at("K609", where, count=len(instance), most=error.validator_value)]
    return [_at("D_SCHEMA_OTHER", where, value=_shown(instance), keyword=str(keyword))]


def validate_against(schema: Mapping[str, Any], record: Any) -> list[Diagnostic]:
    """Every problem of `record` under `schema` (a schema from this module), in path order."""
    validator = _validator_class()(schema)
    found: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors(record):
        for problem in _diagnostics_of(error):
            key = (problem.code, str(dict(problem.args)["path"]))
            if key not in seen:
                seen.add(key)
                found.append(problem)
    return sorted(found, key=lambda d: (str(dict(d.args)["path"]), d.code))


def validate_record(ruleset: Ruleset, record: Any) -> list[Diagnostic]:
    """Every problem of one input record (read with `kinerja.records`), each with its JSON path."""
    return validate_against(input_schema(ruleset), record)


def diagnostic_path(problem: Diagnostic) -> str | None:
    """The JSON path a schema diagnostic is about."""
    value = dict(problem.args).get("path")
    return None if value is None else str(value)
