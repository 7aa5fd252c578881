"""Reading ruleset text safely: encodings and characters (K020–K023), resource limits (K030–K039),
near-duplicate labels (K240), folders (K810) and bounded rounding (K720–K721).

The limits themselves are `kinerja.syntax.limits.LIMITS`; the README lists them.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ characters and encodings (K02x)
    "K020": {
        "id": "berkas ini bukan UTF-8: bita {byte} tidak dapat dibaca",
        "en": "this file is not UTF-8: the byte {byte} cannot be read",
    },
    "K021": {
        "id": "tanda petik {found} adalah petik lengkung (tipografis); bahasa aturan memakai petik lurus `\"`",
        "en": "the quote {found} is a curly (typographic) quote; the ruleset language uses straight quotes `\"`",
    },
    "K022": {
        "id": "angka {found} bukan angka ASCII: angka ditulis dengan 0–9 saja",
        "en": "the digit {found} is not an ASCII digit: numbers are written with 0–9 only",
    },
    "K023": {
        "id": "`{found}`: koma di antara angka; pecahan desimal ditulis dengan titik",
        "en": "`{found}`: a comma between digits; a decimal fraction is written with a dot",
    },
    # ------------------------------------------------------------ resource limits (K03x)
    "K030": {
        "id": "berkas aturan berukuran {size} bita; batasnya {limit} bita",
        "en": "the ruleset is {size} bytes long; the limit is {limit} bytes",
    },
    "K031": {
        "id": "baris {line} panjangnya {length} karakter; batasnya {limit} karakter",
        "en": "line {line} is {length} characters long; the limit is {limit} characters",
    },
    "K032": {
        "id": "ekspresi ini bersarang lebih dari {limit} tingkat (operator, fungsi, `if`, kurung di dalam satu sama lain)",
        "en": "this expression nests more than {limit} levels deep (operators, functions, `if`, brackets inside one another)",
    },
    "K033": {
        "id": "angka {shown} memiliki {digits} digit; batasnya {limit} digit",
        "en": "the number {shown} has {digits} digits; the limit is {limit} digits",
    },
    "K034": {
        "id": "{places} angka di belakang koma: batasnya {limit}",
        "en": "{places} decimal places: the limit is {limit}",
    },
    "K035": {
        "id": "daftar ini berisi {count} unsur; batasnya {limit}",
        "en": "this list holds {count} items; the limit is {limit}",
    },
    "K036": {
        "id": "rantai `extends` sedalam {depth} aturan; batasnya {limit}: {chain}",
        "en": "the `extends` chain is {depth} rulesets deep; the limit is {limit}: {chain}",
    },
    "K037": {
        "id": "lebih dari {limit} galat sintaksis; pemeriksaan berhenti di sini",
        "en": "more than {limit} syntax errors; checking stops here",
    },
    # ------------------------------------------------------------ labels, file names, folders
    "K240": {
        "id": "label \"{label}\" hanya berbeda {difference} dari \"{other}\" ({other_place}); salah satunya mungkin salah ketik",
        "en": "the label \"{label}\" differs from \"{other}\" ({other_place}) only {difference}; one of them is probably a typo",
    },
    "K810": {
        "id": "folder `{path}` tidak berisi berkas `.kin`",
        "en": "the folder `{path}` holds no `.kin` file",
    },
    # ------------------------------------------------------------ bounded rounding (K72x)
    "K720": {
        "id": "`round` saat menghitung `{name}`: banyak angka di belakang koma harus bilangan bulat dari -{limit} sampai {limit}, bukan {places}",
        "en": "`round` while computing `{name}`: the number of places must be a whole number from -{limit} to {limit}, not {places}",
    },
    "K721": {
        "id": "`round` saat menghitung `{name}`: {value} dengan {places} angka di belakang koma memerlukan lebih dari {digits} digit",
        "en": "`round` while computing `{name}`: {value} to {places} places needs more than {digits} digits",
    },
    # ------------------------------------------------------------ suggestions and words
    "S_save_utf8": {
        "id": "simpan berkas sebagai UTF-8 (di Notepad: Simpan Sebagai → Pengodean: UTF-8)",
        "en": "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
    },
    "S_straight_quotes": {
        "id": "gunakan petik lurus: {fixed}",
        "en": "use straight quotes: {fixed}",
    },
    "S_ascii_digits": {"id": "tulis `{fixed}`", "en": "write `{fixed}`"},
    "S_decimal_point": {
        "id": "tulis `{point}` untuk pecahan desimal, atau `{spaced}` untuk dua angka",
        "en": "write `{point}` for a decimal fraction, or `{spaced}` for two numbers",
    },
    "S_add_end": {
        "id": "`{block}` yang dibuka di baris {opened} belum ditutup: tambahkan `end` sebelum baris {line}",
        "en": "`{block}` opened on line {opened} is not closed: add `end` before line {line}",
    },
    "S_add_end_eof": {
        "id": "`{block}` yang dibuka di baris {opened} belum ditutup: tambahkan `end` di akhir blok",
        "en": "`{block}` opened on line {opened} is not closed: add `end` at the end of the block",
    },
    "S_split_value": {
        "id": "pecah ekspresi menjadi beberapa `value` bernama",
        "en": "split the expression into named `value`s",
    },
    "S_split_file": {
        "id": "pecah aturan menjadi beberapa berkas dengan `extends`",
        "en": "split the ruleset into several files with `extends`",
    },
    "W_diff_case": {"id": "pada huruf besar/kecil", "en": "in letter case"},
    "W_diff_space": {"id": "pada spasi", "en": "in spacing"},
    "W_diff_edit": {"id": "satu huruf", "en": "by one letter"},
}
