"""Messages: generated traces (checker.testing, `sopcheck generate`, `sopcheck selftest`)."""

MESSAGES: dict[str, dict[str, str]] = {
    "testing.needs_hypothesis": {
        "id": "{what} memerlukan paket hypothesis; pasang dengan: pip install 'sopcheck[test]'",
        "en": "{what} needs the hypothesis package; install it with: pip install 'sopcheck[test]'",
    },
    "testing.bad_range": {
        "id": "rentang tanggal mulai kasus kosong: {first} sampai {last} (tanggal efektif SOP ikut dihitung)",
        "en": "the range of case start dates is empty: {first} to {last} (the SOP's effective date counts)",
    },
    "testing.no_attributes": {
        "id": "SOP {sop}: tidak ada nilai atribut kasus yang membuat kasus dapat melewati setiap pilihan cabang",
        "en": "SOP {sop}: no case attribute values let a case through every branch choice",
    },
    "testing.no_case": {
        "id": "SOP {sop}: tidak dapat membuat kasus yang selesai sebelum tanggal audit",
        "en": "SOP {sop}: cannot build a case that finishes before the audit date",
    },
    "testing.too_long": {
        "id": "SOP {sop}: tidak ada kasus yang dapat selesai sebelum tanggal audit {as_of}: sekalipun dimulai pada {first} dan setiap langkah dikerjakan secepat aturan waktunya mengizinkan, kasus masih berjalan melewati tanggal itu (waktu tunggu minimumnya berjumlah lebih lama)",
        "en": "SOP {sop}: no case can finish by the audit date {as_of}: even started on {first}, with every step as soon as its time rules let it, a case runs past that date (its minimum waits add up to longer)",
    },
    "testing.unfollowable": {
        "id": "SOP {sop} tidak dapat diikuti: kasus yang mengikuti jalannya tetap menghasilkan {findings} (jalankan 'sopcheck selftest' untuk contohnya)",
        "en": "SOP {sop} cannot be followed: a case on its path still gives {findings} (run 'sopcheck selftest' for an example)",
    },
    "testing.cannot_generate": {
        "id": "kode {code} tidak dapat dibangkitkan untuk SOP {sop}: {reason}",
        "en": "code {code} cannot be generated for SOP {sop}: {reason}",
    },
    "testing.unknown_code": {
        "id": "kode '{code}' tidak dikenal sebagai temuan log; lihat 'sopcheck codes'",
        "en": "'{code}' is not a finding code a log can trigger; see 'sopcheck codes'",
    },
    "generate.bad_format": {
        "id": "format log tidak dapat ditentukan dari nama '{path}'; gunakan akhiran .csv, .jsonl atau .xes (.xes.gz)",
        "en": "cannot tell the log format from the name '{path}'; end it in .csv, .jsonl or .xes (.xes.gz)",
    },
    "generate.unwritable": {
        "id": "log tidak dapat ditulis: {reason}",
        "en": "cannot write the log: {reason}",
    },
    "generate.bad_date": {
        "id": "{option} '{value}' bukan tanggal ISO (YYYY-MM-DD)",
        "en": "{option} '{value}' is not an ISO date (YYYY-MM-DD)",
    },
    "generate.date_out_of_range": {
        "id": "{option} '{value}' di luar tahun yang didukung, {first} sampai {last}",
        "en": "{option} '{value}' is outside the supported years {first} to {last}",
    },
    "generate.done": {
        "id": "{cases} kasus ({events} kejadian, {violating} dengan penyimpangan) ditulis ke {path}; kebenaran dasar di {truth} (audit dengan --as-of {as_of} --timezone {zone})",
        "en": "{cases} cases ({events} events, {violating} with a deviation) written to {path}; ground truth in {truth} (audit with --as-of {as_of} --timezone {zone})",
    },
    "selftest.no_files": {
        "id": "tidak ada berkas SOP (*.yaml) di: {paths}",
        "en": "no SOP files (*.yaml) found in: {paths}",
    },
    "selftest.sop": {
        "id": "SOP {sop} (revisi {revision}, {path})",
        "en": "SOP {sop} (revision {revision}, {path})",
    },
    "selftest.pass": {
        "id": "  lulus  {property}: {examples} contoh",
        "en": "  pass   {property}: {examples} examples",
    },
    "selftest.skip": {"id": "  lewati {property}: {reason}", "en": "  skip   {property}: {reason}"},
    "selftest.fail": {"id": "  GAGAL  {property}", "en": "  FAIL   {property}"},
    "selftest.expected": {"id": "    diharapkan: {truth}", "en": "    expected: {truth}"},
    "selftest.actual": {"id": "    hasil audit: {truth}", "en": "    audit gave: {truth}"},
    "selftest.reason": {"id": "    {reason}", "en": "    {reason}"},
    "selftest.example": {
        "id": "    contoh terkecil (CSV, audit dengan --as-of {as_of}):",
        "en": "    smallest example (CSV, audit with --as-of {as_of}):",
    },
    "selftest.summary": {
        "id": "{sops} SOP, {properties} sifat diuji, {failed} gagal, {seconds} detik",
        "en": "{sops} SOP(s), {properties} properties tested, {failed} failed, {seconds} s",
    },
    "selftest.prop.conforming": {
        "id": "kasus yang patuh tidak menghasilkan temuan",
        "en": "a conforming case gives no finding",
    },
    "selftest.prop.in_progress": {
        "id": "kasus patuh yang belum selesai berstatus berjalan tanpa temuan",
        "en": "a conforming case not yet finished is in progress with no finding",
    },
    "selftest.prop.violating": {
        "id": "penyimpangan {code} ditemukan sebagai {code} pada langkah yang benar",
        "en": "a {code} deviation is found as {code} at the right step",
    },
    "selftest.prop.branches": {
        "id": "setiap cabang dapat diambil oleh suatu kasus",
        "en": "every branch can be taken by some case",
    },
    "selftest.prop.time": {
        "id": "kasus yang setiap langkahnya tepat waktu memenuhi setiap tenggat dan waktu total",
        "en": "a case whose every step is on time meets every deadline and the total time",
    },
    "selftest.prop.paths": {
        "id": "setiap jalan yang diizinkan SOP dapat diikuti tepat waktu dengan dokumen lengkap",
        "en": "every path the SOP allows can be followed on time with its documents",
    },
    "selftest.unfollowable": {
        "id": "tidak ada pengaturan waktu yang dicoba yang memenuhi setiap aturan waktu SOP pada jalan ini, atau ada kelengkapan yang tidak pernah dihasilkan",
        "en": "no timing tried keeps every time rule of the SOP on this path, or an input is never produced on it",
    },
    "selftest.dead_branch": {
        "id": "cabang dari langkah '{step}' ke '{target}' tidak dapat diambil oleh kasus mana pun (tidak ada nilai atribut yang memenuhi kondisinya)",
        "en": "the branch from step '{step}' to '{target}' can be taken by no case (no attribute values meet its condition)",
    },
    "selftest.unsatisfiable": {
        "id": "tidak ada kasus yang dapat dibuat dengan penyimpangan ini dalam anggaran waktu",
        "en": "no case with this deviation could be built within the budget",
    },
    "selftest.not_followable": {
        "id": "kasus yang patuh tidak dapat dibuat (lihat di atas), jadi penyimpangan darinya tidak membuktikan apa pun",
        "en": "no conforming case could be built (see above), so deviations from one prove nothing",
    },
    "selftest.no_branches": {
        "id": "SOP tidak memiliki cabang bersyarat",
        "en": "the SOP has no branch with a condition",
    },
    "selftest.raised": {
        "id": "audit gagal dengan galat: {error}",
        "en": "the audit raised an error: {error}",
    },
    "selftest.no_case": {
        "id": "tidak dapat membuat kasus: {error}",
        "en": "no case could be built: {error}",
    },
}
