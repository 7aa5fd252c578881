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
}
