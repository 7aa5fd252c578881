"""Reading input records from JSON and YAML, with every number as an exact Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kinerja.diagnostics.diagnostic import InputError, diagnostic
from kinerja.semantics.values import parse_json


def _decimal_float(loader: Any, node: Any) -> Any:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except InvalidOperation:
        return str(text)


def _decimal_int(loader: Any, node: Any) -> Any:
    import yaml

    return Decimal(int(yaml.SafeLoader.construct_yaml_int(loader, node)))


def _yaml_loader() -> Any:
    """A SafeLoader whose floats become Decimals read from their text, never binary floats, and that
    refuses aliases (`*name`): a record has no use for them, and nested aliases expand exponentially
    (a few hundred bytes can stand for gigabytes — the "billion laughs").

    Built on first use: PyYAML is only imported when a YAML input is read.
    """
    import yaml

    class DecimalLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not accepted in a record",
                                                  event.start_mark)  # fmt: skip
            return super().compose_node(parent, index)

    DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_float)
    DecimalLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
    return DecimalLoader


def parse_record_text(text: str, name: str = "<input>") -> Any:
    """A JSON or YAML document; JSON is tried first (YAML would also read it, less strictly)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return parse_json(text)
        except ValueError as error:
            raise InputError([diagnostic("K802", problem=f"{name}: {error}")]) from None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise InputError([diagnostic("K802", problem=f"{name}: {error}")]) from None


def read_record(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError([diagnostic("K802", problem=str(error))]) from None
    return parse_record_text(text, str(path))
