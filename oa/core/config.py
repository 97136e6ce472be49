"""The office: `oa.yaml` — departments, people and their roles, and each kind's settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from oa.core import yamlio
from oa.core.errors import OAError, schema_error
from oa.core.locate import CONFIG_FILE

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeInfo(Strict):
    name: str = Field(description="全称, e.g. 浏阳市机关后勤服务中心")
    short_name: str = Field(description="简称, e.g. 浏后勤")
    timezone: str = Field(default="Asia/Shanghai")
    fonds: str | None = Field(
        default=None, pattern=r"^[0-9A-Z]{1,8}$", description="全宗号 (DA/T 22), e.g. 0194"
    )


class Department(Strict):
    name: str = Field(description="科室名称")
    leader: str | None = Field(default=None, description="分管领导 (person id)")


class Person(Strict):
    name: str = Field(description="姓名")
    email: str = Field(description="matches git user.email")
    department: str = Field(description="department id")
    roles: list[str] = Field(default_factory=list)
    title: str = Field(default="", description="职务")
    signing_keys: list[str] = Field(
        default_factory=list,
        description="SSH public keys (ssh-ed25519 AAAA…) whose git signatures count as this "
        "person's, for actions a workflow marks `signed`",
    )


class AuditSettings(Strict):
    on_behalf_roles: list[str] = Field(
        default_factory=lambda: ["办公室"],
        description="roles whose holders may enter an action for someone else (OA-On-Behalf)",
    )


class Office(Strict):
    """Validated `oa.yaml`. `kinds` holds each record kind's own settings, checked by that kind."""

    office: OfficeInfo
    roles: dict[str, str] = Field(description="role name → what it means")
    departments: dict[str, Department]
    people: dict[str, Person]
    audit: AuditSettings = Field(default_factory=AuditSettings)
    kinds: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("departments", "people")
    @classmethod
    def _keys_are_ids(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not _KEY.match(key):
                raise ValueError(f"id {key!r} must be letters, digits or _ (max 32)")
        return value

    def problems(self) -> list[tuple[list[str | int], str]]:
        """References inside oa.yaml that point nowhere, each with where it is."""
        out: list[tuple[list[str | int], str]] = []
        for pid, person in self.people.items():
            if person.department not in self.departments:
                out.append(
                    (["people", pid, "department"], f"unknown department {person.department!r}")
                )
            out.extend(
                (["people", pid, "roles", n], f"unknown role {role!r}")
                for n, role in enumerate(person.roles)
                if role not in self.roles
            )
        for did, dep in self.departments.items():
            if dep.leader is not None and dep.leader not in self.people:
                out.append((["departments", did, "leader"], f"unknown person {dep.leader!r}"))
        emails: dict[str, str] = {}
        for pid, person in self.people.items():
            other = emails.setdefault(person.email.lower(), pid)
            if other != pid:
                out.append((["people", pid, "email"], f"{person.email} is also {other}'s"))
        return out

    def find_person(self, who: str) -> str | None:
        """Person id for an id, an e-mail address or a (unique) name."""
        if who in self.people:
            return who
        low = who.strip().lower()
        by_email = [pid for pid, p in self.people.items() if p.email.lower() == low]
        if by_email:
            return by_email[0]
        by_name = [pid for pid, p in self.people.items() if p.name == who.strip()]
        return by_name[0] if len(by_name) == 1 else None

    def has_role(self, person: str, role: str) -> bool:
        p = self.people.get(person)
        return p is not None and role in p.roles

    def display(self, person: str | None) -> str:
        if person is None:
            return ""
        p = self.people.get(person)
        return p.name if p else person

    def department_name(self, dep: str) -> str:
        d = self.departments.get(dep)
        return d.name if d else dep


def load_office(root: Path) -> Office:
    path = root / CONFIG_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OAError(
            "OA210",
            f"{CONFIG_FILE} is missing: {root} is not an oa records repository "
            "(`oa init` makes one)",
            path=CONFIG_FILE,
        ) from None
    except OSError as exc:
        raise OAError("OA210", f"cannot read {CONFIG_FILE}: {exc}", path=CONFIG_FILE) from None
    return parse_office(data)


def parse_office(data: bytes) -> Office:
    """The office from the bytes of oa.yaml (on disk, or as committed at some point in time)."""
    try:
        raw = yamlio.load_mapping(data, CONFIG_FILE)
    except yamlio.YamlProblem as exc:
        f = exc.finding
        raise OAError("OA210", f"{f.code} {f.message}", path=CONFIG_FILE, line=f.line) from None
    text = data.decode("utf-8")
    try:
        office = Office.model_validate(raw)
    except ValidationError as exc:
        raise schema_error(exc, "OA210", CONFIG_FILE, text) from None
    problems = office.problems()
    if problems:
        loc, msg = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise OAError(
            "OA210",
            f"{'.'.join(map(str, loc))}: {msg}{more}",
            path=CONFIG_FILE,
            line=yamlio.line_of(text, loc),
        )
    return office
