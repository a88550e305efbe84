"""The other libraries' and the OS's texts in Indonesian (checker/messages/libraries.py, matched by
checker/messages/parsers.py): a broken JSON Lines or .json log (Python's JSON decoder), Excel
workbook (zipfile, zlib, openpyxl, expat), Parquet file (pyarrow) or XES log (libxml2), and a
write that fails (strerror), give one located line, exit 2, in Indonesian under --lang id and
with the library's unchanged English under --lang en. Each case also asks the library itself for
its text, so that a library that changes a text fails here instead of reaching a user in English;
our own details that stood in English (nested too deeply, a Python type name, not a zip) are
catalogue entries too."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import string
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.messages import MESSAGES, libraries, t
from checker.messages.parsers import match, os_problem, own_detail, xlsx_problem

SOP = "rules/magetan/penawaran-kerja-sama.yaml"
GOOD = b'{"case_id": "PKS-001", "activity": "Terima Surat", "timestamp": "2026-01-05T08:00:00+07:00"}\n'


def only_error_line(result) -> str:
    """The one line on stderr of an input error (exit 2), without its "sopcheck: "."""
    code, out, err = result
    assert "Traceback" not in out + err
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sopcheck: ")
    return lines[0][len("sopcheck: ") :]


def fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def literal_words(template: str) -> set[str]:
    """The words of a template outside its placeholders, of five letters or more."""
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    return {w.lower() for w in re.findall(r"[A-Za-z]{5,}", literal)}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


# Words the Indonesian keeps: names (a format, a library, a keyword), and words Indonesian spells the same.
KEPT_WORDS = {"escape", "array", "uxxxx", "parquet", "thrift", "snappy", "openpyxl", "excel", "cdata"}
KEPT_WORDS |= {"format", "token", "false"}

LIBRARY_TABLES = {"json": libraries.JSON, "excel": libraries.EXCEL, "parquet": libraries.PARQUET}
POSITIONS = {"json.position", "etree.position"}


def _raises(call: Callable[[], Any], kind: type[BaseException] | tuple[type[BaseException], ...]) -> Any:
    with pytest.raises(kind) as err:
        call()
    return err.value


# --- Python's JSON decoder --------------------------------------------------------------------------------


def json_text(line: bytes) -> str:
    """The decoder's own text for one line."""
    return str(_raises(lambda: json.loads(line.decode("utf-8").strip()), ValueError))


DIGITS = b'{"case_id": ' + b"1" * 5000 + b"}\n"
DEEP = b"[" * 100_000 + b"]" * 100_000 + b"\n"

# (name, file name, content, "where" after the path, message key, detail in English, in Indonesian,
#  the library's own text or None (our own detail), the table entry the detail is)
JSON_CASES = [
    (
        "unterminated",
        "log.jsonl",
        b'{"case_id": "PKS-001", "activity": "Terima\n',
        ":1",
        "readers.not_jsonl",
        "Unterminated string starting at: line 1 column 36 (char 35)",
        "tanda kutip pembuka teks tidak pernah ditutup (baris 1, kolom 36, posisi 35)",
        "json.unterminated_string",
    ),
    (
        "csv-named-jsonl",
        "log.jsonl",
        b"case_id,activity,timestamp\nPKS-001,Terima Surat,2026-01-05\n",
        ":1",
        "readers.not_jsonl",
        "Expecting value: line 1 column 1 (char 0)",
        "seharusnya ada nilai JSON (baris 1, kolom 1, posisi 0)",
        "json.expecting_value",
    ),
    (
        "two-objects-on-a-line",
        "log.jsonl",
        b'{"case_id": "PKS-001"} {"case_id": "PKS-002"}\n',
        ":1",
        "readers.not_jsonl",
        "Extra data: line 1 column 24 (char 23)",
        "ada data lain setelah nilai JSON pertama (baris 1, kolom 24, posisi 23)",
        "json.extra_data",
    ),
    (
        "missing-colon",
        "log.jsonl",
        b'{"case_id" "PKS-001"}\n',
        ":1",
        "readers.not_jsonl",
        "Expecting ':' delimiter: line 1 column 12 (char 11)",
        "seharusnya ada tanda ':' (baris 1, kolom 12, posisi 11)",
        "json.expecting_colon",
    ),
    (
        "missing-comma",
        "log.jsonl",
        b'{"case_id": "PKS-001" "activity": "Terima"}\n',
        ":1",
        "readers.not_jsonl",
        "Expecting ',' delimiter: line 1 column 23 (char 22)",
        "seharusnya ada tanda ',' (baris 1, kolom 23, posisi 22)",
        "json.expecting_comma",
    ),
    (
        "unquoted-key",
        "log.jsonl",
        b'{case_id: "PKS-001"}\n',
        ":1",
        "readers.not_jsonl",
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "seharusnya ada nama kunci bertanda kutip ganda (baris 1, kolom 2, posisi 1)",
        "json.expecting_name",
    ),
    (
        "windows-path",
        "log.jsonl",
        b'{"case_id": "C:\\Dokumen"}\n',
        ":1",
        "readers.not_jsonl",
        "Invalid \\escape: line 1 column 16 (char 15)",
        "urutan escape '\\' tidak sah (baris 1, kolom 16, posisi 15)",
        "json.invalid_escape",
    ),
    (
        "short-unicode-escape",
        "log.jsonl",
        b'{"case_id": "\\u12"}\n',
        ":1",
        "readers.not_jsonl",
        "Invalid \\uXXXX escape: line 1 column 15 (char 14)",
        "escape \\uXXXX tidak sah (baris 1, kolom 15, posisi 14)",
        "json.invalid_unicode_escape",
    ),
    (
        "tab-in-text",
        "log.jsonl",
        b'{"case_id": "PKS\t001"}\n',
        ":1",
        "readers.not_jsonl",
        "Invalid control character at: line 1 column 17 (char 16)",
        "karakter kendali (mis. tab atau ganti baris) tidak boleh ada di dalam teks (baris 1, kolom 17, "
        "posisi 16)",
        "json.control_character",
    ),
    (
        "too-many-digits",
        "log.jsonl",
        DIGITS,
        ":1",
        "readers.not_jsonl",
        "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use "
        "sys.set_int_max_str_digits() to increase the limit",
        "bilangan bulat terlalu panjang: 5000 digit, melebihi batas 4300 digit",
        "json.int_digits",
    ),
    (
        "json-array-cut-short",
        "log.json",
        b'[{"case_id": "PKS-001"},\n',
        ":2",
        "readers.bad_json_file",
        "Expecting value: line 2 column 1 (char 25)",
        "seharusnya ada nilai JSON (baris 2, kolom 1, posisi 25)",
        "json.expecting_value",
    ),
]


def _the_library_says(name: str, content: bytes) -> str:
    if name.endswith(".json"):
        return str(_raises(lambda: json.loads(content.decode("utf-8")), ValueError))
    return json_text(content.splitlines()[0])


@pytest.mark.parametrize(
    ("name", "filename", "content", "where", "key", "english", "indonesian", "entry"),
    JSON_CASES,
    ids=[c[0] for c in JSON_CASES],
)
def test_broken_json_in_both_languages(
    run_cli, tmp_path, name, filename, content, where, key, english, indonesian, entry
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    en = only_error_line(run_cli(["inspect", path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["inspect", path, "--lang", "id"]))
    assert en == f"{path}{where}: " + t(key, "en", detail=english)
    assert id_ == f"{path}{where}: " + t(key, "id", detail=indonesian)
    # The English is the decoder's own, and the table knows it.
    assert _the_library_says(filename, content) == english
    _assert_indonesian_only(id_[len(f"{path}{where}: ") :], english, entry)


def _assert_indonesian_only(message: str, english: str, entry: str) -> None:
    assert english not in message
    texts = libraries.MESSAGES[entry]
    assert not (literal_words(texts["en"]) - KEPT_WORDS) & words(message), message
    if english.endswith(")") and ": line " in english and "(char " in english:
        assert "column" not in words(message)


def test_a_rejected_row_is_said_in_indonesian(run_cli, tmp_path) -> None:
    """A bad line among good ones: in the report's rejected rows, in --rejects and under --strict."""
    bad = b'{"case_id": "PKS-002", "activity": "Terima\n'
    path = tmp_path / "log.jsonl"
    path.write_bytes(GOOD + bad + DIGITS + DEEP)
    english = json_text(bad)
    assert english == "Unterminated string starting at: line 1 column 36 (char 35)"
    indonesian = "tanda kutip pembuka teks tidak pernah ditutup (baris 1, kolom 36, posisi 35)"
    digits_id = "bilangan bulat terlalu panjang: 5000 digit, melebihi batas 4300 digit"
    deep_id = libraries.OWN["detail.json_too_deep"]["id"]
    assert isinstance(_raises(lambda: json.loads(DEEP), (RecursionError, ValueError)), RecursionError)

    strict_id = only_error_line(run_cli(["inspect", path, "--strict", "--lang", "id"]))
    strict_en = only_error_line(run_cli(["inspect", path, "--strict", "--lang", "en"]))
    assert strict_id == f"{path}:2: " + t("readers.reject.bad_json", "id", detail=indonesian)
    assert strict_en == f"{path}:2: " + t("readers.reject.bad_json", "en", detail=english)

    rejects = tmp_path / "ditolak.csv"
    code, out, err = run_cli(["inspect", path, "--rejects", rejects, "--lang", "id"])
    assert code == 0, err
    for row, detail in ((2, indonesian), (3, digits_id), (4, deep_id)):
        message = t("readers.reject.bad_json", "id", detail=detail)
        assert f"{t('inspect.row', 'id', row=row)}: {message}" in out
        assert t("readers.reject.bad_json", "id", detail=detail) in rejects.read_text(encoding="utf-8")
    for text in (english, "Exceeds the limit", "nested too deeply", "Text("):
        assert text not in out + rejects.read_text(encoding="utf-8")

    code, out, _ = run_cli(["inspect", path, "--lang", "en"])
    assert code == 0
    for detail in (english, json_text(DIGITS), libraries.OWN["detail.json_too_deep"]["en"]):
        assert t("readers.reject.bad_json", "en", detail=detail) in out


# What a line holds instead of an object: our own words, not Python's type names.
FOUND = [
    (b"1\n", "detail.json_int"),
    (b"1.5\n", "detail.json_float"),
    (b'"PKS-001"\n', "detail.json_str"),
    (b"true\n", "detail.json_bool"),
    (b"null\n", "detail.json_none"),
    (b'["PKS-001", "Terima Surat"]\n', "detail.json_list"),
    (DEEP, "detail.json_too_deep"),
]


@pytest.mark.parametrize(("content", "entry"), FOUND, ids=[e for _, e in FOUND])
def test_not_an_object_is_said_in_words(run_cli, tmp_path, content, entry) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(content)
    en = only_error_line(run_cli(["inspect", path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["inspect", path, "--lang", "id"]))
    texts = libraries.OWN[entry]
    assert en == f"{path}:1: " + t("readers.not_jsonl", "en", detail=texts["en"])
    assert id_ == f"{path}:1: " + t("readers.not_jsonl", "id", detail=texts["id"])
    python_name = type(json.loads(content)).__name__ if entry != "detail.json_too_deep" else "RecursionError"
    assert not re.search(rf"\b{python_name}\b", id_ + en)


def test_a_json_file_of_one_string(run_cli, tmp_path) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(b'"PKS-001"\n')
    id_ = only_error_line(run_cli(["inspect", path, "--lang", "id"]))
    assert id_ == f"{path}:1: " + t("readers.not_jsonl", "id", detail=libraries.OWN["detail.json_str"]["id"])


# --- An Excel workbook: zipfile, zlib, openpyxl, expat --------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for column, value in zip("ABC", values, strict=True)
    )
    return f'<row r="{number}">{cells}</row>'


SHEET = (
    f'<worksheet xmlns="{MAIN}"><sheetData>'
    + _row(1, ["case_id", "activity", "timestamp"])
    + _row(2, ["PKS-001", "Terima Surat", "2026-01-05T08:00:00+07:00"])
    + "</sheetData></worksheet>"
)
CONTENT_TYPES = (
    f'<Types xmlns="{TYPES}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/></Types>'
)
PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
    f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
    '<sheet name="Log" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
    f'Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": SHEET,
}


def workbook(parts: dict[str, str] = PARTS, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A small workbook written part by part (the same bytes whatever openpyxl's version)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 5, 8, 0, 0))
            info.compress_type = compression
            archive.writestr(info, text)
    return out.getvalue()


def _member_data(data: bytes, name: str) -> int:
    """Where the stored (compressed) bytes of the member `name` start."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def _bad_block(data: bytes) -> bytes:
    """The sheet's deflate stream starting with a block of type 3, which does not exist."""
    at = _member_data(data, "xl/worksheets/sheet1.xml")
    return data[:at] + b"\x07" + data[at + 1 :]


def _without(name: str) -> dict[str, str]:
    return {part: text for part, text in PARTS.items() if part != name}


def _open_member(data: bytes, name: str) -> Any:
    return lambda: zipfile.ZipFile(io.BytesIO(data)).read(name)


GOOD_BOOK = workbook()
STORED = workbook(compression=zipfile.ZIP_STORED)
CRC_BROKEN = STORED.replace(b"Terima Surat", b"Terima Surut")
ZLIB_BROKEN = _bad_block(GOOD_BOOK)
CUT_SHEET = workbook({**PARTS, "xl/worksheets/sheet1.xml": SHEET[: SHEET.index("Terima")]})
NO_WORKBOOK_TYPE = workbook(
    {
        **PARTS,
        "[Content_Types].xml": f'<Types xmlns="{TYPES}"><Default Extension="xml" '
        'ContentType="application/xml"/></Types>',
    }
)


def _openpyxl_says(path: Path) -> str:
    import openpyxl

    err = _raises(lambda: openpyxl.load_workbook(path, read_only=True), Exception)
    return str(err).splitlines()[0]


def _expat_says(text: str) -> str:
    import xml.etree.ElementTree as ET

    parser = ET.XMLPullParser()
    err = _raises(lambda: (parser.feed(text), parser.close()), ET.ParseError)
    return err.msg


# (name, file name, content, extra arguments, detail in English, in Indonesian, the library's own
#  text from the file (None: our own detail), the entry)
XLSX_CASES = [
    (
        "csv-named-xlsx",
        "log.xlsx",
        b"case_id,activity,timestamp\nPKS-001,Terima Surat,2026-01-05\n",
        [],
        "not a zip (xlsx) file",
        "berkas ini bukan arsip zip, padahal setiap berkas .xlsx adalah arsip zip",
        None,
        "detail.xlsx_not_zip",
    ),
    (
        "cut-short",
        "log.xlsx",
        GOOD_BOOK[: len(GOOD_BOOK) // 2],
        [],
        "File is not a zip file",
        "berkas bukan arsip zip yang utuh (terpotong atau rusak?)",
        lambda path: str(_raises(lambda: zipfile.ZipFile(path), zipfile.BadZipFile)),
        "zipfile.not_zip",
    ),
    (
        "zip-not-workbook",
        "log.xlsx",
        workbook({"laporan.txt": "Laporan"}),
        [],
        "There is no item named '[Content_Types].xml' in the archive",
        "bagian '[Content_Types].xml' tidak ada di dalam arsip",
        lambda path: _raises(lambda: zipfile.ZipFile(path).getinfo("[Content_Types].xml"), KeyError).args[0],
        "zipfile.no_item",
    ),
    (
        "no-sheet",
        "log.xlsx",
        workbook(_without("xl/worksheets/sheet1.xml")),
        [],
        "no sheet",
        "buku kerja tidak memiliki lembar kerja",
        None,
        "detail.xlsx_no_sheet",
    ),
    (
        "bad-crc",
        "log.xlsx",
        CRC_BROKEN,
        [],
        "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'",
        "isi bagian 'xl/worksheets/sheet1.xml' rusak (CRC-32 tidak cocok)",
        lambda path: str(
            _raises(_open_member(path.read_bytes(), "xl/worksheets/sheet1.xml"), zipfile.BadZipFile)
        ),
        "zipfile.bad_crc",
    ),
    (
        "bad-deflate-block",
        "log.xlsx",
        ZLIB_BROKEN,
        [],
        "Error -3 while decompressing data: invalid block type",
        "data terkompresi di dalam arsip rusak (zlib -3: jenis blok tidak sah)",
        lambda path: str(_raises(_open_member(path.read_bytes(), "xl/worksheets/sheet1.xml"), zlib.error)),
        "zlib.decompress_reason",
    ),
    (
        "no-workbook-part",
        "log.xlsx",
        NO_WORKBOOK_TYPE,
        [],
        "File contains no valid workbook part",
        "arsip tidak memuat bagian buku kerja yang sah",
        _openpyxl_says,
        "openpyxl.no_workbook",
    ),
    (
        "other-ending",
        "log.dat",
        GOOD_BOOK,
        ["--log-format", "xlsx"],
        "openpyxl does not support .dat file format, please check you can open it with Excel first. "
        "Supported formats are: .xlsx,.xlsm,.xltx,.xltm",
        "openpyxl tidak membaca berkas berakhiran .dat; akhiran yang dibaca: .xlsx,.xlsm,.xltx,.xltm",
        _openpyxl_says,
        "openpyxl.extension",
    ),
    (
        "sheet-cut-short",
        "log.xlsx",
        CUT_SHEET,
        [],
        _expat_says(SHEET[: SHEET.index("Terima")]),
        "",  # below: the table's Indonesian of expat's text and its position
        lambda path: _expat_says(SHEET[: SHEET.index("Terima")]),
        "etree.position",
    ),
]


@pytest.mark.parametrize(
    ("name", "filename", "content", "extra", "english", "indonesian", "library", "entry"),
    XLSX_CASES,
    ids=[c[0] for c in XLSX_CASES],
)
def test_broken_workbook_in_both_languages(
    run_cli, tmp_path, name, filename, content, extra, english, indonesian, library, entry
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    if entry == "etree.position":
        found = re.fullmatch(r"(.*): line (\d+), column (\d+)", english)
        assert found, english
        inner = match("excel", found[1])
        assert inner is not None and inner[0].startswith("expat."), english
        indonesian = f"{libraries.EXCEL[inner[0]]['id']} (baris {found[2]}, kolom {found[3]})"
        entry = inner[0]
    en = only_error_line(run_cli(["inspect", path, *extra, "--lang", "en"]))
    id_ = only_error_line(run_cli(["inspect", path, *extra, "--lang", "id"]))
    assert en == f"{path}: " + t("readers.xlsx_unreadable", "en", detail=english)
    assert id_ == f"{path}: " + t("readers.xlsx_unreadable", "id", detail=indonesian)
    if library is not None:
        assert library(path) == english
        assert match("excel", english) is None or match("excel", english)[0] == entry
    _assert_indonesian_only(id_[len(f"{path}: ") :], english, entry)


def test_a_libxml2_text_inside_a_workbook_is_the_xes_table_s() -> None:
    """openpyxl parses some parts with lxml: libxml2's texts come with lxml's position."""
    text = "Specification mandates value for attribute activeTab, line 1, column 274"
    assert xlsx_problem(text).get("id") == "atribut 'activeTab' wajib diberi nilai (baris 1, kolom 274)"
    assert xlsx_problem(text).get("en") == text


# --- pyarrow ------------------------------------------------------------------------------------------------


def _parquet() -> bytes:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"case_id": ["PKS-001"], "activity": ["Terima Surat"], "timestamp": ["2026-01-05"]})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def _footer(metadata: bytes) -> bytes:
    return b"PAR1" + metadata + len(metadata).to_bytes(4, "little") + b"PAR1"


# (name, content from a good file, detail in English, in Indonesian, the entry)
PARQUET_CASES: list[
    tuple[str, Callable[[bytes], bytes], Callable[[bytes], str], Callable[[bytes], str], str]
] = [
    (
        "csv-named-parquet",
        lambda good: b"case_id,activity,timestamp\nPKS-001,Terima Surat,2026-01-05\n",
        lambda data: (
            "Parquet magic bytes not found in footer. Either the file is corrupted or this is "
            "not a parquet file."
        ),
        lambda data: (
            "penanda Parquet (PAR1) tidak ditemukan di akhir berkas: berkas rusak atau "
            "terpotong, atau bukan berkas Parquet"
        ),
        "pyarrow.magic",
    ),
    (
        "empty",
        lambda good: b"",
        lambda data: "Parquet file size is 0 bytes",
        lambda data: "berkas Parquet kosong (0 bita)",
        "pyarrow.size_zero",
    ),
    (
        "magic-only",
        lambda good: b"PAR1",
        lambda data: "Parquet file size is 4 bytes, smaller than the minimum file footer (8 bytes)",
        lambda data: "berkas Parquet hanya 4 bita, kurang dari ukuran terkecil bagian penutupnya (8 bita)",
        "pyarrow.size_below_footer",
    ),
    (
        "footer-too-long",
        lambda good: good[:-8] + (10**6).to_bytes(4, "little") + b"PAR1",
        lambda data: (
            f"Parquet file size is {len(data)} bytes, smaller than the size reported by footer's "
            "(1000000bytes)"
        ),
        lambda data: (
            f"berkas Parquet hanya {len(data)} bita, kurang dari ukuran yang dicatat bagian "
            "penutupnya (1000000 bita): berkas terpotong?"
        ),
        "pyarrow.size_below_reported",
    ),
    (
        "metadata-cut-short",
        lambda good: _footer(b"\x15"),
        lambda data: "Couldn't deserialize thrift: No more data to read.",
        lambda data: "metadata Parquet (thrift) tidak dapat diurai: data habis sebelum metadata selesai",
        "pyarrow.thrift",
    ),
    (
        "metadata-invalid",
        lambda good: _footer(b"\x00"),
        lambda data: "Couldn't deserialize thrift: TProtocolException: Invalid data",
        lambda data: "metadata Parquet (thrift) tidak dapat diurai: data tidak sah",
        "pyarrow.thrift",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "english", "indonesian", "entry"), PARQUET_CASES, ids=[c[0] for c in PARQUET_CASES]
)
def test_broken_parquet_in_both_languages(
    run_cli, tmp_path, name, content, english, indonesian, entry
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    data = content(_parquet())
    path = tmp_path / "log.parquet"
    path.write_bytes(data)
    english, indonesian = english(data), indonesian(data)
    en = only_error_line(run_cli(["inspect", path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["inspect", path, "--lang", "id"]))
    assert en == f"{path}: " + t("parquet.unreadable", "en", detail=english)
    assert id_ == f"{path}: " + t("parquet.unreadable", "id", detail=indonesian)
    # pyarrow's own text, and the table's entry for it
    assert str(_raises(lambda: pq.ParquetFile(path), Exception)).splitlines()[0] == english
    assert match("parquet", english)[0] == entry
    _assert_indonesian_only(id_[len(f"{path}: ") :], english, entry)


# --- libxml2: the text the sweep found missing --------------------------------------------------------------


def test_a_character_reference_out_of_bounds(run_cli, tmp_path) -> None:
    path = tmp_path / "log.xes"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
        '<trace><string key="concept:name" value="PKS&#x110000;001"/></trace></log>\n',
        encoding="utf-8",
    )
    etree = pytest.importorskip("lxml.etree")
    err = _raises(lambda: etree.fromstring(path.read_bytes()), etree.XMLSyntaxError)
    assert err.msg == "xmlParseCharRef: character reference out of bounds, line 3, column 55"
    en = only_error_line(run_cli(["audit", SOP, path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["audit", SOP, path, "--lang", "id"]))
    assert en == f"{path}:3:55: " + t("readers.xml_error", "en", detail=err.msg)
    assert id_ == f"{path}:3:55: " + t(
        "readers.xml_error",
        "id",
        detail="rujukan karakter menunjuk nilai di luar rentang karakter Unicode (baris 3, kolom 55)",
    )
    assert "out of bounds" not in id_


# --- The OS's texts when a write fails ----------------------------------------------------------------------

FULL = Path("/dev/full")


def _write_cases(tmp_path: Path) -> list[tuple[list[Any], Path, str, int]]:
    missing = tmp_path / "tidak-ada"
    cases = [
        (["-o", missing / "laporan.txt"], missing / "laporan.txt", "file.unwritable", errno.ENOENT),
        (
            ["--rejects", missing / "ditolak.csv"],
            missing / "ditolak.csv",
            "readers.rejects_unwritable",
            errno.ENOENT,
        ),
    ]
    if FULL.exists():
        cases += [
            (["-o", FULL], FULL, "file.unwritable", errno.ENOSPC),
            (["--rejects", FULL], FULL, "readers.rejects_unwritable", errno.ENOSPC),
        ]
    return cases


def test_a_failed_write_is_said_in_indonesian(run_cli, tmp_path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(GOOD + b"1\n")  # one rejected row, for --rejects
    for args, where, key, number in _write_cases(tmp_path):
        english = os.strerror(number)
        indonesian = libraries.OS[f"os.{errno.errorcode[number]}"]["id"]
        en = only_error_line(run_cli(["inspect", log, *args, "--lang", "en"]))
        id_ = only_error_line(run_cli(["inspect", log, *args, "--lang", "id"]))
        assert en == f"{where}: " + t(key, "en", reason=english)
        assert id_ == f"{where}: " + t(key, "id", reason=indonesian)
        assert english not in id_


def test_an_errno_the_table_lacks_keeps_the_os_text() -> None:
    err = OSError(errno.ENOTSUP, os.strerror(errno.ENOTSUP))
    assert "os.ENOTSUP" not in libraries.OS and "os.EOPNOTSUPP" not in libraries.OS
    assert (os_problem(err).get("id"), os_problem(err).get("en")) == (err.strerror,) * 2
    # an OSError made with a text only has no errno: its text in both
    assert os_problem(OSError("gagal")).get("id") == "gagal"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="strerror texts are glibc's")
@pytest.mark.parametrize("key", sorted(libraries.OS))
def test_each_errno_entry_is_the_os_text(key: str) -> None:
    number = getattr(errno, key.removeprefix("os."))
    assert os.strerror(number) == libraries.OS[key]["en"]
    assert os_problem(OSError(number, os.strerror(number))).get("id") == libraries.OS[key]["id"]


# --- the table --------------------------------------------------------------------------------------------


def test_the_table_is_in_the_catalogue() -> None:
    for key, texts in libraries.MESSAGES.items():
        assert MESSAGES[key] is texts
        assert set(texts) == {"id", "en"}
        assert texts["id"] != texts["en"], key


def _library(key: str) -> str:
    return next(name for name, table in LIBRARY_TABLES.items() if key in table)


@pytest.mark.parametrize("key", sorted(k for table in LIBRARY_TABLES.values() for k in table))
def test_each_entry(key: str) -> None:
    """Each entry keeps every variable part in Indonesian, leaves none of its English words, and is
    the one its own English finds (no earlier entry hides it)."""
    texts = libraries.MESSAGES[key]
    assert fields(texts["id"]) == fields(texts["en"]), key
    assert not (literal_words(texts["en"]) - KEPT_WORDS) & literal_words(texts["id"]), key
    if key in POSITIONS:
        return
    sample = {name: f"v{i}" for i, name in enumerate(sorted(fields(texts["en"])))}
    assert match(_library(key), texts["en"].format(**sample)) == (key, sample)


def test_own_details_are_wholly_indonesian() -> None:
    for key, texts in libraries.OWN.items():
        assert not (literal_words(texts["en"]) - KEPT_WORDS) & literal_words(texts["id"]), key
        assert own_detail(key).get("id") == texts["id"]
        assert own_detail(key).get("en") == texts["en"]


def test_terms_name_placeholders_of_the_table() -> None:
    used = set().union(*(fields(texts["en"]) for texts in libraries.MESSAGES.values()))
    assert set(libraries.TERMS) <= used
    for name, terms in libraries.TERMS.items():
        for english, indonesian in terms.items():
            assert english != indonesian, (name, english)


def test_an_unknown_text_stays_english() -> None:
    from checker.messages.parsers import json_problem, parquet_problem

    for problem in (json_problem, xlsx_problem, parquet_problem):
        text = problem("A text no version of the table knows: line 3 column 4 (char 5)")
        assert text.get("id") == text.get("en")
    # a known position around an unknown text: nothing is half translated
    assert (
        xlsx_problem("some new expat text: line 3, column 4").get("id")
        == "some new expat text: line 3, column 4"
    )


# --- the libraries' own texts are those of the table -----------------------------------------------------

# Documents that give each of the decoder's texts (Python 3.13 adds the trailing commas).
DECODER = {
    "json.expecting_value": "",
    "json.expecting_name": "{1: 2}",
    "json.expecting_colon": '{"a" 1}',
    "json.expecting_comma": '{"a": 1 "b": 2}',
    "json.unterminated_string": '{"a',
    "json.control_character": '{"a": "\t"}',
    "json.invalid_escape": '{"a": "\\q"}',
    "json.invalid_unicode_escape": '{"a": "\\u12"}',
    "json.extra_data": "{} {}",
    "json.trailing_comma_object": '{"a": 1,}',
    "json.trailing_comma_array": "[1,]",
    "json.int_digits": "1" * 5000,
}


def test_every_json_entry_is_a_decoder_text() -> None:
    assert set(DECODER) == set(libraries.JSON) - POSITIONS
    for key, document in DECODER.items():
        text = str(_raises(lambda document=document: json.loads(document), ValueError))
        if key.startswith("json.trailing_comma") and sys.version_info < (3, 13):
            before = "json.expecting_name" if "{" in document else "json.expecting_value"
            assert match("json", re.sub(r": line .*", "", text))[0] == before
            continue
        found = re.fullmatch(r"(.*): line \d+ column \d+ \(char \d+\)", text)
        assert match("json", found[1] if found else text)[0] == key, text


def test_every_expat_entry_is_an_expat_text() -> None:
    import pyexpat

    texts = {pyexpat.ErrorString(code) for code in range(1, 100) if pyexpat.ErrorString(code)}
    for key, entry in libraries.EXCEL.items():
        if key.startswith("expat."):
            assert entry["en"] in texts, key


def test_the_openpyxl_texts_are_openpyxl_s(tmp_path) -> None:
    import inspect

    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader import excel

    for ending, key in ((".xls", "openpyxl.xls"), (".xlsb", "openpyxl.xlsb"), (".ods", "openpyxl.extension")):
        text = str(_raises(lambda ending=ending: excel._validate_archive(f"log{ending}"), Exception))
        assert match("excel", text)[0] == key, text
    text = str(_raises(lambda: excel._find_workbook_part(Manifest()), OSError))
    assert match("excel", text)[0] == "openpyxl.no_workbook"
    # ExcelReader.read: the step that failed, in its text
    source = inspect.getsource(excel.ExcelReader.read)
    assert 'f"Unable to read workbook: could not {action} from {self.archive.filename}.\\n"' in source
    assert set(re.findall(r'action = "([^"]+)"', source)) == set(libraries.TERMS["action"])


def test_the_zipfile_texts_are_zipfile_s() -> None:
    import inspect

    source = inspect.getsource(zipfile)
    for key, entry in libraries.EXCEL.items():
        if key.startswith("zipfile."):
            pieces = [literal for literal, _, _, _ in string.Formatter().parse(entry["en"]) if literal]
            assert all(piece.strip(" .") in source for piece in pieces), key
