"""CI and pre-commit for an office's records repository (S-GEN-2: every change is checked —
`oa validate` and `oa audit` — before it reaches the main branch).

The templates in `ci/` and the hooks in `.pre-commit-hooks.yaml` parse and run the right
commands; `oa init` puts them (and the records merge driver) into the first commit; and the
pre-commit hooks it writes run for real, offline, passing on a clean office and failing, with the
finding's code, on a broken record.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oa.cli.app import app
from oa.core import fastyaml
from tests.conftest import PROJECT, Office

GITHUB = PROJECT / "ci" / "github-actions.yml"
GITLAB = PROJECT / "ci" / "gitlab-ci.yml"
HOOKS = PROJECT / ".pre-commit-hooks.yaml"


def load(path: Path) -> Any:
    """YAML 1.2, as CI services read it (`on:` is a key, not a boolean)."""
    return fastyaml.load(path.read_text(encoding="utf-8"))


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(
        str(line) for key in ("before_script", "script") for line in job.get(key) or []
    )


def test_github_actions_template() -> None:
    wf = load(GITHUB)
    assert {"pull_request", "push"} <= set(wf["on"])
    assert "OA_PIP_SPEC" in wf["env"] and "vars.OA_GIT_URL" in wf["env"]["OA_PIP_SPEC"]
    (job,) = wf["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = {s.get("name", ""): str(s.get("run", "")) for s in steps}
    install = next(r for r in runs.values() if "pip install" in r)
    assert '"$OA_PIP_SPEC"' in install
    assert any(r.strip() == "oa validate" for r in runs.values())
    pr = next(s for s in steps if "oa audit --range" in str(s.get("run", "")))
    assert pr["if"] == "github.event_name == 'pull_request'"
    assert pr["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert pr["run"] == 'oa audit --range "origin/${BASE_REF}..HEAD"'
    main = next(s for s in steps if str(s.get("run", "")).strip() == "oa audit")
    assert main["if"] == "github.event_name != 'pull_request'"


def test_gitlab_ci_template() -> None:
    ci = load(GITLAB)
    assert ci["variables"]["GIT_DEPTH"] == "0"
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "extends" in v}
    base = ci[".oa"]
    assert "OA_PIP_SPEC" in scripts(base) and "OA_GIT_URL" in scripts(base)
    assert "pip install" in scripts(base)
    assert scripts(jobs["oa-validate"]) == "oa validate"
    mr = jobs["oa-audit-merge-request"]
    assert scripts(mr) == 'oa audit --range "$CI_MERGE_REQUEST_DIFF_BASE_SHA..HEAD"'
    assert mr["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert scripts(jobs["oa-audit"]) == "oa audit"
    assert jobs["oa-audit"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_pre_commit_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in load(HOOKS)}
    assert hooks["oa-validate"]["entry"] == "oa validate"
    assert hooks["oa-audit"]["entry"] == "oa audit"
    for hook in hooks.values():
        assert hook["pass_filenames"] is False and hook["always_run"] is True
    res = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "new"])
def test_oa_init_puts_ci_and_hooks_in_the_first_commit(tmp_path: Path, demo: bool) -> None:
    root = tmp_path / "office"
    res = CliRunner().invoke(app, ["init", str(root), *(["--demo"] if demo else [])])
    assert res.exit_code == 0, res.output
    git = Office(root).git
    first = set(git("show", "--name-only", "--format=", "HEAD").split())
    assert git("rev-list", "--count", "HEAD").strip() == "1"
    assert {
        ".github/workflows/oa.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        ".gitattributes",
    } <= first
    assert (root / ".github/workflows/oa.yml").read_bytes() == GITHUB.read_bytes()
    assert (root / ".gitlab-ci.yml").read_bytes() == GITLAB.read_bytes()
    config = fastyaml.load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"  # runs the installed oa: no network
    assert [(h["id"], h["entry"], h["language"]) for h in repo["hooks"]] == [
        ("oa-validate", "oa validate", "system"),
        ("oa-audit", "oa audit", "system"),
    ]
    attributes = (root / ".gitattributes").read_text(encoding="utf-8")
    assert "outgoing/*/*.yaml merge=oa-records" in attributes
    assert "incoming/*/*.yaml merge=oa-records" in attributes
    assert (
        git("check-attr", "merge", "outgoing/2026/OUT-2026-0001.yaml")
        .strip()
        .endswith("merge: oa-records")
    )
    assert git("config", "--local", "merge.oa-records.driver").strip() == (
        "oa merge-driver %O %A %B %P"
    )
    assert Office(root).oa("validate").exit_code == 0  # the new files are no stray records


def test_pre_commit_hooks_run_for_real(office: Office, tmp_path: Path) -> None:
    """`pre-commit run --all-files` in a repository from `oa init --demo`: offline (repo: local),
    passing on the demo office, failing and naming the code once a record is broken."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=office.root,
            capture_output=True,
            text=True,
            env=env,
        )

    res = pre_commit()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "oa validate" in res.stdout and "oa audit" in res.stdout
    assert res.stdout.count("Passed") == 2
    path = office.path("OUT-2026-0018")
    path.write_text(
        path.read_text(encoding="utf-8").replace("state: leader_sign", "state: draft"),
        encoding="utf-8",
    )
    res = pre_commit()
    assert res.returncode == 1
    assert "- hook id: oa-validate" in res.stdout
    assert "outgoing/2026/OUT-2026-0018.yaml" in res.stdout and "OA404" in res.stdout
