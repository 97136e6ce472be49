"""`oa init`: a new records repository, empty or as a copy of the embedded demo office."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from oa.core import gitops
from oa.core.config import load_office
from oa.core.errors import OAError
from oa.core.locate import CONFIG_FILE
from oa.core.registry import kinds
from oa.core.schema import write_schemas
from oa.core.yamlio import atomic_write

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO = PROJECT_ROOT / "records"
TEMPLATES = PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Created:
    root: Path
    records: int
    commit: str


def _operator(path: Path) -> dict[str, str] | None:
    email = gitops.config(path, "user.email")
    name = gitops.config(path, "user.name")
    if not email:
        return None
    pid = re.sub(r"[^A-Za-z0-9_]", "", email.split("@")[0])[:32] or "clerk"
    if not pid[0].isalpha():
        pid = "p" + pid[:31]
    return {"id": pid, "name": name or pid, "email": email}


def _render_config(name: str, short_name: str, person: dict[str, str] | None) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "init"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["q"] = lambda v: json.dumps(str(v), ensure_ascii=False)
    return env.get_template("oa.yaml.j2").render(name=name, short_name=short_name, person=person)


def init_repository(path: Path, *, demo: bool, name: str, short_name: str) -> Created:
    path = path.resolve()
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise OAError("OA003", f"{path} is not empty; choose a new directory")
    if demo and not (DEMO / CONFIG_FILE).is_file():
        raise OAError("OA002", f"the embedded demo office was not found at {DEMO}")
    if not short_name.strip() or any(c.isspace() for c in short_name):
        raise OAError("OA005", f"--short-name {short_name!r} must be one word, e.g. 浏后勤")
    try:
        if demo:
            shutil.copytree(DEMO, path, ignore=shutil.ignore_patterns(".oa"), dirs_exist_ok=True)
        else:
            path.mkdir(parents=True, exist_ok=True)
            shutil.copytree(DEMO / "workflows", path / "workflows")
            atomic_write(path / CONFIG_FILE, _render_config(name, short_name, _operator(path)))
            atomic_write(path / ".gitignore", ".oa/\n.*.tmp\n")
        load_office(path)
        write_schemas(path)
        # CI and pre-commit run `oa validate` and `oa audit` on every change (S-GEN-2); the hooks
        # are `repo: local` so that they run the oa installed here, with no network
        ci = PROJECT_ROOT / "ci"
        (path / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ci / "github-actions.yml", path / ".github" / "workflows" / "oa.yml")
        shutil.copyfile(ci / "gitlab-ci.yml", path / ".gitlab-ci.yml")
        hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
        local = [
            {"id": h["id"], "name": h["name"], "entry": h["entry"], "language": "system"}
            | {"pass_filenames": False, "always_run": True}
            for h in hooks
        ]
        atomic_write(
            path / ".pre-commit-config.yaml",
            "# pre-commit (https://pre-commit.com): `pre-commit install` runs these before every\n"
            "# commit. They run the oa installed on this machine (repo: local): no network.\n"
            + yaml.safe_dump(
                {"repos": [{"repo": "local", "hooks": local}]},
                allow_unicode=True,
                sort_keys=False,
            ),
        )
        # two branches that each add steps to one record merge through `oa merge-driver`
        atomic_write(
            path / ".gitattributes",
            "# Records merge through `oa merge-driver`: both branches' history in time order.\n"
            "# `oa init` configured it in this clone; in another clone run once:\n"
            '#   git config merge.oa-records.driver "oa merge-driver %O %A %B %P"\n'
            + "".join(f"{name}/*/*.yaml merge=oa-records\n" for name in sorted(kinds())),
        )
        gitops.git(path, "init", "-q")
        gitops.git(path, "config", "merge.oa-records.driver", "oa merge-driver %O %A %B %P")
        gitops.git(path, "add", "-A")
        message = (
            f"oa init: {'demo office' if demo else name}\n\n"
            f"OA-Import: {'demo' if demo else 'init'}\n"
        )
        env = {}
        if not (gitops.config(path, "user.email")):
            env = {
                "GIT_AUTHOR_NAME": "oa",
                "GIT_AUTHOR_EMAIL": "oa@localhost",
                "GIT_COMMITTER_NAME": "oa",
                "GIT_COMMITTER_EMAIL": "oa@localhost",
            }
        gitops.git(path, "commit", "-q", "--no-verify", "-F", "-", input_text=message, env=env)
    except OSError as exc:
        raise OAError("OA007", f"cannot create {path}: {exc}") from None
    commit = gitops.git(path, "rev-parse", "HEAD").strip()
    records = sum(1 for p in path.glob("*/[0-9][0-9][0-9][0-9]/*.yaml"))
    return Created(path, records, commit)
