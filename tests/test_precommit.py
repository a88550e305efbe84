"""The pre-commit hooks of .pre-commit-hooks.yaml, run the way an SOP repository would run them:
`pre-commit try-repo` against a copy of this project, in a scratch git repository of SOPs.

pre-commit builds the hooks' environment with pip (from PyPI), so this test skips when
pre-commit or git is missing, or when the environment cannot be installed for lack of network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MAGETAN = REPO / "rules" / "magetan"
PACKAGE = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "checker", "schemas")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")
NO_NETWORK = (
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No matching distribution found",
)


def _pre_commit() -> list[str] | None:
    exe = shutil.which("pre-commit")
    if exe:
        return [exe]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


def _git(args: list[str], cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=sopcheck test", "-c", "user.email=test@sopcheck.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """(pre-commit command, the hooks' repository, a repository of SOPs, environment)."""
    command = _pre_commit()
    if command is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    hooks = base / "sopcheck"
    # What pip needs to build sopcheck, and the hook definitions: not the benchmarks or fixtures.
    for name in PACKAGE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, hooks / name, ignore=IGNORE)
        elif source.is_file():
            hooks.mkdir(exist_ok=True)
            shutil.copy(source, hooks / name)
    _git(["init", "-q"], hooks)
    _git(["add", "-A"], hooks)
    _git(["commit", "-q", "-m", "sopcheck under test"], hooks)
    sops = base / "sops"
    (sops / "rules" / "magetan").mkdir(parents=True)
    for path in MAGETAN.glob("penawaran-kerja-sama*.yaml"):
        shutil.copy(path, sops / "rules" / "magetan" / path.name)
    (sops / "README.md").write_text("SOPs\n", encoding="utf-8")
    _git(["init", "-q"], sops)
    _git(["add", "-A"], sops)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SOPCHECK_"))}
    env["PRE_COMMIT_HOME"] = str(base / "cache")
    return command, hooks, sops, env


def _try(repos, hook: str, *files: str):
    command, hooks, sops, env = repos
    where = ["--files", *files] if files else ["--all-files"]
    proc = subprocess.run(
        [*command, "try-repo", str(hooks), hook, *where, "--color", "never"],
        cwd=sops,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and any(marker in output for marker in NO_NETWORK):
        pytest.skip("pre-commit could not install the hook environment (no package index)")
    return proc.returncode, output


def _status(output: str, name: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith(name + "."))
    return line.rsplit(".", 1)[1].strip()


def test_validate_and_test_hooks_pass_on_good_sops(repos):
    code, output = _try(repos, "sopcheck-validate")
    assert code == 0, output
    assert _status(output, "sopcheck validate") == "Passed"
    code, output = _try(repos, "sopcheck-test")
    assert code == 0, output
    assert _status(output, "sopcheck test") == "Passed"


def test_test_hook_fails_on_a_wrong_expectation(repos):
    _, _, sops, _ = repos
    cases = sops / "rules" / "magetan" / "penawaran-kerja-sama.cases.yaml"
    original = cases.read_text(encoding="utf-8")
    wrong = original.replace("findings: [FL001 disposisi]", "findings: [FL001 rapat_naskah]", 1)
    assert wrong != original
    cases.write_text(wrong, encoding="utf-8")
    try:
        code, output = _try(repos, "sopcheck-test", str(cases.relative_to(sops)))
    finally:
        cases.write_text(original, encoding="utf-8")
    assert code == 1, output
    assert _status(output, "sopcheck test") == "Failed"
    assert "FAIL rules/magetan/penawaran-kerja-sama.cases.yaml" in output
    assert "- FL001 rapat_naskah" in output and "+ FL001 disposisi" in output


def test_validate_hook_fails_on_a_broken_sop_and_skips_case_files(repos):
    _, _, sops, _ = repos
    broken = sops / "rules" / "magetan" / "rusak.yaml"
    text = (MAGETAN / "penawaran-kerja-sama.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("actor: bagian_tapem", "actor: bagian_tapemm", 1), encoding="utf-8")
    try:
        code, output = _try(repos, "sopcheck-validate", "rules/magetan/rusak.yaml")
        assert code == 1, output
        assert "SOP103" in output
        # An example-case file is not an SOP: the validate hook leaves it out.
        code, output = _try(repos, "sopcheck-validate", "rules/magetan/penawaran-kerja-sama.cases.yaml")
        assert code == 0, output
        assert _status(output, "sopcheck validate") == "(no files to check)Skipped"
    finally:
        broken.unlink()
