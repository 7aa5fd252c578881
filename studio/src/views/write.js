// Write: the editor, the check's findings with their fixes, the formatter, save-as, and the document.
import { h, put, errorBox } from "../dom.js";
import { applyFix } from "../editor.js";

export function writeView(ctx) {
  const t = ctx.t();
  const status = h("span", { class: "status", id: "check-status", "aria-live": "polite" }, t.checking);
  const notice = h("div", { class: "notice", id: "write-notice", "aria-live": "polite" });
  const picker = h("select", { id: "open-ruleset", "aria-label": t.ruleset });
  // a .kin file from this computer, read by the browser itself (nothing is uploaded until it is checked)
  const local = h("input", { type: "file", id: "open-file", accept: ".kin,text/plain", onchange: () => openFile() });
  const folder = h("select", { id: "save-folder", "aria-label": t.save_into });
  const overwrite = h("input", { type: "checkbox", id: "save-overwrite" });
  const problems = h("ol", { class: "problems", id: "problems" });
  const frame = h("iframe", { class: "document", id: "document", title: t.document, sandbox: "allow-same-origin" });
  const docHint = h("p", { class: "hint", id: "document-hint" }, t.doc_hint);
  let documentFor = null;

  function fillPicker() {
    put(picker, h("option", { value: "" }, t.new_ruleset),
      ctx.rulesets.map((r) => h("option", { value: `${r.id}@${r.version}`, selected: ctx.opened === `${r.id}@${r.version}` },
        `${r.id}@${r.version}${r.title ? " — " + r.title : ""}`)));
    put(folder, ...ctx.folders.map((f, i) => h("option", { value: String(i) }, f)));
  }

  async function open() {
    put(notice);
    if (!picker.value) return;
    try {
      const found = await ctx.api.json("GET", `/v1/rulesets/${encodeURIComponent(picker.value)}`);
      ctx.opened = picker.value;
      ctx.editor.setText(found.text);
    } catch (error) {
      put(notice, errorBox(error));
    }
  }

  function openFile() {
    const chosen = local.files[0];
    if (!chosen) return;
    chosen.text().then((text) => {
      ctx.opened = null;
      ctx.editor.setText(text);
      put(notice, h("div", { class: "ok" }, `${t.opened} ${chosen.name}`));
    });
  }

  async function format() {
    put(notice);
    try {
      const answer = await ctx.api.json("POST", "/v1/author/format", { text: ctx.editor.text() });
      if (answer.changed) ctx.editor.setText(answer.text);
      put(notice, h("div", { class: "ok" }, answer.changed ? t.formatted : t.unchanged));
    } catch (error) {
      put(notice, errorBox(error));
    }
  }

  async function save() {
    put(notice);
    if (!ctx.folders.length) {
      put(notice, errorBox({ message: t.no_folder }));
      return;
    }
    try {
      const answer = await ctx.api.json("POST", "/v1/author/save",
        { text: ctx.editor.text(), folder: Number(folder.value || 0), overwrite: overwrite.checked });
      put(notice, h("div", { class: "ok", id: "save-result" }, answer.message));
      ctx.opened = answer.ref;
      // the service looks at its folders again at most once a second: ask for the list after that
      setTimeout(async () => {
        const listed = await ctx.api.json("GET", "/v1/rulesets");
        ctx.rulesets = listed.rulesets;
        for (const view of Object.values(ctx.views)) if (view.listed) view.listed();
      }, 1200);
    } catch (error) {
      put(notice, errorBox(error));
    }
  }

  function showFindings(answer, error) {
    if (answer === undefined) {
      status.textContent = t.checking;
      status.className = "status busy";
      return;
    }
    if (error) {
      status.textContent = t.network;
      status.className = "status bad";
      put(problems, h("li", {}, errorBox(error)));
      return;
    }
    const { errors, warnings } = answer;
    status.textContent = errors || warnings ? [errors ? t.errors(errors) : null, warnings ? t.warnings(warnings) : null].filter(Boolean).join(", ") : t.clean;
    status.className = `status ${errors ? "bad" : warnings ? "warn" : "good"}`;
    const checked = ctx.editor.checkedText();
    put(problems, ...answer.diagnostics.map((finding, index) => h("li", {
      class: `problem ${finding.severity}`, dataset: { code: finding.code, line: String(finding.from.line + 1), index: String(index) },
    },
    h("button", { type: "button", class: "where", onclick: () => ctx.editor.goTo(finding.from.line + 1, finding.from.character + 1) },
      `${t.line} ${finding.from.line + 1}:${finding.from.character + 1}`),
    h("code", { class: "code" }, finding.code),
    h("span", { class: "message" }, finding.message),
    finding.witness ? h("div", { class: "witness" }, `${finding.witness_word}: ${finding.witness}`) : null,
    finding.suggestion ? h("div", { class: "suggestion" }, `${finding.help}: ${finding.suggestion}`) : null,
    finding.related && finding.related.length ? h("ul", { class: "related" }, finding.related.map((r) => h("li", {},
      r.file === "<studio>" ? h("button", { type: "button", class: "where", onclick: () => ctx.editor.goTo(r.line, r.column) }, `${t.line} ${r.line}`) : `${r.file}:${r.line}`,
      " ", r.message))) : null,
    finding.fixes.length ? h("div", { class: "fixes" }, finding.fixes.map((fix) => h("button", {
      type: "button", class: `fix${fix.preferred ? " preferred" : ""}`, disabled: Boolean(fix.disabled), title: fix.disabled || fix.title,
      onclick: () => { if (ctx.editor.text() === checked) applyFix(ctx.editor.view, fix); },
    }, fix.title))) : null)));
    if (!errors) refreshDocument();
    else {
      docHint.hidden = false;
      frame.classList.add("stale");
    }
  }

  async function refreshDocument() {
    const text = ctx.editor.text();
    const key = `${ctx.lang}\n${text}`;
    if (documentFor === key) return;
    documentFor = key;
    try {
      const answer = await ctx.api.json("POST", "/v1/author/document", { text });
      if (documentFor !== key) return;
      frame.srcdoc = answer.html;
      docHint.hidden = true;
      frame.classList.remove("stale");
    } catch (error) {
      docHint.hidden = false;
    }
  }

  ctx.listeners.add(showFindings);
  const element = h("div", { class: "write" },
    h("div", { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, t.ruleset), picker),
      h("button", { type: "button", id: "open", onclick: open }, t.open),
      h("label", { class: "field" }, h("span", {}, t.open_file), local),
      h("button", { type: "button", id: "format", onclick: format }, t.format),
      h("span", { class: "save" },
        h("label", { class: "field" }, h("span", {}, t.save_into), folder),
        h("label", { class: "check" }, overwrite, t.overwrite),
        h("button", { type: "button", id: "save", onclick: save }, t.save))),
    h("p", { class: "hint" }, t.help_first),
    notice,
    h("div", { class: "columns" },
      h("div", { class: "left" }, ctx.editorHost,
        h("h2", {}, t.problems, " ", status), problems),
      h("div", { class: "right" }, h("h2", {}, t.document), docHint, frame)));
  if (ctx.findings) showFindings(ctx.findings, null);
  return { element, listed: fillPicker };
}
