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
