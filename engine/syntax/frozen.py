"""`dataclass` for the many small frozen node classes, without compiling five methods per class at import.

`dataclasses.dataclass(frozen=True)` writes the source of `__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__` and `__delattr__` for each class and compiles it: about a quarter of
a millisecond per method, so the syntax tree's hundred node classes alone cost ~150 ms of every
`kinerja` start. This drop-in gives the same classes for the cases the engine uses
(`frozen=True`, with or without `eq` and `order`): the fields are processed by `dataclasses`
itself (so `fields()`, `replace()`, `asdict()`, `__match_args__` and pattern matching are
unchanged), equality, hashing, ordering and `repr` compare the same tuples of the same fields,
assignment raises `FrozenInstanceError` with the same message, and `__init__` — the one method
where speed per call matters — is the same generated code as `dataclasses` writes, compiled the
first time the class is instantiated (a process that never builds a node of a class never pays
for it). Any other combination of options is handed to `dataclasses.dataclass` unchanged.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
_FACTORY = object()  # stands for a default made by a factory, as dataclasses' own sentinel does


def dataclass(cls: type[T] | None = None, /, **options: Any) -> Any:
    """`dataclasses.dataclass` with the same options; see the module's docstring."""
    if cls is None:
        return lambda klass: dataclass(klass, **options)
    fast = {"frozen", "eq", "order"}
    inherits = any("__dataclass_fields__" in base.__dict__ for base in cls.__mro__[1:])
    special = any("InitVar" in str(kind) for kind in cls.__dict__.get("__annotations__", {}).values())
    if not options.get("frozen") or set(options) - fast or inherits or special:
        return dataclasses.dataclass(cls, **options)
    return _frozen(cls, eq=options.get("eq", True), order=options.get("order", False))


def _frozen(cls: type[T], *, eq: bool, order: bool) -> type[T]:
    own = dict(cls.__dict__)
    doc_missing = not own.get("__doc__")
    if doc_missing:
        cls.__doc__ = cls.__name__  # dataclasses would build it from the signature (inspect, slow): set below
    dataclasses.dataclass(cls, init=False, repr=False, eq=False, order=False, frozen=False)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(f.kw_only for f in fields):
        raise TypeError("kinerja.syntax.frozen: keyword-only fields are not supported")
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init, params.repr, params.eq, params.order, params.frozen = True, True, eq, order, True
    names = frozenset(f.name for f in fields)
    if doc_missing:
        cls.__doc__ = f"{cls.__name__}({', '.join(_describe(f) for f in fields if f.init)})"

    def put(name: str, method: Callable[..., Any]) -> None:
        if name not in own:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)

    put("__init__", _lazy_init(cls))
    shown = attrgetter(*[f.name for f in fields if f.repr]) if any(f.repr for f in fields) else None
    shown_names = [f.name for f in fields if f.repr]
    put("__repr__", _repr(shown_names, shown))
    if eq:
        compared = _tuple_getter([f.name for f in fields if f.compare])
        put("__eq__", _compare(compared, "__eq__"))
        class_hash = own.get("__hash__", MISSING)
        explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in own))
        if not explicit_hash:
            hashed = _tuple_getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
            cls.__hash__ = _hash(hashed)  # type: ignore[assignment]
            cls.__hash__.__qualname__ = f"{cls.__qualname__}.__hash__"  # type: ignore[attr-defined]
        if order:
            for name in ("__lt__", "__le__", "__gt__", "__ge__"):
                if name in own:
                    raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. Consider using functools.total_ordering")
                put(name, _compare(compared, name))
    for name in ("__setattr__", "__delattr__"):
        if name in own:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    cls.__setattr__ = _frozen_setattr(cls, names)  # type: ignore[method-assign, assignment]
    cls.__delattr__ = _frozen_delattr(cls, names)  # type: ignore[method-assign, assignment]
    return cls


def _describe(f: dataclasses.Field[Any]) -> str:
    annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", repr(f.type))
    text = f"{f.name}: {annotation!r}" if isinstance(f.type, str) else f"{f.name}: {annotation}"
    if f.default is not MISSING:
        return f"{text} = {f.default!r}"
    if f.default_factory is not MISSING:
        return f"{text} = <factory>"
    return text


def _tuple_getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values as a tuple, as dataclasses compares and hashes them (a 1-tuple for one field)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)  # type: ignore[return-value]


def _repr(names: list[str], getter: Callable[[Any], Any] | None) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        if getter is None:
            return f"{self.__class__.__qualname__}()"
        values = getter(self) if len(names) > 1 else (getter(self),)
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(names, values, strict=True))
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__  # type: ignore[no-any-return]


def _compare(getter: Callable[[Any], tuple[Any, ...]], name: str) -> Callable[[Any, Any], Any]:
    operation = getattr(tuple, name)

    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return operation(getter(self), getter(other))
        return NotImplemented

    method.__name__ = name
    return method


def _hash(getter: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(getter(self))

    return __hash__


def _frozen_setattr(cls: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    return __setattr__


def _frozen_delattr(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    return __delattr__


def _lazy_init(cls: type) -> Callable[..., None]:
    """An `__init__` that compiles the real one on first call, installs it, and runs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real = cls.__dict__["__init__"]
        if real is __init__:
            real = _compile_init(cls)
            type.__setattr__(cls, "__init__", real)
        real(self, *args, **kwargs)

    return __init__


def _compile_init(cls: type) -> Callable[..., None]:
    """The `__init__` dataclasses writes for a frozen class: each field set through object.__setattr__."""
    fields = dataclasses.fields(cls)
    names: dict[str, Any] = {"__object_setattr": object.__setattr__, "__factory": _FACTORY}
    parameters: list[str] = []
    body: list[str] = []
    for index, f in enumerate(fields):
        if f.init:
            if f.default is not MISSING:
                names[f"__default_{index}"] = f.default
                parameters.append(f"{f.name}=__default_{index}")
            elif f.default_factory is not MISSING:
                parameters.append(f"{f.name}=__factory")
            else:
                parameters.append(f.name)
        if f.default_factory is not MISSING:
            names[f"__make_{index}"] = f.default_factory
            value = f"__make_{index}() if {f.name} is __factory else {f.name}" if f.init else f"__make_{index}()"
        elif f.init:
            value = f.name
        elif f.default is not MISSING:
            names[f"__default_{index}"] = f.default
            value = f"__default_{index}"
        else:
            continue
        body.append(f"  __object_setattr(self, {f.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(body) or "  pass") + "\n"
    scope: dict[str, Any] = {}
    exec(compile(source, f"<kinerja.syntax.frozen {cls.__qualname__}.__init__>", "exec"), names, scope)  # generated from field names only
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init  # type: ignore[no-any-return]


__all__ = ["dataclass"]
