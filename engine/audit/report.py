"""The impact report as one self-contained HTML page: `render_report(report, lang) -> str`.

Everything inline (CSS in a <style>, no script, no image, no font, no outside
request), so the file can be mailed, archived or opened offline; the studio
reuses this function. Every sentence comes from the catalogue in `lang`; every
number is the report's own (the heatmap's cells carry `data-from`, `data-to`
and `data-count`, the JSON's transitions), so a reader — or a test — can check
the page against `kinerja impact --format json`.

Sections: the headline sentence and both fingerprints with the command that
reproduces the page; per-output figures (a transition heatmap for labels, the
distribution of the change for numbers); five-band bars per group; the
attribution table (each diff item, its basis in both regulations, the people
it moved); typical employees explained side by side under both versions, the
first step where they part marked; the diff memo; the invalid rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from html import escape
from typing import Any

from kinerja.audit.diff import SECTIONS
from kinerja.audit.explain import ComparedStep, Comparison, compare
from kinerja.audit.figures import BANDS, DOWN, INVALID, NUMBER, SAME, UP, OutputFigures
from kinerja.audit.impact import ImpactReport, group_status
from kinerja.audit.wording import count_text, number_text, signed_text
from kinerja.diagnostics.messages import message

INVALID_SHOWN = 200

_CSS = """
:root { --ink: #1d2430; --muted: #5b6474; --line: #d9dee6; --paper: #ffffff; --soft: #f4f6f9;
  --up2: #1a7f37; --up1: #7cc48a; --same: #c9ced6; --down1: #f2a65a; --down2: #c4391d; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--soft); }
main { max-width: 1180px; margin: 0 auto; padding: 16px; }
section, header.top { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
  margin: 0 0 16px; }
h1 { font-size: 1.35rem; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 1.12rem; margin: 0 0 10px; }
h3 { font-size: 1rem; margin: 14px 0 6px; overflow-wrap: anywhere; }
p.headline { font-size: 1.05rem; margin: 6px 0 10px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.86em;
  overflow-wrap: anywhere; word-break: break-word; }
dl.refs { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.refs dt { color: var(--muted); }
dl.refs dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.92rem; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.heatmap td { text-align: right; min-width: 3.2em; font-variant-numeric: tabular-nums; }
table.heatmap td.diag { font-weight: 600; }
table.heatmap th.corner { font-weight: 400; color: var(--muted); font-size: 0.8rem; }
.outputs { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
.output { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
.figures { margin: 4px 0 8px; color: var(--muted); }
.hist { display: grid; grid-template-columns: max-content 1fr max-content; gap: 2px 8px; align-items: center;
  font-size: 0.85rem; }
.hist .bar { height: 12px; background: var(--down1); border-radius: 2px; min-width: 1px; }
.hist .bar.up { background: var(--up1); }
.bands { display: flex; height: 22px; border-radius: 4px; overflow: hidden; background: var(--soft); min-width: 0; }
.bands span { display: block; height: 100%; }
.b-up2 { background: var(--up2); } .b-up1, .b-up { background: var(--up1); } .b-same { background: var(--same); }
.b-down1, .b-down { background: var(--down1); } .b-down2 { background: var(--down2); } .b-changed { background: var(--accent); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.85rem; margin: 0 0 8px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.group { display: grid; grid-template-columns: minmax(90px, 180px) 1fr; gap: 4px 12px; align-items: center;
  padding: 6px 0; border-top: 1px solid var(--line); }
.group .counts { grid-column: 2; font-size: 0.82rem; color: var(--muted); }
.group .curve { grid-column: 1 / -1; font-size: 0.82rem; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.side > div { min-width: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
ol.steps { margin: 0; padding-left: 1.4em; }
ol.steps li { margin: 2px 0; overflow-wrap: anywhere; }
ol.steps li.parts { background: #fff4d6; outline: 2px solid #e0a100; border-radius: 3px; }
ol.steps li .more { color: var(--muted); font-size: 0.85rem; display: block; }
ul.memo { padding-left: 1.2em; } ul.memo li { margin: 3px 0; overflow-wrap: anywhere; }
.cites { color: var(--muted); font-size: 0.85rem; display: block; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.scroll { margin-bottom: 10px; }
p.unchanged { color: var(--muted); margin: 8px 0 0; }
@media (max-width: 700px) {
  main { padding: 8px; }
  section, header.top { padding: 10px; }
  .side { grid-template-columns: 1fr; }
  .group { grid-template-columns: 1fr; }
  .group .counts { grid-column: 1; }
  table { font-size: 0.82rem; }
  th, td { padding: 3px 5px; }
  table.heatmap td { min-width: 2.2em; padding: 3px 4px; }
  table.heatmap th { font-size: 0.72rem; padding: 3px 3px; }
  table.heatmap th[scope="col"] { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
    text-align: left; vertical-align: bottom; padding: 6px 3px; }
  table.heatmap td { font-size: 0.78rem; }
}
"""


def render_report(report: ImpactReport, lang: str = "id") -> str:
    """The report page in `lang` ("id" or "en")."""
    page = _Page(report, lang)
    return page.render()


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _breakable(label: str) -> str:
    """A label that may wrap after a slash too (`Kurang/Misconduct` on a phone)."""
    return "/<wbr>".join(_e(part) for part in label.split("/"))


def _prose(text: str) -> str:
    """A catalogue sentence as HTML: escaped, and each `name` the sentence quotes as code, not raw backticks."""
    parts = escape(text, quote=True).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: leave the text as it is
        return escape(text, quote=True)
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


class _Page:
    def __init__(self, report: ImpactReport, lang: str):
        self.r = report
        self.lang = lang

    def m(self, code: str, **args: Any) -> str:
        return _prose(message(code, self.lang, **args))

    def n(self, value: int | Decimal) -> str:
        return _e(number_text(value, self.lang))

    def render(self) -> str:
        r = self.r
        title = message("X_IMPACT_TITLE", self.lang, old=f"{r.old.id}@{r.old.version}", new=f"{r.new.id}@{r.new.version}")
        body = [self.header(title), self.outputs(), self.groups(), self.attribution(), self.typical(), self.memo(), self.invalid()]
        return (
            f'<!DOCTYPE html>\n<html lang="{_e(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(x for x in body if x)
            + "\n</main>\n</body>\n</html>\n"
        )

    # -------------------------------------------------------------- header
    def header(self, title: str) -> str:
        r = self.r
        refs = [
            (self.m("R_OLD"), f"<b>{_e(r.old.id)}@{_e(r.old.version)}</b> <code>{_e(r.old.fingerprint)}</code>"),
            (self.m("R_NEW"), f"<b>{_e(r.new.id)}@{_e(r.new.version)}</b> <code>{_e(r.new.fingerprint)}</code>"),
        ]
        if r.command:
            refs.append((self.m("R_COMMAND"), f'<code id="command">{_e(r.command)}</code>'))
        for note in r.notes:
            refs.append((self.m("R_NOTE"), _e(note)))
        summary = message("X_IMPACT_SUMMARY", self.lang, rows=count_text(r.rows, self.lang), changed=count_text(r.changed, self.lang),
                          invalid=count_text(len(r.invalid), self.lang), invalid_old=count_text(r.invalid_old, self.lang),
                          invalid_new=count_text(r.invalid_new, self.lang))  # fmt: skip
        items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in refs)
        return (f'<header class="top"><h1>{_e(title)}</h1><p class="headline" id="headline">{_prose(r.headline(self.lang))}</p>'
                f'<p class="muted">{_e(summary)}</p><dl class="refs">{items}</dl></header>')  # fmt: skip

    # -------------------------------------------------------------- outputs
    def outputs(self) -> str:
        r = self.r
        parts = [f'<section id="outputs"><h2>{self.m("R_H_OUTPUTS")}</h2>']
        if r.output is not None:
            headline = r.figures(r.output)
            ranks = {x: i for i, x in enumerate(headline.order)} if headline is not None and headline.order else r.label_order
            order = sorted({x for pair in r.transitions for x in pair}, key=lambda x: (ranks.get(x, len(ranks) + (x == INVALID)), x))
            parts.append(f'<h3>{self.m("R_HEATMAP", output=r.output)}</h3>')
            parts.append(self.heatmap(r.output, order, r.transitions, headline=True))
        parts.append('<div class="outputs">')
        for figures in r.outputs:
            if figures.name != r.output and figures.changed:
                parts.append(self.output(figures))
        parts.append("</div>")
        unchanged = [f.name for f in r.outputs if f.name != r.output and not f.changed]
        if unchanged:
            names = ", ".join(f"<code>{_e(n)}</code>" for n in unchanged)
            parts.append(f'<p class="unchanged">{self.m("R_UNCHANGED", count=count_text(max(f.compared for f in r.outputs), self.lang))} {names}</p>')
        if r.only_old or r.only_new:
            parts.append(f'<p class="muted">{self.m("X_IMPACT_NOT_COMPARED", old=", ".join(r.only_old) or "-", new=", ".join(r.only_new) or "-")}</p>')
        parts.append("</section>")
        return "".join(parts)

    def heatmap(self, output: str, labels: list[str], transitions: Any, headline: bool = False) -> str:
        """Old labels down, new labels across; each cell's shade grows with its count (off the diagonal: movers)."""
        top = max([n for (a, b), n in transitions.items() if a != b] + [1])
        head = "".join(f'<th scope="col">{_breakable(self.label(x))}</th>' for x in labels)
        rows = []
        for old in labels:
            cells = []
            for new in labels:
                count = transitions.get((old, new), 0)
                style = ""
                if count and old != new:
                    alpha = Decimal(0.15) + Decimal(0.6) * Decimal(count) / Decimal(top)
                    style = f' style="background: rgba(196, 57, 29, {alpha:.2f})"'
                elif count:
                    style = ' style="background: #eef1f5"'
                klass = ' class="diag"' if old == new else ""
                cells.append(f'<td{klass}{style} data-from="{_e(old)}" data-to="{_e(new)}" data-count="{count}">'
                             f'{self.n(count) if count else "·"}</td>')  # fmt: skip
            rows.append(f'<tr><th scope="row">{_breakable(self.label(old))}</th>{"".join(cells)}</tr>')
        corner = self.m("R_CORNER")
        kind = "heatmap headline" if headline else "heatmap"
        return (f'<div class="scroll"><table class="{kind}" data-output="{_e(output)}"><thead><tr><th class="corner">{corner}</th>'
                f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')  # fmt: skip

    def label(self, label: str) -> str:
        return message("R_INVALID", self.lang) if label == INVALID else label

    def output(self, figures: OutputFigures) -> str:
        summary = self.m("R_OUTPUT_FIGURES", compared=count_text(figures.compared, self.lang),
                         up=count_text(figures.up, self.lang), down=count_text(figures.down, self.lang),
                         same=count_text(figures.same, self.lang))  # fmt: skip
        out = [f'<div class="output" data-output="{_e(figures.name)}" data-kind="{_e(figures.kind)}"><h3><code>{_e(figures.name)}</code></h3>',
               f'<p class="figures">{summary}</p>']  # fmt: skip
        if figures.kind == NUMBER:
            stats = figures.delta_stats()
            if stats:
                out.append(f'<p class="figures">{self.m("R_DELTA", low=signed_text(stats["min"], self.lang), median=signed_text(stats["median"], self.lang), high=signed_text(stats["max"], self.lang))}</p>')
                out.append(self.histogram(figures))
        elif figures.changed:
            out.append(self.heatmap(figures.name, figures.labels(), figures.transitions))
        out.append("</div>")
        return "".join(out)

    def histogram(self, figures: OutputFigures) -> str:
        bins = figures.histogram()
        top = max([b.count for b in bins] + [1])
        rows = []
        for b in bins:
            width = Decimal(100) * b.count / top
            up = " up" if b.low >= 0 else ""
            rows.append(f'<span class="mono">[{self.n(b.low)}; {self.n(b.high)})</span><span class="bar{up}" style="width: {width:.1f}%"></span>'
                        f'<span class="mono">{self.n(b.count)}</span>')  # fmt: skip
        return f'<div class="hist" data-output="{_e(figures.name)}">{"".join(rows)}</div>'

    # -------------------------------------------------------------- groups
    def groups(self) -> str:
        r = self.r
        if not r.groups:
            return ""
        moved = [f for f in r.outputs if f.changed] or ([r.main_output()] if r.main_output() else [])
        parts = [f'<section id="groups"><h2>{self.m("R_H_GROUPS", column=r.group_by or "-")}</h2>']
        for figures in moved:
            keys = BANDS if figures.order is not None else (UP, SAME, DOWN) if figures.kind == NUMBER else ("changed", SAME)
            legend = "".join(f'<span><i class="b-{k}"></i>{self.m("X_BAND_" + k.upper())}</span>' for k in keys)
            parts.append(f'<h3><code>{_e(figures.name)}</code></h3><div class="legend">{legend}</div>')
            for group in r.groups:
                moves = group.moves.get(figures.name, {})
                total = sum(moves.values())
                spans, counts = [], []
                for k in keys:
                    count = moves.get(k, 0)
                    if count:
                        spans.append(f'<span class="b-{k}" data-band="{k}" data-count="{count}" style="width: {Decimal(100) * count / total:.2f}%" '
                                     f'title="{self.m("X_BAND_" + k.upper())}: {count}"></span>')  # fmt: skip
                    counts.append(f'<span class="nowrap">{self.m("X_BAND_" + k.upper())} {self.n(count)}</span>')
                name = group.group or message("B_POP_EMPTY_GROUP", self.lang)
                curve = []
                for code, population in (("X_GROUP_BEFORE", r.population_old), ("X_GROUP_AFTER", r.population_new)):
                    status = group_status(population, group.group, self.lang)
                    if status:
                        curve.append(self.m(code, status=status))
                invalid = f' · {self.m("R_INVALID_COUNT", count=count_text(group.invalid, self.lang))}' if group.invalid else ""
                parts.append(f'<div class="group" data-group="{_e(group.group)}" data-output="{_e(figures.name)}"><b>{_e(name)}</b>'
                             f'<div class="bands">{"".join(spans)}</div><div class="counts">{" · ".join(counts)}{invalid}</div>'
                             + (f'<div class="curve">{"<br>".join(curve)}</div>' if curve and figures is moved[0] else "")
                             + "</div>")  # fmt: skip
        parts.append("</section>")
        return "".join(parts)

    # -------------------------------------------------------------- attribution
    def attribution(self) -> str:
        r = self.r
        if r.diff is None or not r.diff.rule_changes:
            return ""
        rows = []
        for item in r.attribution:
            moves = "<br>".join(
                _prose(message("X_ATTR_MOVE", self.lang, count=count_text(n, self.lang), way=message(f"X_WAY_{w.upper()}", self.lang), output=o))
                if w != "invalid" else self.m("R_MADE_INVALID", count=count_text(n, self.lang))
                for (o, w), n in sorted(item.moves.items(), key=lambda x: -x[1]))  # fmt: skip
            rows.append(f'<tr data-item="{item.index + 1}"><td class="num">{item.index + 1}</td><td>{_prose(item.change.text(self.lang))}</td>'
                        f'<td>{_e("; ".join(item.change.old_citations) or "-")}</td><td>{_e("; ".join(item.change.new_citations) or "-")}</td>'
                        f'<td class="num" data-people="{item.people}">{self.n(item.people)}</td><td>{moves}</td></tr>')  # fmt: skip
        quiet = [i for i, c in enumerate(r.diff.changes) if c.changes_meaning and i not in {a.index for a in r.attribution}]
        head = "".join(f"<th>{self.m(c)}</th>" for c in ("R_COL_ITEM", "R_COL_CHANGE", "R_COL_OLD_BASIS", "R_COL_NEW_BASIS", "R_COL_PEOPLE", "R_COL_MOVES"))
        sentences = "".join(f"<li>{_prose(s)}</li>" for item in r.attribution for s in item.sentences(self.lang))
        parts = [f'<section id="attribution"><h2>{self.m("X_ATTR_TITLE")}</h2>', f"<ul class=\"memo\">{sentences}</ul>" if sentences else "",
                 f'<div class="scroll"><table class="attribution"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>']  # fmt: skip
        if quiet:
            listed = ", ".join(str(i + 1) for i in quiet)
            parts.append(f'<p class="muted">{self.m("R_QUIET_ITEMS", items=listed)}</p>')
        if r.unexplained:
            parts.append(f'<p>{self.m("X_ATTR_UNEXPLAINED", count=count_text(r.unexplained, self.lang))}</p>')
        parts.append(f'<p class="muted">{self.m("R_METHOD")}</p></section>')
        return "".join(parts)

    # -------------------------------------------------------------- typical employees
    def typical(self) -> str:
        r = self.r
        if not r.typical or r.old_ruleset is None or r.new_ruleset is None:
            return ""
        parts = [f'<section id="typical"><h2>{self.m("R_H_TYPICAL")}</h2><p class="muted">{self.m("R_TYPICAL_HOW")}</p>']
        for case in r.typical:
            comparison = compare(r.old_ruleset, case.old_result, r.new_ruleset, case.new_result, self.lang)
            moves = ", ".join(
                message("X_ATTR_MOVE", self.lang, count="", way=message(f"X_WAY_{w.upper()}", self.lang), output=o).strip()
                for o, w in case.kind)  # fmt: skip
            items = ", ".join(str(i + 1) for i in case.items) or "-"
            parts.append(f'<article class="case" data-id="{_e(case.id)}"><h3>{self.m("R_CASE", id=str(case.id), moves=moves, people=count_text(case.people, self.lang), items=items)}</h3>')
            if comparison.parting:
                parts.append(f'<p>{self.m("X_AGAINST_PARTING", name=comparison.parting)}</p>')
            parts.append('<div class="side">')
            for ref, narrative, side in ((comparison.left_ref, comparison.left, "left"), (comparison.right_ref, comparison.right, "right")):
                same = sum(1 for row in comparison.steps if row.same)
                parts.append(f'<div data-side="{side}"><h4 class="mono">{_e(ref)}</h4>{self.steps(comparison, side, differing=True)}'
                             f'<p><b>{_prose(narrative.result)}</b></p><details><summary>{self.m("R_ALL_STEPS", same=count_text(same, self.lang))}</summary>'
                             f"{self.steps(comparison, side, differing=False)}</details></div>")  # fmt: skip
            parts.append("</div></article>")
        parts.append("</section>")
        return "".join(parts)

    def steps(self, comparison: Comparison, side: str, differing: bool) -> str:
        """The steps of one side, numbered as in `kinerja explain`; with `differing`, only those whose value differs
        from the other side's or that the other side does not have."""
        items = []
        numbers = {row.name: i for i, row in enumerate(x for x in comparison.steps if (x.left if side == "left" else x.right) is not None)}
        for row in comparison.steps:
            step = row.left if side == "left" else row.right
            if step is None or (differing and row.same):
                continue
            klass = ' class="parts"' if row.name == comparison.parting else (' class="differs"' if _differs(row) else "")
            more = "".join(f'<span class="more">{_prose(x)}</span>' for x in step.lines[1:])
            items.append(f'<li{klass} value="{numbers[row.name] + 1}" data-step="{_e(row.name)}">{_prose(step.lines[0])}{more}</li>')
        return f'<ol class="steps">{"".join(items)}</ol>'

    # -------------------------------------------------------------- diff memo and invalid rows
    def memo(self) -> str:
        r = self.r
        if r.diff is None:
            return ""
        parts = [f'<section id="diff"><h2>{self.m("R_H_DIFF")}</h2><p>{_e(r.diff.summary(self.lang))} {_e(r.diff.breakdown(self.lang)) if r.diff.changes else ""}</p>']
        numbered = list(enumerate(r.diff.changes, start=1))
        for name in SECTIONS:
            found = [(i, c) for i, c in numbered if c.section == name]
            if not found:
                continue
            parts.append(f'<h3>{self.m("X_DIFF_SECTION_" + name.upper())}</h3><ul class="memo">')
            for i, change in found:
                cites = message("X_DIFF_CITES", self.lang, old="; ".join(change.old_citations) or "-", new="; ".join(change.new_citations) or "-")
                parts.append(f'<li data-item="{i}"><span class="mono">[{i}]</span> {_prose(change.text(self.lang))}<span class="cites">{_e(cites)}</span></li>')
            parts.append("</ul>")
        parts.append("</section>")
        return "".join(parts)

    def invalid(self) -> str:
        r = self.r
        if not r.invalid:
            return ""
        rows = []
        for row in r.invalid[:INVALID_SHOWN]:
            rows.append(f"<tr><td>{_e(row.id)}</td><td>{_e('; '.join(row.old or []) or '-')}</td><td>{_e('; '.join(row.new or []) or '-')}</td></tr>")
        more = f'<p class="muted">{self.m("X_IMPACT_MORE", count=len(r.invalid) - INVALID_SHOWN)}</p>' if len(r.invalid) > INVALID_SHOWN else ""
        head = "".join(f"<th>{x}</th>" for x in (self.m("R_COL_ID"), _e(f"{r.old.id}@{r.old.version}"), _e(f"{r.new.id}@{r.new.version}")))
        return (f'<section id="invalid"><h2>{self.m("X_IMPACT_INVALID", count=len(r.invalid))}</h2><div class="scroll"><table>'
                f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}</section>')  # fmt: skip


def _differs(row: ComparedStep) -> bool:
    return row.left is not None and row.right is not None and not row.same


def heatmap_counts(transitions: Iterable[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The JSON's transitions as the heatmap shows them (for checking a page against its report)."""
    return {(x["from"], x["to"]): int(x["count"]) for x in transitions}


__all__ = ["heatmap_counts", "render_report"]
