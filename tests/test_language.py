"""One language per run: a fixed set of failing inputs through the real `kinerja` command.

With `--lang id` no English word may appear, with `--lang en` no Indonesian one. What a
ruleset or an input file says itself is the user's own text and stays as written: quoted
strings and labels, names, citations, the echoed source line and its caret are taken out
before the words are read, and so is the text of every string in the files the case uses.
Words that the ruleset language itself uses in both languages (its type names, `true`,
`false`) are allowed.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "bahasa"
REPO = HERE.parent

# Words that give a sentence away as English (function words and the engine's own message words).
# Words that are also Indonesian or are keywords of the ruleset language are left out.
ENGLISH = set("""
the a an is are was were be been being not no and or but to from with which that this these those it its
has have had does do did can cannot could would should must only never any every each all other than more less
there here what who whose because so also yet still after before above below between outside inside into onto
expected expects got found given gives line column columns row rows cell cells error errors warning warnings
help witness mean unknown name names file files exist exists missing required rejected failed failing
fails passed evaluating evaluated evaluation record records quadrant syntax number numbers quoted whole date
version invalid valid matches match covers ranges over holds applies apply result results branch condition
computed weight weights type types permission read written appears twice needs need takes argument arguments
without something else character characters letters digits underscores percentage closed block blocks ends
start starts least most exercised chosen left empty reached occur can't isn't doesn't too many few short
""".split())  # fmt: skip

# Words that give a sentence away as Indonesian. Domain terms shared by both (predikat labels such
# as "Baik", "Kurang", "Sangat", "Di Atas Ekspektasi") are left out: they are allowed in English.
INDONESIAN = set("""
yang tidak dan atau dengan untuk pada dari ini itu tetapi sudah belum ada bukan harus dapat bila jika tanpa
oleh dalam akan baris kolom sel masukan keluaran berkas galat peringatan saran diharapkan didapat ditolak
gagal lulus diberikan diberi wajib diisi kosong tabel kuadran aturan contoh tipe sah dibaca ditemukan berlaku
tanggal versi sintaks dikenali teks angka bulat desimal cabang syarat dinilai rekaman sebagai karena sehingga
memenuhi menunjuk seharusnya salah satu dua kali ditulis lebih memerlukan argumen nama dikenal bernilai
terpilih tercakup mencakup sebelumnya sama sekali maksud anda penilaian contoh hasil menghitung pembagian nol
izin rentang luar melainkan sedangkan padahal dipakai tercapai diuji mana pun jumlah
""".split())  # fmt: skip

# The ruleset language's own words, the same in both languages (type descriptions, literals).
LANGUAGE_WORDS = {"decimal", "integer", "boolean", "enum", "scale", "list", "of", "true", "false", "ok", "sha"}


@dataclass(frozen=True)
class Failing:
    name: str
    args: tuple[str, ...]  # after `kinerja --lang LANG`; {tmp} is a fresh folder
    codes: tuple[str, ...]  # what the output must hold: the case really fails the way it says
    exit_code: int = 1
    env: dict[str, str] = field(default_factory=dict)
    data: tuple[str, ...] = ()  # files whose own strings are the user's text
    output_file: str | None = None  # a file the command writes (its error column is read too)


def _d(name: str) -> str:
    return str(DATA / name)


FAILING = [
    Failing("syntax errors", ("check", _d("sintaks.kin")), ("K001", "K002", "K005", "K006", "K008", "K009", "K012"),
            data=(_d("sintaks.kin"),)),  # fmt: skip
    Failing("a broken ruleset", ("check", str(HERE / "data" / "rusak.kin")), ("K002", "K006"), data=(str(HERE / "data" / "rusak.kin"),)),
    Failing("type errors", ("check", _d("tipe.kin")), ("K101", "K201", "K203", "K206", "K209", "K211", "K213", "K217", "K249"),
            data=(_d("tipe.kin"),)),  # fmt: skip
    Failing("analysis of a broken ruleset", ("check", _d("analisis.kin")),
            ("K501", "K503", "K506", "K507", "K510", "K511", "K520", "K521"), data=(_d("analisis.kin"),)),  # fmt: skip
    Failing("a file named for another version", ("check", _d("pustaka/salah-nama@1.0.0.kin")), ("K402",),
            env={"KINERJA_PATH": _d("pustaka")}, data=(_d("pustaka/salah-nama@1.0.0.kin"),)),  # fmt: skip
    Failing("an extends chain that loops", ("check", _d("pustaka/putar-a@1.0.0.kin")), ("K902",),
            env={"KINERJA_PATH": _d("pustaka")}, data=(_d("pustaka/putar-a@1.0.0.kin"), _d("pustaka/putar-b@1.0.0.kin"))),  # fmt: skip
    Failing("overlapping effective periods", ("check", _d("pustaka/tumpang@2.0.0.kin")), ("K904",),
            env={"KINERJA_PATH": _d("pustaka")}, data=(_d("pustaka/tumpang@2.0.0.kin"),)),  # fmt: skip
    Failing("failing examples", ("test", _d("contoh.kin")), ("K601", "K701"), data=(_d("contoh.kin"),)),
    Failing("failing examples as JSON", ("test", _d("contoh.kin"), "--format", "json"), ("K711", "K712", "K713", "K714", "K715"),
            data=(_d("contoh.kin"),)),  # fmt: skip
    Failing("invalid input", ("eval", "pp-30-2019", str(HERE / "data" / "salah-input.json")), ("K601", "K602", "K603", "K604"),
            data=(str(HERE / "data" / "salah-input.json"),)),  # fmt: skip
    Failing("labels not in their type", ("eval", "permenpanrb-6-2022", _d("label-salah.json")), ("K602", "K606"),
            data=(_d("label-salah.json"),)),  # fmt: skip
    Failing("input that is not JSON", ("eval", "pp-30-2019", _d("rusak.json")), ("K802",)),
    Failing("input that is not YAML", ("eval", "pp-30-2019", _d("rusak.yaml")), ("K802",)),
    Failing("input that does not exist", ("eval", "pp-30-2019", _d("tidak-ada.json")), ("K802",)),
    Failing("a record no row matches", ("eval", _d("evaluasi.kin"), _d("celah.json")), ("K702",), data=(_d("evaluasi.kin"),)),
    Failing("a value that does not apply", ("eval", _d("evaluasi.kin"), _d("bukan-pimpinan.json")), ("K708",), data=(_d("evaluasi.kin"),)),
    Failing("an optional input needed", ("eval", _d("evaluasi.kin"), _d("pimpinan-tanpa-skor.json")), ("K704",), data=(_d("evaluasi.kin"),)),
    Failing("an impact over invalid rows", ("impact", "pp-30-2019", "pp-30-2019", _d("populasi.csv"), "--id", "nip"), (),
            exit_code=0, data=(_d("populasi.csv"),)),  # fmt: skip
    Failing("a JSONL batch with broken lines", ("batch", "pp-30-2019", _d("populasi.jsonl"), "-o", "{tmp}/hasil.jsonl"), (),
            exit_code=0, data=(_d("populasi.jsonl"),)),  # fmt: skip
    Failing("a batch with broken rows", ("batch", "pp-30-2019", _d("populasi.csv"), "-o", "{tmp}/hasil.csv"), (), exit_code=0,
            data=(_d("populasi.csv"),), output_file="{tmp}/hasil.csv"),  # fmt: skip
]
QUADRANT = (str(REPO / "rulesets" / "permenpanrb-6-2022@1.0.0.kin"), str(REPO / "examples" / "permenpanrb-6-2022.json"))
FAILING += [  # not failures, but the words most at risk: a quadrant's decision, said in full and as a trace
    Failing("explain of a quadrant", ("explain", "permenpanrb-6-2022", QUADRANT[1]), (), exit_code=0, data=QUADRANT),
    Failing("the trace of a quadrant", ("eval", "permenpanrb-6-2022", QUADRANT[1]), (), exit_code=0, data=QUADRANT),
]

QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`")
ECHO = re.compile(r"^\s*\d+ \| .*$|^\s*\^+\s*$", re.M)
TALLY = re.compile(r"^\d+ passed, \d+ failed$", re.M)  # `kinerja test`'s last line: a fixed contract scripts read (README)
TOKEN = re.compile(r"\S+")
WORD = re.compile(r"[A-Za-z']+")


def _users_own_text(paths: tuple[str, ...]) -> tuple[list[str], set[str]]:
    """What the files a case uses write themselves: every string (titles, descriptions, notes, citations,
    labels, values, CSV cells), longest first, and every name a ruleset declares."""
    found: list[str] = []
    names: set[str] = set()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        strings = re.compile(r'"(?:[^"\\\n]|\\.)*"')
        found += [m.group(0)[1:-1] for m in strings.finditer(text)]
        if path.endswith(".csv"):
            found += [cell for row in csv.reader(text.splitlines()) for cell in row]
        if path.endswith(".kin"):
            code = strings.sub(" ", re.sub(r"#.*", "", text))
            names |= set(re.findall(r"\b[a-z_][a-z0-9_]*\b", code)) - KEYWORDS
    return sorted({s for s in found if s.strip()}, key=len, reverse=True), names


def _keywords() -> set[str]:
    from kinerja.syntax.parse import _parser

    return {t.pattern.value for t in _parser().terminals if t.pattern.type == "str" and t.pattern.value.isalpha()}


KEYWORDS = _keywords()


def _words(output: str, own: tuple[list[str], set[str]] = ([], set())) -> list[str]:
    """The words a person reads in `output` that the engine wrote, lower-cased."""
    strings, names = own
    text = ECHO.sub("", TALLY.sub("", output))
    for piece in strings:
        text = text.replace(piece, " ")
    text = QUOTED.sub(" ", text)
    words = []
    for token in TOKEN.findall(text):
        if re.search(r"[/_@\d]|\.kin|\.json|sha256", token):
            continue  # paths, names, ruleset ids, numbers, codes, fingerprints
        words += [w.strip("'") for w in WORD.findall(token) if w not in names]
    return [w.lower() for w in words if w and w.lower() not in LANGUAGE_WORDS]


def _run(case: Failing, lang: str, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("KINERJA_LANG", "KINERJA_PATH")}
    env.update({"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **case.env})
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    done = subprocess.run([sys.executable, "-m", "kinerja.cli.main", "--lang", lang, *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120)  # fmt: skip
    assert done.returncode == case.exit_code, (done.returncode, done.stdout, done.stderr)
    output = done.stdout + "\n" + done.stderr
    if case.output_file:
        with Path(case.output_file.replace("{tmp}", str(tmp_path))).open(encoding="utf-8", newline="") as handle:
            output += "\n" + "\n".join(row["error"] for row in csv.DictReader(handle) if row["error"])
    for code in case.codes:
        assert code in output, f"{case.name}: {code} not reported\n{output}"
    return output


def _assert_one_language(case: Failing, lang: str, tmp_path: Path) -> None:
    output = _run(case, lang, tmp_path)
    foreign = ENGLISH if lang == "id" else INDONESIAN
    found = sorted({w for w in _words(output, _users_own_text(case.data)) if w in foreign})
    assert not found, f"{case.name} with --lang {lang} says {found}:\n{output}"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", FAILING, ids=[c.name for c in FAILING])
def test_failing_input_speaks_one_language(case: Failing, lang: str, tmp_path: Path) -> None:
    _assert_one_language(case, lang, tmp_path)


def test_the_word_lists_catch_a_leak() -> None:
    """The checker itself: an English sentence in Indonesian output (and the reverse) is found."""
    assert {"expected", "got"} <= set(_words("dua_kali: expected 96, got 97")) & ENGLISH
    assert {"yang", "diharapkan"} <= set(_words("sintaks tidak dikenali; yang diharapkan: nama")) & INDONESIAN
    assert not set(_words('   4 | input x: "the value"\n       ^^^\nlabel "Sesuai Ekspektasi"')) & ENGLISH
    assert not set(_words("for hasil = 1", ([], {"hasil"}))) & INDONESIAN  # a name the ruleset declares
    assert not ENGLISH & INDONESIAN
