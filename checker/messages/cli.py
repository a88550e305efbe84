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
    "audit.bad_jobs": {
        "id": "jobs={value} bukan jumlah proses pekerja: bilangan bulat dari 0 sampai {max} "
        "(0 atau None: satu per inti prosesor)",
        "en": "jobs={value} is not a number of worker processes: a whole number from 0 to {max} "
        "(0 or None: one per core)",
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
    # Option errors found by the argument parser (click). The detail is built from the error and
    # the parameter's type (checker.usage); click's English text only for anything else.
    "usage.no_such_option": {"id": "opsi tidak dikenal: {option}", "en": "no such option: {option}"},
    "usage.did_you_mean": {"id": "(maksudnya {options}?)", "en": "(did you mean {options}?)"},
    "usage.no_such_command": {
        "id": "perintah '{command}' tidak dikenal; perintah yang ada: {commands}",
        "en": "no such command '{command}'; the commands are: {commands}",
    },
    "usage.no_command": {
        "id": "perintah belum diberikan; perintah yang ada: {commands}",
        "en": "no command given; the commands are: {commands}",
    },
    "usage.extra_arguments": {
        "id": "argumen berlebih: {args}",
        "en": "unexpected extra argument(s): {args}",
    },
    "usage.needs_value": {
        "id": "opsi {option} memerlukan nilai",
        "en": "option {option} needs a value",
    },
    "usage.takes_no_value": {
        "id": "opsi {option} tidak menerima nilai",
        "en": "option {option} does not take a value",
    },
    "usage.missing": {"id": "{param} harus diberikan", "en": "missing {param}"},
    # The detail of usage.bad_value, by the parameter's type.
    "usage.not_a_choice": {
        "id": "'{value}' bukan salah satu pilihan: {choices}",
        "en": "'{value}' is not one of: {choices}",
    },
    "usage.not_an_integer": {"id": "'{value}' bukan bilangan bulat", "en": "'{value}' is not an integer"},
    "usage.not_a_number": {"id": "'{value}' bukan bilangan", "en": "'{value}' is not a number"},
    "usage.out_of_range": {
        "id": "{value} di luar rentang {min} sampai {max}",
        "en": "{value} is outside the range {min} to {max}",
    },
    "usage.below_min": {
        "id": "{value} terlalu kecil; paling kecil {min}",
        "en": "{value} is too small; the least allowed is {min}",
    },
    "usage.not_above_min": {
        "id": "{value} terlalu kecil; harus lebih dari {min}",
        "en": "{value} is too small; it must be more than {min}",
    },
    "usage.above_max": {
        "id": "{value} terlalu besar; paling besar {max}",
        "en": "{value} is too large; the most allowed is {max}",
    },
    "usage.not_below_max": {
        "id": "{value} terlalu besar; harus kurang dari {max}",
        "en": "{value} is too large; it must be less than {max}",
    },
    "usage.path_empty": {
        "id": "nama berkas kosong; berikan nama berkas",
        "en": "the file name is empty; give a file name",
    },
    "usage.path_missing": {"id": "'{path}' tidak ada", "en": "'{path}' does not exist"},
    "usage.path_is_directory": {
        "id": "'{path}' adalah folder, bukan berkas",
        "en": "'{path}' is a folder, not a file",
    },
    "usage.path_is_file": {
        "id": "'{path}' adalah berkas, bukan folder",
        "en": "'{path}' is a file, not a folder",
    },
    "usage.path_unreadable": {
        "id": "'{path}' tidak dapat dibaca (izin akses)",
        "en": "'{path}' cannot be read (permissions)",
    },
    "usage.path_unwritable": {
        "id": "'{path}' tidak dapat ditulis (izin akses)",
        "en": "'{path}' cannot be written (permissions)",
    },
    "usage.bad_value": {"id": "nilai {param} tidak sah: {detail}", "en": "invalid value for {param}: {detail}"},
    "usage.other": {"id": "pemakaian salah: {detail}", "en": "usage error: {detail}"},
    "usage.hint": {"id": "(lihat '{command} -h')", "en": "(see '{command} -h')"},
})
MESSAGES.update({
    # An output file that is also an input of the command (checker.output.refuse_overwrite).
    "output.is_input": {
        "id": "{output} akan menimpa {input}, yang dibaca perintah ini; pilih berkas keluaran lain",
        "en": "{output} would overwrite {input}, which this command reads; choose another output file",
    },
    "output.in_input_folder": {
        "id": "{output} akan menimpa berkas dari {input} ({folder}), yang dibaca perintah ini; "
        "pilih berkas keluaran lain",
        "en": "{output} would overwrite a file of {input} ({folder}), which this command reads; "
        "choose another output file",
    },
    "output.twice": {
        "id": "{first} dan {second} menunjuk berkas yang sama; yang satu akan menimpa yang lain",
        "en": "{first} and {second} name the same file; one would overwrite the other",
    },
})
