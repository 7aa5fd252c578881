// Try: a form made from the input schema of the ruleset in the editor (labels from the descriptions,
// ranges and choices from the types, list inputs as editable rows); the result with its explanation and
// citations, and "why not": the least change of one input that gives the next predikat.
import { h, put, errorBox } from "../dom.js";

function kindOf(property) {
  if (property.enum) return "choice";
  const types = [].concat(property.type || []);
  if (types.includes("array")) return "list";
  if (types.includes("boolean")) return "boolean";
  if (types.includes("number") || types.includes("integer")) return "number";
  return "text";
}

function fieldFor(name, property, required, t, value, onInput) {
  const kind = kindOf(property);
  const id = `try-${name}`;
  let control;
  if (kind === "choice") {
    control = h("select", { id, name, dataset: { input: name } },
      h("option", { value: "" }, required ? "" : t.empty),
      property.enum.filter((v) => v !== null).map((v) => h("option", { value: String(v), selected: value === String(v) }, String(v))));
  } else if (kind === "boolean") {
    control = h("select", { id, name, dataset: { input: name } },
      h("option", { value: "" }, required ? "" : t.empty),
      h("option", { value: "true", selected: value === "true" }, t.yes), h("option", { value: "false", selected: value === "false" }, t.no));
  } else {
    control = h("input", { id, name, dataset: { input: name }, type: "text", inputmode: kind === "number" ? "decimal" : "text",
      value: value ?? "", autocomplete: "off", placeholder: kind === "number" && property.minimum !== undefined ? `${property.minimum} – ${property.maximum}` : "" });
  }
  control.addEventListener("input", onInput);
  control.addEventListener("change", onInput);
  const range = kind === "number" && property.minimum !== undefined ? `${t.range} [${property.minimum}, ${property.maximum}]` : null;
  return h("div", { class: "form-field" },
    h("label", { for: id }, h("strong", {}, name), required ? null : h("span", { class: "tag" }, t.optional)),
    property.description ? h("div", { class: "description" }, property.description) : null,
    control,
    range || property["x-kinerja-type"] ? h("div", { class: "type" }, range || property["x-kinerja-type"]) : null);
}

export function tryView(ctx) {
  const t = ctx.t();
  const memory = (ctx.memory.try ||= { values: {}, lists: {}, ran: false });
  const form = h("form", { class: "try-form", id: "try-form", onsubmit: (e) => { e.preventDefault(); evaluate(); } });
  const result = h("div", { class: "try-result", id: "try-result", "aria-live": "polite" });
  let builtFor = null;
  let schema = null;

  function listEditor(name, property, required) {
    const item = property.items || { properties: {} };
    const columns = Object.keys(item.properties || {});
    const rows = (memory.lists[name] ||= []);
    const body = h("tbody");
    function draw() {
      put(body, ...rows.map((row, index) => h("tr", {},
        columns.map((column) => h("td", {}, fieldFor(`${name}.${index}.${column}`, item.properties[column], true, t, row[column],
          (e) => { row[column] = e.target.value; }))),
        h("td", {}, h("button", { type: "button", class: "small", onclick: () => { rows.splice(index, 1); draw(); } }, t.remove)))));
    }
    draw();
    return h("fieldset", { class: "list-input", dataset: { input: name } },
      h("legend", {}, h("strong", {}, name), required ? null : h("span", { class: "tag" }, t.optional)),
      property.description ? h("div", { class: "description" }, property.description) : null,
      h("div", { class: "scroll" }, h("table", {}, h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)), h("th"))), body)),
      h("button", { type: "button", class: "small", onclick: () => { rows.push({}); draw(); } }, t.add_row));
  }

  async function build() {
    const text = ctx.editor.text();
    if (builtFor === `${ctx.lang}\n${text}`) return;
    builtFor = `${ctx.lang}\n${text}`;
    try {
      schema = await ctx.api.json("POST", "/v1/author/schema", { text });
    } catch (error) {
      schema = null;
      put(form, h("p", { class: "hint" }, t.fix_errors_first), errorBox(error));
      return;
    }
    const required = new Set(schema.required || []);
    const fields = Object.entries(schema.properties).map(([name, property]) => kindOf(property) === "list"
      ? listEditor(name, property, required.has(name))
      : fieldFor(name, property, required.has(name), t, memory.values[name], (e) => { memory.values[name] = e.target.value; }));
    put(form, h("div", { class: "fields" }, fields), h("button", { type: "submit", id: "evaluate", class: "primary" }, t.evaluate));
    if (memory.ran) evaluate();
  }

  function record() {
    const found = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      if (kindOf(property) === "list") {
        const rows = memory.lists[name] || [];
        if (rows.length || (schema.required || []).includes(name)) {
          found[name] = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== "" && v !== undefined)));
        }
        continue;
      }
      const value = memory.values[name];
      if (value === undefined || value === "") continue;
      found[name] = kindOf(property) === "boolean" ? value === "true" : value; // numbers travel as text: read exactly
    }
    return found;
  }

  async function evaluate() {
    if (!schema) return;
    memory.ran = true;
    put(result, h("p", { class: "hint" }, "…"));
    try {
      const answer = await ctx.api.json("POST", "/v1/author/try", { text: ctx.editor.text(), input: record() });
      const outputs = Object.entries(answer.outputs);
      put(result,
        h("h2", {}, t.result),
        h("dl", { class: "outputs", id: "try-outputs" }, outputs.map(([name, value]) => [
          h("dt", {}, name), h("dd", { dataset: { output: name } }, value === null ? "—" : String(value))])),
        answer.why_not ? h("div", { class: "why-not", id: "why-not" }, h("h3", {}, t.why_not),
          answer.why_not.lines.map((line) => h("p", {}, line))) : null,
        h("h3", {}, t.explanation),
        h("div", { class: "narrative", id: "narrative" }, answer.lines.map((line) => h("p", { class: line.trim().startsWith("Basis") || line.trim().startsWith("Dasar") ? "basis" : "" }, line))));
    } catch (error) {
      put(result, errorBox(error));
    }
  }

  const element = h("div", { class: "try" }, h("p", { class: "hint" }, t.try_intro),
    h("div", { class: "columns" }, h("div", { class: "left" }, form), h("div", { class: "right" }, result)));
  return { element, shown: build };
}
