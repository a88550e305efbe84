"""Where output goes: through a symbolic link, into a device or a pipe, onto a full device, or
nowhere (standard output closed). Each is the real thing (a symlink, /dev/full, a FIFO), and a
failure is one line on stderr with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from checker.messages import t
from tests.conftest import REPO_ROOT, run_cli

LOG = "fixtures/logs/penawaran-kerja-sama.csv"
FULL = Path("/dev/full")


def test_a_symlink_keeps_pointing_at_its_written_target(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    expected = run_cli(["inspect", LOG])
    assert run_cli(["inspect", LOG, "-o", str(link)]).code == 0
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8") == expected.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".sopcheck-")] == []


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli(["inspect", LOG, "-o", str(fifo)])
    reader.join(timeout=60)
    assert result.code == 0
    assert fifo.is_fifo()
    assert received[0].decode("utf-8") == run_cli(["inspect", LOG]).stdout


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_full_device_is_one_line_and_exit_2(lang: str) -> None:
    result = run_cli(["inspect", LOG, "-o", str(FULL), "--lang", lang])
    assert result.code == 2
    assert FULL.is_char_device()  # written to, not replaced by a file
    reason = os.strerror(28) if lang == "en" else t("os.ENOSPC", "id")  # the OS says it in English
    assert result.stderr == f"sopcheck: {FULL}: " + t("file.unwritable", lang, reason=reason) + "\n"


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", [["codes"], ["inspect", LOG], ["explain", "FL001"]])
def test_standard_output_on_a_full_device_is_one_line_and_exit_2(command: list[str]) -> None:
    with open(FULL, "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "checker", *command], cwd=REPO_ROOT, stdout=full,
            stderr=subprocess.PIPE, check=False, env={**os.environ, "SOPCHECK_LANG": "en"},
        )
    assert proc.returncode == 2
    reason = os.strerror(28)
    assert proc.stderr.decode() == "sopcheck: " + t("output.unwritable", "en", reason=reason) + "\n"


def test_closed_standard_output_is_said_not_lost() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "codes"], cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, check=False, env={**os.environ, "SOPCHECK_LANG": "en"},
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == "sopcheck: " + t("output.closed", "en") + "\n"


def test_an_invalid_sop_is_named_in_the_language_asked_for(tmp_path: Path) -> None:
    sop = tmp_path / "bad.yaml"
    sop.write_text(
        'sopcheck: 1\nid: x/y\nrevision: "1"\nidentity: {title: X}\nactors:\n  - {id: a, name: A}\n'
        "steps:\n  - {id: s1, number: 1, name: S1, actor: a, next: nowhere}\n",
        encoding="utf-8",
    )
    for lang in ("en", "id"):
        result = run_cli(["audit", str(sop), LOG, "--lang", lang])
        assert result.code == 2
        line = result.stderr.strip()
        assert "\n" not in line and "Text(" not in line
        other = t("sop.invalid", "id" if lang == "en" else "en", count=2, code="SOP106", detail="")
        assert other.split("(")[0] not in line  # the other language's words are absent
        assert f"{sop}:8:" in line and "SOP106" in line and "nowhere" in line


@pytest.mark.parametrize(
    ("args", "key", "fields"),
    [
        (["audit", "--jobs", "abc"], "usage.bad_value", {"param": "'--jobs' / '-j'"}),
        (["audit", "--bogus"], "usage.no_such_option", {"option": "--bogus"}),
        (["audit"], "usage.missing", {"param": "'SOP'"}),
    ],
)
@pytest.mark.parametrize("lang", ["en", "id"])
def test_an_option_error_is_one_line_in_the_language_asked_for(args, key, fields, lang) -> None:
    result = run_cli([*args], env={"SOPCHECK_LANG": lang})
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    head = t(key, lang, detail="", **fields).split("{")[0].rstrip(": ")
    assert lines[0].startswith(f"sopcheck: {head}")
    assert lines[0].endswith(t("usage.hint", lang, command="sopcheck audit"))


def test_control_characters_from_input_are_shown_escaped(tmp_path: Path) -> None:
    # An argument with a newline stays one line of error; a terminal escape in a log's actor is
    # shown, not obeyed, in the text outputs.
    result = run_cli(["explain", "FL001\n"])
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "FL001\\n" in result.stderr
    log = tmp_path / "escape.csv"
    log.write_text(
        "case_id,activity,timestamp,actor\n"
        "K1,Menerima Surat Penawaran,2025-01-05T08:00:00+07:00,Bupati\x1b[31m\n",
        encoding="utf-8",
    )
    for args in (["inspect", str(log)], ["audit", "rules/magetan/penawaran-kerja-sama.yaml", str(log)]):
        out = run_cli(args).stdout
        assert "\x1b" not in out and "Bupati\\x1b[31m" in out
