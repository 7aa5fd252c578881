"""Batch scoring and population rules (B_*)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ batch and population rules (B_*)
    "B_USAGE_EXT": {
        "id": "{path}: ekstensi tidak dikenal; gunakan .csv, .jsonl, .xlsx atau .parquet",
        "en": "{path}: unknown extension; use .csv, .jsonl, .xlsx or .parquet",
    },
    "B_USAGE_FORMAT": {
        "id": "format `{format}` tidak dikenal; gunakan csv, jsonl, xlsx atau parquet",
        "en": "unknown format `{format}`; use csv, jsonl, xlsx or parquet",
    },
    "B_USAGE_SAME_FILE": {
        "id": "keluaran {output} adalah berkas masukan {input} itu sendiri: data sumber tidak akan ditimpa; pilih nama lain",
        "en": "output {output} is the input file {input} itself: source data is never overwritten; choose another name",
    },
    "B_USAGE_NO_FOLDER": {
        "id": "folder keluaran {folder} tidak ada (untuk {output}); buat dahulu atau pilih folder lain",
        "en": "output folder {folder} does not exist (for {output}); create it or choose another folder",
    },
    "B_USAGE_OUTPUT_DIR": {"id": "keluaran {output} adalah sebuah folder", "en": "output {output} is a folder"},
    "B_USAGE_EXISTS": {
        "id": "keluaran {output} sudah ada; tambahkan --force untuk menggantinya",
        "en": "output {output} already exists; add --force to replace it",
    },
    "B_USAGE_WRITE": {"id": "{output}: tidak dapat ditulis: {problem}", "en": "{output}: cannot be written: {problem}"},
    "B_USAGE_ENCODING": {
        "id": "--encoding {encoding}: pengodean tidak dikenal (contoh: utf-8, cp1252, latin-1, utf-16)",
        "en": "--encoding {encoding}: unknown encoding (for example utf-8, cp1252, latin-1, utf-16)",
    },
    "B_USAGE_SHEET": {
        "id": "{path}: tidak ada lembar `{sheet}` (--sheet); lembarnya: {known}",
        "en": "{path}: no sheet `{sheet}` (--sheet); its sheets: {known}",
    },
    "B_USAGE_HEADER_ROW": {
        "id": "{path}: --header-row {row}, tetapi lembar ini hanya memiliki {rows} baris",
        "en": "{path}: --header-row {row}, but the sheet has only {rows} rows",
    },
    "B_DUPLICATE_COLUMN": {
        "id": "kolom `{column}` muncul lebih dari sekali di baris judul {path} (kolom ke-{positions}): tidak jelas mana yang dibaca; ganti nama salah satunya",
        "en": "column `{column}` appears more than once in the header of {path} (columns {positions}): which one to read is unclear; rename one",
    },
    "B_MISSING_COLUMNS": {
        "id": "masukan wajib {inputs} tidak memiliki kolom di {path} (kolomnya: {known}); petakan dengan --map masukan=KOLOM{hint}",
        "en": "required input {inputs} has no column in {path} (its columns: {known}); map one with --map input=COLUMN{hint}",
    },
    "B_NOTE_RENAMED_OUTPUT": {
        "id": "kolom masukan `{column}` bernama seperti keluaran; di berkas keluaran menjadi `{renamed}`",
        "en": "input column `{column}` is named like an output; in the output file it is `{renamed}`",
    },
    "B_NOTE_RENAMED_DUPLICATE": {
        "id": "kolom `{column}` muncul lagi; salinan ini di berkas keluaran menjadi `{renamed}`",
        "en": "column `{column}` appears again; this copy is `{renamed}` in the output file",
    },
    "B_VALUE_PLACES": {
        "id": "keluaran `{output}` = {value} memerlukan lebih dari {places} angka desimal kolom Parquet-nya; tulis CSV atau JSONL untuk nilai ini",
        "en": "output `{output}` = {value} needs more than the {places} decimal places of its Parquet column; write CSV or JSONL for this value",
    },
    "B_XLSX_ROWS": {
        "id": "lembar XLSX memuat paling banyak {rows} baris data; tulis CSV, JSONL atau Parquet",
        "en": "an XLSX sheet holds at most {rows} data rows; write CSV, JSONL or Parquet",
    },
    "B_USAGE_MAP": {"id": "--map {item}: tulis masukan=kolom", "en": "--map {item}: write input=column"},
    "B_USAGE_MAP_INPUT": {
        "id": "--map {item}: `{name}` bukan masukan {ruleset}; masukannya: {known}",
        "en": "--map {item}: `{name}` is not an input of {ruleset}; its inputs: {known}",
    },
    "B_USAGE_COLUMN": {
        "id": "kolom `{column}` ({option}) tidak ada di baris judul {path}{hint}; kolomnya: {known}",
        "en": "column `{column}` ({option}) is not in the header of {path}{hint}; its columns: {known}",
    },
    "B_USAGE_CHUNK": {"id": "--chunk-size paling sedikit 1", "en": "--chunk-size must be at least 1"},
    "B_READ": {"id": "{path}: tidak dapat dibaca: {problem}", "en": "{path}: cannot be read: {problem}"},
    "B_ROW_CELLS": {
        "id": "baris {line}: {found} sel, sedangkan baris judul {expected} kolom",
        "en": "line {line}: {found} cells where the header has {expected} columns",
    },
    "B_ROW_DECODE": {
        "id": "baris {line}: memuat byte yang bukan UTF-8 (ditampilkan sebagai �)",
        "en": "line {line}: holds bytes that are not UTF-8 (shown as �)",
    },
    "B_NOTE_ENCODING": {
        "id": "{rows} baris memuat byte yang bukan UTF-8: jika berkas disimpan dengan pengodean lain, sebutkan dengan --encoding (mis. --encoding cp1252 untuk Excel Windows)",
        "en": "{rows} rows hold bytes that are not UTF-8: if the file was saved in another encoding, name it with --encoding (e.g. --encoding cp1252 for Windows Excel)",
    },
    "B_ROW_QUOTE": {
        "id": "baris {line}: tanda kutip membuka sel yang tidak pernah ditutup; baris ini dibaca tanpa tanda kutip, pembacaan berlanjut di baris berikutnya",
        "en": "line {line}: a quote opens a cell that is never closed; this line is read without its quotes and reading goes on at the next line",
    },
    "B_ROW_CSV": {"id": "baris {line}: CSV rusak: {problem}", "en": "line {line}: broken CSV: {problem}"},
    "B_ROW_JSON": {
        "id": "baris {line}: bukan objek JSON: {problem}",
        "en": "line {line}: not a JSON object: {problem}",
    },
    "B_SUMMARY_TITLE": {
        "id": "Penilaian massal dengan {ruleset} (sidik jari {fingerprint})",
        "en": "Batch scoring with {ruleset} (fingerprint {fingerprint})",
    },
    "B_SUMMARY_ROWS": {
        "id": "{rows} baris, {errors} dengan galat → {output}",
        "en": "{rows} rows, {errors} with errors → {output}",
    },
    "B_SUMMARY_COUNTS": {"id": "Jumlah per nilai {output}:", "en": "Count per value of {output}:"},
    "B_SUMMARY_ERRORS": {"id": "Baris dengan galat (pertama {count}):", "en": "Rows with errors (first {count}):"},
    "B_WORD_ERRORS": {"id": "galat", "en": "errors"},
    "B_POP_TITLE": {
        "id": "Kurva distribusi {name}: {output} menurut {by}, per {group_by}",
        "en": "Distribution {name}: {output} by {by}, per {group_by}",
    },
    "B_POP_SUMMARY": {
        "id": "{groups} unit: {ok} sesuai, {bad} tidak sesuai, {unknown} tidak dapat dinilai",
        "en": "{groups} units: {ok} conform, {bad} do not, {unknown} not assessed",
    },
    "B_POP_GROUP": {"id": "{group} [{klass}]: {total} pegawai sah — {status}", "en": "{group} [{klass}]: {total} valid employees — {status}"},
    "B_POP_OK": {"id": "sesuai", "en": "conforms"},
    "B_POP_BAD": {"id": "TIDAK SESUAI", "en": "DOES NOT CONFORM"},
    "B_POP_NO_CLASS": {"id": "kelas unit ({by}) tidak diisi: tidak dinilai", "en": "unit class ({by}) not given: not assessed"},
    "B_POP_CONFLICT": {
        "id": "baris unit ini tidak sepakat tentang {by}: {classes}; tidak dinilai",
        "en": "the unit's rows disagree on {by}: {classes}; not assessed",
    },
    "B_POP_NO_RULE": {"id": "tidak ada kurva untuk kelas {klass}", "en": "no curve for class {klass}"},
    "B_POP_EMPTY": {"id": "tidak ada baris sah: tidak dinilai", "en": "no valid rows: not assessed"},
    "B_POP_NOT_OUTPUT": {
        "id": "`{output}` bukan keluaran aturan, sehingga kurva {name} tidak dapat dinilai",
        "en": "`{output}` is not an output of the ruleset, so curve {name} cannot be assessed",
    },
    "B_POP_NONE": {
        "id": "{ruleset} tidak memuat aturan distribusi: hanya jumlah per unit",
        "en": "{ruleset} declares no distribution rule: counts per unit only",
    },
    "B_POP_SHARE_OK": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: terpenuhi",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: met",
    },
    "B_POP_SHARE_HIGH": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: kelebihan {missed} {employees}",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: {missed} {employees} too many",
    },
    "B_POP_SHARE_LOW": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: kekurangan {missed} {employees}",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: {missed} {employees} too few",
    },
    "B_POP_MOST_OK": {
        "id": "{labels} terbanyak: {count} dari {total}",
        "en": "{labels} holds the largest share: {count} of {total}",
    },
    "B_POP_MOST_BAD": {
        "id": "{labels} bukan yang terbanyak: {count} dari {total}, sedangkan {other} {other_count}: paling sedikit {rerate} {rerated} perlu dinilai ulang menjadi {labels} (atau tambahan {missed} {employees} {labels})",
        "en": "{labels} does not hold the largest share: {count} of {total}, {other} has {other_count}: at least {rerate} {rerated} would have to be re-rated to {labels} (or {missed} more {employees} {labels})",
    },
    "B_POP_COUNT_OK": {
        "id": "sekurang-kurangnya {amount} dari {labels}: ada {count}",
        "en": "at least {amount} of {labels}: {count} found",
    },
    "B_POP_COUNT_BAD": {
        "id": "sekurang-kurangnya {amount} dari {labels}: ada {count}, kekurangan {missed} {employees}",
        "en": "at least {amount} of {labels}: {count} found, {missed} {employees} short",
    },
    "B_POP_INVALID": {
        "id": "baris tidak sah, tidak dihitung ({count}): {ids}{more}",
        "en": "invalid rows, not counted ({count}): {ids}{more}",
    },
    "B_POP_MORE": {"id": " … dan {count} lainnya", "en": " … and {count} more"},
    "B_POP_EMPTY_GROUP": {"id": "(kosong)", "en": "(empty)"},
    "B_EMPLOYEE": {"id": "pegawai", "en": "employee"},
    "B_EMPLOYEES": {"id": "pegawai", "en": "employees"},
    # ------------------------------------------------------------ progress and why a row is broken (B_ROW_*'s problem)
    "B_PROGRESS": {"id": "{rows} baris{shown}", "en": "{rows} rows{shown}"},
    "W_JSON_BROKEN_AT": {"id": "JSON rusak di kolom {column}", "en": "broken JSON at column {column}"},
    "W_JSON_BROKEN": {"id": "JSON yang tidak dapat dibaca", "en": "JSON that cannot be read"},
    "W_JSON_ARRAY": {"id": "isinya daftar (array)", "en": "it holds a list (array)"},
    "W_JSON_STRING": {"id": "isinya teks", "en": "it holds a text"},
    "W_JSON_NUMBER": {"id": "isinya angka", "en": "it holds a number"},
    "W_JSON_BOOLEAN": {"id": "isinya true/false", "en": "it holds true/false"},
    "W_JSON_NULL": {"id": "isinya null", "en": "it holds null"},
    "W_NOT_PARQUET": {"id": "bukan berkas Parquet yang dapat dibaca", "en": "not a readable Parquet file"},
    "W_NOT_JSONL": {"id": "bukan berkas JSON Lines yang dapat dibaca", "en": "not a readable JSON Lines file"},
    "W_NOT_CSV": {"id": "bukan berkas CSV yang dapat dibaca", "en": "not a readable CSV file"},
    "W_CSV_NUL": {"id": "memuat karakter NUL", "en": "it holds a NUL character"},
    "W_CSV_FIELD_TOO_LARGE": {"id": "sebuah sel terlalu panjang", "en": "a cell is too long"},
    "W_CSV_NEWLINE": {"id": "pindah baris di dalam sel tanpa tanda petik", "en": "a line break inside an unquoted cell"},
}
