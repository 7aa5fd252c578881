"""Reading input records from JSON and YAML, with every number as an exact Decimal."""

from __future__ import annotations

import errno
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kinerja.diagnostics.diagnostic import InputError, diagnostic
from kinerja.diagnostics.messages import Phrase, Term
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
                raise _AliasRefused(self.peek_event().start_mark)
            return super().compose_node(parent, index)

    DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_float)
    DecimalLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
    return DecimalLoader


class _AliasRefused(Exception):
    """A YAML alias (`*name`) in a record: refused where it stands."""

    def __init__(self, mark: Any):
        self.mark = mark
        super().__init__("alias")


def parse_record_text(text: str, name: str = "<input>") -> Any:
    """A JSON or YAML document; JSON is tried first (YAML would also read it, less strictly)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return parse_json(text)
        except json.JSONDecodeError as error:
            problem = Phrase.of("W_BAD_JSON", name=name, line=error.lineno, column=error.colno)
            raise InputError([diagnostic("K802", problem=problem)]) from None
        except ValueError:
            raise InputError([diagnostic("K802", problem=Phrase.of("W_BAD_JSON_VALUE", name=name))]) from None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except _AliasRefused as refused:
        problem = Phrase.of("W_YAML_ALIAS", name=name, line=refused.mark.line + 1, column=refused.mark.column + 1)
        raise InputError([diagnostic("K802", problem=problem)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            problem = Phrase.of("W_BAD_YAML_SOMEWHERE", name=name)
        else:
            problem = Phrase.of("W_BAD_YAML", name=name, line=mark.line + 1, column=mark.column + 1)
        raise InputError([diagnostic("K802", problem=problem)]) from None


def read_record(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([diagnostic("K802", problem=file_problem(error, str(path)))]) from None
    return parse_record_text(text, str(path))


_FILE_PROBLEMS = {errno.ENOENT: "MISSING", errno.EACCES: "DENIED", errno.EISDIR: "IS_FOLDER"}


def file_problem(error: OSError | UnicodeDecodeError, path: str) -> Phrase:
    """Why the file at `path` could not be read, in catalogue words naming the file."""
    if isinstance(error, UnicodeDecodeError):
        return Phrase.of("W_FILE_NOT_UTF8", path=path)
    kind = _FILE_PROBLEMS.get(error.errno or 0)
    if kind is not None:
        return Phrase.of(f"W_FILE_{kind}", path=path)
    return Phrase.of("W_FILE_OTHER", path=path, reason=error.strerror or type(error).__name__)


def os_reason(error: OSError | UnicodeDecodeError) -> Term | str:
    """Why a file could not be read, for a message that already names the file.

    The operating system's own text is kept only for errors too rare to have catalogue words.
    """
    if isinstance(error, UnicodeDecodeError):
        return Term("W_REASON_NOT_UTF8")
    kind = _FILE_PROBLEMS.get(error.errno or 0)
    return Term(f"W_REASON_{kind}") if kind is not None else (error.strerror or type(error).__name__)
