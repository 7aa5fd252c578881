"""Rulesets as documents: every shipped ruleset in both languages and formats, and the quadrant in a browser."""

from __future__ import annotations

import html
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from kinerja import Ruleset, load, load_text
from kinerja.cli.publish import doc_command
from kinerja.diagnostics.messages import message
from kinerja.publish.document import all_annotations
from kinerja.publish.render import render_document
from kinerja.publish.schema import citation_text
from kinerja.syntax import tree as s

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "rulesets").glob("*.kin"))
QUADRANT_RULESET = REPO / "rulesets" / "permenpanrb-6-2022@1.0.0.kin"

# A ruleset with every kind of declaration, so the document is exercised whatever ships.
EVERYTHING = r"""
ruleset contoh-lengkap version 1.0.0
  title "Contoh lengkap"
  source "Peraturan Menteri PANRB Nomor 6 Tahun 2022" short "PermenPANRB 6/2022"
  effective from 2022-01-01 until 2030-12-31
  cite "Lampiran"
  note "Teks <b>khusus</b> & pipa | harus lolos utuh."

type rating = scale "Di Bawah Ekspektasi" < "Sesuai Ekspektasi" < "Di Atas Ekspektasi"
type kelas = enum { "Istimewa", "Baik" }

input hasil: rating "Rating hasil kerja" cite "Pasal 10"
input perilaku: rating "Rating perilaku kerja" cite "Pasal 11"
input gagal_studi: boolean default false "Tugas belajar tidak selesai"
input kelas_unit: optional kelas "Predikat organisasi"
input tidak_apel: integer [0, 31] "Apel tidak diikuti per bulan"
input nilai: decimal [0, 120] places 2 "Nilai"

weights bobot
  when gagal_studi: a 50%, b 50%  cite "Pasal 12"
  otherwise: a 70%, b 30%  note "Bobot umum."
end

value gabungan = bobot.a × nilai + bobot.b × nilai "Gabungan" cite "Pasal 13"

rubric skor_apel on tidak_apel hit first
  >= 8   -> 0 "Tidak mengikuti apel pagi 8 kali atau lebih"  cite "Lampiran I"
  [1, 7] -> 2 "Kadang tidak mengikuti apel"  note "Sumber tidak mengatur 1 kali."
  = 0    -> 4 "Selalu mengikuti apel"
end

quadrant predikat rows hasil columns perilaku
  "Predikat kinerja pegawai"
  cite "Lampiran II"
  | "hasil \\ perilaku"   | "Di Bawah Ekspektasi" | "Sesuai Ekspektasi" | "Di Atas Ekspektasi" |
  | "Di Atas Ekspektasi"  | "Kurang/Misconduct"   | "Baik"              | "Sangat Baik"        | cite "Lampiran II huruf a"
  | "Sesuai Ekspektasi"   | "Kurang/Misconduct"   | "Baik"              | "Baik"               |
  | "Di Bawah Ekspektasi" | "Sangat Kurang"       | "Butuh Perbaikan"   | "Butuh Perbaikan"    | note "Baris bawah dari enam implementasi."
end

exception gagal_tugas_belajar overrides predikat priority 10
  "Pegawai tugas belajar yang tidak menyelesaikan studi"
  cite "Lampiran III"
  when gagal_studi
  then if perilaku = "Di Bawah Ekspektasi" then "Sangat Kurang" else "Kurang/Misconduct"
  note "Label mengikuti perilaku."

distribution kurva of predikat by kelas_unit
  cite "Surat Edaran"
  when "Istimewa":
    most "Sangat Baik"
    share "Sangat Baik" <= 70%  note "Sumber sekunder."
  when "Baik":
    at least 1 of "Butuh Perbaikan" + "Kurang/Misconduct"
end

output predikat "Predikat kinerja pegawai" cite "Lampiran II"
output skor_apel "Skor apel"
output gabungan

example "Di atas dan di atas"
  given hasil = "Di Atas Ekspektasi", perilaku = "Di Atas Ekspektasi", tidak_apel = 0, nilai = 100
  expect predikat = "Sangat Baik", skor_apel = 4
example "Label tidak dikenal ditolak"
  given hasil = "Luar Biasa", perilaku = "Di Atas Ekspektasi", tidak_apel = 0, nilai = 100
  expect invalid hasil
"""


class _Page(HTMLParser):
    """The facts a test needs from an HTML page: resource references, quadrant tables' shape, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.quadrants: list[list[tuple[int, int]]] = []  # per quadrant, per body row: (row header cells, data cells)
        self._in_quadrant = False
        self._in_body = False
        self.has_viewport = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href", "srcset", "poster", "data"):
            if found.get(name):
                self.references.append(str(found[name]))
        if tag == "meta" and found.get("name") == "viewport":
            self.has_viewport = True
        if tag == "table" and "quadrant" in (found.get("class") or "").split():
            self._in_quadrant = True
            self.quadrants.append([])
        if self._in_quadrant and tag == "tbody":
            self._in_body = True
        if self._in_quadrant and self._in_body and tag == "tr":
            self.quadrants[-1].append((0, 0))
        if self._in_quadrant and self._in_body and tag in ("th", "td"):
            headers, cells = self.quadrants[-1][-1]
            self.quadrants[-1][-1] = (headers + (tag == "th"), cells + (tag == "td"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        if tag == "table":
            self._in_quadrant = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


# loaded inside each test, so one ruleset that does not load fails its own tests, not the collection
RULESETS: list[tuple[str, Path | None]] = [(p.stem, p) for p in SHIPPED] + [("contoh-lengkap", None)]


def _load(path: Path | None) -> Ruleset:
    return load(path) if path is not None else load_text(EVERYTHING, "contoh-lengkap.kin")


def _citations_and_notes(ruleset: Ruleset) -> tuple[list[str], list[str]]:
    annotations = all_annotations(ruleset.module)
    header = ruleset.module.header
    examples = [a for e in ruleset.module.of_kind(s.ExampleDecl) for a in (e.annotations,)]
    cites = [citation_text(c, header) for a in [*annotations, *examples] for c in a.citations]
    notes = [n.text for a in annotations for n in a.notes]
    return cites, notes


@pytest.mark.parametrize("name, source", RULESETS, ids=[n for n, _ in RULESETS])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_markdown_has_every_citation_note_and_heading(name: str, source: Path | None, lang: str) -> None:
    ruleset = _load(source)
    text = render_document(ruleset, "md", lang)
    readable = html.unescape(text).replace("\\|", "|")
    cites, notes = _citations_and_notes(ruleset)
    assert cites, f"{name} cites nothing"
    for cite in cites:
        assert cite in readable, cite
    for note in notes:
        assert note in readable, note
    assert readable.count(message("D_NOTE", lang)) >= len(notes)
    assert ruleset.fingerprint in text
    assert message("D_H_INPUTS", lang) in text and message("D_H_EXAMPLES", lang) in text
    for example in ruleset.module.of_kind(s.ExampleDecl):
        assert example.title in readable
    # every GitHub table has a delimiter row as wide as its header row
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("|---"):
            header = lines[index - 1]
            assert line.count("---") == len(re.split(r"(?<!\\)\|", header)) - 2, header


@pytest.mark.parametrize("name, source", RULESETS, ids=[n for n, _ in RULESETS])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_is_self_contained_escaped_and_complete(name: str, source: Path | None, lang: str) -> None:
    ruleset = _load(source)
    page = render_document(ruleset, "html", lang)
    parsed = _parse(page)
    assert parsed.has_viewport
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not [r for r in parsed.references if re.match(r"(?i)\s*(https?:)?//", r)], parsed.references
    assert not re.search(r"(?i)url\(|@import|@font-face", page)
    assert f'<html lang="{lang}">' in page
    text = "".join(parsed.text)
    cites, notes = _citations_and_notes(ruleset)
    for cite in cites:
        assert cite in text, cite
    for note in notes:
        assert note in text, note
    assert page.count('class="note"') >= len(notes)
    for quadrant in ruleset.module.of_kind(s.QuadrantDecl):
        assert f'data-quadrant="{quadrant.name}"' in page
    shapes = parsed.quadrants
    expected = [[(1, len(q.columns))] * len(q.rows) for q in ruleset.module.of_kind(s.QuadrantDecl)]
    assert shapes == expected


def test_special_characters_are_escaped() -> None:
    ruleset = load_text(EVERYTHING, "contoh-lengkap.kin")
    page = render_document(ruleset, "html", "id")
    assert "<b>khusus</b>" not in page
    assert "Teks &lt;b&gt;khusus&lt;/b&gt; &amp; pipa | harus lolos utuh." in page
    markdown = render_document(ruleset, "md", "id")
    assert "<b>" not in markdown


def test_quadrant_is_a_three_by_three_matrix_with_axis_labels() -> None:
    ruleset = load_text(EVERYTHING, "contoh-lengkap.kin")
    page = render_document(ruleset, "html", "en")
    parsed = _parse(page)
    assert parsed.quadrants == [[(1, 3)] * 3]
    table = page[page.index('<table class="quadrant"'):]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="col">') == 3  # the three column labels
    assert table.count('<th scope="row">') == 3 and 'class="corner"' in table
    for label in ("Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"):
        assert table.count(f">{label}<") >= 2  # a column header and a row header
    assert "Rows: hasil. Columns: perilaku." in table
    markdown = render_document(ruleset, "md", "en")
    row = next(line for line in markdown.splitlines() if line.startswith("| **Sesuai Ekspektasi**"))
    assert row.endswith("| **Kurang/Misconduct** | **Baik** | **Baik** |")


def test_document_labels_follow_the_language() -> None:
    ruleset = load("pp-30-2019")
    indonesian = render_document(ruleset, "md", "id")
    english = render_document(ruleset, "md", "en")
    assert "## Masukan" in indonesian and "Asumsi:" in indonesian and "Assumption:" not in indonesian
    assert "## Inputs" in english and "Assumption:" in english and "## Masukan" not in english
    assert "`bobot.skp × nilai_skp + bobot.perilaku × nilai_perilaku`" in english  # the formula as written
    assert "| 2 | `[90, 120]` |" in english


def test_doc_command_writes_a_file(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "pp.html"
    result = runner.invoke(doc_command, ["pp-30-2019", "--format", "html", "--lang", "en", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    printed = runner.invoke(doc_command, ["pp-30-2019"], obj={"lang": "id"})
    assert printed.exit_code == 0 and printed.output.startswith("# Penilaian Kinerja Pegawai Negeri Sipil")
    assert runner.invoke(doc_command, ["no-such-ruleset"]).exit_code == 1


# ------------------------------------------------------------------ in a real browser

_MEASURE = """
<script>
(function () {
  var verdict = {tables: 0, rows: 0, cells: [], visible: 0, inside: 0, fits: 0, width: window.innerWidth};
  var table = document.querySelector('table.quadrant');
  if (table) {
    verdict.tables = document.querySelectorAll('table.quadrant').length;
    var rows = table.querySelectorAll('tbody > tr');
    verdict.rows = rows.length;
    rows.forEach(function (row) {
      var cells = row.querySelectorAll('td');
      verdict.cells.push(cells.length);
      cells.forEach(function (cell) {
        cell.scrollIntoView({block: 'center', inline: 'center'});
        var box = cell.getBoundingClientRect();
        var style = getComputedStyle(cell);
        if (box.width > 0 && box.height > 0 && style.visibility === 'visible' && style.display !== 'none') {
          verdict.visible += 1;
        }
        if (box.left >= 0 && box.right <= window.innerWidth + 0.5) { verdict.inside += 1; }
        if (cell.scrollWidth <= cell.clientWidth + 1) { verdict.fits += 1; }
      });
    });
  }
  var out = document.createElement('pre');
  out.id = 'kinerja-verdict';
  out.textContent = JSON.stringify(verdict);
  document.body.appendChild(out);
})();
</script>
"""


def _chromium(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", *args],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("width, height", [(412, 915), (1280, 900)], ids=["phone", "desktop"])
def test_quadrant_is_visible_in_chromium(chromium: str, tmp_path: Path, width: int, height: int) -> None:
    if not QUADRANT_RULESET.exists():
        pytest.skip("rulesets/permenpanrb-6-2022@1.0.0.kin is not shipped yet")
    ruleset = load(QUADRANT_RULESET)
    page = render_document(ruleset, "html", "id")
    plain = tmp_path / "permenpanrb-6-2022.html"
    plain.write_text(page, encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")

    dump = _chromium(chromium, f"--window-size={width},{height}", "--dump-dom", measured.as_uri())
    found = re.search(r'<pre id="kinerja-verdict">(.*?)</pre>', dump.stdout)
    assert found, dump.stderr[-2000:]
    verdict = json.loads(html.unescape(found.group(1)))
    assert verdict["tables"] == 1
    assert verdict["rows"] == 3 and verdict["cells"] == [3, 3, 3], verdict
    assert verdict["visible"] == 9 and verdict["inside"] == 9, verdict
    assert verdict["fits"] == 9, verdict  # no label spills over into its neighbour

    kind = "phone" if width < 600 else "desktop"
    shot = Path(f"/tmp/kinerja-quadrant-{kind}.png")
    # the screenshot shows the quadrant section itself, with the page's own styles (headless Chromium
    # paints a blank frame when opened at an anchor, so the section is cut out instead)
    start, end = page.index('<h2 id="quadrants"'), page.index("<h2", page.index('<h2 id="quadrants"') + 1)
    section = tmp_path / "quadrant-section.html"
    section.write_text(page[: page.index("<main>") + 6] + page[start:end] + "</main></body></html>", encoding="utf-8")
    _chromium(chromium, f"--window-size={width},{height}", f"--screenshot={shot}", section.as_uri())
    assert shot.exists() and shot.stat().st_size > 0
    if kind == "phone":
        Path("/tmp/kinerja-quadrant.png").write_bytes(shot.read_bytes())
