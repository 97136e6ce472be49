"""The 用印登记簿 (S-OPS-SEAL-3) as .xlsx and .docx: every use of a seal, filtered by seal and period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from oa.core.store import Store
from oa.kinds.seal import BookRow, SealSettings, seal_book
from oa.render.html import cn_date
from oa.render.ledger import Column, Ledger, write_docx, write_xlsx

COLUMNS = [
    Column("序号", 6, 10, centred=True),
    Column("用印时间", 17, 26, centred=True),
    Column("印章", 20, 32),
    Column("类别", 8, 14, centred=True),
    Column("事由", 30, 48),
    Column("份数", 6, 10, centred=True),
    Column("经办人（科室）", 16, 28),
    Column("批准人", 20, 34),
    Column("登记人", 8, 14, centred=True),
    Column("介绍信编号", 18, 28),
]


def cells(seq: int, row: BookRow) -> list[str | int]:
    purpose = row.purpose + (f"（{row.document}）" if row.document else "")
    return [
        seq,
        f"{row.used_at:%Y-%m-%d %H:%M}",
        row.seal_name,
        row.use,
        purpose,
        row.copies,
        f"{row.requester}（{row.department}）",
        row.approval,
        row.keeper,
        row.letter,
    ]


def book_ledger(store: Store, seal: str | None, first: date | None, last: date | None) -> Ledger:
    settings: SealSettings = store.kind_settings("seal")
    rows = seal_book(store, seal, first, last)
    which = settings.seals[seal].name if seal else "全部印章"
    period = f"{cn_date(first) or '起始'}至{cn_date(last) or '今'}" if first or last else "全部时间"
    return Ledger(
        title=f"{store.office.office.name}用印登记簿",
        subtitle=f"印章：{which}　　期间：{period}　　共{len(rows)}次",
        columns=COLUMNS,
        rows=[cells(i, r) for i, r in enumerate(rows, start=1)],
        empty="本期间无用印记录",
        sheet="用印登记簿",
    )


def file_name(seal: str | None, first: date | None, last: date | None) -> str:
    parts = ["seal-book", seal or "all"]
    if first:
        parts.append(f"{first:%Y%m%d}")
    if last:
        parts.append(f"to{last:%Y%m%d}")
    return "-".join(parts)


def render_book(
    store: Store,
    out_dir: Path,
    formats: list[str],
    seal: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[Path]:
    ledger = book_ledger(store, seal, first, last)
    name = file_name(seal, first, last)
    author = store.office.office.name
    out: list[Path] = []
    if "xlsx" in formats:
        out.append(write_xlsx([ledger], out_dir / f"{name}.xlsx", author=author))
    if "docx" in formats:
        out.append(write_docx([ledger], out_dir / f"{name}.docx", author=author))
    return out
