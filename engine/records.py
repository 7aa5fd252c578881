"""Reading input records from JSON and YAML, with every number as an exact Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import InputError, diagnostic
from .values import parse_json


class _DecimalLoader(yaml.SafeLoader):
    """YAML's floats become Decimals read from their text, never binary floats."""


def _decimal_float(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    try:
        return Decimal(str(text).replace("_", ""))
    except InvalidOperation:
        return str(text)


def _decimal_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return Decimal(int(yaml.SafeLoader.construct_yaml_int(loader, node)))  # type: ignore[arg-type]


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_float)
_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int)


def parse_record_text(text: str, name: str = "<input>") -> Any:
    """A JSON or YAML document; JSON is tried first (YAML would also read it, less strictly)."""
    stripped = text.lstrip()
    try:
        if stripped.startswith(("{", "[")):
            return parse_json(text)
        return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except (ValueError, yaml.YAMLError) as error:
        raise InputError([diagnostic("K802", problem=f"{name}: {error}")]) from None


def read_record(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError([diagnostic("K802", problem=str(error))]) from None
    return parse_record_text(text, str(path))
