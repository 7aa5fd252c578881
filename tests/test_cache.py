"""The on-disk cache is private, signed and bounded (issue 19 item 3, issue 12 item 12).

Each test gets its own cache folder through XDG_CACHE_HOME; the planted pickles would
create a marker file if they were ever unpickled.
"""

from __future__ import annotations

import os
import pickle
import stat
import tempfile
from pathlib import Path

import kinerja
import pytest
from kinerja.syntax import cache as cache_module
from kinerja.syntax.cache import MAX_ENTRIES, Cache, open_cache
from kinerja.syntax.parse import parse

TEXT = 'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\ninput a: boolean\noutput a\n'


class _Planted:
    """Unpickling this runs code: it writes `marker`."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "unpickled"))  # type: ignore[return-value]


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.delenv("KINERJA_NO_CACHE", raising=False)
    return tmp_path / "cache-home" / "kinerja"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.kc"))


def test_the_cache_folder_and_key_are_private(folder: Path) -> None:
    parse(TEXT, "x.kin")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "key").stat().st_mode) == 0o600
    assert _entries(folder) and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in _entries(folder))


def test_a_warm_parse_reads_the_signed_entry(folder: Path) -> None:
    first = parse(TEXT, "x.kin")
    entries = _entries(folder)
    assert parse(TEXT, "x.kin") == first
    assert _entries(folder) == entries


def test_what_another_version_of_the_parser_kept_is_never_taken(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade (or a developer's checkout) parses again: the key holds a digest of the parse stage's code."""
    from kinerja.syntax import parse as parse_module

    parse(TEXT, "x.kin")
    kept = _entries(folder)
    monkeypatch.setattr(parse_module, "_stage_digest", lambda: "another version of the parser")
    parse(TEXT, "x.kin")
    assert len(_entries(folder)) == len(kept) + 1  # a new entry under the new key, the old one not read


def test_a_planted_pickle_is_never_unpickled(folder: Path, tmp_path: Path) -> None:
    parse(TEXT, "x.kin")  # the folder, its key and the real entry exist
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    for entry in _entries(folder):  # an attacker who can write there replaces every entry …
        entry.write_bytes(b"KINERJA\x01" + b"\0" * 32 + payload)
    (folder / ("0" * 64 + ".pickle")).write_bytes(payload)  # … and plants the old format too
    module = parse(TEXT, "x.kin")
    assert not marker.exists()
    assert module.header.id == "x"
    assert not (folder / ("0" * 64 + ".pickle")).exists()  # the unsigned old format is removed


def test_lark_tables_are_signed_and_kept_out_of_the_shared_temporary_folder(folder: Path, tmp_path: Path) -> None:
    import lark
    from kinerja.syntax import parse as parse_module

    before = set(Path(tempfile.gettempdir()).glob(".lark_cache_*"))
    parse_module._parser.cache_clear()
    try:
        parse_module._parser()
        tables = [p for p in _entries(folder) if p.stat().st_size > 50_000]
        assert tables, "the parser's tables are cached in the private folder"
        marker = tmp_path / "ran"
        for entry in tables:
            entry.write_bytes(b"KINERJA\x01" + b"\0" * 32 + pickle.dumps(_Planted(marker)))
        parse_module._parser.cache_clear()
        assert isinstance(parse_module._parser(), lark.Lark)
        assert not marker.exists()
    finally:
        parse_module._parser.cache_clear()  # (what is built from its tables is keyed by the parser)
    assert set(Path(tempfile.gettempdir()).glob(".lark_cache_*")) <= before


def test_a_corrupt_entry_is_ignored_and_rebuilt(folder: Path) -> None:
    parse(TEXT, "x.kin")
    for entry in _entries(folder):
        entry.write_bytes(entry.read_bytes()[:-7])
    assert parse(TEXT, "x.kin").header.id == "x"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to own files as another user")
def test_a_folder_or_entry_another_user_owns_is_never_used(folder: Path, tmp_path: Path) -> None:
    from kinerja.syntax.parse import _grammar
    from kinerja.syntax.tree import SYNTAX_VERSION

    parse(TEXT, "x.kin")
    cache = open_cache()
    assert cache is not None
    marker = tmp_path / "ran"
    name = "\0".join(("syntax-tree", SYNTAX_VERSION, _grammar(), "x.kin", TEXT))
    payload = pickle.dumps(_Planted(marker))
    entry = cache._path(name)
    # signed with the right key (as if it had leaked), but the file belongs to another user
    entry.write_bytes(b"KINERJA\x01" + cache._tag(name, payload) + payload)
    os.chown(entry, 12345, 12345)
    assert parse(TEXT, "x.kin").header.id == "x" and not marker.exists()
    other = tmp_path / "someone-else"
    other.mkdir()
    os.chown(other, 12345, 12345)
    assert cache_module._open(str(other)) is None


def test_a_folder_open_to_others_is_made_private_or_not_used(folder: Path) -> None:
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    cache_module._open.cache_clear()
    parse(TEXT, "x.kin")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_key_others_can_read_is_replaced(folder: Path, tmp_path: Path) -> None:
    parse(TEXT, "x.kin")
    key = folder / "key"
    old = key.read_bytes()
    os.chmod(key, 0o644)
    cache_module._open.cache_clear()
    parse(TEXT, "y.kin")
    assert key.read_bytes() != old and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_the_cache_is_bounded_least_recently_used_first(tmp_path: Path) -> None:
    folder = tmp_path / "bounded"
    folder.mkdir(mode=0o700)
    cache = Cache(folder, b"k" * 32, max_entries=5, max_bytes=10_000)
    for index in range(5):
        cache.put(f"entry {index}", b"x" * 100)
        os.utime(cache._path(f"entry {index}"), (1000 + index, 1000 + index))
    assert cache.get("entry 0") is not None  # used again: now the most recent
    cache.put("entry 5", b"x" * 100)
    assert len(_entries(folder)) == 5
    assert cache.get("entry 1") is None and cache.get("entry 0") is not None
    cache.put("large", b"x" * 9_950)
    assert sum(p.stat().st_size for p in _entries(folder)) <= 10_000


def test_fifty_different_texts_do_not_grow_the_cache_without_bound(folder: Path) -> None:
    for index in range(MAX_ENTRIES + 20):
        parse(TEXT.replace("input a", f"input a{index}").replace("output a", f"output a{index}"), "x.kin")
    assert len(_entries(folder)) <= MAX_ENTRIES


def test_kinerja_no_cache_turns_it_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_NO_CACHE", "1")
    assert open_cache() is None
    kinerja.load_text(TEXT.replace("ruleset x", "ruleset tanpa-cache"))
    assert not folder.exists() or not _entries(folder)
