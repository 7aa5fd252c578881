// Score a file: upload CSV/XLSX, map its columns to the ruleset's inputs (suggested by name), score it
// through POST /v1/rulesets/{ref}/batch, and download the scored file; a progress bar follows the upload,
// the scoring and the download.
import { h, put, errorBox } from "../dom.js";
import { download, fileNameOf } from "../api.js";
import { mediaOf } from "./compare.js";

export function scoreView(ctx) {
  const t = ctx.t();
  const memory = (ctx.memory.score ||= { ref: "", file: null, map: {}, id: "", format: "xlsx" });
  const picker = h("select", { id: "score-ruleset", "aria-label": t.ruleset, onchange: () => { memory.ref = picker.value; memory.map = {}; if (memory.file) columns(); } });
  const file = h("input", { type: "file", id: "score-file", accept: ".csv,.xlsx,.jsonl", onchange: () => { memory.file = file.files[0] || null; memory.map = {}; memory.id = ""; columns(); } });
  const fileName = h("span", { class: "hint" });
  const mapping = h("div", { id: "score-mapping" });
  const format = h("select", { id: "score-format", onchange: () => { memory.format = format.value; } },
    ["xlsx", "csv", "jsonl"].map((f) => h("option", { value: f, selected: memory.format === f }, f.toUpperCase())));
  const progress = h("progress", { id: "score-progress", max: "100", hidden: true });
  const state = h("div", { id: "score-state", "aria-live": "polite" });

  function listed() {
    if (!memory.ref && ctx.rulesets.length) memory.ref = ctx.opened || `${ctx.rulesets[0].id}@${ctx.rulesets[0].version}`;
    put(picker, ...ctx.rulesets.map((r) => h("option", { value: `${r.id}@${r.version}`, selected: memory.ref === `${r.id}@${r.version}` },
      `${r.id}@${r.version}${r.title ? " — " + r.title : ""}`)));
    if (memory.file) columns();
  }

  async function columns() {
    put(mapping);
    fileName.textContent = memory.file && !file.files.length ? memory.file.name : "";
    if (!memory.file || !picker.value) return;
    let answer;
    try {
      answer = await ctx.api.json("POST", `/v1/rulesets/${encodeURIComponent(picker.value)}/columns`, memory.file, { "Content-Type": mediaOf(memory.file) });
    } catch (error) {
      put(mapping, errorBox(error));
      return;
    }
    for (const [name, column] of Object.entries(answer.suggested)) if (!(name in memory.map)) memory.map[name] = column;
    if (!memory.id) memory.id = answer.columns.find((c) => /^(nip|id)$/i.test(c)) || "";
    const select = (current, onchange, id) => h("select", { onchange, id },
      h("option", { value: "" }, t.not_mapped), answer.columns.map((c) => h("option", { value: c, selected: c === current }, c)));
    put(mapping,
      h("div", { class: "scroll" }, h("table", { class: "mapping" },
        h("thead", {}, h("tr", {}, h("th", {}, t.input), h("th", {}, t.column))),
        h("tbody", {}, answer.inputs.map((input) => h("tr", { dataset: { input: input.name } },
          h("td", {}, h("strong", {}, input.name), input.required ? h("span", { class: "tag" }, t.required) : null,
            input.description ? h("div", { class: "description" }, input.description) : null),
          h("td", {}, select(memory.map[input.name] || "", (e) => { memory.map[input.name] = e.target.value; }, `map-${input.name}`))))))),
      h("label", { class: "field" }, h("span", {}, t.id_column), select(memory.id, (e) => { memory.id = e.target.value; }, "score-id")));
  }

  function score() {
    put(state);
    if (!memory.file) {
      put(state, errorBox({ message: t.pick_file }));
      return;
    }
    const query = new URLSearchParams({ format: format.value });
    if (memory.id) query.set("id", memory.id);
    for (const [name, column] of Object.entries(memory.map)) if (column && column !== name) query.append("map", `${name}=${column}`);
    const request = new XMLHttpRequest();
    request.open("POST", `/v1/rulesets/${encodeURIComponent(picker.value)}/batch?${query}`);
    request.setRequestHeader("Content-Type", mediaOf(memory.file));
    request.setRequestHeader("Accept-Language", ctx.lang);
    request.responseType = "blob";
    progress.hidden = false;
    progress.value = 0;
    const phase = h("span", {}, t.uploading);
    put(state, phase);
    request.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = (45 * e.loaded) / e.total; };
    request.upload.onload = () => { progress.removeAttribute("value"); phase.textContent = t.scoring; }; // scoring: no measure
    request.onprogress = (e) => { phase.textContent = t.downloading; if (e.lengthComputable) progress.value = 55 + (45 * e.loaded) / e.total; };
    request.onerror = () => { progress.hidden = true; put(state, errorBox({ message: t.network })); };
    request.onload = async () => {
      progress.value = 100;
      if (request.status !== 200) {
        const text = await request.response.text();
        let errors = [];
        try { errors = JSON.parse(text).errors; } catch { errors = [{ message: text }]; }
        put(state, errorBox({ errors }));
        return;
      }
      const headers = { get: (name) => request.getResponseHeader(name) };
      const name = fileNameOf(headers, `hasil.${format.value}`);
      const blob = request.response;
      put(state, h("p", { class: "ok", id: "score-summary" }, t.scored(request.getResponseHeader("X-Kinerja-Rows"), request.getResponseHeader("X-Kinerja-Errors"))),
        h("button", { type: "button", id: "score-download", class: "primary", onclick: () => download(blob, name) }, `${t.download} (${name})`));
      download(blob, name);
    };
    request.send(memory.file);
  }

  const element = h("div", { class: "score" }, h("p", { class: "hint" }, t.score_intro),
    h("div", { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t.ruleset), picker),
      h("label", { class: "field" }, h("span", {}, t.file), file), fileName),
    mapping,
    h("div", { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t.out_format), format),
      h("button", { type: "button", id: "run-score", class: "primary", onclick: score }, t.score)),
    progress, state);
  return { element, listed };
}
