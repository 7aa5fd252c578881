"""The column path and its cluster adapters (K85x): rulesets named by fingerprint, Arrow columns."""

MESSAGES: dict[str, dict[str, str]] = {
    "K850": {
        "id": "tidak ada aturan dengan sidik jari `{fingerprint}` di pustaka; kirim teks aturannya",
        "en": "no ruleset in the library has fingerprint `{fingerprint}`; send the ruleset's text instead",
    },
    "K851": {
        "id": "kolom `{column}` bertipe {arrow} tidak dapat dibaca sebagai {expected}",
        "en": "column `{column}` of type {arrow} cannot be read as {expected}",
    },
    "C_help_compile": {
        "id": "Kompilasi aturan menjadi kode Python yang dihasilkan; --show mencetak kode dan tabel konstantanya untuk ditinjau.",
        "en": "Compile a ruleset to generated Python; --show prints the code and its constants table for review.",
    },
    "C_compile_generated": {
        "id": "{ruleset}: dikompilasi menjadi satu fungsi Python ({constants} konstanta); lihat dengan --show",
        "en": "{ruleset}: compiled to one Python function ({constants} constants); see it with --show",
    },
    "C_compile_closures": {
        "id": "{ruleset}: dievaluasi oleh jalur rujukan (closure); tidak ada kode yang dihasilkan",
        "en": "{ruleset}: evaluated by the reference path (closures); no code is generated",
    },
}
