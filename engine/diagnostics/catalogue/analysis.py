"""Static analysis (K5xx): holes a regulation leaves, found before any employee is scored."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ static analysis (K5xx): engine/analysis.py
    "K501": {
        "id": "`{name}`: tidak ada baris untuk {subject} = {value}; {subject} dapat bernilai {range}, tetapi {region} tidak tercakup baris mana pun",
        "en": "`{name}`: {subject} = {value} matches no row; {subject} ranges over {range} but no row covers {region}",
    },
    "K502": {
        "id": "`{name}`: tidak ada baris untuk {subject} = {value} bila {assignment}; dalam keadaan itu {region} tidak tercakup baris mana pun",
        "en": "`{name}`: {subject} = {value} with {assignment} matches no row; in that case no row covers {region}",
    },
    "K503": {
        "id": "`{name}` memakai `hit unique`, tetapi baris {first} dan {second} sama-sama cocok untuk {subject} = {value}",
        "en": "`{name}` is `hit unique` but rows {first} and {second} both match {subject} = {value}",
    },
    "K504": {
        "id": "baris {row} `{name}` ({condition}) tidak akan pernah terpilih: baris {rows} sebelumnya sudah mencakup semua nilainya",
        "en": "row {row} of `{name}` ({condition}) can never be chosen: rows {rows} before it already cover all its values",
    },
    "K505": {
        "id": "baris {row} `{name}` ({condition}) tidak akan pernah cocok: {subject} hanya bernilai {range}",
        "en": "row {row} of `{name}` ({condition}) can never match: {subject} only ranges over {range}",
    },
    "K506": {
        "id": "kuadran `{name}` tidak punya baris atau kolom untuk {subject} = {value}, padahal nilai itu mungkin",
        "en": "quadrant `{name}` has no row or column for {subject} = {value}, which can occur",
    },
    "K507": {
        "id": "kuadran `{name}`: sel baris {row} × kolom {column} sengaja dikosongkan (`-`) tetapi dapat tercapai, dan penilaian lalu gagal",
        "en": "quadrant `{name}`: the cell at row {row} × column {column} is left empty (`-`) but can be reached, and evaluation then fails",
    },
    "K508": {
        "id": "kuadran `{name}`: kunci {first} dan {second} sama-sama memuat {subject} = {value}; yang pertama berlaku",
        "en": "quadrant `{name}`: keys {first} and {second} both hold {subject} = {value}; the first one wins",
    },
    "K510": {
        "id": "masukan `{name}` tidak pernah dibaca oleh hasil mana pun",
        "en": "input `{name}` is never read by any output",
    },
    "K511": {
        "id": "`{name}` dihitung tetapi tidak dipakai oleh hasil mana pun",
        "en": "`{name}` is computed but no output uses it",
    },
    "K512": {
        "id": "hasil `{name}` tidak pernah dapat bernilai \"{label}\": tidak ada baris, sel atau pengecualian yang menghasilkannya",
        "en": "output `{name}` can never be \"{label}\": no row, cell or exception produces it",
    },
    "K520": {
        "id": "baris {row} `{name}` ({condition}) tidak diuji oleh contoh mana pun",
        "en": "row {row} of `{name}` ({condition}) is exercised by no example",
    },
    "K521": {
        "id": "sel baris {row} × kolom {column} kuadran `{name}` tidak diuji oleh contoh mana pun",
        "en": "the cell at row {row} × column {column} of quadrant `{name}` is exercised by no example",
    },
    "K522": {
        "id": "pengecualian `{name}` tidak diuji oleh contoh mana pun",
        "en": "exception `{name}` is exercised by no example",
    },
}
