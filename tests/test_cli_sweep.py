"""Bad input at the command line and at its outputs, from the bad-input sweep: every case is one
line on stderr, exit 2, in Indonesian and in English.

- option errors found by click carry a detail made from the parameter's type, in the language
  asked for (not click's English);
- an `-o` or `--rejects` file that is one of the command's inputs, or names the other output, is
  refused before any work (the input is left as it was);
- an empty file name is a usage error, not "no file" or the current folder;
- `--jobs` is bounded, and so are the shares a log is cut into;
- a CSV roster is read with the csv module and refused where the log's CSV reader refuses.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import pytest

from checker.cli import COMMANDS, cli
from checker.errors import InputError
from checker.messages import t
from checker.readers import open_log
from checker.readers import share as share_module
from checker.readers.source import MAX_SHARES
from checker.reporters.audit import FORMATS as AUDIT_FORMATS
from checker.roster import Roster
from checker.usage import usage_line
from tests.conftest import input_error

REPO = Path(__file__).resolve().parent.parent
SOP = "rules/magetan/penawaran-kerja-sama.yaml"
LOG = "fixtures/logs/penawaran-kerja-sama.csv"
CALENDAR = "fixtures/calendars/example.yaml"
LANGS = ("id", "en")


def one_line(result) -> str:
    """The single stderr line of an input error, without `sopcheck: `."""
    return input_error(result).removeprefix("sopcheck: ")


def usage(lang: str, command: str, key: str, /, **args) -> str:
    """A usage error's line as the catalogue says it, with the hint to the command's help."""
    return f"{t(key, lang, **args)} {t('usage.hint', lang, command=command)}"


def bad_value(lang: str, command: str, param: str, key: str, /, **args) -> str:
    return usage(lang, command, "usage.bad_value", param=param, detail=t(key, lang, **args))


# -- V9: click's details in the user's language ------------------------------------------------

JOBS = "'--jobs' / '-j'"
OUTPUT = "'-o' / '--output'"

# (arguments, the command whose help is hinted, the parameter's hint, detail key, its arguments)
BAD_VALUES = [
    (
        ["audit", SOP, LOG, "--jobs", "-1"],
        "sopcheck audit",
        JOBS,
        "usage.out_of_range",
        {"value": "-1", "min": 0, "max": MAX_SHARES},
    ),
    (
        ["audit", SOP, LOG, "--format", "foo"],
        "sopcheck audit",
        "'--format'",
        "usage.not_a_choice",
        {"value": "foo", "choices": ", ".join(sorted(AUDIT_FORMATS))},
    ),
    (
        ["audit", SOP, LOG, "--jobs", "abc"],
        "sopcheck audit",
        JOBS,
        "usage.not_an_integer",
        {"value": "abc"},
    ),
    (
        ["generate", SOP, "-o", "x.csv", "--seed", "q"],
        "sopcheck generate",
        "'--seed'",
        "usage.not_an_integer",
        {"value": "q"},
    ),
    (
        ["generate", SOP, "-o", "x.csv", "--violation-rate", "2"],
        "sopcheck generate",
        "'--violation-rate'",
        "usage.out_of_range",
        {"value": "2", "min": 0, "max": 1},
    ),
    (
        ["selftest", SOP, "--budget", "0"],
        "sopcheck selftest",
        "'--budget'",
        "usage.below_min",
        {"value": "0", "min": 1},
    ),
    (
        ["codes", "--family", "zz"],
        "sopcheck codes",
        "'--family'",
        "usage.not_a_choice",
        {"value": "zz", "choices": "sop, flow, actor, document, time, case"},
    ),
    (
        ["audit", SOP, LOG, "--roster", "fixtures"],
        "sopcheck audit",
        "'--roster'",
        "usage.path_is_directory",
        {"path": "fixtures"},
    ),
    (
        ["audit", SOP, LOG, "-o", "fixtures"],
        "sopcheck audit",
        OUTPUT,
        "usage.path_is_directory",
        {"path": "fixtures"},
    ),
    (
        ["inspect", LOG, "--rejects", "fixtures"],
        "sopcheck inspect",
        "'--rejects'",
        "usage.path_is_directory",
        {"path": "fixtures"},
    ),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("args", "command", "param", "key", "detail"),
    BAD_VALUES,
    ids=[f"{case[0][0]}-{case[3]}-{case[0][-1]}" for case in BAD_VALUES],
)
def test_a_bad_value_is_said_in_the_language_asked(run_cli, lang, args, command, param, key, detail):
    line = one_line(run_cli([*args, "--lang", lang]))
    assert line == bad_value(lang, command, param, key, **detail)


@pytest.mark.parametrize("lang", LANGS)
def test_an_extra_argument_is_named(run_cli, lang):
    line = one_line(run_cli(["audit", SOP, LOG, "surplus", "more", "--lang", lang]))
    assert line == usage(lang, "sopcheck audit", "usage.extra_arguments", args="surplus more")


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_command_lists_the_commands(run_cli, lang):
    line = one_line(run_cli(["frobnicate", "--lang", lang]))
    commands = ", ".join(sorted(COMMANDS))
    assert line == usage(lang, "sopcheck", "usage.no_such_command", command="frobnicate", commands=commands)


def test_no_command_at_all_is_one_line(run_cli):
    line = one_line(run_cli([]))
    assert line == usage("en", "sopcheck", "usage.no_command", commands=", ".join(sorted(COMMANDS)))


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_argument_or_option_is_named(run_cli, lang):
    line = one_line(run_cli(["audit", SOP, "--lang", lang]))
    assert line == usage(lang, "sopcheck audit", "usage.missing", param="'LOG'")
    line = one_line(run_cli(["generate", SOP, "--lang", lang]))
    assert line == usage(lang, "sopcheck generate", "usage.missing", param=OUTPUT)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_option_suggests_the_near_one(run_cli, lang):
    line = one_line(run_cli(["audit", SOP, LOG, "--outpt", "x", "--lang", lang]))
    text = t("usage.no_such_option", lang, option="--outpt")
    text += " " + t("usage.did_you_mean", lang, options="--output")
    assert line == f"{text} {t('usage.hint', lang, command='sopcheck audit')}"


@pytest.mark.parametrize("lang", LANGS)
def test_an_option_without_its_value_or_a_flag_with_one(run_cli, lang):
    line = one_line(run_cli(["audit", SOP, LOG, "--lang", lang, "-j"]))
    assert line == usage(lang, "sopcheck audit", "usage.needs_value", option="-j")
    line = one_line(run_cli(["audit", SOP, LOG, "--strict=x", "--lang", lang]))
    assert line == usage(lang, "sopcheck audit", "usage.takes_no_value", option="--strict")


def _usage_of(command: click.Command, args: list[str], lang: str) -> str:
    with pytest.raises(click.UsageError) as caught:
        command.main(args=args, prog_name="tool", standalone_mode=False)
    return usage_line(caught.value, lang, args, cli)


@pytest.mark.parametrize("lang", LANGS)
def test_path_details_missing_and_unreadable(tmp_path, monkeypatch, lang):
    """No sopcheck option asks click for an existing or a readable file (the readers say it,
    with the file's place): a command of the test's own shows those details."""

    @click.command()
    @click.option("--source", type=click.Path(exists=True, readable=True))
    def tool(source):
        return 0

    missing = str(tmp_path / "nowhere.csv")
    assert _usage_of(tool, ["--source", missing], lang) == bad_value(
        lang, "tool", "'--source'", "usage.path_missing", path=missing
    )
    present = tmp_path / "locked.csv"
    present.write_text("x\n")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a user without rights
    assert _usage_of(tool, ["--source", str(present)], lang) == bad_value(
        lang, "tool", "'--source'", "usage.path_unreadable", path=str(present)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_range_details_name_the_bound_broken(lang):
    @click.command()
    @click.option("--low", type=click.IntRange(min=2))
    @click.option("--high", type=click.FloatRange(max=1.5, max_open=True))
    def tool(low, high):
        return 0

    assert _usage_of(tool, ["--low", "1"], lang) == bad_value(
        lang, "tool", "'--low'", "usage.below_min", value="1", min=2
    )
    assert _usage_of(tool, ["--high", "1.5"], lang) == bad_value(
        lang, "tool", "'--high'", "usage.not_below_max", value="1.5", max=1.5
    )
    assert _usage_of(tool, ["--high", "x"], lang) == bad_value(
        lang, "tool", "'--high'", "usage.not_a_number", value="x"
    )


# -- empty file names ----------------------------------------------------------------------------

EMPTY = [
    (["inspect", LOG, "-o", ""], "sopcheck inspect", OUTPUT),
    (["inspect", LOG, "--rejects", ""], "sopcheck inspect", "'--rejects'"),
    (["audit", SOP, LOG, "--rejects", ""], "sopcheck audit", "'--rejects'"),
    (["generate", SOP, "-o", ""], "sopcheck generate", OUTPUT),
    (["audit", "", LOG], "sopcheck audit", "'SOP'"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("args", "command", "param"), EMPTY, ids=[f"{a[0]}{a[-2]}" for a, *_ in EMPTY])
def test_an_empty_file_name_is_a_usage_error(run_cli, lang, args, command, param):
    line = one_line(run_cli([*args, "--lang", lang]))
    assert line == bad_value(lang, command, param, "usage.path_empty")


# -- V15: an output that is an input ----------------------------------------------------------


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Copies of an SOP, its log, a calendar, a roster and a mapping file, in a folder."""
    for source in (SOP, LOG, CALENDAR, "fixtures/logs/roster.csv"):
        shutil.copy(REPO / source, tmp_path)
    (tmp_path / "mapping.yaml").write_text("columns:\n  case_id: case_id\n", encoding="utf-8")
    sops = tmp_path / "sops"
    sops.mkdir()
    shutil.copy(REPO / SOP, sops)
    return tmp_path


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Names in the `inputs` folder.
S, L = "penawaran-kerja-sama.yaml", "penawaran-kerja-sama.csv"
C, R, M = "example.yaml", "roster.csv", "mapping.yaml"

# (arguments, the output named, the input it is)
OVERWRITES = [
    (["audit", S, L, "-o", L], "-o", "LOG"),
    (["audit", S, L, "-o", S], "-o", "SOP"),
    (["inspect", L, "--rejects", L], "--rejects", "LOG"),
    (["audit", S, L, "--calendar", C, "-o", C], "-o", "--calendar"),
    (["inspect", L, "--roster", R, "--rejects", R], "--rejects", "--roster"),
    (["inspect", L, "--mapping", M, "-o", M], "-o", "--mapping"),
    (["diff", S, f"sops/{S}", "--log", L, "--rejects", L], "--rejects", "--log"),
    (["export", S, "-o", S], "-o", "SOP"),
    (["validate", S, "-o", S], "-o", "PATH"),
    (["generate", S, "-o", S], "-o", "SOP"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("args", "output", "given"), OVERWRITES, ids=[a[0] + g for a, _, g in OVERWRITES])
def test_an_output_that_is_an_input_is_refused(run_cli, inputs, lang, args, output, given):
    before = _contents(inputs)
    line = one_line(run_cli([*args, "--lang", lang], cwd=inputs))
    path = args[args.index(output) + 1]
    assert line == f"{path}: " + t("output.is_input", lang, output=output, input=given)
    assert _contents(inputs) == before


@pytest.mark.parametrize("lang", LANGS)
def test_an_output_in_an_sop_folder_is_refused(run_cli, inputs, lang):
    before = _contents(inputs)
    target = f"sops/{S}"
    line = one_line(run_cli(["audit", "sops", L, "-o", target, "--lang", lang], cwd=inputs))
    assert line == f"{target}: " + t("output.in_input_folder", lang, output="-o", input="SOP", folder="sops")
    assert _contents(inputs) == before


@pytest.mark.parametrize("lang", LANGS)
def test_an_output_in_a_log_folder_is_refused(run_cli, inputs, lang):
    logs = inputs / "logs"
    logs.mkdir()
    shutil.copy(inputs / L, logs / "part-1.csv")
    before = _contents(inputs)
    target = "logs/part-1.csv"
    args = ["audit", S, "logs", "--engine", "dask", "-o", target, "--lang", lang]
    line = one_line(run_cli(args, cwd=inputs))
    assert line == f"{target}: " + t("output.in_input_folder", lang, output="-o", input="LOG", folder="logs")
    assert _contents(inputs) == before


def test_a_report_beside_the_sops_it_validates_is_written_again(run_cli, inputs):
    """In a folder, only the files the command reads from it are inputs (here YAML)."""
    report = inputs / "sops" / "report.txt"
    report.write_text("old\n", encoding="utf-8")
    code, _, err = run_cli(["validate", "sops", "-o", "sops/report.txt"], cwd=inputs)
    assert code == 0, err
    assert report.read_text(encoding="utf-8") != "old\n"


@pytest.mark.parametrize("lang", LANGS)
def test_two_outputs_naming_one_file_are_refused(run_cli, tmp_path, lang):
    target = str(tmp_path / "out.csv")
    line = one_line(run_cli(["inspect", LOG, "-o", target, "--rejects", target, "--lang", lang]))
    assert line == f"{target}: " + t("output.twice", lang, first="-o", second="--rejects")
    assert not os.path.exists(target)


def test_devices_may_be_outputs_and_given_twice(run_cli):
    code, _, err = run_cli(["inspect", LOG, "-o", os.devnull, "--rejects", os.devnull])
    assert code == 0, err


# -- V16: --jobs is bounded ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_huge_jobs_is_refused_before_any_work(run_cli, lang):
    huge = "99999999999999999999"
    line = one_line(run_cli(["audit", SOP, LOG, "--jobs", huge, "--lang", lang], timeout=60))
    detail = {"value": huge, "min": 0, "max": MAX_SHARES}
    assert line == bad_value(lang, "sopcheck audit", JOBS, "usage.out_of_range", **detail)


def test_the_help_says_the_jobs_limit(run_cli):
    code, out, _ = run_cli(["audit", "-h"])
    assert code == 0
    jobs = out[out.index("--jobs") : out.index("--engine")]
    assert str(MAX_SHARES) in jobs


@pytest.mark.parametrize("jobs", [MAX_SHARES + 1, 10**20, -1, 2.5, "4", True])
def test_the_apis_jobs_is_bounded_as_the_cli_jobs_is(jobs, monkeypatch):
    """checker.audit(jobs=N) on a log that is not cut into shares (here: not grouped) started N
    worker processes, however many; it is refused as --jobs is, before any work. (Workers are
    forbidden here: a refusal that comes too late fails rather than starts them.)"""
    from checker.api import audit
    from checker.conformance import runner

    monkeypatch.setattr(runner, "SMALL", 0)
    monkeypatch.setattr(runner, "_shared", None)
    monkeypatch.setattr(share_module, "worker_context", None)
    with pytest.raises(InputError) as err:
        audit(SOP, REPO / "fixtures" / "logs" / "ungrouped.csv", jobs=jobs)
    assert (err.value.key, err.value.args_) == ("audit.bad_jobs", {"value": repr(jobs), "max": MAX_SHARES})
    for lang in LANGS:
        assert str(MAX_SHARES) in err.value.render(lang) and repr(jobs) in err.value.render(lang)


@pytest.mark.parametrize("jobs", [None, 0, 1, MAX_SHARES])
def test_the_apis_jobs_within_the_bounds_is_taken(jobs):
    from checker.api import audit

    report = audit(SOP, REPO / LOG, as_of="2026-11-25", jobs=jobs)  # a small log: one process
    assert report.cases


def test_shares_are_bounded():
    """Only share recipes are made (no process starts): the API may ask for any number."""
    source = open_log(str(REPO / LOG))
    shares = source.shares(MAX_SHARES * 4)
    assert shares is not None
    assert len(shares) == MAX_SHARES


# -- V17: the CSV roster ------------------------------------------------------------------------

ROSTERS = [
    ("person;actor;valid_from;actor\nX;first;2025-02-01;second\n", "1:4", "readers.duplicate_column",
     {"column": "actor"}),
    ("person;actor;valid_from;valid_to\nX;Bupati;2025-02-01;;extra\n", "2:5", "readers.reject.field_count",
     {"expected": 4, "got": 5}),
    ('person,actor,valid_from,valid_to\n"X,Bupati,2025-02-01,\nY,Bupati,2025-02-01,\n', "2:1",
     "readers.csv_open_quote", {}),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("text", "where", "key", "args"), ROSTERS, ids=[r[2] for r in ROSTERS])
def test_a_bad_csv_roster_is_one_located_line(run_cli, tmp_path, lang, text, where, key, args):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    line = one_line(run_cli(["inspect", LOG, "--roster", roster, "--lang", lang]))
    assert line == f"{roster}:{where}: " + t(key, lang, **args)


def test_a_csv_roster_keeps_quoted_line_ends_and_counts_lines(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'person,actor,valid_from\n"Budi\nSantoso",kasubbag_umum,2024-01-01\n\n'
        "Sri Wahyuni,pengadministrasi_umum,2024-01-01,\n",
        encoding="utf-8",
    )
    entries = Roster.load(str(roster)).entries
    assert [(e.person, e.actor, e.line) for e in entries] == [
        ("Budi\nSantoso", "kasubbag_umum", 2),
        ("Sri Wahyuni", "pengadministrasi_umum", 5),
    ]
    assert Roster.load(str(roster)).role("budi  santoso", entries[0].valid_from) == "kasubbag_umum"
