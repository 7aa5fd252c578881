"""Language server (L_*): hover, completion, quick fixes, code lenses and rename, in the editor's language."""

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ the command
    "C_help_lsp": {
        "id": "Menjalankan server bahasa (Language Server Protocol) lewat stdin/stdout untuk editor seperti VS Code.",
        "en": "Run the language server (Language Server Protocol) over stdin/stdout, for editors such as VS Code.",
    },
    "L_missing_packages": {
        "id": "server bahasa memerlukan paket tambahan ({problem}); pasang dengan: pip install 'kinerja[lsp]'",
        "en": "the language server needs extra packages ({problem}); install them with: pip install 'kinerja[lsp]'",
    },
    # ------------------------------------------------------------ what a name is (hover, completion, outline)
    "L_kind_type": {"id": "tipe", "en": "type"},
    "L_kind_input": {"id": "masukan", "en": "input"},
    "L_kind_value": {"id": "nilai turunan", "en": "value"},
    "L_kind_weights": {"id": "set bobot", "en": "weight set"},
    "L_kind_table": {"id": "tabel", "en": "table"},
    "L_kind_rubric": {"id": "rubrik", "en": "rubric"},
    "L_kind_quadrant": {"id": "kuadran", "en": "quadrant"},
    "L_kind_exception": {"id": "pengecualian", "en": "exception"},
    "L_kind_distribution": {"id": "aturan sebaran", "en": "population rule"},
    "L_kind_output": {"id": "hasil", "en": "output"},
    "L_kind_part": {"id": "bagian bobot", "en": "weight part"},
    "L_kind_keyword": {"id": "kata kunci", "en": "keyword"},
    "L_kind_builtin": {"id": "fungsi bawaan", "en": "built-in function"},
    "L_kind_label": {"id": "label {type}", "en": "label of {type}"},
    "L_kind_ruleset": {"id": "aturan", "en": "ruleset"},
    # ------------------------------------------------------------ hover
    "L_hover_type": {"id": "Tipe", "en": "Type"},
    "L_hover_formula": {"id": "Rumus", "en": "Formula"},
    "L_hover_cited": {"id": "Dasar", "en": "Cited"},
    "L_hover_notes": {"id": "Catatan", "en": "Notes"},
    "L_hover_labels": {"id": "Label", "en": "Labels"},
    "L_hover_optional": {"id": "opsional", "en": "optional"},
    "L_hover_default": {"id": "bawaan {value}", "en": "default {value}"},
    "L_hover_from_base": {"id": "dari aturan dasar `{ref}`", "en": "from the base ruleset `{ref}`"},
    "L_hover_table_on": {
        "id": "berdasarkan {subject} · {rows} baris · hit {hit}",
        "en": "on {subject} · {rows} rows · hit {hit}",
    },
    "L_hover_quadrant_axes": {"id": "baris {rows} × kolom {columns}", "en": "rows {rows} × columns {columns}"},
    "L_hover_applies": {"id": "berlaku bila {condition}", "en": "applies when {condition}"},
    "L_hover_exception": {
        "id": "mengganti `{target}` (prioritas {priority}) bila {condition}, menjadi {result}",
        "en": "overrides `{target}` (priority {priority}) when {condition}, with {result}",
    },
    "L_hover_row": {"id": "baris {row} `{name}`: {condition} → {result}", "en": "row {row} of `{name}`: {condition} → {result}"},
    "L_hover_cell": {
        "id": "sel {row} × {column} kuadran `{name}`: {value}",
        "en": "cell {row} × {column} of quadrant `{name}`: {value}",
    },
    "L_hover_matrix_row": {"id": "baris {row} kuadran `{name}`", "en": "row {row} of quadrant `{name}`"},
    "L_hover_no_citation": {"id": "tanpa kutipan pasal", "en": "no citation"},
    "L_hover_in_force": {"id": "Berlaku {start} – {until}", "en": "In force {start} – {until}"},
    "L_hover_no_dates": {"id": "tanpa tanggal berlaku", "en": "no effective dates"},
    "L_hover_ruleset_missing": {"id": "aturan `{ref}` tidak ditemukan", "en": "ruleset `{ref}` not found"},
    "L_hover_supersedes": {"id": "menggantikan `{ref}`", "en": "supersedes `{ref}`"},
    "L_hover_extends": {"id": "memperluas `{ref}`", "en": "extends `{ref}`"},
    # ------------------------------------------------------------ quick fixes
    "L_fix_replace": {"id": "Ganti {old} menjadi {new}", "en": "Change {old} to {new}"},
    "L_fix_example": {
        "id": "Jadikan contoh: {witness} → {target} = {result}",
        "en": "Turn the witness into an example: {witness} → {target} = {result}",
    },
    "L_fix_example_plain": {"id": "Jadikan contoh: {witness}", "en": "Turn the witness into an example: {witness}"},
    "L_fix_example_title": {"id": "Celah {finding}: {witness}", "en": "Hole {finding}: {witness}"},
    "L_fix_example_computed": {
        "id": "`{name}` dihitung dari masukan, sedangkan contoh hanya dapat memberi masukan",
        "en": "`{name}` is computed from inputs, and an example can only give inputs",
    },
    "L_fix_example_no_result": {
        "id": "tidak ada baris dengan hasil tetap yang dapat diharapkan",
        "en": "no row has a fixed result to expect",
    },
    "L_fix_quadrant_row": {
        "id": "Tambahkan baris {label} ke kuadran `{name}` (sel dikosongkan `-`)",
        "en": "Add the row {label} to quadrant `{name}` (cells left empty `-`)",
    },
    "L_fix_quadrant_column": {
        "id": "Tambahkan kolom {label} ke kuadran `{name}` (sel dikosongkan `-`)",
        "en": "Add the column {label} to quadrant `{name}` (cells left empty `-`)",
    },
    "L_fix_fill_cell": {"id": "Isi sel {row} × {column} dengan {value}", "en": "Fill the cell {row} × {column} with {value}"},
    "L_fix_pad_row": {
        "id": "Lengkapi baris {row} dengan {count} sel kosong (`-`)",
        "en": "Complete row {row} with {count} empty cells (`-`)",
    },
    # ------------------------------------------------------------ code lenses over examples
    "L_lens_pass": {"id": "✓ contoh lulus", "en": "✓ example passes"},
    "L_lens_fail": {"id": "✗ contoh gagal: {problem}", "en": "✗ example fails: {problem}"},
    "L_lens_not_run": {
        "id": "contoh belum dijalankan: aturan masih bergalat",
        "en": "example not run: the ruleset has errors",
    },
    "L_run_pass": {"id": "Contoh \"{title}\" lulus.", "en": "Example \"{title}\" passes."},
    "L_run_fail": {"id": "Contoh \"{title}\" gagal: {problems}", "en": "Example \"{title}\" fails: {problems}"},
    # ------------------------------------------------------------ rename
    "L_rename_nothing": {"id": "tidak ada nama yang dapat diganti di sini", "en": "there is no name to rename here"},
    "L_rename_base": {
        "id": "`{name}` dideklarasikan di aturan dasar ({file}); ganti namanya di sana",
        "en": "`{name}` is declared in the base ruleset ({file}); rename it there",
    },
    "L_rename_invalid": {
        "id": "`{name}` bukan nama yang sah: huruf kecil, angka dan garis bawah, diawali huruf atau garis bawah",
        "en": "`{name}` is not a valid name: lower-case letters, digits and underscores, starting with a letter or underscore",
    },
    "L_rename_keyword": {"id": "`{name}` adalah kata kunci bahasa aturan", "en": "`{name}` is a keyword of the ruleset language"},
    "L_rename_taken": {"id": "nama `{name}` sudah dipakai", "en": "the name `{name}` is already taken"},
}
