"""HTML papers from jinja2 templates, and the date and name formats every paper shares.

Templates are looked up in the records repository's own `templates/` folder first, then in the
project's, so an office can restyle a paper without touching the code. Autoescaping is always on:
titles and opinions come from people and may contain `<`, `&` or Word markup, which must print as
text, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

import oa
from oa.core.store import Store

#: the templates that ship with oa; a records repository's `templates/` overrides them by name
PROJECT_TEMPLATES = Path(oa.__file__).resolve().parents[1] / "templates"


def local(value: datetime, tz: ZoneInfo | None) -> datetime:
    """An aware time in the office's zone, so a slip shows the clock the office saw."""
    return value.astimezone(tz) if tz is not None and value.tzinfo is not None else value


def cn_date(value: date | datetime | None, tz: ZoneInfo | None = None) -> str:
    """2026年1月5日: GB/T 9704 dates, Arabic numerals without leading zeros; '' when unknown."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, tz)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None, tz: ZoneInfo | None = None) -> str:
    """2026年1月5日 09:20: the date and the time of day an opinion was written."""
    if value is None:
        return ""
    value = local(value, tz)
    return f"{cn_date(value)} {value:%H:%M}"


def ymd(value: date | datetime | None, tz: ZoneInfo | None = None) -> str:
    """20260105: the 日期 column of the 归档文件目录 (DA/T 22-2015)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, tz)
    return f"{value:%Y%m%d}"


#: characters XML 1.0 cannot hold; .docx and .xlsx are XML, so they are dropped from text there
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """Text without the control characters XML refuses (a stray one must not stop a paper)."""
    return _NOT_XML.sub("", text)


def joined(names: Iterable[str]) -> str:
    """Names in the Chinese list style: 陈国华、汤志强."""
    return "、".join(names)


def environment(store: Store) -> Environment:
    """The jinja2 environment for one records repository: its templates, its people's names."""
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(store.root / "templates")),
                FileSystemLoader(str(PROJECT_TEMPLATES)),
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def _date(value: date | datetime | None) -> str:
        return cn_date(value, tz)

    def _datetime(value: datetime | None) -> str:
        return cn_datetime(value, tz)

    def _ymd(value: date | datetime | None) -> str:
        return ymd(value, tz)

    def _people(ids: Iterable[str]) -> str:
        return joined(office.display(p) for p in ids)

    def _departments(ids: Iterable[str]) -> str:
        return joined(office.department_name(d) for d in ids)

    env.filters.update(
        cn_date=_date,
        cn_datetime=_datetime,
        ymd=_ymd,
        person=office.display,
        people=_people,
        dept=office.department_name,
        depts=_departments,
        joined=joined,
    )
    env.globals["office"] = office.office
    return env


def output_path(out_dir: Path, name: str) -> Path:
    """Where a paper is written: `out_dir/name`, the folder made if it is missing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir / name


def render_html(store: Store, name: str, **context: Any) -> str:
    """Render the template `name` (e.g. `slip.html.j2`) with `context`; escaping is on."""
    return environment(store).get_template(name).render(**context)
