"""The one catalogue of every sentence kinerja shows a person, in Indonesian and English.

Codes are stable: tools and tests rely on them. A message is a `str.format`
template; its arguments are named. Indonesian is the default language.
"""

from __future__ import annotations

import os

LANGUAGES = ("id", "en")

CATALOGUE: dict[str, dict[str, str]] = {
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
        "id": "{axis} \"{label}\" ditulis dua kali dalam kuadran",
        "en": "{axis} \"{label}\" appears twice in the quadrant",
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
    "K220": {
        "id": "label \"{label}\" tidak ada pada {type}",
        "en": "label \"{label}\" is not in {type}",
    },
    "K221": {
        "id": "contoh mengharapkan `{name}` = none, tetapi `{name}` selalu ada (bukan definisi dengan `when` dan bukan masukan opsional)",
        "en": "the example expects `{name}` = none, but `{name}` is always present (not a definition with `when`, not an optional input)",
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
    # ------------------------------------------------------------ evaluation (K7xx)
    "K701": {
        "id": "pembagian dengan nol saat menghitung `{name}`",
        "en": "division by zero while computing `{name}`",
    },
    "K702": {
        "id": "`{name}` = {value}: tidak ada baris tabel yang cocok",
        "en": "`{name}` = {value}: no table row matches",
    },
    "K703": {
        "id": "`{name}` = {value}: lebih dari satu baris cocok ({rows}) padahal kebijakan `hit unique`",
        "en": "`{name}` = {value}: more than one row matches ({rows}) under `hit unique`",
    },
    "K704": {
        "id": "masukan opsional `{field}` tidak diberikan tetapi diperlukan untuk `{name}`",
        "en": "optional input `{field}` is not given but is needed for `{name}`",
    },
    "K705": {
        "id": "kuadran `{name}`: tidak ada sel untuk baris {row} dan kolom {column}",
        "en": "quadrant `{name}`: no cell for row {row} and column {column}",
    },
    "K706": {
        "id": "bobot `{name}`: tidak ada cabang yang syaratnya terpenuhi",
        "en": "weight set `{name}`: no branch's condition holds",
    },
    "K707": {
        "id": "`{name}`: daftar kosong, {function} tidak terdefinisi",
        "en": "`{name}`: the list is empty, so {function} is undefined",
    },
    "K708": {
        "id": "`{field}` tidak berlaku untuk rekaman ini (syarat `{condition}` tidak terpenuhi) tetapi diperlukan untuk `{name}`",
        "en": "`{field}` does not apply to this record (condition `{condition}` does not hold) but is needed for `{name}`",
    },
    # ------------------------------------------------------------ loading (K8xx)
    "K801": {
        "id": "aturan `{ref}` tidak ditemukan; yang tersedia: {known}",
        "en": "ruleset `{ref}` not found; available: {known}",
    },
    "K804": {
        "id": "berkas aturan `{path}` tidak ada",
        "en": "ruleset file `{path}` does not exist",
    },
    "K802": {
        "id": "berkas masukan tidak dapat dibaca: {problem}",
        "en": "the input file cannot be read: {problem}",
    },
    "K803": {
        "id": "tidak ada versi `{id}` yang berlaku pada {date}",
        "en": "no version of `{id}` is in force on {date}",
    },
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
    # ------------------------------------------------------------ end of static analysis (K5xx)
    # ------------------------------------------------------------ versions, diff, impact, explain (K9xx, X_*)
    "K901": {
        "id": "`override {kind}` mengubah `{name}`, yang tidak ada pada aturan induk",
        "en": "`override {kind}` changes `{name}`, which the base ruleset does not have",
    },
    "K902": {
        "id": "rantai `extends` berputar: {chain}",
        "en": "the `extends` chain loops: {chain}",
    },
    "K903": {
        "id": "`{name}` sudah dideklarasikan oleh aturan induk {base}; gunakan `override` untuk mengubahnya",
        "en": "`{name}` is already declared by the base ruleset {base}; use `override` to change it",
    },
    "K904": {
        "id": "masa berlaku {ref} ({period}) tumpang tindih dengan {other} ({other_period})",
        "en": "the effective period of {ref} ({period}) overlaps {other} ({other_period})",
    },
    "K905": {
        "id": "`override` hanya berlaku pada aturan yang memakai `extends`",
        "en": "`override` is only allowed in a ruleset that `extends` another",
    },
    "X_AS_OF": {
        "id": "memakai {ref}, yang berlaku pada {date}{via}",
        "en": "using {ref}, in force on {date}{via}",
    },
    "X_AS_OF_VIA": {
        "id": " (menggantikan {old})",
        "en": " (it supersedes {old})",
    },
    # diff (engine/diff.py)
    "X_DIFF_TITLE": {"id": "Perbedaan makna dari {old} ke {new}", "en": "Changes in meaning from {old} to {new}"},
    "X_DIFF_FINGERPRINTS": {"id": "sidik jari: {old} → {new}", "en": "fingerprints: {old} → {new}"},
    "X_DIFF_SAME": {"id": "tidak ada perubahan makna", "en": "no change in meaning"},
    "X_DIFF_COUNT": {"id": "{count} perubahan makna:", "en": "{count} changes in meaning:"},
    "X_DIFF_CITES": {"id": "dasar lama: {old} | dasar baru: {new}", "en": "old citation: {old} | new citation: {new}"},
    "X_DIFF_HEADER": {"id": "kepala aturan, `{field}`: {old} → {new}", "en": "header `{field}`: {old} → {new}"},
    "X_DIFF_ADDED": {"id": "{kind} `{name}` ditambahkan", "en": "{kind} `{name}` added"},
    "X_DIFF_REMOVED": {"id": "{kind} `{name}` dihapus", "en": "{kind} `{name}` removed"},
    "X_DIFF_CHANGED": {"id": "{kind} `{name}` berubah", "en": "{kind} `{name}` changed"},
    "X_DIFF_REKINDED": {"id": "`{name}` semula {old}, kini {new}", "en": "`{name}` was a {old}, is now a {new}"},
    "X_DIFF_INPUT_ADDED": {"id": "masukan `{name}` ditambahkan: {type}", "en": "input `{name}` added: {type}"},
    "X_DIFF_INPUT_REMOVED": {"id": "masukan `{name}` dihapus (semula {type})", "en": "input `{name}` removed (was {type})"},
    "X_DIFF_RETYPED": {"id": "tipe `{name}` berubah: {old} → {new}", "en": "`{name}` re-typed: {old} → {new}"},
    "X_DIFF_RANGE": {"id": "rentang `{name}` berubah: {old} → {new}", "en": "`{name}` re-ranged: {old} → {new}"},
    "X_DIFF_PLACES": {"id": "angka desimal `{name}` berubah: {old} → {new}", "en": "decimal places of `{name}`: {old} → {new}"},
    "X_DIFF_LABELS": {
        "id": "label `{name}` berubah: ditambahkan {added}; dihapus {removed}",
        "en": "labels of `{name}` changed: added {added}; removed {removed}",
    },
    "X_DIFF_SCALE_ORDER": {"id": "urutan skala `{name}` berubah: {old} → {new}", "en": "order of scale `{name}` changed: {old} → {new}"},
    "X_DIFF_OPTIONAL": {"id": "masukan `{name}`: {old} → {new}", "en": "input `{name}`: {old} → {new}"},
    "X_DIFF_DEFAULT": {"id": "nilai bawaan `{name}` berubah: {old} → {new}", "en": "default of `{name}` changed: {old} → {new}"},
    "X_DIFF_DESCRIPTION": {"id": "uraian {what} berubah: {old} → {new}", "en": "description of {what} changed: {old} → {new}"},
    "X_DIFF_CITATIONS": {"id": "dasar hukum {what} berubah: {old} → {new}", "en": "citations of {what} changed: {old} → {new}"},
    "X_DIFF_NOTE_ADDED": {"id": "catatan asumsi pada {what} ditambahkan: {note}", "en": "assumption note on {what} added: {note}"},
    "X_DIFF_NOTE_REMOVED": {"id": "catatan asumsi pada {what} dihapus: {note}", "en": "assumption note on {what} removed: {note}"},
    "X_DIFF_FORMULA": {"id": "rumus `{name}` berubah: {old} → {new}", "en": "formula of `{name}` changed: {old} → {new}"},
    "X_DIFF_WEIGHT": {
        "id": "bobot `{name}`, cabang `{branch}`: {part} {old} → {new}",
        "en": "weight set `{name}`, branch `{branch}`: {part} {old} → {new}",
    },
    "X_DIFF_BRANCH_ADDED": {
        "id": "bobot `{name}`: cabang `{branch}` ditambahkan ({parts})",
        "en": "weight set `{name}`: branch `{branch}` added ({parts})",
    },
    "X_DIFF_BRANCH_REMOVED": {
        "id": "bobot `{name}`: cabang `{branch}` dihapus (semula {parts})",
        "en": "weight set `{name}`: branch `{branch}` removed (was {parts})",
    },
    "X_DIFF_BRANCH_ORDER": {
        "id": "bobot `{name}`: urutan cabang berubah: {old} → {new}",
        "en": "weight set `{name}`: branch order changed: {old} → {new}",
    },
    "X_DIFF_SUBJECT": {"id": "tabel `{name}` kini menilai {new} (semula {old})", "en": "table `{name}` now looks at {new} (was {old})"},
    "X_DIFF_APPLIES_ADDED": {"id": "`{name}` kini hanya berlaku bila {condition}", "en": "`{name}` now applies only when {condition}"},
    "X_DIFF_APPLIES_REMOVED": {
        "id": "`{name}` kini berlaku untuk setiap rekaman (semula hanya bila {condition})",
        "en": "`{name}` now applies to every record (was only when {condition})",
    },
    "X_DIFF_APPLIES_CHANGED": {"id": "syarat berlaku `{name}`: {old} → {new}", "en": "condition for `{name}` to apply: {old} → {new}"},
    "X_DIFF_HIT": {"id": "kebijakan baris tabel `{name}`: hit {old} → hit {new}", "en": "hit policy of table `{name}`: {old} → {new}"},
    "X_DIFF_ROW_CHANGED": {"id": "tabel `{name}`: baris `{old}` menjadi `{new}`", "en": "table `{name}`: row `{old}` becomes `{new}`"},
    "X_DIFF_ROW_ADDED": {"id": "tabel `{name}`: baris `{row}` ditambahkan", "en": "table `{name}`: row `{row}` added"},
    "X_DIFF_ROW_REMOVED": {"id": "tabel `{name}`: baris `{row}` dihapus", "en": "table `{name}`: row `{row}` removed"},
    "X_DIFF_ROW_ORDER": {"id": "tabel `{name}`: urutan baris berubah", "en": "table `{name}`: row order changed"},
    "X_DIFF_DESCRIPTOR": {
        "id": "rubrik `{name}`, baris `{row}`: deskripsi {old} → {new}",
        "en": "rubric `{name}`, row `{row}`: descriptor {old} → {new}",
    },
    "X_DIFF_REGION": {
        "id": "{subject} di {region}{when}: berpindah dari {old} ke {new}",
        "en": "{subject} in {region}{when} moves from {old} to {new}",
    },
    "X_DIFF_POINT": {
        "id": "{subject} = {region}{when}: berpindah dari {old} ke {new}",
        "en": "{subject} = {region}{when} moves from {old} to {new}",
    },
    "X_DIFF_WHEN": {"id": " bila {condition}", "en": " when {condition}"},
    "X_DIFF_AXIS": {"id": "kuadran `{name}`, {axis}: {old} → {new}", "en": "quadrant `{name}`, {axis}: {old} → {new}"},
    "X_DIFF_CELL": {
        "id": "kuadran `{name}`: baris {row} × kolom {column}: {old} → {new}",
        "en": "quadrant `{name}`: row {row} × column {column}: {old} → {new}",
    },
    "X_DIFF_COLUMN_ADDED": {"id": "kuadran `{name}`: kolom {column} ditambahkan", "en": "quadrant `{name}`: column {column} added"},
    "X_DIFF_COLUMN_REMOVED": {"id": "kuadran `{name}`: kolom {column} dihapus", "en": "quadrant `{name}`: column {column} removed"},
    "X_DIFF_QROW_ADDED": {"id": "kuadran `{name}`: baris {row} ditambahkan ({cells})", "en": "quadrant `{name}`: row {row} added ({cells})"},
    "X_DIFF_QROW_REMOVED": {"id": "kuadran `{name}`: baris {row} dihapus", "en": "quadrant `{name}`: row {row} removed"},
    "X_DIFF_EXCEPTION_ADDED": {
        "id": "pengecualian `{name}` atas `{target}` ditambahkan: bila {when} maka {then}",
        "en": "exception `{name}` on `{target}` added: when {when} then {then}",
    },
    "X_DIFF_EXCEPTION_REMOVED": {
        "id": "pengecualian `{name}` atas `{target}` dihapus (semula: bila {when} maka {then})",
        "en": "exception `{name}` on `{target}` removed (was: when {when} then {then})",
    },
    "X_DIFF_EXCEPTION_TARGET": {"id": "pengecualian `{name}` kini mengganti `{new}` (semula `{old}`)", "en": "exception `{name}` now overrides `{new}` (was `{old}`)"},
    "X_DIFF_EXCEPTION_PRIORITY": {"id": "prioritas pengecualian `{name}`: {old} → {new}", "en": "priority of exception `{name}`: {old} → {new}"},
    "X_DIFF_EXCEPTION_WHEN": {"id": "syarat pengecualian `{name}`: {old} → {new}", "en": "condition of exception `{name}`: {old} → {new}"},
    "X_DIFF_EXCEPTION_THEN": {"id": "hasil pengecualian `{name}`: {old} → {new}", "en": "result of exception `{name}`: {old} → {new}"},
    "X_DIFF_OUTPUT_ADDED": {"id": "keluaran `{name}` ditambahkan", "en": "output `{name}` added"},
    "X_DIFF_OUTPUT_REMOVED": {"id": "keluaran `{name}` dihapus", "en": "output `{name}` removed"},
    "X_LOC_HEADER": {"id": "kepala aturan", "en": "the header"},
    "X_LOC_OUTPUT": {"id": "keluaran `{name}`", "en": "output `{name}`"},
    "X_LOC_BRANCH": {"id": "bobot `{name}` cabang `{branch}`", "en": "weight set `{name}` branch `{branch}`"},
    "X_LOC_ROW": {"id": "`{name}` baris `{row}`", "en": "`{name}` row `{row}`"},
    "X_LOC_QROW": {"id": "kuadran `{name}` baris {row}", "en": "quadrant `{name}` row {row}"},
    "X_LOC_ROWS": {"id": "sumbu baris", "en": "row axis"},
    "X_LOC_COLUMNS": {"id": "sumbu kolom", "en": "column axis"},
    "X_LOC_EXCEPTION": {"id": "pengecualian `{name}`", "en": "exception `{name}`"},
    "X_KIND_TYPE": {"id": "tipe", "en": "type"},
    "X_KIND_INPUT": {"id": "masukan", "en": "input"},
    "X_KIND_VALUE": {"id": "nilai", "en": "value"},
    "X_KIND_WEIGHTS": {"id": "bobot", "en": "weight set"},
    "X_KIND_TABLE": {"id": "tabel", "en": "table"},
    "X_KIND_RUBRIC": {"id": "rubrik", "en": "rubric"},
    "X_KIND_QUADRANT": {"id": "kuadran", "en": "quadrant"},
    "X_KIND_EXCEPTION": {"id": "pengecualian", "en": "exception"},
    "X_KIND_OUTPUT": {"id": "keluaran", "en": "output"},
    "X_KIND_DISTRIBUTION": {"id": "aturan distribusi", "en": "distribution rule"},
    "X_KIND_OVERRIDE": {"id": "penggantian", "en": "override"},
    "X_KIND_EXAMPLE": {"id": "contoh", "en": "example"},
    "X_WORD_NONE": {"id": "(tidak ada)", "en": "(none)"},
    "X_WORD_NO_ROW": {"id": "(tidak ada baris yang cocok)", "en": "(no row matches)"},
    "X_WORD_AMBIGUOUS": {"id": "(lebih dari satu baris cocok)", "en": "(more than one row matches)"},
    "X_WORD_OPTIONAL": {"id": "opsional", "en": "optional"},
    "X_WORD_REQUIRED": {"id": "wajib", "en": "required"},
    # impact (engine/impact.py)
    "X_IMPACT_TITLE": {"id": "Dampak perubahan dari {old} ke {new}", "en": "Impact of moving from {old} to {new}"},
    "X_IMPACT_SUMMARY": {
        "id": "{rows} baris; {changed} berubah hasilnya; {invalid} tidak sah pada salah satu versi (lama: {invalid_old}, baru: {invalid_new})",
        "en": "{rows} rows; {changed} with changed outputs; {invalid} invalid under either version (old: {invalid_old}, new: {invalid_new})",
    },
    "X_IMPACT_MATRIX": {"id": "Perpindahan {output} (lama → baru: jumlah):", "en": "Transitions of {output} (old → new: count):"},
    "X_IMPACT_CHANGED_IDS": {"id": "Baris yang berubah: {ids}{more}", "en": "Changed rows: {ids}{more}"},
    "X_IMPACT_MORE": {"id": " … dan {count} lainnya", "en": " … and {count} more"},
    "X_IMPACT_INVALID": {"id": "Baris tidak sah ({count}):", "en": "Invalid rows ({count}):"},
    # explain (engine/explain.py)
    "X_EXPLAIN_TITLE": {
        "id": "Penjelasan {title} menurut {regulation} ({ref})",
        "en": "Explanation of {title} under {regulation} ({ref})",
    },
    "X_EXPLAIN_FINGERPRINT": {"id": "Sidik jari aturan: {fingerprint}", "en": "Ruleset fingerprint: {fingerprint}"},
    "X_EXPLAIN_RULESET_NOTE": {"id": "Asumsi untuk seluruh aturan: {note}", "en": "Assumption for the whole ruleset: {note}"},
    "X_EXPLAIN_INPUTS": {"id": "Data yang dinilai:", "en": "The data appraised:"},
    "X_EXPLAIN_STEPS": {"id": "Perhitungan:", "en": "The computation:"},
    "X_EXPLAIN_BASIS": {"id": "Dasar: {citations}.", "en": "Basis: {citations}."},
    "X_EXPLAIN_NOTE": {"id": "Catatan asumsi: {note}", "en": "Assumption note: {note}"},
    "X_EXPLAIN_WEIGHTS_WHEN": {
        "id": "Bobot `{name}`: cabang `when {branch}` berlaku karena syaratnya terpenuhi ({condition}); bobotnya {parts}.",
        "en": "Weight set `{name}`: the branch `when {branch}` applies because its condition holds ({condition}); the weights are {parts}.",
    },
    "X_EXPLAIN_WEIGHTS_OTHERWISE": {
        "id": "Bobot `{name}`: cabang `otherwise` berlaku karena syarat cabang sebelumnya tidak terpenuhi ({conditions}); bobotnya {parts}.",
        "en": "Weight set `{name}`: the `otherwise` branch applies because no earlier branch's condition holds ({conditions}); the weights are {parts}.",
    },
    "X_EXPLAIN_WEIGHTS_ONLY": {"id": "Bobot `{name}`: {parts}.", "en": "Weight set `{name}`: {parts}."},
    "X_EXPLAIN_VALUE": {"id": "`{name}` dihitung dengan rumus {formula}", "en": "`{name}` is computed by the formula {formula}"},
    "X_EXPLAIN_TABLE": {
        "id": "`{name}`: {subject} memenuhi baris {row} (`{condition}`), sehingga {name} = {result}.",
        "en": "`{name}`: {subject} falls in row {row} (`{condition}`), so {name} = {result}.",
    },
    "X_EXPLAIN_ROW_SKIPPED": {
        "id": "Baris {row} (`{condition}`) tidak berlaku karena syaratnya tidak terpenuhi: {guard}.",
        "en": "Row {row} (`{condition}`) does not apply because its condition does not hold: {guard}.",
    },
    "X_EXPLAIN_DESCRIPTOR": {"id": "Deskripsi: {descriptor}", "en": "Descriptor: {descriptor}"},
    "X_EXPLAIN_QUADRANT": {
        "id": "`{name}`: {row} (baris) dan {column} (kolom) menunjuk sel {cell}, sehingga {name} = {result}.",
        "en": "`{name}`: {row} (row) and {column} (column) select the cell {cell}, so {name} = {result}.",
    },
    "X_EXPLAIN_EXCEPTION": {
        "id": "`{name}`: pengecualian `{exception}` (prioritas {priority}) berlaku karena syaratnya terpenuhi ({condition}), sehingga {name} = {result}.",
        "en": "`{name}`: exception `{exception}` (priority {priority}) applies because its condition holds ({condition}), so {name} = {result}.",
    },
    "X_EXPLAIN_GIVEN": {
        "id": "`{name}` = {value} diberikan sebagai masukan, tidak dihitung.",
        "en": "`{name}` = {value} was given as an input, not computed.",
    },
    "X_EXPLAIN_RESULT": {"id": "Hasil: {outputs}.", "en": "Result: {outputs}."},
    "X_EXPLAIN_NOT_APPLICABLE": {"id": "`{name}` tidak berlaku: {condition}", "en": "`{name}` does not apply: {condition}"},
    "X_WORD_NOT_APPLICABLE": {"id": "tidak berlaku", "en": "does not apply"},
    "X_WORD_ABSENT": {"id": "tidak diberikan", "en": "not given"},
    "X_WORD_TRUE": {"id": "ya", "en": "yes"},
    "X_WORD_FALSE": {"id": "tidak", "en": "no"},
    # ------------------------------------------------------------ batch and population rules (B_*)
    "B_USAGE_EXT": {
        "id": "{path}: ekstensi tidak dikenal; gunakan .csv, .jsonl atau .xlsx",
        "en": "{path}: unknown extension; use .csv, .jsonl or .xlsx",
    },
    "B_USAGE_MAP": {"id": "--map {item}: tulis masukan=kolom", "en": "--map {item}: write input=column"},
    "B_USAGE_MAP_INPUT": {
        "id": "--map {item}: `{name}` bukan masukan {ruleset}; masukannya: {known}",
        "en": "--map {item}: `{name}` is not an input of {ruleset}; its inputs: {known}",
    },
    "B_USAGE_COLUMN": {
        "id": "kolom `{column}` ({option}) tidak ada di baris judul {path}; kolomnya: {known}",
        "en": "column `{column}` ({option}) is not in the header of {path}; its columns: {known}",
    },
    "B_USAGE_CHUNK": {"id": "--chunk-size paling sedikit 1", "en": "--chunk-size must be at least 1"},
    "B_READ": {"id": "{path}: tidak dapat dibaca: {problem}", "en": "{path}: cannot be read: {problem}"},
    "B_ROW_CELLS": {
        "id": "baris {line}: {found} sel, sedangkan baris judul {expected} kolom",
        "en": "line {line}: {found} cells where the header has {expected} columns",
    },
    "B_ROW_DECODE": {
        "id": "baris {line}: memuat byte yang bukan UTF-8 (ditampilkan sebagai �)",
        "en": "line {line}: holds bytes that are not UTF-8 (shown as �)",
    },
    "B_ROW_CSV": {"id": "baris {line}: CSV rusak: {problem}", "en": "line {line}: broken CSV: {problem}"},
    "B_ROW_JSON": {
        "id": "baris {line}: bukan objek JSON: {problem}",
        "en": "line {line}: not a JSON object: {problem}",
    },
    "B_SUMMARY_TITLE": {
        "id": "Penilaian massal dengan {ruleset} (sidik jari {fingerprint})",
        "en": "Batch scoring with {ruleset} (fingerprint {fingerprint})",
    },
    "B_SUMMARY_ROWS": {
        "id": "{rows} baris, {errors} dengan galat → {output}",
        "en": "{rows} rows, {errors} with errors → {output}",
    },
    "B_SUMMARY_COUNTS": {"id": "Jumlah per nilai {output}:", "en": "Count per value of {output}:"},
    "B_SUMMARY_ERRORS": {"id": "Baris dengan galat (pertama {count}):", "en": "Rows with errors (first {count}):"},
    "B_WORD_ERRORS": {"id": "galat", "en": "errors"},
    "B_POP_TITLE": {
        "id": "Kurva distribusi {name}: {output} menurut {by}, per {group_by}",
        "en": "Distribution {name}: {output} by {by}, per {group_by}",
    },
    "B_POP_SUMMARY": {
        "id": "{groups} unit: {ok} sesuai, {bad} tidak sesuai, {unknown} tidak dapat dinilai",
        "en": "{groups} units: {ok} conform, {bad} do not, {unknown} not assessed",
    },
    "B_POP_GROUP": {"id": "{group} [{klass}]: {total} pegawai sah — {status}", "en": "{group} [{klass}]: {total} valid employees — {status}"},
    "B_POP_OK": {"id": "sesuai", "en": "conforms"},
    "B_POP_BAD": {"id": "TIDAK SESUAI", "en": "DOES NOT CONFORM"},
    "B_POP_NO_CLASS": {"id": "kelas unit ({by}) tidak diisi: tidak dinilai", "en": "unit class ({by}) not given: not assessed"},
    "B_POP_CONFLICT": {
        "id": "baris unit ini tidak sepakat tentang {by}: {classes}; tidak dinilai",
        "en": "the unit's rows disagree on {by}: {classes}; not assessed",
    },
    "B_POP_NO_RULE": {"id": "tidak ada kurva untuk kelas {klass}", "en": "no curve for class {klass}"},
    "B_POP_EMPTY": {"id": "tidak ada baris sah: tidak dinilai", "en": "no valid rows: not assessed"},
    "B_POP_NOT_OUTPUT": {
        "id": "`{output}` bukan keluaran aturan, sehingga kurva {name} tidak dapat dinilai",
        "en": "`{output}` is not an output of the ruleset, so curve {name} cannot be assessed",
    },
    "B_POP_NONE": {
        "id": "{ruleset} tidak memuat aturan distribusi: hanya jumlah per unit",
        "en": "{ruleset} declares no distribution rule: counts per unit only",
    },
    "B_POP_SHARE_OK": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: terpenuhi",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: met",
    },
    "B_POP_SHARE_HIGH": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: kelebihan {missed} pegawai",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: {missed} {employees} too many",
    },
    "B_POP_SHARE_LOW": {
        "id": "{labels}: {count} dari {total} = {percent} {sign} {limit}: kekurangan {missed} pegawai",
        "en": "{labels}: {count} of {total} = {percent} {sign} {limit}: {missed} {employees} too few",
    },
    "B_POP_MOST_OK": {
        "id": "{labels} terbanyak: {count} dari {total}",
        "en": "{labels} holds the largest share: {count} of {total}",
    },
    "B_POP_MOST_BAD": {
        "id": "{labels} bukan yang terbanyak: {count} dari {total}, sedangkan {other} {other_count}: kekurangan {missed} pegawai",
        "en": "{labels} does not hold the largest share: {count} of {total}, {other} has {other_count}: {missed} {employees} short",
    },
    "B_POP_COUNT_OK": {
        "id": "sekurang-kurangnya {amount} dari {labels}: ada {count}",
        "en": "at least {amount} of {labels}: {count} found",
    },
    "B_POP_COUNT_BAD": {
        "id": "sekurang-kurangnya {amount} dari {labels}: ada {count}, kekurangan {missed} pegawai",
        "en": "at least {amount} of {labels}: {count} found, {missed} {employees} short",
    },
    "B_POP_INVALID": {
        "id": "baris tidak sah, tidak dihitung ({count}): {ids}{more}",
        "en": "invalid rows, not counted ({count}): {ids}{more}",
    },
    "B_POP_MORE": {"id": " … dan {count} lainnya", "en": " … and {count} more"},
    "B_POP_EMPTY_GROUP": {"id": "(kosong)", "en": "(empty)"},
    "B_EMPLOYEE": {"id": "pegawai", "en": "employee"},
    "B_EMPLOYEES": {"id": "pegawai", "en": "employees"},
    # ------------------------------------------------------------ documents and schema (D_*)
    "D_SCHEMA_OTHER": {
        "id": "masukan `{field}` = {value} tidak memenuhi skema (kata kunci `{keyword}`)",
        "en": "input `{field}` = {value} does not fit the schema (keyword `{keyword}`)",
    },
    "D_H_HEADER": {"id": "Identitas aturan", "en": "About this ruleset"},
    "D_H_TYPES": {"id": "Tipe", "en": "Types"},
    "D_H_INPUTS": {"id": "Masukan", "en": "Inputs"},
    "D_H_WEIGHTS": {"id": "Bobot", "en": "Weights"},
    "D_H_VALUES": {"id": "Nilai turunan", "en": "Derived values"},
    "D_H_TABLES": {"id": "Tabel dan rubrik", "en": "Tables and rubrics"},
    "D_H_QUADRANTS": {"id": "Kuadran", "en": "Quadrants"},
    "D_H_EXCEPTIONS": {"id": "Pengecualian", "en": "Exceptions"},
    "D_H_DISTRIBUTIONS": {"id": "Aturan distribusi (populasi)", "en": "Distribution rules (population)"},
    "D_H_OVERRIDES": {"id": "Penggantian atas aturan dasar", "en": "Overrides of the base ruleset"},
    "D_H_OUTPUTS": {"id": "Keluaran", "en": "Outputs"},
    "D_H_EXAMPLES": {"id": "Contoh", "en": "Examples"},
    "D_L_REGULATION": {"id": "Peraturan", "en": "Regulation"},
    "D_L_SHORT": {"id": "Dikutip sebagai", "en": "Cited as"},
    "D_L_ID": {"id": "Id aturan", "en": "Ruleset id"},
    "D_L_VERSION": {"id": "Versi", "en": "Version"},
    "D_L_EFFECTIVE": {"id": "Masa berlaku", "en": "In force"},
    "D_L_FINGERPRINT": {"id": "Sidik jari", "en": "Fingerprint"},
    "D_L_EXTENDS": {"id": "Memperluas", "en": "Extends"},
    "D_L_SUPERSEDES": {"id": "Menggantikan", "en": "Supersedes"},
    "D_L_BASIS": {"id": "Dasar hukum", "en": "Legal basis"},
    "D_EFFECTIVE_RANGE": {"id": "{start} s.d. {until}", "en": "{start} to {until}"},
    "D_EFFECTIVE_FROM": {"id": "sejak {start}", "en": "from {start}"},
    "D_EFFECTIVE_UNTIL": {"id": "sampai {until}", "en": "until {until}"},
    "D_EFFECTIVE_OPEN": {"id": "tidak dibatasi tanggal", "en": "no dates stated"},
    "D_NOTE": {"id": "Asumsi:", "en": "Assumption:"},
    "D_NOTES_SUMMARY": {
        "id": "Aturan ini memuat {count} asumsi tertulis; setiap asumsi ditandai \u201cAsumsi:\u201d di samping aturannya.",
        "en": "This ruleset records {count} written assumptions; each is marked \u201cAssumption:\u201d beside its rule.",
    },
    "D_C_NAME": {"id": "Nama", "en": "Name"},
    "D_C_MEANING": {"id": "Arti", "en": "Meaning"},
    "D_C_TYPE": {"id": "Tipe dan rentang", "en": "Type and range"},
    "D_C_DEFAULT": {"id": "Bila tidak diisi", "en": "If not given"},
    "D_C_BASIS": {"id": "Dasar hukum dan asumsi", "en": "Legal basis and assumptions"},
    "D_C_NUMBER": {"id": "No.", "en": "No."},
    "D_C_CONDITION": {"id": "Syarat", "en": "Condition"},
    "D_C_GUARD": {"id": "Syarat tambahan", "en": "Guard"},
    "D_C_RESULT": {"id": "Hasil", "en": "Result"},
    "D_C_DESCRIPTOR": {"id": "Uraian", "en": "Descriptor"},
    "D_C_PARTS": {"id": "Bobot", "en": "Weights"},
    "D_C_FORMULA": {"id": "Rumus", "en": "Formula"},
    "D_C_TARGET": {"id": "Mengganti", "en": "Overrides"},
    "D_C_PRIORITY": {"id": "Prioritas", "en": "Priority"},
    "D_C_WHEN": {"id": "Bila", "en": "When"},
    "D_C_THEN": {"id": "Maka", "en": "Then"},
    "D_C_CLASS": {"id": "Kelas unit", "en": "Unit class"},
    "D_C_RULES": {"id": "Ketentuan", "en": "Constraints"},
    "D_C_KIND": {"id": "Jenis", "en": "Kind"},
    "D_C_TITLE": {"id": "Judul", "en": "Title"},
    "D_C_GIVEN": {"id": "Diberikan", "en": "Given"},
    "D_C_EXPECT": {"id": "Diharapkan", "en": "Expected"},
    "D_W_OTHERWISE": {"id": "selain itu", "en": "otherwise"},
    "D_W_ALWAYS": {"id": "selalu", "en": "always"},
    "D_W_OPTIONAL": {"id": "boleh tidak diisi", "en": "may be absent"},
    "D_W_REQUIRED": {"id": "wajib diisi", "en": "required"},
    "D_W_INVALID": {"id": "ditolak: {names}", "en": "rejected: {names}"},
    "D_W_EMPTY_CELL": {"id": "(sengaja kosong)", "en": "(empty on purpose)"},
    "D_W_NONE": {"id": "\u2014", "en": "\u2014"},
    "D_T_DECIMAL": {"id": "desimal {range}", "en": "decimal {range}"},
    "D_T_PLACES": {"id": "paling banyak {places} angka di belakang koma", "en": "at most {places} decimal places"},
    "D_T_INTEGER": {"id": "bilangan bulat {range}", "en": "whole number {range}"},
    "D_T_NUMBER": {"id": "angka", "en": "number"},
    "D_T_BOOLEAN": {"id": "ya/tidak (true/false)", "en": "yes/no (true/false)"},
    "D_T_ENUM": {"id": "salah satu dari: {labels}", "en": "one of: {labels}"},
    "D_T_SCALE": {"id": "skala, dari terendah ke tertinggi: {labels}", "en": "scale, lowest to highest: {labels}"},
    "D_T_LIST": {"id": "daftar rekaman, masing-masing: {fields}", "en": "list of records, each: {fields}"},
    "D_T_NAMED": {"id": "{name}: {text}", "en": "{name}: {text}"},
    "D_TABLE_ON": {"id": "Ditentukan dari {subject}.", "en": "Decided from {subject}."},
    "D_APPLIES_LEAD": {"id": "Hanya berlaku bila", "en": "Applies only when"},
    "D_APPLIES_TAIL": {
        "id": "\u2014 selain itu tidak berlaku: tidak dinilai dan nilainya kosong.",
        "en": "\u2014 otherwise it does not apply: it is not assessed and its value is left empty.",
    },
    "D_HIT_FIRST": {"id": "Baris pertama yang cocok berlaku.", "en": "The first matching row applies."},
    "D_HIT_UNIQUE": {"id": "Tepat satu baris boleh cocok.", "en": "Exactly one row may match."},
    "D_KIND_TABLE": {"id": "tabel", "en": "table"},
    "D_KIND_RUBRIC": {"id": "rubrik", "en": "rubric"},
    "D_Q_AXES": {
        "id": "Baris: {rows}. Kolom: {columns}.",
        "en": "Rows: {rows}. Columns: {columns}.",
    },
    "D_Q_CORNER": {"id": "{rows} \u2193 / {columns} \u2192", "en": "{rows} \u2193 / {columns} \u2192"},
    "D_EXCEPTION_META": {
        "id": "Bila syarat pengecualian terpenuhi, hasilnya menggantikan hasil yang disebut pada kolom Mengganti; prioritas tertinggi dicoba lebih dulu.",
        "en": "When an exception's condition holds, its result replaces the result named under Overrides; the highest priority is tried first.",
    },
    "D_DIST_META": {
        "id": "Membatasi sebaran `{output}` di dalam satu unit menurut `{by}`; tidak mengubah hasil perorangan.",
        "en": "Constrains the spread of `{output}` within one unit by `{by}`; never changes an individual result.",
    },
    "D_RULE_MOST": {"id": "terbanyak: {labels}", "en": "the largest share: {labels}"},
    "D_RULE_SHARE": {"id": "porsi {labels} {op} {amount}", "en": "share of {labels} {op} {amount}"},
    "D_RULE_COUNT": {"id": "sekurang-kurangnya {amount} pegawai {labels}", "en": "at least {amount} of {labels}"},
    "D_GENERATED": {
        "id": "Dibuat oleh kinerja dari {ruleset}; sidik jari {fingerprint}.",
        "en": "Generated by kinerja from {ruleset}; fingerprint {fingerprint}.",
    },
    # end of documents and schema (D_*)
    # formatter (F_*)
    "F_WOULD_CHANGE": {"id": "{path}: akan dirapikan", "en": "{path}: would be reformatted"},
    "F_CHANGED": {"id": "{path}: dirapikan", "en": "{path}: reformatted"},
    "F_TALLY_CHECK": {
        "id": "{changed} dari {total} berkas akan dirapikan",
        "en": "{changed} of {total} files would be reformatted",
    },
    "F_TALLY": {"id": "{changed} dari {total} berkas dirapikan", "en": "{changed} of {total} files reformatted"},
    "F_UNREADABLE": {"id": "{path}: tidak dapat dibaca: {reason}", "en": "{path}: cannot be read: {reason}"},
    # ------------------------------------------------------------ command line (C_*): help summaries and tallies
    "C_help_main": {
        "id": "kinerja: aturan penilaian kinerja ASN sebagai kode yang berversi, diperiksa dan dapat dijalankan.",
        "en": "kinerja: civil-servant appraisal regulations as versioned, checked, executable rulesets.",
    },
    "C_help_eval": {
        "id": "Menilai satu rekaman (berkas JSON/YAML, atau - untuk stdin) dengan RULESET (id, id@versi atau path).",
        "en": "Evaluate one record (JSON/YAML file, or - for stdin) with RULESET (id, id@version or path).",
    },
    "C_help_check": {
        "id": "Memeriksa aturan: sintaks, nama, tipe, label, bobot, celah dan tumpang tindih; keluar 1 bila ada galat.",
        "en": "Check rulesets: syntax, names, types, labels, weights, gaps and overlaps; exit 1 on any error.",
    },
    "C_help_test": {
        "id": "Menjalankan contoh di dalam aturan (semua aturan bawaan bila tidak disebut).",
        "en": "Run the examples inside rulesets (all shipped rulesets by default).",
    },
    "C_help_list": {
        "id": "Aturan bawaan dengan versi, judul, dasar hukum dan tanggal berlaku.",
        "en": "Shipped rulesets with version, title, legal source and effective dates.",
    },
    "C_help_diff": {
        "id": "Perubahan makna dari OLD ke NEW (id, id@versi atau path).",
        "en": "What changed in meaning from OLD to NEW (id, id@version or path).",
    },
    "C_help_impact": {
        "id": "Menilai OLD dan NEW pada setiap baris POPULATION (CSV, JSONL, XLSX): siapa berpindah ke mana.",
        "en": "Evaluate OLD and NEW on every row of POPULATION (CSV, JSONL, XLSX): who moves where.",
    },
    "C_help_explain": {
        "id": "Menjelaskan, dengan kalimat yang dapat dibacakan, bagaimana RULESET menilai INPUT.",
        "en": "Explain, in words an officer can read aloud, how RULESET rates INPUT.",
    },
    "C_help_fmt": {
        "id": "Merapikan berkas aturan ke satu tata letak baku (komentar tetap); --check keluar 1 bila ada yang berubah.",
        "en": "Rewrite ruleset files in the one canonical layout (comments kept); --check exits 1 if any would change.",
    },
    "C_help_batch": {
        "id": "Menilai seluruh baris INPUT (CSV, JSONL, XLSX) ke OUTPUT: satu baris keluaran per baris masukan.",
        "en": "Score every row of INPUT (CSV, JSONL, XLSX) into OUTPUT: one output row per input row.",
    },
    "C_help_schema": {
        "id": "JSON Schema (draft 2020-12) masukan atau keluaran sebuah aturan.",
        "en": "The JSON Schema (draft 2020-12) of a ruleset's input or output.",
    },
    "C_help_doc": {
        "id": "Aturan sebagai dokumen untuk dibaca orang (Markdown atau HTML mandiri).",
        "en": "The ruleset as a document for people (Markdown or self-contained HTML).",
    },
    "C_tally_check": {"id": "{errors} galat, {warnings} peringatan", "en": "{errors} errors, {warnings} warnings"},
    "C_fail": {"id": "GAGAL", "en": "FAIL"},
    "C_word_ruleset": {"id": "Aturan", "en": "Ruleset"},
    "C_word_no_dates": {"id": "tanpa tanggal berlaku", "en": "no effective dates"},
    "C_word_fingerprint": {"id": "Sidik jari", "en": "Fingerprint"},
    "C_word_outputs": {"id": "Hasil", "en": "Outputs"},
    "C_word_trace": {"id": "Jejak perhitungan", "en": "Trace"},
    # ------------------------------------------------------------ suggestions and small words
    "did_you_mean": {"id": "maksud Anda `{name}`?", "en": "did you mean `{name}`?"},
    "did_you_mean_label": {"id": "maksud Anda \"{name}\"?", "en": "did you mean \"{name}\"?"},
    "error": {"id": "galat", "en": "error"},
    "warning": {"id": "peringatan", "en": "warning"},
    "info": {"id": "info", "en": "info"},
    "help": {"id": "saran", "en": "help"},
    "witness": {"id": "contoh nilai", "en": "witness"},
    "W_list_of_records": {"id": "daftar rekaman", "en": "a list of records"},
    "W_record": {"id": "rekaman {…}", "en": "a record {…}"},
    "W_named_inputs": {"id": "objek berisi masukan bernama", "en": "an object of named inputs"},
    # ------------------------------------------------------------ Kemenkeu succession (`--as-of` walking back)
    "X_AS_OF_BEFORE": {
        "id": " (digantikan oleh {new} sejak tanggal mulai berlakunya)",
        "en": " (superseded by {new} from its start date)",
    },
}


def default_language() -> str:
    """The language from the environment's LANG, falling back to Indonesian."""
    lang = (os.environ.get("KINERJA_LANG") or os.environ.get("LANG") or "").lower()
    if lang.startswith("en"):
        return "en"
    return "id"


class Term(str):
    """A message argument that is itself a catalogue entry, so it is said in the message's language."""

    __slots__ = ()


def message(code: str, lang: str | None = None, **args: object) -> str:
    entry = CATALOGUE[code]
    template = entry.get(lang or default_language()) or entry["id"]
    said = {k: message(v, lang) if isinstance(v, Term) else v for k, v in args.items()}
    return template.format(**said)
