"""Messages: the working calendar (checker.workcal) and its calendar files."""

MESSAGES: dict[str, dict[str, str]] = {
    "calendar.unreadable": {
        "id": "berkas kalender tidak dapat dibaca: {error}",
        "en": "cannot read the calendar file: {error}",
    },
    "calendar.yaml": {
        "id": "kalender bukan YAML yang sah: {problem}",
        "en": "the calendar is not valid YAML: {problem}",
    },
    "calendar.duplicate_key": {
        "id": "kunci {key} muncul dua kali",
        "en": "key {key} appears twice",
    },
    "calendar.unknown_key": {
        "id": "kunci {key} tidak dikenal di {field}",
        "en": "unknown key {key} in {field}",
    },
    "calendar.missing_key": {
        "id": "{field} tidak memiliki {key}",
        "en": "{field} lacks {key}",
    },
    "calendar.bad_value": {
        "id": "{field}: nilai {value} tidak sah (seharusnya {expected})",
        "en": "{field}: invalid value {value} (expected {expected})",
    },
    "calendar.expected_one_of": {
        "id": "salah satu dari {values}",
        "en": "one of {values}",
    },
    "calendar.expected_like": {
        "id": "seperti {example}",
        "en": "like {example}",
    },
    "calendar.expected_type": {
        "id": "tipe {type}",
        "en": "a {type}",
    },
    "calendar.bad_date": {
        "id": "tanggal {value} tidak ada",
        "en": "no such date: {value}",
    },
    "calendar.bad_timezone": {
        "id": "zona waktu {value} tidak dikenal (gunakan nama IANA seperti Asia/Jakarta, "
        "atau WIB, WITA, WIT)",
        "en": "unknown time zone {value} (use an IANA name such as Asia/Jakarta, "
        "or WIB, WITA, WIT)",
    },
    "calendar.bad_hours": {
        "id": "jam kerja {value}: setiap rentang harus berakhir setelah mulai dan setelah "
        "rentang sebelumnya",
        "en": "working hours {value}: each range must end after it starts and start after "
        "the previous one ends",
    },
    "calendar.no_hours": {
        "id": "{day} bukan akhir pekan tetapi tidak memiliki jam kerja",
        "en": "{day} is not a weekend day but has no working hours",
    },
    "calendar.duplicate_day": {
        "id": "tanggal {date} dideklarasikan lebih dari sekali",
        "en": "date {date} is declared more than once",
    },
    "calendar.describe": {
        "id": "ID libur nasional+cuti bersama (holidays {version}), {tz}",
        "en": "ID public+government (holidays {version}), {tz}",
    },
    "calendar.describe_file": {
        "id": "+ berkas {file}",
        "en": "+ file {file}",
    },
    "calendar.weekday.0": {"id": "Senin", "en": "Monday"},
    "calendar.weekday.1": {"id": "Selasa", "en": "Tuesday"},
    "calendar.weekday.2": {"id": "Rabu", "en": "Wednesday"},
    "calendar.weekday.3": {"id": "Kamis", "en": "Thursday"},
    "calendar.weekday.4": {"id": "Jumat", "en": "Friday"},
    "calendar.weekday.5": {"id": "Sabtu", "en": "Saturday"},
    "calendar.weekday.6": {"id": "Minggu", "en": "Sunday"},
}
