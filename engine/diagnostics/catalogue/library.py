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
}
