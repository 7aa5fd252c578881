"""Revisions of one decree (`revises`): header checks and the words `--as-of`, `list` and documents use."""

MESSAGES: dict[str, dict[str, str]] = {
    "K406": {
        "id": "`revises {ref}`: revisi hanya mengoreksi versi lebih awal dari aturan yang sama (`{id}@…`); "
              "aturan lain yang digantikan ditulis dengan `supersedes`",
        "en": "`revises {ref}`: a revision corrects an earlier version of the same ruleset (`{id}@…`); "
              "another regulation that is replaced is named with `supersedes`",
    },
    "K407": {
        "id": "`revises {ref}`: versi yang dikoreksi harus lebih rendah dari versi ini ({version})",
        "en": "`revises {ref}`: the corrected version must be lower than this version ({version})",
    },
    "K906": {
        "id": "`revises {ref}`: versi itu tidak ada di pustaka aturan; yang ada: {known}",
        "en": "`revises {ref}`: no such version in the ruleset library; available: {known}",
    },
    "X_AS_OF_REVISION": {
        "id": " (revisi dari {old})",
        "en": " (a revision of {old})",
    },
    "D_L_REVISES": {"id": "Merevisi", "en": "Revises"},
}
