"""The studio (U_*): what the service's authoring routes say, and `kinerja studio`'s own lines and help.

The page's buttons and headings are the page's own (both languages, in its sources); every
sentence about a ruleset, a record or a file comes from the engine, in the chosen language.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "U_SAVE_NO_FOLDER": {
        "id": "tidak ada folder untuk menyimpan: jalankan studio dengan --rules FOLDER",
        "en": "there is no folder to save into: start the studio with --rules FOLDER",
    },
    "U_SAVE_FOLDER": {
        "id": "folder {folder} bukan folder --rules layanan ini; yang ada: {known}",
        "en": "folder {folder} is not one of this service's --rules folders; they are: {known}",
    },
    "U_SAVE_NAME": {
        "id": "nama berkas {name} ditolak: berkas aturan ini harus bernama {wanted} (id@versi dari kepalanya), di dalam folder --rules",
        "en": "file name {name} refused: this ruleset's file must be named {wanted} (id@version from its header), inside the --rules folder",
    },
    "U_SAVE_EXISTS": {
        "id": "{path} sudah ada; centang \"timpa\" untuk menggantinya, atau naikkan versinya",
        "en": "{path} already exists; tick \"overwrite\" to replace it, or raise the version",
    },
    "U_SAVE_SHIPPED": {
        "id": "{ref} adalah aturan bawaan dengan sidik jari tetap; simpan sebagai versi baru (ubah `version` di kepala aturan)",
        "en": "{ref} is a shipped ruleset with a fixed fingerprint; save it as a new version (change `version` in the header)",
    },
    "U_SAVED": {"id": "{ref} disimpan di {path}", "en": "{ref} saved as {path}"},
    "U_WHY_NO_NEXT": {
        "id": "tidak ada predikat yang lebih tinggi untuk dicapai (atau keluaran aturan ini tidak berurutan); sebutkan sasarannya, misalnya predikat=Baik",
        "en": "there is no higher predikat to reach (or this ruleset's outputs have no order); name the target, e.g. predikat=Baik",
    },
    "U_STARTED": {
        "id": "kinerja studio: buka {url} di peramban (Ctrl-C untuk berhenti); folder simpan: {folders}",
        "en": "kinerja studio: open {url} in a browser (Ctrl-C to stop); save folder: {folders}",
    },
    "U_NO_FOLDER": {
        "id": "tidak ada (tambahkan --rules FOLDER untuk menyimpan)",
        "en": "none (add --rules FOLDER to save)",
    },
    "C_help_studio": {
        "id": "Studio di peramban: tulis, periksa, coba, uji, bandingkan dan terbitkan aturan (membuka layanan pada port bebas).",
        "en": "The studio in a browser: write, check, try, test, compare and publish rulesets (starts the service on a free port).",
    },
    "C_opt_studio_port": {"id": "Port (0: port bebas).", "en": "Port (0: a free one)."},
    "C_opt_studio_rules": {
        "id": "Folder berkas <id>@<versi>.kin; studio menyimpan ke folder pertama (boleh diulang).",
        "en": "Folder of <id>@<version>.kin files; the studio saves into the first one (repeatable).",
    },
    "C_opt_studio_no_browser": {
        "id": "Jangan membuka peramban; cukup cetak alamatnya.",
        "en": "Do not open a browser; only print the address.",
    },
}
