"""Messages: sop."""

MESSAGES: dict[str, dict[str, str]] = {}
MESSAGES["sop.invalid"] = {
    "id": "SOP tidak sah ({count} galat), yang pertama: {code} {detail}; jalankan 'sopcheck validate'",
    "en": "invalid SOP ({count} error(s)), the first: {code} {detail}; run 'sopcheck validate'",
}

# The YAML loader (checker/sop/yamlload.py), for every YAML file: SOPs, calendars, rosters,
# mapping files, example cases.
MESSAGES["yaml.lone_surrogate"] = {
    "id": "teks tidak sah: surrogate tunggal {code} bukan karakter dan tidak dapat ditulis",
    "en": "invalid text: a lone surrogate {code} is not a character and cannot be written",
}

# JSON Schema keywords without a message in checker/messages/core.py (checker/sop/schema.py,
# MESSAGE_FOR). {value} is the value as YAML writes it; {limit} the keyword's bound.
MESSAGES.update(
    {
        "schema.empty_text": {
            "id": "teks tidak boleh kosong",
            "en": "the text must not be empty",
        },
        "schema.min_length": {
            "id": "teks {value} terlalu pendek: paling sedikit {limit} karakter",
            "en": "the text {value} is too short: at least {limit} characters",
        },
        "schema.max_length": {
            "id": "teks {value} terlalu panjang: paling banyak {limit} karakter",
            "en": "the text {value} is too long: at most {limit} characters",
        },
        "schema.max_items": {
            "id": "daftar boleh berisi paling banyak {limit} butir",
            "en": "the list may have at most {limit} item(s)",
        },
        "schema.maximum": {
            "id": "nilai {value} harus paling banyak {limit}",
            "en": "value {value} must be at most {limit}",
        },
        "schema.exclusive_minimum": {
            "id": "nilai {value} harus lebih dari {limit}",
            "en": "value {value} must be more than {limit}",
        },
        "schema.exclusive_maximum": {
            "id": "nilai {value} harus kurang dari {limit}",
            "en": "value {value} must be less than {limit}",
        },
        "schema.multiple_of": {
            "id": "nilai {value} harus kelipatan {limit}",
            "en": "value {value} must be a multiple of {limit}",
        },
        "schema.min_properties": {
            "id": "pemetaan harus berisi paling sedikit {limit} kunci",
            "en": "the mapping must have at least {limit} key(s)",
        },
        "schema.max_properties": {
            "id": "pemetaan boleh berisi paling banyak {limit} kunci",
            "en": "the mapping may have at most {limit} key(s)",
        },
        "schema.contains": {
            "id": "daftar harus berisi paling sedikit {limit} butir dengan bentuk yang diizinkan",
            "en": "the list must hold at least {limit} item(s) of the allowed form",
        },
        "schema.max_contains": {
            "id": "daftar boleh berisi paling banyak {limit} butir dengan bentuk itu",
            "en": "the list may hold at most {limit} item(s) of that form",
        },
        "schema.dependent_required": {
            "id": "properti '{name}' wajib ada bila '{key}' ada",
            "en": "property '{name}' is required when '{key}' is given",
        },
    }
)
