"""The impact report: one self-contained HTML page, checked as HTML and in real headless Chromium.

In the browser (Debian chromium driven by chromedriver over WebDriver, at a phone's 412×915 and a
desktop's 1280×900): the page never scrolls sideways, it loads nothing from outside, every heatmap
cell shows the count the JSON report gives, and each group's five bands add up to its people.
Screenshots are left in /tmp/kinerja-impact-*.png for a person to look at.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import kinerja
import pytest
from kinerja.audit.impact import impact
from kinerja.audit.report import heatmap_counts, render_report
from test_impact_figures import KMK_NEW, KMK_OLD, PP30_BAIK_85, PP30_RULES, kemenkeu_rows, pp30_rows
from webdriver_client import Driver, install

SIZES = [(412, 915), (1280, 900)]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.references += [str(v) for k, v in attrs if k in ("src", "href", "srcset", "poster", "data", "action") and v]


@pytest.fixture(scope="module")
def pp30_report() -> kinerja.audit.impact.ImpactReport:  # type: ignore[name-defined]
    return impact(kinerja.load_text(PP30_RULES), kinerja.load_text(PP30_BAIK_85), pp30_rows(2_000, seed=412),
                  id_column="nip", group_by="unit", command="kinerja impact pp-30-2019@1.0.0 baik-85.kin pegawai.csv --group-by unit")  # fmt: skip


@pytest.fixture(scope="module")
def kmk_report() -> kinerja.audit.impact.ImpactReport:  # type: ignore[name-defined]
    return impact(kinerja.load(KMK_OLD), kinerja.load(KMK_NEW), kemenkeu_rows(1_500, seed=915), id_column="nip", group_by="unit")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_is_self_contained_and_says_it_all(pp30_report: kinerja.audit.impact.ImpactReport, lang: str) -> None:  # type: ignore[name-defined]
    page = render_report(pp30_report, lang)
    parsed = _Tags()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    assert not {"script", "link", "img", "iframe", "object"} & set(parsed.tags)
    assert not [r for r in parsed.references if re.match(r"(?i)\s*(https?:)?//", r)]
    assert not re.search(r"(?i)url\(|@import|@font-face", page)
    assert pp30_report.old.fingerprint in page and pp30_report.new.fingerprint in page
    assert "kinerja impact pp-30-2019@1.0.0 baik-85.kin pegawai.csv --group-by unit" in page
    assert _plain_text(pp30_report.headline(lang)) in _plain_text(page)
    for band in ("X_BAND_UP2", "X_BAND_UP1", "X_BAND_SAME", "X_BAND_DOWN1", "X_BAND_DOWN2"):
        assert kinerja.diagnostics.messages.message(band, lang) in page
    assert "PP 30/2019 Pasal 41 ayat (5) huruf c" in page and "PP 30/2019 Pasal 41 ayat (5) huruf b" in page
    assert page.count('class="case"') == len(pp30_report.typical) >= 1
    assert "`" not in re.sub(r"<code[^>]*>.*?</code>", "", page)  # no raw backticks in prose


def _plain_text(html: str) -> str:
    import html as html_module

    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", "", html.replace("`", ""))))


@pytest.fixture(scope="module")
def driver() -> Iterator[Driver]:
    found = install()
    if found is None:
        pytest.skip("Debian chromium and chromium-driver are not installed and cannot be installed here")
    running = Driver(*found)
    yield running
    running.stop()


MEASURE = """
const out = {width: window.innerWidth, scroll: document.documentElement.scrollWidth,
             resources: performance.getEntriesByType('resource').length, heatmaps: {}, bands: [], hidden: 0};
const headline = document.querySelector('table.heatmap.headline');
out.headlineRight = headline ? headline.getBoundingClientRect().right : 0;
document.querySelectorAll('table.heatmap').forEach(table => {
  const cells = [];
  table.querySelectorAll('td[data-count]').forEach(td => {
    const box = td.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) { out.hidden += 1; }
    cells.push([td.dataset.from, td.dataset.to, Number(td.dataset.count), td.textContent.trim()]);
  });
  out.heatmaps[table.dataset.output + (table.classList.contains('headline') ? ':headline' : '')] = cells;
});
document.querySelectorAll('.group').forEach(group => {
  const bar = group.querySelector('.bands');
  const spans = [...bar.querySelectorAll('span')];
  out.bands.push({group: group.dataset.group, output: group.dataset.output, bar: bar.getBoundingClientRect().width,
                  counts: spans.map(s => [s.dataset.band, Number(s.dataset.count), s.getBoundingClientRect().width])});
});
return out;
"""


def _shown(text: str) -> int:
    return 0 if text == "·" else int(text.replace(".", "").replace(",", ""))


@pytest.mark.parametrize("width, height", SIZES, ids=["phone", "desktop"])
@pytest.mark.parametrize("pair", ["pp30", "kmk"])
def test_report_in_chromium(driver: Driver, tmp_path: Path, request: pytest.FixtureRequest, pair: str, width: int, height: int) -> None:
    report = request.getfixturevalue(f"{pair}_report")
    lang = "id" if width < 600 else "en"
    data = report.to_dict(lang)
    page = tmp_path / f"impact-{pair}.html"
    page.write_text(render_report(report, lang), encoding="utf-8")
    session = driver.session(width, height)
    try:
        session.open(page.as_uri())
        found = session.run(MEASURE)
        kind = "phone" if width < 600 else "desktop"
        session.screenshot(Path(f"/tmp/kinerja-impact-{pair}-{kind}-top.png"))
        for part in ("outputs", "groups", "attribution", "typical"):
            session.run(f"document.getElementById('{part}').scrollIntoView(); return 0;")
            session.screenshot(Path(f"/tmp/kinerja-impact-{pair}-{kind}-{part}.png"))
    finally:
        session.close()
    assert found["width"] == width
    assert found["scroll"] <= width, "the page scrolls sideways"
    assert found["resources"] == 0 and found["hidden"] == 0
    assert found["headlineRight"] <= width, "the transition heatmap needs a sideways scroll"
    headline = found["heatmaps"][f"{report.output}:headline"]
    shown = {(a, b): n for a, b, n, _ in headline if n}
    assert shown == heatmap_counts(data["transitions"])
    assert all(_shown(text) == n for _, _, n, text in headline)
    assert sum(shown.values()) == data["rows"]
    for figures in data["outputs"]:
        if f"{figures['name']}" in found["heatmaps"]:
            cells = {(a, b): n for a, b, n, _ in found["heatmaps"][figures["name"]] if n}
            assert cells == heatmap_counts(figures["transitions"])
    groups = {g["group"]: g for g in data["groups"]}
    assert found["bands"]
    for bar in found["bands"]:
        counts = Counter({band: n for band, n, _ in bar["counts"]})
        assert counts == Counter(groups[bar["group"]]["moves"][bar["output"]])
        assert abs(sum(w for _, _, w in bar["counts"]) - bar["bar"]) <= 1.5  # the bands fill the bar
    if pair == "pp30":
        up = sum(n for (a, b), n in heatmap_counts(data["transitions"]).items() if (a, b) == ("Cukup", "Baik"))
        assert up > 0 and up == data["outputs"][[f["name"] for f in data["outputs"]].index("predikat")]["bands"]["up1"]
    else:
        assert Decimal(data["outputs"][[f["name"] for f in data["outputs"]].index("nilai_kinerja_pegawai")]["down"]) > 0
