"""Input validation (K6xx): a record that does not fit the declared inputs."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ input validation (K6xx)
    "K601": {
        "id": "masukan `{field}` wajib diisi: {expected}",
        "en": "input `{field}` is required: {expected}",
    },
    "K602": {
        "id": "masukan `{field}` = {value} bukan {expected}",
        "en": "input `{field}` = {value} is not {expected}",
    },
    "K603": {
        "id": "masukan `{field}` tidak dikenal oleh aturan ini",
        "en": "input `{field}` is not known to this ruleset",
    },
    "K604": {
        "id": "masukan `{field}` = {value} di luar rentang {expected}",
        "en": "input `{field}` = {value} is outside the range {expected}",
    },
    "K605": {
        "id": "masukan `{field}` = {value} memiliki lebih dari {places} angka desimal",
        "en": "input `{field}` = {value} has more than {places} decimal places",
    },
    "K606": {
        "id": "masukan `{field}` = {value} bukan salah satu dari: {expected}",
        "en": "input `{field}` = {value} is not one of: {expected}",
    },
    "K607": {
        "id": "masukan `{field}` tidak dikenal oleh {ruleset} dan diabaikan",
        "en": "input `{field}` is not known to {ruleset} and is ignored",
    },
    "K608": {
        "id": "masukan `{field}` milik {named}, bukan {ruleset} yang berlaku pada {date}: diabaikan",
        "en": "input `{field}` belongs to {named}, not to {ruleset} in force on {date}: ignored",
    },
    "W_YAML_ALIAS": {
        "id": "`{name}` memakai alias YAML (*nama) di baris {line}, kolom {column}; sebuah rekaman tidak memerlukannya, dan alias bersarang dapat membengkak tanpa batas: tulis nilainya langsung",
        "en": "`{name}` uses a YAML alias (*name) at line {line}, column {column}; a record needs none, and nested aliases can grow without bound: write the value itself",
    },
}
