"""Running a ruleset's own examples (K71x): what `kinerja test` reports for a failing example."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ example runs (K71x): engine/library/ruleset.py
    "K711": {
        "id": "{name}: diharapkan {expected}, didapat {actual}",
        "en": "{name}: expected {expected}, got {actual}",
    },
    "K712": {
        "id": "masukan contoh ditolak: {problems}",
        "en": "the example's input is rejected: {problems}",
    },
    "K713": {
        "id": "diharapkan {names} tidak sah, tetapi yang ditolak: {problems}",
        "en": "expected {names} to be invalid, but what is rejected is: {problems}",
    },
    "K714": {
        "id": "diharapkan {names} tidak sah, tetapi rekaman dinilai tanpa galat",
        "en": "expected {names} to be invalid, but the record was evaluated",
    },
    "K715": {
        "id": "penilaian contoh gagal: {problems}",
        "en": "evaluating the example failed: {problems}",
    },
    "W_CODED": {"id": "{tag}: {text}", "en": "{tag}: {text}"},
}
