// Compare: two rulesets (listed versions, or the text in the editor); the semantic diff grouped by rule
// with header and note changes apart; the impact on an uploaded population: the headline, the transition
// matrix, five-band bars per unit, distribution compliance before and after, who moved, and downloads.
import { h, put, errorBox, number } from "../dom.js";
import { download, fileNameOf } from "../api.js";
import { heatmap, bandBars, labelBars } from "../charts.js";

export const EDITOR = "@editor";

export function prose(text) {
  // the engine writes names in `backticks`: show them as code
  return String(text).split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
}

export function mediaOf(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "application/x-ndjson";
  return "text/csv";
}

export function compareView(ctx) {
  const t = ctx.t();
  const memory = (ctx.memory.compare ||= { old: "", new: EDITOR, id: "", group: "", file: null, diff: false, impact: false });
  const oldPick = h("select", { id: "compare-old", "aria-label": t.old, onchange: () => { memory.old = oldPick.value; } });
  const newPick = h("select", { id: "compare-new", "aria-label": t.new, onchange: () => { memory.new = newPick.value; } });
  const diffOut = h("div", { id: "diff-result", "aria-live": "polite" });
  const file = h("input", { type: "file", id: "population", accept: ".csv,.xlsx,.jsonl", onchange: () => pickFile() });
  const fileName = h("span", { class: "hint", id: "population-name" });
  const idColumn = h("select", { id: "impact-id", onchange: () => { memory.id = idColumn.value; } });
  const groupColumn = h("select", { id: "impact-group", onchange: () => { memory.group = groupColumn.value; } });
  const impactOut = h("div", { id: "impact-result", "aria-live": "polite" });

  function options(select, chosen) {
    put(select, h("option", { value: EDITOR, selected: chosen === EDITOR }, t.edited),
      ctx.rulesets.map((r) => h("option", { value: `${r.id}@${r.version}`, selected: chosen === `${r.id}@${r.version}` }, `${r.id}@${r.version}`)));
  }

  async function listed() {
    if (!memory.old && ctx.rulesets.length) memory.old = ctx.opened || `${ctx.rulesets[0].id}@${ctx.rulesets[0].version}`;
    options(oldPick, memory.old);
    options(newPick, memory.new);
    fileName.textContent = memory.file ? memory.file.name : ""; // the file input forgets it when the page is redrawn
    if (memory.diff) diff();
    if (memory.file) await columns(memory.file);
    if (memory.impact) impact();
  }

  const side = (value) => (value === EDITOR ? { text: ctx.editor.text() } : value);
  const formSide = (value) => (value === EDITOR ? ctx.editor.text() : value);

  async function diff() {
    memory.diff = true;
    put(diffOut, h("p", { class: "hint" }, "…"));
    try {
      const answer = await ctx.api.json("POST", "/v1/diff", { old: side(oldPick.value), new: side(newPick.value) });
      const byId = new Map(answer.changes.map((c) => [c.id, c]));
      const rules = [...(answer.sections.rules || []), ...(answer.sections.added || [])].map((id) => byId.get(id));
      const grouped = new Map();
      for (const change of rules) grouped.set(change.subject, [...(grouped.get(change.subject) || []), change]);
      const documentation = (answer.sections.documentation || []).map((id) => byId.get(id));
      const item = (c) => h("li", { dataset: { kind: c.kind } }, prose(c.message),
        (c.new_citations || c.old_citations || []).length ? h("div", { class: "cite" }, (c.new_citations.length ? c.new_citations : c.old_citations).join("; ")) : null);
      put(diffOut,
        h("p", { class: "summary" }, answer.same_meaning ? t.same_meaning : prose(answer.summary)),
        grouped.size ? h("h3", {}, t.rule_changes) : null,
        [...grouped].map(([subject, changes]) => h("div", { class: "rule-group", dataset: { rule: subject } },
          h("h4", {}, h("code", {}, subject)), h("ul", {}, changes.map(item)))),
        documentation.length ? h("h3", {}, t.doc_changes) : null,
        documentation.length ? h("ul", { class: "doc-changes" }, documentation.map(item)) : null);
    } catch (error) {
      put(diffOut, errorBox(error));
    }
  }

  async function columns(chosen) {
    try {
      const answer = await ctx.api.json("POST", "/v1/columns", chosen, { "Content-Type": mediaOf(chosen) });
      const choices = (select, current, guess) => put(select, h("option", { value: "" }, t.none),
        answer.columns.map((c) => h("option", { value: c, selected: c === (current || guess) }, c)));
      const guessId = answer.columns.find((c) => /^(nip|id|nomor)$/i.test(c)) || "";
      const guessGroup = answer.columns.find((c) => /unit|satker|instansi|biro|bagian/i.test(c)) || "";
      choices(idColumn, memory.id, guessId);
      choices(groupColumn, memory.group, guessGroup);
      memory.id = idColumn.value;
      memory.group = groupColumn.value;
    } catch (error) {
      put(impactOut, errorBox(error));
    }
  }

  function pickFile() {
    memory.file = file.files[0] || null;
    memory.id = memory.group = "";
    if (memory.file) columns(memory.file);
  }

  function form() {
    const data = new FormData();
    data.append("old", formSide(oldPick.value));
    data.append("new", formSide(newPick.value));
    data.append("population", memory.file, memory.file.name);
    if (memory.id) data.append("id_column", memory.id);
    if (memory.group) data.append("group_by", memory.group);
    return data;
  }

  async function fetchFile(path, fallback) {
    try {
      const { blob, headers } = await ctx.api.blob("POST", path, form());
      download(blob, fileNameOf(headers, fallback));
    } catch (error) {
      impactOut.prepend(errorBox(error));
    }
  }

  async function impact() {
    if (!memory.file) {
      put(impactOut, errorBox({ message: t.pick_file }));
      return;
    }
    memory.impact = true;
    put(impactOut, h("p", { class: "hint" }, "…"));
    let report;
    try {
      report = await ctx.api.json("POST", "/v1/impact", form());
    } catch (error) {
      put(impactOut, errorBox(error));
      return;
    }
    const main = report.outputs.find((o) => o.name === report.output) || report.outputs[0];
    const order = (main && main.order) || [];
    const population = report.population || {};
    const before = population.old, after = population.new;
    // a curve either version sets, each unit's status before and after (a version without it: not assessed)
    const curves = (side) => new Map(((side && side.distributions) || []).map((d) => [d.distribution, d]));
    const beforeCurves = curves(before), afterCurves = curves(after);
    const distributions = [...new Set([...beforeCurves.keys(), ...afterCurves.keys()])];
    put(impactOut,
      h("p", { class: "headline", id: "impact-headline" }, prose(report.headline)),
      h("div", { class: "downloads" },
        h("button", { type: "button", id: "download-csv", onclick: () => fetchFile("/v1/impact/table?format=csv", "dampak.csv") }, t.download_csv),
        h("button", { type: "button", id: "download-xlsx", onclick: () => fetchFile("/v1/impact/table?format=xlsx", "dampak.xlsx") }, t.download_xlsx),
        h("button", { type: "button", id: "download-report", onclick: () => fetchFile("/v1/impact/report", "dampak.html") }, t.download_report)),
      h("div", { class: "charts" },
        h("div", { class: "chart" }, h("h3", {}, t.heatmap, report.output ? [" — ", h("code", {}, report.output)] : null),
          h("div", { class: "scroll" }, heatmap(report.transitions, order, t, ctx.lang))),
        main ? h("div", { class: "chart" }, h("h3", {}, t.bands), bandBars(report.groups, main.name, main.bands || { changed: main.changed, same: main.same }, t, ctx.lang)) : null),
      before || after ? h("div", { class: "chart", id: "compliance" }, h("h3", {}, t.compliance),
        distributions.length ? distributions.map((name) => compliance(beforeCurves.get(name), afterCurves.get(name), t)) :
          [h("p", { class: "hint" }, t.no_distribution), labelBars(before ? before.counts : {}, after ? after.counts : {}, order, t, ctx.lang)]) : null,
      h("div", { class: "chart" }, h("h3", {}, t.moved, ` (${number(report.changed, ctx.lang)})`),
        h("ul", { class: "moved", id: "moved" }, report.changed_ids.slice(0, 200).map((id) => h("li", {}, String(id)))),
        report.changed_ids.length > 200 ? h("p", { class: "hint" }, `… +${number(report.changed_ids.length - 200, ctx.lang)}`) : null));
  }

  function compliance(beforeDistribution, afterDistribution, t) {
    const distribution = beforeDistribution || afterDistribution;
    const beforeBy = new Map(((beforeDistribution && beforeDistribution.groups) || []).map((g) => [g.group, g]));
    const afterBy = new Map(((afterDistribution && afterDistribution.groups) || []).map((g) => [g.group, g]));
    const units = [...new Set([...beforeBy.keys(), ...afterBy.keys()])];
    const badge = (g) => (g ? h("span", { class: `badge ${g.status}`, title: g.checks.map((c) => c.text).join("\n") },
      g.status === "conforms" ? `✓ ${t.conforms}` : g.status === "violates" ? `✗ ${t.violates}` : t.not_assessed) : "—");
    // the engine's sentence for each check a unit fails (a tooltip is no use on a phone)
    const missed = (g) => (g ? g.checks.filter((c) => c.conforms === false).map((c) => h("div", { class: "check-text" }, prose(c.text))) : null);
    return h("div", { class: "scroll" }, h("table", { class: "compliance" },
      h("caption", {}, h("code", {}, distribution.distribution), ` (${distribution.output} / ${distribution.group_by})`),
      h("thead", {}, h("tr", {}, h("th", {}, t.unit), h("th", {}, t.before), h("th", {}, t.after))),
      h("tbody", {}, units.map((unit) => h("tr", { dataset: { group: unit } }, h("td", {}, unit),
        h("td", {}, badge(beforeBy.get(unit)), missed(beforeBy.get(unit))), h("td", {}, badge(afterBy.get(unit)), missed(afterBy.get(unit))))))));
  }

  const element = h("div", { class: "compare" },
    h("div", { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t.old), oldPick),
      h("label", { class: "field" }, h("span", {}, t.new), newPick),
      h("button", { type: "button", id: "run-diff", onclick: diff }, t.diff)),
    diffOut,
    h("div", { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t.population), file), fileName,
      h("label", { class: "field" }, h("span", {}, t.id_column), idColumn),
      h("label", { class: "field" }, h("span", {}, t.group_by), groupColumn),
      h("button", { type: "button", id: "run-impact", class: "primary", onclick: impact }, t.impact)),
    impactOut);
  return { element, listed };
}
