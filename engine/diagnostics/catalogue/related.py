"""Related places (R_*): where else a finding points, e.g. the other row of an overlap."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ related places (R_*): Diagnostic.related
    "R_declared_here": {"id": "`{name}` dideklarasikan di sini", "en": "`{name}` is declared here"},
    "R_label_declared_here": {
        "id": "label \"{label}\" termasuk tipe `{type}` yang dideklarasikan di sini",
        "en": "label \"{label}\" belongs to type `{type}`, declared here",
    },
    "R_part_here": {"id": "bagian `{name}` dari bobot `{weights}`", "en": "part `{name}` of weight set `{weights}`"},
    "R_row": {"id": "baris {row} `{name}`", "en": "row {row} of `{name}`"},
    "R_key": {"id": "kunci {key} yang lebih dulu", "en": "the earlier key {key}"},
}
