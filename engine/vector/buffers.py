"""Arrow arrays and scalars from numpy and Python values, and back, built from their buffers.

pyarrow's own converters (`pa.array`, `pa.scalar`, `Array.to_numpy`, and every compute
function given a plain Python value such as `""` or `0`) import pandas the first time they
run when pandas is installed (it is, wherever Dask is): about 0.4 s of CPU in a process
that never uses it, a tenth of a whole batch of a million rows. The batch path builds its
arrays here instead, from numpy buffers, so a `kinerja batch` run never imports pandas
(tests/test_buffers.py checks both the values and the absence of pandas).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

_NUMPY_TYPES = {
    np.dtype(np.int8): pa.int8(), np.dtype(np.int16): pa.int16(), np.dtype(np.int32): pa.int32(),
    np.dtype(np.int64): pa.int64(), np.dtype(np.uint8): pa.uint8(), np.dtype(np.uint16): pa.uint16(),
    np.dtype(np.uint32): pa.uint32(), np.dtype(np.uint64): pa.uint64(), np.dtype(np.float64): pa.float64(),
    np.dtype(np.float32): pa.float32(),
}  # fmt: skip
_ARROW_TYPES = {arrow: numpy for numpy, arrow in _NUMPY_TYPES.items()}


def validity(valid: np.ndarray | None) -> tuple[pa.Buffer | None, int]:
    """A validity bitmap (None when every row is valid) and the null count, from a bool mask."""
    if valid is None:
        return None, 0
    valid = np.asarray(valid, dtype=bool)
    nulls = len(valid) - int(np.count_nonzero(valid))
    if not nulls:
        return None, 0
    return pa.py_buffer(np.packbits(valid, bitorder="little").tobytes()), nulls


def array_of(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A numpy array of numbers or booleans as an Arrow array (null where `valid` is False)."""
    values = np.ascontiguousarray(values)
    bitmap, nulls = validity(valid)
    if values.dtype == np.bool_:
        data = pa.py_buffer(np.packbits(values, bitorder="little").tobytes())
        return pa.Array.from_buffers(pa.bool_(), len(values), [bitmap, data], null_count=nulls)
    kind = _NUMPY_TYPES[values.dtype]
    return pa.Array.from_buffers(kind, len(values), [bitmap, pa.py_buffer(values)], null_count=nulls)


def numpy_of(array: pa.Array) -> np.ndarray:
    """The values of a fixed-width Arrow array (numbers, booleans) as numpy; a null's slot holds whatever its buffer does."""
    kind = array.type
    length, offset = len(array), array.offset
    data = array.buffers()[1]
    if pa.types.is_boolean(kind):
        if data is None:
            return np.zeros(length, dtype=bool)
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little", count=offset + length)
        return bits[offset:].astype(bool)
    dtype = _ARROW_TYPES.get(kind)
    if dtype is None:
        raise TypeError(f"no numpy form for {kind}")
    if data is None:
        return np.zeros(length, dtype=dtype)
    return np.frombuffer(data, dtype=dtype, count=offset + length)[offset:]


def valid_of(array: pa.Array) -> np.ndarray:
    """Which rows of an Arrow array hold a value."""
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    if pa.types.is_null(array.type):
        return np.zeros(len(array), dtype=bool)
    bitmap = array.buffers()[0]
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little", count=array.offset + len(array))
    return bits[array.offset :].astype(bool)


def filled(array: pa.Array, value: int | bool) -> np.ndarray:
    """A fixed-width array's values as numpy, with `value` where a row is null."""
    values = numpy_of(array)
    if array.null_count:
        values = np.where(valid_of(array), values, value)
    return values


def strings(texts: Sequence[str | None]) -> pa.Array:
    """Python strings (None: null) as an Arrow string array."""
    length = len(texts)
    encoded = [b"" if text is None else text.encode("utf-8", "surrogatepass") for text in texts]
    offsets = np.zeros(length + 1, dtype=np.int64)
    if length:
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=length), out=offsets[1:])
    data = b"".join(encoded)
    valid = None if None not in texts else np.fromiter((text is not None for text in texts), dtype=bool, count=length)
    bitmap, nulls = validity(valid)
    kind = pa.string() if offsets[-1] < 2**31 else pa.large_string()
    width = np.int32 if kind == pa.string() else np.int64
    return pa.Array.from_buffers(kind, length, [bitmap, pa.py_buffer(offsets.astype(width)), pa.py_buffer(data)],
                                 null_count=nulls)  # fmt: skip


def sparse_strings(length: int, rows: Sequence[int], texts: Sequence[str], *, null: bool = False, suffix: str = "") -> pa.Array:
    """A string array of `length` rows: `texts[k]` at `rows[k]` (rows in increasing order), '' (or null,
    when `null`) elsewhere; with `suffix`, every row's text ends with it (a CSV line end)."""
    end = suffix.encode("utf-8")
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    picked = np.asarray(rows, dtype=np.int64)
    lengths = np.full(length, len(end), dtype=np.int64)
    if len(picked):
        lengths[picked] += np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(length + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if end:
        data = np.empty(int(offsets[-1]), dtype=np.uint8)
        tails = offsets[1:] - len(end)
        for k, byte in enumerate(end):
            data[tails + k] = byte
        for row, raw in zip(picked.tolist(), encoded, strict=True):
            data[offsets[row] : offsets[row] + len(raw)] = np.frombuffer(raw, dtype=np.uint8)
        payload = pa.py_buffer(data)
    else:
        payload = pa.py_buffer(b"".join(encoded))
    bitmap, nulls = None, 0
    if null:
        valid = np.zeros(length, dtype=bool)
        valid[picked] = True
        bitmap, nulls = validity(valid)
    kind, width = (pa.string(), np.int32) if offsets[-1] < 2**31 else (pa.large_string(), np.int64)
    return pa.Array.from_buffers(kind, length, [bitmap, pa.py_buffer(offsets.astype(width)), payload], null_count=nulls)


def spliced(array: pa.Array, rows: Sequence[int], texts: Sequence[str | None]) -> pa.Array | None:
    """A string array with `texts[k]` (None: null) put at `rows[k]` (increasing), where each of those rows
    is empty or null: the bytes are inserted into the data buffer in one pass instead of replacing by a
    mask over every row. None when the array is not a plain string array or a row to fill holds text."""
    if not pa.types.is_string(array.type) or not len(rows):
        return None
    length, start = len(array), array.offset
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=start + length + 1)[start:].astype(np.int64)
    picked = np.asarray(rows, dtype=np.int64)
    if (offsets[picked + 1] != offsets[picked]).any():
        return None
    encoded = [b"" if text is None else text.encode("utf-8", "surrogatepass") for text in texts]
    sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    buffer = array.buffers()[2]
    base = np.frombuffer(buffer, dtype=np.uint8)[offsets[0] : offsets[-1]] if buffer is not None else np.zeros(0, np.uint8)
    data = np.insert(base, np.repeat(offsets[picked] - offsets[0], sizes), np.frombuffer(b"".join(encoded), dtype=np.uint8))
    added = np.zeros(length, dtype=np.int64)
    added[picked] = sizes
    new_offsets = offsets - offsets[0]
    new_offsets[1:] += np.cumsum(added)
    valid = valid_of(array).copy()
    valid[picked] = [text is not None for text in texts]
    bitmap, nulls = validity(valid)
    kind, width = (pa.string(), np.int32) if new_offsets[-1] < 2**31 else (pa.large_string(), np.int64)
    return pa.Array.from_buffers(kind, length, [bitmap, pa.py_buffer(new_offsets.astype(width)), pa.py_buffer(data)],
                                 null_count=nulls)  # fmt: skip


def repeated(text: str, length: int) -> pa.Array:
    """One text on every row."""
    raw = text.encode("utf-8")
    offsets = np.arange(length + 1, dtype=np.int64) * len(raw)
    kind, width = (pa.string(), np.int32) if offsets[-1] < 2**31 else (pa.large_string(), np.int64)
    return pa.Array.from_buffers(kind, length, [None, pa.py_buffer(offsets.astype(width)), pa.py_buffer(raw * length)])


@lru_cache(maxsize=256)
def scalar(value: Any, kind: pa.DataType | None = None) -> pa.Scalar:
    """An Arrow scalar of a str, bool, int or None (typed by `kind`, else by the value)."""
    if value is None:
        kind = kind or pa.null()
        if pa.types.is_string(kind):
            return pa.Array.from_buffers(kind, 1, [pa.py_buffer(b"\x00"), pa.py_buffer(np.zeros(2, np.int32)), pa.py_buffer(b"")],
                                         null_count=1)[0]  # fmt: skip
        return pa.nulls(1, kind)[0]
    if isinstance(value, str):
        found = strings([value])[0]
    elif isinstance(value, bool):
        found = array_of(np.array([value], dtype=bool))[0]
    elif isinstance(value, int):
        found = array_of(np.array([value], dtype=np.int64))[0]
    else:
        raise TypeError(f"no scalar for {type(value).__name__}")
    return found if kind is None or found.type == kind else found.cast(kind)


__all__ = ["array_of", "filled", "numpy_of", "repeated", "scalar", "sparse_strings", "spliced", "strings", "valid_of",
           "validity"]
