"""Batch scoring and population rules (B_*)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ batch and population rules (B_*)
    "B_USAGE_EXT": {
        "id": "{path}: ekstensi tidak dikenal; gunakan .csv, .jsonl atau .xlsx",
        "en": "{path}: unknown extension; use .csv, .jsonl or .xlsx",
    },
    "B_USAGE_MAP": {"id": "--map {item}: tulis masukan=kolom", "en": "--map {item}: write input=column"},
    "B_USAGE_MAP_INPUT": {
        "id": "--map {item}: `{name}` bukan masukan {ruleset}; masukannya: {known}",
        "en": "--map {item}: `{name}` is not an input of {ruleset}; its inputs: {known}",
    },
    "B_USAGE_COLUMN": {
        "id": "kolom `{column}` ({option}) tidak ada di baris judul {path}; kolomnya: {known}",
        "en": "column `{column}` ({option}) is not in the header of {path}; its columns: {known}",
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
        "id": "{labels} bukan yang terbanyak: {count} dari {total}, sedangkan {other} {other_count}: kekurangan {missed} {employees}",
        "en": "{labels} does not hold the largest share: {count} of {total}, {other} has {other_count}: {missed} {employees} short",
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
    "W_CSV_NUL": {"id": "memuat karakter NUL", "en": "it holds a NUL character"},
    "W_CSV_FIELD_TOO_LARGE": {"id": "sebuah sel terlalu panjang", "en": "a cell is too long"},
    "W_CSV_NEWLINE": {"id": "pindah baris di dalam sel tanpa tanda petik", "en": "a line break inside an unquoted cell"},
}
