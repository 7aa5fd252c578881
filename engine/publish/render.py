"""Rendering a ruleset document: GitHub-flavoured Markdown, or one self-contained HTML file.

The HTML needs no network, no script and no external font: inline CSS only,
a viewport meta for phones, and every table inside a horizontally scrolling
region so a wide table never widens the page. All text is escaped.
"""

from __future__ import annotations

import html
import re

from kinerja.diagnostics.messages import message
from kinerja.library.ruleset import Ruleset
from kinerja.publish.document import (
    Block,
    Cell,
    Cite,
    Code,
    Document,
    Facts,
    Heading,
    Inline,
    Matrix,
    NoteMark,
    Paragraph,
    Table,
    Text,
    build_document,
)

# ------------------------------------------------------------------ Markdown


def _md_text(text: str) -> str:
    """Text that Markdown shows as written: no stray HTML, no table breaks.

    Only what would change the page is escaped, so the source stays readable
    and a citation can be found in it as written.
    """
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _md_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|').replace(chr(10), ' ')}{pad}{fence}"


def _md_inline(piece: Inline, lang: str) -> str:
    if isinstance(piece, Text):
        return f"**{_md_text(piece.text)}**" if piece.strong and piece.text else _md_text(piece.text)
    if isinstance(piece, Code):
        return _md_code(piece.text)
    if isinstance(piece, Cite):
        return "\u00a7 " + _md_text(piece.text)
    return f"\u26a0\ufe0f **{_md_text(message('D_NOTE', lang))}** {_md_text(piece.text)}"


def _md_cell(cell: Cell, lang: str, separator: str = "<br>") -> str:
    """Inline pieces; each citation and note on a line of its own."""
    out = ""
    for piece in cell:
        text = _md_inline(piece, lang)
        if not out:
            out = text
        elif isinstance(piece, (Cite, NoteMark)) or (isinstance(piece, Text) and piece.line):
            out += separator + text
        else:
            out += " " + text
    return out


def _md_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(_md_text(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def _md_block(block: Block, lang: str) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + _md_text(block.text)]
    if isinstance(block, Paragraph):
        return [_md_cell(block.content, lang, "  \n")]
    if isinstance(block, Facts):
        return [f"- **{_md_text(label)}:** {_md_cell(value, lang, '; ')}" for label, value in block.rows]
    if isinstance(block, Table):
        return _md_table(block.headers, [tuple(_md_cell(c, lang) for c in row) for row in block.rows])
    assert isinstance(block, Matrix)
    rows = [(_md_cell(head, lang), *(_md_cell(c, lang) for c in cells)) for head, cells in block.rows]
    return [f"*{_md_text(block.caption)}*", "", *_md_table((block.corner, *block.columns), rows)]


def render_markdown(document: Document) -> str:
    parts = ["\n".join(_md_block(block, document.lang)) for block in document.blocks]
    return "\n\n".join(parts) + "\n"


# ------------------------------------------------------------------ HTML

_CSS = """
:root { color-scheme: light; --ink: #1d2329; --muted: #56606b; --line: #c9d1d9; --head: #eef2f6;
  --note: #fff4d6; --note-line: #d9a400; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; }
p { margin: 0.5rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; margin: 0.5rem 0 1rem;
  border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
table:not(.quadrant) { min-width: 40rem; }
td code { overflow-wrap: break-word; }
th, td { border: 1px solid var(--line); padding: 0.4rem 0.55rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
table.quadrant { min-width: 22rem; }
table.quadrant td, table.quadrant th { overflow-wrap: break-word; hyphens: auto; }
table.quadrant caption { caption-side: top; text-align: left; padding: 0.4rem 0.55rem; color: var(--muted); }
table.quadrant td { text-align: center; vertical-align: middle; font-weight: 600; }
table.quadrant th[scope=row] { background: var(--head); }
table.quadrant th.axis { text-align: center; font-weight: 500; color: var(--muted); }
table.quadrant th.corner { font-weight: 500; color: var(--muted); font-size: 0.85rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em;
  background: #f3f5f7; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
.line { display: block; }
.cite { display: block; color: var(--accent); font-size: 0.9em; }
.note { display: block; background: var(--note); border-left: 4px solid var(--note-line); padding: 0.3rem 0.5rem;
  margin: 0.25rem 0; font-size: 0.92em; }
.note strong { margin-right: 0.25em; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 2rem; }
@media (max-width: 40rem) { main { padding: 0.6rem; } body { font-size: 15px; }
  dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.4rem; }
  table.quadrant { font-size: 0.82rem; } table.quadrant th, table.quadrant td { padding: 0.3rem 0.35rem; } }
@media print { .scroll { overflow: visible; border: none; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_inline(piece: Inline, lang: str) -> str:
    if isinstance(piece, Text):
        shown = f"<strong>{_e(piece.text)}</strong>" if piece.strong else _e(piece.text)
        return f'<span class="line">{shown}</span>' if piece.line else shown
    if isinstance(piece, Code):
        return f"<code>{_e(piece.text)}</code>"
    if isinstance(piece, Cite):
        return f'<span class="cite">\u00a7 {_e(piece.text)}</span>'
    return f'<span class="note" role="note"><strong>{_e(message("D_NOTE", lang))}</strong>{_e(piece.text)}</span>'


def _html_cell(cell: Cell, lang: str) -> str:
    return " ".join(_html_inline(piece, lang) for piece in cell)


def _scroll(inner: str, label: str) -> str:
    return f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(label)}">{inner}</div>'


def _html_table(block: Table, lang: str, label: str) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in block.headers)
    body = "".join("<tr>" + "".join(f"<td>{_html_cell(c, lang)}</td>" for c in row) + "</tr>" for row in block.rows)
    return _scroll(f'<table class="{_e(block.kind)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>', label)


def _slash_breaks(markup: str) -> str:
    """A label like "Kurang/Misconduct" may wrap after its slash in a narrow phone column."""
    return re.sub(r"/(?![^<]*>)", "/<wbr>", markup)


def _html_matrix(block: Matrix, lang: str) -> str:
    columns = "".join(f'<th scope="col">{_e(c)}</th>' for c in block.columns)
    rows = "".join(
        f'<tr><th scope="row">{_html_cell(head, lang)}</th>'
        + "".join(f'<td class="cell">{_slash_breaks(_html_cell(c, lang))}</td>' for c in cells)
        + "</tr>"
        for head, cells in block.rows
    )
    table = (
        f'<table class="quadrant" data-quadrant="{_e(block.name)}" id="matrix-{_e(block.name)}">'
        f"<caption>{_e(block.caption)}</caption>"
        f'<thead><tr><th class="corner" rowspan="2" scope="col">{_e(block.corner)}</th>'
        f'<th class="axis" colspan="{len(block.columns)}" scope="colgroup">{_e(block.column_axis)}</th></tr>'
        f"<tr>{columns}</tr></thead><tbody>{rows}</tbody></table>"
    )
    return _scroll(table, block.caption)


def render_html(document: Document) -> str:
    lang = document.lang
    out: list[str] = []
    last_heading = document.title
    blocks = list(document.blocks)
    footer = blocks.pop() if blocks and isinstance(blocks[-1], Paragraph) else None
    for block in blocks:
        if isinstance(block, Heading):
            last_heading = block.text
            out.append(f'<h{block.level} id="{_e(block.anchor)}">{_e(block.text)}</h{block.level}>')
        elif isinstance(block, Paragraph):
            out.append(f"<p>{_html_cell(block.content, lang)}</p>")
        elif isinstance(block, Facts):
            items = "".join(f"<dt>{_e(label)}</dt><dd>{_html_cell(value, lang)}</dd>" for label, value in block.rows)
            out.append(f'<dl class="facts">{items}</dl>')
        elif isinstance(block, Table):
            out.append(_html_table(block, lang, last_heading))
        elif isinstance(block, Matrix):
            out.append(_html_matrix(block, lang))
    closing = f"<footer>{_html_cell(footer.content, lang)}</footer>" if footer is not None else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(document.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(out)
        + f"\n{closing}\n</main>\n</body>\n</html>\n"
    )


def render_document(ruleset: Ruleset, fmt: str = "md", lang: str = "id") -> str:
    """The ruleset for people, as GitHub-flavoured Markdown (`md`) or one self-contained HTML file (`html`)."""
    document = build_document(ruleset, lang)
    return render_html(document) if fmt == "html" else render_markdown(document)
