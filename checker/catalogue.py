"""The one catalogue of finding codes. It drives `sopcheck codes`, `sopcheck explain`, the docs,
the SARIF rule metadata and every report. Codes never change meaning and are never reused.

Families: `sop` (the SOP file itself, from `validate`), and for case logs `flow`, `actor`,
`document`, `time`, `case`.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.sop.model import Text

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # dotted, stable: family.what
    family: str
    severity: str  # default severity
    summary: Text  # one line
    message: Text  # template for one finding, with {placeholders}
    explanation: Text  # what it means and what to do
    clause: str | None  # the mutu baku column or SOP part it enforces
    passing: str  # an example that passes
    failing: str  # an example that yields this code

    @property
    def scope(self) -> str:
        return "sop" if self.family == "sop" else "log"


def _c(code, name, severity, clause, summary, message, explanation, passing, failing) -> Code:
    return Code(
        code,
        name,
        name.split(".")[0],
        severity,
        Text(*summary),
        Text(*message),
        Text(*explanation),
        clause,
        passing,
        failing,
    )


CODES: tuple[Code, ...] = (
    # --- the SOP file (validate) -------------------------------------------------------------
    _c(
        "SOP101",
        "sop.schema",
        ERROR,
        None,
        ("Tidak sesuai skema SOP", "Does not match the SOP schema"),
        ("{detail}", "{detail}"),
        (
            "Berkas SOP harus mengikuti schemas/sop.schema.json: properti yang dikenal, tipe yang benar, "
            "properti wajib ada.",
            "The SOP file must follow schemas/sop.schema.json: known properties, right types, required "
            "properties present.",
        ),
        "steps:\n  - id: terima\n    number: 1\n    name: Terima\n    actor: bupati\n    next: end",
        "steps:\n  - id: terima\n    number: 1\n    nama: Terima   # unknown property",
    ),
    _c(
        "SOP102",
        "sop.duplicate_id",
        ERROR,
        None,
        ("Identitas ganda", "Duplicate identifier"),
        (
            "{kind} '{id}' didefinisikan lebih dari sekali",
            "{kind} '{id}' is defined more than once",
        ),
        (
            "Setiap langkah, pelaksana, dokumen, atribut dan tenggat harus memiliki id yang unik.",
            "Every step, actor, document, attribute and deadline needs a unique id.",
        ),
        "actors:\n  - {id: bupati, name: Bupati}\n  - {id: tapem, name: Bagian Tapem}",
        "actors:\n  - {id: bupati, name: Bupati}\n  - {id: bupati, name: Bupati Magetan}",
    ),
    _c(
        "SOP103",
        "sop.unknown_actor",
        ERROR,
        "pelaksana",
        ("Pelaksana tidak dikenal", "Unknown actor"),
        (
            "langkah '{step}' menyebut pelaksana '{actor}' yang tidak dikenal",
            "step '{step}' names unknown actor '{actor}'",
        ),
        (
            "Pelaksana langkah, peserta dan delegasi harus didefinisikan di `actors`.",
            "Step actors, participants and delegates must be declared under `actors`.",
        ),
        "actor: bupati   # declared under actors",
        "actor: bupatii  # a typo: no such actor",
    ),
    _c(
        "SOP104",
        "sop.unknown_document",
        ERROR,
        "kelengkapan",
        ("Dokumen tidak dikenal", "Unknown document"),
        (
            "{where} menyebut dokumen '{document}' yang tidak dikenal",
            "{where} names unknown document '{document}'",
        ),
        (
            "Kelengkapan, output, dokumen delegasi dan dokumen awal kasus harus didefinisikan di "
            "`documents`.",
            "Inputs, outputs, delegation documents and documents arriving with the case must be "
            "declared under `documents`.",
        ),
        "inputs: [surat_penawaran]",
        "inputs: [surat_penawaran_x]",
    ),
    _c(
        "SOP105",
        "sop.unknown_attribute",
        ERROR,
        None,
        ("Atribut atau nilai tidak dikenal", "Unknown attribute or value"),
        (
            "{where} menyebut {what} '{name}' yang tidak dikenal",
            "{where} names unknown {what} '{name}'",
        ),
        (
            "Kondisi dan tenggat hanya boleh menyebut atribut kasus yang didefinisikan di `attributes`, "
            "dan nilai yang termasuk daftar nilainya. `case.timezone` harus zona waktu yang dikenal: "
            "nama IANA (Asia/Jakarta, Europe/Rome), WIB, WITA, WIT, UTC, atau selisih seperti +07:00.",
            "Conditions and deadlines may only name case attributes declared under `attributes`, and "
            "values in their list of values. `case.timezone` must be a known time zone: an IANA name "
            "(Asia/Jakarta, Europe/Rome), WIB, WITA, WIT, UTC, or an offset such as +07:00.",
        ),
        "when: {attribute: jenis_kerja_sama, equals: KSDD}\ncase: {timezone: WITA}",
        "when: {attribute: jenis_kerja_sama, equals: KSDX}\ncase: {timezone: Mars/Olympus}",
    ),
    _c(
        "SOP106",
        "sop.unknown_step",
        ERROR,
        None,
        ("Langkah tidak dikenal", "Unknown step"),
        (
            "{where} menyebut langkah '{ref}' yang tidak dikenal",
            "{where} names unknown step '{ref}'",
        ),
        (
            "`next` dan tenggat harus menyebut id langkah yang ada, atau `end`.",
            "`next` and deadlines must name an existing step id, or `end`.",
        ),
        "next: disposisi",
        "next: disposisii",
    ),
    _c(
        "SOP107",
        "sop.duplicate_number",
        ERROR,
        "no",
        ("Nomor langkah ganda", "Duplicate step number"),
        (
            "nomor langkah {number} dipakai oleh '{step}' dan '{other}'",
            "step number {number} is used by '{step}' and '{other}'",
        ),
        (
            "Setiap langkah dalam tabel SOP memiliki nomor sendiri.",
            "Every step in the SOP table has its own number.",
        ),
        "- {id: a, number: 1}\n- {id: b, number: 2}",
        "- {id: a, number: 1}\n- {id: b, number: 1}",
    ),
    _c(
        "SOP108",
        "sop.unreachable_step",
        ERROR,
        None,
        ("Langkah tidak terjangkau", "Unreachable step"),
        (
            "langkah '{step}' tidak dapat dicapai dari langkah pertama",
            "step '{step}' cannot be reached from the first step",
        ),
        (
            "Setiap langkah harus dapat dicapai dari langkah pertama melalui `next`.",
            "Every step must be reachable from the first step through `next`.",
        ),
        "a -> b -> end",
        "a -> end; b -> end   # nothing leads to b",
    ),
    _c(
        "SOP109",
        "sop.dead_end",
        ERROR,
        None,
        ("Langkah tanpa jalan ke akhir", "Step with no way to the end"),
        (
            "dari langkah '{step}' tidak ada jalan menuju akhir prosedur",
            "from step '{step}' no path leads to the end of the procedure",
        ),
        (
            "Dari setiap langkah harus ada jalan menuju `end`; jika tidak, kasus tidak dapat selesai.",
            "From every step some path must lead to `end`; otherwise a case can never finish.",
        ),
        "a -> b -> end",
        "a -> b -> a   # a loop with no way out",
    ),
    _c(
        "SOP110",
        "sop.overlapping_branches",
        ERROR,
        None,
        ("Cabang tumpang tindih", "Overlapping branches"),
        (
            "pada langkah '{step}', cabang ke '{first}' dan '{second}' sama-sama berlaku untuk {case}",
            "at step '{step}', the branches to '{first}' and '{second}' both apply to {case}",
        ),
        (
            "Cabang XOR harus saling lepas: untuk setiap kombinasi nilai atribut, paling banyak satu "
            "kondisi berlaku.",
            "XOR branches must exclude each other: for every combination of attribute values at most "
            "one condition holds.",
        ),
        "- {step: pks, when: {attribute: jenis, in: [KSDD, KSDPK]}}\n"
        "- {step: arsip, when: {attribute: jenis, equals: Instansi Vertikal}}",
        "- {step: pks, when: {attribute: jenis, in: [KSDD, KSDPK]}}\n"
        "- {step: arsip, when: {attribute: jenis, in: [KSDPK, Instansi Vertikal]}}",
    ),
    _c(
        "SOP111",
        "sop.branch_gap",
        ERROR,
        None,
        ("Cabang tidak lengkap", "Branches leave a case with no way forward"),
        (
            "pada langkah '{step}', tidak ada cabang yang berlaku untuk {case}",
            "at step '{step}', no branch applies to {case}",
        ),
        (
            "Untuk setiap nilai atribut yang dideklarasikan harus ada cabang yang berlaku; tambahkan "
            "kondisi atau cabang `otherwise: true`.",
            "Every declared attribute value needs a branch that applies; add a condition or an "
            "`otherwise: true` branch.",
        ),
        "- {step: pks, when: {attribute: jenis, in: [KSDD, KSDPK]}}\n- {step: arsip, otherwise: true}",
        "- {step: pks, when: {attribute: jenis, equals: KSDD}}\n"
        "- {step: arsip, when: {attribute: jenis, equals: Instansi Vertikal}}   # KSDPK?",
    ),
    _c(
        "SOP112",
        "sop.input_never_produced",
        ERROR,
        "kelengkapan",
        ("Kelengkapan tidak pernah dihasilkan", "Input never produced"),
        (
            "langkah '{step}' memerlukan '{document}', tetapi tidak setiap jalan menuju langkah ini "
            "menghasilkannya dan dokumen itu tidak datang bersama kasus",
            "step '{step}' requires '{document}', but not every path to it produces it and it does "
            "not arrive with the case",
        ),
        (
            "Setiap kelengkapan harus datang bersama kasus (`case.arrives_with`) atau dihasilkan oleh "
            "langkah sebelumnya pada setiap jalan menuju langkah itu.",
            "Every input must arrive with the case (`case.arrives_with`) or be produced by an earlier "
            "step on every path to the step.",
        ),
        "1: outputs [disposisi]; 2: inputs [disposisi]",
        "1: outputs []; 2: inputs [disposisi]",
    ),
    _c(
        "SOP113",
        "sop.bad_time",
        ERROR,
        "waktu",
        ("Waktu tidak sah", "Invalid time allowed"),
        (
            "{where}: waktu {amount} {unit} tidak sah ({reason})",
            "{where}: time {amount} {unit} is not valid ({reason})",
        ),
        (
            "Waktu yang diizinkan harus positif; satuan hari harus bilangan bulat; paling lama "
            "sekitar 100 tahun: 36.500 hari kalender, 25.000 hari kerja, 200.000 jam kerja, "
            "12.000.000 menit kerja, 876.000 jam, 52.560.000 menit (lebih dari itu salah ketik, "
            "dan tenggatnya keluar dari tahun yang dapat dihitung).",
            "Time allowed must be positive; day units must be whole numbers; at most about 100 "
            "years: 36,500 calendar days, 25,000 working days, 200,000 working hours, 12,000,000 "
            "working minutes, 876,000 hours, 52,560,000 minutes (more is a typo, and its deadlines "
            "leave the years a calendar can count).",
        ),
        "time: {amount: 3, unit: working_days}",
        "time: {amount: 0, unit: working_days}",
    ),
    _c(
        "SOP114",
        "sop.label_clash",
        ERROR,
        None,
        ("Label log ganda", "Log label used twice"),
        (
            "label '{label}' dipakai oleh {kind} '{first}' dan '{second}'",
            "label '{label}' is used by {kind} '{first}' and '{second}'",
        ),
        (
            "Label (nama dan alias) yang dipakai log harus menunjuk satu langkah, pelaksana atau dokumen "
            "saja.",
            "A label (name or alias) that logs use must point to one step, actor or document only.",
        ),
        "aliases: [Disposisi]",
        "two steps both with alias 'Disposisi'",
    ),
    _c(
        "SOP115",
        "sop.step_condition_in_branch",
        ERROR,
        None,
        ("Kondisi langkah di luar tenggat", "Step condition outside a deadline"),
        (
            "{where} menguji langkah '{ref}'; hanya kondisi tenggat yang boleh menguji langkah",
            "{where} tests step '{ref}'; only deadline conditions may test steps",
        ),
        (
            "Kondisi `{step: ID, done: ...}` diketahui setelah kasus dibaca, jadi hanya berlaku pada "
            "`when` sebuah tenggat. Cabang dan kelengkapan diputuskan dari atribut kasus.",
            "A `{step: ID, done: ...}` condition is known only once the case is read, so it may "
            "only be used in a deadline's `when`. Branches and inputs are decided from case "
            "attributes.",
        ),
        "deadlines:\n  - when: {step: banding_prefektur, done: false}",
        "next:\n  - {step: banding, when: {step: bayar, done: false}}",
    ),
    _c(
        "SOP116",
        "sop.bad_parallel",
        ERROR,
        None,
        ("Thread paralel tidak sah", "Invalid parallel threads"),
        (
            "thread paralel dari langkah '{step}' tidak sah: {reason}",
            "the parallel threads of step '{step}' are not valid: {reason}",
        ),
        (
            "Setiap thread dari `next: {parallel: [...], join: ...}` harus terpisah (tidak berbagi "
            "langkah), tidak memuat percabangan paralel lain, dan berakhir di join.",
            "Each thread of `next: {parallel: [...], join: ...}` must be separate (no shared "
            "steps), hold no further parallel split, and end at the join.",
        ),
        "next: {parallel: [cek, saran], join: putus}   # cek -> putus, saran -> putus",
        "next: {parallel: [cek, saran], join: putus}   # cek -> saran",
    ),
    # --- flow ---------------------------------------------------------------------------------
    _c(
        "FL001",
        "flow.skipped",
        ERROR,
        "kegiatan",
        ("Langkah dilewati", "Step skipped"),
        ("langkah {number} '{step}' tidak dilakukan", "step {number} '{step}' was not done"),
        (
            "Penjajaran optimal antara log dan SOP memerlukan langkah ini (model move) tanpa kejadian "
            "yang cocok: langkah itu dilewati. Konsekuensinya (mis. kelengkapan langkah berikut yang "
            "hilang) dilampirkan pada temuan ini, bukan dilaporkan terpisah.",
            "The optimal alignment of the case with the SOP needs this step (a model move) and no event "
            "matches it: the step was skipped. Its consequences (such as the next step's missing input) "
            "are attached to this finding, not reported on their own.",
        ),
        "1 Menerima, 2 Disposisi, 3 Rapat, ...",
        "1 Menerima, 3 Rapat   # 2 skipped",
    ),
    _c(
        "FL002",
        "flow.out_of_order",
        ERROR,
        "kegiatan",
        ("Langkah tidak berurutan", "Step out of order"),
        (
            "langkah {number} '{step}' dilakukan tidak pada urutannya",
            "step {number} '{step}' was done out of order",
        ),
        (
            "Kejadian langkah ini ada, tetapi pada posisi yang tidak diizinkan SOP (penjajaran: log "
            "move dan model move untuk langkah yang sama).",
            "The step happened, but at a position the SOP does not allow (in the alignment: a log move "
            "and a model move of the same step).",
        ),
        "1, 2, 3, 4",
        "1, 3, 2, 4   # 2 done after 3",
    ),
    _c(
        "FL003",
        "flow.unknown_activity",
        ERROR,
        "kegiatan",
        ("Kegiatan tidak dikenal SOP", "Activity the SOP does not know"),
        ("kegiatan '{activity}' tidak ada dalam SOP", "activity '{activity}' is not in the SOP"),
        (
            "Label kegiatan di log tidak cocok dengan id, nama atau alias langkah mana pun. Tambahkan "
            "alias bila itu nama lain dari sebuah langkah.",
            "The log's activity label matches no step id, name or alias. Add an alias if it is another "
            "name for a step.",
        ),
        "Menerima Surat Penawaran",
        "Rapat koordinasi tambahan",
    ),
    _c(
        "FL004",
        "flow.repeated",
        ERROR,
        "kegiatan",
        ("Langkah diulang", "Step repeated"),
        ("langkah {number} '{step}' dilakukan lagi", "step {number} '{step}' was done again"),
        (
            "Langkah yang sudah dilakukan muncul lagi tanpa diizinkan SOP (langkah dapat ditandai "
            "`repeatable: true`).",
            "A step already done appears again where the SOP does not allow it (a step may be marked "
            "`repeatable: true`).",
        ),
        "1, 2, 3",
        "1, 2, 2, 3",
    ),
    _c(
        "FL005",
        "flow.wrong_branch",
        ERROR,
        "kegiatan",
        ("Cabang yang salah untuk kasus ini", "Wrong branch for this case"),
        (
            "langkah {number} '{step}': kasus mengambil cabang yang tidak berlaku untuk {attributes}",
            "step {number} '{step}': the case took a branch that does not apply to {attributes}",
        ),
        (
            "Kasus mengikuti cabang yang kondisinya tidak berlaku untuk atribut kasus (mis. PKS disusun "
            "untuk kerja sama dengan Instansi Vertikal). Langkah-langkah cabang itu dilampirkan.",
            "The case followed a branch whose condition does not hold for its attributes (e.g. a PKS "
            "drafted for an Instansi Vertikal case). The steps of that branch are attached.",
        ),
        "Instansi Vertikal: 1, 2, 3, 4, 5, 9",
        "Instansi Vertikal: 1, 2, 3, 4, 5, 6, 7, 8, 9",
    ),
    _c(
        "FL006",
        "flow.ended_early",
        ERROR,
        "kegiatan",
        ("Kasus berhenti sebelum selesai", "Case ended early"),
        (
            "kasus ditutup sebelum langkah {number} '{step}'",
            "the case was closed before step {number} '{step}'",
        ),
        (
            "Log menyatakan kasus ditutup (`case.closed_when`), tetapi langkah SOP belum selesai.",
            "The log says the case was closed (`case.closed_when`), but SOP steps remain.",
        ),
        "status: ditutup after step 9",
        "status: ditutup after step 5 (KSDD)",
    ),
    # --- actor --------------------------------------------------------------------------------
    _c(
        "AC001",
        "actor.wrong_actor",
        ERROR,
        "pelaksana",
        ("Pelaksana salah", "Wrong actor"),
        (
            "langkah {number} '{step}' dilakukan oleh '{actual}', seharusnya '{expected}'",
            "step {number} '{step}' was done by '{actual}' instead of '{expected}'",
        ),
        (
            "Langkah dilakukan oleh pelaksana yang bukan pelaksana SOP dan bukan delegasi yang sah.",
            "The step was done by an actor who is neither the SOP's actor nor an allowed delegate.",
        ),
        "8 Penandatanganan PKS by Bupati",
        "8 Penandatanganan PKS by Bagian Hukum",
    ),
    _c(
        "AC002",
        "actor.delegation_without_document",
        ERROR,
        "pelaksana",
        ("Delegasi tanpa dokumen", "Delegation without its document"),
        (
            "langkah {number} '{step}' dilakukan oleh '{actual}' tanpa '{document}'",
            "step {number} '{step}' was done by '{actual}' without '{document}'",
        ),
        (
            "Langkah boleh dilakukan oleh delegasi hanya bila dokumen delegasinya ada (mis. PKS "
            "ditandatangani Kepala OPD Teknis dengan surat kuasa).",
            "A delegate may perform the step only when the delegation document is present (e.g. the "
            "PKS signed by the Kepala OPD Teknis with a surat kuasa).",
        ),
        "8 by kepala_opd_teknis, documents: surat_kuasa",
        "8 by kepala_opd_teknis, no surat_kuasa",
    ),
    _c(
        "AC003",
        "actor.unknown_person",
        WARNING,
        "pelaksana",
        ("Pelaksana tidak dikenal", "Actor not known"),
        (
            "langkah {number} '{step}': '{actual}' bukan pelaksana SOP ({roster})",
            "step {number} '{step}': '{actual}' is not an SOP actor ({roster})",
        ),
        (
            "Nilai pelaksana di log tidak cocok dengan id, nama atau alias pelaksana SOP, dan daftar "
            "pegawai (--roster) tidak memetakannya ke jabatan mana pun pada tanggal kejadian. Log "
            "mencatat orang, SOP mencatat jabatan: berikan roster agar pelaksana dapat dinilai.",
            "The log's actor value matches no SOP actor id, name or alias, and the roster (--roster) "
            "maps it to no role on the event's date. Logs record people where SOPs name roles: give "
            "a roster so that the actor can be judged.",
        ),
        "actor: 19700101 199001 1 001 (in the roster as bupati)",
        "actor: 19990101 202001 1 009 (not an SOP actor, not in the roster)",
    ),
    _c(
        "AC004",
        "actor.mode_not_allowed",
        WARNING,
        "keterangan",
        ("Cara pelaksanaan tidak diizinkan", "Mode not allowed"),
        (
            "langkah {number} '{step}' dilakukan secara '{mode}', yang diizinkan: {allowed}",
            "step {number} '{step}' was done '{mode}'; allowed: {allowed}",
        ),
        (
            "Atribut `mode` kejadian tidak termasuk cara yang diizinkan langkah (`modes`).",
            "The event's `mode` attribute is not one of the step's allowed `modes`.",
        ),
        "mode: desk_to_desk",
        "mode: email",
    ),
    # --- document -----------------------------------------------------------------------------
    _c(
        "DC001",
        "document.missing_input",
        ERROR,
        "kelengkapan",
        ("Kelengkapan tidak ada", "Required input missing"),
        (
            "langkah {number} '{step}' dilakukan tanpa '{document}'",
            "step {number} '{step}' ran without '{document}'",
        ),
        (
            "Dokumen ada bila datang bersama kasus, dihasilkan kejadian sebelumnya, atau dibawa "
            "kejadian itu sendiri.",
            "A document is present if it arrived with the case, an earlier event produced it, or the "
            "event carries it.",
        ),
        "4 Legal drafting, with rancangan_naskah produced by 3",
        "4 Legal drafting, no draft anywhere",
    ),
    _c(
        "DC002",
        "document.missing_output",
        ERROR,
        "output",
        ("Output tidak dihasilkan", "Required output not produced"),
        (
            "langkah {number} '{step}' tidak menghasilkan '{document}'",
            "step {number} '{step}' did not produce '{document}'",
        ),
        (
            "Kejadian langkah tidak mencatat dokumen output yang diwajibkan SOP untuk kasus ini.",
            "The step's event does not record an output the SOP requires for this case.",
        ),
        "8 documents: pks_ttd",
        "8 documents: (none)",
    ),
    # --- time ---------------------------------------------------------------------------------
    _c(
        "TM001",
        "time.step_overrun",
        ERROR,
        "waktu",
        ("Waktu langkah terlampaui", "Step took longer than allowed"),
        (
            "langkah {number} '{step}' terlambat {overrun} {unit} (diizinkan {allowed} {unit})",
            "step {number} '{step}' was {overrun} {unit} late (allowed {allowed} {unit})",
        ),
        (
            "Langkah yang diberi N hari kerja harus selesai paling lambat akhir hari kerja ke-N setelah "
            "hari kelengkapannya tiba (hari itu tidak dihitung). Lihat docs/time.md.",
            "A step allowed N working days must be complete by the end of the Nth working day after "
            "the day its input arrived (that day not counted). See docs/time.md.",
        ),
        "3 days allowed, done 3 working days later",
        "3 days allowed, done 5 working days later",
    ),
    _c(
        "TM002",
        "time.deadline_missed",
        ERROR,
        "waktu",
        ("Tenggat terlewati", "Deadline missed"),
        (
            "tenggat '{deadline}' terlewati {overrun} {unit} pada langkah {number} '{step}'",
            "deadline '{deadline}' missed by {overrun} {unit} at step {number} '{step}'",
        ),
        (
            "Tenggat yang dihitung dari langkah lain (tidak harus langkah sebelumnya) terlewati.",
            "A deadline counted from another step (not necessarily the one before) was missed.",
        ),
        "notification within 90 days of the fine",
        "notification on day 120",
    ),
    _c(
        "TM003",
        "time.attribute_deadline_missed",
        ERROR,
        "waktu",
        ("Tenggat kasus terlewati", "Case deadline missed"),
        (
            "tenggat '{deadline}' ({due}) terlewati pada langkah {number} '{step}'",
            "deadline '{deadline}' ({due}) missed at step {number} '{step}'",
        ),
        (
            "Tenggat yang dibaca dari atribut kasus terlewati.",
            "A deadline read from a case attribute was missed.",
        ),
        "ended before case:deadline",
        "ended after case:deadline",
    ),
    _c(
        "TM004",
        "time.case_overrun",
        WARNING,
        "waktu",
        ("Waktu total kasus terlampaui", "Case took longer than its path allows"),
        (
            "kasus memakan {elapsed} {unit}, jalannya mengizinkan {allowed} {unit}",
            "the case took {elapsed} {unit}; its path allows {allowed} {unit}",
        ),
        (
            "Jumlah waktu yang diizinkan sepanjang jalan kasus (mis. 27 hari kerja untuk KSDD) "
            "terlampaui. Bila sebuah langkah terlambat, temuan ini dilampirkan padanya.",
            "The total time allowed along the case's path (e.g. 27 working days for KSDD) was "
            "exceeded. When a step was late, this is attached to that finding.",
        ),
        "KSDD done in 25 working days",
        "KSDD done in 30 working days",
    ),
    _c(
        "TM005",
        "time.too_early",
        ERROR,
        "waktu",
        ("Langkah terlalu dini", "Step done too early"),
        (
            "langkah {number} '{step}' dilakukan {early} {unit} terlalu dini (tenggat '{deadline}': tidak sebelum {after} {unit})",
            "step {number} '{step}' was done {early} {unit} too early (deadline '{deadline}': not before {after} {unit})",
        ),
        (
            "Sebuah langkah tidak boleh dilakukan sebelum waktu tunggu minimum sejak langkah lain "
            "habis (mis. denda tambahan baru boleh dikenakan setelah 60 hari untuk membayar lewat).",
            "A step may not be done before a minimum wait after another step has run out (e.g. a "
            "penalty may be added only once the 60 days to pay have passed).",
        ),
        "penalty added 61 days after the notification",
        "penalty added 45 days after the notification",
    ),
    _c(
        "TM006",
        "time.start_unreadable",
        WARNING,
        "waktu",
        ("Tanggal mulai kasus tidak terbaca", "Case start date unreadable"),
        (
            "atribut '{attribute}' bernilai '{value}', bukan tanggal tahun {first}-{last}: waktu "
            "langkah pertama tidak diukur",
            "attribute '{attribute}' holds '{value}', not a date in the years {first}-{last}: the "
            "first step's time was not measured",
        ),
        (
            "Waktu langkah pertama dihitung dari atribut mulai kasus (case.start_attribute, mis. "
            "tanggal surat masuk). Bila nilainya ada tetapi bukan tanggal yang dapat dipakai (salah "
            "ketik, tanggal mustahil, tanggal pengganti seperti 9999-12-31), keterlambatan langkah "
            "pertama dan total waktu kasus tidak dapat diperiksa: temuan ini mencegah kasus lolos "
            "tanpa diperiksa.",
            "The first step's time counts from the case's start attribute (case.start_attribute, "
            "e.g. the date the letter arrived). When it holds a value that is not a usable date (a "
            "typo, an impossible date, a placeholder such as 9999-12-31), the first step's lateness "
            "and the case's total time cannot be checked: this finding keeps such a case from "
            "passing unchecked.",
        ),
        "tanggal_surat_masuk = 2025-01-20",
        "tanggal_surat_masuk = 2025-13-01",
    ),
    # --- case ---------------------------------------------------------------------------------
    _c(
        "CS001",
        "case.overdue",
        ERROR,
        "waktu",
        ("Kasus terlambat", "Case overdue"),
        (
            "langkah {number} '{step}' belum dilakukan dan tenggatnya ({due}) sudah lewat per {as_of}",
            "step {number} '{step}' is not done and its deadline ({due}) passed as of {as_of}",
        ),
        (
            "Kasus belum selesai dan pada tanggal audit (--as-of) tidak ada lagi jalan lanjut yang "
            "tepat waktu: waktu langkah berikutnya dihitung sejak masukannya tiba (seperti TM001). "
            "Langkah yang terlambat di salah satu alur paralel sudah cukup; di antara pilihan bebas, "
            "tenggat yang paling akhir yang menentukan, dan pilihan tanpa batas waktu membuat kasus "
            "tetap berjalan.",
            "The case is not finished and on the audit date (--as-of) no way on is on time any more: "
            "a next step's time counts from when its input arrived (as for TM001). A late step of "
            "one parallel thread is enough; among free choices the latest due date counts, and a "
            "choice without a time limit keeps the case in progress.",
        ),
        "last step yesterday, next allowed 3 days",
        "last step a month ago, next allowed 3 days",
    ),
    _c(
        "CS002",
        "case.before_effective",
        WARNING,
        None,
        ("Kasus sebelum SOP berlaku", "Case before the SOP took effect"),
        (
            "kasus dimulai {started}, sebelum revisi pertama berlaku ({effective})",
            "the case started on {started}, before the first revision took effect ({effective})",
        ),
        (
            "Tidak ada revisi SOP yang berlaku saat kasus dimulai; kasus tidak dinilai diam-diam "
            "dengan revisi pertama.",
            "No revision of the SOP was in force when the case started; it is not silently judged by "
            "the first one.",
        ),
        "case started after identity.dates.effective",
        "case started before it",
    ),
    _c(
        "CS003",
        "case.no_branch",
        ERROR,
        None,
        ("Tidak ada cabang untuk kasus ini", "No branch applies to this case"),
        (
            "langkah {number} '{step}': tidak ada cabang yang berlaku untuk {attributes}",
            "step {number} '{step}': no branch applies to {attributes}",
        ),
        (
            "Atribut kasus yang menentukan cabang tidak ada atau nilainya tidak dikenal SOP; alur "
            "dinilai terhadap semua cabang.",
            "The case attribute that decides the branch is missing or has a value the SOP does not "
            "know; the flow is judged against all branches.",
        ),
        "case:jenis_kerja_sama = KSDD",
        "case:jenis_kerja_sama missing",
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}


def get(code: str) -> Code:
    return BY_CODE[code]
