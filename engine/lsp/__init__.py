"""The language server (`kinerja lsp`): the engine's checks, analysis and formatter in the editor.

A thin layer: every finding, type, formula and layout comes from the stage packages
(`Library.check_report`, `syntax.format.format_text`, `Ruleset.run_examples`, the printers);
this package only places them in a document and speaks the protocol (pygls, lsprotocol).
"""
