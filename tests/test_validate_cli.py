"""`sopcheck validate` as a user runs it (a subprocess): exit statuses, one located line on stderr
for each unusable input and never a traceback, deterministic JSON, Indonesian messages, and the
example in docs/sop-format.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checker import catalogue
from checker.messages import MESSAGES, t
from checker.sop.load import load_sop
from checker.sop.yamlload import MAX_BYTES
from tests.conftest import input_error

BAD = "fixtures/bad-yaml"
INVALID = "fixtures/invalid-sops"
SOP103 = f"{INVALID}/sop103-unknown-actor.yaml"


def template(key: str, lang: str = "en") -> re.Pattern[str]:
    """A message of the catalogue as a pattern, its {placeholders} matching anything: tests check
    which message was given without repeating its wording."""
    parts = re.split(r"\{[a-z_]+\}", MESSAGES[key][lang])
    return re.compile(".+".join(map(re.escape, parts)))


def only_error_line(code: int, out: str, err: str) -> str:
    """The one line on stderr of an input error, without `sopcheck: `."""
    return input_error((code, out, err)).removeprefix("sopcheck: ")


# (path, expected "file:line:column" or None when only the file can be named, message key)
BAD_INPUTS = [
    (f"{BAD}/malformed.yaml", "16:9", "yaml.syntax"),
    (f"{BAD}/duplicate-key.yaml", "15:5", "yaml.duplicate_key"),  # the second `name`
    (f"{BAD}/tab-indent.yaml", "14:1", "yaml.tab"),
    (f"{BAD}/alias-bomb.yaml", "7:5", "yaml.alias_bomb"),
    (f"{BAD}/not-utf8.yaml", "13:30", "file.not_utf8"),  # the byte 0xe9 of "Café"
    (f"{BAD}/control-character.yaml", "6:18", "yaml.syntax"),
    (f"{BAD}/top-level-list.yaml", "2:1", "yaml.not_mapping"),
    (f"{BAD}/empty.yaml", None, "file.empty"),
    (f"{BAD}/no-such-file.yaml", None, "file.not_found"),
]


@pytest.mark.parametrize(("path", "where", "key"), BAD_INPUTS, ids=[Path(p).stem for p, *_ in BAD_INPUTS])
def test_bad_input_is_one_located_line(run_cli, path: str, where: str | None, key: str) -> None:
    line = only_error_line(*run_cli(["validate", path]))
    prefix = f"{path}:{where}: " if where else f"{path}: "
    assert line.startswith(prefix), line
    assert template(key).fullmatch(line[len(prefix) :]), line


def test_duplicate_key_names_both_lines(run_cli) -> None:
    line = only_error_line(*run_cli(["validate", f"{BAD}/duplicate-key.yaml"]))
    assert line == f"{BAD}/duplicate-key.yaml:15:5: " + t("yaml.duplicate_key", "en", key="name", first=13)


def test_alias_bomb_fails_fast_with_the_alias_message(run_cli) -> None:
    # A bounded wait instead of a timing assertion: expanding 9^9 nodes would blow far past it.
    code, out, err = run_cli(["validate", f"{BAD}/alias-bomb.yaml"], timeout=30)
    line = only_error_line(code, out, err)
    assert template("yaml.alias_bomb").search(line), line


def test_huge_file_is_refused_unread(run_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    chunk = b"# " + b"x" * 1021 + b"\n"
    with open(big, "wb") as handle:
        handle.write(b"sopcheck: 1\n")
        for _ in range(50 * 1024):  # 50 MB of comment lines: valid YAML, just far too much of it
            handle.write(chunk)
    assert big.stat().st_size > 50 * 1024 * 1024 > MAX_BYTES
    line = only_error_line(*run_cli(["validate", str(big)], timeout=60))
    assert line == f"{big}: " + t("file.too_large", "en", limit_mb=MAX_BYTES // 1024 // 1024)


def test_folder_without_yaml_is_an_input_error(run_cli) -> None:
    line = only_error_line(*run_cli(["validate", f"{BAD}/no-yaml"]))
    assert line == t("validate.no_files", "en", paths=f"{BAD}/no-yaml")


def test_unreadable_file_does_not_hide_the_others(run_cli) -> None:
    code, out, err = run_cli(["validate", SOP103, f"{BAD}/empty.yaml"])
    assert only_error_line(code, out, err).startswith(f"{BAD}/empty.yaml: ")
    assert f"{SOP103}:18:12: error SOP103 " in out


# --- exit statuses on readable files -----------------------------------------------------------------


def test_shipped_rules_are_valid(run_cli) -> None:
    code, out, err = run_cli(["validate", "rules"])
    assert (code, err) == (0, "")
    assert " error " not in out
    assert out.splitlines()[-1] == t(
        "validate.summary", "en", files=len(_rules()), bad=0, findings=0, unreadable=0
    )


def _rules() -> list[Path]:
    root = Path(__file__).resolve().parent.parent / "rules"
    return [p for p in root.rglob("*.y*ml") if not p.name.endswith((".cases.yaml", ".cases.yml"))]


def test_validate_from_another_directory(run_cli, repo_root: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(["validate", str(repo_root / "rules")], cwd=tmp_path)
    assert (code, err) == (0, ""), err
    code, out, err = run_cli(["validate", "--format", "json", str(repo_root / "rules")], cwd=tmp_path)
    assert code == 0
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert paths and all(Path(p).is_absolute() and Path(p).is_file() for p in paths)


def test_findings_exit_1_with_one_line_each(run_cli, repo_root: Path) -> None:
    code, out, err = run_cli(["validate", INVALID])
    assert (code, err) == (1, "")
    expected = sorted(
        f"{INVALID}/{p.name}:{f.location.line}:{f.location.column}: error {f.code}"
        for p in sorted((repo_root / INVALID).glob("*.yaml"))
        for f in load_sop(p).findings
    )
    lines = [line for line in out.splitlines() if " error SOP" in line]
    assert sorted(" ".join(line.split(" ")[:3]) for line in lines) == expected
    assert len(expected) >= 14


# --- formats and languages ---------------------------------------------------------------------------


def test_json_parses_and_is_deterministic(run_cli, tmp_path: Path) -> None:
    args = ["validate", "--format", "json", INVALID, "rules"]
    first, second = run_cli(args), run_cli(args)
    assert first.code == 1 and first.stderr == ""
    assert first.stdout == second.stdout  # byte-identical
    doc = json.loads(first.stdout)
    assert doc["tool"]["name"] == "sopcheck"
    by_path = {f["path"]: f for f in doc["files"]}
    sop103 = by_path[SOP103]
    assert sop103["valid"] is False and sop103["sop"] == "fixtures/sop103-unknown-actor"
    assert [(r["code"], r["line"], r["column"], r["severity"]) for r in sop103["findings"]] == [
        ("SOP103", 18, 12, "error")
    ]
    assert all(f["valid"] for p, f in by_path.items() if p.startswith("rules"))
    assert doc["summary"]["findings"] == sum(len(f["findings"]) for f in doc["files"])
    # --output writes the same bytes, atomically, to a file.
    target = tmp_path / "report.json"
    assert run_cli([*args, "--output", str(target)]).code == 1
    assert target.read_text(encoding="utf-8") == first.stdout


def test_lang_id_gives_indonesian_messages(run_cli) -> None:
    en = run_cli(["validate", SOP103])
    id_ = run_cli(["validate", "--lang", "id", SOP103])
    assert en.code == id_.code == 1
    message = catalogue.get("SOP103").message
    args = {"step": "tanda_tangan_pks", "actor": "bupatii"}
    assert id_.stdout.splitlines()[0] == f"{SOP103}:18:12: error SOP103 " + message.id.format(**args)
    assert en.stdout.splitlines()[0] == f"{SOP103}:18:12: error SOP103 " + message.en.format(**args)
    assert id_.stdout.splitlines()[-1] == t(
        "validate.summary", "id", files=1, bad=1, findings=1, unreadable=0
    )
    assert message.id != message.en


def test_lang_id_for_input_errors_and_json(run_cli) -> None:
    line = only_error_line(*run_cli(["validate", "--lang", "id", f"{BAD}/tab-indent.yaml"]))
    assert line == f"{BAD}/tab-indent.yaml:14:1: " + t("yaml.tab", "id")
    doc = json.loads(run_cli(["validate", "--lang", "id", "--format", "json", SOP103]).stdout)
    [finding] = doc["files"][0]["findings"]
    assert finding["message"] == catalogue.get("SOP103").message.id.format(
        step="tanda_tangan_pks", actor="bupatii"
    )


def test_sopcheck_lang_environment_variable(run_cli) -> None:
    code, out, _ = run_cli(["validate", SOP103], env={"SOPCHECK_LANG": "id"})
    assert code == 1
    assert "pelaksana 'bupatii' yang tidak dikenal" in out.splitlines()[0]


# --- docs/sop-format.md --------------------------------------------------------------------------------


def _yaml_blocks(repo_root: Path) -> list[str]:
    text = (repo_root / "docs" / "sop-format.md").read_text(encoding="utf-8")
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)


def test_docs_complete_example_validates(run_cli, repo_root: Path, tmp_path: Path) -> None:
    blocks = _yaml_blocks(repo_root)
    assert blocks, "docs/sop-format.md needs a ```yaml example"
    example = tmp_path / "example.yaml"
    example.write_text(blocks[0], encoding="utf-8")
    code, out, err = run_cli(["validate", str(example)])
    assert (code, err) == (0, ""), out
    sop = load_sop(example).sop
    assert sop is not None and len(sop.steps) >= 5


def test_docs_snippets_are_yaml(repo_root: Path) -> None:
    """Every other ```yaml block is a fragment, but it must at least be YAML."""
    for block in _yaml_blocks(repo_root)[1:]:
        yaml.safe_load(block)


# --- a time allowed longer than 100 years (SOP113) --------------------------------------------------


def _long_time(repo_root: Path, tmp_path: Path, amount: int, unit: str) -> Path:
    text = (repo_root / "rules" / "magetan" / "penawaran-kerja-sama.yaml").read_text(encoding="utf-8")
    old = "time: {amount: 1, unit: working_days}\n    outputs: [disposisi_bupati]"
    assert old in text
    path = tmp_path / "long.yaml"
    path.write_text(text.replace(old, old.replace("1, unit: working_days", f"{amount}, unit: {unit}")),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("amount", "unit"), [(100_000_000, "working_days"), (1_000_000, "calendar_days")])
def test_a_time_longer_than_100_years_fails_validate_generate_and_selftest(
    run_cli, repo_root: Path, tmp_path: Path, amount: int, unit: str
) -> None:
    """Regression: these validated, then generate and selftest ended in tracebacks ("date beyond
    year 9999"; GenerationError after minutes)."""
    sop = _long_time(repo_root, tmp_path, amount, unit)
    code, out, err = run_cli(["validate", str(sop)])
    assert code == 1 and "Traceback" not in err, err
    assert "SOP113" in out and "more than 100 years" in out
    commands = (["generate", str(sop), "-o", str(tmp_path / "x.csv"), "--cases", "50"],
                ["selftest", str(sop), "--budget", "5"])
    for args in commands:
        line = only_error_line(*run_cli(args))
        assert "SOP113" in line and "more than 100 years" in line
    assert not (tmp_path / "x.csv").exists()
