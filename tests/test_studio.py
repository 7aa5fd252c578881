"""The studio page in real headless Chromium against a real `kinerja serve` on a loopback port.

Debian's chromium, driven by chromedriver over WebDriver (`webdriver_client.py`, installed by the
test setup when missing). One officer's afternoon, in order: type a mistake and see the squiggle
and the message at its line, apply the suggestion, try an employee, run the examples, compare with
a draft on an uploaded population (the heatmap's counts are `kinerja impact --format json`'s),
download the impact table, switch language. The page loads nothing from another origin and never
scrolls sideways. Screenshots of every tab at 412×915 and 1280×900 are left in
/tmp/kinerja-studio-<tab>-<width>.png for a person to look at.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import kinerja
import pytest
from serving import Server, kinerja_command, serve
from test_impact_figures import PP30, PP30_BAIK_85, pp30_rows
from webdriver_client import Driver, Session, install

SIZES = [(1280, 900), (412, 915)]
TABS = ("write", "try", "test", "compare", "score")
TYPO_LINE = 27  # `when penilaian_360: skp 60%, perilaku 40%` in pp-30-2019@1.0.0
POPULATION = 2_000


@pytest.fixture(scope="module")
def driver() -> Iterator[Driver]:
    found = install()
    if found is None:
        pytest.skip("Debian chromium and chromium-driver are not installed and cannot be installed here")
    running = Driver(*found)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rules")


@pytest.fixture(scope="module")
def server(rules: Path) -> Iterator[Server]:
    with serve("--rules", str(rules)) as running:
        yield running


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("population") / "pegawai.csv"
    rows = pp30_rows(POPULATION, seed=915)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _set_text(session: Session, text: str) -> None:
    session.run("window.kinerjaStudio.editor.setText(arguments[0]); return 0;", text)


def _checked(session: Session) -> dict:
    """The page's own last check answer, once it is for the text now in the editor."""
    return session.wait("const s = window.kinerjaStudio; return s.findings && s.editor.checkedText() === s.editor.text() "
                        "&& document.querySelector('#check-status:not(.busy)') ? s.findings : null;")  # fmt: skip


def _outside(session: Session, base: str) -> list[str]:
    names = session.run("return performance.getEntriesByType('resource').map(e => e.name);")
    return [name for name in names if not name.startswith(base + "/") and not name.startswith(("blob:", "data:", "about:"))]


def _no_sideways(session: Session) -> bool:
    return bool(session.run("return document.documentElement.scrollWidth <= window.innerWidth;"))


READY = {"test": "#test-summary, #test-result .alert", "try": "#evaluate, #try-form .alert"}


def _shoot(session: Session, tab: str, width: int) -> None:
    session.run(f"window.kinerjaStudio.go('{tab}'); window.scrollTo(0, 0); return 0;")
    session.wait("return document.readyState === 'complete';")
    if tab in READY and session.run("return window.kinerjaStudio.memory[arguments[0]] !== undefined;", tab):
        session.wait("return document.querySelector(arguments[0]);", READY[tab])
    session.screenshot(Path(f"/tmp/kinerja-studio-{tab}-{width}.png"))


def test_an_officers_afternoon(driver: Driver, server: Server, population: Path, tmp_path: Path) -> None:
    session = driver.session(*SIZES[0])
    try:
        _afternoon(session, server, population, tmp_path)
    finally:
        session.close()


def _afternoon(session: Session, server: Server, population: Path, tmp_path: Path) -> None:
    session.open(f"{server.base}/?lang=en#write")
    session.wait("return document.querySelector('#open-ruleset option[value=\"pp-30-2019@1.0.0\"]');")
    assert session.run("return document.documentElement.lang;") == "en"

    # ---- Write: a ruleset opened from the list, then a mistake typed by hand
    session.run("document.getElementById('open-ruleset').value = 'pp-30-2019@1.0.0'; return 0;")
    session.click("#open")
    session.wait("return window.kinerjaStudio.editor.text().startsWith('# Penilaian Kinerja PNS');")
    assert not _checked(session)["errors"]
    session.run(f"""const view = window.kinerjaStudio.editor.view, line = view.state.doc.line({TYPO_LINE});
        const at = line.from + line.text.indexOf('penilaian_360') + 'penilaian_360'.length;
        view.dispatch({{selection: {{anchor: at}}}}); view.focus(); return 0;""")
    session.type(".cm-content", "x")
    found = _checked(session)
    assert session.run(f"return window.kinerjaStudio.editor.view.state.doc.line({TYPO_LINE}).text;").strip().startswith(
        "when penilaian_360x:")
    typo = next(d for d in found["diagnostics"] if d["code"] == "K101")
    assert typo["line"] == TYPO_LINE and "penilaian_360x" in typo["message"]
    squiggle = session.wait("""const view = window.kinerjaStudio.editor.view;
        const marks = [...document.querySelectorAll('.cm-lintRange-error')];
        return marks.length ? marks.map(m => view.state.doc.lineAt(view.posAtDOM(m)).number) : null;""")
    assert TYPO_LINE in squiggle
    listed = session.run("""return [...document.querySelectorAll('#problems li.problem.error')].map(li =>
        [li.dataset.code, Number(li.dataset.line), li.querySelector('.message').textContent, li.textContent]);""")
    assert ["K101", TYPO_LINE] == listed[0][:2] and "unknown name `penilaian_360x`" in listed[0][2]
    assert "did you mean `penilaian_360`?" in listed[0][3]
    _shoot(session, "write", 1280)

    # ---- the suggestion, applied with one click
    session.click("#problems li.problem.error button.fix.preferred")
    assert session.wait(f"return window.kinerjaStudio.editor.view.state.doc.line({TYPO_LINE}).text.trim();").startswith(
        "when penilaian_360:")
    assert _checked(session)["errors"] == 0
    assert session.wait("return document.getElementById('check-status').classList.contains('good') && "
                        "!document.querySelector('.cm-lintRange-error');")  # fmt: skip
    assert session.wait("return document.getElementById('document').srcdoc.includes('Penilaian Kinerja');")

    # ---- Try: the form made from the inputs; the predikat, its explanation, and why not the next one
    session.click("#tab-try")
    session.wait("return document.querySelector('#try-nilai_skp');")
    session.type("#try-nilai_skp", "96")
    session.type("#try-nilai_perilaku", "76")
    session.run("const s = document.getElementById('try-penilaian_360'); s.value = 'false';"
                "s.dispatchEvent(new Event('change')); return 0;")  # fmt: skip
    session.click("#evaluate")
    predikat = session.wait("const o = document.querySelector('#try-outputs dd[data-output=predikat]'); return o && o.textContent;")
    assert predikat == "Baik"
    assert session.run("return document.querySelector('#try-outputs dd[data-output=nilai_kinerja]').textContent;") == "90"
    narrative = session.run("return document.getElementById('narrative').textContent;")
    assert "Pasal 41 ayat (5) huruf b" in narrative and "70% × 96" in narrative
    assert 'predikat = "Sangat Baik"' in session.run("return document.getElementById('why-not').textContent;")
    _shoot(session, "try", 1280)

    # ---- Test: every example runs, as `Ruleset.run_examples` says
    session.click("#tab-test")
    session.click("#run-examples")
    rows = session.wait("const r = [...document.querySelectorAll('#examples tbody tr')]; return r.length ? r.map(x => x.dataset.passed) : null;")
    expected = kinerja.load("pp-30-2019@1.0.0").run_examples()
    assert rows == ["true"] * len(expected) and len(expected) > 5
    assert session.run("return document.getElementById('test-summary').textContent;") == f"{len(expected)} passed, 0 failed"
    _shoot(session, "test", 1280)

    # ---- Compare: the shipped version against a draft in the editor, on an uploaded population
    draft = PP30_BAIK_85
    _set_text(session, draft)
    _checked(session)
    session.click("#tab-compare")
    session.run("document.getElementById('compare-old').value = 'pp-30-2019@1.0.0';"
                "document.getElementById('compare-old').dispatchEvent(new Event('change')); return 0;")  # fmt: skip
    session.click("#run-diff")
    assert session.wait("return document.querySelector('#diff-result .rule-group[data-rule=predikat]');")
    session.type("#population", str(population))
    session.wait("return [...document.querySelectorAll('#impact-id option')].some(o => o.value === 'nip');")
    session.run("for (const [id, v] of [['impact-id', 'nip'], ['impact-group', 'unit']]) {"
                " const s = document.getElementById(id); s.value = v; s.dispatchEvent(new Event('change')); } return 0;")  # fmt: skip
    session.click("#run-impact")
    cells = session.wait("const c = [...document.querySelectorAll('#heatmap .cell')];"
                         "return c.length ? c.map(g => [g.dataset.from, g.dataset.to, Number(g.dataset.count)]) : null;")  # fmt: skip
    draft_file = tmp_path / "pp-30-2019-baik-85.kin"
    draft_file.write_text(draft, encoding="utf-8")
    cli = subprocess.run([*kinerja_command(), "--lang", "en", "impact", "pp-30-2019@1.0.0", str(draft_file), str(population), "--id", "nip",
                          "--group-by", "unit", "--format", "json", "-o", str(tmp_path / "people.csv")],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    report = json.loads(cli.stdout)
    shown = {(a, b): n for a, b, n in cells if n}
    assert shown == {(t["from"], t["to"]): t["count"] for t in report["transitions"]}
    assert sum(shown.values()) == report["rows"] == POPULATION and report["changed"] > 0
    headline = session.run("return document.getElementById('impact-headline').textContent;")
    assert headline == report["headline"].replace("`", "")
    bands = session.run("return [...document.querySelectorAll('#bands .band-row[data-group]')].filter(r => r.dataset.group)"
                        ".map(r => [r.dataset.group, [...r.querySelectorAll('.seg')].map(s => [s.dataset.band, Number(s.dataset.count)])]);")  # fmt: skip
    assert {g: dict(moves) for g, moves in bands} == {g["group"]: g["moves"]["predikat"] for g in report["groups"]}

    # ---- the impact table, downloaded: the same rows `kinerja impact -o` writes
    session.click("#download-csv")
    table = session.run_async("""const done = arguments[arguments.length - 1];
        const wait = () => { const d = window.kinerjaStudio.downloads; if (d.length) d[d.length - 1].blob.text().then(t => done([d[d.length - 1].name, t])); else setTimeout(wait, 100); };
        wait();""")
    assert table[0] == "pp-30-2019-dampak.csv"
    assert table[1] == (tmp_path / "people.csv").read_bytes().decode("utf-8")
    _shoot(session, "compare", 1280)
    session.run("document.getElementById('impact-result').scrollIntoView(); return 0;")
    session.screenshot(Path("/tmp/kinerja-studio-compare-charts-1280.png"))

    # ---- Score a file: columns matched by name, scored, downloaded
    session.click("#tab-score")
    session.run("const s = document.getElementById('score-ruleset'); s.value = 'pp-30-2019@1.0.0';"
                "s.dispatchEvent(new Event('change')); return 0;")  # fmt: skip
    session.type("#score-file", str(population))
    assert session.wait("const s = document.getElementById('map-nilai_skp'); return s && s.value;") == "nilai_skp"
    session.run("const f = document.getElementById('score-format'); f.value = 'csv'; f.dispatchEvent(new Event('change')); return 0;")
    session.click("#run-score")
    summary = session.wait("const s = document.getElementById('score-summary'); return s && s.textContent;")
    assert summary == f"{POPULATION} rows scored, 0 errors."
    scored = session.run_async("""const done = arguments[arguments.length - 1];
        const d = window.kinerjaStudio.downloads; d[d.length - 1].blob.text().then(t => done([d[d.length - 1].name, t]));""")
    assert scored[0] == "pp-30-2019-hasil.csv" and len(scored[1].strip().splitlines()) == POPULATION + 1
    _shoot(session, "score", 1280)

    # ---- the language switch: the page's words and the engine's sentences in Indonesian, asked again
    session.click("[data-lang=id]")
    assert session.wait("return document.documentElement.lang === 'id' && document.getElementById('tab-write').textContent;") == "Tulis"
    session.click("#tab-compare")
    assert session.wait("const h = document.getElementById('impact-headline'); return h && h.textContent.includes('pegawai');")
    _set_text(session, PP30.replace("when penilaian_360:", "when penilaian_360x:"))
    session.click("#tab-write")
    message = session.wait("const m = document.querySelector('#problems li.problem.error .message');"
                           "return m && m.textContent.includes('tidak dikenal') ? m.textContent : null;")  # fmt: skip
    assert message == "nama `penilaian_360x` tidak dikenal"
    assert _outside(session, server.base) == []
    assert _no_sideways(session)

def test_every_tab_at_phone_width(driver: Driver, server: Server) -> None:
    """At 412 px every tab fits the screen (no sideways scroll), loads nothing from outside; screenshots for a person."""
    width, height = SIZES[1]
    session = driver.session(width, height)
    try:
        session.open(f"{server.base}/?lang=id#write")
        session.wait("return document.querySelector('#open-ruleset option[value=\"pp-30-2019@1.0.0\"]');")
        session.run("window.kinerjaStudio.editor.setText(arguments[0]); return 0;", PP30.replace("[70, 90)", "[70, 89)"))
        session.wait("return document.querySelector('#problems li.problem.error[data-code=K501]');")
        for tab in TABS:
            _shoot(session, tab, width)
            assert session.run("return window.innerWidth;") == width
            assert _no_sideways(session), f"the {tab} tab scrolls sideways at {width} px"
        assert _outside(session, server.base) == []
    finally:
        session.close()
