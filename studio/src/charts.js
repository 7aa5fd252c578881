// Plain SVG charts for the impact: the transition matrix as a heatmap, five-band bars per unit, and
// label counts before and after per unit. Every mark carries its number as text (and as data-* for tests).
import { svg, h, number } from "./dom.js";

const BANDS = ["up2", "up1", "same", "down1", "down2"];
const BAND_COLOURS = { up2: "#1b7f3b", up1: "#7cc48a", same: "#d5d9de", down1: "#f2a38f", down2: "#c2372b", changed: "#8a6fc7" };
export const LABEL_COLOURS = ["#c2372b", "#f08a4b", "#f2c14e", "#7cc48a", "#1b7f3b", "#3f7fbf", "#8a6fc7", "#999"];

export function heatmap(transitions, order, t, lang) {
  const seen = new Set(transitions.flatMap((x) => [x.from, x.to]));
  const labels = [...order.filter((l) => seen.has(l)), ...[...seen].filter((l) => !order.includes(l))];
  const count = new Map(transitions.map((x) => [`${x.from}\u0000${x.to}`, x.count]));
  const max = Math.max(1, ...transitions.map((x) => x.count));
  const rank = (l) => (order.includes(l) ? order.indexOf(l) : -1);
  const longest = Math.max(4, ...labels.map((l) => l.length));
  const cell = 54, head = Math.min(150, 16 + 7 * longest), top = Math.min(150, 24 + 5.2 * longest); // room for the labels, written at 40°
  const size = labels.length;
  const width = head + size * cell + 4 + 5 * longest, height = top + size * cell + 4;
  const body = [];
  labels.forEach((to, j) => {
    body.push(svg("text", { x: head + j * cell + cell / 2, y: top - 8, transform: `rotate(-40 ${head + j * cell + cell / 2} ${top - 8})`, class: "axis", "text-anchor": "start" }, to));
  });
  labels.forEach((from, i) => {
    body.push(svg("text", { x: head - 6, y: top + i * cell + cell / 2 + 4, class: "axis", "text-anchor": "end" }, from));
    labels.forEach((to, j) => {
      const n = count.get(`${from}\u0000${to}`) || 0;
      const up = rank(to) > rank(from) && rank(from) >= 0, down = rank(to) < rank(from) && rank(to) >= 0;
      const hue = from === to ? "120,130,140" : up ? "27,127,59" : down ? "194,55,43" : "138,111,199";
      const alpha = n ? 0.15 + 0.85 * (n / max) : 0.04;
      body.push(svg("g", { class: "cell", "data-from": from, "data-to": to, "data-count": String(n) },
        svg("title", {}, `${t.from_to(from, to)}: ${n}`),
        svg("rect", { x: head + j * cell + 1, y: top + i * cell + 1, width: cell - 2, height: cell - 2, rx: 4, fill: `rgba(${hue},${alpha})` }),
        svg("text", { x: head + j * cell + cell / 2, y: top + i * cell + cell / 2 + 5, "text-anchor": "middle", class: n / max > 0.55 ? "count light" : "count" }, n ? number(n, lang) : "·")));
    });
  });
  body.push(svg("text", { x: 4, y: 14, class: "corner" }, `↓ ${t.old}  → ${t.new}`));
  return svg("svg", { class: "heatmap", id: "heatmap", viewBox: `0 0 ${width} ${height}`, width, height, role: "img" }, body);
}

function legend(keys, words, colours) {
  return h("div", { class: "legend" }, keys.map((k) => h("span", { class: "key" }, h("i", { style: `background:${colours[k]}` }), words[k] || k)));
}

export function bandBars(groups, output, totals, t, lang) {
  const words = { up2: t.band_up2, up1: t.band_up1, same: t.band_same, down1: t.band_down1, down2: t.band_down2, changed: "≠" };
  const rows = [[t.all, totals], ...groups.map((g) => [g.group, (g.moves && g.moves[output]) || {}])];
  const keys = rows.some(([, m]) => BANDS.some((b) => b in m)) ? BANDS : ["changed", "same"];
  return h("div", { class: "bands", id: "bands" }, legend(keys, words, BAND_COLOURS),
    rows.map(([name, moves], index) => {
      const total = keys.reduce((sum, k) => sum + (moves[k] || 0), 0);
      return h("div", { class: `band-row${index === 0 ? " total" : ""}`, dataset: { group: index === 0 ? "" : name } },
        h("div", { class: "band-name" }, name, h("span", { class: "n" }, ` (${number(total, lang)})`)),
        h("div", { class: "band-bar" }, keys.map((k) => {
          const n = moves[k] || 0;
          if (!n) return null;
          return h("span", { class: "seg", style: `width:${(100 * n) / Math.max(total, 1)}%;background:${BAND_COLOURS[k]}`,
            title: `${words[k]}: ${n}`, dataset: { band: k, count: String(n) } }, n / Math.max(total, 1) > 0.08 ? number(n, lang) : "");
        })));
    }));
}

export function labelBars(countsBefore, countsAfter, order, t, lang) {
  const groups = [...new Set([...Object.keys(countsBefore || {}), ...Object.keys(countsAfter || {})])];
  const colours = Object.fromEntries(order.map((l, i) => [l, LABEL_COLOURS[i % LABEL_COLOURS.length]]));
  const bar = (counts) => {
    const total = Object.values(counts || {}).reduce((a, b) => a + b, 0);
    return h("div", { class: "band-bar" }, order.map((l) => {
      const n = (counts || {})[l] || 0;
      return n ? h("span", { class: "seg", style: `width:${(100 * n) / Math.max(total, 1)}%;background:${colours[l]}`, title: `${l}: ${n}` },
        n / Math.max(total, 1) > 0.1 ? number(n, lang) : "") : null;
    }));
  };
  return h("div", { class: "bands" }, legend(order, {}, colours),
    groups.map((g) => h("div", { class: "band-row pair" }, h("div", { class: "band-name" }, g),
      h("div", { class: "pair-bars" }, h("small", {}, t.before), bar(countsBefore[g]), h("small", {}, t.after), bar(countsAfter[g])))));
}
