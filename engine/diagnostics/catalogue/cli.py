"""Command line (C_*): help summaries and tallies."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ command line (C_*): help summaries and tallies
    "C_help_main": {
        "id": "kinerja: aturan penilaian kinerja ASN sebagai kode yang berversi, diperiksa dan dapat dijalankan.",
        "en": "kinerja: civil-servant appraisal regulations as versioned, checked, executable rulesets.",
    },
    "C_help_eval": {
        "id": "Menilai satu rekaman (berkas JSON/YAML, atau - untuk stdin) dengan RULESET (id, id@versi atau path).",
        "en": "Evaluate one record (JSON/YAML file, or - for stdin) with RULESET (id, id@version or path).",
    },
    "C_help_check": {
        "id": "Memeriksa aturan: sintaks, nama, tipe, label, bobot, celah dan tumpang tindih; keluar 1 bila ada galat.",
        "en": "Check rulesets: syntax, names, types, labels, weights, gaps and overlaps; exit 1 on any error.",
    },
    "C_help_test": {
        "id": "Menjalankan contoh di dalam aturan (semua aturan bawaan bila tidak disebut).",
        "en": "Run the examples inside rulesets (all shipped rulesets by default).",
    },
    "C_help_list": {
        "id": "Aturan bawaan dengan versi, judul, dasar hukum dan tanggal berlaku.",
        "en": "Shipped rulesets with version, title, legal source and effective dates.",
    },
    "C_help_diff": {
        "id": "Perubahan makna dari OLD ke NEW (id, id@versi atau path).",
        "en": "What changed in meaning from OLD to NEW (id, id@version or path).",
    },
    "C_help_impact": {
        "id": "Menilai OLD dan NEW pada setiap baris POPULATION (CSV, JSONL, XLSX): siapa berpindah ke mana.",
        "en": "Evaluate OLD and NEW on every row of POPULATION (CSV, JSONL, XLSX): who moves where.",
    },
    "C_help_explain": {
        "id": "Menjelaskan, dengan kalimat yang dapat dibacakan, bagaimana RULESET menilai INPUT.",
        "en": "Explain, in words an officer can read aloud, how RULESET rates INPUT.",
    },
    "C_help_fmt": {
        "id": "Merapikan berkas aturan ke satu tata letak baku (komentar tetap); --check keluar 1 bila ada yang berubah.",
        "en": "Rewrite ruleset files in the one canonical layout (comments kept); --check exits 1 if any would change.",
    },
    "C_help_batch": {
        "id": "Menilai seluruh baris INPUT (CSV, JSONL, XLSX) ke OUTPUT: satu baris keluaran per baris masukan.",
        "en": "Score every row of INPUT (CSV, JSONL, XLSX) into OUTPUT: one output row per input row.",
    },
    "C_help_schema": {
        "id": "JSON Schema (draft 2020-12) masukan atau keluaran sebuah aturan.",
        "en": "The JSON Schema (draft 2020-12) of a ruleset's input or output.",
    },
    "C_help_doc": {
        "id": "Aturan sebagai dokumen untuk dibaca orang (Markdown atau HTML mandiri).",
        "en": "The ruleset as a document for people (Markdown or self-contained HTML).",
    },
    "C_tally_check": {"id": "{errors} galat, {warnings} peringatan", "en": "{errors} errors, {warnings} warnings"},
    "C_fail": {"id": "GAGAL", "en": "FAIL"},
    "C_word_ruleset": {"id": "Aturan", "en": "Ruleset"},
    "C_word_no_dates": {"id": "tanpa tanggal berlaku", "en": "no effective dates"},
    "C_word_fingerprint": {"id": "Sidik jari", "en": "Fingerprint"},
    "C_word_outputs": {"id": "Hasil", "en": "Outputs"},
    "C_word_trace": {"id": "Jejak perhitungan", "en": "Trace"},
}
