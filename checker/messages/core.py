"""Messages: reading files, YAML, and the JSON Schema."""

MESSAGES: dict[str, dict[str, str]] = {
    "file.not_found": {"id": "berkas tidak ditemukan", "en": "file not found"},
    "file.is_directory": {"id": "ini sebuah folder, bukan berkas", "en": "is a folder, not a file"},
    "file.unreadable": {
        "id": "berkas tidak dapat dibaca: {reason}",
        "en": "cannot read the file: {reason}",
    },
    "file.unwritable": {"id": "tidak dapat menulis berkas: {reason}", "en": "cannot write the file: {reason}"},
    "output.unwritable": {
        "id": "tidak dapat menulis ke keluaran standar: {reason}",
        "en": "cannot write to standard output: {reason}",
    },
    "output.closed": {
        "id": "keluaran standar tertutup; berikan -o BERKAS",
        "en": "standard output is closed; give -o FILE",
    },
    "file.too_large": {
        "id": "berkas terlalu besar (batas {limit_mb} MB)",
        "en": "file too large (limit {limit_mb} MB)",
    },
    "file.not_utf8": {
        "id": "bukan teks UTF-8 (bita {byte})",
        "en": "not UTF-8 text (byte {byte})",
    },
    "file.empty": {"id": "berkas kosong", "en": "the file is empty"},
    "file.binary": {"id": "berkas biner, bukan teks", "en": "binary file, not text"},
    "yaml.syntax": {"id": "YAML tidak sah: {reason}", "en": "invalid YAML: {reason}"},
    "yaml.tab": {
        "id": "karakter tab untuk indentasi tidak diperbolehkan dalam YAML; gunakan spasi",
        "en": "tab character used for indentation; YAML allows only spaces",
    },
    "yaml.duplicate_key": {
        "id": "kunci '{key}' ganda (sudah ada di baris {first})",
        "en": "duplicate key '{key}' (first defined on line {first})",
    },
    "yaml.unhashable_key": {
        "id": "kunci harus berupa teks sederhana",
        "en": "a key must be a plain scalar",
    },
    "yaml.alias_bomb": {
        "id": "alias YAML mengembang melebihi {limit} simpul (serangan 'billion laughs'?)",
        "en": "YAML aliases expand beyond {limit} nodes (a 'billion laughs' document?)",
    },
    "yaml.bad_tagged_value": {
        "id": "nilai '{value}' tidak dapat dibaca sebagai {tag}",
        "en": "the value '{value}' cannot be read as {tag}",
    },
    "yaml.too_deep": {"id": "struktur YAML terlalu dalam", "en": "YAML nesting too deep"},
    "yaml.not_mapping": {
        "id": "dokumen harus berupa pemetaan (kunci: nilai) pada tingkat teratas",
        "en": "the document must be a mapping (key: value) at the top level",
    },
    "schema.required": {
        "id": "properti wajib '{name}' tidak ada",
        "en": "missing required property '{name}'",
    },
    "schema.additional": {
        "id": "properti '{name}' tidak dikenal",
        "en": "unknown property '{name}'",
    },
    "schema.type": {
        "id": "nilai {value} harus bertipe {expected}",
        "en": "value {value} must be of type {expected}",
    },
    "schema.enum": {
        "id": "nilai {value} harus salah satu dari: {allowed}",
        "en": "value {value} must be one of: {allowed}",
    },
    "schema.pattern": {
        "id": "nilai {value} tidak sesuai pola {pattern}",
        "en": "value {value} does not match the pattern {pattern}",
    },
    "schema.format": {
        "id": "nilai {value} bukan {format} yang sah",
        "en": "value {value} is not a valid {format}",
    },
    "schema.min_items": {
        "id": "daftar harus berisi paling sedikit {limit} butir",
        "en": "the list must have at least {limit} item(s)",
    },
    "schema.minimum": {
        "id": "nilai {value} harus paling sedikit {limit}",
        "en": "value {value} must be at least {limit}",
    },
    "schema.unique": {
        "id": "daftar berisi butir ganda",
        "en": "the list has duplicate items",
    },
    "schema.shape": {
        "id": "nilai {value} tidak sesuai bentuk yang diizinkan untuk '{where}'",
        "en": "value {value} does not have an allowed form for '{where}'",
    },
    "schema.other": {
        "id": "tidak sah menurut skema: {detail}",
        "en": "invalid by the schema: {detail}",
    },
}
