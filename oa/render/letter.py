"""A 介绍信 with its 存根 (stub) as .docx: the stub on top, a cut line with the number across it
(骑缝), the letter below — the way a bound 介绍信 book is printed (S-OPS-SEAL-1)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH

from oa.core.errors import OAError
from oa.core.store import Store
from oa.kinds.seal import SealSettings, letter_no
from oa.render.html import cn_date, output_path
from oa.render.slip import FANGSONG, HEITI, new_document, paragraph


def render_letter_docx(store: Store, rid: str, out_dir: Path) -> Path:
    data = store.get_valid(rid).data or {}
    if data.get("use") != "介绍信" or not data.get("letter_number"):
        raise OAError("OA662", f"{rid} is not an issued 介绍信 (no letter number yet)")
    settings: SealSettings = store.kind_settings("seal")
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    used = data["used_at"].astimezone(tz)
    number = letter_no(settings, office.office.short_name, used.year, int(data["letter_number"]))
    bearers = list(data.get("bearers") or [])
    who = "、".join(bearers)
    count = f"等{len(bearers)}名同志" if len(bearers) > 1 else "同志"
    until = cn_date(data.get("valid_until")) or "（未填）"
    approver = office.display(data.get("approver"))
    approval = "口头" if data.get("approval") == "口头" else "书面"
    doc = new_document(title=f"介绍信 {number}", author=office.office.name)
    center = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    # 存根
    paragraph(
        doc, "介 绍 信（存 根）", font=HEITI, size=18, align=center, first=True, space_after=6
    )
    paragraph(doc, number, align=right, space_after=6)
    paragraph(
        doc,
        f"　　{who}{count}前往{data.get('recipient')}，联系{data.get('purpose')}。",
        space_after=4,
    )
    paragraph(doc, f"　　有效期至{until}。", space_after=4)
    paragraph(
        doc,
        f"　　经办人：{office.display(data.get('requester'))}　　批准人：{approver}（{approval}）"
        f"　　开具人：{office.display(data.get('keeper'))}",
        space_after=4,
    )
    paragraph(doc, cn_date(used), align=right, space_after=18)
    paragraph(
        doc,
        f"- - - - - - - - - - （{number}）- - - - - - - - - -",
        size=12,
        align=center,
        space_after=18,
    )
    # 介绍信
    paragraph(doc, "介 绍 信", font=HEITI, size=22, align=center, space_after=6)
    paragraph(doc, number, align=right, space_after=12)
    paragraph(doc, f"{data.get('recipient')}：", space_after=4)
    paragraph(
        doc,
        f"　　兹介绍我单位{who}{count}前往你处联系{data.get('purpose')}，请予接洽为荷。",
        space_after=4,
    )
    paragraph(doc, "　　此致", space_after=0)
    paragraph(doc, "敬礼！", space_after=24)
    seal_name = settings.seals[str(data["seal"])].name if data.get("seal") in settings.seals else ""
    unit = seal_name.removesuffix("公章").removesuffix("章") or office.office.name
    paragraph(doc, unit, align=right, space_after=4)
    paragraph(doc, cn_date(used), align=right, space_after=12)
    paragraph(doc, f"（有效期至{until}）", size=12, font=FANGSONG)
    path = output_path(out_dir, f"letter-{rid}.docx")
    doc.save(str(path))
    return path
