"""Loading rulesets (K8xx): files, references, dates."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ loading (K8xx)
    "K801": {
        "id": "aturan `{ref}` tidak ditemukan; yang tersedia: {known}",
        "en": "ruleset `{ref}` not found; available: {known}",
    },
    "K804": {
        "id": "berkas aturan `{path}` tidak ada",
        "en": "ruleset file `{path}` does not exist",
    },
    "K802": {
        "id": "berkas masukan tidak dapat dibaca: {problem}",
        "en": "the input file cannot be read: {problem}",
    },
    "K803": {
        "id": "tidak ada versi `{id}` yang berlaku pada {date}",
        "en": "no version of `{id}` is in force on {date}",
    },
    # ------------------------------------------------------------ why a file cannot be read (K802's problem)
    "W_FILE_MISSING": {"id": "berkas `{path}` tidak ada", "en": "the file `{path}` does not exist"},
    "W_FILE_DENIED": {"id": "tidak ada izin membaca `{path}`", "en": "no permission to read `{path}`"},
    "W_FILE_IS_FOLDER": {"id": "`{path}` adalah folder, bukan berkas", "en": "`{path}` is a folder, not a file"},
    "W_FILE_NOT_UTF8": {"id": "`{path}` bukan teks UTF-8", "en": "`{path}` is not UTF-8 text"},
    # the operating system's reason is shown as it gives it: only for errors too rare to name here
    "W_FILE_OTHER": {"id": "`{path}`: {reason}", "en": "`{path}`: {reason}"},
    "W_BAD_JSON": {
        "id": "`{name}` bukan JSON yang sah (baris {line}, kolom {column})",
        "en": "`{name}` is not valid JSON (line {line}, column {column})",
    },
    "W_BAD_JSON_VALUE": {
        "id": "`{name}` memuat nilai JSON yang tidak dapat dibaca",
        "en": "`{name}` holds a JSON value that cannot be read",
    },
    "W_BAD_YAML": {
        "id": "`{name}` bukan YAML yang sah (baris {line}, kolom {column})",
        "en": "`{name}` is not valid YAML (line {line}, column {column})",
    },
    "W_BAD_YAML_SOMEWHERE": {"id": "`{name}` bukan YAML yang sah", "en": "`{name}` is not valid YAML"},
    "W_REASON_MISSING": {"id": "berkas tidak ada", "en": "the file does not exist"},
    "W_REASON_DENIED": {"id": "tidak ada izin membacanya", "en": "no permission to read it"},
    "W_REASON_IS_FOLDER": {"id": "ini folder, bukan berkas", "en": "it is a folder, not a file"},
    "W_REASON_NOT_UTF8": {"id": "bukan teks UTF-8", "en": "not UTF-8 text"},
    "W_NOT_XLSX": {"id": "bukan buku kerja XLSX yang sah", "en": "not a valid XLSX workbook"},
}
