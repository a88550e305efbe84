"""Messages: cli."""

MESSAGES: dict[str, dict[str, str]] = {}
MESSAGES.update(
    {
        "validate.summary": {
            "id": "{files} berkas SOP diperiksa, {bad} bermasalah, {findings} temuan, {unreadable} tidak terbaca",
            "en": "{files} SOP file(s) checked, {bad} with problems, {findings} finding(s), {unreadable} unreadable",
        },
        "validate.no_files": {
            "id": "tidak ada berkas SOP (*.yaml) di: {paths}",
            "en": "no SOP files (*.yaml) found in: {paths}",
        },
    }
)
MESSAGES.update({
    "audit.no_sop": {"id": "tidak ada berkas SOP", "en": "no SOP file"},
    "audit.mixed_sops": {
        "id": "berkas-berkas SOP ini bukan revisi dari SOP yang sama: {ids}",
        "en": "these SOP files are not revisions of one SOP: {ids}",
    },
    "audit.bad_as_of": {
        "id": "--as-of '{value}' bukan tanggal ISO (YYYY-MM-DD)",
        "en": "--as-of '{value}' is not an ISO date (YYYY-MM-DD)",
    },
    "audit.as_of_out_of_range": {
        "id": "--as-of '{value}' di luar tahun yang didukung, {first} sampai {last}",
        "en": "--as-of '{value}' is outside the supported years {first} to {last}",
    },
})
MESSAGES.update({
    "report.title": {
        "id": "Audit SOP {sop} (revisi {revisions}) atas log {log}, per {as_of}",
        "en": "Audit of SOP {sop} (revision {revisions}) on log {log}, as of {as_of}",
    },
    "report.rows": {
        "id": "Baris: {read} dibaca, {accepted} diterima, {rejected} ditolak",
        "en": "Rows: {read} read, {accepted} accepted, {rejected} rejected",
    },
    "report.cases": {
        "id": "Kasus: {cases} diaudit, {compliant} patuh ({rate}%); selesai {complete}, berjalan {in_progress}, terlambat {overdue}, berhenti dini {ended_early}, tidak dinilai {not_judged}",
        "en": "Cases: {cases} audited, {compliant} compliant ({rate}%); complete {complete}, in progress {in_progress}, overdue {overdue}, ended early {ended_early}, not judged {not_judged}",
    },
    "report.by_code": {"id": "Temuan utama per kode:", "en": "Root findings by code:"},
    "report.by_step": {"id": "Temuan utama per langkah:", "en": "Root findings by step:"},
    "report.findings": {"id": "Temuan:", "en": "Findings:"},
    "report.rows_ref": {"id": " (baris {rows})", "en": " (row {rows})"},
})
MESSAGES.update({
    "explain.unknown_code": {
        "id": "kode '{code}' tidak dikenal; lihat 'sopcheck codes'",
        "en": "unknown code '{code}'; see 'sopcheck codes'",
    },
    "explain.clause": {"id": "Bagian SOP: {clause}", "en": "SOP clause: {clause}"},
    "explain.passing": {"id": "Contoh yang lolos:", "en": "Passing example:"},
    "explain.failing": {"id": "Contoh yang gagal:", "en": "Failing example:"},
})
MESSAGES.update({
    # Option errors found by the argument parser (click); click's own detail stays as it says it.
    "usage.no_such_option": {"id": "opsi tidak dikenal: {option}", "en": "no such option: {option}"},
    "usage.missing": {"id": "{param} harus diberikan", "en": "missing {param}"},
    "usage.bad_value": {"id": "nilai {param} tidak sah: {detail}", "en": "invalid value for {param}: {detail}"},
    "usage.other": {"id": "pemakaian salah: {detail}", "en": "usage error: {detail}"},
    "usage.hint": {"id": "(lihat '{command} -h')", "en": "(see '{command} -h')"},
})
