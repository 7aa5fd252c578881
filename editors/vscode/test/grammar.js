// Tokenize ruleset files with the extension's TextMate grammar, exactly as VS Code does
// (vscode-textmate + vscode-oniguruma), and print every token with its scopes as JSON:
//   node test/grammar.js FILE... > tokens.json
// tests/test_vscode.py runs it on every shipped ruleset: every token must be scoped.
'use strict';

const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'kinerja.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => (scopeName === 'source.kinerja'
      ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
      : null),
  });
  return registry.loadGrammar('source.kinerja');
}

async function main(files) {
  const grammar = await loadGrammar();
  const result = {};
  for (const file of files) {
    let stack = textmate.INITIAL;
    const tokens = [];
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, number) => {
      const tokenized = grammar.tokenizeLine(line, stack);
      for (const token of tokenized.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        if (text.trim() !== '') {
          tokens.push([number, token.startIndex, text, token.scopes]);
        }
      }
      stack = tokenized.ruleStack;
    });
    result[file] = tokens;
  }
  process.stdout.write(JSON.stringify(result));
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
