"""kinerja: performance-appraisal regulations as versioned, checked, executable rulesets.

    >>> import kinerja
    >>> ruleset = kinerja.load("pp-30-2019")
    >>> result = ruleset.evaluate({"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False})
    >>> result.outputs["predikat"], str(result.outputs["nilai_kinerja"])
    ('Baik', '90.00')
"""

from kinerja.diagnostics.diagnostic import (
    Diagnostic,
    EvaluationError,
    InputError,
    KinerjaError,
    RulesetError,
    RulesetNotFound,
)
from kinerja.eval.evaluate import Result, RulesetRef, TraceStep
from kinerja.library.api import (
    Library,
    RulesetInfo,
    Selection,
    check,
    check_text,
    default_library,
    evaluate,
    list_rulesets,
    load,
    load_text,
    select,
)
from kinerja.library.ruleset import ExampleOutcome, Ruleset
from kinerja.semantics.values import decimal_text, parse_json, to_json
from kinerja.syntax.parse import parse

__version__ = "0.1.0"

# Audit and publishing entry points are imported on first use: `kinerja eval` must start fast.
_LAZY = {"diff": ".audit.diff", "impact": ".audit.impact", "explain": ".audit.explain",
         "input_schema": ".publish.schema", "output_schema": ".publish.schema", "validate_record": ".publish.schema",
         "render_document": ".publish.render", "batch": ".io.batch", "BatchReport": ".io.batch", "score_table": ".io.batch", "ScoredTable": ".io.batch",
         "evaluate_arrow": ".vector.arrow", "impact_arrow": ".vector.arrow", "arrow_schema": ".vector.arrow",
         "reduce_impact": ".vector.arrow",
         "why_not": ".audit.counterfactual", "compare": ".audit.explain", "render_report": ".audit.report",
         "RecordScorer": ".library.scoring", "ScoredRecords": ".library.scoring", "score_records": ".library.scoring",
         "replay": ".audit.replay", "ReplayReport": ".audit.replay"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'kinerja' has no attribute {name!r}")

__all__ = [
    "Diagnostic", "EvaluationError", "ExampleOutcome", "InputError", "KinerjaError", "Library", "Result",
    "Ruleset", "RulesetError", "RulesetInfo", "RulesetNotFound", "RulesetRef", "Selection", "TraceStep", "check", "check_text", "select",
    "decimal_text", "default_library", "diff", "explain", "impact", "evaluate", "list_rulesets", "load", "load_text", "parse",
    "parse_json", "to_json", "batch", "BatchReport", "score_table", "ScoredTable", "input_schema", "output_schema", "validate_record", "render_document",
    "evaluate_arrow", "impact_arrow", "arrow_schema", "reduce_impact",
    "why_not", "compare", "render_report", "RecordScorer", "ScoredRecords", "score_records", "replay", "ReplayReport",
]  # fmt: skip
