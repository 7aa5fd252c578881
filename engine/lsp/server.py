"""`kinerja lsp`: the language server, over stdin/stdout, on pygls.

The server holds the open documents and, for each, the snapshot of its latest checked
version. Checking runs on one worker thread (the engine's stages are called one at a time,
never concurrently), so the protocol loop keeps answering while a large ruleset is checked.
Diagnostics are published when a document opens and, while it is edited, once the author
pauses (`DEBOUNCE_SECONDS`); a request about a version not yet checked waits for its check.

Messages are in the client's language: the `locale` the client sends with `initialize`
(`id…` or `en…`), unless `initializationOptions.language` names one; else as `kinerja`
chooses (KINERJA_LANG, LANG, Indonesian).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import kinerja
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import default_language
from kinerja.library.api import Library
from kinerja.library.ruleset import ExampleOutcome
from kinerja.lsp import actions, completion, diagnostics, hover, lens, navigation, tokens
from kinerja.lsp.analysis import Snapshot, analyse
from kinerja.lsp.files import Files, path_of
from kinerja.lsp.protocol import point
from kinerja.lsp.text import UTF16, Text
from kinerja.syntax.format import format_text
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

DEBOUNCE_SECONDS = 0.3
REQUEST_FAILED = -32803
LANGUAGE_ID = "kinerja"


def client_language(params: lsp.InitializeParams) -> str:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    for wanted in (options.get("language"), params.locale):
        if isinstance(wanted, str) and wanted.lower()[:2] in ("id", "en"):
            return wanted.lower()[:2]
    return default_language()


class KinerjaServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kinerja", kinerja.__version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.lang = default_language()
        self.library = Library()
        self.snapshots: dict[str, Snapshot] = {}
        self.outcomes: dict[tuple[str, int | None], list[ExampleOutcome] | None] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-check")
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.locks: dict[str, asyncio.Lock] = {}
        self.files = Files(lambda: self.encoding, self._open_text)

    # ------------------------------------------------------------ documents and their checks
    @property
    def encoding(self) -> str:
        value = self.workspace.position_encoding
        return str(getattr(value, "value", value) or UTF16)


    def _open_text(self, path: str) -> Text | None:
        for snapshot in self.snapshots.values():
            if snapshot.path == path:
                return snapshot.text
        return None

    async def snapshot(self, uri: str) -> Snapshot:
        """The snapshot of the document's current text, checking it first if needed."""
        lock = self.locks.setdefault(uri, asyncio.Lock())
        async with lock:
            document = self.workspace.get_text_document(uri)
            known = self.snapshots.get(uri)
            if known is not None and known.version == document.version and known.text.source == document.source:
                return known
            source, version, path = document.source, document.version, path_of(uri)
            loop = asyncio.get_running_loop()
            fresh = await loop.run_in_executor(
                self.worker, lambda: analyse(self.library, uri, version, source, path, self.encoding, known)
            )
            self.snapshots[uri] = fresh
            return fresh

    async def publish(self, uri: str) -> None:
        snapshot = await self.snapshot(uri)
        found = diagnostics.published(snapshot, self.files, self.lang)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, found, snapshot.version))

    def publish_later(self, uri: str) -> None:
        """Publish once the author pauses: every change restarts the wait."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()

        async def later() -> None:
            await asyncio.sleep(DEBOUNCE_SECONDS)
            await self.publish(uri)

        self.pending[uri] = asyncio.ensure_future(later())

    async def example_outcomes(self, snapshot: Snapshot) -> list[ExampleOutcome] | None:
        key = (snapshot.uri, snapshot.version)
        if key not in self.outcomes:
            loop = asyncio.get_running_loop()
            self.outcomes = {k: v for k, v in self.outcomes.items() if k[0] != snapshot.uri}
            self.outcomes[key] = await loop.run_in_executor(self.worker, lens.outcomes, snapshot)
        return self.outcomes[key]

    def forget(self, uri: str) -> None:
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.snapshots.pop(uri, None)
        self.outcomes = {k: v for k, v in self.outcomes.items() if k[0] != uri}
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))


def make_server() -> KinerjaServer:
    """A server with every feature registered (one per call: no state is shared between servers)."""
    server = KinerjaServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: KinerjaServer, params: lsp.InitializeParams) -> None:
        ls.lang = client_language(params)
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        folders = options.get("rulesetFolders") or []
        if isinstance(folders, list) and folders:
            ls.library = Library(tuple(str(f) for f in folders))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: KinerjaServer, params: lsp.DidOpenTextDocumentParams) -> None:
        await ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KinerjaServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.publish_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: KinerjaServer, params: lsp.DidSaveTextDocumentParams) -> None:
        await ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KinerjaServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: KinerjaServer, params: lsp.HoverParams) -> lsp.Hover | None:
        snapshot = await ls.snapshot(params.text_document.uri)
        return hover.hover(snapshot, point(snapshot.text, params.position), ls.lang, ls.library)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=['"', ".", " ", "|"]))
    async def on_completion(ls: KinerjaServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        snapshot = await ls.snapshot(params.text_document.uri)
        return completion.complete(snapshot, point(snapshot.text, params.position), ls.lang, ls.library)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(ls: KinerjaServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        snapshot = await ls.snapshot(params.text_document.uri)
        return navigation.definition(snapshot, point(snapshot.text, params.position), ls.files, ls.library)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def on_references(ls: KinerjaServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        snapshot = await ls.snapshot(params.text_document.uri)
        others = [s for uri, s in ls.snapshots.items() if uri != snapshot.uri]
        return navigation.references(snapshot, point(snapshot.text, params.position),
                                     params.context.include_declaration, ls.files, others)  # fmt: skip

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    async def on_prepare_rename(ls: KinerjaServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder:
        snapshot = await ls.snapshot(params.text_document.uri)
        try:
            return navigation.prepare_rename(snapshot, point(snapshot.text, params.position), ls.lang)
        except navigation.RenameRefused as refused:
            raise JsonRpcException(str(refused), code=REQUEST_FAILED) from None

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    async def on_rename(ls: KinerjaServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
        snapshot = await ls.snapshot(params.text_document.uri)
        try:
            return navigation.rename(snapshot, point(snapshot.text, params.position), params.new_name, ls.lang)
        except navigation.RenameRefused as refused:
            raise JsonRpcException(str(refused), code=REQUEST_FAILED) from None

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def on_symbols(ls: KinerjaServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        return navigation.outline(await ls.snapshot(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    async def on_formatting(ls: KinerjaServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        snapshot = await ls.snapshot(params.text_document.uri)
        try:
            formatted = format_text(snapshot.text.source, snapshot.path)  # exactly `kinerja fmt`
        except KinerjaError:
            return None  # it does not parse: the diagnostics already say where
        if formatted == snapshot.text.source:
            return []
        whole = lsp.Range(lsp.Position(0, 0), lsp.Position(*snapshot.text.to_client(snapshot.text.end_point())))
        return [lsp.TextEdit(whole, formatted)]

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens.LEGEND)
    async def on_semantic_tokens(ls: KinerjaServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
        return tokens.semantic_tokens(await ls.snapshot(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    async def on_code_action(ls: KinerjaServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        if params.context.only and not any(k.startswith(lsp.CodeActionKind.QuickFix) for k in params.context.only):
            return []
        snapshot = await ls.snapshot(params.text_document.uri)
        start = point(snapshot.text, params.range.start)
        end = point(snapshot.text, params.range.end)
        files = ls.files
        return actions.code_actions(snapshot, start, end, ls.lang,
                                    lambda d: diagnostics.convert(d, snapshot, files, ls.lang))  # fmt: skip

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    async def on_code_lens(ls: KinerjaServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
        snapshot = await ls.snapshot(params.text_document.uri)
        return lens.lenses(snapshot, await ls.example_outcomes(snapshot), ls.lang)

    @server.command(lens.RUN_EXAMPLE)
    async def run_example(ls: KinerjaServer, uri: str, line: int) -> dict[str, Any]:
        snapshot = await ls.snapshot(uri)
        results = await ls.example_outcomes(snapshot)
        extent = next((e for e in (snapshot.index.extents if snapshot.index else ()) if e.start[0] == line), None)
        title = getattr(extent.node, "title", "") if extent is not None else ""
        outcome = next((o for o in results or [] if o.span.line == line + 1), None)
        said, passed = lens.report(outcome if results is not None else None, title, ls.lang)
        kind = lsp.MessageType.Info if passed else lsp.MessageType.Error
        ls.window_show_message(lsp.ShowMessageParams(kind, said))
        return {"passed": passed, "message": said}

    return server


def serve() -> None:
    """Speak the protocol over stdin/stdout until the client says `exit`."""
    make_server().start_io()
