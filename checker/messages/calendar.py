"""Messages: the working calendar (checker.workcal) and its calendar files."""

MESSAGES: dict[str, dict[str, str]] = {
    "calendar.unknown_weekday": {
        "id": "hari {value} tidak dikenal (gunakan senin ... minggu atau monday ... sunday)",
        "en": "unknown weekday {value} (use monday ... sunday or senin ... minggu)",
    },
    "calendar.bad_date": {
        "id": "tanggal {value} tidak ada",
        "en": "no such date: {value}",
    },
    "calendar.bad_timezone": {
        "id": "zona waktu {value} tidak dikenal (gunakan nama IANA seperti Asia/Jakarta, "
        "WIB, WITA, WIT, atau selisih seperti +07:00)",
        "en": "unknown time zone {value} (use an IANA name such as Asia/Jakarta, "
        "WIB, WITA, WIT, or an offset such as +07:00)",
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
