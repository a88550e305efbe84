"""Messages: example cases (`sopcheck test`), SOP revisions and `sopcheck diff`."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- example-case files ---------------------------------------------------------------------
    "cases.no_sop": {
        "id": "SOP untuk contoh kasus ini tidak ada: {sop} (sebutkan berkasnya dengan `sop:`)",
        "en": "no SOP for these example cases: {sop} does not exist (name it with `sop:`)",
    },
    "cases.duplicate_name": {
        "id": "nama contoh kasus '{name}' sudah dipakai di baris {first}",
        "en": "example case name '{name}' is already used on line {first}",
    },
    "cases.bad_time": {
        "id": "'{value}' bukan tanggal atau waktu yang dapat dibaca",
        "en": "'{value}' is not a readable date or timestamp",
    },
    "cases.time_out_of_range": {
        "id": "'{value}' di luar tahun yang didukung, {first} sampai {last}",
        "en": "'{value}' is outside the supported years {first} to {last}",
    },
    "cases.unknown_code": {
        "id": "kode temuan '{code}' tidak dikenal untuk log; lihat 'sopcheck codes'",
        "en": "'{code}' is not a finding code for logs; see 'sopcheck codes'",
    },
    "cases.unknown_step": {
        "id": "langkah '{step}' tidak ada di SOP (langkah: {steps})",
        "en": "step '{step}' is not in the SOP (steps: {steps})",
    },
    # --- sopcheck test --------------------------------------------------------------------------
    "test.no_files": {
        "id": "tidak ada berkas contoh kasus (*.cases.yaml) di: {paths}",
        "en": "no example-case files (*.cases.yaml) found in: {paths}",
    },
    "test.no_match": {
        "id": "tidak ada contoh kasus yang cocok dengan: {patterns}",
        "en": "no example case matches: {patterns}",
    },
    "test.pass": {"id": "LULUS", "en": "PASS"},
    "test.fail": {"id": "GAGAL", "en": "FAIL"},
    "test.findings_diff": {
        "id": "temuan (- diharapkan, + hasil audit):",
        "en": "findings (- expected, + actual):",
    },
    "test.junit_message": {
        "id": "temuan diharapkan: {expected}; hasil: {actual}",
        "en": "findings expected: {expected}; actual: {actual}",
    },
    "test.status_mismatch": {
        "id": "status: diharapkan {expected}, hasil {actual}",
        "en": "status: expected {expected}, got {actual}",
    },
    "test.revision_mismatch": {
        "id": "revisi yang menilai: diharapkan {expected}, hasil {actual}",
        "en": "judged by revision: expected {expected}, got {actual}",
    },
    "test.no_cases": {
        "id": "SOP tanpa contoh kasus: {path}",
        "en": "SOP without example cases: {path}",
    },
    "test.summary": {
        "id": "{total} contoh kasus: {passed} lulus, {failed} gagal ({files} berkas)",
        "en": "{total} example case(s): {passed} passed, {failed} failed ({files} file(s))",
    },
}

MESSAGES.update(
    {
        # --- sopcheck diff ----------------------------------------------------------------------
        "diff.title": {
            "id": "SOP {sop}: revisi {old} -> {new}",
            "en": "SOP {sop}: revision {old} -> {new}",
        },
        "diff.old_file": {"id": "lama: {path}", "en": "old: {path}"},
        "diff.new_file": {"id": "baru: {path}", "en": "new: {path}"},
        "diff.section.sop": {"id": "SOP", "en": "SOP"},
        "diff.section.identity": {"id": "Identitas", "en": "Identity"},
        "diff.section.actors": {"id": "Pelaksana", "en": "Actors"},
        "diff.section.documents": {"id": "Dokumen", "en": "Documents"},
        "diff.section.attributes": {"id": "Atribut kasus", "en": "Case attributes"},
        "diff.section.case": {"id": "Aturan kasus", "en": "Case rules"},
        "diff.section.steps": {"id": "Langkah", "en": "Steps"},
        "diff.section.deadlines": {"id": "Tenggat", "en": "Deadlines"},
        "diff.kind.added": {"id": "ditambah", "en": "added"},
        "diff.kind.removed": {"id": "dihapus", "en": "removed"},
        "diff.kind.renumbered": {"id": "nomor berubah", "en": "renumbered"},
        "diff.kind.changed": {"id": "diubah", "en": "changed"},
        "diff.summary": {
            "id": "{total} perubahan: {added} ditambah, {removed} dihapus, {renumbered} nomor berubah, {changed} diubah",
            "en": "{total} change(s): {added} added, {removed} removed, {renumbered} renumbered, {changed} changed",
        },
        "diff.no_changes": {
            "id": "tidak ada perubahan makna",
            "en": "no semantic change",
        },
        "diff.impact_title": {
            "id": "Dampak pada {log}: {cases} kasus, tiap kasus dinilai dengan kedua revisi ({dates})",
            "en": "Impact on {log}: {cases} case(s), each judged by both revisions ({dates})",
        },
        "diff.dates_ignored": {
            "id": "tanggal berlaku diabaikan",
            "en": "effective dates ignored",
        },
        "diff.dates_respected": {
            "id": "tanggal berlaku dihormati",
            "en": "effective dates respected",
        },
        "diff.impact_summary": {
            "id": "{changed} kasus berubah temuannya, {verdicts} kasus berubah putusannya",
            "en": "{changed} case(s) with changed findings, {verdicts} with a changed verdict",
        },
        "diff.impact_none": {
            "id": "tidak ada kasus yang berubah",
            "en": "no case changes",
        },
        "diff.by_code": {
            "id": "Per kode (semua temuan, lama -> baru; muncul, hilang):",
            "en": "By code (all findings, old -> new; appearing, disappearing):",
        },
        "diff.cases": {"id": "Kasus yang berubah:", "en": "Cases that change:"},
        "diff.compliant": {"id": "patuh", "en": "compliant"},
        "diff.not_compliant": {"id": "tidak patuh", "en": "not compliant"},
        "diff.more": {
            "id": "... dan {count} kasus lagi (lihat --format json)",
            "en": "... and {count} more case(s) (see --format json)",
        },
        "diff.col.change": {"id": "Perubahan", "en": "Change"},
        "diff.col.section": {"id": "Bagian", "en": "Section"},
        "diff.col.subject": {"id": "Apa", "en": "What"},
        "diff.col.field": {"id": "Sifat", "en": "Property"},
        "diff.col.old": {"id": "Lama", "en": "Old"},
        "diff.col.new": {"id": "Baru", "en": "New"},
        "diff.col.code": {"id": "Kode", "en": "Code"},
        "diff.col.appearing": {"id": "Muncul", "en": "Appearing"},
        "diff.col.disappearing": {"id": "Hilang", "en": "Disappearing"},
        "diff.col.case": {"id": "Kasus", "en": "Case"},
        "diff.col.findings": {"id": "Temuan (+ muncul, - hilang)", "en": "Findings (+ appearing, - disappearing)"},
    }
)

MESSAGES.update(
    {
        # --- the revisions of one SOP together (checker/sop/revisions.py) -----------------------
        "revisions.duplicate_label": {
            "id": "revisi '{revision}' juga ada di {first}; setiap revisi perlu label `revision` sendiri",
            "en": "revision '{revision}' is also in {first}; each revision needs its own `revision` label",
        },
        "revisions.same_effective": {
            "id": "revisi '{revision}' dan revisi '{other}' ({first}) sama-sama berlaku mulai {date}, "
            "sehingga tidak jelas mana yang menilai kasus; beri setiap revisi tanggal berlaku sendiri "
            "(identity.dates.effective)",
            "en": "revisions '{revision}' and '{other}' ({first}) both take effect on {date}, so which "
            "one judges a case is unclear; give each revision its own effective date "
            "(identity.dates.effective)",
        },
        "revisions.two_undated": {
            "id": "revisi '{revision}' dan revisi '{other}' ({first}) sama-sama tanpa tanggal berlaku; "
            "hanya satu revisi, yang pertama, boleh tanpa identity.dates.effective",
            "en": "revisions '{revision}' and '{other}' ({first}) both have no effective date; only "
            "one revision, the first, may go without identity.dates.effective",
        },
    }
)
