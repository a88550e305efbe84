"""Messages: readers (case logs), the roster, and `sopcheck inspect`."""

_MAP_HINT_ID = "petakan kolom dengan --map FIELD=KOLOM (mis. --map activity=Kegiatan) atau --mapping BERKAS"
_MAP_HINT_EN = "map columns with --map FIELD=COLUMN (e.g. --map activity=Kegiatan) or --mapping FILE"

MESSAGES: dict[str, dict[str, str]] = {
    # -- unusable files and options ---------------------------------------------------------
    "readers.unknown_extension": {
        "id": "jenis log tidak dikenali dari nama berkas; gunakan salah satu akhiran {formats}, "
        "atau sebutkan --log-format",
        "en": "cannot tell the log format from the file name; use one of {formats}, or give --log-format",
    },
    "readers.not_a_file": {
        "id": "bukan berkas biasa (pipa atau perangkat): log dibaca lebih dari sekali; "
        "simpan dulu ke sebuah berkas",
        "en": "not a regular file (a pipe or a device): a log is read more than once; save it to a file first",
    },
    "readers.unknown_format": {
        "id": "format log '{format}' tidak dikenal; pilihan: {formats}",
        "en": "unknown log format '{format}'; choose one of: {formats}",
    },
    "readers.xls_old": {
        "id": "berkas .xls (Excel 97-2003) tidak didukung; simpan ulang sebagai .xlsx atau CSV",
        "en": "old .xls (Excel 97-2003) files are not supported; save it as .xlsx or CSV",
    },
    "readers.bad_timezone": {
        "id": "zona waktu '{zone}' tidak dikenal; gunakan nama IANA (Asia/Jakarta), WIB, WITA, WIT, "
        "atau selisih seperti +07:00",
        "en": "unknown time zone '{zone}'; use an IANA name (Asia/Jakarta), WIB, WITA, WIT, "
        "or an offset such as +07:00",
    },
    "readers.bad_date_format": {
        "id": "format tanggal '{format}' tidak dapat dipakai; tulis dengan kode strptime, "
        "mis. %d/%m/%Y %H:%M",
        "en": "date format '{format}' cannot be used; write it with strptime codes, e.g. %d/%m/%Y %H:%M",
    },
    "readers.bad_encoding_name": {
        "id": "pengodean '{encoding}' tidak dikenal (contoh: utf-8, cp1252, latin-1, utf-16)",
        "en": "unknown encoding '{encoding}' (for example: utf-8, cp1252, latin-1, utf-16)",
    },
    "readers.bad_delimiter": {
        "id": "pemisah kolom '{delimiter}' tidak sah; berikan satu karakter (mis. ; atau |) atau tab",
        "en": "invalid delimiter '{delimiter}'; give one character (e.g. ; or |) or tab",
    },
    "readers.not_utf8": {
        "id": "bukan teks UTF-8 (bita {byte}); sebutkan pengodean berkas dengan --encoding, "
        "mis. --encoding cp1252",
        "en": "not UTF-8 text (byte {byte}); give the file's encoding with --encoding, "
        "e.g. --encoding cp1252",
    },
    "readers.bad_encoding": {
        "id": "teks tidak dapat dibaca sebagai {encoding} (bita {byte}); periksa --encoding",
        "en": "the text cannot be read as {encoding} (byte {byte}); check --encoding",
    },
    "readers.utf16": {
        "id": "berkas ini teks UTF-16; bacalah dengan --encoding utf-16",
        "en": "this file is UTF-16 text; read it with --encoding utf-16",
    },
    "readers.utf16_no_bom": {
        "id": "berkas ini tampaknya teks UTF-16 tanpa penanda urutan bita (BOM); bacalah dengan "
        "--encoding {suggest}",
        "en": "this file looks like UTF-16 text without a byte order mark (BOM); read it with "
        "--encoding {suggest}",
    },
    "readers.no_bom": {
        "id": "{encoding} memerlukan penanda urutan bita (BOM) di awal berkas, dan berkas ini tidak "
        "memilikinya; sebutkan --encoding {encoding}-le atau --encoding {encoding}-be",
        "en": "{encoding} needs a byte order mark (BOM) at the start of the file, and this file has "
        "none; give --encoding {encoding}-le or --encoding {encoding}-be",
    },
    "readers.unusable_encoding": {
        "id": "'{encoding}' bukan pengodean karakter yang dapat membaca berkas teks "
        "(contoh: utf-8, cp1252, latin-1, utf-16)",
        "en": "'{encoding}' is not a character encoding that can read a text file "
        "(for example: utf-8, cp1252, latin-1, utf-16)",
    },
    "readers.compressed": {
        "id": "berkas ini terkompresi gzip; ekstrak dulu, atau beri nama berakhiran .xes.gz bila isinya XES",
        "en": "this file is gzip-compressed; decompress it first, or name it .xes.gz if it holds XES",
    },
    "readers.zip_file": {
        "id": "berkas ini arsip zip (mungkin buku kerja Excel); untuk Excel gunakan akhiran .xlsx "
        "atau --log-format xlsx",
        "en": "this file is a zip archive (an Excel workbook?); for Excel use the .xlsx ending "
        "or --log-format xlsx",
    },
    "readers.header_only": {
        "id": "berkas hanya berisi baris judul, tanpa baris data",
        "en": "the file has a header row but no data rows",
    },
    "readers.header_too_long": {
        "id": "baris judul terlalu panjang; ini bukan ekspor log yang utuh",
        "en": "the header line is too long; this is not a proper log export",
    },
    "readers.no_records": {
        "id": "tidak ada baris data",
        "en": "there are no rows",
    },
    "readers.no_events": {
        "id": "log XES ini tidak berisi satu pun elemen <event>",
        "en": "this XES log has no <event> element",
    },
    "readers.missing_columns": {
        "id": "kolom wajib tidak ditemukan: {missing}; kolom yang ada: {found}; " + _MAP_HINT_ID,
        "en": "required columns not found: {missing}; columns found: {found}; " + _MAP_HINT_EN,
    },
    "readers.duplicate_column": {
        "id": "nama kolom '{column}' muncul lebih dari sekali",
        "en": "column name '{column}' appears more than once",
    },
    "readers.mapping_unknown_field": {
        "id": "field '{field}' tidak dikenal untuk --map/--mapping; pilihan: {fields}",
        "en": "unknown field '{field}' for --map/--mapping; choose one of: {fields}",
    },
    "readers.mapping_bad_item": {
        "id": "'{item}' bukan pemetaan; tulis --map FIELD=KOLOM, mis. --map activity=Kegiatan",
        "en": "'{item}' is not a mapping; write --map FIELD=COLUMN, e.g. --map activity=Kegiatan",
    },
    "readers.mapping_column_not_found": {
        "id": "kolom '{column}' (untuk {field}) tidak ada di log; kolom yang ada: {found}",
        "en": "column '{column}' (for {field}) is not in the log; columns found: {found}",
    },
    "readers.mapping_twice": {
        "id": "field {field} dipetakan dua kali: ke kolom '{first}' dan ke kolom '{second}'; "
        "berikan satu --map {field}=KOLOM",
        "en": "field {field} is mapped twice: to column '{first}' and to column '{second}'; "
        "give one --map {field}=COLUMN",
    },
    "readers.mapping_shared_column": {
        "id": "{first} dan {second} sama-sama dipetakan ke kolom '{column}'; "
        "petakan masing-masing ke kolomnya sendiri",
        "en": "{first} and {second} are both mapped to column '{column}'; map each to a column of its own",
    },
    "readers.mapping_default_taken": {
        "id": "{field} tidak punya kolom: kolom '{column}', tempat {field} dibaca bila tidak "
        "dipetakan, dipetakan ke {target}; petakan {field} ke kolom lain (--map {field}=KOLOM) "
        "atau {target} ke kolom lain",
        "en": "{field} has no column: column '{column}', where {field} is read when not mapped, "
        "is mapped to {target}; map {field} to another column (--map {field}=COLUMN) or {target} "
        "to another one",
    },
    "readers.csv_unreadable": {
        "id": "CSV tidak dapat dibaca: {detail}",
        "en": "unreadable CSV: {detail}",
    },
    "readers.csv_field_too_long": {
        "id": "kolom yang dimulai di baris ini lebih panjang dari {limit} karakter; "
        "mungkin ada tanda kutip yang tidak ditutup",
        "en": "a field starting on this line is longer than {limit} characters; an unclosed quote?",
    },
    "readers.csv_open_quote": {
        "id": "tanda kutip yang dibuka di sini tidak pernah ditutup, sehingga sisa berkas terbaca "
        "sebagai satu kolom; tutup atau hapus tanda kutip itu",
        "en": "a quote opened here is never closed, so the rest of the file would read as one "
        "field; close or remove that quote",
    },
    "readers.not_jsonl": {
        "id": "bukan JSON Lines (satu objek JSON per baris): {detail}",
        "en": "not JSON Lines (one JSON object per line): {detail}",
    },
    "readers.bad_json_file": {
        "id": "JSON tidak sah: {detail}",
        "en": "invalid JSON: {detail}",
    },
    "readers.xml_error": {
        "id": "XML tidak sah: {detail}",
        "en": "invalid XML: {detail}",
    },
    "readers.xml_doctype": {
        "id": "DOCTYPE dengan deklarasi entitas atau DTD eksternal ditolak (XES tidak memerlukannya; "
        "entitas dapat dipakai untuk serangan)",
        "en": "a DOCTYPE declaring entities or an external DTD is refused (XES needs none; "
        "entities can be an attack)",
    },
    "readers.not_xes": {
        "id": "bukan log XES: elemen akarnya <{root}>, bukan <log>",
        "en": "not an XES log: the root element is <{root}>, not <log>",
    },
    "readers.xes_case_id": {
        "id": "dalam XES, case_id harus atribut trace (case:NAMA), bukan '{column}'",
        "en": "in XES, case_id must be a trace attribute (case:NAME), not '{column}'",
    },
    "readers.xes_nested_trace": {
        "id": "elemen <trace> di dalam <trace> lain: peristiwa tidak dapat dipastikan milik kasus "
        "yang mana; tutup trace sebelumnya lebih dulu",
        "en": "a <trace> inside another <trace>: which case the events belong to cannot be told; "
        "close the outer trace first",
    },
    "readers.parquet_bad_text": {
        "id": "kolom teks '{column}' baris {row} bukan teks UTF-8 (bita {byte}); penulis berkas "
        "menyimpan bita lain di kolom teks",
        "en": "text column '{column}', row {row}, is not UTF-8 text (byte {byte}); the file's writer "
        "stored other bytes in a text column",
    },
    "readers.parquet_bad_value": {
        "id": "kolom '{column}' baris {row} ({type}) berisi nilai yang tidak dapat dibaca: tanggal atau "
        "waktu di luar tahun 1-9999, atau satuan waktu lebih halus dari mikrodetik",
        "en": "column '{column}', row {row} ({type}), holds a value that cannot be read: a date or time "
        "outside the years 1-9999, or a unit of time finer than microseconds",
    },
    "readers.gzip_truncated": {
        "id": "berkas gzip terpotong (tidak lengkap); unduh atau salin ulang berkasnya",
        "en": "the gzip file is truncated (incomplete); download or copy it again",
    },
    "readers.gzip_bad": {
        "id": "berkas gzip rusak: {detail}",
        "en": "corrupt gzip file: {detail}",
    },
    "readers.xlsx_unreadable": {
        "id": "buku kerja Excel tidak dapat dibaca: {detail}",
        "en": "cannot read the Excel workbook: {detail}",
    },
    "readers.xlsx_no_sheet": {
        "id": "lembar kerja '{sheet}' tidak ada; lembar yang ada: {sheets}",
        "en": "no sheet named '{sheet}'; sheets: {sheets}",
    },
    "readers.sheet_not_excel": {
        "id": "lembar kerja '{sheet}' (--sheet, atau sheet di berkas pemetaan) hanya untuk log Excel "
        "(.xlsx); log ini dibaca sebagai {format}, yang tidak memiliki lembar kerja: hapus sheet itu",
        "en": "sheet '{sheet}' (--sheet, or a mapping file's sheet) is for an Excel (.xlsx) log; "
        "this log is read as {format}, which has no sheets: leave the sheet out",
    },
    "readers.option_not_for_format": {
        "id": "--{option} '{value}' (atau {option} di berkas pemetaan) hanya untuk log yang dibaca "
        "sebagai {formats}; log ini dibaca sebagai {format}, yang tidak memakainya: hapus {option} itu",
        "en": "--{option} '{value}' (or a mapping file's {option}) is only for a log read as {formats}; "
        "this log is read as {format}, which does not use it: leave the {option} out",
    },
    "readers.xlsx_empty_sheet": {
        "id": "lembar kerja {sheet} kosong",
        "en": "sheet {sheet} is empty",
    },
    "readers.rejects_unwritable": {
        "id": "berkas baris ditolak tidak dapat ditulis: {reason}",
        "en": "cannot write the rejected-rows file: {reason}",
    },
    # -- rejected rows ----------------------------------------------------------------------
    "readers.reject.missing_value": {
        "id": "nilai {field} kosong (kolom {column})",
        "en": "no {field} (column {column})",
    },
    "readers.reject.bad_timestamp": {
        "id": "{field} '{value}' (kolom {column}) bukan cap waktu ISO 8601; untuk format lain "
        "berikan --date-format, mis. %d/%m/%Y %H:%M",
        "en": "{field} '{value}' (column {column}) is not an ISO 8601 timestamp; for another "
        "format give --date-format, e.g. %d/%m/%Y %H:%M",
    },
    "readers.reject.bad_timestamp_format": {
        "id": "{field} '{value}' (kolom {column}) tidak sesuai format {format} maupun ISO 8601",
        "en": "{field} '{value}' (column {column}) matches neither the format {format} nor ISO 8601",
    },
    "readers.reject.timestamp_out_of_range": {
        "id": "{field} '{value}' (kolom {column}) di luar tahun yang didukung, {first} sampai {last} "
        "(tanggal pengganti seperti 9999-12-31 atau tanggal nol Excel?)",
        "en": "{field} '{value}' (column {column}) is outside the supported years {first} to {last} "
        "(a placeholder such as 9999-12-31, or an Excel zero date?)",
    },
    "readers.reject.field_count": {
        "id": "baris berisi {got} kolom, padahal judul memiliki {expected}",
        "en": "the row has {got} fields where the header has {expected}",
    },
    "readers.reject.line_too_long": {
        "id": "baris lebih panjang dari {limit} karakter; dilewati tanpa dibaca",
        "en": "line longer than {limit} characters; skipped unread",
    },
    "readers.reject.bad_json": {
        "id": "JSON tidak sah: {detail}",
        "en": "invalid JSON: {detail}",
    },
    "readers.reject.not_object": {
        "id": "bukan objek JSON (kunci: nilai)",
        "en": "not a JSON object (key: value)",
    },
    "readers.reject.not_identifier": {
        "id": "{field} {value} (kunci {column}) bukan teks atau bilangan bulat",
        "en": "{field} {value} (key {column}) is not text or an integer",
    },
    "readers.reject.lone_surrogate": {
        "id": "teks tidak sah: surrogate tunggal {code} bukan karakter dan tidak dapat ditulis",
        "en": "invalid text: a lone surrogate {code} is not a character and cannot be written",
    },
    "readers.reject.event_outside_trace": {
        "id": "elemen <event> di luar <trace>: tidak ada kasusnya",
        "en": "<event> outside any <trace>: it has no case",
    },
    "readers.reject.event_in_event": {
        "id": "elemen <event> di dalam <event> lain: bukan peristiwa trace-nya",
        "en": "<event> inside another <event>: not an event of its trace",
    },
    # -- notes ------------------------------------------------------------------------------
    "readers.note.actor_fallback": {
        "id": "log tidak memiliki kolom actor atau org:resource; kolom {column} dipakai sebagai pelaku",
        "en": "the log has no actor or org:resource column; column {column} is used as the actor",
    },
    "readers.note.default_taken": {
        "id": "kolom '{column}', tempat {field} dibaca bila tidak dipetakan, dipetakan ke {target}",
        "en": "column '{column}', where {field} is read when not mapped, is mapped to {target}",
    },
    "readers.note.case_attribute_conflict": {
        "id": "kasus {case_id}: atribut kasus {names} berbeda antarbaris ({name}: '{value}', lalu "
        "'{other}'); nilai pertama yang dipakai",
        "en": "case {case_id}: case attributes {names} differ between rows ({name}: '{value}', then "
        "'{other}'); the first value is used",
    },
    "readers.note.empty_cases": {
        "id": "{count} kasus (trace) tanpa peristiwa",
        "en": "{count} cases (traces) without events",
    },
    "readers.note.repeated_case": {
        "id": "id kasus {case_id} dipakai oleh {count} trace (baris {lines}); peristiwanya dibaca bersama "
        "sebagai satu kasus, seperti baris-baris satu id kasus di mana pun letaknya dalam berkas CSV",
        "en": "case id {case_id} is used by {count} traces (lines {lines}); their events are read together "
        "as one case, as the rows of one case id are wherever they are in a CSV file",
    },
    "readers.note.repeated_cases": {
        "id": "{count} id kasus masing-masing dipakai oleh beberapa trace; hanya {shown} yang pertama disebut",
        "en": "{count} case ids are each used by several traces; only the first {shown} are named",
    },
    "readers.note.spilled_ungrouped": {
        "id": "log tidak berurutan per kasus; peristiwa dikelompokkan ulang melalui berkas "
        "sementara (sqlite) agar memori tetap terbatas",
        "en": "the log is not grouped by case; events were regrouped through a temporary sqlite "
        "file so that memory stays bounded",
    },
    "readers.note.spilled_one_pass": {
        "id": "sumber hanya dapat dibaca sekali; peristiwa dikelompokkan per kasus melalui berkas "
        "sementara (sqlite)",
        "en": "the source can be read only once; events were grouped by case through a temporary sqlite file",
    },
    "readers.note.json_array": {
        "id": "berkas JSON berupa satu larik dibaca utuh ke memori; JSON Lines dapat dialirkan",
        "en": "a JSON file holding one array is read whole into memory; JSON Lines can be streamed",
    },
    "readers.note.no_complete_events": {
        "id": "tidak ada peristiwa complete: semua baris adalah transisi siklus hidup lain",
        "en": "no complete events: every row is another lifecycle transition",
    },
    "readers.note.xes_bad_value": {
        "id": "baris {line}: nilai '{value}' pada atribut {key} tidak sah untuk tipe {type}; "
        "disimpan sebagai teks",
        "en": "line {line}: value '{value}' of attribute {key} is not a valid {type}; kept as text",
    },
    "readers.note.xes_no_value": {
        "id": "baris {line}: atribut {key} bertipe {type} tidak memiliki nilai (tanpa value=)",
        "en": "line {line}: attribute {key} of type {type} has no value (no value=)",
    },
    "readers.note.xes_bad_values": {
        "id": "{count} nilai atribut XES tidak sesuai tipenya (disimpan sebagai teks)",
        "en": "{count} XES attribute values do not match their type (kept as text)",
    },
    # -- roster ---------------------------------------------------------------------------
    "roster.bad_date": {
        "id": "{field} '{value}' bukan tanggal (tulis TTTT-BB-HH, mis. 2026-01-31)",
        "en": "{field} '{value}' is not a date (write YYYY-MM-DD, e.g. 2026-01-31)",
    },
    "roster.no_person": {
        "id": "entri roster tanpa person, name, atau nip",
        "en": "roster entry without person, name or nip",
    },
    "roster.no_actor": {
        "id": "entri roster tanpa actor (id pelaksana dalam SOP)",
        "en": "roster entry without actor (the SOP actor id)",
    },
    "roster.no_valid_from": {
        "id": "entri roster tanpa valid_from (tanggal mulai menjabat)",
        "en": "roster entry without valid_from (the date the post began)",
    },
    "roster.bad_range": {
        "id": "valid_to {valid_to} lebih awal daripada valid_from {valid_from}",
        "en": "valid_to {valid_to} is before valid_from {valid_from}",
    },
    "roster.csv_columns": {
        "id": "kolom roster tidak ada: {missing}; kolom yang ada: {found} "
        "(perlu person atau name atau nip, actor, valid_from, dan boleh valid_to)",
        "en": "roster columns missing: {missing}; columns found: {found} "
        "(needs person or name or nip, actor, valid_from, and optionally valid_to)",
    },
    "roster.empty": {
        "id": "roster tidak berisi entri",
        "en": "the roster has no entries",
    },
    # -- sopcheck inspect --------------------------------------------------------------------
    "inspect.log": {"id": "Log", "en": "Log"},
    "inspect.format": {"id": "Format", "en": "Format"},
    "inspect.cases": {"id": "Kasus", "en": "Cases"},
    "inspect.events_read": {"id": "Peristiwa terbaca", "en": "Events read"},
    "inspect.events": {
        "id": "Peristiwa setelah pemasangan start/complete",
        "en": "Events after start/complete pairing",
    },
    "inspect.rows": {"id": "Baris", "en": "Rows"},
    "inspect.rows_value": {
        "id": "{read} dibaca = {accepted} diterima + {rejected} ditolak",
        "en": "{read} read = {accepted} accepted + {rejected} rejected",
    },
    "inspect.duplicates": {"id": "Peristiwa kembar", "en": "Duplicate events"},
    "inspect.grouped": {"id": "Berurutan per kasus", "en": "Grouped by case"},
    "inspect.yes": {"id": "ya", "en": "yes"},
    "inspect.no": {"id": "tidak", "en": "no"},
    "inspect.spilled": {
        "id": "(dikelompokkan ulang lewat berkas sementara)",
        "en": "(regrouped through a temporary file)",
    },
    "inspect.time_range": {"id": "Rentang waktu", "en": "Time range"},
    "inspect.date_only": {"id": "Hanya tanggal", "en": "Date-only"},
    "inspect.date_only_value": {
        "id": "{count} dari {events} peristiwa (tanpa jam)",
        "en": "{count} of {events} events (no time of day)",
    },
    "inspect.midnight": {
        "id": "Tepat pukul 00:00 (mungkin hanya tanggal)",
        "en": "At exactly 00:00 (possibly day precision)",
    },
    "inspect.zones": {"id": "Zona waktu", "en": "Zones seen"},
    "inspect.declared_timezone": {
        "id": "Zona untuk cap waktu tanpa zona",
        "en": "Zone for timestamps without one",
    },
    "inspect.lifecycle": {"id": "Siklus hidup", "en": "Lifecycle"},
    "inspect.lifecycle_value": {
        "id": "{paired} start dipasangkan, {unpaired} start tanpa complete, transisi lain: {other}",
        "en": "{paired} starts paired, {unpaired} starts never completed, other transitions: {other}",
    },
    "inspect.documents": {"id": "Dokumen", "en": "Documents"},
    "inspect.documents_value": {
        "id": "{events} peristiwa membawa dokumen; {cases} kasus datang dengan dokumen",
        "en": "{events} events carry documents; {cases} cases arrived with documents",
    },
    "inspect.blank_rows": {"id": "Baris kosong (dilewati)", "en": "Empty rows (skipped)"},
    "inspect.activities": {"id": "Aktivitas", "en": "Activities"},
    "inspect.actors": {"id": "Pelaku", "en": "Actors"},
    "inspect.without_actor": {"id": "peristiwa tanpa pelaku", "en": "events without an actor"},
    "inspect.case_attributes": {"id": "Atribut kasus", "en": "Case attributes"},
    "inspect.event_attributes": {"id": "Atribut peristiwa", "en": "Event attributes"},
    "inspect.roles": {"id": "Peran SOP menurut roster", "en": "SOP roles by the roster"},
    "inspect.unknown_people": {
        "id": "Pelaku yang tidak ada di roster",
        "en": "Actors not in the roster",
    },
    "inspect.no_role_on_date": {
        "id": "Peristiwa oleh orang yang tidak menjabat pada tanggal itu",
        "en": "Events by people holding no role on that date",
    },
    "inspect.rejected_rows": {"id": "Baris ditolak", "en": "Rejected rows"},
    "inspect.row": {"id": "baris {row}", "en": "row {row}"},
    "inspect.more_rejects": {
        "id": "... dan {count} lagi (semuanya ada di --format json dan --rejects BERKAS)",
        "en": "... and {count} more (all of them in --format json and --rejects FILE)",
    },
    "inspect.duplicate_rows": {"id": "Peristiwa kembar", "en": "Duplicate events"},
    "inspect.duplicate": {
        "id": "baris {row} sama persis dengan baris {first}",
        "en": "row {row} is an exact duplicate of row {first}",
    },
    "inspect.notes": {"id": "Catatan", "en": "Notes"},
}
