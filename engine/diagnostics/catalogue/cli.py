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
    # ------------------------------------------------------------ option help (`--help`), by option, or by command and option
    "C_opt_lang": {
        "id": "Bahasa pesan: id atau en (bawaan: dari LANG, selain itu id).",
        "en": "Message language: id or en (default: from LANG, else id).",
    },
    "C_opt_version": {"id": "Menampilkan versi lalu keluar.", "en": "Show the version and exit."},
    "C_opt_help": {"id": "Menampilkan bantuan ini lalu keluar.", "en": "Show this message and exit."},
    "C_opt_fmt": {"id": "Bentuk keluaran: teks atau JSON.", "en": "Output format: text or JSON."},
    "C_opt_as_of": {
        "id": "Memakai versi yang berlaku pada DATE (YYYY-MM-DD).",
        "en": "Use the version in force on DATE (YYYY-MM-DD).",
    },
    "C_opt_id_column": {
        "id": "Kolom yang menamai setiap baris (bila tidak ada: nomor barisnya).",
        "en": "Column naming each row (else its row number).",
    },
    "C_opt_output_path": {
        "id": "Berkas keluaran (.csv, .jsonl, .xlsx); ditulis utuh atau tidak sama sekali.",
        "en": "Output file (.csv, .jsonl, .xlsx); written whole or not at all.",
    },
    "C_opt_maps": {"id": "Membaca masukan aturan dari kolom lain.", "en": "Read a ruleset input from another column."},
    "C_opt_group_by": {
        "id": "Kolom unit: laporkan distribusi setiap unit terhadap kurva aturan.",
        "en": "Unit column: report each unit's distribution against the ruleset's curve.",
    },
    "C_opt_batch_fmt": {
        "id": "Ringkasan sebagai teks di stderr, atau JSON di stdout.",
        "en": "Summary as text on stderr, or JSON on stdout.",
    },
    "C_opt_chunk_size": {"id": "Banyak baris per potongan.", "en": "Rows per chunk."},
    "C_opt_fmt_check": {
        "id": "Tidak mengubah apa pun; keluar 1 dan sebut setiap berkas yang akan berubah.",
        "en": "Change nothing; exit 1 and name each file that would change.",
    },
    "C_opt_doc_fmt": {"id": "Bentuk dokumen: Markdown atau HTML.", "en": "Document format: Markdown or HTML."},
    "C_opt_doc_lang": {
        "id": "Bahasa dokumen (bawaan: --lang global, LANG, selain itu id).",
        "en": "Document language (default: the global --lang, LANG, else id).",
    },
    "C_opt_output": {
        "id": "Berkas tujuan (bila tidak disebut: stdout).",
        "en": "File to write (else stdout).",
    },
    "C_opt_part": {
        "id": "Bagian yang dijelaskan skema: masukan atau keluaran.",
        "en": "Which part the schema describes: input or output.",
    },
    "C_bad_date": {
        "id": "{value} bukan tanggal YYYY-MM-DD",
        "en": "{value} is not a date YYYY-MM-DD",
    },
}
