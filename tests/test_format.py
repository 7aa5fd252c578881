"""The formatter: one canonical layout, the same meaning, every comment kept, idempotent.

Laws, checked on every shipped ruleset, every ruleset under tests/ that parses (whole
files and the `---` chunks of tests/diagnostics), and a ruleset using every construct:
formatting keeps the canonical data (so the fingerprint), formatting twice changes
nothing, and every comment survives in order. Hypothesis re-spaces those rulesets and
sprinkles comments into them; it also builds random expressions, which must print back
to the same tree.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.cli.fmt import fmt_command
from kinerja.diagnostics.diagnostic import RulesetError
from kinerja.syntax import tree as s
from kinerja.syntax.canonical import canonical_data, fingerprint
from kinerja.syntax.format import expr_text, format_text
from kinerja.syntax.parse import parse

HERE = Path(__file__).parent
REPO = HERE.parent
SHIPPED = sorted((REPO / "rulesets").glob("*.kin"))
DIAGNOSTIC_HEADER = (
    'ruleset uji-diagnostik version 1.0.0\n  title "Uji diagnostik" source "Peraturan Uji" short "PU 1/2024"\n'
)

# Every kind of declaration, layout at its most careless, comments in awkward places.
EVERYTHING = r"""# leading comment
ruleset uji-format version 2.0.0   # trailing on header
  title "Uji \"format\""  source "Peraturan Uji" short "PU 1/2024"
  effective from 2024-01-01 until 2025-12-31 # until
  supersedes uji-format@1.0.0
  note "catatan kepala" cite "Pasal 1"
type rating = scale "Rendah" < "Sedang" < "Tinggi" "Skala" cite "Pasal 2"
type jenis = enum { struktural, "fungsional umum", end, pelaksana }
input a: decimal [-10, 120.50] places 2 "A" cite "Pasal 3" in "PermenPANRB 6/2022" note "n"
input b: optional rating
input c: integer [0, 31] default 3
input d: list of { target: decimal [0, 100] "Target", realisasi: decimal } "Daftar"
input e: boolean default false
input j: jenis
value v: decimal = (a + b) - (c - (a - c)) / 2 × 3 * -a   # formula
  "uraian" note "x"
value w = not (a > 1 and (b = "Sedang" or e)) or (not e) = false
value x = if e then max(a, 1, -(2)) else round(a, 2, half_up) + sum(r.target by r.realisasi for r in d where r.target > 50%)
value y = -(a.b).c + [1, 2, 3].x - count(r for r in d) + ((a < 1) = e)
value z = a + (b + c) and (a and (b and c)) or (if a then b else c) × 2
value k = a × 2   when e and (a > 1 or not e)   # applies only to some records
  "berlaku sebagian" cite "Pasal 4"
weights u: p 50%, q 0.5 cite "Pasal 5"
weights t "deskripsi" cite "Pasal 6": p 60%, q 40% note "branch note"
weights s
  # before when
  when if e then true else false: p 70%, q 30% cite "Pasal 7"
  when e: p 10%, q 90%
  otherwise:
    p 20%, q 80% # trailing otherwise
end # after end
table predikat on a hit unique "Predikat" cite "Pasal 8"
  [110, 120.0] if e and (b = "Tinggi") -> "Sangat Baik" cite "a"
  [5, 5] -> x
  [6, 6] -> "enam" "deskriptor enam"
  = 7 -> "tujuh" cite "t"
  > 100 -> 4 "empat"
  <= 0 -> 1 "nol" # nol
  (0,5) -> if e then 2 else 3
  # before otherwise
  otherwise -> 0
end
rubric skor: integer on c when if e then true else a > 0 hit first
  >= 8 -> 0 "Tidak mengikuti apel"
  = "x" -> 1 cite "x"
  = true -> 2
end
quadrant kuadran: rating rows b columns b "Kuadran" cite "Lampiran"
  | "h \\ p" | "Rendah" | "Sedang" | "Tinggi" |
  | "Tinggi" | "Kurang" | "Baik" | - | cite "r1"
  | "Sedang" | -5 | 10% | "x" |
  # before last row
  | "Rendah" | "a" | "b" | "c" | note "r3" cite "r3c"
end
quadrant angka rows a columns c   when not e
  | | [0, 90) | [90, 90] | (90, 120] |
  | [0, 1] | 1 | 2 | 3 |
end
exception gagal overrides predikat priority 10 "Gagal" cite "Lampiran" when e and a > 1 then "Sangat Kurang" note "after then"
exception kecil overrides skor when a < 0 then 0
output v "V"
output predikat
# between outputs
output skor cite "Pasal 9"
example "satu" given a = 1, b = "Sedang", d = [{target = 10, realisasi = 9}, {target = 5, realisasi = 5}] expect v = 2
example "dua" cite "c1" given expect invalid a, b note "n2"
example "tiga"
  given a = -1.50   # neg
  expect predikat = "Baik", k = none
distribution kurva of predikat by j "Kurva" cite "Pasal 10"
  when "Istimewa": note "cn"
    most "Sangat Baik" cite "m"
    share "Sangat Baik" + "Baik" <= 70%
  when "Baik":
    at least 1 of "Kurang" + "Sangat Kurang"
end
override weights s otherwise: p 80%, q 20% cite "Pasal 2"
override weights s when e: p 50%, q 50%
override weights u: p 40%, q 60%
override table predikat row 3 [75, 90) if e -> "Cukup" "d" cite "Pasal 3"
override quadrant kuadran cell "Tinggi", "Sedang" -> "Baik Sekali"
override exception gagal when a > 2 then "Kurang"
override value v = a × 2
override input a "baru"
override input b
# the end
"""


def _corpus() -> list[tuple[str, str]]:
    """(name, text) of every ruleset text at hand that parses."""
    found: list[tuple[str, str]] = [(p.name, p.read_text(encoding="utf-8")) for p in SHIPPED]
    found.append(("everything", EVERYTHING))
    for path in sorted(HERE.glob("**/*.kin")):
        whole = path.read_text(encoding="utf-8")
        chunks = re.split(r"^---\s*$\n?", whole, flags=re.M)
        candidates = [(str(path.relative_to(HERE)), whole)] if len(chunks) == 1 else []
        for number, chunk in enumerate(chunks, 1):
            if len(chunks) == 1:
                break
            body = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("#"))
            text = chunk if body.lstrip().startswith("ruleset") else DIAGNOSTIC_HEADER + chunk
            candidates.append((f"{path.relative_to(HERE)}#{number}", text))
        for name, text in candidates:
            try:
                parse(text)
            except RulesetError:
                continue  # deliberately broken: nothing to format
            found.append((name, text))
    return found


CORPUS = _corpus()


@pytest.fixture(autouse=True)
def _no_parse_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # hypothesis makes hundreds of one-off texts: none is worth a cache file
    monkeypatch.setenv("KINERJA_NO_CACHE", "1")


def _comments(text: str) -> list[str]:
    return [c.text.rstrip() for c in parse(text).comments]


def assert_laws(original: str) -> str:
    formatted = format_text(original)
    assert canonical_data(parse(formatted)) == canonical_data(parse(original))
    assert fingerprint(parse(formatted)) == fingerprint(parse(original))
    assert format_text(formatted) == formatted
    assert _comments(formatted) == _comments(original)
    return formatted


def test_the_corpus_is_not_trivial() -> None:
    assert len(CORPUS) >= 3
    assert any(name.startswith("diagnostics") for name, _ in CORPUS)


@pytest.mark.parametrize(("name", "text"), CORPUS, ids=[name for name, _ in CORPUS])
def test_formatting_keeps_meaning_and_comments_and_is_idempotent(name: str, text: str) -> None:
    assert_laws(text)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_rulesets_are_already_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text, f"run `kinerja fmt {path.relative_to(REPO)}`"


# ---------------------------------------------------------------- the layout


def test_everything_layout() -> None:
    out = assert_laws(EVERYTHING)
    lines = out.splitlines()
    # header items on their own lines, two spaces in; citations and notes in the order written
    assert lines[:8] == [
        "# leading comment",
        "ruleset uji-format version 2.0.0  # trailing on header",
        '  title "Uji \\"format\\""',
        '  source "Peraturan Uji" short "PU 1/2024"',
        "  effective from 2024-01-01 until 2025-12-31  # until",
        "  supersedes uji-format@1.0.0",
        '  note "catatan kepala"',
        '  cite "Pasal 1"',
    ]
    # band rows: conditions padded to one width; a one-point interval reads `= 6`, even after
    # a formula row, since a row's result stops before a comparison
    table = out[out.index("table predikat") : out.index("rubric skor")]
    assert "  = 5        -> x\n" in table
    assert '  = 6        -> "enam" "deskriptor enam"\n' in table
    assert '  <= 0       -> 1 "nol"  # nol\n' in table
    assert "  # before otherwise\n  otherwise  -> 0\nend\n" in table
    # quadrant bars aligned, row citations below their row
    assert '  | "Tinggi" | "Kurang" | "Baik"   | -        |\n    cite "r1"\n' in out
    assert "  |        | [0, 90) | [90, 90] | (90, 120] |\n" in out
    # outputs and examples packed, other declarations apart
    assert 'output v "V"\noutput predikat\n# between outputs\noutput skor\n' in out
    assert '  expect v = 2\nexample "dua"\n' in out
    # annotations written after `then` / `expect` stay after it
    assert '  then "Sangat Kurang"\n  note "after then"\n' in out
    assert '  expect invalid a, b\n  note "n2"\n' in out
    # an unconditional weight set with citations of its own becomes a lone `otherwise`
    assert 'weights t "deskripsi"\n  cite "Pasal 6"\n  otherwise: p 60%, q 40%\n    note "branch note"\nend\n' in out
    assert out.endswith("override input b\n# the end\n")


def test_whitespace_only_differences_vanish() -> None:
    squeezed = 'ruleset a version 1.0.0 input x: decimal [0, 10] value y = x × 2 output y "Y"'
    assert (
        format_text(squeezed)
        == 'ruleset a version 1.0.0\n\ninput x: decimal [0, 10]\n\nvalue y = x × 2\n\noutput y "Y"\n'
    )


def test_comments_trailing_code_stay_with_it_and_own_line_comments_stay_above() -> None:
    text = (
        "ruleset a version 1.0.0\n"
        'input x: decimal [0, 10] "X" # about x\n'
        "# about y, on its own line\n"
        "value y =\n  x +   # inside the formula\n  1\n"
        "output y # out\n"
        "# last words\n"
    )
    assert format_text(text) == (
        "ruleset a version 1.0.0\n\n"
        "input x: decimal [0, 10]\n"
        '  "X"  # about x\n\n'
        "# about y, on its own line\n"
        "value y = x + 1  # inside the formula\n\n"
        "output y  # out\n"
        "# last words\n"
    )


# ---------------------------------------------------------------- expressions print back to the same tree

_NOWHERE = s.Span("<test>", 0, 0)
_names = st.sampled_from(["a", "b", "nilai_skp", "x_1"])
_leaves = st.one_of(
    st.builds(lambda n: s.Name(n, _NOWHERE), _names),
    st.builds(lambda n, p: s.NumberLit(Decimal(n) / 100 if p else Decimal(n) / 10, p, _NOWHERE),
              st.integers(0, 100000), st.booleans()),
    st.builds(lambda t: s.StringLit(t, _NOWHERE), st.sampled_from(["Baik", 'kata "kutip"', "a\\b", ""])),
    st.builds(lambda v: s.BoolLit(v, _NOWHERE), st.booleans()),
)  # fmt: skip


def _compound(inner: st.SearchStrategy[s.Expr]) -> st.SearchStrategy[s.Expr]:
    ops = st.sampled_from(["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"])
    return st.one_of(
        st.builds(lambda op, left, right: s.Binary(op, left, right, _NOWHERE), ops, inner, inner),
        st.builds(lambda op, e: s.Unary(op, e, _NOWHERE), st.sampled_from(["-", "not"]), inner),
        st.builds(lambda c, t, o: s.IfThenElse(c, t, o, _NOWHERE), inner, inner, inner),
        st.builds(lambda e, f: s.Member(e, f, _NOWHERE), inner, _names),
        st.builds(lambda f, args: s.Call(f, tuple(args), _NOWHERE), st.sampled_from(["min", "max", "abs"]),
                  st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda items: s.ListLit(tuple(items), _NOWHERE), st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda i, w, v, src, wh: s.Aggregate("sum", i, w, v, src, wh, _NOWHERE),
                  inner, st.none() | inner, _names, inner, st.none() | inner),
        st.builds(lambda i, v, src, wh, keys: s.Aggregate("top", i, None, v, src, wh, _NOWHERE, tuple(keys)),
                  inner, _names, inner, st.none() | inner, st.lists(inner, min_size=1, max_size=2)),
    )  # fmt: skip


_exprs = st.recursive(_leaves, _compound, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_exprs)
def test_expressions_print_back_to_the_same_tree(e: s.Expr) -> None:
    text = expr_text(e)
    module = parse(f"ruleset a version 1.0.0\nvalue v = {text}\n")
    parsed = module.declarations[0]
    assert isinstance(parsed, s.ValueDecl)
    assert canonical_data(
        s.Module(module.header, (s.ValueDecl("v", None, e, None, s.Annotations(), _NOWHERE),))
    ) == canonical_data(module), text


# ---------------------------------------------------------------- re-spaced and re-commented rulesets

_PIECE = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[^\s"#]+')


def _pieces(text: str) -> list[tuple[str, str]]:
    """(whitespace before, piece) for every piece of the text; strings and comments are whole pieces."""
    out = []
    at = 0
    for match in _PIECE.finditer(text):
        out.append((text[at : match.start()], match.group()))
        at = match.end()
    return out


_gaps = st.sampled_from([" ", "  ", "\t", "\n", "\n  ", "\n\n", "\n      ", " \n "])


@st.composite
def _respaced(draw: st.DrawFn, text: str, with_comments: bool) -> tuple[str, list[str]]:
    """The text with every gap between pieces re-spaced (and comments sprinkled in).

    A comment keeps its kind: one that trails code still does, one on its own line still is.
    """
    pieces = _pieces(text)
    out: list[str] = []
    added: list[str] = []
    for index, (gap, piece) in enumerate(pieces):
        if index and gap:
            if piece.startswith("#"):
                gap = (
                    draw(st.sampled_from(["\n", "\n  ", "\n\n"]))
                    if "\n" in gap
                    else draw(st.sampled_from([" ", "   "]))
                )
            elif pieces[index - 1][1].startswith("#"):
                gap = draw(st.sampled_from(["\n", "\n  ", "\n\n", "\n    "]))
            else:
                gap = draw(_gaps)
                if with_comments and draw(st.integers(0, 6)) == 0:
                    comment = f"# sisipan {len(added)}"
                    added.append(comment)
                    own_line = draw(st.booleans())
                    gap = (" \n" if own_line else "  ") + comment + "\n" + draw(st.sampled_from(["", "  "]))
        out.append(gap + piece)
    return "".join(out) + "\n", added


_SAMPLES = [text for name, text in CORPUS if name.startswith("pp-30") or name == "everything"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_respacing_changes_nothing(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(_SAMPLES))
    variant, _ = data.draw(_respaced(original, with_comments=False))
    assert format_text(variant) == format_text(original)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_sprinkled_comments_survive_in_order(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(_SAMPLES))
    variant, added = data.draw(_respaced(original, with_comments=True))
    formatted = assert_laws(variant)
    assert fingerprint(parse(formatted)) == fingerprint(parse(original))
    kept = [c for c in _comments(formatted) if c.startswith("# sisipan")]
    assert kept == added


# ---------------------------------------------------------------- the command


def _fmt(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(fmt_command, list(args), obj={"lang": "en"}, catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_check_rewrite_and_check_again(tmp_path: Path) -> None:
    good = tmp_path / "pp-30-2019@1.0.0.kin"
    shutil.copyfile(SHIPPED[0], good)
    assert _fmt("--check", str(good)) == (0, "0 of 1 files would be reformatted\n")

    messy = tmp_path / "messy.kin"
    messy_text = "\n".join("   " + line.strip() for line in good.read_text(encoding="utf-8").splitlines()) + "\n"
    messy.write_text(messy_text, encoding="utf-8")
    code, out = _fmt("--check", str(good), str(messy))
    assert code == 1
    assert f"{messy}: would be reformatted" in out
    assert str(good) + ":" not in out
    assert messy.read_text(encoding="utf-8") == messy_text  # --check changes nothing

    code, out = _fmt(str(messy))
    assert code == 0
    assert f"{messy}: reformatted" in out
    assert messy.read_text(encoding="utf-8") == good.read_text(encoding="utf-8")
    assert _fmt("--check", str(messy))[0] == 0
    assert list(tmp_path.glob(".*.tmp")) == []  # the temporary file was swapped in, not left behind


def test_cli_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.kin"
    broken.write_text("ruleset a version 1.0.0\ninput x decimal\n", encoding="utf-8")
    result = CliRunner().invoke(fmt_command, [str(broken)], obj={"lang": "en"})
    assert result.exit_code == 2
    assert "K006" in result.output
    assert broken.read_text(encoding="utf-8") == "ruleset a version 1.0.0\ninput x decimal\n"
