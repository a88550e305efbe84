"""The parsing libraries' own problem texts in Indonesian (checker/messages/parsers.py): a broken
SOP (PyYAML) or XES log (libxml2 through lxml) gives one located line, exit 2, in Indonesian under
--lang id and in the library's unchanged English under --lang en; every problem PyYAML can raise
is in the table, so that a new one fails here instead of reaching a user in English."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import yaml

from checker.errors import InputError
from checker.messages import MESSAGES, parsers, t
from checker.messages.parsers import TERMS, XML, YAML, match, xml_problem, yaml_problem
from checker.sop.yamlload import load_yaml
from tests.conftest import input_error

SOP = "rules/magetan/penawaran-kerja-sama.yaml"


def only_error_line(result) -> str:
    """The one line on stderr of an input error, without `sopcheck: `."""
    return input_error(result).removeprefix("sopcheck: ")


def fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def literal_words(template: str) -> set[str]:
    """The words of a template outside its placeholders, of five letters or more."""
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    return {w.lower() for w in re.findall(r"[A-Za-z]{5,}", literal)}


# Words the Indonesian keeps: names (a format, a keyword) and terms Indonesian writes the same.
KEPT_WORDS = {"python", "ascii", "cdata", "doctype", "standalone", "version", "alias", "token", "escape"}


# --- PyYAML: real broken documents through `sopcheck validate` ------------------------------------------

# (name, document, "line:column", PyYAML's problem, its Indonesian)
YAML_CASES = [
    (
        "mapping-values",
        "nama: Penawaran: Kerja Sama\n",
        "1:16",
        "mapping values are not allowed here",
        "nilai pemetaan (setelah ':') tidak diperbolehkan di sini",
    ),
    (
        "unclosed-quote",
        "nama: 'Penawaran Kerja Sama\nversi: 1\n",
        "3:1",
        "found unexpected end of stream",
        "berkas berakhir sebelum tanda kutip ditutup",
    ),
    (
        "cannot-start-token",
        "nama: @bupati\n",
        "1:7",
        "found character '@' that cannot start any token",
        "ditemukan karakter '@' yang tidak dapat mengawali token YAML apa pun",
    ),
    (
        "block-end",
        "langkah:\n  - id: a\n    nama: A\n   pelaksana: b\n",
        "4:4",
        "expected <block end>, but found '<block mapping start>'",
        "seharusnya akhir blok, tetapi ditemukan awal pemetaan blok",
    ),
    (
        "block-end-scalar",
        "nama: 'Penawaran' Kerja Sama\n",
        "1:19",
        "expected <block end>, but found '<scalar>'",
        "seharusnya akhir blok, tetapi ditemukan nilai skalar",
    ),
    (
        "simple-key",
        "nama: A\nversi\npemilik: B\n",
        "3:1",
        "could not find expected ':'",
        "tanda ':' yang diperlukan tidak ditemukan",
    ),
    (
        "sequence-entry",
        "langkah: - a\n",
        "1:10",
        "sequence entries are not allowed here",
        "butir daftar ('- ') tidak diperbolehkan di sini",
    ),
    (
        "flow-sequence",
        "pelaksana: [a, b\nversi: 1\n",
        "2:6",
        "expected ',' or ']', but got ':'",
        "seharusnya ',' atau ']', tetapi ditemukan ':'",
    ),
    (
        "flow-mapping",
        "batas: {hari: 3\n",
        "2:1",
        "expected ',' or '}', but got '<stream end>'",
        "seharusnya ',' atau '}', tetapi ditemukan akhir berkas",
    ),
    (
        "undefined-alias",
        "pelaksana: *kepala\n",
        "1:12",
        "found undefined alias 'kepala'",
        "ditemukan alias 'kepala' yang tidak didefinisikan",
    ),
    (
        "duplicate-anchor",
        "a: &x 1\nb: &x 2\n",
        "2:4",
        "second occurrence",
        "jangkar yang sama muncul untuk kedua kalinya di sini",
    ),
    (
        "two-documents",
        "nama: A\n---\nnama: B\n",
        "2:1",
        "but found another document",
        "ditemukan dokumen lain, padahal berkas hanya boleh berisi satu dokumen",
    ),
    (
        "unknown-escape",
        'berkas: "C:\\Dokumen\\SOP"\n',
        "1:13",
        "found unknown escape character 'D'",
        "ditemukan karakter escape 'D' yang tidak dikenal",
    ),
    (
        "unknown-tag",
        "a: !!python/object/apply:os.system [echo]\n",
        "1:4",
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' tidak dikenal sehingga nilainya "
        "tidak dapat dibentuk",
    ),
    (
        "merge-scalar",
        "a: &x 1\nb:\n  <<: *x\n",
        "1:4",
        "expected a mapping or list of mappings for merging, but found scalar",
        "penggabungan ('<<') seharusnya berisi pemetaan atau daftar pemetaan, tetapi ditemukan skalar",
    ),
    (
        "merge-list-of-scalar",
        "a: &x 1\nb:\n  <<: [*x]\n",
        "1:4",
        "expected a mapping for merging, but found scalar",
        "penggabungan ('<<') seharusnya berisi pemetaan, tetapi ditemukan skalar",
    ),
    (
        "map-of-list",
        "a: !!map [1]\n",
        "1:4",
        "expected a mapping node, but found sequence",
        "seharusnya simpul pemetaan, tetapi ditemukan daftar",
    ),
    (
        "control-character",
        "nama: Penawaran\x07\n",
        "1:16",
        "unacceptable character #x0007: special characters are not allowed",
        "karakter #x0007 tidak dapat diterima: karakter khusus tidak diperbolehkan",
    ),
    (
        "tag-uri-not-utf8",
        "a: !<%ff> x\n",
        "1:6",
        "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        "bita 0xff pada posisi 0 tidak dapat diurai sebagai utf-8: bita awal tidak sah",
    ),
]


@pytest.mark.parametrize(
    ("name", "document", "where", "english", "indonesian"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_broken_yaml_in_both_languages(run_cli, tmp_path, name, document, where, english, indonesian) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(document, encoding="utf-8")
    en = only_error_line(run_cli(["validate", path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["validate", path, "--lang", "id"]))
    assert en == f"{path}:{where}: " + t("yaml.syntax", "en", reason=english)
    assert id_ == f"{path}:{where}: " + t("yaml.syntax", "id", reason=indonesian)
    # The English is PyYAML's own, word for word.
    with pytest.raises(yaml.YAMLError) as err:
        yaml.safe_load(document)
    if isinstance(err.value, yaml.MarkedYAMLError):
        assert err.value.problem == english
    else:
        assert f"unacceptable character #x{err.value.character:04x}: {err.value.reason}" == english
    assert english not in id_
    key, _ = match("yaml", english)
    assert not (literal_words(YAML[key]["en"]) - KEPT_WORDS) & set(re.findall(r"[a-z]+", indonesian.lower()))


def test_the_example_of_the_report(run_cli, tmp_path) -> None:
    """The two documents of the report that showed PyYAML's English under --lang id."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("nama: SOP\nlangkah: a: b\n", encoding="utf-8")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_text("nama: SOP\nlangkah: 'a\n", encoding="utf-8")
    assert only_error_line(run_cli(["validate", bad, "--lang", "id"])) == (
        f"{bad}:2:11: YAML tidak sah: nilai pemetaan (setelah ':') tidak diperbolehkan di sini"
    )
    assert only_error_line(run_cli(["validate", bad2, "--lang", "id"])) == (
        f"{bad2}:3:1: YAML tidak sah: berkas berakhir sebelum tanda kutip ditutup"
    )


def test_the_loader_gives_both_languages(tmp_path) -> None:
    with pytest.raises(InputError) as err:
        load_yaml("sop.yaml", "a: b: c\n")
    assert err.value.key == "yaml.syntax"
    assert err.value.render("en") == "sop.yaml:1:5: invalid YAML: mapping values are not allowed here"
    assert err.value.render("id") == (
        "sop.yaml:1:5: YAML tidak sah: nilai pemetaan (setelah ':') tidak diperbolehkan di sini"
    )


# --- libxml2 through lxml: real broken XES logs through `sopcheck audit` ----------------------------------

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
TRACE = '<trace><string key="concept:name" value="{case}"/>'
EVENT = (
    '<event><string key="concept:name" value="Terima Surat"/>'
    '<date key="time:timestamp" value="2026-01-05T08:00:00+07:00"/></event>'
)
GOOD = TRACE.format(case="PKS-001") + EVENT + "</trace>\n"
PADDING = "".join(TRACE.format(case=f"PKS-{i:03}") + EVENT + "</trace>\n" for i in range(600))

# (name, file's bytes, "line:column", libxml2's text (without lxml's position), its Indonesian)
XES_CASES = [
    (
        "cut-short",
        (HEAD + GOOD + TRACE.format(case="PKS-002") + EVENT).encode(),
        "4:178",
        "Premature end of data in tag trace line 4",
        "data berakhir sebelum tag <trace> yang dibuka di baris 4 ditutup",
    ),
    (
        "tag-mismatch",
        (HEAD + GOOD + TRACE.format(case="PKS-002") + EVENT + "</event></log>\n").encode(),
        "4:186",
        "Opening and ending tag mismatch: trace line 4 and event",
        "tag pembuka <trace> di baris 4 tidak cocok dengan tag penutup </event>",
    ),
    (
        "not-xml",
        b"Nomor Agenda;Kegiatan;Waktu\n001;Terima;2026-01-05\n",
        "1:1",
        "Start tag expected, '<' not found",
        "seharusnya ada tag pembuka, tetapi '<' tidak ditemukan",
    ),
    (
        "extra-content",
        (HEAD + GOOD + "</log>\n<log/>\n").encode(),
        "5:1",
        "Extra content at the end of the document",
        "terdapat isi tambahan setelah akhir dokumen",
    ),
    (
        "attributes-construct",
        (HEAD + '<trace><string key="concept:name" value="PKS-001"</trace></log>\n').encode(),
        "3:50",
        "attributes construct error",
        "susunan atribut tidak sah",
    ),
    (
        "start-tag-end",
        (HEAD + GOOD + "<trace><string").encode(),
        "4:15",
        "Couldn't find end of Start Tag string",
        "akhir tag pembuka <string> tidak ditemukan",
    ),
    (
        "ampersand",
        (HEAD + TRACE.format(case="Hukum & Kerja Sama") + EVENT + "</trace></log>\n").encode(),
        "3:49",
        "xmlParseEntityRef: no name",
        "tanda '&' tidak diikuti nama entitas",
    ),
    (
        "entity-semicolon",
        (HEAD + TRACE.format(case="R&D") + EVENT + "</trace></log>\n").encode(),
        "3:45",
        "EntityRef: expecting ';'",
        "rujukan entitas tidak diakhiri tanda ';'",
    ),
    (
        "control-in-attribute",
        (HEAD + TRACE.format(case="PKS\x01001") + EVENT + "</trace></log>\n").encode(),
        "3:45",
        "invalid character in attribute value",
        "karakter tidak sah di dalam nilai atribut",
    ),
    (
        "control-in-text",
        (HEAD + GOOD + "<trace>\x0b</trace></log>\n").encode(),
        "4:8",
        "PCDATA invalid Char value 11",
        "nilai karakter 11 tidak sah di dalam teks",
    ),
    (
        # a NUL in the first 64 KiB is refused as a binary file before lxml reads it
        "nul-far-in",
        (HEAD + PADDING).encode() + b"<trace>\x00</trace></log>\n",
        "603:8",
        "Invalid character: Char 0x0 out of allowed range",
        "karakter tidak sah: 0x0 berada di luar rentang karakter yang diperbolehkan",
    ),
    (
        "latin-1",
        (HEAD + TRACE.format(case="Café") + EVENT + "</trace></log>\n").encode("latin-1"),
        "3:45",
        "Invalid bytes in character encoding",
        "terdapat bita yang tidak sah menurut pengodean karakter berkas",
    ),
    (
        "less-than-in-value",
        (HEAD + TRACE.format(case="a<b") + EVENT + "</trace></log>\n").encode(),
        "3:43",
        "Unescaped '<' not allowed in attributes values",
        "tanda '<' tanpa escape tidak diperbolehkan di dalam nilai atribut",
    ),
    (
        "unquoted-value",
        (HEAD + '<trace><string key=concept:name value="PKS-001"/></trace></log>\n').encode(),
        "3:20",
        "AttValue: \" or ' expected",
        "nilai atribut harus diapit tanda kutip \" atau '",
    ),
    (
        "attribute-twice",
        (HEAD + '<trace><string key="concept:name" key="x" value="PKS-001"/></trace></log>\n').encode(),
        "3:58",
        "Attribute key redefined",
        "atribut 'key' ditulis lebih dari sekali",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "where", "english", "indonesian"), XES_CASES, ids=[c[0] for c in XES_CASES]
)
def test_broken_xes_in_both_languages(run_cli, tmp_path, name, content, where, english, indonesian) -> None:
    path = tmp_path / f"{name}.xes"
    path.write_bytes(content)
    en = only_error_line(run_cli(["audit", SOP, path, "--lang", "en"]))
    id_ = only_error_line(run_cli(["audit", SOP, path, "--lang", "id"]))
    line, column = where.split(":")
    # lxml's text: libxml2's, then the position (a character it cannot print is shown escaped)
    detail = english + ("\\n" if "Char 0x" in english else "") + f", line {line}, column {column}"
    assert en == f"{path}:{where}: " + t("readers.xml_error", "en", detail=detail)
    assert id_ == f"{path}:{where}: " + t(
        "readers.xml_error", "id", detail=f"{indonesian} (baris {line}, kolom {column})"
    )
    assert english not in id_
    key, _ = match("xml", english)
    assert not (literal_words(XML[key]["en"]) - KEPT_WORDS) & set(re.findall(r"[a-z]+", indonesian.lower()))


def test_the_xes_example_of_the_report(run_cli, tmp_path) -> None:
    bad = tmp_path / "bad.xes"
    bad.write_text("<log><trace>", encoding="utf-8")
    assert only_error_line(run_cli(["audit", SOP, bad, "--lang", "id"])) == (
        f"{bad}:1:13: XML tidak sah: data berakhir sebelum tag <trace> yang dibuka di baris 1 ditutup "
        "(baris 1, kolom 13)"
    )
    assert only_error_line(run_cli(["audit", SOP, bad])) == (
        f"{bad}:1:13: invalid XML: Premature end of data in tag trace line 1, line 1, column 13"
    )


# --- the table ---------------------------------------------------------------------------------------------


def test_an_unknown_text_stays_english_in_both_languages() -> None:
    for problem in (yaml_problem, xml_problem):
        text = problem("a text no version of the table knows, line 3, column 4")
        assert (text.get("id"), text.get("en")) == (
            "a text no version of the table knows, line 3, column 4",
        ) * 2
    # a known position around an unknown text: nothing is half translated
    assert xml_problem("Some new libxml2 message, line 3, column 4").get("id") == (
        "Some new libxml2 message, line 3, column 4"
    )


def test_the_table_is_in_the_catalogue() -> None:
    for key, texts in parsers.MESSAGES.items():
        assert MESSAGES[key] is texts
        assert set(texts) == {"id", "en"}
        assert texts["id"] != texts["en"], key


@pytest.mark.parametrize("key", sorted(parsers.MESSAGES))
def test_each_entry(key: str) -> None:
    """Each entry keeps every variable part in Indonesian, leaves none of its English words, and is
    the one its own English finds (no earlier entry hides it)."""
    texts = parsers.MESSAGES[key]
    assert fields(texts["id"]) == fields(texts["en"]), key
    assert not (literal_words(texts["en"]) - KEPT_WORDS) & literal_words(texts["id"]), key
    if key == "lxml.position":
        return
    sample = {name: f"v{i}" for i, name in enumerate(sorted(fields(texts["en"])))}
    library = "yaml" if key.startswith("pyyaml.") else "xml"
    assert match(library, texts["en"].format(**sample)) == (key, sample)


def test_terms_name_placeholders_of_the_table() -> None:
    used = set().union(*(fields(texts["en"]) for texts in parsers.MESSAGES.values()))
    assert set(TERMS) <= used
    for name, terms in TERMS.items():
        for english, indonesian in terms.items():
            assert english != indonesian, (name, english)


# --- every problem PyYAML can raise is in the table --------------------------------------------------------

_PYYAML = Path(yaml.__file__).parent
_MARKED = {"ScannerError", "ParserError", "ComposerError", "ConstructorError"}

# The arguments that are not PyYAML's own words, with why.
NOT_LITERAL = {
    # scan_uri_escapes: the text of Python's UnicodeDecodeError, matched by pyyaml.uri_not_decodable
    # (the case tag-uri-not-utf8 above).
    ("scanner.py", "str(exc)"),
}


def _sample(node: ast.expr) -> tuple[str, bool] | None:
    """An argument's text with sample values for its %-fields, and whether it had none; None when
    it is not a string PyYAML writes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        values = {"r": "'x'", "s": "x", "d": "1"}
        return re.sub(r"%([rsd])", lambda m: values[m.group(1)], node.left.value), False
    return None


def _pyyaml_texts() -> tuple[list[tuple[str, int, str, bool]], set[tuple[str, str]]]:
    """The contexts and problems of PyYAML's marked errors (file, line, sample text, literal), and
    the arguments that are not strings."""
    texts: list[tuple[str, int, str, bool]] = []
    other: set[tuple[str, str]] = set()
    for path in sorted(_PYYAML.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in _MARKED:
                # MarkedYAMLError(context, context_mark, problem, problem_mark)
                arguments = [node.args[i] for i in (0, 2) if i < len(node.args)]
            elif node.func.id == "ReaderError":
                # ReaderError(name, position, character, encoding, reason): yamlload's text
                reason = node.args[4]
                if isinstance(reason, ast.Constant):
                    texts.append(
                        (path.name, node.lineno, f"unacceptable character #x0007: {reason.value}", False)
                    )
                    assert reason.value in TERMS["reason"], reason.value
                else:
                    other.add((path.name, ast.unparse(reason)))
                continue
            else:
                continue
            for argument in arguments:
                if isinstance(argument, ast.Constant) and argument.value is None:
                    continue
                sample = _sample(argument)
                if sample is None:
                    other.add((path.name, ast.unparse(argument)))
                else:
                    texts.append((path.name, node.lineno, *sample))
    return texts, other


def test_every_pyyaml_problem_is_in_the_table() -> None:
    texts, other = _pyyaml_texts()
    assert len(texts) > 100  # the scan found PyYAML's errors
    missing = [f"{name}:{line}: {text}" for name, line, text, _ in texts if match("yaml", text) is None]
    assert missing == []
    # ReaderError's reason when PyYAML decodes bytes: load_yaml gives it text, never bytes.
    assert other - NOT_LITERAL == {("reader.py", "exc.reason")}


def test_pyyaml_literal_problems_are_wholly_indonesian() -> None:
    """A problem PyYAML writes as is has no placeholder value left in English."""
    texts, _ = _pyyaml_texts()
    for name, line, text, literal in texts:
        if not literal:
            continue
        key, values = match("yaml", text)
        for field, value in values.items():
            assert value in TERMS.get(field, {}), f"{name}:{line}: {text!r}: {field}={value!r}"


@pytest.mark.parametrize(
    ("context", "indonesian"),
    [
        ("while scanning an anchor", "saat memindai jangkar"),
        ("while scanning an alias", "saat memindai alias"),
        ("while scanning a tag", "saat memindai tag"),
        ("while scanning a directive", "saat memindai direktif"),
        ("while parsing a tag", "saat mengurai tag"),
        ("while parsing a block node", "saat mengurai simpul blok"),
        ("while parsing a flow node", "saat mengurai simpul dalam kurung"),
        (
            "found duplicate anchor 'x'; first occurrence",
            "ditemukan jangkar 'x' ganda; kemunculan pertamanya",
        ),
    ],
)
def test_pyyaml_formatted_contexts(context: str, indonesian: str) -> None:
    assert yaml_problem(context).get("id") == indonesian
