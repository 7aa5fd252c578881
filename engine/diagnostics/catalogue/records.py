"""From records to the score (issue 13): values per item of a list, picking one item,
piecewise-linear conversions, interpolation and stated rounding."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ check (K2xx)
    "K241": {
        "id": "`{subject}.{name}` adalah nilai per butir `{subject}`: di luar definisi per butir `{subject}` "
              "nilai itu harus digabung, misalnya `sum(x.{name} for x in {subject})`",
        "en": "`{subject}.{name}` is a value per item of `{subject}`: outside a definition per item of "
              "`{subject}` combine it, e.g. `sum(x.{name} for x in {subject})`",
    },
    "K242": {
        "id": "`{name}`: titik konversi harus berurutan naik menurut x, tetapi {x} datang setelah {previous}",
        "en": "`{name}`: conversion points must have strictly increasing x, but {x} comes after {previous}",
    },
    "K243": {
        "id": "`{name}` dinyatakan paling banyak {places} angka desimal, tetapi rumusnya dapat memberi lebih "
              "(misalnya {part}); nyatakan pembulatannya, misalnya `round(…, {places}, half_up)`",
        "en": "`{name}` is declared with at most {places} decimal places but its formula can give more "
              "(e.g. {part}); state the rounding, e.g. `round(…, {places}, half_up)`",
    },
    "K245": {
        "id": "`{name}`: definisi per butir memerlukan daftar `{list}` (masukan berupa daftar, atau bagian "
              "daftar dari butirnya), tetapi `{list}` bukan daftar",
        "en": "`{name}`: a definition per item needs `{list}` to be a list (a list input, or a list field of "
              "its items), but `{list}` is not a list",
    },
    "K247": {
        "id": "`{name}` tidak dapat dipakai seperti ini: {problem}",
        "en": "`{name}` cannot be used like this: {problem}",
    },
    "K248": {
        "id": "`interpolate` memerlukan daftar titik dengan bagian angka `x` dan `y`, tetapi diberikan {found}",
        "en": "`interpolate` needs a list of points with number fields `x` and `y`, but got {found}",
    },
    # words inside K247
    "W_PICK_NEEDS_KEYS": {
        "id": "memilih satu butir memerlukan urutan: tulis `by` lalu kuncinya, misalnya `by h.skor`",
        "en": "picking one item needs an order: write `by` and the keys, e.g. `by h.skor`",
    },
    "W_KEYS_ONLY_FOR_PICKS": {
        "id": "hanya `top` dan `bottom` yang memakai kunci `by … , …` setelah `where`",
        "en": "only `top` and `bottom` take keys `by … , …` after `where`",
    },
    "W_KEY_NOT_ORDERED": {
        "id": "kunci pengurutan harus angka atau label skala, tetapi ini {found}",
        "en": "a sorting key must be a number or a scale label, but this is {found}",
    },
    # ------------------------------------------------------------ input validation (K6xx)
    "K609": {
        "id": "masukan `{field}` memuat {count} butir, paling banyak {most}",
        "en": "input `{field}` has {count} items, at most {most} allowed",
    },
    # ------------------------------------------------------------ evaluation (K7xx)
    "K709": {
        "id": "`interpolate`: {value} di luar titik-titik konversi ({low} sampai {high}) saat menghitung `{name}`",
        "en": "`interpolate`: {value} is outside the conversion points ({low} to {high}) while computing `{name}`",
    },
    # ------------------------------------------------------------ documents and diffs of conversions
    "D_H_CONVERSIONS": {"id": "Konversi", "en": "Conversions"},
    "D_KIND_CONVERSION": {"id": "konversi", "en": "conversion"},
    "D_CONVERSION_ON": {
        "id": "Dihitung dari {subject}; di antara dua titik nilainya pada garis lurus yang menghubungkan keduanya.",
        "en": "Computed from {subject}; between two points the value lies on the straight line through them.",
    },
    "D_C_POINT_X": {"id": "{subject}", "en": "{subject}"},
    "D_C_POINT_Y": {"id": "{name}", "en": "{name}"},
    "X_KIND_CONVERSION": {"id": "konversi", "en": "conversion"},
}
