"""Messages: sop."""

MESSAGES: dict[str, dict[str, str]] = {}
MESSAGES["sop.invalid"] = {
    "id": "SOP tidak sah ({count} galat), yang pertama: {code} {detail}; jalankan 'sopcheck validate'",
    "en": "invalid SOP ({count} error(s)), the first: {code} {detail}; run 'sopcheck validate'",
}
