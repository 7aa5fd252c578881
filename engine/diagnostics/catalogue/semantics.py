"""Names, types, weights and headers (K1xx–K4xx): the check stage."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ names (K1xx)
    "K101": {"id": "nama `{name}` tidak dikenal", "en": "unknown name `{name}`"},
    "K102": {
        "id": "`{name}` sudah dideklarasikan di baris {line}",
        "en": "`{name}` is already declared at line {line}",
    },
    "K103": {"id": "tipe `{name}` tidak dikenal", "en": "unknown type `{name}`"},
    "K104": {
        "id": "`{subject}` tidak memiliki bagian `{name}`; yang ada: {known}",
        "en": "`{subject}` has no part `{name}`; it has: {known}",
    },
    "K105": {"id": "fungsi `{name}` tidak dikenal", "en": "unknown function `{name}`"},
    "K106": {
        "id": "keluaran `{name}` tidak merujuk masukan, nilai, tabel atau kuadran mana pun",
        "en": "output `{name}` names no input, value, table or quadrant",
    },
    "K107": {
        "id": "pengecualian mengganti `{name}`, yang tidak dideklarasikan",
        "en": "the exception overrides `{name}`, which is not declared",
    },
    "K108": {
        "id": "contoh memberi masukan `{name}` yang tidak dideklarasikan",
        "en": "the example gives input `{name}`, which is not declared",
    },
    "K109": {
        "id": "contoh mengharapkan `{name}`, yang bukan keluaran atau nilai",
        "en": "the example expects `{name}`, which is not an output or value",
    },
    "K110": {
        "id": "`{name}` dipakai sebelum didefinisikan atau bergantung pada dirinya sendiri ({cycle})",
        "en": "`{name}` depends on itself ({cycle}); the language has no recursion",
    },
    "K111": {
        "id": "`{name}` adalah bobot; pakai salah satu bagiannya, misalnya `{name}.{first}`",
        "en": "`{name}` is a weight set; use one of its parts, e.g. `{name}.{first}`",
    },
    # ------------------------------------------------------------ types (K2xx)
    "K201": {
        "id": "operator `{op}` tidak dapat dipakai pada {left} dan {right}",
        "en": "operator `{op}` cannot be used on {left} and {right}",
    },
    "K202": {
        "id": "syarat harus bernilai benar/salah, tetapi ini {found}",
        "en": "a condition must be true/false, but this is {found}",
    },
    "K203": {
        "id": "label \"{label}\" tidak ada pada {type}; label yang ada: {known}",
        "en": "label \"{label}\" is not in {type}; its labels are: {known}",
    },
    "K204": {
        "id": "hasil baris ini {found}, sedangkan baris sebelumnya {expected}",
        "en": "this row gives {found}, but earlier rows give {expected}",
    },
    "K205": {
        "id": "cabang `then` memberi {left} tetapi cabang `else` memberi {right}",
        "en": "the `then` branch gives {left} but the `else` branch gives {right}",
    },
    "K206": {
        "id": "`{name}` memerlukan {expected} argumen, diberikan {found}",
        "en": "`{name}` takes {expected} arguments, {found} given",
    },
    "K207": {
        "id": "`{op}` membandingkan urutan, tetapi {type} tidak berurutan (pakai `scale`)",
        "en": "`{op}` compares order, but {type} has no order (declare it as a `scale`)",
    },
    "K208": {
        "id": "baris dengan interval memerlukan subjek angka, tetapi subjek tabel ini {found}",
        "en": "an interval row needs a numeric subject, but this table's subject is {found}",
    },
    "K209": {
        "id": "nilai bawaan {value} tidak sesuai dengan tipe {type}: {problem}",
        "en": "default {value} does not fit type {type}: {problem}",
    },
    "K210": {
        "id": "batas bawah {low} lebih besar dari batas atas {high}",
        "en": "the lower bound {low} is above the upper bound {high}",
    },
    "K211": {
        "id": "label sumbu \"{label}\" tidak ada pada {type}; label yang ada: {known}",
        "en": "axis label \"{label}\" is not in {type}; its labels are: {known}",
    },
    "K212": {
        "id": "baris kuadran \"{row}\" memiliki {found} sel, padahal ada {expected} kolom",
        "en": "quadrant row \"{row}\" has {found} cells, but there are {expected} columns",
    },
    "K213": {
        "id": "{axis} \"{label}\" ditulis dua kali",
        "en": "{axis} \"{label}\" appears twice",
    },
    "K214": {
        "id": "hasil pengecualian {found} tidak sesuai dengan `{target}` yang bertipe {expected}",
        "en": "the exception gives {found}, which does not fit `{target}` of type {expected}",
    },
    "K215": {
        "id": "`{name}` memerlukan daftar, tetapi ini {found}",
        "en": "`{name}` needs a list, but this is {found}",
    },
    "K216": {
        "id": "nilai dideklarasikan sebagai {expected} tetapi rumusnya memberi {found}",
        "en": "the value is declared as {expected} but its formula gives {found}",
    },
    "K217": {
        "id": "contoh memberi `{name}` = {value}: {problem}",
        "en": "the example gives `{name}` = {value}: {problem}",
    },
    "K218": {
        "id": "sumbu kuadran harus berupa label (enum/scale) atau angka, tetapi ini {found}",
        "en": "a quadrant axis must be labels (enum/scale) or a number, but this is {found}",
    },
    "K219": {
        "id": "baris dengan `=` memerlukan nilai bertipe sama dengan subjek ({expected}), tetapi ini {found}",
        "en": "an `=` row needs a value of the subject's type ({expected}), but this is {found}",
    },
    # K220 is retired (see RETIRED in catalogue/__init__.py): K203 says the same and lists the labels
    "K220": {
        "id": "label \"{label}\" tidak ada pada {type}",
        "en": "label \"{label}\" is not in {type}",
    },
    "K222": {
        "id": "`{name}` tidak memakai bobot `by`; hanya `weighted_mean` yang memakainya",
        "en": "`{name}` takes no `by` weight; only `weighted_mean` does",
    },
    "K223": {
        "id": "`{name}` memerlukan bobot: tulis `by` lalu bobotnya",
        "en": "`{name}` needs a weight: write `by` and the weight",
    },
    "K221": {
        "id": "contoh mengharapkan `{name}` = none, tetapi `{name}` selalu ada (bukan definisi dengan `when` dan bukan masukan opsional)",
        "en": "the example expects `{name}` = none, but `{name}` is always present (not a definition with `when`, not an optional input)",
    },
    "K249": {
        "id": "`given` menanyakan apakah suatu nilai bisa tidak ada, tetapi `{name}` selalu ada: pakai `given` untuk masukan opsional, field opsional, atau definisi dengan `when`",
        "en": "`given` asks whether a value may be absent, but `{name}` is always present: use `given` on an optional input, an optional field, or a definition with `when`",
    },
    "K250": {
        "id": "`{found}` bukan cara pembulatan; tulis salah satu dari {modes}",
        "en": "`{found}` is not a rounding mode; write one of {modes}",
    },
    # ------------------------------------------------------------ weights (K3xx)
    "K301": {
        "id": "bobot `{name}` berjumlah {total}, seharusnya tepat 100%",
        "en": "weight set `{name}` sums to {total}, not exactly 100%",
    },
    "K302": {
        "id": "cabang bobot ini memuat {found}, sedangkan cabang pertama memuat {expected}",
        "en": "this weight branch has {found}, but the first branch has {expected}",
    },
    "K303": {"id": "bagian bobot `{name}` ditulis dua kali", "en": "weight part `{name}` appears twice"},
    "K304": {
        "id": "bobot bersyarat `{name}` tidak memiliki cabang `otherwise` terakhir; pegawai yang tidak memenuhi syarat mana pun tidak memiliki bobot",
        "en": "conditional weight set `{name}` has no final `otherwise` branch; an employee who meets no condition has no weights",
    },
    "K305": {
        "id": "bobot {weight} berada di luar 0%–100%",
        "en": "weight {weight} is outside 0%–100%",
    },
    # ------------------------------------------------------------ header and files (K4xx)
    "K401": {
        "id": "tanggal berakhir {until} sebelum tanggal mulai berlaku {start}",
        "en": "the end date {until} is before the effective date {start}",
    },
    "K402": {
        "id": "nama berkas `{file}` tidak sesuai dengan kepala berkas `{id}@{version}`",
        "en": "the file name `{file}` does not match its header `{id}@{version}`",
    },
    "K403": {
        "id": "versi `{version}` bukan versi semantik (X.Y.Z)",
        "en": "version `{version}` is not a semantic version (X.Y.Z)",
    },
    # ------------------------------------------------------------ words inside the messages above
    "W_QUADRANT_ROW": {"id": "baris kuadran", "en": "quadrant row"},
    "W_QUADRANT_COLUMN": {"id": "kolom kuadran", "en": "quadrant column"},
    "W_DISTRIBUTION_CASE": {"id": "kasus distribusi `when`", "en": "distribution case `when`"},
    "W_PROBLEM_NOT_TYPE": {"id": "seharusnya {type}", "en": "expected {type}"},
    "W_PROBLEM_OUTSIDE": {"id": "di luar {type}", "en": "outside {type}"},
    "W_PROBLEM_NOT_WHOLE": {"id": "bukan bilangan bulat", "en": "not a whole number"},
    "W_PROBLEM_NOT_BOOLEAN": {"id": "seharusnya true atau false", "en": "expected true or false"},
    "W_PROBLEM_NOT_LABEL": {"id": "seharusnya salah satu dari {labels}", "en": "expected one of {labels}"},
}
