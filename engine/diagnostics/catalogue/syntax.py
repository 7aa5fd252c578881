"""Syntax errors (K0xx): what the writer got wrong, in plain words."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ syntax (K0xx)
    "K001": {
        "id": "sintaks tidak dikenali: {found} tidak diharapkan di sini; yang diharapkan: {expected}",
        "en": "syntax not understood: {found} is not expected here; expected: {expected}",
    },
    "K002": {
        "id": "baris tabel memerlukan `->` lalu hasilnya, misalnya `[90, 120] -> \"Baik\"`",
        "en": "a table row needs `->` and its result, e.g. `[90, 120] -> \"Baik\"`",
    },
    "K003": {
        "id": "teks dalam tanda petik tidak ditutup: tambahkan `\"` di akhir",
        "en": "a quoted text is not closed: add `\"` at its end",
    },
    "K004": {
        "id": "blok tidak ditutup: tabel, rubrik, kuadran, bobot bersyarat dan distribusi diakhiri `end`",
        "en": "a block is not closed: tables, rubrics, quadrants, conditional weights and distributions end with `end`",
    },
    "K005": {
        "id": "karakter {found} tidak dikenal dalam bahasa aturan",
        "en": "the character {found} is not part of the ruleset language",
    },
    "K006": {
        "id": "masukan memerlukan `:` lalu tipenya, misalnya `input nilai_skp: decimal [0, 120]`",
        "en": "an input needs `:` and its type, e.g. `input nilai_skp: decimal [0, 120]`",
    },
    "K007": {
        "id": "berkas aturan harus diawali `ruleset ID version X.Y.Z`, misalnya `ruleset pp-30-2019 version 1.0.0`",
        "en": "a ruleset file must start with `ruleset ID version X.Y.Z`, e.g. `ruleset pp-30-2019 version 1.0.0`",
    },
    "K008": {
        "id": "bobot ditulis sebagai nama lalu persentase, misalnya `skp 70%, perilaku 30%`",
        "en": "a weight is a name then a percentage, e.g. `skp 70%, perilaku 30%`",
    },
    "K009": {
        "id": "nama ditulis huruf kecil, angka dan garis bawah (misalnya `nilai_skp`); label ditulis dalam tanda petik",
        "en": "names are lower-case letters, digits and underscores (e.g. `nilai_skp`); labels go in quotes",
    },
    "K010": {
        "id": "baris kuadran ditulis `| \"label baris\" | sel | sel |`, setiap sel diapit `|`",
        "en": "a quadrant row is written `| \"row label\" | cell | cell |`, each cell between bars",
    },
    "K011": {
        "id": "batas interval ditulis `[bawah, atas]`, `[bawah, atas)` atau `(bawah, atas]` dengan angka",
        "en": "an interval is written `[low, high]`, `[low, high)` or `(low, high]` with numbers",
    },
    "K012": {
        "id": "contoh ditulis `example \"judul\" given a = 1, b = 2 expect hasil = \"Baik\"`",
        "en": "an example is written `example \"title\" given a = 1, b = 2 expect result = \"Baik\"`",
    },
    # ------------------------------------------------------------ what a token is called (K001's found/expected)
    "W_TOKEN_NAME": {"id": "nama", "en": "a name"},
    "W_TOKEN_STRING": {"id": "teks dalam tanda petik", "en": "a quoted text"},
    "W_TOKEN_NUMBER": {"id": "angka", "en": "a number"},
    "W_TOKEN_INT": {"id": "bilangan bulat", "en": "a whole number"},
    "W_TOKEN_RULESET_ID": {"id": "id aturan", "en": "a ruleset id"},
    "W_TOKEN_VERSION": {"id": "versi X.Y.Z", "en": "a version X.Y.Z"},
    "W_TOKEN_DATE": {"id": "tanggal YYYY-MM-DD", "en": "a date YYYY-MM-DD"},
    "W_TOKEN_RULESET_REF": {"id": "id@versi", "en": "id@version"},
    "W_TOKEN_END_OF_FILE": {"id": "akhir berkas", "en": "the end of the file"},
    "W_TOKEN_OTHER": {"id": "kelanjutan lain", "en": "something else"},
}
