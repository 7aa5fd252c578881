"""Evaluation (K7xx): a record that fits but cannot be decided."""

MESSAGES: dict[str, dict[str, str]] = {
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
    # what decided a trace step (TraceStep.describe): rendered at the edge, never stored as text
    "T_given": {"id": "diberikan sebagai masukan", "en": "given as input"},
    "T_absent": {"id": "tidak ada: hanya dibutuhkan oleh nilai yang diberikan", "en": "absent: needed only by a value given as input"},
    "T_not_applicable": {"id": "tidak berlaku: {rule}", "en": "not applicable: {rule}"},
    "T_exception": {"id": "pengecualian {exception} (prioritas {priority})", "en": "exception {exception} (priority {priority})"},
    "T_row": {"id": "baris {row}: {rule}", "en": "row {row}: {rule}"},
    "T_cell": {"id": "baris {row} × kolom {column}", "en": "row {row} × column {column}"},
}
