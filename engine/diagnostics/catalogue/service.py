"""The decision service (S_*), decision-log replay (R_*), and their commands' help (C_help_serve, C_help_replay)."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ the HTTP service (S_*): answers to a request
    "S_NO_ROUTE": {
        "id": "tidak ada alamat {path} di layanan ini; lihat /openapi.json",
        "en": "there is no {path} in this service; see /openapi.json",
    },
    "S_METHOD": {
        "id": "metode {method} tidak berlaku untuk {path}; yang berlaku: {allowed}",
        "en": "method {method} is not allowed on {path}; allowed: {allowed}",
    },
    "S_TOO_LARGE": {
        "id": "isi permintaan lebih besar dari batas {limit} byte (--max-body)",
        "en": "the request body is larger than the limit of {limit} bytes (--max-body)",
    },
    "S_BATCH_TOO_LONG": {
        "id": "batch berisi {count} rekaman, melebihi batas {limit} (--max-batch)",
        "en": "the batch holds {count} records, more than the limit of {limit} (--max-batch)",
    },
    "S_TEXT_TOO_LARGE": {
        "id": "teks aturan `{field}` berukuran {size} byte, melebihi batas {limit} byte (--max-ruleset)",
        "en": "ruleset text `{field}` is {size} bytes, more than the limit of {limit} bytes (--max-ruleset)",
    },
    "S_SLOW_BODY": {
        "id": "isi permintaan tidak selesai diterima dalam {seconds} detik",
        "en": "the request body was not received within {seconds} seconds",
    },
    "S_BAD_JSON": {"id": "isi permintaan bukan JSON: {problem}", "en": "the request body is not JSON: {problem}"},
    "S_NOT_OBJECT": {
        "id": "isi permintaan harus berupa objek JSON, misalnya {example}",
        "en": "the request body must be a JSON object, e.g. {example}",
    },
    "S_FIELD_MISSING": {"id": "`{field}` wajib ada: {expected}", "en": "`{field}` is required: {expected}"},
    "S_FIELD_TYPE": {"id": "`{field}` harus berupa {expected}", "en": "`{field}` must be {expected}"},
    "S_FIELD_UNKNOWN": {
        "id": "`{field}` tidak dikenal di sini; yang dikenal: {known}",
        "en": "`{field}` is not known here; known: {known}",
    },
    "S_BAD_DATE": {
        "id": "`{field}` = {value} bukan tanggal TTTT-BB-HH",
        "en": "`{field}` = {value} is not a date YYYY-MM-DD",
    },
    "S_BAD_CHOICE": {
        "id": "`{field}` = {value} bukan salah satu dari: {known}",
        "en": "`{field}` = {value} is not one of: {known}",
    },
    "S_MEDIA_TYPE": {
        "id": "jenis isi {media} tidak diterima di sini; kirim {expected}",
        "en": "content type {media} is not accepted here; send {expected}",
    },
    "S_NOT_UTF8": {
        "id": "isi permintaan bukan teks UTF-8 (byte ke-{offset})",
        "en": "the request body is not UTF-8 text (byte {offset})",
    },
    "S_BAD_FORM": {"id": "isi multipart rusak: {problem}", "en": "broken multipart body: {problem}"},
    "S_INTERNAL": {
        "id": "galat di dalam layanan (permintaan {id}); catatan server memuat rinciannya",
        "en": "internal error in the service (request {id}); the server's log has the details",
    },
    "S_WORD_TEXT_OR_REF": {
        "id": "teks aturan (string dengan baris 'ruleset …'), rujukan id atau id@versi, atau {{\"text\": …}}",
        "en": "ruleset text (a string starting 'ruleset …'), an id or id@version reference, or {{\"text\": …}}",
    },
    "S_WORD_RECORD": {"id": "objek berisi masukan aturan", "en": "an object of the ruleset's inputs"},
    "S_WORD_RECORDS": {"id": "daftar objek masukan", "en": "a list of input objects"},
    "S_WORD_BOOLEAN": {"id": "true atau false", "en": "true or false"},
    "S_WORD_TEXT": {"id": "teks", "en": "text"},
    "S_WORD_OBJECT": {"id": "objek", "en": "an object"},
    "S_WORD_POPULATION": {
        "id": "daftar objek baris, teks CSV, atau berkas CSV/JSONL/XLSX (multipart)",
        "en": "a list of row objects, CSV text, or a CSV/JSONL/XLSX file (multipart)",
    },
    # ------------------------------------------------------------ `kinerja serve` on the terminal
    "S_LISTENING": {
        "id": "kinerja serve: melayani http://{host}:{port} ({rulesets} aturan; catatan keputusan: {log}; pekerja: {workers})",
        "en": "kinerja serve: serving http://{host}:{port} ({rulesets} rulesets; decision log: {log}; workers: {workers})",
    },
    "S_NO_LOG": {"id": "tidak ada", "en": "none"},
    "S_LOG_OPEN": {
        "id": "catatan keputusan {path} tidak dapat dibuka untuk ditambah: {problem}",
        "en": "the decision log {path} cannot be opened for appending: {problem}",
    },
    "S_RULES_DIR": {"id": "--rules {path}: bukan folder", "en": "--rules {path}: not a folder"},
    "S_MASK_SALT": {
        "id": "--mask tanpa KINERJA_MASK_SALT: garam acak dipakai selama server ini hidup (salt_id {salt_id}); "
              "nilai yang sama memberi hash yang sama hanya di antara baris dengan salt_id yang sama",
        "en": "--mask without KINERJA_MASK_SALT: a random salt is used while this server runs (salt_id {salt_id}); "
              "equal values hash equal only among lines with the same salt_id",
    },
    # ------------------------------------------------------------ replay of a decision log (R_*)
    "R_DIFFERS": {
        "id": "baris {line}, keputusan {id} ({ruleset}): hasil kini berbeda: {changes}",
        "en": "line {line}, decision {id} ({ruleset}): the result now differs: {changes}",
    },
    "R_NOT_FOUND": {
        "id": "baris {line}, keputusan {id}: tidak ada aturan dengan sidik {fingerprint} ({ruleset}); "
              "berkasnya diubah atau dihapus sejak keputusan itu",
        "en": "line {line}, decision {id}: no ruleset has the fingerprint {fingerprint} ({ruleset}); "
              "its file was edited or removed since the decision",
    },
    "R_MASKED": {
        "id": "baris {line}, keputusan {id}: masukan {fields} disamarkan (--mask), keputusan tidak dapat dinilai ulang",
        "en": "line {line}, decision {id}: input {fields} was masked (--mask), so the decision cannot be evaluated again",
    },
    "R_MALFORMED": {
        "id": "baris {line}: bukan keputusan ({problem})",
        "en": "line {line}: not a decision ({problem})",
    },
    "R_UNCHECKED": {
        "id": "{count} keputusan tidak dapat diperiksa",
        "en": "{count} decisions could not be checked",
    },
    "R_LOG_READ": {"id": "catatan keputusan {path} tidak dapat dibaca: {problem}",
                   "en": "the decision log {path} cannot be read: {problem}"},
    # ------------------------------------------------------------ command help
    "C_help_serve": {
        "id": "Layanan keputusan HTTP (JSON) atas aturan bawaan dan --rules, dengan catatan keputusan.",
        "en": "HTTP decision service (JSON) over the shipped rulesets and --rules, with a decision log.",
    },
    "C_help_replay": {
        "id": "Menilai ulang setiap keputusan di LOG dengan aturan bersidik sama; keluar 1 bila ada yang berbeda.",
        "en": "Evaluate every decision in LOG again with the ruleset of the same fingerprint; exit 1 if any differ.",
    },
}
