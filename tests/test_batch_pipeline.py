"""The batch's read-ahead and write-behind stages keep order and hand exceptions back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kinerja.io.pipeline import Background, read_ahead


def test_read_ahead_keeps_order_and_raises_in_the_caller() -> None:
    assert list(read_ahead(iter(range(100)))) == list(range(100))

    def broken() -> Iterator[int]:
        yield 1
        raise OSError("disk gone")

    seen = []
    with pytest.raises(OSError, match="disk gone"):
        for item in read_ahead(broken()):
            seen.append(item)
    assert seen == [1]
    # a consumer that stops early does not leave the producer hanging
    for item in read_ahead(iter(range(1_000_000))):
        if item == 3:
            break


def test_write_behind_keeps_order_and_raises_in_the_caller() -> None:
    done: list[int] = []
    with Background(done.append) as write:
        for i in range(50):
            write(i)
    assert done == list(range(50))

    def failing(i: int) -> None:
        if i == 3:
            raise KeyboardInterrupt
        done.append(i)

    done.clear()
    with pytest.raises(KeyboardInterrupt):
        with Background(failing) as write:
            for i in range(10):
                write(i)
    assert done == [0, 1, 2]
