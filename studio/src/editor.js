// The ruleset editor: CodeMirror 6 with the kinerja highlighting, and the service's check as you type
// (POST /v1/author/check): squiggles at each finding's exact span, its message, witness and suggestion
// in the tooltip, and its quick fixes (did-you-mean, a witness made an example) as one-click actions.
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentUnit, bracketMatching } from "@codemirror/language";
import { linter, lintGutter, setDiagnostics } from "@codemirror/lint";
import { kinerjaLanguage, kinerjaHighlighting } from "./kinerja-mode.js";

export function offsetOf(doc, position) {
  const line = doc.line(Math.min(position.line + 1, doc.lines));
  return Math.min(line.from + position.character, line.to);
}

// Apply a fix's edits (positions of the text that was checked) in one transaction.
export function applyFix(view, fix) {
  const changes = fix.edits.map((e) => ({ from: offsetOf(view.state.doc, e.from), to: offsetOf(view.state.doc, e.to), insert: e.insert }));
  view.dispatch({ changes, scrollIntoView: true, userEvent: "input.fix" });
  view.focus();
}

function words(finding) {
  let text = finding.message;
  if (finding.witness) text += `\n${finding.witness_word}: ${finding.witness}`;
  if (finding.suggestion) text += `\n${finding.help}: ${finding.suggestion}`;
  return text;
}

export function createEditor(parent, { text, check, onFindings, onChange }) {
  const readOnly = new Compartment();
  let checkedText = null;
  const source = async (view) => {
    const sent = view.state.doc.toString();
    let answer;
    try {
      answer = await check(sent);
    } catch (error) {
      onFindings(null, error);
      return [];
    }
    if (view.state.doc.toString() !== sent) return []; // typed on meanwhile: the next run will answer
    checkedText = sent;
    onFindings(answer, null);
    const doc = view.state.doc;
    return answer.diagnostics.map((finding) => {
      let from = offsetOf(doc, finding.from);
      let to = offsetOf(doc, finding.to);
      if (to <= from) to = Math.min(from + 1, doc.length);
      if (to <= from && from > 0) from -= 1;
      return {
        from, to,
        severity: finding.severity === "error" ? "error" : finding.severity === "warning" ? "warning" : "info",
        source: finding.code,
        message: words(finding),
        actions: finding.fixes.filter((fix) => !fix.disabled).map((fix) => ({
          name: fix.title,
          apply: (target) => { if (target.state.doc.toString() === checkedText) applyFix(target, fix); },
        })),
      };
    });
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(), bracketMatching(),
        indentUnit.of("  "), EditorState.tabSize.of(2),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        kinerjaLanguage, kinerjaHighlighting,
        linter(source, { delay: 400 }), lintGutter(),
        readOnly.of(EditorState.readOnly.of(false)),
        EditorView.updateListener.of((update) => { if (update.docChanged) onChange(update.state.doc.toString()); }),
        EditorView.contentAttributes.of({ "aria-label": "ruleset", spellcheck: "false", autocapitalize: "off", autocorrect: "off" }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    checkedText: () => checkedText,
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    // check again now (the language changed): the linter itself only runs after an edit
    async recheck() {
      const found = await source(view);
      if (view.state.doc.toString() === checkedText) view.dispatch(setDiagnostics(view.state, found));
    },
    goTo(line, column = 1) {
      const target = view.state.doc.line(Math.max(1, Math.min(line, view.state.doc.lines)));
      const at = Math.min(target.from + Math.max(0, column - 1), target.to);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
  };
}
