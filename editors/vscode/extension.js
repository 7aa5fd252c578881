// The kinerja extension: highlighting comes from the TextMate grammar; everything else
// (diagnostics, quick fixes, hover, completion, navigation, rename, formatting, semantic
// tokens, example lenses) from `kinerja lsp`, started here as a child process over stdio.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

// The server command: the user's setting, else the workspace's virtual environment, else PATH.
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('kinerja').get('server.command') || [];
  if (configured.length > 0) {
    return { command: configured[0], args: configured.slice(1) };
  }
  const script = process.platform === 'win32' ? path.join('Scripts', 'kinerja.exe') : path.join('bin', 'kinerja');
  for (const folder of vscode.workspace.workspaceFolders || []) {
    for (const venv of ['.venv', 'venv']) {
      const candidate = path.join(folder.uri.fsPath, venv, script);
      if (fs.existsSync(candidate)) {
        return { command: candidate, args: ['lsp'] };
      }
    }
  }
  return { command: 'kinerja', args: ['lsp'] };
}

function initializationOptions() {
  const config = vscode.workspace.getConfiguration('kinerja');
  const language = config.get('language');
  return {
    // `auto`: the server follows the `locale` VS Code sends with `initialize`
    language: language === 'auto' ? undefined : language,
    rulesetFolders: config.get('rulesetFolders') || [],
  };
}

async function start() {
  const { command, args } = serverCommand();
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ language: 'kinerja' }],
    initializationOptions: initializationOptions(),
  };
  client = new LanguageClient('kinerja', 'kinerja', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const reason = error && error.message ? error.message : String(error);
    vscode.window.showErrorMessage(
      vscode.l10n.t(
        "The kinerja language server could not start ({0}). Install kinerja with its `lsp` extra (pip install 'kinerja[lsp]') or set `kinerja.server.command`.",
        reason,
      ),
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('kinerja.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('kinerja.server') || event.affectsConfiguration('kinerja.language')
          || event.affectsConfiguration('kinerja.rulesetFolders')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
