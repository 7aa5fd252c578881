// kinerja studio: one page over the decision service's API. Tabs: Write, Try, Test, Compare, Score a file.
// The language switch redraws the page's own words and asks the service again, so every sentence about a
// ruleset is the engine's own in the chosen language.
import "./style.css";
import { WORDS, chooseLanguage } from "./i18n.js";
import { makeApi } from "./api.js";
import { h } from "./dom.js";
import { createEditor } from "./editor.js";
import { writeView } from "./views/write.js";
import { tryView } from "./views/try.js";
import { testView } from "./views/test.js";
import { compareView } from "./views/compare.js";
import { scoreView } from "./views/score.js";

const TABS = [["write", writeView], ["try", tryView], ["test", testView], ["compare", compareView], ["score", scoreView]];

const STARTER = `ruleset contoh-baru version 0.1.0
  title "Aturan baru"
  source "Nama peraturan" short "Singkatan"

input nilai: decimal [0, 120] places 2
  "Nilai pegawai"

table predikat on nilai hit first
  "Predikat"
  [90, 120] -> "Baik"
  [0, 90)   -> "Kurang"
end

output predikat

example "Tepat di batas Baik"
  given nilai = 90
  expect predikat = "Baik"
example "Di bawah 90: Kurang"
  given nilai = 89.99
  expect predikat = "Kurang"
`;

const ctx = {
  lang: chooseLanguage(),
  tab: (location.hash || "#write").slice(1),
  rulesets: [],
  folders: [],
  opened: null, // the listed ruleset the editor was opened from (id@version), if any
  findings: null, // the last check's answer for the editor's text
  listeners: new Set(), // views that want to hear of a new check answer
  views: {},
  downloads: [], // files the page handed to the browser to save (name and blob)
  memory: {}, // what each view last asked the service, asked again in the new language after a switch
};
ctx.t = () => WORDS[ctx.lang];
ctx.api = makeApi(() => ctx.lang);
ctx.go = (tab) => { ctx.tab = tab; history.replaceState(null, "", `#${tab}`); showTab(); };

function startText() {
  return localStorage.getItem("kinerja.studio.text") || STARTER;
}

const editorHost = h("div", { class: "editor", id: "editor" });
ctx.editor = createEditor(editorHost, {
  text: startText(),
  check: (text) => ctx.api.json("POST", "/v1/author/check", { text }),
  onFindings: (answer, error) => {
    ctx.findings = answer;
    ctx.checkError = error;
    for (const listener of ctx.listeners) listener(answer, error);
  },
  onChange: (text) => {
    localStorage.setItem("kinerja.studio.text", text);
    for (const listener of ctx.listeners) listener(undefined, null); // "checking…"
  },
});
ctx.editorHost = editorHost;

let app;
let header;
let panels = {};

function render() {
  document.documentElement.lang = ctx.lang;
  const t = ctx.t();
  ctx.listeners.clear();
  const root = document.getElementById("app");
  root.replaceChildren();
  header = h("header", { class: "top" },
    h("div", { class: "brand" }, h("strong", {}, "kinerja"), " studio", h("span", { class: "subtitle" }, t.subtitle)),
    h("div", { class: "lang", role: "group", "aria-label": t.language },
      ["id", "en"].map((code) => h("button", {
        type: "button", class: code === ctx.lang ? "on" : "", "aria-pressed": String(code === ctx.lang), dataset: { lang: code },
        onclick: () => switchLanguage(code),
      }, code.toUpperCase()))),
    h("nav", { class: "tabs", role: "tablist" },
      TABS.map(([name]) => h("button", {
        type: "button", role: "tab", id: `tab-${name}`, dataset: { tab: name }, onclick: () => ctx.go(name),
      }, t[`tab_${name}`]))));
  app = h("main", { id: "main" });
  panels = {};
  for (const [name, make] of TABS) {
    const view = make(ctx);
    ctx.views[name] = view;
    panels[name] = h("section", { class: `panel panel-${name}`, id: `panel-${name}`, role: "tabpanel" }, view.element);
    app.append(panels[name]);
  }
  root.append(header, app);
  showTab();
}

function showTab() {
  if (!panels[ctx.tab]) ctx.tab = "write";
  for (const [name, panel] of Object.entries(panels)) {
    panel.hidden = name !== ctx.tab;
    const button = header.querySelector(`[data-tab="${name}"]`);
    button.classList.toggle("on", name === ctx.tab);
    button.setAttribute("aria-selected", String(name === ctx.tab));
  }
  const view = ctx.views[ctx.tab];
  if (view && view.shown) view.shown();
}

function switchLanguage(code) {
  if (code === ctx.lang) return;
  ctx.lang = code;
  localStorage.setItem("kinerja.lang", code);
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  history.replaceState(null, "", url);
  render();
  for (const view of Object.values(ctx.views)) if (view.listed) view.listed();
  ctx.editor.recheck();
}

async function start() {
  render();
  try {
    const [listed, folders] = await Promise.all([ctx.api.json("GET", "/v1/rulesets"), ctx.api.json("GET", "/v1/author/folders")]);
    ctx.rulesets = listed.rulesets;
    ctx.folders = folders.folders;
  } catch (error) {
    ctx.loadError = error;
  }
  for (const view of Object.values(ctx.views)) if (view.listed) view.listed();
  ctx.editor.recheck();
}

window.kinerjaStudio = ctx; // for people debugging in the console, and for the browser tests
start();
