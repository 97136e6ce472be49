"""What official documents (公文) of every kind share: body and attachment files, 密级 and 紧急程度,
the classified-content rule, and the fields archiving fills in. Registers no kind itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from oa.core.archive import ArchiveInfo, Retention
from oa.core.registry import Issue
from oa.core.store import Loaded, Store

Secrecy = Literal["秘密", "机密", "绝密"]
Urgency = Literal["特急", "加急"]


def safe_relative(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"{value!r} must be a plain path inside the record's .files folder")
    return value


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, description="附件名称")
    file: str | None = Field(default=None, description="file in <ID>.files/")

    @field_validator("file")
    @classmethod
    def _file_path(cls, v: str | None) -> str | None:
        return None if v is None else safe_relative(v)


class Paper(BaseModel):
    """The fields every 公文 kind has, mixed into its model after the kind's own: 密级, 紧急程度,
    the body and attachments, and what archiving (S-DOC-IN-6, DA/T 22-2015) fills in."""

    secrecy: Secrecy | None = Field(default=None, description="密级")
    urgency: Urgency | None = Field(default=None, description="紧急程度")
    body: str | None = Field(default=None, description="正文 (Markdown or a scan) in <ID>.files/")
    attachments: list[Attachment] = Field(default_factory=list, description="附件")
    retention: Retention | None = Field(default=None, description="保管期限: Y 永久, D30, D10")
    pages: int | None = Field(default=None, ge=1, le=100000, description="页数")
    archive: ArchiveInfo | None = Field(default=None, description="归档章, set by filing")

    @field_validator("body")
    @classmethod
    def _body_path(cls, v: str | None) -> str | None:
        return None if v is None else safe_relative(v)


def check_files(store: Store, loaded: Loaded) -> Iterator[Issue]:
    """Body and attachments named by the record exist (OA304); a classified document keeps
    neither in the repository (OA413)."""
    data = loaded.data or {}
    rid = str(data["id"])
    files = store.rel_for(rid).removesuffix(".yaml") + ".files"
    secrecy = data.get("secrecy")
    if secrecy:
        if data.get("body"):
            yield ["body"], "OA413", f"a {secrecy} document may not keep its body in the repository"
        if any(a.get("file") for a in data.get("attachments") or []):
            yield (
                ["attachments"],
                "OA413",
                (f"a {secrecy} document may not keep attachment files in the repository"),
            )
        if store.has_files(store.root / files):
            yield ["secrecy"], "OA413", (f"a {secrecy} document may not have files in {rid}.files/")
    if data.get("body") and not store.exists_rel(f"{files}/{data['body']}"):
        yield ["body"], "OA304", f"body: file {rid}.files/{data['body']} is missing"
    for i, att in enumerate(data.get("attachments") or []):
        if att.get("file") and not store.exists_rel(f"{files}/{att['file']}"):
            yield (
                ["attachments", i, "file"],
                "OA304",
                (f"attachments.{i}.file: file {rid}.files/{att['file']} is missing"),
            )
