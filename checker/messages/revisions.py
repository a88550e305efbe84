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
    "test.none": {"id": "(tidak ada temuan)", "en": "(no finding)"},
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
