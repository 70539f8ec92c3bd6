"""Integrations that need no code from users, run for real in a temporary git repository.

The pre-commit hooks are exercised by running each hook's ``entry`` exactly as written in
.pre-commit-hooks.yaml (the way pre-commit runs it, with the hook's environment on PATH), not
through ``pre-commit try-repo``: that would pip-install the repository into a fresh environment
(about 500 MB and minutes per run; scripts/install_sizes.sh measures it). The example CI workflow
is exercised by running its own ``run`` scripts with bash: the install step against a stand-in
``pip``, the check step against the real ``forewarn``, the comment step against a stand-in ``gh``.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from seedhome import REPO, kb_env, seed_home

from kb.outputs.gate import LEGACY_MARKER, MARKER

pytestmark = pytest.mark.model

BEFORE = """def capture(order, amount):
    request = build_capture_request(order, amount)
    return payments.post("/captures", json=request)
"""
AFTER = """def capture(order, amount):
    request = build_capture_request(order, amount)
    for attempt in range(3):
        try:
            return payments.post("/captures", json=request, timeout=8)
        except TimeoutError:
            time.sleep(2 ** attempt)
    raise CaptureFailed(order.id)
"""
CLIENT = "services/checkout/payment_client.py"


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return out.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "shop"
    (repo / "services" / "checkout").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / CLIENT).write_text(BEFORE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Capture client")
    (repo / CLIENT).write_text(AFTER)
    git(repo, "add", CLIENT)
    return repo


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory.getbasetemp())


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return {h["id"]: h for h in hooks}


def _run_entry(
    hook: dict[str, Any], repo: Path, home: Path, *files: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*shlex.split(hook["entry"]), *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=kb_env(home, **env),
        stdin=subprocess.DEVNULL,
        timeout=600,
    )


def test_the_hook_definitions_are_what_pre_commit_expects() -> None:
    hooks = _hooks()
    check = hooks["forewarn-check"]
    assert check["entry"] == "forewarn check --staged"
    assert check["language"] == "python" and check["pass_filenames"] is False
    commit_msg = hooks["forewarn-check-commit-msg"]
    assert commit_msg["stages"] == ["commit-msg"]
    # pre-commit appends the message file's name: --commit-msg must come last, the subject is the task.
    assert commit_msg["entry"].endswith("--commit-msg") and "--task-from-commit" in commit_msg["entry"]
    # The ids from before the rename still answer, as the same hooks.
    for old, new in (
        ("hindsight-check", "forewarn-check"),
        ("hindsight-check-commit-msg", "forewarn-check-commit-msg"),
    ):
        alias = hooks[old]
        assert {k: alias[k] for k in ("entry", "language", "stages")} == {
            k: hooks[new][k] for k in ("entry", "language", "stages")
        }


def test_pre_commit_hook_blocks_a_staged_capture_retry_until_acknowledged(repo: Path, home: Path) -> None:
    hooks = _hooks()
    blocked = _run_entry(hooks["forewarn-check"], repo, home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "BLOCKING" in blocked.stdout and "idempoten" in blocked.stdout.lower()
    trailer = next(line for line in blocked.stdout.splitlines() if "Forewarn-Ack:" in line)
    ids = trailer.split("Forewarn-Ack:")[1].split("'")[0].strip()

    acked = _run_entry(hooks["forewarn-check"], repo, home, KB_ACK=ids.replace(",", ""))
    assert acked.returncode == 0, acked.stdout + acked.stderr

    # At commit-msg time the subject is the task too, so it may name more lessons: ack what it names.
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text("Retry captures on timeout\n")
    with_subject = _run_entry(hooks["forewarn-check-commit-msg"], repo, home, str(message))
    assert with_subject.returncode == 1, with_subject.stdout + with_subject.stderr
    line = next(line for line in with_subject.stdout.splitlines() if "Forewarn-Ack:" in line)
    ids = line.split("Forewarn-Ack:")[1].split("'")[0].strip()
    message.write_text(f"Retry captures on timeout\n\nForewarn-Ack: {ids}\n")
    with_trailer = _run_entry(hooks["forewarn-check-commit-msg"], repo, home, str(message))
    assert with_trailer.returncode == 0, with_trailer.stdout + with_trailer.stderr


def _step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in workflow["jobs"]["forewarn"]["steps"] if s.get("name") == name)


WORKFLOW = REPO / "docs" / "github-workflow-forewarn.yml"


def test_the_example_workflow_installs_this_package_at_its_release_tag(tmp_path: Path) -> None:
    """The install step, run with a stand-in pip: it asks for this project's distribution, pinned
    to the tag of this version, never a bare name a package index could serve anything under."""
    import tomllib

    from packaging.requirements import Requirement

    workflow = yaml.safe_load(WORKFLOW.read_text())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "pip.log"
    (bin_dir / "pip").write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$PIP_LOG"\n')
    (bin_dir / "pip").chmod(0o755)
    env = {**os.environ, **workflow["env"], "PIP_LOG": str(log)}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    step = _step(workflow, "Install Forewarn")
    subprocess.run(["bash", "-e", "-c", step["run"]], check=True, env=env)
    args = log.read_text().splitlines()
    assert args[0] == "install" and len(args) == 2
    requirement = Requirement(args[1])
    assert requirement.name == project["name"] == "forewarn"
    assert requirement.url and requirement.url.startswith("git+")
    assert requirement.url.endswith(f"@v{project['version']}")
    assert not requirement.extras  # the plain install: no torch


def test_the_example_workflow_checks_the_pr_and_updates_one_comment(
    repo: Path, home: Path, tmp_path: Path
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"]["pull-requests"] == "write"
    # A pull request: a feature branch on top of origin/main.
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "commit", "-q", "-m", "Retry captures on timeout")

    github_output = tmp_path / "github_output"
    check = _step(workflow, "Check the change")
    # The PR title reaches the check as its task, through the environment (never the script text).
    assert check["env"]["KB_TASK"] == "${{ github.event.pull_request.title }}"
    assert "pull_request.title" not in check["run"]
    env = kb_env(home, BASE_REF="main", GITHUB_OUTPUT=str(github_output), KB_TASK="Retry captures on timeout")
    out = subprocess.run(
        ["bash", "-e", "-c", check["run"]], cwd=repo, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert github_output.read_text().strip() == "exit_code=1"
    comment = (repo / "forewarn.md").read_text()
    assert comment.startswith(MARKER + "\n")
    sarif = json.loads((repo / "forewarn.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]

    # The comment step, with a stand-in gh that records its calls.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    (bin_dir / "gh").write_text(
        '#!/usr/bin/env bash\necho "$*" >> "$GH_LOG"\n'
        'case "$*" in *--paginate*) [ -n "$EXISTING" ] && echo "$EXISTING";; esac\nexit 0\n'
    )
    (bin_dir / "gh").chmod(0o755)
    post = _step(workflow, "Comment on the pull request")
    base_env = {**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "GH_LOG": str(log)}
    base_env |= {"PR_NUMBER": "7", "REPO": "acme/shop", "GH_TOKEN": "x"}
    for existing in ("", "991"):
        subprocess.run(
            ["bash", "-e", "-c", post["run"]], cwd=repo, check=True, env={**base_env, "EXISTING": existing}
        )
    calls = log.read_text().splitlines()
    assert "api -X POST repos/acme/shop/issues/7/comments -F body=@forewarn.md" in calls
    assert "api -X PATCH repos/acme/shop/issues/comments/991 -F body=@forewarn.md" in calls
    # The comment is found by its marker, or by the one it carried before the rename.
    assert any(MARKER in call and LEGACY_MARKER in call for call in calls)

    # An acknowledgement trailer in the pull request's commits lets it pass.
    blocking = [r["ruleId"].removeprefix("FW") for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    git(
        repo,
        "commit",
        "-q",
        "--amend",
        "-m",
        f"Retry captures on timeout\n\nForewarn-Ack: {', '.join(blocking)}",
    )
    github_output.write_text("")
    again = subprocess.run(
        ["bash", "-e", "-c", check["run"]], cwd=repo, capture_output=True, text=True, env=env
    )
    assert again.returncode == 0, again.stderr
    assert github_output.read_text().strip() == "exit_code=0"
