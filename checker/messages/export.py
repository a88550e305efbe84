"""Messages: `sopcheck export` (PNML and other model formats)."""

MESSAGES: dict[str, dict[str, str]] = {
    "export.bad_attribute": {
        "id": "--attributes '{item}' harus berbentuk NAMA=NILAI",
        "en": "--attributes '{item}' must be NAME=VALUE",
    },
    "export.unknown_attribute": {
        "id": "atribut '{name}' tidak dideklarasikan dalam SOP ini; yang ada: {known}",
        "en": "attribute '{name}' is not declared in this SOP; declared: {known}",
    },
    "export.no_branch": {
        "id": "catatan: untuk atribut ini ada pilihan tanpa cabang yang cocok; semua cabang diekspor sebagai pilihan, seperti yang dilakukan audit (temuan CS003)",
        "en": "note: for these attributes some choice has no matching branch; all branches are exported as choices, as the audit does (finding CS003)",
    },
    "export.labels_none": {
        "id": "tidak ada aktivitas dalam log yang cocok dengan langkah SOP; label bawaan dipakai",
        "en": "no activity of the log matches a step of the SOP; the default labels are used",
    },
}
