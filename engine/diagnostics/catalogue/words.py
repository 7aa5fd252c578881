"""Suggestions and small words used inside other messages."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ suggestions and small words
    "did_you_mean": {"id": "maksud Anda `{name}`?", "en": "did you mean `{name}`?"},
    "did_you_mean_label": {"id": "maksud Anda \"{name}\"?", "en": "did you mean \"{name}\"?"},
    "error": {"id": "galat", "en": "error"},
    "warning": {"id": "peringatan", "en": "warning"},
    "info": {"id": "info", "en": "info"},
    "help": {"id": "saran", "en": "help"},
    "witness": {"id": "contoh nilai", "en": "witness"},
    "W_list_of_records": {"id": "daftar rekaman", "en": "a list of records"},
    "W_record": {"id": "rekaman {{…}}", "en": "a record {{…}}"},
    "W_named_inputs": {"id": "objek berisi masukan bernama", "en": "an object of named inputs"},
}
