"""Archiving by DA/T 22-2015 (归档文件整理规则): one 件 per document, a retention period, and the
档号 `全宗号-WS·年度-保管期限-机构代码-件号` with 件号 running per year, retention and department
without gaps. Any kind that files documents names the `file_archive` effect on its archive action.

An archived record is closed: the workflow offers nothing after it, and the fingerprint stored at
filing lets `oa validate` flag any later edit (OA411).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oa.core.effects import EffectContext
from oa.core.errors import Finding, OAError
from oa.core.registry import CORE_EFFECTS, Issue, kinds

if TYPE_CHECKING:
    from oa.core.query import Row
from oa.core.store import Loaded, Store
from oa.core.yamlio import canonical_json

Retention = Literal["Y", "D30", "D10"]
RETENTION_LABELS: dict[str, str] = {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
CATEGORY = "WS"  # 文书
CODE_RE = re.compile(
    r"^(?P<fonds>[0-9A-Z]+)-WS·(?P<year>\d{4})-(?P<ret>Y|D30|D10)-(?P<dep>[A-Za-z0-9_]+)-"
    r"(?P<item>\d{4})$"
)
_CODE_LINE = re.compile(r"^\s+code:\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.MULTILINE)
#: fields that change as the record is filed, and so are not part of what was filed
_UNPINNED = {"state", "history", "archive", "retention", "pages"}


class ArchiveInfo(BaseModel):
    """The 归档章 (archive stamp): 全宗号、年度、保管期限、件号、机构, and the 档号 they make."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=CODE_RE.pattern, description="档号")
    fonds: str = Field(description="全宗号")
    year: int = Field(description="年度")
    retention: Retention = Field(description="保管期限")
    department: str = Field(description="机构（问题）代码")
    item: int = Field(ge=1, description="件号")
    filed: date = Field(description="归档日期")
    fingerprint: str = Field(description="sha256 of what was filed")


def format_code(fonds: str, year: int, retention: str, department: str, item: int) -> str:
    return f"{fonds}-{CATEGORY}·{year}-{retention}-{department}-{item:04d}"


def fingerprint(data: dict[str, Any]) -> str:
    """A hash of the record's content as filed (not its state, history or stamp)."""
    content = {k: v for k, v in data.items() if k not in _UNPINNED}
    text = canonical_json(content)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def used_items(store: Store, year: int, retention: str, department: str) -> list[int]:
    """件号 taken in one (year, retention, department) series, across every kind's files. Each
    file's 档号 are read once and kept under its key (Store.facts)."""
    taken: list[int] = []
    series = f"·{year}-{retention}-{department}-"
    for codes in store.facts("archive-codes-1", _archive_codes, folders=sorted(kinds())).values():
        for code in codes:
            parsed = CODE_RE.match(code) if series in code else None
            if (
                parsed
                and int(parsed["year"]) == year
                and parsed["ret"] == retention
                and parsed["dep"] == department
            ):
                taken.append(int(parsed["item"]))
    return taken


def _archive_codes(raw: bytes) -> list[str]:
    """The 档号 written in a record file (no YAML parse)."""
    if b"code:" not in raw:
        return []
    return [m.group(1) for m in _CODE_LINE.finditer(raw.decode("utf-8", errors="replace"))]


def file_archive(ctx: EffectContext) -> dict[str, Any]:
    rec = ctx.record
    kind = kinds()[str(rec["kind"])]
    if kind.archive_year is None or kind.department_field is None:
        raise OAError("OA607", f"{kind.label} records are not filed as archive documents")
    fonds = ctx.store.office.office.fonds
    if not fonds:
        raise OAError("OA607", "set office.fonds (全宗号) in oa.yaml before archiving")
    retention = str(rec.get("retention") or "")
    if retention not in RETENTION_LABELS:
        raise OAError("OA606", "archiving needs --retention Y, D30 or D10 (保管期限)")
    data = dict(rec)
    year = kind.archive_year(data)
    department = str(rec[kind.department_field])
    item = max(used_items(ctx.store, year, retention, department), default=0) + 1
    code = format_code(fonds, year, retention, department, item)
    stamp = {
        "code": code,
        "fonds": fonds,
        "year": year,
        "retention": retention,
        "department": department,
        "item": item,
        "filed": ctx.at.date(),
        "fingerprint": fingerprint(data),
    }
    ctx.set("archive", stamp)
    return {"archive_code": code}


def check_archived(store: Store, loaded: Loaded) -> Iterator[Issue]:
    """An archived record is closed: its content must still be what was filed (OA411)."""
    data = loaded.data or {}
    stamp = data.get("archive")
    if not isinstance(stamp, dict):
        return
    if stamp.get("fingerprint") != fingerprint(data):
        yield (
            ["archive", "fingerprint"],
            "OA411",
            (f"archived as {stamp.get('code')} but changed since it was filed"),
        )
    given = [h.get("archive_code") for h in data.get("history") or [] if h.get("archive_code")]
    if given and given[-1] != stamp.get("code"):
        yield (
            ["archive", "code"],
            "OA411",
            (f"archive.code {stamp.get('code')} differs from the code given, {given[-1]}"),
        )


def check_items(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    """件号 per (year, retention, department) run 1, 2, 3 … with no gap or duplicate (OA412)."""
    series: dict[tuple[int, str, str], list[tuple[int, Loaded]]] = defaultdict(list)
    for loaded in records:
        stamp = (loaded.data or {}).get("archive")
        if isinstance(stamp, dict) and isinstance(stamp.get("item"), int):
            key = (int(stamp["year"]), str(stamp["retention"]), str(stamp["department"]))
            series[key].append((stamp["item"], loaded))
    for (year, retention, dep), items in sorted(series.items()):
        items.sort(key=lambda x: (x[0], x[1].path))
        seen: dict[int, Loaded] = {}
        expected = 1
        for item, loaded in items:
            if item in seen:
                yield Finding(
                    loaded.path,
                    store.line(loaded.path, ["archive", "item"]),
                    "OA412",
                    f"件号 {item} of {year}-{retention}-{dep} is also on {seen[item].rid}",
                )
                continue
            seen[item] = loaded
            if item != expected:
                yield Finding(
                    loaded.path,
                    store.line(loaded.path, ["archive", "item"]),
                    "OA412",
                    f"{year}-{retention}-{dep}: 件号 {expected}–{item - 1} missing before {item}",
                )
            expected = item + 1


CORE_EFFECTS["file_archive"] = file_archive


@dataclass(frozen=True)
class CatalogRow:
    """One line of the 归档文件目录 (DA/T 22-2015 附录): 序号 is given when the paper is drawn."""

    code: str
    number: str
    author: str
    title: str
    day: date
    secrecy: str
    pages: int | None
    note: str
    retention: str
    department: str
    item: int
    rid: str


def catalog(store: Store, year: int) -> list[CatalogRow]:
    """Every document filed under `year`, in 档号 order (retention, department, 件号)."""
    from oa.core.query import indexed

    rows: list[CatalogRow] = []
    for rel, entry in indexed(store):
        assert entry.summary is not None
        stamp = entry.summary.get("archive")
        kind = kinds()[str(entry.summary["kind"])]
        if not isinstance(stamp, dict) or stamp.get("year") != year or kind.catalog is None:
            continue
        ld = store.load_path(store.root / rel)
        if ld.record is None or ld.data is None:
            continue
        fields = kind.catalog(store, ld.data)
        rows.append(
            CatalogRow(
                code=str(stamp["code"]),
                number=fields.number,
                author=fields.author,
                title=ld.record.title,
                day=fields.day,
                secrecy=str(ld.data.get("secrecy") or ""),
                pages=ld.data.get("pages"),
                note=fields.note,
                retention=str(stamp["retention"]),
                department=str(stamp["department"]),
                item=int(stamp["item"]),
                rid=ld.record.id,
            )
        )
    order = list(RETENTION_LABELS)
    rows.sort(key=lambda r: (order.index(r.retention), r.department, r.item))
    return rows


def pending(store: Store) -> list[Row]:
    """Records waiting to be filed: their state offers an action that files them."""
    from oa.core.query import indexed, row

    out: list[Row] = []
    for rel, entry in indexed(store):
        s = entry.summary
        assert s is not None
        wf = store.workflow(str(s["kind"]))
        if any("file_archive" in wf.actions[a].effects for a in wf.actions_from(str(s["state"]))):
            out.append(row(store, rel, s))
    return out


def filing_action(store: Store, rid: str) -> str:
    """The action that files this record now (the workflow's action with `file_archive`)."""
    ld = store.get_valid(rid)
    assert ld.record is not None
    wf = store.workflow(ld.record.kind)
    for action in wf.actions_from(ld.record.state):
        if "file_archive" in wf.actions[action].effects:
            return action
    raise OAError(
        "OA602", f"{rid} is not waiting to be filed (state {ld.record.state!r})", path=ld.path
    )
