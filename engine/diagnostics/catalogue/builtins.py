"""One line per builtin function (BI_*): what it does, shown by the document, completion and hover."""

MESSAGES: dict[str, dict[str, str]] = {
    "BI_min": {"id": "nilai terkecil dari argumennya", "en": "the least of its arguments"},
    "BI_max": {"id": "nilai terbesar dari argumennya", "en": "the greatest of its arguments"},
    "BI_clamp": {"id": "x dibatasi ke rentang [low, high]", "en": "x held within [low, high]"},
    "BI_abs": {"id": "nilai mutlak x", "en": "the absolute value of x"},
    "BI_floor": {"id": "x dibulatkan ke bawah ke bilangan bulat", "en": "x rounded down to a whole number"},
    "BI_ceiling": {"id": "x dibulatkan ke atas ke bilangan bulat", "en": "x rounded up to a whole number"},
    "BI_round": {
        "id": "x dibulatkan ke sejumlah angka desimal dengan cara pembulatan yang disebut",
        "en": "x rounded to a number of decimal places by the named rounding mode",
    },
    "BI_rank": {"id": "urutan label pada skalanya (1 = terendah)", "en": "the label's position on its scale (1 = lowest)"},
    "BI_given": {
        "id": "benar bila masukan opsional diberikan atau definisi bersyarat `when` berlaku",
        "en": "true when an optional input is given or a definition with `when` applies",
    },
    "BI_sum": {"id": "jumlah butir daftar", "en": "the sum of the list's items"},
    "BI_mean": {"id": "rata-rata butir daftar", "en": "the mean of the list's items"},
    "BI_count": {"id": "banyaknya butir daftar", "en": "the number of the list's items"},
    "BI_min_list": {"id": "butir terkecil daftar", "en": "the least item of the list"},
    "BI_max_list": {"id": "butir terbesar daftar", "en": "the greatest item of the list"},
    "BI_weighted_mean": {"id": "rata-rata tertimbang butir daftar", "en": "the weighted mean of the list's items"},
    "BI_first": {"id": "butir pertama daftar (yang memenuhi `where`)", "en": "the first item of the list (that passes `where`)"},
    "BI_last": {"id": "butir terakhir daftar (yang memenuhi `where`)", "en": "the last item of the list (that passes `where`)"},
    "BI_top": {
        "id": "butir dengan kunci terbesar (kunci pertama lebih dulu; bila sama, butir yang terakhir)",
        "en": "the item with the greatest keys (first key first; on a tie, the later item)",
    },
    "BI_bottom": {
        "id": "butir dengan kunci terkecil (kunci pertama lebih dulu; bila sama, butir yang pertama)",
        "en": "the item with the least keys (first key first; on a tie, the earlier item)",
    },
    "BI_interpolate": {
        "id": "nilai pada garis patah melalui titik-titik (x, y), di x",
        "en": "the value at x of the piecewise-linear scale through the (x, y) points",
    },
    "signature": {"id": "ditulis `{signature}`", "en": "written `{signature}`"},
}
