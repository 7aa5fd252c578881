// Syntax highlighting for .kin text: the token classes of editors/vscode/syntaxes/kinerja.tmLanguage.json
// (comments, the header, references, dates, strings, numbers, builtins, keywords by kind, names, operators),
// as a CodeMirror stream language. It reads by shape only, so it also colours text that does not parse yet.
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const DECLARATIONS = new Set(["type", "input", "value", "weights", "table", "rubric", "quadrant", "exception", "output",
  "example", "distribution", "override", "ruleset"]);
const TYPES = new Set(["decimal", "integer", "boolean", "enum", "scale", "list", "optional"]);
const CONTROL = new Set(["when", "otherwise", "if", "then", "else", "end", "for", "in", "where"]);
const LOGICAL = new Set(["and", "or", "not"]);
const OTHER = new Set(["version", "title", "source", "short", "effective", "from", "until", "extends", "supersedes", "cite",
  "note", "places", "default", "hit", "first", "unique", "on", "rows", "columns", "overrides", "priority", "given", "expect",
  "invalid", "of", "by", "share", "most", "at", "least", "row", "cell", "revises"]);
const BUILTINS = new Set(["min", "max", "clamp", "round", "abs", "floor", "ceiling", "rank", "sum", "mean", "count", "weighted_mean"]);

const kinerja = {
  name: "kinerja",
  startState: () => ({ afterRuleset: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^#.*/)) return "comment";
    if (state.afterRuleset && stream.match(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*/)) {
      state.afterRuleset = false;
      return "namespace";
    }
    state.afterRuleset = false;
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*@\d+(?:\.\d+)*/)) return "namespace";
    if (stream.match(/^\d{4}-\d{2}-\d{2}(?![\w.])/)) return "date";
    if (stream.match(/^\d+\.\d+\.\d+[0-9A-Za-z.+-]*/)) return "number";
    if (stream.match(/^\d+(?:\.\d+)?%?/)) return "number";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word) {
      const w = word[0];
      if (w === "ruleset") state.afterRuleset = true;
      if (DECLARATIONS.has(w)) return "keyword";
      if (TYPES.has(w)) return "typeName";
      if (CONTROL.has(w)) return "controlKeyword";
      if (LOGICAL.has(w)) return "operatorKeyword";
      if (w === "true" || w === "false" || w === "none") return "atom";
      if (OTHER.has(w)) return "modifier";
      if (BUILTINS.has(w) && stream.match(/^\s*\(/, false)) return "function";
      if (stream.string.charAt(stream.start - 1) === ".") return "propertyName";
      return /^[a-z_][a-z0-9_]*$/.test(w) ? "variableName" : "invalid";
    }
    if (stream.match(/^(->|<=|>=|!=|[<>=+\-×*/%])/)) return "operator";
    if (stream.match(/^[|,:.()[\]{}]/)) return "punctuation";
    stream.next();
    return "invalid";
  },
  languageData: { commentTokens: { line: "#" } },
  tokenTable: { date: t.special(t.number), controlKeyword: t.controlKeyword, operatorKeyword: t.operatorKeyword,
    typeName: t.typeName, modifier: t.modifier, namespace: t.namespace, function: t.function(t.variableName),
    propertyName: t.propertyName, atom: t.atom, invalid: t.invalid },
};

export const kinerjaLanguage = StreamLanguage.define(kinerja);

const style = HighlightStyle.define([
  { tag: t.comment, color: "#6a737d", fontStyle: "italic" },
  { tag: t.keyword, color: "#8b1e5b", fontWeight: "600" },
  { tag: [t.controlKeyword, t.operatorKeyword], color: "#8b1e5b" },
  { tag: t.modifier, color: "#5a3e99" },
  { tag: t.typeName, color: "#0b6e75" },
  { tag: t.string, color: "#2f6a1f" },
  { tag: [t.number, t.special(t.number)], color: "#a14a00" },
  { tag: t.atom, color: "#a14a00", fontWeight: "600" },
  { tag: t.namespace, color: "#1f4fa0", fontWeight: "600" },
  { tag: t.function(t.variableName), color: "#1f4fa0" },
  { tag: t.propertyName, color: "#3b5b7a" },
  { tag: t.variableName, color: "#1d2733" },
  { tag: t.operator, color: "#8b1e5b" },
  { tag: t.invalid, color: "#c00", textDecoration: "underline dotted" },
]);

export const kinerjaHighlighting = syntaxHighlighting(style);
