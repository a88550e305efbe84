"""Messages: the texts of the other libraries and of the OS that reach the user inside a reason
(Python's JSON decoder, zipfile, zlib and openpyxl with ElementTree's expat, pyarrow, the C
library's strerror), and our own details that go in the same places.

The library entries work as those of checker/messages/parsers.py, which matches them (`json_problem`,
`xlsx_problem`, `parquet_problem`): `en` is the library's own text with its variable parts as
{placeholders}, and the pattern it is recognised by; `id` renders it in Indonesian; a placeholder
listed in TERMS has its value translated too. A text in no entry stays the library's English.

OS entries are keyed by errno name (`os_problem`): the English shown is the OS's own strerror,
`en` is glibc's text (what a test compares); an errno not listed keeps the OS text in both.
"""

from __future__ import annotations

# -- Python's json decoder (json/decoder.py and _json.c): "<msg>: line L column C (char N)" -------
JSON: dict[str, dict[str, str]] = {
    "json.position": {
        "id": "{detail} (baris {line}, kolom {column}, posisi {char})",
        "en": "{detail}: line {line} column {column} (char {char})",
    },
    "json.expecting_value": {"id": "seharusnya ada nilai JSON", "en": "Expecting value"},
    "json.expecting_name": {
        "id": "seharusnya ada nama kunci bertanda kutip ganda",
        "en": "Expecting property name enclosed in double quotes",
    },
    "json.expecting_colon": {"id": "seharusnya ada tanda ':'", "en": "Expecting ':' delimiter"},
    "json.expecting_comma": {"id": "seharusnya ada tanda ','", "en": "Expecting ',' delimiter"},
    "json.unterminated_string": {
        "id": "tanda kutip pembuka teks tidak pernah ditutup",
        "en": "Unterminated string starting at",
    },
    "json.control_character": {
        "id": "karakter kendali (mis. tab atau ganti baris) tidak boleh ada di dalam teks",
        "en": "Invalid control character at",
    },
    "json.invalid_escape": {"id": "urutan escape '\\' tidak sah", "en": "Invalid \\escape"},
    "json.invalid_unicode_escape": {
        "id": "escape \\uXXXX tidak sah",
        "en": "Invalid \\uXXXX escape",
    },
    "json.extra_data": {
        "id": "ada data lain setelah nilai JSON pertama",
        "en": "Extra data",
    },
    # Python 3.13
    "json.trailing_comma_object": {
        "id": "koma berlebih sebelum akhir objek",
        "en": "Illegal trailing comma before end of object",
    },
    "json.trailing_comma_array": {
        "id": "koma berlebih sebelum akhir array",
        "en": "Illegal trailing comma before end of array",
    },
    # int(): a number of more digits than Python converts (not a JSONDecodeError: no position)
    "json.int_digits": {
        "id": "bilangan bulat terlalu panjang: {digits} digit, melebihi batas {limit} digit",
        "en": "Exceeds the limit ({limit} digits) for integer string conversion: value has {digits} "
        "digits; use sys.set_int_max_str_digits() to increase the limit",
    },
}

# -- An Excel workbook: zipfile, zlib, openpyxl, and ElementTree's expat ("<msg>: line L, column C")
# (libxml2's texts, through lxml, are those of parsers.XML)
EXCEL: dict[str, dict[str, str]] = {
    "zipfile.not_zip": {
        "id": "berkas bukan arsip zip yang utuh (terpotong atau rusak?)",
        "en": "File is not a zip file",
    },
    "zipfile.no_item": {
        "id": "bagian {name} tidak ada di dalam arsip",
        "en": "There is no item named {name} in the archive",
    },
    "zipfile.method": {
        "id": "metode kompresi arsip tidak didukung",
        "en": "That compression method is not supported",
    },
    "zipfile.version": {
        "id": "versi zip {version} tidak didukung",
        "en": "zip file version {version}",
    },
    "zipfile.bad_crc": {
        "id": "isi bagian {name} rusak (CRC-32 tidak cocok)",
        "en": "Bad CRC-32 for file {name}",
    },
    "zipfile.name_differs": {
        "id": "nama bagian di daftar isi arsip ({directory}) berbeda dengan di kepalanya ({header})",
        "en": "File name in directory {directory} and header {header} differ.",
    },
    "zipfile.directory_offset": {
        "id": "letak daftar isi arsip zip tidak sah",
        "en": "Bad offset for central directory",
    },
    "zipfile.directory_truncated": {
        "id": "daftar isi arsip zip terpotong",
        "en": "Truncated central directory",
    },
    "zipfile.directory_magic": {
        "id": "tanda pengenal daftar isi arsip zip tidak sah",
        "en": "Bad magic number for central directory",
    },
    "zipfile.header_truncated": {
        "id": "kepala bagian di dalam arsip zip terpotong",
        "en": "Truncated file header",
    },
    "zipfile.header_magic": {
        "id": "tanda pengenal kepala bagian di dalam arsip zip tidak sah",
        "en": "Bad magic number for file header",
    },
    "zipfile.multiple_disks": {
        "id": "arsip zip yang terbagi atas beberapa disk tidak didukung",
        "en": "zipfiles that span multiple disks are not supported",
    },
    "zipfile.extra_field": {
        "id": "medan tambahan {kind} di arsip zip rusak (ukuran {size})",
        "en": "Corrupt extra field {kind} (size={size})",
    },
    "zipfile.zip64_field": {
        "id": "medan tambahan zip64 rusak: {field} tidak ditemukan",
        "en": "Corrupt zip64 extra field. {field} not found.",
    },
    "zlib.decompress_reason": {
        "id": "data terkompresi di dalam arsip rusak (zlib {code}: {zlib})",
        "en": "Error {code} while decompressing data: {zlib}",
    },
    "zlib.decompress": {
        "id": "data terkompresi di dalam arsip rusak (zlib {code})",
        "en": "Error {code} while decompressing data",
    },
    "zlib.stream_end": {
        "id": "data terkompresi berakhir sebelum tanda akhirnya (berkas terpotong?)",
        "en": "Compressed file ended before the end-of-stream marker was reached",
    },
    "openpyxl.xls": {
        "id": "openpyxl tidak membaca format .xls lama; simpan ulang sebagai .xlsx di Excel",
        "en": "openpyxl does not support the old .xls file format, please use xlrd to read this "
        "file, or convert it to the more recent .xlsx file format.",
    },
    "openpyxl.xlsb": {
        "id": "openpyxl tidak membaca format biner .xlsb; simpan ulang sebagai .xlsx di Excel",
        "en": "openpyxl does not support binary format .xlsb, please convert this file to .xlsx "
        "format if you want to open it with openpyxl",
    },
    "openpyxl.extension": {
        "id": "openpyxl tidak membaca berkas berakhiran {ending}; akhiran yang dibaca: {endings}",
        "en": "openpyxl does not support {ending} file format, please check you can open it with "
        "Excel first. Supported formats are: {endings}",
    },
    "openpyxl.no_workbook": {
        "id": "arsip tidak memuat bagian buku kerja yang sah",
        "en": "File contains no valid workbook part",
    },
    "openpyxl.unable": {
        "id": "buku kerja gagal dibaca saat {action} dari {path}",
        "en": "Unable to read workbook: could not {action} from {path}.",
    },
    "etree.position": {
        "id": "{detail} (baris {line}, kolom {column})",
        "en": "{detail}: line {line}, column {column}",
    },
    "expat.syntax": {"id": "kesalahan sintaks XML", "en": "syntax error"},
    "expat.no_element": {"id": "tidak ditemukan satu elemen pun", "en": "no element found"},
    "expat.invalid_token": {
        "id": "XML tidak tersusun dengan benar (token tidak sah)",
        "en": "not well-formed (invalid token)",
    },
    "expat.unclosed_token": {"id": "token XML tidak ditutup", "en": "unclosed token"},
    "expat.partial_character": {
        "id": "karakter terpotong (bitanya tidak lengkap)",
        "en": "partial character",
    },
    "expat.mismatched_tag": {
        "id": "tag penutup tidak cocok dengan tag pembukanya",
        "en": "mismatched tag",
    },
    "expat.duplicate_attribute": {
        "id": "atribut yang sama ditulis lebih dari sekali",
        "en": "duplicate attribute",
    },
    "expat.junk_after_element": {
        "id": "terdapat isi tambahan setelah akhir dokumen",
        "en": "junk after document element",
    },
    "expat.undefined_entity": {"id": "entitas tidak didefinisikan", "en": "undefined entity"},
    "expat.recursive_entity": {
        "id": "rujukan entitas yang merujuk dirinya sendiri",
        "en": "recursive entity reference",
    },
    "expat.invalid_character_number": {
        "id": "rujukan ke nomor karakter yang tidak sah",
        "en": "reference to invalid character number",
    },
    "expat.declaration_place": {
        "id": "deklarasi XML hanya diperbolehkan di awal",
        "en": "XML or text declaration not at start of entity",
    },
    "expat.unknown_encoding": {"id": "pengodean tidak dikenal", "en": "unknown encoding"},
    "expat.wrong_encoding": {
        "id": "pengodean yang dinyatakan dalam deklarasi XML tidak sesuai",
        "en": "encoding specified in XML declaration is incorrect",
    },
    "expat.unclosed_cdata": {"id": "bagian CDATA tidak ditutup", "en": "unclosed CDATA section"},
    "expat.unbound_prefix": {
        "id": "awalan ruang nama tidak didefinisikan",
        "en": "unbound prefix",
    },
    "expat.declaration_malformed": {
        "id": "deklarasi XML cacat",
        "en": "XML declaration not well-formed",
    },
}

# -- pyarrow (Arrow C++'s Parquet reader) ---------------------------------------------------------
PARQUET: dict[str, dict[str, str]] = {
    "pyarrow.magic": {
        "id": "penanda Parquet (PAR1) tidak ditemukan di akhir berkas: berkas rusak atau terpotong, "
        "atau bukan berkas Parquet",
        "en": "Parquet magic bytes not found in footer. Either the file is corrupted or this is not "
        "a parquet file.",
    },
    "pyarrow.size_zero": {
        "id": "berkas Parquet kosong (0 bita)",
        "en": "Parquet file size is 0 bytes",
    },
    "pyarrow.size_below_footer": {
        "id": "berkas Parquet hanya {size} bita, kurang dari ukuran terkecil bagian penutupnya "
        "({footer} bita)",
        "en": "Parquet file size is {size} bytes, smaller than the minimum file footer ({footer} bytes)",
    },
    "pyarrow.size_below_reported": {
        "id": "berkas Parquet hanya {size} bita, kurang dari ukuran yang dicatat bagian penutupnya "
        "({footer} bita): berkas terpotong?",
        "en": "Parquet file size is {size} bytes, smaller than the size reported by footer's ({footer}bytes)",
    },
    "pyarrow.page_smaller": {
        "id": "data berakhir sebelum waktunya: halaman data lebih kecil ({got}) dari yang "
        "diharapkan ({expected})",
        "en": "Unexpected end of stream: Page was smaller ({got}) than expected ({expected})",
    },
    "pyarrow.end_of_stream": {
        "id": "data berakhir sebelum waktunya (berkas terpotong atau rusak)",
        "en": "Unexpected end of stream",
    },
    "pyarrow.thrift": {
        "id": "metadata Parquet (thrift) tidak dapat diurai: {thrift}",
        "en": "Couldn't deserialize thrift: {thrift}",
    },
    "pyarrow.snappy": {
        "id": "data terkompresi snappy rusak",
        "en": "Corrupt snappy compressed data.",
    },
    "pyarrow.page_bytes": {
        "id": "jumlah bita yang diterima tidak sah (halaman data rusak?)",
        "en": "Received invalid number of bytes (corrupt data page?)",
    },
    "pyarrow.dictionary_page": {
        "id": "halaman kamus harus berada sebelum halaman data",
        "en": "Dictionary page must be before data page.",
    },
    "pyarrow.schema_base64": {
        "id": "skema Arrow yang tersimpan di metadata rusak (bukan base64 yang sah)",
        "en": "Invalid base64 input: character is not valid base64 character",
    },
}

# -- The C library's strerror, by errno name (the common errors of writing a file) ---------------
OS: dict[str, dict[str, str]] = {
    "os.ENOENT": {"id": "folder atau berkas tidak ada", "en": "No such file or directory"},
    "os.EACCES": {"id": "izin akses ditolak", "en": "Permission denied"},
    "os.EPERM": {"id": "operasi tidak diizinkan", "en": "Operation not permitted"},
    "os.ENOSPC": {"id": "ruang penyimpanan perangkat sudah penuh", "en": "No space left on device"},
    "os.EDQUOT": {"id": "kuota disk terlampaui", "en": "Disk quota exceeded"},
    "os.EISDIR": {"id": "yang dituju adalah folder", "en": "Is a directory"},
    "os.ENOTDIR": {"id": "salah satu bagian jalurnya bukan folder", "en": "Not a directory"},
    "os.EROFS": {"id": "sistem berkas hanya dapat dibaca", "en": "Read-only file system"},
    "os.EFBIG": {"id": "berkas melebihi ukuran terbesar", "en": "File too large"},
    "os.EIO": {"id": "galat masukan/keluaran perangkat", "en": "Input/output error"},
    "os.EPIPE": {"id": "saluran (pipe) terputus", "en": "Broken pipe"},
    "os.ENAMETOOLONG": {"id": "nama berkas terlalu panjang", "en": "File name too long"},
    "os.ELOOP": {
        "id": "tautan simbolik berputar atau terlalu bertingkat",
        "en": "Too many levels of symbolic links",
    },
    "os.EEXIST": {"id": "berkas sudah ada", "en": "File exists"},
    "os.EBUSY": {"id": "perangkat atau sumber daya sedang sibuk", "en": "Device or resource busy"},
    "os.ETXTBSY": {"id": "berkas sedang dipakai", "en": "Text file busy"},
    "os.EINVAL": {"id": "argumen tidak sah", "en": "Invalid argument"},
    "os.EMFILE": {"id": "terlalu banyak berkas terbuka", "en": "Too many open files"},
    "os.ENXIO": {"id": "perangkat atau alamat tidak ada", "en": "No such device or address"},
    "os.EAGAIN": {
        "id": "sumber daya untuk sementara tidak tersedia",
        "en": "Resource temporarily unavailable",
    },
    "os.ESTALE": {"id": "rujukan berkas jaringan sudah kedaluwarsa", "en": "Stale file handle"},
}

# -- Our own details, shown where a library's text would be --------------------------------------
OWN: dict[str, dict[str, str]] = {
    "detail.json_too_deep": {
        "id": "nilai JSON bersarang terlalu dalam",
        "en": "nested too deeply",
    },
    # what a JSON Lines line (or a .json file) holds instead of an object (or an array)
    "detail.json_int": {"id": "ditemukan bilangan bulat", "en": "found an integer"},
    "detail.json_float": {"id": "ditemukan bilangan pecahan", "en": "found a fractional number"},
    "detail.json_str": {"id": "ditemukan teks", "en": "found a string"},
    "detail.json_bool": {"id": "ditemukan nilai true/false", "en": "found true or false"},
    "detail.json_none": {"id": "ditemukan nilai null", "en": "found null"},
    "detail.json_list": {"id": "ditemukan array", "en": "found an array"},
    "detail.json_dict": {"id": "ditemukan objek", "en": "found an object"},
    "detail.xlsx_not_zip": {
        "id": "berkas ini bukan arsip zip, padahal setiap berkas .xlsx adalah arsip zip",
        "en": "not a zip (xlsx) file",
    },
    "detail.xlsx_no_sheet": {
        "id": "buku kerja tidak memiliki lembar kerja",
        "en": "no sheet",
    },
    "detail.xlsx_cut_short": {
        "id": "isi arsip berakhir sebelum waktunya (berkas terpotong?)",
        "en": "the archive's contents end too early (a truncated file?)",
    },
}

# Indonesian for the values of some placeholders (as the library writes them).
TERMS: dict[str, dict[str, str]] = {
    # zlib's inflate messages
    "zlib": {
        "invalid distance too far back": "jarak rujukan terlalu jauh ke belakang",
        "invalid block type": "jenis blok tidak sah",
        "invalid stored block lengths": "panjang blok tersimpan tidak sah",
        "invalid code lengths set": "himpunan panjang kode tidak sah",
        "invalid bit length repeat": "pengulangan panjang bit tidak sah",
        "invalid literal/lengths set": "himpunan literal/panjang tidak sah",
        "invalid distances set": "himpunan jarak tidak sah",
        "invalid literal/length code": "kode literal/panjang tidak sah",
        "invalid distance code": "kode jarak tidak sah",
        "invalid code -- missing end-of-block": "kode tidak sah: tanda akhir blok tidak ada",
        "too many length or distance symbols": "terlalu banyak simbol panjang atau jarak",
        "incorrect header check": "pemeriksaan kepala data tidak cocok",
        "incorrect data check": "pemeriksaan data tidak cocok",
        "incorrect length check": "pemeriksaan panjang tidak cocok",
        "unknown compression method": "metode kompresi tidak dikenal",
        "invalid window size": "ukuran jendela tidak sah",
    },
    "field": {
        "File size": "ukuran berkas",
        "Compress size": "ukuran terkompresi",
        "Header offset": "letak kepala bagian",
    },
    # openpyxl's step when reading a workbook failed
    "action": {
        "read manifest": "membaca daftar isi",
        "read strings": "membaca tabel teks",
        "read workbook": "membaca susunan buku kerja",
        "read properties": "membaca properti",
        "read custom properties": "membaca properti khusus",
        "read theme": "membaca tema",
        "read stylesheet": "membaca gaya sel",
        "read worksheets": "membaca lembar kerja",
        "assign names": "menetapkan nama",
    },
    # the Thrift decoder's reasons
    "thrift": {
        "TProtocolException: Invalid data": "data tidak sah",
        "No more data to read.": "data habis sebelum metadata selesai",
        "invalid TType": "jenis data tidak sah",
    },
}

MESSAGES: dict[str, dict[str, str]] = {**JSON, **EXCEL, **PARQUET, **OS, **OWN}
