// Test: the ruleset's examples run (pass/fail with the engine's reasons), and the rows, cells and
// exceptions no example reaches.
import { h, put, errorBox } from "../dom.js";

export function testView(ctx) {
  const t = ctx.t();
  const out = h("div", { id: "test-result", "aria-live": "polite" });

  async function run() {
    ctx.memory.test = true;
    put(out, h("p", { class: "hint" }, "…"));
    try {
      const answer = await ctx.api.json("POST", "/v1/author/examples", { text: ctx.editor.text() });
      const jump = (line) => { ctx.go("write"); ctx.editor.goTo(line); };
      put(out,
        h("p", { class: `summary ${answer.failed ? "bad" : "good"}`, id: "test-summary" }, answer.examples.length ? t.summary_examples(answer.passed, answer.failed) : t.no_examples),
        answer.examples.length ? h("div", { class: "scroll" }, h("table", { class: "examples", id: "examples" },
          h("thead", {}, h("tr", {}, h("th", {}, t.status), h("th", {}, t.example), h("th", {}, t.line))),
          h("tbody", {}, answer.examples.map((e) => h("tr", { class: e.passed ? "pass" : "fail", dataset: { passed: String(e.passed) } },
            h("td", { class: "mark" }, e.passed ? `✓ ${t.passed}` : `✗ ${t.failed}`),
            h("td", {}, h("div", {}, e.title), e.problems.map((p) => h("div", { class: "problem-text" }, p))),
            h("td", {}, h("button", { type: "button", class: "where", onclick: () => jump(e.line) }, String(e.line)))))))) : null,
        h("h2", {}, t.unreached),
        answer.unreached.length ? h("ul", { class: "unreached", id: "unreached" }, answer.unreached.map((u) => h("li", { dataset: { code: u.code } },
          h("button", { type: "button", class: "where", onclick: () => jump(u.line) }, `${t.line} ${u.line}`), " ", h("code", {}, u.code), " ", u.message)))
          : h("p", { class: "good" }, t.all_reached));
    } catch (error) {
      put(out, h("p", { class: "hint" }, t.fix_errors_first), errorBox(error));
    }
  }

  const element = h("div", { class: "test" },
    h("div", { class: "toolbar" }, h("button", { type: "button", id: "run-examples", class: "primary", onclick: run }, t.run_examples)), out);
  return { element, shown: () => { if (ctx.memory.test) run(); } };
}
