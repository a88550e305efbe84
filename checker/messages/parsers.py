"""Messages: the problem texts of the parsing libraries, PyYAML (SOPs, mappings, rosters) and
libxml2 through lxml (XES logs), which reach the user inside `yaml.syntax` and `readers.xml_error`.

The libraries speak English. Each entry's `en` is the library's own text, its variable parts
written as {placeholders}; it is also the pattern the text is recognised by (literal parts exact,
each placeholder any text). `id` renders it in Indonesian; a placeholder listed in TERMS has its
value translated too (token and node names, decoding reasons), other values are shown as found.
Entries are tried in order: a specific one comes before a more general one it overlaps.

`yaml_problem(text)` and `xml_problem(text)` give a text in both languages: English is the
library's text unchanged; a text in no entry stays English in Indonesian too (never lost).

The other libraries' texts (Python's JSON decoder; zipfile, zlib, openpyxl and expat in an Excel
workbook; pyarrow) are entries of checker/messages/libraries.py, matched here the same way by
`json_problem`, `xlsx_problem` and `parquet_problem`; `os_problem(err)` gives an OSError's
strerror with the Indonesian of its errno; `own_detail(key)` one of our own details there.
"""

from __future__ import annotations

import errno
import re
import string

from checker.messages import libraries
from checker.sop.model import Text

# -- PyYAML (yaml/scanner.py, parser.py, composer.py, constructor.py, reader.py) ------------------
# The `problem` of each error, then the `context` ("while scanning ..."), which is shown when an
# error has no problem.
YAML: dict[str, dict[str, str]] = {
    # scanner.py
    "pyyaml.cannot_start_token": {
        "id": "ditemukan karakter {char} yang tidak dapat mengawali token YAML apa pun",
        "en": "found character {char} that cannot start any token",
    },
    "pyyaml.simple_key_colon": {
        "id": "tanda ':' yang diperlukan tidak ditemukan",
        "en": "could not find expected ':'",
    },
    "pyyaml.sequence_entries_here": {
        "id": "butir daftar ('- ') tidak diperbolehkan di sini",
        "en": "sequence entries are not allowed here",
    },
    "pyyaml.mapping_keys_here": {
        "id": "kunci pemetaan ('? ') tidak diperbolehkan di sini",
        "en": "mapping keys are not allowed here",
    },
    "pyyaml.mapping_values_here": {
        "id": "nilai pemetaan (setelah ':') tidak diperbolehkan di sini",
        "en": "mapping values are not allowed here",
    },
    "pyyaml.expected_alphanumeric": {
        "id": "seharusnya huruf atau angka, tetapi ditemukan {char}",
        "en": "expected alphabetic or numeric character, but found {char}",
    },
    "pyyaml.expected_digit_or_dot": {
        "id": "seharusnya angka atau '.', tetapi ditemukan {char}",
        "en": "expected a digit or '.', but found {char}",
    },
    "pyyaml.expected_digit_or_space": {
        "id": "seharusnya angka atau spasi, tetapi ditemukan {char}",
        "en": "expected a digit or ' ', but found {char}",
    },
    "pyyaml.expected_digit": {
        "id": "seharusnya angka, tetapi ditemukan {char}",
        "en": "expected a digit, but found {char}",
    },
    "pyyaml.expected_space": {
        "id": "seharusnya spasi, tetapi ditemukan {char}",
        "en": "expected ' ', but found {char}",
    },
    "pyyaml.expected_comment_or_break": {
        "id": "seharusnya komentar atau akhir baris, tetapi ditemukan {char}",
        "en": "expected a comment or a line break, but found {char}",
    },
    "pyyaml.expected_block_indicators": {
        "id": "seharusnya indikator pemangkasan (+ atau -) atau indikator indentasi (1-9), "
        "tetapi ditemukan {char}",
        "en": "expected chomping or indentation indicators, but found {char}",
    },
    "pyyaml.indentation_indicator_zero": {
        "id": "seharusnya indikator indentasi dalam rentang 1-9, tetapi ditemukan 0",
        "en": "expected indentation indicator in the range 1-9, but found 0",
    },
    "pyyaml.expected_hex_escape": {
        "id": "seharusnya urutan escape berisi {count} digit heksadesimal, tetapi ditemukan {char}",
        "en": "expected escape sequence of {count} hexadecimal numbers, but found {char}",
    },
    "pyyaml.unknown_escape": {
        "id": "ditemukan karakter escape {char} yang tidak dikenal",
        "en": "found unknown escape character {char}",
    },
    "pyyaml.end_of_stream": {
        "id": "berkas berakhir sebelum tanda kutip ditutup",
        "en": "found unexpected end of stream",
    },
    "pyyaml.document_separator": {
        "id": "ditemukan pemisah dokumen ('---' atau '...') yang tidak terduga di dalam teks bertanda kutip",
        "en": "found unexpected document separator",
    },
    "pyyaml.expected_bang": {
        "id": "seharusnya '!', tetapi ditemukan {char}",
        "en": "expected '!', but found {char}",
    },
    "pyyaml.expected_gt": {
        "id": "seharusnya '>', tetapi ditemukan {char}",
        "en": "expected '>', but found {char}",
    },
    "pyyaml.expected_uri": {
        "id": "seharusnya URI, tetapi ditemukan {char}",
        "en": "expected URI, but found {char}",
    },
    "pyyaml.expected_uri_escape": {
        "id": "seharusnya escape URI berupa 2 digit heksadesimal, tetapi ditemukan {char}",
        "en": "expected URI escape sequence of 2 hexadecimal numbers, but found {char}",
    },
    # A %-escape in a tag URI that is not UTF-8: the problem is Python's UnicodeDecodeError.
    "pyyaml.uri_not_decodable": {
        "id": "bita {byte} pada posisi {position} tidak dapat diurai sebagai {codec}: {reason}",
        "en": "'{codec}' codec can't decode byte {byte} in position {position}: {reason}",
    },
    # reader.py (the text is yamlload's: the reader's own message without its position)
    "pyyaml.unacceptable_character": {
        "id": "karakter #x{code} tidak dapat diterima: {reason}",
        "en": "unacceptable character #x{code}: {reason}",
    },
    # parser.py
    "pyyaml.expected_document_start": {
        "id": "seharusnya awal dokumen ('---'), tetapi ditemukan {token}",
        "en": "expected '<document start>', but found {token}",
    },
    "pyyaml.duplicate_yaml_directive": {
        "id": "ditemukan direktif %YAML ganda",
        "en": "found duplicate YAML directive",
    },
    "pyyaml.incompatible_version": {
        "id": "dokumen YAML tidak kompatibel (diperlukan versi 1.*)",
        "en": "found incompatible YAML document (version 1.* is required)",
    },
    "pyyaml.duplicate_tag_handle": {
        "id": "awalan tag {handle} dideklarasikan lebih dari sekali",
        "en": "duplicate tag handle {handle}",
    },
    "pyyaml.undefined_tag_handle": {
        "id": "ditemukan awalan tag {handle} yang tidak dideklarasikan",
        "en": "found undefined tag handle {handle}",
    },
    "pyyaml.expected_node_content": {
        "id": "seharusnya isi simpul, tetapi ditemukan {token}",
        "en": "expected the node content, but found {token}",
    },
    "pyyaml.expected_block_end": {
        "id": "seharusnya akhir blok, tetapi ditemukan {token}",
        "en": "expected <block end>, but found {token}",
    },
    "pyyaml.expected_flow_sequence_end": {
        "id": "seharusnya ',' atau ']', tetapi ditemukan {token}",
        "en": "expected ',' or ']', but got {token}",
    },
    "pyyaml.expected_flow_mapping_end": {
        "id": "seharusnya ',' atau '}}', tetapi ditemukan {token}",
        "en": "expected ',' or '}}', but got {token}",
    },
    # composer.py
    "pyyaml.another_document": {
        "id": "ditemukan dokumen lain, padahal berkas hanya boleh berisi satu dokumen",
        "en": "but found another document",
    },
    "pyyaml.undefined_alias": {
        "id": "ditemukan alias {alias} yang tidak didefinisikan",
        "en": "found undefined alias {alias}",
    },
    "pyyaml.anchor_second_occurrence": {
        "id": "jangkar yang sama muncul untuk kedua kalinya di sini",
        "en": "second occurrence",
    },
    # constructor.py
    "pyyaml.no_constructor": {
        "id": "tag {tag} tidak dikenal sehingga nilainya tidak dapat dibentuk",
        "en": "could not determine a constructor for the tag {tag}",
    },
    "pyyaml.forbidden_state_key": {
        "id": "kunci '{key}' yang dilarang ditemukan dalam status objek",
        "en": "blacklisted key '{key}' in instance state found",
    },
    "pyyaml.recursive_node": {
        "id": "ditemukan simpul rekursif yang tidak dapat dibentuk",
        "en": "found unconstructable recursive node",
    },
    "pyyaml.expected_node_kind": {
        "id": "seharusnya simpul {expected}, tetapi ditemukan {node}",
        "en": "expected a {expected} node, but found {node}",
    },
    "pyyaml.unhashable_key": {
        "id": "ditemukan kunci berupa daftar atau pemetaan; kunci harus berupa nilai sederhana",
        "en": "found unhashable key",
    },
    "pyyaml.merge_mapping_or_list": {
        "id": "penggabungan ('<<') seharusnya berisi pemetaan atau daftar pemetaan, tetapi ditemukan {node}",
        "en": "expected a mapping or list of mappings for merging, but found {node}",
    },
    "pyyaml.merge_mapping": {
        "id": "penggabungan ('<<') seharusnya berisi pemetaan, tetapi ditemukan {node}",
        "en": "expected a mapping for merging, but found {node}",
    },
    "pyyaml.base64_ascii": {
        "id": "data base64 tidak dapat diubah menjadi ASCII: {error}",
        "en": "failed to convert base64 data into ascii: {error}",
    },
    "pyyaml.base64_decode": {
        "id": "data base64 tidak dapat diurai: {error}",
        "en": "failed to decode base64 data: {error}",
    },
    "pyyaml.expected_sequence": {
        "id": "seharusnya daftar, tetapi ditemukan {node}",
        "en": "expected a sequence, but found {node}",
    },
    "pyyaml.expected_mapping_length_one": {
        "id": "seharusnya pemetaan dengan satu butir, tetapi ditemukan {node}",
        "en": "expected a mapping of length 1, but found {node}",
    },
    "pyyaml.expected_single_item": {
        "id": "seharusnya satu butir pemetaan, tetapi ditemukan {count} butir",
        "en": "expected a single mapping item, but found {count} items",
    },
    "pyyaml.empty_name": {
        "id": "nama setelah tag tidak boleh kosong",
        "en": "expected non-empty name appended to the tag",
    },
    "pyyaml.module_not_found": {
        "id": "modul {module} tidak ditemukan ({error})",
        "en": "cannot find module {module} ({error})",
    },
    "pyyaml.module_not_imported": {
        "id": "modul {module} belum diimpor",
        "en": "module {module} is not imported",
    },
    "pyyaml.name_not_in_module": {
        "id": "{name} tidak ditemukan dalam modul {module}",
        "en": "cannot find {name} in the module {module}",
    },
    "pyyaml.expected_empty_value": {
        "id": "seharusnya nilai kosong, tetapi ditemukan {value}",
        "en": "expected the empty value, but found {value}",
    },
    "pyyaml.expected_class": {
        "id": "seharusnya sebuah kelas, tetapi ditemukan {value}",
        "en": "expected a class, but found {value}",
    },
    # contexts
    "pyyaml.single_document": {
        "id": "berkas seharusnya berisi satu dokumen saja",
        "en": "expected a single document in the stream",
    },
    "pyyaml.duplicate_anchor": {
        "id": "ditemukan jangkar {anchor} ganda; kemunculan pertamanya",
        "en": "found duplicate anchor {anchor}; first occurrence",
    },
    "pyyaml.while_next_token": {
        "id": "saat mencari token berikutnya",
        "en": "while scanning for the next token",
    },
    "pyyaml.while_scanning": {"id": "saat memindai {thing}", "en": "while scanning {thing}"},
    "pyyaml.while_parsing": {"id": "saat mengurai {thing}", "en": "while parsing {thing}"},
    "pyyaml.while_constructing": {"id": "saat membentuk {thing}", "en": "while constructing {thing}"},
}

# -- libxml2, as lxml reports it (XMLSyntaxError.msg) --------------------------------------------
# lxml appends the position to libxml2's text: "<text>, line L, column C" (lxml.position).
XML: dict[str, dict[str, str]] = {
    "lxml.position": {
        "id": "{detail} (baris {line}, kolom {column})",
        "en": "{detail}, line {line}, column {column}",
    },
    "lxml.no_element": {
        "id": "tidak ditemukan satu elemen pun",
        "en": "no element found",
    },
    "libxml2.premature_end": {
        "id": "data berakhir sebelum tag <{tag}> yang dibuka di baris {line} ditutup",
        "en": "Premature end of data in tag {tag} line {line}",
    },
    "libxml2.tag_mismatch": {
        "id": "tag pembuka <{opening}> di baris {line} tidak cocok dengan tag penutup </{ending}>",
        "en": "Opening and ending tag mismatch: {opening} line {line} and {ending}",
    },
    "libxml2.start_tag_expected": {
        "id": "seharusnya ada tag pembuka, tetapi '<' tidak ditemukan",
        "en": "Start tag expected, '<' not found",
    },
    "libxml2.extra_content": {
        "id": "terdapat isi tambahan setelah akhir dokumen",
        "en": "Extra content at the end of the document",
    },
    "libxml2.document_empty": {"id": "dokumen kosong", "en": "Document is empty"},
    "libxml2.attributes_construct": {
        "id": "susunan atribut tidak sah",
        "en": "attributes construct error",
    },
    "libxml2.start_tag_end_line": {
        "id": "akhir tag pembuka <{tag}> di baris {line} tidak ditemukan",
        "en": "Couldn't find end of Start Tag {tag} line {line}",
    },
    "libxml2.start_tag_end": {
        "id": "akhir tag pembuka <{tag}> tidak ditemukan",
        "en": "Couldn't find end of Start Tag {tag}",
    },
    "libxml2.end_tag_start": {
        "id": "awal tag penutup '</' tidak ditemukan",
        "en": "EndTag: '</' not found",
    },
    "libxml2.gt_expected": {
        "id": "tanda '>' yang diperlukan tidak ditemukan",
        "en": "expected '>'",
    },
    "libxml2.element_name": {
        "id": "nama elemen pada tag pembuka tidak sah",
        "en": "StartTag: invalid element name",
    },
    "libxml2.name_too_long": {
        "id": "nama terlalu panjang ({kind})",
        "en": "Name too long: {kind}",
    },
    "libxml2.qname": {
        "id": "nama berawalan '{name}' tidak dapat diurai",
        "en": "Failed to parse QName '{name}'",
    },
    "libxml2.entity_no_name": {
        "id": "tanda '&' tidak diikuti nama entitas",
        "en": "xmlParseEntityRef: no name",
    },
    "libxml2.entity_semicolon": {
        "id": "rujukan entitas tidak diakhiri tanda ';'",
        "en": "EntityRef: expecting ';'",
    },
    "libxml2.entity_undefined": {
        "id": "entitas '{name}' tidak didefinisikan",
        "en": "Entity '{name}' not defined",
    },
    "libxml2.char_out_of_range": {
        "id": "karakter tidak sah: {code} berada di luar rentang karakter yang diperbolehkan",
        "en": "Invalid character: Char {code} out of allowed range",
    },
    "libxml2.char_out_of_range_short": {
        "id": "{code} berada di luar rentang karakter yang diperbolehkan",
        "en": "Char {code} out of allowed range",
    },
    "libxml2.text_char": {
        "id": "nilai karakter {code} tidak sah di dalam teks",
        "en": "PCDATA invalid Char value {code}",
    },
    "libxml2.attribute_char": {
        "id": "karakter tidak sah di dalam nilai atribut",
        "en": "invalid character in attribute value",
    },
    "libxml2.char_ref_value": {
        "id": "rujukan karakter menunjuk nilai {code} yang tidak sah dalam XML",
        "en": "xmlParseCharRef: invalid xmlChar value {code}",
    },
    "libxml2.char_ref_bounds": {
        "id": "rujukan karakter menunjuk nilai di luar rentang karakter Unicode",
        "en": "xmlParseCharRef: character reference out of bounds",
    },
    "libxml2.char_ref_hex": {
        "id": "rujukan karakter berisi nilai heksadesimal yang tidak sah",
        "en": "CharRef: invalid hexadecimal value",
    },
    "libxml2.char_ref_decimal": {
        "id": "rujukan karakter berisi nilai desimal yang tidak sah",
        "en": "CharRef: invalid decimal value",
    },
    "libxml2.lt_in_attribute": {
        "id": "tanda '<' tanpa escape tidak diperbolehkan di dalam nilai atribut",
        "en": "Unescaped '<' not allowed in attributes values",
    },
    "libxml2.attribute_redefined": {
        "id": "atribut '{name}' ditulis lebih dari sekali",
        "en": "Attribute {name} redefined",
    },
    "libxml2.attribute_value_required": {
        "id": "atribut '{name}' wajib diberi nilai",
        "en": "Specification mandates value for attribute {name}",
    },
    "libxml2.attribute_quotes": {
        "id": "nilai atribut harus diapit tanda kutip \" atau '",
        "en": "AttValue: \" or ' expected",
    },
    "libxml2.attribute_quote_end": {
        "id": "tanda kutip penutup {quote} pada nilai atribut tidak ditemukan",
        "en": "AttValue: {quote} expected",
    },
    "libxml2.attribute_name": {
        "id": "nama atribut tidak dapat diurai",
        "en": "error parsing attribute name",
    },
    "libxml2.encoding_bytes": {
        "id": "terdapat bita yang tidak sah menurut pengodean karakter berkas",
        "en": "Invalid bytes in character encoding",
    },
    "libxml2.not_utf8": {
        "id": "masukan bukan UTF-8 yang sah; nyatakan pengodeannya (bita: {bytes})",
        "en": "Input is not proper UTF-8, indicate encoding !\nBytes: {bytes}",
    },
    "libxml2.unsupported_encoding": {
        "id": "pengodean '{encoding}' tidak didukung",
        "en": "Unsupported encoding: {encoding}",
    },
    "libxml2.unsupported_version": {
        "id": "versi XML '{version}' tidak didukung",
        "en": "Unsupported version '{version}'",
    },
    "libxml2.declaration_version": {
        "id": "deklarasi XML cacat: seharusnya ada atribut version",
        "en": "Malformed declaration expecting version",
    },
    "libxml2.declaration_place": {
        "id": "deklarasi XML hanya diperbolehkan di awal dokumen",
        "en": "XML declaration allowed only at the start of the document",
    },
    "libxml2.standalone": {
        "id": "atribut standalone hanya menerima 'yes' atau 'no'",
        "en": "standalone accepts only 'yes' or 'no'",
    },
    "libxml2.blank_needed": {"id": "di sini diperlukan spasi", "en": "Blank needed here"},
    "libxml2.comment_end": {"id": "komentar tidak ditutup", "en": "Comment not terminated"},
    "libxml2.comment_hyphens": {
        "id": "tanda '--' tidak diperbolehkan di dalam komentar: {text}",
        "en": "Double hyphen within comment: {text}",
    },
    "libxml2.cdata_end": {
        "id": "bagian CDATA tidak ditutup: {text}",
        "en": "CData section not finished\n{text}",
    },
    "libxml2.cdata_sequence": {
        "id": "urutan ']]>' tidak diperbolehkan di dalam isi",
        "en": "Sequence ']]>' not allowed in content",
    },
    "libxml2.pi_end": {
        "id": "instruksi pemrosesan '{name}' tidak pernah ditutup",
        "en": "ParsePI: PI {name} never end ...",
    },
    "libxml2.namespace_prefix": {
        "id": "awalan ruang nama '{prefix}' pada <{tag}> tidak didefinisikan",
        "en": "Namespace prefix {prefix} on {tag} is not defined",
    },
    "libxml2.namespace_empty": {
        "id": "{attribute}: ruang nama XML kosong tidak diperbolehkan",
        "en": "{attribute}: Empty XML namespace is not allowed",
    },
    "libxml2.doctype_end": {
        "id": "DOCTYPE tidak diakhiri dengan benar",
        "en": "DOCTYPE improperly terminated",
    },
    # Limits kept on purpose (huge_tree=False): the advice to the programmer is not the user's.
    "libxml2.depth": {
        "id": "struktur dokumen terlalu dalam: melebihi batas {depth} tingkat",
        "en": "Excessive depth in document: {depth}, use XML_PARSE_HUGE option",
    },
    "libxml2.resource_limit": {
        "id": "batas ukuran terlampaui: {limit}",
        "en": "Resource limit exceeded: {limit}, try XML_PARSE_HUGE",
    },
}

# Indonesian for the values of some placeholders (the value as the library writes it). A value
# not listed is shown as found.
TERMS: dict[str, dict[str, str]] = {
    # PyYAML's token ids, written with %r
    "token": {
        "'<stream start>'": "awal berkas",
        "'<stream end>'": "akhir berkas",
        "'<document start>'": "awal dokumen ('---')",
        "'<document end>'": "akhir dokumen ('...')",
        "'<directive>'": "direktif ('%')",
        "'<block sequence start>'": "awal daftar blok",
        "'<block mapping start>'": "awal pemetaan blok",
        "'<block end>'": "akhir blok",
        "'<alias>'": "alias ('*')",
        "'<anchor>'": "jangkar ('&')",
        "'<tag>'": "tag ('!')",
        "'<scalar>'": "nilai skalar",
    },
    # PyYAML's node ids
    "node": {"scalar": "skalar", "sequence": "daftar", "mapping": "pemetaan"},
    "expected": {"scalar": "skalar", "sequence": "daftar", "mapping": "pemetaan"},
    # what PyYAML was doing ("while scanning a simple key")
    "thing": {
        "a simple key": "kunci sederhana",
        "a directive": "direktif",
        "an anchor": "jangkar",
        "an alias": "alias",
        "a tag": "tag",
        "a block scalar": "skalar blok",
        "a double-quoted scalar": "skalar bertanda kutip ganda",
        "a quoted scalar": "skalar bertanda kutip",
        "a block collection": "koleksi blok",
        "a block mapping": "pemetaan blok",
        "a flow sequence": "daftar dalam kurung siku",
        "a flow mapping": "pemetaan dalam kurung kurawal",
        "a node": "simpul",
        "a block node": "simpul blok",
        "a flow node": "simpul dalam kurung",
        "a mapping": "pemetaan",
        "an ordered map": "pemetaan berurutan",
        "pairs": "pasangan",
        "a Python module": "modul Python",
        "a Python object": "objek Python",
        "a Python name": "nama Python",
        "a Python instance": "instans Python",
    },
    # PyYAML's reader, and Python's decoding errors
    "reason": {
        "special characters are not allowed": "karakter khusus tidak diperbolehkan",
        "invalid start byte": "bita awal tidak sah",
        "invalid continuation byte": "bita lanjutan tidak sah",
        "unexpected end of data": "data berakhir sebelum waktunya",
    },
    "error": {"Incorrect padding": "jumlah karakter pengisi (padding) tidak tepat"},
    # libxml2's resource limits
    "limit": {
        "Buffer size limit exceeded": "ukuran penyangga melebihi batas",
        "Text node too long": "teks terlalu panjang",
        "Attribute value too long": "nilai atribut terlalu panjang",
    },
}

MESSAGES: dict[str, dict[str, str]] = {**YAML, **XML}


def _pattern(template: str) -> re.Pattern[str]:
    """The library text `template` describes: its literal parts exact, a placeholder any text."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


# The positions a library adds after its text, matched apart (checker.messages.libraries).
_POSITIONS = ("lxml.position", "json.position", "etree.position")
_TABLES = {
    library: [(key, _pattern(texts["en"])) for key, texts in table.items() if key not in _POSITIONS]
    for library, table in (
        ("yaml", YAML),
        ("xml", XML),
        ("json", libraries.JSON),
        ("excel", libraries.EXCEL),
        ("parquet", libraries.PARQUET),
    )
}
_POSITION = _pattern(XML["lxml.position"]["en"])
_ENTRIES = {**MESSAGES, **libraries.MESSAGES}
_AROUND = {key: _pattern(libraries.MESSAGES[key]["en"]) for key in _POSITIONS[1:]}


def match(library: str, text: str) -> tuple[str, dict[str, str]] | None:
    """The first entry of `library` ("yaml", "xml", "json", "excel" or "parquet") that `text` is,
    as its key and the values of its placeholders; None when there is none."""
    for key, pattern in _TABLES[library]:
        found = pattern.fullmatch(text)
        if found:
            return key, found.groupdict()
    return None


def _indonesian(library: str, text: str) -> str | None:
    found = match(library, text)
    if found is None:
        return None
    key, values = found
    terms = TERMS if library in ("yaml", "xml") else libraries.TERMS
    args = {name: terms.get(name, {}).get(value, value) for name, value in values.items()}
    return _ENTRIES[key]["id"].format(**args)


def _positioned(library: str, position: str, text: str) -> str | None:
    """`text` in Indonesian when it is a text of `library` followed by the position the entry
    `position` describes, or None (a known position around an unknown text: None)."""
    at = _AROUND[position].fullmatch(text)
    if at is None:
        return None
    values = at.groupdict()
    detail = _indonesian(library, values.pop("detail").strip())
    if detail is None:
        return None
    return libraries.MESSAGES[position]["id"].format(detail=detail, **values)


def yaml_indonesian(text: str) -> str | None:
    """PyYAML's problem `text` in Indonesian, or None when the table does not know it."""
    return _indonesian("yaml", text)


def xml_indonesian(text: str) -> str | None:
    """lxml's message `text` (libxml2's, with the position lxml adds) in Indonesian, or None."""
    at = _POSITION.fullmatch(text)
    if at is None:
        return _indonesian("xml", text.strip())
    detail = _indonesian("xml", at["detail"].strip())
    if detail is None:
        return None
    return XML["lxml.position"]["id"].format(detail=detail, line=at["line"], column=at["column"])


def yaml_problem(text: str) -> Text:
    """PyYAML's problem `text` as a message argument: English as PyYAML wrote it, Indonesian from
    the table (PyYAML's English when the table does not know it)."""
    return Text(yaml_indonesian(text) or text, text)


def xml_problem(text: str) -> Text:
    """lxml's message `text` as a message argument, as yaml_problem."""
    return Text(xml_indonesian(text) or text, text)


def json_problem(text: str) -> Text:
    """A text of Python's JSON decoder (json.loads) as a message argument, as yaml_problem."""
    return Text(_indonesian("json", text) or _positioned("json", "json.position", text) or text, text)


def xlsx_problem(text: str) -> Text:
    """A text of what reads an Excel workbook (zipfile, zlib, openpyxl, ElementTree's expat or
    libxml2 through lxml) as a message argument, as yaml_problem."""
    indonesian = (
        _indonesian("excel", text) or _positioned("excel", "etree.position", text) or xml_indonesian(text)
    )
    return Text(indonesian or text, text)


def parquet_problem(text: str) -> Text:
    """A text of pyarrow's Parquet reader as a message argument, as yaml_problem."""
    return Text(_indonesian("parquet", text) or text, text)


def os_problem(err: OSError) -> Text:
    """An OSError's reason as a message argument: English as the OS says it (strerror), Indonesian
    by its errno from checker.messages.libraries (the OS text when the table lacks it)."""
    english = err.strerror or str(err)
    texts = libraries.OS.get(f"os.{errno.errorcode.get(err.errno or 0, '')}")
    return Text(texts["id"] if texts else english, english)


def own_detail(key: str) -> Text:
    """One of our own details (checker.messages.libraries.OWN) as a message argument."""
    texts = libraries.OWN[key]
    return Text(texts["id"], texts["en"])
