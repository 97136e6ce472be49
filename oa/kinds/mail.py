"""Mail 报刊信件收发 (S-OPS-MAIL-1): each newspaper, letter or parcel registered with its recipient,
delivered and signed for — or flagged (misdelivered, refused) and delivered again — so that none is
misdelivered and none missed. Every recipient has a labelled place in the file cabinet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.errors import Finding, OAError
from oa.core.record import Record, ref
from oa.core.registry import Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

ItemType = Literal["报纸", "期刊", "信件", "挂号信", "包裹", "材料"]

register_codes(
    Code(
        "OA457",
        "mail not delivered",
        "A newspaper, letter or parcel registered more than `kinds.mail.deliver_workdays` "
        "workdays ago has not been delivered and signed for (S-OPS-MAIL-1: none missed).",
        "mail/2026/YJ-2026-0004.yaml:1: OA457 registered 2026-11-24, not delivered after 2 workdays",
    ),
    Code(
        "OA458",
        "mail without a recipient",
        "A mail item names exactly one recipient: a person or a department.",
        "mail/2026/YJ-2026-0005.yaml:6: OA458 name a recipient person or department, not both",
    ),
    Code(
        "OA644",
        "signature refused",
        "`oa mail deliver`: the person signing is not the recipient nor a member of the "
        "recipient department (S-OPS-MAIL-1: none misdelivered).",
        "oa: OA644 孙鹏 is not 周慧敏 (the recipient): flag it with `oa mail flag` instead",
    ),
)


class MailSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deliver_workdays: int = Field(
        default=1, ge=0, le=10, description="mail is delivered within this many workdays"
    )


class Mail(Record):
    """收发登记: one newspaper, letter, parcel or material received for distribution."""

    kind: Literal["mail"] = "mail"
    item_type: ItemType = Field(description="类别")
    sender: str = Field(min_length=1, description="寄件单位或刊名")
    received: AwareDatetime = Field(description="收到时间")
    recipient: str | None = ref("person", default=None, description="收件人")
    recipient_department: str | None = ref("department", default=None, description="收件科室")
    tracking: str | None = Field(default=None, description="挂号/快递单号")


def may_sign(office: Any, data: Mapping[str, Any], person: str) -> bool:
    if data.get("recipient"):
        return bool(person == data["recipient"])
    member = office.people.get(person)
    return bool(member is not None and member.department == data.get("recipient_department"))


def signer_is_recipient(ctx: GuardContext) -> str | None:
    signer = str(ctx.params.get("signed_by") or "")
    if may_sign(ctx.office, ctx.record, signer):
        return None
    to = ctx.record.get("recipient")
    whom = (
        ctx.office.display(to)
        if to
        else ctx.office.department_name(str(ctx.record.get("recipient_department")))
    )
    return f"{ctx.office.display(signer)} is not {whom} (the recipient)"


def check_mail(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    if bool(data.get("recipient")) == bool(data.get("recipient_department")):
        yield ["recipient"], "OA458", "name a recipient person or department, not both"


def missed(store: Store, loaded: list[Loaded]) -> Iterable[Finding]:
    from oa.core.identity import now

    today = now(store).date()
    limit = store.kind_settings("mail").deliver_workdays
    for one in loaded:
        data = one.data or {}
        if data.get("state") not in ("registered", "flagged"):
            continue
        got = data.get("received")
        day = date.fromisoformat(got[:10]) if isinstance(got, str) else None
        try:
            late = isinstance(day, date) and store.calendar.workdays_between(day, today) > limit
        except OAError:  # a broken calendar file: validate reports it (OA213)
            return
        if late:
            yield Finding(
                one.path,
                1,
                "OA457",
                f"registered {day}, not delivered after {limit} workday(s)",
                severity="warning",
            )


def cabinet_places(store: Store) -> list[tuple[str, str]]:
    """The file cabinet's labelled places: one per leader, then one per department."""
    office = store.office
    leaders = [
        (office.display(p), str(v.title or "")) for p, v in office.people.items()
        if office.has_role(p, "主任") or office.has_role(p, "主管领导")
    ]  # fmt: skip
    deps = [(d.name, "") for dep, d in office.departments.items() if dep != "LDB"]
    return leaders + deps


def cabinet_label(store: Store, data: dict[str, Any]) -> str:
    office = store.office
    if data.get("recipient"):
        return office.display(str(data["recipient"]))
    return office.department_name(str(data.get("recipient_department")))


def _summary(data: dict[str, Any]) -> str:
    return f"{data.get('item_type')} → {data.get('recipient') or data.get('recipient_department')}"


KIND = register(
    Kind(
        name="mail",
        prefix="YJ",
        label="报刊信件",
        model=Mail,
        guards={"signer_is_recipient": signer_is_recipient},
        record_checks=[check_mail],
        collection_checks=[missed],
        settings=MailSettings,
        department_field="recipient_department",
        summary=_summary,
        collection_reads=("state", "received"),
        index_fields=("received", "recipient", "recipient_department"),
    )
)
